//! Whole functions produced by the generic native/viper emitter from Python
//! source, run by the simulator in both ABIs against a small fake runtime (a
//! context block and helper table in simulated memory; boxing and unboxing
//! of small ints and bools, viper division; no generic operations), and
//! compared with the same computation in Rust.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use common::{sim_with, CODE, DATA};
use ferropy_bytecode::native_abi::{helper, obj_word, status, vtype, CTX_VALUE};
use ferropy_bytecode::{CodeKind, RawCode};
use ferropy_emit_native::Factory;
use ferropy_emit_xtensa::{Call0, Variant, Windowed, XtensaAsm};
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind, NativeEmitterFactory};
use ferropy_xtensa_sim::{Memory, Sim, SimError};

const CTX: u32 = DATA;
const TABLE: u32 = DATA + 0x100;
/// The interrupt flag, after the table's entries (`native_abi::table_flag_offset`).
const FLAG: u32 = TABLE + ferropy_bytecode::native_abi::table_flag_offset(4) as u32;
const STATE: u32 = DATA + 0x1000;
const WORDS: u32 = DATA + 0x2000;
/// Scratch memory for viper pointers.
const HEAP: u32 = DATA + 0x8000;
/// Host function addresses (never mapped).
const HOSTS: u32 = 0x0800_0000;

/// The native/viper functions of `source`, by name order of definition.
fn compile<V: Variant>(source: &str) -> Vec<RawCode> {
    let factory: Arc<dyn NativeEmitterFactory + Send + Sync> = Arc::new(Factory::<XtensaAsm<V>>::new());
    let opts = CompileOptions { native: Some(factory), ..CompileOptions::default() };
    let module = compile_bytes(source.as_bytes(), "t.py", InputKind::File, &opts).unwrap_or_else(|e| panic!("{e:?}"));
    module.root.children.iter().filter(|c| matches!(c.kind, CodeKind::Native | CodeKind::Viper)).cloned().collect()
}

fn n_state(code: &RawCode) -> u32 {
    let mut pos = 0;
    ferropy_bytecode::prelude::decode_signature(&code.code[code.prelude_offset..], &mut pos).unwrap().n_state
}

fn small(v: i32) -> u32 {
    (v as u32) << 1 | 1
}

/// The fake runtime's view of an object word.
fn unbox(obj: u32) -> Result<i32, String> {
    match obj {
        obj_word::TRUE => Ok(1),
        obj_word::FALSE => Ok(0),
        o if o & 1 == 1 => Ok(o as i32 >> 1),
        o => Err(format!("not a small int: {o:#x}")),
    }
}

fn boxed(value: u32, vt: u8) -> Result<u32, String> {
    match vt {
        vtype::BOOL => Ok(if value != 0 { obj_word::TRUE } else { obj_word::FALSE }),
        vtype::INT | vtype::UINT => {
            let v = value as i32;
            if (vt == vtype::INT && (-(1 << 30)..(1 << 30)).contains(&v)) || (vt == vtype::UINT && value < 1 << 30) {
                Ok(small(v))
            } else {
                Err(format!("value {value:#x} does not fit a small int"))
            }
        }
        _ => Err(format!("cannot box vtype {vt}")),
    }
}

/// What the fake helpers saw.
#[derive(Default, Debug)]
struct Log {
    ops: Vec<u32>,
    divmods: u32,
}

fn install_helpers(s: &mut Sim, log: Rc<RefCell<Log>>) {
    let state = |slot: u32| STATE + 4 * slot;
    for i in 0..helper::COUNT as u32 {
        s.mem.write(TABLE + 4 * i, 4, HOSTS + 16 * i).unwrap();
    }
    s.mem.write(CTX, 4, TABLE).unwrap();
    s.mem.write(CTX + 4, 4, FLAG).unwrap();
    let l = log.clone();
    s.host(
        HOSTS + 16 * helper::OP as u32,
        Box::new(move |_, a| {
            l.borrow_mut().ops.push(a[1] & 0xFF);
            Err(format!("generic operation {:#x} not in the fake runtime", a[1] & 0xFF))
        }),
    );
    s.host(HOSTS + 16 * helper::INTERRUPT as u32, Box::new(|_, _| Ok(status::CONTINUE as u32)));
    s.host(HOSTS + 16 * helper::FAILED_AT as u32, Box::new(|_, _| Ok(status::ERROR as u32)));
    s.host(
        HOSTS + 16 * helper::BOX as u32,
        Box::new(move |m: &mut Memory, a| {
            let obj = boxed(a[1], a[2] as u8)?;
            m.write(state(a[2] >> 8), 4, obj).map_err(|e| e.to_string())?;
            Ok(status::CONTINUE as u32)
        }),
    );
    s.host(
        HOSTS + 16 * helper::UNBOX as u32,
        Box::new(move |m: &mut Memory, a| {
            let obj = m.read(state(a[1]), 4).map_err(|e| e.to_string())?;
            let v = match a[2] as u8 {
                vtype::OBJECT => obj,
                _ => unbox(obj)? as u32,
            };
            m.write(CTX + 4 * CTX_VALUE as u32, 4, v).map_err(|e| e.to_string())?;
            Ok(status::CONTINUE as u32)
        }),
    );
    s.host(
        HOSTS + 16 * helper::DIVMOD as u32,
        Box::new(move |m: &mut Memory, a| {
            log.borrow_mut().divmods += 1;
            let (x, y) = (a[1] as i32, a[2] as i32);
            if y == 0 {
                return Ok(status::ERROR as u32);
            }
            let v = if a[3] == 0 { x.div_euclid(y) - i32::from(y < 0 && x.rem_euclid(y) != 0) } else { py_mod(x, y) };
            m.write(CTX + 4 * CTX_VALUE as u32, 4, v as u32).map_err(|e| e.to_string())?;
            Ok(status::CONTINUE as u32)
        }),
    );
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
    let machine = code.code[..code.prelude_offset].to_vec();
    let mut s = sim_with(abi, machine);
    let log = Rc::new(RefCell::new(Log::default()));
    install_helpers(&mut s, log.clone());
    let n = n_state(code);
    for (i, a) in args.iter().enumerate() {
        s.mem.write(STATE + 4 * (n - 1 - i as u32), 4, small(*a)).unwrap();
    }
    let r = s.call(CODE, &[CTX, STATE, WORDS, 0]).map(|st| {
        let value = s.mem.read(CTX + 4 * CTX_VALUE as u32, 4).unwrap();
        (st, (st == status::RETURN as u32).then(|| unbox(value).ok()).flatten())
    });
    drop(s);
    let log = Rc::try_unwrap(log).map(RefCell::into_inner).unwrap_or_default();
    (r, log)
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
