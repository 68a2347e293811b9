//! The Xtensa instructions ferropy emits: encoding, decoding and GNU-style text.
//!
//! One [`Insn`] value per machine instruction of the subset (core ISA, the
//! code-density option's narrow forms, 32-bit multiply, and the windowed
//! `entry`/`callx8`/`retw`). Branch, jump, call and `l32r` operands are stored
//! *relative*, exactly as encoded, so an `Insn` is position-independent:
//! [`Insn::target`] gives the absolute target for an address.
//!
//! Encodings (little-endian; field positions from the ISA reference):
//! RRR `op2<<20|op1<<16|r<<12|s<<8|t<<4|op0`, RRI8 `imm8<<16|r<<12|s<<8|t<<4|op0`,
//! RI16 `imm16<<8|t<<4|op0`, CALL `offset18<<6|n<<4|op0`, BRI12
//! `imm12<<12|s<<8|m<<6|n<<4|op0`, narrow RRRN `r<<12|s<<8|t<<4|op0`.
//! [`Insn::encode`] checks every field's range and never panics.

use core::fmt;

use ferropy_emit_native::AsmError;

use crate::regs::Reg;

/// Two-register conditional branches (BRI8 format, `r` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BCond {
    /// `beq`.
    Eq = 0x1,
    /// `blt` (signed).
    Lt = 0x2,
    /// `bltu`.
    Ltu = 0x3,
    /// `bne`.
    Ne = 0x9,
    /// `bge` (signed).
    Ge = 0xA,
    /// `bgeu`.
    Geu = 0xB,
}

impl BCond {
    /// The opposite condition.
    pub fn invert(self) -> BCond {
        match self {
            BCond::Eq => BCond::Ne,
            BCond::Ne => BCond::Eq,
            BCond::Lt => BCond::Ge,
            BCond::Ge => BCond::Lt,
            BCond::Ltu => BCond::Geu,
            BCond::Geu => BCond::Ltu,
        }
    }

    /// Evaluates the condition on two register values.
    pub fn eval(self, a: u32, b: u32) -> bool {
        match self {
            BCond::Eq => a == b,
            BCond::Ne => a != b,
            BCond::Lt => (a as i32) < (b as i32),
            BCond::Ge => (a as i32) >= (b as i32),
            BCond::Ltu => a < b,
            BCond::Geu => a >= b,
        }
    }

    fn from_field(r: u32) -> Option<BCond> {
        Some(match r {
            0x1 => BCond::Eq,
            0x2 => BCond::Lt,
            0x3 => BCond::Ltu,
            0x9 => BCond::Ne,
            0xA => BCond::Ge,
            0xB => BCond::Geu,
            _ => return None,
        })
    }

    fn mnemonic(self) -> &'static str {
        match self {
            BCond::Eq => "beq",
            BCond::Lt => "blt",
            BCond::Ltu => "bltu",
            BCond::Ne => "bne",
            BCond::Ge => "bge",
            BCond::Geu => "bgeu",
        }
    }
}

/// Compare-with-zero branches (BRI12 format, `m` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ZCond {
    /// `beqz`.
    Eqz = 0,
    /// `bnez`.
    Nez = 1,
    /// `bltz`.
    Ltz = 2,
    /// `bgez`.
    Gez = 3,
}

impl ZCond {
    /// The opposite condition.
    pub fn invert(self) -> ZCond {
        match self {
            ZCond::Eqz => ZCond::Nez,
            ZCond::Nez => ZCond::Eqz,
            ZCond::Ltz => ZCond::Gez,
            ZCond::Gez => ZCond::Ltz,
        }
    }

    /// Evaluates the condition on a register value.
    pub fn eval(self, a: u32) -> bool {
        match self {
            ZCond::Eqz => a == 0,
            ZCond::Nez => a != 0,
            ZCond::Ltz => (a as i32) < 0,
            ZCond::Gez => (a as i32) >= 0,
        }
    }

    fn mnemonic(self) -> &'static str {
        match self {
            ZCond::Eqz => "beqz",
            ZCond::Nez => "bnez",
            ZCond::Ltz => "bltz",
            ZCond::Gez => "bgez",
        }
    }
}

/// Three-register ALU operations (RRR format with `op1 = 0` unless noted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alu {
    /// `and`.
    And,
    /// `or`.
    Or,
    /// `xor`.
    Xor,
    /// `add`.
    Add,
    /// `addx2`: `(s << 1) + t`.
    Addx2,
    /// `addx4`: `(s << 2) + t`.
    Addx4,
    /// `sub`.
    Sub,
    /// `mull` (`op1 = 2`, 32-bit multiply option).
    Mull,
}

impl Alu {
    const ALL: [Alu; 8] = [Alu::And, Alu::Or, Alu::Xor, Alu::Add, Alu::Addx2, Alu::Addx4, Alu::Sub, Alu::Mull];

    fn fields(self) -> (u32, u32) {
        match self {
            Alu::And => (0, 1),
            Alu::Or => (0, 2),
            Alu::Xor => (0, 3),
            Alu::Add => (0, 8),
            Alu::Addx2 => (0, 9),
            Alu::Addx4 => (0, 0xA),
            Alu::Sub => (0, 0xC),
            Alu::Mull => (2, 8),
        }
    }

    /// Computes the operation.
    pub fn eval(self, s: u32, t: u32) -> u32 {
        match self {
            Alu::And => s & t,
            Alu::Or => s | t,
            Alu::Xor => s ^ t,
            Alu::Add => s.wrapping_add(t),
            Alu::Addx2 => (s << 1).wrapping_add(t),
            Alu::Addx4 => (s << 2).wrapping_add(t),
            Alu::Sub => s.wrapping_sub(t),
            Alu::Mull => s.wrapping_mul(t),
        }
    }

    fn mnemonic(self) -> &'static str {
        match self {
            Alu::And => "and",
            Alu::Or => "or",
            Alu::Xor => "xor",
            Alu::Add => "add",
            Alu::Addx2 => "addx2",
            Alu::Addx4 => "addx4",
            Alu::Sub => "sub",
            Alu::Mull => "mull",
        }
    }
}

/// Memory access kinds of the RRI8 load/store group (`r` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mem {
    /// `l8ui`.
    L8ui = 0,
    /// `l16ui`.
    L16ui = 1,
    /// `l32i`.
    L32i = 2,
    /// `s8i`.
    S8i = 4,
    /// `s16i`.
    S16i = 5,
    /// `s32i`.
    S32i = 6,
}

impl Mem {
    /// Access size in bytes.
    pub fn size(self) -> u32 {
        match self {
            Mem::L8ui | Mem::S8i => 1,
            Mem::L16ui | Mem::S16i => 2,
            Mem::L32i | Mem::S32i => 4,
        }
    }

    /// True for stores.
    pub fn is_store(self) -> bool {
        matches!(self, Mem::S8i | Mem::S16i | Mem::S32i)
    }

    fn from_field(r: u32) -> Option<Mem> {
        Some(match r {
            0 => Mem::L8ui,
            1 => Mem::L16ui,
            2 => Mem::L32i,
            4 => Mem::S8i,
            5 => Mem::S16i,
            6 => Mem::S32i,
            _ => return None,
        })
    }

    fn mnemonic(self) -> &'static str {
        match self {
            Mem::L8ui => "l8ui",
            Mem::L16ui => "l16ui",
            Mem::L32i => "l32i",
            Mem::S8i => "s8i",
            Mem::S16i => "s16i",
            Mem::S32i => "s32i",
        }
    }
}

/// One instruction. Offsets named `rel` are relative as encoded: branches and
/// `j` to `pc + 4`, `call0` to `(pc & !3) + 4` (in bytes, a multiple of 4), and
/// `l32r` to `(pc + 3) & !3` (in bytes, a negative multiple of 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Insn {
    /// `op r, s, t`.
    Alu { op: Alu, r: Reg, s: Reg, t: Reg },
    /// `neg r, t`.
    Neg { r: Reg, t: Reg },
    /// `moveqz`/`movnez`/`movltz`/`movgez r, s, t`: `r = s` if `t` meets
    /// `cond` (compared with zero), else `r` unchanged.
    MovCond { cond: ZCond, r: Reg, s: Reg, t: Reg },
    /// `ssl s`: shift amount for a left shift by `s & 31`.
    Ssl { s: Reg },
    /// `ssr s`: shift amount for a right shift by `s & 31`.
    Ssr { s: Reg },
    /// `sll r, s`.
    Sll { r: Reg, s: Reg },
    /// `srl r, t`.
    Srl { r: Reg, t: Reg },
    /// `sra r, t`.
    Sra { r: Reg, t: Reg },
    /// `slli r, s, sa` (1..=31).
    Slli { r: Reg, s: Reg, sa: u32 },
    /// `srli r, t, sa` (0..=15).
    Srli { r: Reg, t: Reg, sa: u32 },
    /// `srai r, t, sa` (0..=31).
    Srai { r: Reg, t: Reg, sa: u32 },
    /// `extui r, t, shift, bits`: `(t >> shift) & ((1 << bits) - 1)` (shift 0..=31, bits 1..=16).
    Extui { r: Reg, t: Reg, shift: u32, bits: u32 },
    /// `movi t, imm` (-2048..=2047).
    Movi { t: Reg, imm: i32 },
    /// `addi t, s, imm` (-128..=127).
    Addi { t: Reg, s: Reg, imm: i32 },
    /// `addmi t, s, imm` (a multiple of 256, -32768..=32512).
    Addmi { t: Reg, s: Reg, imm: i32 },
    /// A load or store `t, [s + off]` (byte offset, a multiple of the size, 0..=255 units).
    Mem { op: Mem, t: Reg, s: Reg, off: u32 },
    /// `l32r t, literal` (`rel` in bytes, -262144..=-4).
    L32r { t: Reg, rel: i32 },
    /// Two-register branch (`rel` -128..=127).
    B { cond: BCond, s: Reg, t: Reg, rel: i32 },
    /// Compare-with-zero branch (`rel` -2048..=2047).
    Bz { cond: ZCond, s: Reg, rel: i32 },
    /// `bbci s, bit, target` (`set` false: branch if bit `bit` (0..=31) of
    /// `s` is clear) or `bbsi` (`set`: if it is set); `rel` -128..=127.
    Bbi { set: bool, s: Reg, bit: u32, rel: i32 },
    /// `j` (`rel` -131072..=131071).
    J { rel: i32 },
    /// `jx s`.
    Jx { s: Reg },
    /// `call0` (`rel` a multiple of 4, -524288..=524284).
    Call0 { rel: i32 },
    /// `callx0 s`.
    Callx0 { s: Reg },
    /// `callx8 s`.
    Callx8 { s: Reg },
    /// `ret`.
    Ret,
    /// `retw`.
    Retw,
    /// `entry s, frame` (frame a multiple of 8, 0..=32760).
    Entry { s: Reg, frame: u32 },
    /// `add.n r, s, t`.
    AddN { r: Reg, s: Reg, t: Reg },
    /// `addi.n r, s, imm` (-1 or 1..=15).
    AddiN { r: Reg, s: Reg, imm: i32 },
    /// `mov.n t, s`.
    MovN { t: Reg, s: Reg },
    /// `movi.n s, imm` (-32..=95).
    MoviN { s: Reg, imm: i32 },
    /// `l32i.n t, s, off` (0..=60, multiple of 4).
    L32iN { t: Reg, s: Reg, off: u32 },
    /// `s32i.n t, s, off` (0..=60, multiple of 4).
    S32iN { t: Reg, s: Reg, off: u32 },
    /// `beqz.n s` / `bnez.n s` (`rel` 0..=63).
    BzN { nez: bool, s: Reg, rel: i32 },
    /// `ret.n`.
    RetN,
    /// `retw.n`.
    RetwN,
    /// `nop.n`.
    NopN,
}

fn rrr(op0: u32, op1: u32, op2: u32, r: u32, s: u32, t: u32) -> u32 {
    op2 << 20 | op1 << 16 | r << 12 | s << 8 | t << 4 | op0
}

fn rri8(op0: u32, r: u32, s: u32, t: u32, imm8: u32) -> u32 {
    (imm8 & 0xFF) << 16 | r << 12 | s << 8 | t << 4 | op0
}

fn rrrn(op0: u32, r: u32, s: u32, t: u32) -> u32 {
    r << 12 | s << 8 | t << 4 | op0
}

fn n(r: Reg) -> u32 {
    u32::from(r.num())
}

fn sext(value: u32, bits: u32) -> i32 {
    let shift = 32 - bits;
    ((value << shift) as i32) >> shift
}

fn check(ok: bool, value: i64) -> Result<(), AsmError> {
    if ok {
        Ok(())
    } else {
        Err(AsmError::ImmediateOutOfRange(value))
    }
}

/// True if `imm` fits `movi.n`.
pub fn fits_movi_n(imm: i64) -> bool {
    (-32..=95).contains(&imm)
}

/// True if `imm` fits `movi`.
pub fn fits_movi(imm: i64) -> bool {
    (-2048..=2047).contains(&imm)
}

impl Insn {
    /// Length in bytes (2 for the narrow forms, else 3; never empty).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        match self {
            Insn::AddN { .. }
            | Insn::AddiN { .. }
            | Insn::MovN { .. }
            | Insn::MoviN { .. }
            | Insn::L32iN { .. }
            | Insn::S32iN { .. }
            | Insn::BzN { .. }
            | Insn::RetN
            | Insn::RetwN
            | Insn::NopN => 2,
            _ => 3,
        }
    }

    /// The register the instruction writes, if any (calls also write `a0` or `a8`).
    pub fn writes(&self) -> Option<Reg> {
        match *self {
            Insn::Alu { r, .. }
            | Insn::MovCond { r, .. }
            | Insn::Neg { r, .. }
            | Insn::Sll { r, .. }
            | Insn::Srl { r, .. }
            | Insn::Sra { r, .. }
            | Insn::Slli { r, .. }
            | Insn::Srli { r, .. }
            | Insn::Srai { r, .. }
            | Insn::Extui { r, .. }
            | Insn::AddN { r, .. }
            | Insn::AddiN { r, .. } => Some(r),
            Insn::Movi { t, .. }
            | Insn::Addi { t, .. }
            | Insn::Addmi { t, .. }
            | Insn::L32r { t, .. }
            | Insn::MovN { t, .. }
            | Insn::L32iN { t, .. } => Some(t),
            Insn::Mem { op, t, .. } if !op.is_store() => Some(t),
            Insn::MoviN { s, .. } => Some(s),
            Insn::Call0 { .. } | Insn::Callx0 { .. } => Some(Reg::A0),
            Insn::Callx8 { .. } => Some(Reg::A8),
            Insn::Entry { s, .. } => Some(s),
            _ => None,
        }
    }

    /// True if the instruction reads address register `reg` (calls read
    /// only their target register; returns read `a0`).
    pub fn reads(&self, reg: Reg) -> bool {
        match *self {
            Insn::Alu { s, t, .. } | Insn::AddN { s, t, .. } | Insn::B { s, t, .. } => s == reg || t == reg,
            // (It keeps `r` when the condition fails: `r` is read too.)
            Insn::MovCond { r, s, t, .. } => r == reg || s == reg || t == reg,
            Insn::Bbi { s, .. } => s == reg,
            Insn::Mem { op, t, s, .. } => s == reg || (op.is_store() && t == reg),
            Insn::S32iN { t, s, .. } => s == reg || t == reg,
            Insn::Neg { t, .. }
            | Insn::Srl { t, .. }
            | Insn::Sra { t, .. }
            | Insn::Srli { t, .. }
            | Insn::Srai { t, .. }
            | Insn::Extui { t, .. } => t == reg,
            Insn::Ssl { s }
            | Insn::Ssr { s }
            | Insn::Sll { s, .. }
            | Insn::Slli { s, .. }
            | Insn::Addi { s, .. }
            | Insn::Addmi { s, .. }
            | Insn::Bz { s, .. }
            | Insn::Jx { s }
            | Insn::Callx0 { s }
            | Insn::Callx8 { s }
            | Insn::Entry { s, .. }
            | Insn::AddiN { s, .. }
            | Insn::MovN { s, .. }
            | Insn::L32iN { s, .. }
            | Insn::BzN { s, .. } => s == reg,
            Insn::Ret | Insn::Retw | Insn::RetN | Insn::RetwN => reg == Reg::A0,
            Insn::Movi { .. }
            | Insn::L32r { .. }
            | Insn::J { .. }
            | Insn::Call0 { .. }
            | Insn::MoviN { .. }
            | Insn::NopN => false,
        }
    }

    /// True if the instruction's only effect is writing [`Insn::writes`]
    /// (no memory write, control transfer or shift-amount change).
    pub fn only_writes(&self) -> bool {
        match self {
            Insn::Mem { op, .. } => !op.is_store(),
            Insn::Alu { .. }
            | Insn::Neg { .. }
            | Insn::Sll { .. }
            | Insn::Srl { .. }
            | Insn::Sra { .. }
            | Insn::Slli { .. }
            | Insn::Srli { .. }
            | Insn::Srai { .. }
            | Insn::Extui { .. }
            | Insn::Movi { .. }
            | Insn::Addi { .. }
            | Insn::Addmi { .. }
            | Insn::L32r { .. }
            | Insn::AddN { .. }
            | Insn::AddiN { .. }
            | Insn::MovN { .. }
            | Insn::MoviN { .. }
            | Insn::L32iN { .. } => true,
            _ => false,
        }
    }

    /// Encodes the instruction as a word holding `len()` bytes (little-endian).
    pub fn encode(&self) -> Result<u32, AsmError> {
        Ok(match *self {
            Insn::Alu { op, r, s, t } => {
                let (op1, op2) = op.fields();
                rrr(0, op1, op2, n(r), n(s), n(t))
            }
            Insn::Neg { r, t } => rrr(0, 0, 6, n(r), 0, n(t)),
            Insn::MovCond { cond, r, s, t } => rrr(0, 3, 8 + cond as u32, n(r), n(s), n(t)),
            Insn::Ssl { s } => rrr(0, 0, 4, 1, n(s), 0),
            Insn::Ssr { s } => rrr(0, 0, 4, 0, n(s), 0),
            Insn::Sll { r, s } => rrr(0, 1, 0xA, n(r), n(s), 0),
            Insn::Srl { r, t } => rrr(0, 1, 9, n(r), 0, n(t)),
            Insn::Sra { r, t } => rrr(0, 1, 0xB, n(r), 0, n(t)),
            Insn::Slli { r, s, sa } => {
                check((1..=31).contains(&sa), sa.into())?;
                let enc = 32 - sa;
                rrr(0, 1, enc >> 4, n(r), n(s), enc & 15)
            }
            Insn::Srli { r, t, sa } => {
                check(sa <= 15, sa.into())?;
                rrr(0, 1, 4, n(r), sa, n(t))
            }
            Insn::Srai { r, t, sa } => {
                check(sa <= 31, sa.into())?;
                rrr(0, 1, 2 | sa >> 4, n(r), sa & 15, n(t))
            }
            Insn::Extui { r, t, shift, bits } => {
                check(shift <= 31, shift.into())?;
                check((1..=16).contains(&bits), bits.into())?;
                rrr(0, 4 | shift >> 4, bits - 1, n(r), shift & 15, n(t))
            }
            Insn::Movi { t, imm } => {
                check(fits_movi(imm.into()), imm.into())?;
                let v = imm as u32 & 0xFFF;
                rri8(2, 0xA, v >> 8, n(t), v & 0xFF)
            }
            Insn::Addi { t, s, imm } => {
                check((-128..=127).contains(&imm), imm.into())?;
                rri8(2, 0xC, n(s), n(t), imm as u32)
            }
            Insn::Addmi { t, s, imm } => {
                check(imm % 256 == 0 && (-32768..=32512).contains(&imm), imm.into())?;
                rri8(2, 0xD, n(s), n(t), (imm >> 8) as u32)
            }
            Insn::Mem { op, t, s, off } => {
                let size = op.size();
                if off % size != 0 || off / size > 255 {
                    return Err(AsmError::OffsetOutOfRange(off.into()));
                }
                rri8(2, op as u32, n(s), n(t), off / size)
            }
            Insn::L32r { t, rel } => {
                if rel % 4 != 0 || !(-262144..=-4).contains(&rel) {
                    return Err(AsmError::CodeTooLarge);
                }
                ((rel >> 2) as u32 & 0xFFFF) << 8 | n(t) << 4 | 1
            }
            Insn::B { cond, s, t, rel } => {
                check((-128..=127).contains(&rel), rel.into())?;
                rri8(7, cond as u32, n(s), n(t), rel as u32)
            }
            Insn::Bbi { set, s, bit, rel } => {
                check((-128..=127).contains(&rel), rel.into())?;
                check(bit <= 31, bit.into())?;
                let r = if set { 0xE } else { 0x6 } | bit >> 4;
                rri8(7, r, n(s), bit & 15, rel as u32)
            }
            Insn::Bz { cond, s, rel } => {
                check((-2048..=2047).contains(&rel), rel.into())?;
                (rel as u32 & 0xFFF) << 12 | n(s) << 8 | (cond as u32) << 6 | 1 << 4 | 6
            }
            Insn::J { rel } => {
                check((-131072..=131071).contains(&rel), rel.into())?;
                (rel as u32 & 0x3FFFF) << 6 | 6
            }
            Insn::Jx { s } => n(s) << 8 | 0xA0,
            Insn::Call0 { rel } => {
                check(rel % 4 == 0 && (-524288..=524284).contains(&rel), rel.into())?;
                ((rel >> 2) as u32 & 0x3FFFF) << 6 | 5
            }
            Insn::Callx0 { s } => n(s) << 8 | 0xC0,
            Insn::Callx8 { s } => n(s) << 8 | 0xE0,
            Insn::Ret => 0x80,
            Insn::Retw => 0x90,
            Insn::Entry { s, frame } => {
                check(frame % 8 == 0 && frame <= 32760, frame.into())?;
                (frame / 8) << 12 | n(s) << 8 | 0x36
            }
            Insn::AddN { r, s, t } => rrrn(0xA, n(r), n(s), n(t)),
            Insn::AddiN { r, s, imm } => {
                check(imm == -1 || (1..=15).contains(&imm), imm.into())?;
                rrrn(0xB, n(r), n(s), if imm == -1 { 0 } else { imm as u32 })
            }
            Insn::MovN { t, s } => rrrn(0xD, 0, n(s), n(t)),
            Insn::MoviN { s, imm } => {
                check(fits_movi_n(imm.into()), imm.into())?;
                let v = imm as u32 & 0x7F;
                rrrn(0xC, v & 0xF, n(s), v >> 4)
            }
            Insn::L32iN { t, s, off } | Insn::S32iN { t, s, off } => {
                if off % 4 != 0 || off > 60 {
                    return Err(AsmError::OffsetOutOfRange(off.into()));
                }
                let op0 = if matches!(self, Insn::L32iN { .. }) { 8 } else { 9 };
                rrrn(op0, off / 4, n(s), n(t))
            }
            Insn::BzN { nez, s, rel } => {
                check((0..=63).contains(&rel), rel.into())?;
                let v = rel as u32;
                rrrn(0xC, v & 0xF, n(s), if nez { 0xC } else { 0x8 } | v >> 4)
            }
            Insn::RetN => 0xF00D,
            Insn::RetwN => 0xF01D,
            Insn::NopN => 0xF03D,
        })
    }

    /// Appends the encoding to `out`.
    pub fn encode_into(&self, out: &mut alloc::vec::Vec<u8>) -> Result<(), AsmError> {
        let word = self.encode()?;
        out.extend_from_slice(&word.to_le_bytes()[..self.len()]);
        Ok(())
    }

    /// Decodes the instruction at the start of `bytes`, or `None` if the bytes
    /// are not (the start of) an instruction of the subset.
    pub fn decode(bytes: &[u8]) -> Option<Insn> {
        let b0 = u32::from(*bytes.first()?);
        let op0 = b0 & 0xF;
        let narrow = (8..=0xD).contains(&op0);
        let w = if narrow {
            b0 | u32::from(*bytes.get(1)?) << 8
        } else {
            b0 | u32::from(*bytes.get(1)?) << 8 | u32::from(*bytes.get(2)?) << 16
        };
        let t = (w >> 4) & 0xF;
        let s = (w >> 8) & 0xF;
        let r = (w >> 12) & 0xF;
        let (rt, rs, rr) = (Reg::from_num(t), Reg::from_num(s), Reg::from_num(r));
        let op1 = (w >> 16) & 0xF;
        let op2 = (w >> 20) & 0xF;
        let imm8 = (w >> 16) & 0xFF;
        Some(match op0 {
            0 => match (op1, op2) {
                (0, 0) if r == 0 => match t {
                    0x8 if s == 0 => Insn::Ret,
                    0x9 if s == 0 => Insn::Retw,
                    0xA => Insn::Jx { s: rs },
                    0xC => Insn::Callx0 { s: rs },
                    0xE => Insn::Callx8 { s: rs },
                    _ => return None,
                },
                (0, 4) if t == 0 && r == 1 => Insn::Ssl { s: rs },
                (0, 4) if t == 0 && r == 0 => Insn::Ssr { s: rs },
                (0, 6) if s == 0 => Insn::Neg { r: rr, t: rt },
                (3, 8..=0xB) => {
                    let cond = [ZCond::Eqz, ZCond::Nez, ZCond::Ltz, ZCond::Gez][(op2 - 8) as usize];
                    Insn::MovCond { cond, r: rr, s: rs, t: rt }
                }
                (1, 0 | 1) if (op2 << 4 | t) != 0 => Insn::Slli { r: rr, s: rs, sa: 32 - (op2 << 4 | t) },
                (1, 2 | 3) => Insn::Srai { r: rr, t: rt, sa: (op2 & 1) << 4 | s },
                (1, 4) => Insn::Srli { r: rr, t: rt, sa: s },
                (4 | 5, _) => Insn::Extui { r: rr, t: rt, shift: (op1 & 1) << 4 | s, bits: op2 + 1 },
                (1, 0xA) if t == 0 => Insn::Sll { r: rr, s: rs },
                (1, 9) if s == 0 => Insn::Srl { r: rr, t: rt },
                (1, 0xB) if s == 0 => Insn::Sra { r: rr, t: rt },
                _ => {
                    let op = Alu::ALL.into_iter().find(|a| a.fields() == (op1, op2))?;
                    Insn::Alu { op, r: rr, s: rs, t: rt }
                }
            },
            1 => Insn::L32r { t: rt, rel: (0xFFFF_0000 | (w >> 8)) as i32 * 4 },
            2 => match r {
                0xA => Insn::Movi { t: rt, imm: sext(s << 8 | imm8, 12) },
                0xC => Insn::Addi { t: rt, s: rs, imm: sext(imm8, 8) },
                0xD => Insn::Addmi { t: rt, s: rs, imm: sext(imm8, 8) * 256 },
                _ => {
                    let op = Mem::from_field(r)?;
                    Insn::Mem { op, t: rt, s: rs, off: imm8 * op.size() }
                }
            },
            5 if (w >> 4) & 3 == 0 => Insn::Call0 { rel: sext(w >> 6, 18) * 4 },
            6 => match (w >> 4) & 3 {
                0 => Insn::J { rel: sext(w >> 6, 18) },
                1 => {
                    let cond = [ZCond::Eqz, ZCond::Nez, ZCond::Ltz, ZCond::Gez][((w >> 6) & 3) as usize];
                    Insn::Bz { cond, s: rs, rel: sext(w >> 12, 12) }
                }
                3 if (w >> 6) & 3 == 0 => Insn::Entry { s: rs, frame: (w >> 12) * 8 },
                _ => return None,
            },
            7 if r & 7 == 6 || r & 7 == 7 => {
                Insn::Bbi { set: r & 8 != 0, s: rs, bit: (r & 1) << 4 | t, rel: sext(imm8, 8) }
            }
            7 => Insn::B { cond: BCond::from_field(r)?, s: rs, t: rt, rel: sext(imm8, 8) },
            8 => Insn::L32iN { t: rt, s: rs, off: r * 4 },
            9 => Insn::S32iN { t: rt, s: rs, off: r * 4 },
            0xA => Insn::AddN { r: rr, s: rs, t: rt },
            0xB => Insn::AddiN { r: rr, s: rs, imm: if t == 0 { -1 } else { t as i32 } },
            0xC => match t >> 2 {
                0 | 1 => {
                    let v = (t & 7) << 4 | r;
                    Insn::MoviN { s: rs, imm: if v >= 96 { v as i32 - 128 } else { v as i32 } }
                }
                k => Insn::BzN { nez: k == 3, s: rs, rel: ((t & 3) << 4 | r) as i32 },
            },
            0xD => match (r, s, t) {
                (0, _, _) => Insn::MovN { t: rt, s: rs },
                (0xF, 0, 0) => Insn::RetN,
                (0xF, 0, 1) => Insn::RetwN,
                (0xF, 0, 3) => Insn::NopN,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The absolute target of a branch, jump, call or `l32r` at address `pc`.
    pub fn target(&self, pc: u32) -> Option<u32> {
        Some(match *self {
            Insn::B { rel, .. }
            | Insn::Bz { rel, .. }
            | Insn::Bbi { rel, .. }
            | Insn::J { rel }
            | Insn::BzN { rel, .. } => pc.wrapping_add(4).wrapping_add(rel as u32),
            Insn::Call0 { rel } => (pc & !3).wrapping_add(4).wrapping_add(rel as u32),
            Insn::L32r { rel, .. } => (pc.wrapping_add(3) & !3).wrapping_add(rel as u32),
            _ => return None,
        })
    }

    /// GNU assembler text of the instruction at address `pc` (targets absolute, in hex).
    pub fn display(&self, pc: u32) -> Display {
        Display { insn: *self, pc }
    }
}

/// [`Insn`] text at an address (see [`Insn::display`]).
pub struct Display {
    insn: Insn,
    pc: u32,
}

impl fmt::Display for Display {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = self.insn.target(self.pc).unwrap_or(0);
        match self.insn {
            Insn::Alu { op, r, s, t } => write!(f, "{} {r}, {s}, {t}", op.mnemonic()),
            Insn::Neg { r, t } => write!(f, "neg {r}, {t}"),
            Insn::MovCond { cond, r, s, t } => write!(f, "mov{}z {r}, {s}, {t}", &cond.mnemonic()[1..3]),
            Insn::Ssl { s } => write!(f, "ssl {s}"),
            Insn::Ssr { s } => write!(f, "ssr {s}"),
            Insn::Sll { r, s } => write!(f, "sll {r}, {s}"),
            Insn::Srl { r, t } => write!(f, "srl {r}, {t}"),
            Insn::Sra { r, t } => write!(f, "sra {r}, {t}"),
            Insn::Slli { r, s, sa } => write!(f, "slli {r}, {s}, {sa}"),
            Insn::Srli { r, t, sa } => write!(f, "srli {r}, {t}, {sa}"),
            Insn::Srai { r, t, sa } => write!(f, "srai {r}, {t}, {sa}"),
            Insn::Extui { r, t, shift, bits } => write!(f, "extui {r}, {t}, {shift}, {bits}"),
            Insn::Movi { t, imm } => write!(f, "movi {t}, {imm}"),
            Insn::Addi { t, s, imm } => write!(f, "addi {t}, {s}, {imm}"),
            Insn::Addmi { t, s, imm } => write!(f, "addmi {t}, {s}, {imm}"),
            Insn::Mem { op, t, s, off } => write!(f, "{} {t}, {s}, {off}", op.mnemonic()),
            Insn::L32r { t, .. } => write!(f, "l32r {t}, 0x{target:x}"),
            Insn::B { cond, s, t, .. } => write!(f, "{} {s}, {t}, 0x{target:x}", cond.mnemonic()),
            Insn::Bbi { set, s, bit, .. } => {
                write!(f, "{} {s}, {bit}, 0x{target:x}", if set { "bbsi" } else { "bbci" })
            }
            Insn::Bz { cond, s, .. } => write!(f, "{} {s}, 0x{target:x}", cond.mnemonic()),
            Insn::J { .. } => write!(f, "j 0x{target:x}"),
            Insn::Jx { s } => write!(f, "jx {s}"),
            Insn::Call0 { .. } => write!(f, "call0 0x{target:x}"),
            Insn::Callx0 { s } => write!(f, "callx0 {s}"),
            Insn::Callx8 { s } => write!(f, "callx8 {s}"),
            Insn::Ret => f.write_str("ret"),
            Insn::Retw => f.write_str("retw"),
            Insn::Entry { s, frame } => write!(f, "entry {s}, {frame}"),
            Insn::AddN { r, s, t } => write!(f, "add.n {r}, {s}, {t}"),
            Insn::AddiN { r, s, imm } => write!(f, "addi.n {r}, {s}, {imm}"),
            Insn::MovN { t, s } => write!(f, "mov.n {t}, {s}"),
            Insn::MoviN { s, imm } => write!(f, "movi.n {s}, {imm}"),
            Insn::L32iN { t, s, off } => write!(f, "l32i.n {t}, {s}, {off}"),
            Insn::S32iN { t, s, off } => write!(f, "s32i.n {t}, {s}, {off}"),
            Insn::BzN { nez, s, .. } => write!(f, "{} {s}, 0x{target:x}", if nez { "bnez.n" } else { "beqz.n" }),
            Insn::RetN => f.write_str("ret.n"),
            Insn::RetwN => f.write_str("retw.n"),
            Insn::NopN => f.write_str("nop.n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    fn bytes(i: Insn) -> Vec<u8> {
        let mut v = Vec::new();
        i.encode_into(&mut v).unwrap();
        v
    }

    #[test]
    fn known_encodings() {
        // Reference bytes from the GNU assembler (xtensa-lx106-elf-as --no-transform).
        let a = |n| Reg::from_num(n);
        assert_eq!(bytes(Insn::Alu { op: Alu::Add, r: a(2), s: a(3), t: a(4) }), [0x40, 0x23, 0x80]);
        assert_eq!(bytes(Insn::AddN { r: a(2), s: a(3), t: a(4) }), [0x4a, 0x23]);
        assert_eq!(bytes(Insn::Movi { t: a(2), imm: -2048 }), [0x22, 0xa8, 0x00]);
        assert_eq!(bytes(Insn::MoviN { s: a(2), imm: 95 }), [0x5c, 0xf2]);
        assert_eq!(bytes(Insn::MoviN { s: a(2), imm: -32 }), [0x6c, 0x02]);
        assert_eq!(bytes(Insn::Alu { op: Alu::Mull, r: a(2), s: a(3), t: a(4) }), [0x40, 0x23, 0x82]);
        assert_eq!(bytes(Insn::Sll { r: a(2), s: a(3) }), [0x00, 0x23, 0xa1]);
        assert_eq!(bytes(Insn::J { rel: -0x5e }), [0x86, 0xe8, 0xff]);
        assert_eq!(bytes(Insn::Call0 { rel: -100 }), [0xc5, 0xf9, 0xff]);
        assert_eq!(bytes(Insn::Bbi { set: false, s: a(3), bit: 17, rel: 2 }), [0x17, 0x73, 0x02]);
        assert_eq!(bytes(Insn::Bbi { set: true, s: a(5), bit: 0, rel: -1 }), [0x07, 0xe5, 0xff]);
        // Windowed (capstone): entry a1, 32; callx8 a8; retw.n.
        assert_eq!(bytes(Insn::Entry { s: a(1), frame: 32 }), [0x36, 0x41, 0x00]);
        assert_eq!(bytes(Insn::Callx8 { s: a(8) }), [0xe0, 0x08, 0x00]);
        assert_eq!(bytes(Insn::RetwN), [0x1d, 0xf0]);
    }

    #[test]
    fn out_of_range_fields_are_errors() {
        let a2 = Reg::A2;
        assert!(Insn::Movi { t: a2, imm: 2048 }.encode().is_err());
        assert!(Insn::MoviN { s: a2, imm: 96 }.encode().is_err());
        assert!(Insn::Addi { t: a2, s: a2, imm: 128 }.encode().is_err());
        assert!(Insn::Addmi { t: a2, s: a2, imm: 100 }.encode().is_err());
        assert!(Insn::AddiN { r: a2, s: a2, imm: 0 }.encode().is_err());
        assert!(Insn::Mem { op: Mem::L32i, t: a2, s: a2, off: 2 }.encode().is_err());
        assert!(Insn::Mem { op: Mem::L8ui, t: a2, s: a2, off: 256 }.encode().is_err());
        assert!(Insn::L32iN { t: a2, s: a2, off: 64 }.encode().is_err());
        assert!(Insn::L32r { t: a2, rel: 0 }.encode().is_err());
        assert!(Insn::B { cond: BCond::Eq, s: a2, t: a2, rel: 128 }.encode().is_err());
        assert!(Insn::Bbi { set: true, s: a2, bit: 32, rel: 0 }.encode().is_err());
        assert!(Insn::Bbi { set: false, s: a2, bit: 0, rel: -129 }.encode().is_err());
        assert!(Insn::Bz { cond: ZCond::Eqz, s: a2, rel: -2049 }.encode().is_err());
        assert!(Insn::BzN { nez: true, s: a2, rel: 64 }.encode().is_err());
        assert!(Insn::J { rel: 131072 }.encode().is_err());
        assert!(Insn::Call0 { rel: 2 }.encode().is_err());
        assert!(Insn::Entry { s: a2, frame: 12 }.encode().is_err());
    }

    #[test]
    fn decode_inverts_encode_and_rejects_others() {
        let samples = [
            Insn::Neg { r: Reg::A5, t: Reg::A9 },
            Insn::Ssr { s: Reg::A3 },
            Insn::Sra { r: Reg::A15, t: Reg::A0 },
            Insn::Addmi { t: Reg::A1, s: Reg::A2, imm: -256 },
            Insn::L32r { t: Reg::A7, rel: -262144 },
            Insn::Bz { cond: ZCond::Gez, s: Reg::A4, rel: -2048 },
            Insn::MovCond { cond: ZCond::Nez, r: Reg::A2, s: Reg::A3, t: Reg::A4 },
            Insn::MovCond { cond: ZCond::Gez, r: Reg::A15, s: Reg::A0, t: Reg::A9 },
            Insn::BzN { nez: false, s: Reg::A4, rel: 63 },
            Insn::Retw,
            Insn::Ret,
            Insn::AddiN { r: Reg::A3, s: Reg::A3, imm: -1 },
            Insn::Bbi { set: false, s: Reg::A9, bit: 31, rel: -128 },
            Insn::Bbi { set: true, s: Reg::A0, bit: 16, rel: 127 },
        ];
        for i in samples {
            let b = bytes(i);
            assert_eq!(Insn::decode(&b), Some(i), "{i:?}");
        }
        assert_eq!(Insn::decode(&[0xFF, 0xFF, 0xFF]), None);
        assert_eq!(Insn::decode(&[0x40]), None);
        assert_eq!(Insn::decode(&[]), None);
        assert_eq!(
            Insn::B { cond: BCond::Geu, s: Reg::A2, t: Reg::A3, rel: 8 }.display(0x10).to_string(),
            "bgeu a2, a3, 0x1c"
        );
        // `movnez a2, a3, a4`: op0 0, t 4, s 3, r 2, op1 3, op2 9 (the ISA's RRR layout).
        assert_eq!(bytes(Insn::MovCond { cond: ZCond::Nez, r: Reg::A2, s: Reg::A3, t: Reg::A4 }), [0x40, 0x23, 0x93]);
        assert_eq!(
            Insn::MovCond { cond: ZCond::Gez, r: Reg::A5, s: Reg::A6, t: Reg::A7 }.display(0).to_string(),
            "movgez a5, a6, a7"
        );
    }
}
