//! Functions, lambdas, classes and comprehensions: making the function object
//! in the enclosing scope and compiling the body in its own scope.

use alloc::vec::Vec;

use ferropy_bytecode::code::scope_flags;

use super::decorators::{builtin_decorator, BuiltinDecorator};
use super::Compiler;
use crate::ast::*;
use crate::emit::*;
use crate::error::{CompileError, Result};
use crate::scope::walk_addr;
use crate::scope::IdKind;

/// The body of a child scope.
#[derive(Clone, Copy)]
pub(crate) enum ChildBody<'a> {
    Function(&'a FunctionDef),
    Lambda(&'a Expr),
    Class(&'a ClassDef),
    Comp(&'a Expr),
}

impl Compiler<'_> {
    pub(crate) fn child_body(&mut self, sid: usize, body: ChildBody<'_>) -> Result<()> {
        match body {
            ChildBody::Function(f) => {
                self.stmts(&f.body)?;
                self.cx.emit.load_const_tok(ConstTok::None);
                self.cx.emit.return_value();
            }
            ChildBody::Lambda(e) => {
                self.cx.emit.set_source_line(e.pos.line);
                let ExprKind::Lambda { body, .. } = &e.kind else {
                    return Ok(());
                };
                self.expr(body)?;
                if self.cx.has_yield {
                    self.cx.emit.pop_top();
                    self.cx.emit.load_const_tok(ConstTok::None);
                }
                self.cx.emit.return_value();
            }
            ChildBody::Class(c) => {
                self.load_id("__name__");
                self.store_id("__module__");
                self.cx.emit.load_const_str(&c.name);
                self.store_id("__qualname__");
                self.stmts(&c.body)?;
                let class_cell = self
                    .arena
                    .scopes
                    .get(sid)
                    .and_then(|s| s.find("__class__").and_then(|i| s.ids.get(i)))
                    .map(|id| (id.kind, id.local_num));
                match class_cell {
                    Some((IdKind::Cell, n)) => self.cx.emit.load_local("__class__", n, LocalKind::Fast),
                    _ => self.cx.emit.load_const_tok(ConstTok::None),
                }
                self.cx.emit.return_value();
            }
            ChildBody::Comp(e) => {
                let kind = self.scope_kind();
                self.cx.emit.set_source_line(e.pos.line);
                match kind {
                    ScopeKind::ListComp => self.cx.emit.build(0, BuildKind::List),
                    ScopeKind::DictComp => self.cx.emit.build(0, BuildKind::Map),
                    ScopeKind::SetComp => self.cx.emit.build(0, BuildKind::Set),
                    _ => {}
                }
                if kind == ScopeKind::GenExpr {
                    self.cx.emit.load_null();
                    self.load_id("");
                    self.cx.emit.load_null();
                    self.cx.emit.load_null();
                } else {
                    self.load_id("");
                    self.cx.emit.get_iter(true);
                }
                let (gens, elt, value) = crate::scope::comp_parts(e);
                self.comp_iter(gens, 0, elt, value)?;
                if kind == ScopeKind::GenExpr {
                    self.cx.emit.load_const_tok(ConstTok::None);
                }
                self.cx.emit.return_value();
            }
        }
        Ok(())
    }

    fn comp_iter(
        &mut self,
        gens: &[Comprehension],
        depth: usize,
        elt: Option<&Expr>,
        value: Option<&Expr>,
    ) -> Result<()> {
        let Some(g) = gens.get(depth) else {
            return Ok(());
        };
        let l_top = self.new_label();
        let l_end = self.new_label();
        self.cx.emit.label_assign(l_top);
        self.cx.emit.for_iter(l_end);
        self.assign(&g.target)?;
        for c in &g.ifs {
            self.if_cond(c, false, l_top)?;
        }
        if let Some(next) = gens.get(depth + 1) {
            self.expr(&next.iter)?;
            self.cx.emit.get_iter(true);
            self.comp_iter(gens, depth + 1, elt, value)?;
        } else {
            if let Some(v) = value {
                self.expr(v)?;
            }
            if let Some(e) = elt {
                self.expr(e)?;
            }
            let kind = self.scope_kind();
            if kind == ScopeKind::GenExpr {
                self.cx.emit.yield_(YieldKind::Value);
                self.cx.has_yield = true;
                self.cx.emit.pop_top();
            } else {
                self.cx.emit.store_comp(kind, 4 * depth as u32 + 5);
            }
        }
        self.cx.emit.jump(l_top);
        self.cx.emit.label_assign(l_end);
        self.cx.emit.for_iter_end();
        Ok(())
    }

    /// Loads the closed-over cells and makes the function or closure.
    fn close_over_and_make(
        &mut self,
        child_sid: usize,
        child: ferropy_bytecode::RawCode,
        n_pos_defaults: u32,
        n_kw_defaults: u32,
    ) {
        let mut loads: Vec<(alloc::string::String, u32)> = Vec::new();
        if self.scope_kind() != ScopeKind::Module {
            if let (Some(cur), Some(ch)) = (self.arena.scopes.get(self.cx.scope), self.arena.scopes.get(child_sid)) {
                for id in &cur.ids {
                    if matches!(id.kind, IdKind::Cell | IdKind::Free) {
                        for id2 in &ch.ids {
                            if id2.kind == IdKind::Free && id2.name == id.name {
                                loads.push((id.name.clone(), id.local_num));
                            }
                        }
                    }
                }
            }
        }
        for (name, n) in &loads {
            self.cx.emit.load_local(name, *n, LocalKind::Fast);
        }
        if loads.is_empty() {
            self.cx.emit.make_function(child, n_pos_defaults, n_kw_defaults);
        } else {
            self.cx.emit.make_closure(child, loads.len() as u32, n_pos_defaults, n_kw_defaults);
        }
    }

    /// Compiles the default values of `params` and returns (n_pos_defaults, n_kw_defaults).
    fn defaults(&mut self, params: &Parameters) -> Result<(u32, u32)> {
        let mut n_pos = 0u32;
        let mut n_kw = 0u32;
        for p in &params.args {
            match &p.default {
                None => {
                    if n_pos != 0 {
                        return Err(CompileError::syntax("non-default argument follows default argument", p.pos));
                    }
                }
                Some(d) => {
                    n_pos += 1;
                    self.expr(d)?;
                }
            }
        }
        for p in &params.kwonlyargs {
            if let Some(d) = &p.default {
                n_kw += 1;
                if n_kw == 1 {
                    if n_pos > 0 {
                        self.cx.emit.build(n_pos, BuildKind::Tuple);
                    } else {
                        self.cx.emit.load_null();
                    }
                    self.cx.emit.build(0, BuildKind::Map);
                }
                self.expr(d)?;
                self.cx.emit.load_const_str(&p.name);
                self.cx.emit.store_map();
            }
        }
        if n_pos > 0 && n_kw == 0 {
            self.cx.emit.build(n_pos, BuildKind::Tuple);
            self.cx.emit.load_null();
        }
        Ok((n_pos, n_kw))
    }

    fn set_defaults_flags(&mut self, sid: usize, n_pos: u32, n_kw: u32) {
        if let Some(s) = self.arena.scopes.get_mut(sid) {
            if n_kw > 0 {
                s.scope_flags |= scope_flags::DEFKWARGS;
            }
            s.num_def_pos_args = n_pos;
        }
    }

    /// Compiles decorators that are not built in; returns how many there are.
    fn decorators(&mut self, decorators: &[Expr]) -> Result<u32> {
        let mut n = 0;
        for d in decorators {
            match builtin_decorator(d) {
                Some(BuiltinDecorator::Invalid(pos)) => {
                    return Err(CompileError::syntax("invalid micropython decorator", pos))
                }
                Some(BuiltinDecorator::Emitter(EmitterKind::Bytecode)) => {}
                Some(BuiltinDecorator::Emitter(k)) => {
                    let supported = self.opts.native.as_ref().map(|f| f.new_emitter(k).is_some()).unwrap_or(false);
                    if !supported {
                        return Err(CompileError::syntax("invalid arch", d.pos));
                    }
                }
                Some(BuiltinDecorator::Asm) => return Err(CompileError::syntax("invalid arch", d.pos)),
                None => {
                    n += 1;
                    match &d.kind {
                        ExprKind::Call { func, args } => {
                            self.dotted(func)?;
                            // The argument list is a parse node of its own in MicroPython,
                            // so it records its line.
                            self.cx.emit.set_source_line(d.pos.line);
                            self.call_args(args, false, 0, d.pos)?;
                        }
                        _ => self.dotted(d)?,
                    }
                }
            }
        }
        Ok(n)
    }

    /// A decorator's dotted name: a name then plain attribute loads.
    fn dotted(&mut self, e: &Expr) -> Result<()> {
        match &e.kind {
            ExprKind::Attribute { value, attr } => {
                self.dotted(value)?;
                self.cx.emit.attr(attr, AccessKind::Load);
                Ok(())
            }
            _ => self.expr(e),
        }
    }

    pub(crate) fn function_def(&mut self, f: &FunctionDef) -> Result<()> {
        let n_dec = self.decorators(&f.decorators)?;
        let sid = self.child_scope(walk_addr(f), f.pos)?;
        let (n_pos, n_kw) = self.defaults(&f.params)?;
        self.set_defaults_flags(sid, n_pos, n_kw);
        let child = self.compile_child(sid, ChildBody::Function(f))?;
        self.close_over_and_make(sid, child, n_pos, n_kw);
        for _ in 0..n_dec {
            self.cx.emit.call_function(1, 0, 0);
        }
        self.store_id(&f.name);
        Ok(())
    }

    pub(crate) fn class_def(&mut self, c: &ClassDef) -> Result<()> {
        let n_dec = self.decorators(&c.decorators)?;
        let sid = self.child_scope(walk_addr(c), c.pos)?;
        self.cx.emit.load_build_class();
        let child = self.compile_child(sid, ChildBody::Class(c))?;
        self.close_over_and_make(sid, child, 0, 0);
        self.cx.emit.load_const_str(&c.name);
        self.call_args(&c.args, false, 2, c.pos)?;
        for _ in 0..n_dec {
            self.cx.emit.call_function(1, 0, 0);
        }
        self.store_id(&c.name);
        Ok(())
    }

    pub(crate) fn lambda(&mut self, e: &Expr, params: &Parameters) -> Result<()> {
        let sid = self.child_scope(walk_addr(e), e.pos)?;
        let (n_pos, n_kw) = self.defaults(params)?;
        self.set_defaults_flags(sid, n_pos, n_kw);
        let child = self.compile_child(sid, ChildBody::Lambda(e))?;
        self.close_over_and_make(sid, child, n_pos, n_kw);
        Ok(())
    }

    pub(crate) fn comprehension(&mut self, e: &Expr) -> Result<()> {
        let sid = self.child_scope(walk_addr(e), e.pos)?;
        let child = self.compile_child(sid, ChildBody::Comp(e))?;
        self.close_over_and_make(sid, child, 0, 0);
        let (gens, _, _) = crate::scope::comp_parts(e);
        if let Some(g) = gens.first() {
            self.expr(&g.iter)?;
        }
        if matches!(e.kind, ExprKind::GeneratorExp { .. }) {
            self.cx.emit.get_iter(false);
        }
        self.cx.emit.call_function(1, 0, 0);
        Ok(())
    }

    fn child_scope(&self, key: usize, pos: Pos) -> Result<usize> {
        self.arena.scope_of(key).ok_or_else(|| CompileError::syntax("internal error: scope not analysed", pos))
    }
}
