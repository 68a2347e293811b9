//! If-conversion of viper code: a short `if`/`else` (or conditional
//! expression) whose branches only compute machine words (no memory access,
//! no call, nothing that can fail) is rewritten, before either tier lowers
//! it, into straight-line code that computes both branches and keeps each
//! result with [`VOp::Select`], a conditional move. A data-dependent
//! condition then costs no mispredicted branch (CRC-32's `if crc & 1:` is the
//! typical case).
//!
//! The rewrite keeps the recorded stack discipline: the condition stays in
//! its slot `k`, each branch's results go to slots just above it (one per
//! branch and output), and the branches' own temporaries are moved above
//! those, so the results survive the other branch. Branches never write a
//! local: they write their result slot, and read it back if they read the
//! local again. The selects then write the locals.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::ops::Range;

use super::ir::Ir;
use super::viper::{Slot, VOp};

/// Longest branch body converted (operations, not counting line entries):
/// both branches always run afterwards.
const MAX_OPS: usize = 12;

/// A convertible `if`: the IR range of each branch and where the whole
/// construct ends (the index after its last label).
#[derive(Debug, PartialEq, Eq)]
pub struct Diamond {
    /// The branch instruction's index.
    pub branch: usize,
    /// Operations run when the branch is not taken (the `if` body).
    pub then_ops: Range<usize>,
    /// Operations run when it is taken (the `else` body; may be empty).
    pub else_ops: Range<usize>,
    /// Index after the construct.
    pub end: usize,
}

/// True for operations that may run speculatively.
fn pure(ins: &Ir) -> bool {
    match ins {
        Ir::Line(_) => true,
        Ir::Viper(v) => matches!(
            v,
            VOp::Imm { .. }
                | VOp::Copy { .. }
                | VOp::Arith { .. }
                | VOp::Neg { .. }
                | VOp::Invert { .. }
                | VOp::Compare { .. }
        ),
        _ => false,
    }
}

/// Counts the references to every label (jumps and operands).
pub fn label_uses(ir: &[Ir]) -> BTreeMap<u32, usize> {
    let mut uses = BTreeMap::new();
    for ins in ir {
        if let Some(l) = ins.jump_target() {
            *uses.entry(l).or_insert(0) += 1;
        }
    }
    uses
}

/// The convertible `if` starting with the branch at `i`, if any.
pub fn diamond(ir: &[Ir], i: usize, uses: &BTreeMap<u32, usize>) -> Option<Diamond> {
    let Some(Ir::Viper(VOp::Branch { pop: true, label: l_else, .. })) = ir.get(i) else { return None };
    let only_once = |l: &u32| uses.get(l).copied() == Some(1);
    if !only_once(l_else) {
        return None;
    }
    let body = |from: usize| {
        let mut j = from;
        let mut ops = 0;
        while let Some(ins) = ir.get(j).filter(|i| pure(i) && ops <= MAX_OPS) {
            ops += usize::from(!matches!(ins, Ir::Line(_)));
            j += 1;
        }
        (ops <= MAX_OPS).then_some(j)
    };
    let then_end = body(i + 1)?;
    match ir.get(then_end)? {
        // `if c: A` (no else).
        Ir::Label { label, .. } if label == l_else => {
            Some(Diamond { branch: i, then_ops: i + 1..then_end, else_ops: then_end..then_end, end: then_end + 1 })
        }
        // `if c: A else: B`.
        Ir::Jump { label: l_end } if only_once(l_end) => {
            let Some(Ir::Label { label, .. }) = ir.get(then_end + 1) else { return None };
            if label != l_else {
                return None;
            }
            let else_end = body(then_end + 2)?;
            match ir.get(else_end)? {
                Ir::Label { label, .. } if label == l_end => Some(Diamond {
                    branch: i,
                    then_ops: i + 1..then_end,
                    else_ops: then_end + 2..else_end,
                    end: else_end + 1,
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Rewrites every convertible `if` of `ir` (see the module documentation).
pub fn if_convert(ir: &mut Vec<Ir>) {
    if !ir.iter().any(|i| matches!(i, Ir::Viper(VOp::Branch { .. }))) {
        return;
    }
    let uses = label_uses(ir);
    let mut found = Vec::new();
    let mut i = 0;
    while i < ir.len() {
        match diamond(ir, i, &uses).and_then(|d| convert(ir, &d).map(|ops| (d, ops))) {
            Some((d, ops)) => {
                i = d.end;
                found.push((d, ops));
            }
            None => i += 1,
        }
    }
    if found.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(ir.len());
    let mut old = core::mem::take(ir).into_iter();
    let mut next = 0;
    for (d, ops) in found {
        out.extend(old.by_ref().take(d.branch - next));
        out.extend(ops);
        // The diamond's own instructions.
        old.by_ref().take(d.end - d.branch).for_each(drop);
        next = d.end;
    }
    out.extend(old);
    *ir = out;
}

/// What the branches of one `if` produce: the locals either writes, and
/// whether both push a value (a conditional expression).
struct Outputs {
    locals: Vec<u32>,
    pushes: bool,
}

impl Outputs {
    fn count(&self) -> u32 {
        self.locals.len() as u32 + u32::from(self.pushes)
    }
}

/// The straight-line form of diamond `d`, or `None` when its shape is not
/// the one the rewrite expects.
fn convert(ir: &[Ir], d: &Diamond) -> Option<Vec<Ir>> {
    let Some(Ir::Viper(VOp::Branch { slot: Slot::Stack(k), cond, .. })) = ir.get(d.branch) else { return None };
    let Some(Ir::Label { sp: end_sp, .. }) = ir.get(d.end - 1) else { return None };
    let (k, cond, end_sp) = (*k, *cond, *end_sp);
    let pushes = match end_sp.checked_sub(k)? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let arms = [&ir[d.then_ops.clone()], &ir[d.else_ops.clone()]];
    let mut locals = Vec::new();
    for arm in arms {
        // The stack slots from `k` up the branch has written: it reads no
        // other (the condition's slot is popped, those above are dead).
        let mut temps: Vec<u32> = Vec::new();
        for ins in arm.iter() {
            let Ir::Viper(v) = ins else { continue };
            let mut reads_dead = false;
            let mut probe = *v;
            probe.map_reads(|s| {
                reads_dead |= matches!(s, Slot::Stack(j) if j >= k && !temps.contains(&j));
                s
            });
            if reads_dead {
                return None;
            }
            match v.written_slot()? {
                Slot::Local(n) if !locals.contains(&n) => locals.push(n),
                Slot::Local(_) => {}
                // A branch only writes its own temporaries.
                Slot::Stack(j) if j < k => return None,
                Slot::Stack(j) => temps.push(j),
            }
        }
    }
    let outs = Outputs { locals, pushes };
    let n = outs.count();
    if n == 0 {
        return None;
    }
    // Slot of branch `arm`'s result number `o`.
    let result = |arm: u32, o: u32| Slot::Stack(k + 1 + arm * n + o);
    let shift = 1 + 2 * n;
    let mut ops = Vec::new();
    let mut wrote = [Vec::new(), Vec::new()];
    for (a, arm) in arms.iter().enumerate() {
        let here = &mut wrote[a];
        for ins in arm.iter() {
            let Ir::Viper(v) = ins else {
                ops.push(ins.clone());
                continue;
            };
            let mut v = *v;
            let dst = v.written_slot();
            // An operation updating a local in place starts from its value.
            if let Some(Slot::Local(x)) = dst {
                if !here.contains(&x) && v.reads(Slot::Local(x)) {
                    let o = outs.locals.iter().position(|&l| l == x)? as u32;
                    ops.push(Ir::Viper(VOp::Copy { dst: result(a as u32, o), src: Slot::Local(x) }));
                    here.push(x);
                }
            }
            let map = |s: Slot, here: &[u32]| match s {
                Slot::Local(x) if here.contains(&x) => {
                    let o = outs.locals.iter().position(|&l| l == x).unwrap_or(0) as u32;
                    result(a as u32, o)
                }
                Slot::Stack(j) if j >= k => Slot::Stack(j + shift),
                other => other,
            };
            // Reads first (of the local's old value), then the write (to
            // its result slot from now on).
            v.map_reads(|s| map(s, here));
            if let Some(Slot::Local(x)) = dst {
                if !here.contains(&x) {
                    here.push(x);
                }
            }
            v.map_dst(|s| map(s, here));
            ops.push(Ir::Viper(v));
        }
        if pushes {
            ops.push(Ir::Viper(VOp::Copy { dst: result(a as u32, n - 1), src: Slot::Stack(k + shift) }));
        }
    }
    // The `if` body runs when the branch is not taken: (c != 0) != cond.
    let pick = |then_v: Slot, else_v: Slot| if cond { (else_v, then_v) } else { (then_v, else_v) };
    let c = Slot::Stack(k);
    for (o, &x) in outs.locals.iter().enumerate() {
        let value = |arm: usize| if wrote[arm].contains(&x) { result(arm as u32, o as u32) } else { Slot::Local(x) };
        let (a, b) = pick(value(0), value(1));
        let last = !pushes && o + 1 == outs.locals.len();
        ops.push(Ir::Viper(VOp::Select { dst: Slot::Local(x), cond: c, a, b, pop: last }));
    }
    if pushes {
        let (a, b) = pick(result(0, n - 1), result(1, n - 1));
        ops.push(Ir::Viper(VOp::Select { dst: c, cond: c, a, b, pop: false }));
    }
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::{BinOp, ShiftOp};
    use crate::emit::ir::LabelRole;
    use crate::emit::viper::Arith;
    use alloc::vec;

    fn imm(v: i64) -> Ir {
        Ir::Viper(VOp::Imm { dst: Slot::Local(0), value: v })
    }

    fn branch(label: u32) -> Ir {
        Ir::Viper(VOp::Branch { slot: Slot::Stack(0), cond: false, pop: true, label })
    }

    fn label(label: u32) -> Ir {
        Ir::Label { label, role: LabelRole::Plain, sp: 0 }
    }

    #[test]
    fn if_else_of_word_operations_is_found() {
        let ir = vec![branch(1), imm(1), Ir::Jump { label: 2 }, label(1), imm(2), label(2)];
        let d = diamond(&ir, 0, &label_uses(&ir)).expect("diamond");
        assert_eq!(d, Diamond { branch: 0, then_ops: 1..2, else_ops: 4..5, end: 6 });
        let ir = vec![branch(1), imm(1), label(1)];
        assert_eq!(diamond(&ir, 0, &label_uses(&ir)).map(|d| d.end), Some(3));
    }

    #[test]
    fn memory_calls_and_shared_labels_are_not_converted() {
        // A store in the body.
        let store = Ir::Viper(VOp::Store {
            width: crate::Width::U8,
            base: Slot::Local(1),
            index: crate::emit::viper::Index::Const(0),
            value: Slot::Local(0),
        });
        let ir = vec![branch(1), store, label(1)];
        assert!(diamond(&ir, 0, &label_uses(&ir)).is_none());
        // The else label is also a loop's target.
        let ir = vec![branch(1), imm(1), label(1), Ir::Jump { label: 1 }];
        assert!(diamond(&ir, 0, &label_uses(&ir)).is_none());
        // Too long.
        let mut ir = vec![branch(1)];
        ir.extend((0..MAX_OPS as i64 + 1).map(imm));
        ir.push(label(1));
        assert!(diamond(&ir, 0, &label_uses(&ir)).is_none());
    }

    /// Runs straight-line word code on a little interpreter: locals and
    /// stack slots as two maps.
    fn run(ir: &[Ir], locals: &mut BTreeMap<u32, i64>, stack: &mut BTreeMap<u32, i64>) {
        let get = |s: Slot, l: &BTreeMap<u32, i64>, st: &BTreeMap<u32, i64>| match s {
            Slot::Local(n) => l.get(&n).copied().expect("local set"),
            Slot::Stack(n) => st.get(&n).copied().expect("slot set"),
        };
        let put = |s: Slot, v: i64, l: &mut BTreeMap<u32, i64>, st: &mut BTreeMap<u32, i64>| match s {
            Slot::Local(n) => l.insert(n, v),
            Slot::Stack(n) => st.insert(n, v),
        };
        for ins in ir {
            let Ir::Viper(v) = ins else { continue };
            match *v {
                VOp::Imm { dst, value } => put(dst, value, locals, stack),
                VOp::Copy { dst, src } => put(dst, get(src, locals, stack), locals, stack),
                VOp::Arith { op, dst, a, b } => {
                    let (x, y) = (get(a, locals, stack), get(b, locals, stack));
                    let r = match op {
                        Arith::Bin(BinOp::Add) => x.wrapping_add(y),
                        Arith::Bin(BinOp::Xor) => x ^ y,
                        Arith::Bin(BinOp::And) => x & y,
                        Arith::Shift(ShiftOp::Shr) => ((x as u64) >> y) as i64,
                        _ => unreachable!("not used by the tests"),
                    };
                    put(dst, r, locals, stack)
                }
                VOp::Neg { slot } => put(slot, get(slot, locals, stack).wrapping_neg(), locals, stack),
                VOp::Select { dst, cond, a, b, .. } => {
                    let v = if get(cond, locals, stack) != 0 { get(a, locals, stack) } else { get(b, locals, stack) };
                    put(dst, v, locals, stack)
                }
                _ => unreachable!("not straight-line word code"),
            };
        }
    }

    fn v(op: VOp) -> Ir {
        Ir::Viper(op)
    }

    /// `if c: x = y ^ 5; y = -y` `else: x = y >> 1` at stack depth 1 (slot 0
    /// holds an outer value the branches must not touch).
    fn two_outputs(cond: bool) -> Vec<Ir> {
        let (s1, s2) = (Slot::Stack(1), Slot::Stack(2));
        let (x, y) = (Slot::Local(0), Slot::Local(1));
        let lab = |l| Ir::Label { label: l, role: LabelRole::Plain, sp: 1 };
        vec![
            v(VOp::Branch { slot: s1, cond, pop: true, label: 1 }),
            Ir::Line(3),
            v(VOp::Copy { dst: s1, src: y }),
            v(VOp::Imm { dst: s2, value: 5 }),
            v(VOp::Arith { op: Arith::Bin(BinOp::Xor), dst: s1, a: s1, b: s2 }),
            v(VOp::Copy { dst: x, src: s1 }),
            v(VOp::Neg { slot: y }),
            Ir::Jump { label: 2 },
            lab(1),
            v(VOp::Copy { dst: s1, src: y }),
            v(VOp::Imm { dst: s2, value: 1 }),
            v(VOp::Arith { op: Arith::Shift(ShiftOp::Shr), dst: s1, a: s1, b: s2 }),
            v(VOp::Copy { dst: x, src: s1 }),
            lab(2),
        ]
    }

    #[test]
    fn converted_code_computes_what_the_branches_did() {
        for cond in [false, true] {
            let original = two_outputs(cond);
            let mut ir = original.clone();
            if_convert(&mut ir);
            assert!(ir.iter().all(|i| !matches!(i, Ir::Viper(VOp::Branch { .. }) | Ir::Jump { .. })), "{ir:?}");
            for c in [0, 1, 7] {
                let mut locals = BTreeMap::from([(0, 100), (1, 12)]);
                let mut stack = BTreeMap::from([(0, 42), (1, c)]);
                run(&ir, &mut locals, &mut stack);
                // The branch jumps to the else part when (c != 0) == cond.
                let then = (c != 0) != cond;
                let expect = if then { [(0, 12 ^ 5), (1, -12)] } else { [(0, 6), (1, 12)] };
                assert_eq!(locals, BTreeMap::from(expect), "cond {cond} c {c}");
                assert_eq!(stack.get(&0), Some(&42));
            }
        }
    }

    #[test]
    fn conditional_expression_pushes_the_chosen_value() {
        // `y = (x + 1) if c else 9` at depth 0: both branches push to slot 0.
        let (s0, s1) = (Slot::Stack(0), Slot::Stack(1));
        let lab = |l, sp| Ir::Label { label: l, role: LabelRole::Plain, sp };
        let ir = vec![
            v(VOp::Branch { slot: s0, cond: false, pop: true, label: 1 }),
            v(VOp::Copy { dst: s0, src: Slot::Local(0) }),
            v(VOp::Imm { dst: s1, value: 1 }),
            v(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: s0, a: s0, b: s1 }),
            Ir::Jump { label: 2 },
            lab(1, 0),
            v(VOp::Imm { dst: s0, value: 9 }),
            lab(2, 1),
            v(VOp::Copy { dst: Slot::Local(1), src: s0 }),
        ];
        let mut conv = ir.clone();
        if_convert(&mut conv);
        assert!(conv.iter().any(|i| matches!(i, Ir::Viper(VOp::Select { .. }))));
        for (c, want) in [(0, 9), (3, 41)] {
            let mut locals = BTreeMap::from([(0, 40), (1, 0)]);
            let mut stack = BTreeMap::from([(0, c)]);
            run(&conv, &mut locals, &mut stack);
            assert_eq!(locals.get(&1), Some(&want));
        }
    }

    #[test]
    fn branches_reading_the_popped_condition_stay_branches() {
        let ir = vec![
            v(VOp::Branch { slot: Slot::Stack(0), cond: false, pop: true, label: 1 }),
            v(VOp::Copy { dst: Slot::Local(0), src: Slot::Stack(0) }),
            Ir::Label { label: 1, role: LabelRole::Plain, sp: 0 },
        ];
        let mut conv = ir.clone();
        if_convert(&mut conv);
        assert_eq!(conv, ir);
    }

    #[test]
    fn branches_writing_outer_stack_slots_stay_branches() {
        let ir = vec![
            v(VOp::Branch { slot: Slot::Stack(1), cond: false, pop: true, label: 1 }),
            v(VOp::Imm { dst: Slot::Stack(0), value: 1 }),
            Ir::Label { label: 1, role: LabelRole::Plain, sp: 1 },
        ];
        let mut conv = ir.clone();
        if_convert(&mut conv);
        assert_eq!(conv, ir);
    }
}
