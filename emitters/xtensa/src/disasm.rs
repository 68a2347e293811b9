//! A listing of emitted Xtensa code (the instruction subset of [`crate::insn`]).
//!
//! Knows the code's shape: a leading `j` over a literal pool is followed by the
//! pool's words, and the padding after an address-computing `call0` and before
//! a local subroutine (a `call0` target met earlier) is skipped.
//! Anything else that does not decode is shown as `.byte`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::insn::Insn;

/// One line of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Offset in the code.
    pub offset: usize,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The text.
    pub text: String,
}

/// Lists `code`, whose first byte is at address `base`.
pub fn listing(code: &[u8], base: u32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut at = 0usize;
    // Literal pool: `j` at 0 landing on a 4-aligned offset past it.
    if let Some(Insn::J { rel }) = Insn::decode(code) {
        let end = 4 + rel as i64;
        if rel >= 0 && end as usize <= code.len() && end % 4 == 0 {
            lines.push(Line { offset: 0, bytes: code[..3].to_vec(), text: format!("j 0x{:x}", base + end as u32) });
            lines.push(Line { offset: 3, bytes: code[3..4].to_vec(), text: String::from(".byte 0x00") });
            at = 4;
            while at + 4 <= end as usize {
                let w = u32::from_le_bytes([code[at], code[at + 1], code[at + 2], code[at + 3]]);
                lines.push(Line { offset: at, bytes: code[at..at + 4].to_vec(), text: format!(".word 0x{w:08x}") });
                at += 4;
            }
        }
    }
    // Targets of the `call0`s met so far: a local subroutine is one, and
    // zero padding up to its 4-byte boundary is skipped.
    let mut call_targets: Vec<usize> = Vec::new();
    while at < code.len() {
        let pc = base.wrapping_add(at as u32);
        let padding = call_targets
            .iter()
            .copied()
            .find(|&t| t > at && t < at + 4 && t <= code.len() && code[at..t].iter().all(|b| *b == 0));
        if let Some(t) = padding {
            lines.push(Line { offset: at, bytes: code[at..t].to_vec(), text: format!(".skip {}", t - at) });
            at = t;
            continue;
        }
        match Insn::decode(&code[at..]) {
            Some(insn) => {
                let len = insn.len();
                lines.push(Line {
                    offset: at,
                    bytes: code[at..at + len].to_vec(),
                    text: format!("{}", insn.display(pc)),
                });
                at += len;
                if let (Insn::Call0 { .. }, Some(t)) = (insn, insn.target(pc)) {
                    call_targets.push(t.wrapping_sub(base) as usize);
                    let pad = t.wrapping_sub(pc.wrapping_add(3)) as usize;
                    if pad > 0 && pad < 4 && at + pad <= code.len() {
                        lines.push(Line {
                            offset: at,
                            bytes: code[at..at + pad].to_vec(),
                            text: format!(".skip {pad}"),
                        });
                        at += pad;
                    }
                }
            }
            None => {
                lines.push(Line {
                    offset: at,
                    bytes: alloc::vec![code[at]],
                    text: format!(".byte 0x{:02x}", code[at]),
                });
                at += 1;
            }
        }
    }
    lines
}

/// The listing as text, one `offset: bytes  text` line per instruction.
pub fn listing_text(code: &[u8]) -> String {
    let mut s = String::new();
    for l in listing(code, 0) {
        let hex: String = l.bytes.iter().map(|b| format!("{b:02x}")).collect();
        s.push_str(&format!("{:6x}:  {hex:<8} {}\n", l.offset, l.text));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::masm::XtensaCall0Asm;
    use ferropy_emit_native::Asm;

    #[test]
    fn lists_pool_code_and_padding() {
        let mut a = XtensaCall0Asm::new();
        let l = a.new_label();
        a.mov_imm(crate::Reg::A2, 0x12345678);
        a.label_addr(crate::Reg::A3, l);
        a.bind(l);
        a.data(&[0xFF]);
        let code = a.finish().unwrap().code;
        let text = listing_text(&code);
        assert!(text.contains(".word 0x12345678"), "{text}");
        assert!(text.contains("l32r a2, 0x4"), "{text}");
        assert!(text.contains("call0"), "{text}");
        assert!(text.contains("add.n a3, a3, a0"), "{text}");
        assert!(text.trim_end().ends_with(".byte 0xff"), "{text}");
    }
}
