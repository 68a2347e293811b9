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
use super::viper::{Index, Slot, VOp};
use super::AsmFactory;

/// Operations between a loop's head and its backward jump count this many
/// times more than the others when slots compete for registers.
const LOOP_WEIGHT: usize = 8;

/// The word slots a viper operation reads or writes.
pub(super) fn slots(op: &VOp) -> Vec<Slot> {
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

/// The slot a viper operation writes, if any.
fn written(op: &VOp) -> Option<Slot> {
    match *op {
        VOp::Imm { dst, .. }
        | VOp::Copy { dst, .. }
        | VOp::Arith { dst, .. }
        | VOp::Compare { dst, .. }
        | VOp::Load { dst, .. }
        | VOp::Unbox { dst, .. }
        | VOp::DivMod { dst, .. } => Some(dst),
        VOp::Neg { slot } | VOp::Invert { slot } => Some(slot),
        VOp::Branch { .. } | VOp::Store { .. } | VOp::Box { .. } => None,
    }
}

/// True for instructions that call the runtime (`prev` is the instruction
/// before): `//` and `%` by a positive constant are inline where the ISA
/// divides (see `lower_viper`).
fn calls(ins: &Ir, prev: Option<&Ir>, sdiv: bool) -> bool {
    match ins {
        Ir::Op { .. } | Ir::Binary { .. } | Ir::CondJump { .. } | Ir::LoadFast { .. } => true,
        Ir::Viper(VOp::DivMod { b, .. }) => !matches!(
            prev,
            Some(Ir::Viper(VOp::Imm { dst, value })) if sdiv && dst == b && *value > 0 && i32::try_from(*value).is_ok()
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
        // Stack slots below a loop head's depth stay live through the loop.
        let mut live_stack = 0u32;
        for r in &loops {
            if let Some(Ir::Label { sp, .. }) = ir.get(r.start) {
                live_stack = live_stack.max(*sp);
            }
        }
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
            if calls(ins, i.checked_sub(1).and_then(|p| ir.get(p)), A::SDIV) {
                n_calls += weight;
            }
            let Ir::Viper(v) = ins else { continue };
            for s in slots(v).into_iter().map(canon) {
                if matches!(s, Slot::Stack(k) if k >= live_stack) {
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
        let n_spare = self.regs.spare.len();
        for (k, &(slot, n_uses)) in uses.iter().enumerate() {
            let reg = match self.regs.spare.get(k) {
                Some(&r) => r,
                // A caller-saved register pays off when the slot is used
                // more often than calls happen.
                None => match self.regs.volatile.get(k - n_spare) {
                    Some(&r) if n_uses > 2 * n_calls => {
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

/// The loop variables of `for ... in range()` loops that may share the
/// register home of their loop's counter, with that counter: the head
/// (a label, then `counter + 1 = counter`, then `local = counter + 1`) is the
/// local's only write, and every read of it lies between that write and the
/// counter's next write (its increment), in code entered only through the
/// head. The counter does not change there, so both hold the same value
/// wherever the local is read; after the increment the local is dead.
fn loop_var_aliases(ir: &[Ir]) -> Vec<(Slot, Slot)> {
    let mut found = Vec::new();
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
            Ir::Viper(v) if slots(v).contains(&local) => k == at || live.contains(&k),
            Ir::LoadFast { local: l, .. } | Ir::StoreFast { local: l, .. } => *l != n,
            Ir::Op { arg: Arg::Uint(l), .. } => *l != n as usize,
            _ => true,
        }) && entered_only_from_inside(ir, &live);
        if ok {
            found.push((local, counter));
        }
    }
    found
}

/// True if every jump to a label inside `range` comes from inside it.
fn entered_only_from_inside(ir: &[Ir], range: &Range<usize>) -> bool {
    let inside: Vec<EmitLabel> = ir
        .get(range.clone())
        .into_iter()
        .flatten()
        .filter_map(|i| match i {
            Ir::Label { label, .. } => Some(*label),
            _ => None,
        })
        .collect();
    ir.iter().enumerate().all(|(k, i)| {
        let target = match i {
            Ir::Jump { label }
            | Ir::CondJump { label, .. }
            | Ir::JumpIfMarker { label, .. }
            | Ir::Viper(VOp::Branch { label, .. }) => Some(*label),
            Ir::Op { arg: Arg::Label(l), .. } => Some(*l),
            _ => None,
        };
        range.contains(&k) || target.is_none_or(|t| !inside.contains(&t))
    })
}

/// True if `op` reads `slot`.
fn reads(op: &VOp, slot: Slot) -> bool {
    match *op {
        VOp::Imm { .. } => false,
        VOp::Copy { src, .. } | VOp::Unbox { src, .. } => src == slot,
        VOp::Arith { a, b, .. } | VOp::Compare { a, b, .. } | VOp::DivMod { a, b, .. } => a == slot || b == slot,
        VOp::Neg { slot: s } | VOp::Invert { slot: s } | VOp::Branch { slot: s, .. } | VOp::Box { slot: s, .. } => {
            s == slot
        }
        VOp::Load { base, index, .. } => base == slot || index == Index::Slot(slot),
        VOp::Store { base, index, value, .. } => base == slot || value == slot || index == Index::Slot(slot),
    }
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
            for s in slots(v) {
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
                Ir::Viper(v) if reads(v, slot) => true,
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
fn loop_ranges(ir: &[Ir]) -> Vec<Range<usize>> {
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
