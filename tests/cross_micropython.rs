//! Interchange with the real MicroPython: `.mpy` files written by `ferropy-cross` must
//! run under MicroPython exactly as the source does.
//!
//! With `MICROPY_MICROPYTHON` naming a MicroPython unix-port binary, every snippet of
//! `tests/compile/` is run (i) as source and (ii) as `ferropy-cross -s NAME.py` output,
//! each time as `micropython -m NAME` with the `.py` or the `.mpy` alone in a temporary
//! directory (the current directory, and `MICROPYPATH`); the output (stdout then
//! stderr) and the exit status must be identical. Snippets whose source run does not finish within
//! the time limit are skipped. With `MPY_CROSS` naming mpy-cross, the total `.mpy` size
//! of both compilers over the corpus is printed, and ours may not be larger.
//! Without the variables the test says so and checks nothing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(10);

/// Runs `cmd`, killing it after the time limit (then `None`).
fn run_limited(cmd: &mut Command) -> Option<Output> {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let start = Instant::now();
    loop {
        match child.try_wait().expect("wait") {
            Some(_) => return Some(child.wait_with_output().expect("output")),
            None if start.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn cross_binary() -> &'static str {
    env!("CARGO_BIN_EXE_ferropy-cross")
}

/// Compiles `source` with ferropy-cross into `out`; panics with its stderr on failure.
fn ferropy_cross(source: &Path, name: &str, out: &Path) {
    let result = Command::new(cross_binary()).arg("-s").arg(name).arg("-o").arg(out).arg(source).output().expect("run");
    assert!(result.status.success(), "ferropy-cross {name}: {}", String::from_utf8_lossy(&result.stderr));
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferropy-cross-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Standard output followed by standard error, compared together as MicroPython's own
/// test runner merges them (the unix port prints a script's uncaught traceback on stdout
/// but a module's on stderr).
fn combined(output: &Output) -> Vec<u8> {
    [output.stdout.as_slice(), output.stderr.as_slice()].concat()
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn mpy_from_ferropy_cross_runs_like_the_source() {
    let Some(micropython) = std::env::var_os("MICROPY_MICROPYTHON") else {
        eprintln!("MICROPY_MICROPYTHON is not set: skipping the interchange test with MicroPython");
        return;
    };
    let snippets = common::files_with_ext("tests/compile", "py");
    let work = temp_dir("run");
    let (mut compared, mut skipped) = (0, Vec::new());
    let mut failures = Vec::new();
    for path in &snippets {
        let name = common::stem(path);
        let file_name = format!("{name}.py");
        // Both runs import the module the same way (`-m`, from a directory holding only it),
        // so that `__name__`, relative imports and traceback streams are alike.
        let source_dir = work.join("py").join(&name);
        fs::create_dir_all(&source_dir).expect("dir");
        fs::copy(path, source_dir.join(&file_name)).expect("copy snippet");
        let run_module = |dir: &Path| {
            run_limited(Command::new(&micropython).arg("-m").arg(&name).current_dir(dir).env("MICROPYPATH", dir))
        };
        let Some(expected) = run_module(&source_dir) else {
            skipped.push(name);
            continue;
        };
        let dir = work.join("mpy").join(&name);
        fs::create_dir_all(&dir).expect("dir");
        ferropy_cross(path, &file_name, &dir.join(format!("{name}.mpy")));
        let got =
            run_limited(Command::new(&micropython).arg("-m").arg(&name).current_dir(&dir).env("MICROPYPATH", &dir));
        compared += 1;
        match got {
            Some(got) if combined(&got) == combined(&expected) && got.status.code() == expected.status.code() => {}
            Some(got) => {
                failures.push(format!("{name}:\n=== source\n{}=== .mpy\n{}", describe(&expected), describe(&got)))
            }
            None => failures.push(format!("{name}: the .mpy run did not finish")),
        }
    }
    let _ = fs::remove_dir_all(&work);
    eprintln!(
        "{compared} snippets run as source and as ferropy-cross .mpy under MicroPython; skipped (source run too long): {skipped:?}"
    );
    assert!(compared > 100, "only {compared} snippets compared");
    assert!(failures.is_empty(), "{} of {compared} differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn mpy_sizes_against_mpy_cross() {
    let Some(mpy_cross) = std::env::var_os("MPY_CROSS") else {
        eprintln!("MPY_CROSS is not set: skipping the size comparison with mpy-cross");
        return;
    };
    let work = temp_dir("size");
    let (mut ours_total, mut theirs_total, mut files) = (0u64, 0u64, 0);
    let mut larger = Vec::new();
    for path in common::files_with_ext("tests/compile", "py") {
        let name = common::stem(&path);
        let file_name = format!("{name}.py");
        let (ours, theirs) = (work.join(format!("{name}.ours.mpy")), work.join(format!("{name}.theirs.mpy")));
        let status = Command::new(&mpy_cross)
            .arg("-s")
            .arg(&file_name)
            .arg("-o")
            .arg(&theirs)
            .arg(&path)
            .output()
            .expect("mpy-cross");
        if !status.status.success() {
            continue;
        }
        ferropy_cross(&path, &file_name, &ours);
        let (a, b) = (fs::metadata(&ours).expect("ours").len(), fs::metadata(&theirs).expect("theirs").len());
        if a > b {
            larger.push(format!("{name}: {a} > {b}"));
        }
        ours_total += a;
        theirs_total += b;
        files += 1;
    }
    let _ = fs::remove_dir_all(&work);
    eprintln!("{files} snippets: ferropy-cross {ours_total} bytes, mpy-cross {theirs_total} bytes");
    assert!(files > 100);
    assert!(ours_total <= theirs_total, "ferropy-cross output is larger in total; per file: {larger:?}");
}
