//! A fixed interpreter workload (a Python loop of N iterations, default
//! 3,000,000) for measuring the dispatch loop's cost with instruction counts,
//! which unlike times do not depend on the machine's load:
//! `valgrind --tool=callgrind target/release/dispatch_loop 200000` (or
//! `perf stat -e instructions:u` where the machine has counters).
//! Used to check that the fuel/deadline counting stays cheap.

use ferropy_frontend::InputKind;
use ferropy_runtime::{Vm, VmConfig};

fn main() {
    let mut vm = Vm::new(VmConfig::default(), Box::new(|_: &[u8]| {}), Box::new(|_: &[u8]| {})).expect("vm");
    let src = b"def run(n):\n    t = 0\n    for i in range(n):\n        t = t + i\n    return t\nr = run(10)\n";
    if vm.run_main_source(src, "loop.py", InputKind::File).is_err() {
        eprintln!("the workload failed");
        std::process::exit(1);
    }
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3_000_000);
    let start = std::time::Instant::now();
    let r = vm.run_main_source(format!("r = run({n})\n").as_bytes(), "loop.py", InputKind::File);
    println!("{:?} for {n} iterations ({})", start.elapsed(), if r.is_ok() { "ok" } else { "failed" });
}
