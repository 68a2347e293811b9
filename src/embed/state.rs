//! The embedding layer's per-VM state, kept in the runtime VM's `ext` slot so
//! host functions (which get only the runtime VM) reach it: pinned-object
//! slots and their release queue, Rust values behind Python objects, and the
//! latest exception handed to Rust.

use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ferropy_runtime::{Obj, Vm as RawVm};

/// Distinguishes VMs, so a handle is never used with another VM.
static NEXT_VM_ID: AtomicU64 = AtomicU64::new(1);

/// The slot of `host_roots` that holds the latest exception handed to Rust.
pub(crate) const LAST_EXCEPTION_SLOT: usize = 0;

/// Slots freed by dropped handles, emptied at the next entry into the VM.
pub(crate) type ReleaseQueue = Arc<Mutex<Vec<u32>>>;

/// See the module documentation.
pub(crate) struct EmbedState {
    pub(crate) vm_id: u64,
    pub(crate) released: ReleaseQueue,
    pub(crate) free_slots: Vec<u32>,
    /// Serial number of the exception in [`LAST_EXCEPTION_SLOT`].
    pub(crate) exception_serial: u64,
    /// Rust values owned by Python objects (see `embed::class`).
    pub(crate) userdata: Vec<Option<Box<dyn Any + Send>>>,
    pub(crate) free_userdata: Vec<usize>,
}

impl EmbedState {
    /// Installs a fresh state in `raw` (slot 0 reserved for the latest exception).
    pub(crate) fn install(raw: &mut RawVm) {
        raw.st.host_roots.clear();
        raw.st.host_roots.push(Obj::NULL);
        let state = EmbedState {
            vm_id: NEXT_VM_ID.fetch_add(1, Ordering::Relaxed),
            released: Arc::new(Mutex::new(Vec::new())),
            free_slots: Vec::new(),
            exception_serial: 0,
            userdata: Vec::new(),
            free_userdata: Vec::new(),
        };
        raw.st.ext = Some(Box::new(state));
    }

    /// The state of `raw` (installed again if something replaced it).
    pub(crate) fn of(raw: &mut RawVm) -> &mut EmbedState {
        if !raw.st.ext.as_ref().is_some_and(|e| e.is::<EmbedState>()) {
            EmbedState::install(raw);
        }
        match raw.st.ext.as_mut().and_then(|e| e.downcast_mut::<EmbedState>()) {
            Some(s) => s,
            None => unreachable_state(),
        }
    }

    /// Frees the slots of handles dropped since the last call.
    pub(crate) fn drain_released(raw: &mut RawVm) {
        let queue = EmbedState::of(raw).released.clone();
        let slots: Vec<u32> = match queue.lock() {
            Ok(mut q) => std::mem::take(&mut *q),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        for slot in slots {
            if let Some(o) = raw.st.host_roots.get_mut(slot as usize) {
                *o = Obj::NULL;
                EmbedState::of(raw).free_slots.push(slot);
            }
        }
    }

    /// Pins `o` in a root slot; returns the slot.
    pub(crate) fn pin(raw: &mut RawVm, o: Obj) -> u32 {
        match EmbedState::of(raw).free_slots.pop() {
            Some(slot) => {
                raw.st.host_roots[slot as usize] = o;
                slot
            }
            None => {
                raw.st.host_roots.push(o);
                (raw.st.host_roots.len() - 1) as u32
            }
        }
    }
}

/// `EmbedState::of` installs the state before downcasting, so the downcast
/// cannot fail; this keeps the code panic-free all the same.
#[cold]
fn unreachable_state() -> ! {
    std::process::abort()
}
