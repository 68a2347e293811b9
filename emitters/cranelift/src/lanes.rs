//! Byte-lane vectorisation: a word put together from byte-wide results of
//! one computation repeated on each byte of other words is computed for all
//! its bytes at once, in the 16-bit lanes of a SIMD register.
//!
//! Pixel code works on the channels of packed words one at a time; a blend
//! of two RGBA pixels `a` and `b` is, once strip mining has unrolled the
//! loop over the channel's shift `s = 0, 8, 16, 24`,
//!
//! ```text
//! out = 0 | T(0) | T(8) | T(16) | T(24)
//! T(s) = ((((a >> s) & 255) * inv + ((b >> s) & 255) * alpha) >> 8) & 255) << s
//! ```
//!
//! Each term is `((E >> c) & m) << 8k` with `m = 2^w - 1`, where `E` is made
//! from byte `k` of some words (`(x >> 8k) & 255`), values that every term
//! uses alike, and constants, by additions, subtractions, multiplications,
//! bitwise operations, negations and left shifts by constants. Bits 0-15 of
//! such an `E` depend on bits 0-15 of its operands only (carries and
//! products move information upwards, never down), and when `c + w <= 16`
//! the term reads no other bit of `E`. So computing `E` modulo 2^16 gives
//! every term exactly, whatever the values (`inv` and `alpha` need not be
//! small; nothing can overflow into a neighbouring lane because each lane is
//! its own 16-bit integer).
//!
//! When the terms of an `|`-tree are such terms for different bytes `k`,
//! with one shape (same `c`, `w` and computation) and their byte sources at
//! their own byte `k`, the pass computes them together: each source word is
//! spread into eight 16-bit lanes (`uwiden_low`), shared values and
//! constants are splat, the computation runs lane-wise, `>> c` and `& m`
//! follow, the lanes are packed back to bytes (`unarrow`: every lane holds
//! 0-255 then, so the saturation never applies) and the bytes of the terms'
//! lanes are kept. The tree's other operands are or-ed in as before. The
//! scalar terms become dead and Cranelift removes them.

use std::collections::HashMap;

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{types, Endianness, Function, Inst, InstBuilder, MemFlagsData, Opcode, Value};

use crate::clif::{constant, def};

/// Deepest expression followed (each level one operation).
const MAX_DEPTH: u32 = 12;
/// Most operations in one term's computation.
const MAX_OPS: u32 = 48;
/// Most operands of one `|`-tree looked at.
const MAX_LEAVES: usize = 16;

/// One lane's computation, the same for every lane (operands differ only in
/// which byte of a source word they read).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Lane {
    /// Byte `k` of this word, in lane `k`.
    Byte(Value),
    /// This value in every lane (modulo 2^16).
    Splat(Value),
    /// This constant in every lane (modulo 2^16).
    Const(i64),
    /// A binary operation: `iadd`, `isub`, `imul`, `band`, `bor` or `bxor`.
    Binary(Opcode, Box<Lane>, Box<Lane>),
    /// A left shift by a constant below 16.
    Shl(Box<Lane>, u8),
    /// `ineg` or `bnot`.
    Unary(Opcode, Box<Lane>),
}

impl Lane {
    /// Operations (not operands) in the computation.
    fn ops(&self) -> u32 {
        match self {
            Lane::Byte(_) | Lane::Splat(_) | Lane::Const(_) => 0,
            Lane::Binary(_, x, y) => 1 + x.ops() + y.ops(),
            Lane::Shl(x, _) | Lane::Unary(_, x) => 1 + x.ops(),
        }
    }
}

/// A term `((expr >> shift) & (2^width - 1)) << 8 * lane`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Term {
    leaf: Value,
    expr: Value,
    shift: u8,
    width: u8,
    lane: u8,
}

/// Vectorises the byte-lane `|`-trees of `func` (see the module
/// documentation); the number rewritten.
pub fn vectorize(func: &mut Function) -> usize {
    // Roots: word `bor`s whose result no other `bor` reads.
    let mut inner = std::collections::HashSet::new();
    let mut ors = Vec::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            if is_word_or(func, inst) {
                ors.push(inst);
                for &a in func.dfg.inst_args(inst) {
                    if let Some(d) = def(func, a).filter(|&d| is_word_or(func, d)) {
                        inner.insert(d);
                    }
                }
            }
        }
    }
    let mut rewritten = 0;
    for root in ors.into_iter().filter(|r| !inner.contains(r)) {
        if rewrite(func, root) {
            rewritten += 1;
        }
    }
    rewritten
}

/// `inst` is a `bor` of words.
fn is_word_or(func: &Function, inst: Inst) -> bool {
    func.dfg.insts[inst].opcode() == Opcode::Bor && func.dfg.value_type(func.dfg.first_result(inst)) == types::I64
}

/// The operands of the `|`-tree rooted at `root` (at most [`MAX_LEAVES`]).
fn leaves(func: &Function, root: Inst) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut work: Vec<Value> = func.dfg.inst_args(root).to_vec();
    while let Some(v) = work.pop() {
        let v = func.dfg.resolve_aliases(v);
        match def(func, v).filter(|&d| is_word_or(func, d)) {
            Some(d) => work.extend_from_slice(func.dfg.inst_args(d)),
            None => out.push(v),
        }
        if out.len() + work.len() > MAX_LEAVES {
            return None;
        }
    }
    out.reverse();
    Some(out)
}

fn rewrite(func: &mut Function, root: Inst) -> bool {
    let Some(leaves) = leaves(func, root) else { return false };
    let terms: Vec<Term> = leaves.iter().filter_map(|&v| term(func, v)).collect();
    // The largest group of one shape with distinct lanes.
    let mut best: Vec<Term> = Vec::new();
    for t in &terms {
        let mut group: Vec<Term> = Vec::new();
        for u in terms.iter().filter(|u| (u.shift, u.width) == (t.shift, t.width)) {
            if group.iter().all(|g| g.lane != u.lane) {
                group.push(*u);
            }
        }
        if group.len() > best.len() {
            best = group;
        }
    }
    if best.len() < 2 {
        return false;
    }
    let pairs: Vec<(Value, u8)> = best.iter().map(|t| (t.expr, t.lane)).collect();
    let mut budget = MAX_OPS;
    let Some(lane) = matching(func, &pairs, 0, &mut budget) else { return false };
    // Worth it: the vector code costs about as much as a few scalar
    // operations per source word.
    if best.len() * lane.ops() as usize <= 4 {
        return false;
    }
    let vectorized: Vec<Value> = best.iter().map(|t| t.leaf).collect();
    let rest: Vec<Value> =
        leaves.into_iter().filter(|&v| !vectorized.contains(&v) && constant(func, v) != Some(0)).collect();
    let (shift, width) = (best[0].shift, best[0].width);
    let kept = best.iter().fold(0u64, |m, t| m | 0xFF << (8 * t.lane));
    let mut pos = FuncCursor::new(func).at_inst(root);
    let mut spread = HashMap::new();
    let e = emit(&mut pos, &lane, &mut spread);
    let mut r = e;
    if shift > 0 {
        let c = pos.ins().iconst(types::I32, i64::from(shift));
        r = pos.ins().ushr(e, c);
    }
    if u32::from(shift) + u32::from(width) < 16 {
        let m = pos.ins().iconst(types::I16, (1i64 << width) - 1);
        let m = pos.ins().splat(types::I16X8, m);
        r = pos.ins().band(r, m);
    }
    let little = MemFlagsData::new().with_endianness(Endianness::Little);
    let bytes = pos.ins().unarrow(r, r);
    let words = pos.ins().bitcast(types::I64X2, little, bytes);
    let mut acc = pos.ins().extractlane(words, 0);
    if kept == 0xFFFF_FFFF {
        // Four low bytes: a 32-bit move rather than a mask from memory.
        let low = pos.ins().ireduce(types::I32, acc);
        acc = pos.ins().uextend(types::I64, low);
    } else if kept != u64::MAX {
        acc = pos.ins().band_imm_s(acc, kept as i64);
    }
    for v in rest {
        acc = pos.ins().bor(acc, v);
    }
    let result = func.dfg.first_result(root);
    func.dfg.detach_inst_results(root);
    func.dfg.change_to_alias(result, acc);
    func.layout.remove_inst(root);
    true
}

/// `v` as a term `((E >> c) & m) << 8k` with `c + width(m) <= 16`.
fn term(func: &Function, leaf: Value) -> Option<Term> {
    let (masked, lane) = match binary(func, leaf, Opcode::Ishl) {
        Some([x, s]) => {
            let s = folded(func, s, 0)?;
            ((s % 8 == 0 && (0..64).contains(&s)).then_some(x)?, (s / 8) as u8)
        }
        None => (leaf, 0),
    };
    let [x, y] = binary(func, masked, Opcode::Band)?;
    let (r, m) = match (constant(func, x), constant(func, y)) {
        (_, Some(m)) => (x, m),
        (Some(m), _) => (y, m),
        _ => return None,
    };
    if m <= 0 || m > 255 || m & (m + 1) != 0 {
        return None;
    }
    let width = (m + 1).trailing_zeros();
    let (expr, shift) = match right_shift(func, r) {
        Some((e, c)) if (0..16).contains(&c) => (e, c as u32),
        Some(_) => return None,
        None => (r, 0),
    };
    (shift + width <= 16).then_some(Term { leaf, expr, shift: shift as u8, width: width as u8, lane })
}

/// The computation every `(value, lane)` pair makes, if they make the same
/// one with byte sources at their own lane.
fn matching(func: &Function, vals: &[(Value, u8)], depth: u32, budget: &mut u32) -> Option<Lane> {
    let vals: Vec<(Value, u8)> = vals.iter().map(|&(v, k)| (func.dfg.resolve_aliases(v), k)).collect();
    let first = vals[0].0;
    if vals.iter().any(|&(v, _)| func.dfg.value_type(v) != types::I64) {
        return None;
    }
    if let Some(c) = constant(func, first) {
        return vals.iter().all(|&(v, _)| constant(func, v) == Some(c)).then_some(Lane::Const(c));
    }
    // A byte source: byte k of one word in lane k.
    if let Some((w, _)) = byte_of(func, first) {
        if vals.iter().all(|&(v, k)| byte_of(func, v) == Some((w, k))) {
            return Some(Lane::Byte(w));
        }
    }
    if vals.iter().all(|&(v, _)| v == first) {
        return Some(Lane::Splat(first));
    }
    if depth >= MAX_DEPTH || *budget == 0 {
        return None;
    }
    *budget -= 1;
    let insts: Vec<Inst> = vals.iter().map(|&(v, _)| def(func, v)).collect::<Option<_>>()?;
    let op = func.dfg.insts[insts[0]].opcode();
    if insts
        .iter()
        .any(|&i| func.dfg.insts[i].opcode() != op || func.dfg.value_type(func.dfg.first_result(i)) != types::I64)
    {
        return None;
    }
    let arg = |n: usize| -> Option<Vec<(Value, u8)>> {
        vals.iter().zip(&insts).map(|(&(_, k), &i)| func.dfg.inst_args(i).get(n).map(|&a| (a, k))).collect()
    };
    match op {
        Opcode::Iadd | Opcode::Isub | Opcode::Imul | Opcode::Band | Opcode::Bor | Opcode::Bxor => {
            let x = matching(func, &arg(0)?, depth + 1, budget)?;
            let y = matching(func, &arg(1)?, depth + 1, budget)?;
            Some(Lane::Binary(op, Box::new(x), Box::new(y)))
        }
        Opcode::Ishl => {
            let amounts: Vec<Option<i64>> = arg(1)?.iter().map(|&(s, _)| folded(func, s, 0)).collect();
            let s = amounts[0].filter(|s| (0..16).contains(s))?;
            if amounts.iter().any(|&a| a != Some(s)) {
                return None;
            }
            Some(Lane::Shl(Box::new(matching(func, &arg(0)?, depth + 1, budget)?), s as u8))
        }
        Opcode::Ineg | Opcode::Bnot => Some(Lane::Unary(op, Box::new(matching(func, &arg(0)?, depth + 1, budget)?))),
        _ => None,
    }
}

/// `v` as `(x >> 8k) & 255` (or `x & 255` for `k = 0`): `(x, k)`.
fn byte_of(func: &Function, v: Value) -> Option<(Value, u8)> {
    let [x, y] = binary(func, v, Opcode::Band)?;
    let r = match (constant(func, x), constant(func, y)) {
        (_, Some(255)) => x,
        (Some(255), _) => y,
        _ => return None,
    };
    match right_shift(func, r) {
        Some((w, c)) if c % 8 == 0 && (0..64).contains(&c) => Some((func.dfg.resolve_aliases(w), (c / 8) as u8)),
        Some(_) => None,
        None => Some((r, 0)),
    }
}

/// `v` as a right shift (arithmetic or logical) of a word by a constant
/// amount below 64: `(x, amount)`.
fn right_shift(func: &Function, v: Value) -> Option<(Value, i64)> {
    let [x, s] = binary(func, v, Opcode::Sshr).or_else(|| binary(func, v, Opcode::Ushr))?;
    let s = folded(func, s, 0)?;
    (0..64).contains(&s).then_some((x, s))
}

/// The arguments of `v`'s definition if it is the word operation `op`.
fn binary(func: &Function, v: Value, op: Opcode) -> Option<[Value; 2]> {
    (func.dfg.value_type(v) == types::I64).then(|| crate::clif::binary(func, v, op)).flatten()
}

/// The value of `v` if constants alone make it (through `iadd`, `isub`,
/// `imul` and `ishl`).
fn folded(func: &Function, v: Value, depth: u32) -> Option<i64> {
    if let Some(c) = constant(func, v) {
        return Some(c);
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    let inst = def(func, v)?;
    let [x, y] = func.dfg.inst_args(inst) else { return None };
    let (x, y) = (folded(func, *x, depth + 1)?, folded(func, *y, depth + 1)?);
    match func.dfg.insts[inst].opcode() {
        Opcode::Iadd => Some(x.wrapping_add(y)),
        Opcode::Isub => Some(x.wrapping_sub(y)),
        Opcode::Imul => Some(x.wrapping_mul(y)),
        Opcode::Ishl => Some(x.wrapping_shl(y as u32 & 63)),
        _ => None,
    }
}

/// Emits `lane` as `i16x8` code at `pos`; `spread` caches each source word
/// spread into lanes.
fn emit(pos: &mut FuncCursor<'_>, lane: &Lane, spread: &mut HashMap<Value, Value>) -> Value {
    match lane {
        Lane::Byte(w) => {
            if let Some(&v) = spread.get(w) {
                return v;
            }
            let little = MemFlagsData::new().with_endianness(Endianness::Little);
            let v = pos.ins().scalar_to_vector(types::I64X2, *w);
            let bytes = pos.ins().bitcast(types::I8X16, little, v);
            let v = pos.ins().uwiden_low(bytes);
            spread.insert(*w, v);
            v
        }
        Lane::Splat(v) => {
            let low = pos.ins().ireduce(types::I16, *v);
            pos.ins().splat(types::I16X8, low)
        }
        Lane::Const(c) => {
            let low = pos.ins().iconst(types::I16, i64::from(*c as u16));
            pos.ins().splat(types::I16X8, low)
        }
        Lane::Binary(op, x, y) => {
            let (x, y) = (emit(pos, x, spread), emit(pos, y, spread));
            let ins = pos.ins();
            match op {
                Opcode::Iadd => ins.iadd(x, y),
                Opcode::Isub => ins.isub(x, y),
                Opcode::Imul => ins.imul(x, y),
                Opcode::Band => ins.band(x, y),
                Opcode::Bor => ins.bor(x, y),
                _ => ins.bxor(x, y),
            }
        }
        Lane::Shl(x, s) => {
            let x = emit(pos, x, spread);
            let s = pos.ins().iconst(types::I32, i64::from(*s));
            pos.ins().ishl(x, s)
        }
        Lane::Unary(op, x) => {
            let x = emit(pos, x, spread);
            if *op == Opcode::Ineg {
                pos.ins().ineg(x)
            } else {
                pos.ins().bnot(x)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{build, compile_baseline, count, verify};
    use cranelift_frontend::FunctionBuilder;

    /// The arguments of the test functions: two words and two factors.
    struct Args {
        a: Value,
        b: Value,
        inv: Value,
        alpha: Value,
    }

    /// A function returning `0 | term(0) | term(1) | ...` for `lanes`.
    fn word_of(lanes: &[u8], term: impl Fn(&mut FunctionBuilder<'_>, &Args, u8) -> Value) -> Function {
        build(4, |b, p| {
            let args = Args { a: p[0], b: p[1], inv: p[2], alpha: p[3] };
            let mut out = b.ins().iconst(types::I64, 0);
            for &k in lanes {
                let t = term(b, &args, k);
                out = b.ins().bor(out, t);
            }
            b.ins().return_(&[out]);
        })
        .0
    }

    /// `(w >> 8k) & 255`, the shift amount made by an addition as strip
    /// mining leaves it.
    fn byte(b: &mut FunctionBuilder<'_>, w: Value, k: u8) -> Value {
        let zero = b.ins().iconst(types::I64, 0);
        let s = b.ins().iadd_imm_s(zero, 8 * i64::from(k));
        let x = b.ins().sshr(w, s);
        b.ins().band_imm_s(x, 255)
    }

    /// `((E >> c) & m) << 8k`.
    fn put(b: &mut FunctionBuilder<'_>, e: Value, c: i64, m: i64, k: u8) -> Value {
        let x = b.ins().sshr_imm_s(e, c);
        let x = b.ins().band_imm_s(x, m);
        let s = b.ins().iconst(types::I64, 8 * i64::from(k));
        b.ins().ishl(x, s)
    }

    /// The blend of a channel: `byte(a) * inv + byte(b) * alpha`.
    fn mix(b: &mut FunctionBuilder<'_>, p: &Args, k: u8) -> Value {
        let (ca, cb) = (byte(b, p.a, k), byte(b, p.b, k));
        let x = b.ins().imul(ca, p.inv);
        let y = b.ins().imul(cb, p.alpha);
        b.ins().iadd(x, y)
    }

    #[test]
    fn the_channels_of_a_blend_are_computed_in_lanes() {
        let mut func = word_of(&[0, 1, 2, 3], |b, p, k| {
            let e = mix(b, p, k);
            put(b, e, 8, 255, k)
        });
        assert_eq!(vectorize(&mut func), 1);
        verify(&func);
        assert_eq!(count(&func, Opcode::Imul, Some(types::I16X8)), 2, "{}", func.display());
        assert_eq!(count(&func, Opcode::UwidenLow, Some(types::I16X8)), 2, "one spread per source word");
        assert_eq!(count(&func, Opcode::Unarrow, Some(types::I8X16)), 1);
        // Cranelift lowers the lanes without SSE4.1 too.
        compile_baseline(&func).unwrap();
        // The scalar `|` chain's last link is gone (the rest is dead code).
        assert_eq!(count(&func, Opcode::Bor, Some(types::I64)), 3);
    }

    #[test]
    fn lanes_may_be_any_subset_and_other_operands_stay() {
        // Bytes 0, 2 and 7 (an eight-byte word), a mask below 255 with no
        // shift (the lanes keep the mask), and a plain value or-ed in.
        let mut func = build(4, |b, p| {
            let args = Args { a: p[0], b: p[1], inv: p[2], alpha: p[3] };
            let mut out = p[3];
            for k in [0, 2, 7] {
                let e = mix(b, &args, k);
                let t = put(b, e, 0, 15, k);
                out = b.ins().bor(t, out);
            }
            b.ins().return_(&[out]);
        })
        .0;
        assert_eq!(vectorize(&mut func), 1);
        verify(&func);
        assert_eq!(count(&func, Opcode::Band, Some(types::I16X8)), 1, "{}", func.display());
        // The result: the lanes' bytes (masked to bytes 0, 2 and 7), or-ed with `alpha`.
        let ret = func.layout.last_inst(func.layout.last_block().unwrap()).unwrap();
        let result = func.dfg.resolve_aliases(func.dfg.inst_args(ret)[0]);
        let or = def(&func, result).unwrap();
        assert_eq!(func.dfg.insts[or].opcode(), Opcode::Bor);
        let [masked, alpha] = func.dfg.inst_args(or) else { panic!() };
        assert_eq!(*alpha, func.dfg.block_params(func.layout.entry_block().unwrap())[3]);
        let mask = def(&func, *masked).unwrap();
        assert_eq!(func.dfg.insts[mask].opcode(), Opcode::Band);
        assert_eq!(constant(&func, func.dfg.inst_args(mask)[1]), Some(0xFF00_0000_00FF_00FF_u64 as i64));
    }

    #[test]
    fn near_misses_are_left_alone() {
        type Term = fn(&mut FunctionBuilder<'_>, &Args, u8) -> Value;
        let cases: [(&str, Term); 8] = [
            // (E >> 9) & 255 reads bit 16 of E.
            ("bit 16 read", |b, p, k| {
                let e = mix(b, p, k);
                put(b, e, 9, 255, k)
            }),
            // A mask of nine bits.
            ("wide mask", |b, p, k| {
                let e = mix(b, p, k);
                put(b, e, 0, 511, k)
            }),
            // Byte k put at byte k + 1.
            ("byte moved", |b, p, k| {
                let e = mix(b, p, k);
                put(b, e, 8, 255, k + 1)
            }),
            // Lane 2 adds where the others multiply.
            ("not isomorphic", |b, p, k| {
                let (ca, cb) = (byte(b, p.a, k), byte(b, p.b, k));
                let x = if k == 2 { b.ins().iadd(ca, p.inv) } else { b.ins().imul(ca, p.inv) };
                let y = b.ins().imul(cb, p.alpha);
                let e = b.ins().iadd(x, y);
                put(b, e, 8, 255, k)
            }),
            // Lane 3 multiplies by another factor.
            ("other factor", |b, p, k| {
                let (ca, cb) = (byte(b, p.a, k), byte(b, p.b, k));
                let x = b.ins().imul(ca, if k == 3 { p.alpha } else { p.inv });
                let y = b.ins().imul(cb, p.alpha);
                let e = b.ins().iadd(x, y);
                put(b, e, 8, 255, k)
            }),
            // A right shift inside E moves high bits down.
            ("shift inside", |b, p, k| {
                let e = mix(b, p, k);
                let e = b.ins().sshr_imm_s(e, 3);
                let e = b.ins().iadd(e, p.inv);
                put(b, e, 8, 255, k)
            }),
            // Byte k + 1 of a source in lane k.
            ("source byte moved", |b, p, k| {
                let ca = byte(b, p.a, k + 1);
                let x = b.ins().imul(ca, p.inv);
                let e = b.ins().iadd(x, p.alpha);
                put(b, e, 8, 255, k)
            }),
            // Too little work to pay for the lanes.
            ("too cheap", |b, p, k| {
                let ca = byte(b, p.a, k);
                let e = b.ins().iadd(ca, p.inv);
                put(b, e, 8, 255, k)
            }),
        ];
        for (what, term) in cases {
            let mut func = word_of(&[0, 1, 2, 3], term);
            assert_eq!(vectorize(&mut func), 0, "{what}\n{}", func.display());
        }
        // A single term.
        let mut func = word_of(&[1], |b, p, k| {
            let e = mix(b, p, k);
            put(b, e, 8, 255, k)
        });
        assert_eq!(vectorize(&mut func), 0);
    }

    /// The module's claim, checked on values: `((E >> 8) & 255)` of the blend
    /// computed on words equals the same computed in 16-bit lanes, for any
    /// factors (large or negative ones included).
    #[test]
    fn sixteen_bit_lanes_give_the_bytes_of_word_arithmetic() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as i64
        };
        for _ in 0..10_000 {
            let (a, b, inv, alpha) = (next(), next(), next() >> next().rem_euclid(64), next());
            for k in 0..8 {
                let (ca, cb) = ((a >> (8 * k)) & 255, (b >> (8 * k)) & 255);
                let word = (ca.wrapping_mul(inv).wrapping_add(cb.wrapping_mul(alpha)) >> 8) & 255;
                let lane =
                    (ca as u16).wrapping_mul(inv as u16).wrapping_add((cb as u16).wrapping_mul(alpha as u16)) >> 8;
                assert_eq!(word, i64::from(lane), "{a:#x} {b:#x} {inv} {alpha} byte {k}");
            }
        }
    }
}
