//! The buffer protocol: a type's `buffer` slot says where an object's bytes
//! live in the heap (an object whose words hold them, a byte offset into it,
//! a length, and whether they may be written), so `bytes`, `bytearray`,
//! `memoryview`, `array` and `struct` share one way to read and write them.

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// Where a buffer's bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufferInfo {
    /// The heap object holding the bytes.
    pub holder: Obj,
    /// Byte offset of the first byte inside `holder`.
    pub offset: usize,
    /// Number of bytes.
    pub len: usize,
    /// Whether the bytes may be modified.
    pub writable: bool,
    /// The typecode of the items (`B` for bytes-like objects; see [`super::binary`]).
    pub typecode: u8,
}

/// The `buffer` slot: the byte range of an object, `None` if it has none.
pub type BufferFn = fn(&Vm, Obj) -> Option<BufferInfo>;

impl Vm {
    /// The buffer of `o` (bytes-like objects), if it has one.
    pub fn buffer_info(&self, o: Obj) -> Option<BufferInfo> {
        if !o.is_heap_ref() {
            return None;
        }
        // An instance of a class derived from a built-in type: its native part's buffer.
        let o = self.native_self(o);
        (self.desc_of(o).buffer?)(self, o)
    }

    /// A copy of the bytes of a bytes-like object.
    pub fn buffer_bytes(&self, o: Obj) -> Option<Vec<u8>> {
        self.buffer_bytes_short(o).map(Vec::from)
    }

    /// [`Vm::buffer_bytes`] without a heap allocation when the data is short.
    pub(crate) fn buffer_bytes_short(&self, o: Obj) -> Option<super::str::ShortBytes> {
        let info = self.buffer_info(o)?;
        let mut out = super::str::ShortBytes::zeroed(info.len);
        (info.len == 0 || self.heap.words.read_bytes(info.holder, info.offset, &mut out)).then_some(out)
    }

    /// Reads `out.len()` bytes of a bytes-like object from byte `at` without
    /// copying the rest (item access); false if they are not all inside it.
    pub fn buffer_read(&self, o: Obj, at: usize, out: &mut [u8]) -> bool {
        match self.buffer_info(o) {
            Some(info) if at.saturating_add(out.len()) <= info.len => {
                out.is_empty() || self.heap.words.read_bytes(info.holder, info.offset + at, out)
            }
            _ => false,
        }
    }

    /// The byte at `at` of a bytes-like object (0 outside it).
    pub fn buffer_byte(&self, o: Obj, at: usize) -> u8 {
        let mut b = [0u8];
        self.buffer_read(o, at, &mut b);
        b[0]
    }

    /// The bytes of a str or bytes-like object.
    pub fn buffer_or_str(&self, o: Obj) -> Option<Vec<u8>> {
        if self.is_str(o) {
            return self.str_bytes(o);
        }
        self.buffer_bytes(o)
    }

    /// Makes room for `need` bytes in the growable storage of `o` (bytearray,
    /// array): slot `data_slot` holds the storage, slot `cap_slot` its capacity
    /// in bytes, of which the first `used` are kept. The capacity at least
    /// doubles when it grows, so appending costs amortised O(1) per byte.
    /// Returns the (possibly new) storage object.
    pub(crate) fn reserve_storage(
        &mut self,
        o: Obj,
        data_slot: usize,
        cap_slot: usize,
        used: usize,
        need: usize,
    ) -> PyResult<Obj> {
        let cap = self.get_usize(o, cap_slot);
        let old = self.get(o, data_slot);
        if need <= cap {
            return Ok(old);
        }
        let new_cap = need.max(cap.saturating_mul(2)).div_ceil(4) * 4;
        if new_cap > u32::MAX as usize {
            return Err(self.memory_error_of(new_cap));
        }
        let buf = self.with_temps(|vm| {
            vm.root(o);
            vm.alloc(new_cap / 4)
        })?;
        // The kept bytes move word by word inside the heap (the new block is
        // at least as large; bytes past `used` in the last word are spare).
        if let (Some(from), Some(to)) = (old.heap_word_index(), buf.heap_word_index()) {
            let words = self.heap.words.words_mut();
            let n = used.div_ceil(4);
            if from.checked_add(n).is_some_and(|end| end <= words.len()) {
                words.copy_within(from..from + n, to);
            }
        }
        self.set(o, data_slot, buf);
        self.set_u32(o, cap_slot, new_cap as u32);
        Ok(buf)
    }

    /// Appends `more` to the growable byte storage of `o` (a heap block in
    /// word `data_slot`, its capacity in bytes in word `cap_slot`) holding
    /// `used` bytes; the caller then records the new length in its own units.
    pub(crate) fn storage_append(
        &mut self,
        o: Obj,
        data_slot: usize,
        cap_slot: usize,
        used: usize,
        more: &[u8],
    ) -> PyResult<()> {
        let buf = self.reserve_storage(o, data_slot, cap_slot, used, used + more.len())?;
        if !more.is_empty() {
            self.heap.words.write_bytes(buf, used, more);
        }
        Ok(())
    }

    /// Writes `data` into a writable buffer at byte `at`; false if it does not fit.
    pub fn buffer_write(&mut self, o: Obj, at: usize, data: &[u8]) -> bool {
        match self.buffer_info(o) {
            Some(info) if info.writable && at.saturating_add(data.len()) <= info.len => {
                data.is_empty() || self.heap.words.write_bytes(info.holder, info.offset + at, data)
            }
            _ => false,
        }
    }
}

/// The `buffer` slot of `bytes` (read-only, after the 3-word header).
pub fn bytes_buffer(vm: &Vm, o: Obj) -> Option<BufferInfo> {
    Some(BufferInfo { holder: o, offset: 12, len: vm.get_usize(o, 1), writable: false, typecode: b'B' })
}
