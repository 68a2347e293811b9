//! Disassembler tests: hand-assembled code, every opcode, garbage, and mpy-cross files.

use super::*;
use crate::code::{CodeKind, ConstObj, RawCode};
use crate::prelude::{encode_line_delta, encode_signature, encode_size, Signature};
use crate::varint::write_vuint;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// Builds bytecode: prelude (name qstr, arg names, line table, cells) then `ops`.
fn assemble(sig: Signature, name: u64, args: &[u64], lines: &[(u32, u32)], cells: &[u8], ops: &[u8]) -> Vec<u8> {
    let mut info = Vec::new();
    write_vuint(&mut info, name);
    for &a in args {
        write_vuint(&mut info, a);
    }
    for &(b, l) in lines {
        encode_line_delta(b, l, &mut info);
    }
    let mut code = Vec::new();
    encode_signature(&sig, &mut code);
    encode_size(info.len() as u32, cells.len() as u32, &mut code);
    code.extend_from_slice(&info);
    code.extend_from_slice(cells);
    code.extend_from_slice(ops);
    code
}

fn bytecode(code: Vec<u8>, children: Vec<RawCode>) -> RawCode {
    RawCode { kind: CodeKind::Bytecode, code, prelude_offset: 0, scope_flags: 0, n_pos_args: 0, children }
}

fn listing(module: &CompiledModule) -> String {
    let mut s = String::new();
    disassemble_module(module, &mut s).unwrap();
    s
}

fn qstrs(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| String::from(*s)).collect()
}

#[test]
fn hand_assembled_module_listing() {
    // def f(a, b): return a + b      (child)
    let f = assemble(
        Signature { n_state: 4, n_pos_args: 2, ..Default::default() },
        2,
        &[3, 4],
        &[(0, 1)],
        &[],
        &[0xB0, 0xB1, 0xF2, 0x63],
    );
    // x = 1; f = <fn>; y = x if x else 'big' * 3; return None
    let root_ops = [
        0x81, 0x16, 0x05, // LOAD_CONST_SMALL_INT 1; STORE_NAME x
        0x32, 0x00, 0x16, 0x02, // MAKE_FUNCTION #0 f; STORE_NAME f
        0x11, 0x05, 0x44, 0x44, // LOAD_NAME x; POP_JUMP_IF_FALSE +4
        0x11, 0x05, 0x42, 0x44, // LOAD_NAME x; JUMP +4
        0x23, 0x00, 0x83, 0xF4, // LOAD_CONST_OBJ 'big'; 3; BINARY_OP *
        0x16, 0x06, 0x51, 0x63, // STORE_NAME y; LOAD_CONST_NONE; RETURN_VALUE
    ];
    let root = assemble(Signature { n_state: 2, ..Default::default() }, 1, &[], &[(3, 1), (4, 1)], &[], &root_ops);
    let module = CompiledModule {
        qstrs: qstrs(&["t.py", "<module>", "f", "a", "b", "x", "y"]),
        consts: vec![ConstObj::Str(String::from("big"))],
        root: bytecode(root, vec![bytecode(f, Vec::new())]),
    };
    let expected = "\
code <module> file=t.py kind=bytecode bytes=28
  signature: n_state=2 n_exc_stack=0 flags=0x00 n_pos=0 n_kwonly=0 n_def_pos=0
  args: (none)
  cells: (none)
  children: f
  lines: 0:1 3:2 7:3
     0  L1    81              LOAD_CONST_SMALL_INT 1
     1        16 05           STORE_NAME x
     3  L2    32 00           MAKE_FUNCTION #0 f
     5        16 02           STORE_NAME f
     7  L3    11 05           LOAD_NAME x
     9        44 44           POP_JUMP_IF_FALSE -> 15
    11        11 05           LOAD_NAME x
    13        42 44           JUMP -> 19
    15        23 00           LOAD_CONST_OBJ 'big'
    17        83              LOAD_CONST_SMALL_INT 3
    18        f4              BINARY_OP 29 *
    19        16 06           STORE_NAME y
    21        51              LOAD_CONST_NONE
    22        63              RETURN_VALUE

code f file=t.py kind=bytecode bytes=10
  signature: n_state=4 n_exc_stack=0 flags=0x00 n_pos=2 n_kwonly=0 n_def_pos=0
  args: a b
  cells: (none)
  children: (none)
  lines: 0:2
     0  L2    b0              LOAD_FAST 0
     1        b1              LOAD_FAST 1
     2        f2              BINARY_OP 27 +
     3        63              RETURN_VALUE
";
    assert_eq!(listing(&module), expected);
}

#[test]
fn operands_of_special_opcodes() {
    let ops = [
        0x20, 0x00, 0x02, // MAKE_CLOSURE #0 cells=2
        0x21, 0x07, 0x01, // MAKE_CLOSURE_DEFARGS <bad child 7>
        0x34, 0x82, 0x01, // CALL_FUNCTION n_pos=1 n_kw=1
        0x37, 0x02, // CALL_METHOD_VAR_KW n_pos=2 n_kw=0
        0x31, 0x82, 0x01, // UNPACK_EX left=1 right=1
        0x2F, 0x09, // STORE_COMP dict depth=2
        0x40, 0x7F, 0x81, // UNWIND_JUMP -> 18+... unwind=1 pop_iter
        0x4B, 0x80, 0x01, // FOR_ITER (2-byte) -> 25 + 128
        0x22, 0xFF, 0x00, // LOAD_CONST_SMALL_INT -128
        0x24, 0x11, 0x26, 0x12, // LOAD_FAST_N 17; STORE_FAST_N 18
        0xD3, 0xDF, 0xF9, // UNARY_OP not; BINARY_OP <<=... ; BINARY_OP **
        0x13, 0x63, // LOAD_ATTR <bad qstr 99>
        0x23, 0x05, // LOAD_CONST_OBJ <bad const 5>
        0x1D, 0x01, 0x00, 0xFF, 0xFA, // invalid opcodes (0x00 takes an extra byte)
    ];
    let code = assemble(
        Signature { n_state: 3, scope_flags: 0x06, n_pos_args: 1, n_kwonly_args: 1, ..Default::default() },
        1,
        &[2, 3],
        &[],
        &[0, 1],
        &ops,
    );
    let child = assemble(Signature { n_state: 1, ..Default::default() }, 2, &[], &[], &[], &[0x51, 0x63]);
    let module = CompiledModule {
        qstrs: qstrs(&["t.py", "g", "a b", "k"]),
        consts: Vec::new(),
        root: bytecode(code, vec![bytecode(child, Vec::new())]),
    };
    let text = listing(&module);
    let wanted = [
        "  args: 'a b' *<varargs> k **<varkw>",
        "  cells: 0 1",
        "MAKE_CLOSURE #0 'a b' cells=2",
        "MAKE_CLOSURE_DEFARGS <bad child 7>",
        "CALL_FUNCTION n_pos=1 n_kw=1",
        "CALL_METHOD_VAR_KW n_pos=2 n_kw=0",
        "UNPACK_EX left=1 right=1",
        "STORE_COMP dict depth=2",
        "UNWIND_JUMP -> 81 unwind=1 pop_iter",
        "FOR_ITER -> 150",
        "LOAD_CONST_SMALL_INT -128",
        "LOAD_FAST_N 17",
        "STORE_FAST_N 18",
        "UNARY_OP 3 not",
        "BINARY_OP 8 exception_match",
        "BINARY_OP 34 **",
        "LOAD_ATTR <bad qstr 99>",
        "LOAD_CONST_OBJ <bad const 5>",
        "1d 01           <invalid 0x1d>",
        "00 ff           <invalid 0x00>",
        "fa              <invalid 0xfa>",
    ];
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in\n{text}");
    }
}

#[test]
fn every_opcode_byte_decodes() {
    let mut defined = 0;
    for opc in 0..=255u8 {
        // Longest operand shapes: a 2-byte jump or var-uint, plus an extra byte.
        let ops = [opc, 0x81, 0x01, 0x02];
        let ins = decode_instruction(&ops, 0).unwrap();
        assert!(ins.len >= 1 && ins.len <= 4, "0x{opc:02x}");
        let module = CompiledModule {
            qstrs: qstrs(&["t.py", "x", "y"]),
            consts: Vec::new(),
            root: bytecode(Vec::new(), Vec::new()),
        };
        let mut text = String::new();
        write_instruction_text(&Names { module: &module }, &module.root, &ins, &mut text).unwrap();
        if !text.starts_with("<invalid") {
            defined += 1;
        }
    }
    // 72 single opcodes + 64 + 16 + 16 small-int/fast multi forms + 4 unary + 35 binary.
    assert_eq!(defined, 72 + 64 + 16 + 16 + 4 + 35);
}

#[test]
fn jump_offsets_decode() {
    let signed = |bytes: &[u8]| decode_instruction(bytes, 0).unwrap().operand;
    assert_eq!(signed(&[0x42, 0x40]), Operand::Jump(2));
    assert_eq!(signed(&[0x42, 0x00]), Operand::Jump(2 - 64));
    assert_eq!(signed(&[0x42, 0x80, 0x80]), Operand::Jump(3));
    assert_eq!(signed(&[0x42, 0xFF, 0xFF]), Operand::Jump(3 + 16383));
    assert_eq!(signed(&[0x4A, 0x05]), Operand::Jump(7));
    assert_eq!(signed(&[0x4A, 0xFF, 0xFF]), Operand::Jump(3 + 32767));
    assert!(decode_instruction(&[0x42, 0x80], 0).is_err());
    assert!(decode_instruction(&[0x20, 0x01], 0).is_err());
}

#[test]
fn random_code_never_panics() {
    let mut rng = crate::mpy::tests::Lcg(7);
    for round in 0..2000 {
        let len = rng.below(48);
        let mut code: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if round % 2 == 0 {
            // Half the time, a valid prelude followed by random opcodes.
            let mut good = assemble(Signature { n_state: 1, ..Default::default() }, 1, &[], &[(2, 1)], &[], &[]);
            good.extend_from_slice(&code);
            code = good;
        }
        let kind = [CodeKind::Bytecode, CodeKind::Native, CodeKind::Viper, CodeKind::InlineAsm][rng.below(4)];
        let root =
            RawCode { kind, code, prelude_offset: rng.below(8), scope_flags: 0, n_pos_args: 0, children: Vec::new() };
        let module = CompiledModule { qstrs: qstrs(&["t.py"]), consts: Vec::new(), root };
        let _ = listing(&module);
    }
}

#[test]
fn mpy_cross_fixtures_disassemble() {
    for (name, bytes) in crate::mpy::tests::FIXTURES {
        let module = crate::mpy::read_mpy(bytes).unwrap();
        let text = listing(&module);
        assert!(!text.contains("<invalid"), "{name}:\n{text}");
        assert!(!text.contains("<bad"), "{name}:\n{text}");
        assert!(!text.contains("<truncated"), "{name}:\n{text}");
    }
}

#[test]
fn s1_fixture_listing() {
    let module = crate::mpy::read_mpy(crate::mpy::tests::FIXTURES[0].1).unwrap();
    let expected = "\
code <module> file=s1.py kind=bytecode bytes=14
  signature: n_state=1 n_exc_stack=0 flags=0x00 n_pos=0 n_kwonly=0 n_def_pos=0
  args: (none)
  cells: (none)
  children: f g
  lines: 0:1 4:3
     0  L1    32 00           MAKE_FUNCTION #0 f
     2        16 02           STORE_NAME f
     4  L3    32 01           MAKE_FUNCTION #1 g
     6        16 03           STORE_NAME g
     8        51              LOAD_CONST_NONE
     9        63              RETURN_VALUE

code f file=s1.py kind=bytecode bytes=10
  signature: n_state=4 n_exc_stack=0 flags=0x00 n_pos=2 n_kwonly=0 n_def_pos=0
  args: a b
  cells: (none)
  children: (none)
  lines: 0:2
     0  L2    b0              LOAD_FAST 0
     1        b1              LOAD_FAST 1
     2        f2              BINARY_OP 27 +
     3        63              RETURN_VALUE

code g file=s1.py kind=bytecode bytes=10
  signature: n_state=1 n_exc_stack=0 flags=0x01 n_pos=0 n_kwonly=0 n_def_pos=0
  args: (none)
  cells: (none)
  children: (none)
  lines: 0:4
     0  L4    81              LOAD_CONST_SMALL_INT 1
     1        67              YIELD_VALUE
     2        59              POP_TOP
     3        51              LOAD_CONST_NONE
     4        63              RETURN_VALUE
";
    assert_eq!(listing(&module), expected);
}

/// Golden listings of the mpy-cross fixtures (`fixtures/NAME.dis`); regenerate them with
/// `FERROPY_BLESS=1 cargo test -p ferropy-bytecode golden` after a deliberate format change.
#[cfg(feature = "std")]
#[test]
fn golden_fixture_listings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let bless = std::env::var_os("FERROPY_BLESS").is_some();
    for (name, bytes) in crate::mpy::tests::FIXTURES {
        let module = crate::mpy::read_mpy(bytes).unwrap();
        let text = listing(&module);
        let path = dir.join(alloc::format!("{name}.dis"));
        if bless {
            std::fs::write(&path, &text).unwrap();
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(text, golden, "{name}: listing differs from {}", path.display());
    }
}
