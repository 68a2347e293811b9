//! Loop back edges of optimized code reach the runtime's interrupt check
//! (through the register-preserving trampoline of
//! `ferropy_emit_cranelift::preserve`): fuel and interrupts stop endless
//! loops, and a loop that calls the check on every iteration (a fuel budget
//! makes every back edge call it) keeps all its values.

use std::sync::{Arc, Mutex};

use ferropy::runtime::vm::{LimitKind, OutputSink};
use ferropy::runtime::Vm;
use ferropy_frontend::InputKind;

use super::util::{compiled, opt_config, single_pass_config, strips};

/// Range loops with a matrix multiply, whose innermost loop keeps over ten
/// values live across its interrupt check.
const LOOPS: &str = "tests/native/viper_range_limit.py";

const SPIN: &str = "@micropython.viper\ndef spin():\n    i = 0\n    while True:\n        i += 1\nspin()\n";

/// What a VM made by [`capturing_vm`] printed (stdout and stderr).
struct Printed(Arc<Mutex<Vec<u8>>>);

impl Printed {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// A VM with `config` whose output is captured.
fn capturing_vm(config: ferropy::runtime::VmConfig) -> (Vm, Printed) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let opts = ferropy::run::RunOptions { argv: vec!["t.py".into()], ..Default::default() };
    (ferropy::run::new_vm(config, out, err, &opts).expect("vm"), Printed(buf))
}

/// Runs `source` in `vm`, printing an exception it raises.
fn run_in(vm: &mut Vm, source: &str, name: &str) {
    if let Err(e) = vm.run_main_source(source.as_bytes(), name, InputKind::File) {
        vm.print_exception(e);
    }
}

/// Runs `source` with `config` and an optional fuel budget: the output, and
/// the limit that stopped it.
fn run(source: &str, config: ferropy::runtime::VmConfig, fuel: Option<u64>) -> (String, Option<LimitKind>) {
    let (mut vm, printed) = capturing_vm(config);
    vm.set_fuel(fuel);
    run_in(&mut vm, source, "t.py");
    (printed.text(), vm.take_tripped_limit())
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

/// Counted loops whose checks the optimizing tier makes once per strip of
/// iterations (`ferropy_emit_cranelift::strip`): a long range, and a
/// counter stepping over the largest word (its strips must stay one
/// iteration long, or the loop would never reach a check again).
const STRIPPED: &str = "@micropython.viper\ndef long(n: int) -> int:\n    s = 0\n    for i in range(n):\n        s += i\n    \
                        return s\n@micropython.viper\ndef wrap(k: int) -> int:\n    m = 1 << k\n    top = m + (m - 1)\n    \
                        i = top - 20\n    while i < top:\n        i += 7\n    return i\nprint('start')\n";

#[test]
fn an_interrupt_stops_strip_mined_loops() {
    if ferropy::native_opt::opt_support().is_none() {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    }
    let before = strips().0;
    for call in ["long(1 << 60)", "wrap(62)"] {
        let source = format!("{STRIPPED}{call}\n");
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut vm, printed) = capturing_vm(opt_config());
            handle_tx.send(vm.interrupt_handle()).unwrap();
            run_in(&mut vm, &source, "t.py");
            let _ = done_tx.send(printed.text());
        });
        let handle = handle_rx.recv().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        handle.interrupt();
        // A loop whose strip never ends would never see the interrupt.
        let out = done_rx.recv_timeout(std::time::Duration::from_secs(20)).unwrap_or_else(|_| {
            panic!("{call}: the interrupt was not seen within 20 s");
        });
        assert!(out.starts_with("start\n") && out.contains("KeyboardInterrupt"), "{call}: {out}");
    }
    assert!(strips().0 >= before + 2, "the loops were not strip-mined");
}

/// Fuel ends a strip-mined loop at the same iteration as the single-pass
/// code: while a budget is set, every strip is one iteration long.
#[test]
fn fuel_stops_strip_mined_loops_at_the_same_iteration() {
    if ferropy::native_opt::opt_support().is_none() {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    }
    let program =
        "import array\n@micropython.viper\ndef count(a, n: int):\n    p = ptr32(a)\n    for i in range(n):\n        \
                   p[0] = i\nA = array.array('i', [0])\ncount(A, 1 << 40)\n";
    let stop = |config: ferropy::runtime::VmConfig| {
        let (mut vm, printed) = capturing_vm(config);
        vm.set_fuel(Some(50_000));
        assert!(vm.run_main_source(program.as_bytes(), "t.py", InputKind::File).is_err());
        assert_eq!(vm.take_tripped_limit(), Some(LimitKind::Fuel));
        vm.set_fuel(None);
        run_in(&mut vm, "print(A[0])\n", "t2.py");
        let text = printed.text();
        text.trim().parse::<i64>().unwrap_or_else(|_| panic!("{text}"))
    };
    let before = strips();
    let opt = stop(opt_config());
    assert!(strips().0 > before.0, "the loop was not strip-mined");
    // Its strips also run rounds of several copies of the body while the
    // flag is clear, never while fuel keeps it set.
    assert!(strips().1 > before.1, "the loop was not partially unrolled");
    let single = stop(single_pass_config());
    assert!(opt > 1000 && opt < 50_000, "{opt}");
    assert_eq!(opt, single);
}
