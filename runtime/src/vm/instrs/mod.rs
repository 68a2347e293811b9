//! Opcode families. [`Vm::execute`] routes each opcode to its family's file.

mod build;
mod call;
mod except;
mod flow;
pub(crate) use flow::ITER_SLOTS;
mod load;
mod names_fast;
pub(crate) use names_fast::{plain_builtin_type, MethodCache, NameCtx};
mod store;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::dispatch::{Instr, Step};
use crate::vm::Vm;
use ferropy_bytecode::opcode as op;

impl Vm {
    /// Maps operand `i` (an index into the module's qstr table) to a qstr.
    pub(crate) fn qstr_arg(&mut self, i: usize) -> PyResult<Qstr> {
        let code = self.st.frames.last().map(|f| f.code).unwrap_or(0);
        let q =
            self.st.codes.get(code).and_then(|u| self.st.contexts.get(u.context)).and_then(|c| c.qstrs.get(i)).copied();
        match q {
            Some(q) => Ok(q),
            None => Err(self.internal_error("bad qstr index")),
        }
    }

    /// Runs one decoded instruction.
    pub(crate) fn execute(&mut self, ins: Instr) -> PyResult<Step> {
        let o = ins.op;
        match o {
            op::LOAD_CONST_SMALL_INT_MULTI..=0xAF => {
                let v = i32::from(o - op::LOAD_CONST_SMALL_INT_MULTI) - op::LOAD_CONST_SMALL_INT_MULTI_EXCESS;
                self.push(Obj::from_small_int(v).unwrap_or(Obj::NONE))?;
            }
            op::LOAD_FAST_MULTI..=0xBF => self.op_load_fast(usize::from(o - op::LOAD_FAST_MULTI))?,
            op::STORE_FAST_MULTI..=0xCF => {
                let v = self.pop()?;
                self.set_local(usize::from(o - op::STORE_FAST_MULTI), v)?;
            }
            op::UNARY_OP_MULTI..=0xD3 => {
                let v = self.peek(0)?;
                let r = self.unary_op(o - op::UNARY_OP_MULTI, v)?;
                self.poke(0, r)?;
            }
            op::BINARY_OP_MULTI..=0xF9 => {
                let rhs = self.peek(0)?;
                let lhs = self.peek(1)?;
                let r = self.binary_op(o - op::BINARY_OP_MULTI, lhs, rhs)?;
                self.drop_n(1)?;
                self.poke(0, r)?;
            }
            op::LOAD_CONST_STRING..=op::LOAD_SUPER_METHOD | op::LOAD_CONST_SMALL_INT..=op::LOAD_DEREF => {
                return self.exec_load(ins)
            }
            op::LOAD_CONST_FALSE..=op::LOAD_BUILD_CLASS | op::LOAD_SUBSCR => return self.exec_load(ins),
            op::STORE_NAME..=op::DELETE_GLOBAL | op::STORE_FAST_N..=op::DELETE_DEREF | op::STORE_SUBSCR => {
                return self.exec_store(ins)
            }
            op::BUILD_TUPLE..=op::UNPACK_EX | op::STORE_MAP | op::MAKE_FUNCTION | op::MAKE_FUNCTION_DEFARGS => {
                return self.exec_build(ins)
            }
            op::MAKE_CLOSURE | op::MAKE_CLOSURE_DEFARGS => return self.exec_build(ins),
            op::CALL_FUNCTION..=op::CALL_METHOD_VAR_KW => return self.exec_call(ins),
            op::UNWIND_JUMP | op::SETUP_WITH..=op::POP_EXCEPT_JUMP | op::WITH_CLEANUP | op::END_FINALLY => {
                return self.exec_except(ins)
            }
            op::RETURN_VALUE | op::RAISE_LAST | op::RAISE_OBJ | op::RAISE_FROM => return self.exec_except(ins),
            _ => return self.exec_flow(ins),
        }
        Ok(Step::Next)
    }
}
