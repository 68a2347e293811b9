//! SHA-256, SHA-1 and MD5 (FIPS 180-4, RFC 3174, RFC 1321) as plain state
//! machines whose whole state is 29 words, so a `hashlib` object keeps it in
//! its heap block (no side tables, nothing to free). No VM types here.

use alloc::vec::Vec;

/// Which algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    /// SHA-256 (32-byte digest).
    Sha256 = 0,
    /// SHA-1 (20-byte digest).
    Sha1 = 1,
    /// MD5 (16-byte digest).
    Md5 = 2,
}

/// Number of `u32` words [`HashState::to_words`] produces.
pub const STATE_WORDS: usize = 4 + 8 + 16;

/// SHA-256 round constants: the first 32 bits of the fractional parts of the
/// cube roots of the first 64 primes (checked in the tests).
const K256: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

/// SHA-256 initial state: fractional parts of the square roots of the first 8 primes.
const H256: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-1 and MD5 initial state (MD5 uses the first four words).
const H1: [u32; 5] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/// MD5 additive constants: `floor(abs(sin(i + 1)) * 2^32)` (checked in the tests).
const KMD5: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
    0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
    0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
    0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391,
];

/// MD5 rotation amounts per round (four per round, repeated).
const RMD5: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/// A running hash.
#[derive(Clone, Debug)]
pub struct HashState {
    /// The algorithm.
    pub algo: Algo,
    h: [u32; 8],
    len: u64,
    buf: [u8; 64],
}

impl HashState {
    /// A fresh state.
    pub fn new(algo: Algo) -> HashState {
        let mut h = [0u32; 8];
        match algo {
            Algo::Sha256 => h = H256,
            Algo::Sha1 => h[..5].copy_from_slice(&H1),
            Algo::Md5 => h[..4].copy_from_slice(&H1[..4]),
        }
        HashState { algo, h, len: 0, buf: [0; 64] }
    }

    /// The digest length in bytes.
    pub fn digest_len(&self) -> usize {
        match self.algo {
            Algo::Sha256 => 32,
            Algo::Sha1 => 20,
            Algo::Md5 => 16,
        }
    }

    /// Feeds `data`.
    pub fn update(&mut self, mut data: &[u8]) {
        let mut used = (self.len % 64) as usize;
        self.len = self.len.wrapping_add(data.len() as u64);
        if used > 0 {
            let take = (64 - used).min(data.len());
            self.buf[used..used + take].copy_from_slice(&data[..take]);
            data = &data[take..];
            used += take;
            if used < 64 {
                return;
            }
            let block = self.buf;
            self.compress(&block);
        }
        let mut chunks = data.chunks_exact(64);
        for block in &mut chunks {
            let mut b = [0u8; 64];
            b.copy_from_slice(block);
            self.compress(&b);
        }
        let rest = chunks.remainder();
        self.buf[..rest.len()].copy_from_slice(rest);
    }

    /// The digest of everything fed so far (the state itself is unchanged).
    pub fn digest(&self) -> Vec<u8> {
        let mut s = self.clone();
        let bits = self.len.wrapping_mul(8);
        let pad_len = if self.len % 64 < 56 { 56 - self.len % 64 } else { 120 - self.len % 64 } as usize;
        let mut pad = [0u8; 72];
        pad[0] = 0x80;
        if self.algo == Algo::Md5 {
            pad[pad_len..pad_len + 8].copy_from_slice(&bits.to_le_bytes());
        } else {
            pad[pad_len..pad_len + 8].copy_from_slice(&bits.to_be_bytes());
        }
        s.update(&pad[..pad_len + 8]);
        let n = self.digest_len() / 4;
        let mut out = Vec::with_capacity(n * 4);
        for w in &s.h[..n] {
            if self.algo == Algo::Md5 {
                out.extend_from_slice(&w.to_le_bytes());
            } else {
                out.extend_from_slice(&w.to_be_bytes());
            }
        }
        out
    }

    fn compress(&mut self, block: &[u8; 64]) {
        match self.algo {
            Algo::Sha256 => sha256_block(&mut self.h, block),
            Algo::Sha1 => sha1_block(&mut self.h, block),
            Algo::Md5 => md5_block(&mut self.h, block),
        }
    }

    /// The state as words (for keeping it in a heap object).
    pub fn to_words(&self) -> [u32; STATE_WORDS] {
        let mut w = [0u32; STATE_WORDS];
        w[0] = self.algo as u32;
        w[1] = self.len as u32;
        w[2] = (self.len >> 32) as u32;
        w[4..12].copy_from_slice(&self.h);
        for (i, c) in self.buf.chunks_exact(4).enumerate() {
            w[12 + i] = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        w
    }

    /// The state [`HashState::to_words`] saved.
    pub fn from_words(w: &[u32; STATE_WORDS]) -> HashState {
        let algo = match w[0] {
            1 => Algo::Sha1,
            2 => Algo::Md5,
            _ => Algo::Sha256,
        };
        let mut h = [0u32; 8];
        h.copy_from_slice(&w[4..12]);
        let mut buf = [0u8; 64];
        for i in 0..16 {
            buf[i * 4..i * 4 + 4].copy_from_slice(&w[12 + i].to_le_bytes());
        }
        HashState { algo, h, len: w[1] as u64 | (w[2] as u64) << 32, buf }
    }
}

fn sha256_block(h: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 64];
    for (i, c) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    for i in 16..64 {
        let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
        let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
    for i in 0..64 {
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K256[i]).wrapping_add(w[i]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        hh = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (x, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
        *x = x.wrapping_add(v);
    }
}

fn sha1_block(h: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 80];
    for (i, c) in block.chunks_exact(4).enumerate() {
        w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
    }
    for i in 16..80 {
        w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
    }
    let (mut a, mut b, mut c, mut d, mut e) = (h[0], h[1], h[2], h[3], h[4]);
    for (i, wi) in w.iter().enumerate() {
        let (f, k) = match i / 20 {
            0 => ((b & c) | (!b & d), 0x5a827999),
            1 => (b ^ c ^ d, 0x6ed9eba1),
            2 => ((b & c) | (b & d) | (c & d), 0x8f1bbcdc),
            _ => (b ^ c ^ d, 0xca62c1d6),
        };
        let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = t;
    }
    for (x, v) in h.iter_mut().zip([a, b, c, d, e]) {
        *x = x.wrapping_add(v);
    }
}

fn md5_block(h: &mut [u32; 8], block: &[u8; 64]) {
    let mut m = [0u32; 16];
    for (i, c) in block.chunks_exact(4).enumerate() {
        m[i] = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    let (mut a, mut b, mut c, mut d) = (h[0], h[1], h[2], h[3]);
    for i in 0..64 {
        let (f, g) = match i / 16 {
            0 => ((b & c) | (!b & d), i),
            1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
            2 => (b ^ c ^ d, (3 * i + 5) % 16),
            _ => (c ^ (b | !d), (7 * i) % 16),
        };
        let f = f.wrapping_add(a).wrapping_add(KMD5[i]).wrapping_add(m[g]);
        a = d;
        d = c;
        c = b;
        b = b.wrapping_add(f.rotate_left(RMD5[(i / 16) * 4 + i % 4]));
    }
    for (x, v) in h.iter_mut().zip([a, b, c, d]) {
        *x = x.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(algo: Algo, data: &[u8]) -> alloc::string::String {
        let mut s = HashState::new(algo);
        s.update(data);
        s.digest().iter().map(|b| alloc::format!("{b:02x}")).collect()
    }

    #[test]
    fn known_digests() {
        assert_eq!(hex(Algo::Sha256, b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(Algo::Sha256, b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hex(Algo::Sha1, b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(Algo::Sha1, b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(hex(Algo::Md5, b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(Algo::Md5, b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(Algo::Sha256, long), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    #[test]
    fn pieces_and_words_round_trip() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        for algo in [Algo::Sha256, Algo::Sha1, Algo::Md5] {
            let mut whole = HashState::new(algo);
            whole.update(&data);
            let mut parts = HashState::new(algo);
            for c in data.chunks(37) {
                parts = HashState::from_words(&parts.to_words());
                parts.update(c);
            }
            assert_eq!(whole.digest(), parts.digest());
        }
    }

    #[test]
    fn constants_follow_their_definitions() {
        for (i, k) in KMD5.iter().enumerate() {
            assert_eq!(*k, (libm::fabs(libm::sin((i + 1) as f64)) * 4294967296.0) as u64 as u32);
        }
        let primes: Vec<u128> = (2u128..400).filter(|p| (2..*p).all(|d| p % d != 0)).take(64).collect();
        for (k, p) in K256.iter().zip(&primes) {
            // The largest x with x^3 <= p * 2^96.
            let target = p << 96;
            let (mut lo, mut hi) = (0u128, 1u128 << 40);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if mid * mid * mid <= target {
                    lo = mid
                } else {
                    hi = mid - 1
                }
            }
            assert_eq!(*k, lo as u32);
        }
    }
}
