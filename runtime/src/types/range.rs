//! `range`: `[type, start, stop, step]` and its iterator `[type, cur, stop, step]`.

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;

/// The `range` type.
pub static RANGE_TYPE: TypeDesc = TypeDesc {
    make_new: Some(range_make_new),
    print: Some(range_print),
    unary_op: Some(range_unary),
    subscr: Some(range_subscr),
    getiter: Some(range_getiter),
    attr: Some(range_attr),
    ..TypeDesc::new("range", ids::OBJECT)
};

/// `start`, `stop` and `step`.
fn range_attr(vm: &mut Vm, r: Obj, name: crate::qstr::Qstr) -> PyResult<Option<Obj>> {
    let slot = match vm.qstr_text(name).as_str() {
        "start" => 1,
        "stop" => 2,
        "step" => 3,
        _ => return Ok(None),
    };
    Ok(Some(vm.get(r, slot)))
}

/// The range iterator type.
pub static RANGE_ITERATOR_TYPE: TypeDesc =
    TypeDesc { getiter: Some(rt::self_iter), iternext: Some(range_next), ..TypeDesc::new("iterator", ids::OBJECT) };

fn fields(vm: &Vm, r: Obj) -> (i64, i64, i64) {
    let f = |i| vm.int_value(vm.get(r, i)).unwrap_or(0);
    (f(1), f(2), f(3))
}

fn range_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("function doesn't take keyword arguments"));
    }
    let mut v = [0i64, 0, 1];
    match args.len() {
        1 => v[1] = vm.expect_int(args[0])?,
        2 | 3 => {
            for (i, &a) in args.iter().enumerate() {
                v[i] = vm.expect_int(a)?;
            }
        }
        _ => return Err(vm.type_error("range expected 1 to 3 arguments")),
    }
    if v[2] == 0 {
        return Err(vm.value_error("zero step"));
    }
    let r = vm.alloc(4)?;
    vm.set(r, 0, super::type_obj(ids::RANGE));
    for (i, &x) in v.iter().enumerate() {
        let o = vm.new_int(x)?;
        vm.set(r, 1 + i, o);
    }
    Ok(r)
}

/// Number of items (computed in 128 bits: the bounds may be near the limits of i64).
fn len_of(start: i64, stop: i64, step: i64) -> i64 {
    let (start, stop, step) = (i128::from(start), i128::from(stop), i128::from(step));
    let n = if step > 0 { (stop - start + step - 1) / step } else { (start - stop - step - 1) / -step };
    i64::try_from(n.max(0)).unwrap_or(i64::MAX)
}

fn range_print(vm: &mut Vm, r: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let (a, b, s) = fields(vm, r);
    if s == 1 {
        out.push_str(&alloc::format!("range({a}, {b})"));
    } else {
        out.push_str(&alloc::format!("range({a}, {b}, {s})"));
    }
    Ok(())
}

fn range_unary(vm: &mut Vm, op: u8, r: Obj) -> PyResult<Option<Obj>> {
    let (a, b, s) = fields(vm, r);
    let n = len_of(a, b, s);
    Ok(match op {
        rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        rt::UNARY_LEN => Some(vm.new_int(n)?),
        _ => None,
    })
}

fn range_subscr(vm: &mut Vm, r: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value != Obj::SENTINEL {
        return Err(vm.type_error("'range' object doesn't support item assignment"));
    }
    let (a, b, s) = fields(vm, r);
    let n = len_of(a, b, s) as usize;
    if let Some((start, stop, step)) = vm.slice_indices(index, n)? {
        // A slice of a range is a range (computed wide, kept within i64).
        let at = |i: i64| {
            let v = i128::from(a) + i128::from(i) * i128::from(s);
            v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
        };
        let step = (i128::from(step) * i128::from(s)).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        let o = vm.alloc(4)?;
        vm.set(o, 0, super::type_obj(ids::RANGE));
        vm.root(o);
        for (slot, v) in [(1, at(start)), (2, at(stop)), (3, step)] {
            let x = vm.new_int(v)?;
            vm.set(o, slot, x);
        }
        return Ok(o);
    }
    let i = vm.seq_index(index, n, "range")?;
    // In range by construction (the index is below the length).
    vm.new_int(a.wrapping_add(s.wrapping_mul(i as i64)))
}

fn range_getiter(vm: &mut Vm, r: Obj) -> PyResult<Obj> {
    let it = vm.alloc(4)?;
    vm.set(it, 0, super::type_obj(ids::RANGE_ITERATOR));
    for i in 1..4 {
        let v = vm.get(r, i);
        vm.set(it, i, v);
    }
    Ok(it)
}

fn range_next(vm: &mut Vm, it: Obj) -> PyResult<Obj> {
    let (cur, stop, step) = fields(vm, it);
    if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
        // Past the stop the iterator is exhausted: saturate rather than overflow.
        let next = vm.new_int(cur.saturating_add(step))?;
        vm.set(it, 1, next);
        vm.new_int(cur)
    } else {
        Ok(Obj::NULL)
    }
}
