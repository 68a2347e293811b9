//! `object`: the root of the hierarchy.

use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The `object` type.
pub static OBJECT_TYPE: TypeDesc = TypeDesc {
    name: "object",
    base: None,
    subclassable: true,
    make_new: Some(object_make_new),
    print: None,
    call: None,
    unary_op: None,
    binary_op: None,
    attr: None,
    subscr: None,
    getiter: None,
    iternext: None,
    methods: &[Method::new("__init__", object_init)],
    buffer: None,
};

fn object_make_new(vm: &mut Vm, _t: Obj, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = vm.alloc(2)?;
    vm.set(o, 0, super::type_obj(super::ids::OBJECT));
    Ok(o)
}

fn object_init(_vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::NONE)
}
