//! Full unrolling of short constant loops on their fast path.
//!
//! A strip-mined loop ([`crate::strip`]) whose constant start, step and
//! bound make it run a handful of times — the colour channels of a pixel
//! (`shift` from 0 to 32 by 8), the bits of a CRC byte (`range(8)`) — is,
//! when it starts from its first value with the interrupt flag clear, one
//! strip that always runs the same number of iterations. This pass gives
//! that case a straight-line copy of the loop body per iteration, with the
//! counter a constant in each, and no loop test or backward jump at all:
//!
//! ```text
//! fast:     if i == start: unrolled  else: strip(bound)   (as before)
//! unrolled: body(start); body(start + c); ...; jump exit(..)
//! ```
//!
//! Everything else (the flag set, so strips of one iteration that fuel
//! counts; a loop resumed in the middle after a check) still runs the loop.
//! Only loops whose body is a chain of blocks joined by plain jumps (no
//! branches inside, no calls) are unrolled, at most [`MAX_TRIPS`] times and
//! up to [`MAX_INSTS`] copied instructions.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, BlockArg, Function, Inst, InstBuilder, Opcode, Value};

use crate::clif::{branch_args, rename, value_args};

/// Most iterations unrolled.
pub const MAX_TRIPS: i64 = 8;

/// Most instructions the copies may add.
const MAX_INSTS: usize = 256;

/// A strip-mined short loop (see [`crate::strip`] for the blocks).
pub struct ShortLoop {
    /// The loop head (the flag check), entered again by `latch2`.
    pub head: Block,
    /// The head's parameters, which the body receives.
    pub params: Vec<Value>,
    /// The counter's index among them, its first value and the iterations.
    pub k: usize,
    pub start: i64,
    pub trips: i64,
    /// The long strip's block (flag clear) and the one-iteration strip's
    /// (flag set): both jump to the strip's join block.
    pub fast: Block,
    pub slow: Block,
    /// The body's first block and the latch, whose branch goes back to
    /// the body or on to `latch2` (the old loop test: the head or the exit).
    pub body: Block,
    pub latch: Block,
    pub latch2: Block,
}

/// Unrolls `l` on its fast path; false (and nothing changed) if its body
/// does not qualify.
pub fn unroll(func: &mut Function, l: &ShortLoop) -> bool {
    let cfg = ControlFlowGraph::with_function(func);
    let Some(chain) = chain(func, &cfg, l) else { return false };
    let per_trip: usize = chain.iter().map(|&b| func.layout.block_insts(b).count()).sum();
    if per_trip.saturating_mul(l.trips as usize) > MAX_INSTS {
        return false;
    }
    if !used_inside(func, &chain, l.latch2) {
        return false;
    }
    // The exit edge of the old test: the arm of latch2's branch not going to the head.
    let test = func.layout.last_inst(l.latch2).expect("latch2 ends with the loop test");
    let Some(exit) = successor(func, test, |b| b != l.head) else { return false };
    let Some(exit_args) = value_args(func, test, exit) else { return false };
    // fast: `if i == start: unrolled else: (as before)`.
    let unrolled = func.dfg.make_block();
    func.layout.insert_block_after(unrolled, l.fast);
    let jump = func.layout.last_inst(l.fast).expect("fast ends with its jump");
    let strip = successor(func, jump, |_| true).expect("fast jumps to the strip");
    let strip_args = branch_args(func, jump, strip).expect("one jump");
    func.layout.remove_inst(jump);
    let mut cur = FuncCursor::new(func).at_bottom(l.fast);
    let first = cur.ins().icmp_imm_s(IntCC::Equal, l.params[l.k], l.start);
    cur.ins().brif(first, unrolled, &[], strip, &strip_args);
    // The copies: each maps the body's parameters to the previous copy's
    // back-edge arguments (the head's parameters for the first).
    let mut map: HashMap<Value, Value> = HashMap::new();
    // The strip's bound (the latch compares with it): the value fast passed.
    for (&p, a) in func.dfg.block_params(strip).iter().zip(&strip_args) {
        if let BlockArg::Value(v) = a {
            map.insert(p, *v);
        }
    }
    let mut inputs: Vec<Value> = l.params.clone();
    // The counter starts at its constant here: every copy's counter folds.
    inputs[l.k] = FuncCursor::new(func).at_bottom(unrolled).ins().iconst(types::I64, l.start);
    for _ in 0..l.trips {
        for (n, &block) in chain.iter().enumerate() {
            for (&p, &v) in func.dfg.block_params(block).to_vec().iter().zip(&inputs) {
                map.insert(p, v);
            }
            let insts: Vec<Inst> = func.layout.block_insts(block).collect();
            let (&term, body) = insts.split_last().expect("blocks end with a branch");
            for &inst in body {
                let copy = func.dfg.clone_inst(inst);
                rename(func, copy, &map);
                func.layout.append_inst(copy, unrolled);
                let olds = func.dfg.inst_results(inst).to_vec();
                let news = func.dfg.inst_results(copy).to_vec();
                map.extend(olds.into_iter().zip(news));
            }
            // The arguments the terminator passes on: to the next block of
            // the chain, or (the latch) back to the body.
            let next = if n + 1 < chain.len() { chain[n + 1] } else { l.body };
            inputs = values(func, branch_args(func, term, next).unwrap_or_default())
                .map(|v| map.get(&v).copied().unwrap_or(v))
                .collect();
        }
    }
    // After the last copy the old test fails: leave.
    let mapped: Vec<BlockArg> = exit_args
        .iter()
        .map(|&v| BlockArg::Value(map.get(&func.dfg.resolve_aliases(v)).copied().unwrap_or(v)))
        .collect();
    FuncCursor::new(func).at_bottom(unrolled).ins().jump(exit, &mapped);
    // The loop itself now runs only after a check found the flag set:
    // Cranelift lays its blocks out after the rest.
    for b in chain.iter().copied().chain([l.slow, strip, l.latch2]) {
        func.layout.set_cold(b);
    }
    true
}

/// The body's blocks from `l.body` to `l.latch`, each (but the first)
/// reached only by a plain jump from the one before, with no call.
fn chain(func: &Function, cfg: &ControlFlowGraph, l: &ShortLoop) -> Option<Vec<Block>> {
    let mut chain = vec![l.body];
    let mut block = l.body;
    while block != l.latch {
        let term = func.layout.last_inst(block)?;
        if func.dfg.insts[term].opcode() != Opcode::Jump || chain.len() > 16 {
            return None;
        }
        let next = successor(func, term, |_| true)?;
        if chain.contains(&next) || cfg.pred_iter(next).count() != 1 {
            return None;
        }
        chain.push(next);
        block = next;
    }
    let calls = chain.iter().flat_map(|&b| func.layout.block_insts(b)).any(|i| func.dfg.insts[i].opcode().is_call());
    (!calls).then_some(chain)
}

/// The first block branch `inst` goes to that `wanted` accepts.
fn successor(func: &Function, inst: Inst, wanted: impl Fn(Block) -> bool) -> Option<Block> {
    let dfg = &func.dfg;
    let calls = dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
    calls.iter().map(|c| c.block(&dfg.value_lists)).find(|&b| wanted(b))
}

/// The plain values among branch arguments `args` (aliases resolved).
fn values(func: &Function, args: Vec<BlockArg>) -> impl Iterator<Item = Value> + '_ {
    args.into_iter().filter_map(|a| match a {
        BlockArg::Value(v) => Some(func.dfg.resolve_aliases(v)),
        _ => None,
    })
}

/// Every value the chain defines (its parameters included) is used only in
/// the chain and in `latch2` (whose exit arguments the copies replace).
fn used_inside(func: &Function, chain: &[Block], latch2: Block) -> bool {
    let mut defined: HashSet<Value> = HashSet::new();
    for &b in chain {
        defined.extend(func.dfg.block_params(b));
        for inst in func.layout.block_insts(b) {
            defined.extend(func.dfg.inst_results(inst));
        }
    }
    func.layout.blocks().filter(|b| !chain.contains(b) && *b != latch2).all(|b| {
        func.layout
            .block_insts(b)
            .all(|inst| func.dfg.inst_values(inst).all(|v| !defined.contains(&func.dfg.resolve_aliases(v))))
    })
}
