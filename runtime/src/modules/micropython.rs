//! The `micropython` module: `const`, `opt_level`, `mem_info`, `qstr_info`,
//! `heap_lock`/`heap_unlock`/`heap_locked`, `kbd_intr`, `schedule`,
//! `alloc_emergency_exception_buf`, `stack_use`.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::NativeFn;
use crate::vm::Vm;

/// Native functions of `micropython`.
pub static FUNCTIONS: &[(&str, NativeFn)] = &[
    ("const", const_),
    ("opt_level", opt_level),
    ("mem_info", mem_info),
    ("qstr_info", qstr_info),
    ("heap_lock", heap_lock),
    ("heap_unlock", heap_unlock),
    ("heap_locked", heap_locked),
    ("kbd_intr", kbd_intr),
    ("schedule", schedule),
    ("alloc_emergency_exception_buf", nothing),
    ("stack_use", stack_use),
];

fn const_(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::arg(vm, args, 0)
}

fn opt_level(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args.first() {
        None => Ok(Obj::from_small_int(i32::from(vm.st.sys.opt_level)).unwrap_or(Obj::NONE)),
        Some(&a) => {
            let n = vm.expect_int(a)?;
            vm.st.sys.opt_level = n.clamp(0, 3) as u8;
            Ok(Obj::NONE)
        }
    }
}

fn mem_info(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = vm.heap.gc.stats();
    let mut text = alloc::format!(
        "mem: total={}, current={}, peak={}\nstack: {} out of {}\nGC: total: {}, used: {}, free: {}\n",
        s.total_bytes,
        s.used_bytes,
        s.used_bytes,
        vm.st.frames.len(),
        vm.st.recursion_limit,
        s.total_bytes,
        s.used_bytes,
        s.free_bytes
    );
    text.push_str(&alloc::format!(" No. of 1-blocks: {}, max free sz: {}\n", s.objects, s.largest_free_bytes / 16));
    if !args.is_empty() {
        text.push_str("GC memory layout: not available\n");
    }
    vm.write_out(text.as_bytes());
    Ok(Obj::NONE)
}

fn qstr_info(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let n = vm.st.qstrs.dynamic_count();
    let b = vm.st.qstrs.dynamic_bytes();
    let text = alloc::format!("qstr pool: n_pool=1, n_qstr={n}, n_str_data_bytes={b}, n_total_bytes={b}\n");
    vm.write_out(text.as_bytes());
    Ok(Obj::NONE)
}

fn heap_lock(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    vm.prepare_heap_lock()?;
    vm.heap.gc.lock();
    Ok(Obj::NONE)
}

fn heap_unlock(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = vm.heap.gc.unlock();
    Ok(Obj::from_small_int(d as i32).unwrap_or(Obj::NONE))
}

fn heap_locked(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = vm.heap.gc.lock_depth();
    Ok(Obj::from_small_int(d as i32).unwrap_or(Obj::NONE))
}

/// `kbd_intr(c)`: sets the character that interrupts running code (-1: none).
fn kbd_intr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let c = crate::builtins::arg(vm, args, 0)?;
    let c = vm.expect_int(c)?;
    vm.st.sys.host.set_interrupt_char(i32::try_from(c).unwrap_or(-1));
    Ok(Obj::NONE)
}

/// Callbacks `schedule` may hold at once.
const SCHEDULE_DEPTH: usize = 8;

/// `schedule(f, arg)`: runs `f(arg)` soon, at the next backward jump or call of
/// the running code (not inside another scheduled callback).
fn schedule(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let f = crate::builtins::arg(vm, args, 0)?;
    let a = crate::builtins::arg(vm, args, 1)?;
    if vm.st.sys.scheduled.len() >= SCHEDULE_DEPTH {
        return Err(vm.new_error(crate::types::ids::RUNTIME_ERROR, "schedule queue full"));
    }
    vm.st.sys.scheduled.push((f, a));
    vm.st.sys.interrupt.store(true, core::sync::atomic::Ordering::Relaxed);
    Ok(Obj::NONE)
}

fn nothing(_vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

fn stack_use(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::from_small_int(vm.st.frames.len() as i32 * 64).unwrap_or(Obj::NONE))
}
