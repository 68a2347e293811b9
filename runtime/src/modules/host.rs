//! The [`Host`] trait: the outside world as the runtime sees it (the runtime is
//! `no_std`). [`NoHost`] has no files and a stopped clock; [`StdHost`] (with the
//! `std` feature) uses `std::fs`, `std::time` and standard input.

use alloc::string::String;
use alloc::vec::Vec;

use super::vfs::{DirEntry, Stat, StatVfs};

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

/// Host services used by `import`, `open`, `os`, `time` and `sys.stdin`
/// (`Send`, so the VM can move between threads). File operations return errno
/// values; the defaults describe a host without files.
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
    /// Details of `path` (`os.stat`); by default derived from [`Host::stat`].
    fn stat_path(&mut self, path: &str) -> Result<Stat, i32> {
        match self.stat(path) {
            PathKind::Missing => Err(2),
            PathKind::Dir => Ok(Stat::dir()),
            PathKind::File => Ok(Stat::file(0)),
        }
    }
    /// The entries of directory `path`.
    fn list_dir(&mut self, _path: &str) -> Result<Vec<DirEntry>, i32> {
        Err(2)
    }
    /// Creates directory `path`.
    fn mkdir(&mut self, _path: &str) -> Result<(), i32> {
        Err(30)
    }
    /// Removes empty directory `path`.
    fn rmdir(&mut self, _path: &str) -> Result<(), i32> {
        Err(30)
    }
    /// Removes file `path`.
    fn remove(&mut self, _path: &str) -> Result<(), i32> {
        Err(30)
    }
    /// Renames `from` to `to`.
    fn rename(&mut self, _from: &str, _to: &str) -> Result<(), i32> {
        Err(30)
    }
    /// File-system statistics for `path` (`os.statvfs`).
    fn statvfs(&mut self, _path: &str) -> Result<StatVfs, i32> {
        Err(95)
    }
    /// The directory relative paths start from (absolute).
    fn getcwd(&mut self) -> String {
        String::from("/")
    }
    /// An environment variable (`os.getenv`).
    fn getenv(&mut self, _name: &str) -> Option<String> {
        None
    }
    /// Fills `buf` with random bytes (`os.urandom`, `random.seed()`). The default
    /// mixes the clocks through a 64-bit generator: hosts with an entropy source
    /// should override it.
    fn urandom(&mut self, buf: &mut [u8]) {
        let mut x = self.time_ns() ^ self.ticks_us().rotate_left(32) ^ 0x9e37_79b9_7f4a_7c15;
        for b in buf.iter_mut() {
            // splitmix64
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            *b = (z ^ (z >> 31)) as u8;
        }
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
    /// Whether standard input has data (`select.poll`); the default says it
    /// always has, so a read may block.
    fn stdin_ready(&mut self) -> bool {
        true
    }
    /// One line of standard input including its newline (empty at end of input).
    fn read_line(&mut self) -> Vec<u8> {
        Vec::new()
    }
    /// Binary standard input (`sys.stdin.buffer.readinto`/`read`): waits for
    /// at least one byte and returns up to `max` bytes as they came, without
    /// any line-end translation (empty at end of input). The default reads a line.
    fn read_stdin_raw(&mut self, max: usize) -> Vec<u8> {
        let _ = max;
        self.read_line()
    }
    /// Binary standard output (`sys.stdout.buffer.write`): writes `bytes` as
    /// they are, bypassing the line-end translation a console may apply to
    /// program output, and returns true; the default returns false and the
    /// bytes go to the VM's output sink.
    fn write_stdout_raw(&mut self, bytes: &[u8]) -> bool {
        let _ = bytes;
        false
    }
    /// True if `os.ilistdir` on the host's files gives `(name, type, 0, size)`
    /// as a board's file system does, instead of the unix port's `(name, type,
    /// inode)` (the default).
    fn lists_sizes(&self) -> bool {
        false
    }
    /// After [`InterruptHandle::out_of_memory`](super::InterruptHandle::out_of_memory)
    /// and a collection: true if the host's memory is still short (the VM then
    /// raises `MemoryError`), false if the collection gave enough back. The
    /// default says it is still short.
    fn memory_low(&mut self) -> bool {
        true
    }
    /// `micropython.kbd_intr(c)`: the input character that interrupts running
    /// code (3 for Ctrl-C), or -1 for none, so binary data can pass through.
    fn set_interrupt_char(&mut self, c: i32) {
        let _ = c;
    }
    /// Sockets and polling of OS handles (`socket`, `select`); `None` (the
    /// default) means no network: `import socket` fails.
    fn net(&mut self) -> Option<&mut dyn super::net::Net> {
        None
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
    #[cfg(unix)]
    net: super::std_net::StdNet,
}

#[cfg(feature = "std")]
impl StdHost {
    /// A host whose monotonic clock starts now.
    pub fn new() -> StdHost {
        StdHost {
            start: std::time::Instant::now(),
            #[cfg(unix)]
            net: super::std_net::StdNet::new(),
        }
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
        std::fs::read(path).map_err(|e| errno_of(&e))
    }
    fn stat_path(&mut self, path: &str) -> Result<Stat, i32> {
        std::fs::metadata(path).map(|m| stat_of(&m)).map_err(|e| errno_of(&e))
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(if path.is_empty() { "." } else { path }).map_err(|e| errno_of(&e))? {
            let e = e.map_err(|e| errno_of(&e))?;
            let st = e.metadata().map(|m| stat_of(&m)).unwrap_or_default();
            let ft = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            out.push(DirEntry {
                name: e.file_name().to_string_lossy().into_owned(),
                is_dir: ft,
                ino: st.ino,
                size: st.size,
            });
        }
        Ok(out)
    }
    fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        std::fs::create_dir(path).map_err(|e| errno_of(&e))
    }
    fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        std::fs::remove_dir(path).map_err(|e| errno_of(&e))
    }
    fn remove(&mut self, path: &str) -> Result<(), i32> {
        std::fs::remove_file(path).map_err(|e| errno_of(&e))
    }
    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        std::fs::rename(from, to).map_err(|e| errno_of(&e))
    }
    fn statvfs(&mut self, path: &str) -> Result<StatVfs, i32> {
        // std has no statvfs: report the sizes that make sense without it.
        std::fs::metadata(path).map_err(|e| errno_of(&e))?;
        Ok([4096, 4096, 0, 0, 0, 0, 0, 0, 0, 255])
    }
    fn getcwd(&mut self) -> String {
        std::env::current_dir().map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| String::from("/"))
    }
    fn getenv(&mut self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    fn urandom(&mut self, buf: &mut [u8]) {
        use std::io::Read;
        let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(buf)).is_ok();
        if !ok {
            // No device: hash the clocks with the process's random hasher keys.
            use std::hash::{BuildHasher, Hasher};
            for (i, chunk) in buf.chunks_mut(8).enumerate() {
                let mut h = std::collections::hash_map::RandomState::new().build_hasher();
                h.write_u64(self.time_ns() ^ i as u64);
                chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
            }
        }
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        use std::io::Write;
        let f = std::fs::OpenOptions::new().create(true).write(true).append(append).truncate(!append).open(path);
        f.and_then(|mut f| f.write_all(data)).map_err(|e| errno_of(&e))
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
    fn read_stdin_raw(&mut self, max: usize) -> Vec<u8> {
        use std::io::Read;
        let mut buf = alloc::vec![0u8; max.clamp(1, 1 << 16)];
        let n = std::io::stdin().lock().read(&mut buf).unwrap_or(0);
        buf.truncate(n);
        buf
    }
    #[cfg(unix)]
    fn net(&mut self) -> Option<&mut dyn super::net::Net> {
        Some(&mut self.net)
    }
}

/// The errno of a `std::io::Error` (EIO when it has none).
#[cfg(feature = "std")]
fn errno_of(e: &std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(5)
}

/// `os.stat` fields of file metadata (the unix details where the platform has them).
#[cfg(feature = "std")]
fn stat_of(m: &std::fs::Metadata) -> Stat {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Stat {
            mode: m.mode(),
            ino: m.ino(),
            dev: m.dev(),
            nlink: m.nlink(),
            uid: m.uid(),
            gid: m.gid(),
            size: m.size(),
            atime: m.atime(),
            mtime: m.mtime(),
            ctime: m.ctime(),
        }
    }
    #[cfg(not(unix))]
    {
        let secs = |t: std::io::Result<std::time::SystemTime>| {
            t.ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64)
        };
        let mut st = if m.is_dir() { Stat::dir() } else { Stat::file(m.len()) };
        st.mode |= 0o644;
        st.atime = secs(m.accessed());
        st.mtime = secs(m.modified());
        st.ctime = st.mtime;
        st
    }
}
