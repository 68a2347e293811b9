//! Loop back edges of optimized code reach the runtime's interrupt check
//! (through the register-preserving trampoline of
//! `ferropy_emit_cranelift::preserve`): fuel and interrupts stop endless
//! loops, and a loop that calls the check on every iteration (a fuel budget
//! makes every back edge call it) keeps all its values.

use std::sync::{Arc, Mutex};

use ferropy::runtime::vm::{LimitKind, OutputSink};
use ferropy::runtime::Vm;
use ferropy_frontend::InputKind;

use super::util::{compiled, opt_config, single_pass_config};

/// Range loops with a matrix multiply, whose innermost loop keeps over ten
/// values live across its interrupt check.
const LOOPS: &str = "tests/native/viper_range_limit.py";

const SPIN: &str = "@micropython.viper\ndef spin():\n    i = 0\n    while True:\n        i += 1\nspin()\n";

/// Runs `source` with `config` and an optional fuel budget: the output, and
/// the limit that stopped it.
fn run(source: &str, config: ferropy::runtime::VmConfig, fuel: Option<u64>) -> (String, Option<LimitKind>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let opts = ferropy::run::RunOptions { argv: vec!["t.py".into()], ..Default::default() };
    let mut vm: Vm = ferropy::run::new_vm(config, out, err, &opts).expect("vm");
    vm.set_fuel(fuel);
    if let Err(e) = vm.run_main_source(source.as_bytes(), "t.py", InputKind::File) {
        vm.print_exception(e);
    }
    let limit = vm.take_tripped_limit();
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    (text, limit)
}

#[test]
fn every_back_edge_through_the_check_keeps_the_loop_values() {
    if ferropy::native_opt::opt_support().is_none() {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let source = std::fs::read_to_string(format!("{root}/{LOOPS}")).expect("test program");
    let expected =
        std::fs::read_to_string(format!("{root}/{}", LOOPS.replace(".py", ".exp"))).expect("expected output");
    let before = compiled();
    let (opt, limit) = run(&source, opt_config(), None);
    assert_eq!((opt.as_str(), limit), (expected.as_str(), None));
    assert!(compiled() > before, "the loops were not compiled by the optimizing tier");
    // With a budget every backward jump calls the runtime through the trampoline.
    let (fueled, limit) = run(&source, opt_config(), Some(10_000_000));
    assert_eq!((fueled.as_str(), limit), (expected.as_str(), None));
    // The single-pass code agrees (the expected output is MicroPython's).
    assert_eq!(run(&source, single_pass_config(), Some(10_000_000)).0, expected);
}

#[test]
fn fuel_stops_an_endless_optimized_loop() {
    if ferropy::native_opt::opt_support().is_none() {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    }
    let before = compiled();
    let (out, limit) = run(SPIN, opt_config(), Some(100_000));
    assert_eq!(limit, Some(LimitKind::Fuel), "{out}");
    // The traceback names the loop's line (the position the check passed).
    assert!(out.contains("line 5, in spin"), "{out}");
    assert!(compiled() > before, "spin was not compiled by the optimizing tier");
}
