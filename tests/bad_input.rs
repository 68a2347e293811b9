//! The frontend's answers to hostile input: an error value with a position, never a
//! panic or a stack overflow. Each case runs on a thread with a 1 MiB stack (smaller
//! than the default) so that unbounded recursion would be caught here.

use ferropy_frontend::{compile_bytes, CompileError, CompileOptions, ErrorKind, InputKind};

fn compile_small_stack(source: Vec<u8>) -> Result<(), CompileError> {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || compile_bytes(&source, "bad.py", InputKind::File, &CompileOptions::default()).map(drop))
        .expect("spawn")
        .join()
        .expect("compiler thread panicked or overflowed")
}

fn expect_error(source: Vec<u8>, kind: ErrorKind) -> CompileError {
    let err = compile_small_stack(source).expect_err("input should be rejected");
    assert_eq!(err.kind, kind, "unexpected error {err}");
    assert!(err.pos.line >= 1 && err.pos.col >= 1, "no position in {err:?}");
    err
}

#[test]
fn invalid_utf8_is_an_error_at_the_bad_byte() {
    let err = expect_error(b"x = 1\ny = '\xff\xfe'\n".to_vec(), ErrorKind::SyntaxError);
    assert_eq!((err.pos.line, err.pos.col), (2, 6));
}

#[test]
fn nul_bytes_are_an_error() {
    let err = expect_error(b"x = 1\nprint(\0)\n".to_vec(), ErrorKind::SyntaxError);
    assert_eq!(err.pos.line, 2);
}

#[test]
fn ten_thousand_nested_parentheses() {
    let src = format!("x = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000));
    expect_error(src.into_bytes(), ErrorKind::SyntaxError);
}

#[test]
fn ten_thousand_nested_lists_and_calls() {
    expect_error(format!("x = {}\n", "[".repeat(10_000)).into_bytes(), ErrorKind::SyntaxError);
    expect_error(format!("x = {}0{}\n", "f(".repeat(10_000), ")".repeat(10_000)).into_bytes(), ErrorKind::SyntaxError);
    expect_error(format!("x = {}1\n", "-".repeat(10_000)).into_bytes(), ErrorKind::SyntaxError);
    expect_error(format!("x = {}1\n", "not ".repeat(10_000)).into_bytes(), ErrorKind::SyntaxError);
    expect_error(format!("x = {}1\n", "lambda: ".repeat(10_000)).into_bytes(), ErrorKind::SyntaxError);
}

#[test]
fn ten_thousand_nested_blocks() {
    let mut src = String::new();
    for depth in 0..10_000 {
        src.push_str(&" ".repeat(depth));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(10_000));
    src.push_str("pass\n");
    let err = compile_small_stack(src.into_bytes()).expect_err("too deep");
    assert!(matches!(err.kind, ErrorKind::IndentationError | ErrorKind::SyntaxError));
}

#[test]
fn long_operator_chain_is_bounded() {
    let src = format!("x = {}a\n", "a + ".repeat(100_000));
    expect_error(src.into_bytes(), ErrorKind::SyntaxError);
}

#[test]
fn one_megabyte_single_line_compiles() {
    // A flat 1 MB list display: legal, so it must compile, not just fail cleanly.
    let mut src = String::from("x = [");
    while src.len() < 1 << 20 {
        src.push_str("12345, ");
    }
    src.push_str("0]\n");
    compile_small_stack(src.into_bytes()).expect("a long flat line compiles");
}

#[test]
fn one_megabyte_string_literal_compiles() {
    let src = format!("x = '{}'\n", "a".repeat(1 << 20));
    compile_small_stack(src.into_bytes()).expect("a long string compiles");
}

#[test]
fn one_megabyte_of_garbage_is_an_error() {
    let src: Vec<u8> = (0..(1u32 << 20)).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let err = compile_small_stack(src).expect_err("garbage");
    assert!(err.pos.line >= 1);
}

#[test]
fn empty_and_whitespace_only_inputs_compile() {
    for src in ["", "\n", "   \n\n", "# comment only", "\r\n\r\n"] {
        compile_small_stack(src.as_bytes().to_vec()).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    }
}

/// Compiles `source` with the host's native emitters on a 1 MiB stack and runs it,
/// returning what it printed (stdout and stderr).
fn run_native_small_stack(source: String) -> String {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            let (b1, b2) = (buf.clone(), buf.clone());
            let out: ferropy::runtime::vm::OutputSink =
                Box::new(move |b: &[u8]| b1.lock().expect("sink").extend_from_slice(b));
            let err: ferropy::runtime::vm::OutputSink =
                Box::new(move |b: &[u8]| b2.lock().expect("sink").extend_from_slice(b));
            let opts = ferropy::run::RunOptions::default();
            let config = ferropy::runtime::VmConfig::default();
            ferropy::run::run_source_with(source.as_bytes(), "big.py", config, out, err, &opts);
            let text = String::from_utf8_lossy(&buf.lock().expect("sink")).into_owned();
            text
        })
        .expect("spawn")
        .join()
        .expect("native compile or run panicked or overflowed")
}

/// Huge native and viper functions, thousands of locals and deep expressions
/// compile and run (or fail with an error), never a panic.
#[test]
fn huge_native_and_viper_functions() {
    if ferropy::native::host_support().is_none() {
        return;
    }
    let mut src = String::from("import micropython\n@micropython.native\ndef big(x):\n");
    for i in 0..3000 {
        src.push_str(&format!("    v{i} = x + {i}\n"));
    }
    src.push_str("    return v0 + v2999\nprint(big(1))\n@micropython.viper\ndef vbig(x: int) -> int:\n");
    for i in 0..3000 {
        src.push_str(&format!("    w{i} = x * {i}\n"));
    }
    src.push_str("    return w2999 + w1\nprint(vbig(2))\n@micropython.native\ndef deep(x):\n    return ");
    src.push_str(&"(".repeat(150));
    src.push('x');
    src.push_str(&" + 1)".repeat(150));
    src.push_str("\nprint(deep(0))\n");
    assert_eq!(run_native_small_stack(src), "3001\n6000\n150\n");
    let too_deep = format!(
        "import micropython\n@micropython.viper\ndef f(x: int) -> int:\n    return {}x{}\n",
        "(".repeat(1000),
        " + 1)".repeat(1000)
    );
    let out = run_native_small_stack(too_deep);
    assert!(out.ends_with("SyntaxError: too deeply nested\n"), "{out}");
}
