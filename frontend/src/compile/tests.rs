//! Compiler tests: error messages with positions.
extern crate std;

use super::*;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

fn compile(src: &str) -> Result<CompiledModule> {
    compile_source(src, "t.py", InputKind::File, &CompileOptions::default())
}

fn err(src: &str) -> (String, u32, u32) {
    match compile(src) {
        Ok(_) => panic!("expected an error for {src:?}"),
        Err(e) => (e.msg.to_string(), e.pos.line, e.pos.col),
    }
}

#[test]
fn compile_time_errors_have_micropython_messages_and_positions() {
    let cases: &[(&str, &str, u32, u32)] = &[
        ("return 1\n", "'return' outside function", 1, 1),
        ("x = 1\nbreak\n", "'break'/'continue' outside loop", 2, 1),
        ("if x:\n  continue\n", "'break'/'continue' outside loop", 2, 3),
        ("yield 1\n", "'yield' outside function", 1, 1),
        ("class A:\n  await x\n", "'await' outside function", 2, 3),
        ("f() = 1\n", "can't assign to expression", 1, 1),
        ("del f()\n", "can't delete expression", 1, 5),
        ("a, *b, *c = x\n", "multiple *x in assignment", 1, 8),
        ("*a\n", "*x must be assignment target", 1, 1),
        ("def f(a=1, b): pass\n", "non-default argument follows default argument", 1, 12),
        ("f(a=1, b)\n", "positional arg after keyword arg", 1, 8),
        ("f(**a, b)\n", "positional arg after **", 1, 8),
        ("f(**a, *b)\n", "* arg after **", 1, 8),
        ("f(a=1, *b)\n", "* arg after kwarg", 1, 8),
        ("@micropython.foo\ndef f(): pass\n", "invalid micropython decorator", 1, 2),
        ("@micropython.native\ndef f(): pass\n", "invalid arch", 1, 2),
        ("try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass\n", "default 'except' must be last", 3, 1),
        ("def f(a, a): pass\n", "argument name reused", 1, 10),
        ("x = 1\ndef f():\n  x = 2\n  global x\n", "identifier redefined as global", 4, 3),
        ("def f():\n  x = 1\n  def g():\n    x = 2\n    nonlocal x\n", "identifier redefined as nonlocal", 5, 5),
        ("def f():\n  nonlocal q\n", "no binding for nonlocal found", 2, 3),
        ("nonlocal x\n", "can't declare nonlocal in outer code", 1, 1),
        ("def f():\n  from m import *\n", "import * not at module level", 2, 3),
        ("X = const(f())\n", "not a constant", 1, 5),
        ("async def f():\n  pass\nasync for x in y:\n  pass\n", "async for/with outside async function", 3, 1),
        ("def f():\n  super().m()\n", "super() can't find self", 2, 3),
    ];
    let mut bad = Vec::new();
    for (src, msg, line, col) in cases {
        let got = std::panic::catch_unwind(|| err(src));
        match got {
            Ok((m, l, c)) if (m.as_str(), l, c) == (*msg, *line, *col) => {}
            Ok(g) => bad.push(alloc::format!("{src:?}: got {g:?}")),
            Err(_) => bad.push(alloc::format!("{src:?}: compiled without error")),
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn too_many_star_args_is_an_error() {
    let mut src = String::from("f(");
    for _ in 0..31 {
        src.push_str("a, ");
    }
    src.push_str("*b)\n");
    let (m, _, _) = err(&src);
    assert_eq!(m, "too many args");
}
