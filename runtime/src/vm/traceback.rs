//! Running code from the outside: compile-and-run entry points and printing
//! uncaught exceptions in MicroPython's format.

use alloc::string::String;

use ferropy_bytecode::code::CompiledModule;

use crate::error::{PyErr, PyResult};
use crate::gc::stack_scan::with_stack_top;
use crate::obj::Obj;
use crate::vm::dispatch::Outcome;
use crate::vm::Vm;

impl Vm {
    /// Runs a compiled module as `__main__` (globals = a fresh dict).
    pub fn run_module(&mut self, module: &CompiledModule) -> PyResult<Obj> {
        with_stack_top(|top| {
            self.heap.gc.set_stack_top(Some(top));
            let r = self.run_module_inner(module);
            self.heap.gc.set_stack_top(None);
            r
        })
    }

    fn run_module_inner(&mut self, module: &CompiledModule) -> PyResult<Obj> {
        let code = self.load_module(module)?;
        let globals = crate::types::dict::new_dict(self, 0)?;
        self.root(globals);
        let name_k = self.qstr_obj("__name__")?;
        let main = self.qstr_obj("__main__")?;
        self.dict_store(globals, name_k, main)?;
        let m = self.new_module("__main__", globals)?;
        self.dict_store(self.st.modules, main, m)?;
        self.st.temps.clear();
        self.push_code_frame(code, Obj::NULL, globals, globals)?;
        let base = self.st.frames.len() - 1;
        let r = self.run_frames(base, None);
        self.st.frames.truncate(base);
        match r? {
            Outcome::Return(v) | Outcome::Yield(v) => Ok(v),
        }
    }

    /// The text MicroPython prints for an uncaught exception.
    pub fn exception_text(&mut self, err: PyErr) -> String {
        self.format_exception(err.0)
    }

    /// Prints an uncaught exception to the error sink.
    pub fn print_exception(&mut self, err: PyErr) {
        let text = self.exception_text(err);
        self.write_err(text.as_bytes());
    }
}
