//! The text layout of machine-code listings (`ferropy --dis-native`), shared
//! by every instruction set's disassembler.

use alloc::string::String;
use core::fmt::Write;

/// Appends one listing line: the offset (4 hex digits), the instruction's bytes
/// in hex padded to `hex_width` characters, then its text.
pub fn push_line(out: &mut String, offset: usize, bytes: &[u8], text: &str, hex_width: usize) {
    let mut hex = String::new();
    for b in bytes {
        let _ = write!(hex, "{b:02x}");
    }
    let _ = writeln!(out, "{offset:04x}  {hex:<hex_width$}{text}");
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    #[test]
    fn pads_the_bytes_column() {
        let mut out = String::new();
        super::push_line(&mut out, 0x12, &[0xab, 0x01], "nop", 6);
        assert_eq!(out, "0012  ab01  nop\n");
    }
}
