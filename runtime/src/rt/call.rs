//! Calling objects: built-in functions and methods (static objects), built-in
//! types (constructors), bytecode functions (a new frame run by the dispatch
//! loop), bound methods, user classes (instantiation) and `__call__`.

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{self, ids};
use crate::vm::Vm;

/// Calls special method `name` of `obj`'s class with `obj` first, if the class
/// (or a base) defines it.
pub fn call_dunder(vm: &mut Vm, obj: Obj, name: &str, args: &[Obj]) -> PyResult<Option<Obj>> {
    let t = vm.type_of(obj);
    let q = vm.intern(name)?;
    let Some((f, kind)) = vm.class_lookup(t, q, 0)? else { return Ok(None) };
    let mut full = Vec::with_capacity(args.len() + 1);
    if kind.is_none() {
        // A special method wrapped in staticmethod (no first argument) or classmethod
        // (the class first).
        let ft = vm.type_of(f);
        if ft == types::type_obj(ids::STATICMETHOD) || ft == types::type_obj(ids::CLASSMETHOD) {
            let inner = vm.get(f, 1);
            if ft == types::type_obj(ids::CLASSMETHOD) {
                full.push(t);
            }
            full.extend_from_slice(args);
            return vm.call(inner, &full, &[]).map(Some);
        }
    }
    full.push(if kind.is_some() { vm.native_self(obj) } else { obj });
    full.extend_from_slice(args);
    vm.call(f, &full, &[]).map(Some)
}

impl Vm {
    /// Calls `fun` with positional `args` and keyword `kw` (flat name, value pairs).
    pub fn call(&mut self, fun: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
        if let Some(id) = fun.static_object_id() {
            return crate::builtins::call_static(self, id, args, kw);
        }
        if let Some(tid) = fun.builtin_type_id() {
            return match types::desc(tid).and_then(|d| d.make_new) {
                Some(f) => f(self, fun, args, kw),
                None => {
                    let msg = alloc::format!("can't create '{}' instances", self.class_name(fun));
                    Err(self.type_error(&msg))
                }
            };
        }
        let t = self.type_of(fun);
        if t == types::type_obj(ids::FUNCTION) {
            return self.call_bytecode(fun, args, kw);
        }
        if t == types::type_obj(ids::BOUND_METHOD) {
            let (f, s) = (self.get(fun, 1), self.get(fun, 2));
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(s);
            full.extend_from_slice(args);
            return self.call(f, &full, kw);
        }
        if self.is_user_class(fun) {
            return types::class::instantiate(self, fun, args, kw);
        }
        if self.is_user_class(t) {
            let q = self.intern("__call__")?;
            if let Some((f, _)) = self.class_lookup(t, q, 0)? {
                let mut full = Vec::with_capacity(args.len() + 1);
                full.push(fun);
                full.extend_from_slice(args);
                return self.call(f, &full, kw);
            }
        }
        if let Some(f) = self.desc_of(fun).call {
            return f(self, fun, args, kw);
        }
        let msg = alloc::format!("'{}' object isn't callable", self.type_name(fun));
        Err(self.type_error(&msg))
    }

    /// Calls a bytecode function from native code: a new frame, run to completion
    /// (or, for generator functions, a new generator object).
    pub fn call_bytecode(&mut self, fun: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
        self.push_function_frame(fun, args, kw)?;
        if let Some(gen) = self.frame_to_generator()? {
            return Ok(gen);
        }
        let base = self.st.frames.len() - 1;
        match self.run_frames(base, None)? {
            crate::vm::dispatch::Outcome::Return(v) => Ok(v),
            crate::vm::dispatch::Outcome::Yield(_) => Err(self.internal_error("yield outside generator")),
        }
    }

    /// Creates a bound method object.
    pub fn new_bound_method(&mut self, fun: Obj, self_obj: Obj) -> PyResult<Obj> {
        let m = self.alloc(3)?;
        self.set(m, 0, types::type_obj(ids::BOUND_METHOD));
        self.set(m, 1, fun);
        self.set(m, 2, self_obj);
        Ok(m)
    }
}
