//! A streaming deflate encoder: one final block of fixed Huffman codes
//! (RFC 1951 section 3.2.6) over an LZ77 parse that searches the whole
//! history window (`1 << wbits` bytes) for the longest match, preferring the
//! nearest among equally long ones. Finished bytes go to the caller's sink one
//! at a time, as soon as they are complete.

use alloc::collections::TryReserveError;
use alloc::vec::Vec;

use super::tables::{DIST_BASE, DIST_EXTRA, LEN_BASE, LEN_EXTRA};

const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;

type Sink<'a, E> = &'a mut dyn FnMut(u8) -> Result<(), E>;

/// Encoder state between calls.
pub struct Compressor {
    hist: Vec<u8>,
    size: usize,
    start: usize,
    len: usize,
    bits: u32,
    nbits: u32,
}

impl Compressor {
    /// An encoder with a history of `1 << wbits` bytes (Err if it cannot be allocated).
    pub fn new(wbits: u8) -> Result<Compressor, TryReserveError> {
        let size = 1usize << wbits;
        let mut hist = Vec::new();
        hist.try_reserve_exact(size)?;
        hist.resize(size, 0);
        Ok(Compressor { hist, size, start: 0, len: 0, bits: 0, nbits: 0 })
    }

    fn put_bits<E>(&mut self, out: Sink<'_, E>, value: u32, n: u32) -> Result<(), E> {
        self.bits |= value << self.nbits;
        self.nbits += n;
        while self.nbits >= 8 {
            let b = self.bits as u8;
            self.bits >>= 8;
            self.nbits -= 8;
            out(b)?;
        }
        Ok(())
    }

    /// Replaces the history buffer with `window` (of the same length, or empty
    /// while the caller keeps the history elsewhere between calls) and returns the old one.
    pub fn swap_window(&mut self, window: Vec<u8>) -> Vec<u8> {
        core::mem::replace(&mut self.hist, window)
    }

    /// The history window's size in bytes.
    pub fn window_len(&self) -> usize {
        self.size
    }

    /// A Huffman code goes out most significant bit first.
    fn put_code<E>(&mut self, out: Sink<'_, E>, code: u32, n: u32) -> Result<(), E> {
        let rev = code.reverse_bits() >> (32 - n);
        self.put_bits(out, rev, n)
    }

    fn put_symbol<E>(&mut self, out: Sink<'_, E>, sym: u32) -> Result<(), E> {
        match sym {
            0..=143 => self.put_code(out, 0x30 + sym, 8),
            144..=255 => self.put_code(out, 0x190 + sym - 144, 9),
            256..=279 => self.put_code(out, sym - 256, 7),
            _ => self.put_code(out, 0xc0 + sym - 280, 8),
        }
    }

    /// Writes the block header (last block, fixed codes).
    pub fn start_block<E>(&mut self, out: Sink<'_, E>) -> Result<(), E> {
        self.put_bits(out, 0b011, 3)
    }

    /// Writes the end-of-block code and pads the last byte.
    pub fn finish<E>(&mut self, out: Sink<'_, E>) -> Result<(), E> {
        self.put_symbol(out, 256)?;
        if self.nbits > 0 {
            let pad = 8 - self.nbits;
            self.put_bits(out, 0, pad)?;
        }
        Ok(())
    }

    fn put_match<E>(&mut self, out: Sink<'_, E>, dist: usize, mut len: usize) -> Result<(), E> {
        while len > 0 {
            // 259 and 260 cannot be split as 258 + (1 or 2): send len - 3 then 3.
            let this = if len > MAX_MATCH + 2 {
                MAX_MATCH
            } else if len <= MAX_MATCH {
                len
            } else {
                len - 3
            };
            len -= this;
            let li = LEN_BASE.iter().rposition(|&b| usize::from(b) <= this).unwrap_or(0);
            self.put_symbol(out, 257 + li as u32)?;
            self.put_bits(out, (this - usize::from(LEN_BASE[li])) as u32, u32::from(LEN_EXTRA[li]))?;
            let di = DIST_BASE.iter().rposition(|&b| usize::from(b) <= dist).unwrap_or(0);
            self.put_code(out, di as u32, 5)?;
            self.put_bits(out, (dist - usize::from(DIST_BASE[di])) as u32, u32::from(DIST_EXTRA[di]))?;
        }
        Ok(())
    }

    /// The longest match (length, distance) for the start of `src` in the
    /// history followed by `src` itself; length 0 if none reaches 3 bytes.
    fn longest_match(&self, src: &[u8]) -> (usize, usize) {
        let mask = self.hist.len() - 1;
        let (mut best, mut dist) = (0, 0);
        for from in 0..self.len {
            let mut n = 0;
            while n <= MAX_MATCH && n < src.len() {
                let k = from + n;
                let h = if k < self.len { self.hist[(self.start + k) & mask] } else { src[k - self.len] };
                if src[n] != h {
                    break;
                }
                n += 1;
            }
            if n >= MIN_MATCH && n >= best {
                best = n;
                dist = self.len - from;
            }
        }
        (best, dist)
    }

    /// Compresses `src`, sending finished bytes to `out`.
    pub fn compress<E>(&mut self, out: Sink<'_, E>, mut src: &[u8]) -> Result<(), E> {
        if self.hist.len() != self.size {
            // No window in place (a caller's bug): keep the history consistent by forgetting it.
            self.hist = alloc::vec![0; self.size];
            self.start = 0;
            self.len = 0;
        }
        let mask = self.hist.len() - 1;
        while !src.is_empty() {
            let (mut n, dist) = self.longest_match(src);
            if n == 0 {
                self.put_symbol(out, u32::from(src[0]))?;
                n = 1;
            } else {
                self.put_match(out, dist, n)?;
            }
            for &b in &src[..n] {
                self.hist[(self.start + self.len) & mask] = b;
                if self.len == self.hist.len() {
                    self.start = (self.start + 1) & mask;
                } else {
                    self.len += 1;
                }
            }
            src = &src[n..];
        }
        Ok(())
    }
}
