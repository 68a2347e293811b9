//! ferropy's bytecode: MicroPython-compatible opcodes, code objects, the function
//! prelude, `.mpy` files and a disassembler.
//!
//! This crate only describes and decodes compiled code; producing it is the
//! frontend's job (`ferropy-frontend`), and running it is the runtime's.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod code;
pub mod disasm;
pub mod error;
pub mod mpy;
pub mod native_abi;
pub mod opcode;
pub mod prelude;
pub mod qstr;
pub mod repr;
pub mod varint;

pub use code::{CodeKind, CompiledModule, ConstObj, RawCode};
pub use disasm::{disassemble_module, disassemble_raw_code};
pub use error::{DecodeError, DecodeErrorKind};
pub use mpy::{read_mpy, write_mpy};
pub use prelude::{
    decode_prelude, decode_signature, decode_size, encode_line_delta, encode_signature, encode_size, line_for_offset,
    Prelude, Signature,
};
