//! The `array` module: `array(typecode[, iterable])` with integer typecodes
//! `b B h H i I l L q Q` (little-endian items, 32-bit `l`/`L`; `f`/`d` need
//! the float type and are refused). Layout: `[type, typecode, item count,
//! data]`, data = a separate heap allocation of the item bytes; the array
//! exposes them through the buffer protocol.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::types::buffer::BufferInfo;
use crate::types::{self, ids, Method, TypeDesc};
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The module's function table (empty: the module holds the type).
pub static ARRAY_FUNCS: TypeDesc = TypeDesc::new("array", ids::OBJECT);

/// The `array` type.
pub static ARRAY_TYPE: TypeDesc = TypeDesc {
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
    Some(match code {
        b'b' | b'B' => 1,
        b'h' | b'H' => 2,
        b'i' | b'I' | b'l' | b'L' => 4,
        b'q' | b'Q' => 8,
        _ => return None,
    })
}

fn code_of(vm: &Vm, a: Obj) -> u8 {
    vm.get(a, 1).small_int_value().unwrap_or(i32::from(b'B')) as u8
}

fn encode(code: u8, v: i64) -> [u8; 8] {
    let _ = code;
    v.to_le_bytes()
}

fn decode(code: u8, b: &[u8]) -> i64 {
    let mut w = [0u8; 8];
    let n = b.len().min(8);
    w[..n].copy_from_slice(&b[..n]);
    let raw = u64::from_le_bytes(w);
    if matches!(code, b'b' | b'h' | b'i' | b'l' | b'q') {
        let shift = 64 - 8 * n as u32;
        ((raw << shift) as i64) >> shift
    } else {
        raw as i64
    }
}

fn values_bytes(vm: &mut Vm, code: u8, values: &[Obj]) -> PyResult<Vec<u8>> {
    let sz = item_size(code).unwrap_or(1);
    let mut out = Vec::with_capacity(values.len() * sz);
    for &v in values {
        let n = vm.expect_int(v)?;
        out.extend_from_slice(&encode(code, n)[..sz]);
    }
    Ok(out)
}

fn new_array(vm: &mut Vm, code: u8, data: &[u8]) -> PyResult<Obj> {
    let sz = item_size(code).unwrap_or(1);
    let a = vm.alloc(4)?;
    vm.set(a, 0, types::type_obj(ids::ARRAY));
    vm.set(a, 1, Obj::from_small_int(i32::from(code)).unwrap_or(Obj::NONE));
    set_data(vm, a, data)?;
    let _ = sz;
    Ok(a)
}

fn set_data(vm: &mut Vm, a: Obj, data: &[u8]) -> PyResult<()> {
    let sz = item_size(code_of(vm, a)).unwrap_or(1);
    let buf = if data.is_empty() {
        Obj::NULL
    } else {
        let b = vm.with_temps(|vm| {
            vm.root(a);
            vm.alloc(data.len().div_ceil(4))
        })?;
        vm.heap.words.write_bytes(b, 0, data);
        b
    };
    vm.set(a, 3, buf);
    vm.set_u32(a, 2, (data.len() / sz) as u32);
    Ok(())
}

fn data_of(vm: &Vm, a: Obj) -> Vec<u8> {
    vm.buffer_bytes(a).unwrap_or_default()
}

fn array_buffer(vm: &Vm, a: Obj) -> Option<BufferInfo> {
    let sz = item_size(code_of(vm, a)).unwrap_or(1);
    Some(BufferInfo { holder: vm.get(a, 3), offset: 0, len: vm.get_usize(a, 2) * sz, writable: true })
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
        Some(&src) => match vm.buffer_bytes(src) {
            Some(b) if !vm.is_exact(src, ids::ARRAY) => b,
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
        let o = vm.new_int(decode(code, chunk))?;
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
            let mut d = data_of(vm, a);
            d.extend_from_slice(&data_of(vm, b));
            if op == bop::INPLACE_ADD {
                set_data(vm, a, &d)?;
                return Ok(Some(a));
            }
            let code = code_of(vm, a);
            Ok(Some(new_array(vm, code, &d)?))
        }
        bop::EQUAL | bop::NOT_EQUAL => {
            let eq = if vm.is_exact(b, ids::ARRAY) {
                let (x, y) = (items_of(vm, a)?, items_of(vm, b)?);
                let mut eq = x.len() == y.len();
                for (p, q) in x.iter().zip(y.iter()) {
                    if eq && !vm.equal(*p, *q)? {
                        eq = false;
                    }
                }
                eq
            } else {
                false
            };
            Ok(Some(Obj::from_bool(eq == (op == bop::EQUAL))))
        }
        bop::IN => Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "")),
        _ => Ok(None),
    }
}

fn array_subscr(vm: &mut Vm, a: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    let code = code_of(vm, a);
    let sz = item_size(code).unwrap_or(1);
    let n = vm.get_usize(a, 2);
    if value.is_null() {
        return Err(vm.type_error("'array' object doesn't support item deletion"));
    }
    if let Some((start, stop, step)) = vm.slice_indices(index, n)? {
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
        let Some(new) = vm.buffer_bytes(value) else {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "array/bytes required on right side"));
        };
        if e * sz > d.len() {
            return Err(vm.value_error("bad slice"));
        }
        d.splice(s * sz..e * sz, new);
        set_data(vm, a, &d)?;
        return Ok(Obj::NONE);
    }
    let i = vm.seq_index(index, n, "array")?;
    if value == Obj::SENTINEL {
        let mut item = [0u8; 8];
        let item = item.get_mut(..sz).unwrap_or(&mut []);
        vm.buffer_read(a, i * sz, item);
        return vm.new_int(decode(code, item));
    }
    let v = vm.expect_int(value)?;
    vm.buffer_write(a, i * sz, &encode(code, v)[..sz]);
    Ok(Obj::NONE)
}

fn self_array(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&a) if vm.is_exact(a, ids::ARRAY) => Ok(a),
        _ => Err(vm.type_error("expected an array")),
    }
}

fn array_append(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = self_array(vm, args)?;
    let v = crate::builtins::arg(vm, args, 1)?;
    let code = code_of(vm, a);
    let mut d = data_of(vm, a);
    d.extend(values_bytes(vm, code, &[v])?);
    set_data(vm, a, &d)?;
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
    let mut d = data_of(vm, a);
    d.extend(more);
    set_data(vm, a, &d)?;
    Ok(Obj::NONE)
}
