//! Generators. A generator keeps its suspended frame in the heap:
//! `[type, function, globals, code, ip, sp, n_state, n_exc, status,
//! yield_from_after, pending exception (MicroPython's `pend_throw`, NULL when none),
//! state words (n_state)..., exception blocks (n_exc x 4 words)...]`.
//! Resuming copies the frame onto the VM's frame stack and runs it; yielding
//! copies it back. A bytecode generator that yields to the loop resuming it
//! instead parks its frame, as it is, in `VmState::parked_frames` (status
//! `PARKED`: the words here are stale), so the next resume takes it back
//! without copying; a parked frame is written back here when more than
//! [`PARK_LIMIT`] would be parked, when the generator is resumed in a way that
//! needs its words (a thrown exception), and before every collection
//! ([`write_back_parked`]), so the collector only ever sees the words.

use alloc::vec::Vec;

use super::ids;
use super::{Method, TypeDesc};
use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::vm::dispatch::Outcome;
use crate::vm::{ExcBlock, Frame, Vm};

const HEADER: usize = 11;
/// The word holding the exception `pend_throw` left for the next resume.
const PENDING: usize = 10;
const NEW: u32 = 0;
const SUSPENDED: u32 = 1;
const RUNNING: u32 = 2;
const FINISHED: u32 = 3;
/// Suspended, with the frame parked in `VmState::parked_frames`.
const PARKED: u32 = 4;
/// Most generator frames parked at once (then one is written back to make room).
pub(crate) const PARK_LIMIT: usize = 4;

/// The generator type.
pub static GENERATOR_TYPE: TypeDesc = TypeDesc {
    print: Some(gen_print),
    getiter: Some(crate::rt::self_iter),
    iternext: Some(gen_iternext),
    methods: &[
        Method::new("send", gen_send),
        Method::new("throw", gen_throw),
        Method::new("close", gen_close),
        Method::new("pend_throw", gen_pend_throw),
    ],
    ..TypeDesc::new("generator", ids::OBJECT)
};

/// What a `yield from` delegate did with an exception thrown into it.
enum Delegated {
    /// It yielded: the outer generator yields the same value.
    Yielded(Obj),
    /// It finished: the `yield from` expression has this value.
    Returned(Obj),
    /// The outer generator must raise this at its `yield from`.
    Raise(PyErr),
}

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
        if !store_frame(&mut self.heap.words, g, &f, status) {
            return Err(self.internal_error("bad generator"));
        }
        self.st.recycle_slots(f.state, f.words);
        Ok(())
    }

    /// Writes parked frame `f` back into its generator (see [`write_back`]).
    fn unpark(&mut self, f: Frame) -> PyResult<()> {
        if write_back(&mut self.st, &mut self.heap.words, f) {
            Ok(())
        } else {
            Err(self.internal_error("bad generator"))
        }
    }

    /// Pops the running frame, generator `g`'s, and parks it (see the module
    /// documentation); when [`PARK_LIMIT`] frames are parked already, the
    /// first one is written back into its generator.
    fn park_frame(&mut self, g: Obj) -> PyResult<()> {
        let Some(f) = self.st.frames.pop() else { return Err(self.internal_error("no frame")) };
        if self.st.parked_frames.len() >= PARK_LIMIT {
            let evicted = self.st.parked_frames.swap_remove(0);
            self.unpark(evicted)?;
        }
        self.set_u32(g, 8, PARKED);
        self.st.parked_frames.push(f);
        Ok(())
    }

    /// Takes the parked frame of generator `g` (status `PARKED`) back.
    fn take_parked(&mut self, g: Obj) -> PyResult<Frame> {
        match self.st.parked_frames.iter().rposition(|f| f.generator == g) {
            Some(i) => Ok(self.st.parked_frames.swap_remove(i)),
            None => Err(self.internal_error("parked generator frame lost")),
        }
    }

    /// Pushes the frame of suspended generator `g` (parked or in its words)
    /// onto the frame stack.
    fn resume_frame(&mut self, g: Obj, status: u32) -> PyResult<()> {
        if status == PARKED {
            self.check_depth()?;
            let f = self.take_parked(g)?;
            self.st.frames.push(f);
            Ok(())
        } else {
            self.restore_frame(g)
        }
    }

    fn restore_frame(&mut self, g: Obj) -> PyResult<()> {
        self.check_depth()?;
        let n_state = self.get_usize(g, 6);
        let n_exc = self.get_usize(g, 7);
        let Some(w) = self.heap.words.object_words(g, HEADER + n_state + 4 * n_exc) else {
            return Err(self.internal_error("bad generator"));
        };
        let (slots, blocks) = w[HEADER..].split_at(n_state);
        // A pooled vector (see `fresh_slots`) filled straight from the saved words.
        let (mut state, mut words) = self.st.spare_slots.pop().unwrap_or_default();
        state.clear();
        state.extend(slots.iter().map(|&w| Obj::from_raw(w)));
        words.clear();
        let mut exc = Vec::new();
        for words in blocks.chunks_exact(4) {
            if words[0] == 0 {
                break;
            }
            exc.push(ExcBlock {
                handler: words[0] as usize - 1,
                val_sp: words[1] as usize,
                finally: words[2] != 0,
                prev_exc: Obj::from_raw(words[3]),
            });
        }
        let frame = Frame {
            code: w[3] as usize,
            fun: Obj::from_raw(w[1]),
            globals: Obj::from_raw(w[2]),
            locals: Obj::NULL,
            ip: w[4] as usize,
            op_ip: w[4] as usize,
            sp: w[5] as usize,
            state,
            exc,
            words,
            generator: g,
            yield_from_after: w[9],
            for_iter_exit: 0,
        };
        self.st.frames.push(frame);
        Ok(())
    }

    /// Resumes generator `g` with a sent value, or by raising `throw` inside it.
    pub fn gen_resume(&mut self, g: Obj, send: Obj, throw: Option<PyErr>) -> PyResult<GenResult> {
        if self.type_of(g) != super::type_obj(ids::GENERATOR) {
            return Err(self.type_error("expected a generator"));
        }
        let mut status = self.get_u32(g, 8);
        if status == PARKED && (throw.is_some() || !self.get(g, PENDING).is_null()) {
            // A thrown exception may go to a `yield from` delegate, which is
            // read from the words.
            let f = self.take_parked(g)?;
            self.unpark(f)?;
            status = SUSPENDED;
        }
        match status {
            FINISHED => {
                return match throw {
                    Some(e) => Err(self.raise_obj(e.0)),
                    None => Ok(GenResult::Return(Obj::NONE)),
                }
            }
            RUNNING => return Err(self.value_error("generator already executing")),
            NEW if throw.is_none() && send != Obj::NONE => {
                return Err(self.type_error("can't send non-None value to a just-started generator"))
            }
            _ => {}
        }
        let mut throw = throw;
        // An exception left by `pend_throw` is raised at this resume instead.
        let pending = self.get(g, PENDING);
        if !pending.is_null() {
            self.set(g, PENDING, Obj::NULL);
            throw = Some(PyErr(pending));
        }
        let mut resume_with = None;
        // (A parked generator has no exception to take here: see above.)
        if status == SUSPENDED {
            if let Some(e) = throw.take() {
                match self.throw_to_delegate(g, e)? {
                    Delegated::Yielded(v) => return Ok(GenResult::Yield(v)),
                    Delegated::Returned(v) => resume_with = Some(v),
                    Delegated::Raise(e) => throw = Some(e),
                }
            }
        }
        // A thrown value may still be a class (or not an exception at all).
        let throw = throw.map(|e| self.raise_obj(e.0));
        self.resume_frame(g, status)?;
        self.set_u32(g, 8, RUNNING);
        if let Some(v) = resume_with {
            // The delegate finished: continue after the YIELD_FROM with its value.
            let f = self.frame()?;
            f.ip = f.yield_from_after as usize;
            f.op_ip = f.ip;
            if let Err(e) = self.poke(0, v) {
                self.save_frame(g, SUSPENDED)?;
                return Err(e);
            }
        } else if matches!(status, SUSPENDED | PARKED) && throw.is_none() {
            if let Err(e) = self.push(send) {
                self.save_frame(g, SUSPENDED)?;
                return Err(e);
            }
        }
        let base = self.st.frames.len() - 1;
        match self.run_frames(base, throw) {
            Ok(Outcome::Yield(v)) => {
                self.park_or_save(g)?;
                Ok(GenResult::Yield(v))
            }
            Ok(Outcome::Return(v)) => {
                self.finish_generator(g);
                Ok(GenResult::Return(v))
            }
            Err(e) => {
                self.finish_generator(g);
                if self.exception_matches(e.0, ids::STOP_ITERATION) {
                    // PEP 479: a StopIteration escaping a generator body.
                    return Err(self.new_error(ids::RUNTIME_ERROR, "generator raised StopIteration"));
                }
                Err(e)
            }
        }
    }

    /// `FOR_ITER` over generator `it`, run by the bytecode loop: when `it`
    /// is a bytecode generator that can simply go on (new or suspended, no
    /// exception pending for it), its frame is pushed above the running one
    /// and the loop runs it like a called function; its `yield` then hands
    /// the value to this frame ([`Vm::gen_in_place_yield`]) and its end
    /// continues this frame at `exit` ([`Vm::gen_in_place_return`]). Saves
    /// the nested loop `gen_resume` runs. False when nothing was done.
    pub(crate) fn gen_resume_in_place(&mut self, it: Obj, exit: usize) -> PyResult<bool> {
        if !it.is_heap_ref() || self.heap.words.load_obj(it, 0) != Some(super::type_obj(ids::GENERATOR)) {
            return Ok(false);
        }
        let Ok(exit) = u32::try_from(exit + 1) else { return Ok(false) };
        let status = self.get_u32(it, 8);
        let code = self.get_usize(it, 3);
        if !matches!(status, NEW | SUSPENDED | PARKED)
            || !self.get(it, PENDING).is_null()
            || self.is_native_unit(code)
            || self.st.frames.last().is_none_or(|f| self.is_native_unit(f.code))
        {
            return Ok(false);
        }
        self.resume_frame(it, status)?;
        self.set_u32(it, 8, RUNNING);
        let f = self.frame()?;
        f.for_iter_exit = exit;
        if status != NEW {
            if let Err(e) = self.push(Obj::NONE) {
                self.save_frame(it, SUSPENDED)?;
                return Err(e);
            }
        }
        Ok(true)
    }

    /// The top frame, a generator resumed in place, yielded `v`: it is saved
    /// back into its generator and `v` is the result of the `FOR_ITER` below.
    pub(crate) fn gen_in_place_yield(&mut self, v: Obj) -> PyResult<()> {
        let g = self.frame()?.generator;
        self.park_or_save(g)?;
        self.push(v)
    }

    /// Suspends the running frame, generator `g`'s, after a yield: parked
    /// when it is bytecode, saved into `g`'s words otherwise.
    fn park_or_save(&mut self, g: Obj) -> PyResult<()> {
        let code = self.frame()?.code;
        if self.is_native_unit(code) {
            self.save_frame(g, SUSPENDED)
        } else {
            self.park_frame(g)
        }
    }

    /// The top frame, a generator resumed in place, returned: the generator
    /// is finished and the `FOR_ITER` below ends its loop.
    pub(crate) fn gen_in_place_return(&mut self) -> PyResult<()> {
        let (g, exit) = match self.st.frames.last() {
            Some(f) => (f.generator, (f.for_iter_exit as usize).wrapping_sub(1)),
            None => return Err(self.internal_error("no frame")),
        };
        self.pop_frame();
        self.finish_generator(g);
        self.drop_n(crate::vm::instrs::ITER_SLOTS)?;
        self.frame()?.ip = exit;
        Ok(())
    }

    /// An exception `e` left `f`, the frame of a generator resumed in place
    /// (already popped): the generator is finished, and a StopIteration
    /// becomes RuntimeError (PEP 479), as `gen_resume` does.
    pub(crate) fn gen_in_place_raised(&mut self, f: &Frame, e: PyErr) -> PyErr {
        self.finish_generator(f.generator);
        if self.exception_matches(e.0, ids::STOP_ITERATION) {
            return self.new_error(ids::RUNTIME_ERROR, "generator raised StopIteration");
        }
        e
    }

    /// The iterator a generator suspended in `yield from` delegates to, if any.
    fn yield_from_delegate(&self, g: Obj) -> Option<Obj> {
        if self.get_usize(g, 9) == 0 {
            return None;
        }
        let sp = self.get_usize(g, 5);
        let n_state = self.get_usize(g, 6);
        if sp == 0 || sp > n_state {
            return None;
        }
        Some(self.get(g, HEADER + sp - 1))
    }

    /// Passes an exception thrown into `g` on to the iterator it delegates to
    /// with `yield from` (closing it for GeneratorExit).
    fn throw_to_delegate(&mut self, g: Obj, e: PyErr) -> PyResult<Delegated> {
        let Some(sub) = self.yield_from_delegate(g) else { return Ok(Delegated::Raise(e)) };
        self.root(sub);
        self.root(e.0);
        let is_gen = self.type_of(sub) == super::type_obj(ids::GENERATOR);
        let exit_cls = super::type_obj(ids::GENERATOR_EXIT);
        let is_exit = if self.is_class(e.0) { self.is_subclass(e.0, exit_cls) } else { self.isinstance(e.0, exit_cls) };
        if is_exit {
            let r = if is_gen {
                gen_close(self, &[sub], &[]).map(|_| ())
            } else {
                let q = self.intern("close")?;
                match self.load_attr_opt(sub, q)? {
                    Some(m) => self.call(m, &[], &[]).map(|_| ()),
                    None => Ok(()),
                }
            };
            return Ok(Delegated::Raise(r.err().unwrap_or(e)));
        }
        if is_gen {
            return Ok(match self.gen_resume(sub, Obj::NONE, Some(e)) {
                Ok(GenResult::Yield(v)) => Delegated::Yielded(v),
                Ok(GenResult::Return(v)) => Delegated::Returned(v),
                Err(err) => Delegated::Raise(err),
            });
        }
        let q = self.intern("throw")?;
        let Some(m) = self.load_attr_opt(sub, q)? else { return Ok(Delegated::Raise(e)) };
        Ok(match self.call(m, &[e.0], &[]) {
            Ok(v) => Delegated::Yielded(v),
            Err(err) if self.exception_matches(err.0, ids::STOP_ITERATION) => {
                let args = self.get(err.0, 2);
                Delegated::Returned(self.tuple_items(args).first().copied().unwrap_or(Obj::NONE))
            }
            Err(err) => Delegated::Raise(err),
        })
    }

    fn finish_generator(&mut self, g: Obj) {
        self.set_u32(g, 8, FINISHED);
        let n_state = self.get_usize(g, 6);
        for i in 0..n_state {
            self.set(g, HEADER + i, Obj::NULL);
        }
    }
}

/// Writes frame `f` into the words of generator `g`, with `status`; false
/// when `g` is not a generator with room for it.
fn store_frame(heap: &mut crate::gc::HeapWords, g: Obj, f: &Frame, status: u32) -> bool {
    let Some(n_exc_max) = heap.load(g, 7).map(|n| n as usize) else { return false };
    if f.exc.len() > n_exc_max {
        return false;
    }
    let n_state = f.state.len();
    // One bounds check for the whole object: header, slots, blocks.
    let Some(w) = heap.object_words_mut(g, HEADER + n_state + 4 * n_exc_max) else {
        return false;
    };
    w[1] = f.fun.raw();
    w[2] = f.globals.raw();
    w[3] = f.code as u32;
    w[4] = f.ip as u32;
    w[5] = f.sp as u32;
    w[8] = status;
    w[9] = f.yield_from_after;
    let (slots, blocks) = w[HEADER..].split_at_mut(n_state);
    for (w, o) in slots.iter_mut().zip(&f.state) {
        *w = o.raw();
    }
    for (i, words) in blocks.chunks_exact_mut(4).enumerate() {
        let b = f.exc.get(i);
        words[0] = b.map_or(0, |b| b.handler as u32 + 1);
        words[1] = b.map_or(0, |b| b.val_sp as u32);
        words[2] = b.map_or(0, |b| u32::from(b.finally));
        words[3] = b.map_or(Obj::NULL, |b| b.prev_exc).raw();
    }
    true
}

/// Writes parked frame `f` back into its generator, which becomes
/// `SUSPENDED`, and keeps its slot vectors for reuse; false when the frame
/// does not fit the generator (never the case; the generator's words then
/// stay as they were at its last save).
fn write_back(st: &mut crate::vm::VmState, heap: &mut crate::gc::HeapWords, f: Frame) -> bool {
    let ok = store_frame(heap, f.generator, &f, SUSPENDED);
    st.recycle_slots(f.state, f.words);
    ok
}

/// Writes every parked generator frame back into its generator (called
/// before each collection, which then sees them as the generators' words).
pub(crate) fn write_back_parked(st: &mut crate::vm::VmState, heap: &mut crate::gc::HeapWords) {
    while let Some(f) = st.parked_frames.pop() {
        write_back(st, heap, f);
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
    // throw(type, value): the value, when given, is what gets thrown.
    let exc = match args.get(2) {
        Some(&v) if v != Obj::NONE => v,
        _ => args.get(1).copied().unwrap_or(Obj::NONE),
    };
    // Not yet made an exception: a `yield from` delegate's own throw() gets it as is.
    match vm.gen_resume(g, Obj::NONE, Some(PyErr(exc)))? {
        GenResult::Yield(v) => Ok(v),
        GenResult::Return(v) => Err(stop_iteration(vm, v)),
    }
}

/// `g.pend_throw(exc)`: `exc` is raised inside the generator when it next resumes
/// (None cancels); returns the exception pending before (None if none).
fn gen_pend_throw(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let g = args[0];
    if vm.type_of(g) != super::type_obj(ids::GENERATOR) {
        return Err(vm.type_error("expected a generator"));
    }
    if vm.get_u32(g, 8) == RUNNING {
        return Err(vm.value_error("generator already executing"));
    }
    let prev = vm.get(g, PENDING);
    vm.set(g, PENDING, if args[1] == Obj::NONE { Obj::NULL } else { args[1] });
    Ok(if prev.is_null() { Obj::NONE } else { prev })
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
