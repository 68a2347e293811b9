//! Each `Asm` operation of the Thumb backend, executed in unicorn on every
//! architecture (Cortex-M0 for ARMv6-M, so stray Thumb-2 instructions fault).

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::emu::{self, Helper, DATA, TABLE};
use common::{usable, XorShift};
use ferropy_emit_native::{Asm, BinOp, Cond, Finished, ShiftOp, Width};
use ferropy_emit_thumb::arch::targets::{V6m, V7em, V7m};
use ferropy_emit_thumb::{Reg, Target, ThumbAsm};

/// Emits a function: prologue, `r7` = the table (first argument moved away
/// from `r0`), `body`, epilogue.
fn build<T: Target>(n_slots: usize, body: impl FnOnce(&mut ThumbAsm<T>)) -> Finished {
    let mut a = ThumbAsm::<T>::new();
    a.prologue(n_slots);
    a.mov_imm(Reg::R7, TABLE as i64);
    body(&mut a);
    a.epilogue();
    a.finish().unwrap_or_else(|e| panic!("{:?}: {e}", T::ARCH))
}

/// Moves arguments into registers without one move clobbering another's
/// source: `r1-r3` go through stack slots 0-2 (the function needs 3 slots).
fn args_to<T: Target>(a: &mut ThumbAsm<T>, moves: &[(Reg, usize)]) {
    for i in 1..4 {
        a.store_slot(i - 1, [Reg::R0, Reg::R1, Reg::R2, Reg::R3][i]);
    }
    for &(r, i) in moves {
        a.load_slot(r, i - 1);
    }
}

fn run<T: Target>(f: &Finished, args: [u32; 4], helpers: Vec<Helper>) -> u32 {
    let mut uc = emu::machine(T::ARCH, &f.code, helpers);
    emu::call(&mut uc, f.entry, args)
}

fn binop_ref(op: BinOp, a: u32, b: u32) -> u32 {
    match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
    }
}

/// ARM register shifts use the count's low byte; 32 or more shifts everything out.
fn shift_ref(op: ShiftOp, x: u32, count: u32) -> u32 {
    let n = count & 0xFF;
    match op {
        ShiftOp::Shl => {
            if n >= 32 {
                0
            } else {
                x << n
            }
        }
        ShiftOp::Shr => {
            if n >= 32 {
                0
            } else {
                x >> n
            }
        }
        ShiftOp::Sar => ((x as i32) >> n.min(31)) as u32,
    }
}

/// `Cond::eval` on 32-bit words (sign extension keeps both orders).
fn cond_ref(c: Cond, a: u32, b: u32) -> bool {
    c.eval(a as i32 as i64 as u64, b as i32 as i64 as u64)
}

const VALUES: [u32; 10] = [0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE, 0x1234_5678, 0xFF, 0x1_0000];

macro_rules! per_arch {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[test]
            fn armv6m() {
                $body::<V6m>();
            }
            #[test]
            fn armv7m() {
                $body::<V7m>();
            }
            #[test]
            fn armv7em() {
                $body::<V7em>();
            }
        }
    };
}

/// Register pairs (dst, src) exercising low and (ARMv7-M) high registers.
fn pairs<T: Target>() -> Vec<(Reg, Reg)> {
    let mut v = vec![(Reg::R0, Reg::R1), (Reg::R4, Reg::R2), (Reg::R3, Reg::R3), (Reg::R6, Reg::R5)];
    if T::ARCH.thumb2() {
        v.extend([(Reg::R8, Reg::R1), (Reg::R2, Reg::R11), (Reg::R9, Reg::R10), (Reg::R10, Reg::R10)]);
    }
    v
}

fn arithmetic<T: Target>() {
    for op in [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor] {
        for (d, s) in pairs::<T>() {
            let f = build::<T>(3, |a| {
                args_to(a, &[(d, 1), (s, if s == d { 1 } else { 2 })]);
                a.binop(op, d, s);
                a.mov_reg(Reg::R0, d);
            });
            let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
            for (x, y) in VALUES.iter().zip(VALUES.iter().rev()) {
                let y = if s == d { *x } else { *y };
                assert_eq!(emu::call(&mut uc, 0, [0, *x, y, 0]), binop_ref(op, *x, y), "{op:?} {d} {s} {x:#x} {y:#x}");
            }
        }
    }
    for (d, _) in pairs::<T>().into_iter().filter(|(d, _)| *d != Reg::R1) {
        let f = build::<T>(1, |a| {
            a.mov_reg(d, Reg::R1);
            a.neg(d);
            a.store_slot(0, d);
            a.mov_reg(d, Reg::R1);
            a.not(d);
            a.load_slot(Reg::R1, 0);
            a.mov_reg(Reg::R0, d);
            a.binop(BinOp::Xor, Reg::R0, Reg::R1);
        });
        let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
        for x in VALUES {
            assert_eq!(emu::call(&mut uc, 0, [0, x, 0, 0]), (!x) ^ x.wrapping_neg(), "{d} {x:#x}");
        }
    }
}
per_arch!(arithmetic, arithmetic);

fn shifts<T: Target>() {
    for op in [ShiftOp::Shl, ShiftOp::Shr, ShiftOp::Sar] {
        for (d, s) in pairs::<T>().into_iter().filter(|(d, s)| d != s) {
            let f = build::<T>(3, |a| {
                args_to(a, &[(d, 1), (s, 2)]);
                a.shift(op, d, s);
                a.mov_reg(Reg::R0, d);
            });
            let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
            for x in [0x8000_0001u32, 0x1234_5678, 1, 0xFFFF_FFFF] {
                for n in [0u32, 1, 7, 31, 32, 33, 255, 256, 257] {
                    assert_eq!(emu::call(&mut uc, 0, [0, x, n, 0]), shift_ref(op, x, n), "{op:?} {d} {s} {x:#x} {n}");
                }
            }
        }
    }
}
per_arch!(shifts, shifts);

fn immediates<T: Target>() {
    let mut values: Vec<i64> = vec![
        0,
        1,
        255,
        256,
        0xFFFF,
        0x1_0000,
        0x00AB_00AB,
        0xAB00_AB00,
        0x7FFF_FFFF,
        0xFFFF_FFFF,
        -1,
        -256,
        -257,
        -(1 << 31),
        0x3FC0,
        0x1234_5678,
    ];
    let mut rng = XorShift(0x9E37_79B9);
    values.extend((0..40).map(|_| i64::from(rng.next() as u32)));
    for r in usable::<T>().into_iter().filter(|r| *r != Reg::R7) {
        let f = build::<T>(1, |a| {
            for (i, v) in values.iter().enumerate() {
                a.mov_imm(r, *v);
                a.mov_imm(Reg::R1, DATA as i64);
                a.store(Width::Word, r, Reg::R1, i as i32);
            }
        });
        let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
        emu::call(&mut uc, 0, [0; 4]);
        for (i, v) in values.iter().enumerate() {
            if r != Reg::R1 {
                assert_eq!(emu::read_u32(&uc, DATA + 4 * i as u64), *v as u32, "{r} {v:#x}");
            }
        }
    }
}
per_arch!(immediates, immediates);

fn conditions<T: Target>() {
    let regs: Vec<(Reg, Reg, Reg)> = if T::ARCH.thumb2() {
        vec![
            (Reg::R0, Reg::R1, Reg::R2),
            (Reg::R8, Reg::R9, Reg::R1),
            (Reg::R1, Reg::R1, Reg::R2),
            (Reg::R2, Reg::R1, Reg::R2),
        ]
    } else {
        vec![
            (Reg::R0, Reg::R1, Reg::R2),
            (Reg::R5, Reg::R4, Reg::R1),
            (Reg::R1, Reg::R1, Reg::R2),
            (Reg::R2, Reg::R1, Reg::R2),
        ]
    };
    for c in Cond::ALL {
        for &(d, x, y) in &regs {
            // set_cond's value, and each jump form on it (fused or not).
            let f = build::<T>(3, |a| {
                args_to(a, &[(x, 1), (y, if x == y { 1 } else { 2 })]);
                a.set_cond(c, d, x, y);
                let (t1, t2, done) = (a.new_label(), a.new_label(), a.new_label());
                a.jump_if_nonzero(d, true, t1);
                a.mov_imm(Reg::R6, 0);
                a.jump(t2);
                a.bind(t1);
                a.mov_imm(Reg::R6, 2);
                a.bind(t2);
                a.jump_if_zero(d, false, done);
                a.mov_imm(Reg::R3, 4);
                a.binop(BinOp::Add, Reg::R6, Reg::R3);
                a.bind(done);
                a.mov_reg(Reg::R0, d);
                a.binop(BinOp::Add, Reg::R0, Reg::R6);
            });
            let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
            for &p in &VALUES {
                for &q in &VALUES {
                    let q = if x == y { p } else { q };
                    let want = u32::from(cond_ref(c, p, q)) * 7;
                    assert_eq!(emu::call(&mut uc, 0, [0, p, q, 0]), want, "{c:?} {d} {x} {y} {p:#x} {q:#x}");
                }
            }
        }
        // jump_if_eq.
        let f = build::<T>(1, |a| {
            let l = a.new_label();
            a.mov_imm(Reg::R0, 1);
            a.jump_if_eq(Reg::R1, Reg::R2, l);
            a.mov_imm(Reg::R0, 0);
            a.bind(l);
        });
        let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
        for &p in &VALUES {
            assert_eq!(emu::call(&mut uc, 0, [0, p, p, 0]), 1);
            assert_eq!(emu::call(&mut uc, 0, [0, p, p ^ 0x100, 0]), 0);
        }
    }
    // Bool tests look only at the low byte.
    let f = build::<T>(1, |a| {
        let l = a.new_label();
        a.mov_imm(Reg::R0, 1);
        a.jump_if_zero(Reg::R1, true, l);
        a.mov_imm(Reg::R0, 0);
        a.bind(l);
    });
    let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
    assert_eq!(emu::call(&mut uc, 0, [0, 0xFF00, 0, 0]), 1);
    assert_eq!(emu::call(&mut uc, 0, [0, 0x0001, 0, 0]), 0);
}
per_arch!(conditions, conditions);

fn memory<T: Target>() {
    let widths = [Width::U8, Width::U16, Width::U32, Width::Word];
    let base_addr = DATA + 0x8000;
    let regs: Vec<(Reg, Reg)> = if T::ARCH.thumb2() {
        vec![(Reg::R0, Reg::R1), (Reg::R8, Reg::R2), (Reg::R3, Reg::R9), (Reg::R2, Reg::R2)]
    } else {
        vec![(Reg::R0, Reg::R1), (Reg::R3, Reg::R2), (Reg::R2, Reg::R2), (Reg::R6, Reg::R5)]
    };
    for w in widths {
        let size = w.bytes(4) as i64;
        for &(rt, rn) in &regs {
            for off in [
                0i32,
                1,
                3,
                31,
                32,
                63,
                1000,
                1023,
                1024,
                2047,
                -1,
                -63,
                -64,
                -200,
                0x1000 / size as i32,
                -0x1000 / size as i32,
            ] {
                let addr = (base_addr as i64 + i64::from(off) * size) as u64;
                // Load: memory holds a pattern; the value is zero-extended.
                let f = build::<T>(1, |a| {
                    a.mov_reg(rn, Reg::R1);
                    a.load(w, rt, rn, off);
                    a.mov_reg(Reg::R0, rt);
                });
                let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
                uc.mem_write(addr, &[0xA1, 0xB2, 0xC3, 0xD4]).unwrap();
                let want = u32::from_le_bytes([0xA1, 0xB2, 0xC3, 0xD4]) & (u64::MAX >> (64 - 8 * size)) as u32;
                assert_eq!(emu::call(&mut uc, 0, [0, base_addr as u32, 0, 0]), want, "{w:?} {rt} {rn} {off}");
                // Store: only the low bytes change.
                if rt == rn {
                    continue;
                }
                let f = build::<T>(3, |a| {
                    args_to(a, &[(rn, 1), (rt, 2)]);
                    a.store(w, rt, rn, off);
                });
                let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
                uc.mem_write(addr, &[0xEE; 8]).unwrap();
                emu::call(&mut uc, 0, [0, base_addr as u32, 0x4433_2211, 0]);
                let mut got = [0u8; 8];
                uc.mem_read(addr, &mut got).unwrap();
                let mut want = [0xEE; 8];
                want[..size as usize].copy_from_slice(&[0x11, 0x22, 0x33, 0x44][..size as usize]);
                assert_eq!(got, want, "{w:?} {rt} {rn} {off}");
            }
            // Indexed, with the index in another register (and in the destination).
            for idx in [Reg::R4, Reg::R5, rt] {
                if idx == rn {
                    continue;
                }
                for i in [0u32, 1, 5, 100] {
                    let addr = base_addr + u64::from(i) * size as u64;
                    let f = build::<T>(3, |a| {
                        args_to(a, &[(rn, 1), (idx, 2)]);
                        a.load_indexed(w, rt, rn, idx);
                        a.mov_reg(Reg::R0, rt);
                    });
                    let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
                    uc.mem_write(addr, &[0x91, 0x82, 0x73, 0x64]).unwrap();
                    let want = u32::from_le_bytes([0x91, 0x82, 0x73, 0x64]) & (u64::MAX >> (64 - 8 * size)) as u32;
                    assert_eq!(
                        emu::call(&mut uc, 0, [0, base_addr as u32, i, 0]),
                        want,
                        "{w:?} {rt} [{rn} + {idx}] {i}"
                    );
                    if rt == idx || rt == rn {
                        continue;
                    }
                    let f = build::<T>(3, |a| {
                        args_to(a, &[(rn, 1), (idx, 2), (rt, 3)]);
                        a.store_indexed(w, rt, rn, idx);
                        // The index and base are unchanged.
                        a.mov_reg(Reg::R0, idx);
                        a.binop(BinOp::Add, Reg::R0, rn);
                    });
                    let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
                    uc.mem_write(addr, &[0xEE; 8]).unwrap();
                    let r = emu::call(&mut uc, 0, [0, base_addr as u32, i, 0x4433_2211]);
                    assert_eq!(r, base_addr as u32 + i);
                    let mut got = [0u8; 8];
                    uc.mem_read(addr, &mut got).unwrap();
                    let mut want = [0xEE; 8];
                    want[..size as usize].copy_from_slice(&[0x11, 0x22, 0x33, 0x44][..size as usize]);
                    assert_eq!(got, want, "{w:?} {rt} [{rn} + {idx}] {i}");
                }
            }
        }
    }
}
per_arch!(memory, memory);

fn slots_and_calls<T: Target>() {
    // Slots keep their values across table calls; each call sees its four
    // arguments, and its result comes back in r0.
    let n = 5;
    let f = build::<T>(n, |a| {
        for i in 0..n {
            a.mov_imm(Reg::R0, 100 + i as i64);
            a.store_slot(i, Reg::R0);
        }
        a.mov_reg(Reg::R4, Reg::R1);
        for k in 0..3 {
            a.mov_imm(Reg::R0, 10 * k);
            a.mov_imm(Reg::R1, 10 * k + 1);
            a.mov_imm(Reg::R2, 10 * k + 2);
            a.mov_imm(Reg::R3, 10 * k + 3);
            a.call_table(k as usize);
            a.binop(BinOp::Add, Reg::R4, Reg::R0);
        }
        a.mov_reg(Reg::R0, Reg::R4);
        for i in 0..n {
            a.load_slot(Reg::R1, i);
            a.binop(BinOp::Add, Reg::R0, Reg::R1);
        }
        a.slot_addr(Reg::R1, 3);
        a.load(Width::Word, Reg::R1, Reg::R1, 0);
        a.binop(BinOp::Add, Reg::R0, Reg::R1);
    });
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mk = |k: u32| -> Helper {
        let seen = seen.clone();
        Rc::new(move |_uc, args| {
            seen.borrow_mut().push((k, args));
            args.iter().fold(0u32, |s, a| s.wrapping_add(*a)).wrapping_mul(k + 1)
        })
    };
    let r = run::<T>(&f, [0, 1000, 0, 0], vec![mk(0), mk(1), mk(2)]);
    let calls: u32 = (0..3).map(|k| (40 * k + 6) * (k + 1)).sum();
    assert_eq!(r, 1000 + calls + (100..105).sum::<u32>() + 103);
    assert_eq!(seen.borrow().len(), 3);
    assert_eq!(seen.borrow()[2], (2, [20, 21, 22, 23]));
}
per_arch!(slots_and_calls, slots_and_calls);

fn long_branches_and_addresses<T: Target>() {
    // Forward and backward jumps over 300 KB, conditional and not, and
    // `label_addr` + `jump_reg` to far labels.
    let f = build::<T>(1, |a| {
        let (far, back, end, via_reg) = (a.new_label(), a.new_label(), a.new_label(), a.new_label());
        a.mov_imm(Reg::R0, 0);
        a.mov_imm(Reg::R3, 1);
        a.jump_if_eq(Reg::R1, Reg::R3, far);
        a.mov_imm(Reg::R0, 50);
        a.jump(end);
        a.bind(back);
        a.mov_imm(Reg::R2, 5);
        a.binop(BinOp::Add, Reg::R0, Reg::R2);
        a.label_addr(Reg::R2, via_reg);
        a.jump_reg(Reg::R2);
        for _ in 0..150_000 {
            a.data(&[0x00, 0xDE]); // udf: never executed
        }
        a.bind(far);
        a.mov_imm(Reg::R2, 7);
        a.binop(BinOp::Add, Reg::R0, Reg::R2);
        a.set_cond(Cond::GtU, Reg::R2, Reg::R2, Reg::R3);
        a.jump_if_nonzero(Reg::R2, true, back);
        a.mov_imm(Reg::R0, 99);
        a.bind(via_reg);
        a.mov_imm(Reg::R2, 1000);
        a.binop(BinOp::Add, Reg::R0, Reg::R2);
        a.bind(end);
    });
    let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
    assert_eq!(emu::call(&mut uc, 0, [0, 1, 0, 0]), 1012);
    assert_eq!(emu::call(&mut uc, 0, [0, 2, 0, 0]), 50);
    // label_addr gives the Thumb address (bit 0 set) of the label.
    let f = build::<T>(1, |a| {
        let (l, m) = (a.new_label(), a.new_label());
        a.bind(m);
        a.label_addr(Reg::R0, l);
        a.label_addr(Reg::R1, m);
        a.binop(BinOp::Sub, Reg::R0, Reg::R1);
        a.bind(l);
    });
    let target = f.labels[0].unwrap() as u32;
    let start = f.labels[1].unwrap() as u32;
    let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
    assert_eq!(emu::call(&mut uc, 0, [0; 4]), target - start);
    let f = build::<T>(1, |a| {
        let l = a.new_label();
        a.bind(l);
        a.label_addr(Reg::R0, l);
    });
    let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
    assert_eq!(emu::call(&mut uc, 0, [0; 4]), (emu::CODE as u32 + f.labels[0].unwrap() as u32) | 1);
}
per_arch!(long_branches, long_branches_and_addresses);

fn literal_pools<T: Target>() {
    // A long straight-line body with many distinct constants (ARMv6-M: pools
    // placed behind branches) and a loop around it.
    let mut rng = XorShift(77);
    let values: Vec<u32> = (0..700).map(|_| rng.next() as u32).collect();
    let f = build::<T>(1, |a| {
        let top = a.new_label();
        a.mov_imm(Reg::R0, 0);
        a.bind(top);
        for v in &values {
            a.mov_imm(Reg::R2, i64::from(*v));
            a.binop(BinOp::Xor, Reg::R0, Reg::R2);
            a.mov_imm(Reg::R2, 3);
            a.binop(BinOp::Mul, Reg::R0, Reg::R2);
        }
        a.mov_imm(Reg::R2, 1);
        a.binop(BinOp::Sub, Reg::R1, Reg::R2);
        a.jump_if_nonzero(Reg::R1, false, top);
    });
    let mut want = 0u32;
    for _ in 0..3 {
        for v in &values {
            want = (want ^ v).wrapping_mul(3);
        }
    }
    assert_eq!(run::<T>(&f, [0, 3, 0, 0], vec![]), want);
}
per_arch!(literal_pools, literal_pools);

/// One operation of the random register-program test.
#[derive(Clone, Copy, Debug)]
enum Op {
    Imm(usize, u32),
    Mov(usize, usize),
    Bin(BinOp, usize, usize),
    Shift(ShiftOp, usize, usize),
    Neg(usize),
    Not(usize),
    Set(Cond, usize, usize, usize),
}

fn property<T: Target>() {
    // Registers r0-r6 (+ r8-r11): random programs, compared with an interpreter.
    let regs: Vec<Reg> = usable::<T>().into_iter().filter(|r| *r != Reg::R7).collect();
    let n = regs.len() as u64;
    let mut rng = XorShift(0x1234_5678_9ABC);
    let bin = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor];
    let sh = [ShiftOp::Shl, ShiftOp::Shr, ShiftOp::Sar];
    for round in 0..12 {
        let ops: Vec<Op> = (0..150)
            .map(|_| {
                let r = |rng: &mut XorShift| (rng.next() % n) as usize;
                match rng.next() % 10 {
                    0 => Op::Imm(r(&mut rng), rng.next() as u32),
                    1 => Op::Mov(r(&mut rng), r(&mut rng)),
                    2 => Op::Shift(sh[(rng.next() % 3) as usize], r(&mut rng), r(&mut rng)),
                    3 => Op::Neg(r(&mut rng)),
                    4 => Op::Not(r(&mut rng)),
                    5 | 6 => Op::Set(Cond::ALL[(rng.next() % 10) as usize], r(&mut rng), r(&mut rng), r(&mut rng)),
                    _ => Op::Bin(bin[(rng.next() % 6) as usize], r(&mut rng), r(&mut rng)),
                }
            })
            .collect();
        let mut state: Vec<u32> = (0..regs.len()).map(|i| 0x0101_0101u32.wrapping_mul(i as u32 + 3) ^ round).collect();
        let init = state.clone();
        let f = build::<T>(1, |a| {
            for (i, r) in regs.iter().enumerate() {
                a.mov_imm(*r, i64::from(init[i]));
            }
            for op in &ops {
                match *op {
                    Op::Imm(d, v) => a.mov_imm(regs[d], i64::from(v)),
                    Op::Mov(d, s) => a.mov_reg(regs[d], regs[s]),
                    Op::Bin(b, d, s) => a.binop(b, regs[d], regs[s]),
                    Op::Shift(k, d, s) => a.shift(k, regs[d], regs[s]),
                    Op::Neg(d) => a.neg(regs[d]),
                    Op::Not(d) => a.not(regs[d]),
                    Op::Set(c, d, x, y) => a.set_cond(c, regs[d], regs[x], regs[y]),
                }
            }
            // Dump every register to memory (r7 as the base).
            a.mov_imm(Reg::R7, DATA as i64);
            for (i, r) in regs.iter().enumerate() {
                a.store(Width::Word, *r, Reg::R7, i as i32);
            }
        });
        for op in &ops {
            let (d, v) = match *op {
                Op::Imm(d, v) => (d, v),
                Op::Mov(d, s) => (d, state[s]),
                Op::Bin(b, d, s) => (d, binop_ref(b, state[d], state[s])),
                Op::Shift(k, d, s) => (d, shift_ref(k, state[d], state[s])),
                Op::Neg(d) => (d, state[d].wrapping_neg()),
                Op::Not(d) => (d, !state[d]),
                Op::Set(c, d, x, y) => (d, u32::from(cond_ref(c, state[x], state[y]))),
            };
            state[d] = v;
        }
        let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
        emu::call(&mut uc, 0, [0; 4]);
        for (i, r) in regs.iter().enumerate() {
            assert_eq!(emu::read_u32(&uc, DATA + 4 * i as u64), state[i], "round {round} {r}");
        }
    }
}
per_arch!(property, property);

#[test]
fn the_armv6m_machine_rejects_thumb2_code() {
    // What makes the ARMv6-M runs meaningful: the Cortex-M0 model faults on
    // a 32-bit Thumb-2 instruction that the Cortex-M3 runs.
    let f = build::<V7m>(1, |a| a.mov_imm(Reg::R0, 0x1234_5678));
    let mut m3 = emu::machine(ferropy_emit_thumb::Arch::Armv7m, &f.code, vec![]);
    assert_eq!(emu::try_call(&mut m3, 0, [0; 4]), Ok(0x1234_5678));
    let mut m0 = emu::machine(ferropy_emit_thumb::Arch::Armv6m, &f.code, vec![]);
    assert!(emu::try_call(&mut m0, 0, [0; 4]).is_err());
}

/// How a random block ends.
#[derive(Clone, Copy, Debug)]
enum End {
    /// Falls through to the next block.
    Fall,
    /// Jumps to a block, then unreachable padding of this many bytes.
    Jump(usize, usize),
    /// `label_addr` + `jump_reg` to a block, then padding.
    Reg(usize, usize),
}

fn control_flow<T: Target>() {
    // Random control flow (forward and backward, conditional and not, through
    // registers) over blocks separated by padding around the short forms'
    // reaches, with ARMv6-M literal-pool constants: the relaxed code must run
    // exactly as an interpreter of the same program.
    let pads = [0usize, 60, 200, 240, 300, 1000, 1990, 2040, 2100, 4000];
    for seed in 1..=6u64 {
        let mut rng = XorShift(seed * 0x2545_F491_4F6C_DD1D);
        let n = 30;
        let blocks: Vec<(u32, u32, usize, End)> = (0..n)
            .map(|i| {
                let c = rng.next() as u32;
                let k = rng.next() as u32;
                let t = (rng.next() % n as u64) as usize;
                let u = (rng.next() % n as u64) as usize;
                let pad = pads[(rng.next() % pads.len() as u64) as usize];
                let end = match rng.next() % 4 {
                    0 | 1 if i + 1 < n => End::Fall,
                    2 => End::Reg(u, pad),
                    _ => End::Jump(u, pad),
                };
                (c, k, t, end)
            })
            .collect();
        let f = build::<T>(1, |a| {
            let labels: Vec<_> = (0..n).map(|_| a.new_label()).collect();
            let exit = a.new_label();
            a.mov_imm(Reg::R0, 7);
            a.mov_imm(Reg::R5, 400);
            for (i, &(c, k, t, end)) in blocks.iter().enumerate() {
                a.bind(labels[i]);
                a.mov_imm(Reg::R1, 1);
                a.binop(BinOp::Sub, Reg::R5, Reg::R1);
                a.jump_if_zero(Reg::R5, false, exit);
                a.mov_imm(Reg::R1, 3);
                a.binop(BinOp::Mul, Reg::R0, Reg::R1);
                a.mov_imm(Reg::R1, i64::from(c));
                a.binop(BinOp::Add, Reg::R0, Reg::R1);
                a.mov_imm(Reg::R1, i64::from(k));
                a.set_cond(Cond::LtU, Reg::R2, Reg::R0, Reg::R1);
                a.jump_if_nonzero(Reg::R2, true, labels[t]);
                match end {
                    End::Fall => {}
                    End::Jump(u, pad) | End::Reg(u, pad) => {
                        if let End::Reg(..) = end {
                            a.label_addr(Reg::R3, labels[u]);
                            a.jump_reg(Reg::R3);
                        } else {
                            a.jump(labels[u]);
                        }
                        for _ in 0..pad / 2 {
                            a.data(&[0x00, 0xDE]);
                        }
                    }
                }
            }
            a.bind(exit);
        });
        // The interpreter.
        let (mut r0, mut r5, mut pc) = (7u32, 400u32, 0usize);
        loop {
            if pc >= n {
                break;
            }
            let (c, k, t, end) = blocks[pc];
            r5 -= 1;
            if r5 == 0 {
                break;
            }
            r0 = r0.wrapping_mul(3).wrapping_add(c);
            if r0 < k {
                pc = t;
                continue;
            }
            pc = match end {
                End::Fall => pc + 1,
                End::Jump(u, _) | End::Reg(u, _) => u,
            };
        }
        assert_eq!(run::<T>(&f, [0; 4], vec![]), r0, "{:?} seed {seed}", T::ARCH);
    }
}
per_arch!(control_flow, control_flow);

/// What the zero-test programs return when the tested register is zero.
const MARKER: u32 = 0x5A5A_5A5A;

/// `dst` tested against zero right after `op` wrote it (forward over `pad`
/// bytes, and backward): returns `dst`, or [`MARKER`] when it is zero.
fn zero_test<T: Target>(pad: usize, dst: Reg, op: impl FnOnce(&mut ThumbAsm<T>)) -> Finished {
    build::<T>(3, |a| {
        args_to(a, &[(Reg::R1, 1), (Reg::R2, 2)]);
        let (zero, done, back) = (a.new_label(), a.new_label(), a.new_label());
        op(a);
        a.jump_if_zero(dst, false, zero);
        a.mov_reg(Reg::R0, dst);
        a.jump(done);
        for _ in 0..pad / 2 {
            a.data(&[0x00, 0xDE]);
        }
        a.bind(zero);
        // Backward: a jump to `back` that the test of `dst` must not take.
        a.mov_imm(Reg::R0, i64::from(MARKER));
        a.jump(back);
        a.bind(back);
        a.mov_imm(Reg::R3, 0);
        a.binop(BinOp::Or, Reg::R3, Reg::R3);
        a.jump_if_nonzero(Reg::R3, false, back);
        a.bind(done);
    })
}

fn zero_tests<T: Target>() {
    let want = |v: u32| if v == 0 { MARKER } else { v };
    // Tests after an instruction that leaves the Z flag (reused) and after
    // one that does not (`cbz`/`cbnz` on ARMv7-M within reach, else `cmp`).
    for pad in [0usize, 100, 120, 400] {
        for &x in &VALUES {
            for &y in &[0u32, 3, 0x8000_0000] {
                let cases: Vec<(u32, Finished)> = vec![
                    (x, zero_test::<T>(pad, Reg::R1, |_| {})),
                    (x, zero_test::<T>(pad, Reg::R4, |a| a.mov_reg(Reg::R4, Reg::R1))),
                    (x.wrapping_add(y), zero_test::<T>(pad, Reg::R1, |a| a.binop(BinOp::Add, Reg::R1, Reg::R2))),
                    (x.wrapping_sub(y), zero_test::<T>(pad, Reg::R1, |a| a.binop(BinOp::Sub, Reg::R1, Reg::R2))),
                    (x & y, zero_test::<T>(pad, Reg::R1, |a| a.binop(BinOp::And, Reg::R1, Reg::R2))),
                    (x ^ y, zero_test::<T>(pad, Reg::R1, |a| a.binop(BinOp::Xor, Reg::R1, Reg::R2))),
                    (x.wrapping_mul(y), zero_test::<T>(pad, Reg::R1, |a| a.binop(BinOp::Mul, Reg::R1, Reg::R2))),
                    (x.wrapping_neg(), zero_test::<T>(pad, Reg::R1, |a| a.neg(Reg::R1))),
                    (!x, zero_test::<T>(pad, Reg::R1, |a| a.not(Reg::R1))),
                    (x.wrapping_sub(1), zero_test::<T>(pad, Reg::R1, |a| a.binop_imm(BinOp::Sub, Reg::R1, 1, Reg::R3))),
                    (
                        shift_ref(ShiftOp::Shl, x, y),
                        zero_test::<T>(pad, Reg::R1, |a| a.shift(ShiftOp::Shl, Reg::R1, Reg::R2)),
                    ),
                    // `mov` + constant shift: fused into one three-operand shift.
                    (
                        x >> 4,
                        zero_test::<T>(pad, Reg::R3, |a| {
                            a.mov_reg(Reg::R3, Reg::R1);
                            a.shift_imm(ShiftOp::Shr, Reg::R3, 4, Reg::R2);
                        }),
                    ),
                    (
                        x << 31,
                        zero_test::<T>(pad, Reg::R5, |a| {
                            a.mov_reg(Reg::R5, Reg::R1);
                            a.shift_imm(ShiftOp::Shl, Reg::R5, 31, Reg::R2);
                        }),
                    ),
                    (
                        ((x as i32) >> 7) as u32,
                        zero_test::<T>(pad, Reg::R2, |a| {
                            a.mov_reg(Reg::R2, Reg::R1);
                            a.shift_imm(ShiftOp::Sar, Reg::R2, 7, Reg::R3);
                        }),
                    ),
                ];
                for (i, (v, f)) in cases.iter().enumerate() {
                    assert_eq!(
                        run::<T>(f, [0, x, y, 0], vec![]),
                        want(*v),
                        "{:?} case {i} pad {pad} x {x:#x} y {y:#x}",
                        T::ARCH
                    );
                }
            }
        }
    }
}
per_arch!(zero_tests, zero_tests);

fn table_reloaded_from_its_source<T: Target>() {
    // The table address loaded from a context (r5 = first argument, word 2)
    // and a mix of calls: ARMv6-M reloads r7 from the context after each
    // `blx r7` (no copy in r8), and calls whose r2/r3 are free go through them.
    let mut a = ThumbAsm::<T>::new();
    a.prologue(1);
    a.mov_reg(Reg::R5, Reg::R0);
    a.load(Width::Word, Reg::R7, Reg::R5, 2);
    a.mov_imm(Reg::R4, 0);
    for k in 0..3 {
        a.mov_imm(Reg::R0, k);
        a.mov_imm(Reg::R1, 10);
        a.mov_imm(Reg::R2, 20);
        a.mov_imm(Reg::R3, 30);
        a.call_table(k as usize);
        a.binop(BinOp::Add, Reg::R4, Reg::R0);
        // Only r0 set: r2/r3 free.
        a.mov_imm(Reg::R0, 1000);
        a.call_table(k as usize);
        a.binop(BinOp::Add, Reg::R4, Reg::R0);
    }
    a.mov_reg(Reg::R0, Reg::R4);
    a.epilogue();
    let f = a.finish().unwrap();
    let helper = |k: u32| -> Helper { Rc::new(move |_uc, args| args[0].wrapping_add(args[1]).wrapping_mul(k + 1)) };
    let mut uc = emu::machine(T::ARCH, &f.code, vec![helper(0), helper(1), helper(2)]);
    uc.mem_write(DATA + 8, &(TABLE as u32).to_le_bytes()).unwrap();
    // After a call, r1 is the junk the emulated helper leaves there.
    let want = (0..3u32).fold(0u32, |s, k| {
        s.wrapping_add((k + 10) * (k + 1)).wrapping_add(1000u32.wrapping_add(0xDEAD_0001).wrapping_mul(k + 1))
    });
    assert_eq!(emu::call(&mut uc, f.entry, [DATA as u32, 0, 0, 0]), want, "{:?}", T::ARCH);
}
per_arch!(table_reloaded_from_its_source, table_reloaded_from_its_source);

fn byte_tests<T: Target>() {
    // Bool tests of loaded bytes, forward and backward: each byte value of
    // the data decides like its truth value.
    for byte in [0u8, 1, 2, 0x80, 0xFF] {
        let f = build::<T>(1, |a| {
            let (yes, done, top, out) = (a.new_label(), a.new_label(), a.new_label(), a.new_label());
            a.mov_imm(Reg::R1, DATA as i64);
            a.load(Width::U8, Reg::R0, Reg::R1, 0);
            a.jump_if_nonzero(Reg::R0, true, yes);
            a.mov_imm(Reg::R5, 10);
            a.jump(done);
            a.bind(yes);
            a.mov_imm(Reg::R5, 20);
            a.bind(done);
            // Backward: loops while the byte is zero, at most 3 times.
            a.mov_imm(Reg::R6, 3);
            a.bind(top);
            a.mov_imm(Reg::R2, 1);
            a.binop(BinOp::Add, Reg::R5, Reg::R2);
            a.binop(BinOp::Sub, Reg::R6, Reg::R2);
            a.jump_if_zero(Reg::R6, false, out);
            a.mov_imm(Reg::R2, 0);
            a.load_indexed(Width::U8, Reg::R0, Reg::R1, Reg::R2);
            a.jump_if_zero(Reg::R0, true, top);
            a.bind(out);
            a.mov_reg(Reg::R0, Reg::R5);
        });
        let mut uc = emu::machine(T::ARCH, &f.code, vec![]);
        uc.mem_write(DATA, &[byte]).unwrap();
        let want = if byte != 0 { 21 } else { 13 };
        assert_eq!(emu::call(&mut uc, f.entry, [0; 4]), want, "{:?} {byte:#x}", T::ARCH);
    }
}
per_arch!(byte_tests, byte_tests);
