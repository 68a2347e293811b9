//! The `collections` module: `deque` (in [`super::deque`]), `namedtuple` (a class derived from `tuple` whose `__new__`, `__repr__`
//! and `__setattr__` are built-in functions; field values are also stored
//! as instance attributes) and `OrderedDict`.

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{self, ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table.
pub static COLLECTIONS_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("collections", ids::OBJECT) };

static FUNCS: [Method; 4] = [
    Method::new_static("namedtuple", namedtuple),
    Method::new_static("_nt_new", nt_new),
    Method::new_static("_nt_repr", nt_repr),
    Method::new_static("_nt_setattr", nt_setattr),
];

/// Builds the `collections` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let extra = [("deque", types::type_obj(ids::DEQUE)), ("OrderedDict", types::type_obj(ids::ORDERED_DICT))];
    let m = super::make_module(vm, "collections", ids::COLLECTIONS_FUNCS, &extra)?;
    // The helpers are reached through the namedtuple classes only.
    let g = vm.get(m, 1);
    for name in ["_nt_new", "_nt_repr", "_nt_setattr"] {
        let k = vm.qstr_obj(name)?;
        vm.dict_remove(g, k)?;
    }
    Ok(m)
}

fn func(name: &str) -> Obj {
    let i = FUNCS.iter().position(|m| m.name == name).unwrap_or(0);
    Vm::builtin_method_obj(ids::COLLECTIONS_FUNCS, i)
}

fn namedtuple(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (name, fields) = match args {
        [n, f, ..] => (*n, *f),
        _ => return Err(vm.type_error("function missing required positional argument")),
    };
    let name_text = vm.expect_str(name)?;
    let names: Vec<Obj> = if vm.is_str(fields) {
        let text = vm.str_text(fields).unwrap_or_default();
        let mut v = Vec::new();
        for part in text.split([' ', ',']).filter(|s| !s.is_empty()) {
            v.push(vm.qstr_obj(part)?);
        }
        v
    } else {
        let mut v = Vec::new();
        for f in vm.collect_iterable(fields)? {
            let t = vm.expect_str(f)?;
            v.push(vm.qstr_obj(&t)?);
        }
        v
    };
    let field_tuple = vm.new_tuple(&names)?;
    vm.root(field_tuple);
    let locals = types::dict::new_dict(vm, 0)?;
    vm.root(locals);
    for (k, v) in [
        ("_fields", field_tuple),
        ("__new__", func("_nt_new")),
        ("__repr__", func("_nt_repr")),
        ("__setattr__", func("_nt_setattr")),
    ] {
        let k = vm.qstr_obj(k)?;
        vm.dict_store(locals, k, v)?;
    }
    let bases = vm.new_tuple(&[types::type_obj(ids::TUPLE)])?;
    vm.root(bases);
    let q = vm.qstr_obj(&name_text)?;
    let c = types::class::new_class(vm, q, bases, locals)?;
    Ok(vm.root(c))
}

fn fields_of(vm: &mut Vm, cls: Obj) -> PyResult<Vec<Obj>> {
    let q = vm.intern("_fields")?;
    match vm.class_lookup(cls, q, 0)? {
        Some((t, _)) if vm.is_tuple(t) => Ok(vm.tuple_items(t)),
        _ => Err(vm.type_error("not a namedtuple")),
    }
}

/// `__new__(cls, *values, **named)` of a namedtuple class.
fn nt_new(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let Some((&cls, values)) = args.split_first() else { return Err(vm.type_error("missing class")) };
    let fields = fields_of(vm, cls)?;
    let mut slots: Vec<Obj> = alloc::vec![Obj::NULL; fields.len()];
    if values.len() > fields.len() {
        let msg = alloc::format!(
            "{}() takes {} positional arguments but {} were given",
            vm.class_name(cls),
            fields.len(),
            values.len()
        );
        return Err(vm.type_error(&msg));
    }
    slots[..values.len()].copy_from_slice(values);
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            let mut found = false;
            for (i, f) in fields.iter().enumerate() {
                if vm.equal(*f, *k)? {
                    slots[i] = *v;
                    found = true;
                }
            }
            if !found {
                let n = vm.str_text(*k).unwrap_or_default();
                let msg = alloc::format!("unexpected keyword argument '{n}'");
                return Err(vm.type_error(&msg));
            }
        }
    }
    if slots.iter().any(|s| s.is_null()) {
        let given = slots.iter().filter(|s| !s.is_null()).count();
        let msg = alloc::format!(
            "{}() takes {} positional arguments but {} were given",
            vm.class_name(cls),
            fields.len(),
            given
        );
        return Err(vm.type_error(&msg));
    }
    let t = vm.new_tuple(&slots)?;
    vm.root(t);
    let inst = types::class::new_instance(vm, cls, &[t], &[])?;
    let d = vm.get(inst, 1);
    for (f, v) in fields.iter().zip(slots.iter()) {
        vm.dict_store(d, *f, *v)?;
    }
    Ok(inst)
}

fn nt_repr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let Some(&o) = args.first() else { return Err(vm.type_error("missing self")) };
    let cls = vm.type_of(o);
    let fields = fields_of(vm, cls)?;
    let t = vm.native_self(o);
    let values = if vm.is_tuple(t) { vm.tuple_items(t) } else { Vec::new() };
    let mut out = vm.class_name(cls);
    out.push('(');
    for (i, (f, v)) in fields.iter().zip(values.iter()).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&vm.str_text(*f).unwrap_or_default());
        out.push('=');
        vm.print_obj(*v, &mut out, true)?;
    }
    out.push(')');
    vm.new_str(&out)
}

fn nt_setattr(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Err(vm.new_error(ids::ATTRIBUTE_ERROR, "can't set attribute"))
}
