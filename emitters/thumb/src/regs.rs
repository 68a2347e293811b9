//! ARM core registers and their roles for native code (AAPCS).
//!
//! Roles: result and first argument in `r0`; runtime-call arguments `r0-r3`;
//! emitter temporaries `r0-r2`; the native function table in the callee-saved
//! `r7`; the emitter's context, state and word-slot pointers in `r4-r6`. On
//! ARMv7-M the callee-saved `r8-r11` hold viper locals as well, and `r12` (`ip`)
//! is the assembler's own scratch register. On ARMv6-M, whose 16-bit encodings
//! reach only `r0-r7`, a table call loads the function address into `r7` and
//! restores it afterwards: reloaded from where the function loaded it when
//! that is known to stay put, otherwise from a copy kept in `r8`. A call
//! whose `r2` or `r3` holds nothing goes through that register instead.

use core::fmt;

use crate::arch::Arch;

/// An ARM core register; the discriminant is its hardware number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Reg {
    R0 = 0,
    R1 = 1,
    R2 = 2,
    R3 = 3,
    R4 = 4,
    R5 = 5,
    R6 = 6,
    R7 = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
    R11 = 11,
    R12 = 12,
    Sp = 13,
    Lr = 14,
    Pc = 15,
}

impl Reg {
    /// Every register, by hardware number.
    pub const ALL: [Reg; 16] = [
        Reg::R0,
        Reg::R1,
        Reg::R2,
        Reg::R3,
        Reg::R4,
        Reg::R5,
        Reg::R6,
        Reg::R7,
        Reg::R8,
        Reg::R9,
        Reg::R10,
        Reg::R11,
        Reg::R12,
        Reg::Sp,
        Reg::Lr,
        Reg::Pc,
    ];

    /// The hardware number (0..16).
    pub fn num(self) -> u16 {
        self as u16
    }

    /// True for `r0`..`r7`, the registers of most 16-bit encodings.
    pub fn is_low(self) -> bool {
        self.num() < 8
    }

    /// The register's name as capstone prints it.
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 16] =
            ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "sb", "sl", "fp", "ip", "sp", "lr", "pc"];
        NAMES.get(self.num() as usize).copied().unwrap_or("?")
    }

    /// True if the `Asm` operations accept this register on `arch`: `r0-r7` on
    /// ARMv6-M (`r8` holds the table copy); `r0-r11` and `lr` on ARMv7-M
    /// (`lr` only as a viper home kept around calls; `r12` is the
    /// assembler's scratch; `sp` and `pc` are never general registers).
    pub fn usable(self, arch: Arch) -> bool {
        if arch.thumb2() {
            self.num() <= 11 || self == Reg::Lr
        } else {
            self.is_low()
        }
    }
}

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Register holding results.
pub const RET: Reg = Reg::R0;
/// Incoming arguments of the emitted function (AAPCS order).
pub const ENTRY_ARGS: [Reg; 4] = [Reg::R0, Reg::R1, Reg::R2, Reg::R3];
/// Arguments of a runtime (table) call.
pub const CALL_ARGS: [Reg; 4] = [Reg::R0, Reg::R1, Reg::R2, Reg::R3];
/// Emitter temporaries.
pub const TEMPS: [Reg; 3] = [Reg::R0, Reg::R1, Reg::R2];
/// Callee-saved registers kept across table calls on ARMv7-M: context, state
/// and word-slot pointers, then viper locals.
pub const LOCALS_V7M: [Reg; 7] = [Reg::R4, Reg::R5, Reg::R6, Reg::R8, Reg::R9, Reg::R10, Reg::R11];
/// The same on ARMv6-M (no registers left for viper locals).
pub const LOCALS_V6M: [Reg; 3] = [Reg::R4, Reg::R5, Reg::R6];
/// Callee-saved register holding the function table's address.
pub const FUN_TABLE: Reg = Reg::R7;
/// ARMv6-M: callee-saved copy of the table address (restores `r7` after a
/// call when the function cannot reload it).
pub const TABLE_COPY: Reg = Reg::R8;
/// ARMv7-M: the assembler's scratch register (large offsets, call targets).
pub const SCRATCH: Reg = Reg::R12;

/// The callee-saved registers for locals on `arch`.
pub const fn locals(arch: Arch) -> &'static [Reg] {
    match arch {
        Arch::Armv6m => &LOCALS_V6M,
        _ => &LOCALS_V7M,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn numbers_and_names_agree() {
        for (i, r) in Reg::ALL.iter().enumerate() {
            assert_eq!(r.num() as usize, i);
        }
        assert!(Reg::R7.is_low() && !Reg::R8.is_low());
        assert_eq!(Reg::R10.to_string(), "sl");
    }

    #[test]
    fn roles_are_usable_and_disjoint() {
        for arch in Arch::ALL {
            for l in locals(arch) {
                assert!(l.usable(arch), "{l} on {arch:?}");
                assert!(!TEMPS.contains(l) && !CALL_ARGS.contains(l) && *l != FUN_TABLE);
                assert!(*l != TABLE_COPY || arch.thumb2());
            }
            for r in TEMPS.iter().chain(&CALL_ARGS).chain(&[FUN_TABLE]) {
                assert!(r.usable(arch));
            }
        }
        assert!(!SCRATCH.usable(Arch::Armv7m) && !Reg::Sp.usable(Arch::Armv7em) && !Reg::R8.usable(Arch::Armv6m));
    }
}
