//! The embedding API: run Python from a Rust program, in the style of `mlua`
//! and `rhai`.
//!
//! * [`Vm::builder`] chooses the heap (growable with a cap, a fixed arena, or
//!   memory the caller provides), the recursion limit, native code, and hard
//!   limits (instruction budget, deadline, importable modules); exceeding one
//!   gives [`Error::Limit`] and leaves the VM usable.
//! * [`Vm::exec`], [`Vm::exec_mpy`], [`Vm::eval`], [`Vm::get`], [`Vm::set`],
//!   [`Vm::call`] run code and move values across, converted by [`IntoPy`] and
//!   [`FromPy`]; [`PyObject`] keeps any object alive.
//! * [`Vm::set_function`], [`Vm::function`], [`Module`] and [`Class`] expose
//!   Rust closures, modules and types to Python; a callback's `Err` or panic
//!   becomes a Python exception.
//! * A Python exception reaches Rust as [`Error::Python`] with its type,
//!   message and traceback ([`PyException`]).
//! * Standard streams go to any `Write`/`Read` ([`Builder::stdout`],
//!   [`SharedBuffer`]); [`Vm::interrupt_handle`] stops a VM from another
//!   thread; [`Vm::memory`] gives current and peak heap use.
//!
//! ```
//! use ferropy::embed::{SharedBuffer, Vm};
//! let out = SharedBuffer::new();
//! let mut vm = Vm::builder().stdout(out.clone()).fuel(1_000_000).build().unwrap();
//! vm.set_function("rust_add", |_, (a, b): (i64, i64)| Ok(a + b)).unwrap();
//! vm.exec("print(rust_add(40, 2))").unwrap();
//! assert_eq!(out.text(), "42\n");
//! ```

mod builder;
mod class;
mod convert;
mod ctx;
mod error;
mod host_fn;
mod io;
mod object;
mod state;
mod vm;

pub use builder::Builder;
pub use class::Class;
pub use convert::{Bytes, FromArgs, FromPy, IntoArgs, IntoPy, Value, Variadic, MAX_VALUE_DEPTH};
pub use ctx::{Ctx, EMBED_FILENAME};
pub use error::{Error, Limit, PyException, Result};
/// A handle that interrupts a running VM from any thread (see
/// [`Vm::interrupt_handle`]); `Send + Sync + Clone`.
///
/// ```
/// use ferropy::embed::{InterruptHandle, Limit, Vm};
/// let mut vm = Vm::new().unwrap();
/// let h: InterruptHandle = vm.interrupt_handle();
/// std::thread::spawn(move || h.interrupt()).join().unwrap();
/// // Delivered at the next call.
/// assert_eq!(vm.exec("x = 1").unwrap_err().limit(), Some(Limit::Interrupted));
/// assert!(vm.exec("x = 1").is_ok());
/// ```
pub use ferropy_runtime::modules::InterruptHandle;
pub use host_fn::Module;
pub use io::SharedBuffer;
pub use object::PyObject;
pub use vm::{MemoryStats, Vm};
