//! The dispatch loop: decodes one instruction of the innermost frame at a time
//! and runs it. Python-to-Python calls push a frame and continue in the same
//! loop (no native recursion); exceptions unwind frame by frame through the
//! exception-block stacks, following MicroPython's handler model.

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::vm::Vm;
use ferropy_bytecode::opcode::{self as op, OperandKind};

/// How a run of the loop ended.
#[derive(Debug)]
pub enum Outcome {
    /// The base frame returned this value.
    Return(Obj),
    /// The base frame (a generator) yielded this value.
    Yield(Obj),
}

/// What one instruction asks the loop to do next.
pub(crate) enum Step {
    /// Go on with the next instruction of the (possibly new) top frame.
    Next,
    /// The top frame returns a value.
    Return(Obj),
    /// The top frame (a generator) yields a value.
    Yield(Obj),
}

/// A decoded instruction.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Instr {
    /// The opcode.
    pub op: u8,
    /// Operand: index, count, or absolute jump target.
    pub arg: usize,
    /// Signed operand (LOAD_CONST_SMALL_INT).
    pub sarg: i64,
    /// The extra byte (MAKE_CLOSURE*, UNWIND_JUMP).
    pub extra: u8,
}

/// Reads the unsigned var-int operand at `*pos` (at most 5 bytes), advancing `*pos` past it.
#[inline(always)]
pub(crate) fn read_uint(code: &[u8], pos: &mut usize) -> Option<usize> {
    let mut v: usize = 0;
    for _ in 0..5 {
        let b = *code.get(*pos)?;
        *pos += 1;
        v = (v << 7) | usize::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn read_sint(code: &[u8], pos: &mut usize) -> Option<i64> {
    let first = *code.get(*pos)?;
    let mut v: i64 = if first & 0x40 != 0 { -1 } else { 0 };
    for _ in 0..10 {
        let b = *code.get(*pos)?;
        *pos += 1;
        v = (v << 7) | i64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Decodes the instruction at `ip`; returns it and the next offset. Inlined
/// into the dispatch loop: returned through memory, the instruction's fields
/// cost a store-forwarding stall on every instruction.
#[inline(always)]
pub(crate) fn decode(code: &[u8], ip: usize) -> Option<(Instr, usize)> {
    let opc = *code.get(ip)?;
    let mut pos = ip + 1;
    let mut ins = Instr { op: opc, arg: 0, sarg: 0, extra: 0 };
    match op::operand_kind(opc) {
        OperandKind::None => {}
        OperandKind::Qstr => ins.arg = read_uint(code, &mut pos)?,
        OperandKind::VarInt if opc == op::LOAD_CONST_SMALL_INT => ins.sarg = read_sint(code, &mut pos)?,
        OperandKind::VarInt => ins.arg = read_uint(code, &mut pos)?,
        OperandKind::Jump => {
            let b0 = *code.get(pos)?;
            pos += 1;
            let (raw, bias) = if b0 & 0x80 != 0 {
                let b1 = *code.get(pos)?;
                pos += 1;
                (usize::from(b0 & 0x7f) | (usize::from(b1) << 7), 0x4000)
            } else {
                (usize::from(b0), 0x40)
            };
            let target = if op::is_signed_jump(opc) { (pos as i64) + (raw as i64) - bias } else { (pos + raw) as i64 };
            ins.arg = usize::try_from(target).ok()?;
        }
    }
    if op::has_extra_byte(opc) {
        ins.extra = *code.get(pos)?;
        pos += 1;
    }
    Some((ins, pos))
}

impl Vm {
    /// Runs frames until the frame at index `base` returns or yields. `pending`
    /// is an exception to raise first (generator `throw`).
    pub(crate) fn run_frames(&mut self, base: usize, pending: Option<PyErr>) -> PyResult<Outcome> {
        if self.st.native_depth >= self.st.native_limit {
            self.st.frames.truncate(base);
            return Err(self.recursion_error());
        }
        self.st.native_depth += 1;
        let temps = self.st.temps.len();
        let r = self.run_loop(base, pending, temps);
        self.st.temps.truncate(temps);
        self.st.native_depth -= 1;
        r
    }

    /// Runs the frames pushed above index `base` by native code's call to
    /// completion, raising `pending` in the top frame first if given; native
    /// recursion is bounded by the machine stack budget
    /// (`native::NATIVE_STACK_BUDGET`) rather than by `native_limit`.
    pub(crate) fn run_frames_nested(&mut self, base: usize, pending: Option<PyErr>) -> PyResult<Outcome> {
        let temps = self.st.temps.len();
        let r = self.run_loop(base, pending, temps);
        self.st.temps.truncate(temps);
        r
    }

    fn run_loop(&mut self, base: usize, mut pending: Option<PyErr>, temps: usize) -> PyResult<Outcome> {
        loop {
            let result = match pending.take() {
                Some(e) => Err(e),
                None => self.step(),
            };
            self.st.temps.truncate(temps);
            if self.st.wipe_stack {
                self.st.wipe_stack = false;
                crate::gc::stack_scan::wipe_dead_stack();
            }
            match result {
                Ok(Step::Next) => {}
                Ok(Step::Return(_)) if self.top_resumed_in_place(base) => {
                    if let Err(e) = self.gen_in_place_return() {
                        pending = Some(e);
                    }
                }
                Ok(Step::Yield(v)) if self.top_resumed_in_place(base) => {
                    if let Err(e) = self.gen_in_place_yield(v) {
                        pending = Some(e);
                    }
                }
                Ok(Step::Return(v)) => {
                    self.pop_frame();
                    if self.st.frames.len() <= base {
                        return Ok(Outcome::Return(v));
                    }
                    self.push(v)?;
                }
                Ok(Step::Yield(v)) => {
                    if self.st.frames.len() != base + 1 {
                        return Err(self.internal_error("yield from a nested frame"));
                    }
                    return Ok(Outcome::Yield(v));
                }
                Err(mut err) => loop {
                    match self.handle_exception(err) {
                        Ok(()) => break,
                        Err(mut e) => {
                            if let Some(f) = self.st.frames.pop() {
                                if f.for_iter_exit != 0 {
                                    e = self.gen_in_place_raised(&f, e);
                                }
                            }
                            if self.st.frames.len() <= base {
                                return Err(e);
                            }
                            err = e;
                        }
                    }
                },
            }
        }
    }

    /// True when the top frame is a generator resumed in place by the frame
    /// below it, both run by this loop (above `base`).
    #[inline]
    fn top_resumed_in_place(&self, base: usize) -> bool {
        self.st.frames.len() > base + 1 && self.st.frames.last().is_some_and(|f| f.for_iter_exit != 0)
    }

    /// Records the traceback entry and jumps to the innermost handler of the
    /// top frame; gives the exception back if the frame has none.
    fn handle_exception(&mut self, err: PyErr) -> PyResult<()> {
        let exc = err.0;
        let (code, op_ip) = match self.st.frames.last() {
            Some(f) => (f.code, f.op_ip),
            None => return Err(err),
        };
        let native = self.is_native_unit(code);
        let opc = if native {
            self.st.native_op
        } else {
            self.st.codes.get(code).and_then(|u| u.bytecode.get(op_ip)).copied().unwrap_or(0)
        };
        if opc != op::END_FINALLY && opc != op::RAISE_LAST {
            self.record_traceback(exc, code, op_ip);
        }
        let Some(f) = self.st.frames.last_mut() else { return Err(err) };
        while let Some(b) = f.exc.last() {
            if b.handler <= op_ip {
                f.exc.pop();
            } else {
                break;
            }
        }
        let Some(b) = f.exc.last_mut() else { return Err(err) };
        b.prev_exc = exc;
        let (handler, sp) = (b.handler, b.val_sp);
        f.ip = handler;
        for slot in f.state.iter_mut().take(f.sp).skip(sp) {
            *slot = Obj::NULL;
        }
        f.sp = sp;
        if native {
            // Native handlers of finally/with blocks look for an unwind marker
            // above the exception (see `native::ops`): there is none.
            if let Some(slot) = f.state.get_mut(sp + 1) {
                *slot = Obj::NULL;
            }
        }
        self.push(exc)
    }

    fn record_traceback(&mut self, exc: Obj, code: usize, op_ip: usize) {
        let Some(u) = self.st.codes.get(code) else { return };
        let table = u.bytecode.get(u.line_table.clone()).unwrap_or(&[]);
        let line = ferropy_bytecode::prelude::line_for_offset(table, op_ip.saturating_sub(u.opcodes_start));
        let block = u.name;
        let file = self.st.contexts.get(u.context).and_then(|c| c.qstrs.first()).copied().unwrap_or_default();
        self.add_traceback(exc, file, line, block);
    }

    /// Executes one instruction of the top frame.
    #[inline]
    fn step(&mut self) -> PyResult<Step> {
        // One look at the frame and one at its code unit (disjoint fields).
        let st = &mut self.st;
        let Some(f) = st.frames.last_mut() else { return Err(self.internal_error("no frame")) };
        let decoded = match st.codes.get(f.code) {
            Some(u) if u.native.is_some() => return self.step_native(),
            Some(u) => {
                // Simple instructions run in the fast path; it stops before
                // the first one that needs this general path.
                let (countdown, interrupt) = (&mut st.limits.countdown, &st.sys.interrupt);
                let mut names = super::instrs::NameCtx {
                    words: &mut self.heap.words,
                    map_cache: &mut st.map_cache,
                    pool: &st.qstrs,
                    builtins: st.builtins,
                    special_store_late: st.special_store_added_late,
                    methods: &st.method_cache,
                };
                super::fast::run_simple(f, &u.bytecode, countdown, interrupt, &mut names, &st.contexts, u.context);
                decode(&u.bytecode, f.ip)
            }
            None => None,
        };
        let ip = f.ip;
        let Some((ins, next)) = decoded else {
            return Err(self.internal_error("malformed bytecode"));
        };
        f.op_ip = ip;
        f.ip = next;
        // A return with no finally block to run (`unwind_return`'s common
        // case) and a yield are done here, and the commonest calls and
        // iterations go straight to their family, without the opcode dispatch.
        let plain_return = ins.op == op::RETURN_VALUE && f.exc.is_empty() && f.sp > 0;
        let plain_yield = ins.op == op::YIELD_VALUE && f.sp > 0;
        self.tick()?;
        if plain_return || plain_yield {
            let f = self.frame()?;
            f.sp -= 1;
            let v = f.state.get(f.sp).copied().unwrap_or(Obj::NULL);
            return Ok(if plain_return { Step::Return(v) } else { Step::Yield(v) });
        }
        match ins.op {
            op::CALL_FUNCTION | op::CALL_METHOD => self.exec_call(ins),
            op::FOR_ITER => self.exec_flow(ins),
            _ => self.execute(ins),
        }
    }
}
