//! Register homes for viper: which word slots (native locals, and stack
//! slots that stay live across a loop, such as a `for ... in range()`
//! counter and bound) live in registers for the whole function instead of
//! the frame.
//!
//! The most used slots (uses inside loops weigh more; where
//! `Asm::HOMES_IN_LOOPS_ONLY` is set, a slot only used outside loops gets no
//! home) get the spare
//! callee-saved registers, then, where the ISA has more caller-saved
//! registers than the register cache needs ([`Regs::volatile`]), the
//! caller-saved ones, for slots used more often than calls happen: those are
//! stored to their slots before each call and loaded back after it. Only
//! functions that are never re-entered in the middle (no exception handlers,
//! no yields) get homes, so a register's value is never lost, as in
//! MicroPython's viper.
//!
//! [`Regs::volatile`]: super::lower::Regs

use alloc::vec;
use alloc::vec::Vec;
use core::ops::Range;

use ferropy_bytecode::opcode as op;
use ferropy_frontend::emit::Label as EmitLabel;

use super::ir::{Arg, Ir};
use super::lower::Lowerer;
use super::viper::{Arith, Index, Slot, VOp};
use super::AsmFactory;
use crate::asm::BinOp;

/// Operations between a loop's head and its backward jump count this many
/// times more than the others when slots compete for registers.
const LOOP_WEIGHT: usize = 8;

/// The word slot a viper operation writes, if any (`Box` reads its slot).
fn written(op: &VOp) -> Option<Slot> {
    op.written_slot()
}

/// True for instructions that call the runtime (`prev` is the instruction
/// before): `//` and `%` by a positive constant are inline where
/// `inline_div` says the ISA divides them inline (see
/// `Lowerer::DIVIDES_INLINE`).
fn calls(ins: &Ir, prev: Option<&Ir>, inline_div: bool) -> bool {
    match ins {
        Ir::Op { .. } | Ir::Binary { .. } | Ir::CondJump { .. } | Ir::LoadFast { .. } => true,
        Ir::Viper(VOp::DivMod { b, .. }) => !matches!(
            prev,
            Some(Ir::Viper(VOp::Imm { dst, value }))
                if inline_div && dst == b && *value > 0 && i32::try_from(*value).is_ok()
        ),
        Ir::Viper(v) => matches!(v, VOp::Box { .. } | VOp::Unbox { .. }),
        _ => false,
    }
}

impl<A: AsmFactory> Lowerer<A> {
    /// Chooses the register homes (see the module documentation).
    pub(super) fn assign_homes(&mut self, ir: &[Ir]) {
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
        let loops = loop_ranges(ir);
        let depth = loop_depths(ir.len(), &loops);
        // Stack slots below a loop head's depth stay live through the loop;
        // by instruction, that depth for the innermost loop around it (the
        // slots above it are the instruction's temporaries).
        let carried = carried_depths(ir, &loops);
        // Loop variables that can live in their counter's register.
        let aliases = loop_var_aliases(ir);
        let canon = |s: Slot| aliases.iter().find(|(l, _)| *l == s).map_or(s, |&(_, c)| c);
        let mut uses: Vec<(Slot, usize)> = Vec::new();
        // The slots used inside some loop.
        let mut in_loops: Vec<Slot> = Vec::new();
        // Calls, weighted as the uses: each costs a store and a load of every
        // slot in a caller-saved register.
        let mut n_calls = 0usize;
        for (i, ins) in ir.iter().enumerate() {
            let weight = LOOP_WEIGHT.saturating_pow(depth[i].min(3));
            if calls(ins, i.checked_sub(1).and_then(|p| ir.get(p)), Self::DIVIDES_INLINE) {
                n_calls += weight;
            }
            let Ir::Viper(v) = ins else { continue };
            for s in v.slots().map(canon) {
                if matches!(s, Slot::Stack(k) if k >= carried[i]) {
                    continue;
                }
                match uses.iter_mut().find(|(l, _)| *l == s) {
                    Some(u) => u.1 += weight,
                    None => uses.push((s, weight)),
                }
                if depth[i] > 0 && !in_loops.contains(&s) {
                    in_loops.push(s);
                }
            }
        }
        // Block-local temporaries stay in the register cache.
        uses.retain(|(s, _)| !matches!(s, Slot::Local(n) if self.block_locals.iter().any(|(b, _)| b == n)));
        if A::HOMES_IN_LOOPS_ONLY {
            // Outside loops each use runs once: a register saves little there.
            uses.retain(|(s, _)| in_loops.contains(s));
        }
        // Most used first; ties by slot, so the choice is deterministic.
        let key = |s: Slot| match s {
            Slot::Local(n) => (0, n),
            Slot::Stack(n) => (1, n),
        };
        uses.sort_by(|a, b| b.1.cmp(&a.1).then(key(a.0).cmp(&key(b.0))));
        // Derived pointer bases compete for the callee-saved registers only
        // (they have no slot to be saved to around a call).
        let mut derived = derived_bases::<A>(ir, &depth);
        derived.retain(|&(_, _, w)| w > 0);
        let (mut next_spare, mut next_volatile) = (0usize, 0usize);
        let mut slots_left = uses.iter().peekable();
        let mut derived_left = derived.iter().peekable();
        loop {
            let take_derived = match (slots_left.peek(), derived_left.peek()) {
                (Some(&&(_, n_uses)), Some(&&(_, _, w))) => w > n_uses,
                (None, Some(_)) => true,
                (_, None) => false,
            };
            if take_derived {
                let Some(&(local, offset, _)) = derived_left.next() else { break };
                if let Some(&r) = self.regs.spare.get(next_spare) {
                    next_spare += 1;
                    self.derived.push((local, offset, r));
                }
                continue;
            }
            let Some(&(slot, n_uses)) = slots_left.next() else { break };
            let reg = match self.regs.spare.get(next_spare) {
                Some(&r) => {
                    next_spare += 1;
                    r
                }
                // A caller-saved register pays off when the slot is used
                // more often than calls happen.
                None => match self.regs.volatile.get(next_volatile) {
                    Some(&r) if n_uses > 2 * n_calls => {
                        next_volatile += 1;
                        self.volatile_homes.push((slot, r, born(ir, &loops, slot)));
                        r
                    }
                    _ => break,
                },
            };
            self.homes.push((slot, reg));
        }
        // A loop variable shares its counter's home (see `loop_var_aliases`);
        // a caller-saved one is saved and restored through the counter.
        for &(local, counter) in &aliases {
            if let Some(r) = self.home(counter) {
                self.homes.push((local, r));
            }
        }
        // Those registers leave the cache's pool.
        let taken: Vec<A::Reg> = self.volatile_homes.iter().map(|&(_, r, _)| r).collect();
        self.regs.pool.retain(|r| !taken.contains(r));
    }

    /// The register home of `slot`, if it has one.
    pub(super) fn home(&self, slot: Slot) -> Option<A::Reg> {
        self.homes.iter().find(|(s, _)| *s == slot).map(|&(_, r)| r)
    }
}

/// Where `ir[k..k + 3]` is `index + c` or `index - c` (an immediate added to
/// or subtracted from the slot above a pointer access's base) feeding that
/// access: the base, the signed constant and the access's width.
fn offset_access(ir: &[Ir], k: usize) -> Option<(Slot, i64, crate::asm::Width)> {
    let (
        Some(Ir::Viper(VOp::Imm { dst: Slot::Stack(c_slot), value })),
        Some(Ir::Viper(VOp::Arith { op: Arith::Bin(op @ (BinOp::Add | BinOp::Sub)), dst: Slot::Stack(t), a, b })),
        Some(Ir::Viper(access)),
    ) = (ir.get(k), ir.get(k + 1), ir.get(k + 2))
    else {
        return None;
    };
    let value = if *op == BinOp::Sub { value.checked_neg()? } else { *value };
    let (t, c_slot) = (*t, *c_slot);
    if *a != Slot::Stack(t) || *b != Slot::Stack(c_slot) || c_slot != t + 1 || t == 0 {
        return None;
    }
    let base = Slot::Stack(t - 1);
    match *access {
        VOp::Load { width, base: b, index: Index::Slot(ix), .. }
        | VOp::Store { width, base: b, index: Index::Slot(ix), .. }
            if b == base && ix == Slot::Stack(t) =>
        {
            Some((base, value, width))
        }
        _ => None,
    }
}

/// The byte offset `c * size` of an access `p[i + c]` when a register may
/// hold `p + c * size` (small enough for an immediate add).
fn derived_offset<A: AsmFactory>(c: i64, width: crate::asm::Width) -> Option<i32> {
    let off = c.checked_mul(i64::from(width.bytes(A::WORD_BYTES)))?;
    let off = i32::try_from(off).ok().filter(|o| (-1024..=1024).contains(o) && *o != 0)?;
    Some(off)
}

/// Derived pointer bases: for accesses `p[i + c]` inside loops, with `p` a
/// native local written only by viper operations, a register may hold
/// `p + c * size` (updated after each write of `p`), so the access indexes
/// it with `i` and the addition goes. `(local, byte offset, weight)`: the
/// weight counts the accesses (loop-weighted) less the writes of `p` in
/// loops, most first.
fn derived_bases<A: AsmFactory>(ir: &[Ir], depth: &[u32]) -> Vec<(u32, i32, usize)> {
    let mut found: Vec<(u32, i32, usize)> = Vec::new();
    for k in 0..ir.len() {
        let Some((base, c, width)) = offset_access(ir, k) else { continue };
        if depth.get(k).copied().unwrap_or(0) == 0 {
            continue;
        }
        let Some(off) = derived_offset::<A>(c, width) else { continue };
        // The base's entry: the latest write of its stack slot.
        let Some(Ir::Viper(VOp::Copy { src: Slot::Local(n), .. })) = ir
            .get(..k)
            .and_then(|before| before.iter().rev().find(|i| matches!(i, Ir::Viper(v) if written(v) == Some(base))))
        else {
            continue;
        };
        let weight = LOOP_WEIGHT.saturating_pow(depth[k].min(3));
        match found.iter_mut().find(|(l, o, _)| l == n && *o == off) {
            Some(f) => f.2 += weight,
            None => found.push((*n, off, weight)),
        }
    }
    found.retain(|&(n, _, _)| {
        ir.iter().all(|i| match i {
            Ir::LoadFast { local, .. } | Ir::StoreFast { local, .. } => *local != n,
            Ir::Op { arg: Arg::Uint(l), .. } => *l != n as usize,
            _ => true,
        })
    });
    for f in &mut found {
        let writes: usize = ir
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i, Ir::Viper(v) if written(v) == Some(Slot::Local(f.0))))
            .map(|(k, _)| match depth.get(k).copied().unwrap_or(0) {
                0 => 0,
                d => LOOP_WEIGHT.saturating_pow(d.min(3)),
            })
            .sum();
        f.2 = f.2.saturating_sub(writes);
    }
    found.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    found
}

impl<A: AsmFactory> Lowerer<A> {
    /// At `ir[i]`, the `+ c` of an access `p[x + c]` whose base `p` has a
    /// derived home for `c`: the base entry becomes that register and the
    /// addition is skipped; the number of instructions consumed.
    pub(super) fn derived_access(&mut self, ir: &[Ir], i: usize) -> Option<usize> {
        if self.derived.is_empty() {
            return None;
        }
        let (base, c, width) = offset_access(ir, i)?;
        let off = derived_offset::<A>(c, width)?;
        let Slot::Stack(k) = base else { return None };
        if self.home(base).is_some() {
            return None;
        }
        let Some(super::lower_viper::Pending::Of(Slot::Local(n))) = self.pending_entry(base) else { return None };
        let &(_, _, r) = self.derived.iter().find(|&&(l, o, _)| l == n && o == off)?;
        self.put_entry(k, super::lower_viper::Pending::Reg(r));
        Some(2)
    }

    /// After operations `done`: the derived homes of the locals they wrote
    /// take the new values.
    pub(super) fn update_derived(&mut self, done: &[Ir]) {
        if self.derived.is_empty() {
            return;
        }
        for ins in done {
            let Ir::Viper(v) = ins else { continue };
            let Some(Slot::Local(n)) = written(v) else { continue };
            let targets: Vec<(i32, A::Reg)> =
                self.derived.iter().filter(|&&(l, _, _)| l == n).map(|&(_, o, r)| (o, r)).collect();
            for (off, r) in targets {
                let src = self.read_slot(Slot::Local(n));
                self.a.mov_reg(r, src);
                let scratch =
                    if A::binop_imm_needs_scratch(BinOp::Add, r, off) { self.alloc_reg(&[r, src]) } else { src };
                self.a.binop_imm(BinOp::Add, r, off, scratch);
            }
        }
    }
}

/// The loop variables of `for ... in range()` loops that may share the
/// register home of their loop's counter, with that counter: the head
/// (a label, then `counter + 1 = counter`, then `local = counter + 1`) is the
/// local's only write, and every read of it lies between that write and the
/// counter's next write (its increment), in code entered only through the
/// head. The counter does not change there, so both hold the same value
/// wherever the local is read; after the increment the local is dead.
fn loop_var_aliases(ir: &[Ir]) -> Vec<(Slot, Slot)> {
    let mut found = Vec::new();
    let flow = super::ir::Flow::of(ir);
    // Instructions that are not line numbers, with their indices.
    let code: Vec<(usize, &Ir)> = ir.iter().enumerate().filter(|(_, i)| !matches!(i, Ir::Line(_))).collect();
    for w in code.windows(3) {
        let [(_, Ir::Label { .. }), (_, Ir::Viper(VOp::Copy { dst: Slot::Stack(t), src: counter @ Slot::Stack(c) })), (at, Ir::Viper(VOp::Copy { dst: local @ Slot::Local(n), src: Slot::Stack(t2) }))] =
            w
        else {
            continue;
        };
        if *t != c + 1 || t2 != t || found.iter().any(|(l, _)| l == local) {
            continue;
        }
        let (at, local, counter, n) = (*at, *local, *counter, *n);
        // The counter's next write ends the stretch where the local is live.
        let Some(end) = ir.iter().enumerate().skip(at + 1).find_map(|(k, i)| match i {
            Ir::Viper(v) if written(v) == Some(counter) => Some(k),
            _ => None,
        }) else {
            continue;
        };
        let live = at + 1..end;
        let ok = ir.iter().enumerate().all(|(k, ins)| match ins {
            Ir::Viper(v) if k != at && written(v) == Some(local) => false,
            Ir::Viper(v) if v.slots().any(|s| s == local) => k == at || live.contains(&k),
            Ir::LoadFast { local: l, .. } | Ir::StoreFast { local: l, .. } => *l != n,
            Ir::Op { arg: Arg::Uint(l), .. } => *l != n as usize,
            _ => true,
        }) && !flow.entered_from_outside(&live, None);
        if ok {
            found.push((local, counter));
        }
    }
    found
}

/// The native locals whose value never lives across a label: each read is
/// preceded by a write with no label between (temporaries such as `t = x &
/// 255` used on the next lines), with, for each, where it is live (before
/// which instructions a later one reads it before any write or label). The
/// register cache keeps them in pool registers instead of homes or memory.
pub(super) fn block_locals(ir: &[Ir]) -> Vec<(u32, Vec<bool>)> {
    let mut candidates: Vec<u32> = Vec::new();
    for i in ir {
        if let Ir::Viper(v) = i {
            for s in v.slots() {
                if let Slot::Local(n) = s {
                    if !candidates.contains(&n) {
                        candidates.push(n);
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    for n in candidates {
        let slot = Slot::Local(n);
        let generic = ir.iter().any(|i| match i {
            Ir::LoadFast { local, .. } | Ir::StoreFast { local, .. } => *local == n,
            Ir::Op { arg: Arg::Uint(u), .. } => *u == n as usize,
            _ => false,
        });
        if generic {
            continue;
        }
        // Backward: live before instruction i.
        let mut live = vec![false; ir.len() + 1];
        for (i, ins) in ir.iter().enumerate().rev() {
            let after = live.get(i + 1).copied().unwrap_or(false);
            live[i] = match ins {
                Ir::Viper(v) if v.reads(slot) => true,
                Ir::Viper(v) if written(v) == Some(slot) => false,
                Ir::Label { .. } => false,
                _ => after,
            };
        }
        // Live where it would come in from elsewhere: a label's other entries
        // (or the function's start) bring no value; not block-local.
        let across = ir.iter().enumerate().any(|(i, ins)| match ins {
            Ir::Label { .. } => live.get(i + 1).copied().unwrap_or(false),
            _ => false,
        }) || live.first().copied().unwrap_or(false);
        if !across {
            live.truncate(ir.len());
            found.push((n, live));
        }
    }
    found
}

/// The first instruction index where `slot` may hold a value: its first
/// write, or the head of a loop that may bring that value back to an earlier
/// instruction. Calls before it need not keep the slot.
fn born(ir: &[Ir], loops: &[Range<usize>], slot: Slot) -> usize {
    let Some(first) = ir.iter().position(|i| matches!(i, Ir::Viper(v) if written(v) == Some(slot))) else {
        return 0;
    };
    // Control comes back above `born` only through a jump back from a later
    // instruction: every loop ending at or after `born` may bring the value
    // to its head (to a fixed point, whatever the loops' nesting).
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
pub(super) fn loop_ranges(ir: &[Ir]) -> Vec<Range<usize>> {
    // Label -> (its index, the index of the last jump back to it).
    let mut loops: alloc::collections::BTreeMap<EmitLabel, (usize, Option<usize>)> = Default::default();
    for (i, ins) in ir.iter().enumerate() {
        match ins {
            Ir::Label { label, .. } => {
                loops.insert(*label, (i, None));
            }
            Ir::Jump { label } | Ir::CondJump { label, .. } | Ir::Viper(VOp::Branch { label, .. }) => {
                if let Some(l) = loops.get_mut(label) {
                    l.1 = Some(i);
                }
            }
            _ => {}
        }
    }
    let mut found: Vec<Range<usize>> =
        loops.into_values().filter_map(|(start, end)| end.map(|e| start..e + 1)).collect();
    found.sort_by_key(|r| r.start);
    found
}

/// For each instruction of `ir`, the stack depth at the head of the
/// innermost of `loops` containing it (0 outside loops).
fn carried_depths(ir: &[Ir], loops: &[Range<usize>]) -> Vec<u32> {
    let mut carried = vec![0u32; ir.len()];
    let mut outer_first: Vec<&Range<usize>> = loops.iter().collect();
    outer_first.sort_by_key(|r| core::cmp::Reverse(r.len()));
    for r in outer_first {
        let Some(Ir::Label { sp, .. }) = ir.get(r.start) else { continue };
        for c in carried.get_mut(r.clone()).into_iter().flatten() {
            *c = *sp;
        }
    }
    carried
}

/// For each of `n` instructions, how many of `loops` contain it.
fn loop_depths(n: usize, loops: &[Range<usize>]) -> Vec<u32> {
    let mut depth = vec![0u32; n];
    for r in loops {
        for d in depth.get_mut(r.clone()).into_iter().flatten() {
            *d += 1;
        }
    }
    depth
}
