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
    subclassable: true,
    make_new: Some(bytes_make_new),
    print: Some(bytes_print),
    unary_op: Some(bytes_unary),
    binary_op: Some(bytes_binary),
    subscr: Some(bytes_subscr),
    getiter: Some(super::iterators::new_seq_iter),
    methods: &super::strmeth::BYTES_METHODS,
    buffer: Some(super::buffer::bytes_buffer),
    ..TypeDesc::new("bytes", ids::OBJECT)
};

impl Vm {
    /// A new bytes object.
    pub fn new_bytes(&mut self, data: &[u8]) -> PyResult<Obj> {
        self.new_str_bytes(data, ids::BYTES)
    }
}

fn bytes_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = super::bytearray::bytes_from_args(vm, args)?;
    vm.new_bytes(&d)
}

fn bytes_print(vm: &mut Vm, o: Obj, out: &mut String, repr: bool) -> PyResult<()> {
    let _ = repr;
    let b = vm.str_bytes(o).unwrap_or_default();
    bytes_repr(&b, out);
    Ok(())
}

/// Appends `b'...'` for `b` with MicroPython's escapes.
pub fn bytes_repr(b: &[u8], out: &mut String) {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    out.push('b');
    out.push(quote);
    for &c in b {
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
}

fn bytes_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let n = vm.str_byte_len(o);
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        rt::UNARY_HASH => Some(vm.new_int(i64::from(vm.get_u32(o, 2)))?),
        _ => None,
    })
}

fn bytes_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    use ferropy_bytecode::opcode::binary as bop;
    let x = vm.str_bytes(a).unwrap_or_default();
    if op == ferropy_bytecode::opcode::binary::IN {
        if let Some(v) = vm.int_value(b) {
            return Ok(Some(Obj::from_bool(x.contains(&(v as u8)))));
        }
        let Some(y) = vm.buffer_bytes(b) else { return Ok(None) };
        let found = y.is_empty() || x.windows(y.len()).any(|w| w == y.as_slice());
        return Ok(Some(Obj::from_bool(found)));
    }
    if op == bop::MODULO {
        return super::format::str_percent(vm, a, b).map(Some);
    }
    if op == bop::MULTIPLY || op == bop::INPLACE_MULTIPLY {
        let Some(n) = vm.int_value(b) else { return Ok(None) };
        let n = n.max(0) as usize;
        if x.len().saturating_mul(n) > (1 << 26) {
            return Err(vm.memory_error_of(x.len().saturating_mul(n)));
        }
        return Ok(Some(vm.new_bytes(&x.repeat(n))?));
    }
    // Equality with an array is decided by types (neither side checks the other type,
    // as in MicroPython), so a bytes never equals an array.
    let array = matches!(op, bop::EQUAL | bop::NOT_EQUAL) && vm.is_exact(vm.native_self(b), ids::ARRAY);
    let y = if vm.is_str(b) || array { None } else { vm.buffer_bytes(b) };
    let Some(y) = y else {
        return Ok(match op {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    Ok(Some(match op {
        // Adding empty bytes gives the other operand itself when it is bytes
        // (no allocation, as in MicroPython).
        bop::ADD | bop::INPLACE_ADD if y.is_empty() && vm.is_exact(a, ids::BYTES) => a,
        bop::ADD | bop::INPLACE_ADD if x.is_empty() && vm.is_exact(b, ids::BYTES) => b,
        bop::ADD | bop::INPLACE_ADD => {
            let mut v = x;
            v.extend_from_slice(&y);
            vm.new_bytes(&v)?
        }
        _ => return Ok(crate::rt::ops::compare_ordered(op, x.as_slice(), y.as_slice())),
    }))
}

fn bytes_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value != Obj::SENTINEL {
        return Err(vm.type_error("'bytes' object doesn't support item assignment"));
    }
    let len = vm.buffer_info(o).map_or(0, |i| i.len);
    if let Some((start, stop, step)) = vm.slice_indices(index, len)? {
        let b = vm.str_bytes(o).unwrap_or_default();
        if step != 1 {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported"));
        }
        let picked = super::slice::pick(&b, start, stop, step);
        return vm.new_bytes(&picked);
    }
    let i = vm.seq_index(index, len, "bytes")?;
    vm.new_int(i64::from(vm.buffer_byte(o, i)))
}
