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

/// Word access to the memory the helpers work on (the simulator's, or
/// another emulator's).
pub trait WordMemory {
    /// Reads the little-endian word at `addr`.
    fn read_word(&self, addr: u32) -> Result<u32, String>;
    /// Writes the little-endian word `value` at `addr`.
    fn write_word(&mut self, addr: u32, value: u32) -> Result<(), String>;
}

impl WordMemory for Memory {
    fn read_word(&self, addr: u32) -> Result<u32, String> {
        self.read(addr, 4).map_err(|e| e.to_string())
    }

    fn write_word(&mut self, addr: u32, value: u32) -> Result<(), String> {
        self.write(addr, 4, value).map_err(|e| e.to_string())
    }
}

/// The fake runtime's helpers and the objects only they know (buffers,
/// boxed ints, the constant table), independent of the emulator: [`Fake`]
/// uses them with the Xtensa simulator, other emulators through
/// [`WordMemory`]. Any 32-bit target of the native ABI works the same.
#[derive(Debug, Default)]
pub struct Helpers {
    /// The frame's object slots (the `state` argument of the entry point).
    state: u32,
    /// Buffers: (address, bytes).
    buffers: Vec<(u32, u32)>,
    /// Boxed ints beyond the small ints.
    bigs: Vec<i64>,
    /// The module's constant table.
    consts: Vec<ConstObj>,
    log: Log,
}

impl Helpers {
    /// Helpers for a frame whose object slots are at `state`.
    pub fn new(state: u32) -> Self {
        Helpers { state, ..Helpers::default() }
    }

    /// Runs helper `index` of the table with the arguments `(ctx, a, b, c)`
    /// (see `native_abi::helper`); the status it returns, or why it failed.
    pub fn call(&mut self, index: usize, args: [u32; 4], m: &mut dyn WordMemory) -> Result<u32, String> {
        let [ctx, a, b, c] = args;
        let value = ctx.wrapping_add(4 * CTX_VALUE as u32);
        let state = self.state;
        let slot = move |n: u32| state.wrapping_add(4 * n);
        match index {
            helper::OP => {
                let (opcode, sp) = (a & 0xFF, (a >> 8) & 0xFFFF);
                if opcode == u32::from(LOAD_CONST_OBJ) {
                    if let Some(obj) = self.constant(b) {
                        m.write_word(slot(sp), obj)?;
                        return Ok(status::CONTINUE as u32);
                    }
                }
                self.log.ops.push(opcode);
                Err(format!("generic operation {opcode:#x} not in the fake runtime"))
            }
            helper::INTERRUPT => Ok(status::CONTINUE as u32),
            helper::FAILED_AT => Ok(status::ERROR as u32),
            helper::BOX => {
                let obj = self.boxed(a, b as u8)?;
                m.write_word(slot(b >> 8), obj)?;
                Ok(status::CONTINUE as u32)
            }
            helper::UNBOX => {
                let obj = m.read_word(slot(a))?;
                m.write_word(value, self.unboxed(obj, b as u8)?)?;
                Ok(status::CONTINUE as u32)
            }
            helper::DIVMOD => {
                self.log.divmods += 1;
                let Some((q, r)) = py_divmod(a as i32, b as i32) else { return Ok(status::ERROR as u32) };
                m.write_word(value, if c == 0 { q } else { r } as u32)?;
                Ok(status::CONTINUE as u32)
            }
            _ => Err(format!("no helper {index}")),
        }
    }

    /// Registers a buffer of `len` bytes at `addr`; its object word.
    pub fn add_buffer(&mut self, addr: u32, len: u32) -> u32 {
        self.buffers.push((addr, len));
        BUFFER_OBJ + 16 * (self.buffers.len() as u32 - 1)
    }

    /// The constant table of the function's module (for `LOAD_CONST_OBJ`).
    pub fn set_consts(&mut self, consts: Vec<ConstObj>) {
        self.consts = consts;
    }

    /// What the helpers saw so far.
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// The int an object word stands for (small int, bool or boxed int).
    pub fn int_of(&self, obj: u32) -> Option<i64> {
        match obj {
            obj_word::TRUE => Some(1),
            obj_word::FALSE => Some(0),
            o if o & 1 == 1 => Some(i64::from(o as i32 >> 1)),
            o if o >= BIG_OBJ && o % 16 == 0 => self.bigs.get(((o - BIG_OBJ) / 16) as usize).copied(),
            _ => None,
        }
    }

    /// The address and length of buffer `obj` (from [`Helpers::add_buffer`]).
    pub fn buffer_of(&self, obj: u32) -> Option<(u32, u32)> {
        if !(BUFFER_OBJ..BIG_OBJ).contains(&obj) || obj % 16 != 0 {
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
    objects: Rc<RefCell<Helpers>>,
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
        let objects = Rc::new(RefCell::new(Helpers::new(STATE)));
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
        for i in 0..helper::COUNT {
            let h = self.objects.clone();
            self.sim.host(
                HOSTS + 16 * i as u32,
                Box::new(move |m: &mut Memory, a| h.borrow_mut().call(i, [a[0], a[1], a[2], a[3]], m)),
            );
        }
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
        Ok(objects.add_buffer(addr, len))
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
        self.objects.borrow().log().clone()
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
        let mut o = Helpers::default();
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
