//! Operators, delimiters and keywords.

use crate::token::Tok;

/// The operator or delimiter spelled by the start of `bytes` (longest match),
/// with its length in bytes. `None` if no operator starts here (this includes
/// a lone `!`, which is only valid as part of `!=`).
pub(super) fn match_operator(bytes: [Option<u8>; 3]) -> Option<(Tok, usize)> {
    let [first, second, third] = bytes;
    let with_equal = |plain: Tok, assign: Tok| {
        if second == Some(b'=') {
            (assign, 2)
        } else {
            (plain, 1)
        }
    };
    // Operators like `<`, `<=`, `<<` and `<<=` (also `>`, `*`, `/`).
    let doubled = |c: u8, plain: Tok, assign: Tok, double: Tok, double_assign: Tok| {
        if second == Some(b'=') {
            (assign, 2)
        } else if second == Some(c) {
            if third == Some(b'=') {
                (double_assign, 3)
            } else {
                (double, 2)
            }
        } else {
            (plain, 1)
        }
    };
    let found = match first? {
        b'(' => (Tok::LParen, 1),
        b')' => (Tok::RParen, 1),
        b'[' => (Tok::LBracket, 1),
        b']' => (Tok::RBracket, 1),
        b'{' => (Tok::LBrace, 1),
        b'}' => (Tok::RBrace, 1),
        b',' => (Tok::Comma, 1),
        b';' => (Tok::Semicolon, 1),
        b'~' => (Tok::Tilde, 1),
        b':' => with_equal(Tok::Colon, Tok::ColonEqual),
        b'<' => doubled(b'<', Tok::Less, Tok::LessEqual, Tok::LeftShift, Tok::LeftShiftEqual),
        b'>' => doubled(b'>', Tok::Greater, Tok::GreaterEqual, Tok::RightShift, Tok::RightShiftEqual),
        b'*' => doubled(b'*', Tok::Star, Tok::StarEqual, Tok::DoubleStar, Tok::DoubleStarEqual),
        b'/' => doubled(b'/', Tok::Slash, Tok::SlashEqual, Tok::DoubleSlash, Tok::DoubleSlashEqual),
        b'+' => with_equal(Tok::Plus, Tok::PlusEqual),
        b'-' => {
            if second == Some(b'>') {
                (Tok::Arrow, 2)
            } else {
                with_equal(Tok::Minus, Tok::MinusEqual)
            }
        }
        b'&' => with_equal(Tok::Ampersand, Tok::AmpersandEqual),
        b'|' => with_equal(Tok::Pipe, Tok::PipeEqual),
        b'%' => with_equal(Tok::Percent, Tok::PercentEqual),
        b'^' => with_equal(Tok::Caret, Tok::CaretEqual),
        b'@' => with_equal(Tok::At, Tok::AtEqual),
        b'=' => with_equal(Tok::Equal, Tok::EqEqual),
        b'!' if second == Some(b'=') => (Tok::NotEqual, 2),
        b'.' => {
            if second == Some(b'.') && third == Some(b'.') {
                (Tok::Ellipsis, 3)
            } else {
                (Tok::Dot, 1)
            }
        }
        _ => return None,
    };
    Some(found)
}

/// The keyword token for `name`, if it is a keyword.
pub(super) fn keyword(name: &str) -> Option<Tok> {
    // Keywords are 2 to 9 bytes long: most identifiers are rejected at once.
    if !(2..=9).contains(&name.len()) {
        return None;
    }
    let tok = match name {
        "False" => Tok::KwFalse,
        "None" => Tok::KwNone,
        "True" => Tok::KwTrue,
        "__debug__" => Tok::KwDebug,
        "and" => Tok::KwAnd,
        "as" => Tok::KwAs,
        "assert" => Tok::KwAssert,
        "async" => Tok::KwAsync,
        "await" => Tok::KwAwait,
        "break" => Tok::KwBreak,
        "class" => Tok::KwClass,
        "continue" => Tok::KwContinue,
        "def" => Tok::KwDef,
        "del" => Tok::KwDel,
        "elif" => Tok::KwElif,
        "else" => Tok::KwElse,
        "except" => Tok::KwExcept,
        "finally" => Tok::KwFinally,
        "for" => Tok::KwFor,
        "from" => Tok::KwFrom,
        "global" => Tok::KwGlobal,
        "if" => Tok::KwIf,
        "import" => Tok::KwImport,
        "in" => Tok::KwIn,
        "is" => Tok::KwIs,
        "lambda" => Tok::KwLambda,
        "nonlocal" => Tok::KwNonlocal,
        "not" => Tok::KwNot,
        "or" => Tok::KwOr,
        "pass" => Tok::KwPass,
        "raise" => Tok::KwRaise,
        "return" => Tok::KwReturn,
        "try" => Tok::KwTry,
        "while" => Tok::KwWhile,
        "with" => Tok::KwWith,
        "yield" => Tok::KwYield,
        _ => return None,
    };
    Some(tok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(text: &str) -> Option<(Tok, usize)> {
        let b = text.as_bytes();
        match_operator([b.first().copied(), b.get(1).copied(), b.get(2).copied()])
    }

    #[test]
    fn longest_match_wins() {
        assert_eq!(op("**="), Some((Tok::DoubleStarEqual, 3)));
        assert_eq!(op("**x"), Some((Tok::DoubleStar, 2)));
        assert_eq!(op("*=="), Some((Tok::StarEqual, 2)));
        assert_eq!(op("//="), Some((Tok::DoubleSlashEqual, 3)));
        assert_eq!(op(">>="), Some((Tok::RightShiftEqual, 3)));
        assert_eq!(op("<<1"), Some((Tok::LeftShift, 2)));
        assert_eq!(op("..."), Some((Tok::Ellipsis, 3)));
        assert_eq!(op(".."), Some((Tok::Dot, 1)));
        assert_eq!(op("->"), Some((Tok::Arrow, 2)));
        assert_eq!(op("-="), Some((Tok::MinusEqual, 2)));
        assert_eq!(op(":="), Some((Tok::ColonEqual, 2)));
        assert_eq!(op("!="), Some((Tok::NotEqual, 2)));
        assert_eq!(op("=="), Some((Tok::EqEqual, 2)));
    }

    #[test]
    fn invalid_operator_chars() {
        for text in ["!", "!x", "$", "?", "`", "\\", "\u{1}", ""] {
            assert_eq!(op(text), None, "{text:?}");
        }
    }

    #[test]
    fn keywords_are_recognised() {
        assert_eq!(keyword("__debug__"), Some(Tok::KwDebug));
        assert_eq!(keyword("await"), Some(Tok::KwAwait));
        assert_eq!(keyword("yield"), Some(Tok::KwYield));
        assert_eq!(keyword("Yield"), None);
        assert_eq!(keyword("print"), None);
    }
}
