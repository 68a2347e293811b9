//! A small fake runtime for running whole emitted functions in unicorn: the
//! helper table of `ferropy_bytecode::native_abi` implemented in Rust for small
//! ints, bools and pointers, plus compiling a function from Python source.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::emu::{self, read_u32, write_u32, Calls, Helper, DATA, TABLE};
use ferropy_bytecode::native_abi::{obj_word, status, vtype};
use ferropy_bytecode::opcode::{self as op, binary};
use ferropy_bytecode::prelude::decode_signature;
use ferropy_bytecode::{CodeKind, RawCode};
use ferropy_emit_native::{AsmFactory, Factory};
use ferropy_emit_thumb::Arch;
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind, NativeEmitterFactory};
use unicorn_engine::Unicorn;

pub const CTX: u64 = DATA;
/// The interrupt flag, after the table's entries (`native_abi::table_flag_offset`).
pub const FLAG: u64 = TABLE + ferropy_bytecode::native_abi::table_flag_offset(4) as u64;
pub const STATE: u64 = DATA + 0x100;
pub const WORDS: u64 = DATA + 0x800;
/// A buffer for pointer kernels.
pub const BUF: u64 = DATA + 0x2000;

pub fn small(v: i64) -> u32 {
    assert!((-(1 << 30)..(1 << 30)).contains(&v), "test values must stay small ints: {v}");
    ((v as u32) << 1) | 1
}

pub fn unsmall(o: u32) -> i64 {
    assert_eq!(o & 1, 1, "not a small int: {o:#x}");
    i64::from((o as i32) >> 1)
}

pub fn truthy(o: u32) -> bool {
    match o {
        obj_word::TRUE => true,
        obj_word::FALSE | obj_word::NONE => false,
        _ => unsmall(o) != 0,
    }
}

/// The first native/viper function of the module.
pub fn function(code: &RawCode) -> Option<&RawCode> {
    if matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
        return Some(code);
    }
    code.children.iter().find_map(function)
}

pub fn compile<A: AsmFactory + 'static>(source: &str) -> RawCode {
    let factory: Arc<dyn NativeEmitterFactory + Send + Sync> = Arc::new(Factory::<A>::new());
    let options = CompileOptions { native: Some(factory), ..CompileOptions::default() };
    let module = compile_bytes(source.as_bytes(), "t.py", InputKind::File, &options).expect("compiles");
    function(&module.root).expect("a native function").clone()
}

/// Counters of the fake runtime.
#[derive(Default, Debug)]
pub struct Stats {
    pub ops: usize,
    pub interrupts: usize,
    /// The position (`op_addr`) of each interrupt check that called the runtime.
    pub interrupt_at: Vec<u32>,
    pub failed_at: Vec<u32>,
    /// The last `yield`: where to resume (a code address) and the stack depth.
    pub yielded: Option<(u32, u32)>,
    /// Instructions executed in the emitted code (helpers not included).
    pub instructions: u64,
    /// Calls of helpers (any table entry).
    pub helper_calls: usize,
    /// The data region as the function left it.
    pub data: Vec<u8>,
}

pub fn state_addr(slot: u32) -> u64 {
    STATE + 4 * u64::from(slot)
}

pub fn fake_runtime(stats: Rc<RefCell<Stats>>) -> Vec<Helper> {
    let s1 = stats.clone();
    let op_helper: Helper = Rc::new(move |uc, [_, opword, arg, _at]| {
        s1.borrow_mut().ops += 1;
        let opcode = opword as u8;
        let sp = (opword >> 8) & 0xFFFF;
        match opcode {
            op::YIELD_VALUE => {
                let v = read_u32(uc, state_addr(sp - 1));
                write_u32(uc, CTX + 8, v);
                s1.borrow_mut().yielded = Some((arg, sp));
                status::YIELD as u32
            }
            op::POP_JUMP_IF_FALSE | op::POP_JUMP_IF_TRUE => {
                let v = truthy(read_u32(uc, state_addr(sp - 1)));
                if v == (opcode == op::POP_JUMP_IF_TRUE) {
                    arg // the label's address: the code continues there
                } else {
                    status::CONTINUE as u32
                }
            }
            o if o >= op::BINARY_OP_MULTI => {
                let (a, b) = (unsmall(read_u32(uc, state_addr(sp - 2))), unsmall(read_u32(uc, state_addr(sp - 1))));
                let r = match o - op::BINARY_OP_MULTI {
                    binary::ADD | binary::INPLACE_ADD => small(a + b),
                    binary::SUBTRACT | binary::INPLACE_SUBTRACT => small(a - b),
                    binary::MULTIPLY | binary::INPLACE_MULTIPLY => small(a * b),
                    binary::LESS => {
                        if a < b {
                            obj_word::TRUE
                        } else {
                            obj_word::FALSE
                        }
                    }
                    binary::MORE => {
                        if a > b {
                            obj_word::TRUE
                        } else {
                            obj_word::FALSE
                        }
                    }
                    other => panic!("fake runtime: binary op {other}"),
                };
                write_u32(uc, state_addr(sp - 2), r);
                status::CONTINUE as u32
            }
            other => panic!("fake runtime: opcode {other:#x}"),
        }
    });
    let s2 = stats.clone();
    let interrupt: Helper = Rc::new(move |_uc, [_, at, _, _]| {
        s2.borrow_mut().interrupts += 1;
        s2.borrow_mut().interrupt_at.push(at);
        status::CONTINUE as u32
    });
    let box_: Helper = Rc::new(|uc, [_, value, packed, _]| {
        let (t, slot) = (packed as u8, packed >> 8);
        let o = match t {
            vtype::BOOL => {
                if value != 0 {
                    obj_word::TRUE
                } else {
                    obj_word::FALSE
                }
            }
            vtype::INT => small(i64::from(value as i32)),
            _ => small(i64::from(value)),
        };
        write_u32(uc, state_addr(slot), o);
        status::CONTINUE as u32
    });
    let unbox: Helper = Rc::new(|uc, [_, slot, t, _]| {
        let o = read_u32(uc, state_addr(slot));
        let v = match (o, t as u8) {
            (obj_word::TRUE, _) => 1,
            (obj_word::FALSE, _) => 0,
            _ => unsmall(o) as u32,
        };
        write_u32(uc, CTX + 8, v);
        status::CONTINUE as u32
    });
    let divmod: Helper = Rc::new(|uc, [_, a, b, m]| {
        let (a, b) = (a as i32, b as i32);
        if b == 0 {
            return status::ERROR as u32;
        }
        // Python rounds the quotient toward negative infinity.
        let q = (f64::from(a) / f64::from(b)).floor() as i32;
        let r = if m == 0 { q } else { a - b * q };
        write_u32(uc, CTX + 8, r as u32);
        status::CONTINUE as u32
    });
    let s3 = stats;
    let failed: Helper = Rc::new(move |_uc, [_, at, _, _]| {
        s3.borrow_mut().failed_at.push(at);
        status::ERROR as u32
    });
    vec![op_helper, interrupt, box_, unbox, divmod, failed]
}

/// Runs `code` with the objects `args` as its first locals; returns the
/// status and the returned object.
pub fn call_code(
    arch: Arch,
    code: &RawCode,
    args: &[u32],
    setup: &dyn Fn(&mut Unicorn<'static, Calls>),
    interrupt: bool,
) -> (u32, u32, Stats) {
    let mut pos = code.prelude_offset;
    let sig = decode_signature(&code.code, &mut pos).expect("prelude");
    let stats = Rc::new(RefCell::new(Stats::default()));
    let mut uc = emu::machine(arch, &code.code, fake_runtime(stats.clone()));
    write_u32(&mut uc, CTX, TABLE as u32);
    write_u32(&mut uc, CTX + 4, FLAG as u32);
    uc.mem_write(FLAG, &[u8::from(interrupt)]).unwrap();
    for (i, a) in args.iter().enumerate() {
        write_u32(&mut uc, state_addr(sig.n_state - 1 - i as u32), *a);
    }
    setup(&mut uc);
    let counted = emu::count_instructions(&mut uc);
    let st = emu::call(&mut uc, 0, [CTX as u32, STATE as u32, WORDS as u32, 0]);
    {
        let mut s = stats.borrow_mut();
        s.instructions = counted.get();
        s.helper_calls = uc.get_data().log.len();
        s.data = vec![0; emu::DATA_SIZE as usize];
        uc.mem_read(DATA, &mut s.data).expect("data region");
    }
    let value = read_u32(&uc, CTX + 8);
    drop(uc);
    let stats = Rc::try_unwrap(stats).map(RefCell::into_inner).unwrap_or_default();
    (st, value, stats)
}
