//! Loop strip mining: counted loops check the interrupt flag once per strip
//! of iterations instead of once per iteration.
//!
//! Every viper loop reads the interrupt flag at its head (how Ctrl-C, fuel
//! and deadlines stop native code). On a short loop body that load, test
//! and branch are a large share of the work. For a loop that counts — a
//! header parameter `i` that every iteration advances by a step
//! `c` (a constant, or for ascending loops an invariant value), a loop test
//! `i + c < n` (or `>` for a negative constant step; signed or unsigned)
//! against an invariant `n` — this pass runs up to [`STRIP`] iterations
//! between two checks, the way JIT compilers place safepoint polls in
//! counted loops:
//!
//! ```text
//! head(i, ..):  the flag check, as before: clear -> fast, set -> cold -> slow
//! fast:         lim = where the counter stops within STRIP iterations
//! slow:         lim = i + c (one iteration)
//! strip(lim):   body(i, ..)
//! body(i', ..): the old body, on its own parameters
//! latch:        if i' + c < lim: body(..)   (no check)
//! latch2:       the old test: head(..) or leave
//! ```
//!
//! The long strip ends at `i + STRIP * c` when that stays short of `n`,
//! else at `n` itself when stepping past `n` cannot wrap around, else after
//! one iteration (so a counter near the ends of the word range reaches the
//! check as often as before). A loop whose constant start, step and bound
//! keep it within one strip ends its strips at `n` without computing
//! anything. While the flag is set (fuel keeps it set for as long as a
//! budget exists, and so does a deadline) strips are one iteration long:
//! every backward jump reaches the check as before and fuel counts each
//! one exactly. A Ctrl-C that arrives during a strip is seen at most
//! [`STRIP`] iterations of the innermost loop later. Loops that call
//! anything outside their cold slow paths are left alone: a called function
//! could block (a sleep, a read), and a strip of such calls would delay an
//! interrupt without bound.
//!
//! Inner loops are strip-mined first, then the loops around them (a sieve's
//! outer loop mostly skips its inner one). That keeps the delay bounded: an
//! inner loop checks the flag whenever it is entered, so an outer strip runs
//! at most [`STRIP`] iterations of straight-line code between two checks.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::dominator_tree::DominatorTree;
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::{types, Block, BlockArg, Function, Inst, InstBuilder, InstructionData, Opcode, Value};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};

use crate::clif::{
    analyse, branch_args, comparison, constant, defined_outside, redirect, rename, source, step_of, Step,
};
use crate::unroll;

/// Iterations between two interrupt checks in a strip-mined loop.
pub const STRIP: i64 = 1024;

/// The largest constant step (in magnitude) a strip is made for, so that
/// `STRIP * step` cannot overflow.
pub const MAX_STEP: i64 = 1 << 40;

/// The loop bound: a constant (made again in the strip block) or an
/// invariant value.
#[derive(Clone, Copy)]
enum Bound {
    Const(i64),
    Value(Value),
}

/// A loop to strip-mine.
struct Plan {
    /// The loop head: the flag load and its branch.
    head: Block,
    /// The body's first block (the head's successor when the flag is clear).
    body: Block,
    /// The branches into the body: from the head (the flag was clear) and
    /// from its cold check (the flag was set).
    fast_entry: Inst,
    slow_entries: Vec<Inst>,
    /// Blocks the body dominates (where the head's parameters are renamed).
    dominated: Vec<Block>,
    /// The latch (the loop's last block) and its branch: back to the head
    /// or out of the loop.
    latch_branch: Inst,
    latch: Block,
    /// The counter: the head's parameter `k`.
    k: usize,
    step: Step,
    bound: Bound,
    /// The continue condition `counter cond bound` (a less-than for a
    /// rising counter, a greater-than for a falling one).
    cond: IntCC,
    /// The whole loop runs at most [`STRIP`] iterations without wrapping
    /// (constant start, step and bound): its strips end at the bound.
    short: bool,
    /// A short loop's one first value and its number of iterations, when
    /// it is small enough to unroll ([`crate::unroll`]).
    trips: Option<(i64, i64)>,
}

/// What [`strip_mine`] did.
#[derive(Debug, Default)]
pub struct Stripped {
    /// Loops strip-mined.
    pub loops: usize,
    /// The heads and bodies of the loops also unrolled ([`crate::unroll`]):
    /// what is left of those loops runs only on their slow path.
    pub unrolled: Vec<Block>,
    /// The strip loops of the others, for partial unrolling
    /// ([`crate::unroll::unroll_strips`]).
    pub strips: Vec<Strip>,
}

/// A strip-mined loop that was not unrolled (the blocks are those of the
/// module documentation).
#[derive(Clone, Copy, Debug)]
pub struct Strip {
    /// The long strip's block (flag clear), the one-iteration strip's (flag
    /// set), and the block both jump to with the strip's bound.
    pub fast: Block,
    pub slow: Block,
    pub strip: Block,
    /// The body's first block (the head's parameters are its own) and its
    /// latch, which goes round the strip or on to the old loop test.
    pub body: Block,
    pub latch: Block,
    /// The counter's index among the body's parameters and the condition
    /// to go round (`counter cond bound`). Its step is read from the latch
    /// when needed: an invariant step's value is renamed when the loops
    /// around are strip-mined.
    pub k: usize,
    pub cond: IntCC,
}

/// Strip-mines the qualifying loops of `func` (see the module
/// documentation), innermost first, then the loops around them.
pub fn strip_mine(func: &mut Function) -> Stripped {
    let mut done = Stripped::default();
    // Heads of the loops considered so far, and of the loops stripping made.
    let mut seen: HashSet<Block> = HashSet::new();
    loop {
        let (cfg, domtree, loops) = analyse(func);
        let all: Vec<Loop> = loops.loops().collect();
        let considered = |lp: Loop| seen.contains(&loops.loop_header(lp));
        // Loops whose inner loops were all considered: none of them contains
        // another, so they share no block and each plan stays valid while
        // the others are carried out.
        let ready: Vec<Loop> = all
            .iter()
            .copied()
            .filter(|&lp| {
                !considered(lp) && all.iter().all(|&o| !loops.is_child_loop(o, lp) || o == lp || considered(o))
            })
            .collect();
        if ready.is_empty() {
            return done;
        }
        let plans: Vec<Plan> = ready.iter().filter_map(|&lp| plan(func, &cfg, &domtree, &loops, lp)).collect();
        seen.extend(ready.iter().map(|&lp| loops.loop_header(lp)));
        for p in &plans {
            seen.insert(p.body);
            done.loops += 1;
            match carry_out(func, p) {
                Some(strip) => done.strips.push(strip),
                None => done.unrolled.extend([p.head, p.body]),
            }
        }
    }
}

fn plan(
    func: &Function,
    cfg: &ControlFlowGraph,
    domtree: &DominatorTree,
    loops: &LoopAnalysis,
    lp: Loop,
) -> Option<Plan> {
    let head = loops.loop_header(lp);
    if Some(head) == func.layout.entry_block() {
        return None;
    }
    let dfg = &func.dfg;
    // Nothing in the loop may call out except from cold slow paths.
    let blocks: Vec<Block> = func.layout.blocks().filter(|&b| loops.is_in_loop(b, lp)).collect();
    let calls_out = |b: Block| func.layout.block_insts(b).any(|i| dfg.insts[i].opcode().is_call());
    if blocks.iter().any(|&b| !func.layout.is_cold(b) && calls_out(b)) {
        return None;
    }
    // The head: `f = uload8 flag; brif f, cold, body` (the flag's address
    // loaded there too, or before).
    let insts: Vec<Inst> = func.layout.block_insts(head).collect();
    let (load, check) = match insts.as_slice() {
        [load, check] => (load, check),
        [addr, load, check]
            if dfg.insts[*addr].opcode() == Opcode::Load
                && dfg.inst_args(*load).first() == dfg.inst_results(*addr).first() =>
        {
            (load, check)
        }
        _ => return None,
    };
    let InstructionData::Load { opcode: Opcode::Uload8, offset, .. } = dfg.insts[*load] else {
        return None;
    };
    if i32::from(offset) != 0 || dfg.insts[*check].opcode() != Opcode::Brif {
        return None;
    }
    let calls = dfg.insts[*check].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
    let (cold, body) = (calls[0].block(&dfg.value_lists), calls[1].block(&dfg.value_lists));
    if dfg.inst_args(*check)[0] != dfg.first_result(*load) || calls[1].len(&dfg.value_lists) != 0 {
        return None;
    }
    if body == head || !loops.is_in_loop(body, lp) {
        return None;
    }
    // The body is entered from the head and the cold check only, without arguments.
    let mut fast_entry = None;
    let mut slow_entries = Vec::new();
    for pred in cfg.pred_iter(body) {
        if pred.block != head && (pred.block != cold || !func.layout.is_cold(cold)) {
            return None;
        }
        let calls = dfg.insts[pred.inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
        if calls.iter().any(|c| c.block(&dfg.value_lists) == body && c.len(&dfg.value_lists) != 0) {
            return None;
        }
        if pred.block == head {
            fast_entry = Some(pred.inst);
        } else {
            slow_entries.push(pred.inst);
        }
    }
    let fast_entry = fast_entry?;
    // One back edge, from a two-way branch whose other way leaves the loop.
    let back: Vec<_> = cfg.pred_iter(head).filter(|p| loops.is_in_loop(p.block, lp)).collect();
    let [latch] = back.as_slice() else { return None };
    let branch = latch.inst;
    if dfg.insts[branch].opcode() != Opcode::Brif {
        return None;
    }
    let calls = dfg.insts[branch].branch_destination(&dfg.jump_tables, &dfg.exception_tables);
    let targets = [calls[0].block(&dfg.value_lists), calls[1].block(&dfg.value_lists)];
    let back_way = targets.iter().position(|&t| t == head)?;
    if loops.is_in_loop(targets[1 - back_way], lp) {
        return None;
    }
    let back_args: Vec<BlockArg> = calls[back_way].args(&dfg.value_lists).collect();
    // The loop test, as the condition to go round again.
    let (cc, x, y) = comparison(func, cfg, dfg.inst_args(branch)[0])?;
    let cc = if back_way == 0 { cc } else { cc.complement() };
    let params = dfg.block_params(head);
    for (k, &p) in params.iter().enumerate() {
        let Some(BlockArg::Value(next)) = back_args.get(k) else { continue };
        let next = source(func, cfg, *next);
        let Some(step) = counter_step(func, loops, lp, next, p) else { continue };
        let (cc, bound) = if source(func, cfg, x) == next {
            (cc, y)
        } else if source(func, cfg, y) == next {
            (cc.swap_args(), x)
        } else {
            continue;
        };
        let bound = source(func, cfg, bound);
        let bound = match constant(func, bound) {
            Some(c) => Bound::Const(c),
            None if defined_outside(func, loops, lp, bound) => Bound::Value(bound),
            None => continue,
        };
        let rising = rising(cc);
        let falling = matches!(cc, IntCC::SignedGreaterThan | IntCC::UnsignedGreaterThan);
        let fits = match step {
            Step::Const(c) => (rising && (1..=MAX_STEP).contains(&c)) || (falling && (-MAX_STEP..0).contains(&c)),
            Step::Value(_) => rising,
        };
        if !fits || dfg.value_type(p) != types::I64 {
            continue;
        }
        let dominated = func.layout.blocks().filter(|&b| domtree.block_dominates(body, b)).collect();
        let (short, trips) = match (step, bound) {
            (Step::Const(c), Bound::Const(n)) => {
                let entries = cfg.pred_iter(head).filter(|p| !loops.is_in_loop(p.block, lp));
                let starts: Vec<Option<i64>> = entries.map(|e| entry_argument(func, cfg, e.inst, head, k)).collect();
                let short = starts.iter().all(|s| s.is_some_and(|s| short_loop(s, c, n, cc)));
                let trips = match starts.as_slice() {
                    [Some(s), rest @ ..] if short && rest.iter().all(|r| *r == Some(*s)) => {
                        Some((*s, trip_count(*s, c, n, cc))).filter(|&(_, t)| (1..=unroll::MAX_TRIPS).contains(&t))
                    }
                    _ => None,
                };
                (short, trips)
            }
            _ => (false, None),
        };
        return Some(Plan {
            head,
            body,
            fast_entry,
            slow_entries,
            dominated,
            latch_branch: branch,
            latch: latch.block,
            k,
            step,
            bound,
            cond: cc,
            short,
            trips,
        });
    }
    None
}

/// The constant that branch `inst` passes to parameter `k` of `head`.
fn entry_argument(func: &Function, cfg: &ControlFlowGraph, inst: Inst, head: Block, k: usize) -> Option<i64> {
    let Some(BlockArg::Value(v)) = branch_args(func, inst, head)?.get(k).copied() else { return None };
    constant(func, source(func, cfg, v))
}

/// A counter from `start` by `step` while `counter cc bound` stops within
/// [`STRIP`] iterations, every value it takes on the way inside the word
/// range (so no step wraps around).
fn short_loop(start: i64, step: i64, bound: i64, cc: IntCC) -> bool {
    let (lo, hi) = if signed(cc) { (i128::from(i64::MIN), i128::from(i64::MAX)) } else { (0, i128::from(u64::MAX)) };
    let (bound, step) = (word(bound, cc), i128::from(step));
    let last = if rising(cc) { bound - 1 + step } else { bound + 1 + step };
    distance(start, bound, cc) <= i128::from(STRIP) * step.abs() && (lo..=hi).contains(&last)
}

/// The iterations of a short loop (see [`short_loop`]) from `start`.
fn trip_count(start: i64, step: i64, bound: i64, cc: IntCC) -> i64 {
    let d = i128::from(step).abs();
    i64::try_from((distance(start, word(bound, cc), cc) + d - 1) / d).unwrap_or(0)
}

/// `cc` compares signed words.
fn signed(cc: IntCC) -> bool {
    matches!(cc, IntCC::SignedLessThan | IntCC::SignedGreaterThan)
}

/// `cc` is a less-than: the counter rises towards its bound.
fn rising(cc: IntCC) -> bool {
    matches!(cc, IntCC::SignedLessThan | IntCC::UnsignedLessThan)
}

/// The word `v` as comparison `cc` reads it (signed or unsigned).
fn word(v: i64, cc: IntCC) -> i128 {
    if signed(cc) {
        i128::from(v)
    } else {
        i128::from(v as u64)
    }
}

/// How far `start` is from `bound` (already widened by [`word`]) in the
/// direction the counter moves.
fn distance(start: i64, bound: i128, cc: IntCC) -> i128 {
    if rising(cc) {
        bound - word(start, cc)
    } else {
        word(start, cc) - bound
    }
}

/// The step of counter `p` if `next` is `p + step` (or `p - c`).
fn counter_step(func: &Function, loops: &LoopAnalysis, lp: Loop, next: Value, p: Value) -> Option<Step> {
    match step_of(func, next, p)? {
        Step::Value(v) if !defined_outside(func, loops, lp, v) => None,
        step => Some(step),
    }
}

/// Strip-mines the loop of `p`: its strip, or `None` if it was also unrolled.
fn carry_out(func: &mut Function, p: &Plan) -> Option<Strip> {
    // 1. The body takes the head's parameters as its own; the blocks it
    //    dominates use those.
    let params = func.dfg.block_params(p.head).to_vec();
    let mut renamed = HashMap::new();
    for &v in &params {
        let ty = func.dfg.value_type(v);
        renamed.insert(v, func.dfg.append_block_param(p.body, ty));
    }
    for &b in &p.dominated {
        let insts: Vec<Inst> = func.layout.block_insts(b).collect();
        for inst in insts {
            rename(func, inst, &renamed);
        }
    }
    // 2. The strip blocks between the head's check and the body: a long
    //    strip when the head found the flag clear, one iteration after the
    //    cold check ran (the flag was set); both join in a block that
    //    enters the body, so the bound dominates the loop.
    let (fast, slow, strip) = (func.dfg.make_block(), func.dfg.make_block(), func.dfg.make_block());
    for b in [fast, slow, strip] {
        func.layout.insert_block(b, p.body);
    }
    let lim = func.dfg.append_block_param(strip, types::I64);
    redirect(func, p.fast_entry, p.body, fast);
    for &inst in &p.slow_entries {
        redirect(func, inst, p.body, slow);
    }
    let i = params[p.k];
    let mut cur = FuncCursor::new(func).at_bottom(fast);
    let long = strip_bound(&mut cur, p, i);
    cur.ins().jump(strip, &[BlockArg::Value(long)]);
    let mut cur = FuncCursor::new(func).at_bottom(slow);
    let one = one_step(&mut cur, p.step, i);
    cur.ins().jump(strip, &[BlockArg::Value(one)]);
    let args: Vec<BlockArg> = params.iter().map(|&v| BlockArg::Value(v)).collect();
    FuncCursor::new(func).at_bottom(strip).ins().jump(p.body, &args);
    // 3. The latch goes round the strip while below its bound, else to the
    //    old test in a block of its own.
    let latch2 = func.dfg.make_block();
    func.layout.insert_block_after(latch2, p.latch);
    let back_args = branch_args(func, p.latch_branch, p.head).expect("planned back edge");
    let BlockArg::Value(next) = back_args[p.k] else { unreachable!("planned counter argument") };
    func.layout.remove_inst(p.latch_branch);
    func.layout.append_inst(p.latch_branch, latch2);
    let mut cur = FuncCursor::new(func).at_bottom(p.latch);
    let more = cur.ins().icmp(p.cond, next, lim);
    cur.ins().brif(more, p.body, &back_args, latch2, &[]);
    // 4. A short loop also gets a straight-line copy for its first strip.
    if let Some((start, trips)) = p.trips {
        let short = unroll::ShortLoop {
            head: p.head,
            params,
            k: p.k,
            start,
            trips,
            fast,
            slow,
            body: p.body,
            latch: p.latch,
            latch2,
        };
        if unroll::unroll(func, &short) {
            return None;
        }
    }
    Some(Strip { fast, slow, strip, body: p.body, latch: p.latch, k: p.k, cond: p.cond })
}

/// `i + step`: the bound of a strip of one iteration.
fn one_step(cur: &mut FuncCursor<'_>, step: Step, i: Value) -> Value {
    let step = match step {
        Step::Const(c) => cur.ins().iconst(types::I64, c),
        Step::Value(v) => v,
    };
    cur.ins().iadd(i, step)
}

/// Emits the bound of a long strip from counter `i` (see the module
/// documentation); the flag was clear.
fn strip_bound(cur: &mut FuncCursor<'_>, p: &Plan, i: Value) -> Value {
    let w = types::I64;
    let bound = match p.bound {
        Bound::Const(c) => cur.ins().iconst(w, c),
        Bound::Value(v) => v,
    };
    if p.short {
        return bound;
    }
    let (signed, rising) = (signed(p.cond), rising(p.cond));
    // `span` is the step's magnitude times STRIP, and `safe` tells that `n`
    // cannot be stepped over without wrapping.
    let (span, ok_step, safe) = match p.step {
        Step::Const(c) => {
            let span = cur.ins().iconst(w, c.unsigned_abs() as i64 * STRIP);
            // Rising: `n <= MAX - c + 1`; falling (d = -c): `n >= MIN + d - 1`.
            let d = c.unsigned_abs() as i64;
            let (limit_cc, limit) = match (rising, signed) {
                (true, true) => (IntCC::SignedLessThanOrEqual, i64::MAX - d + 1),
                (true, false) => (IntCC::UnsignedLessThanOrEqual, (u64::MAX - d as u64 + 1) as i64),
                (false, true) => (IntCC::SignedGreaterThanOrEqual, i64::MIN + d - 1),
                (false, false) => (IntCC::UnsignedGreaterThanOrEqual, d - 1),
            };
            let safe = cur.ins().icmp_imm_s(limit_cc, bound, limit);
            (span, None, safe)
        }
        Step::Value(c) => {
            // Rising only; a step outside 1..=MAX_STEP makes strips of one.
            let positive = cur.ins().icmp_imm_s(IntCC::SignedGreaterThan, c, 0);
            let small = cur.ins().icmp_imm_s(IntCC::SignedLessThanOrEqual, c, MAX_STEP);
            let ok = cur.ins().band(positive, small);
            let span = cur.ins().imul_imm_s(c, STRIP);
            // MAX - c + 1 == MIN - c and UMAX - c + 1 == -c, wrapping.
            let limit = if signed {
                let min = cur.ins().iconst(w, i64::MIN);
                cur.ins().isub(min, c)
            } else {
                cur.ins().ineg(c)
            };
            let cc = if signed { IntCC::SignedLessThanOrEqual } else { IntCC::UnsignedLessThanOrEqual };
            let safe = cur.ins().icmp(cc, bound, limit);
            (span, Some(ok), safe)
        }
    };
    // Inside the loop's range, how far the bound is, and the long strip's end.
    let (inside, distance, far_end) = if rising {
        let cc = if signed { IntCC::SignedLessThan } else { IntCC::UnsignedLessThan };
        (cur.ins().icmp(cc, i, bound), cur.ins().isub(bound, i), cur.ins().iadd(i, span))
    } else {
        let cc = if signed { IntCC::SignedGreaterThan } else { IntCC::UnsignedGreaterThan };
        (cur.ins().icmp(cc, i, bound), cur.ins().isub(i, bound), cur.ins().isub(i, span))
    };
    let far = cur.ins().icmp(IntCC::UnsignedGreaterThan, distance, span);
    let long_end = cur.ins().select(far, far_end, bound);
    let reachable = cur.ins().bor(far, safe);
    let mut ok = cur.ins().band(inside, reachable);
    if let Some(o) = ok_step {
        ok = cur.ins().band(ok, o);
    }
    let one = one_step(cur, p.step, i);
    cur.ins().select(ok, long_end, one)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{finish, verify, word_function, TranslatedLoop};
    use cranelift_codegen::ir::{AbiParam, MemFlagsData, Signature};
    use cranelift_codegen::isa::CallConv;
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    /// How the test loop's counter steps.
    #[derive(Clone, Copy)]
    enum Stepping {
        /// By a constant.
        Const(i64),
        /// By the invariant parameter `x`.
        Param,
        /// By `s`, a value the loop computes.
        InLoop,
    }

    /// A loop in the shape the translator and loop inversion leave:
    /// `f(n, flag, x)`: `k = start; s = 0; if k cc n: do { check flag;
    /// s += k; k += step } while k cc n; return s`, the test written
    /// `(uextend(k cc n) == 0)` as the translator writes it. With
    /// `call` the body calls `x` (outside any cold block); `bound` 0 means
    /// `n`, else that constant.
    fn counted_loop(cc: IntCC, start: i64, step: Stepping, bound: i64, call: bool) -> Function {
        let mut func = word_function(3);
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let l = TranslatedLoop::new(&mut b);
        let [n, flag, x] = [0, 1, 2].map(|i| b.block_params(l.entry)[i]);
        let n = if bound == 0 { n } else { b.ins().iconst(types::I64, bound) };
        let k0 = b.ins().iconst(types::I64, start);
        let zero = b.ins().iconst(types::I64, 0);
        l.enter(&mut b, (k0, zero), cc, n, flag);
        let mut s2 = b.ins().iadd(l.s, l.k);
        if call {
            let mut sig = Signature::new(CallConv::SystemV);
            sig.params.push(AbiParam::new(types::I64));
            sig.returns.push(AbiParam::new(types::I64));
            let sig = b.import_signature(sig);
            let call = b.ins().call_indirect(sig, x, &[s2]);
            s2 = b.inst_results(call)[0];
        }
        let by = match step {
            Stepping::Const(c) => b.ins().iconst(types::I64, c),
            Stepping::Param => x,
            Stepping::InLoop => s2,
        };
        let k2 = b.ins().iadd(l.k, by);
        l.close(b, (k2, s2), cc, n);
        func
    }

    fn blocks(func: &Function) -> Vec<Block> {
        func.layout.blocks().collect()
    }

    fn opcodes(func: &Function, block: Block) -> Vec<Opcode> {
        func.layout.block_insts(block).map(|i| func.dfg.insts[i].opcode()).collect()
    }

    #[test]
    fn a_counted_loop_goes_round_its_strip_without_the_check() {
        let cases = [
            (IntCC::SignedLessThan, Stepping::Const(1)),
            (IntCC::UnsignedLessThan, Stepping::Const(3)),
            (IntCC::SignedGreaterThan, Stepping::Const(-2)),
            (IntCC::UnsignedGreaterThan, Stepping::Const(-5)),
            (IntCC::SignedLessThan, Stepping::Param),
            (IntCC::UnsignedLessThan, Stepping::Param),
        ];
        for (cc, step) in cases {
            let mut func = counted_loop(cc, 0, step, 0, false);
            verify(&func);
            let [_, head, _, body, latch, _] = blocks(&func)[..] else { panic!() };
            assert_eq!(strip_mine(&mut func).loops, 1, "{cc:?}:\n{}", func.display());
            verify(&func);
            // The body takes the counter and the sum; the latch branches back
            // to it and otherwise to a block holding the old test, the only
            // way back to the head and its check.
            assert_eq!(func.dfg.block_params(body).len(), 2);
            let cfg = ControlFlowGraph::with_function(&func);
            let latch2 = func.layout.next_block(latch).unwrap();
            assert!(cfg.succ_iter(latch).any(|s| s == body));
            assert!(cfg.succ_iter(latch).any(|s| s == latch2));
            let into_head: Vec<Block> =
                cfg.pred_iter(head).map(|p| p.block).filter(|&b| b != blocks(&func)[0]).collect();
            assert_eq!(into_head, [latch2]);
            assert_eq!(opcodes(&func, latch2), [Opcode::Brif]);
            // The body's only entries: the strip's join block and the latch.
            let mut into_body: Vec<Block> = cfg.pred_iter(body).map(|p| p.block).collect();
            into_body.sort();
            assert_eq!(into_body.len(), 2);
            assert!(into_body.contains(&latch));
        }
    }

    #[test]
    fn a_short_constant_loop_ends_its_strip_at_the_bound() {
        // `k` from 0 by 1 while < 100: one strip, too long to unroll.
        let mut func = counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(1), 100, false);
        assert_eq!(strip_mine(&mut func).loops, 1);
        verify(&func);
        // The long strip's bound is the constant 100: its block (placed
        // before the one-iteration strip, the join and the body) only jumps.
        let fast = blocks(&func)[3];
        assert_eq!(opcodes(&func, fast), [Opcode::Iconst, Opcode::Jump]);
        // Not short: the strip is computed.
        let mut func = counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(8), 32 + 8 * STRIP, false);
        assert_eq!(strip_mine(&mut func).loops, 1);
        verify(&func);
        let fast = blocks(&func)[3];
        assert!(opcodes(&func, fast).contains(&Opcode::Select), "{}", func.display());
    }

    #[test]
    fn a_loop_of_a_few_iterations_is_unrolled_on_its_fast_path() {
        // `k` from 0 by 8 while < 32: four iterations.
        let mut func = counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(8), 32, false);
        let exit = blocks(&func)[5];
        assert_eq!(strip_mine(&mut func).loops, 1);
        verify(&func);
        // fast: `if k == 0` to the copies (the block after it), else the loop.
        let [fast, unrolled] = [blocks(&func)[3], blocks(&func)[4]];
        assert_eq!(opcodes(&func, fast).last(), Some(&Opcode::Brif));
        let ops = opcodes(&func, unrolled);
        // Four copies of `s += k; k += 8` (the loop test is copied too, unused), then the exit.
        assert_eq!(ops.iter().filter(|&&o| o == Opcode::Iadd).count(), 8, "{}", func.display());
        assert!(!ops.contains(&Opcode::Brif));
        let cfg = ControlFlowGraph::with_function(&func);
        assert_eq!(cfg.succ_iter(unrolled).collect::<Vec<_>>(), [exit]);
        // Nine iterations are too many.
        let mut func = counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(8), 72, false);
        assert_eq!(strip_mine(&mut func).loops, 1);
        assert_eq!(opcodes(&func, blocks(&func)[3]), [Opcode::Iconst, Opcode::Jump]);
    }

    #[test]
    fn strip_loops_get_rounds_of_copies_in_front() {
        for (cc, step) in [
            (IntCC::SignedLessThan, Stepping::Const(1)),
            (IntCC::SignedGreaterThan, Stepping::Const(-2)),
            (IntCC::UnsignedLessThan, Stepping::Param),
        ] {
            let mut func = counted_loop(cc, 0, step, 0, false);
            let body = blocks(&func)[3];
            let stripped = strip_mine(&mut func);
            assert_eq!(stripped.strips.len(), 1);
            assert_eq!(crate::unroll::unroll_strips(&mut func, &stripped.strips), 1, "{}", func.display());
            verify(&func);
            // pre and the round sit before the body: pre goes to the round
            // or the body, the round round again or to the body.
            let all = blocks(&func);
            let at = all.iter().position(|&b| b == body).unwrap();
            let (pre, round) = (all[at - 2], all[at - 1]);
            let cfg = ControlFlowGraph::with_function(&func);
            let mut expected = [round, body];
            expected.sort();
            for from in [pre, round] {
                let mut succs: Vec<Block> = cfg.succ_iter(from).collect();
                succs.sort();
                assert_eq!(succs, expected);
            }
            // Four copies of `s += k; k += step`, and the round's counter from
            // its parameter in one addition (or subtraction).
            let ops = opcodes(&func, round);
            let adds = ops.iter().filter(|&&o| o == Opcode::Iadd).count();
            assert_eq!(adds + ops.iter().filter(|&&o| o == Opcode::Isub).count(), 4 * 2 + 1 + 1, "{}", func.display());
        }
        // A loop with a call is neither strip-mined nor copied.
        let mut func = counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(1), 0, true);
        let stripped = strip_mine(&mut func);
        assert_eq!(crate::unroll::unroll_strips(&mut func, &stripped.strips), 0);
    }

    #[test]
    fn trip_counts() {
        assert_eq!(trip_count(0, 8, 32, IntCC::SignedLessThan), 4);
        assert_eq!(trip_count(0, 3, 10, IntCC::SignedLessThan), 4);
        assert_eq!(trip_count(10, -3, 0, IntCC::SignedGreaterThan), 4);
        assert_eq!(trip_count(-3, 1, -1, IntCC::UnsignedLessThan), 2);
    }

    #[test]
    fn short_loops_are_recognised_with_their_word_limits() {
        let slt = IntCC::SignedLessThan;
        assert!(short_loop(0, 8, 32, slt));
        assert!(short_loop(0, 1, STRIP, slt));
        assert!(!short_loop(0, 1, STRIP + 1, slt));
        assert!(short_loop(0, 3, 3 * STRIP, slt));
        // Stepping past the bound would wrap around.
        assert!(short_loop(i64::MAX - 10, 1, i64::MAX, slt));
        assert!(!short_loop(i64::MAX - 10, 7, i64::MAX, slt));
        assert!(short_loop(-5, 1, 5, slt));
        // Unsigned: -1 is the largest word.
        assert!(!short_loop(0, 1, -1, IntCC::UnsignedLessThan));
        assert!(short_loop(-20, 1, -1, IntCC::UnsignedLessThan));
        assert!(!short_loop(-20, 2, -1, IntCC::UnsignedLessThan));
        // Falling.
        assert!(short_loop(100, -1, 0, IntCC::SignedGreaterThan));
        assert!(!short_loop(i64::MIN + 5, -3, i64::MIN, IntCC::SignedGreaterThan));
        assert!(short_loop(i64::MIN + 5, -1, i64::MIN, IntCC::SignedGreaterThan));
        assert!(!short_loop(5, -3, 0, IntCC::UnsignedGreaterThan));
        assert!(short_loop(5, -1, 0, IntCC::UnsignedGreaterThan));
    }

    /// Two counted loops in the translator's shape, one inside the other:
    /// `for k in range(n): for j in range(n): s += j` (each head checks the
    /// flag; tests at the bottom).
    fn nested_loops() -> Function {
        let mut func = word_function(2);
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let [entry, head, cold, body, ihead, icold, ibody, ilatch, latch, exit] = [(); 10].map(|()| b.create_block());
        b.append_block_params_for_function_params(entry);
        let (k, s) = (b.append_block_param(head, types::I64), b.append_block_param(head, types::I64));
        let (j, t) = (b.append_block_param(ihead, types::I64), b.append_block_param(ihead, types::I64));
        let r = b.append_block_param(exit, types::I64);
        b.set_cold_block(cold);
        b.set_cold_block(icold);
        b.switch_to_block(entry);
        let [n, flag] = [0, 1].map(|i| b.block_params(entry)[i]);
        let zero = b.ins().iconst(types::I64, 0);
        let enter = b.ins().icmp(IntCC::SignedLessThan, zero, n);
        b.ins().brif(enter, head, &[zero.into(), zero.into()], exit, &[zero.into()]);
        for (h, c, next) in [(head, cold, body), (ihead, icold, ibody)] {
            b.switch_to_block(h);
            let f = b.ins().uload8(types::I64, MemFlagsData::new(), flag, 0);
            b.ins().brif(f, c, &[], next, &[]);
            b.switch_to_block(c);
            b.ins().jump(next, &[]);
        }
        b.switch_to_block(body);
        b.ins().jump(ihead, &[zero.into(), s.into()]);
        b.switch_to_block(ibody);
        let t2 = b.ins().iadd(t, j);
        let j2 = b.ins().iadd_imm_s(j, 1);
        let more = b.ins().icmp(IntCC::SignedLessThan, j2, n);
        b.ins().brif(more, ihead, &[j2.into(), t2.into()], ilatch, &[]);
        b.switch_to_block(ilatch);
        b.ins().jump(latch, &[]);
        b.switch_to_block(latch);
        let k2 = b.ins().iadd_imm_s(k, 1);
        let more = b.ins().icmp(IntCC::SignedLessThan, k2, n);
        b.ins().brif(more, head, &[k2.into(), t2.into()], exit, &[t2.into()]);
        b.switch_to_block(exit);
        b.ins().return_(&[r]);
        finish(b);
        func
    }

    #[test]
    fn loops_around_strip_mined_loops_are_strip_mined_too() {
        let mut func = nested_loops();
        verify(&func);
        assert_eq!(strip_mine(&mut func).loops, 2, "{}", func.display());
        verify(&func);
    }

    #[test]
    fn other_loops_are_left_alone() {
        let cases = [
            // A call could block: the loop keeps its check on every iteration.
            counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(1), 0, true),
            // The step changes in the loop.
            counted_loop(IntCC::SignedLessThan, 0, Stepping::InLoop, 0, false),
            // Not an ordered test, or a test the step moves away from.
            counted_loop(IntCC::NotEqual, 0, Stepping::Const(1), 0, false),
            counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(-1), 0, false),
            counted_loop(IntCC::SignedGreaterThan, 0, Stepping::Const(1), 0, false),
            counted_loop(IntCC::SignedGreaterThan, 0, Stepping::Param, 0, false),
            counted_loop(IntCC::SignedLessThanOrEqual, 0, Stepping::Const(1), 0, false),
            // A step whose strip would overflow.
            counted_loop(IntCC::SignedLessThan, 0, Stepping::Const(MAX_STEP + 1), 0, false),
        ];
        for mut func in cases {
            let before = func.display().to_string();
            assert_eq!(strip_mine(&mut func).loops, 0, "{before}");
            assert_eq!(func.display().to_string(), before);
        }
    }
}
