//! [`BoardHost`]: the runtime's `Host` on the board: files (scripts and the
//! modules they import) are read from the machine running QEMU through
//! semihosting, the wall clock is the host's and the tick clock the board's
//! timer, standard input is the UART.
//!
//! The board's file system root `/` is the directory QEMU runs in: the
//! runtime's absolute paths are made relative to it.

use alloc::vec::Vec;

use ferropy_runtime::modules::{Host, PathKind};

use crate::{clock, semihost, uart};

/// See the module documentation.
#[derive(Debug, Default)]
pub struct BoardHost;

/// The semihosting path of board path `path`.
fn host_path(path: &str) -> &str {
    match path.trim_start_matches('/') {
        "" => ".",
        rest => rest,
    }
}

impl Host for BoardHost {
    fn memory_low(&mut self) -> bool {
        crate::heap::main_heap_low()
    }
    fn stat(&mut self, path: &str) -> PathKind {
        let path = host_path(path);
        if path == "." {
            return PathKind::Dir;
        }
        // Semihosting cannot tell directories from files (QEMU opens both):
        // a directory holding an `__init__.py` (a package, all `import`
        // needs) counts as a directory.
        if semihost::file_exists(&alloc::format!("{path}/__init__.py")) {
            PathKind::Dir
        } else if semihost::file_exists(path) {
            PathKind::File
        } else {
            PathKind::Missing
        }
    }

    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        semihost::read_file(host_path(path)).ok_or(2)
    }

    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        // EIO: semihosting reports no reason.
        if semihost::write_file(host_path(path), data, append) {
            Ok(())
        } else {
            Err(5)
        }
    }

    fn time_ns(&mut self) -> u64 {
        semihost::time_s().saturating_mul(1_000_000_000)
    }

    fn ticks_us(&mut self) -> u64 {
        clock::micros()
    }

    fn sleep_us(&mut self, us: u64) {
        let end = self.ticks_us().saturating_add(us);
        while self.ticks_us() < end {}
    }

    fn read_line(&mut self) -> Vec<u8> {
        let mut line = Vec::new();
        loop {
            let b = uart::read_byte();
            if b == b'\r' {
                line.push(b'\n');
                return line;
            }
            if b == 4 && line.is_empty() {
                return line;
            }
            line.push(b);
            if b == b'\n' {
                return line;
            }
        }
    }
}
