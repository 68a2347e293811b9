//! Typed items in byte buffers, shared by `array`, `memoryview` and `struct` (the role of
//! MicroPython's `binary.c`): the size of each typecode and the conversion of one item
//! between its little-endian bytes and a Python object.
//!
//! Integers are stored as the low bytes of their two's complement (MicroPython 1.x
//! truncates out-of-range values instead of raising); unsigned 64-bit items beyond
//! `i64::MAX` read back as big ints. `O` items hold an object reference (32 bits in
//! ferropy, stored in an 8-byte slot as MicroPython's pointer-sized one), so the GC's
//! conservative scan of the buffer keeps the object alive.

use ferropy_bytecode::opcode::binary as bop;

use super::ids;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// Size in bytes of one item of `code` in native layout (arrays, memoryviews, `struct`'s
/// `@`), as on MicroPython's 64-bit unix port; `None` for an unknown typecode.
pub fn native_size(code: u8) -> Option<usize> {
    Some(match code {
        b'b' | b'B' => 1,
        b'h' | b'H' => 2,
        b'i' | b'I' | b'f' => 4,
        b'l' | b'L' | b'q' | b'Q' | b'd' | b'P' | b'O' | b'S' => 8,
        _ => return None,
    })
}

/// Size of one item of `code` in `struct`'s standard layouts (`<`, `>`, `!`): `l`/`L`
/// are 4 bytes there.
pub fn standard_size(code: u8) -> Option<usize> {
    match code {
        b'l' | b'L' => Some(4),
        _ => native_size(code),
    }
}

/// True for the signed integer typecodes.
pub fn is_signed(code: u8) -> bool {
    matches!(code, b'b' | b'h' | b'i' | b'l' | b'q')
}

/// True for the floating-point typecodes.
pub fn is_float(code: u8) -> bool {
    matches!(code, b'e' | b'f' | b'd')
}

/// The value of an IEEE 754 half-precision float (`struct`'s `e`).
pub fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let mant = f64::from(h & 0x3ff);
    sign * match exp {
        0 => mant * libm::ldexp(1.0, -24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + mant / 1024.0) * libm::ldexp(1.0, exp - 15),
    }
}

/// `v` as an IEEE 754 half-precision float, rounded to nearest even (overflow gives
/// infinity), through its single-precision value.
pub fn f64_to_half(v: f64) -> u16 {
    let b = (v as f32).to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let mant = b & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if mant != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 31 {
        return sign | 0x7c00;
    }
    // Keep `shift` low bits' worth of rounding: to nearest, ties to even.
    let round = |value: u32, shift: u32| -> u32 {
        let kept = value >> shift;
        let rem = value & ((1 << shift) - 1);
        let halfway = 1 << (shift - 1);
        kept + u32::from(rem > halfway || (rem == halfway && kept & 1 == 1))
    };
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        // Subnormal: units of 2^-24.
        return sign | round(mant | 0x80_0000, (14 - e) as u32) as u16;
    }
    // A carry out of the mantissa rounds up into the exponent, as it should.
    sign | round(((e as u32) << 23) | mant, 13) as u16
}

/// The object for one item of `code` stored little-endian in `bytes` (one item's size).
pub fn get_item(vm: &mut Vm, code: u8, bytes: &[u8]) -> PyResult<Obj> {
    let mut w = [0u8; 8];
    let n = bytes.len().min(8);
    w[..n].copy_from_slice(&bytes[..n]);
    let raw = u64::from_le_bytes(w);
    match code {
        b'e' => vm.new_float(half_to_f64(raw as u16)),
        b'f' => vm.new_float(f64::from(f32::from_bits(raw as u32))),
        b'd' => vm.new_float(f64::from_bits(raw)),
        b'O' => {
            let o = Obj::from_raw(raw as u32);
            // Only references to live allocations come back; anything else was never
            // stored by `put_item` and is refused rather than trusted.
            if o.is_heap_ref() && vm.heap.gc.alloc_size(o).is_none() {
                return Err(vm.value_error("invalid object reference"));
            }
            Ok(o)
        }
        b'S' => Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "typecode 'S' needs raw memory access")),
        _ if n == 0 => vm.new_int(0),
        _ if is_signed(code) => {
            let shift = 64 - 8 * n as u32;
            vm.new_int(((raw << shift) as i64) >> shift)
        }
        _ => vm.new_uint(raw),
    }
}

/// Stores `v` as one item of `code` into `out` (one item's size), little-endian.
pub fn put_item(vm: &mut Vm, code: u8, v: Obj, out: &mut [u8]) -> PyResult<()> {
    let word: [u8; 8] = match code {
        b'e' => u64::from(f64_to_half(vm.expect_float(v)?)).to_le_bytes(),
        b'f' => u64::from((vm.expect_float(v)? as f32).to_bits()).to_le_bytes(),
        b'd' => vm.expect_float(v)?.to_le_bytes(),
        b'O' => u64::from(v.raw()).to_le_bytes(),
        _ => int_word(vm, v)?,
    };
    let n = out.len().min(8);
    out[..n].copy_from_slice(&word[..n]);
    Ok(())
}

/// The low 64 bits of an int's two's complement (bools count as ints).
pub fn int_word(vm: &mut Vm, v: Obj) -> PyResult<[u8; 8]> {
    if let Some(n) = vm.int_value(v) {
        return Ok(n.to_le_bytes());
    }
    if vm.is_int(v) {
        let big = vm.expect_bigint(v)?;
        let bytes = big.to_signed_bytes_le();
        let fill = if big.sign() == num_bigint::Sign::Minus { 0xff } else { 0 };
        let mut w = [fill; 8];
        for (d, s) in w.iter_mut().zip(bytes.iter()) {
            *d = *s;
        }
        return Ok(w);
    }
    let n = vm.type_name(v);
    Err(vm.type_error(&alloc::format!("can't convert {n} to int")))
}

/// Comparisons of an array or memoryview `a` with any buffer `b`, as MicroPython's
/// `array_binary_op`: the bytes are compared when the typecodes agree up to signedness
/// (`<`, `>`, ... only for unsigned ones, never for floats); other pairs raise
/// NotImplementedError. `None` for operators this does not handle.
pub fn compare_buffers(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if !matches!(op, bop::EQUAL | bop::NOT_EQUAL | bop::LESS | bop::LESS_EQUAL | bop::MORE | bop::MORE_EQUAL) {
        return Ok(None);
    }
    let (Some(x), Some(y)) = (vm.buffer_info(a), vm.buffer_info(b)) else {
        return Ok(Some(Obj::from_bool(op == bop::NOT_EQUAL)));
    };
    let (xc, xu) = (x.typecode.to_ascii_lowercase(), x.typecode.is_ascii_uppercase());
    let (yc, yu) = (y.typecode.to_ascii_lowercase(), y.typecode.is_ascii_uppercase());
    let ordered = matches!(op, bop::EQUAL | bop::NOT_EQUAL) || xu || yu;
    if xc != yc || is_float(xc) || !ordered {
        return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, ""));
    }
    let (p, q) = (vm.buffer_bytes(a).unwrap_or_default(), vm.buffer_bytes(b).unwrap_or_default());
    Ok(Some(Obj::from_bool(match op {
        bop::EQUAL => p == q,
        bop::NOT_EQUAL => p != q,
        bop::LESS => p < q,
        bop::LESS_EQUAL => p <= q,
        bop::MORE => p > q,
        _ => p >= q,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::VmConfig;
    use alloc::boxed::Box;
    use num_bigint::BigInt;

    #[test]
    fn items_round_trip_and_truncate() {
        let mut vm = Vm::new(VmConfig::default(), Box::new(|_: &[u8]| {}), Box::new(|_: &[u8]| {})).expect("vm");
        let mut buf = [0u8; 8];
        let minus_one = vm.new_int(-1).expect("int");
        put_item(&mut vm, b'Q', minus_one, &mut buf).expect("put");
        assert_eq!(buf, [0xff; 8]);
        let back = get_item(&mut vm, b'Q', &buf).expect("get");
        assert_eq!(vm.bigint_value(back), Some(BigInt::from(u64::MAX)));
        let back = get_item(&mut vm, b'b', &buf[..1]).expect("get");
        assert_eq!(vm.int_value(back), Some(-1));
        let big = vm.new_bigint(&(BigInt::from(1) << 70usize)).expect("big");
        put_item(&mut vm, b'i', big, &mut buf[..4]).expect("put");
        assert_eq!(buf[..4], [0; 4]);
        assert_eq!(native_size(b'l'), Some(8));
        assert_eq!(standard_size(b'l'), Some(4));
        assert_eq!(native_size(b'z'), None);
    }

    #[test]
    fn half_floats_round_trip() {
        for v in [0.0, 1.5, -2.0, 65504.0, 6.103515625e-05, 5.960464477539063e-08, 0.333251953125] {
            assert_eq!(half_to_f64(f64_to_half(v)), v, "{v}");
        }
        assert_eq!(f64_to_half(1e6), 0x7c00);
        assert!(half_to_f64(f64_to_half(f64::NAN)).is_nan());
        // 1 + 2^-11 is halfway between 1 and the next half: ties to even (1).
        assert_eq!(f64_to_half(1.0 + 2f64.powi(-11)), 0x3c00);
    }
}
