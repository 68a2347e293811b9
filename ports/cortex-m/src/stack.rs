//! Runs the program on its own stack (the process stack, PSP) at the bottom of
//! data RAM, above a guard region that the MPU forbids, so that a stack
//! overflow faults at once (QEMU's board maps the addresses below RAM as an
//! "unimplemented device" that silently accepts writes, so the guard is
//! needed); the fault handler then runs on the main stack (MSP) and reports it.

extern "C" {
    static _program_stack_top: u32;
    static _program_stack_bottom: u32;
}

/// MPU registers (ARMv7-M PMSA).
const MPU_CTRL: usize = 0xE000_ED94;
const MPU_RNR: usize = 0xE000_ED98;
const MPU_RBAR: usize = 0xE000_ED9C;
const MPU_RASR: usize = 0xE000_EDA0;
/// Bytes of the guard at the bottom of the program stack (a power of two >= 32).
pub const GUARD_BYTES: usize = 1024;

/// Makes the lowest [`GUARD_BYTES`] of the program stack inaccessible, keeping
/// the default memory map everywhere else.
fn protect_stack_bottom(bottom: usize) {
    // RASR: execute-never, no access (AP = 0), size 2^(SIZE+1), enabled.
    let size_field = GUARD_BYTES.trailing_zeros() - 1;
    let rasr = (1 << 28) | (size_field << 1) | 1;
    // SAFETY: writes to the MPU's registers (always present on Cortex-M4):
    // region 0 covers the guard only; PRIVDEFENA keeps the default map for
    // every other address, so nothing the program uses loses access. `dsb`
    // and `isb` make the new map effective before the next access.
    unsafe {
        core::ptr::write_volatile(MPU_RNR as *mut u32, 0);
        core::ptr::write_volatile(MPU_RBAR as *mut u32, bottom as u32);
        core::ptr::write_volatile(MPU_RASR as *mut u32, rasr);
        core::ptr::write_volatile(MPU_CTRL as *mut u32, (1 << 2) | 1);
    }
    cortex_m::asm::dsb();
    cortex_m::asm::isb();
}

/// Switches the thread to the process stack and calls `main` there.
pub fn run_on_program_stack(main: extern "C" fn() -> !) -> ! {
    let top = core::ptr::addr_of!(_program_stack_top) as usize;
    protect_stack_bottom(core::ptr::addr_of!(_program_stack_bottom) as usize);
    // SAFETY: `top` is the 8-byte-aligned end of the stack region reserved in
    // memory.x, used by nothing else. The assembly loads it into PSP, selects
    // (reusing the `top` register as scratch)
    // PSP as the thread's stack (CONTROL.SPSEL), synchronises with `isb` and
    // branches to `main`, which never returns; nothing of the current frame
    // (on MSP) is used afterwards.
    unsafe {
        core::arch::asm!(
            "msr psp, {top}",
            "mrs {top}, control",
            "orr {top}, {top}, #2",
            "msr control, {top}",
            "isb",
            "bx {main}",
            top = in(reg) top,
            main = in(reg) main as usize,
            options(noreturn),
        )
    }
}
