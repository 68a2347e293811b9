//! Fast paths of the name and attribute instructions for their commonest
//! cases: a global found in the globals or builtins dict, an attribute found
//! in an instance's own dict, a method found in its class's own dict, and a
//! store to an existing instance attribute. Each one answers only when the
//! outcome is exactly the general path's (see `rt::attr`); anything else
//! (a class with special stores, a descriptor, a base class lookup, a key
//! that is not an interned string, a dict that is not a plain one) returns
//! `None`/false and the general path runs.

use crate::obj::Obj;
use crate::types::{self, ids};
use crate::vm::Vm;

impl Vm {
    /// The user class of `obj` when `obj` is an instance of one (its word 1
    /// then is its attribute dict).
    #[inline]
    fn instance_class(&self, obj: Obj) -> Option<Obj> {
        if !obj.is_heap_ref() {
            return None;
        }
        let t = self.heap.words.load_obj(obj, 0)?;
        (t.is_heap_ref() && self.heap.words.load_obj(t, 0)? == types::type_obj(ids::TYPE)).then_some(t)
    }

    /// `LOAD_GLOBAL`/`LOAD_NAME` (after the locals) of interned-string `key`
    /// found in the running frame's globals dict or in the builtins.
    #[inline]
    pub(super) fn load_global_fast(&mut self, globals: Obj, key: Obj) -> Option<Obj> {
        match self.dict_get_qstr(globals, key)? {
            Some(v) => Some(v),
            None => {
                let b = self.st.builtins;
                self.dict_get_qstr(b, key)?
            }
        }
    }

    /// `obj.key` when `obj` is an instance of a user class holding `key` in
    /// its own attribute dict (the first place the general lookup looks).
    #[inline]
    pub(super) fn load_attr_fast(&mut self, obj: Obj, key: Obj) -> Option<Obj> {
        self.instance_class(obj)?;
        let d = self.heap.words.load_obj(obj, 1)?;
        self.dict_get_qstr(d, key)?
    }

    /// `LOAD_METHOD` of `key` on an instance of a user class: the instance's
    /// own attribute (unbound), or a Python function in the class's own dict
    /// (bound to `obj`).
    #[inline]
    pub(super) fn load_method_fast(&mut self, obj: Obj, key: Obj) -> Option<(Obj, Obj)> {
        let t = self.instance_class(obj)?;
        let d = self.heap.words.load_obj(obj, 1)?;
        if let Some(v) = self.dict_get_qstr(d, key)? {
            return Some((v, Obj::NULL));
        }
        // Class layout: word 3 is the class's namespace dict.
        let ns = self.heap.words.load_obj(t, 3)?;
        let f = self.dict_get_qstr(ns, key)??;
        (f.is_heap_ref() && self.heap.words.load_obj(f, 0)? == types::type_obj(ids::FUNCTION)).then_some((f, obj))
    }

    /// `obj.key = value` when `obj` is an instance of a user class whose stores
    /// run no Python code and `key` already is in its attribute dict: the
    /// value is replaced in place. False when nothing was done.
    #[inline]
    pub(super) fn store_attr_fast(&mut self, obj: Obj, key: Obj, value: Obj) -> bool {
        let Some(t) = self.instance_class(obj) else { return false };
        if value.is_null() || self.class_has_special_store(t) {
            return false;
        }
        let Some(d) = self.heap.words.load_obj(obj, 1) else { return false };
        match self.dict_qstr_slot(d, key) {
            Some(Some((table, slot))) => self.heap.words.store_obj(table, 2 * slot + 1, value),
            _ => false,
        }
    }
}
