//! Recorded viper [`Ir`] to Cranelift IR.
//!
//! The translation follows the single-pass lowering operation for operation
//! (same helpers, same operands, same statuses), with one difference that is
//! the point of this tier: the machine-word slots (viper's native locals and
//! stack entries) are Cranelift variables, so they live in registers and
//! Cranelift optimises across operations. Nothing in the runtime reads the
//! `words` array (helpers get native values as arguments and hand results
//! back in `ctx[CTX_VALUE]`), and the functions translated here are never
//! re-entered in the middle ([`check`]), so the array is never written.
//! Objects stay in the frame's `state` slots, where the collector and the
//! generic helper see them.
//!
//! Cranelift code cannot name its own addresses, and positions go to the
//! runtime as addresses (`op_addr`, label operands, jump statuses). They are
//! built from the code's base (`ctx[CTX_BASE]`) plus an offset: operation `i`
//! reports the offset where the single-pass code has it (the function's line
//! table is built from those, so tracebacks name the same lines, and the
//! single-pass code can be swapped for this code at any call), and label `l`
//! is `len + 2 + 2 * l`, past every operation offset, so a helper that
//! continues (`ip == op_ip + 1`) is never mistaken for a jump. A jump status
//! (`base + label offset`) is turned back into a block with a switch.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    types, AbiParam, Block, FuncRef, InstBuilder, MemFlagsData, SigRef, Signature, StackSlot, StackSlotData,
    StackSlotKind, Value,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Switch, Variable};

use ferropy_bytecode::native_abi::{helper, obj_word, status, vtype, CTX_BASE, CTX_INTERRUPT, CTX_TABLE, CTX_VALUE};
use ferropy_bytecode::opcode as op;
use ferropy_emit_native::emit::ir::{Arg, Ir, LabelRole};
use ferropy_emit_native::emit::viper::{Arith, Index, Slot, VOp};
use ferropy_emit_native::{BinOp, Cond, ShiftOp, SinglePass, Width};

use crate::check;
use crate::live::{self, Liveness};

/// Word size of the targets this tier supports (64-bit hosts).
const WORD: i64 = 8;
const I64: types::Type = types::I64;

/// Why a function was not translated.
pub type Reject = String;

/// Builds the Cranelift function for one viper scope into `func`.
/// `single` is the scope's single-pass code (its length and the offset of
/// every operation).
pub fn build(
    isa: &dyn TargetIsa,
    func: &mut cranelift_codegen::ir::Function,
    fctx: &mut FunctionBuilderContext,
    ir: &[Ir],
    n_state: u32,
    single: &SinglePass<'_>,
) -> Result<(), Reject> {
    check::supported(ir)?;
    if single.op_offsets.len() != ir.len() {
        return Err(String::from("operation offsets do not match the IR"));
    }
    let call_conv = isa.default_call_conv();
    let mut sig = Signature::new(call_conv);
    for _ in 0..4 {
        sig.params.push(AbiParam::new(I64));
    }
    sig.returns.push(AbiParam::new(I64));
    func.signature = sig.clone();
    let mut b = FunctionBuilder::new(func, fctx);
    let helper_sig = b.import_signature(sig);
    let trampoline = crate::preserve::import(&mut b);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let params = b.block_params(entry).to_vec();
    let (ctx, state) = (params[0], params[1]);
    let trusted = MemFlagsData::trusted();
    let vars: Vec<Variable> = (0..n_state).map(|_| b.declare_var(I64)).collect();
    let zero = b.ins().iconst(I64, 0);
    for &v in &vars {
        b.def_var(v, zero);
    }
    let dispatch = b.create_block();
    b.append_block_param(dispatch, I64);
    let exit = b.create_block();
    b.append_block_param(exit, I64);
    let spill_size = n_state.checked_mul(WORD as u32).ok_or("frame too large")?;
    let spill = b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, spill_size, 3));
    // The object array's address is only used by object operations: kept
    // on the stack, it takes no register in loops of native code.
    let state_slot = b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, WORD as u32, 3));
    b.ins().stack_store(I64, state, state_slot, 0);
    let mut t = Tr {
        b,
        ctx,
        state_slot,
        helper_sig,
        trampoline,
        vars,
        n_state,
        labels: HashMap::new(),
        bound: HashSet::new(),
        jump_labels: Vec::new(),
        dispatch,
        exit,
        op_offsets: single.op_offsets,
        label_base: single.code.len() as i64 + 2,
        terminated: false,
        checks: Vec::new(),
        native: vec![false; n_state as usize],
        live: live::analyze(ir, n_state),
        spill,
        cur: 0,
        small_mod: small_remainders(ir),
        header_checks: HashMap::new(),
        back_edges: back_edges(ir),
        sealed: HashSet::new(),
        seal_at: seal_points(ir),
    };
    for (i, ins) in ir.iter().enumerate() {
        t.ins(i, ins)?;
    }
    if !t.terminated {
        let none = t.b.ins().iconst(I64, i64::from(obj_word::NONE));
        let ctx = t.ctx();
        t.b.ins().store(trusted, none, ctx, CTX_VALUE * WORD as i32);
        let st = t.b.ins().iconst(I64, status::RETURN as i64);
        t.b.ins().return_(&[st]);
    }
    t.tail();
    t.b.seal_all_blocks();
    t.b.finalize(isa.frontend_config());
    Ok(())
}

struct Tr<'a> {
    b: FunctionBuilder<'a>,
    /// The context's address.
    ctx: Value,
    /// Where the object array's address is kept.
    state_slot: StackSlot,
    helper_sig: SigRef,
    /// The register-preserving interrupt check ([`crate::preserve`]).
    trampoline: FuncRef,
    /// One variable per word slot (indexed as the `words` array).
    vars: Vec<Variable>,
    n_state: u32,
    labels: HashMap<u32, Block>,
    /// Labels already placed (a jump to one is a backward jump).
    bound: HashSet<u32>,
    /// Labels passed to the runtime as operands (jump statuses may name them).
    jump_labels: Vec<u32>,
    dispatch: Block,
    exit: Block,
    /// Single-pass code offset of each operation.
    op_offsets: &'a [usize],
    /// Offset of label 0 (labels are `label_base + 2 * l`).
    label_base: i64,
    /// The current block has its terminator.
    terminated: bool,
    /// Interrupt checks to build: (check block, jump target, position).
    checks: Vec<(Block, Block, i64)>,
    /// Stack slots known to hold a native value, following the emitter's
    /// linear model of the stack (their object slots are stale).
    native: Vec<bool>,
    /// Word slots live after each operation.
    live: Liveness,
    /// Where live words are saved around slow-path calls (word `k` at `8 * k`).
    spill: StackSlot,
    /// Index of the operation being translated.
    cur: usize,
    /// By operation: for a `%` by a positive constant whose dividend stays
    /// below twice it, the constant.
    small_mod: Vec<Option<i64>>,
    /// Loop heads whose interrupt check sits just before them: label -> check block.
    header_checks: HashMap<u32, Block>,
    /// Labels with exactly one backward jump: label -> index of the jump.
    back_edges: HashMap<u32, usize>,
    /// Blocks sealed (all their predecessors known).
    sealed: HashSet<Block>,
    /// Labels whose blocks can be sealed after an operation: index -> labels.
    seal_at: HashMap<usize, Vec<u32>>,
}

/// By operation: the divisor of each `%` by a positive constant (pushed
/// right before it) whose dividend stays below twice that constant.
fn small_remainders(ir: &[Ir]) -> Vec<Option<i64>> {
    let bounds = ferropy_emit_native::emit::range::dividend_bounds(ir);
    (0..ir.len())
        .map(|i| {
            let Some(Ir::Viper(VOp::DivMod { b, modulo: true, .. })) = ir.get(i) else { return None };
            let Some(Ir::Viper(VOp::Imm { dst, value })) = i.checked_sub(1).and_then(|p| ir.get(p)) else {
                return None;
            };
            let small = ferropy_emit_native::emit::range::small_remainder(bounds.get(i).copied().flatten(), *value);
            (dst == b && small).then_some(*value)
        })
        .collect()
}

/// When each label's block has all its predecessors: after its last
/// reference or the label itself, whichever comes later. Labels the
/// runtime may name are reached from the dispatcher too, built last: they
/// are sealed at the end. (Sealing blocks as soon as possible lets
/// `cranelift-frontend` drop block parameters that always receive the same
/// value, such as an outer loop's counter in an inner loop; Cranelift can
/// then hoist what depends on them out of the inner loop.)
fn seal_points(ir: &[Ir]) -> HashMap<usize, Vec<u32>> {
    let mut pos = HashMap::new();
    let mut last = HashMap::new();
    let mut dispatched = HashSet::new();
    for (i, ins) in ir.iter().enumerate() {
        match ins {
            Ir::Label { label, .. } => {
                pos.insert(*label, i);
            }
            Ir::Op { arg: Arg::Label(l), .. } => {
                dispatched.insert(*l);
            }
            Ir::CondJump { label, .. } => {
                dispatched.insert(*label);
            }
            _ => {}
        }
        if let Some(l) = live::jump_label(ins) {
            last.insert(l, i);
        }
    }
    let mut at: HashMap<usize, Vec<u32>> = HashMap::new();
    for (l, p) in pos {
        if !dispatched.contains(&l) {
            at.entry(p.max(last.get(&l).copied().unwrap_or(0))).or_default().push(l);
        }
    }
    at
}

/// The labels with exactly one backward jump, with that jump's index (their
/// interrupt check is placed before the label's block, where the loop's back
/// edge falls into the loop).
fn back_edges(ir: &[Ir]) -> HashMap<u32, usize> {
    let mut pos = HashMap::new();
    let mut found: HashMap<u32, Option<usize>> = HashMap::new();
    for (i, ins) in ir.iter().enumerate() {
        if let Ir::Label { label, .. } = ins {
            pos.insert(*label, i);
        }
        if let Some(l) = live::jump_label(ins).filter(|l| pos.contains_key(l)) {
            // A second backward jump to the same label: no single back edge.
            found.entry(l).and_modify(|e| *e = None).or_insert(Some(i));
        }
    }
    found.into_iter().filter_map(|(l, i)| Some((l, i?))).collect()
}

impl Tr<'_> {
    fn label_offset(&self, l: u32) -> i64 {
        self.label_base + 2 * i64::from(l)
    }

    fn label(&mut self, l: u32) -> Block {
        if let Some(&blk) = self.labels.get(&l) {
            return blk;
        }
        let blk = self.b.create_block();
        self.labels.insert(l, blk);
        blk
    }

    /// Switches to `blk`, whose predecessors are all built, and seals it.
    fn enter(&mut self, blk: Block) {
        self.b.switch_to_block(blk);
        self.seal(blk);
    }

    fn seal(&mut self, blk: Block) {
        if self.sealed.insert(blk) {
            self.b.seal_block(blk);
        }
    }

    /// Starts a new block after a terminator (code no label leads to).
    fn after_terminator(&mut self) {
        let blk = self.b.create_block();
        self.enter(blk);
        self.terminated = false;
    }

    fn iconst(&mut self, v: i64) -> Value {
        self.b.ins().iconst(I64, v)
    }

    /// The code's base address (loaded where needed: it is only used on
    /// slow paths, so it does not occupy a register in loops).
    fn base(&mut self) -> Value {
        let ctx = self.ctx();
        self.b.ins().load(I64, MemFlagsData::trusted(), ctx, CTX_BASE * WORD as i32)
    }

    /// `base + offset`: an address the runtime turns back into `offset`.
    fn addr(&mut self, offset: i64) -> Value {
        let base = self.base();
        self.b.ins().iadd_imm_s(base, offset)
    }

    /// Saves the word slots live after operation `i` (but `except`) and
    /// written in the innermost loop around `i` (outside loops nothing is
    /// saved) before a slow-path call;
    /// returns them for [`Tr::restore`].
    fn save_live(&mut self, i: usize, except: Option<usize>) -> Vec<usize> {
        let n = self.vars.len();
        let Some(range) = self.live.innermost_loop(i) else { return Vec::new() };
        let slots: Vec<usize> =
            self.live.to_save(i, range).into_iter().filter(|&k| k < n && Some(k) != except).collect();
        for &k in &slots {
            let x = self.b.use_var(self.vars[k]);
            self.b.ins().stack_store(I64, x, self.spill, (k as i64 * WORD) as i32);
        }
        slots
    }

    /// Reloads the slots [`Tr::save_live`] saved (after the call).
    fn restore(&mut self, slots: &[usize]) {
        for &k in slots {
            let x = self.b.ins().stack_load(I64, I64, self.spill, (k as i64 * WORD) as i32);
            self.b.def_var(self.vars[k], x);
        }
    }

    /// A new block for a slow path (laid out after the function's hot code).
    fn cold_block(&mut self) -> Block {
        let blk = self.b.create_block();
        self.b.set_cold_block(blk);
        blk
    }

    fn word_index(&self, slot: Slot) -> Result<usize, Reject> {
        let i = match slot {
            Slot::Stack(n) => i64::from(n),
            Slot::Local(n) => i64::from(self.n_state) - 1 - i64::from(n),
        };
        usize::try_from(i)
            .ok()
            .filter(|&i| i < self.vars.len())
            .ok_or_else(|| format!("word slot {slot:?} out of range"))
    }

    fn get(&mut self, slot: Slot) -> Result<Value, Reject> {
        let i = self.word_index(slot)?;
        Ok(self.b.use_var(self.vars[i]))
    }

    fn set(&mut self, slot: Slot, v: Value) -> Result<(), Reject> {
        let i = self.word_index(slot)?;
        self.b.def_var(self.vars[i], v);
        if let Slot::Stack(k) = slot {
            self.set_native(i64::from(k), true);
        }
        Ok(())
    }

    /// The context's address.
    fn ctx(&mut self) -> Value {
        self.ctx
    }

    /// The object array's address.
    fn state(&mut self) -> Value {
        self.b.ins().stack_load(I64, I64, self.state_slot, 0)
    }

    fn state_offset(&self, slot: i64) -> Result<i32, Reject> {
        i32::try_from(slot * 4).map_err(|_| String::from("frame too large"))
    }

    fn load_obj(&mut self, slot: i64) -> Result<Value, Reject> {
        let off = self.state_offset(slot)?;
        let state = self.state();
        Ok(self.b.ins().uload32(MemFlagsData::trusted(), state, off))
    }

    fn store_obj(&mut self, slot: i64, v: Value) -> Result<(), Reject> {
        let off = self.state_offset(slot)?;
        let state = self.state();
        self.b.ins().istore32(MemFlagsData::trusted(), v, state, off);
        Ok(())
    }

    fn call_helper(&mut self, index: usize, args: [Value; 4]) -> Value {
        let ctx = self.ctx();
        let table = self.b.ins().load(I64, MemFlagsData::trusted(), ctx, CTX_TABLE * WORD as i32);
        let f = self.b.ins().load(I64, MemFlagsData::trusted(), table, (index as i64 * WORD) as i32);
        let call = self.b.ins().call_indirect(self.helper_sig, f, &args);
        self.b.inst_results(call)[0]
    }

    /// The `INTERRUPT` helper for the operation at `at`, called through
    /// the trampoline of [`crate::preserve`]: every register survives, so
    /// values live across the call need no callee-saved register or stack
    /// home. The position goes in and the status comes back through
    /// `ctx[CTX_VALUE]`.
    fn call_interrupt_preserving(&mut self, at: i64) -> Value {
        let a = self.addr(at);
        let ctx = self.ctx();
        self.b.ins().store(MemFlagsData::trusted(), a, ctx, CTX_VALUE * WORD as i32);
        self.b.ins().call(self.trampoline, &[ctx]);
        self.b.ins().load(I64, MemFlagsData::trusted(), ctx, CTX_VALUE * WORD as i32)
    }

    /// A non-zero status goes to the dispatcher; execution continues in a new block.
    fn check_status(&mut self, st: Value) {
        let next = self.b.create_block();
        self.b.ins().brif(st, self.dispatch, &[st.into()], next, &[]);
        self.enter(next);
    }

    /// A failing conversion or division records its position and returns the error.
    fn check_failed(&mut self, st: Value, at: i64) {
        // On a slow path, the rest of the path stays cold too.
        let cold = self.b.current_block().is_some_and(|c| self.b.func.layout.is_cold(c));
        let (fail, next) = (self.cold_block(), if cold { self.cold_block() } else { self.b.create_block() });
        self.b.ins().brif(st, fail, &[], next, &[]);
        self.enter(fail);
        let a = self.addr(at);
        let z = self.iconst(0);
        let ctx = self.ctx();
        let st = self.call_helper(helper::FAILED_AT, [ctx, a, z, z]);
        self.b.ins().jump(self.exit, &[st.into()]);
        self.enter(next);
    }

    /// The generic helper for one operation at `at`; returns its status.
    fn call_op(&mut self, opcode: u8, extra: u8, sp: u32, arg: Value, at: i64) -> Value {
        // The single-pass lowering, which runs first, refuses deeper stacks.
        let opword = i64::from(ferropy_bytecode::native_abi::opword(opcode, extra, sp as u16));
        let ow = self.iconst(opword);
        let a = self.addr(at);
        let ctx = self.ctx();
        self.call_helper(helper::OP, [ctx, ow, arg, a])
    }

    /// Where a jump to label `l` from operation `at` goes: the label's block,
    /// or for a backward jump a block that checks the interrupt flag first
    /// (the loop head's own check if it has one, else a check built just
    /// after the jump by [`Tr::flush_checks`]).
    fn jump_target(&mut self, l: u32, at: i64) -> Block {
        let target = self.label(l);
        if !self.bound.contains(&l) {
            return target;
        }
        if let Some(&check) = self.header_checks.get(&l) {
            return check;
        }
        let check = self.b.create_block();
        self.checks.push((check, target, at));
        check
    }

    /// The interrupt check in `check` before continuing at `target`: a
    /// byte compare and a branch to a cold block, which calls the helper
    /// through the register-preserving trampoline (no saves, no reloads).
    /// `inline`: the check follows its jump, its one predecessor (else it
    /// precedes a loop head and is sealed with the label).
    fn interrupt_check(&mut self, check: Block, target: Block, at: i64, inline: bool) {
        self.b.switch_to_block(check);
        if inline {
            self.seal(check);
        }
        // The flag's address is read from the context at each check rather
        // than kept in a register for the whole call: a loop nest then has
        // one more register for its own values (a sieve's count stayed in a
        // stack slot, stored and reloaded every iteration).
        let addr = self.b.ins().load(I64, MemFlagsData::trusted(), self.ctx, CTX_INTERRUPT * WORD as i32);
        let flag = self.b.ins().uload8(I64, MemFlagsData::new(), addr, 0);
        let slow = self.cold_block();
        self.b.ins().brif(flag, slow, &[], target, &[]);
        self.enter(slow);
        let st = self.call_interrupt_preserving(at);
        self.b.ins().brif(st, self.dispatch, &[st.into()], target, &[]);
    }

    /// Builds the pending interrupt checks right after the jump that needs
    /// them (so they are laid out next to it), then returns to the current block.
    fn flush_checks(&mut self) {
        if self.checks.is_empty() {
            return;
        }
        let cur = self.b.current_block();
        for (check, target, at) in std::mem::take(&mut self.checks) {
            self.interrupt_check(check, target, at, true);
        }
        // After a jump the block is filled: the next operation starts a new one.
        if let Some(c) = cur.filter(|_| !self.terminated) {
            self.b.switch_to_block(c);
        }
    }

    /// Copies stack slots `(from, to)`: the native words, and the objects
    /// unless the slot is known to hold a native value (its object slot is
    /// then stale and never read).
    fn shuffle(&mut self, moves: &[(i64, i64)]) -> Result<(), Reject> {
        let mut objs = Vec::new();
        let mut words = Vec::new();
        let mut kinds = Vec::new();
        for &(from, _) in moves {
            let native = self.is_native(from);
            objs.push(if native { None } else { Some(self.load_obj(from)?) });
            words.push(self.get(Slot::Stack(u32::try_from(from).map_err(|_| "negative slot")?))?);
            kinds.push(native);
        }
        for (k, &(_, to)) in moves.iter().enumerate() {
            if let Some(o) = objs[k] {
                self.store_obj(to, o)?;
            }
            self.set(Slot::Stack(u32::try_from(to).map_err(|_| "negative slot")?), words[k])?;
            self.set_native(to, kinds[k]);
        }
        Ok(())
    }

    fn is_native(&self, slot: i64) -> bool {
        usize::try_from(slot).ok().and_then(|i| self.native.get(i)).copied().unwrap_or(false)
    }

    fn set_native(&mut self, slot: i64, native: bool) {
        if let Some(n) = usize::try_from(slot).ok().and_then(|i| self.native.get_mut(i)) {
            *n = native;
        }
    }

    /// After a generic operation any stack slot may hold an object.
    fn forget_native(&mut self) {
        self.native.iter_mut().for_each(|n| *n = false);
    }

    fn ins(&mut self, i: usize, ins: &Ir) -> Result<(), Reject> {
        self.cur = i;
        self.op(i, ins)?;
        self.flush_checks();
        for l in self.seal_at.remove(&i).unwrap_or_default() {
            if let Some(&check) = self.header_checks.get(&l) {
                self.seal(check);
            }
            if let Some(&blk) = self.labels.get(&l) {
                self.seal(blk);
            }
        }
        Ok(())
    }

    fn op(&mut self, i: usize, ins: &Ir) -> Result<(), Reject> {
        let at = self.op_offsets[i] as i64;
        if self.terminated && !matches!(ins, Ir::Label { .. } | Ir::Line(_)) {
            self.after_terminator();
        }
        match ins {
            Ir::Line(_) => {}
            Ir::Label { label, role, sp } => {
                let blk = self.label(*label);
                if !self.terminated {
                    self.b.ins().jump(blk, &[]);
                }
                // A loop head with one back edge: its interrupt check goes
                // just before it, where that back edge enters.
                if let Some(&j) = self.back_edges.get(label) {
                    let check = self.b.create_block();
                    let at = self.op_offsets.get(j).map_or(0, |&o| o as i64);
                    self.interrupt_check(check, blk, at, false);
                    self.header_checks.insert(*label, check);
                }
                self.b.switch_to_block(blk);
                self.terminated = false;
                self.bound.insert(*label);
                if *role == LabelRole::FinallyHandler {
                    let z = self.iconst(0);
                    self.store_obj(i64::from(*sp), z)?;
                }
            }
            Ir::Op { opcode, extra, sp, arg } => {
                let v = match arg {
                    Arg::None => self.iconst(0),
                    Arg::Uint(v) => self.iconst(*v as i64),
                    Arg::Int(v) => self.iconst(*v),
                    Arg::Child(c) => self.iconst(i64::from(*c)),
                    Arg::Label(l) => {
                        self.jump_labels.push(*l);
                        self.label(*l);
                        {
                            let off = self.label_offset(*l);
                            self.addr(off)
                        }
                    }
                    Arg::Qstr(_) | Arg::Const(_) => return Err(String::from("unresolved operand")),
                };
                let st = self.call_op(*opcode, *extra, *sp, v, at);
                self.check_status(st);
                self.forget_native();
            }
            Ir::LoadFast { local, sp } => {
                self.set_native(i64::from(*sp), false);
                let slot = i64::from(self.n_state) - 1 - i64::from(*local);
                let v = self.load_obj(slot)?;
                let (unbound, store, done) = (self.cold_block(), self.b.create_block(), self.b.create_block());
                self.b.ins().brif(v, store, &[], unbound, &[]);
                self.enter(store);
                self.store_obj(i64::from(*sp), v)?;
                self.b.ins().jump(done, &[]);
                self.enter(unbound);
                let saved = self.save_live(i, None);
                let l = self.iconst(i64::from(*local));
                let st = self.call_op(op::LOAD_FAST_N, 0, *sp, l, at);
                self.restore(&saved);
                self.b.ins().brif(st, self.dispatch, &[st.into()], done, &[]);
                self.enter(done);
            }
            Ir::StoreFast { local, sp } => {
                let v = self.load_obj(i64::from(*sp) - 1)?;
                self.store_obj(i64::from(self.n_state) - 1 - i64::from(*local), v)?;
            }
            Ir::PushWord { word, sp } => {
                self.set_native(i64::from(*sp), false);
                let v = self.iconst(i64::from(*word));
                self.store_obj(i64::from(*sp), v)?;
            }
            Ir::DupTop { sp } => {
                let sp = i64::from(*sp);
                self.shuffle(&[(sp - 1, sp)])?;
            }
            Ir::DupTopTwo { sp } => {
                let sp = i64::from(*sp);
                self.shuffle(&[(sp - 2, sp), (sp - 1, sp + 1)])?;
            }
            Ir::RotTwo { sp } => {
                let sp = i64::from(*sp);
                self.shuffle(&[(sp - 2, sp - 1), (sp - 1, sp - 2)])?;
            }
            Ir::RotThree { sp } => {
                let sp = i64::from(*sp);
                self.shuffle(&[(sp - 3, sp - 2), (sp - 2, sp - 1), (sp - 1, sp - 3)])?;
            }
            Ir::Jump { label } => {
                let t = self.jump_target(*label, at);
                self.b.ins().jump(t, &[]);
                self.terminated = true;
            }
            Ir::CondJump { cond, pop, label, sp } => self.cond_jump(*cond, *pop, *label, *sp, at)?,
            Ir::JumpIfMarker { .. } => return Err(String::from("finally handlers are not translated")),
            Ir::Binary { op: bop, sp } => {
                let z = self.iconst(0);
                let st = self.call_op(op::BINARY_OP_MULTI + bop, 0, *sp, z, at);
                self.check_status(st);
                self.forget_native();
            }
            Ir::Return { sp } => {
                let v = self.load_obj(i64::from(*sp) - 1)?;
                let ctx = self.ctx();
                self.b.ins().store(MemFlagsData::trusted(), v, ctx, CTX_VALUE * WORD as i32);
                let st = self.iconst(status::RETURN as i64);
                self.b.ins().return_(&[st]);
                self.terminated = true;
            }
            Ir::Viper(v) => self.viper(v, at)?,
        }
        Ok(())
    }

    fn cond_jump(&mut self, cond: bool, pop: bool, label: u32, sp: u32, at: i64) -> Result<(), Reject> {
        let taken = self.jump_target(label, at);
        let fall = self.b.create_block();
        let (not_true, slow) = (self.b.create_block(), self.cold_block());
        let v = self.load_obj(i64::from(sp) - 1)?;
        let is_true = self.b.ins().icmp_imm_u(IntCC::Equal, v, i64::from(obj_word::TRUE));
        let (t_then, f_then) = if cond { (taken, fall) } else { (fall, taken) };
        self.b.ins().brif(is_true, t_then, &[], not_true, &[]);
        self.enter(not_true);
        let is_false = self.b.ins().icmp_imm_u(IntCC::Equal, v, i64::from(obj_word::FALSE));
        self.b.ins().brif(is_false, f_then, &[], slow, &[]);
        self.enter(slow);
        let opcode = match (pop, cond) {
            (true, true) => op::POP_JUMP_IF_TRUE,
            (true, false) => op::POP_JUMP_IF_FALSE,
            (false, true) => op::JUMP_IF_TRUE_OR_POP,
            (false, false) => op::JUMP_IF_FALSE_OR_POP,
        };
        self.jump_labels.push(label);
        self.label(label);
        let off = self.label_offset(label);
        let target = self.addr(off);
        let saved = self.save_live(self.cur, None);
        let st = self.call_op(opcode, 0, sp, target, at);
        self.restore(&saved);
        self.b.ins().brif(st, self.dispatch, &[st.into()], fall, &[]);
        self.enter(fall);
        Ok(())
    }

    fn viper(&mut self, v: &VOp, at: i64) -> Result<(), Reject> {
        match *v {
            VOp::Imm { dst, value } => {
                let c = self.iconst(value);
                self.set(dst, c)?;
            }
            VOp::Copy { dst, src } => {
                let x = self.get(src)?;
                self.set(dst, x)?;
            }
            VOp::Arith { op, dst, a, b } => {
                let (x, y) = (self.get(a)?, self.get(b)?);
                let ins = self.b.ins();
                let r = match op {
                    Arith::Bin(BinOp::Add) => ins.iadd(x, y),
                    Arith::Bin(BinOp::Sub) => ins.isub(x, y),
                    Arith::Bin(BinOp::Mul) => ins.imul(x, y),
                    Arith::Bin(BinOp::And) => ins.band(x, y),
                    Arith::Bin(BinOp::Or) => ins.bor(x, y),
                    Arith::Bin(BinOp::Xor) => ins.bxor(x, y),
                    Arith::Shift(ShiftOp::Shl) => ins.ishl(x, y),
                    Arith::Shift(ShiftOp::Shr) => ins.ushr(x, y),
                    Arith::Shift(ShiftOp::Sar) => ins.sshr(x, y),
                };
                self.set(dst, r)?;
            }
            VOp::Neg { slot } => {
                let x = self.get(slot)?;
                let r = self.b.ins().ineg(x);
                self.set(slot, r)?;
            }
            VOp::Invert { slot } => {
                let x = self.get(slot)?;
                let r = self.b.ins().bnot(x);
                self.set(slot, r)?;
            }
            VOp::Compare { cond, dst, a, b } => {
                let (x, y) = (self.get(a)?, self.get(b)?);
                let c = self.b.ins().icmp(int_cc(cond), x, y);
                let r = self.b.ins().uextend(I64, c);
                self.set(dst, r)?;
            }
            VOp::Select { dst, cond, a, b, .. } => {
                let (c, x, y) = (self.get(cond)?, self.get(a)?, self.get(b)?);
                let nonzero = self.b.ins().icmp_imm_u(IntCC::NotEqual, c, 0);
                let r = self.b.ins().select(nonzero, x, y);
                self.set(dst, r)?;
            }
            VOp::Branch { slot, cond, label, .. } => {
                let x = self.get(slot)?;
                let backward = self.bound.contains(&label);
                let taken = self.jump_target(label, at);
                let fall = self.b.create_block();
                self.branch(x, cond, taken, fall, backward);
                self.enter(fall);
            }
            VOp::Load { width, dst, base, index } => {
                let addr = self.address(width, base, index)?;
                let (p, off) = addr;
                let flags = MemFlagsData::new();
                let ins = self.b.ins();
                let r = match width {
                    Width::U8 => ins.uload8(I64, flags, p, off),
                    Width::U16 => ins.uload16(I64, flags, p, off),
                    Width::U32 => ins.uload32(flags, p, off),
                    Width::Word => ins.load(I64, flags, p, off),
                };
                self.set(dst, r)?;
            }
            VOp::Store { width, base, index, value } => {
                let (p, off) = self.address(width, base, index)?;
                let x = self.get(value)?;
                let flags = MemFlagsData::new();
                let ins = self.b.ins();
                match width {
                    Width::U8 => ins.istore8(flags, x, p, off),
                    Width::U16 => ins.istore16(flags, x, p, off),
                    Width::U32 => ins.istore32(flags, x, p, off),
                    Width::Word => ins.store(flags, x, p, off),
                };
            }
            VOp::Box { slot, vtype: vtype::BOOL } => {
                // `True` or `False`, as the single-pass emitter on x86-64.
                let index = self.word_index(slot)? as i64;
                let x = self.get(slot)?;
                let t = self.iconst(i64::from(obj_word::TRUE));
                let f = self.iconst(i64::from(obj_word::FALSE));
                let obj = self.b.ins().select(x, t, f);
                self.store_obj(index, obj)?;
                if let Slot::Stack(k) = slot {
                    self.set_native(i64::from(k), false);
                }
            }
            VOp::Box { slot, vtype } => {
                let index = self.word_index(slot)? as i64;
                let x = self.get(slot)?;
                let join = self.box_inline(x, vtype, index)?;
                let code = self.iconst(i64::from(vtype) | index << 8);
                let a = self.addr(at);
                let ctx = self.ctx();
                let st = self.call_helper(helper::BOX, [ctx, x, code, a]);
                self.check_failed(st, at);
                if let Some(join) = join {
                    self.b.ins().jump(join, &[]);
                    self.enter(join);
                }
                if let Slot::Stack(k) = slot {
                    self.set_native(i64::from(k), false);
                }
            }
            VOp::Unbox { dst, src, vtype } => {
                let index = self.word_index(src)? as i64;
                let join = self.unbox_inline(vtype, index)?;
                let i = self.iconst(index);
                let t = self.iconst(i64::from(vtype));
                let a = self.addr(at);
                let ctx = self.ctx();
                let st = self.call_helper(helper::UNBOX, [ctx, i, t, a]);
                self.check_failed(st, at);
                let ctx = self.ctx();
                let mut r = self.b.ins().load(I64, MemFlagsData::trusted(), ctx, CTX_VALUE * WORD as i32);
                if let Some(join) = join {
                    self.b.ins().jump(join, &[r.into()]);
                    self.enter(join);
                    r = self.b.block_params(join)[0];
                }
                self.set(dst, r)?;
            }
            VOp::DivMod { dst, a, .. } if self.small_mod.get(self.cur).copied().flatten().is_some() => {
                // x in [0, 2v): x % v is x, or x - v when x >= v.
                let v = self.small_mod[self.cur].unwrap_or(1);
                let x = self.get(a)?;
                let less = self.b.ins().iadd_imm_s(x, -v);
                let at_least = self.b.ins().icmp_imm_s(IntCC::SignedGreaterThanOrEqual, x, v);
                let r = self.b.ins().select(at_least, less, x);
                self.set(dst, r)?;
            }
            VOp::DivMod { dst, a, b, modulo } => {
                let (x, y) = (self.get(a)?, self.get(b)?);
                let keep = self.word_index(dst)?;
                let r = self.divmod(x, y, modulo, at, keep);
                self.set(dst, r)?;
            }
        }
        Ok(())
    }

    /// Goes to `taken` if `(x != 0) == cond`, else to `fall`. Cranelift lays
    /// out a branch's second target right after it: that is `fall` for a
    /// forward branch (the source order), and the jump target for a backward
    /// one (the loop, entered at its interrupt check, follows its test).
    fn branch(&mut self, x: Value, cond: bool, taken: Block, fall: Block, taken_next: bool) {
        let (then, other) = if taken_next { (fall, taken) } else { (taken, fall) };
        // `then` runs when `(x != 0) == want`.
        let want = cond != taken_next;
        if want {
            self.b.ins().brif(x, then, &[], other, &[]);
        } else {
            let zero = self.b.ins().icmp_imm_u(IntCC::Equal, x, 0);
            self.b.ins().brif(zero, then, &[], other, &[]);
        }
    }

    /// As the single-pass emitter on x86-64 (`Asm::INLINE_SMALL_INTS`): an
    /// `int`/`uint` that fits a small int becomes its object word in object
    /// slot `index` here; returns the block the helper's path (the cold block
    /// current on return, for the other values) must jump to. `None` (no
    /// inline path) for other types.
    fn box_inline(&mut self, x: Value, vtype: u8, index: i64) -> Result<Option<Block>, Reject> {
        let fits = match vtype {
            // Sign-extending the low 31 bits gives the value back.
            vtype::INT => {
                let t = self.b.ins().ishl_imm_u(x, 33);
                let t = self.b.ins().sshr_imm_u(t, 33);
                self.b.ins().icmp(IntCC::Equal, t, x)
            }
            // Below 2^30.
            vtype::UINT => self.b.ins().icmp_imm_u(IntCC::UnsignedLessThan, x, 1 << 30),
            _ => return Ok(None),
        };
        let (fast, slow, join) = (self.b.create_block(), self.cold_block(), self.b.create_block());
        self.b.ins().brif(fits, fast, &[], slow, &[]);
        self.enter(fast);
        let obj = self.b.ins().ishl_imm_u(x, 1);
        let obj = self.b.ins().bor_imm_u(obj, i64::from(obj_word::SMALL_INT_TAG));
        self.store_obj(index, obj)?;
        self.b.ins().jump(join, &[]);
        self.enter(slow);
        Ok(Some(join))
    }

    /// As [`Tr::box_inline`], the other way: an `int`/`uint` read from a
    /// small int in object slot `index` jumps to the returned block with the
    /// value as its parameter; the helper's path (the cold block current on
    /// return) must jump there with its result. `None` for other types.
    fn unbox_inline(&mut self, vtype: u8, index: i64) -> Result<Option<Block>, Reject> {
        if !matches!(vtype, vtype::INT | vtype::UINT) {
            return Ok(None);
        }
        let w = self.load_obj(index)?;
        let tag = self.b.ins().band_imm_u(w, i64::from(obj_word::SMALL_INT_TAG));
        let (fast, slow, join) = (self.b.create_block(), self.cold_block(), self.b.create_block());
        self.b.append_block_param(join, I64);
        self.b.ins().brif(tag, fast, &[], slow, &[]);
        self.enter(fast);
        // Sign-extend the 32-bit word, then drop the tag.
        let v = self.b.ins().ishl_imm_u(w, 32);
        let v = self.b.ins().sshr_imm_u(v, 33);
        self.b.ins().jump(join, &[v.into()]);
        self.enter(slow);
        Ok(Some(join))
    }

    /// `x // y` or `x % y` with Python's rounding. Inline, except for the
    /// divisors the machine division cannot take (0: the helper raises
    /// `ZeroDivisionError`; -1: `MIN // -1` overflows), which go to the
    /// runtime's helper as in the single-pass code.
    fn divmod(&mut self, x: Value, y: Value, modulo: bool, at: i64, dst: usize) -> Value {
        let (fast, slow, done) = (self.b.create_block(), self.cold_block(), self.b.create_block());
        self.b.append_block_param(done, I64);
        let plus1 = self.b.ins().iadd_imm_s(y, 1);
        // y in {-1, 0} <=> y + 1 <= 1 (unsigned).
        let special = self.b.ins().icmp_imm_u(IntCC::UnsignedLessThanOrEqual, plus1, 1);
        self.b.ins().brif(special, slow, &[], fast, &[]);
        self.enter(fast);
        let q = self.b.ins().sdiv(x, y);
        let r = self.b.ins().srem(x, y);
        let nonzero = self.b.ins().icmp_imm_u(IntCC::NotEqual, r, 0);
        let sign = self.b.ins().bxor(r, y);
        let differ = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, sign, 0);
        let adjust = self.b.ins().band(nonzero, differ);
        let result = if modulo {
            let z = self.iconst(0);
            let add = self.b.ins().select(adjust, y, z);
            self.b.ins().iadd(r, add)
        } else {
            let sub = self.b.ins().uextend(I64, adjust);
            self.b.ins().isub(q, sub)
        };
        self.b.ins().jump(done, &[result.into()]);
        self.enter(slow);
        let saved = self.save_live(self.cur, Some(dst));
        let m = self.iconst(i64::from(modulo));
        let ctx = self.ctx();
        let st = self.call_helper(helper::DIVMOD, [ctx, x, y, m]);
        self.check_failed(st, at);
        self.restore(&saved);
        let ctx = self.ctx();
        let v = self.b.ins().load(I64, MemFlagsData::trusted(), ctx, CTX_VALUE * WORD as i32);
        self.b.ins().jump(done, &[v.into()]);
        self.enter(done);
        self.b.block_params(done)[0]
    }

    /// The address of `base[index]` for an access of `width`, as a register
    /// and a constant offset.
    fn address(&mut self, width: Width, base: Slot, index: Index) -> Result<(Value, i32), Reject> {
        let size = match width {
            Width::U8 => 1,
            Width::U16 => 2,
            Width::U32 => 4,
            Width::Word => WORD,
        };
        let p = self.get(base)?;
        match index {
            Index::Const(i) => match i.checked_mul(size).and_then(|o| i32::try_from(o).ok()) {
                Some(off) => Ok((p, off)),
                None => {
                    let off = self.iconst(i.wrapping_mul(size));
                    Ok((self.b.ins().iadd(p, off), 0))
                }
            },
            Index::Slot(s) => {
                let x = self.get(s)?;
                let scaled = if size == 1 { x } else { self.b.ins().imul_imm_s(x, size) };
                Ok((self.b.ins().iadd(p, scaled), 0))
            }
        }
    }

    /// The shared dispatcher (statuses below `FIRST_ADDRESS` leave the
    /// function, others name a label) and the exit.
    fn tail(&mut self) {
        self.flush_checks();
        self.b.switch_to_block(self.dispatch);
        let st = self.b.block_params(self.dispatch)[0];
        let leave = self.b.ins().icmp_imm_u(IntCC::UnsignedLessThan, st, status::FIRST_ADDRESS as i64);
        let jump = self.b.create_block();
        self.b.ins().brif(leave, self.exit, &[st.into()], jump, &[]);
        self.b.switch_to_block(jump);
        let base = self.base();
        let offset = self.b.ins().isub(st, base);
        let bad = self.b.create_block();
        let mut sw = Switch::new();
        let mut labels = std::mem::take(&mut self.jump_labels);
        labels.sort_unstable();
        labels.dedup();
        for l in labels {
            let blk = self.label(l);
            sw.set_entry(self.label_offset(l) as u128, blk);
        }
        sw.emit(&mut self.b, offset, bad);
        self.b.switch_to_block(bad);
        // A jump to an address this code never gave out: report an error.
        let err = self.iconst(status::ERROR as i64);
        self.b.ins().jump(self.exit, &[err.into()]);
        self.b.switch_to_block(self.exit);
        let st = self.b.block_params(self.exit)[0];
        self.b.ins().return_(&[st]);
    }
}

fn int_cc(c: Cond) -> IntCC {
    match c {
        Cond::Eq => IntCC::Equal,
        Cond::Ne => IntCC::NotEqual,
        Cond::LtS => IntCC::SignedLessThan,
        Cond::LeS => IntCC::SignedLessThanOrEqual,
        Cond::GtS => IntCC::SignedGreaterThan,
        Cond::GeS => IntCC::SignedGreaterThanOrEqual,
        Cond::LtU => IntCC::UnsignedLessThan,
        Cond::LeU => IntCC::UnsignedLessThanOrEqual,
        Cond::GtU => IntCC::UnsignedGreaterThan,
        Cond::GeU => IntCC::UnsignedGreaterThanOrEqual,
    }
}
