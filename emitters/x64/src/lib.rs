//! ferropy's x86-64 backend: implements [`ferropy_emit_native::Asm`] for x86-64
//! (System V calling convention), plus executable memory and a disassembler for
//! running and inspecting emitted code on the host.
//!
//! * [`regs`]: registers and their roles; [`abi`]: frame layout.
//! * [`asm`]: the hand-written instruction encoder; [`masm`]: the `Asm` implementation.
//! * [`exec`] (std): W^X executable memory; [`disasm`] (std): iced-x86 listings.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod abi;
pub mod asm;
#[cfg(feature = "std")]
pub mod disasm;
#[cfg(feature = "std")]
pub mod exec;
pub mod masm;
pub mod regs;

pub use masm::X64Asm;
pub use regs::Reg;
