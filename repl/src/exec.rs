//! Running one input: compile, run in `__main__`, print what escapes, with
//! Ctrl-C armed on the console while the code runs (MicroPython's
//! `parse_compile_execute`).

use core::sync::atomic::Ordering;

use ferropy_frontend::InputKind;
use ferropy_runtime::{Obj, PyErr, Vm};

use crate::console::Console;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Normally, or with an exception that was printed.
    Done,
    /// `SystemExit` (exit status: its int value & 255, 0 for none, 1 otherwise).
    Exit(i32),
}

/// Runs `source` in `__main__` (as `<stdin>`). With `eof_marks` (the raw
/// REPL) a `\x04` follows the normal output and another the error output.
pub fn execute(vm: &mut Vm, con: &mut dyn Console, source: &[u8], kind: InputKind, eof_marks: bool) -> Outcome {
    let flag = vm.st.sys.interrupt.clone();
    flag.store(false, Ordering::Relaxed);
    con.set_interrupt(Some(vm.interrupt_handle()));
    let result = vm.run_main_source(source, "<stdin>", kind);
    if eof_marks {
        con.write(b"\x04");
    }
    let outcome = match result {
        Ok(_) => Outcome::Done,
        Err(e) => match system_exit_status(vm, e) {
            Some(status) => Outcome::Exit(status),
            None => {
                vm.print_exception(e);
                Outcome::Done
            }
        },
    };
    if eof_marks {
        con.write(b"\x04");
    }
    // Disarmed only now, so the console treats the error text as program output
    // (a terminal stays in its normal mode until here).
    con.set_interrupt(None);
    // A Ctrl-C that arrived after the last check is dropped, not kept for later.
    flag.store(false, Ordering::Relaxed);
    outcome
}

/// The exit status if `e` is a `SystemExit` (a non-int value is printed to
/// the error sink and gives 1, as MicroPython does).
pub fn system_exit_status(vm: &mut Vm, e: PyErr) -> Option<i32> {
    let exc = e.exception();
    if !vm.is_exception(exc) || vm.type_name(exc) != "SystemExit" {
        return None;
    }
    let args = vm.get(exc, 2);
    let code = vm.tuple_items(args).first().copied().unwrap_or(Obj::NONE);
    if code == Obj::NONE {
        return Some(0);
    }
    if let Some(n) = vm.int_value(code) {
        return Some((n & 255) as i32);
    }
    let mut text = alloc::string::String::new();
    if vm.print_obj(code, &mut text, false).is_ok() {
        text.push('\n');
        vm.write_err(text.as_bytes());
    }
    Some(1)
}

/// Prints `KeyboardInterrupt` the way an uncaught one without traceback prints.
pub fn print_keyboard_interrupt(vm: &mut Vm) {
    match vm.new_exception(ferropy_runtime::types::ids::KEYBOARD_INTERRUPT, &[]) {
        Ok(e) => vm.print_exception(PyErr(e)),
        Err(e) => vm.print_exception(e),
    }
}
