//! The `random` module with MicroPython's API: `getrandbits`, `seed`,
//! `randrange`, `randint`, `choice`, `random`, `uniform`. The generator is
//! xoshiro128++ (not MicroPython's, so seeded sequences differ); it is seeded
//! from the host's `urandom` on first use or by `seed()` without an argument.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table.
pub static RANDOM_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("random", ids::OBJECT) };

static FUNCS: [Method; 7] = [
    Method::new_static("getrandbits", getrandbits),
    Method::new_static("seed", seed),
    Method::new_static("randrange", randrange),
    Method::new_static("randint", randint),
    Method::new_static("choice", choice),
    Method::new_static("random", random),
    Method::new_static("uniform", uniform),
];

/// Builds the `random` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    super::make_module(vm, "random", ids::RANDOM_FUNCS, &[])
}

/// xoshiro128++ state from a 64-bit seed (expanded with splitmix64; never all zero).
pub fn state_from_seed(seed: u64) -> [u32; 4] {
    let mut x = seed;
    let mut next = || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let (a, b) = (next(), next());
    [a as u32, (a >> 32) as u32 | 1, b as u32, (b >> 32) as u32]
}

/// The next 32 random bits of state `s`.
pub fn next_u32(s: &mut [u32; 4]) -> u32 {
    let result = s[0].wrapping_add(s[3]).rotate_left(7).wrapping_add(s[0]);
    let t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3].rotate_left(11);
    result
}

fn host_seed(vm: &mut Vm) -> u64 {
    let mut b = [0u8; 8];
    vm.st.sys.host.urandom(&mut b);
    u64::from_le_bytes(b)
}

fn bits(vm: &mut Vm, n: u32) -> u32 {
    if vm.st.sys.random.is_none() {
        let s = host_seed(vm);
        vm.st.sys.random = Some(state_from_seed(s));
    }
    let s = vm.st.sys.random.get_or_insert([1, 2, 3, 4]);
    let v = next_u32(s);
    if n == 0 {
        0
    } else {
        v >> (32 - n)
    }
}

/// A uniform integer in `0..n` (n > 0), by rejection so there is no bias.
fn below(vm: &mut Vm, n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let width = 64 - (n - 1).leading_zeros();
    loop {
        let v = if width <= 32 {
            bits(vm, width) as u64
        } else {
            (bits(vm, width - 32) as u64) << 32 | bits(vm, 32) as u64
        };
        if v < n {
            return v;
        }
    }
}

fn getrandbits(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let n = crate::builtins::arg(vm, args, 0)?;
    let n = vm.expect_int(n)?;
    if !(0..=32).contains(&n) {
        return Err(vm.value_error("bits must be 32 or less"));
    }
    let v = bits(vm, n as u32);
    vm.new_int(v as i64)
}

fn seed(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = match args.first() {
        None => host_seed(vm),
        Some(&o) if o == Obj::NONE => host_seed(vm),
        Some(&o) => {
            let v = vm.expect_bigint(o)?;
            let (_, digits) = v.to_u64_digits();
            digits.first().copied().unwrap_or(0)
        }
    };
    vm.st.sys.random = Some(state_from_seed(s));
    Ok(Obj::NONE)
}

fn int_arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<i64> {
    let o = crate::builtins::arg(vm, args, i)?;
    vm.expect_int(o)
}

fn randrange(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 3)?;
    let (start, stop, step) = match args.len() {
        1 => (0, int_arg(vm, args, 0)?, 1),
        2 => (int_arg(vm, args, 0)?, int_arg(vm, args, 1)?, 1),
        _ => (int_arg(vm, args, 0)?, int_arg(vm, args, 1)?, int_arg(vm, args, 2)?),
    };
    let count = match step {
        0 => 0,
        s if s > 0 => (stop as i128 - start as i128 + s as i128 - 1) / s as i128,
        s => (start as i128 - stop as i128 - s as i128 - 1) / -(s as i128),
    };
    if count <= 0 {
        return Err(vm.value_error(""));
    }
    let k = below(vm, count as u64) as i128;
    vm.new_int((start as i128 + k * step as i128) as i64)
}

fn randint(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let (a, b) = (int_arg(vm, args, 0)?, int_arg(vm, args, 1)?);
    if b < a {
        return Err(vm.value_error(""));
    }
    let k = below(vm, (b as i128 - a as i128 + 1) as u64);
    vm.new_int((a as i128 + k as i128) as i64)
}

fn choice(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let seq = crate::builtins::arg(vm, args, 0)?;
    let n = vm.call(crate::builtins::function_obj("len"), &[seq], &[])?;
    let len = vm.expect_int(n)?;
    if len == 0 {
        return Err(vm.new_error(ids::INDEX_ERROR, ""));
    }
    let i = below(vm, len as u64);
    let idx = vm.new_int(i as i64)?;
    vm.subscr(seq, idx, Obj::SENTINEL)
}

/// A float in [0, 1) with 53 random bits.
fn unit(vm: &mut Vm) -> f64 {
    let hi = bits(vm, 27) as u64;
    let lo = bits(vm, 26) as u64;
    ((hi << 26) | lo) as f64 / (1u64 << 53) as f64
}

fn random(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let v = unit(vm);
    vm.new_float(v)
}

fn uniform(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = super::float_arg(vm, args, 0)?;
    let b = super::float_arg(vm, args, 1)?;
    let u = unit(vm);
    vm.new_float(a + (b - a) * u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_deterministic_and_spread() {
        let mut a = state_from_seed(5);
        let mut b = state_from_seed(5);
        let xs: alloc::vec::Vec<u32> = (0..100).map(|_| next_u32(&mut a)).collect();
        let ys: alloc::vec::Vec<u32> = (0..100).map(|_| next_u32(&mut b)).collect();
        assert_eq!(xs, ys);
        let ones: u32 = xs.iter().map(|x| x.count_ones()).sum();
        assert!((1400..1800).contains(&ones), "{ones}");
    }
}
