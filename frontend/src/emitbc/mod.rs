//! The bytecode emitter: implements [`Emit`] and produces MicroPython bytecode.
//!
//! Operations are recorded symbolically (opcode, operand, label) while the
//! compiler walks the scope once; [`Emit::end_scope`] then lays the code out the
//! way MicroPython's emitter does over its passes (see `layout`), choosing the
//! same 1- or 2-byte jump encodings and producing the same prelude.
//!
//! As in MicroPython, code after an unconditional jump, return or raise is not
//! written until the next label ("suppressed"), although stack depths are still
//! tracked.

mod layout;

use alloc::string::String;
use alloc::vec::Vec;

use ferropy_bytecode::code::scope_flags;
use ferropy_bytecode::opcode as op;
use ferropy_bytecode::prelude::Signature;
use ferropy_bytecode::{CodeKind, ConstObj, RawCode};

use crate::emit::*;
use crate::error::CompileError;
use crate::token::Pos;

/// One recorded instruction.
#[derive(Clone, Debug)]
enum Ins {
    /// An opcode without operand.
    Byte(u8),
    /// An opcode with a qstr operand (index into the scope's local string list).
    Qstr(u8, u32),
    /// An opcode with a var-uint operand.
    Uint(u8, u64),
    /// LOAD_CONST_SMALL_INT with its signed operand.
    Int(i64),
    /// LOAD_CONST_OBJ with an index into the scope's local constant list.
    Const(u32),
    /// MAKE_FUNCTION(_DEFARGS)/MAKE_CLOSURE(_DEFARGS): child index and optional extra byte.
    Child(u8, u32, Option<u8>),
    /// A jump opcode to a label.
    Jump(u8, Label),
    /// UNWIND_JUMP to a label with its extra byte.
    Unwind(Label, u8),
    /// A label position.
    Label(Label),
    /// A source line marker.
    Line(u32),
}

/// MicroPython's bytecode emitter for one scope.
#[derive(Debug, Default)]
pub struct BytecodeEmitter {
    info: Option<ScopeInfo>,
    code: Vec<Ins>,
    /// The scope's distinct strings, concatenated (see `string_ends`).
    strings: String,
    /// Where each string of `strings` ends (string `i` starts where `i - 1` ends).
    string_ends: Vec<u32>,
    string_index: crate::strmap::StrIndex,
    consts: Vec<ConstObj>,
    children: Vec<RawCode>,
    stack_size: i32,
    max_stack_size: i32,
    exc_stack_size: u32,
    exc_depth: u32,
    suppress: bool,
    extra_flags: u16,
    max_label: u32,
    /// Whether line numbers are recorded (off at opt level >= 3 or when disabled).
    source_lines: bool,
    error: Option<CompileError>,
}

impl BytecodeEmitter {
    /// A new emitter; `source_lines` selects whether a line-number table is written.
    pub fn new(source_lines: bool) -> Self {
        BytecodeEmitter { source_lines, code: Vec::with_capacity(32), ..Default::default() }
    }

    /// The scope-local number of string `s`, adding it when new.
    fn qstr(&mut self, s: &str) -> u32 {
        let hash = crate::strmap::hash_str(s);
        if let Some(i) = self.string_index.find(hash, |i| self.string(i) == s) {
            return i as u32;
        }
        let i = self.string_ends.len();
        self.string_index.insert(hash, i);
        self.strings.push_str(s);
        self.string_ends.push(self.strings.len() as u32);
        i as u32
    }

    /// Scope-local string number `i` (empty when out of range).
    fn string(&self, i: usize) -> &str {
        let end = self.string_ends.get(i).copied().unwrap_or(0) as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => self.string_ends.get(prev).copied().unwrap_or(0) as usize,
            None => 0,
        };
        self.strings.get(start..end).unwrap_or("")
    }

    fn adjust(&mut self, delta: i32) {
        self.stack_size += delta;
        if self.stack_size < 0 && self.error.is_none() {
            self.error = Some(CompileError::syntax("internal error: stack underflow", Pos::default()));
        }
        if self.stack_size > self.max_stack_size {
            self.max_stack_size = self.stack_size;
        }
    }

    fn push(&mut self, ins: Ins) {
        if !self.suppress {
            self.code.push(ins);
        }
    }

    fn byte(&mut self, delta: i32, b: u8) {
        self.adjust(delta);
        self.push(Ins::Byte(b));
    }

    fn with_qstr(&mut self, delta: i32, b: u8, s: &str) {
        self.adjust(delta);
        let q = self.qstr(s);
        self.push(Ins::Qstr(b, q));
    }

    fn with_uint(&mut self, delta: i32, b: u8, v: u64) {
        self.adjust(delta);
        self.push(Ins::Uint(b, v));
    }

    fn with_label(&mut self, delta: i32, b: u8, label: Label) {
        self.adjust(delta);
        self.note_label(label);
        self.push(Ins::Jump(b, label));
    }

    fn note_label(&mut self, label: Label) {
        if label >= self.max_label {
            self.max_label = label + 1;
        }
    }

    fn with_child(&mut self, delta: i32, b: u8, child: RawCode, extra: Option<u8>) {
        self.adjust(delta);
        let idx = self.children.len() as u32;
        self.children.push(child);
        self.push(Ins::Child(b, idx, extra));
    }
}

impl Emit for BytecodeEmitter {
    fn start_scope(&mut self, info: ScopeInfo) {
        self.info = Some(info);
    }

    fn end_scope(&mut self, qstrs: &mut QstrTable, consts: &mut Vec<ConstObj>) -> Result<RawCode, CompileError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let Some(info) = self.info.take() else {
            return Err(CompileError::syntax("internal error: scope not started", Pos::default()));
        };
        // Resolve the scope's strings and constants to module table indices, in order of use.
        let mut qmap: Vec<Option<u32>> = alloc::vec![None; self.string_ends.len()];
        let mut cmap: Vec<Option<u32>> = alloc::vec![None; self.consts.len()];
        let name_q = qstrs.intern(&info.simple_name);
        let param_qs: Vec<u32> = info.param_names.iter().map(|p| qstrs.intern(p)).collect();
        let mut code = core::mem::take(&mut self.code);
        for ins in code.iter_mut() {
            match ins {
                Ins::Qstr(_, q) => {
                    let slot = &mut qmap[*q as usize];
                    let idx = match slot {
                        Some(i) => *i,
                        None => {
                            let i = qstrs.intern(self.string(*q as usize));
                            *slot = Some(i);
                            i
                        }
                    };
                    *q = idx;
                }
                Ins::Const(c) => {
                    let slot = &mut cmap[*c as usize];
                    let idx = match slot {
                        Some(i) => *i,
                        None => {
                            let obj = core::mem::replace(&mut self.consts[*c as usize], ConstObj::None);
                            let i = intern_const(consts, obj);
                            *slot = Some(i);
                            i
                        }
                    };
                    *c = idx;
                }
                _ => {}
            }
        }
        let flags = (info.scope_flags | self.extra_flags) & !(scope_flags::REFGLOBALS | scope_flags::HASCONSTS);
        let n_locals = info.num_locals;
        let mut n_state = n_locals + self.max_stack_size.max(0) as u32;
        if n_state == 0 {
            n_state = 1;
        }
        let prelude = layout::PreludeParams {
            signature: Signature {
                n_state,
                n_exc_stack: self.exc_stack_size,
                // Only the low 4 flag bits are part of the signature.
                scope_flags: (flags & 0x0F) as u8,
                n_pos_args: info.num_pos_args,
                n_kwonly_args: info.num_kwonly_args,
                n_def_pos_args: info.num_def_pos_args,
            },
            name_qstr: name_q,
            param_qstrs: param_qs,
            cells: info.cells,
        };
        let bytes = layout::assemble(&code, self.max_label as usize, &prelude)?;
        Ok(RawCode {
            kind: CodeKind::Bytecode,
            code: bytes,
            prelude_offset: 0,
            scope_flags: flags,
            n_pos_args: info.num_pos_args,
            children: core::mem::take(&mut self.children),
        })
    }

    fn adjust_stack_size(&mut self, delta: i32) {
        self.adjust(delta);
    }

    fn set_source_line(&mut self, line: u32) {
        if self.source_lines {
            self.code.push(Ins::Line(line));
        }
    }

    fn load_local(&mut self, _name: &str, local_num: u32, kind: LocalKind) {
        if kind == LocalKind::Fast && local_num < 16 {
            self.byte(1, op::LOAD_FAST_MULTI + local_num as u8);
        } else {
            let b = if kind == LocalKind::Fast { op::LOAD_FAST_N } else { op::LOAD_DEREF };
            self.with_uint(1, b, u64::from(local_num));
        }
    }

    fn load_global(&mut self, name: &str, kind: GlobalKind) {
        let b = if kind == GlobalKind::Name { op::LOAD_NAME } else { op::LOAD_GLOBAL };
        self.with_qstr(1, b, name);
    }

    fn store_local(&mut self, _name: &str, local_num: u32, kind: LocalKind) {
        if kind == LocalKind::Fast && local_num < 16 {
            self.byte(-1, op::STORE_FAST_MULTI + local_num as u8);
        } else {
            let b = if kind == LocalKind::Fast { op::STORE_FAST_N } else { op::STORE_DEREF };
            self.with_uint(-1, b, u64::from(local_num));
        }
    }

    fn store_global(&mut self, name: &str, kind: GlobalKind) {
        let b = if kind == GlobalKind::Name { op::STORE_NAME } else { op::STORE_GLOBAL };
        self.with_qstr(-1, b, name);
    }

    fn delete_local(&mut self, _name: &str, local_num: u32, kind: LocalKind) {
        let b = if kind == LocalKind::Fast { op::DELETE_FAST } else { op::DELETE_DEREF };
        self.with_uint(0, b, u64::from(local_num));
    }

    fn delete_global(&mut self, name: &str, kind: GlobalKind) {
        let b = if kind == GlobalKind::Name { op::DELETE_NAME } else { op::DELETE_GLOBAL };
        self.with_qstr(0, b, name);
    }

    fn label_assign(&mut self, label: Label) {
        self.suppress = false;
        self.note_label(label);
        self.code.push(Ins::Label(label));
    }

    fn import(&mut self, name: &str, kind: ImportKind) {
        match kind {
            ImportKind::Name => self.with_qstr(-1, op::IMPORT_NAME, name),
            ImportKind::From => self.with_qstr(1, op::IMPORT_FROM, name),
            ImportKind::Star => self.byte(-1, op::IMPORT_STAR),
        }
    }

    fn load_const_tok(&mut self, tok: ConstTok) {
        match tok {
            ConstTok::None => self.byte(1, op::LOAD_CONST_NONE),
            ConstTok::False => self.byte(1, op::LOAD_CONST_FALSE),
            ConstTok::True => self.byte(1, op::LOAD_CONST_TRUE),
            ConstTok::Ellipsis => self.load_const_obj(ConstObj::Ellipsis),
        }
    }

    fn load_const_small_int(&mut self, value: i64) {
        let excess = i64::from(op::LOAD_CONST_SMALL_INT_MULTI_EXCESS);
        if -excess <= value && value < i64::from(op::LOAD_CONST_SMALL_INT_MULTI_NUM) - excess {
            self.byte(1, (i64::from(op::LOAD_CONST_SMALL_INT_MULTI) + excess + value) as u8);
        } else {
            self.adjust(1);
            self.push(Ins::Int(value));
        }
    }

    fn load_const_str(&mut self, s: &str) {
        self.with_qstr(1, op::LOAD_CONST_STRING, s);
    }

    fn load_const_obj(&mut self, obj: ConstObj) {
        self.adjust(1);
        if self.suppress {
            return;
        }
        let idx = match self.consts.iter().position(|c| *c == obj) {
            Some(i) => i as u32,
            None => {
                self.consts.push(obj);
                (self.consts.len() - 1) as u32
            }
        };
        self.push(Ins::Const(idx));
    }

    fn load_null(&mut self) {
        self.byte(1, op::LOAD_NULL);
    }

    fn load_method(&mut self, name: &str, is_super: bool) {
        if is_super {
            self.with_qstr(-1, op::LOAD_SUPER_METHOD, name);
        } else {
            self.with_qstr(1, op::LOAD_METHOD, name);
        }
    }

    fn load_build_class(&mut self) {
        self.byte(1, op::LOAD_BUILD_CLASS);
    }

    fn subscr(&mut self, kind: AccessKind) {
        match kind {
            AccessKind::Load => self.byte(-1, op::LOAD_SUBSCR),
            AccessKind::Store => self.byte(-3, op::STORE_SUBSCR),
            AccessKind::Delete => {
                self.load_null();
                self.rot_three();
                self.byte(-3, op::STORE_SUBSCR);
            }
        }
    }

    fn attr(&mut self, name: &str, kind: AccessKind) {
        match kind {
            AccessKind::Load => self.with_qstr(0, op::LOAD_ATTR, name),
            AccessKind::Store => self.with_qstr(-2, op::STORE_ATTR, name),
            AccessKind::Delete => {
                self.load_null();
                self.rot_two();
                self.with_qstr(-2, op::STORE_ATTR, name);
            }
        }
    }

    fn dup_top(&mut self) {
        self.byte(1, op::DUP_TOP);
    }

    fn dup_top_two(&mut self) {
        self.byte(2, op::DUP_TOP_TWO);
    }

    fn pop_top(&mut self) {
        self.byte(-1, op::POP_TOP);
    }

    fn rot_two(&mut self) {
        self.byte(0, op::ROT_TWO);
    }

    fn rot_three(&mut self) {
        self.byte(0, op::ROT_THREE);
    }

    fn jump(&mut self, label: Label) {
        self.with_label(0, op::JUMP, label);
        self.suppress = true;
    }

    fn pop_jump_if(&mut self, cond: bool, label: Label) {
        let b = if cond { op::POP_JUMP_IF_TRUE } else { op::POP_JUMP_IF_FALSE };
        self.with_label(-1, b, label);
    }

    fn jump_if_or_pop(&mut self, cond: bool, label: Label) {
        let b = if cond { op::JUMP_IF_TRUE_OR_POP } else { op::JUMP_IF_FALSE_OR_POP };
        self.with_label(-1, b, label);
    }

    fn unwind_jump(&mut self, label: Label, except_depth: u32, break_from_for: bool) {
        if except_depth == 0 {
            if break_from_for {
                // Drop the 4 iterator slots (raw bytes: the stack depth is not tracked here).
                for _ in 0..4 {
                    self.push(Ins::Byte(op::POP_TOP));
                }
            }
            self.with_label(0, op::JUMP, label);
        } else {
            self.note_label(label);
            let extra = (if break_from_for { 0x80 } else { 0 }) | (except_depth.min(0x7F) as u8);
            self.push(Ins::Unwind(label, extra));
        }
        self.suppress = true;
    }

    fn setup_block(&mut self, label: Label, kind: BlockKind) {
        self.exc_depth += 1;
        self.exc_stack_size = self.exc_stack_size.max(self.exc_depth);
        match kind {
            BlockKind::With => self.with_label(2, op::SETUP_WITH, label),
            BlockKind::Except => self.with_label(0, op::SETUP_EXCEPT, label),
            BlockKind::Finally => self.with_label(0, op::SETUP_FINALLY, label),
        }
    }

    fn with_cleanup(&mut self, label: Label) {
        self.load_const_tok(ConstTok::None);
        self.label_assign(label);
        self.byte(2, op::WITH_CLEANUP);
        self.adjust(-4);
    }

    fn async_with_setup_finally(&mut self, aexit_no_exc: Label, finally_block: Label, ret_unwind_jump: Label) {
        self.load_const_tok(ConstTok::None);
        self.rot_two();
        self.jump(aexit_no_exc);
        self.label_assign(finally_block);
        self.dup_top();
        self.load_global("BaseException", GlobalKind::Global);
        self.binary_op(BinaryOp::Op(op::binary::EXCEPTION_MATCH));
        self.pop_jump_if(false, ret_unwind_jump);
    }

    fn end_finally(&mut self) {
        self.exc_depth = self.exc_depth.saturating_sub(1);
        self.byte(-1, op::END_FINALLY);
    }

    fn get_iter(&mut self, use_stack: bool) {
        if use_stack {
            self.byte(3, op::GET_ITER_STACK);
        } else {
            self.byte(0, op::GET_ITER);
        }
    }

    fn for_iter(&mut self, label: Label) {
        self.with_label(1, op::FOR_ITER, label);
    }

    fn for_iter_end(&mut self) {
        self.adjust(-4);
    }

    fn pop_except_jump(&mut self, label: Label, _within_exc_handler: bool) {
        self.with_label(0, op::POP_EXCEPT_JUMP, label);
        self.suppress = true;
    }

    fn unary_op(&mut self, unary: u8) {
        self.byte(0, op::UNARY_OP_MULTI + unary);
    }

    fn binary_op(&mut self, binary: BinaryOp) {
        let (n, invert) = match binary {
            BinaryOp::Op(n) => (n, false),
            BinaryOp::NotIn => (op::binary::IN, true),
            BinaryOp::IsNot => (op::binary::IS, true),
        };
        self.byte(-1, op::BINARY_OP_MULTI + n);
        if invert {
            self.byte(0, op::UNARY_OP_MULTI + op::unary::NOT);
        }
    }

    fn build(&mut self, n: u32, kind: BuildKind) {
        let (b, delta) = match kind {
            BuildKind::Tuple => (op::BUILD_TUPLE, 1 - n as i32),
            BuildKind::List => (op::BUILD_LIST, 1 - n as i32),
            BuildKind::Map => (op::BUILD_MAP, 1),
            BuildKind::Set => (op::BUILD_SET, 1 - n as i32),
            BuildKind::Slice => (op::BUILD_SLICE, 1 - n as i32),
        };
        self.with_uint(delta, b, u64::from(n));
    }

    fn store_map(&mut self) {
        self.byte(-2, op::STORE_MAP);
    }

    fn store_comp(&mut self, kind: ScopeKind, collection_stack_index: u32) {
        let (n, t) = match kind {
            ScopeKind::ListComp => (0, op::STORE_COMP_LIST),
            ScopeKind::DictComp => (1, op::STORE_COMP_DICT),
            _ => (0, op::STORE_COMP_SET),
        };
        let arg = (u64::from(collection_stack_index + n) << 2) | u64::from(t);
        self.with_uint(-1 - n as i32, op::STORE_COMP, arg);
    }

    fn unpack_sequence(&mut self, n: u32) {
        self.with_uint(n as i32 - 1, op::UNPACK_SEQUENCE, u64::from(n));
    }

    fn unpack_ex(&mut self, n_left: u32, n_right: u32) {
        self.with_uint((n_left + n_right) as i32, op::UNPACK_EX, u64::from(n_left | (n_right << 8)));
    }

    fn make_function(&mut self, child: RawCode, n_pos_defaults: u32, n_kw_defaults: u32) {
        if n_pos_defaults == 0 && n_kw_defaults == 0 {
            self.with_child(1, op::MAKE_FUNCTION, child, None);
        } else {
            self.with_child(-1, op::MAKE_FUNCTION_DEFARGS, child, None);
        }
    }

    fn make_closure(&mut self, child: RawCode, n_closed_over: u32, n_pos_defaults: u32, n_kw_defaults: u32) {
        let n = n_closed_over.min(255);
        if n_pos_defaults == 0 && n_kw_defaults == 0 {
            self.with_child(1 - n as i32, op::MAKE_CLOSURE, child, Some(n as u8));
        } else {
            self.with_child(-1 - n as i32, op::MAKE_CLOSURE_DEFARGS, child, Some(n as u8));
        }
    }

    fn call_function(&mut self, n_positional: u32, n_keyword: u32, star_flags: u8) {
        call_helper(self, 0, op::CALL_FUNCTION, n_positional, n_keyword, star_flags);
    }

    fn call_method(&mut self, n_positional: u32, n_keyword: u32, star_flags: u8) {
        call_helper(self, -1, op::CALL_METHOD, n_positional, n_keyword, star_flags);
    }

    fn return_value(&mut self) {
        self.byte(-1, op::RETURN_VALUE);
        self.suppress = true;
    }

    fn raise_varargs(&mut self, n_args: u32) {
        let n = n_args.min(2);
        self.byte(-(n as i32), op::RAISE_LAST + n as u8);
        self.suppress = true;
    }

    fn yield_(&mut self, kind: YieldKind) {
        match kind {
            YieldKind::Value => self.byte(0, op::YIELD_VALUE),
            YieldKind::From => self.byte(-1, op::YIELD_FROM),
        }
        self.extra_flags |= scope_flags::GENERATOR;
    }

    fn start_except_handler(&mut self) {
        self.adjust(4);
    }

    fn end_except_handler(&mut self) {
        self.adjust(-3);
    }

    fn promote_names_to_global(&mut self, names: &[String]) {
        let promoted: Vec<bool> =
            (0..self.string_ends.len()).map(|i| names.iter().any(|n| n == self.string(i))).collect();
        for ins in self.code.iter_mut() {
            if let Ins::Qstr(b, q) = ins {
                if promoted.get(*q as usize).copied().unwrap_or(false) {
                    *b = match *b {
                        op::LOAD_NAME => op::LOAD_GLOBAL,
                        op::STORE_NAME => op::STORE_GLOBAL,
                        op::DELETE_NAME => op::DELETE_GLOBAL,
                        other => other,
                    };
                }
            }
        }
    }
}

fn call_helper(e: &mut BytecodeEmitter, base_adj: i32, b: u8, n_pos: u32, n_kw: u32, star_flags: u8) {
    let arg = u64::from((n_kw << 8) | n_pos);
    if star_flags != 0 {
        e.with_uint(base_adj - n_pos as i32 - 2 * n_kw as i32 - 1, b + 1, arg);
    } else {
        e.with_uint(base_adj - n_pos as i32 - 2 * n_kw as i32, b, arg);
    }
}

#[cfg(test)]
mod tests;
