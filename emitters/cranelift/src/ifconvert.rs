//! If-conversion of conditional stores: `if p[j] > p[j+1]: swap them`
//! becomes straight-line code that always stores, each store writing either
//! the new value or the one just read from the same place.
//!
//! The viper lowering already turns `if`s that only compute values into
//! selects (the shared `select` rewrite); an `if` that writes memory keeps
//! its branch, and a data-dependent branch (the compare-exchange of a sort,
//! a clamp of a buffer's elements) is mispredicted about as often as not.
//! This pass handles a triangle: block `A` ends with `brif c` to `S` or to
//! `J`, and `S` (entered only from `A`, not cold) jumps to `J`. It applies
//! when every store of `S` writes a place `A` has just loaded with the same
//! width (after the last instruction of `A` that could write memory), every
//! load of `S` reads such a place and comes before the stores, and the rest
//! of `S` is pure. Then `S`'s loads become `A`'s values, its pure
//! instructions move into `A`, each store moves too and stores
//! `select(c, new, old)`, and `A` jumps to `J` with the arguments selected
//! the same way.
//!
//! The places written were just read, so the stores cannot fault where the
//! loads did not, and in a VM's single thread writing back the value read
//! changes nothing. It is visible only to memory that changes or reacts on
//! its own: a memory-mapped register, or memory another process shares,
//! reached through a pointer made from an integer address (tests/COMPAT.md).

use std::collections::HashMap;

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{Block, BlockArg, Function, Inst, InstBuilder, InstructionData, Opcode, Value};

use crate::address::{access, Access, Address};
use crate::clif::{pure, value_args, writes_memory};

/// Longest conditional block converted (its instructions then always run),
/// constants not counted: the address arithmetic of 16- and 32-bit
/// elements (`j * 2`, `(j + 1) * 4`) takes a few more instructions than that
/// of bytes, and Cranelift merges what repeats the block before's.
const MAX_INSTS: usize = 32;

/// A triangle to convert.
struct Plan {
    branch: Inst,
    cond: Value,
    /// The conditional block, and whether it is the branch's taken side.
    s: Block,
    s_taken: bool,
    join: Block,
    /// `S`'s loads, with the value of `A` each stands for.
    loads: Vec<(Inst, Value)>,
    /// `S`'s stores, with the value each place held.
    stores: Vec<(Inst, Value)>,
}

/// Converts the qualifying triangles of `func` (see the module
/// documentation); the number converted.
pub fn convert(func: &mut Function) -> usize {
    let mut done = 0;
    // The plans of a round touch disjoint blocks (a conditional block has one
    // predecessor and ends with a jump, so it is no other plan's branching
    // or conditional block, nor a join). Converting an inner `if` can make
    // the one around it a triangle: rounds go on until none is found; each
    // conversion removes a block, so this ends.
    loop {
        let cfg = ControlFlowGraph::with_function(func);
        let plans: Vec<Plan> = func.layout.blocks().filter_map(|a| plan(func, &cfg, a)).collect();
        if plans.is_empty() {
            return done;
        }
        for p in &plans {
            carry_out(func, p);
        }
        done += plans.len();
    }
}

/// `A`'s loads that still hold: those after the last instruction that may
/// write memory, by place and width.
fn fresh_loads(func: &Function, a: Block) -> Vec<(Access, Value)> {
    let mut loads = Vec::new();
    for inst in func.layout.block_insts(a) {
        match access(func, inst) {
            Some(acc) if acc.stored.is_none() => loads.push((acc, func.dfg.first_result(inst))),
            _ if writes_memory(func.dfg.insts[inst].opcode()) => loads.clear(),
            _ => {}
        }
    }
    loads
}

fn find(loads: &[(Access, Value)], addr: &Address, size: i64) -> Option<Value> {
    loads.iter().find(|(a, _)| a.size == size && a.addr == *addr).map(|&(_, v)| v)
}

fn plan(func: &Function, cfg: &ControlFlowGraph, a: Block) -> Option<Plan> {
    let branch = func.layout.last_inst(a)?;
    let InstructionData::Brif { arg: cond, blocks, .. } = func.dfg.insts[branch] else { return None };
    let [t, f] = blocks.map(|c| c.block(&func.dfg.value_lists));
    if t == f {
        return None;
    }
    let (s, s_taken, join) =
        [(t, true, f), (f, false, t)].into_iter().find(|&(s, _, j)| triangle(func, cfg, a, s, j))?;
    value_args(func, branch, join)?;
    let fresh = fresh_loads(func, a);
    let (mut loads, mut stores) = (Vec::new(), Vec::new());
    let insts: Vec<Inst> = func.layout.block_insts(s).collect();
    let (_, body) = insts.split_last()?;
    if body.iter().filter(|&&i| func.dfg.insts[i].opcode() != Opcode::Iconst).count() > MAX_INSTS {
        return None;
    }
    for &inst in body {
        match access(func, inst) {
            Some(acc) => {
                let old = find(&fresh, &acc.addr, acc.size)?;
                if acc.stored.is_some() {
                    stores.push((inst, old));
                } else if stores.is_empty() {
                    loads.push((inst, old));
                } else {
                    return None;
                }
            }
            None if pure(func.dfg.insts[inst].opcode()) => {}
            None => return None,
        }
    }
    Some(Plan { branch, cond, s, s_taken, join, loads, stores })
}

/// `s` is entered only from `a`, takes no parameters, is not a cold path,
/// and ends by jumping to `join` (with plain values).
fn triangle(func: &Function, cfg: &ControlFlowGraph, a: Block, s: Block, join: Block) -> bool {
    let mut preds = cfg.pred_iter(s);
    let single = matches!((preds.next(), preds.next()), (Some(p), None) if p.block == a);
    let Some(last) = func.layout.last_inst(s) else { return false };
    single
        && s != a
        && join != a
        && func.dfg.block_params(s).is_empty()
        && !func.layout.is_cold(s)
        && func.dfg.insts[last].opcode() == Opcode::Jump
        && value_args(func, last, join).is_some()
}

fn carry_out(func: &mut Function, p: &Plan) {
    let choose = |cur: &mut FuncCursor<'_>, taken: Value, other: Value| {
        if taken == other {
            taken
        } else if p.s_taken {
            cur.ins().select(p.cond, taken, other)
        } else {
            cur.ins().select(p.cond, other, taken)
        }
    };
    // `S`'s loads become the values `A` read.
    let replaced: HashMap<Inst, Value> = p.loads.iter().copied().collect();
    let stores: HashMap<Inst, Value> = p.stores.iter().copied().collect();
    let insts: Vec<Inst> = func.layout.block_insts(p.s).collect();
    let (&jump, body) = insts.split_last().expect("planned block");
    for &inst in body {
        func.layout.remove_inst(inst);
        if let Some(&v) = replaced.get(&inst) {
            let r = func.dfg.first_result(inst);
            func.dfg.detach_inst_results(inst);
            func.dfg.change_to_alias(r, v);
            continue;
        }
        func.layout.insert_inst(inst, p.branch);
        if let Some(&old) = stores.get(&inst) {
            let new = func.dfg.inst_args(inst)[0];
            let mut cur = FuncCursor::new(func).at_inst(inst);
            let v = choose(&mut cur, new, old);
            func.dfg.inst_args_mut(inst)[0] = v;
        }
    }
    // `A` jumps to the join with each argument chosen.
    let from_s = value_args(func, jump, p.join).unwrap_or_default();
    let from_a = value_args(func, p.branch, p.join).unwrap_or_default();
    let mut cur = FuncCursor::new(func).at_inst(p.branch);
    let args: Vec<BlockArg> =
        from_s.iter().zip(&from_a).map(|(&s, &a)| BlockArg::Value(choose(&mut cur, s, a))).collect();
    cur.ins().jump(p.join, &args);
    func.layout.remove_inst(p.branch);
    func.layout.remove_inst(jump);
    func.layout.remove_block(p.s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{build, count, verify};
    use cranelift_codegen::ir::condcodes::IntCC;
    use cranelift_codegen::ir::{types, MemFlagsData};
    use cranelift_frontend::FunctionBuilder;

    /// `x = p[j]; y = p[j+1]; if x > y: (p[j], p[j+1]) = (p[j+1], p[j])`,
    /// the second store going to `p[j + far]` (1: the exchange).
    fn exchange(far: i64, narrow_load: bool) -> Function {
        build(2, |b, args| {
            let (s, join) = (b.create_block(), b.create_block());
            let (p, j) = (args[0], args[1]);
            let flags = MemFlagsData::new();
            let at = |b: &mut FunctionBuilder<'_>, k: i64| {
                let jk = b.ins().iadd_imm_s(j, k);
                b.ins().iadd(p, jk)
            };
            let (a0, a1) = (at(b, 0), at(b, 1));
            let x = b.ins().uload8(types::I64, flags, a0, 0);
            let y = if narrow_load {
                b.ins().uload8(types::I64, flags, a1, 0)
            } else {
                b.ins().uload16(types::I64, flags, a1, 0)
            };
            let c = b.ins().icmp(IntCC::SignedGreaterThan, x, y);
            b.ins().brif(c, s, &[], join, &[]);
            b.switch_to_block(s);
            let (s0, s1, sf) = (at(b, 0), at(b, 1), at(b, far));
            let t = b.ins().uload8(types::I64, flags, s0, 0);
            let u = b.ins().uload8(types::I64, flags, s1, 0);
            b.ins().istore8(flags, u, s0, 0);
            b.ins().istore8(flags, t, sf, 0);
            b.ins().jump(join, &[]);
            b.switch_to_block(join);
            b.ins().return_(&[x]);
        })
        .0
    }

    #[test]
    fn a_compare_exchange_stores_selected_values_without_branching() {
        let mut func = exchange(1, true);
        verify(&func);
        assert_eq!(convert(&mut func), 1);
        verify(&func);
        assert_eq!(func.layout.blocks().count(), 2);
        assert_eq!(count(&func, Opcode::Brif, None), 0);
        assert_eq!(count(&func, Opcode::Select, None), 2);
        // The conditional block's loads became the first block's.
        assert_eq!(count(&func, Opcode::Uload8, None), 2);
        assert_eq!(count(&func, Opcode::Istore8, None), 2);
    }

    #[test]
    fn stores_to_places_not_just_read_keep_their_branch() {
        // A store two bytes on: not read before the branch.
        let mut func = exchange(2, true);
        let before = func.display().to_string();
        assert_eq!(convert(&mut func), 0);
        assert_eq!(func.display().to_string(), before);
        // The place was read with another width.
        let mut func = exchange(1, false);
        assert_eq!(convert(&mut func), 0);
    }
}
