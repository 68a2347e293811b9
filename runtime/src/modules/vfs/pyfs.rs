//! Calling the methods of a mounted Python file system object (MicroPython's
//! VFS protocol: `mount`, `umount`, `ilistdir`, `stat`, `statvfs`, `open`,
//! `mkdir`, `rmdir`, `remove`, `rename`, `chdir`, `getcwd`).

use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// `obj.name(*args)`.
pub fn call(vm: &mut Vm, obj: Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    let q = vm.intern(name)?;
    let (f, s) = vm.load_method(obj, q)?;
    if s.is_null() {
        vm.call(f, args, &[])
    } else {
        let mut all = alloc::vec::Vec::with_capacity(args.len() + 1);
        all.push(s);
        all.extend_from_slice(args);
        vm.call(f, &all, &[])
    }
}

/// The stream protocol's request for a preferred buffer size.
const MP_STREAM_GET_BUFFER_SIZE: i32 = 11;
/// The stream protocol's close request.
const MP_STREAM_CLOSE: i32 = 4;

/// Reads a Python file object to the end and closes it: with `readinto` in
/// chunks of the size its `ioctl` asks for (MicroPython's stream protocol),
/// else with `read()`.
pub fn read_all(vm: &mut Vm, f: Obj) -> PyResult<alloc::vec::Vec<u8>> {
    let ioctl = vm.intern("ioctl")?;
    let has_ioctl = vm.load_attr_opt(f, ioctl)?.is_some();
    let readinto = vm.intern("readinto")?;
    let has_readinto = vm.load_attr_opt(f, readinto)?.is_some();
    let small = |v: i32| Obj::from_small_int(v).unwrap_or(Obj::NONE);
    let mut out = alloc::vec::Vec::new();
    if has_readinto {
        let mut size = 256;
        if has_ioctl {
            let r = call(vm, f, "ioctl", &[small(MP_STREAM_GET_BUFFER_SIZE), small(0)])?;
            if let Some(n) = r.small_int_value().filter(|&n| n > 0) {
                size = n.min(1 << 16) as usize;
            }
        }
        let buf = vm.new_bytearray(&alloc::vec![0u8; size])?;
        vm.root(buf);
        loop {
            let n = call(vm, f, "readinto", &[buf])?;
            let n = if n == Obj::NONE { 0 } else { vm.expect_int(n)?.max(0) as usize };
            if n == 0 {
                break;
            }
            let data = vm.buffer_bytes(buf).unwrap_or_default();
            out.extend_from_slice(&data[..n.min(data.len())]);
        }
    } else {
        let data = call(vm, f, "read", &[])?;
        vm.root(data);
        match vm.buffer_or_str(data) {
            Some(b) => out = b,
            None => return Err(vm.type_error("object with buffer protocol required")),
        }
    }
    if has_ioctl {
        call(vm, f, "ioctl", &[small(MP_STREAM_CLOSE), small(0)])?;
    } else {
        let close = vm.intern("close")?;
        if vm.load_attr_opt(f, close)?.is_some() {
            call(vm, f, "close", &[])?;
        }
    }
    Ok(out)
}
