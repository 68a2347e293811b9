//! The `cmath` module (MicroPython's set: `phase`, `polar`, `rect`, `exp`,
//! `log`, `log10`, `sqrt`, `cos`, `sin`, `e`, `pi`), with `libm`.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::NativeFn;
use crate::vm::Vm;

use super::{float_arg, set_float};

/// `cmath`'s functions.
pub static FUNCTIONS: [(&str, NativeFn); 9] = [
    ("cos", cos),
    ("exp", exp),
    ("log", log),
    ("log10", log10),
    ("phase", phase),
    ("polar", polar),
    ("rect", rect),
    ("sin", sin),
    ("sqrt", sqrt),
];

/// Adds `e` and `pi`.
pub fn init(vm: &mut Vm, globals: Obj) -> PyResult<()> {
    set_float(vm, globals, "e", core::f64::consts::E)?;
    set_float(vm, globals, "pi", core::f64::consts::PI)
}

fn parts(vm: &mut Vm, args: &[Obj]) -> PyResult<(f64, f64)> {
    let z = crate::builtins::arg(vm, args, 0)?;
    vm.expect_complex(z)
}

fn phase(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    vm.new_float(crate::modules::fmath::atan2(i, r))
}

fn polar(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    let a = vm.new_float(crate::modules::fmath::sqrt(r * r + i * i))?;
    vm.root(a);
    let b = vm.new_float(crate::modules::fmath::atan2(i, r))?;
    vm.root(b);
    vm.new_tuple(&[a, b])
}

fn rect(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let r = float_arg(vm, args, 0)?;
    let phi = float_arg(vm, args, 1)?;
    vm.new_complex(r * crate::modules::fmath::cos(phi), r * crate::modules::fmath::sin(phi))
}

fn exp(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    let e = crate::modules::fmath::exp(r);
    vm.new_complex(e * crate::modules::fmath::cos(i), e * crate::modules::fmath::sin(i))
}

fn log(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    vm.new_complex(0.5 * crate::modules::fmath::log(r * r + i * i), crate::modules::fmath::atan2(i, r))
}

fn log10(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    vm.new_complex(
        0.5 * crate::modules::fmath::log10(r * r + i * i),
        core::f64::consts::LOG10_E * crate::modules::fmath::atan2(i, r),
    )
}

fn sqrt(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    let a = crate::modules::fmath::pow(r * r + i * i, 0.25);
    let theta = 0.5 * crate::modules::fmath::atan2(i, r);
    vm.new_complex(a * crate::modules::fmath::cos(theta), a * crate::modules::fmath::sin(theta))
}

fn cos(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    vm.new_complex(
        crate::modules::fmath::cos(r) * crate::modules::fmath::cosh(i),
        -crate::modules::fmath::sin(r) * crate::modules::fmath::sinh(i),
    )
}

fn sin(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (r, i) = parts(vm, args)?;
    vm.new_complex(
        crate::modules::fmath::sin(r) * crate::modules::fmath::cosh(i),
        crate::modules::fmath::cos(r) * crate::modules::fmath::sinh(i),
    )
}
