//! Laying out recorded bytecode: jump sizes, the line table and the prelude.
//!
//! MicroPython emits a scope in several passes: a stack-size pass in which
//! every jump takes 3 bytes, a code-size pass, then emit passes repeated until
//! the code-info and bytecode sizes stop changing. In each pass a jump looks
//! up its label's offset as last recorded (from this pass for backward jumps,
//! from the previous pass for forward ones) and uses the 2-byte form when the
//! offset fits. Replaying the same passes over the recorded instructions gives
//! the same final sizes.

use alloc::vec::Vec;

use ferropy_bytecode::opcode as op;
use ferropy_bytecode::prelude::{encode_line_delta, encode_signature, encode_size, Signature};
use ferropy_bytecode::varint::{vuint_len, write_svint, write_vuint};

use super::Ins;
use crate::emit::Label;
use crate::error::CompileError;
use crate::token::Pos;

/// The prelude fields of one scope.
pub(super) struct PreludeParams {
    pub signature: Signature,
    pub name_qstr: u32,
    pub param_qstrs: Vec<u32>,
    pub cells: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    StackSize,
    CodeSize,
    Emit,
}

struct PassOutput {
    info: Vec<u8>,
    code: Vec<u8>,
    overflow: bool,
}

/// What a pass needs of the instructions besides their fixed sizes: jumps,
/// labels and line markers, each after `gap` bytes of fixed-size code.
#[derive(Clone, Copy)]
struct Event {
    gap: u32,
    kind: EventKind,
}

#[derive(Clone, Copy)]
enum EventKind {
    /// A jump (opcode `op`) to a label; `extra` bytes follow it (UNWIND_JUMP's).
    Jump { op: u8, label: Label, extra: u8 },
    /// A label placed here.
    Label(Label),
    /// A source line marker.
    Line(u32),
}

/// The sizes one pass produces.
#[derive(Clone, Copy, PartialEq, Eq)]
struct PassSizes {
    info_len: usize,
    code_len: usize,
    n_info: usize,
}

/// Assembles the prelude and bytecode of one scope.
///
/// The size-finding passes are replayed on a compact list of the jumps, labels
/// and line markers (everything else has the same size in every pass); only the
/// last emit pass writes bytes, starting from the label offsets it saw.
pub(super) fn assemble(code: &[Ins], n_labels: usize, p: &PreludeParams) -> Result<Vec<u8>, CompileError> {
    let (events, tail) = events_of(code);
    let fixed_info = fixed_info_len(p);
    let mut labels = alloc::vec![0usize; n_labels];
    let mut scratch = Vec::with_capacity(64);
    let mut sizer = Sizer { events: &events, tail, fixed: fixed_info, p, scratch: &mut scratch };
    let first = sizer.pass(&mut labels, Pass::StackSize, 0);
    let mut prev = sizer.pass(&mut labels, Pass::CodeSize, first.n_info);
    let mut labels_before = labels.clone();
    let mut n_info_before = prev.n_info;
    // Emit passes until the sizes are stable (bounded: sizes only shrink).
    for _ in 0..64 {
        labels_before.copy_from_slice(&labels);
        n_info_before = prev.n_info;
        let out = sizer.pass(&mut labels, Pass::Emit, prev.n_info);
        let stable = out.info_len == prev.info_len && out.code_len == prev.code_len;
        prev = out;
        if stable {
            break;
        }
    }
    let sizes = (prev.info_len, prev.code_len);
    let out = run_pass(code, &mut labels_before, p, n_info_before, sizes);
    if out.overflow {
        return Err(CompileError::syntax("bytecode overflow", Pos::default()));
    }
    let mut bytes = out.info;
    bytes.extend_from_slice(&out.code);
    Ok(bytes)
}

/// The byte size of an instruction that is not a jump, label or line marker.
fn fixed_size(ins: &Ins) -> usize {
    match *ins {
        Ins::Byte(_) => 1,
        Ins::Qstr(_, q) | Ins::Const(q) => 1 + vuint_len(u64::from(q)),
        Ins::Uint(_, v) => 1 + vuint_len(v),
        Ins::Int(v) => 1 + svint_len(v),
        Ins::Child(_, idx, extra) => 1 + vuint_len(u64::from(idx)) + usize::from(extra.is_some()),
        Ins::Jump(..) | Ins::Unwind(..) | Ins::Label(_) | Ins::Line(_) => 0,
    }
}

/// The jumps, labels and line markers of `code`, and the fixed bytes after the last one.
fn events_of(code: &[Ins]) -> (Vec<Event>, usize) {
    let n_events =
        code.iter().filter(|ins| matches!(ins, Ins::Jump(..) | Ins::Unwind(..) | Ins::Label(_) | Ins::Line(_))).count();
    let mut events = Vec::with_capacity(n_events);
    let mut gap = 0usize;
    for ins in code {
        let kind = match *ins {
            Ins::Jump(op, label) => EventKind::Jump { op, label, extra: 0 },
            Ins::Unwind(label, _) => EventKind::Jump { op: op::UNWIND_JUMP, label, extra: 1 },
            Ins::Label(l) => EventKind::Label(l),
            Ins::Line(line) => EventKind::Line(line),
            _ => {
                gap += fixed_size(ins);
                continue;
            }
        };
        events.push(Event { gap: gap as u32, kind });
        gap = 0;
    }
    (events, gap)
}

/// Prelude sizes that are the same in every pass.
#[derive(Clone, Copy)]
struct FixedInfo {
    /// The encoded signature.
    signature: usize,
    /// The name and parameter qstrs at the start of the code info.
    names: usize,
}

fn fixed_info_len(p: &PreludeParams) -> FixedInfo {
    let mut sig = Vec::new();
    encode_signature(&p.signature, &mut sig);
    let names =
        vuint_len(u64::from(p.name_qstr)) + p.param_qstrs.iter().map(|&q| vuint_len(u64::from(q))).sum::<usize>();
    FixedInfo { signature: sig.len(), names }
}

/// What the size-finding passes share: the compact event list, the prelude and a scratch
/// buffer the variable-size prelude parts are encoded into to measure them.
struct Sizer<'a> {
    events: &'a [Event],
    tail: usize,
    fixed: FixedInfo,
    p: &'a PreludeParams,
    scratch: &'a mut Vec<u8>,
}

impl Sizer<'_> {
    /// One pass computing sizes only (see [`run_pass`], which it mirrors).
    fn pass(&mut self, labels: &mut [usize], pass: Pass, n_info_prev: usize) -> PassSizes {
        let mut offset = 0usize;
        let mut last_line: u32 = 1;
        let mut last_line_offset: usize = 0;
        // Line-table entries other than the common one-byte kind are measured by
        // encoding them into the scratch buffer.
        let mut line_table = 0usize;
        for ev in self.events {
            offset += ev.gap as usize;
            match ev.kind {
                EventKind::Jump { op, label, extra } => {
                    let target = labels.get(label as usize).copied().unwrap_or(0);
                    offset += jump_size(op, offset, target, pass) + usize::from(extra);
                }
                EventKind::Label(l) => {
                    if let Some(slot) = labels.get_mut(l as usize) {
                        *slot = offset;
                    }
                }
                EventKind::Line(line) => {
                    if line > last_line {
                        let (bytes, lines) = (offset - last_line_offset, line - last_line);
                        if bytes <= 0x1F && lines <= 3 {
                            // The common one-byte entry (see `encode_line_delta`).
                            line_table += 1;
                        } else {
                            self.scratch.clear();
                            encode_line_delta(sat_u32(bytes), lines, self.scratch);
                            line_table += self.scratch.len();
                        }
                        last_line_offset = offset;
                        last_line = line;
                    }
                }
            }
        }
        let n_info = self.fixed.names + line_table;
        let n_cell = self.p.cells.len();
        let size_field = if pass == Pass::StackSize {
            0
        } else {
            self.scratch.clear();
            encode_size(sat_u32(n_info_prev), sat_u32(n_cell), self.scratch);
            self.scratch.len()
        };
        PassSizes {
            info_len: self.fixed.signature + size_field + n_info + n_cell,
            code_len: offset + self.tail,
            n_info,
        }
    }
}

/// `n` as a `u32`, saturated (prelude fields are 32-bit; bigger code overflows anyway).
fn sat_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The size of a jump written at `here` to `target` (see [`write_jump`]).
fn jump_size(b: u8, here: usize, target: usize, pass: Pass) -> usize {
    if pass == Pass::StackSize {
        return 3;
    }
    let offset = target as i64 - here as i64 - 2;
    let short = if op::is_signed_jump(b) { (-64..=63).contains(&offset) } else { (0..=127).contains(&offset) };
    if short {
        2
    } else {
        3
    }
}

/// The number of bytes [`write_svint`] writes for `v`.
fn svint_len(v: i64) -> usize {
    let mut n = 1;
    let mut x = v;
    loop {
        let group = (x & 0x7F) as u8;
        x >>= 7;
        if x == 0 || x == -1 {
            // One more group when the top group's sign bit (0x40) disagrees with the sign.
            if (v >= 0) == (group & 0x40 != 0) {
                n += 1;
            }
            return n;
        }
        n += 1;
    }
}

/// The final emit pass: writes the prelude and the bytecode. `sizes` are the
/// (info, code) lengths the size passes found, used as capacities (the code is
/// appended to the info buffer afterwards, so that one gets room for both).
fn run_pass(
    code: &[Ins],
    labels: &mut [usize],
    p: &PreludeParams,
    n_info_prev: usize,
    sizes: (usize, usize),
) -> PassOutput {
    let pass = Pass::Emit;
    let mut info = Vec::with_capacity(sizes.0 + sizes.1);
    encode_signature(&p.signature, &mut info);
    encode_size(sat_u32(n_info_prev), sat_u32(p.cells.len()), &mut info);
    write_vuint(&mut info, u64::from(p.name_qstr));
    for &q in &p.param_qstrs {
        write_vuint(&mut info, u64::from(q));
    }
    let mut out = Vec::with_capacity(sizes.1);
    let mut overflow = false;
    let mut last_line: u32 = 1;
    let mut last_line_offset: usize = 0;
    for ins in code {
        match *ins {
            Ins::Byte(b) => out.push(b),
            Ins::Qstr(b, q) => {
                out.push(b);
                write_vuint(&mut out, u64::from(q));
            }
            Ins::Uint(b, v) => {
                out.push(b);
                write_vuint(&mut out, v);
            }
            Ins::Int(v) => {
                out.push(op::LOAD_CONST_SMALL_INT);
                write_svint(&mut out, v);
            }
            Ins::Const(c) => {
                out.push(op::LOAD_CONST_OBJ);
                write_vuint(&mut out, u64::from(c));
            }
            Ins::Child(b, idx, extra) => {
                out.push(b);
                write_vuint(&mut out, u64::from(idx));
                if let Some(x) = extra {
                    out.push(x);
                }
            }
            Ins::Jump(b, l) => {
                let target = labels.get(l as usize).copied().unwrap_or(0);
                overflow |= write_jump(&mut out, b, target, pass);
            }
            Ins::Unwind(l, extra) => {
                let target = labels.get(l as usize).copied().unwrap_or(0);
                overflow |= write_jump(&mut out, op::UNWIND_JUMP, target, pass);
                out.push(extra);
            }
            Ins::Label(l) => {
                if let Some(slot) = labels.get_mut(l as usize) {
                    *slot = out.len();
                }
            }
            Ins::Line(line) => {
                if line > last_line {
                    let bytes = out.len() - last_line_offset;
                    encode_line_delta(sat_u32(bytes), line - last_line, &mut info);
                    last_line_offset = out.len();
                    last_line = line;
                }
            }
        }
    }
    for &c in &p.cells {
        info.push(c.min(255) as u8);
    }
    PassOutput { info, code: out, overflow }
}

/// Writes a jump; returns true when the offset does not fit the 2-byte form.
fn write_jump(out: &mut Vec<u8>, b: u8, target: usize, pass: Pass) -> bool {
    let is_signed = op::is_signed_jump(b);
    let here = out.len();
    out.push(b);
    let mut short = false;
    let mut offset: i64 = 0;
    if pass != Pass::StackSize {
        offset = target as i64 - here as i64 - 2;
        if (is_signed && (-64..=63).contains(&offset)) || (!is_signed && (0..=127).contains(&offset)) {
            short = true;
        } else {
            offset -= 1;
        }
    }
    if short {
        let v = if is_signed { offset + 0x40 } else { offset };
        out.push((v & 0x7F) as u8);
        false
    } else {
        let v = if is_signed { offset + 0x4000 } else { offset };
        out.push(0x80 | (v & 0x7F) as u8);
        out.push(((v >> 7) & 0xFF) as u8);
        !(0..=0x7FFF).contains(&v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svint_len_matches_the_writer() {
        let mut values: Vec<i64> = (-70_000..70_000).step_by(7).collect();
        values.extend([i64::MIN, i64::MAX, -64, -65, 63, 64, 8191, 8192, -8192, -8193]);
        for v in values {
            let mut buf = Vec::new();
            write_svint(&mut buf, v);
            assert_eq!(svint_len(v), buf.len(), "svint {v}");
        }
    }
}
