//! The processor: registers, the register window, and instruction execution.
//!
//! **Register window model** (windowed ABI): a physical register file that
//! grows as calls nest, with `WindowBase` in units of four registers. `entry`
//! rotates the window by the caller's `callx8` increment and `retw` rotates it
//! back, exactly as the architecture does, but since the file is as large as
//! the call depth needs, **no window overflow or underflow exception ever
//! happens** and no register is spilled to the stack (real cores spill to the
//! save areas the frame layout reserves; emitted code never reads those, so
//! the model is observably equivalent for it). Nesting deeper than
//! [`Sim::max_depth`] frames is reported as a window overflow this simulator
//! does not model. A `retw` whose `a0` carries no window increment, an `entry`
//! not reached through a windowed call, and windowed instructions in a call0
//! simulator are errors too.
//!
//! **Host functions**: a call or jump to an address registered with
//! [`Sim::host`] runs a Rust closure with the six argument registers of the
//! ABI (call0: `a2..a7`; windowed `callx8`: the caller's `a10..a15`, which are
//! the callee's `a2..a7`), writes its result where the callee's `a2` is, and
//! returns to the caller. Registers the ABI lets a callee clobber are then
//! overwritten with a poison pattern (`0xDEAD00nn`), so code that wrongly
//! expects them to survive a call fails.

use std::collections::HashMap;
use std::fmt;

use ferropy_emit_xtensa::insn::{Alu, Insn};
use ferropy_emit_xtensa::Abi;

use crate::mem::{MemFault, Memory};

/// A host function: `(memory, argument registers) -> result or error message`.
pub type HostFn = Box<dyn FnMut(&mut Memory, [u32; 6]) -> Result<u32, String>>;

/// Where the simulated caller of [`Sim::call`] "returns" to (30-bit, never mapped).
pub const RETURN_TO_HOST: u32 = 0x3FFF_FFF0;

/// The machine state when an error stopped the simulation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dump {
    /// Address of the instruction.
    pub pc: u32,
    /// The instruction bytes (up to 3).
    pub bytes: Vec<u8>,
    /// The instruction's text, if it decodes.
    pub text: Option<String>,
    /// `a0..a15` of the current window.
    pub regs: [u32; 16],
    /// Shift amount register.
    pub sar: u32,
    /// Window base (units of 4 registers; 0 in call0 mode).
    pub window_base: usize,
}

impl fmt::Display for Dump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex: String = self.bytes.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(f, "at pc {:#010x}: [{hex}] {}", self.pc, self.text.as_deref().unwrap_or("(undecodable)"))?;
        for (i, r) in self.regs.iter().enumerate() {
            write!(f, "a{i:<2} = {r:#010x}{}", if i % 4 == 3 { "\n" } else { "  " })?;
        }
        write!(f, "sar = {}  windowbase = {}", self.sar, self.window_base)
    }
}

/// Why the simulation stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The bytes at pc are not an instruction of the subset (or not of this ABI).
    Undefined(Box<Dump>),
    /// A load, store or fetch failed.
    Memory(MemFault, Box<Dump>),
    /// A window condition the simulator does not model.
    Window(String, Box<Dump>),
    /// A host function failed.
    Host(String, Box<Dump>),
    /// The step budget ran out.
    StepLimit(Box<Dump>),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Undefined(d) => write!(f, "undefined instruction\n{d}"),
            SimError::Memory(m, d) => write!(f, "{m}\n{d}"),
            SimError::Window(w, d) => write!(f, "window exception not modeled: {w}\n{d}"),
            SimError::Host(h, d) => write!(f, "host function failed: {h}\n{d}"),
            SimError::StepLimit(d) => write!(f, "step limit reached\n{d}"),
        }
    }
}

impl std::error::Error for SimError {}

/// The simulator.
pub struct Sim {
    abi: Abi,
    /// The memory.
    pub mem: Memory,
    phys: Vec<u32>,
    window_base: usize,
    callinc: u32,
    pc: u32,
    sar: u32,
    hosts: HashMap<u32, HostFn>,
    /// The top two address bits of the last `callx8` (a windowed return
    /// address keeps only 30 bits; the architecture takes the others from the
    /// returning code, which a host function does not have).
    call_hi: u32,
    /// Initial stack pointer of [`Sim::call`].
    pub stack_top: u32,
    /// Instructions a [`Sim::call`] may execute.
    pub max_steps: u64,
    /// Deepest window nesting (frames) before a modeled overflow is reported.
    pub max_depth: usize,
    /// Instructions executed so far.
    pub steps: u64,
    /// Host calls made so far.
    pub host_calls: u64,
}

impl Sim {
    /// A simulator for `abi` with no memory.
    pub fn new(abi: Abi) -> Self {
        Sim {
            abi,
            mem: Memory::new(),
            phys: vec![0; 64],
            window_base: 0,
            callinc: 0,
            pc: 0,
            sar: 0,
            hosts: HashMap::new(),
            call_hi: 0,
            stack_top: 0,
            max_steps: 100_000_000,
            max_depth: 4096,
            steps: 0,
            host_calls: 0,
        }
    }

    /// Registers a host function at `addr`.
    pub fn host(&mut self, addr: u32, f: HostFn) {
        self.hosts.insert(addr, f);
    }

    /// Register `a<n>` of the current window.
    pub fn reg(&self, n: u8) -> u32 {
        self.phys.get(self.window_base * 4 + usize::from(n & 15)).copied().unwrap_or(0)
    }

    /// Sets register `a<n>` of the current window.
    pub fn set_reg(&mut self, n: u8, value: u32) {
        let i = self.window_base * 4 + usize::from(n & 15);
        if self.phys.len() <= i {
            self.phys.resize(i + 1, 0);
        }
        self.phys[i] = value;
    }

    /// The current program counter.
    pub fn pc(&self) -> u32 {
        self.pc
    }

    fn dump(&self) -> Box<Dump> {
        let bytes = self.mem.fetch(self.pc).map(|(b, n)| b[..n].to_vec()).unwrap_or_default();
        let text = Insn::decode(&bytes).map(|i| i.display(self.pc).to_string());
        let mut regs = [0; 16];
        for (i, r) in regs.iter_mut().enumerate() {
            *r = self.reg(i as u8);
        }
        Box::new(Dump { pc: self.pc, bytes, text, regs, sar: self.sar, window_base: self.window_base })
    }

    /// Calls the function at `entry` with up to six arguments as the ABI's
    /// caller would, runs it until it returns, and gives its result (`a2` of
    /// the callee).
    pub fn call(&mut self, entry: u32, args: &[u32]) -> Result<u32, SimError> {
        let outer_base = self.window_base;
        let saved_pc = self.pc;
        match self.abi {
            Abi::Call0 => {
                self.set_reg(0, RETURN_TO_HOST);
                self.set_reg(1, self.stack_top);
                for (i, a) in args.iter().take(6).enumerate() {
                    self.set_reg(2 + i as u8, *a);
                }
            }
            Abi::Windowed => {
                // As if a host frame at the current window did `callx8`.
                self.set_reg(1, self.stack_top);
                for (i, a) in args.iter().take(6).enumerate() {
                    self.set_reg(10 + i as u8, *a);
                }
                self.set_reg(8, 2 << 30 | RETURN_TO_HOST);
                self.set_reg(9, self.stack_top);
                self.callinc = 2;
            }
        }
        self.pc = entry;
        let start = self.steps;
        loop {
            let returned = match self.abi {
                Abi::Call0 => self.pc == RETURN_TO_HOST,
                // `retw` keeps the top two bits of the code's own addresses.
                Abi::Windowed => self.pc & 0x3FFF_FFFF == RETURN_TO_HOST,
            };
            if returned && self.window_base == outer_base {
                self.pc = saved_pc;
                return Ok(match self.abi {
                    Abi::Call0 => self.reg(2),
                    Abi::Windowed => self.reg(10),
                });
            }
            if self.steps - start >= self.max_steps {
                return Err(SimError::StepLimit(self.dump()));
            }
            self.step()?;
        }
    }

    /// Runs a host function if `pc` is one, then returns to the caller.
    fn run_host(&mut self) -> Result<bool, SimError> {
        let Some(mut f) = self.hosts.remove(&self.pc) else { return Ok(false) };
        let base = if self.abi == Abi::Windowed { 10 } else { 2 };
        let mut args = [0u32; 6];
        for (i, a) in args.iter_mut().enumerate() {
            *a = self.reg(base + i as u8);
        }
        let result = f(&mut self.mem, args);
        self.hosts.insert(self.pc, f);
        self.host_calls += 1;
        let value = result.map_err(|e| SimError::Host(e, self.dump()))?;
        let poison = |n: u8| 0xDEAD_0000 | u32::from(n);
        match self.abi {
            Abi::Call0 => {
                for n in 3..12 {
                    self.set_reg(n, poison(n));
                }
                self.set_reg(2, value);
                self.pc = self.reg(0);
            }
            Abi::Windowed => {
                let ret = self.reg(8);
                self.set_reg(9, poison(9));
                for n in 11..16 {
                    self.set_reg(n, poison(n));
                }
                self.set_reg(10, value);
                self.pc = self.call_hi | (ret & 0x3FFF_FFFF);
            }
        }
        self.sar = 0xDEAD & 63;
        Ok(true)
    }

    fn mem_err(&self, e: MemFault) -> SimError {
        SimError::Memory(e, self.dump())
    }

    /// Executes one instruction (or one host function).
    pub fn step(&mut self) -> Result<(), SimError> {
        if self.run_host()? {
            return Ok(());
        }
        let (bytes, n) = self.mem.fetch(self.pc).map_err(|e| self.mem_err(e))?;
        let Some(insn) = Insn::decode(&bytes[..n]) else { return Err(SimError::Undefined(self.dump())) };
        let windowed = matches!(insn, Insn::Entry { .. } | Insn::Callx8 { .. } | Insn::Retw | Insn::RetwN);
        if windowed && self.abi == Abi::Call0 {
            return Err(SimError::Undefined(self.dump()));
        }
        self.steps += 1;
        let pc = self.pc;
        let mut next = pc.wrapping_add(insn.len() as u32);
        let target = insn.target(pc).unwrap_or(0);
        let r = |s: &Self, reg: ferropy_emit_xtensa::Reg| s.reg(reg.num());
        match insn {
            Insn::Alu { op, r: d, s, t } => {
                let v = op.eval(r(self, s), r(self, t));
                self.set_reg(d.num(), v);
            }
            Insn::AddN { r: d, s, t } => {
                let v = Alu::Add.eval(r(self, s), r(self, t));
                self.set_reg(d.num(), v);
            }
            Insn::Neg { r: d, t } => self.set_reg(d.num(), r(self, t).wrapping_neg()),
            Insn::MovCond { cond, r: d, s, t } => {
                if cond.eval(r(self, t)) {
                    let v = r(self, s);
                    self.set_reg(d.num(), v);
                }
            }
            Insn::Ssl { s } => self.sar = 32 - (r(self, s) & 31),
            Insn::Ssr { s } => self.sar = r(self, s) & 31,
            Insn::Sll { r: d, s } => {
                let v = (u64::from(r(self, s)) << (32 - self.sar.min(32))) as u32;
                self.set_reg(d.num(), v);
            }
            Insn::Srl { r: d, t } => self.set_reg(d.num(), (u64::from(r(self, t)) >> self.sar.min(63)) as u32),
            Insn::Sra { r: d, t } => self.set_reg(d.num(), (i64::from(r(self, t) as i32) >> self.sar.min(63)) as u32),
            Insn::Slli { r: d, s, sa } => self.set_reg(d.num(), r(self, s) << (sa & 31)),
            Insn::Srli { r: d, t, sa } => self.set_reg(d.num(), r(self, t) >> (sa & 31)),
            Insn::Srai { r: d, t, sa } => self.set_reg(d.num(), ((r(self, t) as i32) >> (sa & 31)) as u32),
            Insn::Extui { r: d, t, shift, bits } => {
                let v = (r(self, t) >> (shift & 31)) & ((1u32 << bits.min(31)) - 1);
                self.set_reg(d.num(), v);
            }
            Insn::Movi { t, imm } => self.set_reg(t.num(), imm as u32),
            Insn::MoviN { s, imm } => self.set_reg(s.num(), imm as u32),
            Insn::MovN { t, s } => self.set_reg(t.num(), r(self, s)),
            Insn::Addi { t, s, imm } | Insn::Addmi { t, s, imm } => {
                self.set_reg(t.num(), r(self, s).wrapping_add(imm as u32));
            }
            Insn::AddiN { r: d, s, imm } => self.set_reg(d.num(), r(self, s).wrapping_add(imm as u32)),
            Insn::Mem { op, t, s, off } => {
                let addr = r(self, s).wrapping_add(off);
                if op.is_store() {
                    self.mem.write(addr, op.size(), r(self, t)).map_err(|e| self.mem_err(e))?;
                } else {
                    let v = self.mem.read(addr, op.size()).map_err(|e| self.mem_err(e))?;
                    self.set_reg(t.num(), v);
                }
            }
            Insn::L32iN { t, s, off } => {
                let v = self.mem.read(r(self, s).wrapping_add(off), 4).map_err(|e| self.mem_err(e))?;
                self.set_reg(t.num(), v);
            }
            Insn::S32iN { t, s, off } => {
                self.mem.write(r(self, s).wrapping_add(off), 4, r(self, t)).map_err(|e| self.mem_err(e))?;
            }
            Insn::L32r { t, .. } => {
                let v = self.mem.read(target, 4).map_err(|e| self.mem_err(e))?;
                self.set_reg(t.num(), v);
            }
            Insn::B { cond, s, t, .. } => {
                if cond.eval(r(self, s), r(self, t)) {
                    next = target;
                }
            }
            Insn::Bz { cond, s, .. } => {
                if cond.eval(r(self, s)) {
                    next = target;
                }
            }
            Insn::Bbi { set, s, bit, .. } => {
                if (r(self, s) >> (bit & 31) & 1 != 0) == set {
                    next = target;
                }
            }
            Insn::BzN { nez, s, .. } => {
                if (r(self, s) != 0) == nez {
                    next = target;
                }
            }
            Insn::J { .. } => next = target,
            Insn::Jx { s } => next = r(self, s),
            Insn::Call0 { .. } => {
                self.set_reg(0, pc.wrapping_add(3));
                next = target;
            }
            Insn::Callx0 { s } => {
                next = r(self, s);
                self.set_reg(0, pc.wrapping_add(3));
            }
            Insn::Callx8 { s } => {
                next = r(self, s);
                self.set_reg(8, 2 << 30 | (pc.wrapping_add(3) & 0x3FFF_FFFF));
                self.callinc = 2;
                self.call_hi = pc & 0xC000_0000;
            }
            Insn::Ret | Insn::RetN => next = self.reg(0),
            Insn::Entry { s, frame } => {
                if self.callinc == 0 {
                    return Err(SimError::Window("entry not reached through a windowed call".into(), self.dump()));
                }
                if self.window_base / 2 >= self.max_depth {
                    return Err(SimError::Window(
                        format!("window overflow beyond {} nested frames", self.max_depth),
                        self.dump(),
                    ));
                }
                let sp = r(self, s).wrapping_sub(frame);
                self.window_base += self.callinc as usize;
                self.callinc = 0;
                self.set_reg(s.num(), sp);
            }
            Insn::Retw | Insn::RetwN => {
                let a0 = self.reg(0);
                let n = (a0 >> 30) as usize;
                if n == 0 || self.window_base < n {
                    return Err(SimError::Window(
                        format!("retw with a0 = {a0:#010x} (no window increment)"),
                        self.dump(),
                    ));
                }
                self.window_base -= n;
                next = (pc & 0xC000_0000) | (a0 & 0x3FFF_FFFF);
            }
            Insn::NopN => {}
        }
        self.pc = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mem::Perm;
    use ferropy_emit_xtensa::insn::Mem;
    use ferropy_emit_xtensa::Reg;

    const CODE: u32 = 0x0010_0000;
    const STACK: u32 = 0x0020_0000;

    fn sim(abi: Abi, insns: &[Insn]) -> Sim {
        let mut code = Vec::new();
        for i in insns {
            i.encode_into(&mut code).unwrap();
        }
        let mut s = Sim::new(abi);
        s.mem.map("code", CODE, code, Perm::Exec).unwrap();
        s.mem.map("stack", STACK, vec![0; 4096], Perm::ReadWrite).unwrap();
        s.stack_top = STACK + 4096;
        s
    }

    #[test]
    fn call0_arithmetic_and_return() {
        let mut s = sim(
            Abi::Call0,
            &[
                Insn::Alu { op: Alu::Mull, r: Reg::A2, s: Reg::A2, t: Reg::A3 },
                Insn::Ssr { s: Reg::A4 },
                Insn::Sra { r: Reg::A2, t: Reg::A2 },
                Insn::RetN,
            ],
        );
        assert_eq!(s.call(CODE, &[-6i32 as u32, 7, 1]).unwrap(), -21i32 as u32);
        assert_eq!(s.steps, 4);
    }

    #[test]
    fn windowed_entry_retw_and_host_calls() {
        // entry a1, 32; l32r-free: movi a8, host; mov a10, a2; callx8 a8; mov a2, a10; retw.n
        let mut s = sim(
            Abi::Windowed,
            &[
                Insn::Entry { s: Reg::A1, frame: 32 },
                Insn::Movi { t: Reg::A8, imm: 0x400 },
                Insn::MovN { t: Reg::A10, s: Reg::A2 },
                Insn::MovN { t: Reg::A11, s: Reg::A3 },
                Insn::Callx8 { s: Reg::A8 },
                Insn::AddN { r: Reg::A2, s: Reg::A10, t: Reg::A3 },
                Insn::RetwN,
            ],
        );
        s.host(0x400, Box::new(|_, a| Ok(a[0] * 100 + a[1])));
        assert_eq!(s.call(CODE, &[4, 2]).unwrap(), 402 + 2);
        assert_eq!(s.host_calls, 1);
        // The caller's frame is back.
        assert_eq!(s.call(CODE, &[1, 1]).unwrap(), 102);
    }

    #[test]
    fn errors_stop_with_a_dump() {
        let mut s = sim(Abi::Call0, &[Insn::Mem { op: Mem::L32i, t: Reg::A2, s: Reg::A2, off: 0 }]);
        let e = s.call(CODE, &[STACK + 2]).unwrap_err();
        assert!(matches!(e, SimError::Memory(MemFault::Unaligned { .. }, _)), "{e}");
        assert!(e.to_string().contains("l32i a2, a2, 0") && e.to_string().contains("a2  = 0x00200002"), "{e}");
        let e = s.call(CODE, &[0x10]).unwrap_err();
        assert!(matches!(e, SimError::Memory(MemFault::Unmapped { addr: 0x10, .. }, _)));
        // Windowed instructions do not exist in call0 mode.
        let mut s = sim(Abi::Call0, &[Insn::RetwN]);
        assert!(matches!(s.call(CODE, &[]), Err(SimError::Undefined(_))));
        let mut s = sim(Abi::Call0, &[Insn::J { rel: -7 }]);
        assert!(matches!(s.call(CODE, &[]), Err(SimError::Undefined(_)) | Err(SimError::Memory(..))));
        // Undecodable bytes.
        let mut s = Sim::new(Abi::Call0);
        s.mem.map("code", CODE, vec![0xFF, 0xFF, 0xFF], Perm::Exec).unwrap();
        let e = s.call(CODE, &[]).unwrap_err();
        assert!(matches!(e, SimError::Undefined(_)) && e.to_string().contains("[ffffff]"), "{e}");
        // Endless loop.
        let mut s = sim(Abi::Call0, &[Insn::J { rel: -4 }]);
        s.max_steps = 1000;
        assert!(matches!(s.call(CODE, &[]), Err(SimError::StepLimit(_))));
        // retw without a window increment in a0, entry without a windowed call.
        let mut s = sim(Abi::Windowed, &[Insn::MoviN { s: Reg::A0, imm: 0 }, Insn::RetwN]);
        assert!(matches!(s.call(CODE, &[]), Err(SimError::Window(..))));
        let mut s = sim(Abi::Windowed, &[Insn::Entry { s: Reg::A1, frame: 32 }, Insn::Entry { s: Reg::A1, frame: 32 }]);
        assert!(matches!(s.call(CODE, &[]), Err(SimError::Window(..))));
        // Unbounded recursion hits the modeled depth limit.
        let mut s = Sim::new(Abi::Windowed);
        let mut code = Vec::new();
        for i in [
            Insn::Entry { s: Reg::A1, frame: 32 },
            Insn::L32r { t: Reg::A8, rel: -8 },
            Insn::Callx8 { s: Reg::A8 },
            Insn::RetwN,
        ] {
            i.encode_into(&mut code).unwrap();
        }
        let mut image = CODE.to_le_bytes().to_vec();
        image.extend(code);
        s.mem.map("code", CODE - 4, image, Perm::Exec).unwrap();
        s.mem.map("stack", 0x1000_0000, vec![0; 1 << 20], Perm::ReadWrite).unwrap();
        s.stack_top = 0x1010_0000;
        s.max_depth = 100;
        let e = s.call(CODE, &[]).unwrap_err();
        assert!(matches!(e, SimError::Window(ref m, _) if m.contains("overflow")), "{e}");
        // A failing host function.
        let mut s = sim(Abi::Call0, &[Insn::Movi { t: Reg::A0, imm: 0x40 }, Insn::Jx { s: Reg::A0 }]);
        s.host(0x40, Box::new(|_, _| Err("boom".into())));
        assert!(matches!(s.call(CODE, &[]), Err(SimError::Host(ref m, _)) if m == "boom"));
    }
}
