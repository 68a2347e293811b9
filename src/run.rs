//! Running programs through the runtime: the library entry points used by the
//! `ferropy` command and by the end-to-end tests.
//!
//! Exit status follows MicroPython's unix port: 0 on success; an uncaught
//! exception prints its traceback and gives 1; `SystemExit(n)` gives `n & 255`,
//! `SystemExit()`/`SystemExit(None)` 0, any other value is printed and gives 1.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use ferropy_bytecode::code::CompiledModule;
use ferropy_frontend::{EmitterKind, InputKind};
use ferropy_runtime::vm::OutputSink;
use ferropy_runtime::{PyErr, Vm, VmConfig};

/// How to set up `sys` and the compiler for a run.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// `sys.path` (empty: `['']`).
    pub path: Vec<String>,
    /// Optimisation level for run-time compilation.
    pub opt_level: u8,
    /// The default emitter (`-X emit=`).
    pub emitter: Option<EmitterKind>,
}

/// Creates a VM with the sinks and `sys` set up as `opts` says.
pub fn new_vm(config: VmConfig, out: OutputSink, mut err: OutputSink, opts: &RunOptions) -> Option<Vm> {
    #[cfg(feature = "std")]
    let config = VmConfig { native: config.native.or_else(crate::native::host_support), ..config };
    let mut vm = match Vm::new(config, out, Box::new(|_: &[u8]| {})) {
        Ok(vm) => vm,
        Err(_) => {
            err(b"MemoryError: can't create the heap\n");
            return None;
        }
    };
    vm.st.err = err;
    vm.st.sys.opt_level = opts.opt_level;
    vm.st.sys.emitter = opts.emitter;
    let path = if opts.path.is_empty() { vec![String::new()] } else { opts.path.clone() };
    if vm.set_argv(&opts.argv).and_then(|_| vm.set_sys_path(&path)).is_err() {
        vm.write_err(b"MemoryError: can't set up sys\n");
        return None;
    }
    Some(vm)
}

/// The exit status for a run's result; prints uncaught exceptions (and
/// non-int `SystemExit` values) as MicroPython does.
pub fn exit_status(vm: &mut Vm, result: Result<(), PyErr>) -> i32 {
    let Err(e) = result else { return 0 };
    let exc = e.exception();
    if vm.is_exception(exc) && vm.type_name(exc) == "SystemExit" {
        let args = vm.get(exc, 2);
        let items = vm.tuple_items(args);
        let code = items.first().copied().unwrap_or(ferropy_runtime::Obj::NONE);
        if code == ferropy_runtime::Obj::NONE {
            return 0;
        }
        if let Some(n) = vm.int_value(code) {
            return (n & 255) as i32;
        }
        let mut text = String::new();
        if vm.print_obj(code, &mut text, false).is_ok() {
            text.push('\n');
            vm.write_err(text.as_bytes());
        }
        return 1;
    }
    vm.print_exception(e);
    1
}

/// Runs a compiled module in a new VM; uncaught exceptions are printed to `err`
/// in MicroPython's format. Returns the process exit status.
pub fn run_compiled(module: &CompiledModule, config: VmConfig, out: OutputSink, err: OutputSink) -> i32 {
    let Some(mut vm) = new_vm(config, out, err, &RunOptions::default()) else { return 1 };
    let r = vm.run_module(module).map(|_| ());
    exit_status(&mut vm, r)
}

/// Compiles and runs source text as `__main__`; output and errors go to the
/// sinks. Returns the exit status (compile errors print MicroPython's
/// SyntaxError traceback).
pub fn run_source(source: &[u8], filename: &str, config: VmConfig, out: OutputSink, err: OutputSink) -> i32 {
    run_source_with(source, filename, config, out, err, &RunOptions::default())
}

/// [`run_source`] with `sys.argv`, `sys.path` and compiler options.
pub fn run_source_with(
    source: &[u8],
    filename: &str,
    config: VmConfig,
    out: OutputSink,
    err: OutputSink,
    opts: &RunOptions,
) -> i32 {
    let Some(mut vm) = new_vm(config, out, err, opts) else { return 1 };
    let r = vm.run_main_source(source, filename, InputKind::File).map(|_| ());
    exit_status(&mut vm, r)
}
