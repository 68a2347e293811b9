//! The VM's outside world as an embedder configures it: standard output and
//! error to `std::io::Write` objects, standard input from a `std::io::Read`,
//! and file access and sockets only when allowed.

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[cfg(unix)]
use ferropy_runtime::modules::net::Net;
#[cfg(unix)]
use ferropy_runtime::modules::std_net::StdNet;
use ferropy_runtime::modules::vfs::{DirEntry, Stat, StatVfs, EACCES};
use ferropy_runtime::modules::{Host, PathKind, StdHost};
use ferropy_runtime::vm::OutputSink;

/// A sink writing into `w` (write errors are ignored, as a closed stdout is).
pub(crate) fn sink(mut w: Box<dyn Write + Send>) -> OutputSink {
    Box::new(move |bytes: &[u8]| {
        let _ = w.write_all(bytes);
        let _ = w.flush();
    })
}

/// A `Write` target shared with the caller: everything the VM writes is
/// appended to the buffer, which the caller can read at any time.
///
/// ```
/// use ferropy::embed::{SharedBuffer, Vm};
/// let out = SharedBuffer::new();
/// let mut vm = Vm::builder().stdout(out.clone()).build().unwrap();
/// vm.exec("print('hi')").unwrap();
/// assert_eq!(out.text(), "hi\n");
/// ```
#[derive(Clone, Debug, Default)]
pub struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    /// An empty buffer.
    ///
    /// ```
    /// assert!(ferropy::embed::SharedBuffer::new().bytes().is_empty());
    /// ```
    pub fn new() -> SharedBuffer {
        SharedBuffer::default()
    }

    /// A copy of the bytes written so far.
    ///
    /// ```
    /// use std::io::Write;
    /// let mut b = ferropy::embed::SharedBuffer::new();
    /// b.write_all(b"ab").unwrap();
    /// assert_eq!(b.bytes(), b"ab");
    /// ```
    pub fn bytes(&self) -> Vec<u8> {
        match self.0.lock() {
            Ok(b) => b.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// The bytes written so far as text (invalid UTF-8 replaced).
    ///
    /// ```
    /// use std::io::Write;
    /// let mut b = ferropy::embed::SharedBuffer::new();
    /// b.write_all("é".as_bytes()).unwrap();
    /// assert_eq!(b.text(), "é");
    /// ```
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }
}

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.lock() {
            Ok(mut b) => b.extend_from_slice(buf),
            Err(p) => p.into_inner().extend_from_slice(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The host services of an embedded VM.
pub(crate) struct EmbedHost {
    files: Option<StdHost>,
    /// Sockets (`socket`, `select` over handles), when allowed.
    #[cfg(unix)]
    net: Option<StdNet>,
    stdin: Option<Box<dyn BufRead + Send>>,
    start: Instant,
    /// The run's deadline on this host's `ticks_us` clock (`u64::MAX`: none);
    /// `time.sleep` never sleeps past it.
    deadline: Arc<AtomicU64>,
}

impl EmbedHost {
    pub(crate) fn new(
        files: bool,
        net: bool,
        stdin: Option<Box<dyn Read + Send>>,
        deadline: Arc<AtomicU64>,
    ) -> EmbedHost {
        #[cfg(not(unix))]
        let _ = net;
        EmbedHost {
            deadline,
            #[cfg(unix)]
            net: net.then(StdNet::new),
            files: files.then(StdHost::new),
            stdin: stdin.map(|r| Box::new(BufReader::new(r)) as Box<dyn BufRead + Send>),
            start: Instant::now(),
        }
    }
}

impl Host for EmbedHost {
    fn stat(&mut self, path: &str) -> PathKind {
        self.files.as_mut().map_or(PathKind::Missing, |f| f.stat(path))
    }
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.read_file(path))
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.write_file(path, data, append))
    }
    fn stat_path(&mut self, path: &str) -> Result<Stat, i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.stat_path(path))
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.list_dir(path))
    }
    fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.mkdir(path))
    }
    fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.rmdir(path))
    }
    fn remove(&mut self, path: &str) -> Result<(), i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.remove(path))
    }
    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.rename(from, to))
    }
    fn statvfs(&mut self, path: &str) -> Result<StatVfs, i32> {
        self.files.as_mut().map_or(Err(EACCES), |f| f.statvfs(path))
    }
    fn getcwd(&mut self) -> String {
        self.files.as_mut().map_or_else(|| String::from("/"), |f| f.getcwd())
    }
    fn urandom(&mut self, buf: &mut [u8]) {
        StdHost::new().urandom(buf)
    }
    fn time_ns(&mut self) -> u64 {
        StdHost::new().time_ns()
    }
    fn ticks_us(&mut self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }
    fn sleep_us(&mut self, us: u64) {
        let left = self.deadline.load(Ordering::Relaxed).saturating_sub(self.ticks_us());
        let us = us.min(left);
        std::thread::sleep(std::time::Duration::from_micros(us));
    }
    fn read_line(&mut self) -> Vec<u8> {
        let mut line = Vec::new();
        if let Some(r) = self.stdin.as_mut() {
            let _ = r.read_until(b'\n', &mut line);
        }
        line
    }
    #[cfg(unix)]
    fn net(&mut self) -> Option<&mut dyn Net> {
        self.net.as_mut().map(|n| n as &mut dyn Net)
    }
}
