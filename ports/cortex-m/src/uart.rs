//! The board's console: UART0 of the MPS2 board (an Arm CMSDK APB UART at
//! `0x4000_4000`), polled. QEMU connects it to its `-serial` backend.
//!
//! The memory-mapped register accesses are the only `unsafe` here.

/// Base address of UART0 on `mps2-an386`.
const BASE: usize = 0x4000_4000;
/// Data register: write a byte to send, read a received byte.
const DATA: usize = BASE;
/// State register: bit 0 transmit buffer full, bit 1 receive buffer full.
const STATE: usize = BASE + 0x04;
/// Control register: bit 0 transmit enable, bit 1 receive enable.
const CTRL: usize = BASE + 0x08;
/// Baud-rate divider (QEMU wants at least 16).
const BAUDDIV: usize = BASE + 0x10;

const TX_FULL: u32 = 1;
const RX_FULL: u32 = 2;

fn read(reg: usize) -> u32 {
    // SAFETY: `reg` is one of the UART's 32-bit registers above, mapped on this
    // board; a volatile read has no effect beyond the device's own semantics.
    unsafe { core::ptr::read_volatile(reg as *const u32) }
}

fn write(reg: usize, value: u32) {
    // SAFETY: as in `read`; writing the UART's registers only drives the UART.
    unsafe { core::ptr::write_volatile(reg as *mut u32, value) }
}

/// Enables the transmitter and the receiver.
pub fn init() {
    write(BAUDDIV, 16);
    write(CTRL, 3);
}

/// Sends bytes, waiting while the transmit buffer is full.
pub fn write_bytes(bytes: &[u8]) {
    for &b in bytes {
        while read(STATE) & TX_FULL != 0 {}
        write(DATA, u32::from(b));
    }
}

/// A received byte, if one is waiting.
pub fn try_read_byte() -> Option<u8> {
    if read(STATE) & RX_FULL != 0 {
        Some(read(DATA) as u8)
    } else {
        None
    }
}

/// Waits for a received byte.
pub fn read_byte() -> u8 {
    loop {
        if let Some(b) = try_read_byte() {
            return b;
        }
    }
}

/// `core::fmt::Write` straight to the UART, without allocating (usable from
/// fault and panic handlers).
pub struct UartWriter;

impl core::fmt::Write for UartWriter {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        write_bytes(s.as_bytes());
        Ok(())
    }
}
