//! The dispatch loop's fast path: runs the simplest instructions of the top
//! bytecode frame (locals, small constants, small-int arithmetic and
//! comparisons, string constants, jumps, conditional jumps on plain truth values
//! and on the emptiness of built-in containers, stack
//! shuffles, `FOR_ITER` over a `range` of small ints, small-int constants,
//! loads and stores of list, tuple, bytearray and integer `array.array` items
//! at small-int indices and of dict values under interned-string keys,
//! and the commonest name and attribute instructions: globals found in the
//! globals or builtins dict, instance attributes, methods in the instance's
//! class, methods of built-in types in the method cache, stores to existing
//! instance attributes; see `instrs::names_fast`)
//! in a tight loop that keeps the instruction pointer, the stack pointer and
//! the fuel countdown in registers.
//!
//! None of these instructions can raise, allocate or call: whenever an
//! instruction needs more (an operand that is not a small int, a result that
//! overflows the small-int range, an unbound local, a name or attribute the
//! fast lookups cannot answer, a pending interrupt on a
//! backward jump, the fuel countdown reaching zero, malformed bytecode), the
//! fast path stops *before* it, and the general path (`Vm::step`) decodes and
//! runs it with full semantics. So tracebacks, interrupts and fuel counting
//! are exactly those of the general path: each fast instruction counts one
//! unit of fuel, and `op_ip` is set by the general path for every instruction
//! that can raise.

use core::sync::atomic::{AtomicBool, Ordering};

use crate::gc::HeapWords;
use crate::obj::Obj;
use crate::types::{ids, type_obj};
use crate::vm::frame::Frame;
use crate::vm::instrs::NameCtx;
use crate::vm::ModuleContext;
use ferropy_bytecode::opcode::{self as op, binary as bop};

/// The result of a small-int binary operator when it is again a small int or
/// a bool; `None` when the general path must run it (other operators,
/// division by zero, negative shifts, results outside the small-int range).
#[inline(always)]
pub(crate) fn small_int_binary(o: u8, x: i32, y: i32) -> Option<Obj> {
    let (x, y) = (i64::from(x), i64::from(y));
    let r = match o {
        bop::LESS => return Some(Obj::from_bool(x < y)),
        bop::MORE => return Some(Obj::from_bool(x > y)),
        bop::EQUAL => return Some(Obj::from_bool(x == y)),
        bop::LESS_EQUAL => return Some(Obj::from_bool(x <= y)),
        bop::MORE_EQUAL => return Some(Obj::from_bool(x >= y)),
        bop::NOT_EQUAL => return Some(Obj::from_bool(x != y)),
        bop::ADD | bop::INPLACE_ADD => x + y,
        bop::SUBTRACT | bop::INPLACE_SUBTRACT => x - y,
        bop::MULTIPLY | bop::INPLACE_MULTIPLY => x * y,
        bop::AND | bop::INPLACE_AND => x & y,
        bop::OR | bop::INPLACE_OR => x | y,
        bop::XOR | bop::INPLACE_XOR => x ^ y,
        bop::FLOOR_DIVIDE | bop::INPLACE_FLOOR_DIVIDE if y != 0 => {
            x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0)
        }
        bop::MODULO | bop::INPLACE_MODULO if y != 0 => {
            let r = x.rem_euclid(y);
            if y < 0 && r != 0 {
                r + y
            } else {
                r
            }
        }
        bop::LSHIFT | bop::INPLACE_LSHIFT if (0..32).contains(&y) => x << y,
        bop::RSHIFT | bop::INPLACE_RSHIFT if y >= 0 => x >> y.min(63),
        _ => return None,
    };
    i32::try_from(r).ok().and_then(Obj::from_small_int)
}

/// `r` as a small int, if it is in the small-int range.
#[inline(always)]
fn small_int_obj(r: i64) -> Option<Obj> {
    i32::try_from(r).ok().and_then(Obj::from_small_int)
}

/// The truth of `v` when it is known without calling anything.
#[inline(always)]
fn plain_truth(v: Obj) -> Option<bool> {
    match v {
        Obj::TRUE => Some(true),
        Obj::FALSE | Obj::NONE => Some(false),
        _ => v.small_int_value().map(|i| i != 0),
    }
}

/// [`crate::types::stored_truth`], out of line.
#[inline(never)]
fn container_truth(heap: &HeapWords, v: Obj) -> Option<bool> {
    crate::types::stored_truth(heap, v)
}

/// Decodes the signed var-int operand starting at `pos` (at most 5 bytes
/// here; longer ones go to the general path); returns it and the offset
/// after it.
#[inline(always)]
fn signed_operand(code: &[u8], pos: usize) -> Option<(i64, usize)> {
    let first = *code.get(pos)?;
    let mut v: i64 = if first & 0x40 != 0 { -1 } else { 0 };
    let mut at = pos;
    while at < pos + 5 {
        let b = *code.get(at)?;
        at += 1;
        v = (v << 7) | i64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((v, at));
        }
    }
    None
}

/// Decodes the unsigned var-int operand starting at `pos`; returns it and
/// the offset after it.
#[inline(always)]
fn unsigned_operand(code: &[u8], pos: usize) -> Option<(usize, usize)> {
    let mut at = pos;
    let v = super::dispatch::read_uint(code, &mut at)?;
    Some((v, at))
}

/// The interned-string object named by the qstr operand at `pos` (an index
/// into the qstr table of module context `context` of `contexts`) and the
/// offset after the operand.
#[inline(always)]
fn name_operand(code: &[u8], pos: usize, contexts: &[ModuleContext], context: usize) -> Option<(Obj, usize)> {
    let (i, after) = unsigned_operand(code, pos)?;
    Some((Obj::from_qstr(*contexts.get(context)?.qstrs.get(i)?)?, after))
}

/// Decodes the operand of a signed jump whose operand starts at `pos`;
/// returns the target and the offset after the operand.
#[inline(always)]
fn signed_jump(code: &[u8], pos: usize) -> Option<(usize, usize)> {
    let b0 = *code.get(pos)?;
    let (raw, bias, next) = if b0 & 0x80 != 0 {
        let b1 = *code.get(pos + 1)?;
        (usize::from(b0 & 0x7f) | (usize::from(b1) << 7), 0x4000, pos + 2)
    } else {
        (usize::from(b0), 0x40, pos + 1)
    };
    Some(((next + raw).checked_sub(bias)?, next))
}

/// The next value of range iterator `it` when it is not exhausted and its
/// fields and the following value are small ints (the iterator is advanced);
/// `None` leaves everything to the general path. (Only ranges here: the
/// dispatch loop's code is sensitive to what is inlined into it, and a
/// sequence iterator case in its `FOR_ITER` cost loops 20%.)
#[inline(always)]
pub(crate) fn range_next(heap: &mut HeapWords, it: Obj) -> Option<Obj> {
    if heap.load_obj(it, 0)? != type_obj(ids::RANGE_ITERATOR) {
        return None;
    }
    let cur = heap.load_obj(it, 1)?.small_int_value()?;
    let stop = heap.load_obj(it, 2)?.small_int_value()?;
    let step = heap.load_obj(it, 3)?.small_int_value()?;
    if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
        let next = Obj::from_small_int(cur.checked_add(step)?)?;
        heap.store_obj(it, 1, next);
        Obj::from_small_int(cur)
    } else {
        None
    }
}

/// True if a `for` loop iterates `seq` in place, without an iterator object
/// (as MicroPython's loops use no heap): an exact list, tuple or bytearray.
/// Its four iterator slots are then NULL, the sequence, the next index (a
/// small int, where an iterator's loop has NULL) and NULL.
#[inline]
pub(crate) fn iterates_in_place(heap: &HeapWords, seq: Obj) -> bool {
    heap.type_of(seq)
        .is_some_and(|t| t == type_obj(ids::LIST) || t == type_obj(ids::TUPLE) || t == type_obj(ids::BYTEARRAY))
}

/// Item `index` of a sequence iterated in place ([`iterates_in_place`]):
/// `Some(None)` past its end (the loop is over; a list may have shrunk),
/// `None` if `seq` is not such a sequence.
#[inline]
pub(crate) fn in_place_item(heap: &HeapWords, seq: Obj, index: usize) -> Option<Option<Obj>> {
    if !iterates_in_place(heap, seq) {
        return None;
    }
    if index >= heap.load(seq, 1)? as usize {
        return Some(None);
    }
    seq_load(heap, seq, Obj::from_small_int(i32::try_from(index).ok()?)?).map(Some)
}

/// `base[index]` for an exact list, tuple, bytearray or integer `array.array`
/// and a small-int index in range; `None` leaves everything to the general path.
#[inline(never)]
pub(crate) fn seq_load(heap: &HeapWords, base: Obj, index: Obj) -> Option<Obj> {
    let t = heap.type_of(base)?;
    if t == type_obj(ids::ARRAY) {
        return array_load(heap, base, index);
    }
    let len = heap.load(base, 1)? as usize;
    let at = crate::types::slice::small_index(index, len)?;
    if t == type_obj(ids::LIST) {
        heap.load_obj(heap.load_obj(base, 3)?, at)
    } else if t == type_obj(ids::TUPLE) {
        heap.load_obj(base, 2 + at)
    } else if t == type_obj(ids::BYTEARRAY) {
        Obj::from_small_int(i32::from(heap.read_byte(heap.load_obj(base, 3)?, at)?))
    } else {
        None
    }
}

/// The size of one item of an `array.array` with integer typecode `code`
/// and whether its items are signed; `None` for the other typecodes.
#[inline(always)]
fn int_item_layout(code: u8) -> Option<(usize, bool)> {
    use crate::types::binary;
    if binary::is_float(code) || matches!(code, b'O' | b'P' | b'S') {
        return None;
    }
    Some((binary::native_size(code)?, binary::is_signed(code)))
}

/// The typecode of `array.array` `a`, its item count and its data holder
/// (array layout: `[type, typecode, item count, data, capacity]`, see
/// `modules::array`).
#[inline(always)]
fn array_parts(heap: &HeapWords, a: Obj) -> Option<(u8, usize, Obj)> {
    let code = u8::try_from(heap.load_obj(a, 1)?.small_int_value()?).ok()?;
    Some((code, heap.load(a, 2)? as usize, heap.load_obj(a, 3)?))
}

/// `a[index]` for an `array.array` `a` of integer typecode whose item at
/// small-int `index` is again a small int.
#[inline(always)]
fn array_load(heap: &HeapWords, a: Obj, index: Obj) -> Option<Obj> {
    small_int_obj(array_item(heap, a, index)?)
}

/// The value of item `index` (a small int in range) of `array.array` `a` of
/// integer typecode, when it fits an `i64` (all but the top half of `Q`/`L`).
#[inline(always)]
pub(crate) fn array_item(heap: &HeapWords, a: Obj, index: Obj) -> Option<i64> {
    if heap.type_of(a)? != type_obj(ids::ARRAY) {
        return None;
    }
    let (code, len, data) = array_parts(heap, a)?;
    let (size, signed) = int_item_layout(code)?;
    let at = crate::types::slice::small_index(index, len)?;
    let raw = heap.read_item(data, at.checked_mul(size)?, size)?;
    let shift = 64 - 8 * size as u32;
    if signed {
        Some(((raw << shift) as i64) >> shift)
    } else {
        i64::try_from(raw).ok()
    }
}

/// `a[index] = value` for an `array.array` `a` of integer typecode, a small-int
/// index in range and an int that fits a word (stored as its low bytes, as
/// the general path does). Out of line: its int conversion would cost the
/// list and bytearray stores of [`seq_store`] their lean frame.
#[inline(never)]
fn array_store(heap: &mut HeapWords, a: Obj, index: Obj, value: Obj) -> bool {
    let (Some((code, len, data)), Some(v)) = (array_parts(heap, a), crate::types::int_word::word_int(heap, value))
    else {
        return false;
    };
    let (Some((size, _)), Some(at)) = (int_item_layout(code), crate::types::slice::small_index(index, len)) else {
        return false;
    };
    match at.checked_mul(size) {
        Some(offset) => heap.write_item(data, offset, size, v as u64),
        None => false,
    }
}

/// `base[index] = value` for an exact list (any value but NULL), bytearray (a
/// small int in 0..256) or integer `array.array` (a small int) and a small-int
/// index in range; false leaves
/// everything to the general path.
#[inline(never)]
pub(crate) fn seq_store(heap: &mut HeapWords, base: Obj, index: Obj, value: Obj) -> bool {
    let Some(t) = heap.type_of(base) else { return false };
    if t == type_obj(ids::ARRAY) {
        return array_store(heap, base, index, value);
    }
    let Some(len) = heap.load(base, 1) else { return false };
    let Some(at) = crate::types::slice::small_index(index, len as usize) else { return false };
    let Some(items) = heap.load_obj(base, 3) else { return false };
    if t == type_obj(ids::LIST) {
        heap.store_obj(items, at, value)
    } else if t == type_obj(ids::BYTEARRAY) {
        match value.small_int_value().and_then(|v| u8::try_from(v).ok()) {
            Some(b) => heap.write_byte(items, at, b),
            None => false,
        }
    } else {
        false
    }
}

/// What the fast path does with each opcode: its arm (one table lookup and
/// one jump per instruction, instead of a chain of range comparisons; an
/// enum, so the jump table needs no range check).
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
enum Kind {
    /// Not run here: the general path.
    OTHER = 0,
    LOAD_FAST = 1,
    STORE_FAST = 2,
    /// `LOAD_CONST_SMALL_INT_MULTI`.
    SMALL_INT = 3,
    LOAD_CONST_SMALL_INT = 4,
    BINARY = 5,
    /// `None`, `True`, `False`.
    CONST = 6,
    POP_TOP = 7,
    DUP_TOP = 8,
    JUMP = 9,
    /// `POP_JUMP_IF_TRUE`/`POP_JUMP_IF_FALSE`.
    POP_JUMP = 10,
    FOR_ITER = 11,
    /// `LOAD_GLOBAL`/`LOAD_NAME`.
    LOAD_GLOBAL_NAME = 12,
    LOAD_ATTR = 13,
    LOAD_METHOD = 14,
    STORE_ATTR = 15,
    /// The commonest binary operators (and their in-place forms) get their
    /// own arms; `BINARY` has the others.
    ADD = 16,
    SUB = 17,
    MUL = 18,
    AND = 19,
    OR = 20,
    XOR = 21,
    LESS = 22,
    MORE = 23,
    EQUAL = 24,
    NOT_EQUAL = 25,
    LESS_EQUAL = 26,
    MORE_EQUAL = 27,
    /// `LOAD_SUBSCR` and `STORE_SUBSCR` of a list, tuple or bytearray item,
    /// or of a dict value under an interned-string key.
    LOAD_SUBSCR = 28,
    STORE_SUBSCR = 29,
    LOAD_CONST_STRING = 30,
    DUP_TOP_TWO = 31,
    ROT_TWO = 32,
    ROT_THREE = 33,
}

/// The [`Kind`] of an opcode.
const fn kind_of(opc: u8) -> Kind {
    match opc {
        op::LOAD_FAST_MULTI..=0xBF => Kind::LOAD_FAST,
        op::STORE_FAST_MULTI..=0xCF => Kind::STORE_FAST,
        op::LOAD_CONST_SMALL_INT_MULTI..=0xAF => Kind::SMALL_INT,
        op::LOAD_CONST_SMALL_INT => Kind::LOAD_CONST_SMALL_INT,
        op::BINARY_OP_MULTI..=0xF9 => match opc - op::BINARY_OP_MULTI {
            bop::ADD | bop::INPLACE_ADD => Kind::ADD,
            bop::SUBTRACT | bop::INPLACE_SUBTRACT => Kind::SUB,
            bop::MULTIPLY | bop::INPLACE_MULTIPLY => Kind::MUL,
            bop::AND | bop::INPLACE_AND => Kind::AND,
            bop::OR | bop::INPLACE_OR => Kind::OR,
            bop::XOR | bop::INPLACE_XOR => Kind::XOR,
            bop::LESS => Kind::LESS,
            bop::MORE => Kind::MORE,
            bop::EQUAL => Kind::EQUAL,
            bop::NOT_EQUAL => Kind::NOT_EQUAL,
            bop::LESS_EQUAL => Kind::LESS_EQUAL,
            bop::MORE_EQUAL => Kind::MORE_EQUAL,
            _ => Kind::BINARY,
        },
        op::LOAD_CONST_NONE | op::LOAD_CONST_TRUE | op::LOAD_CONST_FALSE => Kind::CONST,
        op::POP_TOP => Kind::POP_TOP,
        op::DUP_TOP => Kind::DUP_TOP,
        op::DUP_TOP_TWO => Kind::DUP_TOP_TWO,
        op::ROT_TWO => Kind::ROT_TWO,
        op::ROT_THREE => Kind::ROT_THREE,
        op::JUMP => Kind::JUMP,
        op::POP_JUMP_IF_TRUE | op::POP_JUMP_IF_FALSE => Kind::POP_JUMP,
        op::FOR_ITER => Kind::FOR_ITER,
        op::LOAD_GLOBAL | op::LOAD_NAME => Kind::LOAD_GLOBAL_NAME,
        op::LOAD_ATTR => Kind::LOAD_ATTR,
        op::LOAD_METHOD => Kind::LOAD_METHOD,
        op::STORE_ATTR => Kind::STORE_ATTR,
        op::LOAD_SUBSCR => Kind::LOAD_SUBSCR,
        op::LOAD_CONST_STRING => Kind::LOAD_CONST_STRING,
        op::STORE_SUBSCR => Kind::STORE_SUBSCR,
        _ => Kind::OTHER,
    }
}

/// [`kind_of`] of every opcode.
static KINDS: [Kind; 256] = {
    let mut t = [Kind::OTHER; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = kind_of(i as u8);
        i += 1;
    }
    t
};

/// Runs simple instructions of `f` (whose bytecode is `code`) until the next
/// one needs the general path; leaves `f.ip` at that instruction.
/// `countdown` is the fuel countdown (`Limits::countdown`), `interrupt` the
/// VM's interrupt flag, `names` the heap words (range iterators) and what
/// the name and attribute fast paths read (see `instrs::names_fast`),
/// `contexts[context]` the module context of the code (whose qstr table the
/// operands of those instructions index).
#[inline(always)]
pub(crate) fn run_simple(
    f: &mut Frame,
    code: &[u8],
    countdown: &mut u64,
    interrupt: &AtomicBool,
    names: &mut NameCtx<'_>,
    contexts: &[ModuleContext],
    context: usize,
) {
    let mut ip = f.ip;
    let mut sp = f.sp;
    let mut fuel = *countdown;
    let (globals, locals) = (f.globals, f.locals);
    let state = &mut f.state[..];
    let n = state.len();
    // A binary operator on two small ints whose result `$f` gives (`None`:
    // the general path runs it).
    macro_rules! small_int_op {
        ($f:expr) => {{
            if sp < 2 || sp > n {
                break;
            }
            let (Some(x), Some(y)) = (state[sp - 2].small_int_value(), state[sp - 1].small_int_value()) else {
                break;
            };
            let Some(r) = $f(x, y) else { break };
            sp -= 1;
            state[sp] = Obj::NULL;
            state[sp - 1] = r;
            ip + 1
        }};
    }
    loop {
        if fuel == 0 {
            break;
        }
        let Some(&opc) = code.get(ip) else { break };
        let next = match KINDS[usize::from(opc)] {
            Kind::LOAD_FAST => {
                let slot = n.wrapping_sub(1 + usize::from(opc - op::LOAD_FAST_MULTI));
                match state.get(slot) {
                    Some(&v) if !v.is_null() && sp < n => {
                        state[sp] = v;
                        sp += 1;
                    }
                    _ => break,
                }
                ip + 1
            }
            Kind::STORE_FAST => {
                let slot = n.wrapping_sub(1 + usize::from(opc - op::STORE_FAST_MULTI));
                if sp == 0 || slot >= n {
                    break;
                }
                sp -= 1;
                state[slot] = state[sp];
                ip + 1
            }
            Kind::SMALL_INT => {
                if sp >= n {
                    break;
                }
                let v = i32::from(opc - op::LOAD_CONST_SMALL_INT_MULTI) - op::LOAD_CONST_SMALL_INT_MULTI_EXCESS;
                state[sp] = Obj::from_small_int(v).unwrap_or(Obj::NONE);
                sp += 1;
                ip + 1
            }
            Kind::LOAD_CONST_SMALL_INT => {
                let Some((v, after)) = signed_operand(code, ip + 1) else { break };
                match i32::try_from(v).ok().and_then(Obj::from_small_int) {
                    Some(o) if sp < n => {
                        state[sp] = o;
                        sp += 1;
                    }
                    _ => break,
                }
                after
            }
            Kind::BINARY => small_int_op!(|x, y| small_int_binary(opc - op::BINARY_OP_MULTI, x, y)),
            Kind::ADD => small_int_op!(|x: i32, y: i32| small_int_obj(i64::from(x) + i64::from(y))),
            Kind::SUB => small_int_op!(|x: i32, y: i32| small_int_obj(i64::from(x) - i64::from(y))),
            Kind::MUL => small_int_op!(|x: i32, y: i32| small_int_obj(i64::from(x) * i64::from(y))),
            Kind::AND => small_int_op!(|x: i32, y: i32| Obj::from_small_int(x & y)),
            Kind::OR => small_int_op!(|x: i32, y: i32| Obj::from_small_int(x | y)),
            Kind::XOR => small_int_op!(|x: i32, y: i32| Obj::from_small_int(x ^ y)),
            Kind::LESS => small_int_op!(|x: i32, y: i32| Some(Obj::from_bool(x < y))),
            Kind::MORE => small_int_op!(|x: i32, y: i32| Some(Obj::from_bool(x > y))),
            Kind::EQUAL => small_int_op!(|x: i32, y: i32| Some(Obj::from_bool(x == y))),
            Kind::NOT_EQUAL => small_int_op!(|x: i32, y: i32| Some(Obj::from_bool(x != y))),
            Kind::LESS_EQUAL => small_int_op!(|x: i32, y: i32| Some(Obj::from_bool(x <= y))),
            Kind::MORE_EQUAL => small_int_op!(|x: i32, y: i32| Some(Obj::from_bool(x >= y))),
            Kind::CONST => {
                if sp >= n {
                    break;
                }
                state[sp] = match opc {
                    op::LOAD_CONST_NONE => Obj::NONE,
                    op::LOAD_CONST_TRUE => Obj::TRUE,
                    _ => Obj::FALSE,
                };
                sp += 1;
                ip + 1
            }
            Kind::POP_TOP => {
                if sp == 0 {
                    break;
                }
                sp -= 1;
                state[sp] = Obj::NULL;
                ip + 1
            }
            Kind::DUP_TOP => {
                if sp == 0 || sp >= n {
                    break;
                }
                state[sp] = state[sp - 1];
                sp += 1;
                ip + 1
            }
            Kind::DUP_TOP_TWO => {
                if sp < 2 || sp + 1 >= n {
                    break;
                }
                state[sp] = state[sp - 2];
                state[sp + 1] = state[sp - 1];
                sp += 2;
                ip + 1
            }
            Kind::ROT_TWO => {
                if sp < 2 || sp > n {
                    break;
                }
                state.swap(sp - 1, sp - 2);
                ip + 1
            }
            Kind::ROT_THREE => {
                // a b c -> c a b
                if sp < 3 || sp > n {
                    break;
                }
                let c = state[sp - 1];
                state[sp - 1] = state[sp - 2];
                state[sp - 2] = state[sp - 3];
                state[sp - 3] = c;
                ip + 1
            }
            Kind::JUMP => {
                let Some((target, _)) = signed_jump(code, ip + 1) else { break };
                if target <= ip && interrupt.load(Ordering::Relaxed) {
                    break;
                }
                target
            }
            Kind::POP_JUMP => {
                if sp == 0 {
                    break;
                }
                let v = state[sp - 1];
                let Some(truth) = plain_truth(v).or_else(|| container_truth(names.words, v)) else { break };
                let Some((target, after)) = signed_jump(code, ip + 1) else { break };
                if truth == (opc == op::POP_JUMP_IF_TRUE) {
                    if target <= ip && interrupt.load(Ordering::Relaxed) {
                        break;
                    }
                    sp -= 1;
                    target
                } else {
                    sp -= 1;
                    after
                }
            }
            Kind::FOR_ITER => {
                // Stack: ..., NULL, iterator, NULL, NULL (`flow::ITER_SLOTS`).
                if sp < 3 || sp >= n {
                    break;
                }
                let Some(v) = range_next(names.words, state[sp - 3]) else { break };
                state[sp] = v;
                sp += 1;
                // An unsigned jump operand of one or two bytes (only taken
                // when the iterator is exhausted: the general path).
                match code.get(ip + 1) {
                    Some(b) if b & 0x80 != 0 => ip + 3,
                    Some(_) => ip + 2,
                    None => break,
                }
            }
            Kind::LOAD_GLOBAL_NAME => {
                let Some((key, after)) = name_operand(code, ip + 1, contexts, context) else { break };
                if sp >= n {
                    break;
                }
                let found = if opc == op::LOAD_GLOBAL {
                    names.load_global(globals, key)
                } else {
                    names.load_name(locals, globals, key)
                };
                let Some(v) = found else { break };
                state[sp] = v;
                sp += 1;
                after
            }
            Kind::LOAD_ATTR => {
                let Some((key, after)) = name_operand(code, ip + 1, contexts, context) else { break };
                if sp == 0 {
                    break;
                }
                let Some(v) = names.load_attr(state[sp - 1], key) else { break };
                state[sp - 1] = v;
                after
            }
            Kind::LOAD_METHOD => {
                let Some((key, after)) = name_operand(code, ip + 1, contexts, context) else { break };
                if sp == 0 || sp >= n {
                    break;
                }
                match names.load_method(state[sp - 1], key) {
                    Some((fun, self_obj)) => {
                        state[sp - 1] = fun;
                        state[sp] = self_obj;
                    }
                    None if names.builtin_method(state, sp, key) => {}
                    None => break,
                }
                sp += 1;
                after
            }
            Kind::STORE_ATTR => {
                // Stack: ..., value, object.
                let Some((key, after)) = name_operand(code, ip + 1, contexts, context) else { break };
                if sp < 2 || !names.store_attr(state[sp - 1], key, state[sp - 2]) {
                    break;
                }
                state[sp - 1] = Obj::NULL;
                state[sp - 2] = Obj::NULL;
                sp -= 2;
                after
            }
            Kind::LOAD_CONST_STRING => {
                let Some((v, after)) = name_operand(code, ip + 1, contexts, context) else { break };
                if sp >= n {
                    break;
                }
                state[sp] = v;
                sp += 1;
                after
            }
            Kind::LOAD_SUBSCR => {
                // Stack: ..., base, index.
                if sp < 2 || sp > n {
                    break;
                }
                let (base, index) = (state[sp - 2], state[sp - 1]);
                let Some(v) =
                    seq_load(names.words, base, index).or_else(|| names.dict_get_outlined(base, index).flatten())
                else {
                    break;
                };
                sp -= 1;
                state[sp] = Obj::NULL;
                state[sp - 1] = v;
                ip + 1
            }
            Kind::STORE_SUBSCR => {
                // Stack: ..., value, base, index.
                if sp < 3 || sp > n {
                    break;
                }
                let (value, base, index) = (state[sp - 3], state[sp - 2], state[sp - 1]);
                // A NULL value is `del base[index]` (general path).
                if value.is_null()
                    || !seq_store(names.words, base, index, value) && !names.dict_replace(base, index, value)
                {
                    break;
                }
                state[sp - 1] = Obj::NULL;
                state[sp - 2] = Obj::NULL;
                state[sp - 3] = Obj::NULL;
                sp -= 3;
                ip + 1
            }
            _ => break,
        };
        fuel -= 1;
        ip = next;
    }
    f.ip = ip;
    f.sp = sp;
    *countdown = fuel;
}
