//! MicroPython's variable-length integers (most-significant 7-bit group first).

use alloc::vec::Vec;

/// Appends `v` as a var-uint: 7 bits per byte, most significant group first,
/// bit 7 set on every byte but the last.
pub fn write_vuint(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    let last = buf.len() - 1;
    for b in &mut buf[i..last] {
        *b |= 0x80;
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends `v` as a signed var-int (the `LOAD_CONST_SMALL_INT` operand): same layout
/// as a var-uint, with bit 6 of the first byte the sign.
pub fn write_svint(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut x = v;
    loop {
        i -= 1;
        buf[i] = (x & 0x7F) as u8;
        x >>= 7;
        if x == 0 || x == -1 {
            break;
        }
    }
    // Make the sign bit (0x40) of the top group match the value's sign.
    if v >= 0 && buf[i] & 0x40 != 0 {
        i -= 1;
        buf[i] = 0;
    } else if v < 0 && buf[i] & 0x40 == 0 {
        i -= 1;
        buf[i] = 0x7F;
    }
    let last = buf.len() - 1;
    for b in &mut buf[i..last] {
        *b |= 0x80;
    }
    out.extend_from_slice(&buf[i..]);
}

/// Number of bytes `write_vuint` would produce for `v`.
pub fn vuint_len(v: u64) -> usize {
    let mut n = 1;
    let mut x = v >> 7;
    while x != 0 {
        n += 1;
        x >>= 7;
    }
    n
}

/// Why decoding a number failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarIntError {
    /// The input ended before the last byte of the number.
    Truncated,
    /// The number does not fit in 64 bits.
    Overflow,
}

/// Reads a var-uint from `bytes` at `*pos`, advancing `*pos` past it.
pub fn read_vuint(bytes: &[u8], pos: &mut usize) -> Result<u64, VarIntError> {
    let mut v: u64 = 0;
    loop {
        let b = *bytes.get(*pos).ok_or(VarIntError::Truncated)?;
        *pos += 1;
        if v >> 57 != 0 {
            return Err(VarIntError::Overflow);
        }
        v = (v << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
}

/// Reads a signed var-int from `bytes` at `*pos`, advancing `*pos` past it.
pub fn read_svint(bytes: &[u8], pos: &mut usize) -> Result<i64, VarIntError> {
    let first = *bytes.get(*pos).ok_or(VarIntError::Truncated)?;
    let mut v: i64 = if first & 0x40 != 0 { -1 } else { 0 };
    loop {
        let b = *bytes.get(*pos).ok_or(VarIntError::Truncated)?;
        *pos += 1;
        if (v >> 56) != 0 && (v >> 56) != -1 {
            return Err(VarIntError::Overflow);
        }
        v = (v << 7) | i64::from(b & 0x7F);
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vuint_round_trip_and_layout() {
        let mut out = Vec::new();
        write_vuint(&mut out, 0x80);
        assert_eq!(out, [0x81, 0x00]);
        for v in [0u64, 1, 127, 128, 300, 16383, 16384, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            write_vuint(&mut out, v);
            assert_eq!(out.len(), vuint_len(v));
            let mut p = 0;
            assert_eq!(read_vuint(&out, &mut p), Ok(v));
            assert_eq!(p, out.len());
        }
    }

    #[test]
    fn svint_round_trip_and_sign_groups() {
        let mut out = Vec::new();
        write_svint(&mut out, 64);
        assert_eq!(out, [0x80, 0x40]);
        out.clear();
        write_svint(&mut out, -65);
        assert_eq!(out, [0xFF, 0x3F]);
        out.clear();
        write_svint(&mut out, -1);
        assert_eq!(out, [0x7F]);
        for v in [0i64, 1, -1, 63, 64, -64, -65, 1000, -1000, i32::MAX as i64, i32::MIN as i64, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            write_svint(&mut out, v);
            let mut p = 0;
            assert_eq!(read_svint(&out, &mut p), Ok(v), "value {v}");
            assert_eq!(p, out.len());
        }
    }

    #[test]
    fn truncated_and_overflowing_input_is_an_error() {
        let mut p = 0;
        assert_eq!(read_vuint(&[0x81], &mut p), Err(VarIntError::Truncated));
        let mut p = 0;
        assert_eq!(read_vuint(&[0xFF; 12], &mut p), Err(VarIntError::Overflow));
        let mut p = 0;
        assert_eq!(read_svint(&[], &mut p), Err(VarIntError::Truncated));
    }
}
