//! Shared by the simulator tests: building functions with the Xtensa `Asm`,
//! running them in the simulator, and random call-free programs with a
//! reference interpreter.
#![allow(dead_code)]

pub mod elf;

use ferropy_emit_native::{Asm, BinOp, Cond, Label, ShiftOp, Width};
use ferropy_emit_xtensa::{Abi, Reg, Variant, XtensaAsm};
use ferropy_xtensa_sim::{Perm, Sim, SimError};

/// Where test code is mapped.
pub const CODE: u32 = 0x0010_0000;
/// Test data region.
pub const DATA: u32 = 0x0030_0000;
/// Size of the data region.
pub const DATA_SIZE: usize = 1 << 16;
/// Stack region and size.
pub const STACK: u32 = 0x0020_0000;
/// Stack size.
pub const STACK_SIZE: usize = 1 << 16;

/// Emits `prologue(n_slots)`, `body`, `epilogue` and returns the code.
pub fn build<V: Variant>(n_slots: usize, body: impl FnOnce(&mut XtensaAsm<V>)) -> Vec<u8> {
    let mut asm = XtensaAsm::<V>::new();
    asm.prologue(n_slots);
    body(&mut asm);
    asm.epilogue();
    asm.finish().expect("assembles").code
}

/// A simulator with `code` at [`CODE`], a zeroed data region and a stack.
pub fn sim_with(abi: Abi, code: Vec<u8>) -> Sim {
    let mut s = Sim::new(abi);
    s.mem.map("code", CODE, code, Perm::Exec).expect("map code");
    s.mem.map("data", DATA, vec![0; DATA_SIZE], Perm::ReadWrite).expect("map data");
    s.mem.map("stack", STACK, vec![0; STACK_SIZE], Perm::ReadWrite).expect("map stack");
    s.stack_top = STACK + STACK_SIZE as u32;
    s
}

/// Builds and runs a function with `args`.
pub fn run<V: Variant>(args: &[u32], body: impl FnOnce(&mut XtensaAsm<V>)) -> Result<u32, SimError> {
    let code = build::<V>(1, body);
    let mut s = sim_with(V::ABI, code);
    s.call(CODE, args)
}

/// Deterministic xorshift generator.
pub struct XorShift(pub u64);

impl XorShift {
    /// Next word.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An interesting 32-bit value.
    pub fn value(&mut self) -> i64 {
        const EDGES: [i64; 10] = [0, 1, 2, -1, 31, 32, 0x7FFF_FFFF, -0x8000_0000, 0xFFFF_FFFF, 2047];
        match self.below(5) {
            0 => EDGES[self.below(EDGES.len())],
            1 => (self.next() % 64) as i64,
            2 => i64::from(self.next() as i8),
            3 => i64::from(self.next() as i16) * 3,
            _ => i64::from(self.next() as u32),
        }
    }
}

/// Bytes of the buffer a random program reads and writes.
pub const BUF: usize = 2048;

/// One random operation (register operands index [`Regs::work`]).
#[derive(Clone, Debug)]
pub enum Op {
    Imm(usize, i64),
    Mov(usize, usize),
    Bin(BinOp, usize, usize),
    Shift(ShiftOp, usize, usize),
    Neg(usize),
    Not(usize),
    SetCond(Cond, usize, usize, usize),
    Load(Width, usize, i32),
    Store(Width, usize, i32),
    LoadIdx(Width, usize, usize, u32),
    StoreIdx(Width, usize, usize, u32),
    /// Skips the next `n` ops when the test holds.
    Skip(SkipKind, usize, usize, usize),
    /// Jumps over `n` bytes of data.
    Pad(usize),
    /// Runs `body` `count` times (`count` >= 1).
    Loop(u32, Vec<Op>),
    /// Calls the program's local subroutine: work register 0 grows by
    /// [`SUB_ADD`]; if its low three bits are then clear, the subroutine
    /// leaves without returning (`local_discard`) and the program ends.
    LocalCall,
}

/// What the local subroutine of random programs adds to work register 0.
pub const SUB_ADD: u32 = 0x35;

/// The test of a skip.
#[derive(Clone, Copy, Debug)]
pub enum SkipKind {
    Eq,
    Zero,
    NonZero,
    /// Bit [`skip_bit`]`(y)` of register `x` is clear.
    BitClear,
}

/// The bit a [`SkipKind::BitClear`] skip with second operand `y` tests.
pub fn skip_bit(y: usize) -> u8 {
    (y * 5 % 32) as u8
}

/// Register use of random programs per ABI.
pub struct Regs {
    /// Buffer base (incoming first argument moved here).
    pub base: Reg,
    /// Loop counter and the constant one.
    pub counter: Reg,
    pub one: Reg,
    /// Registers the ops work on.
    pub work: Vec<Reg>,
}

impl Regs {
    /// The registers for `abi`.
    pub fn of(abi: Abi) -> Regs {
        match abi {
            Abi::Call0 => Regs {
                base: Reg::A12,
                counter: Reg::A13,
                one: Reg::A14,
                work: vec![Reg::A2, Reg::A3, Reg::A4, Reg::A5, Reg::A15, Reg::A6, Reg::A7],
            },
            Abi::Windowed => Regs {
                base: Reg::A2,
                counter: Reg::A3,
                one: Reg::A4,
                work: vec![Reg::A5, Reg::A6, Reg::A7, Reg::A10, Reg::A11, Reg::A12, Reg::A13],
            },
        }
    }
}

const BINOPS: [BinOp; 6] = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor];
const SHIFTS: [ShiftOp; 3] = [ShiftOp::Shl, ShiftOp::Shr, ShiftOp::Sar];
const WIDTHS: [Width; 4] = [Width::U8, Width::U16, Width::U32, Width::Word];

fn offset_for(rng: &mut XorShift, width: Width) -> i32 {
    let units = (BUF as u32 / width.bytes(4)) as usize;
    // Mostly small offsets (short forms), sometimes anywhere in the buffer.
    if rng.below(3) == 0 {
        rng.below(units) as i32
    } else {
        rng.below(units.min(20)) as i32
    }
}

fn random_simple(rng: &mut XorShift, n: usize, big_pads: bool) -> Op {
    let r = |rng: &mut XorShift| rng.below(n);
    match rng.below(14) {
        0 => Op::Imm(r(rng), rng.value()),
        1 => Op::Mov(r(rng), r(rng)),
        2 | 3 => Op::Bin(BINOPS[rng.below(6)], r(rng), r(rng)),
        4 => Op::Shift(SHIFTS[rng.below(3)], r(rng), r(rng)),
        5 => {
            if rng.below(2) == 0 {
                Op::Neg(r(rng))
            } else {
                Op::Not(r(rng))
            }
        }
        6 => Op::SetCond(Cond::ALL[rng.below(10)], r(rng), r(rng), r(rng)),
        7 => {
            let w = WIDTHS[rng.below(4)];
            Op::Load(w, r(rng), offset_for(rng, w))
        }
        8 => {
            let w = WIDTHS[rng.below(4)];
            Op::Store(w, r(rng), offset_for(rng, w))
        }
        9 => {
            let w = WIDTHS[rng.below(4)];
            let units = BUF as u32 / w.bytes(4);
            Op::LoadIdx(w, r(rng), r(rng), rng.below(units as usize) as u32)
        }
        10 => {
            let w = WIDTHS[rng.below(4)];
            let units = BUF as u32 / w.bytes(4);
            let (s, i) = (r(rng), r(rng));
            // The index register is set first, so the value stored is the index if they coincide.
            Op::StoreIdx(w, s, i, rng.below(units as usize) as u32)
        }
        11 => Op::Pad(match rng.below(20) {
            0 if big_pads => 3000,
            1..=4 => 200,
            _ => rng.below(8),
        }),
        12 => Op::LocalCall,
        _ => Op::Imm(r(rng), rng.value() & 0xFF),
    }
}

/// A random program of about `len` ops over `n` work registers.
pub fn random_program(rng: &mut XorShift, n: usize, len: usize, big_pads: bool) -> Vec<Op> {
    let mut ops = Vec::new();
    while ops.len() < len {
        match rng.below(10) {
            0 | 1 => {
                let kind = [SkipKind::Eq, SkipKind::Zero, SkipKind::NonZero, SkipKind::BitClear][rng.below(4)];
                ops.push(Op::Skip(kind, rng.below(n), rng.below(n), 1 + rng.below(8)));
            }
            2 => {
                let body: Vec<Op> = (0..1 + rng.below(6)).map(|_| random_simple(rng, n, big_pads)).collect();
                ops.push(Op::Loop(1 + rng.below(4) as u32, body));
            }
            _ => ops.push(random_simple(rng, n, big_pads)),
        }
    }
    ops
}

/// Words of the buffer holding the final registers.
pub fn result_words(n: usize) -> std::ops::Range<usize> {
    BUF / 4 - n..BUF / 4
}

/// Emits a random program as a function `f(buffer)`: loads the work registers
/// from the buffer's first words, runs the ops, stores the registers at the
/// buffer's end; the local subroutine, if called, follows the epilogue.
pub fn emit_program<V: Variant>(ops: &[Op]) -> Vec<u8> {
    let regs = Regs::of(V::ABI);
    let mut a = XtensaAsm::<V>::new();
    a.prologue(1);
    let (sub, end) = (a.new_label(), a.new_label());
    a.mov_reg(regs.base, V::ENTRY_ARGS[0]);
    for (i, r) in regs.work.iter().enumerate() {
        a.load(Width::Word, *r, regs.base, i as i32);
    }
    emit_ops(&mut a, &regs, ops, sub);
    a.bind(end);
    let n = regs.work.len();
    for (i, r) in regs.work.iter().enumerate() {
        a.store(Width::Word, *r, regs.base, result_words(n).start as i32 + i as i32);
    }
    a.epilogue();
    if calls_local(ops) {
        // The return address lands in `one` (free: reloaded before each use).
        let stop = a.new_label();
        a.bind(sub);
        a.local_entry(regs.one);
        a.binop_imm(BinOp::Add, regs.work[0], SUB_ADD as i32, regs.one);
        a.mov_imm(regs.one, 7);
        a.binop(BinOp::And, regs.one, regs.work[0]);
        a.jump_if_zero(regs.one, false, stop);
        a.local_return();
        a.bind(stop);
        a.local_discard();
        a.jump(end);
    }
    a.finish().expect("assembles").code
}

/// True if the program calls its local subroutine.
pub fn calls_local(ops: &[Op]) -> bool {
    ops.iter().any(|op| match op {
        Op::LocalCall => true,
        Op::Loop(_, body) => calls_local(body),
        _ => false,
    })
}

fn emit_ops<A: Asm<Reg = Reg>>(a: &mut A, regs: &Regs, ops: &[Op], sub: Label) {
    let w = |i: usize| regs.work[i];
    let mut pending: Vec<(usize, Label)> = Vec::new();
    for (j, op) in ops.iter().enumerate() {
        bind_due(a, &mut pending, j);
        match op {
            Op::Imm(d, v) => a.mov_imm(w(*d), *v),
            Op::Mov(d, s) => a.mov_reg(w(*d), w(*s)),
            Op::Bin(o, d, s) => a.binop(*o, w(*d), w(*s)),
            Op::Shift(o, d, c) => a.shift(*o, w(*d), w(*c)),
            Op::Neg(d) => a.neg(w(*d)),
            Op::Not(d) => a.not(w(*d)),
            Op::SetCond(c, d, x, y) => a.set_cond(*c, w(*d), w(*x), w(*y)),
            Op::Load(wd, d, off) => a.load(*wd, w(*d), regs.base, *off),
            Op::Store(wd, s, off) => a.store(*wd, w(*s), regs.base, *off),
            Op::LoadIdx(wd, d, i, v) => {
                a.mov_imm(w(*i), i64::from(*v));
                a.load_indexed(*wd, w(*d), regs.base, w(*i));
            }
            Op::StoreIdx(wd, s, i, v) => {
                a.mov_imm(w(*i), i64::from(*v));
                a.store_indexed(*wd, w(*s), regs.base, w(*i));
            }
            Op::Skip(kind, x, y, n) => {
                let l = a.new_label();
                match kind {
                    SkipKind::Eq => a.jump_if_eq(w(*x), w(*y), l),
                    SkipKind::Zero => a.jump_if_zero(w(*x), false, l),
                    SkipKind::NonZero => a.jump_if_nonzero(w(*x), false, l),
                    // `scratch` is the loop counter: the Xtensa form must not use it.
                    SkipKind::BitClear => a.jump_if_bit_clear(w(*x), skip_bit(*y), regs.counter, l),
                }
                pending.push((j + 1 + n, l));
            }
            Op::Pad(n) => {
                let l = a.new_label();
                a.jump(l);
                a.data(&vec![0xFF; *n]);
                a.bind(l);
            }
            Op::Loop(count, body) => {
                a.mov_imm(regs.counter, i64::from(*count));
                let top = a.new_label();
                a.bind(top);
                emit_ops(a, regs, body, sub);
                a.mov_imm(regs.one, 1);
                a.binop(BinOp::Sub, regs.counter, regs.one);
                a.jump_if_nonzero(regs.counter, false, top);
            }
            Op::LocalCall => a.call_local(sub),
        }
    }
    bind_due(a, &mut pending, usize::MAX);
}

fn bind_due<A: Asm>(a: &mut A, pending: &mut Vec<(usize, Label)>, j: usize) {
    pending.retain(|(at, l)| {
        if *at <= j {
            a.bind(*l);
            false
        } else {
            true
        }
    });
}

/// The reference semantics: runs `ops` on `regs` and `buf`; true if the
/// program ended early (see [`Op::LocalCall`]).
pub fn interpret(ops: &[Op], regs: &mut [u32], buf: &mut [u8]) -> bool {
    let mut j = 0;
    while let Some(op) = ops.get(j) {
        j += 1;
        match op {
            Op::Imm(d, v) => regs[*d] = *v as u32,
            Op::Mov(d, s) => regs[*d] = regs[*s],
            Op::Bin(o, d, s) => {
                let (x, y) = (regs[*d], regs[*s]);
                regs[*d] = match o {
                    BinOp::Add => x.wrapping_add(y),
                    BinOp::Sub => x.wrapping_sub(y),
                    BinOp::Mul => x.wrapping_mul(y),
                    BinOp::And => x & y,
                    BinOp::Or => x | y,
                    BinOp::Xor => x ^ y,
                }
            }
            Op::Shift(o, d, c) => {
                let (x, n) = (regs[*d], regs[*c] & 31);
                regs[*d] = match o {
                    ShiftOp::Shl => x << n,
                    ShiftOp::Shr => x >> n,
                    ShiftOp::Sar => ((x as i32) >> n) as u32,
                }
            }
            Op::Neg(d) => regs[*d] = regs[*d].wrapping_neg(),
            Op::Not(d) => regs[*d] = !regs[*d],
            Op::SetCond(c, d, x, y) => {
                let (a, b) = (regs[*x], regs[*y]);
                // Cond::eval works on 64-bit words: widen by sign for signed relations.
                let (a64, b64) = match c {
                    Cond::LtS | Cond::LeS | Cond::GtS | Cond::GeS => (a as i32 as i64 as u64, b as i32 as i64 as u64),
                    _ => (u64::from(a), u64::from(b)),
                };
                regs[*d] = u32::from(c.eval(a64, b64));
            }
            Op::Load(w, d, off) => regs[*d] = read(buf, *w, *off as usize),
            Op::Store(w, s, off) => write(buf, *w, *off as usize, regs[*s]),
            Op::LoadIdx(w, d, i, v) => {
                regs[*i] = *v;
                regs[*d] = read(buf, *w, *v as usize);
            }
            Op::StoreIdx(w, s, i, v) => {
                regs[*i] = *v;
                write(buf, *w, *v as usize, regs[*s]);
            }
            Op::Skip(kind, x, y, n) => {
                let taken = match kind {
                    SkipKind::Eq => regs[*x] == regs[*y],
                    SkipKind::Zero => regs[*x] == 0,
                    SkipKind::NonZero => regs[*x] != 0,
                    SkipKind::BitClear => regs[*x] & 1 << skip_bit(*y) == 0,
                };
                if taken {
                    j += n;
                }
            }
            Op::Pad(_) => {}
            Op::Loop(count, body) => {
                for _ in 0..*count {
                    if interpret(body, regs, buf) {
                        return true;
                    }
                }
            }
            Op::LocalCall => {
                regs[0] = regs[0].wrapping_add(SUB_ADD);
                if regs[0] & 7 == 0 {
                    return true;
                }
            }
        }
    }
    false
}

fn read(buf: &[u8], w: Width, unit: usize) -> u32 {
    let size = w.bytes(4) as usize;
    let at = unit * size;
    buf[at..at + size].iter().rev().fold(0, |acc, b| acc << 8 | u32::from(*b))
}

fn write(buf: &mut [u8], w: Width, unit: usize, v: u32) {
    let size = w.bytes(4) as usize;
    let at = unit * size;
    buf[at..at + size].copy_from_slice(&v.to_le_bytes()[..size]);
}

/// True if the reference run of `ops` from `initial` ends early.
pub fn ends_early(abi: Abi, ops: &[Op], initial: &[u8]) -> bool {
    let n = Regs::of(abi).work.len();
    let mut buf = initial.to_vec();
    let mut r: Vec<u32> = (0..n).map(|i| read(&buf, Width::Word, i)).collect();
    interpret(ops, &mut r, &mut buf)
}

/// The buffer after the reference run of `ops` from `initial`.
pub fn expected_buffer(abi: Abi, ops: &[Op], initial: &[u8]) -> Vec<u8> {
    let regs = Regs::of(abi);
    let n = regs.work.len();
    let mut buf = initial.to_vec();
    let mut r: Vec<u32> = (0..n).map(|i| read(&buf, Width::Word, i)).collect();
    interpret(ops, &mut r, &mut buf);
    for (i, v) in r.iter().enumerate() {
        write(&mut buf, Width::Word, result_words(n).start + i, *v);
    }
    buf
}

/// Random initial buffer contents.
pub fn random_buffer(rng: &mut XorShift) -> Vec<u8> {
    (0..BUF).map(|_| rng.next() as u8).collect()
}
