//! Argument lists of calls (and class bases) and parameter lists of `def` and `lambda`.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::expr::above;
use super::{Core, Node, TokenSource};
use crate::ast::{Arg, ExprKind, Param, Parameters};
use crate::error::Result;
use crate::token::Tok;

impl<S: TokenSource> Core<S> {
    /// The arguments of a call, up to (not including) the closing `)`.
    /// Returns them in source order with the largest height among them.
    ///
    /// Applies MicroPython's ordering rules: no `*x` after `**m` or after a keyword
    /// argument, no plain positional argument after `**m` or after a keyword argument.
    pub(super) fn call_args(&mut self) -> Result<(Vec<Arg>, u32)> {
        let mut args = Vec::new();
        let mut height = 0;
        let mut seen_double_star = false;
        let mut seen_keyword = false;
        while !self.at(&Tok::RParen) {
            let pos = self.cur.pos;
            let arg = if self.eat(&Tok::Star)? {
                if seen_double_star {
                    return Err(Self::error_at("* arg after **", pos));
                }
                if seen_keyword {
                    return Err(Self::error_at("* arg after kwarg", pos));
                }
                let value = self.test()?;
                height = height.max(value.height);
                Arg::Star(value.expr)
            } else if self.eat(&Tok::DoubleStar)? {
                let value = self.test()?;
                height = height.max(value.height);
                seen_double_star = true;
                seen_keyword = true;
                Arg::DoubleStar(value.expr)
            } else {
                let first = self.test()?;
                let (arg, arg_height) = self.argument_rest(first)?;
                if let Arg::Keyword(..) = arg {
                    seen_keyword = true;
                }
                height = height.max(arg_height);
                arg
            };
            if let Arg::Positional(value) = &arg {
                // Generator and `:=` arguments are exempt, as in MicroPython.
                let plain = !matches!(
                    value.kind,
                    ExprKind::GeneratorExp { .. } | ExprKind::NamedExpr { .. }
                );
                if plain && seen_double_star {
                    return Err(Self::error_at("positional arg after **", value.pos));
                }
                if plain && seen_keyword {
                    return Err(Self::error_at(
                        "positional arg after keyword arg",
                        value.pos,
                    ));
                }
            }
            args.push(arg);
            if !self.eat(&Tok::Comma)? {
                break;
            }
        }
        Ok((args, height))
    }

    /// What follows an argument's first `test`: a generator clause, `= value`,
    /// `:= value`, or nothing.
    fn argument_rest(&mut self, first: Node) -> Result<(Arg, u32)> {
        if self.at(&Tok::KwFor) {
            let pos = first.expr.pos;
            let (generators, gen_height) = self.comprehension()?;
            let height = above(first.height, gen_height);
            let kind = ExprKind::GeneratorExp {
                elt: Box::new(first.expr),
                generators,
            };
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
            return Err(Self::error_at(
                "LHS of keyword arg must be an id",
                first.expr.pos,
            ));
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
                        return Err(Self::error_at(
                            "non-default argument follows default argument",
                            param.pos,
                        ));
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
        Ok((
            Param {
                pos,
                name,
                annotation,
                default,
            },
            above(height, 0),
        ))
    }
}
