//! The heap's word array and bounds-checked object field access.
//!
//! This is the fast path the VM uses for every object read and write: one
//! bounds-checked slice index, no virtual call. A wrong offset can yield a wrong
//! value, never undefined behaviour.

use super::backing::Backing;
use super::AllocError;
use crate::bytes_view;
use crate::obj::Obj;

/// The words of the GC heap; heap references are byte offsets into it.
#[derive(Debug)]
pub struct HeapWords {
    backing: Backing,
}

impl HeapWords {
    /// Heap words over the given storage.
    pub fn new(backing: Backing) -> HeapWords {
        HeapWords { backing }
    }

    /// All heap words.
    #[inline]
    pub fn words(&self) -> &[u32] {
        self.backing.as_slice()
    }

    /// All heap words, mutable.
    #[inline]
    pub fn words_mut(&mut self) -> &mut [u32] {
        self.backing.as_mut_slice()
    }

    /// Number of words.
    #[inline]
    pub fn len(&self) -> usize {
        self.backing.len()
    }

    /// True if the heap has no words.
    pub fn is_empty(&self) -> bool {
        self.backing.is_empty()
    }

    /// Grows the storage (only owned storage can grow); offsets stay valid.
    pub fn grow_to(&mut self, n_words: usize) -> Result<(), AllocError> {
        self.backing.grow_to(n_words)
    }

    /// Word `field` of heap object `obj`.
    #[inline]
    pub fn load(&self, obj: Obj, field: usize) -> Option<u32> {
        let index = obj.heap_word_index()?.checked_add(field)?;
        self.words().get(index).copied()
    }

    /// Sets word `field` of heap object `obj`; `false` if out of range.
    #[inline]
    pub fn store(&mut self, obj: Obj, field: usize, value: u32) -> bool {
        let Some(index) = obj.heap_word_index().and_then(|i| i.checked_add(field)) else {
            return false;
        };
        match self.words_mut().get_mut(index) {
            Some(word) => {
                *word = value;
                true
            }
            None => false,
        }
    }

    /// Field `field` of `obj` as an object reference.
    #[inline]
    pub fn load_obj(&self, obj: Obj, field: usize) -> Option<Obj> {
        self.load(obj, field).map(Obj::from_raw)
    }

    /// Stores reference `value` into field `field` of `obj`.
    #[inline]
    pub fn store_obj(&mut self, obj: Obj, field: usize, value: Obj) -> bool {
        self.store(obj, field, value.raw())
    }

    /// The object's type word (word 0) as a reference.
    #[inline]
    pub fn type_of(&self, obj: Obj) -> Option<Obj> {
        self.load_obj(obj, 0)
    }

    /// `n_words` words of `obj` starting at its first word.
    pub fn object_words(&self, obj: Obj, n_words: usize) -> Option<&[u32]> {
        let start = obj.heap_word_index()?;
        self.words().get(start..start.checked_add(n_words)?)
    }

    /// `n_words` words of `obj`, mutable.
    pub fn object_words_mut(&mut self, obj: Obj, n_words: usize) -> Option<&mut [u32]> {
        let start = obj.heap_word_index()?;
        let end = start.checked_add(n_words)?;
        self.words_mut().get_mut(start..end)
    }

    /// The item of `size` bytes (1, 2, 4 or 8) at `byte_offset` inside `obj`
    /// (`bytes_view::read_item`: an array item).
    #[inline(always)]
    pub fn read_item(&self, obj: Obj, byte_offset: usize, size: usize) -> Option<u64> {
        let start = (obj.heap_offset()? as usize).checked_add(byte_offset)?;
        bytes_view::read_item(self.words(), start, size)
    }

    /// Writes the low `size` bytes of `value` at `byte_offset` inside `obj`.
    #[inline(always)]
    pub fn write_item(&mut self, obj: Obj, byte_offset: usize, size: usize, value: u64) -> bool {
        match obj.heap_offset().and_then(|base| (base as usize).checked_add(byte_offset)) {
            Some(start) => bytes_view::write_item(self.words_mut(), start, size, value),
            None => false,
        }
    }

    /// Copies `out.len()` bytes starting at byte `byte_offset` inside `obj`.
    pub fn read_bytes(&self, obj: Obj, byte_offset: usize, out: &mut [u8]) -> bool {
        match obj.heap_offset() {
            Some(base) => match (base as usize).checked_add(byte_offset) {
                Some(start) => bytes_view::copy_out(self.words(), start, out),
                None => false,
            },
            None => false,
        }
    }

    /// The byte at `byte_offset` inside `obj` (one item of a bytearray).
    #[inline]
    pub fn read_byte(&self, obj: Obj, byte_offset: usize) -> Option<u8> {
        let at = (obj.heap_offset()? as usize).checked_add(byte_offset)?;
        bytes_view::read_byte(self.words(), at)
    }

    /// Writes byte `value` at `byte_offset` inside `obj`.
    #[inline]
    pub fn write_byte(&mut self, obj: Obj, byte_offset: usize, value: u8) -> bool {
        match obj.heap_offset().and_then(|base| (base as usize).checked_add(byte_offset)) {
            Some(at) => bytes_view::write_byte(self.words_mut(), at, value),
            None => false,
        }
    }

    /// Writes `data` starting at byte `byte_offset` inside `obj`.
    pub fn write_bytes(&mut self, obj: Obj, byte_offset: usize, data: &[u8]) -> bool {
        match obj.heap_offset() {
            Some(base) => match (base as usize).checked_add(byte_offset) {
                Some(start) => bytes_view::copy_in(self.words_mut(), start, data),
                None => false,
            },
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_access_is_bounds_checked() {
        let mut heap = HeapWords::new(Backing::owned_zeroed(16).unwrap());
        let obj = Obj::from_heap_offset(16).unwrap();
        assert!(heap.store(obj, 3, 99));
        assert_eq!(heap.load(obj, 3), Some(99));
        assert_eq!(heap.words()[7], 99);
        assert!(heap.store_obj(obj, 0, Obj::NONE));
        assert_eq!(heap.type_of(obj), Some(Obj::NONE));
        assert_eq!(heap.load(obj, 12), None);
        assert!(!heap.store(obj, 12, 1));
        assert_eq!(heap.load(Obj::NONE, 0), None);
        assert_eq!(heap.load(obj, usize::MAX), None);
        assert_eq!(heap.object_words(obj, 4).map(<[u32]>::len), Some(4));
        assert_eq!(heap.object_words(obj, 13), None);
    }

    #[test]
    fn byte_access() {
        let mut heap = HeapWords::new(Backing::owned_zeroed(8).unwrap());
        let obj = Obj::from_heap_offset(16).unwrap();
        assert!(heap.write_bytes(obj, 2, b"hi!"));
        let mut out = [0u8; 3];
        assert!(heap.read_bytes(obj, 2, &mut out));
        assert_eq!(&out, b"hi!");
        assert!(!heap.write_bytes(obj, 14, b"xyz"));
        assert!(!heap.read_bytes(Obj::TRUE, 0, &mut out));
    }
}
