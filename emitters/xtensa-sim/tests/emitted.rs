//! Whole functions produced by the generic native/viper emitter from Python
//! source, run by the simulator in both ABIs against a small fake runtime (a
//! context block and helper table in simulated memory, `ferropy_xtensa_sim::fake`; boxing and unboxing
//! of small ints and bools, viper division; no generic operations), and
//! compared with the same computation in Rust.

use std::sync::Arc;

use ferropy_bytecode::native_abi::status;
use ferropy_bytecode::{CodeKind, RawCode};
use ferropy_emit_native::Factory;
use ferropy_emit_xtensa::{Call0, Variant, Windowed, XtensaAsm};
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind, NativeEmitterFactory};
use ferropy_xtensa_sim::fake::{small, Fake, Log, HEAP};
use ferropy_xtensa_sim::SimError;

/// The native/viper functions of `source`, by name order of definition.
fn compile<V: Variant>(source: &str) -> Vec<RawCode> {
    let factory: Arc<dyn NativeEmitterFactory + Send + Sync> = Arc::new(Factory::<XtensaAsm<V>>::new());
    let opts = CompileOptions { native: Some(factory), ..CompileOptions::default() };
    let module = compile_bytes(source.as_bytes(), "t.py", InputKind::File, &opts).unwrap_or_else(|e| panic!("{e:?}"));
    module.root.children.iter().filter(|c| matches!(c.kind, CodeKind::Native | CodeKind::Viper)).cloned().collect()
}

fn py_mod(x: i32, y: i32) -> i32 {
    let r = x % y;
    if r != 0 && (r < 0) != (y < 0) {
        r + y
    } else {
        r
    }
}

fn py_div(x: i32, y: i32) -> i32 {
    (x - py_mod(x, y)) / y
}

/// Runs `code` with small-int arguments; returns the status and the returned value.
fn call(abi_code: (&RawCode, ferropy_emit_xtensa::Abi), args: &[i32]) -> (Result<(u32, Option<i32>), SimError>, Log) {
    let (code, abi) = abi_code;
    let mut fake = Fake::new(abi, code).expect("loads");
    let args: Vec<u32> = args.iter().map(|a| small(*a)).collect();
    let r = fake
        .call(&args)
        .map(|ret| (ret.status, ret.value.and_then(|v| fake.int_of(v)).and_then(|v| i32::try_from(v).ok())));
    (r, fake.log())
}

fn both<F: Fn(&[RawCode], ferropy_emit_xtensa::Abi)>(source: &str, check: F) {
    check(&compile::<Call0>(source), ferropy_emit_xtensa::Abi::Call0);
    check(&compile::<Windowed>(source), ferropy_emit_xtensa::Abi::Windowed);
}

const ARITH: &str = "
import micropython

@micropython.viper
def poly(a: int, b: int) -> int:
    s = 0
    i = 0
    while i < a:
        s += i * b - (i ^ 5) + (b << 2) - (a >> 1)
        if s > 100000:
            s = s & 0xFFFF
        i += 1
    return s

@micropython.viper
def bits(a: int, b: int) -> int:
    x = uint(a)
    y = x >> 3
    return int((y | uint(b)) & uint(0x3FFF)) - (~a & 7)

@micropython.viper
def divs(a: int, b: int) -> int:
    return (a // b) * 1000 + a % b

@micropython.viper
def cmp(a: int, b: int) -> int:
    r = 0
    if a < b:
        r += 1
    if a <= b:
        r += 2
    if a == b:
        r += 4
    if a != b:
        r += 8
    if uint(a) > uint(b):
        r += 16
    if a >= b:
        r += 32
    return r
";

#[test]
fn viper_arithmetic_matches_rust() {
    let values: [i32; 12] = [0, 1, 2, 3, 7, 10, -1, -5, 100, 1000, -1000, 12345];
    both(ARITH, |codes, abi| {
        assert_eq!(codes.len(), 4);
        for &a in &values {
            for &b in &values {
                // poly: loops `a` times.
                let mut s: i32 = 0;
                for i in 0..a.max(0) {
                    s = s.wrapping_add(i.wrapping_mul(b).wrapping_sub(i ^ 5).wrapping_add(b << 2).wrapping_sub(a >> 1));
                    if s > 100000 {
                        s &= 0xFFFF;
                    }
                }
                // (The sum must stay a small int: the fake runtime has no big ints.)
                if a <= 1000 {
                    let (r, log) = call((&codes[0], abi), &[a, b]);
                    assert_eq!(r.unwrap_or_else(|e| panic!("{e}")), (2, Some(s)), "{abi:?} poly({a}, {b}) {log:?}");
                }
                let want = (((a as u32 >> 3) | b as u32) & 0x3FFF) as i32 - (!a & 7);
                let (r, _) = call((&codes[1], abi), &[a, b]);
                assert_eq!(r.unwrap_or_else(|e| panic!("{e}")), (2, Some(want)), "{abi:?} bits({a}, {b})");
                let (r, log) = call((&codes[2], abi), &[a, b]);
                if b == 0 {
                    // The helper reports ZeroDivisionError: the function fails.
                    assert_eq!(r.unwrap_or_else(|e| panic!("{e}")).0, status::ERROR as u32);
                } else {
                    let want = py_div(a, b) * 1000 + py_mod(a, b);
                    assert_eq!(r.unwrap_or_else(|e| panic!("{e}")), (2, Some(want)), "{abi:?} divs({a}, {b})");
                    assert_eq!(log.divmods, 2);
                }
                let want = i32::from(a < b)
                    + 2 * i32::from(a <= b)
                    + 4 * i32::from(a == b)
                    + 8 * i32::from(a != b)
                    + 16 * i32::from(a as u32 > b as u32)
                    + 32 * i32::from(a >= b);
                let (r, _) = call((&codes[3], abi), &[a, b]);
                assert_eq!(r.unwrap_or_else(|e| panic!("{e}")), (2, Some(want)), "{abi:?} cmp({a}, {b})");
            }
        }
    });
}

const POINTERS: &str = "
import micropython

@micropython.viper
def fill(p: int, n: int) -> int:
    b = ptr8(p)
    h = ptr16(p + 256)
    w = ptr32(p + 512)
    i = 0
    while i < n:
        b[i] = i * 37
        h[i] = i * 4099
        w[i] = i * 1000003
        i += 1
    s = 0
    i = 0
    while i < n:
        s += b[i] + h[i] + (w[i] & 0xFFFF)
        i += 1
    return s
";

#[test]
fn viper_pointers_read_and_write_simulated_memory() {
    both(POINTERS, |codes, abi| {
        for n in [0, 1, 5, 64] {
            let mut s: i32 = 0;
            for i in 0..n {
                s += ((i * 37) & 0xFF) + ((i * 4099) & 0xFFFF) + ((i * 1000003) & 0xFFFF);
            }
            let (r, log) = call((&codes[0], abi), &[HEAP as i32, n]);
            assert_eq!(r.unwrap_or_else(|e| panic!("{e}")), (2, Some(s)), "{abi:?} fill({n}) {log:?}");
        }
        // A pointer into unmapped memory stops the simulator with a clear error.
        let (r, _) = call((&codes[0], abi), &[0x100, 3]);
        let e = r.unwrap_err();
        assert!(matches!(e, SimError::Memory(..)), "{e}");
        assert!(e.to_string().contains("unmapped"), "{e}");
    });
}

const NATIVE: &str = "
import micropython

@micropython.native
def f(a, b):
    c = a + b
    d = c - 3
    if d < b:
        d = d + 100
    return (d & 255) | (a ^ b)
";

#[test]
fn native_small_int_fast_paths() {
    both(NATIVE, |codes, abi| {
        for a in [-50, -1, 0, 1, 2, 77, 1 << 20] {
            for b in [-3, 0, 5, 99, -(1 << 20)] {
                let c = a + b;
                let mut d = c - 3;
                if d < b {
                    d += 100;
                }
                let want = (d & 255) | (a ^ b);
                let (r, log) = call((&codes[0], abi), &[a, b]);
                assert_eq!(r.unwrap_or_else(|e| panic!("{e}")), (2, Some(want)), "{abi:?} f({a}, {b}) {log:?}");
            }
        }
        // Overflow of the small-int range takes the slow path: the generic
        // helper (absent from the fake runtime) is called for the addition.
        let (r, log) = call((&codes[0], abi), &[(1 << 30) - 1, 1]);
        assert!(matches!(r, Err(SimError::Host(..))), "{r:?}");
        assert_eq!(log.ops.len(), 1);
    });
}
