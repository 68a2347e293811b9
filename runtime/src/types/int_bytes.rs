//! `int.from_bytes` and `int.to_bytes` (unsigned by default, as MicroPython).

use num_bigint::{BigInt, Sign};
use num_traits::Signed;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

fn kwarg(vm: &Vm, kw: &[Obj], name: &str) -> Option<Obj> {
    kw.chunks(2).find(|p| p.len() == 2 && vm.str_text(p[0]).as_deref() == Some(name)).map(|p| p[1])
}

fn little_endian(vm: &mut Vm, order: Option<Obj>) -> PyResult<bool> {
    match order.and_then(|o| vm.str_text(o)).as_deref() {
        Some("little") => Ok(true),
        Some("big") | None => Ok(false),
        Some(_) => Err(vm.value_error("invalid byteorder")),
    }
}

/// `int.from_bytes(bytes, byteorder='big', signed=False)`.
pub fn from_bytes(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    // Called as a static method: skip the type object when it is passed.
    let args = if args.first().is_some_and(|&a| vm.is_class(a)) { &args[1..] } else { args };
    let Some(&data) = args.first() else {
        return Err(vm.type_error("function missing required positional argument"));
    };
    let Some(mut bytes) = vm.str_bytes(data).filter(|_| !vm.is_str(data)) else {
        let n = vm.type_name(data);
        return Err(vm.type_error(&alloc::format!("object with buffer protocol required, not '{n}'")));
    };
    let little = little_endian(vm, args.get(1).copied().or_else(|| kwarg(vm, kw, "byteorder")))?;
    let signed = match args.get(2).copied().or_else(|| kwarg(vm, kw, "signed")) {
        Some(s) => vm.is_true(s)?,
        None => false,
    };
    if !little {
        bytes.reverse();
    }
    let mut v = BigInt::from_bytes_le(Sign::Plus, &bytes);
    if signed && bytes.last().is_some_and(|b| b & 0x80 != 0) {
        v -= BigInt::from(1) << (bytes.len() * 8);
    }
    vm.new_bigint(&v)
}

/// `int.to_bytes(length, byteorder='big', signed=False)`.
pub fn to_bytes(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let v = vm.expect_bigint(args.first().copied().unwrap_or(Obj::NONE))?;
    let len = match args.get(1).copied().or_else(|| kwarg(vm, kw, "length")) {
        Some(l) => vm.expect_int(l)?,
        None => 1,
    };
    if len < 0 {
        return Err(vm.value_error("negative count"));
    }
    let len = len as usize;
    let little = little_endian(vm, args.get(2).copied().or_else(|| kwarg(vm, kw, "byteorder")))?;
    let signed = match args.get(3).copied().or_else(|| kwarg(vm, kw, "signed")) {
        Some(s) => vm.is_true(s)?,
        None => false,
    };
    if v.is_negative() && !signed {
        return Err(vm.new_error(super::ids::OVERFLOW_ERROR, "can't convert negative int to unsigned"));
    }
    let mut bytes = v.to_signed_bytes_le();
    // Unsigned values may drop a sign-only top byte.
    if !signed && bytes.len() > 1 && bytes.last() == Some(&0) {
        bytes.pop();
    }
    if bytes.len() > len && v.bits() != 0 {
        let msg = alloc::format!("value would overflow a {len} byte buffer");
        return Err(vm.new_error(super::ids::OVERFLOW_ERROR, &msg));
    }
    let fill = if v.is_negative() { 0xff } else { 0 };
    bytes.resize(len, fill);
    if !little {
        bytes.reverse();
    }
    vm.new_bytes(&bytes)
}
