//! A microsecond clock from the board's first CMSDK APB timer (`0x4000_0000`),
//! counting down from `u32::MAX` at the 25 MHz system clock; readings are
//! extended to 64 bits by counting wraps (one every 171 s: the clock must be
//! read at least that often, which `ticks_*`/`sleep*` callers do while they
//! wait; the seconds of the wall clock come from the host instead).
//!
//! The memory-mapped register accesses are the only `unsafe` here.

use core::cell::Cell;

use critical_section::Mutex;

const TIMER0: usize = 0x4000_0000;
const CTRL: usize = TIMER0;
const VALUE: usize = TIMER0 + 0x04;
const RELOAD: usize = TIMER0 + 0x08;
/// Timer ticks per microsecond (the board's 25 MHz system clock).
const TICKS_PER_US: u64 = 25;

/// (last raw count-up reading, wraps seen).
static STATE: Mutex<Cell<(u32, u64)>> = Mutex::new(Cell::new((0, 0)));

/// Starts the timer.
pub fn init() {
    // SAFETY: the timer's registers, mapped on this board; writing them only
    // configures the timer (reload value, then enable).
    unsafe {
        core::ptr::write_volatile(RELOAD as *mut u32, u32::MAX);
        core::ptr::write_volatile(VALUE as *mut u32, u32::MAX);
        core::ptr::write_volatile(CTRL as *mut u32, 1);
    }
}

/// Microseconds since [`init`].
pub fn micros() -> u64 {
    // SAFETY: a volatile read of the timer's count register has no side effect.
    let down = unsafe { core::ptr::read_volatile(VALUE as *const u32) };
    let up = u32::MAX - down;
    critical_section::with(|cs| {
        let cell = STATE.borrow(cs);
        let (last, mut wraps) = cell.get();
        if up < last {
            wraps += 1;
        }
        cell.set((up, wraps));
        ((wraps << 32) | u64::from(up)) / TICKS_PER_US
    })
}
