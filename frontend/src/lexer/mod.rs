//! The lexer: source text to tokens, following MicroPython's lexer.
//!
//! [`Lexer`] is a streaming tokenizer: the parser pulls one token at a time
//! with [`Lexer::next_token`]. Only small queues are kept (the DEDENTs closed
//! by one line, the literals of one run of adjacent strings, and the tokens of
//! an f-string rewrite).
//!
//! Line structure: blank and comment-only lines produce no tokens; every
//! logical line ends with `Newline` (also the last one when the file lacks a
//! final line end); indentation changes give `Indent` / one `Dedent` per level
//! closed; line ends inside `()`, `[]`, `{}` and after a backslash are joined.
//! `\r` and `\r\n` are line ends like `\n`.
//!
//! F-strings are rewritten as MicroPython does (see the `fstring` module):
//! `f"a{x}b{y!r}"` reaches the parser as `"a{}b{!r}" . format ( ( x ) , ( y ) , )`.
//!
//! Errors are [`CompileError`]s with MicroPython's messages; after an error the
//! lexer keeps returning the same error.
//!
//! Where ferropy differs from MicroPython's lexer, on purpose:
//! * a NUL byte anywhere (even in a string or comment) is a SyntaxError
//!   (MicroPython turns it into byte 1);
//! * `\ud800`-style surrogate escapes in str literals are a SyntaxError (Rust
//!   strings cannot hold them);
//! * a comment inside an f-string field is a SyntaxError;
//! * f-strings may nest at most 32 deep, indentation at most 100 levels, and
//!   non-decimal integer literals may need at most 65536 bits (MemoryError);
//! * "unexpected indent" on the first line is reported by the lexer itself
//!   (later unexpected `Indent` tokens are left to the parser, as in MicroPython).

mod cursor;
mod fstring;
mod layout;
mod number;
mod operator;
mod string;
#[cfg(test)]
mod tests;

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

use crate::error::CompileError;
use crate::strmap::Interner;
use crate::token::{Pos, Tok, Token};
use cursor::Cursor;

/// Checks that source bytes are UTF-8; the error is a SyntaxError at the line/column of the first bad byte.
pub fn decode_source(bytes: &[u8]) -> Result<&str, CompileError> {
    match core::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let valid = bytes.get(..err.valid_up_to()).unwrap_or(&[]);
            let prefix = core::str::from_utf8(valid).unwrap_or("");
            let mut cur = Cursor::new(prefix);
            while !cur.at_end() {
                cur.bump();
            }
            Err(CompileError::syntax("invalid UTF-8 in source", cur.pos()))
        }
    }
}

/// Convenience: all tokens up to and including EndOfInput.
pub fn tokenize(source: &str) -> Result<Vec<Token>, CompileError> {
    let mut lexer = Lexer::new(source);
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let done = token.kind == Tok::EndOfInput;
        tokens.push(token);
        if done {
            return Ok(tokens);
        }
    }
}

/// A streaming lexer over one source text.
#[derive(Clone, Debug)]
pub struct Lexer<'src> {
    cur: Cursor<'src>,
    /// Tokens produced but not yet handed out.
    queue: VecDeque<Token>,
    /// Widths of the open indentation levels (the first is always 0).
    indents: Vec<u32>,
    /// Depth of open `(`, `[` and `{`.
    bracket_depth: u32,
    /// True when the next token starts a logical line.
    at_line_start: bool,
    /// True until the first logical line has been started.
    first_line: bool,
    /// True once `EndOfInput` has been queued.
    finished: bool,
    /// Where the last `Newline` token was.
    last_newline: Pos,
    /// 0 for a source file; n > 0 for the expression of an f-string nested n deep.
    fstring_nesting: u32,
    /// The error returned, kept so that later calls return it again.
    failed: Option<CompileError>,
    /// Identifiers met so far, so that repeated names share one allocation.
    names: Interner,
}

impl<'src> Lexer<'src> {
    /// A lexer over a whole source file.
    pub fn new(source: &'src str) -> Self {
        Lexer {
            cur: Cursor::new(source),
            queue: VecDeque::new(),
            indents: vec![0],
            bracket_depth: 0,
            at_line_start: true,
            first_line: true,
            finished: false,
            last_newline: Pos::new(1, 1),
            fstring_nesting: 0,
            failed: None,
            names: Interner::default(),
        }
    }

    /// A lexer over an f-string field expression: no line structure, line ends
    /// are plain whitespace.
    fn for_expression(text: &'src str, nesting: u32) -> Self {
        Lexer { at_line_start: false, first_line: false, fstring_nesting: nesting, ..Lexer::new(text) }
    }

    /// True for the lexer of an f-string field expression.
    fn is_expression(&self) -> bool {
        self.fstring_nesting > 0
    }

    /// The next token. After `Tok::EndOfInput` it keeps returning `EndOfInput`.
    pub fn next_token(&mut self) -> Result<Token, CompileError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        match self.produce() {
            Ok(token) => Ok(token),
            Err(err) => {
                self.queue.clear();
                self.failed = Some(err.clone());
                Err(err)
            }
        }
    }

    fn produce(&mut self) -> Result<Token, CompileError> {
        loop {
            if let Some(token) = self.queue.pop_front() {
                return Ok(token);
            }
            if self.finished {
                return Ok(Token { kind: Tok::EndOfInput, pos: self.cur.pos() });
            }
            if self.at_line_start {
                self.start_line()?;
                continue;
            }
            let stopped_at_line_end = self.skip_inline_space()?;
            let pos = self.cur.pos();
            if stopped_at_line_end {
                self.cur.bump();
                return Ok(self.newline(pos));
            }
            if self.cur.at_end() {
                if self.bracket_depth == 0 && !self.is_expression() {
                    // The last line lacks a line end: end it anyway.
                    return Ok(self.newline(pos));
                }
                self.finished = true;
                return Ok(Token { kind: Tok::EndOfInput, pos });
            }
            if fstring::starts_string(&self.cur) {
                self.lex_string_run()?;
                continue;
            }
            return self.lex_other();
        }
    }

    /// A `Newline` token at `pos`; the next token starts a logical line.
    fn newline(&mut self, pos: Pos) -> Token {
        self.at_line_start = true;
        self.last_newline = pos;
        Token { kind: Tok::Newline, pos }
    }

    /// Lexes a name, keyword, number or operator at the cursor.
    fn lex_other(&mut self) -> Result<Token, CompileError> {
        let pos = self.cur.pos();
        let first = self.cur.peek().unwrap_or(0);
        if first.is_ascii_alphabetic() || first == b'_' || first >= 0x80 {
            return Ok(self.lex_name());
        }
        if first.is_ascii_digit() || (first == b'.' && self.cur.peek_at(1).is_some_and(|b| b.is_ascii_digit())) {
            return number::lex_number(&mut self.cur);
        }
        let ahead = [self.cur.peek(), self.cur.peek_at(1), self.cur.peek_at(2)];
        let Some((kind, len)) = operator::match_operator(ahead) else {
            return Err(CompileError::syntax("invalid syntax", pos));
        };
        for _ in 0..len {
            self.cur.bump();
        }
        match kind {
            Tok::LParen | Tok::LBracket | Tok::LBrace => {
                self.bracket_depth = self.bracket_depth.saturating_add(1);
            }
            Tok::RParen | Tok::RBracket | Tok::RBrace => {
                self.bracket_depth = self.bracket_depth.saturating_sub(1);
            }
            _ => {}
        }
        Ok(Token { kind, pos })
    }

    /// Lexes a name or keyword. Any non-ASCII character counts as a letter, as
    /// in MicroPython.
    fn lex_name(&mut self) -> Token {
        let pos = self.cur.pos();
        let start = self.cur.offset();
        loop {
            self.cur.skip_ascii_word();
            match self.cur.peek() {
                Some(byte) if byte >= 0x80 => self.cur.bump(),
                _ => break,
            }
        }
        let name = self.cur.slice(start, self.cur.offset());
        let kind = match operator::keyword(name) {
            Some(kw) => kw,
            None => Tok::Name(self.names.intern(name)),
        };
        Token { kind, pos }
    }
}
