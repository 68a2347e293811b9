//! A global allocator over a static region, for the runtime's Rust-side data.
//!
//! Bump allocation with two refinements that matter for the runtime's usage
//! (growing vectors, short-lived buffers): the most recent block can be
//! freed or resized in place. Other frees are not reused; the region is
//! sized for the demo script. Thread-safe through an atomic bump pointer.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of the region.
const REGION_BYTES: usize = 8 * 1024 * 1024;

/// The static region (16-byte aligned).
#[repr(C, align(16))]
struct Region(UnsafeCell<[u8; REGION_BYTES]>);

// SAFETY: the region is only handed out in disjoint blocks by the allocator
// below, so no two users ever get the same bytes.
unsafe impl Sync for Region {}

static REGION: Region = Region(UnsafeCell::new([0; REGION_BYTES]));

/// See the module documentation.
pub struct BumpAlloc {
    next: AtomicUsize,
}

impl BumpAlloc {
    /// An allocator with nothing handed out yet.
    pub const fn new() -> BumpAlloc {
        BumpAlloc { next: AtomicUsize::new(0) }
    }

    /// Bytes handed out (and not given back at the top) so far.
    pub fn used(&self) -> usize {
        self.next.load(Ordering::Relaxed)
    }

    fn base() -> usize {
        REGION.0.get() as usize
    }
}

// SAFETY: `alloc` returns disjoint, suitably aligned blocks inside REGION or
// null; `dealloc`/`realloc` only move the bump pointer back when the block is
// the topmost one (checked with a compare-exchange), so no live block is
// ever handed out twice.
unsafe impl GlobalAlloc for BumpAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = BumpAlloc::base();
        let mut cur = self.next.load(Ordering::Relaxed);
        loop {
            let start = (base + cur).next_multiple_of(layout.align()) - base;
            let Some(end) = start.checked_add(layout.size()) else { return core::ptr::null_mut() };
            if end > REGION_BYTES {
                return core::ptr::null_mut();
            }
            match self.next.compare_exchange_weak(cur, end, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return (base + start) as *mut u8,
                Err(now) => cur = now,
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let start = ptr as usize - BumpAlloc::base();
        let _ = self.next.compare_exchange(start + layout.size(), start, Ordering::Relaxed, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size <= layout.size() {
            return ptr;
        }
        let start = ptr as usize - BumpAlloc::base();
        let end = start + layout.size();
        if start + new_size <= REGION_BYTES
            && self.next.compare_exchange(end, start + new_size, Ordering::Relaxed, Ordering::Relaxed).is_ok()
        {
            return ptr;
        }
        // SAFETY: same contract as the caller's: `layout` with the new size is valid.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: forwarding to this allocator's own `alloc`.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live, disjoint, and at least `min` bytes long.
            unsafe { core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size)) };
            // SAFETY: `ptr` was allocated here with `layout`.
            unsafe { self.dealloc(ptr, layout) };
        }
        new
    }
}
