//! The error returned by every decoder of this crate.

use core::fmt;

/// What kind of problem a decoder met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The input ended in the middle of the named item.
    Truncated,
    /// The named number does not fit the type that holds it.
    TooLarge,
    /// The named item has a value the format does not allow.
    Invalid,
    /// The named structure is nested deeper than the decoder accepts.
    TooDeep,
}

/// A decoding failure: what was being read, what went wrong, and the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// The item being decoded (for example `"signature"` or `"qstr entry"`).
    pub what: &'static str,
    /// Byte offset in the input where the problem was found.
    pub offset: usize,
}

impl DecodeError {
    /// The input ended in the middle of `what`, at `offset`.
    pub const fn truncated(what: &'static str, offset: usize) -> Self {
        Self { kind: DecodeErrorKind::Truncated, what, offset }
    }

    /// `what` at `offset` is a number too large for its field.
    pub const fn too_large(what: &'static str, offset: usize) -> Self {
        Self { kind: DecodeErrorKind::TooLarge, what, offset }
    }

    /// `what` at `offset` has a value the format does not allow.
    pub const fn invalid(what: &'static str, offset: usize) -> Self {
        Self { kind: DecodeErrorKind::Invalid, what, offset }
    }

    /// `what` at `offset` is nested too deeply.
    pub const fn too_deep(what: &'static str, offset: usize) -> Self {
        Self { kind: DecodeErrorKind::TooDeep, what, offset }
    }

    /// Converts a var-int reading failure about `what`, started at `offset`.
    pub fn from_varint(err: crate::varint::VarIntError, what: &'static str, offset: usize) -> Self {
        match err {
            crate::varint::VarIntError::Truncated => Self::truncated(what, offset),
            crate::varint::VarIntError::Overflow => Self::too_large(what, offset),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            DecodeErrorKind::Truncated => {
                write!(f, "truncated {} at offset {}", self.what, self.offset)
            }
            DecodeErrorKind::TooLarge => {
                write!(f, "{} too large at offset {}", self.what, self.offset)
            }
            DecodeErrorKind::Invalid => {
                write!(f, "invalid {} at offset {}", self.what, self.offset)
            }
            DecodeErrorKind::TooDeep => write!(f, "{} nested too deeply at offset {}", self.what, self.offset),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn messages_name_the_item_and_offset() {
        assert_eq!(DecodeError::truncated("signature", 3).to_string(), "truncated signature at offset 3");
        assert_eq!(DecodeError::too_large("n_info", 0).to_string(), "n_info too large at offset 0");
        assert_eq!(DecodeError::invalid("magic", 0).to_string(), "invalid magic at offset 0");
        assert_eq!(DecodeError::too_deep("tuple", 9).to_string(), "tuple nested too deeply at offset 9");
    }

    #[test]
    fn varint_errors_convert() {
        use crate::varint::VarIntError;
        assert_eq!(DecodeError::from_varint(VarIntError::Truncated, "x", 2).kind, DecodeErrorKind::Truncated);
        assert_eq!(DecodeError::from_varint(VarIntError::Overflow, "x", 2).kind, DecodeErrorKind::TooLarge);
    }
}
