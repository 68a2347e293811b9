//! `set` and `frozenset`. A set has the dict layout (`[type, used, alloc,
//! table]`, see [`super::dict`]) and reuses the dict's hash table code: each
//! element is a key whose value word is unused. Iteration order and growth are
//! therefore MicroPython's (its set table uses the same probing and sizes).

use alloc::string::String;
use alloc::vec::Vec;

use super::dict::{new_dict, new_dict_iter};
use super::ids;
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;
use ferropy_bytecode::opcode::binary as bop;

/// The `set` type.
pub static SET_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(set_make_new),
    print: Some(set_print),
    unary_op: Some(set_unary),
    binary_op: Some(set_binary),
    getiter: Some(set_getiter),
    methods: &SET_METHODS,
    ..TypeDesc::new("set", ids::OBJECT)
};

/// The `frozenset` type.
pub static FROZENSET_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(set_make_new),
    print: Some(set_print),
    unary_op: Some(set_unary),
    binary_op: Some(set_binary),
    getiter: Some(set_getiter),
    methods: &FROZENSET_METHODS,
    ..TypeDesc::new("frozenset", ids::OBJECT)
};

static SET_METHODS: [Method; 18] = [
    Method::new("__contains__", set_contains_m),
    Method::new("add", set_add),
    Method::new("clear", set_clear),
    Method::new("copy", set_copy_m),
    Method::new("discard", set_discard),
    Method::new("difference", set_difference),
    Method::new("difference_update", set_difference_update),
    Method::new("intersection", set_intersection),
    Method::new("intersection_update", set_intersection_update),
    Method::new("isdisjoint", set_isdisjoint),
    Method::new("issubset", set_issubset),
    Method::new("issuperset", set_issuperset),
    Method::new("pop", set_pop),
    Method::new("remove", set_remove),
    Method::new("symmetric_difference", set_symmetric_difference),
    Method::new("symmetric_difference_update", set_symmetric_difference_update),
    Method::new("union", set_union),
    Method::new("update", set_update),
];

static FROZENSET_METHODS: [Method; 9] = [
    Method::new("__contains__", set_contains_m),
    Method::new("copy", set_copy_m),
    Method::new("difference", set_difference),
    Method::new("intersection", set_intersection),
    Method::new("isdisjoint", set_isdisjoint),
    Method::new("issubset", set_issubset),
    Method::new("issuperset", set_issuperset),
    Method::new("symmetric_difference", set_symmetric_difference),
    Method::new("union", set_union),
];

impl Vm {
    /// True for set and frozenset objects (and instances of their subclasses'
    /// native part).
    pub fn is_set_or_frozenset(&self, o: Obj) -> bool {
        o.is_heap_ref() && {
            let t = self.get(o, 0);
            t == super::type_obj(ids::SET) || t == super::type_obj(ids::FROZENSET)
        }
    }

    /// A new empty set (`type_id` SET or FROZENSET) with room for `n` items.
    pub fn new_set(&mut self, type_id: u32, n: usize) -> PyResult<Obj> {
        let s = new_dict(self, n)?;
        self.set(s, 0, super::type_obj(type_id));
        Ok(s)
    }

    /// Adds `item` to set `s`.
    pub fn set_store(&mut self, s: Obj, item: Obj) -> PyResult<()> {
        self.dict_store(s, item, Obj::NONE)
    }

    /// True if `item` is in set `s`.
    pub fn set_contains(&mut self, s: Obj, item: Obj) -> PyResult<bool> {
        Ok(self.dict_get(s, item)?.is_some())
    }

    /// The items of a set in table order.
    pub fn set_items(&self, s: Obj) -> Vec<Obj> {
        self.dict_entries(s).into_iter().map(|(k, _)| k).collect()
    }
}

fn is_frozen(vm: &Vm, s: Obj) -> bool {
    vm.get(s, 0) == super::type_obj(ids::FROZENSET)
}

fn type_id_of(vm: &Vm, s: Obj) -> u32 {
    if is_frozen(vm, s) {
        ids::FROZENSET
    } else {
        ids::SET
    }
}

fn self_set(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&s) if vm.is_set_or_frozenset(s) => Ok(s),
        other => Err(vm.wrong_self("set", other.copied())),
    }
}

fn arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<Obj> {
    match args.get(i) {
        Some(&o) => Ok(o),
        None => Err(vm.type_error("function takes 2 positional arguments but 1 were given")),
    }
}

/// A copy of `s` with type `type_id`, rooted.
fn copy_as(vm: &mut Vm, s: Obj, type_id: u32) -> PyResult<Obj> {
    let n = vm.get_usize(s, 2);
    let out = vm.new_set(type_id, n)?;
    vm.root(out);
    for item in vm.set_items(s) {
        vm.set_store(out, item)?;
    }
    Ok(out)
}

/// A new set (rooted) holding the items of any iterable.
fn set_from_iterable(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    if vm.is_set_or_frozenset(o) {
        return copy_as(vm, o, ids::SET);
    }
    let items = vm.collect_iterable(o)?;
    let out = vm.new_set(ids::SET, 0)?;
    vm.root(out);
    for item in items {
        vm.set_store(out, item)?;
    }
    Ok(out)
}

fn set_print(vm: &mut Vm, s: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let frozen = is_frozen(vm, s);
    let items = vm.set_items(s);
    if items.is_empty() {
        out.push_str(if frozen { "frozenset()" } else { "set()" });
        return Ok(());
    }
    if frozen {
        out.push_str("frozenset(");
    }
    out.push('{');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        vm.print_obj(item, out, true)?;
    }
    out.push('}');
    if frozen {
        out.push(')');
    }
    Ok(())
}

fn set_make_new(vm: &mut Vm, t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let type_id = if t == super::type_obj(ids::FROZENSET) { ids::FROZENSET } else { ids::SET };
    if !kw.is_empty() {
        return Err(vm.type_error("function doesn't take keyword arguments"));
    }
    match args {
        [] => vm.new_set(type_id, 0),
        [src] => {
            let items = vm.collect_iterable(*src)?;
            let out = vm.new_set(type_id, 0)?;
            vm.root(out);
            for item in items {
                vm.set_store(out, item)?;
            }
            Ok(out)
        }
        _ => {
            let msg = alloc::format!("function expected at most 1 arguments, got {}", args.len());
            Err(vm.type_error(&msg))
        }
    }
}

fn set_unary(vm: &mut Vm, op: u8, s: Obj) -> PyResult<Option<Obj>> {
    let n = vm.dict_len(s);
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        rt::UNARY_HASH if is_frozen(vm, s) => {
            let mut h: i64 = i64::from(ids::FROZENSET) << 8;
            for item in vm.set_items(s) {
                h = h.wrapping_add(vm.hash(item)?);
            }
            Some(vm.new_int(h & 0x3fff_ffff)?)
        }
        _ => None,
    })
}

fn is_subset(vm: &mut Vm, a: Obj, b: Obj) -> PyResult<bool> {
    if vm.dict_len(a) > vm.dict_len(b) {
        return Ok(false);
    }
    for item in vm.set_items(a) {
        if !vm.set_contains(b, item)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn set_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    if op == bop::IN {
        return Ok(Some(Obj::from_bool(vm.set_contains(a, b)?)));
    }
    if !vm.is_set_or_frozenset(b) {
        return Ok(None);
    }
    let update = !is_frozen(vm, a);
    Ok(Some(match op {
        bop::OR => union(vm, a, b)?,
        bop::XOR => sym_diff(vm, a, b)?,
        bop::AND => intersect(vm, a, b, false)?,
        bop::SUBTRACT => diff(vm, a, &[b], false)?,
        bop::INPLACE_OR if update => {
            update_with(vm, a, b)?;
            a
        }
        bop::INPLACE_OR => union(vm, a, b)?,
        bop::INPLACE_XOR if update => {
            sym_diff_update(vm, a, b)?;
            a
        }
        bop::INPLACE_XOR => sym_diff(vm, a, b)?,
        bop::INPLACE_AND => intersect(vm, a, b, update)?,
        bop::INPLACE_SUBTRACT => diff(vm, a, &[b], update)?,
        bop::LESS => Obj::from_bool(vm.dict_len(a) < vm.dict_len(b) && is_subset(vm, a, b)?),
        bop::MORE => Obj::from_bool(vm.dict_len(a) > vm.dict_len(b) && is_subset(vm, b, a)?),
        bop::LESS_EQUAL => Obj::from_bool(is_subset(vm, a, b)?),
        bop::MORE_EQUAL => Obj::from_bool(is_subset(vm, b, a)?),
        bop::EQUAL => Obj::from_bool(vm.dict_len(a) == vm.dict_len(b) && is_subset(vm, a, b)?),
        _ => return Ok(None),
    }))
}

fn union(vm: &mut Vm, a: Obj, b: Obj) -> PyResult<Obj> {
    let t = type_id_of(vm, a);
    let out = copy_as(vm, a, t)?;
    update_with(vm, out, b)?;
    Ok(out)
}

fn update_with(vm: &mut Vm, s: Obj, other: Obj) -> PyResult<()> {
    let items = if vm.is_set_or_frozenset(other) { vm.set_items(other) } else { vm.collect_iterable(other)? };
    for item in items {
        vm.set_store(s, item)?;
    }
    Ok(())
}

fn intersect(vm: &mut Vm, s: Obj, other: Obj, update: bool) -> PyResult<Obj> {
    if s == other {
        return if update { Ok(s) } else { copy_as(vm, s, ids::SET) };
    }
    let items = vm.collect_iterable(other)?;
    let out = vm.new_set(ids::SET, 0)?;
    vm.root(out);
    for item in items {
        if vm.set_contains(s, item)? {
            vm.set_store(out, item)?;
        }
    }
    if update {
        // Move the new table into `s`.
        for i in 1..4 {
            let w = vm.get(out, i);
            vm.set(s, i, w);
        }
        return Ok(s);
    }
    Ok(out)
}

fn diff(vm: &mut Vm, s: Obj, others: &[Obj], update: bool) -> PyResult<Obj> {
    let out = if update {
        s
    } else {
        let t = type_id_of(vm, s);
        copy_as(vm, s, t)?
    };
    for &other in others {
        if other == out {
            crate::types::dict::clear_table(vm, out);
            continue;
        }
        for item in vm.collect_iterable(other)? {
            vm.dict_remove(out, item)?;
        }
    }
    Ok(out)
}

fn sym_diff_update(vm: &mut Vm, s: Obj, other: Obj) -> PyResult<()> {
    let items = vm.collect_iterable(other)?;
    let seen = vm.new_set(ids::SET, 0)?;
    vm.root(seen);
    for item in items {
        if vm.set_contains(seen, item)? {
            continue;
        }
        vm.set_store(seen, item)?;
        if vm.dict_remove(s, item)?.is_none() {
            vm.set_store(s, item)?;
        }
    }
    Ok(())
}

fn sym_diff(vm: &mut Vm, s: Obj, other: Obj) -> PyResult<Obj> {
    let t = type_id_of(vm, s);
    let out = copy_as(vm, s, t)?;
    sym_diff_update(vm, out, other)?;
    Ok(out)
}

fn set_getiter(vm: &mut Vm, s: Obj) -> PyResult<Obj> {
    new_dict_iter(vm, s, 0)
}

fn set_add(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let item = arg(vm, args, 1)?;
    vm.set_store(s, item)?;
    Ok(Obj::NONE)
}

fn set_clear(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    crate::types::dict::clear_table(vm, s);
    Ok(Obj::NONE)
}

fn set_copy_m(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let t = type_id_of(vm, s);
    copy_as(vm, s, t)
}

/// `s.__contains__(x)`: `x in s` as a method.
fn set_contains_m(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let item = arg(vm, args, 1)?;
    Ok(Obj::from_bool(vm.set_contains(s, item)?))
}

fn set_discard(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let item = arg(vm, args, 1)?;
    vm.dict_remove(s, item)?;
    Ok(Obj::NONE)
}

fn set_remove(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let item = arg(vm, args, 1)?;
    match vm.dict_remove(s, item)? {
        Some(_) => Ok(Obj::NONE),
        None => Err(crate::types::dict::key_error(vm, item)),
    }
}

fn set_pop(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    match vm.set_items(s).first().copied() {
        Some(item) => {
            vm.dict_remove(s, item)?;
            Ok(item)
        }
        None => Err(vm.new_error(ids::KEY_ERROR, "pop from an empty set")),
    }
}

fn set_difference(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    diff(vm, s, &args[1..], false)
}

fn set_difference_update(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    diff(vm, s, &args[1..], true)?;
    Ok(Obj::NONE)
}

fn set_intersection(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    intersect(vm, s, other, false)
}

fn set_intersection_update(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    intersect(vm, s, other, true)?;
    Ok(Obj::NONE)
}

fn set_isdisjoint(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    for item in vm.collect_iterable(other)? {
        if vm.set_contains(s, item)? {
            return Ok(Obj::FALSE);
        }
    }
    Ok(Obj::TRUE)
}

fn as_set(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    if vm.is_set_or_frozenset(o) {
        Ok(o)
    } else {
        set_from_iterable(vm, o)
    }
}

fn set_issubset(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    let other = as_set(vm, other)?;
    Ok(Obj::from_bool(is_subset(vm, s, other)?))
}

fn set_issuperset(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    let other = as_set(vm, other)?;
    Ok(Obj::from_bool(is_subset(vm, other, s)?))
}

fn set_symmetric_difference(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    sym_diff(vm, s, other)
}

fn set_symmetric_difference_update(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    sym_diff_update(vm, s, other)?;
    Ok(Obj::NONE)
}

fn set_union(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    let other = arg(vm, args, 1)?;
    union(vm, s, other)
}

fn set_update(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_set(vm, args)?;
    for &other in &args[1..] {
        update_with(vm, s, other)?;
    }
    Ok(Obj::NONE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::stress_test_vm as vm;

    #[test]
    fn store_contains_remove_under_gc_stress() {
        let mut vm = vm();
        let s = vm.new_set(ids::SET, 0).expect("set");
        vm.st.temps.push(s);
        for i in 0..50 {
            let k = vm.new_str(&alloc::format!("k{i}")).expect("str");
            vm.st.temps.push(k);
            vm.set_store(s, k).expect("store");
            vm.set_store(s, k).expect("store twice");
        }
        assert_eq!(vm.dict_len(s), 50);
        let k = vm.new_str("k7").expect("str");
        vm.st.temps.push(k);
        assert!(vm.set_contains(s, k).expect("contains"));
        assert!(vm.dict_remove(s, k).expect("remove").is_some());
        assert!(!vm.set_contains(s, k).expect("contains"));
        assert_eq!(vm.set_items(s).len(), 49);
    }

    #[test]
    fn frozenset_hash_ignores_order_and_repr_matches_micropython() {
        let mut vm = vm();
        let a = vm.new_set(ids::FROZENSET, 0).expect("set");
        vm.st.temps.push(a);
        let b = vm.new_set(ids::FROZENSET, 0).expect("set");
        vm.st.temps.push(b);
        for i in [1, 2, 3] {
            vm.set_store(a, Obj::from_small_int(i).expect("int")).expect("store");
        }
        for i in [3, 2, 1] {
            vm.set_store(b, Obj::from_small_int(i).expect("int")).expect("store");
        }
        assert_eq!(vm.hash(a).expect("hash"), vm.hash(b).expect("hash"));
        assert_eq!(vm.to_repr(a).expect("repr"), "frozenset({1, 2, 3})");
        let e = vm.new_set(ids::SET, 0).expect("set");
        assert_eq!(vm.to_repr(e).expect("repr"), "set()");
        assert!(vm.hash(e).is_err());
    }
}
