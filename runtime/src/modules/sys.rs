//! The `sys` module: `argv`, `path`, `modules`, `platform`, `byteorder`,
//! `maxsize`, `version`, `version_info`, `implementation`, `exit`,
//! `print_exception`, `exc_info`, `stdin`/`stdout`/`stderr`.

use alloc::string::String;

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::{ids, NativeFn};
use crate::vm::Vm;

/// Native functions of `sys`.
pub static FUNCTIONS: &[(&str, NativeFn)] =
    &[("exit", exit), ("print_exception", print_exception), ("exc_info", exc_info)];

/// MicroPython version this runtime follows.
pub const VERSION: (i64, i64, i64) = (1, 29, 0);

/// `sys.implementation._mpy`: bytecode `.mpy` version 6, sub-version 3, no native arch.
pub const MPY: i64 = 6 | (3 << 8);

/// Fills `sys`'s globals.
pub fn init(vm: &mut Vm, g: Obj) -> PyResult<()> {
    let argv = vm.new_list(&[])?;
    vm.set_global(g, "argv", argv)?;
    let empty = vm.qstr_obj("")?;
    let path = vm.new_list(&[empty])?;
    vm.set_global(g, "path", path)?;
    let modules = vm.st.modules;
    vm.set_global(g, "modules", modules)?;
    let v = vm.qstr_obj(vm.st.sys.platform)?;
    vm.set_global(g, "platform", v)?;
    let v = vm.qstr_obj("little")?;
    vm.set_global(g, "byteorder", v)?;
    // The largest machine-sized signed value, as MicroPython's MP_SSIZE_MAX
    // (viper's machine words have this width).
    let v = vm.new_int(isize::MAX as i64)?;
    vm.set_global(g, "maxsize", v)?;
    let text = alloc::format!("3.4.0; ferropy {}", env!("CARGO_PKG_VERSION"));
    let v = vm.new_str(&text)?;
    vm.set_global(g, "version", v)?;
    let (a, b, c) = (Obj::from_small_int(3), Obj::from_small_int(4), Obj::from_small_int(0));
    let vi = vm.new_tuple(&[a.unwrap_or(Obj::NONE), b.unwrap_or(Obj::NONE), c.unwrap_or(Obj::NONE)])?;
    vm.set_global(g, "version_info", vi)?;
    let ps1 = vm.new_str(">>> ")?;
    vm.set_global(g, "ps1", ps1)?;
    let ps2 = vm.new_str("... ")?;
    vm.set_global(g, "ps2", ps2)?;
    vm.with_temps(|vm| {
        // An attrtuple, as MicroPython's (a tuple with named fields).
        let n = vm.qstr_obj("micropython")?;
        let ver = [VERSION.0, VERSION.1, VERSION.2].map(|x| Obj::from_small_int(x as i32).unwrap_or(Obj::NONE));
        let ver = vm.new_tuple(&ver)?;
        vm.root(ver);
        let mpy = vm.new_int(MPY)?;
        vm.root(mpy);
        let b = vm.new_str("ferropy")?;
        vm.root(b);
        let imp = vm.new_attrtuple(&["name", "version", "_mpy", "_build"], &[n, ver, mpy, b])?;
        vm.set_global(g, "implementation", imp)
    })?;
    for (name, fd) in [("stdin", 0), ("stdout", 1), ("stderr", 2)] {
        let s = super::io::new_std_stream(vm, fd)?;
        vm.set_global(g, name, s)?;
    }
    Ok(())
}

/// `sys.exit(code=None)`: raises SystemExit.
fn exit(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let e = vm.new_exception(ids::SYSTEM_EXIT, args)?;
    Err(PyErr(e))
}

/// `sys.print_exception(exc, file=sys.stdout)`.
fn print_exception(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let exc = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_exception(exc) {
        return Err(vm.type_error("exception expected"));
    }
    let text = vm.format_exception(exc);
    let file = args.get(1).copied().or_else(|| vm.kwarg(kw, "file"));
    match file {
        Some(f) if f != Obj::NONE => super::io::write_to(vm, f, &text)?,
        _ => vm.write_out(text.as_bytes()),
    }
    Ok(Obj::NONE)
}

/// `sys.exc_info()`: MicroPython's unix port returns `(None, None, None)` outside handlers.
fn exc_info(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let exc = vm
        .st
        .frames
        .iter()
        .rev()
        .flat_map(|f| f.exc.iter().rev())
        .map(|b| b.prev_exc)
        .find(|&e| vm.is_exception(e))
        .unwrap_or(Obj::NONE);
    if exc == Obj::NONE {
        return vm.new_tuple(&[Obj::NONE, Obj::NONE, Obj::NONE]);
    }
    let t = vm.type_of(exc);
    vm.new_tuple(&[t, exc, Obj::NONE])
}

impl Vm {
    /// Sets `sys.argv`.
    pub fn set_argv(&mut self, argv: &[String]) -> PyResult<()> {
        self.set_sys_list("argv", argv)
    }

    /// Sets `sys.path`.
    pub fn set_sys_path(&mut self, path: &[String]) -> PyResult<()> {
        self.set_sys_list("path", path)
    }

    fn set_sys_list(&mut self, name: &str, items: &[String]) -> PyResult<()> {
        let Some(sys) = self.builtin_module("sys")? else { return Ok(()) };
        self.with_temps(|vm| {
            vm.root(sys);
            let l = vm.new_list(&[])?;
            vm.root(l);
            for s in items {
                let o = vm.new_str(s)?;
                vm.list_append(l, o)?;
            }
            let g = vm.get(sys, 1);
            vm.set_global(g, name, l)
        })
    }
}
