//! End-to-end tests: every `tests/run/NAME.py` is run through the library API
//! in five configurations (default arena, GC stress on a small arena, HostGc,
//! and every function compiled by the native emitter, `-X emit=native`, plain
//! and under GC stress) and its stdout + stderr must equal `tests/run/NAME.exp`
//! exactly (generated with MicroPython's unix port, `micropython NAME.py >
//! NAME.exp 2>&1`).

use std::sync::{Arc, Mutex};

use ferropy::runtime::gc::HostGcConfig;
use ferropy::runtime::vm::{HeapChoice, OutputSink};
use ferropy::runtime::VmConfig;
use ferropy_frontend::EmitterKind;

fn run(path: &std::path::Path, config: VmConfig, emitter: Option<EmitterKind>) -> String {
    let source = std::fs::read(path).expect("read test program");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("t.py").to_string();
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    // `sys.path[0]` is the script's directory, as the unix port sets it (for `import`).
    let dir = path.parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    // The frozen modules (asyncio, functools) are importable, as in the `ferropy` command.
    let config = VmConfig { frozen: ferropy::FROZEN, ..config };
    let path = vec![dir, ".frozen".to_string()];
    let opts = ferropy::run::RunOptions { argv: vec![name.clone()], path, emitter, ..Default::default() };
    ferropy::run::run_source_with(&source, &name, config, out, err, &opts);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    text
}

/// The files of repository folder `dir` ending in `.ext`, sorted.
fn files_in(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths
}

fn configs() -> Vec<(&'static str, VmConfig, Option<EmitterKind>)> {
    let stress = || VmConfig { heap: HeapChoice::Arena(64 * 1024), gc_stress: true, ..VmConfig::default() };
    let host = VmConfig { heap: HeapChoice::Host(HostGcConfig::default()), ..VmConfig::default() };
    let mut list = vec![("default", VmConfig::default(), None), ("gc-stress", stress(), None), ("host", host, None)];
    if ferropy::native::host_support().is_some() {
        let native = Some(EmitterKind::Native);
        list.push(("native", VmConfig::default(), native));
        list.push(("native-gc-stress", stress(), native));
    }
    list
}

#[test]
fn run_programs() {
    let paths = files_in("tests/run", "py");
    assert!(!paths.is_empty());
    let mut failures = Vec::new();
    for path in &paths {
        let expected = std::fs::read_to_string(path.with_extension("exp")).unwrap_or_default();
        for (label, config, emitter) in configs() {
            // GC stress is slow: skip programs marked as heavy.
            if label.contains("gc-stress") && path.to_string_lossy().contains("heavy") {
                continue;
            }
            // What only the interpreter does (e.g. slices without heap, which
            // native code allocates, as MicroPython's native code does).
            if label.starts_with("native") && path.to_string_lossy().contains("bytecode_only") {
                continue;
            }
            let got = run(path, config, emitter);
            if got != expected {
                failures.push(format!(
                    "{} [{label}]\n--- expected\n{expected}--- got\n{got}",
                    path.file_name().and_then(|n| n.to_str()).unwrap_or("?")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

/// The golden compiler snippets are programs too: each one MicroPython runs without
/// error has its output recorded next to its mpy-cross fixture
/// (`tests/mpy_fixtures/NAME.exp`). Run every such snippet from source in the same
/// three configurations (including GC stress) and compare.
#[test]
fn golden_snippets_run_like_micropython() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected_files = files_in("tests/mpy_fixtures", "exp");
    assert!(expected_files.len() >= 150, "only {} snippets with expected output", expected_files.len());
    let mut failures = Vec::new();
    for exp_path in &expected_files {
        let stem = exp_path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let program = root.join("tests/compile").join(format!("{stem}.py"));
        let expected = std::fs::read_to_string(exp_path).unwrap_or_default();
        for (label, config, emitter) in configs() {
            let got = run(&program, config, emitter);
            if got != expected {
                failures.push(format!("{stem}.py [{label}]\n--- expected\n{expected}--- got\n{got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}

/// The native/viper suite: every `tests/native/NAME.py` (functions under
/// `@micropython.native`/`@micropython.viper`) must print `NAME.exp` with the
/// host's emitters, with the default heap, under GC stress and on HostGc.
/// The same folder is meant to run unchanged on every backend.
#[test]
fn native_programs() {
    if ferropy::native::host_support().is_none() {
        eprintln!("no native emitter for this host: tests/native skipped");
        return;
    }
    let paths = files_in("tests/native", "py");
    assert!(paths.len() >= 60, "only {} native tests", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let expected = std::fs::read_to_string(path.with_extension("exp")).unwrap_or_default();
        for (label, config, _) in configs().into_iter().filter(|(l, _, _)| !l.starts_with("native")) {
            let got = run(path, config, None);
            if got != expected {
                failures.push(format!(
                    "{} [{label}]\n--- expected\n{expected}--- got\n{got}",
                    path.file_name().and_then(|n| n.to_str()).unwrap_or("?")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}
