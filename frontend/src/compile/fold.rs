//! Constant folding as MicroPython's parser does it (`py/parse.c`): numeric
//! operator chains whose operands are all numbers, unary `+ - ~`, `not` and
//! `and`/`or` of constants, tuples of constants, `math` constants, `__debug__`
//! and names defined with `const()`.
//!
//! MicroPython folds a whole grammar rule at once (e.g. all of `a * b / c`), and
//! only when every operand is a number; a parenthesised operand is its own rule.
//! The AST keeps no parentheses, so a left operand belongs to the same rule when
//! it is a binary operation of the same precedence group starting at the same
//! position as its parent (a parenthesised operand starts one column later).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::ast::*;

/// Names bound with `X = const(value)`, with their values.
pub type Consts = BTreeMap<String, ConstVal>;

/// A compile-time constant value.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstVal {
    /// An integer that fits in an `i64`.
    Int(i64),
    /// A larger integer, as decimal digits with an optional `-`.
    BigInt(String),
    /// A float.
    Float(f64),
    /// A complex number.
    Complex(f64, f64),
    /// A string.
    Str(String),
    /// A bytes object.
    Bytes(Vec<u8>),
    /// `None`
    None,
    /// `True`
    True,
    /// `False`
    False,
    /// `...`
    Ellipsis,
    /// A tuple of constants.
    Tuple(Vec<ConstVal>),
}

impl ConstVal {
    /// Python truthiness of the constant.
    pub fn truth(&self) -> bool {
        match self {
            ConstVal::Int(i) => *i != 0,
            ConstVal::BigInt(_) => true,
            ConstVal::Float(f) => *f != 0.0,
            ConstVal::Complex(r, i) => *r != 0.0 || *i != 0.0,
            ConstVal::Str(s) => !s.is_empty(),
            ConstVal::Bytes(b) => !b.is_empty(),
            ConstVal::None | ConstVal::False => false,
            ConstVal::True | ConstVal::Ellipsis => true,
            ConstVal::Tuple(t) => !t.is_empty(),
        }
    }

    fn is_number(&self) -> bool {
        matches!(self, ConstVal::Int(_) | ConstVal::BigInt(_) | ConstVal::Float(_))
    }
}

/// The precedence group of a binary operator (one grammar rule each).
fn group(op: BinOp) -> u8 {
    match op {
        BinOp::BitOr => 0,
        BinOp::BitXor => 1,
        BinOp::BitAnd => 2,
        BinOp::LShift | BinOp::RShift => 3,
        BinOp::Add | BinOp::Sub => 4,
        BinOp::Mult | BinOp::MatMult | BinOp::Div | BinOp::FloorDiv | BinOp::Mod => 5,
        BinOp::Pow => 6,
    }
}

/// True when `cur`, met while walking down the left side of a binary
/// operator chain that starts at `top`, still belongs to the chain.
fn in_chain<'e>(cur: &'e Expr, top: &Expr, top_group: u8, is_top: bool) -> Option<(BinOp, &'e Expr, &'e Expr)> {
    let ExprKind::BinOp { left, op, right } = &cur.kind else {
        return None;
    };
    let g = group(*op);
    // A power operator takes a single operator: `a ** b ** c` nests on the right.
    if g != top_group || cur.pos != top.pos || (g == 6 && !is_top) {
        return None;
    }
    Some((*op, left, right))
}

/// Calls `f` on the operands of a same-rule chain of binary operators, leftmost
/// first, each with the operator that applies it (None for the first); stops at
/// the first error. The recursion is bounded by the tree height, which the
/// parser limits.
pub fn visit_binop_chain<'e, E>(
    e: &'e Expr,
    f: &mut dyn FnMut(Option<BinOp>, &'e Expr) -> Result<(), E>,
) -> Result<(), E> {
    let top_group = match &e.kind {
        ExprKind::BinOp { op, .. } => group(*op),
        _ => 0,
    };
    visit_chain_from(e, e, top_group, true, f)
}

fn visit_chain_from<'e, E>(
    cur: &'e Expr,
    top: &'e Expr,
    top_group: u8,
    is_top: bool,
    f: &mut dyn FnMut(Option<BinOp>, &'e Expr) -> Result<(), E>,
) -> Result<(), E> {
    match in_chain(cur, top, top_group, is_top) {
        Some((op, left, right)) => {
            visit_chain_from(left, top, top_group, false, f)?;
            f(Some(op), right)
        }
        None => f(None, cur),
    }
}

/// The operands of a same-rule chain of binary operators, leftmost first, each
/// with the operator that applies it (None for the first).
pub fn binop_chain(e: &Expr) -> Vec<(Option<BinOp>, &Expr)> {
    let mut out = Vec::new();
    let _ = visit_binop_chain(e, &mut |op, operand| -> Result<(), ()> {
        out.push((op, operand));
        Ok(())
    });
    out
}

/// Folds the chain of binary operators from `cur` down (see [`visit_binop_chain`]):
/// every operand must fold to a number.
fn fold_chain(cur: &Expr, top: &Expr, top_group: u8, is_top: bool, consts: &Consts, opt: u8) -> Option<ConstVal> {
    match in_chain(cur, top, top_group, is_top) {
        Some((op, left, right)) => {
            let acc = fold_chain(left, top, top_group, false, consts, opt)?;
            let v = fold_expr(right, consts, opt)?;
            if !v.is_number() {
                return None;
            }
            binary(op, acc, v)
        }
        None => fold_expr(cur, consts, opt).filter(ConstVal::is_number),
    }
}

/// The operands that remain of an `and`/`or` after dropping constant ones.
pub fn bool_operands<'e>(e: &'e Expr, consts: &Consts, opt: u8) -> Vec<&'e Expr> {
    let ExprKind::BoolOp { op, values } = &e.kind else {
        return alloc::vec![e];
    };
    let mut out = Vec::new();
    let n = values.len();
    for (i, v) in values.iter().enumerate() {
        if i + 1 == n {
            out.push(v);
            break;
        }
        match truth(v, consts, opt) {
            Some(t) if (*op == BoolOp::Or) == t => {
                out.push(v);
                break;
            }
            Some(_) => {}
            None => out.push(v),
        }
    }
    out
}

/// The truth value of a constant expression, or None when it is not constant.
pub fn truth(e: &Expr, consts: &Consts, opt: u8) -> Option<bool> {
    fold_element(e, consts, opt).map(|c| c.truth())
}

/// Like [`fold_expr`], but an empty tuple counts as a constant (as a tuple item
/// or a condition, MicroPython treats `()` as constant).
pub fn fold_element(e: &Expr, consts: &Consts, opt: u8) -> Option<ConstVal> {
    match &e.kind {
        ExprKind::Tuple(items) if items.is_empty() => Some(ConstVal::Tuple(Vec::new())),
        _ => fold_expr(e, consts, opt),
    }
}

/// `math.<name>` constants folded by MicroPython's parser.
pub fn module_const(e: &Expr) -> Option<ConstVal> {
    let ExprKind::Attribute { value, attr } = &e.kind else {
        return None;
    };
    let ExprKind::Name(m) = &value.kind else {
        return None;
    };
    if &**m != "math" {
        return None;
    }
    let v = match &**attr {
        "pi" => core::f64::consts::PI,
        "e" => core::f64::consts::E,
        "tau" => core::f64::consts::TAU,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return None,
    };
    Some(ConstVal::Float(v))
}

/// True when [`fold_expr`] folds `e` (cheaper: common cases build no value).
pub fn is_foldable(e: &Expr, consts: &Consts, opt: u8) -> bool {
    match &e.kind {
        ExprKind::Constant(_) | ExprKind::DebugFlag => true,
        ExprKind::Name(n) => consts.contains_key(&**n),
        ExprKind::UnaryOp { .. }
        | ExprKind::BinOp { .. }
        | ExprKind::BoolOp { .. }
        | ExprKind::Tuple(_)
        | ExprKind::Attribute { .. } => fold_expr(e, consts, opt).is_some(),
        _ => false,
    }
}

/// Folds `e` when MicroPython's parser would turn it into a constant.
pub fn fold_expr(e: &Expr, consts: &Consts, opt: u8) -> Option<ConstVal> {
    match &e.kind {
        ExprKind::Constant(c) => Some(match c {
            Constant::None => ConstVal::None,
            Constant::True => ConstVal::True,
            Constant::False => ConstVal::False,
            Constant::Ellipsis => ConstVal::Ellipsis,
            Constant::Number(Number::Int(i)) => ConstVal::Int(*i),
            Constant::Number(Number::BigInt(s)) => ConstVal::BigInt(s.clone()),
            Constant::Number(Number::Float(f)) => ConstVal::Float(*f),
            Constant::Number(Number::Imag(f)) => ConstVal::Complex(0.0, *f),
            Constant::Str(s) => ConstVal::Str(s.clone()),
            Constant::Bytes(b) => ConstVal::Bytes(b.clone()),
        }),
        ExprKind::DebugFlag => Some(if opt == 0 { ConstVal::True } else { ConstVal::False }),
        ExprKind::Name(n) => consts.get(&**n).cloned(),
        ExprKind::UnaryOp { op, operand } => {
            let v = if *op == UnaryOp::Not {
                fold_element(operand, consts, opt)?
            } else {
                fold_expr(operand, consts, opt)?
            };
            match op {
                UnaryOp::Not => Some(if v.truth() { ConstVal::False } else { ConstVal::True }),
                UnaryOp::Pos => v.is_number().then_some(v),
                UnaryOp::Neg => match v {
                    ConstVal::Int(i) => Some(from_big(-BigInt::from(i))),
                    ConstVal::BigInt(s) => s.parse::<BigInt>().ok().map(|x| from_big(-x)),
                    ConstVal::Float(f) => Some(ConstVal::Float(-f)),
                    _ => None,
                },
                UnaryOp::Invert => match v {
                    ConstVal::Int(i) => Some(ConstVal::Int(!i)),
                    ConstVal::BigInt(s) => s.parse::<BigInt>().ok().map(|x| from_big(-x - 1u8)),
                    _ => None,
                },
            }
        }
        ExprKind::BinOp { op, .. } => fold_chain(e, e, group(*op), true, consts, opt),
        ExprKind::BoolOp { .. } => {
            let ops = bool_operands(e, consts, opt);
            if ops.len() == 1 {
                ops.first().and_then(|o| fold_expr(o, consts, opt))
            } else {
                None
            }
        }
        // `()` alone is built at run time; inside a constant tuple it is constant.
        ExprKind::Tuple(items) if items.is_empty() => None,
        ExprKind::Tuple(items) => {
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(fold_element(i, consts, opt)?);
            }
            Some(ConstVal::Tuple(out))
        }
        ExprKind::Attribute { .. } => module_const(e),
        _ => None,
    }
}

fn as_int(v: &ConstVal) -> Option<BigInt> {
    match v {
        ConstVal::Int(i) => Some(BigInt::from(*i)),
        ConstVal::BigInt(s) => s.parse::<BigInt>().ok(),
        _ => None,
    }
}

fn from_big(v: BigInt) -> ConstVal {
    match i64::try_from(&v) {
        Ok(i) => ConstVal::Int(i),
        Err(_) => ConstVal::BigInt(alloc::format!("{v}")),
    }
}

/// Folded integers are kept to this many bits; wider results are left to run time
/// (so that `1 << 10**9` cannot exhaust the compiler's memory).
const MAX_FOLD_BITS: u64 = 1 << 16;

/// An integer operation folded with arbitrary precision; None when MicroPython would
/// not fold it (or the result would be wider than [`MAX_FOLD_BITS`]).
fn int_binary(op: BinOp, x: &BigInt, y: &BigInt) -> Option<ConstVal> {
    let fits = |bits: u64| bits <= MAX_FOLD_BITS;
    let r = match op {
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        BinOp::BitAnd => x & y,
        BinOp::LShift => {
            let n = u64::try_from(y).ok()?;
            if !fits(x.bits().saturating_add(n)) {
                return None;
            }
            x << n
        }
        BinOp::RShift => {
            if y.is_negative() {
                return None;
            }
            // Shifting by more than the width gives 0 or -1 either way.
            let n = u64::try_from(y).unwrap_or(u64::MAX).min(x.bits().saturating_add(1));
            x >> n
        }
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mult => {
            if !fits(x.bits().saturating_add(y.bits())) {
                return None;
            }
            x * y
        }
        BinOp::MatMult => return None,
        BinOp::FloorDiv => {
            if y.is_zero() {
                return None;
            }
            x.div_floor(y)
        }
        BinOp::Mod => {
            if y.is_zero() {
                return None;
            }
            x.mod_floor(y)
        }
        BinOp::Div => {
            if y.is_zero() {
                return None;
            }
            return Some(ConstVal::Float(big_f64(x) / big_f64(y)));
        }
        BinOp::Pow => {
            if y.is_negative() {
                if x.is_zero() {
                    return None;
                }
                return Some(ConstVal::Float(int_pow_f64(big_f64(x), i128::try_from(y).ok()?)));
            }
            let n = u32::try_from(y).ok()?;
            if !fits(x.bits().saturating_mul(u64::from(n))) {
                return None;
            }
            num_traits::pow::Pow::pow(x, n)
        }
    };
    Some(from_big(r))
}

/// The nearest float to `x` (infinite when out of range).
fn big_f64(x: &BigInt) -> f64 {
    x.to_f64().unwrap_or(if x.is_negative() { f64::NEG_INFINITY } else { f64::INFINITY })
}

fn as_f64(v: &ConstVal) -> f64 {
    match v {
        ConstVal::Int(i) => *i as f64,
        ConstVal::Float(f) => *f,
        ConstVal::BigInt(s) => s.parse::<f64>().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn floor_f(x: f64) -> f64 {
    let t = x as i64 as f64;
    if (x.abs()) < 9.0e15 {
        if t > x {
            t - 1.0
        } else {
            t
        }
    } else {
        x
    }
}

/// One folded binary operation; None when MicroPython would not fold it.
fn binary(op: BinOp, a: ConstVal, b: ConstVal) -> Option<ConstVal> {
    if let (Some(x), Some(y)) = (as_int(&a), as_int(&b)) {
        return int_binary(op, &x, &y);
    }
    let (x, y) = (as_f64(&a), as_f64(&b));
    let r = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mult => x * y,
        BinOp::Div => {
            if y == 0.0 {
                return None;
            }
            x / y
        }
        BinOp::FloorDiv => {
            if y == 0.0 {
                return None;
            }
            floor_f(x / y)
        }
        BinOp::Mod => {
            if y == 0.0 {
                return None;
            }
            let m = x % y;
            if m != 0.0 && ((m < 0.0) != (y < 0.0)) {
                m + y
            } else {
                m
            }
        }
        // As the runtime computes it; what raises or makes a complex is not folded.
        BinOp::Pow => {
            if (x == 0.0 && y < 0.0 && !y.is_infinite()) || (x < 0.0 && y != floor_f(y) && !y.is_nan()) {
                return None;
            }
            if x == 1.0 || y == 0.0 {
                1.0
            } else {
                float_pow(x, y)
            }
        }
        _ => return None,
    };
    Some(ConstVal::Float(r))
}

/// `x ** y` with the runtime's function (`ferropy_runtime::modules::fmath::pow`):
/// the system's `pow` with `std`, the `libm` crate's without.
fn float_pow(x: f64, y: f64) -> f64 {
    #[cfg(feature = "std")]
    {
        x.powf(y)
    }
    #[cfg(not(feature = "std"))]
    {
        libm::pow(x, y)
    }
}

/// `x ** y` for a negative int exponent `y`, by repeated squaring (as MicroPython
/// folds `int ** -int` to a float).
fn int_pow_f64(x: f64, y: i128) -> f64 {
    let mut n = y.unsigned_abs();
    let mut base = x;
    let mut acc = 1.0;
    while n > 0 {
        if n & 1 == 1 {
            acc *= base;
        }
        base *= base;
        n >>= 1;
    }
    1.0 / acc
}

/// True when an expression statement is a constant MicroPython drops.
pub fn is_const_expr_stmt(e: &Expr) -> bool {
    fold_expr(e, &Consts::new(), 0).is_some() && !matches!(e.kind, ExprKind::Name(_))
}

/// For `X = const(v)`: Some(true) when `X` starts with `_` (nothing is stored),
/// Some(false) otherwise; None when the statement is not a const definition.
pub fn const_assign(targets: &[Expr], value: &Expr) -> Option<bool> {
    let [target] = targets else { return None };
    let ExprKind::Name(name) = &target.kind else {
        return None;
    };
    const_call_arg(value)?;
    Some(name.starts_with('_'))
}

/// The argument list of a `const(...)` call.
pub fn const_call_arg(value: &Expr) -> Option<&[Arg]> {
    let ExprKind::Call { func, args } = &value.kind else {
        return None;
    };
    let ExprKind::Name(f) = &func.kind else {
        return None;
    };
    (&**f == "const").then_some(args.as_slice())
}

/// The operands of `a, b = c, d` (or three of each) compiled with ROT_TWO/ROT_THREE.
pub fn double_tuple_parts<'e>(
    targets: &'e [Expr],
    value: &'e Expr,
    consts: &Consts,
    opt: u8,
) -> Option<(&'e [Expr], &'e [Expr])> {
    let [target] = targets else { return None };
    let ExprKind::Tuple(lhs) = &target.kind else {
        return None;
    };
    let ExprKind::Tuple(rhs) = &value.kind else {
        return None;
    };
    if lhs.len() != rhs.len() || !(lhs.len() == 2 || lhs.len() == 3) {
        return None;
    }
    if lhs.iter().any(|t| matches!(t.kind, ExprKind::Starred(_))) {
        return None;
    }
    if fold_expr(value, consts, opt).is_some() {
        return None;
    }
    Some((lhs, rhs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;

    fn num(i: i64, col: u32) -> Expr {
        Expr { pos: Pos::new(1, col), kind: ExprKind::Constant(Constant::Number(Number::Int(i))) }
    }

    fn bin(l: Expr, op: BinOp, r: Expr, col: u32) -> Expr {
        Expr { pos: Pos::new(1, col), kind: ExprKind::BinOp { left: Box::new(l), op, right: Box::new(r) } }
    }

    #[test]
    fn folds_arithmetic_chains() {
        let e = bin(bin(num(2, 1), BinOp::Mult, num(3, 5), 1), BinOp::Add, num(1, 9), 1);
        // `2*3` is a different group from `+`, folded on its own first.
        assert_eq!(fold_expr(&e, &Consts::new(), 0), Some(ConstVal::Int(7)));
        let d = bin(num(7, 1), BinOp::FloorDiv, num(-2, 4), 1);
        assert_eq!(fold_expr(&d, &Consts::new(), 0), Some(ConstVal::Int(-4)));
        let z = bin(num(1, 1), BinOp::Div, num(0, 3), 1);
        assert_eq!(fold_expr(&z, &Consts::new(), 0), None);
    }

    #[test]
    fn float_powers_fold_unless_they_raise_or_turn_complex() {
        let f = |x: f64, y: f64| binary(BinOp::Pow, ConstVal::Float(x), ConstVal::Float(y));
        assert_eq!(f(2.5, 2.0), Some(ConstVal::Float(6.25)));
        assert_eq!(f(2.0, 0.5), Some(ConstVal::Float(core::f64::consts::SQRT_2)));
        assert_eq!(f(1.0, f64::NAN), Some(ConstVal::Float(1.0)));
        assert_eq!(f(f64::NAN, 0.0), Some(ConstVal::Float(1.0)));
        // ZeroDivisionError and a complex result are left to run time.
        assert_eq!(f(0.0, -1.0), None);
        assert_eq!(f(-8.0, 0.5), None);
        // An int base with a float exponent folds too.
        assert_eq!(binary(BinOp::Pow, ConstVal::Int(4), ConstVal::Float(0.5)), Some(ConstVal::Float(2.0)));
    }

    #[test]
    fn chain_with_a_name_is_not_folded_at_all() {
        let x = Expr { pos: Pos::new(1, 5), kind: ExprKind::Name(Ident::from("x")) };
        let e = bin(bin(num(2, 1), BinOp::Mult, num(3, 3), 1), BinOp::Mult, x, 1);
        assert_eq!(fold_expr(&e, &Consts::new(), 0), None);
        assert_eq!(binop_chain(&e).len(), 3);
    }
}
