//! `vfs.VfsFat(bdev)`: the FAT file system of [`super::vfs::fat`] on a Python
//! block device (MicroPython's protocol: `readblocks(n, buf)`,
//! `writeblocks(n, buf)` and `ioctl(op, arg)` with ops 1 init, 3 sync,
//! 4 block count, 5 block size; or the old `count()`/`sync()` instead of `ioctl`).
//!
//! The object is `[type, block device, current directory str or NULL]`. Every
//! operation builds a [`PyBlockDev`] (the VM and the device object) for the
//! length of the operation; an exception raised by the device's methods stops
//! the operation and is raised again from it.

use super::errno::os_error;
use super::vfs::fat::{BlockDevice, FatVfs};
use super::vfs::{Vfs, EIO, EROFS};
use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::{ids, TypeDesc};
use crate::vm::Vm;

/// Slot of the block device object.
pub const BDEV: usize = 1;
/// Slot of the current directory.
pub const CWD: usize = 2;

/// `ioctl` op: initialise the device.
const IOCTL_INIT: i32 = 1;
/// `ioctl` op: write out cached blocks.
const IOCTL_SYNC: i32 = 3;
/// `ioctl` op: number of blocks.
const IOCTL_BLOCK_COUNT: i32 = 4;
/// `ioctl` op: bytes per block.
const IOCTL_BLOCK_SIZE: i32 = 5;

/// `vfs.VfsFat`.
pub static VFS_FAT_TYPE: TypeDesc = TypeDesc {
    make_new: Some(fat_new),
    print: Some(fat_print),
    methods: &super::vfsobj::VFS_FAT_METHODS,
    ..TypeDesc::new("VfsFat", ids::OBJECT)
};

fn fat_print(_vm: &mut Vm, _o: Obj, out: &mut alloc::string::String, _repr: bool) -> PyResult<()> {
    out.push_str("<VfsFat>");
    Ok(())
}

/// A Python block device seen as a [`BlockDevice`] for one operation.
pub struct PyBlockDev<'a> {
    vm: &'a mut Vm,
    dev: Obj,
    /// The exception a device method raised (the operation then fails with `EIO`).
    pub pending: Option<PyErr>,
    block: Option<usize>,
}

impl<'a> PyBlockDev<'a> {
    /// An adaptor for device object `dev`.
    pub fn new(vm: &'a mut Vm, dev: Obj) -> PyBlockDev<'a> {
        PyBlockDev { vm, dev, pending: None, block: None }
    }

    fn has(&mut self, name: &str) -> Result<bool, i32> {
        let r = self.vm.intern(name).and_then(|q| self.vm.load_attr_opt(self.dev, q));
        match r {
            Ok(v) => Ok(v.is_some()),
            Err(e) => Err(self.fail(e)),
        }
    }

    fn fail(&mut self, e: PyErr) -> i32 {
        if self.pending.is_none() {
            self.pending = Some(e);
        }
        EIO
    }

    /// `dev.name(*args)`, with exceptions kept for later.
    fn call(&mut self, name: &str, args: &[Obj]) -> Result<Obj, i32> {
        if self.pending.is_some() {
            return Err(EIO);
        }
        let vm = &mut *self.vm;
        let r = vm.with_temps(|vm| {
            for &a in args {
                vm.root(a);
            }
            super::vfs::pyfs::call(vm, self.dev, name, args)
        });
        r.map_err(|e| self.fail(e))
    }

    /// `ioctl(op, 0)` (or the old protocol's method), as an integer when it gives one.
    fn ioctl(&mut self, op: i32) -> Result<Option<i64>, i32> {
        let r = if self.has("ioctl")? {
            let (a, b) = (Obj::from_small_int(op).unwrap_or(Obj::NONE), Obj::from_small_int(0).unwrap_or(Obj::NONE));
            self.call("ioctl", &[a, b])?
        } else {
            match op {
                IOCTL_BLOCK_COUNT => self.call("count", &[])?,
                IOCTL_SYNC if self.has("sync")? => self.call("sync", &[])?,
                _ => Obj::NONE,
            }
        };
        if r == Obj::NONE {
            return Ok(None);
        }
        match self.vm.expect_int(r) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// A method's result: `None` or 0 is success; another integer `EIO`; anything else raises.
    fn status(&mut self, r: Obj) -> Result<(), i32> {
        if r == Obj::NONE {
            return Ok(());
        }
        match self.vm.expect_int(r) {
            Ok(0) => Ok(()),
            Ok(_) => Err(EIO),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// `ioctl(1)`: initialises the device (`EIO` when it answers non-zero).
    pub fn init(&mut self) -> Result<(), i32> {
        if self.has("ioctl")? {
            match self.ioctl(IOCTL_INIT)? {
                None | Some(0) => Ok(()),
                Some(_) => Err(EIO),
            }
        } else {
            Ok(())
        }
    }

    fn blocks_arg(&mut self, n: u64) -> Result<Obj, i32> {
        match self.vm.new_int(n as i64) {
            Ok(o) => Ok(o),
            Err(e) => Err(self.fail(e)),
        }
    }
}

impl BlockDevice for PyBlockDev<'_> {
    fn block_size(&mut self) -> Result<usize, i32> {
        if let Some(b) = self.block {
            return Ok(b);
        }
        let b = match self.ioctl(IOCTL_BLOCK_SIZE)? {
            Some(v) => usize::try_from(v).map_err(|_| EIO)?,
            None => 512,
        };
        self.block = Some(b);
        Ok(b)
    }

    fn block_count(&mut self) -> Result<u64, i32> {
        match self.ioctl(IOCTL_BLOCK_COUNT)? {
            Some(v) => u64::try_from(v).map_err(|_| EIO),
            None => Err(EIO),
        }
    }

    fn read_blocks(&mut self, first: u64, buf: &mut [u8]) -> Result<(), i32> {
        let n = self.blocks_arg(first)?;
        let vm = &mut *self.vm;
        let r = vm.with_temps(|vm| {
            vm.root(n);
            let ba = vm.new_bytearray(buf)?;
            vm.root(ba);
            let mv = vm.call(crate::types::type_obj(ids::MEMORYVIEW), &[ba], &[])?;
            vm.root(mv);
            let r = super::vfs::pyfs::call(vm, self.dev, "readblocks", &[n, mv])?;
            let data = vm.buffer_bytes(ba).unwrap_or_default();
            Ok((r, data))
        });
        let (r, data) = r.map_err(|e| self.fail(e))?;
        if data.len() != buf.len() {
            return Err(EIO);
        }
        buf.copy_from_slice(&data);
        self.status(r)
    }

    fn write_blocks(&mut self, first: u64, buf: &[u8]) -> Result<(), i32> {
        if !self.has("writeblocks")? {
            return Err(EROFS);
        }
        let n = self.blocks_arg(first)?;
        let vm = &mut *self.vm;
        let r = vm.with_temps(|vm| {
            vm.root(n);
            let ba = vm.new_bytearray(buf)?;
            vm.root(ba);
            super::vfs::pyfs::call(vm, self.dev, "writeblocks", &[n, ba])
        });
        let r = r.map_err(|e| self.fail(e))?;
        self.status(r)
    }

    fn sync(&mut self) -> Result<(), i32> {
        self.ioctl(IOCTL_SYNC).map(|_| ())
    }
}

/// Runs `f` on the FAT file system of `VfsFat` object `o`; an exception from
/// the block device is raised instead of the result.
pub fn with_fat<R>(vm: &mut Vm, o: Obj, f: impl FnOnce(&mut dyn Vfs) -> R) -> PyResult<R> {
    let dev = vm.get(o, BDEV);
    with_dev(vm, dev, |fs| f(fs))
}

fn with_dev<R>(vm: &mut Vm, dev: Obj, f: impl FnOnce(&mut FatVfs<&mut PyBlockDev>) -> R) -> PyResult<R> {
    let secs = (vm.st.sys.host.time_ns() / 1_000_000_000) as i64;
    let mut bd = PyBlockDev::new(vm, dev);
    let r = {
        let mut fs = FatVfs::new(&mut bd);
        fs.set_time(secs);
        f(&mut fs)
    };
    match bd.pending.take() {
        Some(e) => Err(e),
        None => Ok(r),
    }
}

/// Checks that `dev` has the block-device methods MicroPython requires
/// (`readblocks`, and `ioctl` or `count`): `AttributeError` otherwise.
fn check_device(vm: &mut Vm, dev: Obj) -> PyResult<()> {
    let q = vm.intern("readblocks")?;
    vm.load_attr(dev, q)?;
    let q = vm.intern("ioctl")?;
    if vm.load_attr_opt(dev, q)?.is_none() {
        let q = vm.intern("count")?;
        vm.load_attr(dev, q)?;
    }
    Ok(())
}

/// `VfsFat(bdev)`: initialises the device and checks for a volume (a device
/// without one is accepted, for `mkfs`; other failures raise `OSError`).
fn fat_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 1)?;
    new_fat(vm, t, args[0])
}

/// A `VfsFat` object (type `t`) for block device `dev`.
pub fn new_fat(vm: &mut Vm, t: Obj, dev: Obj) -> PyResult<Obj> {
    check_device(vm, dev)?;
    let r = with_dev(vm, dev, |fs| {
        fs.device().init()?;
        fs.geometry().map(|_| ())
    })?;
    match r {
        Ok(()) | Err(super::vfs::ENODEV) => {}
        Err(e) => return Err(os_error(vm, e)),
    }
    let o = vm.alloc(3)?;
    vm.set(o, 0, t);
    vm.set(o, BDEV, dev);
    Ok(o)
}

/// `VfsFat.mkfs(bdev)`: makes an empty FAT volume on the device.
pub fn mkfs(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let dev = crate::builtins::arg(vm, args, 0)?;
    mkfs_dev(vm, dev)?;
    Ok(Obj::NONE)
}

/// Formats block device `dev`.
pub fn mkfs_dev(vm: &mut Vm, dev: Obj) -> PyResult<()> {
    check_device(vm, dev)?;
    let r = with_dev(vm, dev, |fs| {
        fs.device().init()?;
        // As MicroPython: the device is mounted first (a failing read shows here).
        match fs.geometry() {
            Ok(_) | Err(super::vfs::ENODEV) => {}
            Err(e) => return Err(e),
        }
        fs.mkfs()
    })?;
    r.map_err(|e| os_error(vm, e))
}

/// Checks that `VfsFat` object `o` holds a volume (for `vfs.mount`); with
/// `mkfs`, a device without one is formatted first.
pub fn check_mountable(vm: &mut Vm, o: Obj, mkfs: bool) -> PyResult<()> {
    let dev = vm.get(o, BDEV);
    let r = with_dev(vm, dev, |fs| fs.geometry().map(|_| ()))?;
    match r {
        Ok(()) => Ok(()),
        Err(super::vfs::ENODEV) if mkfs => {
            let dev = vm.get(o, BDEV);
            mkfs_dev(vm, dev)
        }
        Err(e) => Err(os_error(vm, e)),
    }
}

/// True for objects with a `readblocks` method but no `mount` (a bare block
/// device that `vfs.mount` puts a `VfsFat` on).
pub fn is_block_device(vm: &mut Vm, o: Obj) -> PyResult<bool> {
    let q = vm.intern("mount")?;
    if vm.load_attr_opt(o, q)?.is_some() {
        return Ok(false);
    }
    let q = vm.intern("readblocks")?;
    Ok(vm.load_attr_opt(o, q)?.is_some())
}
