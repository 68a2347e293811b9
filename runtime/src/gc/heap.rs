//! [`Heap`]: what a VM holds: the heap words (fast, direct access) next to the
//! collector behind `Box<dyn Gc>` (slow paths).

use alloc::boxed::Box;

use super::collector::{ArenaGc, HostGc, HostGcConfig};
use super::heap_words::HeapWords;
use super::{AllocError, Gc, Roots};
use crate::obj::Obj;

/// A VM's heap: its words and its collector. The fields are public so the VM
/// can borrow them separately (read objects while holding other VM state).
pub struct Heap {
    /// The heap's words: every object read/write goes here directly.
    pub words: HeapWords,
    /// The collector (allocation, collection, statistics, locking).
    pub gc: Box<dyn Gc>,
}

impl core::fmt::Debug for Heap {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Heap").field("words", &self.words.len()).field("stats", &self.gc.stats()).finish()
    }
}

impl Heap {
    /// A heap from its parts.
    pub fn new(words: HeapWords, gc: Box<dyn Gc>) -> Heap {
        Heap { words, gc }
    }

    /// A fixed arena of `heap_bytes` from the global allocator.
    pub fn arena(heap_bytes: usize) -> Result<Heap, AllocError> {
        let (words, gc) = ArenaGc::new_owned(heap_bytes)?;
        Ok(Heap::new(words, Box::new(gc)))
    }

    /// A fixed arena in embedder memory.
    pub fn arena_static(region: &'static mut [u32]) -> Result<Heap, AllocError> {
        let (words, gc) = ArenaGc::new_static(region)?;
        Ok(Heap::new(words, Box::new(gc)))
    }

    /// A growable host heap.
    pub fn host(config: HostGcConfig) -> Result<Heap, AllocError> {
        let (words, gc) = HostGc::new(config)?;
        Ok(Heap::new(words, Box::new(gc)))
    }

    /// A growable host heap without the address-space reservation (see
    /// [`HostGc::with_reservation`]): for VMs that run no machine code.
    pub fn host_unreserved(config: HostGcConfig) -> Result<Heap, AllocError> {
        let (words, gc) = HostGc::with_reservation(config, false)?;
        Ok(Heap::new(words, Box::new(gc)))
    }

    /// Allocates `n_bytes` zeroed bytes (see [`Gc::alloc`]).
    pub fn alloc(&mut self, n_bytes: usize, roots: &mut dyn Roots) -> Result<Obj, AllocError> {
        self.gc.alloc(&mut self.words, n_bytes, false, roots)
    }

    /// Allocates `n_bytes` zeroed bytes with a finaliser (see [`Gc::alloc`]).
    pub fn alloc_with_finaliser(&mut self, n_bytes: usize, roots: &mut dyn Roots) -> Result<Obj, AllocError> {
        self.gc.alloc(&mut self.words, n_bytes, true, roots)
    }

    /// Resizes an allocation (see [`Gc::realloc`]).
    pub fn realloc(&mut self, obj: Obj, n_bytes: usize, roots: &mut dyn Roots) -> Result<Obj, AllocError> {
        self.gc.realloc(&mut self.words, obj, n_bytes, true, roots)
    }

    /// Frees an allocation now (see [`Gc::free`]).
    pub fn free(&mut self, obj: Obj) -> bool {
        self.gc.free(&mut self.words, obj)
    }

    /// Runs a full collection (see [`Gc::collect`]).
    pub fn collect(&mut self, roots: &mut dyn Roots) -> usize {
        self.gc.collect(&mut self.words, roots)
    }
}
