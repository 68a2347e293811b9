//! Stores and deletes: names, locals, cells, attributes, subscripts.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::dispatch::{Instr, Step};
use crate::vm::Vm;
use ferropy_bytecode::opcode as op;

impl Vm {
    fn name_dict(&mut self, global: bool) -> PyResult<Obj> {
        let f = self.frame()?;
        Ok(if global || f.locals.is_null() { f.globals } else { f.locals })
    }

    pub(super) fn exec_store(&mut self, ins: Instr) -> PyResult<Step> {
        match ins.op {
            op::STORE_NAME | op::STORE_GLOBAL => {
                let q = self.qstr_arg(ins.arg)?;
                let d = self.name_dict(ins.op == op::STORE_GLOBAL)?;
                let v = self.peek(0)?;
                self.dict_store(d, Obj::from_qstr(q).unwrap_or(Obj::NONE), v)?;
                self.drop_n(1)?;
            }
            op::DELETE_NAME | op::DELETE_GLOBAL => {
                let q = self.qstr_arg(ins.arg)?;
                let d = self.name_dict(ins.op == op::DELETE_GLOBAL)?;
                if self.dict_remove(d, Obj::from_qstr(q).unwrap_or(Obj::NONE))?.is_none() {
                    let msg = alloc::format!("name '{}' isn't defined", self.qstr_text(q));
                    return Err(self.new_error(ids::NAME_ERROR, &msg));
                }
            }
            op::STORE_ATTR => {
                let q = self.qstr_arg(ins.arg)?;
                let obj = self.peek(0)?;
                let v = self.peek(1)?;
                if !self.store_attr_fast(obj, Obj::from_qstr(q).unwrap_or(Obj::NONE), v) {
                    self.store_attr(obj, q, v)?;
                }
                self.drop_n(2)?;
            }
            op::STORE_FAST_N => {
                let v = self.pop()?;
                self.set_local(ins.arg, v)?;
            }
            op::STORE_DEREF => {
                let v = self.pop()?;
                let cell = self.local(ins.arg)?;
                self.set(cell, 1, v);
            }
            op::DELETE_FAST => {
                if self.local(ins.arg)?.is_null() {
                    return Err(self.new_error(ids::NAME_ERROR, "local variable referenced before assignment"));
                }
                self.set_local(ins.arg, Obj::NULL)?;
            }
            op::DELETE_DEREF => {
                let cell = self.local(ins.arg)?;
                if self.get(cell, 1).is_null() {
                    return Err(self.new_error(ids::NAME_ERROR, "local variable referenced before assignment"));
                }
                self.set(cell, 1, Obj::NULL);
            }
            op::STORE_SUBSCR => {
                let index = self.peek(0)?;
                let base = self.peek(1)?;
                let v = self.peek(2)?;
                self.subscr(base, index, v)?;
                self.drop_n(3)?;
            }
            _ => return Err(self.internal_error("bad store opcode")),
        }
        Ok(Step::Next)
    }
}
