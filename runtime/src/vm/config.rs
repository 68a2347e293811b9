//! VM configuration: heap kind and size, limits, GC stress.

use crate::gc::{AllocError, Heap, HostGcConfig};

/// Which collector backs the heap.
#[derive(Clone, Copy, Debug)]
pub enum HeapChoice {
    /// A fixed arena of this many bytes (MicroPython style).
    Arena(usize),
    /// A growable host heap.
    Host(HostGcConfig),
}

impl HeapChoice {
    /// Creates the heap.
    pub fn build(self) -> Result<Heap, AllocError> {
        match self {
            HeapChoice::Arena(bytes) => Heap::arena(bytes),
            HeapChoice::Host(cfg) => Heap::host(cfg),
        }
    }
}

/// Frozen modules compiled into the program: `(path, .mpy bytes)` pairs, the
/// path relative to the virtual `.frozen` entry of `sys.path` as MicroPython
/// names them (`mod.py`, `pkg/__init__.py`, `pkg/sub.py`). Build the table with
/// the `ferropy-freeze` crate (`ferropy::frozen`) from a build script.
pub type FrozenModules = &'static [(&'static str, &'static [u8])];

/// VM settings; build one with [`VmConfig::default`] and adjust the fields.
#[derive(Clone, Copy)]
pub struct VmConfig {
    /// The heap.
    pub heap: HeapChoice,
    /// Maximum number of live Python frames (deeper calls raise
    /// `RuntimeError: maximum recursion depth exceeded`).
    pub recursion_limit: usize,
    /// Maximum nesting of native re-entries into the VM (calls from built-ins
    /// back into Python: `__init__`, generators, class bodies, ...).
    pub native_limit: usize,
    /// Collect before every allocation (testing aid).
    pub gc_stress: bool,
    /// Support for machine code from the native/viper emitters (`None`: such
    /// code is refused with NotImplementedError).
    pub native: Option<&'static dyn crate::native::NativeSupport>,
    /// Frozen modules, imported through the `.frozen` entry of `sys.path`
    /// without touching the host's files (empty by default).
    pub frozen: FrozenModules,
    /// `sys.platform`: `"linux"` by default (as MicroPython's unix port); a
    /// board names itself.
    pub platform: &'static str,
    /// Tier-up: a native function whose code the native support can
    /// optimize (`NativeSupport::can_optimize`) is recompiled after this many
    /// calls, and later calls run the new code (0: never).
    pub tier_up_calls: u32,
}

impl Default for VmConfig {
    fn default() -> VmConfig {
        VmConfig {
            heap: HeapChoice::Arena(1024 * 1024),
            recursion_limit: 10_000,
            native_limit: 48,
            gc_stress: false,
            frozen: &[],
            native: None,
            platform: "linux",
            tier_up_calls: 1000,
        }
    }
}
