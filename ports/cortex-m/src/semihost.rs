//! Arm semihosting: the firmware's link to the machine running QEMU (with
//! `-semihosting-config enable=on,target=native`): the command line, host
//! files (scripts and the modules they import), the wall clock and the exit status.
//!
//! The semihosting calls are the only `unsafe` here.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use cortex_m_semihosting::nr;

/// One semihosting call with a parameter block.
fn call(op: usize, block: &[usize]) -> isize {
    // SAFETY: `block` is the parameter block the operation expects (checked by
    // each caller below); the host only reads it, or writes within the buffers
    // it points to, whose lengths the block states.
    unsafe { cortex_m_semihosting::syscall1(op, block.as_ptr() as usize) as isize }
}

/// The command line QEMU was given with `-append` (the kernel file name first).
pub fn command_line() -> String {
    let mut buf = vec![0u8; 1024];
    let mut block = [buf.as_mut_ptr() as usize, buf.len()];
    // SAFETY: SYS_GET_CMDLINE takes a two-word block (buffer, size) and writes
    // at most `size` bytes to the buffer and the used length to word 1.
    let r = unsafe { cortex_m_semihosting::syscall1(nr::GET_CMDLINE, block.as_mut_ptr() as usize) as isize };
    if r != 0 {
        return String::new();
    }
    buf.truncate(block[1].min(buf.len()));
    String::from_utf8_lossy(&buf).into_owned()
}

/// SYS_OPEN modes.
const MODE_READ: usize = 1; // "rb"
const MODE_WRITE: usize = 5; // "wb"
const MODE_APPEND: usize = 9; // "ab"

/// Opens host file `path` in `mode`; the handle, or `None`.
fn open_mode(path: &str, mode: usize) -> Option<usize> {
    let mut name = Vec::with_capacity(path.len() + 1);
    name.extend_from_slice(path.as_bytes());
    name.push(0);
    // The name is NUL-terminated and its length excludes the NUL.
    let handle = call(nr::OPEN, &[name.as_ptr() as usize, mode, path.len()]);
    usize::try_from(handle).ok()
}

/// Opens host file `path` for reading; the handle, or `None`.
fn open(path: &str) -> Option<usize> {
    open_mode(path, MODE_READ)
}

/// Replaces (or, with `append`, extends) host file `path` with `data`; false on failure.
pub fn write_file(path: &str, data: &[u8], append: bool) -> bool {
    let Some(handle) = open_mode(path, if append { MODE_APPEND } else { MODE_WRITE }) else { return false };
    // SYS_WRITE returns the number of bytes NOT written.
    let not_written = if data.is_empty() { 0 } else { call(nr::WRITE, &[handle, data.as_ptr() as usize, data.len()]) };
    call(nr::CLOSE, &[handle]);
    not_written == 0
}

/// True if host file `path` can be opened for reading.
pub fn file_exists(path: &str) -> bool {
    match open(path) {
        Some(handle) => {
            call(nr::CLOSE, &[handle]);
            true
        }
        None => false,
    }
}

/// The contents of host file `path`, or `None` if it cannot be opened or read.
pub fn read_file(path: &str) -> Option<Vec<u8>> {
    let handle = open(path)?;
    let len = call(nr::FLEN, &[handle]);
    let mut data = if len >= 0 { vec![0u8; len as usize] } else { Vec::new() };
    let not_read = if data.is_empty() { 0 } else { call(nr::READ, &[handle, data.as_mut_ptr() as usize, data.len()]) };
    call(nr::CLOSE, &[handle]);
    if len < 0 || not_read != 0 {
        return None;
    }
    Some(data)
}

/// Seconds since the Unix epoch, from the host.
pub fn time_s() -> u64 {
    // SAFETY: SYS_TIME takes no parameter block (the argument must be 0).
    let r = unsafe { cortex_m_semihosting::syscall1(nr::TIME, 0) as isize };
    r.max(0) as u64
}

/// SYS_EXIT_EXTENDED: exit with a reason and a status.
const SYS_EXIT_EXTENDED: usize = 0x20;
/// `ADP_Stopped_ApplicationExit`: the program ended by itself.
const APPLICATION_EXIT: usize = 0x20026;

/// Ends the emulation with `status` as QEMU's exit status (SYS_EXIT_EXTENDED).
pub fn exit(status: i32) -> ! {
    call(SYS_EXIT_EXTENDED, &[APPLICATION_EXIT, status as usize]);
    // Without a debugger or QEMU to stop us the call returns: stop here.
    loop {
        cortex_m::asm::wfi();
    }
}
