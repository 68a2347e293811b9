//! Whole functions from Python source: `@micropython.viper` and
//! `@micropython.native` functions compiled by the frontend and the generic
//! emitter over `ThumbAsm`, run in unicorn against a small fake runtime
//! (`common/fake.rs`), and compared with the same computation done in Rust.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::emu::{self, read_u32, write_u32, TABLE};
use common::fake::*;
use ferropy_bytecode::native_abi::{obj_word, status};
use ferropy_bytecode::prelude::decode_signature;
use ferropy_bytecode::RawCode;
use ferropy_emit_thumb::{Arch, Armv6mAsm, Armv7emAsm, Armv7mAsm};

/// Compiles `source` for every architecture and checks `f(args) == want(args)` on each input.
fn check(source: &str, inputs: &[Vec<i64>], want: impl Fn(&[i64]) -> i64) {
    for arch in [Arch::Armv6m, Arch::Armv7m, Arch::Armv7em] {
        let code = match arch {
            Arch::Armv6m => compile::<Armv6mAsm>(source),
            Arch::Armv7m => compile::<Armv7mAsm>(source),
            _ => compile::<Armv7emAsm>(source),
        };
        for input in inputs {
            let args: Vec<u32> = input.iter().map(|v| small(*v)).collect();
            let (st, value, _) = call_code(arch, &code, &args, &|_| {}, false);
            assert_eq!(st, status::RETURN as u32, "{arch:?} {input:?}");
            assert_eq!(unsmall(value), want(input), "{arch:?} {input:?}\n{source}");
        }
    }
}

#[test]
fn viper_integer_kernel() {
    let src = "
@micropython.viper
def f(n: int, k: int) -> int:
    s = 0
    i = 0
    while i < n:
        s = (s + (i * k ^ (i << 3)) - (i >> 1)) & 0xFFFFF
        if s > 500000:
            s -= 123456
        i += 1
    return s
";
    check(src, &[vec![0, 3], vec![1, 3], vec![10, 7], vec![200, -5], vec![1000, 12345]], |a| {
        let (n, k) = (a[0] as i32, a[1] as i32);
        let (mut s, mut i) = (0i32, 0i32);
        while i < n {
            s = (s.wrapping_add(i.wrapping_mul(k) ^ (i << 3)).wrapping_sub(i >> 1)) & 0xFFFFF;
            if s > 500000 {
                s -= 123456;
            }
            i += 1;
        }
        i64::from(s)
    });
}

#[test]
fn viper_comparisons_signed_and_unsigned() {
    let src = "
@micropython.viper
def f(a: int, b: int) -> int:
    r = 0
    if a < b:
        r |= 1
    if a <= b:
        r |= 2
    if a > b:
        r |= 4
    if a >= b:
        r |= 8
    if a == b:
        r |= 16
    if a != b:
        r |= 32
    if uint(a) < uint(b):
        r |= 64
    if uint(a) >= uint(b):
        r |= 128
    return r
";
    let vals = [-5i64, -1, 0, 1, 7, 1 << 29];
    let inputs: Vec<Vec<i64>> = vals.iter().flat_map(|a| vals.iter().map(move |b| vec![*a, *b])).collect();
    check(src, &inputs, |x| {
        let (a, b) = (x[0] as i32, x[1] as i32);
        let bits = [a < b, a <= b, a > b, a >= b, a == b, a != b, (a as u32) < (b as u32), (a as u32) >= (b as u32)];
        bits.iter().enumerate().map(|(i, v)| i64::from(*v) << i).sum()
    });
}

#[test]
fn viper_floor_division_and_modulo() {
    let src = "
@micropython.viper
def f(a: int, b: int) -> int:
    return (a // b) * 1000 + a % b
";
    let vals = [-17i64, -3, 3, 17, 100];
    let inputs: Vec<Vec<i64>> = vals.iter().flat_map(|a| vals.iter().map(move |b| vec![*a, *b])).collect();
    check(src, &inputs, |x| {
        let (a, b) = (x[0], x[1]);
        let q = (a as f64 / b as f64).floor() as i64;
        q * 1000 + (a - q * b)
    });
    // Division by zero: the helper fails, FAILED_AT records the position, the
    // function returns the error status.
    for arch in [Arch::Armv6m, Arch::Armv7m] {
        let code = if arch == Arch::Armv6m { compile::<Armv6mAsm>(src) } else { compile::<Armv7mAsm>(src) };
        let (st, _, stats) = call_code(arch, &code, &[small(5), small(0)], &|_| {}, false);
        assert_eq!(st, status::ERROR as u32);
        assert_eq!(stats.failed_at.len(), 1);
        let at = stats.failed_at[0];
        assert_eq!(at & 1, 1, "code addresses carry the Thumb bit");
        assert!(u64::from(at) > emu::CODE && u64::from(at) < emu::CODE + code.prelude_offset as u64);
    }
}

#[test]
fn viper_pointer_kernels() {
    let src = "
@micropython.viper
def f(n: int, seed: int) -> int:
    b8 = ptr8(0x102000)
    b16 = ptr16(0x102400)
    b32 = ptr32(0x102800)
    for i in range(n):
        b8[i] = seed + i * 3
        b16[i] = seed * 257 + i
        b32[i] = (seed << 20) + i
    s = 0
    for i in range(n):
        s += b8[i] + b16[i] + (b32[i] >> 4) + b8[n - 1 - i]
    b8[0] = 0x1FF
    return (s & 0xFFFFFFF) + b8[0]
";
    assert_eq!(BUF, 0x102000);
    check(src, &[vec![1, 5], vec![17, 200], vec![100, 99]], |x| {
        let (n, seed) = (x[0] as i32, x[1] as i32);
        let (mut b8, mut b16, mut b32) = (vec![0u8; 300], vec![0u16; 300], vec![0u32; 300]);
        for i in 0..n {
            b8[i as usize] = (seed + i * 3) as u8;
            b16[i as usize] = (seed * 257 + i) as u16;
            b32[i as usize] = ((seed << 20) + i) as u32;
        }
        let mut s = 0i32;
        for i in 0..n as usize {
            s = s
                .wrapping_add(i32::from(b8[i]))
                .wrapping_add(i32::from(b16[i]))
                .wrapping_add((b32[i] >> 4) as i32)
                .wrapping_add(i32::from(b8[n as usize - 1 - i]));
        }
        i64::from((s & 0xFFF_FFFF) + 0xFF)
    });
}

#[test]
fn viper_constant_operands_and_three_operand_forms() {
    // Multiplications by `2^k`, `2^k + 1` and `2^k - 1`, masks of low bits
    // (`ubfx`), and operations whose result goes to another register than
    // their operand (a home read into a temporary): one instruction each on
    // ARMv7-M, the generic forms on ARMv6-M.
    let src = "
@micropython.viper
def f(n: int, k: int) -> int:
    s = 0
    i = 0
    while i < n:
        t = k + i
        s += (i * 7) & 1023
        s ^= (t * 9) & 0x3FFFFFFF
        s += (i * 8 + t * 3 - (t + 5000) + (i - 300)) & 0xFFFF
        s = s + (t - i) * 31 + (k & i) + (i | 6) + (t ^ 4097) + (k * i)
        i += 1
    return s & 0x3FFFFFFF
";
    check(src, &[vec![0, 3], vec![1, 3], vec![10, 7], vec![200, -5], vec![1000, 123456]], |a| {
        let (n, k) = (a[0] as i32, a[1] as i32);
        let (mut s, mut i) = (0i32, 0i32);
        while i < n {
            let t = k.wrapping_add(i);
            s = s.wrapping_add(i.wrapping_mul(7) & 1023);
            s ^= t.wrapping_mul(9) & 0x3FFF_FFFF;
            let e = i
                .wrapping_mul(8)
                .wrapping_add(t.wrapping_mul(3))
                .wrapping_sub(t.wrapping_add(5000))
                .wrapping_add(i - 300);
            s = s.wrapping_add(e & 0xFFFF);
            s = s
                .wrapping_add(t.wrapping_sub(i).wrapping_mul(31))
                .wrapping_add(k & i)
                .wrapping_add(i | 6)
                .wrapping_add(t ^ 4097)
                .wrapping_add(k.wrapping_mul(i));
            i += 1;
        }
        i64::from(s & 0x3FFF_FFFF)
    });
}

#[test]
fn viper_results_computed_into_homes() {
    // Results whose scratch register is only copied into a local's home
    // (computed there at once), `%`/`//` by constants (`sdiv` from the
    // dividend, `mls` for the remainder), negative operands included.
    let src = "
@micropython.viper
def f(n: int, k: int) -> int:
    s1 = 1
    s2 = k
    q = 0
    i = 0
    while i < n:
        s1 = (s1 + i * k) % 255
        s2 = (s2 + s1 - 300) % 251
        q = (q + s2 - i) // 7
        i += 1
    return s1 * 100000 + s2 * 100 + q
";
    check(src, &[vec![0, 3], vec![1, 3], vec![10, -7], vec![200, -5], vec![1000, 12345]], |a| {
        let (n, k) = (a[0] as i32, a[1] as i32);
        let (mut s1, mut s2, mut q, mut i) = (1i32, k, 0i32, 0i32);
        while i < n {
            s1 = s1.wrapping_add(i.wrapping_mul(k)).rem_euclid(255);
            s2 = (s2 + s1 - 300).rem_euclid(251);
            q = (q + s2 - i).div_euclid(7);
            i += 1;
        }
        i64::from(s1 * 100000 + s2 * 100 + q)
    });
}

#[test]
fn viper_shifts_by_a_register_from_homes() {
    let src = "
@micropython.viper
def f(x: int, n: int) -> int:
    out = 0
    sh = 0
    while sh < n:
        a = (x >> sh) & 255
        b = (x << sh) ^ a
        out = out + a + (b >> 3)
        sh += 1
    return out & 0xFFFFFF
";
    check(src, &[vec![0, 0], vec![123456, 5], vec![-98765, 20], vec![0x3FFF_FFFF, 31]], |v| {
        let (x, n) = (v[0] as i32, v[1] as i32);
        let (mut out, mut sh) = (0i32, 0i32);
        while sh < n {
            let a = (x >> sh) & 255;
            let b = (x << sh) ^ a;
            out = out.wrapping_add(a).wrapping_add(b >> 3);
            sh += 1;
        }
        i64::from(out & 0xFF_FFFF)
    });
}

#[test]
fn a_home_in_lr_survives_calls() {
    // Five locals used in the loop: the fifth most used lives in `lr` on
    // ARMv7-M, stored before and loaded after each call (here the
    // interrupt check's, taken on every iteration when the flag is set).
    let src = "
@micropython.viper
def f(n: int, k: int) -> int:
    a = 1
    b = 2
    c = 3
    i = 0
    while i < n:
        a = a + k + i
        b = b ^ a
        c = c + (b & 255) + k
        k = k + 1
        i += 1
    return (a + b + c) & 0xFFFFFF
";
    let want = |n: i32, mut k: i32| {
        let (mut a, mut b, mut c, mut i) = (1i32, 2i32, 3i32, 0i32);
        while i < n {
            a = a.wrapping_add(k).wrapping_add(i);
            b ^= a;
            c = c.wrapping_add(b & 255).wrapping_add(k);
            k += 1;
            i += 1;
        }
        i64::from(a.wrapping_add(b).wrapping_add(c) & 0xFF_FFFF)
    };
    for arch in [Arch::Armv7m, Arch::Armv7em] {
        let code = if arch == Arch::Armv7m { compile::<Armv7mAsm>(src) } else { compile::<Armv7emAsm>(src) };
        let t = common::texts(&code.code[..code.prelude_offset]);
        assert!(t.iter().any(|x| x.starts_with("str.w lr, ")), "{t:?}");
        for interrupt in [false, true] {
            let (st, v, stats) = call_code(arch, &code, &[small(50), small(7)], &|_| {}, interrupt);
            assert_eq!((st, unsmall(v)), (status::RETURN as u32, want(50, 7)), "{arch:?} {interrupt}");
            assert_eq!(stats.interrupts, if interrupt { 51 } else { 0 });
        }
    }
}

#[test]
fn native_small_int_paths_and_runtime_fallbacks() {
    // `+ - < >` and conditional jumps inline; `*` (no inline multiply on
    // 32-bit words) and the truth of a non-bool go to the OP helper.
    let src = "
@micropython.native
def f(a, b):
    c = a + b
    if c > 10:
        c = c - 3
    while a < b:
        a = a + 1
        c = c + a * 2
    if c:
        c = c + 1000
    return c
";
    check(src, &[vec![0, 0], vec![1, 5], vec![7, 9], vec![-3, 40], vec![-1, 1]], |x| {
        let (mut a, b) = (x[0], x[1]);
        let mut c = a + b;
        if c > 10 {
            c -= 3;
        }
        while a < b {
            a += 1;
            c += a * 2;
        }
        if c != 0 {
            c += 1000;
        }
        c
    });
}

#[test]
fn backward_jumps_check_the_interrupt_flag() {
    let src = "
@micropython.viper
def f(n: int) -> int:
    i = 0
    while i < n:
        i += 1
    return i
";
    for arch in [Arch::Armv6m, Arch::Armv7m] {
        let code = if arch == Arch::Armv6m { compile::<Armv6mAsm>(src) } else { compile::<Armv7mAsm>(src) };
        let (st, v, stats) = call_code(arch, &code, &[small(25)], &|_| {}, false);
        assert_eq!((st, unsmall(v), stats.interrupts), (status::RETURN as u32, 25, 0));
        let (st, v, stats) = call_code(arch, &code, &[small(25)], &|_| {}, true);
        assert_eq!((st, unsmall(v)), (status::RETURN as u32, 25));
        // The flag is tested each time the loop's condition is (the last
        // time too, when the jump back is not taken).
        assert_eq!(stats.interrupts, 26, "{arch:?}");
    }
}

#[test]
fn loops_share_one_interrupt_check() {
    // Two backward jumps: both test the flag and call one shared
    // subroutine, which reports the position of the jump that called it and
    // keeps the values in registers across the runtime call.
    let src = "
@micropython.viper
def f(n: int) -> int:
    i = 0
    s = 0
    while i < n:
        i += 1
        s += i
    j = 0
    while j < n:
        j += 1
        s += j * 3
    return s
";
    for arch in [Arch::Armv6m, Arch::Armv7m] {
        let code = if arch == Arch::Armv6m { compile::<Armv6mAsm>(src) } else { compile::<Armv7mAsm>(src) };
        let machine = &code.code[..code.prelude_offset];
        // One call of the interrupt helper (table entry 1) in the code.
        let t = common::texts(machine);
        let calls = t.iter().filter(|x| x.ends_with("[r7, #4]")).count();
        assert_eq!(calls, 1, "{arch:?} {t:?}");
        for interrupt in [false, true] {
            let (st, v, stats) = call_code(arch, &code, &[small(10)], &|_| {}, interrupt);
            assert_eq!((st, unsmall(v)), (status::RETURN as u32, 55 + 3 * 55), "{arch:?}");
            // Each loop tests the flag before each test of its condition.
            assert_eq!(stats.interrupts, if interrupt { 22 } else { 0 }, "{arch:?}");
            let lines: Vec<u32> =
                stats.interrupt_at.iter().map(|&at| line_of(&code, (u64::from(at) - emu::CODE) as usize)).collect();
            let want: Vec<u32> = if interrupt { [[8; 11], [12; 11]].concat() } else { Vec::new() };
            assert_eq!(lines, want, "{arch:?}");
        }
    }
}

#[test]
fn only_locals_used_in_loops_get_high_register_homes() {
    // Without a loop the locals stay in the frame and the prologue is a
    // 16-bit `push`; a loop's locals live in `r8-r11`.
    let straight = "
@micropython.viper
def f(a: int, n: int) -> int:
    b = a >> n
    return b + a
";
    let looped = "
@micropython.viper
def f(a: int, n: int) -> int:
    while n > 0:
        a += n
        n -= 1
    return a
";
    for (src, args, want, high) in [(straight, [40, 2], 50, false), (looped, [1, 4], 11, true)] {
        let code = compile::<Armv7mAsm>(src);
        let t = common::texts(&code.code[..code.prelude_offset]);
        let uses_high = t.iter().any(|x| ["r8", "r9", "sl", "fp"].iter().any(|r| x.contains(r)));
        assert_eq!(uses_high, high, "{t:?}");
        assert_eq!(t[0].starts_with("push {"), !high, "{t:?}");
        let (st, v, _) = call_code(Arch::Armv7m, &code, &[small(args[0]), small(args[1])], &|_| {}, false);
        assert_eq!((st, unsmall(v)), (status::RETURN as u32, want));
    }
}

/// The source line of code offset `offset`, from the function's prelude.
fn line_of(code: &RawCode, offset: usize) -> u32 {
    let bytes = &code.code[code.prelude_offset..];
    let mut pos = 0;
    let sig = decode_signature(bytes, &mut pos).expect("signature");
    let (n_info, _) = ferropy_bytecode::prelude::decode_size(bytes, &mut pos).expect("size");
    let info = &bytes[pos..pos + n_info as usize];
    let mut p = 0;
    for _ in 0..1 + sig.n_pos_args + sig.n_kwonly_args {
        ferropy_bytecode::varint::read_vuint(info, &mut p).expect("qstr");
    }
    ferropy_bytecode::prelude::line_for_offset(&info[p..], offset)
}

#[test]
fn line_numbers_follow_the_shortened_code() {
    // The failing position the code reports maps to the division's line in
    // the final (relaxed) code.
    let src = "
@micropython.viper
def f(a: int, b: int) -> int:
    x = a + 1
    y = x * 2
    while y > 100:
        y -= 7
    return x // b
";
    for arch in [Arch::Armv6m, Arch::Armv7m] {
        let code = if arch == Arch::Armv6m { compile::<Armv6mAsm>(src) } else { compile::<Armv7mAsm>(src) };
        let (st, _, stats) = call_code(arch, &code, &[small(500), small(0)], &|_| {}, false);
        assert_eq!(st, status::ERROR as u32);
        let offset = (u64::from(stats.failed_at[0]) - emu::CODE) as usize;
        assert_eq!(line_of(&code, offset), 8, "{arch:?}");
    }
}

#[test]
fn generators_resume_at_thumb_addresses() {
    // A yield hands the runtime the address after it (Thumb bit set); the
    // code is re-entered there with `resume` and goes on with the sent value.
    let src = "
@micropython.native
def gen(n):
    i = 0
    while i < n:
        yield i * 10
        i = i + 1
    return 99
";
    for arch in [Arch::Armv6m, Arch::Armv7m, Arch::Armv7em] {
        let code = match arch {
            Arch::Armv6m => compile::<Armv6mAsm>(src),
            Arch::Armv7m => compile::<Armv7mAsm>(src),
            _ => compile::<Armv7emAsm>(src),
        };
        let mut pos = code.prelude_offset;
        let sig = decode_signature(&code.code, &mut pos).expect("prelude");
        let stats = Rc::new(RefCell::new(Stats::default()));
        let mut uc = emu::machine(arch, &code.code, fake_runtime(stats.clone()));
        write_u32(&mut uc, CTX, TABLE as u32);
        write_u32(&mut uc, CTX + 4, FLAG as u32);
        write_u32(&mut uc, state_addr(sig.n_state - 1), small(4));
        let mut resume = 0;
        let mut seen = Vec::new();
        loop {
            let st = emu::call(&mut uc, 0, [CTX as u32, STATE as u32, WORDS as u32, resume]);
            let value = unsmall(read_u32(&uc, CTX + 8));
            if st == status::RETURN as u32 {
                seen.push(-value);
                break;
            }
            assert_eq!(st, status::YIELD as u32, "{arch:?}");
            seen.push(value);
            let (at, sp) = stats.borrow_mut().yielded.take().expect("a yield");
            assert_eq!(at & 1, 1, "resume addresses carry the Thumb bit");
            // The value sent in (None) replaces the yielded one.
            write_u32(&mut uc, state_addr(sp - 1), obj_word::NONE);
            resume = at;
        }
        assert_eq!(seen, [0, 10, 20, 30, -99], "{arch:?}");
    }
}
