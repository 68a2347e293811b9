//! Interrupt checks that keep every register.
//!
//! A loop's interrupt check calls the runtime's `INTERRUPT` helper on a cold
//! path at the back edge. As an `extern "C"` call it would clobber the nine
//! caller-saved integer registers and take four for its arguments, so every
//! value live around the loop would need one of the five callee-saved
//! registers or a stack home reloaded on the hot path every iteration
//! (matrix code keeps ten values live across the check).
//!
//! The check calls [`interrupt_trampoline`] instead, with Cranelift's
//! `preserve_all` convention: the trampoline saves the caller-saved
//! registers itself and takes one argument, the context in `rdi`. The
//! helper's position operand goes in through `ctx[CTX_VALUE]` (a word no
//! one reads at a backward jump) and its status comes back the same way
//! (`preserve_all` calls return nothing), so only `rdi` is taken from the
//! values around the call, and only at the call.
//!
//! The trampoline is appended to each function's code ([`crate::link`]), so the
//! code stays one relocation-free block. Vector registers are not saved:
//! the functions this tier builds use integer values only.

use cranelift_codegen::ir::{types, AbiParam, ExtFuncData, ExternalName, FuncRef, Signature, UserExternalName};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;
use ferropy_bytecode::native_abi::{helper, CTX_TABLE, CTX_VALUE};

const WORD: usize = 8;

/// Displacements of the trampoline's loads (each fits a signed byte).
const VALUE_DISP: u8 = disp8(CTX_VALUE as usize * WORD);
const TABLE_DISP: u8 = disp8(CTX_TABLE as usize * WORD);
const HELPER_DISP: u8 = disp8(helper::INTERRUPT * WORD);

const fn disp8(offset: usize) -> u8 {
    assert!(offset < 128, "displacement does not fit a byte");
    offset as u8
}

/// Offset of the saved `rdi` (the context) from `rsp` after the pushes.
const SAVED_RDI: u8 = 32;

/// The x86-64 trampoline: `rdi` = context; calls
/// `INTERRUPT(ctx, ctx[CTX_VALUE], 0, 0)`, stores its status in
/// `ctx[CTX_VALUE]` and returns with every register unchanged.
#[rustfmt::skip]
pub const fn interrupt_trampoline() -> [u8; 51] {
    [
        0x50,                               // push rax
        0x51,                               // push rcx
        0x52,                               // push rdx
        0x56,                               // push rsi
        0x57,                               // push rdi
        0x41, 0x50,                         // push r8
        0x41, 0x51,                         // push r9
        0x41, 0x52,                         // push r10
        0x41, 0x53,                         // push r11 (nine pushes: rsp is 16-aligned again)
        0x48, 0x8B, 0x77, VALUE_DISP,       // mov rsi, [rdi + CTX_VALUE]
        0x31, 0xD2,                         // xor edx, edx
        0x31, 0xC9,                         // xor ecx, ecx
        0x48, 0x8B, 0x47, TABLE_DISP,       // mov rax, [rdi + CTX_TABLE]
        0xFF, 0x50, HELPER_DISP,            // call [rax + INTERRUPT]
        0x48, 0x8B, 0x7C, 0x24, SAVED_RDI,  // mov rdi, [rsp + 32] (the context)
        0x48, 0x89, 0x47, VALUE_DISP,       // mov [rdi + CTX_VALUE], rax
        0x41, 0x5B,                         // pop r11
        0x41, 0x5A,                         // pop r10
        0x41, 0x59,                         // pop r9
        0x41, 0x58,                         // pop r8
        0x5F,                               // pop rdi
        0x5E,                               // pop rsi
        0x5A,                               // pop rdx
        0x59,                               // pop rcx
        0x58,                               // pop rax
        0xC3,                               // ret
    ]
}

/// The name the function being built gives the trampoline.
pub const TRAMPOLINE: UserExternalName = UserExternalName { namespace: 0, index: 0 };

/// Declares the trampoline in the function `b` builds: calls to the result
/// use the `preserve_all` convention with the context as their argument.
pub fn import(b: &mut FunctionBuilder<'_>) -> FuncRef {
    let mut sig = Signature::new(CallConv::PreserveAll);
    sig.params.push(AbiParam::new(types::I64));
    let signature = b.import_signature(sig);
    let name = ExternalName::User(b.func.declare_imported_user_function(TRAMPOLINE));
    b.import_function(ExtFuncData { name, signature, colocated: true, patchable: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_emit_x64::disasm::decode;

    #[test]
    fn the_trampoline_disassembles_to_its_documented_instructions() {
        let code = interrupt_trampoline();
        let text: Vec<String> = decode(&code).iter().map(|l| l.text.clone()).collect();
        let expected = [
            "push rax",
            "push rcx",
            "push rdx",
            "push rsi",
            "push rdi",
            "push r8",
            "push r9",
            "push r10",
            "push r11",
            "mov rsi,[rdi+0x10]",
            "xor edx,edx",
            "xor ecx,ecx",
            "mov rax,[rdi]",
            "call qword [rax+8]",
            "mov rdi,[rsp+0x20]",
            "mov [rdi+0x10],rax",
            "pop r11",
            "pop r10",
            "pop r9",
            "pop r8",
            "pop rdi",
            "pop rsi",
            "pop rdx",
            "pop rcx",
            "pop rax",
            "ret",
        ];
        assert_eq!(text, expected);
        // Every caller-saved register but rax is pushed and popped in mirror order.
        let pushes: Vec<&str> = text.iter().filter_map(|t| t.strip_prefix("push ")).collect();
        let mut pops: Vec<&str> = text.iter().filter_map(|t| t.strip_prefix("pop ")).collect();
        pops.reverse();
        assert_eq!(pushes, pops);
        assert_eq!(pushes.len(), 9, "the nine caller-saved registers");
        // The saved context is the fifth push from the bottom: 4 words above rsp.
        assert_eq!(pushes.iter().rev().position(|&r| r == "rdi"), Some(usize::from(SAVED_RDI) / 8));
    }
}
