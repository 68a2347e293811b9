//! [`X64Asm`]: the [`Asm`] implementation for x86-64.

use ferropy_emit_native::{Asm, AsmError, BinOp, Cond, Finished, Label, ShiftOp, Width};

use crate::abi;
use crate::asm::{patch_rel32, Alu, Cc, Encoder, Mem, Rm, Shift, REL32};
use crate::regs::{self, Reg};

/// The frame established by the prologue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Frame {
    n_slots: usize,
    reserved_bytes: i32,
    /// The registers pushed, in push order (the first `n_saved` of them).
    saved: [Reg; abi::SAVED_REGS.len()],
    n_saved: usize,
}

/// An x86-64 assembler for native code (System V ABI).
#[derive(Clone, Debug, Default)]
pub struct X64Asm {
    enc: Encoder,
    frame: Option<Frame>,
    entry: usize,
}

impl X64Asm {
    /// A new, empty assembler.
    pub fn new() -> Self {
        Self::default()
    }

    /// The code emitted so far (labels not yet resolved).
    pub fn code(&self) -> &[u8] {
        self.enc.buf.bytes()
    }

    fn fail(&mut self, error: AsmError) {
        self.enc.buf.fail(error);
    }

    /// The memory operand of stack slot `slot`, or `None` (error remembered) if invalid.
    fn slot_mem(&mut self, slot: usize) -> Option<Mem> {
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return None;
        };
        if slot >= frame.n_slots {
            self.fail(AsmError::SlotOutOfRange(slot));
            return None;
        }
        match i32::try_from(abi::slot_offset(slot)) {
            Ok(disp) => Some(Mem::Base { base: regs::SP, disp }),
            Err(_) => {
                self.fail(AsmError::SlotOutOfRange(slot));
                None
            }
        }
    }

    /// `[base + offset * size]`, or `None` (error remembered) if the displacement overflows.
    fn offset_mem(&mut self, width: Width, base: Reg, offset: i32) -> Option<Mem> {
        let disp = i64::from(offset) * i64::from(width.bytes(Self::WORD_BYTES));
        match i32::try_from(disp) {
            Ok(disp) => Some(Mem::Base { base, disp }),
            Err(_) => {
                self.fail(AsmError::OffsetOutOfRange(disp));
                None
            }
        }
    }

    fn indexed_mem(width: Width, base: Reg, index: Reg) -> Mem {
        Mem::Indexed { base, index, scale: width.bytes(Self::WORD_BYTES) as u8 }
    }
}

/// Bytes of a `jmp rel32`.
const JMP_BYTES: usize = 5;

/// Bytes of the epilogue of `frame`.
fn epilogue_bytes(frame: &Frame) -> usize {
    let adjust = match frame.reserved_bytes {
        0 => 0,
        b if i8::try_from(b).is_ok() => 4,
        _ => 7,
    };
    let pops: usize = frame.saved.iter().take(frame.n_saved).map(|r| if r.is_extended() { 2 } else { 1 }).sum();
    adjust + pops + 1
}

fn cond_code(cond: Cond) -> Cc {
    match cond {
        Cond::Eq => Cc::E,
        Cond::Ne => Cc::Ne,
        Cond::LtS => Cc::L,
        Cond::LeS => Cc::Le,
        Cond::GtS => Cc::G,
        Cond::GeS => Cc::Ge,
        Cond::LtU => Cc::B,
        Cond::LeU => Cc::Be,
        Cond::GtU => Cc::A,
        Cond::GeU => Cc::Ae,
    }
}

impl Asm for X64Asm {
    type Reg = Reg;

    const WORD_BYTES: u32 = 8;
    const RET: Reg = regs::RET;
    const ENTRY_ARGS: &'static [Reg] = &regs::ENTRY_ARGS;
    const CALL_ARGS: &'static [Reg] = &regs::CALL_ARGS;
    const TEMPS: &'static [Reg] = &regs::TEMPS;
    const LOCALS: &'static [Reg] = &regs::LOCALS;
    const FUN_TABLE: Reg = regs::FUN_TABLE;

    fn offset(&self) -> usize {
        self.enc.buf.offset()
    }

    fn new_label(&mut self) -> Label {
        self.enc.buf.new_label()
    }

    fn bind(&mut self, label: Label) {
        self.enc.buf.bind(label);
    }

    fn align(&mut self, align: usize) {
        self.enc.buf.align(align, 0x90);
    }

    fn data(&mut self, bytes: &[u8]) {
        self.enc.buf.put_bytes(bytes);
    }

    fn prologue(&mut self, n_slots: usize) {
        self.prologue_saving(n_slots, &regs::LOCALS);
    }

    /// Pushes [`regs::FUN_TABLE`] and those of `used` among the other
    /// callee-saved registers, then reserves enough slots to keep `rsp`
    /// 16-byte aligned (see [`abi`]).
    fn prologue_saving(&mut self, n_slots: usize, used: &[Reg]) {
        if self.frame.is_some() {
            self.fail(AsmError::FrameMisuse);
            return;
        }
        let mut saved = abi::SAVED_REGS;
        let mut n_saved = 0;
        for reg in abi::SAVED_REGS {
            if reg == regs::FUN_TABLE || used.contains(&reg) {
                if let Some(s) = saved.get_mut(n_saved) {
                    *s = reg;
                    n_saved += 1;
                }
            }
        }
        let reserved =
            abi::reserved_slots(n_saved, n_slots).checked_mul(abi::SLOT_BYTES).and_then(|b| i32::try_from(b).ok());
        let Some(reserved_bytes) = reserved else {
            self.fail(AsmError::SlotOutOfRange(n_slots));
            return;
        };
        self.entry = self.offset();
        for reg in saved.iter().take(n_saved) {
            self.enc.push(*reg);
        }
        self.enc.adjust_rsp(reserved_bytes, true);
        self.frame = Some(Frame { n_slots, reserved_bytes, saved, n_saved });
    }

    fn epilogue(&mut self) {
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return;
        };
        self.enc.adjust_rsp(frame.reserved_bytes, false);
        for reg in frame.saved.iter().take(frame.n_saved).rev() {
            self.enc.pop(*reg);
        }
        self.enc.ret();
    }

    /// The epilogue in place of the jump when it is no longer (five bytes:
    /// no slots and three registers saved, as in plain native code).
    fn jump_to_exit(&mut self, exit: Label) {
        match self.frame {
            Some(frame) if epilogue_bytes(&frame) <= JMP_BYTES => self.epilogue(),
            _ => self.enc.jmp(exit),
        }
    }

    fn mov_imm(&mut self, dst: Reg, value: i64) {
        self.enc.mov_imm(dst, value);
    }

    fn mov_reg(&mut self, dst: Reg, src: Reg) {
        if dst != src {
            self.enc.mov_rr(dst, src);
        }
    }

    fn load_slot(&mut self, dst: Reg, slot: usize) {
        if let Some(mem) = self.slot_mem(slot) {
            self.enc.load(8, dst, mem);
        }
    }

    fn store_slot(&mut self, slot: usize, src: Reg) {
        if let Some(mem) = self.slot_mem(slot) {
            self.enc.store(8, src, mem);
        }
    }

    fn slot_addr(&mut self, dst: Reg, slot: usize) {
        if let Some(mem) = self.slot_mem(slot) {
            self.enc.lea(dst, mem);
        }
    }

    fn label_addr(&mut self, dst: Reg, label: Label) {
        self.enc.lea(dst, Mem::Rip(label));
    }

    fn binop(&mut self, op: BinOp, dst: Reg, src: Reg) {
        match op {
            BinOp::Add => self.enc.alu(Alu::Add, dst, src),
            BinOp::Sub => self.enc.alu(Alu::Sub, dst, src),
            BinOp::And => self.enc.alu(Alu::And, dst, src),
            BinOp::Or => self.enc.alu(Alu::Or, dst, src),
            BinOp::Xor => self.enc.alu(Alu::Xor, dst, src),
            BinOp::Mul => self.enc.imul(dst, src),
        }
    }

    /// x86 shifts take their count in `cl`: when `count` is another register, `rcx`
    /// is saved on the stack around the shift (and the shift applied to the saved
    /// copy when `dst` is `rcx` itself), so only `dst` changes.
    fn shift(&mut self, op: ShiftOp, dst: Reg, count: Reg) {
        let kind = match op {
            ShiftOp::Shl => Shift::Shl,
            ShiftOp::Shr => Shift::Shr,
            ShiftOp::Sar => Shift::Sar,
        };
        if count == Reg::Rcx {
            self.enc.shift_cl(kind, Rm::Reg(dst));
            return;
        }
        self.enc.push(Reg::Rcx);
        self.enc.mov_rr(Reg::Rcx, count);
        if dst == Reg::Rcx {
            self.enc.shift_cl(kind, Rm::Mem(Mem::Base { base: Reg::Rsp, disp: 0 }));
        } else {
            self.enc.shift_cl(kind, Rm::Reg(dst));
        }
        self.enc.pop(Reg::Rcx);
    }

    fn neg(&mut self, dst: Reg) {
        self.enc.neg(dst);
    }

    fn not(&mut self, dst: Reg) {
        self.enc.not(dst);
    }

    fn set_cond(&mut self, cond: Cond, dst: Reg, a: Reg, b: Reg) {
        self.enc.alu(Alu::Cmp, a, b);
        self.enc.set_cc(cond_code(cond), dst);
    }

    fn jump(&mut self, label: Label) {
        self.enc.jmp(label);
    }

    fn jump_if_zero(&mut self, reg: Reg, bool_test: bool, label: Label) {
        self.enc.test(reg, reg, bool_test);
        self.enc.jcc(Cc::E, label);
    }

    fn jump_if_nonzero(&mut self, reg: Reg, bool_test: bool, label: Label) {
        self.enc.test(reg, reg, bool_test);
        self.enc.jcc(Cc::Ne, label);
    }

    fn jump_if_byte(&mut self, base: Reg, offset: i32, set: bool, _scratch: Reg, label: Label) {
        self.enc.cmp_byte_zero(Mem::Base { base, disp: offset });
        self.enc.jcc(if set { Cc::Ne } else { Cc::E }, label);
    }

    fn sub_if_at_least(&mut self, dst: Reg, value: i32, t: Reg, _scratch: Reg) {
        self.enc.mov_rr(t, dst);
        self.enc.alu_imm(Alu::Sub, t, value);
        self.enc.cmov(Cc::Ge, dst, t);
    }

    const INLINE_SMALL_INTS: bool = true;

    const INLINE_ITEMS: bool = true;

    fn move_if_nonzero(&mut self, dst: Reg, src: Reg, cond: Reg) {
        self.enc.test(cond, cond, false);
        self.enc.cmov(Cc::Ne, dst, src);
    }

    fn jump_if_eq(&mut self, a: Reg, b: Reg, label: Label) {
        self.enc.alu(Alu::Cmp, a, b);
        self.enc.jcc(Cc::E, label);
    }

    fn jump_reg(&mut self, reg: Reg) {
        self.enc.jmp_reg(reg);
    }

    fn call_table(&mut self, index: usize) {
        match index.checked_mul(8).and_then(|d| i32::try_from(d).ok()) {
            Some(disp) => self.enc.call_mem(Mem::Base { base: regs::FUN_TABLE, disp }),
            None => self.fail(AsmError::TableIndexOutOfRange(index)),
        }
    }

    fn load(&mut self, width: Width, dst: Reg, base: Reg, offset: i32) {
        if let Some(mem) = self.offset_mem(width, base, offset) {
            self.enc.load(width.bytes(Self::WORD_BYTES), dst, mem);
        }
    }

    fn store(&mut self, width: Width, src: Reg, base: Reg, offset: i32) {
        if let Some(mem) = self.offset_mem(width, base, offset) {
            self.enc.store(width.bytes(Self::WORD_BYTES), src, mem);
        }
    }

    fn load_indexed(&mut self, width: Width, dst: Reg, base: Reg, index: Reg) {
        self.enc.load(width.bytes(Self::WORD_BYTES), dst, Self::indexed_mem(width, base, index));
    }

    fn store_indexed(&mut self, width: Width, src: Reg, base: Reg, index: Reg) {
        self.enc.store(width.bytes(Self::WORD_BYTES), src, Self::indexed_mem(width, base, index));
    }

    const LOCAL_CALLS: bool = true;

    fn call_local(&mut self, label: Label) {
        self.enc.call_rel(label);
    }

    /// `mov ret_addr, [rsp]; sub rsp, 8`: the call pushed 8 bytes, 8 more
    /// realign the stack to 16 for the calls the subroutine makes.
    fn local_entry(&mut self, ret_addr: Reg) {
        self.enc.load(8, ret_addr, Mem::Base { base: Reg::Rsp, disp: 0 });
        self.enc.adjust_rsp(8, true);
    }

    fn local_return(&mut self) {
        self.enc.adjust_rsp(8, false);
        self.enc.ret();
    }

    fn local_discard(&mut self) {
        self.enc.adjust_rsp(16, false);
    }

    fn local_leave(&mut self) {
        self.enc.adjust_rsp(8, false);
    }

    fn binop_imm(&mut self, op: BinOp, dst: Reg, value: i32, scratch: Reg) {
        let alu = match op {
            BinOp::Add => Alu::Add,
            BinOp::Sub => Alu::Sub,
            BinOp::And => Alu::And,
            BinOp::Or => Alu::Or,
            BinOp::Xor => Alu::Xor,
            BinOp::Mul => {
                self.enc.mov_imm(scratch, i64::from(value));
                self.enc.imul(dst, scratch);
                return;
            }
        };
        self.enc.alu_imm(alu, dst, value);
    }

    fn jump_if_eq_imm(&mut self, reg: Reg, value: i32, _scratch: Reg, label: Label) {
        self.enc.alu_imm(Alu::Cmp, reg, value);
        self.enc.jcc(Cc::E, label);
    }

    fn jump_if_bit_clear(&mut self, reg: Reg, bit: u8, scratch: Reg, label: Label) {
        if bit < 8 {
            self.enc.test_imm8(reg, 1 << bit);
            self.enc.jcc(Cc::E, label);
        } else {
            self.shift_imm(ShiftOp::Shl, reg, 63u8.saturating_sub(bit), scratch);
            self.shift_imm(ShiftOp::Shr, reg, 63, scratch);
            self.jump_if_zero(reg, false, label);
        }
    }

    fn shift_imm(&mut self, op: ShiftOp, dst: Reg, count: u8, _scratch: Reg) {
        let kind = match op {
            ShiftOp::Shl => Shift::Shl,
            ShiftOp::Shr => Shift::Shr,
            ShiftOp::Sar => Shift::Sar,
        };
        self.enc.shift_imm(kind, dst, count & 63);
    }

    const SHIFT_COUNT: Option<Reg> = Some(Reg::Rcx);

    const MULHI: bool = true;

    /// The one-operand `imul` multiplies into `rdx:rax`: both are saved on
    /// the stack around it (the factor read from its saved copy when it is
    /// one of them, the result written to the saved copy when `dst` is), so
    /// only `dst` changes.
    fn mulhi_s(&mut self, dst: Reg, src: Reg) {
        let saved = |r: Reg| match r {
            Reg::Rax => Some(8),
            Reg::Rdx => Some(0),
            _ => None,
        };
        self.enc.push(Reg::Rax);
        self.enc.push(Reg::Rdx);
        self.mov_reg(Reg::Rax, dst);
        match saved(src) {
            Some(disp) => self.enc.imul_wide(Rm::Mem(Mem::Base { base: Reg::Rsp, disp })),
            None => self.enc.imul_wide(Rm::Reg(src)),
        }
        match saved(dst) {
            Some(disp) => self.enc.store(8, Reg::Rdx, Mem::Base { base: Reg::Rsp, disp }),
            None => self.enc.mov_rr(dst, Reg::Rdx),
        }
        self.enc.pop(Reg::Rdx);
        self.enc.pop(Reg::Rax);
    }

    const MULHI_FIXED: Option<(Reg, Reg)> = Some((Reg::Rax, Reg::Rdx));

    fn mulhi_s_fixed(&mut self, src: Reg) {
        self.enc.imul_wide(Rm::Reg(src));
    }

    fn binop_imm_needs_scratch(op: BinOp, _dst: Reg, _value: i32) -> bool {
        op == BinOp::Mul
    }

    fn shift_imm_needs_scratch(_dst: Reg, _count: u8) -> bool {
        false
    }

    fn jump_if_cond(&mut self, cond: Cond, a: Reg, b: Reg, _scratch: Reg, label: Label) {
        self.enc.alu(Alu::Cmp, a, b);
        self.enc.jcc(cond_code(cond), label);
    }

    fn jump_if_bits(&mut self, reg: Reg, mask: i32, set: bool, _scratch: Reg, label: Label) {
        match u8::try_from(mask) {
            Ok(m) => self.enc.test_imm8(reg, m),
            Err(_) => self.enc.test_imm32(reg, mask),
        }
        self.enc.jcc(if set { Cc::Ne } else { Cc::E }, label);
    }

    fn jump_if_cond_imm(&mut self, cond: Cond, reg: Reg, value: i32, _scratch: Reg, label: Label) {
        self.enc.alu_imm(Alu::Cmp, reg, value);
        self.enc.jcc(cond_code(cond), label);
    }

    fn finish(self) -> Result<Finished, AsmError> {
        let entry = self.entry;
        let (code, labels) = self.enc.buf.resolve(|code, fixup, target| match fixup.kind {
            REL32 => patch_rel32(code, fixup.at, target, fixup.label),
            _ => Err(AsmError::CodeTooLarge),
        })?;
        Ok(Finished { code, entry, labels })
    }
}

impl ferropy_emit_native::AsmFactory for X64Asm {
    fn new_asm() -> Self {
        X64Asm::new()
    }
    const MPY_ARCH: u8 = ferropy_bytecode::mpy::arch::X64;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `epilogue_bytes` agrees with the epilogue emitted, for every subset
    /// of saved registers and a few frame sizes.
    #[test]
    fn epilogue_length_is_predicted() {
        for mask in 0u32..32 {
            let used: alloc::vec::Vec<Reg> =
                regs::LOCALS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, r)| *r).collect();
            for n_slots in [0, 1, 2, 20, 40] {
                let mut a = X64Asm::new();
                a.prologue_saving(n_slots, &used);
                let Some(frame) = a.frame else { panic!("no frame") };
                let start = a.offset();
                a.epilogue();
                assert_eq!(a.offset() - start, epilogue_bytes(&frame), "mask {mask:#x}, {n_slots} slots");
            }
        }
    }

    /// The jump to the exit becomes the epilogue only where that is no longer.
    #[test]
    fn exit_jump_is_inlined_when_short() {
        let mut a = X64Asm::new();
        a.prologue_saving(0, &[Reg::Rbx, Reg::R12]);
        let exit = a.new_label();
        let start = a.offset();
        a.jump_to_exit(exit);
        assert_eq!(&a.code()[start..], &[0x41, 0x5C, 0x5B, 0x5D, 0xC3]);
        let mut b = X64Asm::new();
        b.prologue(1);
        let exit = b.new_label();
        let start = b.offset();
        b.jump_to_exit(exit);
        assert_eq!(b.code().get(start), Some(&0xE9));
    }
}
