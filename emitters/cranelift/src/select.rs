//! If-conversion: a short `if`/`else` whose branches only compute machine
//! words (no memory access, no call, nothing that can fail) becomes
//! straight-line code that computes both branches and picks the results
//! with `select` (a conditional move), so a data-dependent condition costs
//! no mispredicted branch (CRC-32's `if crc & 1:` is the typical case).

use std::collections::HashMap;

use ferropy_emit_native::emit::ir::Ir;
use ferropy_emit_native::emit::viper::VOp;

/// Longest branch body converted (operations, not counting line entries).
const MAX_OPS: usize = 12;

/// A convertible `if`: the IR range of each branch and where the whole
/// construct ends (the index after its last label).
#[derive(Debug, PartialEq, Eq)]
pub struct Diamond {
    /// The branch instruction's index.
    pub branch: usize,
    /// Operations run when the branch is not taken (the `if` body).
    pub then_ops: std::ops::Range<usize>,
    /// Operations run when it is taken (the `else` body; may be empty).
    pub else_ops: std::ops::Range<usize>,
    /// Index after the construct.
    pub end: usize,
}

/// True for operations that may run speculatively.
fn pure(ins: &Ir) -> bool {
    match ins {
        Ir::Line(_) => true,
        Ir::Viper(v) => matches!(
            v,
            VOp::Imm { .. }
                | VOp::Copy { .. }
                | VOp::Arith { .. }
                | VOp::Neg { .. }
                | VOp::Invert { .. }
                | VOp::Compare { .. }
        ),
        _ => false,
    }
}

/// Counts the references to every label (jumps and operands).
pub fn label_uses(ir: &[Ir]) -> HashMap<u32, usize> {
    use ferropy_emit_native::emit::ir::Arg;
    let mut uses = HashMap::new();
    for ins in ir {
        let l = match ins {
            Ir::Jump { label } | Ir::CondJump { label, .. } | Ir::JumpIfMarker { label, .. } => *label,
            Ir::Viper(VOp::Branch { label, .. }) => *label,
            Ir::Op { arg: Arg::Label(l), .. } => *l,
            _ => continue,
        };
        *uses.entry(l).or_insert(0) += 1;
    }
    uses
}

/// The convertible `if` starting with the branch at `i`, if any.
pub fn diamond(ir: &[Ir], i: usize, uses: &HashMap<u32, usize>) -> Option<Diamond> {
    let Some(Ir::Viper(VOp::Branch { pop: true, label: l_else, .. })) = ir.get(i) else { return None };
    let only_once = |l: &u32| uses.get(l).copied() == Some(1);
    if !only_once(l_else) {
        return None;
    }
    let body = |from: usize| {
        let mut j = from;
        let mut ops = 0;
        while let Some(ins) = ir.get(j).filter(|i| pure(i)) {
            ops += usize::from(!matches!(ins, Ir::Line(_)));
            j += 1;
        }
        (ops <= MAX_OPS).then_some(j)
    };
    let then_end = body(i + 1)?;
    match ir.get(then_end)? {
        // `if c: A` (no else).
        Ir::Label { label, .. } if label == l_else => {
            Some(Diamond { branch: i, then_ops: i + 1..then_end, else_ops: then_end..then_end, end: then_end + 1 })
        }
        // `if c: A else: B`.
        Ir::Jump { label: l_end } if only_once(l_end) => {
            let Some(Ir::Label { label, .. }) = ir.get(then_end + 1) else { return None };
            if label != l_else {
                return None;
            }
            let else_end = body(then_end + 2)?;
            match ir.get(else_end)? {
                Ir::Label { label, .. } if label == l_end => Some(Diamond {
                    branch: i,
                    then_ops: i + 1..then_end,
                    else_ops: then_end + 2..else_end,
                    end: else_end + 1,
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_emit_native::emit::ir::LabelRole;
    use ferropy_emit_native::emit::viper::Slot;

    fn imm(v: i64) -> Ir {
        Ir::Viper(VOp::Imm { dst: Slot::Local(0), value: v })
    }

    fn branch(label: u32) -> Ir {
        Ir::Viper(VOp::Branch { slot: Slot::Stack(0), cond: false, pop: true, label })
    }

    fn label(label: u32) -> Ir {
        Ir::Label { label, role: LabelRole::Plain, sp: 0 }
    }

    #[test]
    fn if_else_of_word_operations_is_found() {
        let ir = vec![branch(1), imm(1), Ir::Jump { label: 2 }, label(1), imm(2), label(2)];
        let d = diamond(&ir, 0, &label_uses(&ir)).expect("diamond");
        assert_eq!(d, Diamond { branch: 0, then_ops: 1..2, else_ops: 4..5, end: 6 });
        let ir = vec![branch(1), imm(1), label(1)];
        assert_eq!(diamond(&ir, 0, &label_uses(&ir)).map(|d| d.end), Some(3));
    }

    #[test]
    fn memory_calls_and_shared_labels_are_not_converted() {
        // A store in the body.
        let store = Ir::Viper(VOp::Store {
            width: ferropy_emit_native::Width::U8,
            base: Slot::Local(1),
            index: ferropy_emit_native::emit::viper::Index::Const(0),
            value: Slot::Local(0),
        });
        let ir = vec![branch(1), store, label(1)];
        assert!(diamond(&ir, 0, &label_uses(&ir)).is_none());
        // The else label is also a loop's target.
        let ir = vec![branch(1), imm(1), label(1), Ir::Jump { label: 1 }];
        assert!(diamond(&ir, 0, &label_uses(&ir)).is_none());
        // Too long.
        let mut ir = vec![branch(1)];
        ir.extend((0..MAX_OPS as i64 + 1).map(imm));
        ir.push(label(1));
        assert!(diamond(&ir, 0, &label_uses(&ir)).is_none());
    }
}
