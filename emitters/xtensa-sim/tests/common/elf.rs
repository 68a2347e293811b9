//! A minimal static Xtensa ELF executable for `qemu-xtensa` (Linux user mode):
//! one read-write-execute segment holding a harness that calls each function
//! with its own buffer, writes all buffers to stdout and exits.

use ferropy_emit_native::Label;
use ferropy_emit_xtensa::insn::Insn;
use ferropy_emit_xtensa::layout::{assemble, Base, Item};
use ferropy_emit_xtensa::{Abi, Reg};

/// Load address of the segment.
pub const BASE: u32 = 0x0040_0000;
const HEADERS: usize = 0x100;
const STACK: usize = 64 * 1024;
const SYS_WRITE: i32 = 13;
const SYS_EXIT_GROUP: i32 = 119;

/// Encodes Linux's `syscall` instruction.
fn syscall() -> Item {
    Item::Data(vec![0x00, 0x50, 0x00])
}

/// The harness and functions: `functions[i]` is called with a pointer to
/// `buffers[i]` (all buffers have the same length); then every buffer is
/// written to stdout, in order, and the program exits with status 0.
pub fn program(abi: Abi, functions: &[Vec<u8>], buffers: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let n = functions.len();
    // Labels: 0 = stack top, 1 = buffers, 2.. = functions.
    let stack_top = Label(0);
    let bufs = Label(1);
    let func = |i: usize| Label(2 + i as u32);
    let buf_len: usize = buffers.first().map_or(0, Vec::len);
    let mut items = vec![Item::LabelAddr { dst: Reg::A1, label: stack_top }];
    for i in 0..n {
        let arg = if abi == Abi::Call0 { Reg::A2 } else { Reg::A10 };
        items.push(Item::LabelAddr { dst: arg, label: bufs });
        let offset = (i * buf_len) as u32;
        items.push(Item::Const { t: Reg::A9, value: offset });
        items.push(Item::Insn(Insn::AddN { r: arg, s: arg, t: Reg::A9 }));
        items.push(Item::LabelAddr { dst: Reg::A8, label: func(i) });
        items.push(Item::Insn(if abi == Abi::Call0 {
            Insn::Callx0 { s: Reg::A8 }
        } else {
            Insn::Callx8 { s: Reg::A8 }
        }));
    }
    items.push(Item::LabelAddr { dst: Reg::A3, label: bufs });
    items.push(Item::Const { t: Reg::A4, value: (n * buf_len) as u32 });
    items.push(Item::Insn(Insn::Movi { t: Reg::A6, imm: 1 }));
    items.push(Item::Insn(Insn::Movi { t: Reg::A2, imm: SYS_WRITE }));
    items.push(syscall());
    items.push(Item::Insn(Insn::Movi { t: Reg::A6, imm: 0 }));
    items.push(Item::Insn(Insn::Movi { t: Reg::A2, imm: SYS_EXIT_GROUP }));
    items.push(syscall());
    for (i, f) in functions.iter().enumerate() {
        items.push(Item::Align(4));
        items.push(Item::Bind(func(i)));
        items.push(Item::Data(f.clone()));
    }
    items.push(Item::Align(16));
    items.push(Item::Bind(bufs));
    for b in buffers {
        items.push(Item::Data(b.clone()));
    }
    items.push(Item::Align(16));
    items.push(Item::Data(vec![0; STACK]));
    items.push(Item::Bind(stack_top));
    let laid = assemble(&items, 2 + n, Base::None).map_err(|e| format!("harness: {e}"))?;
    Ok(elf(&laid.code))
}

/// Wraps `image` (entry at its first byte) in an ELF32 executable.
fn elf(image: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let u16le = |o: &mut Vec<u8>, v: u16| o.extend_from_slice(&v.to_le_bytes());
    let u32le = |o: &mut Vec<u8>, v: u32| o.extend_from_slice(&v.to_le_bytes());
    out.extend_from_slice(&[0x7F, b'E', b'L', b'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    u16le(&mut out, 2); // ET_EXEC
    u16le(&mut out, 94); // EM_XTENSA
    u32le(&mut out, 1);
    u32le(&mut out, BASE + HEADERS as u32); // entry
    u32le(&mut out, 52); // phoff
    u32le(&mut out, 0); // shoff
    u32le(&mut out, 0x300); // flags
    u16le(&mut out, 52);
    u16le(&mut out, 32);
    u16le(&mut out, 1);
    u16le(&mut out, 40);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    let size = (HEADERS + image.len()) as u32;
    u32le(&mut out, 1); // PT_LOAD
    u32le(&mut out, 0);
    u32le(&mut out, BASE);
    u32le(&mut out, BASE);
    u32le(&mut out, size);
    u32le(&mut out, size);
    u32le(&mut out, 7); // RWX
    u32le(&mut out, 0x1000);
    out.resize(HEADERS, 0);
    out.extend_from_slice(image);
    out
}
