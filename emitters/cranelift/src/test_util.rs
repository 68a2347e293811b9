//! Helpers for the unit tests of the passes over Cranelift functions.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, Block, Function, InstBuilder, MemFlagsData, Opcode, Signature, Type, Value,
};
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

/// Compiles `func` for the baseline x86-64 of [`isa`] (SSE2 only): the
/// code's size, or Cranelift's error.
pub fn compile_baseline(func: &Function) -> Result<usize, String> {
    let mut ctx = cranelift_codegen::Context::for_function(func.clone());
    let mut ctrl = cranelift_codegen::control::ControlPlane::default();
    ctx.compile(&*isa(), &mut ctrl).map(|c| c.code_buffer().len()).map_err(|e| format!("{:?}", e.inner))
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

/// How many `op` instructions `func` has (of type `ty`, if given: the
/// result's, or for a store the stored value's).
pub fn count(func: &Function, op: Opcode, ty: Option<Type>) -> usize {
    let insts = func.layout.blocks().flat_map(|b| func.layout.block_insts(b));
    insts
        .filter(|&i| func.dfg.insts[i].opcode() == op)
        .filter(|&i| {
            // The result's type, or a store's value's.
            let of =
                func.dfg.inst_results(i).first().map_or_else(|| func.dfg.ctrl_typevar(i), |&r| func.dfg.value_type(r));
            ty.is_none_or(|t| of == t)
        })
        .count()
}

/// The blocks of a counted loop in the shape the translator and loop
/// inversion leave (strip.rs's and scan.rs's tests): `entry` (the
/// function's parameters), `head(k, s)` checking the interrupt flag (the
/// slow path through `cold`), `body`, `latch(a, t)` with the loop test, and
/// `exit(r)` returning `r`.
pub struct TranslatedLoop {
    pub entry: Block,
    pub head: Block,
    pub cold: Block,
    pub body: Block,
    pub latch: Block,
    pub exit: Block,
    /// The head's parameters: the counter and a carried value.
    pub k: Value,
    pub s: Value,
}

impl TranslatedLoop {
    /// Makes the blocks; the builder is left in `entry`.
    pub fn new(b: &mut FunctionBuilder<'_>) -> TranslatedLoop {
        let [entry, head, cold, body, latch, exit] = [(); 6].map(|()| b.create_block());
        b.append_block_params_for_function_params(entry);
        let (k, s) = (b.append_block_param(head, types::I64), b.append_block_param(head, types::I64));
        b.set_cold_block(cold);
        b.switch_to_block(entry);
        TranslatedLoop { entry, head, cold, body, latch, exit, k, s }
    }

    /// Ends `entry` with the first test (`k0 cc n` enters with `(k0, s0)`,
    /// else leaves with `s0`) and writes the head's check of the byte at
    /// `flag`; the builder is left in `body`.
    pub fn enter(&self, b: &mut FunctionBuilder<'_>, (k0, s0): (Value, Value), cc: IntCC, n: Value, flag: Value) {
        let enter = b.ins().icmp(cc, k0, n);
        b.ins().brif(enter, self.head, &[k0.into(), s0.into()], self.exit, &[s0.into()]);
        b.switch_to_block(self.head);
        let f = b.ins().uload8(types::I64, MemFlagsData::new(), flag, 0);
        b.ins().brif(f, self.cold, &[], self.body, &[]);
        b.switch_to_block(self.cold);
        b.ins().jump(self.body, &[]);
        b.switch_to_block(self.body);
    }

    /// Ends the current block with a jump to the latch with `(k2, s2)` and
    /// writes the latch (`(uextend(a cc n) == 0)` leaves with `t`, else goes
    /// round) and the exit; the function is then finished.
    pub fn close(&self, mut b: FunctionBuilder<'_>, (k2, s2): (Value, Value), cc: IntCC, n: Value) {
        let (a, t) = (b.append_block_param(self.latch, types::I64), b.append_block_param(self.latch, types::I64));
        let r = b.append_block_param(self.exit, types::I64);
        b.ins().jump(self.latch, &[k2.into(), s2.into()]);
        b.switch_to_block(self.latch);
        let more = b.ins().icmp(cc, a, n);
        let word = b.ins().uextend(types::I64, more);
        let done = b.ins().icmp_imm_s(IntCC::Equal, word, 0);
        b.ins().brif(done, self.exit, &[t.into()], self.head, &[a.into(), t.into()]);
        b.switch_to_block(self.exit);
        b.ins().return_(&[r]);
        finish(b);
    }
}
