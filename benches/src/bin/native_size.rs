//! Emitted code size against MicroPython: compiles every `.py` file of a
//! directory by ferropy's emitter and by MicroPython's `mpy-cross` (path in
//! `MPY_CROSS`) for one architecture, and compares the machine code of each
//! function (the bytes before its prelude), in total and per function.
//!
//! `MPY_CROSS=<mpy-cross> cargo run --release -p ferropy-benches --bin native_size [-- ARCH [DIR]]`
//!
//! `ARCH` is `x64` (default), `armv6m`, `armv7m`, `armv7em`, `armv7emsp`,
//! `armv7emdp`, `xtensa` or `xtensawin`; `DIR` defaults to `tests/run`, compiled with `-X emit=native`
//! (any other directory is compiled as written, so only its
//! `@micropython.native`/`@micropython.viper` functions are machine code).
//! `VERBOSE=1` prints the sizes per file; `DUMP=<dir>` writes each function's machine code
//! there (`<file>.<n>.ours.bin`, `<file>.<n>.theirs.bin`) for disassembly.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use ferropy_bytecode::mpy::read_mpy_file_unverified;
use ferropy_bytecode::{CodeKind, RawCode};
use ferropy_emit_native::Factory;
use ferropy_emit_thumb as thumb;
use ferropy_frontend::{compile_bytes, CompileOptions, EmitterKind, InputKind, NativeEmitterFactory};

fn code_sizes(code: &RawCode, out: &mut Vec<usize>) {
    if matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
        out.push(code.prelude_offset);
    }
    for c in &code.children {
        code_sizes(c, out);
    }
}

/// The machine code of each native/viper function, in the order of [`code_sizes`]
/// (`whole`: all of the code, as MicroPython's viper code has no prelude).
fn machine_codes(code: &RawCode, whole_viper: bool, out: &mut Vec<Vec<u8>>) {
    let end = match code.kind {
        CodeKind::Native => Some(code.prelude_offset),
        CodeKind::Viper if whole_viper => Some(code.code.len()),
        CodeKind::Viper => Some(code.prelude_offset),
        _ => None,
    };
    if let Some(end) = end {
        out.push(code.code.get(..end).unwrap_or(&[]).to_vec());
    }
    for c in &code.children {
        machine_codes(c, whole_viper, out);
    }
}

/// MicroPython's viper code has no prelude: its size is the whole code.
fn their_sizes(code: &RawCode, out: &mut Vec<usize>) {
    match code.kind {
        CodeKind::Native => out.push(code.prelude_offset),
        CodeKind::Viper => out.push(code.code.len()),
        _ => {}
    }
    for c in &code.children {
        their_sizes(c, out);
    }
}

fn factory(arch: &str) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
    Some(match arch {
        "x64" => Arc::new(Factory::<ferropy_emit_x64::X64Asm>::new()),
        "armv6m" => Arc::new(Factory::<thumb::Armv6mAsm>::new()),
        "armv7m" => Arc::new(Factory::<thumb::Armv7mAsm>::new()),
        "armv7em" => Arc::new(Factory::<thumb::Armv7emAsm>::new()),
        "armv7emsp" => Arc::new(Factory::<thumb::Armv7emspAsm>::new()),
        "armv7emdp" => Arc::new(Factory::<thumb::Armv7emdpAsm>::new()),
        "xtensa" => Arc::new(Factory::<ferropy_emit_xtensa::XtensaCall0Asm>::new()),
        "xtensawin" => Arc::new(Factory::<ferropy_emit_xtensa::XtensaWinAsm>::new()),
        _ => return None,
    })
}

fn main() {
    let Ok(mpy_cross) = std::env::var("MPY_CROSS") else {
        eprintln!("MPY_CROSS is not set (path to MicroPython's mpy-cross): nothing to compare");
        return;
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arch = args.first().map_or("x64", String::as_str);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = args.get(1).map_or_else(|| root.join("tests/run"), PathBuf::from);
    let all_native = args.get(1).is_none();
    let Some(factory) = factory(arch) else {
        eprintln!("unknown arch {arch} (x64, armv6m, armv7m, armv7em, armv7emsp, armv7emdp, xtensa, xtensawin)");
        std::process::exit(2);
    };
    let emitter = if all_native { EmitterKind::Native } else { EmitterKind::Bytecode };
    let options = CompileOptions { emitter, native: Some(factory), ..CompileOptions::default() };
    let tmp = std::env::temp_dir().join(format!("ferropy-size-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    let (mut ours_total, mut theirs_total, mut files, mut functions) = (0usize, 0usize, 0usize, 0usize);
    let (mut smaller, mut larger) = (0usize, 0usize);
    // Sum of ln(ours / theirs) over the functions both compiled, for the geometric mean.
    let (mut log_ratio_sum, mut ratios) = (0.0f64, 0usize);
    let verbose = std::env::var_os("VERBOSE").is_some();
    // `DUMP=<dir>`: each function's machine code as `<file>.<n>.ours.bin` / `.theirs.bin`.
    let dump = std::env::var_os("DUMP").map(PathBuf::from);
    for path in &paths {
        let source = std::fs::read(path).expect("read");
        let Ok(module) = compile_bytes(&source, "t.py", InputKind::File, &options) else { continue };
        let out = tmp.join("t.mpy");
        let mut cmd = Command::new(&mpy_cross);
        cmd.arg(format!("-march={arch}"));
        if all_native {
            cmd.args(["-X", "emit=native"]);
        }
        let ok =
            cmd.arg("-o").arg(&out).arg(path).stderr(std::process::Stdio::null()).status().is_ok_and(|s| s.success());
        let Some(theirs) = ok.then(|| std::fs::read(&out).ok()).flatten() else { continue };
        let Ok(file) = read_mpy_file_unverified(&theirs) else { continue };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        code_sizes(&module.root, &mut a);
        their_sizes(&file.module.root, &mut b);
        if a.len() != b.len() || a.is_empty() {
            continue;
        }
        for (x, y) in a.iter().zip(&b) {
            if *x > 0 && *y > 0 {
                log_ratio_sum += (*x as f64 / *y as f64).ln();
                ratios += 1;
            }
            if x < y {
                smaller += 1;
            } else if x > y {
                larger += 1;
            }
        }
        if let Some(d) = &dump {
            let stem = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let (mut ours, mut their) = (Vec::new(), Vec::new());
            machine_codes(&module.root, false, &mut ours);
            machine_codes(&file.module.root, true, &mut their);
            for (n, (o, t)) in ours.iter().zip(&their).enumerate() {
                let _ = std::fs::write(d.join(format!("{stem}.{n}.ours.bin")), o);
                let _ = std::fs::write(d.join(format!("{stem}.{n}.theirs.bin")), t);
            }
        }
        if verbose {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            println!("{name}: ferropy {a:?} mpy-cross {b:?}");
        }
        files += 1;
        functions += a.len();
        ours_total += a.iter().sum::<usize>();
        theirs_total += b.iter().sum::<usize>();
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!("{files} programs, {functions} functions compiled for {arch} by both ({})", dir.display());
    let geomean = if ratios > 0 { (log_ratio_sum / ratios as f64).exp() } else { 0.0 };
    println!(
        "machine code: ferropy {ours_total} bytes, mpy-cross {theirs_total} bytes ({:.2}x); per function: ferropy smaller in {smaller}, larger in {larger}, geometric mean of the ratios {geomean:.3}x",
        ours_total as f64 / theirs_total.max(1) as f64
    );
}
