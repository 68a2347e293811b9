//! Integer operators on values that fit a machine word, without
//! `num_bigint`: the common case of a small int overflowing into a heap int
//! (`x * x & 0xFFFF` with `x` past 46341) costs a few instructions and one
//! heap block instead of two `BigInt` conversions and their allocations.
//! Results are exactly those of `int::int_binary` (the same representation:
//! small ints when they fit, else `[type, header, limbs...]`).

use super::ids;
use crate::error::PyResult;
use crate::gc::HeapWords;
use crate::obj::Obj;
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The value of a small int or of a heap int (exactly `int`) of at most
/// two limbs that fits an `i64`; `None` for everything else.
#[inline]
pub(crate) fn word_int(heap: &HeapWords, o: Obj) -> Option<i64> {
    if let Some(v) = o.small_int_value() {
        return Some(i64::from(v));
    }
    if !o.is_heap_ref() || heap.load_obj(o, 0)? != super::type_obj(ids::INT) {
        return None;
    }
    let header = heap.load(o, 1)?;
    let n = header & 0x7fff_ffff;
    if n > 2 {
        return None;
    }
    let lo = u64::from(if n > 0 { heap.load(o, 2)? } else { 0 });
    let hi = u64::from(if n > 1 { heap.load(o, 3)? } else { 0 });
    let mag = i128::from(lo | (hi << 32));
    i64::try_from(if header >> 31 == 1 { -mag } else { mag }).ok()
}

impl Vm {
    /// The value of a small int or of a heap int that fits an `i64` ([`word_int`]).
    #[inline]
    fn word_int_value(&self, o: Obj) -> Option<i64> {
        word_int(&self.heap.words, o)
    }

    /// An int object for `v`: a small int when it fits, else a heap int laid
    /// out as `new_bigint` lays it out (little-endian limbs, no leading zero
    /// limbs, bit 31 of the header for negative values).
    pub(crate) fn new_int_i128(&mut self, v: i128) -> PyResult<Obj> {
        if let Some(o) = i32::try_from(v).ok().and_then(Obj::from_small_int) {
            return Ok(o);
        }
        let mut mag = v.unsigned_abs();
        let mut limbs = [0u32; 4];
        let mut n = 0;
        while mag != 0 {
            limbs[n] = mag as u32;
            mag >>= 32;
            n += 1;
        }
        let o = self.alloc(2 + n)?;
        self.set(o, 0, super::type_obj(ids::INT));
        let neg = if v < 0 { 1u32 << 31 } else { 0 };
        self.set_u32(o, 1, n as u32 | neg);
        for (i, &l) in limbs.iter().take(n).enumerate() {
            self.set_u32(o, 2 + i, l);
        }
        Ok(o)
    }

    /// Binary operator `op` on two ints that fit an `i64` (at least one of
    /// them usually a heap int): `None` when either is something else or
    /// the operator is not one of the word operators (the general path then
    /// runs it, with its errors).
    pub(crate) fn word_int_binary(&mut self, op: u8, a: Obj, b: Obj) -> Option<PyResult<Obj>> {
        let x = i128::from(self.word_int_value(a)?);
        let y = i128::from(self.word_int_value(b)?);
        let r = match op {
            bop::LESS => return Some(Ok(Obj::from_bool(x < y))),
            bop::MORE => return Some(Ok(Obj::from_bool(x > y))),
            bop::EQUAL => return Some(Ok(Obj::from_bool(x == y))),
            bop::LESS_EQUAL => return Some(Ok(Obj::from_bool(x <= y))),
            bop::MORE_EQUAL => return Some(Ok(Obj::from_bool(x >= y))),
            bop::NOT_EQUAL => return Some(Ok(Obj::from_bool(x != y))),
            bop::ADD | bop::INPLACE_ADD => x + y,
            bop::SUBTRACT | bop::INPLACE_SUBTRACT => x - y,
            // Two values below 2^63 in magnitude: the product is below 2^126.
            bop::MULTIPLY | bop::INPLACE_MULTIPLY => x * y,
            bop::AND | bop::INPLACE_AND => x & y,
            bop::OR | bop::INPLACE_OR => x | y,
            bop::XOR | bop::INPLACE_XOR => x ^ y,
            bop::FLOOR_DIVIDE | bop::INPLACE_FLOOR_DIVIDE if y != 0 => super::int::floor_divmod(x, y).0,
            bop::MODULO | bop::INPLACE_MODULO if y != 0 => super::int::floor_divmod(x, y).1,
            // Below 2^63 shifted by less than 64: below 2^127.
            bop::LSHIFT | bop::INPLACE_LSHIFT if (0..64).contains(&y) => x << y,
            bop::RSHIFT | bop::INPLACE_RSHIFT if y >= 0 => x >> y.min(127),
            _ => return None,
        };
        Some(self.new_int_i128(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word operator agrees with the `BigInt` path on values around the
    /// small-int, 32-bit and 64-bit edges, result representation included.
    #[test]
    fn word_ops_match_bigint_path() {
        let mut vm = crate::vm::stress_test_vm();
        let edges: [i64; 16] = [
            0,
            1,
            -1,
            7,
            -13,
            (1 << 30) - 1,
            -(1 << 30),
            1 << 30,
            46341,
            -46341,
            (1 << 32) + 5,
            -(1 << 32) - 3,
            i64::MAX,
            i64::MIN,
            i64::MAX / 3,
            i64::MIN / 7,
        ];
        let ops = [
            bop::LESS,
            bop::EQUAL,
            bop::NOT_EQUAL,
            bop::MORE_EQUAL,
            bop::ADD,
            bop::SUBTRACT,
            bop::MULTIPLY,
            bop::AND,
            bop::OR,
            bop::XOR,
            bop::FLOOR_DIVIDE,
            bop::MODULO,
            bop::LSHIFT,
            bop::RSHIFT,
            bop::INPLACE_MULTIPLY,
        ];
        for &x in &edges {
            for &y in &edges {
                for &op in &ops {
                    let (a, b) = (vm.new_int(x).unwrap(), vm.new_int(y).unwrap());
                    vm.root(a);
                    vm.root(b);
                    let y_small = (0..64).contains(&y);
                    if matches!(op, bop::LSHIFT) && !y_small {
                        assert!(vm.word_int_binary(op, a, b).is_none());
                        continue;
                    }
                    let Some(fast) = vm.word_int_binary(op, a, b) else {
                        // Left to the general path: its errors.
                        let div0 = matches!(op, bop::FLOOR_DIVIDE | bop::MODULO) && y == 0;
                        assert!(div0 || (op == bop::RSHIFT && y < 0), "{x} op {op} {y}");
                        continue;
                    };
                    let fast = fast.unwrap();
                    vm.root(fast);
                    let slow = super::super::int::int_binary(&mut vm, op, a, b).unwrap().unwrap();
                    vm.root(slow);
                    let (fv, sv) = (vm.bigint_value(fast), vm.bigint_value(slow));
                    assert_eq!(fv, sv, "{x} op {op} {y}");
                    assert_eq!(fast.is_small_int(), slow.is_small_int(), "{x} op {op} {y}");
                    if fast.is_heap_ref() && slow.is_heap_ref() {
                        assert_eq!(vm.get_u32(fast, 1), vm.get_u32(slow, 1), "{x} op {op} {y}");
                    }
                    if let (Some(f), Some(s)) = (fast.as_bool(), slow.as_bool()) {
                        assert_eq!(f, s);
                    }
                    vm.st.temps.clear();
                }
            }
        }
    }
}
