//! [`CodeBuffer`]: code bytes, labels and label fix-ups shared by every ISA.
//!
//! Labels are resolved by **fix-ups**, not by a size pass: every jump or
//! label-address instruction is emitted at once with a placeholder field of a
//! fixed size chosen by the ISA, and a [`Fixup`] records where that field is. When
//! code is finished, [`CodeBuffer::resolve`] hands each fix-up and its label's
//! offset to an ISA-specific patch function. Because the field sizes never change,
//! no offset moves after it is taken, so a single emission pass is enough.

use alloc::vec::Vec;

use crate::error::AsmError;

/// A position in the code, created by [`CodeBuffer::new_label`] and bound once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(pub u32);

/// A place in the code whose bytes depend on a label's final offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixup {
    /// Byte offset of the field to patch.
    pub at: usize,
    /// The label the field refers to.
    pub label: Label,
    /// ISA-specific kind of field (encoding and what the offset is relative to).
    pub kind: u8,
}

/// Growing machine code with labels.
#[derive(Clone, Debug, Default)]
pub struct CodeBuffer {
    bytes: Vec<u8>,
    labels: Vec<Option<usize>>,
    fixups: Vec<Fixup>,
    error: Option<AsmError>,
}

impl CodeBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The code emitted so far.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The code emitted so far, for patching fields whose value became known
    /// later without a label (an ISA's literal pools).
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }

    /// The current offset (where the next byte goes).
    pub fn offset(&self) -> usize {
        self.bytes.len()
    }

    /// Appends one byte.
    pub fn put_u8(&mut self, byte: u8) {
        self.bytes.push(byte);
    }

    /// Appends bytes as they are.
    pub fn put_bytes(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// Appends a little-endian 16-bit value.
    pub fn put_u16_le(&mut self, value: u16) {
        self.put_bytes(&value.to_le_bytes());
    }

    /// Appends a little-endian 32-bit value.
    pub fn put_u32_le(&mut self, value: u32) {
        self.put_bytes(&value.to_le_bytes());
    }

    /// Appends a little-endian 64-bit value.
    pub fn put_u64_le(&mut self, value: u64) {
        self.put_bytes(&value.to_le_bytes());
    }

    /// Appends `fill` bytes until the offset is a multiple of `align` (a power of two; others are ignored).
    pub fn align(&mut self, align: usize, fill: u8) {
        if align.is_power_of_two() {
            while self.bytes.len() % align != 0 {
                self.bytes.push(fill);
            }
        }
    }

    /// Remembers `error` unless an earlier error is already remembered.
    pub fn fail(&mut self, error: AsmError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// The first error remembered, if any.
    pub fn error(&self) -> Option<AsmError> {
        self.error
    }

    /// Creates a new unbound label.
    pub fn new_label(&mut self) -> Label {
        let id = u32::try_from(self.labels.len()).unwrap_or(u32::MAX);
        if id == u32::MAX {
            self.fail(AsmError::CodeTooLarge);
        } else {
            self.labels.push(None);
        }
        Label(id)
    }

    /// Binds `label` to the current offset.
    pub fn bind(&mut self, label: Label) {
        let here = self.bytes.len();
        match self.labels.get_mut(label.0 as usize) {
            Some(slot @ None) => *slot = Some(here),
            Some(Some(_)) => self.fail(AsmError::LabelBoundTwice(label.0)),
            None => self.fail(AsmError::UnknownLabel(label.0)),
        }
    }

    /// The offset `label` is bound to, if it is bound.
    pub fn label_offset(&self, label: Label) -> Option<usize> {
        self.labels.get(label.0 as usize).copied().flatten()
    }

    /// Records that the field at `at` must be patched with `label`'s offset.
    pub fn add_fixup(&mut self, at: usize, label: Label, kind: u8) {
        if (label.0 as usize) < self.labels.len() {
            self.fixups.push(Fixup { at, label, kind });
        } else {
            self.fail(AsmError::UnknownLabel(label.0));
        }
    }

    /// Patches every fix-up with `patch(code, fixup, target_offset)` and returns the
    /// code and the label offsets (`None` for labels never bound and never used).
    ///
    /// Fails with the first remembered error, an unbound label, or the first error of `patch`.
    pub fn resolve<F>(mut self, mut patch: F) -> Result<(Vec<u8>, Vec<Option<usize>>), AsmError>
    where
        F: FnMut(&mut [u8], Fixup, usize) -> Result<(), AsmError>,
    {
        if let Some(error) = self.error {
            return Err(error);
        }
        for fixup in core::mem::take(&mut self.fixups) {
            let target = self.label_offset(fixup.label).ok_or(AsmError::UnboundLabel(fixup.label.0))?;
            patch(&mut self.bytes, fixup, target)?;
        }
        Ok((self.bytes, self.labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_bind_and_resolve() {
        let mut buf = CodeBuffer::new();
        let l = buf.new_label();
        buf.put_u8(0xAA);
        buf.add_fixup(buf.offset(), l, 0);
        buf.put_u8(0);
        buf.bind(l);
        let (code, labels) = buf
            .resolve(|code, f, target| {
                let slot = code.get_mut(f.at).ok_or(AsmError::CodeTooLarge)?;
                *slot = target as u8;
                Ok(())
            })
            .unwrap();
        assert_eq!(code, [0xAA, 2]);
        assert_eq!(labels, [Some(2)]);
    }

    #[test]
    fn unbound_and_double_bound_labels_fail() {
        let mut buf = CodeBuffer::new();
        let l = buf.new_label();
        buf.add_fixup(0, l, 0);
        assert_eq!(buf.clone().resolve(|_, _, _| Ok(())).unwrap_err(), AsmError::UnboundLabel(0));
        buf.bind(l);
        buf.bind(l);
        assert_eq!(buf.resolve(|_, _, _| Ok(())).unwrap_err(), AsmError::LabelBoundTwice(0));
        let mut other = CodeBuffer::new();
        other.bind(Label(7));
        assert_eq!(other.error(), Some(AsmError::UnknownLabel(7)));
    }

    #[test]
    fn bytes_can_be_patched_in_place() {
        let mut buf = CodeBuffer::new();
        buf.put_u16_le(0x1234);
        buf.bytes_mut()[1] = 0xAB;
        assert_eq!(buf.bytes(), [0x34, 0xAB]);
    }

    #[test]
    fn align_pads_to_power_of_two() {
        let mut buf = CodeBuffer::new();
        buf.put_u8(1);
        buf.align(4, 0x90);
        assert_eq!(buf.bytes(), [1, 0x90, 0x90, 0x90]);
        buf.align(3, 0);
        assert_eq!(buf.offset(), 4);
    }
}
