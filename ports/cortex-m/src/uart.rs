//! The board's console: UART0 of the MPS2 board (an Arm CMSDK APB UART at
//! `0x4000_4000`). QEMU connects it to its `-serial` backend.
//!
//! Output is polled. Input arrives through the UART's receive interrupt into a
//! ring buffer, so that a Ctrl-C typed while Python code runs reaches the VM's
//! interrupt handle at once (as on MicroPython's boards) instead of waiting in
//! the queue; the reader sleeps (`wfi`) until a byte arrives.
//!
//! The memory-mapped register accesses are the only `unsafe` here.

use core::cell::RefCell;

use critical_section::Mutex;
use ferropy_runtime::modules::InterruptHandle;

/// Base address of UART0 on `mps2-an386`.
const BASE: usize = 0x4000_4000;
/// Data register: write a byte to send, read a received byte.
const DATA: usize = BASE;
/// State register: bit 0 transmit buffer full, bit 1 receive buffer full.
const STATE: usize = BASE + 0x04;
/// Control register: bit 0 transmit enable, bit 1 receive enable, bit 3 receive interrupt enable.
const CTRL: usize = BASE + 0x08;
/// Interrupt status / clear register: bit 1 receive.
const INTCLEAR: usize = BASE + 0x0C;
/// Baud-rate divider (QEMU wants at least 16).
const BAUDDIV: usize = BASE + 0x10;
/// NVIC interrupt set-enable register 0.
const NVIC_ISER0: usize = 0xE000_E100;
/// The UART0 receive interrupt's number on the MPS2 boards.
pub const RX_IRQ: i16 = 0;

const TX_FULL: u32 = 1;
const RX_FULL: u32 = 2;
const CTRL_TX_RX_RXINT: u32 = 1 | 2 | 8;

/// Received bytes waiting to be read.
struct Ring {
    buf: [u8; 1024],
    head: usize,
    len: usize,
}

static RX: Mutex<RefCell<Ring>> = Mutex::new(RefCell::new(Ring { buf: [0; 1024], head: 0, len: 0 }));
/// While Python code runs from the REPL: where a received Ctrl-C goes.
static INTERRUPT: Mutex<RefCell<Option<InterruptHandle>>> = Mutex::new(RefCell::new(None));

fn read(reg: usize) -> u32 {
    // SAFETY: `reg` is one of the UART's 32-bit registers above, mapped on this
    // board; a volatile read has no effect beyond the device's own semantics.
    unsafe { core::ptr::read_volatile(reg as *const u32) }
}

fn write(reg: usize, value: u32) {
    // SAFETY: as in `read`; writing the UART's (or the NVIC's set-enable)
    // registers only drives the UART (or enables its interrupt).
    unsafe { core::ptr::write_volatile(reg as *mut u32, value) }
}

/// Enables the transmitter, the receiver and the receive interrupt.
pub fn init() {
    write(BAUDDIV, 16);
    write(CTRL, CTRL_TX_RX_RXINT);
    write(NVIC_ISER0, 1 << RX_IRQ);
}

/// Sends bytes, waiting while the transmit buffer is full.
pub fn write_bytes(bytes: &[u8]) {
    for &b in bytes {
        while read(STATE) & TX_FULL != 0 {}
        write(DATA, u32::from(b));
    }
}

/// Sends bytes with each `\n` as `\r\n` (program output on a terminal).
pub fn write_cooked(bytes: &[u8]) {
    for chunk in bytes.split_inclusive(|&b| b == b'\n') {
        match chunk.split_last() {
            Some((b'\n', text)) => {
                write_bytes(text);
                write_bytes(b"\r\n");
            }
            _ => write_bytes(chunk),
        }
    }
}

/// The receive interrupt: moves received bytes into the ring, or, for a
/// Ctrl-C while code runs, interrupts the VM.
pub fn on_receive() {
    write(INTCLEAR, RX_FULL);
    while read(STATE) & RX_FULL != 0 {
        let b = read(DATA) as u8;
        critical_section::with(|cs| {
            if b == 3 {
                if let Some(h) = INTERRUPT.borrow_ref(cs).as_ref() {
                    h.interrupt();
                    return;
                }
            }
            let mut ring = RX.borrow_ref_mut(cs);
            if ring.len < ring.buf.len() {
                let at = (ring.head + ring.len) % ring.buf.len();
                ring.buf[at] = b;
                ring.len += 1;
            }
        });
    }
}

/// Routes a received Ctrl-C to `handle` (`None`: queue it as input).
pub fn set_interrupt(handle: Option<InterruptHandle>) {
    critical_section::with(|cs| *INTERRUPT.borrow_ref_mut(cs) = handle);
}

/// A received byte, if one is waiting.
pub fn try_read_byte() -> Option<u8> {
    critical_section::with(|cs| {
        let mut ring = RX.borrow_ref_mut(cs);
        if ring.len == 0 {
            return None;
        }
        let b = ring.buf[ring.head];
        ring.head = (ring.head + 1) % ring.buf.len();
        ring.len -= 1;
        Some(b)
    })
}

/// Waits (sleeping until the next interrupt) for a received byte.
pub fn read_byte() -> u8 {
    loop {
        if let Some(b) = try_read_byte() {
            return b;
        }
        cortex_m::asm::wfi();
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
