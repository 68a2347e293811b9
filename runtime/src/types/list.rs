//! `list`: `[type, length, capacity, items array]`; the items array is a
//! separate heap allocation of `capacity` words.

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::tuple::{count_of, print_seq, seq_binary, SeqResult};
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The `list` type.
pub static LIST_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(list_make_new),
    print: Some(list_print),
    unary_op: Some(list_unary),
    binary_op: Some(list_binary),
    subscr: Some(list_subscr),
    getiter: Some(list_getiter),
    methods: &LIST_METHODS,
    ..TypeDesc::new("list", ids::OBJECT)
};

static LIST_METHODS: [Method; 11] = [
    Method::new("append", list_append_m),
    Method::new("pop", list_pop),
    Method::new("extend", list_extend),
    Method::new("sort", list_sort),
    Method::new("insert", list_insert),
    Method::new("remove", list_remove),
    Method::new("index", list_index),
    Method::new("count", list_count),
    Method::new("reverse", list_reverse),
    Method::new("clear", list_clear),
    Method::new("copy", list_copy),
];

impl Vm {
    /// A new list holding `items`.
    pub fn new_list(&mut self, items: &[Obj]) -> PyResult<Obj> {
        let l = self.alloc(4)?;
        self.set(l, 0, super::type_obj(ids::LIST));
        if !items.is_empty() {
            self.with_temps(|vm| {
                vm.root(l);
                let arr = vm.alloc(items.len())?;
                for (i, &o) in items.iter().enumerate() {
                    vm.set(arr, i, o);
                }
                vm.set(l, 3, arr);
                vm.set_u32(l, 1, items.len() as u32);
                vm.set_u32(l, 2, items.len() as u32);
                Ok(())
            })?;
        }
        Ok(l)
    }

    /// True if `o` is a list.
    pub fn is_list(&self, o: Obj) -> bool {
        o.is_heap_ref() && self.get(o, 0) == super::type_obj(ids::LIST)
    }

    /// A list's length.
    pub fn list_len(&self, l: Obj) -> usize {
        self.get_usize(l, 1)
    }

    /// A list's items (copied out).
    pub fn list_items(&self, l: Obj) -> Vec<Obj> {
        let n = self.list_len(l);
        let arr = self.get(l, 3);
        (0..n).map(|i| self.get(arr, i)).collect()
    }

    /// Item `i` of a list (NULL when out of range).
    pub fn list_get(&self, l: Obj, i: usize) -> Obj {
        if i >= self.list_len(l) {
            return Obj::NULL;
        }
        self.get(self.get(l, 3), i)
    }

    /// Appends `v` to list `l`.
    pub fn list_append(&mut self, l: Obj, v: Obj) -> PyResult<()> {
        let len = self.list_len(l);
        let cap = self.get_usize(l, 2);
        if len >= cap {
            self.list_grow(l, (cap * 2).max(4), v)?;
        }
        let arr = self.get(l, 3);
        self.set(arr, len, v);
        self.set_u32(l, 1, len as u32 + 1);
        Ok(())
    }

    /// Gives list `l` room for `new_cap` items (`keep` stays rooted meanwhile);
    /// on failure the list is unchanged.
    fn list_grow(&mut self, l: Obj, new_cap: usize, keep: Obj) -> PyResult<()> {
        let arr = self.get(l, 3);
        let new_arr = self.with_temps(|vm| {
            vm.root(l);
            vm.root(keep);
            match vm.heap.realloc(arr, new_cap * 4, &mut vm.st) {
                Ok(a) if !a.is_null() => Ok(a),
                _ => Err(vm.memory_error_of(new_cap * 4)),
            }
        })?;
        self.set(l, 3, new_arr);
        self.set_u32(l, 2, new_cap as u32);
        Ok(())
    }

    /// Replaces a list's contents with `items`; when the room for them cannot
    /// be had, the list is left as it was (as MicroPython's).
    pub fn list_set_items(&mut self, l: Obj, items: &[Obj]) -> PyResult<()> {
        if items.len() > self.get_usize(l, 2) {
            self.list_grow(l, items.len(), Obj::NONE)?;
        }
        self.set_u32(l, 1, 0);
        for &o in items {
            self.list_append(l, o)?;
        }
        Ok(())
    }

    /// Sets item `i` (must be in range).
    pub fn list_set(&mut self, l: Obj, i: usize, v: Obj) {
        let arr = self.get(l, 3);
        self.set(arr, i, v);
    }

    /// Removes and returns item `i` (must be in range), moving the later items
    /// down in place: O(1) at the end, as `pop()`. The storage halves when
    /// three quarters of it are unused (best effort, as MicroPython's list).
    pub fn list_remove_at(&mut self, l: Obj, i: usize) -> Obj {
        let len = self.list_len(l);
        let arr = self.get(l, 3);
        let v = self.get(arr, i);
        if let Some(words) = self.heap.words.object_words_mut(arr, len) {
            words.copy_within(i + 1..len, i);
        }
        // The freed slot no longer keeps its object alive.
        self.set(arr, len - 1, Obj::NULL);
        self.set_u32(l, 1, (len - 1) as u32);
        let cap = self.get_usize(l, 2);
        if cap > 16 && (len - 1) * 4 < cap {
            let shrunk = self.with_temps(|vm| {
                vm.root(l);
                vm.root(v);
                Ok(vm.heap.realloc(arr, cap / 2 * 4, &mut vm.st).ok())
            });
            if let Ok(Some(smaller)) = shrunk {
                if !smaller.is_null() {
                    self.set(l, 3, smaller);
                    self.set_u32(l, 2, (cap / 2) as u32);
                }
            }
        }
        v
    }

    /// Inserts `v` before item `i` (`i <= len`), moving the later items up in place.
    pub fn list_insert_at(&mut self, l: Obj, i: usize, v: Obj) -> PyResult<()> {
        let len = self.list_len(l);
        self.list_append(l, v)?;
        let arr = self.get(l, 3);
        if let Some(words) = self.heap.words.object_words_mut(arr, len + 1) {
            words.copy_within(i..len, i + 1);
        }
        self.set(arr, i, v);
        Ok(())
    }
}

fn self_list(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        Some(&l) if vm.is_list(l) => Ok(l),
        other => Err(vm.wrong_self("list", other.copied())),
    }
}

fn list_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let items = vm.list_items(o);
    print_seq(vm, &items, "[", "]", out)
}

fn list_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        None => vm.new_list(&[]),
        Some(&o) => {
            let items = vm.collect_iterable(o)?;
            vm.with_temps(|vm| {
                for &i in &items {
                    vm.root(i);
                }
                vm.new_list(&items)
            })
        }
    }
}

fn list_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let n = vm.list_len(o);
    Ok(match op {
        crate::rt::UNARY_BOOL => Some(Obj::from_bool(n != 0)),
        crate::rt::UNARY_LEN => Some(vm.new_int(n as i64)?),
        _ => None,
    })
}

fn list_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    use ferropy_bytecode::opcode::binary as bop;
    if op == bop::INPLACE_ADD {
        let items = vm.collect_iterable(b)?;
        for o in items {
            vm.list_append(a, o)?;
        }
        return Ok(Some(a));
    }
    let x = vm.list_items(a);
    let y = if vm.is_list(b) { Some(vm.list_items(b)) } else { None };
    Ok(match seq_binary(vm, op, &x, y.as_deref(), b)? {
        Some(SeqResult::Obj(o)) => Some(o),
        Some(SeqResult::Items(v)) => Some(vm.new_list(&v)?),
        None => None,
    })
}

fn list_subscr(vm: &mut Vm, l: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    let len = vm.list_len(l);
    if let Some((start, stop, step)) = vm.slice_indices(index, len)? {
        if value == Obj::SENTINEL {
            // Only the picked items are copied (their list keeps them alive meanwhile).
            let arr = vm.get(l, 3);
            let words = vm.heap.words.object_words(arr, len).unwrap_or(&[]);
            let picked: Vec<Obj> =
                super::slice::pick(words, start, stop, step).into_iter().map(Obj::from_raw).collect();
            return vm.new_list(&picked);
        }
        let items = vm.list_items(l);
        if step != 1 {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, ""));
        }
        let (s, e) = (start.max(0) as usize, (stop.max(start)).max(0) as usize);
        let mut new_items: Vec<Obj> = items.get(..s).unwrap_or(&[]).to_vec();
        if !value.is_null() {
            new_items.extend(vm.collect_iterable(value)?);
        }
        new_items.extend_from_slice(items.get(e..).unwrap_or(&[]));
        vm.list_set_items(l, &new_items)?;
        return Ok(Obj::NONE);
    }
    let i = vm.seq_index(index, len, "list")?;
    if value == Obj::SENTINEL {
        Ok(vm.list_get(l, i))
    } else if value.is_null() {
        vm.list_remove_at(l, i);
        Ok(Obj::NONE)
    } else {
        vm.list_set(l, i, value);
        Ok(Obj::NONE)
    }
}

fn list_getiter(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    super::iterators::new_seq_iter(vm, o)
}

fn list_append_m(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let l = self_list(vm, args)?;
    vm.list_append(l, args.get(1).copied().unwrap_or(Obj::NONE))?;
    Ok(Obj::NONE)
}

fn list_pop(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let len = vm.list_len(l);
    if len == 0 {
        return Err(vm.new_error(ids::INDEX_ERROR, "pop from empty list"));
    }
    let i = match args.get(1) {
        Some(&idx) => vm.seq_index(idx, len, "list")?,
        None => len - 1,
    };
    Ok(vm.list_remove_at(l, i))
}

fn list_extend(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let src = crate::builtins::arg(vm, args, 1)?;
    if vm.is_list(src) || vm.is_tuple(src) {
        // A snapshot first: `l.extend(l)` doubles the list once.
        for o in vm.collect_iterable(src)? {
            vm.list_append(l, o)?;
        }
        return Ok(Obj::NONE);
    }
    // Item by item, so an endless or huge iterable fills the heap (MemoryError)
    // rather than a host-side buffer.
    let it = vm.get_iter(src)?;
    vm.root(it);
    loop {
        let o = vm.iter_next(it)?;
        if o.is_null() {
            return Ok(Obj::NONE);
        }
        vm.list_append(l, o)?;
    }
}

fn list_insert(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let len = vm.list_len(l) as i64;
    let mut i = vm.expect_int(args.get(1).copied().unwrap_or(Obj::NONE))?;
    if i < 0 {
        i += len;
    }
    let i = i.clamp(0, len) as usize;
    vm.list_insert_at(l, i, args.get(2).copied().unwrap_or(Obj::NONE))?;
    Ok(Obj::NONE)
}

fn list_remove(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let x = args.get(1).copied().unwrap_or(Obj::NONE);
    let items = vm.list_items(l);
    for (i, &item) in items.iter().enumerate() {
        if vm.equal(item, x)? {
            // As MicroPython: index, then pop (`__eq__` may have shrunk the list).
            let len = vm.list_len(l);
            if len == 0 {
                return Err(vm.new_error(ids::INDEX_ERROR, "pop from empty list"));
            }
            if i >= len {
                return Err(vm.new_error(ids::INDEX_ERROR, "list index out of range"));
            }
            vm.list_remove_at(l, i);
            return Ok(Obj::NONE);
        }
    }
    Err(vm.value_error("object not in sequence"))
}

fn list_index(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let items = vm.list_items(l);
    super::tuple::index_between(vm, &items, args.get(1..).unwrap_or(&[]))
}

fn list_count(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let items = vm.list_items(l);
    count_of(vm, &items, args.get(1).copied().unwrap_or(Obj::NONE))
}

fn list_reverse(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let len = vm.list_len(l);
    let arr = vm.get(l, 3);
    if let Some(words) = vm.heap.words.object_words_mut(arr, len) {
        words.reverse();
    }
    Ok(Obj::NONE)
}

fn list_clear(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    vm.set_u32(l, 1, 0);
    Ok(Obj::NONE)
}

fn list_copy(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    let items = vm.list_items(l);
    vm.new_list(&items)
}

fn list_sort(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let l = self_list(vm, args)?;
    if args.len() > 1 {
        return Err(vm.type_error("extra positional arguments given"));
    }
    let mut key = Obj::NONE;
    let mut reverse = false;
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            match vm.str_text(*k).as_deref() {
                Some("key") => key = *v,
                Some("reverse") => reverse = vm.is_true(*v)?,
                _ => return Err(vm.type_error("extra keyword arguments given")),
            }
        }
    }
    let items = vm.list_items(l);
    let sorted = sort_items(vm, items, key, reverse)?;
    vm.list_set_items(l, &sorted)?;
    Ok(Obj::NONE)
}

/// Sorts items (stable merge sort with Python comparisons), by `key` if not None.
pub fn sort_items(vm: &mut Vm, items: Vec<Obj>, key: Obj, reverse: bool) -> PyResult<Vec<Obj>> {
    vm.with_temps(|vm| {
        let mut pairs: Vec<(Obj, Obj)> = Vec::with_capacity(items.len());
        for &o in &items {
            vm.root(o);
            let k = if key == Obj::NONE { o } else { vm.call(key, &[o], &[])? };
            vm.root(k);
            pairs.push((k, o));
        }
        let sorted = merge_sort(vm, pairs, reverse)?;
        Ok(sorted.into_iter().map(|(_, o)| o).collect())
    })
}

fn merge_sort(vm: &mut Vm, v: Vec<(Obj, Obj)>, reverse: bool) -> PyResult<Vec<(Obj, Obj)>> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let mut left = v;
    let right = left.split_off(left.len() / 2);
    let left = merge_sort(vm, left, reverse)?;
    let right = merge_sort(vm, right, reverse)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        // Take from the right only when strictly smaller (keeps the sort stable).
        let take_right =
            if reverse { vm.less_than(left[i].0, right[j].0)? } else { vm.less_than(right[j].0, left[i].0)? };
        if take_right {
            out.push(right[j]);
            j += 1;
        } else {
            out.push(left[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}
