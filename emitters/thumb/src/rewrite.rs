//! Rewrites of a function's recorded operations once it is complete, when
//! every use of every label is known (an operation, when recorded, cannot
//! know whether a later jump will land between it and the next one).
//!
//! A label is an *entry* if some operation refers to it: a jump, a local call
//! or a label address (the runtime may continue at any address it was
//! given). Other labels only mark positions (line table, operation starts)
//! and are never reached except by falling through, so facts about the
//! registers survive them. Dropped operations become [`Rec::Skip`] so that
//! operation indices (the passes' hints) stay put.
//!
//! * [`drop_reloads`]: a 32-bit load of the word a store just wrote from the
//!   same register (only non-entry labels between) is dropped.
//! * [`drop_jumps_to_next`]: a jump to the next instruction is dropped.
//! * [`invert_jumps_over_jumps`]: a conditional jump over an unconditional
//!   one becomes the inverted conditional jump.
//! * [`drop_unread_moves`]: a move into `r4-r6` that nothing reads is dropped.
//! * [`fuse_moves`]: `mov d, s` followed by a shift of `d` by a constant
//!   becomes one three-operand 16-bit shift.
//! * [`free_call_registers`]: a table call whose `r2` or `r3` holds nothing
//!   it can read (clobbered by the last call, not written since) loads the
//!   function address into it, for 16-bit `ldr`/`blx` instead of going
//!   through `ip`.
//! * [`table_source`] (ARMv6-M): whether table calls can reload `r7` from
//!   where the function loaded it, so that `r8` need not keep a copy.
//! * [`uses_high_registers`]: whether the function touches `r8-r11` at all
//!   (if not, ARMv7-M prologues save only `r4-r7` with a 16-bit `push`).

use alloc::vec;
use alloc::vec::Vec;

use ferropy_emit_native::{Cond, Label, Width};

use crate::masm::Rec;
use crate::pass::TableSource;
use crate::regs::{self, Reg};
use ferropy_emit_native::{BinOp, ShiftOp};

/// The label an operation refers to, if any.
fn target(rec: &Rec) -> Option<Label> {
    match *rec {
        Rec::LabelAddr(_, l)
        | Rec::Jump(l)
        | Rec::JumpIfZero(_, _, l)
        | Rec::JumpIfNonzero(_, _, l)
        | Rec::JumpIfEq(_, _, l)
        | Rec::CallLocal(l)
        | Rec::JumpIfEqImm(_, _, _, l)
        | Rec::JumpIfBitClear(_, _, _, l)
        | Rec::JumpIfCond(_, _, _, l)
        | Rec::JumpIfCondImm(_, _, _, _, l)
        | Rec::JumpIfBits(_, _, _, _, l)
        | Rec::BinopOverflow(_, _, _, l) => Some(l),
        _ => None,
    }
}

/// Which labels are entries (see the module documentation), by label index.
pub(crate) fn entries(ops: &[Rec]) -> Vec<bool> {
    let n = ops.iter().filter(|r| matches!(r, Rec::NewLabel)).count();
    let mut used = vec![false; n];
    for l in ops.iter().filter_map(target) {
        if let Some(u) = used.get_mut(l.0 as usize) {
            *u = true;
        }
    }
    used
}

/// True for operations that emit nothing and that no jump can land on.
fn transparent(rec: &Rec, entries: &[bool]) -> bool {
    match rec {
        Rec::NewLabel | Rec::Skip | Rec::Dead(_) => true,
        Rec::Bind(l) => !entries.get(l.0 as usize).copied().unwrap_or(true),
        _ => false,
    }
}

/// Where a stored word lives: `[base + offset]` (in units of the width) or a stack slot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Mem(Reg, i32),
    Slot(usize),
    /// `reg + constant` (an `add` into another register).
    Sum(Reg, i32),
    /// `[base + index]` of this width (an indexed load).
    Indexed(Width, Reg, Reg),
}

/// Bytes a memory access of width `w` covers.
fn width_bytes(w: Width) -> i64 {
    match w {
        Width::U8 => 1,
        Width::U16 => 2,
        Width::U32 | Width::Word => 4,
    }
}

fn is_word(w: Width) -> bool {
    matches!(w, Width::U32 | Width::Word)
}

/// Drops each 32-bit load whose register already holds the word. Going
/// through the code in order, a word store or load makes "this place holds
/// this register" known; it stays known until the register (or the base
/// register of the place) is written, a store may overwrite the place (any
/// store through another base or to the stack, a store through the same base
/// that overlaps it), or control may arrive from elsewhere (an entry label,
/// a call, anything but a conditional jump's fall-through).
pub(crate) fn drop_reloads(ops: &mut [Rec], entries: &[bool]) {
    let mut known: Vec<(Place, Reg)> = Vec::new();
    for rec in ops.iter_mut() {
        if transparent(rec, entries) {
            continue;
        }
        match *rec {
            Rec::Load(w, d, b, o) if is_word(w) => {
                let place = Place::Mem(b, o);
                if d != b && known.contains(&(place, d)) {
                    *rec = Rec::Skip;
                    continue;
                }
                forget_reg(&mut known, d);
                if d != b {
                    known.push((place, d));
                }
            }
            Rec::LoadSlot(d, slot) => {
                let place = Place::Slot(slot);
                if known.contains(&(place, d)) {
                    *rec = Rec::Skip;
                    continue;
                }
                forget_reg(&mut known, d);
                known.push((place, d));
            }
            Rec::BinopImmFrom(BinOp::Add, d, s, v) if d != s => {
                if known_result(&mut known, Place::Sum(s, v), d) {
                    *rec = Rec::Skip;
                }
            }
            Rec::LoadIndexed(w, d, b, i) if d != b && d != i => {
                if known_result(&mut known, Place::Indexed(w, b, i), d) {
                    *rec = Rec::Skip;
                }
            }
            Rec::StoreIndexed(..) => {
                // Any memory may change; sums of registers stay.
                known.retain(|&(p, _)| matches!(p, Place::Sum(..)));
            }
            Rec::Store(w, src, b, o) => {
                let size = width_bytes(w);
                let at = i64::from(o) * size;
                // Only places through the same base that it cannot overlap survive.
                known.retain(|&(p, _)| match p {
                    Place::Mem(pb, po) => pb == b && (i64::from(po) * 4 >= at + size || i64::from(po) * 4 + 4 <= at),
                    Place::Slot(_) | Place::Indexed(..) => false,
                    Place::Sum(..) => true,
                });
                if is_word(w) && src != b {
                    known.push((Place::Mem(b, o), src));
                }
            }
            Rec::StoreSlot(slot, src) => {
                known.retain(|&(p, _)| matches!(p, Place::Slot(s) if s != slot) || matches!(p, Place::Sum(..)));
                known.push((Place::Slot(slot), src));
            }
            Rec::JumpIfZero(..)
            | Rec::JumpIfNonzero(..)
            | Rec::JumpIfEq(..)
            | Rec::JumpIfEqImm(..)
            | Rec::JumpIfBitClear(..)
            | Rec::JumpIfCond(..)
            | Rec::JumpIfCondImm(..)
            | Rec::JumpIfBits(..)
            | Rec::BinopOverflow(..)
            | Rec::MovImm(..)
            | Rec::MovReg(..)
            | Rec::SlotAddr(..)
            | Rec::LabelAddr(..)
            | Rec::Binop(..)
            | Rec::Shift(..)
            | Rec::Neg(_)
            | Rec::Not(_)
            | Rec::SetCond(..)
            | Rec::Load(..)
            | Rec::LoadIndexed(..)
            | Rec::BinopImm(..)
            | Rec::ShiftImm(..)
            | Rec::ShiftImmFrom(..)
            | Rec::BinopImmFrom(..)
            | Rec::BinopFrom(..)
            | Rec::SdivFrom(..)
            | Rec::ShiftFrom(..)
            | Rec::Mls(..)
            | Rec::Mla(..)
            | Rec::Ubfx(..) => {
                for w in written(rec) {
                    forget_reg(&mut known, w);
                }
            }
            // Calls, stores through an index, entries, jumps, data...
            _ => known.clear(),
        }
    }
}

/// Drops each unconditional jump to the next instruction: only operations
/// that emit nothing lie between it and its label.
pub(crate) fn drop_jumps_to_next(ops: &mut [Rec]) {
    for i in 0..ops.len() {
        let Rec::Jump(l) = ops[i] else { continue };
        for rec in &ops[i + 1..] {
            match *rec {
                Rec::Bind(b) if b == l => {
                    ops[i] = Rec::Skip;
                    break;
                }
                Rec::Bind(_) | Rec::NewLabel | Rec::Skip | Rec::Dead(_) => {}
                _ => break,
            }
        }
    }
}

/// The conditional jump to `l` taken exactly when `rec` is not, if there is one.
fn inverted(rec: &Rec, l: Label) -> Option<Rec> {
    Some(match *rec {
        Rec::JumpIfZero(r, b, _) => Rec::JumpIfNonzero(r, b, l),
        Rec::JumpIfNonzero(r, b, _) => Rec::JumpIfZero(r, b, l),
        Rec::JumpIfEq(a, b, _) => Rec::JumpIfCond(Cond::Ne, a, b, l),
        Rec::JumpIfCond(c, a, b, _) => Rec::JumpIfCond(c.negate(), a, b, l),
        Rec::JumpIfEqImm(r, v, t, _) => Rec::JumpIfCondImm(Cond::Ne, r, v, t, l),
        Rec::JumpIfCondImm(c, r, v, t, _) => Rec::JumpIfCondImm(c.negate(), r, v, t, l),
        Rec::JumpIfBits(r, m, set, t, _) => Rec::JumpIfBits(r, m, !set, t, l),
        _ => return None,
    })
}

/// Turns `if c goto a; goto b; a:` into `if !c goto b; a:` (only operations
/// that emit nothing between them, and no label between the two jumps).
pub(crate) fn invert_jumps_over_jumps(ops: &mut [Rec]) {
    let emits_nothing = |r: &Rec| matches!(r, Rec::NewLabel | Rec::Skip | Rec::Dead(_));
    for i in 0..ops.len() {
        let Some(a) = target(&ops[i]) else { continue };
        let Some(j) = (i + 1..ops.len()).find(|&k| !emits_nothing(&ops[k])) else { continue };
        let Rec::Jump(b) = ops[j] else { continue };
        let lands = ops[j + 1..]
            .iter()
            .take_while(|r| emits_nothing(r) || matches!(r, Rec::Bind(_)))
            .any(|r| matches!(r, Rec::Bind(x) if *x == a));
        if let (true, Some(inv)) = (lands, inverted(&ops[i], b)) {
            // `b` may be created between the two jumps: the inverted jump
            // moves after its creation (only label creations lie between).
            ops[i] = inv;
            ops[i..j].rotate_left(1);
            ops[j] = Rec::Skip;
        }
    }
}

/// Forgets what is known about places held in `r` or addressed through it.
fn forget_reg(known: &mut Vec<(Place, Reg)>, r: Reg) {
    known.retain(|&(p, h)| {
        h != r
            && !matches!(p, Place::Mem(b, _) | Place::Sum(b, _) if b == r)
            && !matches!(p, Place::Indexed(_, b, i) if b == r || i == r)
    });
}

/// Computes `place` into `d` where `d` may already hold it: true if the
/// operation is redundant (drop it); else records it.
fn known_result(known: &mut Vec<(Place, Reg)>, place: Place, d: Reg) -> bool {
    if known.contains(&(place, d)) {
        return true;
    }
    forget_reg(known, d);
    known.push((place, d));
    false
}

/// Turns `mov d, s` + `shift_imm d, #c` (low registers, `c` in 1..=31) into
/// one [`Rec::ShiftImmFrom`], and `mov d, s` + `binop_imm d, #v` or
/// `binop d, r` into one [`Rec::BinopImmFrom`] or [`Rec::BinopFrom`] where
/// an instruction computes `d = s op v` (or `s op r`) at once. The two are
/// adjacent, so no label lies between.
pub(crate) fn fuse_moves(ops: &mut [Rec], v7: bool) {
    for i in 1..ops.len() {
        let Rec::MovReg(d, s) = ops[i - 1] else { continue };
        if d == s || d == regs::FUN_TABLE {
            continue;
        }
        let fused = match ops[i] {
            Rec::ShiftImm(op, d2, c, _) if d2 == d && d.is_low() && s.is_low() && (1..=31).contains(&c) => {
                Rec::ShiftImmFrom(op, d, s, c)
            }
            Rec::BinopImm(op, d2, v, _) if d2 == d && crate::pass::binop_imm_from_ok(v7, op, d, s, v) => {
                Rec::BinopImmFrom(op, d, s, v)
            }
            Rec::Sdiv(d2, r) if d2 == d && v7 => Rec::SdivFrom(d, s, if r == d { s } else { r }),
            Rec::Shift(op, d2, c) if d2 == d && v7 => Rec::ShiftFrom(op, d, s, if c == d { s } else { c }),
            Rec::Binop(op, d2, r) if d2 == d => {
                // `d` holds `s` when the operation reads it.
                let r = if r == d { s } else { r };
                if !crate::pass::binop_from_ok(v7, op, d, s, r) {
                    continue;
                }
                Rec::BinopFrom(op, d, s, r)
            }
            _ => continue,
        };
        ops[i - 1] = Rec::Skip;
        ops[i] = fused;
    }
}

/// The registers an operation reads, or `None` for an operation after which
/// the analysis of [`dead_after`] stops (control flow, calls, entries...).
fn reads(rec: &Rec) -> Option<Vec<Reg>> {
    Some(match *rec {
        Rec::MovImm(..) | Rec::LoadSlot(..) | Rec::Skip | Rec::NewLabel => Vec::new(),
        Rec::MovReg(_, s)
        | Rec::Load(_, _, s, _)
        | Rec::StoreSlot(_, s)
        | Rec::BinopImm(_, s, _, _)
        | Rec::ShiftImm(_, s, _, _)
        | Rec::ShiftImmFrom(_, _, s, _)
        | Rec::BinopImmFrom(_, _, s, _)
        | Rec::Neg(s)
        | Rec::Not(s) => vec![s],
        Rec::LoadIndexed(_, _, b, i) => vec![b, i],
        Rec::Store(_, s, b, _) | Rec::Binop(_, s, b) | Rec::Shift(_, s, b) | Rec::Sdiv(s, b) => vec![s, b],
        Rec::StoreIndexed(_, s, b, i) | Rec::Mls(s, b, i) => vec![s, b, i],
        Rec::Mla(_, a, b, c) => vec![a, b, c],
        Rec::Ubfx(_, s, _, _) => vec![s],
        Rec::BinopFrom(_, _, s, r) | Rec::SdivFrom(_, s, r) | Rec::ShiftFrom(_, _, s, r) | Rec::SetCond(_, _, s, r) => {
            vec![s, r]
        }
        _ => return None,
    })
}

/// True if the value of `r` after operation `i` is never read: going on
/// from there (through labels: what else jumps to them does not read this
/// value), an operation writes `r` before any reads it and before any jump
/// or call.
fn dead_after(ops: &[Rec], i: usize, r: Reg, entries: &[bool]) -> bool {
    for rec in &ops[i + 1..] {
        if let Rec::Dead(d) = *rec {
            if d == r {
                return true;
            }
            continue;
        }
        if transparent(rec, entries) || matches!(rec, Rec::Bind(_)) {
            continue;
        }
        let Some(read) = reads(rec) else { return false };
        if read.contains(&r) {
            return false;
        }
        if written(rec).contains(&r) {
            return true;
        }
    }
    false
}

/// Where an operation's result in a scratch register is only copied into
/// another register (`op r, ..` + `mov h, r`, `r` not read again), computes
/// it into `h` at once with a three-operand form (ARMv7-M: loads too); and
/// on ARMv7-M turns
/// `mul q, v` + `sub x, q` (`q` not read again) into one `mls`.
pub(crate) fn fuse_into_moves(ops: &mut [Rec], entries: &[bool], v7: bool) {
    let mut prev: Option<usize> = None;
    for i in 0..ops.len() {
        if matches!(ops[i], Rec::Skip | Rec::Dead(_)) {
            continue;
        }
        let Some(p) = prev.replace(i) else { continue };
        let fused = match (&ops[p], &ops[i]) {
            (&Rec::Binop(BinOp::Mul, q, v), &Rec::Binop(BinOp::Sub, x, q2))
                if v7 && q2 == q && x != q && v != x && dead_after(ops, i, q, entries) =>
            {
                Rec::Mls(x, q, v)
            }
            (&Rec::Binop(BinOp::Mul, ..) | &Rec::BinopFrom(BinOp::Mul, ..), add) if v7 => {
                let (q, a, b) = match ops[p] {
                    Rec::Binop(_, q, v) => (q, q, v),
                    Rec::BinopFrom(_, q, a, b) => (q, a, b),
                    _ => continue,
                };
                // `d = q + acc` (either order) where `q` is the product.
                let (d, acc) = match *add {
                    Rec::Binop(BinOp::Add, d, r) if r == q && d != q => (d, d),
                    Rec::Binop(BinOp::Add, d, r) if d == q && r != q => (d, r),
                    Rec::BinopFrom(BinOp::Add, d, s, r) if s == q && r != q => (d, r),
                    Rec::BinopFrom(BinOp::Add, d, s, r) if r == q && s != q => (d, s),
                    _ => continue,
                };
                if d != q && !dead_after(ops, i, q, entries) {
                    continue;
                }
                Rec::Mla(d, a, b, acc)
            }
            (&Rec::ShiftImm(ShiftOp::Shr | ShiftOp::Sar, d, c, _), &Rec::BinopImm(BinOp::And, d2, m, _))
                if v7 && d2 == d && low_mask_fits(c, m) =>
            {
                Rec::Ubfx(d, d, c, (m as u32 + 1).trailing_zeros() as u8)
            }
            (&Rec::ShiftImmFrom(ShiftOp::Shr | ShiftOp::Sar, d, s, c), &Rec::BinopImm(BinOp::And, d2, m, _))
                if v7 && d2 == d && low_mask_fits(c, m) =>
            {
                Rec::Ubfx(d, s, c, (m as u32 + 1).trailing_zeros() as u8)
            }
            (op, &Rec::MovReg(h, r)) if h != r && h != regs::FUN_TABLE && dead_after(ops, i, r, entries) => match *op {
                Rec::BinopImm(o, d, v, _) if d == r && crate::pass::binop_imm_from_ok(v7, o, h, r, v) => {
                    Rec::BinopImmFrom(o, h, r, v)
                }
                Rec::BinopImmFrom(o, d, s, v) if d == r && crate::pass::binop_imm_from_ok(v7, o, h, s, v) => {
                    Rec::BinopImmFrom(o, h, s, v)
                }
                Rec::Binop(o, d, b) if d == r && crate::pass::binop_from_ok(v7, o, h, r, b) => {
                    Rec::BinopFrom(o, h, r, b)
                }
                Rec::BinopFrom(o, d, s, b) if d == r && crate::pass::binop_from_ok(v7, o, h, s, b) => {
                    Rec::BinopFrom(o, h, s, b)
                }
                Rec::MovImm(d, v) if d == r && v7 => Rec::MovImm(h, v),
                Rec::Mla(d, a, b, c) if d == r => Rec::Mla(h, a, b, c),
                Rec::Ubfx(d, s, l, w) if d == r => Rec::Ubfx(h, s, l, w),
                Rec::Shift(o, d, c) if d == r && v7 => Rec::ShiftFrom(o, h, r, c),
                Rec::ShiftFrom(o, d, s, c) if d == r => Rec::ShiftFrom(o, h, s, c),
                // Loads reach every register on ARMv7-M.
                Rec::Load(w, d, b, o) if d == r && v7 => Rec::Load(w, h, b, o),
                Rec::LoadIndexed(w, d, b, x) if d == r && v7 => Rec::LoadIndexed(w, h, b, x),
                _ => continue,
            },
            _ => continue,
        };
        ops[p] = Rec::Skip;
        ops[i] = fused;
        prev = Some(i);
    }
}

/// True if `mask` is `2^k - 1` (`k >= 1`) and bits `shift..shift + k` lie in
/// the word: `(x >> shift) & mask` is then one `ubfx`, for logical and
/// arithmetic shifts alike.
fn low_mask_fits(shift: u8, mask: i32) -> bool {
    mask > 0
        && (mask & (mask + 1)) == 0
        && (1..=31).contains(&shift)
        && u32::from(shift) + (mask as u32 + 1).trailing_zeros() <= 32
}

/// Every register an operation names (read, written, or used as scratch).
fn named(rec: &Rec) -> Vec<Reg> {
    match *rec {
        Rec::MovImm(r, _)
        | Rec::LoadSlot(r, _)
        | Rec::StoreSlot(_, r)
        | Rec::SlotAddr(r, _)
        | Rec::LabelAddr(r, _)
        | Rec::Neg(r)
        | Rec::Not(r)
        | Rec::JumpIfZero(r, _, _)
        | Rec::JumpIfNonzero(r, _, _)
        | Rec::JumpReg(r)
        | Rec::LocalEntry(r)
        | Rec::CallTableVia(_, r) => vec![r],
        Rec::BinopImmFrom(_, d, s, _) | Rec::Ubfx(d, s, _, _) => vec![d, s],
        Rec::Mla(d, a, b, c) => vec![d, a, b, c],
        Rec::BinopFrom(_, d, s, r) | Rec::SdivFrom(d, s, r) | Rec::Mls(d, s, r) | Rec::ShiftFrom(_, d, s, r) => {
            vec![d, s, r]
        }
        Rec::MovReg(a, b)
        | Rec::Binop(_, a, b)
        | Rec::Shift(_, a, b)
        | Rec::JumpIfEq(a, b, _)
        | Rec::Load(_, a, b, _)
        | Rec::Store(_, a, b, _)
        | Rec::BinopImm(_, a, _, b)
        | Rec::ShiftImm(_, a, _, b)
        | Rec::JumpIfEqImm(a, _, b, _)
        | Rec::JumpIfBitClear(a, _, b, _)
        | Rec::ShiftImmFrom(_, a, b, _)
        | Rec::JumpIfCond(_, a, b, _)
        | Rec::JumpIfCondImm(_, a, _, b, _)
        | Rec::JumpIfBits(a, _, _, b, _)
        | Rec::BinopOverflow(_, a, b, _)
        | Rec::Sdiv(a, b) => vec![a, b],
        Rec::SetCond(_, a, b, c) | Rec::LoadIndexed(_, a, b, c) | Rec::StoreIndexed(_, a, b, c) => vec![a, b, c],
        _ => Vec::new(),
    }
}

/// Registers an operation may write (its destination and any scratch).
fn written(rec: &Rec) -> Vec<Reg> {
    match *rec {
        Rec::MovImm(r, _)
        | Rec::MovReg(r, _)
        | Rec::LoadSlot(r, _)
        | Rec::SlotAddr(r, _)
        | Rec::LabelAddr(r, _)
        | Rec::Binop(_, r, _)
        | Rec::Shift(_, r, _)
        | Rec::Neg(r)
        | Rec::Not(r)
        | Rec::SetCond(_, r, _, _)
        | Rec::Load(_, r, _, _)
        | Rec::LoadIndexed(_, r, _, _)
        | Rec::LocalEntry(r)
        | Rec::ShiftImmFrom(_, r, _, _)
        | Rec::BinopImmFrom(_, r, _, _)
        | Rec::BinopFrom(_, r, _, _)
        | Rec::SdivFrom(r, _, _)
        | Rec::ShiftFrom(_, r, _, _)
        | Rec::Mls(r, _, _)
        | Rec::Mla(r, _, _, _)
        | Rec::Ubfx(r, _, _, _)
        | Rec::BinopOverflow(_, r, _, _)
        | Rec::Sdiv(r, _) => vec![r],
        Rec::BinopImm(_, a, _, b) | Rec::ShiftImm(_, a, _, b) | Rec::JumpIfBitClear(a, _, b, _) => vec![a, b],
        Rec::JumpIfEqImm(_, _, s, _) | Rec::JumpIfCondImm(_, _, _, s, _) => vec![s],
        Rec::JumpIfBits(_, _, _, s, _) => vec![s],
        _ => Vec::new(),
    }
}

/// ARMv6-M: where table calls (`ldr r7, [r7, #i]; blx r7`) get the table
/// address back. [`TableSource::Kept`] if there are none and nothing writes
/// `r7`; [`TableSource::Reload`] if every write of `r7` is a word load from one
/// `[base, #offset]` (`base` one of `r4-r6`, small offset), the first of them
/// comes before any label and any table call, `base` is written only before
/// it (so it holds the same address from there on, also where the runtime
/// resumes the function: it restores callee-saved registers) and no store
/// through `base` may overwrite that word; otherwise [`TableSource::Copy`].
pub(crate) fn table_source(ops: &[Rec]) -> TableSource {
    if !ops.iter().any(|r| written(r).contains(&regs::FUN_TABLE)) {
        let calls = ops.iter().any(|r| matches!(r, Rec::CallTable(_)));
        return if calls { TableSource::Copy } else { TableSource::Kept };
    }
    let mut place: Option<(Reg, i32)> = None;
    let mut first_load = None;
    for (i, rec) in ops.iter().enumerate() {
        if !written(rec).contains(&regs::FUN_TABLE) {
            continue;
        }
        match *rec {
            Rec::Load(w, Reg::R7, b, o)
                if is_word(w) && matches!(b, Reg::R4 | Reg::R5 | Reg::R6) && (0..=31).contains(&o) =>
            {
                if place.is_some_and(|p| p != (b, o)) {
                    return TableSource::Copy;
                }
                place = Some((b, o));
                first_load.get_or_insert(i);
            }
            _ => return TableSource::Copy,
        }
    }
    let (Some((base, offset)), Some(first)) = (place, first_load) else { return TableSource::Copy };
    let before_first =
        ops[..first].iter().all(|r| !matches!(r, Rec::Bind(_) | Rec::CallTable(_) | Rec::CallTableVia(..)));
    // The table's word, in bytes from `base`.
    let word = i64::from(offset) * 4..i64::from(offset) * 4 + 4;
    let base_fixed = ops[first..].iter().all(|r| {
        let overwrites = match *r {
            Rec::Store(w, _, b, o) if b == base => {
                let size = width_bytes(w);
                let at = i64::from(o) * size;
                at < word.end && word.start < at + size
            }
            Rec::StoreIndexed(_, _, b, _) => b == base,
            _ => false,
        };
        !written(r).contains(&base) && !overwrites
    });
    if before_first && base_fixed {
        TableSource::Reload(base, offset as u8)
    } else {
        TableSource::Copy
    }
}

/// Drops each move into one of the callee-saved `r4-r6` that nothing else
/// in the function names (the prologue's copy of an entry argument the
/// function never uses, such as the word-slot pointer of native code).
pub(crate) fn drop_unread_moves(ops: &mut [Rec]) {
    for r in [Reg::R4, Reg::R5, Reg::R6] {
        let mut namers = ops.iter().enumerate().filter(|(_, rec)| named(rec).contains(&r));
        let (Some((i, Rec::MovReg(d, _))), None) = (namers.next(), namers.next()) else { continue };
        if *d == r {
            ops[i] = Rec::Skip;
        }
    }
}

/// True if the function names any of `r8-r11`.
pub(crate) fn uses_high_registers(ops: &[Rec]) -> bool {
    ops.iter().flat_map(named).any(|r| (8..=11).contains(&r.num()))
}

/// Bits of the call registers that may be free (`r2`, `r3`).
const FREE_ALL: u8 = 0b1100;

fn free_bit(r: Reg) -> u8 {
    match r {
        Reg::R2 | Reg::R3 => 1 << r.num(),
        _ => 0,
    }
}

/// Rewrites each table call to [`Rec::CallTableVia`] when `r3` or `r2` is
/// free there on every path: clobbered by a call (which leaves results only
/// in `r0`/`r1`) and not written since. A forward analysis over the
/// function: a label that only jumps reach gets what holds at all of them
/// (and at the fall-through); the prologue, a local subroutine's entry and a
/// label whose address is taken (the runtime may continue there) leave every
/// register possibly live.
pub(crate) fn free_call_registers(ops: &mut [Rec], entries: &[bool]) {
    let n_labels = entries.len();
    // Labels whose address is taken or that are called: nothing known there.
    let mut opaque = vec![false; n_labels];
    for rec in ops.iter() {
        if let Rec::LabelAddr(_, l) | Rec::CallLocal(l) = rec {
            if let Some(o) = opaque.get_mut(l.0 as usize) {
                *o = true;
            }
        }
    }
    // The meet of the states the jumps to each label carry (all free until seen).
    let mut at_label = vec![FREE_ALL; n_labels];
    let mut vias: Vec<(usize, u8)> = Vec::new();
    // The states only shrink, so this settles (one round per loop nesting level).
    for _ in 0..=2 * n_labels + 1 {
        let before = at_label.clone();
        vias.clear();
        let mut cur = 0u8;
        for (i, rec) in ops.iter().enumerate() {
            match *rec {
                Rec::Bind(l) => {
                    let k = l.0 as usize;
                    cur = if opaque.get(k).copied().unwrap_or(true) {
                        0
                    } else {
                        cur & at_label.get(k).copied().unwrap_or(0)
                    };
                }
                Rec::Prologue(_) | Rec::LocalEntry(_) | Rec::Data(_) => cur = 0,
                Rec::CallTable(_) => {
                    vias.push((i, cur));
                    cur = FREE_ALL;
                }
                Rec::CallTableVia(..) | Rec::CallLocal(_) => cur = FREE_ALL,
                _ => {}
            }
            for w in written(rec) {
                cur &= !free_bit(w);
            }
            if let Some(l) = target(rec).filter(|_| !matches!(rec, Rec::LabelAddr(..) | Rec::CallLocal(_))) {
                if let Some(s) = at_label.get_mut(l.0 as usize) {
                    *s &= cur;
                }
            }
            // Nothing falls through these: what follows is reached by labels only.
            if matches!(rec, Rec::Jump(_) | Rec::JumpReg(_) | Rec::Epilogue | Rec::LocalReturn) {
                cur = FREE_ALL;
            }
        }
        if at_label == before {
            for &(i, free) in &vias {
                let via = [Reg::R3, Reg::R2].into_iter().find(|r| free & free_bit(*r) != 0);
                if let (Some(via), Rec::CallTable(index)) = (via, &ops[i]) {
                    ops[i] = Rec::CallTableVia(*index, via);
                }
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use ferropy_emit_native::ShiftOp;

    #[test]
    fn reloads_are_dropped_across_position_labels_only() {
        let mut ops = vec![
            Rec::NewLabel,
            Rec::NewLabel,
            Rec::Store(Width::Word, Reg::R0, Reg::R5, 1),
            Rec::Bind(Label(0)),
            Rec::Load(Width::Word, Reg::R0, Reg::R5, 1),
            // Label 1 is a jump target: the load stays.
            Rec::StoreSlot(2, Reg::R1),
            Rec::Bind(Label(1)),
            Rec::LoadSlot(Reg::R1, 2),
            // Another register, offset, width, or a load into the base: stays.
            Rec::StoreSlot(3, Reg::R1),
            Rec::LoadSlot(Reg::R2, 3),
            Rec::Store(Width::U8, Reg::R0, Reg::R5, 1),
            Rec::Load(Width::U8, Reg::R0, Reg::R5, 1),
            Rec::Store(Width::U32, Reg::R0, Reg::R5, 1),
            Rec::Load(Width::U32, Reg::R0, Reg::R5, 2),
            Rec::Store(Width::U32, Reg::R5, Reg::R5, 1),
            Rec::Load(Width::U32, Reg::R5, Reg::R5, 1),
            Rec::Jump(Label(1)),
        ];
        let e = entries(&ops);
        assert_eq!(e, [false, true]);
        let before = ops.clone();
        drop_reloads(&mut ops, &e);
        assert!(matches!(ops[4], Rec::Skip));
        for i in (0..ops.len()).filter(|i| *i != 4) {
            assert_eq!(format!("{:?}", ops[i]), format!("{:?}", before[i]), "op {i}");
        }
    }

    #[test]
    fn sums_and_indexed_loads_are_not_recomputed() {
        let u8w = Width::U8;
        let run = |mut ops: Vec<Rec>| {
            let e = entries(&ops);
            drop_reloads(&mut ops, &e);
            ops.iter().map(|r| matches!(r, Rec::Skip)).collect::<Vec<_>>()
        };
        let cmp = vec![
            Rec::LoadIndexed(u8w, Reg::R0, Reg::R9, Reg::R8),
            Rec::BinopImmFrom(BinOp::Add, Reg::R1, Reg::R8, 1),
            Rec::LoadIndexed(u8w, Reg::R2, Reg::R9, Reg::R1),
            Rec::JumpIfCond(Cond::LeS, Reg::R0, Reg::R2, Label(0)),
        ];
        // The swap of a bubble sort: only the two stores are left.
        let mut ops = cmp.clone();
        ops.extend([
            Rec::LoadIndexed(u8w, Reg::R0, Reg::R9, Reg::R8),
            Rec::BinopImmFrom(BinOp::Add, Reg::R1, Reg::R8, 1),
            Rec::LoadIndexed(u8w, Reg::R2, Reg::R9, Reg::R1),
            Rec::StoreIndexed(u8w, Reg::R2, Reg::R9, Reg::R8),
            Rec::BinopImmFrom(BinOp::Add, Reg::R1, Reg::R8, 1),
            Rec::LoadIndexed(u8w, Reg::R2, Reg::R9, Reg::R1),
            Rec::StoreIndexed(u8w, Reg::R0, Reg::R9, Reg::R1),
        ]);
        let skipped = run(ops);
        assert_eq!(skipped[4..], [true, true, true, false, true, false, false]);
        // Writes of the base, the index or the register, and other widths,
        // are seen.
        for between in [
            Rec::MovImm(Reg::R8, 0),
            Rec::MovImm(Reg::R9, 0),
            Rec::BinopImm(BinOp::Add, Reg::R0, 1, Reg::R3),
            Rec::Store(Width::Word, Reg::R3, Reg::R6, 1),
            Rec::CallTable(3),
        ] {
            let mut ops = cmp.clone();
            ops.push(between);
            ops.push(Rec::LoadIndexed(u8w, Reg::R0, Reg::R9, Reg::R8));
            assert!(!run(ops).last().copied().unwrap_or(true));
        }
        let mut ops = cmp.clone();
        ops.push(Rec::LoadIndexed(Width::U16, Reg::R0, Reg::R9, Reg::R8));
        assert!(!run(ops).last().copied().unwrap_or(true));
    }

    #[test]
    fn known_words_survive_unrelated_code_only() {
        let w = Width::Word;
        let dropped = |mut ops: Vec<Rec>| {
            let e = entries(&ops);
            drop_reloads(&mut ops, &e);
            matches!(ops.last(), Some(Rec::Skip))
        };
        let reload = Rec::Load(w, Reg::R0, Reg::R5, 2);
        let with = |between: Vec<Rec>| {
            let mut ops = vec![Rec::Load(w, Reg::R0, Reg::R5, 2)];
            ops.extend(between);
            ops.push(reload.clone());
            dropped(ops)
        };
        // Loads make words known too; other registers, other places through
        // the same base, and conditional jumps leave them alone.
        assert!(with(vec![]));
        assert!(with(vec![
            Rec::Load(w, Reg::R1, Reg::R5, 3),
            Rec::Store(w, Reg::R1, Reg::R5, 4),
            Rec::Store(Width::U8, Reg::R1, Reg::R5, 12),
            Rec::Store(Width::U16, Reg::R1, Reg::R5, 3),
            Rec::MovImm(Reg::R2, 1),
            Rec::JumpIfZero(Reg::R2, false, Label(0)),
            Rec::Load(w, Reg::R0, Reg::R5, 2),
        ]));
        // Anything that may change the register, the base or the word, or
        // come from elsewhere, forgets it.
        for between in [
            vec![Rec::MovImm(Reg::R0, 1)],
            vec![Rec::Load(w, Reg::R0, Reg::R5, 3)],
            vec![Rec::MovReg(Reg::R5, Reg::R1)],
            vec![Rec::Store(w, Reg::R1, Reg::R5, 2)],
            vec![Rec::Store(Width::U8, Reg::R1, Reg::R5, 9)],
            vec![Rec::Store(Width::U16, Reg::R1, Reg::R5, 5)],
            vec![Rec::Store(w, Reg::R1, Reg::R6, 0)],
            vec![Rec::StoreSlot(0, Reg::R1)],
            vec![Rec::StoreIndexed(Width::U8, Reg::R1, Reg::R6, Reg::R2)],
            vec![Rec::CallTable(1)],
            vec![Rec::CallLocal(Label(0))],
            vec![Rec::NewLabel, Rec::Bind(Label(0)), Rec::Jump(Label(0))],
            vec![Rec::BinopImm(ferropy_emit_native::BinOp::Add, Reg::R1, 1000, Reg::R0)],
        ] {
            assert!(!with(between.clone()), "{between:?}");
        }
        // Slots: stores through registers may point at the stack.
        let slot = |between: Vec<Rec>| {
            let mut ops = vec![Rec::StoreSlot(1, Reg::R2)];
            ops.extend(between);
            ops.push(Rec::LoadSlot(Reg::R2, 1));
            dropped(ops)
        };
        assert!(slot(vec![Rec::StoreSlot(2, Reg::R3), Rec::LoadSlot(Reg::R3, 0)]));
        assert!(!slot(vec![Rec::Store(w, Reg::R3, Reg::R5, 0)]));
        assert!(!slot(vec![Rec::StoreSlot(1, Reg::R3)]));
    }

    #[test]
    fn moves_fuse_with_constant_shifts_of_low_registers() {
        let mut ops = vec![
            Rec::MovReg(Reg::R1, Reg::R0),
            Rec::ShiftImm(ShiftOp::Shr, Reg::R1, 4, Reg::R2),
            Rec::MovReg(Reg::R1, Reg::R8),
            Rec::ShiftImm(ShiftOp::Shr, Reg::R1, 4, Reg::R2),
            Rec::MovReg(Reg::R1, Reg::R0),
            Rec::ShiftImm(ShiftOp::Shl, Reg::R2, 4, Reg::R3),
            Rec::MovReg(Reg::R1, Reg::R0),
            Rec::ShiftImm(ShiftOp::Sar, Reg::R1, 0, Reg::R3),
        ];
        fuse_moves(&mut ops, true);
        assert!(matches!(ops[0], Rec::Skip));
        assert!(matches!(ops[1], Rec::ShiftImmFrom(ShiftOp::Shr, Reg::R1, Reg::R0, 4)));
        assert!(ops[2..].iter().all(|r| !matches!(r, Rec::Skip | Rec::ShiftImmFrom(..))));
    }

    #[test]
    fn moves_fuse_into_three_operand_forms() {
        let mut ops = vec![
            // add.w r1, r8, #1; sdiv r2, r0, r3; ARMv6-M-incompatible forms.
            Rec::MovReg(Reg::R1, Reg::R8),
            Rec::BinopImm(BinOp::Add, Reg::R1, 1, Reg::R2),
            Rec::MovReg(Reg::R2, Reg::R0),
            Rec::Sdiv(Reg::R2, Reg::R3),
            // `mov r1, r1` is not a copy; a constant needing its scratch stays.
            Rec::MovReg(Reg::R1, Reg::R0),
            Rec::BinopImm(BinOp::Xor, Reg::R1, 0x1234_5678, Reg::R2),
        ];
        fuse_moves(&mut ops, true);
        assert!(matches!(ops[0], Rec::Skip) && matches!(ops[2], Rec::Skip));
        assert!(matches!(ops[1], Rec::BinopImmFrom(BinOp::Add, Reg::R1, Reg::R8, 1)));
        assert!(matches!(ops[3], Rec::SdivFrom(Reg::R2, Reg::R0, Reg::R3)));
        assert!(matches!(ops[4], Rec::MovReg(..)) && matches!(ops[5], Rec::BinopImm(..)));
        let mut shifts = vec![Rec::MovReg(Reg::R0, Reg::Lr), Rec::Shift(ShiftOp::Sar, Reg::R0, Reg::R8)];
        fuse_moves(&mut shifts, true);
        assert!(matches!(shifts[1], Rec::ShiftFrom(ShiftOp::Sar, Reg::R0, Reg::Lr, Reg::R8)));
        // ARMv6-M: only `adds/subs` of low registers.
        let mut v6 = vec![
            Rec::MovReg(Reg::R1, Reg::R0),
            Rec::BinopImm(BinOp::Add, Reg::R1, 3, Reg::R2),
            Rec::MovReg(Reg::R1, Reg::R0),
            Rec::BinopImm(BinOp::And, Reg::R1, 255, Reg::R2),
        ];
        fuse_moves(&mut v6, false);
        assert!(matches!(v6[1], Rec::BinopImmFrom(BinOp::Add, Reg::R1, Reg::R0, 3)));
        assert!(matches!(v6[2], Rec::MovReg(..)) && matches!(v6[3], Rec::BinopImm(..)));
    }

    #[test]
    fn results_only_copied_into_homes_are_computed_there() {
        let l = Label(0);
        let run = |tail: Vec<Rec>| {
            let mut ops = vec![
                Rec::NewLabel,
                Rec::Binop(BinOp::Add, Reg::R0, Reg::R1),
                Rec::MovReg(Reg::R9, Reg::R0),
                Rec::BinopImm(BinOp::Add, Reg::R8, 1, Reg::R2),
            ];
            ops.extend(tail);
            let entries = entries(&ops);
            fuse_into_moves(&mut ops, &entries, true);
            matches!(ops[2], Rec::BinopFrom(BinOp::Add, Reg::R9, Reg::R0, Reg::R1))
        };
        // `r0` written again (past a label other code jumps to): fused.
        assert!(run(vec![Rec::Bind(l), Rec::Load(Width::U8, Reg::R0, Reg::R7, 24), Rec::Jump(l)]));
        // Read again, or maybe read where a jump or call goes: kept.
        assert!(!run(vec![Rec::Bind(l), Rec::Store(Width::Word, Reg::R0, Reg::R6, 1), Rec::Jump(l)]));
        assert!(!run(vec![Rec::JumpIfZero(Reg::R3, false, l), Rec::MovImm(Reg::R0, 0), Rec::Bind(l)]));
        assert!(!run(vec![Rec::CallTable(1)]));
        assert!(!run(Vec::new()));
        // `mul q, v` + `sub x, q` with `q` dead: `mls`.
        let mut ops = vec![
            Rec::Binop(BinOp::Mul, Reg::R1, Reg::R2),
            Rec::Binop(BinOp::Sub, Reg::R0, Reg::R1),
            Rec::MovReg(Reg::R1, Reg::R0),
        ];
        fuse_into_moves(&mut ops, &[], true);
        assert!(matches!(ops[1], Rec::Mls(Reg::R0, Reg::R1, Reg::R2)));
        assert!(matches!(ops[0], Rec::Skip));
        let mut v6 = vec![Rec::Binop(BinOp::Mul, Reg::R1, Reg::R2), Rec::Binop(BinOp::Sub, Reg::R0, Reg::R1)];
        fuse_into_moves(&mut v6, &[], false);
        assert!(matches!(v6[0], Rec::Binop(..)));
    }

    #[test]
    fn products_accumulate_and_masked_shifts_extract() {
        let l = Label(0);
        let mut ops = vec![
            // r1 = fp * r0 + r3, r2 dead (written after).
            Rec::BinopFrom(BinOp::Mul, Reg::R2, Reg::R11, Reg::R0),
            Rec::Binop(BinOp::Add, Reg::R3, Reg::R2),
            Rec::MovReg(Reg::R2, Reg::R0),
            // q = q * v + r: `q` is the result.
            Rec::Binop(BinOp::Mul, Reg::R1, Reg::R2),
            Rec::Binop(BinOp::Add, Reg::R1, Reg::R0),
            // The product read again: kept.
            Rec::Binop(BinOp::Mul, Reg::R1, Reg::R2),
            Rec::Binop(BinOp::Add, Reg::R0, Reg::R1),
            Rec::Store(Width::Word, Reg::R1, Reg::R6, 0),
            // (r0 >> 8) & 0xff, (r9 asr 28) & 15, but not (r0 >> 30) & 15.
            Rec::ShiftImm(ShiftOp::Sar, Reg::R0, 8, Reg::R3),
            Rec::BinopImm(BinOp::And, Reg::R0, 0xff, Reg::R3),
            Rec::ShiftImmFrom(ShiftOp::Shr, Reg::R1, Reg::R9, 28),
            Rec::BinopImm(BinOp::And, Reg::R1, 15, Reg::R3),
            Rec::ShiftImm(ShiftOp::Shr, Reg::R2, 30, Reg::R3),
            Rec::BinopImm(BinOp::And, Reg::R2, 15, Reg::R3),
            Rec::Jump(l),
        ];
        let e = entries(&ops);
        fuse_into_moves(&mut ops, &e, true);
        assert!(matches!(ops[0], Rec::Skip) && matches!(ops[1], Rec::Mla(Reg::R3, Reg::R11, Reg::R0, Reg::R3)));
        assert!(matches!(ops[3], Rec::Skip) && matches!(ops[4], Rec::Mla(Reg::R1, Reg::R1, Reg::R2, Reg::R0)));
        assert!(matches!(ops[5], Rec::Binop(..)) && matches!(ops[6], Rec::Binop(..)));
        assert!(matches!(ops[9], Rec::Ubfx(Reg::R0, Reg::R0, 8, 8)));
        assert!(matches!(ops[11], Rec::Ubfx(Reg::R1, Reg::R9, 28, 4)));
        assert!(matches!(ops[13], Rec::BinopImm(..)));
        // ARMv6-M has neither.
        let mut v6 = vec![Rec::Binop(BinOp::Mul, Reg::R1, Reg::R2), Rec::Binop(BinOp::Add, Reg::R1, Reg::R0)];
        fuse_into_moves(&mut v6, &[], false);
        assert!(matches!(v6[1], Rec::Binop(..)));
    }

    #[test]
    fn table_calls_use_a_register_the_last_call_clobbered() {
        // The register `CallTable(5)` goes through, if any.
        let run = |mut ops: Vec<Rec>| {
            if !ops.iter().any(|r| matches!(r, Rec::CallTable(5))) {
                ops.push(Rec::CallTable(5));
            }
            let e = entries(&ops);
            free_call_registers(&mut ops, &e);
            ops.iter().find_map(|r| match r {
                Rec::CallTableVia(5, r) => Some(*r),
                _ => None,
            })
        };
        let lab = || Rec::NewLabel;
        let l0 = Label(0);
        // r3 and r2 untouched since the last call.
        assert_eq!(run(vec![Rec::CallTable(1), Rec::MovImm(Reg::R1, 7)]), Some(Reg::R3));
        // r3 is an argument: r2.
        assert_eq!(run(vec![Rec::CallLocal(l0), lab(), Rec::MovImm(Reg::R3, 7)]), Some(Reg::R2));
        // Both set (one as a scratch): none.
        assert_eq!(
            run(vec![
                Rec::CallTable(1),
                Rec::MovImm(Reg::R3, 7),
                Rec::BinopImm(ferropy_emit_native::BinOp::Add, Reg::R0, 999, Reg::R2)
            ]),
            None
        );
        // A position label and a conditional jump are passed.
        assert_eq!(
            run(vec![lab(), lab(), Rec::CallTable(1), Rec::Bind(l0), Rec::JumpIfZero(Reg::R0, false, Label(1))]),
            Some(Reg::R3)
        );
        // A jump target gets what holds on every path to it: here r3 is set
        // on the jump's path.
        assert_eq!(
            run(vec![
                lab(),
                Rec::CallTable(1),
                Rec::MovImm(Reg::R3, 7),
                Rec::JumpIfZero(Reg::R0, false, l0),
                Rec::CallTable(2),
                Rec::Bind(l0),
                Rec::CallTable(5),
            ]),
            Some(Reg::R2)
        );
        // A loop: the back edge sets r3 after the call.
        assert_eq!(
            run(vec![
                lab(),
                Rec::CallTable(1),
                Rec::Bind(l0),
                Rec::MovImm(Reg::R1, 1),
                Rec::CallTable(5),
                Rec::MovImm(Reg::R3, 1),
                Rec::JumpIfNonzero(Reg::R0, false, l0),
            ]),
            Some(Reg::R2)
        );
        // A label whose address is taken, the prologue, a subroutine entry,
        // data, or no call before: nothing is known.
        assert_eq!(
            run(vec![lab(), Rec::CallTable(1), Rec::Bind(l0), Rec::CallTable(5), Rec::LabelAddr(Reg::R1, l0)]),
            None
        );
        assert_eq!(run(vec![Rec::Prologue(1)]), None);
        assert_eq!(run(vec![Rec::CallTable(1), Rec::LocalEntry(Reg::R3)]), None);
        assert_eq!(run(vec![Rec::CallTable(1), Rec::Data(vec![0, 0])]), None);
        assert_eq!(run(vec![Rec::MovImm(Reg::R1, 7)]), None);
    }

    #[test]
    fn the_table_is_reloaded_from_where_it_was_loaded() {
        let load = Rec::Load(Width::Word, Reg::R7, Reg::R4, 0);
        let entry = vec![Rec::MovReg(Reg::R4, Reg::R0), load.clone()];
        let with = |more: &[Rec]| {
            let mut ops = entry.clone();
            ops.extend_from_slice(more);
            ops.push(Rec::CallTable(3));
            table_source(&ops)
        };
        assert_eq!(table_source(&[Rec::MovReg(Reg::R4, Reg::R0)]), TableSource::Kept);
        assert_eq!(table_source(&entry), TableSource::Reload(Reg::R4, 0));
        assert_eq!(with(&[]), TableSource::Reload(Reg::R4, 0));
        // Stores through the base elsewhere are fine.
        let beside = [
            Rec::Store(Width::Word, Reg::R1, Reg::R4, 1),
            Rec::Store(Width::U8, Reg::R1, Reg::R4, 4),
            Rec::Store(Width::U16, Reg::R1, Reg::R4, -1),
        ];
        assert_eq!(with(&beside), TableSource::Reload(Reg::R4, 0));
        // The same load again later is fine.
        assert_eq!(with(&[Rec::NewLabel, Rec::Bind(Label(0)), load.clone()]), TableSource::Reload(Reg::R4, 0));
        // Another source, another kind of write, the base changed or stored
        // through, or a label before the first load: the copy in r8.
        for bad in [
            vec![Rec::Load(Width::Word, Reg::R7, Reg::R4, 1)],
            vec![Rec::Load(Width::Word, Reg::R7, Reg::R0, 0)],
            vec![Rec::MovReg(Reg::R7, Reg::R1)],
            vec![Rec::MovImm(Reg::R4, 0)],
            vec![Rec::Store(Width::Word, Reg::R1, Reg::R4, 0)],
            vec![Rec::Store(Width::U8, Reg::R1, Reg::R4, 3)],
            vec![Rec::Store(Width::U16, Reg::R1, Reg::R4, 1)],
            vec![Rec::StoreIndexed(Width::U8, Reg::R1, Reg::R4, Reg::R2)],
        ] {
            assert_eq!(with(&bad), TableSource::Copy, "{bad:?}");
        }
        let late =
            vec![Rec::NewLabel, Rec::Bind(Label(0)), Rec::MovReg(Reg::R4, Reg::R0), load.clone(), Rec::CallTable(3)];
        assert_eq!(table_source(&late), TableSource::Copy);
        let call_first = vec![Rec::MovReg(Reg::R4, Reg::R0), Rec::CallTable(3), load, Rec::CallTable(3)];
        assert_eq!(table_source(&call_first), TableSource::Copy);
        assert_eq!(table_source(&[Rec::CallTable(3)]), TableSource::Copy);
    }

    #[test]
    fn high_registers_are_seen_in_every_position() {
        assert!(!uses_high_registers(&[Rec::MovReg(Reg::R4, Reg::R7), Rec::CallTable(3)]));
        for rec in [
            Rec::MovReg(Reg::R8, Reg::R0),
            Rec::Load(Width::Word, Reg::R0, Reg::R11, 0),
            Rec::SetCond(ferropy_emit_native::Cond::Eq, Reg::R0, Reg::R1, Reg::R9),
            Rec::StoreSlot(0, Reg::R10),
        ] {
            assert!(uses_high_registers(core::slice::from_ref(&rec)), "{rec:?}");
        }
    }

    #[test]
    fn jumps_to_the_next_instruction_are_dropped() {
        let mut ops = vec![
            Rec::NewLabel,
            Rec::NewLabel,
            Rec::Jump(Label(0)),
            Rec::NewLabel,
            Rec::Bind(Label(1)),
            Rec::Bind(Label(0)),
            // Code between: the jump stays.
            Rec::Jump(Label(1)),
            Rec::MovImm(Reg::R0, 1),
            Rec::Bind(Label(1)),
        ];
        drop_jumps_to_next(&mut ops);
        assert!(matches!(ops[2], Rec::Skip));
        assert!(matches!(ops[6], Rec::Jump(Label(1))));
    }

    #[test]
    fn conditional_jumps_over_jumps_are_inverted() {
        let l = |i| Label(i);
        let cases = [
            (Rec::JumpIfZero(Reg::R0, true, l(0)), Rec::JumpIfNonzero(Reg::R0, true, l(1))),
            (Rec::JumpIfNonzero(Reg::R1, false, l(0)), Rec::JumpIfZero(Reg::R1, false, l(1))),
            (Rec::JumpIfEq(Reg::R0, Reg::R1, l(0)), Rec::JumpIfCond(Cond::Ne, Reg::R0, Reg::R1, l(1))),
            (Rec::JumpIfCond(Cond::LtS, Reg::R0, Reg::R1, l(0)), Rec::JumpIfCond(Cond::GeS, Reg::R0, Reg::R1, l(1))),
            (Rec::JumpIfEqImm(Reg::R2, 7, Reg::R3, l(0)), Rec::JumpIfCondImm(Cond::Ne, Reg::R2, 7, Reg::R3, l(1))),
            (
                Rec::JumpIfCondImm(Cond::GtU, Reg::R2, 7, Reg::R3, l(0)),
                Rec::JumpIfCondImm(Cond::LeU, Reg::R2, 7, Reg::R3, l(1)),
            ),
            (Rec::JumpIfBits(Reg::R0, 4, true, Reg::R3, l(0)), Rec::JumpIfBits(Reg::R0, 4, false, Reg::R3, l(1))),
        ];
        for (jump, want) in cases {
            // The second label is created between the two jumps: the
            // inverted jump moves after its creation.
            let mut ops = vec![
                Rec::NewLabel,
                jump.clone(),
                Rec::NewLabel,
                Rec::Jump(l(1)),
                Rec::Bind(l(0)),
                Rec::MovImm(Reg::R0, 1),
                Rec::Bind(l(1)),
            ];
            invert_jumps_over_jumps(&mut ops);
            assert!(matches!(ops[1], Rec::NewLabel), "{ops:?}");
            assert_eq!(format!("{:?}", ops[2]), format!("{want:?}"));
            assert!(matches!(ops[3], Rec::Skip));
            // Code between the jumps, or a jump that does not land right
            // after: nothing changes.
            for ops in [
                vec![
                    Rec::NewLabel,
                    Rec::NewLabel,
                    jump.clone(),
                    Rec::MovImm(Reg::R0, 1),
                    Rec::Jump(l(1)),
                    Rec::Bind(l(0)),
                ],
                vec![
                    Rec::NewLabel,
                    Rec::NewLabel,
                    jump.clone(),
                    Rec::Jump(l(1)),
                    Rec::MovImm(Reg::R0, 1),
                    Rec::Bind(l(0)),
                ],
            ] {
                let mut after = ops.clone();
                invert_jumps_over_jumps(&mut after);
                assert_eq!(format!("{after:?}"), format!("{ops:?}"));
            }
        }
        // Jumps without an inverse stay.
        let mut ops = vec![
            Rec::NewLabel,
            Rec::NewLabel,
            Rec::JumpIfBitClear(Reg::R0, 0, Reg::R1, l(0)),
            Rec::Jump(l(1)),
            Rec::Bind(l(0)),
        ];
        invert_jumps_over_jumps(&mut ops);
        assert!(matches!(ops[3], Rec::Jump(_)));
    }

    #[test]
    fn moves_into_unread_registers_are_dropped() {
        let mut ops = vec![
            Rec::Prologue(1),
            Rec::MovReg(Reg::R4, Reg::R0),
            Rec::MovReg(Reg::R5, Reg::R1),
            Rec::MovReg(Reg::R6, Reg::R2),
            Rec::Load(Width::Word, Reg::R7, Reg::R4, 0),
            Rec::Sdiv(Reg::R0, Reg::R5),
            Rec::MovReg(Reg::R1, Reg::R0),
        ];
        drop_unread_moves(&mut ops);
        assert!(matches!(ops[1], Rec::MovReg(Reg::R4, _)));
        assert!(matches!(ops[2], Rec::MovReg(Reg::R5, _)));
        assert!(matches!(ops[3], Rec::Skip));
        assert!(matches!(ops[6], Rec::MovReg(Reg::R1, _)), "other registers stay");
    }
}
