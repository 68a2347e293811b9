//! The `io` module: `StringIO` and `BytesIO` (in-memory streams:
//! `[type, buffer (a bytearray, grown in place by writes), position, closed]`), the standard streams
//! `sys.stdin`/`stdout`/`stderr` (`[type, fd]`), and `open()` (files are read
//! whole into a stream; writes go to the host when the stream is closed or
//! flushed: `[.., path, mode flags]`).

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

const BUF: usize = 1;
const POS: usize = 2;
const CLOSED: usize = 3;
const PATH: usize = 4;
const FLAGS: usize = 5;
/// A file's descriptor number (small int; absent for in-memory streams).
const FD: usize = 6;
/// The file-system object a file was opened on (`VfsFat.open`), or NULL for a
/// path in the mount table.
const FSOBJ: usize = 7;
const SIZE: usize = 8;

const F_WRITE: u32 = 1;
const F_APPEND: u32 = 2;
/// Opened with `+`: both reading and writing.
const F_PLUS: u32 = 4;
/// Written since the last flush (only then does a flush write the file back).
const F_DIRTY: u32 = 8;
/// A file of a FAT volume: every write goes to the volume at once (a full
/// volume fails the write and leaves the file as it was), and a closed file
/// gives `OSError(EINVAL)`, as MicroPython's `VfsFat` files do.
const F_FAT: u32 = 16;
/// EINVAL: what a closed FAT file answers.
const EINVAL: i32 = 22;

/// EBADF: the file was not opened for this kind of access.
const EBADF: i32 = 9;

/// OSError(EBADF) when stream `s` is a file not opened for reading (`write` false) or
/// writing (`write` true); in-memory streams allow both.
fn check_access(vm: &mut Vm, s: Obj, write: bool) -> PyResult<()> {
    if vm.get(s, PATH).is_null() {
        return Ok(());
    }
    let flags = vm.get_u32(s, FLAGS);
    let allowed = flags & F_PLUS != 0 || (flags & F_WRITE != 0) == write;
    if allowed {
        Ok(())
    } else {
        Err(super::errno::os_error(vm, EBADF))
    }
}

static STREAM_METHODS: [Method; 13] = [
    Method::new("write", s_write),
    Method::new("readinto", s_readinto),
    Method::new("read", s_read),
    Method::new("readline", s_readline),
    Method::new("getvalue", s_getvalue),
    Method::new("seek", s_seek),
    Method::new("tell", s_tell),
    Method::new("close", s_close),
    Method::new("flush", s_flush),
    Method::new("__enter__", s_enter),
    Method::new("__exit__", s_exit),
    Method::new("readlines", s_readlines),
    Method::new("fileno", s_fileno),
];

/// `io.StringIO`.
pub static STRING_IO_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(stringio_new),
    print: Some(stream_print),
    getiter: Some(crate::rt::iter::self_iter),
    iternext: Some(s_iternext),
    methods: &STREAM_METHODS,
    ..TypeDesc::new("StringIO", ids::OBJECT)
};

/// `io.BytesIO`.
pub static BYTES_IO_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(bytesio_new),
    print: Some(stream_print),
    getiter: Some(crate::rt::iter::self_iter),
    iternext: Some(s_iternext),
    methods: &STREAM_METHODS,
    ..TypeDesc::new("BytesIO", ids::OBJECT)
};

static STD_METHODS: [Method; 7] = [
    Method::new("write", std_write),
    Method::new("readinto", std_readinto),
    Method::new("fileno", std_fileno),
    Method::new("close", s_close),
    Method::new("read", std_read),
    Method::new("readline", std_readline),
    Method::new("flush", s_flush),
];

/// The standard streams' type (`sys.stdout` and friends).
pub static TEXT_IO_TYPE: TypeDesc = TypeDesc {
    print: Some(std_print),
    attr: Some(std_attr),
    methods: &STD_METHODS,
    ..TypeDesc::new("TextIOWrapper", ids::OBJECT)
};

/// The binary layer of a standard stream (`sys.stdout.buffer`, `[type, fd]`).
pub static FILE_IO_TYPE: TypeDesc =
    TypeDesc { print: Some(std_print), methods: &STD_METHODS, ..TypeDesc::new("FileIO", ids::OBJECT) };

/// `io.IOBase`: a base for Python stream classes (`print(file=...)` calls their `write`).
pub static IO_BASE_TYPE: TypeDesc =
    TypeDesc { subclassable: true, make_new: Some(iobase_new), ..TypeDesc::new("IOBase", ids::OBJECT) };

fn iobase_new(vm: &mut Vm, t: Obj, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = vm.alloc(1)?;
    vm.set(o, 0, t);
    Ok(o)
}

/// `buffer` of a standard text stream: its binary (`FileIO`) layer.
fn std_attr(vm: &mut Vm, o: Obj, name: crate::qstr::Qstr) -> PyResult<Option<Obj>> {
    if vm.qstr_text(name) != "buffer" {
        return Ok(None);
    }
    let b = vm.alloc(2)?;
    vm.set(b, 0, crate::types::type_obj(ids::FILE_IO));
    let fd = vm.get(o, 1);
    vm.set(b, 1, fd);
    Ok(Some(b))
}

/// Fills `io`'s globals.
pub fn init(vm: &mut Vm, g: Obj) -> PyResult<()> {
    vm.set_global(g, "StringIO", crate::types::type_obj(ids::STRING_IO))?;
    vm.set_global(g, "BytesIO", crate::types::type_obj(ids::BYTES_IO))?;
    vm.set_global(g, "IOBase", crate::types::type_obj(ids::IO_BASE))?;
    vm.set_global(g, "open", crate::builtins::function_obj("open"))
}

/// A standard stream object for file descriptor `fd`.
pub fn new_std_stream(vm: &mut Vm, fd: i32) -> PyResult<Obj> {
    let o = vm.alloc(2)?;
    vm.set(o, 0, crate::types::type_obj(ids::TEXT_IO));
    vm.set(o, 1, Obj::from_small_int(fd).unwrap_or(Obj::NONE));
    Ok(o)
}

/// Writes `text` to stream object `file` (calls its `write`).
pub fn write_to(vm: &mut Vm, file: Obj, text: &str) -> PyResult<()> {
    let q = vm.intern("write")?;
    let (f, s) = vm.load_method(file, q)?;
    let t = vm.new_str(text)?;
    vm.root(t);
    if s.is_null() {
        vm.call(f, &[t], &[])?;
    } else {
        vm.call(f, &[s, t], &[])?;
    }
    Ok(())
}

fn std_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let fd = vm.get(o, 1).small_int_value().unwrap_or(0);
    let name = vm.type_name(o);
    out.push_str(&alloc::format!("<io.{name} {fd}>"));
    Ok(())
}

/// `write(buf[, max_len])` / `write(buf, offset, max_len)` of a standard
/// stream. The binary layer of stdout (`sys.stdout.buffer`) writes the bytes
/// untranslated where the host can ([`Host::write_stdout_raw`](super::Host::write_stdout_raw)).
fn std_write(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    let data = crate::builtins::arg(vm, args, 1)?;
    let Some(bytes) = vm.buffer_or_str(data) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let (off, max_len) = write_window(vm, args)?;
    let bytes = &bytes[off.min(bytes.len())..];
    let bytes = &bytes[..max_len.unwrap_or(usize::MAX).min(bytes.len())];
    let binary = vm.type_of(s) == crate::types::type_obj(ids::FILE_IO);
    match vm.get(s, 1).small_int_value() {
        Some(2) => vm.write_err(bytes),
        _ if binary && vm.st.sys.host.write_stdout_raw(bytes) => {}
        _ => vm.write_out(bytes),
    }
    vm.new_int(bytes.len() as i64)
}

/// The `(offset, max_len)` of MicroPython's `write(buf, max_len)` and
/// `write(buf, offset, max_len)` forms (negative values count as 0).
fn write_window(vm: &mut Vm, args: &[Obj]) -> PyResult<(usize, Option<usize>)> {
    let mut count = |i: usize| -> PyResult<Option<usize>> {
        match args.get(i) {
            Some(&o) => Ok(Some(usize::try_from(vm.expect_int(o)?).unwrap_or(0))),
            None => Ok(None),
        }
    };
    if args.len() > 3 {
        Ok((count(2)?.unwrap_or(0), count(3)?))
    } else {
        Ok((0, count(2)?))
    }
}

/// `readinto(buf[, n])` of standard input's binary layer: waits for input and
/// fills the buffer with what is there (at least one byte; 0 at end of input).
fn std_readinto(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (dst, n) = readinto_args(vm, args)?;
    let got = stdin_take_raw(vm, n);
    vm.buffer_write(dst, 0, &got);
    vm.new_int(got.len() as i64)
}

/// The `(buf, n)` of `readinto(buf[, n])`: a writable buffer, and how many
/// bytes to read at most (its length, or less).
fn readinto_args(vm: &mut Vm, args: &[Obj]) -> PyResult<(Obj, usize)> {
    let dst = crate::builtins::arg(vm, args, 1)?;
    let Some(info) = vm.buffer_info(dst).filter(|i| i.writable) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let mut n = info.len;
    if let Some(&m) = args.get(2) {
        n = n.min(usize::try_from(vm.expect_int(m)?).unwrap_or(0));
    }
    Ok((dst, n))
}

/// Up to `n` bytes of standard input as they come (buffered ones first).
fn stdin_take_raw(vm: &mut Vm, n: usize) -> Vec<u8> {
    if n == 0 {
        return Vec::new();
    }
    if vm.st.sys.stdin_buf.is_empty() {
        let more = vm.st.sys.host.read_stdin_raw(n);
        vm.st.sys.stdin_buf.extend_from_slice(&more);
    }
    let buf = &mut vm.st.sys.stdin_buf;
    let end = n.min(buf.len());
    buf.drain(..end).collect()
}

/// Takes the next line (or up to `limit` bytes/characters, or everything
/// when `line` is false and `limit` is `None`) of standard input, reading
/// lines from the host as needed.
pub(crate) fn stdin_take(vm: &mut Vm, limit: Option<usize>, line: bool, bytes: bool) -> Vec<u8> {
    let count = |buf: &[u8]| if bytes { buf.len() } else { buf.iter().filter(|&&b| b & 0xc0 != 0x80).count() };
    loop {
        let buf = &vm.st.sys.stdin_buf;
        let have_line = line && buf.contains(&b'\n');
        let have_enough = limit.is_some_and(|n| count(buf) >= n);
        if have_line || have_enough {
            break;
        }
        let more = vm.st.sys.host.read_line();
        if more.is_empty() {
            break;
        }
        vm.st.sys.stdin_buf.extend_from_slice(&more);
    }
    let buf = &mut vm.st.sys.stdin_buf;
    let mut end = buf.len();
    if line {
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            end = i + 1;
        }
    }
    if let Some(n) = limit {
        let cut = if bytes {
            n.min(buf.len())
        } else {
            buf.iter().enumerate().filter(|(_, &b)| b & 0xc0 != 0x80).nth(n).map_or(buf.len(), |(i, _)| i)
        };
        end = end.min(cut);
    }
    buf.drain(..end).collect()
}

fn std_result(vm: &mut Vm, s: Obj, data: &[u8]) -> PyResult<Obj> {
    if vm.type_of(s) == crate::types::type_obj(ids::FILE_IO) {
        vm.new_bytes(data)
    } else {
        let text = String::from_utf8_lossy(data).into_owned();
        vm.new_str(&text)
    }
}

fn std_limit(vm: &mut Vm, args: &[Obj]) -> PyResult<Option<usize>> {
    match args.get(1) {
        Some(&n) if n != Obj::NONE => Ok(usize::try_from(vm.expect_int(n)?).ok()),
        _ => Ok(None),
    }
}

fn std_readline(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    let limit = std_limit(vm, args)?;
    let bytes = vm.type_of(s) == crate::types::type_obj(ids::FILE_IO);
    let data = stdin_take(vm, limit, true, bytes);
    std_result(vm, s, &data)
}

fn std_read(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    let limit = std_limit(vm, args)?;
    let bytes = vm.type_of(s) == crate::types::type_obj(ids::FILE_IO);
    let data = match limit {
        // Binary reads of a size take the bytes as they come, untranslated.
        Some(n) if bytes => {
            let mut data = Vec::new();
            while data.len() < n {
                let more = stdin_take_raw(vm, n - data.len());
                if more.is_empty() {
                    break;
                }
                data.extend_from_slice(&more);
            }
            data
        }
        _ => stdin_take(vm, limit, false, bytes),
    };
    std_result(vm, s, &data)
}

fn stream_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let name = if !is_fat_file(vm, o) {
        vm.type_name(o)
    } else if is_bytes_stream(vm, o) {
        String::from("FileIO")
    } else {
        String::from("TextIOWrapper")
    };
    out.push_str(&alloc::format!("<io.{name} 0x{:x}>", o.raw()));
    Ok(())
}

/// True for a file of a FAT volume (see [`F_FAT`]).
fn is_fat_file(vm: &Vm, s: Obj) -> bool {
    !vm.get(s, PATH).is_null() && vm.get_u32(s, FLAGS) & F_FAT != 0
}

fn is_bytes_stream(vm: &Vm, o: Obj) -> bool {
    vm.type_of(o) == crate::types::type_obj(ids::BYTES_IO)
}

/// A new in-memory stream holding `data`; files (`finaliser` true) are
/// finalised when collected unclosed ([`finalise`]).
fn new_stream(vm: &mut Vm, type_id: u32, data: &[u8], finaliser: bool) -> PyResult<Obj> {
    vm.with_temps(|vm| {
        let b = vm.new_bytearray(data)?;
        vm.root(b);
        let o = if finaliser {
            match vm.heap.alloc_with_finaliser(SIZE * 4, &mut vm.st) {
                Ok(o) if !o.is_null() => o,
                _ => return Err(vm.memory_error()),
            }
        } else {
            vm.alloc(SIZE)?
        };
        vm.set(o, 0, crate::types::type_obj(type_id));
        vm.set(o, BUF, b);
        vm.set_u32(o, POS, 0);
        Ok(o)
    })
}

fn initial_data(vm: &mut Vm, args: &[Obj], want_bytes: bool) -> PyResult<Vec<u8>> {
    match args.first() {
        None => Ok(Vec::new()),
        Some(&a) if a.is_small_int() => Ok(Vec::new()),
        Some(&a) => {
            let ok = if want_bytes { vm.is_exact(a, ids::BYTES) } else { vm.is_str(a) };
            let data = match vm.str_bytes(a) {
                Some(b) if ok => Some(b),
                // Any other buffer (bytearray, memoryview, array) is copied.
                _ if want_bytes => vm.buffer_bytes(a),
                _ => None,
            };
            match data {
                Some(b) => Ok(b),
                _ => {
                    let n = vm.type_name(a);
                    Err(vm.type_error(&alloc::format!("object with buffer protocol required, not {n}")))
                }
            }
        }
    }
}

fn stringio_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let data = initial_data(vm, args, false)?;
    let s = new_stream(vm, ids::STRING_IO, &data, false)?;
    preallocate(vm, s, args)
}

fn bytesio_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let data = initial_data(vm, args, true)?;
    let s = new_stream(vm, ids::BYTES_IO, &data, false)?;
    preallocate(vm, s, args)
}

/// `StringIO(n)`/`BytesIO(n)` (MicroPython's form): an empty stream with room
/// for `n` bytes, so writing that much later needs no heap.
fn preallocate(vm: &mut Vm, s: Obj, args: &[Obj]) -> PyResult<Obj> {
    if let Some(n) = args.first().and_then(|a| a.small_int_value()).and_then(|n| usize::try_from(n).ok()) {
        vm.with_temps(|vm| {
            vm.root(s);
            let b = vm.get(s, BUF);
            vm.reserve_storage(b, 3, 2, 0, n)
        })?;
    }
    Ok(s)
}

fn check_open(vm: &mut Vm, s: Obj) -> PyResult<()> {
    if vm.get_u32(s, CLOSED) != 0 {
        if is_fat_file(vm, s) {
            return Err(super::errno::os_error(vm, EINVAL));
        }
        return Err(vm.value_error("I/O operation on closed file"));
    }
    Ok(())
}

fn buf_data(vm: &Vm, s: Obj) -> Vec<u8> {
    let b = vm.get(s, BUF);
    vm.buffer_bytes(b).unwrap_or_default()
}

/// Length in bytes of stream `s`'s contents.
fn buf_len(vm: &Vm, s: Obj) -> usize {
    vm.buffer_info(vm.get(s, BUF)).map_or(0, |i| i.len)
}

fn make_value(vm: &mut Vm, s: Obj, data: &[u8]) -> PyResult<Obj> {
    if is_bytes_stream(vm, s) {
        vm.new_bytes(data)
    } else {
        vm.new_str_bytes(data, ids::STR)
    }
}

fn self_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    let s = vm.native_self(s);
    let t = vm.type_of(s);
    if t != crate::types::type_obj(ids::STRING_IO) && t != crate::types::type_obj(ids::BYTES_IO) {
        return Err(vm.type_error("stream expected"));
    }
    Ok(s)
}

/// `write(buf)`, and MicroPython's extended forms `write(buf, max_len)` and
/// `write(buf, offset, max_len)` (offset clamped to the data, length to what remains).
fn s_write(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    check_open(vm, s)?;
    check_access(vm, s, true)?;
    let d = crate::builtins::arg(vm, args, 1)?;
    let data = match vm.buffer_or_str(d) {
        Some(b) => b,
        _ => return Err(vm.type_error("object with buffer protocol required")),
    };
    let (off, max_len) = write_window(vm, args)?;
    let data = &data[off.min(data.len())..];
    let data = &data[..max_len.unwrap_or(usize::MAX).min(data.len())];
    // Writing past the end fills the gap with zero bytes.
    let pos = vm.get_usize(s, POS);
    let end = pos.saturating_add(data.len());
    if end > (1 << 26) {
        // Far past the end (after a long seek): more than the heap could ever hold.
        return Err(vm.memory_error());
    }
    let data = data.to_vec();
    let b = vm.get(s, BUF);
    let before = if is_fat_file(vm, s) { Some(buf_data(vm, s)) } else { None };
    if end > buf_len(vm, s) {
        vm.bytearray_resize(b, end)?;
    }
    vm.buffer_write(b, pos, &data);
    if let Some(old) = before {
        // Straight to the volume; a failed write leaves the file as it was.
        let flags = vm.get_u32(s, FLAGS);
        vm.set_u32(s, FLAGS, flags | F_DIRTY);
        if let Err(e) = flush_file(vm, s) {
            let b = vm.get(s, BUF);
            vm.bytearray_resize(b, old.len())?;
            vm.buffer_write(b, 0, &old);
            let flags = vm.get_u32(s, FLAGS);
            vm.set_u32(s, FLAGS, flags & !F_DIRTY);
            return Err(e);
        }
        vm.set_u32(s, POS, end as u32);
        return vm.new_int(data.len() as i64);
    }
    let flags = vm.get_u32(s, FLAGS);
    if flags & F_DIRTY == 0 && !vm.get(s, PATH).is_null() {
        vm.st.sys.files.dirty.push(s);
    }
    vm.set_u32(s, FLAGS, flags | F_DIRTY);
    vm.set_u32(s, POS, end as u32);
    vm.new_int(data.len() as i64)
}

/// `readinto(buf[, n])`: reads into a writable buffer, returns the byte count.
fn s_readinto(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    check_open(vm, s)?;
    check_access(vm, s, false)?;
    let (dst, n) = readinto_args(vm, args)?;
    let b = vm.get(s, BUF);
    if let Some(len) = vm.buffer_info(b).map(|i| i.len) {
        // Copy only the bytes asked for (byte-at-a-time readers stay linear).
        let pos = vm.get_usize(s, POS).min(len);
        let mut got = alloc::vec![0u8; n.min(len - pos)];
        vm.buffer_read(b, pos, &mut got);
        vm.buffer_write(dst, 0, &got);
        vm.set_u32(s, POS, (pos + got.len()) as u32);
        return vm.new_int(got.len() as i64);
    }
    let buf = buf_data(vm, s);
    let pos = vm.get_usize(s, POS).min(buf.len());
    let got = &buf[pos..(pos + n).min(buf.len())];
    vm.buffer_write(dst, 0, got);
    vm.set_u32(s, POS, (pos + got.len()) as u32);
    vm.new_int(got.len() as i64)
}

fn take(vm: &mut Vm, s: Obj, n: Option<usize>, line: bool) -> PyResult<Obj> {
    check_open(vm, s)?;
    check_access(vm, s, false)?;
    let buf = buf_data(vm, s);
    let pos = vm.get_usize(s, POS).min(buf.len());
    let rest = &buf[pos..];
    let mut len = n.unwrap_or(rest.len()).min(rest.len());
    if line {
        if let Some(i) = rest[..len].iter().position(|&c| c == b'\n') {
            len = i + 1;
        }
    } else if !is_bytes_stream(vm, s) {
        // n counts characters in a str stream.
        if let Some(n) = n {
            let text = core::str::from_utf8(rest).unwrap_or("");
            len = text.char_indices().nth(n).map(|(i, _)| i).unwrap_or(rest.len());
        }
    }
    let out = rest[..len].to_vec();
    vm.set_u32(s, POS, (pos + len) as u32);
    make_value(vm, s, &out)
}

fn size_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Option<usize>> {
    match args.get(1) {
        Some(&a) if a != Obj::NONE => {
            let v = vm.expect_int(a)?;
            Ok(usize::try_from(v).ok())
        }
        _ => Ok(None),
    }
}

fn s_read(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let n = size_arg(vm, args)?;
    take(vm, s, n, false)
}

fn s_readline(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let n = size_arg(vm, args)?;
    take(vm, s, n, true)
}

fn s_readlines(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let l = vm.new_list(&[])?;
    vm.root(l);
    loop {
        let line = take(vm, s, None, true)?;
        if vm.str_bytes(line).unwrap_or_default().is_empty() {
            return Ok(l);
        }
        vm.list_append(l, line)?;
    }
}

fn s_iternext(vm: &mut Vm, s: Obj) -> PyResult<Obj> {
    let line = take(vm, s, None, true)?;
    if vm.str_bytes(line).unwrap_or_default().is_empty() {
        return Ok(Obj::STOP_ITERATION);
    }
    Ok(line)
}

fn s_getvalue(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    check_open(vm, s)?;
    let data = buf_data(vm, s);
    make_value(vm, s, &data)
}

fn s_seek(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    check_open(vm, s)?;
    let off = crate::builtins::arg(vm, args, 1)?;
    let off = vm.expect_int(off)?;
    let whence = match args.get(2) {
        Some(&w) => vm.expect_int(w)?,
        None => 0,
    };
    if whence == 0 && off < 0 {
        // An absolute position can't be negative: EINVAL, as a real file.
        let code = vm.new_int(22)?;
        let e = vm.new_exception(crate::types::ids::OS_ERROR, &[code])?;
        return Err(crate::error::PyErr(e));
    }
    let len = buf_len(vm, s) as i64;
    let base = match whence {
        0 => 0,
        1 => vm.get_usize(s, POS) as i64,
        2 => len,
        _ => return Err(vm.value_error("invalid whence")),
    };
    let pos = (base + off).clamp(0, u32::MAX as i64);
    vm.set_u32(s, POS, pos as u32);
    vm.new_int(pos)
}

fn s_tell(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    check_open(vm, s)?;
    let p = vm.get_usize(s, POS) as i64;
    vm.new_int(p)
}

fn flush_file(vm: &mut Vm, s: Obj) -> PyResult<()> {
    let flags = vm.get_u32(s, FLAGS);
    if flags & F_WRITE == 0 || flags & F_DIRTY == 0 {
        return Ok(());
    }
    vm.set_u32(s, FLAGS, flags & !F_DIRTY);
    vm.st.sys.files.dirty.retain(|&f| f != s);
    let path = vm.get(s, PATH);
    let path = vm.str_text(path).unwrap_or_default();
    let data = buf_data(vm, s);
    let fs = vm.get(s, FSOBJ);
    if fs.is_null() {
        super::vfs::mount::write_file(vm, &path, &data, false)
    } else {
        super::vfsobj::write_file(vm, fs, &path, &data, false)
    }
}

/// Writes every file that was written and not flushed since (called when
/// the VM ends: a script that never closes its file still gets its data
/// written, as MicroPython's unbuffered files do). Errors are dropped: there
/// is no Python code left to report them to.
pub fn flush_dirty_files(vm: &mut Vm) {
    super::files::write_pending(vm);
    for s in core::mem::take(&mut vm.st.sys.files.dirty) {
        let _ = flush_file(vm, s);
    }
}

/// The GC's finaliser hook for files collected without being closed: gives
/// the descriptor back and queues unwritten data ([`super::files`]). Other
/// objects are ignored.
pub fn finalise(sys: &mut super::SystemState, obj: Obj, heap: &crate::gc::HeapWords) {
    let t = heap.load_obj(obj, 0);
    if t != Some(crate::types::type_obj(ids::STRING_IO)) && t != Some(crate::types::type_obj(ids::BYTES_IO)) {
        return;
    }
    let Some(fd) = heap.load_obj(obj, FD).and_then(Obj::small_int_value) else { return };
    if heap.load(obj, CLOSED) != Some(0) {
        return;
    }
    let dirty = heap.load(obj, FLAGS).unwrap_or(0) & F_DIRTY != 0;
    let buf = heap.load_obj(obj, BUF).unwrap_or(Obj::NULL);
    sys.files.finalise(obj, fd, dirty, buf, heap);
}

/// `fileno()` of a file: its descriptor number. In-memory streams have none.
fn s_fileno(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    check_open(vm, s)?;
    match vm.get(s, FD) {
        fd if fd.is_small_int() => Ok(fd),
        _ => Err(super::errno::os_error(vm, EBADF)),
    }
}

/// `fileno()` of a standard stream.
fn std_fileno(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    Ok(vm.get(s, 1))
}

fn s_close(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    let t = vm.type_of(s);
    if t == crate::types::type_obj(ids::TEXT_IO) || t == crate::types::type_obj(ids::FILE_IO) {
        return Ok(Obj::NONE);
    }
    let s = self_arg(vm, args)?;
    if vm.get_u32(s, CLOSED) == 0 {
        // A failed write-back leaves the file open (its data is not lost).
        flush_file(vm, s)?;
        vm.set_u32(s, CLOSED, 1);
        if let Some(fd) = vm.get(s, FD).small_int_value() {
            vm.st.sys.files.release_fd(fd);
        }
    }
    Ok(Obj::NONE)
}

fn s_flush(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    if vm.type_of(s) != crate::types::type_obj(ids::TEXT_IO) {
        if vm.get_u32(s, CLOSED) == 0 {
            flush_file(vm, s)?;
        } else {
            check_open(vm, s)?;
        }
    }
    Ok(Obj::NONE)
}

fn s_enter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::arg(vm, args, 0)
}

fn s_exit(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    s_close(vm, &args[..args.len().min(1)], kw)
}

/// `open(path, mode='r')`: the file is read whole (mode `r`/`rb`) or written
/// when closed (modes `w`, `a`, with `b` for bytes).
pub fn open(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let p = crate::builtins::arg(vm, args, 0)?;
    let mode = match args.get(1).copied().or_else(|| vm.kwarg(kw, "mode")) {
        Some(m) => vm.expect_str(m)?,
        None => String::from("r"),
    };
    if let Some(fd) = p.small_int_value() {
        return open_std_fd(vm, fd, &mode);
    }
    let path = vm.expect_str(p)?;
    // The file's place in the mount table; a mounted Python file system opens it itself.
    let path = match super::vfs::mount::open(vm, &path, &mode)? {
        super::vfs::mount::OpenTarget::Py(f) => return Ok(f),
        super::vfs::mount::OpenTarget::Local(abs) => abs,
    };
    open_in(vm, Obj::NULL, &path, &mode)
}

/// The contents of file `path` of `fs` (NULL: the mount table).
fn read_at(vm: &mut Vm, fs: Obj, path: &str) -> PyResult<Vec<u8>> {
    if fs.is_null() {
        super::vfs::mount::read_file(vm, path)
    } else {
        super::vfsobj::read_file(vm, fs, path)
    }
}

/// Opens file `path` with `mode`: a path in the mount table when `fs` is NULL,
/// else absolute within file-system object `fs` (`VfsFat.open`).
pub fn open_in(vm: &mut Vm, fs: Obj, path: &str, mode: &str) -> PyResult<Obj> {
    let fat = if fs.is_null() { super::vfs::mount::write_through(vm, path) } else { vm.is_exact(fs, ids::VFS_FAT) };
    if mode.contains('x') {
        // Exclusive creation: the file must not exist yet.
        if read_at(vm, fs, path).is_ok() {
            return Err(super::errno::os_error(vm, 17));
        }
    }
    let mode = if mode.contains('x') { mode.replace('x', "w") } else { String::from(mode) };
    let p = vm.new_str(path)?;
    vm.root(p);
    let binary = mode.contains('b');
    let type_id = if binary { ids::BYTES_IO } else { ids::STRING_IO };
    let plus = if mode.contains('+') { F_PLUS | F_WRITE } else { 0 };
    let fat_flag = if fat { F_FAT } else { 0 };
    // An existing file opened for appending is left as it is until something is written.
    let mut existing = false;
    let (data, flags) = if mode.contains('w') {
        (Vec::new(), F_WRITE | plus | fat_flag)
    } else if mode.contains('a') {
        let old = read_at(vm, fs, path);
        existing = old.is_ok();
        (old.unwrap_or_default(), F_WRITE | F_APPEND | plus | fat_flag)
    } else {
        (read_at(vm, fs, path)?, plus | fat_flag)
    };
    let s = new_stream(vm, type_id, &data, true)?;
    vm.root(s);
    vm.set(s, PATH, p);
    let fd = vm.st.sys.files.take_fd(path);
    vm.set(s, FD, Obj::from_small_int(fd).unwrap_or(Obj::NONE));
    vm.set(s, FSOBJ, fs);
    vm.set_u32(s, FLAGS, flags);
    if flags & F_APPEND != 0 {
        vm.set_u32(s, POS, data.len() as u32);
    }
    if flags & F_WRITE != 0 && !existing {
        // Create (or truncate) the file now.
        vm.set_u32(s, FLAGS, flags | F_DIRTY);
        flush_file(vm, s)?;
    }
    Ok(s)
}

/// `open(fd)`: a stream over standard descriptor 0, 1 or 2 (text, or binary
/// with `b` in the mode). Other numbers raise `OSError(EBADF)`.
fn open_std_fd(vm: &mut Vm, fd: i32, mode: &str) -> PyResult<Obj> {
    if !(0..=2).contains(&fd) {
        return Err(super::errno::os_error(vm, EBADF));
    }
    let s = new_std_stream(vm, fd)?;
    if mode.contains('b') {
        vm.set(s, 0, crate::types::type_obj(ids::FILE_IO));
    }
    Ok(s)
}
