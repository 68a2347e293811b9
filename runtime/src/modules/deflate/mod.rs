//! The `deflate` module: `DeflateIO(stream, format=AUTO, wbits=0, close=False)`
//! decompresses what it reads from `stream` and compresses what is written to
//! it (raw deflate, zlib or gzip), as MicroPython's. An object is
//! `[type, stream (NULL once closed), format, wbits, close flag, codec slot,
//! compression window]`; the window is on the VM heap (as MicroPython's, so a
//! full heap gives MemoryError on the first write), the rest of
//! the codec state lives in `SystemState::deflate` at the slot index (minus 1)
//! until `close()` frees it (or the GC, when the object is dropped unclosed). The wrapped stream is reached through its Python
//! methods: `readinto` one byte at a time, `write` one finished byte at a time.

pub mod checksum;
pub mod compress;
pub mod inflate;
pub mod tables;

use alloc::boxed::Box;
use alloc::vec::Vec;

use self::checksum::{adler32, crc32};
use self::compress::Compressor;
use self::inflate::{parse_header, InflateError, Inflater, Wrapper};
use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

const STREAM: usize = 1;
const FORMAT: usize = 2;
const WBITS: usize = 3;
const CLOSE: usize = 4;
const SLOT: usize = 5;
/// The compressor's history window (a raw heap object, NULL before the first write).
const WWIN: usize = 6;

const AUTO: i64 = 0;
const RAW: i64 = 1;
const ZLIB: i64 = 2;
const GZIP: i64 = 3;
/// Window bits when `wbits` is 0 (and a raw stream or the compressor gives none).
const DEFAULT_WBITS: u8 = 8;

const EINVAL: i32 = 22;
const EAGAIN: i32 = 11;
/// MicroPython's stream ioctl request to close.
const STREAM_CLOSE: i32 = 4;

/// The read side: None until the first read, Err after a bad header.
type ReadSide = Option<Result<Inflater, ()>>;

/// The write side: the encoder, the count and checksum of the input so far.
struct WriteSide {
    enc: Compressor,
    input_len: u32,
    check: u32,
}

/// Per-object codec state.
#[derive(Default)]
pub struct Codec {
    read: ReadSide,
    write: Option<WriteSide>,
}

/// The module's (empty) function table.
pub static DEFLATE_FUNCS: TypeDesc = TypeDesc::new("deflate", ids::OBJECT);

static METHODS: [Method; 7] = [
    Method::new("read", d_read),
    Method::new("readinto", d_readinto),
    Method::new("readline", d_readline),
    Method::new("write", d_write),
    Method::new("close", d_close),
    Method::new("__enter__", d_enter),
    Method::new("__exit__", d_exit),
];

/// `deflate.DeflateIO`.
pub static DEFLATE_IO_TYPE: TypeDesc =
    TypeDesc { make_new: Some(deflateio_new), methods: &METHODS, ..TypeDesc::new("DeflateIO", ids::OBJECT) };

fn small(v: i64) -> Obj {
    Obj::from_small_int(v as i32).unwrap_or(Obj::NONE)
}

/// Builds the `deflate` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let extra = [
        ("DeflateIO", crate::types::type_obj(ids::DEFLATE_IO)),
        ("AUTO", small(AUTO)),
        ("RAW", small(RAW)),
        ("ZLIB", small(ZLIB)),
        ("GZIP", small(GZIP)),
    ];
    super::make_module(vm, "deflate", ids::DEFLATE_FUNCS, &extra)
}

fn deflateio_new(vm: &mut Vm, t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("function doesn't take keyword arguments"));
    }
    crate::builtins::check_count(vm, args, 1, 4)?;
    let format = match args.get(1) {
        Some(&f) => vm.expect_int(f)?,
        None => AUTO,
    };
    let wbits = match args.get(2) {
        Some(&w) => vm.expect_int(w)?,
        None => 0,
    };
    if !(AUTO..=GZIP).contains(&format) {
        return Err(vm.value_error("format"));
    }
    if wbits != 0 && !(5..=15).contains(&wbits) {
        return Err(vm.value_error("wbits"));
    }
    let close = match args.get(3) {
        Some(&c) => vm.is_true(c)?,
        None => false,
    };
    let table = &mut vm.st.sys.deflate;
    let slot = match table.iter().position(Option::is_none) {
        Some(i) => i,
        None => {
            table.push(None);
            table.len() - 1
        }
    };
    table[slot] = Some(Box::default());
    // With a finaliser: an object dropped without close() frees its slot ([`finalise`]).
    let o = match vm.heap.alloc_with_finaliser((WWIN + 1) * 4, &mut vm.st) {
        Ok(o) if !o.is_null() => o,
        _ => {
            vm.st.sys.deflate[slot] = None;
            return Err(vm.memory_error());
        }
    };
    vm.set(o, 0, t);
    vm.set(o, STREAM, args[0]);
    vm.set(o, FORMAT, small(format));
    vm.set(o, WBITS, small(wbits));
    vm.set(o, CLOSE, if close { Obj::TRUE } else { Obj::FALSE });
    vm.set(o, SLOT, small(slot as i64 + 1));
    Ok(o)
}

/// Frees the codec slot of an unreachable `DeflateIO` object (the GC's
/// finaliser hook; other objects are ignored).
pub fn finalise(sys: &mut super::SystemState, obj: Obj, heap: &crate::gc::HeapWords) {
    if heap.load_obj(obj, 0) != Some(crate::types::type_obj(ids::DEFLATE_IO)) {
        return;
    }
    let slot = heap.load_obj(obj, SLOT).and_then(Obj::small_int_value).unwrap_or(0);
    if let Some(e) = (slot as usize).checked_sub(1).and_then(|i| sys.deflate.get_mut(i)) {
        *e = None;
    }
}

fn self_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    let s = vm.native_self(s);
    if !vm.is_exact(s, ids::DEFLATE_IO) {
        return Err(vm.type_error("DeflateIO object expected"));
    }
    Ok(s)
}

fn int_word(vm: &Vm, s: Obj, i: usize) -> i64 {
    i64::from(vm.get(s, i).small_int_value().unwrap_or(0))
}

/// Runs `f` on the object's codec, taken out of the table meanwhile (an empty
/// placeholder keeps the slot taken, should the stream's methods make new objects).
fn with_codec<R>(vm: &mut Vm, s: Obj, f: impl FnOnce(&mut Vm, &mut Codec) -> PyResult<R>) -> PyResult<R> {
    let slot = int_word(vm, s, SLOT) as usize;
    let taken = slot
        .checked_sub(1)
        .and_then(|i| vm.st.sys.deflate.get_mut(i))
        .and_then(|e| e.as_mut().map(|c| core::mem::take(&mut **c)));
    let Some(mut codec) = taken else {
        return Err(super::errno::os_error(vm, EINVAL));
    };
    let r = f(vm, &mut codec);
    if let Some(Some(e)) = vm.st.sys.deflate.get_mut(slot - 1) {
        **e = codec;
    }
    r
}

/// OSError(-n) for a negative count, OSError(EAGAIN) for None, else the count.
fn stream_count(vm: &mut Vm, r: Obj) -> PyResult<usize> {
    if r == Obj::NONE {
        return Err(super::errno::os_error(vm, EAGAIN));
    }
    let n = vm.expect_int(r)?;
    if n < 0 {
        return Err(super::errno::os_error(vm, (-n).min(i64::from(i32::MAX)) as i32));
    }
    Ok(n as usize)
}

/// One byte from the wrapped stream (EOFError at its end).
fn stream_byte(vm: &mut Vm, stream: Obj, cell: Obj) -> PyResult<u8> {
    let r = super::vfs::pyfs::call(vm, stream, "readinto", &[cell])?;
    if stream_count(vm, r)? == 0 {
        return Err(match vm.new_exception(ids::EOF_ERROR, &[]) {
            Ok(e) => PyErr(e),
            Err(e) => e,
        });
    }
    Ok(vm.buffer_byte(cell, 0))
}

/// Writes `data` to the wrapped stream in one `write` call; returns its count.
fn stream_write(vm: &mut Vm, stream: Obj, data: &[u8]) -> PyResult<usize> {
    vm.with_temps(|vm| {
        let b = vm.new_bytearray(data)?;
        vm.root(b);
        let r = super::vfs::pyfs::call(vm, stream, "write", &[b])?;
        stream_count(vm, r)
    })
}

fn map_inflate(vm: &mut Vm, e: InflateError<PyErr>) -> PyErr {
    match e {
        InflateError::Source(e) => e,
        InflateError::Data => super::errno::os_error(vm, EINVAL),
    }
}

/// Decompresses into `out`; the count (0 at the end of the data).
fn raw_read(vm: &mut Vm, s: Obj, out: &mut [u8]) -> PyResult<usize> {
    let stream = vm.get(s, STREAM);
    if stream.is_null() {
        return Err(super::errno::os_error(vm, EINVAL));
    }
    let format = int_word(vm, s, FORMAT);
    let wbits = int_word(vm, s, WBITS) as u8;
    vm.with_temps(|vm| {
        let cell = vm.new_bytearray(&[0])?;
        vm.root(cell);
        with_codec(vm, s, |vm, codec| {
            let mut src = || stream_byte(vm, stream, cell);
            if codec.read.is_none() {
                codec.read = Some(if format == RAW {
                    Ok(Inflater::new(Wrapper::Raw, if wbits == 0 { DEFAULT_WBITS } else { wbits }))
                } else {
                    match parse_header(&mut src) {
                        Ok((w, hb)) => {
                            let want = match format {
                                ZLIB => Wrapper::Zlib,
                                GZIP => Wrapper::Gzip,
                                _ => w,
                            };
                            if w == want {
                                Ok(Inflater::new(w, if wbits == 0 || hb < wbits { hb } else { wbits }))
                            } else {
                                Err(())
                            }
                        }
                        Err(InflateError::Data) => Err(()),
                        Err(InflateError::Source(e)) => return Err(e),
                    }
                });
            }
            let r = match codec.read.as_mut() {
                Some(Ok(inf)) if inf.is_done() => Ok(0),
                Some(Ok(inf)) => inf.read(&mut src, out),
                _ => Err(InflateError::Data),
            };
            r.map_err(|e| map_inflate(vm, e))
        })
    })
}

fn size_arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<Option<usize>> {
    match args.get(i) {
        Some(&n) if n != Obj::NONE => {
            let n = vm.expect_int(n)?;
            Ok(if n < 0 { None } else { Some(n as usize) })
        }
        _ => Ok(None),
    }
}

/// `read([size])`: up to `size` bytes, or everything to the end.
fn d_read(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let limit = size_arg(vm, args, 1)?;
    let mut data = Vec::new();
    let mut chunk = [0u8; 256];
    loop {
        let want = match limit {
            Some(l) => (l - data.len()).min(chunk.len()),
            None => chunk.len(),
        };
        if want == 0 {
            break;
        }
        let n = raw_read(vm, s, &mut chunk[..want])?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
    }
    vm.new_bytes(&data)
}

/// `readinto(buf[, nbytes])`: the count read into `buf`.
fn d_readinto(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let buf = crate::builtins::arg(vm, args, 1)?;
    let Some(info) = vm.buffer_info(buf).filter(|i| i.writable) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let len = size_arg(vm, args, 2)?.map_or(info.len, |n| n.min(info.len));
    let mut data = alloc::vec![0u8; len];
    let mut got = 0;
    while got < len {
        let n = raw_read(vm, s, &mut data[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    vm.buffer_write(buf, 0, &data[..got]);
    vm.new_int(got as i64)
}

/// `readline([size])`: bytes up to and including a newline.
fn d_readline(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let limit = size_arg(vm, args, 1)?;
    let mut line = Vec::new();
    while limit.is_none_or(|l| line.len() < l) {
        let mut b = [0u8];
        if raw_read(vm, s, &mut b)? == 0 {
            break;
        }
        line.push(b[0]);
        if b[0] == b'\n' {
            break;
        }
    }
    vm.new_bytes(&line)
}

/// Sends one compressed byte to the stream.
fn out_byte(vm: &mut Vm, stream: Obj, b: u8) -> PyResult<()> {
    stream_write(vm, stream, &[b]).map(|_| ())
}

/// `write(buf)`: compresses `buf` (str or bytes-like); returns its length.
/// The first non-empty write allocates the window and sends the header.
fn d_write(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let d = crate::builtins::arg(vm, args, 1)?;
    let Some(data) = vm.buffer_or_str(d) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    if data.is_empty() {
        // As MicroPython's stream layer: nothing to write, the codec is not involved.
        return vm.new_int(0);
    }
    let stream = vm.get(s, STREAM);
    if stream.is_null() {
        return Err(super::errno::os_error(vm, EINVAL));
    }
    let format = int_word(vm, s, FORMAT);
    let wbits = match int_word(vm, s, WBITS) as u8 {
        0 => DEFAULT_WBITS,
        w => w,
    };
    with_codec(vm, s, |vm, codec| {
        if codec.write.is_none() {
            let win = vm.alloc((1usize << wbits) / 4)?;
            vm.set(s, WWIN, win);
            let Ok(mut enc) = Compressor::new(wbits) else {
                return Err(vm.memory_error());
            };
            let init = enc.swap_window(Vec::new());
            vm.heap.words.write_bytes(win, 0, &init);
            let check = if format == GZIP { !0 } else { 1 };
            let ws = codec.write.insert(WriteSide { enc, input_len: 0, check });
            let header: &[u8] = match format {
                ZLIB => {
                    let cmf = 0x08 | (wbits.saturating_sub(8).max(1) << 4);
                    let flg = 0x80 | (31 - ((u16::from(cmf) * 256 + 0x80) % 31)) as u8;
                    &[cmf, flg]
                }
                GZIP => &[0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03],
                _ => &[],
            };
            if !header.is_empty() {
                let r = vm.with_temps(|vm| {
                    let b = vm.new_bytearray(header)?;
                    vm.root(b);
                    super::vfs::pyfs::call(vm, stream, "write", &[b])
                })?;
                if r != Obj::NONE && vm.expect_int(r)? < 0 {
                    return Err(super::errno::os_error(vm, EINVAL));
                }
            }
            ws.enc.start_block(&mut |b| out_byte(vm, stream, b))?;
        }
        let Some(ws) = codec.write.as_mut() else {
            return Err(super::errno::os_error(vm, EINVAL));
        };
        ws.input_len = ws.input_len.wrapping_add(data.len() as u32);
        match format {
            ZLIB => ws.check = adler32(&data, ws.check),
            GZIP => ws.check = crc32(&data, ws.check),
            _ => {}
        }
        let win = vm.get(s, WWIN);
        let mut hist = alloc::vec![0u8; ws.enc.window_len()];
        vm.heap.words.read_bytes(win, 0, &mut hist);
        ws.enc.swap_window(hist);
        let r = ws.enc.compress(&mut |b| out_byte(vm, stream, b), &data);
        let hist = ws.enc.swap_window(Vec::new());
        vm.heap.words.write_bytes(win, 0, &hist);
        r
    })?;
    vm.new_int(data.len() as i64)
}

/// `close()`: finishes compressed output (end of block, trailer), closes the
/// wrapped stream if asked to, and detaches from it.
fn d_close(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let stream = vm.get(s, STREAM);
    if stream.is_null() {
        return Ok(Obj::NONE);
    }
    let format = int_word(vm, s, FORMAT);
    let footer_err = with_codec(vm, s, |vm, codec| {
        let Some(ws) = codec.write.as_mut() else {
            return Ok(None);
        };
        ws.enc.finish(&mut |b| out_byte(vm, stream, b))?;
        let mut footer = Vec::new();
        match format {
            ZLIB => footer.extend_from_slice(&ws.check.to_be_bytes()),
            GZIP => {
                footer.extend_from_slice(&(!ws.check).to_le_bytes());
                footer.extend_from_slice(&ws.input_len.to_le_bytes());
            }
            _ => return Ok(None),
        }
        match stream_write(vm, stream, &footer) {
            Ok(_) => Ok(None),
            Err(e) if vm.exception_matches(e.0, ids::OS_ERROR) => Ok(Some(e)),
            Err(e) => Err(e),
        }
    })?;
    if vm.get(s, CLOSE) == Obj::TRUE {
        let ioctl = vm.intern("ioctl")?;
        if vm.load_attr_opt(stream, ioctl)?.is_some() {
            let r = super::vfs::pyfs::call(vm, stream, "ioctl", &[small(i64::from(STREAM_CLOSE)), small(0)])?;
            stream_count(vm, r)?;
        } else {
            super::vfs::pyfs::call(vm, stream, "close", &[])?;
        }
    }
    vm.set(s, STREAM, Obj::NULL);
    let slot = int_word(vm, s, SLOT) as usize;
    if let Some(e) = slot.checked_sub(1).and_then(|i| vm.st.sys.deflate.get_mut(i)) {
        *e = None;
    }
    vm.set(s, SLOT, small(0));
    vm.set(s, WWIN, Obj::NULL);
    match footer_err {
        Some(e) => Err(e),
        None => Ok(Obj::NONE),
    }
}

fn d_enter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::arg(vm, args, 0)
}

fn d_exit(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    d_close(vm, &args[..args.len().min(1)], kw)
}

#[cfg(test)]
mod tests;
