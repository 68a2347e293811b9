//! Atoms and trailers: names, literals, parenthesised forms, displays,
//! comprehensions, calls, subscripts and slices, attribute access, `await`, `yield`.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::expr::above;
use super::{Core, Node, TokenSource};
use crate::ast::{Comprehension, Constant, DictItem, ExprKind};
use crate::error::Result;
use crate::token::{Pos, Tok};

/// Which bracket a `testlist_comp` is inside.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bracket {
    /// `( ... )`: tuple, generator or plain grouping.
    Paren,
    /// `[ ... ]`: list or list comprehension.
    Square,
}

impl<S: TokenSource> Core<S> {
    /// `await atom trailer*` (at the `await`).
    fn await_expr(&mut self) -> Result<Node> {
        let pos = self.expect(&Tok::KwAwait)?;
        let mut value = self.atom()?;
        while matches!(self.cur.kind, Tok::LParen | Tok::LBracket | Tok::Dot) {
            value = self.trailer(value)?;
        }
        let height = above(value.height, 0);
        self.node(pos, ExprKind::Await(Box::new(value.expr)), height)
    }

    /// An atom followed by any number of calls, subscripts and attribute accesses,
    /// possibly after `await`.
    pub(super) fn atom_trailers(&mut self) -> Result<Node> {
        if self.at(&Tok::KwAwait) {
            return self.await_expr();
        }
        let mut node = self.atom()?;
        loop {
            node = match self.cur.kind {
                Tok::LParen | Tok::LBracket | Tok::Dot => match self.advance()?.kind {
                    Tok::LParen => self.call_trailer(node),
                    Tok::LBracket => self.subscript_trailer(node),
                    _ => self.attribute_trailer(node),
                },
                _ => return Ok(node),
            }?;
        }
    }

    /// One trailer applied to `node`: `(args)`, `[index]` or `.name`.
    fn trailer(&mut self, node: Node) -> Result<Node> {
        match self.advance()?.kind {
            Tok::LParen => self.call_trailer(node),
            Tok::LBracket => self.subscript_trailer(node),
            _ => self.attribute_trailer(node),
        }
    }

    /// `node(args)` (after the `(`).
    fn call_trailer(&mut self, node: Node) -> Result<Node> {
        let (args, args_height) = self.call_args()?;
        self.expect(&Tok::RParen)?;
        let height = above(node.height, args_height);
        self.node(node.expr.pos, ExprKind::Call { func: Box::new(node.expr), args }, height)
    }

    /// `node[index]` (after the `[`).
    fn subscript_trailer(&mut self, node: Node) -> Result<Node> {
        let index = self.subscript_list()?;
        self.expect(&Tok::RBracket)?;
        let height = above(node.height, index.height);
        let pos = node.expr.pos;
        let kind = ExprKind::Subscript { value: Box::new(node.expr), index: Box::new(index.expr) };
        self.node(pos, kind, height)
    }

    /// `node.name` (after the `.`).
    fn attribute_trailer(&mut self, node: Node) -> Result<Node> {
        let (attr, _) = self.expect_name()?;
        let height = above(node.height, 0);
        self.node(node.expr.pos, ExprKind::Attribute { value: Box::new(node.expr), attr }, height)
    }

    /// A single atom.
    fn atom(&mut self) -> Result<Node> {
        match self.cur.kind {
            Tok::LParen | Tok::LBracket => self.group(),
            Tok::LBrace => self.brace(),
            Tok::Str(_) | Tok::Bytes(_) => self.strings(),
            _ => self.literal(),
        }
    }

    /// A name, number, `...`, `None`, `True`, `False` or `__debug__`.
    fn literal(&mut self) -> Result<Node> {
        match self.cur.kind {
            Tok::Name(_) | Tok::Number(_) | Tok::Ellipsis | Tok::KwNone | Tok::KwTrue | Tok::KwFalse | Tok::KwDebug => {
            }
            _ => return Err(self.unexpected()),
        }
        let tok = self.advance()?;
        let kind = match tok.kind {
            Tok::Name(name) => ExprKind::Name(name),
            Tok::Number(number) => ExprKind::Constant(Constant::Number(number)),
            Tok::Ellipsis => ExprKind::Constant(Constant::Ellipsis),
            Tok::KwNone => ExprKind::Constant(Constant::None),
            Tok::KwTrue => ExprKind::Constant(Constant::True),
            Tok::KwFalse => ExprKind::Constant(Constant::False),
            _ => ExprKind::DebugFlag,
        };
        self.node(tok.pos, kind, 1)
    }

    /// Adjacent string (or bytes) literals, joined into one constant.
    fn strings(&mut self) -> Result<Node> {
        let pos = self.cur.pos;
        let mut text: Option<String> = None;
        let mut bytes: Option<Vec<u8>> = None;
        loop {
            let is_str = matches!(self.cur.kind, Tok::Str(_));
            let is_bytes = matches!(self.cur.kind, Tok::Bytes(_));
            if !is_str && !is_bytes {
                break;
            }
            if (is_str && bytes.is_some()) || (is_bytes && text.is_some()) {
                // MicroPython reports mixing str and bytes literals as plain invalid syntax.
                return Err(self.unexpected());
            }
            match self.advance()?.kind {
                Tok::Str(part) => match &mut text {
                    Some(joined) => joined.push_str(&part),
                    None => text = Some(part),
                },
                Tok::Bytes(part) => match &mut bytes {
                    Some(joined) => joined.extend_from_slice(&part),
                    None => bytes = Some(part),
                },
                _ => {}
            }
        }
        let constant = match (text, bytes) {
            (Some(text), _) => Constant::Str(text),
            (None, Some(bytes)) => Constant::Bytes(bytes),
            (None, None) => return Err(self.unexpected()),
        };
        self.node(pos, ExprKind::Constant(constant), 1)
    }

    /// A parenthesised or bracketed form: `( )`, `(yield ...)`, `(x)`, `(x,)`,
    /// `(x for ...)`, `[ ]`, `[x, y]`, `[x for ...]`.
    fn group(&mut self) -> Result<Node> {
        let open = self.advance()?;
        let bracket = if open.kind == Tok::LParen { Bracket::Paren } else { Bracket::Square };
        let closer = match bracket {
            Bracket::Paren => Tok::RParen,
            Bracket::Square => Tok::RBracket,
        };
        let node = if self.at(&closer) || self.at(&Tok::KwYield) {
            self.group_special(open.pos, bracket)
        } else {
            let first = if self.at(&Tok::Star) { self.star_expr() } else { self.test() };
            first.and_then(|first| self.group_rest(open.pos, bracket, first))
        }?;
        self.expect(&closer)?;
        Ok(node)
    }

    /// An empty group, or `(yield ...)` (the closing bracket is left in place).
    fn group_special(&mut self, open: Pos, bracket: Bracket) -> Result<Node> {
        match (bracket, &self.cur.kind) {
            (Bracket::Paren, Tok::KwYield) => self.yield_expr(),
            (Bracket::Paren, Tok::RParen) => self.node(open, ExprKind::Tuple(Vec::new()), 1),
            (Bracket::Square, Tok::RBracket) => self.node(open, ExprKind::List(Vec::new()), 1),
            _ => Err(self.unexpected()),
        }
    }

    /// The rest of a non-empty group after its first item (the closing bracket is left in place).
    fn group_rest(&mut self, open: Pos, bracket: Bracket, first: Node) -> Result<Node> {
        let first = if self.eat(&Tok::ColonEqual)? { self.named_expr(first)? } else { first };
        if self.at(&Tok::KwFor) {
            let (generators, gen_height) = self.comprehension()?;
            let height = above(first.height, gen_height);
            let elt = Box::new(first.expr);
            let kind = match bracket {
                Bracket::Paren => ExprKind::GeneratorExp { elt, generators },
                Bracket::Square => ExprKind::ListComp { elt, generators },
            };
            return self.node(open, kind, height);
        }
        let closer = match bracket {
            Bracket::Paren => Tok::RParen,
            Bracket::Square => Tok::RBracket,
        };
        if bracket == Bracket::Paren && !self.at(&Tok::Comma) {
            return Ok(first);
        }
        let mut height = first.height;
        let mut items = vec![first.expr];
        while self.eat(&Tok::Comma)? {
            if self.at(&closer) {
                break;
            }
            let item = self.star_or_namedexpr()?;
            height = height.max(item.height);
            items.push(item.expr);
        }
        let kind = match bracket {
            Bracket::Paren => ExprKind::Tuple(items),
            Bracket::Square => ExprKind::List(items),
        };
        self.node(open, kind, above(height, 0))
    }

    /// `{ }`, dict and set displays and comprehensions.
    fn brace(&mut self) -> Result<Node> {
        let open = self.expect(&Tok::LBrace)?;
        if self.eat(&Tok::RBrace)? {
            return self.node(open, ExprKind::Dict(Vec::new()), 1);
        }
        let first = self.test()?;
        let node = self.brace_rest(open, first)?;
        self.expect(&Tok::RBrace)?;
        Ok(node)
    }

    /// A dict or set display/comprehension after its first expression.
    fn brace_rest(&mut self, open: Pos, first: Node) -> Result<Node> {
        if self.eat(&Tok::Colon)? {
            let value = self.test()?;
            self.dict_rest(open, first, value)
        } else {
            self.set_rest(open, first)
        }
    }

    /// The rest of a dict display or comprehension after its first `key: value`.
    fn dict_rest(&mut self, open: Pos, key: Node, value: Node) -> Result<Node> {
        let mut height = key.height.max(value.height);
        if self.at(&Tok::KwFor) {
            let (generators, gen_height) = self.comprehension()?;
            let kind = ExprKind::DictComp { key: Box::new(key.expr), value: Box::new(value.expr), generators };
            return self.node(open, kind, above(height, gen_height));
        }
        let mut items = vec![DictItem::Pair(key.expr, value.expr)];
        while self.eat(&Tok::Comma)? {
            if self.at(&Tok::RBrace) {
                break;
            }
            let key = self.test()?;
            if !self.eat(&Tok::Colon)? {
                return Err(Self::error_at("expecting key:value for dict", key.expr.pos));
            }
            let value = self.test()?;
            height = height.max(key.height).max(value.height);
            items.push(DictItem::Pair(key.expr, value.expr));
        }
        self.node(open, ExprKind::Dict(items), above(height, 0))
    }

    /// The rest of a set display or comprehension after its first element.
    fn set_rest(&mut self, open: Pos, first: Node) -> Result<Node> {
        let mut height = first.height;
        if self.at(&Tok::KwFor) {
            let (generators, gen_height) = self.comprehension()?;
            let kind = ExprKind::SetComp { elt: Box::new(first.expr), generators };
            return self.node(open, kind, above(height, gen_height));
        }
        let mut items = vec![first.expr];
        while self.eat(&Tok::Comma)? {
            if self.at(&Tok::RBrace) {
                break;
            }
            let item = self.test()?;
            if self.at(&Tok::Colon) {
                return Err(Self::error_at("expecting just a value for set", item.expr.pos));
            }
            height = height.max(item.height);
            items.push(item.expr);
        }
        self.node(open, ExprKind::Set(items), above(height, 0))
    }

    /// One or more `for target in iter` clauses, each with its `if` filters.
    /// Returns the clauses and the height they add.
    pub(super) fn comprehension(&mut self) -> Result<(Vec<Comprehension>, u32)> {
        let mut generators: Vec<Comprehension> = Vec::new();
        let mut height = 0;
        while self.eat(&Tok::KwFor)? {
            let target = self.exprlist()?;
            Self::check_assign_target(&target.expr)?;
            self.expect(&Tok::KwIn)?;
            let iter = self.or_test()?;
            height = height.max(target.height).max(iter.height);
            let mut ifs = Vec::new();
            while self.eat(&Tok::KwIf)? {
                let cond = self.test_nocond()?;
                height = height.max(cond.height);
                ifs.push(cond.expr);
            }
            generators.push(Comprehension { is_async: false, target: target.expr, iter: iter.expr, ifs });
        }
        Ok((generators, above(height, 0)))
    }

    /// The inside of `[ ]` after a value: one subscript, or a tuple of them.
    fn subscript_list(&mut self) -> Result<Node> {
        let first = self.subscript()?;
        if !self.at(&Tok::Comma) {
            return Ok(first);
        }
        let pos = first.expr.pos;
        let mut height = first.height;
        let mut items = vec![first.expr];
        while self.eat(&Tok::Comma)? {
            if self.at(&Tok::RBracket) {
                break;
            }
            let item = self.subscript()?;
            height = height.max(item.height);
            items.push(item.expr);
        }
        self.node(pos, ExprKind::Tuple(items), above(height, 0))
    }

    /// One subscript: a `test` or a slice `[lower]:[upper][:[step]]`.
    fn subscript(&mut self) -> Result<Node> {
        let pos = self.cur.pos;
        if self.at(&Tok::Colon) {
            return self.slice_rest(pos, None);
        }
        let value = self.test()?;
        if self.at(&Tok::Colon) {
            self.slice_rest(pos, Some(value))
        } else {
            Ok(value)
        }
    }

    /// A slice after its (optional) lower bound, at the first `:`.
    fn slice_rest(&mut self, pos: Pos, lower: Option<Node>) -> Result<Node> {
        self.expect(&Tok::Colon)?;
        let upper = self.slice_part()?;
        let step = if self.eat(&Tok::Colon)? { self.slice_part()? } else { None };
        let height =
            [&lower, &upper, &step].iter().filter_map(|part| part.as_ref().map(|node| node.height)).fold(0, u32::max);
        let boxed = |part: Option<Node>| part.map(|node| Box::new(node.expr));
        let kind = ExprKind::Slice { lower: boxed(lower), upper: boxed(upper), step: boxed(step) };
        self.node(pos, kind, above(height, 0))
    }

    /// An optional `test` inside a slice (absent before `:`, `,` or `]`).
    fn slice_part(&mut self) -> Result<Option<Node>> {
        if self.at(&Tok::Colon) || self.at(&Tok::Comma) || self.at(&Tok::RBracket) {
            Ok(None)
        } else {
            Ok(Some(self.test()?))
        }
    }

    /// `yield`, `yield testlist` or `yield from test`.
    pub(super) fn yield_expr(&mut self) -> Result<Node> {
        let pos = self.expect(&Tok::KwYield)?;
        if self.eat(&Tok::KwFrom)? {
            let value = self.test()?;
            let height = above(value.height, 0);
            return self.node(pos, ExprKind::YieldFrom(Box::new(value.expr)), height);
        }
        if !self.starts_expression() {
            return self.node(pos, ExprKind::Yield(None), 1);
        }
        let value = self.testlist()?;
        let height = above(value.height, 0);
        self.node(pos, ExprKind::Yield(Some(Box::new(value.expr))), height)
    }
}
