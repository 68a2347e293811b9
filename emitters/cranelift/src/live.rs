//! Liveness of the word slots over the recorded IR.
//!
//! The translation keeps word slots in Cranelift variables. Around a call
//! on a slow path (a division's helper, the generic helper of a non-bool
//! condition, an unbound local; the interrupt check keeps every register
//! itself, see [`crate::preserve`]), the live words are
//! saved to the stack before the call and reloaded after it, so no value of
//! a loop lives across a call: the loop's values can use every register, and
//! the register allocator does not move them to the stack on the fast path.
//! This module finds which slots are live there. It only decides what is
//! saved: a slot wrongly thought dead keeps its value in a register across
//! the call (correct, only slower), one wrongly thought live is saved for
//! nothing.

use std::collections::HashMap;

use ferropy_emit_native::emit::ir::{Arg, Ir};
use ferropy_emit_native::emit::viper::{Index, Slot, VOp};

/// A set of word slots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Set(Vec<u64>);

impl Set {
    fn new(n: usize) -> Set {
        Set(vec![0; n.div_ceil(64)])
    }

    fn insert(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    fn remove(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }

    /// True if slot `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Adds `other`; true if the set grew.
    fn union(&mut self, other: &Set) -> bool {
        let mut grew = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let n = *a | b;
            grew |= n != *a;
            *a = n;
        }
        grew
    }

    /// The slots in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .flat_map(|(k, &w)| (0..64).filter(move |b| w & (1 << b) != 0).map(move |b| k * 64 + b))
    }
}

/// Word slots live after each operation, and the loops.
#[derive(Debug)]
pub struct Liveness {
    live_out: Vec<Set>,
    /// Word slots written by each operation.
    defs: Vec<Vec<usize>>,
    /// Loops as IR ranges: (label index, index of a backward jump to it).
    loops: Vec<(usize, usize)>,
}

impl Liveness {
    /// The slots live after operation `i` (on every path, the runtime's
    /// jumps included).
    pub fn after(&self, i: usize) -> Option<&Set> {
        self.live_out.get(i)
    }

    /// The innermost loop around operation `i`.
    pub fn innermost_loop(&self, i: usize) -> Option<(usize, usize)> {
        self.loops.iter().filter(|&&(p, j)| p <= i && i <= j).min_by_key(|&&(p, j)| j - p).copied()
    }

    /// The slots to save around a slow-path call after operation `i` in
    /// the loop `range`: those live there and written in the loop. (The
    /// others keep one value for the whole loop: they stay in registers
    /// across the call, so Cranelift can still hoist what depends on them.)
    pub fn to_save(&self, i: usize, range: (usize, usize)) -> Vec<usize> {
        let Some(live) = self.after(i) else { return Vec::new() };
        let mut written = Set::new(live.0.len() * 64);
        for d in self.defs.get(range.0..=range.1).unwrap_or(&[]) {
            for &k in d {
                written.insert(k);
            }
        }
        live.iter().filter(|&k| written.contains(k)).collect()
    }
}

/// Slots read and written by one operation.
struct Effect {
    uses: Vec<Slot>,
    defs: Vec<Slot>,
}

fn effect(ins: &Ir) -> Effect {
    let (uses, defs) = match ins {
        Ir::DupTop { sp } => (vec![stack(*sp, 1)], vec![Slot::Stack(*sp)]),
        Ir::DupTopTwo { sp } => (vec![stack(*sp, 2), stack(*sp, 1)], vec![Slot::Stack(*sp), Slot::Stack(sp + 1)]),
        Ir::RotTwo { sp } => (vec![stack(*sp, 2), stack(*sp, 1)], vec![stack(*sp, 2), stack(*sp, 1)]),
        Ir::RotThree { sp } => {
            (vec![stack(*sp, 3), stack(*sp, 2), stack(*sp, 1)], vec![stack(*sp, 3), stack(*sp, 2), stack(*sp, 1)])
        }
        Ir::Viper(v) => match *v {
            VOp::Imm { dst, .. } | VOp::Unbox { dst, .. } => (vec![], vec![dst]),
            VOp::Copy { dst, src } => (vec![src], vec![dst]),
            VOp::Arith { dst, a, b, .. } | VOp::Compare { dst, a, b, .. } | VOp::DivMod { dst, a, b, .. } => {
                (vec![a, b], vec![dst])
            }
            VOp::Neg { slot } | VOp::Invert { slot } => (vec![slot], vec![slot]),
            VOp::Branch { slot, .. } | VOp::Box { slot, .. } => (vec![slot], vec![]),
            VOp::Load { dst, base, index, .. } => (with_index(vec![base], index), vec![dst]),
            VOp::Store { base, index, value, .. } => (with_index(vec![base, value], index), vec![]),
            VOp::Select { dst, cond, a, b, .. } => (vec![cond, a, b], vec![dst]),
        },
        _ => (vec![], vec![]),
    };
    Effect { uses, defs }
}

fn stack(sp: u32, below: u32) -> Slot {
    Slot::Stack(sp.saturating_sub(below))
}

fn with_index(mut v: Vec<Slot>, index: Index) -> Vec<Slot> {
    if let Index::Slot(s) = index {
        v.push(s);
    }
    v
}

/// The label an operation may jump to itself (not through the runtime).
pub fn jump_label(ins: &Ir) -> Option<u32> {
    match ins {
        Ir::Jump { label } | Ir::CondJump { label, .. } | Ir::JumpIfMarker { label, .. } => Some(*label),
        Ir::Viper(VOp::Branch { label, .. }) => Some(*label),
        _ => None,
    }
}

/// True if the operation calls a helper whose status may name a label
/// (the translation's dispatcher then jumps there).
fn may_dispatch(ins: &Ir) -> bool {
    matches!(ins, Ir::Op { .. } | Ir::LoadFast { .. } | Ir::CondJump { .. } | Ir::Binary { .. })
}

/// Liveness of the `n_state` word slots of `ir` (`Slot::Local(n)` is word
/// `n_state - 1 - n`, as in the translation).
pub fn analyze(ir: &[Ir], n_state: u32) -> Liveness {
    let n = n_state as usize;
    let index = |s: Slot| -> Option<usize> {
        let i = match s {
            Slot::Stack(k) => i64::from(k),
            Slot::Local(k) => i64::from(n_state) - 1 - i64::from(k),
        };
        usize::try_from(i).ok().filter(|&i| i < n)
    };
    let mut pos: HashMap<u32, usize> = HashMap::new();
    for (i, ins) in ir.iter().enumerate() {
        if let Ir::Label { label, .. } = ins {
            pos.insert(*label, i);
        }
    }
    // Labels the runtime may name (the dispatcher's targets).
    let mut dispatched: Vec<usize> = Vec::new();
    for ins in ir {
        let l = match ins {
            Ir::Op { arg: Arg::Label(l), .. } | Ir::CondJump { label: l, .. } => *l,
            _ => continue,
        };
        if let Some(&p) = pos.get(&l) {
            dispatched.push(p);
        }
    }
    dispatched.sort_unstable();
    dispatched.dedup();
    let effects: Vec<Effect> = ir.iter().map(effect).collect();
    let mut live_in = vec![Set::new(n); ir.len() + 1];
    let mut live_out = vec![Set::new(n); ir.len()];
    loop {
        let mut changed = false;
        // What the dispatcher may need: the union over its targets.
        let mut dispatch = Set::new(n);
        for &p in &dispatched {
            dispatch.union(&live_in[p]);
        }
        for i in (0..ir.len()).rev() {
            let ins = &ir[i];
            let mut out = Set::new(n);
            let falls = !matches!(ins, Ir::Jump { .. } | Ir::Return { .. });
            if falls {
                out.union(&live_in[i + 1]);
            }
            if let Some(&p) = jump_label(ins).and_then(|l| pos.get(&l)) {
                out.union(&live_in[p]);
                // A backward jump checks the interrupt flag (its helper's
                // status goes to the dispatcher).
                if p <= i {
                    out.union(&dispatch);
                }
            }
            if may_dispatch(ins) {
                out.union(&dispatch);
            }
            let mut inn = out.clone();
            for d in &effects[i].defs {
                if let Some(k) = index(*d) {
                    inn.remove(k);
                }
            }
            for u in &effects[i].uses {
                if let Some(k) = index(*u) {
                    inn.insert(k);
                }
            }
            changed |= live_in[i].union(&inn);
            live_out[i].union(&out);
        }
        if !changed {
            break;
        }
    }
    let defs = effects.iter().map(|e| e.defs.iter().filter_map(|&d| index(d)).collect()).collect();
    let mut loops = Vec::new();
    for (i, ins) in ir.iter().enumerate() {
        if let Some(&p) = jump_label(ins).and_then(|l| pos.get(&l)) {
            if p <= i {
                loops.push((p, i));
            }
        }
    }
    Liveness { live_out, defs, loops }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_emit_native::emit::ir::LabelRole;
    use ferropy_emit_native::{BinOp, Cond};

    fn label(label: u32) -> Ir {
        Ir::Label { label, role: LabelRole::Plain, sp: 0 }
    }

    #[test]
    fn loop_carried_slots_are_live_at_the_back_edge() {
        use ferropy_emit_native::emit::viper::Arith;
        // local 0 (word 2) = 0; loop: local 0 += local 1 (word 1); if stack 0: jump loop
        let (l0, l1, s0) = (Slot::Local(0), Slot::Local(1), Slot::Stack(0));
        let ir = vec![
            Ir::Viper(VOp::Imm { dst: l0, value: 0 }),
            label(1),
            Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: l0, a: l0, b: l1 }),
            Ir::Viper(VOp::Compare { cond: Cond::LtS, dst: s0, a: l0, b: l1 }),
            Ir::Viper(VOp::Branch { slot: s0, cond: true, pop: true, label: 1 }),
            Ir::Viper(VOp::Imm { dst: l1, value: 3 }),
        ];
        let live = analyze(&ir, 3);
        let after_branch: Vec<usize> = live.after(4).unwrap().iter().collect();
        // Both locals are live at the loop head; the compared temporary is not.
        assert_eq!(after_branch, vec![1, 2]);
        // After the last operation nothing is live.
        assert_eq!(live.after(5).unwrap().iter().count(), 0);
        // Local 1 is read in the loop before its redefinition after it.
        assert!(live.after(0).unwrap().contains(1));
        // The loop is found, and only slots written in it are saved there.
        assert_eq!(live.innermost_loop(3), Some((1, 4)));
        assert_eq!(live.to_save(4, (1, 4)), vec![2]);
    }
}
