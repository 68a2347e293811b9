//! Lowering viper's machine-word operations ([`VOp`]).
//!
//! Native values live in the frame's word slots, but within a run of word
//! operations the model stack is cached in registers, as MicroPython's native
//! emitter keeps the top of its stack in registers: each stack slot whose value
//! is not in memory has a [`Pending`] entry saying where it is instead (a
//! constant, a copy of a local, or a scratch register from the *pool*: the
//! ISA's [`Asm::TEMPS`](crate::asm::Asm) and fourth call-argument register).
//! An operation reads its operands from there, computes in a pool register
//! and leaves the result in it; stack shuffles of cached values only move
//! entries. When the pool runs out, the deepest cached slot is spilled to
//! memory. Every instruction that may jump, call the runtime, fail or read
//! the slots in memory first writes the entries out ([`Lowerer::flush`]), so
//! jump targets, helpers and exception handlers always find every value in
//! its slot, where the collector and the runtime see it.
//!
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

/// Where a stack slot's value is while it is not in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pending<R> {
    /// The constant.
    Imm(i64),
    /// The value of this local (valid until the local is written).
    Local(u32),
    /// In this pool register (several slots may share one, after a `dup`).
    Reg(R),
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

/// Operations between a loop's head and its backward jump count this many
/// times more than the others when locals compete for registers.
const LOOP_WEIGHT: usize = 8;

/// Pointer index operand: an address offset or a register.
enum IndexOp<R> {
    Offset(i32),
    Reg(R),
}

impl<A: AsmFactory> Lowerer<A> {
    /// Chooses the native locals kept in registers: the most used ones (uses
    /// inside loops weigh more), if the function never re-enters its code (no
    /// exception handlers, no yields).
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
        if reentrant || (self.regs.spare.is_empty() && self.regs.volatile.is_empty()) {
            return;
        }
        let depth = loop_depths(ir);
        let mut uses: Vec<(u32, usize)> = Vec::new();
        // Calls, weighted as the uses: each costs a store and a load of every
        // local in a caller-saved register.
        let mut calls = 0usize;
        for (i, ins) in ir.iter().enumerate() {
            let weight = LOOP_WEIGHT.saturating_pow(depth[i].min(3));
            let calling = match ins {
                Ir::Op { .. } | Ir::Binary { .. } | Ir::CondJump { .. } | Ir::LoadFast { .. } => true,
                Ir::Viper(v) => matches!(v, VOp::Box { .. } | VOp::Unbox { .. } | VOp::DivMod { .. }),
                _ => false,
            };
            if calling {
                calls += weight;
            }
            let Ir::Viper(v) = ins else { continue };
            for s in slots(v) {
                if let Slot::Local(n) = s {
                    match uses.iter_mut().find(|(l, _)| *l == n) {
                        Some(u) => u.1 += weight,
                        None => uses.push((n, weight)),
                    }
                }
            }
        }
        // Most used first; ties by local number, so the choice is deterministic.
        uses.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let n_spare = self.regs.spare.len();
        for (k, &(local, n_uses)) in uses.iter().enumerate() {
            let reg = match self.regs.spare.get(k) {
                Some(&r) => r,
                // A caller-saved register pays off when the local is used
                // more often than calls happen.
                None => match self.regs.volatile.get(k - n_spare) {
                    Some(&r) if n_uses > 2 * calls => {
                        self.volatile_locals.push((local, r, born(ir, local)));
                        r
                    }
                    _ => break,
                },
            };
            let i = local as usize;
            if self.local_regs.len() <= i {
                self.local_regs.resize(i + 1, None);
            }
            self.local_regs[i] = Some(reg);
        }
        // Those registers leave the cache's pool.
        let taken: Vec<A::Reg> = self.volatile_locals.iter().map(|&(_, r, _)| r).collect();
        self.regs.pool.retain(|r| !taken.contains(r));
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

    fn pending_of(&self, slot: Slot) -> Option<Pending<A::Reg>> {
        let Slot::Stack(k) = slot else { return None };
        self.pending.iter().find(|(s, _)| *s == k).map(|&(_, p)| p)
    }

    fn set_pending(&mut self, k: u32, p: Pending<A::Reg>) {
        self.pending.retain(|(s, _)| *s != k);
        self.pending.push((k, p));
    }

    /// Forgets the entries of slot `k` and every slot above it: popping `k`
    /// pops everything above it too.
    fn drop_from(&mut self, slot: Slot) {
        if let Slot::Stack(k) = slot {
            self.pending.retain(|(s, _)| *s < k);
        }
    }

    fn holds(&self, reg: A::Reg) -> bool {
        self.pending.iter().any(|(_, p)| *p == Pending::Reg(reg))
    }

    /// A pool register no entry uses and not in `avoid`, without spilling.
    fn free_reg(&self, avoid: &[A::Reg]) -> Option<A::Reg> {
        self.regs.pool.iter().copied().find(|r| !avoid.contains(r) && !self.holds(*r))
    }

    /// A pool register not in `avoid` that the caller may overwrite: a free
    /// one, else the register of the deepest cached slot, spilled to memory.
    fn alloc(&mut self, avoid: &[A::Reg]) -> A::Reg {
        if let Some(r) = self.free_reg(avoid) {
            return r;
        }
        let victim = self
            .pending
            .iter()
            .filter_map(|&(k, p)| match p {
                Pending::Reg(r) if !avoid.contains(&r) => Some((k, r)),
                _ => None,
            })
            .min_by_key(|&(k, _)| k);
        match victim {
            Some((_, r)) => {
                self.spill(r);
                r
            }
            None => {
                // Every operation holds fewer registers than the pool has.
                self.out_of_registers = true;
                self.regs.r[0]
            }
        }
    }

    /// Stores the slots cached in `reg` and forgets their entries.
    fn spill(&mut self, reg: A::Reg) {
        let w = self.regs.words;
        let (spilled, rest): (Vec<_>, Vec<_>) =
            core::mem::take(&mut self.pending).into_iter().partition(|(_, p)| *p == Pending::Reg(reg));
        self.pending = rest;
        for (k, _) in spilled {
            self.a.store(Width::Word, reg, w, k as i32);
        }
    }

    /// Moves the entries using `reg` to another register, so the caller may
    /// overwrite `reg`.
    fn claim(&mut self, reg: A::Reg, avoid: &[A::Reg]) {
        if !self.holds(reg) {
            return;
        }
        let mut keep = avoid.to_vec();
        keep.push(reg);
        let n = self.alloc(&keep);
        self.a.mov_reg(n, reg);
        for (_, p) in self.pending.iter_mut() {
            if *p == Pending::Reg(reg) {
                *p = Pending::Reg(n);
            }
        }
    }

    /// Writes every cached slot to memory, leaving the registers in `keep`
    /// unchanged (other pool registers may change).
    pub(super) fn flush(&mut self, keep: &[A::Reg]) {
        let w = self.regs.words;
        let entries = core::mem::take(&mut self.pending);
        // Registers first: their stores free the pool for the others.
        for &(k, p) in &entries {
            if let Pending::Reg(r) = p {
                self.a.store(Width::Word, r, w, k as i32);
            }
        }
        for &(k, p) in &entries {
            let src = match p {
                Pending::Reg(_) => continue,
                Pending::Local(l) if self.local_reg(Slot::Local(l)).is_some() => self.local_reg(Slot::Local(l)),
                _ => None,
            };
            let src = match src {
                Some(r) => r,
                None => {
                    let t = self.alloc(keep);
                    match p {
                        Pending::Imm(v) => self.a.mov_imm(t, v),
                        _ => {
                            let Pending::Local(l) = p else { continue };
                            let i = self.local_slot(l);
                            self.a.load(Width::Word, t, w, i);
                        }
                    }
                    t
                }
            };
            self.a.store(Width::Word, src, w, k as i32);
        }
    }

    /// Writes every cached slot to memory (any pool register may change).
    pub(super) fn materialize_all(&mut self) {
        self.flush(&[]);
    }

    /// Before local `l` changes: the slots that copy it get its current value
    /// in a register (one for all of them).
    fn materialize_copies_of(&mut self, l: u32, avoid: &[A::Reg]) {
        if !self.pending.iter().any(|(_, p)| *p == Pending::Local(l)) {
            return;
        }
        let t = self.alloc(avoid);
        self.load_mem_or_reg(t, Slot::Local(l));
        for (_, p) in self.pending.iter_mut() {
            if *p == Pending::Local(l) {
                *p = Pending::Reg(t);
            }
        }
    }

    /// `dst = slot` from a local's register or the slot in memory (ignores
    /// entries: for slots known to be in memory, and locals).
    fn load_mem_or_reg(&mut self, dst: A::Reg, slot: Slot) {
        if let Some(r) = self.local_reg(slot) {
            self.a.mov_reg(dst, r);
            return;
        }
        let (w, i) = (self.regs.words, self.word_index(slot));
        self.a.load(Width::Word, dst, w, i);
    }

    /// A register holding `slot`'s value, to read only: its cache register,
    /// its local's register, or a pool register not in `avoid` loaded with it.
    fn read(&mut self, slot: Slot, avoid: &[A::Reg]) -> A::Reg {
        match self.pending_of(slot) {
            Some(Pending::Reg(r)) => return r,
            Some(Pending::Imm(v)) => {
                let t = self.alloc(avoid);
                self.a.mov_imm(t, v);
                return t;
            }
            Some(Pending::Local(l)) => return self.read(Slot::Local(l), avoid),
            None => {}
        }
        if let Some(r) = self.local_reg(slot) {
            return r;
        }
        let t = self.alloc(avoid);
        self.load_mem_or_reg(t, slot);
        t
    }

    /// A pool register not in `avoid` holding `slot`'s value that the caller
    /// may overwrite; `slot`'s own entry is dropped.
    fn take(&mut self, slot: Slot, avoid: &[A::Reg]) -> A::Reg {
        let p = self.pending_of(slot);
        if let Slot::Stack(k) = slot {
            self.pending.retain(|(s, _)| *s != k);
        }
        match p {
            Some(Pending::Reg(r)) if !self.holds(r) && !avoid.contains(&r) => r,
            Some(Pending::Reg(r)) => {
                let mut keep = avoid.to_vec();
                keep.push(r);
                let t = self.alloc(&keep);
                self.a.mov_reg(t, r);
                t
            }
            Some(Pending::Imm(v)) => {
                let t = self.alloc(avoid);
                self.a.mov_imm(t, v);
                t
            }
            Some(Pending::Local(l)) => {
                let t = self.alloc(avoid);
                self.load_mem_or_reg(t, Slot::Local(l));
                t
            }
            None => {
                let t = self.alloc(avoid);
                self.load_mem_or_reg(t, slot);
                t
            }
        }
    }

    /// `dst = reg`: a stack slot is cached in `reg`; a local is written.
    fn define(&mut self, dst: Slot, reg: A::Reg) {
        match dst {
            Slot::Stack(k) => self.set_pending(k, Pending::Reg(reg)),
            Slot::Local(l) => {
                self.materialize_copies_of(l, &[reg]);
                match self.local_reg(dst) {
                    Some(r) => self.a.mov_reg(r, reg),
                    None => {
                        let (w, i) = (self.regs.words, self.word_index(dst));
                        self.a.store(Width::Word, reg, w, i);
                    }
                }
            }
        }
    }

    /// Calls helper `index` (arguments already set) and branches to a
    /// failure stub for operation `at` on a non-zero status.
    fn call_checked(&mut self, index: usize, at: crate::buffer::Label) {
        self.save_volatile_locals();
        self.a.call_table(index);
        let entry = self.a.new_label();
        self.a.jump_if_nonzero(A::RET, false, entry);
        self.stubs.push(Stub::Failed { entry, at });
        self.restore_volatile_locals();
    }

    /// `dst = ctx.value` (a helper's result; every entry was flushed).
    fn define_helper_value(&mut self, dst: Slot) {
        let r = self.regs.r;
        let ctx = self.regs.ctx;
        self.a.load(Width::Word, r[0], ctx, CTX_VALUE);
        self.define(dst, r[0]);
    }

    pub(super) fn viper_op(&mut self, op: &VOp) {
        let args = self.regs.args;
        match *op {
            // Constants and copies of locals into stack slots are deferred.
            VOp::Imm { dst: Slot::Stack(k), value } => self.set_pending(k, Pending::Imm(value)),
            VOp::Copy { dst: Slot::Stack(k), src: Slot::Local(l) } => self.set_pending(k, Pending::Local(l)),
            VOp::Imm { dst, value } => match self.local_reg(dst) {
                Some(r) => {
                    if let Slot::Local(l) = dst {
                        self.materialize_copies_of(l, &[]);
                    }
                    self.a.mov_imm(r, value);
                }
                None => {
                    let t = self.alloc(&[]);
                    self.a.mov_imm(t, value);
                    self.define(dst, t);
                }
            },
            VOp::Copy { dst: Slot::Stack(k), src: Slot::Stack(j) } => {
                // A shuffle or a cast: the entry is copied, no code unless
                // the source is in memory.
                let p = match self.pending_of(Slot::Stack(j)) {
                    Some(p) => p,
                    None => {
                        let t = self.alloc(&[]);
                        self.load_mem_or_reg(t, Slot::Stack(j));
                        Pending::Reg(t)
                    }
                };
                if j > k {
                    // A cast's operand or a shuffle's temporary: dead now.
                    self.drop_from(Slot::Stack(j));
                }
                self.set_pending(k, p);
            }
            VOp::Copy { dst, src } => {
                // Storing a local pops its source.
                let v = self.read(src, &[]);
                self.drop_from(src);
                self.define(dst, v);
            }
            VOp::Arith { op, dst, a, b } => self.arith(op, dst, a, b),
            VOp::Neg { slot } => {
                let r = self.take(slot, &[]);
                self.a.neg(r);
                self.define(slot, r);
            }
            VOp::Invert { slot } => {
                let r = self.take(slot, &[]);
                self.a.not(r);
                self.define(slot, r);
            }
            VOp::Compare { cond, dst, a, b } => {
                let ra = if dst == a { self.take(a, &[]) } else { self.read(a, &[]) };
                let rb = self.read(b, &[ra]);
                let rd = if dst == a { ra } else { self.alloc(&[ra, rb]) };
                self.a.set_cond(cond, rd, ra, rb);
                self.drop_from(b);
                self.define(dst, rd);
            }
            VOp::Branch { slot, cond, label, pop } => {
                let at = self.here();
                let target = self.jump_target(label, at);
                let r = self.read(slot, &[]);
                if pop {
                    self.drop_from(slot);
                }
                // The rest goes to memory before the jump (and stays there
                // on the fall-through path).
                self.flush(&[r]);
                if cond {
                    self.a.jump_if_nonzero(r, false, target);
                } else {
                    self.a.jump_if_zero(r, false, target);
                }
            }
            VOp::Load { width, dst, base, index } => {
                let rb = self.read(base, &[]);
                let idx = self.index_operand(index, &[rb]);
                let held = match idx {
                    IndexOp::Reg(r) => vec![rb, r],
                    IndexOp::Offset(_) => vec![rb],
                };
                let rd = self.alloc(&held);
                match idx {
                    IndexOp::Offset(i) => self.a.load(width, rd, rb, i),
                    IndexOp::Reg(ri) => self.a.load_indexed(width, rd, rb, ri),
                }
                if let Index::Slot(s) = index {
                    self.drop_from(s);
                }
                self.define(dst, rd);
            }
            VOp::Store { width, base, index, value } => {
                let rv = self.read(value, &[]);
                let rb = self.read(base, &[rv]);
                match self.index_operand(index, &[rv, rb]) {
                    IndexOp::Offset(i) => self.a.store(width, rv, rb, i),
                    IndexOp::Reg(ri) => self.a.store_indexed(width, rv, rb, ri),
                }
                self.drop_from(value);
                self.drop_from(base);
            }
            VOp::Box { slot, vtype } => {
                // The helper reads the word slot and writes the object slot.
                let at = self.here();
                self.materialize_all();
                let index = self.word_index(slot);
                self.load_mem_or_reg(args[1], slot);
                self.a.mov_imm(args[2], i64::from(vtype) | i64::from(index) << 8);
                self.call_positioned(helper::BOX, at);
            }
            VOp::Unbox { dst, src, vtype } => {
                let at = self.here();
                self.materialize_all();
                let index = self.word_index(src);
                self.a.mov_imm(args[1], i64::from(index));
                self.a.mov_imm(args[2], i64::from(vtype));
                self.call_positioned(helper::UNBOX, at);
                self.define_helper_value(dst);
            }
            VOp::DivMod { dst, a, b, modulo } => {
                let at = self.here();
                self.materialize_all();
                self.a.mov_reg(args[0], self.regs.ctx);
                self.load_mem_or_reg(args[1], a);
                self.load_mem_or_reg(args[2], b);
                self.a.mov_imm(args[3], i64::from(modulo));
                self.call_checked(helper::DIVMOD, at);
                self.drop_from(b);
                self.define_helper_value(dst);
            }
        }
    }

    /// `dst = a op b`: `a` in a register the result replaces, `b` folded in
    /// as an immediate where the instruction takes it.
    fn arith(&mut self, op: Arith, dst: Slot, a: Slot, b: Slot) {
        let mut ra = if dst == a {
            self.take(a, &[])
        } else {
            let x = self.read(a, &[]);
            let t = self.alloc(&[x]);
            self.a.mov_reg(t, x);
            t
        };
        // A constant right operand goes in the instruction where the result
        // is the same (shift counts inside the word's bits).
        let imm = match self.pending_of(b) {
            Some(Pending::Imm(v)) => i32::try_from(v).ok(),
            _ => None,
        };
        let bits = (A::WORD_BYTES * 8) as i32;
        match (op, imm) {
            (Arith::Bin(op), Some(v)) => {
                let s = if A::binop_imm_needs_scratch(op, ra, v) { self.alloc(&[ra]) } else { ra };
                self.a.binop_imm(op, ra, v, s);
            }
            (Arith::Shift(op), Some(v)) if (1..bits).contains(&v) => {
                let s = if A::shift_imm_needs_scratch(ra, v as u8) { self.alloc(&[ra]) } else { ra };
                self.a.shift_imm(op, ra, v as u8, s);
            }
            (Arith::Bin(op), _) => {
                let rb = self.read(b, &[ra]);
                self.a.binop(op, ra, rb);
            }
            (Arith::Shift(op), _) => {
                let rb = self.read(b, &[ra]);
                match A::SHIFT_COUNT {
                    // The count goes where the instruction wants it.
                    Some(c) if self.regs.pool.contains(&c) => {
                        if ra == c {
                            let n = self.alloc(&[c, rb]);
                            self.a.mov_reg(n, ra);
                            ra = n;
                        }
                        if rb != c {
                            self.claim(c, &[ra, rb]);
                            self.a.mov_reg(c, rb);
                        }
                        self.a.shift(op, ra, c);
                    }
                    _ => self.a.shift(op, ra, rb),
                }
            }
        }
        self.drop_from(b);
        self.define(dst, ra);
    }

    /// `local = a op b` where `a` is a copy of `local` in a register (`x +=
    /// y`, `x = x * y`): computed in the local's register, without a copy;
    /// false (nothing emitted) for other operands.
    pub(super) fn arith_into_local(&mut self, op: Arith, a: Slot, b: Slot, local: u32) -> bool {
        let Some(lr) = self.local_reg(Slot::Local(local)) else { return false };
        if self.pending_of(a) != Some(Pending::Local(local)) {
            return false;
        }
        // `b` is read before the local changes, and so are other copies of it.
        self.drop_from_exact(a);
        let imm = match self.pending_of(b) {
            Some(Pending::Imm(v)) => i32::try_from(v).ok(),
            _ => None,
        };
        let bits = (A::WORD_BYTES * 8) as i32;
        match (op, imm) {
            (Arith::Bin(op), Some(v)) => {
                self.materialize_copies_of(local, &[]);
                let s = if A::binop_imm_needs_scratch(op, lr, v) { self.alloc(&[]) } else { lr };
                self.a.binop_imm(op, lr, v, s);
            }
            (Arith::Shift(op), Some(v)) if (1..bits).contains(&v) => {
                self.materialize_copies_of(local, &[]);
                let s = if A::shift_imm_needs_scratch(lr, v as u8) { self.alloc(&[]) } else { lr };
                self.a.shift_imm(op, lr, v as u8, s);
            }
            (Arith::Bin(op), _) => {
                let rb = self.read(b, &[]);
                self.materialize_copies_of(local, &[rb]);
                self.a.binop(op, lr, rb);
            }
            (Arith::Shift(op), _) => {
                let rb = self.read(b, &[]);
                self.materialize_copies_of(local, &[rb]);
                match A::SHIFT_COUNT {
                    Some(c) if self.regs.pool.contains(&c) => {
                        if rb != c {
                            self.claim(c, &[rb]);
                            self.a.mov_reg(c, rb);
                        }
                        self.a.shift(op, lr, c);
                    }
                    _ => self.a.shift(op, lr, rb),
                }
            }
        }
        // The store popped the result's slot.
        self.drop_from(a);
        true
    }

    /// Forgets the entry of slot `slot` only.
    fn drop_from_exact(&mut self, slot: Slot) {
        if let Slot::Stack(k) = slot {
            self.pending.retain(|(s, _)| *s != k);
        }
    }

    /// A pointer index as an address offset (a constant that fits) or in a
    /// register not in `avoid`.
    fn index_operand(&mut self, index: Index, avoid: &[A::Reg]) -> IndexOp<A::Reg> {
        match index {
            Index::Const(i) => match i32::try_from(i) {
                Ok(i) => IndexOp::Offset(i),
                Err(_) => {
                    let t = self.alloc(avoid);
                    self.a.mov_imm(t, i);
                    IndexOp::Reg(t)
                }
            },
            Index::Slot(s) => IndexOp::Reg(self.read(s, avoid)),
        }
    }

    /// A comparison whose only use is the conditional jump after it: compare
    /// and branch, without the 0/1 value.
    pub(super) fn compare_branch(&mut self, cond: Cond, a: Slot, b: Slot, when: bool, label: EmitLabel) {
        let at = self.here();
        let target = self.jump_target(label, at);
        let ra = self.read(a, &[]);
        let imm = match self.pending_of(b) {
            Some(Pending::Imm(v)) => i32::try_from(v).ok(),
            _ => None,
        };
        let cond = if when { cond } else { cond.negate() };
        // Both operands are consumed; the rest goes to memory before the jump.
        match imm {
            Some(v) => {
                self.drop_from(a);
                self.flush(&[ra]);
                let s = self.alloc(&[ra]);
                self.a.jump_if_cond_imm(cond, ra, v, s, target);
            }
            None => {
                let rb = self.read(b, &[ra]);
                self.drop_from(a);
                self.flush(&[ra, rb]);
                let s = self.alloc(&[ra, rb]);
                self.a.jump_if_cond(cond, ra, rb, s, target);
            }
        }
    }
}

/// The first instruction index where `local` may hold a value: its first
/// write, or the head of a loop that may bring that value back to an earlier
/// instruction. Calls before it need not keep the local.
fn born(ir: &[Ir], local: u32) -> usize {
    let dst = Slot::Local(local);
    let Some(first) = ir.iter().position(|i| match i {
        Ir::Viper(v) => match *v {
            VOp::Imm { dst: d, .. }
            | VOp::Copy { dst: d, .. }
            | VOp::Arith { dst: d, .. }
            | VOp::Compare { dst: d, .. }
            | VOp::Load { dst: d, .. }
            | VOp::Unbox { dst: d, .. }
            | VOp::DivMod { dst: d, .. } => d == dst,
            VOp::Neg { slot } | VOp::Invert { slot } => slot == dst,
            _ => false,
        },
        _ => false,
    }) else {
        return 0;
    };
    // Control comes back above `born` only through a jump back from a later
    // instruction: every loop ending at or after `born` may bring the value
    // to its head (to a fixed point, whatever the loops' nesting).
    let loops = loop_ranges(ir);
    let mut born = first;
    loop {
        let earlier = loops.iter().filter(|r| r.end > born).map(|r| r.start).fold(born, usize::min);
        if earlier == born {
            return born;
        }
        born = earlier;
    }
}

/// The loops of `ir`: from a label to the last jump back to it.
fn loop_ranges(ir: &[Ir]) -> Vec<core::ops::Range<usize>> {
    // (label, its index, the index of the last jump back to it)
    let mut loops: Vec<(EmitLabel, usize, Option<usize>)> = Vec::new();
    for (i, ins) in ir.iter().enumerate() {
        match ins {
            Ir::Label { label, .. } => loops.push((*label, i, None)),
            Ir::Jump { label } | Ir::CondJump { label, .. } | Ir::Viper(VOp::Branch { label, .. }) => {
                if let Some(l) = loops.iter_mut().find(|(l, _, _)| l == label) {
                    l.2 = Some(i);
                }
            }
            _ => {}
        }
    }
    loops.into_iter().filter_map(|(_, start, end)| end.map(|e| start..e + 1)).collect()
}

/// For each instruction, how many loops contain it: a loop runs from a label
/// to the last jump back to it.
fn loop_depths(ir: &[Ir]) -> Vec<u32> {
    let mut depth = vec![0u32; ir.len()];
    for r in loop_ranges(ir) {
        for d in &mut depth[r] {
            *d += 1;
        }
    }
    depth
}
