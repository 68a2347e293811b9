//! The methods of `VfsPosix` and `VfsMem` objects (MicroPython's VFS protocol:
//! `mount`, `umount`, `ilistdir`, `chdir`, `getcwd`, `mkdir`, `remove`,
//! `rename`, `rmdir`, `stat`, `statvfs`, `open`), usable without mounting.
//! Paths are relative to the object's own current directory (slot 2).

use alloc::string::String;

use super::errno::os_error;
use super::vfs::{normalize, HostFs, Vfs};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method};
use crate::vm::Vm;

/// The methods of `VfsFat`: those of `VfsPosix` and `VfsMem`
/// ([`VFS_OBJ_METHODS`]), then the static `mkfs`.
pub static VFS_FAT_METHODS: [Method; 13] = [
    Method::new("mount", noop),
    Method::new("umount", noop),
    Method::new("ilistdir", ilistdir),
    Method::new("chdir", chdir),
    Method::new("getcwd", getcwd),
    Method::new("mkdir", mkdir),
    Method::new("remove", remove),
    Method::new("rename", rename),
    Method::new("rmdir", rmdir),
    Method::new("stat", stat),
    Method::new("statvfs", statvfs),
    Method::new("open", open),
    Method::new_static("mkfs", super::vfsfat::mkfs),
];

/// The methods shared by `VfsPosix` and `VfsMem`: `VfsFat`'s without `mkfs`.
pub static VFS_OBJ_METHODS: &[Method] = VFS_FAT_METHODS.split_at(12).0;

fn noop(_vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn this(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let o = crate::builtins::arg(vm, args, 0)?;
    if !super::vfs::mount::is_native_obj(vm, o) {
        return Err(vm.type_error("VfsPosix, VfsFat or VfsMem expected"));
    }
    Ok(o)
}

fn posix_root(vm: &Vm, o: Obj) -> Option<String> {
    if vm.is_exact(o, ids::VFS_POSIX) {
        Some(vm.str_text(vm.get(o, 1)).unwrap_or_default())
    } else {
        None
    }
}

/// (path inside the object, path for its storage) of `p`.
fn resolve(vm: &mut Vm, o: Obj, p: &str) -> (String, String) {
    let root = posix_root(vm, o);
    let c = vm.get(o, 2);
    let cwd = match (c.is_null(), &root) {
        (false, _) => vm.str_text(c).unwrap_or_else(|| String::from("/")),
        (true, Some(r)) if r.is_empty() => vm.st.sys.host.getcwd(),
        _ => String::from("/"),
    };
    let inner = normalize(&cwd, p);
    let storage = match root {
        Some(r) if !r.is_empty() => {
            if inner == "/" {
                r
            } else {
                alloc::format!("{}{inner}", r.trim_end_matches('/'))
            }
        }
        _ => inner.clone(),
    };
    (inner, storage)
}

fn with_obj<R>(vm: &mut Vm, o: Obj, p: &str, f: impl FnOnce(&mut dyn Vfs, &str) -> Result<R, i32>) -> PyResult<R> {
    let (_, path) = resolve(vm, o, p);
    let r = if vm.is_exact(o, ids::VFS_FAT) {
        super::vfsfat::with_fat(vm, o, |fs| f(fs, &path))?
    } else if vm.is_exact(o, ids::VFS_POSIX) {
        f(&mut HostFs(&mut *vm.st.sys.host), &path)
    } else {
        let slot = vm.get(o, 1).small_int_value().unwrap_or(0) as usize;
        match vm.st.sys.vfs.natives.get_mut(slot) {
            Some(fs) => f(&mut **fs, &path),
            None => Err(super::vfs::ENODEV),
        }
    };
    r.map_err(|e| os_error(vm, e))
}

fn path(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<String> {
    let p = crate::builtins::arg(vm, args, i)?;
    vm.expect_path(p)
}

fn ilistdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let bytes_names = args.get(1).is_some_and(|&p| vm.is_exact(p, ids::BYTES));
    let p = match args.get(1) {
        Some(&p) => vm.expect_path(p)?,
        None => String::new(),
    };
    let entries = with_obj(vm, o, &p, |fs, p| fs.list_dir(p))?;
    let posix = vm.is_exact(o, ids::VFS_POSIX);
    vm.with_temps(|vm| {
        let l = vm.new_list(&[])?;
        vm.root(l);
        for e in entries {
            let name = if bytes_names { vm.new_bytes(e.name.as_bytes())? } else { vm.new_str(&e.name)? };
            vm.root(name);
            let kind = Obj::from_small_int(if e.is_dir { 0x4000 } else { 0x8000 }).unwrap_or(Obj::NONE);
            let t = if posix {
                let ino = vm.new_int(e.ino as i64)?;
                vm.new_tuple(&[name, kind, ino])?
            } else {
                let size = vm.new_int(e.size as i64)?;
                vm.new_tuple(&[name, kind, Obj::from_small_int(0).unwrap_or(Obj::NONE), size])?
            };
            vm.list_append(l, t)?;
        }
        vm.get_iter(l)
    })
}

fn chdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let p = path(vm, args, 1)?;
    let st = with_obj(vm, o, &p, |fs, p| fs.stat(p))?;
    if !st.is_dir() {
        // FatFs reports a file as a missing path.
        let e = if vm.is_exact(o, ids::VFS_FAT) { super::vfs::ENOENT } else { super::vfs::ENOTDIR };
        return Err(os_error(vm, e));
    }
    let (inner, storage) = resolve(vm, o, &p);
    let s = vm.new_str(&inner)?;
    vm.set(o, 2, s);
    if vm.is_exact(o, ids::VFS_POSIX) {
        // A host directory change is the process's, as in MicroPython: the
        // host files mounted at `/` follow it.
        for m in vm.st.sys.vfs.mounts.iter_mut() {
            if matches!(&m.backend, super::vfs::Backend::Host { root } if root.is_empty()) {
                m.cwd = Some(storage.clone());
            }
        }
    }
    Ok(Obj::NONE)
}

fn getcwd(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let (inner, _) = resolve(vm, o, "");
    vm.new_str(&inner)
}

fn mkdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let p = path(vm, args, 1)?;
    with_obj(vm, o, &p, |fs, p| fs.mkdir(p))?;
    Ok(Obj::NONE)
}

fn remove(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let p = path(vm, args, 1)?;
    with_obj(vm, o, &p, |fs, p| fs.remove(p))?;
    Ok(Obj::NONE)
}

fn rmdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let p = path(vm, args, 1)?;
    with_obj(vm, o, &p, |fs, p| fs.rmdir(p))?;
    Ok(Obj::NONE)
}

fn rename(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let a = path(vm, args, 1)?;
    let b = path(vm, args, 2)?;
    let (_, to) = resolve(vm, o, &b);
    with_obj(vm, o, &a, |fs, from| fs.rename(from, &to))?;
    Ok(Obj::NONE)
}

fn stat(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let p = path(vm, args, 1)?;
    let st = with_obj(vm, o, &p, |fs, p| fs.stat(p))?;
    super::vfs::mount::stat_tuple(vm, &st)
}

fn statvfs(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let p = path(vm, args, 1)?;
    let s = with_obj(vm, o, &p, |fs, p| fs.statvfs(p))?;
    vm.with_temps(|vm| {
        let mut items = [Obj::NONE; 10];
        for (o, &v) in items.iter_mut().zip(&s) {
            *o = vm.new_uint(v)?;
            vm.root(*o);
        }
        vm.new_tuple(&items)
    })
}

/// `open(path, mode)`: a file of the host (`VfsPosix`), of a `VfsFat` (mounted
/// or not) or of a mounted `VfsMem` (through its mount point); an unmounted
/// `VfsMem` has no files to open.
fn open(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = this(vm, args)?;
    let p = path(vm, args, 1)?;
    let mode = args.get(2).copied().unwrap_or(Obj::NONE);
    let (inner, storage) = resolve(vm, o, &p);
    if vm.is_exact(o, ids::VFS_FAT) {
        let m = if mode == Obj::NONE { String::from("r") } else { vm.expect_str(mode)? };
        return super::io::open_in(vm, o, &inner, &m);
    }
    let global = if vm.is_exact(o, ids::VFS_POSIX) {
        storage
    } else {
        let point = vm.st.sys.vfs.mounts.iter().find(|m| m.obj == o).map(|m| m.point.clone());
        match point {
            Some(pt) if pt == "/" => inner,
            Some(pt) => alloc::format!("{pt}{inner}"),
            None => return Err(os_error(vm, super::vfs::ENODEV)),
        }
    };
    let g = vm.new_str(&global)?;
    vm.root(g);
    let mut a = alloc::vec![g];
    if mode != Obj::NONE {
        a.push(mode);
    }
    super::io::open(vm, &a, &[])
}

/// The contents of file `p` (absolute within the object) of file-system object `o`.
pub fn read_file(vm: &mut Vm, o: Obj, p: &str) -> PyResult<alloc::vec::Vec<u8>> {
    with_obj(vm, o, p, |fs, p| fs.read_file(p))
}

/// Writes file `p` of file-system object `o`.
pub fn write_file(vm: &mut Vm, o: Obj, p: &str, data: &[u8], append: bool) -> PyResult<()> {
    with_obj(vm, o, p, |fs, p| fs.write_file(p, data, append))
}
