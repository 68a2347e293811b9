//! The Thumb backend through the facade: every function of the native/viper
//! suite (`tests/native/*.py`) and of the end-to-end programs compiled with
//! `-X emit=native` compiles for ARMv6-M, ARMv7-M and ARMv7E-M (ARMv7-M code
//! disassembles cleanly with capstone), `ferropy-cross --dis-native -march=...`
//! lists it, and `ferropy-cross -march=... -X emit=native|viper` writes `.mpy`
//! files holding it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ferropy::cross::arch::Arch;
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

fn compile(source: &[u8], emitter: EmitterKind, arch: Arch) -> Result<CompiledModule, String> {
    let options = CompileOptions { emitter, native: ferropy::cross::native_factory(arch), ..CompileOptions::default() };
    compile_bytes(source, "t.py", InputKind::File, &options).map_err(|e| format!("{e:?}"))
}

fn corpus() -> Vec<(PathBuf, EmitterKind)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (dir, emitter) in [("tests/native", EmitterKind::Bytecode), ("tests/run", EmitterKind::Native)] {
        let mut paths: Vec<_> = fs::read_dir(root.join(dir))
            .expect("dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "py"))
            .collect();
        paths.sort();
        out.extend(paths.into_iter().map(|p| (p, emitter)));
    }
    out
}

#[test]
fn the_corpus_compiles_for_every_thumb_arch() {
    let mut functions = 0;
    for (path, emitter) in corpus() {
        let source = fs::read(&path).expect("read");
        // Programs the x86-64 emitter refuses (compile errors are part of some
        // tests) must be refused alike.
        let x64 = compile(&source, emitter, Arch::X64);
        for arch in [Arch::Armv6m, Arch::Armv7m, Arch::Armv7em] {
            let thumb = compile(&source, emitter, arch);
            let (x64, thumb) = match (&x64, thumb) {
                (Ok(x), Ok(t)) => (x, t),
                (Err(a), Err(b)) => {
                    assert_eq!(a, &b, "{} {arch:?}", path.display());
                    continue;
                }
                (x, t) => panic!("{} {arch:?}: x64 {:?}, thumb {:?}", path.display(), x.is_ok(), t.err()),
            };
            let (mut a, mut b) = (Vec::new(), Vec::new());
            machine_codes(&x64.root, &mut a);
            machine_codes(&thumb.root, &mut b);
            assert_eq!(a.len(), b.len(), "{}", path.display());
            for code in &b {
                assert!(!code.is_empty() && code.len() % 2 == 0, "{}", path.display());
                if arch != Arch::Armv6m {
                    // No literal pools outside ARMv6-M: every byte is an instruction.
                    let listing = ferropy_emit_thumb::disasm::listing(code);
                    assert!(!listing.contains(".short"), "{} {arch:?}\n{listing}", path.display());
                }
            }
            functions += b.len();
        }
    }
    assert!(functions > 300, "{functions}");
}

#[test]
fn armv7em_and_its_fpu_variants_share_armv7m_integer_code() {
    let source =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native/viper_bubble_sort.py")).expect("read");
    let code = |arch| {
        let m = compile(&source, EmitterKind::Bytecode, arch).expect("compiles");
        let mut v = Vec::new();
        machine_codes(&m.root, &mut v);
        v.into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>()
    };
    let base = code(Arch::Armv7m);
    assert!(!base.is_empty());
    for arch in [Arch::Armv7em, Arch::Armv7emsp, Arch::Armv7emdp] {
        assert_eq!(code(arch), base, "{arch:?}");
    }
    assert_ne!(code(Arch::Armv6m), base);
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferropy-thumb-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const KERNEL: &str = "
@micropython.viper
def total(buf: ptr8, n: int) -> int:
    s = 0
    for i in range(n):
        s += buf[i]
    return s

def plain(x):
    return x
";

#[test]
fn dis_native_lists_thumb_code() {
    let dir = temp_dir("dis");
    let file = dir.join("k.py");
    fs::write(&file, KERNEL).unwrap();
    for (name, first) in [
        ("armv7m", "push.w {r3, r4, r5, r6, r7, r8, sb, sl, fp, lr}"),
        ("armv6m", "push {r3, r4, r5, r6, r7, lr}"),
        ("armv7emdp", "push.w"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_ferropy-cross"))
            .args(["--dis-native", &format!("-march={name}")])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(&format!("total (viper, {name}): ")), "{text}");
        let second = text.lines().nth(1).unwrap_or("");
        assert!(second.starts_with("0000  ") && second.contains(first), "{text}");
        assert!(text.contains("blx"), "{text}");
        // Only the viper function is native.
        assert!(!text.contains("plain"), "{text}");
    }
    // With -X emit=native every function is listed.
    let out = Command::new(env!("CARGO_BIN_EXE_ferropy-cross"))
        .args(["--dis-native", "-march=armv7em", "-X", "emit=native"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("plain (native, armv7em): "), "{text}");
}

#[test]
fn march_errors_are_clear() {
    let dir = temp_dir("errors");
    let file = dir.join("k.py");
    fs::write(&file, KERNEL).unwrap();
    let cross =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_ferropy-cross")).args(args).arg(&file).output().unwrap();
    let out = cross(&["--dis-native", "-march=z80"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("usage:"), "{out:?}");
    let out = cross(&["--dis-native", "-march=rv32imc"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no native emitter for 'rv32imc'"));
    // The host command compiles for its own architecture only.
    let out = Command::new(env!("CARGO_BIN_EXE_ferropy")).args(["-march=armv7m"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-march= is an option of ferropy-cross"));
}

#[test]
fn ferropy_cross_writes_thumb_mpy_files() {
    let dir = temp_dir("cross");
    let file = dir.join("k.py");
    fs::write(&file, KERNEL).unwrap();
    for (name, arch) in [
        ("armv6m", Arch::Armv6m),
        ("armv7m", Arch::Armv7m),
        ("armv7em", Arch::Armv7em),
        ("armv7emsp", Arch::Armv7emsp),
        ("armv7emdp", Arch::Armv7emdp),
    ] {
        for (emit, kind) in [("native", EmitterKind::Native), ("viper", EmitterKind::Viper)] {
            let out_path = dir.join(format!("k-{name}-{emit}.mpy"));
            let out = Command::new(env!("CARGO_BIN_EXE_ferropy-cross"))
                .args([&format!("-march={name}"), "-X", &format!("emit={emit}"), "-o"])
                .arg(&out_path)
                .arg(&file)
                .output()
                .unwrap();
            assert!(out.status.success(), "{name} {emit}: {}", String::from_utf8_lossy(&out.stderr));
            let bytes = fs::read(&out_path).unwrap();
            let mpy = ferropy_bytecode::mpy::read_mpy_file_unverified(&bytes).expect("reads back");
            assert_eq!(mpy.header.arch, arch.mpy_code(), "{name}");
            assert_eq!(mpy.header.arch_flags, Some(ferropy_bytecode::native_abi::MPY_ARCH_FLAGS));
            // The machine code is what the emitter produces for that arch.
            let direct = compile(KERNEL.as_bytes(), kind, arch).expect("compiles");
            let (mut a, mut b) = (Vec::new(), Vec::new());
            machine_codes(&mpy.module.root, &mut a);
            machine_codes(&direct.root, &mut b);
            assert_eq!(a.len(), 3, "{name} {emit}: module, total, plain");
            assert_eq!(a, b, "{name} {emit}");
        }
    }
    // A target triple picks the Thumb arch too.
    let out_path = dir.join("k-triple.mpy");
    let out = Command::new(env!("CARGO_BIN_EXE_ferropy-cross"))
        .args(["-march=thumbv7em-none-eabihf", "-X", "emit=native", "-o"])
        .arg(&out_path)
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mpy = ferropy_bytecode::mpy::read_mpy_file_unverified(&fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(mpy.header.arch, Arch::Armv7emsp.mpy_code());
}
