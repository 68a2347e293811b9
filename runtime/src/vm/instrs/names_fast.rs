//! Fast paths of the name and attribute instructions for their commonest
//! cases: a global found in the globals or builtins dict, an attribute found
//! in an instance's own dict or in a module's globals, a method found in the
//! dicts of its class and its user-class bases, and a store to an existing
//! instance attribute. Each one answers only when the outcome is exactly the
//! general path's (see `rt::attr`); anything else (a class with special
//! stores, a descriptor, a built-in base class, a name missing everywhere, a
//! key that is not an interned string, a dict that is not a plain one)
//! returns `None`/false and the general path runs. None of them raises, allocates
//! or calls anything, so the dispatch loop's fast path (`vm::fast`) runs
//! them too, through a [`NameCtx`].

use crate::gc::HeapWords;
use crate::obj::Obj;
use crate::qstr::QstrPool;
use crate::types::class::{CLASS_FLAGS, CLASS_SPECIAL_STORE};
use crate::types::dict::{dict_qstr_slot, MAP_CACHE_SIZE};
use crate::types::{self, ids};
use crate::vm::Vm;

/// Deepest base-class nesting the method fast path walks (deeper: general path).
const MAX_BASE_DEPTH: usize = 8;

/// Entries of the built-in method cache (a power of two).
const METHOD_CACHE_SIZE: usize = 128;

/// Instance methods of built-in types found by the general `LOAD_METHOD` on
/// an instance of the type itself: `(name, type object)` to the method's
/// static object, direct mapped. A built-in type's method table never
/// changes, so an entry never goes stale; entries are only replaced by
/// others mapping to the same place. Every word is an immediate object (the
/// VM may live on the machine stack, which the collector scans
/// conservatively: a plain number could look like a heap reference).
pub(crate) struct MethodCache {
    /// `[name qstr word, type object word, method object word]`; a zero name
    /// word is empty (an interned-string object is never zero).
    entries: [[u32; 3]; METHOD_CACHE_SIZE],
}

impl MethodCache {
    /// An empty cache.
    pub(crate) const fn new() -> MethodCache {
        MethodCache { entries: [[0; 3]; METHOD_CACHE_SIZE] }
    }

    #[inline(always)]
    fn index(key: Obj, t: Obj) -> usize {
        ((key.raw() >> 3) ^ (t.raw() >> 3).wrapping_mul(0x9e37)) as usize & (METHOD_CACHE_SIZE - 1)
    }

    /// The cached instance method `key` of the objects of type `t` (only
    /// built-in types that [`plain_builtin_type`] accepts are ever put).
    #[inline(always)]
    pub(crate) fn get(&self, key: Obj, t: Obj) -> Option<Obj> {
        let e = self.entries.get(Self::index(key, t))?;
        (e[0] == key.raw() && e[1] == t.raw()).then(|| Obj::from_raw(e[2]))
    }

    /// Records that instance method `key` of built-in type `t` is `fun`.
    pub(crate) fn put(&mut self, key: Obj, t: Obj, fun: Obj) {
        if let Some(e) = self.entries.get_mut(Self::index(key, t)) {
            *e = [key.raw(), t.raw(), fun.raw()];
        }
    }
}

/// True when `LOAD_METHOD` on an object of type `t` is served by built-in
/// type `t`'s method table, with the method bound to the object itself: the
/// object is not a class (`t` would be `type`), module or `super` object,
/// nor an instance of a user class (`t` would not be built in).
#[inline]
pub(crate) fn plain_builtin_type(t: Obj) -> bool {
    t.builtin_type_id().is_some_and(|id| !matches!(id, ids::TYPE | ids::MODULE | ids::SUPER))
}

/// The VM state the name and attribute fast paths use, borrowed apart from
/// the running frame.
pub(crate) struct NameCtx<'a> {
    /// The heap's words.
    pub words: &'a mut HeapWords,
    /// The map lookup cache (`VmState::map_cache`).
    pub map_cache: &'a mut [u8; MAP_CACHE_SIZE],
    /// The interned strings (for their hashes).
    pub pool: &'a QstrPool,
    /// The builtins dict.
    pub builtins: Obj,
    /// `VmState::special_store_added_late`.
    pub special_store_late: bool,
    /// The built-in method cache (`VmState::method_cache`).
    pub methods: &'a MethodCache,
}

impl NameCtx<'_> {
    /// `d[key]` for interned-string `key` (see [`dict_qstr_slot`]).
    #[inline(always)]
    fn dict_get(&mut self, d: Obj, key: Obj) -> Option<Option<Obj>> {
        match dict_qstr_slot(self.words.words(), self.map_cache, self.pool, d, key)? {
            Some((table, slot)) => Some(Some(self.words.load_obj(table, 2 * slot + 1)?)),
            None => Some(None),
        }
    }

    /// [`NameCtx::dict_get`] for the rarer paths (and `LOAD_SUBSCR` of a
    /// dict), kept out of line so the common ones keep theirs inlined.
    #[inline(never)]
    pub fn dict_get_outlined(&mut self, d: Obj, key: Obj) -> Option<Option<Obj>> {
        self.dict_get(d, key)
    }

    /// `d[key] = value` when `d` is an exact dict already holding
    /// interned-string `key` (`STORE_SUBSCR`; a new key needs room: general
    /// path). False when nothing was stored.
    #[inline(never)]
    pub fn dict_replace(&mut self, d: Obj, key: Obj, value: Obj) -> bool {
        match dict_qstr_slot(self.words.words(), self.map_cache, self.pool, d, key) {
            Some(Some((table, slot))) => self.words.store_obj(table, 2 * slot + 1, value),
            _ => false,
        }
    }

    /// True when `t` is a user class (a `type` object made by a class
    /// statement; its instances keep their attributes in a dict at word 1).
    #[inline]
    fn is_user_class(&self, t: Obj) -> bool {
        t.is_heap_ref() && self.words.load_obj(t, 0) == Some(types::type_obj(ids::TYPE))
    }

    /// The user class of `obj` when `obj` is an instance of one (its word 1
    /// then is its attribute dict).
    #[inline]
    fn instance_class(&self, obj: Obj) -> Option<Obj> {
        if !obj.is_heap_ref() {
            return None;
        }
        let t = self.words.load_obj(obj, 0)?;
        self.is_user_class(t).then_some(t)
    }

    /// `LOAD_GLOBAL`/`LOAD_NAME` (after the locals) of interned-string `key`
    /// found in the globals dict or in the builtins.
    #[inline]
    pub fn load_global(&mut self, globals: Obj, key: Obj) -> Option<Obj> {
        match self.dict_get(globals, key)? {
            Some(v) => Some(v),
            None => self.dict_get(self.builtins, key)?,
        }
    }

    /// `LOAD_NAME` of interned-string `key`: the locals dict (when there is
    /// one), then the globals and the builtins.
    #[inline]
    pub fn load_name(&mut self, locals: Obj, globals: Obj, key: Obj) -> Option<Obj> {
        if !locals.is_null() {
            if let Some(v) = self.dict_get(locals, key)? {
                return Some(v);
            }
        }
        self.load_global(globals, key)
    }

    /// `obj.key` when `obj` is an instance of a user class holding `key` in
    /// its own attribute dict (the first place the general lookup looks), or
    /// a module whose globals hold `key`.
    #[inline]
    pub fn load_attr(&mut self, obj: Obj, key: Obj) -> Option<Obj> {
        if !obj.is_heap_ref() {
            return None;
        }
        let t = self.words.load_obj(obj, 0)?;
        if t == types::type_obj(ids::MODULE) {
            return self.module_attr(obj, key);
        }
        if !self.is_user_class(t) {
            return None;
        }
        let d = self.words.load_obj(obj, 1)?;
        self.dict_get(d, key)?
    }

    /// Attribute `key` of module `m` when its globals hold it (looked at
    /// first, even for `__dict__`; a missing one may be `__dict__` or come
    /// from the module's `__getattr__`: general path).
    #[inline(never)]
    fn module_attr(&mut self, m: Obj, key: Obj) -> Option<Obj> {
        let g = self.words.load_obj(m, 1)?;
        self.dict_get_outlined(g, key)?
    }

    /// `key` in the namespace of the bases of user class `cls` and of
    /// theirs, depth first as `Vm::class_lookup`: `Some(None)` when none has
    /// it. `None` (general path) when a base is a built-in type other than
    /// `object` (searched last by the general path too), the bases are not a
    /// plain tuple, or the nesting is deeper than [`MAX_BASE_DEPTH`].
    #[inline(never)]
    fn bases_get(&mut self, cls: Obj, key: Obj, depth: usize) -> Option<Option<Obj>> {
        if depth > MAX_BASE_DEPTH {
            return None;
        }
        // Class layout: word 2 is the bases tuple, word 3 the namespace dict.
        let bases = self.words.load_obj(cls, 2)?;
        if !bases.is_heap_ref() || self.words.load_obj(bases, 0)? != types::type_obj(ids::TUPLE) {
            return None;
        }
        // Tuple layout: word 1 is the length, the items follow.
        let n = self.words.load(bases, 1)? as usize;
        for i in 0..n {
            let b = self.words.load_obj(bases, 2 + i)?;
            if b == types::type_obj(ids::OBJECT) {
                continue;
            }
            if !self.is_user_class(b) {
                return None;
            }
            let ns = self.words.load_obj(b, 3)?;
            if let Some(v) = self.dict_get_outlined(ns, key)? {
                return Some(Some(v));
            }
            if let Some(v) = self.bases_get(b, key, depth + 1)? {
                return Some(Some(v));
            }
        }
        Some(None)
    }

    /// `LOAD_METHOD` of `key` on an instance of a user class: the instance's
    /// own attribute (unbound), or a Python function found in the class or
    /// its user-class bases (bound to `obj`). On a module: its attribute
    /// (unbound), as [`NameCtx::load_attr`].
    #[inline(always)]
    pub fn load_method(&mut self, obj: Obj, key: Obj) -> Option<(Obj, Obj)> {
        if !obj.is_heap_ref() {
            return None;
        }
        let t = self.words.load_obj(obj, 0)?;
        if t == types::type_obj(ids::MODULE) {
            return Some((self.module_attr(obj, key)?, Obj::NULL));
        }
        if !self.is_user_class(t) {
            return None;
        }
        let d = self.words.load_obj(obj, 1)?;
        if let Some(v) = self.dict_get(d, key)? {
            return Some((v, Obj::NULL));
        }
        // Class layout: word 3 is the class's namespace dict.
        let ns = self.words.load_obj(t, 3)?;
        let f = match self.dict_get(ns, key)? {
            Some(f) => f,
            None => self.bases_get(t, key, 0)??,
        };
        (f.is_heap_ref() && self.words.load_obj(f, 0)? == types::type_obj(ids::FUNCTION)).then_some((f, obj))
    }

    /// `LOAD_METHOD` of `key` on the value on top of `state` (below index
    /// `sp`, with room above it) when that value's type is a built-in type
    /// whose method `key` is in the method cache: the stack becomes `method,
    /// value`. False (nothing done) otherwise. The value is read and written
    /// here only, out of line: a copy kept in the dispatch loop's frame would
    /// outlive it for the conservative stack scan.
    #[inline(never)]
    pub fn builtin_method(&self, state: &mut [Obj], sp: usize, key: Obj) -> bool {
        let Some(&obj) = sp.checked_sub(1).and_then(|top| state.get(top)) else { return false };
        let t = if obj.is_small_int() {
            types::type_obj(ids::INT)
        } else if obj.is_qstr() {
            types::type_obj(ids::STR)
        } else if obj.is_heap_ref() {
            match self.words.load_obj(obj, 0) {
                Some(t) => t,
                None => return false,
            }
        } else {
            return false;
        };
        let Some(fun) = self.methods.get(key, t) else { return false };
        match state.get_mut(sp - 1..=sp) {
            Some([m, s]) => {
                *m = fun;
                *s = obj;
                true
            }
            _ => false,
        }
    }

    /// `obj.key = value` when `obj` is an instance of a user class whose stores
    /// run no Python code (`Vm::class_has_special_store`) and `key` already is
    /// in its attribute dict: the value is replaced in place. False when
    /// nothing was done.
    #[inline]
    pub fn store_attr(&mut self, obj: Obj, key: Obj, value: Obj) -> bool {
        let Some(t) = self.instance_class(obj) else { return false };
        let flags = self.words.load_obj(t, CLASS_FLAGS).and_then(|f| f.small_int_value());
        if value.is_null() || self.special_store_late || flags.is_none_or(|f| f & CLASS_SPECIAL_STORE != 0) {
            return false;
        }
        let Some(d) = self.words.load_obj(obj, 1) else { return false };
        match dict_qstr_slot(self.words.words(), self.map_cache, self.pool, d, key) {
            Some(Some((table, slot))) => self.words.store_obj(table, 2 * slot + 1, value),
            _ => false,
        }
    }
}

impl Vm {
    /// The fast paths' view of this VM.
    #[inline]
    pub(crate) fn name_ctx(&mut self) -> NameCtx<'_> {
        NameCtx {
            words: &mut self.heap.words,
            map_cache: &mut self.st.map_cache,
            pool: &self.st.qstrs,
            builtins: self.st.builtins,
            special_store_late: self.st.special_store_added_late,
            methods: &self.st.method_cache,
        }
    }

    /// [`NameCtx::load_global`] on this VM.
    #[inline]
    pub(super) fn load_global_fast(&mut self, globals: Obj, key: Obj) -> Option<Obj> {
        self.name_ctx().load_global(globals, key)
    }

    /// [`NameCtx::load_name`] on this VM.
    #[inline]
    pub(super) fn load_name_fast(&mut self, locals: Obj, globals: Obj, key: Obj) -> Option<Obj> {
        self.name_ctx().load_name(locals, globals, key)
    }

    /// [`NameCtx::load_attr`] on this VM.
    #[inline]
    pub(super) fn load_attr_fast(&mut self, obj: Obj, key: Obj) -> Option<Obj> {
        self.name_ctx().load_attr(obj, key)
    }

    /// [`NameCtx::load_method`] on this VM.
    #[inline]
    pub(super) fn load_method_fast(&mut self, obj: Obj, key: Obj) -> Option<(Obj, Obj)> {
        self.name_ctx().load_method(obj, key)
    }

    /// [`NameCtx::store_attr`] on this VM.
    #[inline]
    pub(super) fn store_attr_fast(&mut self, obj: Obj, key: Obj, value: Obj) -> bool {
        self.name_ctx().store_attr(obj, key, value)
    }
}
