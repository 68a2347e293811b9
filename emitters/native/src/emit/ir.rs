//! The emitter's intermediate form: the operations the compiler asked for, with
//! their static stack positions, recorded while the scope is compiled and
//! lowered to machine code once the scope is complete (when the module's qstr
//! and constant tables, the frame size and every label are known).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;
use ferropy_bytecode::ConstObj;
use ferropy_frontend::emit::Label;

/// The operand of a generic operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// No operand.
    None,
    /// A number (count, local number, packed counts).
    Uint(usize),
    /// A signed number (`LOAD_CONST_SMALL_INT`).
    Int(i64),
    /// A string, interned into the module's qstr table at the end of the scope.
    Qstr(String),
    /// A constant, added to the module's constant table at the end of the scope.
    Const(ConstObj),
    /// A child function, by index in the scope's children.
    Child(u32),
    /// A label (passed to the runtime as an address).
    Label(Label),
}

/// What a label marks, for the lowering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelRole {
    /// An ordinary jump target.
    Plain,
    /// The handler of a `finally` or `with` block: the slot above the model's
    /// top may receive an unwind marker, so the normal path clears it.
    FinallyHandler,
}

/// One recorded operation. `sp` is the static stack depth before the operation.
// Each variant's documentation describes its fields.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq)]
pub enum Ir {
    /// Source line of the following operations.
    Line(u32),
    /// A label.
    Label { label: Label, role: LabelRole, sp: u32 },
    /// An operation run by the runtime's generic helper (bytecode semantics).
    Op { opcode: u8, extra: u8, sp: u32, arg: Arg },
    /// `-> local`.
    LoadFast { local: u32, sp: u32 },
    /// `v ->` into a local.
    StoreFast { local: u32, sp: u32 },
    /// `-> word`: an immediate object (small int, None, True, False).
    PushWord { word: u32, sp: u32 },
    /// `a -> a a`.
    DupTop { sp: u32 },
    /// `a b -> a b a b`.
    DupTopTwo { sp: u32 },
    /// `a b -> b a`.
    RotTwo { sp: u32 },
    /// `a b c -> c a b`.
    RotThree { sp: u32 },
    /// Unconditional jump.
    Jump { label: Label },
    /// Conditional jump on the truth of the top value; `pop`: always pop it
    /// (POP_JUMP_IF), else pop only when not jumping (JUMP_IF_OR_POP).
    CondJump { cond: bool, pop: bool, label: Label, sp: u32 },
    /// A binary operator on objects, with inline small-int fast paths.
    Binary { op: u8, sp: u32 },
    /// Jump if slot `sp` (just above the compiler's top) holds the small-int
    /// marker of an unwinding return or jump.
    JumpIfMarker { sp: u32, label: Label },
    /// Return the top value (no `finally` is active).
    Return { sp: u32 },
    /// Viper operations on machine words.
    Viper(crate::emit::viper::VOp),
}

impl Ir {
    /// The label this instruction may jump to, if any.
    pub fn jump_target(&self) -> Option<Label> {
        match self {
            Ir::Jump { label }
            | Ir::CondJump { label, .. }
            | Ir::JumpIfMarker { label, .. }
            | Ir::Viper(super::viper::VOp::Branch { label, .. }) => Some(*label),
            Ir::Op { arg: Arg::Label(l), .. } => Some(*l),
            _ => None,
        }
    }
}

/// Where a scope's labels are and which instructions jump to them (for the
/// analyses that must know whether code is entered only one way).
pub struct Flow {
    /// Each label's index.
    labels: BTreeMap<Label, usize>,
    /// Every instruction that may jump, with its target.
    jumps: Vec<(usize, Label)>,
}

impl Flow {
    /// The labels and jumps of `ir`.
    pub fn of(ir: &[Ir]) -> Flow {
        let mut labels = BTreeMap::new();
        let mut jumps = Vec::new();
        for (i, ins) in ir.iter().enumerate() {
            if let Ir::Label { label, .. } = ins {
                labels.insert(*label, i);
            }
            if let Some(l) = ins.jump_target() {
                jumps.push((i, l));
            }
        }
        Flow { labels, jumps }
    }

    /// True if `label` is placed inside `range`.
    pub fn inside(&self, label: Label, range: &Range<usize>) -> bool {
        self.labels.get(&label).is_some_and(|i| range.contains(i))
    }

    /// True if an instruction outside `range`, other than the one at
    /// `except`, jumps to a label inside it.
    pub fn entered_from_outside(&self, range: &Range<usize>, except: Option<usize>) -> bool {
        self.jumps.iter().any(|&(from, l)| !range.contains(&from) && Some(from) != except && self.inside(l, range))
    }
}
