//! [`ThumbAsm`]: the [`Asm`] implementation for ARMv7-M / ARMv7E-M (Thumb-2)
//! and ARMv6-M.
//!
//! The operations are emitted at once (a first pass whose jumps to labels not
//! bound yet use the long forms) and recorded. [`Asm::finish`] then emits the
//! recorded operations again, each pass choosing the short forms of forward
//! jumps and label addresses that the previous pass showed to reach, until the
//! code stops shrinking. Sizes only shrink from pass to pass, so a short form
//! chosen from the previous pass's distances still reaches; the one exception
//! (an ARMv6-M literal pool moving between a jump and its label) is caught by
//! checking every short form after the pass and re-emitting with that jump long.

use alloc::vec::Vec;

use ferropy_emit_native::{Asm, AsmError, BinOp, Cond, Finished, Label, ShiftOp, Width};

use crate::arch::{targets, Arch, Target};
use crate::pass::{Hints, Pass, TableSource};
use crate::regs::{self, Reg};
use crate::rewrite;

/// One recorded `Asm` call (or what [`crate::rewrite`] made of it).
#[derive(Clone, Debug)]
pub(crate) enum Rec {
    NewLabel,
    Bind(Label),
    Align(usize),
    Data(Vec<u8>),
    Prologue(usize),
    Epilogue,
    MovImm(Reg, i64),
    MovReg(Reg, Reg),
    LoadSlot(Reg, usize),
    StoreSlot(usize, Reg),
    SlotAddr(Reg, usize),
    LabelAddr(Reg, Label),
    Binop(BinOp, Reg, Reg),
    Shift(ShiftOp, Reg, Reg),
    Neg(Reg),
    Sdiv(Reg, Reg),
    Not(Reg),
    SetCond(Cond, Reg, Reg, Reg),
    Jump(Label),
    JumpIfZero(Reg, bool, Label),
    JumpIfNonzero(Reg, bool, Label),
    JumpIfEq(Reg, Reg, Label),
    JumpIfCond(Cond, Reg, Reg, Label),
    JumpIfCondImm(Cond, Reg, i32, Reg, Label),
    JumpIfBits(Reg, i32, bool, Reg, Label),
    JumpReg(Reg),
    CallTable(usize),
    Load(Width, Reg, Reg, i32),
    Store(Width, Reg, Reg, i32),
    LoadIndexed(Width, Reg, Reg, Reg),
    StoreIndexed(Width, Reg, Reg, Reg),
    CallLocal(Label),
    LocalEntry(Reg),
    LocalReturn,
    LocalDiscard,
    BinopImm(BinOp, Reg, i32, Reg),
    ShiftImm(ShiftOp, Reg, u8, Reg),
    JumpIfEqImm(Reg, i32, Reg, Label),
    JumpIfBitClear(Reg, u8, Reg, Label),
    /// A dropped operation (emits nothing).
    Skip,
    /// The register's value is not read again before it is written (a hint
    /// from the lowering; emits nothing).
    Dead(Reg),
    /// A table call loading the address into the given free low register.
    CallTableVia(usize, Reg),
    /// `mov dst, src` + `shift_imm dst, #count` as one instruction.
    ShiftImmFrom(ShiftOp, Reg, Reg, u8),
    BinopOverflow(BinOp, Reg, Reg, Label),
    /// `mov dst, src` + `binop_imm dst, #value` as one instruction.
    BinopImmFrom(BinOp, Reg, Reg, i32),
    /// `mov dst, src` + `binop dst, rhs` as one instruction.
    BinopFrom(BinOp, Reg, Reg, Reg),
    /// `dst = src / rhs` (`mov dst, src` + `sdiv dst, rhs`).
    SdivFrom(Reg, Reg, Reg),
    /// `dst = src shift count` (`mov dst, src` + `shift dst, count`).
    ShiftFrom(ShiftOp, Reg, Reg, Reg),
    /// `dst -= a * b` (`a` is not kept).
    Mls(Reg, Reg, Reg),
    /// `dst = acc + a * b` (`mul` + `add`, ARMv7-M): dst, a, b, acc.
    Mla(Reg, Reg, Reg, Reg),
    /// `dst = (src >> lsb) & (2^width - 1)` (a shift by a constant and an
    /// `and` with a low mask, ARMv7-M): dst, src, lsb, width.
    Ubfx(Reg, Reg, u8, u8),
}

/// Most passes `finish` runs after the first (each one shrinks the code or stops).
const MAX_PASSES: usize = 6;

/// A Thumb assembler for native code, for the architecture `T` selects.
#[derive(Clone, Debug)]
pub struct ThumbAsm<T: Target> {
    ops: Vec<Rec>,
    first: Pass<T>,
    /// ARMv7-M: `r8-r11` unused, 16-bit `push`/`pop` frames (known at `finish`).
    narrow_frame: bool,
    /// ARMv6-M: where table calls get `r7` back from (known at `finish`).
    table: TableSource,
}

/// ARMv6-M assembler.
pub type Armv6mAsm = ThumbAsm<targets::V6m>;
/// ARMv7-M assembler.
pub type Armv7mAsm = ThumbAsm<targets::V7m>;
/// ARMv7E-M assembler.
pub type Armv7emAsm = ThumbAsm<targets::V7em>;
/// ARMv7E-M (single-precision FPU) assembler.
pub type Armv7emspAsm = ThumbAsm<targets::V7emsp>;
/// ARMv7E-M (double-precision FPU) assembler.
pub type Armv7emdpAsm = ThumbAsm<targets::V7emdp>;

impl<T: Target> Default for ThumbAsm<T> {
    fn default() -> Self {
        Self::new()
    }
}

fn apply<T: Target>(p: &mut Pass<T>, rec: &Rec) {
    match *rec {
        Rec::NewLabel => {
            p.new_label();
        }
        Rec::Bind(l) => p.bind(l),
        Rec::Align(n) => p.align(n),
        Rec::Data(ref bytes) => p.data(bytes),
        Rec::Prologue(n) => p.prologue(n),
        Rec::Epilogue => p.epilogue(),
        Rec::MovImm(r, v) => p.mov_imm(r, v),
        Rec::MovReg(d, s) => p.mov_reg(d, s),
        Rec::LoadSlot(r, s) => p.load_slot(r, s),
        Rec::StoreSlot(s, r) => p.store_slot(s, r),
        Rec::SlotAddr(r, s) => p.slot_addr(r, s),
        Rec::LabelAddr(r, l) => p.label_addr(r, l),
        Rec::Binop(op, d, s) => p.binop(op, d, s),
        Rec::Shift(op, d, s) => p.shift(op, d, s),
        Rec::Neg(r) => p.neg(r),
        Rec::Sdiv(d, s) => p.sdiv(d, s),
        Rec::Not(r) => p.not(r),
        Rec::SetCond(c, d, a, b) => p.set_cond(c, d, a, b),
        Rec::Jump(l) => p.jump(l),
        Rec::JumpIfZero(r, b, l) => p.jump_if_zero(r, b, l),
        Rec::JumpIfNonzero(r, b, l) => p.jump_if_nonzero(r, b, l),
        Rec::JumpIfEq(a, b, l) => p.jump_if_eq(a, b, l),
        Rec::JumpIfCond(c, a, b, l) => p.jump_if_cond(c, a, b, l),
        Rec::JumpIfCondImm(c, r, v, t, l) => p.jump_if_cond_imm(c, r, v, t, l),
        Rec::JumpIfBits(r, m, s, t, l) => p.jump_if_bits(r, m, s, t, l),
        Rec::JumpReg(r) => p.jump_reg(r),
        Rec::CallTable(i) => p.call_table(i),
        Rec::Load(w, d, b, o) => p.load(w, d, b, o),
        Rec::Store(w, s, b, o) => p.store(w, s, b, o),
        Rec::LoadIndexed(w, d, b, i) => p.load_indexed(w, d, b, i),
        Rec::StoreIndexed(w, s, b, i) => p.store_indexed(w, s, b, i),
        Rec::CallLocal(l) => p.call_local(l),
        Rec::LocalEntry(r) => p.local_entry(r),
        Rec::LocalReturn => p.local_return(),
        Rec::LocalDiscard => p.local_discard(),
        Rec::BinopImm(op, d, v, t) => p.binop_imm(op, d, v, t),
        Rec::ShiftImm(op, d, c, t) => p.shift_imm(op, d, c, t),
        Rec::JumpIfEqImm(r, v, t, l) => p.jump_if_eq_imm(r, v, t, l),
        Rec::JumpIfBitClear(r, b, t, l) => p.jump_if_bit_clear(r, b, t, l),
        Rec::Skip | Rec::Dead(_) => {}
        Rec::CallTableVia(i, r) => p.call_table_via(i, r),
        Rec::ShiftImmFrom(op, d, s, c) => p.shift_imm_from(op, d, s, c),
        Rec::BinopOverflow(op, d, s, l) => p.binop_jump_if_overflow(op, d, s, l),
        Rec::BinopImmFrom(op, d, s, v) => p.binop_imm_from(op, d, s, v),
        Rec::BinopFrom(op, d, s, r) => p.binop_from(op, d, s, r),
        Rec::SdivFrom(d, s, r) => p.sdiv_from(d, s, r),
        Rec::ShiftFrom(op, d, s, c) => p.shift_from(op, d, s, c),
        Rec::Mls(d, a, b) => p.mls(d, a, b),
        Rec::Mla(d, a, b, c) => p.mla(d, a, b, c),
        Rec::Ubfx(d, s, l, w) => p.ubfx(d, s, l, w),
    }
}

impl<T: Target> ThumbAsm<T> {
    /// A new, empty assembler.
    pub fn new() -> Self {
        ThumbAsm { ops: Vec::new(), first: Pass::new(None), narrow_frame: false, table: TableSource::Copy }
    }

    /// The target architecture.
    pub fn arch(&self) -> Arch {
        T::ARCH
    }

    /// The code of the first pass so far (long forward forms, labels not yet
    /// resolved, literal pool not yet flushed).
    pub fn code(&self) -> &[u8] {
        self.first.code()
    }

    fn rec(&mut self, rec: Rec) {
        self.first.op = self.ops.len();
        apply(&mut self.first, &rec);
        self.ops.push(rec);
    }

    /// Emits every recorded operation once more with `hints`.
    fn replay(&self, hints: Hints) -> Pass<T> {
        let mut p = Pass::new(Some(hints));
        p.narrow_frame = self.narrow_frame;
        p.table = self.table;
        for (i, rec) in self.ops.iter().enumerate() {
            p.op = i;
            apply(&mut p, rec);
        }
        p.end();
        p
    }

    /// Applies the whole-function rewrites of [`crate::rewrite`] to the
    /// recorded operations (before the passes that emit them again).
    fn rewrite(&mut self) {
        rewrite::drop_jumps_to_next(&mut self.ops);
        rewrite::invert_jumps_over_jumps(&mut self.ops);
        let entries = rewrite::entries(&self.ops);
        rewrite::drop_reloads(&mut self.ops, &entries);
        rewrite::drop_unread_moves(&mut self.ops);
        rewrite::fuse_moves(&mut self.ops, T::ARCH.thumb2());
        rewrite::fuse_into_moves(&mut self.ops, &entries, T::ARCH.thumb2());
        // Again on the fused forms (`add d, s, #v`, indexed loads).
        rewrite::drop_reloads(&mut self.ops, &entries);
        rewrite::free_call_registers(&mut self.ops, &entries);
        if T::ARCH.thumb2() {
            self.narrow_frame = !rewrite::uses_high_registers(&self.ops);
        } else {
            self.table = rewrite::table_source(&self.ops);
        }
    }

    /// Runs the passes and returns the final one (the smallest whose short
    /// forms all reach).
    fn relax(self) -> Pass<T> {
        let mut best = self.first.clone();
        best.end();
        let mut force_long = alloc::vec![false; self.ops.len()];
        for _ in 0..MAX_PASSES {
            let hints = Hints {
                labels: best.labels(),
                decisions: best.decisions.clone(),
                force_long: force_long.clone(),
                cbz: best.cbz_ops(),
            };
            let p = self.replay(hints);
            let unreached = p.unreached();
            if !unreached.is_empty() {
                for op in unreached {
                    if let Some(f) = force_long.get_mut(op) {
                        *f = true;
                    }
                }
                continue;
            }
            let shrunk = p.size() < best.size();
            best = p;
            if !shrunk {
                break;
            }
        }
        best
    }
}

impl<T: Target> Asm for ThumbAsm<T> {
    type Reg = Reg;

    const WORD_BYTES: u32 = 4;
    const RET: Reg = regs::RET;
    const ENTRY_ARGS: &'static [Reg] = &regs::ENTRY_ARGS;
    const CALL_ARGS: &'static [Reg] = &regs::CALL_ARGS;
    const TEMPS: &'static [Reg] = &regs::TEMPS;
    const LOCALS: &'static [Reg] = regs::locals(T::ARCH);
    const FUN_TABLE: Reg = regs::FUN_TABLE;

    /// The offset in the first pass; the final code may be smaller (bind a
    /// label and read [`Finished::labels`] for final offsets).
    fn offset(&self) -> usize {
        self.first.offset()
    }

    fn new_label(&mut self) -> Label {
        self.first.op = self.ops.len();
        let l = self.first.new_label();
        self.ops.push(Rec::NewLabel);
        l
    }

    fn bind(&mut self, label: Label) {
        self.rec(Rec::Bind(label));
    }

    fn align(&mut self, align: usize) {
        self.rec(Rec::Align(align));
    }

    fn data(&mut self, bytes: &[u8]) {
        self.rec(Rec::Data(bytes.to_vec()));
    }

    fn prologue(&mut self, n_slots: usize) {
        self.rec(Rec::Prologue(n_slots));
    }

    fn epilogue(&mut self) {
        self.rec(Rec::Epilogue);
    }

    fn mov_imm(&mut self, dst: Reg, value: i64) {
        self.rec(Rec::MovImm(dst, value));
    }

    fn dead(&mut self, reg: Reg) {
        self.rec(Rec::Dead(reg));
    }

    fn mov_reg(&mut self, dst: Reg, src: Reg) {
        if dst == src {
            return;
        }
        self.rec(Rec::MovReg(dst, src));
    }

    fn load_slot(&mut self, dst: Reg, slot: usize) {
        self.rec(Rec::LoadSlot(dst, slot));
    }

    fn store_slot(&mut self, slot: usize, src: Reg) {
        self.rec(Rec::StoreSlot(slot, src));
    }

    fn slot_addr(&mut self, dst: Reg, slot: usize) {
        self.rec(Rec::SlotAddr(dst, slot));
    }

    fn label_addr(&mut self, dst: Reg, label: Label) {
        self.rec(Rec::LabelAddr(dst, label));
    }

    fn binop(&mut self, op: BinOp, dst: Reg, src: Reg) {
        self.rec(Rec::Binop(op, dst, src));
    }

    /// ARM shifts by a register use its low byte: counts of 32 or more give 0
    /// (or the sign for `Sar`).
    fn shift(&mut self, op: ShiftOp, dst: Reg, count: Reg) {
        self.rec(Rec::Shift(op, dst, count));
    }

    fn neg(&mut self, dst: Reg) {
        self.rec(Rec::Neg(dst));
    }

    const SDIV: bool = T::ARCH.thumb2();

    const OVERFLOW_JUMP: bool = true;

    fn binop_jump_if_overflow(&mut self, op: BinOp, dst: Reg, src: Reg, label: Label) {
        self.rec(Rec::BinopOverflow(op, dst, src, label));
    }

    fn sdiv(&mut self, dst: Reg, src: Reg) {
        self.rec(Rec::Sdiv(dst, src));
    }

    fn not(&mut self, dst: Reg) {
        self.rec(Rec::Not(dst));
    }

    fn set_cond(&mut self, cond: Cond, dst: Reg, a: Reg, b: Reg) {
        self.rec(Rec::SetCond(cond, dst, a, b));
    }

    fn jump(&mut self, label: Label) {
        self.rec(Rec::Jump(label));
    }

    fn jump_if_zero(&mut self, reg: Reg, bool_test: bool, label: Label) {
        self.rec(Rec::JumpIfZero(reg, bool_test, label));
    }

    fn jump_if_nonzero(&mut self, reg: Reg, bool_test: bool, label: Label) {
        self.rec(Rec::JumpIfNonzero(reg, bool_test, label));
    }

    fn jump_if_eq(&mut self, a: Reg, b: Reg, label: Label) {
        self.rec(Rec::JumpIfEq(a, b, label));
    }

    fn jump_reg(&mut self, reg: Reg) {
        self.rec(Rec::JumpReg(reg));
    }

    fn call_table(&mut self, index: usize) {
        self.rec(Rec::CallTable(index));
    }

    fn load(&mut self, width: Width, dst: Reg, base: Reg, offset: i32) {
        self.rec(Rec::Load(width, dst, base, offset));
    }

    fn store(&mut self, width: Width, src: Reg, base: Reg, offset: i32) {
        self.rec(Rec::Store(width, src, base, offset));
    }

    fn load_indexed(&mut self, width: Width, dst: Reg, base: Reg, index: Reg) {
        self.rec(Rec::LoadIndexed(width, dst, base, index));
    }

    fn store_indexed(&mut self, width: Width, src: Reg, base: Reg, index: Reg) {
        self.rec(Rec::StoreIndexed(width, src, base, index));
    }

    const LOCAL_CALLS: bool = true;

    fn call_local(&mut self, label: Label) {
        self.rec(Rec::CallLocal(label));
    }

    fn local_entry(&mut self, ret_addr: Reg) {
        self.rec(Rec::LocalEntry(ret_addr));
    }

    fn local_return(&mut self) {
        self.rec(Rec::LocalReturn);
    }

    fn local_discard(&mut self) {
        self.rec(Rec::LocalDiscard);
    }

    const LOCAL_CALL_ANYWHERE: bool = true;

    /// A high register home costs a 32-bit `push`/`pop` and longer
    /// instructions; a low one is a register the cache no longer has.
    const HOMES_IN_LOOPS_ONLY: bool = true;

    const SHARED_INTERRUPT_CALL: bool = true;

    /// ARMv7-M: `lr` (the prologue saves it; calls change it).
    const CALL_CLOBBERED_HOMES: &'static [Reg] = if T::ARCH.thumb2() { &[Reg::Lr] } else { &[] };

    fn binop_imm(&mut self, op: BinOp, dst: Reg, value: i32, scratch: Reg) {
        self.rec(Rec::BinopImm(op, dst, value, scratch));
    }

    fn shift_imm(&mut self, op: ShiftOp, dst: Reg, count: u8, scratch: Reg) {
        self.rec(Rec::ShiftImm(op, dst, count, scratch));
    }

    fn jump_if_eq_imm(&mut self, reg: Reg, value: i32, scratch: Reg, label: Label) {
        self.rec(Rec::JumpIfEqImm(reg, value, scratch, label));
    }

    fn jump_if_bit_clear(&mut self, reg: Reg, bit: u8, scratch: Reg, label: Label) {
        self.rec(Rec::JumpIfBitClear(reg, bit, scratch, label));
    }

    fn binop_imm_needs_scratch(op: BinOp, dst: Reg, value: i32) -> bool {
        !crate::pass::binop_imm_is_short(T::ARCH.thumb2(), op, dst, value)
    }

    fn shift_imm_needs_scratch(dst: Reg, count: u8) -> bool {
        !crate::pass::shift_imm_is_short(dst, count)
    }

    fn jump_if_cond(&mut self, cond: Cond, a: Reg, b: Reg, _scratch: Reg, label: Label) {
        self.rec(Rec::JumpIfCond(cond, a, b, label));
    }

    fn jump_if_cond_imm(&mut self, cond: Cond, reg: Reg, value: i32, scratch: Reg, label: Label) {
        self.rec(Rec::JumpIfCondImm(cond, reg, value, scratch, label));
    }

    fn jump_if_bits(&mut self, reg: Reg, mask: i32, set: bool, scratch: Reg, label: Label) {
        self.rec(Rec::JumpIfBits(reg, mask, set, scratch, label));
    }

    fn finish(self) -> Result<Finished, AsmError> {
        // An error of the first pass (bad register, unbound label...) is final.
        if let Some(e) = self.first.error() {
            return Err(e);
        }
        let mut this = self;
        this.rewrite();
        this.relax().finish()
    }
}

impl<T: Target> ferropy_emit_native::AsmFactory for ThumbAsm<T> {
    fn new_asm() -> Self {
        ThumbAsm::new()
    }
    const MPY_ARCH: u8 = T::ARCH.mpy_code();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn far_jump<T: Target>() -> ThumbAsm<T> {
        let mut a = ThumbAsm::<T>::new();
        let l = a.new_label();
        a.jump(l);
        a.data(&[0; 3000]);
        a.bind(l);
        a
    }

    fn check<T: Target>() {
        let a = far_jump::<T>();
        let jump_op = 1;
        // Hints that wrongly put the label near: the short form is chosen, and
        // the check after the pass finds that it does not reach.
        let wrong = Hints {
            labels: alloc::vec![Some(8)],
            decisions: alloc::vec![None, Some(0)],
            force_long: alloc::vec![false; a.ops.len()],
            cbz: Vec::new(),
        };
        let p = a.replay(wrong.clone());
        assert_eq!(p.unreached(), alloc::vec![jump_op]);
        assert_eq!(p.size(), 2 + 3000);
        // Forced long, the same hints give a long jump that reaches.
        let mut forced = wrong;
        forced.force_long[jump_op] = true;
        let p = a.replay(forced);
        assert!(p.unreached().is_empty());
        assert_eq!(p.size(), 4 + 3000);
        // And `finish` ends with the long form.
        let f = a.finish().unwrap();
        assert_eq!(f.labels[0], Some(3004));
    }

    #[test]
    fn short_forms_that_do_not_reach_are_forced_long() {
        check::<targets::V6m>();
        check::<targets::V7m>();
    }

    #[test]
    fn first_pass_errors_are_final() {
        let mut a = Armv7mAsm::new();
        a.mov_reg(Reg::R0, Reg::Sp);
        assert_eq!(a.finish().unwrap_err(), AsmError::InvalidRegister(13));
        assert_eq!(Armv7emAsm::new().arch(), Arch::Armv7em);
        assert!(Armv6mAsm::default().code().is_empty());
    }
}
