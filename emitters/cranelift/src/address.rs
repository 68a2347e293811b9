//! Memory accesses and their addresses as linear sums, so that passes can
//! tell two accesses to the same place from two that may overlap.
//!
//! An address is read as `Σ kᵢ·vᵢ + c`: the values it adds (through `iadd`,
//! `isub`, multiplications and left shifts by constants, and constants), each
//! with its factor, plus a constant byte offset (the access's own offset
//! included). Two accesses whose sums have the same terms are at a known
//! distance, so they either overlap or provably do not; anything else may
//! overlap.

use cranelift_codegen::ir::{types, Function, Inst, InstructionData, MemFlagsData, Opcode, Value};

use crate::clif::{constant, def};

/// Deepest chain of additions followed.
const MAX_DEPTH: u32 = 8;

/// `Σ kᵢ·vᵢ + offset`, terms sorted by value, no zero factor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The values added, with their factors.
    pub terms: Vec<(Value, i64)>,
    /// The constant byte offset.
    pub offset: i64,
}

impl Address {
    /// The address of `base + offset` (aliases resolved).
    pub fn of(func: &Function, base: Value, offset: i64) -> Address {
        let mut a = Address { terms: Vec::new(), offset };
        a.add(func, base, 1, 0);
        a.terms.sort_unstable_by_key(|&(v, _)| v);
        let mut merged: Vec<(Value, i64)> = Vec::with_capacity(a.terms.len());
        for (v, k) in a.terms.drain(..) {
            match merged.last_mut() {
                Some((w, f)) if *w == v => *f = f.wrapping_add(k),
                _ => merged.push((v, k)),
            }
        }
        merged.retain(|&(_, k)| k != 0);
        a.terms = merged;
        a
    }

    fn add(&mut self, func: &Function, v: Value, scale: i64, depth: u32) {
        let v = func.dfg.resolve_aliases(v);
        if let Some(c) = constant(func, v) {
            self.offset = self.offset.wrapping_add(scale.wrapping_mul(c));
            return;
        }
        if depth < MAX_DEPTH && func.dfg.value_type(v) == types::I64 {
            if let Some(inst) = def(func, v) {
                if self.add_inst(func, inst, scale, depth + 1) {
                    return;
                }
            }
        }
        self.terms.push((v, scale));
    }

    /// Adds what `inst` computes, scaled, if it is a sum or a scaling.
    fn add_inst(&mut self, func: &Function, inst: Inst, scale: i64, depth: u32) -> bool {
        match func.dfg.insts[inst] {
            InstructionData::Binary { opcode, args: [x, y] } => match opcode {
                Opcode::Iadd => {
                    self.add(func, x, scale, depth);
                    self.add(func, y, scale, depth);
                    true
                }
                Opcode::Isub => {
                    self.add(func, x, scale, depth);
                    self.add(func, y, scale.wrapping_neg(), depth);
                    true
                }
                Opcode::Imul => match (constant(func, x), constant(func, y)) {
                    (_, Some(k)) => self.scaled(func, x, scale, k, depth),
                    (Some(k), _) => self.scaled(func, y, scale, k, depth),
                    _ => false,
                },
                Opcode::Ishl => match constant(func, y) {
                    Some(s) if (0..63).contains(&s) => self.scaled(func, x, scale, 1 << s, depth),
                    _ => false,
                },
                _ => false,
            },
            _ => false,
        }
    }

    fn scaled(&mut self, func: &Function, v: Value, scale: i64, k: i64, depth: u32) -> bool {
        self.add(func, v, scale.wrapping_mul(k), depth);
        true
    }

    /// This address moved by `delta` bytes.
    pub fn moved(&self, delta: i64) -> Address {
        Address { terms: self.terms.clone(), offset: self.offset.wrapping_add(delta) }
    }

    /// `size` bytes here and `other_size` bytes at `other` provably do not
    /// overlap (same terms, disjoint byte ranges). Addresses wrap around
    /// the word: `other` starts `d` bytes after this address counted modulo
    /// 2^64, and the ranges are disjoint when it starts past this one's end
    /// and ends before coming round to its start.
    pub fn disjoint(&self, size: i64, other: &Address, other_size: i64) -> bool {
        let d = u128::from(other.offset.wrapping_sub(self.offset) as u64);
        let (size, other_size) = (u128::try_from(size).unwrap_or(0), u128::try_from(other_size).unwrap_or(0));
        self.terms == other.terms && d >= size && d + other_size <= 1 << 64
    }
}

/// A plain load or store of viper memory: flags as the viper lowering gives
/// pointer accesses (the runtime's own state uses other flags), a 64-bit
/// value, zero-extended when narrower.
#[derive(Clone, Debug)]
pub struct Access {
    /// Where.
    pub addr: Address,
    /// Bytes accessed.
    pub size: i64,
    /// The value stored (`None` for a load).
    pub stored: Option<Value>,
}

/// The access `inst` makes, if it is a plain viper load or store.
pub fn access(func: &Function, inst: Inst) -> Option<Access> {
    let data = &func.dfg.insts[inst];
    let size = match data.opcode() {
        Opcode::Uload8 | Opcode::Istore8 => 1,
        Opcode::Uload16 | Opcode::Istore16 => 2,
        Opcode::Uload32 | Opcode::Istore32 => 4,
        Opcode::Load | Opcode::Store => 8,
        _ => return None,
    };
    if func.dfg.mem_flags[data.memflags()?] != MemFlagsData::new() {
        return None;
    }
    let offset = i64::from(data.load_store_offset()?);
    let (base, stored) = match *data {
        InstructionData::Load { arg, .. } => {
            if func.dfg.value_type(func.dfg.first_result(inst)) != types::I64 {
                return None;
            }
            (arg, None)
        }
        InstructionData::Store { args: [v, p], .. } => {
            if func.dfg.value_type(v) != types::I64 {
                return None;
            }
            (p, Some(v))
        }
        _ => return None,
    };
    Some(Access { addr: Address::of(func, base, offset), size, stored })
}

/// `v` fits in `size` bytes unsigned (so storing then loading it back
/// zero-extended gives `v`): a narrower zero-extending load, a mask, or a
/// choice between such values.
pub fn fits(func: &Function, v: Value, size: i64) -> bool {
    fits_within(func, v, size, 0)
}

fn fits_within(func: &Function, v: Value, size: i64, depth: u32) -> bool {
    if size >= 8 {
        return true;
    }
    let limit = 1u64 << (8 * size);
    if let Some(c) = constant(func, v) {
        return (c as u64) < limit;
    }
    let Some(inst) = def(func, v) else { return false };
    let width = match func.dfg.insts[inst].opcode() {
        Opcode::Uload8 => 1,
        Opcode::Uload16 => 2,
        Opcode::Uload32 => 4,
        _ => 9,
    };
    if width <= size {
        return true;
    }
    if depth >= MAX_DEPTH {
        return false;
    }
    match func.dfg.insts[inst] {
        InstructionData::Ternary { opcode: Opcode::Select, args: [_, x, y] } => {
            fits_within(func, x, size, depth + 1) && fits_within(func, y, size, depth + 1)
        }
        InstructionData::Binary { opcode: Opcode::Band, args: [x, y] } => {
            fits_within(func, x, size, depth + 1) || fits_within(func, y, size, depth + 1)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::build;
    use cranelift_codegen::ir::InstBuilder;

    #[test]
    fn sums_are_compared_by_their_terms_and_offsets() {
        let (func, (p, j, a1, a2, a3, a4, a5)) = build(2, |b, args| {
            let (p, j) = (args[0], args[1]);
            let one = b.ins().iconst(types::I64, 1);
            // p + (j + 1), (p + 1) + j, p + j*4, (j << 2) + p - 8, p + j - j
            let j1 = b.ins().iadd(j, one);
            let a1 = b.ins().iadd(p, j1);
            let p1 = b.ins().iadd(p, one);
            let a2 = b.ins().iadd(p1, j);
            let j4 = b.ins().imul_imm_s(j, 4);
            let a3 = b.ins().iadd(p, j4);
            let two = b.ins().iconst(types::I64, 2);
            let jshl = b.ins().ishl(j, two);
            let a4 = b.ins().iadd(jshl, p);
            let eight = b.ins().iconst(types::I64, 8);
            let a4 = b.ins().isub(a4, eight);
            let pj = b.ins().iadd(p, j);
            let a5 = b.ins().isub(pj, j);
            b.ins().return_(&[a5]);
            (p, j, a1, a2, a3, a4, a5)
        });
        let func = &func;
        let x1 = Address::of(func, a1, 0);
        assert_eq!(x1, Address { terms: vec![(p, 1), (j, 1)], offset: 1 });
        assert_eq!(Address::of(func, a2, 0), x1);
        assert_eq!(Address::of(func, a3, 0), Address { terms: vec![(p, 1), (j, 4)], offset: 0 });
        assert_eq!(Address::of(func, a4, 4), Address { terms: vec![(p, 1), (j, 4)], offset: -4 });
        assert_eq!(Address::of(func, a5, 3), Address { terms: vec![(p, 1)], offset: 3 });
        // Bytes at p+j+1 and p+j: disjoint; words at p+j+1 and p+j overlap;
        // different terms may overlap.
        let x0 = x1.moved(-1);
        assert!(x1.disjoint(1, &x0, 1));
        assert!(!x1.disjoint(8, &x0, 8));
        assert!(!x1.disjoint(1, &Address::of(func, a3, 0), 1));
        // Around the end of the word: a word at offset MAX covers the
        // bytes at MIN to MIN + 6.
        let top = Address { terms: vec![(p, 1)], offset: i64::MAX };
        let bottom = Address { terms: vec![(p, 1)], offset: i64::MIN };
        assert!(!top.disjoint(8, &bottom, 1));
        assert!(!bottom.disjoint(1, &top, 8));
        assert!(top.disjoint(1, &bottom, 1));
        assert!(bottom.disjoint(1, &top, 1));
        assert!(!bottom.moved(6).disjoint(1, &top, 8));
        assert!(bottom.moved(7).disjoint(1, &top, 8));
    }
}
