//! What the helpers of native code do (safe Rust; see `glue` for the entry
//! points). Positions the code passes as addresses become offsets from the
//! code's start, the frame's `ip`/`op_ip` space for native frames.

use ferropy_bytecode::native_abi::{status, vtype};
use ferropy_bytecode::opcode as op;

use super::NativeCtx;
use crate::error::PyErr;
use crate::obj::Obj;
use crate::vm::dispatch::{Instr, Outcome, Step};
use crate::vm::Vm;

/// Operations whose operand is a label address.
fn takes_label(opcode: u8) -> bool {
    matches!(
        opcode,
        op::JUMP
            | op::POP_JUMP_IF_TRUE
            | op::POP_JUMP_IF_FALSE
            | op::JUMP_IF_TRUE_OR_POP
            | op::JUMP_IF_FALSE_OR_POP
            | op::UNWIND_JUMP
            | op::SETUP_WITH
            | op::SETUP_EXCEPT
            | op::SETUP_FINALLY
            | op::POP_EXCEPT_JUMP
            | op::FOR_ITER
            | op::YIELD_VALUE
            | op::YIELD_FROM
    )
}

fn fail(ctx: &mut NativeCtx, e: PyErr) -> usize {
    ctx.pending = Some(e);
    status::ERROR
}

/// Runs the simplest cases of a few frequent operations directly on the
/// frame's slots, skipping the general path's bookkeeping (`LOAD_GLOBAL`
/// has its own function, see `glue`): `GET_ITER_STACK` of an exact list,
/// tuple or bytearray (iterated in place, `vm::fast::iterates_in_place`),
/// `FOR_ITER` over a `range` of small ints or a sequence iterated in place
/// (and the end of the latter: a jump to `arg`, the loop's exit), binary
/// operators on ints that fit a machine word (`int_word`: a small int, a
/// bool, or a heap int for a result past the small-int range; item loads
/// and stores have their own helper entry: [`fast_item`]). None of these can
/// raise or call, and each gives exactly what the general path would; the
/// result is a status (`CONTINUE` or the jump's address), `None` leaves the
/// operation to the general path (also when an allocation fails: the
/// general path then raises `MemoryError`).
pub(super) fn fast_op(vm: &mut Vm, c: &NativeCtx, opcode: u8, sp: usize, arg: usize) -> Option<usize> {
    let fi = c.frame;
    match opcode {
        op::BINARY_OP_MULTI..=0xF9 => {
            let state = &vm.st.frames.get(fi)?.state;
            let (x, y) = (*state.get(sp.checked_sub(2)?)?, *state.get(sp - 1)?);
            let bop = opcode - op::BINARY_OP_MULTI;
            let small = match (x.small_int_value(), y.small_int_value()) {
                (Some(a), Some(b)) => crate::vm::fast::small_int_binary(bop, a, b),
                _ => None,
            };
            // Ints that fit a word (32-bit values are heap ints): the operands
            // stay rooted in the frame's slots while the result is allocated;
            // a failed allocation is left to the general path, which raises.
            let r = match small {
                Some(r) => r,
                None => vm.word_int_binary(bop, x, y)?.ok()?,
            };
            *vm.st.frames.get_mut(fi)?.state.get_mut(sp - 2)? = r;
        }
        op::FOR_ITER => {
            // Stack: ..., NULL, iterator, NULL, NULL (`flow::ITER_SLOTS`), or
            // NULL, sequence, index, NULL for a sequence iterated in place.
            let f = vm.st.frames.get_mut(fi)?;
            if let Some(i) = f.state.get(sp.checked_sub(2)?)?.small_int_value() {
                let seq = *f.state.get(sp - 3)?;
                match crate::vm::fast::in_place_item(&vm.heap.words, seq, i as usize)? {
                    Some(v) => {
                        *f.state.get_mut(sp - 2)? = Obj::from_small_int(i.checked_add(1)?)?;
                        *f.state.get_mut(sp)? = v;
                    }
                    None => {
                        // The end: the loop's slots are dropped, the loop left.
                        f.state.get_mut(sp.checked_sub(4)?..sp)?.fill(Obj::NULL);
                        return Some(arg);
                    }
                }
                return Some(status::CONTINUE);
            }
            let it = *f.state.get(sp.checked_sub(3)?)?;
            *f.state.get_mut(sp)? = crate::vm::fast::range_next(&mut vm.heap.words, it)?;
        }
        op::GET_ITER_STACK => {
            // A list, tuple or bytearray is iterated in place (as the general
            // path does): its slot becomes NULL, sequence, index 0, NULL.
            let seq = *vm.st.frames.get(fi)?.state.get(sp.checked_sub(1)?)?;
            if !crate::vm::fast::iterates_in_place(&vm.heap.words, seq) {
                return None;
            }
            let slots = vm.st.frames.get_mut(fi)?.state.get_mut(sp - 1..sp + 3)?;
            slots.copy_from_slice(&[Obj::NULL, seq, Obj::from_small_int(0)?, Obj::NULL]);
        }
        _ => return None,
    }
    Some(status::CONTINUE)
}

/// `LOAD_SUBSCR`/`STORE_SUBSCR` (`opcode`) of the items the bytecode fast
/// loop handles (`vm::fast::seq_load`/`seq_store`: list, tuple, bytearray and
/// integer array items at small-int indices, exact types only; dict values
/// under interned-string keys), directly on the frame's slots, as
/// [`fast_op`] does for its operations; `None` leaves the operation to
/// [`wide_array_item`], then the general path.
#[inline(always)]
pub(super) fn fast_item(vm: &mut Vm, c: &NativeCtx, opcode: u8, sp: usize, _arg: usize) -> Option<usize> {
    let fi = c.frame;
    match opcode {
        op::LOAD_SUBSCR => {
            let state = &vm.st.frames.get(fi)?.state;
            let (o, index) = (*state.get(sp.checked_sub(2)?)?, *state.get(sp - 1)?);
            let v = crate::vm::fast::seq_load(&vm.heap.words, o, index)
                .or_else(|| vm.name_ctx().dict_get_outlined(o, index).flatten())?;
            *vm.st.frames.get_mut(fi)?.state.get_mut(sp - 2)? = v;
        }
        op::STORE_SUBSCR => {
            // Stack: ..., value, object, index.
            let state = &vm.st.frames.get(fi)?.state;
            let (v, o, index) = (*state.get(sp.checked_sub(3)?)?, *state.get(sp - 2)?, *state.get(sp - 1)?);
            // A NULL value is a `del`: the general path.
            if v.is_null()
                || !crate::vm::fast::seq_store(&mut vm.heap.words, o, index, v)
                    && !vm.name_ctx().dict_replace(o, index, v)
            {
                return None;
            }
        }
        _ => return None,
    }
    Some(status::CONTINUE)
}

/// `LOAD_SUBSCR` of an integer array item that fits a word but not a small
/// int (a 32-bit pixel), allocated here (the operands stay rooted in the
/// frame's slots); `None` for anything else, or when the allocation fails.
pub(super) fn wide_array_item(vm: &mut Vm, c: &NativeCtx, opcode: u8, sp: usize, _arg: usize) -> Option<usize> {
    let fi = c.frame;
    if opcode != op::LOAD_SUBSCR {
        return None;
    }
    let state = &vm.st.frames.get(fi)?.state;
    let (a, index) = (*state.get(sp.checked_sub(2)?)?, *state.get(sp - 1)?);
    let item = crate::vm::fast::array_item(&vm.heap.words, a, index)?;
    let v = vm.new_int(item).ok()?;
    *vm.st.frames.get_mut(fi)?.state.get_mut(sp - 2)? = v;
    Some(status::CONTINUE)
}

/// `LOAD_GLOBAL` of name `arg` (a qstr index of the code's context) into
/// slot `sp` of the running frame when the map lookup cache finds it in the
/// globals dict; a miss (or a builtin) is left to the general path, which
/// refreshes the cache.
#[inline(always)]
pub(super) fn load_global(vm: &mut Vm, c: &NativeCtx, _opcode: u8, sp: usize, arg: usize) -> Option<usize> {
    let globals = vm.st.frames.get(c.frame)?.globals;
    let q = *vm.st.contexts.get(c.context)?.qstrs.get(arg)?;
    let v = vm.dict_cached_get(globals, Obj::from_qstr(q)?)?;
    if v.is_null() {
        return None;
    }
    *vm.st.frames.get_mut(c.frame)?.state.get_mut(sp)? = v;
    Some(status::CONTINUE)
}

/// `LOAD_CONST_OBJ` of constant `arg` of the code's context into slot `sp`
/// of the running frame; `None` (an index past the table) leaves it to the
/// general path.
#[inline(always)]
pub(super) fn load_const(vm: &mut Vm, c: &NativeCtx, _opcode: u8, sp: usize, arg: usize) -> Option<usize> {
    let consts = vm.st.contexts.get(c.context)?.consts;
    if arg >= vm.heap.words.load(consts, 1)? as usize {
        return None;
    }
    let v = vm.heap.words.load_obj(consts, arg.checked_add(2)?)?;
    *vm.st.frames.get_mut(c.frame)?.state.get_mut(sp)? = v;
    Some(status::CONTINUE)
}

/// Runs one operation with bytecode semantics on the native frame.
pub(super) fn op(vm: &mut Vm, ctx: &mut NativeCtx, opword: usize, arg: usize, op_addr: usize) -> usize {
    let opcode = opword as u8;
    let mut sp = (opword >> 8) & 0xFFFF;
    let extra = (opword >> 24) as u8;
    let fi = ctx.frame;
    let op_ip = op_addr.wrapping_sub(ctx.base);
    if let super::call::Call::Done(st) = super::call::fast_call(vm, ctx, opcode, arg, sp, op_ip) {
        return st;
    }
    let arg = if takes_label(opcode) { arg.wrapping_sub(ctx.base) } else { arg };
    let Some(f) = vm.st.frames.get_mut(fi) else {
        let e = vm.internal_error("native frame lost");
        return fail(ctx, e);
    };
    // A finally/with handler entered by an unwinding jump or return has a
    // marker (a small int) in the slot above the compiler's top of stack.
    if ((opcode == op::END_FINALLY && extra == 1) || opcode == op::WITH_CLEANUP)
        && f.state.get(sp).is_some_and(|o| o.is_small_int())
    {
        sp += 1;
    }
    f.sp = sp;
    f.op_ip = op_ip;
    f.ip = op_ip + 1;
    vm.st.native_op = opcode;
    let ins = Instr { op: opcode, arg, sarg: arg as isize as i64, extra };
    let depth = vm.st.frames.len();
    match vm.execute(ins) {
        Ok(Step::Next) => {
            if vm.st.frames.len() > depth {
                // A call pushed a frame: run it to completion here.
                match vm.run_frames_nested(depth, None) {
                    Ok(Outcome::Return(v)) => {
                        if let Err(e) = vm.push(v) {
                            return fail(ctx, e);
                        }
                    }
                    Ok(Outcome::Yield(_)) => {
                        let e = vm.internal_error("yield from a called frame");
                        return fail(ctx, e);
                    }
                    Err(e) => return fail(ctx, e),
                }
            }
            match vm.st.frames.get(fi) {
                Some(f) if f.ip != op_ip + 1 => ctx.base + f.ip,
                _ => status::CONTINUE,
            }
        }
        Ok(Step::Return(v)) => {
            ctx.value = v.raw() as usize;
            status::RETURN
        }
        Ok(Step::Yield(v)) => {
            // The operand is the address right after the operation: where a
            // `yield` resumes, and where a `yield from` continues once its
            // delegate finishes.
            if let Some(f) = vm.st.frames.get_mut(fi) {
                if opcode == op::YIELD_VALUE {
                    f.ip = arg;
                } else {
                    f.yield_from_after = u32::try_from(arg).unwrap_or(0);
                }
            }
            ctx.value = v.raw() as usize;
            status::YIELD
        }
        Err(e) => fail(ctx, e),
    }
}

/// Raises a pending interrupt at a backward jump.
pub(super) fn interrupt(vm: &mut Vm, ctx: &mut NativeCtx, op_addr: usize) -> usize {
    let op_ip = op_addr.wrapping_sub(ctx.base);
    if let Some(f) = vm.st.frames.get_mut(ctx.frame) {
        f.op_ip = op_ip;
        f.ip = op_ip + 1;
    }
    vm.st.native_op = op::JUMP;
    match vm.check_interrupt().and_then(|()| vm.tick()) {
        Ok(()) => status::CONTINUE,
        Err(e) => fail(ctx, e),
    }
}

/// Records the failing position of an inline operation whose error is pending.
pub(super) fn failed_at(vm: &mut Vm, ctx: &mut NativeCtx, op_addr: usize) -> usize {
    let op_ip = op_addr.wrapping_sub(ctx.base);
    if let Some(f) = vm.st.frames.get_mut(ctx.frame) {
        f.op_ip = op_ip;
        f.ip = op_ip + 1;
    }
    status::ERROR
}

/// Runs a helper body for the operation at `op_addr`; if it fails, records
/// that position (as [`failed_at`]).
pub(super) fn positioned(
    vm: &mut Vm,
    ctx: &mut NativeCtx,
    op_addr: usize,
    f: impl FnOnce(&mut Vm, &mut NativeCtx) -> usize,
) -> usize {
    let st = f(vm, ctx);
    if st == status::ERROR {
        failed_at(vm, ctx, op_addr)
    } else {
        st
    }
}

/// The object for a viper native value.
pub(crate) fn native_to_obj(vm: &mut Vm, value: usize, t: u8) -> Result<Obj, PyErr> {
    match t {
        vtype::BOOL => Ok(if value != 0 { Obj::TRUE } else { Obj::FALSE }),
        vtype::INT => vm.new_int(value as isize as i64),
        vtype::OBJECT => Ok(Obj::from_raw(value as u32)),
        _ => vm.new_uint(value as u64),
    }
}

/// Boxes a native value into object slot `type_slot >> 8`.
pub(super) fn box_value(vm: &mut Vm, ctx: &mut NativeCtx, value: usize, type_slot: usize) -> usize {
    let slot = type_slot >> 8;
    match native_to_obj(vm, value, type_slot as u8) {
        Ok(o) => match vm.st.frames.get_mut(ctx.frame).and_then(|f| f.state.get_mut(slot)) {
            Some(s) => {
                *s = o;
                status::CONTINUE
            }
            None => {
                let e = vm.internal_error("bad native slot");
                fail(ctx, e)
            }
        },
        Err(e) => fail(ctx, e),
    }
}

/// The native value of `o` for viper type `t` (casts and typed arguments).
pub(crate) fn obj_to_native(vm: &mut Vm, o: Obj, t: u8) -> Result<usize, PyErr> {
    match t {
        vtype::BOOL => Ok(usize::from(vm.is_true(o)?)),
        vtype::INT | vtype::UINT => vm.int_truncated(o),
        vtype::PTR | vtype::PTR8 | vtype::PTR16 | vtype::PTR32 => match vm.buffer_address(o)? {
            Some(addr) => Ok(addr),
            None => vm.int_truncated(o),
        },
        _ => Ok(o.raw() as usize),
    }
}

/// Converts object slot `slot` to a native value (left in `ctx.value`).
pub(super) fn unbox_value(vm: &mut Vm, ctx: &mut NativeCtx, slot: usize, t: usize) -> usize {
    let o = vm.st.frames.get(ctx.frame).and_then(|f| f.state.get(slot)).copied().unwrap_or(Obj::NONE);
    match obj_to_native(vm, o, t as u8) {
        Ok(v) => {
            ctx.value = v;
            status::CONTINUE
        }
        Err(e) => fail(ctx, e),
    }
}

/// Viper `int` floor division (`which` 0) or modulo (1).
pub(super) fn divmod(vm: &mut Vm, ctx: &mut NativeCtx, a: usize, b: usize, which: usize) -> usize {
    let (a, b) = (a as isize, b as isize);
    if b == 0 {
        let e = vm.new_error(crate::types::ids::ZERO_DIVISION_ERROR, "divide by zero");
        return fail(ctx, e);
    }
    let q = a.wrapping_div(b);
    let r = a.wrapping_rem(b);
    let (q, r) = if r != 0 && ((r < 0) != (b < 0)) { (q.wrapping_sub(1), r.wrapping_add(b)) } else { (q, r) };
    ctx.value = if which == 0 { q as usize } else { r as usize };
    status::CONTINUE
}

impl Vm {
    /// An int's low machine-word bits (viper `int(x)`/`uint(x)` on objects).
    fn int_truncated(&mut self, o: Obj) -> Result<usize, PyErr> {
        let word = crate::types::binary::int_word(self, o)?;
        Ok(u64::from_le_bytes(word) as usize)
    }

    /// The machine address of a bytes-like object's first byte, if it has a
    /// buffer (viper `ptr8(buf)` and friends). Heap storage never moves while
    /// the VM lives (see `Backing::reserve_total`), so the address stays valid
    /// as long as the object does.
    ///
    /// An empty buffer (which may own no storage) is at the heap's start:
    /// code reading it reads nothing.
    fn buffer_address(&mut self, o: Obj) -> Result<Option<usize>, PyErr> {
        let Some(info) = self.buffer_info(o) else { return Ok(None) };
        let start = self.heap.words.words().as_ptr() as usize;
        match info.holder.heap_offset() {
            Some(base) => Ok(Some(start + base as usize + info.offset)),
            None if info.len == 0 => Ok(Some(start)),
            None => Ok(None),
        }
    }
}
