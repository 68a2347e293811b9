//! Calls: CALL_FUNCTION/CALL_METHOD and their `*args`/`**kwargs` forms.
//! A call to a bytecode function pushes a frame and returns to the loop (no
//! native recursion); other callables are called directly.

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{self, ids};
use crate::vm::dispatch::{Instr, Step};
use crate::vm::Vm;
use ferropy_bytecode::opcode as op;

impl Vm {
    pub(crate) fn exec_call(&mut self, ins: Instr) -> PyResult<Step> {
        let n_pos = ins.arg & 0xff;
        let n_kw = (ins.arg >> 8) & 0xff;
        let var = matches!(ins.op, op::CALL_FUNCTION_VAR_KW | op::CALL_METHOD_VAR_KW);
        let method = matches!(ins.op, op::CALL_METHOD | op::CALL_METHOD_VAR_KW);
        let n_items = n_pos + 2 * n_kw + usize::from(var) + 1 + usize::from(method);
        if !var && n_kw == 0 {
            return self.call_positional(n_items, method);
        }
        let items = self.top_n(n_items)?;
        for &o in &items {
            self.root(o);
        }
        let mut it = items.iter().copied();
        let fun = it.next().unwrap_or(Obj::NONE);
        let mut args = Vec::with_capacity(n_pos + 1);
        if method {
            let s = it.next().unwrap_or(Obj::NULL);
            if !s.is_null() {
                args.push(s);
            }
        }
        let pos: Vec<Obj> = it.by_ref().take(n_pos).collect();
        let kw_flat: Vec<Obj> = it.by_ref().take(2 * n_kw).collect();
        let bitmap = if var { it.next().and_then(|b| b.small_int_value()).unwrap_or(0) as u32 } else { 0 };
        for (i, &a) in pos.iter().enumerate() {
            if i < 32 && bitmap & (1 << i) != 0 {
                args.extend(self.collect_iterable(a)?);
            } else {
                args.push(a);
            }
        }
        let mut kw = Vec::with_capacity(kw_flat.len());
        for pair in kw_flat.chunks(2) {
            let [k, v] = pair else { continue };
            if k.is_null() {
                let entries = if self.is_dict(*v) { self.dict_entries(*v) } else { self.mapping_entries(*v)? };
                for (dk, dv) in entries {
                    let Some(name) = self.str_text(dk) else {
                        return Err(self.type_error("keywords must be strings"));
                    };
                    for pair in kw.chunks(2) {
                        if pair.first().and_then(|&o| self.str_text(o)).as_deref() == Some(name.as_str()) {
                            let msg = alloc::format!("function got multiple values for argument '{name}'");
                            return Err(self.type_error(&msg));
                        }
                    }
                    kw.push(dk);
                    kw.push(dv);
                }
            } else {
                kw.push(*k);
                kw.push(*v);
            }
        }
        self.drop_n(n_items)?;
        if self.type_of(fun) == types::type_obj(ids::FUNCTION) {
            self.push_function_frame(fun, &args, &kw)?;
            if let Some(gen) = self.frame_to_generator()? {
                self.push(gen)?;
            }
            return Ok(Step::Next);
        }
        let r = self.call(fun, &args, &kw)?;
        self.push(r)?;
        Ok(Step::Next)
    }

    /// The common call: positional arguments only, straight from the stack
    /// (`fun [self] args...`, `self` NULL when LOAD_METHOD found no method).
    fn call_positional(&mut self, n_items: usize, method: bool) -> PyResult<Step> {
        let f = self.frame()?;
        let Some(start) = f.sp.checked_sub(n_items) else {
            return Err(self.internal_error("value stack underflow"));
        };
        let items = f.state.get(start..f.sp).unwrap_or(&[]);
        let fun = items.first().copied().unwrap_or(Obj::NONE);
        let skip = if method && items.get(1).is_some_and(|s| s.is_null()) { 2 } else { 1 };
        if let Some(id) = fun.static_object_id() {
            let n = items.len().saturating_sub(skip);
            if n <= 8 {
                return self.call_static_positional(id, start, n);
            }
        }
        if self.enter_plain_function(fun, start, skip)? {
            return Ok(Step::Next);
        }
        let f = self.frame()?;
        let items = f.state.get(start..f.sp).unwrap_or(&[]);
        let src = items.get(skip..).unwrap_or(&[]);
        // Arguments are copied off the stack (it is dropped below); the common
        // short argument lists go to a buffer on the machine stack.
        let mut small = [Obj::NULL; 8];
        let spilled: Vec<Obj>;
        let args: &[Obj] = match small.get_mut(..src.len()) {
            Some(buf) => {
                buf.copy_from_slice(src);
                buf
            }
            None => {
                spilled = src.to_vec();
                &spilled
            }
        };
        self.root(fun);
        for &o in args {
            self.root(o);
        }
        self.drop_n(n_items)?;
        if self.type_of(fun) == types::type_obj(ids::FUNCTION) {
            self.push_function_frame(fun, args, &[])?;
            if let Some(gen) = self.frame_to_generator()? {
                self.push(gen)?;
            }
            return Ok(Step::Next);
        }
        let r = self.call(fun, args, &[])?;
        self.push(r)?;
        Ok(Step::Next)
    }

    /// A call of built-in function or method `id` (a static object) with the
    /// `n` positional arguments on top of the running frame's stack, whose
    /// call items start at `start`. The arguments stay on the stack during the
    /// call, so the frame keeps them alive; the result replaces the items.
    #[inline(always)]
    fn call_static_positional(&mut self, id: u32, start: usize, n: usize) -> PyResult<Step> {
        let mut buf = [Obj::NULL; 8];
        let f = self.frame()?;
        let (Some(args), Some(src)) = (buf.get_mut(..n), f.sp.checked_sub(n).and_then(|a| f.state.get(a..f.sp))) else {
            return Err(self.internal_error("value stack underflow"));
        };
        copy_few(args, src);
        let r = crate::builtins::call_static(self, id, args, &[]);
        // The copies must not outlive the call: this buffer is part of the
        // dispatch loop's long-lived stack frame, where the conservative stack
        // scan would find them and keep dropped objects alive.
        buf = [Obj::NULL; 8];
        core::hint::black_box(&buf);
        let r = r?;
        let f = self.frame()?;
        let sp = f.sp;
        match f.state.get_mut(start..sp) {
            Some([first, rest @ ..]) => {
                *first = r;
                clear_few(rest);
                f.sp = start + 1;
                Ok(Step::Next)
            }
            _ => Err(self.internal_error("value stack underflow")),
        }
    }

    /// The common case of a call, done without the general binding: `fun` is
    /// a bytecode function (not a generator, no closure, no cells, no `*args`,
    /// `**kwargs` or keyword-only parameters) given exactly its positional
    /// parameters, which sit on the running frame's stack from `start + skip`
    /// up. The new frame gets them straight from the caller's stack, which is
    /// then cut back to `start`. Returns false (nothing done) in every other case.
    fn enter_plain_function(&mut self, fun: Obj, start: usize, skip: usize) -> PyResult<bool> {
        use ferropy_bytecode::code::scope_flags as sf;
        if self.type_of(fun) != types::type_obj(ids::FUNCTION) || self.get_usize(fun, 5) != 0 {
            return Ok(false);
        }
        let code = self.get_usize(fun, 1);
        let Some(caller) = self.st.frames.last() else { return Ok(false) };
        let n_args = caller.sp.saturating_sub(start + skip);
        let (n_state, ip) = match self.st.codes.get(code) {
            Some(u)
                if u.native.is_none()
                    && u.binds_plainly(n_args)
                    && u16::from(u.scope_flags) & (sf::GENERATOR | sf::DEFKWARGS) == 0
                    && u.n_state >= n_args =>
            {
                (u.n_state, u.opcodes_start)
            }
            _ => return Ok(false),
        };
        self.check_interrupt()?;
        self.check_depth()?;
        let globals = self.get(fun, 2);
        let (mut state, words) = self.fresh_slots(n_state.max(1), false);
        let Some(caller) = self.st.frames.last_mut() else { return Ok(false) };
        // Parameter i is local i, at slot `len - 1 - i` (locals are stored reversed).
        let top = state.len() - 1;
        for (i, slot) in caller.state[start + skip..caller.sp].iter_mut().enumerate() {
            state[top - i] = core::mem::replace(slot, Obj::NULL);
        }
        // `fun` and a NULL `self` (`skip` is 1 or 2).
        if let Some(slots) = caller.state.get_mut(start..start + skip) {
            clear_few(slots);
        }
        caller.sp = start;
        self.st.frames.push(crate::vm::frame::Frame::new(code, fun, globals, Obj::NULL, ip, state, words));
        Ok(true)
    }

    /// The `(key, value)` pairs of a mapping given after `**` that is not a
    /// dict: its `keys()`, each looked up with `[]`.
    fn mapping_entries(&mut self, m: Obj) -> PyResult<Vec<(Obj, Obj)>> {
        let q = self.intern("keys")?;
        let Some(keys) = self.load_attr_opt(m, q)? else {
            return Err(self.type_error("argument after ** must be a mapping"));
        };
        let keys = self.call(keys, &[], &[])?;
        self.root(keys);
        let mut out = Vec::new();
        for k in self.collect_iterable(keys)? {
            let v = self.subscr(m, k, Obj::SENTINEL)?;
            self.root(v);
            out.push((k, v));
        }
        Ok(out)
    }
}

/// `dst.copy_from_slice(src)` for the few items of a call: the usual one to
/// three are moved one by one (a `memcpy` call costs more than the copy).
#[inline(always)]
fn copy_few(dst: &mut [Obj], src: &[Obj]) {
    match (dst, src) {
        ([], []) => {}
        ([d0], [s0]) => *d0 = *s0,
        ([d0, d1], [s0, s1]) => (*d0, *d1) = (*s0, *s1),
        ([d0, d1, d2], [s0, s1, s2]) => (*d0, *d1, *d2) = (*s0, *s1, *s2),
        (dst, src) => dst.copy_from_slice(src),
    }
}

/// Sets the few value-stack slots a call leaves behind to NULL, the usual one
/// to three one by one (a `memset` call costs more than the stores).
#[inline(always)]
fn clear_few(slots: &mut [Obj]) {
    match slots {
        [] => {}
        [a] => *a = Obj::NULL,
        [a, b] => (*a, *b) = (Obj::NULL, Obj::NULL),
        [a, b, c] => (*a, *b, *c) = (Obj::NULL, Obj::NULL, Obj::NULL),
        slots => slots.fill(Obj::NULL),
    }
}
