//! Statements: lines of simple statements and compound statements with their blocks.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use super::{Core, Node, TokenSource};
use crate::ast::{
    Alias, BinOp, ClassDef, ExceptHandler, Expr, ExprKind, FunctionDef, Ident, IfBranch, Stmt, StmtKind, WithItem,
};
use crate::error::Result;
use crate::token::{Pos, Tok};

/// The operator of an augmented-assignment token.
fn aug_op(tok: &Tok) -> Option<BinOp> {
    let op = match tok {
        Tok::PlusEqual => BinOp::Add,
        Tok::MinusEqual => BinOp::Sub,
        Tok::StarEqual => BinOp::Mult,
        Tok::AtEqual => BinOp::MatMult,
        Tok::SlashEqual => BinOp::Div,
        Tok::PercentEqual => BinOp::Mod,
        Tok::AmpersandEqual => BinOp::BitAnd,
        Tok::PipeEqual => BinOp::BitOr,
        Tok::CaretEqual => BinOp::BitXor,
        Tok::LeftShiftEqual => BinOp::LShift,
        Tok::RightShiftEqual => BinOp::RShift,
        Tok::DoubleStarEqual => BinOp::Pow,
        Tok::DoubleSlashEqual => BinOp::FloorDiv,
        _ => return None,
    };
    Some(op)
}

/// Builds a statement.
fn stmt(pos: Pos, kind: StmtKind) -> Stmt {
    Stmt { pos, kind }
}

impl<S: TokenSource> Core<S> {
    /// One statement: a compound statement, or a line of simple statements
    /// (several when separated by `;`). The results are appended to `out`.
    pub(super) fn statement(&mut self, out: &mut Vec<Stmt>) -> Result<()> {
        let pos = self.cur.pos;
        let compound = match self.cur.kind {
            Tok::KwIf => self.if_stmt()?,
            Tok::KwWhile => self.while_stmt()?,
            Tok::KwFor => self.for_stmt(pos, false)?,
            Tok::KwTry => self.try_stmt()?,
            Tok::KwWith => self.with_stmt(pos, false)?,
            Tok::KwDef => self.funcdef(pos, false, Vec::new())?,
            Tok::KwClass => self.classdef(Vec::new())?,
            Tok::At => self.decorated()?,
            Tok::KwAsync => self.async_stmt(Vec::new())?,
            _ => return self.simple_line(out),
        };
        out.push(compound);
        Ok(())
    }

    /// `small_stmt (';' small_stmt)* [';'] NEWLINE`.
    fn simple_line(&mut self, out: &mut Vec<Stmt>) -> Result<()> {
        loop {
            out.push(self.small_stmt()?);
            if !self.eat(&Tok::Semicolon)? || self.at_line_end() {
                break;
            }
        }
        if self.at(&Tok::EndOfInput) {
            return Ok(());
        }
        self.expect(&Tok::Newline)?;
        Ok(())
    }

    /// True at the end of a logical line.
    fn at_line_end(&self) -> bool {
        self.at(&Tok::Newline) || self.at(&Tok::EndOfInput)
    }

    /// True where a small statement ends.
    fn at_small_stmt_end(&self) -> bool {
        self.at_line_end() || self.at(&Tok::Semicolon)
    }

    /// One simple statement.
    fn small_stmt(&mut self) -> Result<Stmt> {
        let pos = self.cur.pos;
        let kind = match self.cur.kind {
            Tok::KwPass => {
                self.advance()?;
                StmtKind::Pass
            }
            Tok::KwBreak => {
                self.advance()?;
                StmtKind::Break
            }
            Tok::KwContinue => {
                self.advance()?;
                StmtKind::Continue
            }
            Tok::KwDel => self.del_stmt()?,
            Tok::KwReturn => {
                self.advance()?;
                let value = if self.at_small_stmt_end() { None } else { Some(self.testlist()?.expr) };
                StmtKind::Return(value)
            }
            Tok::KwRaise => self.raise_stmt()?,
            Tok::KwYield => StmtKind::Expr(self.yield_expr()?.expr),
            Tok::KwGlobal => {
                self.advance()?;
                StmtKind::Global(self.name_list()?)
            }
            Tok::KwNonlocal => {
                self.advance()?;
                StmtKind::Nonlocal(self.name_list()?)
            }
            Tok::KwAssert => {
                self.advance()?;
                let test = self.test()?.expr;
                let msg = if self.eat(&Tok::Comma)? { Some(self.test()?.expr) } else { None };
                StmtKind::Assert { test, msg }
            }
            Tok::KwImport => self.import_stmt()?,
            Tok::KwFrom => self.import_from()?,
            _ => self.expr_stmt()?,
        };
        Ok(stmt(pos, kind))
    }

    /// `del target, ...` (a parenthesised tuple stays one item).
    fn del_stmt(&mut self) -> Result<StmtKind> {
        self.expect(&Tok::KwDel)?;
        let mut targets = Vec::new();
        loop {
            let target = self.star_or_expr()?.expr;
            Self::check_del_target(&target)?;
            targets.push(target);
            if !self.eat(&Tok::Comma)? || !self.starts_expression() {
                break;
            }
        }
        Ok(StmtKind::Delete(targets))
    }

    /// `raise [exc [from cause]]`.
    fn raise_stmt(&mut self) -> Result<StmtKind> {
        self.expect(&Tok::KwRaise)?;
        if self.at_small_stmt_end() {
            return Ok(StmtKind::Raise { exc: None, cause: None });
        }
        let exc = Some(self.test()?.expr);
        let cause = if self.eat(&Tok::KwFrom)? { Some(self.test()?.expr) } else { None };
        Ok(StmtKind::Raise { exc, cause })
    }

    /// `name, name, ...` (no trailing comma).
    fn name_list(&mut self) -> Result<Vec<Ident>> {
        let mut names = vec![self.expect_name()?.0];
        while self.eat(&Tok::Comma)? {
            names.push(self.expect_name()?.0);
        }
        Ok(names)
    }

    /// `import a.b [as c], d`.
    fn import_stmt(&mut self) -> Result<StmtKind> {
        self.expect(&Tok::KwImport)?;
        let mut aliases = Vec::new();
        loop {
            let (name, pos) = self.dotted_name()?;
            let asname = if self.eat(&Tok::KwAs)? { Some(self.expect_name()?.0) } else { None };
            aliases.push(Alias { pos, name, asname });
            if !self.eat(&Tok::Comma)? {
                break;
            }
        }
        Ok(StmtKind::Import(aliases))
    }

    /// `from [.]*[module] import (* | names | (names))`.
    fn import_from(&mut self) -> Result<StmtKind> {
        self.expect(&Tok::KwFrom)?;
        let mut level: u32 = 0;
        loop {
            if self.eat(&Tok::Dot)? {
                level = level.saturating_add(1);
            } else if self.eat(&Tok::Ellipsis)? {
                level = level.saturating_add(3);
            } else {
                break;
            }
        }
        let module = match self.cur.kind {
            Tok::Name(_) => Some(self.dotted_name()?.0),
            _ if level > 0 => None,
            _ => return Err(self.unexpected()),
        };
        self.expect(&Tok::KwImport)?;
        let names = if self.eat(&Tok::Star)? {
            None
        } else if self.eat(&Tok::LParen)? {
            let names = self.import_as_names(&Tok::RParen)?;
            self.expect(&Tok::RParen)?;
            Some(names)
        } else {
            Some(self.import_as_names(&Tok::Newline)?)
        };
        Ok(StmtKind::ImportFrom { module, names, level })
    }

    /// `name [as name], ...` with an optional trailing comma before `closer`.
    fn import_as_names(&mut self, closer: &Tok) -> Result<Vec<Alias>> {
        let mut aliases = Vec::new();
        loop {
            let (name, pos) = self.expect_name()?;
            let asname = if self.eat(&Tok::KwAs)? { Some(self.expect_name()?.0) } else { None };
            aliases.push(Alias { pos, name, asname });
            if !self.eat(&Tok::Comma)? || self.at(closer) || self.at_small_stmt_end() {
                break;
            }
        }
        Ok(aliases)
    }

    /// Expression statements and all kinds of assignment.
    fn expr_stmt(&mut self) -> Result<StmtKind> {
        let first = self.testlist_star_expr()?.expr;
        if self.eat(&Tok::Colon)? {
            let annotation = self.test()?.expr;
            let value = if self.eat(&Tok::Equal)? {
                Self::check_assign_target(&first)?;
                Some(self.assign_value()?)
            } else {
                None
            };
            return Ok(StmtKind::AnnAssign { target: first, annotation, value });
        }
        if let Some(op) = aug_op(&self.cur.kind) {
            self.advance()?;
            Self::check_aug_target(&first)?;
            let value = self.assign_value()?;
            return Ok(StmtKind::AugAssign { target: first, op, value });
        }
        if !self.at(&Tok::Equal) {
            return Ok(StmtKind::Expr(first));
        }
        let mut targets = vec![first];
        while self.eat(&Tok::Equal)? {
            targets.push(self.assign_value()?);
        }
        let value = match targets.pop() {
            Some(value) => value,
            None => return Err(self.unexpected()),
        };
        targets.iter().try_for_each(Self::check_assign_target)?;
        Ok(StmtKind::Assign { targets, value })
    }

    /// The right-hand side of an assignment: a `yield` expression or a `testlist_star_expr`.
    fn assign_value(&mut self) -> Result<Expr> {
        let node: Node = if self.at(&Tok::KwYield) { self.yield_expr()? } else { self.testlist_star_expr()? };
        Ok(node.expr)
    }

    /// A block after `:`: an indented suite, or simple statements on the same line.
    fn block(&mut self) -> Result<Vec<Stmt>> {
        self.enter()?;
        self.block_depth += 1;
        let result = self.block_inner();
        self.block_depth = self.block_depth.saturating_sub(1);
        self.leave();
        result
    }

    fn block_inner(&mut self) -> Result<Vec<Stmt>> {
        self.expect(&Tok::Colon)?;
        let mut body = Vec::new();
        if !self.eat(&Tok::Newline)? {
            self.simple_line(&mut body)?;
            return Ok(body);
        }
        self.expect(&Tok::Indent)?;
        loop {
            self.statement(&mut body)?;
            if self.eat(&Tok::Dedent)? || self.at(&Tok::EndOfInput) {
                return Ok(body);
            }
        }
    }

    /// `if test: block (elif test: block)* [else: block]`.
    fn if_stmt(&mut self) -> Result<Stmt> {
        let pos = self.expect(&Tok::KwIf)?;
        let test = self.namedexpr_test()?.expr;
        let body = self.block()?;
        let mut branches = vec![IfBranch { pos, test, body }];
        while self.at(&Tok::KwElif) {
            let branch_pos = self.advance()?.pos;
            let test = self.namedexpr_test()?.expr;
            let body = self.block()?;
            branches.push(IfBranch { pos: branch_pos, test, body });
        }
        let orelse = self.else_block()?;
        Ok(stmt(pos, StmtKind::If { branches, orelse }))
    }

    /// An optional `else: block` (empty when absent).
    fn else_block(&mut self) -> Result<Vec<Stmt>> {
        if self.eat(&Tok::KwElse)? {
            self.block()
        } else {
            Ok(Vec::new())
        }
    }

    /// `while test: block [else: block]`.
    fn while_stmt(&mut self) -> Result<Stmt> {
        let pos = self.expect(&Tok::KwWhile)?;
        let test = self.namedexpr_test()?.expr;
        let body = self.block()?;
        let orelse = self.else_block()?;
        Ok(stmt(pos, StmtKind::While { test, body, orelse }))
    }

    /// `for targets in testlist: block [else: block]` (after `async`, if any).
    fn for_stmt(&mut self, pos: Pos, is_async: bool) -> Result<Stmt> {
        self.expect(&Tok::KwFor)?;
        let target = self.exprlist()?.expr;
        Self::check_assign_target(&target)?;
        self.expect(&Tok::KwIn)?;
        let iter = self.testlist()?.expr;
        let body = self.block()?;
        let orelse = self.else_block()?;
        Ok(stmt(pos, StmtKind::For { is_async, target, iter, body, orelse }))
    }

    /// `try: block` with `except` clauses, `else` and/or `finally`.
    fn try_stmt(&mut self) -> Result<Stmt> {
        let pos = self.expect(&Tok::KwTry)?;
        let body = self.block()?;
        let mut handlers: Vec<ExceptHandler> = Vec::new();
        while self.at(&Tok::KwExcept) {
            let handler_pos = self.advance()?.pos;
            if let Some(previous) = handlers.last() {
                if previous.typ.is_none() {
                    return Err(Self::error_at("default 'except' must be last", previous.pos));
                }
            }
            let (typ, name) = if self.at(&Tok::Colon) {
                (None, None)
            } else {
                let typ = self.test()?.expr;
                let name = if self.eat(&Tok::KwAs)? { Some(self.expect_name()?.0) } else { None };
                (Some(typ), name)
            };
            let body = self.block()?;
            handlers.push(ExceptHandler { pos: handler_pos, typ, name, body });
        }
        let orelse = if handlers.is_empty() { Vec::new() } else { self.else_block()? };
        let finalbody = if self.eat(&Tok::KwFinally)? { Some(self.block()?) } else { None };
        if handlers.is_empty() && finalbody.is_none() {
            return Err(self.unexpected());
        }
        Ok(stmt(pos, StmtKind::Try { body, handlers, orelse, finalbody }))
    }

    /// `with item [as target], ...: block` (after `async`, if any).
    fn with_stmt(&mut self, pos: Pos, is_async: bool) -> Result<Stmt> {
        self.expect(&Tok::KwWith)?;
        let mut items = Vec::new();
        loop {
            let context = self.test()?.expr;
            let target = if self.eat(&Tok::KwAs)? {
                let target = self.expr()?.expr;
                Self::check_assign_target(&target)?;
                Some(target)
            } else {
                None
            };
            items.push(WithItem { context, target });
            if !self.eat(&Tok::Comma)? {
                break;
            }
        }
        let body = self.block()?;
        Ok(stmt(pos, StmtKind::With { is_async, items, body }))
    }

    /// `def name(params) [-> annotation]: block` (after `async`, if any).
    fn funcdef(&mut self, pos: Pos, is_async: bool, decorators: Vec<Expr>) -> Result<Stmt> {
        self.expect(&Tok::KwDef)?;
        let (name, _) = self.expect_name()?;
        self.expect(&Tok::LParen)?;
        let (params, _) = self.parameters(&Tok::RParen, true)?;
        self.expect(&Tok::RParen)?;
        let returns = if self.eat(&Tok::Arrow)? { Some(self.test()?.expr) } else { None };
        let body = self.block()?;
        let def = FunctionDef { pos, is_async, decorators, name, params, returns, body };
        Ok(stmt(pos, StmtKind::FunctionDef(Box::new(def))))
    }

    /// `class name [(args)]: block`.
    fn classdef(&mut self, decorators: Vec<Expr>) -> Result<Stmt> {
        let pos = self.expect(&Tok::KwClass)?;
        let (name, _) = self.expect_name()?;
        let args = if self.eat(&Tok::LParen)? {
            let (args, _) = self.call_args()?;
            self.expect(&Tok::RParen)?;
            args
        } else {
            Vec::new()
        };
        let body = self.block()?;
        let class = ClassDef { pos, decorators, name, args, body };
        Ok(stmt(pos, StmtKind::ClassDef(Box::new(class))))
    }

    /// `async def`, `async for` or `async with`.
    fn async_stmt(&mut self, decorators: Vec<Expr>) -> Result<Stmt> {
        let pos = self.expect(&Tok::KwAsync)?;
        match self.cur.kind {
            Tok::KwDef => self.funcdef(pos, true, decorators),
            Tok::KwFor if decorators.is_empty() => self.for_stmt(pos, true),
            Tok::KwWith if decorators.is_empty() => self.with_stmt(pos, true),
            _ => Err(self.unexpected()),
        }
    }

    /// Decorators (`@dotted.name[(args)]` lines) and the definition they decorate.
    fn decorated(&mut self) -> Result<Stmt> {
        let mut decorators = Vec::new();
        while self.eat(&Tok::At)? {
            decorators.push(self.decorator()?);
            self.expect(&Tok::Newline)?;
        }
        match self.cur.kind {
            Tok::KwDef => {
                let pos = self.cur.pos;
                self.funcdef(pos, false, decorators)
            }
            Tok::KwClass => self.classdef(decorators),
            Tok::KwAsync => self.async_stmt(decorators),
            _ => Err(self.unexpected()),
        }
    }

    /// One decorator expression: a dotted name, optionally called.
    fn decorator(&mut self) -> Result<Expr> {
        let (first, pos) = self.expect_name()?;
        let mut node = self.node(pos, ExprKind::Name(first), 1)?;
        while self.eat(&Tok::Dot)? {
            let (attr, _) = self.expect_name()?;
            let height = node.height.saturating_add(1);
            node = self.node(pos, ExprKind::Attribute { value: Box::new(node.expr), attr }, height)?;
        }
        if self.eat(&Tok::LParen)? {
            let (args, args_height) = self.call_args()?;
            self.expect(&Tok::RParen)?;
            let height = node.height.max(args_height).saturating_add(1);
            node = self.node(pos, ExprKind::Call { func: Box::new(node.expr), args }, height)?;
        }
        Ok(node.expr)
    }
}
