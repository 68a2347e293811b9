//! The `heapq` module: `heappush`, `heappop` and `heapify` on lists (min-heaps
//! ordered by `<`).

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table.
pub static HEAPQ_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("heapq", ids::OBJECT) };

static FUNCS: [Method; 3] = [
    Method::new_static("heappush", heappush),
    Method::new_static("heappop", heappop),
    Method::new_static("heapify", heapify),
];

/// Builds the `heapq` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    super::make_module(vm, "heapq", ids::HEAPQ_FUNCS, &[])
}

fn heap_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let h = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_list(h) {
        return Err(vm.type_error("heap must be a list"));
    }
    Ok(h)
}

/// Moves the item at `pos` up towards `start` while it is smaller than its parent.
fn sift_down(vm: &mut Vm, h: Obj, start: usize, mut pos: usize) -> PyResult<()> {
    let item = vm.list_get(h, pos);
    while pos > start {
        let parent_pos = (pos - 1) / 2;
        let parent = vm.list_get(h, parent_pos);
        if !vm.less_than(item, parent)? {
            break;
        }
        vm.list_set(h, pos, parent);
        pos = parent_pos;
    }
    vm.list_set(h, pos, item);
    Ok(())
}

/// Moves the smaller child up until the item at `pos` sits on a leaf, then sifts it back.
fn sift_up(vm: &mut Vm, h: Obj, mut pos: usize) -> PyResult<()> {
    let end = vm.list_len(h);
    let start = pos;
    let item = vm.list_get(h, pos);
    let mut child = 2 * pos + 1;
    while child < end {
        let right = child + 1;
        if right < end {
            let (c, r) = (vm.list_get(h, child), vm.list_get(h, right));
            if !vm.less_than(c, r)? {
                child = right;
            }
        }
        let c = vm.list_get(h, child);
        vm.list_set(h, pos, c);
        pos = child;
        child = 2 * pos + 1;
    }
    vm.list_set(h, pos, item);
    sift_down(vm, h, start, pos)
}

fn heappush(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let h = heap_arg(vm, args)?;
    let item = crate::builtins::arg(vm, args, 1)?;
    vm.list_append(h, item)?;
    let n = vm.list_len(h);
    sift_down(vm, h, 0, n - 1)?;
    Ok(Obj::NONE)
}

fn heappop(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let h = heap_arg(vm, args)?;
    let n = vm.list_len(h);
    if n == 0 {
        return Err(vm.new_error(ids::INDEX_ERROR, "empty heap"));
    }
    let first = vm.list_get(h, 0);
    vm.root(first);
    let last = vm.list_get(h, n - 1);
    // Drop the last slot (word 1 of a list is its length).
    vm.list_set(h, n - 1, Obj::NONE);
    vm.set_u32(h, 1, (n - 1) as u32);
    if n > 1 {
        vm.list_set(h, 0, last);
        sift_up(vm, h, 0)?;
    }
    Ok(first)
}

fn heapify(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let h = heap_arg(vm, args)?;
    let n = vm.list_len(h);
    for i in (0..n / 2).rev() {
        sift_up(vm, h, i)?;
    }
    Ok(Obj::NONE)
}
