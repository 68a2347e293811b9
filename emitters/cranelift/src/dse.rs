//! Dead stores within a block: a store whose bytes a later store of the same
//! block overwrites, with nothing in between that could read them, is
//! removed.
//!
//! Partial unrolling ([`crate::unroll`]) of a bubble sort's pass makes a
//! round of copies of the compare-exchange, each storing the smaller element
//! at `p[j]` and the larger at `p[j + 1]`; the next copy stores its smaller
//! element at `p[j + 1]` again. Only the last copy's larger element needs
//! to reach memory.
//!
//! The pass walks each block keeping the plain viper stores
//! ([`crate::address::access`]) not yet read. A later plain store whose
//! address has the same terms and whose bytes include all of an earlier
//! one's (in the machine word's wraparound) makes the earlier one dead. A
//! plain load reads the pending stores it may overlap (those it is not
//! provably disjoint from, [`crate::address::Address::disjoint`]), which
//! then stay. Anything else that is not a pure computation ends the search
//! for all of them: a call, a load or store of the runtime's own state
//! (their addresses cannot be compared with the viper pointer's, which may
//! point anywhere), an instruction that may trap (its handler is the
//! runtime), the block's branch. So every byte a removed store wrote is
//! written again before any instruction can read it, and the memory a
//! function leaves behind, or that anything it calls sees, is unchanged.
//!
//! As for [`crate::ifconvert`], the difference is visible only to memory
//! that changes or reacts on its own (a memory-mapped register, memory
//! shared with another process reached through a pointer made from an
//! integer address), or after an access between the two stores faults and
//! the process dies with the first store's bytes not written.

use cranelift_codegen::ir::{Function, Inst};

use crate::address::{access, Access};
use crate::clif::pure;

/// The bytes of store `later` include all of store `earlier`'s: same terms,
/// and `earlier` starts at most `later.size - earlier.size` bytes after
/// `later` (counted modulo the word, as the addresses are computed).
fn covers(later: &Access, earlier: &Access) -> bool {
    let after = earlier.addr.offset.wrapping_sub(later.addr.offset) as u64;
    later.addr.terms == earlier.addr.terms && u128::from(after) + earlier.size as u128 <= later.size as u128
}

/// Removes the dead stores of `func` (see the module documentation); the
/// number removed.
pub fn remove_dead_stores(func: &mut Function) -> usize {
    let mut dead: Vec<Inst> = Vec::new();
    for block in func.layout.blocks() {
        // Stores not yet read, in order.
        let mut pending: Vec<(Inst, Access)> = Vec::new();
        for inst in func.layout.block_insts(block) {
            match access(func, inst) {
                Some(acc) if acc.stored.is_some() => {
                    pending.retain(|(i, p)| {
                        let overwritten = covers(&acc, p);
                        if overwritten {
                            dead.push(*i);
                        }
                        !overwritten
                    });
                    pending.push((inst, acc));
                }
                Some(acc) => pending.retain(|(_, p)| p.addr.disjoint(p.size, &acc.addr, acc.size)),
                None if pure(func.dfg.insts[inst].opcode()) => {}
                None => pending.clear(),
            }
        }
    }
    for &inst in &dead {
        func.layout.remove_inst(inst);
    }
    dead.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{build, verify};
    use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Opcode, Signature, Value};
    use cranelift_codegen::isa::CallConv;
    use cranelift_frontend::FunctionBuilder;

    /// What comes between the two stores of [`pair`].
    #[derive(Clone, Copy)]
    enum Between {
        Nothing,
        /// A plain byte load `k` bytes after the first store's place.
        Load(i32),
        /// A call of a function.
        Call,
        /// A load of the runtime's state (other flags).
        RuntimeLoad,
        /// A division, which may trap.
        Division,
    }

    /// `p[j] = a` (`first` bytes wide at offset 0), something, `p[j] = b`
    /// (`second` bytes wide at offset `at`).
    fn pair(first: u8, between: Between, second: u8, at: i32) -> Function {
        build(3, |b, args| {
            let (p, j, v) = (args[0], args[1], args[2]);
            let flags = MemFlagsData::new();
            let addr = b.ins().iadd(p, j);
            let store = |b: &mut FunctionBuilder<'_>, size: u8, at: i32| {
                // The same place computed again: the addresses' terms are compared.
                let addr = b.ins().iadd(j, p);
                match size {
                    1 => b.ins().istore8(flags, v, addr, at),
                    2 => b.ins().istore16(flags, v, addr, at),
                    4 => b.ins().istore32(flags, v, addr, at),
                    _ => b.ins().store(flags, v, addr, at),
                };
            };
            store(b, first, 0);
            match between {
                Between::Nothing => {}
                Between::Load(k) => {
                    b.ins().uload8(types::I64, flags, addr, k);
                }
                Between::Call => {
                    let mut sig = Signature::new(CallConv::SystemV);
                    sig.params.push(AbiParam::new(types::I64));
                    let sig = b.import_signature(sig);
                    b.ins().call_indirect(sig, v, &[p]);
                }
                Between::RuntimeLoad => {
                    b.ins().load(types::I64, MemFlagsData::trusted(), p, 8);
                }
                Between::Division => {
                    b.ins().sdiv(v, j);
                }
            }
            store(b, second, at);
            b.ins().return_(&[v]);
        })
        .0
    }

    fn stores(func: &Function) -> usize {
        func.layout
            .blocks()
            .flat_map(|b| func.layout.block_insts(b))
            .filter(|&i| func.dfg.insts[i].opcode().can_store())
            .count()
    }

    fn removed(mut func: Function) -> usize {
        verify(&func);
        let before = stores(&func);
        let n = remove_dead_stores(&mut func);
        verify(&func);
        assert_eq!(stores(&func), before - n);
        n
    }

    #[test]
    fn a_store_overwritten_before_any_read_is_removed() {
        assert_eq!(removed(pair(1, Between::Nothing, 1, 0)), 1);
        assert_eq!(removed(pair(8, Between::Nothing, 8, 0)), 1);
        // Loads of other places in between do not read it.
        assert_eq!(removed(pair(1, Between::Load(1), 1, 0)), 1);
        assert_eq!(removed(pair(1, Between::Load(-1), 1, 0)), 1);
        assert_eq!(removed(pair(2, Between::Load(2), 2, 0)), 1);
        // A wider store covering the first.
        assert_eq!(removed(pair(1, Between::Nothing, 4, 0)), 1);
        assert_eq!(removed(pair(2, Between::Nothing, 8, -2)), 1);
    }

    #[test]
    fn stores_that_may_be_read_or_only_partly_overwritten_stay() {
        // A load of the same place, or of one that overlaps.
        assert_eq!(removed(pair(1, Between::Load(0), 1, 0)), 0);
        assert_eq!(removed(pair(2, Between::Load(1), 2, 0)), 0);
        // A call, a load of the runtime's state, a possible trap.
        assert_eq!(removed(pair(1, Between::Call, 1, 0)), 0);
        assert_eq!(removed(pair(1, Between::RuntimeLoad, 1, 0)), 0);
        assert_eq!(removed(pair(1, Between::Division, 1, 0)), 0);
        // A narrower second store, or one elsewhere.
        assert_eq!(removed(pair(2, Between::Nothing, 1, 0)), 0);
        assert_eq!(removed(pair(4, Between::Nothing, 4, 1)), 0);
        assert_eq!(removed(pair(1, Between::Nothing, 1, 1)), 0);
        assert_eq!(removed(pair(2, Between::Nothing, 8, -7)), 0);
    }

    #[test]
    fn coverage_is_counted_modulo_the_word() {
        let at = |terms: Vec<(Value, i64)>, offset: i64, size: i64| Access {
            addr: crate::address::Address { terms, offset },
            size,
            stored: None,
        };
        let v = Value::from_u32(1);
        // 8 bytes at MAX (wrapping round to MIN + 6) include 1 byte at MIN.
        assert!(covers(&at(vec![(v, 1)], i64::MAX, 8), &at(vec![(v, 1)], i64::MIN, 1)));
        assert!(!covers(&at(vec![(v, 1)], i64::MIN, 1), &at(vec![(v, 1)], i64::MAX, 8)));
        assert!(!covers(&at(vec![(v, 1)], 0, 8), &at(vec![(v, 2)], 0, 1)));
        assert!(!covers(&at(vec![], 0, 8), &at(vec![], 8, 1)));
        assert!(covers(&at(vec![], -8, 16), &at(vec![], 0, 8)));
    }

    #[test]
    fn only_stores_of_one_block_are_compared() {
        let (mut func, ()) = build(3, |b, args| {
            let (p, v) = (args[0], args[2]);
            let next = b.create_block();
            let flags = MemFlagsData::new();
            b.ins().istore8(flags, v, p, 0);
            b.ins().jump(next, &[]);
            b.switch_to_block(next);
            b.ins().istore8(flags, v, p, 0);
            b.ins().return_(&[v]);
        });
        assert_eq!(remove_dead_stores(&mut func), 0);
        let count = func
            .layout
            .blocks()
            .flat_map(|b| func.layout.block_insts(b))
            .filter(|&i| func.dfg.insts[i].opcode() == Opcode::Istore8)
            .count();
        assert_eq!(count, 2);
    }
}
