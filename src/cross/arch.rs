//! Native architectures: mpy-cross's `-march=` names, target triples, and `-march-flags=`.

use core::str::FromStr;

use ferropy_bytecode::mpy::arch as code;
use target_lexicon::{Architecture, ArmArchitecture, Environment, Riscv32Architecture, Triple};

/// A native architecture of the `.mpy` format (the feature byte's arch field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    /// 32-bit x86.
    X86,
    /// x86-64.
    X64,
    /// ARM (A32) from ARMv6.
    Armv6,
    /// ARMv6-M Thumb (Cortex-M0/M0+).
    Armv6m,
    /// ARMv7-M Thumb-2 (Cortex-M3).
    Armv7m,
    /// ARMv7E-M without FPU (Cortex-M4 without FPU).
    Armv7em,
    /// ARMv7E-M with single-precision FPU (Cortex-M4F).
    Armv7emsp,
    /// ARMv7E-M with double-precision FPU (Cortex-M7).
    Armv7emdp,
    /// Xtensa, call0 ABI (ESP8266).
    Xtensa,
    /// Xtensa, windowed ABI (ESP32).
    Xtensawin,
    /// RISC-V RV32IMC.
    Rv32imc,
    /// RISC-V RV64IMC.
    Rv64imc,
    /// mpy-cross's textual debug emitter.
    Debug,
}

/// Every architecture with its mpy-cross name, in the feature byte's order.
pub const ALL_ARCHES: [(Arch, &str); 13] = [
    (Arch::X86, "x86"),
    (Arch::X64, "x64"),
    (Arch::Armv6, "armv6"),
    (Arch::Armv6m, "armv6m"),
    (Arch::Armv7m, "armv7m"),
    (Arch::Armv7em, "armv7em"),
    (Arch::Armv7emsp, "armv7emsp"),
    (Arch::Armv7emdp, "armv7emdp"),
    (Arch::Xtensa, "xtensa"),
    (Arch::Xtensawin, "xtensawin"),
    (Arch::Rv32imc, "rv32imc"),
    (Arch::Rv64imc, "rv64imc"),
    (Arch::Debug, "debug"),
];

impl Arch {
    /// The mpy-cross name (`-march=` value).
    pub fn name(self) -> &'static str {
        ALL_ARCHES.iter().find(|(a, _)| *a == self).map_or("?", |(_, n)| n)
    }

    /// The code stored in the `.mpy` feature byte.
    pub fn mpy_code(self) -> u8 {
        match self {
            Arch::X86 => code::X86,
            Arch::X64 => code::X64,
            Arch::Armv6 => code::ARMV6,
            Arch::Armv6m => code::ARMV6M,
            Arch::Armv7m => code::ARMV7M,
            Arch::Armv7em => code::ARMV7EM,
            Arch::Armv7emsp => code::ARMV7EMSP,
            Arch::Armv7emdp => code::ARMV7EMDP,
            Arch::Xtensa => code::XTENSA,
            Arch::Xtensawin => code::XTENSAWIN,
            Arch::Rv32imc => code::RV32IMC,
            Arch::Rv64imc => code::RV64IMC,
            Arch::Debug => code::DEBUG,
        }
    }

    /// The architecture of the machine running this program, as `-march=host` picks it.
    pub fn host() -> Option<Arch> {
        arch_of_triple(&Triple::host()).ok()
    }
}

/// Maps a target triple's architecture to the `.mpy` architecture whose code runs on it.
///
/// Thumb targets with a hard-float ABI are taken as single-precision (Cortex-M4F,
/// M33); plain `arm` (Rust's ARMv6 targets), ARMv7-A/R and later A32 cores run ARMv6 code; Xtensa is the windowed ABI
/// unless the vendor is `esp8266`.
pub fn arch_of_triple(triple: &Triple) -> Result<Arch, String> {
    let hard_float =
        matches!(triple.environment, Environment::Eabihf | Environment::Gnueabihf | Environment::Musleabihf);
    let arch = match triple.architecture {
        Architecture::X86_32(_) => Arch::X86,
        Architecture::X86_64 | Architecture::X86_64h => Arch::X64,
        Architecture::Arm(arm) => match arm {
            ArmArchitecture::Thumbv6m
            | ArmArchitecture::Armv6m
            | ArmArchitecture::Thumbv8mBase
            | ArmArchitecture::Armv8mBase => Arch::Armv6m,
            ArmArchitecture::Thumbv7m | ArmArchitecture::Armv7m => Arch::Armv7m,
            ArmArchitecture::Thumbv7em | ArmArchitecture::Thumbv8mMain | ArmArchitecture::Armv8mMain => {
                if hard_float {
                    Arch::Armv7emsp
                } else {
                    Arch::Armv7em
                }
            }
            ArmArchitecture::Arm
            | ArmArchitecture::Armv6
            | ArmArchitecture::Armv6j
            | ArmArchitecture::Armv6k
            | ArmArchitecture::Armv6z
            | ArmArchitecture::Armv6kz
            | ArmArchitecture::Armv6t2
            | ArmArchitecture::Armv7
            | ArmArchitecture::Armv7a
            | ArmArchitecture::Armv7k
            | ArmArchitecture::Armv7ve
            | ArmArchitecture::Armv7r
            | ArmArchitecture::Armv7s
            | ArmArchitecture::Armv8
            | ArmArchitecture::Armv8a
            | ArmArchitecture::Armv8r
            | ArmArchitecture::Thumbv7a
            | ArmArchitecture::Thumbv7neon => Arch::Armv6,
            other => {
                return Err(format!(
                    "target '{triple}': no MicroPython native architecture runs on {}",
                    other.into_str()
                ))
            }
        },
        Architecture::XTensa => {
            if triple.vendor.as_str() == "esp8266" {
                Arch::Xtensa
            } else {
                Arch::Xtensawin
            }
        }
        Architecture::Riscv32(rv) => match rv {
            Riscv32Architecture::Riscv32i | Riscv32Architecture::Riscv32im | Riscv32Architecture::Riscv32ima => {
                return Err(format!("target '{triple}': rv32imc code needs the compressed (C) extension"))
            }
            _ => Arch::Rv32imc,
        },
        Architecture::Riscv64(_) => Arch::Rv64imc,
        other => return Err(format!("target '{triple}': no MicroPython native architecture for {}", other.into_str())),
    };
    Ok(arch)
}

/// Parses a `-march=` value: an mpy-cross name, `host`, or a target triple.
///
/// `Err(None)` means "unknown name" (mpy-cross then prints its usage text);
/// `Err(Some(message))` is a triple that parsed but names no usable architecture.
pub fn parse_arch(text: &str) -> Result<Arch, Option<String>> {
    if let Some((arch, _)) = ALL_ARCHES.iter().find(|(_, name)| *name == text) {
        return Ok(*arch);
    }
    if text == "host" {
        return Arch::host().ok_or_else(|| Some("unable to determine host architecture for -march=host".into()));
    }
    // Only something shaped like a triple (`arch-vendor-...`) is tried as one.
    if !text.contains('-') {
        return Err(None);
    }
    let triple = Triple::from_str(text).map_err(|_| None)?;
    arch_of_triple(&triple).map_err(Some)
}

/// Parses `-march-flags=` for `arch`: only rv32imc has flags, given as a number
/// (decimal, `0x`, `0o` or `0b`) or a comma-separated list of `zba` and `zcmp`.
/// `None` when the flags are not recognised (or the architecture takes none).
pub fn parse_arch_flags(arch: Arch, text: &str) -> Option<u64> {
    const ZBA: u64 = 1;
    const ZCMP: u64 = 2;
    if arch != Arch::Rv32imc {
        return None;
    }
    let numeric = parse_prefixed_number(text);
    let flags = match numeric {
        Some(n) => n,
        None => {
            let mut flags = 0;
            for name in text.split(',') {
                flags |= match name {
                    "zba" => ZBA,
                    "zcmp" => ZCMP,
                    _ => return None,
                };
            }
            if flags == 0 {
                return None;
            }
            flags
        }
    };
    (flags & !(ZBA | ZCMP) == 0).then_some(flags)
}

/// A whole unsigned number with an optional `0x`/`0o`/`0b` prefix (case-insensitive).
fn parse_prefixed_number(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let (radix, digits) = match lower.get(..2) {
        Some("0x") => (16, &lower[2..]),
        Some("0o") => (8, &lower[2..]),
        Some("0b") => (2, &lower[2..]),
        _ if lower.len() > 1 && lower.starts_with('0') => return None,
        _ => (10, lower.as_str()),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mpy_cross_name() {
        for (i, (arch, name)) in ALL_ARCHES.iter().enumerate() {
            assert_eq!(parse_arch(name), Ok(*arch));
            assert_eq!(arch.name(), *name);
            assert_eq!(usize::from(arch.mpy_code()), i + 1);
        }
        assert_eq!(parse_arch("z80"), Err(None));
        assert_eq!(parse_arch(""), Err(None));
    }

    #[test]
    fn host_is_known_here() {
        #[cfg(target_arch = "x86_64")]
        assert_eq!(parse_arch("host"), Ok(Arch::X64));
    }

    #[test]
    fn target_triples() {
        let cases = [
            ("thumbv7em-none-eabihf", Arch::Armv7emsp),
            ("thumbv7em-none-eabi", Arch::Armv7em),
            ("thumbv7m-none-eabi", Arch::Armv7m),
            ("thumbv6m-none-eabi", Arch::Armv6m),
            ("thumbv8m.main-none-eabihf", Arch::Armv7emsp),
            ("x86_64-unknown-linux-gnu", Arch::X64),
            ("i686-unknown-linux-gnu", Arch::X86),
            ("armv7-unknown-linux-gnueabihf", Arch::Armv6),
            ("arm-unknown-linux-gnueabi", Arch::Armv6),
            ("riscv32imc-unknown-none-elf", Arch::Rv32imc),
            ("riscv32imac-unknown-none-elf", Arch::Rv32imc),
            ("riscv64gc-unknown-linux-gnu", Arch::Rv64imc),
            ("xtensa-esp32-none-elf", Arch::Xtensawin),
            ("xtensa-esp8266-none-elf", Arch::Xtensa),
        ];
        for (triple, arch) in cases {
            assert_eq!(parse_arch(triple), Ok(arch), "{triple}");
        }
        assert!(matches!(parse_arch("aarch64-unknown-linux-gnu"), Err(Some(_))));
        assert!(matches!(parse_arch("riscv32i-unknown-none-elf"), Err(Some(_))));
        assert_eq!(parse_arch("not-a-real-triple-at-all"), Err(None));
    }

    #[test]
    fn arch_flags() {
        assert_eq!(parse_arch_flags(Arch::Rv32imc, "zba"), Some(1));
        assert_eq!(parse_arch_flags(Arch::Rv32imc, "zcmp,zba"), Some(3));
        assert_eq!(parse_arch_flags(Arch::Rv32imc, "0x2"), Some(2));
        assert_eq!(parse_arch_flags(Arch::Rv32imc, "0b11"), Some(3));
        assert_eq!(parse_arch_flags(Arch::Rv32imc, "0"), Some(0));
        assert_eq!(parse_arch_flags(Arch::Rv32imc, "4"), None);
        assert_eq!(parse_arch_flags(Arch::Rv32imc, "zbb"), None);
        assert_eq!(parse_arch_flags(Arch::Rv32imc, ""), None);
        assert_eq!(parse_arch_flags(Arch::X64, "zba"), None);
    }
}
