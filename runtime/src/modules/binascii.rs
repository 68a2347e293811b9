//! The `binascii` module: `hexlify`, `unhexlify`, `a2b_base64`, `b2a_base64`
//! and `crc32`, with MicroPython's error messages.

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table.
pub static BINASCII_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("binascii", ids::OBJECT) };

static FUNCS: [Method; 5] = [
    Method::new_static("hexlify", hexlify),
    Method::new_static("unhexlify", unhexlify),
    Method::new_static("a2b_base64", a2b_base64),
    Method::new_static("b2a_base64", b2a_base64),
    Method::new_static("crc32", crc32),
];

/// Builds the `binascii` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    super::make_module(vm, "binascii", ids::BINASCII_FUNCS, &[])
}

/// A bytes-like argument (`str` too when `text` is allowed).
fn data(vm: &mut Vm, args: &[Obj], i: usize, text: bool) -> PyResult<Vec<u8>> {
    let o = crate::builtins::arg(vm, args, i)?;
    let b = if text { vm.buffer_or_str(o) } else { vm.buffer_bytes(o) };
    match b {
        Some(b) => Ok(b),
        None => Err(vm.type_error("object with buffer protocol required")),
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `data`, with `sep` between bytes.
pub fn to_hex(data: &[u8], sep: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 3);
    for (i, b) in data.iter().enumerate() {
        if i > 0 {
            if let Some(s) = sep {
                out.extend_from_slice(s);
            }
        }
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
    out
}

fn hexlify(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 2)?;
    // Like MicroPython, any buffer (a str too) is hexlified.
    let d = data(vm, args, 0, true)?;
    let sep = match args.get(1) {
        Some(_) => Some(data(vm, args, 1, true)?),
        None => None,
    };
    let out = to_hex(&d, sep.as_deref());
    vm.new_bytes(&out)
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

/// Bytes from hex text; `None` for an odd length or a non-hex digit.
pub fn from_hex(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    text.chunks_exact(2).map(|p| Some(hex_val(p[0])? << 4 | hex_val(p[1])?)).collect()
}

fn unhexlify(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = data(vm, args, 0, true)?;
    match from_hex(&d) {
        Some(b) => vm.new_bytes(&b),
        None => Err(vm.value_error("non-hex digit")),
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 of `data` (no newline).
pub fn encode_base64(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4 + 1);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out
}

/// Decodes base64 as MicroPython does: characters outside the alphabet are
/// skipped, decoding stops after a padded group; `None` for bad padding.
pub fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut n, mut pads) = (0u32, 0usize, 0usize);
    for &c in text {
        if c == b'=' {
            match n % 4 {
                // Padding where no group is open is ignored.
                0 => continue,
                1 => return None,
                _ => {}
            }
            pads += 1;
            if n % 4 + pads == 4 {
                break;
            }
            continue;
        }
        let Some(v) = B64.iter().position(|&x| x == c) else { continue };
        if pads > 0 {
            // Data after an incomplete run of padding.
            return None;
        }
        acc = acc << 6 | v as u32;
        n += 1;
        if n % 4 == 0 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
        }
    }
    match n % 4 {
        0 => {}
        r if pads > 0 && r + pads == 4 => {
            acc <<= 6 * pads as u32;
            let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
            out.extend_from_slice(&bytes[..r - 1]);
        }
        _ => return None,
    }
    Some(out)
}

fn a2b_base64(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = data(vm, args, 0, true)?;
    match decode_base64(&d) {
        Some(b) => vm.new_bytes(&b),
        None => Err(vm.value_error("incorrect padding")),
    }
}

fn b2a_base64(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let d = data(vm, args, 0, false)?;
    let newline = match vm.kwarg(kw, "newline") {
        Some(v) => vm.is_true(v)?,
        None => true,
    };
    let mut out = encode_base64(&d);
    if newline {
        out.push(b'\n');
    }
    vm.new_bytes(&out)
}

/// CRC-32 (IEEE, as zlib) of `data` continuing from `crc`.
pub fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { c >> 1 ^ 0xedb8_8320 } else { c >> 1 };
        }
    }
    !c
}

fn crc32(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 2)?;
    let d = data(vm, args, 0, false)?;
    let start = match args.get(1) {
        Some(&c) => {
            let v = vm.expect_bigint(c)?;
            let m: num_bigint::BigInt = v & num_bigint::BigInt::from(0xffff_ffffu32);
            u32::try_from(m).unwrap_or(0)
        }
        None => 0,
    };
    vm.new_uint(crc32_update(start, &d) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_errors() {
        for n in 0..20 {
            let d: Vec<u8> = (0..n).map(|i| (i * 37) as u8).collect();
            assert_eq!(decode_base64(&encode_base64(&d)).unwrap(), d);
        }
        assert_eq!(decode_base64(b"YQ==YQ==").unwrap(), b"a");
        assert_eq!(decode_base64(b"!!!!").unwrap(), b"");
        assert!(decode_base64(b"YQ=").is_none());
        assert!(decode_base64(b"YW=j").is_none());
        assert!(decode_base64(b"Y").is_none());
        assert_eq!(decode_base64(b"=").unwrap(), b"");
    }

    #[test]
    fn crc_and_hex() {
        assert_eq!(crc32_update(0, b"hello"), 907060870);
        assert_eq!(crc32_update(crc32_update(0, b"hello "), b"world"), 222957957);
        assert_eq!(from_hex(b"0A1b").unwrap(), b"\n\x1b");
        assert!(from_hex(b"0").is_none());
        assert_eq!(to_hex(b"ab", Some(b":")), b"61:62");
    }
}
