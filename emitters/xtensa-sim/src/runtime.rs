//! ferropy's runtime running Xtensa machine code through the simulator: a
//! [`NativeSupport`] whose functions are emitted by the Xtensa backend and
//! executed by [`Sim`], calling the runtime's real helpers.
//!
//! Works on 32-bit hosts only (`cargo test --target i686-unknown-linux-gnu`):
//! the code, its stack, the context block, the frame's slots, the helper
//! table and the heap are host memory mapped into the simulator **at their
//! own addresses**, so object references, viper pointers and code addresses
//! mean the same to the simulated code and to the runtime. Each call gets a
//! fresh simulator (calls nest: a helper may run another native function).
//! A simulator error is printed on standard error and the call fails (the
//! runtime raises its "native code failed" error).
#![allow(unsafe_code)]

use std::boxed::Box;
use std::string::String;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use ferropy_bytecode::native_abi::status;
use ferropy_emit_xtensa::{Abi, XtensaCall0Asm, XtensaWinAsm};
use ferropy_frontend::NativeEmitterFactory;
use ferropy_runtime::native::glue::{with_vm, HELPERS};
use ferropy_runtime::native::{NativeCode, NativeCtx, NativeMemory, NativeSupport};

use crate::{Perm, Sim};

/// Simulated calls made so far (all supports), and instructions they executed.
pub static CALLS: AtomicU64 = AtomicU64::new(0);
/// See [`CALLS`].
pub static STEPS: AtomicU64 = AtomicU64::new(0);

/// Stack bytes of one simulated call.
const STACK_BYTES: usize = 64 * 1024;

/// Runs Xtensa code of one ABI in the simulator.
#[derive(Debug)]
pub struct SimSupport {
    abi: Abi,
}

/// The call0 (`xtensa`) support.
pub static XTENSA: SimSupport = SimSupport { abi: Abi::Call0 };
/// The windowed (`xtensawin`) support.
pub static XTENSAWIN: SimSupport = SimSupport { abi: Abi::Windowed };

/// Installed code: owned, 4-byte aligned (the code's `l32r` literals and
/// `call0` targets assume it, as on the chips), mapped at its own address
/// when called.
#[derive(Debug)]
struct SimCode {
    words: Box<[u32]>,
    len: usize,
    abi: Abi,
}

impl NativeSupport for SimSupport {
    fn arch(&self) -> u8 {
        match self.abi {
            Abi::Call0 => ferropy_bytecode::mpy::arch::XTENSA,
            Abi::Windowed => ferropy_bytecode::mpy::arch::XTENSAWIN,
        }
    }

    fn install(&self, code: &[u8], _name: &str) -> Result<Box<dyn NativeCode>, String> {
        if usize::BITS != 32 {
            return Err("simulated Xtensa code needs a 32-bit host".into());
        }
        let mut words = vec![0u32; code.len().div_ceil(4)];
        for (w, chunk) in words.iter_mut().zip(code.chunks(4)) {
            let mut b = [0u8; 4];
            b[..chunk.len()].copy_from_slice(chunk);
            *w = u32::from_le_bytes(b);
        }
        Ok(Box::new(SimCode { words: words.into(), len: code.len(), abi: self.abi }))
    }

    fn emitters(&self) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
        Some(match self.abi {
            Abi::Call0 => Arc::new(ferropy_emit_native::Factory::<XtensaCall0Asm>::new()),
            Abi::Windowed => Arc::new(ferropy_emit_native::Factory::<XtensaWinAsm>::new()),
        })
    }
}

/// The runtime's memory map for the call with context block `ctx`, which
/// must be the block of the `NativeCode::call` in progress on this thread,
/// with no helper running.
fn memory_of(ctx: *mut NativeCtx) -> Option<NativeMemory> {
    // SAFETY: both callers pass the block given to `SimCode::call`, from that
    // call: before the simulation starts, or from a host function after the
    // helper it ran has returned.
    unsafe { with_vm(ctx, |c, vm| vm.native_memory(c)) }
}

/// Maps the runtime's memory (and the code and a stack) into `sim`.
fn map_all(sim: &mut Sim, code: (usize, usize), stack: &mut [u8], m: &NativeMemory) -> Result<(), String> {
    let regions = [
        ("code", code.0, code.1, Perm::Exec),
        ("stack", stack.as_mut_ptr() as usize, stack.len(), Perm::ReadWrite),
        ("ctx", m.ctx.0, m.ctx.1, Perm::ReadWrite),
        ("helper table", m.table.0, m.table.1, Perm::Read),
        ("interrupt flag", m.interrupt.0, m.interrupt.1, Perm::Read),
        ("object slots", m.state.0, m.state.1, Perm::ReadWrite),
        ("word slots", m.words.0, m.words.1, Perm::ReadWrite),
        ("heap", m.heap.0, m.heap.1, Perm::ReadWrite),
    ];
    for (name, addr, len, perm) in regions {
        if len == 0 {
            continue;
        }
        // SAFETY: each region is live for the whole call: the code is owned by
        // the `SimCode` being called, the stack by the caller of `map_all`, the
        // rest by the runtime's native call in progress (context block, frame
        // slots, static helper table and flag, and the heap, which never moves
        // while the VM lives). While the simulator runs, the runtime is inside
        // `NativeCode::call` and uses none of them; helpers use them only while
        // the simulator waits for the helper to return.
        unsafe { sim.mem.map_host(name, addr, len, perm)? };
    }
    Ok(())
}

impl NativeCode for SimCode {
    fn base(&self) -> usize {
        self.words.as_ptr() as usize
    }

    fn call(&self, ctx: *mut NativeCtx, state: *mut u32, words: *mut usize, resume: usize) -> usize {
        let Some(memory) = memory_of(ctx) else { return status::ERROR };
        let mut stack = vec![0u8; STACK_BYTES];
        let mut sim = Sim::new(self.abi);
        if let Err(e) = map_all(&mut sim, (self.base(), self.len), &mut stack, &memory) {
            eprintln!("xtensa simulator: {e}");
            return status::ERROR;
        }
        sim.stack_top = (stack.as_ptr() as usize + STACK_BYTES) as u32 & !15;
        for (i, helper) in HELPERS.iter().copied().enumerate() {
            let addr = helper as usize as u32;
            sim.host(
                addr,
                Box::new(move |mem, a| {
                    if a[0] as usize != ctx as usize {
                        return Err(format!("helper {i} called with context {:#x}", a[0]));
                    }
                    let result = helper(ctx, a[1] as usize, a[2] as usize, a[3] as usize);
                    // The heap may have grown while the helper ran.
                    if let Some(m) = memory_of(ctx) {
                        mem.unmap("heap");
                        // SAFETY: as in `map_all`.
                        unsafe { mem.map_host("heap", m.heap.0, m.heap.1, Perm::ReadWrite)? };
                    }
                    Ok(result as u32)
                }),
            );
        }
        let args = [ctx as usize as u32, state as usize as u32, words as usize as u32, resume as u32];
        let entry = self.base() as u32;
        let result = sim.call(entry, &args);
        CALLS.fetch_add(1, Ordering::Relaxed);
        STEPS.fetch_add(sim.steps, Ordering::Relaxed);
        match result {
            Ok(st) => st as usize,
            Err(e) => {
                eprintln!("xtensa simulator: {e}");
                status::ERROR
            }
        }
    }
}
