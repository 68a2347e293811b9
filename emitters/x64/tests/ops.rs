//! Each `Asm` operation of the x86-64 backend, executed.

mod common;

use common::{build, XorShift, USABLE};
use ferropy_emit_native::{Asm, AsmError, BinOp, Cond, ShiftOp, Width};
use ferropy_emit_x64::{Reg, X64Asm};

fn binop_ref(op: BinOp, a: u64, b: u64) -> u64 {
    match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
    }
}

#[test]
fn binops_with_wraparound_on_many_registers() {
    let ops = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor];
    let values = [(u64::MAX, 1), (i64::MIN as u64, u64::MAX), (0x1234_5678_9ABC_DEF0, 0x0FED_CBA9_8765_4321), (7, 9)];
    for op in ops {
        for (dst, src) in [(Reg::Rax, Reg::Rsi), (Reg::R12, Reg::R13), (Reg::Rbx, Reg::R9), (Reg::R11, Reg::Rdx)] {
            let f = build(1, |a| {
                a.mov_reg(dst, Reg::Rdi);
                a.mov_reg(src, Reg::Rsi);
                a.binop(op, dst, src);
                a.mov_reg(Reg::Rax, dst);
            });
            for (x, y) in values {
                assert_eq!(f.call(x, y, 0, 0), binop_ref(op, x, y), "{op:?} {dst} {src} {x:#x} {y:#x}");
            }
        }
        let f = build(1, |a| {
            a.mov_reg(Reg::Rax, Reg::Rdi);
            a.binop(op, Reg::Rax, Reg::Rsi);
        });
        let m = match op {
            BinOp::Mul => "imul",
            other => match other {
                BinOp::Add => "add",
                BinOp::Sub => "sub",
                BinOp::And => "and",
                BinOp::Or => "or",
                _ => "xor",
            },
        };
        f.assert_mnemonics(&["push", "mov", m, "pop", "ret"]);
    }
}

#[test]
fn same_register_operands() {
    let f = build(1, |a| {
        a.mov_reg(Reg::R13, Reg::Rdi);
        a.binop(BinOp::Mul, Reg::R13, Reg::R13);
        a.mov_reg(Reg::Rax, Reg::R13);
    });
    assert_eq!(f.call(12, 0, 0, 0), 144);
}

#[test]
fn neg_and_not() {
    let f = build(1, |a| {
        a.mov_reg(Reg::R9, Reg::Rdi);
        a.neg(Reg::R9);
        a.mov_reg(Reg::Rax, Reg::R9);
    });
    assert_eq!(f.call(5, 0, 0, 0), (-5i64) as u64);
    assert_eq!(f.call(i64::MIN as u64, 0, 0, 0), i64::MIN as u64);
    f.assert_mnemonics(&["neg"]);
    let g = build(1, |a| {
        a.mov_reg(Reg::Rax, Reg::Rdi);
        a.not(Reg::Rax);
    });
    assert_eq!(g.call(0, 0, 0, 0), u64::MAX);
    assert_eq!(g.call(0xF0, 0, 0, 0), !0xF0u64);
    g.assert_mnemonics(&["not"]);
}

#[test]
fn shifts_with_every_count_register_arrangement() {
    let cases =
        [(Reg::Rax, Reg::Rsi), (Reg::Rcx, Reg::Rsi), (Reg::Rax, Reg::Rcx), (Reg::Rcx, Reg::Rcx), (Reg::R12, Reg::R8)];
    for op in [ShiftOp::Shl, ShiftOp::Shr, ShiftOp::Sar] {
        for (dst, count) in cases {
            let f = build(1, |a| {
                // rdx keeps a marker that must survive (and rcx a known value when it is not involved).
                a.mov_reg(count, Reg::Rsi);
                if dst != count {
                    a.mov_reg(dst, Reg::Rdi);
                }
                if dst != Reg::Rcx && count != Reg::Rcx {
                    a.mov_imm(Reg::Rcx, 99);
                }
                a.shift(op, dst, count);
                if dst != Reg::Rcx && count != Reg::Rcx {
                    // rcx must be unchanged: fold it into the result check.
                    a.mov_imm(Reg::Rdx, 99);
                    let ok = a.new_label();
                    a.jump_if_eq(Reg::Rcx, Reg::Rdx, ok);
                    a.mov_imm(dst, 0xBAD);
                    a.bind(ok);
                }
                a.mov_reg(Reg::Rax, dst);
            });
            for (x, n) in [(0x8000_0000_0000_00F1u64, 4u64), (u64::MAX, 63), (1, 0), (0x1234, 1)] {
                let input = if dst == count { n } else { x };
                let want = match op {
                    ShiftOp::Shl => input << (n & 63),
                    ShiftOp::Shr => input >> (n & 63),
                    ShiftOp::Sar => ((input as i64) >> (n & 63)) as u64,
                };
                assert_eq!(f.call(x, n, 0, 0), want, "{op:?} {dst} by {count}: {x:#x} {n}");
            }
            let m = match op {
                ShiftOp::Shl => "shl",
                ShiftOp::Shr => "shr",
                ShiftOp::Sar => "sar",
            };
            f.assert_mnemonics(&[m]);
        }
    }
}

#[test]
fn set_cond_signed_and_unsigned() {
    let pairs = [(0u64, 0u64), (1, 2), (2, 1), (u64::MAX, 0), (0, u64::MAX), (i64::MIN as u64, i64::MAX as u64)];
    for cond in Cond::ALL {
        for (dst, ra, rb) in
            [(Reg::Rax, Reg::Rdi, Reg::Rsi), (Reg::Rsi, Reg::Rdi, Reg::Rsi), (Reg::Rdi, Reg::Rdi, Reg::R10)]
        {
            let f = build(1, |a| {
                a.mov_reg(ra, Reg::Rdi);
                a.mov_reg(rb, Reg::Rsi);
                a.mov_imm(dst, -1);
                // dst may alias a or b only as arranged above; restore the operands if clobbered.
                a.mov_reg(ra, Reg::Rdx);
                a.mov_reg(rb, Reg::Rcx);
                a.set_cond(cond, dst, ra, rb);
                a.mov_reg(Reg::Rax, dst);
            });
            for (x, y) in pairs {
                assert_eq!(f.call(0, 0, x, y), cond.eval(x, y) as u64, "{cond:?} {dst} {x:#x} {y:#x}");
            }
            f.assert_mnemonics(&["cmp", "movzx"]);
        }
    }
}

#[test]
fn immediates_of_every_size() {
    let values =
        [0i64, 1, -1, 0x7FFF_FFFF, 0xFFFF_FFFF, i32::MIN as i64, 0x1_0000_0000, i64::MIN, i64::MAX, -0x0012_3456_789A];
    for dst in USABLE {
        let f = build(1, |a| {
            for v in values.iter() {
                a.mov_imm(dst, *v);
                let skip = a.new_label();
                a.jump_if_nonzero(Reg::Rdi, false, skip);
                a.mov_reg(Reg::Rax, dst);
                a.epilogue();
                a.bind(skip);
                a.mov_imm(Reg::Rdx, 1);
                a.binop(BinOp::Sub, Reg::Rdi, Reg::Rdx);
            }
            a.mov_imm(Reg::Rax, 0xDEAD);
        });
        for (i, v) in values.iter().enumerate() {
            // Argument i: count down i times, then return the i-th value.
            if dst == Reg::Rdi || dst == Reg::Rcx || dst == Reg::Rdx {
                continue;
            }
            assert_eq!(f.call(i as u64, 0, 0, 0), *v as u64, "{dst} {v:#x}");
        }
    }
}

#[test]
fn loads_zero_extend_and_stores_keep_low_bits() {
    let mut buf = [0u8; 64];
    for (i, b) in buf.iter_mut().enumerate() {
        *b = 0x80 | i as u8;
    }
    let base = buf.as_ptr() as u64;
    for (width, size) in [(Width::U8, 1usize), (Width::U16, 2), (Width::U32, 4), (Width::Word, 8)] {
        let read = |at: usize| -> u64 {
            let mut v = [0u8; 8];
            v[..size].copy_from_slice(&buf[at..at + size]);
            u64::from_le_bytes(v)
        };
        for (dst, b) in [(Reg::Rax, Reg::Rdi), (Reg::Rsi, Reg::R12), (Reg::R13, Reg::Rbp), (Reg::R9, Reg::R13)] {
            let f = build(1, |a| {
                a.mov_reg(b, Reg::Rdi);
                a.mov_imm(dst, -1);
                a.load(width, dst, b, 3);
                a.mov_reg(Reg::Rax, dst);
            });
            assert_eq!(f.call(base, 0, 0, 0), read(3 * size), "{width:?} {dst} [{b}]");
            let g = build(1, |a| {
                a.mov_reg(b, Reg::Rdi);
                a.mov_imm(dst, -1);
                a.load(width, dst, b, 0);
                a.mov_reg(Reg::Rax, dst);
            });
            assert_eq!(g.call(base, 0, 0, 0), read(0), "{width:?} {dst} [{b}] offset 0");
        }
        for (dst, b, idx) in
            [(Reg::Rax, Reg::Rdi, Reg::Rsi), (Reg::R8, Reg::R13, Reg::R12), (Reg::Rcx, Reg::Rbp, Reg::R9)]
        {
            let f = build(1, |a| {
                a.mov_reg(idx, Reg::Rsi);
                a.mov_reg(b, Reg::Rdi);
                a.load_indexed(width, dst, b, idx);
                a.mov_reg(Reg::Rax, dst);
            });
            for i in [0usize, 1, 5] {
                assert_eq!(f.call(base, i as u64, 0, 0), read(i * size), "{width:?} [{b}+{idx}*{size}]");
            }
        }
    }
    let mnem = build(1, |a| {
        a.load(Width::U8, Reg::Rax, Reg::Rdi, 0);
        a.load(Width::U16, Reg::Rax, Reg::Rdi, 0);
    });
    mnem.assert_mnemonics(&["movzx"]);

    for (width, size) in [(Width::U8, 1usize), (Width::U16, 2), (Width::U32, 4), (Width::Word, 8)] {
        for (src, b) in [(Reg::Rsi, Reg::Rdi), (Reg::Rdi, Reg::R12), (Reg::R13, Reg::Rbp)] {
            let mut out = [0x55u8; 48];
            let f = build(1, |a| {
                a.mov_reg(Reg::Rax, Reg::Rdi);
                a.mov_reg(Reg::Rcx, Reg::Rsi);
                a.mov_reg(b, Reg::Rax);
                a.mov_reg(src, Reg::Rcx);
                a.store(width, src, b, 2);
            });
            f.call(out.as_mut_ptr() as u64, 0x1122_3344_5566_7788, 0, 0);
            let mut want = [0x55u8; 48];
            want[2 * size..3 * size].copy_from_slice(&0x1122_3344_5566_7788u64.to_le_bytes()[..size]);
            assert_eq!(out, want, "store {width:?} {src} [{b}]");

            let mut out = [0x55u8; 48];
            let g = build(1, |a| {
                a.mov_reg(Reg::R8, Reg::Rdx);
                a.mov_reg(Reg::Rax, Reg::Rdi);
                a.mov_reg(Reg::Rcx, Reg::Rsi);
                a.mov_reg(b, Reg::Rax);
                a.mov_reg(src, Reg::Rcx);
                a.store_indexed(width, src, b, Reg::R8);
            });
            g.call(out.as_mut_ptr() as u64, 0xA1B2_C3D4_E5F6_0718, 4, 0);
            let mut want = [0x55u8; 48];
            want[4 * size..5 * size].copy_from_slice(&0xA1B2_C3D4_E5F6_0718u64.to_le_bytes()[..size]);
            assert_eq!(out, want, "store_indexed {width:?} {src} [{b}]");
        }
    }
}

#[test]
fn loop_with_backward_and_forward_jumps() {
    // sum = 0; i = n; while i != 0 { sum += i; i -= 1 }; return sum
    let f = build(1, |a| {
        let top = a.new_label();
        let done = a.new_label();
        a.mov_imm(Reg::Rax, 0);
        a.mov_imm(Reg::Rdx, 1);
        a.bind(top);
        a.jump_if_zero(Reg::Rdi, false, done);
        a.binop(BinOp::Add, Reg::Rax, Reg::Rdi);
        a.binop(BinOp::Sub, Reg::Rdi, Reg::Rdx);
        a.jump(top);
        a.bind(done);
    });
    for n in [0u64, 1, 10, 1000] {
        assert_eq!(f.call(n, 0, 0, 0), n * (n + 1) / 2);
    }
    f.assert_mnemonics(&["test", "je", "jmp"]);
}

#[test]
fn bool_test_looks_at_the_low_byte_only() {
    for bool_test in [false, true] {
        let f = build(1, |a| {
            let nonzero = a.new_label();
            a.mov_imm(Reg::Rax, 1);
            a.jump_if_nonzero(Reg::Rsi, bool_test, nonzero);
            a.mov_imm(Reg::Rax, 0);
            a.bind(nonzero);
        });
        assert_eq!(f.call(0, 0x100, 0, 0), !bool_test as u64);
        assert_eq!(f.call(0, 1, 0, 0), 1);
        assert_eq!(f.call(0, 0, 0, 0), 0);
        f.assert_mnemonics(&["test", "jne"]);
    }
}

#[test]
fn jump_if_eq_compares_whole_words() {
    let f = build(1, |a| {
        let equal = a.new_label();
        a.mov_imm(Reg::Rax, 1);
        a.jump_if_eq(Reg::Rdi, Reg::Rsi, equal);
        a.mov_imm(Reg::Rax, 0);
        a.bind(equal);
    });
    assert_eq!(f.call(5, 5, 0, 0), 1);
    assert_eq!(f.call(5, 5 | 1 << 40, 0, 0), 0);
}

static CALLS_ALIGNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

#[repr(align(16))]
struct Aligned(#[allow(dead_code)] u64);

fn check_alignment() {
    let probe = Aligned(0);
    if std::hint::black_box(&probe) as *const Aligned as usize % 16 != 0 {
        CALLS_ALIGNED.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

extern "C" fn rt_add3(a: u64, b: u64, c: u64) -> u64 {
    check_alignment();
    a.wrapping_add(b).wrapping_add(c)
}

extern "C" fn rt_mul_sub(a: u64, b: u64, c: u64, d: u64, e: u64) -> u64 {
    check_alignment();
    a.wrapping_mul(b).wrapping_sub(c).wrapping_sub(d).wrapping_sub(e)
}

extern "C" fn rt_clobber() -> u64 {
    check_alignment();
    std::hint::black_box(7)
}

#[test]
fn calls_through_the_function_table_keep_slots_and_locals() {
    let table: [usize; 3] = [
        rt_add3 as extern "C" fn(u64, u64, u64) -> u64 as usize,
        rt_mul_sub as extern "C" fn(u64, u64, u64, u64, u64) -> u64 as usize,
        rt_clobber as extern "C" fn() -> u64 as usize,
    ];
    for n_slots in [2usize, 3, 4] {
        let f = build(n_slots, |a| {
            a.mov_reg(X64Asm::FUN_TABLE, Reg::Rdi);
            a.store_slot(0, Reg::Rsi);
            a.store_slot(1, Reg::Rdx);
            a.mov_imm(X64Asm::LOCALS[0], 1000);
            a.mov_imm(X64Asm::LOCALS[1], 2000);
            a.mov_imm(X64Asm::LOCALS[2], 3000);
            // add3(x, y, 5)
            a.load_slot(X64Asm::CALL_ARGS[0], 0);
            a.load_slot(X64Asm::CALL_ARGS[1], 1);
            a.mov_imm(X64Asm::CALL_ARGS[2], 5);
            a.call_table(0);
            a.store_slot(1, X64Asm::RET);
            a.call_table(2);
            // mul_sub(add3 result, x, local0, local1, local2)
            a.load_slot(X64Asm::CALL_ARGS[0], 1);
            a.load_slot(X64Asm::CALL_ARGS[1], 0);
            a.mov_reg(X64Asm::CALL_ARGS[2], X64Asm::LOCALS[0]);
            a.mov_reg(X64Asm::CALL_ARGS[3], X64Asm::LOCALS[1]);
            a.mov_reg(X64Asm::CALL_ARGS[4], X64Asm::LOCALS[2]);
            a.call_table(1);
        });
        let (x, y) = (11u64, 22u64);
        assert_eq!(f.call(table.as_ptr() as u64, x, y, 0), ((x + y + 5) * x).wrapping_sub(6000), "{n_slots} slots");
        f.assert_mnemonics(&["call", "push", "sub", "add", "pop"]);
    }
    assert!(CALLS_ALIGNED.load(std::sync::atomic::Ordering::SeqCst), "stack misaligned at a table call");
}

#[test]
fn slot_addresses_alias_slots() {
    let f = build(3, |a| {
        a.store_slot(2, Reg::Rdi);
        a.slot_addr(Reg::R12, 2);
        a.load(Width::U8, Reg::Rax, Reg::R12, 1);
        a.store(Width::U8, Reg::Rsi, Reg::R12, 0);
        a.load_slot(Reg::Rdx, 2);
        a.binop(BinOp::Add, Reg::Rax, Reg::Rdx);
    });
    assert_eq!(f.call(0x1234, 0x99, 0, 0), 0x12 + 0x1299);
    f.assert_mnemonics(&["lea"]);
}

#[test]
fn label_addresses_reach_code_and_data() {
    let f = build(1, |a| {
        let target = a.new_label();
        let table = a.new_label();
        a.label_addr(Reg::Rcx, target);
        a.jump_reg(Reg::Rcx);
        a.mov_imm(Reg::Rax, 0xBAD);
        a.epilogue();
        a.bind(target);
        a.label_addr(Reg::R9, table);
        a.load_indexed(Width::U16, Reg::Rax, Reg::R9, Reg::Rdi);
        a.epilogue();
        a.align(8);
        a.bind(table);
        a.data(&[0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
    });
    assert_eq!(f.call(0, 0, 0, 0), 0x2211);
    assert_eq!(f.call(2, 0, 0, 0), 0x6655);
    let table_at = f.finished.labels[1].expect("bound");
    assert_eq!(table_at % 8, 0);
    f.assert_mnemonics(&["lea", "jmp"]);
}

#[test]
fn errors_are_reported_by_finish() {
    let mut a = X64Asm::new();
    a.prologue(2);
    a.load_slot(Reg::Rax, 2);
    a.epilogue();
    assert_eq!(a.finish().unwrap_err(), AsmError::SlotOutOfRange(2));

    let mut a = X64Asm::new();
    a.store_slot(0, Reg::Rax);
    assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);

    let mut a = X64Asm::new();
    a.prologue(0);
    let l = a.new_label();
    a.jump(l);
    a.epilogue();
    assert_eq!(a.finish().unwrap_err(), AsmError::UnboundLabel(0));

    let mut a = X64Asm::new();
    a.prologue(0);
    a.load_indexed(Width::U8, Reg::Rax, Reg::Rdi, Reg::Rsp);
    assert_eq!(a.finish().unwrap_err(), AsmError::InvalidRegister(4));

    let mut a = X64Asm::new();
    a.prologue(0);
    a.load(Width::Word, Reg::Rax, Reg::Rdi, i32::MAX);
    assert_eq!(a.finish().unwrap_err(), AsmError::OffsetOutOfRange(i32::MAX as i64 * 8));

    let mut a = X64Asm::new();
    a.call_table(usize::MAX / 2);
    assert_eq!(a.finish().unwrap_err(), AsmError::TableIndexOutOfRange(usize::MAX / 2));

    let mut a = X64Asm::new();
    a.prologue(0);
    a.prologue(0);
    assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);
}

#[test]
fn random_registers_encode_consistently() {
    // Every usable register pair through mov/add, checked against the data flow.
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for dst in USABLE {
        for src in USABLE {
            let (x, y) = (rng.word(), rng.word());
            let f = build(1, |a| {
                a.mov_imm(src, y as i64);
                a.mov_imm(dst, x as i64);
                a.binop(BinOp::Add, dst, src);
                a.mov_reg(Reg::Rax, dst);
            });
            // With dst == src the second immediate overwrites the first.
            let want = if dst == src { x.wrapping_add(x) } else { x.wrapping_add(y) };
            assert_eq!(f.call(0, 0, 0, 0), want, "{dst} += {src}");
        }
    }
}

#[test]
fn immediate_forms_execute_like_their_register_forms() {
    let ops = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor];
    for op in ops {
        for value in [0, 1, -2, 127, 128, -129, 0x1234_5678, i32::MIN] {
            let f = build(1, |a| {
                a.mov_reg(Reg::R12, Reg::Rdi);
                a.binop_imm(op, Reg::R12, value, Reg::Rdx);
                a.mov_reg(Reg::Rax, Reg::R12);
            });
            for x in [0u64, 5, u64::MAX, 0x8000_0000] {
                assert_eq!(f.call(x, 0, 0, 0), binop_ref(op, x, value as i64 as u64), "{op:?} {x:#x} {value}");
            }
        }
    }
    for (op, count) in
        [(ShiftOp::Shl, 1u8), (ShiftOp::Shl, 32), (ShiftOp::Shr, 63), (ShiftOp::Sar, 33), (ShiftOp::Sar, 1)]
    {
        let f = build(1, |a| {
            a.mov_reg(Reg::Rax, Reg::Rdi);
            a.shift_imm(op, Reg::Rax, count, Reg::Rdx);
        });
        let x = 0xF000_0000_8000_0003u64;
        let want = match op {
            ShiftOp::Shl => x << count,
            ShiftOp::Shr => x >> count,
            ShiftOp::Sar => ((x as i64) >> count) as u64,
        };
        assert_eq!(f.call(x, 0, 0, 0), want, "{op:?} {count}");
    }
    // jump_if_eq_imm / jump_if_bit_clear: 1 when taken, else 0.
    for (value, x) in [(0x1E, 0x1Eu64), (0x1E, 0x0E), (-1, u64::MAX), (-1, 0xFFFF_FFFF)] {
        let f = build(1, |a| {
            let l = a.new_label();
            a.mov_imm(Reg::Rax, 1);
            a.jump_if_eq_imm(Reg::Rdi, value, Reg::Rdx, l);
            a.mov_imm(Reg::Rax, 0);
            a.bind(l);
        });
        assert_eq!(f.call(x, 0, 0, 0), u64::from(x == value as i64 as u64), "{value} {x:#x}");
    }
    for bit in [0u8, 7, 8, 40] {
        let f = build(1, |a| {
            let l = a.new_label();
            a.mov_imm(Reg::Rax, 1);
            a.jump_if_bit_clear(Reg::Rdi, bit, Reg::Rdx, l);
            a.mov_imm(Reg::Rax, 0);
            a.bind(l);
        });
        for x in [0u64, 1 << bit, !(1u64 << bit), u64::MAX] {
            assert_eq!(f.call(x, 0, 0, 0), u64::from(x & (1 << bit) == 0), "{bit} {x:#x}");
        }
    }
}

#[test]
fn local_subroutines_return_and_discard() {
    // The subroutine adds its own return address's distance from a label
    // to rax; then returns (rdi = 0) or leaves through local_discard (rdi != 0).
    let f = build(1, |a| {
        let (sub, after, out) = (a.new_label(), a.new_label(), a.new_label());
        a.mov_imm(Reg::Rax, 0);
        a.call_local(sub);
        a.bind(after);
        a.mov_imm(Reg::Rdx, 100);
        a.binop(BinOp::Add, Reg::Rax, Reg::Rdx);
        a.jump(out);
        a.bind(sub);
        a.local_entry(Reg::Rcx);
        a.label_addr(Reg::Rdx, after);
        a.binop(BinOp::Sub, Reg::Rcx, Reg::Rdx);
        a.binop(BinOp::Add, Reg::Rax, Reg::Rcx);
        a.mov_imm(Reg::Rax, 7);
        let leave = a.new_label();
        a.jump_if_nonzero(Reg::Rdi, false, leave);
        a.local_return();
        a.bind(leave);
        a.local_discard();
        a.bind(out);
    });
    assert_eq!(f.call(0, 0, 0, 0), 107);
    assert_eq!(f.call(1, 0, 0, 0), 7);
}
