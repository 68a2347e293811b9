//! Expressions: `test` (lambda, conditional), boolean operators, comparisons and
//! the binary/unary operators, parsed by precedence climbing.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use super::{Core, Node, TokenSource};
use crate::ast::{BinOp, BoolOp, CmpOp, ExprKind, UnaryOp};
use crate::error::Result;
use crate::token::Tok;

/// Operator precedence levels, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    /// `or`
    Or,
    /// `and`
    And,
    /// `not` (prefix)
    Not,
    /// comparisons
    Compare,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `&`
    BitAnd,
    /// `<<`, `>>`
    Shift,
    /// `+`, `-`
    Arith,
    /// `*`, `@`, `/`, `//`, `%`
    Term,
    /// unary `+`, `-`, `~`
    Factor,
}

impl Prec {
    /// The next tighter level (for left-associative right operands).
    fn tighter(self) -> Prec {
        match self {
            Prec::Or => Prec::And,
            Prec::And => Prec::Not,
            Prec::Not => Prec::Compare,
            Prec::Compare => Prec::BitOr,
            Prec::BitOr => Prec::BitXor,
            Prec::BitXor => Prec::BitAnd,
            Prec::BitAnd => Prec::Shift,
            Prec::Shift => Prec::Arith,
            Prec::Arith => Prec::Term,
            Prec::Term | Prec::Factor => Prec::Factor,
        }
    }
}

/// The binary operator a token stands for, with its precedence.
fn binary_op(tok: &Tok) -> Option<(BinOp, Prec)> {
    let pair = match tok {
        Tok::Pipe => (BinOp::BitOr, Prec::BitOr),
        Tok::Caret => (BinOp::BitXor, Prec::BitXor),
        Tok::Ampersand => (BinOp::BitAnd, Prec::BitAnd),
        Tok::LeftShift => (BinOp::LShift, Prec::Shift),
        Tok::RightShift => (BinOp::RShift, Prec::Shift),
        Tok::Plus => (BinOp::Add, Prec::Arith),
        Tok::Minus => (BinOp::Sub, Prec::Arith),
        Tok::Star => (BinOp::Mult, Prec::Term),
        Tok::At => (BinOp::MatMult, Prec::Term),
        Tok::Slash => (BinOp::Div, Prec::Term),
        Tok::DoubleSlash => (BinOp::FloorDiv, Prec::Term),
        Tok::Percent => (BinOp::Mod, Prec::Term),
        _ => return None,
    };
    Some(pair)
}

/// True for tokens that start a comparison operator.
fn starts_comparison(tok: &Tok) -> bool {
    matches!(
        tok,
        Tok::Less
            | Tok::Greater
            | Tok::EqEqual
            | Tok::LessEqual
            | Tok::GreaterEqual
            | Tok::NotEqual
            | Tok::KwIn
            | Tok::KwNot
            | Tok::KwIs
    )
}

/// The larger of two heights plus one (the height of a node over them).
pub(super) fn above(a: u32, b: u32) -> u32 {
    a.max(b).saturating_add(1)
}

impl<S: TokenSource> Core<S> {
    /// `test`: a lambda, or an `or_test` with an optional `if ... else ...`.
    ///
    /// This and the other functions on the recursion path of nested brackets
    /// (`binary`, `prefix`, `atom_trailers`, `atom`, `group`) keep few locals and
    /// leave node building to helpers, so each nesting level costs little stack.
    /// After an error the parser is finished, so `leave` is skipped on error paths.
    pub(super) fn test(&mut self) -> Result<Node> {
        self.enter()?;
        let node = if self.at(&Tok::KwLambda) { self.lambda(false) } else { self.binary(Prec::Or) }?;
        let node = if self.at(&Tok::KwIf) { self.if_exp(node)? } else { node };
        self.leave();
        Ok(node)
    }

    /// Completes `body if test else orelse` (at the `if`).
    fn if_exp(&mut self, body: Node) -> Result<Node> {
        self.expect(&Tok::KwIf)?;
        let test = self.or_test()?;
        self.expect(&Tok::KwElse)?;
        let orelse = self.test()?;
        let height = above(above(body.height, test.height), orelse.height);
        let pos = body.expr.pos;
        let kind =
            ExprKind::IfExp { test: Box::new(test.expr), body: Box::new(body.expr), orelse: Box::new(orelse.expr) };
        self.node(pos, kind, height)
    }

    /// `test_nocond` (comprehension filters): a lambda without conditional, or an `or_test`.
    pub(super) fn test_nocond(&mut self) -> Result<Node> {
        self.enter()?;
        let node = if self.at(&Tok::KwLambda) { self.lambda(true)? } else { self.or_test()? };
        self.leave();
        Ok(node)
    }

    /// `lambda params: body` (the body is a `test_nocond` when `nocond`).
    fn lambda(&mut self, nocond: bool) -> Result<Node> {
        let pos = self.expect(&Tok::KwLambda)?;
        let (params, params_height) = self.parameters(&Tok::Colon, false)?;
        self.expect(&Tok::Colon)?;
        let body = if nocond { self.test_nocond()? } else { self.test()? };
        let height = above(params_height, body.height);
        let kind = ExprKind::Lambda { params: Box::new(params), body: Box::new(body.expr) };
        self.node(pos, kind, height)
    }

    /// `namedexpr_test`: a `test`, optionally `name := test`.
    pub(super) fn namedexpr_test(&mut self) -> Result<Node> {
        let first = self.test()?;
        if !self.at(&Tok::ColonEqual) {
            return Ok(first);
        }
        self.advance()?;
        self.named_expr(first)
    }

    /// Completes `target := value` once the `:=` has been consumed.
    pub(super) fn named_expr(&mut self, target: Node) -> Result<Node> {
        let pos = target.expr.pos;
        let ExprKind::Name(name) = target.expr.kind else {
            return Err(Self::error_at("can't assign to expression", pos));
        };
        let value = self.test()?;
        let height = above(1, value.height);
        self.node(pos, ExprKind::NamedExpr { target: name, value: Box::new(value.expr) }, height)
    }

    /// `or_test`.
    pub(super) fn or_test(&mut self) -> Result<Node> {
        self.binary(Prec::Or)
    }

    /// `expr`: a bitwise-or level expression (no comparisons or boolean operators).
    pub(super) fn expr(&mut self) -> Result<Node> {
        self.binary(Prec::BitOr)
    }

    /// `*expr` (as `Starred`) or a `test`.
    pub(super) fn star_or_test(&mut self) -> Result<Node> {
        if self.at(&Tok::Star) {
            self.star_expr()
        } else {
            self.test()
        }
    }

    /// `*expr` (as `Starred`) or a `namedexpr_test`.
    pub(super) fn star_or_namedexpr(&mut self) -> Result<Node> {
        if self.at(&Tok::Star) {
            self.star_expr()
        } else {
            self.namedexpr_test()
        }
    }

    /// `*expr` (as `Starred`) or an `expr`.
    pub(super) fn star_or_expr(&mut self) -> Result<Node> {
        if self.at(&Tok::Star) {
            self.star_expr()
        } else {
            self.expr()
        }
    }

    /// `* expr`.
    pub(super) fn star_expr(&mut self) -> Result<Node> {
        let pos = self.expect(&Tok::Star)?;
        self.enter()?;
        let value = self.expr()?;
        self.leave();
        let height = above(value.height, 0);
        self.node(pos, ExprKind::Starred(Box::new(value.expr)), height)
    }

    /// An expression whose operators all bind at least as tightly as `min`.
    pub(super) fn binary(&mut self, min: Prec) -> Result<Node> {
        let mut left = self.prefix(min)?;
        loop {
            let tok = &self.cur.kind;
            let continues = (*tok == Tok::KwOr && min <= Prec::Or)
                || (*tok == Tok::KwAnd && min <= Prec::And)
                || (starts_comparison(tok) && min <= Prec::Compare)
                || binary_op(tok).is_some_and(|(_, prec)| min <= prec);
            if !continues {
                return Ok(left);
            }
            left = self.infix(left)?;
        }
    }

    /// Applies the infix operator at the current token to `left`.
    fn infix(&mut self, left: Node) -> Result<Node> {
        match self.cur.kind {
            Tok::KwOr => self.bool_chain(left, BoolOp::Or),
            Tok::KwAnd => self.bool_chain(left, BoolOp::And),
            ref tok if starts_comparison(tok) => self.comparison_chain(left),
            _ => self.binary_rest(left),
        }
    }

    /// `left op right` for a left-associative binary operator (at the operator).
    fn binary_rest(&mut self, left: Node) -> Result<Node> {
        let op_tok = self.advance()?;
        let Some((op, prec)) = binary_op(&op_tok.kind) else {
            return Err(Self::error_at("invalid syntax", op_tok.pos));
        };
        let right = self.binary(prec.tighter())?;
        let height = above(left.height, right.height);
        let pos = left.expr.pos;
        let kind = ExprKind::BinOp { left: Box::new(left.expr), op, right: Box::new(right.expr) };
        self.node(pos, kind, height)
    }

    /// `left op x op y ...` for `and`/`or`, flattened into one node.
    fn bool_chain(&mut self, left: Node, op: BoolOp) -> Result<Node> {
        let (keyword, operand_prec) = match op {
            BoolOp::Or => (Tok::KwOr, Prec::And),
            BoolOp::And => (Tok::KwAnd, Prec::Not),
        };
        let pos = left.expr.pos;
        let mut height = left.height;
        let mut values = vec![left.expr];
        while self.eat(&keyword)? {
            let operand = self.binary(operand_prec)?;
            height = height.max(operand.height);
            values.push(operand.expr);
        }
        self.node(pos, ExprKind::BoolOp { op, values }, above(height, 0))
    }

    /// `left < x <= y ...`, flattened into one `Compare` node.
    fn comparison_chain(&mut self, left: Node) -> Result<Node> {
        let pos = left.expr.pos;
        let mut height = left.height;
        let mut ops = Vec::new();
        while starts_comparison(&self.cur.kind) {
            let op = self.comparison_op()?;
            let operand = self.binary(Prec::BitOr)?;
            height = height.max(operand.height);
            ops.push((op, operand.expr));
        }
        let kind = ExprKind::Compare { left: Box::new(left.expr), ops };
        self.node(pos, kind, above(height, 0))
    }

    /// Consumes one comparison operator (`not in` and `is not` are two tokens).
    fn comparison_op(&mut self) -> Result<CmpOp> {
        let tok = self.advance()?;
        let op = match tok.kind {
            Tok::Less => CmpOp::Lt,
            Tok::Greater => CmpOp::Gt,
            Tok::EqEqual => CmpOp::Eq,
            Tok::LessEqual => CmpOp::LtE,
            Tok::GreaterEqual => CmpOp::GtE,
            Tok::NotEqual => CmpOp::NotEq,
            Tok::KwIn => CmpOp::In,
            Tok::KwNot => {
                self.expect(&Tok::KwIn)?;
                CmpOp::NotIn
            }
            Tok::KwIs => {
                if self.eat(&Tok::KwNot)? {
                    CmpOp::IsNot
                } else {
                    CmpOp::Is
                }
            }
            _ => return Err(Self::error_at("invalid syntax", tok.pos)),
        };
        Ok(op)
    }

    /// Prefix operators (`not`, unary `+ - ~`) or a power expression
    /// (`['await'] atom trailer* ['**' factor]`).
    fn prefix(&mut self, min: Prec) -> Result<Node> {
        let is_prefix = match self.cur.kind {
            Tok::KwNot => min <= Prec::Not,
            Tok::Plus | Tok::Minus | Tok::Tilde => true,
            _ => false,
        };
        if is_prefix {
            return self.unary();
        }
        let base = self.atom_trailers()?;
        if self.at(&Tok::DoubleStar) {
            self.power_rest(base)
        } else {
            Ok(base)
        }
    }

    /// A unary operator and its operand (at the operator).
    fn unary(&mut self) -> Result<Node> {
        let op_tok = self.advance()?;
        let (op, operand_prec) = match op_tok.kind {
            Tok::KwNot => (UnaryOp::Not, Prec::Not),
            Tok::Plus => (UnaryOp::Pos, Prec::Factor),
            Tok::Minus => (UnaryOp::Neg, Prec::Factor),
            Tok::Tilde => (UnaryOp::Invert, Prec::Factor),
            _ => return Err(Self::error_at("invalid syntax", op_tok.pos)),
        };
        self.enter()?;
        let operand = self.binary(operand_prec)?;
        self.leave();
        let height = above(operand.height, 0);
        self.node(op_tok.pos, ExprKind::UnaryOp { op, operand: Box::new(operand.expr) }, height)
    }

    /// `base ** exponent` (at the `**`; right-associative, the exponent may be unary).
    fn power_rest(&mut self, base: Node) -> Result<Node> {
        self.expect(&Tok::DoubleStar)?;
        self.enter()?;
        let exponent = self.binary(Prec::Factor)?;
        self.leave();
        let height = above(base.height, exponent.height);
        let pos = base.expr.pos;
        let kind = ExprKind::BinOp { left: Box::new(base.expr), op: BinOp::Pow, right: Box::new(exponent.expr) };
        self.node(pos, kind, height)
    }

    /// `testlist`: one `test`, or a bare tuple when there are commas (trailing comma allowed).
    pub(super) fn testlist(&mut self) -> Result<Node> {
        self.comma_list(Self::test)
    }

    /// `testlist_star_expr`: like `testlist` but items may be `*expr`.
    pub(super) fn testlist_star_expr(&mut self) -> Result<Node> {
        self.comma_list(Self::star_or_test)
    }

    /// `exprlist`: `expr`/`*expr` items, a bare tuple when there are commas.
    pub(super) fn exprlist(&mut self) -> Result<Node> {
        self.comma_list(Self::star_or_expr)
    }

    /// A comma-separated list of items: a single item stays as it is, several (or a
    /// trailing comma) become a bare `Tuple`. After a comma the list only continues
    /// when the next token can start an item.
    fn comma_list(&mut self, item: fn(&mut Self) -> Result<Node>) -> Result<Node> {
        let first = item(self)?;
        if !self.at(&Tok::Comma) {
            return Ok(first);
        }
        let pos = first.expr.pos;
        let mut height = first.height;
        let mut items = vec![first.expr];
        while self.eat(&Tok::Comma)? {
            if !self.starts_expression() {
                break;
            }
            let next = item(self)?;
            height = height.max(next.height);
            items.push(next.expr);
        }
        self.node(pos, ExprKind::Tuple(items), above(height, 0))
    }

    /// True when the current token can start an expression (used after a trailing comma).
    pub(super) fn starts_expression(&self) -> bool {
        matches!(
            self.cur.kind,
            Tok::Name(_)
                | Tok::Number(_)
                | Tok::Str(_)
                | Tok::Bytes(_)
                | Tok::KwFalse
                | Tok::KwNone
                | Tok::KwTrue
                | Tok::KwDebug
                | Tok::KwAwait
                | Tok::KwLambda
                | Tok::KwNot
                | Tok::Tilde
                | Tok::Plus
                | Tok::Minus
                | Tok::Star
                | Tok::LParen
                | Tok::LBracket
                | Tok::LBrace
                | Tok::Ellipsis
        )
    }
}
