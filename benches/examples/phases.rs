//! Per-phase timing and allocation counts (tokenize, parse, whole compile) of the
//! 10,000-line benchmark module: `cargo run --release -p ferropy-benches --example phases`.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
struct Counting;
static COUNT: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        COUNT.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, n: usize) -> *mut u8 {
        COUNT.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, n) }
    }
}
#[global_allocator]
static GLOBAL: Counting = Counting;
fn best(f: &mut dyn FnMut()) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..30 {
        let c0 = COUNT.load(Ordering::Relaxed);
        let t = std::time::Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
        n = COUNT.load(Ordering::Relaxed) - c0;
    }
    (best * 1e3, n)
}
fn main() {
    let src = ferropy_benches::generate_module(10_000);
    let opts = ferropy_frontend::CompileOptions::default();
    let (t, n) = best(&mut || {
        ferropy_frontend::lexer::tokenize(&src).unwrap();
    });
    println!("tokenize: {t:.2} ms, {n} allocs");
    let (t, n) = best(&mut || {
        ferropy_frontend::parser::parse_module(&src).unwrap();
    });
    println!("parse:    {t:.2} ms, {n} allocs");
    let (t, n) = best(&mut || {
        ferropy_frontend::compile_source(&src, "gen.py", ferropy_frontend::InputKind::File, &opts).unwrap();
    });
    println!("compile:  {t:.2} ms, {n} allocs");
}
