//! Division of a 64-bit signed word by a constant without a divide
//! instruction: the "magic number" method (Granlund and Montgomery; the
//! algorithm of Hacker's Delight, section 10-4): `n / d` rounded toward zero
//! is `mulhi(n, m)` (plus `n` when `m` is negative), shifted right by `s`,
//! plus one when that is negative.

/// The multiplier and shift for dividing by `d` (`d >= 2`).
pub(super) fn magic(d: u64) -> (i64, u32) {
    const TWO63: u64 = 1 << 63;
    // The largest dividend magnitude with d | anc + 1 (the absolute value
    // of the nearest-to-2^63 multiple of d, less one).
    let anc = TWO63 - 1 - TWO63 % d;
    let mut p = 63u32;
    let (mut q1, mut r1) = (TWO63 / anc, TWO63 % anc);
    let (mut q2, mut r2) = (TWO63 / d, TWO63 % d);
    loop {
        p += 1;
        q1 = q1.wrapping_mul(2);
        r1 = r1.wrapping_mul(2);
        if r1 >= anc {
            q1 = q1.wrapping_add(1);
            r1 = r1.wrapping_sub(anc);
        }
        q2 = q2.wrapping_mul(2);
        r2 = r2.wrapping_mul(2);
        if r2 >= d {
            q2 = q2.wrapping_add(1);
            r2 = r2.wrapping_sub(d);
        }
        let delta = d - r2;
        if !(q1 < delta || (q1 == delta && r1 == 0)) {
            break;
        }
    }
    (q2.wrapping_add(1) as i64, p - 64)
}

/// `n / d` rounded toward zero as the emitted code computes it (for tests).
#[cfg(test)]
fn divide(n: i64, d: u64) -> i64 {
    let (m, s) = magic(d);
    let mut q = ((i128::from(n) * i128::from(m)) >> 64) as i64;
    if m < 0 {
        q = q.wrapping_add(n);
    }
    q >>= s;
    q.wrapping_add(((q as u64) >> 63) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn magic_division_matches_the_divide_instruction() {
        let ds = [2u64, 3, 5, 6, 7, 10, 12, 25, 100, 125, 255, 641, 1000, 1 << 20, 65_521, 1_000_003, (1 << 31) - 1];
        let mut ns = vec![0i64, 1, -1, i64::MAX, i64::MIN, i64::MIN + 1, i64::MAX - 1];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ns.push(x as i64);
            ns.push((x as i64) >> (x % 60));
        }
        for &d in &ds {
            for &n in &ns {
                for m in [n, n.wrapping_add(d as i64), n.wrapping_sub(1), (n / d as i64) * d as i64] {
                    assert_eq!(divide(m, d), m / d as i64, "{m} / {d}");
                }
            }
        }
        // The textbook cases.
        assert_eq!(magic(3), (0x5555_5555_5555_5556, 0));
        assert_eq!(magic(7), (0x4924_9249_2492_4925, 1));
    }
}
