//! The `socket` module, with the API of MicroPython's unix port: the `socket`
//! type over the host's [`Net`], `getaddrinfo`, `inet_pton`, `inet_ntop`,
//! `sockaddr` and the constants. Addresses are `sockaddr` bytes
//! ([`addr`]); errors are `OSError(errno)`. The module exists only when the
//! host has a network ([`Host::net`](super::Host::net)).
//!
//! A socket object is `[type, handle (-1 once closed), blocking, family]`,
//! allocated with a finaliser so a socket dropped without `close()` releases
//! its handle ([`finalise`]). A blocking socket's operations first wait for
//! readiness in slices (`wait_ready`), so KeyboardInterrupt, an embedder's
//! interrupt or its time limit stop a blocked `accept`, `recv` or `send`. The stream methods (`read`, `readinto`,
//! `readline`, `write`) are in [`stream`].

pub mod addr;
mod stream;

use alloc::vec::Vec;
use core::net::{IpAddr, SocketAddr};

use super::errno::os_error;
use super::net::{self, Net, PollFd, AF_INET, EAGAIN, EINPROGRESS, EINTR, ENOSYS, ETIMEDOUT, SOCK_STREAM};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// Word of the handle.
const FD: usize = 1;
/// Word of the blocking mode: False (non-blocking), True (blocking without
/// bound) or the bound of blocking operations in milliseconds (a small int).
const BLOCKING: usize = 2;
/// Word of the address family.
const FAMILY: usize = 3;
/// How long a blocked operation waits before checking for interrupts again.
const SLICE_MS: i64 = 50;
/// The backlog of `listen()` without an argument.
const DEFAULT_BACKLOG: i32 = 128;
/// The largest buffer one `recv`/`recvfrom` asks for (a datagram is smaller).
const MAX_RECV: usize = 1 << 20;

/// The module's function table.
pub static SOCKET_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("socket", ids::OBJECT) };

static FUNCS: [Method; 4] = [
    Method::new_static("getaddrinfo", getaddrinfo),
    Method::new_static("inet_pton", inet_pton),
    Method::new_static("inet_ntop", inet_ntop),
    Method::new_static("sockaddr", sockaddr),
];

static METHODS: [Method; 22] = [
    Method::new("fileno", sock_fileno),
    Method::new("makefile", sock_makefile),
    Method::new("read", stream::read),
    Method::new("readinto", stream::readinto),
    Method::new("readline", stream::readline),
    Method::new("write", stream::write),
    Method::new("connect", sock_connect),
    Method::new("bind", sock_bind),
    Method::new("listen", sock_listen),
    Method::new("accept", sock_accept),
    Method::new("recv", sock_recv),
    Method::new("recvfrom", sock_recvfrom),
    Method::new("send", sock_send),
    Method::new("sendall", sock_sendall),
    Method::new("sendto", sock_sendto),
    Method::new("setsockopt", sock_setsockopt),
    Method::new("setblocking", sock_setblocking),
    Method::new("settimeout", sock_settimeout),
    Method::new("close", sock_close),
    // Not in MicroPython's unix port, but CPython code relies on them.
    Method::new("__enter__", sock_enter),
    Method::new("__exit__", sock_exit),
    Method::new("ioctl", stream::ioctl),
];

/// `socket.socket`.
pub static SOCKET_TYPE: TypeDesc = TypeDesc {
    make_new: Some(socket_new),
    print: Some(socket_print),
    methods: &METHODS,
    ..TypeDesc::new("socket", ids::OBJECT)
};

/// The constants of MicroPython's unix port (Linux values).
static CONSTANTS: &[(&str, i32)] = &[
    ("AF_UNIX", net::AF_UNIX),
    ("AF_INET", AF_INET),
    ("AF_INET6", net::AF_INET6),
    ("SOCK_STREAM", SOCK_STREAM),
    ("SOCK_DGRAM", net::SOCK_DGRAM),
    ("SOCK_RAW", net::SOCK_RAW),
    ("MSG_DONTROUTE", 4),
    ("MSG_DONTWAIT", 64),
    ("MSG_PEEK", 2),
    ("SOL_SOCKET", 1),
    ("SO_BROADCAST", 6),
    ("SO_ERROR", 4),
    ("SO_KEEPALIVE", 9),
    ("SO_LINGER", 13),
    ("SO_REUSEADDR", 2),
    ("IP_ADD_MEMBERSHIP", 35),
    ("IP_DROP_MEMBERSHIP", 36),
];

fn small(v: i64) -> Obj {
    Obj::from_small_int(v as i32).unwrap_or(Obj::NONE)
}

/// Builds the `socket` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let mut extra: Vec<(&str, Obj)> = CONSTANTS.iter().map(|&(n, v)| (n, small(i64::from(v)))).collect();
    extra.push(("socket", crate::types::type_obj(ids::SOCKET)));
    super::make_module(vm, "socket", ids::SOCKET_FUNCS, &extra)
}

/// Closes the handle of an unreachable socket (the GC's finaliser hook; other
/// objects are ignored).
pub fn finalise(sys: &mut super::SystemState, obj: Obj, heap: &crate::gc::HeapWords) {
    if heap.load_obj(obj, 0) != Some(crate::types::type_obj(ids::SOCKET)) {
        return;
    }
    let fd = heap.load_obj(obj, FD).and_then(Obj::small_int_value).unwrap_or(-1);
    if fd >= 0 {
        if let Some(n) = sys.host.net() {
            n.close(fd);
        }
    }
}

/// The handle of socket object `o` (`None` for other objects; -1 once closed).
pub fn fd_of(vm: &Vm, o: Obj) -> Option<i32> {
    vm.is_exact(o, ids::SOCKET).then(|| vm.get(o, FD).small_int_value().unwrap_or(-1))
}

/// Runs `f` on the host's network, again after an interruption by a signal
/// (running pending callbacks and raising KeyboardInterrupt first, as MicroPython does).
pub(crate) fn host<R>(vm: &mut Vm, mut f: impl FnMut(&mut dyn Net) -> Result<R, i32>) -> PyResult<Result<R, i32>> {
    loop {
        let r = match vm.st.sys.host.net() {
            Some(n) => f(n),
            None => Err(ENOSYS),
        };
        match r {
            Err(EINTR) => vm.check_interrupt()?,
            r => return Ok(r),
        }
    }
}

/// The bound of socket `s`'s blocking operations: `None` for a non-blocking
/// socket, `Some(None)` without bound, `Some(Some(ms))` with a timeout.
fn wait_bound(vm: &Vm, s: Obj) -> Option<Option<i64>> {
    match vm.get(s, BLOCKING) {
        Obj::FALSE => None,
        b => Some(b.small_int_value().map(i64::from)),
    }
}

/// Before an operation on blocking socket `s` (handle `fd`): waits until the
/// handle is ready for `events`, in slices, running pending callbacks,
/// raising KeyboardInterrupt and checking the VM's time limit between them.
/// `Err(EAGAIN)` when the socket's timeout passes first. A non-blocking socket,
/// or a host that cannot poll, does not wait here.
fn wait_ready(vm: &mut Vm, s: Obj, fd: i32, events: i16) -> PyResult<Result<(), i32>> {
    let Some(bound) = wait_bound(vm, s) else { return Ok(Ok(())) };
    let start = vm.st.sys.host.ticks_us();
    loop {
        let elapsed_ms = (vm.st.sys.host.ticks_us().saturating_sub(start) / 1000) as i64;
        let slice = match bound {
            Some(ms) if elapsed_ms >= ms => return Ok(Err(EAGAIN)),
            Some(ms) => (ms - elapsed_ms).min(SLICE_MS),
            None => SLICE_MS,
        };
        let mut p = [PollFd { fd, events, revents: 0 }];
        match host(vm, |n| n.poll(&mut p, slice as i32))? {
            Ok(_) if p[0].revents != 0 => return Ok(Ok(())),
            Ok(_) => {}
            Err(_) => return Ok(Ok(())),
        }
        vm.check_interrupt()?;
        vm.check_deadline()?;
    }
}

/// [`host`] for an operation that may block on socket `s`: waits for
/// readiness first ([`wait_ready`]).
pub(crate) fn host_blocking<R>(
    vm: &mut Vm,
    s: Obj,
    fd: i32,
    events: i16,
    f: impl FnMut(&mut dyn Net) -> Result<R, i32>,
) -> PyResult<Result<R, i32>> {
    match wait_ready(vm, s, fd, events)? {
        Ok(()) => host(vm, f),
        Err(e) => Ok(Err(e)),
    }
}

/// [`host_blocking`], raising OSError on failure (an expired timeout is
/// EAGAIN, as the unix port's `recv`/`send` report it).
fn host_blocking_ok<R>(
    vm: &mut Vm,
    s: Obj,
    fd: i32,
    events: i16,
    f: impl FnMut(&mut dyn Net) -> Result<R, i32>,
) -> PyResult<R> {
    host_blocking(vm, s, fd, events, f)?.map_err(|e| os_error(vm, e))
}

/// [`host`], raising OSError on failure.
fn host_ok<R>(vm: &mut Vm, f: impl FnMut(&mut dyn Net) -> Result<R, i32>) -> PyResult<R> {
    host(vm, f)?.map_err(|e| os_error(vm, e))
}

/// Creates a socket object for handle `fd`.
fn wrap(vm: &mut Vm, fd: i32, family: i32) -> PyResult<Obj> {
    let o = match vm.heap.alloc_with_finaliser(4 * 4, &mut vm.st) {
        Ok(o) if !o.is_null() => o,
        _ => {
            if let Some(n) = vm.st.sys.host.net() {
                n.close(fd);
            }
            return Err(vm.memory_error());
        }
    };
    vm.set(o, 0, crate::types::type_obj(ids::SOCKET));
    vm.set(o, FD, small(i64::from(fd)));
    vm.set(o, BLOCKING, Obj::TRUE);
    vm.set(o, FAMILY, small(i64::from(family)));
    Ok(o)
}

fn int_arg(vm: &mut Vm, o: Obj) -> PyResult<i32> {
    let v = vm.expect_int(o)?;
    i32::try_from(v).map_err(|_| vm.word_overflow_error())
}

fn socket_new(vm: &mut Vm, _t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 0, 3)?;
    let mut vals = [AF_INET, SOCK_STREAM, 0];
    for (i, name) in ["family", "type", "proto"].iter().enumerate() {
        let a = match args.get(i) {
            Some(&a) => Some(a),
            None => vm.kwarg(kw, name),
        };
        if let Some(a) = a {
            vals[i] = int_arg(vm, a)?;
        }
    }
    let [family, ty, proto] = vals;
    let fd = host_ok(vm, |n| n.socket(family, ty, proto))?;
    wrap(vm, fd, family)
}

fn socket_print(vm: &mut Vm, o: Obj, out: &mut alloc::string::String, _repr: bool) -> PyResult<()> {
    let fd = fd_of(vm, o).unwrap_or(-1);
    out.push_str(&alloc::format!("<_socket {fd}>"));
    Ok(())
}

/// The socket object and its handle from a method's arguments.
pub(crate) fn self_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<(Obj, i32)> {
    let s = crate::builtins::arg(vm, args, 0)?;
    match fd_of(vm, s) {
        Some(fd) => Ok((s, fd)),
        None => Err(vm.type_error("socket object expected")),
    }
}

/// Whether the socket is in blocking mode.
pub(crate) fn is_blocking(vm: &Vm, s: Obj) -> bool {
    vm.get(s, BLOCKING) != Obj::FALSE
}

/// The bytes of a bytes-like (or str) argument, TypeError otherwise (as
/// MicroPython, whose strings offer their bytes as a read-only buffer).
pub(crate) fn buffer_arg(vm: &mut Vm, o: Obj) -> PyResult<Vec<u8>> {
    match vm.buffer_or_str(o) {
        Some(b) => Ok(b),
        None => Err(vm.type_error("object with buffer protocol required")),
    }
}

/// A `sockaddr` argument: bytes-like, decoded (OSError for a bad address).
fn addr_arg(vm: &mut Vm, o: Obj) -> PyResult<SocketAddr> {
    let b = buffer_arg(vm, o)?;
    addr::decode(&b).map_err(|e| os_error(vm, e))
}

/// A message-flags argument at `i` (0 when absent).
fn flags_arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<i32> {
    match args.get(i) {
        Some(&f) => int_arg(vm, f),
        None => Ok(0),
    }
}

/// A receive size: ValueError when negative, bounded by [`MAX_RECV`].
fn size_arg(vm: &mut Vm, o: Obj) -> PyResult<usize> {
    let n = vm.expect_int(o)?;
    if n < 0 {
        return Err(vm.value_error("negative buffersize in recv"));
    }
    Ok((n as u64).min(MAX_RECV as u64) as usize)
}

/// Raises `e`, as ETIMEDOUT when a blocking socket's timeout expired (EAGAIN).
pub(crate) fn raise_blocking(vm: &mut Vm, s: Obj, e: i32) -> crate::error::PyErr {
    let e = if e == EAGAIN && is_blocking(vm, s) { ETIMEDOUT } else { e };
    os_error(vm, e)
}

fn sock_fileno(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 1)?;
    let (_, fd) = self_arg(vm, args)?;
    Ok(small(i64::from(fd)))
}

/// `makefile()`: the socket itself (it has the stream methods already).
fn sock_makefile(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 3)?;
    Ok(self_arg(vm, args)?.0)
}

fn sock_close(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (s, fd) = self_arg(vm, args)?;
    if fd >= 0 {
        if let Some(n) = vm.st.sys.host.net() {
            n.close(fd);
        }
        vm.set(s, FD, small(-1));
    }
    Ok(Obj::NONE)
}

fn sock_enter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(self_arg(vm, args)?.0)
}

fn sock_exit(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    sock_close(vm, &args[..1.min(args.len())], kw)
}

fn sock_connect(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let (s, fd) = self_arg(vm, args)?;
    let a = addr_arg(vm, args[1])?;
    match host(vm, |n| n.connect(fd, &a))? {
        Ok(()) => Ok(Obj::NONE),
        // A blocking connect that returns "in progress" ran out of time.
        Err(EINPROGRESS) if is_blocking(vm, s) => Err(os_error(vm, ETIMEDOUT)),
        Err(e) => Err(os_error(vm, e)),
    }
}

fn sock_bind(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let (_, fd) = self_arg(vm, args)?;
    let a = addr_arg(vm, args[1])?;
    host_ok(vm, |n| n.bind(fd, &a))?;
    Ok(Obj::NONE)
}

fn sock_listen(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 2)?;
    let (_, fd) = self_arg(vm, args)?;
    let backlog = match args.get(1) {
        Some(&b) => int_arg(vm, b)?.max(0),
        None => DEFAULT_BACKLOG,
    };
    host_ok(vm, |n| n.listen(fd, backlog))?;
    Ok(Obj::NONE)
}

fn sock_accept(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 1)?;
    let (s, fd) = self_arg(vm, args)?;
    let (new, peer) = match host_blocking(vm, s, fd, net::POLLIN, |n| n.accept(fd))? {
        Ok(r) => r,
        Err(e) => return Err(raise_blocking(vm, s, e)),
    };
    let family = vm.get(s, FAMILY).small_int_value().unwrap_or(AF_INET);
    vm.with_temps(|vm| {
        let c = wrap(vm, new, family)?;
        vm.root(c);
        let a = peer.map(|p| addr::encode(&p)).unwrap_or_default();
        let a = vm.new_bytearray(&a)?;
        vm.root(a);
        vm.new_tuple(&[c, a])
    })
}

fn sock_recv(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let (s, fd) = self_arg(vm, args)?;
    let size = size_arg(vm, args[1])?;
    let flags = flags_arg(vm, args, 2)?;
    let mut buf = alloc::vec![0u8; size];
    let got = host_blocking_ok(vm, s, fd, net::POLLIN, |n| n.recv(fd, &mut buf, flags))?;
    vm.new_bytes(&buf[..got.min(size)])
}

fn sock_recvfrom(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let (s, fd) = self_arg(vm, args)?;
    let size = size_arg(vm, args[1])?;
    let flags = flags_arg(vm, args, 2)?;
    let mut buf = alloc::vec![0u8; size];
    let (got, from) = host_blocking_ok(vm, s, fd, net::POLLIN, |n| n.recv_from(fd, &mut buf, flags))?;
    vm.with_temps(|vm| {
        let data = vm.new_bytes(&buf[..got.min(size)])?;
        vm.root(data);
        let a = from.map(|p| addr::encode(&p)).unwrap_or_default();
        let a = vm.new_bytes(&a)?;
        vm.root(a);
        vm.new_tuple(&[data, a])
    })
}

fn sock_send(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let (s, fd) = self_arg(vm, args)?;
    let data = buffer_arg(vm, args[1])?;
    let flags = flags_arg(vm, args, 2)?;
    let sent = host_blocking_ok(vm, s, fd, net::POLLOUT, |n| n.send(fd, &data, flags))?;
    vm.new_int(sent as i64)
}

/// `sendall(buf[, flags])`: sends until everything is out (an error part-way,
/// such as EAGAIN on a non-blocking socket, is raised).
fn sock_sendall(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let (s, fd) = self_arg(vm, args)?;
    let data = buffer_arg(vm, args[1])?;
    let flags = flags_arg(vm, args, 2)?;
    let mut at = 0;
    while at < data.len() {
        match host_blocking(vm, s, fd, net::POLLOUT, |n| n.send(fd, &data[at..], flags))? {
            Ok(0) => return Err(os_error(vm, net::EIO)),
            Ok(k) => at += k,
            Err(e) => return Err(raise_blocking(vm, s, e)),
        }
    }
    Ok(Obj::NONE)
}

/// `sendto(buf, [flags,] addr)`.
fn sock_sendto(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 3, 4)?;
    let (s, fd) = self_arg(vm, args)?;
    let data = buffer_arg(vm, args[1])?;
    let (flags, a) = if args.len() == 4 { (int_arg(vm, args[2])?, args[3]) } else { (0, args[2]) };
    let a = addr_arg(vm, a)?;
    let sent = host_blocking_ok(vm, s, fd, net::POLLOUT, |n| n.send_to(fd, &data, flags, &a))?;
    vm.new_int(sent as i64)
}

/// `setsockopt(level, option, value)`: an int value is passed as a C `int`,
/// a bytes-like one as its bytes.
fn sock_setsockopt(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 4, 4)?;
    let (_, fd) = self_arg(vm, args)?;
    let level = int_arg(vm, args[1])?;
    let name = int_arg(vm, args[2])?;
    let value = if vm.is_int(args[3]) {
        (vm.expect_int(args[3])? as i32).to_ne_bytes().to_vec()
    } else {
        buffer_arg(vm, args[3])?
    };
    host_ok(vm, |n| n.set_option(fd, level, name, &value))?;
    Ok(Obj::NONE)
}

/// Makes `s` blocking (without bound) or non-blocking.
fn set_blocking(vm: &mut Vm, s: Obj, fd: i32, blocking: bool) -> PyResult<()> {
    if blocking != is_blocking(vm, s) {
        host_ok(vm, |n| n.set_blocking(fd, blocking))?;
    }
    vm.set(s, BLOCKING, if blocking { Obj::TRUE } else { Obj::FALSE });
    Ok(())
}

fn sock_setblocking(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let (s, fd) = self_arg(vm, args)?;
    let b = vm.is_true(args[1])?;
    set_blocking(vm, s, fd, b)?;
    Ok(Obj::NONE)
}

/// `settimeout(None | seconds)`: None blocks without bound, 0 makes the socket
/// non-blocking, a positive value bounds blocking sends and receives.
fn sock_settimeout(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let (s, fd) = self_arg(vm, args)?;
    let us = if args[1] == Obj::NONE {
        None
    } else {
        let t = vm.expect_float(args[1])?;
        if t.is_nan() || t < 0.0 {
            return Err(vm.value_error("Timeout value out of range"));
        }
        Some(libm::round(t * 1e6).min(u64::MAX as f64) as u64)
    };
    let blocking = us != Some(0);
    if blocking {
        host_ok(vm, |n| n.set_timeout(fd, us))?;
    }
    set_blocking(vm, s, fd, blocking)?;
    if let Some(us) = us.filter(|&us| us > 0) {
        // The bound in whole milliseconds (at least one), as a small int.
        let ms = us.div_ceil(1000).min(crate::obj::SMALL_INT_MAX as u64);
        vm.set(s, BLOCKING, small(ms as i64));
    }
    Ok(Obj::NONE)
}

// ----- module functions -----

/// The (type, proto) pairs `getaddrinfo` lists per address for a type hint
/// (glibc's order when no type is given).
fn socktypes(ty: i32, proto: i32) -> Vec<(i32, i32)> {
    let default_proto = |t: i32| match t {
        SOCK_STREAM => 6,
        net::SOCK_DGRAM => 17,
        _ => 0,
    };
    match ty {
        0 if proto == 0 => alloc::vec![(SOCK_STREAM, 6), (net::SOCK_DGRAM, 17), (net::SOCK_RAW, 0)],
        0 => alloc::vec![(SOCK_STREAM, proto), (net::SOCK_DGRAM, proto)],
        t => alloc::vec![(t, if proto == 0 { default_proto(t) } else { proto })],
    }
}

/// `getaddrinfo(host, port, af=0, type=0, proto=0, flags=0)`: a list of
/// `(family, type, proto, None, sockaddr)` with the address as a bytearray.
fn getaddrinfo(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 6)?;
    let host_name = str_arg(vm, args[0])?;
    let port = if let Some(p) = args[1].small_int_value() {
        p as u16
    } else {
        match vm.str_text(args[1]) {
            Some(t) => match t.trim().parse::<u16>() {
                Ok(p) => p,
                Err(_) => return Err(gai_error(vm, net::EAI_SERVICE)),
            },
            None => return Err(str_error(vm, args[1])),
        }
    };
    let mut hints = [0i32; 4];
    for (i, h) in hints.iter_mut().enumerate() {
        if let Some(&a) = args.get(2 + i) {
            *h = int_arg(vm, a)?;
        }
    }
    let [family, ty, proto, _flags] = hints;
    let ips: Vec<IpAddr> = match host_name.parse::<IpAddr>() {
        Ok(ip) => alloc::vec![ip],
        Err(_) => match host(vm, |n| n.resolve(&host_name))? {
            Ok(v) => v,
            Err(e) => return Err(gai_error(vm, e)),
        },
    };
    let ips: Vec<IpAddr> = ips.into_iter().filter(|ip| family == 0 || addr::ip_family(ip) == family).collect();
    if ips.is_empty() {
        return Err(gai_error(vm, net::EAI_ADDRFAMILY));
    }
    vm.with_temps(|vm| {
        let list = vm.new_list(&[])?;
        vm.root(list);
        for ip in &ips {
            let sa = addr::encode(&SocketAddr::new(*ip, port));
            for (t, p) in socktypes(ty, proto) {
                let a = vm.new_bytearray(&sa)?;
                vm.root(a);
                let f = small(i64::from(addr::ip_family(ip)));
                let e = vm.new_tuple(&[f, small(i64::from(t)), small(i64::from(p)), Obj::NONE, a])?;
                vm.list_append(list, e)?;
            }
        }
        Ok(list)
    })
}

/// The text of a str argument, TypeError otherwise.
fn str_arg(vm: &mut Vm, o: Obj) -> PyResult<alloc::string::String> {
    match vm.str_text(o) {
        Some(t) => Ok(t),
        None => Err(str_error(vm, o)),
    }
}

fn str_error(vm: &mut Vm, o: Obj) -> crate::error::PyErr {
    let n = vm.type_name(o);
    vm.type_error(&alloc::format!("can't convert '{n}' object to str implicitly"))
}

/// OSError("[addrinfo error N]"), as MicroPython reports resolver failures.
fn gai_error(vm: &mut Vm, code: i32) -> crate::error::PyErr {
    vm.new_error(ids::OS_ERROR, &alloc::format!("[addrinfo error {code}]"))
}

fn inet_pton(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let family = int_arg(vm, args[0])?;
    let text = str_arg(vm, args[1])?;
    match addr::pton(family, &text) {
        Ok(b) => vm.new_bytes(&b),
        Err(e) => Err(os_error(vm, e)),
    }
}

fn inet_ntop(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let family = int_arg(vm, args[0])?;
    let b = buffer_arg(vm, args[1])?;
    match addr::ntop(family, &b) {
        Ok(t) => vm.new_str(&t),
        Err(e) => Err(os_error(vm, e)),
    }
}

/// `sockaddr(bytes)`: `(AF_INET, ip bytes, port)`, `(AF_INET6, ip bytes,
/// port, flowinfo, scope_id)`, or `(family, rest)` for other families.
fn sockaddr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 1)?;
    let b = buffer_arg(vm, args[0])?;
    let Some(family) = addr::family(&b) else { return Err(os_error(vm, net::EINVAL)) };
    let decoded = if family == AF_INET || family == net::AF_INET6 { addr::decode(&b) } else { Err(net::EAFNOSUPPORT) };
    vm.with_temps(|vm| match decoded {
        Ok(SocketAddr::V4(a)) => {
            let ip = vm.new_bytes(&a.ip().octets())?;
            vm.root(ip);
            vm.new_tuple(&[small(i64::from(AF_INET)), ip, small(i64::from(a.port()))])
        }
        Ok(SocketAddr::V6(a)) => {
            let ip = vm.new_bytes(&a.ip().octets())?;
            vm.root(ip);
            let flow = vm.new_int(i64::from(a.flowinfo()))?;
            vm.root(flow);
            let scope = vm.new_int(i64::from(a.scope_id()))?;
            vm.root(scope);
            vm.new_tuple(&[small(i64::from(net::AF_INET6)), ip, small(i64::from(a.port())), flow, scope])
        }
        Err(net::EAFNOSUPPORT) => {
            let rest = vm.new_bytes(&b[2..])?;
            vm.root(rest);
            vm.new_tuple(&[small(i64::from(family)), rest])
        }
        Err(e) => Err(os_error(vm, e)),
    })
}
