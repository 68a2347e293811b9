//! Fault reporting. A fault is a bug of ours (in emitted code or in the
//! runtime) or a stack overflow; it is reported on the console with the
//! faulting address and, for emitted code, the function, and the emulation
//! ends with status [`FAULT_STATUS`] instead of hanging.

use core::fmt::Write;

use cortex_m_rt::{exception, ExceptionFrame};

use crate::{native, semihost, uart};

/// Exit status after a fault.
pub const FAULT_STATUS: i32 = 134;

/// Configurable Fault Status Register.
const CFSR: usize = 0xE000_ED28;
/// HardFault Status Register.
const HFSR: usize = 0xE000_ED2C;
/// BusFault Address Register.
const BFAR: usize = 0xE000_ED38;
/// MemManage Fault Address Register.
const MMFAR: usize = 0xE000_ED34;
/// CFSR bits: stacking error on exception entry (MemManage, BusFault).
const STACKING_ERRORS: u32 = (1 << 4) | (1 << 12);
/// CFSR bits: the fault address registers hold a valid address.
const BFAR_VALID: u32 = 1 << 15;
const MMFAR_VALID: u32 = 1 << 7;

fn read_reg(addr: usize) -> u32 {
    // SAFETY: `addr` is one of the System Control Block's fault registers
    // above, always mapped on a Cortex-M; reading them has no side effect.
    unsafe { core::ptr::read_volatile(addr as *const u32) }
}

#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    let cfsr = read_reg(CFSR);
    let hfsr = read_reg(HFSR);
    let mut out = uart::UartWriter;
    let _ = write!(out, "\r\nFATAL: hard fault (CFSR={cfsr:#010x} HFSR={hfsr:#010x})");
    if cfsr & BFAR_VALID != 0 {
        let _ = write!(out, " bus fault at address {:#010x}", read_reg(BFAR));
    }
    if cfsr & MMFAR_VALID != 0 {
        let _ = write!(out, " memory fault at address {:#010x}", read_reg(MMFAR));
    }
    if cfsr & STACKING_ERRORS != 0 {
        // The exception frame could not be written: the stack is exhausted.
        let _ = write!(out, "; stack overflow (the fault frame could not be stacked)\r\n");
    } else {
        let pc = frame.pc() as usize;
        let _ = write!(out, "; pc={pc:#010x} lr={:#010x}", frame.lr());
        native::describe(pc, &mut out);
        let _ = write!(out, "\r\n");
    }
    semihost::exit(FAULT_STATUS)
}

/// Every interrupt lands here (the image has no device vector table); the
/// UART's receive interrupt is the only one enabled.
#[exception]
unsafe fn DefaultHandler(irqn: i16) {
    if irqn == uart::RX_IRQ {
        uart::on_receive();
    }
}
