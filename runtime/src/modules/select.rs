//! The `select` module: `poll()` objects with `register`, `unregister`,
//! `modify`, `poll` and `ipoll`.
//!
//! * Operating-system handles (sockets, integers, objects with `fileno()`)
//!   are polled by the host ([`Net::poll`](super::net::Net::poll)); the
//!   handle is taken when the object is registered, so a socket closed
//!   afterwards reports POLLNVAL, as in MicroPython.
//! * In-memory streams and files are always ready; `sys.stdin` is readable
//!   when the host says so ([`Host::stdin_ready`](super::Host::stdin_ready)).
//! * Any other object takes part through MicroPython's stream protocol, an
//!   `ioctl(3, flags)` method returning the ready flags (negative: `-errno`).
//!
//! Both kinds mix in one poll object: while only handles are registered the
//! host's poll blocks (in slices, so interrupts are seen); with stream-protocol
//! objects too, their readiness is asked again every millisecond.
//!
//! A poll object is `[type, list of [object, mask, handle or None] lists,
//! ipoll results, ipoll position, ipoll's reused result tuple]`: like
//! MicroPython's, `ipoll` returns the poll object itself as the iterator and
//! yields one tuple object, overwritten on every step.

use alloc::vec::Vec;

use super::errno::os_error;
use super::net::PollFd;
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
/// The handle is not open (always reported).
pub const POLLNVAL: i64 = 32;
/// The longest single wait in the host's poll, in ms (interrupts are checked between).
const SLICE_MS: i64 = 50;
/// Words of a poll object.
const LIST: usize = 1;
const RESULTS: usize = 2;
const POS: usize = 3;
const RET: usize = 4;
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
pub static POLL_TYPE: TypeDesc = TypeDesc {
    methods: &POLL_METHODS,
    getiter: Some(poll_getiter),
    iternext: Some(poll_iternext),
    ..TypeDesc::new("poll", ids::OBJECT)
};

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
    let o = vm.alloc(5)?;
    vm.set(o, 0, crate::types::type_obj(ids::POLL));
    vm.set(o, LIST, l);
    vm.set(o, RESULTS, Obj::NULL);
    vm.set(o, POS, small(0));
    vm.set(o, RET, Obj::NULL);
    Ok(o)
}

fn small(v: i64) -> Obj {
    Obj::from_small_int(v as i32).unwrap_or(Obj::NONE)
}

fn poll_obj(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let p = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_exact(p, ids::POLL) {
        return Err(vm.type_error("poll object expected"));
    }
    Ok(p)
}

fn poll_self(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let p = poll_obj(vm, args)?;
    Ok(vm.get(p, LIST))
}

/// The index of `obj`'s entry in the registration list.
fn find(vm: &Vm, list: Obj, obj: Obj) -> Option<usize> {
    vm.list_items(list).iter().position(|&e| vm.list_get(e, 0) == obj)
}

fn is_builtin_stream(vm: &Vm, o: Obj) -> bool {
    [ids::STRING_IO, ids::BYTES_IO, ids::TEXT_IO, ids::FILE_IO].iter().any(|&id| vm.is_exact(o, id))
}

/// How `o` is polled: `Some(handle)` by the host, `None` as a stream (built-in,
/// or through `ioctl`); OSError for anything else, as MicroPython.
fn pollable(vm: &mut Vm, o: Obj) -> PyResult<Option<i32>> {
    if let Some(fd) = super::socket::fd_of(vm, o) {
        return Ok(Some(fd));
    }
    if is_builtin_stream(vm, o) {
        return Ok(None);
    }
    let has_net = vm.st.sys.host.net().is_some();
    if has_net && vm.is_int(o) && o.as_bool().is_none() {
        let fd = vm.expect_int(o)?;
        return match i32::try_from(fd) {
            Ok(fd) if fd >= 0 => Ok(Some(fd)),
            _ => Err(vm.value_error("invalid file descriptor")),
        };
    }
    let q = vm.intern("ioctl")?;
    if vm.load_attr_opt(o, q)?.is_some() {
        return Ok(None);
    }
    let q = vm.intern("fileno")?;
    if has_net && vm.load_attr_opt(o, q)?.is_some() {
        let fd = super::vfs::pyfs::call(vm, o, "fileno", &[])?;
        let fd = vm.expect_int(fd)?;
        return Ok(Some(i32::try_from(fd).map_err(|_| vm.value_error("invalid file descriptor"))?));
    }
    Err(vm.new_error(ids::OS_ERROR, "stream operation not supported"))
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
    let fd = pollable(vm, o)?;
    let m = vm.new_int(mask)?;
    match find(vm, list, o) {
        Some(i) => {
            let e = vm.list_get(list, i);
            vm.list_set(e, 1, m);
        }
        None => {
            let fd = fd.map_or(Obj::NONE, |f| small(i64::from(f)));
            let e = vm.new_list(&[o, m, fd])?;
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

/// The ready flags of stream `o` for `mask`.
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
/// the (object, flags) pairs in registration order. `one_shot` clears the mask
/// of reported entries.
fn wait(vm: &mut Vm, list: Obj, timeout: i64, one_shot: bool) -> PyResult<Vec<(Obj, i64)>> {
    let start = vm.st.sys.host.ticks_us();
    loop {
        let entries = vm.list_items(list);
        let mut flags = alloc::vec![0i64; entries.len()];
        let mut fds: Vec<PollFd> = Vec::new();
        let mut fd_entry: Vec<(usize, i64)> = Vec::new();
        let mut has_streams = false;
        for (i, &e) in entries.iter().enumerate() {
            let o = vm.list_get(e, 0);
            let mask = vm.list_get(e, 1);
            let mask = vm.expect_int(mask)?;
            match vm.list_get(e, 2).small_int_value() {
                Some(fd) => {
                    let events = (mask & (POLLIN | POLLOUT | 2)) as i16;
                    fds.push(PollFd { fd, events, revents: 0 });
                    fd_entry.push((i, mask));
                }
                None => {
                    has_streams = true;
                    flags[i] = ready(vm, o, mask)?;
                }
            }
        }
        let elapsed_ms = (vm.st.sys.host.ticks_us().saturating_sub(start) / 1000) as i64;
        let streams_ready = flags.iter().any(|&f| f != 0);
        if !fds.is_empty() {
            // How long the host may block: not at all when something is ready
            // or the caller does not wait, a millisecond when stream objects
            // must be asked again, else up to the timeout (in slices).
            let block = if streams_ready || timeout == 0 {
                0
            } else if has_streams {
                1
            } else if timeout < 0 {
                SLICE_MS
            } else {
                (timeout - elapsed_ms).clamp(0, SLICE_MS)
            };
            if let Err(e) = super::socket::host(vm, |n| n.poll(&mut fds, block as i32))? {
                return Err(os_error(vm, e));
            }
            for (p, &(i, mask)) in fds.iter().zip(&fd_entry) {
                flags[i] = i64::from(p.revents) & (mask | POLLERR | POLLHUP | POLLNVAL);
            }
        }
        let mut out = Vec::new();
        for (i, &e) in entries.iter().enumerate() {
            if flags[i] != 0 {
                out.push((vm.list_get(e, 0), flags[i]));
                if one_shot {
                    vm.list_set(e, 1, small(0));
                }
            }
        }
        let elapsed_ms = (vm.st.sys.host.ticks_us().saturating_sub(start) / 1000) as i64;
        if !out.is_empty() || timeout == 0 || (timeout > 0 && elapsed_ms >= timeout) {
            return Ok(out);
        }
        if fds.is_empty() {
            vm.st.sys.host.sleep_us(1000);
        }
        vm.check_interrupt()?;
        vm.check_deadline()?;
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

/// `ipoll([timeout[, flags]])`: the poll object itself, iterating over the
/// ready entries; flags bit 0 is one-shot (reported entries' masks cleared).
fn ipoll(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = poll_obj(vm, args)?;
    let list = vm.get(p, LIST);
    let timeout = timeout_arg(vm, args)?;
    let one_shot = match args.get(2) {
        Some(&f) => vm.expect_int(f)? & 1 != 0,
        None => false,
    };
    let r = wait(vm, list, timeout, one_shot)?;
    let l = results(vm, r)?;
    vm.set(p, RESULTS, l);
    vm.set(p, POS, small(0));
    Ok(p)
}

fn poll_getiter(_vm: &mut Vm, p: Obj) -> PyResult<Obj> {
    Ok(p)
}

/// The next `ipoll` result, written into the one reused tuple.
fn poll_iternext(vm: &mut Vm, p: Obj) -> PyResult<Obj> {
    let l = vm.get(p, RESULTS);
    if l.is_null() {
        return Ok(Obj::STOP_ITERATION);
    }
    let pos = vm.get(p, POS).small_int_value().unwrap_or(0) as usize;
    let items = vm.list_items(l);
    let Some(&item) = items.get(pos) else {
        vm.set(p, RESULTS, Obj::NULL);
        return Ok(Obj::STOP_ITERATION);
    };
    vm.set(p, POS, small(pos as i64 + 1));
    let mut ret = vm.get(p, RET);
    if ret.is_null() {
        ret = vm.new_tuple(&[Obj::NONE, Obj::NONE])?;
        vm.set(p, RET, ret);
    }
    let [o, f] = [vm.tuple_items(item)[0], vm.tuple_items(item)[1]];
    vm.set(ret, 2, o);
    vm.set(ret, 3, f);
    Ok(ret)
}
