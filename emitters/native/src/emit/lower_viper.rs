//! Lowering viper's machine-word operations ([`VOp`]).
//!
//! Native values live in the frame's word slots; each operation loads its
//! operands into scratch registers, computes, and stores the result back.
//! Within a run of pure word operations, a stack slot that only received a
//! constant or a copy of a local is not written at all ([`Pending`]): the
//! operation that consumes it reads the constant or the local directly. Every
//! instruction that may jump, fail or look at the slots in memory first
//! writes the pending slots out.
//! The most used native locals are kept in the spare callee-saved registers
//! instead, when the function has no exception handlers (the code is then
//! never re-entered in the middle, so a register's value is never lost), as
//! MicroPython's viper does.
//! Helpers that convert or divide return a status; a failure goes through a
//! stub that records the operation's position for the traceback.

use ferropy_bytecode::native_abi::{helper, CTX_VALUE};
use ferropy_frontend::emit::Label as EmitLabel;

use alloc::vec;
use alloc::vec::Vec;

use ferropy_bytecode::opcode as op;

use super::ir::Ir;
use super::lower::{Lowerer, Stub};
use super::viper::{Arith, Index, Slot, VOp};
use super::AsmFactory;
use crate::asm::{Cond, Width};

/// A stack slot's value not yet stored: a constant or a copy of a local.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pending {
    /// The constant.
    Imm(i64),
    /// The value of this local (valid until the local is written).
    Local(u32),
}

/// The word slots a viper operation reads or writes.
fn slots(op: &VOp) -> Vec<Slot> {
    match *op {
        VOp::Imm { dst, .. } => vec![dst],
        VOp::Copy { dst, src } => vec![dst, src],
        VOp::Arith { dst, a, b, .. } | VOp::Compare { dst, a, b, .. } | VOp::DivMod { dst, a, b, .. } => {
            vec![dst, a, b]
        }
        VOp::Neg { slot } | VOp::Invert { slot } | VOp::Branch { slot, .. } | VOp::Box { slot, .. } => vec![slot],
        VOp::Load { dst, base, index, .. } => {
            let mut v = vec![dst, base];
            if let Index::Slot(s) = index {
                v.push(s);
            }
            v
        }
        VOp::Store { base, index, value, .. } => {
            let mut v = vec![base, value];
            if let Index::Slot(s) = index {
                v.push(s);
            }
            v
        }
        VOp::Unbox { dst, src, .. } => vec![dst, src],
    }
}

impl<A: AsmFactory> Lowerer<A> {
    /// Chooses the native locals kept in registers: the most used ones, if the
    /// function never re-enters its code (no exception handlers, no yields).
    pub(super) fn assign_local_registers(&mut self, ir: &[Ir]) {
        let reentrant = ir.iter().any(|i| {
            matches!(
                i,
                Ir::Op {
                    opcode: op::SETUP_EXCEPT | op::SETUP_FINALLY | op::SETUP_WITH | op::YIELD_VALUE | op::YIELD_FROM,
                    ..
                }
            )
        });
        if reentrant || self.regs.spare.is_empty() {
            return;
        }
        let mut uses: Vec<(u32, usize)> = Vec::new();
        for i in ir {
            let Ir::Viper(v) = i else { continue };
            for s in slots(v) {
                if let Slot::Local(n) = s {
                    match uses.iter_mut().find(|(l, _)| *l == n) {
                        Some(u) => u.1 += 1,
                        None => uses.push((n, 1)),
                    }
                }
            }
        }
        // Most used first; ties by local number, so the choice is deterministic.
        uses.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (&(local, _), &reg) in uses.iter().zip(self.regs.spare.iter()) {
            let i = local as usize;
            if self.local_regs.len() <= i {
                self.local_regs.resize(i + 1, None);
            }
            self.local_regs[i] = Some(reg);
        }
    }

    fn local_reg(&self, slot: Slot) -> Option<A::Reg> {
        match slot {
            Slot::Local(n) => self.local_regs.get(n as usize).copied().flatten(),
            Slot::Stack(_) => None,
        }
    }

    /// Index of a word slot.
    fn word_index(&self, slot: Slot) -> i32 {
        match slot {
            Slot::Stack(n) => n as i32,
            Slot::Local(n) => self.local_slot(n),
        }
    }

    fn pending_of(&self, slot: Slot) -> Option<Pending> {
        let Slot::Stack(k) = slot else { return None };
        self.pending.iter().find(|(s, _)| *s == k).map(|&(_, p)| p)
    }

    fn set_pending(&mut self, k: u32, p: Pending) {
        self.pending.retain(|(s, _)| *s != k);
        self.pending.push((k, p));
    }

    /// Forgets pending values of slots the operation consumed.
    fn drop_pending(&mut self, slots: &[Slot]) {
        self.pending.retain(|(s, _)| !slots.contains(&Slot::Stack(*s)));
    }

    fn materialize(&mut self, k: u32, p: Pending) {
        let scratch = self.regs.r[3];
        match p {
            Pending::Imm(v) => self.a.mov_imm(scratch, v),
            Pending::Local(l) => self.load_word(scratch, Slot::Local(l)),
        }
        let w = self.regs.words;
        self.a.store(Width::Word, scratch, w, k as i32);
    }

    /// Stores every pending slot (clobbers only the fourth scratch register).
    pub(super) fn materialize_all(&mut self) {
        for (k, p) in core::mem::take(&mut self.pending) {
            self.materialize(k, p);
        }
    }

    /// Stores the pending slots that copy local `l`, before `l` changes.
    fn materialize_copies_of(&mut self, l: u32) {
        let (copies, rest): (Vec<_>, Vec<_>) =
            core::mem::take(&mut self.pending).into_iter().partition(|(_, p)| *p == Pending::Local(l));
        self.pending = rest;
        for (k, p) in copies {
            self.materialize(k, p);
        }
    }

    fn load_word(&mut self, dst: A::Reg, slot: Slot) {
        match self.pending_of(slot) {
            Some(Pending::Imm(v)) => return self.a.mov_imm(dst, v),
            Some(Pending::Local(l)) => return self.load_word(dst, Slot::Local(l)),
            None => {}
        }
        if let Some(r) = self.local_reg(slot) {
            self.a.mov_reg(dst, r);
            return;
        }
        let (w, i) = (self.regs.words, self.word_index(slot));
        self.a.load(Width::Word, dst, w, i);
    }

    fn store_word(&mut self, slot: Slot, src: A::Reg) {
        match slot {
            Slot::Stack(k) => self.pending.retain(|(s, _)| *s != k),
            Slot::Local(l) => self.materialize_copies_of(l),
        }
        if let Some(r) = self.local_reg(slot) {
            self.a.mov_reg(r, src);
            return;
        }
        let (w, i) = (self.regs.words, self.word_index(slot));
        self.a.store(Width::Word, src, w, i);
    }

    /// Calls helper `index` (arguments already set) and branches to a
    /// failure stub for operation `at` on a non-zero status.
    fn call_checked(&mut self, index: usize, at: crate::buffer::Label) {
        self.a.call_table(index);
        let entry = self.a.new_label();
        self.a.jump_if_nonzero(A::RET, false, entry);
        self.stubs.push(Stub::Failed { entry, at });
    }

    /// `dst = ctx.value` (a helper's result).
    fn store_helper_value(&mut self, dst: Slot) {
        let r = self.regs.r;
        let ctx = self.regs.ctx;
        self.a.load(Width::Word, r[0], ctx, CTX_VALUE);
        self.store_word(dst, r[0]);
    }

    pub(super) fn viper_op(&mut self, op: &VOp) {
        let r = self.regs.r;
        let args = self.regs.args;
        match *op {
            // Operations that may jump or fail see every slot in memory.
            VOp::Branch { .. } | VOp::Box { .. } | VOp::Unbox { .. } | VOp::DivMod { .. } => self.materialize_all(),
            // Constants and copies of locals into stack slots are deferred.
            VOp::Imm { dst: Slot::Stack(k), value } => return self.set_pending(k, Pending::Imm(value)),
            VOp::Copy { dst: Slot::Stack(k), src: Slot::Local(l) } => return self.set_pending(k, Pending::Local(l)),
            _ => {}
        }
        match *op {
            VOp::Imm { dst, value } => {
                self.a.mov_imm(r[0], value);
                self.store_word(dst, r[0]);
            }
            VOp::Copy { dst, src } => {
                self.load_word(r[0], src);
                if matches!(dst, Slot::Local(_)) {
                    // Storing a local pops its source.
                    self.drop_pending(&[src]);
                }
                self.store_word(dst, r[0]);
            }
            VOp::Arith { op, dst, a, b } => {
                self.load_word(r[0], a);
                // A constant right operand goes in the instruction where the
                // result is the same (shift counts inside the word's bits).
                let imm = match self.pending_of(b) {
                    Some(Pending::Imm(v)) => i32::try_from(v).ok(),
                    _ => None,
                };
                let bits = (A::WORD_BYTES * 8) as i32;
                match (op, imm) {
                    (Arith::Bin(op), Some(v)) => self.a.binop_imm(op, r[0], v, r[1]),
                    (Arith::Shift(op), Some(v)) if (1..bits).contains(&v) => self.a.shift_imm(op, r[0], v as u8, r[1]),
                    (Arith::Bin(op), None) => {
                        self.load_word(r[1], b);
                        self.a.binop(op, r[0], r[1]);
                    }
                    (Arith::Shift(op), _) => {
                        self.load_word(r[1], b);
                        self.a.shift(op, r[0], r[1]);
                    }
                }
                self.drop_pending(&[b]);
                self.store_word(dst, r[0]);
            }
            VOp::Neg { slot } => {
                self.load_word(r[0], slot);
                self.a.neg(r[0]);
                self.store_word(slot, r[0]);
            }
            VOp::Invert { slot } => {
                self.load_word(r[0], slot);
                self.a.not(r[0]);
                self.store_word(slot, r[0]);
            }
            VOp::Compare { cond, dst, a, b } => {
                self.load_word(r[0], a);
                self.load_word(r[1], b);
                self.a.set_cond(cond, r[2], r[0], r[1]);
                self.drop_pending(&[b]);
                self.store_word(dst, r[2]);
            }
            VOp::Branch { slot, cond, label, .. } => {
                let at = self.here();
                let target = self.jump_target(label, at);
                self.load_word(r[0], slot);
                if cond {
                    self.a.jump_if_nonzero(r[0], false, target);
                } else {
                    self.a.jump_if_zero(r[0], false, target);
                }
            }
            VOp::Load { width, dst, base, index } => {
                self.load_word(r[0], base);
                match self.index_operand(index) {
                    Ok(i) => self.a.load(width, r[2], r[0], i),
                    Err(index_reg) => self.a.load_indexed(width, r[2], r[0], index_reg),
                }
                if let Index::Slot(s) = index {
                    self.drop_pending(&[s]);
                }
                self.store_word(dst, r[2]);
            }
            VOp::Store { width, base, index, value } => {
                self.load_word(r[0], base);
                self.load_word(r[2], value);
                match self.index_operand(index) {
                    Ok(i) => self.a.store(width, r[2], r[0], i),
                    Err(index_reg) => self.a.store_indexed(width, r[2], r[0], index_reg),
                }
                let mut used = vec![base, value];
                if let Index::Slot(s) = index {
                    used.push(s);
                }
                self.drop_pending(&used);
            }
            VOp::Box { slot, vtype } => {
                let at = self.here();
                let index = self.word_index(slot);
                self.load_word(args[1], slot);
                self.a.mov_imm(args[2], i64::from(vtype) | i64::from(index) << 8);
                self.call_positioned(helper::BOX, at);
            }
            VOp::Unbox { dst, src, vtype } => {
                let at = self.here();
                let index = self.word_index(src);
                self.a.mov_imm(args[1], i64::from(index));
                self.a.mov_imm(args[2], i64::from(vtype));
                self.call_positioned(helper::UNBOX, at);
                self.store_helper_value(dst);
            }
            VOp::DivMod { dst, a, b, modulo } => {
                let at = self.here();
                self.a.mov_reg(args[0], self.regs.ctx);
                self.load_word(args[1], a);
                self.load_word(args[2], b);
                self.a.mov_imm(args[3], i64::from(modulo));
                self.call_checked(helper::DIVMOD, at);
                self.store_helper_value(dst);
            }
        }
    }

    /// A pointer index as an address offset (`Ok`, a constant that fits) or in
    /// the second scratch register (`Err`).
    fn index_operand(&mut self, index: Index) -> Result<i32, A::Reg> {
        let r1 = self.regs.r[1];
        match index {
            Index::Const(i) => i32::try_from(i).map_err(|_| {
                self.a.mov_imm(r1, i);
                r1
            }),
            Index::Slot(s) => {
                self.load_word(r1, s);
                Err(r1)
            }
        }
    }

    /// A comparison whose only use is the conditional jump after it.
    pub(super) fn compare_branch(&mut self, cond: Cond, a: Slot, b: Slot, when: bool, label: EmitLabel) {
        let r = self.regs.r;
        let at = self.here();
        let target = self.jump_target(label, at);
        self.load_word(r[0], a);
        self.load_word(r[1], b);
        // Both operands are consumed; the rest goes to memory before the jump.
        self.drop_pending(&[a, b]);
        self.materialize_all();
        self.a.set_cond(cond, r[2], r[0], r[1]);
        if when {
            self.a.jump_if_nonzero(r[2], true, target);
        } else {
            self.a.jump_if_zero(r[2], true, target);
        }
    }
}
