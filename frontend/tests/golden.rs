//! Golden bytecode tests: each `tests/golden/NAME.py` is compiled and its
//! disassembly compared with `tests/golden/NAME.txt`.
//!
//! Every snippet was checked to give the same bytecode as MicroPython's
//! `mpy-cross` (opcodes, operands, preludes and line tables, modulo the order of
//! the qstr/constant tables) before its listing was committed. Set
//! `UPDATE_GOLDEN=1` to rewrite the listings after such a check.

use std::fs;
use std::path::Path;

use ferropy_frontend::{compile_source, CompileOptions, InputKind};

fn listing(src: &str, name: &str) -> String {
    let m = compile_source(src, name, InputKind::File, &CompileOptions::default()).expect("compiles");
    let mut out = String::new();
    ferropy_bytecode::disasm::disassemble_module(&m, &mut out).expect("disassembles");
    out
}

#[test]
fn golden_listings_match() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut checked = 0;
    let mut entries: Vec<_> =
        fs::read_dir(&dir).expect("golden dir").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("py") {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let src = fs::read_to_string(&path).expect("read snippet");
        let got = listing(&src, &name);
        let expected_path = path.with_extension("txt");
        if update {
            fs::write(&expected_path, &got).expect("write listing");
        } else {
            let expected = fs::read_to_string(&expected_path).expect("expected listing");
            assert_eq!(got, expected, "listing of {name} changed");
        }
        checked += 1;
    }
    assert!(checked >= 5);
}
