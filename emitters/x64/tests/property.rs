//! Property test: random sequences of register operations, executed natively and
//! by a Rust interpreter of the same operations, must leave the same registers.

mod common;

use common::{build, XorShift, USABLE};
use ferropy_emit_native::{Asm, BinOp, Cond, ShiftOp, Width};
use ferropy_emit_x64::Reg;

/// One operation on the register file.
#[derive(Clone, Copy, Debug)]
enum Op {
    Imm(usize, u64),
    Mov(usize, usize),
    Bin(BinOp, usize, usize),
    Shift(ShiftOp, usize, usize),
    Neg(usize),
    Not(usize),
    Set(Cond, usize, usize, usize),
}

const BINOPS: [BinOp; 6] = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor];
const SHIFTS: [ShiftOp; 3] = [ShiftOp::Shl, ShiftOp::Shr, ShiftOp::Sar];

fn random_op(rng: &mut XorShift) -> Op {
    let n = USABLE.len();
    match rng.below(10) {
        0 => Op::Imm(rng.below(n), rng.word()),
        1 => Op::Mov(rng.below(n), rng.below(n)),
        2 => Op::Shift(SHIFTS[rng.below(3)], rng.below(n), rng.below(n)),
        3 => Op::Neg(rng.below(n)),
        4 => Op::Not(rng.below(n)),
        5 | 6 => Op::Set(Cond::ALL[rng.below(Cond::ALL.len())], rng.below(n), rng.below(n), rng.below(n)),
        _ => Op::Bin(BINOPS[rng.below(6)], rng.below(n), rng.below(n)),
    }
}

/// The reference semantics of the operations (x86-64 masks shift counts to 6 bits).
fn interpret(regs: &mut [u64], op: Op) {
    let get = |regs: &[u64], i: usize| regs.get(i).copied().unwrap_or(0);
    let (dst, value) = match op {
        Op::Imm(d, v) => (d, v),
        Op::Mov(d, s) => (d, get(regs, s)),
        Op::Bin(b, d, s) => {
            let (x, y) = (get(regs, d), get(regs, s));
            let v = match b {
                BinOp::Add => x.wrapping_add(y),
                BinOp::Sub => x.wrapping_sub(y),
                BinOp::Mul => x.wrapping_mul(y),
                BinOp::And => x & y,
                BinOp::Or => x | y,
                BinOp::Xor => x ^ y,
            };
            (d, v)
        }
        Op::Shift(s, d, c) => {
            let (x, n) = (get(regs, d), get(regs, c) & 63);
            let v = match s {
                ShiftOp::Shl => x << n,
                ShiftOp::Shr => x >> n,
                ShiftOp::Sar => ((x as i64) >> n) as u64,
            };
            (d, v)
        }
        Op::Neg(d) => (d, get(regs, d).wrapping_neg()),
        Op::Not(d) => (d, !get(regs, d)),
        Op::Set(c, d, a, b) => (d, c.eval(get(regs, a), get(regs, b)) as u64),
    };
    if let Some(slot) = regs.get_mut(dst) {
        *slot = value;
    }
}

fn reg(i: usize) -> Reg {
    USABLE[i % USABLE.len()]
}

#[test]
fn random_op_sequences_match_the_interpreter() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let n = USABLE.len();
    for case in 0..2000 {
        let initial: Vec<u64> = (0..n).map(|_| rng.word()).collect();
        let ops: Vec<Op> = (0..1 + rng.below(24)).map(|_| random_op(&mut rng)).collect();
        // Slot 0 holds the output buffer's address; slots 1..=n spill the registers at the end.
        let f = build(1 + n, |a| {
            a.store_slot(0, Reg::Rdi);
            for (i, v) in initial.iter().enumerate() {
                a.mov_imm(reg(i), *v as i64);
            }
            for op in &ops {
                match *op {
                    Op::Imm(d, v) => a.mov_imm(reg(d), v as i64),
                    Op::Mov(d, s) => a.mov_reg(reg(d), reg(s)),
                    Op::Bin(b, d, s) => a.binop(b, reg(d), reg(s)),
                    Op::Shift(s, d, c) => a.shift(s, reg(d), reg(c)),
                    Op::Neg(d) => a.neg(reg(d)),
                    Op::Not(d) => a.not(reg(d)),
                    Op::Set(c, d, x, y) => a.set_cond(c, reg(d), reg(x), reg(y)),
                }
            }
            for i in 0..n {
                a.store_slot(1 + i, reg(i));
            }
            a.load_slot(Reg::Rax, 0);
            for i in 0..n {
                a.load_slot(Reg::Rcx, 1 + i);
                a.store(Width::Word, Reg::Rcx, Reg::Rax, i as i32);
            }
        });
        let mut out = vec![0u64; n];
        f.call(out.as_mut_ptr() as u64, 0, 0, 0);
        let mut want = initial.clone();
        for op in &ops {
            interpret(&mut want, *op);
        }
        assert_eq!(out, want, "case {case}: initial {initial:#x?}\nops {ops:?}");
    }
}
