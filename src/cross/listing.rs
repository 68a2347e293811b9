//! `ferropy-cross --dis` and `--dis-native`: listings of the code compiled for
//! the target architecture, printed instead of writing the `.mpy` file.

use std::string::String;
use std::vec::Vec;

use ferropy_bytecode::CompiledModule;

use super::arch::Arch;

/// The listing of every native/viper function in `module`, compiled for
/// `arch`: x86-64 with iced-x86 (NASM syntax), ARM Thumb with capstone,
/// Xtensa with ferropy's own decoder of the emitted subset; other
/// architectures as raw bytes.
pub fn native_listing_for(module: &CompiledModule, arch: Arch) -> String {
    crate::native::listing_with(module, arch_title(arch), &|machine| disassemble(arch, machine))
}

/// The architecture's name in listing headers.
fn arch_title(arch: Arch) -> &'static str {
    match arch {
        Arch::X64 => "x86-64",
        other => other.name(),
    }
}

/// The disassembly of `machine`, code for `arch`.
fn disassemble(arch: Arch, machine: &[u8]) -> String {
    match arch {
        Arch::X64 => ferropy_emit_x64::disasm::listing(machine),
        Arch::Armv6m | Arch::Armv7m | Arch::Armv7em | Arch::Armv7emsp | Arch::Armv7emdp => {
            ferropy_emit_thumb::disasm::listing(machine)
        }
        Arch::Xtensa | Arch::Xtensawin => ferropy_emit_xtensa::disasm::listing_text(machine),
        _ => {
            let mut text = String::new();
            for (i, chunk) in machine.chunks(16).enumerate() {
                let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
                text.push_str(&format!("{:04x}  {}\n", i * 16, hex.join(" ")));
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architectures_without_a_decoder_are_listed_as_bytes() {
        let bytes: Vec<u8> = (0..20).collect();
        assert_eq!(
            disassemble(Arch::Rv32imc, &bytes),
            "0000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n0010  10 11 12 13\n"
        );
    }
}
