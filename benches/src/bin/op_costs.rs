//! Instructions per bytecode-level operation, ferropy against MicroPython:
//! each operation of [`OPS`] runs in a counted loop inside a function, twice
//! (`SHORT` and `LONG` iterations), under `valgrind --tool=callgrind`; the
//! difference of the two instruction counts divided by the difference of the
//! iterations is the cost of one loop iteration (the loop's own cost is the
//! `empty` row). Instruction counts do not depend on the machine's load.
//!
//! ```text
//! cargo build --profile release-debug
//! MICROPY_MICROPYTHON=<micropython> cargo run --release -p ferropy-benches --bin op_costs -- [FILTER]
//! ```
//! `FERROPY` names the ferropy binary (default `target/release-debug/ferropy`);
//! the MicroPython column is left out when `MICROPY_MICROPYTHON` is unset.
//! `FILTER` keeps the rows whose name contains it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Iterations of the short and the long run.
const SHORT: u64 = 1_000;
const LONG: u64 = 21_000;

/// `(name, loop body)`; the body sees the locals set up in [`PRELUDE`] and the loop variable `i`.
const OPS: &[(&str, &str)] = &[
    ("empty", "pass"),
    ("local_add", "x = i + 1"),
    ("call_fn", "f()"),
    ("call_fn1", "g(i)"),
    ("method_user", "o.m()"),
    ("attr_user", "x = o.a"),
    ("list_index", "x = l2[1]"),
    ("list_store", "l2[1] = i"),
    ("bytearray_index", "x = ba[3]"),
    ("bytearray_store", "ba[3] = 7"),
    ("dict_get", "x = d['k']"),
    ("dict_set", "d['k'] = i"),
    ("tuple_build", "x = (i, i)"),
    ("truth_list", "if l: pass"),
    ("truth_deque", "if q: pass"),
    ("len_list", "len(l)"),
    ("global_builtin", "x = len"),
    ("global_fn", "x = f"),
    ("len_deque", "len(q)"),
    ("list_append_pop", "l.append(i); l.pop()"),
    ("deque_append_popleft", "q.append(i); q.popleft()"),
    ("isinstance", "isinstance(i, int)"),
    ("str_method", "s.startswith('a')"),
    ("str_concat", "x = 'ab' + s"),
    ("gen_next", "next(gi)"),
];

/// The program around each body: `N` is the iteration count, `BODY` the operation.
const PRELUDE: &str = "from collections import deque
def f(): pass
def g(a): return a
class C:
    def __init__(self): self.a = 1
    def m(self): return 1
def gen():
    while True: yield 1
def run():
    l = [1]; q = deque((), 100); o = C(); gi = gen(); d = {'k': 1}
    l2 = [1, 2, 3]; s = 'abc'; ba = bytearray(8)
    for i in range(N):
        BODY
run()
";

/// Instructions callgrind counts for `program file`.
fn instructions(program: &Path, file: &Path) -> Result<u64, String> {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(program)
        .arg(file)
        .output()
        .map_err(|e| format!("valgrind: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{} {} failed: {}",
            program.display(),
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let line = text.lines().find(|l| l.contains("refs:")).ok_or("no callgrind summary")?;
    let digits: String = line.rsplit(':').next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    digits.parse().map_err(|e| format!("callgrind summary {line:?}: {e}"))
}

/// Instructions per iteration of `body` under `program`.
fn cost(program: &Path, dir: &Path, name: &str, body: &str) -> Result<f64, String> {
    let mut counts = [0u64; 2];
    for (count, n) in counts.iter_mut().zip([SHORT, LONG]) {
        let file = dir.join(format!("{name}_{n}.py"));
        let src = PRELUDE.replace("BODY", body).replace("range(N)", &format!("range({n})"));
        std::fs::write(&file, src).map_err(|e| format!("{}: {e}", file.display()))?;
        *count = instructions(program, &file)?;
    }
    Ok((counts[1] as f64 - counts[0] as f64) / (LONG - SHORT) as f64)
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let ferropy = PathBuf::from(std::env::var("FERROPY").unwrap_or_else(|_| "target/release-debug/ferropy".into()));
    let micropython = std::env::var("MICROPY_MICROPYTHON").ok().map(PathBuf::from);
    if micropython.is_none() {
        eprintln!("MICROPY_MICROPYTHON is not set: the MicroPython column is left out");
    }
    let dir = std::env::temp_dir().join(format!("ferropy-op-costs-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        std::process::exit(1);
    }
    println!("| operation | ferropy | MicroPython | ferropy / MicroPython |");
    println!("|---|---|---|---|");
    let mut failed = false;
    for &(name, body) in OPS.iter().filter(|(name, _)| name.contains(filter.as_str())) {
        let ours = cost(&ferropy, &dir, name, body);
        let theirs = micropython.as_deref().map(|mp| cost(mp, &dir, name, body));
        match (ours, theirs) {
            (Ok(a), Some(Ok(b))) => println!("| {name} | {a:.0} | {b:.0} | {:.2}x |", a / b),
            (Ok(a), None) => println!("| {name} | {a:.0} | | |"),
            (Err(e), _) | (_, Some(Err(e))) => {
                eprintln!("{name}: {e}");
                failed = true;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if failed {
        std::process::exit(1);
    }
}
