//! The [`Asm`] trait: what the native/viper emitter needs from one instruction set.
//!
//! The trait is small and orthogonal; the emitter layers Python semantics on top.
//! Conventions shared by every implementation:
//!
//! * **Two-operand arithmetic**: `dst = dst op src`, on whole machine words, with
//!   wraparound (x86-64 and Thumb favour this form; three-operand ISAs simply
//!   repeat `dst`).
//! * **Registers** are the implementation's `Reg` type; the roles of §5.3 of the
//!   reference notes are associated constants ([`Asm::RET`], [`Asm::CALL_ARGS`],
//!   [`Asm::TEMPS`], [`Asm::LOCALS`], [`Asm::FUN_TABLE`]). The emitter may use any
//!   of them freely; an implementation that needs scratch registers for an
//!   operation (for example x86-64 shifts, whose count must be in `cl`) saves and
//!   restores them itself, so every operation changes only its destination.
//! * **Frame**: [`Asm::prologue`] saves the callee-saved registers (the local and
//!   table registers) and reserves word-sized stack slots; slots are numbered from
//!   0 and keep their values across [`Asm::call_table`]. The stack is aligned as the
//!   platform ABI requires at every call.
//! * **Labels** are fix-up based (see [`crate::buffer`]): a jump may come before or
//!   after its label's binding; everything is resolved by [`Asm::finish`].
//! * **Errors** (bad slot, unbound label, out-of-range immediate...) never panic:
//!   the first one is remembered and returned by [`Asm::finish`].
//! * **Position independence**: no absolute addresses are ever emitted; the
//!   runtime is reached only through the function table register.

use alloc::vec::Vec;
use core::fmt::Debug;

use crate::buffer::Label;
use crate::error::AsmError;

/// Width of a memory access. Loads zero-extend to a machine word; stores keep the low bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Width {
    /// 8 bits.
    U8,
    /// 16 bits.
    U16,
    /// 32 bits.
    U32,
    /// One machine word (32 or 64 bits).
    Word,
}

impl Width {
    /// Size in bytes, given the ISA's word size in bytes.
    pub fn bytes(self, word_bytes: u32) -> u32 {
        match self {
            Width::U8 => 1,
            Width::U16 => 2,
            Width::U32 => 4,
            Width::Word => word_bytes,
        }
    }
}

/// A two-operand arithmetic or logic operation `dst = dst op src`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// Wrapping addition.
    Add,
    /// Wrapping subtraction.
    Sub,
    /// Wrapping multiplication (low word of the product).
    Mul,
    /// Bitwise and.
    And,
    /// Bitwise or.
    Or,
    /// Bitwise exclusive or.
    Xor,
}

/// A shift `dst = dst shift src`; the count is used as the hardware takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ShiftOp {
    /// Logical left shift.
    Shl,
    /// Logical (unsigned) right shift.
    Shr,
    /// Arithmetic (signed) right shift.
    Sar,
}

/// A relation between two registers, signed or unsigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    /// `a == b`.
    Eq,
    /// `a != b`.
    Ne,
    /// `a < b`, signed.
    LtS,
    /// `a <= b`, signed.
    LeS,
    /// `a > b`, signed.
    GtS,
    /// `a >= b`, signed.
    GeS,
    /// `a < b`, unsigned.
    LtU,
    /// `a <= b`, unsigned.
    LeU,
    /// `a > b`, unsigned.
    GtU,
    /// `a >= b`, unsigned.
    GeU,
}

impl Cond {
    /// Every relation, in declaration order.
    pub const ALL: [Cond; 10] =
        [Cond::Eq, Cond::Ne, Cond::LtS, Cond::LeS, Cond::GtS, Cond::GeS, Cond::LtU, Cond::LeU, Cond::GtU, Cond::GeU];

    /// The opposite relation: true exactly where `self` is false.
    pub fn negate(self) -> Cond {
        match self {
            Cond::Eq => Cond::Ne,
            Cond::Ne => Cond::Eq,
            Cond::LtS => Cond::GeS,
            Cond::LeS => Cond::GtS,
            Cond::GtS => Cond::LeS,
            Cond::GeS => Cond::LtS,
            Cond::LtU => Cond::GeU,
            Cond::LeU => Cond::GtU,
            Cond::GtU => Cond::LeU,
            Cond::GeU => Cond::LtU,
        }
    }

    /// Evaluates the relation on two 64-bit words (reference semantics for tests and constant folding).
    pub fn eval(self, a: u64, b: u64) -> bool {
        let (sa, sb) = (a as i64, b as i64);
        match self {
            Cond::Eq => a == b,
            Cond::Ne => a != b,
            Cond::LtS => sa < sb,
            Cond::LeS => sa <= sb,
            Cond::GtS => sa > sb,
            Cond::GeS => sa >= sb,
            Cond::LtU => a < b,
            Cond::LeU => a <= b,
            Cond::GtU => a > b,
            Cond::GeU => a >= b,
        }
    }
}

/// Finished machine code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    /// The code bytes; position-independent.
    pub code: Vec<u8>,
    /// Offset of the prologue (the function's entry point) in `code`.
    pub entry: usize,
    /// Offset of each label by its number (`None` if never bound).
    pub labels: Vec<Option<usize>>,
}

/// One instruction set's assembler, as used by the native and viper emitters.
pub trait Asm {
    /// A machine register.
    type Reg: Copy + Eq + Debug + 'static;

    /// Size of a machine word in bytes (4 or 8).
    const WORD_BYTES: u32;
    /// Register holding a function's result and the result of a table call.
    const RET: Self::Reg;
    /// Registers receiving the incoming arguments of the emitted function, in order.
    const ENTRY_ARGS: &'static [Self::Reg];
    /// Registers for the arguments of a table call, in order.
    const CALL_ARGS: &'static [Self::Reg];
    /// Scratch registers for the emitter (clobbered by table calls).
    const TEMPS: &'static [Self::Reg];
    /// Callee-saved registers for viper locals (kept across table calls).
    const LOCALS: &'static [Self::Reg];
    /// Callee-saved register holding the native function table's address.
    const FUN_TABLE: Self::Reg;

    /// Current code offset.
    fn offset(&self) -> usize;
    /// Creates a new, unbound label.
    fn new_label(&mut self) -> Label;
    /// Binds `label` to the current offset.
    fn bind(&mut self, label: Label);
    /// Pads with no-op or zero bytes to a multiple of `align` bytes.
    fn align(&mut self, align: usize);
    /// Emits raw bytes (data tables inside the code).
    fn data(&mut self, bytes: &[u8]);

    /// Function entry: saves the callee-saved registers and reserves `n_slots` word slots.
    fn prologue(&mut self, n_slots: usize);
    /// Function entry that saves, of [`Asm::LOCALS`], only those in `used`
    /// (with [`Asm::FUN_TABLE`]): the emitted code writes no other one. The
    /// default saves them all and reserves at least one slot, as
    /// [`Asm::prologue`] did for the lowered code before this method.
    fn prologue_saving(&mut self, n_slots: usize, used: &[Self::Reg]) {
        let _ = used;
        self.prologue(n_slots.max(1));
    }
    /// Function exit: frees the slots, restores the saved registers and returns
    /// ([`Asm::RET`] holds the result). May be emitted more than once.
    fn epilogue(&mut self);

    /// `dst = value` (on 32-bit ISAs the value must fit in 32 bits, signed or unsigned).
    fn mov_imm(&mut self, dst: Self::Reg, value: i64);
    /// `dst = src`.
    fn mov_reg(&mut self, dst: Self::Reg, src: Self::Reg);

    /// A hint: the value in `reg` is not read again before `reg` is
    /// written (an assembler that rewrites its code may use it; the default
    /// emits nothing).
    fn dead(&mut self, reg: Self::Reg) {
        let _ = reg;
    }
    /// `dst = slot[n]`.
    fn load_slot(&mut self, dst: Self::Reg, slot: usize);
    /// `slot[n] = src`.
    fn store_slot(&mut self, slot: usize, src: Self::Reg);
    /// `dst = address of slot[n]`.
    fn slot_addr(&mut self, dst: Self::Reg, slot: usize);
    /// `dst = address of label` (PC-relative).
    fn label_addr(&mut self, dst: Self::Reg, label: Label);

    /// `dst = dst op src`.
    fn binop(&mut self, op: BinOp, dst: Self::Reg, src: Self::Reg);
    /// `dst = dst shift count`.
    fn shift(&mut self, op: ShiftOp, dst: Self::Reg, count: Self::Reg);
    /// `dst = -dst` (wrapping).
    fn neg(&mut self, dst: Self::Reg);
    /// `dst = !dst` (bitwise).
    fn not(&mut self, dst: Self::Reg);
    /// `dst = (a cond b) as 0/1`; `dst` may be `a` or `b`.
    fn set_cond(&mut self, cond: Cond, dst: Self::Reg, a: Self::Reg, b: Self::Reg);

    /// Unconditional jump.
    fn jump(&mut self, label: Label);
    /// Leaves the function (result in [`Asm::RET`]) by jumping to `exit`,
    /// where the [`Asm::epilogue`] is. An assembler may emit the epilogue
    /// itself in the jump's place instead (the default jumps).
    fn jump_to_exit(&mut self, exit: Label) {
        self.jump(exit);
    }
    /// Jumps if `reg` is zero; with `bool_test` only its low byte is meaningful.
    fn jump_if_zero(&mut self, reg: Self::Reg, bool_test: bool, label: Label);
    /// Jumps if `reg` is non-zero; with `bool_test` only its low byte is meaningful.
    fn jump_if_nonzero(&mut self, reg: Self::Reg, bool_test: bool, label: Label);
    /// Jumps if `a == b`.
    fn jump_if_eq(&mut self, a: Self::Reg, b: Self::Reg, label: Label);
    /// Jumps to the address in `reg`.
    fn jump_reg(&mut self, reg: Self::Reg);
    /// Jumps to `label` if the byte at `base + offset` (in bytes) is non-zero
    /// (`set`) or zero; `scratch` may be used to read it.
    fn jump_if_byte(&mut self, base: Self::Reg, offset: i32, set: bool, scratch: Self::Reg, label: Label) {
        self.load(Width::U8, scratch, base, offset);
        if set {
            self.jump_if_nonzero(scratch, true, label);
        } else {
            self.jump_if_zero(scratch, true, label);
        }
    }
    /// `dst = dst - value` if `dst >= value` (signed), else unchanged, for
    /// `dst` in `0..2 * value` (`%` of a small dividend); `t` and `scratch`
    /// are free registers. The default masks without a branch: `t = (dst -
    /// value) >> (bits - 1)` is all ones exactly when `dst < value`.
    fn sub_if_at_least(&mut self, dst: Self::Reg, value: i32, t: Self::Reg, scratch: Self::Reg) {
        let top = (Self::WORD_BYTES * 8 - 1) as u8;
        self.binop_imm(BinOp::Sub, dst, value, scratch);
        self.mov_reg(t, dst);
        self.shift_imm(ShiftOp::Sar, t, top, scratch);
        self.binop_imm(BinOp::And, t, value, scratch);
        self.binop(BinOp::Add, dst, t);
    }
    /// `dst = src` if `cond` is non-zero, else `dst` unchanged: a conditional
    /// move where the ISA has one (the default branches around a move).
    /// `dst` differs from `src` and `cond`.
    fn move_if_nonzero(&mut self, dst: Self::Reg, src: Self::Reg, cond: Self::Reg) {
        let skip = self.new_label();
        self.jump_if_zero(cond, false, skip);
        self.mov_reg(dst, src);
        self.bind(skip);
    }

    /// Calls entry `index` of the function table (arguments in [`Asm::CALL_ARGS`], result in [`Asm::RET`]).
    fn call_table(&mut self, index: usize);

    /// `dst = mem[base + offset * size]`, zero-extended (`offset` in units of the access size).
    fn load(&mut self, width: Width, dst: Self::Reg, base: Self::Reg, offset: i32);
    /// `mem[base + offset * size] = src` (low bits; `offset` in units of the access size).
    fn store(&mut self, width: Width, src: Self::Reg, base: Self::Reg, offset: i32);
    /// `dst = mem[base + index * size]`, zero-extended.
    fn load_indexed(&mut self, width: Width, dst: Self::Reg, base: Self::Reg, index: Self::Reg);
    /// `mem[base + index * size] = src` (low bits).
    fn store_indexed(&mut self, width: Width, src: Self::Reg, base: Self::Reg, index: Self::Reg);

    /// Resolves labels and returns the code, or the first error met while emitting.
    fn finish(self) -> Result<Finished, AsmError>;

    /// True if the implementation provides local subroutines
    /// ([`Asm::call_local`], [`Asm::local_entry`], [`Asm::local_return`],
    /// [`Asm::local_discard`]); the emitter then shares one out-of-line copy of
    /// its most frequent call sequence per function. Without them (the
    /// default) it emits that sequence inline at every site, and never calls
    /// those four methods, whose default implementations do nothing.
    const LOCAL_CALLS: bool = false;

    /// Calls the local subroutine at `label` (which starts with
    /// [`Asm::local_entry`]); the subroutine's [`Asm::local_return`] comes
    /// back right after this instruction. Every register may change.
    fn call_local(&mut self, label: Label) {
        let _ = label;
    }

    /// Starts a local subroutine: `ret_addr` receives the address its
    /// [`Asm::local_return`] will return to (with the Thumb bit where
    /// [`Asm::label_addr`] sets it), and the stack is aligned for
    /// [`Asm::call_table`] again.
    fn local_entry(&mut self, ret_addr: Self::Reg) {
        let _ = ret_addr;
    }

    /// Returns from a local subroutine to its caller ([`Asm::RET`] is kept).
    fn local_return(&mut self) {}

    /// True if a local subroutine may start anywhere (not only at a
    /// [`Asm::local_entry`] the implementation aligns): the emitter then
    /// gives the op stub a second entry before it that sets the operand to
    /// zero, so the sites of operations without an operand need not.
    const LOCAL_CALL_ANYWHERE: bool = false;

    /// True if viper slots used only outside loops get no register home
    /// (where a callee-saved register costs more to save and restore, or its
    /// instructions are longer, than the loads and stores it saves).
    const HOMES_IN_LOOPS_ONLY: bool = false;

    /// Registers besides the cache's pool that viper may use as homes
    /// although every call (table or local) changes them (Thumb-2's `lr`):
    /// like caller-saved homes, stored to their slots before each call and
    /// loaded back after it, at the call site.
    const CALL_CLOBBERED_HOMES: &'static [Self::Reg] = &[];

    /// True if viper code converts small ints (and bools) to and from
    /// objects inline, calling the runtime only for other values (faster
    /// calls between viper functions for some 30 bytes per conversion), and
    /// conditional jumps on objects test small ints inline (some 15 bytes
    /// each): only where code size matters less than speed (hosts).
    const INLINE_SMALL_INTS: bool = false;

    /// True if native code reads and writes items of exact lists, tuples and
    /// bytearrays at small-int indices itself (`emit/items.rs`: one shared
    /// subroutine per function, which falls into the op stub for everything
    /// else; the heap's address from `native_abi::CTX_HEAP`). Needs
    /// [`Asm::LOCAL_CALL_ANYWHERE`], [`Asm::local_leave`], a little-endian
    /// machine (bytearray bytes are read as memory), and compare-and-jump
    /// methods that leave their scratch register alone (the subroutine
    /// passes the compared register). Some 250 bytes per function that
    /// subscripts: only on hosts.
    const INLINE_ITEMS: bool = false;

    /// True if backward jumps test the interrupt flag inline and share one
    /// local subroutine that calls the runtime when it is set (instead of
    /// each having its own out-of-line check); needs [`Asm::LOCAL_CALLS`].
    const SHARED_INTERRUPT_CALL: bool = false;

    /// Leaves a local subroutine without returning: the stack is as at its
    /// call site, so the code can jump anywhere in the function.
    fn local_discard(&mut self) {}

    /// Undoes [`Asm::local_entry`] without returning: the stack is again as
    /// the call left it, so the subroutine can jump to another one's entry,
    /// which then returns to the original caller.
    fn local_leave(&mut self) {}

    /// `dst = dst op value`; `scratch` may be clobbered (the default builds
    /// `value` in it).
    fn binop_imm(&mut self, op: BinOp, dst: Self::Reg, value: i32, scratch: Self::Reg) {
        self.mov_imm(scratch, i64::from(value));
        self.binop(op, dst, scratch);
    }

    /// Jumps if `reg` equals `value` (sign-extended to a word); `scratch` may
    /// be clobbered (the default builds `value` in it).
    fn jump_if_eq_imm(&mut self, reg: Self::Reg, value: i32, scratch: Self::Reg, label: Label) {
        self.mov_imm(scratch, i64::from(value));
        self.jump_if_eq(reg, scratch, label);
    }

    /// Jumps if bit `bit` (below the word's bit count) of `reg` is clear;
    /// `reg` and `scratch` may be clobbered (the default isolates the bit by
    /// shifting it to the top of `reg` and back down to bit 0).
    fn jump_if_bit_clear(&mut self, reg: Self::Reg, bit: u8, scratch: Self::Reg, label: Label) {
        let top = (Self::WORD_BYTES * 8 - 1) as u8;
        if bit < top {
            self.shift_imm(ShiftOp::Shl, reg, top - bit, scratch);
        }
        self.shift_imm(ShiftOp::Shr, reg, top, scratch);
        self.jump_if_zero(reg, false, label);
    }

    /// `dst = dst shift count` for a constant `count` below the word's bit
    /// count; `scratch` may be clobbered (the default builds `count` in it).
    fn shift_imm(&mut self, op: ShiftOp, dst: Self::Reg, count: u8, scratch: Self::Reg) {
        self.mov_imm(scratch, i64::from(count));
        self.shift(op, dst, scratch);
    }

    /// True if [`Asm::binop_jump_if_overflow`] is available.
    const OVERFLOW_JUMP: bool = false;

    /// `dst = dst op src` for [`BinOp::Add`] or [`BinOp::Sub`], jumping to
    /// `label` if the signed result overflows the word (`dst` then holds the
    /// wrapped result); only called when [`Asm::OVERFLOW_JUMP`] is set (the
    /// default does nothing).
    fn binop_jump_if_overflow(&mut self, op: BinOp, dst: Self::Reg, src: Self::Reg, label: Label) {
        let _ = (op, dst, src, label);
    }

    /// True if [`Asm::sdiv`] is available (a divide instruction).
    const SDIV: bool = false;

    /// `dst = dst / src`, signed, rounded toward zero, for a `src` that is
    /// neither zero nor -1 (so the quotient never overflows); only called
    /// when [`Asm::SDIV`] is set (the default does nothing).
    fn sdiv(&mut self, dst: Self::Reg, src: Self::Reg) {
        let _ = (dst, src);
    }

    /// True if [`Asm::mulhi_s`] is available.
    const MULHI: bool = false;

    /// `dst` = the high word of the signed double-word product `dst * src`;
    /// only called when [`Asm::MULHI`] is set (the default does nothing).
    fn mulhi_s(&mut self, dst: Self::Reg, src: Self::Reg) {
        let _ = (dst, src);
    }

    /// `Some((lo, hi))` when the ISA's widening multiply works in fixed
    /// registers: [`Asm::mulhi_s_fixed`] multiplies `lo` by its operand into
    /// `hi:lo` (x86-64: `rax`, `rdx`). The emitter then keeps both free
    /// around it instead of having [`Asm::mulhi_s`] save and restore them.
    const MULHI_FIXED: Option<(Self::Reg, Self::Reg)> = None;

    /// `hi` = the high word of the signed double-word product `lo * src`,
    /// for the registers of [`Asm::MULHI_FIXED`] (`lo` is overwritten; `src`
    /// is neither); only called when that is set (the default does nothing).
    fn mulhi_s_fixed(&mut self, src: Self::Reg) {
        let _ = src;
    }

    /// The register [`Asm::shift`] wants its count in, if any (x86-64's `cl`):
    /// the emitter puts the count there when it can, so the shift needs no
    /// register save.
    const SHIFT_COUNT: Option<Self::Reg> = None;

    /// Whether [`Asm::binop_imm`] with these operands may use its scratch
    /// register (the default: always).
    fn binop_imm_needs_scratch(op: BinOp, dst: Self::Reg, value: i32) -> bool {
        let _ = (op, dst, value);
        true
    }

    /// Whether [`Asm::shift_imm`] with these operands may use its scratch
    /// register (the default: always).
    fn shift_imm_needs_scratch(dst: Self::Reg, count: u8) -> bool {
        let _ = (dst, count);
        true
    }

    /// Jumps if `a cond b`; `scratch` may be clobbered (the default
    /// materialises the relation in it and tests it).
    fn jump_if_cond(&mut self, cond: Cond, a: Self::Reg, b: Self::Reg, scratch: Self::Reg, label: Label) {
        self.set_cond(cond, scratch, a, b);
        self.jump_if_nonzero(scratch, true, label);
    }

    /// Jumps if `reg & mask` is non-zero (`set`) or zero (`mask`
    /// sign-extended to a word); `scratch` may be clobbered (the default
    /// computes the `and` in it).
    fn jump_if_bits(&mut self, reg: Self::Reg, mask: i32, set: bool, scratch: Self::Reg, label: Label) {
        self.mov_imm(scratch, i64::from(mask));
        self.binop(BinOp::And, scratch, reg);
        if set {
            self.jump_if_nonzero(scratch, false, label);
        } else {
            self.jump_if_zero(scratch, false, label);
        }
    }

    /// Jumps if `reg cond value` (`value` sign-extended to a word); `scratch`
    /// may be clobbered (the default builds `value` in it).
    fn jump_if_cond_imm(&mut self, cond: Cond, reg: Self::Reg, value: i32, scratch: Self::Reg, label: Label) {
        self.mov_imm(scratch, i64::from(value));
        self.jump_if_cond(cond, reg, scratch, scratch, label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cond_eval_distinguishes_signedness() {
        let minus_one = u64::MAX;
        assert!(Cond::LtS.eval(minus_one, 0));
        assert!(!Cond::LtU.eval(minus_one, 0));
        assert!(Cond::GeU.eval(minus_one, 0));
        assert!(Cond::LeS.eval(3, 3) && Cond::GeS.eval(3, 3) && !Cond::GtS.eval(3, 3));
        assert!(Cond::Ne.eval(1, 2) && !Cond::Eq.eval(1, 2));
    }

    /// An `Asm` that runs straight-line code as it is emitted (32-bit words),
    /// recording which jumps would be taken: enough to check the default
    /// methods, which are built from the required ones.
    #[derive(Default)]
    struct Run {
        regs: [u32; 4],
        taken: Vec<(u32, bool)>,
    }

    impl Asm for Run {
        type Reg = usize;
        const WORD_BYTES: u32 = 4;
        const RET: usize = 0;
        const ENTRY_ARGS: &'static [usize] = &[0, 1, 2, 3];
        const CALL_ARGS: &'static [usize] = &[0, 1, 2, 3];
        const TEMPS: &'static [usize] = &[0, 1, 2];
        const LOCALS: &'static [usize] = &[];
        const FUN_TABLE: usize = 3;
        fn offset(&self) -> usize {
            0
        }
        fn new_label(&mut self) -> Label {
            Label(0)
        }
        fn bind(&mut self, _: Label) {}
        fn align(&mut self, _: usize) {}
        fn data(&mut self, _: &[u8]) {}
        fn prologue(&mut self, _: usize) {}
        fn epilogue(&mut self) {}
        fn mov_imm(&mut self, dst: usize, value: i64) {
            self.regs[dst] = value as u32;
        }
        fn mov_reg(&mut self, dst: usize, src: usize) {
            self.regs[dst] = self.regs[src];
        }
        fn load_slot(&mut self, _: usize, _: usize) {}
        fn store_slot(&mut self, _: usize, _: usize) {}
        fn slot_addr(&mut self, _: usize, _: usize) {}
        fn label_addr(&mut self, _: usize, _: Label) {}
        fn binop(&mut self, op: BinOp, dst: usize, src: usize) {
            let (a, b) = (self.regs[dst], self.regs[src]);
            self.regs[dst] = match op {
                BinOp::Add => a.wrapping_add(b),
                BinOp::Sub => a.wrapping_sub(b),
                BinOp::Mul => a.wrapping_mul(b),
                BinOp::And => a & b,
                BinOp::Or => a | b,
                BinOp::Xor => a ^ b,
            };
        }
        fn shift(&mut self, op: ShiftOp, dst: usize, count: usize) {
            let (a, n) = (self.regs[dst], self.regs[count] & 31);
            self.regs[dst] = match op {
                ShiftOp::Shl => a << n,
                ShiftOp::Shr => a >> n,
                ShiftOp::Sar => ((a as i32) >> n) as u32,
            };
        }
        fn neg(&mut self, dst: usize) {
            self.regs[dst] = self.regs[dst].wrapping_neg();
        }
        fn not(&mut self, dst: usize) {
            self.regs[dst] = !self.regs[dst];
        }
        fn set_cond(&mut self, cond: Cond, dst: usize, a: usize, b: usize) {
            let (x, y) = (self.regs[a] as i32 as i64 as u64, self.regs[b] as i32 as i64 as u64);
            let (ux, uy) = (u64::from(self.regs[a]), u64::from(self.regs[b]));
            let signed = matches!(cond, Cond::LtS | Cond::LeS | Cond::GtS | Cond::GeS);
            self.regs[dst] = u32::from(if signed { cond.eval(x, y) } else { cond.eval(ux, uy) });
        }
        fn jump(&mut self, label: Label) {
            self.taken.push((label.0, true));
        }
        fn jump_if_zero(&mut self, reg: usize, _: bool, label: Label) {
            self.taken.push((label.0, self.regs[reg] == 0));
        }
        fn jump_if_nonzero(&mut self, reg: usize, _: bool, label: Label) {
            self.taken.push((label.0, self.regs[reg] != 0));
        }
        fn jump_if_eq(&mut self, a: usize, b: usize, label: Label) {
            self.taken.push((label.0, self.regs[a] == self.regs[b]));
        }
        fn jump_reg(&mut self, _: usize) {}
        fn call_table(&mut self, _: usize) {}
        fn load(&mut self, _: Width, _: usize, _: usize, _: i32) {}
        fn store(&mut self, _: Width, _: usize, _: usize, _: i32) {}
        fn load_indexed(&mut self, _: Width, _: usize, _: usize, _: usize) {}
        fn store_indexed(&mut self, _: Width, _: usize, _: usize, _: usize) {}
        fn finish(self) -> Result<Finished, AsmError> {
            Err(AsmError::CodeTooLarge)
        }
    }

    #[test]
    fn default_methods_compute_what_they_document() {
        let mut a = Run::default();
        const { assert!(!Run::LOCAL_CALLS) };
        for (op, x, v, want) in [
            (BinOp::Add, 5u32, -2i32, 3u32),
            (BinOp::And, 0xFF, 0x0F, 0x0F),
            (BinOp::Xor, 1, 1, 0),
            (BinOp::Mul, 7, -1, (-7i32) as u32),
        ] {
            a.regs[0] = x;
            a.binop_imm(op, 0, v, 1);
            assert_eq!(a.regs[0], want, "{op:?}");
        }
        a.regs[0] = 0x8000_0001;
        a.shift_imm(ShiftOp::Sar, 0, 1, 1);
        assert_eq!(a.regs[0], 0xC000_0000);
        for (x, v, eq) in [(0x1E, 0x1E, true), (0x0E, 0x1E, false), (u32::MAX, -1, true)] {
            a.regs[0] = x;
            a.jump_if_eq_imm(0, v, 1, Label(7));
            assert_eq!(a.taken.pop(), Some((7, eq)), "{x:#x} {v}");
        }
        for bit in [0u8, 1, 4, 30, 31] {
            for x in [0u32, 1 << bit, !(1u32 << bit), u32::MAX, 0x5555_5555] {
                a.regs[2] = x;
                a.jump_if_bit_clear(2, bit, 1, Label(3));
                assert_eq!(a.taken.pop(), Some((3, x & (1 << bit) == 0)), "bit {bit} of {x:#x}");
            }
        }
    }

    #[test]
    fn width_sizes() {
        assert_eq!(Width::U16.bytes(8), 2);
        assert_eq!(Width::Word.bytes(4), 4);
        assert_eq!(Width::Word.bytes(8), 8);
    }
}
