//! `NoneType`, `ellipsis` and `NotImplementedType`: immediate singletons.

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The type of `None`.
pub static NONE_TYPE: TypeDesc =
    TypeDesc { print: Some(const_print), unary_op: Some(none_unary), ..TypeDesc::new("NoneType", ids::OBJECT) };

/// The type of `...`.
pub static ELLIPSIS_TYPE: TypeDesc = TypeDesc { print: Some(const_print), ..TypeDesc::new("ellipsis", ids::OBJECT) };

/// The type of `NotImplemented`.
pub static NOT_IMPLEMENTED_TYPE: TypeDesc =
    TypeDesc { print: Some(const_print), ..TypeDesc::new("NotImplementedType", ids::OBJECT) };

fn const_print(_vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str(match o {
        Obj::ELLIPSIS => "Ellipsis",
        Obj::NOT_IMPLEMENTED => "NotImplemented",
        _ => "None",
    });
    Ok(())
}

fn none_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    Ok(match op {
        crate::rt::UNARY_BOOL => Some(Obj::FALSE),
        crate::rt::UNARY_HASH => Some(vm.new_int(i64::from(o.raw() >> 2))?),
        _ => None,
    })
}
