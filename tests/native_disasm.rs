//! Every function of the native/viper suite (`tests/native/*.py`) and of the
//! end-to-end programs compiled with `-X emit=native` disassembles as valid
//! x86-64 from its first to its last byte, and `native_listing` (`ferropy-cross --dis-native`) lists it.

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

/// The same corpus compiled for Xtensa (both ABIs): every byte of every
/// function is an instruction of the emitted subset, apart from the literal
/// pool and the padding after address-computing `call0`s, which the listing
/// names as such.
#[test]
fn xtensa_code_decodes_cleanly() {
    use ferropy::cross::arch::Arch;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for arch in [Arch::Xtensa, Arch::Xtensawin] {
        let factory = ferropy::cross::native_factory(arch).expect("xtensa emitter");
        for (dir, emitter) in [("tests/native", EmitterKind::Bytecode), ("tests/run", EmitterKind::Native)] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "py"))
                .collect();
            paths.sort();
            for path in paths {
                let source = std::fs::read(&path).expect("read");
                let options = CompileOptions { emitter, native: Some(factory.clone()), ..CompileOptions::default() };
                let module = compile_bytes(&source, "t.py", InputKind::File, &options).expect("compiles");
                let mut codes = Vec::new();
                machine_codes(&module.root, &mut codes);
                for code in &codes {
                    for line in ferropy_emit_xtensa::disasm::listing(code, 0) {
                        let pool_pad = line.offset == 3 && line.text == ".byte 0x00";
                        assert!(
                            !line.text.starts_with(".byte") || pool_pad,
                            "{} ({arch:?}): undecodable byte at {}",
                            path.display(),
                            line.offset
                        );
                    }
                    checked += 1;
                }
                if !codes.is_empty() {
                    let listing = ferropy::cross::listing::native_listing_for(&module, arch);
                    assert!(listing.contains(&format!(", {}): ", arch.name())), "{}", path.display());
                }
            }
        }
    }
    assert!(checked > 600, "only {checked} functions checked");
}

#[test]
fn dis_native_takes_an_architecture() {
    let cross = env!("CARGO_BIN_EXE_ferropy-cross");
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native/viper_bubble_sort.py");
    for (arch, needle) in [("xtensa", "(viper, xtensa)"), ("xtensawin", "entry a1,"), ("x64", "(viper, x86-64)")] {
        let out =
            std::process::Command::new(cross).arg("--dis-native").arg(format!("-march={arch}")).arg(&file).output();
        let out = out.expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains(needle), "{arch}: {text}");
    }
    let out = std::process::Command::new(cross).args(["--dis-native", "-march=rv32imc"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no native emitter for 'rv32imc'"), "{err}");
    // The host command runs code for its own architecture only.
    let bin = env!("CARGO_BIN_EXE_ferropy");
    let out = std::process::Command::new(bin).args(["-march=xtensa"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-march= is an option of ferropy-cross"));
    // Listings are ferropy-cross's (the command carries no disassembler).
    let out = std::process::Command::new(bin).args(["--dis-native"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dis-native is an option of ferropy-cross"));
}
