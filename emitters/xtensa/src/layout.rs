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
//!   jump to a PC-relative address; `beq`-style and `bbci`/`bbsi` branches
//!   (+-128 B) start at the second step; `j` -> register jump. Since forms only grow, the iteration
//!   ends; it stops when a pass promotes nothing and every position is what the
//!   pass assumed.
//! * **Label addresses** (PC-relative) are computed from a *base*: a known
//!   code position. [`Item::SetBase`] (in the prologue) is a `call0` to the
//!   next 4-byte boundary (0 to 3 padding bytes are jumped over), which leaves
//!   its return address, a known position, in `a0`; the assembler keeps it
//!   there (windowed ABI: `a0` is saved by the prologue and no call writes it)
//!   or stores it in a stack slot (call0 ABI: every call writes `a0`), per
//!   [`Base`]. An address is then `addi dst, a0, rel` / `movi dst, rel; add.n
//!   dst, dst, a0` / `addmi dst, a0, hi; addi dst, dst, lo` / `l32r` from the pool (call0 ABI: after `l32i.n dst, a1,
//!   slot`, with `a8` as the temporary, or `a0` for an address into `a8`).
//!   Code without a base (no prologue) uses a `call0` per address. In the
//!   call0 ABI an address right after a call may be `addi dst, a0, rel` from
//!   the call's return address ([`Item::LabelAddrAfterCall`]).
//! * **Local subroutines** ([`Item::CallLocal`]): a `call0` to a 4-byte
//!   aligned label (an [`Item::Align`] before it: zero bytes, never executed,
//!   as the subroutine follows a jump or return; its reach, +-512 KiB, is
//!   beyond the pool's).

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
    /// One bit (0..=31) of a register: set (`true`, `bbsi`) or clear (`bbci`).
    Bit(bool, Reg, u32),
}

impl Br {
    /// The opposite test.
    pub fn invert(self) -> Br {
        match self {
            Br::R(c, s, t) => Br::R(c.invert(), s, t),
            Br::Z(c, s) => Br::Z(c.invert(), s),
            Br::Bit(set, s, bit) => Br::Bit(!set, s, bit),
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
    /// `call0` to a local subroutine at a label (which must be 4-byte
    /// aligned: an [`Item::Align`] of 4 right before its binding).
    CallLocal {
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
    /// `dst = address of label` where `a0` holds the return address of the
    /// last call item before it (see [`crate::rewrite`]): `addi dst, a0, rel`
    /// where that reaches, else as [`Item::LabelAddr`].
    LabelAddrAfterCall {
        /// Destination (not `a0` or `a8`).
        dst: Reg,
        /// The label.
        label: Label,
    },
    /// Zero bytes up to a multiple of the alignment.
    Align(usize),
    /// Establishes the base for label addresses (see [`Base`]).
    SetBase,
    /// Raw bytes.
    Data(Vec<u8>),
}

/// Where the base of label addresses is kept once [`Item::SetBase`] ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// No base: every address uses its own `call0`.
    None,
    /// In `a0`.
    A0,
    /// In the stack slot at this byte offset from `a1` (0..=60), reloaded each time.
    Slot(u32),
}

/// How an address sequence gets its offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// `addi` from the base (a `movi` without a base).
    Short,
    /// `movi` + `add.n`.
    Movi,
    /// `addmi` + `addi` from the base (+-32 KiB; not without a base).
    Addmi,
    /// `l32r` from this pool slot + `add.n`.
    Lit(usize),
}

/// The laid-out code.
pub struct Laid {
    /// The bytes.
    pub code: Vec<u8>,
    /// Label positions.
    pub labels: Vec<Option<usize>>,
}

/// The `call0` at `pos` to the next 4-byte boundary after it: its offset field and the padding.
fn call_next(pos: usize) -> (i32, usize) {
    let next = pos + 3;
    let target = (next + 3) & !3;
    let rel = target as i64 - ((pos & !3) + 4) as i64;
    (rel as i32, target - next)
}

fn max_level(item: &Item) -> u8 {
    match item {
        Item::Jump { .. } => 1,
        Item::LabelAddr { .. } | Item::Branch { .. } => 3,
        Item::LabelAddrAfterCall { .. } => 4,
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
        Item::Jump { .. } => level == 1,
        Item::LabelAddr { .. } | Item::Branch { .. } => level == 3,
        Item::LabelAddrAfterCall { .. } => level == 4,
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
    base: Base,
    /// The code position the base holds, once set.
    base_pos: Option<usize>,
    /// The return address of the last call item.
    call_ret: usize,
}

impl Pass<'_> {
    fn put(&mut self, insn: Insn) {
        let mut out = core::mem::take(&mut self.out);
        self.encode(&mut out, insn);
        self.out = out;
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

    /// Encodes `dst = target` placed at `pos` (not emitted: returned), and
    /// whether the form's offset field is in range.
    fn addr(&mut self, pos: usize, dst: Reg, target: usize, form: Form) -> (Vec<u8>, bool) {
        let mut seq: Vec<Insn> = Vec::new();
        let base = match self.base_pos {
            Some(bp) => Some((self.base, bp)),
            None => None,
        };
        // Origin of the offset, the register receiving it, and what it is added to.
        let (origin, temp, addend) = match base {
            Some((Base::A0, bp)) => (bp, dst, Reg::A0),
            // `a8` is the temporary, so `a0` keeps its value (see
            // `crate::rewrite`), unless the address goes to `a8` itself.
            Some((Base::Slot(off), bp)) => {
                seq.push(Insn::L32iN { t: dst, s: crate::regs::SP, off });
                (bp, if dst == SCRATCH { Reg::A0 } else { SCRATCH }, dst)
            }
            // A `call0` after the 3-byte offset load leaves `pos + 6` in a0.
            _ => (pos + 6, dst, Reg::A0),
        };
        let rel = target as i64 - origin as i64;
        let has_base = matches!(base, Some((Base::A0 | Base::Slot(_), _)));
        let mut fits = true;
        let mut lit = None;
        match form {
            Form::Short if has_base => {
                fits = (-128..=127).contains(&rel);
                let src = if addend == Reg::A0 { Reg::A0 } else { dst };
                seq.push(Insn::Addi { t: dst, s: src, imm: rel as i32 });
            }
            Form::Addmi if has_base => {
                // `rel = hi + lo` with `lo` in -128..=127 and `hi` a multiple of 256.
                let lo = ((rel + 128) & 0xFF) - 128;
                let hi = rel - lo;
                fits = (-32768..=32512).contains(&hi);
                let src = if addend == Reg::A0 { Reg::A0 } else { dst };
                seq.push(Insn::Addmi { t: dst, s: src, imm: if fits { hi as i32 } else { 0 } });
                seq.push(Insn::Addi { t: dst, s: dst, imm: lo as i32 });
            }
            Form::Addmi => {
                // Never chosen without a base: promoted to the pool.
                fits = false;
                seq.push(Insn::Movi { t: temp, imm: 0 });
            }
            Form::Short | Form::Movi => {
                fits = fits_movi(rel);
                seq.push(Insn::Movi { t: temp, imm: rel as i32 });
            }
            Form::Lit(slot) => {
                lit = Some(slot);
                // Placeholder: the l32r offset is computed below from its position.
                seq.push(Insn::L32r { t: temp, rel: -4 });
            }
        }
        if !(matches!(form, Form::Short | Form::Addmi) && has_base) {
            if !has_base {
                seq.push(Insn::Call0 { rel: 0 });
            }
            seq.push(Insn::AddN { r: dst, s: temp, t: addend });
        }
        let mut out = Vec::new();
        for insn in seq {
            let at = pos + out.len();
            let insn = match insn {
                Insn::L32r { t, .. } => {
                    let slot = lit.unwrap_or(0);
                    if let Some(v) = self.literals.get_mut(slot) {
                        *v = rel as u32;
                    }
                    Insn::L32r { t, rel: self.l32r_rel(slot, at) }
                }
                Insn::Call0 { .. } => {
                    let (rel, pad) = call_next(at);
                    self.encode(&mut out, Insn::Call0 { rel });
                    out.extend(core::iter::repeat_n(0, pad));
                    continue;
                }
                other => other,
            };
            self.encode(&mut out, insn);
        }
        (out, fits)
    }

    fn encode(&mut self, out: &mut Vec<u8>, insn: Insn) {
        if let Err(e) = insn.encode_into(out) {
            if self.error.is_none() {
                self.error = Some(e);
            }
            out.extend(core::iter::repeat_n(0, insn.len()));
        }
    }

    fn branch(&mut self, br: Br, rel: i32, narrow: bool) {
        match br {
            Br::R(cond, s, t) => self.put(Insn::B { cond, s, t, rel }),
            Br::Z(cond, s) if narrow => self.put(Insn::BzN { nez: cond == ZCond::Nez, s, rel }),
            Br::Z(cond, s) => self.put(Insn::Bz { cond, s, rel }),
            Br::Bit(set, s, bit) => self.put(Insn::Bbi { set, s, bit, rel }),
        }
    }
}

/// Lays out `items` with `n_labels` labels.
pub fn assemble(items: &[Item], n_labels: usize, base: Base) -> Result<Laid, AsmError> {
    let mut levels: Vec<u8> = items.iter().map(min_level).collect();
    // First pass: positions with the shortest forms, no checks.
    let mut assumed = vec![None; n_labels];
    let mut check = false;
    for _round in 0..64 {
        let pass = run(items, &levels, &assumed, check, base);
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

fn run<'a>(items: &[Item], levels: &[u8], assumed: &'a [Option<usize>], check: bool, base: Base) -> Pass<'a> {
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
        base,
        base_pos: None,
        call_ret: 0,
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
            Item::Insn(insn) => {
                if matches!(insn, Insn::Call0 { .. } | Insn::Callx0 { .. }) {
                    pass.call_ret = pos + 3;
                }
                pass.put(*insn);
            }
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
            Item::SetBase => {
                let (rel, pad) = call_next(pos);
                pass.put(Insn::Call0 { rel });
                pass.out.extend(core::iter::repeat_n(0, pad));
                pass.base_pos = Some(pos + 3);
                pass.call_ret = pos + 3;
            }
            Item::LabelAddrAfterCall { dst, label } if level == 0 => {
                let rel = pass.target(*label) as i64 - pass.call_ret as i64;
                promote = !(-128..=127).contains(&rel);
                pass.put(Insn::Addi { t: *dst, s: Reg::A0, imm: if promote { 0 } else { rel as i32 } });
            }
            Item::LabelAddrAfterCall { dst, label } => {
                let target = pass.target(*label);
                let form = match level {
                    1 => Form::Short,
                    2 => Form::Movi,
                    3 => Form::Addmi,
                    _ => Form::Lit(slot_of[i].unwrap_or(0)),
                };
                let (bytes, fits) = pass.addr(pos, *dst, target, form);
                promote = !fits;
                pass.out.extend_from_slice(&bytes);
            }
            Item::LabelAddr { dst, label } => {
                let target = pass.target(*label);
                let form = match level {
                    0 => Form::Short,
                    1 => Form::Movi,
                    2 => Form::Addmi,
                    _ => Form::Lit(slot_of[i].unwrap_or(0)),
                };
                let (bytes, fits) = pass.addr(pos, *dst, target, form);
                promote = !fits;
                pass.out.extend_from_slice(&bytes);
            }
            Item::CallLocal { label } => {
                let target = pass.target(*label);
                let rel = target as i64 - ((pos & !3) as i64 + 4);
                if rel % 4 != 0 || !(-524_288..=524_284).contains(&rel) {
                    // An unaligned target is only possible before the final
                    // positions are known; a target out of reach means the
                    // function is beyond `l32r`'s reach too.
                    if check {
                        pass.error.get_or_insert(AsmError::CodeTooLarge);
                    }
                    pass.put(Insn::Call0 { rel: 0 });
                } else {
                    pass.put(Insn::Call0 { rel: rel as i32 });
                }
                pass.call_ret = pos + 3;
            }
            Item::Jump { label } => {
                let target = pass.target(*label);
                let rel = target as i64 - (pos as i64 + 4);
                if level == 0 {
                    promote = !(-131072..=131071).contains(&rel);
                    pass.put(Insn::J { rel: rel as i32 });
                } else {
                    let (bytes, _) = pass.addr(pos, SCRATCH, target, Form::Lit(slot_of[i].unwrap_or(0)));
                    pass.out.extend_from_slice(&bytes);
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
                            Br::R(..) | Br::Bit(..) => !(-128..=127).contains(&rel),
                            Br::Z(..) => !(-2048..=2047).contains(&rel),
                        };
                        pass.branch(*br, rel as i32, false);
                    }
                    _ => {
                        // Inverted branch over the jump that follows it.
                        let inv = br.invert();
                        let narrow = inv.has_narrow();
                        let blen = if narrow { 2 } else { 3 };
                        let mut jump = Vec::new();
                        if level == 2 {
                            let jrel = target as i64 - (pos + blen + 4) as i64;
                            promote = !(-131072..=131071).contains(&jrel);
                            let j = Insn::J { rel: jrel as i32 };
                            if j.encode_into(&mut jump).is_err() {
                                jump = vec![0; 3];
                            }
                        } else {
                            let slot = slot_of[i].unwrap_or(0);
                            jump = pass.addr(pos + blen, SCRATCH, target, Form::Lit(slot)).0;
                            if (Insn::Jx { s: SCRATCH }).encode_into(&mut jump).is_err() {
                                jump.extend_from_slice(&[0; 3]);
                            }
                        }
                        let skip = (blen + jump.len()) as i32 - 4;
                        pass.branch(inv, skip, narrow);
                        pass.out.extend_from_slice(&jump);
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
        let laid = assemble(&items, 2, Base::None).unwrap();
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
            let laid = assemble(&items, 1, Base::None).unwrap();
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
        let laid = assemble(&items, 0, Base::None).unwrap();
        assert_eq!(laid.code.len(), 4 + 8 + 9);
        for (k, want) in [(0usize, 0x1234_5678u32), (1, 0xDEAD_BEEF), (2, 0x1234_5678)] {
            let pc = 12 + 3 * k;
            let i = Insn::decode(&laid.code[pc..]).unwrap();
            let addr = i.target(pc as u32).unwrap() as usize;
            assert_eq!(u32::from_le_bytes(laid.code[addr..addr + 4].try_into().unwrap()), want);
        }
    }

    #[test]
    fn literals_out_of_l32r_reach_are_errors() {
        // The pool is at the start; a constant loaded 300 KiB later is out of reach.
        let items = vec![Item::Data(vec![0; 300_000]), Item::Const { t: Reg::A2, value: 0x1234_5678 }];
        assert_eq!(assemble(&items, 0, Base::None).err(), Some(AsmError::CodeTooLarge));
        let items = vec![Item::Data(vec![0; 200_000]), Item::Const { t: Reg::A2, value: 0x1234_5678 }];
        assert!(assemble(&items, 0, Base::None).is_ok());
    }

    #[test]
    fn local_calls_reach_aligned_labels_only() {
        let call = |pad: usize, align: bool| {
            let mut items = vec![Item::CallLocal { label: Label(0) }, Item::Data(vec![0; pad])];
            if align {
                items.push(Item::Align(4));
            }
            items.push(Item::Bind(Label(0)));
            assemble(&items, 1, Base::None)
        };
        let laid = call(6, true).unwrap();
        assert_eq!(laid.labels[0], Some(12));
        assert_eq!(Insn::decode(&laid.code).and_then(|i| i.target(0)), Some(12));
        // Unaligned, or beyond call0's reach: errors.
        let unaligned = vec![Item::CallLocal { label: Label(0) }, Item::Data(vec![0; 2]), Item::Bind(Label(0))];
        assert_eq!(assemble(&unaligned, 1, Base::None).err(), Some(AsmError::CodeTooLarge));
        assert_eq!(call(600_000, true).err(), Some(AsmError::CodeTooLarge));
    }

    #[test]
    fn unbound_labels_are_errors() {
        let items = vec![Item::Jump { label: Label(0) }];
        assert_eq!(assemble(&items, 1, Base::None).err(), Some(AsmError::UnboundLabel(0)));
    }

    #[test]
    fn label_address_sequence_computes_the_address() {
        for pre in 0..4 {
            let mut items = vec![Item::Data(vec![0; pre])];
            items.push(Item::LabelAddr { dst: Reg::A5, label: Label(0) });
            items.push(Item::Data(vec![0; 7]));
            items.push(Item::Bind(Label(0)));
            let laid = assemble(&items, 1, Base::None).unwrap();
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
