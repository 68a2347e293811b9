//! Small queries and edits over Cranelift functions that the passes share.

use std::collections::HashMap;

use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::{Block, BlockArg, Function, Inst, InstructionData, Opcode, Value, ValueDef};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};

/// The step of a loop counter: a constant or a loop-invariant value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Added constant.
    Const(i64),
    /// Added invariant value.
    Value(Value),
}

/// The control-flow graph, dominator tree and loops of `func`.
pub fn analyse(func: &Function) -> (ControlFlowGraph, DominatorTree, LoopAnalysis) {
    let cfg = ControlFlowGraph::with_function(func);
    let domtree = DominatorTree::with_function(func, &cfg);
    let mut loops = LoopAnalysis::new();
    loops.compute(func, &cfg, &domtree);
    (cfg, domtree, loops)
}

/// The value of `v` if an `iconst` defines it.
pub fn constant(func: &Function, v: Value) -> Option<i64> {
    let ValueDef::Result(inst, _) = func.dfg.value_def(v) else { return None };
    match func.dfg.insts[inst] {
        InstructionData::UnaryImm { opcode: Opcode::Iconst, imm } => Some(imm.bits()),
        _ => None,
    }
}

/// The instruction defining `v` (aliases resolved), if an instruction does.
pub fn def(func: &Function, v: Value) -> Option<Inst> {
    match func.dfg.value_def(func.dfg.resolve_aliases(v)) {
        ValueDef::Result(inst, _) => Some(inst),
        _ => None,
    }
}

/// The two arguments (aliases resolved) of `v`'s definition if it is the
/// binary operation `op`.
pub fn binary(func: &Function, v: Value, op: Opcode) -> Option<[Value; 2]> {
    let inst = def(func, v)?;
    match func.dfg.insts[inst] {
        InstructionData::Binary { opcode, args: [x, y] } if opcode == op => {
            Some([func.dfg.resolve_aliases(x), func.dfg.resolve_aliases(y)])
        }
        _ => None,
    }
}

/// The arguments branch `inst` passes to `to`, if it branches there exactly
/// once.
pub fn branch_args(func: &Function, inst: Inst, to: Block) -> Option<Vec<BlockArg>> {
    let dfg = &func.dfg;
    let calls = dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
    let mut into = calls.iter().filter(|c| c.block(&dfg.value_lists) == to);
    let (Some(call), None) = (into.next(), into.next()) else { return None };
    Some(call.args(&dfg.value_lists).collect())
}

/// The values branch `inst` passes to `to`, if it branches there exactly
/// once and every argument is a plain value.
pub fn value_args(func: &Function, inst: Inst, to: Block) -> Option<Vec<Value>> {
    branch_args(func, inst, to)?
        .into_iter()
        .map(|a| match a {
            BlockArg::Value(v) => Some(v),
            _ => None,
        })
        .collect()
}

/// Appends `v` to the arguments `branch` passes to `to`.
pub fn append_arg(func: &mut Function, branch: Inst, to: Block, v: Value) {
    let dfg = &mut func.dfg;
    for call in dfg.insts[branch].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables) {
        if call.block(&dfg.value_lists) == to {
            call.append_argument(v, &mut dfg.value_lists);
        }
    }
}

/// Makes the branch `inst`'s edges to `from` go to `to` (same arguments).
pub fn redirect(func: &mut Function, inst: Inst, from: Block, to: Block) {
    let dfg = &mut func.dfg;
    for call in dfg.insts[inst].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables) {
        if call.block(&dfg.value_lists) == from {
            call.set_block(to, &mut dfg.value_lists);
        }
    }
}

/// The step of counter `p` if `next` is `p + step` (or `p - c` for a
/// constant `c`): the constant, else the added value (whether it is
/// invariant is for the caller to check); `None` for a zero step.
pub fn step_of(func: &Function, next: Value, p: Value) -> Option<Step> {
    let inst = def(func, next)?;
    let [a, b] = func.dfg.inst_args(inst) else { return None };
    let (a, b) = (func.dfg.resolve_aliases(*a), func.dfg.resolve_aliases(*b));
    let other = match (func.dfg.insts[inst].opcode(), a == p, b == p) {
        (Opcode::Iadd, true, false) => b,
        (Opcode::Iadd, false, true) => a,
        // `p - c`: a constant step of `-c`.
        (Opcode::Isub, true, false) => {
            return constant(func, b).and_then(i64::checked_neg).filter(|&c| c != 0).map(Step::Const);
        }
        _ => return None,
    };
    match constant(func, other) {
        Some(0) => None,
        Some(c) => Some(Step::Const(c)),
        None => Some(Step::Value(other)),
    }
}

/// `v` is defined in a block outside loop `lp`.
pub fn defined_outside(func: &Function, loops: &LoopAnalysis, lp: Loop, v: Value) -> bool {
    let block = match func.dfg.value_def(v) {
        ValueDef::Result(inst, _) => func.layout.inst_block(inst),
        ValueDef::Param(block, _) => Some(block),
        _ => None,
    };
    block.is_some_and(|b| !loops.is_in_loop(b, lp))
}

/// Replaces the values `inst` uses (aliases resolved) that `map` names.
pub fn rename(func: &mut Function, inst: Inst, map: &HashMap<Value, Value>) {
    let dfg = &mut func.dfg;
    let resolved: Vec<Value> = dfg.inst_values(inst).map(|v| dfg.resolve_aliases(v)).collect();
    if resolved.iter().any(|v| map.contains_key(v)) {
        let mut it = resolved.into_iter();
        dfg.map_inst_values(inst, |old| {
            let v = it.next().unwrap_or(old);
            map.get(&v).copied().unwrap_or(old)
        });
    }
}

/// The value `v` stands for: aliases resolved, and parameters of a block with
/// a single predecessor replaced by the argument that predecessor passes.
pub fn source(func: &Function, cfg: &ControlFlowGraph, mut v: Value) -> Value {
    for _ in 0..16 {
        v = func.dfg.resolve_aliases(v);
        let ValueDef::Param(block, n) = func.dfg.value_def(v) else { break };
        let mut preds = cfg.pred_iter(block);
        let (Some(pred), None) = (preds.next(), preds.next()) else { break };
        match branch_args(func, pred.inst, block).and_then(|args| args.get(n).copied()) {
            Some(BlockArg::Value(a)) => v = a,
            _ => break,
        }
    }
    v
}

/// `op` computes a value and nothing else: no memory access, call, trap or
/// control flow (it may run speculatively).
pub fn pure(op: Opcode) -> bool {
    !(op.can_load()
        || op.can_store()
        || op.is_call()
        || op.can_trap()
        || op.other_side_effects()
        || op.is_branch()
        || op.is_terminator())
}

/// `op` may write memory: a store, a call, or another side effect.
pub fn writes_memory(op: Opcode) -> bool {
    op.can_store() || op.is_call() || op.other_side_effects()
}

/// `v` is 0 or 1: a comparison or its extension.
fn boolean(func: &Function, v: Value) -> bool {
    def(func, v).is_some_and(|i| matches!(func.dfg.insts[i].opcode(), Opcode::Icmp | Opcode::Uextend))
}

/// The integer comparison a branch condition amounts to, following
/// extensions and comparisons of a boolean with zero (which negate it or
/// not): `(cc, x, y)` for `x cc y`.
pub fn comparison(func: &Function, cfg: &ControlFlowGraph, cond: Value) -> Option<(IntCC, Value, Value)> {
    let mut negated = false;
    let mut v = cond;
    for _ in 0..8 {
        v = source(func, cfg, v);
        match func.dfg.insts[def(func, v)?] {
            InstructionData::Unary { opcode: Opcode::Uextend, arg } => v = arg,
            InstructionData::IntCompare { opcode: Opcode::Icmp, cond, args: [x, y] } => {
                let zero = constant(func, source(func, cfg, y)) == Some(0);
                if zero && matches!(cond, IntCC::Equal | IntCC::NotEqual) && boolean(func, source(func, cfg, x)) {
                    negated ^= cond == IntCC::Equal;
                    v = x;
                } else {
                    return Some((if negated { cond.complement() } else { cond }, x, y));
                }
            }
            _ => return None,
        }
    }
    None
}
