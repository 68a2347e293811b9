//! Removal of block parameters that always receive the same value.
//!
//! `cranelift-frontend` gives a block a parameter for a variable whenever
//! the block's predecessors were not all known when the variable was read,
//! and drops it at sealing only if every predecessor then passes one value.
//! A rotated loop (test at the bottom) is sealed before its body, so an outer
//! loop's counter read in an inner loop keeps parameters that only pass it
//! around (`p = phi(x, q)`, `q = phi(p, q)`). Cranelift's own pass removes
//! parameters whose one value is defined by an instruction, not by another
//! parameter. This one follows such chains: a parameter whose incoming
//! values, ignoring itself, are all one value `v` (parameter or not) is
//! replaced by `v`, until nothing changes. Values that look loop-variant only
//! because of these parameters become invariant, and Cranelift hoists what
//! depends on them out of the inner loop.

use std::collections::HashMap;

use cranelift_codegen::ir::{Block, BlockArg, BlockCall, Function, Value};

/// What reaches a parameter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Incoming {
    One(Value),
    Many,
}

/// Removes the redundant block parameters of `func` (see the module documentation).
pub fn remove_redundant_params(func: &mut Function) {
    let Some(entry) = func.layout.entry_block() else { return };
    // Bounded: each round removes at least one parameter.
    for _ in 0..10_000 {
        let mut incoming: HashMap<Value, Incoming> = HashMap::new();
        for block in func.layout.blocks() {
            let Some(inst) = func.layout.last_inst(block) else { continue };
            let dfg = &func.dfg;
            for call in dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables) {
                let target = call.block(&dfg.value_lists);
                let params = dfg.block_params(target);
                for (k, arg) in call.args(&dfg.value_lists).enumerate() {
                    let Some(&formal) = params.get(k) else { continue };
                    let got = match arg {
                        BlockArg::Value(v) => dfg.resolve_aliases(v),
                        // Anything else is not a plain value: keep the parameter.
                        _ => {
                            incoming.insert(formal, Incoming::Many);
                            continue;
                        }
                    };
                    if got == formal {
                        continue;
                    }
                    let e = incoming.entry(formal).or_insert(Incoming::One(got));
                    if *e != Incoming::One(got) {
                        *e = Incoming::Many;
                    }
                }
            }
        }
        // Parameters to remove, per block, with their index.
        let mut removed: HashMap<Block, Vec<usize>> = HashMap::new();
        for block in func.layout.blocks().collect::<Vec<_>>() {
            if block == entry {
                continue;
            }
            let params = func.dfg.block_params(block).to_vec();
            for (k, &p) in params.iter().enumerate().rev() {
                let Some(Incoming::One(v)) = incoming.get(&p).copied() else { continue };
                // Never make an alias cycle (parameters that only pass each other around).
                if func.dfg.resolve_aliases(v) == p {
                    continue;
                }
                func.dfg.remove_block_param(p);
                func.dfg.change_to_alias(p, v);
                removed.entry(block).or_default().push(k);
            }
        }
        if removed.is_empty() {
            return;
        }
        // Drop the matching arguments of every branch to those blocks.
        for block in func.layout.blocks().collect::<Vec<_>>() {
            let Some(inst) = func.layout.last_inst(block) else { continue };
            let dfg = &mut func.dfg;
            let dests = dfg.insts[inst].branch_destination_mut(&mut dfg.jump_tables, &mut dfg.exception_tables);
            for call in dests.iter_mut() {
                let target = call.block(&dfg.value_lists);
                let Some(gone) = removed.get(&target) else { continue };
                let args: Vec<BlockArg> = call
                    .args(&dfg.value_lists)
                    .enumerate()
                    .filter(|(k, _)| !gone.contains(k))
                    .map(|(_, a)| a)
                    .collect();
                *call = BlockCall::new(target, args, &mut dfg.value_lists);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{finish, verify, word_function};
    use cranelift_codegen::ir::{types, InstBuilder};
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    /// `x` passed around two nested loops through parameters that only
    /// forward it: both parameters go, the counter's stays.
    #[test]
    fn forwarding_parameters_are_removed() {
        let mut func = word_function(1);
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let (entry, outer, inner, exit) = (b.create_block(), b.create_block(), b.create_block(), b.create_block());
        b.append_block_params_for_function_params(entry);
        let (p_outer, c_outer) = (b.append_block_param(outer, types::I64), b.append_block_param(outer, types::I64));
        let (p_inner, c_inner) = (b.append_block_param(inner, types::I64), b.append_block_param(inner, types::I64));
        b.switch_to_block(entry);
        let x = b.block_params(entry)[0];
        let zero = b.ins().iconst(types::I64, 0);
        b.ins().jump(outer, &[x.into(), zero.into()]);
        b.switch_to_block(outer);
        b.ins().jump(inner, &[p_outer.into(), c_outer.into()]);
        b.switch_to_block(inner);
        let next = b.ins().iadd_imm_s(c_inner, 1);
        let again = b.ins().icmp_imm_s(cranelift_codegen::ir::condcodes::IntCC::SignedLessThan, next, 10);
        b.ins().brif(again, inner, &[p_inner.into(), next.into()], outer, &[p_inner.into(), next.into()]);
        b.switch_to_block(exit);
        b.ins().return_(&[x]);
        finish(b);
        remove_redundant_params(&mut func);
        verify(&func);
        assert_eq!(func.dfg.block_params(outer).len(), 1);
        assert_eq!(func.dfg.block_params(inner).len(), 1);
        assert_eq!(func.dfg.resolve_aliases(p_inner), x);
        // Every branch passes as many arguments as its target has parameters.
        for block in func.layout.blocks() {
            let inst = func.layout.last_inst(block).unwrap();
            let dfg = &func.dfg;
            for call in dfg.insts[inst].branch_destination(&dfg.jump_tables, &dfg.exception_tables) {
                let target = call.block(&dfg.value_lists);
                assert_eq!(call.len(&dfg.value_lists), dfg.block_params(target).len());
            }
        }
    }
}
