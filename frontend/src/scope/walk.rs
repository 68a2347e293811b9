//! The scope pass: walks a compilation unit and records every identifier in the
//! scope that uses it, in the order MicroPython's compiler meets them.
//!
//! Scopes are walked breadth first (a scope's whole body before the bodies of
//! the scopes it contains), as MicroPython appends new scopes to a list that it
//! walks in order; then locals are numbered.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;

use ferropy_bytecode::code::scope_flags;

use super::{IdKind, ScopeArena, ScopeKind, FLAG_DBL_STAR_PARAM, FLAG_PARAM, FLAG_STAR_PARAM};
use crate::ast::*;
use crate::compile::decorators::{builtin_decorator, BuiltinDecorator};
use crate::compile::fold::{self, Consts};
use crate::emit::{viper_type, EmitterKind};
use crate::error::{CompileError, ErrorKind, Result};

/// A node that opens a scope, with its body.
#[derive(Clone, Copy)]
enum Node<'a> {
    Stmts(&'a [Stmt]),
    Function(&'a FunctionDef),
    Class(&'a ClassDef),
    Lambda(&'a Parameters, &'a Expr),
    Comp(&'a Expr),
}

struct Walker<'a, 'c> {
    arena: &'c mut ScopeArena,
    consts: &'c Consts,
    opt_level: u8,
    queue: VecDeque<(usize, Node<'a>)>,
    cur: usize,
}

/// Runs the scope pass over `stmts` (in module scope 0) and every scope they
/// contain, then numbers the locals of the new scopes.
pub fn analyze(arena: &mut ScopeArena, stmts: &[Stmt], consts: &Consts, opt_level: u8) -> Result<()> {
    let first_new = arena.scopes.len();
    let mut w = Walker { arena, consts, opt_level, queue: VecDeque::new(), cur: 0 };
    w.queue.push_back((0, Node::Stmts(stmts)));
    while let Some((sid, node)) = w.queue.pop_front() {
        w.cur = sid;
        if let Err(e) = w.scope_body(node) {
            let name = w.arena.scopes.get(sid).map_or("<module>", |s| s.simple_name.as_str());
            return Err(e.in_scope(name));
        }
        // Only scopes nested in a function can close over names (this skips the
        // module's long list of globals, which is walked once per statement).
        let parent = w.arena.scopes.get(sid).and_then(|s| s.parent).and_then(|p| w.arena.scopes.get(p));
        if parent.and_then(|g| g.parent).is_none() {
            continue;
        }
        let n = w.arena.scopes.get(sid).map(|s| s.ids.len()).unwrap_or(0);
        for i in 0..n {
            let k = w.arena.scopes.get(sid).and_then(|s| s.ids.get(i)).map(|i| i.kind);
            if k == Some(IdKind::GlobalImplicit) {
                w.arena.check_to_close_over(sid, i);
            }
        }
    }
    for s in first_new..arena.scopes.len() {
        arena.compute_things(s);
    }
    Ok(())
}

/// The address of a node, used to find its scope.
pub(crate) fn addr<T>(node: &T) -> usize {
    node as *const T as usize
}

impl<'a> Walker<'a, '_> {
    fn scope(&mut self) -> &mut super::Scope {
        // `cur` always indexes an existing scope.
        let last = self.arena.scopes.len() - 1;
        let i = self.cur.min(last);
        &mut self.arena.scopes[i]
    }

    fn kind(&self) -> ScopeKind {
        self.arena.scopes.get(self.cur).map(|s| s.kind).unwrap_or(ScopeKind::Module)
    }

    fn emitter(&self) -> EmitterKind {
        self.arena.scopes.get(self.cur).map(|s| s.emitter).unwrap_or_default()
    }

    fn load(&mut self, name: &str) {
        self.scope().find_or_add(name, IdKind::GlobalImplicit);
    }

    fn modify(&mut self, name: &str) {
        self.scope().id_for_modification(name);
    }

    fn new_scope(
        &mut self,
        kind: ScopeKind,
        name: &str,
        emitter: EmitterKind,
        pos: Pos,
        key: usize,
        node: Node<'a>,
    ) -> usize {
        let s = super::Scope::new(kind, name, Some(self.cur), emitter, pos);
        self.arena.scopes.push(s);
        let id = self.arena.scopes.len() - 1;
        self.arena.by_node.insert(key, id);
        self.queue.push_back((id, node));
        id
    }

    fn scope_body(&mut self, node: Node<'a>) -> Result<()> {
        match node {
            Node::Stmts(stmts) => self.stmts(stmts),
            Node::Function(f) => {
                self.params(&f.params, true)?;
                if self.emitter() == EmitterKind::Viper {
                    let t = viper_annotation(f.returns.as_ref())?;
                    self.scope().viper_return_type = t;
                }
                if self.arena.scopes.get(self.cur).map(|s| s.is_asm).unwrap_or(false) {
                    return Ok(());
                }
                self.stmts(&f.body)
            }
            Node::Lambda(params, body) => {
                self.params(params, false)?;
                self.expr(body)
            }
            Node::Class(c) => {
                self.scope().find_or_add("__class__", IdKind::Local);
                self.load("__name__");
                self.modify("__module__");
                self.modify("__qualname__");
                self.stmts(&c.body)
            }
            Node::Comp(e) => {
                self.scope().find_or_add("", IdKind::Local);
                self.scope().num_pos_args = 1;
                self.load("");
                let (gens, elt, value) = comp_parts(e);
                for (i, g) in gens.iter().enumerate() {
                    if i > 0 {
                        self.expr(&g.iter)?;
                    }
                    self.target(&g.target)?;
                    for c in &g.ifs {
                        self.cond(c)?;
                    }
                }
                if let Some(v) = value {
                    self.expr(v)?;
                }
                if let Some(e) = elt {
                    self.expr(e)?;
                }
                Ok(())
            }
        }
    }

    fn params(&mut self, p: &Parameters, typed: bool) -> Result<()> {
        let viper = typed && self.emitter() == EmitterKind::Viper;
        for a in &p.args {
            self.scope().num_pos_args += 1;
            self.param(a, FLAG_PARAM, viper)?;
        }
        if p.has_star {
            if let Some(v) = &p.vararg {
                self.scope().scope_flags |= scope_flags::VARARGS;
                self.param(v, FLAG_PARAM | FLAG_STAR_PARAM, viper)?;
            }
        }
        for a in &p.kwonlyargs {
            self.scope().num_kwonly_args += 1;
            self.param(a, FLAG_PARAM, viper)?;
        }
        if let Some(k) = &p.kwarg {
            self.scope().scope_flags |= scope_flags::VARKEYWORDS;
            self.param(k, FLAG_PARAM | FLAG_DBL_STAR_PARAM, viper)?;
        }
        Ok(())
    }

    fn param(&mut self, p: &Param, flags: u8, viper: bool) -> Result<()> {
        let i = self.scope().find_or_add(&p.name, IdKind::Undecided);
        let Some(id) = self.scope().ids.get_mut(i) else {
            return Ok(());
        };
        if id.kind != IdKind::Undecided {
            return Err(CompileError::syntax("argument name reused", p.pos));
        }
        id.kind = IdKind::Local;
        id.flags = flags;
        if viper && flags & FLAG_DBL_STAR_PARAM == 0 {
            let t = viper_annotation(p.annotation.as_ref())?;
            if let Some(id) = self.scope().ids.get_mut(i) {
                id.viper_type = t;
            }
        }
        Ok(())
    }

    fn stmts(&mut self, stmts: &'a [Stmt]) -> Result<()> {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> Result<()> {
        match &s.kind {
            StmtKind::Expr(e) => {
                if fold::is_const_expr_stmt(e) {
                    return Ok(());
                }
                self.expr(e)
            }
            StmtKind::Assign { targets, value } => {
                if let Some(is_private) = fold::const_assign(targets, value) {
                    if is_private {
                        return Ok(());
                    }
                    // The value is a constant: nothing to record on the right.
                } else if !self.double_tuple_assign(targets, value)? {
                    self.expr(value)?;
                } else {
                    return Ok(());
                }
                for t in targets {
                    self.target(t)?;
                }
                Ok(())
            }
            StmtKind::AugAssign { target, value, .. } => {
                match &target.kind {
                    ExprKind::Name(n) => self.load(n),
                    ExprKind::Attribute { value: v, .. } => self.expr(v)?,
                    ExprKind::Subscript { value: v, index } => {
                        self.expr(v)?;
                        self.expr(index)?;
                    }
                    _ => {}
                }
                self.expr(value)?;
                if let ExprKind::Name(n) = &target.kind {
                    self.modify(n);
                }
                Ok(())
            }
            StmtKind::AnnAssign { target, value, .. } => match value {
                None => {
                    if self.kind() == ScopeKind::Function {
                        if let ExprKind::Name(n) = &target.kind {
                            self.scope().find_or_add(n, IdKind::Local);
                        }
                    }
                    Ok(())
                }
                Some(v) => {
                    let targets = core::slice::from_ref(target);
                    if let Some(is_private) = fold::const_assign(targets, v) {
                        if is_private {
                            return Ok(());
                        }
                    } else {
                        self.expr(v)?;
                    }
                    self.target(target)
                }
            },
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => Ok(()),
            StmtKind::Delete(ts) => {
                for t in ts {
                    self.del_target(t)?;
                }
                Ok(())
            }
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    self.expr(v)?;
                }
                Ok(())
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(e) = exc {
                    self.expr(e)?;
                }
                if let Some(c) = cause {
                    self.expr(c)?;
                }
                Ok(())
            }
            StmtKind::Global(names) => self.declare(names, true, s.pos),
            StmtKind::Nonlocal(names) => self.declare(names, false, s.pos),
            StmtKind::Assert { test, msg } => {
                if self.opt_level != 0 {
                    return Ok(());
                }
                self.cond(test)?;
                if let Some(m) = msg {
                    self.expr(m)?;
                }
                Ok(())
            }
            StmtKind::Import(aliases) => {
                for a in aliases {
                    let base = match &a.asname {
                        Some(n) => &**n,
                        None => a.name.split('.').next().unwrap_or(""),
                    };
                    self.modify(base);
                }
                Ok(())
            }
            StmtKind::ImportFrom { names, .. } => {
                if let Some(names) = names {
                    for a in names {
                        self.modify(a.asname.as_deref().unwrap_or(&a.name));
                    }
                }
                Ok(())
            }
            StmtKind::If { branches, orelse } => {
                for b in branches {
                    let c = fold::truth(&b.test, self.consts, self.opt_level);
                    if c == Some(false) {
                        continue;
                    }
                    self.cond(&b.test)?;
                    self.stmts(&b.body)?;
                    if c == Some(true) {
                        return Ok(());
                    }
                }
                self.stmts(orelse)
            }
            StmtKind::While { test, body, orelse } => {
                if fold::truth(test, self.consts, self.opt_level) != Some(false) {
                    self.stmts(body)?;
                    self.cond(test)?;
                }
                self.stmts(orelse)
            }
            StmtKind::For { is_async, target, iter, body, orelse } => {
                if !is_async {
                    if let Some(r) = crate::compile::stmt::range_args(target, iter, self.consts, self.opt_level) {
                        if !r.end_is_small_int {
                            self.expr(r.end)?;
                        }
                        if let Some(st) = r.start {
                            self.expr(st)?;
                        }
                        self.target(target)?;
                        self.stmts(body)?;
                        return self.stmts(orelse);
                    }
                }
                self.expr(iter)?;
                self.target(target)?;
                self.stmts(body)?;
                self.stmts(orelse)
            }
            StmtKind::With { items, body, .. } => {
                for it in items {
                    self.expr(&it.context)?;
                    if let Some(t) = &it.target {
                        self.target(t)?;
                    }
                }
                self.stmts(body)
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                self.stmts(body)?;
                for h in handlers {
                    if let Some(t) = &h.typ {
                        self.expr(t)?;
                    }
                    if let Some(n) = &h.name {
                        self.modify(n);
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(orelse)?;
                if let Some(f) = finalbody {
                    self.stmts(f)?;
                }
                Ok(())
            }
            StmtKind::FunctionDef(f) => {
                let mut emitter = self.emitter();
                let mut is_asm = false;
                for d in &f.decorators {
                    match builtin_decorator(d) {
                        Some(BuiltinDecorator::Emitter(k)) => emitter = k,
                        Some(BuiltinDecorator::Asm) => is_asm = true,
                        Some(BuiltinDecorator::Invalid(_)) => {}
                        None => self.expr(d)?,
                    }
                }
                let sid = self.new_scope(ScopeKind::Function, &f.name, emitter, f.pos, addr(&**f), Node::Function(f));
                if let Some(s) = self.arena.scopes.get_mut(sid) {
                    s.is_asm = is_asm;
                    if f.is_async {
                        s.scope_flags |= scope_flags::GENERATOR;
                    }
                }
                self.defaults(&f.params)?;
                self.modify(&f.name);
                Ok(())
            }
            StmtKind::ClassDef(c) => {
                let mut emitter = self.emitter();
                for d in &c.decorators {
                    match builtin_decorator(d) {
                        Some(BuiltinDecorator::Emitter(k)) => emitter = k,
                        Some(_) => {}
                        None => self.expr(d)?,
                    }
                }
                self.new_scope(ScopeKind::Class, &c.name, emitter, c.pos, addr(&**c), Node::Class(c));
                self.args(&c.args)?;
                self.modify(&c.name);
                Ok(())
            }
        }
    }

    /// `a, b = c, d` compiled without a tuple: returns true when it applied.
    fn double_tuple_assign(&mut self, targets: &'a [Expr], value: &'a Expr) -> Result<bool> {
        let Some((lhs, rhs)) = fold::double_tuple_parts(targets, value, self.consts, self.opt_level) else {
            return Ok(false);
        };
        for e in rhs {
            self.expr(e)?;
        }
        for t in lhs {
            self.target(t)?;
        }
        Ok(true)
    }

    fn defaults(&mut self, p: &'a Parameters) -> Result<()> {
        for a in &p.args {
            if let Some(d) = &a.default {
                self.expr(d)?;
            }
        }
        for a in &p.kwonlyargs {
            if let Some(d) = &a.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn declare(&mut self, names: &[Ident], is_global: bool, pos: Pos) -> Result<()> {
        if !is_global && self.kind() == ScopeKind::Module {
            return Err(CompileError::syntax("can't declare nonlocal in outer code", pos));
        }
        for n in names {
            let i = self.scope().find_or_add(n, IdKind::Undecided);
            self.declare_one(i, n, is_global, pos)?;
        }
        Ok(())
    }

    fn declare_one(&mut self, i: usize, name: &str, is_global: bool, pos: Pos) -> Result<()> {
        let cur = self.cur;
        let kind = self.scope().ids.get(i).map(|x| x.kind).unwrap_or(IdKind::Undecided);
        if is_global {
            if kind != IdKind::Undecided && kind != IdKind::GlobalExplicit {
                return Err(CompileError::syntax("identifier redefined as global", pos));
            }
            if let Some(id) = self.scope().ids.get_mut(i) {
                id.kind = IdKind::GlobalExplicit;
            }
            if cur != 0 {
                if let Some(m) = self.arena.scopes.first_mut() {
                    if let Some(j) = m.find(name) {
                        if let Some(id) = m.ids.get_mut(j) {
                            id.kind = IdKind::GlobalExplicit;
                        }
                    }
                }
                if !self.arena.declared_global.iter().any(|g| g == name) {
                    self.arena.declared_global.push(String::from(name));
                }
            }
        } else if kind == IdKind::Undecided {
            if let Some(id) = self.scope().ids.get_mut(i) {
                id.kind = IdKind::GlobalImplicit;
            }
            self.arena.check_to_close_over(cur, i);
            if self.scope().ids.get(i).map(|x| x.kind) == Some(IdKind::GlobalImplicit) {
                return Err(CompileError::syntax("no binding for nonlocal found", pos));
            }
        } else if kind != IdKind::Free {
            return Err(CompileError::syntax("identifier redefined as nonlocal", pos));
        }
        Ok(())
    }

    fn target(&mut self, t: &'a Expr) -> Result<()> {
        match &t.kind {
            ExprKind::Name(n) => self.modify(n),
            ExprKind::Attribute { value, .. } => self.expr(value)?,
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    match &i.kind {
                        ExprKind::Starred(inner) => self.target(inner)?,
                        _ => self.target(i)?,
                    }
                }
            }
            ExprKind::Starred(inner) => self.target(inner)?,
            _ => {}
        }
        Ok(())
    }

    fn del_target(&mut self, t: &'a Expr) -> Result<()> {
        match &t.kind {
            ExprKind::Name(n) => self.modify(n),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.del_target(i)?;
                }
            }
            _ => self.target(t)?,
        }
        Ok(())
    }

    /// A condition: constant conditions are not compiled.
    fn cond(&mut self, e: &'a Expr) -> Result<()> {
        if fold::truth(e, self.consts, self.opt_level).is_some() {
            return Ok(());
        }
        match &e.kind {
            ExprKind::BoolOp { .. } => {
                for v in fold::bool_operands(e, self.consts, self.opt_level) {
                    self.cond(v)?;
                }
                Ok(())
            }
            ExprKind::UnaryOp { op: UnaryOp::Not, operand } => self.cond(operand),
            _ => self.expr(e),
        }
    }

    fn args(&mut self, args: &'a [Arg]) -> Result<()> {
        for a in args {
            match a {
                Arg::Positional(e) | Arg::Star(e) | Arg::Keyword(_, e) | Arg::DoubleStar(e) => self.expr(e)?,
            }
        }
        Ok(())
    }

    fn expr(&mut self, e: &'a Expr) -> Result<()> {
        if fold::is_foldable(e, self.consts, self.opt_level) {
            return Ok(());
        }
        match &e.kind {
            ExprKind::Name(n) => self.load(n),
            ExprKind::Constant(_) | ExprKind::DebugFlag => {}
            ExprKind::BinOp { .. } => {
                fold::visit_binop_chain(e, &mut |_, operand| self.expr(operand))?;
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand)?,
            ExprKind::BoolOp { .. } => {
                for v in fold::bool_operands(e, self.consts, self.opt_level) {
                    self.expr(v)?;
                }
            }
            ExprKind::Compare { left, ops } => {
                self.expr(left)?;
                for (_, r) in ops {
                    self.expr(r)?;
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.cond(test)?;
                self.expr(body)?;
                self.expr(orelse)?;
            }
            ExprKind::Lambda { params, body } => {
                let emitter = self.emitter();
                self.new_scope(ScopeKind::Lambda, "<lambda>", emitter, e.pos, addr(e), Node::Lambda(params, body));
                self.defaults(params)?;
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                if self.kind().is_comp_like() {
                    self.walrus_in_comp(target, e.pos)?;
                }
                self.modify(target);
            }
            ExprKind::Attribute { value, .. } => {
                if fold::module_const(e).is_none() {
                    self.expr(value)?;
                }
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
            }
            ExprKind::Slice { lower, upper, step } => {
                for p in [lower, upper, step].into_iter().flatten() {
                    self.expr(p)?;
                }
            }
            ExprKind::Call { func, args } => {
                if self.kind() == ScopeKind::Function && args.is_empty() {
                    if let ExprKind::Name(n) = &func.kind {
                        if &**n == "super" {
                            self.load("__class__");
                            let first =
                                self.scope().ids.iter().find(|i| i.flags & FLAG_PARAM != 0).map(|i| i.name.clone());
                            if let Some(p) = first {
                                self.load(&p);
                            }
                            return Ok(());
                        }
                    }
                }
                if let ExprKind::Attribute { value, .. } = &func.kind {
                    self.expr(value)?;
                } else {
                    self.expr(func)?;
                }
                self.args(args)?;
            }
            ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => {
                for i in items {
                    self.expr(i)?;
                }
            }
            ExprKind::Dict(items) => {
                for it in items {
                    match it {
                        DictItem::Pair(k, v) => {
                            self.expr(v)?;
                            self.expr(k)?;
                        }
                        DictItem::Splat(m) => self.expr(m)?,
                    }
                }
            }
            ExprKind::Starred(inner) => self.expr(inner)?,
            ExprKind::ListComp { generators, .. }
            | ExprKind::SetComp { generators, .. }
            | ExprKind::GeneratorExp { generators, .. }
            | ExprKind::DictComp { generators, .. } => {
                let (kind, name) = match &e.kind {
                    ExprKind::ListComp { .. } => (ScopeKind::ListComp, "<listcomp>"),
                    ExprKind::SetComp { .. } => (ScopeKind::SetComp, "<setcomp>"),
                    ExprKind::DictComp { .. } => (ScopeKind::DictComp, "<dictcomp>"),
                    _ => (ScopeKind::GenExpr, "<genexpr>"),
                };
                let emitter = self.emitter();
                self.new_scope(kind, name, emitter, e.pos, addr(e), Node::Comp(e));
                if let Some(g) = generators.first() {
                    self.expr(&g.iter)?;
                }
            }
            ExprKind::Yield(v) => {
                if let Some(v) = v {
                    self.expr(v)?;
                }
            }
            ExprKind::YieldFrom(v) | ExprKind::Await(v) => self.expr(v)?,
        }
        Ok(())
    }

    fn walrus_in_comp(&mut self, target: &str, pos: Pos) -> Result<()> {
        let Some(parent) = self.arena.scopes.get(self.cur).and_then(|s| s.parent) else {
            return Ok(());
        };
        let parent_is_module = self.arena.scopes.get(parent).map(|p| p.parent.is_none()).unwrap_or(true);
        let pkind = match self.arena.scopes.get_mut(parent) {
            Some(p) => {
                let j = p.id_for_modification(target);
                p.ids.get(j).map(|i| i.kind)
            }
            None => None,
        };
        if pkind == Some(IdKind::GlobalExplicit) {
            self.scope().find_or_add(target, IdKind::GlobalExplicit);
            return Ok(());
        }
        let i = self.scope().find_or_add(target, IdKind::Undecided);
        if !parent_is_module {
            if let Some(id) = self.scope().ids.get_mut(i) {
                if id.kind == IdKind::GlobalImplicit {
                    id.kind = IdKind::Undecided;
                }
            }
        }
        self.declare_one(i, target, parent_is_module, pos)
    }
}

/// The generators, element and (for dict comprehensions) value of a comprehension.
pub(crate) fn comp_parts(e: &Expr) -> (&[Comprehension], Option<&Expr>, Option<&Expr>) {
    match &e.kind {
        ExprKind::ListComp { elt, generators }
        | ExprKind::SetComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators } => (generators, Some(elt), None),
        ExprKind::DictComp { key, value, generators } => (generators, Some(key), Some(value)),
        _ => (&[], None, None),
    }
}

/// The viper type named by an annotation (`object` when absent).
fn viper_annotation(a: Option<&Expr>) -> Result<u8> {
    let Some(a) = a else {
        return Ok(viper_type::OBJECT);
    };
    match &a.kind {
        ExprKind::Name(n) => match viper_type::from_name(n) {
            Some(t) => Ok(t),
            None => Err(CompileError::new(ErrorKind::ViperTypeError, format!("unknown type '{n}'"), a.pos)),
        },
        _ => Err(CompileError::syntax("annotation must be an identifier", a.pos)),
    }
}
