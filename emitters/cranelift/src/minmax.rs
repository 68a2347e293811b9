//! Chains of maxima (or minima) on a loop-carried value are regrouped, so
//! that a round of an unrolled loop carries fewer of them in series.
//!
//! A bubble sort's pass, once [`crate::ifconvert`] made its exchange
//! straight-line and [`crate::forward`] kept the running element in a
//! register, carries that element round the loop through
//! `cur' = select(cur <= x, x, cur)`: the larger of `cur` and the element
//! just loaded. Partial unrolling ([`crate::unroll`]) makes a round of
//! several such steps, `c1 = max(c0, x1)`, `c2 = max(c1, x2)`, ..., and the
//! round's critical path is then one compare and one conditional move per
//! step. A maximum is associative and commutative, so the last value of the
//! chain is `max(c0, max(max(x1, x2), max(x3, x4)))` as well: the tree of
//! the `x`s does not depend on `c0`, and the round would carry one maximum.
//! Each maximum of the tree is one more compare and conditional move in the
//! round, though, and the other steps stay (their values are used: a
//! bubble sort stores the minima), so the round becomes bound by the
//! processor's arithmetic units instead. The pass regroups the second half
//! of the chain only: with `h = n / 2` of its `n` steps kept in series
//! (none for a chain of two), the last value becomes
//! `max(ch, tree(x(h+1), ..., xn))`, and a round carries `h + 1` steps. On
//! the bubble sort's round of four copies (AMD Zen 4) that ran the sort in
//! 23 µs, against 26 µs regrouping the whole chain and 32 µs none of it.
//!
//! A step is any `select` that picks the larger or the smaller of its two
//! arms by comparing them: `select(a cc b, a, b)` or with the arms swapped,
//! for every signed and unsigned ordering (`sgt`, `sge`, `ult`, ...), the
//! condition read through its extensions and its comparisons with zero as
//! [`crate::clif::comparison`] reads a branch's. Ties pick either arm,
//! which are equal. The pass looks at each loop header's parameters: when
//! every back edge passes for one the last value of a chain of at least two
//! steps of the same kind (signed maxima, say), all in one block, that
//! starts from the parameter, the last step is rewritten as `smax(ch, tree)`
//! (`umax`, `smin`, `umin`). The other steps keep their instructions. Every
//! value is the same as before on every input: only the grouping of one
//! associative operation changes, and the operations are exact in the
//! machine word.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{Block, Function, Inst, InstBuilder, InstructionData, Opcode, Value};

use crate::clif::{analyse, comparison, def, source, value_args};

/// Longest chain followed back from a back edge.
const MAX_STEPS: usize = 32;

/// What a step computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The larger as signed words.
    Smax,
    /// The smaller as signed words.
    Smin,
    /// The larger as unsigned words.
    Umax,
    /// The smaller as unsigned words.
    Umin,
}

impl Kind {
    /// The kind `select(a cc b, a, b)` computes, if any.
    fn of(cc: IntCC) -> Option<Kind> {
        match cc {
            IntCC::SignedGreaterThan | IntCC::SignedGreaterThanOrEqual => Some(Kind::Smax),
            IntCC::SignedLessThan | IntCC::SignedLessThanOrEqual => Some(Kind::Smin),
            IntCC::UnsignedGreaterThan | IntCC::UnsignedGreaterThanOrEqual => Some(Kind::Umax),
            IntCC::UnsignedLessThan | IntCC::UnsignedLessThanOrEqual => Some(Kind::Umin),
            IntCC::Equal | IntCC::NotEqual => None,
        }
    }

    /// The kind of the same selection with its arms swapped.
    fn swapped(self) -> Kind {
        match self {
            Kind::Smax => Kind::Smin,
            Kind::Smin => Kind::Smax,
            Kind::Umax => Kind::Umin,
            Kind::Umin => Kind::Umax,
        }
    }

    /// Emits this operation on `a` and `b` at `cur`.
    fn emit(self, cur: &mut FuncCursor<'_>, a: Value, b: Value) -> Value {
        match self {
            Kind::Smax => cur.ins().smax(a, b),
            Kind::Smin => cur.ins().smin(a, b),
            Kind::Umax => cur.ins().umax(a, b),
            Kind::Umin => cur.ins().umin(a, b),
        }
    }
}

/// The kind of maximum or minimum `inst` computes and its two arms (as the
/// instruction names them), if it is a `select` of the larger or smaller of
/// two integers (see the module documentation).
pub fn step(func: &Function, cfg: &ControlFlowGraph, inst: Inst) -> Option<(Kind, [Value; 2])> {
    let InstructionData::Ternary { opcode: Opcode::Select, args: [c, a, b] } = func.dfg.insts[inst] else {
        return None;
    };
    let ty = func.dfg.value_type(func.dfg.first_result(inst));
    if !ty.is_int() || ty.bits() > 64 {
        return None;
    }
    let (cc, x, y) = comparison(func, cfg, c)?;
    let [a0, b0, x0, y0] = [a, b, x, y].map(|v| source(func, cfg, v));
    if x0 == y0 {
        return None;
    }
    let kind = Kind::of(cc)?;
    if (a0, b0) == (x0, y0) {
        Some((kind, [a, b]))
    } else if (a0, b0) == (y0, x0) {
        Some((kind.swapped(), [a, b]))
    } else {
        None
    }
}

/// A chain to regroup.
struct Chain {
    kind: Kind,
    /// The last step, rewritten.
    last: Inst,
    /// The value the chain starts from, as its first step names it (then
    /// the value of the last step kept in series).
    start: Value,
    /// The other arm of each step, first step first (then of the steps
    /// after those kept in series).
    xs: Vec<Value>,
    /// The value of each step, first step first.
    cs: Vec<Value>,
}

/// The chain of same-kind steps in one block that ends with the value `v`
/// and starts from `p`, if it has at least two steps.
fn chain(func: &Function, cfg: &ControlFlowGraph, p: Value, v: Value) -> Option<Chain> {
    let last = def(func, v)?;
    let block = func.layout.inst_block(last)?;
    let (kind, _) = step(func, cfg, last)?;
    let mut xs = Vec::new();
    let mut cs = Vec::new();
    let mut at = last;
    loop {
        if xs.len() >= MAX_STEPS {
            return None;
        }
        let (k, [a, b]) = step(func, cfg, at)?;
        if k != kind {
            return None;
        }
        cs.push(func.dfg.first_result(at));
        let starts = |v: Value| source(func, cfg, v) == p;
        // The arm that continues the chain: `p` itself, or another step of
        // this block (only one of the two).
        let inner = |v: Value| {
            def(func, v).filter(|&i| {
                func.layout.inst_block(i) == Some(block) && step(func, cfg, i).is_some_and(|(k, _)| k == kind)
            })
        };
        let (prev, x) = match (starts(a), starts(b)) {
            (true, false) => (a, b),
            (false, true) => (b, a),
            (true, true) => return None,
            (false, false) => match (inner(a), inner(b)) {
                (Some(i), None) => {
                    xs.push(b);
                    at = i;
                    continue;
                }
                (None, Some(i)) => {
                    xs.push(a);
                    at = i;
                    continue;
                }
                _ => return None,
            },
        };
        xs.push(x);
        xs.reverse();
        cs.reverse();
        return (xs.len() >= 2).then_some(Chain { kind, last, start: prev, xs, cs });
    }
}

/// The values every edge from a block of `inside` to `header` passes for
/// its parameters (aliases resolved), where they agree.
fn carried(
    func: &Function,
    cfg: &ControlFlowGraph,
    header: Block,
    inside: impl Fn(Block) -> bool,
) -> Vec<Option<Value>> {
    let n = func.dfg.block_params(header).len();
    let mut out: Option<Vec<Option<Value>>> = None;
    for pred in cfg.pred_iter(header).filter(|p| inside(p.block)) {
        let args: Vec<Option<Value>> = match value_args(func, pred.inst, header) {
            Some(a) => a.into_iter().map(|v| Some(func.dfg.resolve_aliases(v))).collect(),
            None => vec![None; n],
        };
        out = Some(match out {
            None => args,
            Some(prev) => prev.into_iter().zip(args).map(|(a, b)| if a == b { a } else { None }).collect(),
        });
    }
    out.unwrap_or_default()
}

/// Regroups the qualifying chains of `func` (see the module documentation);
/// the number regrouped.
pub fn regroup(func: &mut Function) -> usize {
    let (cfg, _, loops) = analyse(func);
    let mut chains: Vec<Chain> = Vec::new();
    for lp in loops.loops() {
        let header = loops.loop_header(lp);
        let params = func.dfg.block_params(header).to_vec();
        let back = carried(func, &cfg, header, |b| loops.is_in_loop(b, lp));
        for (&p, v) in params.iter().zip(back) {
            let Some(c) = v.and_then(|v| chain(func, &cfg, p, v)) else { continue };
            let in_loop = func.layout.inst_block(c.last).is_some_and(|b| loops.is_in_loop(b, lp));
            if in_loop && chains.iter().all(|o| o.last != c.last) {
                chains.push(c);
            }
        }
    }
    for c in &mut chains {
        // The steps kept in series (see the module documentation).
        let h = (c.xs.len() / 2).min(c.xs.len() - 2);
        if h > 0 {
            c.start = c.cs[h - 1];
            c.xs.drain(..h);
        }
    }
    for c in &chains {
        let mut cur = FuncCursor::new(func).at_inst(c.last);
        let mut level = c.xs.clone();
        while level.len() > 1 {
            level = level.chunks(2).map(|p| if let [a, b] = *p { c.kind.emit(&mut cur, a, b) } else { p[0] }).collect();
        }
        let tree = level[0];
        match c.kind {
            Kind::Smax => func.replace(c.last).smax(c.start, tree),
            Kind::Smin => func.replace(c.last).smin(c.start, tree),
            Kind::Umax => func.replace(c.last).umax(c.start, tree),
            Kind::Umin => func.replace(c.last).umin(c.start, tree),
        };
    }
    chains.len()
}

/// Some parameter of loop body `body` is carried through one step: the
/// branch arguments `back` the latch passes to `body` include a step one of
/// whose arms is the parameter itself (partial unrolling makes such loops
/// longer rounds, for [`regroup`]).
pub fn carried_step(func: &Function, cfg: &ControlFlowGraph, body: Block, back: &[Value]) -> bool {
    func.dfg.block_params(body).iter().zip(back).any(|(&p, &v)| {
        let v = source(func, cfg, v);
        def(func, v)
            .and_then(|i| step(func, cfg, i))
            .is_some_and(|(_, arms)| arms.iter().any(|&a| source(func, cfg, a) == p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{build, count, verify};
    use cranelift_codegen::ir::{types, MemFlagsData};
    use cranelift_frontend::FunctionBuilder;

    /// One step: `select(cond, ..)` on `cur` and `x`, where `cond` is
    /// `cur cc x` (or `x cc cur` when `flip`), negated the translator's way
    /// (`uextend(..) == 0`) when `negated`, with the arms `(cur, x)` or
    /// swapped.
    #[derive(Clone, Copy)]
    struct Form {
        cc: IntCC,
        flip: bool,
        negated: bool,
        swapped: bool,
    }

    fn form(cc: IntCC) -> Form {
        Form { cc, flip: false, negated: false, swapped: false }
    }

    fn emit(b: &mut FunctionBuilder<'_>, f: Form, cur: Value, x: Value) -> Value {
        let (l, r) = if f.flip { (x, cur) } else { (cur, x) };
        let mut c = b.ins().icmp(f.cc, l, r);
        if f.negated {
            let wide = b.ins().uextend(types::I64, c);
            c = b.ins().icmp_imm_s(IntCC::Equal, wide, 0);
        }
        if f.swapped {
            b.ins().select(c, x, cur)
        } else {
            b.ins().select(c, cur, x)
        }
    }

    /// `c = a; k = 0; while ..: c = step(..step(c, p[k])..,p[k+n-1]); k += n`
    /// in one block, the loop carrying `c` (or, unless `carried`, carrying
    /// `c` unchanged and returning the chain's value).
    fn looped(forms: &[Form], carried: bool) -> Function {
        build(2, |b, args| {
            let (p, a) = (args[0], args[1]);
            let (head, exit) = (b.create_block(), b.create_block());
            let c = b.append_block_param(head, types::I64);
            let k = b.append_block_param(head, types::I64);
            let zero = b.ins().iconst(types::I64, 0);
            b.ins().jump(head, &[a.into(), zero.into()]);
            b.switch_to_block(head);
            let base = b.ins().iadd(p, k);
            let mut cur = c;
            for (i, &f) in forms.iter().enumerate() {
                let x = b.ins().uload8(types::I64, MemFlagsData::new(), base, i as i32);
                cur = emit(b, f, cur, x);
            }
            let next = b.ins().iadd_imm_s(k, forms.len() as i64);
            let more = b.ins().icmp_imm_s(IntCC::SignedLessThan, next, 100);
            let back = if carried { cur } else { c };
            b.ins().brif(more, head, &[back.into(), next.into()], exit, &[]);
            b.switch_to_block(exit);
            b.ins().return_(&[cur]);
        })
        .0
    }

    fn regrouped(mut func: Function) -> (usize, Function) {
        verify(&func);
        let n = regroup(&mut func);
        verify(&func);
        (n, func)
    }

    /// `x cc y` on 64-bit words.
    fn holds(cc: IntCC, x: i64, y: i64) -> bool {
        let (ux, uy) = (x as u64, y as u64);
        match cc {
            IntCC::Equal => x == y,
            IntCC::NotEqual => x != y,
            IntCC::SignedLessThan => x < y,
            IntCC::SignedGreaterThanOrEqual => x >= y,
            IntCC::SignedGreaterThan => x > y,
            IntCC::SignedLessThanOrEqual => x <= y,
            IntCC::UnsignedLessThan => ux < uy,
            IntCC::UnsignedGreaterThanOrEqual => ux >= uy,
            IntCC::UnsignedGreaterThan => ux > uy,
            IntCC::UnsignedLessThanOrEqual => ux <= uy,
        }
    }

    fn apply(kind: Kind, x: i64, y: i64) -> i64 {
        match kind {
            Kind::Smax => x.max(y),
            Kind::Smin => x.min(y),
            Kind::Umax => (x as u64).max(y as u64) as i64,
            Kind::Umin => (x as u64).min(y as u64) as i64,
        }
    }

    const CCS: [IntCC; 10] = [
        IntCC::Equal,
        IntCC::NotEqual,
        IntCC::SignedLessThan,
        IntCC::SignedGreaterThanOrEqual,
        IntCC::SignedGreaterThan,
        IntCC::SignedLessThanOrEqual,
        IntCC::UnsignedLessThan,
        IntCC::UnsignedGreaterThanOrEqual,
        IntCC::UnsignedGreaterThan,
        IntCC::UnsignedLessThanOrEqual,
    ];

    #[test]
    fn every_spelling_is_classified_as_what_it_computes() {
        let values = [0, 1, -1, 2, 255, i64::MAX, i64::MIN, i64::MIN + 1, 0x1234_5678];
        for cc in CCS {
            for bits in 0..8u8 {
                let f = Form { cc, flip: bits & 1 != 0, negated: bits & 2 != 0, swapped: bits & 4 != 0 };
                let func = looped(&[f], true);
                let cfg = ControlFlowGraph::with_function(&func);
                let select = func
                    .layout
                    .blocks()
                    .flat_map(|b| func.layout.block_insts(b))
                    .find(|&i| func.dfg.insts[i].opcode() == Opcode::Select)
                    .expect("a select");
                let found = step(&func, &cfg, select);
                if matches!(cc, IntCC::Equal | IntCC::NotEqual) {
                    assert!(found.is_none());
                    continue;
                }
                let (kind, _) = found.expect("a maximum or minimum");
                // What the select computes, on every pair of values.
                for &cur in &values {
                    for &x in &values {
                        let (l, r) = if f.flip { (x, cur) } else { (cur, x) };
                        let cond = holds(cc, l, r) != f.negated;
                        let picked = match (cond, f.swapped) {
                            (true, false) | (false, true) => cur,
                            _ => x,
                        };
                        assert_eq!(picked, apply(kind, cur, x), "{cc:?} bits {bits}: {cur} {x}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_carried_chain_becomes_one_step_on_a_tree() {
        let translator = Form { cc: IntCC::SignedGreaterThan, flip: false, negated: true, swapped: true };
        let (n, func) = regrouped(looped(&[translator; 4], true));
        assert_eq!(n, 1);
        // Two steps kept in series; one maximum for the tree of the last
        // two loads, one for the carried value.
        assert_eq!(count(&func, Opcode::Smax, None), 2);
        assert_eq!(count(&func, Opcode::Select, None), 3);
        let head = func.layout.blocks().nth(1).expect("the loop");
        let latch = func.layout.last_inst(head).expect("its branch");
        let carried = value_args(&func, latch, head).expect("back edge")[0];
        let smax = |v: Value| match func.dfg.insts[def(&func, v).expect("defined")] {
            InstructionData::Binary { opcode: Opcode::Smax, args } => args,
            _ => panic!("{}", func.display()),
        };
        // `max(c2, max(x3, x4))`: the second step, and the last two loads.
        let [c2, tree] = smax(carried);
        assert_eq!(func.dfg.insts[def(&func, c2).expect("a step")].opcode(), Opcode::Select);
        for x in smax(tree) {
            assert_eq!(func.dfg.insts[def(&func, x).expect("a load")].opcode(), Opcode::Uload8);
        }
        // Mixed spellings of one kind, and unsigned minima.
        let forms = [
            form(IntCC::UnsignedLessThan),
            Form { cc: IntCC::UnsignedGreaterThanOrEqual, flip: false, negated: false, swapped: true },
            Form { cc: IntCC::UnsignedLessThanOrEqual, flip: true, negated: true, swapped: false },
        ];
        let (n, func) = regrouped(looped(&forms, true));
        assert_eq!(n, 1);
        assert_eq!(count(&func, Opcode::Umin, None), 2);
        // Two steps are enough.
        let (n, func) = regrouped(looped(&[form(IntCC::SignedLessThan); 2], true));
        assert_eq!((n, count(&func, Opcode::Smin, None)), (1, 2));
    }

    #[test]
    fn near_misses_are_left_alone() {
        let max = form(IntCC::SignedGreaterThan);
        for forms in [
            // One step.
            vec![max],
            // Signed then unsigned, a maximum then a minimum.
            vec![max, form(IntCC::UnsignedGreaterThan), max],
            vec![max, form(IntCC::SignedLessThan)],
            // Not an ordering.
            vec![form(IntCC::Equal); 3],
        ] {
            let (n, func) = regrouped(looped(&forms, true));
            assert_eq!(n, 0);
            assert_eq!(
                count(&func, Opcode::Smax, None) + count(&func, Opcode::Umax, None) + count(&func, Opcode::Smin, None),
                0
            );
        }
        // A chain whose value the loop does not carry.
        let (n, _) = regrouped(looped(&[max; 4], false));
        assert_eq!(n, 0);
    }

    #[test]
    fn loops_carrying_a_step_are_found_for_unrolling() {
        let max = form(IntCC::UnsignedGreaterThan);
        for (forms, carried, expected) in
            [(vec![max], true, true), (vec![max], false, false), (vec![max; 2], true, false)]
        {
            let func = looped(&forms, carried);
            let cfg = ControlFlowGraph::with_function(&func);
            let head = func.layout.blocks().nth(1).expect("the loop");
            let latch = func.layout.last_inst(head).expect("its branch");
            let back = value_args(&func, latch, head).expect("back edge");
            // Two steps: the back edge passes the second, whose arms are the
            // first step and a load.
            assert_eq!(carried_step(&func, &cfg, head, &back), expected);
        }
    }
}
