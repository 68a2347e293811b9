//! Rewrites of a function's recorded [`Item`]s once it is complete, when every
//! use of every label is known (the recording peepholes only see the code
//! before them, where any label might still become a jump target).
//!
//! A label is an *entry* if some item refers to it: a jump, branch, local call
//! or label address (the runtime may continue at any address it was given).
//! Other labels only mark positions (line table, operation starts) and are
//! never reached except by falling through, so facts about the registers
//! survive them:
//!
//! * [`drop_reloads`]: a 32-bit load of the word a store just wrote from the
//!   same register (with only non-entry labels between) is dropped.
//! * [`near_call_addresses`] (call0 ABI): after a call returns, `a0` holds the
//!   call's return address, a known position (`ret` jumps to `a0`, and a local
//!   subroutine returns with `a0` reloaded from its link slot). A label address
//!   met while that is still so becomes [`Item::LabelAddrAfterCall`]: an
//!   `addi dst, a0, rel` where it reaches, instead of loading the base from
//!   the frame first.
//! * [`drop_unused_saved`] (call0 ABI): a callee-saved register nothing reads
//!   is neither saved, restored nor set.

use alloc::vec;
use alloc::vec::Vec;

use crate::insn::{Insn, Mem};
use crate::layout::{Br, Item};
use crate::regs::{Reg, SCRATCH};

/// Which of `n_labels` labels are entries (see the module documentation).
pub fn entries(items: &[Item], n_labels: usize) -> Vec<bool> {
    let mut used = vec![false; n_labels];
    for item in items {
        let label = match item {
            Item::Branch { label, .. }
            | Item::Jump { label }
            | Item::CallLocal { label }
            | Item::LabelAddr { label, .. }
            | Item::LabelAddrAfterCall { label, .. } => *label,
            _ => continue,
        };
        if let Some(u) = used.get_mut(label.0 as usize) {
            *u = true;
        }
    }
    used
}

fn is_entry(entries: &[bool], item: &Item) -> bool {
    match item {
        Item::Bind(l) => entries.get(l.0 as usize).copied().unwrap_or(true),
        _ => false,
    }
}

/// `(reg, base, byte offset)` of a 32-bit store.
fn store32(item: &Item) -> Option<(Reg, Reg, u32)> {
    match *item {
        Item::Insn(Insn::S32iN { t, s, off }) | Item::Insn(Insn::Mem { op: Mem::S32i, t, s, off }) => Some((t, s, off)),
        _ => None,
    }
}

fn load32(item: &Item) -> Option<(Reg, Reg, u32)> {
    match *item {
        Item::Insn(Insn::L32iN { t, s, off }) | Item::Insn(Insn::Mem { op: Mem::L32i, t, s, off }) => Some((t, s, off)),
        _ => None,
    }
}

/// Drops each 32-bit load whose register already holds the word: the last
/// item before it other than non-entry labels stores that register there.
pub fn drop_reloads(items: Vec<Item>, entries: &[bool]) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    // The last store seen, valid while only non-entry labels follow it.
    let mut stored: Option<(Reg, Reg, u32)> = None;
    for item in items {
        if let (Some(l), Some(s)) = (load32(&item), stored) {
            // A load into the base register itself changes the base.
            if l == s {
                continue;
            }
        }
        match &item {
            Item::Bind(_) if !is_entry(entries, &item) => {}
            _ => stored = store32(&item),
        }
        out.push(item);
    }
    out
}

/// call0 ABI: turns label addresses met while `a0` holds the return address
/// of the last call into [`Item::LabelAddrAfterCall`].
pub fn near_call_addresses(items: Vec<Item>, entries: &[bool]) -> Vec<Item> {
    let mut known = false;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let item = match item {
            Item::LabelAddr { dst, label } if known && dst != SCRATCH => Item::LabelAddrAfterCall { dst, label },
            other => other,
        };
        known = match &item {
            Item::Insn(Insn::Call0 { .. } | Insn::Callx0 { .. }) | Item::CallLocal { .. } | Item::SetBase => true,
            Item::Insn(i) => known && i.writes() != Some(Reg::A0),
            Item::Const { t, .. } => known && *t != Reg::A0,
            // Computed with `a8` as the temporary (never `a0`) unless into `a8`.
            Item::LabelAddr { dst, .. } | Item::LabelAddrAfterCall { dst, .. } => known && *dst != SCRATCH,
            Item::Bind(_) => known && !is_entry(entries, &item),
            Item::Branch { .. } | Item::Jump { .. } | Item::Align(_) | Item::Data(_) => false,
        };
        out.push(item);
    }
    out
}

/// True if `item` may read `reg`.
fn item_reads(item: &Item, reg: Reg) -> bool {
    match item {
        Item::Insn(i) => i.reads(reg),
        Item::Branch { br: Br::R(_, s, t), .. } => *s == reg || *t == reg,
        Item::Branch { br: Br::Z(_, s) | Br::Bit(_, s, _), .. } => *s == reg,
        // Label addresses read the base (`a0` or the stack) and use `a0`/`a8`.
        Item::LabelAddr { .. } | Item::LabelAddrAfterCall { .. } => matches!(reg, Reg::A0 | Reg::A1 | Reg::A8),
        _ => false,
    }
}

/// call0 ABI: for each callee-saved `(register, save offset from a1)` that no
/// item reads apart from the prologue's save, drops that save, the
/// epilogues' restores and every other item whose only effect is writing it
/// (the prologue's copy of an incoming argument into it, say): a native
/// function that never touches the viper word slots keeps no pointer to them.
pub fn drop_unused_saved(items: Vec<Item>, saved: &[(Reg, u32)]) -> Vec<Item> {
    let unused: Vec<(Reg, u32)> = saved
        .iter()
        .copied()
        .filter(|&(reg, off)| {
            let save = Item::Insn(Insn::S32iN { t: reg, s: crate::regs::SP, off });
            !items.iter().any(|i| *i != save && item_reads(i, reg))
        })
        .collect();
    if unused.is_empty() {
        return items;
    }
    items
        .into_iter()
        .filter(|item| {
            !unused.iter().any(|&(reg, off)| match item {
                Item::Insn(Insn::S32iN { t, s, off: o }) => *t == reg && *s == crate::regs::SP && *o == off,
                Item::Insn(i) => i.only_writes() && i.writes() == Some(reg),
                Item::Const { t, .. } | Item::LabelAddr { dst: t, .. } | Item::LabelAddrAfterCall { dst: t, .. } => {
                    *t == reg
                }
                _ => false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_emit_native::Label;

    fn st(t: Reg, off: u32) -> Item {
        Item::Insn(Insn::S32iN { t, s: Reg::A13, off })
    }

    fn ld(t: Reg, off: u32) -> Item {
        Item::Insn(Insn::L32iN { t, s: Reg::A13, off })
    }

    #[test]
    fn reloads_are_dropped_across_position_labels_only() {
        let items = vec![
            st(Reg::A2, 8),
            Item::Bind(Label(0)),
            ld(Reg::A2, 8),
            // Label 1 is a jump target: the load stays.
            st(Reg::A2, 4),
            Item::Bind(Label(1)),
            ld(Reg::A2, 4),
            // Another register or offset: stays.
            st(Reg::A2, 12),
            ld(Reg::A3, 12),
            ld(Reg::A2, 16),
            Item::Jump { label: Label(1) },
        ];
        let e = entries(&items, 2);
        assert_eq!(e, [false, true]);
        let out = drop_reloads(items, &e);
        assert_eq!(
            out,
            vec![
                st(Reg::A2, 8),
                Item::Bind(Label(0)),
                st(Reg::A2, 4),
                Item::Bind(Label(1)),
                ld(Reg::A2, 4),
                st(Reg::A2, 12),
                ld(Reg::A3, 12),
                ld(Reg::A2, 16),
                Item::Jump { label: Label(1) },
            ]
        );
    }

    #[test]
    fn unread_callee_saved_registers_are_not_saved_or_set() {
        let sp = crate::regs::SP;
        let items = vec![
            Item::Insn(Insn::S32iN { t: Reg::A12, s: sp, off: 4 }),
            Item::Insn(Insn::S32iN { t: Reg::A14, s: sp, off: 12 }),
            Item::Insn(Insn::MovN { t: Reg::A12, s: Reg::A2 }),
            Item::Insn(Insn::MovN { t: Reg::A14, s: Reg::A4 }),
            Item::Const { t: Reg::A14, value: 0x1234_5678 },
            Item::Insn(Insn::L32iN { t: Reg::A2, s: Reg::A12, off: 8 }),
            Item::Insn(Insn::L32iN { t: Reg::A12, s: sp, off: 4 }),
            Item::Insn(Insn::L32iN { t: Reg::A14, s: sp, off: 12 }),
            Item::Insn(Insn::RetN),
        ];
        let saved = [(Reg::A12, 4), (Reg::A14, 12)];
        let out = drop_unused_saved(items.clone(), &saved);
        assert_eq!(
            out,
            vec![
                Item::Insn(Insn::S32iN { t: Reg::A12, s: sp, off: 4 }),
                Item::Insn(Insn::MovN { t: Reg::A12, s: Reg::A2 }),
                Item::Insn(Insn::L32iN { t: Reg::A2, s: Reg::A12, off: 8 }),
                Item::Insn(Insn::L32iN { t: Reg::A12, s: sp, off: 4 }),
                Item::Insn(Insn::RetN),
            ]
        );
        // Read by a branch, a store elsewhere, or an address computation: kept.
        for read in [
            Item::Branch { br: Br::Z(crate::insn::ZCond::Nez, Reg::A14), label: Label(0) },
            Item::Insn(Insn::S32iN { t: Reg::A14, s: sp, off: 28 }),
            Item::Insn(Insn::Alu { op: crate::insn::Alu::Add, r: Reg::A2, s: Reg::A3, t: Reg::A14 }),
        ] {
            let mut with = items.clone();
            with.insert(5, read);
            let out = drop_unused_saved(with.clone(), &saved);
            assert!(out.contains(&Item::Insn(Insn::S32iN { t: Reg::A14, s: sp, off: 12 })), "{with:?}");
            assert_eq!(out, with, "{with:?}");
        }
    }

    #[test]
    fn reads_and_pure_writes_of_every_form() {
        use crate::insn::{Alu, BCond, ZCond};
        let r = Reg::A5;
        let reading = [
            Insn::Alu { op: Alu::Or, r: Reg::A2, s: r, t: Reg::A3 },
            Insn::Alu { op: Alu::Or, r: Reg::A2, s: Reg::A3, t: r },
            Insn::Neg { r: Reg::A2, t: r },
            Insn::Ssl { s: r },
            Insn::Sll { r: Reg::A2, s: r },
            Insn::Srl { r: Reg::A2, t: r },
            Insn::Extui { r: Reg::A2, t: r, shift: 1, bits: 2 },
            Insn::Addi { t: Reg::A2, s: r, imm: 1 },
            Insn::Mem { op: Mem::S8i, t: r, s: Reg::A2, off: 0 },
            Insn::Mem { op: Mem::L8ui, t: Reg::A2, s: r, off: 0 },
            Insn::B { cond: BCond::Eq, s: Reg::A2, t: r, rel: 0 },
            Insn::Bz { cond: ZCond::Ltz, s: r, rel: 0 },
            Insn::Jx { s: r },
            Insn::Callx0 { s: r },
            Insn::AddN { r: Reg::A2, s: Reg::A3, t: r },
            Insn::MovN { t: Reg::A2, s: r },
            Insn::S32iN { t: r, s: Reg::A2, off: 0 },
            Insn::BzN { nez: true, s: r, rel: 0 },
        ];
        for i in reading {
            assert!(i.reads(r), "{i:?}");
        }
        let not_reading = [
            Insn::Mem { op: Mem::L8ui, t: r, s: Reg::A2, off: 0 },
            Insn::Movi { t: r, imm: 3 },
            Insn::MoviN { s: r, imm: 3 },
            Insn::L32iN { t: r, s: Reg::A2, off: 0 },
            Insn::Call0 { rel: 0 },
            Insn::RetN,
        ];
        for i in not_reading {
            assert!(!i.reads(r), "{i:?}");
            if !matches!(i, Insn::Call0 { .. } | Insn::RetN) {
                assert!(i.only_writes() && i.writes() == Some(r), "{i:?}");
            }
        }
        assert!(Insn::RetN.reads(Reg::A0));
        for i in [
            Insn::Mem { op: Mem::S32i, t: r, s: Reg::A2, off: 0 },
            Insn::Callx0 { s: r },
            Insn::Entry { s: r, frame: 32 },
        ] {
            assert!(!i.only_writes(), "{i:?}");
        }
    }

    #[test]
    fn addresses_after_calls_use_a0_until_it_may_change() {
        let addr = |dst| Item::LabelAddr { dst, label: Label(0) };
        let near = |dst| Item::LabelAddrAfterCall { dst, label: Label(0) };
        let items = vec![
            addr(Reg::A4),
            Item::Insn(Insn::Callx0 { s: Reg::A0 }),
            Item::Bind(Label(1)),
            addr(Reg::A4),
            st(Reg::A2, 0),
            addr(Reg::A5),
            // The table load writes a0.
            Item::Insn(Insn::L32iN { t: Reg::A0, s: Reg::A15, off: 4 }),
            addr(Reg::A4),
            Item::CallLocal { label: Label(0) },
            addr(SCRATCH),
            addr(Reg::A4),
            Item::SetBase,
            Item::Bind(Label(0)),
            addr(Reg::A4),
        ];
        let e = entries(&items, 2);
        let out = near_call_addresses(items, &e);
        assert_eq!(
            out,
            vec![
                addr(Reg::A4),
                Item::Insn(Insn::Callx0 { s: Reg::A0 }),
                Item::Bind(Label(1)),
                near(Reg::A4),
                st(Reg::A2, 0),
                near(Reg::A5),
                Item::Insn(Insn::L32iN { t: Reg::A0, s: Reg::A15, off: 4 }),
                addr(Reg::A4),
                Item::CallLocal { label: Label(0) },
                addr(SCRATCH),
                addr(Reg::A4),
                Item::SetBase,
                Item::Bind(Label(0)),
                addr(Reg::A4),
            ]
        );
    }
}
