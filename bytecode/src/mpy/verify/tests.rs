//! Hand-made bad code: each check of the verifier must fire, with its own message.

use super::*;
use crate::code::ConstObj;
use crate::prelude::{encode_signature, encode_size, Signature};
use alloc::string::String;
use alloc::vec;

/// A bytecode raw code with the given signature, cells and opcodes (name and parameter
/// names qstr 1, no line table).
fn bytecode(sig: Signature, cells: &[u8], ops: &[u8], children: Vec<RawCode>) -> RawCode {
    let mut code = Vec::new();
    encode_signature(&sig, &mut code);
    let n_info = 1 + sig.n_pos_args + sig.n_kwonly_args;
    encode_size(n_info, cells.len() as u32, &mut code);
    code.extend(core::iter::repeat_n(1, n_info as usize));
    code.extend_from_slice(cells);
    code.extend_from_slice(ops);
    RawCode {
        kind: CodeKind::Bytecode,
        code,
        prelude_offset: 0,
        scope_flags: u16::from(sig.scope_flags),
        n_pos_args: sig.n_pos_args,
        children,
    }
}

fn module(root: RawCode) -> CompiledModule {
    CompiledModule { qstrs: vec![String::from("t.py"), String::from("<module>")], consts: vec![ConstObj::None], root }
}

fn sig(n_state: u32) -> Signature {
    Signature { n_state, ..Default::default() }
}

/// The problem found in a root code with these opcodes (`Ok` when none).
fn check_ops(ops: &[u8]) -> Result<(), &'static str> {
    let child = bytecode(sig(1), &[], &[op::LOAD_CONST_NONE, op::RETURN_VALUE], Vec::new());
    verify_module(&module(bytecode(sig(3), &[], ops, vec![child]))).map_err(|e| e.what)
}

#[test]
fn valid_code_passes() {
    assert_eq!(check_ops(&[op::LOAD_CONST_NONE, op::RETURN_VALUE]), Ok(()));
    // Qstr 1, const 0, child 0, local 2, a jump over one instruction, a backward jump.
    let ops = [
        op::LOAD_NAME,
        1,
        op::LOAD_CONST_OBJ,
        0,
        op::MAKE_FUNCTION,
        0,
        op::STORE_FAST_N,
        2,
        op::POP_JUMP_IF_FALSE,
        0x41,
        op::POP_TOP,
        op::JUMP,
        0x40 - 13,
    ];
    assert_eq!(check_ops(&ops), Ok(()));
}

#[test]
fn bad_operands_are_named() {
    let ret = op::RETURN_VALUE;
    assert_eq!(check_ops(&[op::LOAD_NAME, 2, ret]), Err("bytecode: qstr operand out of range"));
    assert_eq!(check_ops(&[op::LOAD_CONST_OBJ, 1, ret]), Err("bytecode: constant operand out of range"));
    assert_eq!(check_ops(&[op::MAKE_FUNCTION, 1, ret]), Err("bytecode: child operand out of range"));
    assert_eq!(check_ops(&[op::MAKE_CLOSURE, 5, 0, ret]), Err("bytecode: child operand out of range"));
    assert_eq!(check_ops(&[op::LOAD_FAST_N, 3, ret]), Err("bytecode: local operand not below n_state"));
    assert_eq!(check_ops(&[op::LOAD_FAST_MULTI + 3, ret]), Err("bytecode: local operand not below n_state"));
    assert_eq!(check_ops(&[op::STORE_FAST_MULTI + 9, ret]), Err("bytecode: local operand not below n_state"));
    assert_eq!(check_ops(&[op::BUILD_SLICE, 4, ret]), Err("bytecode: BUILD_SLICE operand"));
    assert_eq!(check_ops(&[op::STORE_COMP, 3, ret]), Err("bytecode: STORE_COMP kind"));
    assert_eq!(check_ops(&[0x00, ret]), Err("bytecode: undefined opcode"));
    assert_eq!(check_ops(&[0xD4, ret]), Err("bytecode: undefined opcode"));
    assert_eq!(check_ops(&[op::LOAD_NAME]), Err("bytecode: truncated instruction"));
    assert_eq!(check_ops(&[]), Err("bytecode: no instructions"));
}

#[test]
fn control_flow_must_stay_inside() {
    let none = op::LOAD_CONST_NONE;
    let ret = op::RETURN_VALUE;
    assert_eq!(check_ops(&[none]), Err("bytecode: execution runs past the end"));
    assert_eq!(check_ops(&[none, op::POP_JUMP_IF_TRUE, 0x40]), Err("bytecode: execution runs past the end"));
    // Forward past the end, backward before the start, into the middle of an instruction.
    assert_eq!(check_ops(&[op::JUMP, 0x45, none, ret]), Err("bytecode: jump target is not an instruction"));
    assert_eq!(check_ops(&[op::JUMP, 0x3D, ret]), Err("bytecode: jump target is not an instruction"));
    assert_eq!(check_ops(&[op::JUMP, 0x41, op::LOAD_NAME, 1, ret]), Err("bytecode: jump target is not an instruction"));
    assert_eq!(check_ops(&[op::SETUP_EXCEPT, 0x7F, ret]), Err("bytecode: jump target is not an instruction"));
}

#[test]
fn prelude_consistency() {
    let ops = [op::LOAD_CONST_NONE, op::RETURN_VALUE];
    let verify = |sig: Signature, cells: &[u8]| {
        verify_module(&module(bytecode(sig, cells, &ops, Vec::new()))).map_err(|e| e.what)
    };
    assert_eq!(verify(sig(2), &[1]), Ok(()));
    assert_eq!(verify(sig(2), &[2]), Err("prelude: cell index not below n_state"));
    let too_many =
        Signature { n_state: 2, n_pos_args: 2, scope_flags: scope_flags::VARARGS as u8, ..Default::default() };
    assert_eq!(verify(too_many, &[]), Err("prelude: more parameters than state slots"));
    let defaults = Signature { n_state: 2, n_pos_args: 1, n_def_pos_args: 2, ..Default::default() };
    assert_eq!(verify(defaults, &[]), Err("prelude: more defaults than positional parameters"));
    assert_eq!(verify(sig(MAX_STATE + 1), &[]), Err("prelude: n_state out of range"));
    let exc = Signature { n_state: 1, n_exc_stack: 1, ..Default::default() };
    assert_eq!(verify(exc, &[]), Err("prelude: n_exc_stack larger than the number of blocks"));
    let mut named = module(bytecode(sig(1), &[], &ops, Vec::new()));
    named.qstrs.truncate(1);
    assert_eq!(verify_module(&named).map_err(|e| e.what), Err("prelude: function name qstr index out of range"));
    named.qstrs.clear();
    assert!(verify_module(&named).is_err());
}

#[test]
fn errors_name_the_code_and_convert() {
    let bad_child = bytecode(sig(1), &[], &[op::LOAD_NAME, 7, op::RETURN_VALUE], Vec::new());
    let root = bytecode(sig(1), &[], &[op::LOAD_CONST_NONE, op::RETURN_VALUE], vec![bad_child]);
    let err = verify_module(&module(root)).unwrap_err();
    assert_eq!((err.code_index, err.offset), (1, 3));
    assert_eq!(alloc::format!("{err}"), "invalid code #1 at offset 3: bytecode: qstr operand out of range");
    assert_eq!(err.to_decode_error(100).offset, 103);
}
