//! Encoder tests: every instruction form `ThumbAsm` produces, over sweeps of
//! registers and immediates (boundaries included), disassembled with capstone
//! (Thumb, M-class) and compared with the intended instruction text.

mod common;

use common::{dis, expect, finish, imm, texts, usable};
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
        } else {
            (vec![format!("movw {n}, {}", imm((v & 0xFFFF).into())), format!("movt {n}, {}", imm((v >> 16).into()))], None)
        }
    } else if !v <= 255 {
        (vec![format!("movs {n}, {}", imm((!v).into())), format!("mvns {n}, {n}")], None)
    } else if let Some(sh) = (1..=24).find(|&sh| v >> sh <= 255 && (v >> sh) << sh == v) {
        (vec![format!("movs {n}, {}", imm((v >> sh).into())), format!("lsls {n}, {n}, {}", imm(sh.into()))], None)
    } else {
        (vec![format!("ldr {n}, [pc, #0]")], Some(v))
    }
}

const IMMS: [i64; 26] = [
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
            expect::<T>(|a| a.mov_reg(d, src), &want);
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
                let text =
                    if d.is_low() && src.is_low() { format!("{short} {dn}, {sn}") } else { format!("{long} {dn}, {dn}, {sn}") };
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
