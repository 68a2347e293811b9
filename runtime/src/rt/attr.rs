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
        if depth > 64 {
            return Ok(None);
        }
        if let Some(id) = cls.builtin_type_id() {
            let mut cur = Some(id);
            let text = self.qstr_text(name);
            while let Some(tid) = cur {
                let Some(d) = types::desc(tid) else { break };
                if let Some(i) = d.method_index(&text) {
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
            if let Some(found) = self.class_lookup(base, name, depth + 1)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Loads `obj.name` as a method call target: `(function, self)` where self is
    /// NULL when the attribute is not a method (then `function` is the value).
    pub fn load_method(&mut self, obj: Obj, name: Qstr) -> PyResult<(Obj, Obj)> {
        let t = self.type_of(obj);
        let is_instance = self.is_user_class(t);
        if is_instance || (t.builtin_type_id().is_some() && !self.is_class(obj) && !self.is_module(obj)) {
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
                    Binding::Plain(v) => Ok((v, Obj::NULL)),
                    Binding::Method(f) if kind.is_some() => Ok((f, self.native_self(obj))),
                    Binding::Method(f) => Ok((f, obj)),
                    Binding::ClassMethod(f) => Ok((f, t)),
                    Binding::Property(getter) => Ok((self.call(getter, &[obj], &[])?, Obj::NULL)),
                };
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

    /// `obj.name`, or `None` when absent.
    pub fn load_attr_opt(&mut self, obj: Obj, name: Qstr) -> PyResult<Option<Obj>> {
        let text = self.qstr_text(name);
        if self.is_module(obj) {
            let g = self.get(obj, 1);
            let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
            return self.dict_get(g, key);
        }
        if self.is_class(obj) {
            if text == "__name__" {
                let n = self.class_name(obj);
                return Ok(Some(self.new_str(&n)?));
            }
            if text == "__bases__" && self.is_user_class(obj) {
                return Ok(Some(self.get(obj, 2)));
            }
            return match self.class_lookup(obj, name, 0)? {
                Some((found, kind)) => match self.classify(found, kind) {
                    Binding::ClassMethod(f) => Ok(Some(self.new_bound_method(f, obj)?)),
                    Binding::Plain(v) | Binding::Method(v) | Binding::Property(v) => Ok(Some(v)),
                },
                None => Ok(None),
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
            if text == "__class__" {
                return Ok(Some(t));
            }
            if text == "__dict__" && self.is_dict(d) {
                return Ok(Some(d));
            }
        }
        if let Some((found, kind)) = self.class_lookup(t, name, 0)? {
            return Ok(Some(match self.classify(found, kind) {
                Binding::Plain(v) => v,
                Binding::Method(f) => self.new_bound_method(f, obj)?,
                Binding::ClassMethod(f) => self.new_bound_method(f, t)?,
                Binding::Property(getter) => self.call(getter, &[obj], &[])?,
            }));
        }
        if let Some(f) = self.desc_of(obj).attr {
            if let Some(v) = f(self, obj, name)? {
                return Ok(Some(v));
            }
        }
        if text == "__class__" {
            return Ok(Some(t));
        }
        if text == "__next__" && !self.is_user_class(t) && self.desc_of(obj).iternext.is_some() {
            // A built-in iterator's __next__: the next() built-in bound to it.
            let next = crate::builtins::function_obj("next");
            if next != Obj::NONE {
                return Ok(Some(self.new_bound_method(next, obj)?));
            }
        }
        if self.is_user_class(t) && text != "__getattr__" {
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
        if !self.is_user_class(obj) && self.is_user_class(self.type_of(obj)) {
            let t = self.type_of(obj);
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
        let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
        let target = if self.is_module(obj) {
            if self.is_readonly_module(obj) {
                let attr = self.qstr_text(name);
                let msg = alloc::format!("'module' object has no attribute '{attr}'");
                return Err(self.new_error(ids::ATTRIBUTE_ERROR, &msg));
            }
            self.get(obj, 1)
        } else if self.is_user_class(obj) {
            self.get(obj, 3)
        } else if self.is_user_class(self.type_of(obj)) {
            let t = self.type_of(obj);
            if let Some((found, None)) = self.class_lookup(t, name, 0)? {
                if self.type_of(found) == types::type_obj(ids::PROPERTY) {
                    let setter = self.get(found, 2);
                    if setter.is_null() || setter == Obj::NONE {
                        return Err(self.new_error(ids::ATTRIBUTE_ERROR, "can't set attribute"));
                    }
                    self.call(setter, &[obj, value], &[])?;
                    return Ok(());
                }
            }
            self.get(obj, 1)
        } else {
            Obj::NULL
        };
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
