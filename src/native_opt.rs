//! The optimizing viper tier (feature `cranelift`): x86-64 native support
//! whose viper functions are compiled by Cranelift
//! (`ferropy-emit-cranelift`), everything else as by [`crate::native`].
//!
//! Two supports: [`opt_support`] compiles every viper function with Cranelift
//! (`VmConfig { native: ferropy::native_opt::opt_support(), .. }`; the
//! `ferropy` command's `-X emit=viper-opt`), and [`tiered_support`] (the
//! host's default with this feature) starts with the single-pass code and
//! swaps in Cranelift's once a function has been called
//! `VmConfig::tier_up_calls` times.

use std::boxed::Box;
use std::string::String;
use std::sync::{Arc, OnceLock};

use ferropy_emit_cranelift::tier::Deferred;
use ferropy_emit_cranelift::{CraneliftViper, Stats};
use ferropy_frontend::NativeEmitterFactory;
use ferropy_runtime::native::{NativeCode, NativeSupport};

/// Native support whose viper functions go through the optimizing tier.
#[derive(Debug)]
pub struct OptSupport {
    tier: Arc<CraneliftViper>,
}

impl NativeSupport for OptSupport {
    fn arch(&self) -> u8 {
        ferropy_bytecode::mpy::arch::X64
    }

    fn install(&self, code: &[u8], name: &str) -> Result<Box<dyn NativeCode>, String> {
        crate::native::X64Support.install(code, name)
    }

    fn emitters(&self) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
        Some(opt_factory(self.tier.clone()))
    }
}

/// The emitters with viper functions compiled by `tier`.
pub fn opt_factory(tier: Arc<CraneliftViper>) -> Arc<dyn NativeEmitterFactory + Send + Sync> {
    ferropy_emit_x64::emitters(Some(tier))
}

static OPT: OnceLock<Option<OptSupport>> = OnceLock::new();

/// The optimizing tier's native support for this host, if Cranelift supports it.
pub fn opt_support() -> Option<&'static dyn NativeSupport> {
    let s = OPT.get_or_init(|| {
        crate::native::single_pass_support()?;
        CraneliftViper::host().map(|t| OptSupport { tier: Arc::new(t) })
    });
    s.as_ref().map(|s| s as &dyn NativeSupport)
}

/// The emitters of [`opt_support`], for `CompileOptions::native`.
pub fn opt_emitters() -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
    opt_support().and_then(|s| s.emitters())
}

/// The counters of the shared tier behind [`opt_support`] (functions compiled,
/// fallbacks, compile time).
pub fn opt_stats() -> Option<Arc<Stats>> {
    opt_support()?;
    OPT.get()?.as_ref().map(|s| s.tier.stats())
}

/// Native support with tier-up: single-pass code first, Cranelift's on request.
#[derive(Debug)]
pub struct TieredSupport {
    deferred: Arc<Deferred>,
}

impl NativeSupport for TieredSupport {
    fn arch(&self) -> u8 {
        ferropy_bytecode::mpy::arch::X64
    }

    fn install(&self, code: &[u8], name: &str) -> Result<Box<dyn NativeCode>, String> {
        crate::native::X64Support.install(code, name)
    }

    fn emitters(&self) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
        Some(ferropy_emit_x64::emitters(Some(self.deferred.clone())))
    }

    fn can_optimize(&self, machine: &[u8]) -> bool {
        self.deferred.can_optimize(machine)
    }

    fn optimize(&self, machine: &[u8]) -> Option<Box<dyn NativeCode>> {
        let code = self.deferred.optimize(machine)?;
        self.install(&code, "<optimized>").ok()
    }
}

static TIERED: OnceLock<Option<TieredSupport>> = OnceLock::new();

/// The tier-up support for this host (uses the same optimizing tier, and so
/// the same [`opt_stats`] counters, as [`opt_support`]).
pub fn tiered_support() -> Option<&'static dyn NativeSupport> {
    let s = TIERED.get_or_init(|| {
        opt_support()?;
        let tier = OPT.get()?.as_ref()?.tier.clone();
        Some(TieredSupport { deferred: Arc::new(Deferred::new(tier)) })
    });
    s.as_ref().map(|s| s as &dyn NativeSupport)
}
