//! The generic native/viper emitter: implements the compiler's [`Emit`] trait
//! over any [`Asm`].
//!
//! Recording and lowering are two phases. While the compiler walks a scope, each
//! [`Emit`] call is checked (viper types) and recorded as [`ir::Ir`] with its
//! static stack position; [`Emit::end_scope`] then lowers the whole scope with
//! the ISA's assembler ([`lower`]), once the module's tables, the frame size and
//! all labels are known.
//!
//! The frame model (the runtime's, see `ferropy_bytecode::native_abi`): objects
//! live in the frame's state slots exactly where bytecode would keep them, so
//! the runtime's generic helper can run any operation with bytecode semantics
//! (calls, imports, exceptions, generators, closures), while locals, constants,
//! stack shuffles, jumps and small-int arithmetic and comparisons run inline.
//! Viper's native values live in a second array of machine words.

mod bound;
pub mod copies;
mod hoist;
mod homes;
pub mod ir;
mod items;
mod lower;
#[cfg(test)]
mod lower_tests;
mod lower_viper;
mod magic;
mod prelude;
pub mod range;
mod record;
pub mod select;
pub mod viper;

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::marker::PhantomData;

use ferropy_bytecode::code::scope_flags;
use ferropy_bytecode::{CodeKind, ConstObj, RawCode};
use ferropy_frontend::emit::{BlockKind, Emit, EmitterKind, Label, NativeEmitterFactory, QstrTable, ScopeInfo};
use ferropy_frontend::CompileError;

use crate::asm::Asm;
use ir::{Arg, Ir};
use viper::VType;

/// Builds a fresh assembler for each function (the emitter is generic over it).
pub trait AsmFactory: Asm + Sized {
    /// A new, empty assembler.
    fn new_asm() -> Self;
    /// The `.mpy` architecture code of this ISA (`ferropy_bytecode::mpy::arch`).
    const MPY_ARCH: u8;
}

/// A scope's single-pass machine code, as an optimizing tier sees it.
#[derive(Debug)]
pub struct SinglePass<'a> {
    /// The machine code (without the prelude).
    pub code: &'a [u8],
    /// Where each IR operation starts in `code`. The function's line table
    /// is built from these offsets, so code that reports these positions to
    /// the runtime gets the same tracebacks.
    pub op_offsets: &'a [usize],
}

/// Machine code for a viper function from another code generator (an
/// optimizing tier), given the same recorded [`Ir`] the single-pass lowering
/// reads, after the single-pass lowering.
pub trait ViperLowering: Send + Sync {
    /// The code replacing `single_pass` for a scope with `n_state` slots, or
    /// `None` to keep the single-pass code (the implementation logs why).
    fn lower(&self, ir: &[Ir], n_state: u32, single_pass: &SinglePass<'_>) -> Option<Vec<u8>>;
}

/// The native/viper emitter for one scope.
pub struct NativeEmitter<A: AsmFactory> {
    kind: EmitterKind,
    /// The optimizing tier for viper scopes, if any.
    opt: Option<Arc<dyn ViperLowering>>,
    info: Option<ScopeInfo>,
    ir: Vec<Ir>,
    /// Static stack depth and its maximum.
    sp: i32,
    max_sp: i32,
    /// The value types on the model stack (all objects outside viper).
    vstack: Vec<VType>,
    /// Which model stack entries are viper immediates (constants and casts of them).
    vimm: Vec<bool>,
    /// Type of the value a `JUMP_IF_*_OR_POP` left on the stack where it
    /// jumps (MicroPython's rule: restored by the compiler's `adjust_stack_size(1)`).
    saved_vtype: VType,
    /// Viper types of the locals, once known.
    local_types: Vec<Option<VType>>,
    /// Compile-time exception-block stack (kinds of the open blocks).
    blocks: Vec<BlockKind>,
    max_blocks: u32,
    /// Handler labels of `finally`/`with` blocks.
    finally_labels: Vec<Label>,
    children: Vec<RawCode>,
    suppress: bool,
    generator: bool,
    line: u32,
    error: Option<CompileError>,
    /// Set once a statement after the one with a `ViperTypeError` starts:
    /// MicroPython stops compiling the scope there, so later errors are not
    /// reported.
    error_final: bool,
    /// The error's line was claimed by the statement that found it.
    error_line_claimed: bool,
    _asm: PhantomData<A>,
}

impl<A: AsmFactory> NativeEmitter<A> {
    /// An emitter producing `kind` code (native or viper).
    pub fn new(kind: EmitterKind) -> Self {
        NativeEmitter {
            kind,
            opt: None,
            info: None,
            ir: Vec::new(),
            sp: 0,
            max_sp: 0,
            vstack: Vec::new(),
            vimm: Vec::new(),
            saved_vtype: VType::Object,
            local_types: Vec::new(),
            blocks: Vec::new(),
            max_blocks: 0,
            finally_labels: Vec::new(),
            children: Vec::new(),
            suppress: false,
            generator: false,
            line: 0,
            error: None,
            error_final: false,
            error_line_claimed: false,
            _asm: PhantomData,
        }
    }

    /// A viper emitter whose scopes are lowered by `opt` when it can.
    pub fn with_viper_lowering(kind: EmitterKind, opt: Arc<dyn ViperLowering>) -> Self {
        NativeEmitter { opt: Some(opt), ..Self::new(kind) }
    }

    fn is_viper(&self) -> bool {
        self.kind == EmitterKind::Viper
    }

    /// Records a compile error. As in MicroPython, compilation of the scope
    /// goes on after a `ViperTypeError` and a later one replaces it (so the
    /// reported error is the scope's last); any other error is final.
    fn fail(&mut self, kind: ferropy_frontend::error::ErrorKind, msg: String) {
        use ferropy_frontend::error::ErrorKind;
        let replaceable = !self.error_final && self.error.as_ref().is_none_or(|e| e.kind == ErrorKind::ViperTypeError);
        if replaceable {
            let pos = ferropy_frontend::token::Pos { line: self.line.max(1), col: 1 };
            self.error = Some(CompileError::new(kind, msg, pos));
            self.error_line_claimed = false;
        }
    }

    /// Records a `NotImplementedError` that MicroPython's emitter raises on
    /// the spot (`native yield`, `casting`...): reported without a
    /// traceback entry, as MicroPython reports it.
    fn refuse(&mut self, msg: &str) {
        let kind = ferropy_frontend::error::ErrorKind::NotImplementedError;
        self.fail(kind, String::from(msg));
        if let Some(e) = self.error.as_mut().filter(|e| e.kind == kind && e.msg == msg) {
            e.traceback = false;
        }
    }

    fn sp(&self) -> u32 {
        self.sp.max(0) as u32
    }

    /// Moves the model stack by `delta`; pushed entries are objects.
    fn adjust(&mut self, delta: i32) {
        self.sp += delta;
        if self.sp < 0 {
            self.fail(ferropy_frontend::error::ErrorKind::SyntaxError, String::from("internal error: stack underflow"));
            self.sp = 0;
        }
        self.max_sp = self.max_sp.max(self.sp);
        self.vstack.resize(self.sp as usize, VType::Object);
        self.vimm.resize(self.sp as usize, false);
    }

    fn record(&mut self, ir: Ir) {
        if !self.suppress {
            self.ir.push(ir);
        }
    }

    /// Records a generic operation with stack effect `delta`.
    fn op(&mut self, opcode: u8, arg: Arg, delta: i32) {
        self.op_extra(opcode, 0, arg, delta);
    }

    fn op_extra(&mut self, opcode: u8, extra: u8, arg: Arg, delta: i32) {
        let sp = self.sp();
        self.record(Ir::Op { opcode, extra, sp, arg });
        self.adjust(delta);
    }

    /// True while a `finally` or `with` block is open (returns must unwind).
    fn in_finally(&self) -> bool {
        self.blocks.iter().any(|b| matches!(b, BlockKind::Finally | BlockKind::With))
    }
}

impl<A: AsmFactory> Emit for NativeEmitter<A> {
    fn start_scope(&mut self, info: ScopeInfo) {
        self.local_types = alloc::vec![None; info.num_locals as usize];
        self.line = info.def_line;
        if self.is_viper() {
            viper::start_scope(self, &info);
        }
        self.info = Some(info);
    }

    fn end_scope(&mut self, qstrs: &mut QstrTable, consts: &mut Vec<ConstObj>) -> Result<RawCode, CompileError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let Some(info) = self.info.take() else {
            return Err(CompileError::syntax("internal error: scope not started", Default::default()));
        };
        // Resolve strings and constants to module table indices.
        for ins in self.ir.iter_mut() {
            if let Ir::Op { arg, .. } = ins {
                match core::mem::replace(arg, Arg::None) {
                    Arg::Qstr(s) => *arg = Arg::Uint(qstrs.intern(&s) as usize),
                    Arg::Const(c) => *arg = Arg::Uint(ferropy_frontend::emit::intern_const(consts, c) as usize),
                    other => *arg = other,
                }
            }
        }
        // Locals the viper IR passes add (see `hoist`).
        let mut extra_locals = 0;
        if self.is_viper() {
            select::if_convert(&mut self.ir);
            copies::forward_local_copies(&mut self.ir);
            extra_locals = hoist::hoist_invariants(&mut self.ir, info.num_locals);
            // The rewrite keeps results and temporaries above the stack.
            let deepest = self.ir.iter().filter_map(deepest_stack_slot).max();
            if let Some(d) = deepest {
                self.max_sp = self.max_sp.max(d as i32 + 1);
            }
        }
        let n_locals = info.num_locals + extra_locals;
        // Room above the deepest stack for an unwind marker (see `LabelRole`).
        let n_state = (n_locals + self.max_sp.max(0) as u32 + 1).max(1);
        let mut flags = info.scope_flags & !(scope_flags::REFGLOBALS | scope_flags::HASCONSTS);
        if self.generator {
            flags |= scope_flags::GENERATOR;
        }
        let star = |flag: u16| u32::from(info.scope_flags & flag != 0);
        let n_params =
            info.num_pos_args + info.num_kwonly_args + star(scope_flags::VARARGS) + star(scope_flags::VARKEYWORDS);
        let mut lowered = lower::lower::<A>(&self.ir, n_state, n_params, self.is_viper())?;
        if let Some(opt) = self.opt.as_ref().filter(|_| self.is_viper()) {
            let single = SinglePass { code: &lowered.code, op_offsets: &lowered.op_offsets };
            if let Some(code) = opt.lower(&self.ir, n_state, &single) {
                lowered.code = code;
            }
        }
        let name_q = qstrs.intern(&info.simple_name);
        let param_qs: Vec<u32> = info.param_names.iter().map(|p| qstrs.intern(p)).collect();
        let prelude = prelude::encode(
            &prelude::PreludeParams {
                n_state,
                n_exc_stack: self.max_blocks,
                scope_flags: flags,
                n_pos_args: info.num_pos_args,
                n_kwonly_args: info.num_kwonly_args,
                n_def_pos_args: info.num_def_pos_args,
                name_qstr: name_q,
                param_qstrs: &param_qs,
                cells: &info.cells,
            },
            &lowered.lines,
        );
        let mut code = lowered.code;
        let prelude_offset = code.len();
        code.extend_from_slice(&prelude);
        Ok(RawCode {
            kind: if self.is_viper() { CodeKind::Viper } else { CodeKind::Native },
            code,
            prelude_offset,
            scope_flags: flags,
            n_pos_args: info.num_pos_args,
            children: core::mem::take(&mut self.children),
        })
    }

    fn adjust_stack_size(&mut self, delta: i32) {
        self.adjust(delta);
        if delta == 1 {
            viper::set_top(self, 0, self.saved_vtype);
        }
    }

    fn claim_error_line(&mut self, line: u32) {
        if let Some(e) = self.error.as_mut().filter(|_| !self.error_line_claimed && line > 0) {
            e.pos.line = line;
            self.error_line_claimed = true;
        }
    }

    fn set_source_line(&mut self, line: u32) {
        if self.error.is_some() && line != self.line {
            self.error_final = true;
        }
        self.line = line;
        self.record(Ir::Line(line));
    }

    fn load_local(&mut self, name: &str, local_num: u32, kind: ferropy_frontend::emit::LocalKind) {
        record::load_local(self, name, local_num, kind);
    }

    fn load_global(&mut self, name: &str, kind: ferropy_frontend::emit::GlobalKind) {
        record::load_global(self, name, kind);
    }

    fn store_local(&mut self, name: &str, local_num: u32, kind: ferropy_frontend::emit::LocalKind) {
        record::store_local(self, name, local_num, kind);
    }

    fn store_global(&mut self, name: &str, kind: ferropy_frontend::emit::GlobalKind) {
        record::store_global(self, name, kind);
    }

    fn delete_local(&mut self, name: &str, local_num: u32, kind: ferropy_frontend::emit::LocalKind) {
        record::delete_local(self, name, local_num, kind);
    }

    fn delete_global(&mut self, name: &str, kind: ferropy_frontend::emit::GlobalKind) {
        record::delete_global(self, name, kind);
    }

    fn label_assign(&mut self, label: Label) {
        self.suppress = false;
        let role =
            if self.finally_labels.contains(&label) { ir::LabelRole::FinallyHandler } else { ir::LabelRole::Plain };
        let sp = self.sp();
        self.record(Ir::Label { label, role, sp });
    }

    fn import(&mut self, name: &str, kind: ferropy_frontend::emit::ImportKind) {
        record::import(self, name, kind);
    }

    fn load_const_tok(&mut self, tok: ferropy_frontend::emit::ConstTok) {
        record::load_const_tok(self, tok);
    }

    fn load_const_small_int(&mut self, value: i64) {
        record::load_const_small_int(self, value);
    }

    fn load_const_str(&mut self, s: &str) {
        record::load_const_str(self, s);
    }

    fn load_const_obj(&mut self, obj: ConstObj) {
        record::load_const_obj(self, obj);
    }

    fn load_null(&mut self) {
        record::load_null(self);
    }

    fn load_method(&mut self, name: &str, is_super: bool) {
        record::load_method(self, name, is_super);
    }

    fn load_build_class(&mut self) {
        record::load_build_class(self);
    }

    fn subscr(&mut self, kind: ferropy_frontend::emit::AccessKind) {
        record::subscr(self, kind);
    }

    fn attr(&mut self, name: &str, kind: ferropy_frontend::emit::AccessKind) {
        record::attr(self, name, kind);
    }

    fn dup_top(&mut self) {
        record::dup_top(self);
    }

    fn dup_top_two(&mut self) {
        record::dup_top_two(self);
    }

    fn pop_top(&mut self) {
        record::pop_top(self);
    }

    fn rot_two(&mut self) {
        record::rot_two(self);
    }

    fn rot_three(&mut self) {
        record::rot_three(self);
    }

    fn jump(&mut self, label: Label) {
        self.record(Ir::Jump { label });
        self.suppress = true;
    }

    fn pop_jump_if(&mut self, cond: bool, label: Label) {
        record::cond_jump(self, cond, true, label);
    }

    fn jump_if_or_pop(&mut self, cond: bool, label: Label) {
        record::cond_jump(self, cond, false, label);
    }

    fn unwind_jump(&mut self, label: Label, except_depth: u32, break_from_for: bool) {
        record::unwind_jump(self, label, except_depth, break_from_for);
    }

    fn setup_block(&mut self, label: Label, kind: BlockKind) {
        record::setup_block(self, label, kind);
    }

    fn with_cleanup(&mut self, label: Label) {
        record::with_cleanup(self, label);
    }

    fn async_with_setup_finally(&mut self, aexit_no_exc: Label, finally_block: Label, ret_unwind_jump: Label) {
        record::async_with_setup_finally(self, aexit_no_exc, finally_block, ret_unwind_jump);
    }

    fn end_finally(&mut self) {
        record::end_finally(self);
    }

    fn get_iter(&mut self, use_stack: bool) {
        record::get_iter(self, use_stack);
    }

    fn for_iter(&mut self, label: Label) {
        record::for_iter(self, label);
    }

    fn for_iter_end(&mut self) {
        self.adjust(-4);
    }

    fn pop_except_jump(&mut self, label: Label, _within_exc_handler: bool) {
        record::pop_except_jump(self, label);
    }

    fn unary_op(&mut self, op: u8) {
        record::unary_op(self, op);
    }

    fn binary_op(&mut self, op: ferropy_frontend::emit::BinaryOp) {
        record::binary_op(self, op);
    }

    fn build(&mut self, n: u32, kind: ferropy_frontend::emit::BuildKind) {
        record::build(self, n, kind);
    }

    fn store_map(&mut self) {
        record::store_map(self);
    }

    fn store_comp(&mut self, kind: ferropy_frontend::emit::ScopeKind, collection_stack_index: u32) {
        record::store_comp(self, kind, collection_stack_index);
    }

    fn unpack_sequence(&mut self, n: u32) {
        record::unpack_sequence(self, n);
    }

    fn unpack_ex(&mut self, n_left: u32, n_right: u32) {
        record::unpack_ex(self, n_left, n_right);
    }

    fn make_function(&mut self, child: RawCode, n_pos_defaults: u32, n_kw_defaults: u32) {
        record::make_function(self, child, n_pos_defaults, n_kw_defaults);
    }

    fn make_closure(&mut self, child: RawCode, n_closed_over: u32, n_pos_defaults: u32, n_kw_defaults: u32) {
        record::make_closure(self, child, n_closed_over, n_pos_defaults, n_kw_defaults);
    }

    fn call_function(&mut self, n_positional: u32, n_keyword: u32, star_flags: u8) {
        record::call(self, false, n_positional, n_keyword, star_flags);
    }

    fn call_method(&mut self, n_positional: u32, n_keyword: u32, star_flags: u8) {
        record::call(self, true, n_positional, n_keyword, star_flags);
    }

    fn return_value(&mut self) {
        record::return_value(self);
    }

    fn raise_varargs(&mut self, n_args: u32) {
        record::raise_varargs(self, n_args);
    }

    fn yield_(&mut self, kind: ferropy_frontend::emit::YieldKind) {
        record::yield_(self, kind);
    }

    fn start_except_handler(&mut self) {
        self.adjust(4);
    }

    fn end_except_handler(&mut self) {
        self.adjust(-3);
    }

    fn promote_names_to_global(&mut self, names: &[String]) {
        record::promote_names_to_global(self, names);
    }
}

/// Creates native and viper emitters for one ISA (plug into the compiler's
/// `CompileOptions::native`).
pub struct Factory<A: AsmFactory>(PhantomData<fn() -> A>, Option<Arc<dyn ViperLowering>>);

impl<A: AsmFactory> Factory<A> {
    /// A factory for `A`'s emitters.
    pub const fn new() -> Self {
        Factory(PhantomData, None)
    }

    /// A factory whose viper functions go through `opt` (an optimizing tier;
    /// anything it declines gets the single-pass code).
    pub fn with_viper_lowering(opt: Arc<dyn ViperLowering>) -> Self {
        Factory(PhantomData, Some(opt))
    }
}

impl<A: AsmFactory> Default for Factory<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: AsmFactory + 'static> NativeEmitterFactory for Factory<A> {
    fn new_emitter(&self, kind: EmitterKind) -> Option<Box<dyn Emit>> {
        match kind {
            EmitterKind::Viper if self.1.is_some() => {
                let opt = self.1.clone()?;
                Some(Box::new(NativeEmitter::<A>::with_viper_lowering(kind, opt)))
            }
            EmitterKind::Native | EmitterKind::Viper => Some(Box::new(NativeEmitter::<A>::new(kind))),
            EmitterKind::Bytecode => None,
        }
    }
}

/// The deepest stack slot a viper operation names.
fn deepest_stack_slot(ins: &Ir) -> Option<u32> {
    let Ir::Viper(v) = ins else { return None };
    v.slots()
        .filter_map(|s| match s {
            viper::Slot::Stack(k) => Some(k),
            viper::Slot::Local(_) => None,
        })
        .max()
}
