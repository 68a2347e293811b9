//! Differential testing: random viper functions ([`super::gen`]) compiled by
//! the single-pass emitter and by the optimizing tier must print the same
//! results (return values or exceptions, and the bytes they stored) for the
//! same random inputs. A mismatch fails with the Python source of the
//! smallest failing program: the one function and the inputs that disagree.

use super::gen::{function, program, Rng, ARG_VALUES};
use super::util::{
    byte_lanes, compiled, extreme_rewrites, memory_rewrites, opt_config, run, scans, single_pass_config, strips,
};

/// Functions per program (one VM and one compilation per program).
const BATCH: usize = 25;
/// Inputs each function is called with.
const INPUTS: usize = 6;

/// Compiles `source` with both tiers; `None` if the outputs agree.
fn disagree(source: &str) -> Option<(String, String)> {
    let a = run(source.as_bytes(), "diff.py", single_pass_config(), ".");
    let b = run(source.as_bytes(), "diff.py", opt_config(), ".");
    (a != b).then_some((a, b))
}

fn inputs(rng: &mut Rng) -> Vec<[&'static str; 3]> {
    (0..INPUTS).map(|_| [*rng.pick(ARG_VALUES), *rng.pick(ARG_VALUES), *rng.pick(ARG_VALUES)]).collect()
}

/// A program failed to compile (a generator slip): its output is an error
/// before any result line.
fn compile_failed(out: &str) -> bool {
    out.starts_with("Traceback") || out.contains("ViperTypeError")
}

/// Runs `n` random functions from `seed`; panics with a reproducer on a mismatch.
fn differential(seed: u64, n: usize) {
    if ferropy::native_opt::opt_support().is_none() {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    }
    let mut rng = Rng::new(seed);
    let (before, strips_before, rewrites_before) = (compiled(), strips(), memory_rewrites());
    let (lanes_before, scans_before) = (byte_lanes(), scans());
    let extremes_before = extreme_rewrites();
    let (mut done, mut invalid) = (0, 0);
    while done < n {
        let count = BATCH.min(n - done);
        let funcs: Vec<String> = (0..count).map(|_| function(&mut rng, "f")).collect();
        let args = inputs(&mut rng);
        let src = program(&funcs, &args);
        let single = run(src.as_bytes(), "diff.py", single_pass_config(), ".");
        let batch_ok = !compile_failed(&single);
        if batch_ok && disagree(&src).is_none() {
            done += count;
            continue;
        }
        // Narrow down to the function (and one input) that disagrees; count
        // functions that did not compile.
        for f in &funcs {
            let one = program(std::slice::from_ref(f), &args);
            let out = run(one.as_bytes(), "diff.py", single_pass_config(), ".");
            if compile_failed(&out) {
                if std::env::var_os("SHOW_INVALID").is_some() {
                    eprintln!("{f}\n{out}");
                }
                invalid += 1;
                continue;
            }
            if disagree(&one).is_some() {
                let minimal = args
                    .iter()
                    .map(|a| program(std::slice::from_ref(f), std::slice::from_ref(a)))
                    .find(|p| disagree(p).is_some())
                    .unwrap_or(one);
                let (a, b) = disagree(&minimal).unwrap_or_default();
                panic!(
                    "viper-opt disagrees with the single-pass emitter (seed {seed}).\n\
                     --- reproducer\n{minimal}--- single-pass\n{a}--- viper-opt\n{b}"
                );
            }
        }
        done += count;
    }
    assert!(invalid * 10 <= n, "{invalid} of {n} generated functions did not compile");
    let through_cranelift = compiled() - before;
    assert!(
        through_cranelift as usize >= n - invalid,
        "only {through_cranelift} of {n} functions went through the optimizing tier"
    );
    // Some of the loops ran in strips (their interrupt checks once per
    // strip), and some strips several copies of their body per round.
    let (stripped, unrolled) = strips();
    assert!(stripped > strips_before.0, "no loop of {n} functions was strip-mined");
    assert!(unrolled > strips_before.1, "no loop of {n} functions was partially unrolled");
    // Some stores were if-converted, and some loads forwarded.
    let rewrites = memory_rewrites();
    assert!(rewrites.0 > rewrites_before.0, "no conditional store of {n} functions was if-converted");
    assert!(rewrites.1 > rewrites_before.1, "no load of {n} functions was forwarded");
    assert!(rewrites.2 > rewrites_before.2, "no CRC steps of {n} functions became a table lookup");
    assert!(byte_lanes() > lanes_before, "no word of {n} functions was computed in byte lanes");
    assert!(scans() > scans_before, "no loop of {n} functions was given a prefix-scan vector loop");
    // Some running maxima were regrouped, dead stores removed, loads moved up.
    let extremes = extreme_rewrites();
    assert!(extremes.0 > extremes_before.0, "no chain of maxima of {n} functions was regrouped");
    assert!(extremes.1 > extremes_before.1, "no store of {n} functions was found dead");
    assert!(extremes.2 > extremes_before.2, "no load of {n} functions was moved above a store");
}

/// A few hundred functions in the default run.
#[test]
fn random_functions_agree() {
    differential(0x5EED_0001, 300);
}

/// The long run: `cargo test --features cranelift --test viper_opt -- --ignored`.
#[test]
#[ignore]
fn random_functions_agree_10000() {
    differential(0x5EED_1000, 10_000);
}

/// The generator itself: its functions compile and run (with both tiers).
#[test]
fn generated_functions_run() {
    let mut rng = Rng::new(7);
    let f = function(&mut rng, "f");
    let src = program(&[f], &[["1", "2", "3"]]);
    let out = run(src.as_bytes(), "diff.py", single_pass_config(), ".");
    assert!(!compile_failed(&out), "{src}\n{out}");
    assert_eq!(out.lines().count(), 1, "{src}\n{out}");
    if std::env::var_os("SHOW_GEN").is_some() {
        eprintln!("{src}\n{out}");
    }
}
