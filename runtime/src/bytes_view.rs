//! Little-endian byte views of word arrays: str/bytes contents live in heap
//! words, byte `i` of a region being bits `8*(i%4)..` of word `i/4`, on every
//! target (so emitted 32-bit code and the host agree).
//!
//! All functions are bounds-checked and return `None`/`false` instead of panicking.

/// Byte `index` of `words` viewed as little-endian bytes.
#[inline]
pub fn read_byte(words: &[u32], index: usize) -> Option<u8> {
    let word = *words.get(index / 4)?;
    Some(word.to_le_bytes()[index % 4])
}

/// Sets byte `index` of `words`; `false` if out of range.
#[inline]
pub fn write_byte(words: &mut [u32], index: usize, value: u8) -> bool {
    let Some(word) = words.get_mut(index / 4) else {
        return false;
    };
    let shift = 8 * (index % 4);
    *word = (*word & !(0xFF << shift)) | (u32::from(value) << shift);
    true
}

/// The item of `size` bytes (1, 2, 4 or 8) at byte `start` of `words`, as
/// little-endian bits of a `u64`: one word read for an item aligned to its
/// size (how array items lie), a byte copy otherwise. `None` if out of range
/// or `size` is not an item size.
#[inline(always)]
pub fn read_item(words: &[u32], start: usize, size: usize) -> Option<u64> {
    let (w, shift) = (start / 4, 8 * (start % 4));
    match size {
        1 => Some(u64::from((*words.get(w)? >> shift) & 0xFF)),
        2 if start % 2 == 0 => Some(u64::from((*words.get(w)? >> shift) & 0xFFFF)),
        4 if start % 4 == 0 => Some(u64::from(*words.get(w)?)),
        8 if start % 4 == 0 => Some(u64::from(*words.get(w)?) | (u64::from(*words.get(w.checked_add(1)?)?) << 32)),
        2 | 4 | 8 => {
            let mut item = [0u8; 8];
            copy_out(words, start, &mut item[..size]).then(|| u64::from_le_bytes(item))
        }
        _ => None,
    }
}

/// Writes the low `size` bytes (1, 2, 4 or 8) of `value` at byte `start` of
/// `words` (the counterpart of [`read_item`]); `false` and nothing written
/// if out of range or `size` is not an item size.
#[inline(always)]
pub fn write_item(words: &mut [u32], start: usize, size: usize, value: u64) -> bool {
    let (w, shift) = (start / 4, 8 * (start % 4));
    let mask: u32 = match size {
        1 => 0xFF,
        2 if start % 2 == 0 => 0xFFFF,
        4 if start % 4 == 0 => u32::MAX,
        8 if start % 4 == 0 => {
            let Some(pair) = words.get_mut(w..w.saturating_add(2)).filter(|p| p.len() == 2) else { return false };
            pair[0] = value as u32;
            pair[1] = (value >> 32) as u32;
            return true;
        }
        2 | 4 | 8 => return copy_in(words, start, &value.to_le_bytes()[..size]),
        _ => return false,
    };
    let Some(word) = words.get_mut(w) else { return false };
    *word = (*word & !(mask << shift)) | (((value as u32) & mask) << shift);
    true
}

/// Copies `out.len()` bytes starting at byte `start` of `words` into `out`;
/// `false` (and `out` untouched) if the range is out of bounds. Whole words
/// are copied four bytes at a time.
pub fn copy_out(words: &[u32], start: usize, out: &mut [u8]) -> bool {
    let Some(end) = start.checked_add(out.len()) else {
        return false;
    };
    if end > words.len().saturating_mul(4) {
        return false;
    }
    if !out.is_empty() && start % 4 + out.len() <= 4 {
        // Within one word (an item of an array or bytearray): shifted out
        // byte by byte (a slice copy of a few bytes becomes a `memcpy` call).
        let (word, off) = (words[start / 4], start % 4);
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = (word >> (8 * (off + i))) as u8;
        }
        return true;
    }
    // Bytes up to the first word boundary, then whole words, then the rest.
    let head = ((4 - start % 4) % 4).min(out.len());
    let (first, rest) = out.split_at_mut(head);
    for (i, slot) in first.iter_mut().enumerate() {
        *slot = words[(start + i) / 4].to_le_bytes()[(start + i) % 4];
    }
    let at = (start + head) / 4;
    let whole = rest.len() / 4;
    let (body, tail) = rest.split_at_mut(whole * 4);
    for (chunk, word) in body.chunks_exact_mut(4).zip(&words[at..]) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    if !tail.is_empty() {
        let last = words[at + whole].to_le_bytes();
        tail.copy_from_slice(&last[..tail.len()]);
    }
    true
}

/// Copies `data` into `words` starting at byte `start`; `false` (and nothing
/// written) if the range is out of bounds. Whole words are written four bytes
/// at a time.
pub fn copy_in(words: &mut [u32], start: usize, data: &[u8]) -> bool {
    let Some(end) = start.checked_add(data.len()) else {
        return false;
    };
    if end > words.len().saturating_mul(4) {
        return false;
    }
    // Bytes up to the first word boundary and after the last whole word go
    // one by one (within one word, all of them: an item of an array or
    // bytearray), whole words four bytes at a time.
    let head = ((4 - start % 4) % 4).min(data.len());
    let (first, rest) = data.split_at(head);
    for (i, &b) in first.iter().enumerate() {
        write_byte(words, start + i, b);
    }
    let at = (start + head) / 4;
    let whole = rest.len() / 4;
    let (body, tail) = rest.split_at(whole * 4);
    for (word, chunk) in words[at..].iter_mut().zip(body.chunks_exact(4)) {
        *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    let tail_at = start + head + 4 * whole;
    for (i, &b) in tail.iter().enumerate() {
        write_byte(words, tail_at + i, b);
    }
    true
}

/// Compares `data` with the bytes of `words` starting at byte `start`.
pub fn bytes_equal(words: &[u32], start: usize, data: &[u8]) -> bool {
    data.iter().enumerate().all(|(i, &b)| start.checked_add(i).and_then(|j| read_byte(words, j)) == Some(b))
}

/// Number of words needed to hold `n_bytes` bytes.
pub const fn words_for_bytes(n_bytes: usize) -> usize {
    n_bytes.div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn little_endian_layout() {
        let mut words = [0u32; 2];
        assert!(copy_in(&mut words, 1, b"abcde"));
        assert_eq!(words[0], u32::from_le_bytes([0, b'a', b'b', b'c']));
        assert_eq!(words[1], u32::from_le_bytes([b'd', b'e', 0, 0]));
        let mut out = [0u8; 5];
        assert!(copy_out(&words, 1, &mut out));
        assert_eq!(&out, b"abcde");
        assert!(bytes_equal(&words, 1, b"abcde"));
        assert!(!bytes_equal(&words, 1, b"abcdf"));
        assert_eq!(read_byte(&words, 4), Some(b'd'));
    }

    #[test]
    fn copies_at_every_alignment_and_length() {
        let pattern: alloc::vec::Vec<u8> = (1..=40).collect();
        for start in 0..8 {
            for len in 0..24 {
                let mut words = [0u32; 10];
                assert!(copy_in(&mut words, start, &pattern[..len]));
                for i in 0..40 {
                    let want = if i >= start && i < start + len { pattern[i - start] } else { 0 };
                    assert_eq!(read_byte(&words, i), Some(want), "start {start} len {len} byte {i}");
                }
                let mut out = alloc::vec![0u8; len];
                assert!(copy_out(&words, start, &mut out));
                assert_eq!(out, &pattern[..len]);
            }
        }
        // Empty ranges, also at the very end.
        let mut words = [0u32; 2];
        assert!(copy_out(&words, 8, &mut []));
        assert!(copy_in(&mut words, 8, &[]));
        assert!(!copy_out(&words, 9, &mut []));
        let mut out = [7u8; 3];
        assert!(!copy_out(&words, 6, &mut out));
        assert_eq!(out, [7; 3]);
    }

    #[test]
    fn items_at_every_size_and_alignment() {
        for size in [1usize, 2, 4, 8] {
            for start in 0..12 {
                let mut words = [0u32; 4];
                let value = 0x8877_6655_4433_2211u64;
                let fits = start + size <= 16;
                assert_eq!(write_item(&mut words, start, size, value), fits, "size {size} start {start}");
                if !fits {
                    assert_eq!(words, [0; 4]);
                    assert_eq!(read_item(&words, start, size), None);
                    continue;
                }
                let mut bytes = [0u8; 16];
                assert!(copy_out(&words, 0, &mut bytes));
                let want = value.to_le_bytes();
                for (i, &b) in bytes.iter().enumerate() {
                    let expected = if i >= start && i < start + size { want[i - start] } else { 0 };
                    assert_eq!(b, expected, "size {size} start {start} byte {i}");
                }
                let mask = if size == 8 { u64::MAX } else { (1u64 << (8 * size)) - 1 };
                assert_eq!(read_item(&words, start, size), Some(value & mask));
            }
        }
        let mut words = [0u32; 2];
        assert_eq!(read_item(&words, 0, 3), None);
        assert!(!write_item(&mut words, 0, 3, 1));
    }

    #[test]
    fn out_of_range_is_refused() {
        let mut words = [0u32; 1];
        assert!(!copy_in(&mut words, 2, b"abc"));
        assert_eq!(words[0], 0);
        assert_eq!(read_byte(&words, 4), None);
        assert!(!write_byte(&mut words, 4, 1));
        let mut out = [0u8; 2];
        assert!(!copy_out(&words, usize::MAX, &mut out));
        assert!(!bytes_equal(&words, usize::MAX, b"a"));
        assert_eq!(words_for_bytes(5), 2);
    }
}
