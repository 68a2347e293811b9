//! Tier-up: viper functions start with the single-pass code, and the scope's
//! recorded IR is kept so the runtime can ask for the optimized code once the
//! function is called often (`Vm` config `tier_up_calls`).
//!
//! The single-pass machine code identifies its scope: [`Deferred::lower`]
//! (run at compile time) keeps the IR under those bytes, and
//! [`Deferred::optimize`] (run by the runtime at tier-up) compiles it with
//! Cranelift. The optimized code reports the single-pass code's positions, so
//! the function keeps its prelude and line table when its entry is swapped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ferropy_emit_native::emit::ir::Ir;
use ferropy_emit_native::{SinglePass, ViperLowering};

use crate::CraneliftViper;

/// A scope waiting for the optimizing tier.
struct Recorded {
    ir: Vec<Ir>,
    n_state: u32,
    op_offsets: Vec<usize>,
}

/// The [`ViperLowering`] of tiered compilation (see the module documentation).
pub struct Deferred {
    tier: Arc<CraneliftViper>,
    scopes: Mutex<HashMap<Vec<u8>, Arc<Recorded>>>,
}

impl core::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Deferred").field("tier", &self.tier).finish_non_exhaustive()
    }
}

impl Deferred {
    /// Tiered compilation with `tier` as the optimizing tier.
    pub fn new(tier: Arc<CraneliftViper>) -> Deferred {
        Deferred { tier, scopes: Mutex::new(HashMap::new()) }
    }

    /// True if `machine` is single-pass code of a scope this tier can optimize.
    pub fn can_optimize(&self, machine: &[u8]) -> bool {
        self.scopes.lock().is_ok_and(|m| m.contains_key(machine))
    }

    /// The optimized code replacing single-pass code `machine`, or `None`
    /// (unknown code, or the tier declined: the single-pass code stays).
    pub fn optimize(&self, machine: &[u8]) -> Option<Vec<u8>> {
        let rec = self.scopes.lock().ok()?.get(machine).cloned()?;
        let single = SinglePass { code: machine, op_offsets: &rec.op_offsets };
        self.tier.lower(&rec.ir, rec.n_state, &single)
    }
}

impl ViperLowering for Deferred {
    fn lower(&self, ir: &[Ir], n_state: u32, single: &SinglePass<'_>) -> Option<Vec<u8>> {
        // Only scopes the tier would translate are kept.
        if crate::check::supported(ir).is_ok() {
            let rec = Recorded { ir: ir.to_vec(), n_state, op_offsets: single.op_offsets.to_vec() };
            if let Ok(mut m) = self.scopes.lock() {
                m.insert(single.code.to_vec(), Arc::new(rec));
            }
        }
        None
    }
}
