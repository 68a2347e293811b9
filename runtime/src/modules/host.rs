//! The [`Host`] trait: the outside world as the runtime sees it (the runtime is
//! `no_std`). [`NoHost`] has no files and a stopped clock; [`StdHost`] (with the
//! `std` feature) uses `std::fs`, `std::time` and standard input.

use alloc::vec::Vec;

/// What a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// Nothing there.
    Missing,
    /// A regular file.
    File,
    /// A directory.
    Dir,
}

/// Host services used by `import`, `open`, `time` and `sys.stdin` (`Send`, so
/// the VM can move between threads).
pub trait Host: Send {
    /// What `path` names.
    fn stat(&mut self, _path: &str) -> PathKind {
        PathKind::Missing
    }
    /// The contents of file `path`, or an errno value.
    fn read_file(&mut self, _path: &str) -> Result<Vec<u8>, i32> {
        Err(2)
    }
    /// Writes (replaces or appends to) file `path`; an errno value on failure.
    fn write_file(&mut self, _path: &str, _data: &[u8], _append: bool) -> Result<(), i32> {
        Err(30)
    }
    /// Wall-clock time in nanoseconds since the Unix epoch.
    fn time_ns(&mut self) -> u64 {
        0
    }
    /// A monotonic clock in microseconds.
    fn ticks_us(&mut self) -> u64 {
        0
    }
    /// Sleeps this many microseconds.
    fn sleep_us(&mut self, _us: u64) {}
    /// One line of standard input including its newline (empty at end of input).
    fn read_line(&mut self) -> Vec<u8> {
        Vec::new()
    }
}

/// A host with no files and a clock stuck at 0.
#[derive(Debug, Default)]
pub struct NoHost;

impl Host for NoHost {}

/// The host services of a `std` process.
#[cfg(feature = "std")]
#[derive(Debug)]
pub struct StdHost {
    start: std::time::Instant,
}

#[cfg(feature = "std")]
impl StdHost {
    /// A host whose monotonic clock starts now.
    pub fn new() -> StdHost {
        StdHost { start: std::time::Instant::now() }
    }
}

#[cfg(feature = "std")]
impl Default for StdHost {
    fn default() -> StdHost {
        StdHost::new()
    }
}

#[cfg(feature = "std")]
impl Host for StdHost {
    fn stat(&mut self, path: &str) -> PathKind {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => PathKind::Dir,
            Ok(_) => PathKind::File,
            Err(_) => PathKind::Missing,
        }
    }
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        std::fs::read(path).map_err(|e| e.raw_os_error().unwrap_or(5))
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        use std::io::Write;
        let f = std::fs::OpenOptions::new().create(true).write(true).append(append).truncate(!append).open(path);
        f.and_then(|mut f| f.write_all(data)).map_err(|e| e.raw_os_error().unwrap_or(5))
    }
    fn time_ns(&mut self) -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
    }
    fn ticks_us(&mut self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }
    fn sleep_us(&mut self, us: u64) {
        std::thread::sleep(std::time::Duration::from_micros(us));
    }
    fn read_line(&mut self) -> Vec<u8> {
        use std::io::BufRead;
        let mut line = Vec::new();
        let _ = std::io::stdin().lock().read_until(b'\n', &mut line);
        line
    }
}
