//! ferropy's optimizing tier for viper functions, built on Cranelift.
//!
//! [`CraneliftViper`] implements the single-pass emitter's
//! [`ViperLowering`] hook: it receives the same recorded IR the single-pass
//! lowering reads (so both tiers share every type rule and error of the viper
//! emitter), translates it to Cranelift IR with `cranelift-frontend`
//! ([`translate`]) keeping native values in SSA variables, and returns
//! relocation-free machine code that follows `ferropy_bytecode::native_abi`.
//! Any scope it cannot translate ([`check`]) or that Cranelift rejects keeps
//! the single-pass code; with `FERROPY_LOG_OPT` set in the environment, each
//! such fallback prints one line on standard error.
//!
//! Only 64-bit x86 hosts are supported for now (the runtime's helpers are
//! `extern "C"`, and the tier is used for code the host runs itself).

pub mod address;
pub mod align;
pub mod check;
pub mod clif;
pub mod crc;
pub mod dse;
pub mod forward;
pub mod ifconvert;
pub mod invert;
pub mod lanes;
pub mod layout;
pub mod link;
pub mod live;
pub mod loads;
pub mod minmax;
pub mod phis;
pub mod preheader;
pub mod preserve;
pub mod reassoc;
pub mod scan;
pub mod strength;
pub mod strip;
pub mod tier;
pub mod translate;
pub mod unroll;

#[cfg(test)]
mod test_util;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use ferropy_emit_native::emit::ir::Ir;
use ferropy_emit_native::{SinglePass, ViperLowering};

/// Counters of one [`CraneliftViper`] (for tests and the benchmark tool).
#[derive(Debug, Default)]
pub struct Stats {
    /// Scopes compiled by Cranelift.
    pub compiled: AtomicU64,
    /// Scopes left to the single-pass code.
    pub fallbacks: AtomicU64,
    /// Nanoseconds spent translating and compiling (both outcomes).
    pub nanos: AtomicU64,
    /// Loops strip-mined ([`strip`]): interrupt checks once per strip.
    pub strips: AtomicU64,
    /// Conditional blocks turned into straight-line code ([`ifconvert`]).
    pub if_converted: AtomicU64,
    /// Loads that read the previous iteration's store from a register
    /// instead ([`forward`]).
    pub forwarded: AtomicU64,
    /// Strip loops given a loop of several copies of their body in front
    /// ([`unroll::unroll_strips`]).
    pub partially_unrolled: AtomicU64,
    /// Lookup tables made for runs of bit-serial CRC steps ([`crc`]).
    pub crc_tables: AtomicU64,
    /// Words of byte-wide terms computed in SIMD lanes ([`lanes`]).
    pub byte_lanes: AtomicU64,
    /// Strip loops given a vector loop computing their running maximum or
    /// minimum by a prefix scan ([`scan`]).
    pub scans: AtomicU64,
    /// Chains of loop-carried maxima or minima regrouped into a tree
    /// ([`minmax`]).
    pub minmax_chains: AtomicU64,
    /// Stores removed because a later store of their block overwrites them
    /// before anything reads them ([`dse`]).
    pub dead_stores: AtomicU64,
    /// Loads moved above the stores before them that they do not overlap
    /// ([`loads`]).
    pub raised_loads: AtomicU64,
}

/// The optimizing viper tier (see the crate documentation).
pub struct CraneliftViper {
    isa: OwnedTargetIsa,
    stats: Arc<Stats>,
}

impl core::fmt::Debug for CraneliftViper {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CraneliftViper").field("isa", &self.isa.name()).finish()
    }
}

impl CraneliftViper {
    /// The tier for the host, or `None` if Cranelift does not support it here.
    pub fn host() -> Option<CraneliftViper> {
        if !cfg!(target_arch = "x86_64") {
            return None;
        }
        let mut flags = settings::builder();
        for (k, v) in [
            ("opt_level", "speed"),
            ("enable_verifier", "false"),
            ("unwind_info", "false"),
            // Block starts and edges, to align the innermost loop (align.rs).
            ("machine_code_cfg_info", "true"),
        ] {
            flags.set(k, v).ok()?;
        }
        let mut isa = cranelift_codegen::isa::lookup_by_name("x86_64-unknown-linux-gnu").ok()?;
        for feature in host_features() {
            isa.enable(feature).ok()?;
        }
        let isa = isa.finish(settings::Flags::new(flags)).ok()?;
        Some(CraneliftViper { isa, stats: Arc::new(Stats::default()) })
    }

    /// This tier's counters.
    pub fn stats(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    /// Compiles one scope (whose single-pass code is `single`): the machine
    /// code, or why not.
    pub fn compile(&self, ir: &[Ir], n_state: u32, single: &SinglePass<'_>) -> Result<Vec<u8>, String> {
        let mut ctx = Context::new();
        let mut fctx = FunctionBuilderContext::new();
        translate::build(&*self.isa, &mut ctx.func, &mut fctx, ir, n_state, single)?;
        phis::remove_redundant_params(&mut ctx.func);
        let converted = ifconvert::convert(&mut ctx.func);
        strength::reduce_products(&mut ctx.func);
        reassoc::reassociate(&mut ctx.func);
        invert::invert_loops(&mut ctx.func);
        let stripped = strip::strip_mine(&mut ctx.func);
        let tables = crc::tabulate(&mut ctx.func);
        let lanes = lanes::vectorize(&mut ctx.func);
        let forwarded = forward::forward_loads(&mut ctx.func);
        let scans = scan::vectorize_scans(&mut ctx.func, &stripped.strips);
        let scalar: Vec<strip::Strip> = stripped.strips.iter().filter(|s| !scans.contains(&s.body)).copied().collect();
        let partial = unroll::unroll_strips(&mut ctx.func, &scalar);
        let chains = minmax::regroup(&mut ctx.func);
        let dead = dse::remove_dead_stores(&mut ctx.func);
        let raised = loads::raise_loads(&mut ctx.func);
        layout::sink_equal_sides(&mut ctx.func);
        preheader::add_preheaders(&mut ctx.func);
        let depth = align::loop_depth(&ctx.func, &stripped.unrolled);
        align::mark_cold(&mut ctx.func);
        if cfg!(debug_assertions) {
            // The passes above keep the function valid SSA (checked in debug builds).
            if let Err(e) = cranelift_codegen::verify_function(&ctx.func, &*self.isa) {
                debug_assert!(false, "invalid function after ferropy's passes: {e}\n{}", ctx.func.display());
            }
        }
        if std::env::var_os("FERROPY_DUMP_CLIF_TMP").is_some() {
            eprintln!("{}", ctx.func.display());
        }
        let dump_asm = std::env::var_os("FERROPY_DUMP_ASM_TMP").is_some();
        ctx.set_disasm(dump_asm);
        let code = ctx.compile(&*self.isa, &mut ControlPlane::default()).map_err(|e| format!("{:?}", e.inner))?;
        if dump_asm {
            eprintln!("{}", code.vcode.as_deref().unwrap_or(""));
        }
        let mut out = code.code_buffer().to_vec();
        // The last block's start (Cranelift's block starts are right as a
        // set, not as a map from its block indices: they are listed in
        // layout order).
        let last_block = code.bb_starts.iter().chain(code.bb_edges.iter().map(|e| &e.1)).copied().max().unwrap_or(0);
        let padding = depth.map_or(0, |d| {
            let cold = align::cold_start(code.buffer.get_srclocs_sorted(), &code.bb_starts, out.len() as u32);
            align::loop_padding(&out, last_block, d, cold)
        });
        let relocs: Vec<_> =
            code.buffer.relocs().iter().map(|r| (r.offset, r.kind, r.target.clone(), r.addend)).collect();
        link::link(&mut out, &relocs, &ctx.func, &tables)?;
        let out = align::pad(&out, padding);
        self.stats.strips.fetch_add(stripped.loops as u64, Ordering::Relaxed);
        self.stats.if_converted.fetch_add(converted as u64, Ordering::Relaxed);
        self.stats.forwarded.fetch_add(forwarded as u64, Ordering::Relaxed);
        self.stats.partially_unrolled.fetch_add(partial as u64, Ordering::Relaxed);
        self.stats.crc_tables.fetch_add(tables.len() as u64, Ordering::Relaxed);
        self.stats.byte_lanes.fetch_add(lanes as u64, Ordering::Relaxed);
        self.stats.scans.fetch_add(scans.len() as u64, Ordering::Relaxed);
        self.stats.minmax_chains.fetch_add(chains as u64, Ordering::Relaxed);
        self.stats.dead_stores.fetch_add(dead as u64, Ordering::Relaxed);
        self.stats.raised_loads.fetch_add(raised as u64, Ordering::Relaxed);
        Ok(out)
    }
}

/// The instruction-set extensions of this CPU that Cranelift can use, as
/// its x86-64 setting names (the code runs where it is compiled, so it may
/// use them: SSE4.1's `pmovzxbw` for [`lanes`], BMI2's shifts by any
/// register, ...).
fn host_features() -> Vec<&'static str> {
    #[allow(unused_mut)] // no detection on other architectures
    let mut out = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! detect {
            ($($feature:tt => $setting:literal),* $(,)?) => {
                $(if std::is_x86_feature_detected!($feature) {
                    out.push($setting);
                })*
            };
        }
        detect!(
            "sse3" => "has_sse3",
            "ssse3" => "has_ssse3",
            "sse4.1" => "has_sse41",
            "sse4.2" => "has_sse42",
            "popcnt" => "has_popcnt",
            "bmi1" => "has_bmi1",
            "bmi2" => "has_bmi2",
            "lzcnt" => "has_lzcnt",
            "avx" => "has_avx",
            "avx2" => "has_avx2",
            "fma" => "has_fma",
        );
    }
    out
}

impl ViperLowering for CraneliftViper {
    fn lower(&self, ir: &[Ir], n_state: u32, single: &SinglePass<'_>) -> Option<Vec<u8>> {
        let start = Instant::now();
        let result = self.compile(ir, n_state, single);
        self.stats.nanos.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        match result {
            Ok(r) => {
                self.stats.compiled.fetch_add(1, Ordering::Relaxed);
                Some(r)
            }
            Err(why) => {
                self.stats.fallbacks.fetch_add(1, Ordering::Relaxed);
                if std::env::var_os("FERROPY_LOG_OPT").is_some() {
                    eprintln!("ferropy: viper-opt: single-pass code kept: {why}");
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_bytecode::native_abi::vtype;
    use ferropy_bytecode::opcode as op;
    use ferropy_emit_native::emit::ir::Arg;
    use ferropy_emit_native::emit::viper::{Slot, VOp};

    fn single(code: &[u8], n: usize) -> (Vec<u8>, Vec<usize>) {
        (code.to_vec(), (0..n).map(|i| i * 4).collect())
    }

    /// `return 5` as a viper function: an int boxed into the return slot.
    fn return_five() -> Vec<Ir> {
        vec![
            Ir::Line(1),
            Ir::Viper(VOp::Imm { dst: Slot::Stack(0), value: 5 }),
            Ir::Viper(VOp::Box { slot: Slot::Stack(0), vtype: vtype::INT }),
            Ir::Return { sp: 1 },
        ]
    }

    #[test]
    fn translates_to_relocation_free_code() {
        let Some(tier) = CraneliftViper::host() else { return };
        let ir = return_five();
        let (code, offs) = single(&[0x90; 64], ir.len());
        let out = tier.compile(&ir, 2, &SinglePass { code: &code, op_offsets: &offs }).expect("compiles");
        assert!(!out.is_empty());
        assert!(tier.lower(&ir, 2, &SinglePass { code: &code, op_offsets: &offs }).is_some());
        assert_eq!(tier.stats().compiled.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn the_host_features_are_cranelift_settings() {
        if !cfg!(target_arch = "x86_64") {
            return;
        }
        // A misspelt setting would make `host()` give no tier at all.
        for feature in host_features() {
            let mut isa = cranelift_codegen::isa::lookup_by_name("x86_64-unknown-linux-gnu").expect("x86-64");
            isa.enable(feature).unwrap_or_else(|e| panic!("{feature}: {e}"));
        }
        assert!(CraneliftViper::host().is_some());
        // Every x86-64 CPU has SSE2 only for sure; one with SSE4.1 has it listed.
        if std::is_x86_feature_detected!("sse4.1") {
            assert!(host_features().contains(&"has_sse41"));
        }
    }

    #[test]
    fn unsupported_scopes_fall_back() {
        let Some(tier) = CraneliftViper::host() else { return };
        let ir = vec![Ir::Op { opcode: op::SETUP_EXCEPT, extra: 0, sp: 3, arg: Arg::Label(0) }, Ir::Return { sp: 1 }];
        let (code, offs) = single(&[0x90; 16], ir.len());
        let sp = SinglePass { code: &code, op_offsets: &offs };
        assert!(tier.compile(&ir, 4, &sp).unwrap_err().contains("re-enters"));
        assert!(tier.lower(&ir, 4, &sp).is_none());
        assert_eq!(tier.stats().fallbacks.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let Some(tier) = CraneliftViper::host() else { return };
        let ir = return_five();
        let (code, offs) = single(&[0x90; 16], ir.len() - 1);
        let e = tier.compile(&ir, 2, &SinglePass { code: &code, op_offsets: &offs }).unwrap_err();
        assert!(e.contains("offsets"), "{e}");
        // A word slot outside the frame.
        let bad = vec![Ir::Viper(VOp::Imm { dst: Slot::Stack(9), value: 1 })];
        let (code, offs) = single(&[0x90; 16], 1);
        let e = tier.compile(&bad, 2, &SinglePass { code: &code, op_offsets: &offs }).unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        // Operands must be resolved to table indices first.
        let unresolved = vec![Ir::Op { opcode: op::LOAD_GLOBAL, extra: 0, sp: 0, arg: Arg::Qstr("x".into()) }];
        let e = tier.compile(&unresolved, 2, &SinglePass { code: &code, op_offsets: &offs }).unwrap_err();
        assert!(e.contains("unresolved"), "{e}");
    }

    #[test]
    fn deferred_scopes_are_found_by_their_single_pass_code() {
        let Some(tier) = CraneliftViper::host() else { return };
        let deferred = tier::Deferred::new(Arc::new(tier));
        let ir = return_five();
        let (code, offs) = single(&[0xC3; 32], ir.len());
        assert!(deferred.lower(&ir, 2, &SinglePass { code: &code, op_offsets: &offs }).is_none());
        assert!(deferred.can_optimize(&code));
        assert!(deferred.optimize(&code).is_some());
        assert!(!deferred.can_optimize(&[1, 2, 3]));
        assert!(deferred.optimize(&[1, 2, 3]).is_none());
    }
}
