//! Iteration: `get_iter`, `iter_next` (NULL = exhausted), and collecting an
//! iterable into a Vec (items kept rooted while collecting).

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::Vm;

/// `getiter` slot for objects that are their own iterator.
pub fn self_iter(_vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    Ok(o)
}

impl Vm {
    /// `iter(o)`.
    pub fn get_iter(&mut self, o: Obj) -> PyResult<Obj> {
        if self.is_user_class(self.type_of(o)) {
            if let Some(it) = super::call_dunder(self, o, "__iter__", &[])? {
                return Ok(it);
            }
            // A built-in base that iterates (list, dict, ...) iterates the
            // instance even when the class overrides `__getitem__` (as in
            // MicroPython); otherwise only a Python `__getitem__` makes a
            // sequence iterator.
            if self.desc_of(o).getiter.is_none() {
                let q = self.intern("__getitem__")?;
                if let Some((_, None)) = self.class_lookup(self.type_of(o), q, 0)? {
                    return crate::types::iterators::new_seq_iter(self, o);
                }
            }
        }
        if let Some(f) = self.desc_of(o).getiter {
            let o = self.native_self(o);
            return f(self, o);
        }
        let msg = alloc::format!("'{}' object isn't iterable", self.type_name(o));
        Err(self.type_error(&msg))
    }

    /// True if a `for` loop steps through `o` by position, with no iterator
    /// object (as MicroPython's loops keep their iterator on the stack): the
    /// exact lists, tuples and bytearrays of the fast paths
    /// (`vm::fast::iterates_in_place`), and exact str, bytes, `array.array`,
    /// dict (its keys), set and frozenset.
    pub(crate) fn iterates_by_position(&self, o: Obj) -> bool {
        crate::vm::fast::iterates_in_place(&self.heap.words, o)
            || self.iterates_by_table_position(o)
            || [ids::STR, ids::BYTES, ids::ARRAY].into_iter().any(|t| self.is_exact(o, t))
    }

    /// True for the exact dicts, sets and frozensets a `for` loop steps
    /// through by table position (`dict::table_step`).
    fn iterates_by_table_position(&self, o: Obj) -> bool {
        self.is_exact(o, ids::DICT) || self.is_set_or_frozenset(o)
    }

    /// The item of `seq` (iterated by position: [`Vm::iterates_by_position`];
    /// lists, tuples and bytearrays are `vm::fast::in_place_item`'s) at
    /// position `pos` and the position after it; `None` past the end.
    #[inline(never)]
    pub(crate) fn step_in_place(&mut self, seq: Obj, pos: usize) -> PyResult<Option<(Obj, usize)>> {
        if self.iterates_by_table_position(seq) {
            return Ok(crate::types::dict::table_step(self, seq, pos).map(|(k, _, next)| (k, next)));
        }
        crate::types::iterators::seq_step(self, seq, pos)
    }

    /// The next item, or NULL when the iterator is exhausted (a StopIteration
    /// raised by `__next__` also ends it).
    pub fn iter_next(&mut self, it: Obj) -> PyResult<Obj> {
        if self.is_user_class(self.type_of(it)) {
            return match super::call_dunder(self, it, "__next__", &[]) {
                Ok(Some(v)) => Ok(v),
                Ok(None) => {
                    let msg = alloc::format!("'{}' object isn't an iterator", self.type_name(it));
                    Err(self.type_error(&msg))
                }
                Err(e) if self.exception_matches(e.0, ids::STOP_ITERATION) => {
                    self.st.stop_iteration = e.0;
                    Ok(Obj::NULL)
                }
                Err(e) => Err(e),
            };
        }
        match self.desc_of(it).iternext {
            Some(f) => f(self, it),
            None => {
                let msg = alloc::format!("'{}' object isn't an iterator", self.type_name(it));
                Err(self.type_error(&msg))
            }
        }
    }

    /// All items of an iterable. Each item is also pushed as a temporary root,
    /// so it stays alive until the current instruction (or the enclosing
    /// [`Vm::with_temps`] scope) ends.
    pub fn collect_iterable(&mut self, o: Obj) -> PyResult<Vec<Obj>> {
        let items = if self.is_tuple(o) {
            self.tuple_items(o)
        } else if self.is_list(o) {
            self.list_items(o)
        } else {
            let it = self.get_iter(o)?;
            self.root(it);
            let mut items = Vec::new();
            loop {
                let x = self.iter_next(it)?;
                if x.is_null() {
                    break;
                }
                self.root(x);
                items.push(x);
            }
            return Ok(items);
        };
        for &x in &items {
            self.root(x);
        }
        Ok(items)
    }
}
