//! ferropy firmware for an emulated Cortex-M4F board (QEMU `mps2-an386`).
//!
//! * Console: UART0 (QEMU `-serial stdio`); Python's stdout and stderr go there.
//! * With a script on the command line (QEMU `-append "[options] SCRIPT [ARGS]"`)
//!   the firmware reads it from the host through semihosting, runs it and ends
//!   the emulation with MicroPython's exit status; options are `-X heapsize=N`
//!   (GC arena bytes, suffixes k/m) and `-X emit=native|viper|bytecode`.
//!   Without a script it runs a REPL on the console.
//! * Memory: the GC heap is an arena taken from a static Rust heap
//!   (`RUST_HEAP_BYTES`), which also holds the runtime's own data, with a
//!   reserve behind it so running out raises `MemoryError` (see `heap.rs`); the
//!   program runs on a stack with a guard below it (see `stack.rs`, `memory.x`).
#![no_std]
#![no_main]

extern crate alloc;

mod args;
mod clock;
mod fault;
mod heap;
mod host;
mod native;
mod repl;
mod semihost;
mod stack;
mod uart;

use alloc::boxed::Box;
use core::mem::MaybeUninit;

use cortex_m_rt::entry;
use ferropy::run::{exit_status, new_vm, RunOptions};
use ferropy_frontend::InputKind;
use ferropy_runtime::vm::HeapChoice;
use ferropy_runtime::VmConfig;

/// Bytes of the Rust heap (the GC arena is allocated from it), besides the reserve.
const RUST_HEAP_BYTES: usize = 2 * 1024 * 1024 - heap::RESERVE_BYTES;

/// Python call depth limit: frames live in the Rust heap, so the limit keeps
/// them well inside it (MicroPython's boards are limited by their C stack).
const RECURSION_LIMIT: usize = 1000;

#[global_allocator]
static ALLOCATOR: heap::BoardHeap = heap::BoardHeap::empty();

#[entry]
fn start() -> ! {
    stack::run_on_program_stack(firmware_main)
}

extern "C" fn firmware_main() -> ! {
    uart::init();
    clock::init();
    static mut HEAP_MEMORY: [MaybeUninit<u8>; RUST_HEAP_BYTES] = [MaybeUninit::uninit(); RUST_HEAP_BYTES];
    // SAFETY: `firmware_main` runs once, before any allocation; the region is
    // handed to the allocator and never touched directly again.
    unsafe { ALLOCATOR.init(core::ptr::addr_of_mut!(HEAP_MEMORY) as usize, RUST_HEAP_BYTES) }

    let args = match args::Args::parse(&semihost::command_line()) {
        Ok(args) => args,
        Err(msg) => {
            uart::write_bytes(msg.as_bytes());
            uart::write_bytes(b"\r\n");
            semihost::exit(2)
        }
    };
    let status = match &args.script {
        Some(path) => run_script(&args, path),
        None => repl::run(&args),
    };
    semihost::exit(status)
}

/// The VM settings for `args`.
pub fn vm_config(args: &args::Args) -> VmConfig {
    VmConfig {
        heap: HeapChoice::Arena(args.heap_bytes),
        frozen: ferropy::FROZEN,
        recursion_limit: RECURSION_LIMIT,
        // As MicroPython's port for the same QEMU boards.
        platform: "qemu",
        native: Some(&native::BOARD_NATIVE),
        ..VmConfig::default()
    }
}

/// A new VM with the board's console and host, or `None` (reported) if the heap
/// cannot be made. With `cooked`, output newlines become `\r\n` (for a terminal).
pub fn new_board_vm(
    args: &args::Args,
    argv: alloc::vec::Vec<alloc::string::String>,
    cooked: bool,
) -> Option<ferropy_runtime::Vm> {
    // As on MicroPython's boards.
    let path = ["", ".frozen", "/lib"].iter().map(|p| alloc::string::String::from(*p)).collect();
    let opts = RunOptions { argv, path, opt_level: 0, emitter: args.emitter };
    let write: fn(&[u8]) = if cooked { uart::write_cooked } else { uart::write_bytes };
    let out = Box::new(move |b: &[u8]| write(b));
    let err = Box::new(move |b: &[u8]| write(b));
    let mut vm = new_vm(vm_config(args), out, err, &opts)?;
    vm.set_host(Box::new(host::BoardHost));
    heap::set_vm(Some(vm.interrupt_handle()));
    Some(vm)
}

fn run_script(args: &args::Args, path: &str) -> i32 {
    let Some(source) = semihost::read_file(path) else {
        let msg = alloc::format!("ferropy: can't open file '{path}': [Errno 2] ENOENT\r\n");
        uart::write_bytes(msg.as_bytes());
        return 2;
    };
    let mut argv = alloc::vec![alloc::string::String::from(path)];
    argv.extend(args.argv.iter().cloned());
    let Some(mut vm) = new_board_vm(args, argv, false) else { return 1 };
    let r = vm.run_main_source(&source, path, InputKind::File).map(|_| ());
    exit_status(&mut vm, r)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    use core::fmt::Write;
    let _ = write!(uart::UartWriter, "\r\nFATAL: panic: {info}\r\n");
    semihost::exit(fault::FAULT_STATUS)
}
