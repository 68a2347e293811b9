//! The friendly REPL's loop and paste mode.

use alloc::vec::Vec;

use ferropy_frontend::InputKind;

use crate::console::Console;
use crate::editor::ReadResult;
use crate::engine::{Board, Mode, Repl, Step};
use crate::exec::{execute, Outcome};

/// The primary prompt.
pub const PS1: &str = ">>> ";
/// The continuation prompt.
pub const PS2: &str = "... ";

/// Runs the friendly REPL until it switches mode, resets, exits or disconnects.
pub(crate) fn run<B: Board>(r: &mut Repl<B>, con: &mut dyn Console) -> Step {
    if core::mem::replace(&mut r.announce, false) {
        con.write(r.config.banner.as_bytes());
        con.write(b"\r\n");
    }
    let max = r.config.max_input;
    'input: loop {
        let first = r.reader.read_line(con, PS1, "", &mut r.vm);
        let (text, kind) = match first {
            ReadResult::Eof => return Step::Disconnected,
            ReadResult::Ctrl(1) => {
                con.write(b"\r\n");
                return Step::Mode(Mode::Raw);
            }
            ReadResult::Ctrl(2) => {
                con.write(b"\r\n");
                con.write(r.config.banner.as_bytes());
                con.write(b"\r\n");
                continue;
            }
            ReadResult::Ctrl(4) => {
                con.write(b"\r\n");
                return Step::SoftReset;
            }
            ReadResult::Ctrl(5) => match paste(con, max) {
                Paste::Text(t) => (t, InputKind::File),
                Paste::TooLong => {
                    con.write(alloc::format!("MemoryError: input longer than {max} bytes\r\n").as_bytes());
                    continue;
                }
                Paste::Cancel => continue,
                Paste::Eof => return Step::Disconnected,
            },
            ReadResult::Ctrl(_) => {
                con.write(b"\r\n");
                continue;
            }
            ReadResult::Line(line) if line.is_empty() => continue,
            ReadResult::Line(line) => {
                let mut text = line;
                while crate::continuation::needs_more(&text) {
                    text.push('\n');
                    let next = r.reader.read_line(con, PS2, &text, &mut r.vm);
                    match next {
                        ReadResult::Eof => return Step::Disconnected,
                        ReadResult::Ctrl(3) => {
                            con.write(b"\r\n");
                            continue 'input;
                        }
                        ReadResult::Ctrl(4) => break,
                        ReadResult::Ctrl(_) => {}
                        ReadResult::Line(l) => text.push_str(&l),
                    }
                }
                (text.into_bytes(), InputKind::Single)
            }
        };
        let Some(vm) = r.vm.as_mut() else { return Step::Disconnected };
        if let Outcome::Exit(n) = execute(vm, con, &text, kind, false) {
            return Step::Exit(n);
        }
    }
}

/// What paste mode read.
enum Paste {
    Text(Vec<u8>),
    TooLong,
    Cancel,
    Eof,
}

/// Paste mode: every byte is kept and echoed until Ctrl-D (run) or Ctrl-C
/// (cancel); each line gets a `=== ` prompt.
fn paste(con: &mut dyn Console, max: usize) -> Paste {
    con.write(b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ");
    let mut text = Vec::new();
    let mut too_long = false;
    let mut after_cr = false;
    loop {
        let Some(c) = con.read_byte() else { return Paste::Eof };
        let was_cr = core::mem::replace(&mut after_cr, c == b'\r');
        match c {
            0x03 => {
                con.write(b"\r\n");
                return Paste::Cancel;
            }
            0x04 => {
                con.write(b"\r\n");
                return if too_long { Paste::TooLong } else { Paste::Text(text) };
            }
            b'\n' if was_cr => {}
            b'\r' | b'\n' => {
                push(&mut text, b'\n', max, &mut too_long);
                con.write(b"\r\n=== ");
            }
            _ => {
                push(&mut text, c, max, &mut too_long);
                con.write(&[c]);
            }
        }
    }
}

fn push(text: &mut Vec<u8>, c: u8, max: usize, too_long: &mut bool) {
    if text.len() < max {
        text.push(c);
    } else {
        *too_long = true;
    }
}
