//! Tokens produced by the lexer and consumed by the parser.

use alloc::string::String;
use alloc::vec::Vec;

/// A position in the source text: 1-based line and 1-based column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column number, counted in Unicode scalar values.
    pub col: u32,
}

impl Pos {
    /// Builds a position from a line and a column.
    pub const fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

/// A numeric literal as written in the source, already decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    /// An integer that fits in an `i64`.
    Int(i64),
    /// An integer too large for `i64`, as plain decimal digits (no sign, no leading zeros).
    BigInt(String),
    /// A floating-point literal.
    Float(f64),
    /// An imaginary literal (`3j`, `1.5J`): the value of the imaginary part.
    Imag(f64),
}

/// One token and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What the token is.
    pub kind: Tok,
    /// Where its first character is.
    pub pos: Pos,
}

/// The kinds of token. Operators and delimiters are named after their spelling.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// End of a logical line.
    Newline,
    /// Indentation increased.
    Indent,
    /// Indentation decreased (one token per level closed).
    Dedent,
    /// End of the input (always the last token).
    EndOfInput,

    /// An identifier (NFC is not applied, as in MicroPython).
    Name(crate::ast::Ident),
    /// A numeric literal.
    Number(Number),
    /// A `str` literal, escapes decoded. F-strings are rewritten by the lexer
    /// (see the lexer's module docs) and never reach the parser as such.
    Str(String),
    /// A `bytes` literal, escapes decoded.
    Bytes(Vec<u8>),

    // Keywords.
    /// `False`
    KwFalse,
    /// `None`
    KwNone,
    /// `True`
    KwTrue,
    /// `__debug__`
    KwDebug,
    /// `and`
    KwAnd,
    /// `as`
    KwAs,
    /// `assert`
    KwAssert,
    /// `async`
    KwAsync,
    /// `await`
    KwAwait,
    /// `break`
    KwBreak,
    /// `class`
    KwClass,
    /// `continue`
    KwContinue,
    /// `def`
    KwDef,
    /// `del`
    KwDel,
    /// `elif`
    KwElif,
    /// `else`
    KwElse,
    /// `except`
    KwExcept,
    /// `finally`
    KwFinally,
    /// `for`
    KwFor,
    /// `from`
    KwFrom,
    /// `global`
    KwGlobal,
    /// `if`
    KwIf,
    /// `import`
    KwImport,
    /// `in`
    KwIn,
    /// `is`
    KwIs,
    /// `lambda`
    KwLambda,
    /// `nonlocal`
    KwNonlocal,
    /// `not`
    KwNot,
    /// `or`
    KwOr,
    /// `pass`
    KwPass,
    /// `raise`
    KwRaise,
    /// `return`
    KwReturn,
    /// `try`
    KwTry,
    /// `while`
    KwWhile,
    /// `with`
    KwWith,
    /// `yield`
    KwYield,

    // Operators.
    /// `~`
    Tilde,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `**`
    DoubleStar,
    /// `/`
    Slash,
    /// `//`
    DoubleSlash,
    /// `%`
    Percent,
    /// `@`
    At,
    /// `<<`
    LeftShift,
    /// `>>`
    RightShift,
    /// `&`
    Ampersand,
    /// `|`
    Pipe,
    /// `^`
    Caret,
    /// `<`
    Less,
    /// `>`
    Greater,
    /// `<=`
    LessEqual,
    /// `>=`
    GreaterEqual,
    /// `==`
    EqEqual,
    /// `!=`
    NotEqual,
    /// `:=`
    ColonEqual,

    // Delimiters.
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `:`
    Colon,
    /// `.`
    Dot,
    /// `...`
    Ellipsis,
    /// `;`
    Semicolon,
    /// `=`
    Equal,
    /// `->`
    Arrow,
    /// `+=`
    PlusEqual,
    /// `-=`
    MinusEqual,
    /// `*=`
    StarEqual,
    /// `**=`
    DoubleStarEqual,
    /// `/=`
    SlashEqual,
    /// `//=`
    DoubleSlashEqual,
    /// `%=`
    PercentEqual,
    /// `@=`
    AtEqual,
    /// `<<=`
    LeftShiftEqual,
    /// `>>=`
    RightShiftEqual,
    /// `&=`
    AmpersandEqual,
    /// `|=`
    PipeEqual,
    /// `^=`
    CaretEqual,
}
