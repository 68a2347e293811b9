//! Compares ferropy's compiler with MicroPython's `mpy-cross` on every snippet of the
//! golden corpus: both outputs are disassembled by ferropy's disassembler and compared
//! with the raw-bytes column removed (qstr and constant table order may differ; the
//! instructions, their decoded operands, line numbers and preludes must not).
//!
//! Needs an `mpy-cross` binary built from MicroPython's source: set `MPY_CROSS` to its
//! path. Without it the test says so and checks nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

mod common;
use common::{files_with_ext, listing};

/// What comparing one source file gave.
enum Outcome {
    Same,
    /// mpy-cross rejected the file (nothing to compare).
    ReferenceFailed,
    Differs(String),
}

/// Compiles `path` with mpy-cross and with ferropy and compares the normalised listings.
fn compare_one(mpy_cross: &std::ffi::OsStr, tmp: &Path, path: &Path) -> Outcome {
    let name = path.file_name().expect("name").to_string_lossy().into_owned();
    let out = tmp.join(format!("{name}.mpy"));
    let status =
        Command::new(mpy_cross).arg("-s").arg(&name).arg("-o").arg(&out).arg(path).output().expect("run mpy-cross");
    if !status.status.success() {
        return Outcome::ReferenceFailed;
    }
    let reference =
        ferropy_bytecode::mpy::read_mpy(&fs::read(&out).expect("read .mpy")).expect("mpy-cross output loads");
    let source = fs::read(path).expect("read source");
    let ours = match compile_bytes(&source, &name, InputKind::File, &CompileOptions::default()) {
        Ok(m) => m,
        Err(e) => return Outcome::Differs(format!("{name}: ferropy failed: {e}")),
    };
    let (a, b) = (listing(&reference), listing(&ours));
    if a == b {
        return Outcome::Same;
    }
    let first = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
    let context = |s: &str| s.lines().skip(first.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
    Outcome::Differs(format!("{name}: differs\n--- mpy-cross\n{}\n--- ferropy\n{}", context(&a), context(&b)))
}

fn temp_dir(tag: &str) -> PathBuf {
    let tmp = std::env::temp_dir().join(format!("ferropy-{tag}-{}", std::process::id()));
    fs::create_dir_all(&tmp).expect("temp dir");
    tmp
}

#[test]
fn bytecode_matches_mpy_cross() {
    let Some(mpy_cross) = std::env::var_os("MPY_CROSS") else {
        eprintln!("MPY_CROSS is not set: skipping the comparison with MicroPython's mpy-cross");
        return;
    };
    let tmp = temp_dir("mpy-cross");
    let files = files_with_ext("tests/compile", "py");
    let mut failures = Vec::new();
    for path in &files {
        match compare_one(&mpy_cross, &tmp, path) {
            Outcome::Same => {}
            Outcome::ReferenceFailed => failures.push(format!("{}: mpy-cross rejected it", path.display())),
            Outcome::Differs(report) => failures.push(report),
        }
    }
    let _ = fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "{} of {} snippets differ from mpy-cross:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

/// Runs the same comparison over MicroPython's own `tests/basics` (in a copy of
/// MicroPython's source named by `MICROPY_SOURCE`; nothing of it is copied here) and
/// requires at least 95% of the files mpy-cross accepts to give identical bytecode.
/// The figure is recorded in `tests/COMPAT.md`.
#[test]
fn micropython_basics_suite_bytecode_matches_mpy_cross() {
    let (Some(mpy_cross), Some(source)) = (std::env::var_os("MPY_CROSS"), std::env::var_os("MICROPY_SOURCE")) else {
        eprintln!("MPY_CROSS or MICROPY_SOURCE is not set: skipping the comparison over MicroPython's tests/basics");
        return;
    };
    let dir = Path::new(&source).join("tests/basics");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    let tmp = temp_dir("mpy-basics");
    let (mut same, mut compared) = (0, 0);
    let mut differing = Vec::new();
    for path in &files {
        match compare_one(&mpy_cross, &tmp, path) {
            Outcome::ReferenceFailed => {}
            Outcome::Same => {
                same += 1;
                compared += 1;
            }
            Outcome::Differs(report) => {
                compared += 1;
                differing.push(report.lines().next().unwrap_or_default().to_string());
            }
        }
    }
    let _ = fs::remove_dir_all(&tmp);
    eprintln!("tests/basics: {same} of {compared} files give bytecode identical to mpy-cross");
    for d in &differing {
        eprintln!("  {d}");
    }
    assert!(same * 100 >= compared * 95, "only {same} of {compared} files match mpy-cross");
}
