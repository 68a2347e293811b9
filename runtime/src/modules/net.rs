//! The network side of the [`Host`](super::Host): sockets and `poll` over
//! operating-system handles, as the `socket` and `select` modules use them.
//!
//! Handles are the host's own integers (file descriptors on unix), which
//! Python sees through `socket.fileno()`. Numbers crossing this interface
//! (address families, socket types, option levels and names, message flags,
//! poll events) are Linux's, the values MicroPython's unix port exposes; a host
//! on another system translates them. Every failure is an errno value (Linux
//! numbering), except name resolution, which fails with a `getaddrinfo` code.

use alloc::vec::Vec;
use core::net::{IpAddr, SocketAddr};

/// `AF_INET`.
pub const AF_INET: i32 = 2;
/// `AF_INET6`.
pub const AF_INET6: i32 = 10;
/// `AF_UNIX` (accepted by the module's constant table; hosts may not support it).
pub const AF_UNIX: i32 = 1;
/// `SOCK_STREAM`.
pub const SOCK_STREAM: i32 = 1;
/// `SOCK_DGRAM`.
pub const SOCK_DGRAM: i32 = 2;
/// `SOCK_RAW`.
pub const SOCK_RAW: i32 = 3;

/// Readable (`select.POLLIN`).
pub const POLLIN: i16 = 0x01;
/// Urgent data.
pub const POLLPRI: i16 = 0x02;
/// Writable (`select.POLLOUT`).
pub const POLLOUT: i16 = 0x04;
/// Error condition.
pub const POLLERR: i16 = 0x08;
/// Hang-up.
pub const POLLHUP: i16 = 0x10;
/// The handle is not open.
pub const POLLNVAL: i16 = 0x20;

/// `EAGAIN`/`EWOULDBLOCK`: a non-blocking operation would block (or a timeout expired).
pub const EAGAIN: i32 = 11;
/// `EBADF`: not an open handle.
pub const EBADF: i32 = 9;
/// `EIO`.
pub const EIO: i32 = 5;
/// `EINTR`: interrupted by a signal.
pub const EINTR: i32 = 4;
/// `EINVAL`.
pub const EINVAL: i32 = 22;
/// `EINPROGRESS`: a non-blocking connect has started.
pub const EINPROGRESS: i32 = 115;
/// `ETIMEDOUT`.
pub const ETIMEDOUT: i32 = 110;
/// `EAFNOSUPPORT`: address family not supported.
pub const EAFNOSUPPORT: i32 = 97;
/// `ENOPROTOOPT`: unknown socket option.
pub const ENOPROTOOPT: i32 = 92;
/// `ENOSYS`: the host has no such service.
pub const ENOSYS: i32 = 38;

/// `getaddrinfo`'s "name or service not known".
pub const EAI_NONAME: i32 = -2;
/// `getaddrinfo`'s "temporary failure in name resolution".
pub const EAI_AGAIN: i32 = -3;
/// `getaddrinfo`'s "non-recoverable failure".
pub const EAI_FAIL: i32 = -4;
/// `getaddrinfo`'s "address family for host name not supported".
pub const EAI_ADDRFAMILY: i32 = -9;
/// `getaddrinfo`'s "service not supported".
pub const EAI_SERVICE: i32 = -8;

/// One entry of a [`Net::poll`] call (the layout of a `struct pollfd`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PollFd {
    /// The handle (negative: ignored, as by `poll(2)`).
    pub fd: i32,
    /// The events asked for.
    pub events: i16,
    /// The events that happened (set by the host).
    pub revents: i16,
}

/// Sockets and readiness polling. Every method has a default describing a
/// host without networking, so a host implements only what it has.
pub trait Net: Send {
    /// A new socket (`socket(2)`): its handle.
    fn socket(&mut self, _family: i32, _ty: i32, _proto: i32) -> Result<i32, i32> {
        Err(ENOSYS)
    }
    /// Releases a handle (unknown handles are ignored).
    fn close(&mut self, _fd: i32) {}
    /// Binds to a local address.
    fn bind(&mut self, _fd: i32, _addr: &SocketAddr) -> Result<(), i32> {
        Err(EBADF)
    }
    /// Listens for connections.
    fn listen(&mut self, _fd: i32, _backlog: i32) -> Result<(), i32> {
        Err(EBADF)
    }
    /// Accepts a connection: the new socket's handle and the peer's address
    /// (`None` for a family without one).
    fn accept(&mut self, _fd: i32) -> Result<(i32, Option<SocketAddr>), i32> {
        Err(EBADF)
    }
    /// Connects to a remote address.
    fn connect(&mut self, _fd: i32, _addr: &SocketAddr) -> Result<(), i32> {
        Err(EBADF)
    }
    /// Sends bytes on a connected socket; the count sent.
    fn send(&mut self, _fd: i32, _data: &[u8], _flags: i32) -> Result<usize, i32> {
        Err(EBADF)
    }
    /// Sends a datagram to `addr`; the count sent.
    fn send_to(&mut self, _fd: i32, _data: &[u8], _flags: i32, _addr: &SocketAddr) -> Result<usize, i32> {
        Err(EBADF)
    }
    /// Receives into `buf`; the count received (0 at end of stream).
    fn recv(&mut self, _fd: i32, _buf: &mut [u8], _flags: i32) -> Result<usize, i32> {
        Err(EBADF)
    }
    /// Receives a datagram into `buf`: the count and the sender.
    fn recv_from(&mut self, _fd: i32, _buf: &mut [u8], _flags: i32) -> Result<(usize, Option<SocketAddr>), i32> {
        Err(EBADF)
    }
    /// Sets a socket option (`setsockopt(2)`): `value` is the option's bytes
    /// (a native-endian `int` for integer options).
    fn set_option(&mut self, _fd: i32, _level: i32, _name: i32, _value: &[u8]) -> Result<(), i32> {
        Err(EBADF)
    }
    /// Switches between blocking and non-blocking operation.
    fn set_blocking(&mut self, _fd: i32, _blocking: bool) -> Result<(), i32> {
        Err(EBADF)
    }
    /// Bounds blocking sends and receives (microseconds; `None`: no bound).
    /// An expired bound fails with [`EAGAIN`].
    fn set_timeout(&mut self, _fd: i32, _us: Option<u64>) -> Result<(), i32> {
        Err(EBADF)
    }
    /// The addresses of host name `host` (a `getaddrinfo` code on failure).
    fn resolve(&mut self, _host: &str) -> Result<Vec<IpAddr>, i32> {
        Err(EAI_FAIL)
    }
    /// Waits up to `timeout_ms` (negative: for ever) for events on `fds`
    /// (`poll(2)`): fills `revents`, returns how many entries have some.
    fn poll(&mut self, _fds: &mut [PollFd], _timeout_ms: i32) -> Result<usize, i32> {
        Err(ENOSYS)
    }
}
