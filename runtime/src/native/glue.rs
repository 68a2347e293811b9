//! The helper table native code calls, and the call into native code.
//!
//! This is the one place where raw pointers from machine code are turned into
//! references: every helper receives the context block the runtime built in
//! [`Vm::step_native`](crate::vm::Vm) for the running call, and forwards to
//! safe code in `ops`. Helpers never unwind: errors become statuses.
#![allow(unsafe_code)]

use ferropy_bytecode::native_abi::helper;

use super::{ops, NativeCode, NativeCtx};

/// A helper as machine code calls it.
pub type Helper = extern "C" fn(*mut NativeCtx, usize, usize, usize) -> usize;

/// The helpers, indexed by `native_abi::helper` (each VM's table is a copy,
/// followed by its interrupt flag: see `native::Attention`).
pub const HELPER_FNS: [Helper; helper::COUNT] = [op, interrupt, boxed, unboxed, divmod, failed_at];

/// The helper table, indexed by `native_abi::helper`.
pub static HELPERS: [Helper; helper::COUNT] = HELPER_FNS;

/// Runs `f` with the context block and its VM.
fn with_ctx(ctx: *mut NativeCtx, f: impl FnOnce(&mut NativeCtx, &mut crate::vm::Vm) -> usize) -> usize {
    // SAFETY: machine code passes back the pointer `call_code` gave it, to a
    // `NativeCtx` that outlives the call; nothing else touches the block while
    // the code runs.
    let Some(ctx) = (unsafe { ctx.as_mut() }) else { return ferropy_bytecode::native_abi::status::ERROR };
    // SAFETY: `ctx.vm` was made from the `&mut Vm` that started the call, which
    // is not used until the call returns; helpers run one at a time on this thread.
    let Some(vm) = (unsafe { ctx.vm.as_mut() }) else { return ferropy_bytecode::native_abi::status::ERROR };
    // A helper call is one instruction: its temporary roots end with it (the
    // dispatch loop does the same per instruction; without this, a long
    // native loop would keep every temporary of every iteration alive).
    let temps = vm.st.temps.len();
    let status = guarded(ctx, vm, f);
    vm.st.temps.truncate(temps);
    refresh_heap(ctx, vm);
    status
}

/// [`with_ctx`] for a helper body that roots no temporaries (the fast paths
/// of `LOAD_GLOBAL` and `CALL_FUNCTION`).
#[inline(always)]
fn with_ctx_no_temps(ctx: *mut NativeCtx, f: impl FnOnce(&mut NativeCtx, &mut crate::vm::Vm) -> usize) -> usize {
    // SAFETY: as in `with_ctx`: the pointer `call_code` gave the code, to a
    // live `NativeCtx` nothing else touches while the code runs.
    let Some(ctx) = (unsafe { ctx.as_mut() }) else { return ferropy_bytecode::native_abi::status::ERROR };
    // SAFETY: as in `with_ctx`: the VM that started the call, unused until it returns.
    let Some(vm) = (unsafe { ctx.vm.as_mut() }) else { return ferropy_bytecode::native_abi::status::ERROR };
    let status = guarded(ctx, vm, f);
    refresh_heap(ctx, vm);
    status
}

/// Stores the heap's address in the context block after a helper: the heap
/// may have grown (and moved), and code reading objects inline takes the
/// address from there (`native_abi::CTX_HEAP`).
#[inline(always)]
fn refresh_heap(ctx: &mut NativeCtx, vm: &crate::vm::Vm) {
    ctx.heap = vm.heap.words.words().as_ptr() as usize;
}

/// Runs a helper body; with `std`, a Rust panic inside it becomes a pending
/// exception instead of unwinding into machine code (which would abort).
#[cfg(feature = "std")]
fn guarded(
    ctx: &mut NativeCtx,
    vm: &mut crate::vm::Vm,
    f: impl FnOnce(&mut NativeCtx, &mut crate::vm::Vm) -> usize,
) -> usize {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *ctx, &mut *vm)));
    r.unwrap_or_else(|_| {
        ctx.pending = Some(vm.internal_error("internal error in the runtime (a Rust panic)"));
        ferropy_bytecode::native_abi::status::ERROR
    })
}

#[cfg(not(feature = "std"))]
fn guarded(
    ctx: &mut NativeCtx,
    vm: &mut crate::vm::Vm,
    f: impl FnOnce(&mut NativeCtx, &mut crate::vm::Vm) -> usize,
) -> usize {
    f(ctx, vm)
}

/// A status no helper returns: `LOAD_GLOBAL`'s fast path missed.
const MISS: usize = usize::MAX;

extern "C" fn op(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    // The most frequent operation in a small function of its own: the
    // general one needs a big stack frame and many saved registers.
    if opword as u8 == ferropy_bytecode::opcode::LOAD_GLOBAL {
        return load_global(ctx, opword, arg, op_addr);
    }
    if opword as u8 == ferropy_bytecode::opcode::CALL_FUNCTION {
        return call_function(ctx, opword, arg, op_addr);
    }
    if matches!(opword as u8, ferropy_bytecode::opcode::LOAD_SUBSCR | ferropy_bytecode::opcode::STORE_SUBSCR) {
        return item(ctx, opword, arg, op_addr);
    }
    if opword as u8 == ferropy_bytecode::opcode::LOAD_CONST_OBJ {
        return load_const(ctx, opword, arg, op_addr);
    }
    op_general(ctx, opword, arg, op_addr)
}

/// `LOAD_CONST_OBJ` (a constant that is not a small int or string: a big
/// int, float, bytes, tuple) straight from the code's constant table, or
/// else the general path (which reports a bad index).
#[inline(never)]
extern "C" fn load_const(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    fast_or_slow(ctx, opword, arg, op_addr, ops::load_const, op_general)
}

/// `LOAD_SUBSCR`/`STORE_SUBSCR` of an item the fast paths handle
/// (`ops::fast_item`: list, tuple, bytearray and integer array items, dict
/// values under interned keys), or else the general path.
#[inline(never)]
extern "C" fn item(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    fast_or_slow(ctx, opword, arg, op_addr, ops::fast_item, item_wide)
}

/// An item load `item`'s fast paths left: a word-sized integer array item
/// (`ops::wide_array_item`, which allocates), or else the general path. Apart
/// from `item` so that its fast path makes no call and saves no registers.
#[inline(never)]
extern "C" fn item_wide(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    fast_or_slow(ctx, opword, arg, op_addr, ops::wide_array_item, op_slow)
}

/// `CALL_FUNCTION` of a plain native function (`call::fast_call`), or else
/// the general path.
///
/// The fast call roots no temporaries of its own: the callee's helpers drop
/// theirs, and a failed call's are dropped where its exception is handled
/// (the dispatch loop's `run_frames_nested`, or an outer helper).
#[inline(never)]
extern "C" fn call_function(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    let st = with_ctx_no_temps(ctx, |c, vm| {
        let sp = (opword >> 8) & 0xFFFF;
        let op_ip = op_addr.wrapping_sub(c.base);
        match super::call::fast_call(vm, c, ferropy_bytecode::opcode::CALL_FUNCTION, arg, sp, op_ip) {
            super::call::Call::Done(st) => st,
            super::call::Call::General => MISS,
        }
    });
    if st != MISS {
        return st;
    }
    op_general(ctx, opword, arg, op_addr)
}

/// `LOAD_GLOBAL` through the map lookup cache, or else the general path.
#[inline(never)]
extern "C" fn load_global(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    fast_or_slow(ctx, opword, arg, op_addr, ops::load_global, op_general)
}

/// The operations without a function of their own: the fast paths of
/// `ops::fast_op` (which root no temporaries), or else the general path.
#[inline(never)]
extern "C" fn op_general(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    fast_or_slow(ctx, opword, arg, op_addr, ops::fast_op, op_slow)
}

/// Runs the fast path `fast` of the operation `opword` names (with the
/// context block, for the running frame and qstr context, and the
/// operation's opcode, stack depth and operand; it roots no temporaries and
/// returns a status), or else `slow` (the general path or another helper
/// that falls back to it).
#[inline(always)]
fn fast_or_slow(
    ctx: *mut NativeCtx,
    opword: usize,
    arg: usize,
    op_addr: usize,
    fast: fn(&mut crate::vm::Vm, &NativeCtx, u8, usize, usize) -> Option<usize>,
    slow: Helper,
) -> usize {
    let st = with_ctx_no_temps(ctx, |c, vm| fast(vm, c, opword as u8, (opword >> 8) & 0xFFFF, arg).unwrap_or(MISS));
    if st != MISS {
        return st;
    }
    slow(ctx, opword, arg, op_addr)
}

/// The general path of an operation (`ops::op`).
#[inline(never)]
extern "C" fn op_slow(ctx: *mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    with_ctx(ctx, |c, vm| ops::op(vm, c, opword, arg, op_addr))
}

extern "C" fn interrupt(ctx: *mut NativeCtx, op_addr: usize, _: usize, _: usize) -> usize {
    with_ctx(ctx, |c, vm| ops::interrupt(vm, c, op_addr))
}

extern "C" fn boxed(ctx: *mut NativeCtx, value: usize, type_slot: usize, op_addr: usize) -> usize {
    with_ctx(ctx, |c, vm| ops::positioned(vm, c, op_addr, |vm, c| ops::box_value(vm, c, value, type_slot)))
}

extern "C" fn unboxed(ctx: *mut NativeCtx, slot: usize, vtype: usize, op_addr: usize) -> usize {
    with_ctx(ctx, |c, vm| ops::positioned(vm, c, op_addr, |vm, c| ops::unbox_value(vm, c, slot, vtype)))
}

extern "C" fn divmod(ctx: *mut NativeCtx, a: usize, b: usize, which: usize) -> usize {
    with_ctx(ctx, |c, vm| ops::divmod(vm, c, a, b, which))
}

extern "C" fn failed_at(ctx: *mut NativeCtx, op_addr: usize, _: usize, _: usize) -> usize {
    with_ctx(ctx, |c, vm| ops::failed_at(vm, c, op_addr))
}

/// Runs `f` on the VM of a native call in progress; `None` for a null block.
/// For [`NativeSupport`](super::NativeSupport) implementations that run the
/// machine code themselves (an emulator) and need to look at the VM between
/// instructions, as helpers do.
///
/// # Safety
/// `ctx` must be null or the context block passed to the running
/// [`NativeCode::call`](super::NativeCode::call), used from that call (not
/// while a helper runs), on its thread.
pub unsafe fn with_vm<R>(ctx: *mut NativeCtx, f: impl FnOnce(&mut NativeCtx, &mut crate::vm::Vm) -> R) -> Option<R> {
    // SAFETY: the caller passes the context block of the native call in
    // progress; its VM is not otherwise in use until the call returns (as for
    // helpers, see `with_ctx`).
    let ctx = unsafe { ctx.as_mut() }?;
    // SAFETY: as above: `ctx.vm` is the VM that started the call.
    let vm = unsafe { ctx.vm.as_mut() }?;
    Some(f(ctx, vm))
}

/// Calls native code with a context block.
pub(super) fn call_code(
    code: *const dyn NativeCode,
    ctx: &mut NativeCtx,
    state: *mut u32,
    words: *mut usize,
    resume: usize,
) -> usize {
    // SAFETY: `code` points into a boxed code unit of the VM, which is neither
    // moved (boxed) nor dropped while its function runs: the running frame is
    // a GC root and keeps the unit's module owner alive (see `vm::loader`), and
    // code replaced by a tier-up is kept as `retired` until the unit is freed.
    let Some(code) = (unsafe { code.as_ref() }) else { return ferropy_bytecode::native_abi::status::ERROR };
    code.call(ctx as *mut NativeCtx, state, words, resume)
}
