//! Compiling at run time: `exec`, `eval`, `compile`, `__repl_print__`, and the
//! helpers `import` and the command use to compile and run source text. The
//! compiler is `ferropy-frontend`, a direct dependency of the runtime.

use alloc::string::String;

use ferropy_frontend::{CompileError, CompileOptions, InputKind};

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::{ids, TypeDesc};
use crate::vm::dispatch::Outcome;
use crate::vm::Vm;

/// Code objects returned by `compile()`: `[type, code index, mode]` (mode 0 =
/// exec, 1 = eval, 2 = single).
pub static CODE_TYPE: TypeDesc = TypeDesc { print: Some(code_print), ..TypeDesc::new("code", ids::OBJECT) };

fn code_print(_vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    out.push_str(&alloc::format!("<code object at 0x{:x}>", o.raw()));
    Ok(())
}

impl Vm {
    /// Turns a compile error into a Python exception with a traceback entry
    /// (`File "name", line N`) as MicroPython reports it (none for
    /// [`CompileError::traceback`] false).
    pub fn compile_error_to_exc(&mut self, e: &CompileError, filename: &str) -> PyErr {
        let kind = e.kind.name();
        let id =
            crate::types::exception::all().find(|(n, _)| *n == kind).map(|(_, id)| id).unwrap_or(ids::SYNTAX_ERROR);
        let err = self.new_error(id, &e.msg);
        // Errors of the compiler name their scope (`in f`), the parser's
        // none; a native emitter's refusals have no entry at all.
        if !e.traceback {
            return err;
        }
        if let (Ok(f), Ok(b)) = (self.intern(filename), self.intern(e.scope.as_deref().unwrap_or(""))) {
            self.add_traceback(err.0, f, e.pos.line, b);
        }
        err
    }

    /// Compiles `source` and loads it; returns the code index of its top level.
    pub fn compile_source(&mut self, source: &[u8], filename: &str, kind: InputKind) -> PyResult<usize> {
        let mut opts = CompileOptions { opt_level: self.st.sys.opt_level, ..CompileOptions::default() };
        if let Some(e) = self.st.sys.emitter {
            opts.emitter = e;
        }
        opts.native = self.st.native.and_then(|n| n.emitters());
        match ferropy_frontend::compile_bytes(source, filename, kind, &opts) {
            // Compiled here: the code kinds are exact, plain native code needs no word slots.
            Ok(module) => self.load_module_as(&module, false),
            Err(e) => Err(self.compile_error_to_exc(&e, filename)),
        }
    }

    /// Loads a `.mpy` file (read and verified before anything runs) as a code unit,
    /// like [`Vm::compile_source`] does for source. Files MicroPython would refuse
    /// are refused with its messages: a bad header or small ints wider than ours,
    /// "incompatible .mpy file"; native code in a VM without native support,
    /// "native code in .mpy unsupported"; native code for another architecture,
    /// "incompatible .mpy arch"; native code from another implementation (not
    /// marked with `native_abi::MPY_ARCH_FLAGS`), a message saying so; anything
    /// malformed, a ValueError saying what is wrong and where.
    pub fn load_mpy(&mut self, bytes: &[u8]) -> PyResult<usize> {
        use ferropy_bytecode::mpy::{arch, read_mpy_file};
        let header_ok = bytes.len() >= 4 && bytes[0] == b'M' && bytes[1] == 6 && u32::from(bytes[3]) <= 31;
        if !header_ok {
            return Err(self.value_error("incompatible .mpy file"));
        }
        match read_mpy_file(bytes) {
            Ok(file) if file.header.arch != arch::NONE => {
                let Some(support) = self.st.native else {
                    return Err(self.value_error("native code in .mpy unsupported"));
                };
                if file.header.arch != support.arch() {
                    return Err(self.value_error("incompatible .mpy arch"));
                }
                if file.header.arch_flags != Some(ferropy_bytecode::native_abi::MPY_ARCH_FLAGS) {
                    return Err(self.value_error(
                        "native code in .mpy from another implementation (recompile the source with ferropy-cross)",
                    ));
                }
                self.load_module_as(&file.module, true)
            }
            Ok(file) => self.load_module_as(&file.module, true),
            Err(e) => {
                let msg = alloc::format!("invalid .mpy file: {e}");
                Err(self.value_error(&msg))
            }
        }
    }

    /// Runs top-level code `code` with the given globals and locals dicts; returns its value.
    pub fn run_code(&mut self, code: usize, globals: Obj, locals: Obj) -> PyResult<Obj> {
        self.check_interrupt()?;
        self.push_code_frame(code, Obj::NULL, globals, locals)?;
        let base = self.st.frames.len() - 1;
        let r = self.run_frames(base, None);
        self.st.frames.truncate(base);
        match r? {
            Outcome::Return(v) | Outcome::Yield(v) => Ok(v),
        }
    }

    fn current_dicts(&self) -> (Obj, Obj) {
        match self.st.frames.last() {
            Some(f) => (f.globals, if f.locals.is_null() { f.globals } else { f.locals }),
            None => (self.st.builtins, self.st.builtins),
        }
    }
}

fn eval_exec(vm: &mut Vm, args: &[Obj], kind: InputKind) -> PyResult<Obj> {
    let src = crate::builtins::arg(vm, args, 0)?;
    let (mut globals, mut locals) = vm.current_dicts();
    if let Some(&g) = args.get(1) {
        if g != Obj::NONE {
            if !vm.is_dict(g) {
                return Err(vm.type_error("globals must be a dict"));
            }
            globals = g;
            locals = g;
        }
    }
    if let Some(&l) = args.get(2) {
        if l != Obj::NONE {
            if !vm.is_dict(l) {
                return Err(vm.type_error("locals must be a dict"));
            }
            locals = l;
        }
    }
    let code = if vm.type_of(src) == crate::types::type_obj(ids::CODE) {
        vm.get_usize(src, 1)
    } else {
        let Some(bytes) = vm.buffer_or_str(src) else {
            return Err(vm.type_error("object with buffer protocol required"));
        };
        vm.compile_source(&bytes, "<string>", kind)?
    };
    vm.with_temps(|vm| {
        vm.root(globals);
        vm.root(locals);
        vm.run_code(code, globals, locals)
    })
}

/// `exec(source_or_code, globals=None, locals=None)`.
pub fn exec(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    eval_exec(vm, args, InputKind::File)?;
    Ok(Obj::NONE)
}

/// `eval(source_or_code, globals=None, locals=None)`.
pub fn eval(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    eval_exec(vm, args, InputKind::Eval)
}

/// `compile(source, filename, mode)`.
pub fn compile(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    if args.len() < 3 {
        return Err(vm.type_error("function missing required positional argument"));
    }
    let Some(src) = vm.buffer_or_str(args[0]) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let filename = vm.expect_str(args[1])?;
    let mode = vm.expect_str(args[2])?;
    let (kind, m) = match mode.as_str() {
        "exec" => (InputKind::File, 0),
        "eval" => (InputKind::Eval, 1),
        "single" => (InputKind::Single, 2),
        _ => return Err(vm.value_error("bad compile mode")),
    };
    let code = vm.compile_source(&src, &filename, kind)?;
    // `[type, code index, mode, the code's owner]` (the owner keeps it loaded).
    let o = vm.alloc(4)?;
    vm.set(o, 0, crate::types::type_obj(ids::CODE));
    vm.set_u32(o, 1, code as u32);
    vm.set_u32(o, 2, m);
    let owner = vm.st.code_owner(code);
    vm.set(o, 3, owner);
    Ok(o)
}

/// `__repl_print__(value)`: what the REPL prints for an expression statement.
pub fn repl_print(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let v = crate::builtins::arg(vm, args, 0)?;
    if v != Obj::NONE {
        let mut out = String::new();
        vm.print_obj(v, &mut out, true)?;
        out.push('\n');
        vm.write_out(out.as_bytes());
    }
    Ok(Obj::NONE)
}

/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`.
pub fn import(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let n = crate::builtins::arg(vm, args, 0)?;
    let name = vm.expect_str(n)?;
    let fromlist = args.get(3).copied().unwrap_or(Obj::NONE);
    let level = match args.get(4) {
        Some(&l) => vm.expect_int(l)?,
        None => 0,
    };
    if level < 0 {
        return Err(vm.value_error(""));
    }
    // Relative imports are resolved against the given globals, when there are some
    // (only checked then, as in MicroPython).
    let globals = match args.get(1) {
        Some(&g) if g != Obj::NONE && level > 0 => {
            if !vm.is_dict(g) {
                return Err(vm.type_error("globals must be a dict"));
            }
            g
        }
        _ => Obj::NULL,
    };
    vm.import_name_from(&name, fromlist, level, globals)
}
