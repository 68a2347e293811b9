//! A small hand-written x86-64 instruction encoder.
//!
//! Why not `dynasmrt`: the native emitter needs a fixed, small instruction set
//! whose operands are chosen at run time, labels that work by fix-ups in a
//! position-independent [`CodeBuffer`], and code handed over as plain bytes (the
//! executable mapping is ours, see [`crate::exec`], and `.mpy` output needs bytes
//! only). dynasm's assembler owns its executable buffer, its macros expect operands
//! known at macro-expansion time for most forms, and it is std-only. The ~25
//! encodings below are short and each is checked against iced-x86 in the tests.
//!
//! Every jump and RIP-relative operand uses a 32-bit displacement (fix-up kind
//! [`REL32`]), so instruction sizes never depend on label positions.

use ferropy_emit_native::{AsmError, CodeBuffer, Label};

use crate::regs::Reg;

/// Fix-up kind: a 32-bit displacement relative to the end of the 4-byte field.
pub const REL32: u8 = 0;

/// Condition codes (the low nibble of `jcc`/`setcc` opcodes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Cc {
    B = 0x2,
    Ae = 0x3,
    E = 0x4,
    Ne = 0x5,
    Be = 0x6,
    A = 0x7,
    L = 0xC,
    Ge = 0xD,
    Le = 0xE,
    G = 0xF,
}

/// Two-operand ALU operations with the `op r/m64, r64` form (opcode byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Alu {
    Add = 0x01,
    Or = 0x09,
    And = 0x21,
    Sub = 0x29,
    Xor = 0x31,
    Cmp = 0x39,
}

/// Shift operations by `cl` (ModRM reg-field extension of opcode `D3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Shift {
    Shl = 4,
    Shr = 5,
    Sar = 7,
}

/// A memory operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mem {
    /// `[base + disp]`.
    Base {
        /// Base register.
        base: Reg,
        /// Byte displacement.
        disp: i32,
    },
    /// `[base + index * scale]` with scale 1, 2, 4 or 8.
    Indexed {
        /// Base register.
        base: Reg,
        /// Index register (not `rsp`).
        index: Reg,
        /// Scale in bytes.
        scale: u8,
    },
    /// `[rip + label]`.
    Rip(Label),
}

/// The r/m operand of an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rm {
    /// A register.
    Reg(Reg),
    /// Memory.
    Mem(Mem),
}

/// Instruction prefixes and flags for [`Encoder::op`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// Operand-size override (`66`): 16-bit operation.
    pub op16: bool,
    /// REX.W: 64-bit operation.
    pub wide: bool,
    /// Byte registers are involved: `spl, bpl, sil, dil` need a REX prefix.
    pub byte: bool,
}

const WIDE: Flags = Flags { op16: false, wide: true, byte: false };
const NARROW: Flags = Flags { op16: false, wide: false, byte: false };

/// Encodes instructions into a [`CodeBuffer`].
#[derive(Clone, Debug, Default)]
pub struct Encoder {
    /// The code and labels.
    pub buf: CodeBuffer,
}

impl Encoder {
    /// An empty encoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Emits `[66] [REX] opcode ModRM [SIB] [disp]` with `reg` in the ModRM reg field
    /// (a register number or an opcode extension 0..8).
    pub fn op(&mut self, flags: Flags, opcode: &[u8], reg: u8, rm: Rm) {
        let mut rex = 0x40u8;
        if flags.wide {
            rex |= 8;
        }
        if reg >= 8 {
            rex |= 4;
        }
        let mut force = flags.byte && (4..8).contains(&reg);
        match rm {
            Rm::Reg(r) => {
                if r.is_extended() {
                    rex |= 1;
                }
                force |= flags.byte && r.byte_needs_rex();
            }
            Rm::Mem(Mem::Base { base, .. }) => {
                if base.is_extended() {
                    rex |= 1;
                }
            }
            Rm::Mem(Mem::Indexed { base, index, .. }) => {
                if base.is_extended() {
                    rex |= 1;
                }
                if index.is_extended() {
                    rex |= 2;
                }
            }
            Rm::Mem(Mem::Rip(_)) => {}
        }
        if flags.op16 {
            self.buf.put_u8(0x66);
        }
        if rex != 0x40 || force {
            self.buf.put_u8(rex);
        }
        self.buf.put_bytes(opcode);
        self.modrm(reg & 7, rm);
    }

    fn modrm(&mut self, reg: u8, rm: Rm) {
        match rm {
            Rm::Reg(r) => self.buf.put_u8(0xC0 | reg << 3 | r.low3()),
            Rm::Mem(Mem::Base { base, disp }) => {
                let (mode, disp_bytes) = Self::disp_mode(base, disp);
                if base.low3() == 4 {
                    self.buf.put_u8(mode << 6 | reg << 3 | 4);
                    self.buf.put_u8(0x24);
                } else {
                    self.buf.put_u8(mode << 6 | reg << 3 | base.low3());
                }
                self.put_disp(disp, disp_bytes);
            }
            Rm::Mem(Mem::Indexed { base, index, scale }) => {
                if index == Reg::Rsp {
                    self.buf.fail(AsmError::InvalidRegister(index.num()));
                }
                let ss = match scale {
                    1 => 0,
                    2 => 1,
                    4 => 2,
                    _ => 3,
                };
                let (mode, disp_bytes) = Self::disp_mode(base, 0);
                self.buf.put_u8(mode << 6 | reg << 3 | 4);
                self.buf.put_u8(ss << 6 | index.low3() << 3 | base.low3());
                self.put_disp(0, disp_bytes);
            }
            Rm::Mem(Mem::Rip(label)) => {
                self.buf.put_u8(reg << 3 | 5);
                self.rel32_field(label);
            }
        }
    }

    /// ModRM mode and displacement size: `rbp`/`r13` bases have no displacement-free form.
    fn disp_mode(base: Reg, disp: i32) -> (u8, usize) {
        if disp == 0 && base.low3() != 5 {
            (0, 0)
        } else if i8::try_from(disp).is_ok() {
            (1, 1)
        } else {
            (2, 4)
        }
    }

    fn put_disp(&mut self, disp: i32, bytes: usize) {
        match bytes {
            1 => self.buf.put_u8(disp as u8),
            4 => self.buf.put_u32_le(disp as u32),
            _ => {}
        }
    }

    fn rel32_field(&mut self, label: Label) {
        let at = self.buf.offset();
        self.buf.add_fixup(at, label, REL32);
        self.buf.put_u32_le(0);
    }

    /// `mov dst, value` in the shortest form (`xor` for zero).
    pub fn mov_imm(&mut self, dst: Reg, value: i64) {
        if value == 0 {
            self.op(NARROW, &[0x31], dst.num(), Rm::Reg(dst));
        } else if let Ok(v) = u32::try_from(value) {
            if dst.is_extended() {
                self.buf.put_u8(0x41);
            }
            self.buf.put_u8(0xB8 + dst.low3());
            self.buf.put_u32_le(v);
        } else if let Ok(v) = i32::try_from(value) {
            self.op(WIDE, &[0xC7], 0, Rm::Reg(dst));
            self.buf.put_u32_le(v as u32);
        } else {
            self.buf.put_u8(if dst.is_extended() { 0x49 } else { 0x48 });
            self.buf.put_u8(0xB8 + dst.low3());
            self.buf.put_u64_le(value as u64);
        }
    }

    /// `mov dst, src` (64-bit).
    pub fn mov_rr(&mut self, dst: Reg, src: Reg) {
        self.op(WIDE, &[0x89], src.num(), Rm::Reg(dst));
    }

    /// `op dst, src` (64-bit) for add/or/and/sub/xor/cmp.
    pub fn alu(&mut self, alu: Alu, dst: Reg, src: Reg) {
        self.op(WIDE, &[alu as u8], src.num(), Rm::Reg(dst));
    }

    /// `imul dst, src` (64-bit).
    pub fn imul(&mut self, dst: Reg, src: Reg) {
        self.op(WIDE, &[0x0F, 0xAF], dst.num(), Rm::Reg(src));
    }

    /// `neg dst` (64-bit).
    pub fn neg(&mut self, dst: Reg) {
        self.op(WIDE, &[0xF7], 3, Rm::Reg(dst));
    }

    /// `imul src`, one operand (64-bit: `rdx:rax = rax * src`, signed).
    pub fn imul_wide(&mut self, src: Rm) {
        self.op(WIDE, &[0xF7], 5, src);
    }

    /// `not dst` (64-bit).
    pub fn not(&mut self, dst: Reg) {
        self.op(WIDE, &[0xF7], 2, Rm::Reg(dst));
    }

    /// `shl/shr/sar target, cl` (64-bit).
    pub fn shift_cl(&mut self, shift: Shift, target: Rm) {
        self.op(WIDE, &[0xD3], shift as u8, target);
    }

    /// `test a, b`, on the low bytes when `byte` is set, else 64-bit.
    pub fn test(&mut self, a: Reg, b: Reg, byte: bool) {
        if byte {
            self.op(Flags { byte: true, ..NARROW }, &[0x84], b.num(), Rm::Reg(a));
        } else {
            self.op(WIDE, &[0x85], b.num(), Rm::Reg(a));
        }
    }

    /// `setcc dst8` then `movzx dst32, dst8` (a 0/1 word).
    pub fn set_cc(&mut self, cc: Cc, dst: Reg) {
        self.op(Flags { byte: true, ..NARROW }, &[0x0F, 0x90 | cc as u8], 0, Rm::Reg(dst));
        self.op(Flags { byte: true, ..NARROW }, &[0x0F, 0xB6], dst.num(), Rm::Reg(dst));
    }

    /// `cmovcc dst, src` (64-bit).
    pub fn cmov(&mut self, cc: Cc, dst: Reg, src: Reg) {
        self.op(WIDE, &[0x0F, 0x40 | cc as u8], dst.num(), Rm::Reg(src));
    }

    /// `push reg`.
    pub fn push(&mut self, reg: Reg) {
        if reg.is_extended() {
            self.buf.put_u8(0x41);
        }
        self.buf.put_u8(0x50 + reg.low3());
    }

    /// `pop reg`.
    pub fn pop(&mut self, reg: Reg) {
        if reg.is_extended() {
            self.buf.put_u8(0x41);
        }
        self.buf.put_u8(0x58 + reg.low3());
    }

    /// `sub rsp, bytes` (`add` when `grow` is false); nothing for zero.
    pub fn adjust_rsp(&mut self, bytes: i32, grow: bool) {
        if bytes == 0 {
            return;
        }
        let ext = if grow { 5 } else { 0 };
        if let Ok(b) = i8::try_from(bytes) {
            self.op(WIDE, &[0x83], ext, Rm::Reg(Reg::Rsp));
            self.buf.put_u8(b as u8);
        } else {
            self.op(WIDE, &[0x81], ext, Rm::Reg(Reg::Rsp));
            self.buf.put_u32_le(bytes as u32);
        }
    }

    /// `ret`.
    pub fn ret(&mut self) {
        self.buf.put_u8(0xC3);
    }

    /// `jmp label` (rel32).
    pub fn jmp(&mut self, label: Label) {
        self.buf.put_u8(0xE9);
        self.rel32_field(label);
    }

    /// `jcc label` (rel32).
    pub fn jcc(&mut self, cc: Cc, label: Label) {
        self.buf.put_bytes(&[0x0F, 0x80 | cc as u8]);
        self.rel32_field(label);
    }

    /// `call label` (rel32).
    pub fn call_rel(&mut self, label: Label) {
        self.buf.put_u8(0xE8);
        self.rel32_field(label);
    }

    /// `op dst, imm` (64-bit; imm8 or imm32 form) for add/or/and/sub/xor/cmp.
    pub fn alu_imm(&mut self, alu: Alu, dst: Reg, value: i32) {
        // The /digit of the group-1 immediate forms is the register-form opcode's bits 3..5.
        let ext = (alu as u8) >> 3;
        if let Ok(b) = i8::try_from(value) {
            self.op(WIDE, &[0x83], ext, Rm::Reg(dst));
            self.buf.put_u8(b as u8);
        } else {
            self.op(WIDE, &[0x81], ext, Rm::Reg(dst));
            self.buf.put_u32_le(value as u32);
        }
    }

    /// `test dst, imm32` (64-bit, the immediate sign-extended).
    pub fn test_imm32(&mut self, dst: Reg, value: i32) {
        self.op(WIDE, &[0xF7], 0, Rm::Reg(dst));
        self.buf.put_u32_le(value as u32);
    }

    /// `cmp byte [mem], 0`.
    pub fn cmp_byte_zero(&mut self, mem: Mem) {
        // (The opcode gives the byte size; `/7` is no register: no REX.)
        self.op(NARROW, &[0x80], 7, Rm::Mem(mem));
        self.buf.put_u8(0);
    }

    /// `test dst8, imm8` (the low byte).
    pub fn test_imm8(&mut self, dst: Reg, value: u8) {
        self.op(Flags { byte: true, ..NARROW }, &[0xF6], 0, Rm::Reg(dst));
        self.buf.put_u8(value);
    }

    /// `shl/shr/sar dst, imm8` (64-bit).
    pub fn shift_imm(&mut self, shift: Shift, dst: Reg, count: u8) {
        if count == 1 {
            self.op(WIDE, &[0xD1], shift as u8, Rm::Reg(dst));
        } else {
            self.op(WIDE, &[0xC1], shift as u8, Rm::Reg(dst));
            self.buf.put_u8(count);
        }
    }

    /// `jmp reg`.
    pub fn jmp_reg(&mut self, reg: Reg) {
        self.op(NARROW, &[0xFF], 4, Rm::Reg(reg));
    }

    /// `call qword [mem]`.
    pub fn call_mem(&mut self, mem: Mem) {
        self.op(NARROW, &[0xFF], 2, Rm::Mem(mem));
    }

    /// `lea dst, [mem]`.
    pub fn lea(&mut self, dst: Reg, mem: Mem) {
        self.op(WIDE, &[0x8D], dst.num(), Rm::Mem(mem));
    }

    /// Zero-extending load of `bytes` (1, 2, 4 or 8) bytes into `dst`.
    pub fn load(&mut self, bytes: u32, dst: Reg, mem: Mem) {
        match bytes {
            1 => self.op(NARROW, &[0x0F, 0xB6], dst.num(), Rm::Mem(mem)),
            2 => self.op(NARROW, &[0x0F, 0xB7], dst.num(), Rm::Mem(mem)),
            4 => self.op(NARROW, &[0x8B], dst.num(), Rm::Mem(mem)),
            _ => self.op(WIDE, &[0x8B], dst.num(), Rm::Mem(mem)),
        }
    }

    /// Store of the low `bytes` (1, 2, 4 or 8) bytes of `src`.
    pub fn store(&mut self, bytes: u32, src: Reg, mem: Mem) {
        match bytes {
            1 => self.op(Flags { byte: true, ..NARROW }, &[0x88], src.num(), Rm::Mem(mem)),
            2 => self.op(Flags { op16: true, ..NARROW }, &[0x89], src.num(), Rm::Mem(mem)),
            4 => self.op(NARROW, &[0x89], src.num(), Rm::Mem(mem)),
            _ => self.op(WIDE, &[0x89], src.num(), Rm::Mem(mem)),
        }
    }
}

/// Patches a [`REL32`] fix-up at `at` to reach `target`.
pub fn patch_rel32(code: &mut [u8], at: usize, target: usize, label: Label) -> Result<(), AsmError> {
    let end = at.checked_add(4).ok_or(AsmError::CodeTooLarge)?;
    let rel = i64::try_from(target).map_err(|_| AsmError::CodeTooLarge)?
        - i64::try_from(end).map_err(|_| AsmError::CodeTooLarge)?;
    let rel = i32::try_from(rel).map_err(|_| AsmError::BranchOutOfRange(label.0))?;
    let field = code.get_mut(at..end).ok_or(AsmError::CodeTooLarge)?;
    field.copy_from_slice(&rel.to_le_bytes());
    Ok(())
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::disasm;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn texts(build: impl FnOnce(&mut Encoder)) -> Vec<String> {
        let mut enc = Encoder::new();
        build(&mut enc);
        disasm::decode(enc.buf.bytes()).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn encodings_match_the_disassembler() {
        let got = texts(|e| {
            e.mov_imm(Reg::R9, 0);
            e.mov_imm(Reg::Rax, 0xFFFF_FFFF);
            e.mov_imm(Reg::R12, -2);
            e.mov_imm(Reg::Rdx, i64::MIN);
            e.mov_rr(Reg::R13, Reg::Rsi);
            e.alu(Alu::Sub, Reg::Rbx, Reg::R10);
            e.imul(Reg::R8, Reg::Rdi);
            e.shift_cl(Shift::Sar, Rm::Reg(Reg::R11));
            e.shift_cl(Shift::Shl, Rm::Mem(Mem::Base { base: Reg::Rsp, disp: 0 }));
            e.set_cc(Cc::L, Reg::Rsi);
            e.test(Reg::Rdi, Reg::Rdi, true);
            e.load(1, Reg::Rax, Mem::Base { base: Reg::R13, disp: 0 });
            e.load(2, Reg::R9, Mem::Indexed { base: Reg::Rbp, index: Reg::R12, scale: 2 });
            e.load(4, Reg::Rcx, Mem::Base { base: Reg::R12, disp: -8 });
            e.load(8, Reg::Rax, Mem::Base { base: Reg::Rdi, disp: 0x1000 });
            e.store(1, Reg::Rsi, Mem::Base { base: Reg::Rax, disp: 3 });
            e.store(2, Reg::R8, Mem::Indexed { base: Reg::Rdi, index: Reg::Rsi, scale: 2 });
            e.call_mem(Mem::Base { base: Reg::Rbp, disp: 8 * 27 });
            e.lea(Reg::Rax, Mem::Base { base: Reg::Rsp, disp: 16 });
            e.adjust_rsp(0x200, true);
            e.push(Reg::R13);
            e.jmp_reg(Reg::R9);
            e.alu_imm(Alu::And, Reg::Rsi, 1);
            e.alu_imm(Alu::Add, Reg::R9, -2);
            e.alu_imm(Alu::Cmp, Reg::Rax, 0x1E);
            e.alu_imm(Alu::Or, Reg::R12, 0x1000);
            e.alu_imm(Alu::Xor, Reg::Rdx, -0x1000);
            e.alu_imm(Alu::Sub, Reg::Rcx, 127);
            e.shift_imm(Shift::Shl, Reg::Rax, 32);
            e.shift_imm(Shift::Sar, Reg::R10, 33);
            e.shift_imm(Shift::Shr, Reg::Rdi, 1);
            e.test_imm8(Reg::Rsi, 1);
            e.test_imm8(Reg::Rax, 0x80);
            e.test_imm8(Reg::R9, 2);
            e.test_imm32(Reg::R11, 0x100);
            e.test_imm32(Reg::Rax, -2);
            e.imul_wide(Rm::Reg(Reg::R10));
            e.imul_wide(Rm::Mem(Mem::Base { base: Reg::Rsp, disp: 8 }));
            e.cmov(Cc::Ne, Reg::Rsi, Reg::R9);
            e.cmov(Cc::Ge, Reg::R12, Reg::Rax);
            e.cmp_byte_zero(Mem::Base { base: Reg::Rbp, disp: 0x30 });
            e.cmp_byte_zero(Mem::Base { base: Reg::R13, disp: -4 });
        });
        let want = [
            "xor r9d,r9d",
            "mov eax,0xFFFFFFFF",
            "mov r12,0xFFFFFFFFFFFFFFFE",
            "mov rdx,0x8000000000000000",
            "mov r13,rsi",
            "sub rbx,r10",
            "imul r8,rdi",
            "sar r11,cl",
            "shl qword [rsp],cl",
            "setl sil",
            "movzx esi,sil",
            "test dil,dil",
            "movzx eax,byte [r13]",
            "movzx r9d,word [rbp+r12*2]",
            "mov ecx,[r12-8]",
            "mov rax,[rdi+0x1000]",
            "mov [rax+3],sil",
            "mov [rdi+rsi*2],r8w",
            "call qword [rbp+0xD8]",
            "lea rax,[rsp+0x10]",
            "sub rsp,0x200",
            "push r13",
            "jmp r9",
            "and rsi,1",
            "add r9,0xFFFFFFFFFFFFFFFE",
            "cmp rax,0x1E",
            "or r12,0x1000",
            "xor rdx,0xFFFFFFFFFFFFF000",
            "sub rcx,0x7F",
            "shl rax,0x20",
            "sar r10,0x21",
            "shr rdi,1",
            "test sil,1",
            "test al,0x80",
            "test r9b,2",
            "test r11,0x100",
            "test rax,0xFFFFFFFFFFFFFFFE",
            "imul r10",
            "imul qword [rsp+8]",
            "cmovne rsi,r9",
            "cmovge r12,rax",
            "cmp byte [rbp+0x30],0",
            "cmp byte [r13-4],0",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn rel32_patch_checks_range() {
        let mut code = [0u8; 8];
        assert_eq!(patch_rel32(&mut code, 2, 0, Label(0)), Ok(()));
        assert_eq!(i32::from_le_bytes([code[2], code[3], code[4], code[5]]), -6);
        assert_eq!(patch_rel32(&mut code, 6, 0, Label(1)), Err(AsmError::CodeTooLarge));
    }
}
