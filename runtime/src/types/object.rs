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
    methods: &[
        Method::new("__init__", object_init),
        Method::new_static("__new__", object_new),
        Method::new("__setattr__", object_setattr),
        Method::new("__delattr__", object_delattr),
    ],
    buffer: None,
    class_attr: None,
};

fn object_make_new(vm: &mut Vm, _t: Obj, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = vm.alloc(2)?;
    vm.set(o, 0, super::type_obj(super::ids::OBJECT));
    Ok(o)
}

/// `object.__init__(self, ...)`: for an instance of a class derived from a
/// built-in type, rebuilds its native part from the arguments (as
/// MicroPython does for `super().__init__(...)`).
fn object_init(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    if let Some((&this, rest)) = args.split_first() {
        if vm.native_self(this) != this {
            let native = vm.class_native_base(vm.type_of(this));
            if let Some(f) = super::desc(native).and_then(|d| d.make_new) {
                let sub = f(vm, super::type_obj(native), rest, kw)?;
                vm.set(this, 2, sub);
            }
        }
    }
    Ok(Obj::NONE)
}

/// `object.__new__(cls)`: a bare instance of `cls`.
fn object_new(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&cls) if vm.is_user_class(cls) => super::class::new_instance(vm, cls, &[], &[]),
        Some(&cls) if cls == super::type_obj(super::ids::OBJECT) => object_make_new(vm, cls, &[], &[]),
        _ => Err(vm.type_error("__new__ arg must be a user-type")),
    }
}

fn attr_name(vm: &mut Vm, o: Obj) -> PyResult<crate::qstr::Qstr> {
    let text = vm.expect_str(o)?;
    vm.intern(&text)
}

/// `object.__setattr__(self, name, value)`: stores without the hook.
fn object_setattr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args {
        [o, n, v] => {
            let q = attr_name(vm, *n)?;
            vm.store_attr_raw(*o, q, *v)?;
            Ok(Obj::NONE)
        }
        _ => Err(vm.type_error("function takes 3 positional arguments")),
    }
}

/// `object.__delattr__(self, name)`: deletes without the hook.
fn object_delattr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args {
        [o, n] => {
            let q = attr_name(vm, *n)?;
            vm.store_attr_raw(*o, q, Obj::NULL)?;
            Ok(Obj::NONE)
        }
        _ => Err(vm.type_error("function takes 2 positional arguments")),
    }
}
