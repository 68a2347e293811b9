//! ferropy's runtime: the object model, the pluggable garbage collector,
//! interned strings, the VM, built-in types and functions.
//!
//! * [`obj`]: 32-bit tagged object references ([`Obj`]).
//! * [`qstr`]: interned strings ([`Qstr`], per-VM [`QstrPool`]).
//! * [`gc`]: the heap words, the [`Gc`](gc::Gc) trait and the two collectors.
//! * [`bytes_view`]: little-endian byte views of heap words.
//! * [`vm`]: the interpreter ([`Vm`]), its frames and the dispatch loop.
//! * [`rt`]: the object protocol (operators, attributes, calls, iteration).
//! * [`types`]: one descriptor per built-in type.
//! * [`builtins`]: the built-in functions.
//! * [`modules`]: built-in modules (`sys`, `gc`, `time`, ...), the import system, run-time compilation.
//!
//! There is no global mutable state: every VM owns its heap and qstr pool.
#![no_std]
#![warn(missing_docs)]
#![deny(unsafe_code)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod builtins;
pub mod bytes_view;
pub mod error;
pub mod gc;
pub mod modules;
pub mod native;
pub mod obj;
pub mod qstr;
pub mod rt;
pub mod types;
pub mod vm;

pub use error::{PyErr, PyResult};
pub use gc::{AllocError, Gc, Heap, HeapWords, Roots};
pub use obj::Obj;
pub use qstr::{Qstr, QstrPool};
pub use vm::{Vm, VmConfig};
