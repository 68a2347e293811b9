//! Control flow: jumps, stack shuffles, iteration, yields, imports.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::generator::GenResult;
use crate::types::ids;
use crate::vm::dispatch::{Instr, Step};
use crate::vm::Vm;
use ferropy_bytecode::opcode as op;

/// Value-stack slots a for-loop iterator occupies.
pub(crate) const ITER_SLOTS: usize = 4;

impl Vm {
    fn jump(&mut self, target: usize) -> PyResult<()> {
        let f = self.frame()?;
        let backward = target <= f.op_ip;
        f.ip = target;
        if backward {
            self.check_interrupt()?;
        }
        Ok(())
    }

    pub(crate) fn exec_flow(&mut self, ins: Instr) -> PyResult<Step> {
        match ins.op {
            op::JUMP => self.jump(ins.arg)?,
            op::POP_JUMP_IF_TRUE | op::POP_JUMP_IF_FALSE => {
                let v = self.pop()?;
                if self.is_true(v)? == (ins.op == op::POP_JUMP_IF_TRUE) {
                    self.jump(ins.arg)?;
                }
            }
            op::JUMP_IF_TRUE_OR_POP | op::JUMP_IF_FALSE_OR_POP => {
                let v = self.peek(0)?;
                if self.is_true(v)? == (ins.op == op::JUMP_IF_TRUE_OR_POP) {
                    self.jump(ins.arg)?;
                } else {
                    self.drop_n(1)?;
                }
            }
            op::DUP_TOP => {
                let v = self.peek(0)?;
                self.push(v)?;
            }
            op::DUP_TOP_TWO => {
                let (a, b) = (self.peek(1)?, self.peek(0)?);
                self.push(a)?;
                self.push(b)?;
            }
            op::POP_TOP => self.drop_n(1)?,
            op::ROT_TWO => {
                let (a, b) = (self.peek(1)?, self.peek(0)?);
                self.poke(1, b)?;
                self.poke(0, a)?;
            }
            op::ROT_THREE => {
                let (a, b, c) = (self.peek(2)?, self.peek(1)?, self.peek(0)?);
                self.poke(2, c)?;
                self.poke(1, a)?;
                self.poke(0, b)?;
            }
            op::GET_ITER => {
                let v = self.peek(0)?;
                let it = self.get_iter(v)?;
                self.poke(0, it)?;
            }
            op::GET_ITER_STACK => {
                let v = self.peek(0)?;
                // Sequences, dicts and sets are iterated in place (no heap).
                let (it, index) = if self.iterates_by_position(v) {
                    (v, Obj::from_small_int(0).unwrap_or(Obj::NULL))
                } else {
                    (self.get_iter(v)?, Obj::NULL)
                };
                self.poke(0, Obj::NULL)?;
                self.push(it)?;
                self.push(index)?;
                self.push(Obj::NULL)?;
            }
            op::FOR_ITER => {
                if let Some(i) = self.peek(ITER_SLOTS - 3)?.small_int_value() {
                    // A sequence iterated in place (see GET_ITER_STACK).
                    let seq = self.peek(ITER_SLOTS - 2)?;
                    let step = match crate::vm::fast::in_place_item(&self.heap.words, seq, i as usize) {
                        Some(item) => item.zip(Obj::from_small_int(i + 1)),
                        None => self
                            .step_in_place(seq, i as usize)?
                            .and_then(|(v, n)| Some((v, Obj::from_small_int(i32::try_from(n).ok()?)?))),
                    };
                    match step {
                        Some((v, next)) => {
                            self.poke(ITER_SLOTS - 3, next)?;
                            self.push(v)?;
                        }
                        _ => {
                            self.drop_n(ITER_SLOTS)?;
                            self.jump(ins.arg)?;
                        }
                    }
                    return Ok(Step::Next);
                }
                let it = self.peek(ITER_SLOTS - 2)?;
                if self.gen_resume_in_place(it, ins.arg)? {
                    return Ok(Step::Next);
                }
                let v = self.iter_next(it)?;
                if v.is_null() {
                    self.drop_n(ITER_SLOTS)?;
                    self.jump(ins.arg)?;
                } else {
                    self.push(v)?;
                }
            }
            op::YIELD_VALUE => {
                let v = self.pop()?;
                return Ok(Step::Yield(v));
            }
            op::YIELD_FROM => return self.op_yield_from(),
            op::IMPORT_NAME => {
                let q = self.qstr_arg(ins.arg)?;
                self.op_import_name(q)?;
            }
            op::IMPORT_FROM => {
                let q = self.qstr_arg(ins.arg)?;
                self.op_import_from(q)?;
            }
            op::IMPORT_STAR => self.op_import_star()?,
            _ => {
                let msg = alloc::format!("opcode 0x{:02x} not implemented", ins.op);
                return Err(self.internal_error(&msg));
            }
        }
        Ok(Step::Next)
    }

    fn op_yield_from(&mut self) -> PyResult<Step> {
        let send = self.peek(0)?;
        let sub = self.peek(1)?;
        let result = if self.type_of(sub) == crate::types::type_obj(ids::GENERATOR) {
            self.gen_resume(sub, send, None)?
        } else if send == Obj::NONE {
            let next = if self.is_user_class(self.type_of(sub)) {
                match crate::rt::call_dunder(self, sub, "__next__", &[]) {
                    Ok(Some(v)) => Ok(v),
                    Ok(None) => self.iter_next(sub),
                    Err(e) => Err(e),
                }
            } else {
                self.iter_next(sub)
            };
            match next {
                Ok(v) if v.is_null() => GenResult::Return(Obj::NONE),
                Ok(v) => GenResult::Yield(v),
                Err(e) if self.exception_matches(e.0, ids::STOP_ITERATION) => {
                    let args = self.get(e.0, 2);
                    GenResult::Return(self.tuple_items(args).first().copied().unwrap_or(Obj::NONE))
                }
                Err(e) => return Err(e),
            }
        } else {
            let q = self.intern("send")?;
            let (f, s) = self.load_method(sub, q)?;
            let args: &[Obj] = if s.is_null() { &[send] } else { &[s, send] };
            match self.call(f, args, &[]) {
                Ok(v) => GenResult::Yield(v),
                Err(e) if self.exception_matches(e.0, ids::STOP_ITERATION) => {
                    let args = self.get(e.0, 2);
                    GenResult::Return(self.tuple_items(args).first().copied().unwrap_or(Obj::NONE))
                }
                Err(e) => return Err(e),
            }
        };
        match result {
            GenResult::Yield(v) => {
                // Re-run this YIELD_FROM when resumed: the sent value is pushed then.
                self.drop_n(1)?;
                let f = self.frame()?;
                f.yield_from_after = u32::try_from(f.ip).unwrap_or(0);
                f.ip = f.op_ip;
                Ok(Step::Yield(v))
            }
            GenResult::Return(v) => {
                self.drop_n(1)?;
                self.poke(0, v)?;
                Ok(Step::Next)
            }
        }
    }
}
