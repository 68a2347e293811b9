//! The `array` module: `array(typecode[, iterable])` with MicroPython's typecodes
//! `b B h H i I l L q Q f d P O S` (little-endian items, sizes as the 64-bit unix
//! port; conversions in [`crate::types::binary`]). Layout: `[type, typecode, item
//! count, data, capacity]`, data = a separate heap allocation of `capacity`
//! bytes (room to append without copying); the array exposes its items, with
//! its typecode, through the buffer protocol.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::types::buffer::BufferInfo;
use crate::types::{self, binary, ids, Method, TypeDesc};
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The module's function table (empty: the module holds the type).
pub static ARRAY_FUNCS: TypeDesc = TypeDesc::new("array", ids::OBJECT);

/// The `array` type.
pub static ARRAY_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(array_make_new),
    print: Some(array_print),
    unary_op: Some(array_unary),
    binary_op: Some(array_binary),
    subscr: Some(array_subscr),
    getiter: Some(types::iterators::new_seq_iter),
    methods: &ARRAY_METHODS,
    buffer: Some(array_buffer),
    ..TypeDesc::new("array", ids::OBJECT)
};

static ARRAY_METHODS: [Method; 2] = [Method::new("append", array_append), Method::new("extend", array_extend)];

/// Builds the `array` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    super::make_module(vm, "array", ids::ARRAY_FUNCS, &[("array", types::type_obj(ids::ARRAY))])
}

fn item_size(code: u8) -> Option<usize> {
    binary::native_size(code)
}

fn code_of(vm: &Vm, a: Obj) -> u8 {
    vm.get(a, 1).small_int_value().unwrap_or(i32::from(b'B')) as u8
}

fn values_bytes(vm: &mut Vm, code: u8, values: &[Obj]) -> PyResult<Vec<u8>> {
    let sz = item_size(code).unwrap_or(1);
    let mut out = alloc::vec![0u8; values.len() * sz];
    for (&v, slot) in values.iter().zip(out.chunks_mut(sz)) {
        binary::put_item(vm, code, v, slot)?;
    }
    Ok(out)
}

fn new_array(vm: &mut Vm, code: u8, data: &[u8]) -> PyResult<Obj> {
    let sz = item_size(code).unwrap_or(1);
    let a = vm.alloc(5)?;
    vm.set(a, 0, types::type_obj(ids::ARRAY));
    vm.set(a, 1, Obj::from_small_int(i32::from(code)).unwrap_or(Obj::NONE));
    set_data(vm, a, data)?;
    let _ = sz;
    Ok(a)
}

fn set_data(vm: &mut Vm, a: Obj, data: &[u8]) -> PyResult<()> {
    let sz = item_size(code_of(vm, a)).unwrap_or(1);
    let buf = vm.reserve_storage(a, 3, 4, 0, data.len())?;
    if !data.is_empty() {
        vm.heap.words.write_bytes(buf, 0, data);
    }
    vm.set_u32(a, 2, (data.len() / sz) as u32);
    Ok(())
}

/// Appends item bytes (amortised O(1) per item: the storage grows by doubling).
fn push_data(vm: &mut Vm, a: Obj, more: &[u8]) -> PyResult<()> {
    let sz = item_size(code_of(vm, a)).unwrap_or(1);
    let used = vm.get_usize(a, 2) * sz;
    vm.storage_append(a, 3, 4, used, more)?;
    vm.set_u32(a, 2, ((used + more.len()) / sz) as u32);
    Ok(())
}

fn data_of(vm: &Vm, a: Obj) -> Vec<u8> {
    vm.buffer_bytes(a).unwrap_or_default()
}

fn array_buffer(vm: &Vm, a: Obj) -> Option<BufferInfo> {
    let sz = item_size(code_of(vm, a)).unwrap_or(1);
    Some(BufferInfo {
        holder: vm.get(a, 3),
        offset: 0,
        len: vm.get_usize(a, 2) * sz,
        writable: true,
        typecode: code_of(vm, a),
    })
}

fn array_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let Some(&tc) = args.first() else {
        return Err(vm.type_error("function missing 1 required positional arguments"));
    };
    let text = vm.expect_str(tc)?;
    let code = match text.as_bytes() {
        [c] if item_size(*c).is_some() => *c,
        _ => return Err(vm.value_error("bad typecode")),
    };
    let data = match args.get(1) {
        None => Vec::new(),
        // bytes and bytearray give their raw bytes; anything else is iterated.
        Some(&src) => match vm.buffer_bytes(src) {
            Some(b) if vm.is_exact(src, ids::BYTES) || vm.is_bytearray(src) => b,
            _ => {
                let items = vm.collect_iterable(src)?;
                values_bytes(vm, code, &items)?
            }
        },
    };
    new_array(vm, code, &data)
}

fn items_of(vm: &mut Vm, a: Obj) -> PyResult<Vec<Obj>> {
    let code = code_of(vm, a);
    let sz = item_size(code).unwrap_or(1);
    let data = data_of(vm, a);
    let mut out = Vec::new();
    for chunk in data.chunks(sz) {
        let o = binary::get_item(vm, code, chunk)?;
        out.push(vm.root(o));
    }
    Ok(out)
}

fn array_print(vm: &mut Vm, a: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let code = code_of(vm, a);
    out.push_str("array('");
    out.push(code as char);
    out.push('\'');
    let items = items_of(vm, a)?;
    if !items.is_empty() {
        out.push_str(", ");
        types::tuple::print_seq(vm, &items, "[", "]", out)?;
    }
    out.push(')');
    Ok(())
}

fn array_unary(vm: &mut Vm, op: u8, a: Obj) -> PyResult<Option<Obj>> {
    let n = vm.get_usize(a, 2);
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        _ => None,
    })
}

fn array_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    match op {
        bop::ADD | bop::INPLACE_ADD => {
            if !vm.is_exact(b, ids::ARRAY) || code_of(vm, b) != code_of(vm, a) {
                return Ok(None);
            }
            if op == bop::INPLACE_ADD {
                let more = data_of(vm, b);
                push_data(vm, a, &more)?;
                return Ok(Some(a));
            }
            let mut d = data_of(vm, a);
            d.extend_from_slice(&data_of(vm, b));
            let code = code_of(vm, a);
            Ok(Some(new_array(vm, code, &d)?))
        }
        bop::IN => {
            // Only a scalar number could be found, and that search is not implemented.
            if vm.is_int(b) || vm.is_float(b) {
                return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, ""));
            }
            Ok(Some(Obj::FALSE))
        }
        bop::EQUAL | bop::NOT_EQUAL if !vm.is_exact(vm.native_self(b), ids::ARRAY) => {
            // An array only equals another array (MicroPython's array type does not
            // compare with other types).
            Ok(Some(Obj::from_bool(op == bop::NOT_EQUAL)))
        }
        _ => binary::compare_buffers(vm, op, a, b),
    }
}

fn array_subscr(vm: &mut Vm, a: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    let code = code_of(vm, a);
    let sz = item_size(code).unwrap_or(1);
    let n = vm.get_usize(a, 2);
    if value.is_null() {
        return Err(vm.type_error("'array' object doesn't support item deletion"));
    }
    let i = match types::slice::small_index(index, n) {
        Some(i) => i,
        None => {
            if let Some((start, stop, step)) = vm.slice_indices(index, n)? {
                return array_slice(vm, a, (start, stop, step), value);
            }
            vm.seq_index(index, n, "array")?
        }
    };
    // Just the item, straight from the storage through a stack buffer (items
    // are at most 8 bytes).
    let holder = vm.get(a, 3);
    let mut word = [0u8; 8];
    let item = &mut word[..sz.min(8)];
    if value == Obj::SENTINEL {
        vm.heap.words.read_bytes(holder, i * sz, item);
        return binary::get_item(vm, code, item);
    }
    binary::put_item(vm, code, value, item)?;
    vm.heap.words.write_bytes(holder, i * sz, item);
    Ok(Obj::NONE)
}

/// `a[start:stop:step]` (load when `value` is SENTINEL, else store).
fn array_slice(vm: &mut Vm, a: Obj, (start, stop, step): (i64, i64, i64), value: Obj) -> PyResult<Obj> {
    let code = code_of(vm, a);
    let sz = item_size(code).unwrap_or(1);
    let n = vm.get_usize(a, 2);
    if step != 1 {
        return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported"));
    }
    let (s, e) = (start.max(0) as usize, stop.max(start).max(0) as usize);
    let (s, e) = (s.min(n), e.min(n));
    let mut d = data_of(vm, a);
    if value == Obj::SENTINEL {
        let part = d.get(s * sz..e * sz).unwrap_or(&[]).to_vec();
        return new_array(vm, code, &part);
    }
    let new = types::memoryview::slice_source(vm, value, sz)?;
    if e * sz > d.len() {
        return Err(vm.value_error("bad slice"));
    }
    d.splice(s * sz..e * sz, new);
    set_data(vm, a, &d)?;
    Ok(Obj::NONE)
}

fn self_array(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&a) if vm.is_exact(vm.native_self(a), ids::ARRAY) => Ok(vm.native_self(a)),
        _ => Err(vm.type_error("expected an array")),
    }
}

fn array_append(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = self_array(vm, args)?;
    let v = crate::builtins::arg(vm, args, 1)?;
    let code = code_of(vm, a);
    let sz = item_size(code).unwrap_or(1);
    let mut word = [0u8; 8];
    let item = &mut word[..sz.min(8)];
    binary::put_item(vm, code, v, item)?;
    push_data(vm, a, item)?;
    Ok(Obj::NONE)
}

fn array_extend(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = self_array(vm, args)?;
    let src = crate::builtins::arg(vm, args, 1)?;
    let code = code_of(vm, a);
    let more = if vm.is_exact(src, ids::ARRAY) {
        data_of(vm, src)
    } else {
        let items = vm.collect_iterable(src)?;
        values_bytes(vm, code, &items)?
    };
    push_data(vm, a, &more)?;
    Ok(Obj::NONE)
}
