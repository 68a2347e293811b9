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

use alloc::sync::Arc;
use ferropy_emit_native::{Factory, ViperLowering};
use ferropy_frontend::NativeEmitterFactory;

/// The x86-64 native and viper emitters, for `CompileOptions::native`; with
/// `viper`, viper functions go through that optimizing tier first.
///
/// The generic emitter is instantiated here rather than by its user, so that
/// it is compiled at this crate's optimisation level (the release profile
/// sets it for emission speed) and not at the level of whichever crate names
/// it (the facade is optimised for size).
pub fn emitters(viper: Option<Arc<dyn ViperLowering>>) -> Arc<dyn NativeEmitterFactory + Send + Sync> {
    match viper {
        Some(opt) => Arc::new(Factory::<X64Asm>::with_viper_lowering(opt)),
        None => Arc::new(Factory::<X64Asm>::new()),
    }
}
