//! `bytearray` (`[type, length, capacity, data]`, data = a separate heap
//! allocation of `capacity` bytes), exposed through the buffer protocol
//! ([`super::buffer`]).

use alloc::string::String;
use alloc::vec::Vec;

use super::buffer::BufferInfo;
use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The `bytearray` type.
pub static BYTEARRAY_TYPE: TypeDesc = TypeDesc {
    make_new: Some(bytearray_make_new),
    print: Some(bytearray_print),
    unary_op: Some(bytearray_unary),
    binary_op: Some(bytearray_binary),
    subscr: Some(bytearray_subscr),
    getiter: Some(super::iterators::new_seq_iter),
    methods: &super::strmeth::BYTEARRAY_METHODS,
    buffer: Some(bytearray_buffer),
    ..TypeDesc::new("bytearray", ids::OBJECT)
};

impl Vm {
    /// A new bytearray holding `data`.
    pub fn new_bytearray(&mut self, data: &[u8]) -> PyResult<Obj> {
        let o = self.alloc(4)?;
        self.set(o, 0, super::type_obj(ids::BYTEARRAY));
        if !data.is_empty() {
            self.with_temps(|vm| {
                vm.root(o);
                let buf = vm.alloc(data.len().div_ceil(4))?;
                vm.heap.words.write_bytes(buf, 0, data);
                vm.set(o, 3, buf);
                vm.set_u32(o, 1, data.len() as u32);
                vm.set_u32(o, 2, (data.len().div_ceil(4) * 4) as u32);
                Ok(())
            })?;
        }
        Ok(o)
    }

    /// True for bytearrays.
    pub fn is_bytearray(&self, o: Obj) -> bool {
        self.is_exact(o, ids::BYTEARRAY)
    }

    /// Sets a bytearray's length to `new_len`: new bytes are zero; the storage
    /// grows by doubling, so repeated appends cost amortised O(1) per byte.
    pub fn bytearray_resize(&mut self, o: Obj, new_len: usize) -> PyResult<()> {
        let len = self.get_usize(o, 1);
        let buf = self.reserve_storage(o, 3, 2, len.min(new_len), new_len)?;
        if new_len > len {
            // Bytes past the length may hold data from before a shrink.
            self.heap.words.write_bytes(buf, len, &alloc::vec![0u8; new_len - len]);
        }
        self.set_u32(o, 1, new_len as u32);
        Ok(())
    }

    /// Appends `more` to a bytearray (amortised O(1) per byte).
    pub fn bytearray_push(&mut self, o: Obj, more: &[u8]) -> PyResult<()> {
        let len = self.get_usize(o, 1);
        self.storage_append(o, 3, 2, len, more)?;
        self.set_u32(o, 1, (len + more.len()) as u32);
        Ok(())
    }

    /// Replaces a bytearray's contents.
    pub fn bytearray_set(&mut self, o: Obj, data: &[u8]) -> PyResult<()> {
        let buf = self.reserve_storage(o, 3, 2, 0, data.len())?;
        if !data.is_empty() {
            self.heap.words.write_bytes(buf, 0, data);
        }
        self.set_u32(o, 1, data.len() as u32);
        Ok(())
    }
}

fn bytearray_buffer(vm: &Vm, o: Obj) -> Option<BufferInfo> {
    Some(BufferInfo { holder: vm.get(o, 3), offset: 0, len: vm.get_usize(o, 1), writable: true, typecode: b'B' })
}

fn data(vm: &Vm, o: Obj) -> Vec<u8> {
    vm.buffer_bytes(o).unwrap_or_default()
}

/// The bytes for a bytes/bytearray constructor argument list.
pub fn bytes_from_args(vm: &mut Vm, args: &[Obj]) -> PyResult<Vec<u8>> {
    if args.len() > 3 {
        let msg = alloc::format!("function expected at most 3 arguments, got {}", args.len());
        return Err(vm.type_error(&msg));
    }
    if args.len() > 1 && !args.first().is_some_and(|&o| vm.is_str(o)) {
        return Err(vm.type_error("wrong number of arguments"));
    }
    match args.first() {
        None => Ok(Vec::new()),
        Some(&o) if vm.is_str(o) => {
            if args.len() < 2 {
                return Err(vm.type_error("string argument without an encoding"));
            }
            Ok(vm.str_bytes(o).unwrap_or_default())
        }
        Some(&o) if vm.is_int(o) || o.as_bool().is_some() => {
            // A count (OverflowError beyond a machine word).
            let n = vm.expect_int(o)?;
            if n < 0 {
                return Err(vm.value_error("negative count"));
            }
            if n > (1 << 26) {
                return Err(vm.memory_error_of(usize::try_from(n).unwrap_or(usize::MAX)));
            }
            Ok(alloc::vec![0u8; n as usize])
        }
        Some(&o) => {
            if let Some(b) = vm.buffer_bytes(o) {
                return Ok(b);
            }
            let mut out = Vec::new();
            for item in vm.collect_iterable(o)? {
                let v = vm.expect_int(item)?;
                if !(0..256).contains(&v) {
                    return Err(vm.value_error("bytes value out of range"));
                }
                out.push(v as u8);
            }
            Ok(out)
        }
    }
}

fn bytearray_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = bytes_from_args(vm, args)?;
    vm.new_bytearray(&d)
}

fn bytearray_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("bytearray(");
    super::bytes::bytes_repr(&data(vm, o), out);
    out.push(')');
    Ok(())
}

fn bytearray_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let n = vm.get_usize(o, 1);
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        _ => None,
    })
}

/// Comparisons and `in` shared by bytes-like types; `None` = not handled.
fn compare(vm: &mut Vm, op: u8, x: &[u8], b: Obj) -> PyResult<Option<Obj>> {
    if op == bop::IN {
        if let Some(v) = vm.int_value(b) {
            return Ok(Some(Obj::from_bool(x.contains(&(v as u8)))));
        }
        let Some(y) = vm.buffer_bytes(b) else { return Ok(None) };
        let found = y.is_empty() || x.windows(y.len()).any(|w| w == y.as_slice());
        return Ok(Some(Obj::from_bool(found)));
    }
    let Some(y) = vm.buffer_bytes(b) else {
        return Ok(match op {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    let y = y.as_slice();
    Ok(Some(Obj::from_bool(match op {
        bop::EQUAL => x == y,
        bop::NOT_EQUAL => x != y,
        bop::LESS => x < y,
        bop::MORE => x > y,
        bop::LESS_EQUAL => x <= y,
        bop::MORE_EQUAL => x >= y,
        _ => return Ok(None),
    })))
}

fn bytearray_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    match op {
        bop::INPLACE_ADD => {
            let Some(y) = vm.buffer_bytes(b) else { return Ok(None) };
            vm.bytearray_push(a, &y)?;
            Ok(Some(a))
        }
        bop::ADD => {
            let Some(y) = vm.buffer_bytes(b) else { return Ok(None) };
            let mut v = data(vm, a);
            v.extend_from_slice(&y);
            Ok(Some(vm.new_bytearray(&v)?))
        }
        _ => {
            let x = data(vm, a);
            compare(vm, op, &x, b)
        }
    }
}

pub(crate) fn byte_value(vm: &mut Vm, v: Obj) -> PyResult<u8> {
    let n = vm.expect_int(v)?;
    Ok(n as u8)
}

fn bytearray_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value.is_null() {
        return Err(vm.type_error("'bytearray' object doesn't support item deletion"));
    }
    let len = vm.get_usize(o, 1);
    if let Some(i) = super::slice::small_index(index, len) {
        // Item access: straight to the byte.
        let holder = vm.get(o, 3);
        if value == Obj::SENTINEL {
            let mut b = [0u8];
            vm.heap.words.read_bytes(holder, i, &mut b);
            return Ok(Obj::from_small_int(i32::from(b[0])).unwrap_or(Obj::NONE));
        }
        let b = byte_value(vm, value)?;
        vm.heap.words.write_bytes(holder, i, &[b]);
        return Ok(Obj::NONE);
    }
    if let Some((start, stop, step)) = vm.slice_indices(index, len)? {
        let mut d = data(vm, o);
        if value == Obj::SENTINEL {
            let picked = super::slice::pick(&d, start, stop, step);
            return vm.new_bytearray(&picked);
        }
        if step != 1 {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported"));
        }
        // The bytes of a buffer (bytes, bytearray, memoryview, array), as
        // MicroPython takes them; not an int or an iterable.
        let new = match (vm.is_str(value), vm.buffer_bytes(value)) {
            (false, Some(bytes)) => bytes,
            _ => return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "array/bytes required on right side")),
        };
        let (s, e) = (start.max(0) as usize, stop.max(start).max(0) as usize);
        let (s, e) = (s.min(d.len()), e.min(d.len()));
        d.splice(s..e, new);
        vm.bytearray_set(o, &d)?;
        return Ok(Obj::NONE);
    }
    let i = vm.seq_index(index, len, "bytearray")?;
    if value == Obj::SENTINEL {
        return vm.new_int(i64::from(vm.buffer_byte(o, i)));
    }
    let b = byte_value(vm, value)?;
    vm.buffer_write(o, i, &[b]);
    Ok(Obj::NONE)
}

/// `bytearray.append(x)`.
pub fn bytearray_append(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (o, v) = match args {
        [o, v] if vm.is_bytearray(*o) => (*o, *v),
        _ => return Err(vm.type_error("function takes 2 positional arguments")),
    };
    let b = byte_value(vm, v)?;
    vm.bytearray_push(o, &[b])?;
    Ok(Obj::NONE)
}

/// `bytearray.extend(iterable)`.
pub fn bytearray_extend(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (o, v) = match args {
        [o, v] if vm.is_bytearray(*o) => (*o, *v),
        _ => return Err(vm.type_error("function takes 2 positional arguments")),
    };
    let more = bytes_from_args(vm, &[v])?;
    vm.bytearray_push(o, &more)?;
    Ok(Obj::NONE)
}
