//! A compact S-expression rendering of the tree, for comparing parses in tests.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;

use crate::ast::*;

/// Joins rendered parts with spaces inside parentheses, led by `head`.
fn list(head: &str, parts: Vec<String>) -> String {
    let mut out = String::from("(");
    out.push_str(head);
    for part in parts {
        out.push(' ');
        out.push_str(&part);
    }
    out.push(')');
    out
}

fn opt(e: &Option<Expr>) -> String {
    e.as_ref().map_or_else(|| String::from("_"), expr)
}

fn opt_box(e: &Option<Box<Expr>>) -> String {
    e.as_ref().map_or_else(|| String::from("_"), |e| expr(e))
}

fn exprs(items: &[Expr]) -> Vec<String> {
    items.iter().map(expr).collect()
}

fn binop(op: BinOp) -> &'static str {
    match op {
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::BitAnd => "&",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mult => "*",
        BinOp::MatMult => "@",
        BinOp::FloorDiv => "//",
        BinOp::Div => "/",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
    }
}

fn cmpop(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "<",
        CmpOp::Gt => ">",
        CmpOp::Eq => "==",
        CmpOp::LtE => "<=",
        CmpOp::GtE => ">=",
        CmpOp::NotEq => "!=",
        CmpOp::In => "in",
        CmpOp::NotIn => "not-in",
        CmpOp::Is => "is",
        CmpOp::IsNot => "is-not",
    }
}

fn constant(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::True => "True".into(),
        Constant::False => "False".into(),
        Constant::Ellipsis => "...".into(),
        Constant::Number(Number::Int(i)) => format!("{i}"),
        Constant::Number(Number::BigInt(digits)) => format!("{digits}L"),
        Constant::Number(Number::Float(f)) => format!("{f:?}"),
        Constant::Number(Number::Imag(f)) => format!("{f:?}j"),
        Constant::Str(s) => format!("{s:?}"),
        Constant::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
    }
}

fn arg(a: &Arg) -> String {
    match a {
        Arg::Positional(e) => expr(e),
        Arg::Star(e) => list("*", alloc::vec![expr(e)]),
        Arg::Keyword(k, e) => format!("{k}={}", expr(e)),
        Arg::DoubleStar(e) => list("**", alloc::vec![expr(e)]),
    }
}

fn param(prefix: &str, p: &Param) -> String {
    let mut out = format!("{prefix}{}", p.name);
    if let Some(a) = &p.annotation {
        out.push(':');
        out.push_str(&expr(a));
    }
    if let Some(d) = &p.default {
        out.push('=');
        out.push_str(&expr(d));
    }
    out
}

/// Renders a parameter list.
pub fn params(p: &Parameters) -> String {
    let mut parts: Vec<String> = p.args.iter().map(|a| param("", a)).collect();
    match (&p.vararg, p.has_star) {
        (Some(v), _) => parts.push(param("*", v)),
        (None, true) => parts.push("*".into()),
        (None, false) => {}
    }
    parts.extend(p.kwonlyargs.iter().map(|a| param("", a)));
    if let Some(k) = &p.kwarg {
        parts.push(param("**", k));
    }
    format!("[{}]", parts.join(" "))
}

fn comps(elt: Vec<String>, head: &str, gens: &[Comprehension]) -> String {
    let mut parts = elt;
    for g in gens {
        let mut clause = alloc::vec![expr(&g.target), expr(&g.iter)];
        clause.extend(g.ifs.iter().map(|i| list("if", alloc::vec![expr(i)])));
        parts.push(list(if g.is_async { "async-for" } else { "for" }, clause));
    }
    list(head, parts)
}

/// Renders an expression.
pub fn expr(e: &Expr) -> String {
    use alloc::vec;
    match &e.kind {
        ExprKind::Name(n) => n.to_string(),
        ExprKind::Constant(c) => constant(c),
        ExprKind::DebugFlag => "__debug__".into(),
        ExprKind::BinOp { left, op, right } => list(binop(*op), vec![expr(left), expr(right)]),
        ExprKind::UnaryOp { op, operand } => {
            let head = match op {
                UnaryOp::Pos => "pos",
                UnaryOp::Neg => "neg",
                UnaryOp::Invert => "inv",
                UnaryOp::Not => "not",
            };
            list(head, vec![expr(operand)])
        }
        ExprKind::BoolOp { op, values } => list(if *op == BoolOp::And { "and" } else { "or" }, exprs(values)),
        ExprKind::Compare { left, ops } => {
            let mut parts = vec![expr(left)];
            for (op, e) in ops {
                parts.push(cmpop(*op).into());
                parts.push(expr(e));
            }
            list("cmp", parts)
        }
        ExprKind::IfExp { test, body, orelse } => list("ifexp", vec![expr(test), expr(body), expr(orelse)]),
        ExprKind::Lambda { params: p, body } => list("lambda", vec![params(p), expr(body)]),
        ExprKind::NamedExpr { target, value } => list(":=", vec![target.to_string(), expr(value)]),
        ExprKind::Attribute { value, attr } => list(".", vec![expr(value), attr.to_string()]),
        ExprKind::Subscript { value, index } => list("[]", vec![expr(value), expr(index)]),
        ExprKind::Slice { lower, upper, step } => list("slice", vec![opt_box(lower), opt_box(upper), opt_box(step)]),
        ExprKind::Call { func, args } => {
            let mut parts = vec![expr(func)];
            parts.extend(args.iter().map(arg));
            list("call", parts)
        }
        ExprKind::Tuple(items) => list("tuple", exprs(items)),
        ExprKind::List(items) => list("list", exprs(items)),
        ExprKind::Set(items) => list("set", exprs(items)),
        ExprKind::Dict(items) => list(
            "dict",
            items
                .iter()
                .map(|i| match i {
                    DictItem::Pair(k, v) => format!("{}:{}", expr(k), expr(v)),
                    DictItem::Splat(m) => list("**", vec![expr(m)]),
                })
                .collect(),
        ),
        ExprKind::Starred(v) => list("*", vec![expr(v)]),
        ExprKind::ListComp { elt, generators } => comps(vec![expr(elt)], "listcomp", generators),
        ExprKind::SetComp { elt, generators } => comps(vec![expr(elt)], "setcomp", generators),
        ExprKind::GeneratorExp { elt, generators } => comps(vec![expr(elt)], "genexp", generators),
        ExprKind::DictComp { key, value, generators } => comps(vec![expr(key), expr(value)], "dictcomp", generators),
        ExprKind::Yield(v) => list("yield", v.iter().map(|v| expr(v)).collect()),
        ExprKind::YieldFrom(v) => list("yield-from", vec![expr(v)]),
        ExprKind::Await(v) => list("await", vec![expr(v)]),
    }
}

fn block(head: &str, mut lead: Vec<String>, body: &[Stmt]) -> String {
    lead.extend(body.iter().map(stmt));
    list(head, lead)
}

fn alias(a: &Alias) -> String {
    match &a.asname {
        Some(asname) => format!("{}:{asname}", a.name),
        None => a.name.to_string(),
    }
}

/// Renders a statement.
pub fn stmt(s: &Stmt) -> String {
    use alloc::vec;
    match &s.kind {
        StmtKind::Expr(e) => expr(e),
        StmtKind::Assign { targets, value } => {
            let mut parts = exprs(targets);
            parts.push(expr(value));
            list("=", parts)
        }
        StmtKind::AugAssign { target, op, value } => list(&format!("{}=", binop(*op)), vec![expr(target), expr(value)]),
        StmtKind::AnnAssign { target, annotation, value } => {
            list("ann", vec![expr(target), expr(annotation), opt(value)])
        }
        StmtKind::Pass => "pass".into(),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Delete(items) => list("del", exprs(items)),
        StmtKind::Return(v) => list("return", v.iter().map(expr).collect()),
        StmtKind::Raise { exc, cause } => list("raise", vec![opt(exc), opt(cause)]),
        StmtKind::Global(names) => list("global", names.iter().map(|n| n.to_string()).collect()),
        StmtKind::Nonlocal(names) => list("nonlocal", names.iter().map(|n| n.to_string()).collect()),
        StmtKind::Assert { test, msg } => list("assert", vec![expr(test), opt(msg)]),
        StmtKind::Import(names) => list("import", names.iter().map(alias).collect()),
        StmtKind::ImportFrom { module, names, level } => {
            let mut parts = vec![format!("{level}"), module.as_deref().unwrap_or("_").to_string()];
            match names {
                Some(names) => parts.extend(names.iter().map(alias)),
                None => parts.push("*".into()),
            }
            list("from", parts)
        }
        StmtKind::If { branches, orelse } => {
            let mut parts: Vec<String> =
                branches.iter().map(|b| block("branch", vec![expr(&b.test)], &b.body)).collect();
            if !orelse.is_empty() {
                parts.push(block("else", vec![], orelse));
            }
            list("if", parts)
        }
        StmtKind::While { test, body, orelse } => {
            list("while", vec![expr(test), block("do", vec![], body), block("else", vec![], orelse)])
        }
        StmtKind::For { is_async, target, iter, body, orelse } => list(
            if *is_async { "async-for" } else { "for" },
            vec![expr(target), expr(iter), block("do", vec![], body), block("else", vec![], orelse)],
        ),
        StmtKind::With { is_async, items, body } => {
            let mut parts: Vec<String> = items
                .iter()
                .map(|i| match &i.target {
                    Some(t) => format!("{}:{}", expr(&i.context), expr(t)),
                    None => expr(&i.context),
                })
                .collect();
            parts.push(block("do", vec![], body));
            list(if *is_async { "async-with" } else { "with" }, parts)
        }
        StmtKind::Try { body, handlers, orelse, finalbody } => {
            let mut parts = vec![block("do", vec![], body)];
            for h in handlers {
                let mut lead = vec![opt(&h.typ)];
                if let Some(n) = &h.name {
                    lead.push(format!("as:{n}"));
                }
                parts.push(block("except", lead, &h.body));
            }
            parts.push(block("else", vec![], orelse));
            if let Some(f) = finalbody {
                parts.push(block("finally", vec![], f));
            }
            list("try", parts)
        }
        StmtKind::FunctionDef(f) => {
            let mut lead = vec![];
            lead.extend(f.decorators.iter().map(|d| format!("@{}", expr(d))));
            lead.push(f.name.to_string());
            lead.push(params(&f.params));
            if let Some(r) = &f.returns {
                lead.push(format!("->{}", expr(r)));
            }
            block(if f.is_async { "async-def" } else { "def" }, lead, &f.body)
        }
        StmtKind::ClassDef(c) => {
            let mut lead = vec![];
            lead.extend(c.decorators.iter().map(|d| format!("@{}", expr(d))));
            lead.push(c.name.to_string());
            lead.push(format!("[{}]", c.args.iter().map(arg).collect::<Vec<_>>().join(" ")));
            block("class", lead, &c.body)
        }
    }
}
