//! Output through libc: the byte callbacks the VM writes to.

use core::ffi::{c_int, c_void};

// The C library: `write`, `_exit`, and what compiled Rust code calls
// (`memcpy`, ...) and the C runtime needs (`__libc_start_main`). A `std`
// program links it through `std`; here it is named explicitly.
#[link(name = "c")]
extern "C" {
    fn write(fd: c_int, buf: *const c_void, count: usize) -> isize;
    fn _exit(status: c_int) -> !;
}

fn write_all(fd: c_int, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is a live slice; `write` reads at most `len` bytes of it.
        let n = unsafe { write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n <= 0 {
            return;
        }
        bytes = &bytes[n as usize..];
    }
}

/// Writes to standard output (the VM's stdout callback).
pub fn stdout(bytes: &[u8]) {
    write_all(1, bytes);
}

/// Writes to standard error (the VM's stderr callback).
pub fn stderr(bytes: &[u8]) {
    write_all(2, bytes);
}

/// Ends the process at once.
pub fn exit(status: c_int) -> ! {
    // SAFETY: `_exit` takes any status and does not return.
    unsafe { _exit(status) }
}
