//! Disassembly of emitted x86-64 code (iced-x86, NASM syntax).

use alloc::string::String;
use alloc::vec::Vec;

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, NasmFormatter};

/// One decoded instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Offset in the code.
    pub offset: usize,
    /// The instruction bytes.
    pub bytes: Vec<u8>,
    /// The instruction in NASM syntax (branch targets as code offsets).
    pub text: String,
}

impl Line {
    /// The mnemonic (first word of the text).
    pub fn mnemonic(&self) -> &str {
        self.text.split_whitespace().next().unwrap_or("")
    }
}

/// Decodes `code` (as if loaded at address 0) into instructions.
pub fn decode(code: &[u8]) -> Vec<Line> {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut formatter = NasmFormatter::new();
    formatter.options_mut().set_hex_prefix("0x");
    formatter.options_mut().set_hex_suffix("");
    formatter.options_mut().set_branch_leading_zeros(false);
    formatter.options_mut().set_show_branch_size(false);
    let mut instruction = Instruction::default();
    let mut lines = Vec::new();
    while decoder.can_decode() {
        decoder.decode_out(&mut instruction);
        let offset = instruction.ip() as usize;
        let bytes = code.get(offset..offset + instruction.len()).unwrap_or(&[]).to_vec();
        let mut text = String::new();
        formatter.format(&instruction, &mut text);
        lines.push(Line { offset, bytes, text });
    }
    lines
}

/// Offsets of bytes that do not decode as a valid x86-64 instruction (empty for
/// well-formed code).
pub fn invalid_offsets(code: &[u8]) -> Vec<usize> {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut instruction = Instruction::default();
    let mut bad = Vec::new();
    while decoder.can_decode() {
        decoder.decode_out(&mut instruction);
        if instruction.is_invalid() {
            bad.push(instruction.ip() as usize);
        }
    }
    bad
}

/// A listing: one line per instruction with its offset, bytes and NASM text.
pub fn listing(code: &[u8]) -> String {
    let mut out = String::new();
    for line in decode(code) {
        ferropy_emit_native::listing::push_line(&mut out, line.offset, &line.bytes, &line.text, 24);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_simple_code() {
        let text = listing(&[0x48, 0x01, 0xF8, 0xC3]);
        assert_eq!(text, "0000  4801f8                  add rax,rdi\n0003  c3                      ret\n");
        assert_eq!(decode(&[0xC3])[0].mnemonic(), "ret");
        assert!(invalid_offsets(&[0x48, 0x01, 0xF8, 0xC3]).is_empty());
        assert_eq!(invalid_offsets(&[0xC3, 0x0F, 0xFF]), alloc::vec![1]);
    }
}
