//! Operators: `unary_op`, `binary_op`, `is_true`, `equal`, `hash`, ordering.

use ferropy_bytecode::opcode::binary as bop;

use super::{UNARY_ABS, UNARY_BOOL, UNARY_HASH, UNARY_INVERT, UNARY_LEN, UNARY_NEGATIVE, UNARY_NOT, UNARY_POSITIVE};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The result of comparison operator `op` (`==`, `!=`, `<`, `>`, `<=`, `>=`) on
/// two ordered values, or `None` when `op` is not a comparison.
pub fn compare_ordered<T: PartialOrd + ?Sized>(op: u8, x: &T, y: &T) -> Option<Obj> {
    use ferropy_bytecode::opcode::binary as bop;
    let r = match op {
        bop::EQUAL => x == y,
        bop::NOT_EQUAL => x != y,
        bop::LESS => x < y,
        bop::MORE => x > y,
        bop::LESS_EQUAL => x <= y,
        bop::MORE_EQUAL => x >= y,
        _ => return None,
    };
    Some(Obj::from_bool(r))
}

/// Special-method name of a binary operator (plain form), for user classes and messages.
pub fn binary_dunder(op: u8) -> &'static str {
    match op {
        bop::LESS => "__lt__",
        bop::MORE => "__gt__",
        bop::EQUAL => "__eq__",
        bop::LESS_EQUAL => "__le__",
        bop::MORE_EQUAL => "__ge__",
        bop::NOT_EQUAL => "__ne__",
        bop::IN => "__contains__",
        bop::INPLACE_OR => "__ior__",
        bop::INPLACE_XOR => "__ixor__",
        bop::INPLACE_AND => "__iand__",
        bop::INPLACE_LSHIFT => "__ilshift__",
        bop::INPLACE_RSHIFT => "__irshift__",
        bop::INPLACE_ADD => "__iadd__",
        bop::INPLACE_SUBTRACT => "__isub__",
        bop::INPLACE_MULTIPLY => "__imul__",
        bop::INPLACE_MAT_MULTIPLY => "__imatmul__",
        bop::INPLACE_FLOOR_DIVIDE => "__ifloordiv__",
        bop::INPLACE_TRUE_DIVIDE => "__itruediv__",
        bop::INPLACE_MODULO => "__imod__",
        bop::INPLACE_POWER => "__ipow__",
        bop::OR => "__or__",
        bop::XOR => "__xor__",
        bop::AND => "__and__",
        bop::LSHIFT => "__lshift__",
        bop::RSHIFT => "__rshift__",
        bop::ADD => "__add__",
        bop::SUBTRACT => "__sub__",
        bop::MULTIPLY => "__mul__",
        bop::MAT_MULTIPLY => "__matmul__",
        bop::FLOOR_DIVIDE => "__floordiv__",
        bop::TRUE_DIVIDE => "__truediv__",
        bop::MODULO => "__mod__",
        bop::POWER => "__pow__",
        _ => "?",
    }
}

fn reverse_dunder(op: u8) -> Option<&'static str> {
    Some(match op {
        bop::ADD => "__radd__",
        bop::SUBTRACT => "__rsub__",
        bop::MULTIPLY => "__rmul__",
        bop::OR => "__ror__",
        bop::AND => "__rand__",
        bop::XOR => "__rxor__",
        bop::LSHIFT => "__rlshift__",
        bop::RSHIFT => "__rrshift__",
        bop::MAT_MULTIPLY => "__rmatmul__",
        bop::FLOOR_DIVIDE => "__rfloordiv__",
        bop::TRUE_DIVIDE => "__rtruediv__",
        bop::MODULO => "__rmod__",
        bop::POWER => "__rpow__",
        _ => return None,
    })
}

fn unary_dunder(op: u8) -> &'static str {
    match op {
        UNARY_POSITIVE => "__pos__",
        UNARY_NEGATIVE => "__neg__",
        UNARY_INVERT => "__invert__",
        UNARY_BOOL => "__bool__",
        UNARY_LEN => "__len__",
        UNARY_HASH => "__hash__",
        UNARY_ABS => "__abs__",
        _ => "?",
    }
}

impl Vm {
    /// Python truth value.
    pub fn is_true(&mut self, o: Obj) -> PyResult<bool> {
        match o {
            Obj::TRUE => return Ok(true),
            Obj::FALSE | Obj::NONE | Obj::NULL => return Ok(false),
            _ => {}
        }
        if let Some(v) = o.small_int_value() {
            return Ok(v != 0);
        }
        if let Some(empty) = self.builtin_is_empty(o) {
            return Ok(!empty);
        }
        if let Some(r) = self.unary_op_opt(UNARY_BOOL, o)? {
            return Ok(r == Obj::TRUE);
        }
        if let Some(r) = self.unary_op_opt(UNARY_LEN, o)? {
            return Ok(self.int_value(r).unwrap_or(0) != 0);
        }
        Ok(true)
    }

    /// Whether an interned string or an object [`crate::types::stored_truth`]
    /// answers is empty, read from the object itself; `None` for anything
    /// else (then the type's slots answer).
    #[inline]
    fn builtin_is_empty(&self, o: Obj) -> Option<bool> {
        if let Some(q) = o.qstr() {
            return self.st.qstrs.len(q).map(|n| n == 0);
        }
        crate::types::stored_truth(&self.heap.words, o).map(|t| !t)
    }

    /// A unary operator; `None` when the type does not support it.
    pub fn unary_op_opt(&mut self, op: u8, o: Obj) -> PyResult<Option<Obj>> {
        if let Some(v) = o.small_int_value() {
            let v = i64::from(v);
            return Ok(Some(match op {
                UNARY_POSITIVE | UNARY_HASH => o,
                UNARY_NEGATIVE => self.new_int(-v)?,
                UNARY_INVERT => self.new_int(!v)?,
                UNARY_NOT => Obj::from_bool(v == 0),
                UNARY_BOOL => Obj::from_bool(v != 0),
                UNARY_ABS => self.new_int(v.abs())?,
                _ => return Ok(None),
            }));
        }
        if op == UNARY_NOT {
            return Ok(Some(Obj::from_bool(!self.is_true(o)?)));
        }
        if self.is_user_class(self.type_of(o)) {
            if let Some(r) = super::call_dunder(self, o, unary_dunder(op), &[])? {
                if op == UNARY_BOOL {
                    return Ok(Some(Obj::from_bool(self.is_true(r)?)));
                }
                if op == UNARY_HASH {
                    return self.checked_hash_result(r).map(Some);
                }
                return Ok(Some(r));
            }
            if op == UNARY_HASH {
                let t = self.type_of(o);
                let eq = self.intern("__eq__")?;
                if let Some((_, None)) = self.class_lookup(t, eq, 0)? {
                    let msg = alloc::format!("unhashable type: '{}'", self.type_name(o));
                    return Err(self.type_error(&msg));
                }
                return Ok(Some(self.new_int(i64::from(o.raw() >> 4))?));
            }
        }
        match self.desc_of(o).unary_op {
            Some(f) => {
                let o = self.native_self(o);
                f(self, op, o)
            }
            None if op == UNARY_HASH => Ok(Some(self.new_int(i64::from(o.raw() >> 2))?)),
            None => Ok(None),
        }
    }

    /// The value a user `__hash__` returned, as an int (a bool counts as one).
    fn checked_hash_result(&mut self, r: Obj) -> PyResult<Obj> {
        match r {
            Obj::TRUE => return self.new_int(1),
            Obj::FALSE => return self.new_int(0),
            _ => {}
        }
        if self.int_value(r).is_some() {
            return Ok(r);
        }
        if self.native_type_id(r) == crate::types::ids::INT {
            // A big int: its own (word-sized) hash.
            let h = self.hash(r)?;
            return self.new_int(h);
        }
        Err(self.type_error("__hash__ should return an int"))
    }

    /// A unary operator, raising TypeError when unsupported.
    pub fn unary_op(&mut self, op: u8, o: Obj) -> PyResult<Obj> {
        match self.unary_op_opt(op, o)? {
            Some(r) => Ok(r),
            None => {
                let n = self.type_name(o);
                let msg = match op {
                    UNARY_LEN => alloc::format!("object of type '{n}' has no len()"),
                    _ => alloc::format!("unsupported type for {}: '{n}'", unary_dunder(op)),
                };
                Err(self.type_error(&msg))
            }
        }
    }

    /// `hash(o)` as an i64.
    pub fn hash(&mut self, o: Obj) -> PyResult<i64> {
        if let Some(v) = o.small_int_value() {
            return Ok(i64::from(v));
        }
        if self.is_str(o) {
            return Ok(i64::from(self.str_hash(o)));
        }
        let h = self.unary_op(UNARY_HASH, o)?;
        Ok(self.int_value(h).unwrap_or(0))
    }

    /// `a == b`.
    pub fn equal(&mut self, a: Obj, b: Obj) -> PyResult<bool> {
        if a == b && self.eq_reflexive(a) {
            return Ok(true);
        }
        if a.is_small_int() && b.is_small_int() {
            return Ok(false);
        }
        if self.is_str(a) && self.is_str(b) {
            return Ok(self.str_equal(a, b));
        }
        let r = self.binary_op(bop::EQUAL, a, b)?;
        self.is_true(r)
    }

    /// Whether `a == a` holds without asking `a`: not for instances of Python classes
    /// (their `__eq__` decides) nor for floats and complex numbers (nan != nan).
    fn eq_reflexive(&self, a: Obj) -> bool {
        let t = self.type_of(a);
        !self.is_user_class(t)
            && t != crate::types::type_obj(crate::types::ids::FLOAT)
            && t != crate::types::type_obj(crate::types::ids::COMPLEX)
    }

    /// `a < b`.
    pub fn less_than(&mut self, a: Obj, b: Obj) -> PyResult<bool> {
        if let (Some(x), Some(y)) = (a.small_int_value(), b.small_int_value()) {
            return Ok(x < y);
        }
        let r = self.binary_op(bop::LESS, a, b)?;
        self.is_true(r)
    }

    /// A binary operator (`opcode::binary` numbers).
    pub fn binary_op(&mut self, op: u8, a: Obj, b: Obj) -> PyResult<Obj> {
        if let (Some(x), Some(y)) = (a.small_int_value(), b.small_int_value()) {
            let (x, y) = (i64::from(x), i64::from(y));
            let r = match op {
                bop::ADD | bop::INPLACE_ADD => Some(x + y),
                bop::SUBTRACT | bop::INPLACE_SUBTRACT => Some(x - y),
                bop::MULTIPLY | bop::INPLACE_MULTIPLY => Some(x * y),
                bop::AND | bop::INPLACE_AND => Some(x & y),
                bop::OR | bop::INPLACE_OR => Some(x | y),
                bop::XOR | bop::INPLACE_XOR => Some(x ^ y),
                // Floor division and modulo round toward negative infinity.
                bop::FLOOR_DIVIDE | bop::INPLACE_FLOOR_DIVIDE if y != 0 => {
                    Some(x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0))
                }
                bop::MODULO | bop::INPLACE_MODULO if y != 0 => {
                    let r = x.rem_euclid(y);
                    Some(if y < 0 && r != 0 { r + y } else { r })
                }
                // Both fit 31 bits, so a shift by less than 32 fits an i64.
                bop::LSHIFT | bop::INPLACE_LSHIFT if (0..32).contains(&y) => Some(x << y),
                bop::RSHIFT | bop::INPLACE_RSHIFT if y >= 0 => Some(x >> y.min(63)),
                bop::LESS => return Ok(Obj::from_bool(x < y)),
                bop::MORE => return Ok(Obj::from_bool(x > y)),
                bop::LESS_EQUAL => return Ok(Obj::from_bool(x <= y)),
                bop::MORE_EQUAL => return Ok(Obj::from_bool(x >= y)),
                bop::EQUAL => return Ok(Obj::from_bool(x == y)),
                bop::NOT_EQUAL => return Ok(Obj::from_bool(x != y)),
                _ => None,
            };
            if let Some(r) = r {
                return self.new_int(r);
            }
        } else if (a.is_small_int() || a.is_heap_ref()) && (b.is_small_int() || b.is_heap_ref()) {
            // Ints past the small-int range that still fit a machine word.
            if let Some(r) = self.word_int_binary(op, a, b) {
                return r;
            }
        }
        match op {
            bop::IS => return Ok(Obj::from_bool(a == b)),
            bop::EXCEPTION_MATCH => return self.exception_match_op(a, b),
            bop::IN => return self.contains(b, a),
            bop::NOT_EQUAL => {
                if self.is_user_class(self.type_of(a)) {
                    if let Some(r) = super::call_dunder(self, a, "__ne__", &[b])? {
                        if r != Obj::NOT_IMPLEMENTED {
                            return Ok(r);
                        }
                    }
                }
                if !self.is_user_class(self.type_of(a)) && self.is_user_class(self.type_of(b)) {
                    // MicroPython's second pass: the right operand's __ne__.
                    if let Some(r) = super::call_dunder(self, b, "__ne__", &[a])? {
                        if r != Obj::NOT_IMPLEMENTED {
                            return Ok(r);
                        }
                    }
                }
                let eq = self.equal(a, b)?;
                return Ok(Obj::from_bool(!eq));
            }
            bop::EQUAL if a == b && self.eq_reflexive(a) => return Ok(Obj::TRUE),
            _ => {}
        }
        // Equality with a user class on the right only: its __eq__ first
        // (MicroPython's second pass; built-in types answer False instead of
        // "unsupported" here).
        if op == bop::EQUAL && !self.is_user_class(self.type_of(a)) && self.is_user_class(self.type_of(b)) {
            if let Some(r) = super::call_dunder(self, b, "__eq__", &[a])? {
                if r != Obj::NOT_IMPLEMENTED {
                    return Ok(r);
                }
            }
        }
        // User classes: special methods.
        if self.is_user_class(self.type_of(a)) {
            if (bop::INPLACE_OR..=bop::INPLACE_POWER).contains(&op) {
                if let Some(r) = super::call_dunder(self, a, binary_dunder(op), &[b])? {
                    if r != Obj::NOT_IMPLEMENTED {
                        return Ok(r);
                    }
                }
            }
            let plain =
                if (bop::INPLACE_OR..=bop::INPLACE_POWER).contains(&op) { op + bop::INPLACE_TO_PLAIN } else { op };
            if let Some(r) = super::call_dunder(self, a, binary_dunder(plain), &[b])? {
                if r != Obj::NOT_IMPLEMENTED {
                    return Ok(r);
                }
            }
        }
        if let Some(f) = self.desc_of(a).binary_op {
            let a = self.native_self(a);
            let b = self.native_self(b);
            if let Some(r) = f(self, op, a, b)? {
                if r != Obj::NOT_IMPLEMENTED {
                    return Ok(r);
                }
            }
        }
        let plain = if (bop::INPLACE_OR..=bop::INPLACE_POWER).contains(&op) { op + bop::INPLACE_TO_PLAIN } else { op };
        if self.is_user_class(self.type_of(b)) {
            // As MicroPython: only equality and arithmetic are reflected.
            let swapped = match plain {
                bop::EQUAL => Some("__eq__"),
                _ => reverse_dunder(plain),
            };
            if let Some(name) = swapped {
                if let Some(r) = super::call_dunder(self, b, name, &[a])? {
                    if r != Obj::NOT_IMPLEMENTED {
                        return Ok(r);
                    }
                }
            }
        } else if matches!(plain, bop::MULTIPLY) {
            // int * sequence
            if self.int_value(a).is_some() && self.desc_of(b).binary_op.is_some() && self.int_value(b).is_none() {
                if let Some(f) = self.desc_of(b).binary_op {
                    if let Some(r) = f(self, op, b, a)? {
                        return Ok(r);
                    }
                }
            }
        }
        if plain == bop::EQUAL {
            // No __eq__ anywhere: identity.
            return Ok(Obj::from_bool(a == b));
        }
        let (ta, tb) = (self.type_name(a), self.type_name(b));
        let msg = alloc::format!("unsupported types for {}: '{ta}', '{tb}'", binary_dunder(plain));
        Err(self.type_error(&msg))
    }

    /// `needle in container`.
    pub fn contains(&mut self, container: Obj, needle: Obj) -> PyResult<Obj> {
        if self.is_user_class(self.type_of(container)) {
            if let Some(r) = super::call_dunder(self, container, "__contains__", &[needle])? {
                return Ok(Obj::from_bool(self.is_true(r)?));
            }
        }
        if let Some(f) = self.desc_of(container).binary_op {
            let container = self.native_self(container);
            if let Some(r) = f(self, bop::IN, container, needle)? {
                return Ok(r);
            }
        }
        if self.native_type_id(container) == crate::types::ids::STR {
            let msg = alloc::format!("can't convert '{}' object to str implicitly", self.type_name(needle));
            return Err(self.type_error(&msg));
        }
        // Fall back to iteration.
        let it = self.get_iter(container)?;
        self.with_temps(|vm| {
            vm.root(it);
            loop {
                let x = vm.iter_next(it)?;
                if x.is_null() {
                    return Ok(Obj::FALSE);
                }
                if vm.equal(x, needle)? {
                    return Ok(Obj::TRUE);
                }
            }
        })
    }

    fn exception_match_op(&mut self, exc: Obj, cls: Obj) -> PyResult<Obj> {
        let t = self.type_of(exc);
        let classes = if self.is_tuple(cls) { self.tuple_items(cls) } else { alloc::vec![cls] };
        for c in classes {
            if !self.is_class(c) {
                return Err(self.type_error("catching classes that do not inherit from BaseException is not allowed"));
            }
            if self.is_subclass(t, c) {
                return Ok(Obj::TRUE);
            }
        }
        Ok(Obj::FALSE)
    }
}
