//! MicroPython's opcode numbers and operand formats (bytecode of `.mpy` version 6).
//!
//! Every value here must equal MicroPython's: bytecode is interchanged through
//! `.mpy` files, so the numbering is part of the file format.

/// `-> str` (qstr operand)
pub const LOAD_CONST_STRING: u8 = 0x10;
/// `-> v`: locals, globals, builtins (qstr)
pub const LOAD_NAME: u8 = 0x11;
/// `-> v`: globals, builtins (qstr)
pub const LOAD_GLOBAL: u8 = 0x12;
/// `obj -> v` (qstr)
pub const LOAD_ATTR: u8 = 0x13;
/// `obj -> meth self` (qstr)
pub const LOAD_METHOD: u8 = 0x14;
/// `super_fn cls self -> meth self` (qstr)
pub const LOAD_SUPER_METHOD: u8 = 0x15;
/// `v ->` (qstr)
pub const STORE_NAME: u8 = 0x16;
/// `v ->` (qstr)
pub const STORE_GLOBAL: u8 = 0x17;
/// `v obj ->` (qstr)
pub const STORE_ATTR: u8 = 0x18;
/// (qstr)
pub const DELETE_NAME: u8 = 0x19;
/// (qstr)
pub const DELETE_GLOBAL: u8 = 0x1A;
/// `level fromlist -> module` (qstr)
pub const IMPORT_NAME: u8 = 0x1B;
/// `module -> module attr` (qstr)
pub const IMPORT_FROM: u8 = 0x1C;

/// `cells.. -> fn` (child index, then an extra byte: number of cells)
pub const MAKE_CLOSURE: u8 = 0x20;
/// `deftuple defdict cells.. -> fn` (child index + extra byte)
pub const MAKE_CLOSURE_DEFARGS: u8 = 0x21;
/// `-> int` (signed var-int)
pub const LOAD_CONST_SMALL_INT: u8 = 0x22;
/// `-> obj` (constant-table index)
pub const LOAD_CONST_OBJ: u8 = 0x23;
/// `-> v` (local index)
pub const LOAD_FAST_N: u8 = 0x24;
/// `-> cell contents` (local index)
pub const LOAD_DEREF: u8 = 0x25;
/// `v ->` (local index)
pub const STORE_FAST_N: u8 = 0x26;
/// `v ->` into a cell (local index)
pub const STORE_DEREF: u8 = 0x27;
/// (local index)
pub const DELETE_FAST: u8 = 0x28;
/// (local index)
pub const DELETE_DEREF: u8 = 0x29;
/// `x1..xn -> tuple` (count)
pub const BUILD_TUPLE: u8 = 0x2A;
/// `x1..xn -> list` (count)
pub const BUILD_LIST: u8 = 0x2B;
/// `-> dict` (size hint)
pub const BUILD_MAP: u8 = 0x2C;
/// `x1..xn -> set` (count)
pub const BUILD_SET: u8 = 0x2D;
/// `start stop [step] -> slice` (2 or 3)
pub const BUILD_SLICE: u8 = 0x2E;
/// comprehension store (`(depth << 2) | kind`)
pub const STORE_COMP: u8 = 0x2F;
/// `seq -> xn..x1` (count)
pub const UNPACK_SEQUENCE: u8 = 0x30;
/// `seq -> ...` (`n_left | n_right << 8`)
pub const UNPACK_EX: u8 = 0x31;
/// `-> fn` (child index)
pub const MAKE_FUNCTION: u8 = 0x32;
/// `deftuple defdict -> fn` (child index)
pub const MAKE_FUNCTION_DEFARGS: u8 = 0x33;
/// `fn args.. kw.. -> result` (`n_pos | n_kw << 8`)
pub const CALL_FUNCTION: u8 = 0x34;
/// as CALL_FUNCTION plus a star bitmap on the stack
pub const CALL_FUNCTION_VAR_KW: u8 = 0x35;
/// `meth self args.. kw.. -> result`
pub const CALL_METHOD: u8 = 0x36;
/// as CALL_METHOD plus a star bitmap on the stack
pub const CALL_METHOD_VAR_KW: u8 = 0x37;

/// break/continue out of blocks (signed offset + extra byte)
pub const UNWIND_JUMP: u8 = 0x40;
/// (signed offset)
pub const JUMP: u8 = 0x42;
/// `v ->` (signed offset)
pub const POP_JUMP_IF_TRUE: u8 = 0x43;
/// `v ->` (signed offset)
pub const POP_JUMP_IF_FALSE: u8 = 0x44;
/// (unsigned offset)
pub const JUMP_IF_TRUE_OR_POP: u8 = 0x45;
/// (unsigned offset)
pub const JUMP_IF_FALSE_OR_POP: u8 = 0x46;
/// `ctx -> exit ctx as_value` (unsigned offset)
pub const SETUP_WITH: u8 = 0x47;
/// (unsigned offset)
pub const SETUP_EXCEPT: u8 = 0x48;
/// (unsigned offset)
pub const SETUP_FINALLY: u8 = 0x49;
/// (unsigned offset)
pub const POP_EXCEPT_JUMP: u8 = 0x4A;
/// `iter -> iter next` (unsigned offset to the loop exit)
pub const FOR_ITER: u8 = 0x4B;

/// `-> False`
pub const LOAD_CONST_FALSE: u8 = 0x50;
/// `-> None`
pub const LOAD_CONST_NONE: u8 = 0x51;
/// `-> True`
pub const LOAD_CONST_TRUE: u8 = 0x52;
/// `-> NULL`
pub const LOAD_NULL: u8 = 0x53;
/// `-> __build_class__`
pub const LOAD_BUILD_CLASS: u8 = 0x54;
/// `base index -> v`
pub const LOAD_SUBSCR: u8 = 0x55;
/// `v base index ->`
pub const STORE_SUBSCR: u8 = 0x56;
/// `a -> a a`
pub const DUP_TOP: u8 = 0x57;
/// `a b -> a b a b`
pub const DUP_TOP_TWO: u8 = 0x58;
/// `a ->`
pub const POP_TOP: u8 = 0x59;
/// `a b -> b a`
pub const ROT_TWO: u8 = 0x5A;
/// `a b c -> c a b`
pub const ROT_THREE: u8 = 0x5B;
/// calls `__exit__`
pub const WITH_CLEANUP: u8 = 0x5C;
/// ends a finally/with block
pub const END_FINALLY: u8 = 0x5D;
/// `obj -> iter`
pub const GET_ITER: u8 = 0x5E;
/// `obj -> iter(4 slots)`
pub const GET_ITER_STACK: u8 = 0x5F;

/// `dict value key -> dict`
pub const STORE_MAP: u8 = 0x62;
/// return TOS
pub const RETURN_VALUE: u8 = 0x63;
/// bare `raise`
pub const RAISE_LAST: u8 = 0x64;
/// `exc ->`
pub const RAISE_OBJ: u8 = 0x65;
/// `exc cause ->`
pub const RAISE_FROM: u8 = 0x66;
/// suspend a generator
pub const YIELD_VALUE: u8 = 0x67;
/// `gen send_value -> result`
pub const YIELD_FROM: u8 = 0x68;
/// `module ->`
pub const IMPORT_STAR: u8 = 0x69;

/// First of 64 opcodes pushing the small ints -16..=47.
pub const LOAD_CONST_SMALL_INT_MULTI: u8 = 0x70;
/// How many small-int multi-opcodes there are.
pub const LOAD_CONST_SMALL_INT_MULTI_NUM: u8 = 64;
/// The value pushed by `LOAD_CONST_SMALL_INT_MULTI` is `op - 0x70 - EXCESS`.
pub const LOAD_CONST_SMALL_INT_MULTI_EXCESS: i32 = 16;
/// First of 16 opcodes loading locals 0..=15.
pub const LOAD_FAST_MULTI: u8 = 0xB0;
/// First of 16 opcodes storing locals 0..=15.
pub const STORE_FAST_MULTI: u8 = 0xC0;
/// How many load/store-fast multi-opcodes there are.
pub const FAST_MULTI_NUM: u8 = 16;
/// First of the unary-op multi-opcodes (`op - 0xD0` is the unary op number).
pub const UNARY_OP_MULTI: u8 = 0xD0;
/// Number of unary ops that may appear in bytecode.
pub const UNARY_OP_NUM_BYTECODE: u8 = 4;
/// First of the binary-op multi-opcodes (`op - 0xD7` is the binary op number).
pub const BINARY_OP_MULTI: u8 = 0xD7;
/// Number of binary ops that may appear in bytecode.
pub const BINARY_OP_NUM_BYTECODE: u8 = 35;

/// `STORE_COMP` kind: list append.
pub const STORE_COMP_LIST: u32 = 0;
/// `STORE_COMP` kind: dict store.
pub const STORE_COMP_DICT: u32 = 1;
/// `STORE_COMP` kind: set add.
pub const STORE_COMP_SET: u32 = 2;

/// `UNWIND_JUMP` extra-byte flag: also drop a for-loop iterator.
pub const UNWIND_JUMP_POP_ITER: u8 = 0x80;

/// How an opcode's operand is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    /// No operand.
    None,
    /// A var-uint index into the module's qstr table.
    Qstr,
    /// A var-uint (or, for `LOAD_CONST_SMALL_INT`, a signed var-int).
    VarInt,
    /// A 1- or 2-byte relative jump offset.
    Jump,
}

/// The operand kind of `op`, from its high nibble (MicroPython's `0x3A4` selector rule).
pub const fn operand_kind(op: u8) -> OperandKind {
    match op >> 4 {
        0x1 => OperandKind::Qstr,
        0x2 | 0x3 => OperandKind::VarInt,
        0x4 => OperandKind::Jump,
        _ => OperandKind::None,
    }
}

/// True when a raw extra byte follows the operand (MAKE_CLOSURE, MAKE_CLOSURE_DEFARGS, UNWIND_JUMP).
pub const fn has_extra_byte(op: u8) -> bool {
    op & 0x9E == 0
}

/// True for jump opcodes whose offset is signed (UNWIND_JUMP, JUMP, POP_JUMP_IF_*).
pub const fn is_signed_jump(op: u8) -> bool {
    matches!(op, UNWIND_JUMP | JUMP | POP_JUMP_IF_TRUE | POP_JUMP_IF_FALSE)
}

/// Unary operator numbers (`py/runtime0.h`); the first four may appear in bytecode.
pub mod unary {
    /// `+x`
    pub const POSITIVE: u8 = 0;
    /// `-x`
    pub const NEGATIVE: u8 = 1;
    /// `~x`
    pub const INVERT: u8 = 2;
    /// `not x`
    pub const NOT: u8 = 3;
}

/// Binary operator numbers (`py/runtime0.h`); 0..=34 may appear in bytecode.
pub mod binary {
    /// `<`
    pub const LESS: u8 = 0;
    /// `>`
    pub const MORE: u8 = 1;
    /// `==`
    pub const EQUAL: u8 = 2;
    /// `<=`
    pub const LESS_EQUAL: u8 = 3;
    /// `>=`
    pub const MORE_EQUAL: u8 = 4;
    /// `!=`
    pub const NOT_EQUAL: u8 = 5;
    /// `in`
    pub const IN: u8 = 6;
    /// `is`
    pub const IS: u8 = 7;
    /// exception match in `except`
    pub const EXCEPTION_MATCH: u8 = 8;
    /// `|=`
    pub const INPLACE_OR: u8 = 9;
    /// `^=`
    pub const INPLACE_XOR: u8 = 10;
    /// `&=`
    pub const INPLACE_AND: u8 = 11;
    /// `<<=`
    pub const INPLACE_LSHIFT: u8 = 12;
    /// `>>=`
    pub const INPLACE_RSHIFT: u8 = 13;
    /// `+=`
    pub const INPLACE_ADD: u8 = 14;
    /// `-=`
    pub const INPLACE_SUBTRACT: u8 = 15;
    /// `*=`
    pub const INPLACE_MULTIPLY: u8 = 16;
    /// `@=`
    pub const INPLACE_MAT_MULTIPLY: u8 = 17;
    /// `//=`
    pub const INPLACE_FLOOR_DIVIDE: u8 = 18;
    /// `/=`
    pub const INPLACE_TRUE_DIVIDE: u8 = 19;
    /// `%=`
    pub const INPLACE_MODULO: u8 = 20;
    /// `**=`
    pub const INPLACE_POWER: u8 = 21;
    /// `|`
    pub const OR: u8 = 22;
    /// `^`
    pub const XOR: u8 = 23;
    /// `&`
    pub const AND: u8 = 24;
    /// `<<`
    pub const LSHIFT: u8 = 25;
    /// `>>`
    pub const RSHIFT: u8 = 26;
    /// `+`
    pub const ADD: u8 = 27;
    /// `-`
    pub const SUBTRACT: u8 = 28;
    /// `*`
    pub const MULTIPLY: u8 = 29;
    /// `@`
    pub const MAT_MULTIPLY: u8 = 30;
    /// `//`
    pub const FLOOR_DIVIDE: u8 = 31;
    /// `/`
    pub const TRUE_DIVIDE: u8 = 32;
    /// `%`
    pub const MODULO: u8 = 33;
    /// `**`
    pub const POWER: u8 = 34;
    /// Offset from an in-place operator to its plain form (`ADD - INPLACE_ADD`).
    pub const INPLACE_TO_PLAIN: u8 = OR - INPLACE_OR;
}
