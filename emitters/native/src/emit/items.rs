//! Items of exact lists, tuples and bytearrays read and written by native
//! code itself (`Asm::INLINE_ITEMS`): `x[i]` and `x[i] = v` with a small-int
//! index in range skip the runtime's `OP` helper (some 100 instructions per
//! item).
//!
//! A site is the op stub's call sequence (the opword in the second argument
//! register) with a call to one of the function's two shared subroutines
//! (load, store) instead. The subroutine finds the operands in the slots the
//! opword's stack depth names and does the operation; for anything else
//! (another type, a negative or big index, a slice, a `del`, a bytearray
//! value out of 0..256) it leaves its frame and jumps into the op stub's
//! entry that sets the operand, which calls the runtime and returns to the
//! site: a site costs no more bytes than a plain call.
//!
//! Object references are byte offsets from the heap's address, which the
//! runtime keeps in the context block (`native_abi::CTX_HEAP`) and refreshes
//! after every helper call; the subroutines load it each time. The objects'
//! layouts are `native_abi::layout`.

use ferropy_bytecode::native_abi::{self, helper, layout, obj_word, CTX_HEAP};
use ferropy_bytecode::opcode as op;

use super::lower::Lowerer;
use super::AsmFactory;
use crate::asm::{BinOp, Cond, ShiftOp, Width};
use crate::buffer::Label;

/// Index in `Lowerer::item_subs` of the load subroutine.
const LOAD: usize = 0;
/// Index in `Lowerer::item_subs` of the store subroutine.
const STORE: usize = 1;

impl<A: AsmFactory> Lowerer<A> {
    /// A site of `LOAD_SUBSCR` or `STORE_SUBSCR` (`opcode`) with the
    /// compiler's stack depth `sp` (needs the op stub: `stubbed(OP)`).
    pub(super) fn item_site(&mut self, opcode: u8, extra: u8, sp: u32) {
        if sp > 0xFFFF {
            self.too_deep = true;
        }
        let which = if opcode == op::LOAD_SUBSCR { LOAD } else { STORE };
        let opword = native_abi::opword(opcode, extra, sp as u16);
        self.save_volatile_homes();
        self.a.mov_imm(self.regs.args[1], i64::from(opword));
        // The subroutine's failures go through the op stub.
        self.count_stub_site(helper::OP);
        if self.op_zero_entry.is_none() {
            self.op_zero_entry = Some(self.a.new_label());
        }
        let sub = match self.item_subs[which] {
            Some(l) => l,
            None => {
                let l = self.a.new_label();
                self.item_subs[which] = Some(l);
                l
            }
        };
        self.a.call_local(sub);
        self.restore_volatile_homes();
    }

    /// The shared subroutines the sites called (after the epilogue, before
    /// the op stub).
    pub(super) fn item_subroutines(&mut self) {
        for which in [LOAD, STORE] {
            if let (Some(entry), Some(general)) = (self.item_subs[which], self.op_zero_entry) {
                self.item_subroutine(entry, which == LOAD, general);
            }
        }
    }

    /// The subroutine at `entry`, entered with the opword in the second
    /// argument register (kept for `general`, the op stub's entry).
    fn item_subroutine(&mut self, entry: Label, load: bool, general: Label) {
        let opword = self.regs.args[1];
        let mut free = A::TEMPS.iter().copied().filter(|&r| r != opword);
        let (Some(slot), Some(addr), Some(index), Some(t), Some(value)) =
            (free.next(), free.next(), free.next(), free.next(), free.next())
        else {
            // Too few registers: every site's subroutine is the op stub.
            self.a.bind(entry);
            self.a.jump(general);
            return;
        };
        let (state, ctx) = (self.regs.state, self.regs.ctx);
        let fail = self.a.new_label();
        self.a.bind(entry);
        // (The return address is not needed: `t` is clobbered below.)
        self.a.local_entry(t);
        // The operands' slots: object at sp - 2, index at sp - 1, a store's
        // value at sp - 3; `slot` ends at the result's slot (sp - 2).
        self.a.mov_reg(slot, opword);
        self.a.shift_imm(ShiftOp::Shr, slot, 8, t);
        self.a.binop_imm(BinOp::And, slot, 0xFFFF, t);
        self.a.binop_imm(BinOp::Add, slot, -1, t);
        self.a.load_indexed(Width::U32, index, state, slot);
        self.a.binop_imm(BinOp::Add, slot, -1, t);
        self.a.load_indexed(Width::U32, addr, state, slot);
        if !load {
            self.a.binop_imm(BinOp::Add, slot, -1, t);
            self.a.load_indexed(Width::U32, value, state, slot);
        }
        // A small-int index, made unsigned: a negative one becomes a huge
        // one (the 32-bit word is zero-extended), which no length passes.
        self.a.jump_if_bits(index, obj_word::SMALL_INT_TAG as i32, false, t, fail);
        self.a.shift_imm(ShiftOp::Shr, index, 1, t);
        // A heap reference: non-zero, block aligned; then its address.
        self.a.jump_if_bits(addr, obj_word::HEAP_REF_MASK as i32, true, t, fail);
        self.a.jump_if_zero(addr, false, fail);
        self.a.load(Width::Word, t, ctx, CTX_HEAP);
        self.a.binop(BinOp::Add, addr, t);
        let list = self.a.new_label();
        let bytes = self.a.new_label();
        self.a.load(Width::U32, t, addr, 0);
        self.a.jump_if_eq_imm(t, obj_word::LIST_TYPE as i32, t, list);
        self.a.jump_if_eq_imm(t, obj_word::BYTEARRAY_TYPE as i32, t, bytes);
        if load {
            // A tuple: items follow the length word.
            self.a.jump_if_cond_imm(Cond::Ne, t, obj_word::TUPLE_TYPE as i32, t, fail);
            self.in_range(addr, layout::TUPLE_LEN, index, t, fail);
            self.a.binop_imm(BinOp::Add, addr, layout::TUPLE_ITEMS * 4, t);
            self.a.load_indexed(Width::U32, addr, addr, index);
            self.a.store_indexed(Width::U32, addr, state, slot);
            self.a.local_return();
        } else {
            self.a.jump(fail);
        }

        // A list: items in an array of their own.
        self.a.bind(list);
        self.in_range(addr, layout::LIST_LEN, index, t, fail);
        if !load {
            // A NULL value is a `del`: the runtime's.
            self.a.jump_if_zero(value, false, fail);
        }
        self.element_base(addr, layout::LIST_ITEMS, t);
        if load {
            self.a.load_indexed(Width::U32, addr, addr, index);
            self.a.store_indexed(Width::U32, addr, state, slot);
        } else {
            self.a.store_indexed(Width::U32, value, addr, index);
        }
        self.a.local_return();

        // A bytearray: bytes in a block of their own.
        self.a.bind(bytes);
        self.in_range(addr, layout::BYTEARRAY_LEN, index, t, fail);
        if !load {
            // A small int in 0..256 (unsigned after the shift).
            self.a.jump_if_bits(value, obj_word::SMALL_INT_TAG as i32, false, t, fail);
            self.a.shift_imm(ShiftOp::Shr, value, 1, t);
            self.a.jump_if_cond_imm(Cond::GeU, value, 256, t, fail);
        }
        self.element_base(addr, layout::BYTEARRAY_DATA, t);
        if load {
            self.a.load_indexed(Width::U8, addr, addr, index);
            self.a.shift_imm(ShiftOp::Shl, addr, 1, t);
            self.a.binop_imm(BinOp::Or, addr, obj_word::SMALL_INT_TAG as i32, t);
            self.a.store_indexed(Width::U32, addr, state, slot);
        } else {
            self.a.store_indexed(Width::U8, value, addr, index);
        }
        self.a.local_return();

        // Anything else: the runtime, through the op stub (which returns to
        // the site).
        self.a.bind(fail);
        self.a.local_leave();
        self.a.jump(general);
    }

    /// Jumps to `fail` unless `index` is below the length word `len_word`
    /// of the object at `addr` (`t` clobbered).
    fn in_range(&mut self, addr: A::Reg, len_word: i32, index: A::Reg, t: A::Reg, fail: Label) {
        self.a.load(Width::U32, t, addr, len_word);
        self.a.jump_if_cond(Cond::GeU, index, t, t, fail);
    }

    /// `addr` = the address of the heap object whose reference is word
    /// `word` of the object at `addr` (`t` clobbered).
    fn element_base(&mut self, addr: A::Reg, word: i32, t: A::Reg) {
        self.a.load(Width::U32, addr, addr, word);
        self.a.load(Width::Word, t, self.regs.ctx, CTX_HEAP);
        self.a.binop(BinOp::Add, addr, t);
    }
}
