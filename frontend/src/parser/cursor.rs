//! Token-level helpers: looking at, consuming and expecting tokens, and the generic error.

use alloc::string::String;

use super::{Core, TokenSource};
use crate::ast::Ident;
use crate::error::{CompileError, ErrorKind, Result};
use crate::token::{Pos, Tok, Token};

impl<S: TokenSource> Core<S> {
    /// Consumes the current token and returns it.
    pub(super) fn advance(&mut self) -> Result<Token> {
        let next = self.source.next_token()?;
        Ok(core::mem::replace(&mut self.cur, next))
    }

    /// True when the current token is `kind` (for tokens without data).
    pub(super) fn at(&self, kind: &Tok) -> bool {
        // Callers pass tokens without data, so comparing the variants is enough.
        core::mem::discriminant(&self.cur.kind) == core::mem::discriminant(kind)
    }

    /// Consumes the current token if it is `kind`; says whether it did.
    pub(super) fn eat(&mut self, kind: &Tok) -> Result<bool> {
        if self.at(kind) {
            self.advance()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Consumes a token of the given kind, or fails with a syntax error at the current token.
    pub(super) fn expect(&mut self, kind: &Tok) -> Result<Pos> {
        if self.at(kind) {
            Ok(self.advance()?.pos)
        } else {
            Err(self.unexpected())
        }
    }

    /// Consumes a name token and returns the name and its position.
    pub(super) fn expect_name(&mut self) -> Result<(Ident, Pos)> {
        if let Tok::Name(_) = self.cur.kind {
            let tok = self.advance()?;
            if let Tok::Name(name) = tok.kind {
                return Ok((name, tok.pos));
            }
        }
        Err(self.unexpected())
    }

    /// A dotted name `a.b.c` as one string.
    pub(super) fn dotted_name(&mut self) -> Result<(Ident, Pos)> {
        let (first, pos) = self.expect_name()?;
        if !self.at(&Tok::Dot) {
            return Ok((first, pos));
        }
        let mut name = String::from(&*first);
        while self.eat(&Tok::Dot)? {
            let (part, _) = self.expect_name()?;
            name.push('.');
            name.push_str(&part);
        }
        Ok((Ident::from(name), pos))
    }

    /// The error for a token the grammar does not allow here, worded as MicroPython does.
    pub(super) fn unexpected(&self) -> CompileError {
        if self.cur.kind == Tok::Indent {
            CompileError::new(ErrorKind::IndentationError, "unexpected indent", self.cur.pos)
        } else {
            CompileError::syntax("invalid syntax", self.cur.pos)
        }
    }

    /// A syntax error with a specific message at `pos`.
    pub(super) fn error_at(msg: &str, pos: Pos) -> CompileError {
        CompileError::syntax(String::from(msg), pos)
    }
}
