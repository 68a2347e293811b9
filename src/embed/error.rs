//! Errors of the embedding API: Python exceptions seen from Rust, exceeded
//! limits, failed conversions, and errors a Rust callback gives back to Python.

use std::fmt;

/// The result type of the embedding API.
///
/// ```
/// fn answer() -> ferropy::embed::Result<i64> {
///     ferropy::embed::Vm::new()?.eval("6 * 7")
/// }
/// assert_eq!(answer().unwrap(), 42);
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which hard limit stopped a run (see [`crate::embed::Builder`]).
///
/// ```
/// use ferropy::embed::{Limit, Vm};
/// let mut vm = Vm::builder().recursion_limit(10).build().unwrap();
/// let err = vm.exec("def f():\n    f()\nf()").unwrap_err();
/// assert_eq!(err.limit(), Some(Limit::Recursion));
/// assert_eq!(Limit::Recursion.to_string(), "maximum recursion depth exceeded");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// The instruction budget ([`crate::embed::Builder::fuel`]) ran out.
    Fuel,
    /// The run took longer than [`crate::embed::Builder::timeout`].
    Deadline,
    /// The heap could not hold the data (Python's `MemoryError`).
    Heap,
    /// Calls nested deeper than [`crate::embed::Builder::recursion_limit`].
    Recursion,
    /// The script was interrupted through an [`crate::embed::InterruptHandle`].
    Interrupted,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::Fuel => "instruction budget exhausted",
            Limit::Deadline => "deadline exceeded",
            Limit::Heap => "heap limit reached",
            Limit::Recursion => "maximum recursion depth exceeded",
            Limit::Interrupted => "interrupted",
        })
    }
}

/// A Python exception as Rust sees it.
///
/// ```
/// let mut vm = ferropy::embed::Vm::new().unwrap();
/// let err = vm.exec("raise ValueError('bad')").unwrap_err();
/// let exc = err.exception().unwrap();
/// assert_eq!(exc.type_name, "ValueError");
/// assert_eq!(exc.message, "bad");
/// assert!(exc.traceback.contains("line 1"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyException {
    /// The exception's class name (`ValueError`, or a user class's name).
    pub type_name: String,
    /// `str(exception)`.
    pub message: String,
    /// The whole traceback as MicroPython prints it for an uncaught exception.
    pub traceback: String,
    /// Identifies the exception object while it is the VM's latest one, so a
    /// callback returning it re-raises the very same object.
    pub(crate) serial: u64,
}

/// Everything that can go wrong between Rust and Python.
///
/// ```
/// use ferropy::embed::{Error, Vm};
/// let mut vm = Vm::new().unwrap();
/// match vm.eval::<i64>("'text'") {
///     Err(Error::Conversion { expected, found }) => assert_eq!((expected, found.as_str()), ("i64", "str")),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// Python raised an exception (compile errors are `SyntaxError`s).
    Python(PyException),
    /// A hard limit was exceeded; the VM stays usable (the limit is reset at
    /// the next call from Rust).
    Limit(Limit, PyException),
    /// A value could not be converted between Rust and Python.
    Conversion {
        /// The Rust or Python type that was expected.
        expected: &'static str,
        /// What was found instead.
        found: String,
    },
    /// An error to raise in Python from a Rust callback: the exception class
    /// name (a built-in one, else `RuntimeError`) and the message.
    Raise {
        /// Built-in exception class name (`ValueError`, `KeyError`, ...).
        type_name: String,
        /// The message.
        message: String,
    },
    /// The VM could not be created or used (heap too small, handle from
    /// another VM, ...).
    Vm(String),
}

impl Error {
    /// An error that a Rust callback raises in Python as `type_name(message)`.
    ///
    /// ```
    /// use ferropy::embed::{Error, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// vm.set_function("check", |_, n: i64| if n < 0 { Err(Error::raise("ValueError", "negative")) } else { Ok(n) })
    ///     .unwrap();
    /// vm.exec("try:\n    check(-1)\nexcept ValueError as e:\n    r = str(e)").unwrap();
    /// assert_eq!(vm.get::<String>("r").unwrap(), "negative");
    /// ```
    pub fn raise(type_name: &str, message: impl Into<String>) -> Error {
        Error::Raise { type_name: type_name.to_string(), message: message.into() }
    }

    /// The Python exception behind this error, if there is one.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// assert_eq!(vm.exec("1/0").unwrap_err().exception().unwrap().type_name, "ZeroDivisionError");
    /// ```
    pub fn exception(&self) -> Option<&PyException> {
        match self {
            Error::Python(e) | Error::Limit(_, e) => Some(e),
            _ => None,
        }
    }

    /// The limit this error reports, if it is one.
    ///
    /// ```
    /// use ferropy::embed::{Limit, Vm};
    /// let mut vm = Vm::builder().fuel(1000).build().unwrap();
    /// assert_eq!(vm.exec("while True: pass").unwrap_err().limit(), Some(Limit::Fuel));
    /// ```
    pub fn limit(&self) -> Option<Limit> {
        match self {
            Error::Limit(l, _) => Some(*l),
            _ => None,
        }
    }

    pub(crate) fn conversion(expected: &'static str, found: impl Into<String>) -> Error {
        Error::Conversion { expected, found: found.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Python(e) => write!(f, "{}: {}", e.type_name, e.message),
            Error::Limit(l, _) => write!(f, "limit exceeded: {l}"),
            Error::Conversion { expected, found } => write!(f, "can't convert {found} to {expected}"),
            Error::Raise { type_name, message } => write!(f, "{type_name}: {message}"),
            Error::Vm(msg) => write!(f, "VM error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}
