//! Value ranges of viper words, for the dividends of `//` and `%` by a
//! positive constant: a dividend known to be non-negative needs no
//! correction of the truncated quotient and remainder to Python's rounding.
//!
//! Only small non-negative ranges (`0 <= lo <= hi <= 2^31 - 1`, the same
//! values on 32- and 64-bit words) are tracked. Stack slots are followed
//! through straight-line code and forgotten at labels, jumps and generic
//! operations; each local's range is the union of the ranges of all its
//! writes, found by iterating to a fixed point (with widening, so loops such
//! as `x = x + 1` end at "unknown").

use alloc::vec;
use alloc::vec::Vec;

use ferropy_frontend::emit::Label as EmitLabel;

use super::ir::{Arg, Ir};
use super::viper::{Arith, Slot, VOp};
use crate::asm::{BinOp, ShiftOp, Width};

/// Largest tracked value: no overflow of 32-bit words.
const MAX: i64 = i32::MAX as i64;

/// Rounds after which a local whose range still grows becomes unknown.
const WIDEN_AFTER: usize = 3;
/// Rounds after which the analysis gives up (everything unknown).
const MAX_ROUNDS: usize = 12;

/// An abstract word value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Val {
    /// No value reaches here (yet).
    Bottom,
    /// A value in `lo..=hi`, with `0 <= lo <= hi <= MAX`.
    Range(i64, i64),
    /// Any value.
    Top,
}

impl Val {
    fn range(lo: i64, hi: i64) -> Val {
        if 0 <= lo && lo <= hi && hi <= MAX {
            Val::Range(lo, hi)
        } else {
            Val::Top
        }
    }

    fn join(self, other: Val) -> Val {
        match (self, other) {
            (Val::Bottom, v) | (v, Val::Bottom) => v,
            (Val::Range(a, b), Val::Range(c, d)) => Val::Range(a.min(c), b.max(d)),
            _ => Val::Top,
        }
    }
}

/// The smallest `2^k - 1` at least `v` (for `v >= 0`).
fn mask_above(v: i64) -> i64 {
    let mut m = 0i64;
    while m < v {
        m = m * 2 + 1;
    }
    m
}

fn arith(op: Arith, a: Val, b: Val) -> Val {
    use Val::{Bottom, Range, Top};
    match (op, a, b) {
        // An `and` with a non-negative value is at most that value.
        (Arith::Bin(BinOp::And), Range(_, h), Top) | (Arith::Bin(BinOp::And), Top, Range(_, h)) => Val::range(0, h),
        (_, Bottom, _) | (_, _, Bottom) => Bottom,
        (Arith::Shift(ShiftOp::Shr | ShiftOp::Sar), Range(_, h), _) => Val::range(0, h),
        (_, Top, _) | (_, _, Top) => Top,
        (Arith::Bin(op), Range(al, ah), Range(bl, bh)) => match op {
            BinOp::Add => Val::range(al + bl, ah + bh),
            BinOp::Sub if al >= bh => Val::range(al - bh, ah - bl),
            BinOp::Mul => match ah.checked_mul(bh) {
                Some(h) => Val::range(al * bl, h),
                None => Top,
            },
            BinOp::And => Val::range(0, ah.min(bh)),
            BinOp::Or | BinOp::Xor => Val::range(0, mask_above(ah.max(bh))),
            _ => Top,
        },
        _ => Top,
    }
}

/// The frame's abstract state while walking the code once.
struct Walk<'a> {
    /// The assumed range of each local (the union of its writes).
    locals: &'a [Val],
    /// The union of the writes seen in this walk.
    next: Vec<Val>,
    stack: Vec<Val>,
}

impl Walk<'_> {
    fn get(&self, s: Slot) -> Val {
        match s {
            Slot::Local(n) => self.locals.get(n as usize).copied().unwrap_or(Val::Top),
            Slot::Stack(k) => self.stack.get(k as usize).copied().unwrap_or(Val::Top),
        }
    }

    fn set(&mut self, s: Slot, v: Val) {
        match s {
            Slot::Local(n) => {
                if let Some(l) = self.next.get_mut(n as usize) {
                    *l = l.join(v);
                }
            }
            Slot::Stack(k) => {
                let k = k as usize;
                if self.stack.len() <= k {
                    self.stack.resize(k + 1, Val::Top);
                }
                if let Some(x) = self.stack.get_mut(k) {
                    *x = v;
                }
            }
        }
    }

    /// Applies `ins`; for a `//` or `%`, returns its dividend's value before.
    fn step(&mut self, ins: &Ir) -> Option<Val> {
        let Ir::Viper(v) = ins else {
            if !matches!(ins, Ir::Line(_)) {
                // Labels, jumps and generic operations: stack values unknown.
                self.stack.clear();
            }
            return None;
        };
        match *v {
            VOp::Imm { dst, value } => self.set(dst, Val::range(value, value)),
            VOp::Copy { dst, src } => {
                let x = self.get(src);
                self.set(dst, x);
            }
            VOp::Arith { op, dst, a, b } => {
                let x = arith(op, self.get(a), self.get(b));
                self.set(dst, x);
            }
            VOp::Neg { slot } | VOp::Invert { slot } | VOp::Box { slot, .. } => self.set(slot, Val::Top),
            VOp::Compare { dst, .. } => self.set(dst, Val::Range(0, 1)),
            VOp::Branch { .. } | VOp::Store { .. } => {}
            VOp::Load { width, dst, .. } => {
                let x = match width {
                    Width::U8 => Val::Range(0, 0xff),
                    Width::U16 => Val::Range(0, 0xffff),
                    Width::U32 | Width::Word => Val::Top,
                };
                self.set(dst, x);
            }
            VOp::Unbox { dst, .. } => self.set(dst, Val::Top),
            VOp::Select { dst, a, b, .. } => {
                let x = self.get(a).join(self.get(b));
                self.set(dst, x);
            }
            VOp::DivMod { dst, a, b, modulo } => {
                let (x, y) = (self.get(a), self.get(b));
                let r = match (x, y) {
                    (Val::Bottom, _) | (_, Val::Bottom) => Val::Bottom,
                    // Python's `%` by a positive divisor is below it.
                    (_, Val::Range(l, h)) if modulo && l >= 1 => Val::range(0, h - 1),
                    (Val::Range(_, xh), Val::Range(l, _)) if !modulo && l >= 1 => Val::range(0, xh / l),
                    _ => Val::Top,
                };
                self.set(dst, r);
                return Some(x);
            }
        }
        None
    }
}

/// For each instruction of `ir`: for a `//` or `%` whose dividend is known
/// to be non-negative (and below `2^31`), the dividend's largest value.
/// (Both tiers use it: a `%` of a dividend below twice its divisor is one
/// conditional subtraction.)
pub fn dividend_bounds(ir: &[Ir]) -> Vec<Option<i64>> {
    let mut facts = vec![None; ir.len()];
    if !ir.iter().any(|i| matches!(i, Ir::Viper(VOp::DivMod { .. }))) {
        return facts;
    }
    let n_locals = ir
        .iter()
        .filter_map(|i| match i {
            Ir::Viper(v) => v
                .slots()
                .filter_map(|s| match s {
                    Slot::Local(n) => Some(n as usize + 1),
                    Slot::Stack(_) => None,
                })
                .max(),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    // Locals the generic code may write (objects, `del`): unknown.
    let mut generic = vec![false; n_locals];
    for i in ir {
        let n = match i {
            Ir::LoadFast { local, .. } | Ir::StoreFast { local, .. } => *local as usize,
            Ir::Op { arg: Arg::Uint(n), .. } => *n,
            _ => continue,
        };
        if let Some(g) = generic.get_mut(n) {
            *g = true;
        }
    }
    let mut locals: Vec<Val> = generic.iter().map(|&g| if g { Val::Top } else { Val::Bottom }).collect();
    for round in 0..MAX_ROUNDS {
        let mut w = Walk {
            locals: &locals,
            next: locals.iter().map(|&l| if l == Val::Top { l } else { Val::Bottom }).collect(),
            stack: Vec::new(),
        };
        let mut found = vec![None; ir.len()];
        for (k, ins) in ir.iter().enumerate() {
            if let Some(Val::Range(lo, hi)) = w.step(ins) {
                if let Some(f) = found.get_mut(k) {
                    *f = (lo >= 0).then_some(hi);
                }
            }
        }
        // Ranges only grow: each local's assumption joins its writes; once
        // they hold every write, the facts found under them are sound.
        let mut next: Vec<Val> = w.next.iter().zip(&locals).map(|(n, l)| n.join(*l)).collect();
        if next == locals {
            return found;
        }
        if round >= WIDEN_AFTER {
            for (n, l) in next.iter_mut().zip(&locals) {
                if *n != *l {
                    *n = Val::Top;
                }
            }
        }
        locals = next;
    }
    facts.fill(None);
    facts
}

/// True when a `%` by positive `divisor` of a dividend known to lie in
/// `0..=max` is one conditional subtraction: the dividend stays below
/// twice the divisor.
pub fn small_remainder(max: Option<i64>, divisor: i64) -> bool {
    divisor > 0 && max.is_some_and(|m| m < 2 * divisor)
}

/// Most iterations of a loop left without its interrupt check.
const SHORT_LOOP: i64 = 64;

/// The labels of `while x < K:` loops that run at most [`SHORT_LOOP`] times
/// each time they are entered: their backward jumps need no interrupt check
/// (an enclosing loop, if any, checks; otherwise the loop ends soon).
///
/// The shape: `x = v0` (a local set to a constant right before the jump to
/// the condition, and written nowhere else but) `x = x + s` with `s > 0`,
/// in straight-line code at the start of the body, which no jump enters but
/// the condition's jump back, `x < K` at the condition, which is entered
/// only from the loop's start or from the body after the increment.
pub(super) fn short_loops(ir: &[Ir]) -> Vec<EmitLabel> {
    let code: Vec<(usize, &Ir)> = ir.iter().enumerate().filter(|(_, i)| !matches!(i, Ir::Line(_))).collect();
    let target = |i: &Ir| i.jump_target();
    let refs = |l: EmitLabel| -> Vec<usize> { (0..code.len()).filter(|&k| target(code[k].1) == Some(l)).collect() };
    let label_at = |l: EmitLabel| code.iter().position(|(_, i)| matches!(i, Ir::Label { label, .. } if *label == l));
    let is_flow = |i: &Ir| matches!(i, Ir::Label { .. }) || target(i).is_some();
    let imm = |k: usize, dst: Slot| match code.get(k) {
        Some((_, Ir::Viper(VOp::Imm { dst: d, value }))) if *d == dst => Some(*value),
        _ => None,
    };
    let mut found = Vec::new();
    for p in 4..code.len() {
        let Some(&(_, Ir::Viper(VOp::Branch { slot, cond: true, pop: true, label: head }))) = code.get(p) else {
            continue;
        };
        let (slot, head) = (*slot, *head);
        let (Some((_, c1)), Some((_, c2)), Some((_, c3)), Some((_, c4))) =
            (code.get(p - 1), code.get(p - 2), code.get(p - 3), code.get(p - 4))
        else {
            continue;
        };
        let (
            Ir::Viper(VOp::Compare { cond: crate::asm::Cond::LtS, dst, a, b }),
            Ir::Viper(VOp::Imm { dst: kdst, value: bound }),
            Ir::Viper(VOp::Copy { dst: xdst, src: x @ Slot::Local(xn) }),
            Ir::Label { label: cond_label, .. },
        ) = (c1, c2, c3, c4)
        else {
            continue;
        };
        if *dst != slot || *a != slot || b != kdst || *xdst != slot {
            continue;
        }
        let (x, xn, bound, cond_label) = (*x, *xn, *bound, *cond_label);
        let Some(h) = label_at(head) else { continue };
        if h + 1 >= p - 4 || refs(head) != [p] {
            continue;
        }
        // The local's writes: the start value and the increment.
        let writes: Vec<usize> =
            (0..code.len()).filter(|&k| matches!(code[k].1, Ir::Viper(v) if written(v) == Some(x))).collect();
        let generic = code.iter().any(|(_, i)| match i {
            Ir::LoadFast { local, .. } | Ir::StoreFast { local, .. } => *local == xn,
            Ir::Op { arg: Arg::Uint(n), .. } => *n == xn as usize,
            _ => false,
        });
        let [init, inc] = writes[..] else { continue };
        if generic || init >= h || inc <= h || inc >= p - 4 {
            continue;
        }
        let start = match code[init].1 {
            Ir::Viper(VOp::Imm { value, .. }) => Some(*value),
            Ir::Viper(VOp::Copy { src, .. }) => init.checked_sub(1).and_then(|k| imm(k, *src)),
            _ => None,
        };
        let step = match (
            code.get(inc.wrapping_sub(3)),
            code.get(inc.wrapping_sub(2)),
            code.get(inc.wrapping_sub(1)),
            code[inc].1,
        ) {
            (
                Some((_, Ir::Viper(VOp::Copy { dst: s0, src }))),
                Some((_, Ir::Viper(VOp::Imm { dst: s1, value }))),
                Some((_, Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::Add), dst, a, b }))),
                Ir::Viper(VOp::Copy { src: s2, .. }),
            ) if *src == x && dst == s0 && a == s0 && b == s1 && s2 == s0 => Some(*value),
            _ => None,
        };
        let (Some(v0), Some(step)) = (start, step) else { continue };
        // Entered through `jump cond` right after the start value; the
        // body's start runs straight into the increment.
        let entry = h - 1;
        let entered = matches!(code[entry].1, Ir::Jump { label } if *label == cond_label)
            && (init + 1..entry).all(|k| !is_flow(code[k].1))
            && (h + 1..=inc).all(|k| !is_flow(code[k].1))
            && refs(cond_label).iter().all(|&k| k == entry || (k > inc && k < p - 4));
        let small = |v: i64| v.abs() <= 1 << 20;
        if !entered || !small(v0) || !small(bound) || !(1..=1 << 20).contains(&step) {
            continue;
        }
        let trips = if v0 >= bound { 0 } else { (bound - v0 + step - 1) / step };
        if trips <= SHORT_LOOP {
            found.push(head);
        }
    }
    found
}

/// The slot a viper operation writes, if any; a `Box` counts as writing
/// its slot (its range is no longer known).
fn written(op: &VOp) -> Option<Slot> {
    match *op {
        VOp::Box { slot, .. } => Some(slot),
        _ => op.written_slot(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn div(dst: Slot, a: Slot, b: Slot) -> Ir {
        Ir::Viper(VOp::DivMod { dst, a, b, modulo: true })
    }

    #[test]
    fn remainders_and_bytes_are_nonnegative() {
        let (s0, s1, l0, l1) = (Slot::Stack(0), Slot::Stack(1), Slot::Local(0), Slot::Local(1));
        let label = Ir::Label { label: 0, role: super::super::ir::LabelRole::Plain, sp: 0 };
        let ir = vec![
            Ir::Viper(VOp::Unbox { dst: l1, src: l1, vtype: 2 }),
            Ir::Viper(VOp::Imm { dst: s0, value: 0 }),
            Ir::Viper(VOp::Copy { dst: l0, src: s0 }),
            label.clone(),
            // l0 = (l0 + l0) % 255: non-negative, bounded.
            Ir::Viper(VOp::Copy { dst: s0, src: l0 }),
            Ir::Viper(VOp::Copy { dst: s1, src: l0 }),
            Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s0, a: s0, b: s1 }),
            Ir::Viper(VOp::Imm { dst: s1, value: 255 }),
            div(s0, s0, s1),
            Ir::Viper(VOp::Copy { dst: l0, src: s0 }),
            // l1 % 7: a parameter, unknown.
            Ir::Viper(VOp::Copy { dst: s0, src: l1 }),
            Ir::Viper(VOp::Imm { dst: s1, value: 7 }),
            div(s0, s0, s1),
            // (l1 & 1023) % 7: non-negative.
            Ir::Viper(VOp::Copy { dst: s0, src: l1 }),
            Ir::Viper(VOp::Imm { dst: s1, value: 1023 }),
            Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::And), dst: s0, a: s0, b: s1 }),
            Ir::Viper(VOp::Imm { dst: s1, value: 7 }),
            div(s0, s0, s1),
            Ir::Jump { label: 0 },
        ];
        let f = dividend_bounds(&ir);
        let known: Vec<(usize, i64)> = f.iter().enumerate().filter_map(|(i, b)| b.map(|b| (i, b))).collect();
        assert_eq!(known, vec![(8, 254 + 254), (17, 1023)]);
    }

    #[test]
    fn growing_locals_become_unknown() {
        let (s0, s1, l0) = (Slot::Stack(0), Slot::Stack(1), Slot::Local(0));
        let ir = vec![
            Ir::Viper(VOp::Imm { dst: l0, value: 0 }),
            Ir::Label { label: 0, role: super::super::ir::LabelRole::Plain, sp: 0 },
            // l0 = l0 * 2 + 1 grows past any bound and wraps.
            Ir::Viper(VOp::Copy { dst: s0, src: l0 }),
            Ir::Viper(VOp::Copy { dst: s1, src: l0 }),
            Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s0, a: s0, b: s1 }),
            Ir::Viper(VOp::Imm { dst: s1, value: 1 }),
            Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s0, a: s0, b: s1 }),
            Ir::Viper(VOp::Copy { dst: l0, src: s0 }),
            Ir::Viper(VOp::Copy { dst: s0, src: l0 }),
            Ir::Viper(VOp::Imm { dst: s1, value: 3 }),
            div(s0, s0, s1),
            Ir::Jump { label: 0 },
        ];
        assert!(dividend_bounds(&ir).iter().all(|b| b.is_none()));
    }

    /// `x = v0; while x < bound: <body>; x += step` as recorded, with
    /// `extra` inserted at the start of the body.
    fn while_loop(v0: i64, bound: i64, step: i64, extra: Vec<Ir>) -> Vec<Ir> {
        let (s0, s1, x) = (Slot::Stack(0), Slot::Stack(1), Slot::Local(0));
        let label = |l| Ir::Label { label: l, role: super::super::ir::LabelRole::Plain, sp: 0 };
        let mut ir = vec![Ir::Viper(VOp::Imm { dst: s0, value: v0 }), Ir::Viper(VOp::Copy { dst: x, src: s0 })];
        ir.extend([Ir::Jump { label: 2 }, label(1)]);
        ir.extend(extra);
        ir.extend([
            Ir::Line(3),
            Ir::Viper(VOp::Copy { dst: s0, src: x }),
            Ir::Viper(VOp::Imm { dst: s1, value: step }),
            Ir::Viper(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s0, a: s0, b: s1 }),
            Ir::Viper(VOp::Copy { dst: x, src: s0 }),
            label(2),
            Ir::Viper(VOp::Copy { dst: s0, src: x }),
            Ir::Viper(VOp::Imm { dst: s1, value: bound }),
            Ir::Viper(VOp::Compare { cond: crate::asm::Cond::LtS, dst: s0, a: s0, b: s1 }),
            Ir::Viper(VOp::Branch { slot: s0, cond: true, pop: true, label: 1 }),
        ]);
        ir
    }

    #[test]
    fn short_counted_while_loops_are_found() {
        let work = vec![Ir::Viper(VOp::Imm { dst: Slot::Local(1), value: 3 })];
        assert_eq!(short_loops(&while_loop(0, 32, 8, work.clone())), vec![1]);
        assert_eq!(short_loops(&while_loop(-10, 54, 1, Vec::new())), vec![1]);
        // Too many iterations, or none added.
        assert!(short_loops(&while_loop(0, 65, 1, Vec::new())).is_empty());
        assert!(short_loops(&while_loop(0, 32, 0, Vec::new())).is_empty());
        assert!(short_loops(&while_loop(0, 32, -8, Vec::new())).is_empty());
        // A jump before the increment may skip it.
        let skip = vec![Ir::Jump { label: 2 }];
        assert!(short_loops(&while_loop(0, 32, 8, skip)).is_empty());
        // Another write of the counter.
        let other = vec![Ir::Viper(VOp::Imm { dst: Slot::Local(0), value: 0 })];
        assert!(short_loops(&while_loop(0, 32, 8, other)).is_empty());
        // Another way into the condition.
        let mut ir = while_loop(0, 32, 8, work);
        ir.insert(0, Ir::Jump { label: 2 });
        assert!(short_loops(&ir).is_empty());
    }
}
