//! The Thumb architectures ferropy emits code for, and the type-level markers
//! ([`Target`]) that select one for [`ThumbAsm`](crate::ThumbAsm).

use ferropy_bytecode::mpy::arch as code;

/// A Thumb target architecture (MicroPython's `-march=` names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    /// ARMv6-M (Cortex-M0/M0+/M1): 16-bit Thumb plus `bl`; no `movw`/`movt`,
    /// no wide branches, no IT blocks.
    Armv6m,
    /// ARMv7-M (Cortex-M3): Thumb-2.
    Armv7m,
    /// ARMv7E-M (Cortex-M4/M7) without FPU.
    Armv7em,
    /// ARMv7E-M with a single-precision FPU (same integer code as `Armv7em`).
    Armv7emsp,
    /// ARMv7E-M with a double-precision FPU (same integer code as `Armv7em`).
    Armv7emdp,
}

impl Arch {
    /// Every architecture, in `.mpy` code order.
    pub const ALL: [Arch; 5] = [Arch::Armv6m, Arch::Armv7m, Arch::Armv7em, Arch::Armv7emsp, Arch::Armv7emdp];

    /// True if the architecture has the 32-bit Thumb-2 encodings (all but ARMv6-M).
    pub const fn thumb2(self) -> bool {
        !matches!(self, Arch::Armv6m)
    }

    /// The `.mpy` architecture code (MicroPython's numbering).
    pub const fn mpy_code(self) -> u8 {
        match self {
            Arch::Armv6m => code::ARMV6M,
            Arch::Armv7m => code::ARMV7M,
            Arch::Armv7em => code::ARMV7EM,
            Arch::Armv7emsp => code::ARMV7EMSP,
            Arch::Armv7emdp => code::ARMV7EMDP,
        }
    }

    /// The `-march=` name.
    pub fn name(self) -> &'static str {
        match self {
            Arch::Armv6m => "armv6m",
            Arch::Armv7m => "armv7m",
            Arch::Armv7em => "armv7em",
            Arch::Armv7emsp => "armv7emsp",
            Arch::Armv7emdp => "armv7emdp",
        }
    }

    /// The architecture with `-march=` name `name`.
    pub fn from_name(name: &str) -> Option<Arch> {
        Arch::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The architecture with `.mpy` code `code`.
    pub fn from_mpy_code(code: u8) -> Option<Arch> {
        Arch::ALL.into_iter().find(|a| a.mpy_code() == code)
    }
}

/// A type-level choice of [`Arch`]: the emitter builds assemblers without
/// arguments (`AsmFactory::new_asm`), so the architecture is a type parameter.
pub trait Target: Copy + core::fmt::Debug + Default + 'static {
    /// The architecture.
    const ARCH: Arch;
}

macro_rules! target {
    ($(#[$doc:meta] $name:ident => $arch:ident),* $(,)?) => {
        $(
            #[$doc]
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
            pub struct $name;
            impl Target for $name {
                const ARCH: Arch = Arch::$arch;
            }
        )*
    };
}

/// Type-level markers for each [`Arch`].
pub mod targets {
    use super::{Arch, Target};

    target! {
        /// ARMv6-M.
        V6m => Armv6m,
        /// ARMv7-M.
        V7m => Armv7m,
        /// ARMv7E-M.
        V7em => Armv7em,
        /// ARMv7E-M with single-precision FPU.
        V7emsp => Armv7emsp,
        /// ARMv7E-M with double-precision FPU.
        V7emdp => Armv7emdp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_round_trip() {
        for a in Arch::ALL {
            assert_eq!(Arch::from_name(a.name()), Some(a));
            assert_eq!(Arch::from_mpy_code(a.mpy_code()), Some(a));
        }
        assert_eq!(Arch::from_name("x64"), None);
        assert_eq!(Arch::from_mpy_code(2), None);
        assert_eq!(Arch::Armv7m.mpy_code(), 5);
        assert!(!Arch::Armv6m.thumb2() && Arch::Armv7emdp.thumb2());
    }
}
