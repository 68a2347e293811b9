//! A byte stream read by a background thread, with `expect`-style waiting:
//! used to drive `ferropy` through a pseudo-terminal or a TCP connection.
#![allow(dead_code)]

use std::io::Read;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Output collected from a reader, consumed by `expect`.
pub struct Expect {
    rx: Receiver<Vec<u8>>,
    /// Bytes received and not consumed yet.
    pub pending: Vec<u8>,
    /// Everything received (for failure messages).
    pub transcript: Vec<u8>,
}

impl Expect {
    /// Starts reading `r` on a thread.
    pub fn new(mut r: impl Read + Send + 'static) -> Expect {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = r.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Expect { rx, pending: Vec::new(), transcript: Vec::new() }
    }

    /// Waits until `needle` has arrived; returns everything up to and
    /// including it (consumed). Panics with the transcript after `secs`.
    pub fn expect_within(&mut self, needle: &[u8], secs: u64) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(i) = find(&self.pending, needle) {
                let rest = self.pending.split_off(i + needle.len());
                return std::mem::replace(&mut self.pending, rest);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(chunk) => {
                    self.transcript.extend_from_slice(&chunk);
                    self.pending.extend_from_slice(&chunk);
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => panic!(
                    "waited for {:?}; pending {:?}; transcript:\n{}",
                    String::from_utf8_lossy(needle),
                    String::from_utf8_lossy(&self.pending),
                    String::from_utf8_lossy(&self.transcript)
                ),
            }
        }
    }

    /// [`Expect::expect_within`] with 20 seconds.
    pub fn expect(&mut self, needle: &[u8]) -> Vec<u8> {
        self.expect_within(needle, 20)
    }

    /// Waits for exactly `bytes` to be the next output.
    pub fn expect_exact(&mut self, bytes: &[u8]) {
        let got = self.expect(bytes);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(bytes),
            "unexpected bytes before the expected ones"
        );
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}
