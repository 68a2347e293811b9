//! Small iterator types: sequence iterators (`[type, seq, index]`),
//! `enumerate` (`[type, iter, count]`), `zip` (`[type, iters tuple]`) and
//! `map` (`[type, function, iters tuple]`).

use alloc::vec::Vec;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;

/// Iterator over str, tuple, list (and `__getitem__` objects).
pub static SEQ_ITERATOR_TYPE: TypeDesc =
    TypeDesc { getiter: Some(rt::self_iter), iternext: Some(seq_next), ..TypeDesc::new("iterator", ids::OBJECT) };

/// `enumerate`.
pub static ENUMERATE_TYPE: TypeDesc = TypeDesc {
    make_new: Some(enumerate_make_new),
    getiter: Some(rt::self_iter),
    iternext: Some(enumerate_next),
    ..TypeDesc::new("enumerate", ids::OBJECT)
};

/// `zip`.
pub static ZIP_TYPE: TypeDesc = TypeDesc {
    make_new: Some(zip_make_new),
    getiter: Some(rt::self_iter),
    iternext: Some(zip_next),
    ..TypeDesc::new("zip", ids::OBJECT)
};

/// `map`.
pub static MAP_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(map_make_new),
    getiter: Some(rt::self_iter),
    iternext: Some(map_next),
    ..TypeDesc::new("map", ids::OBJECT)
};

/// `iter(callable, sentinel)`: `[type, callable, sentinel]`.
pub static CALL_ITERATOR_TYPE: TypeDesc =
    TypeDesc { getiter: Some(rt::self_iter), iternext: Some(call_iter_next), ..TypeDesc::new("iterator", ids::OBJECT) };

/// A new iterator over a sequence.
pub fn new_seq_iter(vm: &mut Vm, seq: Obj) -> PyResult<Obj> {
    let it = vm.alloc(3)?;
    vm.set(it, 0, super::type_obj(ids::SEQ_ITERATOR));
    vm.set(it, 1, seq);
    Ok(it)
}

fn seq_next(vm: &mut Vm, it: Obj) -> PyResult<Obj> {
    let seq = vm.get(it, 1);
    let i = vm.get_usize(it, 2);
    vm.set_u32(it, 2, i as u32 + 1);
    match seq_step(vm, seq, i)? {
        Some((v, next)) => {
            vm.set_u32(it, 2, next as u32);
            Ok(v)
        }
        None => Ok(Obj::NULL),
    }
}

/// The item of sequence `seq` at position `pos` and the position after it,
/// `None` past the end: for a str the position is a byte offset and each
/// step reads one character; otherwise it is an index (`seq[pos]`, an
/// IndexError or StopIteration ends the sequence). Sequence iterators and
/// `for` loops over sequences iterated in place (`Vm::step_in_place`) step
/// with it.
pub(crate) fn seq_step(vm: &mut Vm, seq: Obj, pos: usize) -> PyResult<Option<(Obj, usize)>> {
    let next = pos + 1;
    if vm.is_list(seq) {
        let v = vm.list_get(seq, pos);
        return Ok((!v.is_null()).then_some((v, next)));
    }
    if vm.is_tuple(seq) {
        return Ok((pos < vm.get_usize(seq, 1)).then(|| (vm.get(seq, 2 + pos), next)));
    }
    if vm.is_str(seq) {
        return match vm.str_char_from(seq, pos) {
            Some((c, after)) => {
                let mut buf = [0u8; 4];
                Ok(Some((vm.new_str(c.encode_utf8(&mut buf))?, after)))
            }
            None => Ok(None),
        };
    }
    if vm.is_exact(seq, ids::BYTES) {
        return Ok((pos < vm.str_byte_len(seq))
            .then(|| (Obj::from_small_int(i32::from(vm.buffer_byte(seq, pos))).unwrap_or(Obj::NONE), next)));
    }
    // An array's end is its length (not an IndexError, which needs the heap).
    if vm.is_exact(seq, ids::ARRAY) && pos >= vm.get_usize(seq, 2) {
        return Ok(None);
    }
    let idx = vm.new_int(pos as i64)?;
    match vm.subscr(seq, idx, Obj::SENTINEL) {
        Ok(v) => Ok(Some((v, next))),
        Err(e) if vm.exception_matches(e.0, ids::INDEX_ERROR) || vm.exception_matches(e.0, ids::STOP_ITERATION) => {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn enumerate_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let mut src = args.first().copied();
    let mut start = args.get(1).copied();
    for pair in kw.chunks(2) {
        let [k, v] = pair else { continue };
        match vm.str_text(*k).as_deref() {
            Some("start") => start = Some(*v),
            Some("iterable") => src = Some(*v),
            _ => return Err(vm.type_error("unexpected keyword argument")),
        }
    }
    let Some(src) = src else { return Err(vm.type_error("enumerate() missing required argument 'iterable'")) };
    let inner = vm.get_iter(src)?;
    vm.root(inner);
    let e = vm.alloc(3)?;
    vm.set(e, 0, super::type_obj(ids::ENUMERATE));
    vm.set(e, 1, inner);
    vm.set(e, 2, start.unwrap_or(Obj::from_small_int(0).unwrap_or(Obj::NONE)));
    Ok(e)
}

fn enumerate_next(vm: &mut Vm, e: Obj) -> PyResult<Obj> {
    let inner = vm.get(e, 1);
    let v = vm.iter_next(inner)?;
    if v.is_null() {
        return Ok(Obj::NULL);
    }
    vm.root(v);
    let n = vm.get(e, 2);
    let one = Obj::from_small_int(1).unwrap_or(Obj::NONE);
    let next = vm.binary_op(ferropy_bytecode::opcode::binary::ADD, n, one)?;
    vm.set(e, 2, next);
    vm.new_tuple(&[n, v])
}

fn iters_of(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let mut iters = Vec::new();
    for &a in args {
        let it = vm.get_iter(a)?;
        vm.root(it);
        iters.push(it);
    }
    vm.new_tuple(&iters)
}

fn zip_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let iters = iters_of(vm, args)?;
    vm.root(iters);
    let z = vm.alloc(2)?;
    vm.set(z, 0, super::type_obj(ids::ZIP));
    vm.set(z, 1, iters);
    Ok(z)
}

fn next_all(vm: &mut Vm, iters: Obj) -> PyResult<Option<Vec<Obj>>> {
    let mut items = Vec::new();
    for it in vm.tuple_items(iters) {
        let v = vm.iter_next(it)?;
        if v.is_null() {
            return Ok(None);
        }
        vm.root(v);
        items.push(v);
    }
    Ok(Some(items))
}

fn zip_next(vm: &mut Vm, z: Obj) -> PyResult<Obj> {
    let iters = vm.get(z, 1);
    if vm.get_usize(iters, 1) == 0 {
        return Ok(Obj::NULL);
    }
    match next_all(vm, iters)? {
        Some(items) => vm.new_tuple(&items),
        None => Ok(Obj::NULL),
    }
}

fn map_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let Some((&f, rest)) = args.split_first() else { return Err(vm.type_error("map expects a function")) };
    let iters = iters_of(vm, rest)?;
    vm.root(iters);
    let m = vm.alloc(3)?;
    vm.set(m, 0, super::type_obj(ids::MAP));
    vm.set(m, 1, f);
    vm.set(m, 2, iters);
    Ok(m)
}

fn map_next(vm: &mut Vm, m: Obj) -> PyResult<Obj> {
    let f = vm.get(m, 1);
    let iters = vm.get(m, 2);
    match next_all(vm, iters)? {
        Some(items) => vm.call(f, &items, &[]),
        None => Ok(Obj::NULL),
    }
}

/// `iter(callable, sentinel)`.
pub fn new_call_iter(vm: &mut Vm, f: Obj, sentinel: Obj) -> PyResult<Obj> {
    let it = vm.alloc(3)?;
    vm.set(it, 0, super::type_obj(ids::CALL_ITERATOR));
    vm.set(it, 1, f);
    vm.set(it, 2, sentinel);
    Ok(it)
}

fn call_iter_next(vm: &mut Vm, it: Obj) -> PyResult<Obj> {
    let f = vm.get(it, 1);
    let v = vm.call(f, &[], &[])?;
    if vm.equal(v, vm.get(it, 2))? {
        return Ok(Obj::NULL);
    }
    Ok(v)
}
