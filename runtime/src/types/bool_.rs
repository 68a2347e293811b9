//! `bool`: the immediates True and False (a subclass of int).

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The `bool` type.
pub static BOOL_TYPE: TypeDesc = TypeDesc {
    make_new: Some(bool_make_new),
    print: Some(bool_print),
    unary_op: Some(bool_unary),
    binary_op: Some(super::int::int_binary),
    ..TypeDesc::new("bool", ids::OBJECT)
};

fn bool_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&o) => Ok(Obj::from_bool(vm.is_true(o)?)),
        None => Ok(Obj::FALSE),
    }
}

fn bool_print(_vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str(if o == Obj::TRUE { "True" } else { "False" });
    Ok(())
}

fn bool_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    if op == crate::rt::UNARY_BOOL {
        return Ok(Some(o));
    }
    let v = Obj::from_small_int(i32::from(o == Obj::TRUE)).unwrap_or(Obj::NONE);
    vm.unary_op_opt(op, v)
}
