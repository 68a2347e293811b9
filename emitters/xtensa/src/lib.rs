//! ferropy's Xtensa backend: implements [`ferropy_emit_native::Asm`] for the two
//! Xtensa ABIs MicroPython targets, `xtensa` (call0, ESP8266/lx106) and
//! `xtensawin` (windowed registers, ESP32).
//!
//! * [`regs`]: registers and their roles per ABI.
//! * [`insn`]: the hand-written encoder (and decoder) of the instruction subset.
//! * [`layout`]: literal pool and branch relaxation when a function is finished.
//! * [`masm`]: the `Asm` implementation, [`XtensaAsm`].
//! * [`rewrite`]: rewrites of a finished function's items (reloads, addresses after calls).
//! * [`disasm`]: a listing of emitted code (the subset only).
//!
//! No Rust target runs Xtensa code on the build hosts: the `ferropy-xtensa-sim`
//! dev crate executes it.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod disasm;
pub mod insn;
pub mod layout;
pub mod masm;
pub mod regs;
pub mod rewrite;

pub use masm::{Call0, Variant, Windowed, XtensaAsm, XtensaCall0Asm, XtensaWinAsm};
pub use regs::{Abi, Reg};
