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
    ("alloc_emergency_exception_buf", alloc_emergency_exception_buf),
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
    use crate::gc::BLOCK_BYTES;
    let s = vm.heap.gc.stats();
    let mut text = alloc::format!(
        "mem: total={}, current={}, peak={}\nstack: {} out of {}\nGC: total: {}, used: {}, free: {}\n",
        s.total_bytes,
        s.used_bytes,
        s.peak_bytes.max(s.used_bytes),
        vm.st.frames.len(),
        vm.st.recursion_limit,
        s.total_bytes,
        s.used_bytes,
        s.free_bytes
    );
    text.push_str(&alloc::format!(
        " No. of 1-blocks: {}, 2-blocks: {}, max blk sz: {}, max free sz: {}\n",
        s.one_block_objects,
        s.two_block_objects,
        s.largest_object_blocks,
        s.largest_free_bytes / BLOCK_BYTES
    ));
    if !args.is_empty() {
        let base = vm.heap.words.words().as_ptr() as usize;
        push_block_map(&mut text, base, &vm.heap.gc.block_map());
    }
    vm.write_out(text.as_bytes());
    Ok(Obj::NONE)
}

/// `mem_info(1)`'s map in MicroPython's layout: 64 blocks a line after the
/// line's byte offset; two or more whole free lines in a row print as one
/// `(N lines all free)` line.
fn push_block_map(text: &mut alloc::string::String, base: usize, map: &[u8]) {
    const PER_LINE: usize = 64;
    text.push_str(&alloc::format!("GC memory layout; from {base:x}:"));
    let mut bl = 0;
    while bl < map.len() {
        let free = map[bl..].iter().take_while(|&&c| c == b'.').count();
        if free >= 2 * PER_LINE {
            text.push_str(&alloc::format!("\n       ({} lines all free)", free / PER_LINE));
            bl += free / PER_LINE * PER_LINE;
            if bl >= map.len() {
                break;
            }
        }
        text.push_str(&alloc::format!("\n{:08x}: ", bl * crate::gc::BLOCK_BYTES));
        let end = (bl + PER_LINE).min(map.len());
        text.extend(map[bl..end].iter().map(|&c| c as char));
        bl = end;
    }
    text.push('\n');
}

fn qstr_info(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let n = vm.st.qstrs.dynamic_count();
    let b = vm.st.qstrs.dynamic_bytes();
    let mut text = alloc::format!("qstr pool: n_pool=1, n_qstr={n}, n_str_data_bytes={b}, n_total_bytes={b}\n");
    if !args.is_empty() {
        // With an argument, every interned string, as MicroPython's `Q(...)` lines.
        for i in 0..n {
            let q = crate::qstr::Qstr::from_id(crate::qstr::FIRST_DYNAMIC_QSTR_ID + i as u32);
            if let Some(t) = vm.st.qstrs.text(q) {
                text.push_str(&alloc::format!("Q({t})\n"));
            }
        }
    }
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
/// `schedule(kbd_intr, None)` schedules a KeyboardInterrupt instead (once,
/// however often it is asked for before it runs), as MicroPython does.
fn schedule(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let f = crate::builtins::arg(vm, args, 0)?;
    let a = crate::builtins::arg(vm, args, 1)?;
    if Some(f) == super::function_obj("micropython", "kbd_intr") {
        vm.st.sys.kbd_scheduled = true;
        vm.st.sys.interrupt.store(true, core::sync::atomic::Ordering::Relaxed);
        return Ok(Obj::NONE);
    }
    if vm.st.sys.scheduled.len() >= SCHEDULE_DEPTH {
        return Err(vm.new_error(crate::types::ids::RUNTIME_ERROR, "schedule queue full"));
    }
    vm.st.sys.scheduled.push((f, a));
    vm.st.sys.interrupt.store(true, core::sync::atomic::Ordering::Relaxed);
    Ok(Obj::NONE)
}

/// `alloc_emergency_exception_buf(size)`: makes the emergency exception
/// (a fixed size: up to 8 arguments, 16 traceback entries; `size` is
/// accepted for MicroPython's signature).
fn alloc_emergency_exception_buf(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let size = crate::builtins::arg(vm, args, 0)?;
    vm.expect_int(size)?;
    vm.prepare_emergency_exception()?;
    Ok(Obj::NONE)
}

fn stack_use(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::from_small_int(vm.st.frames.len() as i32 * 64).unwrap_or(Obj::NONE))
}

#[cfg(test)]
mod tests {
    use super::push_block_map;

    #[test]
    fn block_map_lines_follow_micropythons_layout() {
        let mut map = alloc::vec![b'.'; 64 * 5];
        map[..3].copy_from_slice(b"h==");
        map[64 * 4] = b'h';
        let mut text = alloc::string::String::new();
        push_block_map(&mut text, 0x1000, &map);
        let dots = |n: usize| ".".repeat(n);
        let expected = alloc::format!(
            "GC memory layout; from 1000:\n00000000: h=={}\n       (3 lines all free)\n00001000: h{}\n",
            dots(61),
            dots(63)
        );
        assert_eq!(text, expected);
    }
}
