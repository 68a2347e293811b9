//! Quick compile-speed check: compiles the generated 10,000-line module many times
//! and prints the fastest and the median run (robust on a busy machine).
//! Run with `cargo run --release -p ferropy-benches --bin compile_speed`.

use ferropy_benches::generate_module;
use ferropy_frontend::{compile_source, CompileOptions, InputKind};

fn main() {
    let lines = 10_000;
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(60);
    let source = generate_module(lines);
    let options = CompileOptions::default();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let module = compile_source(&source, "gen.py", InputKind::File, &options).expect("compiles");
        times.push(start.elapsed().as_secs_f64());
        drop(module);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let min = times.first().copied().unwrap_or(0.0);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    println!(
        "min {:.2} ms ({:.0} lines/s), median {:.2} ms ({:.0} lines/s)",
        min * 1e3,
        lines as f64 / min,
        median * 1e3,
        lines as f64 / median
    );
}
