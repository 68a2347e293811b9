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

use std::path::{Path, PathBuf};

use ferropy_benches::isa::{code_sizes, factory, machine_codes, mpy_cross_module, their_sizes, ALL_ARCHES};
use ferropy_frontend::{compile_bytes, CompileOptions, EmitterKind, InputKind};

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
        eprintln!("unknown arch {arch} ({})", ALL_ARCHES.join(", "));
        std::process::exit(2);
    };
    let emitter = if all_native { EmitterKind::Native } else { EmitterKind::Bytecode };
    let options = CompileOptions { emitter, native: Some(factory), ..CompileOptions::default() };
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
        let extra: &[&str] = if all_native { &["-X", "emit=native"] } else { &[] };
        let Some(theirs) = mpy_cross_module(Path::new(&mpy_cross), path, arch, extra) else { continue };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        code_sizes(&module.root, &mut a);
        their_sizes(&theirs.root, &mut b);
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
            machine_codes(&theirs.root, true, &mut their);
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
    println!("{files} programs, {functions} functions compiled for {arch} by both ({})", dir.display());
    let geomean = if ratios > 0 { (log_ratio_sum / ratios as f64).exp() } else { 0.0 };
    println!(
        "machine code: ferropy {ours_total} bytes, mpy-cross {theirs_total} bytes ({:.2}x); per function: ferropy smaller in {smaller}, larger in {larger}, geometric mean of the ratios {geomean:.3}x",
        ours_total as f64 / theirs_total.max(1) as f64
    );
}
