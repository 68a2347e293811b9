//! `Asm` operations the random programs do not cover, executed in both ABIs:
//! table calls (arguments, results, registers and slots kept across them),
//! stack slots, label addresses and register jumps, large constants, frames
//! and table indices.

mod common;

use common::{build, run, sim_with, CODE, DATA};
use ferropy_emit_native::{Asm, AsmError, BinOp, Width};
use ferropy_emit_xtensa::{Call0, Variant, Windowed, XtensaAsm};
use ferropy_xtensa_sim::SimError;

const TABLE: u32 = DATA + 0x400;
const HOST: u32 = 0x0900_0000;

/// Runs `body` with the function table register pointing at a table of
/// `entries` host functions `HOST + 16 * i`, each computing `f(i, args)`.
fn with_table<V: Variant>(
    entries: usize,
    args: &[u32],
    f: fn(usize, [u32; 6]) -> u32,
    body: impl FnOnce(&mut XtensaAsm<V>),
) -> Result<u32, SimError> {
    let code = build::<V>(4, |a| {
        a.mov_reg(V::FUN_TABLE, V::ENTRY_ARGS[0]);
        body(a);
    });
    let mut s = sim_with(V::ABI, code);
    for i in 0..entries {
        let addr = HOST + 16 * i as u32;
        s.mem.write(TABLE + 4 * i as u32, 4, addr).unwrap();
        s.host(addr, Box::new(move |_, a| Ok(f(i, a))));
    }
    let mut all = vec![TABLE];
    all.extend_from_slice(args);
    s.call(CODE, &all)
}

fn table_calls<V: Variant>() {
    // ret = t3(t0(x, y, z, w) + local, slot) with a local and a slot kept across calls.
    let f = |i: usize, a: [u32; 6]| match i {
        0 => a[0].wrapping_mul(1000) + a[1] * 100 + a[2] * 10 + a[3],
        3 => a[0].wrapping_sub(a[1]),
        _ => 0xBAD,
    };
    let r = with_table::<V>(4, &[7], f, |a| {
        let args = V::CALL_ARGS;
        let local = V::LOCALS[1];
        a.store_slot(3, V::ENTRY_ARGS[1]);
        a.mov_imm(local, 40_000);
        a.mov_imm(args[0], 1);
        a.mov_imm(args[1], 2);
        a.mov_imm(args[2], 3);
        a.mov_imm(args[3], 4);
        a.call_table(0);
        a.mov_reg(args[0], V::RET);
        a.binop(BinOp::Add, args[0], local);
        a.load_slot(args[1], 3);
        a.call_table(3);
    });
    assert_eq!(r.unwrap(), 1234 + 40_000 - 7, "{:?}", V::ABI);
    // A table index beyond the short load offsets.
    let r = with_table::<V>(400, &[], |i, _| i as u32 * 3, |a| a.call_table(399));
    assert_eq!(r.unwrap(), 1197);
}

#[test]
fn table_calls_call0() {
    table_calls::<Call0>();
}

#[test]
fn table_calls_windowed() {
    table_calls::<Windowed>();
}

fn slots_and_addresses<V: Variant>() {
    let t = V::TEMPS;
    // slot_addr aliases the slot; stores through it are seen by load_slot.
    let r = run::<V>(&[5], |a| {
        a.store_slot(0, V::ENTRY_ARGS[0]);
        a.slot_addr(t[1], 0);
        a.load(Width::Word, t[2], t[1], 0);
        a.mov_imm(t[0], 0x1111);
        a.binop(BinOp::Add, t[2], t[0]);
        a.store(Width::Word, t[2], t[1], 0);
        a.load_slot(V::RET, 0);
    });
    assert_eq!(r.unwrap(), 0x1116);
    // A frame too big for the short stack adjustments and slot offsets.
    let code = build::<V>(300, |a| {
        a.store_slot(299, V::ENTRY_ARGS[0]);
        a.store_slot(0, V::ENTRY_ARGS[1]);
        a.load_slot(t[0], 299);
        a.load_slot(t[1], 0);
        a.binop(BinOp::Sub, t[0], t[1]);
        a.slot_addr(t[1], 200);
        a.slot_addr(t[2], 100);
        a.binop(BinOp::Sub, t[1], t[2]);
        a.binop(BinOp::Add, t[0], t[1]);
        a.mov_reg(V::RET, t[0]);
    });
    let mut s = sim_with(V::ABI, code);
    assert_eq!(s.call(CODE, &[1000, 1]).unwrap(), 999 + 400);
    // The stack pointer is restored: calling again from the same stack works.
    assert_eq!(s.call(CODE, &[10, 1]).unwrap(), 9 + 400);
}

#[test]
fn slots_call0() {
    slots_and_addresses::<Call0>();
}

#[test]
fn slots_windowed() {
    slots_and_addresses::<Windowed>();
}

fn label_addresses<V: Variant>() {
    let t = V::TEMPS;
    // Jump through a computed label address; read a data table by address.
    let r = run::<V>(&[2], |a| {
        let table = a.new_label();
        let target = a.new_label();
        let end = a.new_label();
        a.label_addr(t[1], target);
        a.jump_reg(t[1]);
        a.mov_imm(V::RET, 0xBAD);
        a.jump(end);
        a.bind(target);
        a.label_addr(t[1], table);
        a.load_indexed(Width::U32, V::RET, t[1], V::ENTRY_ARGS[0]);
        a.jump(end);
        a.align(4);
        a.bind(table);
        for v in [10u32, 20, 0xDEAD_BEEF, 40] {
            a.data(&v.to_le_bytes());
        }
        a.bind(end);
    });
    assert_eq!(r.unwrap(), 0xDEAD_BEEF);
    // Large constants come from the literal pool.
    let r = run::<V>(&[], |a| {
        a.mov_imm(t[0], 0x1234_5678);
        a.mov_imm(t[1], -0x7654_3210);
        a.mov_imm(t[2], 0xFFFF_0000);
        a.binop(BinOp::Add, t[0], t[1]);
        a.binop(BinOp::Xor, t[0], t[2]);
        a.mov_reg(V::RET, t[0]);
    });
    assert_eq!(r.unwrap(), (0x1234_5678u32.wrapping_add(-0x7654_3210i32 as u32)) ^ 0xFFFF_0000);
}

#[test]
fn label_addresses_call0() {
    label_addresses::<Call0>();
}

#[test]
fn label_addresses_windowed() {
    label_addresses::<Windowed>();
}

#[test]
fn assembler_errors_are_reported() {
    let mut a = XtensaAsm::<Call0>::new();
    a.prologue(1);
    a.mov_imm(ferropy_emit_xtensa::Reg::A2, -(1 << 33));
    assert_eq!(a.finish().unwrap_err(), AsmError::ImmediateOutOfRange(-(1 << 33)));
    let mut a = XtensaAsm::<Windowed>::new();
    a.prologue(1);
    a.load(Width::Word, ferropy_emit_xtensa::Reg::A10, ferropy_emit_xtensa::Reg::A2, i32::MAX);
    assert_eq!(a.finish().unwrap_err(), AsmError::OffsetOutOfRange(i64::from(i32::MAX) * 4));
    let mut a = XtensaAsm::<Windowed>::new();
    let l = a.new_label();
    a.jump(l);
    assert_eq!(a.finish().unwrap_err(), AsmError::UnboundLabel(0));
}

fn folding<V: Variant>() {
    let (t, e) = (V::TEMPS, V::ENTRY_ARGS);
    // mov then a constant into the move's source: the move must stay.
    let d = V::LOCALS[2];
    let r = run::<V>(&[10, 3], |a| {
        a.mov_reg(d, e[0]);
        a.mov_imm(e[0], 5);
        a.binop(BinOp::Sub, d, e[1]);
        a.binop(BinOp::Add, d, e[0]);
        a.mov_reg(V::RET, d);
    });
    assert_eq!(r.unwrap(), 10 - 3 + 5);
    // mov, constant count, shift: folded into one immediate shift.
    let code = build::<V>(1, |a| {
        a.mov_reg(t[0], e[0]);
        a.mov_imm(t[1], 3);
        a.shift(ferropy_emit_native::ShiftOp::Shl, t[0], t[1]);
        a.mov_imm(t[1], 3);
        a.shift(ferropy_emit_native::ShiftOp::Sar, t[0], t[1]);
        a.mov_reg(V::RET, t[0]);
    });
    let text = ferropy_emit_xtensa::disasm::listing_text(&code);
    assert!(text.contains("slli") && text.contains("srai") && !text.contains("ssl"), "{text}");
    assert_eq!(text.matches("movi.n").count(), 1, "the second constant is known: {text}");
    let mut s = sim_with(V::ABI, code);
    assert_eq!(s.call(CODE, &[0x1FFF_FFFF]).unwrap(), 0xFFFF_FFFF);
}

#[test]
fn folding_call0() {
    folding::<Call0>();
}

#[test]
fn folding_windowed() {
    folding::<Windowed>();
}

fn branch_over_jump<V: Variant>() {
    let e = V::ENTRY_ARGS;
    let body = |a: &mut XtensaAsm<V>| {
        let (ok, other, end) = (a.new_label(), a.new_label(), a.new_label());
        a.jump_if_eq(e[0], e[1], ok);
        a.jump(other);
        a.bind(ok);
        a.mov_imm(V::RET, 1);
        a.jump(end);
        a.bind(other);
        a.mov_imm(V::RET, 2);
        a.jump(end);
        a.bind(end);
    };
    let code = build::<V>(1, body);
    let text = ferropy_emit_xtensa::disasm::listing_text(&code);
    // `beq ok; j other; ok:` became `bne other`, and `j end; end:` vanished.
    assert!(text.contains("bne ") && !text.contains("beq "), "{text}");
    assert_eq!(text.matches("\tj ").count() + text.matches(" j 0x").count(), 1, "{text}");
    for (x, y, want) in [(3, 3, 1), (3, 4, 2)] {
        let mut s = sim_with(V::ABI, code.clone());
        assert_eq!(s.call(CODE, &[x, y]).unwrap(), want);
    }
}

#[test]
fn branch_over_jump_call0() {
    branch_over_jump::<Call0>();
}

#[test]
fn branch_over_jump_windowed() {
    branch_over_jump::<Windowed>();
}

fn compare_and_branch<V: Variant>() {
    use ferropy_emit_native::Cond;
    let (t, e) = (V::TEMPS, V::ENTRY_ARGS);
    let d = V::LOCALS[2];
    for when in [true, false] {
        for cond in Cond::ALL {
            // ret = (branch taken ? 100 : 200) + d, with d the 0/1 result of the comparison.
            let code = build::<V>(1, |a| {
                let (taken, end) = (a.new_label(), a.new_label());
                a.set_cond(cond, d, e[0], e[1]);
                if when {
                    a.jump_if_nonzero(d, true, taken);
                } else {
                    a.jump_if_zero(d, true, taken);
                }
                a.mov_imm(t[2], 200);
                a.jump(end);
                a.bind(taken);
                a.mov_imm(t[2], 100);
                a.bind(end);
                a.binop(BinOp::Add, t[2], d);
                a.mov_reg(V::RET, t[2]);
            });
            let text = ferropy_emit_xtensa::disasm::listing_text(&code);
            assert!(!text.contains("bnez") && !text.contains("beqz"), "{text}");
            for (x, y) in [(1u32, 2u32), (2, 1), (5, 5), (u32::MAX, 0), (0, u32::MAX)] {
                let holds = cond.eval(u64::from(x), u64::from(y))
                    && !matches!(cond, Cond::LtS | Cond::LeS | Cond::GtS | Cond::GeS)
                    || matches!(cond, Cond::LtS | Cond::LeS | Cond::GtS | Cond::GeS)
                        && cond.eval(x as i32 as i64 as u64, y as i32 as i64 as u64);
                let taken = holds == when;
                let want = if taken { 100 } else { 200 } + u32::from(holds);
                let mut s = sim_with(V::ABI, code.clone());
                assert_eq!(s.call(CODE, &[x, y]).unwrap(), want, "{cond:?} {when} {x} {y}");
            }
        }
    }
}

#[test]
fn compare_and_branch_call0() {
    compare_and_branch::<Call0>();
}

#[test]
fn compare_and_branch_windowed() {
    compare_and_branch::<Windowed>();
}

/// A function with three call sites of one local subroutine, which makes a
/// table call and returns its result, or, when the call returns 0, leaves
/// without returning (`local_discard`) and ends the function. Checks the
/// results, the sites' positions the subroutine passes on (its return
/// address less 2, inside the site's `call0`), a local register kept across
/// the calls, and (windowed) that `a0` still holds the base of label
/// addresses after a return. `stop_at` is the call whose helper returns 0.
fn local_subroutine<V: Variant>(stop_at: Option<u32>, lead: usize) -> (Result<u32, SimError>, Vec<u32>, Vec<u32>) {
    let args = V::CALL_ARGS;
    let local = V::LOCALS[1];
    let mut a = XtensaAsm::<V>::new();
    a.prologue(1);
    let (sub, out, target) = (a.new_label(), a.new_label(), a.new_label());
    a.mov_reg(V::FUN_TABLE, V::ENTRY_ARGS[0]);
    a.mov_imm(local, 0);
    // Narrow or wide instructions first: the sites and the subroutine's
    // padding fall at every alignment across the cases.
    for _ in 0..lead {
        a.insn(ferropy_emit_xtensa::insn::Insn::NopN);
    }
    let mut sites = Vec::new();
    for k in 0..3u32 {
        a.mov_imm(args[1], i64::from(10 * k + 1));
        a.mov_imm(args[2], if k == 1 { 3000 } else { 7 });
        let site = a.new_label();
        a.bind(site);
        a.call_local(sub);
        sites.push(site);
        a.binop(BinOp::Add, local, V::RET);
    }
    // A computed jump: the base of label addresses is intact.
    a.label_addr(args[0], target);
    a.jump_reg(args[0]);
    a.data(&[0xFF; 5]);
    a.bind(target);
    a.mov_reg(V::RET, local);
    a.bind(out);
    a.epilogue();
    let fail = a.new_label();
    a.bind(sub);
    a.local_entry(args[3]);
    a.binop_imm(BinOp::Add, args[3], -2, args[0]);
    a.mov_imm(args[0], 5);
    a.call_table(0);
    a.jump_if_zero(V::RET, false, fail);
    a.local_return();
    a.bind(fail);
    a.local_discard();
    a.mov_imm(V::RET, 0xD15C);
    a.jump(out);
    let done = a.finish().expect("assembles");
    let sub_at = done.labels[sub.0 as usize].unwrap();
    assert_eq!(sub_at % 4, 0, "call0 targets are 4-byte aligned");
    let site_at: Vec<u32> = sites.iter().map(|l| CODE + done.labels[l.0 as usize].unwrap() as u32).collect();
    let mut s = sim_with(V::ABI, done.code);
    let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let seen = log.clone();
    s.mem.write(TABLE, 4, HOST).unwrap();
    s.host(
        HOST,
        Box::new(move |_, a| {
            seen.borrow_mut().push(a[3]);
            let n = seen.borrow().len() as u32;
            Ok(if Some(n) == stop_at { 0 } else { a[0] * 100 + a[1] + a[2] })
        }),
    );
    let r = s.call(CODE, &[TABLE]);
    let log = log.borrow().clone();
    (r, log, site_at)
}

fn local_subroutines<V: Variant>() {
    for lead in 0..4 {
        let (r, log, sites) = local_subroutine::<V>(None, lead);
        assert_eq!(r.unwrap(), 3 * 500 + (1 + 11 + 21) + 7 + 3000 + 7, "{:?} lead {lead}", V::ABI);
        // The site's position: its `call0`'s second byte.
        assert_eq!(log, sites.iter().map(|s| s + 1).collect::<Vec<_>>(), "{:?}", V::ABI);
        let (r, log, _) = local_subroutine::<V>(Some(2), lead);
        assert_eq!(r.unwrap(), 0xD15C, "{:?} lead {lead}", V::ABI);
        assert_eq!(log.len(), 2);
    }
}

#[test]
fn local_subroutines_call0() {
    local_subroutines::<Call0>();
}

#[test]
fn local_subroutines_windowed() {
    local_subroutines::<Windowed>();
}

#[test]
fn local_calls_need_a_frame_and_a_known_label() {
    let mut a = XtensaAsm::<Call0>::new();
    let l = a.new_label();
    a.call_local(l);
    assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);
    let mut a = XtensaAsm::<Windowed>::new();
    a.local_entry(ferropy_emit_xtensa::Reg::A13);
    assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);
    let mut a = XtensaAsm::<Windowed>::new();
    a.local_return();
    assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);
    let mut a = XtensaAsm::<Windowed>::new();
    a.prologue(1);
    a.call_local(ferropy_emit_native::Label(9));
    assert_eq!(a.finish().unwrap_err(), AsmError::UnknownLabel(9));
    let mut a = XtensaAsm::<Call0>::new();
    a.prologue(1);
    let l = a.new_label();
    a.call_local(l);
    assert_eq!(a.finish().unwrap_err(), AsmError::UnboundLabel(0));
}

/// The immediate forms (`binop_imm` additions, `shift_imm`,
/// `jump_if_bit_clear`) and a load right after a store of the same word,
/// executed against Rust over edge values.
fn immediate_forms<V: Variant>() {
    use ferropy_emit_native::ShiftOp;
    let t = V::TEMPS;
    let values = [0u32, 1, 2, 0x8000_0001, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x1234_5678, 0xDEAD_BEEF];
    for &x in &values {
        for (op, c) in
            [(ShiftOp::Shl, 31u8), (ShiftOp::Shr, 4), (ShiftOp::Shr, 31), (ShiftOp::Sar, 1), (ShiftOp::Sar, 0)]
        {
            let r = run::<V>(&[x], |a| {
                a.mov_reg(t[0], V::ENTRY_ARGS[0]);
                a.shift_imm(op, t[0], c, t[1]);
                a.mov_reg(V::RET, t[0]);
            });
            let want = match op {
                ShiftOp::Shl => x << c,
                ShiftOp::Shr => x >> c,
                ShiftOp::Sar => ((x as i32) >> c) as u32,
            };
            assert_eq!(r.unwrap(), want, "{op:?} {x:#x} by {c}");
        }
        for v in [-128, -2, -1, 1, 15, 16, 127, 128, -129] {
            let r = run::<V>(&[x], |a| {
                a.mov_reg(t[0], V::ENTRY_ARGS[0]);
                a.binop_imm(BinOp::Add, t[0], v, t[1]);
                a.mov_reg(V::RET, t[0]);
            });
            assert_eq!(r.unwrap(), x.wrapping_add(v as u32), "{x:#x} + {v}");
        }
        for bit in [0u8, 1, 4, 30, 31] {
            let r = run::<V>(&[x], |a| {
                let clear = a.new_label();
                // (`RET` is `t[0]`.)
                a.mov_reg(t[1], V::ENTRY_ARGS[0]);
                // Stored and reloaded: the reload is dropped, the value kept.
                a.store_slot(0, t[1]);
                a.load_slot(t[1], 0);
                a.mov_imm(V::RET, 1);
                a.jump_if_bit_clear(t[1], bit, t[2], clear);
                a.mov_imm(V::RET, 2);
                a.bind(clear);
            });
            assert_eq!(r.unwrap(), if x & (1 << bit) == 0 { 1 } else { 2 }, "bit {bit} of {x:#x}");
        }
    }
}

#[test]
fn immediate_forms_call0() {
    immediate_forms::<Call0>();
}

#[test]
fn immediate_forms_windowed() {
    immediate_forms::<Windowed>();
}

/// Label addresses at every distance, before and after a call (call0: from
/// the call's return address), each jumped through: `addi`, `movi` +
/// `add.n`, `addmi` + `addi` (beyond 2 KiB) and the literal pool (beyond
/// 32 KiB).
fn far_label_addresses<V: Variant>() {
    let t = V::TEMPS;
    for (gap, form) in [(60usize, "addi"), (1000, "movi"), (3000, "addmi"), (20_000, "addmi"), (40_000, "l32r")] {
        for after_call in [false, true] {
            let body = |a: &mut XtensaAsm<V>| {
                if after_call {
                    a.call_table(0);
                }
                let target = a.new_label();
                a.label_addr(t[1], target);
                a.jump_reg(t[1]);
                a.data(&vec![0xFF; gap]);
                a.bind(target);
                a.mov_imm(V::RET, 77);
            };
            let r = with_table::<V>(1, &[], |_, _| 5, body);
            let listing = ferropy_emit_xtensa::disasm::listing_text(&build::<V>(4, body));
            assert_eq!(r.unwrap(), 77, "{:?} gap {gap}", V::ABI);
            let head: String = listing.lines().take(24).collect::<Vec<_>>().join("\n");
            assert!(head.contains(form), "{:?} gap {gap}: {form} expected\n{head}", V::ABI);
        }
    }
}

#[test]
fn far_label_addresses_call0() {
    far_label_addresses::<Call0>();
}

#[test]
fn far_label_addresses_windowed() {
    far_label_addresses::<Windowed>();
}
