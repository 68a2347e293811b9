//! The `os` module with MicroPython's API: files and directories (`listdir`,
//! `ilistdir`, `stat`, `statvfs`, `mkdir`, `rmdir`, `remove`/`unlink`,
//! `rename`, `getcwd`, `chdir`) through the mount table of [`super::vfs`],
//! `mount`/`umount`, `uname`, `urandom`, `getenv`/`putenv`/`unsetenv` and `sep`.

use alloc::string::String;
use alloc::vec;

use super::vfs::mount::{self as vfs, PathOp};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table.
pub static OS_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("os", ids::OBJECT) };

static FUNCS: [Method; 19] = [
    Method::new_static("chdir", chdir),
    Method::new_static("getcwd", getcwd),
    Method::new_static("listdir", listdir),
    Method::new_static("ilistdir", ilistdir),
    Method::new_static("mkdir", mkdir),
    Method::new_static("rmdir", rmdir),
    Method::new_static("remove", remove),
    Method::new_static("unlink", remove),
    Method::new_static("rename", rename),
    Method::new_static("stat", stat),
    Method::new_static("statvfs", statvfs),
    Method::new_static("urandom", urandom),
    Method::new_static("getenv", getenv),
    Method::new_static("putenv", putenv),
    Method::new_static("unsetenv", unsetenv),
    Method::new_static("uname", uname),
    Method::new_static("sync", sync),
    Method::new_static("mount", mount),
    Method::new_static("umount", umount),
];

/// Builds the `os` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let sep = vm.new_str("/")?;
    vm.root(sep);
    let extra = [
        ("sep", sep),
        ("VfsPosix", crate::types::type_obj(ids::VFS_POSIX)),
        ("VfsMem", crate::types::type_obj(ids::VFS_MEM)),
    ];
    super::make_module(vm, "os", ids::OS_FUNCS, &extra)
}

/// Path argument `i` (default `dflt` when absent).
fn path_arg(vm: &mut Vm, args: &[Obj], i: usize, dflt: Option<&str>) -> PyResult<String> {
    match (args.get(i), dflt) {
        (Some(&p), _) => vm.expect_path(p),
        (None, Some(d)) => Ok(String::from(d)),
        (None, None) => Err(vm.type_error("function missing required positional argument")),
    }
}

fn chdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, None)?;
    vfs::chdir(vm, &p)?;
    Ok(Obj::NONE)
}

fn getcwd(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let cwd = vfs::getcwd_text(vm)?;
    vm.new_str(&cwd)
}

fn ilistdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, Some(""))?;
    let bytes_names = args.first().is_some_and(|&p| vm.is_exact(p, ids::BYTES));
    vfs::ilistdir(vm, &p, bytes_names)
}

fn listdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, Some(""))?;
    let bytes_names = args.first().is_some_and(|&p| vm.is_exact(p, ids::BYTES));
    vm.with_temps(|vm| {
        let it = vfs::ilistdir(vm, &p, bytes_names)?;
        vm.root(it);
        let out = vm.new_list(&[])?;
        vm.root(out);
        loop {
            let item = vm.iter_next(it)?;
            if item == Obj::STOP_ITERATION {
                return Ok(out);
            }
            let zero = Obj::from_small_int(0).unwrap_or(Obj::NONE);
            let name = vm.subscr(item, zero, Obj::SENTINEL)?;
            vm.list_append(out, name)?;
        }
    })
}

fn mkdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, None)?;
    vfs::path_op(vm, PathOp::Mkdir, &p)?;
    Ok(Obj::NONE)
}

fn rmdir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, None)?;
    vfs::path_op(vm, PathOp::Rmdir, &p)?;
    Ok(Obj::NONE)
}

fn remove(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, None)?;
    vfs::path_op(vm, PathOp::Remove, &p)?;
    Ok(Obj::NONE)
}

fn rename(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = path_arg(vm, args, 0, None)?;
    let b = path_arg(vm, args, 1, None)?;
    vfs::rename(vm, &a, &b)?;
    Ok(Obj::NONE)
}

fn stat(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, None)?;
    vfs::stat(vm, &p)
}

fn statvfs(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = path_arg(vm, args, 0, None)?;
    vfs::statvfs(vm, &p)
}

/// `urandom(n)`: `n` random bytes from the host.
fn urandom(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let n = crate::builtins::arg(vm, args, 0)?;
    let n = vm.expect_int(n)?;
    if n < 0 {
        return Err(vm.value_error("negative count"));
    }
    if n > 1 << 24 {
        return Err(vm.memory_error());
    }
    let mut buf = vec![0u8; n as usize];
    vm.st.sys.host.urandom(&mut buf);
    vm.new_bytes(&buf)
}

/// `getenv(name, default=None)`.
fn getenv(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let name = path_arg(vm, args, 0, None)?;
    let dflt = args.get(1).copied().unwrap_or(Obj::NONE);
    let value = match vm.st.sys.vfs.env.iter().rev().find(|(k, _)| *k == name) {
        Some((_, v)) => v.clone(),
        None => vm.st.sys.host.getenv(&name),
    };
    match value {
        Some(v) => vm.new_str(&v),
        None => Ok(dflt),
    }
}

/// `putenv(name, value)`: seen by this VM's `getenv` (the process environment is left alone).
fn putenv(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let name = path_arg(vm, args, 0, None)?;
    let value = path_arg(vm, args, 1, None)?;
    vm.st.sys.vfs.env.retain(|(k, _)| *k != name);
    vm.st.sys.vfs.env.push((name, Some(value)));
    Ok(Obj::NONE)
}

/// `unsetenv(name)`.
fn unsetenv(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let name = path_arg(vm, args, 0, None)?;
    vm.st.sys.vfs.env.retain(|(k, _)| *k != name);
    vm.st.sys.vfs.env.push((name, None));
    Ok(Obj::NONE)
}

/// `uname()`: `(sysname, nodename, release, version, machine)` as on a board.
fn uname(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let release = env!("CARGO_PKG_VERSION");
    let version = alloc::format!("{release} (ferropy)");
    let machine = if cfg!(target_pointer_width = "64") { "64-bit host with ferropy" } else { "32-bit with ferropy" };
    let texts = ["ferropy", "ferropy", release, version.as_str(), machine];
    vm.with_temps(|vm| {
        let mut items = [Obj::NONE; 5];
        for (o, t) in items.iter_mut().zip(texts) {
            *o = vm.new_str(t)?;
            vm.root(*o);
        }
        vm.new_attrtuple(&["sysname", "nodename", "release", "version", "machine"], &items)
    })
}

/// `sync()`: files are written when closed or flushed, so there is nothing left to do.
fn sync(_vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn mount(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let f = vm.builtin_module("vfs")?.unwrap_or(Obj::NONE);
    let q = vm.intern("mount")?;
    let m = vm.load_attr(f, q)?;
    vm.call(m, args, kw)
}

fn umount(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let f = vm.builtin_module("vfs")?.unwrap_or(Obj::NONE);
    let q = vm.intern("umount")?;
    let m = vm.load_attr(f, q)?;
    vm.call(m, args, kw)
}
