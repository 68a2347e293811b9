//! Attributes: `load_attr`, `load_method` (no bound-method allocation for the
//! common `obj.meth(...)` call), `store_attr` (NULL value = delete).

use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::types::{self, ids, MethodKind};
use crate::vm::Vm;

/// What a class-level lookup found, before binding.
enum Binding {
    /// A plain value (returned as is).
    Plain(Obj),
    /// A function to bind to the instance.
    Method(Obj),
    /// A function to bind to the class.
    ClassMethod(Obj),
    /// A property getter to call.
    Property(Obj),
}

impl Vm {
    /// The static object for method `index` of built-in type `type_id`.
    pub fn builtin_method_obj(type_id: u32, index: usize) -> Obj {
        Obj::static_object(crate::builtins::METHOD_ID_BASE + (type_id << 8) + index as u32).unwrap_or(Obj::NONE)
    }

    fn classify(&mut self, found: Obj, from_builtin: Option<MethodKind>) -> Binding {
        if let Some(kind) = from_builtin {
            return match kind {
                MethodKind::Instance => Binding::Method(found),
                MethodKind::Class => Binding::ClassMethod(found),
                MethodKind::Static => Binding::Plain(found),
            };
        }
        let t = self.type_of(found);
        if t == types::type_obj(ids::FUNCTION) || t == types::type_obj(ids::HOST_FUNCTION) {
            Binding::Method(found)
        } else if t == types::type_obj(ids::STATICMETHOD) {
            Binding::Plain(self.get(found, 1))
        } else if t == types::type_obj(ids::CLASSMETHOD) {
            Binding::ClassMethod(self.get(found, 1))
        } else if t == types::type_obj(ids::PROPERTY) {
            Binding::Property(self.get(found, 1))
        } else {
            Binding::Plain(found)
        }
    }

    /// Looks `name` up in class `cls` and its bases (depth first, as MicroPython).
    /// Returns the value and, for built-in methods, how they bind.
    pub fn class_lookup(&mut self, cls: Obj, name: Qstr, depth: usize) -> PyResult<Option<(Obj, Option<MethodKind>)>> {
        let user = self.is_user_class(cls);
        let found = self.class_lookup_in(cls, name, depth, user)?;
        if found.is_none() && user {
            // `object` comes after every base, as in MicroPython (where built-in types
            // do not derive from it): a later Python base wins over `object`'s methods.
            return self.class_lookup_in(types::type_obj(ids::OBJECT), name, 0, false);
        }
        Ok(found)
    }

    /// [`Vm::class_lookup`] without the final `object`: with `skip_object`, built-in
    /// bases are searched without `object`.
    fn class_lookup_in(
        &mut self,
        cls: Obj,
        name: Qstr,
        depth: usize,
        skip_object: bool,
    ) -> PyResult<Option<(Obj, Option<MethodKind>)>> {
        if depth > 64 {
            return Ok(None);
        }
        if let Some(id) = cls.builtin_type_id() {
            let mut cur = Some(id);
            let text = self.st.qstrs.bytes(name).unwrap_or(&[]);
            while let Some(tid) = cur {
                if skip_object && tid == ids::OBJECT {
                    break;
                }
                let Some(d) = types::desc(tid) else { break };
                if let Some(i) = d.method_index(text) {
                    let kind = d.methods.get(i).map(|m| m.kind);
                    return Ok(Some((Vm::builtin_method_obj(tid, i), kind)));
                }
                cur = d.base;
            }
            return Ok(None);
        }
        if !self.is_user_class(cls) {
            return Ok(None);
        }
        let locals = self.get(cls, 3);
        let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
        if let Some(v) = self.dict_get(locals, key)? {
            return Ok(Some((v, None)));
        }
        for base in self.tuple_items(self.get(cls, 2)) {
            if let Some(found) = self.class_lookup_in(base, name, depth + 1, skip_object)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The `name` method (`__get__`, `__set__`, ...) of a class attribute that is a
    /// descriptor: an instance of a Python class defining it. Looked up on the class
    /// only, so `__getattr__` is never asked.
    pub(crate) fn descriptor_method(&mut self, member: Obj, name: &str) -> PyResult<Option<Obj>> {
        let t = self.type_of(member);
        if !self.is_user_class(t) {
            return Ok(None);
        }
        let q = self.intern(name)?;
        Ok(match self.class_lookup(t, q, 0)? {
            Some((f, None)) => Some(f),
            _ => None,
        })
    }

    /// A class attribute `member` read through instance `obj`: the result of its
    /// `__get__(obj, type(obj))` when it is a descriptor, else itself.
    fn descriptor_get(&mut self, member: Obj, obj: Obj) -> PyResult<Obj> {
        match self.descriptor_method(member, "__get__")? {
            Some(f) => {
                let t = self.type_of(obj);
                self.call(f, &[member, obj, t], &[])
            }
            None => Ok(member),
        }
    }

    /// Loads `obj.name` as a method call target: `(function, self)` where self is
    /// NULL when the attribute is not a method (then `function` is the value).
    pub fn load_method(&mut self, obj: Obj, name: Qstr) -> PyResult<(Obj, Obj)> {
        let t = self.type_of(obj);
        let is_instance = self.is_user_class(t);
        let plain = t.builtin_type_id().is_some_and(|id| id != ids::SUPER);
        if is_instance || (plain && !self.is_class(obj) && !self.is_module(obj)) {
            if is_instance {
                let d = self.get(obj, 1);
                let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
                if self.is_dict(d) {
                    if let Some(v) = self.dict_get(d, key)? {
                        return Ok((v, Obj::NULL));
                    }
                }
            }
            if let Some((found, kind)) = self.class_lookup(t, name, 0)? {
                return match self.classify(found, kind) {
                    Binding::Plain(v) if is_instance => Ok((self.descriptor_get(v, obj)?, Obj::NULL)),
                    Binding::Plain(v) => Ok((v, Obj::NULL)),
                    Binding::Method(f) if kind.is_some() => {
                        if !is_instance
                            && kind == Some(MethodKind::Instance)
                            && crate::vm::instrs::plain_builtin_type(t)
                        {
                            let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
                            self.st.method_cache.put(key, t, f);
                        }
                        Ok((f, self.native_self(obj)))
                    }
                    Binding::Method(f) => Ok((f, obj)),
                    Binding::ClassMethod(f) => Ok((f, t)),
                    Binding::Property(getter) if getter != Obj::NONE => {
                        Ok((self.call(getter, &[obj], &[])?, Obj::NULL))
                    }
                    Binding::Property(_) => Ok((self.load_attr(obj, name)?, Obj::NULL)),
                };
            }
        }
        if self.is_class(obj) {
            // A class's classmethod (`int.from_bytes(...)`) is called with the
            // class, and a function (`Base.__init__(self)`) as it is: no bound
            // method is made (as MicroPython's LOAD_METHOD).
            if let Some((found, kind)) = self.class_lookup(obj, name, 0)? {
                match self.classify(found, kind) {
                    Binding::ClassMethod(f) => return Ok((f, obj)),
                    Binding::Method(f) if kind.is_none() => return Ok((f, Obj::NULL)),
                    _ => {}
                }
            }
        }
        let v = self.load_attr(obj, name)?;
        Ok((v, Obj::NULL))
    }

    /// `obj.name`.
    pub fn load_attr(&mut self, obj: Obj, name: Qstr) -> PyResult<Obj> {
        match self.load_attr_opt(obj, name)? {
            Some(v) => Ok(v),
            None => {
                let attr = self.qstr_text(name);
                let msg = if self.is_class(obj) {
                    alloc::format!("type object '{}' has no attribute '{attr}'", self.class_name(obj))
                } else if self.is_module(obj) {
                    alloc::format!("'module' object has no attribute '{attr}'")
                } else {
                    alloc::format!("'{}' object has no attribute '{attr}'", self.type_name(obj))
                };
                Err(self.new_error(ids::ATTRIBUTE_ERROR, &msg))
            }
        }
    }

    /// Whether qstr `q` is the name `text` (compared in place, nothing allocated).
    fn name_is(&self, q: Qstr, text: &str) -> bool {
        self.st.qstrs.bytes(q) == Some(text.as_bytes())
    }

    /// `obj.name`, or `None` when absent.
    pub fn load_attr_opt(&mut self, obj: Obj, name: Qstr) -> PyResult<Option<Obj>> {
        if self.is_module(obj) {
            let g = self.get(obj, 1);
            let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
            if let Some(v) = self.dict_get(g, key)? {
                return Ok(Some(v));
            }
            // As MicroPython: a global named `__dict__` wins over the globals dict.
            if self.name_is(name, "__dict__") {
                return Ok(Some(g));
            }
            // A module-level `__getattr__(name)` supplies missing attributes.
            if !self.name_is(name, "__getattr__") {
                if let Some(f) = self.dict_get_str(g, "__getattr__")? {
                    return Ok(Some(self.call(f, &[key], &[])?));
                }
            }
            return Ok(None);
        }
        if self.is_class(obj) {
            if self.name_is(name, "__name__") {
                // An interned string (as a user class keeps it): no heap.
                let n = self.class_name(obj);
                return Ok(Some(self.qstr_obj(&n)?));
            }
            if self.name_is(name, "__bases__") {
                // As MicroPython: `object` has none, every other class at least `object`.
                let object = types::type_obj(ids::OBJECT);
                if obj == object {
                    return Ok(Some(self.new_tuple(&[])?));
                }
                if self.is_user_class(obj) && !self.tuple_items(self.get(obj, 2)).is_empty() {
                    return Ok(Some(self.get(obj, 2)));
                }
                return Ok(Some(self.new_tuple(&[object])?));
            }
            if self.name_is(name, "__dict__") && self.is_user_class(obj) {
                // The caller may add properties through the dict itself.
                self.st.special_store_added_late = true;
                return Ok(Some(self.get(obj, 3)));
            }
            if let (true, Some(id)) = (self.name_is(name, "__dict__"), obj.builtin_type_id()) {
                // A built-in type's own methods, in a new dict.
                let d = types::dict::new_dict(self, 0)?;
                self.root(d);
                let methods = types::desc(id).map_or(&[][..], |t| t.methods);
                for (i, m) in methods.iter().enumerate() {
                    let k = self.qstr_obj(m.name)?;
                    self.dict_store(d, k, Vm::builtin_method_obj(id, i))?;
                }
                return Ok(Some(d));
            }
            return match self.class_lookup(obj, name, 0)? {
                Some((found, kind)) => match self.classify(found, kind) {
                    Binding::ClassMethod(f) => Ok(Some(self.new_bound_method(f, obj)?)),
                    Binding::Plain(v) | Binding::Method(v) | Binding::Property(v) => Ok(Some(v)),
                },
                None => match obj.builtin_type_id().and_then(types::desc).and_then(|d| d.class_attr) {
                    Some(f) => f(self, obj, name),
                    None => Ok(None),
                },
            };
        }
        let t = self.type_of(obj);
        if self.is_user_class(t) {
            let d = self.get(obj, 1);
            let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
            if self.is_dict(d) {
                if let Some(v) = self.dict_get(d, key)? {
                    return Ok(Some(v));
                }
            }
            if self.name_is(name, "__class__") {
                return Ok(Some(t));
            }
            if self.name_is(name, "__dict__") && self.is_dict(d) {
                return Ok(Some(d));
            }
        }
        if t == types::type_obj(ids::SUPER) {
            // A super object's attributes are its class's bases', never its own type's.
            if let Some(f) = self.desc_of(obj).attr {
                return f(self, obj, name);
            }
        }
        if let Some((found, kind)) = self.class_lookup(t, name, 0)? {
            return Ok(Some(match self.classify(found, kind) {
                Binding::Plain(v) if self.is_user_class(t) => self.descriptor_get(v, obj)?,
                Binding::Plain(v) => v,
                Binding::Method(f) => self.new_bound_method(f, obj)?,
                Binding::ClassMethod(f) => self.new_bound_method(f, t)?,
                // A property without a getter: no such attribute.
                Binding::Property(getter) if getter == Obj::NONE => return Ok(None),
                Binding::Property(getter) => self.call(getter, &[obj], &[])?,
            }));
        }
        if let Some(f) = self.desc_of(obj).attr {
            if let Some(v) = f(self, obj, name)? {
                return Ok(Some(v));
            }
        }
        if self.name_is(name, "__class__") {
            return Ok(Some(t));
        }
        if self.name_is(name, "__next__") && !self.is_user_class(t) && self.desc_of(obj).iternext.is_some() {
            // A built-in iterator's __next__: the next() built-in bound to it.
            let next = crate::builtins::function_obj("next");
            if next != Obj::NONE {
                return Ok(Some(self.new_bound_method(next, obj)?));
            }
        }
        if self.is_user_class(t) && !self.name_is(name, "__getattr__") {
            let ga = self.intern("__getattr__")?;
            if let Some((f, _)) = self.class_lookup(t, ga, 0)? {
                let n = Obj::from_qstr(name).unwrap_or(Obj::NONE);
                return Ok(Some(self.call(f, &[obj, n], &[])?));
            }
        }
        Ok(None)
    }

    /// `obj.name = value` (`value` NULL: `del obj.name`).
    pub fn store_attr(&mut self, obj: Obj, name: Qstr, value: Obj) -> PyResult<()> {
        if value == Obj::NONE && self.is_exception(obj) && self.name_is(name, "__traceback__") {
            // As MicroPython: clears the traceback, keeping its room, so the
            // next raise records one without the heap.
            let tb = self.get(obj, 3);
            if self.is_list(tb) {
                self.set_u32(tb, 1, 0);
            }
            return Ok(());
        }
        if !self.is_user_class(obj) && self.is_user_class(self.type_of(obj)) {
            let t = self.type_of(obj);
            if !self.class_has_special_store(t) {
                return self.store_instance_dict(obj, name, value);
            }
            let hook = self.intern(if value.is_null() { "__delattr__" } else { "__setattr__" })?;
            if let Some((f, None)) = self.class_lookup(t, hook, 0)? {
                let n = Obj::from_qstr(name).unwrap_or(Obj::NONE);
                if value.is_null() {
                    self.call(f, &[obj, n], &[])?;
                } else {
                    self.call(f, &[obj, n, value], &[])?;
                }
                return Ok(());
            }
        }
        self.store_attr_raw(obj, name, value)
    }

    /// `obj.name = value` without `__setattr__`/`__delattr__` (NULL = delete).
    pub fn store_attr_raw(&mut self, obj: Obj, name: Qstr, value: Obj) -> PyResult<()> {
        if !value.is_null() && crate::modules::uctypes::store_attr(self, obj, name, value)? {
            return Ok(());
        }
        let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
        let target = if self.is_module(obj) {
            if self.is_readonly_module(obj) {
                let attr = self.qstr_text(name);
                let msg = alloc::format!("'module' object has no attribute '{attr}'");
                return Err(self.new_error(ids::ATTRIBUTE_ERROR, &msg));
            }
            self.get(obj, 1)
        } else if self.is_user_class(obj) {
            types::class::note_class_attr_store(self, key, value)?;
            self.get(obj, 3)
        } else if self.is_user_class(self.type_of(obj)) {
            let t = self.type_of(obj);
            if !self.class_has_special_store(t) {
                return self.store_instance_dict(obj, name, value);
            }
            if let Some((found, None)) = self.class_lookup(t, name, 0)? {
                if self.type_of(found) == types::type_obj(ids::PROPERTY) {
                    // Slot 2 is the setter, slot 3 the deleter.
                    let f = self.get(found, if value.is_null() { 3 } else { 2 });
                    if f.is_null() || f == Obj::NONE {
                        return Err(self.new_error(ids::ATTRIBUTE_ERROR, "can't set attribute"));
                    }
                    if value.is_null() {
                        self.call(f, &[obj], &[])?;
                    } else {
                        self.call(f, &[obj, value], &[])?;
                    }
                    return Ok(());
                }
                // A descriptor's `__set__(obj, value)` / `__delete__(obj)`.
                let hook = if value.is_null() { "__delete__" } else { "__set__" };
                if let Some(f) = self.descriptor_method(found, hook)? {
                    if value.is_null() {
                        self.call(f, &[found, obj], &[])?;
                    } else {
                        self.call(f, &[found, obj, value], &[])?;
                    }
                    return Ok(());
                }
            }
            self.get(obj, 1)
        } else {
            Obj::NULL
        };
        self.store_in_dict(obj, name, target, value)
    }

    /// `obj.name = value` into the attribute dict of `obj`, an instance of a
    /// user class (NULL = delete).
    fn store_instance_dict(&mut self, obj: Obj, name: Qstr, value: Obj) -> PyResult<()> {
        let target = self.get(obj, 1);
        self.store_in_dict(obj, name, target, value)
    }

    /// Stores `value` (NULL = delete) under `name` in `target`, the attribute
    /// dict of `obj`; AttributeError if `target` is not a dict.
    fn store_in_dict(&mut self, obj: Obj, name: Qstr, target: Obj, value: Obj) -> PyResult<()> {
        let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
        if !self.is_dict(target) {
            let attr = self.qstr_text(name);
            let msg = alloc::format!("'{}' object has no attribute '{attr}'", self.type_name(obj));
            return Err(self.new_error(ids::ATTRIBUTE_ERROR, &msg));
        }
        if value.is_null() {
            if self.dict_remove(target, key)?.is_none() {
                let attr = self.qstr_text(name);
                return Err(self.new_error(ids::ATTRIBUTE_ERROR, &attr));
            }
            return Ok(());
        }
        self.dict_store(target, key, value)
    }

    /// True for module objects.
    pub fn is_module(&self, o: Obj) -> bool {
        o.is_heap_ref() && self.get(o, 0) == types::type_obj(ids::MODULE)
    }
}
