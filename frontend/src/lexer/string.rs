//! One string or bytes literal: prefix, quotes, escapes, and (for f-strings)
//! the extraction of replacement-field expressions.
//!
//! MicroPython accepts only lower-case prefixes: `u`, `r`, `b`, `f`, `rb`, `br`,
//! `rf`, `fr`. An upper-case letter before a quote is an ordinary name.
//!
//! Escapes (not in raw literals): `\\ \' \" \a \b \f \n \r \t \v`, octal
//! `\o`, `\oo`, `\ooo`, `\xhh`, and in str literals `\uXXXX` and `\UXXXXXXXX`
//! (bytes literals keep `\u`/`\U` as written). `\N{...}` raises
//! NotImplementedError("unicode name escapes"). Unknown escapes are kept with
//! their backslash. A backslash before a line end joins the lines.
//! Non-ASCII characters in bytes literals are kept as their UTF-8 bytes, as in
//! MicroPython.

use alloc::vec::Vec;

use super::cursor::Cursor;
use crate::error::{CompileError, ErrorKind};
use crate::token::Pos;

/// The prefix of a string literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Prefix {
    /// Number of prefix letters (0, 1 or 2).
    pub len: usize,
    /// A bytes literal (`b`).
    pub bytes: bool,
    /// A raw literal (`r`).
    pub raw: bool,
    /// An f-string (`f`).
    pub fstring: bool,
}

/// A replacement-field expression of an f-string, as it is written in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct FieldExpr<'src> {
    /// Where the expression text starts.
    pub pos: Pos,
    /// The expression text (without a trailing self-documenting `=`).
    pub text: &'src str,
}

fn is_quote(byte: Option<u8>) -> bool {
    matches!(byte, Some(b'\'' | b'"'))
}

/// The string prefix at the cursor if a string or bytes literal starts there.
pub(super) fn string_prefix(cur: &Cursor<'_>) -> Option<Prefix> {
    let plain = Prefix { len: 0, bytes: false, raw: false, fstring: false };
    let first = cur.peek()?;
    if is_quote(Some(first)) {
        return Some(plain);
    }
    if is_quote(cur.peek_at(1)) {
        let prefix = match first {
            b'u' => plain,
            b'r' => Prefix { raw: true, ..plain },
            b'b' => Prefix { bytes: true, ..plain },
            b'f' => Prefix { fstring: true, ..plain },
            _ => return None,
        };
        return Some(Prefix { len: 1, ..prefix });
    }
    if is_quote(cur.peek_at(2)) {
        let second = cur.peek_at(1)?;
        let prefix = match (first, second) {
            (b'r', b'b') | (b'b', b'r') => Prefix { bytes: true, ..plain },
            (b'r', b'f') | (b'f', b'r') => Prefix { fstring: true, ..plain },
            _ => return None,
        };
        return Some(Prefix { len: 2, raw: true, ..prefix });
    }
    None
}

/// The error for a literal that never ends, or that holds something invalid.
fn invalid_syntax(pos: Pos) -> CompileError {
    CompileError::syntax("invalid syntax", pos)
}

/// Scans one literal whose prefix letters are already consumed: the cursor is
/// on the opening quote. The decoded value (for an f-string: its format
/// template) is appended to `out` (UTF-8 for str literals); f-string field
/// expressions are appended to `fields`.
pub(super) fn scan_literal<'src>(
    cur: &mut Cursor<'src>,
    prefix: Prefix,
    lit_pos: Pos,
    out: &mut Vec<u8>,
    fields: &mut Vec<FieldExpr<'src>>,
) -> Result<(), CompileError> {
    let quote = cur.peek().ok_or_else(|| invalid_syntax(lit_pos))?;
    cur.bump();
    let triple = cur.peek() == Some(quote) && cur.peek_at(1) == Some(quote);
    if triple {
        cur.bump();
        cur.bump();
    }
    let mut closing = 0;
    loop {
        let Some(byte) = cur.peek() else {
            return Err(invalid_syntax(lit_pos));
        };
        if byte == quote {
            cur.bump();
            if !triple {
                return Ok(());
            }
            closing += 1;
            if closing == 3 {
                out.truncate(out.len().saturating_sub(2));
                return Ok(());
            }
            out.push(quote);
            continue;
        }
        closing = 0;
        match byte {
            b'\n' | b'\r' if !triple => return Err(invalid_syntax(lit_pos)),
            b'\n' | b'\r' => {
                out.push(b'\n');
                cur.bump();
            }
            0 => return Err(invalid_syntax(cur.pos())),
            b'{' if prefix.fstring => scan_field_start(cur, out, fields)?,
            b'\\' => scan_escape(cur, prefix, out)?,
            _ => push_current_char(cur, out),
        }
    }
}

/// Copies the current character to `out` as UTF-8 and moves past it.
fn push_current_char(cur: &mut Cursor<'_>, out: &mut Vec<u8>) {
    if let Some(ch) = cur.peek_char() {
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    cur.bump();
}

/// Handles a `{` in an f-string: either `{{` (kept for `str.format`) or the
/// start of a replacement field, whose expression is extracted as MicroPython
/// does: everything up to a `:`, `}` or `!r`/`!s` conversion at bracket depth
/// zero, where only `[]` and `{}` count as brackets. The template gets `{`, and
/// scanning continues with the stop character as ordinary template text.
fn scan_field_start<'src>(
    cur: &mut Cursor<'src>,
    out: &mut Vec<u8>,
    fields: &mut Vec<FieldExpr<'src>>,
) -> Result<(), CompileError> {
    let brace_pos = cur.pos();
    cur.bump();
    if cur.peek() == Some(b'{') {
        cur.bump();
        out.extend_from_slice(b"{{");
        return Ok(());
    }
    let expr_pos = cur.pos();
    let start = cur.offset();
    let mut depth: i64 = 0;
    while let Some(byte) = cur.peek() {
        if depth == 0 {
            let conversion = byte == b'!'
                && matches!(cur.peek_at(1), Some(b'r' | b's'))
                && matches!(cur.peek_at(2), Some(b':' | b'}'));
            if byte == b':' || byte == b'}' || conversion {
                break;
            }
        }
        match byte {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            0 => return Err(invalid_syntax(cur.pos())),
            _ => {}
        }
        cur.bump();
    }
    let text = cur.slice(start, cur.offset());
    let expr = match text.strip_suffix('=') {
        Some(expr) => {
            // Self-documenting `{expr=}`: the template shows the text, `=` included.
            out.extend_from_slice(text.as_bytes());
            expr
        }
        None => text,
    };
    if expr.is_empty() {
        return Err(CompileError::syntax("malformed f-string", brace_pos));
    }
    out.push(b'{');
    fields.push(FieldExpr { pos: expr_pos, text: expr });
    Ok(())
}

/// Handles a backslash (the cursor is on it).
fn scan_escape(cur: &mut Cursor<'_>, prefix: Prefix, out: &mut Vec<u8>) -> Result<(), CompileError> {
    let escape_pos = cur.pos();
    cur.bump();
    let Some(ch) = cur.peek_char() else {
        // The backslash is the last character: the literal is unterminated,
        // which the caller reports.
        return Ok(());
    };
    if prefix.raw {
        // Raw literals keep the backslash and whatever follows it.
        out.push(b'\\');
        if cur.at_newline() {
            out.push(b'\n');
            cur.bump();
        } else {
            push_current_char(cur, out);
        }
        return Ok(());
    }
    if cur.at_newline() {
        cur.bump();
        return Ok(());
    }
    cur.bump();
    let code: u32 = match ch {
        '\\' | '\'' | '"' => u32::from(ch),
        'a' => 0x07,
        'b' => 0x08,
        't' => 0x09,
        'n' => 0x0a,
        'v' => 0x0b,
        'f' => 0x0c,
        'r' => 0x0d,
        'u' | 'U' if prefix.bytes => {
            out.push(b'\\');
            u32::from(ch)
        }
        'x' | 'u' | 'U' => {
            let count = match ch {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            read_hex(cur, count).ok_or_else(|| invalid_syntax(escape_pos))?
        }
        'N' => return Err(CompileError::new(ErrorKind::NotImplementedError, "unicode name escapes", escape_pos)),
        '0'..='7' => {
            let mut value = u32::from(ch) - u32::from('0');
            for _ in 0..2 {
                match cur.peek() {
                    Some(digit @ b'0'..=b'7') => {
                        value = value * 8 + u32::from(digit - b'0');
                        cur.bump();
                    }
                    _ => break,
                }
            }
            value
        }
        _ => {
            out.push(b'\\');
            u32::from(ch)
        }
    };
    push_code(code, prefix.bytes, out).ok_or_else(|| invalid_syntax(escape_pos))
}

/// Reads exactly `count` hex digits.
fn read_hex(cur: &mut Cursor<'_>, count: usize) -> Option<u32> {
    let mut value: u32 = 0;
    for _ in 0..count {
        let digit = char::from(cur.peek()?).to_digit(16)?;
        value = (value << 4) | digit;
        cur.bump();
    }
    Some(value)
}

/// Appends the character or byte `code`; `None` if it is out of range
/// (bytes above 0xff; code points above U+10FFFF or surrogates, which Rust
/// strings cannot hold).
fn push_code(code: u32, bytes: bool, out: &mut Vec<u8>) -> Option<()> {
    if bytes {
        out.push(u8::try_from(code).ok()?);
    } else {
        let ch = char::from_u32(code)?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn scan(text: &str) -> Result<(Vec<u8>, Vec<FieldExpr<'_>>), CompileError> {
        let mut cur = Cursor::new(text);
        let prefix = string_prefix(&cur).expect("not a string");
        for _ in 0..prefix.len {
            cur.bump();
        }
        let mut out = Vec::new();
        let mut fields = Vec::new();
        scan_literal(&mut cur, prefix, Pos::new(1, 1), &mut out, &mut fields)?;
        Ok((out, fields))
    }

    fn value(text: &str) -> Vec<u8> {
        scan(text).unwrap().0
    }

    fn str_value(text: &str) -> String {
        String::from_utf8(value(text)).unwrap()
    }

    #[test]
    fn prefixes() {
        let p = |t: &str| string_prefix(&Cursor::new(t));
        assert_eq!(p("'a'").map(|p| p.len), Some(0));
        assert!(p("b'a'").unwrap().bytes);
        assert!(p("rb'a'").unwrap().bytes && p("rb'a'").unwrap().raw);
        assert!(p("br'a'").unwrap().bytes && p("br'a'").unwrap().raw);
        assert!(p("rf'a'").unwrap().fstring && p("fr'a'").unwrap().raw);
        assert_eq!(p("u'a'").map(|p| (p.len, p.bytes, p.raw)), Some((1, false, false)));
        for not_string in ["B'a'", "R'a'", "F'a'", "U'a'", "ub'a'", "bu'a'", "rr'a'", "x'a'", "ab", ""] {
            assert_eq!(p(not_string), None, "{not_string}");
        }
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(str_value(r#""\n\t\\\'\"\a\b\f\v\r""#), "\n\t\\'\"\x07\x08\x0c\x0b\r");
        assert_eq!(str_value(r"'\0\7\101\1011'"), "\0\x07AA1");
        assert_eq!(str_value(r"'\777'"), "\u{1ff}");
        assert_eq!(str_value(r"'\x41\xff'"), "A\u{ff}");
        assert_eq!(str_value(r"'\u20ac\U0001F600'"), "€😀");
        assert_eq!(str_value(r"'\q\é'"), "\\q\\é");
        assert_eq!(str_value("'a\\\nb'"), "ab");
        assert_eq!(str_value("'a\\\r\nb'"), "ab");
    }

    #[test]
    fn bytes_escapes() {
        assert_eq!(value(r"b'\x41\xff\377\n'"), b"A\xff\xff\n");
        assert_eq!(value(r"b'\u1234\U00012345'"), b"\\u1234\\U00012345");
        assert_eq!(value("b'\u{e9}'"), "\u{e9}".as_bytes());
        assert!(scan(r"b'\777'").is_err());
    }

    #[test]
    fn bad_escapes() {
        for text in [r"'\x4'", r"'\xg0'", r"'\u123'", r"'\U00110000'", r"'\ud800'"] {
            let err = scan(text).unwrap_err();
            assert_eq!(err.msg, "invalid syntax", "{text}");
        }
        let err = scan(r"'\N{DASH}'").unwrap_err();
        assert_eq!((err.kind, err.msg.as_str()), (ErrorKind::NotImplementedError, "unicode name escapes"));
    }

    #[test]
    fn raw_literals() {
        assert_eq!(str_value(r"r'\n\''"), "\\n\\'");
        assert_eq!(str_value("r'a\\\nb'"), "a\\\nb");
        assert_eq!(value(r"rb'\x00'"), b"\\x00");
        assert!(scan(r"r'\'").is_err());
    }

    #[test]
    fn triple_quoted() {
        assert_eq!(str_value("'''a\nb'c''d'''"), "a\nb'c''d");
        assert_eq!(str_value("\"\"\"x\r\ny\"\"\""), "x\ny");
        assert_eq!(str_value("''''''"), "");
        assert_eq!(str_value("'''a\\''''"), "a'");
        assert!(scan("'''abc''").is_err());
    }

    #[test]
    fn unterminated() {
        for text in ["'abc", "'abc\n'", "\"a\\", "'''", "'"] {
            let err = scan(text).unwrap_err();
            assert_eq!((err.msg.as_str(), err.pos), ("invalid syntax", Pos::new(1, 1)), "{text:?}");
        }
    }

    #[test]
    fn nul_is_rejected() {
        let err = scan("'a\0'").unwrap_err();
        assert_eq!(err.pos, Pos::new(1, 3));
    }

    #[test]
    fn fstring_fields() {
        let (template, fields) = scan(r#"f"a{x!r:>{w}}b{y}{{z}}""#).unwrap();
        assert_eq!(String::from_utf8(template).unwrap(), "a{!r:>{}}b{}{{z}}");
        let texts: Vec<&str> = fields.iter().map(|f| f.text).collect();
        assert_eq!(texts, ["x", "w", "y"]);
        assert_eq!(fields[0].pos, Pos::new(1, 5));

        let (template, fields) = scan(r#"f"{a=}{b!s}{c!=d}{e[':']}""#).unwrap();
        assert_eq!(String::from_utf8(template).unwrap(), "a={}{!s}{}{}");
        let texts: Vec<&str> = fields.iter().map(|f| f.text).collect();
        assert_eq!(texts, ["a", "b", "c!=d", "e[':']"]);

        let (template, _) = scan(r#"f"\{x}}""#).unwrap();
        assert_eq!(String::from_utf8(template).unwrap(), "\\{x}}");
    }

    #[test]
    fn malformed_fstrings() {
        assert_eq!(scan(r#"f"{}""#).unwrap_err().msg, "malformed f-string");
        assert_eq!(scan(r#"f"{=}""#).unwrap_err().msg, "malformed f-string");
        assert_eq!(scan(r#"f"{a""#).unwrap_err().msg, "invalid syntax");
        assert_eq!(scan(r#"f"{a]}""#).unwrap_err().msg, "invalid syntax");
    }
}
