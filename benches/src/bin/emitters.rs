//! The emitter comparison: runs `benches/py/emitters.py` (the same kernels as
//! bytecode, `@native` and `@viper`) under ferropy, MicroPython's unix port
//! and CPython, and the C versions (`benches/c/kernels.c`, `gcc -O2`), all in
//! one run, and prints a Markdown table of best times and ratios.
//!
//! ```text
//! cargo build --release && cargo run --release -p ferropy-benches --bin emitters -- [REPEAT]
//! ```
//! Interpreters: `FERROPY` (default `target/release/ferropy`),
//! `MICROPY_MICROPYTHON` (MicroPython's unix port; column left out when unset),
//! `python3` on `PATH`, `gcc` on `PATH`. Every interpreter's results must agree.

use std::path::{Path, PathBuf};

use ferropy_benches::kernels::{c_kernels, run, Times, KERNELS};

fn ms(us: u64) -> String {
    format!("{:.2}", us as f64 / 1000.0)
}

fn ratio(a: u64, b: u64) -> String {
    if b == 0 {
        return "-".into();
    }
    format!("{:.1}x", a as f64 / b as f64)
}

fn main() {
    let repeat = std::env::args().nth(1).unwrap_or_else(|| "5".into());
    let root = ferropy_benches::kernels::root();
    let script = ferropy_benches::kernels::script().to_string_lossy().into_owned();
    let ferropy = std::env::var("FERROPY").map(PathBuf::from).unwrap_or_else(|_| root.join("target/release/ferropy"));
    let mut columns: Vec<(&str, Times)> = Vec::new();
    match run(&ferropy, &[&script, &repeat]) {
        Ok(t) => columns.push(("ferropy", t)),
        Err(e) => {
            eprintln!("can't run ferropy ({e}); build it with `cargo build --release` or set FERROPY");
            std::process::exit(1);
        }
    }
    match std::env::var("MICROPY_MICROPYTHON") {
        Ok(mp) => match run(Path::new(&mp), &[&script, &repeat]) {
            Ok(t) => columns.push(("MicroPython", t)),
            Err(e) => eprintln!("MicroPython column left out: {e}"),
        },
        Err(_) => eprintln!("MICROPY_MICROPYTHON is not set: no MicroPython column"),
    }
    match run(Path::new("python3"), &[&script, &repeat]) {
        Ok(t) => columns.push(("CPython", t)),
        Err(e) => eprintln!("CPython column left out: {e}"),
    }
    let c = c_kernels(&repeat).unwrap_or_else(|e| {
        eprintln!("C column left out: {e}");
        Times::new()
    });
    // Every implementation must compute the same results.
    for (name, t) in &columns {
        for ((kernel, mode), (_, result)) in t {
            let reference = c.get(&(kernel.clone(), "c".into())).map(|(_, r)| r);
            if let Some(r) = reference.filter(|r| *r != result) {
                eprintln!("warning: {name} {kernel} {mode} gave {result}, C gave {r}");
            }
        }
    }
    println!("Best of {repeat} runs, milliseconds (lower is better).\n");
    let mut header = String::from("| kernel | mode |");
    let mut rule = String::from("|---|---|");
    for (name, _) in &columns {
        header.push_str(&format!(" {name} |"));
        rule.push_str("---|");
    }
    header.push_str(" gcc -O2 | ferropy vs MicroPython | speedup over ferropy bytecode | ferropy vs gcc -O2 |");
    rule.push_str("---|---|---|---|");
    println!("{header}\n{rule}");
    let ours = &columns[0].1;
    let mp = columns.iter().find(|(n, _)| *n == "MicroPython").map(|(_, t)| t);
    for kernel in KERNELS {
        let c_us = c.get(&(kernel.to_string(), "c".into())).map(|(us, _)| *us);
        let base = ours.get(&(kernel.to_string(), "bytecode".into())).map(|(us, _)| *us);
        for mode in ["bytecode", "native", "viper"] {
            let key = (kernel.to_string(), mode.to_string());
            let Some((us, _)) = ours.get(&key) else { continue };
            let mut row = format!("| {kernel} | {mode} |");
            for (_, t) in &columns {
                row.push_str(&format!(" {} |", t.get(&key).map(|(us, _)| ms(*us)).unwrap_or_else(|| "-".into())));
            }
            let vs_mp = mp.and_then(|t| t.get(&key)).map(|(m, _)| ratio(*m, *us)).unwrap_or_else(|| "-".into());
            let speedup = base.map(|b| ratio(b, *us)).unwrap_or_else(|| "-".into());
            let vs_c = c_us.map(|c| ratio(*us, c)).unwrap_or_else(|| "-".into());
            let c_text = if mode == "viper" { c_us.map(ms).unwrap_or_else(|| "-".into()) } else { String::new() };
            row.push_str(&format!(" {c_text} | {vs_mp} | {speedup} | {vs_c} |"));
            println!("{row}");
        }
    }
    println!("\n\"ferropy vs MicroPython\": MicroPython's time / ferropy's (above 1x: ferropy is faster).");
    println!("\"ferropy vs gcc -O2\": ferropy's time / C's (how many times slower than C).");
}
