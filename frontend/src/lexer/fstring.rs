//! Runs of adjacent string literals, and the f-string rewrite.
//!
//! Like MicroPython, a run of adjacent literals that contains an f-string is
//! turned into one format template followed by a call of its `format` method:
//!
//! ```text
//! f"a{x!r:>{w}}b" "c" f"{y=}"   becomes   "a{!r:>{}}bcy={}" . format ( ( x ) , ( w ) , ( y ) , )
//! ```
//!
//! Every expression is wrapped in parentheses and followed by a comma, so
//! `f"{a, b}"` formats the tuple `(a, b)`. Plain literals in such a run are
//! copied into the template unchanged (braces in them are therefore format
//! syntax, as in MicroPython). An f-string without fields still gets the
//! `.format()` call, which turns `{{` into `{`. Runs without f-strings produce
//! one token per literal; the parser joins them.

use alloc::string::String;
use alloc::vec::Vec;

use super::cursor::Cursor;
use super::string::{scan_literal, string_prefix, FieldExpr};
use super::Lexer;
use crate::error::CompileError;
use crate::token::{Pos, Tok, Token};

/// How deeply f-strings may nest inside f-string expressions.
pub(super) const MAX_FSTRING_NESTING: u32 = 32;

/// Translates a position inside an f-string expression to the whole source.
fn translate(inner: Pos, origin: Pos) -> Pos {
    if inner.line <= 1 {
        Pos::new(origin.line, origin.col.saturating_add(inner.col.saturating_sub(1)))
    } else {
        Pos::new(origin.line.saturating_add(inner.line - 1), inner.col)
    }
}

impl<'src> Lexer<'src> {
    /// Lexes a run of adjacent string (or bytes) literals starting at the
    /// cursor and queues its tokens.
    pub(super) fn lex_string_run(&mut self) -> Result<(), CompileError> {
        let run_pos = self.cur.pos();
        let mut literals: Vec<(Pos, Vec<u8>)> = Vec::new();
        let mut fields: Vec<FieldExpr<'src>> = Vec::new();
        let mut has_fstring = false;
        let mut run_is_bytes = None;
        while let Some(prefix) = string_prefix(&self.cur) {
            if *run_is_bytes.get_or_insert(prefix.bytes) != prefix.bytes {
                break;
            }
            let lit_pos = self.cur.pos();
            for _ in 0..prefix.len {
                self.cur.bump();
            }
            has_fstring |= prefix.fstring;
            let mut value = Vec::new();
            scan_literal(&mut self.cur, prefix, lit_pos, &mut value, &mut fields)?;
            literals.push((lit_pos, value));
            if self.skip_inline_space()? {
                break;
            }
        }
        if run_is_bytes == Some(true) {
            for (pos, value) in literals {
                self.queue.push_back(Token { kind: Tok::Bytes(value), pos });
            }
            return Ok(());
        }
        if !has_fstring {
            for (pos, value) in literals {
                self.queue.push_back(Token { kind: Tok::Str(to_string(value, pos)?), pos });
            }
            return Ok(());
        }
        let template: Vec<u8> = literals.into_iter().flat_map(|(_, value)| value).collect();
        let template = to_string(template, run_pos)?;
        self.queue_format_call(template, run_pos, &fields)
    }

    /// Queues `"template" . format ( (e1) , (e2) , )`.
    fn queue_format_call(
        &mut self,
        template: String,
        pos: Pos,
        fields: &[FieldExpr<'src>],
    ) -> Result<(), CompileError> {
        let at = |kind| Token { kind, pos };
        self.queue.push_back(at(Tok::Str(template)));
        self.queue.push_back(at(Tok::Dot));
        self.queue.push_back(at(Tok::Name(crate::ast::Ident::from("format"))));
        self.queue.push_back(at(Tok::LParen));
        for field in fields {
            let origin = field.pos;
            self.queue.push_back(Token { kind: Tok::LParen, pos: origin });
            self.lex_field_expression(field)?;
            self.queue.push_back(Token { kind: Tok::RParen, pos: origin });
            self.queue.push_back(Token { kind: Tok::Comma, pos: origin });
        }
        self.queue.push_back(at(Tok::RParen));
        Ok(())
    }

    /// Lexes one field expression with a nested lexer and queues its tokens,
    /// with positions pointing into the whole source.
    fn lex_field_expression(&mut self, field: &FieldExpr<'src>) -> Result<(), CompileError> {
        let origin = field.pos;
        let nesting = self.fstring_nesting + 1;
        if nesting > MAX_FSTRING_NESTING {
            return Err(CompileError::syntax("f-string nested too deeply", origin));
        }
        let mut inner = Lexer::for_expression(field.text, nesting);
        loop {
            let token = inner.next_token().map_err(|mut err| {
                err.pos = translate(err.pos, origin);
                err
            })?;
            if token.kind == Tok::EndOfInput {
                return Ok(());
            }
            self.queue.push_back(Token { kind: token.kind, pos: translate(token.pos, origin) });
        }
    }
}

/// Converts a decoded str literal to a `String`.
fn to_string(bytes: Vec<u8>, pos: Pos) -> Result<String, CompileError> {
    String::from_utf8(bytes).map_err(|_| CompileError::syntax("invalid syntax", pos))
}

/// True when a string or bytes literal starts at the cursor.
pub(super) fn starts_string(cur: &Cursor<'_>) -> bool {
    string_prefix(cur).is_some()
}
