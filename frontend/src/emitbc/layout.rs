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
use ferropy_bytecode::varint::{write_svint, write_vuint};

use super::Ins;
use crate::error::CompileError;
use crate::token::Pos;

/// The prelude fields of one scope.
pub(super) struct PreludeParams {
    pub n_state: u32,
    pub n_exc_stack: u32,
    pub scope_flags: u16,
    pub n_pos_args: u32,
    pub n_kwonly_args: u32,
    pub n_def_pos_args: u32,
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
    n_info: usize,
    n_cell: usize,
    overflow: bool,
}

/// Assembles the prelude and bytecode of one scope.
pub(super) fn assemble(code: &[Ins], n_labels: usize, p: &PreludeParams) -> Result<Vec<u8>, CompileError> {
    let mut labels = alloc::vec![0usize; n_labels];
    let first = run_pass(code, &mut labels, p, Pass::StackSize, 0, 0);
    let mut prev = run_pass(code, &mut labels, p, Pass::CodeSize, first.n_info, first.n_cell);
    // Emit passes until the sizes are stable (bounded: sizes only shrink).
    for _ in 0..64 {
        let out = run_pass(code, &mut labels, p, Pass::Emit, prev.n_info, prev.n_cell);
        let stable = out.info.len() == prev.info.len() && out.code.len() == prev.code.len();
        prev = out;
        if stable {
            break;
        }
    }
    if prev.overflow {
        return Err(CompileError::syntax("bytecode overflow", Pos::default()));
    }
    let mut bytes = prev.info;
    bytes.extend_from_slice(&prev.code);
    Ok(bytes)
}

fn run_pass(
    code: &[Ins],
    labels: &mut [usize],
    p: &PreludeParams,
    pass: Pass,
    n_info_prev: usize,
    n_cell_prev: usize,
) -> PassOutput {
    let mut info = Vec::new();
    encode_signature(p, &mut info);
    if pass != Pass::StackSize {
        encode_size(n_info_prev, n_cell_prev, &mut info);
    }
    let info_start = info.len();
    write_vuint(&mut info, u64::from(p.name_qstr));
    for &q in &p.param_qstrs {
        write_vuint(&mut info, u64::from(q));
    }
    let mut out = Vec::with_capacity(code.len() * 2);
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
                    encode_line_delta(bytes, (line - last_line) as usize, &mut info);
                    last_line_offset = out.len();
                    last_line = line;
                }
            }
        }
    }
    let n_info = info.len() - info_start;
    for &c in &p.cells {
        info.push(c.min(255) as u8);
    }
    PassOutput { info, code: out, n_info, n_cell: p.cells.len(), overflow: overflow && pass == Pass::Emit }
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

/// Encodes the prelude signature (MicroPython's `MP_BC_PRELUDE_SIG_ENCODE`).
pub(crate) fn encode_signature(p: &PreludeParams, out: &mut Vec<u8>) {
    let mut s = u64::from(p.n_state.saturating_sub(1));
    let mut e = u64::from(p.n_exc_stack);
    let mut f = u64::from(p.scope_flags & 0x0F);
    let mut a = u64::from(p.n_pos_args);
    let mut k = u64::from(p.n_kwonly_args);
    let mut d = u64::from(p.n_def_pos_args);
    let mut z = ((s & 0xF) << 3 | (e & 1) << 2 | (a & 3)) as u8;
    s >>= 4;
    e >>= 1;
    a >>= 2;
    while s | e | f | a | k | d != 0 {
        out.push(0x80 | z);
        z = ((f & 1) << 6 | (s & 3) << 4 | (k & 1) << 3 | (a & 1) << 2 | (e & 1) << 1 | (d & 1)) as u8;
        s >>= 2;
        e >>= 1;
        f >>= 1;
        a >>= 1;
        k >>= 1;
        d >>= 1;
    }
    out.push(z);
}

/// Encodes the prelude size field (n_info, n_cell).
fn encode_size(mut n_info: usize, mut n_cell: usize, out: &mut Vec<u8>) {
    loop {
        let mut z = ((n_info & 0x3F) << 1 | (n_cell & 1)) as u8;
        n_cell >>= 1;
        n_info >>= 6;
        if n_cell | n_info != 0 {
            z |= 0x80;
        }
        out.push(z);
        if n_cell | n_info == 0 {
            break;
        }
    }
}

/// Appends line-table entries advancing by `bytes` bytecode bytes and `lines` lines.
fn encode_line_delta(mut bytes: usize, mut lines: usize, out: &mut Vec<u8>) {
    while bytes > 0 || lines > 0 {
        let (b, l);
        if lines <= 6 || bytes > 0xF {
            b = bytes.min(0x1F);
            l = if b < bytes { 0 } else { lines.min(3) };
            out.push((b | (l << 5)) as u8);
        } else {
            b = bytes.min(0xF);
            l = lines.min(0x7FF);
            out.push((0x80 | b | ((l >> 4) & 0x70)) as u8);
            out.push((l & 0xFF) as u8);
        }
        bytes -= b;
        lines -= l;
    }
}
