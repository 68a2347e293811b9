//! Calls from native code to native functions of the plain kind, done
//! without the general call path.
//!
//! A `CALL_FUNCTION`/`CALL_METHOD` that native code hands to the `OP` helper
//! would normally go through the VM's instruction code: argument lists copied
//! and rooted, the general binding, a frame pushed and then a nested run of the
//! dispatch loop, which finds the native frame and enters its code. When the
//! callee is a function whose code is machine code and whose parameters bind
//! as they are (exactly its positional parameters given positionally, no
//! closure, no generator), [`fast_call`] moves the arguments from the caller's
//! stack into a new frame and enters the callee's code at once
//! ([`Vm::start_nested_native`]), which keeps the machine-stack budget (the
//! recursion error) and the tier-up count. The frame is an ordinary frame on the VM's
//! frame stack, so the collector sees every object of both frames, and
//! tracebacks and exception handlers work as on the general path: an exception
//! the callee's code returns is handed to the dispatch loop, which looks for a
//! handler in the callee frame (re-entering its code) or records the callee's
//! traceback line and pops it.

use ferropy_bytecode::native_abi::status;
use ferropy_bytecode::opcode as op;

use super::NativeCtx;
use crate::error::PyErr;
use crate::obj::Obj;
use crate::types::{self, ids};
use crate::vm::dispatch::{Outcome, Step};
use crate::vm::{Frame, Vm};

/// What [`fast_call`] found out.
pub(super) enum Call {
    /// Not a plain call of a native function: the general path must run it.
    General,
    /// The call ran; the status for the code (`CONTINUE` or `ERROR`).
    Done(usize),
}

/// Runs the call operation `opcode` (operand `arg`, stack depth `sp` before
/// it) of the native frame `ctx.frame` directly if its callee is a plain
/// native function; the result replaces the callee and its arguments on the
/// caller's stack. `op_ip` is the operation's position (for the caller's
/// traceback line).
#[inline(always)]
pub(super) fn fast_call(vm: &mut Vm, ctx: &mut NativeCtx, opcode: u8, arg: usize, sp: usize, op_ip: usize) -> Call {
    let method = match opcode {
        op::CALL_FUNCTION => false,
        op::CALL_METHOD => true,
        _ => return Call::General,
    };
    // Keyword arguments take the general path.
    if arg >> 8 != 0 {
        return Call::General;
    }
    let n_items = (arg & 0xff) + 1 + usize::from(method);
    let fi = ctx.frame;
    let Some(callee) = plain_callee(vm, fi, sp, n_items, method) else { return Call::General };
    let st = match run_callee(vm, (ctx.table, ctx.interrupt), fi, sp, op_ip, opcode, &callee) {
        Ok(v) => match vm.st.frames.get_mut(fi).and_then(|f| f.state.get_mut(callee.start)) {
            Some(slot) => {
                *slot = v;
                status::CONTINUE
            }
            None => {
                let e = vm.internal_error("native frame lost");
                fail(vm, ctx, opcode, e)
            }
        },
        Err(e) => fail(vm, ctx, opcode, e),
    };
    Call::Done(st)
}

/// Leaves `e` pending for the caller's code; the operation the caller's
/// traceback entry is about is the call again (the callee's helpers changed it).
fn fail(vm: &mut Vm, ctx: &mut NativeCtx, opcode: u8, e: PyErr) -> usize {
    vm.st.native_op = opcode;
    ctx.pending = Some(e);
    status::ERROR
}

/// A plain native callee found on the caller's stack.
struct Callee {
    /// Its code unit.
    code: usize,
    /// The function object.
    fun: Obj,
    /// Its globals dict.
    globals: Obj,
    /// The caller's slot of the first stack item (`fun`), which receives the result.
    start: usize,
    /// The number of arguments (the top stack items).
    n_args: usize,
    /// Its frame size.
    n_state: usize,
    /// Where its code starts.
    ip: usize,
    /// True if its frame needs word slots (`CodeUnit::words`).
    words: bool,
}

/// The callee of a call whose `n_items` stack items (`fun [self] args...`)
/// end at depth `sp` of frame `fi`, if it is a plain native function.
#[inline(always)]
fn plain_callee(vm: &Vm, fi: usize, sp: usize, n_items: usize, method: bool) -> Option<Callee> {
    let start = sp.checked_sub(n_items)?;
    let state = &vm.st.frames.get(fi)?.state;
    let fun = *state.get(start)?;
    // `CALL_METHOD` with a NULL `self` slot calls a plain function.
    let skip = if method && state.get(start + 1)?.is_null() { 2 } else { 1 };
    // The function's header words (type, code, globals, .., .., closure
    // size: `FUN_HEADER`), read with one bounds check.
    let at = fun.heap_word_index()?;
    let head = vm.heap.words.words().get(at..at.checked_add(6)?)?;
    let (ty, code, globals, cells) = (head[0], head[1] as usize, head[2], head[5]);
    if Obj::from_raw(ty) != types::type_obj(ids::FUNCTION) || cells != 0 {
        return None;
    }
    let u = vm.st.codes.get(code)?;
    let n_args = n_items - skip;
    // Machine code whose parameters bind as they are (`CodeUnit::plain_native`).
    (u.plain_native == n_args + 1).then_some(Callee {
        code,
        fun,
        globals: Obj::from_raw(globals),
        start,
        n_args,
        n_state: u.n_state.max(1),
        ip: u.opcodes_start,
        words: u.words,
    })
}

/// Records the caller's position, pushes the callee's frame with the
/// arguments taken from the top of the caller's stack (cut back to the
/// callee's slot), runs it to its return and pops it. `table` is the
/// caller's helper table and interrupt flag (`NativeCtx::table`,
/// `NativeCtx::interrupt`), which the callee shares.
fn run_callee(
    vm: &mut Vm,
    table: (usize, usize),
    fi: usize,
    sp: usize,
    op_ip: usize,
    opcode: u8,
    callee: &Callee,
) -> Result<Obj, PyErr> {
    // The caller's position, as the general path records it before running
    // the operation: a failure of the call is reported at this line.
    vm.st.native_op = opcode;
    if let Some(caller) = vm.st.frames.get_mut(fi) {
        caller.sp = sp;
        caller.op_ip = op_ip;
        caller.ip = op_ip + 1;
    }
    vm.check_interrupt()?;
    vm.check_depth()?;
    let (mut state, words) = vm.take_slots(callee.n_state, callee.words);
    let Some(caller) = vm.st.frames.get_mut(fi) else { return Err(vm.internal_error("native frame lost")) };
    // Parameter i is local i, at slot `n_state - 1 - i` (locals are stored
    // reversed). The arguments' slots are left NULL; below them, a NULL
    // `self` stays NULL and `fun` stays until the result replaces it (the
    // callee's frame holds it meanwhile).
    // (`plain_callee` found `n_args < n_items <= sp` and `n_args <= n_state`.)
    let first = sp.wrapping_sub(callee.n_args);
    for i in 0..callee.n_args {
        let to = state.get_mut(callee.n_state.wrapping_sub(1 + i));
        if let (Some(f), Some(t)) = (caller.state.get_mut(first.wrapping_add(i)), to) {
            *t = core::mem::replace(f, Obj::NULL);
        }
    }
    caller.sp = callee.start;
    let depth = vm.st.frames.len();
    let frame = Frame::new(callee.code, callee.fun, callee.globals, Obj::NULL, callee.ip, state, words);
    // With room for it, the frame is built in its place: a `push` that may
    // grow the vector builds it on the machine stack and copies it.
    if vm.st.frames.len() < vm.st.frames.capacity() {
        vm.st.frames.push(frame);
    } else {
        push_growing(&mut vm.st.frames, frame);
    }
    // `callee` is in the caller's Rust frame: its address tells how deep the
    // machine stack is.
    let here = callee as *const Callee as usize;
    match vm.start_nested_native(depth, callee.code, table, here) {
        Ok(Step::Return(v)) => {
            // As `pop_frame` (called here, it would no longer be inlined
            // into the dispatch loop).
            if let Some(f) = vm.st.frames.pop() {
                vm.st.recycle_slots(f.state, f.words);
            }
            Ok(v)
        }
        Ok(_) => {
            vm.st.frames.truncate(depth);
            Err(vm.internal_error("yield from a called frame"))
        }
        // The dispatch loop handles the exception as for any frame: a handler
        // of the callee runs (and the call may still return), or the callee's
        // traceback line is recorded and its frame popped.
        Err(e) => match vm.run_frames_nested(depth, Some(e)) {
            Ok(Outcome::Return(v)) => Ok(v),
            Ok(Outcome::Yield(_)) => Err(vm.internal_error("yield from a called frame")),
            Err(e) => Err(e),
        },
    }
}

/// A frame pushed onto a full frame stack (kept out of [`run_callee`]).
#[cold]
#[inline(never)]
fn push_growing(frames: &mut alloc::vec::Vec<Frame>, frame: Frame) {
    frames.push(frame);
}
