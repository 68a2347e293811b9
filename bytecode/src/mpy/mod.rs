//! Reading and writing MicroPython's `.mpy` files (version 6.3).
//!
//! Layout: a 4-byte header (`M`, version 6, feature byte, small-int bits), an optional
//! architecture-flags var-uint, the qstr and constant-object tables, then the module's
//! raw code with its children, depth first. Native raw codes (native, viper, inline
//! assembler) are carried as opaque machine code plus their extra fields; nothing here
//! runs them.
//!
//! [`read_mpy`]/[`write_mpy`] work on a [`CompiledModule`]. The few header and native
//! fields a `CompiledModule` has no place for (architecture, viper data, inline-asm
//! type signature) are kept by [`read_mpy_file`]/[`write_mpy_file`] in an [`MpyFile`],
//! which round-trips every valid file byte for byte.
//!
//! Reading checks the structure as it goes and then runs [`verify_module`] over the
//! bytecode, so a file that loads refers only to qstrs, constants, children, locals
//! and jump targets that exist ([`read_mpy_file_unverified`] skips that second step).

mod read;
mod verify;
mod write;

use alloc::vec::Vec;

use crate::code::CompiledModule;

pub use read::{read_mpy, read_mpy_file, read_mpy_file_unverified};
pub use verify::{verify_module, verify_raw_code, VerifyError, MAX_STATE};
pub use write::{write_mpy, write_mpy_file};

/// The `.mpy` major version this crate reads and writes.
pub const MPY_VERSION: u8 = 6;
/// The `.mpy` sub-version (native ABI revision), written when a file holds native code.
pub const MPY_SUB_VERSION: u8 = 3;
/// Small-int bits that mpy-cross records by default (header byte 3).
pub const DEFAULT_SMALL_INT_BITS: u8 = 31;
/// Feature-byte bit saying an architecture-flags var-uint follows the header.
pub const FEATURE_ARCH_FLAGS: u8 = 0x40;
/// Deepest tuple nesting the reader accepts in the constant table.
pub const MAX_TUPLE_DEPTH: usize = 64;
/// Deepest raw-code nesting (function inside function ...) the reader accepts.
pub const MAX_CODE_DEPTH: usize = 256;

/// `.mpy` constant-object tags.
pub mod tag {
    /// The native function table placeholder.
    pub const FUN_TABLE: u8 = 0;
    /// `None`
    pub const NONE: u8 = 1;
    /// `False`
    pub const FALSE: u8 = 2;
    /// `True`
    pub const TRUE: u8 = 3;
    /// `...`
    pub const ELLIPSIS: u8 = 4;
    /// str: length, bytes, NUL.
    pub const STR: u8 = 5;
    /// bytes: length, bytes, NUL.
    pub const BYTES: u8 = 6;
    /// int: length, decimal text.
    pub const INT: u8 = 7;
    /// float: length, repr text.
    pub const FLOAT: u8 = 8;
    /// complex: length, repr text.
    pub const COMPLEX: u8 = 9;
    /// tuple: count, then the items.
    pub const TUPLE: u8 = 10;
}

/// Native architecture codes of the feature byte (bits 5..2).
pub mod arch {
    /// Bytecode only.
    pub const NONE: u8 = 0;
    /// x86 (32-bit).
    pub const X86: u8 = 1;
    /// x86-64.
    pub const X64: u8 = 2;
    /// ARMv6 (A32).
    pub const ARMV6: u8 = 3;
    /// ARMv6-M (Thumb).
    pub const ARMV6M: u8 = 4;
    /// ARMv7-M (Thumb-2).
    pub const ARMV7M: u8 = 5;
    /// ARMv7E-M.
    pub const ARMV7EM: u8 = 6;
    /// ARMv7E-M with single-precision FPU.
    pub const ARMV7EMSP: u8 = 7;
    /// ARMv7E-M with double-precision FPU.
    pub const ARMV7EMDP: u8 = 8;
    /// Xtensa (call0 ABI).
    pub const XTENSA: u8 = 9;
    /// Xtensa (windowed ABI).
    pub const XTENSAWIN: u8 = 10;
    /// RISC-V RV32IMC.
    pub const RV32IMC: u8 = 11;
    /// RISC-V RV64IMC.
    pub const RV64IMC: u8 = 12;
    /// mpy-cross's textual debug emitter.
    pub const DEBUG: u8 = 13;
}

/// The header fields of a `.mpy` file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MpyHeader {
    /// Native architecture code ([`arch`]); `arch::NONE` for bytecode-only files.
    pub arch: u8,
    /// Sub-version bits of the feature byte (3 when `arch` is not none, else usually 0).
    pub sub_version: u8,
    /// Architecture flags, present when the feature byte has [`FEATURE_ARCH_FLAGS`].
    pub arch_flags: Option<u64>,
    /// Number of bits of a small int the code needs (header byte 3).
    pub small_int_bits: u8,
}

impl MpyHeader {
    /// The header mpy-cross writes for `module`: arch none and no sub-version for
    /// bytecode-only modules; sub-version 3 (but arch none: name it yourself) when the
    /// module holds native code.
    pub fn for_module(module: &CompiledModule) -> Self {
        let native = has_native_code(&module.root);
        Self {
            arch: arch::NONE,
            sub_version: if native { MPY_SUB_VERSION } else { 0 },
            arch_flags: None,
            small_int_bits: DEFAULT_SMALL_INT_BITS,
        }
    }

    /// The feature byte (header byte 2).
    pub fn feature_byte(&self) -> u8 {
        let flags = if self.arch_flags.is_some() { FEATURE_ARCH_FLAGS } else { 0 };
        flags | (self.arch & 0x0F) << 2 | (self.sub_version & 3)
    }
}

/// True when `code` or one of its descendants is not bytecode.
fn has_native_code(code: &crate::code::RawCode) -> bool {
    code.kind != crate::code::CodeKind::Bytecode || code.children.iter().any(has_native_code)
}

/// Fields of a viper or inline-assembler raw code that [`crate::RawCode`] does not hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NativeExtra {
    /// Which raw code: its number in depth-first order (root 0, then its first child, ...).
    pub code_index: usize,
    /// The scope-flags var-uint as stored in the file (mpy-cross writes 0); its 0x10,
    /// 0x20 and 0x40 bits announce relocations, rodata and bss.
    pub file_scope_flags: u64,
    /// Inline assembler only: the type signature var-uint.
    pub type_sig: u64,
    /// Viper only: the read-only data, when the flags announce it.
    pub rodata: Option<Vec<u8>>,
    /// Viper only: the bss size, when the flags announce it.
    pub bss_size: Option<u64>,
    /// Viper only: the raw relocation stream (ending with its 0xFF byte), when announced.
    pub relocations: Option<Vec<u8>>,
}

/// Viper scope flag: a relocation stream follows the children.
pub const VIPER_FLAG_RELOC: u64 = 0x10;
/// Viper scope flag: read-only data follows.
pub const VIPER_FLAG_RODATA: u64 = 0x20;
/// Viper scope flag: a bss size follows.
pub const VIPER_FLAG_BSS: u64 = 0x40;

/// A whole `.mpy` file: header, module, and the native fields kept outside the module.
#[derive(Clone, Debug, PartialEq)]
pub struct MpyFile {
    /// The header.
    pub header: MpyHeader,
    /// The compiled module.
    pub module: CompiledModule,
    /// Extra fields of viper/inline-asm raw codes, sorted by `code_index`; raw codes
    /// without an entry are written as mpy-cross does (flags 0, type signature 0).
    pub native_extras: Vec<NativeExtra>,
}

#[cfg(test)]
pub(crate) mod tests;
