//! ferropy's REPL engine, the one MicroPython users know, over any byte console.
//!
//! `no_std` + `alloc`: the same engine serves a host terminal, a TCP port
//! (`ferropy --serve`) and, later, a board's UART. It implements
//!
//! - the **friendly REPL**: `>>> `/`... ` prompts, continuation lines
//!   ([`continuation`]), auto-indent, a small line editor with history
//!   ([`editor`]), tab completion of names and attributes ([`complete`]),
//!   Ctrl-C (cancel the line, or `KeyboardInterrupt` in running code through
//!   [`Console::set_interrupt`]), Ctrl-D (soft reset or exit, [`CtrlD`]);
//! - **paste mode** (Ctrl-E ... Ctrl-D, `=== ` prompts);
//! - the **raw REPL** (Ctrl-A) and **raw-paste mode** with its flow control,
//!   byte for byte as MicroPython's `pyboard.py` and `mpremote` expect ([`raw`]).
//!
//! The program supplies a [`Console`] (read a byte, write bytes) and a
//! [`Board`] that makes a fresh VM whose output sinks write to that console; a
//! soft reset asks the board for a new VM.
#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod complete;
pub mod console;
pub mod continuation;
pub mod editor;
pub mod engine;
pub mod exec;
mod friendly;
pub mod raw;
#[cfg(all(test, feature = "std"))]
mod tests;

pub use console::Console;
#[cfg(feature = "std")]
pub use console::{ScriptedConsole, SharedOutput};
pub use editor::{Completion, Editor, ReadResult};
pub use engine::{Board, CtrlD, LineReader, Repl, ReplConfig, SessionEnd};
pub use friendly::{PS1, PS2};
