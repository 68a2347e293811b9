//! Idle memory of one interpreter: bytes the process has allocated (and not
//! freed) for a new ferropy VM, `mlua` Lua 5.4 state and `rhai` engine, as a
//! counting global allocator sees them; plus what each reports itself.
//! Run: `cargo bench -p ferropy-benches --bench embed_memory`.
//!
//! The counting allocator is the only `unsafe` here: it forwards to the
//! system allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call forwards to `System` with the caller's arguments; the
// counter update has no effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Resident bytes of this process (`/proc/self/statm`), 0 where unknown.
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}

/// Per instance, over `n` instances kept alive at once: (bytes allocated and
/// kept, as the counting allocator sees them; resident bytes added — only
/// meaningful for the first engine measured, later ones reuse freed pages).
fn idle<T>(n: usize, make: impl Fn() -> T) -> (usize, usize, Vec<T>) {
    let (live0, rss0) = (LIVE.load(Ordering::Relaxed), resident_bytes());
    let all: Vec<T> = (0..n).map(|_| make()).collect();
    let (live1, rss1) = (LIVE.load(Ordering::Relaxed), resident_bytes());
    ((live1 - live0).max(0) as usize / n, rss1.saturating_sub(rss0) / n, all)
}

const N: usize = 200;

fn main() {
    // Warm up lazily initialised process state (stdout handles, ...).
    drop(ferropy::embed::Vm::new());
    drop(mlua::Lua::new());
    drop(rhai::Engine::new());

    println!("idle interpreter, per instance over {N} kept alive at once:");
    println!("  {:<34} {:>10} {:>10}", "", "allocated", "resident");
    let (a, r, vms) = idle(N, || ferropy::embed::Vm::new().expect("vm"));
    let m = vms[0].memory();
    println!("  {:<34} {a:>10} {r:>10}", "ferropy (default: growable heap)");
    println!("    GC heap {} bytes, {} in use", m.heap_bytes, m.used_bytes);
    drop(vms);
    let (a, r, vms) = idle(N, || ferropy::embed::Vm::builder().max_heap_bytes(256 * 1024).build().expect("vm"));
    println!("  {:<34} {a:>10} {r:>10}", "ferropy (heap capped at 256 KiB)");
    drop(vms);
    let (a, r, vms) = idle(N, || ferropy::embed::Vm::builder().arena(16 * 1024).build().expect("vm"));
    println!("  {:<34} {a:>10} {r:>10}", "ferropy (16 KiB arena)");
    drop(vms);
    let (a, r, states) = idle(N, mlua::Lua::new);
    println!("  {:<34} {a:>10} {r:>10}", "mlua lua54");
    println!("    Lua reports {} bytes", states[0].used_memory());
    drop(states);
    let (a, r, engines) = idle(N, rhai::Engine::new);
    println!("  {:<34} {a:>10} {r:>10}", "rhai");
    drop(engines);
}
