//! [`Ctx`]: the operations on a running VM (run code, read and write globals,
//! call Python), shared by [`crate::embed::Vm`] and by host functions, which
//! get a `Ctx` to reach back into Python.

use ferropy_frontend::InputKind;
use ferropy_runtime::types::{exception, ids};
use ferropy_runtime::vm::LimitKind;
use ferropy_runtime::{Obj, PyErr, PyResult, Vm as RawVm};

use super::convert::{FromPy, IntoArgs, IntoPy};
use super::error::{Error, Limit, PyException, Result};
use super::object::PyObject;
use super::state::{EmbedState, LAST_EXCEPTION_SLOT};

/// The file name tracebacks give to code run from Rust.
///
/// ```
/// let mut vm = ferropy::embed::Vm::new().unwrap();
/// let err = vm.exec("1 / 0").unwrap_err();
/// assert!(err.exception().unwrap().traceback.contains(ferropy::embed::EMBED_FILENAME));
/// ```
pub const EMBED_FILENAME: &str = "<string>";

/// Access to a VM while it runs: the argument of host functions, and what
/// [`crate::embed::Vm`]'s methods use. Objects created through it stay alive
/// until the current call from Rust (or into Rust) returns.
///
/// ```
/// use ferropy::embed::Vm;
/// let mut vm = Vm::new().unwrap();
/// vm.exec("def square(x):\n    return x * x").unwrap();
/// // A host function that calls back into Python.
/// vm.set_function("sum_squares", |cx, n: i64| {
///     let mut total = 0i64;
///     for i in 0..n {
///         total += cx.call::<_, i64>("square", i)?;
///     }
///     Ok(total)
/// })
/// .unwrap();
/// assert_eq!(vm.eval::<i64>("sum_squares(4)").unwrap(), 14);
/// ```
pub struct Ctx<'a> {
    pub(crate) raw: &'a mut RawVm,
}

impl<'a> Ctx<'a> {
    /// Wraps the runtime VM.
    pub(crate) fn new(raw: &'a mut RawVm) -> Ctx<'a> {
        Ctx { raw }
    }

    /// The underlying runtime VM, for what this API does not cover. Objects
    /// (`Obj`) are only valid until the next allocation unless rooted.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.set_function("depth", |cx, ()| Ok(cx.raw().st.frames.len())).unwrap();
    /// assert_eq!(vm.eval::<usize>("depth()").unwrap(), 1);
    /// ```
    pub fn raw(&mut self) -> &mut RawVm {
        self.raw
    }

    /// Runs a runtime operation, turning a Python exception into an [`Error`].
    pub(crate) fn check<T>(&mut self, f: impl FnOnce(&mut RawVm) -> PyResult<T>) -> Result<T> {
        f(self.raw).map_err(|e| self.error_from_py(e))
    }

    /// Describes a Python exception for Rust (and remembers the object, so a
    /// callback handing the error back re-raises the same exception).
    pub(crate) fn error_from_py(&mut self, e: PyErr) -> Error {
        let exc = e.exception();
        if let Some(slot) = self.raw.st.host_roots.get_mut(LAST_EXCEPTION_SLOT) {
            *slot = exc;
        }
        let state = EmbedState::of(self.raw);
        state.exception_serial += 1;
        let serial = state.exception_serial;
        let type_name = if self.raw.is_exception(exc) { self.raw.type_name(exc) } else { "?".into() };
        let mut message = String::new();
        if self.raw.print_obj(exc, &mut message, false).is_err() {
            message.clear();
        }
        let traceback = self.raw.exception_text(e);
        let info = PyException { type_name, message, traceback, serial };
        let limit = match self.raw.tripped_limit() {
            Some(LimitKind::Fuel) => Some(Limit::Fuel),
            Some(LimitKind::Deadline) => Some(Limit::Deadline),
            None => match info.type_name.as_str() {
                "MemoryError" => Some(Limit::Heap),
                "KeyboardInterrupt" => Some(Limit::Interrupted),
                "RuntimeError" if info.message == "maximum recursion depth exceeded" => Some(Limit::Recursion),
                _ => None,
            },
        };
        match limit {
            Some(l) => Error::Limit(l, info),
            None => Error::Python(info),
        }
    }

    /// The Python exception to raise for `err` (given back by a host function).
    pub(crate) fn error_to_py(&mut self, err: Error) -> PyErr {
        let (type_name, message) = match err {
            Error::Python(e) | Error::Limit(_, e) => {
                let latest = EmbedState::of(self.raw).exception_serial == e.serial;
                let exc = self.raw.st.host_roots.get(LAST_EXCEPTION_SLOT).copied().unwrap_or(Obj::NULL);
                if latest && !exc.is_null() {
                    return PyErr(exc);
                }
                (e.type_name, e.message)
            }
            Error::Raise { type_name, message } => (type_name, message),
            Error::Conversion { .. } => ("TypeError".to_string(), err.to_string()),
            Error::Vm(msg) => ("RuntimeError".to_string(), msg),
        };
        match exception::all().find(|(n, _)| *n == type_name) {
            Some((_, id)) => self.raw.new_error(id, &message),
            None => self.raw.new_error(ids::RUNTIME_ERROR, &format!("{type_name}: {message}")),
        }
    }

    fn globals(&mut self) -> Result<Obj> {
        let g = self.check(|raw| raw.main_globals(EMBED_FILENAME))?;
        Ok(self.raw.root(g))
    }

    /// Compiles and runs `source` as a module body in the `__main__` globals.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.set_function("run", |cx, src: String| cx.exec(&src)).unwrap();
    /// vm.exec("run('x = 5')").unwrap();
    /// assert_eq!(vm.get::<i64>("x").unwrap(), 5);
    /// ```
    pub fn exec(&mut self, source: &str) -> Result<()> {
        let g = self.globals()?;
        let code = self.check(|raw| raw.compile_source(source.as_bytes(), EMBED_FILENAME, InputKind::File))?;
        self.check(|raw| raw.run_code(code, g, g)).map(|_| ())
    }

    /// Runs a compiled `.mpy` file (read and verified first) in the `__main__` globals.
    ///
    /// ```
    /// use ferropy::frontend::{compile_bytes, CompileOptions, InputKind};
    /// let module = compile_bytes(b"y = 6 * 7", "y.py", InputKind::File, &CompileOptions::default()).unwrap();
    /// let mut mpy = Vec::new();
    /// ferropy::bytecode::mpy::write_mpy(&module, &mut mpy);
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.exec_mpy(&mpy).unwrap();
    /// assert_eq!(vm.get::<i64>("y").unwrap(), 42);
    /// ```
    pub fn exec_mpy(&mut self, mpy: &[u8]) -> Result<()> {
        let g = self.globals()?;
        let code = self.check(|raw| raw.load_mpy(mpy))?;
        self.check(|raw| raw.run_code(code, g, g)).map(|_| ())
    }

    /// Evaluates an expression in the `__main__` globals.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// assert_eq!(vm.eval::<String>("'ab' * 2").unwrap(), "abab");
    /// ```
    pub fn eval<T: FromPy>(&mut self, expr: &str) -> Result<T> {
        let g = self.globals()?;
        let code = self.check(|raw| raw.compile_source(expr.as_bytes(), EMBED_FILENAME, InputKind::Eval))?;
        let v = self.check(|raw| raw.run_code(code, g, g))?;
        self.raw.root(v);
        T::from_py(self, v)
    }

    fn global_obj(&mut self, name: &str) -> Result<Obj> {
        let g = self.globals()?;
        let builtins = self.raw.st.builtins;
        let found = match self.check(|raw| raw.dict_get_str(g, name))? {
            Some(v) => Some(v),
            None => self.check(|raw| raw.dict_get_str(builtins, name))?,
        };
        match found {
            Some(v) => Ok(self.raw.root(v)),
            None => {
                let e = self.raw.new_error(ids::NAME_ERROR, &format!("name '{name}' isn't defined"));
                Err(self.error_from_py(e))
            }
        }
    }

    /// Reads global `name` of `__main__`, or else the built-in of that name
    /// (NameError if neither exists).
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.exec("t = (1, 'a')").unwrap();
    /// assert_eq!(vm.get::<(i64, String)>("t").unwrap(), (1, "a".to_string()));
    /// ```
    pub fn get<T: FromPy>(&mut self, name: &str) -> Result<T> {
        let v = self.global_obj(name)?;
        T::from_py(self, v)
    }

    /// Sets global `name` of `__main__`.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.set("limit", 10u8).unwrap();
    /// assert_eq!(vm.eval::<i64>("limit + 1").unwrap(), 11);
    /// ```
    pub fn set<T: IntoPy>(&mut self, name: &str, value: T) -> Result<()> {
        let g = self.globals()?;
        let v = value.into_py(self)?;
        self.raw.root(v);
        self.check(|raw| raw.set_global(g, name, v))
    }

    /// Calls the global callable `name` with `args` (a value or a tuple).
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.exec("def add(a, b):\n    return a + b").unwrap();
    /// assert_eq!(vm.call::<_, i64>("add", (2, 3)).unwrap(), 5);
    /// ```
    pub fn call<A: IntoArgs, R: FromPy>(&mut self, name: &str, args: A) -> Result<R> {
        let f = self.global_obj(name)?;
        self.call_obj(f, args)
    }

    /// Calls the object behind `f` with `args`.
    ///
    /// ```
    /// use ferropy::embed::{PyObject, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// let upper: PyObject = vm.eval("lambda s: s.upper()").unwrap();
    /// assert_eq!(vm.call_object::<_, String>(&upper, "abc").unwrap(), "ABC");
    /// ```
    pub fn call_object<A: IntoArgs, R: FromPy>(&mut self, f: &PyObject, args: A) -> Result<R> {
        let f = f.get(self.raw)?;
        self.call_obj(f, args)
    }

    fn call_obj<A: IntoArgs, R: FromPy>(&mut self, f: Obj, args: A) -> Result<R> {
        let args = args.into_args(self)?;
        let r = self.check(|raw| raw.call(f, &args, &[]))?;
        self.raw.root(r);
        R::from_py(self, r)
    }

    /// Converts `value` to a Python object and keeps it with a handle.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let list = vm.to_object(vec![3, 1, 2]).unwrap();
    /// assert_eq!(vm.call::<_, Vec<i64>>("sorted", &list).unwrap(), vec![1, 2, 3]);
    /// ```
    pub fn to_object<T: IntoPy>(&mut self, value: T) -> Result<PyObject> {
        let o = value.into_py(self)?;
        Ok(PyObject::pin(self.raw, o))
    }

    /// Converts the object behind a handle to a Rust value.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let h = vm.to_object("hi").unwrap();
    /// assert_eq!(vm.from_object::<String>(&h).unwrap(), "hi");
    /// ```
    pub fn from_object<T: FromPy>(&mut self, obj: &PyObject) -> Result<T> {
        let o = obj.get(self.raw)?;
        T::from_py(self, o)
    }
}
