//! The virtual machine: state ([`Vm`]), configuration, module loading, the
//! dispatch loop and the opcode families (`instrs/`).

pub mod config;
pub mod dispatch;
pub(crate) mod fast;
pub mod frame;
pub mod instrs;
pub mod limits;
pub mod loader;
pub mod traceback;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub use config::{FrozenModules, HeapChoice, VmConfig};
pub use frame::{ExcBlock, Frame};
pub use limits::{LimitKind, Limits};
pub use loader::{CodeUnit, ModuleContext};

use crate::error::{PyErr, PyResult};
use crate::gc::{Heap, Roots};
use crate::obj::Obj;
use crate::qstr::{Qstr, QstrPool};
use crate::types::ids;

/// Where `print` and tracebacks go (`Send`, so the VM can move between threads).
pub type OutputSink = Box<dyn FnMut(&[u8]) + Send>;

/// A function the embedder exposes to Python (see [`Vm::new_host_function`]):
/// positional args and flat `name, value` keyword pairs, as built-ins get them.
pub type HostFn = alloc::sync::Arc<dyn Fn(&mut Vm, &[Obj], &[Obj]) -> PyResult<Obj> + Send + Sync>;

/// Everything a VM holds besides its heap; this is the collector's root set.
pub struct VmState {
    /// Interned strings of this VM.
    pub qstrs: QstrPool,
    /// Live frames, innermost last.
    pub frames: Vec<Frame>,
    /// Temporary roots held by Rust code (see [`Vm::with_temps`]).
    pub temps: Vec<Obj>,
    /// Loaded code units (bytecode lives outside the GC heap).
    pub codes: Vec<alloc::boxed::Box<CodeUnit>>,
    /// Loaded modules' constant contexts.
    pub contexts: Vec<ModuleContext>,
    /// Slots of `codes` freed with their module, for reuse.
    pub free_codes: Vec<usize>,
    /// Slots of `contexts` freed with their module, for reuse.
    pub free_contexts: Vec<usize>,
    /// Bytes of code loaded since `load_module` last forced a collection.
    pub code_bytes_loaded: usize,
    /// `sys.modules`: a dict from name to module.
    pub modules: Obj,
    /// The builtins dict (name -> object).
    pub builtins: Obj,
    /// The preallocated MemoryError instance (raising it never allocates).
    pub memory_error: Obj,
    /// Its arguments while the heap is locked: a tuple holding MicroPython's
    /// message, made by the first `micropython.heap_lock()` (NULL before).
    pub heap_locked_args: Obj,
    /// True while a MemoryError's message is being made (its allocation
    /// failing must not try again).
    pub making_memory_error: bool,
    /// The emergency exception (MicroPython's emergency exception buffer):
    /// a built-in exception raised when the heap cannot hold a new one is
    /// this object, retyped, with its arguments in `emergency_args` and a
    /// traceback list with room made in advance. Made by
    /// `micropython.heap_lock()` and `alloc_emergency_exception_buf()`;
    /// NULL before. Each use overwrites the previous one, as in MicroPython.
    pub emergency_exc: Obj,
    /// The tuple the emergency exception's arguments are written into (its
    /// length word set to their number).
    pub emergency_args: Obj,
    /// The slice a `BUILD_SLICE` right before a subscript of a bytearray,
    /// memoryview or array uses instead of a new one (MicroPython's
    /// stack-allocated slice; NULL until first needed).
    pub scratch_slice: Obj,
    /// True while the scratch slice is in use (a nested subscript then makes
    /// its own slice).
    pub scratch_slice_busy: bool,
    /// The empty tuple, shared by every `()` (as MicroPython's constant one:
    /// making one never allocates, `() is ()`).
    pub empty_tuple: Obj,
    /// The StopIteration a user `__next__` raised to end the latest iteration (NULL when
    /// none): `next()` re-raises it so its value survives (MicroPython's `stop_iteration_arg`).
    pub stop_iteration: Obj,
    /// Nested native entries into the dispatch loop.
    pub native_depth: usize,
    /// Machine-code support (from `VmConfig::native`).
    pub native: Option<&'static dyn crate::native::NativeSupport>,
    /// The opcode of the last operation native code ran through a helper.
    pub native_op: u8,
    /// Stack address at the outermost native call (0 when none runs).
    pub native_stack_base: usize,
    /// Nested native calls.
    pub native_calls: usize,
    /// Set once a class got a property, descriptor or `__setattr__`/`__delattr__`
    /// after its creation (or its `__dict__` was handed out): from then on every
    /// attribute store takes the general path (see `Vm::class_has_special_store`).
    pub special_store_added_late: bool,
    /// Last slot at which each interned-string key was found in any dict,
    /// indexed by the key (see `types::dict`, MicroPython's map lookup cache).
    pub map_cache: [u8; crate::types::dict::MAP_CACHE_SIZE],
    /// Methods of built-in types found by `LOAD_METHOD` on their instances
    /// (see `vm::instrs::names_fast::MethodCache`).
    pub(crate) method_cache: crate::vm::instrs::MethodCache,
    /// Set when the dispatch loop should wipe the dead stack below it
    /// (`gc::stack_scan::wipe_dead_stack`) after the current instruction: a
    /// slow path ran that a fast one replaces from now on.
    pub(crate) wipe_stack: bool,
    /// Frames of suspended generators kept as they are between resumes (see
    /// `types::generator`); written back into the generators before every
    /// collection.
    pub(crate) parked_frames: Vec<Frame>,
    /// Slot vectors of returned frames, reused by the next calls (no
    /// allocation per call in steady state).
    pub(crate) spare_slots: Vec<(Vec<Obj>, Vec<usize>)>,
    /// Python frames limit.
    pub recursion_limit: usize,
    /// Nested native entries limit.
    pub native_limit: usize,
    /// Calls after which native code is optimized (`VmConfig::tier_up_calls`).
    pub tier_up_calls: u32,
    /// Output sink for stdout.
    pub out: OutputSink,
    /// Output sink for stderr (tracebacks).
    pub err: OutputSink,
    /// System modules' state: host services, interrupt flag, loaded built-in modules.
    pub sys: crate::modules::SystemState,
    /// Instruction budget and deadline.
    pub limits: Limits,
    /// Functions the embedder exposed (indexed by host-function objects).
    pub host_fns: Vec<HostFn>,
    /// Objects the embedder holds (slots; NULL when free), kept alive as roots.
    pub host_roots: Vec<Obj>,
    /// The embedder's own per-VM data (host functions reach it through the VM).
    pub ext: Option<Box<dyn core::any::Any + Send>>,
}

impl Roots for VmState {
    fn trace_roots(&mut self, visit: &mut dyn FnMut(Obj)) {
        for f in &self.frames {
            f.trace(visit);
            // The code being run stays loaded.
            visit(self.code_owner(f.code));
        }
        self.temps.iter().for_each(|&o| visit(o));
        visit(self.modules);
        visit(self.memory_error);
        visit(self.heap_locked_args);
        visit(self.emergency_exc);
        visit(self.emergency_args);
        visit(self.scratch_slice);
        visit(self.empty_tuple);
        visit(self.stop_iteration);
        visit(self.builtins);
        self.host_roots.iter().for_each(|&o| visit(o));
        self.sys.trace(visit);
    }

    fn prepare(&mut self, heap: &mut crate::gc::HeapWords) {
        crate::types::generator::write_back_parked(self, heap);
    }

    fn finalise(&mut self, obj: Obj, heap: &mut crate::gc::HeapWords) {
        crate::modules::deflate::finalise(&mut self.sys, obj, heap);
        crate::modules::io::finalise(&mut self.sys, obj, heap);
        self.free_module(obj, heap);
        crate::modules::socket::finalise(&mut self.sys, obj, heap);
    }
}

/// A Python virtual machine: its heap and its state. No global state: several
/// VMs can live in one process, on different threads.
pub struct Vm {
    /// The GC heap.
    pub heap: Heap,
    /// The rest of the VM (the root set).
    pub st: VmState,
}

impl Drop for Vm {
    fn drop(&mut self) {
        crate::modules::io::flush_dirty_files(self);
    }
}

impl core::fmt::Debug for Vm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Vm").field("heap", &self.heap).field("frames", &self.st.frames.len()).finish()
    }
}

impl Vm {
    /// A VM with the given configuration and output sinks.
    pub fn new(config: VmConfig, out: OutputSink, err: OutputSink) -> Result<Vm, crate::gc::AllocError> {
        let heap = config.heap.build()?;
        Vm::with_heap(heap, config, out, err)
    }

    /// A VM on a heap the caller built (a static arena, ...); `config.heap` is ignored.
    pub fn with_heap(
        mut heap: Heap,
        config: VmConfig,
        out: OutputSink,
        err: OutputSink,
    ) -> Result<Vm, crate::gc::AllocError> {
        heap.gc.set_stress(config.gc_stress);
        let mut st = VmState {
            qstrs: QstrPool::new(),
            frames: Vec::new(),
            temps: Vec::new(),
            codes: Vec::new(),
            contexts: Vec::new(),
            free_codes: Vec::new(),
            free_contexts: Vec::new(),
            code_bytes_loaded: 0,
            modules: Obj::NULL,
            memory_error: Obj::NULL,
            heap_locked_args: Obj::NULL,
            emergency_exc: Obj::NULL,
            emergency_args: Obj::NULL,
            making_memory_error: false,
            scratch_slice: Obj::NULL,
            scratch_slice_busy: false,
            empty_tuple: Obj::NULL,
            stop_iteration: Obj::NULL,
            builtins: Obj::NULL,
            native_depth: 0,
            native: config.native,
            native_op: 0,
            native_stack_base: 0,
            native_calls: 0,
            special_store_added_late: false,
            map_cache: [0; crate::types::dict::MAP_CACHE_SIZE],
            method_cache: crate::vm::instrs::MethodCache::new(),
            wipe_stack: false,
            parked_frames: Vec::with_capacity(crate::types::generator::PARK_LIMIT),
            spare_slots: Vec::new(),
            recursion_limit: config.recursion_limit,
            native_limit: config.native_limit,
            tier_up_calls: config.tier_up_calls,
            out,
            err,
            sys: crate::modules::SystemState::new(),
            limits: Limits::default(),
            host_fns: Vec::new(),
            host_roots: Vec::new(),
            ext: None,
        };
        st.sys.frozen = config.frozen;
        st.sys.platform = config.platform;
        let mut vm = Vm { heap, st };
        let me = vm.alloc(4).map_err(|_| crate::gc::AllocError::OutOfMemory)?;
        vm.set(me, 0, crate::types::type_obj(ids::MEMORY_ERROR));
        vm.st.memory_error = me;
        let empty = vm.new_tuple(&[]).map_err(|_| crate::gc::AllocError::OutOfMemory)?;
        vm.st.empty_tuple = empty;
        vm.set(me, 2, empty);
        // The MemoryError's traceback is kept from the start, with room for
        // its entries, so recording them never needs the exhausted heap.
        let tb = vm.traceback_room().map_err(|_| crate::gc::AllocError::OutOfMemory)?;
        vm.set(me, 3, tb);
        vm.st.modules = crate::types::dict::new_dict(&mut vm, 0).map_err(|_| crate::gc::AllocError::OutOfMemory)?;
        vm.st.builtins =
            crate::builtins::make_builtins_dict(&mut vm).map_err(|_| crate::gc::AllocError::OutOfMemory)?;
        Ok(vm)
    }

    // ----- memory -----

    /// Allocates an object of `n_words` words (zeroed). Failure raises MemoryError.
    pub fn alloc(&mut self, n_words: usize) -> PyResult<Obj> {
        let bytes = n_words.saturating_mul(4).max(4);
        match self.heap.alloc(bytes, &mut self.st) {
            Ok(o) if !o.is_null() => Ok(o),
            _ => Err(self.memory_error_of(bytes)),
        }
    }

    /// Word `i` of heap object `o` as a reference (NULL if out of bounds).
    pub fn get(&self, o: Obj, i: usize) -> Obj {
        self.heap.words.load_obj(o, i).unwrap_or(Obj::NULL)
    }

    /// Word `i` of heap object `o` (0 if out of bounds).
    pub fn get_u32(&self, o: Obj, i: usize) -> u32 {
        self.heap.words.load(o, i).unwrap_or(0)
    }

    /// Word `i` of heap object `o` as a usize.
    pub fn get_usize(&self, o: Obj, i: usize) -> usize {
        self.get_u32(o, i) as usize
    }

    /// Stores a reference in word `i` of heap object `o`.
    pub fn set(&mut self, o: Obj, i: usize, v: Obj) {
        self.heap.words.store_obj(o, i, v);
    }

    /// Stores a raw word in word `i` of heap object `o`.
    pub fn set_u32(&mut self, o: Obj, i: usize, v: u32) {
        self.heap.words.store(o, i, v);
    }

    /// Runs `f` and then drops any temporary roots it pushed.
    pub fn with_temps<R>(&mut self, f: impl FnOnce(&mut Vm) -> PyResult<R>) -> PyResult<R> {
        let mark = self.st.temps.len();
        let r = f(self);
        self.st.temps.truncate(mark);
        r
    }

    /// Keeps `o` alive until the enclosing [`Vm::with_temps`] ends.
    pub fn root(&mut self, o: Obj) -> Obj {
        self.st.temps.push(o);
        o
    }

    // ----- qstrs -----

    /// Interns `text` (MemoryError if the pool refuses).
    pub fn intern(&mut self, text: &str) -> PyResult<Qstr> {
        match self.st.qstrs.intern(text) {
            Ok(q) => Ok(q),
            Err(_) => Err(self.memory_error()),
        }
    }

    /// A qstr object for `text`.
    pub fn qstr_obj(&mut self, text: &str) -> PyResult<Obj> {
        let q = self.intern(text)?;
        Ok(Obj::from_qstr(q).unwrap_or(Obj::NONE))
    }

    /// The text of a qstr (empty if unknown).
    pub fn qstr_text(&self, q: Qstr) -> String {
        String::from(self.st.qstrs.text(q).unwrap_or(""))
    }

    // ----- output -----

    /// Writes bytes to stdout.
    pub fn write_out(&mut self, bytes: &[u8]) {
        (self.st.out)(bytes);
    }

    /// Writes bytes to stderr.
    pub fn write_err(&mut self, bytes: &[u8]) {
        (self.st.err)(bytes);
    }

    /// Runs a collection now.
    pub fn collect(&mut self) -> usize {
        let freed = self.heap.collect(&mut self.st);
        crate::modules::files::write_pending(self);
        freed
    }

    /// An internal inconsistency (malformed bytecode, ...) as a SystemError-like RuntimeError.
    #[cold]
    #[inline(never)]
    pub(crate) fn internal_error(&mut self, what: &str) -> PyErr {
        self.new_error(ids::RUNTIME_ERROR, what)
    }
}

/// A VM for unit tests: a 64 KiB arena in GC-stress mode (collect before every
/// allocation), output discarded.
#[cfg(test)]
pub(crate) fn stress_test_vm() -> Vm {
    let config = VmConfig { heap: HeapChoice::Arena(64 * 1024), gc_stress: true, ..VmConfig::default() };
    Vm::new(config, alloc::boxed::Box::new(|_: &[u8]| {}), alloc::boxed::Box::new(|_: &[u8]| {})).expect("vm")
}
