//! Running programs through the runtime: the library entry points used by the
//! `ferropy` command and by the end-to-end tests.

use ferropy_bytecode::code::CompiledModule;
use ferropy_frontend::{CompileOptions, InputKind};
use ferropy_runtime::vm::OutputSink;
use ferropy_runtime::{Vm, VmConfig};

/// Runs a compiled module in a new VM; uncaught exceptions are printed to `err`
/// in MicroPython's format. Returns the process exit status (0 or 1).
pub fn run_compiled(module: &CompiledModule, config: VmConfig, out: OutputSink, mut err: OutputSink) -> i32 {
    let mut vm = match Vm::new(config, out, Box::new(|_: &[u8]| {})) {
        Ok(vm) => vm,
        Err(_) => {
            err(b"MemoryError: can't create the heap\n");
            return 1;
        }
    };
    vm.st.err = err;
    match vm.run_module(module) {
        Ok(_) => 0,
        Err(e) => {
            let exc = e.exception();
            if vm.is_exception(exc) && vm.type_name(exc) == "SystemExit" {
                return 0;
            }
            vm.print_exception(e);
            1
        }
    }
}

/// Compiles and runs source text; output and errors go to the sinks. Returns
/// the exit status (compile errors print MicroPython's SyntaxError traceback).
pub fn run_source(source: &[u8], filename: &str, config: VmConfig, mut out: OutputSink, mut err: OutputSink) -> i32 {
    match ferropy_frontend::compile_bytes(source, filename, InputKind::File, &CompileOptions::default()) {
        Ok(module) => run_compiled(&module, config, out, err),
        Err(e) => {
            out(b"");
            let text = format!(
                "Traceback (most recent call last):\n  File \"{filename}\", line {}, column {}\n{e}\n",
                e.pos.line, e.pos.col
            );
            err(text.as_bytes());
            1
        }
    }
}
