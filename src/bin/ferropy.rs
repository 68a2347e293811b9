//! The `ferropy` command (see `ferropy::cli`).
//!
//! Its entry point is the C `main` itself rather than Rust's: Rust's runtime
//! start-up locates the main thread's stack guard, which makes glibc read and
//! parse `/proc/self/maps` (stdio and scanf code, about 0.3 MB of resident
//! memory and a few hundred microseconds for `ferropy -c pass`). ferropy bounds
//! its own recursion (`RecursionError`, the native stack budget), so it does not
//! lean on that guard's overflow message. `std::env::args` still works: the
//! standard library captures the arguments on its own on glibc, and
//! `std::process::exit` flushes standard output as a return from Rust's `main`
//! would.
#![no_main]

use std::ffi::{c_char, c_int};

/// The process entry point the C runtime calls. SAFETY (of `no_mangle`): no
/// other symbol of the program is named `main` (Rust generates none with
/// `#![no_main]`).
#[unsafe(no_mangle)]
pub extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(ferropy::cli::main(&argv));
}
