//! Viper: static value types on the model stack and for locals, machine-word
//! operations, casts, pointer access and conversions at the object boundary.
//!
//! A viper value of a native type (`bool`, `int`, `uint`, `ptr*`) lives in the
//! frame's machine-word slots (`words`) at the same index its object would have
//! in `state`; objects stay in `state`. `None` is kept as the object `None` in
//! `state` but typed apart, as MicroPython does. Every rule and message below
//! follows MicroPython's viper emitter; all type errors are compile-time
//! `ViperTypeError`s naming the line.

use alloc::format;
use alloc::string::String;

use ferropy_bytecode::native_abi::vtype;
use ferropy_bytecode::opcode::{binary, unary};
use ferropy_bytecode::ConstObj;
use ferropy_frontend::emit::{viper_type, AccessKind, ConstTok, Label, ScopeInfo};
use ferropy_frontend::error::ErrorKind;

use super::ir::Ir;
use super::{AsmFactory, NativeEmitter};
use crate::asm::{BinOp, Cond, ShiftOp, Width};

/// The static type of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VType {
    /// A Python object (in a state slot).
    Object,
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `uint`
    Uint,
    /// `ptr`
    Ptr,
    /// `ptr8`
    Ptr8,
    /// `ptr16`
    Ptr16,
    /// `ptr32`
    Ptr32,
    /// The constant `None` (viper keeps it apart from objects).
    NoneConst,
    /// A cast operator (`int`, `ptr8`, ... named as a global), to a type code.
    Cast(u8),
    /// A local read before its type is known (only after that error).
    Unbound,
}

impl VType {
    /// MicroPython's name of the type (in error messages).
    pub fn name(self) -> &'static str {
        match self {
            VType::Object => "object",
            VType::Bool => "bool",
            VType::Int => "int",
            VType::Uint => "uint",
            VType::Ptr => "ptr",
            VType::Ptr8 => "ptr8",
            VType::Ptr16 => "ptr16",
            VType::Ptr32 => "ptr32",
            // MicroPython names every other kind "None" too.
            VType::NoneConst | VType::Unbound | VType::Cast(_) => "None",
        }
    }

    /// The type of a `viper_type` code.
    pub fn from_code(code: u8) -> VType {
        match code {
            viper_type::BOOL => VType::Bool,
            viper_type::INT => VType::Int,
            viper_type::UINT => VType::Uint,
            viper_type::PTR => VType::Ptr,
            viper_type::PTR8 => VType::Ptr8,
            viper_type::PTR16 => VType::Ptr16,
            viper_type::PTR32 => VType::Ptr32,
            _ => VType::Object,
        }
    }

    /// The `native_abi::vtype` code of a native type (objects: `OBJECT`).
    pub fn code(self) -> u8 {
        match self {
            VType::Bool => vtype::BOOL,
            VType::Int => vtype::INT,
            VType::Uint => vtype::UINT,
            VType::Ptr => vtype::PTR,
            VType::Ptr8 => vtype::PTR8,
            VType::Ptr16 => vtype::PTR16,
            VType::Ptr32 => vtype::PTR32,
            _ => vtype::OBJECT,
        }
    }

    /// True for values held in the machine-word slots.
    pub fn is_native(self) -> bool {
        !matches!(self, VType::Object | VType::NoneConst | VType::Cast(_) | VType::Unbound)
    }

    fn is_integer(self) -> bool {
        matches!(self, VType::Int | VType::Uint)
    }

    /// The access width of a typed pointer.
    fn pointee(self) -> Option<Width> {
        match self {
            VType::Ptr8 => Some(Width::U8),
            VType::Ptr16 => Some(Width::U16),
            VType::Ptr32 => Some(Width::U32),
            _ => None,
        }
    }
}

/// A machine-word slot: a stack position or a local (resolved when lowering,
/// once the frame size is known).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Stack position `n` (0 is the bottom).
    Stack(u32),
    /// Local number `n`.
    Local(u32),
}

/// A pointer index: a word slot or a constant folded into the address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Index {
    /// The index is in a slot.
    Slot(Slot),
    /// A constant index.
    Const(i64),
}

/// A two-operand machine-word operation (wrapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    /// `+ - * & | ^`.
    Bin(BinOp),
    /// `<<`, and `>>` (logical on `uint`, arithmetic on `int`).
    Shift(ShiftOp),
}

/// Viper operations on machine words (lowered in `lower`).
// Each variant's documentation describes its fields.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VOp {
    /// `dst = value`.
    Imm { dst: Slot, value: i64 },
    /// `dst = src`.
    Copy { dst: Slot, src: Slot },
    /// `dst = a op b`.
    Arith { op: Arith, dst: Slot, a: Slot, b: Slot },
    /// `slot = -slot`.
    Neg { slot: Slot },
    /// `slot = !slot`.
    Invert { slot: Slot },
    /// `dst = (a cond b) as 0/1`.
    Compare { cond: Cond, dst: Slot, a: Slot, b: Slot },
    /// Jumps when `(slot != 0) == cond`; `pop`: the value is dropped either way.
    Branch { slot: Slot, cond: bool, pop: bool, label: Label },
    /// `dst = *(base + index * size)`, zero-extended.
    Load { width: Width, dst: Slot, base: Slot, index: Index },
    /// `*(base + index * size) = value` (low bits).
    Store { width: Width, base: Slot, index: Index, value: Slot },
    /// Object slot `slot` = the object for native value `slot` of type `vtype`.
    Box { slot: Slot, vtype: u8 },
    /// Word slot `dst` = object slot `src` converted to `vtype` (casts, arguments).
    Unbox { dst: Slot, src: Slot, vtype: u8 },
    /// `dst = a // b` or `a % b` on `int` (Python rounding; raises on zero).
    DivMod { dst: Slot, a: Slot, b: Slot, modulo: bool },
    /// `dst = if cond != 0 { a } else { b }` (if-conversion, see `select`);
    /// `a` and `b`, when stack slots, are dead afterwards, and `cond` too
    /// with `pop`.
    Select { dst: Slot, cond: Slot, a: Slot, b: Slot, pop: bool },
}

impl VOp {
    /// The word slot the operation writes, if any (`Box` reads its slot and
    /// makes an object).
    pub fn written_slot(&self) -> Option<Slot> {
        match *self {
            VOp::Neg { slot } | VOp::Invert { slot } => Some(slot),
            _ => {
                let mut v = *self;
                v.dst_mut().copied()
            }
        }
    }

    /// The destination of an operation that writes a slot other than its
    /// operand (not the in-place `Neg` and `Invert`).
    fn dst_mut(&mut self) -> Option<&mut Slot> {
        match self {
            VOp::Imm { dst, .. }
            | VOp::Copy { dst, .. }
            | VOp::Arith { dst, .. }
            | VOp::Compare { dst, .. }
            | VOp::Load { dst, .. }
            | VOp::Unbox { dst, .. }
            | VOp::DivMod { dst, .. }
            | VOp::Select { dst, .. } => Some(dst),
            VOp::Neg { .. } | VOp::Invert { .. } | VOp::Branch { .. } | VOp::Store { .. } | VOp::Box { .. } => None,
        }
    }

    /// Replaces the destination (see `dst_mut`) by `f` of it.
    pub fn map_dst(&mut self, f: impl FnOnce(Slot) -> Slot) {
        if let Some(d) = self.dst_mut() {
            *d = f(*d);
        }
    }

    /// Replaces every slot the operation reads by `f` of it.
    pub fn map_reads(&mut self, mut f: impl FnMut(Slot) -> Slot) {
        match self {
            VOp::Imm { .. } => {}
            VOp::Copy { src, .. } | VOp::Unbox { src, .. } => *src = f(*src),
            VOp::Arith { a, b, .. } | VOp::Compare { a, b, .. } | VOp::DivMod { a, b, .. } => {
                *a = f(*a);
                *b = f(*b);
            }
            VOp::Neg { slot } | VOp::Invert { slot } | VOp::Branch { slot, .. } | VOp::Box { slot, .. } => {
                *slot = f(*slot)
            }
            VOp::Load { base, index, .. } => {
                *base = f(*base);
                if let Index::Slot(s) = index {
                    *s = f(*s);
                }
            }
            VOp::Store { base, index, value, .. } => {
                *base = f(*base);
                *value = f(*value);
                if let Index::Slot(s) = index {
                    *s = f(*s);
                }
            }
            VOp::Select { cond, a, b, .. } => {
                *cond = f(*cond);
                *a = f(*a);
                *b = f(*b);
            }
        }
    }

    /// The word slots the operation writes (its destination; the in-place
    /// `Neg` and `Invert` only read theirs) and reads, in that order.
    pub fn slots(&self) -> impl Iterator<Item = Slot> + Clone {
        let mut v = *self;
        let mut four = [v.dst_mut().copied(), None, None, None];
        let mut n = 1;
        v.map_reads(|s| {
            if let Some(x) = four.get_mut(n) {
                *x = Some(s);
            }
            n += 1;
            s
        });
        four.into_iter().flatten()
    }

    /// True if the operation reads `slot`.
    pub fn reads(&self, slot: Slot) -> bool {
        let mut found = false;
        let mut v = *self;
        v.map_reads(|s| {
            found |= s == slot;
            s
        });
        found
    }
}

type E<A> = NativeEmitter<A>;

/// Stack slot of the entry `depth` below the top.
fn top<A: AsmFactory>(e: &E<A>, depth: u32) -> Slot {
    Slot::Stack(e.sp().saturating_sub(1 + depth))
}

fn vop<A: AsmFactory>(e: &mut E<A>, op: VOp) {
    e.record(Ir::Viper(op));
}

fn type_error<A: AsmFactory>(e: &mut E<A>, msg: String) {
    e.fail(ErrorKind::ViperTypeError, msg);
}

/// Types the parameters and converts the typed ones at entry.
pub(super) fn start_scope<A: AsmFactory>(e: &mut E<A>, info: &ScopeInfo) {
    for l in &info.locals {
        if l.is_param {
            let t = VType::from_code(l.viper_type);
            if let Some(slot) = e.local_types.get_mut(l.local_num as usize) {
                *slot = Some(t);
            }
            if t.is_native() {
                let s = Slot::Local(l.local_num);
                vop(e, VOp::Unbox { dst: s, src: s, vtype: t.code() });
            }
        }
    }
}

/// The type `depth` entries below the top of the model stack.
pub(super) fn type_at<A: AsmFactory>(e: &E<A>, depth: u32) -> VType {
    let n = e.vstack.len();
    n.checked_sub(1 + depth as usize).and_then(|i| e.vstack.get(i)).copied().unwrap_or(VType::Object)
}

/// Sets the type `depth` entries below the top.
pub(super) fn set_top<A: AsmFactory>(e: &mut E<A>, depth: u32, t: VType) {
    let n = e.vstack.len();
    if let Some(i) = n.checked_sub(1 + depth as usize) {
        if let Some(slot) = e.vstack.get_mut(i) {
            *slot = t;
        }
        if let Some(imm) = e.vimm.get_mut(i) {
            *imm = false;
        }
    }
}

/// True if the top entry is an immediate (a constant, or a cast of one).
fn top_is_imm<A: AsmFactory>(e: &E<A>, depth: u32) -> bool {
    let n = e.vimm.len();
    n.checked_sub(1 + depth as usize).and_then(|i| e.vimm.get(i)).copied().unwrap_or(false)
}

fn set_top_imm<A: AsmFactory>(e: &mut E<A>, depth: u32) {
    let n = e.vimm.len();
    if let Some(imm) = n.checked_sub(1 + depth as usize).and_then(|i| e.vimm.get_mut(i)) {
        *imm = true;
    }
}

/// Pushes a value of type `t` (whose code was just recorded for slot `sp`).
fn push_typed<A: AsmFactory>(e: &mut E<A>, t: VType) {
    e.adjust(1);
    set_top(e, 0, t);
}

/// Boxes the top `n` values into objects (values flowing into Python).
pub(super) fn box_top<A: AsmFactory>(e: &mut E<A>, n: u32) {
    for depth in 0..n {
        let t = type_at(e, depth);
        match t {
            VType::Object => {}
            VType::NoneConst | VType::Unbound => set_top(e, depth, VType::Object),
            VType::Cast(_) => {
                e.refuse("conversion to object");
                return;
            }
            VType::Ptr | VType::Ptr8 | VType::Ptr16 | VType::Ptr32 if top_is_imm(e, depth) => {
                e.refuse("conversion to object");
                return;
            }
            _ => {
                let slot = top(e, depth);
                vop(e, VOp::Box { slot, vtype: t.code() });
                set_top(e, depth, VType::Object);
            }
        }
    }
}

/// Requires the top `n` values to be objects for `what`.
pub(super) fn require_objects<A: AsmFactory>(e: &mut E<A>, n: u32, what: &str) {
    for i in 0..n {
        let t = type_at(e, i);
        if !matches!(t, VType::Object | VType::NoneConst) {
            type_error(e, format!("can't {what} '{}'", t.name()));
            return;
        }
    }
}

/// A local's type, or the "used before type known" error.
fn local_type<A: AsmFactory>(e: &mut E<A>, name: &str, local: u32) -> Option<VType> {
    match e.local_types.get(local as usize).copied().flatten() {
        Some(t) => Some(t),
        None => {
            type_error(e, format!("local '{name}' used before type known"));
            None
        }
    }
}

pub(super) fn load_local<A: AsmFactory>(e: &mut E<A>, name: &str, local: u32) -> bool {
    let t = local_type(e, name, local).unwrap_or(VType::Unbound);
    if !t.is_native() {
        // Objects (and None) are in the state slot: the plain path, then retype.
        let sp = e.sp();
        e.record(Ir::LoadFast { local, sp });
        push_typed(e, t);
        return true;
    }
    let dst = Slot::Stack(e.sp());
    vop(e, VOp::Copy { dst, src: Slot::Local(local) });
    push_typed(e, t);
    true
}

pub(super) fn store_local<A: AsmFactory>(e: &mut E<A>, name: &str, local: u32) -> bool {
    let t = type_at(e, 0);
    if let VType::Cast(_) = t {
        e.refuse("conversion to object");
        return true;
    }
    match e.local_types.get(local as usize).copied().flatten() {
        None => {
            if let Some(slot) = e.local_types.get_mut(local as usize) {
                *slot = Some(t);
            }
        }
        Some(lt) if lt != t => {
            type_error(e, format!("local '{name}' has type '{}' but source is '{}'", lt.name(), t.name()));
            e.adjust(-1);
            return true;
        }
        Some(_) => {}
    }
    if !t.is_native() {
        return false;
    }
    let src = top(e, 0);
    vop(e, VOp::Copy { dst: Slot::Local(local), src });
    e.adjust(-1);
    true
}

pub(super) fn load_global<A: AsmFactory>(e: &mut E<A>, name: &str) -> bool {
    match viper_type::from_name(name) {
        Some(code) if code != viper_type::OBJECT => {
            // A cast operator: nothing is loaded; the call applies it.
            e.adjust(1);
            set_top(e, 0, VType::Cast(code));
            true
        }
        _ => false,
    }
}

pub(super) fn load_const_tok<A: AsmFactory>(e: &mut E<A>, tok: ConstTok) -> bool {
    match tok {
        ConstTok::None => {
            let sp = e.sp();
            e.record(Ir::PushWord { word: ferropy_bytecode::native_abi::obj_word::NONE, sp });
            push_typed(e, VType::NoneConst);
            true
        }
        ConstTok::False | ConstTok::True => {
            push_imm(e, i64::from(tok == ConstTok::True), VType::Bool);
            true
        }
        ConstTok::Ellipsis => false,
    }
}

/// Integer constants too large for a small-int object are still machine
/// words in viper when they fit the target's small ints (as in MicroPython).
pub(super) fn load_const_obj<A: AsmFactory>(e: &mut E<A>, obj: &ConstObj) -> bool {
    let ConstObj::Int(text) = obj else { return false };
    let Ok(value) = text.parse::<i64>() else { return false };
    let bits = A::WORD_BYTES * 8 - 1;
    let limit = 1i64 << (bits - 1);
    if value < -limit || value >= limit {
        return false;
    }
    push_imm(e, value, VType::Int);
    true
}

pub(super) fn push_imm<A: AsmFactory>(e: &mut E<A>, value: i64, t: VType) {
    let dst = Slot::Stack(e.sp());
    vop(e, VOp::Imm { dst, value });
    push_typed(e, t);
    set_top_imm(e, 0);
}

/// Takes back the immediate just recorded for `slot`, to fold it into an address.
fn take_imm<A: AsmFactory>(e: &mut E<A>, slot: Slot) -> Option<i64> {
    match e.ir.last() {
        Some(Ir::Viper(VOp::Imm { dst, value })) if *dst == slot && !e.suppress => {
            let v = *value;
            e.ir.pop();
            Some(v)
        }
        _ => None,
    }
}

pub(super) fn subscr<A: AsmFactory>(e: &mut E<A>, kind: AccessKind) -> bool {
    match kind {
        AccessKind::Load => load_subscr(e),
        AccessKind::Store => store_subscr(e),
        AccessKind::Delete => {
            require_objects(e, 2, "delete from");
            false
        }
    }
}

fn load_subscr<A: AsmFactory>(e: &mut E<A>) -> bool {
    let (base_t, index_t) = (type_at(e, 1), type_at(e, 0));
    if base_t == VType::Object {
        box_top(e, 1);
        return false;
    }
    // Checked in MicroPython's order; the last error is the one reported.
    let imm_index = top_is_imm(e, 0);
    if !imm_index && !index_t.is_integer() {
        type_error(e, format!("can't load with '{}' index", index_t.name()));
    }
    let Some(width) = base_t.pointee() else {
        type_error(e, format!("can't load from '{}'", base_t.name()));
        e.adjust(-1);
        set_top(e, 0, VType::Int);
        return true;
    };
    if !imm_index && !index_t.is_integer() {
        e.adjust(-1);
        set_top(e, 0, VType::Int);
        return true;
    }
    let (base, index_slot) = (top(e, 1), top(e, 0));
    let index = match take_imm(e, index_slot) {
        Some(v) => Index::Const(v),
        None => Index::Slot(index_slot),
    };
    vop(e, VOp::Load { width, dst: base, base, index });
    e.adjust(-1);
    set_top(e, 0, VType::Int);
    true
}

fn store_subscr<A: AsmFactory>(e: &mut E<A>) -> bool {
    // Stack: value, base, index.
    let (value_t, base_t, index_t) = (type_at(e, 2), type_at(e, 1), type_at(e, 0));
    if base_t == VType::Object {
        box_top(e, 3);
        return false;
    }
    // Checked in MicroPython's order; the last error is the one reported.
    let bad_index = !top_is_imm(e, 0) && !index_t.is_integer();
    if bad_index {
        type_error(e, format!("can't store with '{}' index", index_t.name()));
    }
    let bad_value = !matches!(value_t, VType::Bool | VType::Int | VType::Uint);
    if bad_value {
        type_error(e, format!("can't store '{}'", value_t.name()));
    }
    let width = base_t.pointee();
    if width.is_none() {
        type_error(e, format!("can't store to '{}'", base_t.name()));
    }
    let Some(width) = width.filter(|_| !bad_index && !bad_value) else {
        e.adjust(-3);
        return true;
    };
    let (value, base, index_slot) = (top(e, 2), top(e, 1), top(e, 0));
    let index = match take_imm(e, index_slot) {
        Some(v) => Index::Const(v),
        None => Index::Slot(index_slot),
    };
    vop(e, VOp::Store { width, base, index, value });
    e.adjust(-3);
    true
}

pub(super) fn cond_jump<A: AsmFactory>(e: &mut E<A>, cond: bool, pop: bool, label: Label) -> bool {
    let t = type_at(e, 0);
    match t {
        VType::Object => false,
        VType::Bool | VType::Int | VType::Uint => {
            let slot = top(e, 0);
            vop(e, VOp::Branch { slot, cond, pop, label });
            e.adjust(-1);
            true
        }
        _ => {
            type_error(e, format!("can't implicitly convert '{}' to 'bool'", t.name()));
            e.adjust(-1);
            true
        }
    }
}

pub(super) fn unary_op<A: AsmFactory>(e: &mut E<A>, op: u8) -> bool {
    let t = type_at(e, 0);
    if t == VType::Object {
        return false;
    }
    if !t.is_integer() {
        type_error(e, format!("can't do unary op of '{}'", t.name()));
        return true;
    }
    let slot = top(e, 0);
    match op {
        unary::POSITIVE => {}
        unary::NEGATIVE => vop(e, VOp::Neg { slot }),
        unary::INVERT => vop(e, VOp::Invert { slot }),
        _ => type_error(e, String::from("'not' not implemented")),
    }
    true
}

/// MicroPython's special-method name of a binary operator (for messages).
fn op_method_name(op: u8) -> &'static str {
    match op {
        binary::MAT_MULTIPLY => "__matmul__",
        binary::TRUE_DIVIDE => "__truediv__",
        binary::POWER => "__pow__",
        _ => "",
    }
}

pub(super) fn binary_op<A: AsmFactory>(e: &mut E<A>, op: u8, _invert: bool) -> bool {
    let (lt, rt) = (type_at(e, 1), type_at(e, 0));
    if lt == VType::Object && rt == VType::Object {
        return false;
    }
    if !(lt.is_integer() && rt.is_integer()) {
        type_error(e, format!("can't do binary op between '{}' and '{}'", lt.name(), rt.name()));
        e.adjust(-1);
        return true;
    }
    // In-place and plain forms are the same on machine words.
    let op = if (binary::INPLACE_OR..=binary::INPLACE_POWER).contains(&op) {
        op + (binary::OR - binary::INPLACE_OR)
    } else {
        op
    };
    let (a, b) = (top(e, 1), top(e, 0));
    let arith = match op {
        binary::OR => Some(Arith::Bin(BinOp::Or)),
        binary::XOR => Some(Arith::Bin(BinOp::Xor)),
        binary::AND => Some(Arith::Bin(BinOp::And)),
        binary::LSHIFT => Some(Arith::Shift(ShiftOp::Shl)),
        binary::RSHIFT => Some(Arith::Shift(if lt == VType::Uint { ShiftOp::Shr } else { ShiftOp::Sar })),
        binary::ADD => Some(Arith::Bin(BinOp::Add)),
        binary::SUBTRACT => Some(Arith::Bin(BinOp::Sub)),
        binary::MULTIPLY => Some(Arith::Bin(BinOp::Mul)),
        _ => None,
    };
    if let Some(op) = arith {
        vop(e, VOp::Arith { op, dst: a, a, b });
        e.adjust(-1);
        set_top(e, 0, lt);
        return true;
    }
    if op == binary::FLOOR_DIVIDE || op == binary::MODULO {
        if lt != VType::Int {
            type_error(e, String::from("div/mod not implemented for uint"));
            e.adjust(-1);
            set_top(e, 0, VType::Int);
            return true;
        }
        vop(e, VOp::DivMod { dst: a, a, b, modulo: op == binary::MODULO });
        e.adjust(-1);
        set_top(e, 0, VType::Int);
        return true;
    }
    let signed = lt == VType::Int;
    let cond = match op {
        binary::LESS => Some(if signed { Cond::LtS } else { Cond::LtU }),
        binary::MORE => Some(if signed { Cond::GtS } else { Cond::GtU }),
        binary::EQUAL => Some(Cond::Eq),
        binary::LESS_EQUAL => Some(if signed { Cond::LeS } else { Cond::LeU }),
        binary::MORE_EQUAL => Some(if signed { Cond::GeS } else { Cond::GeU }),
        binary::NOT_EQUAL => Some(Cond::Ne),
        _ => None,
    };
    match cond {
        Some(cond) => {
            if lt != rt {
                type_error(e, String::from("comparison of int and uint"));
                e.adjust(-1);
                set_top(e, 0, VType::Bool);
                return true;
            }
            vop(e, VOp::Compare { cond, dst: a, a, b });
            e.adjust(-1);
            set_top(e, 0, VType::Bool);
        }
        None => {
            type_error(e, format!("binary op {} not implemented", op_method_name(op)));
            e.adjust(-1);
        }
    }
    true
}

/// `T(x)` for a cast operator `T` below one positional argument.
pub(super) fn call_cast<A: AsmFactory>(e: &mut E<A>, n_pos: u32) -> bool {
    let VType::Cast(code) = type_at(e, n_pos) else { return false };
    let target = VType::from_code(code);
    if n_pos != 1 {
        e.refuse("casting");
        return true;
    }
    let (dst, src) = (top(e, 1), top(e, 0));
    match type_at(e, 0) {
        VType::Object => vop(e, VOp::Unbox { dst, src, vtype: target.code() }),
        VType::NoneConst => vop(e, VOp::Imm { dst, value: 0 }),
        VType::Cast(_) => {
            e.refuse("casting");
            return true;
        }
        _ => vop(e, VOp::Copy { dst, src }),
    }
    let imm = top_is_imm(e, 0);
    e.adjust(-1);
    set_top(e, 0, target);
    if imm {
        set_top_imm(e, 0);
    }
    true
}

/// A stack shuffle, as the copies of word slots it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shuffle {
    /// `a -> a a`.
    DupTop,
    /// `a b -> a b a b`.
    DupTopTwo,
    /// `a b -> b a`.
    RotTwo,
    /// `a b c -> c a b`.
    RotThree,
}

/// Records a shuffle of native values only as copies of their word slots
/// (the lowering turns copies of cached values into no code); false if an
/// entry involved is an object. A rotation goes through the free slot above
/// the top.
pub(super) fn shuffle<A: AsmFactory>(e: &mut E<A>, kind: Shuffle) -> bool {
    let n = match kind {
        Shuffle::DupTop => 1,
        Shuffle::DupTopTwo | Shuffle::RotTwo => 2,
        Shuffle::RotThree => 3,
    };
    if !e.is_viper() || e.sp() < n || (0..n).any(|d| !type_at(e, d).is_native()) {
        return false;
    }
    let sp = e.sp();
    let s = Slot::Stack;
    let copies: &[(u32, u32)] = match kind {
        Shuffle::DupTop => &[(sp, sp - 1)],
        Shuffle::DupTopTwo => &[(sp, sp - 2), (sp + 1, sp - 1)],
        Shuffle::RotTwo => &[(sp, sp - 1), (sp - 1, sp - 2), (sp - 2, sp)],
        Shuffle::RotThree => &[(sp, sp - 1), (sp - 1, sp - 2), (sp - 2, sp - 3), (sp - 3, sp)],
    };
    for &(dst, src) in copies {
        vop(e, VOp::Copy { dst: s(dst), src: s(src) });
    }
    // The rotations' temporary slot is a stack slot of its own.
    e.max_sp = e.max_sp.max(sp as i32 + 1);
    true
}

/// Checks the returned value against the declared type and boxes it.
pub(super) fn return_conversion<A: AsmFactory>(e: &mut E<A>) {
    let Some(ret) = e.info.as_ref().map(|i| VType::from_code(i.viper_return_type)) else { return };
    let t = type_at(e, 0);
    let slot = top(e, 0);
    if t == VType::NoneConst {
        if ret.is_native() {
            vop(e, VOp::Imm { dst: slot, value: 0 });
            vop(e, VOp::Box { slot, vtype: ret.code() });
        }
        set_top(e, 0, VType::Object);
        return;
    }
    if t != ret {
        type_error(e, format!("return expected '{}' but got '{}'", ret.name(), t.name()));
        set_top(e, 0, VType::Object);
        return;
    }
    if ret.is_native() {
        vop(e, VOp::Box { slot, vtype: ret.code() });
        set_top(e, 0, VType::Object);
    }
}
