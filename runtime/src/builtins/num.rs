//! Number builtins: `divmod`, `pow`, `hex`, `oct`, `bin`, `round` (big ints and
//! floats as MicroPython).

use ferropy_bytecode::opcode::binary as bop;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::arg;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// `divmod(a, b)`.
pub fn divmod(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (a, b) = (arg(vm, args, 0)?, arg(vm, args, 1)?);
    if vm.is_float(a) || vm.is_float(b) {
        if let (Some(x), Some(y)) = (vm.number_as_f64(a), vm.number_as_f64(b)) {
            if y == 0.0 {
                return Err(vm.new_error(crate::types::ids::ZERO_DIVISION_ERROR, "divide by zero"));
            }
            let (q, r) = crate::types::float::float_divmod(x, y);
            let q = vm.new_float(q)?;
            vm.root(q);
            let r = vm.new_float(r)?;
            vm.root(r);
            return vm.new_tuple(&[q, r]);
        }
    }
    let q = vm.binary_op(bop::FLOOR_DIVIDE, a, b)?;
    vm.root(q);
    let r = vm.binary_op(bop::MODULO, a, b)?;
    vm.root(r);
    vm.new_tuple(&[q, r])
}

/// `pow(a, b)` / `pow(a, b, m)`.
pub fn pow(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (a, b) = (arg(vm, args, 0)?, arg(vm, args, 1)?);
    match args.get(2) {
        // pow(x, y, None) is pow(x, y).
        Some(&m) if m != Obj::NONE => crate::types::int::int_pow3(vm, a, b, m),
        _ => vm.binary_op(bop::POWER, a, b),
    }
}

fn radix(vm: &mut Vm, args: &[Obj], prefix: &str, base: u32) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let n = match vm.bigint_value(o) {
        Some(n) => n,
        None => {
            let n = vm.type_name(o);
            return Err(vm.type_error(&alloc::format!("can't convert {n} to int")));
        }
    };
    let body = n.abs().to_str_radix(base);
    let sign = if n.is_negative() { "-" } else { "" };
    let s = alloc::format!("{sign}{prefix}{body}");
    vm.new_str(&s)
}

/// `hex(x)`.
pub fn hex(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    radix(vm, args, "0x", 16)
}

/// `bin(x)`.
pub fn bin(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    radix(vm, args, "0b", 2)
}

/// `oct(x)`.
pub fn oct(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    radix(vm, args, "0o", 8)
}

/// `round(x[, ndigits])`: banker's rounding, as MicroPython.
pub fn round(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    super::check_count(vm, args, 1, 2)?;
    let o = arg(vm, args, 0)?;
    if let Some(v) = vm.bigint_value(o) {
        let Some(&nd) = args.get(1) else { return vm.new_bigint(&v) };
        let nd = vm.expect_int(nd)?;
        if nd >= 0 {
            return vm.new_bigint(&v);
        }
        let exp = u32::try_from(nd.unsigned_abs()).unwrap_or(u32::MAX).min(1 << 16);
        let mult: BigInt = num_traits::Pow::pow(BigInt::from(10), exp);
        let half: BigInt = &mult / 2;
        let modulo = num_integer::Integer::mod_floor(&v, &mult);
        let rounded = &v - &modulo;
        let up = if half > modulo {
            false
        } else if modulo > half {
            true
        } else {
            let floor = num_integer::Integer::div_floor(&v, &mult);
            (floor & BigInt::from(1)) == BigInt::from(1)
        };
        let r = if up { rounded + mult } else { rounded };
        return vm.new_bigint(&r);
    }
    let val = vm.expect_float(o)?;
    match args.get(1) {
        Some(&nd) => {
            let nd = vm.expect_int(nd)?;
            let mult = libm::pow(10.0, nd.to_f64().unwrap_or(0.0));
            vm.new_float(libm::rint(val * mult) / mult)
        }
        _ => vm.int_from_float(libm::rint(val)),
    }
}
