//! `collections.deque(iterable, maxlen[, flags])`, MicroPython's bounded
//! double-ended queue: a ring buffer, so appends and pops at either end cost
//! O(1). Layout: `[type, ring list, maxlen, overflow check, head, length]`;
//! the ring list's items are the slots (its length is the ring's capacity,
//! which grows by doubling up to `maxlen`); item `k` is slot
//! `(head + k) % capacity`. With flag bit 0 set, appending to a full deque
//! raises IndexError instead of dropping the item at the other end.

use alloc::string::String;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::types::{self, ids, Method, TypeDesc};
use crate::vm::Vm;

/// The `deque` type.
pub static DEQUE_TYPE: TypeDesc = TypeDesc {
    make_new: Some(deque_make_new),
    print: Some(deque_print),
    unary_op: Some(deque_unary),
    subscr: Some(deque_subscr),
    getiter: Some(deque_getiter),
    methods: &DEQUE_METHODS,
    ..TypeDesc::new("deque", ids::OBJECT)
};

static DEQUE_METHODS: [Method; 5] = [
    Method::new("append", deque_append),
    Method::new("extend", deque_extend),
    Method::new("pop", deque_pop),
    Method::new("appendleft", deque_appendleft),
    Method::new("popleft", deque_popleft),
];

const RING: usize = 1;
const MAXLEN: usize = 2;
const CHECK: usize = 3;
const HEAD: usize = 4;
/// The word holding the length (a small int), also read by the dispatch loop's fast path.
pub(crate) const LEN: usize = 5;

fn deque_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (src, maxlen) = match args {
        [s, m, ..] => (*s, *m),
        _ => return Err(vm.type_error("function missing 1 required positional arguments")),
    };
    let maxlen = vm.expect_int(maxlen)?;
    if maxlen < 0 {
        return Err(vm.value_error("maxlen must be >= 0"));
    }
    // MicroPython's third argument: flags, bit 0 = raise IndexError on overflow.
    let flags = match args.get(2) {
        Some(&f) => vm.expect_int(f)?,
        None => 0,
    };
    let items = vm.collect_iterable(src)?;
    let ring = vm.new_list(&[])?;
    vm.root(ring);
    let d = vm.alloc(6)?;
    vm.set(d, 0, types::type_obj(ids::DEQUE));
    vm.set(d, RING, ring);
    vm.set(d, MAXLEN, Obj::from_small_int(maxlen.min(1 << 29) as i32).unwrap_or(Obj::NONE));
    vm.set(d, CHECK, Obj::from_bool(flags & 1 != 0));
    set_count(vm, d, HEAD, 0);
    set_count(vm, d, LEN, 0);
    vm.root(d);
    for it in items {
        push(vm, d, it, false)?;
    }
    Ok(d)
}

fn count(vm: &Vm, d: Obj, slot: usize) -> usize {
    vm.get(d, slot).small_int_value().unwrap_or(0).max(0) as usize
}

fn set_count(vm: &mut Vm, d: Obj, slot: usize, n: usize) {
    vm.set(d, slot, Obj::from_small_int(n as i32).unwrap_or(Obj::NONE));
}

/// Slot of item `k` (< length) in the ring.
fn slot(vm: &Vm, d: Obj, k: usize) -> usize {
    let cap = vm.list_len(vm.get(d, RING));
    (count(vm, d, HEAD) + k) % cap.max(1)
}

/// The items in order (a snapshot, for iteration).
fn items(vm: &Vm, d: Obj) -> alloc::vec::Vec<Obj> {
    let ring = vm.get(d, RING);
    (0..count(vm, d, LEN)).map(|k| vm.list_get(ring, slot(vm, d, k))).collect()
}

/// Makes room for one more item: a ring twice as large (at most `maxlen`
/// slots), the items moved to its start.
fn grow(vm: &mut Vm, d: Obj) -> PyResult<()> {
    let ring = vm.get(d, RING);
    let cap = vm.list_len(ring);
    let new_cap = (cap * 2).max(4).min(count(vm, d, MAXLEN));
    let mut slots = items(vm, d);
    slots.resize(new_cap, Obj::NONE);
    let bigger = vm.new_list(&slots)?;
    vm.set(d, RING, bigger);
    set_count(vm, d, HEAD, 0);
    Ok(())
}

/// The ring's storage (the ring list's item array), its capacity, the head
/// slot and the length, read once per operation.
struct Ring {
    items: Obj,
    cap: usize,
    head: usize,
    len: usize,
}

fn ring(vm: &Vm, d: Obj) -> Ring {
    let list = vm.get(d, RING);
    Ring { items: vm.get(list, 3), cap: vm.list_len(list), head: count(vm, d, HEAD), len: count(vm, d, LEN) }
}

fn push(vm: &mut Vm, d: Obj, v: Obj, left: bool) -> PyResult<()> {
    let mut r = ring(vm, d);
    let max = count(vm, d, MAXLEN);
    if r.len >= max {
        if vm.get(d, CHECK) == Obj::TRUE {
            return Err(vm.new_error(ids::INDEX_ERROR, "full"));
        }
        if max == 0 {
            return Ok(());
        }
        // Full: the item at the other end makes way.
        take_end(vm, d, !left);
        r = ring(vm, d);
    } else if r.len == r.cap {
        vm.with_temps(|vm| {
            vm.root(v);
            grow(vm, d)
        })?;
        r = ring(vm, d);
    }
    let at = if left {
        let head = (r.head + r.cap - 1) % r.cap;
        set_count(vm, d, HEAD, head);
        head
    } else {
        (r.head + r.len) % r.cap
    };
    vm.set(r.items, at, v);
    set_count(vm, d, LEN, r.len + 1);
    Ok(())
}

/// Removes and returns the item at one end (the deque must not be empty).
fn take_end(vm: &mut Vm, d: Obj, left: bool) -> Obj {
    let r = ring(vm, d);
    let at = (r.head + if left { 0 } else { r.len - 1 }) % r.cap.max(1);
    let v = vm.get(r.items, at);
    // The slot no longer keeps its object alive.
    vm.set(r.items, at, Obj::NONE);
    if left {
        set_count(vm, d, HEAD, (at + 1) % r.cap.max(1));
    }
    set_count(vm, d, LEN, r.len - 1);
    v
}

fn self_deque(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&d) if vm.is_exact(d, ids::DEQUE) => Ok(d),
        other => Err(vm.wrong_self("deque", other.copied())),
    }
}

fn deque_append(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    let v = crate::builtins::arg(vm, args, 1)?;
    push(vm, d, v, false)?;
    Ok(Obj::NONE)
}

fn deque_appendleft(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    let v = crate::builtins::arg(vm, args, 1)?;
    push(vm, d, v, true)?;
    Ok(Obj::NONE)
}

fn deque_extend(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    let src = crate::builtins::arg(vm, args, 1)?;
    for v in vm.collect_iterable(src)? {
        push(vm, d, v, false)?;
    }
    Ok(Obj::NONE)
}

fn take(vm: &mut Vm, args: &[Obj], left: bool) -> PyResult<Obj> {
    let d = self_deque(vm, args)?;
    if count(vm, d, LEN) == 0 {
        return Err(vm.new_error(ids::INDEX_ERROR, "empty"));
    }
    Ok(take_end(vm, d, left))
}

fn deque_pop(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    take(vm, args, false)
}

fn deque_popleft(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    take(vm, args, true)
}

fn deque_print(_vm: &mut Vm, _d: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("<deque>");
    Ok(())
}

fn deque_unary(vm: &mut Vm, op: u8, d: Obj) -> PyResult<Option<Obj>> {
    let n = count(vm, d, LEN);
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        _ => None,
    })
}

fn deque_subscr(vm: &mut Vm, d: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value.is_null() {
        return Err(vm.type_error("'deque' object doesn't support item deletion"));
    }
    let n = count(vm, d, LEN);
    let k = vm.seq_index(index, n, "deque")?;
    let ring = vm.get(d, RING);
    let at = slot(vm, d, k);
    if value == Obj::SENTINEL {
        return Ok(vm.list_get(ring, at));
    }
    vm.list_set(ring, at, value);
    Ok(Obj::NONE)
}

fn deque_getiter(vm: &mut Vm, d: Obj) -> PyResult<Obj> {
    let snapshot = items(vm, d);
    let l = vm.new_list(&snapshot)?;
    types::iterators::new_seq_iter(vm, l)
}
