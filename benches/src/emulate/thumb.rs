//! Thumb instruction counts (feature `isa-emulators`): a kernel function run
//! by unicorn (a Cortex-M3 for ARMv7-M, a Cortex-M0 for ARMv6-M, so a
//! Thumb-2 instruction in ARMv6-M code faults) against the fake runtime's
//! helpers (`ferropy_xtensa_sim::fake::Helpers`, which work on any 32-bit
//! emulator's memory), with the kernel's buffers in emulated memory.
//!
//! The helper table points at "magic" addresses; a code hook there runs the
//! helper, clobbers the registers an AAPCS callee may clobber, and returns
//! to `lr`. Another code hook counts the instructions executed in the
//! function's code.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ferropy_bytecode::native_abi::{helper, status, table_flag_offset, CTX_INTERRUPT, CTX_TABLE, CTX_VALUE};
use ferropy_xtensa_sim::fake::{small, Helpers, WordMemory};
use unicorn_engine::{Arch, ArmCpuModel, Mode, Prot, RegisterARM, Unicorn};

use super::{needs_runtime, Arg, Call, Counted, KernelCode};

/// Where the code is loaded.
const CODE: u64 = 0x0001_0000;
/// The stack (grows down from `STACK + STACK_SIZE`).
const STACK: u64 = 0x0008_0000;
const STACK_SIZE: u64 = 0x1_0000;
/// Context block, then object slots and word slots.
const DATA: u64 = 0x0010_0000;
const DATA_SIZE: u64 = 0x1_0000;
const CTX: u64 = DATA;
const STATE: u64 = DATA + 0x1000;
const WORDS: u64 = DATA + 0x2000;
/// The helper table (and the interrupt flag after it).
const TABLE: u64 = 0x0020_0000;
/// The helpers' magic addresses (one halfword each).
const MAGIC: u64 = 0x0030_0000;
/// Where the function returns to.
const EXIT: u64 = 0x0030_0F00;
/// Buffers, each at a 64 KiB boundary.
const BUFFERS: u64 = 0x0100_0000;
/// Instructions one run may execute.
const MAX_INSNS: usize = 2_000_000_000;

/// The CPU model of an `mpy-cross -march=` Thumb name (`armv7m`, `armv6m`).
pub fn cpu(arch: &str) -> Option<ArmCpuModel> {
    match arch {
        "armv7m" => Some(ArmCpuModel::CORTEX_M3),
        "armv6m" => Some(ArmCpuModel::CORTEX_M0),
        _ => None,
    }
}

/// Unicorn's memory, for the helpers.
struct UcMemory<'u, 'a>(&'u mut Unicorn<'a, ()>);

impl WordMemory for UcMemory<'_, '_> {
    fn read_word(&self, addr: u32) -> Result<u32, String> {
        let mut b = [0u8; 4];
        self.0.mem_read(u64::from(addr), &mut b).map_err(|e| format!("read at {addr:#x}: {e:?}"))?;
        Ok(u32::from_le_bytes(b))
    }

    fn write_word(&mut self, addr: u32, value: u32) -> Result<(), String> {
        self.0.mem_write(u64::from(addr), &value.to_le_bytes()).map_err(|e| format!("write at {addr:#x}: {e:?}"))
    }
}

fn reg(uc: &Unicorn<'_, ()>, r: RegisterARM) -> u32 {
    uc.reg_read(r).unwrap_or(0) as u32
}

fn uc_err(what: &str) -> impl Fn(unicorn_engine::uc_error) -> String + '_ {
    move |e| format!("unicorn: {what}: {e:?}")
}

fn page_round(n: u64) -> u64 {
    n.div_ceil(0x1000).max(1) * 0x1000
}

/// Runs `kernel` (compiled for the Thumb `model`) as `call` describes; the
/// kernel's result and the instructions executed. The error says why it
/// could not run.
pub fn run(kernel: &KernelCode, model: ArmCpuModel, call: &Call) -> Result<Counted, String> {
    let code = kernel.code.code.get(..kernel.code.prelude_offset).ok_or("no machine code")?;
    let mut pos = 0;
    let prelude = kernel.code.code.get(kernel.code.prelude_offset..).ok_or("no prelude")?;
    let n_state =
        ferropy_bytecode::prelude::decode_signature(prelude, &mut pos).map_err(|e| format!("prelude: {e:?}"))?.n_state;
    let mut uc = Unicorn::new(Arch::ARM, Mode::THUMB).map_err(uc_err("new"))?;
    uc.ctl_set_cpu_model(model as i32).map_err(uc_err("cpu model"))?;
    let code_size = page_round(code.len() as u64);
    uc.mem_map(CODE, code_size, Prot::READ | Prot::EXEC).map_err(uc_err("map code"))?;
    uc.mem_write(CODE, code).map_err(uc_err("load code"))?;
    uc.mem_map(STACK, STACK_SIZE, Prot::READ | Prot::WRITE).map_err(uc_err("map stack"))?;
    uc.mem_map(DATA, DATA_SIZE, Prot::READ | Prot::WRITE).map_err(uc_err("map data"))?;
    uc.mem_map(TABLE, 0x1000, Prot::READ).map_err(uc_err("map table"))?;
    uc.mem_map(MAGIC, 0x1000, Prot::ALL).map_err(uc_err("map magic"))?;
    // `bx lr` everywhere in the magic region (never run: the hook returns first).
    uc.mem_write(MAGIC, &[0x70, 0x47].repeat(0x800)).map_err(uc_err("magic code"))?;
    for i in 0..helper::COUNT as u64 {
        uc.mem_write(TABLE + 4 * i, &((MAGIC + 2 * i) as u32 | 1).to_le_bytes()).map_err(uc_err("table"))?;
    }
    let flag = TABLE + table_flag_offset(4) as u64;
    uc.mem_write(flag, &[0]).map_err(uc_err("flag"))?;
    uc.mem_write(CTX + 4 * CTX_TABLE as u64, &(TABLE as u32).to_le_bytes()).map_err(uc_err("ctx"))?;
    uc.mem_write(CTX + 4 * CTX_INTERRUPT as u64, &(flag as u32).to_le_bytes()).map_err(uc_err("ctx"))?;
    let helpers = Rc::new(RefCell::new(Helpers::new(STATE as u32)));
    helpers.borrow_mut().set_consts(kernel.consts.clone());
    // Arguments: small ints, or buffers mapped one after another.
    let (mut args, mut buffers) = (Vec::new(), Vec::new());
    let mut next = BUFFERS;
    for a in &call.args {
        args.push(match a {
            Arg::Int(v) => small(*v),
            Arg::Buffer(b) => {
                let size = page_round(b.len() as u64);
                uc.mem_map(next, size, Prot::READ | Prot::WRITE).map_err(uc_err("map buffer"))?;
                uc.mem_write(next, b).map_err(uc_err("fill buffer"))?;
                let obj = helpers.borrow_mut().add_buffer(next as u32, b.len() as u32);
                buffers.push((next, b.len()));
                next += size.next_multiple_of(0x1_0000);
                obj
            }
        });
    }
    for (i, a) in args.iter().enumerate() {
        let slot = u64::from(n_state.saturating_sub(1 + i as u32));
        uc.mem_write(STATE + 4 * slot, &a.to_le_bytes()).map_err(uc_err("argument"))?;
    }
    // The helpers.
    let failure: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
    let (h, f) = (helpers.clone(), failure.clone());
    uc.add_code_hook(MAGIC, EXIT - 1, move |uc, addr, _| {
        let index = ((addr - MAGIC) / 2) as usize;
        let a =
            [reg(uc, RegisterARM::R0), reg(uc, RegisterARM::R1), reg(uc, RegisterARM::R2), reg(uc, RegisterARM::R3)];
        let result = h.borrow_mut().call(index, a, &mut UcMemory(uc));
        let value = match result {
            Ok(v) => v,
            Err(e) => {
                *f.borrow_mut() = Some(e);
                let _ = uc.emu_stop();
                status::ERROR as u32
            }
        };
        let _ = uc.reg_write(RegisterARM::R0, u64::from(value));
        for r in [RegisterARM::R1, RegisterARM::R2, RegisterARM::R3, RegisterARM::R12] {
            let _ = uc.reg_write(r, 0xDEAD_0000);
        }
        let lr = reg(uc, RegisterARM::LR);
        let _ = uc.reg_write(RegisterARM::PC, u64::from(lr));
    })
    .map_err(uc_err("helper hook"))?;
    let count = Rc::new(Cell::new(0u64));
    let c = count.clone();
    uc.add_code_hook(CODE, CODE + code_size - 1, move |_, _, _| c.set(c.get() + 1)).map_err(uc_err("count hook"))?;
    for (r, v) in [
        (RegisterARM::R0, CTX),
        (RegisterARM::R1, STATE),
        (RegisterARM::R2, WORDS),
        (RegisterARM::R3, 0),
        (RegisterARM::SP, STACK + STACK_SIZE),
        (RegisterARM::LR, EXIT | 1),
    ] {
        uc.reg_write(r, v).map_err(uc_err("registers"))?;
    }
    let started = uc.emu_start(CODE | 1, EXIT, 0, MAX_INSNS);
    if let Some(e) = failure.borrow_mut().take() {
        let ops = helpers.borrow().log().ops.clone();
        return Err(needs_runtime(&ops).unwrap_or(e));
    }
    started.map_err(|e| format!("unicorn: {e:?} at pc {:#x}", reg(&uc, RegisterARM::PC)))?;
    if u64::from(reg(&uc, RegisterARM::PC)) != EXIT {
        return Err(format!("stopped at {:#x} (instruction budget?)", reg(&uc, RegisterARM::PC)));
    }
    let st = reg(&uc, RegisterARM::R0);
    if st != status::RETURN as u32 {
        return Err(format!("the function ended with status {st}"));
    }
    let mut v = [0u8; 4];
    uc.mem_read(CTX + 4 * CTX_VALUE as u64, &mut v).map_err(uc_err("result"))?;
    let value = helpers.borrow().int_of(u32::from_le_bytes(v));
    let mut after = Vec::new();
    for (addr, len) in buffers {
        let mut b = vec![0; len];
        uc.mem_read(addr, &mut b).map_err(uc_err("buffer"))?;
        after.push(b);
    }
    let result = (call.result)(value, &after).ok_or("no result")?;
    Ok(Counted { result, instructions: count.get() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulate::{check, kernel_call, kernel_code};
    use crate::kernels::{source_of, sources};

    #[test]
    fn bubble_sorts_on_both_cores_with_a_count() {
        let sources = sources().expect("kernel sources");
        let src = source_of(&sources, "bubble", "viper").expect("bubble's viper source");
        let call = kernel_call("bubble").expect("bubble's call");
        for arch in ["armv7m", "armv6m"] {
            let code = kernel_code(&src, arch).expect("compiles");
            let c = run(&code, cpu(arch).expect("a Thumb arch"), &call).unwrap_or_else(|e| panic!("{arch}: {e}"));
            check(c.result, "16743424").unwrap_or_else(|e| panic!("{arch}: {e}"));
            assert!(c.instructions > 300 * 299 / 2, "{arch}: {} instructions", c.instructions);
        }
        let fib = kernel_code(&source_of(&sources, "fib", "viper").expect("fib"), "armv7m").expect("compiles");
        let e = run(&fib, ArmCpuModel::CORTEX_M3, &kernel_call("fib").expect("fib's call")).unwrap_err();
        assert!(e.contains("LOAD_GLOBAL"), "{e}");
    }
}
