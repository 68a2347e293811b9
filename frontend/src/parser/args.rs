//! Argument lists of calls (and class bases) and parameter lists of `def` and `lambda`.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::expr::above;
use super::{Core, Node, TokenSource};
use crate::ast::{Arg, ExprKind, Param, Parameters};
use crate::error::{CompileError, Result};
use crate::token::Tok;

/// What has been seen so far in an argument list (for MicroPython's ordering rules).
#[derive(Default)]
struct ArgOrder {
    /// A `**m` argument has been seen.
    seen_double_star: bool,
    /// A keyword (or `**m`) argument has been seen.
    seen_keyword: bool,
}

impl ArgOrder {
    /// Records a non-starred argument, rejecting a plain positional one in the wrong place.
    fn check(&mut self, arg: &Arg) -> Result<()> {
        match arg {
            Arg::Keyword(..) => self.seen_keyword = true,
            Arg::Positional(value) => {
                // Generator and `:=` arguments are exempt, as in MicroPython.
                let plain = !matches!(value.kind, ExprKind::GeneratorExp { .. } | ExprKind::NamedExpr { .. });
                if plain && self.seen_double_star {
                    return Err(CompileError::syntax("positional arg after **", value.pos));
                }
                if plain && self.seen_keyword {
                    return Err(CompileError::syntax("positional arg after keyword arg", value.pos));
                }
            }
            Arg::Star(_) | Arg::DoubleStar(_) => {}
        }
        Ok(())
    }
}

impl<S: TokenSource> Core<S> {
    /// The arguments of a call, up to (not including) the closing `)`.
    /// Returns them in source order with the largest height among them.
    ///
    /// Applies MicroPython's ordering rules: no `*x` after `**m` or after a keyword
    /// argument, no plain positional argument after `**m` or after a keyword argument.
    pub(super) fn call_args(&mut self) -> Result<(Vec<Arg>, u32)> {
        let mut args = Vec::new();
        let mut height = 0;
        let mut order = ArgOrder::default();
        while !self.at(&Tok::RParen) {
            let (arg, arg_height) = self.argument(&mut order)?;
            height = height.max(arg_height);
            args.push(arg);
            if !self.eat(&Tok::Comma)? {
                break;
            }
        }
        Ok((args, height))
    }

    /// One argument: `*x`, `**m`, `x`, `name=x`, `name := x` or a bare generator.
    fn argument(&mut self, order: &mut ArgOrder) -> Result<(Arg, u32)> {
        let pos = self.cur.pos;
        let marker = match self.cur.kind {
            Tok::Star | Tok::DoubleStar => Some(self.advance()?.kind),
            _ => None,
        };
        let value = self.test()?;
        match marker {
            Some(Tok::Star) => {
                if order.seen_double_star {
                    return Err(Self::error_at("* arg after **", pos));
                }
                if order.seen_keyword {
                    return Err(Self::error_at("* arg after kwarg", pos));
                }
                Ok((Arg::Star(value.expr), value.height))
            }
            Some(_) => {
                order.seen_double_star = true;
                order.seen_keyword = true;
                Ok((Arg::DoubleStar(value.expr), value.height))
            }
            None => {
                let (arg, height) = self.argument_rest(value)?;
                order.check(&arg)?;
                Ok((arg, height))
            }
        }
    }

    /// What follows an argument's first `test`: a generator clause, `= value`,
    /// `:= value`, or nothing.
    fn argument_rest(&mut self, first: Node) -> Result<(Arg, u32)> {
        if self.at(&Tok::KwFor) {
            let pos = first.expr.pos;
            let (generators, gen_height) = self.comprehension()?;
            let height = above(first.height, gen_height);
            let kind = ExprKind::GeneratorExp { elt: Box::new(first.expr), generators };
            let node = self.node(pos, kind, height)?;
            return Ok((Arg::Positional(node.expr), node.height));
        }
        if self.eat(&Tok::ColonEqual)? {
            let node = self.named_expr(first)?;
            return Ok((Arg::Positional(node.expr), node.height));
        }
        if !self.eat(&Tok::Equal)? {
            return Ok((Arg::Positional(first.expr), first.height));
        }
        let ExprKind::Name(name) = first.expr.kind else {
            return Err(Self::error_at("LHS of keyword arg must be an id", first.expr.pos));
        };
        let value = self.test()?;
        let height = above(value.height, 0);
        Ok((Arg::Keyword(name, value.expr), height))
    }

    /// A parameter list up to (not including) `closer`; annotations are allowed when
    /// `typed` (for `def`, not for `lambda`). Returns the parameters and their height.
    pub(super) fn parameters(&mut self, closer: &Tok, typed: bool) -> Result<(Parameters, u32)> {
        let mut params = Parameters::default();
        let mut height = 1;
        let mut seen_default = false;
        let mut seen_double_star = false;
        while !self.at(closer) {
            if seen_double_star {
                return Err(self.unexpected());
            }
            let star_pos = self.cur.pos;
            if self.eat(&Tok::Star)? {
                if params.has_star {
                    return Err(Self::error_at("invalid syntax", star_pos));
                }
                params.has_star = true;
                if let Tok::Name(_) = self.cur.kind {
                    let (param, param_height) = self.parameter(typed, false)?;
                    height = height.max(param_height);
                    params.vararg = Some(param);
                }
            } else if self.eat(&Tok::DoubleStar)? {
                let (param, param_height) = self.parameter(typed, false)?;
                height = height.max(param_height);
                params.kwarg = Some(param);
                seen_double_star = true;
            } else {
                let (param, param_height) = self.parameter(typed, true)?;
                height = height.max(param_height);
                if params.has_star {
                    params.kwonlyargs.push(param);
                } else {
                    if param.default.is_some() {
                        seen_default = true;
                    } else if seen_default {
                        return Err(Self::error_at("non-default argument follows default argument", param.pos));
                    }
                    params.args.push(param);
                }
            }
            if !self.eat(&Tok::Comma)? {
                break;
            }
        }
        Ok((params, above(height, 0)))
    }

    /// One parameter: `name [: annotation] [= default]`.
    fn parameter(&mut self, typed: bool, with_default: bool) -> Result<(Param, u32)> {
        let (name, pos) = self.expect_name()?;
        let mut height = 0;
        let annotation = if typed && self.eat(&Tok::Colon)? {
            let node = self.test()?;
            height = height.max(node.height);
            Some(node.expr)
        } else {
            None
        };
        let default = if with_default && self.eat(&Tok::Equal)? {
            let node = self.test()?;
            height = height.max(node.height);
            Some(node.expr)
        } else {
            None
        };
        Ok((Param { pos, name, annotation, default }, above(height, 0)))
    }
}
