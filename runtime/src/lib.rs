//! ferropy's runtime: the object model, the pluggable garbage collector, interned
//! strings, and (as it grows) the VM, builtins and modules.
//!
//! * [`obj`]: 32-bit tagged object references ([`Obj`]).
//! * [`qstr`]: interned strings ([`Qstr`], per-VM [`QstrPool`]).
//! * [`gc`]: the heap words, the [`Gc`](gc::Gc) trait and the two collectors.
//! * [`bytes_view`]: little-endian byte views of heap words.
//!
//! There is no global mutable state: every VM owns its heap and qstr pool.
#![no_std]
#![warn(missing_docs)]
#![deny(unsafe_code)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod bytes_view;
pub mod gc;
pub mod obj;
pub mod qstr;

pub use gc::{AllocError, Gc, Heap, HeapWords, Roots};
pub use obj::Obj;
pub use qstr::{Qstr, QstrPool};
