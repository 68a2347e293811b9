//! [`PyObject`]: a handle that keeps a Python object alive from Rust.

use std::fmt;

use ferropy_runtime::{Obj, Vm as RawVm};

use super::error::{Error, Result};
use super::state::{EmbedState, ReleaseQueue};

/// A Python object held by Rust: a function to call later, an instance, any
/// value to keep without converting it. The object stays alive (it is a GC
/// root) until the handle is dropped. A handle belongs to the VM it came from;
/// using it with another VM gives [`Error::Vm`]. Handles are `Send`, and may
/// be dropped anywhere (the slot is freed at the VM's next entry).
///
/// ```
/// use ferropy::embed::{PyObject, Vm};
/// let mut vm = Vm::new().unwrap();
/// vm.exec("def double(x):\n    return 2 * x").unwrap();
/// let f: PyObject = vm.get("double").unwrap();
/// assert_eq!(vm.call_object::<_, i64>(&f, 21).unwrap(), 42);
/// ```
pub struct PyObject {
    pub(crate) slot: u32,
    pub(crate) vm_id: u64,
    released: ReleaseQueue,
}

impl PyObject {
    /// Pins `o` in `raw`.
    pub(crate) fn pin(raw: &mut RawVm, o: Obj) -> PyObject {
        let slot = EmbedState::pin(raw, o);
        let state = EmbedState::of(raw);
        PyObject { slot, vm_id: state.vm_id, released: state.released.clone() }
    }

    /// The object, if this handle belongs to `raw`.
    pub(crate) fn get(&self, raw: &mut RawVm) -> Result<Obj> {
        if EmbedState::of(raw).vm_id != self.vm_id {
            return Err(Error::Vm("a PyObject was used with a VM other than its own".into()));
        }
        match raw.st.host_roots.get(self.slot as usize) {
            Some(&o) if !o.is_null() => Ok(o),
            _ => Err(Error::Vm("stale PyObject".into())),
        }
    }
}

impl Drop for PyObject {
    fn drop(&mut self) {
        match self.released.lock() {
            Ok(mut q) => q.push(self.slot),
            Err(poisoned) => poisoned.into_inner().push(self.slot),
        }
    }
}

impl fmt::Debug for PyObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PyObject(vm {}, slot {})", self.vm_id, self.slot)
    }
}
