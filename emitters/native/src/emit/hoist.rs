//! Loop-invariant hoisting in viper code: a word operation on two locals
//! that a loop never writes (`i * n` in the inner loops of a matrix
//! multiply) is computed once before the loop into a new local, which the
//! loop then reads instead; the register-home heuristic sees one read where
//! there was a multiplication.
//!
//! Only loops made of word operations, labels and jumps are considered (no
//! generic operation can then write a local), entered only at their start:
//! either by falling into their head or through a jump just before it (a
//! `for ... in range()` loop's jump to its test). An operation is hoisted
//! out of the outermost such loop that leaves both its operands unchanged.

use alloc::vec::Vec;
use core::ops::Range;

use super::ir::{Flow, Ir};
use super::viper::{Arith, Slot, VOp};

/// Most operations hoisted per scope (each takes a local).
const MAX_HOISTED: u32 = 16;

/// Hoists the invariant operations of `ir`'s loops (see the module
/// documentation); new locals are numbered from `n_locals`. Returns how
/// many it added.
pub fn hoist_invariants(ir: &mut Vec<Ir>, n_locals: u32) -> u32 {
    let mut added = 0;
    // One hoist at a time: each changes the indices.
    while added < MAX_HOISTED {
        let Some((at, p, op)) = find(ir) else { break };
        let new = Slot::Local(n_locals + added);
        let (Ir::Viper(VOp::Copy { dst: a, src: x }), Ir::Viper(VOp::Copy { dst: b, src: y })) = (&ir[p], &ir[p + 1])
        else {
            break;
        };
        let (a, b, x, y) = (*a, *b, *x, *y);
        // In the loop: the value is read from the new local.
        ir.splice(p..p + 3, [Ir::Viper(VOp::Copy { dst: a, src: new })]);
        // Before it: computed once, through the same slots.
        let before = [
            Ir::Viper(VOp::Copy { dst: a, src: x }),
            Ir::Viper(VOp::Copy { dst: b, src: y }),
            Ir::Viper(VOp::Arith { op, dst: a, a, b }),
            Ir::Viper(VOp::Copy { dst: new, src: a }),
        ];
        ir.splice(at..at, before);
        added += 1;
    }
    added
}

/// A loop that code may be hoisted out of.
struct Loop {
    range: Range<usize>,
    /// Where the hoisted code goes (see `entry`).
    at: usize,
    /// The stack depth at its head.
    sp: u32,
    /// The slots its operations write.
    written: Vec<Slot>,
}

/// The next hoistable operation: where to put it, where its three
/// instructions are, and the operation.
fn find(ir: &[Ir]) -> Option<(usize, usize, Arith)> {
    let flow = Flow::of(ir);
    let mut candidates: Vec<Loop> = super::homes::loop_ranges(ir)
        .into_iter()
        .filter(|r| simple(ir, r))
        .filter_map(|range| {
            let at = entry(ir, &range, &flow)?;
            let Some(Ir::Label { sp, .. }) = ir.get(range.start) else { return None };
            let mut written: Vec<Slot> = ir[range.clone()]
                .iter()
                .filter_map(|i| match i {
                    Ir::Viper(v) => v.written_slot(),
                    _ => None,
                })
                .collect();
            written.sort_by_key(|s| match *s {
                Slot::Local(n) => (0, n),
                Slot::Stack(n) => (1, n),
            });
            written.dedup();
            Some(Loop { range, at, sp: *sp, written })
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    // Outermost first.
    candidates.sort_by_key(|l| l.range.start);
    for p in 0..ir.len().saturating_sub(2) {
        let Some((x, y, op)) = invariant_shape(ir, p) else { continue };
        for l in candidates.iter().filter(|l| l.range.contains(&p)) {
            let temporaries_above = [p, p + 1].iter().all(|&i| match &ir[i] {
                Ir::Viper(VOp::Copy { dst: Slot::Stack(k), .. }) => *k >= l.sp,
                _ => false,
            });
            if temporaries_above && !l.written.contains(&x) && !l.written.contains(&y) {
                return Some((l.at, p, op));
            }
        }
    }
    None
}

/// `Copy a <- x; Copy a+1 <- y; a = a op (a+1)` with `x`, `y` locals: the
/// locals and the operation.
fn invariant_shape(ir: &[Ir], p: usize) -> Option<(Slot, Slot, Arith)> {
    let (
        Some(Ir::Viper(VOp::Copy { dst: Slot::Stack(a), src: x @ Slot::Local(_) })),
        Some(Ir::Viper(VOp::Copy { dst: Slot::Stack(b), src: y @ Slot::Local(_) })),
        Some(Ir::Viper(VOp::Arith { op, dst, a: l, b: r })),
    ) = (ir.get(p), ir.get(p + 1), ir.get(p + 2))
    else {
        return None;
    };
    let (a, b) = (Slot::Stack(*a), Slot::Stack(*b));
    (*dst == a && *l == a && *r == b && a != b).then_some((*x, *y, *op))
}

/// Where code run once before loop `r` goes: before the jump into it right
/// before its head, or before its head when it is entered by falling in;
/// `None` if another way leads into it.
fn entry(ir: &[Ir], r: &Range<usize>, flow: &Flow) -> Option<usize> {
    // The jump into the loop right before its head, if that is the way in.
    let entry_jump = match r.start.checked_sub(1).map(|i| &ir[i]) {
        Some(Ir::Jump { label }) if flow.inside(*label, r) => Some(r.start - 1),
        Some(i) if i.jump_target().is_some() => return None,
        _ => None,
    };
    (!flow.entered_from_outside(r, entry_jump)).then_some(entry_jump.unwrap_or(r.start))
}

/// True if loop `r` has only word operations, labels and jumps.
fn simple(ir: &[Ir], r: &Range<usize>) -> bool {
    ir[r.clone()].iter().all(|i| {
        matches!(i, Ir::Line(_) | Ir::Label { .. } | Ir::Jump { .. })
            || matches!(i, Ir::Viper(v) if !matches!(v, VOp::Box { .. } | VOp::Unbox { .. } | VOp::DivMod { .. }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::{BinOp, Cond};
    use crate::emit::ir::LabelRole;
    use alloc::vec;

    fn v(op: VOp) -> Ir {
        Ir::Viper(op)
    }

    /// `for k in range(n): s += i * n + k`, as recorded (limit in slot 0,
    /// counter in slot 1; i = local 0, n = local 1, s = local 2, k = local 3).
    fn inner_loop(write_i: bool) -> Vec<Ir> {
        let s = Slot::Stack;
        let l = Slot::Local;
        let mut body = vec![
            v(VOp::Copy { dst: s(2), src: l(2) }),
            v(VOp::Copy { dst: s(3), src: l(0) }),
            v(VOp::Copy { dst: s(4), src: l(1) }),
            v(VOp::Arith { op: Arith::Bin(BinOp::Mul), dst: s(3), a: s(3), b: s(4) }),
            v(VOp::Copy { dst: s(4), src: l(3) }),
            v(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s(3), a: s(3), b: s(4) }),
            v(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s(2), a: s(2), b: s(3) }),
            v(VOp::Copy { dst: l(2), src: s(2) }),
        ];
        if write_i {
            body.push(v(VOp::Imm { dst: l(0), value: 1 }));
        }
        let mut ir = vec![
            v(VOp::Copy { dst: s(0), src: l(1) }),
            v(VOp::Imm { dst: s(1), value: 0 }),
            Ir::Jump { label: 2 },
            Ir::Label { label: 1, role: LabelRole::Plain, sp: 2 },
            v(VOp::Copy { dst: s(2), src: s(1) }),
            v(VOp::Copy { dst: l(3), src: s(2) }),
        ];
        ir.extend(body);
        ir.extend([
            v(VOp::Imm { dst: s(2), value: 1 }),
            v(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s(1), a: s(1), b: s(2) }),
            Ir::Label { label: 2, role: LabelRole::Plain, sp: 2 },
            v(VOp::Copy { dst: s(2), src: s(1) }),
            v(VOp::Copy { dst: s(3), src: s(0) }),
            v(VOp::Compare { cond: Cond::LtS, dst: s(2), a: s(2), b: s(3) }),
            v(VOp::Branch { slot: s(2), cond: true, pop: true, label: 1 }),
        ]);
        ir
    }

    #[test]
    fn an_invariant_product_is_computed_before_the_loop() {
        let mut ir = inner_loop(false);
        assert_eq!(hoist_invariants(&mut ir, 4), 1);
        let new = Slot::Local(4);
        // Before the jump into the loop.
        assert_eq!(ir[2], v(VOp::Copy { dst: Slot::Stack(3), src: Slot::Local(0) }));
        assert_eq!(ir[5], v(VOp::Copy { dst: new, src: Slot::Stack(3) }));
        assert_eq!(ir[6], Ir::Jump { label: 2 });
        // In the loop, one read of it.
        assert!(ir.contains(&v(VOp::Copy { dst: Slot::Stack(3), src: new })));
        let muls = ir.iter().filter(|i| matches!(i, Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::Mul), .. }))).count();
        assert_eq!(muls, 1);
    }

    #[test]
    fn operands_written_in_the_loop_stay() {
        let mut ir = inner_loop(true);
        let before = ir.clone();
        assert_eq!(hoist_invariants(&mut ir, 4), 0);
        assert_eq!(ir, before);
    }
}
