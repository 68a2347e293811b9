//! [`Builder`]: how an embedded VM is set up — heap and collector, limits,
//! standard streams, file access, imports, native code.

use std::io::{Read, Write};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use ferropy_runtime::gc::HostGcConfig;
use ferropy_runtime::vm::{FrozenModules, HeapChoice};
use ferropy_runtime::{Heap, Vm as RawVm, VmConfig};

use super::error::{Error, Result};
use super::io::{sink, EmbedHost};
use super::state::EmbedState;
use super::vm::Vm;

/// Default heap: grows from this many bytes...
const DEFAULT_INITIAL_HEAP: usize = 16 * 1024;
/// ... up to this many.
const DEFAULT_MAX_HEAP: usize = 64 * 1024 * 1024;

/// Where the VM's objects live.
#[derive(Debug)]
enum HeapSpec {
    /// A growable heap (the host collector) between two sizes.
    Growable { initial: usize, max: usize },
    /// A fixed arena of this many bytes, allocated by the VM.
    Arena(usize),
    /// A fixed arena in memory the caller provides.
    Static(&'static mut [u32]),
}

/// Sets up a [`Vm`]; start with [`Vm::builder`].
///
/// Limits are per call from Rust: every `exec`, `eval`, `call`, ... starts
/// with the full instruction budget and a fresh deadline. Exceeding a limit
/// gives [`Error::Limit`]; the VM stays usable.
///
/// ```
/// use std::time::Duration;
/// use ferropy::embed::{Limit, Vm};
/// let mut vm = Vm::builder()
///     .max_heap_bytes(256 * 1024)
///     .fuel(100_000)
///     .timeout(Duration::from_secs(1))
///     .recursion_limit(50)
///     .allow_imports(["math"])
///     .build()
///     .unwrap();
/// assert_eq!(vm.exec("while True: pass").unwrap_err().limit(), Some(Limit::Fuel));
/// assert_eq!(vm.eval::<i64>("1 + 1").unwrap(), 2);
/// ```
pub struct Builder {
    heap: HeapSpec,
    recursion_limit: usize,
    native: bool,
    /// Everything applied once the heap exists.
    rest: Rest,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            heap: HeapSpec::Growable { initial: DEFAULT_INITIAL_HEAP, max: DEFAULT_MAX_HEAP },
            recursion_limit: VmConfig::default().recursion_limit,
            native: false,
            rest: Rest {
                fuel: None,
                timeout: None,
                imports: None,
                stdout: None,
                stderr: None,
                stdin: None,
                files: false,
                net: false,
                mounts: Vec::new(),
                hal: None,
                gc_stress: false,
                frozen: &[],
            },
        }
    }
}

impl Builder {
    /// The default setup: a growable heap (16 KiB growing to at most 64 MiB),
    /// no instruction or time limit, every module importable, no file access, no network,
    /// the process's stdout and stderr, an empty stdin, bytecode only.
    ///
    /// ```
    /// let vm = ferropy::embed::Builder::new().build().unwrap();
    /// assert_eq!(vm.memory().limit_bytes, 64 * 1024 * 1024 - 16);
    /// ```
    pub fn new() -> Builder {
        Builder::default()
    }

    /// A growable heap starting at `initial` bytes that never grows past `max`.
    ///
    /// ```
    /// let vm = ferropy::embed::Vm::builder().growable_heap(8 * 1024, 1 << 20).build().unwrap();
    /// assert_eq!(vm.memory().limit_bytes, (1 << 20) - 16);
    /// ```
    pub fn growable_heap(mut self, initial: usize, max: usize) -> Builder {
        self.heap = HeapSpec::Growable { initial, max };
        self
    }

    /// A fixed arena of `bytes`, allocated when the VM is built (as
    /// MicroPython's heap).
    ///
    /// ```
    /// let vm = ferropy::embed::Vm::builder().arena(64 * 1024).build().unwrap();
    /// assert!(vm.memory().heap_bytes <= 64 * 1024);
    /// ```
    pub fn arena(mut self, bytes: usize) -> Builder {
        self.heap = HeapSpec::Arena(bytes);
        self
    }

    /// A fixed arena in memory the caller provides (a `static` buffer on a
    /// board, or leaked memory on a host); nothing else is allocated for objects.
    ///
    /// ```
    /// let region: &'static mut [u32] = Box::leak(vec![0u32; 16 * 1024].into_boxed_slice());
    /// let mut vm = ferropy::embed::Vm::builder().static_arena(region).build().unwrap();
    /// assert_eq!(vm.eval::<i64>("6 * 7").unwrap(), 42);
    /// ```
    pub fn static_arena(mut self, region: &'static mut [u32]) -> Builder {
        self.heap = HeapSpec::Static(region);
        self
    }

    /// Caps the heap: the growable heap's maximum, or the arena's size.
    /// Allocation beyond it raises `MemoryError` in Python ([`Limit::Heap`](super::Limit::Heap) when uncaught).
    ///
    /// ```
    /// use ferropy::embed::{Limit, Vm};
    /// let mut vm = Vm::builder().max_heap_bytes(64 * 1024).build().unwrap();
    /// let err = vm.exec("x = [0] * 100000").unwrap_err();
    /// assert_eq!(err.limit(), Some(Limit::Heap));
    /// ```
    pub fn max_heap_bytes(mut self, bytes: usize) -> Builder {
        match &mut self.heap {
            HeapSpec::Growable { initial, max } => {
                *max = bytes;
                *initial = (*initial).min(bytes);
            }
            HeapSpec::Arena(size) => *size = bytes,
            HeapSpec::Static(_) => {}
        }
        self
    }

    /// Most Python frames alive at once (deeper calls raise `RuntimeError`).
    ///
    /// ```
    /// use ferropy::embed::{Limit, Vm};
    /// let mut vm = Vm::builder().recursion_limit(20).build().unwrap();
    /// let err = vm.exec("def f(n):\n    return f(n + 1)\nf(0)").unwrap_err();
    /// assert_eq!(err.limit(), Some(Limit::Recursion));
    /// ```
    pub fn recursion_limit(mut self, frames: usize) -> Builder {
        self.recursion_limit = frames.max(1);
        self
    }

    /// Allows machine code from the native emitters (`@micropython.native`,
    /// `@micropython.viper`) where this host supports it; off by default (such
    /// functions then raise `NotImplementedError`).
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::builder().allow_native_code(false).build().unwrap();
    /// assert!(vm.exec("@micropython.native\ndef f():\n    return 1\nf()").is_err());
    /// ```
    pub fn allow_native_code(mut self, allow: bool) -> Builder {
        self.native = allow;
        self
    }

    /// The instruction budget of each call from Rust (bytecode instructions;
    /// in native and viper code, each loop iteration counts).
    ///
    /// ```
    /// use ferropy::embed::{Limit, Vm};
    /// let mut vm = Vm::builder().fuel(10_000).build().unwrap();
    /// assert!(vm.exec("for i in range(100): pass").is_ok());
    /// assert_eq!(vm.exec("for i in range(100000): pass").unwrap_err().limit(), Some(Limit::Fuel));
    /// ```
    pub fn fuel(mut self, instructions: u64) -> Builder {
        self.rest.fuel = Some(instructions);
        self
    }

    /// The wall-clock time each call from Rust may take (checked every 1024
    /// instructions; `time.sleep` is cut short at the deadline).
    ///
    /// ```
    /// use std::time::Duration;
    /// use ferropy::embed::{Limit, Vm};
    /// let mut vm = Vm::builder().timeout(Duration::from_millis(20)).build().unwrap();
    /// assert_eq!(vm.exec("while True: pass").unwrap_err().limit(), Some(Limit::Deadline));
    /// ```
    pub fn timeout(mut self, limit: Duration) -> Builder {
        self.rest.timeout = Some(limit);
        self
    }

    /// Only these modules (and their submodules) may be imported, built-in
    /// or not; modules added with [`Vm::add_module`] are always allowed.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::builder().allow_imports(["math"]).build().unwrap();
    /// assert!(vm.exec("import math").is_ok());
    /// let err = vm.exec("import sys").unwrap_err();
    /// assert_eq!(err.exception().unwrap().type_name, "ImportError");
    /// ```
    pub fn allow_imports<I, S>(mut self, modules: I) -> Builder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rest.imports = Some(modules.into_iter().map(Into::into).collect());
        self
    }

    /// Where `print` writes.
    ///
    /// ```
    /// let out = ferropy::embed::SharedBuffer::new();
    /// let mut vm = ferropy::embed::Vm::builder().stdout(out.clone()).build().unwrap();
    /// vm.exec("print(1, 2)").unwrap();
    /// assert_eq!(out.text(), "1 2\n");
    /// ```
    pub fn stdout(mut self, w: impl Write + Send + 'static) -> Builder {
        self.rest.stdout = Some(Box::new(w));
        self
    }

    /// Where error output goes.
    ///
    /// ```
    /// let err = ferropy::embed::SharedBuffer::new();
    /// let mut vm = ferropy::embed::Vm::builder().stderr(err.clone()).build().unwrap();
    /// vm.exec("import sys\nsys.stderr.write('oops')").unwrap();
    /// assert_eq!(err.text(), "oops");
    /// ```
    pub fn stderr(mut self, w: impl Write + Send + 'static) -> Builder {
        self.rest.stderr = Some(Box::new(w));
        self
    }

    /// Where `sys.stdin` reads from (default: nothing, end of input).
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::builder().stdin(&b"Ada\n"[..]).build().unwrap();
    /// assert_eq!(vm.eval::<String>("__import__('sys').stdin.readline()").unwrap(), "Ada\n");
    /// ```
    pub fn stdin(mut self, r: impl Read + Send + 'static) -> Builder {
        self.rest.stdin = Some(Box::new(r));
        self
    }

    /// Lets Python read and write the process's files (`open`, importing
    /// `.py` files from `sys.path`); off by default.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::builder().allow_files(false).build().unwrap();
    /// assert!(vm.exec("open('/etc/hostname')").is_err());
    /// ```
    pub fn allow_files(mut self, allow: bool) -> Builder {
        self.rest.files = allow;
        self
    }

    /// Lets Python use the network: the `socket` module (which does not exist
    /// otherwise) and `select.poll` over operating-system handles; off by
    /// default. Blocking socket calls are not cut short by
    /// [`Builder::timeout`]: give sockets a timeout (`settimeout`) or poll them.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::builder().build().unwrap();
    /// assert!(vm.exec("import socket").is_err());
    /// let mut vm = ferropy::embed::Vm::builder().allow_net(true).build().unwrap();
    /// assert_eq!(vm.eval::<i64>("__import__('socket').AF_INET").unwrap(), 2);
    /// ```
    pub fn allow_net(mut self, allow: bool) -> Builder {
        self.rest.net = allow;
        self
    }

    /// Mounts a file system of the embedder's at `point` (`/` replaces the
    /// process's files as the root; `/name` adds a directory). Python reaches it
    /// with `open`, `os` and `import` whether or not [`Builder::allow_files`] is on.
    ///
    /// ```
    /// use ferropy::runtime::modules::vfs::MemVfs;
    /// let mut vm = ferropy::embed::Vm::builder().mount("/", Box::new(MemVfs::new())).build().unwrap();
    /// vm.exec("open('/a.txt', 'w').write('hi')").unwrap();
    /// assert_eq!(vm.eval::<Vec<String>>("__import__('os').listdir('/')").unwrap(), vec!["a.txt".to_string()]);
    /// ```
    pub fn mount(mut self, point: &str, fs: Box<dyn ferropy_runtime::modules::vfs::Vfs + Send>) -> Builder {
        self.rest.mounts.push((point.to_string(), fs));
        self
    }

    /// The board `machine.Pin` and `machine.UART` drive (default: a simulated
    /// board, [`SimHal`](ferropy_runtime::modules::machine::SimHal)).
    ///
    /// ```
    /// use ferropy::runtime::modules::machine::SimHal;
    /// let (board, handle) = SimHal::new();
    /// let mut vm = ferropy::embed::Vm::builder().hal(Box::new(board)).build().unwrap();
    /// vm.exec("from machine import Pin\nPin(2, Pin.OUT).on()").unwrap();
    /// assert_eq!(handle.output(2), Some(true));
    /// ```
    pub fn hal(mut self, hal: Box<dyn ferropy_runtime::modules::machine::Hal>) -> Builder {
        self.rest.hal = Some(hal);
        self
    }

    /// Collects before every allocation (a testing aid: very slow).
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::builder().gc_stress(true).build().unwrap();
    /// assert_eq!(vm.eval::<Vec<i64>>("[i * i for i in range(4)]").unwrap(), vec![0, 1, 4, 9]);
    /// ```
    pub fn gc_stress(mut self, on: bool) -> Builder {
        self.rest.gc_stress = on;
        self
    }

    /// Modules frozen into the program (see [`crate::frozen`]), importable
    /// without file access.
    ///
    /// ```
    /// let mut vm = ferropy::embed::Vm::builder().frozen(ferropy::FROZEN).build().unwrap();
    /// assert_eq!(vm.eval::<i64>("__import__('functools').reduce(lambda a, b: a * b, [1, 2, 3, 4])").unwrap(), 24);
    /// ```
    pub fn frozen(mut self, modules: FrozenModules) -> Builder {
        self.rest.frozen = modules;
        self
    }

    /// Creates the VM ([`Error::Vm`] if the heap can't be created).
    ///
    /// ```
    /// assert!(ferropy::embed::Vm::builder().arena(1).build().is_err());
    /// ```
    pub fn build(mut self) -> Result<Vm> {
        let spec = std::mem::replace(&mut self.heap, HeapSpec::Arena(0));
        let heap = match spec {
            HeapSpec::Growable { initial, max } => {
                let config = HostGcConfig { initial_bytes: initial, chunk_bytes: 64 * 1024, limit_bytes: max };
                if self.native {
                    HeapChoice::Host(config).build()
                } else {
                    // Without machine code nothing holds raw pointers into the
                    // heap, so it need not reserve address space to never move.
                    Heap::host_unreserved(config)
                }
            }
            HeapSpec::Arena(bytes) => HeapChoice::Arena(bytes).build(),
            HeapSpec::Static(region) => Heap::arena_static(region),
        };
        let (recursion_limit, native) = (self.recursion_limit, self.native);
        finish(heap, recursion_limit, native, self.rest)
    }
}

/// The settings applied once the heap exists.
struct Rest {
    fuel: Option<u64>,
    timeout: Option<Duration>,
    imports: Option<Vec<String>>,
    stdout: Option<Box<dyn Write + Send>>,
    stderr: Option<Box<dyn Write + Send>>,
    stdin: Option<Box<dyn Read + Send>>,
    files: bool,
    net: bool,
    mounts: Vec<(String, Box<dyn ferropy_runtime::modules::vfs::Vfs + Send>)>,
    hal: Option<Box<dyn ferropy_runtime::modules::machine::Hal>>,
    gc_stress: bool,
    frozen: FrozenModules,
}

fn finish(
    heap: std::result::Result<Heap, ferropy_runtime::AllocError>,
    recursion_limit: usize,
    native: bool,
    rest: Rest,
) -> Result<Vm> {
    let heap = heap.map_err(|_| Error::Vm("can't create the heap".into()))?;
    let out = sink(rest.stdout.unwrap_or_else(|| Box::new(std::io::stdout())));
    let err = sink(rest.stderr.unwrap_or_else(|| Box::new(std::io::stderr())));
    let config = VmConfig {
        recursion_limit,
        gc_stress: rest.gc_stress,
        native: if native { crate::native::host_support() } else { None },
        frozen: rest.frozen,
        ..VmConfig::default()
    };
    let mut raw = RawVm::with_heap(heap, config, out, err).map_err(|_| Error::Vm("heap too small".into()))?;
    let deadline = Arc::new(AtomicU64::new(u64::MAX));
    raw.set_host(Box::new(EmbedHost::new(rest.files, rest.net, rest.stdin, deadline.clone())));
    raw.st.sys.import_allow = rest.imports;
    if let Some(hal) = rest.hal {
        raw.set_hal(hal);
    }
    let mounted = !rest.mounts.is_empty();
    for (point, fs) in rest.mounts {
        if point == "/" || point.is_empty() {
            // The embedder's file system replaces the process's files.
            let _ = raw.umount("/");
        }
        raw.mount(&point, fs).map_err(|e| Error::Vm(format!("can't mount {point}: errno {e}")))?;
    }
    EmbedState::install(&mut raw);
    // Without files or frozen modules there is nothing for `sys.path` to
    // find, and leaving it alone spares creating `sys` with every VM.
    if rest.files || mounted || !rest.frozen.is_empty() {
        let path: Vec<String> =
            if rest.files || mounted { vec![String::new(), ".frozen".into()] } else { vec![".frozen".into()] };
        raw.set_sys_path(&path).map_err(|_| Error::Vm("heap too small".into()))?;
    }
    Ok(Vm::from_parts(raw, rest.fuel, rest.timeout, deadline))
}
