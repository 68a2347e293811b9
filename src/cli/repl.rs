//! The REPL on the process's terminal: the engine of `ferropy-repl` with its
//! built-in line editor (MicroPython's keys, history, completion from the VM,
//! auto-indent), as the unix port uses MicroPython's own readline. The
//! terminal is read byte by byte in raw mode; while code runs it is back in
//! its normal mode and SIGINT (Ctrl-C) raises `KeyboardInterrupt`. Ctrl-D
//! leaves (exit status 0; `SystemExit` gives its status).

use std::cell::Cell;
use std::io::{Read, Write};

use ferropy_repl::{Console, CtrlD, Repl, ReplConfig, SessionEnd};
use ferropy_runtime::modules::InterruptHandle;
use ferropy_runtime::Vm;
use nix::sys::termios::{cfmakeraw, tcgetattr, tcsetattr, SetArg, Termios};

/// The banner of the terminal REPL.
pub const BANNER: &str = concat!(
    "ferropy ",
    env!("CARGO_PKG_VERSION"),
    "; MicroPython-compatible\r\nUse Ctrl-D to exit, Ctrl-E for paste mode"
);

/// Runs the REPL on the terminal (or on piped standard input, as with `-i`
/// in a pipe) with `vm` until Ctrl-D or `SystemExit`; returns the exit status.
pub fn run(vm: Vm) -> i32 {
    let config = ReplConfig { banner: BANNER.to_string(), ctrl_d: CtrlD::Exit, ..ReplConfig::default() };
    let mut repl = Repl::new(|| None, config).with_vm(vm);
    let mut con = TtyConsole { mode: TtyMode::new(), running: false };
    let end = repl.run(&mut con);
    con.mode.cooked();
    match end {
        SessionEnd::Exit(n) => n,
        SessionEnd::Disconnected => 0,
        SessionEnd::NoVm => 1,
    }
}

/// The terminal's saved settings and whether raw mode is on.
struct TtyMode {
    saved: Option<Termios>,
    raw: Cell<bool>,
}

impl TtyMode {
    fn new() -> TtyMode {
        TtyMode { saved: tcgetattr(std::io::stdin()).ok(), raw: Cell::new(false) }
    }

    /// Byte-by-byte input: no echo, no line buffering, Ctrl-C/Ctrl-D as bytes.
    fn raw(&self) {
        if let (false, Some(saved)) = (self.raw.get(), &self.saved) {
            let mut t = saved.clone();
            cfmakeraw(&mut t);
            let _ = tcsetattr(std::io::stdin(), SetArg::TCSADRAIN, &t);
            self.raw.set(true);
        }
    }

    /// The terminal's own settings (for running code and at exit).
    fn cooked(&self) {
        if let (true, Some(saved)) = (self.raw.get(), &self.saved) {
            let _ = tcsetattr(std::io::stdin(), SetArg::TCSADRAIN, saved);
            self.raw.set(false);
        }
    }
}

/// Standard input and output of a terminal.
struct TtyConsole {
    mode: TtyMode,
    /// Code is running (the terminal is in its normal mode).
    running: bool,
}

impl Console for TtyConsole {
    fn read_byte(&mut self) -> Option<u8> {
        self.mode.raw();
        let mut b = [0u8];
        match std::io::stdin().lock().read(&mut b) {
            Ok(1) => Some(b[0]),
            _ => None,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        // The REPL's own text is exact bytes (`\r\n` included): no output
        // processing, except while code runs (the `\x04` marks around its output).
        if !self.running {
            self.mode.raw();
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }

    fn set_interrupt(&mut self, handle: Option<InterruptHandle>) {
        self.running = handle.is_some();
        if self.running {
            self.mode.cooked();
        }
        // The VM takes its interrupts from `super::sigint` (attached by the caller).
        super::sigint::arm(self.running);
    }
}
