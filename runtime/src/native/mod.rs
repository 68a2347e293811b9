//! Running machine code from the native and viper emitters.
//!
//! The runtime does not generate or map machine code itself: the embedder plugs
//! in a [`NativeSupport`] (the emitters for run-time compilation, and a way to
//! make code executable and call it) through `VmConfig::native`. A native
//! function is an ordinary function object whose code unit holds machine code;
//! its frame is an ordinary [`Frame`](crate::vm::Frame), so calls, generators,
//! exceptions and tracebacks go through the same dispatch loop as bytecode.
//! When the loop meets a native frame it calls [`Vm::step_native`], which enters
//! the code (at its start, at an exception handler or after a `yield`) with
//! the context block described in `ferropy_bytecode::native_abi`.
//!
//! * [`glue`]: the helper table (the only `unsafe` here: helpers receive the
//!   context block as a raw pointer from the machine code).
//! * [`ops`]: what the helpers do, in safe Rust.
//! * [`call`]: calls of plain native functions from native code, without
//!   the general call path.

mod call;
pub mod glue;
mod ops;
mod tier;

pub use tier::TierUp;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;

use ferropy_bytecode::native_abi::status;
use ferropy_frontend::NativeEmitterFactory;

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::vm::dispatch::Step;
use crate::vm::Vm;

/// Machine code made executable for one function.
pub trait NativeCode: core::fmt::Debug + Send {
    /// Address of the first byte of the code (the entry point).
    fn base(&self) -> usize;
    /// Calls the entry point: `entry(ctx, state, words, resume) -> status`.
    ///
    /// `ctx` points to a live [`NativeCtx`]; `state` and `words` to the frame's
    /// slot arrays, which stay in place for the whole call.
    fn call(&self, ctx: *mut NativeCtx, state: *mut u32, words: *mut usize, resume: usize) -> usize;
}

/// What a VM needs to run native code, supplied by the embedder.
pub trait NativeSupport: Sync {
    /// The `.mpy` architecture code of the machine code this support runs.
    fn arch(&self) -> u8;
    /// Makes `code`, the machine code of the function named `name`, executable.
    fn install(&self, code: &[u8], name: &str) -> Result<Box<dyn NativeCode>, String>;
    /// The emitters for `@native`/`@viper` functions compiled at run time.
    fn emitters(&self) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>>;
    /// True if `machine` (code from these emitters) has faster code on
    /// request ([`NativeSupport::optimize`]): tier-up then counts its calls.
    fn can_optimize(&self, _machine: &[u8]) -> bool {
        false
    }
    /// Faster code with the same frame layout, positions and behaviour as
    /// `machine`, made executable; `None` keeps `machine`.
    fn optimize(&self, _machine: &[u8]) -> Option<Box<dyn NativeCode>> {
        None
    }
}

/// The context block passed to machine code (the first three words are the ABI
/// of `ferropy_bytecode::native_abi`: helper table, interrupt flag, value).
#[repr(C)]
#[derive(Debug)]
pub struct NativeCtx {
    /// Address of the helper table.
    pub table: usize,
    /// Address of the interrupt flag byte.
    pub interrupt: usize,
    /// Returned/yielded value, or a helper's result.
    pub value: usize,
    /// The VM running the code.
    pub vm: *mut Vm,
    /// Index of the native frame in `VmState::frames`.
    pub frame: usize,
    /// Address of the code's first byte (positions are offsets from it).
    pub base: usize,
    /// Address of the heap's first word (`native_abi::CTX_HEAP`), refreshed
    /// after every helper call (a helper may grow the heap).
    pub heap: usize,
    /// The exception raised by the last failing helper.
    pub pending: Option<PyErr>,
    /// The running code's qstr context (`CodeUnit::context`).
    pub context: usize,
}

/// The host memory machine code may touch during a native call, as
/// `(address, length in bytes)`: for embedders that run the code in an
/// emulator and must map exactly that memory (see [`Vm::native_memory`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NativeMemory {
    /// The context block (its first three words are the ABI's).
    pub ctx: (usize, usize),
    /// The helper table.
    pub table: (usize, usize),
    /// The interrupt flag byte.
    pub interrupt: (usize, usize),
    /// The frame's object slots.
    pub state: (usize, usize),
    /// The frame's machine-word slots.
    pub words: (usize, usize),
    /// The heap's words (viper pointers to buffers point here).
    pub heap: (usize, usize),
}

// The context block's layout is part of the ABI: `base` is word `CTX_BASE`,
// `heap` word `CTX_HEAP`.
const _: () = assert!(
    core::mem::offset_of!(NativeCtx, base)
        == ferropy_bytecode::native_abi::CTX_BASE as usize * core::mem::size_of::<usize>()
);
const _: () = assert!(
    core::mem::offset_of!(NativeCtx, heap)
        == ferropy_bytecode::native_abi::CTX_HEAP as usize * core::mem::size_of::<usize>()
);

/// A VM's attention flag (`SystemState::interrupt`: an interrupt request or
/// scheduled callbacks; it dereferences to the flag) in the block native code
/// reaches it through: a copy of the helper table, then the flag byte, so that
/// code holding the table's address (`ctx[CTX_TABLE]`) tests the flag with
/// one load (`native_abi::table_flag_offset`).
#[repr(C)]
pub struct Attention {
    table: [glue::Helper; ferropy_bytecode::native_abi::helper::COUNT],
    flag: core::sync::atomic::AtomicBool,
}

// The flag byte is where emitted code reads it.
const _: () = assert!(
    core::mem::offset_of!(Attention, flag)
        == ferropy_bytecode::native_abi::table_flag_offset(core::mem::size_of::<usize>() as u32) as usize
);

impl Attention {
    /// A table with the flag clear (`set` false) or set.
    pub const fn new(set: bool) -> Attention {
        Attention { table: glue::HELPER_FNS, flag: core::sync::atomic::AtomicBool::new(set) }
    }

    /// The address of the table (`ctx[CTX_TABLE]`).
    fn table_addr(&self) -> usize {
        self.table.as_ptr() as usize
    }

    /// The address of the flag byte (`ctx[CTX_INTERRUPT]`).
    fn flag_addr(&self) -> usize {
        &self.flag as *const core::sync::atomic::AtomicBool as usize
    }
}

impl core::ops::Deref for Attention {
    type Target = core::sync::atomic::AtomicBool;
    fn deref(&self) -> &Self::Target {
        &self.flag
    }
}

impl core::fmt::Debug for Attention {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Attention").field(&self.flag).finish()
    }
}

/// A flag that is never clear: the table native code uses while a resource
/// limit is active.
static ALWAYS_CHECK: Attention = Attention::new(true);

/// Stack bytes native code may use (nested native calls recurse on the machine
/// stack); deeper calls raise the recursion error.
pub const NATIVE_STACK_BUDGET: usize = 1024 * 1024;

impl Vm {
    /// The memory of the native call whose context block is `ctx` (see
    /// [`NativeMemory`]); the heap part can grow while helpers run.
    pub fn native_memory(&self, ctx: &NativeCtx) -> NativeMemory {
        let words = self.heap.words.words();
        let frame = self.st.frames.get(ctx.frame);
        let state = frame.map_or((0, 0), |f| (f.state.as_ptr() as usize, f.state.len() * core::mem::size_of::<Obj>()));
        let wslots =
            frame.map_or((0, 0), |f| (f.words.as_ptr() as usize, f.words.len() * core::mem::size_of::<usize>()));
        NativeMemory {
            ctx: (ctx as *const NativeCtx as usize, core::mem::size_of::<NativeCtx>()),
            table: (ctx.table, glue::HELPERS.len() * core::mem::size_of::<glue::Helper>()),
            interrupt: (ctx.interrupt, 1),
            state,
            words: wslots,
            heap: (words.as_ptr() as usize, core::mem::size_of_val(words)),
        }
    }

    /// True if the code unit `code` holds machine code.
    pub fn is_native_unit(&self, code: usize) -> bool {
        self.st.codes.get(code).is_some_and(|u| u.native.is_some())
    }

    /// Runs the top frame, which holds native code, until it returns, yields or
    /// raises an exception it does not handle itself.
    // Kept out of the dispatch loop, which it would only slow down for bytecode.
    #[inline(never)]
    pub(crate) fn step_native(&mut self) -> PyResult<Step> {
        let marker = 0u8;
        let here = core::hint::black_box(&marker) as *const u8 as usize;
        if self.st.native_stack_base == 0 {
            self.st.native_stack_base = here;
        } else if self.st.native_stack_base.saturating_sub(here) > NATIVE_STACK_BUDGET {
            return Err(self.recursion_error());
        }
        let outermost = self.st.native_calls == 0;
        self.st.native_calls += 1;
        let r = self.enter_native();
        self.st.native_calls -= 1;
        if outermost {
            self.st.native_stack_base = 0;
        }
        r
    }

    /// Starts the code of frame `frame` (running code unit `code`), just
    /// pushed by a call from native code (`call::fast_call`): as
    /// [`Vm::step_native`], for a call nested in a native call in progress.
    /// `table` is the running code's helper table and flag address, which the
    /// callee shares; `here` an address on the machine stack near the caller's
    /// top (for the stack budget).
    pub(crate) fn start_nested_native(
        &mut self,
        frame: usize,
        code: usize,
        table: (usize, usize),
        here: usize,
    ) -> PyResult<Step> {
        // Native code runs, so an outer `step_native` has set the base.
        if self.st.native_stack_base.saturating_sub(here) > NATIVE_STACK_BUDGET {
            return Err(self.recursion_error());
        }
        self.run_native(frame, code, 0, table)
    }

    fn enter_native(&mut self) -> PyResult<Step> {
        let frame = self.st.frames.len().saturating_sub(1);
        let Some(f) = self.st.frames.get(frame) else { return Err(self.internal_error("no frame")) };
        let (code, ip) = (f.code, f.ip);
        // With a fuel budget or a deadline, every backward jump of the code
        // must reach the runtime: point its interrupt check at a byte that is
        // always set (the helper then checks the real flag and the limits).
        let attention: &Attention = if self.st.limits.active() { &ALWAYS_CHECK } else { &self.st.sys.interrupt };
        let table = (attention.table_addr(), attention.flag_addr());
        self.run_native(frame, code, ip, table)
    }

    /// Runs the code of frame `frame` (code unit `code`) from offset `ip`
    /// (0: its start) until it returns, yields or fails, with helper table
    /// and interrupt flag `table` (addresses, see [`Attention`]).
    #[inline(always)]
    fn run_native(&mut self, frame: usize, code: usize, ip: usize, table: (usize, usize)) -> PyResult<Step> {
        if ip == 0 {
            self.count_native_call(code);
        }
        let Some(u) = self.st.codes.get(code) else { return Err(self.internal_error("not native code")) };
        let (base, context) = (u.native_base, u.context);
        let Some(native) = u.native.as_ref() else { return Err(self.internal_error("not native code")) };
        // The code unit (and so the mapping) lives while its frame is on the
        // frame stack (the frame keeps its module loaded); the call reaches back
        // into the VM only through `ctx.vm`.
        let code_ref: *const dyn NativeCode = &**native;
        let Some(f) = self.st.frames.get_mut(frame) else { return Err(self.internal_error("no frame")) };
        let state = f.state.as_mut_ptr().cast::<u32>();
        let words = f.words.as_mut_ptr();
        let resume = if ip == 0 { 0 } else { base + ip };
        let mut ctx = NativeCtx {
            table: table.0,
            interrupt: table.1,
            value: 0,
            vm: self as *mut Vm,
            frame,
            base,
            heap: self.heap.words.words().as_ptr() as usize,
            pending: None,
            context,
        };
        let st = glue::call_code(code_ref, &mut ctx, state, words, resume);
        match st {
            status::RETURN => Ok(Step::Return(Obj::from_raw(ctx.value as u32))),
            status::YIELD => Ok(Step::Yield(Obj::from_raw(ctx.value as u32))),
            status::ERROR => Err(ctx.pending.take().unwrap_or_else(|| self.internal_error("native code failed"))),
            _ => Err(self.internal_error("bad status from native code")),
        }
    }
}

#[cfg(test)]
mod abi_tests {
    use ferropy_bytecode::native_abi::{layout, obj_word};

    use crate::obj::Obj;
    use crate::types::{ids, type_obj};

    /// The object words and layouts emitted code reads inline are the runtime's.
    #[test]
    fn inline_object_words_and_layouts() {
        assert_eq!(type_obj(ids::LIST).raw(), obj_word::LIST_TYPE);
        assert_eq!(type_obj(ids::TUPLE).raw(), obj_word::TUPLE_TYPE);
        assert_eq!(type_obj(ids::BYTEARRAY).raw(), obj_word::BYTEARRAY_TYPE);
        assert_eq!(Obj::from_small_int(0).map(Obj::raw), Some(obj_word::SMALL_INT_TAG));
        let mut vm = crate::vm::stress_test_vm();
        let (a, b) = (Obj::from_small_int(7).unwrap(), Obj::from_small_int(-3).unwrap());
        let word = |vm: &crate::vm::Vm, o: Obj, i: i32| vm.heap.words.load(o, i as usize).unwrap();
        let list = vm.new_list(&[a, b]).unwrap();
        assert_eq!(list.raw() & obj_word::HEAP_REF_MASK, 0);
        assert_eq!(word(&vm, list, layout::LIST_LEN), 2);
        let items = Obj::from_raw(word(&vm, list, layout::LIST_ITEMS));
        assert_eq!((vm.heap.words.load_obj(items, 0), vm.heap.words.load_obj(items, 1)), (Some(a), Some(b)));
        let tuple = vm.new_tuple(&[b, a]).unwrap();
        assert_eq!(word(&vm, tuple, layout::TUPLE_LEN), 2);
        assert_eq!(Obj::from_raw(word(&vm, tuple, layout::TUPLE_ITEMS + 1)), a);
        let bytes = vm.new_bytearray(&[1, 2, 250]).unwrap();
        assert_eq!(word(&vm, bytes, layout::BYTEARRAY_LEN), 3);
        let data = Obj::from_raw(word(&vm, bytes, layout::BYTEARRAY_DATA));
        assert_eq!(vm.heap.words.load(data, 0).map(|w| w.to_le_bytes()[2]), Some(250));
    }
}
