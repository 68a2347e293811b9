//! ferropy: a MicroPython-compatible Python implementation with native code emitters.
//!
//! This facade crate re-exports the pieces a host program needs.
#![warn(missing_docs)]

pub use ferropy_bytecode as bytecode;
pub use ferropy_frontend as frontend;
