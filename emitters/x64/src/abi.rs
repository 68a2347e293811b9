//! Frame layout of emitted x86-64 functions (System V).
//!
//! ```text
//! [return address]                 <- 16-byte aligned + 8 at entry
//! [saved rbp] [saved rbx] [saved r12] [saved r13] [saved r14] [saved r15]
//! [slot n-1] ... [slot 1] [slot 0] <- rsp after the prologue, 16-byte aligned
//! ```
//!
//! After the return address and the six saved registers (seven words) the stack
//! pointer is 8 bytes off a 16-byte boundary, so an **odd** number of slots is
//! reserved; every table call therefore happens with `rsp` 16-byte aligned as the
//! ABI requires. Slot `i` is at `[rsp + 8 * i]`.

use crate::regs::Reg;

/// Registers saved by the prologue, in push order (popped in reverse).
pub const SAVED_REGS: [Reg; 6] = [Reg::Rbp, Reg::Rbx, Reg::R12, Reg::R13, Reg::R14, Reg::R15];

/// Bytes per stack slot.
pub const SLOT_BYTES: usize = 8;

/// Stack alignment required at calls.
pub const STACK_ALIGN: usize = 16;

/// Number of slots actually reserved for `n_slots` requested ones (rounded up to odd).
pub fn reserved_slots(n_slots: usize) -> usize {
    n_slots | 1
}

/// Byte offset of slot `slot` from the stack pointer.
pub fn slot_offset(slot: usize) -> usize {
    slot.saturating_mul(SLOT_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_keeps_calls_aligned() {
        for n in 0..10 {
            let r = reserved_slots(n);
            assert!(r >= n);
            // return address + saved registers + slots must be a multiple of 16.
            let bytes = 8 + SAVED_REGS.len() * 8 + r * SLOT_BYTES;
            assert_eq!(bytes % STACK_ALIGN, 0, "n = {n}");
        }
        assert_eq!(slot_offset(3), 24);
    }
}
