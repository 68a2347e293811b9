//! A read position in the source text that keeps track of line and column.
//!
//! The cursor walks the UTF-8 source one character at a time. Line ends are
//! `\n`, `\r` or `\r\n`; all three count as a single newline. Columns are
//! 1-based and counted in characters (a tab is one character here; the tab
//! rule only matters for indentation, which the lexer measures itself).

use crate::token::Pos;

/// A position in the source plus the line/column bookkeeping for it.
#[derive(Clone, Debug)]
pub(super) struct Cursor<'src> {
    src: &'src str,
    offset: usize,
    line: u32,
    col: u32,
}

/// True for a byte that continues a multi-byte UTF-8 sequence.
fn is_continuation_byte(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

impl<'src> Cursor<'src> {
    /// A cursor at the start of `src` (line 1, column 1).
    pub(super) fn new(src: &'src str) -> Self {
        Cursor { src, offset: 0, line: 1, col: 1 }
    }

    /// The current byte offset into the source.
    pub(super) fn offset(&self) -> usize {
        self.offset
    }

    /// The position of the current character.
    pub(super) fn pos(&self) -> Pos {
        Pos::new(self.line, self.col)
    }

    /// True when all input is consumed.
    pub(super) fn at_end(&self) -> bool {
        self.offset >= self.src.len()
    }

    /// The current byte, if any.
    pub(super) fn peek(&self) -> Option<u8> {
        self.peek_at(0)
    }

    /// The byte `ahead` bytes after the current one, if any.
    pub(super) fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.as_bytes().get(self.offset.checked_add(ahead)?).copied()
    }

    /// The current character, if any.
    pub(super) fn peek_char(&self) -> Option<char> {
        self.src.get(self.offset..)?.chars().next()
    }

    /// True when the current character starts a line end (`\n` or `\r`).
    pub(super) fn at_newline(&self) -> bool {
        matches!(self.peek(), Some(b'\n' | b'\r'))
    }

    /// True when the byte `ahead` bytes on starts a line end.
    pub(super) fn newline_at(&self, ahead: usize) -> bool {
        matches!(self.peek_at(ahead), Some(b'\n' | b'\r'))
    }

    /// Moves past the current character (a whole `\r\n` pair counts as one).
    pub(super) fn bump(&mut self) {
        let bytes = self.src.as_bytes();
        let Some(&byte) = bytes.get(self.offset) else {
            return;
        };
        self.offset += 1;
        match byte {
            b'\r' => {
                if bytes.get(self.offset) == Some(&b'\n') {
                    self.offset += 1;
                }
                self.new_line();
            }
            b'\n' => self.new_line(),
            _ => {
                while bytes.get(self.offset).is_some_and(|&b| is_continuation_byte(b)) {
                    self.offset += 1;
                }
                self.col = self.col.saturating_add(1);
            }
        }
    }

    /// Moves past a run of ASCII letters, digits and underscores (one column each).
    pub(super) fn skip_ascii_word(&mut self) {
        let rest = self.src.as_bytes().get(self.offset..).unwrap_or(&[]);
        let n = rest.iter().take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_').count();
        self.offset += n;
        self.col = self.col.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
    }

    fn new_line(&mut self) {
        self.line = self.line.saturating_add(1);
        self.col = 1;
    }

    /// The source text between two byte offsets (empty if they are not char boundaries).
    pub(super) fn slice(&self, start: usize, end: usize) -> &'src str {
        self.src.get(start..end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_columns_in_chars() {
        let mut cur = Cursor::new("aé\r\nb\rc\nd");
        assert_eq!(cur.pos(), Pos::new(1, 1));
        cur.bump();
        cur.bump();
        assert_eq!(cur.pos(), Pos::new(1, 3));
        assert!(cur.at_newline());
        cur.bump();
        assert_eq!(cur.pos(), Pos::new(2, 1));
        assert_eq!(cur.peek(), Some(b'b'));
        cur.bump();
        cur.bump();
        assert_eq!(cur.pos(), Pos::new(3, 1));
        cur.bump();
        cur.bump();
        assert_eq!(cur.pos(), Pos::new(4, 1));
        cur.bump();
        assert!(cur.at_end());
        cur.bump();
        assert!(cur.at_end());
        assert_eq!(cur.pos(), Pos::new(4, 2));
    }

    #[test]
    fn slice_outside_boundaries_is_empty() {
        let cur = Cursor::new("é");
        assert_eq!(cur.slice(0, 1), "");
        assert_eq!(cur.slice(0, 2), "é");
        assert_eq!(cur.slice(5, 9), "");
    }
}
