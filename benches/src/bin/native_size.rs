//! Emitted code size against MicroPython: compiles every `tests/run/*.py`
//! with `-X emit=native`, and every `tests/native/*.py` (its
//! `@micropython.native`/`@micropython.viper` functions), by ferropy's emitter
//! and by MicroPython's `mpy-cross` (path in `MPY_CROSS`), for one
//! architecture (`x64`, `xtensa` or `xtensawin`; default `x64`), and compares
//! the machine code of each function (the bytes before its prelude), in total
//! and per function.
//!
//! `MPY_CROSS=<mpy-cross> cargo run --release -p ferropy-benches --bin native_size [ARCH]`

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use ferropy_bytecode::mpy::read_mpy_file_unverified;
use ferropy_bytecode::{CodeKind, RawCode};
use ferropy_frontend::{compile_bytes, CompileOptions, EmitterKind, InputKind, NativeEmitterFactory};

fn code_sizes(code: &RawCode, out: &mut Vec<usize>) {
    if matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
        out.push(code.prelude_offset);
    }
    for c in &code.children {
        code_sizes(c, out);
    }
}

fn main() {
    let Ok(mpy_cross) = std::env::var("MPY_CROSS") else {
        eprintln!("MPY_CROSS is not set (path to MicroPython's mpy-cross): nothing to compare");
        return;
    };
    let arch = std::env::args().nth(1).unwrap_or_else(|| "x64".into());
    let factory: Arc<dyn NativeEmitterFactory + Send + Sync> = match arch.as_str() {
        "x64" => Arc::new(ferropy_emit_native::Factory::<ferropy_emit_x64::X64Asm>::new()),
        "xtensa" => Arc::new(ferropy_emit_native::Factory::<ferropy_emit_xtensa::XtensaCall0Asm>::new()),
        "xtensawin" => Arc::new(ferropy_emit_native::Factory::<ferropy_emit_xtensa::XtensaWinAsm>::new()),
        other => {
            eprintln!("unknown architecture {other} (x64, xtensa, xtensawin)");
            return;
        }
    };
    for (dir, emitter) in [("tests/run", EmitterKind::Native), ("tests/native", EmitterKind::Bytecode)] {
        compare(&mpy_cross, &arch, dir, emitter, factory.clone());
    }
}

fn compare(
    mpy_cross: &str,
    arch: &str,
    dir: &str,
    emitter: EmitterKind,
    factory: Arc<dyn NativeEmitterFactory + Send + Sync>,
) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let options = CompileOptions { emitter, native: Some(factory), ..CompileOptions::default() };
    let tmp = std::env::temp_dir().join(format!("ferropy-size-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .expect("tests/run")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    let (mut ours_total, mut theirs_total, mut files, mut functions) = (0usize, 0usize, 0usize, 0usize);
    let (mut smaller, mut larger) = (0usize, 0usize);
    for path in &paths {
        let source = std::fs::read(path).expect("read");
        let Ok(module) = compile_bytes(&source, "t.py", InputKind::File, &options) else { continue };
        let out = tmp.join("t.mpy");
        let mut args = vec![format!("-march={arch}")];
        if emitter == EmitterKind::Native {
            args.extend(["-X".to_string(), "emit=native".to_string()]);
        }
        let ok = Command::new(mpy_cross)
            .args(&args)
            .arg("-o")
            .arg(&out)
            .arg(path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let Some(theirs) = ok.then(|| std::fs::read(&out).ok()).flatten() else { continue };
        let Ok(file) = read_mpy_file_unverified(&theirs) else { continue };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        code_sizes(&module.root, &mut a);
        code_sizes(&file.module.root, &mut b);
        if a.len() != b.len() {
            continue;
        }
        for (x, y) in a.iter().zip(&b) {
            if x < y {
                smaller += 1;
            } else if x > y {
                larger += 1;
            }
        }
        files += 1;
        functions += a.len();
        ours_total += a.iter().sum::<usize>();
        theirs_total += b.iter().sum::<usize>();
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!("{dir}: {files} programs, {functions} functions compiled natively for {arch} by both");
    println!(
        "machine code: ferropy {ours_total} bytes, mpy-cross {theirs_total} bytes ({:.2}x); per function: ferropy smaller in {smaller}, larger in {larger}",
        ours_total as f64 / theirs_total.max(1) as f64
    );
}
