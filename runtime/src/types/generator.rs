//! Generators. A generator keeps its suspended frame in the heap:
//! `[type, function, globals, code, ip, sp, n_state, n_exc, status,
//! state words (n_state)..., exception blocks (n_exc x 4 words)...]`.
//! Resuming copies the frame onto the VM's frame stack and runs it; yielding
//! copies it back.

use alloc::vec;
use alloc::vec::Vec;

use super::ids;
use super::{Method, TypeDesc};
use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::vm::dispatch::Outcome;
use crate::vm::{ExcBlock, Frame, Vm};

const HEADER: usize = 9;
const NEW: u32 = 0;
const SUSPENDED: u32 = 1;
const RUNNING: u32 = 2;
const FINISHED: u32 = 3;

/// The generator type.
pub static GENERATOR_TYPE: TypeDesc = TypeDesc {
    print: Some(gen_print),
    getiter: Some(crate::rt::self_iter),
    iternext: Some(gen_iternext),
    methods: &[Method::new("send", gen_send), Method::new("throw", gen_throw), Method::new("close", gen_close)],
    ..TypeDesc::new("generator", ids::OBJECT)
};

/// What resuming a generator produced.
pub enum GenResult {
    /// It yielded a value.
    Yield(Obj),
    /// It returned (the StopIteration value).
    Return(Obj),
}

fn gen_print(_vm: &mut Vm, o: Obj, out: &mut alloc::string::String, _repr: bool) -> PyResult<()> {
    out.push_str(&alloc::format!("<generator object at 0x{:x}>", o.raw()));
    Ok(())
}

impl Vm {
    /// If the frame just pushed belongs to a generator function, moves it into a
    /// new generator object (popping the frame) and returns the generator.
    pub(crate) fn frame_to_generator(&mut self) -> PyResult<Option<Obj>> {
        let Some(f) = self.st.frames.last() else { return Ok(None) };
        let code = f.code;
        let Some(u) = self.st.codes.get(code) else { return Ok(None) };
        if u16::from(u.scope_flags) & ferropy_bytecode::code::scope_flags::GENERATOR == 0 {
            return Ok(None);
        }
        let n_exc = u.n_exc_stack;
        let n_state = f.state.len();
        let g = self.alloc(HEADER + n_state + 4 * n_exc);
        let g = match g {
            Ok(g) => g,
            Err(e) => {
                self.st.frames.pop();
                return Err(e);
            }
        };
        self.set(g, 0, super::type_obj(ids::GENERATOR));
        self.set_u32(g, 6, n_state as u32);
        self.set_u32(g, 7, n_exc as u32);
        self.save_frame(g, NEW)?;
        Ok(Some(g))
    }

    /// Pops the running frame into generator `g`.
    fn save_frame(&mut self, g: Obj, status: u32) -> PyResult<()> {
        let Some(f) = self.st.frames.pop() else { return Err(self.internal_error("no frame")) };
        let n_exc_max = self.get_usize(g, 7);
        if f.exc.len() > n_exc_max {
            return Err(self.internal_error("exception stack overflow"));
        }
        self.set(g, 1, f.fun);
        self.set(g, 2, f.globals);
        self.set_u32(g, 3, f.code as u32);
        self.set_u32(g, 4, f.ip as u32);
        self.set_u32(g, 5, f.sp as u32);
        self.set_u32(g, 8, status);
        for (i, &o) in f.state.iter().enumerate() {
            self.set(g, HEADER + i, o);
        }
        let base = HEADER + f.state.len();
        for i in 0..n_exc_max {
            let b = f.exc.get(i);
            let w = base + 4 * i;
            self.set_u32(g, w, b.map(|b| b.handler as u32 + 1).unwrap_or(0));
            self.set_u32(g, w + 1, b.map(|b| b.val_sp as u32).unwrap_or(0));
            self.set_u32(g, w + 2, b.map(|b| u32::from(b.finally)).unwrap_or(0));
            self.set(g, w + 3, b.map(|b| b.prev_exc).unwrap_or(Obj::NULL));
        }
        Ok(())
    }

    fn restore_frame(&mut self, g: Obj) -> PyResult<()> {
        self.check_depth()?;
        let n_state = self.get_usize(g, 6);
        let n_exc = self.get_usize(g, 7);
        let mut state = vec![Obj::NULL; n_state];
        for (i, slot) in state.iter_mut().enumerate() {
            *slot = self.get(g, HEADER + i);
        }
        let mut exc = Vec::new();
        for i in 0..n_exc {
            let w = HEADER + n_state + 4 * i;
            let h = self.get_usize(g, w);
            if h == 0 {
                break;
            }
            exc.push(ExcBlock {
                handler: h - 1,
                val_sp: self.get_usize(g, w + 1),
                finally: self.get_u32(g, w + 2) != 0,
                prev_exc: self.get(g, w + 3),
            });
        }
        let ip = self.get_usize(g, 4);
        self.st.frames.push(Frame {
            code: self.get_usize(g, 3),
            fun: self.get(g, 1),
            globals: self.get(g, 2),
            locals: Obj::NULL,
            ip,
            op_ip: ip,
            sp: self.get_usize(g, 5),
            state,
            exc,
            generator: g,
        });
        Ok(())
    }

    /// Resumes generator `g` with a sent value, or by raising `throw` inside it.
    pub fn gen_resume(&mut self, g: Obj, send: Obj, throw: Option<PyErr>) -> PyResult<GenResult> {
        if self.type_of(g) != super::type_obj(ids::GENERATOR) {
            return Err(self.type_error("expected a generator"));
        }
        let status = self.get_u32(g, 8);
        match status {
            FINISHED => {
                return match throw {
                    Some(e) => Err(e),
                    None => Ok(GenResult::Return(Obj::NONE)),
                }
            }
            RUNNING => return Err(self.value_error("generator already executing")),
            NEW if throw.is_none() && send != Obj::NONE => {
                return Err(self.type_error("can't send non-None value to a just-started generator"))
            }
            _ => {}
        }
        self.restore_frame(g)?;
        self.set_u32(g, 8, RUNNING);
        if status == SUSPENDED && throw.is_none() {
            if let Err(e) = self.push(send) {
                self.st.frames.pop();
                return Err(e);
            }
        }
        let base = self.st.frames.len() - 1;
        match self.run_frames(base, throw) {
            Ok(Outcome::Yield(v)) => {
                self.save_frame(g, SUSPENDED)?;
                Ok(GenResult::Yield(v))
            }
            Ok(Outcome::Return(v)) => {
                self.finish_generator(g);
                Ok(GenResult::Return(v))
            }
            Err(e) => {
                self.finish_generator(g);
                Err(e)
            }
        }
    }

    fn finish_generator(&mut self, g: Obj) {
        self.set_u32(g, 8, FINISHED);
        let n_state = self.get_usize(g, 6);
        for i in 0..n_state {
            self.set(g, HEADER + i, Obj::NULL);
        }
    }
}

fn gen_iternext(vm: &mut Vm, g: Obj) -> PyResult<Obj> {
    match vm.gen_resume(g, Obj::NONE, None)? {
        GenResult::Yield(v) => Ok(v),
        GenResult::Return(_) => Ok(Obj::STOP_ITERATION),
    }
}

fn stop_iteration(vm: &mut Vm, v: Obj) -> PyErr {
    let args: &[Obj] = if v == Obj::NONE { &[] } else { core::slice::from_ref(&v) };
    match vm.new_exception(ids::STOP_ITERATION, args) {
        Ok(e) => PyErr(e),
        Err(e) => e,
    }
}

fn gen_send(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let g = args.first().copied().unwrap_or(Obj::NONE);
    match vm.gen_resume(g, args.get(1).copied().unwrap_or(Obj::NONE), None)? {
        GenResult::Yield(v) => Ok(v),
        GenResult::Return(v) => Err(stop_iteration(vm, v)),
    }
}

fn gen_throw(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let g = args.first().copied().unwrap_or(Obj::NONE);
    let exc = vm.make_raise_obj(args.get(1).copied().unwrap_or(Obj::NONE))?;
    match vm.gen_resume(g, Obj::NONE, Some(PyErr(exc)))? {
        GenResult::Yield(v) => Ok(v),
        GenResult::Return(v) => Err(stop_iteration(vm, v)),
    }
}

fn gen_close(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let g = args.first().copied().unwrap_or(Obj::NONE);
    let status = vm.get_u32(g, 8);
    if status == FINISHED || status == NEW {
        vm.set_u32(g, 8, FINISHED);
        return Ok(Obj::NONE);
    }
    let exc = vm.new_exception(ids::GENERATOR_EXIT, &[])?;
    match vm.gen_resume(g, Obj::NONE, Some(PyErr(exc))) {
        Ok(GenResult::Yield(_)) => Err(vm.new_error(ids::RUNTIME_ERROR, "generator ignored GeneratorExit")),
        Ok(GenResult::Return(_)) => Ok(Obj::NONE),
        Err(e) if vm.exception_matches(e.0, ids::GENERATOR_EXIT) || vm.exception_matches(e.0, ids::STOP_ITERATION) => {
            Ok(Obj::NONE)
        }
        Err(e) => Err(e),
    }
}
