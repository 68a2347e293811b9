//! The parser: tokens to the syntax tree.
//!
//! A hand-written recursive-descent parser for MicroPython's grammar. Binary
//! operators use precedence climbing, so a level of parentheses costs only a few
//! native stack frames. Two limits keep every later pass safe from deep
//! recursion: the parser's own nesting counter (parentheses, unary operators,
//! blocks, ...) and the height of every expression tree it builds (which also
//! catches long left-leaning chains such as `a+b+c+...` or `a.b.c...`). Both are
//! capped at [`MAX_DEPTH`]; going over is `SyntaxError: too deeply nested`.
//!
//! Statements can be pulled one at a time with [`Parser::next_statement`], so a
//! large module never has to exist as a whole tree.

mod args;
mod atom;
mod cursor;
mod expr;
mod stmt;
mod target;

#[cfg(test)]
mod tests;

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::ast::{self, Expr, Stmt};
use crate::error::{CompileError, Result};
use crate::lexer::Lexer;
use crate::token::{Pos, Tok, Token};

/// The deepest nesting (of the parse and of the resulting tree) the parser accepts.
pub const MAX_DEPTH: u32 = 200;

/// Anything that hands out tokens one at a time (the lexer, or a prepared list in tests).
pub(crate) trait TokenSource {
    /// The next token; after `EndOfInput` it keeps returning `EndOfInput`.
    fn next_token(&mut self) -> Result<Token>;
}

impl TokenSource for Lexer<'_> {
    fn next_token(&mut self) -> Result<Token> {
        Lexer::next_token(self)
    }
}

/// An expression together with the height of its tree (a leaf has height 1).
pub(crate) struct Node {
    /// The expression.
    pub expr: Expr,
    /// The number of levels in the expression's tree.
    pub height: u32,
}

/// The parsing machinery, generic over where the tokens come from.
pub(crate) struct Core<S> {
    /// Where tokens come from.
    source: S,
    /// The current (not yet consumed) token.
    cur: Token,
    /// Current nesting of the parse (recursion guard).
    depth: u32,
    /// Number of enclosing blocks (adds to the height of every tree below it).
    block_depth: u32,
    /// Statements already parsed from the current line (`a; b; c`), waiting to be handed out.
    pending: VecDeque<Stmt>,
    /// The first error met; once set, it is returned again on every call.
    failed: Option<CompileError>,
    /// Single input only: the source has a physical line end (so empty input is valid).
    blank_line_seen: bool,
}

/// Incremental parser of file input: the compiler pulls one top-level statement at a time,
/// so a big module never has to exist as one whole tree (memory target: peak < 20x source size).
pub struct Parser<'src> {
    /// The parser over the lexer of the source.
    core: Core<Lexer<'src>>,
}

impl<'src> Parser<'src> {
    /// A parser of the given source text (file input).
    pub fn new(source: &'src str) -> Self {
        Parser { core: Core::new(Lexer::new(source)) }
    }

    /// The next top-level statement, or None at the end of the input.
    pub fn next_statement(&mut self) -> Result<Option<Stmt>> {
        self.core.next_statement()
    }
}

/// Whole file input.
pub fn parse_module(source: &str) -> Result<ast::Module> {
    let mut parser = Parser::new(source);
    let mut body = Vec::new();
    while let Some(stmt) = parser.next_statement()? {
        body.push(stmt);
    }
    Ok(ast::Module { body })
}

/// eval() input: a testlist (a bare tuple if it has commas), optional trailing newlines.
pub fn parse_eval(source: &str) -> Result<Expr> {
    Core::new(Lexer::new(source)).eval_input()
}

/// REPL single input: one interactive statement (simple statements on a line, or one compound statement).
pub fn parse_single(source: &str) -> Result<ast::Module> {
    let mut core = Core::new(Lexer::new(source));
    // A physical end of line (one not joined by a backslash) makes the NEWLINE token
    // that empty single input needs.
    core.blank_line_seen = source.split('\n').rev().skip(1).any(|line| !line.ends_with('\\'));
    core.single_input()
}

impl<S: TokenSource> Core<S> {
    /// Starts parsing; a lexer error on the first token is kept and reported on first use.
    pub(crate) fn new(mut source: S) -> Self {
        let (cur, failed) = match source.next_token() {
            Ok(tok) => (tok, None),
            Err(err) => (Token { kind: Tok::EndOfInput, pos: err.pos }, Some(err)),
        };
        Core { source, cur, depth: 0, block_depth: 0, pending: VecDeque::new(), failed, blank_line_seen: false }
    }

    /// The next top-level statement of file input, or None at the end.
    pub(crate) fn next_statement(&mut self) -> Result<Option<Stmt>> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        if let Some(stmt) = self.pending.pop_front() {
            return Ok(Some(stmt));
        }
        match self.file_statement() {
            Ok(stmt) => Ok(stmt),
            Err(err) => {
                self.pending.clear();
                self.failed = Some(err.clone());
                Err(err)
            }
        }
    }

    /// Parses the next statement (or line of simple statements) of file input.
    fn file_statement(&mut self) -> Result<Option<Stmt>> {
        while self.cur.kind == Tok::Newline {
            self.advance()?;
        }
        if self.cur.kind == Tok::EndOfInput {
            return Ok(None);
        }
        let mut stmts = Vec::new();
        self.statement(&mut stmts)?;
        let mut stmts = VecDeque::from(stmts);
        let first = stmts.pop_front();
        self.pending = stmts;
        Ok(first)
    }

    /// eval input: a testlist followed by optional newlines and the end.
    pub(crate) fn eval_input(&mut self) -> Result<Expr> {
        if let Some(err) = self.failed.take() {
            return Err(err);
        }
        let node = self.testlist()?;
        while self.cur.kind == Tok::Newline {
            self.advance()?;
        }
        self.expect_end()?;
        Ok(node.expr)
    }

    /// single input: a blank line, a line of simple statements, or one compound statement.
    pub(crate) fn single_input(&mut self) -> Result<ast::Module> {
        if let Some(err) = self.failed.take() {
            return Err(err);
        }
        let mut body = Vec::new();
        // single_input: NEWLINE | simple_stmt | compound_stmt. Blank lines stand for the
        // NEWLINE; input with no line at all (empty, or only a line continuation) is a
        // syntax error, as in MicroPython.
        if self.cur.kind == Tok::Newline {
            self.advance()?;
        } else if self.cur.kind == Tok::EndOfInput {
            if !self.blank_line_seen {
                return Err(self.unexpected());
            }
        } else {
            self.statement(&mut body)?;
        }
        while self.cur.kind == Tok::Newline {
            self.advance()?;
        }
        self.expect_end()?;
        Ok(ast::Module { body })
    }

    /// Requires the end of the input.
    fn expect_end(&self) -> Result<()> {
        if self.cur.kind == Tok::EndOfInput {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// Enters one level of nesting; too many is an error.
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(too_deep(self.cur.pos))
        } else {
            Ok(())
        }
    }

    /// Leaves one level of nesting.
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Wraps an expression of the given tree height into a node, checking the height limit.
    fn node(&self, pos: Pos, kind: ast::ExprKind, height: u32) -> Result<Node> {
        if self.block_depth.saturating_add(height) > MAX_DEPTH {
            return Err(too_deep(pos));
        }
        Ok(Node { expr: Expr { pos, kind }, height })
    }
}

/// The error for nesting beyond [`MAX_DEPTH`].
fn too_deep(pos: Pos) -> CompileError {
    CompileError::syntax("too deeply nested", pos)
}
