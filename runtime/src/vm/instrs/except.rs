//! Exception blocks and the control transfers that cross them: SETUP_*,
//! POP_EXCEPT_JUMP, WITH_CLEANUP, END_FINALLY, UNWIND_JUMP, RETURN_VALUE and
//! the raises. Finally blocks run "as coroutines" with a small-int marker on
//! the stack, exactly as MicroPython's vm.c does (see the reference notes §1.6).

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::dispatch::{Instr, Step};
use crate::vm::{ExcBlock, Vm};
use ferropy_bytecode::opcode as op;

use super::flow::ITER_SLOTS;

fn small(v: i64) -> Obj {
    Obj::from_small_int(v as i32).unwrap_or(Obj::NONE)
}

impl Vm {
    fn push_block(&mut self, handler: usize, finally: bool) -> PyResult<()> {
        let f = self.frame()?;
        let val_sp = f.sp;
        f.exc.push(ExcBlock { handler, val_sp, finally, prev_exc: Obj::NULL });
        Ok(())
    }

    fn pop_block(&mut self) -> PyResult<()> {
        if self.frame()?.exc.pop().is_none() {
            return Err(self.internal_error("exception block underflow"));
        }
        Ok(())
    }

    /// Drops an already active finally's saved state under the top value.
    fn cancel_active_finally(&mut self) -> PyResult<()> {
        let top = self.peek(0)?;
        if self.peek(1)?.is_small_int() {
            self.drop_n(2)?;
            self.poke(0, top)
        } else {
            self.drop_n(1)?;
            self.poke(0, top)
        }
    }

    fn unwind_jump(&mut self, mut unum: usize) -> PyResult<Step> {
        while unum & 0x7f > 0 {
            unum -= 1;
            let (ip, block) = {
                let f = self.frame()?;
                (f.ip, f.exc.last().copied())
            };
            let Some(b) = block else { return Err(self.internal_error("exception block underflow")) };
            if b.finally {
                if b.handler >= ip {
                    if self.frame_is_native() {
                        // Native handlers find the destination at the block's depth.
                        let dest = self.pop()?;
                        self.frame()?.sp = b.val_sp;
                        self.push(dest)?;
                    }
                    self.push(small(unum as i64))?;
                    self.frame()?.ip = b.handler;
                    return Ok(Step::Next);
                }
                self.cancel_active_finally()?;
            }
            self.pop_block()?;
        }
        let dest = self.pop()?;
        let Some(dest) = dest.small_int_value().and_then(|d| usize::try_from(d).ok()) else {
            return Err(self.internal_error("bad jump destination"));
        };
        self.frame()?.ip = dest;
        if unum != 0 {
            self.drop_n(ITER_SLOTS)?;
        }
        Ok(Step::Next)
    }

    fn frame_is_native(&self) -> bool {
        self.st.frames.last().is_some_and(|f| self.is_native_unit(f.code))
    }

    fn unwind_return(&mut self) -> PyResult<Step> {
        loop {
            let (ip, block) = {
                let f = self.frame()?;
                (f.ip, f.exc.last().copied())
            };
            let Some(b) = block else { break };
            if b.finally {
                if b.handler >= ip {
                    let ret = self.peek(0)?;
                    let f = self.frame()?;
                    if b.val_sp >= f.state.len() || b.val_sp >= f.sp {
                        return Err(self.internal_error("bad finally stack"));
                    }
                    f.state[b.val_sp] = ret;
                    f.sp = b.val_sp + 1;
                    f.ip = b.handler;
                    self.push(small(-1))?;
                    return Ok(Step::Next);
                }
                self.cancel_active_finally()?;
            }
            self.pop_block()?;
        }
        let v = self.pop()?;
        Ok(Step::Return(v))
    }

    fn call_exit(&mut self, exit: Obj, self_obj: Obj, a: Obj, b: Obj, c: Obj) -> PyResult<Obj> {
        if self_obj.is_null() {
            self.call(exit, &[a, b, c], &[])
        } else {
            self.call(exit, &[self_obj, a, b, c], &[])
        }
    }

    pub(super) fn exec_except(&mut self, ins: Instr) -> PyResult<Step> {
        match ins.op {
            op::SETUP_EXCEPT | op::SETUP_FINALLY => self.push_block(ins.arg, ins.op == op::SETUP_FINALLY)?,
            op::SETUP_WITH => {
                let ctx = self.peek(0)?;
                let exit_q = self.intern("__exit__")?;
                let enter_q = self.intern("__enter__")?;
                let (exit_f, exit_self) = self.load_method(ctx, exit_q)?;
                self.poke(0, exit_f)?;
                self.push(exit_self)?;
                let (enter_f, enter_self) = self.load_method(ctx, enter_q)?;
                let ret = if enter_self.is_null() {
                    self.call(enter_f, &[], &[])?
                } else {
                    self.call(enter_f, &[enter_self], &[])?
                };
                self.push_block(ins.arg, true)?;
                self.push(ret)?;
            }
            op::POP_EXCEPT_JUMP => {
                self.pop_block()?;
                self.frame()?.ip = ins.arg;
            }
            op::UNWIND_JUMP => {
                self.push(small(ins.arg as i64))?;
                return self.unwind_jump(usize::from(ins.extra));
            }
            op::WITH_CLEANUP => {
                let top = self.peek(0)?;
                if top == Obj::NONE {
                    let (exit, s) = (self.peek(2)?, self.peek(1)?);
                    self.call_exit(exit, s, Obj::NONE, Obj::NONE, Obj::NONE)?;
                    self.drop_n(2)?;
                    self.poke(0, Obj::NONE)?;
                } else if top.is_small_int() {
                    let (exit, s, data) = (self.peek(3)?, self.peek(2)?, self.peek(1)?);
                    self.call_exit(exit, s, Obj::NONE, Obj::NONE, Obj::NONE)?;
                    self.drop_n(2)?;
                    self.poke(1, data)?;
                    self.poke(0, top)?;
                } else {
                    let (exit, s) = (self.peek(2)?, self.peek(1)?);
                    let t = self.type_of(top);
                    let r = self.call_exit(exit, s, t, top, Obj::NONE)?;
                    let swallow = self.is_true(r)?;
                    self.drop_n(2)?;
                    self.poke(0, if swallow { Obj::NONE } else { top })?;
                }
            }
            op::END_FINALLY => {
                self.pop_block()?;
                let top = self.pop()?;
                if top == Obj::NONE {
                } else if let Some(cause) = top.small_int_value() {
                    if cause < 0 {
                        return self.unwind_return();
                    }
                    return self.unwind_jump(cause as usize);
                } else {
                    return Err(PyErr(top));
                }
            }
            op::RETURN_VALUE => return self.unwind_return(),
            op::RAISE_LAST => {
                let found = self.frame()?.exc.iter().rev().map(|b| b.prev_exc).find(|e| !e.is_null());
                return Err(match found {
                    Some(e) => PyErr(e),
                    None => self.new_error(ids::RUNTIME_ERROR, "no active exception to reraise"),
                });
            }
            op::RAISE_OBJ | op::RAISE_FROM => {
                if ins.op == op::RAISE_FROM {
                    let from = self.peek(0)?;
                    self.drop_n(1)?;
                    if from != Obj::NONE {
                        self.write_err(b"Warning: exception chaining not supported\n");
                    }
                }
                let o = self.peek(0)?;
                return Err(self.raise_obj(o));
            }
            _ => return Err(self.internal_error("bad exception opcode")),
        }
        Ok(Step::Next)
    }
}
