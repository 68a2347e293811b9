//! Scope analysis tests.

use super::*;
use alloc::format;

#[test]
fn find_works_past_the_linear_search_limit_and_after_swaps() {
    let mut s = Scope::new(ScopeKind::Function, "f", Some(0), EmitterKind::Bytecode, Pos::new(1, 1));
    for i in 0..40 {
        assert_eq!(s.find_or_add(&format!("v{i}"), IdKind::Local), i);
    }
    assert_eq!(s.find_or_add("v3", IdKind::Local), 3);
    s.swap_ids(2, 30);
    assert_eq!(s.find("v2"), Some(30));
    assert_eq!(s.find("v30"), Some(2));
    for i in (0..40).filter(|&i| i != 2 && i != 30) {
        assert_eq!(s.find(&format!("v{i}")), Some(i));
    }
    assert_eq!(s.find("v40"), None);
}

#[test]
fn star_param_moves_behind_keyword_only_params_in_a_big_scope() {
    let src = "def f(a, *args, k, **kw):\n    x0=x1=x2=x3=x4=x5=x6=x7=x8=x9=1\n    return args, k, kw, x9\n";
    let module = crate::parser::parse_module(src).expect("parses");
    let mut arena = ScopeArena::new(EmitterKind::Bytecode);
    analyze(&mut arena, &module.body, &crate::compile::fold::Consts::new(), 0).expect("analyses");
    let f = arena.scopes.get(1).expect("function scope");
    let num = |n: &str| f.find(n).and_then(|i| f.ids.get(i)).map(|id| id.local_num);
    assert_eq!((num("a"), num("k"), num("args"), num("kw"), num("x0")), (Some(0), Some(1), Some(2), Some(3), Some(4)));
}
