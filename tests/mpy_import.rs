//! `import` finds `.mpy` files on `sys.path` as MicroPython does: a `.py` file wins
//! over a `.mpy` of the same name, packages may have `__init__.mpy`, files from
//! MicroPython's `mpy-cross` and from ferropy both load, and bad files are refused
//! with MicroPython's messages before anything runs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ferropy::runtime::vm::OutputSink;
use ferropy::runtime::VmConfig;
use ferropy_bytecode::mpy::write_mpy;
use ferropy_frontend::{compile_source, CompileOptions, InputKind};

fn mpy_of(source: &str, name: &str) -> Vec<u8> {
    let module = compile_source(source, name, InputKind::File, &CompileOptions::default()).expect("compiles");
    let mut bytes = Vec::new();
    write_mpy(&module, &mut bytes);
    bytes
}

fn run_in(dir: &Path, main: &str) -> String {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let opts = ferropy::run::RunOptions {
        argv: vec!["main.py".into()],
        path: vec![dir.to_string_lossy().into_owned()],
        ..Default::default()
    };
    ferropy::run::run_source_with(main.as_bytes(), "main.py", VmConfig::default(), out, err, &opts);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    text
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferropy-mpy-import-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn mpy_modules_and_packages_import() {
    let dir = temp_dir("ok");
    std::fs::write(dir.join("fast.mpy"), mpy_of("def twice(x):\n    return 2 * x\nNAME = 'fast'\n", "fast.py"))
        .unwrap();
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("pkg/__init__.mpy"), mpy_of("print('pkg init')\nVALUE = 5\n", "pkg/__init__.py")).unwrap();
    std::fs::write(dir.join("both.py"), "WHO = 'source'\n").unwrap();
    std::fs::write(dir.join("both.mpy"), mpy_of("WHO = 'mpy'\n", "both.py")).unwrap();
    // A file made by MicroPython's own mpy-cross (a committed fixture).
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mpy_fixtures/def_args.mpy");
    std::fs::copy(fixture, dir.join("fromcross.mpy")).unwrap();
    let out = run_in(
        &dir,
        "import fast, pkg, both\nprint(fast.twice(21), fast.NAME, pkg.VALUE, both.WHO)\nimport fromcross\nprint(fromcross.f(1, 2, 3))\n",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out, "pkg init\n42 fast 5 source\n6\n6\n");
}

#[test]
fn bad_mpy_files_are_refused_before_running() {
    let dir = temp_dir("bad");
    let good = mpy_of("print('must not run')\n", "m.py");
    let mut wrong_version = good.clone();
    wrong_version[1] = 5;
    std::fs::write(dir.join("oldver.mpy"), &wrong_version).unwrap();
    // Native code without ferropy's mark (as MicroPython's mpy-cross writes it).
    let mut native = good.clone();
    native[2] = (2 << 2) | 3; // arch x64, sub-version 3
    std::fs::write(dir.join("native.mpy"), &native).unwrap();
    // Native code for another architecture.
    let mut arm = native_mpy("@micropython.native\ndef f():\n    print('must not run')\nf()\n");
    arm[2] = (arm[2] & !0x3C) | (5 << 2); // armv7m
    std::fs::write(dir.join("arm.mpy"), &arm).unwrap();
    let mut truncated = good.clone();
    truncated.truncate(good.len() - 3);
    std::fs::write(dir.join("cut.mpy"), &truncated).unwrap();
    let main = "for name in ('oldver', 'native', 'arm', 'cut'):\n    try:\n        __import__(name)\n    except ValueError as e:\n        print(name, e)\n";
    let out = run_in(&dir, main);
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(lines[0], "oldver incompatible .mpy file");
    assert_eq!(
        lines[1],
        "native native code in .mpy from another implementation (recompile the source with ferropy-cross)"
    );
    assert_eq!(lines[2], "arm incompatible .mpy arch");
    assert!(lines[3].starts_with("cut invalid .mpy file: "), "{out}");
    assert!(!out.contains("must not run"));
}

/// A `.mpy` with x86-64 machine code, as `ferropy-cross -march=x64` writes it.
fn native_mpy(source: &str) -> Vec<u8> {
    let ferropy::cross::args::Parsed::Compile(args) =
        ferropy::cross::args::parse(&["-march=x64".to_string(), "m.py".to_string()])
    else {
        panic!("arguments refused")
    };
    let module = ferropy::cross::compile_source(source.as_bytes(), "m.py", &args).expect("compiles");
    ferropy::cross::mpy_bytes(module, &args)
}

#[test]
fn native_and_viper_mpy_files_import_and_run() {
    if ferropy::native::host_support().is_none() {
        eprintln!("no native emitter for this host: skipped");
        return;
    }
    let dir = temp_dir("native");
    let source = "import micropython\n\n@micropython.native\ndef tri(n):\n    return sum(range(n + 1))\n\n\
                  @micropython.viper\ndef fill(buf, n: int) -> int:\n    p = ptr8(buf)\n    s = 0\n\
                  \x20   for i in range(n):\n        p[i] = i * 2\n        s += p[i]\n    return s\n\n\
                  def gen():\n    yield tri(3)\n";
    let bytes = native_mpy(source);
    // The header names x86-64 and carries ferropy's arch-flags mark.
    assert_eq!((bytes[2] >> 2) & 0x0F, ferropy_bytecode::mpy::arch::X64);
    assert_ne!(bytes[2] & 0x40, 0);
    std::fs::write(dir.join("fastmod.mpy"), &bytes).unwrap();
    let out = run_in(
        &dir,
        "import fastmod\nb = bytearray(4)\nprint(fastmod.tri(10), fastmod.fill(b, 4), list(b), list(fastmod.gen()))\n",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out, "55 12 [0, 2, 4, 6] [6]\n");
}

/// A `.mpy` read by an embedder and run through the public API (not `import`):
/// its viper code, marked native in the file, still gets its machine-word slots.
#[test]
fn viper_mpy_run_through_the_public_api() {
    if ferropy::native::host_support().is_none() {
        eprintln!("no native emitter for this host: skipped");
        return;
    }
    let source = "import micropython\n\n@micropython.viper\ndef fill(buf, n: int) -> int:\n    p = ptr8(buf)\n\
                  \x20   s = 0\n    t = 7\n    for i in range(n):\n        p[i] = i * 3\n        s += p[i] + t\n\
                  \x20   return s\n\nb = bytearray(5)\nprint(fill(b, 5), list(b))\n";
    let bytes = native_mpy(source);
    let module = ferropy_bytecode::mpy::read_mpy(&bytes).expect("reads back");
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let status = ferropy::run::run_compiled(&module, VmConfig::default(), out, err);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    assert_eq!((status, text.as_str()), (0, "65 [0, 3, 6, 9, 12]\n"));
}
