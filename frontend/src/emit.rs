//! The [`Emit`] trait: the operations a code emitter offers the compiler.
//!
//! The set of operations follows MicroPython's emitter method table (`py/emit.h`),
//! so the compiler drives the bytecode emitter and the native/viper emitters
//! (which live in other crates) the same way. One emitter instance compiles one
//! scope: [`Emit::start_scope`] receives everything known about the scope, the
//! compiler then calls the operations in code order, and [`Emit::end_scope`]
//! returns the finished [`RawCode`]. Nested functions are compiled by their own
//! emitter first; their `RawCode` is then handed to the parent's
//! [`Emit::make_function`] / [`Emit::make_closure`].
//!
//! Stack notation in the docs: `a b -> c` (rightmost is the top of the stack).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use ferropy_bytecode::{ConstObj, RawCode};

use crate::error::CompileError;

/// A jump target, numbered by the compiler per scope from 0.
pub type Label = u32;

/// The kind of scope being compiled (MicroPython's `scope_kind_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The module's top-level code.
    Module,
    /// A class body.
    Class,
    /// A lambda.
    Lambda,
    /// A list comprehension.
    ListComp,
    /// A dict comprehension.
    DictComp,
    /// A set comprehension.
    SetComp,
    /// A generator expression.
    GenExpr,
    /// A `def` function.
    Function,
}

impl ScopeKind {
    /// True for function-like scopes (lambda, comprehensions, functions).
    pub fn is_func_like(self) -> bool {
        !matches!(self, ScopeKind::Module | ScopeKind::Class)
    }

    /// True for comprehension and generator-expression scopes.
    pub fn is_comp_like(self) -> bool {
        matches!(self, ScopeKind::ListComp | ScopeKind::DictComp | ScopeKind::SetComp | ScopeKind::GenExpr)
    }
}

/// Which code generator a scope uses (MicroPython's emit options).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EmitterKind {
    /// MicroPython bytecode.
    #[default]
    Bytecode,
    /// `@micropython.native` machine code.
    Native,
    /// `@micropython.viper` machine code.
    Viper,
}

/// Viper type codes of parameters and return values (`MP_NATIVE_TYPE_*`; the
/// codes are defined once, in `ferropy_bytecode::native_abi::vtype`).
pub mod viper_type {
    pub use ferropy_bytecode::native_abi::vtype::*;

    /// The type code named by a viper annotation identifier, if it is one.
    pub fn from_name(name: &str) -> Option<u8> {
        Some(match name {
            "object" => OBJECT,
            "bool" => BOOL,
            "int" => INT,
            "uint" => UINT,
            "ptr" => PTR,
            "ptr8" => PTR8,
            "ptr16" => PTR16,
            "ptr32" => PTR32,
            _ => return None,
        })
    }
}

/// One local variable slot of a scope, as the emitter needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalInfo {
    /// The variable's name.
    pub name: String,
    /// Its local number (slot index).
    pub local_num: u32,
    /// True when it is a parameter.
    pub is_param: bool,
    /// True when the slot holds a cell (converted at entry, listed in the prelude).
    pub is_cell: bool,
    /// True when it is a free variable passed in by the enclosing function.
    pub is_free: bool,
    /// The viper type of a parameter (`viper_type::OBJECT` when unannotated).
    pub viper_type: u8,
}

/// Everything an emitter learns about a scope when it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeInfo {
    /// What kind of scope this is.
    pub kind: ScopeKind,
    /// The scope's simple name (`<module>`, `<lambda>`, the function name...).
    pub simple_name: String,
    /// Which emitter was selected for the scope.
    pub emitter: EmitterKind,
    /// Scope flags (`ferropy_bytecode::code::scope_flags`), possibly updated later by yield.
    pub scope_flags: u16,
    /// Number of positional parameters (free variables included, as MicroPython counts them).
    pub num_pos_args: u32,
    /// Number of keyword-only parameters.
    pub num_kwonly_args: u32,
    /// Number of positional parameters with defaults.
    pub num_def_pos_args: u32,
    /// Number of local slots.
    pub num_locals: u32,
    /// Parameter names by position (`num_pos_args + num_kwonly_args` entries; `*` where unnamed).
    pub param_names: Vec<String>,
    /// The local slots (parameters, locals, cells, frees) in MicroPython's id order.
    pub locals: Vec<LocalInfo>,
    /// Local numbers to convert into cells at entry, in MicroPython's order.
    pub cells: Vec<u32>,
    /// Viper return type (`viper_type::OBJECT` when unannotated).
    pub viper_return_type: u8,
    /// Line of the scope's definition.
    pub def_line: u32,
}

/// Load/store/delete of a local: a plain slot or a cell's contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    /// A fast local slot.
    Fast,
    /// The contents of a cell held in the slot.
    Deref,
}

/// Load/store/delete of a non-local name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalKind {
    /// Look in locals dict, then globals, then builtins (`*_NAME`).
    Name,
    /// Look in globals then builtins (`*_GLOBAL`).
    Global,
}

/// The three import operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// `level fromlist -> module` (IMPORT_NAME).
    Name,
    /// `module -> module attr` (IMPORT_FROM).
    From,
    /// `module ->` (IMPORT_STAR).
    Star,
}

/// The constant tokens loaded by [`Emit::load_const_tok`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstTok {
    /// `None`
    None,
    /// `False`
    False,
    /// `True`
    True,
    /// `...`
    Ellipsis,
}

/// Load, store or delete (for subscripts and attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKind {
    /// Read.
    Load,
    /// Write.
    Store,
    /// Delete.
    Delete,
}

/// The kinds of exception block set up by [`Emit::setup_block`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A `with` block (SETUP_WITH).
    With,
    /// A `try`/`except` block (SETUP_EXCEPT).
    Except,
    /// A `try`/`finally` block (SETUP_FINALLY).
    Finally,
}

/// What [`Emit::build`] builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildKind {
    /// A tuple from n items.
    Tuple,
    /// A list from n items.
    List,
    /// An empty dict with a size hint of n.
    Map,
    /// A set from n items.
    Set,
    /// A slice from 2 or 3 items.
    Slice,
}

/// Binary operators as the compiler emits them: MicroPython's operator numbers
/// 0..=34, plus the compiler-only `NOT_IN` and `IS_NOT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// A bytecode-level operator number (`ferropy_bytecode::opcode::binary`).
    Op(u8),
    /// `not in` (emitted as IN followed by NOT).
    NotIn,
    /// `is not` (emitted as IS followed by NOT).
    IsNot,
}

/// The two yield operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YieldKind {
    /// `v -> sent` (YIELD_VALUE).
    Value,
    /// `gen send -> result` (YIELD_FROM).
    From,
}

/// Star-argument flags of a call (`MP_EMIT_STAR_FLAG_*`).
pub mod star_flag {
    /// At least one `*arg`: a star bitmap is on the stack.
    pub const SINGLE: u8 = 0x01;
    /// At least one `**arg`.
    pub const DOUBLE: u8 = 0x02;
}

/// The operations a code emitter offers the compiler. Object safe: the compiler
/// holds emitters as `Box<dyn Emit>`.
///
/// Emitters record errors (such as viper type errors) internally and report the
/// first one from [`Emit::end_scope`].
pub trait Emit {
    /// Starts compiling a scope; `info` describes its parameters, locals and cells.
    fn start_scope(&mut self, info: ScopeInfo);
    /// Finishes the scope and returns its code. `qstrs`/`consts` are the module's
    /// tables (entry 0 of `qstrs` is the source file name); the emitter appends
    /// the strings and constants it uses and encodes indices into them.
    fn end_scope(&mut self, qstrs: &mut QstrTable, consts: &mut Vec<ConstObj>) -> Result<RawCode, CompileError>;
    /// Adjusts the tracked stack depth by `delta` without emitting code.
    fn adjust_stack_size(&mut self, delta: i32);
    /// Records that the following code comes from source line `line`.
    fn set_source_line(&mut self, line: u32);
    /// A statement at `line` has been compiled: an error this emitter found
    /// since the last claim takes that line (an emitter reporting errors
    /// only at the end of the scope overrides this; others have none).
    fn claim_error_line(&mut self, _line: u32) {}
    /// `-> v`: loads local `local_num` (named `name`).
    fn load_local(&mut self, name: &str, local_num: u32, kind: LocalKind);
    /// `-> v`: loads a global/builtin (or name) `name`.
    fn load_global(&mut self, name: &str, kind: GlobalKind);
    /// `v ->`: stores into local `local_num`.
    fn store_local(&mut self, name: &str, local_num: u32, kind: LocalKind);
    /// `v ->`: stores into the global (or name) `name`.
    fn store_global(&mut self, name: &str, kind: GlobalKind);
    /// Deletes local `local_num` (stack unchanged).
    fn delete_local(&mut self, name: &str, local_num: u32, kind: LocalKind);
    /// Deletes the global (or name) `name` (stack unchanged).
    fn delete_global(&mut self, name: &str, kind: GlobalKind);
    /// Places `label` at the current position.
    fn label_assign(&mut self, label: Label);
    /// Import operations: Name `level fromlist -> module`, From `module -> module attr`, Star `module ->`.
    fn import(&mut self, name: &str, kind: ImportKind);
    /// `-> c`: loads None/False/True/Ellipsis.
    fn load_const_tok(&mut self, tok: ConstTok);
    /// `-> int`: loads a small integer.
    fn load_const_small_int(&mut self, value: i64);
    /// `-> str`: loads an interned string.
    fn load_const_str(&mut self, s: &str);
    /// `-> obj`: loads a constant object.
    fn load_const_obj(&mut self, obj: ConstObj);
    /// `-> NULL`
    fn load_null(&mut self);
    /// `obj -> meth self` (or, for super, `super cls self -> meth self`).
    fn load_method(&mut self, name: &str, is_super: bool);
    /// `-> __build_class__`
    fn load_build_class(&mut self);
    /// Load `base index -> v`; store `v base index ->`; delete `base index ->`.
    fn subscr(&mut self, kind: AccessKind);
    /// Load `obj -> v`; store `v obj ->`; delete `obj ->`.
    fn attr(&mut self, name: &str, kind: AccessKind);
    /// `a -> a a`
    fn dup_top(&mut self);
    /// `a b -> a b a b`
    fn dup_top_two(&mut self);
    /// `a ->`
    fn pop_top(&mut self);
    /// `a b -> b a`
    fn rot_two(&mut self);
    /// `a b c -> c a b`
    fn rot_three(&mut self);
    /// Unconditional jump (stack unchanged).
    fn jump(&mut self, label: Label);
    /// `v ->`: jumps when `v`'s truth equals `cond`.
    fn pop_jump_if(&mut self, cond: bool, label: Label);
    /// `v -> v` and jump when `v`'s truth equals `cond`, else `v ->`.
    fn jump_if_or_pop(&mut self, cond: bool, label: Label);
    /// break/continue to `label` out of `except_depth` exception blocks
    /// (`break_from_for`: also drop a for-loop iterator).
    fn unwind_jump(&mut self, label: Label, except_depth: u32, break_from_for: bool);
    /// Pushes an exception block with handler `label` (With: `ctx -> exit ctx as_value`).
    fn setup_block(&mut self, label: Label, kind: BlockKind);
    /// Ends a `with` body: pushes None, places `label` (the handler) and calls `__exit__`.
    fn with_cleanup(&mut self, label: Label);
    /// The dispatch code at the end of an `async with` body (see compile.c).
    fn async_with_setup_finally(&mut self, aexit_no_exc: Label, finally_block: Label, ret_unwind_jump: Label);
    /// `x ->`: ends a finally block (pops the exception block and acts on `x`).
    fn end_finally(&mut self);
    /// `obj -> iter`, or with `use_stack` `obj -> iter(4 slots)`.
    fn get_iter(&mut self, use_stack: bool);
    /// `iter -> iter next`, jumping to `label` when exhausted (dropping the iterator).
    fn for_iter(&mut self, label: Label);
    /// Accounts for the iterator slots dropped at the end of a for loop.
    fn for_iter_end(&mut self);
    /// Pops the innermost exception block and jumps to `label`.
    fn pop_except_jump(&mut self, label: Label, within_exc_handler: bool);
    /// `a -> op(a)`; `op` is a unary operator number (`opcode::unary`).
    fn unary_op(&mut self, op: u8);
    /// `a b -> op(a, b)`.
    fn binary_op(&mut self, op: BinaryOp);
    /// `x1..xn -> obj` (for Map: `-> dict`).
    fn build(&mut self, n: u32, kind: BuildKind);
    /// `dict value key -> dict`
    fn store_map(&mut self);
    /// Comprehension store into the collection `collection_stack_index` slots down:
    /// `item ->` (list/set) or `value key ->` (dict).
    fn store_comp(&mut self, kind: ScopeKind, collection_stack_index: u32);
    /// `seq -> xn..x1`
    fn unpack_sequence(&mut self, n: u32);
    /// `seq -> ...`: `n_left + 1 + n_right` items, the middle a list.
    fn unpack_ex(&mut self, n_left: u32, n_right: u32);
    /// `-> fn` (with defaults: `deftuple defdict -> fn`).
    fn make_function(&mut self, child: RawCode, n_pos_defaults: u32, n_kw_defaults: u32);
    /// `c1..cn -> fn` (with defaults: `deftuple defdict c1..cn -> fn`).
    fn make_closure(&mut self, child: RawCode, n_closed_over: u32, n_pos_defaults: u32, n_kw_defaults: u32);
    /// `fn args.. kw.. [bitmap] -> result`
    fn call_function(&mut self, n_positional: u32, n_keyword: u32, star_flags: u8);
    /// `meth self args.. kw.. [bitmap] -> result`
    fn call_method(&mut self, n_positional: u32, n_keyword: u32, star_flags: u8);
    /// `v ->`: returns from the function.
    fn return_value(&mut self);
    /// Raises: 0 args re-raises, 1 `exc ->`, 2 `exc cause ->`.
    fn raise_varargs(&mut self, n_args: u32);
    /// Value: `v -> sent`; From: `gen send -> result`. Marks the scope a generator.
    fn yield_(&mut self, kind: YieldKind);
    /// Accounts for the exception (and unwind state) pushed when a handler is entered.
    fn start_except_handler(&mut self);
    /// Accounts for leaving an exception handler.
    fn end_except_handler(&mut self);
    /// Module scope only: names later declared `global` in a function become
    /// explicit globals, so their earlier `*_NAME` operations become `*_GLOBAL`
    /// (MicroPython sees the whole module first). Default: no change.
    fn promote_names_to_global(&mut self, _names: &[String]) {}
}

/// The module's qstr table: strings in index order with a lookup map.
#[derive(Clone, Debug, Default)]
pub struct QstrTable {
    strings: Vec<String>,
    index: crate::strmap::StrIndex,
}

impl QstrTable {
    /// A table whose entry 0 is the source file name.
    pub fn new(source_file: &str) -> Self {
        let mut t = QstrTable::default();
        t.intern(source_file);
        t
    }

    /// The index of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        let hash = crate::strmap::hash_str(s);
        let strings = &self.strings;
        if let Some(i) = self.index.find(hash, |i| strings.get(i).is_some_and(|k| k == s)) {
            return i as u32;
        }
        let i = self.strings.len();
        self.index.insert(hash, i);
        self.strings.push(String::from(s));
        i as u32
    }

    /// The strings in index order.
    pub fn into_vec(self) -> Vec<String> {
        self.strings
    }
}

/// Adds `obj` to the constant table (deduplicated with strict equality) and returns its index.
pub fn intern_const(consts: &mut Vec<ConstObj>, obj: ConstObj) -> u32 {
    if let Some(i) = consts.iter().position(|c| *c == obj) {
        return i as u32;
    }
    consts.push(obj);
    (consts.len() - 1) as u32
}

/// Creates native/viper emitters for the compiler (implemented by the native crates).
pub trait NativeEmitterFactory {
    /// A fresh emitter for one scope of the given kind, or `None` when the
    /// target cannot produce that kind of code.
    fn new_emitter(&self, kind: EmitterKind) -> Option<Box<dyn Emit>>;
}
