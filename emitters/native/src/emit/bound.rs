//! Which reads of local variables need no unbound check: a forward data-flow
//! analysis over the recorded [`Ir`] of the locals *definitely bound* at each
//! point (assigned on every path from the entry, and not deleted since).
//!
//! Parameters are bound on entry. `StoreFast` binds a local, `DELETE_FAST`
//! unbinds it; nothing else does. At a label the bound set is the
//! intersection over the paths that reach it: the code falling into it and
//! every recorded jump to it. Labels the runtime may jump to from elsewhere
//! (exception handlers, `finally` blocks, targets of unwinding jumps, which
//! `END_FINALLY` continues to later) only keep the locals bound everywhere
//! (parameters nothing deletes). Big or slowly converging functions give up:
//! then every read is checked, as without the analysis.

use alloc::vec;
use alloc::vec::Vec;

use ferropy_bytecode::opcode as op;

use super::ir::{Arg, Ir};
use super::viper::VOp;

/// Most passes over the code before the analysis gives up.
const MAX_PASSES: usize = 16;
/// Most bit-set words (labels times locals / 64) the analysis may use.
const MAX_WORDS: usize = 1 << 16;

type Set = Vec<u64>;

fn has(s: &[u64], i: usize) -> bool {
    s.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 != 0)
}

fn put(s: &mut [u64], i: usize, on: bool) {
    if let Some(w) = s.get_mut(i / 64) {
        if on {
            *w |= 1 << (i % 64);
        } else {
            *w &= !(1 << (i % 64));
        }
    }
}

/// Intersects `into` with `from`; true if `into` changed.
fn meet(into: &mut [u64], from: &[u64]) -> bool {
    let mut changed = false;
    for (a, b) in into.iter_mut().zip(from) {
        let n = *a & *b;
        changed |= n != *a;
        *a = n;
    }
    changed
}

/// Jumps the code records (target, falls through too).
fn jump_of(ins: &Ir) -> Option<(u32, bool)> {
    match ins {
        Ir::Jump { label } => Some((*label, false)),
        Ir::CondJump { label, .. } | Ir::JumpIfMarker { label, .. } => Some((*label, true)),
        Ir::Viper(VOp::Branch { label, .. }) => Some((*label, true)),
        Ir::Op { arg: Arg::Label(l), .. } => Some((*l, true)),
        _ => None,
    }
}

/// Operations whose label operand is only reached from the operation itself.
fn local_jump(opcode: u8) -> bool {
    matches!(
        opcode,
        op::FOR_ITER
            | op::JUMP
            | op::POP_JUMP_IF_TRUE
            | op::POP_JUMP_IF_FALSE
            | op::JUMP_IF_TRUE_OR_POP
            | op::JUMP_IF_FALSE_OR_POP
    )
}

/// For each instruction index, true if it is a `LoadFast` of a local that is
/// definitely bound there. `always` holds the locals bound everywhere.
pub(super) fn checked_free_loads(ir: &[Ir], always: &[bool]) -> Vec<bool> {
    let mut result = vec![false; ir.len()];
    let n_locals = ir
        .iter()
        .filter_map(|i| match i {
            Ir::LoadFast { local, .. } | Ir::StoreFast { local, .. } => Some(*local as usize + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .max(always.len());
    let n_labels = ir
        .iter()
        .filter_map(|i| match i {
            Ir::Label { label, .. } => Some(*label as usize + 1),
            _ => jump_of(i).map(|(l, _)| l as usize + 1),
        })
        .max()
        .unwrap_or(0);
    let words = n_locals.div_ceil(64);
    if words == 0 || words.saturating_mul(n_labels + 1) > MAX_WORDS {
        return result;
    }
    let mut base: Set = vec![0; words];
    for (i, &b) in always.iter().enumerate() {
        put(&mut base, i, b);
    }
    // Labels the runtime may reach from elsewhere start (and stay) at `base`.
    let mut pinned = vec![false; n_labels];
    for ins in ir {
        if let Ir::Op { opcode, arg: Arg::Label(l), .. } = ins {
            if !local_jump(*opcode) {
                if let Some(p) = pinned.get_mut(*l as usize) {
                    *p = true;
                }
            }
        }
    }
    // In-state of every label: all locals (the top of the lattice) until a
    // path says otherwise; pinned labels start at `base`.
    let top: Set = vec![u64::MAX; words];
    let mut at_label: Vec<Set> = (0..n_labels).map(|l| if pinned[l] { base.clone() } else { top.clone() }).collect();
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        let mut cur = base.clone();
        let mut reachable = true;
        for (i, ins) in ir.iter().enumerate() {
            if let Ir::Label { label, .. } = ins {
                let Some(s) = at_label.get_mut(*label as usize) else { return result };
                if reachable {
                    changed |= meet(s, &cur);
                }
                cur.clone_from(s);
                reachable = true;
            }
            match ins {
                Ir::LoadFast { local, .. } => result[i] = reachable && has(&cur, *local as usize),
                Ir::StoreFast { local, .. } => put(&mut cur, *local as usize, true),
                Ir::Op { opcode: op::DELETE_FAST, arg: Arg::Uint(local), .. } => put(&mut cur, *local, false),
                _ => {}
            }
            if let Some((target, falls)) = jump_of(ins) {
                let Some(s) = at_label.get_mut(target as usize) else { return result };
                if reachable {
                    changed |= meet(s, &cur);
                }
                reachable &= falls;
            }
            if matches!(ins, Ir::Return { .. }) {
                reachable = false;
            }
        }
        if !changed {
            return result;
        }
    }
    vec![false; ir.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(local: u32) -> Ir {
        Ir::LoadFast { local, sp: 0 }
    }
    fn store(local: u32) -> Ir {
        Ir::StoreFast { local, sp: 1 }
    }
    fn label(label: u32) -> Ir {
        Ir::Label { label, role: super::super::ir::LabelRole::Plain, sp: 0 }
    }

    #[test]
    fn straight_line_stores_bind() {
        let ir = [load(0), load(1), store(1), load(1)];
        assert_eq!(checked_free_loads(&ir, &[true]), [true, false, false, true]);
    }

    #[test]
    fn deletes_unbind_and_paths_meet_at_labels() {
        let del = Ir::Op { opcode: op::DELETE_FAST, extra: 0, sp: 0, arg: Arg::Uint(0) };
        // store x; if c: del x; L: load x  -> checked (one path deleted it).
        let ir = [store(0), Ir::CondJump { cond: true, pop: true, label: 0, sp: 1 }, del.clone(), label(0), load(0)];
        assert!(!checked_free_loads(&ir, &[])[4]);
        // A loop whose body binds x reads it checked at the head (first
        // iteration), unchecked after the store in the body.
        let ir = [label(0), load(0), store(0), load(0), Ir::Jump { label: 0 }];
        assert_eq!(checked_free_loads(&ir, &[]), [false, false, false, true, false]);
        // A parameter deleted then read again.
        let ir = [load(0), del, load(0)];
        assert_eq!(checked_free_loads(&ir, &[true]), [true, false, false]);
    }

    #[test]
    fn handler_labels_keep_only_the_always_bound_locals() {
        let ir = [
            store(1),
            Ir::Op { opcode: op::SETUP_EXCEPT, extra: 0, sp: 0, arg: Arg::Label(0) },
            load(1),
            label(0),
            load(1),
            load(0),
        ];
        assert_eq!(checked_free_loads(&ir, &[true]), [false, false, true, false, false, true]);
    }
}
