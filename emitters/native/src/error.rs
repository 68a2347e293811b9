//! Errors reported by an assembler when it finishes.

use core::fmt;

/// Why an [`Asm`](crate::Asm) could not produce code.
///
/// Emission methods never fail on the spot: the first problem is remembered and
/// returned by [`Asm::finish`](crate::Asm::finish), so the emitter can emit a whole
/// function without checking every call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsmError {
    /// A label was not created by this assembler.
    UnknownLabel(u32),
    /// A label was bound twice.
    LabelBoundTwice(u32),
    /// A label was used by a jump or address load but never bound.
    UnboundLabel(u32),
    /// A jump or address load does not reach its label with the ISA's encoding.
    BranchOutOfRange(u32),
    /// A stack slot index is not below the count given to the prologue.
    SlotOutOfRange(usize),
    /// An immediate value does not fit the ISA's word or encoding.
    ImmediateOutOfRange(i64),
    /// A memory offset does not fit the ISA's addressing mode.
    OffsetOutOfRange(i64),
    /// A register cannot be used in that role (for example the stack pointer as an index).
    InvalidRegister(u8),
    /// The frame operations were used without a prologue, or the prologue was emitted twice.
    FrameMisuse,
    /// A function table index is too large for the ISA's call encoding.
    TableIndexOutOfRange(usize),
    /// The code grew beyond what the ISA's offsets can describe.
    CodeTooLarge,
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsmError::UnknownLabel(l) => write!(f, "unknown label {l}"),
            AsmError::LabelBoundTwice(l) => write!(f, "label {l} bound twice"),
            AsmError::UnboundLabel(l) => write!(f, "label {l} used but never bound"),
            AsmError::BranchOutOfRange(l) => write!(f, "branch to label {l} out of range"),
            AsmError::SlotOutOfRange(s) => write!(f, "stack slot {s} out of range"),
            AsmError::ImmediateOutOfRange(v) => write!(f, "immediate {v} out of range"),
            AsmError::OffsetOutOfRange(v) => write!(f, "memory offset {v} out of range"),
            AsmError::InvalidRegister(r) => write!(f, "register {r} invalid here"),
            AsmError::FrameMisuse => f.write_str("prologue missing or emitted twice"),
            AsmError::TableIndexOutOfRange(i) => write!(f, "function table index {i} out of range"),
            AsmError::CodeTooLarge => f.write_str("code too large"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for AsmError {}
