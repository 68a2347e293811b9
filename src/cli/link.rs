//! The link between a served REPL and its current client: the input of the
//! connection (filled by a reader thread), its output, and the interrupt
//! handle armed while code runs. The VM (its output sinks and `input()`) and
//! the console share it, so a VM that outlives a connection talks to the next.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex, MutexGuard};

use ferropy_repl::Console;
use ferropy_runtime::modules::InterruptHandle;

/// The input side of one connection.
struct Input {
    rx: Receiver<Vec<u8>>,
    buf: VecDeque<u8>,
}

impl Input {
    /// Moves the chunks the reader thread has sent so far into `buf` (no waiting).
    fn take_arrived(&mut self) {
        while let Ok(chunk) = self.rx.try_recv() {
            self.buf.extend(chunk);
        }
    }
}

/// One client's byte streams: how to read, write, and hang up.
pub struct Stream {
    /// The client's bytes (read on a thread of its own).
    pub reader: Box<dyn Read + Send>,
    /// Where output goes.
    pub writer: Box<dyn Write + Send>,
    /// Ends the connection (the reader then sees its end).
    pub hang_up: Box<dyn Fn() + Send>,
}

/// Shared between the server, the console and the VM's sinks and host.
pub struct Link {
    input: Mutex<Option<Input>>,
    output: Mutex<Option<Box<dyn Write + Send>>>,
    hang_up: Mutex<Option<Box<dyn Fn() + Send>>>,
    interrupt: Arc<Mutex<Option<InterruptHandle>>>,
    /// The byte that interrupts running code (`micropython.kbd_intr`; -1: none).
    interrupt_char: Arc<AtomicI32>,
}

impl Default for Link {
    fn default() -> Link {
        Link {
            input: Mutex::default(),
            output: Mutex::default(),
            hang_up: Mutex::default(),
            interrupt: Arc::default(),
            interrupt_char: Arc::new(AtomicI32::new(CTRL_C)),
        }
    }
}

/// The default interrupt character.
const CTRL_C: i32 = 3;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Link {
    /// A link with no client.
    pub fn new() -> Arc<Link> {
        Arc::new(Link::default())
    }

    /// Attaches a new client: a reader thread moves its bytes into the input
    /// queue; while code runs, a Ctrl-C among them interrupts it, and so does
    /// the end of the connection.
    pub fn attach(&self, stream: Stream) {
        let Stream { mut reader, writer, hang_up } = stream;
        let (tx, rx) = channel::<Vec<u8>>();
        let interrupt = self.interrupt.clone();
        let interrupt_char = self.interrupt_char.clone();
        interrupt_char.store(CTRL_C, Ordering::Relaxed);
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let mut chunk = buf[..n].to_vec();
                let ic = u8::try_from(interrupt_char.load(Ordering::Relaxed)).ok();
                if let (Some(h), Some(ic)) = (lock(&interrupt).as_ref(), ic) {
                    if chunk.contains(&ic) {
                        h.interrupt();
                        chunk.retain(|&b| b != ic);
                        // An empty chunk wakes a waiting `input()` (see `read_line`).
                        if chunk.is_empty() && tx.send(Vec::new()).is_err() {
                            break;
                        }
                    }
                }
                if chunk.is_empty() {
                    continue;
                }
                if tx.send(chunk).is_err() {
                    break;
                }
            }
            // The client is gone: stop whatever runs for it.
            if let Some(h) = lock(&interrupt).as_ref() {
                h.interrupt();
            }
        });
        *lock(&self.input) = Some(Input { rx, buf: VecDeque::new() });
        *lock(&self.output) = Some(writer);
        *lock(&self.hang_up) = Some(hang_up);
    }

    /// Detaches the client (hung up).
    pub fn detach(&self) {
        self.hang_up();
        *lock(&self.input) = None;
        *lock(&self.output) = None;
        *lock(&self.hang_up) = None;
    }

    /// Hangs up on the current client, if any (its session ends as a disconnect).
    pub fn hang_up(&self) {
        if let Some(h) = lock(&self.hang_up).as_ref() {
            h();
        }
    }

    /// The next input byte, waiting; `None` when the client is gone.
    pub fn read_byte(&self) -> Option<u8> {
        loop {
            match self.next_byte() {
                Next::Byte(b) => return Some(b),
                Next::Wake => continue,
                Next::Gone => return None,
            }
        }
    }

    fn next_byte(&self) -> Next {
        let mut guard = lock(&self.input);
        let Some(input) = guard.as_mut() else { return Next::Gone };
        if let Some(b) = input.buf.pop_front() {
            return Next::Byte(b);
        }
        match input.rx.recv() {
            Ok(chunk) if chunk.is_empty() => Next::Wake,
            Ok(chunk) => {
                input.buf.extend(chunk);
                match input.buf.pop_front() {
                    Some(b) => Next::Byte(b),
                    None => Next::Wake,
                }
            }
            Err(_) => Next::Gone,
        }
    }

    /// One line of input for `input()`/`sys.stdin` (empty when the client is
    /// gone; cut short by a Ctrl-C, which `input()` then raises).
    pub fn read_line(&self) -> Vec<u8> {
        let mut line = Vec::new();
        while let Next::Byte(b) = self.next_byte() {
            // Terminals send `\r` for Enter.
            let b = if b == b'\r' { b'\n' } else { b };
            line.push(b);
            if b == b'\n' {
                break;
            }
        }
        line
    }

    /// Up to `max` input bytes exactly as they came, waiting for the first
    /// (empty when the client is gone or a Ctrl-C interrupted the wait).
    pub fn read_raw(&self, max: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let Next::Byte(b) = self.next_byte() else { return out };
        out.push(b);
        let mut guard = lock(&self.input);
        if let Some(input) = guard.as_mut() {
            input.take_arrived();
            let n = max.saturating_sub(1).min(input.buf.len());
            out.extend(input.buf.drain(..n));
        }
        out
    }

    /// True if input bytes are waiting (or the client is gone, so a read returns at once).
    pub fn has_input(&self) -> bool {
        let mut guard = lock(&self.input);
        let Some(input) = guard.as_mut() else { return true };
        input.take_arrived();
        !input.buf.is_empty()
    }

    /// Sets the byte that interrupts running code (`micropython.kbd_intr`; -1 for none).
    pub fn set_interrupt_char(&self, c: i32) {
        self.interrupt_char.store(c, Ordering::Relaxed);
    }

    /// Writes to the client, if any (a write error means it is gone: ignored,
    /// the reader thread sees the end).
    pub fn write(&self, bytes: &[u8]) {
        if let Some(s) = lock(&self.output).as_mut() {
            let _ = s.write_all(bytes).and_then(|_| s.flush());
        }
    }

    /// Writes program output as a board does: each `\n` becomes `\r\n`.
    pub fn write_cooked(&self, bytes: &[u8]) {
        let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
        for &b in bytes {
            if b == b'\n' {
                out.push(b'\r');
            }
            out.push(b);
        }
        self.write(&out);
    }

    /// Arms (or disarms) Ctrl-C for running code.
    pub fn set_interrupt(&self, handle: Option<InterruptHandle>) {
        *lock(&self.interrupt) = handle;
    }
}

/// What [`Link::next_byte`] got.
enum Next {
    Byte(u8),
    /// A Ctrl-C was taken as an interrupt while code waited for input.
    Wake,
    Gone,
}

/// The REPL's console over a [`Link`].
pub struct LinkConsole(pub Arc<Link>);

impl Console for LinkConsole {
    fn read_byte(&mut self) -> Option<u8> {
        self.0.read_byte()
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    fn set_interrupt(&mut self, handle: Option<InterruptHandle>) {
        self.0.set_interrupt(handle);
    }
}
