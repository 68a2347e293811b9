//! `.mpy` files made by MicroPython's `mpy-cross` from this repository's snippets
//! (`tests/mpy_fixtures/`, see its README) must load in ferropy: they read and verify,
//! write back byte for byte, and disassemble like ferropy's own compilation of the same
//! source (table order aside). Running them, and comparing with `NAME.exp`, needs the VM.

mod common;

use std::fs;

use ferropy_bytecode::mpy::{read_mpy, read_mpy_file, write_mpy, write_mpy_file};
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

#[test]
fn fixtures_load_round_trip_and_match_our_compiler() {
    let files = common::files_with_ext("tests/mpy_fixtures", "mpy");
    assert!(files.len() > 100, "expected the generated fixtures, found {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = common::stem(path);
        let bytes = fs::read(path).expect("read .mpy");
        let file = match read_mpy_file(&bytes) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: read_mpy_file: {e}"));
                continue;
            }
        };
        let mut again = Vec::new();
        write_mpy_file(&file, &mut again);
        if again != bytes {
            failures.push(format!("{name}: write_mpy_file(read_mpy_file(x)) != x"));
        }
        let module = read_mpy(&bytes).expect("read_mpy after read_mpy_file");
        let mut plain = Vec::new();
        write_mpy(&module, &mut plain);
        if plain != bytes {
            failures.push(format!("{name}: write_mpy(read_mpy(x)) != x"));
        }
        assert!(path.with_extension("exp").exists(), "{name}: missing .exp");
        // The fixture's source is the golden snippet of the same name.
        let source = fs::read(snippet_source(path)).expect("read the snippet in tests/compile");
        let ours = match compile_bytes(&source, &format!("{name}.py"), InputKind::File, &CompileOptions::default()) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: ferropy cannot compile it: {e}"));
                continue;
            }
        };
        let (theirs, mine) = (common::listing(&module), common::listing(&ours));
        if theirs != mine {
            let first = theirs.lines().zip(mine.lines()).position(|(a, b)| a != b).unwrap_or(0);
            failures.push(format!(
                "{name}: disassembly differs at line {first}:\n  mpy-cross: {}\n  ferropy:   {}",
                theirs.lines().nth(first).unwrap_or(""),
                mine.lines().nth(first).unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures fail:\n{}", failures.len(), files.len(), failures.join("\n"));
}

/// The source a fixture was compiled from: `tests/compile/NAME.py`.
fn snippet_source(fixture: &std::path::Path) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile").join(format!("{}.py", common::stem(fixture)))
}

/// Every `.mpy` made by MicroPython's mpy-cross runs in ferropy's VM and prints
/// exactly what MicroPython printed running the source (`NAME.exp`).
#[test]
fn mpy_cross_fixtures_run_like_micropython() {
    use std::sync::{Arc, Mutex};

    use ferropy::runtime::vm::OutputSink;
    use ferropy::runtime::VmConfig;

    let files = common::files_with_ext("tests/mpy_fixtures", "mpy");
    let mut failures = Vec::new();
    for path in &files {
        let name = common::stem(path);
        let module = read_mpy(&fs::read(path).expect("read .mpy")).expect("fixture loads");
        let expected = fs::read_to_string(path.with_extension("exp")).expect("read .exp");
        let buf = Arc::new(Mutex::new(Vec::new()));
        let (b1, b2) = (buf.clone(), buf.clone());
        let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
        let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
        let status = ferropy::run::run_compiled(&module, VmConfig::default(), out, err);
        let got = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
        if got != expected || status != 0 {
            failures.push(format!("{name} (exit {status})\n--- expected\n{expected}--- got\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures run differently:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
