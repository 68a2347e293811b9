//! Expression forms, precedence and associativity.

use super::{eval, module};

#[test]
fn atoms() {
    assert_eq!(eval("x"), "x");
    assert_eq!(eval("12"), "12");
    assert_eq!(eval("1.5"), "1.5");
    assert_eq!(eval("2j"), "2.0j");
    assert_eq!(eval("None"), "None");
    assert_eq!(eval("True"), "True");
    assert_eq!(eval("False"), "False");
    assert_eq!(eval("..."), "...");
    assert_eq!(eval("__debug__"), "__debug__");
    assert_eq!(eval("99999999999999999999999"), "99999999999999999999999L");
}

#[test]
fn adjacent_strings_are_joined() {
    assert_eq!(eval("'a' 'b' \"c\""), "\"abc\"");
    assert_eq!(eval("b'a' b'b'"), "b\"ab\"");
    assert_eq!(eval("('a'\n 'b')"), "\"ab\"");
}

#[test]
fn unary_and_power() {
    assert_eq!(eval("-1"), "(neg 1)");
    assert_eq!(eval("2**-1"), "(** 2 (neg 1))");
    assert_eq!(eval("-2**2"), "(neg (** 2 2))");
    assert_eq!(eval("2**3**4"), "(** 2 (** 3 4))");
    assert_eq!(eval("~+-x"), "(inv (pos (neg x)))");
    assert_eq!(eval("a**b.c(d)"), "(** a (call (. b c) d))");
}

#[test]
fn binary_precedence_and_associativity() {
    assert_eq!(eval("a - b - c"), "(- (- a b) c)");
    assert_eq!(eval("a + b * c"), "(+ a (* b c))");
    assert_eq!(eval("a * b + c"), "(+ (* a b) c)");
    assert_eq!(eval("a / b // c % d @ e"), "(@ (% (// (/ a b) c) d) e)");
    assert_eq!(eval("a | b ^ c & d << e >> f"), "(| a (^ b (& c (>> (<< d e) f))))");
    assert_eq!(eval("a << b + c"), "(<< a (+ b c))");
    assert_eq!(eval("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(eval("-a * b"), "(* (neg a) b)");
}

#[test]
fn boolean_and_comparison() {
    assert_eq!(eval("a or b or c"), "(or a b c)");
    assert_eq!(eval("a or b and c"), "(or a (and b c))");
    assert_eq!(eval("a and b or c and d"), "(or (and a b) (and c d))");
    assert_eq!(eval("(a or b) or c"), "(or (or a b) c)");
    assert_eq!(eval("not a == b"), "(not (cmp a == b))");
    assert_eq!(eval("not not a"), "(not (not a))");
    assert_eq!(eval("not a and b"), "(and (not a) b)");
    assert_eq!(eval("a < b < c"), "(cmp a < b < c)");
    assert_eq!(
        eval("a in b not in c is d is not e != f >= g <= h > i == j"),
        "(cmp a in b not-in c is d is-not e != f >= g <= h > i == j)"
    );
    assert_eq!(eval("a | b < c + d"), "(cmp (| a b) < (+ c d))");
}

#[test]
fn conditional_and_lambda() {
    assert_eq!(eval("a if b else c if d else e"), "(ifexp b a (ifexp d c e))");
    assert_eq!(eval("(a if b else c) if d else e"), "(ifexp d (ifexp b a c) e)");
    assert_eq!(eval("lambda: 0"), "(lambda [] 0)");
    assert_eq!(eval("lambda a, b=1, *c, d, e=2, **f: a"), "(lambda [a b=1 *c d e=2 **f] a)");
    assert_eq!(eval("lambda *, k: k"), "(lambda [* k] k)");
    assert_eq!(eval("lambda x: x if x else y"), "(lambda [x] (ifexp x x y))");
    assert_eq!(eval("lambda a,: a"), "(lambda [a] a)");
}

#[test]
fn tuples_lists_dicts_sets() {
    assert_eq!(eval("()"), "(tuple)");
    assert_eq!(eval("(a)"), "a");
    assert_eq!(eval("(a,)"), "(tuple a)");
    assert_eq!(eval("(a, b,)"), "(tuple a b)");
    assert_eq!(eval("a, b"), "(tuple a b)");
    assert_eq!(eval("a,"), "(tuple a)");
    assert_eq!(eval("[]"), "(list)");
    assert_eq!(eval("[a]"), "(list a)");
    assert_eq!(eval("[a, *b, c,]"), "(list a (* b) c)");
    assert_eq!(eval("{}"), "(dict)");
    assert_eq!(eval("{a: b, c: d,}"), "(dict a:b c:d)");
    assert_eq!(eval("{a}"), "(set a)");
    assert_eq!(eval("{a, b,}"), "(set a b)");
    assert_eq!(eval("(*a, b)"), "(tuple (* a) b)");
}

#[test]
fn comprehensions() {
    assert_eq!(eval("[x for x in y]"), "(listcomp x (for x y))");
    assert_eq!(
        eval("[x for x in y if a if b for z in w if c]"),
        "(listcomp x (for x y (if a) (if b)) (for z w (if c)))"
    );
    assert_eq!(eval("{x for x in y}"), "(setcomp x (for x y))");
    assert_eq!(eval("{k: v for k, v in y}"), "(dictcomp k v (for (tuple k v) y))");
    assert_eq!(eval("(x for x, in y)"), "(genexp x (for (tuple x) y))");
    assert_eq!(eval("f(x for x in y)"), "(call f (genexp x (for x y)))");
    assert_eq!(eval("f(x for x in y, 1)"), "(call f (genexp x (for x y)) 1)");
    assert_eq!(eval("[x for x in a or b if lambda: c]"), "(listcomp x (for x (or a b) (if (lambda [] c))))");
    assert_eq!(eval("[(y := x) for x in a]"), "(listcomp (:= y x) (for x a))");
}

#[test]
fn trailers() {
    assert_eq!(eval("a.b.c"), "(. (. a b) c)");
    assert_eq!(eval("f()"), "(call f)");
    assert_eq!(eval("f(a, *b, c=1, **d)"), "(call f a (* b) c=1 (** d))");
    assert_eq!(eval("f(*a, *b, **c, **d)"), "(call f (* a) (* b) (** c) (** d))");
    assert_eq!(eval("f(a,)"), "(call f a)");
    assert_eq!(eval("f(a)(b)[c].d"), "(. ([] (call (call f a) b) c) d)");
    assert_eq!(eval("f(x := 1)"), "(call f (:= x 1))");
    assert_eq!(eval("a[1]"), "([] a 1)");
    assert_eq!(eval("a[1, 2]"), "([] a (tuple 1 2))");
    assert_eq!(eval("a[1,]"), "([] a (tuple 1))");
    assert_eq!(eval("a[:]"), "([] a (slice _ _ _))");
    assert_eq!(eval("a[::2]"), "([] a (slice _ _ 2))");
    assert_eq!(eval("a[1:]"), "([] a (slice 1 _ _))");
    assert_eq!(eval("a[:2]"), "([] a (slice _ 2 _))");
    assert_eq!(eval("a[1:2:3]"), "([] a (slice 1 2 3))");
    assert_eq!(eval("a[1::]"), "([] a (slice 1 _ _))");
    assert_eq!(eval("a[1:2, 3]"), "([] a (tuple (slice 1 2 _) 3))");
    assert_eq!(eval("a[1:2, ::3, ...]"), "([] a (tuple (slice 1 2 _) (slice _ _ 3) ...))");
}

#[test]
fn walrus_yield_await() {
    assert_eq!(module("if (n := len(a)) > 10: pass"), "(if (branch (cmp (:= n (call len a)) > 10) pass))");
    assert_eq!(module("while x := f(): pass"), "(while (:= x (call f)) (do pass) (else))");
    assert_eq!(
        module("def f():\n    yield\n    yield 1, 2\n    x = yield from g()\n    y = (yield)\n"),
        "(def f [] (yield) (yield (tuple 1 2)) (= x (yield-from (call g))) (= y (yield)))"
    );
    assert_eq!(
        module("async def f():\n    await x.y(1)[2] ** 2\n"),
        "(async-def f [] (** (await ([] (call (. x y) 1) 2)) 2))"
    );
}

#[test]
fn positions() {
    let m = super::parse_module("x = 1\nif a:\n    f(b + c)\n").unwrap();
    assert_eq!((m.body[0].pos.line, m.body[0].pos.col), (1, 1));
    assert_eq!((m.body[1].pos.line, m.body[1].pos.col), (2, 1));
    let crate::ast::StmtKind::If { branches, .. } = &m.body[1].kind else { panic!() };
    let inner = &branches[0].body[0];
    assert_eq!((inner.pos.line, inner.pos.col), (3, 5));
    let crate::ast::StmtKind::Expr(call) = &inner.kind else { panic!() };
    let crate::ast::ExprKind::Call { args, .. } = &call.kind else { panic!() };
    let crate::ast::Arg::Positional(sum) = &args[0] else { panic!() };
    assert_eq!((sum.pos.line, sum.pos.col), (3, 7));
}
