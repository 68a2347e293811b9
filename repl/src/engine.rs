//! The REPL session: which mode it is in (friendly or raw), the VM, soft
//! resets, and the loop that hands each mode the console.

use alloc::boxed::Box;
use alloc::string::String;

use ferropy_runtime::Vm;

use crate::console::Console;
use crate::editor::{Completer, Editor, ReadResult};

/// Makes the VMs the REPL runs: at start and after every soft reset. The VM's
/// output sinks must write to the same console the REPL uses (a board's UART;
/// a host converts `\n` to `\r\n` as boards do).
pub trait Board {
    /// A fresh VM, or `None` if one cannot be made (out of memory).
    fn new_vm(&mut self) -> Option<Vm>;
}

impl<F: FnMut() -> Option<Vm>> Board for F {
    fn new_vm(&mut self) -> Option<Vm> {
        self()
    }
}

/// Reads one line of the friendly REPL: the built-in [`Editor`], or a host's
/// line-editing library.
pub trait LineReader {
    /// Prints `prompt` and reads a line; `previous` holds the lines already
    /// entered for this input, each ended by `\n` (see [`Editor::read_line`]).
    /// `vm` is the session's VM, for tab completion ([`crate::complete::complete`]);
    /// a reader may move it out while it reads but must put it back.
    fn read_line(&mut self, con: &mut dyn Console, prompt: &str, previous: &str, vm: &mut Option<Vm>) -> ReadResult;
}

impl LineReader for Editor {
    fn read_line(&mut self, con: &mut dyn Console, prompt: &str, previous: &str, vm: &mut Option<Vm>) -> ReadResult {
        let mut complete = |s: &str| match vm.as_mut() {
            Some(vm) => crate::complete::complete(vm, s),
            None => crate::editor::Completion::None,
        };
        let complete: Completer<'_> = &mut complete;
        Editor::read_line(self, con, prompt, previous, complete)
    }
}

/// What Ctrl-D on an empty line (and `SystemExit`) does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CtrlD {
    /// End the REPL (a host terminal): [`Repl::run`] returns [`SessionEnd::Exit`].
    Exit,
    /// Soft reset as a board does: `MPY: soft reboot`, then a fresh VM.
    SoftReset,
}

/// Settings of a [`Repl`].
#[derive(Clone, Debug)]
pub struct ReplConfig {
    /// Printed (followed by `\r\n`) when the friendly REPL starts or restarts.
    pub banner: String,
    /// Ctrl-D on an empty line.
    pub ctrl_d: CtrlD,
    /// Raw-paste flow-control window in bytes (MicroPython's boards use 128).
    pub raw_paste_window: u16,
    /// The longest input kept (a paste, a raw REPL command); longer input is
    /// read to its end and refused with a `MemoryError` message.
    pub max_input: usize,
    /// Lines of history the built-in editor keeps.
    pub history: usize,
}

impl Default for ReplConfig {
    fn default() -> ReplConfig {
        ReplConfig {
            banner: String::from(concat!(
                "ferropy ",
                env!("CARGO_PKG_VERSION"),
                "; MicroPython-compatible\r\nType \"help()\" for more information."
            )),
            ctrl_d: CtrlD::SoftReset,
            raw_paste_window: 128,
            max_input: 1 << 20,
            history: 32,
        }
    }
}

/// How a [`Repl::run`] call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEnd {
    /// The console's input ended; calling `run` again resumes the session
    /// (a new connection to the same board).
    Disconnected,
    /// Ctrl-D or `SystemExit` under [`CtrlD::Exit`]: the exit status.
    Exit(i32),
    /// The board could not make a VM.
    NoVm,
}

/// The REPL's mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Friendly,
    Raw,
}

/// What a mode's loop asks of the session.
pub(crate) enum Step {
    Mode(Mode),
    SoftReset,
    Exit(i32),
    Disconnected,
}

/// A REPL session: the board, its current VM, the line reader and the mode.
pub struct Repl<B: Board> {
    /// The board making VMs.
    pub board: B,
    /// Settings.
    pub config: ReplConfig,
    pub(crate) vm: Option<Vm>,
    pub(crate) reader: Box<dyn LineReader>,
    pub(crate) mode: Mode,
    /// The current mode's banner is due (mode entered, reset, new VM).
    pub(crate) announce: bool,
}

impl<B: Board> Repl<B> {
    /// A session with the built-in line editor; the first VM is made by the
    /// first [`Repl::run`].
    pub fn new(board: B, config: ReplConfig) -> Repl<B> {
        let reader = Box::new(Editor::new(config.history));
        Repl { board, config, vm: None, reader, mode: Mode::Friendly, announce: true }
    }

    /// Starts the session on an existing VM (`ferropy -i` after a script).
    pub fn with_vm(mut self, vm: Vm) -> Repl<B> {
        self.vm = Some(vm);
        self
    }

    /// Uses another line reader for the friendly REPL (a host library).
    pub fn with_line_reader(mut self, reader: Box<dyn LineReader>) -> Repl<B> {
        self.reader = reader;
        self
    }

    /// The current VM (after the first [`Repl::run`] made it).
    pub fn vm(&mut self) -> Option<&mut Vm> {
        self.vm.as_mut()
    }

    /// Whether the session is in the raw REPL.
    pub fn in_raw_repl(&self) -> bool {
        self.mode == Mode::Raw
    }

    /// Runs the session on `con` until its input ends, or it exits.
    pub fn run(&mut self, con: &mut dyn Console) -> SessionEnd {
        if self.vm.is_none() {
            self.vm = self.board.new_vm();
            if self.vm.is_none() {
                con.write(b"MemoryError: can't create the VM\r\n");
                return SessionEnd::NoVm;
            }
            self.announce = true;
        }
        loop {
            let step = match self.mode {
                Mode::Friendly => crate::friendly::run(self, con),
                Mode::Raw => crate::raw::run(self, con),
            };
            match step {
                Step::Mode(m) => {
                    self.mode = m;
                    self.announce = true;
                }
                Step::Disconnected => return SessionEnd::Disconnected,
                Step::SoftReset | Step::Exit(_) if self.config.ctrl_d == CtrlD::SoftReset => {
                    if !self.soft_reset(con) {
                        return SessionEnd::NoVm;
                    }
                }
                Step::SoftReset => return SessionEnd::Exit(0),
                Step::Exit(n) => return SessionEnd::Exit(n),
            }
        }
    }

    /// `MPY: soft reboot`: the old VM is dropped and the board makes a new one;
    /// the current mode starts again with its banner.
    pub fn soft_reset(&mut self, con: &mut dyn Console) -> bool {
        con.write(b"MPY: soft reboot\r\n");
        self.vm = None;
        self.vm = self.board.new_vm();
        self.announce = true;
        if self.vm.is_none() {
            con.write(b"MemoryError: can't create the VM\r\n");
            return false;
        }
        true
    }
}
