//! Rust functions and closures exposed to Python, and Rust-defined modules.
//!
//! A host function's arguments are converted with [`FromArgs`], its result
//! with [`IntoPy`]; an `Err` it returns is raised in Python, and a panic is
//! caught at the boundary and raised as `RuntimeError` (it never unwinds
//! through the VM).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use ferropy_runtime::types::ids;
use ferropy_runtime::vm::HostFn;
use ferropy_runtime::{Obj, PyResult, Vm as RawVm};

use super::convert::{FromArgs, IntoPy};
use super::ctx::Ctx;
use super::error::Result;
use super::object::PyObject;

/// The text of a caught panic's payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs `body` as the implementation of a Python-callable function: refuses
/// keyword arguments, catches panics, turns errors into exceptions.
pub(crate) fn guard(raw: &mut RawVm, kw: &[Obj], body: impl FnOnce(&mut Ctx<'_>) -> Result<Obj>) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(raw.type_error("function doesn't take keyword arguments"));
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut cx = Ctx::new(raw);
        body(&mut cx).map_err(|e| cx.error_to_py(e))
    }));
    match outcome {
        Ok(r) => r,
        Err(payload) => {
            let msg = format!("Rust callback panicked: {}", panic_message(payload.as_ref()));
            Err(raw.new_error(ids::RUNTIME_ERROR, &msg))
        }
    }
}

/// Wraps a typed Rust closure as a runtime host function.
pub(crate) fn wrap<F, A, R>(f: F) -> HostFn
where
    F: Fn(&mut Ctx<'_>, A) -> Result<R> + Send + Sync + 'static,
    A: FromArgs,
    R: IntoPy,
{
    Arc::new(move |raw: &mut RawVm, args: &[Obj], kw: &[Obj]| {
        guard(raw, kw, |cx| {
            let a = A::from_args(cx, args)?;
            let r = f(cx, a)?;
            r.into_py(cx)
        })
    })
}

impl Ctx<'_> {
    /// Creates a Python function named `name` that runs `f`.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let f = vm.function("inc", |_, x: i64| Ok(x + 1)).unwrap();
    /// assert_eq!(vm.call_object::<_, i64>(&f, 1).unwrap(), 2);
    /// ```
    pub fn function<F, A, R>(&mut self, name: &str, f: F) -> Result<PyObject>
    where
        F: Fn(&mut Ctx<'_>, A) -> Result<R> + Send + Sync + 'static,
        A: FromArgs,
        R: IntoPy,
    {
        let o = self.check(|raw| raw.new_host_function(name, wrap(f)))?;
        Ok(PyObject::pin(self.raw, o))
    }

    /// Sets global `name` to a Python function that runs `f`.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.set_function("greet", |_, who: String| Ok(format!("hello {who}"))).unwrap();
    /// assert_eq!(vm.eval::<String>("greet('Ada')").unwrap(), "hello Ada");
    /// ```
    pub fn set_function<F, A, R>(&mut self, name: &str, f: F) -> Result<()>
    where
        F: Fn(&mut Ctx<'_>, A) -> Result<R> + Send + Sync + 'static,
        A: FromArgs,
        R: IntoPy,
    {
        let o = self.check(|raw| raw.new_host_function(name, wrap(f)))?;
        self.raw.root(o);
        let g = self.check(|raw| raw.main_globals(super::ctx::EMBED_FILENAME))?;
        self.check(|raw| raw.set_global(g, name, o))
    }

    /// Makes `module` importable (`import name`); modules registered this
    /// way are always allowed by the import allow-list.
    ///
    /// ```
    /// use ferropy::embed::{Module, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// let m = Module::new("geometry").constant("PI2", 6.283).function("area", |_, (w, h): (f64, f64)| Ok(w * h));
    /// vm.add_module(m).unwrap();
    /// assert_eq!(vm.eval::<f64>("__import__('geometry').area(2.0, 3.0)").unwrap(), 6.0);
    /// ```
    pub fn add_module(&mut self, module: Module) -> Result<()> {
        let Module { name, entries } = module;
        let g = self.check(|raw| ferropy_runtime::types::dict::new_dict(raw, 0))?;
        self.raw.root(g);
        let n = self.check(|raw| raw.qstr_obj(&name))?;
        self.check(|raw| raw.set_global(g, "__name__", n))?;
        for (key, entry) in entries {
            let v = match entry {
                Entry::Function(f) => self.check(|raw| raw.new_host_function(&key, f))?,
                Entry::Value(make) => make(self)?,
            };
            self.raw.root(v);
            self.check(|raw| raw.set_global(g, &key, v))?;
        }
        let m = self.check(|raw| raw.new_module(&name, g))?;
        self.raw.root(m);
        let k = self.check(|raw| raw.qstr_obj(&name))?;
        let modules = self.raw.st.modules;
        self.check(|raw| raw.dict_store(modules, k, m))?;
        if let Some(allow) = self.raw.st.sys.import_allow.as_mut() {
            allow.push(name);
        }
        Ok(())
    }
}

type MakeValue = Box<dyn FnOnce(&mut Ctx<'_>) -> Result<Obj>>;

enum Entry {
    Function(HostFn),
    Value(MakeValue),
}

/// A module defined in Rust: functions and constants, registered with
/// [`Ctx::add_module`] / [`crate::embed::Vm::add_module`].
///
/// ```
/// use ferropy::embed::{Module, Vm};
/// let mut vm = Vm::new().unwrap();
/// vm.add_module(Module::new("host").constant("VERSION", "1.0").function("twice", |_, x: i64| Ok(2 * x))).unwrap();
/// vm.exec("import host\nr = host.twice(21)\nv = host.VERSION").unwrap();
/// assert_eq!(vm.get::<i64>("r").unwrap(), 42);
/// assert_eq!(vm.get::<String>("v").unwrap(), "1.0");
/// ```
pub struct Module {
    name: String,
    entries: Vec<(String, Entry)>,
}

impl Module {
    /// An empty module named `name`.
    ///
    /// ```
    /// let m = ferropy::embed::Module::new("empty");
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.add_module(m).unwrap();
    /// vm.exec("import empty").unwrap();
    /// ```
    pub fn new(name: &str) -> Module {
        Module { name: name.to_string(), entries: Vec::new() }
    }

    /// Adds a function.
    ///
    /// ```
    /// use ferropy::embed::{Module, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// vm.add_module(Module::new("m").function("neg", |_, x: f64| Ok(-x))).unwrap();
    /// assert_eq!(vm.eval::<f64>("__import__('m').neg(1.5)").unwrap(), -1.5);
    /// ```
    pub fn function<F, A, R>(mut self, name: &str, f: F) -> Module
    where
        F: Fn(&mut Ctx<'_>, A) -> Result<R> + Send + Sync + 'static,
        A: FromArgs,
        R: IntoPy,
    {
        self.entries.push((name.to_string(), Entry::Function(wrap(f))));
        self
    }

    /// Adds a constant (converted when the module is registered).
    ///
    /// ```
    /// use ferropy::embed::{Module, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// vm.add_module(Module::new("cfg").constant("SIZES", vec![1, 2])).unwrap();
    /// assert_eq!(vm.eval::<Vec<i64>>("__import__('cfg').SIZES").unwrap(), vec![1, 2]);
    /// ```
    pub fn constant<T: IntoPy + 'static>(mut self, name: &str, value: T) -> Module {
        self.entries.push((name.to_string(), Entry::Value(Box::new(move |cx| value.into_py(cx)))));
        self
    }
}
