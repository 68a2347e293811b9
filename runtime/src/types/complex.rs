//! `complex`: a heap object `[type, real lo, real hi, imag lo, imag hi]` holding
//! two f64s. Arithmetic and `repr` follow MicroPython's `objcomplex.c`.

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::rt;
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The `complex` type.
pub static COMPLEX_TYPE: TypeDesc = TypeDesc {
    make_new: Some(complex_make_new),
    print: Some(complex_print),
    unary_op: Some(complex_unary),
    binary_op: Some(complex_binary),
    attr: Some(complex_attr),
    ..TypeDesc::new("complex", ids::OBJECT)
};

fn f64_at(vm: &Vm, o: Obj, i: usize) -> f64 {
    let lo = u64::from(vm.get_u32(o, i));
    let hi = u64::from(vm.get_u32(o, i + 1));
    f64::from_bits((hi << 32) | lo)
}

impl Vm {
    /// A new complex object.
    pub fn new_complex(&mut self, real: f64, imag: f64) -> PyResult<Obj> {
        let o = self.alloc(5)?;
        self.set(o, 0, super::type_obj(ids::COMPLEX));
        for (i, v) in [(1, real), (3, imag)] {
            let bits = v.to_bits();
            self.set_u32(o, i, bits as u32);
            self.set_u32(o, i + 1, (bits >> 32) as u32);
        }
        Ok(o)
    }

    /// True for a complex object.
    pub fn is_complex(&self, o: Obj) -> bool {
        o.is_heap_ref() && self.get(o, 0) == super::type_obj(ids::COMPLEX)
    }

    /// The (real, imag) parts of a complex, float or int (`None` for others).
    pub fn complex_parts(&self, o: Obj) -> Option<(f64, f64)> {
        if self.is_complex(o) {
            return Some((f64_at(self, o, 1), f64_at(self, o, 3)));
        }
        self.number_as_f64(o).map(|v| (v, 0.0))
    }

    /// The parts of any object a complex can be made of: a number, or an object with
    /// `__complex__` (which must return a complex) or `__float__`; else TypeError
    /// "can't convert X to complex".
    pub fn expect_complex(&mut self, o: Obj) -> PyResult<(f64, f64)> {
        if let Some(p) = self.complex_parts(o) {
            return Ok(p);
        }
        if self.is_user_class(self.type_of(o)) {
            if let Some(r) = crate::rt::call_dunder(self, o, "__complex__", &[])? {
                if !self.is_complex(r) {
                    return Err(self.type_error("__complex__ should return a complex object"));
                }
                return Ok(self.complex_parts(r).unwrap_or((0.0, 0.0)));
            }
            if let Some(r) = crate::rt::call_dunder(self, o, "__float__", &[])? {
                if let Some(v) = self.float_value(r) {
                    return Ok((v, 0.0));
                }
            }
        }
        let n = self.type_name(o);
        Err(self.type_error(&alloc::format!("can't convert {n} to complex")))
    }
}

/// Parses complex text (`1+2j`, `3j`, `(1-2j)`, `4.5`) as `complex(str)` does.
fn parse_complex_text(text: &[u8]) -> Option<(f64, f64)> {
    let t = core::str::from_utf8(text).ok()?.trim_ascii();
    let t = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')).unwrap_or(t).trim_ascii();
    let Some(body) = t.strip_suffix(['j', 'J']) else {
        return super::float::parse_float_text(t.as_bytes()).map(|r| (r, 0.0));
    };
    // Split at the last sign that is not part of an exponent.
    let bytes = body.as_bytes();
    let mut split = None;
    for i in (1..bytes.len()).rev() {
        if (bytes[i] == b'+' || bytes[i] == b'-') && !matches!(bytes[i - 1], b'e' | b'E') {
            split = Some(i);
            break;
        }
    }
    let imag_text = |s: &str| -> Option<f64> {
        match s {
            "" | "+" => Some(1.0),
            "-" => Some(-1.0),
            _ => super::float::parse_float_text(s.as_bytes()),
        }
    };
    match split {
        Some(i) => Some((super::float::parse_float_text(&bytes[..i])?, imag_text(&body[i..])?)),
        None => Some((0.0, imag_text(body)?)),
    }
}

fn complex_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args {
        [] => vm.new_complex(0.0, 0.0),
        [o] => {
            if vm.is_str(*o) {
                let b = vm.str_bytes(*o).unwrap_or_default();
                return match parse_complex_text(&b) {
                    Some((r, i)) => vm.new_complex(r, i),
                    None => Err(vm.value_error("invalid syntax for number")),
                };
            }
            if vm.is_complex(*o) {
                return Ok(*o);
            }
            let (r, i) = vm.expect_complex(*o)?;
            vm.new_complex(r, i)
        }
        [a, b, ..] => {
            let (ar, ai) = parts_or_error(vm, *a)?;
            let (br, bi) = parts_or_error(vm, *b)?;
            vm.new_complex(ar - bi, ai + br)
        }
    }
}

fn parts_or_error(vm: &mut Vm, o: Obj) -> PyResult<(f64, f64)> {
    match vm.complex_parts(o) {
        Some(p) => Ok(p),
        None => {
            let v = vm.expect_float(o)?;
            Ok((v, 0.0))
        }
    }
}

fn complex_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let (r, i) = vm.complex_parts(o).unwrap_or((0.0, 0.0));
    out.push_str(&super::float_fmt::complex_repr(r, i));
    Ok(())
}

fn complex_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    let (r, i) = vm.complex_parts(o).unwrap_or((0.0, 0.0));
    match vm.qstr_text(name).as_str() {
        "real" => vm.new_float(r).map(Some),
        "imag" => vm.new_float(i).map(Some),
        _ => Ok(None),
    }
}

fn complex_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let (r, i) = vm.complex_parts(o).unwrap_or((0.0, 0.0));
    Ok(Some(match op {
        rt::UNARY_BOOL => Obj::from_bool(r != 0.0 || i != 0.0),
        rt::UNARY_HASH => {
            let h = super::float::float_hash(r) ^ super::float::float_hash(i);
            vm.new_int(h)?
        }
        rt::UNARY_POSITIVE => o,
        rt::UNARY_NEGATIVE => vm.new_complex(-r, -i)?,
        rt::UNARY_ABS => vm.new_float(libm::hypot(r, i))?,
        _ => return Ok(None),
    }))
}

fn complex_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let (r, i) = vm.complex_parts(a).unwrap_or((0.0, 0.0));
    let plain = if (bop::INPLACE_OR..=bop::INPLACE_POWER).contains(&op) { op + bop::INPLACE_TO_PLAIN } else { op };
    complex_binary_parts(vm, plain, r, i, b)
}

/// Complex `(lr + li j) op b` (`op` in plain form); `None` if unsupported.
pub fn complex_binary_parts(vm: &mut Vm, op: u8, lr: f64, li: f64, b: Obj) -> PyResult<Option<Obj>> {
    let Some((rr, ri)) = vm.complex_parts(b) else {
        return Ok(match op {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    let mul = |a: f64, b: f64, c: f64, d: f64| (a * c - b * d, a * d + b * c);
    let (x, y) = match op {
        bop::EQUAL => return Ok(Some(Obj::from_bool(lr == rr && li == ri))),
        bop::NOT_EQUAL => return Ok(Some(Obj::from_bool(!(lr == rr && li == ri)))),
        bop::ADD => (lr + rr, li + ri),
        bop::SUBTRACT => (lr - rr, li - ri),
        bop::MULTIPLY => mul(lr, li, rr, ri),
        bop::FLOOR_DIVIDE => return Err(vm.type_error("can't truncate-divide a complex number")),
        bop::TRUE_DIVIDE => {
            if ri == 0.0 {
                if rr == 0.0 {
                    return Err(vm.new_error(ids::ZERO_DIVISION_ERROR, "complex divide by zero"));
                }
                (lr / rr, li / rr)
            } else if rr == 0.0 {
                (li / ri, -lr / ri)
            } else {
                let len_sq = rr * rr + ri * ri;
                mul(lr, li, rr / len_sq, ri / -len_sq)
            }
        }
        bop::POWER => {
            let abs1 = crate::modules::fmath::sqrt(lr * lr + li * li);
            if abs1 == 0.0 {
                if ri == 0.0 && rr >= 0.0 {
                    (if rr == 0.0 { 1.0 } else { 0.0 }, li)
                } else {
                    return Err(vm.new_error(ids::ZERO_DIVISION_ERROR, "0.0 to a complex power"));
                }
            } else {
                let ln1 = crate::modules::fmath::log(abs1);
                let arg1 = crate::modules::fmath::atan2(li, lr);
                let x3 = rr * ln1 - ri * arg1;
                let y3 = ri * ln1 + rr * arg1;
                let e = crate::modules::fmath::exp(x3);
                (e * crate::modules::fmath::cos(y3), e * crate::modules::fmath::sin(y3))
            }
        }
        _ => return Ok(None),
    };
    vm.new_complex(x, y).map(Some)
}
