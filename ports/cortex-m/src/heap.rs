//! The board's Rust heap, with a reserve so that running out of it raises
//! `MemoryError` instead of stopping the firmware.
//!
//! The runtime keeps some of its data outside the GC arena (code units,
//! frames, compiler buffers), in the Rust heap. When that heap cannot satisfy
//! a request, the request is served from a small reserve and the running VM
//! is asked to raise `MemoryError` at its next check (backward jump or call;
//! it first collects, which frees the code of unreachable modules). Only if
//! the reserve is exhausted too does the allocation fail (a fatal error).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::RefCell;
use core::mem::MaybeUninit;

use critical_section::Mutex;
use embedded_alloc::LlffHeap;
use ferropy_runtime::modules::InterruptHandle;

/// Bytes kept for requests made after the main heap ran out.
pub const RESERVE_BYTES: usize = 64 * 1024;

/// The main heap and the reserve behind it.
pub struct BoardHeap {
    main: LlffHeap,
    reserve: LlffHeap,
}

/// The running VM to tell when the reserve is used (`None`: no VM yet).
static VM: Mutex<RefCell<Option<InterruptHandle>>> = Mutex::new(RefCell::new(None));

/// The reserve's memory (its address range tells which heap a block came from).
static mut RESERVE_MEMORY: [MaybeUninit<u8>; RESERVE_BYTES] = [MaybeUninit::uninit(); RESERVE_BYTES];

impl BoardHeap {
    /// Heaps with no memory yet (see [`BoardHeap::init`]).
    pub const fn empty() -> BoardHeap {
        BoardHeap { main: LlffHeap::empty(), reserve: LlffHeap::empty() }
    }

    /// Free bytes in the main heap.
    pub fn main_free(&self) -> usize {
        self.main.free()
    }

    /// Hands `size` bytes at `start` to the main heap and sets up the reserve.
    ///
    /// # Safety
    /// Called once, before any allocation, with memory used for nothing else.
    pub unsafe fn init(&self, start: usize, size: usize) {
        // SAFETY: the caller guarantees this is the only, first call, so both
        // regions are unused and handed over before any allocation.
        unsafe {
            self.main.init(start, size);
            self.reserve.init(reserve_start(), RESERVE_BYTES);
        }
    }
}

fn reserve_start() -> usize {
    core::ptr::addr_of!(RESERVE_MEMORY) as usize
}

fn in_reserve(ptr: *mut u8) -> bool {
    (reserve_start()..reserve_start() + RESERVE_BYTES).contains(&(ptr as usize))
}

/// True while the main heap has less free than the reserve holds (a
/// `MemoryError` is then due even after a collection). Free memory may be
/// fragmented, so this is a conservative reading.
pub fn main_heap_low() -> bool {
    crate::ALLOCATOR.main_free() < RESERVE_BYTES
}

/// Sets the VM to tell when the main heap runs out (the VM just created).
pub fn set_vm(handle: Option<InterruptHandle>) {
    critical_section::with(|cs| *VM.borrow_ref_mut(cs) = handle);
}

// SAFETY: every block is allocated by one of the two heaps and given back to
// the same one (told apart by the reserve's fixed address range); both heaps
// are themselves sound global allocators.
unsafe impl GlobalAlloc for BoardHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { self.main.alloc(layout) };
        if !p.is_null() {
            return p;
        }
        // Out of main heap: ask the VM for a MemoryError (no allocation here).
        critical_section::with(|cs| {
            if let Some(h) = VM.borrow_ref(cs).as_ref() {
                h.out_of_memory();
            }
        });
        // SAFETY: forwarded with the caller's layout.
        unsafe { self.reserve.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from the heap whose range holds it, with `layout`.
        unsafe {
            if in_reserve(ptr) {
                self.reserve.dealloc(ptr, layout)
            } else {
                self.main.dealloc(ptr, layout)
            }
        }
    }
}
