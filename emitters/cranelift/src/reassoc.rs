//! Reassociation of address arithmetic: the loop-invariant part of an
//! address is added first, so Cranelift hoists it out of the loop and the
//! rest folds into an x86 addressing mode.
//!
//! Viper code indexes a pointer with `p[i * n + k]`, which the translator
//! writes as `base + (x + k) * scale` (`x = i * n`, invariant in the loop
//! over `k`). Computed in that order the sum `x + k` changes on every
//! iteration and needs its own instruction before the load. This pass
//! rewrites, inside loops,
//!
//! - `a + (x + v)` as `(a + x) + v`, and
//! - `a + (x + v) * c` (or `<< c`) as `(a + x * c) + v * c`,
//!
//! where `a` and `x` do not change in the loop (or are constants), `v` does,
//! and `c` is a constant: the load becomes `mov (base', k, 4)`. Wrapping
//! arithmetic makes both forms equal on every value. A side effect that
//! matters as much: `j + 1` in `b[j + 1]` is no longer shared with the
//! counter's increment, so the counter's next value is made at the end of
//! the loop and can take the counter's register (no copy on the back edge).

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{types, Block, Function, Inst, InstBuilder, Opcode, Value};
use cranelift_codegen::loop_analysis::{Loop, LoopAnalysis};

use crate::clif::{analyse, binary, constant, def, defined_outside};

/// Reassociates the address sums of `func`'s loops (see the module
/// documentation); returns how many sums were rewritten.
pub fn reassociate(func: &mut Function) -> usize {
    let (_, _, loops) = analyse(func);
    let mut rewritten = 0;
    let blocks: Vec<Block> = func.layout.blocks().collect();
    for block in blocks {
        let Some(lp) = loops.innermost_loop(block) else { continue };
        let insts: Vec<Inst> = func.layout.block_insts(block).collect();
        for inst in insts {
            if rewrite(func, &loops, lp, inst) {
                rewritten += 1;
            }
        }
    }
    rewritten
}

/// The instruction defining `v` and its opcode.
fn def_op(func: &Function, v: Value) -> Option<(Inst, Opcode)> {
    def(func, v).map(|inst| (inst, func.dfg.insts[inst].opcode()))
}

/// The two arguments of binary instruction `inst`, aliases resolved.
fn args(func: &Function, inst: Inst) -> Option<[Value; 2]> {
    let [a, b] = func.dfg.inst_args(inst) else { return None };
    Some([func.dfg.resolve_aliases(*a), func.dfg.resolve_aliases(*b)])
}

/// `v` does not change in loop `lp`: a constant or a value defined outside.
fn invariant(func: &Function, loops: &LoopAnalysis, lp: Loop, v: Value) -> bool {
    constant(func, v).is_some() || defined_outside(func, loops, lp, v)
}

/// The operands of a sum, `(invariant, varying)`, when exactly one varies.
fn split(func: &Function, loops: &LoopAnalysis, lp: Loop, [p, q]: [Value; 2]) -> Option<(Value, Value)> {
    match (invariant(func, loops, lp, p), invariant(func, loops, lp, q)) {
        (true, false) => Some((p, q)),
        (false, true) => Some((q, p)),
        _ => None,
    }
}

/// Splits the sum `s` into `(x, v)`: `x` invariant, `v` not.
fn split_sum(func: &Function, loops: &LoopAnalysis, lp: Loop, s: Value) -> Option<(Value, Value)> {
    split(func, loops, lp, binary(func, s, Opcode::Iadd)?)
}

fn rewrite(func: &mut Function, loops: &LoopAnalysis, lp: Loop, inst: Inst) -> bool {
    if func.dfg.insts[inst].opcode() != Opcode::Iadd || func.dfg.value_type(func.dfg.first_result(inst)) != types::I64 {
        return false;
    }
    let Some((a, t)) = args(func, inst).and_then(|ops| split(func, loops, lp, ops)) else { return false };
    // `a + (x + v)`.
    if let Some((x, v)) = split_sum(func, loops, lp, t) {
        let mut cur = FuncCursor::new(func).at_inst(inst);
        let ax = cur.ins().iadd(a, x);
        func.dfg.inst_args_mut(inst).copy_from_slice(&[ax, v]);
        return true;
    }
    // `a + (x + v) * c` and `a + ((x + v) << c)`.
    let Some((scale, op)) = def_op(func, t) else { return false };
    if !matches!(op, Opcode::Imul | Opcode::Ishl) {
        return false;
    }
    let Some([s, c]) = args(func, scale) else { return false };
    let (s, c) = match (constant(func, s), constant(func, c)) {
        (_, Some(_)) => (s, c),
        (Some(_), None) if op == Opcode::Imul => (c, s),
        _ => return false,
    };
    let Some((x, v)) = split_sum(func, loops, lp, s) else { return false };
    let mut cur = FuncCursor::new(func).at_inst(inst);
    let (xc, vc) = if op == Opcode::Imul {
        (cur.ins().imul(x, c), cur.ins().imul(v, c))
    } else {
        (cur.ins().ishl(x, c), cur.ins().ishl(v, c))
    };
    let axc = cur.ins().iadd(a, xc);
    func.dfg.inst_args_mut(inst).copy_from_slice(&[axc, vc]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{begin_loop, build, verify, CountingLoop};
    use cranelift_codegen::ir::MemFlagsData;

    /// What the loop over `k` loads from.
    #[derive(Clone, Copy)]
    enum Address {
        /// `base + (x + k) * 4` (`x` a parameter).
        Scaled,
        /// `base + ((x + k) << 2)`.
        Shifted,
        /// `base + (x + k)`.
        Sum,
        /// `base + (s + k) * 4`: `s` changes in the loop too.
        BothVary,
    }

    /// `f(base, x, n)`: `s = 0; for k in range(n): s += load(address)`.
    fn loop_function(address: Address) -> Function {
        build(3, |b, args| {
            let [base, x, n] = [args[0], args[1], args[2]];
            let exit = b.create_block();
            let CountingLoop { head, k, s, .. } = begin_loop(b, n, exit);
            let addr = match address {
                Address::Scaled | Address::Shifted | Address::BothVary => {
                    let x = if matches!(address, Address::BothVary) { s } else { x };
                    let sum = b.ins().iadd(x, k);
                    let scaled = if matches!(address, Address::Shifted) {
                        let two = b.ins().iconst(types::I64, 2);
                        b.ins().ishl(sum, two)
                    } else {
                        let four = b.ins().iconst(types::I64, 4);
                        b.ins().imul(sum, four)
                    };
                    b.ins().iadd(base, scaled)
                }
                Address::Sum => {
                    let sum = b.ins().iadd(x, k);
                    b.ins().iadd(base, sum)
                }
            };
            let word = b.ins().uload32(MemFlagsData::new(), addr, 0);
            let s2 = b.ins().iadd(s, word);
            let one = b.ins().iconst(types::I64, 1);
            let k2 = b.ins().iadd(k, one);
            b.ins().jump(head, &[k2.into(), s2.into()]);
            b.switch_to_block(exit);
            b.ins().return_(&[s]);
        })
        .0
    }

    /// The address the body's load reads: `(invariant, varying)` operands
    /// of its final addition, as opcodes of their definitions.
    fn address_operands(func: &Function) -> (Option<Opcode>, Option<Opcode>) {
        let body = func.layout.blocks().nth(2).unwrap();
        let load = func.layout.block_insts(body).find(|&i| func.dfg.insts[i].opcode() == Opcode::Uload32).unwrap();
        let (add, _) = def_op(func, func.dfg.inst_args(load)[0]).unwrap();
        let [a, b] = args(func, add).unwrap();
        (def_op(func, a).map(|d| d.1), def_op(func, b).map(|d| d.1))
    }

    #[test]
    fn the_invariant_part_of_an_address_is_added_first() {
        for (address, varying) in
            [(Address::Scaled, Opcode::Imul), (Address::Shifted, Opcode::Ishl), (Address::Sum, Opcode::Iadd)]
        {
            let mut func = loop_function(address);
            assert_eq!(reassociate(&mut func), 1);
            verify(&func);
            // `(base + x * 4) + k * 4`: an addition of invariants, then the scaled counter.
            let (first, second) = address_operands(&func);
            assert_eq!(first, Some(Opcode::Iadd));
            if matches!(address, Address::Sum) {
                // `(base + x) + k`: the counter is a block parameter.
                assert_eq!(second, None);
            } else {
                assert_eq!(second, Some(varying));
            }
        }
    }

    #[test]
    fn sums_of_varying_values_are_left_alone() {
        let mut func = loop_function(Address::BothVary);
        let before = func.display().to_string();
        assert_eq!(reassociate(&mut func), 0);
        assert_eq!(func.display().to_string(), before);
    }
}
