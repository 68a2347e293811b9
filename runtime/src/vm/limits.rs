//! Resource limits an embedder sets on a running VM: an instruction budget
//! ("fuel") and a wall-clock deadline.
//!
//! The dispatch loop pays one decrement and one compare per instruction: it
//! counts down [`Limits::countdown`] and takes the slow path
//! ([`Vm::limits_slow_path`]) only when that reaches zero. The slow path moves
//! the next chunk of fuel into the countdown; with a deadline, chunks are at
//! most [`DEADLINE_CHECK_INTERVAL`] instructions so the clock (the host's
//! `ticks_us`) is read that often. Without limits the countdown is `u64::MAX`.
//!
//! Exceeding a limit raises `RuntimeError` and records which limit tripped
//! ([`Vm::tripped_limit`]). The limit stays exceeded until the embedder sets a
//! new one, so Python code cannot catch the error and carry on: every later
//! instruction raises again, and the error reaches the embedder with the
//! frames unwound. The VM is then usable again once the limit is reset.

use crate::error::{PyErr, PyResult};
use crate::types::ids;
use crate::vm::Vm;

/// Instructions between two clock reads when a deadline is set.
pub const DEADLINE_CHECK_INTERVAL: u64 = 1024;

/// Which limit stopped the VM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKind {
    /// The instruction budget ran out.
    Fuel,
    /// The wall-clock deadline passed.
    Deadline,
}

/// The limit state of one VM.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Instructions left before the next slow-path check.
    pub(crate) countdown: u64,
    /// Fuel not yet moved into `countdown` (`None`: unlimited).
    fuel: Option<u64>,
    /// Deadline on the host's `ticks_us` clock (`None`: none).
    deadline_us: Option<u64>,
    /// The limit that raised last, until [`Vm::take_tripped_limit`].
    tripped: Option<LimitKind>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { countdown: u64::MAX, fuel: None, deadline_us: None, tripped: None }
    }
}

impl Limits {
    /// True when a fuel budget or a deadline is set.
    pub(crate) fn active(&self) -> bool {
        self.fuel.is_some() || self.deadline_us.is_some()
    }
}

impl Vm {
    /// Counts one instruction against the limits (called by the dispatch loop).
    #[inline(always)]
    pub(crate) fn tick(&mut self) -> PyResult<()> {
        let countdown = &mut self.st.limits.countdown;
        if *countdown != 0 {
            *countdown -= 1;
            return Ok(());
        }
        self.limits_slow_path()
    }

    /// The countdown reached zero: raise if a limit is exceeded, else start the
    /// next chunk (which includes the current instruction).
    #[cold]
    fn limits_slow_path(&mut self) -> PyResult<()> {
        let l = &self.st.limits;
        if let Some(deadline) = l.deadline_us {
            if self.st.sys.host.ticks_us() >= deadline {
                return Err(self.trip(LimitKind::Deadline));
            }
        }
        let l = &mut self.st.limits;
        let interval = if l.deadline_us.is_some() { DEADLINE_CHECK_INTERVAL } else { u64::MAX };
        let chunk = match l.fuel {
            Some(0) => return Err(self.trip(LimitKind::Fuel)),
            Some(left) => {
                let chunk = left.min(interval);
                l.fuel = Some(left - chunk);
                chunk
            }
            None => interval,
        };
        l.countdown = chunk - 1;
        Ok(())
    }

    /// Raises if the deadline has passed (for code that waits outside the
    /// dispatch loop, such as `select.poll`).
    pub(crate) fn check_deadline(&mut self) -> PyResult<()> {
        match self.st.limits.deadline_us {
            Some(d) if self.st.sys.host.ticks_us() >= d => Err(self.trip(LimitKind::Deadline)),
            _ => Ok(()),
        }
    }

    fn trip(&mut self, kind: LimitKind) -> PyErr {
        self.st.limits.tripped = Some(kind);
        self.st.limits.countdown = 0;
        let msg = match kind {
            LimitKind::Fuel => "instruction budget exhausted",
            LimitKind::Deadline => "deadline exceeded",
        };
        self.new_error(ids::RUNTIME_ERROR, msg)
    }

    /// Sets the instruction budget: `Some(n)` lets exactly `n` more bytecode
    /// instructions run (in machine code from the native emitters, each
    /// backward jump counts one); `None` removes the limit.
    pub fn set_fuel(&mut self, fuel: Option<u64>) {
        self.st.limits.fuel = fuel;
        self.st.limits.countdown = 0;
    }

    /// The instructions left in the budget (`None`: unlimited).
    pub fn fuel(&self) -> Option<u64> {
        let l = &self.st.limits;
        l.fuel.map(|f| f.saturating_add(l.countdown))
    }

    /// Sets the deadline as a value of the host's monotonic clock
    /// ([`crate::modules::Host::ticks_us`]); `None` removes it.
    pub fn set_deadline_us(&mut self, deadline: Option<u64>) {
        let fuel = self.fuel();
        self.st.limits.deadline_us = deadline;
        self.set_fuel(fuel);
    }

    /// The host's monotonic clock now, in microseconds.
    pub fn ticks_us(&mut self) -> u64 {
        self.st.sys.host.ticks_us()
    }

    /// The limit that raised most recently, if any (kept until taken).
    pub fn tripped_limit(&self) -> Option<LimitKind> {
        self.st.limits.tripped
    }

    /// Returns and clears [`Vm::tripped_limit`].
    pub fn take_tripped_limit(&mut self) -> Option<LimitKind> {
        self.st.limits.tripped.take()
    }
}
