//! Runs the program on its own stack (the process stack, PSP) at the bottom of
//! data RAM, so that a stack overflow touches unmapped memory and faults at
//! once; the fault handler then runs on the main stack (MSP) and reports it.

extern "C" {
    static _program_stack_top: u32;
}

/// Switches the thread to the process stack and calls `main` there.
pub fn run_on_program_stack(main: extern "C" fn() -> !) -> ! {
    let top = core::ptr::addr_of!(_program_stack_top) as usize;
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
