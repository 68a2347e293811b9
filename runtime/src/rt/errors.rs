//! Creating exceptions: `new_error(type, message)` and the common shortcuts.
//! Creation never fails: if memory runs out, the preallocated MemoryError is
//! raised instead.

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::Vm;

/// Arguments the emergency exception keeps.
pub const EMERGENCY_ARGS: usize = 8;

/// `text` cut to at most `max` bytes at a character boundary.
fn truncated(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Vm {
    /// A new exception instance of built-in type `type_id` with `args`.
    pub fn new_exception(&mut self, type_id: u32, args: &[Obj]) -> PyResult<Obj> {
        let cls = crate::types::type_obj(type_id);
        crate::types::exception::new_exception_of(self, cls, args)
    }

    /// An exception of built-in type `type_id` with one message argument.
    #[cold]
    #[inline(never)]
    pub fn new_error(&mut self, type_id: u32, msg: &str) -> PyErr {
        let r = self.with_temps(|vm| {
            let m = match vm.new_str(msg) {
                Ok(m) => m,
                // No heap for the message: with an emergency exception to
                // carry it, an interned string does (the qstr pool lives
                // outside the heap), cut to a qstr's length as MicroPython
                // cuts it to its emergency buffer.
                Err(e) if !vm.st.emergency_exc.is_null() => {
                    vm.qstr_obj(truncated(msg, crate::qstr::MAX_QSTR_LEN)).map_err(|_| e)?
                }
                Err(e) => return Err(e),
            };
            vm.root(m);
            vm.new_exception(type_id, &[m])
        });
        match r {
            Ok(e) => PyErr(e),
            Err(e) => e,
        }
    }

    /// A TypeError.
    #[cold]
    #[inline(never)]
    pub fn type_error(&mut self, msg: &str) -> PyErr {
        self.new_error(ids::TYPE_ERROR, msg)
    }

    /// A ValueError.
    #[cold]
    #[inline(never)]
    pub fn value_error(&mut self, msg: &str) -> PyErr {
        self.new_error(ids::VALUE_ERROR, msg)
    }

    /// The TypeError of a built-in method called on the wrong kind of object
    /// (`list.append(5, 1)`): MicroPython's "argument should be a 'list' not a
    /// 'int'"; `got` is `None` when no object was given.
    #[cold]
    #[inline(never)]
    pub fn wrong_self(&mut self, expected: &str, got: Option<Obj>) -> PyErr {
        match got {
            Some(o) => {
                let msg = alloc::format!("argument should be a '{expected}' not a '{}'", self.type_name(o));
                self.type_error(&msg)
            }
            None => self.type_error("function missing 1 required positional arguments"),
        }
    }

    /// The preallocated MemoryError (for a request of unknown size).
    #[cold]
    #[inline(never)]
    pub fn memory_error(&mut self) -> PyErr {
        self.memory_error_of(0)
    }

    /// The preallocated MemoryError for a failed request of `n_bytes` (0:
    /// unknown), with MicroPython's message: "memory allocation failed, heap
    /// is locked" (prepared by `heap_lock`, so it needs no heap), or
    /// "memory allocation failed, allocating N bytes" when the heap still has
    /// room for the message (a large request failed); else no message.
    #[cold]
    #[inline(never)]
    pub fn memory_error_of(&mut self, n_bytes: usize) -> PyErr {
        let me = self.st.memory_error;
        // Raised afresh: the traceback of its last raise goes.
        self.clear_traceback_room(me);
        let mut args = self.st.empty_tuple;
        if self.heap.gc.lock_depth() > 0 {
            if !self.st.heap_locked_args.is_null() {
                args = self.st.heap_locked_args;
            }
        } else if n_bytes > 0 && !self.st.making_memory_error {
            self.st.making_memory_error = true;
            let msg = crate::gc::AllocError::OutOfMemory.message(n_bytes);
            if let Ok(t) = self.message_args(&msg) {
                args = t;
            }
            self.st.making_memory_error = false;
        }
        if !args.is_null() {
            self.set(me, 2, args);
        }
        PyErr(me)
    }

    /// Makes what code run with the heap locked needs (before
    /// `micropython.heap_lock()` locks it): the arguments of the MemoryError
    /// it may raise and the scratch slice of subscripts.
    pub(crate) fn prepare_heap_lock(&mut self) -> PyResult<()> {
        self.scratch_slice()?;
        self.prepare_emergency_exception()?;
        if self.st.heap_locked_args.is_null() {
            let msg = crate::gc::AllocError::Locked.message(0);
            self.st.heap_locked_args = self.message_args(&msg)?;
        }
        Ok(())
    }

    /// Makes the emergency exception (see `VmState::emergency_exc`) if it
    /// does not exist yet: the object, its argument tuple (room for
    /// [`EMERGENCY_ARGS`] items) and a traceback list with room for as many
    /// entries as the MemoryError's.
    pub fn prepare_emergency_exception(&mut self) -> PyResult<()> {
        if !self.st.emergency_exc.is_null() {
            return Ok(());
        }
        self.with_temps(|vm| {
            let args = vm.new_tuple(&[Obj::NONE; EMERGENCY_ARGS])?;
            vm.root(args);
            let tb = vm.traceback_room()?;
            vm.root(tb);
            let e = vm.alloc(4)?;
            vm.set(e, 0, crate::types::type_obj(ids::EXCEPTION));
            vm.set(e, 2, vm.st.empty_tuple);
            vm.set(e, 3, tb);
            vm.st.emergency_args = args;
            vm.st.emergency_exc = e;
            Ok(())
        })
    }

    /// The emergency exception as an instance of built-in exception class
    /// `cls` with `args` (up to [`EMERGENCY_ARGS`]; more are all dropped, as
    /// MicroPython drops what its buffer cannot hold), or `None` if it was
    /// never made.
    pub(crate) fn emergency_exception(&mut self, cls: Obj, args: &[Obj]) -> Option<Obj> {
        let e = self.st.emergency_exc;
        if e.is_null() {
            return None;
        }
        self.set(e, 0, cls);
        self.set(e, 1, Obj::NULL);
        let tuple = if args.is_empty() || args.len() > EMERGENCY_ARGS {
            self.st.empty_tuple
        } else {
            // The tuple's length word says how many of its items count.
            let t = self.st.emergency_args;
            self.set_u32(t, 1, args.len() as u32);
            for (i, &a) in args.iter().enumerate() {
                self.set(t, 2 + i, a);
            }
            t
        };
        self.set(e, 2, tuple);
        self.clear_traceback_room(e);
        Some(e)
    }

    /// An empty traceback list with room for
    /// [`crate::types::exception::MEMORY_ERROR_TRACEBACK_ENTRIES`] entries, for
    /// the exceptions raised when the heap has no room (the MemoryError, the
    /// emergency exception): recording their entries needs no heap.
    pub(crate) fn traceback_room(&mut self) -> PyResult<Obj> {
        let room = [Obj::NONE; 3 * crate::types::exception::MEMORY_ERROR_TRACEBACK_ENTRIES];
        let tb = self.new_list(&room)?;
        self.set_u32(tb, 1, 0);
        Ok(tb)
    }

    /// Empties the preallocated traceback list of exception `e` (raised afresh).
    fn clear_traceback_room(&mut self, e: Obj) {
        let tb = self.get(e, 3);
        if self.is_list(tb) {
            self.set_u32(tb, 1, 0);
        }
    }

    /// An exception's arguments holding one message: `(msg,)`.
    fn message_args(&mut self, msg: &str) -> PyResult<Obj> {
        self.with_temps(|vm| {
            let m = vm.new_str(msg)?;
            vm.root(m);
            vm.new_tuple(&[m])
        })
    }

    /// True if exception instance `exc` is an instance of class `cls`.
    pub fn exception_matches(&self, exc: Obj, type_id: u32) -> bool {
        let t = self.type_of(exc);
        self.is_subclass(t, crate::types::type_obj(type_id))
    }
}
