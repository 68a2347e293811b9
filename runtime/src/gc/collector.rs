//! The two collectors: [`ArenaGc`] (fixed arena, MicroPython style) and
//! [`HostGc`] (growable host heap). Both are [`MarkSweepGc`] with a different
//! [`GrowPolicy`], so the mark-sweep code exists once.

use super::backing::Backing;
use super::heap_words::HeapWords;
use super::mark_sweep::{MarkSweep, MAX_BLOCKS};
use super::stack_scan::StackTop;
use super::table::{flag_words, kind_words, BlockTable};
use super::{AllocError, Gc, GcStats, Roots, BLOCK_BYTES, BLOCK_WORDS};
use crate::obj::Obj;

/// How a collector gets more memory when a collection did not free enough.
pub trait GrowPolicy: Send {
    /// Tries to make room for `needed_blocks` more contiguous blocks (by growing
    /// the heap with [`MarkSweep::grow_to`]); `false` if it can't.
    fn grow(&mut self, core: &mut MarkSweep, heap: &mut HeapWords, needed_blocks: usize) -> bool;

    /// Called after a collection triggered by an allocation (may grow eagerly).
    fn after_collect(&mut self, core: &mut MarkSweep, heap: &mut HeapWords) {
        let _ = (core, heap);
    }

    /// The byte size the usable heap may reach.
    fn limit_bytes(&self, core: &MarkSweep) -> usize;
}

/// A mark-sweep collector with growth policy `P`.
#[derive(Debug)]
pub struct MarkSweepGc<P> {
    core: MarkSweep,
    policy: P,
}

impl<P: GrowPolicy> MarkSweepGc<P> {
    /// A collector from its core state and policy.
    pub fn from_parts(core: MarkSweep, policy: P) -> MarkSweepGc<P> {
        MarkSweepGc { core, policy }
    }

    /// The shared mark-sweep state (block table, counters).
    pub fn core(&self) -> &MarkSweep {
        &self.core
    }

    /// The growth policy.
    pub fn policy(&self) -> &P {
        &self.policy
    }
}

impl<P: GrowPolicy> Gc for MarkSweepGc<P> {
    fn alloc(
        &mut self,
        heap: &mut HeapWords,
        n_bytes: usize,
        finaliser: bool,
        roots: &mut dyn Roots,
    ) -> Result<Obj, AllocError> {
        self.core.alloc(heap, n_bytes, finaliser, roots, &mut self.policy)
    }

    fn free(&mut self, _heap: &mut HeapWords, obj: Obj) -> bool {
        self.core.free(obj)
    }

    fn realloc(
        &mut self,
        heap: &mut HeapWords,
        obj: Obj,
        n_bytes: usize,
        allow_move: bool,
        roots: &mut dyn Roots,
    ) -> Result<Obj, AllocError> {
        self.core.realloc(heap, obj, n_bytes, allow_move, roots, &mut self.policy)
    }

    fn collect(&mut self, heap: &mut HeapWords, roots: &mut dyn Roots) -> usize {
        self.core.collect(heap, roots)
    }

    fn alloc_size(&self, obj: Obj) -> Option<usize> {
        self.core.alloc_size(obj)
    }

    fn set_finaliser(&mut self, obj: Obj, on: bool) -> bool {
        self.core.set_finaliser(obj, on)
    }

    fn stats(&self) -> GcStats {
        self.core.stats(self.policy.limit_bytes(&self.core))
    }

    fn block_map(&self) -> alloc::vec::Vec<u8> {
        self.core.block_map()
    }

    fn threshold(&self) -> Option<usize> {
        self.core.threshold_blocks.map(|b| b * BLOCK_BYTES)
    }

    fn set_threshold(&mut self, bytes: Option<usize>) {
        self.core.threshold_blocks = bytes.map(|b| b / BLOCK_BYTES);
    }

    fn is_enabled(&self) -> bool {
        self.core.auto_collect
    }

    fn set_enabled(&mut self, enabled: bool) {
        self.core.auto_collect = enabled;
    }

    fn lock(&mut self) {
        self.core.lock_depth = self.core.lock_depth.saturating_add(1);
    }

    fn unlock(&mut self) -> u32 {
        self.core.lock_depth = self.core.lock_depth.saturating_sub(1);
        self.core.lock_depth
    }

    fn lock_depth(&self) -> u32 {
        self.core.lock_depth
    }

    fn set_stress(&mut self, stress: bool) {
        self.core.stress = stress;
    }

    fn set_stack_top(&mut self, top: Option<StackTop>) {
        self.core.stack_top = top;
    }

    fn reset_peak(&mut self) {
        self.core.reset_peak();
    }
}

/// The fixed-size policy: the arena never grows.
#[derive(Clone, Copy, Debug, Default)]
pub struct FixedArena;

impl GrowPolicy for FixedArena {
    fn grow(&mut self, _core: &mut MarkSweep, _heap: &mut HeapWords, _needed: usize) -> bool {
        false
    }

    fn limit_bytes(&self, core: &MarkSweep) -> usize {
        (core.n_blocks() - 1) * BLOCK_BYTES
    }
}

/// MicroPython-style collector over a fixed arena.
pub type ArenaGc = MarkSweepGc<FixedArena>;

impl MarkSweepGc<FixedArena> {
    /// An arena of `heap_bytes` bytes (rounded down to whole blocks; the first
    /// block is reserved) from the global allocator, for hosts and tests.
    pub fn new_owned(heap_bytes: usize) -> Result<(HeapWords, ArenaGc), AllocError> {
        let n_blocks = (heap_bytes / BLOCK_BYTES).min(MAX_BLOCKS);
        let kinds = Backing::owned_zeroed(kind_words(n_blocks))?;
        let flags = Backing::owned_zeroed(flag_words(n_blocks))?;
        let heap = HeapWords::new(Backing::owned_zeroed(n_blocks * BLOCK_WORDS)?);
        let table = BlockTable::new(kinds, flags, n_blocks)?;
        let core = MarkSweep::new(table, &heap)?;
        Ok((heap, MarkSweepGc::from_parts(core, FixedArena)))
    }

    /// An arena carved out of embedder memory: the block tables first, then the
    /// blocks (as MicroPython lays out its heap area). No global allocation.
    pub fn new_static(region: &'static mut [u32]) -> Result<(HeapWords, ArenaGc), AllocError> {
        // Each block costs 4 words + 2 bits + 1 bit of table.
        let mut n_blocks = (region.len().saturating_mul(32) / (32 * BLOCK_WORDS + 3)).min(MAX_BLOCKS);
        while n_blocks > 0 && kind_words(n_blocks) + flag_words(n_blocks) + n_blocks * BLOCK_WORDS > region.len() {
            n_blocks -= 1;
        }
        let (kinds, rest) = region.split_at_mut_checked(kind_words(n_blocks)).ok_or(AllocError::OutOfMemory)?;
        let (flags, pool) = rest.split_at_mut_checked(flag_words(n_blocks)).ok_or(AllocError::OutOfMemory)?;
        let (pool, _) = pool.split_at_mut_checked(n_blocks * BLOCK_WORDS).ok_or(AllocError::OutOfMemory)?;
        pool.fill(0);
        let heap = HeapWords::new(Backing::Static(pool));
        let table = BlockTable::new(Backing::Static(kinds), Backing::Static(flags), n_blocks)?;
        let core = MarkSweep::new(table, &heap)?;
        Ok((heap, MarkSweepGc::from_parts(core, FixedArena)))
    }
}

/// Sizes for a [`HostGc`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostGcConfig {
    /// Heap size at creation, in bytes.
    pub initial_bytes: usize,
    /// Minimum growth step, in bytes.
    pub chunk_bytes: usize,
    /// The heap never grows beyond this many bytes.
    pub limit_bytes: usize,
}

impl Default for HostGcConfig {
    fn default() -> HostGcConfig {
        HostGcConfig { initial_bytes: 64 * 1024, chunk_bytes: 256 * 1024, limit_bytes: 64 * 1024 * 1024 }
    }
}

/// The growable policy: add at least a chunk (or what the request needs) while
/// staying within the byte limit.
#[derive(Clone, Copy, Debug)]
pub struct GrowInChunks {
    chunk_blocks: usize,
    limit_blocks: usize,
}

impl GrowInChunks {
    /// Grows to hold `target` blocks (clamped to the limit); `false` if that
    /// is not more than now or memory can't be had.
    fn grow_to(&self, core: &mut MarkSweep, heap: &mut HeapWords, target: usize) -> bool {
        let target = target.min(self.limit_blocks);
        target > core.n_blocks() && core.grow_to(heap, target).is_ok()
    }
}

impl GrowPolicy for GrowInChunks {
    fn grow(&mut self, core: &mut MarkSweep, heap: &mut HeapWords, needed_blocks: usize) -> bool {
        let now = core.n_blocks();
        // Free blocks at the end of the heap can be part of the new run.
        let mut trailing_free = 0;
        while trailing_free < now && core.table().kind(now - 1 - trailing_free) == super::BlockKind::Free {
            trailing_free += 1;
        }
        let missing = needed_blocks.saturating_sub(trailing_free);
        let Some(required) = now.checked_add(missing) else {
            return false;
        };
        if required > self.limit_blocks {
            return false;
        }
        let target = required.max(now.saturating_add(self.chunk_blocks));
        self.grow_to(core, heap, target)
    }

    fn after_collect(&mut self, core: &mut MarkSweep, heap: &mut HeapWords) {
        // Grow eagerly when less than a quarter of the heap is free, so that
        // a heap full of live data does not collect on every allocation.
        let stats = core.stats(0);
        if stats.free_bytes * 4 < stats.total_bytes {
            let target = core.n_blocks().saturating_add(self.chunk_blocks);
            self.grow_to(core, heap, target);
        }
    }

    fn limit_bytes(&self, _core: &MarkSweep) -> usize {
        self.limit_blocks.saturating_sub(1) * BLOCK_BYTES
    }
}

/// Growable collector for hosts: starts small and grows up to a byte limit.
pub type HostGc = MarkSweepGc<GrowInChunks>;

impl MarkSweepGc<GrowInChunks> {
    /// A host heap with the given sizes (each rounded to whole blocks; the limit
    /// is at least the initial size).
    pub fn new(config: HostGcConfig) -> Result<(HeapWords, HostGc), AllocError> {
        MarkSweepGc::with_reservation(config, true)
    }

    /// [`HostGc::new`], choosing whether to reserve address space up to the
    /// limit. Without the reservation, creating (and dropping) a small heap
    /// is cheaper, but growing may move the words: only for VMs that run no
    /// machine code (which may hold raw pointers into the heap).
    pub fn with_reservation(config: HostGcConfig, reserve: bool) -> Result<(HeapWords, HostGc), AllocError> {
        let initial = (config.initial_bytes / BLOCK_BYTES).clamp(2, MAX_BLOCKS);
        let limit_blocks = (config.limit_bytes / BLOCK_BYTES).clamp(initial, MAX_BLOCKS);
        let policy = GrowInChunks { chunk_blocks: (config.chunk_bytes / BLOCK_BYTES).max(1), limit_blocks };
        let kinds = Backing::owned_zeroed(kind_words(initial))?;
        let flags = Backing::owned_zeroed(flag_words(initial))?;
        // Reserve the address space up to the limit now (untouched pages cost no
        // memory), so growing never moves the heap: viper pointers into buffers
        // stay valid for as long as the buffer lives.
        let capacity = if reserve { limit_blocks } else { initial } * BLOCK_WORDS;
        let words = Backing::owned_zeroed_with_capacity(initial * BLOCK_WORDS, capacity)?;
        let heap = HeapWords::new(words);
        let table = BlockTable::new(kinds, flags, initial)?;
        let core = MarkSweep::new(table, &heap)?;
        Ok((heap, MarkSweepGc::from_parts(core, policy)))
    }
}
