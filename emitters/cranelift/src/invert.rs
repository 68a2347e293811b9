//! Loop inversion: the loop test moves to the bottom.
//!
//! The viper code of a `for`/`while` loop tests at its head: the code before
//! the loop jumps to the test, whose branch enters the body or leaves. As
//! Cranelift lays blocks out in reverse post-order, such a loop ends with an
//! unconditional jump back to the test at its top, one more branch per
//! iteration than a loop tested at the bottom. This pass copies the test
//! into the block that jumps to it from outside the loop, so the test is
//! reached from outside only through the copy: the body becomes the loop's
//! head and the test its last block, which branches back.
//!
//! A loop qualifies when its test block (the header) holds only a few pure
//! instructions and a two-way branch, is entered from outside by exactly one
//! unconditional jump, and each of its two successors has no other
//! predecessor. Values the test defines (its parameters included) and code
//! after it uses become parameters of the successors, which both the test
//! and its copy pass; a use that neither successor dominates leaves the
//! loop as it is.

use std::collections::HashMap;

use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{Block, Function, Inst, Opcode, Value};
use cranelift_codegen::loop_analysis::LoopAnalysis;

use crate::clif::{analyse, pure, rename, value_args};

/// Tests longer than this are not copied.
const MAX_TEST_INSTS: usize = 8;

/// A loop to invert.
struct Plan {
    header: Block,
    /// The jump into the header from outside the loop.
    entry_jump: Inst,
    /// The header's branch and its two successors.
    branch: Inst,
    succs: [Block; 2],
    /// Header values (parameters and results) used after it, per successor
    /// (the successor dominating the uses).
    escaping: [Vec<Value>; 2],
}

/// Inverts the qualifying loops of `func` (see the module documentation).
pub fn invert_loops(func: &mut Function) {
    let (cfg, domtree, loops) = analyse(func);
    let plans: Vec<Plan> = loops.loops().filter_map(|lp| plan(func, &cfg, &domtree, &loops, lp)).collect();
    // Loops share no header, entry jump or successor, so the plans stay valid
    // as each is carried out (only values and arguments change).
    for p in plans {
        invert(func, &domtree, &p);
    }
}

fn plan(
    func: &Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    loops: &LoopAnalysis,
    lp: cranelift_codegen::loop_analysis::Loop,
) -> Option<Plan> {
    let header = loops.loop_header(lp);
    if Some(header) == func.layout.entry_block() {
        return None;
    }
    let outside: Vec<_> = cfg.pred_iter(header).filter(|p| !loops.is_in_loop(p.block, lp)).collect();
    let [entry] = outside.as_slice() else { return None };
    if func.dfg.insts[entry.inst].opcode() != Opcode::Jump {
        return None;
    }
    let insts: Vec<Inst> = func.layout.block_insts(header).collect();
    let (&branch, body) = insts.split_last()?;
    if body.len() > MAX_TEST_INSTS || !body.iter().all(|&i| pure(func.dfg.insts[i].opcode())) {
        return None;
    }
    if func.dfg.insts[branch].opcode() != Opcode::Brif {
        return None;
    }
    let dfg = &func.dfg;
    let calls = dfg.insts[branch].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
    let succs = [calls[0].block(&dfg.value_lists), calls[1].block(&dfg.value_lists)];
    if succs[0] == succs[1] || succs.contains(&header) || succs.iter().any(|&s| cfg.pred_iter(s).count() != 1) {
        return None;
    }
    // The header's entry arguments must be plain values (they replace its parameters).
    value_args(func, entry.inst, header)?;
    // Values of the header (parameters and results) used in other blocks.
    let mut defined: Vec<Value> = dfg.block_params(header).to_vec();
    defined.extend(body.iter().flat_map(|&i| dfg.inst_results(i).iter().copied()));
    let mut escaping: [Vec<Value>; 2] = [Vec::new(), Vec::new()];
    for block in func.layout.blocks() {
        if block == header {
            continue;
        }
        for inst in func.layout.block_insts(block) {
            for v in dfg.inst_values(inst) {
                let v = dfg.resolve_aliases(v);
                if !defined.contains(&v) {
                    continue;
                }
                let k = succs.iter().position(|&s| domtree.block_dominates(s, block))?;
                if !escaping[k].contains(&v) {
                    escaping[k].push(v);
                }
            }
        }
    }
    Some(Plan { header, entry_jump: entry.inst, branch, succs, escaping })
}

fn invert(func: &mut Function, domtree: &DominatorTree, p: &Plan) {
    // 1. Escaping values become parameters of the successor that dominates their uses.
    for (k, &succ) in p.succs.iter().enumerate() {
        let mut renamed: HashMap<Value, Value> = HashMap::new();
        for &v in &p.escaping[k] {
            let ty = func.dfg.value_type(v);
            let param = func.dfg.append_block_param(succ, ty);
            let dfg = &mut func.dfg;
            let calls = dfg.insts[p.branch].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables);
            calls[k].append_argument(v, &mut dfg.value_lists);
            renamed.insert(v, param);
        }
        if renamed.is_empty() {
            continue;
        }
        let blocks: Vec<Block> = func.layout.blocks().filter(|&b| domtree.block_dominates(succ, b)).collect();
        for b in blocks {
            let insts: Vec<Inst> = func.layout.block_insts(b).collect();
            for inst in insts {
                rename(func, inst, &renamed);
            }
        }
    }
    // 2. The test is copied before the entry jump, its parameters replaced by
    //    the jump's arguments, and the copied branch replaces the jump.
    let args = value_args(func, p.entry_jump, p.header).unwrap_or_default();
    let mut copied: HashMap<Value, Value> = func.dfg.block_params(p.header).iter().copied().zip(args).collect();
    let insts: Vec<Inst> = func.layout.block_insts(p.header).collect();
    for inst in insts {
        let new = func.dfg.clone_inst(inst);
        rename(func, new, &copied);
        func.layout.insert_inst(new, p.entry_jump);
        let olds = func.dfg.inst_results(inst).to_vec();
        let news = func.dfg.inst_results(new).to_vec();
        for (o, n) in olds.into_iter().zip(news) {
            copied.insert(o, n);
        }
    }
    func.layout.remove_inst(p.entry_jump);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{begin_loop, finish, verify, word_function, CountingLoop};
    use cranelift_codegen::ir::{types, InstBuilder};
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    /// `s = 0; k = 0; while k < n: s += k; k += 1` then `return s * k`;
    /// with `exit_extra` the entry also branches to the exit (when `n` is
    /// zero), so the exit has a predecessor besides the test.
    fn counting_loop(exit_extra: bool) -> Function {
        let mut func = word_function(1);
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let (entry, pre, exit) = (b.create_block(), b.create_block(), b.create_block());
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let n = b.block_params(entry)[0];
        if exit_extra {
            b.ins().brif(n, pre, &[], exit, &[]);
        } else {
            b.ins().jump(pre, &[]);
        }
        b.switch_to_block(pre);
        let CountingLoop { head, k, s, .. } = begin_loop(&mut b, n, exit);
        let s2 = b.ins().iadd(s, k);
        let one = b.ins().iconst(types::I64, 1);
        let k2 = b.ins().iadd(k, one);
        b.ins().jump(head, &[k2.into(), s2.into()]);
        b.switch_to_block(exit);
        if exit_extra {
            // From the entry `k` and `s` do not exist: return a constant.
            let seven = b.ins().iconst(types::I64, 7);
            b.ins().return_(&[seven]);
        } else {
            let r = b.ins().imul(s, k);
            b.ins().return_(&[r]);
        }
        finish(b);
        func
    }

    fn terminator_opcode(func: &Function, block: Block) -> Opcode {
        func.dfg.insts[func.layout.last_inst(block).unwrap()].opcode()
    }

    #[test]
    fn the_test_is_copied_into_the_preheader_and_values_flow_through_parameters() {
        let mut func = counting_loop(false);
        verify(&func);
        let blocks: Vec<Block> = func.layout.blocks().collect();
        let (pre, head, body, exit) = (blocks[1], blocks[2], blocks[3], blocks[4]);
        assert_eq!(terminator_opcode(&func, pre), Opcode::Jump);
        invert_loops(&mut func);
        verify(&func);
        // The preheader now tests and branches itself.
        assert_eq!(terminator_opcode(&func, pre), Opcode::Brif);
        assert!(func.layout.block_insts(pre).any(|i| func.dfg.insts[i].opcode() == Opcode::Icmp));
        // The body and the exit receive `k` and `s` from both branches.
        assert_eq!(func.dfg.block_params(body).len(), 2);
        assert_eq!(func.dfg.block_params(exit).len(), 2);
        // The header is reached only from the loop now: the body is the loop's head.
        let cfg = ControlFlowGraph::with_function(&func);
        let preds: Vec<Block> = cfg.pred_iter(head).map(|p| p.block).collect();
        assert_eq!(preds, [body]);
        let domtree = DominatorTree::with_function(&func, &cfg);
        let mut loops = LoopAnalysis::new();
        loops.compute(&func, &cfg, &domtree);
        let heads: Vec<Block> = loops.loops().map(|lp| loops.loop_header(lp)).collect();
        assert_eq!(heads, [body]);
    }

    #[test]
    fn loops_whose_exit_has_other_predecessors_are_left_alone() {
        let mut func = counting_loop(true);
        let before = func.display().to_string();
        invert_loops(&mut func);
        assert_eq!(func.display().to_string(), before);
    }
}
