//! Loads: constants, locals, cells, names, attributes, methods, subscripts.

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::dispatch::{Instr, Step};
use crate::vm::Vm;
use ferropy_bytecode::opcode as op;

impl Vm {
    pub(super) fn op_load_fast(&mut self, i: usize) -> PyResult<()> {
        let v = self.local(i)?;
        if v.is_null() {
            return Err(self.new_error(ids::NAME_ERROR, "local variable referenced before assignment"));
        }
        self.push(v)
    }

    /// Looks a name up in globals then builtins.
    pub(crate) fn load_global_name(&mut self, q: crate::qstr::Qstr) -> PyResult<Obj> {
        let key = Obj::from_qstr(q).unwrap_or(Obj::NONE);
        let globals = self.frame()?.globals;
        if self.is_dict(globals) {
            if let Some(v) = self.dict_get(globals, key)? {
                return Ok(v);
            }
        }
        let b = self.st.builtins;
        if let Some(v) = self.dict_get(b, key)? {
            return Ok(v);
        }
        let msg = alloc::format!("name '{}' isn't defined", self.qstr_text(q));
        Err(self.new_error(ids::NAME_ERROR, &msg))
    }

    pub(super) fn exec_load(&mut self, ins: Instr) -> PyResult<Step> {
        match ins.op {
            op::LOAD_CONST_STRING => {
                let q = self.qstr_arg(ins.arg)?;
                self.push(Obj::from_qstr(q).unwrap_or(Obj::NONE))?;
            }
            op::LOAD_NAME => {
                let q = self.qstr_arg(ins.arg)?;
                let f = self.frame()?;
                let (locals, globals) = (f.locals, f.globals);
                let key = Obj::from_qstr(q).unwrap_or(Obj::NONE);
                if let Some(v) = self.load_name_fast(locals, globals, key) {
                    self.push(v)?;
                    return Ok(Step::Next);
                }
                let v = match if self.is_dict(locals) { self.dict_get(locals, key)? } else { None } {
                    Some(v) => v,
                    None => self.load_global_name(q)?,
                };
                self.push(v)?;
            }
            op::LOAD_GLOBAL => {
                let q = self.qstr_arg(ins.arg)?;
                let globals = self.frame()?.globals;
                let key = Obj::from_qstr(q).unwrap_or(Obj::NONE);
                let v = match self.load_global_fast(globals, key) {
                    Some(v) => v,
                    None => self.load_global_name(q)?,
                };
                self.push(v)?;
            }
            op::LOAD_ATTR => {
                let q = self.qstr_arg(ins.arg)?;
                let obj = self.peek(0)?;
                let v = match self.load_attr_fast(obj, Obj::from_qstr(q).unwrap_or(Obj::NONE)) {
                    Some(v) => v,
                    None => self.load_attr(obj, q)?,
                };
                self.poke(0, v)?;
            }
            op::LOAD_METHOD => {
                let q = self.qstr_arg(ins.arg)?;
                let obj = self.peek(0)?;
                let key = Obj::from_qstr(q).unwrap_or(Obj::NONE);
                let (f, s) = match self.load_method_fast(obj, key) {
                    Some(found) => found,
                    None => {
                        let t = self.type_of(obj);
                        match self.st.method_cache.get(key, t) {
                            // Only the types `plain_builtin_type` accepts are in the cache.
                            Some(f) => (f, obj),
                            None => {
                                let found = self.load_method(obj, q)?;
                                // Once cached, the fast loop serves this method
                                // without the deep lookup, which would otherwise
                                // overwrite the receiver copies it left on the
                                // stack (and so keep them from the stack scan).
                                self.st.wipe_stack |= self.st.method_cache.get(key, t).is_some();
                                found
                            }
                        }
                    }
                };
                self.poke(0, f)?;
                self.push(s)?;
            }
            op::LOAD_SUPER_METHOD => {
                let q = self.qstr_arg(ins.arg)?;
                let self_obj = self.peek(0)?;
                let cls = self.peek(1)?;
                let (f, s) = match self.super_lookup(cls, q)? {
                    Some((f, kind)) => {
                        let t = self.type_of(f);
                        if t == crate::types::type_obj(ids::STATICMETHOD) {
                            (self.get(f, 1), Obj::NULL)
                        } else if t == crate::types::type_obj(ids::CLASSMETHOD) {
                            // Bound to the class; in a classmethod `self_obj` already is one.
                            let cls_of = if self.is_class(self_obj) { self_obj } else { self.type_of(self_obj) };
                            (self.get(f, 1), cls_of)
                        } else if kind == Some(crate::types::MethodKind::Static) {
                            (f, Obj::NULL)
                        } else if kind == Some(crate::types::MethodKind::Class) {
                            let cls_of = if self.is_class(self_obj) { self_obj } else { self.type_of(self_obj) };
                            (f, cls_of)
                        } else if kind.is_some() && !crate::types::misc::is_object_method(f) {
                            // A built-in type's method acts on the native part of the instance.
                            (f, self.native_self(self_obj))
                        } else {
                            (f, self_obj)
                        }
                    }
                    None => {
                        let msg = alloc::format!("'super' object has no attribute '{}'", self.qstr_text(q));
                        return Err(self.new_error(ids::ATTRIBUTE_ERROR, &msg));
                    }
                };
                self.drop_n(1)?;
                self.poke(1, f)?;
                self.poke(0, s)?;
            }
            op::LOAD_CONST_SMALL_INT => {
                let v = self.new_int(ins.sarg)?;
                self.push(v)?;
            }
            op::LOAD_CONST_OBJ => {
                let code = self.frame()?.code;
                let ctx = self.st.codes.get(code).map(|u| u.context).unwrap_or(0);
                let consts = self.st.contexts.get(ctx).map(|c| c.consts).unwrap_or(Obj::NULL);
                if ins.arg >= self.get_usize(consts, 1) {
                    return Err(self.internal_error("bad constant index"));
                }
                let v = self.get(consts, 2 + ins.arg);
                self.push(v)?;
            }
            op::LOAD_FAST_N => self.op_load_fast(ins.arg)?,
            op::LOAD_DEREF => {
                let cell = self.local(ins.arg)?;
                let v = self.get(cell, 1);
                if v.is_null() {
                    return Err(self.new_error(ids::NAME_ERROR, "local variable referenced before assignment"));
                }
                self.push(v)?;
            }
            op::LOAD_CONST_FALSE => self.push(Obj::FALSE)?,
            op::LOAD_CONST_NONE => self.push(Obj::NONE)?,
            op::LOAD_CONST_TRUE => self.push(Obj::TRUE)?,
            op::LOAD_NULL => self.push(Obj::NULL)?,
            op::LOAD_BUILD_CLASS => {
                // `builtins.__build_class__` may have been replaced.
                let b = self.st.builtins;
                let f = match self.dict_get_str(b, "__build_class__")? {
                    Some(f) => f,
                    None => crate::builtins::function_obj("__build_class__"),
                };
                self.push(f)?
            }
            op::LOAD_SUBSCR => {
                let index = self.peek(0)?;
                let base = self.peek(1)?;
                let v = self.subscr(base, index, Obj::SENTINEL)?;
                self.drop_n(1)?;
                self.poke(0, v)?;
            }
            _ => return Err(self.internal_error("bad load opcode")),
        }
        Ok(Step::Next)
    }

    /// Turns a raised object into an exception instance (classes are called).
    pub fn make_raise_obj(&mut self, o: Obj) -> PyResult<Obj> {
        if self.is_class(o) {
            let base = crate::types::type_obj(ids::BASE_EXCEPTION);
            if self.is_subclass(o, base) {
                let e = self.call(o, &[], &[])?;
                if self.is_exception(e) {
                    return Ok(e);
                }
            }
        } else if self.is_exception(o) {
            return Ok(o);
        }
        Err(self.type_error("exceptions must derive from BaseException"))
    }

    /// A PyErr for raising `o` (a class or an instance).
    pub fn raise_obj(&mut self, o: Obj) -> PyErr {
        match self.make_raise_obj(o) {
            Ok(e) => PyErr(e),
            Err(e) => e,
        }
    }
}
