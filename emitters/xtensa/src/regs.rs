//! Xtensa address registers and their roles in the two ABIs MicroPython targets.
//!
//! * **call0** (`xtensa`, ESP8266/lx106): arguments and result in `a2..a7`,
//!   callee-saved `a12..a15`, return address in `a0`, stack pointer `a1`.
//!   Roles: result and runtime-call arguments `a2..a5`, temporaries `a2..a4`,
//!   the context/state/word pointers in `a12..a14`, the function table in `a15`.
//! * **windowed** (`xtensawin`, ESP32): the function starts with `entry` and
//!   calls the runtime with `callx8`, which rotates the register window by 8:
//!   the callee sees our `a8..a15` as its `a0..a7`, so our `a0..a7` survive the
//!   call. Roles: incoming arguments `a2..a5` are used in place (context, state,
//!   words; `a5`, the resume address, is dead after the entry and holds a viper
//!   local like `a6`), the function table in `a7`, runtime-call arguments and
//!   result `a10..a13`, temporaries `a10..a12`.
//!
//! Both ABIs use `a8` as the assembler's own scratch register (never a role
//! register) and `a0` as a second scratch after the prologue saved it (`call0`
//! writes it when an address is computed).

use core::fmt;

/// An address register `a0..a15`; the discriminant is its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Reg {
    A0 = 0,
    A1 = 1,
    A2 = 2,
    A3 = 3,
    A4 = 4,
    A5 = 5,
    A6 = 6,
    A7 = 7,
    A8 = 8,
    A9 = 9,
    A10 = 10,
    A11 = 11,
    A12 = 12,
    A13 = 13,
    A14 = 14,
    A15 = 15,
}

impl Reg {
    /// Every register, by number.
    pub const ALL: [Reg; 16] = [
        Reg::A0,
        Reg::A1,
        Reg::A2,
        Reg::A3,
        Reg::A4,
        Reg::A5,
        Reg::A6,
        Reg::A7,
        Reg::A8,
        Reg::A9,
        Reg::A10,
        Reg::A11,
        Reg::A12,
        Reg::A13,
        Reg::A14,
        Reg::A15,
    ];

    /// The register number (0..16).
    pub fn num(self) -> u8 {
        self as u8
    }

    /// The register with number `n & 15`.
    pub fn from_num(n: u32) -> Reg {
        Reg::ALL[(n & 15) as usize]
    }
}

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a{}", self.num())
    }
}

/// Which calling convention the code follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Abi {
    /// The call0 ABI (`-march=xtensa`, ESP8266).
    Call0,
    /// The windowed-register ABI (`-march=xtensawin`, ESP32).
    Windowed,
}

/// The stack pointer.
pub const SP: Reg = Reg::A1;
/// The assembler's scratch register (both ABIs).
pub const SCRATCH: Reg = Reg::A8;

/// Register roles of one ABI (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Roles {
    /// Result of the function and of runtime calls.
    pub ret: Reg,
    /// Incoming arguments `(ctx, state, words, resume)`.
    pub entry_args: [Reg; 4],
    /// Arguments of runtime calls.
    pub call_args: [Reg; 4],
    /// Emitter temporaries (clobbered by runtime calls).
    pub temps: [Reg; 3],
    /// Registers kept across runtime calls.
    pub locals: &'static [Reg],
    /// The function table register.
    pub fun_table: Reg,
}

/// The call0 roles.
pub const CALL0: Roles = Roles {
    ret: Reg::A2,
    entry_args: [Reg::A2, Reg::A3, Reg::A4, Reg::A5],
    call_args: [Reg::A2, Reg::A3, Reg::A4, Reg::A5],
    temps: [Reg::A2, Reg::A3, Reg::A4],
    locals: &[Reg::A12, Reg::A13, Reg::A14],
    fun_table: Reg::A15,
};

/// The windowed roles.
pub const WINDOWED: Roles = Roles {
    ret: Reg::A10,
    entry_args: [Reg::A2, Reg::A3, Reg::A4, Reg::A5],
    call_args: [Reg::A10, Reg::A11, Reg::A12, Reg::A13],
    temps: [Reg::A10, Reg::A11, Reg::A12],
    locals: &[Reg::A2, Reg::A3, Reg::A4, Reg::A6, Reg::A5],
    fun_table: Reg::A7,
};

impl Abi {
    /// The roles of this ABI.
    pub fn roles(self) -> &'static Roles {
        match self {
            Abi::Call0 => &CALL0,
            Abi::Windowed => &WINDOWED,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn numbers_and_names() {
        for (i, r) in Reg::ALL.iter().enumerate() {
            assert_eq!(r.num() as usize, i);
            assert_eq!(Reg::from_num(i as u32), *r);
        }
        assert_eq!(Reg::A13.to_string(), "a13");
    }

    #[test]
    fn roles_never_use_the_scratch_registers() {
        for abi in [Abi::Call0, Abi::Windowed] {
            let r = abi.roles();
            let all = r.entry_args.iter().chain(&r.call_args).chain(&r.temps).chain(r.locals);
            for reg in all.chain([&r.ret, &r.fun_table]) {
                assert!(![SCRATCH, Reg::A0, SP].contains(reg), "{abi:?} {reg}");
            }
            for l in r.locals {
                assert!(!r.temps.contains(l) && !r.call_args.contains(l) && *l != r.fun_table);
            }
        }
        // Windowed: locals and the table survive callx8 (a0..a7), arguments are a10.. (callee's a2..).
        assert!(WINDOWED.locals.iter().all(|r| r.num() < 8) && WINDOWED.fun_table.num() < 8);
        // call0: locals and the table are callee-saved (a12..a15).
        assert!(CALL0.locals.iter().all(|r| r.num() >= 12) && CALL0.fun_table.num() >= 12);
    }
}
