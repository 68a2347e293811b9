//! [`XtensaAsm`]: the [`Asm`] implementation for Xtensa, in the call0 or the
//! windowed ABI ([`Variant`]).
//!
//! The ABI is a type parameter because [`Asm`]'s register roles are associated
//! constants; both variants share one implementation that branches on
//! [`Variant::ABI`], a value.
//!
//! Frames (stack slots are 4-byte words, the stack stays 16-byte aligned):
//! * call0: `addi a1, a1, -F`, then `a0, a12..a15` at `[a1 + 0..20)`, the base
//!   of label addresses at `[a1 + 20]`, the local subroutine's return address
//!   at `[a1 + 24]`, slot `i` at `a1 + 28 + 4i`;
//!   `F = round_up(4 * (7 + n_slots), 16)`.
//! * windowed: `entry a1, F` with `F = 32 + round_up(4 * (3 + n_slots), 16)`
//!   (the top 32 bytes are the window-overflow save areas of the ABI), `a0` at
//!   `[a1]` (it is saved because address computations use `call0`, which writes
//!   `a0`), the base of label addresses at `[a1 + 4]` (stored only when the
//!   function has local subroutines), their return address at `[a1 + 8]`,
//!   slot `i` at `a1 + 12 + 4i`; exit with `mov.n a2, a10` (the result:
//!   [`Asm::RET`] is where *table calls* return, the callee's `a2`), then
//!   `l32i.n a0, a1, 0; retw.n`.
//!
//! Local subroutines ([`Asm::LOCAL_CALLS`]) are reached by `call0` in both
//! ABIs, which leaves the return address in `a0` and rotates no window (a
//! `call8` would hide the context, state and table registers from the
//! subroutine, and its `entry`/`retw` would cost a frame per call). The
//! subroutine's label is 4-byte aligned (`call0` targets are) by zero bytes:
//! the emitter places subroutines after a jump or return, never where code
//! falls through (and zeros are an illegal instruction, should it ever).
//! * call0: `a0` is free inside the body (the prologue saved the caller's
//!   return address, and every table call writes `a0` anyway). The return
//!   address is stored in its slot, since the table call the subroutine makes
//!   overwrites `a0` and every caller-saved register; `local_return` is
//!   `l32i.n a0, a1, 24; ret.n`.
//! * windowed: `a0` holds the base of label addresses and `a1..a7` the stack,
//!   context, state, word, viper-local and table registers, while a `callx8`
//!   callee may overwrite `a8..a15`: no register survives the subroutine's
//!   table call, so the return address goes to its slot, and `a0` is reloaded
//!   with the base (from `[a1 + 4]`) at once. `local_return` is `l32i.n a8,
//!   a1, 8; jx a8`, which leaves `a0` as the call site expects it. The
//!   caller's own return address (with its window increment) stays in
//!   `[a1]` for the epilogue's `retw.n`, as without local subroutines.
//!
//! Instruction choices: narrow (code density) forms whenever the operands fit,
//! `movi.n`/`movi` for constants in -2048..2047, else `l32r` from the pool;
//! conditional results through a skip branch (no set-on-condition instruction
//! in the base ISA); table calls `l32i` the entry then `callx0 a0`
//! (call0) or `callx8 a8` (windowed). `offset()` is an estimate until
//! [`Asm::finish`] lays the code out (see [`crate::layout`]); exact positions
//! are the labels'.

use alloc::vec::Vec;
use core::marker::PhantomData;

use ferropy_emit_native::{Asm, AsmError, BinOp, Cond, Finished, Label, ShiftOp, Width};

use crate::insn::{fits_movi, fits_movi_n, Alu, BCond, Insn, Mem, ZCond};
use crate::layout::{self, Base, Br, Item};
use crate::regs::{self, Abi, Reg, SCRATCH, SP};
use crate::rewrite;

/// One of the two ABIs, as a type (see the module documentation).
pub trait Variant: 'static {
    /// The ABI.
    const ABI: Abi;
    /// The `.mpy` architecture code.
    const MPY_ARCH: u8;
    /// Result register.
    const RET: Reg;
    /// Incoming arguments.
    const ENTRY_ARGS: &'static [Reg];
    /// Runtime-call arguments.
    const CALL_ARGS: &'static [Reg];
    /// Temporaries.
    const TEMPS: &'static [Reg];
    /// Registers kept across runtime calls.
    const LOCALS: &'static [Reg];
    /// Function table register.
    const FUN_TABLE: Reg;
}

/// The call0 ABI (`-march=xtensa`, ESP8266).
#[derive(Clone, Copy, Debug, Default)]
pub struct Call0;

/// The windowed ABI (`-march=xtensawin`, ESP32).
#[derive(Clone, Copy, Debug, Default)]
pub struct Windowed;

impl Variant for Call0 {
    const ABI: Abi = Abi::Call0;
    const MPY_ARCH: u8 = ferropy_bytecode::mpy::arch::XTENSA;
    const RET: Reg = regs::CALL0.ret;
    const ENTRY_ARGS: &'static [Reg] = &regs::CALL0.entry_args;
    const CALL_ARGS: &'static [Reg] = &regs::CALL0.call_args;
    const TEMPS: &'static [Reg] = &regs::CALL0.temps;
    const LOCALS: &'static [Reg] = regs::CALL0.locals;
    const FUN_TABLE: Reg = regs::CALL0.fun_table;
}

impl Variant for Windowed {
    const ABI: Abi = Abi::Windowed;
    const MPY_ARCH: u8 = ferropy_bytecode::mpy::arch::XTENSAWIN;
    const RET: Reg = regs::WINDOWED.ret;
    const ENTRY_ARGS: &'static [Reg] = &regs::WINDOWED.entry_args;
    const CALL_ARGS: &'static [Reg] = &regs::WINDOWED.call_args;
    const TEMPS: &'static [Reg] = &regs::WINDOWED.temps;
    const LOCALS: &'static [Reg] = regs::WINDOWED.locals;
    const FUN_TABLE: Reg = regs::WINDOWED.fun_table;
}

/// call0 ABI: the registers the prologue saves, with their offsets from `a1`.
const CALL0_SAVED: [(Reg, u32); 5] = [(Reg::A0, 0), (Reg::A12, 4), (Reg::A13, 8), (Reg::A14, 12), (Reg::A15, 16)];
/// call0 ABI: where the prologue keeps the base of label addresses.
const BASE_SLOT: u32 = 20;
/// call0 ABI: where a local subroutine keeps its return address.
const LINK_SLOT: u32 = 24;
/// Windowed ABI: where a function with local subroutines keeps the base.
const WIN_BASE_SLOT: u32 = 4;
/// Windowed ABI: where a local subroutine keeps its return address.
const WIN_LINK_SLOT: u32 = 8;

/// The frame chosen by the prologue.
#[derive(Clone, Copy, Debug)]
struct Frame {
    n_slots: usize,
    /// Bytes reserved below the caller's stack pointer.
    bytes: u32,
    /// Byte offset of slot 0 from `a1`.
    slot_base: u32,
    /// Where the base of label addresses is kept.
    base: Base,
    /// Byte offset from `a1` of a local subroutine's return address.
    link: u32,
}

/// The Xtensa assembler for ABI `V`.
#[derive(Clone, Debug)]
pub struct XtensaAsm<V: Variant> {
    items: Vec<Item>,
    bound: Vec<bool>,
    frame: Option<Frame>,
    error: Option<AsmError>,
    estimate: usize,
    /// Registers known to hold a constant at this point of the code (forgotten
    /// at every label, and when written otherwise).
    known: [Option<u32>; 16],
    /// Labels called as local subroutines (4-byte aligned by `finish`).
    call_targets: Vec<Label>,
    _variant: PhantomData<V>,
}

/// The call0 assembler.
pub type XtensaCall0Asm = XtensaAsm<Call0>;
/// The windowed assembler.
pub type XtensaWinAsm = XtensaAsm<Windowed>;

impl<V: Variant> Default for XtensaAsm<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: Variant> XtensaAsm<V> {
    /// A new, empty assembler.
    pub fn new() -> Self {
        XtensaAsm {
            items: Vec::new(),
            bound: Vec::new(),
            frame: None,
            error: None,
            estimate: 0,
            known: [None; 16],
            call_targets: Vec::new(),
            _variant: PhantomData,
        }
    }

    /// The recorded items (before layout).
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    fn fail(&mut self, e: AsmError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn forget(&mut self, reg: Reg) {
        self.known[usize::from(reg.num())] = None;
    }

    fn push(&mut self, item: Item) {
        match &item {
            Item::Insn(i) => {
                if let Some(w) = i.writes() {
                    self.forget(w);
                }
                match i {
                    // call0 callees may change a0, a2..a11; callx8 callees the caller's a8..a15.
                    Insn::Callx0 { .. } => (0..12).for_each(|r| self.known[r] = None),
                    Insn::Callx8 { .. } => (8..16).for_each(|r| self.known[r] = None),
                    _ => {}
                }
            }
            Item::Const { t, .. } => self.forget(*t),
            Item::LabelAddr { dst, .. } | Item::LabelAddrAfterCall { dst, .. } => {
                self.forget(*dst);
                self.forget(Reg::A0);
                self.forget(SCRATCH);
            }
            // Long forms use the scratch registers.
            Item::Branch { .. } | Item::Jump { .. } | Item::SetBase => {
                self.forget(Reg::A0);
                self.forget(SCRATCH);
            }
            // The subroutine may change any register.
            Item::Bind(_) | Item::CallLocal { .. } => self.known = [None; 16],
            Item::Align(_) | Item::Data(_) => {}
        }
        self.estimate += match &item {
            Item::Insn(i) => i.len(),
            Item::Bind(_) | Item::Align(_) => 0,
            Item::SetBase => 5,
            Item::Data(d) => d.len(),
            Item::Const { .. } | Item::Jump { .. } | Item::CallLocal { .. } => 3,
            Item::Branch { br: Br::Z(ZCond::Eqz | ZCond::Nez, _), .. } => 2,
            Item::Branch { .. } => 3,
            Item::LabelAddr { .. } | Item::LabelAddrAfterCall { .. } => 9,
        };
        self.items.push(item);
    }

    /// Emits one instruction.
    pub fn insn(&mut self, insn: Insn) {
        self.push(Item::Insn(insn));
    }

    fn check_label(&mut self, label: Label) -> bool {
        if (label.0 as usize) < self.bound.len() {
            true
        } else {
            self.fail(AsmError::UnknownLabel(label.0));
            false
        }
    }

    /// `dst = value` for a 32-bit value.
    fn mov_u32(&mut self, dst: Reg, value: u32) {
        if self.known[usize::from(dst.num())] == Some(value) {
            return;
        }
        let v = i64::from(value as i32);
        if fits_movi_n(v) {
            self.insn(Insn::MoviN { s: dst, imm: v as i32 });
        } else if fits_movi(v) {
            self.insn(Insn::Movi { t: dst, imm: v as i32 });
        } else {
            self.push(Item::Const { t: dst, value });
        }
        self.known[usize::from(dst.num())] = Some(value);
    }

    /// If the last instruction is `mov.n dst, x` (x not `dst` and not `other`),
    /// possibly followed by constant loads into other registers, removes the
    /// move and returns `x`: the caller computes from `x` directly.
    fn fuse_mov(&mut self, dst: Reg, other: Reg) -> Reg {
        let mut written: u32 = 0;
        let mut i = self.items.len();
        while i > 0 {
            i -= 1;
            match self.items[i] {
                Item::Insn(Insn::MovN { t, s: x }) => {
                    if t == dst && x != dst && other != dst && written & 1 << x.num() == 0 {
                        self.items.remove(i);
                        self.estimate -= 2;
                        return x;
                    }
                    return dst;
                }
                // Constant loads into other registers read nothing.
                Item::Insn(Insn::MoviN { s: r, .. })
                | Item::Insn(Insn::Movi { t: r, .. })
                | Item::Const { t: r, .. }
                    if r != dst =>
                {
                    written |= 1 << r.num();
                }
                _ => return dst,
            }
        }
        dst
    }

    /// Peepholes for code right before `label` is bound (see [`Asm::bind`]).
    fn shorten_before(&mut self, label: Label) {
        if let Some(Item::Jump { label: l }) = self.items.last() {
            if *l == label {
                self.items.pop();
                self.estimate -= 3;
                return;
            }
        }
        let n = self.items.len();
        if n >= 2 {
            if let (Item::Branch { br, label: l }, Item::Jump { label: m }) = (&self.items[n - 2], &self.items[n - 1]) {
                if *l == label && *m != label {
                    let (br, m) = (br.invert(), *m);
                    self.items.truncate(n - 2);
                    self.estimate -= 6;
                    self.push(Item::Branch { br, label: m });
                }
            }
        }
    }

    /// A load or store of `bytes` bytes at `base + disp` (any displacement).
    fn mem(&mut self, bytes: u32, store: bool, reg: Reg, base: Reg, disp: i64) {
        let op = match (bytes, store) {
            (1, false) => Mem::L8ui,
            (2, false) => Mem::L16ui,
            (_, false) => Mem::L32i,
            (1, true) => Mem::S8i,
            (2, true) => Mem::S16i,
            (_, true) => Mem::S32i,
        };
        let fits = disp >= 0 && disp % i64::from(bytes) == 0 && disp / i64::from(bytes) <= 255;
        let (base, off) = if fits {
            (base, disp as u32)
        } else {
            let Ok(d) = i32::try_from(disp) else {
                self.fail(AsmError::OffsetOutOfRange(disp));
                return;
            };
            self.mov_u32(SCRATCH, d as u32);
            self.insn(Insn::AddN { r: SCRATCH, s: SCRATCH, t: base });
            (SCRATCH, 0)
        };
        if bytes == 4 && off <= 60 {
            if store {
                self.insn(Insn::S32iN { t: reg, s: base, off });
            } else {
                self.insn(Insn::L32iN { t: reg, s: base, off });
            }
        } else {
            self.insn(Insn::Mem { op, t: reg, s: base, off });
        }
    }

    fn offset_disp(width: Width, offset: i32) -> i64 {
        i64::from(offset) * i64::from(width.bytes(4))
    }

    /// `SCRATCH = base + index * size`.
    fn index_addr(&mut self, width: Width, base: Reg, index: Reg) {
        match width.bytes(4) {
            1 => self.insn(Insn::AddN { r: SCRATCH, s: base, t: index }),
            2 => self.insn(Insn::Alu { op: Alu::Addx2, r: SCRATCH, s: index, t: base }),
            _ => self.insn(Insn::Alu { op: Alu::Addx4, r: SCRATCH, s: index, t: base }),
        }
    }

    fn slot_disp(&mut self, slot: usize) -> Option<i64> {
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return None;
        };
        if slot >= frame.n_slots {
            self.fail(AsmError::SlotOutOfRange(slot));
            return None;
        }
        Some(i64::from(frame.slot_base) + 4 * slot as i64)
    }

    /// `dst = dst shift count` for a count in 0..32, as one immediate-shift
    /// instruction; a `mov.n dst, x` right before (`x` not `other`, a
    /// register the caller still reads) is folded in.
    fn shift_by(&mut self, op: ShiftOp, dst: Reg, c: u32, other: Reg) {
        let x = self.fuse_mov(dst, other);
        match (op, c) {
            (_, 0) => self.mov_reg(dst, x),
            (ShiftOp::Shl, _) => self.insn(Insn::Slli { r: dst, s: x, sa: c }),
            (ShiftOp::Shr, 1..=15) => self.insn(Insn::Srli { r: dst, t: x, sa: c }),
            (ShiftOp::Shr, _) => self.insn(Insn::Extui { r: dst, t: x, shift: c, bits: 32 - c }),
            (ShiftOp::Sar, _) => self.insn(Insn::Srai { r: dst, t: x, sa: c }),
        }
    }

    /// A test of a register that `set_cond` just set (`movi.n r, 1; b<c> +1;
    /// movi.n r, 0`) branches on the comparison itself, keeping `r` right on
    /// both paths: `movi.n r, 1; b<c> label; movi.n r, 0` (the mirror image
    /// for a zero test).
    fn branch(&mut self, br: Br, label: Label) {
        if !self.check_label(label) {
            return;
        }
        let n = self.items.len();
        if let (Br::Z(zc @ (ZCond::Eqz | ZCond::Nez), reg), Some(tail)) = (br, self.items.get(n.wrapping_sub(3)..)) {
            if let [Item::Insn(Insn::MoviN { s: r1, imm: 1 }), Item::Insn(Insn::B { cond, s, t, rel: 1 }), Item::Insn(Insn::MoviN { s: r2, imm: 0 })] =
                tail
            {
                let (cond, s, t) = (*cond, *s, *t);
                if *r1 == reg && *r2 == reg && s != reg && t != reg {
                    self.items.truncate(n - 3);
                    self.estimate -= 7;
                    let (taken, cond) = if zc == ZCond::Nez { (1, cond) } else { (0, cond.invert()) };
                    self.insn(Insn::MoviN { s: reg, imm: taken });
                    self.push(Item::Branch { br: Br::R(cond, s, t), label });
                    self.insn(Insn::MoviN { s: reg, imm: 1 - taken });
                    return;
                }
            }
        }
        self.push(Item::Branch { br, label });
    }
}

/// The branch for `a cond b`: a condition and operand order.
fn branch_cond(cond: Cond, a: Reg, b: Reg) -> (BCond, Reg, Reg) {
    match cond {
        Cond::Eq => (BCond::Eq, a, b),
        Cond::Ne => (BCond::Ne, a, b),
        Cond::LtS => (BCond::Lt, a, b),
        Cond::GeS => (BCond::Ge, a, b),
        Cond::GtS => (BCond::Lt, b, a),
        Cond::LeS => (BCond::Ge, b, a),
        Cond::LtU => (BCond::Ltu, a, b),
        Cond::GeU => (BCond::Geu, a, b),
        Cond::GtU => (BCond::Ltu, b, a),
        Cond::LeU => (BCond::Geu, b, a),
    }
}

impl<V: Variant> Asm for XtensaAsm<V> {
    type Reg = Reg;

    const WORD_BYTES: u32 = 4;
    const RET: Reg = V::RET;
    const ENTRY_ARGS: &'static [Reg] = V::ENTRY_ARGS;
    const CALL_ARGS: &'static [Reg] = V::CALL_ARGS;
    const TEMPS: &'static [Reg] = V::TEMPS;
    const LOCALS: &'static [Reg] = V::LOCALS;
    const FUN_TABLE: Reg = V::FUN_TABLE;

    fn offset(&self) -> usize {
        self.estimate
    }

    fn new_label(&mut self) -> Label {
        let id = u32::try_from(self.bound.len()).unwrap_or(u32::MAX);
        if id == u32::MAX {
            self.fail(AsmError::CodeTooLarge);
        } else {
            self.bound.push(false);
        }
        Label(id)
    }

    /// A jump to this very label right before is dropped, and a branch to it
    /// over a jump becomes the inverted branch to the jump's target.
    fn bind(&mut self, label: Label) {
        match self.bound.get_mut(label.0 as usize) {
            Some(b @ false) => {
                *b = true;
                self.shorten_before(label);
                self.push(Item::Bind(label));
            }
            Some(true) => self.fail(AsmError::LabelBoundTwice(label.0)),
            None => self.fail(AsmError::UnknownLabel(label.0)),
        }
    }

    fn align(&mut self, align: usize) {
        self.push(Item::Align(align));
    }

    fn data(&mut self, bytes: &[u8]) {
        self.push(Item::Data(bytes.to_vec()));
    }

    fn prologue(&mut self, n_slots: usize) {
        if self.frame.is_some() {
            self.fail(AsmError::FrameMisuse);
            return;
        }
        let words = |fixed: usize| n_slots.checked_add(fixed).and_then(|w| w.checked_mul(4)).map(|b| (b + 15) & !15);
        match V::ABI {
            Abi::Call0 => {
                let Some(bytes) = words(7).and_then(|b| u32::try_from(b).ok()).filter(|b| *b <= 0x7FFF_0000) else {
                    self.fail(AsmError::SlotOutOfRange(n_slots));
                    return;
                };
                if bytes <= 128 {
                    self.insn(Insn::Addi { t: SP, s: SP, imm: -(bytes as i32) });
                } else {
                    self.mov_u32(SCRATCH, bytes);
                    self.insn(Insn::Alu { op: Alu::Sub, r: SP, s: SP, t: SCRATCH });
                }
                for (r, off) in CALL0_SAVED {
                    self.insn(Insn::S32iN { t: r, s: SP, off });
                }
                self.push(Item::SetBase);
                self.insn(Insn::S32iN { t: Reg::A0, s: SP, off: BASE_SLOT });
                self.frame = Some(Frame {
                    n_slots,
                    bytes,
                    slot_base: LINK_SLOT + 4,
                    base: Base::Slot(BASE_SLOT),
                    link: LINK_SLOT,
                });
            }
            Abi::Windowed => {
                let Some(bytes) = words(3).map(|b| b + 32).and_then(|b| u32::try_from(b).ok()).filter(|b| *b <= 32760)
                else {
                    self.fail(AsmError::SlotOutOfRange(n_slots));
                    return;
                };
                self.insn(Insn::Entry { s: SP, frame: bytes });
                self.insn(Insn::S32iN { t: Reg::A0, s: SP, off: 0 });
                self.push(Item::SetBase);
                self.frame =
                    Some(Frame { n_slots, bytes, slot_base: WIN_LINK_SLOT + 4, base: Base::A0, link: WIN_LINK_SLOT });
            }
        }
    }

    fn epilogue(&mut self) {
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return;
        };
        match V::ABI {
            Abi::Call0 => {
                for (r, off) in CALL0_SAVED {
                    self.insn(Insn::L32iN { t: r, s: SP, off });
                }
                if frame.bytes <= 127 {
                    self.insn(Insn::Addi { t: SP, s: SP, imm: frame.bytes as i32 });
                } else {
                    self.mov_u32(SCRATCH, frame.bytes);
                    self.insn(Insn::AddN { r: SP, s: SP, t: SCRATCH });
                }
                self.insn(Insn::RetN);
            }
            Abi::Windowed => {
                // Table calls return in a10 (the callee's a2); this function returns in a2.
                self.insn(Insn::MovN { t: Reg::A2, s: V::RET });
                self.insn(Insn::L32iN { t: Reg::A0, s: SP, off: 0 });
                self.insn(Insn::RetwN);
            }
        }
    }

    fn mov_imm(&mut self, dst: Reg, value: i64) {
        if value < i64::from(i32::MIN) || value > i64::from(u32::MAX) {
            self.fail(AsmError::ImmediateOutOfRange(value));
            return;
        }
        self.mov_u32(dst, value as u32);
    }

    fn mov_reg(&mut self, dst: Reg, src: Reg) {
        if dst != src {
            self.insn(Insn::MovN { t: dst, s: src });
        }
    }

    fn load_slot(&mut self, dst: Reg, slot: usize) {
        if let Some(disp) = self.slot_disp(slot) {
            self.mem(4, false, dst, SP, disp);
        }
    }

    fn store_slot(&mut self, slot: usize, src: Reg) {
        if let Some(disp) = self.slot_disp(slot) {
            self.mem(4, true, src, SP, disp);
        }
    }

    fn slot_addr(&mut self, dst: Reg, slot: usize) {
        if let Some(disp) = self.slot_disp(slot) {
            if disp <= 127 {
                self.insn(Insn::Addi { t: dst, s: SP, imm: disp as i32 });
            } else {
                self.mov_u32(dst, disp as u32);
                self.insn(Insn::AddN { r: dst, s: dst, t: SP });
            }
        }
    }

    fn label_addr(&mut self, dst: Reg, label: Label) {
        if self.check_label(label) {
            self.push(Item::LabelAddr { dst, label });
        }
    }

    /// `mov.n dst, x` right before is folded in: `dst = x op src`.
    fn binop(&mut self, op: BinOp, dst: Reg, src: Reg) {
        let x = self.fuse_mov(dst, src);
        let alu = match op {
            BinOp::Add => return self.insn(Insn::AddN { r: dst, s: x, t: src }),
            BinOp::Sub => Alu::Sub,
            BinOp::Mul => Alu::Mull,
            BinOp::And => Alu::And,
            BinOp::Or => Alu::Or,
            BinOp::Xor => Alu::Xor,
        };
        self.insn(Insn::Alu { op: alu, r: dst, s: x, t: src });
    }

    /// The count's low five bits are used (`ssl`/`ssr` take them so). A count
    /// known to be a constant gives an immediate shift (and a `mov.n dst, x`
    /// right before is folded in).
    fn shift(&mut self, op: ShiftOp, dst: Reg, count: Reg) {
        if let Some(c) = self.known[usize::from(count.num())] {
            self.shift_by(op, dst, c & 31, count);
            return;
        }
        match op {
            ShiftOp::Shl => {
                self.insn(Insn::Ssl { s: count });
                self.insn(Insn::Sll { r: dst, s: dst });
            }
            ShiftOp::Shr => {
                self.insn(Insn::Ssr { s: count });
                self.insn(Insn::Srl { r: dst, t: dst });
            }
            ShiftOp::Sar => {
                self.insn(Insn::Ssr { s: count });
                self.insn(Insn::Sra { r: dst, t: dst });
            }
        }
    }

    fn neg(&mut self, dst: Reg) {
        self.insn(Insn::Neg { r: dst, t: dst });
    }

    fn not(&mut self, dst: Reg) {
        // !x == -x - 1.
        self.insn(Insn::Neg { r: dst, t: dst });
        self.insn(Insn::AddiN { r: dst, s: dst, imm: -1 });
    }

    fn set_cond(&mut self, cond: Cond, dst: Reg, a: Reg, b: Reg) {
        let (bc, s, t) = branch_cond(cond, a, b);
        let tmp = if dst == a || dst == b { SCRATCH } else { dst };
        self.insn(Insn::MoviN { s: tmp, imm: 1 });
        // Skip the 2-byte `movi.n tmp, 0` when the condition holds.
        self.insn(Insn::B { cond: bc, s, t, rel: 1 });
        self.insn(Insn::MoviN { s: tmp, imm: 0 });
        self.mov_reg(dst, tmp);
    }

    fn jump(&mut self, label: Label) {
        if self.check_label(label) {
            self.push(Item::Jump { label });
        }
    }

    /// Tests the whole register: every boolean the emitter tests is a clean 0/1
    /// word (from `set_cond`) or a zero-extended byte.
    fn jump_if_zero(&mut self, reg: Reg, _bool_test: bool, label: Label) {
        self.branch(Br::Z(ZCond::Eqz, reg), label);
    }

    fn jump_if_nonzero(&mut self, reg: Reg, _bool_test: bool, label: Label) {
        self.branch(Br::Z(ZCond::Nez, reg), label);
    }

    fn jump_if_eq(&mut self, a: Reg, b: Reg, label: Label) {
        self.branch(Br::R(BCond::Eq, a, b), label);
    }

    fn jump_reg(&mut self, reg: Reg) {
        self.insn(Insn::Jx { s: reg });
    }

    fn call_table(&mut self, index: usize) {
        let Some(disp) = index.checked_mul(4).and_then(|d| i64::try_from(d).ok()).filter(|d| *d <= 0x7FFF_FFFF) else {
            self.fail(AsmError::TableIndexOutOfRange(index));
            return;
        };
        let (target, table) = match V::ABI {
            Abi::Call0 => (Reg::A0, V::FUN_TABLE),
            Abi::Windowed => (SCRATCH, V::FUN_TABLE),
        };
        self.mem(4, false, target, table, disp);
        match V::ABI {
            Abi::Call0 => self.insn(Insn::Callx0 { s: target }),
            Abi::Windowed => self.insn(Insn::Callx8 { s: target }),
        }
    }

    const LOCAL_CALLS: bool = true;

    /// `call0 label` (see the module documentation).
    fn call_local(&mut self, label: Label) {
        if !self.check_label(label) {
            return;
        }
        if self.frame.is_none() {
            self.fail(AsmError::FrameMisuse);
            return;
        }
        if !self.call_targets.contains(&label) {
            self.call_targets.push(label);
        }
        self.push(Item::CallLocal { label });
    }

    /// call0: `s32i.n a0, a1, 24; mov.n ret_addr, a0`; windowed: `s32i.n a0,
    /// a1, 8; mov.n ret_addr, a0; l32i.n a0, a1, 4` (the base back in `a0`).
    fn local_entry(&mut self, ret_addr: Reg) {
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return;
        };
        self.insn(Insn::S32iN { t: Reg::A0, s: SP, off: frame.link });
        self.mov_reg(ret_addr, Reg::A0);
        if V::ABI == Abi::Windowed {
            self.insn(Insn::L32iN { t: Reg::A0, s: SP, off: WIN_BASE_SLOT });
        }
    }

    /// call0: `l32i.n a0, a1, 24; ret.n`; windowed: `l32i.n a8, a1, 8; jx a8`.
    fn local_return(&mut self) {
        let Some(frame) = self.frame else {
            self.fail(AsmError::FrameMisuse);
            return;
        };
        match V::ABI {
            Abi::Call0 => {
                self.insn(Insn::L32iN { t: Reg::A0, s: SP, off: frame.link });
                self.insn(Insn::RetN);
            }
            Abi::Windowed => {
                self.insn(Insn::L32iN { t: SCRATCH, s: SP, off: frame.link });
                self.insn(Insn::Jx { s: SCRATCH });
            }
        }
    }

    /// Nothing to undo: the return address is in a frame slot, the stack
    /// pointer never moved, and (windowed) `a0` already holds the base.
    fn local_discard(&mut self) {}

    /// `movnez`: no branch.
    fn move_if_nonzero(&mut self, dst: Reg, src: Reg, cond: Reg) {
        self.insn(Insn::MovCond { cond: ZCond::Nez, r: dst, s: src, t: cond });
    }

    /// `t = dst - value; movgez dst, t, t`.
    fn sub_if_at_least(&mut self, dst: Reg, value: i32, t: Reg, scratch: Reg) {
        self.mov_reg(t, dst);
        self.binop_imm(BinOp::Add, t, value.wrapping_neg(), scratch);
        self.insn(Insn::MovCond { cond: ZCond::Gez, r: dst, s: t, t });
    }

    /// Additions of -128..=127 are `addi.n`/`addi` (a `mov.n dst, x` right
    /// before is folded in: `dst = x + value`); the rest as the default.
    fn binop_imm(&mut self, op: BinOp, dst: Reg, value: i32, scratch: Reg) {
        if op == BinOp::Add && (-128..=127).contains(&value) {
            // `SP` stands for "no second operand" (never a destination).
            let x = self.fuse_mov(dst, SP);
            match value {
                0 => self.mov_reg(dst, x),
                -1 | 1..=15 => self.insn(Insn::AddiN { r: dst, s: x, imm: value }),
                _ => self.insn(Insn::Addi { t: dst, s: x, imm: value }),
            }
            return;
        }
        self.mov_imm(scratch, i64::from(value));
        self.binop(op, dst, scratch);
    }

    /// One immediate shift; `scratch` is not used.
    fn shift_imm(&mut self, op: ShiftOp, dst: Reg, count: u8, _scratch: Reg) {
        if count >= 32 {
            self.fail(AsmError::ImmediateOutOfRange(i64::from(count)));
            return;
        }
        self.shift_by(op, dst, u32::from(count), SP);
    }

    /// `bbci reg, bit, label` (neither `reg` nor `scratch` changes).
    fn jump_if_bit_clear(&mut self, reg: Reg, bit: u8, _scratch: Reg, label: Label) {
        if bit >= 32 {
            self.fail(AsmError::ImmediateOutOfRange(i64::from(bit)));
            return;
        }
        self.branch(Br::Bit(false, reg, u32::from(bit)), label);
    }

    fn load(&mut self, width: Width, dst: Reg, base: Reg, offset: i32) {
        self.mem(width.bytes(4), false, dst, base, Self::offset_disp(width, offset));
    }

    fn store(&mut self, width: Width, src: Reg, base: Reg, offset: i32) {
        self.mem(width.bytes(4), true, src, base, Self::offset_disp(width, offset));
    }

    fn load_indexed(&mut self, width: Width, dst: Reg, base: Reg, index: Reg) {
        self.index_addr(width, base, index);
        self.mem(width.bytes(4), false, dst, SCRATCH, 0);
    }

    fn store_indexed(&mut self, width: Width, src: Reg, base: Reg, index: Reg) {
        self.index_addr(width, base, index);
        self.mem(width.bytes(4), true, src, SCRATCH, 0);
    }

    /// Lays the code out after the rewrites of [`crate::rewrite`], aligning
    /// the local subroutines' labels and settling the base of label addresses: without any label address
    /// the prologue does not set it (nor store it; the windowed subroutines
    /// do not reload it), and the rare long jumps use a `call0` each; in the
    /// windowed ABI with local subroutines it is stored after the prologue
    /// sets it.
    fn finish(self) -> Result<Finished, AsmError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let needs_base = self.items.iter().any(|i| matches!(i, Item::LabelAddr { .. }));
        let base = match self.frame {
            Some(f) if needs_base => f.base,
            _ => Base::None,
        };
        let win_reload = Item::Insn(Insn::L32iN { t: Reg::A0, s: SP, off: WIN_BASE_SLOT });
        let call0_store = Item::Insn(Insn::S32iN { t: Reg::A0, s: SP, off: BASE_SLOT });
        let mut items = Vec::with_capacity(self.items.len() + self.call_targets.len() + 1);
        let mut after_set_base = false;
        for item in self.items {
            let follows_set_base = core::mem::replace(&mut after_set_base, matches!(item, Item::SetBase));
            match item {
                Item::Bind(l) if self.call_targets.contains(&l) => {
                    items.push(Item::Align(4));
                    items.push(Item::Bind(l));
                }
                Item::SetBase if !needs_base => {}
                Item::SetBase if V::ABI == Abi::Windowed && !self.call_targets.is_empty() => {
                    items.push(Item::SetBase);
                    items.push(Item::Insn(Insn::S32iN { t: Reg::A0, s: SP, off: WIN_BASE_SLOT }));
                }
                // The base's store (call0) and reloads (windowed) go with it.
                ref i if !needs_base && V::ABI == Abi::Call0 && follows_set_base && *i == call0_store => {}
                ref i if !needs_base && V::ABI == Abi::Windowed && *i == win_reload => {}
                other => items.push(other),
            }
        }
        let entries = rewrite::entries(&items, self.bound.len());
        let mut items = rewrite::drop_reloads(items, &entries);
        if V::ABI == Abi::Call0 && base != Base::None {
            items = rewrite::near_call_addresses(items, &entries);
        }
        if V::ABI == Abi::Call0 {
            items = rewrite::drop_unused_saved(items, &CALL0_SAVED[1..]);
        }
        let laid = layout::assemble(&items, self.bound.len(), base)?;
        Ok(Finished { code: laid.code, entry: 0, labels: laid.labels })
    }
}

impl<V: Variant> ferropy_emit_native::AsmFactory for XtensaAsm<V> {
    fn new_asm() -> Self {
        XtensaAsm::new()
    }
    const MPY_ARCH: u8 = V::MPY_ARCH;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insns<V: Variant>(a: &XtensaAsm<V>) -> Vec<Insn> {
        a.items()
            .iter()
            .filter_map(|i| match i {
                Item::Insn(i) => Some(*i),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn narrow_forms_are_chosen_when_they_fit() {
        let mut a = XtensaCall0Asm::new();
        a.mov_imm(Reg::A2, 95);
        a.mov_imm(Reg::A2, 96);
        a.mov_imm(Reg::A2, 0x1_0000);
        a.load(Width::Word, Reg::A3, Reg::A12, 15);
        a.load(Width::Word, Reg::A3, Reg::A12, 16);
        a.load(Width::U8, Reg::A3, Reg::A12, 255);
        a.load(Width::U8, Reg::A3, Reg::A12, 256);
        let v = insns(&a);
        assert_eq!(v[0], Insn::MoviN { s: Reg::A2, imm: 95 });
        assert_eq!(v[1], Insn::Movi { t: Reg::A2, imm: 96 });
        assert_eq!(v[2], Insn::L32iN { t: Reg::A3, s: Reg::A12, off: 60 });
        assert_eq!(v[3], Insn::Mem { op: Mem::L32i, t: Reg::A3, s: Reg::A12, off: 64 });
        assert_eq!(v[4], Insn::Mem { op: Mem::L8ui, t: Reg::A3, s: Reg::A12, off: 255 });
        assert!(matches!(a.items()[2], Item::Const { value: 0x1_0000, .. }));
    }

    #[test]
    fn errors_are_reported_by_finish() {
        let mut a = XtensaWinAsm::new();
        a.mov_imm(Reg::A2, 1 << 40);
        assert_eq!(a.finish().unwrap_err(), AsmError::ImmediateOutOfRange(1 << 40));
        let mut a = XtensaWinAsm::new();
        a.epilogue();
        assert_eq!(a.finish().unwrap_err(), AsmError::FrameMisuse);
        let mut a = XtensaCall0Asm::new();
        a.prologue(2);
        a.load_slot(Reg::A2, 2);
        assert_eq!(a.finish().unwrap_err(), AsmError::SlotOutOfRange(2));
        let mut a = XtensaCall0Asm::new();
        a.jump(Label(3));
        assert_eq!(a.finish().unwrap_err(), AsmError::UnknownLabel(3));
        let mut a = XtensaCall0Asm::new();
        let l = a.new_label();
        a.bind(l);
        a.bind(l);
        assert_eq!(a.finish().unwrap_err(), AsmError::LabelBoundTwice(0));
        let mut a = XtensaWinAsm::new();
        a.prologue(100_000);
        assert_eq!(a.finish().unwrap_err(), AsmError::SlotOutOfRange(100_000));
        let mut a = XtensaWinAsm::new();
        a.call_table(usize::MAX);
        assert_eq!(a.finish().unwrap_err(), AsmError::TableIndexOutOfRange(usize::MAX));
    }

    /// A function with one local subroutine called from a site after
    /// `lead` narrow instructions (and a label address after the site if
    /// `addr`); its listing.
    fn local_call_listing<V: Variant>(lead: usize, addr: bool) -> (alloc::string::String, Finished, Label) {
        let mut a = XtensaAsm::<V>::new();
        a.prologue(1);
        let sub = a.new_label();
        for _ in 0..lead {
            a.insn(Insn::NopN);
        }
        a.call_local(sub);
        if addr {
            a.label_addr(V::TEMPS[0], sub);
        }
        a.epilogue();
        a.bind(sub);
        a.local_entry(V::CALL_ARGS[3]);
        a.binop_imm(BinOp::Add, V::CALL_ARGS[3], -2, V::CALL_ARGS[0]);
        a.call_table(3);
        a.local_return();
        a.local_discard();
        let done = a.finish().unwrap();
        (crate::disasm::listing_text(&done.code), done, sub)
    }

    #[test]
    fn local_subroutines_are_aligned_call0_targets() {
        let mut skips = 0;
        for lead in 0..4 {
            let (text, done, sub) = local_call_listing::<Call0>(lead, true);
            skips += text.matches(".skip").count();
            let at = done.labels[sub.0 as usize].unwrap();
            assert_eq!(at % 4, 0, "{text}");
            assert!(text.contains(&alloc::format!("call0 0x{at:x}")), "{text}");
            // The padding is listed as such (nothing is `.byte`).
            assert!(!text.contains(".byte"), "{text}");
            for line in ["s32i.n a0, a1, 24", "addi a5, a0, -2", "l32i.n a0, a15, 12", "callx0 a0", "l32i.n a0, a1, 24"]
            {
                assert!(text.contains(line), "{line}: {text}");
            }
            assert!(text.trim_end().ends_with("ret.n"), "{text}");
            let (text, done, sub) = local_call_listing::<Windowed>(lead, true);
            let at = done.labels[sub.0 as usize].unwrap();
            assert_eq!(at % 4, 0, "{text}");
            assert!(!text.contains(".byte"), "{text}");
            // The base is saved after the prologue's `call0` and reloaded into a0.
            for line in [
                "s32i.n a0, a1, 4",
                "s32i.n a0, a1, 8",
                "mov.n a13, a0",
                "l32i.n a0, a1, 4",
                "addi a13, a13, -2",
                "callx8 a8",
                "l32i.n a8, a1, 8",
            ] {
                assert!(text.contains(line), "{line}: {text}");
            }
            assert!(text.trim_end().ends_with("jx a8"), "{text}");
        }
        assert!(skips > 0, "no padding met");
        // Without local subroutines the windowed prologue does not store the base.
        let mut a = XtensaWinAsm::new();
        a.prologue(1);
        let l = a.new_label();
        a.bind(l);
        a.label_addr(Reg::A10, l);
        a.epilogue();
        let text = crate::disasm::listing_text(&a.finish().unwrap().code);
        assert!(text.contains("call0") && !text.contains("s32i.n a0, a1, 4"), "{text}");
        // Without label addresses nothing sets, stores or reloads the base.
        let (text, ..) = local_call_listing::<Windowed>(1, false);
        assert_eq!(text.matches("call0").count(), 1, "{text}");
        assert!(!text.contains("a0, a1, 4"), "{text}");
        let (text, ..) = local_call_listing::<Call0>(1, false);
        assert_eq!(text.matches("call0").count(), 1, "{text}");
        assert!(!text.contains("a0, a1, 20"), "{text}");
    }

    #[test]
    fn small_additions_are_immediates() {
        let mut a = XtensaCall0Asm::new();
        a.binop_imm(BinOp::Add, Reg::A2, 15, Reg::A3);
        a.binop_imm(BinOp::Add, Reg::A2, -1, Reg::A3);
        a.binop_imm(BinOp::Add, Reg::A2, 100, Reg::A3);
        a.mov_reg(Reg::A4, Reg::A5);
        a.binop_imm(BinOp::Add, Reg::A4, -128, Reg::A3);
        a.binop_imm(BinOp::Add, Reg::A2, 0, Reg::A3);
        a.binop_imm(BinOp::Add, Reg::A2, 128, Reg::A3);
        a.binop_imm(BinOp::Or, Reg::A2, 1, Reg::A3);
        assert_eq!(
            insns(&a),
            [
                Insn::AddiN { r: Reg::A2, s: Reg::A2, imm: 15 },
                Insn::AddiN { r: Reg::A2, s: Reg::A2, imm: -1 },
                Insn::Addi { t: Reg::A2, s: Reg::A2, imm: 100 },
                Insn::Addi { t: Reg::A4, s: Reg::A5, imm: -128 },
                Insn::Movi { t: Reg::A3, imm: 128 },
                Insn::AddN { r: Reg::A2, s: Reg::A2, t: Reg::A3 },
                Insn::MoviN { s: Reg::A3, imm: 1 },
                Insn::Alu { op: Alu::Or, r: Reg::A2, s: Reg::A2, t: Reg::A3 },
            ]
        );
    }

    #[test]
    fn immediate_shifts_and_bit_tests_load_no_count() {
        let mut a = XtensaCall0Asm::new();
        let l = a.new_label();
        a.shift_imm(ShiftOp::Shr, Reg::A2, 4, Reg::A3);
        a.shift_imm(ShiftOp::Shl, Reg::A2, 31, Reg::A3);
        a.shift_imm(ShiftOp::Sar, Reg::A2, 0, Reg::A3);
        a.mov_reg(Reg::A4, Reg::A5);
        a.shift_imm(ShiftOp::Sar, Reg::A4, 1, Reg::A3);
        a.jump_if_bit_clear(Reg::A2, 0, Reg::A3, l);
        a.bind(l);
        assert_eq!(
            insns(&a),
            [
                Insn::Srli { r: Reg::A2, t: Reg::A2, sa: 4 },
                Insn::Slli { r: Reg::A2, s: Reg::A2, sa: 31 },
                Insn::Srai { r: Reg::A4, t: Reg::A5, sa: 1 },
            ]
        );
        let mut a = XtensaCall0Asm::new();
        a.shift_imm(ShiftOp::Shl, Reg::A2, 32, Reg::A3);
        assert_eq!(a.finish().unwrap_err(), AsmError::ImmediateOutOfRange(32));
        let mut a = XtensaCall0Asm::new();
        let l = a.new_label();
        a.jump_if_bit_clear(Reg::A2, 40, Reg::A3, l);
        assert_eq!(a.finish().unwrap_err(), AsmError::ImmediateOutOfRange(40));
    }

    #[test]
    fn a_load_of_the_word_just_stored_is_dropped() {
        let mut a = XtensaCall0Asm::new();
        let (position, target) = (a.new_label(), a.new_label());
        a.store(Width::Word, Reg::A2, Reg::A13, 3);
        a.bind(position);
        a.load(Width::Word, Reg::A2, Reg::A13, 3);
        // Another register, a wide offset, a jump target, 16 bits.
        a.load(Width::Word, Reg::A3, Reg::A13, 3);
        a.store(Width::Word, Reg::A3, Reg::A13, 100);
        a.load(Width::Word, Reg::A3, Reg::A13, 100);
        a.load(Width::Word, Reg::A3, Reg::A13, 4);
        a.store(Width::Word, Reg::A3, Reg::A13, 4);
        a.bind(target);
        a.load(Width::Word, Reg::A3, Reg::A13, 4);
        a.store(Width::U16, Reg::A3, Reg::A13, 4);
        a.load(Width::U16, Reg::A3, Reg::A13, 4);
        a.jump(target);
        let code = a.finish().unwrap().code;
        let mut got = Vec::new();
        let mut at = 0;
        while let Some(i) = Insn::decode(&code[at..]) {
            at += i.len();
            got.push(i);
            if at == code.len() {
                break;
            }
        }
        assert_eq!(
            got[..got.len() - 1],
            [
                Insn::S32iN { t: Reg::A2, s: Reg::A13, off: 12 },
                Insn::L32iN { t: Reg::A3, s: Reg::A13, off: 12 },
                Insn::Mem { op: Mem::S32i, t: Reg::A3, s: Reg::A13, off: 400 },
                Insn::L32iN { t: Reg::A3, s: Reg::A13, off: 16 },
                Insn::S32iN { t: Reg::A3, s: Reg::A13, off: 16 },
                Insn::L32iN { t: Reg::A3, s: Reg::A13, off: 16 },
                Insn::Mem { op: Mem::S16i, t: Reg::A3, s: Reg::A13, off: 8 },
                Insn::Mem { op: Mem::L16ui, t: Reg::A3, s: Reg::A13, off: 8 },
            ]
        );
    }

    #[test]
    fn frames_are_aligned() {
        for n in 0..40 {
            let mut a = XtensaCall0Asm::new();
            a.prologue(n);
            let f = a.frame.unwrap();
            assert_eq!(f.bytes % 16, 0);
            assert!(f.bytes >= 28 + 4 * n as u32);
            let mut w = XtensaWinAsm::new();
            w.prologue(n);
            let f = w.frame.unwrap();
            assert_eq!(f.bytes % 16, 0);
            assert!(f.bytes >= 32 + 12 + 4 * n as u32);
        }
    }
}
