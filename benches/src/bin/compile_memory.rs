//! Peak heap use of compiling a generated 10,000-line module, as a multiple of the
//! source size. Run with `cargo run --release -p ferropy-benches --bin compile_memory`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ferropy_benches::generate_module;
use ferropy_frontend::{compile_source, CompileOptions, InputKind};

/// Wraps the system allocator and tracks the current and peak number of live bytes.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to the system allocator unchanged; the counters are
// only statistics and do not affect the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let lines = 10_000;
    let source = generate_module(lines);
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let start = std::time::Instant::now();
    let module = compile_source(&source, "gen.py", InputKind::File, &CompileOptions::default()).expect("compiles");
    let elapsed = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed) - baseline;
    let bytecode: usize = count_code(&module.root);
    drop(module);
    println!("source: {} lines, {} bytes", lines, source.len());
    println!("bytecode: {bytecode} bytes");
    println!(
        "compile time (one run): {:.2} ms ({:.0} lines/s)",
        elapsed.as_secs_f64() * 1e3,
        lines as f64 / elapsed.as_secs_f64()
    );
    println!("peak heap during compile: {peak} bytes = {:.1}x the source size", peak as f64 / source.len() as f64);
}

fn count_code(code: &ferropy_bytecode::RawCode) -> usize {
    code.code.len() + code.children.iter().map(count_code).sum::<usize>()
}
