//! The interpreter comparison suite: runs every program of `benches/py/suite/`
//! under ferropy, MicroPython's unix port and CPython in one run, checks that
//! they print the same checksum, and prints Markdown tables of times, ratios
//! and the geometric mean, plus start-up time, peak resident memory and
//! binary size.
//!
//! ```text
//! cargo build --release && cargo run --release -p ferropy-benches --bin suite -- [REPEAT]
//! ```
//! Interpreters: `FERROPY` (default `target/release/ferropy`),
//! `MICROPY_MICROPYTHON` (MicroPython's unix port; column left out when unset),
//! `python3` on `PATH` (left out when missing).
//!
//! Method: every program runs `REPEAT` times (default 5) in a fresh process
//! through a small driver (`-c`) that compiles it, then times its execution
//! with the interpreter's own clock (`time.ticks_us`, or CPython's
//! `perf_counter`); the best time is kept. Start-up (`-c pass`) is timed
//! separately as whole processes. Peak resident memory comes from
//! `/usr/bin/time -f %M` when it exists. CPython is run as `sys.executable`
//! (not a launcher shim on `PATH`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One interpreter under test.
struct Interp {
    name: &'static str,
    program: PathBuf,
}

/// Runs `program args` once; returns its wall-clock time and standard output.
fn run_once(program: &Path, args: &[&str]) -> Result<(Duration, String), String> {
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        return Err(format!("{} {:?} failed: {}", program.display(), args, String::from_utf8_lossy(&out.stderr)));
    }
    Ok((elapsed, String::from_utf8_lossy(&out.stdout).trim().to_string()))
}

/// The driver that times one program inside the interpreter; prints the
/// program's output, then `@us <microseconds>`.
const DRIVER: &str = r#"
try:
    from time import ticks_us, ticks_diff
except ImportError:
    from time import perf_counter

    def ticks_us():
        return int(perf_counter() * 1000000)

    def ticks_diff(a, b):
        return a - b
with open(PATH) as f:
    code = compile(f.read(), PATH, "exec")
t0 = ticks_us()
exec(code, {"__name__": "__main__"})
print("@us", ticks_diff(ticks_us(), t0))
"#;

/// Runs `path` under `program` `repeat` times through [`DRIVER`]; returns the
/// best in-script time and the program's output (without the timing line).
fn best_in_script(program: &Path, path: &str, repeat: usize) -> Result<(Duration, String), String> {
    let quoted = path.replace('\\', "\\\\").replace('"', "\\\"");
    let driver = format!("PATH = \"{quoted}\"\n{DRIVER}");
    let mut best = Duration::MAX;
    let mut text = String::new();
    for _ in 0..repeat.max(1) {
        let (_, out) = run_once(program, &["-c", &driver])?;
        let (body, last) = out.rsplit_once('\n').unwrap_or(("", &out));
        let us: u64 = last
            .strip_prefix("@us ")
            .and_then(|t| t.trim().parse().ok())
            .ok_or_else(|| format!("no timing line in the output of {}", program.display()))?;
        best = best.min(Duration::from_micros(us));
        text = body.trim().to_string();
    }
    Ok((best, text))
}

/// The best of `repeat` runs, and the output of the last one.
fn best_of(program: &Path, args: &[&str], repeat: usize) -> Result<(Duration, String), String> {
    let mut best = Duration::MAX;
    let mut text = String::new();
    for _ in 0..repeat.max(1) {
        let (t, out) = run_once(program, args)?;
        best = best.min(t);
        text = out;
    }
    Ok((best, text))
}

/// Peak resident memory of `program -c pass` in kilobytes, through `/usr/bin/time`.
fn peak_rss_kb(program: &Path) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let out =
        Command::new(time).args(["-f", "%M"]).arg(program).args(["-c", "pass"]).stdin(Stdio::null()).output().ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines().last()?.trim().parse().ok()
}

/// CPython's real executable (`sys.executable`), past launcher shims.
fn python_executable(launcher: &Path) -> Option<PathBuf> {
    let out = Command::new(launcher).args(["-c", "import sys; print(sys.executable)"]).output().ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    p.is_file().then_some(p)
}

/// The path of `name` on `PATH`, if any.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn geomean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    (values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp()
}

fn main() {
    let repeat: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let ferropy = std::env::var("FERROPY").map(PathBuf::from).unwrap_or_else(|_| root.join("target/release/ferropy"));
    let mut interps = vec![Interp { name: "ferropy", program: ferropy }];
    match std::env::var("MICROPY_MICROPYTHON") {
        Ok(mp) => interps.push(Interp { name: "MicroPython", program: PathBuf::from(mp) }),
        Err(_) => eprintln!("MICROPY_MICROPYTHON is not set: no MicroPython column"),
    }
    match on_path("python3").map(|p| python_executable(&p).unwrap_or(p)) {
        Some(p) => interps.push(Interp { name: "CPython", program: p }),
        None => eprintln!("python3 is not on PATH: no CPython column"),
    }

    let dir = root.join("benches/py/suite");
    let mut programs: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => {
            rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "py")).collect()
        }
        Err(e) => {
            eprintln!("can't read {}: {e}", dir.display());
            std::process::exit(1);
        }
    };
    programs.sort();

    // Start-up, memory and size first (one column per interpreter).
    let mut startup = Vec::new();
    let mut usable = Vec::new();
    for it in &interps {
        match best_of(&it.program, &["-c", "pass"], repeat * 2) {
            Ok((t, _)) => {
                startup.push(t);
                usable.push(true);
            }
            Err(e) => {
                if it.name == "ferropy" {
                    eprintln!("can't run ferropy ({e}); build it with `cargo build --release` or set FERROPY");
                    std::process::exit(1);
                }
                eprintln!("{} left out: {e}", it.name);
                startup.push(Duration::ZERO);
                usable.push(false);
            }
        }
    }
    let interps: Vec<(&Interp, Duration)> =
        interps.iter().zip(startup).zip(&usable).filter(|(_, ok)| **ok).map(|(x, _)| x).collect();

    // Program times (measured inside the interpreter) and checksums.
    let mut table: Vec<(String, Vec<Option<Duration>>)> = Vec::new();
    for p in &programs {
        let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let path = p.to_string_lossy().into_owned();
        let mut row = Vec::new();
        let mut reference: Option<String> = None;
        for (it, _) in &interps {
            match best_in_script(&it.program, &path, repeat) {
                Ok((t, out)) => {
                    match &reference {
                        None => reference = Some(out),
                        Some(r) if *r != out => {
                            eprintln!("warning: {name}: {} printed {out:?}, expected {r:?}", it.name)
                        }
                        Some(_) => {}
                    }
                    row.push(Some(t));
                }
                Err(e) => {
                    eprintln!("{name} under {}: {e}", it.name);
                    row.push(None);
                }
            }
        }
        table.push((name, row));
    }

    println!("Best of {repeat} runs, timed inside the interpreter, milliseconds (lower is better).\n");
    let mut header = String::from("| program |");
    let mut rule = String::from("|---|");
    for (it, _) in &interps {
        header.push_str(&format!(" {} |", it.name));
        rule.push_str("---|");
    }
    for (it, _) in interps.iter().skip(1) {
        header.push_str(&format!(" ferropy / {} |", it.name));
        rule.push_str("---|");
    }
    println!("{header}\n{rule}");
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); interps.len()];
    for (name, row) in &table {
        let mut line = format!("| {name} |");
        for t in row {
            line.push_str(&format!(" {} |", t.map(ms).unwrap_or_else(|| "-".into())));
        }
        for (i, t) in row.iter().enumerate().skip(1) {
            match (row[0], t) {
                (Some(ours), Some(theirs)) if !theirs.is_zero() => {
                    let r = ours.as_secs_f64() / theirs.as_secs_f64();
                    ratios[i].push(r);
                    line.push_str(&format!(" {r:.2}x |"));
                }
                _ => line.push_str(" - |"),
            }
        }
        println!("{line}");
    }
    let mut line = String::from("| **geometric mean** |");
    for _ in &interps {
        line.push_str(" |");
    }
    for r in ratios.iter().skip(1) {
        line.push_str(&format!(" **{:.2}x** |", geomean(r)));
    }
    println!("{line}");
    println!("\n\"ferropy / X\": ferropy's time divided by X's (below 1x: ferropy is faster).\n");

    println!("| measure | {} |", interps.iter().map(|(i, _)| i.name).collect::<Vec<_>>().join(" | "));
    println!("|---|{}", "---|".repeat(interps.len()));
    let starts: Vec<String> = interps.iter().map(|(_, s)| format!("{:.1} ms", s.as_secs_f64() * 1000.0)).collect();
    println!("| start-up, `-c pass` (best of {}) | {} |", repeat * 2, starts.join(" | "));
    let rss: Vec<String> = interps
        .iter()
        .map(|(i, _)| peak_rss_kb(&i.program).map(|k| format!("{:.1} MB", k as f64 / 1024.0)).unwrap_or("-".into()))
        .collect();
    println!("| peak resident memory, `-c pass` | {} |", rss.join(" | "));
    let sizes: Vec<String> = interps
        .iter()
        .map(|(i, _)| {
            std::fs::canonicalize(&i.program)
                .and_then(std::fs::metadata)
                .map(|m| format!("{:.2} MB", m.len() as f64 / 1e6))
                .unwrap_or("-".into())
        })
        .collect();
    println!("| binary size (file) | {} |", sizes.join(" | "));
}
