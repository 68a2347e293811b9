//! Recognition of MicroPython's built-in decorators (`@micropython.native` etc).

use crate::ast::{Expr, ExprKind, Pos};
use crate::emit::EmitterKind;

/// What a `@micropython.*` decorator asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinDecorator {
    /// Use this emitter for the function.
    Emitter(EmitterKind),
    /// Inline assembler (`asm_thumb`, `asm_xtensa`, `asm_rv32`).
    Asm,
    /// `@micropython...` that is not a known decorator (error position).
    Invalid(Pos),
}

/// Classifies a decorator: None when it is an ordinary (user) decorator.
pub fn builtin_decorator(d: &Expr) -> Option<BuiltinDecorator> {
    let mut e = d;
    if let ExprKind::Call { func, .. } = &e.kind {
        e = func;
    }
    match &e.kind {
        ExprKind::Name(n) if &**n == "micropython" => Some(BuiltinDecorator::Invalid(e.pos)),
        ExprKind::Attribute { value, attr } => {
            let mut base = &**value;
            let mut depth = 2;
            while let ExprKind::Attribute { value, .. } = &base.kind {
                base = value;
                depth += 1;
                if depth > 64 {
                    break;
                }
            }
            match &base.kind {
                ExprKind::Name(n) if &**n == "micropython" => {}
                _ => return None,
            }
            if depth != 2 {
                return Some(BuiltinDecorator::Invalid(base.pos));
            }
            Some(match &**attr {
                "bytecode" => BuiltinDecorator::Emitter(EmitterKind::Bytecode),
                "native" => BuiltinDecorator::Emitter(EmitterKind::Native),
                "viper" => BuiltinDecorator::Emitter(EmitterKind::Viper),
                "asm_thumb" | "asm_xtensa" | "asm_rv32" => BuiltinDecorator::Asm,
                _ => BuiltinDecorator::Invalid(e.pos),
            })
        }
        _ => None,
    }
}
