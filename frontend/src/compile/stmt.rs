//! Statements.

use super::fold::{self, Consts};
use super::Compiler;
use crate::ast::*;
use crate::emit::*;
use crate::error::{CompileError, Result};
use ferropy_bytecode::opcode::binary;

/// The parts of `for x in range(...)` when MicroPython's counter loop applies.
pub struct RangeArgs<'a> {
    /// The start (None means 0).
    pub start: Option<&'a Expr>,
    /// The end.
    pub end: &'a Expr,
    /// The step (a small int).
    pub step: i64,
    /// True when the end is a small-int constant (not kept on the stack).
    pub end_is_small_int: bool,
}

fn small_int_of(e: &Expr, consts: &Consts, opt: u8) -> Option<i64> {
    match fold::fold_expr(e, consts, opt)? {
        fold::ConstVal::Int(i) if fits_small(i, 31) => Some(i),
        _ => None,
    }
}

/// True when `v` fits a small int of `bits` bits.
pub(crate) fn fits_small(v: i64, bits: u8) -> bool {
    let b = u32::from(bits.clamp(2, 63)) - 1;
    let lim = 1i64 << b;
    -lim <= v && v < lim
}

/// A generator expression written without its own parentheses (`f(x for x in y)`):
/// it starts where its element starts.
fn is_bare_genexp(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::GeneratorExp { elt, .. } if elt.pos == e.pos)
}

/// Whether `for target in iter` uses the counter-loop form, and its parts.
pub fn range_args<'a>(target: &Expr, iter: &'a Expr, consts: &Consts, opt: u8) -> Option<RangeArgs<'a>> {
    if !matches!(target.kind, ExprKind::Name(_)) {
        return None;
    }
    let ExprKind::Call { func, args } = &iter.kind else {
        return None;
    };
    let ExprKind::Name(n) = &func.kind else {
        return None;
    };
    if &**n != "range" || consts.contains_key(&**n) {
        return None;
    }
    let pos: alloc::vec::Vec<&Expr> = args
        .iter()
        .map_while(|a| match a {
            Arg::Positional(e) if !matches!(e.kind, ExprKind::NamedExpr { .. }) && !is_bare_genexp(e) => Some(e),
            _ => None,
        })
        .collect();
    if pos.len() != args.len() {
        return None;
    }
    let (start, end, step) = match pos.as_slice() {
        [end] => (None, *end, 1),
        [start, end] => (Some(*start), *end, 1),
        [start, end, step] => {
            let s = small_int_of(step, consts, opt)?;
            if s == 0 {
                return None;
            }
            (Some(*start), *end, s)
        }
        _ => return None,
    };
    Some(RangeArgs { start, end, step, end_is_small_int: small_int_of(end, consts, opt).is_some() })
}

impl Compiler<'_> {
    pub(crate) fn stmts(&mut self, stmts: &[Stmt]) -> Result<()> {
        for s in stmts {
            self.stmt(s)?;
            // An error the emitter found while this statement was compiled
            // (and no statement inside it claimed) is reported at its line,
            // as MicroPython reports it: only statements of a block of
            // several claim (a block of one is no list in its parse tree),
            // and a `for` loop's test, emitted after the body, belongs to
            // the `for`.
            if stmts.len() > 1 {
                self.cx.emit.claim_error_line(s.pos.line);
            }
        }
        Ok(())
    }

    pub(crate) fn stmt(&mut self, s: &Stmt) -> Result<()> {
        {
            // A decorated definition starts at its first decorator.
            let line = match &s.kind {
                StmtKind::FunctionDef(f) => f.decorators.first().map_or(s.pos.line, |d| d.pos.line.min(s.pos.line)),
                StmtKind::ClassDef(c) => c.decorators.first().map_or(s.pos.line, |d| d.pos.line.min(s.pos.line)),
                // `_X = const(v)` became a line-less `pass` in MicroPython's parser.
                StmtKind::Assign { targets, value } if fold::const_assign(targets, value) == Some(true) => 0,
                StmtKind::AnnAssign { target, value: Some(v), .. }
                    if fold::const_assign(core::slice::from_ref(target), v) == Some(true) =>
                {
                    0
                }
                _ => s.pos.line,
            };
            self.cx.emit.set_source_line(line);
        }
        match &s.kind {
            StmtKind::Expr(e) => {
                if self.is_repl && self.scope_kind() == ScopeKind::Module {
                    self.load_id("__repl_print__");
                    self.expr(e)?;
                    self.cx.emit.call_function(1, 0, 0);
                    self.cx.emit.pop_top();
                } else if !fold::is_const_expr_stmt(e)
                    && fold::fold_expr(e, &self.consts, self.opts.opt_level).is_none()
                {
                    self.expr(e)?;
                    self.cx.emit.pop_top();
                }
                Ok(())
            }
            StmtKind::Assign { targets, value } => self.assign_stmt(targets, value),
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value),
            StmtKind::AnnAssign { target, value, .. } => match value {
                None => Ok(()),
                Some(v) => self.assign_stmt(core::slice::from_ref(target), v),
            },
            StmtKind::Pass => Ok(()),
            StmtKind::Break | StmtKind::Continue => {
                let is_break = matches!(s.kind, StmtKind::Break);
                let label = if is_break { self.cx.break_label } else { self.cx.continue_label };
                let Some(label) = label else {
                    return Err(CompileError::syntax("'break'/'continue' outside loop", s.pos));
                };
                let depth = self.cx.except_level.saturating_sub(self.cx.break_continue_except_level);
                let from_for = is_break && self.cx.break_from_for;
                self.cx.emit.unwind_jump(label, depth, from_for);
                Ok(())
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete(t)?;
                }
                Ok(())
            }
            StmtKind::Return(v) => {
                if self.scope_kind() != ScopeKind::Function {
                    return Err(CompileError::syntax("'return' outside function", s.pos));
                }
                match v {
                    None => self.cx.emit.load_const_tok(ConstTok::None),
                    Some(Expr { kind: ExprKind::IfExp { test, body, orelse }, .. }) => {
                        let l_fail = self.new_label();
                        self.if_cond(test, false, l_fail)?;
                        self.expr(body)?;
                        self.cx.emit.return_value();
                        self.cx.emit.label_assign(l_fail);
                        self.expr(orelse)?;
                    }
                    Some(v) => self.expr(v)?,
                }
                self.cx.emit.return_value();
                Ok(())
            }
            StmtKind::Raise { exc, cause } => {
                match (exc, cause) {
                    (None, _) => self.cx.emit.raise_varargs(0),
                    (Some(e), None) => {
                        self.expr(e)?;
                        self.cx.emit.raise_varargs(1);
                    }
                    (Some(e), Some(c)) => {
                        self.expr(e)?;
                        self.expr(c)?;
                        self.cx.emit.raise_varargs(2);
                    }
                }
                Ok(())
            }
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => Ok(()),
            StmtKind::Assert { test, msg } => {
                if self.opts.opt_level != 0 {
                    return Ok(());
                }
                let l_end = self.new_label();
                self.if_cond(test, true, l_end)?;
                self.cx.emit.load_global("AssertionError", GlobalKind::Global);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.cx.emit.call_function(1, 0, 0);
                }
                self.cx.emit.raise_varargs(1);
                self.cx.emit.label_assign(l_end);
                Ok(())
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    self.cx.emit.load_const_small_int(0);
                    self.cx.emit.load_const_tok(ConstTok::None);
                    self.cx.emit.import(&a.name, ImportKind::Name);
                    match &a.asname {
                        Some(asname) => {
                            for part in a.name.split('.').skip(1) {
                                self.cx.emit.attr(part, AccessKind::Load);
                            }
                            self.store_id(asname);
                        }
                        None => {
                            let base = a.name.split('.').next().unwrap_or("");
                            self.store_id(base);
                        }
                    }
                }
                Ok(())
            }
            StmtKind::ImportFrom { module, names, level } => {
                let modname = module.as_deref().unwrap_or("");
                match names {
                    None => {
                        if self.scope_kind() != ScopeKind::Module {
                            return Err(CompileError::syntax("import * not at module level", s.pos));
                        }
                        self.cx.emit.load_const_small_int(i64::from(*level));
                        self.cx.emit.load_const_str("*");
                        self.cx.emit.build(1, BuildKind::Tuple);
                        self.cx.emit.import(modname, ImportKind::Name);
                        self.cx.emit.import("", ImportKind::Star);
                    }
                    Some(names) => {
                        self.cx.emit.load_const_small_int(i64::from(*level));
                        for a in names {
                            self.cx.emit.load_const_str(&a.name);
                        }
                        self.cx.emit.build(names.len() as u32, BuildKind::Tuple);
                        self.cx.emit.import(modname, ImportKind::Name);
                        for a in names {
                            self.cx.emit.import(&a.name, ImportKind::From);
                            self.store_id(a.asname.as_deref().unwrap_or(&a.name));
                        }
                        self.cx.emit.pop_top();
                    }
                }
                Ok(())
            }
            StmtKind::If { branches, orelse } => self.if_stmt(branches, orelse),
            StmtKind::While { test, body, orelse } => self.while_stmt(test, body, orelse),
            StmtKind::For { is_async: false, target, iter, body, orelse } => self.for_stmt(target, iter, body, orelse),
            StmtKind::For { is_async: true, target, iter, body, orelse } => {
                self.async_for(s.pos, target, iter, body, orelse)
            }
            StmtKind::With { is_async: false, items, body } => self.with_stmt(items, body),
            StmtKind::With { is_async: true, items, body } => self.async_with(s.pos, items, body),
            StmtKind::Try { body, handlers, orelse, finalbody } => match finalbody {
                Some(f) => self.try_finally(body, handlers, orelse, f),
                None => self.try_except(body, handlers, orelse),
            },
            StmtKind::FunctionDef(f) => self.function_def(f),
            StmtKind::ClassDef(c) => self.class_def(c),
        }
    }

    fn if_stmt(&mut self, branches: &[IfBranch], orelse: &[Stmt]) -> Result<()> {
        let l_end = self.new_label();
        let n = branches.len();
        for (i, b) in branches.iter().enumerate() {
            let truth = fold::truth(&b.test, &self.consts, self.opts.opt_level);
            if truth == Some(false) {
                continue;
            }
            let l_fail = self.new_label();
            self.if_cond(&b.test, false, l_fail)?;
            self.stmts(&b.body)?;
            if truth == Some(true) {
                self.cx.emit.label_assign(l_end);
                return Ok(());
            }
            // The `if` branch skips the jump when nothing follows it.
            if i > 0 || n > 1 || !orelse.is_empty() {
                self.cx.emit.jump(l_end);
            }
            self.cx.emit.label_assign(l_fail);
        }
        self.stmts(orelse)?;
        self.cx.emit.label_assign(l_end);
        Ok(())
    }

    fn start_loop(&mut self) -> (Option<Label>, Option<Label>, bool, u32, Label, Label) {
        let saved =
            (self.cx.break_label, self.cx.continue_label, self.cx.break_from_for, self.cx.break_continue_except_level);
        let b = self.new_label();
        let c = self.new_label();
        self.cx.break_label = Some(b);
        self.cx.continue_label = Some(c);
        self.cx.break_from_for = false;
        self.cx.break_continue_except_level = self.cx.except_level;
        (saved.0, saved.1, saved.2, saved.3, b, c)
    }

    fn end_loop(&mut self, saved: (Option<Label>, Option<Label>, bool, u32, Label, Label)) {
        self.cx.break_label = saved.0;
        self.cx.continue_label = saved.1;
        self.cx.break_from_for = saved.2;
        self.cx.break_continue_except_level = saved.3;
    }

    fn while_stmt(&mut self, test: &Expr, body: &[Stmt], orelse: &[Stmt]) -> Result<()> {
        let saved = self.start_loop();
        let (break_label, continue_label) = (saved.4, saved.5);
        let truth = fold::truth(test, &self.consts, self.opts.opt_level);
        if truth != Some(false) {
            let top = self.new_label();
            if truth != Some(true) {
                self.cx.emit.jump(continue_label);
            }
            self.cx.emit.label_assign(top);
            self.stmts(body)?;
            self.cx.emit.label_assign(continue_label);
            self.if_cond(test, true, top)?;
        }
        self.end_loop(saved);
        self.stmts(orelse)?;
        self.cx.emit.label_assign(break_label);
        Ok(())
    }

    fn for_stmt(&mut self, target: &Expr, iter: &Expr, body: &[Stmt], orelse: &[Stmt]) -> Result<()> {
        if let Some(r) = range_args(target, iter, &self.consts, self.opts.opt_level) {
            return self.for_range(target, r, body, orelse);
        }
        let saved = self.start_loop();
        let (break_label, continue_label) = (saved.4, saved.5);
        self.cx.break_from_for = true;
        let pop_label = self.new_label();
        self.expr(iter)?;
        self.cx.emit.get_iter(true);
        self.cx.emit.label_assign(continue_label);
        self.cx.emit.for_iter(pop_label);
        self.assign(target)?;
        self.stmts(body)?;
        self.cx.emit.jump(continue_label);
        self.cx.emit.label_assign(pop_label);
        self.cx.emit.for_iter_end();
        self.end_loop(saved);
        self.stmts(orelse)?;
        self.cx.emit.label_assign(break_label);
        Ok(())
    }

    fn for_range(&mut self, target: &Expr, r: RangeArgs<'_>, body: &[Stmt], orelse: &[Stmt]) -> Result<()> {
        let saved = self.start_loop();
        let (break_label, continue_label) = (saved.4, saved.5);
        let top = self.new_label();
        let entry = self.new_label();
        let end_on_stack = !r.end_is_small_int;
        if end_on_stack {
            self.expr(r.end)?;
        }
        match r.start {
            Some(s) => self.expr(s)?,
            None => self.cx.emit.load_const_small_int(0),
        }
        self.cx.emit.jump(entry);
        self.cx.emit.label_assign(top);
        self.cx.emit.dup_top();
        self.assign(target)?;
        self.stmts(body)?;
        self.cx.emit.label_assign(continue_label);
        self.cx.emit.load_const_small_int(r.step);
        self.cx.emit.binary_op(BinaryOp::Op(binary::INPLACE_ADD));
        self.cx.emit.label_assign(entry);
        if end_on_stack {
            self.cx.emit.dup_top_two();
            self.cx.emit.rot_two();
        } else {
            self.cx.emit.dup_top();
            self.expr(r.end)?;
        }
        let cmp = if r.step >= 0 { binary::LESS } else { binary::MORE };
        self.cx.emit.binary_op(BinaryOp::Op(cmp));
        self.cx.emit.pop_jump_if(true, top);
        self.end_loop(saved);
        let mut end_label = None;
        if !orelse.is_empty() {
            self.cx.emit.pop_top();
            if end_on_stack {
                self.cx.emit.pop_top();
            }
            self.stmts(orelse)?;
            let l = self.new_label();
            self.cx.emit.jump(l);
            self.cx.emit.adjust_stack_size(1 + i32::from(end_on_stack));
            end_label = Some(l);
        }
        self.cx.emit.label_assign(break_label);
        self.cx.emit.pop_top();
        if end_on_stack {
            self.cx.emit.pop_top();
        }
        if let Some(l) = end_label {
            self.cx.emit.label_assign(l);
        }
        Ok(())
    }

    pub(crate) fn increase_except_level(&mut self, label: Label, kind: BlockKind) {
        self.cx.emit.setup_block(label, kind);
        self.cx.except_level += 1;
    }

    pub(crate) fn decrease_except_level(&mut self) {
        self.cx.except_level = self.cx.except_level.saturating_sub(1);
        self.cx.emit.end_finally();
    }

    fn try_except(&mut self, body: &[Stmt], handlers: &[ExceptHandler], orelse: &[Stmt]) -> Result<()> {
        let l1 = self.new_label();
        let success = self.new_label();
        self.increase_except_level(l1, BlockKind::Except);
        self.stmts(body)?;
        self.cx.emit.pop_except_jump(success, false);
        self.cx.emit.label_assign(l1);
        self.cx.emit.start_except_handler();
        let l2 = self.new_label();
        let n = handlers.len();
        for (i, h) in handlers.iter().enumerate() {
            let end_finally_label = self.new_label();
            match &h.typ {
                None => {
                    if i + 1 != n {
                        return Err(CompileError::syntax("default 'except' must be last", h.pos));
                    }
                }
                Some(t) => {
                    self.cx.emit.dup_top();
                    self.expr(t)?;
                    self.cx.emit.binary_op(BinaryOp::Op(binary::EXCEPTION_MATCH));
                    self.cx.emit.pop_jump_if(false, end_finally_label);
                }
            }
            let name = if h.typ.is_some() { h.name.as_deref() } else { None };
            match name {
                None => self.cx.emit.pop_top(),
                Some(n) => self.store_id(n),
            }
            let mut l3 = 0;
            if name.is_some() {
                l3 = self.new_label();
                self.increase_except_level(l3, BlockKind::Finally);
            }
            self.stmts(&h.body)?;
            if let Some(n) = name {
                self.cx.emit.load_const_tok(ConstTok::None);
                self.cx.emit.label_assign(l3);
                self.cx.emit.adjust_stack_size(1);
                self.cx.emit.load_const_tok(ConstTok::None);
                self.store_id(n);
                self.delete_id(n);
                self.cx.emit.adjust_stack_size(-1);
                self.decrease_except_level();
            }
            self.cx.emit.pop_except_jump(l2, true);
            self.cx.emit.label_assign(end_finally_label);
            self.cx.emit.adjust_stack_size(1);
        }
        self.decrease_except_level();
        self.cx.emit.end_except_handler();
        self.cx.emit.label_assign(success);
        self.stmts(orelse)?;
        self.cx.emit.label_assign(l2);
        Ok(())
    }

    fn try_finally(
        &mut self,
        body: &[Stmt],
        handlers: &[ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> Result<()> {
        let l_finally = self.new_label();
        self.increase_except_level(l_finally, BlockKind::Finally);
        if handlers.is_empty() {
            self.cx.emit.adjust_stack_size(3);
            self.stmts(body)?;
            self.cx.emit.adjust_stack_size(-3);
        } else {
            self.try_except(body, handlers, orelse)?;
        }
        self.cx.emit.load_const_tok(ConstTok::None);
        self.cx.emit.label_assign(l_finally);
        self.cx.emit.adjust_stack_size(1);
        self.stmts(finalbody)?;
        self.cx.emit.adjust_stack_size(-1);
        self.decrease_except_level();
        Ok(())
    }

    fn with_stmt(&mut self, items: &[WithItem], body: &[Stmt]) -> Result<()> {
        let Some((first, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        let l_end = self.new_label();
        self.expr(&first.context)?;
        self.increase_except_level(l_end, BlockKind::With);
        match &first.target {
            Some(t) => self.assign(t)?,
            None => self.cx.emit.pop_top(),
        }
        self.with_stmt(rest, body)?;
        self.cx.emit.with_cleanup(l_end);
        self.decrease_except_level();
        Ok(())
    }

    fn await_method(&mut self, method: &str) {
        self.cx.emit.load_method(method, false);
        self.cx.emit.call_method(0, 0, 0);
        self.yield_from();
    }

    pub(crate) fn yield_from(&mut self) {
        self.cx.emit.get_iter(false);
        self.cx.emit.load_const_tok(ConstTok::None);
        self.cx.emit.yield_(YieldKind::From);
        self.cx.has_yield = true;
    }

    fn check_async(&self, pos: Pos) -> Result<()> {
        let is_async = self
            .arena
            .scopes
            .get(self.cx.scope)
            .map(|s| {
                s.scope_flags & ferropy_bytecode::code::scope_flags::GENERATOR != 0 && s.kind == ScopeKind::Function
            })
            .unwrap_or(false);
        if !is_async {
            return Err(CompileError::syntax("async for/with outside async function", pos));
        }
        Ok(())
    }

    fn async_for(&mut self, pos: Pos, target: &Expr, iter: &Expr, body: &[Stmt], orelse: &[Stmt]) -> Result<()> {
        self.check_async(pos)?;
        let while_else = self.new_label();
        let try_exception = self.new_label();
        let try_else = self.new_label();
        let try_finally = self.new_label();
        self.expr(iter)?;
        self.cx.emit.load_method("__aiter__", false);
        self.cx.emit.call_method(0, 0, 0);
        let saved = self.start_loop();
        let (break_label, continue_label) = (saved.4, saved.5);
        self.cx.emit.label_assign(continue_label);
        self.increase_except_level(try_exception, BlockKind::Except);
        self.cx.emit.dup_top();
        self.await_method("__anext__");
        self.assign(target)?;
        self.cx.emit.pop_except_jump(try_else, false);
        self.cx.emit.label_assign(try_exception);
        self.cx.emit.start_except_handler();
        self.cx.emit.dup_top();
        self.cx.emit.load_global("StopAsyncIteration", GlobalKind::Global);
        self.cx.emit.binary_op(BinaryOp::Op(binary::EXCEPTION_MATCH));
        self.cx.emit.pop_jump_if(false, try_finally);
        self.cx.emit.pop_top();
        self.cx.emit.pop_except_jump(while_else, true);
        self.cx.emit.label_assign(try_finally);
        self.cx.emit.adjust_stack_size(1);
        self.decrease_except_level();
        self.cx.emit.end_except_handler();
        self.cx.emit.label_assign(try_else);
        self.stmts(body)?;
        self.cx.emit.jump(continue_label);
        self.end_loop(saved);
        self.cx.emit.label_assign(while_else);
        self.stmts(orelse)?;
        self.cx.emit.label_assign(break_label);
        self.cx.emit.pop_top();
        Ok(())
    }

    fn async_with(&mut self, pos: Pos, items: &[WithItem], body: &[Stmt]) -> Result<()> {
        self.check_async(pos)?;
        self.async_with_items(items, body)
    }

    fn async_with_items(&mut self, items: &[WithItem], body: &[Stmt]) -> Result<()> {
        let Some((first, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        let l_finally = self.new_label();
        let l_aexit_no_exc = self.new_label();
        let l_ret_unwind = self.new_label();
        let l_end = self.new_label();
        self.expr(&first.context)?;
        self.cx.emit.dup_top();
        self.await_method("__aenter__");
        match &first.target {
            Some(t) => self.assign(t)?,
            None => self.cx.emit.pop_top(),
        }
        self.increase_except_level(l_finally, BlockKind::Finally);
        self.cx.emit.adjust_stack_size(3);
        self.async_with_items(rest, body)?;
        self.cx.emit.adjust_stack_size(-3);
        self.cx.emit.async_with_setup_finally(l_aexit_no_exc, l_finally, l_ret_unwind);
        let e = &mut self.cx.emit;
        e.dup_top();
        e.rot_three();
        e.rot_two();
        e.load_method("__aexit__", false);
        e.rot_three();
        e.rot_three();
        e.dup_top();
        e.attr("__class__", AccessKind::Load);
        e.rot_two();
        e.load_const_tok(ConstTok::None);
        e.call_method(3, 0, 0);
        self.yield_from();
        let e = &mut self.cx.emit;
        e.pop_jump_if(false, l_end);
        e.pop_top();
        e.load_const_tok(ConstTok::None);
        e.jump(l_end);
        e.adjust_stack_size(2);
        e.label_assign(l_ret_unwind);
        e.rot_three();
        e.rot_three();
        e.label_assign(l_aexit_no_exc);
        e.load_method("__aexit__", false);
        e.load_const_tok(ConstTok::None);
        e.dup_top();
        e.dup_top();
        e.call_method(3, 0, 0);
        self.yield_from();
        self.cx.emit.pop_top();
        self.cx.emit.adjust_stack_size(-1);
        self.cx.emit.label_assign(l_end);
        self.decrease_except_level();
        Ok(())
    }
}
