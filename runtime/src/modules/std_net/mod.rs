//! [`StdNet`]: the [`Net`] of a unix process. Sockets are made and used
//! through `rustix`'s safe wrappers; the handles live in a table of
//! `OwnedFd`s (closed when removed or when the table is dropped), name
//! resolution is `std::net`'s, and `poll`/`setsockopt` on raw numbers are in
//! [`sys`].

mod sys;

use alloc::collections::BTreeMap;
use alloc::string::ToString;
use alloc::vec::Vec;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Duration;

use rustix::net::{self as rnet, AddressFamily, Protocol, RecvFlags, SendFlags, SocketType};

use super::net::{Net, PollFd, EAI_AGAIN, EAI_FAIL, EAI_NONAME, EAI_SERVICE, EBADF, EINVAL};

/// The sockets of a process, by handle.
#[derive(Debug, Default)]
pub struct StdNet {
    socks: BTreeMap<i32, OwnedFd>,
}

fn errno(e: rustix::io::Errno) -> i32 {
    e.raw_os_error()
}

impl StdNet {
    /// A table without sockets.
    pub fn new() -> StdNet {
        StdNet::default()
    }

    fn fd(&self, fd: i32) -> Result<&OwnedFd, i32> {
        self.socks.get(&fd).ok_or(EBADF)
    }

    fn add(&mut self, fd: OwnedFd) -> i32 {
        let raw = fd.as_raw_fd();
        self.socks.insert(raw, fd);
        raw
    }
}

/// The `getaddrinfo` code behind a `std` lookup error (std keeps only the
/// message of `gai_strerror`).
fn gai_code(e: &std::io::Error) -> i32 {
    let text = e.to_string();
    if text.contains("Temporary failure") {
        EAI_AGAIN
    } else if text.contains("Servname") {
        EAI_SERVICE
    } else if text.contains("not known") || text.contains("No address associated") || text.contains("nodename") {
        EAI_NONAME
    } else {
        EAI_FAIL
    }
}

fn socket_addr(a: Option<rnet::SocketAddrAny>) -> Option<SocketAddr> {
    a.and_then(|a| SocketAddr::try_from(a).ok())
}

impl Net for StdNet {
    fn socket(&mut self, family: i32, ty: i32, proto: i32) -> Result<i32, i32> {
        let family = u16::try_from(family).map_err(|_| super::net::EAFNOSUPPORT)?;
        let ty = u32::try_from(ty).map_err(|_| EINVAL)?;
        let proto = match u32::try_from(proto) {
            Ok(p) => core::num::NonZeroU32::new(p).map(Protocol::from_raw),
            Err(_) => return Err(EINVAL),
        };
        let fd = rnet::socket(AddressFamily::from_raw(family), SocketType::from_raw(ty), proto).map_err(errno)?;
        Ok(self.add(fd))
    }

    fn close(&mut self, fd: i32) {
        self.socks.remove(&fd);
    }

    fn bind(&mut self, fd: i32, addr: &SocketAddr) -> Result<(), i32> {
        rnet::bind(self.fd(fd)?, addr).map_err(errno)
    }

    fn listen(&mut self, fd: i32, backlog: i32) -> Result<(), i32> {
        rnet::listen(self.fd(fd)?, backlog).map_err(errno)
    }

    fn accept(&mut self, fd: i32) -> Result<(i32, Option<SocketAddr>), i32> {
        let (new, addr) = rnet::acceptfrom(self.fd(fd)?).map_err(errno)?;
        Ok((self.add(new), socket_addr(addr)))
    }

    fn connect(&mut self, fd: i32, addr: &SocketAddr) -> Result<(), i32> {
        rnet::connect(self.fd(fd)?, addr).map_err(errno)
    }

    fn send(&mut self, fd: i32, data: &[u8], flags: i32) -> Result<usize, i32> {
        rnet::send(self.fd(fd)?, data, SendFlags::from_bits_retain(flags as u32)).map_err(errno)
    }

    fn send_to(&mut self, fd: i32, data: &[u8], flags: i32, addr: &SocketAddr) -> Result<usize, i32> {
        rnet::sendto(self.fd(fd)?, data, SendFlags::from_bits_retain(flags as u32), addr).map_err(errno)
    }

    fn recv(&mut self, fd: i32, buf: &mut [u8], flags: i32) -> Result<usize, i32> {
        let (n, _) = rnet::recv(self.fd(fd)?, buf, RecvFlags::from_bits_retain(flags as u32)).map_err(errno)?;
        Ok(n)
    }

    fn recv_from(&mut self, fd: i32, buf: &mut [u8], flags: i32) -> Result<(usize, Option<SocketAddr>), i32> {
        let (n, _, addr) =
            rnet::recvfrom(self.fd(fd)?, buf, RecvFlags::from_bits_retain(flags as u32)).map_err(errno)?;
        Ok((n, socket_addr(addr)))
    }

    fn set_option(&mut self, fd: i32, level: i32, name: i32, value: &[u8]) -> Result<(), i32> {
        let fd = self.fd(fd)?.as_raw_fd();
        sys::setsockopt(fd, level, name, value)
    }

    fn set_blocking(&mut self, fd: i32, blocking: bool) -> Result<(), i32> {
        rustix::io::ioctl_fionbio(self.fd(fd)?, !blocking).map_err(errno)
    }

    fn set_timeout(&mut self, fd: i32, us: Option<u64>) -> Result<(), i32> {
        let fd = self.fd(fd)?;
        let d = us.map(Duration::from_micros);
        rnet::sockopt::set_socket_timeout(fd, rnet::sockopt::Timeout::Recv, d).map_err(errno)?;
        rnet::sockopt::set_socket_timeout(fd, rnet::sockopt::Timeout::Send, d).map_err(errno)
    }

    fn resolve(&mut self, host: &str) -> Result<Vec<IpAddr>, i32> {
        let addrs = (host, 0u16).to_socket_addrs().map_err(|e| gai_code(&e))?;
        let mut out: Vec<IpAddr> = Vec::new();
        for a in addrs {
            if !out.contains(&a.ip()) {
                out.push(a.ip());
            }
        }
        if out.is_empty() {
            return Err(EAI_NONAME);
        }
        Ok(out)
    }

    fn poll(&mut self, fds: &mut [PollFd], timeout_ms: i32) -> Result<usize, i32> {
        sys::poll(fds, timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::net::{AF_INET, POLLIN, POLLNVAL, POLLOUT, SOCK_DGRAM, SOCK_STREAM};

    fn loopback(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    /// The port a socket is bound to.
    fn port_of(net: &StdNet, fd: i32) -> u16 {
        let a = rnet::getsockname(net.fd(fd).unwrap()).unwrap();
        SocketAddr::try_from(a).unwrap().port()
    }

    #[test]
    fn tcp_round_trip_over_loopback() {
        let mut net = StdNet::new();
        let srv = net.socket(AF_INET, SOCK_STREAM, 0).unwrap();
        net.bind(srv, &loopback(0)).unwrap();
        net.listen(srv, 4).unwrap();
        let port = port_of(&net, srv);
        let cli = net.socket(AF_INET, SOCK_STREAM, 0).unwrap();
        net.connect(cli, &loopback(port)).unwrap();
        let (conn, peer) = net.accept(srv).unwrap();
        assert_eq!(peer.unwrap().ip(), loopback(0).ip());
        assert_eq!(net.send(cli, b"ping", 0).unwrap(), 4);
        let mut buf = [0u8; 8];
        assert_eq!(net.recv(conn, &mut buf, 0).unwrap(), 4);
        assert_eq!(&buf[..4], b"ping");
        for fd in [cli, conn, srv] {
            net.close(fd);
        }
        assert_eq!(net.send(cli, b"x", 0), Err(EBADF));
    }

    #[test]
    fn nonblocking_receive_would_block_and_poll_sees_data() {
        let mut net = StdNet::new();
        let a = net.socket(AF_INET, SOCK_DGRAM, 0).unwrap();
        net.bind(a, &loopback(0)).unwrap();
        let port = port_of(&net, a);
        net.set_blocking(a, false).unwrap();
        let mut buf = [0u8; 4];
        assert_eq!(net.recv(a, &mut buf, 0), Err(crate::modules::net::EAGAIN));
        let mut fds = [PollFd { fd: a, events: POLLIN | POLLOUT, revents: 0 }];
        assert_eq!(net.poll(&mut fds, 0).unwrap(), 1);
        assert_eq!(fds[0].revents, POLLOUT);
        let b = net.socket(AF_INET, SOCK_DGRAM, 0).unwrap();
        net.send_to(b, b"hi", 0, &loopback(port)).unwrap();
        fds[0].events = POLLIN;
        assert_eq!(net.poll(&mut fds, 1000).unwrap(), 1);
        assert_eq!(fds[0].revents, POLLIN);
        let (n, from) = net.recv_from(a, &mut buf, 0).unwrap();
        assert_eq!((n, from.unwrap().ip()), (2, loopback(0).ip()));
    }

    #[test]
    fn closed_handles_poll_as_invalid_and_refused_connections_fail() {
        let mut net = StdNet::new();
        let s = net.socket(AF_INET, SOCK_STREAM, 0).unwrap();
        net.bind(s, &loopback(0)).unwrap();
        let port = port_of(&net, s);
        net.close(s);
        let mut fds = [PollFd { fd: s, events: POLLIN, revents: 0 }];
        assert_eq!(net.poll(&mut fds, 0).unwrap(), 1);
        assert_eq!(fds[0].revents, POLLNVAL);
        let c = net.socket(AF_INET, SOCK_STREAM, 0).unwrap();
        assert_eq!(net.connect(c, &loopback(port)), Err(111));
        assert!(net.socket(AF_INET, 123456, 0).is_err());
        assert_eq!(net.set_option(c, 1, 2, &1i32.to_ne_bytes()), Ok(()));
        assert!(net.set_option(c, 1, 9999, &1i32.to_ne_bytes()).is_err());
    }

    #[test]
    fn resolves_numeric_and_rejects_unknown_names() {
        let mut net = StdNet::new();
        assert_eq!(net.resolve("127.0.0.1").unwrap(), alloc::vec![loopback(0).ip()]);
        // An empty name fails in the resolver without asking DNS (no network needed).
        assert_eq!(net.resolve(""), Err(EAI_NONAME));
    }
}
