//! ferropy's runtime: the object model, the pluggable garbage collector, interned
//! strings, and (as it grows) the VM, builtins and modules.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
