//! `memoryview`: `[type, object, byte offset, byte length, typecode]`, a typed window on
//! another object's buffer (the items of an array keep their typecode, as in MicroPython).
//! It exposes the buffer protocol itself, so views of views work.

use alloc::vec::Vec;

use super::buffer::BufferInfo;
use super::{binary, ids};
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;

/// The `memoryview` type.
pub static MEMORYVIEW_TYPE: TypeDesc = TypeDesc {
    make_new: Some(memoryview_make_new),
    unary_op: Some(memoryview_unary),
    binary_op: Some(memoryview_binary),
    subscr: Some(memoryview_subscr),
    getiter: Some(super::iterators::new_seq_iter),
    methods: &MEMORYVIEW_METHODS,
    buffer: Some(memoryview_buffer),
    attr: Some(memoryview_attr),
    ..TypeDesc::new("memoryview", ids::OBJECT)
};

/// `itemsize`: bytes per item.
fn memoryview_attr(vm: &mut Vm, m: Obj, name: crate::qstr::Qstr) -> PyResult<Option<Obj>> {
    if vm.qstr_text(name) != "itemsize" {
        return Ok(None);
    }
    let n = item_size(vm, m);
    Ok(Some(vm.new_int(n as i64)?))
}

static MEMORYVIEW_METHODS: [Method; 1] = [Method::new("hex", memoryview_hex)];

fn memoryview_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let src = match args {
        [o] => *o,
        _ => return Err(vm.type_error("function takes 1 positional arguments")),
    };
    let Some(info) = vm.buffer_info(src) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    new_view(vm, src, 0, info.len, info.typecode)
}

fn new_view(vm: &mut Vm, src: Obj, offset: usize, len: usize, typecode: u8) -> PyResult<Obj> {
    let m = vm.alloc(5)?;
    vm.set(m, 0, super::type_obj(ids::MEMORYVIEW));
    vm.set(m, 1, src);
    vm.set_u32(m, 2, offset as u32);
    vm.set_u32(m, 3, len as u32);
    vm.set_u32(m, 4, u32::from(typecode));
    Ok(m)
}

fn typecode(vm: &Vm, m: Obj) -> u8 {
    vm.get_usize(m, 4) as u8
}

fn item_size(vm: &Vm, m: Obj) -> usize {
    binary::native_size(typecode(vm, m)).unwrap_or(1)
}

fn memoryview_buffer(vm: &Vm, m: Obj) -> Option<BufferInfo> {
    let inner = vm.buffer_info(vm.get(m, 1))?;
    let (off, len) = (vm.get_usize(m, 2), vm.get_usize(m, 3));
    // The underlying object may have shrunk (bytearray): clamp.
    let len = len.min(inner.len.saturating_sub(off));
    Some(BufferInfo {
        holder: inner.holder,
        offset: inner.offset + off,
        len,
        writable: inner.writable,
        typecode: typecode(vm, m),
    })
}

/// Number of items in the view.
fn item_count(vm: &Vm, m: Obj) -> usize {
    vm.buffer_info(m).map_or(0, |i| i.len) / item_size(vm, m)
}

fn memoryview_unary(vm: &mut Vm, op: u8, m: Obj) -> PyResult<Option<Obj>> {
    let n = item_count(vm, m);
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        _ => None,
    })
}

fn memoryview_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    binary::compare_buffers(vm, op, a, b)
}

/// The bytes to store by `dst[a:b] = value` into items of `item_sz` bytes, as
/// MicroPython's array slice assignment takes them: an array, bytearray or memoryview
/// with items of the same size, or bytes when items are single bytes.
pub fn slice_source(vm: &mut Vm, value: Obj, item_sz: usize) -> PyResult<Vec<u8>> {
    let v = vm.native_self(value);
    let typed = vm.is_exact(v, ids::ARRAY) || vm.is_exact(v, ids::BYTEARRAY) || vm.is_exact(v, ids::MEMORYVIEW);
    let bytes = vm.is_exact(v, ids::BYTES);
    if !typed && !bytes {
        return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "array/bytes required on right side"));
    }
    let info = vm.buffer_info(v);
    let src_sz = info.and_then(|i| binary::native_size(i.typecode)).unwrap_or(1);
    if src_sz != item_sz {
        return Err(vm.value_error("lhs and rhs should be compatible"));
    }
    Ok(vm.buffer_bytes(v).unwrap_or_default())
}

fn memoryview_subscr(vm: &mut Vm, m: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    let Some(info) = vm.buffer_info(m) else { return Err(vm.type_error("bad memoryview")) };
    if value.is_null() {
        return Err(vm.type_error("'memoryview' object doesn't support item deletion"));
    }
    let (code, sz) = (typecode(vm, m), item_size(vm, m));
    let n = info.len / sz;
    if let Some((start, stop, step)) = vm.slice_indices(index, n)? {
        if step != 1 {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported"));
        }
        let (s, e) = (start.max(0) as usize, stop.max(start).max(0) as usize);
        let (s, e) = (s.min(n), e.min(n));
        if value == Obj::SENTINEL {
            let src = vm.get(m, 1);
            let off = vm.get_usize(m, 2);
            return new_view(vm, src, off + s * sz, (e - s) * sz, code);
        }
        if !info.writable {
            return Err(vm.type_error("'memoryview' object doesn't support item assignment"));
        }
        let new = slice_source(vm, value, sz)?;
        if new.len() != (e - s) * sz {
            return Err(vm.value_error("lhs and rhs should be compatible"));
        }
        vm.buffer_write(m, s * sz, &new);
        return Ok(Obj::NONE);
    }
    let i = vm.seq_index(index, n, "memoryview")?;
    if value == Obj::SENTINEL {
        // Read just the item, not the whole buffer.
        let mut item = alloc::vec![0u8; sz];
        vm.buffer_read(m, i * sz, &mut item);
        return binary::get_item(vm, code, &item);
    }
    if !info.writable {
        return Err(vm.type_error("'memoryview' object doesn't support item assignment"));
    }
    let mut item = alloc::vec![0u8; sz];
    if sz == 1 && !binary::is_float(code) {
        item[0] = super::bytearray::byte_value(vm, value)?;
    } else {
        binary::put_item(vm, code, value, &mut item)?;
    }
    vm.buffer_write(m, i * sz, &item);
    Ok(Obj::NONE)
}

fn memoryview_hex(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = args.first().and_then(|&m| vm.buffer_bytes(m)).unwrap_or_default();
    super::strmeth::hex_of(vm, &d, args.get(1).copied())
}
