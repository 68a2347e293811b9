//! A small fake runtime for running one emitted function in the simulator on
//! any host: the context block, the helper table and the frame's slots live
//! in simulated memory, and the helpers are Rust closures covering what
//! call-free viper (and native small-int) code needs:
//!
//! * `BOX`/`UNBOX` of small ints and bools; ints that do not fit a small int
//!   are boxed as tokens the fake remembers ([`Fake::int_of`] reads them);
//! * `UNBOX` to a pointer type (`ptr8(buf)` and the like) of a buffer object
//!   made by [`Fake::buffer`]: its address in simulated memory (a small int
//!   unboxes to its value, as an address);
//! * viper `DIVMOD` with Python's rounding;
//! * of the generic operations (the `OP` helper) only `LOAD_CONST_OBJ` of an
//!   int constant of the module's table ([`Fake::set_consts`]); any other
//!   operation is logged and fails, so code that needs the real runtime
//!   (calls, globals, big-int arithmetic) stops with a [`SimError::Host`].
//!
//! The instructions the function executed are [`Sim::steps`] of [`Fake::sim`]
//! (helpers not included). Used by the simulator's tests and by
//! `ferropy-bench`'s instruction counts.

use std::cell::RefCell;
use std::rc::Rc;

use ferropy_bytecode::native_abi::{helper, obj_word, status, vtype, CTX_HEAP, CTX_INTERRUPT, CTX_TABLE, CTX_VALUE};
use ferropy_bytecode::opcode::LOAD_CONST_OBJ;
use ferropy_bytecode::{CodeKind, ConstObj, RawCode};
use ferropy_emit_xtensa::Abi;

use crate::{Memory, Perm, Sim, SimError};

/// Where the function's machine code is mapped.
pub const CODE: u32 = 0x0010_0000;
/// The stack region (grows down from its end).
pub const STACK: u32 = 0x0020_0000;
/// Bytes of the stack region.
pub const STACK_SIZE: usize = 1 << 16;
/// The data region: context block, helper table, slots and scratch memory.
pub const DATA: u32 = 0x0030_0000;
/// Bytes of the data region.
pub const DATA_SIZE: usize = 1 << 16;
/// The context block.
pub const CTX: u32 = DATA;
/// The helper table (its entries are [`HOSTS`] addresses).
pub const TABLE: u32 = DATA + 0x100;
/// The interrupt flag, after the table's entries (`native_abi::table_flag_offset`).
pub const FLAG: u32 = TABLE + ferropy_bytecode::native_abi::table_flag_offset(4) as u32;
/// The frame's object slots.
pub const STATE: u32 = DATA + 0x1000;
/// The frame's machine-word slots.
pub const WORDS: u32 = DATA + 0x2000;
/// Free scratch memory in the data region (up to its end), for viper
/// pointers made from ints.
pub const HEAP: u32 = DATA + 0x8000;
/// Buffers made by [`Fake::buffer`] are mapped from here on, each at a
/// 64 KiB boundary.
pub const BUFFERS: u32 = 0x0100_0000;
/// Host function addresses (never mapped): helper `i` is at `HOSTS + 16 * i`.
pub const HOSTS: u32 = 0x0800_0000;
/// Object words of buffers: `BUFFER_OBJ + 16 * n` (heap-reference shaped).
const BUFFER_OBJ: u32 = 0x4000_0000;
/// Object words of boxed ints that are not small ints: `BIG_OBJ + 16 * n`.
const BIG_OBJ: u32 = 0x5000_0000;

/// The small-int object word of `v` (`v` must lie in -2^30 ..= 2^30 - 1).
pub fn small(v: i32) -> u32 {
    (v as u32) << 1 | obj_word::SMALL_INT_TAG
}

/// What the fake helpers saw.
#[derive(Clone, Debug, Default)]
pub struct Log {
    /// Opcodes passed to the `OP` helper (each one failed).
    pub ops: Vec<u32>,
    /// Calls of `DIVMOD`.
    pub divmods: u32,
}

/// Objects only the fake runtime knows.
#[derive(Debug, Default)]
struct Objects {
    /// Buffers: (address, bytes).
    buffers: Vec<(u32, u32)>,
    /// Boxed ints beyond the small ints.
    bigs: Vec<i64>,
    /// The module's constant table.
    consts: Vec<ConstObj>,
    log: Log,
}

impl Objects {
    fn int_of(&self, obj: u32) -> Option<i64> {
        match obj {
            obj_word::TRUE => Some(1),
            obj_word::FALSE => Some(0),
            o if o & 1 == 1 => Some(i64::from(o as i32 >> 1)),
            o if o >= BIG_OBJ && o % 16 == 0 => self.bigs.get(((o - BIG_OBJ) / 16) as usize).copied(),
            _ => None,
        }
    }

    fn buffer_of(&self, obj: u32) -> Option<(u32, u32)> {
        if obj < BUFFER_OBJ || obj >= BIG_OBJ || obj % 16 != 0 {
            return None;
        }
        self.buffers.get(((obj - BUFFER_OBJ) / 16) as usize).copied()
    }

    fn boxed(&mut self, value: u32, vt: u8) -> Result<u32, String> {
        match vt {
            vtype::BOOL => Ok(if value != 0 { obj_word::TRUE } else { obj_word::FALSE }),
            vtype::INT | vtype::UINT => {
                let v = value as i32;
                if (vt == vtype::INT && (-(1 << 30)..(1 << 30)).contains(&v)) || (vt == vtype::UINT && value < 1 << 30)
                {
                    Ok(small(v))
                } else {
                    Ok(self.big(if vt == vtype::UINT { i64::from(value) } else { i64::from(v) }))
                }
            }
            _ => Err(format!("cannot box vtype {vt}")),
        }
    }

    /// The object word of a new boxed int `v`.
    fn big(&mut self, v: i64) -> u32 {
        self.bigs.push(v);
        BIG_OBJ + 16 * (self.bigs.len() as u32 - 1)
    }

    /// The object word of constant `index`, if the fake runtime has it.
    fn constant(&mut self, index: u32) -> Option<u32> {
        match self.consts.get(index as usize)? {
            ConstObj::None => Some(obj_word::NONE),
            ConstObj::False => Some(obj_word::FALSE),
            ConstObj::True => Some(obj_word::TRUE),
            ConstObj::Int(text) => {
                let v: i64 = text.parse().ok()?;
                Some(match i32::try_from(v) {
                    Ok(small_v) if (-(1 << 30)..(1 << 30)).contains(&small_v) => small(small_v),
                    _ => self.big(v),
                })
            }
            _ => None,
        }
    }

    fn unboxed(&self, obj: u32, vt: u8) -> Result<u32, String> {
        match vt {
            vtype::OBJECT => Ok(obj),
            vtype::PTR | vtype::PTR8 | vtype::PTR16 | vtype::PTR32 => match self.buffer_of(obj) {
                Some((addr, _)) => Ok(addr),
                None => self.int_of(obj).map(|v| v as u32).ok_or_else(|| format!("no pointer for object {obj:#x}")),
            },
            _ => self.int_of(obj).map(|v| v as u32).ok_or_else(|| format!("not an int: {obj:#x}")),
        }
    }
}

/// Python's floor division and modulo of 32-bit ints (`None`: division by zero).
fn py_divmod(x: i32, y: i32) -> Option<(i32, i32)> {
    if y == 0 {
        return None;
    }
    let (x, y) = (i64::from(x), i64::from(y));
    let m = x.rem_euclid(y);
    let m = if m != 0 && y < 0 { m + y } else { m };
    Some((((x - m) / y) as i32, m as i32))
}

/// How a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Returned {
    /// The status word the function returned.
    pub status: u32,
    /// The returned object word, if the status is `RETURN`.
    pub value: Option<u32>,
}

/// One function loaded into a simulator with the fake runtime.
pub struct Fake {
    /// The simulator (its `steps` count the instructions executed).
    pub sim: Sim,
    objects: Rc<RefCell<Objects>>,
    n_state: u32,
}

impl Fake {
    /// Loads the machine code of `code` (a native or viper function compiled
    /// for `abi`) with the fake runtime.
    pub fn new(abi: Abi, code: &RawCode) -> Result<Self, String> {
        if !matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
            return Err("not a native or viper function".into());
        }
        let mut pos = 0;
        let prelude = code.code.get(code.prelude_offset..).ok_or("no prelude")?;
        let n_state = ferropy_bytecode::prelude::decode_signature(prelude, &mut pos)
            .map_err(|e| format!("prelude: {e:?}"))?
            .n_state;
        let machine = code.code[..code.prelude_offset].to_vec();
        let mut sim = Sim::new(abi);
        sim.mem.map("code", CODE, machine, Perm::Exec)?;
        sim.mem.map("data", DATA, vec![0; DATA_SIZE], Perm::ReadWrite)?;
        sim.mem.map("stack", STACK, vec![0; STACK_SIZE], Perm::ReadWrite)?;
        sim.stack_top = STACK + STACK_SIZE as u32;
        let objects = Rc::new(RefCell::new(Objects::default()));
        let mut fake = Fake { sim, objects, n_state };
        fake.install()?;
        Ok(fake)
    }

    fn install(&mut self) -> Result<(), String> {
        let m = &mut self.sim.mem;
        let e = |e: crate::MemFault| e.to_string();
        for i in 0..helper::COUNT as u32 {
            m.write(TABLE + 4 * i, 4, HOSTS + 16 * i).map_err(e)?;
        }
        m.write(CTX + 4 * CTX_TABLE as u32, 4, TABLE).map_err(e)?;
        m.write(CTX + 4 * CTX_INTERRUPT as u32, 4, FLAG).map_err(e)?;
        m.write(CTX + 4 * CTX_HEAP as u32, 4, 0).map_err(e)?;
        let host = |i: usize| HOSTS + 16 * i as u32;
        let set_value = |m: &mut Memory, v: u32| m.write(CTX + 4 * CTX_VALUE as u32, 4, v).map_err(|e| e.to_string());
        let state = |slot: u32| STATE + 4 * slot;
        let o = self.objects.clone();
        self.sim.host(
            host(helper::OP),
            Box::new(move |m: &mut Memory, a| {
                let (opcode, sp) = (a[1] & 0xFF, (a[1] >> 8) & 0xFFFF);
                if opcode == u32::from(LOAD_CONST_OBJ) {
                    if let Some(obj) = o.borrow_mut().constant(a[2]) {
                        m.write(state(sp), 4, obj).map_err(|e| e.to_string())?;
                        return Ok(status::CONTINUE as u32);
                    }
                }
                o.borrow_mut().log.ops.push(opcode);
                Err(format!("generic operation {opcode:#x} not in the fake runtime"))
            }),
        );
        self.sim.host(host(helper::INTERRUPT), Box::new(|_, _| Ok(status::CONTINUE as u32)));
        self.sim.host(host(helper::FAILED_AT), Box::new(|_, _| Ok(status::ERROR as u32)));
        let o = self.objects.clone();
        self.sim.host(
            host(helper::BOX),
            Box::new(move |m: &mut Memory, a| {
                let obj = o.borrow_mut().boxed(a[1], a[2] as u8)?;
                m.write(state(a[2] >> 8), 4, obj).map_err(|e| e.to_string())?;
                Ok(status::CONTINUE as u32)
            }),
        );
        let o = self.objects.clone();
        self.sim.host(
            host(helper::UNBOX),
            Box::new(move |m: &mut Memory, a| {
                let obj = m.read(state(a[1]), 4).map_err(|e| e.to_string())?;
                let v = o.borrow().unboxed(obj, a[2] as u8)?;
                set_value(m, v)?;
                Ok(status::CONTINUE as u32)
            }),
        );
        let o = self.objects.clone();
        self.sim.host(
            host(helper::DIVMOD),
            Box::new(move |m: &mut Memory, a| {
                o.borrow_mut().log.divmods += 1;
                let Some((q, r)) = py_divmod(a[1] as i32, a[2] as i32) else { return Ok(status::ERROR as u32) };
                set_value(m, if a[3] == 0 { q } else { r } as u32)?;
                Ok(status::CONTINUE as u32)
            }),
        );
        Ok(())
    }

    /// Gives the fake runtime the constant table of the function's module
    /// (for `LOAD_CONST_OBJ`).
    pub fn set_consts(&mut self, consts: Vec<ConstObj>) {
        self.objects.borrow_mut().consts = consts;
    }

    /// Maps a copy of `bytes` as a new buffer (a bytearray or array the
    /// function may cast with `ptr8`/`ptr16`/`ptr32`) and gives its object word.
    pub fn buffer(&mut self, bytes: &[u8]) -> Result<u32, String> {
        let mut objects = self.objects.borrow_mut();
        let addr = match objects.buffers.last() {
            Some(&(a, len)) => (a + len).next_multiple_of(1 << 16),
            None => BUFFERS,
        };
        let len = u32::try_from(bytes.len()).map_err(|_| "buffer too large")?;
        let n = objects.buffers.len();
        self.sim.mem.map(&format!("buffer {n}"), addr, bytes.to_vec(), Perm::ReadWrite)?;
        objects.buffers.push((addr, len));
        Ok(BUFFER_OBJ + 16 * n as u32)
    }

    /// The contents of the buffer `obj` (from [`Fake::buffer`]).
    pub fn buffer_bytes(&self, obj: u32) -> Option<Vec<u8>> {
        let (addr, len) = self.objects.borrow().buffer_of(obj)?;
        self.sim.mem.read_bytes(addr, len as usize).ok()
    }

    /// The int an object word from this runtime stands for (small int, bool
    /// or boxed int).
    pub fn int_of(&self, obj: u32) -> Option<i64> {
        self.objects.borrow().int_of(obj)
    }

    /// What the helpers saw so far.
    pub fn log(&self) -> Log {
        self.objects.borrow().log.clone()
    }

    /// Calls the function with the object words `args` as its first locals
    /// (its positional arguments).
    pub fn call(&mut self, args: &[u32]) -> Result<Returned, SimError> {
        for (i, a) in args.iter().enumerate() {
            let slot = self.n_state.saturating_sub(1 + i as u32);
            self.sim
                .mem
                .write(STATE + 4 * slot, 4, *a)
                .map_err(|e| SimError::Host(e.to_string(), Box::new(self.dump())))?;
        }
        let st = self.sim.call(CODE, &[CTX, STATE, WORDS, 0])?;
        let value =
            (st == status::RETURN as u32).then(|| self.sim.mem.read(CTX + 4 * CTX_VALUE as u32, 4).ok()).flatten();
        Ok(Returned { status: st, value })
    }

    fn dump(&self) -> crate::Dump {
        crate::Dump { pc: self.sim.pc(), bytes: Vec::new(), text: None, regs: [0; 16], sar: 0, window_base: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_division_rounds_down() {
        assert_eq!(py_divmod(7, 2), Some((3, 1)));
        assert_eq!(py_divmod(-7, 2), Some((-4, 1)));
        assert_eq!(py_divmod(7, -2), Some((-4, -1)));
        assert_eq!(py_divmod(-7, -2), Some((3, -1)));
        assert_eq!(py_divmod(i32::MIN, -1), Some((i32::MIN, 0)));
        assert_eq!(py_divmod(1, 0), None);
    }

    #[test]
    fn objects_box_and_unbox() {
        let mut o = Objects::default();
        let big = o.boxed(0xFFFF_FFFF, vtype::UINT).unwrap();
        assert_eq!(o.int_of(big), Some(0xFFFF_FFFF));
        let neg = o.boxed(0x8000_0000, vtype::INT).unwrap();
        assert_eq!(o.int_of(neg), Some(-0x8000_0000));
        let five = o.boxed(5, vtype::INT).unwrap();
        assert_eq!(o.int_of(five), Some(5));
        assert_eq!(o.boxed(1, vtype::BOOL), Ok(obj_word::TRUE));
        o.buffers.push((BUFFERS, 8));
        assert_eq!(o.unboxed(BUFFER_OBJ, vtype::PTR8), Ok(BUFFERS));
        assert_eq!(o.unboxed(small(64), vtype::PTR32), Ok(64));
        assert!(o.unboxed(BUFFER_OBJ, vtype::INT).is_err());
        o.consts = vec![ConstObj::Int("4294967295".into()), ConstObj::Float(1.5), ConstObj::Int("7".into())];
        let c = o.constant(0).unwrap();
        assert_eq!(o.unboxed(c, vtype::UINT), Ok(0xFFFF_FFFF));
        assert_eq!(o.constant(1), None);
        assert_eq!(o.constant(2), Some(small(7)));
        assert_eq!(o.constant(3), None);
    }
}
