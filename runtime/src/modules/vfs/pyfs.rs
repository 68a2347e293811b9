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

/// Calls a Python stream's `readinto` or `write` (`method`) with `buf`, a
/// bytearray of `size` bytes, as MicroPython's stream layer does for
/// `io.IOBase` subclasses: the count, or `None` when the method returned
/// `None` (`EAGAIN`: nothing ready); a negative result is `OSError(-n)` and
/// a count above `size` is `OSError(EIO)`.
pub fn stream_call(vm: &mut Vm, f: Obj, method: &str, buf: Obj, size: usize) -> PyResult<Option<usize>> {
    let r = call(vm, f, method, &[buf])?;
    if r == Obj::NONE {
        return Ok(None);
    }
    let n = vm.expect_int(r)?;
    match usize::try_from(n) {
        Ok(n) if n <= size => Ok(Some(n)),
        Ok(_) => Err(crate::modules::errno::os_error(vm, crate::modules::errno::EIO)),
        Err(_) => Err(crate::modules::errno::os_error(vm, n.saturating_neg().clamp(0, i64::from(i32::MAX)) as i32)),
    }
}

/// Reads a Python stream to the end with `readinto` into a buffer of
/// `chunk` bytes ([`stream_call`]'s checks; nothing ready is `EAGAIN`).
pub fn read_to_end(vm: &mut Vm, f: Obj, chunk: usize) -> PyResult<alloc::vec::Vec<u8>> {
    let mut out = alloc::vec::Vec::new();
    let buf = vm.new_bytearray(&alloc::vec![0u8; chunk])?;
    vm.root(buf);
    loop {
        let Some(n) = stream_call(vm, f, "readinto", buf, chunk)? else {
            return Err(crate::modules::errno::os_error(vm, crate::modules::errno::EAGAIN));
        };
        if n == 0 {
            return Ok(out);
        }
        let data = vm.buffer_bytes(buf).unwrap_or_default();
        out.extend_from_slice(&data[..n.min(data.len())]);
    }
}

/// Writes all of `data` to a Python stream with `write` ([`stream_call`]'s
/// checks; a write of 0 bytes or `None` ends it quietly, as MicroPython's
/// `print` does).
pub fn write_all(vm: &mut Vm, f: Obj, data: &[u8]) -> PyResult<()> {
    let mut rest = data;
    while !rest.is_empty() {
        let n = vm.with_temps(|vm| {
            let buf = vm.new_bytearray(rest)?;
            vm.root(buf);
            stream_call(vm, f, "write", buf, rest.len())
        })?;
        match n {
            Some(n) if n > 0 => rest = &rest[n..],
            _ => break,
        }
    }
    Ok(())
}

/// Reads a Python file object to the end and closes it: with `readinto` in
/// chunks of the size its `ioctl` asks for (MicroPython's stream protocol),
/// else with `read()`.
pub fn read_all(vm: &mut Vm, f: Obj) -> PyResult<alloc::vec::Vec<u8>> {
    let ioctl = vm.intern("ioctl")?;
    let has_ioctl = vm.load_attr_opt(f, ioctl)?.is_some();
    let readinto = vm.intern("readinto")?;
    let has_readinto = vm.load_attr_opt(f, readinto)?.is_some();
    let small = |v: i32| Obj::from_small_int(v).unwrap_or(Obj::NONE);
    let out;
    if has_readinto {
        let mut size = 256;
        if has_ioctl {
            let r = call(vm, f, "ioctl", &[small(MP_STREAM_GET_BUFFER_SIZE), small(0)])?;
            if let Some(n) = r.small_int_value().filter(|&n| n > 0) {
                size = n.min(1 << 16) as usize;
            }
        }
        out = read_to_end(vm, f, size)?;
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
