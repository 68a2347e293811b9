//! A running function's state: the value stack and locals in one array laid
//! out as MicroPython's code state (local `i` at `state[n_state - 1 - i]`, the
//! value stack growing up from `state[0]`), plus the exception-block stack.

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// One entry of a frame's exception-block stack (SETUP_EXCEPT/FINALLY/WITH).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExcBlock {
    /// Bytecode offset of the handler.
    pub handler: usize,
    /// Value-stack depth when the block was pushed.
    pub val_sp: usize,
    /// True for finally/with blocks (run on return and break/continue too).
    pub finally: bool,
    /// The exception being handled by this block (for a bare `raise`), or NULL.
    pub prev_exc: Obj,
}

/// A Python frame.
#[derive(Debug)]
pub struct Frame {
    /// Index of the code unit in `VmState::codes`.
    pub code: usize,
    /// The function object being run (NULL for module code).
    pub fun: Obj,
    /// Globals dict.
    pub globals: Obj,
    /// Locals dict for LOAD_NAME/STORE_NAME (module and class bodies), else NULL.
    pub locals: Obj,
    /// Offset of the next instruction.
    pub ip: usize,
    /// Offset of the instruction being executed.
    pub op_ip: usize,
    /// Number of values on the value stack.
    pub sp: usize,
    /// Value stack then locals (reversed).
    pub state: Vec<Obj>,
    /// Exception-block stack.
    pub exc: Vec<ExcBlock>,
    /// Machine-word slots of viper code (its native values), laid out like
    /// `state`; empty for other code.
    pub words: Vec<usize>,
    /// The generator object that owns this frame, or NULL.
    pub generator: Obj,
    /// Where to continue if the frame, suspended in `yield from`, is resumed
    /// with the delegate's final value (0: not suspended in `yield from`).
    /// This and the next field are 32-bit offsets (as a suspended generator
    /// stores them) to keep a frame within 128 bytes, which moves inline.
    pub yield_from_after: u32,
    /// For a generator's frame resumed in place by the `FOR_ITER` of the
    /// frame below it (see `Vm::gen_resume_in_place`): one more than the
    /// offset where that frame goes on once the generator is exhausted;
    /// 0 for every other frame.
    pub for_iter_exit: u32,
}

impl Frame {
    /// A frame about to run code unit `code` from offset `ip`, with empty
    /// stack and exception blocks, over the given slot vectors.
    pub fn new(
        code: usize,
        fun: Obj,
        globals: Obj,
        locals: Obj,
        ip: usize,
        state: Vec<Obj>,
        words: Vec<usize>,
    ) -> Frame {
        Frame {
            code,
            fun,
            globals,
            locals,
            ip,
            op_ip: ip,
            sp: 0,
            state,
            exc: Vec::new(),
            words,
            generator: Obj::NULL,
            yield_from_after: 0,
            for_iter_exit: 0,
        }
    }

    /// Visits every object the frame holds.
    pub fn trace(&self, visit: &mut dyn FnMut(Obj)) {
        visit(self.fun);
        visit(self.globals);
        visit(self.locals);
        visit(self.generator);
        self.state.iter().for_each(|&o| visit(o));
        self.exc.iter().for_each(|b| visit(b.prev_exc));
    }

    /// Local `i`'s slot index in `state`.
    pub fn local_slot(&self, i: usize) -> Option<usize> {
        self.state.len().checked_sub(1)?.checked_sub(i)
    }
}

impl Vm {
    /// The running frame.
    #[inline]
    pub(crate) fn frame(&mut self) -> PyResult<&mut Frame> {
        // Running without a frame is an internal bug; report it without allocating.
        let fallback = crate::error::PyErr(self.st.memory_error);
        self.st.frames.last_mut().ok_or(fallback)
    }

    /// Pushes a value on the running frame's stack.
    #[inline]
    pub(crate) fn push(&mut self, value: Obj) -> PyResult<()> {
        let f = self.frame()?;
        if let Some(slot) = f.state.get_mut(f.sp) {
            *slot = value;
            f.sp += 1;
            Ok(())
        } else {
            Err(self.internal_error("value stack overflow"))
        }
    }

    /// Pops the top of the running frame's stack.
    #[inline]
    pub(crate) fn pop(&mut self) -> PyResult<Obj> {
        let f = self.frame()?;
        if f.sp == 0 {
            return Err(self.internal_error("value stack underflow"));
        }
        f.sp -= 1;
        let v = f.state.get(f.sp).copied().unwrap_or(Obj::NULL);
        Ok(v)
    }

    /// The value `depth` slots below the top (0 = top).
    #[inline]
    pub(crate) fn peek(&mut self, depth: usize) -> PyResult<Obj> {
        let f = self.frame()?;
        match f.sp.checked_sub(1 + depth).and_then(|i| f.state.get(i)) {
            Some(&v) => Ok(v),
            None => Err(self.internal_error("value stack underflow")),
        }
    }

    /// Replaces the value `depth` slots below the top.
    #[inline]
    pub(crate) fn poke(&mut self, depth: usize, value: Obj) -> PyResult<()> {
        let f = self.frame()?;
        match f.sp.checked_sub(1 + depth) {
            Some(i) if i < f.state.len() => {
                f.state[i] = value;
                Ok(())
            }
            _ => Err(self.internal_error("value stack underflow")),
        }
    }

    /// Drops `n` values from the stack.
    #[inline]
    pub(crate) fn drop_n(&mut self, n: usize) -> PyResult<()> {
        let f = self.frame()?;
        match f.sp.checked_sub(n) {
            Some(sp) => {
                for slot in f.state.iter_mut().take(f.sp).skip(sp) {
                    *slot = Obj::NULL;
                }
                f.sp = sp;
                Ok(())
            }
            None => Err(self.internal_error("value stack underflow")),
        }
    }

    /// Moves the top `n` values of the running frame's stack into words
    /// `first..first + n` of heap object `dst` (no temporary copy), popping them.
    pub(crate) fn move_top_into(&mut self, n: usize, dst: Obj, first: usize) -> PyResult<()> {
        let Some(f) = self.st.frames.last_mut() else { return Err(self.internal_error("no frame")) };
        let Some(start) = f.sp.checked_sub(n) else { return Err(self.internal_error("value stack underflow")) };
        let words = match first.checked_add(n) {
            Some(end) if n > 0 => self.heap.words.object_words_mut(dst, end),
            _ => None,
        };
        match (f.state.get_mut(start..f.sp), words) {
            (Some(src), Some(words)) => {
                for (w, o) in words[first..].iter_mut().zip(src.iter_mut()) {
                    *w = o.raw();
                    *o = Obj::NULL;
                }
            }
            (Some(_), None) if n == 0 => {}
            _ => return Err(self.internal_error("value stack underflow")),
        }
        f.sp = start;
        Ok(())
    }

    /// Copies the top `n` values (bottom first).
    pub(crate) fn top_n(&mut self, n: usize) -> PyResult<Vec<Obj>> {
        let f = self.frame()?;
        match f.sp.checked_sub(n).and_then(|start| f.state.get(start..f.sp)) {
            Some(s) => Ok(s.to_vec()),
            None => Err(self.internal_error("value stack underflow")),
        }
    }

    /// Reads local `i` of the running frame.
    #[inline]
    pub(crate) fn local(&mut self, i: usize) -> PyResult<Obj> {
        let f = self.frame()?;
        match f.local_slot(i).and_then(|s| f.state.get(s)) {
            Some(&v) => Ok(v),
            None => Err(self.internal_error("bad local index")),
        }
    }

    /// Writes local `i` of the running frame.
    #[inline]
    pub(crate) fn set_local(&mut self, i: usize, value: Obj) -> PyResult<()> {
        let f = self.frame()?;
        match f.local_slot(i) {
            Some(s) if s < f.state.len() => {
                f.state[s] = value;
                Ok(())
            }
            _ => Err(self.internal_error("bad local index")),
        }
    }
}
