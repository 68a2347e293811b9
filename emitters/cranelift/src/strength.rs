//! Strength reduction of products with a loop counter.
//!
//! Cranelift hoists invariant code but keeps `k * n` in a loop where `k`
//! steps by a constant and `n` does not change (matrix code indexes with
//! `k * n + j`). This pass gives such a product its own loop-header
//! parameter `q`: it enters as `start * n` and the back edges pass
//! `q + step * n`, so the loop adds instead of multiplying. Wrapping
//! arithmetic makes the two forms agree on every value, overflow included
//! (`(k + c) * n == k * n + c * n` modulo 2^64).
//!
//! A counter is a header parameter `k` to which every back edge passes
//! `k + c` (`c` a constant or a value defined outside the loop); a product
//! qualifies when its other factor is defined outside the loop and is not a
//! constant (products by constants are scaled addresses or shifts already).

use std::collections::HashMap;

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{types, Block, BlockArg, Function, Inst, InstBuilder, Opcode, Value, ValueDef};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};

use crate::clif::{analyse, constant, defined_outside, Step};

/// One loop's edges into its header: (branch, is a back edge).
struct Edges {
    header: Block,
    branches: Vec<(Inst, bool)>,
}

/// Reduces the products of `func` (see the module documentation).
pub fn reduce_products(func: &mut Function) {
    let (cfg, _, loops) = analyse(func);
    let entry = func.layout.entry_block();
    for lp in loops.loops().collect::<Vec<_>>() {
        let header = loops.loop_header(lp);
        if Some(header) == entry {
            continue;
        }
        let branches = cfg.pred_iter(header).map(|p| (p.inst, loops.is_in_loop(p.block, lp))).collect();
        let edges = Edges { header, branches };
        reduce_loop(func, &loops, lp, &edges);
    }
}

fn reduce_loop(func: &mut Function, loops: &LoopAnalysis, lp: Loop, edges: &Edges) {
    let blocks: Vec<Block> = func.layout.blocks().filter(|&b| loops.is_in_loop(b, lp)).collect();
    let params = func.dfg.block_params(edges.header).to_vec();
    let mut steps: HashMap<Value, Step> = HashMap::new();
    for (k, &p) in params.iter().enumerate() {
        if let Some(step) = counter_step(func, loops, lp, edges, k, p) {
            steps.insert(p, step);
        }
    }
    if steps.is_empty() {
        return;
    }
    // Products to reduce: (instruction, counter, factor).
    let mut products = Vec::new();
    for &b in &blocks {
        for inst in func.layout.block_insts(b) {
            if func.dfg.insts[inst].opcode() != Opcode::Imul {
                continue;
            }
            let [x, y] = func.dfg.inst_args(inst) else { continue };
            let (x, y) = (func.dfg.resolve_aliases(*x), func.dfg.resolve_aliases(*y));
            let found = if steps.contains_key(&x) && invariant_factor(func, loops, lp, y) {
                Some((x, y))
            } else if steps.contains_key(&y) && invariant_factor(func, loops, lp, x) {
                Some((y, x))
            } else {
                None
            };
            if let Some((counter, factor)) = found {
                products.push((inst, counter, factor));
            }
        }
    }
    let mut reduced: HashMap<(Value, Value), Value> = HashMap::new();
    for (inst, counter, factor) in products {
        let q = match reduced.get(&(counter, factor)) {
            Some(&q) => q,
            None => {
                let Some(k) = params.iter().position(|&p| p == counter) else { continue };
                let q = add_reduced_param(func, edges, k, factor, steps[&counter]);
                reduced.insert((counter, factor), q);
                q
            }
        };
        let result = func.dfg.first_result(inst);
        func.layout.remove_inst(inst);
        func.dfg.detach_inst_results(inst);
        func.dfg.change_to_alias(result, q);
    }
}

/// The step of header parameter `p` (index `k`) if every back edge passes
/// `p + step`.
fn counter_step(func: &Function, loops: &LoopAnalysis, lp: Loop, edges: &Edges, k: usize, p: Value) -> Option<Step> {
    if func.dfg.value_type(p) != types::I64 {
        return None;
    }
    let mut step = None;
    let mut backs = 0;
    for &(inst, back) in &edges.branches {
        let dfg = &func.dfg;
        for call in dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables) {
            if call.block(&dfg.value_lists) != edges.header {
                continue;
            }
            let BlockArg::Value(v) = call.args(&dfg.value_lists).nth(k)? else { return None };
            if !back {
                continue;
            }
            backs += 1;
            let ValueDef::Result(def, _) = dfg.value_def(dfg.resolve_aliases(v)) else { return None };
            if dfg.insts[def].opcode() != Opcode::Iadd {
                return None;
            }
            let [a, b] = dfg.inst_args(def) else { return None };
            let (a, b) = (dfg.resolve_aliases(*a), dfg.resolve_aliases(*b));
            let other = if a == p {
                b
            } else if b == p {
                a
            } else {
                return None;
            };
            let this = match constant(func, other) {
                Some(c) => Step::Const(c),
                None if defined_outside(func, loops, lp, other) => Step::Value(other),
                None => return None,
            };
            step = match (step, this) {
                (None, s) => Some(s),
                (Some(Step::Const(x)), Step::Const(y)) if x == y => Some(this),
                (Some(Step::Value(x)), Step::Value(y)) if x == y => Some(this),
                _ => return None,
            };
        }
    }
    (backs > 0).then_some(step).flatten()
}

/// Adds header parameter `q == counter * factor` (the counter is header
/// parameter `k`): entry edges pass `start * factor`, back edges
/// `q + step * factor`.
fn add_reduced_param(func: &mut Function, edges: &Edges, k: usize, factor: Value, step: Step) -> Value {
    let q = func.dfg.append_block_param(edges.header, types::I64);
    for &(inst, back) in &edges.branches {
        let n_calls = {
            let dfg = &func.dfg;
            dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables).len()
        };
        for c in 0..n_calls {
            let dfg = &func.dfg;
            let call = dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables)[c];
            if call.block(&dfg.value_lists) != edges.header {
                continue;
            }
            let Some(BlockArg::Value(start)) = call.args(&dfg.value_lists).nth(k) else { continue };
            let mut cur = FuncCursor::new(func).at_inst(inst);
            let arg = if back {
                let inc = match step {
                    Step::Const(1) => factor,
                    Step::Const(s) => {
                        let s = cur.ins().iconst(types::I64, s);
                        cur.ins().imul(factor, s)
                    }
                    Step::Value(s) => cur.ins().imul(factor, s),
                };
                cur.ins().iadd(q, inc)
            } else {
                cur.ins().imul(start, factor)
            };
            let dfg = &mut func.dfg;
            let calls = dfg.insts[inst].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables);
            calls[c].append_argument(arg, &mut dfg.value_lists);
        }
    }
    q
}

/// `v` is a loop-invariant, non-constant product factor.
fn invariant_factor(func: &Function, loops: &LoopAnalysis, lp: Loop, v: Value) -> bool {
    func.dfg.value_type(v) == types::I64 && constant(func, v).is_none() && defined_outside(func, loops, lp, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{begin_loop, build, verify, CountingLoop};

    /// What the loop body multiplies the counter `k` by.
    #[derive(Clone, Copy)]
    enum Factor {
        /// The invariant parameter `x`.
        Param,
        /// A value computed in the loop (`s + 1`).
        InLoop,
        /// The constant 12.
        Const,
    }

    /// `f(n, x)`: `s = 0; for (k = 0; k < n; k += step) s += k * factor; return s`
    /// (`step` 0 makes the back edge pass `k * 2` instead).
    fn loop_function(factor: Factor, step: i64) -> Function {
        build(2, |b, args| {
            let (n, x) = (args[0], args[1]);
            let exit = b.create_block();
            let CountingLoop { head, k, s, .. } = begin_loop(b, n, exit);
            let f = match factor {
                Factor::Param => x,
                Factor::InLoop => {
                    let one = b.ins().iconst(types::I64, 1);
                    b.ins().iadd(s, one)
                }
                Factor::Const => b.ins().iconst(types::I64, 12),
            };
            let m = b.ins().imul(k, f);
            let s2 = b.ins().iadd(s, m);
            let k2 = if step == 0 {
                let two = b.ins().iconst(types::I64, 2);
                b.ins().imul(k, two)
            } else {
                let c = b.ins().iconst(types::I64, step);
                b.ins().iadd(k, c)
            };
            b.ins().jump(head, &[k2.into(), s2.into()]);
            b.switch_to_block(exit);
            b.ins().return_(&[s]);
        })
        .0
    }

    fn imuls(func: &Function) -> usize {
        let insts = func.layout.blocks().flat_map(|b| func.layout.block_insts(b)).collect::<Vec<_>>();
        insts.into_iter().filter(|&i| func.dfg.insts[i].opcode() == Opcode::Imul).count()
    }

    /// The imuls left in the loop body (the header's successor `block2`).
    fn body_imuls(func: &Function) -> usize {
        let body = func.layout.blocks().nth(2).unwrap();
        func.layout.block_insts(body).filter(|&i| func.dfg.insts[i].opcode() == Opcode::Imul).count()
    }

    #[test]
    fn a_counter_times_an_invariant_becomes_an_added_parameter() {
        for step in [1, 3, -2] {
            let mut func = loop_function(Factor::Param, step);
            verify(&func);
            assert_eq!(body_imuls(&func), 1);
            reduce_products(&mut func);
            verify(&func);
            assert_eq!(body_imuls(&func), if step == 1 { 0 } else { 1 }, "step {step}:\n{}", func.display());
            // The header gains the product: `k`, `s` and `q`.
            let head = func.layout.blocks().nth(1).unwrap();
            assert_eq!(func.dfg.block_params(head).len(), 3);
            // Entry edge: `0 * x`; a step other than 1: `x * step` on the back edge.
            assert_eq!(imuls(&func), if step == 1 { 1 } else { 2 });
        }
    }

    #[test]
    fn other_products_and_counters_are_left_alone() {
        for (factor, step) in [(Factor::InLoop, 1), (Factor::Const, 1), (Factor::Param, 0)] {
            let mut func = loop_function(factor, step);
            let before = func.display().to_string();
            reduce_products(&mut func);
            verify(&func);
            assert_eq!(func.display().to_string(), before);
        }
    }
}
