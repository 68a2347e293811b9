//! Tests of the viper lowering's register cache: the lowered code of
//! hand-written [`Ir`] runs on a small simulated machine ([`Sim`]) that
//! records every helper call with the word slots as the runtime would see
//! them, and poisons the caller-saved registers at each call.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;

use ferropy_bytecode::native_abi::{helper, CTX_VALUE};

use super::ir::{Arg, Ir, LabelRole};
use super::viper::{Arith, Index, Slot, VOp};
use super::AsmFactory;
use crate::asm::{Asm, BinOp, Cond, Finished, ShiftOp, Width};
use crate::buffer::Label;
use crate::error::AsmError;

/// One simulated instruction.
#[derive(Clone, Debug, PartialEq)]
enum Ins {
    Bind(u32),
    MovImm(usize, i64),
    MovReg(usize, usize),
    Binop(BinOp, usize, usize),
    Shift(ShiftOp, usize, usize),
    Sdiv(usize, usize),
    MulHi(usize, usize),
    ShiftImm(ShiftOp, usize, u8),
    JumpIfCond(Cond, usize, usize, u32),
    Neg(usize),
    Not(usize),
    SetCond(Cond, usize, usize, usize),
    Jump(u32),
    JumpIfZero(usize, u32),
    JumpIfNonzero(usize, u32),
    JumpIfEq(usize, usize, u32),
    Call(usize),
    Load(Width, usize, usize, i32),
    Store(Width, usize, usize, i32),
    LoadIndexed(Width, usize, usize, usize),
    StoreIndexed(Width, usize, usize, usize),
    LabelAddr(usize, u32),
    Epilogue,
    /// Anything the tests never run.
    Other,
}

std::thread_local! {
    static LAST: RefCell<Vec<Ins>> = const { RefCell::new(Vec::new()) };
}

/// A word-addressed machine with 16 registers; `BIG` gives it x86-64's
/// many scratch registers and a fixed shift-count register, otherwise
/// Thumb's four.
#[derive(Default)]
struct Sim<const BIG: bool> {
    code: Vec<Ins>,
    labels: u32,
}

const CTX: usize = 0;
const WORDS: usize = 2;
/// The registers holding the context, state and word pointers.
const CTX_REG: usize = 4;
const WORDS_REG: usize = 6;
const SHIFT_REG: usize = 3;
/// What a call leaves in the caller-saved registers.
const POISON: i64 = 0x5EED_0BAD;

impl<const BIG: bool> Sim<BIG> {
    fn push(&mut self, i: Ins) {
        self.code.push(i);
    }
}

impl<const BIG: bool> Asm for Sim<BIG> {
    type Reg = usize;
    const WORD_BYTES: u32 = 8;
    const RET: usize = 0;
    const ENTRY_ARGS: &'static [usize] = &[0, 1, 2, 3];
    const CALL_ARGS: &'static [usize] = &[0, 1, 2, 3];
    const TEMPS: &'static [usize] = if BIG { &[0, 1, 2, 10, 11, 12, 13] } else { &[0, 1, 2] };
    const LOCALS: &'static [usize] = &[4, 5, 6, 8, 9];
    const FUN_TABLE: usize = 7;
    const SHIFT_COUNT: Option<usize> = if BIG { Some(SHIFT_REG) } else { None };
    // The big machine divides by multiplying, the small one has a divide.
    const MULHI: bool = BIG;
    const SDIV: bool = !BIG;

    fn offset(&self) -> usize {
        self.code.len()
    }
    fn new_label(&mut self) -> Label {
        self.labels += 1;
        Label(self.labels - 1)
    }
    fn bind(&mut self, label: Label) {
        self.push(Ins::Bind(label.0));
    }
    fn align(&mut self, _: usize) {}
    fn data(&mut self, _: &[u8]) {
        self.push(Ins::Other);
    }
    fn prologue(&mut self, _: usize) {}
    fn epilogue(&mut self) {
        self.push(Ins::Epilogue);
    }
    fn mov_imm(&mut self, dst: usize, value: i64) {
        self.push(Ins::MovImm(dst, value));
    }
    fn mov_reg(&mut self, dst: usize, src: usize) {
        self.push(Ins::MovReg(dst, src));
    }
    fn load_slot(&mut self, _: usize, _: usize) {
        self.push(Ins::Other);
    }
    fn store_slot(&mut self, _: usize, _: usize) {
        self.push(Ins::Other);
    }
    fn slot_addr(&mut self, _: usize, _: usize) {
        self.push(Ins::Other);
    }
    fn label_addr(&mut self, dst: usize, label: Label) {
        self.push(Ins::LabelAddr(dst, label.0));
    }
    fn binop(&mut self, op: BinOp, dst: usize, src: usize) {
        self.push(Ins::Binop(op, dst, src));
    }
    fn shift(&mut self, op: ShiftOp, dst: usize, count: usize) {
        self.push(Ins::Shift(op, dst, count));
    }
    fn neg(&mut self, dst: usize) {
        self.push(Ins::Neg(dst));
    }
    fn not(&mut self, dst: usize) {
        self.push(Ins::Not(dst));
    }
    fn set_cond(&mut self, cond: Cond, dst: usize, a: usize, b: usize) {
        self.push(Ins::SetCond(cond, dst, a, b));
    }
    fn jump(&mut self, label: Label) {
        self.push(Ins::Jump(label.0));
    }
    fn jump_if_zero(&mut self, reg: usize, _: bool, label: Label) {
        self.push(Ins::JumpIfZero(reg, label.0));
    }
    fn jump_if_nonzero(&mut self, reg: usize, _: bool, label: Label) {
        self.push(Ins::JumpIfNonzero(reg, label.0));
    }
    fn jump_if_eq(&mut self, a: usize, b: usize, label: Label) {
        self.push(Ins::JumpIfEq(a, b, label.0));
    }
    fn jump_reg(&mut self, _: usize) {
        self.push(Ins::Other);
    }
    fn call_table(&mut self, index: usize) {
        self.push(Ins::Call(index));
    }
    fn load(&mut self, width: Width, dst: usize, base: usize, offset: i32) {
        self.push(Ins::Load(width, dst, base, offset));
    }
    fn store(&mut self, width: Width, src: usize, base: usize, offset: i32) {
        self.push(Ins::Store(width, src, base, offset));
    }
    fn load_indexed(&mut self, width: Width, dst: usize, base: usize, index: usize) {
        self.push(Ins::LoadIndexed(width, dst, base, index));
    }
    fn store_indexed(&mut self, width: Width, src: usize, base: usize, index: usize) {
        self.push(Ins::StoreIndexed(width, src, base, index));
    }
    fn sdiv(&mut self, dst: usize, src: usize) {
        self.push(Ins::Sdiv(dst, src));
    }
    fn mulhi_s(&mut self, dst: usize, src: usize) {
        self.push(Ins::MulHi(dst, src));
    }
    fn shift_imm(&mut self, op: ShiftOp, dst: usize, count: u8, _: usize) {
        self.push(Ins::ShiftImm(op, dst, count));
    }
    fn shift_imm_needs_scratch(_: usize, _: u8) -> bool {
        false
    }
    fn jump_if_cond(&mut self, cond: Cond, a: usize, b: usize, _: usize, label: Label) {
        self.push(Ins::JumpIfCond(cond, a, b, label.0));
    }
    fn finish(self) -> Result<Finished, AsmError> {
        let n = self.code.len();
        LAST.with(|l| *l.borrow_mut() = self.code);
        Ok(Finished { code: vec![0; n], entry: 0, labels: vec![Some(0); self.labels as usize] })
    }
}

impl<const BIG: bool> AsmFactory for Sim<BIG> {
    fn new_asm() -> Self {
        Self::default()
    }
    const MPY_ARCH: u8 = 0;
}

/// A helper call as the runtime sees it.
#[derive(Debug)]
struct Call {
    helper: usize,
    arg1: i64,
    /// The word slots, by index.
    words: Vec<i64>,
}

/// What a run did.
struct Run {
    code: Vec<Ins>,
    calls: Vec<Call>,
}

impl Run {
    /// The values boxed, in order.
    fn boxed(&self) -> Vec<i64> {
        self.calls.iter().filter(|c| c.helper == helper::BOX).map(|c| c.arg1).collect()
    }

    /// Stores to the word slots of the stack (below `n_stack`).
    fn stack_stores(&self, n_stack: i32) -> usize {
        self.code.iter().filter(|i| matches!(i, Ins::Store(_, _, WORDS_REG, k) if *k < n_stack)).count()
    }
}

fn addr(region: usize, index: i64) -> i64 {
    ((region as i64) << 32) + index * 8
}

/// Lowers `ir` (viper, `n_state` slots) for `Sim<BIG>` and runs it;
/// `Unbox` calls produce `unboxed` in turn.
fn run<const BIG: bool>(ir: &[Ir], n_state: u32, unboxed: &[i64]) -> Run {
    super::lower::lower::<Sim<BIG>>(ir, n_state, 0, true).expect("lowers");
    let code = LAST.with(|l| l.borrow().clone());
    let mut at = BTreeMap::new();
    for (i, ins) in code.iter().enumerate() {
        if let Ins::Bind(l) = ins {
            at.insert(*l, i);
        }
    }
    let mut regs = [0i64; 16];
    regs[0] = addr(CTX, 0);
    regs[1] = addr(1, 0);
    regs[2] = addr(WORDS, 0);
    let mut mem: BTreeMap<i64, i64> = BTreeMap::new();
    let mut calls = Vec::new();
    let mut unboxed = unboxed.iter();
    let mut pc = 0;
    let mut steps = 0;
    let bits = |w: Width| w.bytes(8) * 8;
    let mask = |w: Width, v: i64| if bits(w) == 64 { v } else { v & ((1i64 << bits(w)) - 1) };
    while let Some(ins) = code.get(pc) {
        steps += 1;
        assert!(steps < 100_000, "runaway code");
        pc += 1;
        let jump = |l: &u32| *at.get(l).expect("bound label");
        match *ins {
            Ins::Bind(_) | Ins::Other => {}
            Ins::MovImm(d, v) => regs[d] = v,
            Ins::MovReg(d, s) => regs[d] = regs[s],
            Ins::Binop(op, d, s) => {
                let (a, b) = (regs[d], regs[s]);
                regs[d] = match op {
                    BinOp::Add => a.wrapping_add(b),
                    BinOp::Sub => a.wrapping_sub(b),
                    BinOp::Mul => a.wrapping_mul(b),
                    BinOp::And => a & b,
                    BinOp::Or => a | b,
                    BinOp::Xor => a ^ b,
                };
            }
            Ins::Shift(op, d, c) => {
                if BIG {
                    assert_eq!(c, SHIFT_REG, "the count goes in the shift register");
                }
                regs[d] = shift(op, regs[d], regs[c]);
            }
            Ins::ShiftImm(op, d, n) => regs[d] = shift(op, regs[d], i64::from(n)),
            Ins::Sdiv(d, s) => regs[d] /= regs[s],
            Ins::MulHi(d, s) => regs[d] = ((i128::from(regs[d]) * i128::from(regs[s])) >> 64) as i64,
            Ins::JumpIfCond(c, a, b, l) if c.eval(regs[a] as u64, regs[b] as u64) => pc = jump(&l),
            Ins::JumpIfCond(..) => {}
            Ins::Neg(d) => regs[d] = regs[d].wrapping_neg(),
            Ins::Not(d) => regs[d] = !regs[d],
            Ins::SetCond(c, d, a, b) => regs[d] = i64::from(c.eval(regs[a] as u64, regs[b] as u64)),
            Ins::Jump(l) => pc = jump(&l),
            Ins::JumpIfZero(r, l) if regs[r] == 0 => pc = jump(&l),
            Ins::JumpIfNonzero(r, l) if regs[r] != 0 => pc = jump(&l),
            Ins::JumpIfEq(a, b, l) if regs[a] == regs[b] => pc = jump(&l),
            Ins::JumpIfZero(..) | Ins::JumpIfNonzero(..) | Ins::JumpIfEq(..) => {}
            Ins::Call(h) => {
                let words = (0..i64::from(n_state)).map(|k| *mem.get(&addr(WORDS, k)).unwrap_or(&0)).collect();
                calls.push(Call { helper: h, arg1: regs[1], words });
                if h == helper::UNBOX {
                    let v = *unboxed.next().expect("an unboxed value");
                    mem.insert(regs[CTX_REG] + i64::from(CTX_VALUE) * 8, v);
                }
                if h == helper::DIVMOD {
                    // Python's floor division and modulo.
                    let (a, b) = (regs[1], regs[2]);
                    let v = if regs[3] == 0 {
                        a.div_euclid(b) - i64::from(b < 0 && a.rem_euclid(b) != 0)
                    } else {
                        a - b * (a.div_euclid(b) - i64::from(b < 0 && a.rem_euclid(b) != 0))
                    };
                    mem.insert(regs[CTX_REG] + i64::from(CTX_VALUE) * 8, v);
                }
                for r in [0, 1, 2, 3, 10, 11, 12, 13] {
                    regs[r] = POISON;
                }
                regs[0] = 0;
            }
            Ins::Load(w, d, b, o) => {
                regs[d] = mask(w, *mem.get(&(regs[b] + i64::from(o) * i64::from(w.bytes(8)))).unwrap_or(&0))
            }
            Ins::Store(w, s, b, o) => {
                mem.insert(regs[b] + i64::from(o) * i64::from(w.bytes(8)), mask(w, regs[s]));
            }
            Ins::LoadIndexed(w, d, b, i) => {
                regs[d] = mask(w, *mem.get(&(regs[b] + regs[i] * i64::from(w.bytes(8)))).unwrap_or(&0))
            }
            Ins::StoreIndexed(w, s, b, i) => {
                mem.insert(regs[b] + regs[i] * i64::from(w.bytes(8)), mask(w, regs[s]));
            }
            Ins::LabelAddr(d, l) => regs[d] = jump(&l) as i64,
            Ins::Epilogue => break,
        }
    }
    Run { code, calls }
}

fn shift(op: ShiftOp, value: i64, count: i64) -> i64 {
    let n = (count & 63) as u32;
    match op {
        ShiftOp::Shl => value.wrapping_shl(n),
        ShiftOp::Shr => ((value as u64) >> n) as i64,
        ShiftOp::Sar => value >> n,
    }
}

fn v(op: VOp) -> Ir {
    Ir::Viper(op)
}
fn imm(k: u32, value: i64) -> Ir {
    v(VOp::Imm { dst: Slot::Stack(k), value })
}
fn arith(op: BinOp, k: u32) -> Ir {
    v(VOp::Arith { op: Arith::Bin(op), dst: Slot::Stack(k), a: Slot::Stack(k), b: Slot::Stack(k + 1) })
}
fn boxed(k: u32) -> Ir {
    v(VOp::Box { slot: Slot::Stack(k), vtype: 0 })
}
fn copy(dst: Slot, src: Slot) -> Ir {
    v(VOp::Copy { dst, src })
}
const S: fn(u32) -> Slot = Slot::Stack;
const L: fn(u32) -> Slot = Slot::Local;

/// Both machines give the same results.
fn both(ir: &[Ir], n_state: u32, unboxed: &[i64]) -> (Run, Run) {
    (run::<true>(ir, n_state, unboxed), run::<false>(ir, n_state, unboxed))
}

#[test]
fn straight_line_results_stay_in_registers() {
    // (5 + 7) * 3 - 1, stored into a local, loaded back and boxed.
    let ir = [
        imm(0, 5),
        imm(1, 7),
        arith(BinOp::Add, 0),
        imm(1, 3),
        arith(BinOp::Mul, 0),
        v(VOp::Neg { slot: S(0) }),
        imm(1, 1),
        arith(BinOp::Add, 0),
        copy(L(0), S(0)),
        copy(S(0), L(0)),
        boxed(0),
    ];
    for r in [run::<true>(&ir, 4, &[]), run::<false>(&ir, 4, &[])] {
        assert_eq!(r.boxed(), [-35]);
        // Only the box call makes the stack slot go to memory.
        assert_eq!(r.stack_stores(2), 1, "{:?}", r.code);
        assert_eq!(r.calls[0].words[0], -35);
    }
}

#[test]
fn deep_expressions_spill_and_come_back() {
    // -(1) + (-(2) + (... + -(9))), nine values live at once: more than
    // either machine's pool.
    let mut ir = Vec::new();
    for k in 0..9 {
        ir.push(imm(k, i64::from(k) + 1));
        ir.push(v(VOp::Neg { slot: S(k) }));
    }
    for k in (0..8).rev() {
        ir.push(arith(BinOp::Add, k));
    }
    ir.push(boxed(0));
    let (big, small) = both(&ir, 12, &[]);
    assert_eq!(big.boxed(), [-45]);
    assert_eq!(small.boxed(), [-45]);
    assert!(small.stack_stores(9) > 1, "the small pool spills");
}

#[test]
fn shuffles_of_cached_values_are_free() {
    // a b -> a b a b (dup two) -> a b b a (rot two) -> a a b b (rot three
    // of the top three), written as the recorder writes the shuffles and
    // checked through a chain of subtractions.
    let ir = [
        imm(0, 10),
        v(VOp::Neg { slot: S(0) }), // a = -10
        imm(1, 3),
        v(VOp::Neg { slot: S(1) }), // b = -3
        // dup_top_two at sp 2
        copy(S(2), S(0)),
        copy(S(3), S(1)),
        // rot_two at sp 4: a b a b -> a b b a
        copy(S(4), S(3)),
        copy(S(3), S(2)),
        copy(S(2), S(4)),
        // rot_three at sp 4: (b, b, a) -> (a, b, b)
        copy(S(4), S(3)),
        copy(S(3), S(2)),
        copy(S(2), S(1)),
        copy(S(1), S(4)),
        // stack: a a b b; fold with subtraction from the top:
        arith(BinOp::Sub, 2), // b - b = 0
        arith(BinOp::Sub, 1), // a - 0 = a
        arith(BinOp::Sub, 0), // a - a = 0
        copy(L(0), S(0)),
        // Dup of a single value, then a product of the two copies.
        imm(0, 6),
        v(VOp::Neg { slot: S(0) }),
        copy(S(1), S(0)),
        arith(BinOp::Mul, 0),
        boxed(0),
        copy(S(0), L(0)),
        boxed(0),
    ];
    let (big, small) = both(&ir, 8, &[]);
    assert_eq!(big.boxed(), [36, 0]);
    assert_eq!(small.boxed(), [36, 0]);
    // Nothing went to memory but the two boxed values (and what the small
    // pool had to spill).
    assert_eq!(big.stack_stores(5), 2, "{:?}", big.code);
    // Up to the first call: three copies of a shared register before an
    // in-place operation, one into the local's register, and no loads or
    // stores of the stack at all.
    let body: Vec<&Ins> = big.code.iter().skip(4).take_while(|i| !matches!(i, Ins::Bind(_))).collect();
    let moves = body.iter().filter(|i| matches!(i, Ins::MovReg(..))).count();
    assert!(moves <= 4, "shuffles are register moves at most: {body:?}");
    assert!(!body.iter().any(|i| matches!(i, Ins::Load(..) | Ins::Store(..))), "{body:?}");
}

#[test]
fn branches_see_every_value_in_memory() {
    // x = -3 stays on the stack across a branch to a label; both paths must
    // find it in its slot.
    for cond in [false, true] {
        let ir = [
            imm(0, 3),
            v(VOp::Neg { slot: S(0) }),
            imm(1, 1),
            v(VOp::Branch { slot: S(1), cond, pop: true, label: 0 }),
            imm(1, 100),
            v(VOp::Arith { op: Arith::Bin(BinOp::Add), dst: S(0), a: S(0), b: S(1) }),
            Ir::Label { label: 0, role: LabelRole::Plain, sp: 1 },
            boxed(0),
        ];
        let (big, small) = both(&ir, 4, &[]);
        let want = if cond { -3 } else { 97 };
        assert_eq!(big.boxed(), [want], "cond {cond}");
        assert_eq!(small.boxed(), [want], "cond {cond}");
    }
}

#[test]
fn helper_calls_find_cached_values_in_their_slots() {
    // A cached value below a generic operation's operands: the call sees it
    // in memory, and it survives the call that poisons the registers.
    let ir = [
        imm(0, 41),
        v(VOp::Neg { slot: S(0) }),
        Ir::PushWord { word: 1, sp: 1 },
        Ir::Op { opcode: 0, extra: 0, sp: 2, arg: Arg::None },
        imm(1, 1),
        arith(BinOp::Sub, 0),
        boxed(0),
    ];
    let (big, small) = both(&ir, 4, &[]);
    for r in [big, small] {
        assert_eq!(r.calls[0].helper, helper::OP);
        assert_eq!(r.calls[0].words[0], -41);
        assert_eq!(r.boxed(), [-42]);
    }
}

#[test]
fn copies_of_a_local_keep_its_old_value() {
    // s = x; x = 5; x + s with x an unboxed parameter (7).
    let ir = [
        v(VOp::Unbox { dst: L(0), src: L(0), vtype: 2 }),
        copy(S(0), L(0)),
        imm(1, 5),
        copy(L(0), S(1)),
        copy(S(1), L(0)),
        arith(BinOp::Mul, 0),
        boxed(0),
        // The local itself, from its register or slot.
        copy(S(0), L(0)),
        boxed(0),
    ];
    let (big, small) = both(&ir, 4, &[7]);
    assert_eq!(big.boxed(), [35, 5]);
    assert_eq!(small.boxed(), [35, 5]);
}

#[test]
fn shifts_and_immediates() {
    // Shifts by constants and by registers, then folded immediates; last a
    // shift whose value and count share a register.
    let sh = |op, k: u32| v(VOp::Arith { op: Arith::Shift(op), dst: S(k), a: S(k), b: S(k + 1) });
    let ir = [
        imm(0, 1),
        v(VOp::Neg { slot: S(0) }), // -1
        imm(1, 4),
        sh(ShiftOp::Shl, 0), // -16
        imm(1, 2),
        v(VOp::Neg { slot: S(1) }),
        v(VOp::Neg { slot: S(1) }), // 2 in a register
        sh(ShiftOp::Sar, 0),        // -4
        imm(1, 60),
        v(VOp::Neg { slot: S(1) }),
        v(VOp::Neg { slot: S(1) }),
        sh(ShiftOp::Shr, 0), // 15
        imm(1, 0xF0),
        arith(BinOp::Or, 0), // 0xFF
        imm(1, 0x0F),
        arith(BinOp::Xor, 0), // 0xF0
        imm(1, 0x33),
        arith(BinOp::And, 0), // 0x30
        boxed(0),
        // A shift whose value and count are both cached.
        imm(0, 3),
        v(VOp::Neg { slot: S(0) }),
        v(VOp::Neg { slot: S(0) }),
        copy(S(1), S(0)),
        sh(ShiftOp::Shl, 0), // 3 << 3
        boxed(0),
    ];
    let (big, small) = both(&ir, 4, &[]);
    assert_eq!(big.boxed(), [0x30, 24]);
    assert_eq!(small.boxed(), [0x30, 24]);
}

#[test]
fn compare_and_branch_without_a_bool() {
    // for each relation and each (a, b): the fused compare-branch jumps
    // exactly when (a cond b) == when.
    let cases = [(3i64, 5i64), (5, 3), (4, 4), (-1, 1)];
    for cond in Cond::ALL {
        for when in [false, true] {
            for (a, b) in cases {
                for b_imm in [false, true] {
                    let mut ir = vec![imm(0, 1), imm(1, a), v(VOp::Neg { slot: S(1) }), v(VOp::Neg { slot: S(1) })];
                    ir.push(imm(2, b));
                    if !b_imm {
                        ir.push(v(VOp::Neg { slot: S(2) }));
                        ir.push(v(VOp::Neg { slot: S(2) }));
                    }
                    ir.push(v(VOp::Compare { cond, dst: S(1), a: S(1), b: S(2) }));
                    ir.push(v(VOp::Branch { slot: S(1), cond: when, pop: true, label: 0 }));
                    ir.push(imm(0, 0));
                    ir.push(Ir::Label { label: 0, role: LabelRole::Plain, sp: 1 });
                    ir.push(boxed(0));
                    let taken = cond.eval(a as u64, b as u64) == when;
                    let (big, small) = both(&ir, 4, &[]);
                    assert_eq!(big.boxed(), [i64::from(taken)], "{cond:?} {when} {a} {b} {b_imm}");
                    assert_eq!(small.boxed(), [i64::from(taken)], "{cond:?} {when} {a} {b} {b_imm}");
                    // No 0/1 value is made.
                    assert!(!big.code.iter().any(|i| matches!(i, Ins::SetCond(..))));
                }
            }
        }
    }
}

#[test]
fn pointer_loads_and_stores_through_the_cache() {
    // p = base (an unboxed pointer); p[1] = p[0] + 1; box p[1] and p[k] for
    // an index in a register.
    let ir = [
        v(VOp::Unbox { dst: L(0), src: L(0), vtype: 5 }),
        // p[0] = 40
        imm(0, 40),
        copy(S(1), L(0)),
        v(VOp::Store { width: Width::Word, base: S(1), index: Index::Const(0), value: S(0) }),
        // p[1] = p[0] + 2
        copy(S(0), L(0)),
        v(VOp::Load { width: Width::Word, dst: S(0), base: S(0), index: Index::Const(0) }),
        imm(1, 2),
        arith(BinOp::Add, 0),
        copy(S(1), L(0)),
        imm(2, 0),
        v(VOp::Neg { slot: S(2) }),
        imm(3, 1),
        arith(BinOp::Add, 2), // index 1 in a register
        v(VOp::Store { width: Width::Word, base: S(1), index: Index::Slot(S(2)), value: S(0) }),
        copy(S(0), L(0)),
        v(VOp::Load { width: Width::Word, dst: S(0), base: S(0), index: Index::Const(1) }),
        boxed(0),
    ];
    let base = addr(9, 0);
    let (big, small) = both(&ir, 6, &[base]);
    assert_eq!(big.boxed(), [42]);
    assert_eq!(small.boxed(), [42]);
}

#[test]
fn locals_in_caller_saved_registers_survive_calls() {
    // Five locals updated in a loop that also boxes (calls the runtime):
    // two get the callee-saved registers, the others caller-saved ones,
    // kept across each call.
    let upd = |dst: u32, src: u32, op: BinOp| {
        [
            copy(S(0), L(dst)),
            copy(S(1), L(src)),
            v(VOp::Arith { op: Arith::Bin(op), dst: S(0), a: S(0), b: S(1) }),
            copy(L(dst), S(0)),
        ]
    };
    let mut ir = Vec::new();
    for l in 0..5 {
        ir.push(v(VOp::Imm { dst: L(l), value: i64::from(l) }));
    }
    ir.push(Ir::Label { label: 0, role: LabelRole::Plain, sp: 0 });
    for _ in 0..2 {
        ir.extend(upd(1, 0, BinOp::Add));
        ir.extend(upd(2, 1, BinOp::Add));
        ir.extend(upd(3, 2, BinOp::Xor));
        ir.extend(upd(4, 3, BinOp::Sub));
    }
    ir.extend([copy(S(0), L(4)), boxed(0)]);
    ir.extend([copy(S(0), L(0)), imm(1, 1), arith(BinOp::Add, 0), copy(L(0), S(0))]);
    ir.extend([copy(S(0), L(0)), imm(1, 3)]);
    ir.push(v(VOp::Compare { cond: Cond::LtS, dst: S(0), a: S(0), b: S(1) }));
    ir.push(v(VOp::Branch { slot: S(0), cond: true, pop: true, label: 0 }));
    for l in 1..5 {
        ir.extend([copy(S(0), L(l)), boxed(0)]);
    }
    // The same computation.
    let mut x = [0i64, 1, 2, 3, 4];
    let mut want = Vec::new();
    while {
        for _ in 0..2 {
            x[1] += x[0];
            x[2] += x[1];
            x[3] ^= x[2];
            x[4] -= x[3];
        }
        want.push(x[4]);
        x[0] += 1;
        x[0] < 3
    } {}
    want.extend_from_slice(&x[1..]);
    let (big, small) = both(&ir, 8, &[]);
    assert_eq!(big.boxed(), want);
    assert_eq!(small.boxed(), want);
    // The big machine kept three locals in its caller-saved registers 10-12:
    // saved before the call in the loop and loaded back after it.
    for r in [10, 11, 12] {
        assert!(big.code.iter().any(|i| matches!(i, Ins::Store(Width::Word, x, WORDS_REG, _) if *x == r)), "{r}");
        assert!(big.code.iter().any(|i| matches!(i, Ins::Load(Width::Word, x, WORDS_REG, _) if *x == r)), "{r}");
    }
}

#[test]
fn loop_carried_stack_slots_live_in_registers() {
    // sum = 0; for i in range(5): sum += i, as the compiler writes it: the
    // bound and the counter stay on the stack (slots 0 and 1) through the
    // loop, whose head shuffles them.
    let mut ir = vec![
        v(VOp::Imm { dst: L(0), value: 0 }),
        imm(0, 5),
        imm(1, 0),
        Ir::Jump { label: 1 },
        Ir::Label { label: 0, role: LabelRole::Plain, sp: 2 },
        copy(S(2), S(1)),
        copy(L(1), S(2)),
        copy(S(2), L(0)),
        copy(S(3), L(1)),
        arith(BinOp::Add, 2),
        copy(L(0), S(2)),
        imm(2, 1),
        arith(BinOp::Add, 1),
        Ir::Label { label: 1, role: LabelRole::Plain, sp: 2 },
        copy(S(2), S(0)),
        copy(S(3), S(1)),
        copy(S(4), S(3)),
        copy(S(3), S(2)),
        copy(S(2), S(4)),
        v(VOp::Compare { cond: Cond::LtS, dst: S(2), a: S(2), b: S(3) }),
        v(VOp::Branch { slot: S(2), cond: true, pop: true, label: 0 }),
    ];
    ir.extend([copy(S(0), L(0)), boxed(0)]);
    let (big, small) = both(&ir, 8, &[]);
    assert_eq!(big.boxed(), [10]);
    assert_eq!(small.boxed(), [10]);
    // The small machine has two callee-saved homes: the most used slots, the
    // counter and the sum; the counter never goes to memory.
    let counter = |i: &Ins| matches!(i, Ins::Store(_, _, WORDS_REG, 1) | Ins::Load(_, _, WORDS_REG, 1));
    assert!(!small.code.iter().any(counter), "{:?}", small.code);
    assert!(!big.code.iter().any(counter), "{:?}", big.code);
}

#[test]
fn division_operands_go_to_the_argument_registers() {
    // (-(a) - 1) // 4 and % 4, then by a divisor in a register, with another
    // cached value below; then a homed loop slot holding a constant.
    let dm = |k: u32, modulo| v(VOp::DivMod { dst: S(k), a: S(k), b: S(k + 1), modulo });
    let neg = |k: u32| v(VOp::Neg { slot: S(k) });
    let ir = [
        imm(0, 100),
        neg(0),
        imm(1, 13),
        neg(1),
        imm(2, 4),
        dm(1, false),         // -13 // 4 = -4
        arith(BinOp::Add, 0), // -104
        imm(1, 7),
        neg(1),
        dm(0, true), // -104 % -7 = -6
        imm(1, 5),
        neg(1),
        neg(1),
        imm(2, 17),
        neg(2),
        neg(2),
        // A swap through slot 3, in an order the recorder does not use.
        v(VOp::Copy { dst: S(3), src: S(1) }),
        v(VOp::Copy { dst: S(1), src: S(2) }),
        v(VOp::Copy { dst: S(2), src: S(3) }),
        dm(1, true),          // 17 % 5 = 2
        arith(BinOp::Mul, 0), // -12
        boxed(0),
    ];
    let (big, small) = both(&ir, 6, &[]);
    assert_eq!(big.boxed(), [-12]);
    assert_eq!(small.boxed(), [-12]);
    // The operands (slots 1 and 2) never go to memory, only the value below
    // them does, before each call.
    for r in [&big, &small] {
        assert!(!r.code.iter().any(|i| matches!(i, Ins::Store(_, _, WORDS_REG, 1..=3))), "{:?}", r.code);
    }
}

#[test]
fn division_by_constants_is_inline() {
    // x // d and x % d for constants d > 0: by multiplying (big machine) or
    // dividing (small one), never calling the runtime; Python's rounding.
    let xs = [0i64, 1, -1, 6, -6, 7, -7, 254, 255, -255, -256, 1 << 40, -(1 << 40) - 3, i64::MAX, i64::MIN + 1];
    for d in [1i64, 2, 3, 7, 10, 255, 1000, 65_521, (1 << 31) - 1] {
        for x in xs {
            for modulo in [false, true] {
                let ir = [
                    v(VOp::Unbox { dst: L(0), src: L(0), vtype: 2 }),
                    copy(S(0), L(0)),
                    imm(1, d),
                    v(VOp::DivMod { dst: S(0), a: S(0), b: S(1), modulo }),
                    boxed(0),
                ];
                let (q, r) = (x.div_euclid(d), x.rem_euclid(d));
                let want = if modulo { r } else { q };
                let (big, small) = both(&ir, 4, &[x]);
                assert_eq!(big.boxed(), [want], "{x} {d} {modulo}");
                assert!(!big.calls.iter().any(|c| c.helper == helper::DIVMOD));
                // The small machine's words are 64-bit too here.
                assert_eq!(small.boxed(), [want], "{x} {d} {modulo}");
                assert!(!small.calls.iter().any(|c| c.helper == helper::DIVMOD));
            }
        }
    }
}

#[test]
fn bit_tests_branch_without_the_and() {
    // `if x & mask:` for constant masks, both senses, without an `and`
    // result in a register.
    for (x, mask) in [(5i64, 1i32), (4, 1), (0x100, 0x100), (0xFF, 0x100), (-1, -2), (1, -2), (1 << 40, -1)] {
        for when in [false, true] {
            let ir = [
                imm(0, 1),
                imm(1, x),
                v(VOp::Neg { slot: S(1) }),
                v(VOp::Neg { slot: S(1) }),
                imm(2, i64::from(mask)),
                arith(BinOp::And, 1),
                v(VOp::Branch { slot: S(1), cond: when, pop: true, label: 0 }),
                imm(0, 0),
                Ir::Label { label: 0, role: LabelRole::Plain, sp: 1 },
                boxed(0),
            ];
            let taken = (x & i64::from(mask) != 0) == when;
            let (big, small) = both(&ir, 4, &[]);
            assert_eq!(big.boxed(), [i64::from(taken)], "{x} {mask} {when}");
            assert_eq!(small.boxed(), [i64::from(taken)], "{x} {mask} {when}");
        }
    }
}

#[test]
fn selects_keep_the_chosen_value() {
    for c in [0, 5, -1] {
        let ir = [
            imm(0, c),
            imm(1, 11),
            v(VOp::Neg { slot: S(1) }),
            imm(2, 22),
            v(VOp::Select { dst: L(0), cond: S(0), a: S(1), b: S(2), pop: true }),
            copy(S(0), L(0)),
            boxed(0),
        ];
        let (big, small) = both(&ir, 6, &[]);
        let want = if c != 0 { -11 } else { 22 };
        assert_eq!(big.boxed(), [want], "{:?}", big.code);
        assert_eq!(small.boxed(), [want], "{:?}", small.code);
    }
}

#[test]
fn remainders_of_small_dividends_subtract_at_most_once() {
    // A dividend known to lie in [0, 2 * 255) takes the subtracting form:
    // no multiplication.
    for (x, want) in [(0, 0), (254, 254), (255, 0), (300, 45), (509, 254)] {
        let ir = [imm(0, x), imm(1, 255), v(VOp::DivMod { dst: S(0), a: S(0), b: S(1), modulo: true }), boxed(0)];
        let (big, small) = both(&ir, 4, &[]);
        assert_eq!(big.boxed(), [want]);
        assert_eq!(small.boxed(), [want]);
        assert!(!big.code.iter().any(|i| matches!(i, Ins::MulHi(..) | Ins::Sdiv(..))), "{:?}", big.code);
    }
}
