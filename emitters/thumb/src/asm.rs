//! The Thumb instruction encoder: one method per instruction form, the label
//! fix-up kinds with their patch function, and the ARMv6-M literal pool.
//!
//! Methods here encode what they are given (fields are masked to their width);
//! the caller ([`crate::masm`]) chooses the form and checks registers and
//! ranges. A 32-bit instruction is stored as two little-endian halfwords, the
//! first one first.

use alloc::vec::Vec;

use ferropy_emit_native::{AsmError, CodeBuffer, Fixup, Label};

use crate::arch::Arch;
use crate::regs::Reg;

/// An ARM condition code (the hardware number is the discriminant).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Cc {
    Eq = 0,
    Ne = 1,
    Hs = 2,
    Lo = 3,
    Mi = 4,
    Pl = 5,
    Vs = 6,
    Vc = 7,
    Hi = 8,
    Ls = 9,
    Ge = 10,
    Lt = 11,
    Gt = 12,
    Le = 13,
}

impl Cc {
    /// The opposite condition.
    pub fn invert(self) -> Cc {
        const ALL: [Cc; 14] = [
            Cc::Eq,
            Cc::Ne,
            Cc::Hs,
            Cc::Lo,
            Cc::Mi,
            Cc::Pl,
            Cc::Vs,
            Cc::Vc,
            Cc::Hi,
            Cc::Ls,
            Cc::Ge,
            Cc::Lt,
            Cc::Gt,
            Cc::Le,
        ];
        ALL[(self as usize) ^ 1]
    }

    /// The condition's suffix as capstone prints it.
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 14] = ["eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le"];
        NAMES[self as usize]
    }
}

/// A load or store and its access size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemOp {
    /// 32-bit load.
    Ldr,
    /// 16-bit load, zero-extended.
    Ldrh,
    /// 8-bit load, zero-extended.
    Ldrb,
    /// 32-bit store.
    Str,
    /// 16-bit store.
    Strh,
    /// 8-bit store.
    Strb,
}

impl MemOp {
    /// Every access.
    pub const ALL: [MemOp; 6] = [MemOp::Ldr, MemOp::Ldrh, MemOp::Ldrb, MemOp::Str, MemOp::Strh, MemOp::Strb];

    /// log2 of the access size.
    pub fn log2(self) -> u16 {
        match self {
            MemOp::Ldr | MemOp::Str => 2,
            MemOp::Ldrh | MemOp::Strh => 1,
            MemOp::Ldrb | MemOp::Strb => 0,
        }
    }

    /// True for loads.
    pub fn is_load(self) -> bool {
        matches!(self, MemOp::Ldr | MemOp::Ldrh | MemOp::Ldrb)
    }

    /// The mnemonic.
    pub fn name(self) -> &'static str {
        match self {
            MemOp::Ldr => "ldr",
            MemOp::Ldrh => "ldrh",
            MemOp::Ldrb => "ldrb",
            MemOp::Str => "str",
            MemOp::Strh => "strh",
            MemOp::Strb => "strb",
        }
    }

    /// First halfword of the 32-bit forms (T3/T4/register), without `Rn`:
    /// bit 7 selects the imm12 form.
    fn wide_base(self) -> u16 {
        match self {
            MemOp::Strb => 0xF800,
            MemOp::Strh => 0xF820,
            MemOp::Str => 0xF840,
            MemOp::Ldrb => 0xF810,
            MemOp::Ldrh => 0xF830,
            MemOp::Ldr => 0xF850,
        }
    }
}

/// A 16-bit data-processing operation `Rdn = Rdn op Rm` (format `010000 op Rm Rdn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
#[allow(missing_docs)]
pub enum Dp16 {
    Ands = 0,
    Eors = 1,
    Lsls = 2,
    Lsrs = 3,
    Asrs = 4,
    Tst = 8,
    /// `rsbs Rd, Rm, #0` (negation).
    Rsbs = 9,
    Cmp = 10,
    Orrs = 12,
    /// `muls Rdm, Rn, Rdm`.
    Muls = 13,
    Mvns = 15,
}

/// A 32-bit data-processing operation on registers (`op` field of the
/// "data processing (shifted register)" group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
#[allow(missing_docs)]
pub enum Dp32 {
    And = 0,
    Orr = 2,
    Orn = 3,
    Eor = 4,
    Add = 8,
    Sub = 13,
}

/// A shift by an immediate or a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
#[allow(missing_docs)]
pub enum ShiftKind {
    Lsl = 0,
    Lsr = 1,
    Asr = 2,
}

/// Fix-up kinds (the `kind` of a [`Fixup`]).
pub mod fixup {
    /// `b.w` (T4), ±16 MB.
    pub const B_W: u8 = 1;
    /// `bl` (used as a long jump on ARMv6-M), ±16 MB.
    pub const BL: u8 = 2;
    /// `b<c>.w` (T3), ±1 MB.
    pub const BCC_W: u8 = 3;
    /// 16-bit `b` (T2), ±2 KB.
    pub const B16: u8 = 4;
    /// `movw rd, #lo; movt rd, #hi; add rd, pc`: the label's Thumb address
    /// minus the `add`'s PC.
    pub const ADDR_MOVW_MOVT: u8 = 5;
    /// 16-bit `ldr rt, [pc, #imm8 * 4]` of a literal at the label.
    pub const LIT8: u8 = 6;
    /// A 32-bit literal: the label's Thumb address minus the anchor stored
    /// in the literal as a placeholder.
    pub const DELTA32: u8 = 7;
    /// 16-bit `b<c>` (T1), ±256 bytes.
    pub const BCC16: u8 = 8;
    /// `adr.w rd, label + 1` (T3, forward, up to 4095 bytes past the aligned PC).
    pub const ADR_W: u8 = 9;
    /// `cbz`/`cbnz` (ARMv7-M), forward 0..=126 bytes past the PC.
    pub const CBZ: u8 = 10;
}

/// The 12-bit "modified immediate" encoding (`i:imm3:imm8`) of `v`, if it has one.
pub fn modified_imm(v: u32) -> Option<u16> {
    let b = v & 0xFF;
    if v <= 0xFF {
        return Some(v as u16);
    }
    if v == b << 16 | b {
        return Some(0x100 | b as u16);
    }
    let b1 = (v >> 8) & 0xFF;
    if v == b1 << 24 | b1 << 8 {
        return Some(0x200 | b1 as u16);
    }
    if v == b * 0x0101_0101 {
        return Some(0x300 | b as u16);
    }
    // An 8-bit value with its top bit set, rotated right by 8..=31.
    (8..32u32).find_map(|rot| {
        let unrot = v.rotate_left(rot);
        (0x80..=0xFF).contains(&unrot).then_some(((rot << 7) | (unrot & 0x7F)) as u16)
    })
}

/// Splits a 12-bit immediate into the `i` (hw1 bit 10) and `imm3:imm8` (hw2) fields.
fn imm12_fields(imm12: u16) -> (u16, u16) {
    ((imm12 >> 11 & 1) << 10, (imm12 >> 8 & 7) << 12 | (imm12 & 0xFF))
}

/// Splits a 16-bit immediate into the hw1 (`i`, `imm4`) and hw2 (`imm3`, `imm8`) fields.
fn imm16_fields(imm16: u16) -> (u16, u16) {
    ((imm16 >> 11 & 1) << 10 | imm16 >> 12, (imm16 >> 8 & 7) << 12 | (imm16 & 0xFF))
}

fn read_u16(code: &[u8], at: usize) -> Result<u16, AsmError> {
    match code.get(at..at + 2) {
        Some(b) => Ok(u16::from_le_bytes([b[0], b[1]])),
        None => Err(AsmError::CodeTooLarge),
    }
}

fn write_u16(code: &mut [u8], at: usize, v: u16) -> Result<(), AsmError> {
    match code.get_mut(at..at + 2) {
        Some(b) => {
            b.copy_from_slice(&v.to_le_bytes());
            Ok(())
        }
        None => Err(AsmError::CodeTooLarge),
    }
}

/// The fields of a `b.w`/`bl` (T4) for byte offset `off` (hw1, hw2 bits).
pub fn t4_fields(off: i32) -> (u16, u16) {
    let s = (off >> 24 & 1) as u16;
    let i1 = (off >> 23 & 1) as u16;
    let i2 = (off >> 22 & 1) as u16;
    let j1 = (i1 ^ 1) ^ s;
    let j2 = (i2 ^ 1) ^ s;
    (s << 10 | (off >> 12 & 0x3FF) as u16, j1 << 13 | j2 << 11 | (off >> 1 & 0x7FF) as u16)
}

/// The fields of a `b<c>.w` (T3) for byte offset `off` (hw1, hw2 bits).
pub fn t3_fields(off: i32) -> (u16, u16) {
    let s = (off >> 20 & 1) as u16;
    let j2 = (off >> 19 & 1) as u16;
    let j1 = (off >> 18 & 1) as u16;
    (s << 10 | (off >> 12 & 0x3F) as u16, j1 << 13 | j2 << 11 | (off >> 1 & 0x7FF) as u16)
}

/// The `i:imm5` bits of a `cbz`/`cbnz` for the forward byte offset `off` (even, 0..=126).
fn cbz_fields(off: i32) -> u16 {
    ((off >> 6 & 1) as u16) << 9 | ((off >> 1 & 0x1F) as u16) << 3
}

/// Patches one fix-up of the Thumb encoder (`target` is the label's offset).
pub fn patch(code: &mut [u8], f: Fixup, target: usize) -> Result<(), AsmError> {
    let out = AsmError::BranchOutOfRange(f.label.0);
    let rel = |base: usize| -> Result<i32, AsmError> {
        let d = target as i64 - base as i64;
        i32::try_from(d).map_err(|_| out)
    };
    match f.kind {
        fixup::B_W | fixup::BL | fixup::BCC_W => {
            let off = rel(f.at + 4)?;
            let (hw1, hw2) = (read_u16(code, f.at)?, read_u16(code, f.at + 2)?);
            let (a, b) = if f.kind == fixup::BCC_W {
                if !(-(1 << 20)..(1 << 20)).contains(&off) {
                    return Err(out);
                }
                let (a, b) = t3_fields(off);
                (hw1 & 0xFBC0 | a, hw2 & 0xD000 | b)
            } else {
                if !(-(1 << 24)..(1 << 24)).contains(&off) {
                    return Err(out);
                }
                let (a, b) = t4_fields(off);
                (hw1 & 0xF800 | a, hw2 & 0xD000 | b)
            };
            write_u16(code, f.at, a)?;
            write_u16(code, f.at + 2, b)
        }
        fixup::B16 => {
            let off = rel(f.at + 4)?;
            if !(-2048..2048).contains(&off) {
                return Err(out);
            }
            write_u16(code, f.at, 0xE000 | (off >> 1 & 0x7FF) as u16)
        }
        fixup::BCC16 => {
            let off = rel(f.at + 4)?;
            if !(-256..256).contains(&off) {
                return Err(out);
            }
            let hw = read_u16(code, f.at)?;
            write_u16(code, f.at, hw & 0xFF00 | (off >> 1 & 0xFF) as u16)
        }
        fixup::CBZ => {
            let off = rel(f.at + 4)?;
            if !(0..=126).contains(&off) {
                return Err(out);
            }
            let hw = read_u16(code, f.at)?;
            write_u16(code, f.at, hw & 0xFD07 | cbz_fields(off))
        }
        fixup::ADR_W => {
            let value = rel((f.at + 4) & !3)?.wrapping_add(1);
            if !(0..=4095).contains(&value) {
                return Err(out);
            }
            let (a, b) = imm12_fields(value as u16);
            let hw1 = read_u16(code, f.at)?;
            let hw2 = read_u16(code, f.at + 2)?;
            write_u16(code, f.at, hw1 & 0xFBFF | a)?;
            write_u16(code, f.at + 2, hw2 & 0x0F00 | b)
        }
        fixup::ADDR_MOVW_MOVT => {
            let delta = rel(f.at + 8 + 4)?.wrapping_add(1) as u32;
            let (lo_a, lo_b) = imm16_fields(delta as u16);
            let (hi_a, hi_b) = imm16_fields((delta >> 16) as u16);
            let movw = (read_u16(code, f.at)?, read_u16(code, f.at + 2)?);
            let movt = (read_u16(code, f.at + 4)?, read_u16(code, f.at + 6)?);
            write_u16(code, f.at, movw.0 & 0xFBF0 | lo_a)?;
            write_u16(code, f.at + 2, movw.1 & 0x0F00 | lo_b)?;
            write_u16(code, f.at + 4, movt.0 & 0xFBF0 | hi_a)?;
            write_u16(code, f.at + 6, movt.1 & 0x0F00 | hi_b)
        }
        fixup::LIT8 => {
            let pc = (f.at + 4) & !3;
            let off = rel(pc)?;
            if !(0..=1020).contains(&off) || off % 4 != 0 {
                return Err(out);
            }
            let hw = read_u16(code, f.at)?;
            write_u16(code, f.at, hw & 0xFF00 | (off / 4) as u16)
        }
        fixup::DELTA32 => {
            let field = code.get(f.at..f.at + 4).ok_or(AsmError::CodeTooLarge)?;
            let anchor = u32::from_le_bytes([field[0], field[1], field[2], field[3]]) as usize;
            let delta = rel(anchor)?.wrapping_add(1) as u32;
            let field = code.get_mut(f.at..f.at + 4).ok_or(AsmError::CodeTooLarge)?;
            field.copy_from_slice(&delta.to_le_bytes());
            Ok(())
        }
        _ => Err(AsmError::CodeTooLarge),
    }
}

/// A value waiting in the ARMv6-M literal pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Literal {
    /// A constant.
    Word(u32),
    /// The Thumb address of `label` minus `anchor` (the PC of the `add rd, pc` after the load).
    Delta { label: Label, anchor: usize },
}

/// Bytes of code an operation may emit after a pool check (see [`Encoder::pool_check`]).
const POOL_HEADROOM: usize = 64;
/// Reach of a 16-bit literal load past its word-aligned PC.
const LIT8_REACH: usize = 1020;

/// The code buffer with Thumb instruction emitters.
#[derive(Clone, Debug)]
pub struct Encoder {
    /// Target architecture.
    pub arch: Arch,
    /// Code, labels and fix-ups.
    pub buf: CodeBuffer,
    /// Literal loads waiting for their pool: (offset of the `ldr`, value).
    pool: Vec<(usize, Literal)>,
}

impl Encoder {
    /// An empty encoder for `arch`.
    pub fn new(arch: Arch) -> Self {
        Encoder { arch, buf: CodeBuffer::new(), pool: Vec::new() }
    }

    /// Current offset.
    pub fn offset(&self) -> usize {
        self.buf.offset()
    }

    /// Emits one 16-bit instruction.
    pub fn op16(&mut self, hw: u16) {
        self.buf.put_u16_le(hw);
    }

    /// Emits one 32-bit instruction.
    pub fn op32(&mut self, hw1: u16, hw2: u16) {
        self.buf.put_u16_le(hw1);
        self.buf.put_u16_le(hw2);
    }

    // ---- 16-bit forms (ARMv6-M and ARMv7-M) ----

    /// `movs rd, #imm8`.
    pub fn movs_imm8(&mut self, rd: Reg, imm8: u8) {
        self.op16(0x2000 | (rd.num() & 7) << 8 | u16::from(imm8));
    }

    /// `mov rd, rm` (any registers; flags unchanged).
    pub fn mov_rr(&mut self, rd: Reg, rm: Reg) {
        let d = rd.num();
        self.op16(0x4600 | (d >> 3) << 7 | rm.num() << 3 | (d & 7));
    }

    /// `adds rd, rn, rm` (low registers).
    pub fn adds_rrr(&mut self, rd: Reg, rn: Reg, rm: Reg) {
        self.op16(0x1800 | (rm.num() & 7) << 6 | (rn.num() & 7) << 3 | (rd.num() & 7));
    }

    /// `subs rd, rn, rm` (low registers).
    pub fn subs_rrr(&mut self, rd: Reg, rn: Reg, rm: Reg) {
        self.op16(0x1A00 | (rm.num() & 7) << 6 | (rn.num() & 7) << 3 | (rd.num() & 7));
    }

    /// `add rdn, rm` (any registers, including `pc` as `rm`).
    pub fn add_hi(&mut self, rdn: Reg, rm: Reg) {
        let d = rdn.num();
        self.op16(0x4400 | (d >> 3) << 7 | rm.num() << 3 | (d & 7));
    }

    /// A 16-bit data-processing instruction on low registers.
    pub fn dp16(&mut self, op: Dp16, rdn: Reg, rm: Reg) {
        self.op16(0x4000 | (op as u16) << 6 | (rm.num() & 7) << 3 | (rdn.num() & 7));
    }

    /// `cmp rn, #imm8`.
    pub fn cmp_imm8(&mut self, rn: Reg, imm8: u8) {
        self.op16(0x2800 | (rn.num() & 7) << 8 | u16::from(imm8));
    }

    /// `cmp rn, rm` in its 16-bit form (T1 for two low registers, else T2).
    pub fn cmp_rr(&mut self, rn: Reg, rm: Reg) {
        if rn.is_low() && rm.is_low() {
            self.dp16(Dp16::Cmp, rn, rm);
        } else {
            let n = rn.num();
            self.op16(0x4500 | (n >> 3) << 7 | rm.num() << 3 | (n & 7));
        }
    }

    /// `lsls/lsrs/asrs rd, rm, #imm5` (low registers; `imm5` 0 means 32 for right shifts).
    pub fn shift_imm16(&mut self, kind: ShiftKind, rd: Reg, rm: Reg, imm5: u8) {
        self.op16((kind as u16) << 11 | u16::from(imm5 & 31) << 6 | (rm.num() & 7) << 3 | (rd.num() & 7));
    }

    /// `adds rdn, #imm8` / `subs rdn, #imm8`.
    pub fn addsub_imm8(&mut self, sub: bool, rdn: Reg, imm8: u8) {
        self.op16(if sub { 0x3800 } else { 0x3000 } | (rdn.num() & 7) << 8 | u16::from(imm8));
    }

    /// `op rt, [rn, #imm5 << size]` (low registers).
    pub fn ldst_imm5(&mut self, op: MemOp, rt: Reg, rn: Reg, imm5: u8) {
        let base = match op {
            MemOp::Str => 0x6000,
            MemOp::Ldr => 0x6800,
            MemOp::Strb => 0x7000,
            MemOp::Ldrb => 0x7800,
            MemOp::Strh => 0x8000,
            MemOp::Ldrh => 0x8800,
        };
        self.op16(base | u16::from(imm5 & 31) << 6 | (rn.num() & 7) << 3 | (rt.num() & 7));
    }

    /// `op rt, [rn, rm]` (low registers).
    pub fn ldst_reg16(&mut self, op: MemOp, rt: Reg, rn: Reg, rm: Reg) {
        let base = match op {
            MemOp::Str => 0x5000,
            MemOp::Strh => 0x5200,
            MemOp::Strb => 0x5400,
            MemOp::Ldr => 0x5800,
            MemOp::Ldrh => 0x5A00,
            MemOp::Ldrb => 0x5C00,
        };
        self.op16(base | (rm.num() & 7) << 6 | (rn.num() & 7) << 3 | (rt.num() & 7));
    }

    /// `ldr/str rt, [sp, #imm8 * 4]` (low `rt`).
    pub fn ldst_sp(&mut self, load: bool, rt: Reg, imm8: u8) {
        self.op16(if load { 0x9800 } else { 0x9000 } | (rt.num() & 7) << 8 | u16::from(imm8));
    }

    /// `add rd, sp, #imm8 * 4` (low `rd`).
    pub fn add_rd_sp(&mut self, rd: Reg, imm8: u8) {
        self.op16(0xA800 | (rd.num() & 7) << 8 | u16::from(imm8));
    }

    /// `add sp, #imm7 * 4` / `sub sp, #imm7 * 4`.
    pub fn sp_adjust16(&mut self, sub: bool, imm7: u8) {
        self.op16(if sub { 0xB080 } else { 0xB000 } | u16::from(imm7 & 0x7F));
    }

    /// `push {low registers[, lr]}`.
    pub fn push16(&mut self, list: u8, lr: bool) {
        self.op16(0xB400 | u16::from(lr) << 8 | u16::from(list));
    }

    /// `pop {low registers[, pc]}`.
    pub fn pop16(&mut self, list: u8, pc: bool) {
        self.op16(0xBC00 | u16::from(pc) << 8 | u16::from(list));
    }

    /// `bx rm`.
    pub fn bx(&mut self, rm: Reg) {
        self.op16(0x4700 | rm.num() << 3);
    }

    /// `blx rm`.
    pub fn blx(&mut self, rm: Reg) {
        self.op16(0x4780 | rm.num() << 3);
    }

    /// 16-bit `b<c>` by a known byte offset from PC (even, -256..=254).
    pub fn b_cond16(&mut self, cc: Cc, off: i32) {
        self.op16(0xD000 | (cc as u16) << 8 | (off >> 1 & 0xFF) as u16);
    }

    /// 16-bit `b<c>` to `label`.
    pub fn b_cond16_label(&mut self, cc: Cc, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::BCC16);
        self.op16(0xD000 | (cc as u16) << 8);
    }

    /// `cbz rn, label` (`nonzero`: `cbnz`), ARMv7-M, low `rn`, forward 0..=126
    /// bytes past the PC; flags unchanged.
    pub fn cbz_label(&mut self, nonzero: bool, rn: Reg, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::CBZ);
        self.op16(0xB100 | u16::from(nonzero) << 11 | (rn.num() & 7));
    }

    /// `cbz`/`cbnz rn` by a known forward byte offset from PC (even, 0..=126).
    pub fn cbz_off(&mut self, nonzero: bool, rn: Reg, off: i32) {
        self.op16(0xB100 | u16::from(nonzero) << 11 | cbz_fields(off) | (rn.num() & 7));
    }

    /// 16-bit `b` by a known byte offset from PC (even, -2048..=2046).
    pub fn b16_off(&mut self, off: i32) {
        self.op16(0xE000 | (off >> 1 & 0x7FF) as u16);
    }

    /// 16-bit `b` to `label`.
    pub fn b16(&mut self, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::B16);
        self.op16(0xE000);
    }

    /// `it<mask> firstcond` with the raw 4-bit mask.
    pub fn it(&mut self, first: Cc, mask: u8) {
        self.op16(0xBF00 | (first as u16) << 4 | u16::from(mask & 15));
    }

    /// `ite cc`.
    pub fn ite(&mut self, cc: Cc) {
        let mask = ((cc as u8 & 1) ^ 1) << 3 | 0b100;
        self.it(cc, mask);
    }

    /// `nop`.
    pub fn nop(&mut self) {
        self.op16(0xBF00);
    }

    /// `ldr rt, [pc, #...]` of `value` from the literal pool (ARMv6-M constants).
    pub fn ldr_literal(&mut self, rt: Reg, value: u32) {
        let at = self.offset();
        self.pool.push((at, Literal::Word(value)));
        self.op16(0x4800 | (rt.num() & 7) << 8);
    }

    /// `ldr rd, =delta; add rd, pc`: `rd` = Thumb address of `label` (ARMv6-M).
    pub fn label_addr_literal(&mut self, rd: Reg, label: Label) {
        let at = self.offset();
        self.pool.push((at, Literal::Delta { label, anchor: at + 2 + 4 }));
        self.op16(0x4800 | (rd.num() & 7) << 8);
        self.add_hi(rd, Reg::Pc);
    }

    /// `bl label` (ARMv6-M's long jump: `lr` is saved by the prologue).
    pub fn bl(&mut self, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::BL);
        self.op32(0xF000, 0xD000);
    }

    // ---- 32-bit Thumb-2 forms (ARMv7-M) ----

    /// `movw rd, #imm16`.
    pub fn movw(&mut self, rd: Reg, imm16: u16) {
        let (a, b) = imm16_fields(imm16);
        self.op32(0xF240 | a, b | rd.num() << 8);
    }

    /// `movt rd, #imm16`.
    pub fn movt(&mut self, rd: Reg, imm16: u16) {
        let (a, b) = imm16_fields(imm16);
        self.op32(0xF2C0 | a, b | rd.num() << 8);
    }

    /// `mov.w rd, #const` (`imm12` a modified immediate; flags unchanged).
    pub fn mov_w_imm(&mut self, rd: Reg, imm12: u16) {
        let (a, b) = imm12_fields(imm12);
        self.op32(0xF04F | a, b | rd.num() << 8);
    }

    /// `op.w rd, rn, #const` (flags unchanged; `imm12` a modified immediate).
    pub fn dp32_imm(&mut self, op: Dp32, rd: Reg, rn: Reg, imm12: u16) {
        let (a, b) = imm12_fields(imm12);
        self.op32(0xF000 | a | (op as u16) << 5 | rn.num(), b | rd.num() << 8);
    }

    /// `bic.w rd, rn, #const` (`imm12` a modified immediate).
    pub fn bic_w_imm(&mut self, rd: Reg, rn: Reg, imm12: u16) {
        let (a, b) = imm12_fields(imm12);
        self.op32(0xF020 | a | rn.num(), b | rd.num() << 8);
    }

    /// `mvn.w rd, #const` (`imm12` a modified immediate).
    pub fn mvn_w_imm(&mut self, rd: Reg, imm12: u16) {
        let (a, b) = imm12_fields(imm12);
        self.op32(0xF06F | a, b | rd.num() << 8);
    }

    /// `op.w rd, rn, rm` (flags unchanged); `rn` = `pc` encodes `mov.w`/`mvn.w`.
    pub fn dp32(&mut self, op: Dp32, rd: Reg, rn: Reg, rm: Reg) {
        self.op32(0xEA00 | (op as u16) << 5 | rn.num(), rd.num() << 8 | rm.num());
    }

    /// `adds.w`/`subs.w rd, rn, rm` (ARMv7-M; `op` is [`Dp32::Add`] or
    /// [`Dp32::Sub`]): the 32-bit form that sets the flags.
    pub fn dp32_s(&mut self, op: Dp32, rd: Reg, rn: Reg, rm: Reg) {
        self.op32(0xEA10 | (op as u16) << 5 | rn.num(), rd.num() << 8 | rm.num());
    }

    /// `op.w rd, rn, rm, <kind> #imm5` (flags unchanged; `op` the 4-bit
    /// opcode of the "data processing (shifted register)" group: 8 `add`,
    /// 14 `rsb`, 2 `orr`, which with `rn` = `pc` is `mov.w`/`lsl.w`...).
    pub fn dp32_shifted(&mut self, op: u16, rd: Reg, rn: Reg, rm: Reg, kind: ShiftKind, imm5: u8) {
        let imm5 = u16::from(imm5 & 31);
        self.op32(
            0xEA00 | (op & 15) << 5 | rn.num(),
            (imm5 >> 2) << 12 | rd.num() << 8 | (imm5 & 3) << 6 | (kind as u16) << 4 | rm.num(),
        );
    }

    /// `ubfx rd, rn, #lsb, #width` (ARMv7-M; `lsb + width` at most 32).
    pub fn ubfx(&mut self, rd: Reg, rn: Reg, lsb: u8, width: u8) {
        let lsb = u16::from(lsb & 31);
        self.op32(0xF3C0 | rn.num(), (lsb >> 2) << 12 | rd.num() << 8 | (lsb & 3) << 6 | (u16::from(width) - 1) & 31);
    }

    /// `adds/subs rd, rn, #imm3` (low registers, 0..=7).
    pub fn addsub_imm3(&mut self, sub: bool, rd: Reg, rn: Reg, imm3: u8) {
        let base = if sub { 0x1E00 } else { 0x1C00 };
        self.op16(base | u16::from(imm3 & 7) << 6 | rn.num() << 3 | rd.num());
    }

    /// `addw/subw rd, rn, #imm12` (ARMv7-M, 0..=4095).
    pub fn addsubw(&mut self, sub: bool, rd: Reg, rn: Reg, imm12: u16) {
        let base = if sub { 0xF2A0 } else { 0xF200 };
        self.op32(base | (imm12 >> 11 & 1) << 10 | rn.num(), (imm12 >> 8 & 7) << 12 | rd.num() << 8 | (imm12 & 0xFF));
    }

    /// `mls rd, rn, rm, ra` (ARMv7-M): `rd = ra - rn * rm`.
    pub fn mls(&mut self, rd: Reg, rn: Reg, rm: Reg, ra: Reg) {
        self.op32(0xFB00 | rn.num(), ra.num() << 12 | rd.num() << 8 | 0x10 | rm.num());
    }

    /// `mla rd, rn, rm, ra` (ARMv7-M): `rd = ra + rn * rm`.
    pub fn mla(&mut self, rd: Reg, rn: Reg, rm: Reg, ra: Reg) {
        self.op32(0xFB00 | rn.num(), ra.num() << 12 | rd.num() << 8 | rm.num());
    }

    /// `sdiv rd, rn, rm` (ARMv7-M).
    pub fn sdiv_w(&mut self, rd: Reg, rn: Reg, rm: Reg) {
        self.op32(0xFB90 | rn.num(), 0xF0F0 | rd.num() << 8 | rm.num());
    }

    /// `mul.w rd, rn, rm`.
    pub fn mul_w(&mut self, rd: Reg, rn: Reg, rm: Reg) {
        self.op32(0xFB00 | rn.num(), 0xF000 | rd.num() << 8 | rm.num());
    }

    /// `lsl.w/lsr.w/asr.w rd, rn, rm`.
    pub fn shift_w(&mut self, kind: ShiftKind, rd: Reg, rn: Reg, rm: Reg) {
        self.op32(0xFA00 | (kind as u16) << 5 | rn.num(), 0xF000 | rd.num() << 8 | rm.num());
    }

    /// `rsb.w rd, rn, #0`.
    pub fn rsb_w_zero(&mut self, rd: Reg, rn: Reg) {
        self.op32(0xF1C0 | rn.num(), rd.num() << 8);
    }

    /// `cmp.w rn, #const` (`imm12` a modified immediate).
    pub fn cmp_w_imm(&mut self, rn: Reg, imm12: u16) {
        let (a, b) = imm12_fields(imm12);
        self.op32(0xF1B0 | a | rn.num(), b | 0x0F00);
    }

    /// `tst.w rn, #const` (`imm12` a modified immediate).
    pub fn tst_w_imm(&mut self, rn: Reg, imm12: u16) {
        let (a, b) = imm12_fields(imm12);
        self.op32(0xF010 | a | rn.num(), b | 0x0F00);
    }

    /// `op.w rt, [rn, #imm12]` (bytes, 0..=4095).
    pub fn ldst_imm12(&mut self, op: MemOp, rt: Reg, rn: Reg, imm12: u16) {
        self.op32(op.wide_base() | 0x80 | rn.num(), rt.num() << 12 | (imm12 & 0xFFF));
    }

    /// `op rt, [rn, #-imm8]` (bytes, 1..=255).
    pub fn ldst_neg8(&mut self, op: MemOp, rt: Reg, rn: Reg, imm8: u8) {
        self.op32(op.wide_base() | rn.num(), rt.num() << 12 | 0x0C00 | u16::from(imm8));
    }

    /// `op.w rt, [rn, rm, lsl #shift]` (`shift` 0..=3).
    pub fn ldst_reg_w(&mut self, op: MemOp, rt: Reg, rn: Reg, rm: Reg, shift: u16) {
        self.op32(op.wide_base() | rn.num(), rt.num() << 12 | (shift & 3) << 4 | rm.num());
    }

    /// `adr.w rd, pc + value` (T3 `addw` form for `value >= 0`, T2 `subw` otherwise;
    /// `|value| <= 4095`), relative to the word-aligned PC.
    pub fn adr_w(&mut self, rd: Reg, value: i32) {
        let (hw1, mag) = if value >= 0 { (0xF20F, value) } else { (0xF2AF, -value) };
        let (a, b) = imm12_fields(mag as u16 & 0xFFF);
        self.op32(hw1 | a, b | rd.num() << 8);
    }

    /// `adr.w rd, label + 1` (forward; patched at the end).
    pub fn adr_w_label(&mut self, rd: Reg, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::ADR_W);
        self.op32(0xF20F, rd.num() << 8);
    }

    /// `addw rd, sp, #imm12`.
    pub fn addw_sp(&mut self, rd: Reg, imm12: u16) {
        let (a, b) = imm12_fields(imm12 & 0xFFF);
        self.op32(0xF20D | a, b | rd.num() << 8);
    }

    /// `subw sp, sp, #imm12` (`sub = true`) or `addw sp, sp, #imm12`.
    pub fn sp_adjust_w(&mut self, sub: bool, imm12: u16) {
        let (a, b) = imm12_fields(imm12 & 0xFFF);
        self.op32(if sub { 0xF2AD } else { 0xF20D } | a, b | 0x0D00);
    }

    /// `push.w {list}` (bits 0..=12 and 14).
    pub fn push_w(&mut self, list: u16) {
        self.op32(0xE92D, list & 0x5FFF);
    }

    /// `pop.w {list}` (bits 0..=12, 14 or 15).
    pub fn pop_w(&mut self, list: u16) {
        self.op32(0xE8BD, list & 0xDFFF);
    }

    /// `b.w label`.
    pub fn b_w(&mut self, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::B_W);
        self.op32(0xF000, 0x9000);
    }

    /// `b<c>.w label`.
    pub fn b_cond_w(&mut self, cc: Cc, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::BCC_W);
        self.op32(0xF000 | (cc as u16) << 6, 0x8000);
    }

    /// `movw rd, #lo; movt rd, #hi; add rd, pc`: `rd` = Thumb address of `label`.
    pub fn label_addr_movw_movt(&mut self, rd: Reg, label: Label) {
        let at = self.offset();
        self.buf.add_fixup(at, label, fixup::ADDR_MOVW_MOVT);
        self.movw(rd, 0);
        self.movt(rd, 0);
        self.add_hi(rd, Reg::Pc);
    }

    // ---- literal pool ----

    /// Flushes the literal pool (with a branch over it) if the oldest pending
    /// load would otherwise go out of reach during the next `reserve` bytes.
    pub fn pool_check(&mut self, reserve: usize) {
        let Some(&(first, _)) = self.pool.first() else { return };
        let deadline = ((first + 4) & !3) + LIT8_REACH;
        let need = self.offset() + 2 + 2 + 4 * self.pool.len() + reserve + POOL_HEADROOM;
        if need > deadline {
            self.pool_flush(true);
        }
    }

    /// After an unconditional transfer: flushes the pool if its oldest load is
    /// past half its reach (no branch needed here).
    pub fn pool_maybe_flush_here(&mut self) {
        let Some(&(first, _)) = self.pool.first() else { return };
        if self.offset() + 4 * self.pool.len() > first + LIT8_REACH / 2 {
            self.pool_flush(false);
        }
    }

    /// Writes every pending literal (word-aligned), preceded by a branch over
    /// them when `branch`. The loads are patched at once (no labels are
    /// created, so label numbers do not depend on where pools fall).
    pub fn pool_flush(&mut self, branch: bool) {
        if self.pool.is_empty() {
            return;
        }
        let branch_at = branch.then(|| {
            let at = self.offset();
            self.op16(0xE000);
            at
        });
        if self.offset() % 4 != 0 {
            self.nop();
        }
        let mut words: Vec<(u32, usize)> = Vec::new();
        for (ldr_at, lit) in core::mem::take(&mut self.pool) {
            let entry = match lit {
                Literal::Word(v) => match words.iter().find(|(w, _)| *w == v) {
                    Some(&(_, at)) => at,
                    None => {
                        let at = self.offset();
                        self.buf.put_u32_le(v);
                        words.push((v, at));
                        at
                    }
                },
                Literal::Delta { label, anchor } => {
                    let at = self.offset();
                    self.buf.put_u32_le(anchor as u32);
                    self.buf.add_fixup(at, label, fixup::DELTA32);
                    at
                }
            };
            // `ldr rt, [pc, #imm8 * 4]`: within reach by construction (see `pool_check`).
            match entry.checked_sub((ldr_at + 4) & !3).map(|d| d / 4).filter(|imm8| *imm8 <= 255) {
                Some(imm8) => {
                    if let Some(b) = self.buf.bytes_mut().get_mut(ldr_at) {
                        *b = imm8 as u8;
                    }
                }
                None => self.buf.fail(AsmError::CodeTooLarge),
            }
        }
        if let Some(at) = branch_at {
            let off = self.offset() as i64 - (at as i64 + 4);
            let hw = 0xE000 | (off >> 1 & 0x7FF) as u16;
            if let Some(b) = self.buf.bytes_mut().get_mut(at..at + 2) {
                b.copy_from_slice(&hw.to_le_bytes());
            }
        }
    }

    /// True if literals are waiting for a pool.
    pub fn pool_pending(&self) -> bool {
        !self.pool.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(imm12: u16) -> u32 {
        let imm12 = u32::from(imm12);
        let b = imm12 & 0xFF;
        if imm12 >> 10 == 0 {
            match imm12 >> 8 & 3 {
                0 => b,
                1 => b << 16 | b,
                2 => b << 24 | b << 8,
                _ => b * 0x0101_0101,
            }
        } else {
            (0x80 | (imm12 & 0x7F)).rotate_right(imm12 >> 7)
        }
    }

    #[test]
    fn modified_immediates_round_trip() {
        let samples = [
            0u32,
            1,
            0xFF,
            0x100,
            0x1FE,
            0x00AB00AB,
            0xAB00AB00,
            0xABABABAB,
            0x8000_0000,
            0xFF00_0000,
            0x3FC,
            0x101,
            0x1234,
            0xFFFF_FFFF,
            0x0F0F_0F0F,
            0x00FF_0000,
            0x1_0000,
            0xF000_000F,
        ];
        for v in samples {
            if let Some(e) = modified_imm(v) {
                assert_eq!(expand(e), v, "{v:#x}");
            }
        }
        assert!(modified_imm(0x101).is_none() && modified_imm(0x1234).is_none());
        assert!(modified_imm(0x8000_0000).is_some() && modified_imm(0xFF00_0000).is_some());
        assert!(modified_imm(0xF000_000F).is_none());
        for rot in 8..32u32 {
            for b in [0x80u32, 0xC3, 0xFF] {
                let v = b.rotate_right(rot);
                assert_eq!(modified_imm(v).map(expand), Some(v), "{v:#x}");
            }
        }
    }

    #[test]
    fn conditions_invert() {
        assert_eq!(Cc::Eq.invert(), Cc::Ne);
        assert_eq!(Cc::Lo.invert(), Cc::Hs);
        assert_eq!(Cc::Le.invert(), Cc::Gt);
        assert_eq!(Cc::Hi.invert().name(), "ls");
    }

    #[cfg(feature = "disasm")]
    #[test]
    fn multiply_accumulate_and_bit_fields_decode() {
        let mut e = Encoder::new(Arch::Armv7em);
        e.mla(Reg::R1, Reg::R11, Reg::R0, Reg::R2);
        e.mls(Reg::R9, Reg::R1, Reg::R2, Reg::R0);
        e.ubfx(Reg::R1, Reg::R10, 8, 8);
        let lines = crate::disasm::decode(e.buf.bytes());
        let text: alloc::vec::Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(text, ["mla r1, fp, r0, r2", "mls sb, r1, r2, r0", "ubfx r1, sl, #8, #8"]);
    }

    #[test]
    fn bad_fixups_fail() {
        let mut code = alloc::vec![0u8; 4];
        let f = Fixup { at: 0, label: Label(3), kind: fixup::B16 };
        assert_eq!(patch(&mut code, f, 5000), Err(AsmError::BranchOutOfRange(3)));
        let f = Fixup { at: 2, label: Label(0), kind: fixup::B_W };
        assert_eq!(patch(&mut code, f, 0), Err(AsmError::CodeTooLarge));
        let f = Fixup { at: 0, label: Label(0), kind: 99 };
        assert_eq!(patch(&mut code, f, 0), Err(AsmError::CodeTooLarge));
        let f = Fixup { at: 0, label: Label(1), kind: fixup::LIT8 };
        assert_eq!(patch(&mut code, f, 2), Err(AsmError::BranchOutOfRange(1)));
    }
}
