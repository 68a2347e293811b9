//! Encoder tests: every instruction form `ThumbAsm` produces, over sweeps of
//! registers and immediates (boundaries included), disassembled with capstone
//! (Thumb, M-class) and compared with the intended instruction text.

mod common;

use common::{dis, expect, finish, imm, mimm, texts, usable};
use ferropy_emit_native::{Asm, AsmError, BinOp, Cond, ShiftOp, Width};
use ferropy_emit_thumb::arch::targets::{V6m, V7em, V7emdp, V7emsp, V7m};
use ferropy_emit_thumb::{Arch, Reg, Target, ThumbAsm};

fn v7<T: Target>() -> bool {
    T::ARCH.thumb2()
}

fn cc(cond: Cond) -> &'static str {
    match cond {
        Cond::Eq => "eq",
        Cond::Ne => "ne",
        Cond::LtS => "lt",
        Cond::LeS => "le",
        Cond::GtS => "gt",
        Cond::GeS => "ge",
        Cond::LtU => "lo",
        Cond::LeU => "ls",
        Cond::GtU => "hi",
        Cond::GeU => "hs",
    }
}

fn inv(c: &str) -> &'static str {
    const PAIRS: [(&str, &str); 10] = [
        ("eq", "ne"),
        ("ne", "eq"),
        ("lt", "ge"),
        ("ge", "lt"),
        ("le", "gt"),
        ("gt", "le"),
        ("lo", "hs"),
        ("hs", "lo"),
        ("ls", "hi"),
        ("hi", "ls"),
    ];
    PAIRS.iter().find(|(a, _)| *a == c).map(|(_, b)| *b).unwrap_or("?")
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// A modified immediate (Thumb-2 `ThumbExpandImm`), by brute force over the encodings.
fn is_modified(v: u32) -> bool {
    (0..4096u32).any(|e| {
        let b = e & 0xFF;
        let x = if e >> 10 == 0 {
            match e >> 8 & 3 {
                0 => b,
                1 => b << 16 | b,
                2 => b << 24 | b << 8,
                _ => b * 0x0101_0101,
            }
        } else {
            (0x80 | (e & 0x7F)).rotate_right(e >> 7)
        };
        x == v
    })
}

/// The instructions expected for `mov_imm(r, v)`, and the literal value if any.
fn mov_imm_text<T: Target>(r: Reg, v: u32) -> (Vec<String>, Option<u32>) {
    let n = r.name();
    if r.is_low() && v <= 255 {
        return (vec![format!("movs {n}, {}", imm(v.into()))], None);
    }
    if v7::<T>() {
        if is_modified(v) {
            (vec![format!("mov.w {n}, {}", imm(i64::from(v as i32)))], None)
        } else if is_modified(!v) {
            (vec![format!("mvn {n}, {}", imm(i64::from(!v)))], None)
        } else if v <= 0xFFFF {
            (vec![format!("movw {n}, {}", imm(v.into()))], None)
        } else if let Some(sh) =
            Some((v & !0xFF).trailing_zeros()).filter(|&sh| r.is_low() && sh >= 8 && (v & !0xFF) >> sh <= 255)
        {
            let lo = v & 0xFF;
            (
                vec![
                    format!("movs {n}, {}", imm(((v & !0xFF) >> sh).into())),
                    format!("lsls {n}, {n}, {}", imm(sh.into())),
                    format!("adds {n}, {}", imm(lo.into())),
                ],
                None,
            )
        } else {
            (
                vec![format!("movw {n}, {}", imm((v & 0xFFFF).into())), format!("movt {n}, {}", imm((v >> 16).into()))],
                None,
            )
        }
    } else if !v <= 255 {
        (vec![format!("movs {n}, {}", imm((!v).into())), format!("mvns {n}, {n}")], None)
    } else if let Some(sh) = (1..=24).find(|&sh| v >> sh <= 255 && (v >> sh) << sh == v) {
        (vec![format!("movs {n}, {}", imm((v >> sh).into())), format!("lsls {n}, {n}, {}", imm(sh.into()))], None)
    } else {
        (vec![format!("ldr {n}, [pc, #_]")], Some(v))
    }
}

const IMMS: [i64; 29] = [
    0x0002_00D7,
    0xAB00_0012,
    0x0100_00FF,
    0,
    1,
    9,
    10,
    255,
    256,
    257,
    0x3FC,
    0xFF00,
    0xFFFF,
    0x1_0000,
    0x1_2345,
    0x00AB_00AB,
    0xAB00_AB00,
    0x1234_5678,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFF,
    -1,
    -2,
    -255,
    -256,
    -257,
    -0x1_0000,
    -0x8000_0000,
    0xFF00_0000,
];

fn mov_imm_forms<T: Target>() {
    for r in usable::<T>() {
        for v in IMMS {
            let v32 = v as u32;
            let (want, lit) = mov_imm_text::<T>(r, v32);
            let f = finish::<T>(|a| a.mov_imm(r, v));
            let have = texts(&f.code);
            // ARMv6-M loads of r7 are copied to r8 (the table copy).
            let mut want = want;
            if !v7::<T>() && r == Reg::R7 {
                want.push("mov r8, r7".into());
            }
            let n = want.len();
            assert_eq!(have.get(..n), Some(&want[..]), "{:?} {r} {v:#x}", T::ARCH);
            if let Some(lit) = lit {
                // The literal follows the code, word-aligned, and the load reaches it.
                let at = f.code.len() - 4;
                assert_eq!(f.code[at..], lit.to_le_bytes());
                let ldr = u16::from_le_bytes([f.code[0], f.code[1]]);
                assert_eq!(usize::from(ldr & 0xFF) * 4 + 4, at, "{r} {v:#x}");
            }
        }
    }
}

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

per_arch!(mov_imm, mov_imm_forms);

fn mov_reg_forms<T: Target>() {
    for d in usable::<T>() {
        for src in usable::<T>() {
            let mut want = if d == src { vec![] } else { vec![format!("mov {d}, {src}")] };
            if !v7::<T>() && d == Reg::R7 && d != src {
                want.push("mov r8, r7".into());
            }
            // A move into `r4-r6` that nothing reads is dropped; read, it stays.
            let callee_saved = matches!(d, Reg::R4 | Reg::R5 | Reg::R6);
            if callee_saved {
                expect::<T>(|a| a.mov_reg(d, src), &[]);
                want.push(format!("rsbs {d}, {d}, #0"));
            }
            expect::<T>(
                |a| {
                    a.mov_reg(d, src);
                    if callee_saved {
                        a.neg(d);
                    }
                },
                &want,
            );
        }
    }
}
per_arch!(mov_reg, mov_reg_forms);

fn binop_forms<T: Target>() {
    let ops = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor];
    for op in ops {
        for d in usable::<T>() {
            for src in usable::<T>() {
                let (dn, sn) = (d.name(), src.name());
                let text = if d.is_low() && src.is_low() {
                    match op {
                        BinOp::Add => format!("adds {dn}, {dn}, {sn}"),
                        BinOp::Sub => format!("subs {dn}, {dn}, {sn}"),
                        BinOp::Mul => format!("muls {dn}, {sn}, {dn}"),
                        BinOp::And => format!("ands {dn}, {sn}"),
                        BinOp::Or => format!("orrs {dn}, {sn}"),
                        BinOp::Xor => format!("eors {dn}, {sn}"),
                    }
                } else {
                    match op {
                        BinOp::Add => format!("add {dn}, {sn}"),
                        BinOp::Sub => format!("sub.w {dn}, {dn}, {sn}"),
                        BinOp::Mul => format!("mul {dn}, {dn}, {sn}"),
                        BinOp::And => format!("and.w {dn}, {dn}, {sn}"),
                        BinOp::Or => format!("orr.w {dn}, {dn}, {sn}"),
                        BinOp::Xor => format!("eor.w {dn}, {dn}, {sn}"),
                    }
                };
                let mut want = vec![text];
                if !v7::<T>() && d == Reg::R7 {
                    want.push("mov r8, r7".into());
                }
                expect::<T>(|a| a.binop(op, d, src), &want);
            }
        }
    }
}
per_arch!(binop, binop_forms);

fn shift_neg_not_forms<T: Target>() {
    for d in usable::<T>() {
        let dn = d.name();
        let tail: Vec<String> = if !v7::<T>() && d == Reg::R7 { vec!["mov r8, r7".into()] } else { vec![] };
        for src in usable::<T>() {
            let sn = src.name();
            for (op, short, long) in
                [(ShiftOp::Shl, "lsls", "lsl.w"), (ShiftOp::Shr, "lsrs", "lsr.w"), (ShiftOp::Sar, "asrs", "asr.w")]
            {
                let text = if d.is_low() && src.is_low() {
                    format!("{short} {dn}, {sn}")
                } else {
                    format!("{long} {dn}, {dn}, {sn}")
                };
                let want: Vec<String> = std::iter::once(text).chain(tail.clone()).collect();
                expect::<T>(|a| a.shift(op, d, src), &want);
            }
        }
        let neg = if d.is_low() { format!("rsbs {dn}, {dn}, #0") } else { format!("rsb.w {dn}, {dn}, #0") };
        expect::<T>(|a| a.neg(d), &std::iter::once(neg).chain(tail.clone()).collect::<Vec<_>>());
        let not = if d.is_low() { format!("mvns {dn}, {dn}") } else { format!("mvn.w {dn}, {dn}") };
        expect::<T>(|a| a.not(d), &std::iter::once(not).chain(tail.clone()).collect::<Vec<_>>());
    }
}
per_arch!(shift_neg_not, shift_neg_not_forms);

fn set_cond_forms<T: Target>() {
    for cond in Cond::ALL {
        let c = cc(cond);
        for (d, x, y) in [(Reg::R0, Reg::R1, Reg::R2), (Reg::R2, Reg::R2, Reg::R3), (Reg::R7, Reg::R0, Reg::R7)]
            .into_iter()
            .chain(if v7::<T>() {
                vec![(Reg::R8, Reg::R9, Reg::R1), (Reg::R11, Reg::R4, Reg::R10), (Reg::R3, Reg::R8, Reg::R0)]
            } else {
                vec![]
            })
        {
            let (dn, xn, yn) = (d.name(), x.name(), y.name());
            let mut want = vec![format!("cmp {xn}, {yn}")];
            if v7::<T>() {
                let w = if d.is_low() { "" } else { ".w" };
                want.push(format!("ite {c}"));
                want.push(format!("mov{c}{w} {dn}, #1"));
                want.push(format!("mov{}{w} {dn}, #0", inv(c)));
            } else {
                want.push(format!("b{c} #8"));
                want.push(format!("movs {dn}, #0"));
                want.push("b #0xa".into());
                want.push(format!("movs {dn}, #1"));
                if d == Reg::R7 {
                    want.push("mov r8, r7".into());
                }
            }
            expect::<T>(|a| a.set_cond(cond, d, x, y), &want);
        }
    }
}
per_arch!(set_cond, set_cond_forms);

/// Pads with `n` bytes of `movs r0, r0`-free filler (`nop`s).
fn pad<T: Target>(a: &mut ThumbAsm<T>, n: usize) {
    for _ in 0..n / 2 {
        a.data(&[0x00, 0xBF]);
    }
}

fn jump_forms<T: Target>() {
    // Forward jumps use the long forms; backward ones the short forms in range.
    for gap in [0usize, 2, 100, 252, 254, 256, 2000, 2044, 2046, 4000, 70_000] {
        // Forward unconditional: short once a pass has shown it reaches.
        let f = finish::<T>(|a| {
            let l = a.new_label();
            a.jump(l);
            pad(a, gap);
            a.bind(l);
        });
        let t = texts(&f.code);
        if gap == 0 {
            // A jump to the next instruction is dropped.
            assert_eq!((f.labels[0], f.code.len()), (Some(0), 0), "{:?}", T::ARCH);
        } else {
            let short = gap <= 2000;
            let target = if short { 2 + gap } else { 4 + gap };
            assert_eq!(f.labels[0], Some(target));
            let want = match (short, v7::<T>()) {
                (true, _) => format!("b {}", imm(target as i64)),
                (false, true) => format!("b.w {}", imm(target as i64)),
                (false, false) => format!("bl {}", imm(target as i64)),
            };
            assert_eq!(t[0], want, "{:?} gap {gap}", T::ARCH);
        }
        // Backward unconditional: `b` within ±2 KB.
        let f = finish::<T>(|a| {
            let l = a.new_label();
            a.bind(l);
            pad(a, gap);
            a.jump(l);
        });
        let t = texts(&f.code);
        let back = gap + 4 <= 2048;
        let want = match (back, v7::<T>()) {
            (true, _) => "b #0".to_string(),
            (false, true) => "b.w #0".to_string(),
            (false, false) => "bl #0".to_string(),
        };
        assert_eq!(t.last().unwrap(), &want, "{:?} gap {gap}", T::ARCH);
        for cond in [Cond::Eq, Cond::LtU, Cond::GeS] {
            let c = "eq";
            // Forward jump_if_eq: 16-bit `beq` once a pass has shown it reaches.
            let f = finish::<T>(|a| {
                let l = a.new_label();
                a.jump_if_eq(Reg::R1, Reg::R2, l);
                pad(a, gap);
                a.bind(l);
            });
            let t = texts(&f.code);
            assert_eq!(t[0], "cmp r1, r2");
            if gap <= 200 {
                assert_eq!(t[1], format!("b{c} {}", imm((4 + gap) as i64)), "gap {gap}");
            } else if v7::<T>() {
                assert_eq!(t[1], format!("b{c}.w {}", imm((6 + gap) as i64)), "gap {gap}");
            } else {
                assert_eq!(t[1..3], [format!("b{} #8", inv(c)), format!("bl {}", imm((8 + gap) as i64))], "gap {gap}");
            }
            // Backward jump_if_eq: 16-bit `beq` within -256..=254.
            let f = finish::<T>(|a| {
                let l = a.new_label();
                a.bind(l);
                pad(a, gap);
                a.jump_if_eq(Reg::R3, Reg::R0, l);
            });
            let t = texts(&f.code);
            let n = t.len();
            let near = gap + 2 + 4 <= 256;
            if near {
                assert_eq!(t[n - 1], format!("b{c} #0"), "gap {gap}");
            } else if v7::<T>() {
                assert_eq!(t[n - 1], format!("b{c}.w #0"), "gap {gap}");
            } else {
                assert_eq!(t[n - 2..], [format!("b{} {}", inv(c), imm((gap + 8) as i64)), "bl #0".to_string()]);
            }
            let _ = cond;
        }
    }
    // Far beyond the 16-bit reach, the long forms resolve exactly.
    let f = finish::<T>(|a| {
        let l = a.new_label();
        a.jump(l);
        pad(a, 300_000);
        a.bind(l);
        a.jump(l);
    });
    let t = texts(&f.code);
    assert_eq!(t[0], format!("{} {}", if v7::<T>() { "b.w" } else { "bl" }, imm(300_004)));
}
per_arch!(jumps, jump_forms);

fn test_jump_forms<T: Target>() {
    for r in usable::<T>() {
        let n = r.name();
        for (zero, bool_test) in [(true, false), (false, false), (true, true), (false, true)] {
            let f = finish::<T>(|a| {
                let l = a.new_label();
                a.bind(l);
                if zero {
                    a.jump_if_zero(r, bool_test, l);
                } else {
                    a.jump_if_nonzero(r, bool_test, l);
                }
            });
            let t = texts(&f.code);
            let mut want = vec![];
            if bool_test {
                if v7::<T>() {
                    want.push(format!("tst.w {n}, #0xff"));
                } else {
                    let s = if r == Reg::R0 { "r1" } else { "r0" };
                    want.extend([format!("push {{{s}}}"), format!("lsls {s}, {n}, #0x18"), format!("pop {{{s}}}")]);
                }
            } else if r.is_low() {
                want.push(format!("cmp {n}, #0"));
            } else {
                want.push(format!("cmp.w {n}, #0"));
            }
            want.push(format!("b{} #0", if zero { "eq" } else { "ne" }));
            assert_eq!(t, want, "{:?} {r}", T::ARCH);
        }
    }
    // After set_cond, the flags decide (ARMv7-M) or the register is known to be 0/1 (ARMv6-M).
    for cond in Cond::ALL {
        let c = cc(cond);
        for zero in [false, true] {
            let t = dis::<T>(|a| {
                let l = a.new_label();
                a.bind(l);
                a.set_cond(cond, Reg::R2, Reg::R0, Reg::R1);
                if zero {
                    a.jump_if_zero(Reg::R2, true, l);
                } else {
                    a.jump_if_nonzero(Reg::R2, true, l);
                }
            });
            if v7::<T>() {
                assert_eq!(t[4], format!("b{} #0", if zero { inv(c) } else { c }));
                assert_eq!(t.len(), 5);
            } else {
                assert_eq!(t[5..], ["cmp r2, #0".to_string(), format!("b{} #0", if zero { "eq" } else { "ne" })]);
            }
        }
        // A label between them (another path may arrive) disables the shortcut.
        let t = dis::<T>(|a| {
            a.set_cond(cond, Reg::R2, Reg::R0, Reg::R1);
            let l = a.new_label();
            a.bind(l);
            a.jump_if_nonzero(Reg::R2, true, l);
        });
        let test = if v7::<T>() { "tst.w r2, #0xff" } else { "pop {r0}" };
        assert!(t.iter().any(|x| x == test), "{t:?}");
    }
}
per_arch!(test_jumps, test_jump_forms);

fn cbz_forms<T: Target>() {
    // A test of a low register for a near forward label is `cbz`/`cbnz` on
    // ARMv7-M; high registers, far labels and ARMv6-M compare and branch.
    for r in usable::<T>() {
        let n = r.name();
        for zero in [true, false] {
            for gap in [0usize, 2, 60, 100, 130, 300] {
                let t = dis::<T>(|a| {
                    let l = a.new_label();
                    if zero {
                        a.jump_if_zero(r, false, l);
                    } else {
                        a.jump_if_nonzero(r, false, l);
                    }
                    pad(a, gap);
                    a.bind(l);
                });
                if v7::<T>() && r.is_low() && (2..=100).contains(&gap) {
                    let name = if zero { "cbz" } else { "cbnz" };
                    assert_eq!(t[0], format!("{name} {n}, {}", imm((2 + gap) as i64)), "gap {gap}");
                } else {
                    assert!(t[0].starts_with("cmp"), "{:?} {r} gap {gap}: {t:?}", T::ARCH);
                }
            }
            // A bool test (only the low byte counts) never uses `cbz`.
            let t = dis::<T>(|a| {
                let l = a.new_label();
                a.jump_if_zero(r, true, l);
                a.bind(l);
            });
            assert!(!t[0].starts_with("cb"), "{t:?}");
        }
    }
    if !v7::<T>() {
        return;
    }
    // Every register and offset, as patched through the fix-up and encoded directly.
    use ferropy_emit_thumb::asm::{patch, Encoder};
    for r in Reg::ALL.into_iter().filter(|r| r.is_low()) {
        for nonzero in [false, true] {
            let name = if nonzero { "cbnz" } else { "cbz" };
            for off in (0..=128usize).step_by(2) {
                let mut e = Encoder::new(T::ARCH);
                let l = e.buf.new_label();
                e.cbz_label(nonzero, r, l);
                for _ in 0..(off + 2) / 2 {
                    e.nop();
                }
                e.buf.bind(l);
                let resolved = e.buf.resolve(patch);
                if off > 126 {
                    assert_eq!(resolved.unwrap_err(), AsmError::BranchOutOfRange(0));
                    continue;
                }
                let (code, _) = resolved.unwrap();
                assert_eq!(texts(&code[..2]), [format!("{name} {}, {}", r.name(), imm(off as i64 + 4))]);
                let mut d = Encoder::new(T::ARCH);
                d.cbz_off(nonzero, r, off as i32);
                assert_eq!(d.buf.bytes(), &code[..2]);
            }
        }
    }
    // A label behind the `cbz` is out of reach.
    let mut e = Encoder::new(T::ARCH);
    let l = e.buf.new_label();
    e.buf.bind(l);
    e.cbz_label(false, Reg::R0, l);
    assert_eq!(e.buf.resolve(patch).unwrap_err(), AsmError::BranchOutOfRange(0));
}
per_arch!(cbz, cbz_forms);

fn byte_test_forms<T: Target>() {
    // A bool test right after a byte load tests the whole register (0..=255).
    for (indexed, zero) in [(false, true), (true, false)] {
        let t = dis::<T>(|a| {
            let l = a.new_label();
            a.bind(l);
            if indexed {
                a.load_indexed(Width::U8, Reg::R0, Reg::R1, Reg::R2);
            } else {
                a.load(Width::U8, Reg::R0, Reg::R1, 3);
            }
            if zero {
                a.jump_if_zero(Reg::R0, true, l);
            } else {
                a.jump_if_nonzero(Reg::R0, true, l);
            }
        });
        let b = if zero { "beq #0" } else { "bne #0" };
        assert_eq!(t[1..], [s(&["cmp r0, #0"]), s(&[b])].concat(), "{:?}", T::ARCH);
    }
    // Forward on ARMv7-M: `cbz`.
    let t = dis::<T>(|a| {
        let l = a.new_label();
        a.load(Width::U8, Reg::R0, Reg::R1, 0);
        a.jump_if_zero(Reg::R0, true, l);
        pad(a, 8);
        a.bind(l);
    });
    assert_eq!(t[1], if v7::<T>() { "cbz r0, #0xc" } else { "cmp r0, #0" }, "{t:?}");
    // Not after a 16-bit load, another register or across a label.
    for case in 0..3 {
        let t = dis::<T>(|a| {
            let l = a.new_label();
            a.bind(l);
            a.load(if case == 0 { Width::U16 } else { Width::U8 }, Reg::R0, Reg::R1, 0);
            if case == 2 {
                let m = a.new_label();
                a.bind(m);
            }
            a.jump_if_zero(if case == 1 { Reg::R2 } else { Reg::R0 }, true, l);
        });
        assert!(!t.iter().any(|x| x.starts_with("cmp")), "{case}: {t:?}");
    }
}
per_arch!(byte_test, byte_test_forms);

fn mem_forms<T: Target>() {
    let widths = [(Width::U8, "b", 0), (Width::U16, "h", 1), (Width::U32, "", 2), (Width::Word, "", 2)];
    let pairs: Vec<(Reg, Reg)> = if v7::<T>() {
        vec![
            (Reg::R0, Reg::R1),
            (Reg::R7, Reg::R6),
            (Reg::R8, Reg::R1),
            (Reg::R2, Reg::R11),
            (Reg::R9, Reg::R9),
            (Reg::R3, Reg::R3),
        ]
    } else {
        vec![(Reg::R0, Reg::R1), (Reg::R7, Reg::R6), (Reg::R3, Reg::R3), (Reg::R5, Reg::R0)]
    };
    for (w, suffix, sh) in widths {
        for load in [true, false] {
            let m = if load { "ldr" } else { "str" };
            for &(rt, rn) in &pairs {
                let (tn, nn) = (rt.name(), rn.name());
                for off in [
                    0i32,
                    1,
                    2,
                    31,
                    32,
                    100,
                    1023,
                    1024,
                    4095 >> sh,
                    (4095 >> sh) + 1,
                    -1,
                    -(255 >> sh),
                    -(255 >> sh) - 1,
                    0x1234,
                    -0x1234,
                    0x12_3456,
                ] {
                    let bytes = i64::from(off) << sh;
                    let short = rt.is_low() && rn.is_low() && (0..=31).contains(&off);
                    let mut want: Vec<String> = vec![];
                    if short {
                        want.push(format!(
                            "{m}{suffix} {tn}, [{nn}{}]",
                            if bytes == 0 { String::new() } else { format!(", {}", imm(bytes)) }
                        ));
                    } else if v7::<T>() {
                        if (0..=4095).contains(&bytes) {
                            want.push(format!(
                                "{m}{suffix}.w {tn}, [{nn}{}]",
                                if bytes == 0 { String::new() } else { format!(", {}", imm(bytes)) }
                            ));
                        } else if (-255..0).contains(&bytes) {
                            want.push(format!("{m}{suffix} {tn}, [{nn}, {}]", mimm(bytes)));
                        } else {
                            let (mv, _) = mov_imm_text::<T>(Reg::R12, bytes as u32);
                            want.extend(mv);
                            want.push(format!("{m}{suffix}.w {tn}, [{nn}, ip]"));
                        }
                    } else {
                        let direct = load && rt != rn;
                        let s = if direct {
                            rt
                        } else {
                            [Reg::R0, Reg::R1, Reg::R2, Reg::R3].into_iter().find(|r| *r != rt && *r != rn).unwrap()
                        };
                        let (mv, _) = mov_imm_text::<T>(s, bytes as u32);
                        if !direct {
                            want.push(format!("push {{{}}}", s.name()));
                        }
                        want.extend(mv);
                        want.push(format!("{m}{suffix} {tn}, [{nn}, {}]", s.name()));
                        if !direct {
                            want.push(format!("pop {{{}}}", s.name()));
                        }
                    }
                    // ARMv6-M: a word load of r7 from r4-r6 (small offset) is
                    // where table calls reload it from; other writes are copied
                    // to r8.
                    let reload = matches!(w, Width::U32 | Width::Word)
                        && matches!(rn, Reg::R4 | Reg::R5 | Reg::R6)
                        && (0..=31).contains(&off);
                    if load && !v7::<T>() && rt == Reg::R7 && !reload {
                        want.push("mov r8, r7".into());
                    }
                    let t = dis::<T>(|a| if load { a.load(w, rt, rn, off) } else { a.store(w, rt, rn, off) });
                    assert_eq!(t[..want.len()], want[..], "{:?} {w:?} {m} {rt} {rn} {off}", T::ARCH);
                }
                // Indexed.
                for idx in [Reg::R2, Reg::R3, rt, rn] {
                    let xn = idx.name();
                    let mut want: Vec<String> = vec![];
                    let all_low = rt.is_low() && rn.is_low() && idx.is_low();
                    if sh == 0 && all_low {
                        want.push(format!("{m}{suffix} {tn}, [{nn}, {xn}]"));
                    } else if v7::<T>() {
                        let lsl = if sh == 0 { String::new() } else { format!(", lsl #{sh}") };
                        want.push(format!("{m}{suffix}.w {tn}, [{nn}, {xn}{lsl}]"));
                    } else if load && rt != rn {
                        want.push(format!("lsls {tn}, {xn}, #{sh}"));
                        want.push(format!("{m}{suffix} {tn}, [{nn}, {tn}]"));
                    } else {
                        let s = [Reg::R0, Reg::R1, Reg::R2, Reg::R3]
                            .into_iter()
                            .find(|r| *r != rt && *r != rn && *r != idx)
                            .unwrap();
                        let sn = s.name();
                        want.extend([
                            format!("push {{{sn}}}"),
                            format!("lsls {sn}, {xn}, #{sh}"),
                            format!("{m}{suffix} {tn}, [{nn}, {sn}]"),
                            format!("pop {{{sn}}}"),
                        ]);
                    }
                    if load && !v7::<T>() && rt == Reg::R7 {
                        want.push("mov r8, r7".into());
                    }
                    expect::<T>(
                        |a| if load { a.load_indexed(w, rt, rn, idx) } else { a.store_indexed(w, rt, rn, idx) },
                        &want,
                    );
                }
            }
        }
    }
}
per_arch!(memory, mem_forms);

fn frame_forms<T: Target>() {
    for (n, high) in [0usize, 1, 2, 3, 10, 126, 127, 128, 300, 1000].into_iter().flat_map(|n| [(n, false), (n, true)]) {
        if high && !v7::<T>() {
            continue;
        }
        // Slot 0 is pushed with the saved registers (as r3's word).
        let below = n.saturating_sub(1);
        let reserved = below + (below & 1);
        let bytes = reserved * 4;
        let mut a = ThumbAsm::<T>::new();
        a.prologue(n);
        // A function that uses r8-r11 saves them all; others only r4-r7 (ARMv7-M).
        if high {
            a.mov_reg(Reg::R9, Reg::R0);
        }
        a.epilogue();
        // ARMv6-M: limited as if slot 0 were not pushed (r8 kept).
        let fits = if v7::<T>() { bytes <= 4092 } else { (n + (n & 1)) * 4 <= 508 };
        let r = a.finish();
        if !fits {
            assert_eq!(r.unwrap_err(), AsmError::SlotOutOfRange(n));
            continue;
        }
        let mut t = texts(&r.unwrap().code);
        if high {
            assert_eq!(t.remove(1 + usize::from(bytes > 0)), "mov sb, r0");
        }
        let (sub, add) = if bytes == 0 {
            (vec![], vec![])
        } else if bytes <= 508 {
            (vec![format!("sub sp, {}", imm(bytes as i64))], vec![format!("add sp, {}", imm(bytes as i64))])
        } else {
            (vec![format!("subw sp, sp, {}", imm(bytes as i64))], vec![format!("addw sp, sp, {}", imm(bytes as i64))])
        };
        let want: Vec<String> = if v7::<T>() && !high {
            std::iter::once("push {r3, r4, r5, r6, r7, lr}".to_string())
                .chain(sub)
                .chain(add)
                .chain(std::iter::once("pop {r3, r4, r5, r6, r7, pc}".to_string()))
                .collect()
        } else if v7::<T>() {
            std::iter::once("push.w {r3, r4, r5, r6, r7, r8, sb, sl, fp, lr}".to_string())
                .chain(sub)
                .chain(add)
                .chain(std::iter::once("pop.w {r3, r4, r5, r6, r7, r8, sb, sl, fp, pc}".to_string()))
                .collect()
        } else {
            // Without table calls, r8 keeps no table copy (slot 0 is pushed).
            std::iter::once("push {r3, r4, r5, r6, r7, lr}".to_string())
                .chain(sub)
                .chain(add)
                .chain(std::iter::once("pop {r3, r4, r5, r6, r7, pc}".to_string()))
                .collect()
        };
        assert_eq!(t, want, "{:?} n = {n}", T::ARCH);
        // Slots: sp-relative accesses and addresses.
        if n == 0 || high {
            continue;
        }
        for slot in [0usize, 1, n / 2, n - 1].into_iter().filter(|s| *s < n) {
            let off = slot * 4;
            for r in usable::<T>() {
                let rn = r.name();
                let t = dis::<T>(|a| {
                    a.prologue(n);
                    a.load_slot(r, slot);
                    a.store_slot(slot, r);
                    a.slot_addr(r, slot);
                });
                // ARMv6-M keeps a table copy in r8 (pushed separately) once r7 is written.
                // (and reserves all n > 0 slots below the pushed words).
                let pre = if v7::<T>() || r != Reg::R7 { 1 + usize::from(bytes > 0) } else { 4 };
                let o = if off == 0 { String::new() } else { format!(", {}", imm(off as i64)) };
                let mut want = vec![];
                if r.is_low() && off <= 1020 {
                    want.push(format!("ldr {rn}, [sp{o}]"));
                    if !v7::<T>() && r == Reg::R7 {
                        want.push("mov r8, r7".into());
                    }
                    want.push(format!("str {rn}, [sp{o}]"));
                    want.push(format!("add {rn}, sp, {}", imm(off as i64)));
                    if !v7::<T>() && r == Reg::R7 {
                        want.push("mov r8, r7".into());
                    }
                } else {
                    want.push(format!("ldr.w {rn}, [sp{o}]"));
                    want.push(format!("str.w {rn}, [sp{o}]"));
                    want.push(format!("addw {rn}, sp, {}", imm(off as i64)));
                }
                assert_eq!(t[pre..], want[..], "{:?} slot {slot} {r}", T::ARCH);
            }
        }
    }
}
per_arch!(frame, frame_forms);

fn label_addr_forms<T: Target>() {
    for r in usable::<T>() {
        let n = r.name();
        for gap in [0usize, 2, 1000, 4090, 4100, 70_000] {
            // Backward: `adr` (ARMv7-M, in range) gives the address + 1.
            let f = finish::<T>(|a| {
                let l = a.new_label();
                a.bind(l);
                pad(a, gap);
                a.label_addr(r, l);
            });
            let t = texts(&f.code);
            let at = gap;
            if v7::<T>() {
                let pc = (at + 4) & !3;
                let value = 1 - pc as i64;
                if value.abs() <= 4095 {
                    assert_eq!(t.last().unwrap(), &format!("subw {n}, pc, {}", imm(-value)), "gap {gap}");
                } else {
                    let delta = (1 - (at as i64 + 12)) as u32;
                    let k = t.len();
                    assert_eq!(
                        t[k - 3..],
                        [
                            format!("movw {n}, {}", imm((delta & 0xFFFF).into())),
                            format!("movt {n}, {}", imm((delta >> 16).into())),
                            format!("add {n}, pc")
                        ]
                    );
                }
            }
            // Forward: `adr` when a pass has shown it reaches, else movw/movt/add
            // (ARMv7-M); a literal load + add (ARMv6-M).
            let f = finish::<T>(|a| {
                let l = a.new_label();
                a.label_addr(r, l);
                a.jump(l);
                pad(a, gap);
                a.bind(l);
            });
            let t = texts(&f.code);
            let target = f.labels[0].unwrap() as i64;
            if v7::<T>() && gap <= 4000 {
                assert_eq!(t[0], format!("addw {n}, pc, {}", imm(target + 1 - 4)), "gap {gap}");
            } else if v7::<T>() {
                let delta = (target + 1 - 12) as u32;
                assert_eq!(
                    t[..3],
                    [
                        format!("movw {n}, {}", imm((delta & 0xFFFF).into())),
                        format!("movt {n}, {}", imm((delta >> 16).into())),
                        format!("add {n}, pc")
                    ]
                );
            } else {
                assert!(t[0].starts_with(&format!("ldr {n}, [pc, #")), "{t:?}");
                assert_eq!(t[1], format!("add {n}, pc"));
                // The literal holds target + 1 - (pc of the add).
                let ldr = u16::from_le_bytes([f.code[0], f.code[1]]);
                let lit = usize::from(ldr & 0xFF) * 4 + 4;
                let v = i32::from_le_bytes(f.code[lit..lit + 4].try_into().unwrap());
                assert_eq!(i64::from(v), target + 1 - 6, "gap {gap}");
            }
        }
    }
}
per_arch!(label_addr, label_addr_forms);

fn call_table_forms<T: Target>() {
    for i in [0usize, 1, 5, 31, 32, 1023, 1024] {
        let mut a = ThumbAsm::<T>::new();
        a.call_table(i);
        let ok = if v7::<T>() { i <= 1023 } else { i <= 31 };
        let r = a.finish();
        if !ok {
            assert_eq!(r.unwrap_err(), AsmError::TableIndexOutOfRange(i));
            continue;
        }
        let t = texts(&r.unwrap().code);
        let o = if i == 0 { String::new() } else { format!(", {}", imm(4 * i as i64)) };
        let want = if v7::<T>() {
            vec![format!("ldr.w ip, [r7{o}]"), "blx ip".into()]
        } else {
            vec![format!("ldr r7, [r7{o}]"), "blx r7".into(), "mov r7, r8".into()]
        };
        assert_eq!(t, want, "{i}");
    }
    expect::<T>(|a| a.jump_reg(Reg::R3), &s(&["bx r3"]));
    // After a call, a second one whose arguments leave r3 (or r2) alone loads
    // the address into it: 16-bit `ldr`/`blx` (ARMv7-M, index up to 31).
    for i in [0usize, 7, 31, 32].into_iter().filter(|i| v7::<T>() || *i <= 31) {
        for (args, via) in [(vec![Reg::R1], "r3"), (vec![Reg::R3, Reg::R1], "r2"), (vec![Reg::R2, Reg::R3], "ip")] {
            let t = dis::<T>(|a| {
                a.call_table(1);
                for &r in &args {
                    a.mov_imm(r, 9);
                }
                a.call_table(i);
            });
            let o = if i == 0 { String::new() } else { format!(", {}", imm(4 * i as i64)) };
            let n = t.len();
            if !v7::<T>() && via == "ip" {
                assert_eq!(t[n - 3..], [format!("ldr r7, [r7{o}]"), "blx r7".into(), "mov r7, r8".into()]);
            } else if via == "ip" || i > 31 {
                assert_eq!(t[n - 2..], [format!("ldr.w ip, [r7{o}]"), "blx ip".into()], "{i} {args:?}");
            } else {
                assert_eq!(t[n - 2..], [format!("ldr {via}, [r7{o}]"), format!("blx {via}")], "{i} {args:?}");
            }
        }
    }
}
per_arch!(call_table, call_table_forms);

fn table_source_forms<T: Target>() {
    // ARMv6-M: r7 loaded from the context is reloaded from there after a
    // call through it, and the frame keeps no copy in r8.
    let t = dis::<T>(|a| {
        a.prologue(1);
        a.mov_reg(Reg::R5, Reg::R0);
        a.load(Width::Word, Reg::R7, Reg::R5, 2);
        a.call_table(4);
        a.epilogue();
    });
    let want = if v7::<T>() {
        s(&["push {r3, r4, r5, r6, r7, lr}", "mov r5, r0", "ldr r7, [r5, #8]", "ldr.w ip, [r7, #0x10]", "blx ip"])
    } else {
        s(&["push {r3, r4, r5, r6, r7, lr}", "mov r5, r0", "ldr r7, [r5, #8]", "ldr r7, [r7, #0x10]", "blx r7"])
    };
    assert_eq!(t[..5], want[..]);
    let rest = if v7::<T>() {
        s(&["pop {r3, r4, r5, r6, r7, pc}"])
    } else {
        s(&["ldr r7, [r5, #8]", "pop {r3, r4, r5, r6, r7, pc}"])
    };
    assert_eq!(t[5..], rest[..]);
    // Set any other way, r7 is copied to r8, which the frame saves.
    let t = dis::<T>(|a| {
        a.prologue(1);
        a.mov_reg(Reg::R7, Reg::R0);
        a.call_table(4);
        a.epilogue();
    });
    if !v7::<T>() {
        assert_eq!(
            t,
            s(&[
                "push {r4, r5, r6, r7, lr}",
                "mov r4, r8",
                "push {r4}",
                "sub sp, #8",
                "mov r7, r0",
                "mov r8, r7",
                "ldr r7, [r7, #0x10]",
                "blx r7",
                "mov r7, r8",
                "add sp, #8",
                "pop {r4}",
                "mov r8, r4",
                "pop {r4, r5, r6, r7, pc}",
            ])
        );
    }
}
per_arch!(table_source, table_source_forms);

fn error_forms<T: Target>() {
    let bad = |f: &dyn Fn(&mut ThumbAsm<T>)| {
        let mut a = ThumbAsm::<T>::new();
        a.prologue(2);
        f(&mut a);
        a.finish().unwrap_err()
    };
    let high = if v7::<T>() { Reg::R12 } else { Reg::R8 };
    let h = high.num() as u8;
    assert_eq!(bad(&|a| a.mov_reg(Reg::R0, high)), AsmError::InvalidRegister(h));
    assert_eq!(bad(&|a| a.mov_imm(Reg::Sp, 1)), AsmError::InvalidRegister(13));
    assert_eq!(bad(&|a| a.binop(BinOp::Add, Reg::Pc, Reg::R0)), AsmError::InvalidRegister(15));
    assert_eq!(bad(&|a| a.load(Width::U8, Reg::R0, high, 0)), AsmError::InvalidRegister(h));
    assert_eq!(bad(&|a| a.store_indexed(Width::U8, Reg::R0, Reg::R1, Reg::Sp)), AsmError::InvalidRegister(13));
    if !v7::<T>() {
        assert_eq!(bad(&|a| a.mov_reg(Reg::Lr, Reg::R0)), AsmError::InvalidRegister(14));
    }
    assert_eq!(bad(&|a| a.set_cond(Cond::Eq, high, Reg::R0, Reg::R1)), AsmError::InvalidRegister(h));
    assert_eq!(
        bad(&|a| {
            let l = Label0::get(a);
            a.jump_if_zero(high, false, l)
        }),
        AsmError::InvalidRegister(h)
    );
    assert_eq!(bad(&|a| a.shift(ShiftOp::Shl, Reg::R0, high)), AsmError::InvalidRegister(h));
    assert_eq!(bad(&|a| a.load_slot(Reg::R0, 2)), AsmError::SlotOutOfRange(2));
    assert_eq!(bad(&|a| a.slot_addr(Reg::R0, 9)), AsmError::SlotOutOfRange(9));
    assert_eq!(bad(&|a| a.mov_imm(Reg::R0, 1 << 32)), AsmError::ImmediateOutOfRange(1 << 32));
    assert_eq!(bad(&|a| a.mov_imm(Reg::R0, -(1 << 31) - 1)), AsmError::ImmediateOutOfRange(-(1 << 31) - 1));
    assert_eq!(bad(&|a| a.prologue(1)), AsmError::FrameMisuse);
    assert_eq!(
        bad(&|a| a.load(Width::U32, Reg::R0, Reg::R1, i32::MAX)),
        AsmError::OffsetOutOfRange(i64::from(i32::MAX) * 4)
    );
    let mut a = ThumbAsm::<T>::new();
    a.store_slot(0, Reg::R0);
    assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);
    let mut a = ThumbAsm::<T>::new();
    a.epilogue();
    assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);
    let mut a = ThumbAsm::<T>::new();
    let l = a.new_label();
    a.jump(l);
    assert_eq!(a.finish().unwrap_err(), AsmError::UnboundLabel(l.0));
}
per_arch!(errors, error_forms);

/// A label created in the assembler under test (for the error table above).
struct Label0;
impl Label0 {
    fn get<T: Target>(a: &mut ThumbAsm<T>) -> ferropy_emit_native::Label {
        let l = a.new_label();
        a.bind(l);
        l
    }
}

#[test]
fn fpu_variants_emit_the_same_integer_code() {
    fn program<T: Target>() -> Vec<u8> {
        finish::<T>(|a| {
            a.prologue(3);
            a.mov_imm(Reg::R0, 0x1234_5678);
            a.set_cond(Cond::LtS, Reg::R8, Reg::R0, Reg::R1);
            let l = a.new_label();
            a.jump_if_nonzero(Reg::R8, true, l);
            a.load_indexed(Width::U16, Reg::R2, Reg::R3, Reg::R1);
            a.call_table(4);
            a.bind(l);
            a.epilogue();
        })
        .code
    }
    assert_eq!(program::<V7em>(), program::<V7emsp>());
    assert_eq!(program::<V7em>(), program::<V7emdp>());
    assert_eq!(program::<V7em>(), program::<V7m>());
    assert_eq!(Arch::Armv7emsp.mpy_code(), 7);
}

#[test]
fn armv6m_literal_pools_stay_in_reach() {
    // Many distinct constants and a long body: every load reaches its pool, which
    // sits behind a branch when no jump comes soon enough.
    let f = finish::<V6m>(|a| {
        for i in 0..600u32 {
            a.mov_imm(Reg::R1, i64::from(0x1234_0000 + i * 0x1_0001));
            a.binop(BinOp::Add, Reg::R0, Reg::R1);
        }
    });
    let lines = ferropy_emit_thumb::disasm::decode(&f.code);
    let branches = lines.iter().filter(|l| l.text.starts_with("b #")).count();
    assert!(branches >= 2, "{branches}");
    let loads: Vec<_> = lines.iter().filter(|l| l.text.starts_with("ldr r1, [pc")).collect();
    assert_eq!(loads.len(), 600);
    for l in loads {
        let imm8 = usize::from(l.bytes[0]);
        let lit = ((l.offset + 4) & !3) + imm8 * 4;
        let v = u32::from_le_bytes(f.code[lit..lit + 4].try_into().unwrap());
        assert_eq!(v >> 16, 0x1234 + (v & 0xFFFF), "{:#x}", l.offset);
    }
}

fn immediate_and_subroutine_forms<T: Target>() {
    for r in usable::<T>() {
        let n = r.name();
        let scratch = if r == Reg::R2 { Reg::R1 } else { Reg::R2 };
        let tail: Vec<String> = if !v7::<T>() && r == Reg::R7 { vec!["mov r8, r7".into()] } else { vec![] };
        for (op, name) in [(ShiftOp::Shl, "lsl"), (ShiftOp::Shr, "lsr"), (ShiftOp::Sar, "asr")] {
            for count in [1u8, 8, 31] {
                let mut want = if r.is_low() {
                    vec![format!("{name}s {n}, {n}, {}", imm(count.into()))]
                } else {
                    let mut w = mov_imm_text::<T>(scratch, count.into()).0;
                    w.push(format!("{name}.w {n}, {n}, {}", scratch.name()));
                    w
                };
                want.extend(tail.clone());
                expect::<T>(|a| a.shift_imm(op, r, count, scratch), &want);
            }
        }
        for (op, value, short) in [
            (BinOp::Add, 5, Some("adds")),
            (BinOp::Add, -2, Some("subs")),
            (BinOp::Sub, 255, Some("subs")),
            (BinOp::Sub, -7, Some("adds")),
        ] {
            let want: Vec<String> = match short {
                Some(s) if r.is_low() => {
                    std::iter::once(format!("{s} {n}, {}", imm(i64::from(value).abs()))).chain(tail.clone()).collect()
                }
                _ => continue,
            };
            expect::<T>(|a| a.binop_imm(op, r, value, scratch), &want);
        }
        if r.is_low() {
            for value in [0, 0x1e, 255] {
                let t = dis::<T>(|a| {
                    let l = a.new_label();
                    a.bind(l);
                    a.jump_if_eq_imm(r, value, scratch, l);
                });
                assert_eq!(t, vec![format!("cmp {n}, {}", imm(value.into())), "beq #0".to_string()], "{:?}", T::ARCH);
            }
            for bit in [0u8, 4, 30] {
                let t = dis::<T>(|a| {
                    let l = a.new_label();
                    a.bind(l);
                    a.jump_if_bit_clear(r, bit, scratch, l);
                });
                let mut want = vec![format!("lsls {n}, {n}, {}", imm(i64::from(31 - bit)))];
                want.extend(tail.clone());
                if bit != 0 {
                    want.push(format!("lsrs {n}, {n}, #0x1f"));
                    want.extend(tail.clone());
                    // A low register's `lsrs` has set the Z flag already
                    // (unless the ARMv6-M table copy follows it).
                    if !r.is_low() || !tail.is_empty() {
                        want.push(format!("cmp {n}, #0"));
                    }
                }
                want.push("beq #0".into());
                assert_eq!(t, want, "{:?}", T::ARCH);
            }
        }
    }
    // Values outside the short forms go through the scratch register.
    let t = dis::<T>(|a| {
        let l = a.new_label();
        a.bind(l);
        a.jump_if_eq_imm(Reg::R0, 300, Reg::R1, l);
    });
    let mut want = mov_imm_text::<T>(Reg::R1, 300).0;
    want.extend(["cmp r0, r1".to_string(), "beq #0".to_string()]);
    if mov_imm_text::<T>(Reg::R1, 300).1.is_none() {
        assert_eq!(t, want, "{:?}", T::ARCH);
    }
    if v7::<T>() {
        // Modified immediates go in the instruction.
        expect::<T>(|a| a.binop_imm(BinOp::And, Reg::R0, 1, Reg::R3), &s(&["and r0, r0, #1"]));
        for (op, r, value, text) in [
            (BinOp::And, Reg::R8, 0xFF, "and r8, r8, #0xff"),
            (BinOp::And, Reg::R1, !0xFF00, "bic r1, r1, #0xff00"),
            (BinOp::Or, Reg::R11, 0x0100_0000, "orr fp, fp, #0x1000000"),
            (BinOp::Xor, Reg::R2, 0x00FF_00FF, "eor r2, r2, #0xff00ff"),
            (BinOp::Add, Reg::R9, 8, "add.w sb, sb, #8"),
            (BinOp::Add, Reg::R3, 0x400, "add.w r3, r3, #0x400"),
            (BinOp::Add, Reg::R10, -4, "sub.w sl, sl, #4"),
            (BinOp::Sub, Reg::R4, 0x1100, "sub.w r4, r4, #0x1100"),
        ] {
            expect::<T>(|a| a.binop_imm(op, r, value, Reg::R12), &s(&[text]));
        }
        // Not a modified immediate (nor a negated one): through the scratch.
        assert_eq!(dis::<T>(|a| a.binop_imm(BinOp::Or, Reg::R0, 0x3FF, Reg::R3)).len(), 2);
    } else {
        expect::<T>(|a| a.binop_imm(BinOp::And, Reg::R0, 1, Reg::R3), &s(&["movs r3, #1", "ands r0, r3"]));
    }
    // Compare and branch, with registers and immediates.
    for cond in Cond::ALL {
        let t = dis::<T>(|a| {
            let l = a.new_label();
            a.bind(l);
            a.jump_if_cond(cond, Reg::R1, Reg::R2, Reg::R3, l);
            a.jump_if_cond_imm(cond, Reg::R0, 200, Reg::R3, l);
        });
        assert_eq!(t, s(&["cmp r1, r2", &format!("b{} #0", cc(cond)), "cmp r0, #0xc8", &format!("b{} #0", cc(cond))]));
    }
    if v7::<T>() {
        let t = dis::<T>(|a| {
            let l = a.new_label();
            a.bind(l);
            a.jump_if_cond_imm(Cond::GeU, Reg::R8, 0x20, Reg::R3, l);
            a.jump_if_bits(Reg::R9, 1, true, Reg::R3, l);
            a.jump_if_bits(Reg::R1, 0x100, false, Reg::R3, l);
        });
        assert_eq!(t, s(&["cmp.w r8, #0x20", "bhs #0", "tst.w sb, #1", "bne #0", "tst.w r1, #0x100", "beq #0"]));
    } else {
        let t = dis::<T>(|a| {
            let l = a.new_label();
            a.bind(l);
            a.jump_if_bits(Reg::R1, 1, true, Reg::R3, l);
        });
        // `ands` sets Z for the masked value: the branch needs no `cmp`.
        assert_eq!(t, s(&["movs r3, #1", "ands r3, r1", "bne #0"]));
    }
    // A local subroutine: called with `bl`, returns with `pop {.., pc}`.
    let t = dis::<T>(|a| {
        let sub = a.new_label();
        a.call_local(sub);
        a.jump_reg(Reg::R0);
        a.bind(sub);
        a.local_entry(Reg::R3);
        a.local_return();
        a.local_discard();
    });
    assert_eq!(t, s(&["bl #6", "bx r0", "push {r3, lr}", "mov r3, lr", "pop {r1, pc}", "add sp, #8"]), "{:?}", T::ARCH);
    let mut a = ThumbAsm::<T>::new();
    a.local_entry(Reg::R8);
    assert!(a.finish().is_err());
}
per_arch!(immediate_and_subroutine, immediate_and_subroutine_forms);

fn overflow_forms<T: Target>() {
    // `adds/subs d, d, s; bvs` (the 32-bit flag-setting forms for high
    // registers on ARMv7-M), over every register pair.
    for (op, name) in [(BinOp::Add, "adds"), (BinOp::Sub, "subs")] {
        for d in usable::<T>() {
            for src in usable::<T>() {
                let (dn, sn) = (d.name(), src.name());
                let body = |a: &mut ThumbAsm<T>| {
                    let l = a.new_label();
                    a.bind(l);
                    a.binop_jump_if_overflow(op, d, src, l);
                };
                if !d.is_low() || !src.is_low() {
                    if v7::<T>() {
                        expect::<T>(body, &[format!("{name}.w {dn}, {dn}, {sn}"), "bvs #0".to_string()]);
                    } else {
                        let mut a = ThumbAsm::<T>::new();
                        body(&mut a);
                        assert!(matches!(a.finish(), Err(AsmError::InvalidRegister(_))), "{d} {src}");
                    }
                    continue;
                }
                let mut want = vec![format!("{name} {dn}, {dn}, {sn}")];
                if !v7::<T>() && d == Reg::R7 {
                    want.push("mov r8, r7".into());
                }
                want.push("bvs #0".into());
                expect::<T>(body, &want);
            }
        }
    }
    // A forward overflow jump reaches its label with the short form.
    let t = dis::<T>(|a| {
        let l = a.new_label();
        a.binop_jump_if_overflow(BinOp::Add, Reg::R0, Reg::R1, l);
        pad(a, 100);
        a.bind(l);
    });
    assert_eq!(t[..2], ["adds r0, r0, r1".to_string(), format!("bvs {}", imm(104))]);
    // Other operations are errors.
    for op in [BinOp::Mul, BinOp::And, BinOp::Or, BinOp::Xor] {
        let mut a = ThumbAsm::<T>::new();
        let l = a.new_label();
        a.bind(l);
        a.binop_jump_if_overflow(op, Reg::R0, Reg::R1, l);
        assert!(a.finish().is_err(), "{op:?}");
    }
}
per_arch!(overflow, overflow_forms);
