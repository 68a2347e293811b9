//! Checks on assignment and `del` targets, with MicroPython's messages.
//!
//! The recursion here follows the tree, whose height the parser has already capped.

use super::{Core, TokenSource};
use crate::ast::{Expr, ExprKind};
use crate::error::Result;

/// The message for a target that cannot be assigned to.
const CANT_ASSIGN: &str = "can't assign to expression";
/// The message for a target that cannot be deleted.
const CANT_DELETE: &str = "can't delete expression";

impl<S: TokenSource> Core<S> {
    /// Checks a target of `=`, `for`, `with ... as` or a comprehension: a name,
    /// attribute, subscript, or a tuple/list of targets with at most one `*x`.
    /// An empty `()` and a lone `*x` are rejected, as in MicroPython.
    pub(super) fn check_assign_target(target: &Expr) -> Result<()> {
        match &target.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            ExprKind::Tuple(items) if items.is_empty() => Err(Self::error_at(CANT_ASSIGN, target.pos)),
            ExprKind::Tuple(items) | ExprKind::List(items) => Self::check_target_items(items),
            _ => Err(Self::error_at(CANT_ASSIGN, target.pos)),
        }
    }

    /// Checks the items of a tuple or list target.
    fn check_target_items(items: &[Expr]) -> Result<()> {
        let mut seen_star = false;
        for item in items {
            if let ExprKind::Starred(inner) = &item.kind {
                if seen_star {
                    return Err(Self::error_at("multiple *x in assignment", item.pos));
                }
                seen_star = true;
                Self::check_assign_target(inner)?;
            } else {
                Self::check_assign_target(item)?;
            }
        }
        Ok(())
    }

    /// Checks the target of an augmented assignment: a name, attribute or subscript.
    pub(super) fn check_aug_target(target: &Expr) -> Result<()> {
        match target.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            _ => Err(Self::error_at(CANT_ASSIGN, target.pos)),
        }
    }

    /// Checks one item of a `del` statement: a name, attribute, subscript, or a
    /// non-empty parenthesised tuple of such items.
    pub(super) fn check_del_target(target: &Expr) -> Result<()> {
        match &target.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            ExprKind::Tuple(items) if !items.is_empty() => items.iter().try_for_each(Self::check_del_target),
            _ => Err(Self::error_at(CANT_DELETE, target.pos)),
        }
    }
}
