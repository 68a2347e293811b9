//! End-to-end tests of the `ferropy` command's flags and exit statuses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ferropy(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferropy"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ferropy");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("wait for ferropy")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn snippet(name: &str) -> String {
    format!("{}/tests/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn dis_prints_every_code_object_with_lines_and_operands() {
    let out = ferropy(&["--dis", &snippet("compile/closure_simple.py")], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    for expected in
        ["code <module>", "code outer", "code inner", "MAKE_CLOSURE", "LOAD_DEREF", "L2", "STORE_NAME outer"]
    {
        assert!(listing.contains(expected), "missing {expected:?} in:\n{listing}");
    }
}

#[test]
fn dis_of_a_command_and_of_standard_input() {
    let out = ferropy(&["--dis", "-c", "x = 40 + 2"], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("LOAD_CONST_SMALL_INT 42"), "{}", text(&out.stdout));
    let out = ferropy(&["--dis"], Some("y = 'piped'\n"));
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("STORE_NAME y"));
}

#[test]
fn compile_errors_name_file_line_and_column() {
    let file = snippet("compile_errors/unexpected_indent.py");
    let out = ferropy(&["-X", "compile-only", &file], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr).trim(), format!("{file}:2:5: IndentationError: unexpected indent"));
    let out = ferropy(&[&file], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("Traceback (most recent call last):\n"), "{err}");
    assert!(err.contains(&format!("File \"{file}\", line 2")), "{err}");
    assert!(err.trim_end().ends_with("IndentationError: unexpected indent"), "{err}");
}

/// What MicroPython's native emitter refuses on the spot (a viper
/// generator, a cast of a cast) is reported bare, without a traceback entry,
/// as MicroPython reports it; `-X compile-only` still gives the position.
#[test]
fn native_emitter_refusals_are_reported_without_a_traceback() {
    for (source, message) in [
        ("print(1)\n@micropython.viper\ndef g():\n    yield 1\n", "NotImplementedError: native yield"),
        ("print(1)\n@micropython.viper\ndef f():\n    int(int)\n", "NotImplementedError: casting"),
    ] {
        let out = ferropy(&["-c", source], None);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty(), "nothing runs: {}", text(&out.stdout));
        assert_eq!(text(&out.stderr), format!("{message}\n"));
        let out = ferropy(&["-X", "compile-only", "-c", source], None);
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(err.starts_with("<stdin>:") && err.trim_end().ends_with(message), "{err}");
    }
    // Viper type errors keep theirs (`File "<stdin>", line N, in f`).
    let out = ferropy(&["-c", "@micropython.viper\ndef f():\n    x = 1\n    x = 'a'\n"], None);
    let err = text(&out.stderr);
    assert!(err.starts_with("Traceback (most recent call last):\n") && err.contains("line 4, in f"), "{err}");
}

#[test]
fn compile_only_accepts_valid_source() {
    let out = ferropy(&["-X", "compile-only", &snippet("compile/def_all_params.py")], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_file_exits_with_status_2() {
    let out = ferropy(&["no_such_file.py"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "ferropy: can't open file 'no_such_file.py': [Errno 2] No such file or directory"
    );
}

#[test]
fn bad_options_exit_with_status_2() {
    for args in [&["-X", "emit=jit"][..], &["-Q"], &["-c"], &["-X", "heapsize=12"]] {
        let out = ferropy(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).starts_with("ferropy: "), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn version_and_help() {
    let out = ferropy(&["--version"], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("ferropy "));
    let out = ferropy(&["-h"], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("emit={bytecode,native,viper,viper-opt}"));
}

#[test]
fn module_is_found_through_micropypath() {
    let dir = std::env::temp_dir().join(format!("ferropy-cli-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pkg")).expect("temp dir");
    std::fs::write(dir.join("pkg/mod.py"), "value = 7\n").expect("write module");
    let out = Command::new(env!("CARGO_BIN_EXE_ferropy"))
        .args(["--dis", "-m", "pkg.mod"])
        .env("MICROPYPATH", &dir)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("STORE_NAME value"));
}
