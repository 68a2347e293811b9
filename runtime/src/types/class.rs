//! `type` and user classes.
//!
//! Class layout: `[type(type), name qstr, bases tuple, locals dict, native base id,
//! flags]` (flags: [`CLASS_SPECIAL_STORE`]).
//! Instance layout: `[class, attribute dict, ...]`; instances of classes derived
//! from an exception carry the exception words too (`[class, dict, args, traceback]`).

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The `type` type.
pub static TYPE_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(type_make_new),
    print: Some(type_print),
    ..TypeDesc::new("type", ids::OBJECT)
};

fn type_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let name = vm.class_name(o);
    out.push_str(&alloc::format!("<class '{name}'>"));
    Ok(())
}

fn type_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args {
        [o] => Ok(vm.type_of(*o)),
        [name, bases, dict] => {
            let n = vm.expect_str(*name)?;
            // Any dict (an OrderedDict keeps the order of the class's attributes).
            let d = vm.native_self(*dict);
            if vm.native_type_id(*bases) != ids::TUPLE || !vm.is_dict(d) {
                return Err(vm.type_error("type() argument 2 must be tuple, 3 must be dict"));
            }
            let q = vm.qstr_obj(&n)?;
            new_class(vm, q, *bases, d)
        }
        _ => Err(vm.type_error("type takes 1 or 3 arguments")),
    }
}

/// Word of a class holding its flags (a small int).
pub const CLASS_FLAGS: usize = 5;
/// Class flag: storing an attribute on an instance may run Python code — the
/// class or a base defines `__setattr__`/`__delattr__`, a property or a
/// descriptor with `__set__`/`__delete__` (MicroPython's "special accessors"
/// flag). Without it, an instance attribute store goes straight to the
/// instance's dict.
pub const CLASS_SPECIAL_STORE: i32 = 1;

/// True if namespace entry `key: value` makes instance stores special.
fn is_special_store_entry(vm: &mut Vm, key: Obj, value: Obj) -> PyResult<bool> {
    if let Some(name) = vm.str_text(key) {
        if name == "__setattr__" || name == "__delattr__" {
            return Ok(true);
        }
    }
    if vm.type_of(value) == super::type_obj(ids::PROPERTY) {
        return Ok(true);
    }
    Ok(vm.descriptor_method(value, "__set__")?.is_some() || vm.descriptor_method(value, "__delete__")?.is_some())
}

/// The flags of a new class with these bases and namespace.
fn class_flags(vm: &mut Vm, bases: Obj, locals: Obj) -> PyResult<i32> {
    let mut flags = 0;
    for b in vm.tuple_items(bases) {
        if vm.is_user_class(b) {
            flags |= vm.get(b, CLASS_FLAGS).small_int_value().unwrap_or(CLASS_SPECIAL_STORE);
        }
    }
    for (k, v) in vm.dict_entries(locals) {
        if is_special_store_entry(vm, k, v)? {
            flags |= CLASS_SPECIAL_STORE;
        }
    }
    Ok(flags)
}

/// Records that `value` was stored as attribute `key` of an existing user
/// class: if that makes instance stores special, every class is treated as
/// special from now on (subclasses created earlier inherited the old flags).
pub fn note_class_attr_store(vm: &mut Vm, key: Obj, value: Obj) -> PyResult<()> {
    if !vm.st.special_store_added_late && !value.is_null() && is_special_store_entry(vm, key, value)? {
        vm.st.special_store_added_late = true;
    }
    Ok(())
}

/// Creates a class object.
pub fn new_class(vm: &mut Vm, name: Obj, bases: Obj, locals: Obj) -> PyResult<Obj> {
    let mut native = ids::OBJECT;
    for b in vm.tuple_items(bases) {
        if !vm.is_class(b) {
            return Err(vm.type_error("bases must be types"));
        }
        if let Some(id) = b.builtin_type_id() {
            if !super::desc(id)
                .map(|d| d.subclassable || (ids::BASE_EXCEPTION..ids::EXCEPTION_END).contains(&id))
                .unwrap_or(false)
            {
                let msg = alloc::format!("type '{}' isn't an acceptable base type", vm.class_name(b));
                return Err(vm.type_error(&msg));
            }
        }
        let n = b.builtin_type_id().unwrap_or_else(|| vm.class_native_base(b));
        if n != ids::OBJECT {
            // Two different built-in bases can't share one instance layout.
            if native != ids::OBJECT && native != n {
                return Err(vm.type_error("multiple bases have instance lay-out conflict"));
            }
            native = n;
        }
    }
    // `__new__` is implicitly a staticmethod (MicroPython wraps a plain function).
    if let Some(f) = vm.dict_get_str(locals, "__new__")? {
        if vm.type_of(f) == super::type_obj(ids::FUNCTION) {
            let w = vm.alloc(2)?;
            vm.set(w, 0, super::type_obj(ids::STATICMETHOD));
            vm.set(w, 1, f);
            vm.root(w);
            let key = vm.qstr_obj("__new__")?;
            vm.dict_store(locals, key, w)?;
        }
    }
    let flags = class_flags(vm, bases, locals)?;
    let c = vm.alloc(6)?;
    vm.set(c, 0, super::type_obj(ids::TYPE));
    vm.set(c, 1, name);
    vm.set(c, 2, bases);
    vm.set(c, 3, locals);
    vm.set(c, 4, Obj::from_small_int(native as i32).unwrap_or(Obj::NONE));
    vm.set(c, CLASS_FLAGS, Obj::from_small_int(flags).unwrap_or(Obj::NONE));
    vm.root(c);
    // Descriptors in the namespace learn their owner and name: `__set_name__(cls, name)`.
    for (k, v) in vm.dict_entries(locals) {
        if let Some(f) = vm.descriptor_method(v, "__set_name__")? {
            vm.call(f, &[v, c, k], &[])?;
        }
    }
    Ok(c)
}

impl Vm {
    /// True if storing an attribute on an instance of user class `cls` may have
    /// to run Python code (see [`CLASS_SPECIAL_STORE`]).
    #[inline]
    pub fn class_has_special_store(&self, cls: Obj) -> bool {
        self.st.special_store_added_late
            || self.get(cls, CLASS_FLAGS).small_int_value().is_none_or(|f| f & CLASS_SPECIAL_STORE != 0)
    }

    /// The built-in type a user class derives its representation from.
    pub fn class_native_base(&self, cls: Obj) -> u32 {
        if !self.is_user_class(cls) {
            return ids::OBJECT;
        }
        self.get(cls, 4).small_int_value().map(|v| v as u32).unwrap_or(ids::OBJECT)
    }

    /// `issubclass(cls, base)` for class objects.
    pub fn is_subclass(&self, cls: Obj, base: Obj) -> bool {
        self.is_subclass_depth(cls, base, 0)
    }

    fn is_subclass_depth(&self, cls: Obj, base: Obj, depth: usize) -> bool {
        if cls == base || base == super::type_obj(ids::OBJECT) {
            return true;
        }
        if depth > 64 {
            return false;
        }
        if let Some(mut id) = cls.builtin_type_id() {
            let Some(target) = base.builtin_type_id() else { return false };
            loop {
                if id == target {
                    return true;
                }
                match super::desc(id).and_then(|d| d.base) {
                    Some(b) => id = b,
                    None => return false,
                }
            }
        }
        if !self.is_user_class(cls) {
            return false;
        }
        let bases = self.get(cls, 2);
        self.tuple_items(bases).into_iter().any(|b| self.is_subclass_depth(b, base, depth + 1))
    }

    /// `isinstance(o, cls)`.
    pub fn isinstance(&self, o: Obj, cls: Obj) -> bool {
        let t = self.type_of(o);
        self.is_subclass(t, cls)
    }
}

/// A new instance of user class `cls`: `[cls, dict]`, or for a class derived
/// from a built-in type other than `object`, `[cls, dict, native part]` with
/// the native part made by the built-in constructor from `args`.
pub fn new_instance(vm: &mut Vm, cls: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let native = vm.class_native_base(cls);
    let sub = if native != ids::OBJECT && !(ids::BASE_EXCEPTION..ids::EXCEPTION_END).contains(&native) {
        match super::desc(native).and_then(|d| d.make_new) {
            Some(f) => {
                let s = f(vm, super::type_obj(native), args, kw)?;
                vm.root(s)
            }
            None => {
                let msg =
                    alloc::format!("type '{}' is not an acceptable base type", vm.class_name(super::type_obj(native)));
                return Err(vm.type_error(&msg));
            }
        }
    } else {
        Obj::NULL
    };
    let o = vm.alloc(if sub.is_null() { 2 } else { 3 })?;
    vm.set(o, 0, cls);
    vm.root(o);
    if !sub.is_null() {
        vm.set(o, 2, sub);
    }
    let d = super::dict::new_dict(vm, 0)?;
    vm.set(o, 1, d);
    Ok(o)
}

impl Vm {
    /// The object built-in slots and methods act on: the native part of an
    /// instance of a class derived from a built-in type, else `o` itself.
    pub fn native_self(&self, o: Obj) -> Obj {
        if !o.is_heap_ref() {
            return o;
        }
        let t = self.get(o, 0);
        if !self.is_user_class(t) {
            return o;
        }
        let native = self.class_native_base(t);
        if native == ids::OBJECT || (ids::BASE_EXCEPTION..ids::EXCEPTION_END).contains(&native) {
            return o;
        }
        let sub = self.get(o, 2);
        if sub.is_null() {
            o
        } else {
            sub
        }
    }
}

/// Calls a user class: creates the instance and runs `__init__`.
pub fn instantiate(vm: &mut Vm, cls: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let native = vm.class_native_base(cls);
    let new_q = vm.intern("__new__")?;
    let inst = if let Some((f, None)) = vm.class_lookup(cls, new_q, 0)? {
        let f = if vm.type_of(f) == super::type_obj(ids::STATICMETHOD) { vm.get(f, 1) } else { f };
        let mut full = Vec::with_capacity(args.len() + 1);
        full.push(cls);
        full.extend_from_slice(args);
        let inst = vm.call(f, &full, kw)?;
        if !vm.isinstance(inst, cls) {
            return Ok(inst);
        }
        inst
    } else if (ids::BASE_EXCEPTION..ids::EXCEPTION_END).contains(&native) {
        super::exception::new_exception_of(vm, cls, args)?
    } else {
        // The native part gets the arguments unless a Python `__init__` will.
        let init_q = vm.intern("__init__")?;
        let user_init = matches!(vm.class_lookup(cls, init_q, 0)?, Some((_, None)));
        let (nargs, nkw) = if user_init { (&[][..], &[][..]) } else { (args, kw) };
        new_instance(vm, cls, nargs, nkw)?
    };
    vm.root(inst);
    let init_q = vm.intern("__init__")?;
    if let Some((f, None)) = vm.class_lookup(cls, init_q, 0)? {
        let native_before = vm.native_self(inst);
        let mut full = Vec::with_capacity(args.len() + 1);
        full.push(inst);
        full.extend_from_slice(args);
        let r = vm.call(f, &full, kw)?;
        if r != Obj::NONE {
            let msg = alloc::format!("__init__() should return None, not '{}'", vm.type_name(r));
            return Err(vm.type_error(&msg));
        }
        // A native part that the Python `__init__` did not construct (through
        // `super().__init__(...)`) is constructed now from the call's arguments.
        if native_before != inst && vm.native_self(inst) == native_before && (!args.is_empty() || !kw.is_empty()) {
            if let Some(make) = super::desc(native).and_then(|d| d.make_new) {
                let sub = make(vm, super::type_obj(native), args, kw)?;
                vm.set(inst, 2, sub);
            }
        }
    } else {
        let is_exc = (ids::BASE_EXCEPTION..ids::EXCEPTION_END).contains(&native);
        let has_args = !args.is_empty() || !kw.is_empty();
        if has_args && !is_exc && native == ids::OBJECT {
            return Err(vm.type_error("function takes 0 positional arguments but more were given"));
        }
    }
    Ok(inst)
}

/// `__build_class__(body, name, *bases)`: runs the body with a fresh locals
/// dict, creates the class, and fills the body's `__class__` cell.
pub fn build_class(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let _ = kw;
    let (body, name, bases) = match args {
        [body, name, bases @ ..] => (*body, *name, bases),
        _ => return Err(vm.type_error("__build_class__ needs a body and a name")),
    };
    let bases = vm.new_tuple(bases)?;
    vm.root(bases);
    let locals = super::dict::new_dict(vm, 0)?;
    vm.root(locals);
    let code = vm.get_usize(body, 1);
    let globals = vm.get(body, 2);
    vm.push_code_frame(code, body, globals, locals)?;
    // The body may close over cells of the enclosing function.
    let n_closed = vm.get_usize(body, 5);
    for i in 0..n_closed {
        let c = vm.get(body, super::function::FUN_HEADER + i);
        vm.set_local(i, c)?;
    }
    let cells = vm.st.codes.get(code).map(|u| u.cells.clone()).unwrap_or_default();
    for c in cells {
        let v = vm.local(usize::from(c))?;
        let cell = vm.new_cell(v)?;
        vm.set_local(usize::from(c), cell)?;
    }
    let base = vm.st.frames.len() - 1;
    let cell = match vm.run_frames(base, None)? {
        crate::vm::dispatch::Outcome::Return(v) => v,
        crate::vm::dispatch::Outcome::Yield(_) => return Err(vm.internal_error("yield in class body")),
    };
    vm.root(cell);
    let name_q = match vm.str_text(name) {
        Some(t) => vm.qstr_obj(&t)?,
        None => return Err(vm.type_error("class name must be a str")),
    };
    let cls = new_class(vm, name_q, bases, locals)?;
    if vm.type_of(cell) == super::type_obj(ids::CELL) {
        vm.set(cell, 1, cls);
    }
    Ok(cls)
}
