//! The hardware abstraction behind `machine`: the [`Hal`] trait an embedder
//! implements for its board, and [`SimHal`] (with `std`), a simulated board the
//! host uses by default and tests drive through a [`SimHandle`].

use alloc::vec::Vec;

/// How a pin is driven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinMode {
    /// Input.
    In,
    /// Push-pull output.
    Out,
    /// Open-drain output (drives low, floats high).
    OpenDrain,
}

/// A pin's pull resistor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pull {
    /// None.
    None,
    /// Pull-up.
    Up,
    /// Pull-down.
    Down,
}

/// UART settings (`machine.UART.init`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UartConfig {
    /// Bits per second.
    pub baudrate: u32,
    /// Data bits (7, 8 or 9).
    pub bits: u8,
    /// Parity: `None`, `Some(0)` even, `Some(1)` odd.
    pub parity: Option<u8>,
    /// Stop bits (1 or 2).
    pub stop: u8,
}

impl Default for UartConfig {
    fn default() -> UartConfig {
        UartConfig { baudrate: 115_200, bits: 8, parity: None, stop: 1 }
    }
}

/// A board's pins and UARTs as `machine` uses them; errors are errno values
/// (`OSError` in Python). Pin and UART numbers are the board's own.
pub trait Hal: Send {
    /// The number of a pin given by name (`Pin("LED")`), if the board has it.
    fn pin_by_name(&mut self, _name: &str) -> Option<u32> {
        None
    }
    /// Configures a pin.
    fn pin_configure(&mut self, pin: u32, mode: PinMode, pull: Pull) -> Result<(), i32>;
    /// Drives an output pin.
    fn pin_write(&mut self, pin: u32, high: bool) -> Result<(), i32>;
    /// Reads a pin's level.
    fn pin_read(&mut self, pin: u32) -> Result<bool, i32>;
    /// Configures a UART.
    fn uart_configure(&mut self, id: u32, cfg: &UartConfig) -> Result<(), i32>;
    /// Turns a UART off.
    fn uart_deinit(&mut self, _id: u32) -> Result<(), i32> {
        Ok(())
    }
    /// Queues bytes for sending; how many were taken.
    fn uart_write(&mut self, id: u32, data: &[u8]) -> Result<usize, i32>;
    /// Takes received bytes into `buf` without waiting; how many.
    fn uart_read(&mut self, id: u32, buf: &mut [u8]) -> Result<usize, i32>;
    /// How many received bytes are waiting.
    fn uart_any(&mut self, id: u32) -> Result<usize, i32>;
    /// CPU frequency in Hz.
    fn freq(&mut self) -> u64 {
        0
    }
    /// The board's unique id.
    fn unique_id(&mut self) -> Vec<u8> {
        Vec::new()
    }
}

/// `ENODEV`: no such pin or UART.
pub const ENODEV: i32 = 19;

#[cfg(feature = "std")]
pub use sim::{SimHal, SimHandle};

#[cfg(feature = "std")]
mod sim {
    use std::collections::{BTreeMap, VecDeque};
    use std::sync::{Arc, Mutex, MutexGuard};

    use super::{Hal, PinMode, Pull, UartConfig, ENODEV};
    use alloc::vec::Vec;

    /// Pins and UARTs of the simulated board.
    const PINS: u32 = 64;
    const UARTS: u32 = 4;

    #[derive(Clone, Copy, Debug)]
    struct SimPin {
        mode: PinMode,
        pull: Pull,
        out: bool,
        /// A level applied from outside (by the test through [`SimHandle`]).
        ext: Option<bool>,
    }

    #[derive(Debug, Default)]
    struct SimUart {
        cfg: Option<UartConfig>,
        rx: VecDeque<u8>,
        tx: Vec<u8>,
        no_loopback: bool,
    }

    #[derive(Debug, Default)]
    struct Board {
        pins: BTreeMap<u32, SimPin>,
        uarts: BTreeMap<u32, SimUart>,
    }

    fn lock(b: &Mutex<Board>) -> MutexGuard<'_, Board> {
        match b.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// A simulated board: 64 pins (`0..64`, also named `"P<n>"`, and `"LED"` =
    /// 25) and 4 UARTs (`0..4`) whose output loops back to their input unless a
    /// [`SimHandle`] turns that off.
    #[derive(Clone, Debug, Default)]
    pub struct SimHal(Arc<Mutex<Board>>);

    /// The test's side of a [`SimHal`]: apply input levels, read outputs,
    /// inject and collect UART bytes.
    #[derive(Clone, Debug)]
    pub struct SimHandle(Arc<Mutex<Board>>);

    impl SimHal {
        /// A board and the handle that drives it.
        pub fn new() -> (SimHal, SimHandle) {
            let b = Arc::new(Mutex::new(Board::default()));
            (SimHal(b.clone()), SimHandle(b))
        }
    }

    impl SimHandle {
        /// Applies `level` to pin `pin` from outside (`None`: let it float).
        pub fn set_input(&self, pin: u32, level: Option<bool>) {
            let mut b = lock(&self.0);
            let p = b.pins.entry(pin).or_insert(SimPin { mode: PinMode::In, pull: Pull::None, out: false, ext: None });
            p.ext = level;
        }
        /// The level an output pin drives (`None` if it is not an output).
        pub fn output(&self, pin: u32) -> Option<bool> {
            let b = lock(&self.0);
            b.pins.get(&pin).filter(|p| p.mode != PinMode::In).map(|p| p.out)
        }
        /// Bytes arriving on UART `id`.
        pub fn uart_inject(&self, id: u32, data: &[u8]) {
            lock(&self.0).uarts.entry(id).or_default().rx.extend(data);
        }
        /// Everything UART `id` sent so far (then forgotten).
        pub fn uart_take(&self, id: u32) -> Vec<u8> {
            core::mem::take(&mut lock(&self.0).uarts.entry(id).or_default().tx)
        }
        /// Whether UART `id` sends its output back to its own input (default on).
        pub fn set_loopback(&self, id: u32, on: bool) {
            lock(&self.0).uarts.entry(id).or_default().no_loopback = !on;
        }
        /// The settings UART `id` was last configured with.
        pub fn uart_config(&self, id: u32) -> Option<UartConfig> {
            lock(&self.0).uarts.get(&id).and_then(|u| u.cfg)
        }
    }

    impl Hal for SimHal {
        fn pin_by_name(&mut self, name: &str) -> Option<u32> {
            match name {
                "LED" => Some(25),
                _ => name.strip_prefix('P').and_then(|n| n.parse().ok()).filter(|&n| n < PINS),
            }
        }
        fn pin_configure(&mut self, pin: u32, mode: PinMode, pull: Pull) -> Result<(), i32> {
            if pin >= PINS {
                return Err(ENODEV);
            }
            let mut b = lock(&self.0);
            let p = b.pins.entry(pin).or_insert(SimPin { mode, pull, out: false, ext: None });
            p.mode = mode;
            p.pull = pull;
            Ok(())
        }
        fn pin_write(&mut self, pin: u32, high: bool) -> Result<(), i32> {
            if pin >= PINS {
                return Err(ENODEV);
            }
            let mut b = lock(&self.0);
            let p = b.pins.entry(pin).or_insert(SimPin { mode: PinMode::In, pull: Pull::None, out: false, ext: None });
            p.out = high;
            Ok(())
        }
        fn pin_read(&mut self, pin: u32) -> Result<bool, i32> {
            if pin >= PINS {
                return Err(ENODEV);
            }
            let b = lock(&self.0);
            let Some(p) = b.pins.get(&pin) else { return Ok(false) };
            let floating = p.ext.unwrap_or(p.pull == Pull::Up);
            Ok(match p.mode {
                PinMode::Out => p.out,
                // Open drain: low when driven low, else whatever pulls the line.
                PinMode::OpenDrain => p.out && floating,
                PinMode::In => floating,
            })
        }
        fn uart_configure(&mut self, id: u32, cfg: &UartConfig) -> Result<(), i32> {
            if id >= UARTS {
                return Err(ENODEV);
            }
            lock(&self.0).uarts.entry(id).or_default().cfg = Some(*cfg);
            Ok(())
        }
        fn uart_deinit(&mut self, id: u32) -> Result<(), i32> {
            if let Some(u) = lock(&self.0).uarts.get_mut(&id) {
                u.cfg = None;
            }
            Ok(())
        }
        fn uart_write(&mut self, id: u32, data: &[u8]) -> Result<usize, i32> {
            let mut b = lock(&self.0);
            let u = b.uarts.get_mut(&id).filter(|u| u.cfg.is_some()).ok_or(ENODEV)?;
            u.tx.extend_from_slice(data);
            if !u.no_loopback {
                u.rx.extend(data);
            }
            Ok(data.len())
        }
        fn uart_read(&mut self, id: u32, buf: &mut [u8]) -> Result<usize, i32> {
            let mut b = lock(&self.0);
            let u = b.uarts.get_mut(&id).filter(|u| u.cfg.is_some()).ok_or(ENODEV)?;
            let n = buf.len().min(u.rx.len());
            for (d, s) in buf.iter_mut().zip(u.rx.drain(..n)) {
                *d = s;
            }
            Ok(n)
        }
        fn uart_any(&mut self, id: u32) -> Result<usize, i32> {
            let b = lock(&self.0);
            b.uarts.get(&id).filter(|u| u.cfg.is_some()).map(|u| u.rx.len()).ok_or(ENODEV)
        }
        fn freq(&mut self) -> u64 {
            125_000_000
        }
        fn unique_id(&mut self) -> Vec<u8> {
            alloc::vec![0xfe, 0x77, 0x0b, 0x1d, 0, 0, 0, 1]
        }
    }
}
