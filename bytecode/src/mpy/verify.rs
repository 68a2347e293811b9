//! Checks that loaded bytecode only refers to things that exist, before anything runs it.
//!
//! The `.mpy` reader checks the file's structure; [`verify_module`] checks what the
//! structure means, for every bytecode raw code (and the prelude of native ones):
//!
//! - the prelude decodes; `n_state` is at least 1 and no larger than [`MAX_STATE`];
//!   the parameters (positional, keyword-only, `*args`, `**kwargs`) fit in `n_state`;
//!   `n_def_pos_args <= n_pos_args`; every cell index is below `n_state`; the name
//!   and parameter-name qstr indices are in the qstr table;
//! - every instruction decodes and is defined; qstr operands index the qstr table,
//!   `LOAD_CONST_OBJ` operands the constant table, `MAKE_FUNCTION`/`MAKE_CLOSURE`
//!   operands the code's children; local-variable operands are below `n_state`;
//!   `BUILD_SLICE` takes 2 or 3, `STORE_COMP` a known kind;
//! - every jump lands on the start of an instruction of the same code, and the last
//!   instruction cannot fall through past the end;
//! - `n_exc_stack` is no larger than the number of block-setup instructions.
//!
//! Not checked: the depth of the value stack (the runtime must bound its stack
//! accesses by `n_state`), and native machine code, which cannot be verified: only
//! its prelude is. The qstr table must not be empty (entry 0 is the source name).

use alloc::vec::Vec;
use core::fmt;

use crate::code::{scope_flags, CodeKind, CompiledModule, RawCode};
use crate::disasm::{decode_instruction, opcode_name, Operand};
use crate::error::DecodeError;
use crate::opcode as op;
use crate::prelude::{decode_prelude, Prelude};

/// Largest `n_state` accepted: far above what any real function needs, small enough
/// that allocating the state of a call cannot exhaust memory.
pub const MAX_STATE: u32 = 1 << 16;

/// Why a raw code failed verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// Which raw code: its number in depth-first order (root 0, then its first child, ...).
    pub code_index: usize,
    /// Offset inside that raw code's `code` bytes.
    pub offset: usize,
    /// What is wrong.
    pub what: &'static str,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid code #{} at offset {}: {}", self.code_index, self.offset, self.what)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for VerifyError {}

impl VerifyError {
    /// The same problem as a [`DecodeError`], given where the raw code's bytes start in the file.
    pub fn to_decode_error(self, code_start: usize) -> DecodeError {
        DecodeError::invalid(self.what, code_start.saturating_add(self.offset))
    }
}

/// Verifies every raw code of `module` (depth first, without recursion).
pub fn verify_module(module: &CompiledModule) -> Result<(), VerifyError> {
    if module.qstrs.is_empty() {
        return Err(VerifyError { code_index: 0, offset: 0, what: "module: empty qstr table (no source name)" });
    }
    let mut stack: Vec<&RawCode> = alloc::vec![&module.root];
    let mut index = 0;
    while let Some(code) = stack.pop() {
        verify_raw_code(module, code).map_err(|(offset, what)| VerifyError { code_index: index, offset, what })?;
        index += 1;
        stack.extend(code.children.iter().rev());
    }
    Ok(())
}

/// A problem at an offset of the raw code being verified.
type Problem = (usize, &'static str);

/// Verifies one raw code (its children are checked separately).
pub fn verify_raw_code(module: &CompiledModule, code: &RawCode) -> Result<(), Problem> {
    match code.kind {
        CodeKind::Bytecode => {
            let prelude = decode_prelude(&code.code).map_err(|e| (e.offset, e.what))?;
            check_prelude(module, code, &prelude, 0)?;
            let ops = code.code.get(prelude.opcodes_start..).unwrap_or(&[]);
            check_opcodes(module, code, &prelude, ops, prelude.opcodes_start)
        }
        CodeKind::Native => {
            let at = code.prelude_offset;
            let tail = code.code.get(at..).ok_or((at, "native prelude offset"))?;
            let prelude = decode_prelude(tail).map_err(|e| (at.saturating_add(e.offset), e.what))?;
            check_prelude(module, code, &prelude, at)
        }
        CodeKind::Viper | CodeKind::InlineAsm => Ok(()),
    }
}

/// Prelude consistency: sizes, parameter counts, cells and name indices.
fn check_prelude(module: &CompiledModule, code: &RawCode, prelude: &Prelude, base: usize) -> Result<(), Problem> {
    let sig = &prelude.signature;
    if sig.n_state == 0 || sig.n_state > MAX_STATE {
        return Err((base, "prelude: n_state out of range"));
    }
    let flags = u16::from(sig.scope_flags);
    let n_params = u64::from(sig.n_pos_args)
        + u64::from(sig.n_kwonly_args)
        + u64::from(flags & scope_flags::VARARGS != 0)
        + u64::from(flags & scope_flags::VARKEYWORDS != 0);
    if n_params > u64::from(sig.n_state) {
        return Err((base, "prelude: more parameters than state slots"));
    }
    if sig.n_def_pos_args > sig.n_pos_args {
        return Err((base, "prelude: more defaults than positional parameters"));
    }
    if code.kind == CodeKind::Bytecode && (code.n_pos_args != sig.n_pos_args || code.scope_flags & 0x0F != flags) {
        return Err((base, "prelude: signature disagrees with the raw code"));
    }
    let n_qstrs = module.qstrs.len() as u64;
    if u64::from(prelude.simple_name) >= n_qstrs {
        return Err((base, "prelude: function name qstr index out of range"));
    }
    if prelude.arg_names.iter().any(|&q| u64::from(q) >= n_qstrs) {
        return Err((base, "prelude: parameter name qstr index out of range"));
    }
    let cells_start = base + prelude.opcodes_start - prelude.cells.len();
    for (i, &cell) in prelude.cells.iter().enumerate() {
        if u32::from(cell) >= sig.n_state {
            return Err((cells_start + i, "prelude: cell index not below n_state"));
        }
    }
    Ok(())
}

/// True for the bytes that are opcodes of MicroPython's bytecode.
fn is_defined_opcode(opcode: u8) -> bool {
    let multi_end = op::BINARY_OP_MULTI + op::BINARY_OP_NUM_BYTECODE;
    opcode_name(opcode).is_some()
        || (op::LOAD_CONST_SMALL_INT_MULTI..op::UNARY_OP_MULTI).contains(&opcode)
        || (op::UNARY_OP_MULTI..op::UNARY_OP_MULTI + op::UNARY_OP_NUM_BYTECODE).contains(&opcode)
        || (op::BINARY_OP_MULTI..multi_end).contains(&opcode)
}

/// True when execution never continues to the next instruction.
fn ends_flow(opcode: u8) -> bool {
    matches!(opcode, op::RETURN_VALUE | op::RAISE_LAST | op::RAISE_OBJ | op::RAISE_FROM | op::JUMP)
}

/// Walks the opcodes (`ops`, which start at `base` in the code) and checks every operand.
fn check_opcodes(
    module: &CompiledModule,
    code: &RawCode,
    prelude: &Prelude,
    ops: &[u8],
    base: usize,
) -> Result<(), Problem> {
    if ops.is_empty() {
        return Err((base, "bytecode: no instructions"));
    }
    let n_state = u64::from(prelude.signature.n_state);
    let mut starts = alloc::vec![false; ops.len()];
    let mut jumps: Vec<(usize, i64)> = Vec::new();
    let mut setups: u64 = 0;
    let mut offset = 0;
    let mut last_opcode = 0;
    while offset < ops.len() {
        let at = base + offset;
        let insn = decode_instruction(ops, offset).map_err(|e| (base + e.offset, "bytecode: truncated instruction"))?;
        if let Some(start) = starts.get_mut(offset) {
            *start = true;
        }
        let opcode = insn.opcode;
        if !is_defined_opcode(opcode) {
            return Err((at, "bytecode: undefined opcode"));
        }
        let value = match insn.operand {
            Operand::Uint(v) => v,
            _ => 0,
        };
        let bad = match opcode {
            op::LOAD_CONST_STRING..=op::IMPORT_FROM => {
                (value >= module.qstrs.len() as u64).then_some("bytecode: qstr operand out of range")
            }
            op::LOAD_CONST_OBJ => {
                (value >= module.consts.len() as u64).then_some("bytecode: constant operand out of range")
            }
            op::MAKE_FUNCTION | op::MAKE_FUNCTION_DEFARGS | op::MAKE_CLOSURE | op::MAKE_CLOSURE_DEFARGS => {
                (value >= code.children.len() as u64).then_some("bytecode: child operand out of range")
            }
            op::LOAD_FAST_N
            | op::LOAD_DEREF
            | op::STORE_FAST_N
            | op::STORE_DEREF
            | op::DELETE_FAST
            | op::DELETE_DEREF => (value >= n_state).then_some("bytecode: local operand not below n_state"),
            _ if (op::LOAD_FAST_MULTI..op::STORE_FAST_MULTI + op::FAST_MULTI_NUM).contains(&opcode) => {
                (u64::from(opcode & 0x0F) >= n_state).then_some("bytecode: local operand not below n_state")
            }
            op::BUILD_SLICE => (value != 2 && value != 3).then_some("bytecode: BUILD_SLICE operand"),
            op::STORE_COMP => (value & 3 > 2).then_some("bytecode: STORE_COMP kind"),
            op::SETUP_WITH | op::SETUP_EXCEPT | op::SETUP_FINALLY => {
                setups += 1;
                None
            }
            _ => None,
        };
        if let Some(what) = bad {
            return Err((at, what));
        }
        if let Operand::Jump(target) = insn.operand {
            jumps.push((at, target));
        }
        last_opcode = opcode;
        offset += insn.len;
    }
    if !ends_flow(last_opcode) {
        return Err((base + ops.len(), "bytecode: execution runs past the end"));
    }
    for (at, target) in jumps {
        let lands = usize::try_from(target).ok().and_then(|t| starts.get(t)).copied().unwrap_or(false);
        if !lands {
            return Err((at, "bytecode: jump target is not an instruction"));
        }
    }
    if u64::from(prelude.signature.n_exc_stack) > setups {
        return Err((0, "prelude: n_exc_stack larger than the number of blocks"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
