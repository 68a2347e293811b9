//! Line structure: whitespace, comments, line joining, NEWLINE, INDENT and DEDENT.
//!
//! Indentation width follows MicroPython: a space, form feed or vertical tab
//! counts one column, a tab moves to the next multiple of 8. Only the leading
//! whitespace of the first non-blank line after a NEWLINE matters; blank and
//! comment-only lines are skipped without tokens.

use super::Lexer;
use crate::error::{CompileError, ErrorKind};
use crate::token::{Tok, Token};

/// The deepest indentation nesting accepted.
pub(super) const MAX_INDENT_LEVELS: usize = 100;

/// The column width of a tab stop.
const TAB_SIZE: u32 = 8;

impl Lexer<'_> {
    /// Skips a comment (the cursor is on `#`), stopping before the line end.
    fn skip_comment(&mut self) -> Result<(), CompileError> {
        while let Some(byte) = self.cur.peek() {
            match byte {
                b'\n' | b'\r' => break,
                0 => return Err(CompileError::syntax("invalid syntax", self.cur.pos())),
                _ => self.cur.bump(),
            }
        }
        Ok(())
    }

    /// Skips spaces, comments and explicit line joins inside a logical line.
    /// Physical line ends are skipped too inside brackets (and in f-string
    /// expressions); otherwise the cursor stops on the line end and the result
    /// is `true`.
    pub(super) fn skip_inline_space(&mut self) -> Result<bool, CompileError> {
        while let Some(byte) = self.cur.peek() {
            match byte {
                b'\n' | b'\r' => {
                    if self.bracket_depth == 0 && !self.is_expression() {
                        return Ok(true);
                    }
                    self.cur.bump();
                }
                b' ' | b'\t' | b'\x0b' | b'\x0c' => self.cur.bump(),
                b'#' if self.is_expression() => {
                    // MicroPython pastes the expression into the source, where a
                    // comment would swallow the rest of the line: refuse it.
                    return Err(CompileError::syntax("invalid syntax", self.cur.pos()));
                }
                b'#' => self.skip_comment()?,
                b'\\' if self.cur.newline_at(1) => {
                    self.cur.bump();
                    self.cur.bump();
                }
                _ => break,
            }
        }
        Ok(false)
    }

    /// Skips blank lines, comments and leading whitespace at the start of a
    /// logical line and returns the indentation width of the line reached.
    fn skip_blank_lines(&mut self) -> Result<u32, CompileError> {
        let mut width: u32 = 0;
        while let Some(byte) = self.cur.peek() {
            match byte {
                b' ' | b'\x0b' | b'\x0c' => width = width.saturating_add(1),
                b'\t' => width = (width / TAB_SIZE).saturating_add(1).saturating_mul(TAB_SIZE),
                b'\n' | b'\r' => width = 0,
                b'#' => {
                    self.skip_comment()?;
                    continue;
                }
                b'\\' if self.cur.newline_at(1) => {
                    self.cur.bump();
                    width = 0;
                }
                _ => break,
            }
            self.cur.bump();
        }
        Ok(width)
    }

    /// Starts a logical line: measures its indentation and queues the INDENT
    /// or DEDENT tokens (or the final DEDENTs and END at the end of input).
    pub(super) fn start_line(&mut self) -> Result<(), CompileError> {
        let width = self.skip_blank_lines()?;
        self.at_line_start = false;
        let first_line = core::mem::replace(&mut self.first_line, false);
        let pos = self.cur.pos();
        if self.cur.at_end() {
            while self.indents.len() > 1 {
                self.indents.pop();
                self.queue.push_back(Token { kind: Tok::Dedent, pos });
            }
            self.queue.push_back(Token { kind: Tok::EndOfInput, pos });
            self.finished = true;
            return Ok(());
        }
        let top = self.indents.last().copied().unwrap_or(0);
        if width > top {
            if first_line {
                return Err(CompileError::new(ErrorKind::IndentationError, "unexpected indent", pos));
            }
            if self.indents.len() > MAX_INDENT_LEVELS {
                return Err(CompileError::new(ErrorKind::IndentationError, "too many indentation levels", pos));
            }
            self.indents.push(width);
            self.queue.push_back(Token { kind: Tok::Indent, pos });
        } else if width < top {
            while self.indents.last().is_some_and(|&level| width < level) {
                self.indents.pop();
                self.queue.push_back(Token { kind: Tok::Dedent, pos });
            }
            if self.indents.last() != Some(&width) {
                // MicroPython reports this on the NEWLINE that ended the previous line.
                return Err(CompileError::new(
                    ErrorKind::IndentationError,
                    "unindent doesn't match any outer indent level",
                    self.last_newline,
                ));
            }
        }
        Ok(())
    }
}
