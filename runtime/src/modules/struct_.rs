//! The `struct` module: `pack`, `pack_into`, `unpack`, `unpack_from`,
//! `calcsize`, with MicroPython's format characters (`b B h H i I l L q Q e f d
//! P O s x`, an optional count before each) and byte orders (`<`, `>`, `!`, and
//! `@` = native little-endian with alignment and the 64-bit unix port's sizes).
//! Integers are truncated to the field size as MicroPython 1.x does; items convert
//! through [`crate::types::binary`].

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{binary, ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table (a pseudo-type holding plain functions).
pub static STRUCT_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("struct", ids::OBJECT) };

static FUNCS: [Method; 5] = [
    Method::new_static("calcsize", calcsize),
    Method::new_static("pack", pack),
    Method::new_static("pack_into", pack_into),
    Method::new_static("unpack", unpack_from),
    Method::new_static("unpack_from", unpack_from),
];

/// Builds the `struct` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    super::make_module(vm, "struct", ids::STRUCT_FUNCS, &[])
}

/// One parsed field: type char and repeat count.
struct Field {
    ty: u8,
    count: usize,
}

struct Format {
    little: bool,
    native: bool,
    fields: Vec<Field>,
}

fn parse(vm: &mut Vm, fmt: Obj) -> PyResult<Format> {
    let text = vm.expect_str(fmt)?;
    let mut b = text.as_bytes();
    let (little, native) = match b.first() {
        Some(b'<') => (true, false),
        Some(b'>') | Some(b'!') => (false, false),
        Some(b'@') => (true, true),
        _ => (true, true),
    };
    if matches!(b.first(), Some(b'<' | b'>' | b'!' | b'@')) {
        b = &b[1..];
    }
    let mut fields = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let mut count = 1usize;
        if b[i].is_ascii_digit() {
            count = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                count = count.saturating_mul(10).saturating_add(usize::from(b[i] - b'0'));
                i += 1;
            }
            if count > (1 << 24) {
                return Err(vm.memory_error());
            }
        }
        let Some(&ty) = b.get(i) else {
            // A repeat count with no type after it.
            return Err(vm.value_error("bad typecode"));
        };
        if size_of(ty, native).is_none() && ty != b's' && ty != b'x' {
            return Err(vm.value_error("bad typecode"));
        }
        fields.push(Field { ty, count });
        i += 1;
    }
    Ok(Format { little, native, fields })
}

fn size_of(ty: u8, native: bool) -> Option<usize> {
    match ty {
        b'?' => Some(1),
        b'e' => Some(2),
        b'S' => None,
        _ if native => binary::native_size(ty),
        _ => binary::standard_size(ty),
    }
}

/// Total size and number of values.
fn layout(f: &Format) -> (usize, usize) {
    let (mut size, mut items) = (0usize, 0usize);
    for fl in &f.fields {
        match fl.ty {
            b'x' => size += fl.count,
            b's' => {
                size += fl.count;
                items += 1;
            }
            ty => {
                let sz = size_of(ty, f.native).unwrap_or(1);
                for _ in 0..fl.count {
                    if f.native {
                        size = size.div_ceil(sz) * sz;
                    }
                    size += sz;
                }
                items += fl.count;
            }
        }
    }
    (size, items)
}

fn calcsize(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let fmt = crate::builtins::arg(vm, args, 0)?;
    let f = parse(vm, fmt)?;
    vm.new_int(layout(&f).0 as i64)
}

/// Encodes `values` into `out` (which has the format's size).
fn pack_values(vm: &mut Vm, f: &Format, values: &[Obj], out: &mut [u8]) -> PyResult<()> {
    let mut p = 0usize;
    let mut vals = values.iter();
    for fl in &f.fields {
        match fl.ty {
            b'x' => p += fl.count,
            b's' => {
                let Some(&v) = vals.next() else { return Ok(()) };
                let data = vm.buffer_or_str(v).unwrap_or_default();
                let n = data.len().min(fl.count);
                out[p..p + n].copy_from_slice(&data[..n]);
                p += fl.count;
            }
            ty => {
                let sz = size_of(ty, f.native).unwrap_or(1);
                for _ in 0..fl.count {
                    let Some(&v) = vals.next() else { return Ok(()) };
                    if f.native {
                        p = p.div_ceil(sz) * sz;
                    }
                    let code = if ty == b'?' { b'B' } else { ty };
                    let mut bytes = [0u8; 8];
                    binary::put_item(vm, code, v, &mut bytes[..sz])?;
                    let field = &mut out[p..p + sz];
                    field.copy_from_slice(&bytes[..sz]);
                    if !f.little {
                        field.reverse();
                    }
                    p += sz;
                }
            }
        }
    }
    Ok(())
}

fn pack(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let fmt = crate::builtins::arg(vm, args, 0)?;
    let f = parse(vm, fmt)?;
    let (size, _) = layout(&f);
    let mut out = alloc::vec![0u8; size];
    pack_values(vm, &f, &args[1..], &mut out)?;
    vm.new_bytes(&out)
}

fn pack_into(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (fmt, buf, off) = match args {
        [f, b, o, ..] => (*f, *b, *o),
        _ => return Err(vm.type_error("function missing required positional argument")),
    };
    let f = parse(vm, fmt)?;
    let (size, _) = layout(&f);
    let Some(info) = vm.buffer_info(buf).filter(|i| i.writable) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let mut off = vm.expect_int(off)?;
    if off < 0 {
        off += info.len as i64;
        if off < 0 {
            return Err(vm.value_error("buffer too small"));
        }
    }
    let off = off as usize;
    if off.saturating_add(size) > info.len {
        return Err(vm.value_error("buffer too small"));
    }
    // Only the packed bytes (padding zeroed), not a copy of the whole buffer.
    let mut out = alloc::vec![0u8; size];
    pack_values(vm, &f, &args[3..], &mut out)?;
    vm.buffer_write(buf, off, &out);
    Ok(Obj::NONE)
}

fn unpack_from(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let fmt = crate::builtins::arg(vm, args, 0)?;
    let buf = crate::builtins::arg(vm, args, 1)?;
    let f = parse(vm, fmt)?;
    let (size, items) = layout(&f);
    let Some(info) = vm.buffer_info(buf) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let mut start = 0usize;
    if let Some(&o) = args.get(2) {
        let mut off = vm.expect_int(o)?;
        if off < 0 {
            off += info.len as i64;
            if off < 0 {
                return Err(vm.value_error("buffer too small"));
            }
        }
        start = off as usize;
    }
    if start.saturating_add(size) > info.len {
        return Err(vm.value_error("buffer too small"));
    }
    // Only the bytes unpacked, not a copy of the whole buffer.
    let mut data = alloc::vec![0u8; size];
    vm.buffer_read(buf, start, &mut data);
    let (base, mut p) = (0usize, 0usize);
    let mut out: Vec<Obj> = Vec::with_capacity(items);
    for fl in &f.fields {
        match fl.ty {
            b'x' => p += fl.count,
            b's' => {
                let o = vm.new_bytes(&data[p..p + fl.count])?;
                out.push(vm.root(o));
                p += fl.count;
            }
            ty => {
                let sz = size_of(ty, f.native).unwrap_or(1);
                for _ in 0..fl.count {
                    if f.native {
                        p = base + (p - base).div_ceil(sz) * sz;
                    }
                    let mut b = [0u8; 8];
                    b[..sz].copy_from_slice(&data[p..p + sz]);
                    if !f.little {
                        b[..sz].reverse();
                    }
                    let code = if ty == b'?' { b'B' } else { ty };
                    let o = binary::get_item(vm, code, &b[..sz])?;
                    out.push(vm.root(o));
                    p += sz;
                }
            }
        }
    }
    vm.new_tuple(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::VmConfig;
    use alloc::boxed::Box;

    #[test]
    fn layout_follows_byte_order_and_alignment() {
        let mut vm = Vm::new(VmConfig::default(), Box::new(|_: &[u8]| {}), Box::new(|_: &[u8]| {})).expect("vm");
        for (fmt, size, items) in [("<bi", 5, 2), ("@bi", 8, 2), (">2h3s", 7, 3), ("bhx", 5, 2), ("<q", 8, 1)] {
            let f = vm.new_str(fmt).expect("str");
            let parsed = parse(&mut vm, f).expect("parse");
            assert_eq!(layout(&parsed), (size, items), "{fmt}");
        }
        let bad = vm.new_str("z").expect("str");
        assert!(parse(&mut vm, bad).is_err());
    }
}
