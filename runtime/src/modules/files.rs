//! The lifetime of open files: descriptor numbers, finalisers and deferred writes.
//!
//! A file object returned by `open()` is an in-memory stream (see [`super::io`])
//! that remembers its path and a descriptor number (`fileno()`), the lowest
//! number from 3 up that no open file holds, as a POSIX system hands them out.
//! Files are allocated with a GC finaliser: a file that becomes unreachable
//! without being closed gives its number back, and if it was written since its
//! last flush its contents are queued and written at the next safe point (the
//! start of the next file-system operation, `gc.collect()`, or the VM's end).
//! During a collection the heap is locked and no Python code may run, which is
//! why the write is deferred rather than done in the finaliser.

use alloc::string::String;
use alloc::vec::Vec;

use crate::gc::HeapWords;
use crate::obj::Obj;
use crate::vm::Vm;

/// The first descriptor number given to a file (0, 1 and 2 are the standard streams).
pub const FIRST_FD: i32 = 3;

/// What the VM keeps about its open files (part of [`super::SystemState`]).
#[derive(Default)]
pub struct OpenFiles {
    /// Slot `i` is descriptor `FIRST_FD + i`: the absolute path of the file holding it.
    slots: Vec<Option<String>>,
    /// Files written since their last flush. Not roots: a file dropped while
    /// dirty is finalised and its data moved to `pending`.
    pub dirty: Vec<Obj>,
    /// Contents of files finalised while dirty, to write at the next safe point.
    pending: Vec<(String, Vec<u8>)>,
}

impl OpenFiles {
    /// Takes the lowest free descriptor number for the file at `path`.
    pub fn take_fd(&mut self, path: &str) -> i32 {
        let i = match self.slots.iter().position(Option::is_none) {
            Some(i) => i,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        self.slots[i] = Some(String::from(path));
        FIRST_FD + i as i32
    }

    /// Gives descriptor `fd` back (closing, or finalising its file).
    pub fn release_fd(&mut self, fd: i32) -> Option<String> {
        let i = usize::try_from(fd - FIRST_FD).ok()?;
        let path = self.slots.get_mut(i)?.take();
        while self.slots.last().is_some_and(Option::is_none) {
            self.slots.pop();
        }
        path
    }

    /// Called by the collector for an unreachable file: gives its descriptor
    /// back and, if it holds unwritten data, queues that data for its path.
    /// `fd` is the descriptor the (unclosed) file object holds, `dirty`
    /// whether it was written since its last flush, `buf` its bytearray.
    pub fn finalise(&mut self, file: Obj, fd: i32, dirty: bool, buf: Obj, heap: &HeapWords) {
        self.dirty.retain(|&f| f != file);
        let Some(path) = self.release_fd(fd) else { return };
        if dirty {
            if let Some(data) = bytearray_contents(heap, buf) {
                self.pending.push((path, data));
            }
        }
    }

    /// True if finalised files wait to be written.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}

/// The bytes of bytearray `b` (`[type, length, capacity, data]`) read straight
/// from the heap, for use while the heap is locked.
fn bytearray_contents(heap: &HeapWords, b: Obj) -> Option<Vec<u8>> {
    let len = heap.load(b, 1)? as usize;
    let mut out = alloc::vec![0u8; len];
    if len > 0 {
        let data = heap.load_obj(b, 3)?;
        if !heap.read_bytes(data, 0, &mut out) {
            return None;
        }
    }
    Some(out)
}

/// Writes the contents of files finalised while dirty. Errors are dropped:
/// the program that wrote the data no longer holds the file to hear of them.
pub fn write_pending(vm: &mut Vm) {
    if !vm.st.sys.files.has_pending() {
        return;
    }
    for (path, data) in core::mem::take(&mut vm.st.sys.files.pending) {
        let _ = super::vfs::mount::write_file(vm, &path, &data, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_are_the_lowest_free_numbers() {
        let mut f = OpenFiles::default();
        assert_eq!(f.take_fd("/a"), 3);
        assert_eq!(f.take_fd("/b"), 4);
        assert_eq!(f.take_fd("/c"), 5);
        assert_eq!(f.release_fd(4).as_deref(), Some("/b"));
        assert_eq!(f.take_fd("/d"), 4);
        // Unknown or already released numbers are ignored.
        assert_eq!(f.release_fd(2), None);
        assert_eq!(f.release_fd(99), None);
        assert_eq!(f.release_fd(5).as_deref(), Some("/c"));
        assert!(f.release_fd(5).is_none());
        // 3 and 4 are still held.
        assert_eq!(f.take_fd("/e"), 5);
        assert_eq!(f.take_fd("/f"), 6);
    }
}
