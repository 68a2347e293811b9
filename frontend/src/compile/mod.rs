//! The compiler: walks the AST and drives an [`Emit`] implementation, following
//! the code shapes of MicroPython's `py/compile.c`.
//!
//! The module's statements are taken one at a time from the parser; each is
//! scope-analysed (with everything nested in it) and compiled before the next
//! is read, so the module's tree never exists whole.

pub mod decorators;
mod expr;
pub mod fold;
mod func;
pub mod stmt;

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use ferropy_bytecode::{CompiledModule, ConstObj, RawCode};

use crate::ast::*;
use crate::emit::*;
use crate::emitbc::BytecodeEmitter;
use crate::error::{CompileError, ErrorKind, Result};
use crate::scope::{IdKind, ScopeArena};
use fold::Consts;

/// What kind of source is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A module (file input).
    File,
    /// A single expression (`eval`).
    Eval,
    /// REPL input: top-level expression statements print their value.
    Single,
}

/// Options of a compilation.
#[derive(Clone)]
pub struct CompileOptions {
    /// Optimisation level: >= 1 drops asserts and makes `__debug__` False; >= 3 drops line numbers.
    pub opt_level: u8,
    /// The default emitter for all code.
    pub emitter: EmitterKind,
    /// Bits of a small int on the target (mpy-cross default 31).
    pub small_int_bits: u8,
    /// Whether to write line-number tables.
    pub source_lines: bool,
    /// Creates native/viper emitters; without it native code is refused.
    pub native: Option<Arc<dyn NativeEmitterFactory + Send + Sync>>,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            opt_level: 0,
            emitter: EmitterKind::Bytecode,
            small_int_bits: 31,
            source_lines: true,
            native: None,
        }
    }
}

impl fmt::Debug for CompileOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompileOptions")
            .field("opt_level", &self.opt_level)
            .field("emitter", &self.emitter)
            .field("small_int_bits", &self.small_int_bits)
            .field("source_lines", &self.source_lines)
            .field("native", &self.native.is_some())
            .finish()
    }
}

/// Compiles source text into a module.
pub fn compile_source(source: &str, filename: &str, input: InputKind, opts: &CompileOptions) -> Result<CompiledModule> {
    match input {
        InputKind::Eval => {
            let e = crate::parser::parse_eval(source)?;
            compile_eval_ast(&e, filename, opts)
        }
        InputKind::Single => {
            let m = crate::parser::parse_single(source)?;
            let mut it = m.body.into_iter().map(|s| Ok(Some(s)));
            compile_statements(|| it.next().unwrap_or(Ok(None)), filename, true, opts)
        }
        InputKind::File => {
            let mut p = crate::parser::Parser::new(source);
            compile_statements(|| p.next_statement(), filename, false, opts)
        }
    }
}

/// Compiles source bytes (checked to be UTF-8) into a module.
pub fn compile_bytes(source: &[u8], filename: &str, input: InputKind, opts: &CompileOptions) -> Result<CompiledModule> {
    let text = crate::lexer::decode_source(source)?;
    compile_source(text, filename, input, opts)
}

/// Compiles an already parsed module.
pub fn compile_module_ast(
    module: &Module,
    filename: &str,
    input: InputKind,
    opts: &CompileOptions,
) -> Result<CompiledModule> {
    let mut it = module.body.iter().cloned().map(|s| Ok(Some(s)));
    compile_statements(|| it.next().unwrap_or(Ok(None)), filename, input == InputKind::Single, opts)
}

/// Compiles an already parsed expression as `eval` input.
pub fn compile_eval_ast(e: &Expr, filename: &str, opts: &CompileOptions) -> Result<CompiledModule> {
    let mut c = Compiler::new(filename, false, opts)?;
    c.prewalk_expr_consts();
    crate::scope::analyze(&mut c.arena, &[], &c.consts, opts.opt_level)?;
    let expr_stmt = Stmt { pos: e.pos, kind: StmtKind::Return(Some(e.clone())) };
    crate::scope::analyze(&mut c.arena, core::slice::from_ref(&expr_stmt), &c.consts, opts.opt_level)?;
    // Scopes are recorded against the analysed tree: compile that copy.
    let analysed = match &expr_stmt.kind {
        StmtKind::Return(Some(a)) => a,
        _ => e,
    };
    c.expr(analysed)?;
    c.cx.emit.return_value();
    c.finish()
}

/// Compiles statements pulled from `next` (None ends the module).
pub fn compile_statements(
    mut next: impl FnMut() -> Result<Option<Stmt>>,
    filename: &str,
    is_repl: bool,
    opts: &CompileOptions,
) -> Result<CompiledModule> {
    let mut c = Compiler::new(filename, is_repl, opts)?;
    while let Some(stmt) = next()? {
        c.module_statement(&stmt).map_err(|e| e.in_scope("<module>"))?;
    }
    c.cx.emit.load_const_tok(ConstTok::None);
    c.cx.emit.return_value();
    c.finish().map_err(|e| e.in_scope("<module>"))
}

/// Per-scope compiler state.
pub(crate) struct ScopeCtx {
    pub emit: Box<dyn Emit>,
    pub scope: usize,
    pub next_label: u32,
    pub break_label: Option<Label>,
    pub continue_label: Option<Label>,
    pub break_from_for: bool,
    pub break_continue_except_level: u32,
    pub except_level: u32,
    pub has_yield: bool,
}

/// The compiler's state for one module.
pub(crate) struct Compiler<'o> {
    pub opts: &'o CompileOptions,
    pub arena: ScopeArena,
    pub consts: Consts,
    pub qstrs: QstrTable,
    pub const_table: Vec<ConstObj>,
    pub interned: crate::strmap::StrSet,
    pub is_repl: bool,
    pub cx: ScopeCtx,
}

impl<'o> Compiler<'o> {
    fn new(filename: &str, is_repl: bool, opts: &'o CompileOptions) -> Result<Self> {
        let arena = ScopeArena::new(opts.emitter);
        let emit = new_emitter(opts, opts.emitter, Pos::new(1, 1))?;
        let mut c = Compiler {
            opts,
            arena,
            consts: Consts::new(),
            qstrs: QstrTable::new(filename),
            const_table: Vec::new(),
            interned: crate::strmap::StrSet::new(),
            is_repl,
            cx: ScopeCtx::new(emit, 0),
        };
        c.interned.insert(filename);
        let info = c.arena.scopes.first().map(|s| s.info_for_emitter());
        if let Some(info) = info {
            c.cx.emit.start_scope(info);
        }
        Ok(c)
    }

    fn prewalk_expr_consts(&mut self) {}

    fn module_statement(&mut self, stmt: &Stmt) -> Result<()> {
        self.register_consts(core::slice::from_ref(stmt))?;
        self.arena.reset_children();
        crate::scope::analyze(&mut self.arena, core::slice::from_ref(stmt), &self.consts, self.opts.opt_level)?;
        self.stmt(stmt)
    }

    fn finish(mut self) -> Result<CompiledModule> {
        let globals = core::mem::take(&mut self.arena.declared_global);
        if !globals.is_empty() {
            self.cx.emit.promote_names_to_global(&globals);
        }
        let root = self.cx.emit.end_scope(&mut self.qstrs, &mut self.const_table)?;
        Ok(CompiledModule { qstrs: self.qstrs.into_vec(), consts: self.const_table, root })
    }

    /// A fresh label of the current scope.
    pub(crate) fn new_label(&mut self) -> Label {
        let l = self.cx.next_label;
        self.cx.next_label += 1;
        l
    }

    /// The kind of the scope being compiled.
    pub(crate) fn scope_kind(&self) -> ScopeKind {
        self.arena.scopes.get(self.cx.scope).map(|s| s.kind).unwrap_or(ScopeKind::Module)
    }

    /// Records `X = const(v)` definitions, in source order.
    fn register_consts(&mut self, stmts: &[Stmt]) -> Result<()> {
        for s in stmts {
            match &s.kind {
                StmtKind::Assign { targets, value } => self.register_const(targets, value)?,
                StmtKind::AnnAssign { target, value: Some(v), .. } => {
                    self.register_const(core::slice::from_ref(target), v)?
                }
                StmtKind::If { branches, orelse } => {
                    for b in branches {
                        self.register_consts(&b.body)?;
                    }
                    self.register_consts(orelse)?;
                }
                StmtKind::While { body, orelse, .. } | StmtKind::For { body, orelse, .. } => {
                    self.register_consts(body)?;
                    self.register_consts(orelse)?;
                }
                StmtKind::With { body, .. } => self.register_consts(body)?,
                StmtKind::Try { body, handlers, orelse, finalbody } => {
                    self.register_consts(body)?;
                    for h in handlers {
                        self.register_consts(&h.body)?;
                    }
                    self.register_consts(orelse)?;
                    if let Some(f) = finalbody {
                        self.register_consts(f)?;
                    }
                }
                StmtKind::FunctionDef(f) => self.register_consts(&f.body)?,
                StmtKind::ClassDef(c) => self.register_consts(&c.body)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn register_const(&mut self, targets: &[Expr], value: &Expr) -> Result<()> {
        let [target] = targets else { return Ok(()) };
        let ExprKind::Name(name) = &target.kind else {
            return Ok(());
        };
        let Some(args) = fold::const_call_arg(value) else {
            return Ok(());
        };
        // MicroPython's parser has replaced the name with its value by now.
        self.not_a_const(name, target.pos, "can't assign to expression")?;
        let v = match args {
            [Arg::Positional(e)] => fold::fold_expr(e, &self.consts, self.opts.opt_level),
            _ => None,
        };
        match v {
            Some(v) => {
                self.consts.insert(alloc::string::String::from(&**name), v);
                Ok(())
            }
            None => Err(CompileError::syntax("not a constant", value.pos)),
        }
    }

    /// A `SyntaxError` (`message`) if `name` was defined with `const()`:
    /// MicroPython's parser replaces such a name with its value everywhere
    /// after the definition, so it cannot be assigned or deleted (where
    /// ferropy had stored into the name while reads still gave the constant).
    pub(crate) fn not_a_const(&self, name: &str, pos: crate::ast::Pos, message: &'static str) -> Result<()> {
        if self.consts.contains_key(name) {
            return Err(CompileError::syntax(message, pos));
        }
        Ok(())
    }

    /// Compiles a load of identifier `name` in the current scope.
    pub(crate) fn load_id(&mut self, name: &str) {
        match self.id_of(name) {
            IdRef::Name => self.cx.emit.load_global(name, GlobalKind::Name),
            IdRef::Global => self.cx.emit.load_global(name, GlobalKind::Global),
            IdRef::Fast(n) => self.cx.emit.load_local(name, n, LocalKind::Fast),
            IdRef::Deref(n) => self.cx.emit.load_local(name, n, LocalKind::Deref),
        }
    }

    /// Compiles a store to identifier `name`.
    pub(crate) fn store_id(&mut self, name: &str) {
        match self.id_of(name) {
            IdRef::Name => self.cx.emit.store_global(name, GlobalKind::Name),
            IdRef::Global => self.cx.emit.store_global(name, GlobalKind::Global),
            IdRef::Fast(n) => self.cx.emit.store_local(name, n, LocalKind::Fast),
            IdRef::Deref(n) => self.cx.emit.store_local(name, n, LocalKind::Deref),
        }
    }

    /// Compiles a delete of identifier `name`.
    pub(crate) fn delete_id(&mut self, name: &str) {
        match self.id_of(name) {
            IdRef::Name => self.cx.emit.delete_global(name, GlobalKind::Name),
            IdRef::Global => self.cx.emit.delete_global(name, GlobalKind::Global),
            IdRef::Fast(n) => self.cx.emit.delete_local(name, n, LocalKind::Fast),
            IdRef::Deref(n) => self.cx.emit.delete_local(name, n, LocalKind::Deref),
        }
    }

    fn id_of(&self, name: &str) -> IdRef {
        let Some(scope) = self.arena.scopes.get(self.cx.scope) else {
            return IdRef::Name;
        };
        match scope.find(name).and_then(|i| scope.ids.get(i)) {
            Some(id) => match id.kind {
                IdKind::GlobalExplicit => IdRef::Global,
                IdKind::Local => IdRef::Fast(id.local_num),
                IdKind::Cell | IdKind::Free => IdRef::Deref(id.local_num),
                _ => {
                    if scope.kind.is_func_like() {
                        IdRef::Global
                    } else {
                        IdRef::Name
                    }
                }
            },
            None => {
                if scope.kind.is_func_like() {
                    IdRef::Global
                } else {
                    IdRef::Name
                }
            }
        }
    }

    /// Compiles a nested scope with its own emitter and returns its code.
    pub(crate) fn compile_child(&mut self, sid: usize, body: func::ChildBody<'_>) -> Result<RawCode> {
        let (emitter_kind, pos) = match self.arena.scopes.get(sid) {
            Some(s) => (s.emitter, s.pos),
            None => return Err(CompileError::syntax("internal error: missing scope", Pos::default())),
        };
        let emit = new_emitter(self.opts, emitter_kind, pos)?;
        let saved = core::mem::replace(&mut self.cx, ScopeCtx::new(emit, sid));
        let info = self.arena.scopes.get(sid).map(|s| s.info_for_emitter());
        if let Some(info) = info {
            self.cx.emit.start_scope(info);
        }
        let r = self.child_body(sid, body);
        // An error no statement claimed is the definition's.
        self.cx.emit.claim_error_line(pos.line);
        let r = r.and_then(|_| self.cx.emit.end_scope(&mut self.qstrs, &mut self.const_table));
        self.cx = saved;
        r.map_err(|e| match self.arena.scopes.get(sid) {
            Some(s) => e.in_scope(&s.simple_name),
            None => e,
        })
    }
}

enum IdRef {
    Name,
    Global,
    Fast(u32),
    Deref(u32),
}

impl ScopeCtx {
    fn new(emit: Box<dyn Emit>, scope: usize) -> Self {
        ScopeCtx {
            emit,
            scope,
            next_label: 0,
            break_label: None,
            continue_label: None,
            break_from_for: false,
            break_continue_except_level: 0,
            except_level: 0,
            has_yield: false,
        }
    }
}

/// An emitter of the requested kind.
fn new_emitter(opts: &CompileOptions, kind: EmitterKind, pos: Pos) -> Result<Box<dyn Emit>> {
    match kind {
        EmitterKind::Bytecode => Ok(Box::new(BytecodeEmitter::new(opts.source_lines && opts.opt_level < 3))),
        EmitterKind::Native | EmitterKind::Viper => match opts.native.as_ref().and_then(|f| f.new_emitter(kind)) {
            Some(e) => Ok(e),
            None => Err(CompileError::new(
                ErrorKind::NotImplementedError,
                "cannot emit native code for this architecture",
                pos,
            )),
        },
    }
}

#[cfg(test)]
mod tests;
