//! Iteration built-ins: `min`, `max`, `sum`, `iter`, `next`, `sorted`, ...

use super::arg;
use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::Vm;

fn kwarg(vm: &Vm, kw: &[Obj], name: &str) -> Option<Obj> {
    kw.chunks(2).find(|p| p.len() == 2 && vm.str_text(p[0]).as_deref() == Some(name)).map(|p| p[1])
}

fn min_max(vm: &mut Vm, args: &[Obj], kw: &[Obj], want_max: bool) -> PyResult<Obj> {
    let items = if args.len() == 1 { vm.collect_iterable(args[0])? } else { args.to_vec() };
    let key = kwarg(vm, kw, "key");
    let mut best: Option<(Obj, Obj)> = None;
    for o in items {
        let k = match key {
            Some(f) if f != Obj::NONE => {
                let k = vm.call(f, &[o], &[])?;
                vm.root(k)
            }
            _ => o,
        };
        best = Some(match best {
            None => (k, o),
            Some((bk, bo)) => {
                let better = if want_max { vm.less_than(bk, k)? } else { vm.less_than(k, bk)? };
                if better {
                    (k, o)
                } else {
                    (bk, bo)
                }
            }
        });
    }
    match best {
        Some((_, o)) => Ok(o),
        None => match kwarg(vm, kw, "default") {
            Some(d) => Ok(d),
            None => Err(vm.value_error("arg is an empty sequence")),
        },
    }
}

pub fn min(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    min_max(vm, args, kw, false)
}

pub fn max(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    min_max(vm, args, kw, true)
}

pub fn sum(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let src = arg(vm, args, 0)?;
    let mut acc = args.get(1).copied().unwrap_or(Obj::from_small_int(0).unwrap_or(Obj::NONE));
    for o in vm.collect_iterable(src)? {
        acc = vm.binary_op(ferropy_bytecode::opcode::binary::ADD, acc, o)?;
        vm.root(acc);
    }
    Ok(acc)
}

pub fn iter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    match args.get(1) {
        Some(&sentinel) => crate::types::iterators::new_call_iter(vm, o, sentinel),
        None => vm.get_iter(o),
    }
}

pub fn next(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let it = arg(vm, args, 0)?;
    if vm.is_exact(it, ids::GENERATOR) && args.len() == 1 {
        return match vm.gen_resume(it, Obj::NONE, None)? {
            crate::types::generator::GenResult::Yield(v) => Ok(v),
            crate::types::generator::GenResult::Return(v) => {
                let a: &[Obj] = if v == Obj::NONE { &[] } else { core::slice::from_ref(&v) };
                Err(PyErr(vm.new_exception(ids::STOP_ITERATION, a)?))
            }
        };
    }
    vm.st.stop_iteration = Obj::NULL;
    let v = vm.iter_next(it)?;
    if v.is_null() {
        let stop = core::mem::replace(&mut vm.st.stop_iteration, Obj::NULL);
        if let Some(&d) = args.get(1) {
            return Ok(d);
        }
        if !stop.is_null() {
            // A user __next__ ended the iteration. Called on that iterator itself, its
            // StopIteration goes on unchanged; through a wrapper (map, zip, ...) only its
            // value survives, as MicroPython's `stop_iteration_arg`.
            if vm.is_user_class(vm.type_of(it)) {
                return Err(PyErr(stop));
            }
            let args = vm.get(stop, 2);
            let value = if vm.is_tuple(args) { vm.tuple_items(args).first().copied() } else { None };
            let e = vm.new_exception(ids::STOP_ITERATION, &[value.unwrap_or(Obj::NONE)])?;
            return Err(PyErr(e));
        }
        let e = vm.new_exception(ids::STOP_ITERATION, &[])?;
        return Err(PyErr(e));
    }
    Ok(v)
}

pub fn sorted(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    if args.len() > 1 {
        let msg = alloc::format!("function expected at most 1 arguments, got {}", args.len());
        return Err(vm.type_error(&msg));
    }
    let src = arg(vm, args, 0)?;
    let items = vm.collect_iterable(src)?;
    let key = kwarg(vm, kw, "key").unwrap_or(Obj::NONE);
    let reverse = match kwarg(vm, kw, "reverse") {
        Some(r) => vm.is_true(r)?,
        None => false,
    };
    let sorted = crate::types::list::sort_items(vm, items, key, reverse)?;
    for &o in &sorted {
        vm.root(o);
    }
    vm.new_list(&sorted)
}

pub fn all(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let src = arg(vm, args, 0)?;
    Ok(Obj::from_bool(!any_with_truth(vm, src, false)?))
}

pub fn any(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let src = arg(vm, args, 0)?;
    Ok(Obj::from_bool(any_with_truth(vm, src, true)?))
}

/// True if an item of iterable `src` has truth `want` (stopping at the
/// first). A list, tuple or bytearray is read in place, with no iterator
/// (as MicroPython's `all`/`any` need no heap), its length re-read at each
/// step (a `__bool__` may change a list).
fn any_with_truth(vm: &mut Vm, src: Obj, want: bool) -> PyResult<bool> {
    if crate::vm::fast::iterates_in_place(&vm.heap.words, src) {
        let mut i = 0;
        while let Some(Some(x)) = crate::vm::fast::in_place_item(&vm.heap.words, src, i) {
            if vm.is_true(x)? == want {
                return Ok(true);
            }
            i += 1;
        }
        return Ok(false);
    }
    let it = vm.get_iter(src)?;
    vm.root(it);
    loop {
        let x = vm.iter_next(it)?;
        if x.is_null() {
            return Ok(false);
        }
        if vm.is_true(x)? == want {
            return Ok(true);
        }
    }
}

pub fn reversed(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let src = arg(vm, args, 0)?;
    if vm.is_user_class(vm.type_of(src)) {
        if let Some(r) = crate::rt::call_dunder(vm, src, "__reversed__", &[])? {
            return Ok(r);
        }
        let q = vm.intern("__iter__")?;
        let t = vm.type_of(src);
        if vm.class_lookup(t, q, 0)?.is_none() {
            // The sequence protocol: __len__ and __getitem__, from the end.
            let n = vm.unary_op(crate::rt::UNARY_LEN, src)?;
            let n = vm.expect_int(n)?;
            let mut items = alloc::vec::Vec::new();
            for i in (0..n).rev() {
                let idx = vm.new_int(i)?;
                let v = vm.subscr(src, idx, Obj::SENTINEL)?;
                vm.root(v);
                items.push(v);
            }
            let l = vm.new_list(&items)?;
            return vm.get_iter(l);
        }
    }
    let mut items = vm.collect_iterable(src)?;
    items.reverse();
    let l = vm.new_list(&items)?;
    vm.get_iter(l)
}
