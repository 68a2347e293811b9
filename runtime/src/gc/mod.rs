//! The pluggable garbage collector.
//!
//! * [`HeapWords`]: the heap's word array; the VM reads and writes objects through
//!   it directly (one bounds check per access, no virtual call).
//! * [`Gc`]: the object-safe collector interface for the slow paths (allocation,
//!   collection, statistics, locking). The VM holds a `Box<dyn Gc>` next to the
//!   `HeapWords` (see [`Heap`]).
//! * [`MarkSweepGc`]: MicroPython's mark-sweep collector over a block table,
//!   shared by [`ArenaGc`] (fixed arena) and [`HostGc`] (growable host heap).
//! * [`Roots`]: what the VM implements so the collector can find its roots and
//!   report objects to finalise.
//! * [`stack_scan`]: conservative scanning of the native stack.

mod backing;
mod collect;
mod collector;
mod heap;
mod heap_words;
mod mark_sweep;
pub mod stack_scan;
mod table;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_random;

use alloc::string::String;
use alloc::vec::Vec;

pub use backing::Backing;
pub use collector::{ArenaGc, FixedArena, GrowInChunks, GrowPolicy, HostGc, HostGcConfig, MarkSweepGc};
pub use heap::Heap;
pub use heap_words::HeapWords;
pub use mark_sweep::{MarkSweep, MARK_STACK_LEN};
pub use stack_scan::StackTop;
pub use table::{BlockKind, BlockTable};

use crate::obj::{Obj, BYTES_PER_BLOCK};

/// Bytes per GC block as a `usize`.
pub const BLOCK_BYTES: usize = BYTES_PER_BLOCK as usize;
/// Words per GC block.
pub const BLOCK_WORDS: usize = BLOCK_BYTES / 4;

/// Why an allocation failed. Never a panic: the VM turns this into `MemoryError`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AllocError {
    /// The heap is locked (`heap_lock`, interrupt handlers, during a collection).
    Locked,
    /// No run of free blocks is large enough, even after collecting (and growing).
    OutOfMemory,
    /// The reference given to `free`/`realloc` is not the head of a live allocation.
    NotHeapObject,
}

impl AllocError {
    /// MicroPython's `MemoryError` message for a failed request of `n_bytes`.
    pub fn message(self, n_bytes: usize) -> String {
        match self {
            AllocError::Locked => String::from("memory allocation failed, heap is locked"),
            _ => alloc::format!("memory allocation failed, allocating {n_bytes} bytes"),
        }
    }
}

/// The VM side of a collection: it lists the roots and runs finalisers.
pub trait Roots {
    /// Calls `visit` with every root reference (value stacks, globals, module
    /// table, ...). Non-heap references are ignored by the collector.
    fn trace_roots(&mut self, visit: &mut dyn FnMut(Obj));

    /// Called first in every collection, with the heap: the VM writes back
    /// into heap objects the state it keeps outside the heap between uses
    /// (parked generator frames), so marking sees it. No allocation is
    /// possible meanwhile. Default: do nothing.
    fn prepare(&mut self, heap: &mut HeapWords) {
        let _ = heap;
    }

    /// Called during the sweep for each unreachable object allocated with a
    /// finaliser (and a non-NULL type word), before its memory is freed. The heap
    /// is locked meanwhile: no allocation is possible. Default: do nothing.
    fn finalise(&mut self, obj: Obj, heap: &mut HeapWords) {
        let _ = (obj, heap);
    }
}

/// No roots at all.
impl Roots for () {
    fn trace_roots(&mut self, _visit: &mut dyn FnMut(Obj)) {}
}

/// A list of root references.
impl Roots for [Obj] {
    fn trace_roots(&mut self, visit: &mut dyn FnMut(Obj)) {
        self.iter().for_each(|&o| visit(o));
    }
}

/// A list of root references.
impl Roots for Vec<Obj> {
    fn trace_roots(&mut self, visit: &mut dyn FnMut(Obj)) {
        self.iter().for_each(|&o| visit(o));
    }
}

/// Heap statistics (`gc.mem_free()`, `gc.mem_alloc()`, `micropython.mem_info()`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct GcStats {
    /// Usable heap bytes (all blocks but the reserved block 0).
    pub total_bytes: usize,
    /// Bytes in allocated blocks (`gc.mem_alloc()`).
    pub used_bytes: usize,
    /// Bytes in free blocks (`gc.mem_free()`).
    pub free_bytes: usize,
    /// Largest run of free blocks, in bytes (largest possible allocation now).
    pub largest_free_bytes: usize,
    /// Number of live allocations.
    pub objects: usize,
    /// Live allocations of exactly one block and of two blocks
    /// (`micropython.mem_info()`'s `1-blocks` and `2-blocks`).
    pub one_block_objects: usize,
    /// See `one_block_objects`.
    pub two_block_objects: usize,
    /// The largest live allocation, in blocks (`max blk sz`).
    pub largest_object_blocks: usize,
    /// Collections run since creation.
    pub collections: u64,
    /// For growable heaps, the byte size the heap may grow to; else `total_bytes`.
    pub limit_bytes: usize,
    /// The most bytes ever in allocated blocks at once (since creation or the
    /// last [`Gc::reset_peak`]), exact to the block size.
    pub peak_bytes: usize,
}

/// The collector interface (object safe). All methods that touch object memory
/// take the heap's [`HeapWords`] explicitly, so the VM keeps direct access to them.
pub trait Gc: Send {
    /// Allocates `n_bytes` (rounded up to whole blocks), zeroed. `finaliser` marks
    /// the object for [`Roots::finalise`] when it dies. May collect (and grow the
    /// heap) first. `n_bytes == 0` gives `Ok(Obj::NULL)` as in MicroPython.
    fn alloc(
        &mut self,
        heap: &mut HeapWords,
        n_bytes: usize,
        finaliser: bool,
        roots: &mut dyn Roots,
    ) -> Result<Obj, AllocError>;

    /// Frees an allocation now (an optimisation: otherwise it waits for a
    /// collection). Returns `false` if the heap is locked or `obj` is not a live head.
    fn free(&mut self, heap: &mut HeapWords, obj: Obj) -> bool;

    /// Resizes an allocation to `n_bytes`: shrinks in place, grows in place when
    /// the following blocks are free, else (if `allow_move`) moves it, copying its
    /// words. Newly added blocks are zeroed (words past the old size inside the
    /// old last block keep their contents). NULL `obj` allocates; `n_bytes == 0` frees.
    fn realloc(
        &mut self,
        heap: &mut HeapWords,
        obj: Obj,
        n_bytes: usize,
        allow_move: bool,
        roots: &mut dyn Roots,
    ) -> Result<Obj, AllocError>;

    /// Runs a full collection; returns the number of allocations freed.
    fn collect(&mut self, heap: &mut HeapWords, roots: &mut dyn Roots) -> usize;

    /// Allocated size of `obj` in bytes (whole blocks), if it is a live head.
    fn alloc_size(&self, obj: Obj) -> Option<usize>;

    /// True if `obj` is the head of a live allocation.
    fn is_allocated(&self, obj: Obj) -> bool {
        self.alloc_size(obj).is_some()
    }

    /// Sets or clears the finaliser flag of a live allocation (`false` if not one).
    fn set_finaliser(&mut self, obj: Obj, on: bool) -> bool;

    /// Current statistics.
    fn stats(&self) -> GcStats;

    /// The heap's blocks, one byte each (`.` free, `h` the first block of an
    /// allocation, `=` a following one), for `micropython.mem_info(1)`.
    fn block_map(&self) -> Vec<u8>;

    /// `gc.threshold()`: bytes allocated between automatic collections, `None` = off.
    fn threshold(&self) -> Option<usize>;

    /// `gc.threshold(n)`: `None` (or a negative `n` at the Python level) disables.
    fn set_threshold(&mut self, bytes: Option<usize>);

    /// `gc.isenabled()`: automatic collection on allocation failure/threshold.
    fn is_enabled(&self) -> bool;

    /// `gc.enable()` / `gc.disable()`. Manual collection always works.
    fn set_enabled(&mut self, enabled: bool);

    /// `micropython.heap_lock()`: one more lock level; allocation fails while locked.
    fn lock(&mut self);

    /// `micropython.heap_unlock()`: one level less; returns the remaining depth.
    fn unlock(&mut self) -> u32;

    /// Current lock depth (0 = unlocked).
    fn lock_depth(&self) -> u32;

    /// GC stress mode: collect before every allocation (for testing the VM).
    fn set_stress(&mut self, stress: bool);

    /// Enables conservative scanning of the native stack up to `top` (and the
    /// callee-saved registers), or disables it (`None`: precise roots only).
    fn set_stack_top(&mut self, top: Option<StackTop>);

    /// Starts peak-use tracking ([`GcStats::peak_bytes`]) again from the current use.
    fn reset_peak(&mut self);
}
