//! `machine.mem8`, `mem16`, `mem32`: memory as arrays indexed by address
//! (`mem32[addr] = v`). Addresses are `uctypes` addresses (positions in the
//! VM's heap, bounds-checked); wider accesses must be aligned. An object is
//! `[type, width in bytes]`.

use alloc::string::String;

use crate::error::PyResult;
use crate::modules::uctypes::{mem_read, mem_write};
use crate::obj::Obj;
use crate::types::{ids, TypeDesc};
use crate::vm::Vm;

/// The type of `mem8`/`mem16`/`mem32`.
pub static MEM_TYPE: TypeDesc =
    TypeDesc { print: Some(mem_print), subscr: Some(mem_subscr), ..TypeDesc::new("mem", ids::OBJECT) };

/// The object for `width`-byte accesses.
pub fn new_mem(vm: &mut Vm, width: i32) -> PyResult<Obj> {
    let o = vm.alloc(2)?;
    vm.set(o, 0, crate::types::type_obj(ids::MACHINE_MEM));
    vm.set(o, 1, Obj::from_small_int(width).unwrap_or(Obj::NONE));
    Ok(o)
}

fn mem_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let w = vm.get(o, 1).small_int_value().unwrap_or(1);
    out.push_str(&alloc::format!("<{}-bit memory>", w * 8));
    Ok(())
}

fn mem_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    let w = vm.get(o, 1).small_int_value().unwrap_or(1) as usize;
    if value.is_null() {
        return Err(vm.type_error("can't delete memory"));
    }
    if !vm.is_int(index) {
        return Err(vm.type_error("memory index must be an address"));
    }
    let a = vm.expect_bigint(index)?;
    let addr = u64::try_from(a).map_err(|_| vm.value_error("bad address"))?;
    if addr % w as u64 != 0 {
        return Err(vm.value_error("memory address not aligned"));
    }
    let mut b = [0u8; 4];
    if value == Obj::SENTINEL {
        mem_read(vm, addr, &mut b[..w])?;
        return vm.new_uint(u32::from_le_bytes(b) as u64);
    }
    let v = vm.expect_bigint(value)?;
    let m: num_bigint::BigInt = v & num_bigint::BigInt::from(u32::MAX);
    let v = u32::try_from(m).unwrap_or(0);
    mem_write(vm, addr, &v.to_le_bytes()[..w])?;
    Ok(Obj::NONE)
}
