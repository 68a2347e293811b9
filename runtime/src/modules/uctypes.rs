//! The `uctypes` module: structured access to raw memory with MicroPython's
//! descriptors (`struct`, `sizeof`, `addressof`, `bytes_at`, `bytearray_at`
//! and the type constants). Memory is the VM's own heap: an address is
//! [`BASE`] plus a byte offset into it, so `addressof(buf)` points at a
//! bytes-like object's data and pointers read from structures lead back into
//! the heap; every access is bounds-checked (an address outside the heap
//! raises `ValueError`). `bytearray_at` and arrays of `UINT8` return copies,
//! not views. A struct object is `[type, address int, descriptor, layout]`.

use alloc::string::String;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// The address of heap byte 0.
pub const BASE: u64 = 0x1000_0000;
/// `LITTLE_ENDIAN`, `BIG_ENDIAN`, `NATIVE` (little-endian, aligned).
const LITTLE: i64 = 0;
const BIG: i64 = 1;
const NATIVE: i64 = 2;
/// Aggregate kinds (bits 29..31 of a tuple's first item).
const AGG_PTR: u32 = 1;
const AGG_ARRAY: u32 = 6;
/// Offsets use the low 17 bits.
const OFFSET_MASK: u32 = 0x1ffff;
/// Size of a pointer field (as on the host).
const PTR_SIZE: usize = core::mem::size_of::<usize>();

/// The module's function table.
pub static UCTYPES_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("uctypes", ids::OBJECT) };

static FUNCS: [Method; 4] = [
    Method::new_static("sizeof", sizeof),
    Method::new_static("addressof", addressof),
    Method::new_static("bytes_at", bytes_at),
    Method::new_static("bytearray_at", bytearray_at),
];

/// `uctypes.struct`.
pub static STRUCT_TYPE: TypeDesc = TypeDesc {
    make_new: Some(struct_new),
    print: Some(struct_print),
    attr: Some(struct_attr),
    subscr: Some(struct_subscr),
    unary_op: Some(struct_unary),
    buffer: Some(struct_buffer),
    methods: &STRUCT_METHODS,
    ..TypeDesc::new("struct", ids::OBJECT)
};

static STRUCT_METHODS: [Method; 1] = [Method::new("__int__", struct_int)];

/// `int(S)`: the structure's address.
fn struct_int(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = crate::builtins::arg(vm, args, 0)?;
    let (addr, _, _) = struct_parts(vm, o);
    vm.new_uint(addr)
}

/// Builds the `uctypes` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let t = |code: i32| Obj::from_small_int(((code as u32) << 27) as i32).unwrap_or(Obj::NONE);
    let small = |v: i32| Obj::from_small_int(v).unwrap_or(Obj::NONE);
    let extra = [
        ("struct", crate::types::type_obj(ids::UCTYPES_STRUCT)),
        ("NATIVE", small(NATIVE as i32)),
        ("LITTLE_ENDIAN", small(LITTLE as i32)),
        ("BIG_ENDIAN", small(BIG as i32)),
        ("VOID", t(0)),
        ("UINT8", t(0)),
        ("INT8", t(1)),
        ("UINT16", t(2)),
        ("INT16", t(3)),
        ("UINT32", t(4)),
        ("INT32", t(5)),
        ("UINT64", t(6)),
        ("INT64", t(7)),
        ("BFUINT8", t(24)),
        ("BFINT8", t(25)),
        ("BFUINT16", t(26)),
        ("BFINT16", t(27)),
        ("BFUINT32", t(28)),
        ("BFINT32", t(29)),
        ("FLOAT32", t(30)),
        ("FLOAT64", t(31)),
        ("BF_POS", small(17)),
        ("BF_LEN", small(22)),
        ("SHORT", t(3)),
        ("USHORT", t(2)),
        ("INT", t(5)),
        ("UINT", t(4)),
        ("LONG", t(7)),
        ("ULONG", t(6)),
        ("LONGLONG", t(7)),
        ("ULONGLONG", t(6)),
        ("PTR", small((AGG_PTR << 29) as i32)),
        ("ARRAY", small((AGG_ARRAY << 29) as i32)),
    ];
    super::make_module(vm, "uctypes", ids::UCTYPES_FUNCS, &extra)
}

// ----- memory -----

fn heap_offset(vm: &mut Vm, addr: u64, len: usize) -> PyResult<usize> {
    let total = vm.heap.words.words().len() * 4;
    match addr.checked_sub(BASE).map(|o| o as usize) {
        Some(o) if o.checked_add(len).is_some_and(|e| e <= total) => Ok(o),
        _ => Err(vm.value_error("address out of range")),
    }
}

pub(crate) fn mem_read(vm: &mut Vm, addr: u64, out: &mut [u8]) -> PyResult<()> {
    let o = heap_offset(vm, addr, out.len())?;
    crate::bytes_view::copy_out(vm.heap.words.words(), o, out);
    Ok(())
}

pub(crate) fn mem_write(vm: &mut Vm, addr: u64, data: &[u8]) -> PyResult<()> {
    let o = heap_offset(vm, addr, data.len())?;
    crate::bytes_view::copy_in(vm.heap.words.words_mut(), o, data);
    Ok(())
}

fn read_uint(vm: &mut Vm, addr: u64, size: usize, big: bool) -> PyResult<u64> {
    let mut b = [0u8; 8];
    mem_read(vm, addr, &mut b[..size])?;
    let mut v = 0u64;
    for i in 0..size {
        let byte = if big { b[i] } else { b[size - 1 - i] };
        v = v << 8 | byte as u64;
    }
    Ok(v)
}

fn write_uint(vm: &mut Vm, addr: u64, size: usize, big: bool, v: u64) -> PyResult<()> {
    let mut b = [0u8; 8];
    for (i, x) in b[..size].iter_mut().enumerate() {
        let shift = if big { 8 * (size - 1 - i) } else { 8 * i };
        *x = (v >> shift) as u8;
    }
    mem_write(vm, addr, &b[..size])
}

// ----- descriptors -----

/// A scalar field's type code (0..7 ints, 24..29 bit fields, 30/31 floats).
fn code_of(v: i64) -> u32 {
    ((v as u32) >> 27) & 0x1f
}

/// Size in bytes of a scalar type code.
fn scalar_size(code: u32) -> usize {
    match code {
        0 | 1 | 24 | 25 => 1,
        2 | 3 | 26 | 27 => 2,
        4 | 5 | 28 | 29 | 30 => 4,
        _ => 8,
    }
}

fn struct_parts(vm: &Vm, s: Obj) -> (u64, Obj, i64) {
    let addr = vm.get(s, 1);
    let addr = addr.small_int_value().map(|v| v as u64).unwrap_or_else(|| vm.int_value(addr).unwrap_or(0) as u64);
    (addr, vm.get(s, 2), vm.get(s, 3).small_int_value().unwrap_or(0) as i64)
}

fn new_struct(vm: &mut Vm, addr: u64, desc: Obj, layout: i64) -> PyResult<Obj> {
    let a = vm.new_uint(addr)?;
    vm.root(a);
    let o = vm.alloc(4)?;
    vm.set(o, 0, crate::types::type_obj(ids::UCTYPES_STRUCT));
    vm.set(o, 1, a);
    vm.set(o, 2, desc);
    vm.set(o, 3, Obj::from_small_int(layout as i32).unwrap_or(Obj::NONE));
    Ok(o)
}

fn struct_new(vm: &mut Vm, _t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let addr = vm.expect_bigint(args[0])?;
    let addr = u64::try_from(addr).map_err(|_| vm.new_error(ids::OVERFLOW_ERROR, "address out of range"))?;
    let layout = match args.get(2).copied().or_else(|| vm.kwarg(kw, "layout_type")) {
        Some(l) => vm.expect_int(l)?,
        None => NATIVE,
    };
    new_struct(vm, addr, args[1], layout)
}

fn struct_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let (addr, desc, _) = struct_parts(vm, o);
    let kind = if vm.is_dict(desc) {
        "STRUCT"
    } else if vm.is_tuple(desc) {
        match vm.tuple_items(desc).first().and_then(|f| f.small_int_value()).map(|v| (v as u32) >> 29) {
            Some(AGG_PTR) => "PTR",
            Some(AGG_ARRAY) => "ARRAY",
            _ => "ERROR",
        }
    } else {
        "ERROR"
    };
    out.push_str(&alloc::format!("<struct {kind} {addr:x}>"));
    Ok(())
}

/// Alignment of a descriptor item (NATIVE layout).
fn align_of(vm: &mut Vm, item: Obj) -> PyResult<usize> {
    if let Some(v) = item.small_int_value() {
        let code = code_of(v as i64);
        return Ok(scalar_size(code).min(8));
    }
    if vm.is_dict(item) {
        let mut a = 1;
        for (_, v) in vm.dict_entries(item) {
            a = a.max(align_of(vm, v)?);
        }
        return Ok(a);
    }
    let t = vm.tuple_items(item);
    match t.first().and_then(|f| f.small_int_value()).map(|v| (v as u32) >> 29) {
        Some(AGG_PTR) => Ok(PTR_SIZE),
        Some(AGG_ARRAY) if t.len() == 3 => align_of(vm, t[2]),
        Some(AGG_ARRAY) if t.len() == 2 => align_of(vm, t[1]),
        _ if t.len() == 2 => align_of(vm, t[1]),
        _ => Err(vm.type_error("struct: bad descriptor")),
    }
}

/// Size of a descriptor: a dict (struct), an aggregate tuple, or a scalar type.
fn desc_size(vm: &mut Vm, desc: Obj, layout: i64) -> PyResult<usize> {
    if vm.is_dict(desc) {
        let mut size = 0usize;
        for (_, v) in vm.dict_entries(desc) {
            let end = if let Some(x) = v.small_int_value() {
                let off = (x as u32 & OFFSET_MASK) as usize;
                off + scalar_size(code_of(x as i64))
            } else if vm.is_tuple(v) {
                let t = vm.tuple_items(v);
                let first = t
                    .first()
                    .and_then(|f| f.small_int_value())
                    .ok_or_else(|| vm.type_error("struct: bad descriptor"))?;
                let off = (first as u32 & OFFSET_MASK) as usize;
                off + desc_size(vm, v, layout)?
            } else {
                return Err(vm.type_error("struct: bad descriptor"));
            };
            size = size.max(end);
        }
        if layout == NATIVE {
            let a = align_of(vm, desc)?;
            size = size.div_ceil(a) * a;
        }
        return Ok(size);
    }
    if !vm.is_tuple(desc) {
        return Err(vm.type_error("struct: bad descriptor"));
    }
    let t = vm.tuple_items(desc);
    let Some(first) = t.first().and_then(|f| f.small_int_value()) else {
        return Err(vm.type_error("struct: bad descriptor"));
    };
    match ((first as u32) >> 29, t.len()) {
        (AGG_PTR, 2) => Ok(PTR_SIZE),
        (AGG_ARRAY, 2) => {
            let Some(e) = t[1].small_int_value() else { return Err(vm.type_error("struct: bad descriptor")) };
            Ok(scalar_size(code_of(e as i64)) * (e as u32 & OFFSET_MASK) as usize)
        }
        (AGG_ARRAY, 3) => {
            let n = vm.expect_int(t[1])? as usize;
            Ok(desc_size(vm, t[2], layout)? * n)
        }
        (0, 2) if vm.is_dict(t[1]) => desc_size(vm, t[1], layout),
        _ => Err(vm.type_error("struct: bad descriptor")),
    }
}

fn sizeof(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = crate::builtins::arg(vm, args, 0)?;
    let (desc, mut layout) = if vm.is_exact(d, ids::UCTYPES_STRUCT) {
        if args.len() > 1 {
            // A struct's layout is its own.
            return Err(vm.type_error("layout given for a struct object"));
        }
        let (_, desc, l) = struct_parts(vm, d);
        (desc, l)
    } else if vm.is_bytearray(d) {
        let n = vm.buffer_info(d).map_or(0, |i| i.len);
        return vm.new_int(n as i64);
    } else {
        (d, NATIVE)
    };
    if let Some(&l) = args.get(1) {
        layout = vm.expect_int(l)?;
    }
    let n = desc_size(vm, desc, layout)?;
    vm.new_int(n as i64)
}

fn addressof(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = crate::builtins::arg(vm, args, 0)?;
    let Some(info) = vm.buffer_info(o) else { return Err(vm.type_error("object with buffer protocol required")) };
    let base = info.holder.heap_offset().unwrap_or(0) as u64;
    vm.new_uint(BASE + base + info.offset as u64)
}

fn at_args(vm: &mut Vm, args: &[Obj]) -> PyResult<(u64, usize)> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let a = vm.expect_bigint(args[0])?;
    let a = u64::try_from(a).map_err(|_| vm.new_error(ids::OVERFLOW_ERROR, "address out of range"))?;
    let n = vm.expect_int(args[1])?;
    if !(0..1 << 26).contains(&n) {
        return Err(vm.value_error("bad size"));
    }
    Ok((a, n as usize))
}

fn bytes_at(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (a, n) = at_args(vm, args)?;
    let mut buf = alloc::vec![0u8; n];
    mem_read(vm, a, &mut buf)?;
    vm.new_bytes(&buf)
}

fn bytearray_at(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (a, n) = at_args(vm, args)?;
    bytearray_over(vm, a, n)
}

/// A bytearray of the `n` bytes at `addr`: sharing them when they start a heap
/// allocation (so writes go through, as MicroPython's view does), else a copy.
fn bytearray_over(vm: &mut Vm, addr: u64, n: usize) -> PyResult<Obj> {
    let off = heap_offset(vm, addr, n)?;
    match u32::try_from(off).ok().and_then(Obj::from_heap_offset) {
        Some(block) if n > 0 => {
            let o = vm.alloc(4)?;
            vm.set(o, 0, crate::types::type_obj(ids::BYTEARRAY));
            vm.set_u32(o, 1, n as u32);
            // Capacity = length: growing it moves it to a new allocation.
            vm.set_u32(o, 2, n as u32);
            vm.set(o, 3, block);
            Ok(o)
        }
        _ => {
            let mut buf = alloc::vec![0u8; n];
            mem_read(vm, addr, &mut buf)?;
            vm.new_bytearray(&buf)
        }
    }
}

// ----- field access -----

/// Reads the scalar `v` (type and offset) at `base`.
fn load_scalar(vm: &mut Vm, base: u64, v: i64, layout: i64) -> PyResult<Obj> {
    let code = code_of(v);
    let addr = base + (v as u32 & OFFSET_MASK) as u64;
    let big = layout == BIG;
    let size = scalar_size(code);
    let raw = read_uint(vm, addr, size, big)?;
    match code {
        0..=7 => {
            if code & 1 == 1 && size < 8 {
                let shift = 64 - 8 * size;
                vm.new_int(((raw << shift) as i64) >> shift)
            } else if code & 1 == 1 {
                vm.new_int(raw as i64)
            } else {
                vm.new_uint(raw)
            }
        }
        24..=29 => {
            let pos = (v as u32 >> 17) & 0x1f;
            let len = (v as u32 >> 22) & 0x1f;
            // As MicroPython: bit fields read unsigned, BFINT* too.
            let bits = (raw >> pos) & ((1u64 << len) - 1);
            vm.new_int(bits as i64)
        }
        30 => vm.new_float(f32::from_bits(raw as u32) as f64),
        _ => vm.new_float(f64::from_bits(raw)),
    }
}

/// Writes `value` into the scalar `v` at `base`.
fn store_scalar(vm: &mut Vm, base: u64, v: i64, layout: i64, value: Obj) -> PyResult<()> {
    let code = code_of(v);
    let addr = base + (v as u32 & OFFSET_MASK) as u64;
    let big = layout == BIG;
    let size = scalar_size(code);
    let raw = match code {
        30 => (vm.expect_float(value)? as f32).to_bits() as u64,
        31 => vm.expect_float(value)?.to_bits(),
        _ => {
            let n = vm.expect_bigint(value)?;
            let m: num_bigint::BigInt = n & num_bigint::BigInt::from(u64::MAX);
            u64::try_from(m).unwrap_or(0)
        }
    };
    if (24..=29).contains(&code) {
        let pos = (v as u32 >> 17) & 0x1f;
        let len = (v as u32 >> 22) & 0x1f;
        let mask = ((1u64 << len) - 1) << pos;
        let old = read_uint(vm, addr, size, big)?;
        return write_uint(vm, addr, size, big, (old & !mask) | ((raw << pos) & mask));
    }
    write_uint(vm, addr, size, big, raw)
}

/// The value of field descriptor `f` of the struct at `base`.
fn load_field(vm: &mut Vm, base: u64, f: Obj, layout: i64) -> PyResult<Obj> {
    if let Some(v) = f.small_int_value() {
        return load_scalar(vm, base, v as i64, layout);
    }
    if !vm.is_tuple(f) {
        return Err(vm.type_error("struct: bad descriptor"));
    }
    let t = vm.tuple_items(f);
    let Some(first) = t.first().and_then(|x| x.small_int_value()) else {
        return Err(vm.type_error("struct: bad descriptor"));
    };
    let addr = base + (first as u32 & OFFSET_MASK) as u64;
    match ((first as u32) >> 29, t.len()) {
        (0, 2) => new_struct(vm, addr, t[1], layout),
        (AGG_ARRAY, 2) if t[1].small_int_value().is_some_and(|e| code_of(e as i64) == 0) => {
            // An array of UINT8 reads as a bytearray over the same memory.
            let n = (t[1].small_int_value().unwrap_or(0) as u32 & OFFSET_MASK) as usize;
            bytearray_over(vm, addr, n)
        }
        (AGG_ARRAY, _) => new_struct(vm, addr, f, layout),
        (AGG_PTR, 2) => {
            let p = read_uint(vm, addr, PTR_SIZE, layout == BIG)?;
            new_struct(vm, p, f, layout)
        }
        _ => Err(vm.type_error("struct: bad descriptor")),
    }
}

fn struct_attr(vm: &mut Vm, o: Obj, name: crate::qstr::Qstr) -> PyResult<Option<Obj>> {
    let (addr, desc, layout) = struct_parts(vm, o);
    if !vm.is_dict(desc) {
        return Err(vm.type_error("struct: no fields"));
    }
    let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
    match vm.dict_get(desc, key)? {
        Some(f) => load_field(vm, addr, f, layout).map(Some),
        // As MicroPython: a missing field is a KeyError.
        None => Err(vm.new_exception(ids::KEY_ERROR, &[key]).map_or_else(|e| e, crate::error::PyErr)),
    }
}

/// `S.field = value` (scalars and bit fields only).
pub fn store_attr(vm: &mut Vm, o: Obj, name: crate::qstr::Qstr, value: Obj) -> PyResult<bool> {
    if !vm.is_exact(o, ids::UCTYPES_STRUCT) {
        return Ok(false);
    }
    let (addr, desc, layout) = struct_parts(vm, o);
    if !vm.is_dict(desc) {
        return Err(vm.type_error("struct: no fields"));
    }
    let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
    match vm.dict_get(desc, key)? {
        Some(f) => match f.small_int_value() {
            Some(v) => store_scalar(vm, addr, v as i64, layout, value).map(|_| true),
            None => Err(vm.type_error("struct: can't set aggregate field")),
        },
        None => Ok(false),
    }
}

fn struct_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    let (addr, desc, layout) = struct_parts(vm, o);
    if !vm.is_tuple(desc) || value.is_null() {
        return Err(vm.type_error("struct: cannot index"));
    }
    let t = vm.tuple_items(desc);
    let first = t.first().and_then(|x| x.small_int_value()).unwrap_or(0);
    let agg = (first as u32) >> 29;
    let i = vm.expect_int(index)?;
    // (element scalar or struct descriptor, element size, count)
    let (elem, size, count) = match (agg, t.len()) {
        (AGG_ARRAY, 2) => {
            let e = t[1].small_int_value().unwrap_or(0) as i64;
            (t[1], scalar_size(code_of(e)), Some((e as u32 & OFFSET_MASK) as i64))
        }
        (AGG_ARRAY, 3) => {
            let n = vm.expect_int(t[1])?;
            (t[2], desc_size(vm, t[2], layout)?, Some(n))
        }
        (AGG_PTR, 2) if vm.is_dict(t[1]) => (t[1], desc_size(vm, t[1], layout)?, None),
        (AGG_PTR, 2) => {
            let e = t[1].small_int_value().unwrap_or(0) as i64;
            (t[1], scalar_size(code_of(e)), None)
        }
        _ => return Err(vm.type_error("struct: cannot index")),
    };
    if count.is_some_and(|n| i < 0 || i >= n) {
        return Err(vm.new_error(ids::INDEX_ERROR, "struct: index out of range"));
    }
    let at = (addr as i64).wrapping_add(i.wrapping_mul(size as i64)) as u64;
    if let Some(e) = elem.small_int_value() {
        // The element's own offset bits are its count: only the type applies.
        let v = (e as u32 & !OFFSET_MASK) as i32 as i64;
        if value == Obj::SENTINEL {
            return load_scalar(vm, at, v, layout);
        }
        store_scalar(vm, at, v, layout, value)?;
        return Ok(Obj::NONE);
    }
    if value != Obj::SENTINEL {
        return Err(vm.type_error("struct: can't set aggregate element"));
    }
    new_struct(vm, at, elem, layout)
}

fn struct_unary(vm: &mut Vm, op: u8, _o: Obj) -> PyResult<Option<Obj>> {
    match op {
        crate::rt::UNARY_HASH => Err(vm.type_error("unhashable type: 'struct'")),
        _ => Ok(None),
    }
}

fn struct_buffer(vm: &Vm, o: Obj) -> Option<crate::types::buffer::BufferInfo> {
    let (addr, desc, _) = struct_parts(vm, o);
    // The size needs the descriptor walk, which may raise: only plain cases here.
    let len = buffer_len(vm, desc)?;
    let holder = Obj::from_heap_offset(16)?;
    let offset = addr.checked_sub(BASE + 16)? as usize;
    Some(crate::types::buffer::BufferInfo { holder, offset, len, writable: true, typecode: b'B' })
}

/// `desc_size` without raising (for the buffer protocol).
fn buffer_len(vm: &Vm, desc: Obj) -> Option<usize> {
    let mut size = 0usize;
    if !vm.is_dict(desc) {
        return None;
    }
    for (_, v) in vm.dict_entries(desc) {
        if let Some(x) = v.small_int_value() {
            size = size.max((x as u32 & OFFSET_MASK) as usize + scalar_size(code_of(x as i64)));
        } else {
            let t = vm.tuple_items(v);
            let first = t.first()?.small_int_value()?;
            let off = (first as u32 & OFFSET_MASK) as usize;
            let len = match ((first as u32) >> 29, t.len()) {
                (AGG_PTR, 2) => PTR_SIZE,
                (AGG_ARRAY, 2) => {
                    let e = t[1].small_int_value()?;
                    scalar_size(code_of(e as i64)) * (e as u32 & OFFSET_MASK) as usize
                }
                (AGG_ARRAY, 3) => buffer_len(vm, t[2])? * t[1].small_int_value()? as usize,
                (0, 2) => buffer_len(vm, t[1])?,
                _ => return None,
            };
            size = size.max(off + len);
        }
    }
    Some(size)
}
