//! Bound methods: `[type, function, self]`.

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The bound-method type.
pub static BOUND_METHOD_TYPE: TypeDesc =
    TypeDesc { print: Some(bound_print), ..TypeDesc::new("bound_method", ids::OBJECT) };

fn bound_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("<bound_method>");
    let _ = (vm, o);
    Ok(())
}
