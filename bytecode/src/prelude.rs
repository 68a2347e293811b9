//! The function prelude: signature, sizes, source info, line table and cells.
//!
//! Every bytecode function starts with a prelude (MicroPython's `py/bc.h` layout):
//!
//! ```text
//! signature (packed bits) | size (packed bits) | source info (n_info bytes) | cells (n_cell bytes) | opcodes
//! ```
//!
//! The source info holds the var-uint qstr index of the function's simple name, one
//! var-uint qstr index per positional and keyword-only parameter, then the line table.

use alloc::vec::Vec;
use core::ops::Range;

use crate::error::DecodeError;
use crate::varint::read_vuint;

/// The six numbers packed in a bytecode function's signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    /// Number of state slots: locals plus the maximum value-stack depth (at least 1).
    pub n_state: u32,
    /// Maximum nesting of exception blocks.
    pub n_exc_stack: u32,
    /// Scope flags; only the low 4 bits (`scope_flags::ALL_SIG`) are stored.
    pub scope_flags: u8,
    /// Number of positional parameters.
    pub n_pos_args: u32,
    /// Number of keyword-only parameters.
    pub n_kwonly_args: u32,
    /// Number of positional parameters with default values.
    pub n_def_pos_args: u32,
}

/// Appends the packed signature (MicroPython's xSSSSEAA / xFSSKAED scheme; stores n_state-1;
/// only the low 4 bits of scope_flags).
///
/// An `n_state` of 0 is stored like 1 (MicroPython never emits fewer than one slot).
pub fn encode_signature(sig: &Signature, out: &mut Vec<u8>) {
    let mut s = sig.n_state.saturating_sub(1);
    let mut e = sig.n_exc_stack;
    let mut f = u32::from(sig.scope_flags) & 0x0F;
    let mut a = sig.n_pos_args;
    let mut k = sig.n_kwonly_args;
    let mut d = sig.n_def_pos_args;

    // First byte: xSSSSEAA.
    let mut byte = ((s & 0x0F) << 3 | (e & 1) << 2 | (a & 3)) as u8;
    s >>= 4;
    e >>= 1;
    a >>= 2;
    while s | e | f | a | k | d != 0 {
        out.push(0x80 | byte);
        // Following bytes: xFSSKAED.
        byte = ((f & 1) << 6 | (s & 3) << 4 | (k & 1) << 3 | (a & 1) << 2 | (e & 1) << 1 | (d & 1)) as u8;
        s >>= 2;
        e >>= 1;
        f >>= 1;
        a >>= 1;
        k >>= 1;
        d >>= 1;
    }
    out.push(byte);
}

/// Sets bit `shift` of `field` when `bit` is set, failing if the bit does not fit in 32 bits.
fn put_bit(field: &mut u32, bit: bool, shift: u32, what: &'static str, offset: usize) -> Result<(), DecodeError> {
    if bit {
        if shift >= 32 {
            return Err(DecodeError::too_large(what, offset));
        }
        *field |= 1 << shift;
    }
    Ok(())
}

/// Reads a packed signature at `*pos`, advancing `*pos` past it.
pub fn decode_signature(code: &[u8], pos: &mut usize) -> Result<Signature, DecodeError> {
    const WHAT: &str = "signature";
    let start = *pos;
    let first = *code.get(*pos).ok_or(DecodeError::truncated(WHAT, start))?;
    *pos += 1;
    let mut s = u32::from((first >> 3) & 0x0F);
    let mut e = u32::from((first >> 2) & 1);
    let mut a = u32::from(first & 3);
    let (mut f, mut k, mut d) = (0u32, 0u32, 0u32);
    let mut byte = first;
    let mut n: u32 = 0;
    while byte & 0x80 != 0 {
        byte = *code.get(*pos).ok_or(DecodeError::truncated(WHAT, start))?;
        *pos += 1;
        put_bit(&mut f, byte & 0x40 != 0, n, WHAT, start)?;
        put_bit(&mut s, byte & 0x10 != 0, 4 + 2 * n, WHAT, start)?;
        put_bit(&mut s, byte & 0x20 != 0, 5 + 2 * n, WHAT, start)?;
        put_bit(&mut k, byte & 0x08 != 0, n, WHAT, start)?;
        put_bit(&mut a, byte & 0x04 != 0, 2 + n, WHAT, start)?;
        put_bit(&mut e, byte & 0x02 != 0, 1 + n, WHAT, start)?;
        put_bit(&mut d, byte & 0x01 != 0, n, WHAT, start)?;
        n = n.saturating_add(1);
    }
    let n_state = s.checked_add(1).ok_or(DecodeError::too_large(WHAT, start))?;
    let scope_flags = u8::try_from(f).map_err(|_| DecodeError::invalid("signature scope flags", start))?;
    if scope_flags > 0x0F {
        return Err(DecodeError::invalid("signature scope flags", start));
    }
    Ok(Signature { n_state, n_exc_stack: e, scope_flags, n_pos_args: a, n_kwonly_args: k, n_def_pos_args: d })
}

/// Appends the size field (n_info bytes of source info, n_cell bytes of cells).
pub fn encode_size(n_info: u32, n_cell: u32, out: &mut Vec<u8>) {
    let (mut i, mut c) = (n_info, n_cell);
    loop {
        let mut byte = ((i & 0x3F) << 1 | (c & 1)) as u8;
        i >>= 6;
        c >>= 1;
        if i | c != 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if i | c == 0 {
            break;
        }
    }
}

/// Reads the size field at `*pos`, advancing `*pos`; returns `(n_info, n_cell)`.
pub fn decode_size(code: &[u8], pos: &mut usize) -> Result<(u32, u32), DecodeError> {
    const WHAT: &str = "prelude size";
    let start = *pos;
    let (mut i, mut c) = (0u32, 0u32);
    let mut n: u32 = 0;
    loop {
        let byte = *code.get(*pos).ok_or(DecodeError::truncated(WHAT, start))?;
        *pos += 1;
        put_bit(&mut c, byte & 1 != 0, n, WHAT, start)?;
        let group = u32::from((byte & 0x7E) >> 1);
        if group != 0 {
            let shift = 6u32.saturating_mul(n);
            if shift >= 32 || (group << shift) >> shift != group {
                return Err(DecodeError::too_large(WHAT, start));
            }
            i |= group << shift;
        }
        if byte & 0x80 == 0 {
            return Ok((i, c));
        }
        n = n.saturating_add(1);
    }
}

/// Appends line-table entries advancing by `bytes` bytecode bytes and `lines` lines, split into
/// as many entries as MicroPython's bytecode emitter writes for the same deltas (1- and 2-byte forms).
///
/// Nothing is written when both deltas are 0.
pub fn encode_line_delta(bytes: u32, lines: u32, out: &mut Vec<u8>) {
    let (mut bytes, mut lines) = (bytes, lines);
    while bytes > 0 || lines > 0 {
        let (b, l);
        if lines <= 6 || bytes > 0x0F {
            // One byte: 0LLBBBBB. Lines may only advance once all bytes are skipped.
            b = bytes.min(0x1F);
            l = if b < bytes { 0 } else { lines.min(3) };
            out.push((b | l << 5) as u8);
        } else {
            // Two bytes: 1LLLBBBB LLLLLLLL (high 3 line bits in the first byte).
            b = bytes.min(0x0F);
            l = lines.min(0x7FF);
            out.push((0x80 | b | ((l >> 4) & 0x70)) as u8);
            out.push((l & 0xFF) as u8);
        }
        bytes -= b;
        lines -= l;
    }
}

/// One decoded line-table entry: how far it advances the bytecode offset and the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineEntry {
    /// Bytecode bytes covered by the entry.
    pub bytes: u32,
    /// Lines advanced by the entry.
    pub lines: u32,
}

/// Iterates over the entries of a line table; a truncated final 2-byte entry ends the walk.
#[derive(Clone, Debug)]
pub struct LineEntries<'a> {
    table: &'a [u8],
    pos: usize,
}

impl<'a> LineEntries<'a> {
    /// Walks `line_table` from its start.
    pub fn new(line_table: &'a [u8]) -> Self {
        Self { table: line_table, pos: 0 }
    }
}

impl Iterator for LineEntries<'_> {
    type Item = LineEntry;

    fn next(&mut self) -> Option<LineEntry> {
        let first = *self.table.get(self.pos)?;
        if first & 0x80 == 0 {
            self.pos += 1;
            Some(LineEntry { bytes: u32::from(first & 0x1F), lines: u32::from(first >> 5) })
        } else {
            let second = *self.table.get(self.pos + 1)?;
            self.pos += 2;
            let lines = (u32::from(first) << 4) & 0x700 | u32::from(second);
            Some(LineEntry { bytes: u32::from(first & 0x0F), lines })
        }
    }
}

/// Line-table lookup: the source line of bytecode offset `offset` (offset relative to the opcodes start).
pub fn line_for_offset(line_table: &[u8], offset: usize) -> u32 {
    let mut line: u32 = 1;
    let mut remaining = offset;
    for entry in LineEntries::new(line_table) {
        let bytes = entry.bytes as usize;
        if remaining < bytes {
            break;
        }
        remaining -= bytes;
        line = line.saturating_add(entry.lines);
    }
    line
}

/// A decoded prelude: signature, sizes, simple-name qstr index, parameter-name qstr indices,
/// the line table bytes range, the cell local indices, and where the opcodes start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prelude {
    /// The packed signature.
    pub signature: Signature,
    /// Size in bytes of the source-info section (name, parameter names, line table).
    pub n_info: u32,
    /// Number of cell entries.
    pub n_cell: u32,
    /// Index into the module qstr table of the function's simple name.
    pub simple_name: u32,
    /// Qstr-table indices of the positional then keyword-only parameter names.
    pub arg_names: Vec<u32>,
    /// Where the line table lies in the decoded code.
    pub line_table: Range<usize>,
    /// The locals that become cells on entry.
    pub cells: Vec<u8>,
    /// Offset in the decoded code of the first opcode (the end of the prelude).
    pub opcodes_start: usize,
}

impl Prelude {
    /// The line table bytes, taken from the same `code` the prelude was decoded from.
    pub fn line_table_bytes<'a>(&self, code: &'a [u8]) -> &'a [u8] {
        code.get(self.line_table.clone()).unwrap_or(&[])
    }
}

/// Reads a var-uint qstr index that must end before `limit`.
fn read_info_qstr(code: &[u8], pos: &mut usize, limit: usize, what: &'static str) -> Result<u32, DecodeError> {
    let start = *pos;
    let window = code.get(..limit).ok_or(DecodeError::truncated(what, start))?;
    let value = read_vuint(window, pos).map_err(|e| DecodeError::from_varint(e, what, start))?;
    u32::try_from(value).map_err(|_| DecodeError::too_large(what, start))
}

/// Decodes the prelude at the start of `code`.
pub fn decode_prelude(code: &[u8]) -> Result<Prelude, DecodeError> {
    let mut pos = 0;
    let signature = decode_signature(code, &mut pos)?;
    let (n_info, n_cell) = decode_size(code, &mut pos)?;
    let info_start = pos;
    let info_end = info_start
        .checked_add(n_info as usize)
        .filter(|&end| end <= code.len())
        .ok_or(DecodeError::truncated("source info", info_start))?;
    let simple_name = read_info_qstr(code, &mut pos, info_end, "function name")?;
    let n_args = u64::from(signature.n_pos_args) + u64::from(signature.n_kwonly_args);
    // Each name takes at least one byte, so a count beyond the section size is garbage.
    if n_args > (info_end - pos) as u64 {
        return Err(DecodeError::truncated("parameter names", pos));
    }
    let mut arg_names = Vec::with_capacity(n_args as usize);
    for _ in 0..n_args {
        arg_names.push(read_info_qstr(code, &mut pos, info_end, "parameter name")?);
    }
    let line_table = pos..info_end;
    let cells_end = info_end
        .checked_add(n_cell as usize)
        .filter(|&end| end <= code.len())
        .ok_or(DecodeError::truncated("cells", info_end))?;
    let cells = code.get(info_end..cells_end).unwrap_or(&[]).to_vec();
    Ok(Prelude { signature, n_info, n_cell, simple_name, arg_names, line_table, cells, opcodes_start: cells_end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::varint::write_vuint;
    use alloc::vec;

    fn sig_bytes(sig: &Signature) -> Vec<u8> {
        let mut out = Vec::new();
        encode_signature(sig, &mut out);
        out
    }

    #[test]
    fn signature_matches_mpy_cross_bytes() {
        // `x = 1` at module level: n_state 1, nothing else.
        assert_eq!(sig_bytes(&Signature { n_state: 1, ..Default::default() }), [0x00]);
        // `def f(a, b): return a + b` gives n_state 4, 2 args (mpy-cross writes 0x1a).
        let f = Signature { n_state: 4, n_pos_args: 2, ..Default::default() };
        assert_eq!(sig_bytes(&f), [0x1A]);
        // A generator needs a second byte for the F bit.
        let g = Signature { n_state: 2, scope_flags: 1, ..Default::default() };
        assert_eq!(sig_bytes(&g), [0x88, 0x40]);
    }

    #[test]
    fn signature_round_trips() {
        let samples = [
            Signature { n_state: 1, ..Default::default() },
            Signature {
                n_state: 17,
                n_exc_stack: 3,
                scope_flags: 0x0F,
                n_pos_args: 5,
                n_kwonly_args: 2,
                n_def_pos_args: 4,
            },
            Signature {
                n_state: 300,
                n_exc_stack: 40,
                scope_flags: 0x0A,
                n_pos_args: 255,
                n_kwonly_args: 70,
                n_def_pos_args: 200,
            },
            Signature {
                n_state: u32::MAX,
                n_exc_stack: u32::MAX,
                scope_flags: 0x0F,
                n_pos_args: u32::MAX,
                n_kwonly_args: u32::MAX,
                n_def_pos_args: u32::MAX,
            },
        ];
        for sig in samples {
            let bytes = sig_bytes(&sig);
            let mut pos = 0;
            assert_eq!(decode_signature(&bytes, &mut pos), Ok(sig));
            assert_eq!(pos, bytes.len());
        }
    }

    #[test]
    fn signature_drops_high_flag_bits_and_zero_state() {
        let sig = Signature { n_state: 0, scope_flags: 0x31, ..Default::default() };
        let bytes = sig_bytes(&sig);
        let mut pos = 0;
        let back = decode_signature(&bytes, &mut pos).unwrap();
        assert_eq!(back.n_state, 1);
        assert_eq!(back.scope_flags, 0x01);
    }

    #[test]
    fn signature_garbage_is_an_error() {
        let mut pos = 0;
        assert!(decode_signature(&[], &mut pos).is_err());
        let mut pos = 0;
        assert!(decode_signature(&[0x80, 0x80], &mut pos).is_err());
        let mut pos = 0;
        assert!(decode_signature(&[0xFF; 40], &mut pos).is_err());
        // Many continuation bytes whose bits are all zero are fine.
        let mut bytes = vec![0x80; 50];
        bytes.push(0);
        let mut pos = 0;
        assert_eq!(decode_signature(&bytes, &mut pos).map(|s| s.n_state), Ok(1));
    }

    #[test]
    fn size_round_trips_and_matches_layout() {
        let mut out = Vec::new();
        encode_size(5, 0, &mut out);
        assert_eq!(out, [0x0A]);
        out.clear();
        encode_size(5, 1, &mut out);
        assert_eq!(out, [0x0B]);
        out.clear();
        encode_size(64, 2, &mut out);
        assert_eq!(out, [0x80, 0x03]);
        for (i, c) in [(0, 0), (1, 0), (63, 1), (64, 3), (1000, 17), (u32::MAX, u32::MAX)] {
            let mut out = Vec::new();
            encode_size(i, c, &mut out);
            let mut pos = 0;
            assert_eq!(decode_size(&out, &mut pos), Ok((i, c)));
            assert_eq!(pos, out.len());
        }
        let mut pos = 0;
        assert!(decode_size(&[0xFF; 10], &mut pos).is_err());
        let mut pos = 0;
        assert!(decode_size(&[0x81], &mut pos).is_err());
    }

    fn delta(bytes: u32, lines: u32) -> Vec<u8> {
        let mut out = Vec::new();
        encode_line_delta(bytes, lines, &mut out);
        out
    }

    #[test]
    fn line_deltas_follow_the_emitter() {
        assert_eq!(delta(0, 0), []);
        assert_eq!(delta(3, 1), [0x23]);
        assert_eq!(delta(40, 2), [0x1F, 0x49]);
        assert_eq!(delta(2, 5), [0x62, 0x40]);
        assert_eq!(delta(2, 7), [0x82, 0x07]);
        assert_eq!(delta(4, 300), [0x94, 0x2C]);
        assert_eq!(delta(0, 3000), [0xF0, 0xFF, 0xB0, 0xB9]);
    }

    #[test]
    fn line_lookup_walks_entries() {
        let mut table = Vec::new();
        encode_line_delta(0, 1, &mut table); // offset 0 -> line 2
        encode_line_delta(5, 1, &mut table); // offset 5 -> line 3
        encode_line_delta(40, 100, &mut table); // offset 45 -> line 103
        assert_eq!(line_for_offset(&table, 0), 2);
        assert_eq!(line_for_offset(&table, 4), 2);
        assert_eq!(line_for_offset(&table, 5), 3);
        assert_eq!(line_for_offset(&table, 44), 3);
        assert_eq!(line_for_offset(&table, 45), 103);
        assert_eq!(line_for_offset(&table, 1000), 103);
        assert_eq!(line_for_offset(&[], 7), 1);
        // A truncated two-byte entry is ignored.
        assert_eq!(line_for_offset(&[0x85], 10), 1);
    }

    #[test]
    fn prelude_decodes_all_parts() {
        let mut code = Vec::new();
        let sig = Signature { n_state: 5, n_pos_args: 2, n_kwonly_args: 1, ..Default::default() };
        encode_signature(&sig, &mut code);
        let mut info = Vec::new();
        write_vuint(&mut info, 7); // name
        for q in [8u64, 9, 200] {
            write_vuint(&mut info, q);
        }
        encode_line_delta(0, 1, &mut info);
        encode_size(info.len() as u32, 2, &mut code);
        let info_start = code.len();
        code.extend_from_slice(&info);
        code.extend_from_slice(&[0, 2]);
        code.push(0x63);
        let p = decode_prelude(&code).unwrap();
        assert_eq!(p.signature, sig);
        assert_eq!(p.simple_name, 7);
        assert_eq!(p.arg_names, [8, 9, 200]);
        assert_eq!(p.line_table, info_start + 5..info_start + 6);
        assert_eq!(p.line_table_bytes(&code), [0x20]);
        assert_eq!(p.cells, [0, 2]);
        assert_eq!(p.opcodes_start, code.len() - 1);
    }

    #[test]
    fn prelude_rejects_inconsistent_sizes() {
        // n_info larger than the input.
        assert!(decode_prelude(&[0x00, 0x20, 0x01]).is_err());
        // Name var-uint running past the info section.
        assert!(decode_prelude(&[0x00, 0x02, 0x81, 0x01]).is_err());
        // Two parameters announced, room for one.
        assert!(decode_prelude(&[0x02, 0x04, 0x01, 0x02]).is_err());
        // Cells past the end.
        assert!(decode_prelude(&[0x00, 0x03, 0x01]).is_err());
        assert!(decode_prelude(&[]).is_err());
    }

    #[test]
    fn prelude_never_panics_on_small_inputs() {
        let mut seed: u32 = 12345;
        for len in 0..2000usize {
            let mut bytes = Vec::new();
            for _ in 0..(len % 24) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                bytes.push((seed >> 16) as u8);
            }
            let _ = decode_prelude(&bytes);
        }
    }
}
