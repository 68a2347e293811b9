//! [`Vm`]: an embedded Python VM owned by Rust code.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ferropy_runtime::gc::stack_scan::with_stack_top;
use ferropy_runtime::modules::InterruptHandle;
use ferropy_runtime::Vm as RawVm;

use super::builder::Builder;
use super::convert::{FromArgs, FromPy, IntoArgs, IntoPy};
use super::ctx::Ctx;
use super::error::Result;
use super::host_fn::Module;
use super::object::PyObject;
use super::state::EmbedState;

/// Heap use of one VM, exact to the collector's 16-byte block.
///
/// ```
/// let vm = ferropy::embed::Vm::builder().arena(32 * 1024).build().unwrap();
/// let m = vm.memory();
/// assert!(m.used_bytes > 0 && m.used_bytes % 16 == 0 && m.used_bytes <= m.heap_bytes);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryStats {
    /// Bytes in live allocations now (garbage not yet collected included).
    pub used_bytes: usize,
    /// The most bytes in live allocations at once since creation or
    /// [`Vm::reset_peak_memory`].
    pub peak_bytes: usize,
    /// The heap's current size.
    pub heap_bytes: usize,
    /// The most the heap may grow to.
    pub limit_bytes: usize,
    /// Collections run so far.
    pub collections: u64,
}

/// A Python VM embedded in a Rust program.
///
/// Each VM is isolated (its own heap, modules and globals; no global state),
/// is `Send` (move it to another thread between calls), and many can run at
/// once on different threads. Code runs in the globals of `__main__`.
///
/// ```
/// use ferropy::embed::Vm;
/// let mut vm = Vm::new().unwrap();
/// vm.exec("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)").unwrap();
/// assert_eq!(vm.call::<_, i64>("fib", 20).unwrap(), 6765);
/// ```
pub struct Vm {
    raw: RawVm,
    fuel: Option<u64>,
    timeout: Option<Duration>,
    deadline: Arc<AtomicU64>,
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm").field("memory", &self.memory()).finish()
    }
}

impl Vm {
    /// A [`Builder`] to choose the heap, limits and streams.
    ///
    /// ```
    /// let vm = ferropy::embed::Vm::builder().fuel(1_000_000).build().unwrap();
    /// # drop(vm);
    /// ```
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// A VM with the default setup ([`Builder::new`]).
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// assert_eq!(vm.eval::<i64>("1 + 1").unwrap(), 2);
    /// ```
    pub fn new() -> Result<Vm> {
        Builder::new().build()
    }

    pub(crate) fn from_parts(raw: RawVm, fuel: Option<u64>, timeout: Option<Duration>, deadline: Arc<AtomicU64>) -> Vm {
        Vm { raw, fuel, timeout, deadline }
    }

    /// Runs `f` with a [`Ctx`] as one call from Rust: limits start afresh,
    /// the native stack is scanned for objects `f` holds, and temporary
    /// objects are released at the end.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let n = vm.with(|cx| {
    ///     cx.exec("x = 20")?;
    ///     cx.eval::<i64>("x + 1")
    /// });
    /// assert_eq!(n.unwrap(), 21);
    /// ```
    pub fn with<T>(&mut self, f: impl FnOnce(&mut Ctx<'_>) -> Result<T>) -> Result<T> {
        EmbedState::drain_released(&mut self.raw);
        self.raw.take_tripped_limit();
        self.raw.set_fuel(self.fuel);
        let deadline = self.timeout.map(|t| {
            let us = u64::try_from(t.as_micros()).unwrap_or(u64::MAX);
            self.raw.ticks_us().saturating_add(us)
        });
        self.raw.set_deadline_us(deadline);
        self.deadline.store(deadline.unwrap_or(u64::MAX), Ordering::Relaxed);
        let raw = &mut self.raw;
        with_stack_top(|top| {
            raw.heap.gc.set_stack_top(Some(top));
            let mark = raw.st.temps.len();
            let r = f(&mut Ctx::new(raw));
            raw.st.temps.truncate(mark);
            raw.st.frames.clear();
            raw.heap.gc.set_stack_top(None);
            r
        })
    }

    /// Compiles and runs `source` (a module body) in the `__main__` globals.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.exec("import math\nr = math.sqrt(16)").unwrap();
    /// assert_eq!(vm.get::<f64>("r").unwrap(), 4.0);
    /// ```
    pub fn exec(&mut self, source: &str) -> Result<()> {
        self.with(|cx| cx.exec(source))
    }

    /// Runs a `.mpy` file (MicroPython 6.3 format) in the `__main__` globals.
    /// See [`Ctx::exec_mpy`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let err = vm.exec_mpy(b"not an mpy").unwrap_err();
    /// assert_eq!(err.exception().unwrap().type_name, "ValueError");
    /// ```
    pub fn exec_mpy(&mut self, mpy: &[u8]) -> Result<()> {
        self.with(|cx| cx.exec_mpy(mpy))
    }

    /// Evaluates an expression. See [`Ctx::eval`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// assert_eq!(vm.eval::<Option<i64>>("None").unwrap(), None);
    /// ```
    pub fn eval<T: FromPy>(&mut self, expr: &str) -> Result<T> {
        self.with(|cx| cx.eval(expr))
    }

    /// Reads a global. See [`Ctx::get`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// assert!(vm.get::<i64>("missing").is_err());
    /// ```
    pub fn get<T: FromPy>(&mut self, name: &str) -> Result<T> {
        self.with(|cx| cx.get(name))
    }

    /// Sets a global. See [`Ctx::set`].
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.set("d", HashMap::from([("a".to_string(), 1)])).unwrap();
    /// assert_eq!(vm.eval::<i64>("d['a']").unwrap(), 1);
    /// ```
    pub fn set<T: IntoPy>(&mut self, name: &str, value: T) -> Result<()> {
        self.with(|cx| cx.set(name, value))
    }

    /// Calls a global callable. See [`Ctx::call`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// assert_eq!(vm.call::<_, i64>("abs", -3).unwrap(), 3);
    /// ```
    pub fn call<A: IntoArgs, R: FromPy>(&mut self, name: &str, args: A) -> Result<R> {
        self.with(|cx| cx.call(name, args))
    }

    /// Calls the object behind a handle. See [`Ctx::call_object`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let f = vm.eval::<ferropy::embed::PyObject>("max").unwrap();
    /// assert_eq!(vm.call_object::<_, i64>(&f, (3, 9, 4)).unwrap(), 9);
    /// ```
    pub fn call_object<A: IntoArgs, R: FromPy>(&mut self, f: &PyObject, args: A) -> Result<R> {
        self.with(|cx| cx.call_object(f, args))
    }

    /// Converts a value and keeps it. See [`Ctx::to_object`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let h = vm.to_object((1, 2)).unwrap();
    /// assert_eq!(vm.call::<_, i64>("len", &h).unwrap(), 2);
    /// ```
    pub fn to_object<T: IntoPy>(&mut self, value: T) -> Result<PyObject> {
        self.with(|cx| cx.to_object(value))
    }

    /// Reads the object behind a handle. See [`Ctx::from_object`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let h = vm.eval::<ferropy::embed::PyObject>("[1, 2]").unwrap();
    /// assert_eq!(vm.from_object::<Vec<u8>>(&h).unwrap(), vec![1, 2]);
    /// ```
    pub fn from_object<T: FromPy>(&mut self, obj: &PyObject) -> Result<T> {
        self.with(|cx| cx.from_object(obj))
    }

    /// A Python function running a Rust closure. See [`Ctx::function`].
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let f = vm.function("twice", |_, s: String| Ok(s.repeat(2))).unwrap();
    /// vm.set("twice", &f).unwrap();
    /// assert_eq!(vm.eval::<String>("twice('ab')").unwrap(), "abab");
    /// ```
    pub fn function<F, A, R>(&mut self, name: &str, f: F) -> Result<PyObject>
    where
        F: Fn(&mut Ctx<'_>, A) -> Result<R> + Send + Sync + 'static,
        A: FromArgs,
        R: IntoPy,
    {
        self.with(|cx| cx.function(name, f))
    }

    /// Sets a global to a Python function running a Rust closure. See [`Ctx::set_function`].
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// let calls = Arc::new(AtomicUsize::new(0));
    /// let seen = calls.clone();
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.set_function("tick", move |_, ()| Ok(seen.fetch_add(1, Ordering::Relaxed))).unwrap();
    /// vm.exec("for _ in range(5): tick()").unwrap();
    /// assert_eq!(calls.load(Ordering::Relaxed), 5);
    /// ```
    pub fn set_function<F, A, R>(&mut self, name: &str, f: F) -> Result<()>
    where
        F: Fn(&mut Ctx<'_>, A) -> Result<R> + Send + Sync + 'static,
        A: FromArgs,
        R: IntoPy,
    {
        self.with(|cx| cx.set_function(name, f))
    }

    /// Makes a Rust-defined module importable. See [`Ctx::add_module`].
    ///
    /// ```
    /// use ferropy::embed::{Module, Vm};
    /// let mut vm = Vm::builder().allow_imports(Vec::<String>::new()).build().unwrap();
    /// vm.add_module(Module::new("app").constant("NAME", "demo")).unwrap();
    /// assert_eq!(vm.eval::<String>("__import__('app').NAME").unwrap(), "demo");
    /// ```
    pub fn add_module(&mut self, module: Module) -> Result<()> {
        self.with(|cx| cx.add_module(module))
    }

    /// A handle that interrupts this VM from any thread: the running code gets
    /// `KeyboardInterrupt` at its next backward jump or call, and the host
    /// gets [`Limit::Interrupted`](super::Limit::Interrupted) unless Python catches it.
    /// An interrupt requested while no code runs is delivered at the next call.
    ///
    /// ```
    /// use ferropy::embed::{Limit, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// let handle = vm.interrupt_handle();
    /// let t = std::thread::spawn(move || {
    ///     std::thread::sleep(std::time::Duration::from_millis(20));
    ///     handle.interrupt();
    /// });
    /// assert_eq!(vm.exec("while True: pass").unwrap_err().limit(), Some(Limit::Interrupted));
    /// t.join().unwrap();
    /// ```
    pub fn interrupt_handle(&self) -> InterruptHandle {
        self.raw.interrupt_handle()
    }

    /// Heap use now and at its peak.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// let before = vm.memory().used_bytes;
    /// vm.exec("x = [0] * 1000").unwrap();
    /// let m = vm.memory();
    /// assert!(m.used_bytes >= before + 4000 && m.peak_bytes >= m.used_bytes);
    /// ```
    pub fn memory(&self) -> MemoryStats {
        let s = self.raw.heap.gc.stats();
        MemoryStats {
            used_bytes: s.used_bytes,
            peak_bytes: s.peak_bytes,
            heap_bytes: s.total_bytes,
            limit_bytes: s.limit_bytes,
            collections: s.collections,
        }
    }

    /// Starts peak tracking again from the current use.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.exec("x = [0] * 1000\nx = None").unwrap();
    /// vm.collect();
    /// vm.reset_peak_memory();
    /// assert_eq!(vm.memory().peak_bytes, vm.memory().used_bytes);
    /// ```
    pub fn reset_peak_memory(&mut self) {
        self.raw.heap.gc.reset_peak();
    }

    /// Runs a garbage collection now.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.exec("x = [[i] for i in range(100)]\nx = None").unwrap();
    /// let before = vm.memory().used_bytes;
    /// vm.collect();
    /// assert!(vm.memory().used_bytes < before);
    /// ```
    pub fn collect(&mut self) {
        self.raw.collect();
    }

    /// The underlying runtime VM, for what this API does not cover.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// assert!(vm.raw().st.frames.is_empty());
    /// ```
    pub fn raw(&mut self) -> &mut RawVm {
        &mut self.raw
    }
}
