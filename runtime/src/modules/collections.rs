//! The `collections` module: `deque` (`[type, items list, maxlen, overflow check]`),
//! `namedtuple` (a class derived from `tuple` whose `__new__`, `__repr__`
//! and `__setattr__` are built-in functions; field values are also stored
//! as instance attributes) and `OrderedDict`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
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

/// The `deque` type.
pub static DEQUE_TYPE: TypeDesc = TypeDesc {
    make_new: Some(deque_make_new),
    print: Some(deque_print),
    unary_op: Some(deque_unary),
    subscr: Some(deque_subscr),
    getiter: Some(deque_getiter),
    methods: &DEQUE_METHODS,
    ..TypeDesc::new("deque", ids::OBJECT)
};

static DEQUE_METHODS: [Method; 5] = [
    Method::new("append", deque_append),
    Method::new("extend", deque_extend),
    Method::new("pop", deque_pop),
    Method::new("appendleft", deque_appendleft),
    Method::new("popleft", deque_popleft),
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

fn deque_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (src, maxlen) = match args {
        [s, m, ..] => (*s, *m),
        _ => return Err(vm.type_error("function missing 1 required positional arguments")),
    };
    let maxlen = vm.expect_int(maxlen)?;
    if maxlen < 0 {
        return Err(vm.value_error("maxlen must be >= 0"));
    }
    let items = vm.collect_iterable(src)?;
    let l = vm.new_list(&[])?;
    vm.root(l);
    // MicroPython's third argument: flags, bit 0 = raise IndexError on overflow.
    let flags = match args.get(2) {
        Some(&f) => vm.expect_int(f)?,
        None => 0,
    };
    let d = vm.alloc(4)?;
    vm.set(d, 0, types::type_obj(ids::DEQUE));
    vm.set(d, 1, l);
    vm.set(d, 2, Obj::from_small_int(maxlen.min(1 << 29) as i32).unwrap_or(Obj::NONE));
    vm.set(d, 3, Obj::from_bool(flags & 1 != 0));
    vm.root(d);
    for it in items {
        push(vm, d, it, false)?;
    }
    Ok(d)
}

fn maxlen(vm: &Vm, d: Obj) -> usize {
    vm.get(d, 2).small_int_value().unwrap_or(0).max(0) as usize
}

fn push(vm: &mut Vm, d: Obj, v: Obj, left: bool) -> PyResult<()> {
    let l = vm.get(d, 1);
    let mut items = vm.list_items(l);
    if vm.get(d, 3) == Obj::TRUE && items.len() >= maxlen(vm, d) {
        return Err(vm.new_error(ids::INDEX_ERROR, "full"));
    }
    if left {
        items.insert(0, v);
    } else {
        items.push(v);
    }
    let max = maxlen(vm, d);
    if items.len() > max {
        if left {
            items.truncate(max);
        } else {
            items.remove(0);
        }
    }
    vm.list_set_items(l, &items)
}

fn self_deque(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&d) if vm.is_exact(d, ids::DEQUE) => Ok(d),
        _ => Err(vm.type_error("expected a deque")),
    }
}

fn deque_append(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    let v = crate::builtins::arg(vm, args, 1)?;
    push(vm, d, v, false)?;
    Ok(Obj::NONE)
}

fn deque_appendleft(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    let v = crate::builtins::arg(vm, args, 1)?;
    push(vm, d, v, true)?;
    Ok(Obj::NONE)
}

fn deque_extend(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    let src = crate::builtins::arg(vm, args, 1)?;
    for v in vm.collect_iterable(src)? {
        push(vm, d, v, false)?;
    }
    Ok(Obj::NONE)
}

fn take(vm: &mut Vm, args: &[Obj], left: bool) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    let l = vm.get(d, 1);
    let mut items = vm.list_items(l);
    if items.is_empty() {
        return Err(vm.new_error(ids::INDEX_ERROR, "empty"));
    }
    let v = if left { items.remove(0) } else { items.pop().unwrap_or(Obj::NONE) };
    vm.list_set_items(l, &items)?;
    Ok(v)
}

fn deque_pop(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    take(vm, args, false)
}

fn deque_popleft(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    take(vm, args, true)
}

fn deque_print(_vm: &mut Vm, _d: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("<deque>");
    Ok(())
}

fn deque_unary(vm: &mut Vm, op: u8, d: Obj) -> PyResult<Option<Obj>> {
    let n = vm.list_len(vm.get(d, 1));
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        _ => None,
    })
}

fn deque_subscr(vm: &mut Vm, d: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value.is_null() {
        return Err(vm.type_error("'deque' object doesn't support item deletion"));
    }
    let l = vm.get(d, 1);
    let n = vm.list_len(l);
    let i = vm.seq_index(index, n, "deque")?;
    if value == Obj::SENTINEL {
        return Ok(vm.list_get(l, i));
    }
    vm.list_set(l, i, value);
    Ok(Obj::NONE)
}

fn deque_getiter(vm: &mut Vm, d: Obj) -> PyResult<Obj> {
    let l = vm.get(d, 1);
    types::iterators::new_seq_iter(vm, l)
}
