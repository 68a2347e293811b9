//! Whether the friendly REPL needs another line before it runs the input.
//!
//! First MicroPython's lexical rule (unclosed brackets or triple quotes, a
//! trailing backslash, a compound statement not yet ended by an empty line),
//! then the compiler: input that fails to compile only because it ends too
//! early (the error lies at the very end) also asks for more, unless the last
//! line was empty, which always ends the input.

use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

/// True if `input` (lines joined by `\n`, without a final newline unless the
/// last line was empty) needs another line.
pub fn needs_more(input: &str) -> bool {
    if input.is_empty() {
        return false;
    }
    if lexical_needs_more(input) {
        return true;
    }
    if input.ends_with('\n') || input.trim().is_empty() {
        return false;
    }
    ends_too_early(input)
}

/// MicroPython's rule (`mp_repl_continue_with_input`).
pub fn lexical_needs_more(input: &str) -> bool {
    if input.is_empty() {
        return false;
    }
    let compound = input.starts_with('@')
        || ["if", "while", "for", "try", "with", "def", "class", "async"].iter().any(|k| starts_with_word(input, k));
    #[derive(PartialEq, Clone, Copy)]
    enum Q {
        None,
        Single,
        Double,
        Triple1,
        Triple2,
    }
    let b = input.as_bytes();
    let (mut paren, mut brack, mut brace) = (0i32, 0i32, 0i32);
    let mut q = Q::None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next2 = |i: usize, ch: u8| b.get(i + 1) == Some(&ch) && b.get(i + 2) == Some(&ch);
        if c == b'\'' {
            if (q == Q::None || q == Q::Triple1) && next2(i, b'\'') {
                i += 2;
                q = if q == Q::None { Q::Triple1 } else { Q::None };
            } else if q == Q::None || q == Q::Single {
                q = if q == Q::None { Q::Single } else { Q::None };
            }
        } else if c == b'"' {
            if (q == Q::None || q == Q::Triple2) && next2(i, b'"') {
                i += 2;
                q = if q == Q::None { Q::Triple2 } else { Q::None };
            } else if q == Q::None || q == Q::Double {
                q = if q == Q::None { Q::Double } else { Q::None };
            }
        } else if c == b'\\' && matches!(b.get(i + 1), Some(b'\'' | b'"' | b'\\')) {
            if q != Q::None {
                i += 1;
            }
        } else if q == Q::None {
            match c {
                b'(' => paren += 1,
                b')' => paren -= 1,
                b'[' => brack += 1,
                b']' => brack -= 1,
                b'{' => brace += 1,
                b'}' => brace -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    if q == Q::Triple1 || q == Q::Triple2 {
        return true;
    }
    if (paren > 0 || brack > 0 || brace > 0) && q == Q::None {
        return true;
    }
    let last = b[b.len() - 1];
    if last == b'\\' {
        return true;
    }
    compound && last != b'\n'
}

fn starts_with_word(s: &str, word: &str) -> bool {
    s.starts_with(word) && !s[word.len()..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// True if compiling `input` fails at its very end (it stops mid-statement).
fn ends_too_early(input: &str) -> bool {
    let Err(e) = compile_bytes(input.as_bytes(), "<stdin>", InputKind::Single, &CompileOptions::default()) else {
        return false;
    };
    let trimmed = input.trim_end();
    let last_line = trimmed.lines().count().max(1) as u32;
    let last_len = trimmed.rsplit('\n').next().unwrap_or("").chars().count() as u32;
    e.pos.line > last_line || (e.pos.line == last_line && e.pos.col > last_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micropython_lexical_rule() {
        assert!(!needs_more("1 + 2"));
        assert!(needs_more("for i in range(3):"));
        assert!(needs_more("for i in range(3):\n    print(i)"));
        assert!(!needs_more("for i in range(3):\n    print(i)\n"));
        assert!(needs_more("@dec"));
        assert!(needs_more("x = (1,"));
        assert!(!needs_more("x = '('"));
        assert!(needs_more("x = 1 + \\"));
        assert!(needs_more("s = '''abc"));
        assert!(!needs_more("s = '''abc\n'''"));
        assert!(needs_more("s = \"\"\"a"));
        assert!(!needs_more("iffy = 3"));
        assert!(!needs_more(""));
        assert!(!needs_more("x = ')'"));
    }

    #[test]
    fn compiler_says_incomplete() {
        assert!(needs_more("x = 1 +"));
        assert!(!needs_more("x = 1 +\n"));
        // A real error in the middle is reported at once.
        assert!(!needs_more("x = = 1"));
        assert!(!needs_more("1 +* 2"));
    }
}
