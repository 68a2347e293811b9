//! The `gc` module, backed by the VM's collector (`Gc` trait) and its statistics.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::NativeFn;
use crate::vm::Vm;

/// Native functions of `gc`.
pub static FUNCTIONS: &[(&str, NativeFn)] = &[
    ("collect", collect),
    ("enable", enable),
    ("disable", disable),
    ("isenabled", isenabled),
    ("mem_free", mem_free),
    ("mem_alloc", mem_alloc),
    ("threshold", threshold),
];

fn collect(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    vm.collect();
    Ok(Obj::NONE)
}

fn enable(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    vm.heap.gc.set_enabled(true);
    Ok(Obj::NONE)
}

fn disable(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    vm.heap.gc.set_enabled(false);
    Ok(Obj::NONE)
}

fn isenabled(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::from_bool(vm.heap.gc.is_enabled()))
}

fn mem_free(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = vm.heap.gc.stats();
    vm.new_int(s.free_bytes as i64)
}

fn mem_alloc(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = vm.heap.gc.stats();
    vm.new_int(s.used_bytes as i64)
}

/// `gc.threshold()` returns the threshold in bytes (-1 = none); `gc.threshold(n)` sets it.
fn threshold(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        None => {
            let t = vm.heap.gc.threshold().map(|b| b as i64).unwrap_or(-1);
            vm.new_int(t)
        }
        Some(&a) => {
            let n = vm.expect_int(a)?;
            vm.heap.gc.set_threshold(usize::try_from(n).ok());
            Ok(Obj::NONE)
        }
    }
}
