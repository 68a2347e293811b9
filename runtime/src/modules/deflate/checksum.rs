//! The checksums of the zlib (Adler-32) and gzip (CRC-32) wrappers, updated
//! incrementally.

/// Adler-32 of `data`, continuing from `adler` (start with 1).
pub fn adler32(data: &[u8], adler: u32) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// Raw CRC-32 register update (reflected polynomial 0xEDB88320) of `data`,
/// continuing from `crc` without the final inversion (start with `!0`, invert at the end).
pub fn crc32(data: &[u8], crc: u32) -> u32 {
    let mut c = crc;
    for &x in data {
        c ^= u32::from(x);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(adler32(b"hello", 1), 0x062c_0215);
        assert_eq!(adler32(b"", 1), 1);
        assert_eq!(!crc32(b"123456789", !0), 0xCBF4_3926);
        // Incremental updates equal one-shot ones.
        assert_eq!(adler32(b"lo", adler32(b"hel", 1)), adler32(b"hello", 1));
        assert_eq!(crc32(b"lo", crc32(b"hel", !0)), crc32(b"hello", !0));
    }
}
