//! The REPL on the process's terminal: the engine of `ferropy-repl` with
//! `rustyline` editing the friendly REPL's lines (history, completion from the
//! VM, auto-indent as initial text). Paste mode and the raw REPL read the
//! terminal byte by byte in raw mode; while code runs the terminal is back in
//! its normal mode and SIGINT (Ctrl-C) raises `KeyboardInterrupt`. Ctrl-D
//! leaves (exit status 0; `SystemExit` gives its status).

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use ferropy_repl::editor::Completion;
use ferropy_repl::{Console, CtrlD, LineReader, ReadResult, Repl, ReplConfig, SessionEnd};
use ferropy_runtime::modules::InterruptHandle;
use ferropy_runtime::Vm;
use nix::sys::termios::{cfmakeraw, tcgetattr, tcsetattr, SetArg, Termios};
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{
    Cmd, ConditionalEventHandler, Editor, Event, EventContext, EventHandler, Helper, KeyEvent, RepeatCount,
};

/// The banner of the terminal REPL.
pub const BANNER: &str = concat!(
    "ferropy ",
    env!("CARGO_PKG_VERSION"),
    "; MicroPython-compatible\r\nUse Ctrl-D to exit, Ctrl-E for paste mode"
);

/// Runs the REPL on the terminal with `vm` (standard input that is not a
/// terminal, as with `-i` in a pipe, gets the built-in editor) until Ctrl-D or `SystemExit`;
/// returns the exit status.
pub fn run(vm: Vm) -> i32 {
    let mode = Rc::new(TtyMode::new());
    let config = ReplConfig { banner: BANNER.to_string(), ctrl_d: CtrlD::Exit, ..ReplConfig::default() };
    let mut repl = Repl::new(|| None, config).with_vm(vm);
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        if let Some(reader) = RustylineReader::new(mode.clone()) {
            repl = repl.with_line_reader(Box::new(reader));
        }
    }
    let mut con = TtyConsole { mode: mode.clone(), running: false };
    let end = repl.run(&mut con);
    mode.cooked();
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
    /// The cursor is at the start of a fresh line (rustyline ended the line):
    /// the REPL's next `\r\n` is not repeated.
    fresh_line: Cell<bool>,
}

impl TtyMode {
    fn new() -> TtyMode {
        TtyMode { saved: tcgetattr(std::io::stdin()).ok(), raw: Cell::new(false), fresh_line: Cell::new(false) }
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

    fn at_line_start(&self) {
        self.fresh_line.set(true);
    }

    /// The terminal's own settings (for rustyline, running code and exit).
    fn cooked(&self) {
        if let (true, Some(saved)) = (self.raw.get(), &self.saved) {
            let _ = tcsetattr(std::io::stdin(), SetArg::TCSADRAIN, saved);
            self.raw.set(false);
        }
    }
}

/// The interrupt handle SIGINT raises `KeyboardInterrupt` through (set while
/// code runs).
pub(crate) fn sigint_slot() -> &'static Mutex<Option<InterruptHandle>> {
    static SLOT: OnceLock<Mutex<Option<InterruptHandle>>> = OnceLock::new();
    SLOT.get_or_init(|| {
        let _ = ctrlc::set_handler(|| {
            if let Some(h) = sigint_slot().lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                h.interrupt();
            }
        });
        Mutex::new(None)
    })
}

/// Standard input and output of a terminal.
struct TtyConsole {
    mode: Rc<TtyMode>,
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
        let bytes = match self.mode.fresh_line.replace(false) {
            true => bytes.strip_prefix(b"\r\n").unwrap_or(bytes),
            false => bytes,
        };
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }

    fn set_interrupt(&mut self, handle: Option<InterruptHandle>) {
        self.running = handle.is_some();
        if self.running {
            self.mode.cooked();
        }
        *sigint_slot().lock().unwrap_or_else(|e| e.into_inner()) = handle;
    }
}

/// Friendly-REPL lines through one long-lived rustyline editor (its input
/// buffer keeps type-ahead between lines). The VM moves into the editor's
/// helper while a line is read, for completion, and back afterwards.
struct RustylineReader {
    mode: Rc<TtyMode>,
    editor: Editor<ReplHelper, DefaultHistory>,
    /// Set by the Ctrl-A..E handlers when they end an empty line.
    pressed: Arc<AtomicU8>,
}

impl RustylineReader {
    fn new(mode: Rc<TtyMode>) -> Option<RustylineReader> {
        let config = rustyline::Config::builder()
            .completion_type(rustyline::CompletionType::List)
            .auto_add_history(false)
            .max_history_size(500)
            .ok()?
            .build();
        let mut editor = Editor::<ReplHelper, DefaultHistory>::with_config(config).ok()?;
        let pressed = Arc::new(AtomicU8::new(0));
        for (key, code) in [('A', 1u8), ('B', 2), ('D', 4), ('E', 5)] {
            let handler = CtrlOnEmpty { code, pressed: pressed.clone() };
            editor.bind_sequence(KeyEvent::ctrl(key), EventHandler::Conditional(Box::new(handler)));
        }
        editor.set_helper(Some(ReplHelper { vm: RefCell::new(None), continuation: Cell::new(false) }));
        Some(RustylineReader { mode, editor, pressed })
    }
}

/// Ctrl-A..Ctrl-E on an empty line end the line with that code (raw REPL,
/// friendly reset, exit, paste mode); elsewhere they keep their editing
/// meaning.
struct CtrlOnEmpty {
    code: u8,
    pressed: Arc<AtomicU8>,
}

impl ConditionalEventHandler for CtrlOnEmpty {
    fn handle(&self, _evt: &Event, _n: RepeatCount, _positive: bool, ctx: &EventContext) -> Option<Cmd> {
        if ctx.line().is_empty() {
            self.pressed.store(self.code, Ordering::Relaxed);
            Some(Cmd::Interrupt)
        } else {
            None
        }
    }
}

/// Completion from the VM for rustyline.
struct ReplHelper {
    vm: RefCell<Option<Vm>>,
    continuation: Cell<bool>,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let before = &line[..pos];
        let after_space = match before.chars().last() {
            None => self.continuation.get(),
            Some(c) => c.is_whitespace(),
        };
        if after_space {
            return Ok((pos, vec!["    ".to_string()]));
        }
        let result = match self.vm.borrow_mut().as_mut() {
            Some(vm) => ferropy_repl::complete::complete(vm, before),
            None => Completion::None,
        };
        Ok(match result {
            Completion::None => (pos, Vec::new()),
            Completion::Insert(s) => (pos, vec![s]),
            Completion::Many(words) => {
                let partial = before.chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').count();
                (pos - partial, words)
            }
        })
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}
impl Highlighter for ReplHelper {}
impl Validator for ReplHelper {}
impl Helper for ReplHelper {}

impl LineReader for RustylineReader {
    fn read_line(&mut self, _con: &mut dyn Console, prompt: &str, previous: &str, vm: &mut Option<Vm>) -> ReadResult {
        self.mode.cooked();
        self.pressed.store(0, Ordering::Relaxed);
        if let Some(h) = self.editor.helper() {
            *h.vm.borrow_mut() = vm.take();
            h.continuation.set(!previous.is_empty());
        }
        let indent = "    ".repeat(ferropy_repl::editor::auto_indent(previous));
        let result = self.editor.readline_with_initial(prompt, (&indent, ""));
        if let Some(h) = self.editor.helper() {
            *vm = h.vm.borrow_mut().take();
        }
        match result {
            Ok(line) => {
                let _ = self.editor.add_history_entry(line.as_str());
                ReadResult::Line(line)
            }
            Err(rustyline::error::ReadlineError::Interrupted) => {
                // rustyline has already moved to a new line.
                self.mode.at_line_start();
                match self.pressed.load(Ordering::Relaxed) {
                    0 => ReadResult::Ctrl(3),
                    code => ReadResult::Ctrl(code),
                }
            }
            Err(rustyline::error::ReadlineError::Eof) => ReadResult::Ctrl(4),
            Err(_) => ReadResult::Eof,
        }
    }
}
