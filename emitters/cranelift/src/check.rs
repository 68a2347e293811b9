//! Which recorded scopes the optimizing tier translates.
//!
//! The translated code keeps native values in registers, so it must never be
//! entered in the middle: scopes with exception blocks (`try`, `finally`,
//! `with`: the runtime re-enters the code at a handler) or generators (resumed
//! after a `yield`) keep the single-pass code, as do operations whose operand
//! is the position of an exception block.

use ferropy_bytecode::opcode as op;
use ferropy_emit_native::emit::ir::{Ir, LabelRole};

/// `Ok` if [`crate::translate`] can translate `ir`, else the reason.
pub fn supported(ir: &[Ir]) -> Result<(), String> {
    for ins in ir {
        match ins {
            Ir::Op { opcode, .. } if reentrant(*opcode) => {
                return Err(format!("operation {} re-enters the code", op_name(*opcode)));
            }
            Ir::Label { role: LabelRole::FinallyHandler, .. } | Ir::JumpIfMarker { .. } => {
                return Err(String::from("finally handlers re-enter the code"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn reentrant(opcode: u8) -> bool {
    matches!(
        opcode,
        op::SETUP_EXCEPT
            | op::SETUP_FINALLY
            | op::SETUP_WITH
            | op::YIELD_VALUE
            | op::YIELD_FROM
            | op::UNWIND_JUMP
            | op::POP_EXCEPT_JUMP
            | op::END_FINALLY
            | op::WITH_CLEANUP
    )
}

fn op_name(opcode: u8) -> &'static str {
    match opcode {
        op::SETUP_EXCEPT => "SETUP_EXCEPT",
        op::SETUP_FINALLY => "SETUP_FINALLY",
        op::SETUP_WITH => "SETUP_WITH",
        op::YIELD_VALUE => "YIELD_VALUE",
        op::YIELD_FROM => "YIELD_FROM",
        op::UNWIND_JUMP => "UNWIND_JUMP",
        op::POP_EXCEPT_JUMP => "POP_EXCEPT_JUMP",
        op::END_FINALLY => "END_FINALLY",
        _ => "WITH_CLEANUP",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_emit_native::emit::ir::Arg;

    #[test]
    fn plain_code_is_supported() {
        let ir = [Ir::Line(1), Ir::PushWord { word: 6, sp: 0 }, Ir::Return { sp: 1 }];
        assert!(supported(&ir).is_ok());
    }

    #[test]
    fn exception_blocks_and_generators_are_refused() {
        for opcode in [op::SETUP_EXCEPT, op::SETUP_FINALLY, op::SETUP_WITH, op::YIELD_VALUE, op::YIELD_FROM] {
            let ir = [Ir::Op { opcode, extra: 0, sp: 0, arg: Arg::None }];
            let e = supported(&ir).unwrap_err();
            assert!(e.contains("re-enters"), "{e}");
        }
        let ir = [Ir::Label { label: 0, role: LabelRole::FinallyHandler, sp: 0 }];
        assert!(supported(&ir).is_err());
    }
}
