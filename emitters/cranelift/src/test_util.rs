//! Helpers for the unit tests of the passes over Cranelift functions.

use cranelift_codegen::ir::{types, AbiParam, Function, Signature};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings;
use cranelift_frontend::FunctionBuilder;

/// The x86-64 target (built on any host: the tests only build and check
/// functions, they do not run them).
pub fn isa() -> OwnedTargetIsa {
    let isa = cranelift_codegen::isa::lookup_by_name("x86_64-unknown-linux-gnu").expect("x86-64 backend");
    isa.finish(settings::Flags::new(settings::builder())).expect("flags")
}

/// An empty System V function of `params` words returning a word.
pub fn word_function(params: usize) -> Function {
    let mut sig = Signature::new(CallConv::SystemV);
    sig.params.extend((0..params).map(|_| AbiParam::new(types::I64)));
    sig.returns.push(AbiParam::new(types::I64));
    Function::with_name_signature(Default::default(), sig)
}

/// Seals and finalizes a built function.
pub fn finish(mut b: FunctionBuilder<'_>) {
    b.seal_all_blocks();
    b.finalize(isa().frontend_config());
}

/// Panics with the verifier's errors and the function if it is not valid.
pub fn verify(func: &Function) {
    cranelift_codegen::verify_function(func, &*isa()).unwrap_or_else(|e| panic!("{e}\n{}", func.display()));
}
