//! ferropy without `std`: this program has no Rust standard library and no
//! Rust `main`; the C runtime calls the `main` below. It runs a Python script
//! on the runtime built with `default-features = false`, with
//!
//! * the GC heap in a static array (`GC_ARENA`, given to `Heap::arena_static`),
//! * the runtime's other allocations (code, qstrs, frames) from a static
//!   region through a small bump allocator (`alloc.rs`), and
//! * stdout/stderr as byte callbacks over libc's `write`.
//!
//! `unsafe` is limited to `alloc_bump.rs` (the allocator), the libc calls in
//! `out.rs`, and taking the static arena below, each with a `// SAFETY:` comment.
#![no_std]
#![no_main]

extern crate alloc;

mod alloc_bump;
mod out;

use alloc::boxed::Box;
use alloc::format;
use core::ffi::{c_char, c_int};

use ferropy_frontend::InputKind;
use ferropy_runtime::{Heap, Vm, VmConfig};

/// The Python program.
const SCRIPT: &str = "\
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

squares = [i * i for i in range(10)]
print('no_std ferropy:', fib(50), sum(squares))
d = {'x': 1.5, 'y': [1, 2, 3]}
print(sorted(d.keys()), d['x'] * 2)
try:
    1 / 0
except ZeroDivisionError as e:
    print('caught', type(e).__name__)
";

/// Words of the GC arena (64 KiB).
const ARENA_WORDS: usize = 16 * 1024;

/// The GC heap.
static mut GC_ARENA: [u32; ARENA_WORDS] = [0; ARENA_WORDS];

#[global_allocator]
static ALLOCATOR: alloc_bump::BumpAlloc = alloc_bump::BumpAlloc::new();

/// The precompiled `core`/`alloc` libraries are built for unwinding and
/// refer to the unwinder's personality routine; with `panic = "abort"` it is
/// never called, but the symbol must exist (`_Unwind_Resume` comes from libgcc).
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}

#[link(name = "gcc_s")]
extern "C" {}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    out::stderr(b"panic\n");
    out::exit(101)
}

/// The program's entry, called by the C runtime.
#[no_mangle]
pub extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    // SAFETY: `main` runs once and nothing else touches GC_ARENA, so this is
    // the only reference to it for the rest of the program.
    let arena: &'static mut [u32] = unsafe { &mut *core::ptr::addr_of_mut!(GC_ARENA) };
    let Ok(heap) = Heap::arena_static(arena) else {
        out::stderr(b"can't create the heap\n");
        return 1;
    };
    let config = VmConfig::default();
    let Ok(mut vm) = Vm::with_heap(heap, config, Box::new(out::stdout), Box::new(out::stderr)) else {
        out::stderr(b"can't create the VM\n");
        return 1;
    };
    if let Err(e) = vm.run_main_source(SCRIPT.as_bytes(), "main.py", InputKind::File) {
        vm.print_exception(e);
        return 1;
    }
    let stats = vm.heap.gc.stats();
    let line = format!(
        "gc heap: {} of {} bytes used, peak {}; static allocator: {} bytes used\n",
        stats.used_bytes,
        stats.total_bytes,
        stats.peak_bytes,
        ALLOCATOR.used()
    );
    out::stdout(line.as_bytes());
    0
}
