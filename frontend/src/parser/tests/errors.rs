//! Syntax errors: messages (MicroPython's wording) and positions.

use alloc::string::String;

use super::{error, error_msg};
use crate::error::ErrorKind;

fn syntax(msg: &str, line: u32, col: u32) -> (ErrorKind, String, u32, u32) {
    (ErrorKind::SyntaxError, msg.into(), line, col)
}

#[test]
fn generic_errors_point_at_the_failing_token() {
    assert_eq!(error("x = 1 +\n"), syntax("invalid syntax", 1, 8));
    assert_eq!(error("a = 1\nb = )\n"), syntax("invalid syntax", 2, 5));
    assert_eq!(error("f(a b)"), syntax("invalid syntax", 1, 5));
    assert_eq!(error("a;; b"), syntax("invalid syntax", 1, 3));
    assert_eq!(error("x := 1"), syntax("invalid syntax", 1, 3));
    assert_eq!(error("a[]"), syntax("invalid syntax", 1, 3));
    assert_eq!(error("a[x := 1]"), syntax("invalid syntax", 1, 5));
    assert_eq!(error("return *a, b"), syntax("invalid syntax", 1, 8));
    assert_eq!(error("import a,"), syntax("invalid syntax", 1, 10));
    assert_eq!(error("global a,"), syntax("invalid syntax", 1, 10));
    assert_eq!(error("from a import (*)"), syntax("invalid syntax", 1, 16));
    assert_eq!(error("import a as b.c"), syntax("invalid syntax", 1, 14));
    assert_eq!(error("if x:\npass\n").1, "invalid syntax");
    assert_eq!(error("try:\n    a\n"), syntax("invalid syntax", 3, 1));
}

#[test]
fn micropython_grammar_restrictions() {
    // Forms CPython accepts but MicroPython's grammar does not.
    assert_eq!(error_msg("{**m}"), "invalid syntax");
    assert_eq!(error_msg("{*a, 1}"), "invalid syntax");
    assert_eq!(error_msg("@a[0]\ndef f(): pass"), "invalid syntax");
    assert_eq!(error_msg("@a.b(1)(2)\ndef f(): pass"), "invalid syntax");
    assert_eq!(error_msg("try:\n  pass\nexcept T, U:\n  pass\n"), "invalid syntax");
    assert_eq!(error_msg("async def f():\n    [x async for x in y]\n"), "invalid syntax");
    assert_eq!(error_msg("[x for x in lambda: y]"), "invalid syntax");
    assert_eq!(error_msg("[x for x in a if b if c else d]"), "invalid syntax");
    assert_eq!(error_msg("def f(a, /, b): pass"), "invalid syntax");
    assert_eq!(error_msg("f(x) for x in y"), "invalid syntax");
    assert_eq!(error_msg("x = 'a' b'c'"), "invalid syntax");
    assert_eq!(error("x = b'a' 'c'"), syntax("invalid syntax", 1, 10));
}

#[test]
fn unexpected_indent() {
    let (kind, msg, line, _) = error("a = 5\n  b = 3\n");
    assert_eq!((kind, msg.as_str(), line), (ErrorKind::IndentationError, "unexpected indent", 2));
}

#[test]
fn assignment_targets() {
    let cant = "can't assign to expression";
    assert_eq!(error("f() = 1"), syntax(cant, 1, 1));
    assert_eq!(error("x = 1 = 2"), syntax(cant, 1, 5));
    assert_eq!(error("() = x"), syntax(cant, 1, 1));
    assert_eq!(error("a, b += 1"), syntax(cant, 1, 1));
    assert_eq!(error("[a] += 1"), syntax(cant, 1, 1));
    assert_eq!(error("f() += 1"), syntax(cant, 1, 1));
    assert_eq!(error("*a = b"), syntax(cant, 1, 1));
    assert_eq!(error("(*a) = b"), syntax(cant, 1, 2));
    assert_eq!(error("a = *b = c"), syntax(cant, 1, 5));
    assert_eq!(error("None = 1"), syntax(cant, 1, 1));
    assert_eq!(error("__debug__ = 1"), syntax(cant, 1, 1));
    assert_eq!(error("for *a in b: pass"), syntax(cant, 1, 5));
    assert_eq!(error("with x as f(): pass"), syntax(cant, 1, 11));
    assert_eq!(error("[x for f() in y]"), syntax(cant, 1, 8));
    assert_eq!(error("(a.b := 1)"), syntax(cant, 1, 2));
    assert_eq!(error("f(): int = 1"), syntax(cant, 1, 1));
    assert_eq!(error("a = yield = 1"), syntax(cant, 1, 5));
    assert_eq!(error("(a, *b, *c) = d"), syntax("multiple *x in assignment", 1, 9));
    assert_eq!(error("a, *b, *c = d"), syntax("multiple *x in assignment", 1, 8));
}

#[test]
fn delete_targets() {
    let cant = "can't delete expression";
    assert_eq!(error("del [b]"), syntax(cant, 1, 5));
    assert_eq!(error("del ()"), syntax(cant, 1, 5));
    assert_eq!(error("del (a, [b])"), syntax(cant, 1, 9));
    assert_eq!(error("del *a"), syntax(cant, 1, 5));
    assert_eq!(error("del f()"), syntax(cant, 1, 5));
}

#[test]
fn call_arguments() {
    assert_eq!(error("f(a.b=1)"), syntax("LHS of keyword arg must be an id", 1, 3));
    assert_eq!(error("f(a=1, 2)"), syntax("positional arg after keyword arg", 1, 8));
    assert_eq!(error("f(**a, 2)"), syntax("positional arg after **", 1, 8));
    assert_eq!(error("f(**a, *b)"), syntax("* arg after **", 1, 8));
    assert_eq!(error("f(a=1, *b)"), syntax("* arg after kwarg", 1, 8));
    assert_eq!(error("class A(a=1, b): pass"), syntax("positional arg after keyword arg", 1, 14));
}

#[test]
fn parameters() {
    assert_eq!(error("def f(a=1, b): pass"), syntax("non-default argument follows default argument", 1, 12));
    assert_eq!(error("def f(**k, a): pass"), syntax("invalid syntax", 1, 12));
    assert_eq!(error("def f(*a, *b): pass"), syntax("invalid syntax", 1, 11));
    assert_eq!(error("def f(,): pass"), syntax("invalid syntax", 1, 7));
    assert_eq!(error("lambda a=1, b: 0"), syntax("non-default argument follows default argument", 1, 13));
}

#[test]
fn displays() {
    assert_eq!(error("{1: 2, 3}"), syntax("expecting key:value for dict", 1, 8));
    assert_eq!(error("{1, 3: 4}"), syntax("expecting just a value for set", 1, 5));
}

#[test]
fn try_statement() {
    assert_eq!(error("try:\n    a\nexcept:\n    b\nexcept E:\n    c\n"), syntax("default 'except' must be last", 3, 1));
    assert_eq!(error("try:\n    a\nelse:\n    b\n"), syntax("invalid syntax", 3, 1));
}

#[test]
fn lexer_errors_pass_through() {
    let (kind, _, line, _) = error("a = 1\nb = 'unterminated\n");
    assert_eq!((kind, line), (ErrorKind::SyntaxError, 2));
}
