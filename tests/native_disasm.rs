//! Every function of the native/viper suite (`tests/native/*.py`) and of the
//! end-to-end programs compiled with `-X emit=native` disassembles as valid
//! x86-64 from its first to its last byte, and `--dis-native` lists it.

use ferropy_bytecode::{CodeKind, CompiledModule, RawCode};
use ferropy_frontend::{compile_bytes, CompileOptions, EmitterKind, InputKind};

fn machine_codes<'a>(code: &'a RawCode, out: &mut Vec<&'a [u8]>) {
    if matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
        out.push(code.code.get(..code.prelude_offset).unwrap_or(&[]));
    }
    for child in &code.children {
        machine_codes(child, out);
    }
}

fn compile(path: &std::path::Path, emitter: EmitterKind) -> CompiledModule {
    let source = std::fs::read(path).expect("read");
    let options = CompileOptions { emitter, native: ferropy::native::host_emitters(), ..CompileOptions::default() };
    compile_bytes(&source, "t.py", InputKind::File, &options).expect("compiles")
}

#[test]
fn emitted_code_disassembles_cleanly() {
    if ferropy::native::host_support().is_none() {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for (dir, emitter) in [("tests/native", EmitterKind::Bytecode), ("tests/run", EmitterKind::Native)] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "py"))
            .collect();
        paths.sort();
        for path in paths {
            let module = compile(&path, emitter);
            let mut codes = Vec::new();
            machine_codes(&module.root, &mut codes);
            let any = !codes.is_empty();
            for code in codes {
                let bad = ferropy_emit_x64::disasm::invalid_offsets(code);
                assert!(bad.is_empty(), "{}: invalid instructions at {bad:?}", path.display());
                assert!(!code.is_empty());
                checked += 1;
            }
            if any {
                let listing = ferropy::native::native_listing(&module);
                assert!(
                    listing.contains("(native, x86-64)") || listing.contains("(viper, x86-64)"),
                    "{}",
                    path.display()
                );
            }
        }
    }
    assert!(checked > 300, "only {checked} functions checked");
}
