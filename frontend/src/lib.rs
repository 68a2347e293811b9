//! ferropy's frontend: source text to compiled code.
//!
//! The pipeline is `lexer` (text to tokens) -> `parser` (tokens to the `ast`) ->
//! `scope` (name resolution) -> `compile` (walks the tree and drives an [`Emit`]
//! implementation). The bytecode emitter produces MicroPython-compatible bytecode;
//! native emitters (other crates) implement the same trait.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod ast;
pub mod error;
pub mod token;

pub use error::{CompileError, ErrorKind};
pub mod compile;
pub mod emit;
pub mod emitbc;
pub mod lexer;
pub mod parser;
pub mod scope;
pub(crate) mod strmap;

pub use compile::{compile_bytes, compile_eval_ast, compile_module_ast, compile_source, CompileOptions, InputKind};
pub use emit::{Emit, EmitterKind, NativeEmitterFactory};
