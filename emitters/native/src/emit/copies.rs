//! Copy forwarding in viper code: a stack slot that holds a copy of a local
//! (a `range` loop's limit, `for i in range(n)`) is read, by later copies,
//! from the local itself wherever the two must be equal. The slot then
//! needs no register of its own in the loop, and the local's home serves
//! both.
//!
//! A copy `Stack(k) = Local(x)` at `c` is forwarded to the copies that read
//! `Stack(k)` in the stretch after `c` that ends before the next write of
//! either slot (or at anything but word operations, labels and jumps), when
//! no jump from outside enters that stretch: every way to a read passes
//! the copy, and neither slot changes in between. The write of the slot
//! stays, so memory holds the same values as before.

use alloc::vec::Vec;
use core::ops::Range;

use super::ir::{Flow, Ir};
use super::viper::{Slot, VOp};

/// Longest stretch examined after one copy (keeps huge functions linear).
const MAX_STRETCH: usize = 4096;

/// Forwards the copies of locals in `ir` (see the module documentation).
pub fn forward_local_copies(ir: &mut [Ir]) {
    let flow = Flow::of(ir);
    for c in 0..ir.len() {
        let Some(Ir::Viper(VOp::Copy { dst: slot @ Slot::Stack(_), src: local @ Slot::Local(_) })) = ir.get(c) else {
            continue;
        };
        let (slot, local) = (*slot, *local);
        let (stretch, readers) = stretch_after(ir, c, slot, local);
        if readers.is_empty() {
            continue;
        }
        if flow.entered_from_outside(&stretch, None) {
            continue;
        }
        for r in readers {
            if let Some(Ir::Viper(VOp::Copy { src, .. })) = ir.get_mut(r) {
                *src = local;
            }
        }
    }
}

/// The stretch after the copy at `c` where `slot` still equals `local`,
/// and the copies in it that read `slot`.
fn stretch_after(ir: &[Ir], c: usize, slot: Slot, local: Slot) -> (Range<usize>, Vec<usize>) {
    let mut readers = Vec::new();
    let mut end = c + 1;
    while let Some(ins) = ir.get(end).filter(|_| end - c <= MAX_STRETCH) {
        match ins {
            Ir::Line(_) | Ir::Label { .. } | Ir::Jump { .. } => {}
            Ir::Viper(v) => {
                if let VOp::Copy { src, .. } = v {
                    if *src == slot {
                        readers.push(end);
                    }
                }
                let written = v.written_slot();
                // (`Box` writes the object slot of its own.)
                if written == Some(slot) || written == Some(local) || matches!(v, VOp::Box { .. }) {
                    break;
                }
            }
            _ => break,
        }
        end += 1;
    }
    (c + 1..end, readers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::Cond;
    use crate::emit::ir::LabelRole;
    use alloc::vec;

    fn copy(dst: Slot, src: Slot) -> Ir {
        Ir::Viper(VOp::Copy { dst, src })
    }

    fn label(l: u32) -> Ir {
        Ir::Label { label: l, role: LabelRole::Plain, sp: 2 }
    }

    /// `for i in range(n)` as recorded: the limit in slot 0, the counter in
    /// slot 1, the test copying both above them.
    fn range_loop(extra_entry: bool) -> Vec<Ir> {
        let (s0, s1, s2, s3) = (Slot::Stack(0), Slot::Stack(1), Slot::Stack(2), Slot::Stack(3));
        let mut ir = vec![
            copy(s0, Slot::Local(1)),
            Ir::Viper(VOp::Imm { dst: s1, value: 0 }),
            Ir::Jump { label: 2 },
            label(1),
            copy(Slot::Local(2), s1),
            label(2),
            copy(s2, s0),
            copy(s3, s1),
            Ir::Viper(VOp::Compare { cond: Cond::LtS, dst: s2, a: s3, b: s2 }),
            Ir::Viper(VOp::Branch { slot: s2, cond: true, pop: true, label: 1 }),
        ];
        if extra_entry {
            ir.insert(0, Ir::Jump { label: 1 });
        }
        ir
    }

    #[test]
    fn a_loop_limit_is_read_from_its_local() {
        let mut ir = range_loop(false);
        forward_local_copies(&mut ir);
        assert_eq!(ir[6], copy(Slot::Stack(2), Slot::Local(1)));
        // The slot's own write stays.
        assert_eq!(ir[0], copy(Slot::Stack(0), Slot::Local(1)));
    }

    #[test]
    fn writes_and_outside_entries_stop_forwarding() {
        // The local is written in the loop.
        let mut ir = range_loop(false);
        ir.insert(4, Ir::Viper(VOp::Imm { dst: Slot::Local(1), value: 3 }));
        let before = ir.clone();
        forward_local_copies(&mut ir);
        assert_eq!(ir, before);
        // A jump from before the copy into the loop: the slot may hold
        // another value there.
        let mut ir = range_loop(true);
        let before = ir.clone();
        forward_local_copies(&mut ir);
        assert_eq!(ir, before);
    }
}
