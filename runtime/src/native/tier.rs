//! Tier-up: counting the calls of native code that has an optimized version
//! on request, and swapping its entry once it is called often.
//!
//! The swap replaces the code unit's machine code between two calls (the VM
//! is single-threaded, so no call sees half a swap); calls already running
//! keep executing the old code, which is kept alive in the unit (a nested
//! call may tier up while its caller is still in the old code). The new code
//! has the same frame layout and reports the same positions, so the unit's
//! prelude and line table stay.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::NativeCode;
use crate::vm::Vm;

/// The tier-up state of one code unit.
#[derive(Debug)]
pub struct TierUp {
    /// Calls so far.
    pub calls: u32,
    /// The single-pass machine code (what the support optimizes).
    machine: Vec<u8>,
    /// The code replaced by the optimized code (still running in callers).
    retired: Option<Box<dyn NativeCode>>,
    /// The optimization was attempted (done or declined).
    pub done: bool,
}

impl TierUp {
    /// The state for single-pass code `machine`.
    pub fn new(machine: &[u8]) -> TierUp {
        TierUp { calls: 0, machine: machine.to_vec(), retired: None, done: false }
    }

    /// True once the unit runs the optimized code.
    pub fn swapped(&self) -> bool {
        self.retired.is_some()
    }
}

impl Vm {
    /// Counts a call of code unit `code`; at the threshold, swaps in the
    /// optimized code (a declined optimization leaves the unit as it was).
    #[inline]
    pub(crate) fn count_native_call(&mut self, code: usize) {
        let threshold = self.st.tier_up_calls;
        let Some(t) = self.st.codes.get_mut(code).and_then(|u| u.tier_up.as_mut()) else { return };
        if t.done {
            return;
        }
        t.calls = t.calls.saturating_add(1);
        if threshold == 0 || t.calls <= threshold {
            return;
        }
        self.tier_up_now(code);
    }

    /// The swap of [`Vm::count_native_call`], kept out of every call's path.
    #[inline(never)]
    fn tier_up_now(&mut self, code: usize) {
        let support = self.st.native;
        let Some(unit) = self.st.codes.get_mut(code) else { return };
        let Some(t) = unit.tier_up.as_mut() else { return };
        t.done = true;
        let Some(new) = support.and_then(|s| s.optimize(&t.machine)) else { return };
        t.machine = Vec::new();
        t.retired = unit.native.replace(new);
        unit.native_base = unit.native.as_ref().map_or(0, |n| n.base());
    }

    /// How many code units run optimized code after a tier-up.
    pub fn native_tiered_up_count(&self) -> usize {
        self.st.codes.iter().filter(|u| u.tier_up.as_ref().is_some_and(|t| t.swapped())).count()
    }

    /// True if code unit `code` has been switched to optimized code.
    pub fn native_tiered_up(&self, code: usize) -> bool {
        self.st.codes.get(code).and_then(|u| u.tier_up.as_ref()).is_some_and(|t| t.swapped())
    }
}
