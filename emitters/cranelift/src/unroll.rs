//! Loop unrolling on the fast path of strip-mined loops: short constant
//! loops in full, the others partially.
//!
//! ## Full unrolling
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
//!
//! ## Partial unrolling
//!
//! Any other strip loop of that shape ([`unroll_strips`]) gets a second
//! loop in front of it running [`MAX_COPIES`] (or 2) copies of its body per
//! round, while more than that many iterations remain in the strip:
//!
//! ```text
//! strip(lim):    jump pre(..)
//! pre(i, ..):    t = u * |c|
//!                if distance(i, lim) > t: copies(i, ..) else body(i, ..)
//! copies(i, ..): body(i); body(i + c); ..; body(i + (u-1)c)
//!                if distance(i + uc, lim) > t: copies(..) else body(..)
//! body(i, ..):   the loop as before, which ends the strip
//! ```
//!
//! with `t = u * |c|`: one test and one backward jump per `u` iterations,
//! and the counters of the copies computed from `i`, not from each other,
//! so a loop whose work hangs on its counter alone (a sieve's inner loop,
//! `b[j] = 1; j += i`) is no longer bound by one addition per iteration.
//! The strip ends where it did, so interrupt checks and fuel are as before.
//! The distance is exact when the strip is long: its counter then moves
//! towards the bound, at most [`crate::strip::STRIP`] steps away, without
//! wrapping around. Otherwise the strip is one iteration long, and the
//! test fails: with a constant step the distance is then the step's
//! magnitude itself, and with an invariant step `t` is made the largest
//! word.
//!
//! A body that carries a value through a maximum or a minimum (a bubble
//! sort's running element) gets [`CHAIN_COPIES`] copies even when it is
//! larger: [`crate::minmax`] then makes each round carry one step instead
//! of one per copy.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, BlockArg, Function, Inst, InstBuilder, Opcode, Value};

use crate::clif::{branch_args, pure, redirect, rename, source, step_of, value_args, Step};
use crate::minmax;
use crate::strip::{Strip, MAX_STEP};

/// Most iterations unrolled.
pub const MAX_TRIPS: i64 = 8;

/// Most instructions the copies may add.
const MAX_INSTS: usize = 256;

/// Most copies of its body a partially unrolled loop runs per round.
pub const MAX_COPIES: usize = 4;

/// Most instructions the copies of a partially unrolled loop's body hold.
const MAX_COPIED: usize = 40;

/// Copies per round of a loop that carries a value through a maximum or a
/// minimum ([`crate::minmax`] then carries one per round).
pub const CHAIN_COPIES: usize = 4;

/// Most instructions the copies of such a loop's body hold.
const MAX_CHAIN_COPIED: usize = 64;

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
    let Some(chain) = chain(func, &cfg, l.body, l.latch) else { return false };
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
        inputs = copy_chain(func, &chain, inputs, &mut map, unrolled);
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

/// Appends to `into` a copy of the loop body `chain` (its blocks but their
/// branches) run on `inputs` (the first block's parameters): the arguments
/// its latch passes back to the first block. `map` takes each value of
/// the body to its copy.
fn copy_chain(
    func: &mut Function,
    chain: &[Block],
    mut inputs: Vec<Value>,
    map: &mut HashMap<Value, Value>,
    into: Block,
) -> Vec<Value> {
    for (n, &block) in chain.iter().enumerate() {
        for (&p, &v) in func.dfg.block_params(block).to_vec().iter().zip(&inputs) {
            map.insert(p, v);
        }
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        let (&term, body) = insts.split_last().expect("blocks end with a branch");
        for &inst in body {
            let copy = func.dfg.clone_inst(inst);
            rename(func, copy, map);
            func.layout.append_inst(copy, into);
            let olds = func.dfg.inst_results(inst).to_vec();
            let news = func.dfg.inst_results(copy).to_vec();
            map.extend(olds.into_iter().zip(news));
        }
        // The arguments the terminator passes on: to the next block of the
        // chain, or (the latch) back to the body.
        let next = chain.get(n + 1).copied().unwrap_or(chain[0]);
        inputs = values(func, branch_args(func, term, next).unwrap_or_default())
            .map(|v| map.get(&v).copied().unwrap_or(v))
            .collect();
    }
    inputs
}

/// Partially unrolls the loops of `strips` whose body qualifies (see the
/// module documentation); how many.
pub fn unroll_strips(func: &mut Function, strips: &[Strip]) -> usize {
    strips.iter().filter(|s| unroll_strip(func, s)).count()
}

/// Partially unrolls the loop of strip `s`; false (and nothing changed) if
/// its body does not qualify.
fn unroll_strip(func: &mut Function, s: &Strip) -> bool {
    let cfg = ControlFlowGraph::with_function(func);
    let Some(chain) = chain(func, &cfg, s.body, s.latch) else { return false };
    if chain.iter().any(|&b| func.layout.is_cold(b)) {
        return false;
    }
    let Some(term) = func.layout.last_inst(s.latch) else { return false };
    if func.dfg.insts[term].opcode() != Opcode::Brif {
        return false;
    }
    let Some(back) = value_args(func, term, s.body) else { return false };
    let work = work(func, &chain, &back);
    let copies = if minmax::carried_step(func, &cfg, s.body, &back) && CHAIN_COPIES * work <= MAX_CHAIN_COPIED {
        Some(CHAIN_COPIES)
    } else {
        [MAX_COPIES, 2].into_iter().find(|&u| u * work <= MAX_COPIED)
    };
    let Some(copies) = copies else { return false };
    // The step, from the counter's addition on the back edge (strip mining
    // found it invariant there).
    let counter = func.dfg.block_params(s.body)[s.k];
    let Some(step) = step_of(func, source(func, &cfg, back[s.k]), counter) else { return false };
    // pre and the copies' block go in front of the body.
    let Some(Front { pre, round, pre_params, round_params, lim }) = front(func, s) else { return false };
    // pre: the threshold `t` (pre dominates the copies), then the first test.
    let w = types::I64;
    let u = copies as i64;
    let mut cur = FuncCursor::new(func).at_bottom(pre);
    let t = match step {
        Step::Const(c) => cur.ins().iconst(w, u * c.abs()),
        Step::Value(c) => {
            // `u * c` for a step strips are long for, else the largest word.
            let positive = cur.ins().icmp_imm_s(IntCC::SignedGreaterThan, c, 0);
            let small = cur.ins().icmp_imm_s(IntCC::SignedLessThanOrEqual, c, MAX_STEP);
            let ok = cur.ins().band(positive, small);
            let span = cur.ins().imul_imm_s(c, u);
            let never = cur.ins().iconst(w, i64::MAX);
            cur.ins().select(ok, span, never)
        }
    };
    let rising = matches!(s.cond, IntCC::SignedLessThan | IntCC::UnsignedLessThan);
    let go = room(&mut cur, rising, lim, pre_params[s.k], t);
    let args: Vec<BlockArg> = pre_params.iter().map(|&v| BlockArg::Value(v)).collect();
    cur.ins().brif(go, round, &args, s.body, &args);
    // The copies, each on the counter the one before computed; the next
    // round's counter is `i + u * c` (`t` where the copies run), so that
    // the rounds depend on one addition each.
    let mut map: HashMap<Value, Value> = HashMap::new();
    let mut inputs = round_params.clone();
    for _ in 0..copies {
        inputs = copy_chain(func, &chain, inputs, &mut map, round);
    }
    let mut cur = FuncCursor::new(func).at_bottom(round);
    let i = round_params[s.k];
    inputs[s.k] = if rising { cur.ins().iadd(i, t) } else { cur.ins().isub(i, t) };
    let go = room(&mut cur, rising, lim, inputs[s.k], t);
    let args: Vec<BlockArg> = inputs.iter().map(|&v| BlockArg::Value(v)).collect();
    cur.ins().brif(go, round, &args, s.body, &args);
    true
}

/// The instructions of loop body `chain` that do work: those with an
/// effect, and those computing what these or the back edge's arguments
/// `back` use (not the loop test, which the copies drop, nor constants).
fn work(func: &Function, chain: &[Block], back: &[Value]) -> usize {
    let mut used: HashSet<Value> = back.iter().map(|&v| func.dfg.resolve_aliases(v)).collect();
    let mut count = 0;
    for (n, &block) in chain.iter().enumerate().rev() {
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        let Some((&term, body)) = insts.split_last() else { continue };
        // A jump passes values on to the next block of the chain.
        if let Some(&next) = chain.get(n + 1) {
            used.extend(values(func, branch_args(func, term, next).unwrap_or_default()));
        }
        for &inst in body.iter().rev() {
            let op = func.dfg.insts[inst].opcode();
            let live = !pure(op) || func.dfg.inst_results(inst).iter().any(|v| used.contains(v));
            if live {
                used.extend(func.dfg.inst_args(inst).iter().map(|&v| func.dfg.resolve_aliases(v)));
                count += usize::from(op != Opcode::Iconst);
            }
        }
    }
    count
}

/// A loop put in front of a strip loop's body: `pre`, which the strip's jump
/// enters instead of the body, and `round`, both with the body's parameters.
pub(crate) struct Front {
    pub pre: Block,
    pub round: Block,
    pub pre_params: Vec<Value>,
    pub round_params: Vec<Value>,
    /// The strip's bound.
    pub lim: Value,
}

/// Makes the blocks of a [`Front`] loop before `s.body` and redirects the
/// strip's jump to `pre` (both still empty); `None` if the strip block does
/// not end in a jump with the bound as its one parameter.
pub(crate) fn front(func: &mut Function, s: &Strip) -> Option<Front> {
    let (Some(entry), &[lim]) = (func.layout.last_inst(s.strip), func.dfg.block_params(s.strip)) else {
        return None;
    };
    let tys: Vec<types::Type> = func.dfg.block_params(s.body).iter().map(|&p| func.dfg.value_type(p)).collect();
    let (pre, round) = (func.dfg.make_block(), func.dfg.make_block());
    func.layout.insert_block(pre, s.body);
    func.layout.insert_block(round, s.body);
    let pre_params: Vec<Value> = tys.iter().map(|&t| func.dfg.append_block_param(pre, t)).collect();
    let round_params: Vec<Value> = tys.iter().map(|&t| func.dfg.append_block_param(round, t)).collect();
    redirect(func, entry, s.body, pre);
    Some(Front { pre, round, pre_params, round_params, lim })
}

/// Emits `distance(i, lim) > t`: more than `t` (a multiple of the step)
/// separates counter `i` from the strip's bound.
pub(crate) fn room(cur: &mut FuncCursor<'_>, rising: bool, lim: Value, i: Value, t: Value) -> Value {
    let d = if rising { cur.ins().isub(lim, i) } else { cur.ins().isub(i, lim) };
    cur.ins().icmp(IntCC::SignedGreaterThan, d, t)
}

/// The body's blocks from `body` to `latch`, each (but the first) reached
/// only by a plain jump from the one before, with no call.
pub(crate) fn chain(func: &Function, cfg: &ControlFlowGraph, body: Block, latch: Block) -> Option<Vec<Block>> {
    let mut chain = vec![body];
    let mut block = body;
    while block != latch {
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
