//! The `ferropy-cross` command as a user sees it: files written, exit statuses and
//! messages like mpy-cross's.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn cross() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ferropy-cross"))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferropy-cross-cli-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run ferropy-cross")
}

#[test]
fn compiles_next_to_the_input_with_the_path_as_source_name() {
    let dir = temp_dir("default");
    fs::write(dir.join("hello.py"), "print('hi')\n").unwrap();
    let out = run(cross().arg("hello.py").current_dir(&dir));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let bytes = fs::read(dir.join("hello.mpy")).unwrap();
    let module = ferropy_bytecode::mpy::read_mpy(&bytes).unwrap();
    assert_eq!(module.qstrs[0], "hello.py");
    assert_eq!(&bytes[..4], b"M\x06\x00\x1f");
    // Only the output is left behind (no temporary file).
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_source_name_and_header_options() {
    let dir = temp_dir("options");
    fs::write(dir.join("m.py"), "assert x\nprint(__debug__)\n").unwrap();
    let out = run(cross()
        .args(["-o", "out/m.mpy", "-s", "lib\\m.py", "-O1", "-msmall-int-bits=63", "-X", "no-source-lines", "-v"])
        .arg("m.py")
        .current_dir(&dir));
    // The output directory does not exist: an OSError naming the file, like mpy-cross.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "OSError: (2, \"can't open out/m.mpy\")\n");
    fs::create_dir(dir.join("out")).unwrap();
    let out = run(cross()
        .args(["-o", "out/m.mpy", "-s", "lib\\m.py", "-O1", "-msmall-int-bits=63", "-X", "no-source-lines"])
        .arg("m.py")
        .current_dir(&dir));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = fs::read(dir.join("out/m.mpy")).unwrap();
    assert_eq!(bytes[3], 63);
    let module = ferropy_bytecode::mpy::read_mpy(&bytes).unwrap();
    assert_eq!(module.qstrs[0], "lib/m.py");
    // -O1 drops the assert: `x` is never loaded.
    assert!(!module.qstrs.iter().any(|q| q == "x"), "{:?}", module.qstrs);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stdin_to_stdout() {
    let mut child = cross().arg("-").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"x = 1\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let module = ferropy_bytecode::mpy::read_mpy(&out.stdout).unwrap();
    assert_eq!(module.qstrs[0], "<stdin>");
}

#[test]
fn errors_like_mpy_cross() {
    let dir = temp_dir("errors");
    fs::write(dir.join("bad.py"), "def f():\n    x = 1\n    global x\n").unwrap();
    fs::write(dir.join("syntax.py"), "x = (\n").unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["bad.py"], "Traceback (most recent call last):\n  File \"bad.py\", line 3, in f\nSyntaxError: identifier redefined as global\n"),
        (&["syntax.py"], "Traceback (most recent call last):\n  File \"syntax.py\", line 2\nSyntaxError: invalid syntax\n"),
        (&[], "no input file\n"),
        (&["a.py", "b.py"], "multiple input files\n"),
        (&["-X", "emit=viper", "bad.py"], "arch not specified\n"),
        (&["missing.py"], "OSError: (2, \"can't open missing.py\")\n"),
    ];
    for (args, stderr) in cases {
        let out = run(cross().args(args).current_dir(&dir));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(text(&out.stderr), stderr, "{args:?}");
    }
    // No output file is left by a failed compilation.
    assert!(!dir.join("bad.mpy").exists());
    // Unknown options print the usage text on stdout.
    for args in [&["-Q", "bad.py"][..], &["-X", "nonsense", "bad.py"], &["-march=z80", "bad.py"], &["-h"]] {
        let out = run(cross().args(args).current_dir(&dir));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stdout).starts_with("usage: "), "{args:?}");
    }
    // A known arch without a native emitter in ferropy: named in the error.
    let out =
        run(cross().args(["-march=riscv32imc-unknown-none-elf", "-X", "emit=native", "bad.py"]).current_dir(&dir));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("'rv32imc'"), "{}", text(&out.stderr));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn version_banner() {
    let out = run(cross().arg("--version"));
    assert!(out.status.success());
    assert!(text(&out.stdout).ends_with("mpy-cross emitting mpy v6.3\n"));
}

#[test]
fn xtensa_native_code_in_mpy_files() {
    let dir = temp_dir("xtensa");
    fs::write(dir.join("v.py"), "import micropython\n@micropython.viper\ndef f(x: int) -> int:\n    return x * 3\n")
        .unwrap();
    for (arch, code) in
        [("xtensa", ferropy_bytecode::mpy::arch::XTENSA), ("xtensawin", ferropy_bytecode::mpy::arch::XTENSAWIN)]
    {
        let out = run(cross().arg(format!("-march={arch}")).args(["-o", "v.mpy", "v.py"]).current_dir(&dir));
        assert!(out.status.success(), "{arch}: {}", text(&out.stderr));
        let bytes = fs::read(dir.join("v.mpy")).unwrap();
        let file = ferropy_bytecode::mpy::read_mpy_file_unverified(&bytes).unwrap();
        assert_eq!(file.header.arch, code, "{arch}");
        let f = &file.module.root.children[0];
        assert_ne!(f.kind, ferropy_bytecode::CodeKind::Bytecode);
        // The machine code decodes as Xtensa from its first byte.
        let listing = ferropy_emit_xtensa::disasm::listing(&f.code[..f.prelude_offset], 0);
        assert!(listing.iter().any(|l| l.text.starts_with("mull")), "{arch}: {listing:?}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dis_options_print_instead_of_writing() {
    let dir = temp_dir("dis");
    fs::write(dir.join("k.py"), "@micropython.viper\ndef k(x: int) -> int:\n    return x + 1\nprint(k(1))\n").unwrap();
    let out = run(cross().args(["--dis", "-march=x64", "--dis-native", "k.py"]).current_dir(&dir));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    // The bytecode of the module, then the machine code of the viper function.
    assert!(listing.starts_with("code <module> file=k.py kind=bytecode"), "{listing}");
    assert!(listing.contains("k (viper, x86-64): "), "{listing}");
    // Nothing is written.
    assert!(!dir.join("k.mpy").exists());
    // A compile error is still a traceback with status 1.
    fs::write(dir.join("bad.py"), "x = (\n").unwrap();
    let out = run(cross().args(["--dis", "bad.py"]).current_dir(&dir));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).ends_with("SyntaxError: invalid syntax\n"), "{}", text(&out.stderr));
}
