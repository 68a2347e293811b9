//! Viper: static value types on the model stack and for locals, machine-word
//! operations, casts, pointer access and conversions at the object boundary.

use alloc::format;
use alloc::string::String;

use ferropy_frontend::emit::{AccessKind, ConstTok, Label, ScopeInfo};
use ferropy_frontend::error::ErrorKind;

use super::{AsmFactory, NativeEmitter};

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
            VType::NoneConst => "None",
        }
    }
}

/// Viper operations on machine words (lowered in `lower`).
#[derive(Clone, Debug, PartialEq)]
pub enum VOp {}

type E<A> = NativeEmitter<A>;

pub(super) fn start_scope<A: AsmFactory>(_e: &mut E<A>, _info: &ScopeInfo) {}

/// Machine-word slots the frame needs.
pub(super) fn word_slots<A: AsmFactory>(_e: &E<A>, _info: &ScopeInfo) -> u32 {
    0
}

/// The type `depth` entries below the top of the model stack.
pub(super) fn type_at<A: AsmFactory>(e: &E<A>, depth: u32) -> VType {
    let n = e.vstack.len();
    n.checked_sub(1 + depth as usize).and_then(|i| e.vstack.get(i)).copied().unwrap_or(VType::Object)
}

/// Sets the type `depth` entries below the top.
pub(super) fn set_top<A: AsmFactory>(e: &mut E<A>, depth: u32, t: VType) {
    let n = e.vstack.len();
    if let Some(slot) = n.checked_sub(1 + depth as usize).and_then(|i| e.vstack.get_mut(i)) {
        *slot = t;
    }
}

/// Boxes the top `n` values into objects (values flowing into Python).
pub(super) fn box_top<A: AsmFactory>(_e: &mut E<A>, _n: u32) {}

/// Requires the top `n` values to be objects for `what`.
pub(super) fn require_objects<A: AsmFactory>(e: &mut E<A>, n: u32, what: &str) {
    for i in 0..n {
        let t = type_at(e, i);
        if t != VType::Object {
            e.fail(ErrorKind::ViperTypeError, format!("can't {what} '{}'", t.name()));
            return;
        }
    }
}

pub(super) fn load_local<A: AsmFactory>(_e: &mut E<A>, _name: &str, _local: u32) -> bool {
    false
}

pub(super) fn store_local<A: AsmFactory>(_e: &mut E<A>, _name: &str, _local: u32) -> bool {
    false
}

pub(super) fn load_const_tok<A: AsmFactory>(_e: &mut E<A>, _tok: ConstTok) -> bool {
    false
}

pub(super) fn push_imm<A: AsmFactory>(e: &mut E<A>, value: i64, _t: VType) {
    match super::record::small_int_word(value) {
        Some(w) => {
            let sp = e.sp();
            e.record(super::ir::Ir::PushWord { word: w, sp });
            e.adjust(1);
        }
        None => e.op(ferropy_bytecode::opcode::LOAD_CONST_SMALL_INT, super::ir::Arg::Int(value), 1),
    }
}

pub(super) fn subscr<A: AsmFactory>(_e: &mut E<A>, _kind: AccessKind) -> bool {
    false
}

pub(super) fn cond_jump<A: AsmFactory>(_e: &mut E<A>, _cond: bool, _pop: bool, _label: Label) -> bool {
    false
}

pub(super) fn unary_op<A: AsmFactory>(_e: &mut E<A>, _op: u8) -> bool {
    false
}

pub(super) fn binary_op<A: AsmFactory>(_e: &mut E<A>, _op: u8, _invert: bool) -> bool {
    false
}

pub(super) fn call_cast<A: AsmFactory>(_e: &mut E<A>, _n_pos: u32) -> bool {
    false
}

pub(super) fn return_conversion<A: AsmFactory>(_e: &mut E<A>) {}

#[allow(dead_code)]
fn unused(_: String) {}
