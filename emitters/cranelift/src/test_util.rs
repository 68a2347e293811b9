//! Helpers for the unit tests of the passes over Cranelift functions.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, AbiParam, Block, Function, InstBuilder, Signature, Value};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

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

/// A function of `params` words built by `body`, which starts in the entry
/// block (given its parameters) and must end every block it makes; with
/// what `body` returns.
pub fn build<T>(params: usize, body: impl FnOnce(&mut FunctionBuilder<'_>, &[Value]) -> T) -> (Function, T) {
    let mut func = word_function(params);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let args = b.block_params(entry).to_vec();
    let out = body(&mut b, &args);
    finish(b);
    (func, out)
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

/// A counting loop under construction: `k = 0; s = 0; while k < n: ...`
/// (the builder is in its body).
pub struct CountingLoop {
    /// The test block, with the parameters `k` and `s`.
    pub head: Block,
    pub k: Value,
    pub s: Value,
}

/// Makes the loop's blocks, ends the current block with a jump into the
/// loop (`k` and `s` zero) and writes the test `k < n` (leaving for `exit`);
/// the builder is left in the body, which ends with a jump back to `head`.
pub fn begin_loop(b: &mut FunctionBuilder<'_>, n: Value, exit: Block) -> CountingLoop {
    let (head, body) = (b.create_block(), b.create_block());
    let (k, s) = (b.append_block_param(head, types::I64), b.append_block_param(head, types::I64));
    let zero = b.ins().iconst(types::I64, 0);
    b.ins().jump(head, &[zero.into(), zero.into()]);
    b.switch_to_block(head);
    let more = b.ins().icmp(IntCC::SignedLessThan, k, n);
    b.ins().brif(more, body, &[], exit, &[]);
    b.switch_to_block(body);
    CountingLoop { head, k, s }
}
