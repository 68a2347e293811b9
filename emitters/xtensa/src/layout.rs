//! Code layout: branch relaxation and the `l32r` literal pool.
//!
//! The assembler records [`Item`]s and lays them out only when the function is
//! finished, because Xtensa's short branch ranges and backward-only `l32r`
//! need the final positions:
//!
//! * **Literal pool** at the start of the function: `j` over the pool, one
//!   padding byte to a 4-byte boundary, then the 32-bit literals (constants
//!   deduplicated, and the relative label offsets of long address loads). Code
//!   follows, so every `l32r` looks backward as the instruction requires; a
//!   function longer than `l32r`'s reach (256 KiB) fails with
//!   [`AsmError::CodeTooLarge`]. Without literals there is no pool and no jump.
//!   Execution starts at offset 0 either way.
//! * **Relaxation**: every branch, jump and label address starts in its
//!   shortest form and is promoted (never demoted) while its target is out of
//!   range: `beqz.n`/`bnez.n` (forward 0..63) -> `beqz`/`bnez` (+-2 KiB) ->
//!   inverted branch over a `j` (+-128 KiB) -> inverted branch over a register
//!   jump to a PC-relative address; `beq`-style branches (+-128 B) start at the
//!   second step; `j` -> register jump. Since forms only grow, the iteration
//!   ends; it stops when a pass promotes nothing and every position is what the
//!   pass assumed.
//! * **Label addresses** (PC-relative): `movi dst, rel` (or `l32r` from the
//!   pool), `call0` to the next 4-byte boundary (which leaves the return
//!   address, a known code position, in `a0`; 0 to 3 padding bytes are jumped
//!   over), then `add.n dst, dst, a0`.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use ferropy_emit_native::{AsmError, Label};

use crate::insn::{fits_movi, BCond, Insn, ZCond};
use crate::regs::{Reg, SCRATCH};

/// A conditional branch's test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Br {
    /// Two registers.
    R(BCond, Reg, Reg),
    /// One register against zero.
    Z(ZCond, Reg),
}

impl Br {
    fn invert(self) -> Br {
        match self {
            Br::R(c, s, t) => Br::R(c.invert(), s, t),
            Br::Z(c, s) => Br::Z(c.invert(), s),
        }
    }

    fn has_narrow(self) -> bool {
        matches!(self, Br::Z(ZCond::Eqz | ZCond::Nez, _))
    }
}

/// One recorded piece of code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A position-independent instruction.
    Insn(Insn),
    /// A label's position.
    Bind(Label),
    /// `l32r t, =value` from the pool.
    Const {
        /// Destination.
        t: Reg,
        /// The literal.
        value: u32,
    },
    /// A conditional branch to a label.
    Branch {
        /// The test.
        br: Br,
        /// Target.
        label: Label,
    },
    /// An unconditional jump to a label.
    Jump {
        /// Target.
        label: Label,
    },
    /// `dst = address of label`.
    LabelAddr {
        /// Destination (not `a0`).
        dst: Reg,
        /// The label.
        label: Label,
    },
    /// Zero bytes up to a multiple of the alignment.
    Align(usize),
    /// Raw bytes.
    Data(Vec<u8>),
}

/// The laid-out code.
pub struct Laid {
    /// The bytes.
    pub code: Vec<u8>,
    /// Label positions.
    pub labels: Vec<Option<usize>>,
}

/// Size of the `movi/l32r; call0; pad; add.n` address sequence at `pos`, and its parts.
fn addr_seq(pos: usize) -> (usize, i32, usize) {
    let call = pos + 3;
    let next = call + 3;
    let target = (next + 3) & !3;
    let pad = target - next;
    let rel = target as i64 - ((call & !3) + 4) as i64;
    (3 + 3 + pad + 2, rel as i32, pad)
}

fn max_level(item: &Item) -> u8 {
    match item {
        Item::Jump { .. } | Item::LabelAddr { .. } => 1,
        Item::Branch { br, .. } if br.has_narrow() => 3,
        Item::Branch { .. } => 3,
        _ => 0,
    }
}

fn min_level(item: &Item) -> u8 {
    match item {
        Item::Branch { br, .. } if !br.has_narrow() => 1,
        _ => 0,
    }
}

/// True if the item at `level` needs a literal of its own (a relative label offset).
fn needs_label_literal(item: &Item, level: u8) -> bool {
    match item {
        Item::Jump { .. } | Item::LabelAddr { .. } => level == 1,
        Item::Branch { .. } => level == 3,
        _ => false,
    }
}

struct Pass<'a> {
    out: Vec<u8>,
    error: Option<AsmError>,
    /// Label positions assumed by this pass (from the previous one).
    assumed: &'a [Option<usize>],
    /// Label positions found by this pass.
    found: Vec<Option<usize>>,
    /// Literal values by slot, and the pool's start.
    literals: Vec<u32>,
    pool_start: usize,
    promote: Vec<usize>,
    check: bool,
}

impl Pass<'_> {
    fn put(&mut self, insn: Insn) {
        if let Err(e) = insn.encode_into(&mut self.out) {
            if self.error.is_none() {
                self.error = Some(e);
            }
            self.out.extend(core::iter::repeat_n(0, insn.len()));
        }
    }

    fn target(&mut self, label: Label) -> usize {
        match self.assumed.get(label.0 as usize).copied().flatten() {
            Some(t) => t,
            None => {
                if self.check && self.error.is_none() {
                    self.error = Some(AsmError::UnboundLabel(label.0));
                }
                0
            }
        }
    }

    fn l32r_rel(&self, slot: usize, pc: usize) -> i32 {
        let lit = self.pool_start + 4 * slot;
        (lit as i64 - ((pc + 3) & !3) as i64) as i32
    }

    /// `dst = target` via movi (`slot` None) or the literal `slot`.
    fn addr_seq(&mut self, dst: Reg, target: usize, slot: Option<usize>) {
        let pos = self.out.len();
        let (_, call_rel, pad) = addr_seq(pos);
        let a0 = pos + 6;
        let rel = (target as i64 - a0 as i64) as i32;
        match slot {
            None => self.put(Insn::Movi { t: dst, imm: rel }),
            Some(slot) => {
                if let Some(v) = self.literals.get_mut(slot) {
                    *v = rel as u32;
                }
                let l = self.l32r_rel(slot, pos);
                self.put(Insn::L32r { t: dst, rel: l });
            }
        }
        self.put(Insn::Call0 { rel: call_rel });
        self.out.extend(core::iter::repeat_n(0, pad));
        self.put(Insn::AddN { r: dst, s: dst, t: Reg::A0 });
    }

    fn branch(&mut self, br: Br, rel: i32, narrow: bool) {
        match br {
            Br::R(cond, s, t) => self.put(Insn::B { cond, s, t, rel }),
            Br::Z(cond, s) if narrow => self.put(Insn::BzN { nez: cond == ZCond::Nez, s, rel }),
            Br::Z(cond, s) => self.put(Insn::Bz { cond, s, rel }),
        }
    }
}

/// Lays out `items` with `n_labels` labels.
pub fn assemble(items: &[Item], n_labels: usize) -> Result<Laid, AsmError> {
    let mut levels: Vec<u8> = items.iter().map(min_level).collect();
    // First pass: positions with the shortest forms, no checks.
    let mut assumed = vec![None; n_labels];
    let mut check = false;
    for _round in 0..64 {
        let pass = run(items, &levels, &assumed, check);
        let stable = pass.found == assumed;
        if check && pass.promote.is_empty() && stable {
            if let Some(e) = pass.error {
                return Err(e);
            }
            return Ok(Laid { code: pass.out, labels: pass.found });
        }
        for i in pass.promote {
            if let Some(l) = levels.get_mut(i) {
                *l += 1;
            }
        }
        assumed = pass.found;
        check = true;
    }
    Err(AsmError::CodeTooLarge)
}

fn run<'a>(items: &[Item], levels: &[u8], assumed: &'a [Option<usize>], check: bool) -> Pass<'a> {
    // Literal slots: constants (deduplicated) and label offsets, in order of use.
    let mut consts: BTreeMap<u32, usize> = BTreeMap::new();
    let mut slot_of: Vec<Option<usize>> = vec![None; items.len()];
    let mut literals = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let level = levels.get(i).copied().unwrap_or(0);
        if let Item::Const { value, .. } = item {
            let slot = *consts.entry(*value).or_insert_with(|| {
                literals.push(*value);
                literals.len() - 1
            });
            slot_of[i] = Some(slot);
        } else if needs_label_literal(item, level) {
            literals.push(0);
            slot_of[i] = Some(literals.len() - 1);
        }
    }
    let mut pass = Pass {
        out: Vec::new(),
        error: None,
        assumed,
        found: vec![None; assumed.len()],
        pool_start: 4,
        literals,
        promote: Vec::new(),
        check,
    };
    if !pass.literals.is_empty() {
        // `j` over the pool (patched below), one padding byte, the pool.
        pass.out.resize(4 + 4 * pass.literals.len(), 0);
    }
    for (i, item) in items.iter().enumerate() {
        let level = levels.get(i).copied().unwrap_or(0);
        let pos = pass.out.len();
        let mut promote = false;
        match item {
            Item::Insn(insn) => pass.put(*insn),
            Item::Bind(label) => {
                if let Some(slot) = pass.found.get_mut(label.0 as usize) {
                    *slot = Some(pos);
                }
            }
            Item::Const { t, .. } => {
                let rel = pass.l32r_rel(slot_of[i].unwrap_or(0), pos);
                pass.put(Insn::L32r { t: *t, rel });
            }
            Item::Align(align) => {
                if align.is_power_of_two() {
                    while pass.out.len() % align != 0 {
                        pass.out.push(0);
                    }
                }
            }
            Item::Data(bytes) => pass.out.extend_from_slice(bytes),
            Item::LabelAddr { dst, label } => {
                let target = pass.target(*label);
                let a0 = pos + 6;
                let rel = target as i64 - a0 as i64;
                if level == 0 {
                    promote = !fits_movi(rel);
                    pass.addr_seq(*dst, target, None);
                } else {
                    pass.addr_seq(*dst, target, slot_of[i]);
                }
            }
            Item::Jump { label } => {
                let target = pass.target(*label);
                let rel = target as i64 - (pos as i64 + 4);
                if level == 0 {
                    promote = !(-131072..=131071).contains(&rel);
                    pass.put(Insn::J { rel: rel as i32 });
                } else {
                    pass.addr_seq(SCRATCH, target, slot_of[i]);
                    pass.put(Insn::Jx { s: SCRATCH });
                }
            }
            Item::Branch { br, label } => {
                let target = pass.target(*label);
                let rel = target as i64 - (pos as i64 + 4);
                match level {
                    0 => {
                        promote = !(0..=63).contains(&rel);
                        pass.branch(*br, rel as i32, true);
                    }
                    1 => {
                        promote = match br {
                            Br::R(..) => !(-128..=127).contains(&rel),
                            Br::Z(..) => !(-2048..=2047).contains(&rel),
                        };
                        pass.branch(*br, rel as i32, false);
                    }
                    _ => {
                        // Inverted branch over the jump that follows it.
                        let inv = br.invert();
                        let narrow = inv.has_narrow();
                        let blen = if narrow { 2 } else { 3 };
                        let jlen = if level == 2 { 3 } else { addr_seq(pos + blen).0 + 3 };
                        let skip = (blen + jlen) as i32 - 4;
                        pass.branch(inv, skip, narrow);
                        let jpos = pass.out.len();
                        if level == 2 {
                            let jrel = target as i64 - (jpos as i64 + 4);
                            promote = !(-131072..=131071).contains(&jrel);
                            pass.put(Insn::J { rel: jrel as i32 });
                        } else {
                            pass.addr_seq(SCRATCH, target, slot_of[i]);
                            pass.put(Insn::Jx { s: SCRATCH });
                        }
                    }
                }
            }
        }
        if check && promote && level < max_level(item) {
            pass.promote.push(i);
        }
    }
    if !pass.literals.is_empty() {
        let end = 4 + 4 * pass.literals.len();
        let mut head = Vec::new();
        let j = Insn::J { rel: end as i32 - 4 };
        match j.encode_into(&mut head) {
            Ok(()) => {}
            Err(_) => {
                pass.error.get_or_insert(AsmError::CodeTooLarge);
                head.resize(3, 0);
            }
        }
        head.push(0);
        for v in &pass.literals {
            head.extend_from_slice(&v.to_le_bytes());
        }
        pass.out[..end].copy_from_slice(&head);
    }
    pass
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(code: &[u8], from: usize) -> Vec<(usize, Insn)> {
        let mut at = from;
        let mut v = Vec::new();
        while at < code.len() {
            let i = Insn::decode(&code[at..]).unwrap_or_else(|| panic!("undecodable at {at}"));
            v.push((at, i));
            at += i.len();
        }
        v
    }

    #[test]
    fn short_forward_branch_is_narrow_and_backward_is_wide() {
        let l = Label(0);
        let items = vec![
            Item::Bind(l),
            Item::Branch { br: Br::Z(ZCond::Eqz, Reg::A2), label: Label(1) },
            Item::Insn(Insn::NopN),
            Item::Bind(Label(1)),
            Item::Branch { br: Br::Z(ZCond::Nez, Reg::A3), label: l },
        ];
        let laid = assemble(&items, 2).unwrap();
        let insns = decode_all(&laid.code, 0);
        assert_eq!(insns[0].1, Insn::BzN { nez: false, s: Reg::A2, rel: 0 });
        assert_eq!(insns[2].1, Insn::Bz { cond: ZCond::Nez, s: Reg::A3, rel: -8 });
        assert_eq!(laid.labels, vec![Some(0), Some(4)]);
    }

    #[test]
    fn far_branches_are_relaxed_and_reach() {
        for (gap, expect_len) in [(100usize, 3usize), (1000, 6), (200_000, 0)] {
            let items = vec![
                Item::Branch { br: Br::R(BCond::Lt, Reg::A2, Reg::A3), label: Label(0) },
                Item::Data(vec![0; gap]),
                Item::Bind(Label(0)),
            ];
            let laid = assemble(&items, 1).unwrap();
            let target = laid.labels[0].unwrap();
            let start = if gap > 150_000 { 4 + 4 } else { 0 };
            let first = Insn::decode(&laid.code[start..]).unwrap();
            if expect_len == 3 {
                assert_eq!(first.target(start as u32), Some(target as u32));
            } else {
                // Inverted branch: skips the jump when the condition fails.
                assert!(matches!(first, Insn::B { cond: BCond::Ge, .. }));
            }
            if gap == 1000 {
                let j = Insn::decode(&laid.code[3..]).unwrap();
                assert_eq!(j.target(3), Some(target as u32));
                assert_eq!(first.target(0), Some(6));
            }
            if gap == 200_000 {
                // l32r/call0/add.n/jx through the pool.
                assert_eq!(&laid.code[..1], &Insn::J { rel: 4 }.encode().unwrap().to_le_bytes()[..1]);
                let seq = decode_all(&laid.code[..start + 9], start);
                assert!(matches!(seq[1].1, Insn::L32r { t: SCRATCH, .. }));
                assert!(matches!(seq[2].1, Insn::Call0 { .. }));
            }
        }
    }

    #[test]
    fn constants_share_pool_slots_and_l32r_reaches_them() {
        let items = vec![
            Item::Const { t: Reg::A2, value: 0x1234_5678 },
            Item::Const { t: Reg::A3, value: 0xDEAD_BEEF },
            Item::Const { t: Reg::A4, value: 0x1234_5678 },
        ];
        let laid = assemble(&items, 0).unwrap();
        assert_eq!(laid.code.len(), 4 + 8 + 9);
        for (k, want) in [(0usize, 0x1234_5678u32), (1, 0xDEAD_BEEF), (2, 0x1234_5678)] {
            let pc = 12 + 3 * k;
            let i = Insn::decode(&laid.code[pc..]).unwrap();
            let addr = i.target(pc as u32).unwrap() as usize;
            assert_eq!(u32::from_le_bytes(laid.code[addr..addr + 4].try_into().unwrap()), want);
        }
    }

    #[test]
    fn unbound_labels_are_errors() {
        let items = vec![Item::Jump { label: Label(0) }];
        assert_eq!(assemble(&items, 1).err(), Some(AsmError::UnboundLabel(0)));
    }

    #[test]
    fn label_address_sequence_computes_the_address() {
        for pre in 0..4 {
            let mut items = vec![Item::Data(vec![0; pre])];
            items.push(Item::LabelAddr { dst: Reg::A5, label: Label(0) });
            items.push(Item::Data(vec![0; 7]));
            items.push(Item::Bind(Label(0)));
            let laid = assemble(&items, 1).unwrap();
            let seq = decode_all(&laid.code[..pre + 6], pre);
            let Insn::Movi { imm, .. } = seq[0].1 else { panic!() };
            let call_pc = pre + 3;
            let ret = call_pc + 3;
            let dest = seq[1].1.target(call_pc as u32).unwrap() as usize;
            assert_eq!(dest % 4, 0);
            assert!(dest >= ret && dest < ret + 4);
            assert_eq!(Insn::decode(&laid.code[dest..]), Some(Insn::AddN { r: Reg::A5, s: Reg::A5, t: Reg::A0 }));
            assert_eq!((ret as i32 + imm) as usize, laid.labels[0].unwrap());
        }
    }
}
