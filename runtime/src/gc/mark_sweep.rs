//! The mark-sweep core shared by every block-table collector: allocation, free,
//! realloc and the collector's state. Marking and sweeping are in `collect.rs`.

use super::collector::GrowPolicy;
use super::heap_words::HeapWords;
use super::stack_scan::StackTop;
use super::table::{BlockKind, BlockTable};
use super::{AllocError, GcStats, Roots, BLOCK_BYTES, BLOCK_WORDS};
use crate::obj::Obj;

/// Entries in the explicit mark stack (MicroPython's default GC stack size).
pub const MARK_STACK_LEN: usize = 64;

/// Most blocks a heap may have: offsets (block × 16) must fit a `u32`.
pub const MAX_BLOCKS: usize = 1 << 28;

/// The state of a mark-sweep collector over one block table.
///
/// Block 0 is reserved (always allocated, never freed or scanned), so that no
/// object has offset 0, which would be NULL.
#[derive(Debug)]
pub struct MarkSweep {
    pub(super) table: BlockTable,
    /// Where first-fit searches start, per request size: entry `k - 1` is a
    /// block before which no run of `k` or more free blocks lies entirely
    /// (the last entry serves every larger size). One hint per size keeps
    /// multi-block requests from rescanning the same live blocks each time.
    pub(super) free_hints: [usize; FREE_HINTS],
    /// `(block, size)`: no run of `size` (> [`FREE_HINTS`]) or more free blocks
    /// lies wholly before `block`; set by the last large request, so a row of
    /// growing objects (a tuple or string built up piece by piece) does not
    /// rescan the ones before it.
    pub(super) large_hint: (usize, usize),
    pub(super) lock_depth: u32,
    pub(super) collecting: bool,
    pub(super) auto_collect: bool,
    pub(super) threshold_blocks: Option<usize>,
    pub(super) allocated_since_collect: usize,
    pub(super) collections: u64,
    pub(super) stress: bool,
    pub(super) stack_top: Option<StackTop>,
    pub(super) mark_stack: [u32; MARK_STACK_LEN],
    pub(super) mark_len: usize,
    pub(super) mark_overflow: bool,
    pub(super) overflow_rescans: u64,
    /// Blocks in live allocations (block 0 not counted), kept up to date by
    /// every path that claims or frees blocks.
    pub(super) used_blocks: usize,
    /// Highest value `used_blocks` has had (see [`MarkSweep::reset_peak`]).
    pub(super) peak_blocks: usize,
}

/// A [`Roots`] that adds one extra root (the object being moved by `realloc`).
struct WithExtraRoot<'a> {
    inner: &'a mut dyn Roots,
    extra: Obj,
}

impl Roots for WithExtraRoot<'_> {
    fn trace_roots(&mut self, visit: &mut dyn FnMut(Obj)) {
        visit(self.extra);
        self.inner.trace_roots(visit);
    }

    fn finalise(&mut self, obj: Obj, heap: &mut HeapWords) {
        self.inner.finalise(obj, heap);
    }
}

/// Request sizes (in blocks) with a search hint of their own; larger requests
/// share the last one.
pub(super) const FREE_HINTS: usize = 8;

/// Blocks needed for `n_bytes` (0 for 0 bytes; saturating for absurd sizes).
pub(super) fn blocks_for(n_bytes: usize) -> usize {
    n_bytes.div_ceil(BLOCK_BYTES)
}

impl MarkSweep {
    /// A collector over `table`, whose block count must match the heap's words.
    pub fn new(table: BlockTable, heap: &HeapWords) -> Result<MarkSweep, AllocError> {
        let n_blocks = table.n_blocks();
        if n_blocks == 0 || n_blocks > MAX_BLOCKS || heap.len() < n_blocks * BLOCK_WORDS {
            return Err(AllocError::OutOfMemory);
        }
        let mut core = MarkSweep {
            table,
            free_hints: [1; FREE_HINTS],
            large_hint: (1, FREE_HINTS + 1),
            lock_depth: 0,
            collecting: false,
            auto_collect: true,
            threshold_blocks: None,
            allocated_since_collect: 0,
            collections: 0,
            stress: false,
            stack_top: None,
            mark_stack: [0; MARK_STACK_LEN],
            mark_len: 0,
            mark_overflow: false,
            overflow_rescans: 0,
            used_blocks: 0,
            peak_blocks: 0,
        };
        core.table.set_kind(0, BlockKind::Head);
        Ok(core)
    }

    /// Total number of blocks, including the reserved block 0.
    pub fn n_blocks(&self) -> usize {
        self.table.n_blocks()
    }

    /// How many full-table rescans mark-stack overflows have caused so far.
    pub fn overflow_rescans(&self) -> u64 {
        self.overflow_rescans
    }

    /// Number of collections run so far.
    pub fn collections(&self) -> u64 {
        self.collections
    }

    /// The block table (read only).
    pub fn table(&self) -> &BlockTable {
        &self.table
    }

    /// Grows the heap and its tables to `n_blocks` blocks (owned storage only).
    pub fn grow_to(&mut self, heap: &mut HeapWords, n_blocks: usize) -> Result<(), AllocError> {
        if n_blocks > MAX_BLOCKS {
            return Err(AllocError::OutOfMemory);
        }
        if n_blocks <= self.n_blocks() {
            return Ok(());
        }
        let words = n_blocks.checked_mul(BLOCK_WORDS).ok_or(AllocError::OutOfMemory)?;
        heap.grow_to(words)?;
        self.table.grow_to(n_blocks)
    }

    /// The head block of a live allocation `obj`, if it is one.
    pub(super) fn head_block(&self, obj: Obj) -> Option<usize> {
        let block = obj.heap_block()?;
        let live = block != 0 && matches!(self.table.kind(block), BlockKind::Head | BlockKind::Mark);
        live.then_some(block)
    }

    /// Number of blocks of the allocation starting at `head`.
    pub(super) fn blocks_of(&self, head: usize) -> usize {
        let mut end = head + 1;
        while end < self.n_blocks() && self.table.kind(end) == BlockKind::Tail {
            end += 1;
        }
        end - head
    }

    /// First-fit search for `n` free blocks from the size's hint; returns the
    /// first block and moves the hints past the run it takes.
    fn find_free_run(&mut self, n: usize) -> Option<usize> {
        let k = n.clamp(1, FREE_HINTS);
        // A run of `k` free blocks may start up to `k - 1` blocks before the
        // hint; if the scan starts inside a free run, go back to its start so
        // no long free run is left behind the hint.
        let mut from = self.free_hints[k - 1].saturating_sub(k - 1).max(1);
        if n > FREE_HINTS && n >= self.large_hint.1 {
            from = from.max(self.large_hint.0.saturating_sub(n - 1).max(1));
        }
        while k > 1
            && from > 1
            && self.table.kind(from - 1) == BlockKind::Free
            && self.table.kind(from) == BlockKind::Free
        {
            from -= 1;
        }
        loop {
            let start = self.table.next_free(from)?;
            let run = if n == 1 { 1 } else { self.table.free_run(start, n) };
            if run >= n {
                if n <= FREE_HINTS {
                    // Before `start + n` there is now no run of `n` or more
                    // free blocks (the first one was just found and taken).
                    self.free_hints[n - 1] = self.free_hints[n - 1].max(start + n);
                } else {
                    self.large_hint = (start + n, n);
                }
                return Some(start);
            }
            // The run ends at a block in use (or the end of the heap).
            from = start + run + 1;
        }
    }

    /// Moves every search hint back to `block` (blocks from there were freed).
    pub(super) fn hints_back_to(&mut self, block: usize) {
        for hint in &mut self.free_hints {
            *hint = (*hint).min(block);
        }
        self.large_hint.0 = self.large_hint.0.min(block);
    }

    /// Marks `n` blocks from `start` as one allocation and zeroes them.
    fn claim(&mut self, heap: &mut HeapWords, start: usize, n: usize, finaliser: bool) -> Obj {
        self.table.set_kind(start, BlockKind::Head);
        for block in start + 1..start + n {
            self.table.set_kind(block, BlockKind::Tail);
        }
        self.table.set_finaliser(start, finaliser);
        if let Some(words) = heap.words_mut().get_mut(start * BLOCK_WORDS..(start + n) * BLOCK_WORDS) {
            match words {
                // The commonest request, one block: plain stores, no `memset` call.
                [a, b, c, d] => (*a, *b, *c, *d) = (0, 0, 0, 0),
                _ => words.fill(0),
            }
        }
        self.allocated_since_collect = self.allocated_since_collect.saturating_add(n);
        self.note_used(n as isize);
        // `start` is below MAX_BLOCKS, so the offset fits and is block aligned.
        Obj::from_raw((start * BLOCK_BYTES) as u32)
    }

    /// The full allocation path: lock check, threshold/stress collection, first
    /// fit, then collect and retry, then let the policy grow the heap and retry.
    #[inline]
    pub fn alloc(
        &mut self,
        heap: &mut HeapWords,
        n_bytes: usize,
        finaliser: bool,
        roots: &mut dyn Roots,
        policy: &mut dyn GrowPolicy,
    ) -> Result<Obj, AllocError> {
        // The commonest request, one block (a heap int, a small tuple, an
        // iterator), when nothing is due: the first fit from the one-block
        // hint, claimed without the general path's bookkeeping.
        if (1..=BLOCK_BYTES).contains(&n_bytes) && self.nothing_due() {
            if let Some(block) = self.table.next_free(self.free_hints[0].max(1)) {
                self.free_hints[0] = self.free_hints[0].max(block + 1);
                return Ok(self.claim_one(heap, block, finaliser));
            }
        }
        self.alloc_general(heap, n_bytes, finaliser, roots, policy)
    }

    /// True when an allocation may take blocks right away: no lock, no
    /// collection running, no stress mode and the threshold not reached.
    #[inline(always)]
    fn nothing_due(&self) -> bool {
        let threshold_reached =
            self.auto_collect && self.threshold_blocks.is_some_and(|t| self.allocated_since_collect >= t);
        self.lock_depth == 0 && !self.collecting && !self.stress && !threshold_reached
    }

    /// [`MarkSweep::claim`] for one block: its four words zeroed with plain stores.
    #[inline(always)]
    fn claim_one(&mut self, heap: &mut HeapWords, block: usize, finaliser: bool) -> Obj {
        self.table.set_kind(block, BlockKind::Head);
        self.table.set_finaliser(block, finaliser);
        if let Some(words) = heap.words_mut().get_mut(block * BLOCK_WORDS..(block + 1) * BLOCK_WORDS) {
            words.fill(0);
        }
        self.allocated_since_collect = self.allocated_since_collect.saturating_add(1);
        self.note_used(1);
        // `block` is below MAX_BLOCKS, so the offset fits and is block aligned.
        Obj::from_raw((block * BLOCK_BYTES) as u32)
    }

    /// The general allocation path (see [`MarkSweep::alloc`]).
    #[inline(never)]
    fn alloc_general(
        &mut self,
        heap: &mut HeapWords,
        n_bytes: usize,
        finaliser: bool,
        roots: &mut dyn Roots,
        policy: &mut dyn GrowPolicy,
    ) -> Result<Obj, AllocError> {
        let n = blocks_for(n_bytes);
        if n == 0 {
            return Ok(Obj::NULL);
        }
        if self.lock_depth > 0 || self.collecting {
            return Err(AllocError::Locked);
        }
        let mut collected = !self.auto_collect;
        let over_threshold = self.threshold_blocks.is_some_and(|t| self.allocated_since_collect >= t);
        if self.stress || (!collected && over_threshold) {
            self.collect(heap, roots);
            policy.after_collect(self, heap);
            collected = true;
        }
        let mut grown = false;
        loop {
            if n < self.n_blocks() {
                if let Some(start) = self.find_free_run(n) {
                    return Ok(self.claim(heap, start, n, finaliser));
                }
            }
            if !collected {
                self.collect(heap, roots);
                policy.after_collect(self, heap);
                collected = true;
            } else if !grown && policy.grow(self, heap, n) {
                grown = true;
            } else {
                return Err(AllocError::OutOfMemory);
            }
        }
    }

    /// Frees blocks `head..head + n` and moves the search hint back if needed.
    fn release(&mut self, head: usize, n: usize) {
        for block in head..head + n {
            self.table.set_kind(block, BlockKind::Free);
        }
        self.table.set_finaliser(head, false);
        self.hints_back_to(head);
        self.note_used(-(n as isize));
    }

    /// Adds `delta` blocks to the live count and raises the peak if needed.
    pub(super) fn note_used(&mut self, delta: isize) {
        self.used_blocks = self.used_blocks.saturating_add_signed(delta);
        self.peak_blocks = self.peak_blocks.max(self.used_blocks);
    }

    /// Bytes in live allocations now (as `stats().used_bytes`, without the scan).
    pub fn used_bytes(&self) -> usize {
        self.used_blocks * BLOCK_BYTES
    }

    /// The most bytes ever in live allocations at once, since creation or the
    /// last [`MarkSweep::reset_peak`].
    pub fn peak_bytes(&self) -> usize {
        self.peak_blocks * BLOCK_BYTES
    }

    /// Starts peak tracking again from the current use.
    pub fn reset_peak(&mut self) {
        self.peak_blocks = self.used_blocks;
    }

    /// Frees `obj` now; `false` if locked or not a live allocation.
    pub fn free(&mut self, obj: Obj) -> bool {
        if self.lock_depth > 0 || self.collecting {
            return false;
        }
        match self.head_block(obj) {
            Some(head) => {
                let n = self.blocks_of(head);
                self.release(head, n);
                true
            }
            None => false,
        }
    }

    /// Resizes `obj` (see [`super::Gc::realloc`]).
    pub fn realloc(
        &mut self,
        heap: &mut HeapWords,
        obj: Obj,
        n_bytes: usize,
        allow_move: bool,
        roots: &mut dyn Roots,
        policy: &mut dyn GrowPolicy,
    ) -> Result<Obj, AllocError> {
        if obj.is_null() {
            return self.alloc(heap, n_bytes, false, roots, policy);
        }
        if n_bytes == 0 {
            return if self.free(obj) { Ok(Obj::NULL) } else { Err(AllocError::NotHeapObject) };
        }
        if self.lock_depth > 0 || self.collecting {
            return Err(AllocError::Locked);
        }
        let head = self.head_block(obj).ok_or(AllocError::NotHeapObject)?;
        let old_n = self.blocks_of(head);
        let new_n = blocks_for(n_bytes);
        if new_n <= old_n {
            if new_n < old_n {
                for block in head + new_n..head + old_n {
                    self.table.set_kind(block, BlockKind::Free);
                }
                self.hints_back_to(head + new_n);
                self.note_used(-((old_n - new_n) as isize));
            }
            return Ok(obj);
        }
        // Grow in place if the blocks right after the allocation are free.
        let end = head.saturating_add(new_n);
        let room = end <= self.n_blocks() && (head + old_n..end).all(|b| self.table.kind(b) == BlockKind::Free);
        if room {
            for block in head + old_n..end {
                self.table.set_kind(block, BlockKind::Tail);
            }
            if let Some(words) = heap.words_mut().get_mut((head + old_n) * BLOCK_WORDS..end * BLOCK_WORDS) {
                words.fill(0);
            }
            self.allocated_since_collect = self.allocated_since_collect.saturating_add(new_n - old_n);
            self.note_used((new_n - old_n) as isize);
            return Ok(obj);
        }
        if !allow_move {
            return Err(AllocError::OutOfMemory);
        }
        let finaliser = self.table.has_finaliser(head);
        let mut keep_old = WithExtraRoot { inner: roots, extra: obj };
        let new_obj = self.alloc(heap, n_bytes, finaliser, &mut keep_old, policy)?;
        let (Some(from), Some(to)) = (obj.heap_word_index(), new_obj.heap_word_index()) else {
            return Err(AllocError::NotHeapObject);
        };
        let len = old_n * BLOCK_WORDS;
        let words = heap.words_mut();
        if from + len <= words.len() && to + len <= words.len() {
            words.copy_within(from..from + len, to);
        }
        self.release(head, old_n);
        Ok(new_obj)
    }

    /// Allocated size of `obj` in bytes, if it is a live head.
    pub fn alloc_size(&self, obj: Obj) -> Option<usize> {
        self.head_block(obj).map(|h| self.blocks_of(h) * BLOCK_BYTES)
    }

    /// Sets or clears the finaliser flag of a live allocation.
    pub fn set_finaliser(&mut self, obj: Obj, on: bool) -> bool {
        match self.head_block(obj) {
            Some(head) => {
                self.table.set_finaliser(head, on);
                true
            }
            None => false,
        }
    }

    /// Counts used/free blocks, objects and the largest free run.
    pub fn stats(&self, limit_bytes: usize) -> GcStats {
        let mut stats = GcStats {
            collections: self.collections,
            total_bytes: (self.n_blocks() - 1) * BLOCK_BYTES,
            limit_bytes,
            peak_bytes: self.peak_bytes(),
            ..GcStats::default()
        };
        let mut run = 0;
        // Blocks of the allocation being walked (0: none).
        let mut object = 0;
        let end_object = |stats: &mut GcStats, blocks: usize| {
            match blocks {
                1 => stats.one_block_objects += 1,
                2 => stats.two_block_objects += 1,
                _ => {}
            }
            stats.largest_object_blocks = stats.largest_object_blocks.max(blocks);
        };
        for block in 1..self.n_blocks() {
            match self.table.kind(block) {
                BlockKind::Free => {
                    stats.free_bytes += BLOCK_BYTES;
                    run += 1;
                    stats.largest_free_bytes = stats.largest_free_bytes.max(run * BLOCK_BYTES);
                    end_object(&mut stats, object);
                    object = 0;
                }
                BlockKind::Tail => {
                    run = 0;
                    stats.used_bytes += BLOCK_BYTES;
                    object += 1;
                }
                BlockKind::Head | BlockKind::Mark => {
                    run = 0;
                    stats.used_bytes += BLOCK_BYTES;
                    stats.objects += 1;
                    end_object(&mut stats, object);
                    object = 1;
                }
            }
        }
        end_object(&mut stats, object);
        stats
    }

    /// One byte per block (block 0, reserved, included): see `Gc::block_map`.
    pub fn block_map(&self) -> alloc::vec::Vec<u8> {
        (0..self.n_blocks())
            .map(|block| match self.table.kind(block) {
                BlockKind::Free => b'.',
                BlockKind::Tail => b'=',
                BlockKind::Head | BlockKind::Mark => b'h',
            })
            .collect()
    }
}
