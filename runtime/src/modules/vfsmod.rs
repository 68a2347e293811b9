//! The `vfs` module: `mount`, `umount`, `VfsPosix` (the host's files, optionally
//! below a root directory), `VfsFat` (see [`super::vfsfat`]) and `VfsMem` (an in-memory file system; a ferropy
//! addition, MicroPython has no such type) over the mount table of
//! [`super::vfs::mount`].

use alloc::boxed::Box;
use alloc::string::String;

use super::errno::os_error;
use super::vfs::mount::{Backend, Mount};
use super::vfs::{MemVfs, Vfs, EINVAL, EPERM};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table.
pub static VFS_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("vfs", ids::OBJECT) };

static FUNCS: [Method; 2] = [Method::new_static("mount", mount), Method::new_static("umount", umount)];

/// `vfs.VfsPosix([root])`: `[type, root str, current directory str or NULL]`.
pub static VFS_POSIX_TYPE: TypeDesc = TypeDesc {
    make_new: Some(posix_new),
    print: Some(vfs_print),
    methods: super::vfsobj::VFS_OBJ_METHODS,
    ..TypeDesc::new("VfsPosix", ids::OBJECT)
};

/// `vfs.VfsMem([limit])`: `[type, index of the file system in the VM's native
/// table, current directory str or NULL]`.
pub static VFS_MEM_TYPE: TypeDesc = TypeDesc {
    make_new: Some(mem_new),
    print: Some(vfs_print),
    methods: super::vfsobj::VFS_OBJ_METHODS,
    ..TypeDesc::new("VfsMem", ids::OBJECT)
};

/// Builds the `vfs` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let extra = [
        ("VfsPosix", crate::types::type_obj(ids::VFS_POSIX)),
        ("VfsMem", crate::types::type_obj(ids::VFS_MEM)),
        ("VfsFat", crate::types::type_obj(ids::VFS_FAT)),
    ];
    super::make_module(vm, "vfs", ids::VFS_FUNCS, &extra)
}

fn vfs_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let n = vm.type_name(o);
    out.push_str(&alloc::format!("<{n}>"));
    Ok(())
}

fn posix_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let root = match args.first() {
        Some(&r) => {
            let text = vm.expect_str(r)?;
            // A relative root is taken from the host's current directory now.
            let abs = if text.is_empty() || text.starts_with('/') {
                text
            } else {
                let cwd = super::vfs::mount::getcwd_text(vm)?;
                super::vfs::normalize(&cwd, &text)
            };
            match vm.st.sys.host.stat_path(if abs.is_empty() { "/" } else { &abs }) {
                Ok(st) if st.is_dir() => {}
                Ok(_) => return Err(os_error(vm, super::vfs::ENOTDIR)),
                Err(e) => return Err(os_error(vm, e)),
            }
            vm.new_str(&abs)?
        }
        None => vm.new_str("")?,
    };
    let o = vm.alloc(3)?;
    vm.set(o, 0, t);
    vm.set(o, 1, root);
    Ok(o)
}

fn mem_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let fs = match args.first() {
        Some(&n) => {
            let n = vm.expect_int(n)?;
            if n < 0 {
                return Err(vm.value_error("negative size"));
            }
            MemVfs::with_limit(n as usize)
        }
        None => MemVfs::new(),
    };
    native_object(vm, t, Box::new(fs))
}

/// A Python object standing for native file system `fs` (type `t`).
fn native_object(vm: &mut Vm, t: Obj, fs: Box<dyn Vfs + Send>) -> PyResult<Obj> {
    let o = vm.alloc(3)?;
    let natives = &mut vm.st.sys.vfs.natives;
    natives.push(fs);
    let slot = Obj::from_small_int((natives.len() - 1) as i32).unwrap_or(Obj::NONE);
    vm.set(o, 0, t);
    vm.set(o, 1, slot);
    Ok(o)
}

/// `vfs.mount(fs, mount_point, *, readonly=False, mkfs=False)`; without
/// arguments, the list of `(fs, mount_point)` of the Python-visible mounts.
fn mount(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    if args.is_empty() && kw.is_empty() {
        return vm.with_temps(|vm| {
            let l = vm.new_list(&[])?;
            vm.root(l);
            let mounts: alloc::vec::Vec<(Obj, String)> =
                vm.st.sys.vfs.mounts.iter().filter(|m| !m.obj.is_null()).map(|m| (m.obj, m.point.clone())).collect();
            for (o, p) in mounts {
                let p = vm.new_str(&p)?;
                vm.root(p);
                let t = vm.new_tuple(&[o, p])?;
                vm.list_append(l, t)?;
            }
            Ok(l)
        });
    }
    crate::builtins::check_count(vm, args, 2, 2)?;
    let (mut obj, point) = (args[0], args[1]);
    if super::vfsfat::is_block_device(vm, obj)? {
        // A bare block device: its FAT volume is mounted (MicroPython's autodetection).
        obj = super::vfsfat::new_fat(vm, crate::types::type_obj(ids::VFS_FAT), obj)?;
        vm.root(obj);
    }
    let point = vm.expect_str(point)?;
    let point = super::vfs::mount::normalize_point(vm, &point);
    let t = vm.type_of(obj);
    let readonly = match vm.kwarg(kw, "readonly") {
        Some(r) => vm.is_true(r)?,
        None => false,
    };
    let backend = if t == crate::types::type_obj(ids::VFS_POSIX) {
        let root = vm.get(obj, 1);
        Backend::Host { root: vm.str_text(root).unwrap_or_default() }
    } else if t == crate::types::type_obj(ids::VFS_MEM) {
        Backend::Native(vm.get(obj, 1).small_int_value().unwrap_or(0) as usize)
    } else if t == crate::types::type_obj(ids::VFS_FAT) {
        let mkfs = match vm.kwarg(kw, "mkfs") {
            Some(m) => vm.is_true(m)?,
            None => false,
        };
        super::vfsfat::check_mountable(vm, obj, mkfs)?;
        Backend::Fat
    } else {
        let readonly = vm.kwarg(kw, "readonly").unwrap_or(Obj::FALSE);
        let readonly = Obj::from_bool(vm.is_true(readonly)?);
        let mkfs = vm.kwarg(kw, "mkfs").unwrap_or(Obj::FALSE);
        let mkfs = Obj::from_bool(vm.is_true(mkfs)?);
        super::vfs::pyfs::call(vm, obj, "mount", &[readonly, mkfs])?;
        Backend::Py
    };
    if vm.st.sys.vfs.find_point(&point).is_some() {
        return Err(os_error(vm, EPERM));
    }
    let native = super::vfs::mount::is_native_obj(vm, obj);
    vm.st.sys.vfs.mounts.push(Mount { point, backend, obj, cwd: None, readonly: readonly && native });
    Ok(Obj::NONE)
}

/// `vfs.umount(mount_point_or_fs)`.
fn umount(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let index = if vm.is_str(a) {
        let p = vm.expect_str(a)?;
        let p = super::vfs::mount::normalize_point(vm, &p);
        vm.st.sys.vfs.find_point(&p)
    } else {
        vm.st.sys.vfs.mounts.iter().position(|m| m.obj == a)
    };
    let Some(i) = index else { return Err(os_error(vm, EINVAL)) };
    let m = vm.st.sys.vfs.remove(i);
    if let Backend::Py = m.backend {
        vm.root(m.obj);
        super::vfs::pyfs::call(vm, m.obj, "umount", &[])?;
    }
    Ok(Obj::NONE)
}

impl Vm {
    /// Mounts an embedder's file system at `point` (`/name`, or `/` to replace
    /// the host's files as the root); `EPERM` if something is mounted there.
    pub fn mount(&mut self, point: &str, fs: Box<dyn Vfs + Send>) -> Result<(), i32> {
        let point = super::vfs::normalize("/", point);
        let st = &mut self.st.sys.vfs;
        if st.find_point(&point).is_some() {
            return Err(EPERM);
        }
        st.natives.push(fs);
        let backend = Backend::Native(st.natives.len() - 1);
        st.mounts.push(Mount { point, backend, obj: Obj::NULL, cwd: None, readonly: false });
        Ok(())
    }

    /// Unmounts whatever is mounted at `point`; `EINVAL` if nothing is.
    pub fn umount(&mut self, point: &str) -> Result<(), i32> {
        let point = super::vfs::normalize("/", point);
        let st = &mut self.st.sys.vfs;
        let i = st.find_point(&point).ok_or(EINVAL)?;
        st.remove(i);
        Ok(())
    }
}
