//! The stream methods of sockets, with MicroPython's stream semantics:
//! `read(n)`/`readinto`/`write` repeat until done, end of stream or "would
//! block" (then the part so far, or None when nothing was transferred);
//! `read()` reads to the end; `readline` reads byte by byte. On a blocking
//! socket an expired timeout is ETIMEDOUT. `ioctl` answers the stream-protocol
//! requests (poll, close, file number) for Python code that drives streams.

use alloc::vec::Vec;

use super::{buffer_arg, host, host_blocking, is_blocking, raise_blocking, self_arg, small};
use crate::error::PyResult;
use crate::modules::net::{self, PollFd, EAGAIN, EINVAL};
use crate::obj::Obj;
use crate::vm::Vm;

/// Stream-protocol `ioctl` requests.
const MP_STREAM_POLL: i64 = 3;
const MP_STREAM_CLOSE: i64 = 4;
const MP_STREAM_GET_FILENO: i64 = 10;
/// Chunk size of `read()` to the end.
const CHUNK: usize = 4096;

/// What a repeated transfer gave: the count done, and the error that stopped
/// it early (never "would block" once something was transferred).
struct Done {
    n: usize,
    err: Option<i32>,
}

/// Receives into `buf` until it is full, the stream ends or an error stops it.
fn recv_all(vm: &mut Vm, s: Obj, fd: i32, buf: &mut [u8]) -> PyResult<Done> {
    let mut n = 0;
    while n < buf.len() {
        match host_blocking(vm, s, fd, net::POLLIN, |h| h.recv(fd, &mut buf[n..], 0))? {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(EAGAIN) if n > 0 => break,
            Err(e) => return Ok(Done { n, err: Some(e) }),
        }
    }
    Ok(Done { n, err: None })
}

/// Sends `data` until all is out or an error stops it.
fn send_all(vm: &mut Vm, s: Obj, fd: i32, data: &[u8]) -> PyResult<Done> {
    let mut n = 0;
    while n < data.len() {
        match host_blocking(vm, s, fd, net::POLLOUT, |h| h.send(fd, &data[n..], 0))? {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(EAGAIN) if n > 0 => break,
            Err(e) => return Ok(Done { n, err: Some(e) }),
        }
    }
    Ok(Done { n, err: None })
}

/// The count as an int, None for "would block" on a non-blocking socket, or
/// the error raised.
fn count_or_none(vm: &mut Vm, s: Obj, d: Done) -> PyResult<Option<usize>> {
    match d.err {
        None => Ok(Some(d.n)),
        Some(EAGAIN) if !is_blocking(vm, s) => Ok(None),
        Some(e) => Err(raise_blocking(vm, s, e)),
    }
}

/// `read([n])`.
pub fn read(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 2)?;
    let (s, fd) = self_arg(vm, args)?;
    let size = match args.get(1) {
        Some(&n) if n != Obj::NONE => vm.expect_int(n)?,
        _ => -1,
    };
    if size < 0 {
        return read_to_end(vm, s, fd);
    }
    let mut buf = alloc::vec![0u8; size.min(super::MAX_RECV as i64) as usize];
    let d = recv_all(vm, s, fd, &mut buf)?;
    match count_or_none(vm, s, d)? {
        Some(n) => vm.new_bytes(&buf[..n]),
        None => Ok(Obj::NONE),
    }
}

fn read_to_end(vm: &mut Vm, s: Obj, fd: i32) -> PyResult<Obj> {
    let mut out = Vec::new();
    let mut chunk = alloc::vec![0u8; CHUNK];
    loop {
        match host_blocking(vm, s, fd, net::POLLIN, |h| h.recv(fd, &mut chunk, 0))? {
            Ok(0) => break,
            Ok(k) => out.extend_from_slice(&chunk[..k]),
            Err(EAGAIN) if !is_blocking(vm, s) => {
                if out.is_empty() {
                    return Ok(Obj::NONE);
                }
                break;
            }
            Err(e) => return Err(raise_blocking(vm, s, e)),
        }
    }
    vm.new_bytes(&out)
}

/// The (offset, length) a `readinto`/`write` works on: `(buf)`,
/// `(buf, max_len)` or `(buf, offset, max_len)`, as MicroPython's streams.
fn window(vm: &mut Vm, args: &[Obj], len: usize) -> PyResult<(usize, usize)> {
    let (off, max) = match args.len() {
        3 => (0, vm.expect_int(args[2])?),
        4 => (vm.expect_int(args[2])?, vm.expect_int(args[3])?),
        _ => (0, i64::MAX),
    };
    let off = (off.max(0) as usize).min(len);
    Ok((off, (max.max(0) as u64).min((len - off) as u64) as usize))
}

/// `readinto(buf[, max_len])` / `readinto(buf, offset, max_len)`.
pub fn readinto(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 4)?;
    let (s, fd) = self_arg(vm, args)?;
    let info = match vm.buffer_info(args[1]) {
        Some(i) if i.writable => i,
        _ => return Err(vm.type_error("object with buffer protocol required")),
    };
    let (off, len) = window(vm, args, info.len)?;
    let mut buf = alloc::vec![0u8; len];
    let d = recv_all(vm, s, fd, &mut buf)?;
    let n = d.n;
    if n > 0 && !vm.buffer_write(args[1], off, &buf[..n]) {
        return Err(vm.value_error("buffer changed size"));
    }
    match count_or_none(vm, s, d)? {
        Some(n) => Ok(small(n as i64)),
        None => Ok(Obj::NONE),
    }
}

/// `readline([limit])`: up to and including a newline.
pub fn readline(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 2)?;
    let (s, fd) = self_arg(vm, args)?;
    let limit = match args.get(1) {
        Some(&n) if n != Obj::NONE => vm.expect_int(n)?,
        _ => -1,
    };
    let mut line = Vec::new();
    while limit < 0 || (line.len() as i64) < limit {
        let mut b = [0u8];
        match host_blocking(vm, s, fd, net::POLLIN, |h| h.recv(fd, &mut b, 0))? {
            Ok(0) => break,
            Ok(_) => {
                line.push(b[0]);
                if b[0] == b'\n' {
                    break;
                }
            }
            Err(EAGAIN) if !is_blocking(vm, s) => {
                if line.is_empty() {
                    return Ok(Obj::NONE);
                }
                break;
            }
            Err(e) => return Err(raise_blocking(vm, s, e)),
        }
    }
    vm.new_bytes(&line)
}

/// `write(buf[, max_len])` / `write(buf, offset, max_len)`: the count
/// written, None when nothing could be written without blocking.
pub fn write(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 4)?;
    let (s, fd) = self_arg(vm, args)?;
    let data = buffer_arg(vm, args[1])?;
    let (off, len) = window(vm, args, data.len())?;
    let d = send_all(vm, s, fd, &data[off..off + len])?;
    match count_or_none(vm, s, d)? {
        Some(n) => vm.new_int(n as i64),
        None => Ok(Obj::NONE),
    }
}

/// `ioctl(request, arg)`: poll (the ready flags of `arg`), close, file number.
pub fn ioctl(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let (_, fd) = self_arg(vm, args)?;
    let req = vm.expect_int(args[1])?;
    match req {
        MP_STREAM_POLL => {
            let mask = match args.get(2) {
                Some(&m) => vm.expect_int(m)?,
                None => 0,
            };
            let mut p = [PollFd { fd, events: (mask as i16) & (net::POLLIN | net::POLLOUT), revents: 0 }];
            match host(vm, |h| h.poll(&mut p, 0))? {
                Ok(_) => Ok(small(i64::from(p[0].revents))),
                Err(e) => Ok(small(-i64::from(e))),
            }
        }
        MP_STREAM_CLOSE => {
            super::sock_close(vm, &args[..1], &[])?;
            Ok(small(0))
        }
        MP_STREAM_GET_FILENO => Ok(small(i64::from(fd))),
        _ => Ok(small(-i64::from(EINVAL))),
    }
}
