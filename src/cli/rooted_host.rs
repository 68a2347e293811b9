//! The host services of a served VM: files under a root directory (as a
//! board's file system: `/` and relative paths both name the root; `..` never
//! leaves it), clocks, and `input()` from the connected client.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ferropy_runtime::modules::host::{Host, PathKind, StdHost};
use ferropy_runtime::modules::vfs::{DirEntry, Stat, StatVfs};

/// EPERM: removing the root directory.
const EPERM: i32 = 1;

use super::link::Link;

/// Files under `root`; standard input from the client.
pub struct RootedHost {
    root: PathBuf,
    link: Arc<Link>,
    /// The process's host services, given host paths.
    std: StdHost,
}

impl RootedHost {
    /// A host whose file system is `root`.
    pub fn new(root: PathBuf, link: Arc<Link>) -> RootedHost {
        RootedHost { root, link, std: StdHost::new() }
    }

    /// The host path for a VM path: components resolved lexically, `..` stops at
    /// the root.
    pub fn resolve(&self, path: &str) -> String {
        resolve(&self.root, path).to_string_lossy().into_owned()
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

impl Host for RootedHost {
    fn stat(&mut self, path: &str) -> PathKind {
        let p = self.resolve(path);
        self.std.stat(&p)
    }
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        let p = self.resolve(path);
        self.std.read_file(&p)
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        let p = self.resolve(path);
        self.std.write_file(&p, data, append)
    }
    fn stat_path(&mut self, path: &str) -> Result<Stat, i32> {
        let p = self.resolve(path);
        self.std.stat_path(&p)
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        let p = self.resolve(path);
        self.std.list_dir(&p)
    }
    fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        let p = self.resolve(path);
        self.std.mkdir(&p)
    }
    fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        let p = self.resolve(path);
        // The root itself stays.
        if Path::new(&p) == self.root {
            return Err(EPERM);
        }
        self.std.rmdir(&p)
    }
    fn remove(&mut self, path: &str) -> Result<(), i32> {
        let p = self.resolve(path);
        self.std.remove(&p)
    }
    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        let (f, t) = (self.resolve(from), self.resolve(to));
        self.std.rename(&f, &t)
    }
    fn statvfs(&mut self, path: &str) -> Result<StatVfs, i32> {
        let p = self.resolve(path);
        self.std.statvfs(&p)
    }
    /// The board's file system starts at its root.
    fn getcwd(&mut self) -> String {
        String::from("/")
    }
    fn getenv(&mut self, _name: &str) -> Option<String> {
        // A board has no environment; the server's is not shown to clients.
        None
    }
    fn urandom(&mut self, buf: &mut [u8]) {
        self.std.urandom(buf)
    }
    fn time_ns(&mut self) -> u64 {
        self.std.time_ns()
    }
    fn ticks_us(&mut self) -> u64 {
        self.std.ticks_us()
    }
    fn sleep_us(&mut self, us: u64) {
        self.std.sleep_us(us)
    }
    fn net(&mut self) -> Option<&mut dyn ferropy_runtime::modules::net::Net> {
        self.std.net()
    }
    fn read_line(&mut self) -> Vec<u8> {
        self.link.read_line()
    }
    fn read_stdin_raw(&mut self, max: usize) -> Vec<u8> {
        self.link.read_raw(max)
    }
    fn write_stdout_raw(&mut self, bytes: &[u8]) -> bool {
        self.link.write(bytes);
        true
    }
    fn lists_sizes(&self) -> bool {
        // A board lists sizes (`mpremote fs ls` shows them).
        true
    }
    fn set_interrupt_char(&mut self, c: i32) {
        self.link.set_interrupt_char(c);
    }
    fn stdin_ready(&mut self) -> bool {
        self.link.has_input()
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
