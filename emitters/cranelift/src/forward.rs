//! Loop-carried store-to-load forwarding: a value an iteration stores and the
//! next iteration loads back travels in a register instead.
//!
//! In `for j in range(n): x = p[j]; ...; p[j + 1] = y` (a bubble sort's
//! pass once [`crate::ifconvert`] made its exchange straight-line), the load
//! of `p[j]` reads what the previous iteration stored at `p[j + 1]`. Through
//! memory that costs a store-to-load forwarding delay on the loop's critical
//! path every iteration.
//!
//! The pass handles innermost loops that are one chain of blocks (each
//! block's only predecessor is the one before it, the last branches back to
//! the header, other edges leave the loop), entered by an unconditional
//! jump, with no call and no other memory writes than plain stores: the
//! strip loops [`crate::strip`] makes. For a load whose address is a sum of
//! invariant values and header parameters that step by constants (so the
//! next iteration's address is this one's moved by a known distance), where
//! no store before the load in the chain may overlap its place, and where
//! the last store of the iteration that may overlap the next iteration's
//! place writes exactly that place with the same width: the header gets a
//! parameter, the back edge passes the stored value (masked to the width
//! unless it provably fits), the entry jump passes a copy of the load made
//! before the loop (at the first iteration's address; no exit comes
//! between the header and the load, so the first iteration loads it
//! anyway), and the load reads the parameter.

use std::collections::HashMap;

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::{types, Block, Function, Inst, InstBuilder, InstructionData, Opcode, Value};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};

use crate::address::{access, fits, Access, Address};
use crate::clif::{analyse, append_arg, defined_outside, source, value_args, writes_memory};

/// Longest chain of blocks considered.
const MAX_BLOCKS: usize = 64;

/// A loop that is a chain of blocks.
struct Chain {
    header: Block,
    /// The blocks in order, header first, latch last.
    blocks: Vec<Block>,
    /// The jump into the header from outside.
    entry: Inst,
    /// The latch's branch back to the header.
    back: Inst,
}

/// A load to forward.
struct Forward {
    load: Inst,
    addr: Address,
    size: i64,
    /// The value the previous iteration stored at this load's place.
    stored: Value,
}

/// Forwards the qualifying loads of `func` (see the module documentation);
/// the number forwarded.
pub fn forward_loads(func: &mut Function) -> usize {
    let (cfg, _, loops) = analyse(func);
    let all: Vec<Loop> = loops.loops().collect();
    let mut plans = Vec::new();
    for &lp in &all {
        if all.iter().any(|&o| o != lp && loops.loop_parent(o) == Some(lp)) {
            continue;
        }
        let Some(chain) = chain(func, &cfg, &loops, lp) else { continue };
        let forwards = forwards(func, &cfg, &loops, lp, &chain);
        if !forwards.is_empty() {
            plans.push((chain, forwards));
        }
    }
    // Innermost loops share no block: each plan stays valid.
    let mut done = 0;
    for (chain, forwards) in plans {
        for f in forwards {
            carry_out(func, &chain, &f);
            done += 1;
        }
    }
    done
}

fn chain(func: &Function, cfg: &ControlFlowGraph, loops: &LoopAnalysis, lp: Loop) -> Option<Chain> {
    let header = loops.loop_header(lp);
    let size = func.layout.blocks().filter(|&b| loops.is_in_loop(b, lp)).count();
    if size > MAX_BLOCKS {
        return None;
    }
    let outside: Vec<_> = cfg.pred_iter(header).filter(|p| !loops.is_in_loop(p.block, lp)).collect();
    let [entry] = outside.as_slice() else { return None };
    if func.dfg.insts[entry.inst].opcode() != Opcode::Jump || cfg.pred_iter(header).count() != 2 {
        return None;
    }
    // The first iteration's values, which the loads copied before the loop read.
    value_args(func, entry.inst, header)?;
    let mut blocks = vec![header];
    let mut at = header;
    loop {
        let last = func.layout.last_inst(at)?;
        let dfg = &func.dfg;
        let inside: Vec<Block> = dfg.insts[last]
            .branch_destination(&dfg.jump_tables, &dfg.exception_tables)
            .iter()
            .map(|c| c.block(&dfg.value_lists))
            .filter(|&b| loops.is_in_loop(b, lp))
            .collect();
        let [next] = inside.as_slice() else { return None };
        if *next == header {
            if blocks.len() != size {
                return None;
            }
            value_args(func, last, header)?;
            return Some(Chain { header, blocks, entry: entry.inst, back: last });
        }
        if cfg.pred_iter(*next).count() != 1 || blocks.len() >= size {
            return None;
        }
        blocks.push(*next);
        at = *next;
    }
}

fn forwards(func: &Function, cfg: &ControlFlowGraph, loops: &LoopAnalysis, lp: Loop, chain: &Chain) -> Vec<Forward> {
    // The chain's instructions in order, with their accesses; nothing that
    // writes memory other than plain stores.
    let mut order: Vec<(Inst, Option<Access>)> = Vec::new();
    for &b in &chain.blocks {
        for inst in func.layout.block_insts(b) {
            let acc = access(func, inst);
            if writes_memory(func.dfg.insts[inst].opcode()) && acc.as_ref().is_none_or(|a| a.stored.is_none()) {
                return Vec::new();
            }
            order.push((inst, acc));
        }
    }
    // How far each header parameter moves per iteration.
    let params = func.dfg.block_params(chain.header);
    let back = value_args(func, chain.back, chain.header).unwrap_or_default();
    let mut steps: HashMap<Value, i64> = HashMap::new();
    for (&param, &v) in params.iter().zip(&back) {
        let next = Address::of(func, source(func, cfg, v), 0);
        if next.terms == [(param, 1)] {
            steps.insert(param, next.offset);
        }
    }
    // Loads before any exit: the instructions of the blocks up to the first
    // one that can leave.
    let mut reached = 0;
    for &b in &chain.blocks {
        reached += func.layout.block_insts(b).count();
        let last = func.layout.last_inst(b).expect("chain block");
        if func.dfg.insts[last].opcode() != Opcode::Jump {
            break;
        }
    }
    let mut found = Vec::new();
    for (k, (inst, acc)) in order.iter().enumerate().take(reached) {
        let Some(acc) = acc else { continue };
        if acc.stored.is_some() {
            continue;
        }
        let mut delta = 0i64;
        let mut known = true;
        for &(v, factor) in &acc.addr.terms {
            match steps.get(&v) {
                Some(&s) => delta = delta.wrapping_add(factor.wrapping_mul(s)),
                None => known &= defined_outside(func, loops, lp, v),
            }
        }
        if !known || delta == 0 {
            continue;
        }
        let overlaps = |other: &Access, at: &Address| !other.addr.disjoint(other.size, at, acc.size);
        let stores = |upto: usize| order[..upto].iter().filter_map(|(_, a)| a.as_ref().filter(|a| a.stored.is_some()));
        if stores(k).any(|s| overlaps(s, &acc.addr)) {
            continue;
        }
        let next = acc.addr.moved(delta);
        let Some(last) = stores(order.len()).rfind(|s| overlaps(s, &next)) else { continue };
        if last.addr != next || last.size != acc.size {
            continue;
        }
        found.push(Forward {
            load: *inst,
            addr: acc.addr.clone(),
            size: acc.size,
            stored: last.stored.expect("a store"),
        });
    }
    found
}

fn carry_out(func: &mut Function, chain: &Chain, f: &Forward) {
    // Before the loop: the load at the first iteration's place.
    let params = func.dfg.block_params(chain.header).to_vec();
    let entry_args = value_args(func, chain.entry, chain.header).unwrap_or_default();
    let initial: HashMap<Value, Value> = params.iter().copied().zip(entry_args).collect();
    let mut cur = FuncCursor::new(func).at_inst(chain.entry);
    let mut sum: Option<Value> = None;
    for &(v, factor) in &f.addr.terms {
        let v = initial.get(&v).copied().unwrap_or(v);
        let term = if factor == 1 { v } else { cur.ins().imul_imm_s(v, factor) };
        sum = Some(match sum {
            Some(s) => cur.ins().iadd(s, term),
            None => term,
        });
    }
    let (base, offset) = match (sum, i32::try_from(f.addr.offset)) {
        (Some(s), Ok(off)) => (s, off),
        (Some(s), Err(_)) => (cur.ins().iadd_imm_s(s, f.addr.offset), 0),
        (None, _) => (cur.ins().iconst(types::I64, f.addr.offset), 0),
    };
    let first = cur.func.dfg.clone_inst(f.load);
    if let InstructionData::Load { arg, offset: off, .. } = &mut cur.func.dfg.insts[first] {
        *arg = base;
        *off = offset.into();
    }
    cur.insert_inst(first);
    let first = cur.func.dfg.first_result(first);
    append_arg(func, chain.entry, chain.header, first);
    // Round the loop: the stored value, as the load would read it back.
    let mut cur = FuncCursor::new(func).at_inst(chain.back);
    let carried = if fits(cur.func, f.stored, f.size) {
        f.stored
    } else {
        let mask = cur.ins().iconst(types::I64, ((1u128 << (8 * f.size)) - 1) as i64);
        cur.ins().band(f.stored, mask)
    };
    append_arg(func, chain.back, chain.header, carried);
    // The load reads the parameter.
    let param = func.dfg.append_block_param(chain.header, types::I64);
    let r = func.dfg.first_result(f.load);
    func.layout.remove_inst(f.load);
    func.dfg.detach_inst_results(f.load);
    func.dfg.change_to_alias(r, param);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{build, verify};
    use cranelift_codegen::ir::condcodes::IntCC;
    use cranelift_codegen::ir::MemFlagsData;

    /// `for j in range(n): p[j + 1] = p[j] + 1` as one block, with `first`
    /// (if set) storing to `p[j + first]` before the load.
    fn running(first: Option<i64>) -> Function {
        build(2, |b, args| {
            let (head, exit) = (b.create_block(), b.create_block());
            let j = b.append_block_param(head, types::I64);
            let (p, n) = (args[0], args[1]);
            let zero = b.ins().iconst(types::I64, 0);
            b.ins().jump(head, &[zero.into()]);
            b.switch_to_block(head);
            let flags = MemFlagsData::new();
            let a0 = b.ins().iadd(p, j);
            if let Some(k) = first {
                b.ins().istore8(flags, n, a0, k as i32);
            }
            let x = b.ins().uload8(types::I64, flags, a0, 0);
            let x1 = b.ins().iadd_imm_s(x, 1);
            let j1 = b.ins().iadd_imm_s(j, 1);
            let a1 = b.ins().iadd(p, j1);
            b.ins().istore8(flags, x1, a1, 0);
            let more = b.ins().icmp(IntCC::SignedLessThan, j1, n);
            b.ins().brif(more, head, &[j1.into()], exit, &[]);
            b.switch_to_block(exit);
            b.ins().return_(&[zero]);
        })
        .0
    }

    fn loads_in(func: &Function, block: Block) -> usize {
        func.layout.block_insts(block).filter(|&i| func.dfg.insts[i].opcode() == Opcode::Uload8).count()
    }

    #[test]
    fn the_previous_iterations_store_reaches_the_load_through_a_parameter() {
        let mut func = running(None);
        verify(&func);
        let blocks: Vec<Block> = func.layout.blocks().collect();
        let (entry, head) = (blocks[0], blocks[1]);
        assert_eq!(forward_loads(&mut func), 1);
        verify(&func);
        assert_eq!(loads_in(&func, head), 0);
        assert_eq!(loads_in(&func, entry), 1);
        assert_eq!(func.dfg.block_params(head).len(), 2);
        // The sum may not fit a byte: the back edge passes it masked.
        let masks = func.layout.block_insts(head).filter(|&i| func.dfg.insts[i].opcode() == Opcode::Band).count();
        assert_eq!(masks, 1);
    }

    #[test]
    fn a_store_that_may_overlap_the_load_first_keeps_it() {
        // A store to p[j] itself, then to p[j - 1] (distinct, but the
        // sum's terms are the same so it is known not to overlap).
        let mut func = running(Some(0));
        assert_eq!(forward_loads(&mut func), 0);
        let mut func = running(Some(-1));
        assert_eq!(forward_loads(&mut func), 1);
        verify(&func);
    }
}
