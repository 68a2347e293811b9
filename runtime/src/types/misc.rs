//! Small types: modules (`[type, globals, name]`), `super` (`[type, class, self]`),
//! `staticmethod`/`classmethod` (`[type, function]`), `property`
//! (`[type, getter, setter, deleter]`). String formatting is in `format.rs`.

use alloc::string::String;

use super::ids;
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::Vm;

/// The module type.
pub static MODULE_TYPE: TypeDesc = TypeDesc { print: Some(module_print), ..TypeDesc::new("module", ids::OBJECT) };

/// `super`.
pub static SUPER_TYPE: TypeDesc = TypeDesc {
    make_new: Some(super_make_new),
    attr: Some(super_attr),
    print: Some(super_print),
    ..TypeDesc::new("super", ids::OBJECT)
};

fn super_print(vm: &mut Vm, s: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("<super: ");
    vm.print_obj(vm.get(s, 1), out, true)?;
    out.push_str(", ");
    vm.print_obj(vm.get(s, 2), out, true)?;
    out.push('>');
    Ok(())
}

/// `staticmethod`.
pub static STATICMETHOD_TYPE: TypeDesc = TypeDesc {
    make_new: Some(wrapper_make_new),
    print: Some(wrapper_print),
    ..TypeDesc::new("staticmethod", ids::OBJECT)
};

/// `classmethod`.
pub static CLASSMETHOD_TYPE: TypeDesc = TypeDesc {
    make_new: Some(wrapper_make_new),
    print: Some(wrapper_print),
    ..TypeDesc::new("classmethod", ids::OBJECT)
};

/// `<staticmethod>` / `<classmethod>`, as MicroPython prints them.
fn wrapper_print(vm: &mut Vm, w: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str(&alloc::format!("<{}>", vm.type_name(w)));
    Ok(())
}

/// `property`.
pub static PROPERTY_TYPE: TypeDesc = TypeDesc {
    make_new: Some(property_make_new),
    methods: &[
        Method::new("setter", property_setter),
        Method::new("getter", property_getter),
        Method::new("deleter", property_deleter),
    ],
    ..TypeDesc::new("property", ids::OBJECT)
};

fn module_print(vm: &mut Vm, m: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let name = vm.get(m, 2);
    let n = vm.str_text(name).unwrap_or_default();
    let g = vm.get(m, 1);
    let file = if vm.is_dict(g) { vm.dict_get_str(g, "__file__")? } else { None };
    match file.and_then(|f| vm.str_text(f)) {
        Some(f) => out.push_str(&alloc::format!("<module '{n}' from '{f}'>")),
        None => out.push_str(&alloc::format!("<module '{n}'>")),
    }
    Ok(())
}

impl Vm {
    /// A new module object with its globals dict.
    pub fn new_module(&mut self, name: &str, globals: Obj) -> PyResult<Obj> {
        let n = self.qstr_obj(name)?;
        let m = self.alloc(3)?;
        self.set(m, 0, super::type_obj(ids::MODULE));
        self.set(m, 1, globals);
        self.set(m, 2, n);
        Ok(m)
    }

    /// Finds `name` in the bases of `cls` (skipping `cls`), as `super()` does.
    pub fn super_lookup(&mut self, cls: Obj, name: Qstr) -> PyResult<Option<(Obj, Option<super::MethodKind>)>> {
        if !self.is_user_class(cls) {
            return Ok(None);
        }
        for b in self.tuple_items(self.get(cls, 2)) {
            if let Some(found) = self.class_lookup(b, name, 0)? {
                return Ok(Some(found));
            }
        }
        let obj_t = super::type_obj(ids::OBJECT);
        self.class_lookup(obj_t, name, 0)
    }
}

fn super_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let [cls, obj] = args else { return Err(vm.type_error("super() requires 2 arguments")) };
    if !vm.is_class(*cls) {
        return Err(vm.type_error("first argument to super() must be type"));
    }
    let obj_cls = if vm.is_class(*obj) { *obj } else { vm.type_of(*obj) };
    if !vm.is_subclass(obj_cls, *cls) {
        return Err(vm.type_error("super(type, obj): obj must be an instance or subtype of type"));
    }
    let s = vm.alloc(3)?;
    vm.set(s, 0, super::type_obj(ids::SUPER));
    vm.set(s, 1, *cls);
    vm.set(s, 2, *obj);
    Ok(s)
}

/// True for a built-in method of `object` itself (`__init__`, ...), which acts
/// on the whole instance, not on the native part of a built-in subclass's.
pub(crate) fn is_object_method(f: Obj) -> bool {
    f.static_object_id().is_some_and(|id| {
        id >= crate::builtins::METHOD_ID_BASE && (id - crate::builtins::METHOD_ID_BASE) >> 8 == ids::OBJECT
    })
}

fn super_attr(vm: &mut Vm, s: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    let (cls, obj) = (vm.get(s, 1), vm.get(s, 2));
    match vm.super_lookup(cls, name)? {
        Some((f, kind)) => {
            let ft = vm.type_of(f);
            if ft == super::type_obj(ids::CLASSMETHOD) || kind == Some(super::MethodKind::Class) {
                // Bound to the class: the object itself when super() was given a class.
                let cls_of = if vm.is_class(obj) { obj } else { vm.type_of(obj) };
                let inner = if kind.is_some() { f } else { vm.get(f, 1) };
                return Ok(Some(vm.new_bound_method(inner, cls_of)?));
            }
            if ft == super::type_obj(ids::STATICMETHOD) {
                return Ok(Some(vm.get(f, 1)));
            }
            let is_fun = vm.type_of(f) == super::type_obj(ids::FUNCTION) || kind == Some(super::MethodKind::Instance);
            if is_fun {
                // Built-in methods act on the native part of the instance,
                // except `object`'s own (`__init__` rebuilds that part).
                let target = if kind.is_some() && !is_object_method(f) { vm.native_self(obj) } else { obj };
                Ok(Some(vm.new_bound_method(f, target)?))
            } else {
                Ok(Some(f))
            }
        }
        None => Ok(None),
    }
}

fn wrapper_make_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let w = vm.alloc(2)?;
    vm.set(w, 0, t);
    vm.set(w, 1, args.first().copied().unwrap_or(Obj::NONE));
    Ok(w)
}

fn property_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = vm.alloc(4)?;
    vm.set(p, 0, super::type_obj(ids::PROPERTY));
    for i in 0..3 {
        vm.set(p, 1 + i, args.get(i).copied().unwrap_or(Obj::NONE));
    }
    Ok(p)
}

fn property_copy_with(vm: &mut Vm, args: &[Obj], slot: usize) -> PyResult<Obj> {
    let p = args.first().copied().unwrap_or(Obj::NONE);
    let n = vm.alloc(4)?;
    for i in 0..4 {
        let v = vm.get(p, i);
        vm.set(n, i, v);
    }
    vm.set(n, slot, args.get(1).copied().unwrap_or(Obj::NONE));
    Ok(n)
}

fn property_setter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    property_copy_with(vm, args, 2)
}

fn property_getter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    property_copy_with(vm, args, 1)
}

fn property_deleter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    property_copy_with(vm, args, 3)
}
