//! Python-level errors as Rust values: every fallible runtime function returns
//! [`PyResult`], whose error carries the exception instance being raised.

use crate::obj::Obj;

/// A raised Python exception: the exception instance (a heap object).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PyErr(pub Obj);

impl PyErr {
    /// The exception instance.
    pub fn exception(self) -> Obj {
        self.0
    }
}

/// The result of any runtime operation that may raise.
pub type PyResult<T> = Result<T, PyErr>;
