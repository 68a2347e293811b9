//! Conservative scanning of the native stack and callee-saved registers.
//!
//! Rust code in the runtime may hold an [`Obj`](crate::obj::Obj) in a local
//! variable across an allocation; the collector must then keep that object
//! alive, exactly as MicroPython does for C code. At VM entry the embedder (or
//! the VM) records a [`StackTop`]; a collection then reads every aligned 32-bit
//! word between the current stack position and that top, plus the callee-saved
//! registers, and treats each one that looks like a live heap reference as a
//! root. Interior references are not recognised: keep the `Obj` itself around.
//!
//! Register spilling is implemented for x86-64, x86 and 32-bit Arm; on other architectures
//! only memory is scanned (values the compiler keeps solely in callee-saved
//! registers would be missed there: root such values precisely).
//!
//! This is the only module of the crate that uses `unsafe`.
#![allow(unsafe_code)]

/// Largest stack span scanned (a recorded top further away than this is treated
/// as bogus, and the scan is skipped).
pub const MAX_SCAN_BYTES: usize = 256 * 1024 * 1024;

/// The upper end (highest address) of the native stack region to scan.
///
/// On hosts with `std`, it also remembers the thread that recorded it: a scan
/// from any other thread is skipped (record a new top at each VM entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StackTop {
    address: usize,
    #[cfg(feature = "std")]
    thread: std::thread::ThreadId,
}

impl StackTop {
    /// A stack top at `address`, for bare-metal embedders that know their stack
    /// bounds.
    ///
    /// # Safety
    /// Every address from any later collection's stack position up to `address`
    /// must be readable stack memory of the thread that collects.
    pub unsafe fn from_address(address: usize) -> StackTop {
        StackTop::from_address_unchecked(address)
    }

    fn from_address_unchecked(address: usize) -> StackTop {
        StackTop {
            address,
            #[cfg(feature = "std")]
            thread: std::thread::current().id(),
        }
    }

    /// The recorded address.
    pub fn address(&self) -> usize {
        self.address
    }
}

/// Calls `f` with a stack top recorded in a frame that encloses all of `f`'s
/// frames, so every local `f` (and what it calls) holds is covered. This is the
/// way to record the top at VM entry.
#[inline(never)]
pub fn with_stack_top<R>(f: impl FnOnce(StackTop) -> R) -> R {
    let marker = 0u32;
    let address = core::hint::black_box(core::ptr::addr_of!(marker)) as usize;
    let result = run_in_deeper_frame(f, StackTop::from_address_unchecked(address));
    core::hint::black_box(&marker);
    result
}

/// Calls `f` from a frame of its own, so that even if `f` is inlined here its
/// locals lie below the marker of [`with_stack_top`].
#[inline(never)]
fn run_in_deeper_frame<R>(f: impl FnOnce(StackTop) -> R, top: StackTop) -> R {
    f(top)
}

/// Number of callee-saved registers spilled on this architecture.
#[cfg(target_arch = "x86_64")]
const SAVED_REGS: usize = 6;
#[cfg(target_arch = "x86")]
const SAVED_REGS: usize = 4;
#[cfg(target_arch = "arm")]
const SAVED_REGS: usize = 8;
#[cfg(not(any(target_arch = "x86_64", target_arch = "x86", target_arch = "arm")))]
const SAVED_REGS: usize = 0;

/// Copies the callee-saved registers into an array.
#[inline(always)]
fn spill_registers() -> [usize; SAVED_REGS] {
    #[allow(unused_mut)]
    let mut regs = [0usize; SAVED_REGS];
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the assembly only stores rbx, rbp, r12-r15 into the six
    // `usize` slots of `regs`, which the pointer operand addresses and which are
    // live and writable; it touches no other memory, stack or flags.
    unsafe {
        core::arch::asm!(
            "mov [{p}], rbx",
            "mov [{p} + 8], rbp",
            "mov [{p} + 16], r12",
            "mov [{p} + 24], r13",
            "mov [{p} + 32], r14",
            "mov [{p} + 40], r15",
            p = in(reg) regs.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
    #[cfg(target_arch = "x86")]
    // SAFETY: the assembly only stores ebx, ebp, esi, edi into the four `usize`
    // slots of `regs`, which the pointer operand addresses and which are live
    // and writable; it touches no other memory, stack or flags.
    unsafe {
        core::arch::asm!(
            "mov [{p}], ebx",
            "mov [{p} + 4], ebp",
            "mov [{p} + 8], esi",
            "mov [{p} + 12], edi",
            p = in(reg) regs.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
    #[cfg(target_arch = "arm")]
    // SAFETY: the assembly only stores r4-r11 into the eight `usize` slots of
    // `regs`, which the pointer operand addresses and which are live and
    // writable; the stores leave the pointer register, the stack and the flags
    // unchanged. (r7 may be the frame pointer: reading it is fine.)
    unsafe {
        core::arch::asm!(
            "str r4, [{p}]",
            "str r5, [{p}, #4]",
            "str r6, [{p}, #8]",
            "str r7, [{p}, #12]",
            "str r8, [{p}, #16]",
            "str r9, [{p}, #20]",
            "str r10, [{p}, #24]",
            "str r11, [{p}, #28]",
            p = in(reg) regs.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
    regs
}

/// Bytes of dead stack [`wipe_dead_stack`] overwrites.
pub(crate) const WIPE_BYTES: usize = 4096;

/// Overwrites the [`WIPE_BYTES`] of machine stack below the caller's frame
/// (stack the caller's callees used and left) with zeros.
///
/// Frames built later over that stack may leave some of their words unwritten
/// (padding, slots used on one path only), and the conservative scan reads
/// those too: an object reference left there by an earlier, deeper call would
/// keep the object alive. Where a slow path that ran once is replaced by a
/// shallower fast one (e.g. a lookup that fills a cache), calling this after
/// the slow path keeps its leftovers from surviving into later collections.
#[inline(never)]
pub(crate) fn wipe_dead_stack() {
    let zeros = [0u8; WIPE_BYTES];
    core::hint::black_box(&zeros);
}

/// Visits the callee-saved registers (each 32-bit half) and every aligned
/// 32-bit word from this function's frame up to `top`.
#[inline(never)]
pub(crate) fn scan(top: &StackTop, visit: &mut dyn FnMut(u32)) {
    #[cfg(feature = "std")]
    if top.thread != std::thread::current().id() {
        return;
    }
    let regs = core::hint::black_box(spill_registers());
    for reg in regs {
        let wide = reg as u64;
        visit(wide as u32);
        visit((wide >> 32) as u32);
    }
    let marker = 0u32;
    let here = core::hint::black_box(core::ptr::addr_of!(marker)) as usize;
    let start = here & !3;
    let end = top.address & !3;
    if end <= start || end - start > MAX_SCAN_BYTES {
        return;
    }
    let mut address = start;
    while address < end {
        // SAFETY: `address` is 4-byte aligned and lies between this function's
        // own frame and the recorded top. A top from `with_stack_top` is the
        // address of a local in a frame of this same thread (checked above when
        // `std` is on): while that frame is live, everything between here and it
        // is live stack; if the top outlived its frame, the range is either empty
        // (we are above it) or still inside this thread's mapped stack (we are
        // deeper than it was). A top from the unsafe `from_address` carries the
        // embedder's promise that the range is readable stack. A volatile read of
        // a `u32` there is a plain load; the value is only compared with heap
        // offsets, never dereferenced.
        let word = unsafe { core::ptr::read_volatile(address as *const u32) };
        visit(word);
        address += 4;
    }
    core::hint::black_box(&marker);
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[inline(never)]
    fn collect_words(top: &StackTop) -> Vec<u32> {
        let mut seen = Vec::new();
        scan(top, &mut |w| seen.push(w));
        seen
    }

    #[inline(never)]
    fn leave_word_on_stack(w: u32) {
        let words = [w; 64];
        core::hint::black_box(&words);
    }

    #[inline(never)]
    fn scan_after(top: &StackTop, wipe: bool) -> Vec<u32> {
        leave_word_on_stack(0x5EED_4560);
        if wipe {
            wipe_dead_stack();
        }
        collect_words(top)
    }

    #[test]
    fn a_wiped_dead_frame_leaves_nothing_to_scan() {
        with_stack_top(|top| {
            // The dead frame's words reach the scan when nothing overwrites them...
            let unwiped = scan_after(&top, false);
            // ...and not after a wipe.
            let wiped = scan_after(&top, true);
            assert!(unwiped.contains(&0x5EED_4560));
            assert!(!wiped.contains(&0x5EED_4560));
        });
    }

    #[test]
    fn finds_a_local_of_an_enclosing_frame() {
        with_stack_top(|top| {
            let local = core::hint::black_box(0x5EED_1230u32);
            let seen = collect_words(&top);
            assert!(seen.contains(&local));
            core::hint::black_box(local);
        });
    }

    #[test]
    fn a_top_below_the_current_frame_scans_nothing_from_memory() {
        // SAFETY: address 0 is below every stack frame, so the range is empty.
        let top = unsafe { StackTop::from_address(0) };
        assert_eq!(collect_words(&top).len(), 2 * SAVED_REGS);
    }

    #[cfg(feature = "std")]
    #[test]
    fn another_threads_top_is_ignored() {
        let seen = with_stack_top(|top| std::thread::spawn(move || collect_words(&top)).join().unwrap());
        assert!(seen.is_empty());
    }
}
