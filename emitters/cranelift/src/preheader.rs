//! Loop preheaders: every loop is entered through a block of its own.
//!
//! Cranelift hoists the loop-invariant computations of a loop to the end of
//! the block that immediately dominates its header. When the loop is
//! entered by a conditional branch (an inverted loop's entry test, `while j
//! < n` tested once before the loop), that block is the one holding the
//! test, and the hoisted code runs whether or not the loop is entered. The
//! sieve's inner loop is skipped for most primes (`i * i >= n`), yet every
//! prime paid for the strip bound's invariant half before the test. This
//! pass gives each loop entered other than by a single plain jump a block
//! on its entry edges that only jumps to the header: the preheader, which
//! then receives the hoisted code and runs only when the loop does.
//!
//! Runs after the passes that recognise loops by their shape.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{BlockArg, Function, InstBuilder, Opcode, Value};

use crate::clif::{analyse, redirect};

/// Gives the loops of `func` that lack one a preheader (see the module
/// documentation); how many.
pub fn add_preheaders(func: &mut Function) -> usize {
    let (cfg, _, loops) = analyse(func);
    let mut added = 0;
    for lp in loops.loops() {
        let header = loops.loop_header(lp);
        let entries: Vec<_> = cfg.pred_iter(header).filter(|p| !loops.is_in_loop(p.block, lp)).collect();
        let plain_jump = |inst| func.dfg.insts[inst].opcode() == Opcode::Jump;
        match entries.as_slice() {
            [] => continue,
            [only] if plain_jump(only.inst) => continue,
            _ => {}
        }
        let pre = func.dfg.make_block();
        func.layout.insert_block(pre, header);
        if func.layout.is_cold(header) {
            func.layout.set_cold(pre);
        }
        let params: Vec<Value> = func
            .dfg
            .block_params(header)
            .to_vec()
            .into_iter()
            .map(|p| {
                let ty = func.dfg.value_type(p);
                func.dfg.append_block_param(pre, ty)
            })
            .collect();
        for e in &entries {
            redirect(func, e.inst, header, pre);
        }
        let args: Vec<BlockArg> = params.iter().map(|&v| BlockArg::Value(v)).collect();
        FuncCursor::new(func).at_bottom(pre).ins().jump(header, &args);
        added += 1;
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{build, verify};
    use cranelift_codegen::flowgraph::ControlFlowGraph;
    use cranelift_codegen::ir::condcodes::IntCC;
    use cranelift_codegen::ir::{types, Block};

    /// The blocks of `func` in layout order.
    fn blocks(func: &Function) -> Vec<Block> {
        func.layout.blocks().collect()
    }

    /// `f(n, c)`: `j = 0; if j < n: do { j += c } while j < n; return j`,
    /// the loop entered by the conditional entry test (or, with `plain`,
    /// by a jump).
    fn guarded_loop(plain: bool) -> Function {
        let (func, ()) = build(2, |b, entry| {
            let [head, exit] = [(); 2].map(|()| b.create_block());
            let j = b.append_block_param(head, types::I64);
            let r = b.append_block_param(exit, types::I64);
            let [n, c] = [entry[0], entry[1]];
            let zero = b.ins().iconst(types::I64, 0);
            if plain {
                b.ins().jump(head, &[zero.into()]);
            } else {
                let enter = b.ins().icmp(IntCC::SignedLessThan, zero, n);
                b.ins().brif(enter, head, &[zero.into()], exit, &[zero.into()]);
            }
            b.switch_to_block(head);
            let j2 = b.ins().iadd(j, c);
            let more = b.ins().icmp(IntCC::SignedLessThan, j2, n);
            b.ins().brif(more, head, &[j2.into()], exit, &[j2.into()]);
            b.switch_to_block(exit);
            b.ins().return_(&[r]);
        });
        func
    }

    #[test]
    fn a_loop_entered_by_a_conditional_branch_gets_a_preheader() {
        let mut func = guarded_loop(false);
        let [entry, head, _] = blocks(&func)[..] else { panic!() };
        assert_eq!(add_preheaders(&mut func), 1);
        verify(&func);
        // The preheader sits before the head, takes the entry's argument
        // and only jumps there; the entry test now branches to it.
        let pre = blocks(&func)[1];
        assert_eq!(func.layout.next_block(pre), Some(head));
        assert_eq!(func.layout.block_insts(pre).count(), 1);
        assert_eq!(func.dfg.block_params(pre).len(), 1);
        let cfg = ControlFlowGraph::with_function(&func);
        let into_head: Vec<Block> = cfg.pred_iter(head).map(|p| p.block).filter(|&b| b != head).collect();
        assert_eq!(into_head, [pre]);
        assert!(cfg.succ_iter(entry).any(|s| s == pre));
    }

    #[test]
    fn a_loop_entered_by_a_plain_jump_is_left_alone() {
        let mut func = guarded_loop(true);
        let before = func.display().to_string();
        assert_eq!(add_preheaders(&mut func), 0);
        assert_eq!(func.display().to_string(), before);
    }
}
