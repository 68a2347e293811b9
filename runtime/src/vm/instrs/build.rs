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
}
