//! Bytecode functions and built-in functions.
//!
//! Function layout: `[type, code index, globals, defaults tuple | NULL,
//! keyword-defaults dict | NULL, number of closed cells, the code's owner
//! (keeps the code loaded, see `vm::loader`), cells...]`. Closed
//! cells are passed as the first positional arguments, as MicroPython does.
//! Argument binding follows MicroPython's `bc.c` (same checks, same messages).

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::{Frame, Vm};
use ferropy_bytecode::code::scope_flags as sf;

/// Word holding the owner object of the function's code.
const FUN_OWNER: usize = 6;
/// Words before the closed cells.
pub const FUN_HEADER: usize = 7;

/// The bytecode function type.
pub static FUNCTION_TYPE: TypeDesc =
    TypeDesc { print: Some(fun_print), attr: Some(fun_attr), ..TypeDesc::new("function", ids::OBJECT) };

/// The built-in function type.
pub static BUILTIN_FUNCTION_TYPE: TypeDesc =
    TypeDesc { print: Some(builtin_print), ..TypeDesc::new("function", ids::OBJECT) };

fn fun_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let name = vm.function_name(o);
    out.push_str(&alloc::format!("<function {name} at 0x{:x}>", o.raw()));
    Ok(())
}

fn builtin_print(_vm: &mut Vm, _o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str("<function>");
    Ok(())
}

fn fun_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    match vm.qstr_text(name).as_str() {
        "__name__" => {
            let n = vm.function_name(o);
            Ok(Some(vm.qstr_obj(&n)?))
        }
        // The globals dict the function runs with (a dict, as in MicroPython).
        "__globals__" => Ok(Some(vm.get(o, 2))),
        _ => Ok(None),
    }
}

/// Slot vector pairs kept for reuse at most (enough for the call depth of
/// common code).
pub(crate) const SPARE_LIMIT: usize = 32;

/// Slots that a frame's vectors get at least, so that the common small
/// frames are filled by [`fill_small`]'s fixed-size copy.
const SMALL_FRAME: usize = 16;

/// Appends `n` copies of `v` to the empty vector `to`: for up to
/// [`SMALL_FRAME`] slots a fixed-size copy cut back to `n` (inline stores,
/// where a fill of a run-time length is a `memset` call).
#[inline(always)]
pub(crate) fn fill_small<T: Copy>(to: &mut Vec<T>, n: usize, v: T) {
    if n <= SMALL_FRAME {
        to.reserve(SMALL_FRAME);
        to.extend_from_slice(&[v; SMALL_FRAME]);
        to.truncate(n);
    } else {
        to.resize(n, v);
    }
}

impl crate::vm::VmState {
    /// Keeps the slot vectors of a finished or suspended frame for the next
    /// frame (see [`VmState::spare_slots`](crate::vm::VmState)).
    pub(crate) fn recycle_slots(&mut self, state: Vec<Obj>, words: Vec<usize>) {
        if self.spare_slots.len() < SPARE_LIMIT {
            self.spare_slots.push((state, words));
        }
    }
}

impl Vm {
    /// The name of a bytecode function.
    pub fn function_name(&self, f: Obj) -> String {
        let code = self.get_usize(f, 1);
        match self.st.codes.get(code) {
            Some(u) => self.qstr_text(u.name),
            None => String::from("?"),
        }
    }

    /// Creates a function for code unit `code` (MAKE_FUNCTION / MAKE_CLOSURE).
    pub fn make_function(
        &mut self,
        code: usize,
        globals: Obj,
        defaults: Obj,
        kwdefaults: Obj,
        cells: &[Obj],
    ) -> PyResult<Obj> {
        let f = self.alloc(FUN_HEADER + cells.len())?;
        self.set(f, 0, super::type_obj(ids::FUNCTION));
        self.set_u32(f, 1, code as u32);
        self.set(f, 2, globals);
        self.set(f, 3, defaults);
        self.set(f, 4, kwdefaults);
        self.set_u32(f, 5, cells.len() as u32);
        let owner = self.st.code_owner(code);
        self.set(f, FUN_OWNER, owner);
        for (i, &c) in cells.iter().enumerate() {
            self.set(f, FUN_HEADER + i, c);
        }
        Ok(f)
    }

    /// Pushes a frame for module or class-body code `code` with the given dicts.
    pub fn push_code_frame(&mut self, code: usize, fun: Obj, globals: Obj, locals: Obj) -> PyResult<()> {
        let (n_state, machine_code) = match self.st.codes.get(code) {
            // Viper frames get word slots (see `CodeUnit::words`).
            Some(u) => (u.n_state, u.words),
            None => return Err(self.internal_error("bad code index")),
        };
        self.check_depth()?;
        let ip = self.st.codes.get(code).map(|u| u.opcodes_start).unwrap_or(0);
        let (state, words) = self.fresh_slots(n_state.max(1), machine_code);
        self.st.frames.push(Frame::new(code, fun, globals, locals, ip, state, words));
        Ok(())
    }

    /// Pops the top frame, keeping its slot vectors for the next call.
    pub(crate) fn pop_frame(&mut self) {
        if let Some(f) = self.st.frames.pop() {
            self.st.recycle_slots(f.state, f.words);
        }
    }

    /// Slot vectors for a new frame: `n` NULL object slots and, with `words`
    /// (machine code), `n` zero word slots; a finished frame's vectors are reused.
    pub(crate) fn fresh_slots(&mut self, n: usize, words: bool) -> (Vec<Obj>, Vec<usize>) {
        self.take_slots(n, words)
    }

    /// [`Vm::fresh_slots`], inlined (for the calls of native code from
    /// native code, whose frames are set up without a function call).
    #[inline(always)]
    pub(crate) fn take_slots(&mut self, n: usize, words: bool) -> (Vec<Obj>, Vec<usize>) {
        let (mut state, mut word_slots) = self.st.spare_slots.pop().unwrap_or_default();
        state.clear();
        fill_small(&mut state, n, Obj::NULL);
        word_slots.clear();
        if words {
            fill_small(&mut word_slots, n, 0);
        }
        (state, word_slots)
    }

    /// Raises RuntimeError if one more frame would pass the recursion limit.
    #[inline]
    pub(crate) fn check_depth(&mut self) -> PyResult<()> {
        if self.st.frames.len() >= self.st.recursion_limit {
            return Err(self.recursion_error());
        }
        Ok(())
    }

    /// MicroPython's recursion error.
    #[cold]
    #[inline(never)]
    pub fn recursion_error(&mut self) -> crate::error::PyErr {
        self.new_error(ids::RUNTIME_ERROR, "maximum recursion depth exceeded")
    }

    /// Pushes a frame for bytecode function `fun` with its arguments bound.
    pub fn push_function_frame(&mut self, fun: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<()> {
        self.check_interrupt()?;
        let code = self.get_usize(fun, 1);
        let globals = self.get(fun, 2);
        self.push_code_frame(code, fun, globals, Obj::NULL)?;
        let r = self.bind_args(fun, code, args, kw);
        if r.is_err() {
            self.st.frames.pop();
        }
        r
    }

    fn bind_args(&mut self, fun: Obj, code: usize, given: &[Obj], kw: &[Obj]) -> PyResult<()> {
        let Some(u) = self.st.codes.get(code) else { return Err(self.internal_error("bad code index")) };
        let simple = kw.is_empty() && u.binds_plainly(given.len());
        if simple && self.get_usize(fun, 5) == 0 {
            // Exactly the positional parameters, no closure: store them in place.
            for (i, &a) in given.iter().enumerate() {
                self.set_local(i, a)?;
            }
            return Ok(());
        }
        let Some(u) = self.st.codes.get(code) else { return Err(self.internal_error("bad code index")) };
        let (n_pos, n_kwonly, n_def, flags) =
            (u.n_pos_args, u.n_kwonly_args, u.n_def_pos_args, u16::from(u.scope_flags));
        let arg_names = u.arg_names.clone();
        let cells = u.cells.clone();
        let name = self.qstr_text(u.name);
        let n_closed = self.get_usize(fun, 5);
        let mut args: Vec<Obj> = (0..n_closed).map(|i| self.get(fun, FUN_HEADER + i)).collect();
        args.extend_from_slice(given);
        let defaults = self.get(fun, 3);
        let kwdefaults = self.get(fun, 4);
        let default_items = self.tuple_items(defaults);
        let n_def = n_def.min(default_items.len());
        let mut n_args = args.len();
        let mut var_slot = n_pos + n_kwonly;
        if n_args > n_pos {
            if flags & sf::VARARGS == 0 {
                let msg = alloc::format!("{name}() takes {n_pos} positional arguments but {n_args} were given");
                return Err(self.type_error(&msg));
            }
            let t = self.new_tuple(&args[n_pos..])?;
            self.set_local(var_slot, t)?;
            var_slot += 1;
            n_args = n_pos;
        } else {
            if flags & sf::VARARGS != 0 {
                let t = self.new_tuple(&[])?;
                self.set_local(var_slot, t)?;
                var_slot += 1;
            }
            if kw.is_empty() && flags & sf::DEFKWARGS == 0 {
                if n_args >= n_pos - n_def.min(n_pos) {
                    for i in n_args..n_pos {
                        let d = default_items.get(i - (n_pos - n_def)).copied().unwrap_or(Obj::NONE);
                        self.set_local(i, d)?;
                    }
                } else {
                    let expected = n_pos - n_def;
                    let msg = alloc::format!("{name}() takes {expected} positional arguments but {n_args} were given");
                    return Err(self.type_error(&msg));
                }
            }
        }
        for (i, &a) in args.iter().take(n_args).enumerate() {
            self.set_local(i, a)?;
        }
        if !kw.is_empty() || flags & sf::DEFKWARGS != 0 {
            let mut dict = Obj::NULL;
            if flags & sf::VARKEYWORDS != 0 {
                dict = crate::types::dict::new_dict(self, 0)?;
                self.set_local(var_slot, dict)?;
            }
            for pair in kw.chunks(2) {
                let [k, v] = pair else { continue };
                let mut found = None;
                for (j, &n) in arg_names.iter().enumerate().take(n_pos + n_kwonly) {
                    if n != Qstr::NULL && self.str_text(*k).as_deref() == self.st.qstrs.text(n) {
                        found = Some(j);
                        break;
                    }
                }
                match found {
                    Some(j) => {
                        if !self.local(j)?.is_null() {
                            let an = self.str_text(*k).unwrap_or_default();
                            let msg = alloc::format!("function got multiple values for argument '{an}'");
                            return Err(self.type_error(&msg));
                        }
                        self.set_local(j, *v)?;
                    }
                    None if !dict.is_null() => self.dict_store(dict, *k, *v)?,
                    None => {
                        let an = self.str_text(*k).unwrap_or_default();
                        let msg = alloc::format!("unexpected keyword argument '{an}'");
                        return Err(self.type_error(&msg));
                    }
                }
            }
            for i in (n_pos - n_def)..n_pos {
                if self.local(i)?.is_null() {
                    let d = default_items.get(i - (n_pos - n_def)).copied().unwrap_or(Obj::NONE);
                    self.set_local(i, d)?;
                }
            }
            for i in (0..n_pos.saturating_sub(n_def)).rev() {
                if self.local(i)?.is_null() {
                    let msg = alloc::format!("function missing required positional argument #{i}");
                    return Err(self.type_error(&msg));
                }
            }
            for i in 0..n_kwonly {
                if self.local(n_pos + i)?.is_null() {
                    let an = arg_names.get(n_pos + i).map(|&q| self.qstr_text(q)).unwrap_or_default();
                    let mut val = None;
                    if flags & sf::DEFKWARGS != 0 && self.is_dict(kwdefaults) {
                        val = self.dict_get_str(kwdefaults, &an)?;
                    }
                    match val {
                        Some(v) => self.set_local(n_pos + i, v)?,
                        None => {
                            let msg = alloc::format!("function missing required keyword argument '{an}'");
                            return Err(self.type_error(&msg));
                        }
                    }
                }
            }
        } else {
            if n_kwonly != 0 {
                return Err(self.type_error("function missing keyword-only argument"));
            }
            if flags & sf::VARKEYWORDS != 0 {
                let d = crate::types::dict::new_dict(self, 0)?;
                self.set_local(var_slot, d)?;
            }
        }
        for c in cells {
            let v = self.local(usize::from(c))?;
            let cell = self.new_cell(v)?;
            self.set_local(usize::from(c), cell)?;
        }
        Ok(())
    }
}
