//! The `time` module over the VM's [`Host`](super::Host) clocks: `time`,
//! `time_ns`, `sleep`, `sleep_ms`, `sleep_us`, `ticks_ms`, `ticks_us`,
//! `ticks_cpu`, `ticks_diff`, `ticks_add` (ticks wrap at 2^30 as in MicroPython).

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::NativeFn;
use crate::vm::Vm;

/// Native functions of `time`.
pub static FUNCTIONS: &[(&str, NativeFn)] = &[
    ("time", time),
    ("time_ns", time_ns),
    ("sleep", sleep),
    ("sleep_ms", sleep_ms),
    ("sleep_us", sleep_us),
    ("ticks_ms", ticks_ms),
    ("ticks_us", ticks_us),
    ("ticks_cpu", ticks_us),
    ("ticks_diff", ticks_diff),
    ("ticks_add", ticks_add),
];

const TICKS_PERIOD: i64 = 1 << 30;

fn time(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = vm.st.sys.host.time_ns() / 1_000_000_000;
    vm.new_int(s as i64)
}

fn time_ns(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let ns = vm.st.sys.host.time_ns();
    vm.new_int(ns as i64)
}

fn sleep_for(vm: &mut Vm, args: &[Obj], scale: u64) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let n = vm.expect_int(a)?;
    if n > 0 {
        vm.st.sys.host.sleep_us((n as u64).saturating_mul(scale));
    }
    vm.check_interrupt()?;
    Ok(Obj::NONE)
}

fn sleep(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    sleep_for(vm, args, 1_000_000)
}

fn sleep_ms(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    sleep_for(vm, args, 1000)
}

fn sleep_us(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    sleep_for(vm, args, 1)
}

fn ticks_ms(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let t = (vm.st.sys.host.ticks_us() / 1000) as i64 & (TICKS_PERIOD - 1);
    vm.new_int(t)
}

fn ticks_us(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let t = vm.st.sys.host.ticks_us() as i64 & (TICKS_PERIOD - 1);
    vm.new_int(t)
}

fn ticks_diff(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let b = crate::builtins::arg(vm, args, 1)?;
    let (a, b) = (vm.expect_int(a)?, vm.expect_int(b)?);
    let d = (a.wrapping_sub(b).wrapping_add(TICKS_PERIOD / 2)) & (TICKS_PERIOD - 1);
    vm.new_int(d - TICKS_PERIOD / 2)
}

fn ticks_add(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let b = crate::builtins::arg(vm, args, 1)?;
    let (a, b) = (vm.expect_int(a)?, vm.expect_int(b)?);
    vm.new_int(a.wrapping_add(b) & (TICKS_PERIOD - 1))
}
