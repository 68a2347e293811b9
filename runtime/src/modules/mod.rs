//! Built-in modules and the import system.
//!
//! * A static registry ([`MODULES`]) of built-in modules: each entry has a name,
//!   a table of native functions and an init function that fills the module's
//!   globals (constants, types). Module objects are created on first import and
//!   cached per VM (not in `sys.modules`, as in MicroPython).
//! * Native module functions are static objects with ids from [`FN_BASE`]:
//!   `FN_BASE + module_index * 256 + function_index`.
//! * Everything the runtime needs from the outside world (files for `import`
//!   and `open`, clocks, standard input) goes through the [`Host`] trait; the
//!   `std` build provides [`StdHost`]. Compiling source at run time (`import` of
//!   `.py` files, `exec`/`eval`/`compile`) uses `ferropy-frontend` directly: the
//!   runtime depends on the frontend crate (no_std + alloc, like the runtime).
//! * Interrupts: [`InterruptHandle`] is an atomic flag another thread (or a
//!   signal handler) sets; the VM checks it on backward jumps and calls and
//!   raises `KeyboardInterrupt`.

pub mod array;
pub mod binascii;
pub mod cmath;
pub mod collections;
pub mod deflate;
pub mod deque;
pub mod digest;
pub mod errno;
pub mod exec;
pub mod files;
pub mod fmath;
pub mod framebuf;
pub mod frozen;
pub mod gc;
pub mod hashlib;
pub mod heapq;
pub mod host;
pub mod import;
pub mod io;
pub mod json;
pub mod machine;
pub mod math;
pub mod micropython;
pub mod net;
pub mod os;
pub mod random;
pub mod re;
pub mod select;
pub mod socket;
#[cfg(all(feature = "std", unix))]
pub mod std_net;
pub mod struct_;
pub mod sys;
pub mod time;
pub mod uctypes;
pub mod vfs;
pub mod vfsfat;
pub mod vfsmod;
pub mod vfsobj;

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, Ordering};

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::NativeFn;
use crate::vm::Vm;

#[cfg(feature = "std")]
pub use host::StdHost;
pub use host::{Host, NoHost, PathKind};

/// First static-object id of native module functions (below `builtins::METHOD_ID_BASE`).
pub const FN_BASE: u32 = 0x8000;

/// Fills a new module's globals dict.
pub type InitFn = fn(&mut Vm, Obj) -> PyResult<()>;

/// A built-in module.
pub struct ModuleDef {
    /// The import name.
    pub name: &'static str,
    /// Native functions, bound in the globals under their names.
    pub functions: &'static [(&'static str, NativeFn)],
    /// Extra initialisation (constants, types).
    pub init: InitFn,
}

fn no_init(_vm: &mut Vm, _g: Obj) -> PyResult<()> {
    Ok(())
}

/// The built-in modules.
pub static MODULES: &[ModuleDef] = &[
    // --- system modules (imports + system branch) ---
    ModuleDef { name: "sys", functions: sys::FUNCTIONS, init: sys::init },
    ModuleDef { name: "gc", functions: gc::FUNCTIONS, init: no_init },
    ModuleDef { name: "micropython", functions: micropython::FUNCTIONS, init: no_init },
    ModuleDef { name: "errno", functions: &[], init: errno::init },
    ModuleDef { name: "time", functions: time::FUNCTIONS, init: no_init },
    ModuleDef { name: "io", functions: &[], init: io::init },
    ModuleDef { name: "builtins", functions: &[], init: no_init },
    // --- number modules (numbers branch) ---
    ModuleDef { name: "math", functions: &math::FUNCTIONS, init: math::init },
    ModuleDef { name: "cmath", functions: &cmath::FUNCTIONS, init: cmath::init },
];

/// Builds a module object itself (modules whose globals include types and other objects).
pub type ConstructFn = fn(&mut Vm) -> PyResult<Obj>;

/// Built-in modules that construct their own module object (containers branch).
pub static CONSTRUCTED_MODULES: [(&str, ConstructFn); 17] = [
    ("array", array::init),
    ("collections", collections::init),
    ("struct", struct_::init),
    ("os", os::init),
    ("vfs", vfsmod::init),
    ("json", json::init),
    ("binascii", binascii::init),
    ("deflate", deflate::init),
    ("hashlib", hashlib::init),
    ("heapq", heapq::init),
    ("random", random::init),
    ("re", re::init),
    ("select", select::init),
    ("socket", socket::init),
    ("machine", machine::init),
    ("uctypes", uctypes::init),
    ("framebuf", framebuf::init),
];

/// A module named `name` whose globals hold the methods of built-in type
/// `funcs` (a table of plain functions) and the `extra` (name, value) pairs.
pub fn make_module(vm: &mut Vm, name: &str, funcs: u32, extra: &[(&str, Obj)]) -> PyResult<Obj> {
    let g = crate::types::dict::new_dict(vm, 0)?;
    vm.root(g);
    let k = vm.qstr_obj("__name__")?;
    let n = vm.qstr_obj(name)?;
    vm.dict_store(g, k, n)?;
    if let Some(d) = crate::types::desc(funcs) {
        for (i, m) in d.methods.iter().enumerate() {
            let k = vm.qstr_obj(m.name)?;
            vm.dict_store(g, k, Vm::builtin_method_obj(funcs, i))?;
        }
    }
    for (name, v) in extra {
        let k = vm.qstr_obj(name)?;
        vm.dict_store(g, k, *v)?;
    }
    let m = vm.new_module(name, g)?;
    Ok(vm.root(m))
}

/// Calls native module function `id` (a static-object id in `FN_BASE..`).
pub fn call(vm: &mut Vm, id: u32, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let rel = id.wrapping_sub(FN_BASE);
    let (m, f) = ((rel >> 8) as usize, (rel & 0xff) as usize);
    match MODULES.get(m).and_then(|d| d.functions.get(f)) {
        Some((_, fun)) => fun(vm, args, kw),
        None => Err(vm.type_error("bad built-in function")),
    }
}

/// The static object of native function `function` of module `module`.
pub fn function_obj(module: &str, function: &str) -> Option<Obj> {
    let m = MODULES.iter().position(|d| d.name == module)?;
    let f = MODULES[m].functions.iter().position(|(n, _)| *n == function)?;
    Obj::static_object(FN_BASE + ((m as u32) << 8) + f as u32)
}

/// The name of native module function `id`, if it is one.
pub fn function_name(id: u32) -> Option<&'static str> {
    let rel = id.checked_sub(FN_BASE)?;
    MODULES.get((rel >> 8) as usize)?.functions.get((rel & 0xff) as usize).map(|(n, _)| *n)
}

/// Per-VM state of the system modules (part of the VM's root set).
pub struct SystemState {
    /// Files, clocks and standard input.
    pub host: Box<dyn Host>,
    /// Set when the running code must look up (an interrupt request, or
    /// `micropython.schedule` callbacks waiting); checked on backward jumps and calls.
    pub interrupt: Arc<crate::native::Attention>,
    /// Set by [`InterruptHandle::interrupt`]; cleared when KeyboardInterrupt is raised.
    pub kbd: Arc<AtomicBool>,
    /// Set by [`InterruptHandle::out_of_memory`]; cleared when MemoryError is raised.
    pub memory_low: Arc<AtomicBool>,
    /// Callbacks `micropython.schedule` queued: (function, argument).
    pub scheduled: alloc::vec::Vec<(Obj, Obj)>,
    /// `micropython.schedule(micropython.kbd_intr, None)` is waiting: the
    /// next run of the scheduler makes a KeyboardInterrupt pending (one,
    /// however often it was scheduled).
    pub kbd_scheduled: bool,
    /// Open files: descriptor numbers, files written since their last flush,
    /// data of files finalised before being written ([`files::OpenFiles`]).
    pub files: files::OpenFiles,
    /// True while scheduled callbacks run (they do not nest).
    pub in_scheduler: bool,
    /// Built-in module objects created so far (dict name -> module), NULL before the first.
    pub loaded: Obj,
    /// Optimisation level used by run-time compilation (`micropython.opt_level`).
    pub opt_level: u8,
    /// The default emitter for run-time compilation (`None`: bytecode).
    pub emitter: Option<ferropy_frontend::EmitterKind>,
    /// Frozen modules (`.frozen/` paths), from [`crate::vm::VmConfig::frozen`].
    pub frozen: crate::vm::FrozenModules,
    /// Modules `import` may load (`None`: any). A name is allowed when it or
    /// one of its parent packages is listed; others raise ImportError.
    pub import_allow: Option<alloc::vec::Vec<alloc::string::String>>,
    /// `sys.platform`, from [`crate::vm::VmConfig::platform`].
    pub platform: &'static str,
    /// The mount table and current directory (`os`, `vfs`, `open`, `import`).
    pub vfs: vfs::VfsState,
    /// The `random` module's generator state (seeded on first use).
    pub random: Option<[u32; 4]>,
    /// Compiled regular expressions, most recently used last.
    pub re_cache: alloc::vec::Vec<re::CacheEntry>,
    /// The board behind `machine` (`None`: the default board, made on first use).
    pub hal: Option<Box<dyn machine::Hal>>,
    /// Standard input read from the host but not yet consumed (`sys.stdin.read(n)`).
    pub stdin_buf: alloc::vec::Vec<u8>,
    /// Codec states of `deflate.DeflateIO` objects (indexed by the slot each holds; freed on close).
    pub deflate: alloc::vec::Vec<Option<Box<deflate::Codec>>>,
}

impl SystemState {
    /// The state of a new VM: the std host with `std` (else no files), no modules yet.
    pub fn new() -> SystemState {
        #[cfg(feature = "std")]
        let host: Box<dyn Host> = Box::new(StdHost::new());
        #[cfg(not(feature = "std"))]
        let host: Box<dyn Host> = Box::new(NoHost);
        SystemState {
            host,
            interrupt: Arc::new(crate::native::Attention::new(false)),
            kbd: Arc::new(AtomicBool::new(false)),
            memory_low: Arc::new(AtomicBool::new(false)),
            scheduled: alloc::vec::Vec::new(),
            kbd_scheduled: false,
            files: files::OpenFiles::default(),
            in_scheduler: false,
            loaded: Obj::NULL,
            opt_level: 0,
            emitter: None,
            frozen: &[],
            import_allow: None,
            platform: "linux",
            vfs: vfs::VfsState::new(),
            random: None,
            re_cache: alloc::vec::Vec::new(),
            hal: None,
            stdin_buf: alloc::vec::Vec::new(),
            deflate: alloc::vec::Vec::new(),
        }
    }

    /// Visits the objects this state keeps alive.
    pub fn trace(&self, visit: &mut dyn FnMut(Obj)) {
        visit(self.loaded);
        for e in &self.re_cache {
            visit(e.0);
        }
        for &(f, a) in &self.scheduled {
            visit(f);
            visit(a);
        }
        self.vfs.trace(visit);
    }
}

impl Default for SystemState {
    fn default() -> SystemState {
        SystemState::new()
    }
}

/// A handle that interrupts a running VM (raises `KeyboardInterrupt` in it at the
/// next backward jump or call). `Send + Sync + Clone`: give it to another thread
/// or a signal handler.
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    attention: Arc<crate::native::Attention>,
    kbd: Arc<AtomicBool>,
    memory: Arc<AtomicBool>,
}

impl InterruptHandle {
    /// Flags of their own, for [`Vm::use_interrupt_handle`]: a host that
    /// raises interrupts from a signal handler makes one handle and gives it
    /// to every VM it creates, so the handler never sees a handle change.
    pub fn new() -> InterruptHandle {
        InterruptHandle {
            attention: Arc::new(crate::native::Attention::new(false)),
            kbd: Arc::new(AtomicBool::new(false)),
            memory: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Requests a `KeyboardInterrupt`.
    pub fn interrupt(&self) {
        self.kbd.store(true, Ordering::Relaxed);
        self.attention.store(true, Ordering::Release);
    }

    /// Requests a `MemoryError` (after a collection): for a host whose own
    /// allocator ran short and served the request from a reserve, as the
    /// Cortex-M port does, so the program gets an exception instead of the
    /// allocator failing. Does not allocate (callable from an allocator).
    pub fn out_of_memory(&self) {
        self.memory.store(true, Ordering::Relaxed);
        self.attention.store(true, Ordering::Release);
    }
}

impl Default for InterruptHandle {
    fn default() -> Self {
        Self::new()
    }
}

impl Vm {
    /// Makes this VM take its interrupts from `handle` (instead of the flags
    /// it was created with); a request made before is dropped. Call it
    /// between runs, not from code the VM is running.
    pub fn use_interrupt_handle(&mut self, handle: &InterruptHandle) {
        handle.kbd.store(false, Ordering::Relaxed);
        handle.memory.store(false, Ordering::Relaxed);
        self.st.sys.interrupt = handle.attention.clone();
        self.st.sys.kbd = handle.kbd.clone();
        self.st.sys.memory_low = handle.memory.clone();
    }

    /// A handle other threads can use to raise `KeyboardInterrupt` in this VM.
    pub fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            attention: self.st.sys.interrupt.clone(),
            kbd: self.st.sys.kbd.clone(),
            memory: self.st.sys.memory_low.clone(),
        }
    }

    /// Installs the host services (files, clocks, stdin).
    pub fn set_host(&mut self, host: Box<dyn Host>) {
        self.st.sys.host = host;
    }

    /// Runs callbacks queued by `micropython.schedule` and raises
    /// `KeyboardInterrupt` if an interrupt was requested (checked on backward
    /// jumps and calls).
    #[inline]
    pub fn check_interrupt(&mut self) -> PyResult<()> {
        if self.st.sys.interrupt.load(Ordering::Relaxed) {
            return self.attend();
        }
        Ok(())
    }

    #[cold]
    fn attend(&mut self) -> PyResult<()> {
        self.st.sys.interrupt.store(false, Ordering::Relaxed);
        if self.st.sys.kbd.swap(false, Ordering::Acquire) {
            let e = self.new_exception(crate::types::ids::KEYBOARD_INTERRUPT, &[])?;
            return Err(crate::error::PyErr(e));
        }
        if self.st.sys.memory_low.swap(false, Ordering::Acquire) {
            // Code nothing refers to any more gives its memory back first.
            self.heap.collect(&mut self.st);
            if self.st.sys.host.memory_low() {
                return Err(self.memory_error());
            }
        }
        if self.st.sys.in_scheduler {
            return Ok(());
        }
        if core::mem::take(&mut self.st.sys.kbd_scheduled) {
            // As MicroPython's scheduler node: the interrupt is pending from
            // now on and raised at the next check.
            self.st.sys.kbd.store(true, Ordering::Release);
            self.st.sys.interrupt.store(true, Ordering::Relaxed);
        }
        if self.st.sys.scheduled.is_empty() {
            return Ok(());
        }
        let queued = core::mem::take(&mut self.st.sys.scheduled);
        self.st.sys.in_scheduler = true;
        let r = self.with_temps(|vm| {
            for &(f, a) in &queued {
                vm.root(f);
                vm.root(a);
            }
            for (f, a) in queued {
                vm.call(f, &[a], &[])?;
            }
            Ok(())
        });
        self.st.sys.in_scheduler = false;
        if !self.st.sys.scheduled.is_empty() || self.st.sys.kbd_scheduled {
            // Scheduled while running: next time.
            self.st.sys.interrupt.store(true, Ordering::Relaxed);
        }
        r
    }

    /// The built-in module `name`, created on first use; `None` if there is none.
    pub fn builtin_module(&mut self, name: &str) -> PyResult<Option<Obj>> {
        let constructed = CONSTRUCTED_MODULES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f);
        let index = MODULES.iter().position(|m| m.name == name);
        if index.is_none() && constructed.is_none() {
            return Ok(None);
        }
        // Without a network (firmware, sandboxed embedding) there is no `socket`.
        if name == "socket" && self.st.sys.host.net().is_none() {
            return Ok(None);
        }
        if self.st.sys.loaded.is_null() {
            self.st.sys.loaded = crate::types::dict::new_dict(self, 0)?;
        }
        let loaded = self.st.sys.loaded;
        if let Some(m) = self.dict_get_str(loaded, name)? {
            return Ok(Some(m));
        }
        if let Some(construct) = constructed {
            return self.with_temps(|vm| {
                let m = construct(vm)?;
                vm.root(m);
                let k = vm.qstr_obj(name)?;
                let loaded = vm.st.sys.loaded;
                vm.dict_store(loaded, k, m)?;
                Ok(Some(m))
            });
        }
        let Some(index) = index else { return Ok(None) };
        if name == "builtins" {
            let b = self.st.builtins;
            let m = self.new_module("builtins", b)?;
            let k = self.qstr_obj(name)?;
            self.dict_store(loaded, k, m)?;
            return Ok(Some(m));
        }
        self.with_temps(|vm| {
            let g = crate::types::dict::new_dict(vm, 0)?;
            vm.root(g);
            let k = vm.qstr_obj("__name__")?;
            let v = vm.qstr_obj(name)?;
            vm.dict_store(g, k, v)?;
            let def = &MODULES[index];
            for (i, (fname, _)) in def.functions.iter().enumerate() {
                let k = vm.qstr_obj(fname)?;
                let f = Obj::static_object(FN_BASE + ((index as u32) << 8) + i as u32).unwrap_or(Obj::NONE);
                vm.dict_store(g, k, f)?;
            }
            let m = vm.new_module(name, g)?;
            vm.root(m);
            let k = vm.qstr_obj(name)?;
            let loaded = vm.st.sys.loaded;
            vm.dict_store(loaded, k, m)?;
            (def.init)(vm, g)?;
            Ok(Some(m))
        })
    }

    /// True for built-in modules other than `builtins`: their globals are
    /// read-only from Python, as MicroPython's are (in ROM).
    pub fn is_readonly_module(&self, m: Obj) -> bool {
        let loaded = self.st.sys.loaded;
        if loaded.is_null() {
            return false;
        }
        let name = self.get(m, 2);
        let text = self.str_text(name).unwrap_or_default();
        text != "builtins" && text != "__main__" && MODULES.iter().any(|d| d.name == text) && {
            self.dict_entries(loaded).iter().any(|&(_, v)| v == m)
        }
    }

    /// Sets a name in a globals dict.
    pub fn set_global(&mut self, globals: Obj, name: &str, value: Obj) -> PyResult<()> {
        let k = self.qstr_obj(name)?;
        self.dict_store(globals, k, value)
    }

    /// Keyword argument `name` from flat `kw` pairs.
    pub fn kwarg(&self, kw: &[Obj], name: &str) -> Option<Obj> {
        kw.chunks(2).find(|p| p.len() == 2 && self.str_text(p[0]).as_deref() == Some(name)).map(|p| p[1])
    }
}

/// Stores float constant `name = value` in a module's globals.
pub(crate) fn set_float(vm: &mut Vm, globals: Obj, name: &str, value: f64) -> PyResult<()> {
    let k = vm.qstr_obj(name)?;
    let v = vm.new_float(value)?;
    vm.root(v);
    vm.dict_store(globals, k, v)
}

/// Argument `i` as a float (TypeError if missing or not a number).
pub(crate) fn float_arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<f64> {
    let a = crate::builtins::arg(vm, args, i)?;
    vm.expect_float(a)
}
