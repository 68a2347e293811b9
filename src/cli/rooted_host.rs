//! The host services of a served VM: files under a root directory (as a
//! board's file system: `/` and relative paths both name the root; `..` never
//! leaves it), clocks, and `input()` from the connected client.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use ferropy_runtime::modules::host::{Host, PathKind};

use super::link::Link;

/// Files under `root`; standard input from the client.
pub struct RootedHost {
    root: PathBuf,
    link: Arc<Link>,
    start: Instant,
}

impl RootedHost {
    /// A host whose file system is `root`.
    pub fn new(root: PathBuf, link: Arc<Link>) -> RootedHost {
        RootedHost { root, link, start: Instant::now() }
    }

    /// The host path for a VM path: components resolved lexically, `..` stops at
    /// the root.
    pub fn resolve(&self, path: &str) -> PathBuf {
        resolve(&self.root, path)
    }
}

/// `path` (as the VM names it) under `root`.
pub fn resolve(root: &Path, path: &str) -> PathBuf {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = root.to_path_buf();
    out.extend(parts);
    out
}

fn errno(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(5)
}

impl Host for RootedHost {
    fn stat(&mut self, path: &str) -> PathKind {
        match std::fs::metadata(self.resolve(path)) {
            Ok(m) if m.is_dir() => PathKind::Dir,
            Ok(_) => PathKind::File,
            Err(_) => PathKind::Missing,
        }
    }

    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        std::fs::read(self.resolve(path)).map_err(errno)
    }

    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        use std::io::Write;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(self.resolve(path));
        f.and_then(|mut f| f.write_all(data)).map_err(errno)
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
        self.link.read_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_under_the_root() {
        let root = Path::new("/srv/board");
        assert_eq!(resolve(root, "main.py"), root.join("main.py"));
        assert_eq!(resolve(root, "/lib/x.py"), root.join("lib/x.py"));
        assert_eq!(resolve(root, "../../etc/passwd"), root.join("etc/passwd"));
        assert_eq!(resolve(root, "a/../../b"), root.join("b"));
        assert_eq!(resolve(root, ""), root.to_path_buf());
        assert_eq!(resolve(root, "/"), root.to_path_buf());
    }
}
