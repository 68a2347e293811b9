//! Networking in embedded VMs: off unless the embedder allows it; with it,
//! sockets over loopback, `select.poll` over integer handles and objects with
//! `fileno()` (ferropy extensions beyond MicroPython's unix port), the
//! argument checks that differ from MicroPython, and the deadline cutting a
//! long poll short.

use std::time::{Duration, Instant};

use ferropy::embed::{Error, Limit, Vm};

fn net_vm() -> Vm {
    Vm::builder().allow_net(true).build().unwrap()
}

/// The Python exception type name of a failed run.
fn exc_type(r: Result<(), Error>) -> String {
    match r {
        Err(Error::Python(e)) => e.type_name,
        other => panic!("expected a Python exception, got {other:?}"),
    }
}

/// Python helpers: a UDP socket bound to a free loopback port, or a TCP
/// socket listening on one.
const BOUND: &str = r#"
import socket, select, errno
def on_free_port(base, kind):
    for port in range(base, base + 100):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
            if kind == socket.SOCK_STREAM:
                s.listen(1)
            return s, port
        except OSError as e:
            s.close()
            if e.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE)
def bound(base):
    return on_free_port(base, socket.SOCK_DGRAM)
def listening(base):
    return on_free_port(base, socket.SOCK_STREAM)
"#;

#[test]
fn sockets_are_off_by_default() {
    let mut vm = Vm::builder().build().unwrap();
    assert_eq!(exc_type(vm.exec("import socket")), "ImportError");
    // select still works on streams, but integers are not pollable handles.
    vm.exec("import select, io\np = select.poll()\np.register(io.BytesIO())").unwrap();
    assert_eq!(exc_type(vm.exec("p.register(0)")), "OSError");
}

#[test]
fn sockets_work_when_allowed() {
    let mut vm = net_vm();
    vm.exec(BOUND).unwrap();
    vm.exec(
        "a, pa = bound(47600)\nb, pb = bound(pa + 1)\n\
         b.sendto(b'abc', socket.getaddrinfo('127.0.0.1', pa)[0][-1])\n\
         data, frm = a.recvfrom(10)",
    )
    .unwrap();
    assert!(vm.eval::<bool>("data == b'abc'").unwrap());
    assert!(vm.eval::<bool>("socket.sockaddr(frm)[2] == pb").unwrap());
    vm.exec("a.close()\nb.close()").unwrap();
}

#[test]
fn poll_accepts_integer_handles_and_fileno_objects() {
    let mut vm = net_vm();
    vm.exec(BOUND).unwrap();
    vm.exec(
        "class Wrap:\n    def __init__(self, s): self.s = s\n    def fileno(self): return self.s.fileno()\n\
         a, pa = bound(47700)\nw = Wrap(a)\np = select.poll()\np.register(w, select.POLLOUT)\n\
         p.register(a.fileno(), select.POLLIN)\nr1 = p.poll(0)\n\
         a.sendto(b'x', socket.getaddrinfo('127.0.0.1', pa)[0][-1])\nr2 = p.poll(1000)",
    )
    .unwrap();
    assert!(vm.eval::<bool>("r1 == [(w, select.POLLOUT)]").unwrap());
    assert!(vm.eval::<bool>("r2 == [(w, select.POLLOUT), (a.fileno(), select.POLLIN)]").unwrap());
    // A fileno() that is not an int is a TypeError; a closed handle number is POLLNVAL.
    vm.exec("class Bad:\n    def fileno(self): return 'x'\n").unwrap();
    assert_eq!(exc_type(vm.exec("p.register(Bad())")), "TypeError");
    vm.exec("q = select.poll()\nq.register(a.fileno())\na.close()\nr3 = q.poll(0)").unwrap();
    assert!(vm.eval::<bool>("r3[0][1] == 32").unwrap());
}

#[test]
fn argument_errors_that_differ_from_micropython() {
    let mut vm = net_vm();
    vm.exec("import socket\ns = socket.socket()").unwrap();
    // MicroPython tries to allocate the negative size (MemoryError); CPython's ValueError here.
    assert_eq!(exc_type(vm.exec("s.recv(-1)")), "ValueError");
    // MicroPython passes a negative timeout to the kernel; CPython's ValueError here.
    assert_eq!(exc_type(vm.exec("s.settimeout(-1)")), "ValueError");
    assert_eq!(exc_type(vm.exec("s.settimeout('x')")), "TypeError");
    assert_eq!(exc_type(vm.exec("socket.socket(1, 2, 3, 4)")), "TypeError");
    assert_eq!(exc_type(vm.exec("socket.getaddrinfo('127.0.0.1')")), "TypeError");
    // Keyword arguments, as CPython names them.
    vm.exec("u = socket.socket(type=socket.SOCK_DGRAM)\nu.close()").unwrap();
    // A context manager closes the socket.
    vm.exec("with socket.socket() as c:\n    pass\n").unwrap();
    assert_eq!(vm.eval::<i64>("c.fileno()").unwrap(), -1);
    vm.exec("s.close()").unwrap();
}

#[test]
fn a_socket_dropped_without_close_releases_its_handle() {
    let mut vm = net_vm();
    vm.exec(BOUND).unwrap();
    // Bind a port, drop the socket, collect: the same port binds again. (The
    // collector scans the machine stack conservatively, as MicroPython's: a
    // stale copy of the socket in a live Rust frame of the same run could keep
    // it, so the collection runs in a later one.)
    vm.exec("a, pa = bound(47800)\na = None").unwrap();
    vm.exec("import gc\ngc.collect()\nb, pb = bound(pa)").unwrap();
    assert!(vm.eval::<bool>("pa == pb").unwrap());
    vm.exec("b.close()").unwrap();
}

#[test]
fn the_deadline_cuts_a_long_poll_short() {
    let mut vm = Vm::builder().allow_net(true).timeout(Duration::from_millis(200)).build().unwrap();
    vm.exec(BOUND).unwrap();
    let t0 = Instant::now();
    let r = vm.exec("a, pa = bound(47900)\np = select.poll()\np.register(a, select.POLLIN)\np.poll()");
    assert!(matches!(r, Err(Error::Limit(Limit::Deadline, _))), "{r:?}");
    assert!(t0.elapsed() < Duration::from_secs(5));
}

#[test]
fn an_interrupt_stops_a_blocked_accept_and_recv() {
    let mut vm = net_vm();
    vm.exec(BOUND).unwrap();
    vm.exec("srv, port = listening(47700)").unwrap();
    for (what, code) in [
        ("accept", "srv.accept()"),
        ("recv", "c = socket.socket()\nc.connect(socket.getaddrinfo('127.0.0.1', port)[0][-1])\nconn, _ = srv.accept()\nconn.recv(10)"),
        ("readline", "conn.readline()"),
    ] {
        let handle = vm.interrupt_handle();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            handle.interrupt();
        });
        let start = Instant::now();
        let r = vm.exec(code);
        assert!(matches!(r, Err(Error::Limit(Limit::Interrupted, _))), "{what}: {r:?}");
        stopper.join().unwrap();
        assert!(start.elapsed() < Duration::from_secs(5), "{what} took {:?}", start.elapsed());
    }
    // The sockets still work afterwards.
    vm.exec("c.send(b'hi\\n')\nassert conn.readline() == b'hi\\n'\nc.close()\nconn.close()\nsrv.close()").unwrap();
}

#[test]
fn a_blocked_recv_times_out_and_meets_the_deadline() {
    let mut vm = net_vm();
    vm.exec(BOUND).unwrap();
    vm.exec(
        "srv, port = listening(47800)\nc = socket.socket()\n\
         c.connect(socket.getaddrinfo('127.0.0.1', port)[0][-1])\nconn, _ = srv.accept()",
    )
    .unwrap();
    // A socket timeout, after about that long: EAGAIN from recv, ETIMEDOUT
    // from the stream read (as the unix port).
    let start = Instant::now();
    vm.exec("conn.settimeout(0.2)\ntry:\n    conn.recv(1)\nexcept OSError as e:\n    err = e.errno").unwrap();
    assert!(vm.eval::<bool>("err == errno.EAGAIN").unwrap());
    vm.exec("try:\n    conn.read(1)\nexcept OSError as e:\n    err = e.errno").unwrap();
    assert!(vm.eval::<bool>("err == errno.ETIMEDOUT").unwrap());
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(380) && took < Duration::from_secs(3), "{took:?}");
    // Without a timeout, the embedder's time limit ends the wait.
    let mut vm2 = Vm::builder().allow_net(true).timeout(Duration::from_millis(300)).build().unwrap();
    vm2.exec(BOUND).unwrap();
    let start = Instant::now();
    let r = vm2.exec("srv, port = listening(47900)\nsrv.accept()");
    assert!(matches!(r, Err(Error::Limit(Limit::Deadline, _))), "{r:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
}
