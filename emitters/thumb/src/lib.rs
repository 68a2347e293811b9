//! ferropy's ARM Thumb backend: implements [`ferropy_emit_native::Asm`] for
//! ARMv7-M / ARMv7E-M (Thumb-2) and for the ARMv6-M subset (Cortex-M0: 16-bit
//! encodings plus `bl`), AAPCS calling convention.
//!
//! * [`arch`]: the target architectures and the type-level markers that select one.
//! * [`regs`]: registers and their roles; [`abi`]: frame layout.
//! * [`asm`]: the hand-written instruction encoder (with ARMv6-M literal pools);
//!   [`masm`]: the `Asm` implementation [`ThumbAsm`] (recording the operations and
//!   emitting them in passes that shorten forward jumps; one pass is `pass.rs`;
//!   whole-function rewrites before those passes are `rewrite.rs`).
//! * [`disasm`] (feature `disasm`): capstone listings.
//!
//! # Running the code
//! Emitted code is position-independent Thumb code. Its entry point is offset 0
//! of the code; the loader must place the code at a **4-byte aligned** address
//! (ARMv6-M literal loads and `adr` are relative to the word-aligned PC), make it
//! visible to instruction fetch (on cores with caches: clean the D-cache and
//! invalidate the I-cache over the range, then `dsb; isb`) and call
//! `base | 1` (the Thumb bit). Every code address the code hands to the runtime
//! (operation positions, handler and resume labels) already has bit 0 set, so
//! the runtime's `base + offset` arithmetic yields valid `bx` targets as long as
//! `base` itself is even.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod abi;
pub mod arch;
pub mod asm;
#[cfg(feature = "disasm")]
pub mod disasm;
pub mod masm;
mod pass;
pub mod regs;
mod rewrite;

pub use arch::{Arch, Target};
pub use masm::{Armv6mAsm, Armv7emAsm, Armv7emdpAsm, Armv7emspAsm, Armv7mAsm, ThumbAsm};
pub use regs::Reg;
