//! Ctrl-C for the command: SIGINT raises `KeyboardInterrupt` in the running
//! program, as in MicroPython's unix port. A plain signal handler sets the
//! flags of one process-wide [`InterruptHandle`], which every VM the command
//! runs code in uses (`Vm::use_interrupt_handle`). No thread watches for the
//! signal: a watcher thread cost 0.25 MB of resident memory (its stack and the
//! malloc arena glibc gives each thread), more than a tenth of the command's.
//!
//! This is one of the modules with `unsafe` code (installing the handler).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use ferropy_runtime::modules::InterruptHandle;
use ferropy_runtime::Vm;

/// The flags SIGINT sets; made (and the handler installed) on first use.
static HANDLE: OnceLock<InterruptHandle> = OnceLock::new();

/// Whether SIGINT interrupts (true while code runs).
static ARMED: AtomicBool = AtomicBool::new(false);

/// Makes SIGINT reach `vm` whenever the command is [`arm`]ed.
pub(crate) fn attach(vm: &mut Vm) {
    vm.use_interrupt_handle(HANDLE.get_or_init(|| {
        install();
        InterruptHandle::new()
    }));
}

/// Lets SIGINT interrupt running code (`true`) or ignores it (`false`: the
/// REPL reads a line; its terminal is in raw mode then anyway).
pub(crate) fn arm(on: bool) {
    ARMED.store(on, Ordering::Relaxed);
}

/// The handler: only atomic loads and stores, which are async-signal-safe.
extern "C" fn on_sigint(_signal: nix::libc::c_int) {
    if ARMED.load(Ordering::Relaxed) {
        if let Some(handle) = HANDLE.get() {
            handle.interrupt();
        }
    }
}

fn install() {
    use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
    // SA_RESTART: a read the signal arrives in is resumed; the program sees the
    // KeyboardInterrupt at its next backward jump or call.
    let action = SigAction::new(SigHandler::Handler(on_sigint), SaFlags::SA_RESTART, SigSet::empty());
    // SAFETY: `on_sigint` is async-signal-safe (atomics only, no allocation or
    // locks), and the action replaced is SIGINT's default (end the process),
    // which nothing in the command relies on.
    let _ = unsafe { sigaction(Signal::SIGINT, &action) };
}
