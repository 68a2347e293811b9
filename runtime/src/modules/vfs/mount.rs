//! MicroPython's mount table: which file system a path belongs to, the current
//! directory, and the file operations of `os` routed to the right file system.
//!
//! * An absolute path belongs to the mount with the longest matching mount point
//!   (a mount at `/` takes whatever no other mount claims); with nothing mounted at
//!   `/`, the path `/` itself is a virtual directory listing the mount points.
//! * A relative path belongs to the current file system (`os.chdir`); at the
//!   virtual root it is taken as absolute.
//! * The host's files and embedders' [`Vfs`]s get paths normalised against the
//!   mount's own current directory; Python objects get the path as MicroPython
//!   hands it to them (relative paths unchanged).

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{normalize, HostFs, Stat, StatVfs, Vfs, EEXIST, ENOENT, ENOTDIR, EPERM, EXDEV};
use crate::error::PyResult;
use crate::modules::errno::os_error;
use crate::modules::PathKind;
use crate::obj::Obj;
use crate::vm::Vm;

/// What serves a mount.
pub enum Backend {
    /// The host's files, with `root` put in front of every path (`vfs.VfsPosix(root)`).
    Host {
        /// Host directory the mount's `/` stands for (empty: the host's own root).
        root: String,
    },
    /// An embedder's or in-memory file system: an index into [`VfsState::natives`].
    Native(usize),
    /// A Python object with MicroPython's VFS methods.
    Py,
    /// A `vfs.VfsFat` object (the mount's `obj`) on a Python block device.
    Fat,
}

/// One mounted file system.
pub struct Mount {
    /// Where it is mounted (`/` or `/name`, no trailing `/`).
    pub point: String,
    /// What serves it.
    pub backend: Backend,
    /// The Python object that was mounted (NULL for embedder mounts).
    pub obj: Obj,
    /// The current directory inside it (host and native file systems), set on first use.
    pub cwd: Option<String>,
    /// Mounted read-only: changes fail with `EROFS`.
    pub readonly: bool,
}

/// The mount table and current directory of one VM.
pub struct VfsState {
    /// Mounted file systems.
    pub mounts: Vec<Mount>,
    /// Index of the current file system (`None`: the virtual root).
    pub cur: Option<usize>,
    /// Native file systems (`vfs.VfsMem()` objects and embedder mounts), by index.
    pub natives: Vec<Box<dyn Vfs + Send>>,
    /// `os.putenv`/`os.unsetenv` changes, seen by `os.getenv` before the host's environment.
    pub env: Vec<(String, Option<String>)>,
}

impl Default for VfsState {
    fn default() -> VfsState {
        VfsState::new()
    }
}

impl VfsState {
    /// The host's files mounted at `/`, which is also the current file system.
    pub fn new() -> VfsState {
        let host = Mount {
            point: String::from("/"),
            backend: Backend::Host { root: String::new() },
            obj: Obj::NULL,
            cwd: None,
            readonly: false,
        };
        VfsState { mounts: alloc::vec![host], cur: Some(0), natives: Vec::new(), env: Vec::new() }
    }

    /// Visits the mounted Python objects.
    pub fn trace(&self, visit: &mut dyn FnMut(Obj)) {
        for m in &self.mounts {
            if !m.obj.is_null() {
                visit(m.obj);
            }
        }
    }

    /// Where `path` goes.
    pub fn lookup(&self, path: &str) -> Target {
        let is_abs = path.starts_with('/');
        if !is_abs {
            if let Some(i) = self.cur {
                return Target::At(i, path.to_string());
            }
        }
        let rel = path.strip_prefix('/').unwrap_or(path);
        if rel.is_empty() {
            return Target::Root;
        }
        let mut best: Option<(usize, usize)> = None;
        for (i, m) in self.mounts.iter().enumerate() {
            let name = &m.point[1..];
            let len = if name.is_empty() {
                0
            } else if rel.starts_with(name) && matches!(rel.as_bytes().get(name.len()), None | Some(b'/')) {
                name.len()
            } else {
                continue;
            };
            if best.is_none_or(|(_, l)| len > l) {
                best = Some((i, len));
            }
        }
        match best {
            // The file system at `/` sees the path as given.
            Some((i, 0)) => Target::At(i, path.to_string()),
            Some((i, len)) => {
                let rest = &rel[len..];
                Target::At(i, if rest.is_empty() { String::from("/") } else { rest.to_string() })
            }
            None => Target::Missing,
        }
    }

    /// The index of the mount at `/`, if any.
    pub fn root_mount(&self) -> Option<usize> {
        self.mounts.iter().position(|m| m.point == "/")
    }

    /// The index of the mount at `point` (normalised).
    pub fn find_point(&self, point: &str) -> Option<usize> {
        self.mounts.iter().position(|m| m.point == point)
    }

    /// Removes mount `i`, keeping the current file system right.
    pub fn remove(&mut self, i: usize) -> Mount {
        self.cur = match self.cur {
            Some(c) if c == i => None,
            Some(c) if c > i => Some(c - 1),
            c => c,
        };
        self.mounts.remove(i)
    }
}

/// Where a path goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// The virtual root directory (nothing mounted at `/`).
    Root,
    /// No file system has it.
    Missing,
    /// Mount index and the path as the mount sees it.
    At(usize, String),
}

/// A mount point as stored (`/` or `/a/b`, no trailing `/`, `.`/`..` resolved).
pub fn normalize_point(vm: &mut Vm, point: &str) -> String {
    if point.starts_with('/') {
        normalize("/", point)
    } else {
        let cwd = getcwd_text(vm).unwrap_or_else(|_| String::from("/"));
        normalize(&cwd, point)
    }
}

/// Resolves `p` within host or native mount `i`: the mount's normalised path and
/// (for the host) the host path.
fn resolve(vm: &mut Vm, i: usize, p: &str) -> (String, String) {
    // A mounted `VfsPosix`/`VfsMem` object keeps its current directory itself.
    let obj = vm.st.sys.vfs.mounts[i].obj;
    if is_native_obj(vm, obj) {
        let c = vm.get(obj, 2);
        vm.st.sys.vfs.mounts[i].cwd = if c.is_null() { None } else { vm.str_text(c) };
    }
    let sys = &mut vm.st.sys;
    let m = &mut sys.vfs.mounts[i];
    if m.cwd.is_none() {
        m.cwd = Some(match &m.backend {
            Backend::Host { root } if root.is_empty() => sys.host.getcwd(),
            _ => String::from("/"),
        });
    }
    let inner = normalize(m.cwd.as_deref().unwrap_or("/"), p);
    let host = match &m.backend {
        Backend::Host { root } if !root.is_empty() => {
            if inner == "/" {
                root.clone()
            } else {
                alloc::format!("{}{inner}", root.trim_end_matches('/'))
            }
        }
        _ => inner.clone(),
    };
    (inner, host)
}

/// Runs `f` on host, native or FAT mount `i` with path `p` resolved (`None`
/// for a Python mount; an exception raised by a FAT mount's block device is raised).
fn with_fs<R>(vm: &mut Vm, i: usize, p: &str, f: impl FnOnce(&mut dyn Vfs, &str) -> R) -> PyResult<Option<R>> {
    let (_, host_path) = resolve(vm, i, p);
    let sys = &mut vm.st.sys;
    match sys.vfs.mounts[i].backend {
        Backend::Host { .. } => Ok(Some(f(&mut HostFs(&mut *sys.host), &host_path))),
        Backend::Native(n) => Ok(Some(f(&mut *sys.vfs.natives[n], &host_path))),
        Backend::Fat => {
            let o = sys.vfs.mounts[i].obj;
            crate::modules::vfsfat::with_fat(vm, o, |fs| f(fs, &host_path)).map(Some)
        }
        Backend::Py => Ok(None),
    }
}

/// True for `VfsPosix`, `VfsMem` and `VfsFat` objects.
pub fn is_native_obj(vm: &Vm, o: Obj) -> bool {
    use crate::types::ids;
    !o.is_null() && (vm.is_exact(o, ids::VFS_POSIX) || vm.is_exact(o, ids::VFS_MEM) || vm.is_exact(o, ids::VFS_FAT))
}

/// True when files at `path` are written through on every write (a FAT
/// volume: a full disk shows at the write, as in MicroPython).
pub fn write_through(vm: &Vm, path: &str) -> bool {
    match vm.st.sys.vfs.lookup(path) {
        Target::At(i, _) => match vm.st.sys.vfs.mounts[i].backend {
            Backend::Fat => true,
            Backend::Native(n) => vm.st.sys.vfs.natives[n].write_through(),
            _ => false,
        },
        _ => false,
    }
}

/// `OSError(EROFS)` if mount `i` is read-only.
fn check_writable(vm: &mut Vm, i: usize) -> PyResult<()> {
    if vm.st.sys.vfs.mounts[i].readonly {
        return Err(os_error(vm, super::EROFS));
    }
    Ok(())
}

/// `Ok` or `OSError(errno)`.
fn check<T>(vm: &mut Vm, r: Result<T, i32>) -> PyResult<T> {
    r.map_err(|e| os_error(vm, e))
}

fn target_or_err(vm: &mut Vm, path: &str) -> PyResult<(usize, String)> {
    // Files collected while holding unwritten data are written first.
    crate::modules::files::write_pending(vm);
    match vm.st.sys.vfs.lookup(path) {
        Target::At(i, p) => Ok((i, p)),
        Target::Root => Err(os_error(vm, EPERM)),
        Target::Missing => Err(os_error(vm, ENOENT)),
    }
}

fn py_obj(vm: &Vm, i: usize) -> Obj {
    vm.st.sys.vfs.mounts[i].obj
}

/// `os.stat(path)` as a 10-tuple.
pub fn stat(vm: &mut Vm, path: &str) -> PyResult<Obj> {
    let (i, p) = match vm.st.sys.vfs.lookup(path) {
        Target::Root => return stat_tuple(vm, &Stat::dir()),
        Target::Missing => return Err(os_error(vm, ENOENT)),
        Target::At(i, p) => (i, p),
    };
    match with_fs(vm, i, &p, |fs, p| fs.stat(p))? {
        Some(r) => {
            let st = check(vm, r)?;
            stat_tuple(vm, &st)
        }
        None => {
            let o = py_obj(vm, i);
            let a = vm.new_str(&p)?;
            super::pyfs::call(vm, o, "stat", &[a])
        }
    }
}

/// The `os.stat` tuple of `st`.
pub fn stat_tuple(vm: &mut Vm, st: &Stat) -> PyResult<Obj> {
    let fields = [
        st.mode as i64,
        st.ino as i64,
        st.dev as i64,
        st.nlink as i64,
        st.uid as i64,
        st.gid as i64,
        st.size as i64,
        st.atime,
        st.mtime,
        st.ctime,
    ];
    vm.with_temps(|vm| {
        let mut items = [Obj::NONE; 10];
        for (o, v) in items.iter_mut().zip(fields) {
            *o = vm.new_int(v)?;
            vm.root(*o);
        }
        vm.new_tuple(&items)
    })
}

/// What `path` names, for `import` (errors read as missing).
pub fn kind(vm: &mut Vm, path: &str) -> PathKind {
    let Target::At(i, p) = vm.st.sys.vfs.lookup(path) else {
        return if path == "/" { PathKind::Dir } else { PathKind::Missing };
    };
    let mode = match with_fs(vm, i, &p, |fs, p| fs.stat(p)) {
        Ok(Some(Ok(st))) => st.mode,
        Ok(Some(Err(_))) | Err(_) => return PathKind::Missing,
        Ok(None) => {
            let o = py_obj(vm, i);
            let r = vm.with_temps(|vm| {
                let a = vm.new_str(&p)?;
                vm.root(a);
                let t = super::pyfs::call(vm, o, "stat", &[a])?;
                let first = vm.tuple_items(t).first().copied().unwrap_or(Obj::NONE);
                vm.expect_int(first)
            });
            match r {
                Ok(m) => m as u32,
                Err(_) => return PathKind::Missing,
            }
        }
    };
    if mode & 0xf000 == super::S_IFDIR {
        PathKind::Dir
    } else {
        PathKind::File
    }
}

/// The names of the mount points directly under `/` (other than `/` itself).
fn mount_names(vm: &Vm) -> Vec<String> {
    vm.st.sys.vfs.mounts.iter().filter(|m| m.point != "/").map(|m| m.point[1..].to_string()).collect()
}

/// `os.ilistdir(path)`: an iterator of `(name, type, inode[, size])` tuples;
/// the names are `bytes` when `bytes_names` (the path was given as bytes).
pub fn ilistdir(vm: &mut Vm, path: &str, bytes_names: bool) -> PyResult<Obj> {
    vm.with_temps(|vm| {
        let list = vm.new_list(&[])?;
        vm.root(list);
        let (i, p) = match vm.st.sys.vfs.lookup(path) {
            Target::Root => match vm.st.sys.vfs.root_mount() {
                Some(i) => (i, String::from("/")),
                None => {
                    add_mount_names(vm, list)?;
                    return vm.get_iter(list);
                }
            },
            Target::Missing => return Err(os_error(vm, ENOENT)),
            Target::At(i, p) => (i, p),
        };
        let at_root = vm.st.sys.vfs.mounts[i].point == "/";
        match with_fs(vm, i, &p, |fs, p| fs.list_dir(p).map(|l| (l, p == "/")))? {
            Some(r) => {
                let (entries, is_root) = check(vm, r)?;
                if at_root && is_root {
                    add_mount_names(vm, list)?;
                }
                let native =
                    !matches!(vm.st.sys.vfs.mounts[i].backend, Backend::Host { .. }) || vm.st.sys.host.lists_sizes();
                for e in entries {
                    let name = if bytes_names { vm.new_bytes(e.name.as_bytes())? } else { vm.new_str(&e.name)? };
                    vm.root(name);
                    let kind = Obj::from_small_int(if e.is_dir { 0x4000 } else { 0x8000 }).unwrap_or(Obj::NONE);
                    let t = if native {
                        let size = vm.new_int(e.size as i64)?;
                        vm.root(size);
                        vm.new_tuple(&[name, kind, Obj::from_small_int(0).unwrap_or(Obj::NONE), size])?
                    } else {
                        let ino = vm.new_int(e.ino as i64)?;
                        vm.root(ino);
                        vm.new_tuple(&[name, kind, ino])?
                    };
                    vm.list_append(list, t)?;
                }
                vm.get_iter(list)
            }
            None => {
                let o = py_obj(vm, i);
                let a = vm.new_str(&p)?;
                vm.root(a);
                let it = super::pyfs::call(vm, o, "ilistdir", &[a])?;
                if at_root && p == "/" {
                    add_mount_names(vm, list)?;
                    for item in vm.collect_iterable(it)? {
                        vm.list_append(list, item)?;
                    }
                    return vm.get_iter(list);
                }
                vm.get_iter(it)
            }
        }
    })
}

fn add_mount_names(vm: &mut Vm, list: Obj) -> PyResult<()> {
    for n in mount_names(vm) {
        let name = vm.new_str(&n)?;
        vm.root(name);
        let kind = Obj::from_small_int(0x4000).unwrap_or(Obj::NONE);
        let t = vm.new_tuple(&[name, kind, Obj::from_small_int(0).unwrap_or(Obj::NONE)])?;
        vm.list_append(list, t)?;
    }
    Ok(())
}

/// Which single-path operation [`path_op`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathOp {
    /// `os.mkdir`.
    Mkdir,
    /// `os.rmdir`.
    Rmdir,
    /// `os.remove`.
    Remove,
}

/// `os.mkdir`, `os.rmdir`, `os.remove`.
pub fn path_op(vm: &mut Vm, op: PathOp, path: &str) -> PyResult<()> {
    let (i, p) = match vm.st.sys.vfs.lookup(path) {
        Target::Root if op == PathOp::Mkdir => return Err(os_error(vm, EEXIST)),
        _ => target_or_err(vm, path)?,
    };
    let is_point = vm.st.sys.vfs.mounts[i].point != "/" && {
        let (inner, _) = resolve(vm, i, &p);
        inner == "/" && (p.starts_with('/') || !matches!(vm.st.sys.vfs.mounts[i].backend, Backend::Py))
    };
    if is_point {
        // The mount point itself.
        return Err(os_error(vm, if op == PathOp::Mkdir { EEXIST } else { EPERM }));
    }
    check_writable(vm, i)?;
    let r = with_fs(vm, i, &p, |fs, p| match op {
        PathOp::Mkdir => fs.mkdir(p),
        PathOp::Rmdir => fs.rmdir(p),
        PathOp::Remove => fs.remove(p),
    })?;
    match r {
        Some(r) => check(vm, r),
        None => {
            let o = py_obj(vm, i);
            let name = match op {
                PathOp::Mkdir => "mkdir",
                PathOp::Rmdir => "rmdir",
                PathOp::Remove => "remove",
            };
            let a = vm.new_str(&p)?;
            super::pyfs::call(vm, o, name, &[a]).map(|_| ())
        }
    }
}

/// `os.rename(old, new)` (both on one file system, else `EXDEV`).
pub fn rename(vm: &mut Vm, from: &str, to: &str) -> PyResult<()> {
    let (i, a) = target_or_err(vm, from)?;
    let (j, b) = target_or_err(vm, to)?;
    if i != j {
        return Err(os_error(vm, EXDEV));
    }
    check_writable(vm, i)?;
    let (_, hb) = resolve(vm, j, &b);
    match with_fs(vm, i, &a, |fs, ha| fs.rename(ha, &hb))? {
        Some(r) => check(vm, r),
        None => {
            let o = py_obj(vm, i);
            vm.with_temps(|vm| {
                let x = vm.new_str(&a)?;
                vm.root(x);
                let y = vm.new_str(&b)?;
                vm.root(y);
                super::pyfs::call(vm, o, "rename", &[x, y]).map(|_| ())
            })
        }
    }
}

/// `os.chdir(path)`.
pub fn chdir(vm: &mut Vm, path: &str) -> PyResult<()> {
    let (i, p) = match vm.st.sys.vfs.lookup(path) {
        Target::Root => {
            // The file system at `/` (if any) starts relative paths at its root from now on.
            if let Some(i) = vm.st.sys.vfs.root_mount() {
                chdir_in(vm, i, "/")?;
            }
            vm.st.sys.vfs.cur = None;
            return Ok(());
        }
        Target::Missing => return Err(os_error(vm, ENOENT)),
        Target::At(i, p) => (i, p),
    };
    chdir_in(vm, i, &p)?;
    vm.st.sys.vfs.cur = Some(i);
    Ok(())
}

/// Changes the current directory inside mount `i`.
fn chdir_in(vm: &mut Vm, i: usize, p: &str) -> PyResult<()> {
    match with_fs(vm, i, p, |fs, p| fs.stat(p))? {
        Some(r) => {
            let st = check(vm, r)?;
            if !st.is_dir() {
                // FatFs reports a file as a missing path.
                let fat = matches!(vm.st.sys.vfs.mounts[i].backend, Backend::Fat);
                return Err(os_error(vm, if fat { ENOENT } else { ENOTDIR }));
            }
            let (inner, _) = resolve(vm, i, p);
            let obj = vm.st.sys.vfs.mounts[i].obj;
            if is_native_obj(vm, obj) {
                let s = vm.new_str(&inner)?;
                vm.set(obj, 2, s);
            }
            vm.st.sys.vfs.mounts[i].cwd = Some(inner);
        }
        None => {
            let o = py_obj(vm, i);
            let a = vm.new_str(p)?;
            super::pyfs::call(vm, o, "chdir", &[a])?;
        }
    }
    Ok(())
}

/// The current directory as text.
pub fn getcwd_text(vm: &mut Vm) -> PyResult<String> {
    let Some(i) = vm.st.sys.vfs.cur else { return Ok(String::from("/")) };
    let inner = match vm.st.sys.vfs.mounts[i].backend {
        Backend::Py => {
            let o = py_obj(vm, i);
            let r = super::pyfs::call(vm, o, "getcwd", &[])?;
            vm.expect_str(r)?
        }
        _ => {
            // The directory may have been removed under us (ENOENT, as the OS says).
            if let Some(Err(e)) = with_fs(vm, i, "", |fs, p| fs.stat(p))? {
                return Err(os_error(vm, e));
            }
            resolve(vm, i, "").0
        }
    };
    let point = &vm.st.sys.vfs.mounts[i].point;
    Ok(if point == "/" {
        inner
    } else if inner == "/" {
        point.clone()
    } else {
        alloc::format!("{point}{inner}")
    })
}

/// `os.statvfs(path)` as a 10-tuple (a Python file system's own answer as it is).
pub fn statvfs(vm: &mut Vm, path: &str) -> PyResult<Obj> {
    let (i, p) = match vm.st.sys.vfs.lookup(path) {
        Target::Root => match vm.st.sys.vfs.root_mount() {
            Some(i) => (i, String::from("/")),
            None => return statvfs_tuple(vm, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 255]),
        },
        _ => target_or_err(vm, path)?,
    };
    match with_fs(vm, i, &p, |fs, p| fs.statvfs(p))? {
        Some(r) => {
            let s = check(vm, r)?;
            statvfs_tuple(vm, &s)
        }
        None => {
            let o = py_obj(vm, i);
            let a = vm.new_str(&p)?;
            super::pyfs::call(vm, o, "statvfs", &[a])
        }
    }
}

fn statvfs_tuple(vm: &mut Vm, s: &StatVfs) -> PyResult<Obj> {
    vm.with_temps(|vm| {
        let mut items = [Obj::NONE; 10];
        for (o, &v) in items.iter_mut().zip(s) {
            *o = vm.new_uint(v)?;
            vm.root(*o);
        }
        vm.new_tuple(&items)
    })
}

/// Where `open(path)` finds its file.
pub enum OpenTarget {
    /// A Python file system's `open` returned this object.
    Py(Obj),
    /// A host or native file: its absolute path in the mount table.
    Local(String),
}

/// Resolves `path` for `open(path, mode)`.
pub fn open(vm: &mut Vm, path: &str, mode: &str) -> PyResult<OpenTarget> {
    let (i, p) = target_or_err(vm, path)?;
    if mode.contains(['w', 'a', '+', 'x']) {
        check_writable(vm, i)?;
    }
    if let Backend::Py = vm.st.sys.vfs.mounts[i].backend {
        let o = py_obj(vm, i);
        return vm.with_temps(|vm| {
            let a = vm.new_str(&p)?;
            vm.root(a);
            let m = vm.new_str(mode)?;
            vm.root(m);
            super::pyfs::call(vm, o, "open", &[a, m]).map(OpenTarget::Py)
        });
    }
    let (inner, _) = resolve(vm, i, &p);
    let point = &vm.st.sys.vfs.mounts[i].point;
    Ok(OpenTarget::Local(if point == "/" {
        inner
    } else if inner == "/" {
        point.clone()
    } else {
        alloc::format!("{point}{inner}")
    }))
}

/// The contents of file `path` (a Python file system's file is opened and read).
pub fn read_file(vm: &mut Vm, path: &str) -> PyResult<Vec<u8>> {
    let (i, p) = target_or_err(vm, path)?;
    match with_fs(vm, i, &p, |fs, p| fs.read_file(p))? {
        Some(r) => check(vm, r),
        None => vm.with_temps(|vm| {
            let o = py_obj(vm, i);
            let a = vm.new_str(&p)?;
            vm.root(a);
            let m = vm.new_str("rb")?;
            vm.root(m);
            let f = super::pyfs::call(vm, o, "open", &[a, m])?;
            vm.root(f);
            super::pyfs::read_all(vm, f)
        }),
    }
}

/// Writes file `path` on a host or native file system.
pub fn write_file(vm: &mut Vm, path: &str, data: &[u8], append: bool) -> PyResult<()> {
    let (i, p) = target_or_err(vm, path)?;
    check_writable(vm, i)?;
    match with_fs(vm, i, &p, |fs, p| fs.write_file(p, data, append))? {
        Some(r) => check(vm, r),
        None => Err(os_error(vm, super::EOPNOTSUPP)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(points: &[&str]) -> VfsState {
        let mut s = VfsState::new();
        s.mounts.clear();
        for p in points {
            s.mounts.push(Mount {
                point: p.to_string(),
                backend: Backend::Py,
                obj: Obj::NULL,
                cwd: None,
                readonly: false,
            });
        }
        s.cur = None;
        s
    }

    #[test]
    fn lookup_picks_longest_mount() {
        let s = state(&["/", "/mnt", "/mnt2"]);
        assert_eq!(s.lookup("/mnt"), Target::At(1, "/".into()));
        assert_eq!(s.lookup("/mnt/a/"), Target::At(1, "/a/".into()));
        assert_eq!(s.lookup("/mnt2/b"), Target::At(2, "/b".into()));
        assert_eq!(s.lookup("/mntx"), Target::At(0, "/mntx".into()));
        assert_eq!(s.lookup("mnt"), Target::At(1, "/".into()));
        assert_eq!(s.lookup("x/y"), Target::At(0, "x/y".into()));
        assert_eq!(s.lookup("/"), Target::Root);
    }

    #[test]
    fn lookup_without_root_mount() {
        let mut s = state(&["/m"]);
        assert_eq!(s.lookup("/"), Target::Root);
        assert_eq!(s.lookup(""), Target::Root);
        assert_eq!(s.lookup("/x"), Target::Missing);
        s.cur = Some(0);
        assert_eq!(s.lookup("x"), Target::At(0, "x".into()));
        assert_eq!(s.remove(0).point, "/m");
        assert_eq!(s.cur, None);
    }
}
