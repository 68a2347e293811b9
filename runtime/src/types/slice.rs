//! `slice`: `[type, start, stop, step]`, and index helpers for sequences.

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The `slice` type.
pub static SLICE_TYPE: TypeDesc = TypeDesc {
    print: Some(slice_print),
    unary_op: Some(slice_unary_op),
    attr: Some(slice_attr),
    methods: &[super::Method::new("indices", slice_indices_m)],
    ..TypeDesc::new("slice", ids::OBJECT)
};

/// `start`, `stop` and `step` (None when omitted).
fn slice_attr(vm: &mut Vm, s: Obj, name: crate::qstr::Qstr) -> PyResult<Option<Obj>> {
    let slot = match vm.qstr_text(name).as_str() {
        "start" => 1,
        "stop" => 2,
        "step" => 3,
        _ => return Ok(None),
    };
    let v = vm.get(s, slot);
    Ok(Some(if v.is_null() { Obj::NONE } else { v }))
}

/// `slice.indices(length)`: `(start, stop, step)` resolved against a sequence length.
fn slice_indices_m(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let (s, len) = (args[0], vm.expect_int(args[1])?);
    if len < 0 {
        return Err(vm.value_error("length should not be negative"));
    }
    let Some((start, stop, step)) = vm.slice_indices(s, len as usize)? else {
        return Err(vm.type_error("expected a slice"));
    };
    let items = [vm.new_int(start)?, vm.new_int(stop)?, vm.new_int(step)?];
    vm.new_tuple(&items)
}

/// Slices support no unary operator; in particular they are unhashable.
fn slice_unary_op(_vm: &mut Vm, _op: u8, _s: Obj) -> PyResult<Option<Obj>> {
    Ok(None)
}

fn slice_print(vm: &mut Vm, s: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("slice(");
    for i in 1..4 {
        if i > 1 {
            out.push_str(", ");
        }
        vm.print_obj(vm.get(s, i), out, true)?;
    }
    out.push(')');
    Ok(())
}

/// Items `start, start+step, ...` before `stop` (indices already normalised).
pub fn pick<T: Copy>(items: &[T], start: i64, stop: i64, step: i64) -> Vec<T> {
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if let Some(&x) = usize::try_from(i).ok().and_then(|u| items.get(u)) {
            out.push(x);
        }
        i += step;
    }
    out
}

/// The position a small-int `index` picks in a sequence of `len` items
/// (negative counts from the end), `None` if `index` is not a small int or is
/// out of range (then [`Vm::seq_index`] gives the error).
#[inline]
pub fn small_index(index: Obj, len: usize) -> Option<usize> {
    let i = index.small_int_value()? as isize;
    let i = if i < 0 { i + len as isize } else { i };
    (0..len as isize).contains(&i).then_some(i as usize)
}

impl Vm {
    /// A new slice object.
    pub fn new_slice(&mut self, start: Obj, stop: Obj, step: Obj) -> PyResult<Obj> {
        let s = self.alloc(4)?;
        self.set(s, 0, super::type_obj(ids::SLICE));
        self.set(s, 1, start);
        self.set(s, 2, stop);
        self.set(s, 3, step);
        Ok(s)
    }

    /// For a slice index: normalised `(start, stop, step)` for a sequence of `len`.
    pub fn slice_indices(&mut self, index: Obj, len: usize) -> PyResult<Option<(i64, i64, i64)>> {
        if !(index.is_heap_ref() && self.get(index, 0) == super::type_obj(ids::SLICE)) {
            return Ok(None);
        }
        let len = len as i64;
        let get = |vm: &mut Vm, i: usize| -> PyResult<Option<i64>> {
            let o = vm.get(index, i);
            if o == Obj::NONE || o.is_null() {
                Ok(None)
            } else {
                vm.expect_int(o).map(Some)
            }
        };
        let step = get(self, 3)?.unwrap_or(1);
        if step == 0 {
            return Err(self.value_error("slice step can't be zero"));
        }
        let norm = |v: i64, lo: i64, hi: i64| {
            let v = if v < 0 { v + len } else { v };
            v.clamp(lo, hi)
        };
        let (start, stop) = if step > 0 {
            (get(self, 1)?.map(|v| norm(v, 0, len)).unwrap_or(0), get(self, 2)?.map(|v| norm(v, 0, len)).unwrap_or(len))
        } else {
            (
                get(self, 1)?.map(|v| norm(v, -1, len - 1)).unwrap_or(len - 1),
                get(self, 2)?.map(|v| norm(v, -1, len - 1)).unwrap_or(-1),
            )
        };
        Ok(Some((start, stop, step)))
    }

    /// A sequence index (negative counts from the end); IndexError when out of range.
    pub fn seq_index(&mut self, index: Obj, len: usize, what: &str) -> PyResult<usize> {
        let Some(mut i) = self.int_value(index) else {
            if self.is_int(index) {
                return Err(self.word_overflow_error());
            }
            let msg = alloc::format!("{what} indices must be integers, not {}", self.type_name(index));
            return Err(self.type_error(&msg));
        };
        if i < 0 {
            i += len as i64;
        }
        if i < 0 || i >= len as i64 {
            let msg = alloc::format!("{what} index out of range");
            return Err(self.new_error(ids::INDEX_ERROR, &msg));
        }
        Ok(i as usize)
    }

    /// `base[index]` (value SENTINEL = load, NULL = delete, else store).
    pub fn subscr(&mut self, base: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
        let t = self.type_of(base);
        if let Some(f) = t.builtin_type_id().and_then(super::desc).and_then(|d| d.subscr) {
            // An object of a built-in type: straight to its slot.
            return f(self, base, index, value);
        }
        if self.is_user_class(t) {
            let (name, args): (&str, &[Obj]) = if value == Obj::SENTINEL {
                ("__getitem__", &[index])
            } else if value.is_null() {
                ("__delitem__", &[index])
            } else {
                ("__setitem__", &[index, value])
            };
            if let Some(r) = crate::rt::call_dunder(self, base, name, args)? {
                return Ok(r);
            }
        }
        match self.desc_of(base).subscr {
            Some(f) => {
                let base = self.native_self(base);
                f(self, base, index, value)
            }
            None => {
                let what = if value == Obj::SENTINEL {
                    "isn't subscriptable"
                } else if value.is_null() {
                    "doesn't support item deletion"
                } else {
                    "doesn't support item assignment"
                };
                let msg = alloc::format!("'{}' object {what}", self.type_name(base));
                Err(self.type_error(&msg))
            }
        }
    }
}
