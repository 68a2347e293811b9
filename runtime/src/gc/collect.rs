//! Marking (precise roots, conservative stack scan, bounded mark stack with
//! overflow rescan) and sweeping (finaliser reports, freeing).

use super::heap_words::HeapWords;
use super::mark_sweep::{MarkSweep, MARK_STACK_LEN};
use super::stack_scan;
use super::table::BlockKind;
use super::{Roots, BLOCK_BYTES, BLOCK_WORDS};
use crate::obj::Obj;

impl MarkSweep {
    /// Runs a full collection: mark from `roots` (and the native stack when a
    /// stack top is set), then sweep. Returns the number of allocations freed.
    pub fn collect(&mut self, heap: &mut HeapWords, roots: &mut dyn Roots) -> usize {
        self.collecting = true;
        roots.prepare(heap);
        self.mark_len = 0;
        self.mark_overflow = false;
        roots.trace_roots(&mut |obj| self.mark_root(heap, obj.raw()));
        if let Some(top) = self.stack_top {
            stack_scan::scan(&top, &mut |word| self.mark_root(heap, word));
        }
        while self.mark_overflow {
            self.mark_overflow = false;
            self.overflow_rescans += 1;
            self.rescan_marked(heap);
        }
        let freed = self.sweep(heap, roots);
        self.collections += 1;
        self.allocated_since_collect = 0;
        self.collecting = false;
        freed
    }

    /// The head block `word` refers to, if it is an unmarked live allocation.
    fn unmarked_head(&self, word: u32) -> Option<usize> {
        if word == 0 || word % (BLOCK_BYTES as u32) != 0 {
            return None;
        }
        let block = usize::try_from(word).ok()? / BLOCK_BYTES;
        let ok = block != 0 && self.table.kind(block) == BlockKind::Head;
        ok.then_some(block)
    }

    /// Marks `word` if it refers to an unmarked allocation and pushes it for
    /// scanning (or flags an overflow when the mark stack is full).
    fn mark_word(&mut self, word: u32) {
        if let Some(block) = self.unmarked_head(word) {
            self.table.set_kind(block, BlockKind::Mark);
            match self.mark_stack.get_mut(self.mark_len) {
                Some(slot) => {
                    // `block` is below MAX_BLOCKS (2^28), so it fits.
                    *slot = block as u32;
                    self.mark_len += 1;
                }
                None => self.mark_overflow = true,
            }
        }
    }

    /// Marks a root and everything reachable from it (depth first).
    fn mark_root(&mut self, heap: &HeapWords, word: u32) {
        self.mark_word(word);
        self.drain(heap);
    }

    /// Scans the objects on the mark stack until it is empty.
    fn drain(&mut self, heap: &HeapWords) {
        while self.mark_len > 0 {
            self.mark_len -= 1;
            let block = self.mark_stack.get(self.mark_len).copied().unwrap_or(0) as usize;
            self.scan_children(heap, block);
        }
    }

    /// Marks every word of the allocation at `head` that refers to another one.
    fn scan_children(&mut self, heap: &HeapWords, head: usize) {
        if head == 0 {
            return;
        }
        let n = self.blocks_of(head);
        let range = head * BLOCK_WORDS..(head + n) * BLOCK_WORDS;
        if let Some(words) = heap.words().get(range) {
            for &word in words {
                self.mark_word(word);
            }
        }
        debug_assert!(self.mark_len <= MARK_STACK_LEN);
    }

    /// After a mark-stack overflow: re-trace every marked allocation so that
    /// children that could not be pushed get marked.
    fn rescan_marked(&mut self, heap: &HeapWords) {
        for block in 1..self.n_blocks() {
            if self.table.kind(block) == BlockKind::Mark {
                self.scan_children(heap, block);
                self.drain(heap);
            }
        }
    }

    /// Reports dead finalisable objects, then frees every unmarked allocation
    /// and unmarks the survivors.
    fn sweep(&mut self, heap: &mut HeapWords, roots: &mut dyn Roots) -> usize {
        let n_blocks = self.n_blocks();
        for block in 1..n_blocks {
            if self.table.has_finaliser(block) && self.table.kind(block) == BlockKind::Head {
                let obj = Obj::from_raw((block * BLOCK_BYTES) as u32);
                if heap.load(obj, 0).is_some_and(|ty| ty != 0) {
                    roots.finalise(obj, heap);
                }
                self.table.set_finaliser(block, false);
            }
        }
        let mut freed = 0;
        let mut freed_blocks = 0usize;
        let mut freeing = false;
        for block in 1..n_blocks {
            match self.table.kind(block) {
                BlockKind::Head => {
                    self.table.set_kind(block, BlockKind::Free);
                    freeing = true;
                    freed += 1;
                    freed_blocks += 1;
                }
                BlockKind::Tail if freeing => {
                    self.table.set_kind(block, BlockKind::Free);
                    freed_blocks += 1;
                }
                BlockKind::Tail => {}
                BlockKind::Mark => {
                    self.table.set_kind(block, BlockKind::Head);
                    freeing = false;
                }
                BlockKind::Free => freeing = false,
            }
        }
        self.free_hints = [1; super::mark_sweep::FREE_HINTS];
        self.large_hint = (1, super::mark_sweep::FREE_HINTS + 1);
        self.used_blocks = self.used_blocks.saturating_sub(freed_blocks);
        freed
    }
}
