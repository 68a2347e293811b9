//! Compile-time errors: the exception type, message and position.

use alloc::string::String;
use core::fmt;

use crate::token::Pos;

/// The Python exception type a compile-time error is raised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `SyntaxError`
    SyntaxError,
    /// `IndentationError` (a subclass of `SyntaxError`)
    IndentationError,
    /// `ValueError` (e.g. source that is not valid UTF-8)
    ValueError,
    /// `NotImplementedError` (e.g. constructs an emitter refuses)
    NotImplementedError,
    /// `ViperTypeError` (viper's compile-time type errors)
    ViperTypeError,
    /// `MemoryError` (a compile-time resource limit)
    MemoryError,
}

impl ErrorKind {
    /// The Python name of the exception type.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::IndentationError => "IndentationError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::NotImplementedError => "NotImplementedError",
            ErrorKind::ViperTypeError => "ViperTypeError",
            ErrorKind::MemoryError => "MemoryError",
        }
    }
}

/// A compile-time error with the position it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Which exception this becomes at run time.
    pub kind: ErrorKind,
    /// The message, worded as MicroPython words it.
    pub msg: String,
    /// Where in the source the error was found (always inside the input, or just past its end).
    pub pos: Pos,
    /// The scope whose compilation found the error (`f`, `<module>`,
    /// `<lambda>`...), named in the traceback as MicroPython names it;
    /// `None` for errors found while reading the source (lexer, parser).
    pub scope: Option<String>,
    /// The exception gets a traceback entry at `pos` (false for the errors
    /// MicroPython's native emitter raises on the spot, such as
    /// `NotImplementedError: native yield`, which it reports bare).
    pub traceback: bool,
}

impl CompileError {
    /// A `SyntaxError` at `pos`.
    pub fn syntax(msg: impl Into<String>, pos: Pos) -> Self {
        CompileError { kind: ErrorKind::SyntaxError, msg: msg.into(), pos, scope: None, traceback: true }
    }

    /// An error of the given kind at `pos`.
    pub fn new(kind: ErrorKind, msg: impl Into<String>, pos: Pos) -> Self {
        CompileError { kind, msg: msg.into(), pos, scope: None, traceback: true }
    }

    /// The error, reported without a traceback entry (its position is
    /// still shown by `-X compile-only`).
    pub fn without_traceback(mut self) -> Self {
        self.traceback = false;
        self
    }

    /// The error, found while compiling scope `name` unless an inner scope
    /// was named already.
    pub fn in_scope(mut self, name: &str) -> Self {
        if self.scope.is_none() {
            self.scope = Some(String::from(name));
        }
        self
    }

    /// Formats the error as `file:line:col: Kind: message`.
    pub fn display_with_file<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        struct D<'a>(&'a CompileError, &'a str);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}:{}:{}: {}", self.1, self.0.pos.line, self.0.pos.col, self.0)
            }
        }
        D(self, file)
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.msg)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CompileError {}

/// Result type of the frontend.
pub type Result<T> = core::result::Result<T, CompileError>;
