//! Nesting limits: pathological inputs give errors, never a stack overflow.

use alloc::format;
use alloc::string::String;

use crate::error::{CompileError, ErrorKind};
use crate::parser::{parse_module, MAX_DEPTH};

/// Parses `src` on a thread with a small (1 MiB) stack, dropping the result there too.
fn parse_on_small_stack(src: String) -> Result<(), CompileError> {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || parse_module(&src).map(drop))
        .expect("spawn")
        .join()
        .expect("parser thread panicked")
}

fn assert_too_deep(src: String) {
    let err = parse_on_small_stack(src).unwrap_err();
    assert_eq!((err.kind, err.msg.as_str()), (ErrorKind::SyntaxError, "too deeply nested"));
}

#[test]
fn deep_parentheses() {
    assert_too_deep(format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000)));
    assert_too_deep(format!("{}x", "(".repeat(10_000)));
}

#[test]
fn deep_lists() {
    assert_too_deep(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)));
    assert_too_deep(format!("{{1: {}", "{1: ".repeat(10_000)));
    assert_too_deep("f(".repeat(10_000));
    assert_too_deep(format!("a{}", "[0".repeat(10_000)));
}

#[test]
fn unary_chains() {
    assert_too_deep(format!("{}x", "-".repeat(10_000)));
    assert_too_deep(format!("{}x", "not ".repeat(10_000)));
    assert_too_deep(format!("x{}", "**x".repeat(10_000)));
    assert_too_deep(format!("{}x", "lambda: ".repeat(10_000)));
    assert_too_deep(format!("{}x", "x if x else ".repeat(10_000)));
    assert_too_deep(format!("def f():\n    {}x\n", "(yield ".repeat(10_000)));
    // Not valid Python at any depth, but must still fail cleanly.
    assert!(parse_on_small_stack(format!("x = {}x", "*".repeat(10_000))).is_err());
}

#[test]
fn left_leaning_chains() {
    assert_too_deep(format!("{}a", "a+".repeat(100_000)));
    assert_too_deep(format!("a{}", ".b".repeat(100_000)));
    assert_too_deep(format!("f{}", "()".repeat(100_000)));
    assert_too_deep(format!("a{}", "[0]".repeat(100_000)));
    assert_too_deep(format!("{}a", "a*b+".repeat(50_000)));
}

#[test]
fn flat_chains_are_fine() {
    // Boolean operators and comparisons are flat nodes, not deep trees.
    assert!(parse_on_small_stack(format!("{}a", "a or ".repeat(10_000))).is_ok());
    assert!(parse_on_small_stack(format!("{}a", "a < ".repeat(10_000))).is_ok());
    assert!(parse_on_small_stack(format!("x = [{}]", "1, ".repeat(10_000))).is_ok());
}

#[test]
fn deep_indentation() {
    let mut src = String::new();
    for level in 0..10_000 {
        src.push_str(&" ".repeat(level));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(10_000));
    src.push_str("pass\n");
    assert!(parse_on_small_stack(src).is_err());
}

#[test]
fn nesting_just_below_the_limit_parses() {
    let depth = (MAX_DEPTH - 2) as usize;
    let src = format!("{}x{}", "(".repeat(depth), ")".repeat(depth));
    parse_on_small_stack(src).unwrap();
    let src = format!("{}x{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
    parse_on_small_stack(src).unwrap();
    let src = format!("{}x", "-".repeat(depth - 1));
    parse_on_small_stack(src).unwrap();
    let src = format!("{}a", "a+".repeat(depth - 2));
    parse_on_small_stack(src).unwrap();
}

#[test]
fn garbage_never_panics() {
    const PIECES: [&str; 40] = [
        "(", ")", "[", "]", "{", "}", ",", ":", "=", "*", "**", "x", "1", "'s'", "b'b'", " if ", " else ", " for ",
        " in ", " not ", " is ", "lambda", ".", ";", "\n", "\n    ", "def ", "class ", "@", "yield ", "await ", ":=",
        "-", "+", "async ", "from ", "import ", "del ", "try:", "except",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut src = String::new();
        for _ in 0..12 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let index = (seed >> 33) as usize % PIECES.len();
            src.push_str(PIECES[index]);
        }
        let _ = parse_module(&src);
        let _ = crate::parser::parse_eval(&src);
        let _ = crate::parser::parse_single(&src);
    }
}
