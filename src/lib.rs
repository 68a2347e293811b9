//! ferropy: a MicroPython-compatible Python implementation with native code emitters.
//!
//! This facade crate re-exports the pieces a host program needs, and holds the
//! `ferropy` command's implementation (`cli`) and the `ferropy-cross` compiler's
//! (`cross`), both with the `std` feature.
//!
//! Without the `std` feature (for firmware) it offers the re-exports, [`run`]
//! and the frozen modules.
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

pub use ferropy_bytecode as bytecode;
pub use ferropy_frontend as frontend;
/// The REPL engine (`no_std` + `alloc`; see [`ferropy_repl`]).
pub use ferropy_repl as repl;
pub use ferropy_runtime as runtime;

/// Build-time freezing of Python modules into the program (`std` only; see
/// [`ferropy_freeze`]).
#[cfg(feature = "std")]
pub use ferropy_freeze as frozen;

pub mod run;

/// The modules frozen into the `ferropy` command (`src/frozen/`, compiled by
/// the build script): pass [`FROZEN`] as `VmConfig::frozen`.
pub mod frozen_modules {
    include!(concat!(env!("OUT_DIR"), "/frozen.rs"));
}
pub use frozen_modules::FROZEN;

#[cfg(feature = "std")]
pub mod cli;
#[cfg(feature = "std")]
pub mod cross;
#[cfg(feature = "std")]
pub mod embed;
#[cfg(feature = "std")]
pub mod native;
#[cfg(feature = "cranelift")]
pub mod native_opt;
