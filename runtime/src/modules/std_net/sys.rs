//! The two system calls the safe wrappers do not offer, on raw handles:
//! `poll(2)` over any integers (a handle that is not open reports `POLLNVAL`,
//! as the kernel does) and `setsockopt(2)` with the option's bytes as given.
//! The only `unsafe` code of the network host.
#![allow(unsafe_code)]

use alloc::vec::Vec;

use crate::modules::net::PollFd;

/// The errno of the last failed call.
fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(crate::modules::net::EINVAL)
}

/// `poll(2)` over `fds`, waiting up to `timeout_ms` (negative: for ever).
pub fn poll(fds: &mut [PollFd], timeout_ms: i32) -> Result<usize, i32> {
    let mut raw: Vec<libc::pollfd> =
        fds.iter().map(|p| libc::pollfd { fd: p.fd, events: p.events, revents: 0 }).collect();
    // SAFETY: `raw` is a live, exclusively borrowed array of exactly `raw.len()`
    // `pollfd` structures; the kernel writes only their `revents` fields and
    // keeps no reference after returning. Handle numbers need no validity: a
    // handle that is not open is reported as POLLNVAL.
    let n = unsafe { libc::poll(raw.as_mut_ptr(), raw.len() as libc::nfds_t, timeout_ms) };
    if n < 0 {
        return Err(last_errno());
    }
    for (p, r) in fds.iter_mut().zip(&raw) {
        p.revents = r.revents;
    }
    Ok(n as usize)
}

/// `setsockopt(2)` of option `name` at `level` to the bytes `value`.
pub fn setsockopt(fd: i32, level: i32, name: i32, value: &[u8]) -> Result<(), i32> {
    // SAFETY: the pointer and length describe the live slice `value`, which the
    // kernel only reads (copies) during the call. An `fd` that is not a socket
    // fails with EBADF/ENOTSOCK.
    let r = unsafe {
        libc::setsockopt(fd, level, name, value.as_ptr().cast::<libc::c_void>(), value.len() as libc::socklen_t)
    };
    if r < 0 {
        Err(last_errno())
    } else {
        Ok(())
    }
}
