//! ferropy's native/viper code generation: the ISA-neutral assembler layer.
//!
//! The generic native and viper emitter (to be written on top of this crate) never
//! encodes instructions itself: it drives an [`Asm`] implementation, one per
//! instruction set (x86-64 in `ferropy-emit-x64`; ARM Thumb-2 and Xtensa later).
//! [`CodeBuffer`] holds the shared part of every implementation: the code bytes,
//! labels and label fix-ups.
//!
//! Emitted code is position-independent and relocation-free: it reaches the runtime
//! only through the native function table whose address is kept in a dedicated
//! register ([`Asm::FUN_TABLE`]), and jumps/label addresses are PC-relative.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod asm;
pub mod buffer;
pub mod emit;
pub mod error;
pub mod listing;

pub use asm::{Asm, BinOp, Cond, Finished, ShiftOp, Width};
pub use buffer::{CodeBuffer, Fixup, Label};
pub use emit::{AsmFactory, Factory, NativeEmitter, SinglePass, ViperLowering};
pub use error::AsmError;
