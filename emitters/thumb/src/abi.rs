//! Frame layout of emitted Thumb functions (AAPCS: `sp` 8-byte aligned at calls).
//!
//! ARMv7-M (`r8-r11` only when the function uses them; otherwise a 16-bit
//! `push {r3-r7, lr}`):
//! ```text
//! [lr] [r11] ... [r4] [r3]         <- push {r3-r11, lr} (10 words); the word
//!                                     of r3 (popped into r3 again, which
//!                                     holds no result) is slot 0
//! [slot n-1] ... [slot 1]          <- sp after the prologue (even count)
//! ```
//! ARMv6-M (`push` reaches only `r0-r7` and `lr`), when `r8` keeps a copy
//! of the table address:
//! ```text
//! [lr] [r7] [r6] [r5] [r4]         <- push {r4-r7, lr}
//! [r8]                             <- mov r4, r8; push {r4}
//! [slot n-1] ... [slot 0]          <- sp after the prologue (even slot count)
//! ```
//! and otherwise like ARMv7-M: `push {r3-r7, lr}`, slot 0 in `r3`'s word.
//! Slot `i` is at `[sp + 4 * i]`.

use crate::arch::Arch;
use crate::regs::Reg;

/// Bytes per stack slot.
pub const SLOT_BYTES: usize = 4;

/// Stack alignment required at calls.
pub const STACK_ALIGN: usize = 8;

/// Registers saved by `push` at entry on ARMv7-M (besides `lr`).
pub const SAVED_V7M: [Reg; 8] = [Reg::R4, Reg::R5, Reg::R6, Reg::R7, Reg::R8, Reg::R9, Reg::R10, Reg::R11];

/// Registers saved by the first `push` on ARMv6-M (besides `lr`).
pub const SAVED_V6M: [Reg; 4] = [Reg::R4, Reg::R5, Reg::R6, Reg::R7];

/// ARMv7-M: the register whose pushed word is slot 0.
pub const SLOT0_V7M: Reg = Reg::R3;

/// Words the prologue pushes: saved registers, `lr`, and the slot-0 word
/// (ARMv7-M, `narrow`: without `r8-r11`) or the table copy or slot 0 (ARMv6-M).
pub fn saved_words(arch: Arch, narrow: bool) -> usize {
    match (arch.thumb2(), narrow) {
        (true, false) => SAVED_V7M.len() + 2,
        (true, true) => SAVED_V6M.len() + 2,
        (false, _) => SAVED_V6M.len() + 2,
    }
}

/// Number of slots the prologue reserves below the pushed words for
/// `n_slots` requested ones (`slot0_pushed`: slot 0 is `r3`'s pushed word),
/// so that the pushed words (an even number) and the slots together keep
/// `sp` 8-byte aligned.
pub fn reserved_slots(slot0_pushed: bool, n_slots: usize) -> usize {
    let n = if slot0_pushed { n_slots.saturating_sub(1) } else { n_slots };
    n + (n & 1)
}

/// Byte offset of slot `slot` from the stack pointer.
pub fn slot_offset(slot: usize) -> usize {
    slot.saturating_mul(SLOT_BYTES)
}

/// The register list bits of the saved registers (bit `n` for `rn`).
pub fn reg_list(regs: &[Reg]) -> u16 {
    regs.iter().fold(0, |m, r| m | 1 << r.num())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_keeps_calls_aligned() {
        for arch in Arch::ALL {
            for (n, pushed) in (0..10).flat_map(|n| [(n, false), (n, true)]) {
                let r = reserved_slots(pushed, n);
                let pushed = usize::from(pushed);
                assert!(r + pushed >= n && r + pushed <= n + 1, "{arch:?} n = {n}");
                for narrow in [false, true] {
                    let bytes = saved_words(arch, narrow) * 4 + r * SLOT_BYTES;
                    assert_eq!(bytes % STACK_ALIGN, 0, "{arch:?} n = {n}");
                }
            }
        }
        assert_eq!(slot_offset(3), 12);
        assert_eq!(reg_list(&SAVED_V6M), 0xF0);
    }
}
