//! The raw REPL (Ctrl-A) and raw-paste mode, byte for byte as MicroPython's
//! `pyboard.py` and `mpremote` drive them:
//!
//! - entering prints `raw REPL; CTRL-B to exit\r\n` and the prompt `>`;
//! - input bytes are kept until Ctrl-D, which answers `OK`, runs them, and
//!   sends the output, `\x04`, the error text, `\x04`, then `>` again;
//!   Ctrl-D on empty input answers `OK\r\n` and soft-resets; Ctrl-C clears
//!   the input; Ctrl-B goes back to the friendly REPL; Ctrl-A restarts;
//! - raw paste: `\x05A\x01` is answered `R\x01`, then the window size (two
//!   bytes, little-endian) and `\x01`; the host may send one window ahead and
//!   gets a `\x01` for each window consumed; `\x04` from the host ends the
//!   data and is acknowledged with `\x04`, then the code runs as above. A
//!   device-side `\x04` during the data (input too long) is an abrupt end the
//!   host acknowledges with `\x04`. `\x05` followed by another letter is
//!   answered `R\x00` (not supported).

use alloc::format;
use alloc::vec::Vec;

use ferropy_frontend::InputKind;

use crate::console::Console;
use crate::engine::{Board, Mode, Repl, Step};
use crate::exec::{execute, print_keyboard_interrupt, Outcome};

/// The raw REPL's banner.
pub const BANNER: &[u8] = b"raw REPL; CTRL-B to exit\r\n";

/// Runs the raw REPL until it switches mode, resets, exits or disconnects.
pub(crate) fn run<B: Board>(r: &mut Repl<B>, con: &mut dyn Console) -> Step {
    if core::mem::replace(&mut r.announce, false) {
        con.write(BANNER);
        con.write(b">");
    }
    let max = r.config.max_input;
    let window = r.config.raw_paste_window.max(1);
    let mut line: Vec<u8> = Vec::new();
    let mut too_long = false;
    loop {
        let Some(c) = con.read_byte() else { return Step::Disconnected };
        match c {
            0x01 => {
                if line.len() == 2 && line[0] == 0x05 {
                    let Some(vm) = r.vm.as_mut() else { return Step::Disconnected };
                    if let Some(step) = raw_paste(vm, con, line[1], window, max) {
                        return step;
                    }
                } else {
                    con.write(BANNER);
                }
                line.clear();
                too_long = false;
                con.write(b">");
            }
            0x02 => {
                con.write(b"\r\n");
                return Step::Mode(Mode::Friendly);
            }
            0x03 => {
                line.clear();
                too_long = false;
            }
            0x04 => {
                con.write(b"OK");
                if line.is_empty() && !too_long {
                    con.write(b"\r\n");
                    return Step::SoftReset;
                }
                if too_long {
                    con.write(b"\x04");
                    con.write(format!("MemoryError: input longer than {max} bytes\r\n").as_bytes());
                    con.write(b"\x04");
                } else {
                    let Some(vm) = r.vm.as_mut() else { return Step::Disconnected };
                    if let Outcome::Exit(n) = execute(vm, con, &line, InputKind::File, true) {
                        return Step::Exit(n);
                    }
                }
                line.clear();
                too_long = false;
                con.write(b">");
            }
            _ if line.len() < max => line.push(c),
            _ => too_long = true,
        }
    }
}

/// Raw-paste mode after `\x05 kind \x01`; `Some` when the session must leave
/// the raw REPL loop (disconnect, exit).
fn raw_paste(vm: &mut ferropy_runtime::Vm, con: &mut dyn Console, kind: u8, window: u16, max: usize) -> Option<Step> {
    if kind != b'A' {
        con.write(b"R\x00");
        return None;
    }
    con.write(b"R\x01");
    con.write(&[window as u8, (window >> 8) as u8, 0x01]);
    let mut data = Vec::new();
    let mut remain = window;
    loop {
        let Some(c) = con.read_byte() else { return Some(Step::Disconnected) };
        match c {
            0x04 => {
                con.write(b"\x04");
                break;
            }
            0x03 => {
                con.write(b"\x04\x04");
                print_keyboard_interrupt(vm);
                con.write(b"\x04");
                return None;
            }
            _ if data.len() >= max => {
                // Abrupt end: the host answers `\x04`; drop what it sent until then.
                con.write(b"\x04");
                loop {
                    match con.read_byte() {
                        None => return Some(Step::Disconnected),
                        Some(0x03 | 0x04) => break,
                        Some(_) => {}
                    }
                }
                con.write(b"\x04");
                con.write(format!("MemoryError: input longer than {max} bytes\r\n").as_bytes());
                con.write(b"\x04");
                return None;
            }
            _ => {
                data.push(c);
                remain -= 1;
                if remain == 0 {
                    con.write(b"\x01");
                    remain = window;
                }
            }
        }
    }
    match execute(vm, con, &data, InputKind::File, true) {
        Outcome::Exit(n) => Some(Step::Exit(n)),
        Outcome::Done => None,
    }
}
