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
