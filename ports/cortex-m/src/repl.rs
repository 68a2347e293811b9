//! The REPL on the board's console: MicroPython's friendly REPL (line editor,
//! history, auto-indent, completion), paste mode and the raw REPL, from the
//! shared `ferropy-repl` engine, over the UART. Ctrl-D soft-resets (a fresh
//! VM) as on a board, unless the command line says `-X ctrld=exit`.

use alloc::format;
use alloc::vec::Vec;

use ferropy_repl::console::Console;
use ferropy_repl::engine::{CtrlD, Repl, ReplConfig, SessionEnd};
use ferropy_runtime::modules::InterruptHandle;

use crate::args::Args;
use crate::uart;

/// The UART as the REPL's console.
struct UartConsole;

impl Console for UartConsole {
    fn read_byte(&mut self) -> Option<u8> {
        Some(uart::read_byte())
    }

    fn write(&mut self, bytes: &[u8]) {
        uart::write_bytes(bytes);
    }

    fn set_interrupt(&mut self, handle: Option<InterruptHandle>) {
        uart::set_interrupt(handle);
    }
}

/// Runs the REPL; returns the exit status when it ends (Ctrl-D with `-X ctrld=exit`).
pub fn run(args: &Args) -> i32 {
    let board = || crate::new_board_vm(args, Vec::new(), true);
    let config = ReplConfig {
        banner: format!(
            "ferropy {} on Cortex-M4F (QEMU mps2-an386); MicroPython-compatible\r\nType \"help()\" for more information.",
            env!("CARGO_PKG_VERSION")
        ),
        ctrl_d: if args.ctrl_d_exits { CtrlD::Exit } else { CtrlD::SoftReset },
        ..ReplConfig::default()
    };
    let mut repl = Repl::new(board, config);
    match repl.run(&mut UartConsole) {
        SessionEnd::Exit(status) => status,
        SessionEnd::Disconnected => 0,
        SessionEnd::NoVm => 1,
    }
}
