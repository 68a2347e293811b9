//! Decoding single instructions: length, operand, extra byte and mnemonic.

use crate::error::DecodeError;
use crate::opcode::{self, OperandKind};
use crate::varint::{read_svint, read_vuint};

/// The decoded operand of an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// No operand (or one folded into a multi-opcode).
    None,
    /// A var-uint: qstr index, local, count, constant or child index, packed counts.
    Uint(u64),
    /// The signed var-int of `LOAD_CONST_SMALL_INT`.
    Int(i64),
    /// A jump, as the absolute target offset (relative to the opcodes start).
    Jump(i64),
}

/// One decoded instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// Offset of the opcode byte (relative to the opcodes start).
    pub offset: usize,
    /// The opcode byte.
    pub opcode: u8,
    /// The operand.
    pub operand: Operand,
    /// The raw extra byte (MAKE_CLOSURE*, UNWIND_JUMP).
    pub extra: Option<u8>,
    /// Total length in bytes.
    pub len: usize,
}

/// Decodes the instruction at `offset` of `ops` (the opcodes, prelude excluded).
///
/// The operand layout follows the opcode's high nibble for every byte value, defined
/// or not, so undefined opcodes still have a length.
pub fn decode_instruction(ops: &[u8], offset: usize) -> Result<Instruction, DecodeError> {
    const WHAT: &str = "instruction operand";
    let opcode = *ops.get(offset).ok_or(DecodeError::truncated("instruction", offset))?;
    let mut pos = offset + 1;
    let operand = match opcode::operand_kind(opcode) {
        OperandKind::None => Operand::None,
        OperandKind::Qstr => {
            Operand::Uint(read_vuint(ops, &mut pos).map_err(|e| DecodeError::from_varint(e, WHAT, offset))?)
        }
        OperandKind::VarInt if opcode == opcode::LOAD_CONST_SMALL_INT => {
            Operand::Int(read_svint(ops, &mut pos).map_err(|e| DecodeError::from_varint(e, WHAT, offset))?)
        }
        OperandKind::VarInt => {
            Operand::Uint(read_vuint(ops, &mut pos).map_err(|e| DecodeError::from_varint(e, WHAT, offset))?)
        }
        OperandKind::Jump => {
            let first = *ops.get(pos).ok_or(DecodeError::truncated(WHAT, offset))?;
            pos += 1;
            let (raw, bias) = if first & 0x80 == 0 {
                (i64::from(first), 0x40)
            } else {
                let second = *ops.get(pos).ok_or(DecodeError::truncated(WHAT, offset))?;
                pos += 1;
                (i64::from(first & 0x7F) | i64::from(second) << 7, 0x4000)
            };
            let delta = if opcode::is_signed_jump(opcode) { raw - bias } else { raw };
            Operand::Jump(pos as i64 + delta)
        }
    };
    let extra = if opcode::has_extra_byte(opcode) {
        let b = *ops.get(pos).ok_or(DecodeError::truncated("instruction extra byte", offset))?;
        pos += 1;
        Some(b)
    } else {
        None
    };
    Ok(Instruction { offset, opcode, operand, extra, len: pos - offset })
}

/// MicroPython's name of a single (non-multi) opcode, or `None` for undefined bytes.
pub fn opcode_name(op: u8) -> Option<&'static str> {
    use crate::opcode::*;
    Some(match op {
        LOAD_CONST_STRING => "LOAD_CONST_STRING",
        LOAD_NAME => "LOAD_NAME",
        LOAD_GLOBAL => "LOAD_GLOBAL",
        LOAD_ATTR => "LOAD_ATTR",
        LOAD_METHOD => "LOAD_METHOD",
        LOAD_SUPER_METHOD => "LOAD_SUPER_METHOD",
        STORE_NAME => "STORE_NAME",
        STORE_GLOBAL => "STORE_GLOBAL",
        STORE_ATTR => "STORE_ATTR",
        DELETE_NAME => "DELETE_NAME",
        DELETE_GLOBAL => "DELETE_GLOBAL",
        IMPORT_NAME => "IMPORT_NAME",
        IMPORT_FROM => "IMPORT_FROM",
        MAKE_CLOSURE => "MAKE_CLOSURE",
        MAKE_CLOSURE_DEFARGS => "MAKE_CLOSURE_DEFARGS",
        LOAD_CONST_SMALL_INT => "LOAD_CONST_SMALL_INT",
        LOAD_CONST_OBJ => "LOAD_CONST_OBJ",
        LOAD_FAST_N => "LOAD_FAST_N",
        LOAD_DEREF => "LOAD_DEREF",
        STORE_FAST_N => "STORE_FAST_N",
        STORE_DEREF => "STORE_DEREF",
        DELETE_FAST => "DELETE_FAST",
        DELETE_DEREF => "DELETE_DEREF",
        BUILD_TUPLE => "BUILD_TUPLE",
        BUILD_LIST => "BUILD_LIST",
        BUILD_MAP => "BUILD_MAP",
        BUILD_SET => "BUILD_SET",
        BUILD_SLICE => "BUILD_SLICE",
        STORE_COMP => "STORE_COMP",
        UNPACK_SEQUENCE => "UNPACK_SEQUENCE",
        UNPACK_EX => "UNPACK_EX",
        MAKE_FUNCTION => "MAKE_FUNCTION",
        MAKE_FUNCTION_DEFARGS => "MAKE_FUNCTION_DEFARGS",
        CALL_FUNCTION => "CALL_FUNCTION",
        CALL_FUNCTION_VAR_KW => "CALL_FUNCTION_VAR_KW",
        CALL_METHOD => "CALL_METHOD",
        CALL_METHOD_VAR_KW => "CALL_METHOD_VAR_KW",
        UNWIND_JUMP => "UNWIND_JUMP",
        JUMP => "JUMP",
        POP_JUMP_IF_TRUE => "POP_JUMP_IF_TRUE",
        POP_JUMP_IF_FALSE => "POP_JUMP_IF_FALSE",
        JUMP_IF_TRUE_OR_POP => "JUMP_IF_TRUE_OR_POP",
        JUMP_IF_FALSE_OR_POP => "JUMP_IF_FALSE_OR_POP",
        SETUP_WITH => "SETUP_WITH",
        SETUP_EXCEPT => "SETUP_EXCEPT",
        SETUP_FINALLY => "SETUP_FINALLY",
        POP_EXCEPT_JUMP => "POP_EXCEPT_JUMP",
        FOR_ITER => "FOR_ITER",
        LOAD_CONST_FALSE => "LOAD_CONST_FALSE",
        LOAD_CONST_NONE => "LOAD_CONST_NONE",
        LOAD_CONST_TRUE => "LOAD_CONST_TRUE",
        LOAD_NULL => "LOAD_NULL",
        LOAD_BUILD_CLASS => "LOAD_BUILD_CLASS",
        LOAD_SUBSCR => "LOAD_SUBSCR",
        STORE_SUBSCR => "STORE_SUBSCR",
        DUP_TOP => "DUP_TOP",
        DUP_TOP_TWO => "DUP_TOP_TWO",
        POP_TOP => "POP_TOP",
        ROT_TWO => "ROT_TWO",
        ROT_THREE => "ROT_THREE",
        WITH_CLEANUP => "WITH_CLEANUP",
        END_FINALLY => "END_FINALLY",
        GET_ITER => "GET_ITER",
        GET_ITER_STACK => "GET_ITER_STACK",
        STORE_MAP => "STORE_MAP",
        RETURN_VALUE => "RETURN_VALUE",
        RAISE_LAST => "RAISE_LAST",
        RAISE_OBJ => "RAISE_OBJ",
        RAISE_FROM => "RAISE_FROM",
        YIELD_VALUE => "YIELD_VALUE",
        YIELD_FROM => "YIELD_FROM",
        IMPORT_STAR => "IMPORT_STAR",
        _ => return None,
    })
}

/// The symbol of a unary operator that may appear in bytecode.
pub fn unary_op_symbol(op: u8) -> Option<&'static str> {
    ["+", "-", "~", "not"].get(usize::from(op)).copied()
}

/// The symbol of a binary operator that may appear in bytecode.
pub fn binary_op_symbol(op: u8) -> Option<&'static str> {
    const SYMBOLS: [&str; 35] = [
        "<",
        ">",
        "==",
        "<=",
        ">=",
        "!=",
        "in",
        "is",
        "exception_match",
        "|=",
        "^=",
        "&=",
        "<<=",
        ">>=",
        "+=",
        "-=",
        "*=",
        "@=",
        "//=",
        "/=",
        "%=",
        "**=",
        "|",
        "^",
        "&",
        "<<",
        ">>",
        "+",
        "-",
        "*",
        "@",
        "//",
        "/",
        "%",
        "**",
    ];
    SYMBOLS.get(usize::from(op)).copied()
}
