//! The virtual file system layer behind `os`, `vfs`, `open` and `import`.
//!
//! * [`Vfs`] is the trait an embedder implements to back a file system with its
//!   own storage (a block device driver, flash, a network share); [`MemVfs`] is
//!   an in-memory implementation (`vfs.VfsMem()` from Python). Paths handed to a
//!   `Vfs` are always absolute within it (`/`, `/dir/file`), already normalised.
//! * The [`Host`](super::Host)'s files are one more file system
//!   (the first mount, at `/`, like the unix port's `VfsPosix`).
//! * [`mount`] keeps MicroPython's mount table: mount points, the current
//!   directory, and which file system a path belongs to; Python objects with
//!   MicroPython's VFS methods (`ilistdir`, `stat`, `open`, ...) can be mounted too.
//! * [`fat`] is a FAT12/16/32 file system over a block device ([`fat::BlockDevice`]):
//!   `vfs.VfsFat` on MicroPython's Python block-device protocol, or
//!   [`fat::FatVfs`] on an embedder's own storage.
//! * Errors are errno values (`OSError(errno)` in Python).

pub mod fat;
pub mod mem;
pub mod mount;
pub mod pyfs;

use alloc::string::String;
use alloc::vec::Vec;

pub use mem::MemVfs;
pub use mount::{Backend, Mount, VfsState};

/// `ENOENT`: no such file or directory.
pub const ENOENT: i32 = 2;
/// `EIO`: input/output error.
pub const EIO: i32 = 5;
/// `EEXIST`: the file exists.
pub const EEXIST: i32 = 17;
/// `EXDEV`: a rename across file systems.
pub const EXDEV: i32 = 18;
/// `ENODEV`: no file system there.
pub const ENODEV: i32 = 19;
/// `ENOTDIR`: not a directory.
pub const ENOTDIR: i32 = 20;
/// `EISDIR`: is a directory.
pub const EISDIR: i32 = 21;
/// `EINVAL`: invalid argument.
pub const EINVAL: i32 = 22;
/// `EPERM`: operation not permitted.
pub const EPERM: i32 = 1;
/// `EACCES`: permission denied.
pub const EACCES: i32 = 13;
/// `ENOSPC`: no space left on the device.
pub const ENOSPC: i32 = 28;
/// `EROFS`: read-only file system.
pub const EROFS: i32 = 30;
/// `ENOTEMPTY`: directory not empty.
pub const ENOTEMPTY: i32 = 39;
/// `EOPNOTSUPP`: operation not supported.
pub const EOPNOTSUPP: i32 = 95;

/// `st_mode` bits of a directory.
pub const S_IFDIR: u32 = 0x4000;
/// `st_mode` bits of a regular file.
pub const S_IFREG: u32 = 0x8000;

/// What `os.stat` reports (the ten fields of its tuple).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    /// Type and permission bits (`S_IFDIR`/`S_IFREG` | mode).
    pub mode: u32,
    /// Inode number (0 when the file system has none).
    pub ino: u64,
    /// Device.
    pub dev: u64,
    /// Link count.
    pub nlink: u64,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// Access time (seconds since the epoch).
    pub atime: i64,
    /// Modification time.
    pub mtime: i64,
    /// Status-change time.
    pub ctime: i64,
}

impl Stat {
    /// A directory with no other details.
    pub fn dir() -> Stat {
        Stat { mode: S_IFDIR, ..Stat::default() }
    }
    /// A regular file of `size` bytes.
    pub fn file(size: u64) -> Stat {
        Stat { mode: S_IFREG, size, ..Stat::default() }
    }
    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        self.mode & 0xf000 == S_IFDIR
    }
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The name (no path).
    pub name: String,
    /// True for a directory.
    pub is_dir: bool,
    /// Inode number (0 when unknown).
    pub ino: u64,
    /// Size in bytes (files).
    pub size: u64,
}

/// `os.statvfs` fields: bsize, frsize, blocks, bfree, bavail, files, ffree, favail, flag, namemax.
pub type StatVfs = [u64; 10];

/// A file system an embedder provides (mounted with [`crate::vm::Vm::mount`] or
/// from Python with `vfs.mount`). Paths are absolute within the file system and
/// normalised (no `.`/`..`, no trailing `/`); errors are errno values.
/// Mounted file systems must also be `Send` (the VM may move between threads).
pub trait Vfs {
    /// Details of `path`.
    fn stat(&mut self, path: &str) -> Result<Stat, i32>;
    /// The entries of directory `path`.
    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32>;
    /// Creates directory `path`.
    fn mkdir(&mut self, path: &str) -> Result<(), i32>;
    /// Removes empty directory `path`.
    fn rmdir(&mut self, path: &str) -> Result<(), i32>;
    /// Removes file `path`.
    fn remove(&mut self, path: &str) -> Result<(), i32>;
    /// Renames `from` to `to` (replacing a file `to`).
    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32>;
    /// The contents of file `path`.
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32>;
    /// Replaces (or appends to) file `path`, creating it.
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32>;
    /// File-system statistics.
    fn statvfs(&mut self, _path: &str) -> Result<StatVfs, i32> {
        Err(EOPNOTSUPP)
    }
    /// True when open files should be written back on every write rather than
    /// on flush and close (so a full volume fails the write itself).
    fn write_through(&self) -> bool {
        false
    }
}

/// The [`Host`](super::Host)'s files seen as a [`Vfs`] (paths are host paths).
pub struct HostFs<'a>(pub &'a mut dyn super::Host);

impl Vfs for HostFs<'_> {
    fn stat(&mut self, path: &str) -> Result<Stat, i32> {
        self.0.stat_path(path)
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        self.0.list_dir(path)
    }
    fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        self.0.mkdir(path)
    }
    fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        self.0.rmdir(path)
    }
    fn remove(&mut self, path: &str) -> Result<(), i32> {
        self.0.remove(path)
    }
    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        self.0.rename(from, to)
    }
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        self.0.read_file(path)
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        self.0.write_file(path, data, append)
    }
    fn statvfs(&mut self, path: &str) -> Result<StatVfs, i32> {
        self.0.statvfs(path)
    }
}

/// `path` made absolute against `cwd` (itself absolute) with `.` and `..`
/// resolved and repeated or trailing `/` removed.
pub fn normalize(cwd: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let full_iter = if path.starts_with('/') { "".split('/') } else { cwd.split('/') };
    for p in full_iter.chain(path.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = String::new();
    for p in &parts {
        out.push('/');
        out.push_str(p);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("/", ""), "/");
        assert_eq!(normalize("/a/b", "c"), "/a/b/c");
        assert_eq!(normalize("/a/b", "../c/./d/"), "/a/c/d");
        assert_eq!(normalize("/a", "/x//y"), "/x/y");
        assert_eq!(normalize("/", "../.."), "/");
    }
}
