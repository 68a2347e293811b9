//! `int`: small ints are immediate (31-bit); larger values are arbitrary-precision
//! heap objects `[type, header, limbs...]` (header = limb count, bit 31 = negative;
//! limbs are little-endian u32 magnitude words), so the GC manages them. Arithmetic
//! converts to `num_bigint::BigInt` at the edges; results that fit a small int
//! become small ints again, as MicroPython normalises.

use alloc::string::String;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::ids;
use super::{Method, TypeDesc};
use crate::error::{PyErr, PyResult};
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
    methods: &INT_METHODS,
    ..TypeDesc::new("int", ids::OBJECT)
};

static INT_METHODS: [Method; 2] = [
    Method { name: "from_bytes", fun: super::int_bytes::from_bytes, kind: super::MethodKind::Class },
    Method::new("to_bytes", super::int_bytes::to_bytes),
];

/// Largest big-int result (in bits) the runtime will try to build; beyond it
/// MemoryError is raised before any allocation is attempted.
pub const MAX_BIGINT_BITS: u64 = 1 << 26;

impl Vm {
    /// An int object for `v` (small int when it fits, else a heap int).
    pub fn new_int(&mut self, v: i64) -> PyResult<Obj> {
        self.new_int_i128(i128::from(v))
    }

    /// An int object for an unsigned 64-bit value (a heap int past `i64::MAX`).
    pub fn new_uint(&mut self, v: u64) -> PyResult<Obj> {
        match i64::try_from(v) {
            Ok(v) => self.new_int(v),
            Err(_) => self.new_bigint(&BigInt::from(v)),
        }
    }

    /// An int object for `v`, normalised to a small int when it fits.
    pub fn new_bigint(&mut self, v: &BigInt) -> PyResult<Obj> {
        if let Some(o) = v.to_i32().and_then(Obj::from_small_int) {
            return Ok(o);
        }
        let (sign, limbs) = v.to_u32_digits();
        if limbs.len() >= (1 << 30) {
            return Err(self.memory_error());
        }
        let o = self.alloc(2 + limbs.len())?;
        self.set(o, 0, super::type_obj(ids::INT));
        let neg = if sign == Sign::Minus { 1u32 << 31 } else { 0 };
        self.set_u32(o, 1, limbs.len() as u32 | neg);
        for (i, l) in limbs.iter().enumerate() {
            self.set_u32(o, 2 + i, *l);
        }
        Ok(o)
    }

    /// True for a heap (big) int.
    pub fn is_big_int(&self, o: Obj) -> bool {
        o.is_heap_ref() && self.get(o, 0) == super::type_obj(ids::INT)
    }

    /// True for an int or bool (small or big).
    pub fn is_int(&self, o: Obj) -> bool {
        o.is_small_int() || o.as_bool().is_some() || self.is_big_int(o)
    }

    /// The value of an int or bool as a `BigInt`, `None` for other objects.
    pub fn bigint_value(&self, o: Obj) -> Option<BigInt> {
        if let Some(v) = o.small_int_value() {
            return Some(BigInt::from(v));
        }
        if let Some(b) = o.as_bool() {
            return Some(BigInt::from(u8::from(b)));
        }
        if !self.is_big_int(o) {
            return None;
        }
        let header = self.get_u32(o, 1);
        let n = (header & 0x7fff_ffff) as usize;
        let limbs: alloc::vec::Vec<u32> = (0..n).map(|i| self.get_u32(o, 2 + i)).collect();
        let sign = if header >> 31 == 1 { Sign::Minus } else { Sign::Plus };
        Some(BigInt::from_slice(sign, &limbs))
    }

    /// The value of an int or bool that fits an i64; `None` for other objects
    /// and for ints beyond 64 bits.
    pub fn int_value(&self, o: Obj) -> Option<i64> {
        if let Some(v) = o.small_int_value() {
            return Some(i64::from(v));
        }
        if let Some(b) = o.as_bool() {
            return Some(i64::from(b));
        }
        self.bigint_value(o).and_then(|v| v.to_i64())
    }

    /// The OverflowError of an int that does not fit a machine word.
    #[cold]
    #[inline(never)]
    pub fn word_overflow_error(&mut self) -> PyErr {
        self.new_error(ids::OVERFLOW_ERROR, "overflow converting long int to machine word")
    }

    /// The value of an int as an i64: TypeError for non-ints, OverflowError for
    /// ints beyond a machine word.
    pub fn expect_int(&mut self, o: Obj) -> PyResult<i64> {
        match self.int_value(o) {
            Some(v) => Ok(v),
            None if self.is_int(o) => Err(self.word_overflow_error()),
            None => {
                let n = self.type_name(o);
                Err(self.type_error(&alloc::format!("can't convert {n} to int")))
            }
        }
    }

    /// The value of an int as a `BigInt`, or TypeError.
    pub fn expect_bigint(&mut self, o: Obj) -> PyResult<BigInt> {
        match self.bigint_value(o) {
            Some(v) => Ok(v),
            None => {
                let n = self.type_name(o);
                Err(self.type_error(&alloc::format!("can't convert {n} to int")))
            }
        }
    }

    fn check_bits(&mut self, bits: u64) -> PyResult<()> {
        if bits > MAX_BIGINT_BITS {
            return Err(self.memory_error());
        }
        Ok(())
    }
}

fn syntax_error(vm: &mut Vm, base: u32, text: &[u8]) -> crate::error::PyErr {
    let shown = String::from_utf8_lossy(text);
    let msg = alloc::format!("invalid syntax for integer with base {base}: '{shown}'");
    vm.value_error(&msg)
}

/// Parses an int literal in `base` (2..=36, or 0 = auto prefix), as `int(text, base)`.
pub fn parse_int_text(vm: &mut Vm, text: &[u8], base: u32) -> PyResult<Obj> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(vm.value_error("int() arg 2 must be >= 2 and <= 36"));
    }
    let is_auto_base = base == 0;
    let t = text.trim_ascii();
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let prefix = digits.get(..2).map(|p| p.to_ascii_lowercase());
    let (base, body) = match (base, prefix.as_deref()) {
        (0 | 16, Some(b"0x")) => (16, &digits[2..]),
        (0 | 8, Some(b"0o")) => (8, &digits[2..]),
        (0 | 2, Some(b"0b")) => (2, &digits[2..]),
        (0, _) => (10, digits),
        (b, _) => (b, digits),
    };
    let auto_decimal = prefix.is_none() || !matches!(prefix.as_deref(), Some(b"0x" | b"0o" | b"0b"));
    let report_base = if base == 10 && text.trim_ascii().is_empty() { 10 } else { base };
    if auto_decimal && body.first() == Some(&b'0') && body.iter().any(|c| (b'1'..=b'9').contains(c)) {
        // With base 0, a decimal literal can't have leading zeros.
        if is_auto_base {
            return Err(syntax_error(vm, report_base, text));
        }
    }
    let mut value = BigInt::zero();
    let mut small: u64 = 0;
    let mut n_small = 0u32;
    let mut any = false;
    let mut last_underscore = true;
    for &c in body {
        if c == b'_' && !last_underscore {
            last_underscore = true;
            continue;
        }
        let d = match (c as char).to_digit(36) {
            Some(d) if d < base => d,
            _ => return Err(syntax_error(vm, report_base, text)),
        };
        last_underscore = false;
        any = true;
        small = small * u64::from(base) + u64::from(d);
        n_small += 1;
        if n_small == 8 {
            value = value * BigInt::from(u64::from(base).pow(n_small)) + small;
            small = 0;
            n_small = 0;
        }
    }
    if n_small > 0 {
        value = value * BigInt::from(u64::from(base).pow(n_small)) + small;
    }
    if !any {
        return Err(syntax_error(vm, report_base, text));
    }
    if neg {
        value = -value;
    }
    vm.new_bigint(&value)
}

fn int_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args {
        [] => Ok(Obj::from_small_int(0).unwrap_or(Obj::NONE)),
        [o] => {
            if let Some(b) = o.as_bool() {
                return Ok(Obj::from_small_int(i32::from(b)).unwrap_or(Obj::NONE));
            }
            if vm.is_int(*o) {
                return Ok(*o);
            }
            if let Some(f) = vm.float_value(*o) {
                return vm.int_from_float(f);
            }
            if let Some(b) = vm.str_bytes(*o).or_else(|| vm.buffer_bytes(*o)) {
                return parse_int_text(vm, &b, 10);
            }
            if let Some(r) = rt::call_dunder(vm, *o, "__int__", &[])? {
                if vm.native_type_id(r) != ids::INT && r.as_bool().is_none() {
                    let msg = alloc::format!("__int__ returned non-int (type {})", vm.type_name(r));
                    return Err(vm.type_error(&msg));
                }
                return Ok(r);
            }
            let n = vm.type_name(*o);
            Err(vm.type_error(&alloc::format!("can't convert {n} to int")))
        }
        [o, b, ..] => {
            let base = vm.expect_int(*b)?;
            let base = u32::try_from(base).unwrap_or(1);
            let bytes = vm.str_bytes(*o).or_else(|| vm.buffer_bytes(*o)).unwrap_or_default();
            parse_int_text(vm, &bytes, base)
        }
    }
}

fn int_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let v = vm.bigint_value(o).unwrap_or_default();
    out.push_str(&v.to_str_radix(10));
    Ok(())
}

/// The hash of an int: its value truncated to 64 bits.
pub fn bigint_hash(v: &BigInt) -> i64 {
    let (sign, digits) = v.to_u64_digits();
    let low = digits.first().copied().unwrap_or(0) as i64;
    if sign == Sign::Minus {
        low.wrapping_neg()
    } else {
        low
    }
}

fn int_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let v = vm.bigint_value(o).unwrap_or_default();
    Ok(Some(match op {
        rt::UNARY_POSITIVE => vm.new_bigint(&v)?,
        rt::UNARY_NEGATIVE => vm.new_bigint(&-v)?,
        rt::UNARY_INVERT => vm.new_bigint(&!v)?,
        rt::UNARY_BOOL => Obj::from_bool(!v.is_zero()),
        rt::UNARY_HASH => vm.new_int(bigint_hash(&v))?,
        rt::UNARY_ABS => vm.new_bigint(&v.abs())?,
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

/// Binary operators with an int on the left (`None` if `b` is not a number).
pub fn int_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let Some(x) = vm.bigint_value(a) else { return Ok(None) };
    let plain = if (bop::INPLACE_OR..=bop::INPLACE_POWER).contains(&op) { op + bop::INPLACE_TO_PLAIN } else { op };
    if vm.float_value(b).is_some() || vm.is_complex(b) {
        let fa = vm.new_float(bigint_to_f64(&x))?;
        vm.root(fa);
        return super::float::float_binary(vm, plain, fa, b);
    }
    let Some(y) = vm.bigint_value(b) else {
        return Ok(match plain {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    let r = match plain {
        bop::LESS => return Ok(Some(Obj::from_bool(x < y))),
        bop::MORE => return Ok(Some(Obj::from_bool(x > y))),
        bop::EQUAL => return Ok(Some(Obj::from_bool(x == y))),
        bop::LESS_EQUAL => return Ok(Some(Obj::from_bool(x <= y))),
        bop::MORE_EQUAL => return Ok(Some(Obj::from_bool(x >= y))),
        bop::NOT_EQUAL => return Ok(Some(Obj::from_bool(x != y))),
        bop::OR => x | y,
        bop::XOR => x ^ y,
        bop::AND => x & y,
        bop::LSHIFT | bop::RSHIFT if y.is_negative() => return Err(vm.value_error("negative shift count")),
        bop::LSHIFT => {
            if x.is_zero() {
                x
            } else {
                let s = y.to_u64().unwrap_or(u64::MAX);
                vm.check_bits(x.bits().saturating_add(s))?;
                x << (s as usize)
            }
        }
        bop::RSHIFT => {
            let s = y.to_u64().unwrap_or(u64::MAX).min(x.bits() + 1);
            x >> (s as usize)
        }
        bop::ADD => x + y,
        bop::SUBTRACT => x - y,
        bop::MULTIPLY => {
            vm.check_bits(x.bits().saturating_add(y.bits()))?;
            x * y
        }
        bop::FLOOR_DIVIDE | bop::MODULO => {
            if y.is_zero() {
                return Err(vm.new_error(ids::ZERO_DIVISION_ERROR, "divide by zero"));
            }
            let (q, r) = x.div_mod_floor(&y);
            if plain == bop::MODULO {
                r
            } else {
                q
            }
        }
        bop::TRUE_DIVIDE => {
            if y.is_zero() {
                return Err(vm.new_error(ids::ZERO_DIVISION_ERROR, "divide by zero"));
            }
            return vm.new_float(bigint_to_f64(&x) / bigint_to_f64(&y)).map(Some);
        }
        bop::POWER => {
            if y.is_negative() {
                let (fx, fy) = (bigint_to_f64(&x), bigint_to_f64(&y));
                if fx == 0.0 {
                    return Err(vm.new_error(ids::ZERO_DIVISION_ERROR, "divide by zero"));
                }
                return vm.new_float(crate::modules::fmath::pow(fx, fy)).map(Some);
            }
            int_pow(vm, &x, &y)?
        }
        _ => return Ok(None),
    };
    vm.new_bigint(&r).map(Some)
}

/// `x ** y` for ints, `y >= 0` (MemoryError if the result would be huge).
fn int_pow(vm: &mut Vm, x: &BigInt, y: &BigInt) -> PyResult<BigInt> {
    if x.is_zero() || x.is_one() || y.is_zero() {
        return Ok(if y.is_zero() { BigInt::one() } else { x.clone() });
    }
    if *x == BigInt::from(-1) {
        return Ok(if y.is_even() { BigInt::one() } else { x.clone() });
    }
    let e = y.to_u64().unwrap_or(u64::MAX);
    vm.check_bits(x.bits().saturating_mul(e))?;
    Ok(num_traits::Pow::pow(x, e))
}

/// `pow(a, b, m)` for ints (MicroPython's errors for bad arguments).
pub fn int_pow3(vm: &mut Vm, a: Obj, b: Obj, m: Obj) -> PyResult<Obj> {
    let (Some(x), Some(y), Some(z)) = (vm.bigint_value(a), vm.bigint_value(b), vm.bigint_value(m)) else {
        return Err(vm.type_error("pow() with 3 arguments requires integers"));
    };
    if z.is_zero() {
        return Err(vm.value_error("divide by zero"));
    }
    if y.is_negative() {
        // MicroPython's result for a negative exponent.
        return Ok(Obj::from_small_int(0).unwrap_or(Obj::NONE));
    }
    let r = x.modpow(&y, &z);
    // Python's sign convention: the result takes the modulus' sign.
    let r = if !r.is_zero() && (r.is_negative() != z.is_negative()) { r + &z } else { r };
    vm.new_bigint(&r)
}

/// The nearest double to an int (infinite beyond the double range).
pub fn bigint_to_f64(v: &BigInt) -> f64 {
    v.to_f64().unwrap_or(if v.is_negative() { f64::NEG_INFINITY } else { f64::INFINITY })
}
