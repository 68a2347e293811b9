//! `tuple`: `[type, length, items...]`.

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The `tuple` type.
pub static TUPLE_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(tuple_make_new),
    print: Some(tuple_print),
    unary_op: Some(tuple_unary),
    binary_op: Some(tuple_binary),
    subscr: Some(tuple_subscr),
    getiter: Some(tuple_getiter),
    methods: &[Method::new("index", tuple_index), Method::new("count", tuple_count)],
    ..TypeDesc::new("tuple", ids::OBJECT)
};

impl Vm {
    /// A new tuple of `items`.
    pub fn new_tuple(&mut self, items: &[Obj]) -> PyResult<Obj> {
        if items.is_empty() && !self.st.empty_tuple.is_null() {
            return Ok(self.st.empty_tuple);
        }
        let t = self.alloc(2 + items.len())?;
        self.set(t, 0, super::type_obj(ids::TUPLE));
        self.set_u32(t, 1, items.len() as u32);
        for (i, &o) in items.iter().enumerate() {
            self.set(t, 2 + i, o);
        }
        Ok(t)
    }

    /// True if `o` is a tuple (an attrtuple is one too).
    pub fn is_tuple(&self, o: Obj) -> bool {
        o.is_heap_ref() && {
            let t = self.get(o, 0);
            t == super::type_obj(ids::TUPLE) || t == super::type_obj(ids::ATTRTUPLE)
        }
    }

    /// The items of a tuple (empty for other objects).
    pub fn tuple_items(&self, t: Obj) -> Vec<Obj> {
        if !self.is_tuple(t) {
            return Vec::new();
        }
        let n = self.get_usize(t, 1);
        (0..n).map(|i| self.get(t, 2 + i)).collect()
    }
}

/// Appends `(a, b, ...)` for a sequence of items.
pub fn print_seq(vm: &mut Vm, items: &[Obj], open: &str, close: &str, out: &mut String) -> PyResult<()> {
    out.push_str(open);
    for (i, &o) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        vm.print_obj(o, out, true)?;
    }
    out.push_str(close);
    Ok(())
}

fn tuple_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let items = vm.tuple_items(o);
    if items.len() == 1 {
        print_seq(vm, &items, "(", ",)", out)
    } else {
        print_seq(vm, &items, "(", ")", out)
    }
}

fn tuple_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        None => vm.new_tuple(&[]),
        Some(&o) if vm.is_tuple(o) => Ok(o),
        Some(&o) => {
            let items = vm.collect_iterable(o)?;
            vm.new_tuple(&items)
        }
    }
}

pub(crate) fn tuple_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    // Length and truth without copying the items.
    let n = if vm.is_tuple(o) { vm.get_usize(o, 1) } else { 0 };
    match op {
        rt::UNARY_BOOL => Ok(Some(Obj::from_bool(n != 0))),
        rt::UNARY_LEN => Ok(Some(vm.new_int(n as i64)?)),
        _ => {
            let items = vm.tuple_items(o);
            seq_unary(vm, op, &items)
        }
    }
}

/// Unary ops shared by sequences: bool, len, hash.
pub fn seq_unary(vm: &mut Vm, op: u8, items: &[Obj]) -> PyResult<Option<Obj>> {
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(!items.is_empty())),
        rt::UNARY_LEN => Some(vm.new_int(items.len() as i64)?),
        rt::UNARY_HASH => {
            let mut h: i64 = items.len() as i64;
            for &o in items {
                h = h.wrapping_mul(31).wrapping_add(vm.hash(o)?);
            }
            Some(vm.new_int(h & 0x3fff_ffff)?)
        }
        _ => None,
    })
}

/// Comparison, concatenation, repetition and containment shared by tuple and list.
pub fn seq_binary(vm: &mut Vm, op: u8, a: &[Obj], b: Option<&[Obj]>, rhs: Obj) -> PyResult<Option<SeqResult>> {
    if op == bop::IN {
        for &x in a {
            if vm.equal(x, rhs)? {
                return Ok(Some(SeqResult::Obj(Obj::TRUE)));
            }
        }
        return Ok(Some(SeqResult::Obj(Obj::FALSE)));
    }
    if op == bop::MULTIPLY || op == bop::INPLACE_MULTIPLY {
        let Some(n) = vm.int_value(rhs) else { return Ok(None) };
        let n = usize::try_from(n.max(0)).unwrap_or(0);
        if a.len().saturating_mul(n) > (1 << 24) {
            return Err(vm.memory_error_of(a.len().saturating_mul(n).saturating_mul(4)));
        }
        let mut v = Vec::with_capacity(a.len() * n);
        for _ in 0..n {
            v.extend_from_slice(a);
        }
        return Ok(Some(SeqResult::Items(v)));
    }
    let Some(b) = b else {
        return Ok(match op {
            bop::EQUAL => Some(SeqResult::Obj(Obj::FALSE)),
            bop::NOT_EQUAL => Some(SeqResult::Obj(Obj::TRUE)),
            _ => None,
        });
    };
    match op {
        bop::ADD | bop::INPLACE_ADD => {
            let mut v = a.to_vec();
            v.extend_from_slice(b);
            Ok(Some(SeqResult::Items(v)))
        }
        bop::EQUAL | bop::NOT_EQUAL => {
            let mut eq = a.len() == b.len();
            if eq {
                for (&x, &y) in a.iter().zip(b) {
                    if !vm.equal(x, y)? {
                        eq = false;
                        break;
                    }
                }
            }
            Ok(Some(SeqResult::Obj(Obj::from_bool(eq == (op == bop::EQUAL)))))
        }
        bop::LESS | bop::MORE | bop::LESS_EQUAL | bop::MORE_EQUAL => {
            for (&x, &y) in a.iter().zip(b) {
                if !vm.equal(x, y)? {
                    let r = vm.binary_op(op, x, y)?;
                    return Ok(Some(SeqResult::Obj(r)));
                }
            }
            let r = match op {
                bop::LESS => a.len() < b.len(),
                bop::MORE => a.len() > b.len(),
                bop::LESS_EQUAL => a.len() <= b.len(),
                _ => a.len() >= b.len(),
            };
            Ok(Some(SeqResult::Obj(Obj::from_bool(r))))
        }
        _ => Ok(None),
    }
}

/// What a sequence operator produced: an object, or items for a new sequence.
pub enum SeqResult {
    /// A finished result.
    Obj(Obj),
    /// Items of a new sequence of the left operand's type.
    Items(Vec<Obj>),
}

pub(crate) fn tuple_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    let x = vm.tuple_items(a);
    let y = if vm.is_tuple(b) { Some(vm.tuple_items(b)) } else { None };
    Ok(match seq_binary(vm, op, &x, y.as_deref(), b)? {
        Some(SeqResult::Obj(o)) => Some(o),
        Some(SeqResult::Items(v)) => Some(vm.new_tuple(&v)?),
        None => None,
    })
}

pub(crate) fn tuple_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value != Obj::SENTINEL {
        return Err(vm.type_error("'tuple' object doesn't support item assignment"));
    }
    if let Some(i) = super::slice::small_index(index, vm.get_usize(o, 1)) {
        // Item access without copying the items.
        return Ok(vm.get(o, 2 + i));
    }
    let items = vm.tuple_items(o);
    if let Some((start, stop, step)) = vm.slice_indices(index, items.len())? {
        if step != 1 {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported"));
        }
        let picked = super::slice::pick(&items, start, stop, step);
        return vm.new_tuple(&picked);
    }
    let i = vm.seq_index(index, items.len(), "tuple")?;
    Ok(items.get(i).copied().unwrap_or(Obj::NONE))
}

pub(crate) fn tuple_getiter(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    super::iterators::new_seq_iter(vm, o)
}

/// `seq.index(x)` over items.
pub fn index_of(vm: &mut Vm, items: &[Obj], x: Obj) -> PyResult<Obj> {
    index_between(vm, items, &[x])
}

/// `seq.index(x[, start[, stop]])` over items: `args` is `[x, start, stop]`
/// (the bounds optional, negative ones counted from the end).
pub fn index_between(vm: &mut Vm, items: &[Obj], args: &[Obj]) -> PyResult<Obj> {
    let len = items.len() as i64;
    let bound = |vm: &mut Vm, i: usize, default: i64| -> PyResult<usize> {
        let Some(&o) = args.get(i) else { return Ok(default as usize) };
        let mut v = vm.expect_int(o)?;
        if v < 0 {
            v += len;
        }
        Ok(v.clamp(0, len) as usize)
    };
    let start = bound(vm, 1, 0)?;
    let stop = bound(vm, 2, len)?;
    let x = args.first().copied().unwrap_or(Obj::NONE);
    for (i, &o) in items.iter().enumerate().take(stop).skip(start) {
        if vm.equal(o, x)? {
            return vm.new_int(i as i64);
        }
    }
    Err(vm.value_error("object not in sequence"))
}

/// `seq.count(x)` over items.
pub fn count_of(vm: &mut Vm, items: &[Obj], x: Obj) -> PyResult<Obj> {
    let mut n = 0;
    for &o in items {
        if vm.equal(o, x)? {
            n += 1;
        }
    }
    vm.new_int(n)
}

fn tuple_index(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let items = vm.tuple_items(args.first().copied().unwrap_or(Obj::NONE));
    index_between(vm, &items, args.get(1..).unwrap_or(&[]))
}

fn tuple_count(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let items = vm.tuple_items(args.first().copied().unwrap_or(Obj::NONE));
    count_of(vm, &items, args.get(1).copied().unwrap_or(Obj::NONE))
}
