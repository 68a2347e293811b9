//! Native code on the board: the Thumb-2 emitters (`@micropython.native`,
//! `@micropython.viper`, `-X emit=native`) write machine code that is copied
//! into RAM (executable in the Cortex-M default memory map) and called
//! through a function pointer with the Thumb bit set.
//!
//! Calling emitted code is the only `unsafe` here. Every block of code is
//! also registered so that a fault inside it names the function and the offset.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::RefCell;

use critical_section::Mutex;
use ferropy_bytecode::mpy::arch;
use ferropy_emit_native::Factory;
use ferropy_emit_thumb::Armv7emspAsm;
use ferropy_frontend::NativeEmitterFactory;
use ferropy_runtime::native::{NativeCode, NativeCtx, NativeSupport};

/// The board's native support: Cortex-M4F code (`armv7emsp`).
#[derive(Debug)]
pub struct BoardNative;

/// The one instance, for `VmConfig::native`.
pub static BOARD_NATIVE: BoardNative = BoardNative;

/// One installed function's machine code (for fault reports).
struct Block {
    start: usize,
    len: usize,
    name: String,
}

/// Every installed block of machine code.
static BLOCKS: Mutex<RefCell<Vec<Block>>> = Mutex::new(RefCell::new(Vec::new()));

/// Machine code in RAM. Words keep it 4-byte aligned, as Thumb literal loads
/// and `adr` (relative to the word-aligned PC) require.
#[derive(Debug)]
struct BoardCode {
    words: Vec<u32>,
}

impl Drop for BoardCode {
    fn drop(&mut self) {
        let start = self.words.as_ptr() as usize;
        critical_section::with(|cs| BLOCKS.borrow_ref_mut(cs).retain(|b| b.start != start));
    }
}

/// The signature of an emitted function's entry (`native_abi`).
type Entry = extern "C" fn(*mut NativeCtx, *mut u32, *mut usize, usize) -> usize;

impl NativeCode for BoardCode {
    fn base(&self) -> usize {
        self.words.as_ptr() as usize
    }

    fn call(&self, ctx: *mut NativeCtx, state: *mut u32, words: *mut usize, resume: usize) -> usize {
        // SAFETY: `words` holds a complete function from the Thumb emitter (its
        // entry at offset 0), copied in place before this object existed and
        // never written since; `dsb; isb` ran after the copy, so the core
        // fetches the new instructions. Bit 0 selects Thumb state, which is
        // the only state a Cortex-M has. The code follows the AAPCS and the
        // contract of `native_abi` for its four arguments, which the runtime
        // passes as that contract requires.
        let entry: Entry = unsafe { core::mem::transmute::<usize, Entry>(self.base() | 1) };
        entry(ctx, state, words, resume)
    }
}

impl NativeSupport for BoardNative {
    fn arch(&self) -> u8 {
        arch::ARMV7EMSP
    }

    fn install(&self, code: &[u8], name: &str) -> Result<Box<dyn NativeCode>, String> {
        let mut words = Vec::new();
        if words.try_reserve_exact(code.len().div_ceil(4)).is_err() {
            return Err(String::from("no memory for machine code"));
        }
        for chunk in code.chunks(4) {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            words.push(u32::from_le_bytes(w));
        }
        cortex_m::asm::dsb();
        cortex_m::asm::isb();
        let block = Block { start: words.as_ptr() as usize, len: code.len(), name: String::from(name) };
        critical_section::with(|cs| BLOCKS.borrow_ref_mut(cs).push(block));
        Ok(Box::new(BoardCode { words }))
    }

    fn emitters(&self) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
        Some(Arc::new(Factory::<Armv7emspAsm>::new()))
    }
}

/// Writes " in emitted code of NAME at +OFFSET" if `pc` lies in installed
/// machine code; false otherwise. Called from the fault handler: it does not
/// allocate, and gives up rather than wait if the registry is in use.
pub fn describe(pc: usize, out: &mut dyn core::fmt::Write) -> bool {
    critical_section::with(|cs| {
        let Ok(blocks) = BLOCKS.borrow(cs).try_borrow() else { return false };
        match blocks.iter().find(|b| pc >= b.start && pc < b.start + b.len) {
            Some(b) => {
                let _ = write!(out, " in emitted code of {} at +{:#x}", b.name, pc - b.start);
                true
            }
            None => false,
        }
    })
}
