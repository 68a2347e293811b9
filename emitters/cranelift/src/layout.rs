//! Static branch prediction for block layout: inside a loop, the body of
//! an `if x == y:` is predicted not to run and laid out away from the loop.
//!
//! Cranelift lays blocks out in reverse post-order, so an `if` body always
//! sits between its test and the code after it: when the body is skipped,
//! the loop takes two jumps per iteration (over the body, then back to the
//! head). A sieve's `if b[i] == 0:` body, which holds the inner loop, runs
//! for one element in ten. This pass applies the opcode heuristic of static
//! branch predictors (an equality between integers is unlikely to hold; gcc
//! predicts the same): the blocks only reachable through the equal side of
//! such a branch, within its loop, are marked cold, which Cranelift places
//! after the function's other blocks; the loop then falls through its
//! likely path and jumps once per iteration. The body's code is unchanged.
//!
//! Runs last: the passes before it read "cold" as "slow path" (strip mining
//! allows calls only there).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{Block, Function, InstructionData};

use crate::clif::{analyse, comparison};

/// Marks the equal sides of the equality branches in loops cold (see the
/// module documentation); the number of branches whose side was moved.
pub fn sink_equal_sides(func: &mut Function) -> usize {
    let (cfg, domtree, loops) = analyse(func);
    let mut regions: Vec<Vec<Block>> = Vec::new();
    for block in func.layout.blocks() {
        let Some(lp) = loops.innermost_loop(block) else { continue };
        let Some(last) = func.layout.last_inst(block) else { continue };
        let InstructionData::Brif { arg, blocks, .. } = func.dfg.insts[last] else { continue };
        let [taken, other] = blocks.map(|c| c.block(&func.dfg.value_lists));
        let equal_side = match comparison(func, &cfg, arg) {
            Some((IntCC::Equal, ..)) => taken,
            Some((IntCC::NotEqual, ..)) => other,
            _ => continue,
        };
        let header = loops.loop_header(lp);
        let single_entry = cfg.pred_iter(equal_side).count() == 1;
        if taken == other || equal_side == header || !single_entry || func.layout.is_cold(equal_side) {
            continue;
        }
        if !loops.is_in_loop(equal_side, lp) {
            continue;
        }
        let region: Vec<Block> = func
            .layout
            .blocks()
            .filter(|&b| loops.is_in_loop(b, lp) && domtree.block_dominates(equal_side, b))
            .collect();
        // The loop must go on through the likely side: no back edge from the region.
        let back_edge = region.iter().any(|&b| cfg.pred_iter(header).any(|p| p.block == b));
        if !back_edge {
            regions.push(region);
        }
    }
    for region in &regions {
        for &b in region {
            func.layout.set_cold(b);
        }
    }
    regions.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{begin_loop, build, verify, CountingLoop};
    use cranelift_codegen::ir::{types, InstBuilder};

    /// `s = 0; for k in range(n): if k cc x: s += 1` (`cc` equality or not;
    /// `back` makes the body branch back to the head itself, a `continue`).
    fn counting_if(cc: IntCC, back: bool) -> Function {
        build(2, |b, args| {
            let (n, x) = (args[0], args[1]);
            let exit = b.create_block();
            let CountingLoop { head, k, s } = begin_loop(b, n, exit);
            let (then, next) = (b.create_block(), b.create_block());
            let s_next = b.append_block_param(next, types::I64);
            let c = b.ins().icmp(cc, k, x);
            b.ins().brif(c, then, &[], next, &[s.into()]);
            b.switch_to_block(then);
            let s1 = b.ins().iadd_imm_s(s, 1);
            let k1 = b.ins().iadd_imm_s(k, 1);
            if back {
                b.ins().jump(head, &[k1.into(), s1.into()]);
            } else {
                b.ins().jump(next, &[s1.into()]);
            }
            b.switch_to_block(next);
            let k1 = b.ins().iadd_imm_s(k, 1);
            b.ins().jump(head, &[k1.into(), s_next.into()]);
            b.switch_to_block(exit);
            b.ins().return_(&[s]);
        })
        .0
    }

    fn cold_blocks(func: &Function) -> usize {
        func.layout.blocks().filter(|&b| func.layout.is_cold(b)).count()
    }

    #[test]
    fn the_body_of_an_equality_test_in_a_loop_goes_cold() {
        let mut func = counting_if(IntCC::Equal, false);
        assert_eq!(sink_equal_sides(&mut func), 1);
        verify(&func);
        assert_eq!(cold_blocks(&func), 1);
    }

    #[test]
    fn other_tests_and_bodies_that_continue_the_loop_stay() {
        let mut func = counting_if(IntCC::SignedLessThan, false);
        assert_eq!(sink_equal_sides(&mut func), 0);
        // `x != k`: the equal side is the join, which has two predecessors.
        let mut func = counting_if(IntCC::NotEqual, false);
        assert_eq!(sink_equal_sides(&mut func), 0);
        let mut func = counting_if(IntCC::Equal, true);
        assert_eq!(sink_equal_sides(&mut func), 0);
        assert_eq!(cold_blocks(&func), 0);
    }
}
