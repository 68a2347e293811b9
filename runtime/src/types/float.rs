//! `float`: a boxed f64 heap object `[type, low word, high word]` (MicroPython's
//! representation A boxes floats too). Arithmetic, comparisons, hashing and
//! `repr` follow MicroPython's `objfloat.c`.

use alloc::string::String;

use num_bigint::BigInt;
use num_traits::FromPrimitive;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The `float` type.
pub static FLOAT_TYPE: TypeDesc = TypeDesc {
    make_new: Some(float_make_new),
    print: Some(float_print),
    unary_op: Some(float_unary),
    binary_op: Some(float_binary),
    ..TypeDesc::new("float", ids::OBJECT)
};

impl Vm {
    /// A new float object.
    pub fn new_float(&mut self, v: f64) -> PyResult<Obj> {
        let o = self.alloc(3)?;
        let bits = v.to_bits();
        self.set(o, 0, super::type_obj(ids::FLOAT));
        self.set_u32(o, 1, bits as u32);
        self.set_u32(o, 2, (bits >> 32) as u32);
        Ok(o)
    }

    /// True for a float object.
    pub fn is_float(&self, o: Obj) -> bool {
        o.is_heap_ref() && self.get(o, 0) == super::type_obj(ids::FLOAT)
    }

    /// The value of a float object (`None` for anything else, ints included).
    pub fn float_value(&self, o: Obj) -> Option<f64> {
        if !self.is_float(o) {
            return None;
        }
        let lo = u64::from(self.get_u32(o, 1));
        let hi = u64::from(self.get_u32(o, 2));
        Some(f64::from_bits((hi << 32) | lo))
    }

    /// A float or int as an f64 (`None` for other objects).
    pub fn number_as_f64(&self, o: Obj) -> Option<f64> {
        if let Some(f) = self.float_value(o) {
            return Some(f);
        }
        if let Some(v) = o.small_int_value() {
            return Some(f64::from(v));
        }
        self.bigint_value(o).map(|v| super::int::bigint_to_f64(&v))
    }

    /// A float or int as an f64, or TypeError "can't convert X to float".
    pub fn expect_float(&mut self, o: Obj) -> PyResult<f64> {
        match self.number_as_f64(o) {
            Some(v) => Ok(v),
            None => {
                if let Some(r) = rt::call_dunder(self, o, "__float__", &[])? {
                    if let Some(v) = self.float_value(r) {
                        return Ok(v);
                    }
                }
                let n = self.type_name(o);
                Err(self.type_error(&alloc::format!("can't convert {n} to float")))
            }
        }
    }

    /// `int(f)`: truncates toward zero (errors for inf and NaN as MicroPython).
    pub fn int_from_float(&mut self, f: f64) -> PyResult<Obj> {
        if f.is_nan() {
            return Err(self.value_error("can't convert NaN to int"));
        }
        if f.is_infinite() {
            return Err(self.new_error(ids::OVERFLOW_ERROR, "can't convert inf to int"));
        }
        let t = libm::trunc(f);
        if t.abs() < 1e18 {
            return self.new_int(t as i64);
        }
        let v = BigInt::from_f64(t).unwrap_or_default();
        self.new_bigint(&v)
    }
}

/// Parses float text as `float(str)` does (whitespace, sign, `inf`, `nan`).
pub fn parse_float_text(text: &[u8]) -> Option<f64> {
    let t = core::str::from_utf8(text).ok()?.trim_ascii();
    if t.is_empty() {
        return None;
    }
    if !t.contains('_') {
        return t.parse::<f64>().ok();
    }
    // Underscores are skipped wherever they are among digits (as MicroPython's number
    // parser does: `1_000.5`, but also `_1`); `inf` and `nan` take none.
    if t.chars().any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E')) {
        return None;
    }
    let plain: alloc::string::String = t.chars().filter(|&c| c != '_').collect();
    if plain.is_empty() {
        return None;
    }
    plain.parse::<f64>().ok()
}

fn float_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let Some(&o) = args.first() else { return vm.new_float(0.0) };
    if vm.is_float(o) {
        return Ok(o);
    }
    // Text: a str or any buffer (bytes, bytearray, memoryview, ...).
    if let Some(b) = vm.buffer_or_str(o) {
        return match parse_float_text(&b) {
            Some(v) => vm.new_float(v),
            None => Err(vm.value_error("invalid syntax for number")),
        };
    }
    let v = vm.expect_float(o)?;
    vm.new_float(v)
}

/// MicroPython's `repr`/`str` text of a float.
pub fn float_text(v: f64) -> String {
    super::float_fmt::float_repr(v)
}

fn float_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str(&float_text(vm.float_value(o).unwrap_or(0.0)));
    Ok(())
}

/// MicroPython's float hash (the unix port's: the value truncated to an int).
pub fn float_hash(v: f64) -> i64 {
    v as i64
}

fn float_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let v = vm.float_value(o).unwrap_or(0.0);
    Ok(Some(match op {
        rt::UNARY_BOOL => Obj::from_bool(v != 0.0),
        rt::UNARY_HASH => vm.new_int(float_hash(v))?,
        rt::UNARY_POSITIVE => o,
        rt::UNARY_NEGATIVE => vm.new_float(-v)?,
        rt::UNARY_ABS => vm.new_float(libm::fabs(v))?,
        _ => return Ok(None),
    }))
}

/// Python's float floor division and modulo (`x == (x//y)*y + (x%y)`), `y != 0`.
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = libm::fmod(x, y);
    let mut div = (x - m) / y;
    if m == 0.0 {
        m = libm::copysign(0.0, y);
    } else if (m < 0.0) != (y < 0.0) {
        m += y;
        div -= 1.0;
    }
    let floordiv = if div == 0.0 {
        libm::copysign(0.0, x / y)
    } else {
        let mut f = libm::floor(div);
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    };
    (floordiv, m)
}

/// Binary operators with a float (or an int promoted to float) on the left.
pub fn float_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let x = vm.number_as_f64(a).unwrap_or(0.0);
    let plain = if (bop::INPLACE_OR..=bop::INPLACE_POWER).contains(&op) { op + bop::INPLACE_TO_PLAIN } else { op };
    if vm.is_complex(b) {
        return super::complex::complex_binary_parts(vm, plain, x, 0.0, b);
    }
    let Some(y) = vm.number_as_f64(b) else {
        return Ok(match plain {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    let zero = |vm: &mut Vm| vm.new_error(ids::ZERO_DIVISION_ERROR, "divide by zero");
    let r = match plain {
        bop::LESS => return Ok(Some(Obj::from_bool(x < y))),
        bop::MORE => return Ok(Some(Obj::from_bool(x > y))),
        bop::EQUAL => return Ok(Some(Obj::from_bool(x == y))),
        bop::LESS_EQUAL => return Ok(Some(Obj::from_bool(x <= y))),
        bop::MORE_EQUAL => return Ok(Some(Obj::from_bool(x >= y))),
        bop::NOT_EQUAL => return Ok(Some(Obj::from_bool(x != y))),
        bop::ADD => x + y,
        bop::SUBTRACT => x - y,
        bop::MULTIPLY => x * y,
        bop::TRUE_DIVIDE => {
            if y == 0.0 {
                return Err(zero(vm));
            }
            x / y
        }
        bop::FLOOR_DIVIDE => {
            if y == 0.0 {
                return Err(zero(vm));
            }
            float_divmod(x, y).0
        }
        bop::MODULO => {
            if y == 0.0 {
                return Err(zero(vm));
            }
            let m = libm::fmod(x, y);
            if m == 0.0 {
                libm::copysign(0.0, y)
            } else if (m < 0.0) != (y < 0.0) {
                m + y
            } else {
                m
            }
        }
        bop::POWER => {
            if x == 0.0 && y < 0.0 && !y.is_infinite() {
                return Err(zero(vm));
            }
            if x < 0.0 && y != libm::floor(y) && !y.is_nan() {
                return super::complex::complex_binary_parts(vm, plain, x, 0.0, b);
            }
            if x == 1.0 || y == 0.0 {
                1.0
            } else {
                crate::modules::fmath::pow(x, y)
            }
        }
        _ => return Ok(None),
    };
    vm.new_float(r).map(Some)
}
