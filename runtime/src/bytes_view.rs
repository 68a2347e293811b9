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
    let mut bytes = word.to_le_bytes();
    bytes[index % 4] = value;
    *word = u32::from_le_bytes(bytes);
    true
}

/// Copies `out.len()` bytes starting at byte `start` of `words` into `out`;
/// `false` (and `out` untouched) if the range is out of bounds.
pub fn copy_out(words: &[u32], start: usize, out: &mut [u8]) -> bool {
    let Some(end) = start.checked_add(out.len()) else {
        return false;
    };
    if end > words.len().saturating_mul(4) {
        return false;
    }
    for (i, slot) in out.iter_mut().enumerate() {
        match read_byte(words, start + i) {
            Some(b) => *slot = b,
            None => return false,
        }
    }
    true
}

/// Copies `data` into `words` starting at byte `start`; `false` (and nothing
/// written) if the range is out of bounds.
pub fn copy_in(words: &mut [u32], start: usize, data: &[u8]) -> bool {
    let Some(end) = start.checked_add(data.len()) else {
        return false;
    };
    if end > words.len().saturating_mul(4) {
        return false;
    }
    data.iter().enumerate().all(|(i, &b)| write_byte(words, start + i, b))
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
