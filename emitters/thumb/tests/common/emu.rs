//! Running emitted Thumb code in unicorn (Cortex-M0 for ARMv6-M, so any
//! Thumb-2 instruction in ARMv6-M code faults; Cortex-M3/M4 for the others).
//!
//! Table calls go to magic addresses: a code hook there reads `r0-r3`, runs the
//! test's Rust closure, writes `r0`, clobbers the other caller-saved registers
//! (as a real AAPCS callee may) and returns to `lr`. The hook also checks that
//! `sp` is 8-byte aligned at every call; the runner checks that the callee-saved
//! registers survive the whole function.

use std::rc::Rc;

use ferropy_emit_thumb::Arch;
use unicorn_engine::{Arch as UcArch, ArmCpuModel, Mode, Prot, RegisterARM, Unicorn};

/// Where the code is loaded.
pub const CODE: u64 = 0x10000;
/// Size of the code region.
pub const CODE_SIZE: u64 = 0x80000;
/// Top of the stack.
pub const STACK_TOP: u64 = 0xA0000;
/// A read-write data region for the tests.
pub const DATA: u64 = 0x100000;
/// Size of the data region.
pub const DATA_SIZE: u64 = 0x10000;
/// The function table.
pub const TABLE: u64 = 0x200000;
/// Magic addresses of the table's functions (one word each).
pub const MAGIC: u64 = 0x300000;
/// The return address of the emitted function.
pub const EXIT: u64 = 0x300F00;

/// A table function: receives the machine and `r0-r3`, returns `r0`.
pub type Helper = Rc<dyn for<'a> Fn(&mut Unicorn<'a, Calls>, [u32; 4]) -> u32>;

/// State kept in the machine.
#[derive(Default)]
pub struct Calls {
    /// The table functions.
    pub helpers: Vec<Helper>,
    /// Calls made (index, arguments).
    pub log: Vec<(usize, [u32; 4])>,
    /// A call found `sp` misaligned.
    pub misaligned: bool,
    /// A helper panicked (the emulation was stopped).
    pub helper_panicked: bool,
}

const REGS: [RegisterARM; 16] = [
    RegisterARM::R0,
    RegisterARM::R1,
    RegisterARM::R2,
    RegisterARM::R3,
    RegisterARM::R4,
    RegisterARM::R5,
    RegisterARM::R6,
    RegisterARM::R7,
    RegisterARM::R8,
    RegisterARM::R9,
    RegisterARM::R10,
    RegisterARM::R11,
    RegisterARM::R12,
    RegisterARM::SP,
    RegisterARM::LR,
    RegisterARM::PC,
];

/// Reads register `n`.
pub fn reg(uc: &Unicorn<'_, Calls>, n: usize) -> u32 {
    uc.reg_read(REGS[n]).expect("register") as u32
}

/// Writes register `n`.
pub fn set_reg(uc: &mut Unicorn<'_, Calls>, n: usize, v: u32) {
    uc.reg_write(REGS[n], u64::from(v)).expect("register");
}

/// Reads a little-endian word.
pub fn read_u32(uc: &Unicorn<'_, Calls>, addr: u64) -> u32 {
    let mut b = [0u8; 4];
    uc.mem_read(addr, &mut b).expect("readable");
    u32::from_le_bytes(b)
}

/// Writes a little-endian word.
pub fn write_u32(uc: &mut Unicorn<'_, Calls>, addr: u64, v: u32) {
    uc.mem_write(addr, &v.to_le_bytes()).expect("writable");
}

/// A machine with `code` loaded and the table set up for `helpers`.
pub fn machine(arch: Arch, code: &[u8], helpers: Vec<Helper>) -> Unicorn<'static, Calls> {
    let mut uc = Unicorn::new_with_data(UcArch::ARM, Mode::THUMB, Calls::default()).expect("unicorn");
    let model = match arch {
        Arch::Armv6m => ArmCpuModel::CORTEX_M0,
        Arch::Armv7m => ArmCpuModel::CORTEX_M3,
        _ => ArmCpuModel::CORTEX_M4,
    };
    uc.ctl_set_cpu_model(model as i32).expect("cpu model");
    uc.mem_map(CODE, CODE_SIZE, Prot::ALL).expect("map code");
    uc.mem_write(CODE, code).expect("load code");
    uc.mem_map(STACK_TOP - 0x10000, 0x10000, Prot::READ | Prot::WRITE).expect("map stack");
    uc.mem_map(DATA, DATA_SIZE, Prot::READ | Prot::WRITE).expect("map data");
    uc.mem_map(TABLE, 0x1000, Prot::READ).expect("map table");
    uc.mem_map(MAGIC, 0x1000, Prot::ALL).expect("map magic");
    for i in 0..64u64 {
        write_u32(&mut uc, TABLE + 4 * i, (MAGIC + 4 * i) as u32 | 1);
    }
    // The interrupt flag follows the table's entries (clear).
    let flag = ferropy_bytecode::native_abi::table_flag_offset(4) as u64;
    write_u32(&mut uc, TABLE + flag, 0);
    // `bx lr` everywhere in the magic region (never reached: the hook returns first).
    uc.mem_write(MAGIC, &[0x70, 0x47].repeat(0x800)).expect("magic code");
    uc.get_data_mut().helpers = helpers;
    uc.add_code_hook(MAGIC, EXIT - 1, |uc, addr, _| {
        let index = ((addr - MAGIC) / 4) as usize;
        let args = [reg(uc, 0), reg(uc, 1), reg(uc, 2), reg(uc, 3)];
        if reg(uc, 13) % 8 != 0 {
            uc.get_data_mut().misaligned = true;
        }
        uc.get_data_mut().log.push((index, args));
        let helper = uc.get_data().helpers.get(index).cloned();
        let result = match helper {
            Some(h) => {
                // A panic must not unwind through unicorn's C code.
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h(uc, args))) {
                    Ok(v) => v,
                    Err(_) => {
                        uc.get_data_mut().helper_panicked = true;
                        let _ = uc.emu_stop();
                        0
                    }
                }
            }
            None => 0xBAD0_0000 | index as u32,
        };
        set_reg(uc, 0, result);
        for (n, junk) in [(1, 0xDEAD_0001), (2, 0xDEAD_0002), (3, 0xDEAD_0003), (12, 0xDEAD_000C)] {
            set_reg(uc, n, junk);
        }
        let lr = reg(uc, 14);
        set_reg(uc, 15, lr);
    })
    .expect("hook");
    uc
}

/// Counts the instructions executed in the code region from now on.
pub fn count_instructions(uc: &mut Unicorn<'static, Calls>) -> Rc<std::cell::Cell<u64>> {
    let count = Rc::new(std::cell::Cell::new(0u64));
    let c = count.clone();
    uc.add_code_hook(CODE, CODE + CODE_SIZE - 1, move |_, _, _| c.set(c.get() + 1)).expect("hook");
    count
}

/// Values the callee-saved registers hold when the function is entered.
pub const SAVED_PATTERN: [u32; 8] =
    [0x4444_0004, 0x5555_0005, 0x6666_0006, 0x7777_0007, 0x8888_0008, 0x9999_0009, 0xAAAA_000A, 0xBBBB_000B];

/// Calls the function at offset `entry` with `args`; returns `r0`. Panics (with
/// the fault) if the code faults, runs away, misaligns the stack at a call, or
/// does not preserve `r4-r11` and `sp`.
pub fn call(uc: &mut Unicorn<'static, Calls>, entry: usize, args: [u32; 4]) -> u32 {
    try_call(uc, entry, args).unwrap_or_else(|e| panic!("{e}"))
}

/// [`call`], returning faults as errors.
pub fn try_call(uc: &mut Unicorn<'static, Calls>, entry: usize, args: [u32; 4]) -> Result<u32, String> {
    for (i, a) in args.iter().enumerate() {
        set_reg(uc, i, *a);
    }
    for (i, v) in SAVED_PATTERN.iter().enumerate() {
        set_reg(uc, 4 + i, *v);
    }
    set_reg(uc, 12, 0x1212_1212);
    set_reg(uc, 13, (STACK_TOP - 64) as u32);
    set_reg(uc, 14, EXIT as u32 | 1);
    uc.get_data_mut().misaligned = false;
    uc.get_data_mut().helper_panicked = false;
    uc.emu_start((CODE + entry as u64) | 1, EXIT, 0, 20_000_000)
        .map_err(|e| format!("emulation failed: {e:?} at pc {:#x}", reg(uc, 15)))?;
    if uc.get_data().helper_panicked {
        return Err("a helper panicked".into());
    }
    if reg(uc, 15) as u64 != EXIT {
        return Err(format!("stopped at {:#x} (instruction budget?)", reg(uc, 15)));
    }
    for (i, v) in SAVED_PATTERN.iter().enumerate() {
        if reg(uc, 4 + i) != *v {
            return Err(format!("r{} not preserved: {:#x}", 4 + i, reg(uc, 4 + i)));
        }
    }
    if reg(uc, 13) as u64 != STACK_TOP - 64 {
        return Err(format!("sp not restored: {:#x}", reg(uc, 13)));
    }
    if uc.get_data().misaligned {
        return Err("sp not 8-byte aligned at a call".into());
    }
    Ok(reg(uc, 0))
}
