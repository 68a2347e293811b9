//! x86-64 registers and their roles for native code (System V ABI).
//!
//! Roles (as MicroPython's x64 native emitter): result in `rax`; runtime-call
//! arguments in `rdi, rsi, rdx, rcx, r8`; emitter temporaries `rax, rdi, rsi`;
//! viper locals in the callee-saved `rbx, r12, r13`; the native function table in
//! the callee-saved `rbp`.

use core::fmt;

/// A 64-bit general-purpose register; the discriminant is its hardware number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Reg {
    Rax = 0,
    Rcx = 1,
    Rdx = 2,
    Rbx = 3,
    Rsp = 4,
    Rbp = 5,
    Rsi = 6,
    Rdi = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
    R11 = 11,
    R12 = 12,
    R13 = 13,
    R14 = 14,
    R15 = 15,
}

impl Reg {
    /// Every register, by hardware number.
    pub const ALL: [Reg; 16] = [
        Reg::Rax,
        Reg::Rcx,
        Reg::Rdx,
        Reg::Rbx,
        Reg::Rsp,
        Reg::Rbp,
        Reg::Rsi,
        Reg::Rdi,
        Reg::R8,
        Reg::R9,
        Reg::R10,
        Reg::R11,
        Reg::R12,
        Reg::R13,
        Reg::R14,
        Reg::R15,
    ];

    /// The hardware number (0..16).
    pub fn num(self) -> u8 {
        self as u8
    }

    /// The low three bits, as placed in ModRM/SIB/opcode fields.
    pub fn low3(self) -> u8 {
        self.num() & 7
    }

    /// True for `r8`..`r15` (needs a REX extension bit).
    pub fn is_extended(self) -> bool {
        self.num() >= 8
    }

    /// True for `rsp, rbp, rsi, rdi`, whose low byte is only reachable with a REX prefix.
    pub fn byte_needs_rex(self) -> bool {
        (4..8).contains(&self.num())
    }

    /// The register's 64-bit name.
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 16] = [
            "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
            "r15",
        ];
        NAMES.get(self.num() as usize).copied().unwrap_or("?")
    }
}

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Register holding results.
pub const RET: Reg = Reg::Rax;
/// Incoming arguments of the emitted function (System V order).
pub const ENTRY_ARGS: [Reg; 6] = [Reg::Rdi, Reg::Rsi, Reg::Rdx, Reg::Rcx, Reg::R8, Reg::R9];
/// Arguments of a runtime (table) call.
pub const CALL_ARGS: [Reg; 5] = [Reg::Rdi, Reg::Rsi, Reg::Rdx, Reg::Rcx, Reg::R8];
/// Emitter temporaries (all of them hold viper's register cache).
pub const TEMPS: [Reg; 8] = [Reg::Rax, Reg::Rdi, Reg::Rsi, Reg::Rdx, Reg::R8, Reg::R9, Reg::R10, Reg::R11];
/// Callee-saved registers kept across table calls: the emitter's context,
/// state and word-slot pointers, then viper locals.
pub const LOCALS: [Reg; 5] = [Reg::Rbx, Reg::R12, Reg::R13, Reg::R14, Reg::R15];
/// Callee-saved register holding the function table's address.
pub const FUN_TABLE: Reg = Reg::Rbp;
/// The stack pointer.
pub const SP: Reg = Reg::Rsp;

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn numbers_and_names_agree() {
        for (i, r) in Reg::ALL.iter().enumerate() {
            assert_eq!(r.num() as usize, i);
        }
        assert_eq!(Reg::R13.low3(), 5);
        assert!(Reg::R9.is_extended() && !Reg::Rdi.is_extended());
        assert!(Reg::Rsi.byte_needs_rex() && !Reg::Rbx.byte_needs_rex() && !Reg::R8.byte_needs_rex());
        assert_eq!(Reg::R12.to_string(), "r12");
    }

    #[test]
    fn roles_are_disjoint_where_they_must_be() {
        for l in LOCALS {
            assert!(!TEMPS.contains(&l) && !CALL_ARGS.contains(&l) && l != FUN_TABLE);
        }
        assert!(!CALL_ARGS.contains(&FUN_TABLE));
    }
}
