//! An Xtensa instruction-set simulator for the instruction subset ferropy's
//! Xtensa emitter produces (`ferropy-emit-xtensa`), in the call0 or the
//! windowed ABI. For development and tests: no Rust target runs Xtensa code
//! on the build hosts.
//!
//! * [`mem`]: explicitly mapped memory regions with alignment checks.
//! * [`cpu`]: the processor, its register-window model and host functions.
//! * [`runtime`]: ferropy's runtime running Xtensa code through the simulator
//!   (32-bit hosts).
//! * [`fake`]: a small fake runtime (context block, helper table and slots in
//!   simulated memory, Rust helpers) for running one emitted function on any
//!   host.
//!
//! The simulator never panics on bad code: it stops with a [`SimError`] that
//! carries the instruction, its address and a register dump.
//!
//! `unsafe` code is confined to `host` (host memory reads and writes),
//! [`mem::Memory::map_host`]'s contract, and [`runtime`].
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod cpu;
pub mod fake;
mod host;
pub mod mem;
pub mod runtime;

pub use cpu::{Dump, HostFn, Sim, SimError, RETURN_TO_HOST};
pub use mem::{Backing, MemFault, Memory, Perm};
