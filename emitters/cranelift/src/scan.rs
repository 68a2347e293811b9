//! Scan vectorisation: a strip loop carrying a running maximum (or minimum)
//! of the elements it reads runs 16 bytes of iterations at a time in SIMD
//! registers, the running value computed for all of them by a prefix scan.
//!
//! A bubble sort's pass, once if-conversion made its exchange straight-line
//! and forwarding keeps `b[j]` in a register, is such a loop:
//!
//! ```text
//! body(j, c):  x = b[j + 1]
//!              b[j] = min(c, x); b[j + 1] = max(c, x)
//!              next(j + 1, max(c, x))
//! ```
//!
//! Element by element its speed is bound by the compare-and-select chain
//! through `c`. But `max` is associative: over `L` iterations the values
//! `c_i = max(c, x_0, .., x_i)` are a prefix scan, `log2 L` shifted
//! maximums of the loaded vector and one with the incoming `c`; the values
//! before each step (`c_{i-1}`) are that vector moved up a lane with `c` in
//! front. Every stored value is then a lane-wise minimum or maximum of
//! those and of loaded vectors.
//!
//! The pass takes strip loops ([`crate::strip`]) that are one chain of blocks
//! and whose
//!
//! - counter steps by 1 upwards;
//! - memory accesses are plain loads and stores of one element size `N`
//!   (1, 2 or 4 bytes) at `B + N * j + offset`, the same invariant `B` for
//!   all (so their places are known relative to each other), and every
//!   other instruction computes a value and nothing else;
//! - header parameters are the counter and one carried value `c`, entering
//!   with a value of `N` bytes, whose next value is the maximum (or the
//!   minimum) of `c` and a loaded element;
//! - stored values are minimums and maximums of `c`, its next value and
//!   loaded elements (selects of comparisons between their two arms); all
//!   those values fit in `N` bytes, so signed and unsigned comparisons of
//!   the machine words agree with unsigned comparisons of the lanes;
//! - no iteration loads what an earlier iteration stored (a store's offset
//!   is at most every load's, and a load at a store's offset comes before
//!   it in the iteration): all the loads of `L` iterations can come first.
//!
//! It puts in front of the loop, as [`crate::unroll::unroll_strips`] does, a
//! loop running `L = 16 / N` iterations per round while more than `L` remain
//! in the strip: the vector loads, the scan, the stores (in order of
//! decreasing offset, so that, as in the scalar order, the iteration that
//! comes later wins where two stores meet), and the counter moved by `L`.
//! The strip ends where it did (interrupt checks and fuel are unchanged);
//! the running value enters the scalar loop as a word.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, Block, BlockArg, ConstantData, Function, Inst, InstBuilder, InstructionData, MemFlagsData, Opcode, Type,
    Value,
};

use crate::address::{access, fits};
use crate::clif::{def, pure, source, step_of, value_args, Step};
use crate::minmax::Kind;
use crate::strip::Strip;
use crate::unroll::{chain, front, room, Front};

/// Bytes per vector.
const VECTOR: i64 = 16;
/// Most instructions in a loop considered.
const MAX_INSTS: usize = 64;
/// Farthest apart two accesses' offsets may be.
const MAX_DISTANCE: i64 = 1 << 16;
/// Deepest chain of block parameters followed to a running value's origin.
const MAX_PARAMS: usize = 16;

/// `max` or `min` of two elements (unsigned: they fit the element size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pick {
    Max,
    Min,
}

/// A lane's value in the vector loop.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Lane {
    /// The running value before the iteration.
    Before,
    /// The running value after it.
    After,
    /// The element the `n`th load reads.
    Loaded(usize),
    /// The larger or smaller of two.
    Pick(Pick, Box<Lane>, Box<Lane>),
}

/// A memory access of the loop: its offset from `B + N * j` and, for a
/// store, the stored value.
#[derive(Clone, Debug)]
struct Stream {
    offset: i32,
    stored: Option<Lane>,
}

/// A loop this pass rewrites.
struct Plan {
    /// The accesses in program order.
    streams: Vec<Stream>,
    /// Index of the load feeding the running value, and how it is combined.
    source: usize,
    pick: Pick,
    /// The index of `c` among the header's parameters.
    carried: usize,
    /// `B`'s terms (the counter excluded), with factors.
    base: Vec<(Value, i64)>,
    size: i64,
}

/// Gives the qualifying strip loops of `func` a vector loop in front (see
/// the module documentation); the bodies of the strips given one.
pub fn vectorize_scans(func: &mut Function, strips: &[Strip]) -> Vec<Block> {
    let mut done = Vec::new();
    for s in strips {
        let cfg = ControlFlowGraph::with_function(func);
        if plan(func, &cfg, s).is_some_and(|plan| carry_out(func, s, &plan)) {
            done.push(s.body);
        }
    }
    done
}

fn plan(func: &Function, cfg: &ControlFlowGraph, s: &Strip) -> Option<Plan> {
    if !matches!(s.cond, IntCC::SignedLessThan | IntCC::UnsignedLessThan) {
        return None;
    }
    let blocks = chain(func, cfg, s.body, s.latch)?;
    if blocks.iter().any(|&b| func.layout.is_cold(b)) {
        return None;
    }
    let term = func.layout.last_inst(s.latch)?;
    let back = value_args(func, term, s.body)?;
    let params = func.dfg.block_params(s.body).to_vec();
    let counter = params[s.k];
    if step_of(func, source(func, cfg, back[s.k]), counter) != Some(Step::Const(1)) {
        return None;
    }
    // The accesses, in order; nothing else but pure instructions.
    let insts: Vec<Inst> = blocks.iter().flat_map(|&b| func.layout.block_insts(b)).collect();
    if insts.len() > MAX_INSTS {
        return None;
    }
    let mut streams = Vec::new();
    let mut shape: Option<(Vec<(Value, i64)>, i64)> = None;
    for &inst in &insts {
        let op = func.dfg.insts[inst].opcode();
        if op.is_branch() {
            continue;
        }
        let Some(acc) = access(func, inst) else {
            if pure(op) {
                continue;
            }
            return None;
        };
        // `B + N * j + offset`, `B` invariant.
        let mut base = acc.addr.terms.clone();
        let at = base.iter().position(|&(v, _)| v == counter)?;
        let (_, factor) = base.remove(at);
        if factor != acc.size || !matches!(acc.size, 1 | 2 | 4) {
            return None;
        }
        if base.iter().any(|&(v, _)| defined_in(func, &blocks, v)) {
            return None;
        }
        match &shape {
            None => shape = Some((base, acc.size)),
            Some((b, n)) if *b == base && *n == acc.size => {}
            Some(_) => return None,
        }
        streams.push((inst, acc));
    }
    let (base, size) = shape?;
    // Lanes line up: every offset the same modulo the element size; and the
    // offsets are near each other, so that comparing them as integers
    // compares the places (no distance wraps round the word).
    let first = streams.first()?.1.addr.offset;
    if streams.iter().any(|(_, a)| {
        let d = a.addr.offset.wrapping_sub(first);
        // (The vector accesses take the offsets as 32-bit immediates.)
        let fits32 = i32::try_from(a.addr.offset).is_ok_and(|o| o.checked_add(VECTOR as i32).is_some());
        d.rem_euclid(size) != 0 || !(-MAX_DISTANCE..=MAX_DISTANCE).contains(&d) || !fits32
    }) {
        return None;
    }
    // No iteration reads what an earlier one wrote.
    for (n, (_, st)) in streams.iter().enumerate().filter(|(_, (_, a))| a.stored.is_some()) {
        for (m, (_, ld)) in streams.iter().enumerate().filter(|(_, (_, a))| a.stored.is_none()) {
            let (s_off, l_off) = (st.addr.offset, ld.addr.offset);
            if s_off > l_off || (s_off == l_off && m > n) {
                return None;
            }
        }
    }
    // The parameters: the counter and one running value.
    let [carried] = (0..params.len()).filter(|&i| i != s.k).collect::<Vec<_>>()[..] else { return None };
    let c = params[carried];
    let entries: Vec<Value> = cfg
        .pred_iter(s.body)
        .filter(|p| p.inst != term)
        .map(|p| value_args(func, p.inst, s.body))
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .map(|a| a[carried])
        .collect();
    let mut visiting = Vec::new();
    if entries.is_empty() || !entries.iter().all(|&e| fits_through(func, cfg, e, size, &mut visiting)) {
        return None;
    }
    let loads: Vec<Value> =
        streams.iter().filter(|(_, a)| a.stored.is_none()).map(|(i, _)| func.dfg.first_result(*i)).collect();
    let next = source(func, cfg, back[carried]);
    let (pick, x, y) = minmax(func, cfg, next)?;
    let source = match (x == c, y == c) {
        (true, false) => loads.iter().position(|&l| l == y)?,
        (false, true) => loads.iter().position(|&l| l == x)?,
        _ => return None,
    };
    let mut out = Vec::new();
    for (_, acc) in streams {
        let stored = match acc.stored {
            Some(v) => Some(lane(func, cfg, v, c, next, &loads, 0)?),
            None => None,
        };
        out.push(Stream { offset: i32::try_from(acc.addr.offset).ok()?, stored });
    }
    Some(Plan { streams: out, source, pick, carried, base, size })
}

/// `v` fits in `size` bytes unsigned ([`fits`]), following block parameters
/// to the values every predecessor passes. A parameter met again while its
/// own inputs are being checked is assumed to fit: each value then fits by
/// induction over the executions, since a select, a mask or a narrow load
/// of fitting values fits.
fn fits_through(func: &Function, cfg: &ControlFlowGraph, v: Value, size: i64, visiting: &mut Vec<Value>) -> bool {
    let v = func.dfg.resolve_aliases(v);
    if fits(func, v, size) {
        return true;
    }
    if let Some(inst) = def(func, v) {
        return match func.dfg.insts[inst] {
            InstructionData::Ternary { opcode: Opcode::Select, args: [_, x, y] } => {
                fits_through(func, cfg, x, size, visiting) && fits_through(func, cfg, y, size, visiting)
            }
            _ => false,
        };
    }
    let cranelift_codegen::ir::ValueDef::Param(block, n) = func.dfg.value_def(v) else { return false };
    if visiting.contains(&v) {
        return true;
    }
    if visiting.len() >= MAX_PARAMS || func.layout.entry_block() == Some(block) {
        return false;
    }
    visiting.push(v);
    let ok = cfg.pred_iter(block).all(|p| match value_args(func, p.inst, block) {
        Some(args) => args.get(n).is_some_and(|&a| fits_through(func, cfg, a, size, visiting)),
        None => false,
    });
    // Only the parameters on the current path are assumed.
    visiting.pop();
    ok
}

/// `v` is defined by an instruction of `blocks` or is one of their parameters.
fn defined_in(func: &Function, blocks: &[Block], v: Value) -> bool {
    let block = match func.dfg.value_def(func.dfg.resolve_aliases(v)) {
        cranelift_codegen::ir::ValueDef::Result(inst, _) => func.layout.inst_block(inst),
        cranelift_codegen::ir::ValueDef::Param(b, _) => Some(b),
        _ => None,
    };
    block.is_some_and(|b| blocks.contains(&b))
}

/// `v` as a lane value: the running value before or after, a loaded
/// element, or a minimum or maximum of those.
fn lane(
    func: &Function,
    cfg: &ControlFlowGraph,
    v: Value,
    before: Value,
    after: Value,
    loads: &[Value],
    depth: u32,
) -> Option<Lane> {
    let v = source(func, cfg, v);
    if v == before {
        return Some(Lane::Before);
    }
    if v == after {
        return Some(Lane::After);
    }
    if let Some(n) = loads.iter().position(|&l| l == v) {
        return Some(Lane::Loaded(n));
    }
    if depth >= 4 {
        return None;
    }
    let (pick, x, y) = minmax(func, cfg, v)?;
    let x = lane(func, cfg, x, before, after, loads, depth + 1)?;
    let y = lane(func, cfg, y, before, after, loads, depth + 1)?;
    Some(Lane::Pick(pick, Box::new(x), Box::new(y)))
}

/// `v` as `max(x, y)` or `min(x, y)` ([`crate::minmax::step`]: a select
/// between the two operands of an ordering comparison). Signed or unsigned
/// alike: the values compared here fit the element size.
fn minmax(func: &Function, cfg: &ControlFlowGraph, v: Value) -> Option<(Pick, Value, Value)> {
    let (kind, [a, b]) = crate::minmax::step(func, cfg, def(func, v)?)?;
    let pick = match kind {
        Kind::Smax | Kind::Umax => Pick::Max,
        Kind::Smin | Kind::Umin => Pick::Min,
    };
    Some((pick, source(func, cfg, a), source(func, cfg, b)))
}

/// Puts the vector loop in front of `s`'s body; false if the strip is not
/// of the shape strip mining makes.
fn carry_out(func: &mut Function, s: &Strip, plan: &Plan) -> bool {
    let lanes = VECTOR / plan.size;
    let narrow = Type::int_with_byte_size(plan.size as u16).expect("1, 2 or 4 bytes");
    let ty = narrow.by(lanes as u32).expect("16 bytes");
    let Some(Front { pre, round, pre_params, mut round_params, lim }) = front(func, s) else { return false };
    let carried_vec = func.dfg.append_block_param(round, ty);
    let flags = MemFlagsData::new();
    let little = MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little);

    // pre: the running value splat; go round while more than L iterations remain.
    let mut cur = FuncCursor::new(func).at_bottom(pre);
    let l = cur.ins().iconst(types::I64, lanes);
    let go = room(&mut cur, true, lim, pre_params[s.k], l);
    let c = cur.ins().ireduce(narrow, pre_params[plan.carried]);
    let splat = cur.ins().splat(ty, c);
    let mut args: Vec<BlockArg> = pre_params.iter().map(|&v| BlockArg::Value(v)).collect();
    let scalar_args = args.clone();
    args.push(BlockArg::Value(splat));
    cur.ins().brif(go, round, &args, s.body, &scalar_args);

    // round: loads, scan, stores, next counter.
    let mut cur = FuncCursor::new(func).at_bottom(round);
    let j = round_params[s.k];
    let mut at = cur.ins().imul_imm_s(j, plan.size);
    for &(v, k) in &plan.base {
        let t = if k == 1 { v } else { cur.ins().imul_imm_s(v, k) };
        at = cur.ins().iadd(at, t);
    }
    let mut loaded = Vec::new();
    for st in plan.streams.iter().filter(|st| st.stored.is_none()) {
        loaded.push(cur.ins().load(ty, flags, at, st.offset));
    }
    let identity = match plan.pick {
        Pick::Max => 0,
        Pick::Min => -1,
    };
    let fill = cur.ins().iconst(narrow, identity & ((1i64 << (8 * plan.size)) - 1));
    let fill = cur.ins().splat(ty, fill);
    let mut scan = loaded[plan.source];
    let mut k = 1;
    while k < lanes {
        let moved = shift_up(&mut cur, fill, scan, (k * plan.size) as u8, ty, little);
        scan = pick(&mut cur, plan.pick, scan, moved);
        k *= 2;
    }
    let after = pick(&mut cur, plan.pick, scan, carried_vec);
    let before = shift_up(&mut cur, carried_vec, after, plan.size as u8, ty, little);
    let mut order: Vec<&Stream> = plan.streams.iter().filter(|st| st.stored.is_some()).collect();
    // Stable: stores at one offset stay in program order.
    order.sort_by_key(|st| std::cmp::Reverse(st.offset));
    for st in order {
        let Some(expr) = &st.stored else { continue };
        let v = emit(&mut cur, expr, before, after, &loaded);
        cur.ins().store(flags, v, at, st.offset);
    }
    // The last lane, everywhere (next round) and as a word (the scalar loop).
    let last = (lanes - 1) as u8;
    let bytes = plan.size as u8;
    let pattern: Vec<u8> = (0..16).map(|i| last * bytes + i % bytes).collect();
    let pattern = cur.func.dfg.immediates.push(ConstantData::from(pattern));
    let a = cur.ins().bitcast(types::I8X16, little, after);
    let spread = cur.ins().shuffle(a, a, pattern);
    let next_vec = cur.ins().bitcast(ty, little, spread);
    let word = cur.ins().extractlane(after, last);
    let word = cur.ins().uextend(types::I64, word);
    round_params[s.k] = cur.ins().iadd(j, l);
    round_params[plan.carried] = word;
    let go = room(&mut cur, true, lim, round_params[s.k], l);
    let scalar_args: Vec<BlockArg> = round_params.iter().map(|&v| BlockArg::Value(v)).collect();
    let mut args = scalar_args.clone();
    args.push(BlockArg::Value(next_vec));
    cur.ins().brif(go, round, &args, s.body, &scalar_args);
    true
}

/// `v`'s lanes moved up by `bytes` bytes, the low ones taken from the top of
/// `fill` (a `palignr`).
fn shift_up(cur: &mut FuncCursor<'_>, fill: Value, v: Value, bytes: u8, ty: Type, little: MemFlagsData) -> Value {
    let f = cur.ins().bitcast(types::I8X16, little, fill);
    let x = cur.ins().bitcast(types::I8X16, little, v);
    // Lane i of the result: byte i + 16 - bytes of fill ++ v.
    let pattern: Vec<u8> = (0..16).map(|i| i + 16 - bytes).collect();
    let pattern = cur.func.dfg.immediates.push(ConstantData::from(pattern));
    let moved = cur.ins().shuffle(f, x, pattern);
    cur.ins().bitcast(ty, little, moved)
}

fn pick(cur: &mut FuncCursor<'_>, p: Pick, x: Value, y: Value) -> Value {
    match p {
        Pick::Max => cur.ins().umax(x, y),
        Pick::Min => cur.ins().umin(x, y),
    }
}

fn emit(cur: &mut FuncCursor<'_>, lane: &Lane, before: Value, after: Value, loaded: &[Value]) -> Value {
    match lane {
        Lane::Before => before,
        Lane::After => after,
        Lane::Loaded(n) => loaded[*n],
        Lane::Pick(p, x, y) => {
            let x = emit(cur, x, before, after, loaded);
            let y = emit(cur, y, before, after, loaded);
            pick(cur, *p, x, y)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strip::strip_mine;
    use crate::test_util::{compile_baseline, count, verify, word_function, TranslatedLoop};
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    /// What a test loop's body sees: the buffer, another one, the counter
    /// and the running value.
    #[derive(Clone, Copy)]
    struct At {
        p: Value,
        q: Value,
        j: Value,
        c: Value,
    }

    type Body = fn(&mut FunctionBuilder<'_>, At) -> (Value, i64);

    /// `f(p, n, flag, q)`: `c = first(p); j = 0; if j < n: do { check flag;
    /// c = body(..); j += step } while j < n; return c`, in the shape the
    /// translator and loop inversion leave (see strip.rs's tests); `body`
    /// returns the next running value and the step.
    fn pass_loop(first: fn(&mut FunctionBuilder<'_>, Value, Value) -> Value, body: Body) -> Function {
        let mut func = word_function(4);
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let l = TranslatedLoop::new(&mut b);
        let [p, n, flag, q] = [0, 1, 2, 3].map(|i| b.block_params(l.entry)[i]);
        let c0 = first(&mut b, p, n);
        let zero = b.ins().iconst(types::I64, 0);
        l.enter(&mut b, (zero, c0), IntCC::SignedLessThan, n, flag);
        let (c2, step) = body(&mut b, At { p, q, j: l.k, c: l.s });
        let j2 = b.ins().iadd_imm_s(l.k, step);
        l.close(b, (j2, c2), IntCC::SignedLessThan, n);
        func
    }

    fn first_byte(b: &mut FunctionBuilder<'_>, p: Value, _: Value) -> Value {
        b.ins().uload8(types::I64, MemFlagsData::new(), p, 0)
    }

    /// `p + size * (j + k)`.
    fn at(b: &mut FunctionBuilder<'_>, p: Value, j: Value, k: i64, size: i64) -> Value {
        let i = b.ins().iadd_imm_s(j, k);
        let i = b.ins().imul_imm_s(i, size);
        b.ins().iadd(p, i)
    }

    fn load(b: &mut FunctionBuilder<'_>, addr: Value, size: i64) -> Value {
        let flags = MemFlagsData::new();
        match size {
            1 => b.ins().uload8(types::I64, flags, addr, 0),
            2 => b.ins().uload16(types::I64, flags, addr, 0),
            4 => b.ins().uload32(flags, addr, 0),
            _ => b.ins().load(types::I64, flags, addr, 0),
        }
    }

    fn store(b: &mut FunctionBuilder<'_>, v: Value, addr: Value, size: i64) {
        let flags = MemFlagsData::new();
        match size {
            1 => b.ins().istore8(flags, v, addr, 0),
            2 => b.ins().istore16(flags, v, addr, 0),
            4 => b.ins().istore32(flags, v, addr, 0),
            _ => b.ins().store(flags, v, addr, 0),
        };
    }

    /// A bubble sort's pass over `size`-byte elements, as the passes before
    /// leave it: `x = p[j + 1]; keep = !(c cc x); p[j] = keep ? c : x;
    /// p[j + 1] = keep ? x : c`; the next running value is `p[j + 1]`'s.
    fn exchange(b: &mut FunctionBuilder<'_>, s: At, size: i64, cc: IntCC) -> Value {
        let x = {
            let a = at(b, s.p, s.j, 1, size);
            load(b, a, size)
        };
        let swap = b.ins().icmp(cc, s.c, x);
        let word = b.ins().uextend(types::I64, swap);
        let keep = b.ins().icmp_imm_s(IntCC::Equal, word, 0);
        let low = b.ins().select(keep, s.c, x);
        let a = at(b, s.p, s.j, 0, size);
        store(b, low, a, size);
        let high = b.ins().select(keep, x, s.c);
        let a = at(b, s.p, s.j, 1, size);
        store(b, high, a, size);
        high
    }

    /// `x = p[j + load_at]; m = x > c ? x : c; p[j + store_at] = m` (a store
    /// of `size` bytes), the running value `m`, step 1.
    fn running(b: &mut FunctionBuilder<'_>, s: At, load_at: i64, store_at: i64, size: i64) -> (Value, i64) {
        let a = at(b, s.p, s.j, load_at, 1);
        let x = load(b, a, 1);
        let more = b.ins().icmp(IntCC::SignedGreaterThan, x, s.c);
        let m = b.ins().select(more, x, s.c);
        let a = at(b, s.p, s.j, store_at, 1);
        store(b, m, a, size);
        (m, 1)
    }

    /// Strip-mines `func` and vectorises its scans: how many.
    fn vectorized(mut func: Function) -> (usize, Function) {
        let stripped = strip_mine(&mut func);
        assert_eq!(stripped.strips.len(), 1, "{}", func.display());
        let done = vectorize_scans(&mut func, &stripped.strips);
        verify(&func);
        (done.len(), func)
    }

    #[test]
    fn a_bubble_sorts_pass_runs_sixteen_bytes_at_a_time() {
        let (n, func) = vectorized(pass_loop(first_byte, |b, s| (exchange(b, s, 1, IntCC::SignedGreaterThan), 1)));
        assert_eq!(n, 1);
        // The scan: four shifted maximums and the incoming value's; the
        // lower values a minimum; two vector stores.
        assert_eq!(count(&func, Opcode::Umax, Some(types::I8X16)), 5, "{}", func.display());
        assert_eq!(count(&func, Opcode::Umin, Some(types::I8X16)), 1);
        assert_eq!(count(&func, Opcode::Store, Some(types::I8X16)), 2);
        assert_eq!(count(&func, Opcode::Load, Some(types::I8X16)), 1);
        // Cranelift lowers the vector code without SSE4.1 or SSSE3 too.
        compile_baseline(&func).unwrap();
    }

    #[test]
    fn wider_elements_and_minimums_take_fewer_lanes() {
        fn first16(b: &mut FunctionBuilder<'_>, p: Value, _: Value) -> Value {
            b.ins().uload16(types::I64, MemFlagsData::new(), p, 0)
        }
        fn first32(b: &mut FunctionBuilder<'_>, p: Value, _: Value) -> Value {
            b.ins().uload32(MemFlagsData::new(), p, 0)
        }
        // Descending 16-bit: the running value is a minimum (three steps).
        let (n, func) = vectorized(pass_loop(first16, |b, s| (exchange(b, s, 2, IntCC::UnsignedLessThan), 1)));
        assert_eq!(n, 1);
        assert_eq!(count(&func, Opcode::Umin, Some(types::I16X8)), 4, "{}", func.display());
        assert_eq!(count(&func, Opcode::Umax, Some(types::I16X8)), 1);
        compile_baseline(&func).unwrap();
        let (n, func) = vectorized(pass_loop(first32, |b, s| (exchange(b, s, 4, IntCC::SignedGreaterThanOrEqual), 1)));
        assert_eq!(n, 1);
        assert_eq!(count(&func, Opcode::Umax, Some(types::I32X4)), 3, "{}", func.display());
        compile_baseline(&func).unwrap();
    }

    #[test]
    fn a_running_maximum_stored_in_place_is_a_scan() {
        // `m = 0; for i: if p[i] > m: m = p[i]; p[i] = m`.
        fn zero(b: &mut FunctionBuilder<'_>, _: Value, _: Value) -> Value {
            b.ins().iconst(types::I64, 0)
        }
        let (n, func) = vectorized(pass_loop(zero, |b, s| running(b, s, 0, 0, 1)));
        assert_eq!(n, 1);
        assert_eq!(count(&func, Opcode::Store, Some(types::I8X16)), 1, "{}", func.display());
    }

    #[test]
    fn near_misses_stay_scalar() {
        let cases: [(&str, Body); 10] = [
            // A store far behind the load: offsets too far apart to compare.
            ("far apart", |b, s| running(b, s, 0, -(1 << 20), 1)),
            // Offsets beyond a 32-bit immediate.
            ("far away", |b, s| running(b, s, 1 << 32, 1 << 32, 1)),
            // The store lands where the next iteration loads.
            ("store ahead", |b, s| running(b, s, 1, 2, 1)),
            // A store before the load of the same place.
            ("store first", |b, s| {
                let a = at(b, s.p, s.j, 0, 1);
                store(b, s.c, a, 1);
                let x = load(b, a, 1);
                let more = b.ins().icmp(IntCC::SignedGreaterThan, x, s.c);
                (b.ins().select(more, x, s.c), 1)
            }),
            // Machine words: no unsigned lanes hold them.
            ("words", |b, s| (exchange(b, s, 8, IntCC::SignedGreaterThan), 1)),
            // Another buffer, which may overlap.
            ("two buffers", |b, s| {
                let x = {
                    let a = at(b, s.p, s.j, 0, 1);
                    load(b, a, 1)
                };
                let more = b.ins().icmp(IntCC::SignedGreaterThan, x, s.c);
                let m = b.ins().select(more, x, s.c);
                let a = at(b, s.q, s.j, 0, 1);
                store(b, m, a, 1);
                (m, 1)
            }),
            // Every other element.
            ("step 2", |b, s| (exchange(b, s, 1, IntCC::SignedGreaterThan), 2)),
            // A stored sum.
            ("sum stored", |b, s| {
                let a = at(b, s.p, s.j, 0, 1);
                let x = load(b, a, 1);
                let more = b.ins().icmp(IntCC::SignedGreaterThan, x, s.c);
                let m = b.ins().select(more, x, s.c);
                let sum = b.ins().iadd(m, x);
                store(b, sum, a, 1);
                (m, 1)
            }),
            // A select on another comparison.
            ("other test", |b, s| {
                let a = at(b, s.p, s.j, 0, 1);
                let x = load(b, a, 1);
                let more = b.ins().icmp_imm_s(IntCC::SignedGreaterThan, x, 5);
                let m = b.ins().select(more, x, s.c);
                store(b, m, a, 1);
                (m, 1)
            }),
            // Loads of bytes, stores of halfwords.
            ("mixed sizes", |b, s| running(b, s, 0, 4, 2)),
        ];
        for (what, body) in cases {
            let func = pass_loop(if what == "words" { first_word } else { first_byte }, body);
            assert_eq!(vectorized(func).0, 0, "{what}");
        }
        // A running value entering as any word (the count `n`).
        fn count_n(_: &mut FunctionBuilder<'_>, _: Value, n: Value) -> Value {
            n
        }
        let func = pass_loop(count_n, |b, s| (exchange(b, s, 1, IntCC::SignedGreaterThan), 1));
        assert_eq!(vectorized(func).0, 0, "word entry");
    }

    fn first_word(b: &mut FunctionBuilder<'_>, p: Value, _: Value) -> Value {
        b.ins().load(types::I64, MemFlagsData::new(), p, 0)
    }
}
