//! Building objects: tuples, lists, dicts, slices, comprehension stores,
//! unpacking, functions and closures.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::dispatch::{Instr, Step};
use crate::vm::Vm;
use ferropy_bytecode::opcode as op;

impl Vm {
    pub(super) fn exec_build(&mut self, ins: Instr) -> PyResult<Step> {
        match ins.op {
            op::BUILD_TUPLE | op::BUILD_LIST => {
                let n = ins.arg;
                // The items stay on the value stack (rooted) while the
                // storage is allocated, then move straight into it.
                let (o, items) = if ins.op == op::BUILD_TUPLE && n == 0 {
                    // The shared empty tuple: `()` never allocates.
                    let t = self.new_tuple(&[])?;
                    (t, (t, 2))
                } else if ins.op == op::BUILD_TUPLE {
                    let t = self.alloc(2 + n)?;
                    self.set(t, 0, crate::types::type_obj(ids::TUPLE));
                    self.set_u32(t, 1, n as u32);
                    (t, (t, 2))
                } else {
                    let l = self.new_list(&[])?;
                    if n > 0 {
                        self.root(l);
                        let arr = self.alloc(n)?;
                        self.set(l, 3, arr);
                        self.set_u32(l, 1, n as u32);
                        self.set_u32(l, 2, n as u32);
                        (l, (arr, 0))
                    } else {
                        (l, (l, 0))
                    }
                };
                self.move_top_into(n, items.0, items.1)?;
                self.push(o)?;
            }
            op::BUILD_MAP => {
                let d = crate::types::dict::new_dict(self, ins.arg)?;
                self.push(d)?;
            }
            op::BUILD_SET => {
                let items = self.top_n(ins.arg)?;
                let s = self.new_set(ids::SET, ins.arg)?;
                self.root(s);
                for item in items {
                    self.set_store(s, item)?;
                }
                self.drop_n(ins.arg)?;
                self.push(s)?;
            }
            op::BUILD_SLICE => {
                if self.subscript_with_scratch_slice(ins.arg)? {
                    return Ok(Step::Next);
                }
                let items = self.top_n(ins.arg)?;
                let s = match items.as_slice() {
                    [a, b] => self.new_slice(*a, *b, Obj::NONE)?,
                    [a, b, c] => self.new_slice(*a, *b, *c)?,
                    _ => return Err(self.internal_error("bad slice arity")),
                };
                self.drop_n(ins.arg)?;
                self.push(s)?;
            }
            op::STORE_COMP => {
                let depth = ins.arg >> 2;
                let target = self.peek(depth)?;
                match ins.arg & 3 {
                    0 => {
                        let v = self.peek(0)?;
                        self.list_append(target, v)?;
                        self.drop_n(1)?;
                    }
                    1 => {
                        let k = self.peek(0)?;
                        let v = self.peek(1)?;
                        self.dict_store(target, k, v)?;
                        self.drop_n(2)?;
                    }
                    _ => {
                        let v = self.peek(0)?;
                        self.set_store(target, v)?;
                        self.drop_n(1)?;
                    }
                }
            }
            op::UNPACK_SEQUENCE => {
                let seq = self.peek(0)?;
                let items = self.collect_iterable(seq)?;
                if items.len() != ins.arg {
                    let msg = if items.len() < ins.arg {
                        alloc::format!("need more than {} values to unpack", items.len())
                    } else {
                        alloc::format!("too many values to unpack (expected {})", ins.arg)
                    };
                    return Err(self.value_error(&msg));
                }
                self.drop_n(1)?;
                for &v in items.iter().rev() {
                    self.push(v)?;
                }
            }
            op::UNPACK_EX => {
                let (left, right) = (ins.arg & 0xff, (ins.arg >> 8) & 0xff);
                let seq = self.peek(0)?;
                let items = self.collect_iterable(seq)?;
                if items.len() < left + right {
                    let msg = alloc::format!("need more than {} values to unpack", items.len());
                    return Err(self.value_error(&msg));
                }
                let middle = self.new_list(&items[left..items.len() - right])?;
                self.root(middle);
                self.drop_n(1)?;
                for &v in items[items.len() - right..].iter().rev() {
                    self.push(v)?;
                }
                self.push(middle)?;
                for &v in items[..left].iter().rev() {
                    self.push(v)?;
                }
            }
            op::STORE_MAP => {
                let k = self.peek(0)?;
                let v = self.peek(1)?;
                let d = self.peek(2)?;
                self.dict_store(d, k, v)?;
                self.drop_n(2)?;
            }
            op::MAKE_FUNCTION | op::MAKE_FUNCTION_DEFARGS | op::MAKE_CLOSURE | op::MAKE_CLOSURE_DEFARGS => {
                let (code, globals) = {
                    let f = self.frame()?;
                    (f.code, f.globals)
                };
                let child = match self.st.codes.get(code).and_then(|u| u.children.get(ins.arg)) {
                    Some(&c) => c,
                    None => return Err(self.internal_error("bad child index")),
                };
                let n_cells = if matches!(ins.op, op::MAKE_CLOSURE | op::MAKE_CLOSURE_DEFARGS) {
                    usize::from(ins.extra)
                } else {
                    0
                };
                let cells = self.top_n(n_cells)?;
                let with_defaults = matches!(ins.op, op::MAKE_FUNCTION_DEFARGS | op::MAKE_CLOSURE_DEFARGS);
                let (defaults, kwdefaults) =
                    if with_defaults { (self.peek(n_cells + 1)?, self.peek(n_cells)?) } else { (Obj::NULL, Obj::NULL) };
                let kwdefaults = if kwdefaults == Obj::NONE { Obj::NULL } else { kwdefaults };
                let defaults = if defaults == Obj::NONE { Obj::NULL } else { defaults };
                let f = self.make_function(child, globals, defaults, kwdefaults, &cells)?;
                self.drop_n(n_cells + if with_defaults { 2 } else { 0 })?;
                self.push(f)?;
            }
            _ => return Err(self.internal_error("bad build opcode")),
        }
        Ok(Step::Next)
    }

    /// `BUILD_SLICE` of `n` items right before a `LOAD_SUBSCR` or
    /// `STORE_SUBSCR` of an exact bytearray, memoryview or `array.array`
    /// (whose subscripts keep no reference to the slice): runs both with the
    /// VM's scratch slice, so `b[1:3] = x` needs no heap (as MicroPython's
    /// stack-allocated slices). False, having done nothing, otherwise
    /// (native code, other objects, the scratch slice in use or not made).
    fn subscript_with_scratch_slice(&mut self, n: usize) -> PyResult<bool> {
        if self.st.scratch_slice_busy || !matches!(n, 2 | 3) {
            return Ok(false);
        }
        let next = {
            let Some(f) = self.st.frames.last() else { return Ok(false) };
            match self.st.codes.get(f.code) {
                Some(u) if u.native.is_none() => u.bytecode.get(f.ip).copied().map(|o| (o, f.ip + 1)),
                _ => None,
            }
        };
        let Some((opcode, after)) = next.filter(|(o, _)| matches!(*o, op::LOAD_SUBSCR | op::STORE_SUBSCR)) else {
            return Ok(false);
        };
        let base = self.peek(n)?;
        if ![ids::BYTEARRAY, ids::MEMORYVIEW, ids::ARRAY].into_iter().any(|t| self.is_exact(base, t)) {
            return Ok(false);
        }
        let scratch = self.scratch_slice()?;
        // The slice's items stay on the stack (rooted) while it is in use.
        for (word, depth) in (1..=n).zip((0..n).rev()) {
            let item = self.peek(depth)?;
            self.set(scratch, word, item);
        }
        if n == 2 {
            self.set(scratch, 3, Obj::NONE);
        }
        self.frame()?.ip = after;
        self.st.scratch_slice_busy = true;
        let result = if opcode == op::LOAD_SUBSCR {
            self.subscr(base, scratch, Obj::SENTINEL)
        } else {
            let value = self.peek(n + 1)?;
            self.subscr(base, scratch, value)
        };
        self.st.scratch_slice_busy = false;
        for word in 1..=3 {
            self.set(scratch, word, Obj::NONE);
        }
        let v = result?;
        // Pop the slice's items and the base (and the stored value), as the
        // two instructions would.
        if opcode == op::LOAD_SUBSCR {
            self.drop_n(n)?;
            self.poke(0, v)?;
        } else {
            self.drop_n(n + 2)?;
        }
        Ok(true)
    }

    /// The VM's scratch slice (see `VmState::scratch_slice`), made on first use.
    pub(crate) fn scratch_slice(&mut self) -> PyResult<Obj> {
        if self.st.scratch_slice.is_null() {
            self.st.scratch_slice = self.new_slice(Obj::NONE, Obj::NONE, Obj::NONE)?;
        }
        Ok(self.st.scratch_slice)
    }
}
