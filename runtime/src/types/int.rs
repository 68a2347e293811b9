//! `int`: small ints are immediate (31-bit); larger values live in the heap as
//! `[type, low word, high word]`, a 64-bit two's-complement value. Results
//! beyond 64 bits raise OverflowError (arbitrary precision is future work).

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The `int` type.
pub static INT_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(int_make_new),
    print: Some(int_print),
    unary_op: Some(int_unary),
    binary_op: Some(int_binary),
    ..TypeDesc::new("int", ids::OBJECT)
};

impl Vm {
    /// An int object for `v` (small int when it fits, else a heap int).
    pub fn new_int(&mut self, v: i64) -> PyResult<Obj> {
        if let Some(o) = i32::try_from(v).ok().and_then(Obj::from_small_int) {
            return Ok(o);
        }
        let o = self.alloc(3)?;
        self.set(o, 0, super::type_obj(ids::INT));
        self.set_u32(o, 1, v as u32);
        self.set_u32(o, 2, (v >> 32) as u32);
        Ok(o)
    }

    /// The value of an int or bool, `None` for other objects.
    pub fn int_value(&self, o: Obj) -> Option<i64> {
        if let Some(v) = o.small_int_value() {
            return Some(i64::from(v));
        }
        if let Some(b) = o.as_bool() {
            return Some(i64::from(b));
        }
        if o.is_heap_ref() && self.get(o, 0) == super::type_obj(ids::INT) {
            let lo = u64::from(self.get_u32(o, 1));
            let hi = u64::from(self.get_u32(o, 2));
            return Some(((hi << 32) | lo) as i64);
        }
        None
    }

    /// The value of an int or a TypeError.
    pub fn expect_int(&mut self, o: Obj) -> PyResult<i64> {
        match self.int_value(o) {
            Some(v) => Ok(v),
            None => {
                let n = self.type_name(o);
                Err(self.type_error(&alloc::format!("can't convert {n} to int")))
            }
        }
    }

    fn int_result(&mut self, v: Option<i128>) -> PyResult<Obj> {
        match v.and_then(|v| i64::try_from(v).ok()) {
            Some(v) => self.new_int(v),
            None => Err(self.new_error(ids::OVERFLOW_ERROR, "integer overflow (values beyond 64 bits unsupported)")),
        }
    }
}

/// Parses an int literal in `base` (2..=36, or 0 = auto prefix), as `int(text, base)`.
pub fn parse_int_text(vm: &mut Vm, text: &[u8], base: u32) -> PyResult<Obj> {
    let s = String::from_utf8_lossy(text);
    let t = s.trim();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = digits.to_ascii_lowercase();
    let (base, body) = match (base, lower.get(..2)) {
        (0 | 16, Some("0x")) => (16, &digits[2..]),
        (0 | 8, Some("0o")) => (8, &digits[2..]),
        (0 | 2, Some("0b")) => (2, &digits[2..]),
        (0, _) => (10, digits),
        (b, _) => (b, digits),
    };
    let mut value: i128 = 0;
    let mut any = false;
    for c in body.chars() {
        if c == '_' {
            continue;
        }
        let d = match c.to_digit(36) {
            Some(d) if d < base => d,
            _ => {
                let msg = alloc::format!("invalid syntax for integer with base {base}");
                return Err(vm.value_error(&msg));
            }
        };
        any = true;
        value = value.saturating_mul(i128::from(base)).saturating_add(i128::from(d));
    }
    if !any || !(2..=36).contains(&base) {
        let msg = alloc::format!("invalid syntax for integer with base {base}");
        return Err(vm.value_error(&msg));
    }
    vm.int_result(Some(if neg { -value } else { value }))
}

fn int_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args {
        [] => Ok(Obj::from_small_int(0).unwrap_or(Obj::NONE)),
        [o] => {
            if let Some(v) = vm.int_value(*o) {
                return vm.new_int(v);
            }
            if let Some(b) = vm.str_bytes(*o) {
                return parse_int_text(vm, &b, 10);
            }
            if let Some(r) = rt::call_dunder(vm, *o, "__int__", &[])? {
                return Ok(r);
            }
            let n = vm.type_name(*o);
            Err(vm.type_error(&alloc::format!("can't convert {n} to int")))
        }
        [o, b, ..] => {
            let base = vm.expect_int(*b)?;
            let bytes = vm.str_bytes(*o).unwrap_or_default();
            parse_int_text(vm, &bytes, base as u32)
        }
    }
}

fn int_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str(&alloc::format!("{}", vm.int_value(o).unwrap_or(0)));
    Ok(())
}

fn int_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let v = i128::from(vm.int_value(o).unwrap_or(0));
    Ok(Some(match op {
        rt::UNARY_POSITIVE => vm.int_result(Some(v))?,
        rt::UNARY_NEGATIVE => vm.int_result(Some(-v))?,
        rt::UNARY_INVERT => vm.int_result(Some(!v))?,
        rt::UNARY_BOOL => Obj::from_bool(v != 0),
        rt::UNARY_HASH => vm.int_result(Some(v))?,
        rt::UNARY_ABS => vm.int_result(Some(v.abs()))?,
        _ => return Ok(None),
    }))
}

/// Floor division and modulo with Python's sign rules.
pub fn floor_divmod(a: i128, b: i128) -> (i128, i128) {
    let mut q = a / b;
    let mut r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        q -= 1;
        r += b;
    }
    (q, r)
}

/// Binary operators on two ints (`None` if `b` is not an int).
pub fn int_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let Some(x) = vm.int_value(a) else { return Ok(None) };
    let Some(y) = vm.int_value(b) else {
        return Ok(match op {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    let (x, y) = (i128::from(x), i128::from(y));
    let op = if (bop::INPLACE_OR..=bop::INPLACE_POWER).contains(&op) { op + bop::INPLACE_TO_PLAIN } else { op };
    let r = match op {
        bop::LESS => return Ok(Some(Obj::from_bool(x < y))),
        bop::MORE => return Ok(Some(Obj::from_bool(x > y))),
        bop::EQUAL => return Ok(Some(Obj::from_bool(x == y))),
        bop::LESS_EQUAL => return Ok(Some(Obj::from_bool(x <= y))),
        bop::MORE_EQUAL => return Ok(Some(Obj::from_bool(x >= y))),
        bop::NOT_EQUAL => return Ok(Some(Obj::from_bool(x != y))),
        bop::OR => Some(x | y),
        bop::XOR => Some(x ^ y),
        bop::AND => Some(x & y),
        bop::LSHIFT | bop::RSHIFT if y < 0 => return Err(vm.value_error("negative shift count")),
        bop::LSHIFT => {
            if y > 64 && x != 0 {
                None
            } else {
                x.checked_shl(y as u32)
            }
        }
        bop::RSHIFT => Some(x >> y.min(127)),
        bop::ADD => x.checked_add(y),
        bop::SUBTRACT => x.checked_sub(y),
        bop::MULTIPLY => x.checked_mul(y),
        bop::FLOOR_DIVIDE | bop::MODULO => {
            if y == 0 {
                return Err(vm.new_error(ids::ZERO_DIVISION_ERROR, "divide by zero"));
            }
            let (q, r) = floor_divmod(x, y);
            Some(if op == bop::MODULO { r } else { q })
        }
        bop::POWER => {
            if y < 0 {
                return Err(vm.value_error("negative power with no float support"));
            }
            if x == -1 {
                return vm.new_int(if y % 2 == 0 { 1 } else { -1 }).map(Some);
            }
            let mut acc: Option<i128> = Some(1);
            let mut i = 0;
            while i < y {
                acc = acc.and_then(|a| a.checked_mul(x)).filter(|a| a.unsigned_abs() < (1u128 << 100));
                if acc.is_none() || x == 0 || x == 1 {
                    break;
                }
                i += 1;
            }
            if x == 0 && y > 0 {
                Some(0)
            } else {
                acc
            }
        }
        bop::TRUE_DIVIDE => {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "float not supported"));
        }
        _ => return Ok(None),
    };
    vm.int_result(r).map(Some)
}
