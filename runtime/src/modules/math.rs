//! The `math` module (the functions and constants of MicroPython's unix port),
//! computed with `libm` so it works without `std`.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, NativeFn};
use crate::vm::Vm;

use super::{float_arg, set_float};

/// `math`'s functions.
pub static FUNCTIONS: [(&str, NativeFn); 40] = [
    ("acos", acos),
    ("acosh", acosh),
    ("asin", asin),
    ("asinh", asinh),
    ("atan", atan),
    ("atan2", atan2),
    ("atanh", atanh),
    ("ceil", ceil),
    ("copysign", copysign),
    ("cos", cos),
    ("cosh", cosh),
    ("degrees", degrees),
    ("erf", erf),
    ("erfc", erfc),
    ("exp", exp),
    ("expm1", expm1),
    ("fabs", fabs),
    ("factorial", factorial),
    ("floor", floor),
    ("fmod", fmod),
    ("frexp", frexp),
    ("gamma", gamma),
    ("isclose", isclose),
    ("isfinite", isfinite),
    ("isinf", isinf),
    ("isnan", isnan),
    ("ldexp", ldexp),
    ("lgamma", lgamma),
    ("log", log),
    ("log10", log10),
    ("log2", log2),
    ("modf", modf),
    ("pow", pow),
    ("radians", radians),
    ("sin", sin),
    ("sinh", sinh),
    ("sqrt", sqrt),
    ("tan", tan),
    ("tanh", tanh),
    ("trunc", trunc),
];

/// Adds `e`, `pi`, `tau`, `inf`, `nan`.
pub fn init(vm: &mut Vm, globals: Obj) -> PyResult<()> {
    set_float(vm, globals, "e", core::f64::consts::E)?;
    set_float(vm, globals, "pi", core::f64::consts::PI)?;
    set_float(vm, globals, "tau", core::f64::consts::TAU)?;
    set_float(vm, globals, "inf", f64::INFINITY)?;
    set_float(vm, globals, "nan", f64::NAN)
}

fn domain_error(vm: &mut Vm) -> crate::error::PyErr {
    vm.value_error("math domain error")
}

fn generic1(vm: &mut Vm, args: &[Obj], f: fn(f64) -> f64) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    let r = f(x);
    if (r.is_nan() && !x.is_nan()) || (r.is_infinite() && !x.is_infinite()) {
        return Err(domain_error(vm));
    }
    vm.new_float(r)
}

fn generic2(vm: &mut Vm, args: &[Obj], f: fn(f64, f64) -> f64) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    let y = float_arg(vm, args, 1)?;
    let r = f(x, y);
    if (r.is_nan() && !x.is_nan() && !y.is_nan()) || (r.is_infinite() && !x.is_infinite() && !y.is_infinite()) {
        return Err(domain_error(vm));
    }
    vm.new_float(r)
}

macro_rules! fun1 {
    ($name:ident, $f:expr) => {
        fn $name(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
            generic1(vm, args, $f)
        }
    };
}

macro_rules! fun2 {
    ($name:ident, $f:expr) => {
        fn $name(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
            generic2(vm, args, $f)
        }
    };
}

fun1!(sqrt, crate::modules::fmath::sqrt);
fun1!(exp, crate::modules::fmath::exp);
fun1!(expm1, crate::modules::fmath::expm1);
fun1!(log2, crate::modules::fmath::log2);
fun1!(log10, crate::modules::fmath::log10);
fun1!(cosh, crate::modules::fmath::cosh);
fun1!(sinh, crate::modules::fmath::sinh);
fun1!(tanh, crate::modules::fmath::tanh);
fun1!(acosh, crate::modules::fmath::acosh);
fun1!(asinh, crate::modules::fmath::asinh);
fun1!(atanh, crate::modules::fmath::atanh);
fun1!(cos, crate::modules::fmath::cos);
fun1!(sin, crate::modules::fmath::sin);
fun1!(tan, crate::modules::fmath::tan);
fun1!(acos, crate::modules::fmath::acos);
fun1!(asin, crate::modules::fmath::asin);
fun1!(atan, crate::modules::fmath::atan);
fun1!(fabs, libm::fabs);
fun1!(erf, libm::erf);
fun1!(erfc, libm::erfc);
fun1!(lgamma, libm::lgamma);
fun2!(copysign, |x, y| libm::copysign(x, if y.is_nan() { 0.0 } else { y }));
fun2!(fmod, |x, y| if !x.is_infinite() && y.is_infinite() { x } else { libm::fmod(x, y) });
fun2!(pow, |x, y| if x == 1.0 || y == 0.0 {
    1.0
} else if y.is_nan() {
    y
} else {
    crate::modules::fmath::pow(x, y)
});
fun2!(atan2, |y, x| if y.is_infinite() && x.is_infinite() {
    let q = if x < 0.0 { 3.0 * core::f64::consts::FRAC_PI_4 } else { core::f64::consts::FRAC_PI_4 };
    libm::copysign(q, y)
} else {
    crate::modules::fmath::atan2(y, x)
});

fn gamma(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    if x.is_infinite() && x < 0.0 {
        return Err(domain_error(vm));
    }
    generic1(vm, args, libm::tgamma)
}

fn to_int(vm: &mut Vm, args: &[Obj], f: fn(f64) -> f64) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    vm.int_from_float(f(x))
}

fn ceil(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    to_int(vm, args, libm::ceil)
}

fn floor(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    to_int(vm, args, libm::floor)
}

fn trunc(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    to_int(vm, args, libm::trunc)
}

fn to_bool(vm: &mut Vm, args: &[Obj], f: fn(f64) -> bool) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    Ok(Obj::from_bool(f(x)))
}

fn isfinite(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    to_bool(vm, args, f64::is_finite)
}

fn isinf(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    to_bool(vm, args, f64::is_infinite)
}

fn isnan(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    to_bool(vm, args, f64::is_nan)
}

fn ldexp(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    let e = crate::builtins::arg(vm, args, 1)?;
    let e = vm.expect_int(e)?;
    let e = e.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    vm.new_float(libm::ldexp(x, e))
}

fn kwarg(vm: &Vm, kw: &[Obj], name: &str) -> Option<Obj> {
    kw.chunks(2).find(|p| p.len() == 2 && vm.str_text(p[0]).as_deref() == Some(name)).map(|p| p[1])
}

fn isclose(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let a = float_arg(vm, args, 0)?;
    let b = float_arg(vm, args, 1)?;
    let rel_tol = match kwarg(vm, kw, "rel_tol") {
        Some(o) => vm.expect_float(o)?,
        None => 1e-9,
    };
    let abs_tol = match kwarg(vm, kw, "abs_tol") {
        Some(o) => vm.expect_float(o)?,
        None => 0.0,
    };
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(domain_error(vm));
    }
    if a == b {
        return Ok(Obj::TRUE);
    }
    let d = libm::fabs(a - b);
    if d.is_infinite() {
        return Ok(Obj::FALSE);
    }
    Ok(Obj::from_bool(d <= abs_tol || d <= libm::fabs(rel_tol * a) || d <= libm::fabs(rel_tol * b)))
}

fn log(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    if x <= 0.0 {
        return Err(domain_error(vm));
    }
    let l = crate::modules::fmath::log(x);
    if args.len() < 2 {
        return vm.new_float(l);
    }
    let base = float_arg(vm, args, 1)?;
    if base <= 0.0 {
        return Err(domain_error(vm));
    }
    if base == 1.0 {
        return Err(vm.new_error(ids::ZERO_DIVISION_ERROR, "divide by zero"));
    }
    vm.new_float(l / crate::modules::fmath::log(base))
}

fn pair(vm: &mut Vm, a: f64, b: Obj) -> PyResult<Obj> {
    vm.root(b);
    let a = vm.new_float(a)?;
    vm.root(a);
    vm.new_tuple(&[a, b])
}

fn frexp(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    let (m, e) = libm::frexp(x);
    let e = vm.new_int(i64::from(e))?;
    pair(vm, m, e)
}

fn modf(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    let (frac, int) = libm::modf(x);
    let frac = if frac == 0.0 { libm::copysign(frac, x) } else { frac };
    let i = vm.new_float(int)?;
    pair(vm, frac, i)
}

fn radians(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    vm.new_float(x * (core::f64::consts::PI / 180.0))
}

fn degrees(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let x = float_arg(vm, args, 0)?;
    vm.new_float(x * (180.0 / core::f64::consts::PI))
}

fn factorial(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let n = crate::builtins::arg(vm, args, 0)?;
    let n = vm.expect_int(n)?;
    if n < 0 {
        return Err(vm.value_error("negative factorial"));
    }
    if n > 100_000 {
        return Err(vm.memory_error());
    }
    let mut acc = num_bigint::BigInt::from(1);
    for i in 2..=n {
        acc *= i;
    }
    vm.new_bigint(&acc)
}
