//! Statement forms and incremental parsing.

use alloc::vec::Vec;

use super::{module, sexpr};
use crate::parser::{parse_single, Parser};

#[test]
fn simple_statements() {
    assert_eq!(module("pass"), "pass");
    assert_eq!(module("a; b; c;"), "a; b; c");
    assert_eq!(module("del a, b.c, d[e]"), "(del a (. b c) ([] d e))");
    assert_eq!(module("del (a, b),"), "(del (tuple a b))");
    assert_eq!(module("return"), "(return)");
    assert_eq!(module("return 1, 2"), "(return (tuple 1 2))");
    assert_eq!(module("raise"), "(raise _ _)");
    assert_eq!(module("raise E"), "(raise E _)");
    assert_eq!(module("raise E from c"), "(raise E c)");
    assert_eq!(module("global a, b"), "(global a b)");
    assert_eq!(module("nonlocal a"), "(nonlocal a)");
    assert_eq!(module("assert x"), "(assert x _)");
    assert_eq!(module("assert x, 'm'"), "(assert x \"m\")");
    assert_eq!(module("break; continue"), "break; continue");
}

#[test]
fn imports() {
    assert_eq!(module("import a.b as c, d"), "(import a.b:c d)");
    assert_eq!(module("from ..a import (b as c, d,)"), "(from 2 a b:c d)");
    assert_eq!(module("from . import x"), "(from 1 _ x)");
    assert_eq!(module("from a import *"), "(from 0 a *)");
    assert_eq!(module("from .... import x"), "(from 4 _ x)");
    assert_eq!(module("from ...a.b import *"), "(from 3 a.b *)");
    assert_eq!(module("from a import b,"), "(from 0 a b)");
}

#[test]
fn assignments() {
    assert_eq!(module("a = b = c"), "(= a b c)");
    assert_eq!(module("a, *b = x"), "(= (tuple a (* b)) x)");
    assert_eq!(module("*a, = x"), "(= (tuple (* a)) x)");
    assert_eq!(module("[a, [b, *c]] = d"), "(= (list a (list b (* c))) d)");
    assert_eq!(module("[] = x"), "(= (list) x)");
    assert_eq!(module("a.b[c] = 1, 2"), "(= ([] (. a b) c) (tuple 1 2))");
    assert_eq!(module("x = *a, b"), "(= x (tuple (* a) b))");
    assert_eq!(module("x: int"), "(ann x int _)");
    assert_eq!(module("x: int = 5"), "(ann x int 5)");
    assert_eq!(module("a, b: int"), "(ann (tuple a b) int _)");
    let ops = ["+", "-", "*", "@", "/", "%", "&", "|", "^", "<<", ">>", "**", "//"];
    for op in ops {
        assert_eq!(module(&alloc::format!("x {op}= 1")), alloc::format!("({op}= x 1)"));
    }
    assert_eq!(module("a.b += 1, 2"), "(+= (. a b) (tuple 1 2))");
}

#[test]
fn compound_statements() {
    assert_eq!(
        module("if a:\n    b\nelif c:\n    d\nelif e: f\nelse:\n    g\n"),
        "(if (branch a b) (branch c d) (branch e f) (else g))"
    );
    assert_eq!(module("if x: a; b\nelse: c"), "(if (branch x a b) (else c))");
    assert_eq!(module("while a:\n    b\nelse:\n    c\n"), "(while a (do b) (else c))");
    assert_eq!(module("for a, b in c, d:\n    e\nelse: f"), "(for (tuple a b) (tuple c d) (do e) (else f))");
    assert_eq!(
        module("try:\n    a\nexcept E as e:\n    b\nexcept (F, G):\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f\n"),
        "(try (do a) (except E as:e b) (except (tuple F G) c) (except _ d) (else e) (finally f))"
    );
    assert_eq!(module("try:\n    a\nfinally:\n    b\n"), "(try (do a) (else) (finally b))");
    assert_eq!(module("try: a\nexcept: b"), "(try (do a) (except _ b) (else))");
    assert_eq!(module("with a as b, c as (d, e), f:\n    pass\n"), "(with a:b c:(tuple d e) f (do pass))");
    assert_eq!(module("with (a, b): pass"), "(with (tuple a b) (do pass))");
}

#[test]
fn definitions() {
    assert_eq!(module("def f(): pass"), "(def f [] pass)");
    assert_eq!(
        module("def f(a, b: int = 1, *args: str, c, d=2, **kw: dict) -> None:\n    return a\n"),
        "(def f [a b:int=1 *args:str c d=2 **kw:dict] ->None (return a))"
    );
    assert_eq!(module("def f(*, a): pass"), "(def f [* a] pass)");
    assert_eq!(module("def f(*): pass"), "(def f [*] pass)");
    assert_eq!(module("def f(a,): pass"), "(def f [a] pass)");
    assert_eq!(module("def f(**k,): pass"), "(def f [**k] pass)");
    assert_eq!(module("def f(a=1, *, b): pass"), "(def f [a=1 * b] pass)");
    assert_eq!(module("@a\n@b.c(1, x=2)\ndef f(): pass"), "(def @a @(call (. b c) 1 x=2) f [] pass)");
    assert_eq!(module("class C: pass"), "(class C [] pass)");
    assert_eq!(module("class C(): pass"), "(class C [] pass)");
    assert_eq!(module("class C(A, B, metaclass=M):\n    x = 1\n"), "(class C [A B metaclass=M] (= x 1))");
    assert_eq!(module("@d\nclass C(A): pass"), "(class @d C [A] pass)");
    assert_eq!(module("@d\nasync def f(): pass"), "(async-def @d f [] pass)");
    assert_eq!(
        module("async def f():\n    async for x in y:\n        pass\n    async with a as b, c:\n        pass\n"),
        "(async-def f [] (async-for x y (do pass) (else)) (async-with a:b c (do pass)))"
    );
}

#[test]
fn nested_blocks() {
    let src = "def f(x):\n    if x:\n        for i in x:\n            while i:\n                i -= 1\n    return x\ny = f(3)\n";
    assert_eq!(
        module(src),
        "(def f [x] (if (branch x (for i x (do (while i (do (-= i 1)) (else))) (else)))) (return x)); (= y (call f 3))"
    );
}

#[test]
fn incremental_statements() {
    let mut parser = Parser::new("a = 1\n\nb; c\nif d:\n    e\nf\n");
    let mut seen = Vec::new();
    while let Some(stmt) = parser.next_statement().unwrap() {
        seen.push(sexpr::stmt(&stmt));
    }
    assert_eq!(seen, ["(= a 1)", "b", "c", "(if (branch d e))", "f"]);
    assert_eq!(parser.next_statement().unwrap(), None);
}

#[test]
fn incremental_statements_stop_at_error() {
    let mut parser = Parser::new("a = 1\nb = = 2\nc = 3\n");
    assert!(parser.next_statement().unwrap().is_some());
    let err = parser.next_statement().unwrap_err();
    assert_eq!((err.msg.as_str(), err.pos.line, err.pos.col), ("invalid syntax", 2, 5));
    assert_eq!(parser.next_statement().unwrap_err(), err);
}

#[test]
fn empty_inputs() {
    assert_eq!(module(""), "");
    assert_eq!(module("\n\n# comment\n"), "");
}

#[test]
fn single_input() {
    let render = |src: &str| {
        let m = parse_single(src).unwrap();
        m.body.iter().map(sexpr::stmt).collect::<Vec<_>>().join("; ")
    };
    assert_eq!(render("a = 1; b\n"), "(= a 1); b");
    assert_eq!(render("if a:\n    b\n\n"), "(if (branch a b))");
    assert_eq!(render("\n"), "");
    assert!(parse_single("a\nb\n").is_err());
    // No line at all: nothing stands for the NEWLINE.
    assert!(parse_single("").is_err());
    assert!(parse_single("\\\n").is_err());
    assert_eq!(render("# note\n"), "");
}

#[test]
fn eval_input() {
    assert_eq!(super::eval("1, 2\n\n"), "(tuple 1 2)");
    assert!(crate::parser::parse_eval("a = 1").is_err());
    assert!(crate::parser::parse_eval("").is_err());
}
