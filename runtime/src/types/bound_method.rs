//! Bound methods: `[type, function, self]`.

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The bound-method type.
pub static BOUND_METHOD_TYPE: TypeDesc = TypeDesc {
    print: Some(bound_print),
    attr: Some(bound_attr),
    unary_op: Some(bound_unary),
    binary_op: Some(bound_binary),
    ..TypeDesc::new("bound_method", ids::OBJECT)
};

/// `__name__` (the function's).
fn bound_attr(vm: &mut Vm, o: Obj, name: crate::qstr::Qstr) -> PyResult<Option<Obj>> {
    match vm.qstr_text(name).as_str() {
        "__name__" => {
            let f = vm.get(o, 1);
            vm.load_attr_opt(f, name)
        }
        _ => Ok(None),
    }
}

/// Hash from the function and the bound object's identities.
fn bound_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    if op != crate::rt::UNARY_HASH {
        return Ok(None);
    }
    let h = (vm.get(o, 1).raw() ^ vm.get(o, 2).raw()) >> 2;
    Ok(Some(vm.new_int(i64::from(h))?))
}

/// Two bound methods are equal when they bind the same function to the same object.
fn bound_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if op != ferropy_bytecode::opcode::binary::EQUAL {
        return Ok(None);
    }
    if vm.type_of(b) != vm.type_of(a) {
        return Ok(Some(Obj::FALSE));
    }
    Ok(Some(Obj::from_bool(vm.get(a, 1) == vm.get(b, 1) && vm.get(a, 2) == vm.get(b, 2))))
}

fn bound_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("<bound_method>");
    let _ = (vm, o);
    Ok(())
}
