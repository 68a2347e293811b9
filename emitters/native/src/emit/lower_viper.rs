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
//! Native locals and loop-carried stack slots may have a register home
//! instead of their slot (see `homes`); an entry may then name the home.
//! Helpers that convert or divide return a status; a failure goes through a
//! stub that records the operation's position for the traceback.

use ferropy_bytecode::native_abi::{helper, obj_word, vtype as abi_vtype, CTX_VALUE};
use ferropy_frontend::emit::Label as EmitLabel;

use alloc::vec::Vec;

use super::lower::{Lowerer, Stub};
use super::viper::{Arith, Index, Slot, VOp};
use super::AsmFactory;
use crate::asm::{BinOp, Cond, ShiftOp, Width};

/// Where a stack slot's value is while it is not in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pending<R> {
    /// The constant.
    Imm(i64),
    /// The value of this local, or of this stack slot with a register home
    /// (valid until that slot is written).
    Of(Slot),
    /// In this pool register (several slots may share one, after a `dup`).
    Reg(R),
}

/// Pointer index operand: an address offset or a register.
enum IndexOp<R> {
    Offset(i32),
    Reg(R),
}

impl<A: AsmFactory> Lowerer<A> {
    /// Index of a word slot.
    pub(super) fn word_index(&self, slot: Slot) -> i32 {
        match slot {
            Slot::Stack(n) => n as i32,
            Slot::Local(n) => self.local_slot(n),
        }
    }

    /// The entry of stack slot `slot` (see [`Pending`]).
    pub(super) fn pending_entry(&self, slot: Slot) -> Option<Pending<A::Reg>> {
        self.pending_of(slot)
    }

    /// Sets stack slot `k`'s entry.
    pub(super) fn put_entry(&mut self, k: u32, p: Pending<A::Reg>) {
        self.put(k, p);
    }

    /// A register holding `slot`'s value (see `read`).
    pub(super) fn read_slot(&mut self, slot: Slot) -> A::Reg {
        self.read(slot, &[])
    }

    /// A free pool register not in `avoid`.
    pub(super) fn alloc_reg(&mut self, avoid: &[A::Reg]) -> A::Reg {
        self.alloc(avoid)
    }

    fn pending_of(&self, slot: Slot) -> Option<Pending<A::Reg>> {
        let Slot::Stack(k) = slot else { return None };
        self.pending.iter().find(|(s, _)| *s == k).map(|&(_, p)| p)
    }

    /// Stack slot `k` now holds `p`: an entry, or for a slot with a home, in
    /// its register (a constant stays an entry there too, written to the
    /// home only when the entries are flushed, so it still folds into the
    /// instruction that consumes it).
    fn put(&mut self, k: u32, p: Pending<A::Reg>) {
        let slot = Slot::Stack(k);
        if self.home(slot).is_some() {
            match p {
                Pending::Imm(_) => self.materialize_copies_of(slot, &[]),
                Pending::Reg(r) => return self.define(slot, r),
                Pending::Of(s) => {
                    let r = self.read(s, &[]);
                    return self.define(slot, r);
                }
            }
        }
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

    /// Forgets the entry of slot `slot` only.
    fn drop_exact(&mut self, slot: Slot) {
        if let Slot::Stack(k) = slot {
            self.pending.retain(|(s, _)| *s != k);
        }
    }

    fn holds(&self, reg: A::Reg) -> bool {
        self.pending.iter().any(|(_, p)| *p == Pending::Reg(reg)) || self.cached_locals.iter().any(|&(_, r)| r == reg)
    }

    /// True if block-local `n` is read later (before instruction `index`).
    fn local_live(&self, n: u32) -> bool {
        self.block_locals
            .iter()
            .find(|(b, _)| *b == n)
            .and_then(|(_, live)| live.get(self.index))
            .copied()
            .unwrap_or(true)
    }

    fn cached(&self, n: u32) -> Option<A::Reg> {
        self.cached_locals.iter().find(|(l, _)| *l == n).map(|&(_, r)| r)
    }

    /// Forgets the cached locals no later instruction reads (stack slots
    /// that copy one keep its register).
    pub(super) fn drop_dead_locals(&mut self) {
        let dead: Vec<(u32, A::Reg)> =
            self.cached_locals.iter().copied().filter(|&(n, _)| !self.local_live(n)).collect();
        for (n, r) in dead {
            for (_, p) in self.pending.iter_mut() {
                if *p == Pending::Of(Slot::Local(n)) {
                    *p = Pending::Reg(r);
                }
            }
            self.cached_locals.retain(|&(l, _)| l != n);
        }
    }

    /// Writes the cached locals to their slots and forgets them (a dead
    /// one is only handed to the stack slots that copy it).
    fn write_back_locals(&mut self) {
        self.drop_dead_locals();
        let w = self.regs.words;
        for (n, r) in core::mem::take(&mut self.cached_locals) {
            let i = self.local_slot(n);
            self.a.store(Width::Word, r, w, i);
        }
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
        if let Some(&(_, r)) = self.cached_locals.iter().find(|(_, r)| !avoid.contains(r)) {
            self.spill(r);
            if !self.holds(r) {
                return r;
            }
        }
        let victim = self
            .pending
            .iter()
            .filter_map(|&(k, p)| match p {
                // (An entry may name a register outside the pool, a derived
                // base: spilling it would free nothing the pool may hand out.)
                Pending::Reg(r) if !avoid.contains(&r) && self.regs.pool.contains(&r) => Some((k, r)),
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
        let (locals, rest): (Vec<_>, Vec<_>) =
            core::mem::take(&mut self.cached_locals).into_iter().partition(|&(_, r)| r == reg);
        self.cached_locals = rest;
        for (n, _) in locals {
            let i = self.local_slot(n);
            self.a.store(Width::Word, reg, w, i);
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
        for (_, r) in self.cached_locals.iter_mut() {
            if *r == reg {
                *r = n;
            }
        }
    }

    /// Writes every cached slot to memory, leaving the registers in `keep`
    /// unchanged (other pool registers may change).
    pub(super) fn flush(&mut self, keep: &[A::Reg]) {
        self.write_back_locals();
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
                // Constants of homed slots go to their homes, after every
                // copy has read the homes' current values.
                Pending::Imm(_) if self.home(Slot::Stack(k)).is_some() => continue,
                Pending::Of(s) => match self.home(s) {
                    Some(h) => h,
                    None => {
                        let t = self.alloc(keep);
                        let i = self.word_index(s);
                        self.a.load(Width::Word, t, w, i);
                        t
                    }
                },
                Pending::Imm(v) => {
                    let t = self.alloc(keep);
                    self.a.mov_imm(t, v);
                    t
                }
            };
            self.a.store(Width::Word, src, w, k as i32);
        }
        for &(k, p) in &entries {
            if let (Pending::Imm(v), Some(h)) = (p, self.home(Slot::Stack(k))) {
                self.a.mov_imm(h, v);
            }
        }
    }

    /// Writes every cached slot to memory (any pool register may change).
    pub(super) fn materialize_all(&mut self) {
        self.flush(&[]);
    }

    /// Before `slot` (a local or a stack slot with a home) changes: the stack
    /// slots that copy it get its current value in a register (one for all).
    fn materialize_copies_of(&mut self, slot: Slot, avoid: &[A::Reg]) {
        self.materialize_exact_copies_of(slot, avoid);
        // A loop variable shares its counter's home (`homes`): copies of
        // either see the register change.
        let Some(home) = self.home(slot) else { return };
        let sharing: Vec<Slot> = self
            .pending
            .iter()
            .filter_map(|&(_, p)| match p {
                Pending::Of(s) if s != slot && self.home(s) == Some(home) => Some(s),
                _ => None,
            })
            .collect();
        for s in sharing {
            self.materialize_exact_copies_of(s, avoid);
        }
    }

    fn materialize_exact_copies_of(&mut self, slot: Slot, avoid: &[A::Reg]) {
        if !self.pending.iter().any(|(_, p)| *p == Pending::Of(slot)) {
            return;
        }
        let t = self.alloc(avoid);
        match self.pending_of(slot) {
            Some(Pending::Imm(v)) => self.a.mov_imm(t, v),
            _ => self.load_word(t, slot),
        }
        for (_, p) in self.pending.iter_mut() {
            if *p == Pending::Of(slot) {
                *p = Pending::Reg(t);
            }
        }
    }

    /// `dst = slot` from its home register or its slot in memory (ignores
    /// entries: for slots known to be in memory, and locals).
    pub(super) fn load_word(&mut self, dst: A::Reg, slot: Slot) {
        if let Some(r) = self.home(slot).or_else(|| match slot {
            Slot::Local(n) => self.cached(n),
            Slot::Stack(_) => None,
        }) {
            self.a.mov_reg(dst, r);
            return;
        }
        let (w, i) = (self.regs.words, self.word_index(slot));
        self.a.load(Width::Word, dst, w, i);
    }

    /// `slot = src` into its home register or its slot in memory (ignores
    /// entries: for the generic shuffles, which run with every entry
    /// flushed).
    pub(super) fn store_word(&mut self, slot: Slot, src: A::Reg) {
        if let Slot::Local(n) = slot {
            self.cached_locals.retain(|&(l, _)| l != n);
        }
        if let Some(r) = self.home(slot) {
            self.a.mov_reg(r, src);
            return;
        }
        let (w, i) = (self.regs.words, self.word_index(slot));
        self.a.store(Width::Word, src, w, i);
    }

    /// A register holding `slot`'s value, to read only: its cache register,
    /// its home, or a pool register not in `avoid` loaded with it.
    fn read(&mut self, slot: Slot, avoid: &[A::Reg]) -> A::Reg {
        match self.pending_of(slot) {
            Some(Pending::Reg(r)) => return r,
            Some(Pending::Imm(v)) => {
                let t = self.alloc(avoid);
                self.a.mov_imm(t, v);
                return t;
            }
            Some(Pending::Of(s)) => return self.read(s, avoid),
            None => {}
        }
        if let Some(r) = self.home(slot) {
            return r;
        }
        if let Some(r) = match slot {
            Slot::Local(n) => self.cached(n),
            Slot::Stack(_) => None,
        } {
            return r;
        }
        let t = self.alloc(avoid);
        self.load_word(t, slot);
        t
    }

    /// A pool register not in `avoid` holding `slot`'s value that the caller
    /// may overwrite; `slot`'s own entry is dropped.
    fn take(&mut self, slot: Slot, avoid: &[A::Reg]) -> A::Reg {
        let p = self.pending_of(slot);
        self.drop_exact(slot);
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
            Some(Pending::Of(s)) => {
                let t = self.alloc(avoid);
                self.load_word(t, s);
                t
            }
            None => {
                let t = self.alloc(avoid);
                self.load_word(t, slot);
                t
            }
        }
    }

    /// `dst = reg`: a stack slot without a home is cached in `reg`; a home
    /// or a local's slot is written.
    fn define(&mut self, dst: Slot, reg: A::Reg) {
        if let (Slot::Stack(k), None) = (dst, self.home(dst)) {
            self.pending.retain(|(s, _)| *s != k);
            self.pending.push((k, Pending::Reg(reg)));
            return;
        }
        self.materialize_copies_of(dst, &[reg]);
        self.drop_exact(dst);
        if let Slot::Local(n) = dst {
            self.cached_locals.retain(|&(l, _)| l != n);
            if self.home(dst).is_none()
                && self.block_locals.iter().any(|(b, _)| *b == n)
                && self.regs.pool.contains(&reg)
            {
                self.cached_locals.push((n, reg));
                return;
            }
        }
        match self.home(dst) {
            Some(r) => self.a.mov_reg(r, reg),
            None => {
                let (w, i) = (self.regs.words, self.word_index(dst));
                self.a.store(Width::Word, reg, w, i);
            }
        }
    }

    /// Calls helper `index` (arguments already set) and branches to a
    /// failure stub for operation `at` on a non-zero status.
    fn call_checked(&mut self, index: usize, at: crate::buffer::Label) {
        self.save_volatile_homes();
        self.a.call_table(index);
        let entry = self.a.new_label();
        self.a.jump_if_nonzero(A::RET, false, entry);
        self.stubs.push(Stub::Failed { entry, at });
        self.restore_volatile_homes();
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
            // Constants and copies of homed slots into stack slots are
            // deferred.
            VOp::Imm { dst: Slot::Stack(k), value } => self.put(k, Pending::Imm(value)),
            VOp::Copy { dst: Slot::Stack(k), src } if src == Slot::Stack(k) => {}
            VOp::Copy { dst: Slot::Stack(k), src } if matches!(src, Slot::Local(_)) || self.home(src).is_some() => {
                // A homed slot may hold a constant entry: copy that.
                let p = self.pending_of(src).unwrap_or(Pending::Of(src));
                if let Slot::Stack(j) = src {
                    if j > k {
                        // A cast's operand or a shuffle's temporary: dead
                        // once copied (its home keeps the value).
                        self.drop_exact(src);
                    }
                }
                self.put(k, p);
            }
            VOp::Imm { dst, value } => match self.home(dst) {
                Some(r) => {
                    self.materialize_copies_of(dst, &[]);
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
                        self.load_word(t, Slot::Stack(j));
                        Pending::Reg(t)
                    }
                };
                if j > k {
                    // A cast's operand or a shuffle's temporary (the top in
                    // recorded code): dead now.
                    self.drop_exact(Slot::Stack(j));
                }
                self.put(k, p);
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
                self.check_before_operands(&[slot], label);
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
                let rd = match idx {
                    IndexOp::Reg(r) => self.alloc(&[rb, r]),
                    IndexOp::Offset(_) => self.alloc(&[rb]),
                };
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
                // The helper writes the object slot; small ints and bools
                // are written inline.
                let at = self.here();
                self.materialize_all();
                let index = self.word_index(slot);
                self.load_word(args[1], slot);
                if A::INLINE_SMALL_INTS && vtype == abi_vtype::BOOL {
                    self.box_bool_inline(args[1], index);
                    return;
                }
                let done = self.box_small_int_inline(args[1], vtype, index);
                self.a.mov_imm(args[2], i64::from(vtype) | i64::from(index) << 8);
                self.call_positioned(helper::BOX, at);
                if let Some(done) = done {
                    self.a.bind(done);
                }
            }
            VOp::Unbox { dst, src, vtype } => {
                let at = self.here();
                self.materialize_all();
                let index = self.word_index(src);
                let r0 = self.regs.r[0];
                let done = self.unbox_small_int_inline(r0, vtype, index);
                self.a.mov_imm(args[1], i64::from(index));
                self.a.mov_imm(args[2], i64::from(vtype));
                self.call_positioned(helper::UNBOX, at);
                let ctx = self.regs.ctx;
                self.a.load(Width::Word, r0, ctx, CTX_VALUE);
                if let Some(done) = done {
                    self.a.bind(done);
                }
                self.define(dst, r0);
            }
            VOp::Select { dst, cond, a, b, pop } => {
                let rc = self.read(cond, &[]);
                let ra = self.read(a, &[rc]);
                let rd = self.take(b, &[rc, ra]);
                self.a.move_if_nonzero(rd, ra, rc);
                if matches!(a, Slot::Stack(_)) && a != dst {
                    self.drop_exact(a);
                }
                if pop && cond != dst {
                    self.drop_exact(cond);
                }
                self.define(dst, rd);
            }
            VOp::DivMod { dst, a, b, modulo } if self.divisor(b).is_some() => {
                let v = self.divisor(b).unwrap_or(1);
                self.divmod_inline(dst, a, b, v, modulo);
            }
            VOp::DivMod { dst, a, b, modulo } => {
                // The operands go straight to the argument registers; the
                // rest of the stack to memory.
                let at = self.here();
                let ra = self.read(a, &[]);
                let imm = match self.pending_of(b) {
                    Some(Pending::Imm(v)) => Some(v),
                    _ => None,
                };
                let rb = match imm {
                    Some(_) => ra,
                    None => self.read(b, &[ra]),
                };
                self.drop_from(a);
                self.flush(&[ra, rb]);
                let rb = if imm.is_none() && rb == args[1] {
                    // Out of the way of the first operand.
                    let t = self.alloc(&[ra, rb, args[1], args[2]]);
                    self.a.mov_reg(t, rb);
                    t
                } else {
                    rb
                };
                self.a.mov_reg(args[1], ra);
                match imm {
                    Some(v) => self.a.mov_imm(args[2], v),
                    None => self.a.mov_reg(args[2], rb),
                }
                self.a.mov_reg(args[0], self.regs.ctx);
                self.a.mov_imm(args[3], i64::from(modulo));
                self.call_checked(helper::DIVMOD, at);
                self.define_helper_value(dst);
            }
        }
    }

    /// Writes the object of viper bool `v` (any word: a `bool(x)` cast keeps
    /// `x`; non-zero is true) to object slot `index`: `False` and `True` are
    /// 16 apart.
    fn box_bool_inline(&mut self, v: A::Reg, index: i32) {
        const _: () = assert!(obj_word::TRUE - obj_word::FALSE == 1 << 4);
        let t = self.alloc(&[v]);
        self.a.mov_imm(t, 0);
        self.a.set_cond(Cond::Ne, v, v, t);
        self.a.shift_imm(ShiftOp::Shl, v, 4, t);
        let s = if A::binop_imm_needs_scratch(BinOp::Add, v, obj_word::FALSE as i32) { t } else { v };
        self.a.binop_imm(BinOp::Add, v, obj_word::FALSE as i32, s);
        self.store_obj(index, v);
    }

    /// For an `int` or `uint` value `v` that fits a small int: writes the
    /// small int to object slot `index` and jumps to the returned label,
    /// placed by the caller after its helper call (the slow path, which
    /// falls out of this code with `v` unchanged). `None` for other types.
    fn box_small_int_inline(&mut self, v: A::Reg, vtype: u8, index: i32) -> Option<crate::buffer::Label> {
        if !A::INLINE_SMALL_INTS || !matches!(vtype, abi_vtype::INT | abi_vtype::UINT) {
            return None;
        }
        let bits = A::WORD_BYTES * 8;
        let drop = (bits - obj_word::SMALL_INT_BITS) as u8;
        let (slow, done) = (self.a.new_label(), self.a.new_label());
        let t = self.alloc(&[v]);
        let s = self.alloc(&[v, t]);
        self.a.mov_reg(t, v);
        match vtype {
            abi_vtype::INT => {
                // Fits if sign-extending its low 31 bits gives it back.
                self.a.shift_imm(ShiftOp::Shl, t, drop, s);
                self.a.shift_imm(ShiftOp::Sar, t, drop, s);
                self.a.jump_if_cond(Cond::Ne, t, v, s, slow);
            }
            _ => {
                self.a.shift_imm(ShiftOp::Shr, t, (obj_word::SMALL_INT_BITS - 1) as u8, s);
                self.a.jump_if_nonzero(t, false, slow);
            }
        }
        self.a.mov_reg(t, v);
        self.a.binop(BinOp::Add, t, v);
        let s2 = if A::binop_imm_needs_scratch(BinOp::Or, t, 1) { s } else { t };
        self.a.binop_imm(BinOp::Or, t, obj_word::SMALL_INT_TAG as i32, s2);
        self.store_obj(index, t);
        self.a.jump(done);
        self.a.bind(slow);
        Some(done)
    }

    /// For `int` and `uint`: if object slot `index` holds a small int, its
    /// value into `dst` and a jump to the returned label, placed by the
    /// caller after its helper call (the slow path, which falls out of this
    /// code). `None` for other types.
    fn unbox_small_int_inline(&mut self, dst: A::Reg, vtype: u8, index: i32) -> Option<crate::buffer::Label> {
        if !A::INLINE_SMALL_INTS || !matches!(vtype, abi_vtype::INT | abi_vtype::UINT) {
            return None;
        }
        let bits = (A::WORD_BYTES * 8) as u8;
        let (slow, done) = (self.a.new_label(), self.a.new_label());
        let s = self.alloc(&[dst]);
        let state = self.regs.state;
        self.a.load(Width::U32, dst, state, index);
        self.a.jump_if_bits(dst, obj_word::SMALL_INT_TAG as i32, false, s, slow);
        // Sign-extend the 32-bit word, then drop the tag.
        if bits > 32 {
            self.a.shift_imm(ShiftOp::Shl, dst, bits - 32, s);
            self.a.shift_imm(ShiftOp::Sar, dst, bits - 31, s);
        } else {
            self.a.shift_imm(ShiftOp::Sar, dst, 1, s);
        }
        self.a.jump(done);
        self.a.bind(slow);
        Some(done)
    }

    /// `dst = a op b`: `a` in a register the result replaces (or, for a slot
    /// with a home, the home itself), `b` folded in as an immediate where the
    /// instruction takes it.
    fn arith(&mut self, op: Arith, dst: Slot, a: Slot, b: Slot) {
        let b_reg = match self.pending_of(b) {
            Some(Pending::Reg(r)) => Some(r),
            _ => None,
        };
        self.arith_only(op, dst, a, b);
        // The right operand's register, if nothing holds it any more, is
        // not read again (an assembler may fuse its computation into the
        // operation, as `mul` + `add` into `mla`).
        if let Some(r) = b_reg.filter(|&r| !self.holds(r) && self.regs.pool.contains(&r)) {
            self.a.dead(r);
        }
    }

    fn arith_only(&mut self, op: Arith, dst: Slot, a: Slot, b: Slot) {
        if dst == a && self.pending_of(a).is_none() {
            if let Some(h) = self.home(a) {
                // A home is never the shift-count register.
                self.arith_in(op, h, a, b);
                self.drop_from(b);
                return;
            }
        }
        // The left operand's home, when the result goes elsewhere (a copy
        // of the home is computed on).
        let from_home = match self.pending_of(a) {
            Some(Pending::Of(s)) if dst == a => self.home(s),
            _ => None,
        };
        let b_imm = matches!(self.pending_of(b), Some(Pending::Imm(_)));
        if let (Arith::Bin(bop), false, true) = (op, b_imm, dst != a || from_home.is_some()) {
            // The right operand first, so that the copy of the left one
            // comes right before the operation (which an assembler with
            // three-operand forms may fuse into one instruction).
            let x = match from_home {
                Some(h) => {
                    self.drop_exact(a);
                    h
                }
                None => self.read(a, &[]),
            };
            let rb = self.read(b, &[x]);
            let t = self.alloc(&[x, rb]);
            self.a.mov_reg(t, x);
            self.a.binop(bop, t, rb);
            self.drop_from(b);
            self.define(dst, t);
            return;
        }
        let ra = if dst == a {
            self.take(a, &[])
        } else {
            let x = self.read(a, &[]);
            let t = self.alloc(&[x]);
            self.a.mov_reg(t, x);
            t
        };
        let ra = self.arith_in(op, ra, a, b);
        self.drop_from(b);
        self.define(dst, ra);
    }

    /// `target = target op b`, `target` the register of `a`'s new value: a
    /// pool register the caller owns, or the home register of `a` (whose
    /// copies keep the old value).
    /// Returns the register holding the result (`target`, unless a shift
    /// count had to take its place).
    fn arith_in(&mut self, op: Arith, mut target: A::Reg, a: Slot, b: Slot) -> A::Reg {
        let in_home = self.home(a) == Some(target);
        // A constant right operand goes in the instruction where the result
        // is the same (shift counts inside the word's bits).
        let imm = match self.pending_of(b) {
            Some(Pending::Imm(v)) => i32::try_from(v).ok(),
            _ => None,
        };
        let bits = (A::WORD_BYTES * 8) as i32;
        match (op, imm) {
            (Arith::Bin(op), Some(v)) => {
                if in_home {
                    self.materialize_copies_of(a, &[]);
                }
                let s = if A::binop_imm_needs_scratch(op, target, v) { self.alloc(&[target]) } else { target };
                self.a.binop_imm(op, target, v, s);
            }
            (Arith::Shift(op), Some(v)) if (1..bits).contains(&v) => {
                if in_home {
                    self.materialize_copies_of(a, &[]);
                }
                let s = if A::shift_imm_needs_scratch(target, v as u8) { self.alloc(&[target]) } else { target };
                self.a.shift_imm(op, target, v as u8, s);
            }
            (Arith::Bin(op), _) => {
                let rb = self.read(b, &[target]);
                if in_home {
                    self.materialize_copies_of(a, &[rb]);
                }
                self.a.binop(op, target, rb);
            }
            (Arith::Shift(op), _) => {
                let rb = self.read(b, &[target]);
                if in_home {
                    self.materialize_copies_of(a, &[rb]);
                }
                match A::SHIFT_COUNT {
                    // The count goes where the instruction wants it.
                    Some(c) if self.regs.pool.contains(&c) => {
                        if target == c {
                            let n = self.alloc(&[c, rb]);
                            self.a.mov_reg(n, target);
                            target = n;
                        }
                        if rb != c {
                            self.claim(c, &[target, rb]);
                            self.a.mov_reg(c, rb);
                        }
                        self.a.shift(op, target, c);
                    }
                    _ => self.a.shift(op, target, rb),
                }
            }
        }
        target
    }

    /// `local = a op b` where `a` is a copy of `local`, which has a home (`x
    /// += y`, `x = x * y`): computed in the home, without a copy; false
    /// (nothing emitted) for other operands.
    pub(super) fn arith_into_local(&mut self, op: Arith, a: Slot, b: Slot, local: u32) -> bool {
        let l = Slot::Local(local);
        let Some(h) = self.home(l) else { return false };
        if self.pending_of(a) != Some(Pending::Of(l)) || self.home(a).is_some() {
            return false;
        }
        self.drop_exact(a);
        self.arith_in(op, h, l, b);
        // The store popped the result's slot.
        self.drop_from(a);
        true
    }

    /// True when `//` and `%` by a positive constant are computed inline: the
    /// ISA divides, or multiplies 64-bit words into a double word.
    pub(super) const DIVIDES_INLINE: bool = A::SDIV || (A::MULHI && A::WORD_BYTES == 8);

    /// The constant divisor of a `//` or `%` computed inline: a positive
    /// one (no zero division, no overflow), where the ISA divides or, on
    /// 64-bit words, multiplies into a double word.
    fn divisor(&self, b: Slot) -> Option<i64> {
        match self.pending_of(b) {
            Some(Pending::Imm(v)) if Self::DIVIDES_INLINE && v > 0 && i32::try_from(v).is_ok() => Some(v),
            _ => None,
        }
    }

    /// `dst = a // v` or `a % v` for a constant `v > 0`, with Python's
    /// rounding: the truncated quotient `q` and remainder `r = a - q * v`
    /// are corrected by the sign of `r` (`r < 0` only for negative `a`):
    /// `a // v = q + (r >> 63)`, `a % v = r + ((r >> 63) & v)`.
    ///
    /// A dividend known to be non-negative (`range`) needs no correction:
    /// truncation is Python's rounding there.
    fn divmod_inline(&mut self, dst: Slot, a: Slot, b: Slot, v: i64, modulo: bool) {
        let top = (A::WORD_BYTES * 8 - 1) as u8;
        let max = self.dividend_max.get(self.index).copied().flatten();
        // (`divisor` gave `v`: positive, within `i32`.)
        if modulo && super::range::small_remainder(max, v) {
            // x in [0, 2v): x % v is x, or x - v when x >= v.
            let x = self.take(a, &[]);
            self.drop_from(b);
            let t = self.alloc(&[x]);
            let s = self.alloc(&[x, t]);
            self.a.sub_if_at_least(x, v as i32, t, s);
            self.define(dst, x);
            return;
        }
        let nonneg = max.is_some();
        // The widening multiply's fixed registers, emptied first: the
        // quotient comes out in `hi`.
        let fixed = if A::SDIV || v <= 1 { None } else { A::MULHI_FIXED };
        let fixed_regs = fixed.map_or(Vec::new(), |(lo, hi)| alloc::vec![lo, hi]);
        let x = self.take(a, &fixed_regs);
        self.drop_from(b);
        if let Some((lo, hi)) = fixed {
            self.claim(lo, &[x, hi]);
            self.claim(hi, &[x, lo]);
        }
        let q = match fixed {
            Some((_, hi)) => hi,
            None => self.alloc(&[x]),
        };
        let mut avoid = fixed_regs;
        avoid.extend([x, q]);
        let vr = self.alloc(&avoid);
        if !A::SDIV && fixed.is_none() {
            self.a.mov_reg(q, x);
        }
        if A::SDIV {
            // The divisor before the copy of the dividend, which an
            // assembler may fuse with the division.
            self.a.mov_imm(vr, v);
            self.a.mov_reg(q, x);
            self.a.sdiv(q, vr);
        } else if v > 1 {
            // q = x / v by the magic multiplier (see `magic`), through `vr`.
            let (m, s) = super::magic::magic(v as u64);
            self.a.mov_imm(vr, m);
            match fixed {
                Some((lo, _)) => {
                    self.a.mov_reg(lo, x);
                    self.a.mulhi_s_fixed(vr);
                }
                None => self.a.mulhi_s(q, vr),
            }
            if m < 0 {
                self.a.binop(BinOp::Add, q, x);
            }
            if s > 0 {
                self.a.shift_imm(ShiftOp::Sar, q, s as u8, vr);
            }
            if !nonneg {
                self.a.mov_reg(vr, q);
                let s = if A::shift_imm_needs_scratch(vr, top) { self.alloc(&[x, q, vr]) } else { vr };
                self.a.shift_imm(ShiftOp::Shr, vr, top, s);
                self.a.binop(BinOp::Add, q, vr);
            }
            if modulo || !nonneg {
                self.a.mov_imm(vr, v);
            }
        } else {
            self.a.mov_imm(vr, v);
        }
        let result = if nonneg && modulo {
            self.a.binop(BinOp::Mul, q, vr);
            self.a.binop(BinOp::Sub, x, q);
            x
        } else if nonneg {
            q
        } else if modulo {
            self.a.binop(BinOp::Mul, q, vr);
            self.a.binop(BinOp::Sub, x, q);
            self.a.mov_reg(q, x);
            let s = if A::shift_imm_needs_scratch(q, top) { vr } else { q };
            self.a.shift_imm(ShiftOp::Sar, q, top, s);
            let s = if A::binop_imm_needs_scratch(BinOp::And, q, v as i32) { vr } else { q };
            self.a.binop_imm(BinOp::And, q, v as i32, s);
            self.a.binop(BinOp::Add, x, q);
            x
        } else {
            self.a.binop(BinOp::Mul, vr, q);
            self.a.binop(BinOp::Sub, x, vr);
            let s = if A::shift_imm_needs_scratch(x, top) { vr } else { x };
            self.a.shift_imm(ShiftOp::Sar, x, top, s);
            self.a.binop(BinOp::Add, q, x);
            q
        };
        self.define(dst, result);
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

    /// `if x & mask:` with a constant mask, whose only use is the conditional
    /// jump after it: a bit test and branch, without the `and`'s value; false
    /// (nothing emitted) for a mask that is not a constant.
    pub(super) fn test_branch(&mut self, a: Slot, b: Slot, when: bool, label: EmitLabel) -> bool {
        let Some(Pending::Imm(mask)) = self.pending_of(b) else { return false };
        let Ok(mask) = i32::try_from(mask) else { return false };
        self.check_before_operands(&[a, b], label);
        let at = self.here();
        let target = self.jump_target(label, at);
        let ra = self.read(a, &[]);
        self.drop_from(a);
        self.flush(&[ra]);
        let s = self.alloc(&[ra]);
        self.a.jump_if_bits(ra, mask, when, s, target);
        true
    }

    /// Before a conditional jump on the operands `ops` (stack slots) to
    /// `label`: if it goes backward, writes the other entries to memory and
    /// tests the interrupt flag first (see `Lowerer::check_first`), unless
    /// an operand is held in a pool register, which the check's call may
    /// change.
    fn check_before_operands(&mut self, ops: &[Slot], label: EmitLabel) {
        let in_pool = ops.iter().any(|&s| matches!(self.pending_of(s), Some(Pending::Reg(_))));
        if in_pool || !self.would_check_first(label) {
            return;
        }
        let is_op = |k: u32| ops.contains(&Slot::Stack(k));
        let (kept, rest): (Vec<_>, Vec<_>) =
            core::mem::take(&mut self.pending).into_iter().partition(|(k, _)| is_op(*k));
        self.pending = rest;
        self.flush(&[]);
        self.check_first(label);
        self.pending.extend(kept);
    }

    /// A comparison whose only use is the conditional jump after it: compare
    /// and branch, without the 0/1 value.
    pub(super) fn compare_branch(&mut self, cond: Cond, a: Slot, b: Slot, when: bool, label: EmitLabel) {
        self.check_before_operands(&[a, b], label);
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
