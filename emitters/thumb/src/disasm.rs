//! Disassembly of emitted Thumb code (capstone, M-profile Thumb mode).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use capstone::arch::arm::{ArchExtraMode, ArchMode};
use capstone::arch::BuildsCapstone;
use capstone::arch::BuildsCapstoneExtraMode;
use capstone::Capstone;

/// One decoded instruction (or a word of data capstone does not decode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Offset in the code.
    pub offset: usize,
    /// The instruction bytes.
    pub bytes: Vec<u8>,
    /// The instruction as capstone prints it (`mnemonic operands`), or
    /// `.short 0x....` for bytes that do not decode.
    pub text: String,
}

impl Line {
    /// The mnemonic (first word of the text).
    pub fn mnemonic(&self) -> &str {
        self.text.split_whitespace().next().unwrap_or("")
    }
}

fn engine() -> Option<Capstone> {
    Capstone::new().arm().mode(ArchMode::Thumb).extra_mode(core::iter::once(ArchExtraMode::MClass)).build().ok()
}

/// Decodes `code` (as if loaded at address 0) into instructions; undecodable
/// halfwords (literal pools, the prelude) become `.short` lines.
pub fn decode(code: &[u8]) -> Vec<Line> {
    let mut lines = Vec::new();
    let Some(cs) = engine() else { return lines };
    let mut at = 0;
    while at < code.len() {
        let rest = code.get(at..).unwrap_or(&[]);
        // One call per run of decodable code, so capstone tracks IT blocks.
        if let Ok(insns) = cs.disasm_all(rest, at as u64) {
            for i in insns.iter() {
                let bytes = i.bytes().to_vec();
                let m = i.mnemonic().unwrap_or("?");
                let ops = i.op_str().unwrap_or("");
                let text = if ops.is_empty() { String::from(m) } else { format!("{m} {ops}") };
                lines.push(Line { offset: i.address() as usize, bytes, text });
                at = i.address() as usize + i.bytes().len();
            }
        }
        if at < code.len() {
            let rest = code.get(at..).unwrap_or(&[]);
            let bytes = rest.get(..2.min(rest.len())).unwrap_or(&[]).to_vec();
            let value = bytes.iter().rev().fold(0u32, |v, b| v << 8 | u32::from(*b));
            lines.push(Line { offset: at, text: format!(".short {value:#06x}"), bytes });
            at += 2;
        }
    }
    lines
}

/// A listing: one line per instruction with its offset, bytes and text.
pub fn listing(code: &[u8]) -> String {
    let mut out = String::new();
    for line in decode(code) {
        ferropy_emit_native::listing::push_line(&mut out, line.offset, &line.bytes, &line.text, 10);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_simple_code() {
        // adds r0, r0, r1; bx lr
        let text = listing(&[0x40, 0x18, 0x70, 0x47]);
        assert_eq!(text, "0000  4018      adds r0, r0, r1\n0002  7047      bx lr\n");
        assert_eq!(decode(&[0x70, 0x47])[0].mnemonic(), "bx");
        // A lone halfword of a 32-bit instruction does not decode.
        assert_eq!(decode(&[0x4F, 0xF0])[0].text, ".short 0xf04f");
    }
}
