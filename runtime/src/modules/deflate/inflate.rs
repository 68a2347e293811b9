//! A streaming deflate decoder (RFC 1951) with the zlib (RFC 1950) and gzip
//! (RFC 1952) wrappers. Input comes one byte at a time from a caller's
//! function, only when a bit is needed (so a wrapped stream is read no further
//! than the data decoded so far); output goes into the caller's buffer, and a
//! call resumes where the previous one stopped. Back-references use a ring
//! window of `1 << wbits` bytes; a distance beyond it is a data error.

use alloc::vec;
use alloc::vec::Vec;

use super::checksum::{adler32, crc32};
use super::tables::{CLEN_ORDER, DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA};

/// Why decoding stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum InflateError<E> {
    /// The byte source failed (its own error, e.g. end of input).
    Source(E),
    /// The data is not a valid stream (bad header, code, distance or checksum).
    Data,
}

impl<E> From<E> for InflateError<E> {
    fn from(e: E) -> Self {
        InflateError::Source(e)
    }
}

/// The wrapper a header announced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    /// No wrapper (raw deflate data).
    Raw,
    /// zlib: Adler-32 trailer.
    Zlib,
    /// gzip: CRC-32 and length trailer.
    Gzip,
}

type Src<'a, E> = &'a mut dyn FnMut() -> Result<u8, E>;

/// Reads a zlib or gzip header (told apart by the gzip magic bytes) and
/// returns its wrapper and window bits (from the zlib header; 15 for gzip).
pub fn parse_header<E>(src: Src<'_, E>) -> Result<(Wrapper, u8), InflateError<E>> {
    let b0 = src()?;
    let b1 = src()?;
    if b0 == 0x1f && b1 == 0x8b {
        if src()? != 8 {
            return Err(InflateError::Data);
        }
        let flags = src()?;
        if flags & 0xe0 != 0 {
            return Err(InflateError::Data);
        }
        for _ in 0..6 {
            src()?; // mtime, xfl, os
        }
        if flags & 4 != 0 {
            let xlen = usize::from(src()?) | usize::from(src()?) << 8;
            for _ in 0..xlen {
                src()?;
            }
        }
        for bit in [8u8, 16] {
            if flags & bit != 0 {
                while src()? != 0 {}
            }
        }
        if flags & 2 != 0 {
            src()?; // header CRC (not checked)
            src()?;
        }
        return Ok((Wrapper::Gzip, 15));
    }
    let ok = (u16::from(b0) << 8 | u16::from(b1)) % 31 == 0 && b0 & 0x0f == 8 && b0 >> 4 <= 7 && b1 & 0x20 == 0;
    if !ok {
        return Err(InflateError::Data);
    }
    Ok((Wrapper::Zlib, (b0 >> 4) + 8))
}

/// A canonical Huffman code: code counts per length and symbols in code order.
#[derive(Clone, Default)]
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    /// Builds the code for `lengths` (0 = unused symbol); None if over-subscribed.
    fn new(lengths: &[u8]) -> Option<Huffman> {
        let mut h = Huffman { counts: [0; 16], symbols: vec![0; lengths.len()] };
        for &l in lengths {
            h.counts[usize::from(l)] += 1;
        }
        h.counts[0] = 0;
        let mut left: i32 = 1;
        for len in 1..16 {
            left = (left << 1) - i32::from(h.counts[len]);
            if left < 0 {
                return None;
            }
        }
        let mut offs = [0u16; 16];
        for len in 1..15 {
            offs[len + 1] = offs[len] + h.counts[len];
        }
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                h.symbols[usize::from(offs[usize::from(l)])] = sym as u16;
                offs[usize::from(l)] += 1;
            }
        }
        Some(h)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Stored(usize),
    Codes,
    Trailer,
    Done,
}

/// Decoder state between calls.
pub struct Inflater {
    wrapper: Wrapper,
    window: Vec<u8>,
    wpos: usize,
    filled: usize,
    bitbuf: u32,
    bitcnt: u32,
    state: State,
    last: bool,
    lit: Huffman,
    dist: Huffman,
    copy_len: usize,
    copy_dist: usize,
    check: u32,
}

impl Inflater {
    /// A decoder for data after a `wrapper` header, with a window of `1 << wbits` bytes.
    pub fn new(wrapper: Wrapper, wbits: u8) -> Inflater {
        Inflater {
            wrapper,
            window: vec![0; 1 << wbits],
            wpos: 0,
            filled: 0,
            bitbuf: 0,
            bitcnt: 0,
            state: State::Header,
            last: false,
            lit: Huffman::default(),
            dist: Huffman::default(),
            copy_len: 0,
            copy_dist: 0,
            check: if wrapper == Wrapper::Zlib { 1 } else { !0 },
        }
    }

    /// True once the final block and the trailer have been read.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    fn bits<E>(&mut self, src: Src<'_, E>, n: u32) -> Result<u32, InflateError<E>> {
        while self.bitcnt < n {
            self.bitbuf |= u32::from(src()?) << self.bitcnt;
            self.bitcnt += 8;
        }
        let v = self.bitbuf & ((1u32 << n) - 1);
        self.bitbuf = if n == 32 { 0 } else { self.bitbuf >> n };
        self.bitcnt -= n;
        Ok(v)
    }

    fn decode<E>(&mut self, src: Src<'_, E>, lit: bool) -> Result<usize, InflateError<E>> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= self.bits(src, 1)? as i32;
            let h = if lit { &self.lit } else { &self.dist };
            let count = i32::from(h.counts[len]);
            if code - first < count {
                return Ok(usize::from(h.symbols[(index + code - first) as usize]));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError::Data)
    }

    fn block_header<E>(&mut self, src: Src<'_, E>) -> Result<(), InflateError<E>> {
        self.last = self.bits(src, 1)? == 1;
        match self.bits(src, 2)? {
            0 => {
                self.bitbuf = 0;
                self.bitcnt = 0;
                let len = self.bits(src, 16)?;
                let nlen = self.bits(src, 16)?;
                if len != !nlen & 0xffff {
                    return Err(InflateError::Data);
                }
                self.state = State::Stored(len as usize);
            }
            1 => {
                let mut l = [0u8; 288];
                for (i, x) in l.iter_mut().enumerate() {
                    *x = match i {
                        0..=143 => 8,
                        144..=255 => 9,
                        256..=279 => 7,
                        _ => 8,
                    };
                }
                self.lit = Huffman::new(&l).ok_or(InflateError::Data)?;
                self.dist = Huffman::new(&[5; 30]).ok_or(InflateError::Data)?;
                self.state = State::Codes;
            }
            2 => {
                self.dynamic_tables(src)?;
                self.state = State::Codes;
            }
            _ => return Err(InflateError::Data),
        }
        Ok(())
    }

    fn dynamic_tables<E>(&mut self, src: Src<'_, E>) -> Result<(), InflateError<E>> {
        let hlit = self.bits(src, 5)? as usize + 257;
        let hdist = self.bits(src, 5)? as usize + 1;
        let hclen = self.bits(src, 4)? as usize + 4;
        if hlit > 286 || hdist > 30 {
            return Err(InflateError::Data);
        }
        let mut cl = [0u8; 19];
        for &i in CLEN_ORDER.iter().take(hclen) {
            cl[i] = self.bits(src, 3)? as u8;
        }
        self.lit = Huffman::new(&cl).ok_or(InflateError::Data)?;
        let mut lengths = [0u8; 316];
        let mut n = 0;
        while n < hlit + hdist {
            let sym = self.decode(src, true)?;
            let (val, rep) = match sym {
                0..=15 => (sym as u8, 1),
                16 => {
                    if n == 0 {
                        return Err(InflateError::Data);
                    }
                    (lengths[n - 1], 3 + self.bits(src, 2)? as usize)
                }
                17 => (0, 3 + self.bits(src, 3)? as usize),
                _ => (0, 11 + self.bits(src, 7)? as usize),
            };
            if n + rep > hlit + hdist {
                return Err(InflateError::Data);
            }
            lengths[n..n + rep].fill(val);
            n += rep;
        }
        if lengths[256] == 0 {
            return Err(InflateError::Data);
        }
        self.lit = Huffman::new(&lengths[..hlit]).ok_or(InflateError::Data)?;
        self.dist = Huffman::new(&lengths[hlit..hlit + hdist]).ok_or(InflateError::Data)?;
        Ok(())
    }

    fn put(&mut self, b: u8) {
        let mask = self.window.len() - 1;
        self.window[self.wpos] = b;
        self.wpos = (self.wpos + 1) & mask;
        self.filled = (self.filled + 1).min(self.window.len());
    }

    fn trailer<E>(&mut self, src: Src<'_, E>) -> Result<(), InflateError<E>> {
        self.bitbuf = 0;
        self.bitcnt = 0;
        match self.wrapper {
            Wrapper::Raw => {}
            Wrapper::Zlib => {
                let mut v = 0u32;
                for _ in 0..4 {
                    v = v << 8 | u32::from(src()?);
                }
                if v != self.check {
                    return Err(InflateError::Data);
                }
            }
            Wrapper::Gzip => {
                let mut v = 0u32;
                for i in 0..4 {
                    v |= u32::from(src()?) << (8 * i);
                }
                if v != !self.check {
                    return Err(InflateError::Data);
                }
                for _ in 0..4 {
                    src()?; // length (not checked, as in MicroPython)
                }
            }
        }
        Ok(())
    }

    /// Decodes into `out` until it is full or the stream ends; returns the
    /// count written (0 only at the end of the stream).
    pub fn read<E>(&mut self, src: Src<'_, E>, out: &mut [u8]) -> Result<usize, InflateError<E>> {
        let mut n = 0;
        let r = self.fill(src, out, &mut n);
        match self.wrapper {
            Wrapper::Zlib => self.check = adler32(&out[..n], self.check),
            Wrapper::Gzip => self.check = crc32(&out[..n], self.check),
            Wrapper::Raw => {}
        }
        r?;
        if self.state == State::Trailer {
            self.trailer(src)?;
            self.state = State::Done;
        }
        Ok(n)
    }

    fn fill<E>(&mut self, src: Src<'_, E>, out: &mut [u8], n: &mut usize) -> Result<(), InflateError<E>> {
        while *n < out.len() {
            match self.state {
                State::Done | State::Trailer => break,
                State::Header => {
                    if self.last {
                        self.state = State::Trailer;
                    } else {
                        self.block_header(src)?;
                    }
                }
                State::Stored(0) => self.state = State::Header,
                State::Stored(rem) => {
                    let b = src()?;
                    self.put(b);
                    out[*n] = b;
                    *n += 1;
                    self.state = State::Stored(rem - 1);
                }
                State::Codes if self.copy_len > 0 => {
                    let mask = self.window.len() - 1;
                    let b = self.window[(self.wpos + self.window.len() - self.copy_dist) & mask];
                    self.put(b);
                    out[*n] = b;
                    *n += 1;
                    self.copy_len -= 1;
                }
                State::Codes => {
                    let sym = self.decode(src, true)?;
                    if sym < 256 {
                        self.put(sym as u8);
                        out[*n] = sym as u8;
                        *n += 1;
                    } else if sym == 256 {
                        self.state = State::Header;
                    } else {
                        let i = sym - 257;
                        if i >= 29 {
                            return Err(InflateError::Data);
                        }
                        let len = usize::from(LEN_BASE[i]) + self.bits(src, u32::from(LEN_EXTRA[i]))? as usize;
                        let d = self.decode(src, false)?;
                        if d >= 30 {
                            return Err(InflateError::Data);
                        }
                        let dist = usize::from(DIST_BASE[d]) + self.bits(src, u32::from(DIST_EXTRA[d]))? as usize;
                        if dist > self.filled {
                            return Err(InflateError::Data);
                        }
                        self.copy_len = len;
                        self.copy_dist = dist;
                    }
                }
            }
        }
        if self.state == State::Header && self.last {
            self.state = State::Trailer;
        }
        Ok(())
    }
}
