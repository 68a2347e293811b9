//! `bytes`: same layout as a heap str (`[type, length, hash, bytes...]`).

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;

/// The `bytes` type.
pub static BYTES_TYPE: TypeDesc = TypeDesc {
    make_new: Some(bytes_make_new),
    print: Some(bytes_print),
    unary_op: Some(bytes_unary),
    binary_op: Some(bytes_binary),
    subscr: Some(bytes_subscr),
    getiter: Some(super::iterators::new_seq_iter),
    ..TypeDesc::new("bytes", ids::OBJECT)
};

impl Vm {
    /// A new bytes object.
    pub fn new_bytes(&mut self, data: &[u8]) -> PyResult<Obj> {
        self.new_str_bytes(data, ids::BYTES)
    }
}

fn bytes_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        None => vm.new_bytes(&[]),
        Some(&o) if vm.is_str(o) => {
            let b = vm.str_bytes(o).unwrap_or_default();
            vm.new_bytes(&b)
        }
        Some(&o) if vm.int_value(o).is_some() => {
            let n = vm.int_value(o).unwrap_or(0).clamp(0, 1 << 24) as usize;
            vm.new_bytes(&alloc::vec![0u8; n])
        }
        Some(&o) => {
            let mut data = alloc::vec::Vec::new();
            for item in vm.collect_iterable(o)? {
                let v = vm.expect_int(item)?;
                if !(0..256).contains(&v) {
                    return Err(vm.value_error("bytes value out of range"));
                }
                data.push(v as u8);
            }
            vm.new_bytes(&data)
        }
    }
}

fn bytes_print(vm: &mut Vm, o: Obj, out: &mut String, repr: bool) -> PyResult<()> {
    let _ = repr;
    let b = vm.str_bytes(o).unwrap_or_default();
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    out.push('b');
    out.push(quote);
    for &c in &b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(c as char),
            _ => out.push_str(&alloc::format!("\\x{c:02x}")),
        }
    }
    out.push(quote);
    Ok(())
}

fn bytes_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let b = vm.str_bytes(o).unwrap_or_default();
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(!b.is_empty())),
        rt::UNARY_LEN => Some(vm.new_int(b.len() as i64)?),
        rt::UNARY_HASH => Some(vm.new_int(i64::from(vm.get_u32(o, 2)))?),
        _ => None,
    })
}

fn bytes_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    use ferropy_bytecode::opcode::binary as bop;
    let x = vm.str_bytes(a).unwrap_or_default();
    let y = if vm.is_exact(b, ids::BYTES) { vm.str_bytes(b) } else { None };
    let Some(y) = y else {
        return Ok(match op {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    Ok(Some(match op {
        bop::ADD | bop::INPLACE_ADD => {
            let mut v = x;
            v.extend_from_slice(&y);
            vm.new_bytes(&v)?
        }
        bop::EQUAL => Obj::from_bool(x == y),
        bop::NOT_EQUAL => Obj::from_bool(x != y),
        bop::LESS => Obj::from_bool(x < y),
        bop::MORE => Obj::from_bool(x > y),
        bop::LESS_EQUAL => Obj::from_bool(x <= y),
        bop::MORE_EQUAL => Obj::from_bool(x >= y),
        _ => return Ok(None),
    }))
}

fn bytes_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value != Obj::SENTINEL {
        return Err(vm.type_error("'bytes' object doesn't support item assignment"));
    }
    let b = vm.str_bytes(o).unwrap_or_default();
    if let Some((start, stop, step)) = vm.slice_indices(index, b.len())? {
        let picked = super::slice::pick(&b, start, stop, step);
        return vm.new_bytes(&picked);
    }
    let i = vm.seq_index(index, b.len(), "bytes")?;
    vm.new_int(i64::from(b.get(i).copied().unwrap_or(0)))
}
