//! The `select` module: `poll()` objects with `register`, `unregister`,
//! `modify`, `poll` and `ipoll` over streams. In-memory streams and files are
//! always ready; `sys.stdin` is readable when the host says so
//! ([`Host::stdin_ready`](super::Host::stdin_ready)); any other object takes
//! part through MicroPython's stream protocol, an `ioctl(3, flags)` method
//! returning the ready flags (a negative value is `-errno`). A poll object is
//! `[type, list of [object, mask] lists]`.

use alloc::vec::Vec;

use super::errno::os_error;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// Ready to read.
pub const POLLIN: i64 = 1;
/// Ready to write.
pub const POLLOUT: i64 = 4;
/// Error condition (always reported).
pub const POLLERR: i64 = 8;
/// Hang-up (always reported).
pub const POLLHUP: i64 = 16;
/// The stream-protocol `ioctl` request that asks for readiness.
const MP_STREAM_POLL: i32 = 3;

/// The module's function table.
pub static SELECT_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("select", ids::OBJECT) };

static FUNCS: [Method; 1] = [Method::new_static("poll", poll_new)];

static POLL_METHODS: [Method; 5] = [
    Method::new("register", register),
    Method::new("unregister", unregister),
    Method::new("modify", modify),
    Method::new("poll", poll),
    Method::new("ipoll", ipoll),
];

/// Poll objects.
pub static POLL_TYPE: TypeDesc = TypeDesc { methods: &POLL_METHODS, ..TypeDesc::new("poll", ids::OBJECT) };

/// Builds the `select` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let small = |v: i64| Obj::from_small_int(v as i32).unwrap_or(Obj::NONE);
    let extra = [
        ("POLLIN", small(POLLIN)),
        ("POLLOUT", small(POLLOUT)),
        ("POLLERR", small(POLLERR)),
        ("POLLHUP", small(POLLHUP)),
    ];
    super::make_module(vm, "select", ids::SELECT_FUNCS, &extra)
}

fn poll_new(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let l = vm.new_list(&[])?;
    vm.root(l);
    let o = vm.alloc(2)?;
    vm.set(o, 0, crate::types::type_obj(ids::POLL));
    vm.set(o, 1, l);
    Ok(o)
}

fn poll_self(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let p = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_exact(p, ids::POLL) {
        return Err(vm.type_error("poll object expected"));
    }
    Ok(vm.get(p, 1))
}

/// The index of `obj`'s entry in the registration list.
fn find(vm: &Vm, list: Obj, obj: Obj) -> Option<usize> {
    vm.list_items(list).iter().position(|&e| vm.list_get(e, 0) == obj)
}

fn is_builtin_stream(vm: &Vm, o: Obj) -> bool {
    [ids::STRING_IO, ids::BYTES_IO, ids::TEXT_IO, ids::FILE_IO].iter().any(|&id| vm.is_exact(o, id))
}

fn check_pollable(vm: &mut Vm, o: Obj) -> PyResult<()> {
    if is_builtin_stream(vm, o) {
        return Ok(());
    }
    let q = vm.intern("ioctl")?;
    if vm.load_attr_opt(o, q)?.is_none() {
        return Err(vm.type_error("object with stream.ioctl required"));
    }
    Ok(())
}

fn mask_arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<i64> {
    match args.get(i) {
        Some(&m) => vm.expect_int(m),
        None => Ok(POLLIN | POLLOUT),
    }
}

fn register(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let list = poll_self(vm, args)?;
    let o = crate::builtins::arg(vm, args, 1)?;
    let mask = mask_arg(vm, args, 2)?;
    check_pollable(vm, o)?;
    let m = vm.new_int(mask)?;
    match find(vm, list, o) {
        Some(i) => {
            let e = vm.list_get(list, i);
            vm.list_set(e, 1, m);
        }
        None => {
            let e = vm.new_list(&[o, m])?;
            vm.list_append(list, e)?;
        }
    }
    Ok(Obj::NONE)
}

fn unregister(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let list = poll_self(vm, args)?;
    let o = crate::builtins::arg(vm, args, 1)?;
    if let Some(i) = find(vm, list, o) {
        let mut items = vm.list_items(list);
        items.remove(i);
        vm.list_set_items(list, &items)?;
    }
    Ok(Obj::NONE)
}

fn modify(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let list = poll_self(vm, args)?;
    crate::builtins::check_count(vm, args, 3, 3)?;
    let o = args[1];
    let mask = vm.expect_int(args[2])?;
    let Some(i) = find(vm, list, o) else { return Err(os_error(vm, super::vfs::ENOENT)) };
    let e = vm.list_get(list, i);
    let m = vm.new_int(mask)?;
    vm.list_set(e, 1, m);
    Ok(Obj::NONE)
}

/// The ready flags of `o` for `mask`.
fn ready(vm: &mut Vm, o: Obj, mask: i64) -> PyResult<i64> {
    if is_builtin_stream(vm, o) {
        let fd = if vm.is_exact(o, ids::TEXT_IO) || vm.is_exact(o, ids::FILE_IO) {
            vm.get(o, 1).small_int_value()
        } else {
            None
        };
        let flags = match fd {
            Some(0) => {
                if !vm.st.sys.stdin_buf.is_empty() || vm.st.sys.host.stdin_ready() {
                    POLLIN
                } else {
                    0
                }
            }
            Some(_) => POLLOUT,
            None => POLLIN | POLLOUT,
        };
        return Ok(flags & mask);
    }
    let req = Obj::from_small_int(MP_STREAM_POLL).unwrap_or(Obj::NONE);
    let arg = vm.new_int(mask)?;
    let r = super::vfs::pyfs::call(vm, o, "ioctl", &[req, arg])?;
    let r = vm.expect_int(r)?;
    if r < 0 {
        return Err(os_error(vm, (-r).min(i32::MAX as i64) as i32));
    }
    Ok(r & (mask | POLLERR | POLLHUP))
}

/// Waits up to `timeout` ms (-1: for ever) for a registered object to be ready;
/// the (object, flags) pairs. `one_shot` clears the mask of reported entries.
fn wait(vm: &mut Vm, list: Obj, timeout: i64, one_shot: bool) -> PyResult<Vec<(Obj, i64)>> {
    let start = vm.st.sys.host.ticks_us();
    loop {
        let mut out = Vec::new();
        for e in vm.list_items(list) {
            let o = vm.list_get(e, 0);
            let mask = vm.list_get(e, 1);
            let mask = vm.expect_int(mask)?;
            let r = ready(vm, o, mask)?;
            if r != 0 {
                out.push((o, r));
                if one_shot {
                    vm.list_set(e, 1, Obj::from_small_int(0).unwrap_or(Obj::NONE));
                }
            }
        }
        let elapsed_ms = (vm.st.sys.host.ticks_us().saturating_sub(start) / 1000) as i64;
        if !out.is_empty() || timeout == 0 || (timeout > 0 && elapsed_ms >= timeout) {
            return Ok(out);
        }
        vm.st.sys.host.sleep_us(1000);
        vm.check_interrupt()?;
    }
}

fn timeout_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<i64> {
    match args.get(1) {
        Some(&t) if t != Obj::NONE => {
            let t = vm.expect_int(t)?;
            Ok(if t < 0 { -1 } else { t })
        }
        _ => Ok(-1),
    }
}

fn results(vm: &mut Vm, r: Vec<(Obj, i64)>) -> PyResult<Obj> {
    vm.with_temps(|vm| {
        let l = vm.new_list(&[])?;
        vm.root(l);
        for (o, f) in r {
            let f = vm.new_int(f)?;
            let t = vm.new_tuple(&[o, f])?;
            vm.list_append(l, t)?;
        }
        Ok(l)
    })
}

fn poll(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let list = poll_self(vm, args)?;
    let timeout = timeout_arg(vm, args)?;
    let r = wait(vm, list, timeout, false)?;
    results(vm, r)
}

fn ipoll(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let list = poll_self(vm, args)?;
    let timeout = timeout_arg(vm, args)?;
    let one_shot = match args.get(2) {
        Some(&f) => vm.expect_int(f)? & 1 != 0,
        None => false,
    };
    let r = wait(vm, list, timeout, one_shot)?;
    let l = results(vm, r)?;
    vm.get_iter(l)
}
