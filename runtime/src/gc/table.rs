//! The block tables: 2 allocation bits per block (FREE/HEAD/TAIL/MARK) and one
//! finaliser bit per block, stored in 32-bit words like the heap itself.

use super::backing::Backing;
use super::AllocError;

/// The state of one GC block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BlockKind {
    /// Not allocated.
    Free,
    /// First block of an allocation.
    Head,
    /// Continuation block of an allocation.
    Tail,
    /// First block of an allocation that the current collection found reachable.
    Mark,
}

impl BlockKind {
    const fn bits(self) -> u32 {
        match self {
            BlockKind::Free => 0,
            BlockKind::Head => 1,
            BlockKind::Tail => 2,
            BlockKind::Mark => 3,
        }
    }

    const fn from_bits(bits: u32) -> BlockKind {
        match bits & 3 {
            0 => BlockKind::Free,
            1 => BlockKind::Head,
            2 => BlockKind::Tail,
            _ => BlockKind::Mark,
        }
    }
}

/// Allocation-table entries per word.
const KINDS_PER_WORD: usize = 16;
/// Finaliser bits per word.
const FLAGS_PER_WORD: usize = 32;

/// Words of allocation table needed for `n_blocks` blocks.
pub const fn kind_words(n_blocks: usize) -> usize {
    n_blocks.div_ceil(KINDS_PER_WORD)
}

/// Words of finaliser table needed for `n_blocks` blocks.
pub const fn flag_words(n_blocks: usize) -> usize {
    n_blocks.div_ceil(FLAGS_PER_WORD)
}

/// Allocation and finaliser tables for `n_blocks` blocks.
#[derive(Debug)]
pub struct BlockTable {
    kinds: Backing,
    finalisers: Backing,
    n_blocks: usize,
}

impl BlockTable {
    /// Tables over the given storage; all blocks start FREE with no finaliser.
    /// Fails if the storage is too small for `n_blocks`.
    pub fn new(mut kinds: Backing, mut finalisers: Backing, n_blocks: usize) -> Result<BlockTable, AllocError> {
        if kinds.len() < kind_words(n_blocks) || finalisers.len() < flag_words(n_blocks) {
            return Err(AllocError::OutOfMemory);
        }
        // Owned storage is allocated zeroed (fresh pages the program has not
        // touched yet: clearing them again would make the whole table resident,
        // 48 KB for a 2 MB heap); embedder memory may hold anything.
        for table in [&mut kinds, &mut finalisers] {
            if matches!(table, Backing::Static(_)) {
                table.as_mut_slice().fill(0);
            }
        }
        Ok(BlockTable { kinds, finalisers, n_blocks })
    }

    /// Number of blocks described.
    #[inline]
    pub fn n_blocks(&self) -> usize {
        self.n_blocks
    }

    /// The state of block `block` (blocks past the end read as TAIL, so that no
    /// scan ever treats them as free or as an object).
    #[inline]
    pub fn kind(&self, block: usize) -> BlockKind {
        if block >= self.n_blocks {
            return BlockKind::Tail;
        }
        match self.kinds.as_slice().get(block / KINDS_PER_WORD) {
            Some(word) => BlockKind::from_bits(word >> (2 * (block % KINDS_PER_WORD))),
            None => BlockKind::Tail,
        }
    }

    /// The first FREE block at or after `from` (below the end), skipping table
    /// words with no free entry 16 blocks at a time.
    #[inline]
    pub fn next_free(&self, from: usize) -> Option<usize> {
        let words = self.kinds.as_slice();
        let mut block = from;
        while block < self.n_blocks {
            let word = *words.get(block / KINDS_PER_WORD)?;
            // Bit 2i of `taken` is set when entry i is not FREE (00).
            let taken = (word | (word >> 1)) & 0x5555_5555;
            let shift = 2 * (block % KINDS_PER_WORD);
            let free_here = !taken & (0x5555_5555 << shift);
            if free_here != 0 {
                let found = block - block % KINDS_PER_WORD + free_here.trailing_zeros() as usize / 2;
                return (found < self.n_blocks).then_some(found);
            }
            block += KINDS_PER_WORD - block % KINDS_PER_WORD;
        }
        None
    }

    /// The number of consecutive FREE blocks from `from`, counting no further
    /// than `limit` (whole free table words count 16 blocks at a time).
    pub fn free_run(&self, from: usize, limit: usize) -> usize {
        let words = self.kinds.as_slice();
        let mut run = 0;
        while run < limit && from + run < self.n_blocks {
            let block = from + run;
            if block % KINDS_PER_WORD == 0
                && words.get(block / KINDS_PER_WORD) == Some(&0)
                && block + KINDS_PER_WORD <= self.n_blocks
            {
                run += KINDS_PER_WORD;
                continue;
            }
            if self.kind(block) != BlockKind::Free {
                break;
            }
            run += 1;
        }
        run.min(limit)
    }

    /// Sets the state of block `block` (ignored past the end).
    #[inline]
    pub fn set_kind(&mut self, block: usize, kind: BlockKind) {
        if block >= self.n_blocks {
            return;
        }
        if let Some(word) = self.kinds.as_mut_slice().get_mut(block / KINDS_PER_WORD) {
            let shift = 2 * (block % KINDS_PER_WORD);
            *word = (*word & !(3 << shift)) | (kind.bits() << shift);
        }
    }

    /// True if block `block` carries the finaliser flag.
    #[inline]
    pub fn has_finaliser(&self, block: usize) -> bool {
        block < self.n_blocks
            && self
                .finalisers
                .as_slice()
                .get(block / FLAGS_PER_WORD)
                .is_some_and(|w| (w >> (block % FLAGS_PER_WORD)) & 1 == 1)
    }

    /// Sets or clears the finaliser flag of block `block`.
    #[inline]
    pub fn set_finaliser(&mut self, block: usize, on: bool) {
        if block >= self.n_blocks {
            return;
        }
        if let Some(word) = self.finalisers.as_mut_slice().get_mut(block / FLAGS_PER_WORD) {
            let bit = 1 << (block % FLAGS_PER_WORD);
            if on {
                *word |= bit;
            } else {
                *word &= !bit;
            }
        }
    }

    /// Makes room for `n_blocks` blocks (new ones FREE). On failure nothing changes
    /// that matters: extra zeroed table words are harmless.
    pub fn grow_to(&mut self, n_blocks: usize) -> Result<(), AllocError> {
        if n_blocks <= self.n_blocks {
            return Ok(());
        }
        self.kinds.grow_to(kind_words(n_blocks))?;
        self.finalisers.grow_to(flag_words(n_blocks))?;
        self.n_blocks = n_blocks;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(n: usize) -> BlockTable {
        let kinds = Backing::owned_zeroed(kind_words(n)).unwrap();
        let flags = Backing::owned_zeroed(flag_words(n)).unwrap();
        BlockTable::new(kinds, flags, n).unwrap()
    }

    #[test]
    fn free_block_scans_match_a_block_by_block_walk() {
        let mut t = table(100);
        for b in 0..100 {
            if b % 7 != 3 && !(40..75).contains(&b) {
                t.set_kind(b, if b % 2 == 0 { BlockKind::Head } else { BlockKind::Tail });
            }
        }
        for from in 0..102 {
            let want = (from..100).find(|&b| t.kind(b) == BlockKind::Free);
            assert_eq!(t.next_free(from), want, "next_free({from})");
            for limit in [1, 5, 16, 40, 200] {
                let walk = (from..100).take_while(|&b| t.kind(b) == BlockKind::Free).count().min(limit);
                assert_eq!(t.free_run(from, limit), walk, "free_run({from}, {limit})");
            }
        }
    }

    #[test]
    fn kinds_are_independent() {
        let mut t = table(40);
        t.set_kind(0, BlockKind::Head);
        t.set_kind(15, BlockKind::Mark);
        t.set_kind(16, BlockKind::Tail);
        t.set_kind(39, BlockKind::Head);
        assert_eq!(t.kind(0), BlockKind::Head);
        assert_eq!(t.kind(1), BlockKind::Free);
        assert_eq!(t.kind(15), BlockKind::Mark);
        assert_eq!(t.kind(16), BlockKind::Tail);
        assert_eq!(t.kind(39), BlockKind::Head);
        assert_eq!(t.kind(40), BlockKind::Tail);
        t.set_kind(15, BlockKind::Free);
        assert_eq!(t.kind(15), BlockKind::Free);
        assert_eq!(t.kind(16), BlockKind::Tail);
    }

    #[test]
    fn finaliser_bits() {
        let mut t = table(70);
        t.set_finaliser(33, true);
        assert!(t.has_finaliser(33));
        assert!(!t.has_finaliser(32));
        t.set_finaliser(33, false);
        assert!(!t.has_finaliser(33));
        t.set_finaliser(99, true);
        assert!(!t.has_finaliser(99));
    }

    #[test]
    fn growth_adds_free_blocks() {
        let mut t = table(16);
        t.set_kind(3, BlockKind::Head);
        t.grow_to(100).unwrap();
        assert_eq!(t.n_blocks(), 100);
        assert_eq!(t.kind(3), BlockKind::Head);
        assert_eq!(t.kind(99), BlockKind::Free);
    }

    #[test]
    fn too_small_storage_is_refused() {
        let kinds = Backing::owned_zeroed(1).unwrap();
        let flags = Backing::owned_zeroed(1).unwrap();
        assert!(BlockTable::new(kinds, flags, 17).is_err());
    }
}
