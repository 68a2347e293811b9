//! One emission pass of [`ThumbAsm`](crate::ThumbAsm) over a function's operations.
//!
//! Every operation picks the shortest form its operands allow (16-bit forms for
//! low registers and small immediates). A jump to a label not bound yet uses
//! the long form (`b.w`/`b<c>.w` on ARMv7-M; `bl` as a long jump, behind an
//! inverted 16-bit `b<c>` when conditional, on ARMv6-M, whose `lr` is saved by
//! the prologue) unless the previous pass showed the short form reaches.
//! Constants ARMv6-M cannot build in two instructions come from literal pools
//! placed after unconditional jumps or, when a load would go out of reach,
//! behind a branch.
//!
//! Code addresses (`label_addr`) carry the Thumb bit, so `jump_reg` and the
//! runtime can branch to them with `bx`.

use core::marker::PhantomData;

use alloc::vec::Vec;

use ferropy_emit_native::{AsmError, BinOp, Cond, Finished, Label, ShiftOp, Width};

use crate::abi;
use crate::arch::Target;
use crate::asm::{fixup, modified_imm, patch, Cc, Dp16, Dp32, Encoder, MemOp, ShiftKind};
use crate::regs::{self, Reg};

/// ARMv6-M: how a table call (which loads the function address into `r7`,
/// the table register) gets the table address back afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableSource {
    /// From the callee-saved copy in `r8` (saved and restored by the frame;
    /// every write of `r7` is copied there).
    Copy,
    /// Reloaded with `ldr r7, [base, #offset * 4]`, where the function loaded
    /// it from (see `rewrite::table_source`).
    Reload(Reg, u8),
    /// No call clobbers `r7`.
    Kept,
}

/// The frame established by the prologue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Frame {
    n_slots: usize,
    reserved_bytes: u16,
}

/// What a later pass knows from the previous one: where each label and each
/// operation's forward-branch decision ended up.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hints {
    /// Label offsets of the previous pass.
    pub labels: Vec<Option<usize>>,
    /// Offset of each operation's forward decision in the previous pass.
    pub decisions: Vec<Option<usize>>,
    /// Operations that must keep their long forms (a short form did not reach).
    pub force_long: Vec<bool>,
    /// Operations that were a `cbz`/`cbnz` in the previous pass.
    pub cbz: Vec<bool>,
}

/// A short forward form whose reach is checked after the pass.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ShortSite {
    /// Offset of the instruction.
    pub at: usize,
    /// Its label.
    pub label: Label,
    /// Fix-up kind.
    pub kind: u8,
    /// The operation that chose it.
    pub op: usize,
}

/// One emission pass over the operations of a function.
#[derive(Clone, Debug)]
pub(crate) struct Pass<T: Target> {
    enc: Encoder,
    frame: Option<Frame>,
    entry: usize,
    /// The last `set_cond` on ARMv7-M: its register, its condition and where
    /// it ends (its flags are still valid there).
    flags: Option<(Reg, Cc, usize)>,
    /// The last `set_cond` on ARMv6-M: its register (0 or 1) and where it ends.
    boolean: Option<(Reg, usize)>,
    /// The last flag-setting 16-bit instruction: its result register and
    /// where it ends (the Z flag tells whether that register is zero there).
    zero: Option<(Reg, usize)>,
    /// The last byte load (`ldrb`): its register (0..=255) and where it ends.
    byte: Option<(Reg, usize)>,
    /// ARMv7-M: the function uses none of `r8-r11`, so the prologue and
    /// epilogues save and restore only `r4-r7` (16-bit `push`/`pop`).
    pub narrow_frame: bool,
    /// ARMv6-M: where table calls get `r7` back from.
    pub table: TableSource,
    /// Offset of the last label bound.
    last_bind: Option<usize>,
    /// The previous pass's layout (none in the first pass: forward forms are long).
    hints: Option<Hints>,
    /// Index of the operation being emitted.
    pub op: usize,
    /// Offset of each operation's forward decision in this pass.
    pub decisions: Vec<Option<usize>>,
    /// Short forward forms chosen in this pass.
    pub short: Vec<ShortSite>,
    /// Labels created.
    n_labels: u32,
    _target: PhantomData<T>,
}

fn cond_code(cond: Cond) -> Cc {
    match cond {
        Cond::Eq => Cc::Eq,
        Cond::Ne => Cc::Ne,
        Cond::LtS => Cc::Lt,
        Cond::LeS => Cc::Le,
        Cond::GtS => Cc::Gt,
        Cond::GeS => Cc::Ge,
        Cond::LtU => Cc::Lo,
        Cond::LeU => Cc::Ls,
        Cond::GtU => Cc::Hi,
        Cond::GeU => Cc::Hs,
    }
}

/// True if [`Pass::binop_imm`] has a form without its scratch register.
pub(crate) fn binop_imm_is_short(v7: bool, op: BinOp, dst: Reg, value: i32) -> bool {
    let small = |v: i32| u8::try_from(v).is_ok();
    wide_imm(v7, op, dst, value).is_some()
        || special_imm(v7, op, value).is_some()
        || matches!(op, BinOp::Add | BinOp::Sub) && dst.is_low() && (small(value) || small(value.wrapping_neg()))
}

/// A 32-bit data-processing form with a modified immediate.
#[derive(Clone, Copy)]
enum WideImm {
    Dp(Dp32, u16),
    Bic(u16),
}

/// The ARMv7-M form of `dst op= value` with a modified immediate, unless a
/// 16-bit `adds/subs` does it (low `dst`, 8-bit value).
fn wide_imm(v7: bool, op: BinOp, dst: Reg, value: i32) -> Option<WideImm> {
    if !v7 {
        return None;
    }
    let small = |v: i32| u8::try_from(v).is_ok();
    let m = |v: i32| modified_imm(v as u32);
    match op {
        BinOp::Add | BinOp::Sub if dst.is_low() && (small(value) || small(value.wrapping_neg())) => None,
        BinOp::Add => {
            m(value).map(|i| WideImm::Dp(Dp32::Add, i)).or(m(value.wrapping_neg()).map(|i| WideImm::Dp(Dp32::Sub, i)))
        }
        BinOp::Sub => {
            m(value).map(|i| WideImm::Dp(Dp32::Sub, i)).or(m(value.wrapping_neg()).map(|i| WideImm::Dp(Dp32::Add, i)))
        }
        BinOp::And => m(value).map(|i| WideImm::Dp(Dp32::And, i)).or(m(!value).map(WideImm::Bic)),
        BinOp::Or => m(value).map(|i| WideImm::Dp(Dp32::Orr, i)),
        BinOp::Xor => m(value).map(|i| WideImm::Dp(Dp32::Eor, i)),
        BinOp::Mul => None,
    }
}

/// An ARMv7-M one-instruction form of `dst = src op value` beyond the
/// modified immediates (see [`special_imm`]).
#[derive(Clone, Copy)]
enum Special {
    /// `ubfx dst, src, #0, #width`: `and` with `2^width - 1`.
    LowBits(u8),
    /// `lsl dst, src, #k`: `* 2^k`.
    Shl(u8),
    /// `add.w dst, src, src, lsl #k`: `* (2^k + 1)`.
    AddShl(u8),
    /// `rsb.w dst, src, src, lsl #k`: `* (2^k - 1)`.
    RsbShl(u8),
}

/// The [`Special`] form of `op value`, if there is one (ARMv7-M).
fn special_imm(v7: bool, op: BinOp, value: i32) -> Option<Special> {
    if !v7 || value < 2 {
        return None;
    }
    let v = value as u32;
    let log = |x: u32| x.trailing_zeros() as u8;
    match op {
        BinOp::And if (v + 1).is_power_of_two() => Some(Special::LowBits(log(v + 1))),
        BinOp::Mul if v.is_power_of_two() => Some(Special::Shl(log(v))),
        BinOp::Mul if (v - 1).is_power_of_two() => Some(Special::AddShl(log(v - 1))),
        BinOp::Mul if (v + 1).is_power_of_two() => Some(Special::RsbShl(log(v + 1))),
        _ => None,
    }
}

/// How [`Pass::binop_imm_from`] computes `dst = src op value` in one
/// instruction (`None`: it cannot, the caller keeps the move).
#[derive(Clone, Copy)]
enum ImmFrom {
    /// `adds/subs dst, src, #imm3`.
    Imm3(bool, u8),
    /// A modified immediate.
    Wide(WideImm),
    /// `addw/subw dst, src, #imm12`.
    Imm12(bool, u16),
    Special(Special),
}

fn imm_from(v7: bool, op: BinOp, dst: Reg, src: Reg, value: i32) -> Option<ImmFrom> {
    let neg = value.wrapping_neg();
    let imm3 = |v: i32| u8::try_from(v).ok().filter(|v| *v <= 7);
    if matches!(op, BinOp::Add | BinOp::Sub) && dst.is_low() && src.is_low() {
        let sub = op == BinOp::Sub;
        if let Some(v) = imm3(value) {
            return Some(ImmFrom::Imm3(sub, v));
        }
        if let Some(v) = imm3(neg) {
            return Some(ImmFrom::Imm3(!sub, v));
        }
    }
    if !v7 {
        return None;
    }
    // (A high register as `wide_imm`'s `dst` so that it gives the 32-bit forms.)
    if let Some(w) = wide_imm(v7, op, Reg::R8, value) {
        return Some(ImmFrom::Wide(w));
    }
    let imm12 = |v: i32| u16::try_from(v).ok().filter(|v| *v <= 4095);
    match op {
        BinOp::Add | BinOp::Sub => {
            let sub = op == BinOp::Sub;
            imm12(value).map(|v| ImmFrom::Imm12(sub, v)).or(imm12(neg).map(|v| ImmFrom::Imm12(!sub, v)))
        }
        _ => special_imm(v7, op, value).map(ImmFrom::Special),
    }
}

/// True if [`Pass::binop_imm_from`] takes `dst = src op value` in one
/// instruction.
pub(crate) fn binop_imm_from_ok(v7: bool, op: BinOp, dst: Reg, src: Reg, value: i32) -> bool {
    imm_from(v7, op, dst, src, value).is_some()
}

/// True if [`Pass::binop_from`] takes `dst = src op rhs` in one instruction.
pub(crate) fn binop_from_ok(v7: bool, op: BinOp, dst: Reg, src: Reg, rhs: Reg) -> bool {
    let low = dst.is_low() && src.is_low() && rhs.is_low();
    v7 || (low && matches!(op, BinOp::Add | BinOp::Sub))
}

/// True if [`Pass::shift_imm`] has a form without its scratch register.
pub(crate) fn shift_imm_is_short(dst: Reg, count: u8) -> bool {
    dst.is_low() && (1..=31).contains(&count)
}

fn mem_op(width: Width, load: bool) -> MemOp {
    match (width, load) {
        (Width::U8, true) => MemOp::Ldrb,
        (Width::U16, true) => MemOp::Ldrh,
        (Width::U32 | Width::Word, true) => MemOp::Ldr,
        (Width::U8, false) => MemOp::Strb,
        (Width::U16, false) => MemOp::Strh,
        (Width::U32 | Width::Word, false) => MemOp::Str,
    }
}

/// `v` as `hi << s + lo` with 8-bit `hi` and `lo`, for values above 16 bits.
fn split_imm(v: u32) -> Option<(u8, u8, u8)> {
    if v <= 0xFFFF {
        return None;
    }
    let lo = v & 0xFF;
    let rest = v - lo;
    let s = rest.trailing_zeros();
    (rest >> s <= 0xFF && s >= 8).then_some(((rest >> s) as u8, s as u8, lo as u8))
}

/// A low register other than those in `avoid` (ARMv6-M scratch, saved around use).
fn low_scratch(avoid: &[Reg]) -> Reg {
    [Reg::R0, Reg::R1, Reg::R2, Reg::R3].into_iter().find(|r| !avoid.contains(r)).unwrap_or(Reg::R3)
}

impl<T: Target> Pass<T> {
    /// A new, empty pass, with the previous pass's layout if any.
    pub fn new(hints: Option<Hints>) -> Self {
        Pass {
            enc: Encoder::new(T::ARCH),
            frame: None,
            entry: 0,
            flags: None,
            boolean: None,
            zero: None,
            byte: None,
            narrow_frame: false,
            table: TableSource::Copy,
            last_bind: None,
            hints,
            op: 0,
            decisions: Vec::new(),
            short: Vec::new(),
            n_labels: 0,
            _target: PhantomData,
        }
    }

    /// The code emitted so far (labels not yet resolved, pool not yet flushed).
    pub fn code(&self) -> &[u8] {
        self.enc.buf.bytes()
    }

    /// Decides whether a forward branch of this operation to `label` may use its
    /// short form, whose reach is `reach` bytes (from the decision point, with a
    /// margin for the instructions before the branch in the same operation)
    /// and that must lie at least `min` bytes past the operation's start in
    /// the previous pass.
    fn forward_short(&mut self, label: Label, reach: i64, min: i64) -> bool {
        let here = self.enc.offset();
        let op = self.op;
        if self.decisions.len() <= op {
            self.decisions.resize(op + 1, None);
        }
        // The operation's first decision point (a `cbz` tried before `cmp` + `b<c>`).
        self.decisions[op].get_or_insert(here);
        let Some(h) = &self.hints else { return false };
        if h.force_long.get(op).copied().unwrap_or(false) {
            return false;
        }
        let target = h.labels.get(label.0 as usize).copied().flatten();
        let site = h.decisions.get(op).copied().flatten();
        match (target, site) {
            (Some(t), Some(s)) => (t as i64 - s as i64) < reach - 16 && t as i64 - s as i64 >= min,
            _ => false,
        }
    }

    fn note_short(&mut self, label: Label, kind: u8) {
        let at = self.enc.offset();
        self.short.push(ShortSite { at, label, kind, op: self.op });
    }

    fn v7(&self) -> bool {
        T::ARCH.thumb2()
    }

    fn fail(&mut self, error: AsmError) {
        self.enc.buf.fail(error);
    }

    /// Checks that every register is usable; remembers the error otherwise.
    fn ok(&mut self, regs: &[Reg]) -> bool {
        match regs.iter().find(|r| !r.usable(T::ARCH)) {
            Some(r) => {
                self.fail(AsmError::InvalidRegister(r.num() as u8));
                false
            }
            None => true,
        }
    }

    /// True if the prologue pushes slot 0 as `r3`'s word (ARMv7-M, and
    /// ARMv6-M when `r8` holds no table copy).
    fn slot0_pushed(&self) -> bool {
        self.v7() || self.table != TableSource::Copy
    }

    /// Notes that the Z flag now tells whether `r` is zero.
    fn set_zero(&mut self, r: Reg) {
        self.zero = Some((r, self.enc.offset()));
    }

    /// Starts an operation: lets the ARMv6-M literal pool out if it must.
    fn start(&mut self) {
        self.enc.pool_check(0);
    }

    /// ARMv6-M: a write to the table register is copied to its callee-saved copy.
    fn wrote(&mut self, dst: Reg) {
        if !self.v7() && dst == regs::FUN_TABLE && self.table == TableSource::Copy {
            self.enc.mov_rr(regs::TABLE_COPY, regs::FUN_TABLE);
        }
    }

    /// `rd = v` with no checks (any valid or scratch register).
    fn imm(&mut self, rd: Reg, v: u32) {
        if rd.is_low() && v <= 0xFF {
            self.enc.movs_imm8(rd, v as u8);
        } else if self.v7() {
            if let Some(m) = modified_imm(v) {
                self.enc.mov_w_imm(rd, m);
            } else if let Some(m) = modified_imm(!v) {
                self.enc.mvn_w_imm(rd, m);
            } else if let Some((hi, s, lo)) = split_imm(v).filter(|_| rd.is_low()) {
                // Three 16-bit instructions beat `movw` + `movt`.
                self.enc.movs_imm8(rd, hi);
                self.enc.shift_imm16(ShiftKind::Lsl, rd, rd, s);
                self.enc.addsub_imm8(false, rd, lo);
            } else {
                self.enc.movw(rd, v as u16);
                if v > 0xFFFF {
                    self.enc.movt(rd, (v >> 16) as u16);
                }
            }
        } else if !v <= 0xFF {
            self.enc.movs_imm8(rd, !v as u8);
            self.enc.dp16(Dp16::Mvns, rd, rd);
        } else if let Some(s) = (1..=24u8).find(|&s| v >> s <= 0xFF && (v >> s) << s == v) {
            self.enc.movs_imm8(rd, (v >> s) as u8);
            self.enc.shift_imm16(ShiftKind::Lsl, rd, rd, s);
        } else {
            self.enc.ldr_literal(rd, v);
        }
    }

    /// Byte offset of stack slot `slot`, or `None` (error remembered).
    fn slot_bytes(&mut self, slot: usize) -> Option<usize> {
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return None;
        };
        if slot >= frame.n_slots {
            self.fail(AsmError::SlotOutOfRange(slot));
            return None;
        }
        Some(abi::slot_offset(slot))
    }

    /// `ldr/str rt, [sp, #bytes]`.
    fn slot_access(&mut self, load: bool, rt: Reg, slot: usize) {
        let Some(bytes) = self.slot_bytes(slot) else { return };
        if rt.is_low() && bytes <= 1020 {
            self.enc.ldst_sp(load, rt, (bytes / 4) as u8);
        } else if self.v7() && bytes <= 4095 {
            let op = if load { MemOp::Ldr } else { MemOp::Str };
            self.enc.ldst_imm12(op, rt, Reg::Sp, bytes as u16);
        } else {
            self.fail(AsmError::SlotOutOfRange(slot));
        }
    }

    /// `op rt, [base, #bytes]` for any byte offset.
    fn mem_imm(&mut self, op: MemOp, rt: Reg, base: Reg, bytes: i64) {
        let size = op.log2();
        let aligned = bytes & ((1 << size) - 1) == 0;
        if rt.is_low() && base.is_low() && aligned && (0..=31 << size).contains(&bytes) {
            self.enc.ldst_imm5(op, rt, base, (bytes >> size) as u8);
            return;
        }
        let Ok(b32) = i32::try_from(bytes) else {
            self.fail(AsmError::OffsetOutOfRange(bytes));
            return;
        };
        if self.v7() {
            if (0..=4095).contains(&b32) {
                self.enc.ldst_imm12(op, rt, base, b32 as u16);
            } else if (-255..0).contains(&b32) {
                self.enc.ldst_neg8(op, rt, base, (-b32) as u8);
            } else {
                self.imm(regs::SCRATCH, b32 as u32);
                self.enc.ldst_reg_w(op, rt, base, regs::SCRATCH, 0);
            }
        } else if op.is_load() && rt != base {
            self.imm(rt, b32 as u32);
            self.enc.ldst_reg16(op, rt, base, rt);
        } else {
            let s = low_scratch(&[rt, base]);
            let bit = 1 << s.num();
            self.enc.push16(bit, false);
            self.imm(s, b32 as u32);
            self.enc.ldst_reg16(op, rt, base, s);
            self.enc.pop16(bit, false);
        }
    }

    fn access(&mut self, width: Width, load: bool, rt: Reg, base: Reg, offset: i32) {
        self.start();
        if !self.ok(&[rt, base]) {
            return;
        }
        let op = mem_op(width, load);
        let bytes = i64::from(offset) << op.log2();
        self.mem_imm(op, rt, base, bytes);
        if load {
            self.loaded(op, rt);
        }
    }

    fn access_indexed(&mut self, width: Width, load: bool, rt: Reg, base: Reg, index: Reg) {
        self.start();
        if !self.ok(&[rt, base, index]) {
            return;
        }
        let op = mem_op(width, load);
        let shift = op.log2();
        let all_low = rt.is_low() && base.is_low() && index.is_low();
        if shift == 0 && all_low {
            self.enc.ldst_reg16(op, rt, base, index);
        } else if self.v7() {
            self.enc.ldst_reg_w(op, rt, base, index, shift);
        } else if load && rt != base {
            self.enc.shift_imm16(ShiftKind::Lsl, rt, index, shift as u8);
            self.enc.ldst_reg16(op, rt, base, rt);
        } else {
            let s = low_scratch(&[rt, base, index]);
            let bit = 1 << s.num();
            self.enc.push16(bit, false);
            self.enc.shift_imm16(ShiftKind::Lsl, s, index, shift as u8);
            self.enc.ldst_reg16(op, rt, base, s);
            self.enc.pop16(bit, false);
        }
        if load {
            self.loaded(op, rt);
        }
    }

    /// After a load into `rt`: a byte load leaves a value of 0..=255, which a
    /// bool test (of the low byte) may test as a whole.
    fn loaded(&mut self, op: MemOp, rt: Reg) {
        if op == MemOp::Ldrb {
            self.byte = Some((rt, self.enc.offset()));
        }
        self.wrote(rt);
    }

    /// The bound offset of `label` if it is bound and `rel(offset)` lies in `range`.
    fn near(&self, label: Label, pc: usize, range: core::ops::Range<i64>) -> Option<i32> {
        let target = self.enc.buf.label_offset(label)?;
        let off = target as i64 - pc as i64;
        range.contains(&off).then_some(off as i32)
    }

    /// `b<cc> label` with the shortest safe form.
    fn jcc(&mut self, cc: Cc, label: Label) {
        let pc = self.enc.offset() + 4;
        if let Some(off) = self.near(label, pc, -256..256) {
            self.enc.b_cond16(cc, off);
        } else if self.enc.buf.label_offset(label).is_none() && self.forward_short(label, 256, 0) {
            self.note_short(label, fixup::BCC16);
            self.enc.b_cond16_label(cc, label);
        } else if self.v7() {
            self.enc.b_cond_w(cc, label);
        } else {
            self.enc.b_cond16(cc.invert(), 2);
            self.enc.bl(label);
        }
    }

    /// True if the previous pass emitted this operation as a `cbz`/`cbnz`.
    fn was_cbz(&self) -> bool {
        self.hints.as_ref().is_some_and(|h| h.cbz.get(self.op).copied().unwrap_or(false))
    }

    /// The operations this pass emitted as a `cbz`/`cbnz`.
    pub(crate) fn cbz_ops(&self) -> Vec<bool> {
        let mut v = alloc::vec![false; self.decisions.len()];
        for s in self.short.iter().filter(|s| s.kind == fixup::CBZ) {
            if let Some(b) = v.get_mut(s.op) {
                *b = true;
            }
        }
        v
    }

    /// Sets the flags for a test of `reg` and returns the condition meaning "non-zero".
    fn test(&mut self, reg: Reg, bool_test: bool) -> Cc {
        let here = self.enc.offset();
        let fresh = |end: usize| end == here && self.last_bind != Some(here);
        if let Some((r, cc, end)) = self.flags {
            if r == reg && fresh(end) {
                return cc;
            }
        }
        if let Some((r, end)) = self.zero {
            if !bool_test && r == reg && fresh(end) {
                return Cc::Ne;
            }
        }
        let known_bool = matches!(self.boolean, Some((r, end)) if r == reg && fresh(end));
        if bool_test && !known_bool {
            if self.v7() {
                self.enc.tst_w_imm(reg, 0xFF);
            } else {
                let s = low_scratch(&[reg]);
                let bit = 1 << s.num();
                self.enc.push16(bit, false);
                self.enc.shift_imm16(ShiftKind::Lsl, s, reg, 24);
                self.enc.pop16(bit, false);
            }
        } else if reg.is_low() {
            self.enc.cmp_imm8(reg, 0);
        } else {
            self.enc.cmp_w_imm(reg, 0);
        }
        Cc::Ne
    }

    fn jump_on_test(&mut self, reg: Reg, bool_test: bool, zero: bool, label: Label) {
        self.start();
        if !self.ok(&[reg]) {
            return;
        }
        let here = self.enc.offset();
        // A byte just loaded is 0..=255: its low byte is all of it.
        let bool_test = bool_test
            && !matches!(self.byte, Some((r, end)) if r == reg && end == here && self.last_bind != Some(here));
        // ARMv7-M: `cbz`/`cbnz` replaces `cmp reg, #0; b<c>` for a near forward label.
        let flags_known = self.last_bind != Some(here)
            && (matches!(self.flags, Some((r, _, end)) if r == reg && end == here)
                || matches!(self.zero, Some((r, end)) if r == reg && end == here));
        if self.v7()
            && reg.is_low()
            && !bool_test
            && !flags_known
            && self.enc.buf.label_offset(label).is_none()
            // `cbz` cannot reach the next instruction: the label must lie
            // past some code, which cannot shrink to nothing (so beyond the
            // operation's own size in the previous pass: at most 6 bytes,
            // 2 if it was a `cbz` already).
            && self.forward_short(label, 130, if self.was_cbz() { 4 } else { 8 })
        {
            self.note_short(label, fixup::CBZ);
            self.enc.cbz_label(!zero, reg, label);
            return;
        }
        let nonzero = self.test(reg, bool_test);
        self.jcc(if zero { nonzero.invert() } else { nonzero }, label);
    }
}

impl<T: Target> Pass<T> {
    pub(crate) fn offset(&self) -> usize {
        self.enc.offset()
    }

    pub(crate) fn new_label(&mut self) -> Label {
        self.n_labels += 1;
        self.enc.buf.new_label()
    }

    pub(crate) fn bind(&mut self, label: Label) {
        self.last_bind = Some(self.enc.offset());
        self.enc.buf.bind(label);
    }

    pub(crate) fn align(&mut self, align: usize) {
        self.start();
        if !align.is_power_of_two() {
            return;
        }
        if self.enc.offset() % 2 == 1 {
            self.enc.buf.put_u8(0);
        }
        while self.enc.offset() % align != 0 {
            self.enc.nop();
        }
    }

    pub(crate) fn data(&mut self, bytes: &[u8]) {
        self.enc.pool_check(bytes.len());
        self.enc.buf.put_bytes(bytes);
    }

    pub(crate) fn prologue(&mut self, n_slots: usize) {
        self.start();
        if self.frame.is_some() {
            self.fail(AsmError::FrameMisuse);
            return;
        }
        let reserved = abi::reserved_slots(self.slot0_pushed(), n_slots).checked_mul(abi::SLOT_BYTES);
        // ARMv6-M: the limit is that of the frame with the table copy (the
        // first pass's, whose errors are final), whatever this pass's frame.
        let most = abi::reserved_slots(self.v7(), n_slots).saturating_mul(abi::SLOT_BYTES);
        let limit = if self.v7() { 4092 } else { 508 };
        let Some(bytes) = reserved.filter(|b| *b <= limit && most <= limit) else {
            self.fail(AsmError::SlotOutOfRange(n_slots));
            return;
        };
        self.entry = self.offset();
        let slot0 = abi::reg_list(&[abi::SLOT0_V7M]);
        if self.v7() && self.narrow_frame {
            self.enc.push16((abi::reg_list(&abi::SAVED_V6M) | slot0) as u8, true);
        } else if self.v7() {
            self.enc.push_w(abi::reg_list(&abi::SAVED_V7M) | slot0 | 1 << 14);
        } else if self.slot0_pushed() {
            self.enc.push16((abi::reg_list(&abi::SAVED_V6M) | slot0) as u8, true);
        } else {
            self.enc.push16(abi::reg_list(&abi::SAVED_V6M) as u8, true);
            self.enc.mov_rr(Reg::R4, regs::TABLE_COPY);
            self.enc.push16(1 << 4, false);
        }
        if bytes <= 508 {
            if bytes > 0 {
                self.enc.sp_adjust16(true, (bytes / 4) as u8);
            }
        } else {
            self.enc.sp_adjust_w(true, bytes as u16);
        }
        self.frame = Some(Frame { n_slots, reserved_bytes: bytes as u16 });
    }

    pub(crate) fn epilogue(&mut self) {
        self.start();
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return;
        };
        let bytes = frame.reserved_bytes;
        if bytes <= 508 {
            if bytes > 0 {
                self.enc.sp_adjust16(false, (bytes / 4) as u8);
            }
        } else {
            self.enc.sp_adjust_w(false, bytes);
        }
        let slot0 = abi::reg_list(&[abi::SLOT0_V7M]);
        if self.v7() && self.narrow_frame {
            self.enc.pop16((abi::reg_list(&abi::SAVED_V6M) | slot0) as u8, true);
        } else if self.v7() {
            self.enc.pop_w(abi::reg_list(&abi::SAVED_V7M) | slot0 | 1 << 15);
        } else if self.slot0_pushed() {
            self.enc.pop16((abi::reg_list(&abi::SAVED_V6M) | slot0) as u8, true);
        } else {
            self.enc.pop16(1 << 4, false);
            self.enc.mov_rr(regs::TABLE_COPY, Reg::R4);
            self.enc.pop16(abi::reg_list(&abi::SAVED_V6M) as u8, true);
        }
        self.enc.pool_maybe_flush_here();
    }

    pub(crate) fn mov_imm(&mut self, dst: Reg, value: i64) {
        self.start();
        if !self.ok(&[dst]) {
            return;
        }
        if !(-(1i64 << 31)..1i64 << 32).contains(&value) {
            self.fail(AsmError::ImmediateOutOfRange(value));
            return;
        }
        self.imm(dst, value as u32);
        self.wrote(dst);
    }

    pub(crate) fn mov_reg(&mut self, dst: Reg, src: Reg) {
        self.start();
        if !self.ok(&[dst, src]) || dst == src {
            return;
        }
        self.enc.mov_rr(dst, src);
        self.wrote(dst);
    }

    pub(crate) fn load_slot(&mut self, dst: Reg, slot: usize) {
        self.start();
        if self.ok(&[dst]) {
            self.slot_access(true, dst, slot);
            self.wrote(dst);
        }
    }

    pub(crate) fn store_slot(&mut self, slot: usize, src: Reg) {
        self.start();
        if self.ok(&[src]) {
            self.slot_access(false, src, slot);
        }
    }

    pub(crate) fn slot_addr(&mut self, dst: Reg, slot: usize) {
        self.start();
        if !self.ok(&[dst]) {
            return;
        }
        let Some(bytes) = self.slot_bytes(slot) else { return };
        if dst.is_low() && bytes <= 1020 {
            self.enc.add_rd_sp(dst, (bytes / 4) as u8);
        } else if self.v7() && bytes <= 4095 {
            self.enc.addw_sp(dst, bytes as u16);
        } else {
            self.fail(AsmError::SlotOutOfRange(slot));
        }
        self.wrote(dst);
    }

    pub(crate) fn label_addr(&mut self, dst: Reg, label: Label) {
        self.start();
        if !self.ok(&[dst]) {
            return;
        }
        if self.v7() {
            let pc = (self.enc.offset() + 4) & !3;
            match self.near(label, pc, -4096..4095) {
                // `adr` to the label plus the Thumb bit.
                Some(off) => self.enc.adr_w(dst, off + 1),
                None if self.enc.buf.label_offset(label).is_none() && self.forward_short(label, 4090, 0) => {
                    self.note_short(label, fixup::ADR_W);
                    self.enc.adr_w_label(dst, label);
                }
                None => self.enc.label_addr_movw_movt(dst, label),
            }
        } else {
            self.enc.label_addr_literal(dst, label);
        }
        self.wrote(dst);
    }

    pub(crate) fn binop(&mut self, op: BinOp, dst: Reg, src: Reg) {
        self.start();
        if !self.ok(&[dst, src]) {
            return;
        }
        if dst.is_low() && src.is_low() {
            match op {
                BinOp::Add => self.enc.adds_rrr(dst, dst, src),
                BinOp::Sub => self.enc.subs_rrr(dst, dst, src),
                BinOp::Mul => self.enc.dp16(Dp16::Muls, dst, src),
                BinOp::And => self.enc.dp16(Dp16::Ands, dst, src),
                BinOp::Or => self.enc.dp16(Dp16::Orrs, dst, src),
                BinOp::Xor => self.enc.dp16(Dp16::Eors, dst, src),
            }
            self.set_zero(dst);
        } else {
            match op {
                BinOp::Add => self.enc.add_hi(dst, src),
                BinOp::Sub => self.enc.dp32(Dp32::Sub, dst, dst, src),
                BinOp::Mul => self.enc.mul_w(dst, dst, src),
                BinOp::And => self.enc.dp32(Dp32::And, dst, dst, src),
                BinOp::Or => self.enc.dp32(Dp32::Orr, dst, dst, src),
                BinOp::Xor => self.enc.dp32(Dp32::Eor, dst, dst, src),
            }
        }
        self.wrote(dst);
    }

    /// ARM shifts by a register use its low byte: counts of 32 or more give 0
    /// (or the sign for `Sar`).
    pub(crate) fn shift(&mut self, op: ShiftOp, dst: Reg, count: Reg) {
        self.start();
        if !self.ok(&[dst, count]) {
            return;
        }
        let (kind, short) = match op {
            ShiftOp::Shl => (ShiftKind::Lsl, Dp16::Lsls),
            ShiftOp::Shr => (ShiftKind::Lsr, Dp16::Lsrs),
            ShiftOp::Sar => (ShiftKind::Asr, Dp16::Asrs),
        };
        if dst.is_low() && count.is_low() {
            self.enc.dp16(short, dst, count);
            self.set_zero(dst);
        } else {
            self.enc.shift_w(kind, dst, dst, count);
        }
        self.wrote(dst);
    }

    /// `adds/subs dst, dst, src; bvs label` (`adds.w`/`subs.w` for high
    /// registers on ARMv7-M); other operations are an error.
    pub(crate) fn binop_jump_if_overflow(&mut self, op: BinOp, dst: Reg, src: Reg, label: Label) {
        self.start();
        if !self.ok(&[dst, src]) {
            return;
        }
        let sub = match op {
            BinOp::Add => false,
            BinOp::Sub => true,
            _ => {
                self.fail(AsmError::InvalidRegister(dst.num() as u8));
                return;
            }
        };
        if dst.is_low() && src.is_low() {
            if sub {
                self.enc.subs_rrr(dst, dst, src);
            } else {
                self.enc.adds_rrr(dst, dst, src);
            }
        } else if self.v7() {
            self.enc.dp32_s(if sub { Dp32::Sub } else { Dp32::Add }, dst, dst, src);
        } else {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        self.wrote(dst);
        self.jcc(Cc::Vs, label);
    }

    /// `sdiv dst, dst, src` (ARMv7-M only; an error elsewhere).
    pub(crate) fn sdiv(&mut self, dst: Reg, src: Reg) {
        self.start();
        if !self.ok(&[dst, src]) {
            return;
        }
        if !self.v7() {
            // ARMv6-M has no divide instruction (`Asm::SDIV` is false there).
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        self.enc.sdiv_w(dst, dst, src);
        self.wrote(dst);
    }

    pub(crate) fn neg(&mut self, dst: Reg) {
        self.start();
        if !self.ok(&[dst]) {
            return;
        }
        if dst.is_low() {
            self.enc.dp16(Dp16::Rsbs, dst, dst);
            self.set_zero(dst);
        } else {
            self.enc.rsb_w_zero(dst, dst);
        }
        self.wrote(dst);
    }

    pub(crate) fn not(&mut self, dst: Reg) {
        self.start();
        if !self.ok(&[dst]) {
            return;
        }
        if dst.is_low() {
            self.enc.dp16(Dp16::Mvns, dst, dst);
            self.set_zero(dst);
        } else {
            self.enc.dp32(Dp32::Orn, dst, Reg::Pc, dst);
        }
        self.wrote(dst);
    }

    pub(crate) fn set_cond(&mut self, cond: Cond, dst: Reg, a: Reg, b: Reg) {
        self.start();
        if !self.ok(&[dst, a, b]) {
            return;
        }
        let cc = cond_code(cond);
        self.enc.cmp_rr(a, b);
        if self.v7() {
            // Moves inside an IT block leave the flags alone.
            self.enc.ite(cc);
            for v in [1u16, 0] {
                if dst.is_low() {
                    self.enc.movs_imm8(dst, v as u8);
                } else {
                    self.enc.mov_w_imm(dst, v);
                }
            }
            self.flags = Some((dst, cc, self.enc.offset()));
        } else {
            self.enc.b_cond16(cc, 2);
            self.enc.movs_imm8(dst, 0);
            self.enc.b16_off(0);
            self.enc.movs_imm8(dst, 1);
            self.boolean = Some((dst, self.enc.offset()));
        }
        self.wrote(dst);
    }

    pub(crate) fn jump(&mut self, label: Label) {
        self.start();
        let pc = self.enc.offset() + 4;
        if let Some(off) = self.near(label, pc, -2048..2048) {
            self.enc.b16_off(off);
        } else if self.enc.buf.label_offset(label).is_none() && self.forward_short(label, 2048, 0) {
            self.note_short(label, fixup::B16);
            self.enc.b16(label);
        } else if self.v7() {
            self.enc.b_w(label);
        } else {
            self.enc.bl(label);
        }
        self.enc.pool_maybe_flush_here();
    }

    pub(crate) fn jump_if_zero(&mut self, reg: Reg, bool_test: bool, label: Label) {
        self.jump_on_test(reg, bool_test, true, label);
    }

    pub(crate) fn jump_if_nonzero(&mut self, reg: Reg, bool_test: bool, label: Label) {
        self.jump_on_test(reg, bool_test, false, label);
    }

    pub(crate) fn jump_if_eq(&mut self, a: Reg, b: Reg, label: Label) {
        self.start();
        if !self.ok(&[a, b]) {
            return;
        }
        self.enc.cmp_rr(a, b);
        self.jcc(Cc::Eq, label);
    }

    /// `cmp a, b; b<cond> label`.
    pub(crate) fn jump_if_cond(&mut self, cond: Cond, a: Reg, b: Reg, label: Label) {
        self.start();
        if !self.ok(&[a, b]) {
            return;
        }
        self.enc.cmp_rr(a, b);
        self.jcc(cond_code(cond), label);
    }

    /// `cmp reg, #value; b<cond> label` for a low `reg` and a value of
    /// 0..=255, `cmp.w` for a modified immediate on ARMv7-M; otherwise the
    /// value is built in `scratch`.
    pub(crate) fn jump_if_cond_imm(&mut self, cond: Cond, reg: Reg, value: i32, scratch: Reg, label: Label) {
        let wide = modified_imm(value as u32).filter(|_| self.v7());
        match u8::try_from(value) {
            Ok(v) if reg.is_low() => {
                self.start();
                if !self.ok(&[reg]) {
                    return;
                }
                self.enc.cmp_imm8(reg, v);
                self.jcc(cond_code(cond), label);
            }
            _ if wide.is_some() => {
                self.start();
                if !self.ok(&[reg]) {
                    return;
                }
                if let Some(m) = wide {
                    self.enc.cmp_w_imm(reg, m);
                }
                self.jcc(cond_code(cond), label);
            }
            _ => {
                self.mov_imm(scratch, i64::from(value));
                self.jump_if_cond(cond, reg, scratch, label);
            }
        }
    }

    /// `tst.w reg, #mask; bne/beq label` for a modified immediate on
    /// ARMv7-M; otherwise `mask` is built in `scratch` and and-ed with `reg`.
    pub(crate) fn jump_if_bits(&mut self, reg: Reg, mask: i32, set: bool, scratch: Reg, label: Label) {
        let cc = if set { Cc::Ne } else { Cc::Eq };
        match modified_imm(mask as u32).filter(|_| self.v7()) {
            Some(m) => {
                self.start();
                if !self.ok(&[reg]) {
                    return;
                }
                self.enc.tst_w_imm(reg, m);
                self.jcc(cc, label);
            }
            None => {
                self.mov_imm(scratch, i64::from(mask));
                self.binop(BinOp::And, scratch, reg);
                self.jump_on_test(scratch, false, !set, label);
            }
        }
    }

    pub(crate) fn jump_reg(&mut self, reg: Reg) {
        self.start();
        if !self.ok(&[reg]) {
            return;
        }
        self.enc.bx(reg);
        self.enc.pool_maybe_flush_here();
    }

    pub(crate) fn call_table(&mut self, index: usize) {
        self.start();
        let table = regs::FUN_TABLE;
        if self.v7() {
            match index.checked_mul(4).filter(|b| *b <= 4095) {
                Some(bytes) => {
                    self.enc.ldst_imm12(MemOp::Ldr, regs::SCRATCH, table, bytes as u16);
                    self.enc.blx(regs::SCRATCH);
                }
                None => self.fail(AsmError::TableIndexOutOfRange(index)),
            }
        } else if index <= 31 {
            self.enc.ldst_imm5(MemOp::Ldr, table, table, index as u8);
            self.enc.blx(table);
            match self.table {
                TableSource::Reload(base, offset) => self.enc.ldst_imm5(MemOp::Ldr, table, base, offset),
                // `Kept` is chosen only for functions without such calls.
                TableSource::Copy | TableSource::Kept => self.enc.mov_rr(table, regs::TABLE_COPY),
            }
        } else {
            self.fail(AsmError::TableIndexOutOfRange(index));
        }
    }

    /// A table call through the low register `via`, which holds nothing the
    /// call reads: `ldr via, [r7, #index * 4]; blx via` (16-bit) on ARMv7-M
    /// for an index up to 31, otherwise [`Self::call_table`].
    pub(crate) fn call_table_via(&mut self, index: usize, via: Reg) {
        if !via.is_low() || via == regs::FUN_TABLE || index > 31 {
            self.call_table(index);
            return;
        }
        self.start();
        self.enc.ldst_imm5(MemOp::Ldr, via, regs::FUN_TABLE, index as u8);
        self.enc.blx(via);
    }

    /// `bl label`: a local subroutine call (`lr` = the return address).
    pub(crate) fn call_local(&mut self, label: Label) {
        self.start();
        self.enc.bl(label);
    }

    /// `push {ret_addr, lr}; mov ret_addr, lr` (two words keep `sp` 8-byte aligned).
    pub(crate) fn local_entry(&mut self, ret_addr: Reg) {
        self.start();
        if !self.ok(&[ret_addr]) {
            return;
        }
        if !ret_addr.is_low() {
            self.fail(AsmError::InvalidRegister(ret_addr.num() as u8));
            return;
        }
        self.enc.push16(1 << ret_addr.num(), true);
        self.enc.mov_rr(ret_addr, Reg::Lr);
        self.wrote(ret_addr);
    }

    /// `pop {r1, pc}` (`r0`, the result, is kept).
    pub(crate) fn local_return(&mut self) {
        self.start();
        self.enc.pop16(1 << 1, true);
        self.enc.pool_maybe_flush_here();
    }

    /// `add sp, #8`: drops what `local_entry` pushed.
    pub(crate) fn local_discard(&mut self) {
        self.start();
        self.enc.sp_adjust16(false, 2);
    }

    /// `adds/subs dst, #imm8` for a low `dst` and a small value; on ARMv7-M
    /// `add/sub/and/bic/orr/eor.w dst, dst, #const` for a modified immediate
    /// (see [`binop_imm_is_short`]); otherwise the value is built in
    /// `scratch`.
    pub(crate) fn binop_imm(&mut self, op: BinOp, dst: Reg, value: i32, scratch: Reg) {
        if let Some(form) = wide_imm(self.v7(), op, dst, value) {
            self.start();
            if !self.ok(&[dst]) {
                return;
            }
            match form {
                WideImm::Dp(op, m) => self.enc.dp32_imm(op, dst, dst, m),
                WideImm::Bic(m) => self.enc.bic_w_imm(dst, dst, m),
            }
            self.wrote(dst);
            return;
        }
        if let Some(form) = special_imm(self.v7(), op, value) {
            self.start();
            if !self.ok(&[dst]) {
                return;
            }
            self.special(form, dst, dst);
            self.wrote(dst);
            return;
        }
        let small = |v: i32| u8::try_from(v).ok();
        let short = match op {
            BinOp::Add if dst.is_low() => {
                small(value).map(|v| (false, v)).or(small(value.wrapping_neg()).map(|v| (true, v)))
            }
            BinOp::Sub if dst.is_low() => {
                small(value).map(|v| (true, v)).or(small(value.wrapping_neg()).map(|v| (false, v)))
            }
            _ => None,
        };
        match short {
            Some((sub, v)) => {
                self.start();
                if !self.ok(&[dst]) {
                    return;
                }
                self.enc.addsub_imm8(sub, dst, v);
                self.set_zero(dst);
                self.wrote(dst);
            }
            None => {
                self.mov_imm(scratch, i64::from(value));
                self.binop(op, dst, scratch);
            }
        }
    }

    /// `dst = src` transformed by `form`.
    fn special(&mut self, form: Special, dst: Reg, src: Reg) {
        match form {
            Special::LowBits(w) => self.enc.ubfx(dst, src, 0, w),
            Special::Shl(k) if dst.is_low() && src.is_low() => {
                self.enc.shift_imm16(ShiftKind::Lsl, dst, src, k);
                self.set_zero(dst);
            }
            Special::Shl(k) => self.enc.dp32_shifted(2, dst, Reg::Pc, src, ShiftKind::Lsl, k),
            Special::AddShl(k) => self.enc.dp32_shifted(8, dst, src, src, ShiftKind::Lsl, k),
            Special::RsbShl(k) => self.enc.dp32_shifted(14, dst, src, src, ShiftKind::Lsl, k),
        }
    }

    /// `dst = src op value` in one instruction (a `mov dst, src` and a
    /// [`Pass::binop_imm`] of `dst`), where [`binop_imm_from_ok`] says so.
    pub(crate) fn binop_imm_from(&mut self, op: BinOp, dst: Reg, src: Reg, value: i32) {
        let Some(form) = imm_from(self.v7(), op, dst, src, value) else {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        };
        self.start();
        if !self.ok(&[dst, src]) {
            return;
        }
        match form {
            ImmFrom::Imm3(sub, v) => {
                self.enc.addsub_imm3(sub, dst, src, v);
                self.set_zero(dst);
            }
            ImmFrom::Wide(WideImm::Dp(op, m)) => self.enc.dp32_imm(op, dst, src, m),
            ImmFrom::Wide(WideImm::Bic(m)) => self.enc.bic_w_imm(dst, src, m),
            ImmFrom::Imm12(sub, v) => self.enc.addsubw(sub, dst, src, v),
            ImmFrom::Special(f) => self.special(f, dst, src),
        }
        self.wrote(dst);
    }

    /// `dst = src op rhs` in one instruction (a `mov dst, src` and a
    /// [`Pass::binop`] of `dst`), where [`binop_from_ok`] says so.
    pub(crate) fn binop_from(&mut self, op: BinOp, dst: Reg, src: Reg, rhs: Reg) {
        if !binop_from_ok(self.v7(), op, dst, src, rhs) {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        self.start();
        if !self.ok(&[dst, src, rhs]) {
            return;
        }
        let low = dst.is_low() && src.is_low() && rhs.is_low();
        match op {
            BinOp::Add if low => {
                self.enc.adds_rrr(dst, src, rhs);
                self.set_zero(dst);
            }
            BinOp::Sub if low => {
                self.enc.subs_rrr(dst, src, rhs);
                self.set_zero(dst);
            }
            BinOp::Add => self.enc.dp32(Dp32::Add, dst, src, rhs),
            BinOp::Sub => self.enc.dp32(Dp32::Sub, dst, src, rhs),
            BinOp::Mul => self.enc.mul_w(dst, src, rhs),
            BinOp::And => self.enc.dp32(Dp32::And, dst, src, rhs),
            BinOp::Or => self.enc.dp32(Dp32::Orr, dst, src, rhs),
            BinOp::Xor => self.enc.dp32(Dp32::Eor, dst, src, rhs),
        }
        self.wrote(dst);
    }

    /// `sdiv dst, src, rhs` (ARMv7-M).
    pub(crate) fn sdiv_from(&mut self, dst: Reg, src: Reg, rhs: Reg) {
        self.start();
        if !self.v7() {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        if self.ok(&[dst, src, rhs]) {
            self.enc.sdiv_w(dst, src, rhs);
            self.wrote(dst);
        }
    }

    /// `lsl.w/lsr.w/asr.w dst, src, count` (ARMv7-M).
    pub(crate) fn shift_from(&mut self, op: ShiftOp, dst: Reg, src: Reg, count: Reg) {
        self.start();
        if !self.v7() {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        if self.ok(&[dst, src, count]) {
            let kind = match op {
                ShiftOp::Shl => ShiftKind::Lsl,
                ShiftOp::Shr => ShiftKind::Lsr,
                ShiftOp::Sar => ShiftKind::Asr,
            };
            self.enc.shift_w(kind, dst, src, count);
            self.wrote(dst);
        }
    }

    /// `mla dst, a, b, acc` (ARMv7-M): `dst = acc + a * b`.
    pub(crate) fn mla(&mut self, dst: Reg, a: Reg, b: Reg, acc: Reg) {
        self.start();
        if !self.v7() {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        if self.ok(&[dst, a, b, acc]) {
            self.enc.mla(dst, a, b, acc);
            self.wrote(dst);
        }
    }

    /// `ubfx dst, src, #lsb, #width` (ARMv7-M, `lsb + width` at most 32).
    pub(crate) fn ubfx(&mut self, dst: Reg, src: Reg, lsb: u8, width: u8) {
        self.start();
        if !self.v7() || width == 0 || u32::from(lsb) + u32::from(width) > 32 {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        if self.ok(&[dst, src]) {
            self.enc.ubfx(dst, src, lsb, width);
            self.wrote(dst);
        }
    }

    /// `mls dst, a, b, dst` (ARMv7-M): `dst -= a * b`.
    pub(crate) fn mls(&mut self, dst: Reg, a: Reg, b: Reg) {
        self.start();
        if !self.v7() {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        if self.ok(&[dst, a, b]) {
            self.enc.mls(dst, a, b, dst);
            self.wrote(dst);
        }
    }

    /// `cmp reg, #value; beq label` for a low `reg` and a value of 0..=255;
    /// otherwise the value is built in `scratch`.
    pub(crate) fn jump_if_eq_imm(&mut self, reg: Reg, value: i32, scratch: Reg, label: Label) {
        match u8::try_from(value) {
            Ok(v) if reg.is_low() => {
                self.start();
                if !self.ok(&[reg]) {
                    return;
                }
                self.enc.cmp_imm8(reg, v);
                self.jcc(Cc::Eq, label);
            }
            _ => {
                self.mov_imm(scratch, i64::from(value));
                self.jump_if_eq(reg, scratch, label);
            }
        }
    }

    /// `lsls reg, reg, #31; beq label` for bit 0 of a low `reg` (the shift
    /// leaves only that bit and sets the Z flag from it); otherwise the bit is
    /// isolated with two shifts (through `scratch` for a high `reg`).
    pub(crate) fn jump_if_bit_clear(&mut self, reg: Reg, bit: u8, scratch: Reg, label: Label) {
        if !reg.is_low() || bit != 0 {
            if bit < 31 {
                self.shift_imm(ShiftOp::Shl, reg, 31 - bit, scratch);
            }
            self.shift_imm(ShiftOp::Shr, reg, 31, scratch);
            self.jump_on_test(reg, false, true, label);
            return;
        }
        self.start();
        if !self.ok(&[reg]) {
            return;
        }
        self.enc.shift_imm16(ShiftKind::Lsl, reg, reg, 31);
        self.wrote(reg);
        self.jcc(Cc::Eq, label);
    }

    /// `lsls/lsrs/asrs dst, dst, #count` for a low `dst`; otherwise the
    /// count is built in `scratch`.
    pub(crate) fn shift_imm(&mut self, op: ShiftOp, dst: Reg, count: u8, scratch: Reg) {
        if !dst.is_low() || count == 0 || count > 31 {
            self.mov_imm(scratch, i64::from(count));
            self.shift(op, dst, scratch);
            return;
        }
        self.start();
        if !self.ok(&[dst]) {
            return;
        }
        let kind = match op {
            ShiftOp::Shl => ShiftKind::Lsl,
            ShiftOp::Shr => ShiftKind::Lsr,
            ShiftOp::Sar => ShiftKind::Asr,
        };
        self.enc.shift_imm16(kind, dst, dst, count);
        self.set_zero(dst);
        self.wrote(dst);
    }

    /// `lsls/lsrs/asrs dst, src, #count` (low registers, count 1..=31): a
    /// `mov dst, src` and a `shift_imm` of `dst` in one instruction.
    pub(crate) fn shift_imm_from(&mut self, op: ShiftOp, dst: Reg, src: Reg, count: u8) {
        if !dst.is_low() || !src.is_low() || count == 0 || count > 31 {
            self.fail(AsmError::InvalidRegister(dst.num() as u8));
            return;
        }
        self.start();
        let kind = match op {
            ShiftOp::Shl => ShiftKind::Lsl,
            ShiftOp::Shr => ShiftKind::Lsr,
            ShiftOp::Sar => ShiftKind::Asr,
        };
        self.enc.shift_imm16(kind, dst, src, count);
        self.set_zero(dst);
        self.wrote(dst);
    }

    pub(crate) fn load(&mut self, width: Width, dst: Reg, base: Reg, offset: i32) {
        self.access(width, true, dst, base, offset);
    }

    pub(crate) fn store(&mut self, width: Width, src: Reg, base: Reg, offset: i32) {
        self.access(width, false, src, base, offset);
    }

    pub(crate) fn load_indexed(&mut self, width: Width, dst: Reg, base: Reg, index: Reg) {
        self.access_indexed(width, true, dst, base, index);
    }

    pub(crate) fn store_indexed(&mut self, width: Width, src: Reg, base: Reg, index: Reg) {
        self.access_indexed(width, false, src, base, index);
    }

    /// Flushes the literal pool; the code is complete.
    pub(crate) fn end(&mut self) {
        self.enc.pool_flush(false);
    }

    /// The short forward forms that do not reach their labels (once the pass has ended).
    pub(crate) fn unreached(&self) -> Vec<usize> {
        let reach = |s: &ShortSite, target: usize| -> bool {
            let t = target as i64;
            match s.kind {
                fixup::B16 => (-2048..2048).contains(&(t - (s.at as i64 + 4))),
                fixup::BCC16 => (-256..256).contains(&(t - (s.at as i64 + 4))),
                fixup::CBZ => (0..=126).contains(&(t - (s.at as i64 + 4))),
                fixup::ADR_W => (0..4095).contains(&(t + 1 - ((s.at as i64 + 4) & !3))),
                _ => false,
            }
        };
        self.short
            .iter()
            .filter(|s| !self.enc.buf.label_offset(s.label).is_some_and(|t| reach(s, t)))
            .map(|s| s.op)
            .collect()
    }

    /// The first error remembered, if any.
    pub(crate) fn error(&self) -> Option<AsmError> {
        self.enc.buf.error()
    }

    /// Code size so far.
    pub(crate) fn size(&self) -> usize {
        self.enc.offset()
    }

    /// The label offsets of the pass.
    pub(crate) fn labels(&self) -> Vec<Option<usize>> {
        (0..self.n_labels).map(|i| self.enc.buf.label_offset(Label(i))).collect()
    }

    /// Resolves the labels.
    pub(crate) fn finish(self) -> Result<Finished, AsmError> {
        let entry = self.entry;
        let (code, labels) = self.enc.buf.resolve(patch)?;
        Ok(Finished { code, entry, labels })
    }
}
