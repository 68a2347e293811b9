//! Golden tests of the compiler: every snippet under `tests/compile/` is compiled and
//! disassembled and compared with the committed `.dis` listing; every snippet under
//! `tests/compile_errors/` must fail with the committed `.err` line
//! (`Kind line:col: message`).
//!
//! Set `FERROPY_BLESS=1` to (re)write the expected files after checking the change
//! (the listings were checked against MicroPython's `mpy-cross`: see
//! `tests/mpy_cross_compare.rs`).

use std::fs;
use std::path::Path;

use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

mod common;
use common::files_with_ext;

fn file_name(path: &Path) -> String {
    path.file_name().expect("file name").to_string_lossy().into_owned()
}

fn bless() -> bool {
    std::env::var_os("FERROPY_BLESS").is_some_and(|v| v == "1")
}

/// Compares `actual` with the file at `expected_path`, or writes it when blessing.
fn check(expected_path: &Path, actual: &str, failures: &mut Vec<String>) {
    if bless() {
        fs::write(expected_path, actual).expect("write expected file");
        return;
    }
    match fs::read_to_string(expected_path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{}: output differs\n--- expected\n{expected}\n--- actual\n{actual}",
            expected_path.display()
        )),
        Err(_) => failures.push(format!("{}: missing (run with FERROPY_BLESS=1)", expected_path.display())),
    }
}

#[test]
fn compile_corpus_matches_golden_disassembly() {
    let files = files_with_ext("tests/compile", "py");
    assert!(files.len() >= 150, "the corpus should hold at least 150 snippets, found {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let source = fs::read(path).expect("read snippet");
        let name = file_name(path);
        let module = match compile_bytes(&source, &name, InputKind::File, &CompileOptions::default()) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: unexpected compile error {}", e.display_with_file(&name)));
                continue;
            }
        };
        let mut listing = String::new();
        ferropy_bytecode::disasm::disassemble_module(&module, &mut listing).expect("disassemble");
        check(&path.with_extension("dis"), &listing, &mut failures);
    }
    assert!(failures.is_empty(), "{} of {} snippets failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn error_corpus_reports_errors_with_positions() {
    let files = files_with_ext("tests/compile_errors", "py");
    let mut failures = Vec::new();
    for path in &files {
        let source = fs::read(path).expect("read snippet");
        let name = file_name(path);
        let actual = match compile_bytes(&source, &name, InputKind::File, &CompileOptions::default()) {
            Ok(_) => "compiled without error\n".to_string(),
            Err(e) => {
                let lines = source.split(|&b| b == b'\n').count() as u32;
                if e.pos.line == 0 || e.pos.line > lines + 1 || e.pos.col == 0 {
                    failures.push(format!("{name}: position {}:{} outside the input", e.pos.line, e.pos.col));
                }
                format!("{} {}:{}: {}\n", e.kind.name(), e.pos.line, e.pos.col, e.msg)
            }
        };
        check(&path.with_extension("err"), &actual, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {} error snippets failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
