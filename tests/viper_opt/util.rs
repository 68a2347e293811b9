//! Running a program with a chosen native support and capturing its output.

use std::sync::{Arc, Mutex};

use ferropy::runtime::vm::OutputSink;
use ferropy::runtime::VmConfig;

/// Runs `source` (named `name`) with `config`; returns stdout + stderr.
pub fn run(source: &[u8], name: &str, config: VmConfig, dir: &str) -> String {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let opts =
        ferropy::run::RunOptions { argv: vec![name.to_string()], path: vec![dir.to_string()], ..Default::default() };
    ferropy::run::run_source_with(source, name, config, out, err, &opts);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    text
}

/// A VM configuration whose viper functions go through the optimizing tier.
pub fn opt_config() -> VmConfig {
    VmConfig { native: ferropy::native_opt::opt_support(), ..VmConfig::default() }
}

/// The single-pass configuration.
pub fn single_pass_config() -> VmConfig {
    VmConfig { native: ferropy::native::single_pass_support(), ..VmConfig::default() }
}

/// Functions compiled by the shared optimizing tier so far.
pub fn compiled() -> u64 {
    ferropy::native_opt::opt_stats().map_or(0, |s| s.compiled.load(std::sync::atomic::Ordering::Relaxed))
}

/// Loops strip-mined by the shared optimizing tier so far, and of those
/// partially unrolled.
pub fn strips() -> (u64, u64) {
    use std::sync::atomic::Ordering::Relaxed;
    ferropy::native_opt::opt_stats().map_or((0, 0), |s| (s.strips.load(Relaxed), s.partially_unrolled.load(Relaxed)))
}

/// Conditional blocks the shared optimizing tier if-converted so far, loads
/// it forwarded from the previous iteration's store, and tables it made for
/// CRC steps.
pub fn memory_rewrites() -> (u64, u64, u64) {
    use std::sync::atomic::Ordering::Relaxed;
    ferropy::native_opt::opt_stats()
        .map_or((0, 0, 0), |s| (s.if_converted.load(Relaxed), s.forwarded.load(Relaxed), s.crc_tables.load(Relaxed)))
}

/// Words the shared optimizing tier computed in byte lanes so far.
pub fn byte_lanes() -> u64 {
    ferropy::native_opt::opt_stats().map_or(0, |s| s.byte_lanes.load(std::sync::atomic::Ordering::Relaxed))
}

/// Strip loops the shared optimizing tier gave a prefix-scan vector loop so far.
pub fn scans() -> u64 {
    ferropy::native_opt::opt_stats().map_or(0, |s| s.scans.load(std::sync::atomic::Ordering::Relaxed))
}

/// Chains of maxima or minima the shared optimizing tier regrouped so far,
/// stores it found overwritten before any read, and loads it moved above
/// stores.
pub fn extreme_rewrites() -> (u64, u64, u64) {
    use std::sync::atomic::Ordering::Relaxed;
    ferropy::native_opt::opt_stats().map_or((0, 0, 0), |s| {
        (s.minmax_chains.load(Relaxed), s.dead_stores.load(Relaxed), s.raised_loads.load(Relaxed))
    })
}
