//! `ferropy-bench`: the emitter benchmarking tool. For every kernel of
//! `benches/py/emitters.py` (fib, loop, bubble sort, Fletcher checksum, pixel
//! blend, sieve, CRC-32, matrix multiply) it compiles the kernel with each
//! emitter (bytecode, native, viper, and viper-opt with the `cranelift`
//! feature) and reports compile time, code size and run time per emitter,
//! with MicroPython's `mpy-cross` sizes (`MPY_CROSS`), MicroPython unix-port
//! times (`MICROPY_MICROPYTHON`) and `gcc -O2` (`benches/c/kernels.c`).
//!
//! Run times are x86-64's (executed natively). For the other instruction
//! sets, a second table gives the machine-code bytes of each kernel's native
//! and viper functions for ARMv7-M (Thumb-2), ARMv6-M, Xtensa call0 and
//! Xtensa windowed (ferropy's, and `mpy-cross -march=`'s with `MPY_CROSS`),
//! and the instructions each viper kernel executes in an emulator: the Xtensa
//! simulator (`ferropy-xtensa-sim`, always) and unicorn for ARMv7-M/ARMv6-M
//! (feature `isa-emulators`). Each emulated run gets the script's data, built
//! in Rust (`ferropy_benches::emulate`), and its result must equal the x86-64
//! run's (modulo 2^32: viper ints are machine words): a wrong result is
//! reported and makes the tool exit with status 1. Kernels that cannot run
//! there show `n/a` with the reason (fib calls itself through the runtime,
//! which the emulators' fake runtime has not; sieve's `i * i` overflows
//! 32-bit ints and stores outside its buffer).
//!
//! ```text
//! cargo run --profile bench-tool -p ferropy-benches --features cranelift[,isa-emulators] \
//!     --bin ferropy-bench -- [--repeat N] [--rounds N] [--kernels a,b] [--json] [--svg PATH]
//! ```
//! Each kernel runs `--repeat` times in a row (best taken); with
//! `--rounds N` the run times are measured N times over, each round going
//! through every kernel, and each figure keeps its best: on a machine
//! whose speed drifts between modes, rounds spread each column's runs
//! over time.
//! The table goes to standard output (or JSON with `--json`), a progress bar
//! to standard error, and the chart (run times, and the viper functions'
//! bytes per ISA) to `--svg PATH` (default `target/ferropy-bench.svg`).

mod emulate;
mod measure;
mod report;
mod svg;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use ferropy_benches::isa::mpy_cross_kernel_bytes;
use ferropy_benches::kernels::{c_kernels, run, KERNELS};
use ferropy_frontend::NativeEmitterFactory;

use report::{Report, Row};

struct Args {
    repeat: u32,
    rounds: u32,
    kernels: Vec<String>,
    json: bool,
    svg: String,
    compile_runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        repeat: 5,
        rounds: 1,
        kernels: KERNELS.iter().map(|k| k.to_string()).collect(),
        json: false,
        svg: ferropy_benches::kernels::root().join("target/ferropy-bench.svg").to_string_lossy().into_owned(),
        compile_runs: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--repeat" => a.repeat = it.next().and_then(|v| v.parse().ok()).ok_or("--repeat needs a number")?,
            "--rounds" => {
                a.rounds = it.next().and_then(|v| v.parse().ok()).filter(|&n| n > 0).ok_or("--rounds needs a number")?
            }
            "--compile-runs" => {
                a.compile_runs = it.next().and_then(|v| v.parse().ok()).ok_or("--compile-runs needs a number")?
            }
            "--kernels" => {
                let list = it.next().ok_or("--kernels needs a list")?;
                a.kernels = list.split(',').map(str::to_string).collect();
                if let Some(bad) = a.kernels.iter().find(|k| !KERNELS.contains(&k.as_str())) {
                    return Err(format!("unknown kernel {bad} (known: {})", KERNELS.join(", ")));
                }
            }
            "--json" => a.json = true,
            "--svg" => a.svg = it.next().ok_or("--svg needs a path")?,
            "-h" | "--help" => {
                return Err(String::from(
                    "usage: ferropy-bench [--repeat N] [--rounds N] [--kernels a,b] [--compile-runs N] [--json] [--svg PATH]",
                ))
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// A progress bar on standard error.
struct Progress {
    done: usize,
    total: usize,
}

impl Progress {
    fn step(&mut self, what: &str) {
        self.done += 1;
        let width = 30;
        let filled = width * self.done.min(self.total) / self.total.max(1);
        let mut e = std::io::stderr().lock();
        let _ = write!(
            e,
            "\r[{}{}] {:>3}/{} {:<40}",
            "#".repeat(filled),
            ".".repeat(width - filled),
            self.done,
            self.total,
            what
        );
        let _ = e.flush();
    }

    fn finish(&self) {
        eprintln!();
    }
}

/// The emitters to compare: name and factory.
fn emitters() -> Vec<(&'static str, Arc<dyn NativeEmitterFactory + Send + Sync>)> {
    let single: Arc<dyn NativeEmitterFactory + Send + Sync> =
        Arc::new(ferropy_emit_native::Factory::<ferropy_emit_x64::X64Asm>::new());
    #[allow(unused_mut)]
    let mut v = vec![("bytecode", single.clone()), ("native", single.clone()), ("viper", single)];
    #[cfg(feature = "cranelift")]
    if let Some(f) = ferropy::native_opt::opt_emitters() {
        v.push(("viper-opt", f));
    }
    v
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("ferropy-bench: {e}");
            std::process::exit(2);
        }
    };
    if ferropy::native::single_pass_support().is_none() {
        eprintln!("ferropy-bench: this host has no native emitter (x86-64 only)");
        std::process::exit(1);
    }
    let mut report = match bench(&args) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ferropy-bench: {e}");
            std::process::exit(1);
        }
    };
    let kernels: Vec<&str> = args.kernels.iter().map(String::as_str).collect();
    if let Err(e) = std::fs::write(&args.svg, svg::chart(&report, &kernels)) {
        report.notes.push(format!("can't write the chart to {}: {e}", args.svg));
    } else {
        eprintln!("chart: {}", args.svg);
    }
    if args.json {
        print!("{}", report.json());
    } else {
        print!("{}", report.table());
    }
    if report.notes.iter().any(|n| n.starts_with(emulate::WRONG)) {
        eprintln!("ferropy-bench: an emulated kernel computed a wrong result (see the notes)");
        std::process::exit(1);
    }
}

/// Compiles, times and emulates the kernels `args` names: the report
/// (without the chart).
fn bench(args: &Args) -> Result<Report, String> {
    let mut report = Report { repeat: args.repeat, rounds: args.rounds, ..Report::default() };
    let emitters = emitters();
    if !emitters.iter().any(|(m, _)| *m == "viper-opt") {
        report.notes.push("no viper-opt rows: built without the `cranelift` feature".into());
    }
    if !cfg!(feature = "isa-emulators") {
        report.notes.push("no Thumb instruction counts: built without the `isa-emulators` feature".into());
    }
    let mpy_cross = std::env::var("MPY_CROSS").ok();
    if mpy_cross.is_none() {
        report.notes.push("no mpy-cross column: MPY_CROSS is not set".into());
    }
    let micropython = std::env::var("MICROPY_MICROPYTHON").ok();
    if micropython.is_none() {
        report.notes.push("no MicroPython column: MICROPY_MICROPYTHON is not set".into());
    }
    let sources = ferropy_benches::kernels::sources().map_err(|e| format!("can't read the kernels: {e}"))?;
    // Compiling once, then timing in rounds (each kernel's runs, then
    // gcc's), keeping each figure's best, then emulating once.
    let timed = 2 + usize::from(micropython.is_some());
    let rounds = args.rounds as usize;
    let total = args.kernels.len() * (emitters.len() + 1 + rounds * timed) + rounds;
    let mut progress = Progress { done: 0, total };
    let mut errors = Vec::new();
    for kernel in &args.kernels {
        let source_of = |mode: &str| {
            let m = if mode == "viper-opt" { "viper" } else { mode };
            ferropy_benches::kernels::source_of(&sources, kernel, m)
        };
        for (mode, factory) in &emitters {
            progress.step(&format!("compiling {kernel} ({mode})"));
            let Some(src) = source_of(mode) else { continue };
            let mut row = Row { kernel: kernel.clone(), mode: mode.to_string(), ..Row::default() };
            match measure::compile(&src, factory.clone(), args.compile_runs) {
                Ok((us, bytes)) => {
                    row.compile_us = Some(us);
                    row.code_bytes = Some(bytes);
                }
                Err(e) => report.notes.push(format!("{kernel} {mode}: compile error {e}")),
            }
            if let (Some(mc), true) = (&mpy_cross, *mode != "viper-opt") {
                row.mpy_cross_bytes = mpy_cross_kernel_bytes(Path::new(mc), &src, "x64");
            }
            if matches!(*mode, "native" | "viper") {
                row.isa = measure::isa_sizes(&src, mpy_cross.as_deref(), &mut errors);
                report.notes.extend(errors.drain(..).map(|e| format!("{kernel} {mode}: {e}")));
            }
            report.rows.push(row);
        }
    }
    for round in 1..=rounds {
        let of = if rounds > 1 { format!(", round {round} of {rounds}") } else { String::new() };
        time_round(&mut report, &mut progress, args, micropython.as_deref(), &of);
    }
    // After the timing: the emulated results are checked against the
    // x86-64 run's.
    for kernel in &args.kernels {
        progress.step(&format!("emulating {kernel} (viper)"));
        if let Some(src) = ferropy_benches::kernels::source_of(&sources, kernel, "viper") {
            emulate::viper(&mut report, kernel, &src);
        }
    }
    progress.finish();
    // A failure seen in several rounds is noted once.
    let mut seen = std::collections::HashSet::new();
    report.notes.retain(|n| seen.insert(n.clone()));
    // Every emitter must compute the same result.
    for k in &args.kernels {
        let results: Vec<&str> =
            report.rows.iter().filter(|r| r.kernel == *k).filter_map(|r| r.result.as_deref()).collect();
        if results.windows(2).any(|w| w[0] != w[1]) {
            report.notes.push(format!("{k}: the emitters disagree: {results:?}"));
        }
    }
    // Each kernel module has one viper function: compile-time differences
    // between emitters are that function's cost.
    let extra = |hi: &str, lo: &str| -> Option<f64> {
        let d: Vec<f64> = args
            .kernels
            .iter()
            .filter_map(|k| Some(report.row(k, hi)?.compile_us? - report.row(k, lo)?.compile_us?))
            .collect();
        (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
    };
    let (cranelift, single) = (extra("viper-opt", "viper"), extra("viper", "bytecode"));
    report.cranelift_us_per_function = cranelift;
    report.single_pass_us_per_function = single;
    Ok(report)
}

/// Keeps the smaller of `slot` and `us` in `slot`.
fn best(slot: &mut Option<u64>, us: u64) {
    *slot = Some(slot.map_or(us, |old| old.min(us)));
}

/// One round of timings: each kernel with the single-pass emitters, with
/// viper-opt and (given its path) on MicroPython, then gcc's; every figure
/// keeps its best over the rounds. `of` tells the round in the progress bar.
fn time_round(report: &mut Report, progress: &mut Progress, args: &Args, micropython: Option<&str>, of: &str) {
    let repeat = args.repeat.to_string();
    for kernel in &args.kernels {
        progress.step(&format!("running {kernel} (single-pass{of})"));
        match measure::run_in_process(ferropy::native::single_pass_support(), &[&repeat, kernel]) {
            Ok(t) => {
                for ((k, m), (us, result)) in t {
                    if let Some(r) = report.rows.iter_mut().find(|r| r.kernel == k && r.mode == m) {
                        best(&mut r.run_us, us);
                        r.result = Some(result);
                    }
                }
            }
            Err(e) => report.notes.push(format!("{kernel}: ferropy failed: {e}")),
        }
        progress.step(&format!("running {kernel} (viper-opt{of})"));
        #[cfg(feature = "cranelift")]
        match measure::run_in_process(ferropy::native_opt::opt_support(), &[&repeat, kernel]) {
            Ok(t) => {
                if let Some((us, result)) = t.get(&(kernel.clone(), "viper".into())) {
                    if let Some(r) = report.rows.iter_mut().find(|r| r.kernel == *kernel && r.mode == "viper-opt") {
                        best(&mut r.run_us, *us);
                        r.result = Some(result.clone());
                    }
                }
            }
            Err(e) => report.notes.push(format!("{kernel}: ferropy viper-opt failed: {e}")),
        }
        if let Some(mp) = micropython {
            progress.step(&format!("running {kernel} (MicroPython{of})"));
            let script = ferropy_benches::kernels::script().to_string_lossy().into_owned();
            match run(std::path::Path::new(mp), &[&script, &repeat, kernel]) {
                Ok(t) => {
                    for ((k, m), (us, _)) in t {
                        if let Some(r) = report.rows.iter_mut().find(|r| r.kernel == k && r.mode == m) {
                            best(&mut r.micropython_us, us);
                        }
                    }
                }
                Err(e) => report.notes.push(format!("{kernel}: MicroPython failed: {e}")),
            }
        }
    }
    progress.step(&format!("running gcc -O2{of}"));
    match c_kernels(&repeat) {
        Ok(t) => {
            for ((k, _), (us, result)) in t {
                if let Some(r) = report.rows.iter().find(|r| r.kernel == k && r.result.is_some()) {
                    if r.result.as_deref() != Some(result.as_str()) {
                        report
                            .notes
                            .push(format!("{k}: C computed {result}, ferropy {}", r.result.as_deref().unwrap_or("?")));
                    }
                }
                let slot = report.gcc_us.entry(k).or_insert(us);
                *slot = (*slot).min(us);
            }
        }
        Err(e) => report.notes.push(format!("no gcc -O2 column: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_keep_each_figure_at_its_best() {
        let mut slot = None;
        for us in [120, 95, 140] {
            best(&mut slot, us);
        }
        assert_eq!(slot, Some(95));
        let report = Report { repeat: 25, rounds: 3, ..Report::default() };
        assert!(report.table().contains("best of 75 runs (3 rounds of 25)"), "{}", report.table());
        assert!(report.json().contains("\"rounds\": 3,"));
    }

    /// The emulators' results are checked against the x86-64 run's, which
    /// the timing rounds record.
    #[test]
    fn emulated_results_are_checked_against_the_timed_run() {
        if ferropy::native::single_pass_support().is_none() {
            return;
        }
        let svg = std::env::temp_dir().join("unused.svg").to_string_lossy().into_owned();
        let args = Args { repeat: 1, rounds: 1, kernels: vec!["bubble".into()], json: false, svg, compile_runs: 1 };
        let report = bench(&args).expect("runs");
        assert!(!report.notes.iter().any(|n| n.contains("unchecked")), "{:?}", report.notes);
        let viper = report.row("bubble", "viper").expect("a viper row");
        assert!(viper.result.is_some());
        assert!(viper.isa.get("xtensa").and_then(|c| c.instructions).is_some(), "{:?}", report.notes);
    }
}
