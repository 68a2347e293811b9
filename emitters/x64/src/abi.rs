//! Frame layout of emitted x86-64 functions (System V).
//!
//! ```text
//! [return address]                 <- 16-byte aligned + 8 at entry
//! [saved rbp] [saved rbx] [saved r12] [saved r13] [saved r14] [saved r15]
//! [slot n-1] ... [slot 1] [slot 0] <- rsp after the prologue, 16-byte aligned
//! ```
//!
//! `rbp` (the function table) is always saved; of the others, code that
//! writes only some of them (the lowered native code: see
//! `Asm::prologue_saving`) saves only those, in the same order. The number of
//! slots reserved makes the return address, the saved registers and the slots
//! a multiple of 16 bytes (with all six saved, an **odd** number of slots), so
//! every table call happens with `rsp` 16-byte aligned as the ABI requires.
//! Slot `i` is at `[rsp + 8 * i]`.

use crate::regs::Reg;

/// Registers saved by the prologue, in push order (popped in reverse).
pub const SAVED_REGS: [Reg; 6] = [Reg::Rbp, Reg::Rbx, Reg::R12, Reg::R13, Reg::R14, Reg::R15];

/// Bytes per stack slot.
pub const SLOT_BYTES: usize = 8;

/// Stack alignment required at calls.
pub const STACK_ALIGN: usize = 16;

/// Number of slots actually reserved for `n_slots` requested ones below
/// `n_saved` saved registers: the fewest that keep the stack aligned.
pub fn reserved_slots(n_saved: usize, n_slots: usize) -> usize {
    // The return address and the saved registers: an odd number of words
    // needs an odd number of slots, an even number an even one.
    let parity = (1 + n_saved) & 1;
    n_slots + ((n_slots + parity) & 1)
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
        for saved in 1..=SAVED_REGS.len() {
            for n in 0..10 {
                let r = reserved_slots(saved, n);
                assert!(r == n || r == n + 1);
                // return address + saved registers + slots must be a multiple of 16.
                let bytes = 8 + saved * 8 + r * SLOT_BYTES;
                assert_eq!(bytes % STACK_ALIGN, 0, "saved = {saved}, n = {n}");
            }
        }
        assert_eq!(reserved_slots(6, 0), 1);
        assert_eq!(reserved_slots(3, 0), 0);
        assert_eq!(slot_offset(3), 24);
    }
}
