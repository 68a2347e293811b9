//! Compiled code: raw code objects, the module constant tables, and the module itself.
//!
//! The layout mirrors MicroPython's persistent code: constant tables belong to the
//! module, functions refer to their nested functions ("children") by index, and
//! bytecode qstr operands are indices into the module's qstr table, whose entry 0 is
//! the source file name.

use alloc::string::String;
use alloc::vec::Vec;

/// What a raw code object holds (the `kind` field of a `.mpy` raw code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum CodeKind {
    /// MicroPython bytecode: prelude followed by opcodes.
    Bytecode = 0,
    /// Machine code from the native emitter (`@micropython.native`).
    Native = 1,
    /// Machine code from the viper emitter (`@micropython.viper`).
    Viper = 2,
    /// Inline assembler (`@micropython.asm_*`).
    InlineAsm = 3,
}

/// An entry of a module's constant-object table (`.mpy` object tags 0..=10).
#[derive(Clone, Debug)]
pub enum ConstObj {
    /// Placeholder for the native function table (tag 0).
    FunTable,
    /// `None`
    None,
    /// `False`
    False,
    /// `True`
    True,
    /// `...`
    Ellipsis,
    /// A string that is not interned.
    Str(String),
    /// A bytes object.
    Bytes(Vec<u8>),
    /// An integer too large for a small int, as decimal text with an optional leading `-`.
    Int(String),
    /// A float.
    Float(f64),
    /// A complex number.
    Complex {
        /// Real part.
        real: f64,
        /// Imaginary part.
        imag: f64,
    },
    /// A tuple of constants.
    Tuple(Vec<ConstObj>),
}

impl PartialEq for ConstObj {
    /// Strict equality, as MicroPython deduplicates constants: same type and, for
    /// floats, the same bits (so `0.0` and `-0.0` stay distinct).
    fn eq(&self, other: &Self) -> bool {
        use ConstObj::*;
        match (self, other) {
            (FunTable, FunTable) | (None, None) | (False, False) | (True, True) | (Ellipsis, Ellipsis) => true,
            (Str(a), Str(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (Complex { real: a, imag: b }, Complex { real: c, imag: d }) => {
                a.to_bits() == c.to_bits() && b.to_bits() == d.to_bits()
            }
            (Tuple(a), Tuple(b)) => a == b,
            _ => false,
        }
    }
}

/// One compiled function (or the module's top-level code, or a class body).
#[derive(Clone, Debug, PartialEq)]
pub struct RawCode {
    /// What `code` holds.
    pub kind: CodeKind,
    /// For bytecode: the prelude (signature, sizes, source info, cells) then the opcodes.
    /// For native code: the machine code, with the prelude inside it at `prelude_offset`.
    pub code: Vec<u8>,
    /// Native code only: offset of the bytecode-style prelude inside `code`.
    pub prelude_offset: usize,
    /// Scope flags (`scope_flags` of MicroPython: generator, varargs, ...).
    pub scope_flags: u16,
    /// Number of positional parameters (needed by inline asm; kept for all kinds).
    pub n_pos_args: u32,
    /// Nested functions, referenced by index from `MAKE_FUNCTION`/`MAKE_CLOSURE`.
    pub children: Vec<RawCode>,
}

/// A compiled module: the outer code object plus the tables every function shares.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledModule {
    /// The qstr table. Entry 0 is the source file name; bytecode qstr operands index it.
    pub qstrs: Vec<String>,
    /// The constant-object table; `LOAD_CONST_OBJ` operands index it.
    pub consts: Vec<ConstObj>,
    /// The module's top-level code.
    pub root: RawCode,
}

/// Scope flags stored in the prelude signature and in raw code.
pub mod scope_flags {
    /// The function is a generator.
    pub const GENERATOR: u16 = 0x01;
    /// The function takes `**kwargs`.
    pub const VARKEYWORDS: u16 = 0x02;
    /// The function takes `*args`.
    pub const VARARGS: u16 = 0x04;
    /// Keyword-only parameters have defaults.
    pub const DEFKWARGS: u16 = 0x08;
    /// The function refers to globals (native code).
    pub const REFGLOBALS: u16 = 0x10;
    /// The function has constants (native code).
    pub const HASCONSTS: u16 = 0x20;
    /// The bits of the flags that go into the bytecode prelude's signature.
    pub const ALL_SIG: u16 = 0x0F;
}
