//! Lowering recorded [`Ir`] to machine code with an [`Asm`].
//!
//! Register roles: the context block, the state slots and the word slots are
//! held in the three callee-saved [`Asm::LOCALS`] registers and the helper table
//! in [`Asm::FUN_TABLE`]; four scratch registers ([`Asm::TEMPS`] and the fourth
//! call-argument register) carry values within one operation. No object is
//! kept in a register across operations, so every object the code holds is in
//! the frame, where the collector sees it; viper's machine words may be (the
//! register cache of `lower_viper`, the homes of `homes`).
//!
//! Every helper call is followed by one test: a zero status falls through, any
//! other goes to the shared *dispatch* stub, which returns the status to the
//! runtime (error, return, yield) or jumps to the address it names.
//!
//! Calls of the generic `OP` helper are the most frequent code. Where the
//! assembler has local subroutines ([`Asm::LOCAL_CALLS`](crate::asm::Asm)), a
//! site only loads the opword and the operand and calls the function's one
//! *op stub*, which passes the context and the site's address (its return
//! address, less 2: an address inside the site's call instruction), calls the
//! helper and tests the status; otherwise each site does all of that inline.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use ferropy_bytecode::native_abi::{self, helper, obj_word, status, CTX_TABLE, CTX_VALUE};
use ferropy_bytecode::opcode::{self as op, binary};
use ferropy_frontend::emit::Label as EmitLabel;
use ferropy_frontend::error::ErrorKind;
use ferropy_frontend::CompileError;

use super::ir::{Arg, Ir, LabelRole};
use super::viper::VOp;
use super::AsmFactory;
use crate::asm::{BinOp, Cond, ShiftOp, Width};
use crate::buffer::Label;

/// Machine code and its line entries.
pub(super) struct Lowered {
    pub code: Vec<u8>,
    pub lines: Vec<(usize, u32)>,
    /// Code offset where each IR operation starts (a fused pair shares one).
    pub op_offsets: Vec<usize>,
}

/// Out-of-line code emitted after the function body.
pub(super) enum Stub {
    /// A backward jump's interrupt check, then `target`; with `found`, the
    /// flag was tested inline and found set.
    Interrupt { entry: Label, target: Label, at: Label, found: bool },
    /// A helper without a position argument failed: record the position.
    Failed { entry: Label, at: Label },
}

pub(super) struct Regs<R> {
    pub ctx: R,
    pub state: R,
    pub words: R,
    /// Callee-saved registers left for viper locals.
    pub spare: Vec<R>,
    /// Pool registers that may hold viper locals too, saved around calls
    /// (see `lower_viper`).
    pub volatile: Vec<R>,
    pub r: [R; 4],
    /// Caller-saved registers for viper's register cache and temporaries:
    /// [`Asm::TEMPS`](crate::asm::Asm) and the fourth call-argument register.
    pub pool: Vec<R>,
    pub args: [R; 4],
    pub entry: [R; 4],
}

fn pick<R: Copy>(list: &[R], i: usize) -> Result<R, CompileError> {
    list.get(i).copied().ok_or_else(|| internal("the instruction set lacks registers"))
}

fn internal(msg: &str) -> CompileError {
    CompileError::new(ErrorKind::NotImplementedError, String::from(msg), Default::default())
}

pub(super) struct Lowerer<A: AsmFactory> {
    pub a: A,
    pub regs: Regs<A::Reg>,
    labels: Vec<Option<Label>>,
    bound: Vec<bool>,
    pub n_state: u32,
    pub dispatch: Label,
    exit: Label,
    /// The shared helper stubs (see the module documentation), by helper
    /// index, once a site uses them, with their number of sites.
    helper_stubs: Vec<(usize, Label, u32)>,
    /// Helpers called inline even where stubs are possible.
    inline_helpers: Vec<usize>,
    /// The op stub's entry that first sets the operand to zero, once a site
    /// uses it (see [`Asm::LOCAL_CALL_ANYWHERE`](crate::asm::Asm)).
    pub op_zero_entry: Option<Label>,
    /// The shared interrupt check (see [`Lowerer::jump_target`]) once a
    /// backward jump uses it, with its number of sites.
    interrupt_check: Option<(Label, u32)>,
    /// The shared subroutines of inline item loads and stores (see
    /// `items`), once a site uses them.
    pub item_subs: [Option<Label>; 2],
    /// Conditional backward jumps of the current instruction through the
    /// shared check: `(entry, target)`.
    pending_checks: Vec<(Label, Label)>,
    /// The current instruction tested the interrupt flag at its start (see
    /// [`Lowerer::check_first`]): its backward jumps go straight to their
    /// targets.
    checked: bool,
    /// Whether the runtime may enter the code elsewhere than at its start
    /// (exception handlers, after a `yield`).
    resumable: bool,
    /// First stack depth the opword cannot encode, met while lowering.
    pub too_deep: bool,
    pub stubs: Vec<Stub>,
    /// Line entries, at labels: an assembler may shorten its code when it
    /// finishes, so offsets are only final in `Finished::labels`.
    lines: Vec<(Label, u32)>,
    /// Viper code: stack shuffles move the word slots too.
    viper: bool,
    /// By instruction index: a `LoadFast` of a local definitely bound there
    /// (see `bound`), which needs no unbound check.
    bound_loads: Vec<bool>,
    /// Index of the instruction being lowered.
    pub index: usize,
    /// The small-int object word the instruction before the one being
    /// lowered pushed, and the slot it went to (a `Binary` on it takes the
    /// word as an immediate operand).
    pushed_int: Option<(u32, u32)>,
    /// The push of `pushed_int` was left out: only the slow path of the
    /// `Binary` using it reads the slot, and stores the word there first.
    push_deferred: bool,
    /// With `push_deferred`: the operation before the push was a load of a
    /// local known to be bound into the `Binary`'s left slot, which left the
    /// value in `r[0]`.
    lhs_loaded: bool,
    /// Word slots living in registers (see `homes`).
    pub homes: Vec<(super::viper::Slot, A::Reg)>,
    /// The homes in [`Regs::volatile`] registers, saved to their slots before
    /// each call and loaded back after it, with the instruction index from
    /// which they may hold a value (calls before it skip them).
    pub volatile_homes: Vec<(super::viper::Slot, A::Reg, usize)>,
    /// Derived pointer homes (see `homes::derived_bases`): `(local, byte
    /// offset, register)`, the register holding the local's value plus the
    /// offset wherever the local has a value.
    pub derived: Vec<(u32, i32, A::Reg)>,
    /// Viper stack slots whose value is not in memory yet (see `lower_viper`).
    pub pending: Vec<(u32, super::lower_viper::Pending<A::Reg>)>,
    /// Set if an operation needed more pool registers than the ISA has.
    pub out_of_registers: bool,
    /// Per instruction: for a `//` or `%` whose dividend is known
    /// non-negative, its largest value (`range`).
    pub dividend_max: Vec<Option<i64>>,
    /// Heads of loops short enough to run without interrupt checks
    /// (`range::short_loops`).
    pub short_loops: Vec<EmitLabel>,
    /// Locals never live across a label, with where each is live
    /// (`homes::block_locals`), and those cached in pool registers now.
    pub block_locals: Vec<(u32, Vec<bool>)>,
    pub cached_locals: Vec<(u32, A::Reg)>,
}

/// Lowers one scope whose first `n_params` locals are its parameters.
///
/// A helper stub pays off from its second site: in a small function, a helper
/// called from one site only is called inline, by lowering the scope a second
/// time (in a larger one the stubs' few bytes are not worth doubling the
/// compile time: see [`RELOWER_BELOW`]).
pub(super) fn lower<A: AsmFactory>(
    ir: &[Ir],
    n_state: u32,
    n_params: u32,
    viper: bool,
) -> Result<Lowered, CompileError> {
    let (lowered, single) = lower_once::<A>(ir, n_state, n_params, viper, &[])?;
    if single.is_empty() || lowered.code.len() >= RELOWER_BELOW {
        return Ok(lowered);
    }
    lower_once::<A>(ir, n_state, n_params, viper, &single).map(|(l, _)| l)
}

/// Machine-code size (bytes, first lowering) from which single-site helper
/// stubs stay: each costs a few bytes, under 2% of such a function.
const RELOWER_BELOW: usize = 512;

/// Lowers one scope, calling the helpers of `inline` without their stubs;
/// also returns the helpers whose stub only one site called.
fn lower_once<A: AsmFactory>(
    ir: &[Ir],
    n_state: u32,
    n_params: u32,
    viper: bool,
    inline: &[usize],
) -> Result<(Lowered, Vec<usize>), CompileError> {
    let r = [pick(A::TEMPS, 0)?, pick(A::TEMPS, 1)?, pick(A::TEMPS, 2)?, pick(A::CALL_ARGS, 3)?];
    let mut pool: Vec<A::Reg> = A::TEMPS.to_vec();
    if !pool.contains(&r[3]) {
        pool.push(r[3]);
    }
    // Pool registers no call sequence uses, beyond the five the register
    // cache keeps.
    let volatile: Vec<A::Reg> = pool
        .iter()
        .copied()
        .filter(|x| !r.contains(x) && !A::CALL_ARGS[..4].contains(x) && *x != A::RET && A::SHIFT_COUNT != Some(*x))
        .take(pool.len().saturating_sub(5))
        .chain(A::CALL_CLOBBERED_HOMES.iter().copied())
        .collect();
    let regs = Regs {
        ctx: pick(A::LOCALS, 0)?,
        state: pick(A::LOCALS, 1)?,
        words: pick(A::LOCALS, 2)?,
        spare: A::LOCALS.get(3..).unwrap_or(&[]).to_vec(),
        r,
        pool,
        volatile,
        args: [pick(A::CALL_ARGS, 0)?, pick(A::CALL_ARGS, 1)?, pick(A::CALL_ARGS, 2)?, pick(A::CALL_ARGS, 3)?],
        entry: [pick(A::ENTRY_ARGS, 0)?, pick(A::ENTRY_ARGS, 1)?, pick(A::ENTRY_ARGS, 2)?, pick(A::ENTRY_ARGS, 3)?],
    };
    let mut a = A::new_asm();
    let dispatch = a.new_label();
    let exit = a.new_label();
    let n_labels = ir
        .iter()
        .filter_map(|i| match i {
            Ir::Label { label, .. }
            | Ir::Jump { label }
            | Ir::CondJump { label, .. }
            | Ir::JumpIfMarker { label, .. }
            | Ir::Viper(VOp::Branch { label, .. }) => Some(*label),
            Ir::Op { arg: Arg::Label(l), .. } => Some(*l),
            _ => None,
        })
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut l = Lowerer {
        a,
        regs,
        labels: vec![None; n_labels],
        bound: vec![false; n_labels],
        n_state,
        dispatch,
        exit,
        helper_stubs: Vec::new(),
        too_deep: false,
        stubs: Vec::new(),
        lines: Vec::new(),
        viper,
        bound_loads: super::bound::checked_free_loads(ir, &always_bound(ir, n_params)),
        inline_helpers: inline.to_vec(),
        interrupt_check: None,
        item_subs: [None; 2],
        pending_checks: Vec::new(),
        checked: false,
        op_zero_entry: None,
        resumable: ir.iter().any(|i| {
            matches!(
                i,
                Ir::Op {
                    opcode: op::SETUP_EXCEPT | op::SETUP_FINALLY | op::SETUP_WITH | op::YIELD_VALUE | op::YIELD_FROM,
                    ..
                }
            )
        }),
        index: 0,
        pushed_int: None,
        push_deferred: false,
        lhs_loaded: false,
        homes: Vec::new(),
        volatile_homes: Vec::new(),
        derived: Vec::new(),
        pending: Vec::new(),
        out_of_registers: false,
        dividend_max: if viper { super::range::dividend_bounds(ir) } else { Vec::new() },
        short_loops: if viper { super::range::short_loops(ir) } else { Vec::new() },
        block_locals: Vec::new(),
        cached_locals: Vec::new(),
    };
    if viper {
        if !l.resumable {
            l.block_locals = super::homes::block_locals(ir);
        }
        l.assign_homes(ir);
    }
    l.entry();
    let mut i = 0;
    let mut op_offsets = Vec::with_capacity(ir.len());
    while let Some(ins) = ir.get(i) {
        let start = l.a.offset();
        op_offsets.push(start);
        l.index = i;
        l.checked = false;
        l.drop_dead_locals();
        // Only the instruction right before counts: no label (no other way
        // in) lies between a push and the operation using it.
        let prev = i.checked_sub(1).and_then(|p| ir.get(p));
        l.pushed_int = match prev {
            Some(Ir::PushWord { word, sp }) if word & obj_word::SMALL_INT_TAG != 0 => Some((*word, *sp)),
            _ => None,
        };
        // (Viper code keeps its model stack as it is.)
        l.push_deferred = !viper && l.pushed_int.is_some() && takes_immediate::<A>(prev, ins);
        l.lhs_loaded = l.push_deferred
            && match (i.checked_sub(2).map(|p| (p, ir.get(p))), ins) {
                (Some((p, Some(Ir::LoadFast { sp: at, .. }))), Ir::Binary { sp, .. }) => {
                    at + 2 == *sp && l.bound_loads.get(p).copied().unwrap_or(false)
                }
                _ => false,
            };
        if !viper && takes_immediate::<A>(Some(ins), ir.get(i + 1).unwrap_or(&Ir::Line(0))) {
            // The next operation takes this small int as an immediate.
            i += 1;
            continue;
        }
        if let Some(n) = l.derived_access(ir, i) {
            // The index's `+ c` folds into a derived base (no code).
            for _ in 1..n {
                op_offsets.push(start);
            }
            i += n;
            continue;
        }
        let fused = match (ins, ir.get(i + 1)) {
            (Ir::Binary { op, sp }, Some(Ir::CondJump { cond, pop: true, label, sp: jsp }))
                if is_compare(*op) && *jsp + 1 == *sp =>
            {
                l.materialize_all();
                l.binary(*op, *sp, Some((*cond, *label)));
                true
            }
            (
                Ir::Viper(VOp::Compare { cond, dst, a, b }),
                Some(Ir::Viper(VOp::Branch { slot, cond: when, pop: true, label })),
            ) if slot == dst => {
                l.compare_branch(*cond, *a, *b, *when, *label);
                true
            }
            (
                Ir::Viper(VOp::Arith { op, dst, a, b }),
                Some(Ir::Viper(VOp::Copy { dst: super::viper::Slot::Local(local), src })),
            ) if src == dst && dst == a => l.arith_into_local(*op, *a, *b, *local),
            (
                Ir::Viper(VOp::Arith { op: super::viper::Arith::Bin(crate::asm::BinOp::And), dst, a, b }),
                Some(Ir::Viper(VOp::Branch { slot, cond, pop: true, label })),
            ) if slot == dst && dst == a => l.test_branch(*a, *b, *cond, *label),
            _ => false,
        };
        if fused {
            l.place_checks();
            op_offsets.push(start);
            l.update_derived(ir.get(i..i + 2).unwrap_or(&[]));
            i += 2;
            continue;
        }
        l.index = i;
        l.ins(ins)?;
        l.place_checks();
        l.update_derived(core::slice::from_ref(ins));
        i += 1;
    }
    // The compiler ends every function with a return; only code that can
    // fall off its end needs the implicit `return None`.
    let open_end =
        !matches!(ir.iter().rev().find(|i| !matches!(i, Ir::Line(_))), Some(Ir::Return { .. } | Ir::Jump { .. }));
    let mut single: Vec<usize> = l.helper_stubs.iter().filter(|s| s.2 == 1).map(|s| s.0).collect();
    if matches!(l.interrupt_check, Some((_, 1))) {
        single.push(helper::INTERRUPT);
    }
    l.tail(open_end);
    if l.out_of_registers {
        return Err(internal("viper operation needs more registers than the instruction set has"));
    }
    if l.too_deep {
        return Err(CompileError::new(
            ErrorKind::MemoryError,
            String::from("native function too large (stack deeper than 65535 slots)"),
            Default::default(),
        ));
    }
    let finished = l.a.finish().map_err(|e| internal(&alloc::format!("native code: {e:?}")))?;
    let lines = l
        .lines
        .iter()
        .filter_map(|&(label, line)| finished.labels.get(label.0 as usize).copied().flatten().map(|at| (at, line)))
        .collect();
    // `op_offsets` are emission-time offsets: exact for assemblers that do not
    // move code in `finish` (x86-64, the only one the optimizing tier serves).
    Ok((Lowered { code: finished.code, lines, op_offsets }, single))
}

/// True if `push` is a small-int `PushWord` whose slot `binary`, the
/// operation right after it, reads only as an immediate operand on its inline
/// path (see `Lowerer::binary_const`).
fn takes_immediate<A: AsmFactory>(push: Option<&Ir>, binary: &Ir) -> bool {
    let (Some(&Ir::PushWord { word, sp: at }), &Ir::Binary { op, sp }) = (push, binary) else { return false };
    word & obj_word::SMALL_INT_TAG != 0
        && at + 1 == sp
        && matches!(FastKind::of(op, A::WORD_BYTES), Some(FastKind::Compare | FastKind::Arith(BinOp::Add | BinOp::Sub)))
}

/// Which locals are bound everywhere: parameters (bound on entry) that no
/// `DELETE_FAST` unbinds.
fn always_bound(ir: &[Ir], n_params: u32) -> Vec<bool> {
    let mut bound = vec![true; n_params as usize];
    for ins in ir {
        if let Ir::Op { opcode: op::DELETE_FAST, arg: Arg::Uint(local), .. } = ins {
            if let Some(b) = bound.get_mut(*local) {
                *b = false;
            }
        }
    }
    bound
}

fn is_compare(op: u8) -> bool {
    matches!(
        op,
        binary::LESS | binary::MORE | binary::EQUAL | binary::LESS_EQUAL | binary::MORE_EQUAL | binary::NOT_EQUAL
    )
}

fn compare_cond(op: u8) -> Cond {
    match op {
        binary::LESS => Cond::LtS,
        binary::MORE => Cond::GtS,
        binary::EQUAL => Cond::Eq,
        binary::LESS_EQUAL => Cond::LeS,
        binary::MORE_EQUAL => Cond::GeS,
        _ => Cond::Ne,
    }
}

impl<A: AsmFactory> Lowerer<A> {
    pub(super) fn label(&mut self, l: EmitLabel) -> Label {
        let i = l as usize;
        if i >= self.labels.len() {
            self.labels.resize(i + 1, None);
            self.bound.resize(i + 1, false);
        }
        match self.labels[i] {
            Some(x) => x,
            None => {
                let x = self.a.new_label();
                self.labels[i] = Some(x);
                x
            }
        }
    }

    fn is_bound(&self, l: EmitLabel) -> bool {
        self.bound.get(l as usize).copied().unwrap_or(false)
    }

    /// True unless the current instruction reads a local known to be bound.
    fn maybe_unbound(&self) -> bool {
        !self.bound_loads.get(self.index).copied().unwrap_or(false)
    }

    /// Object slot of local `i`.
    pub(super) fn local_slot(&self, i: u32) -> i32 {
        self.n_state as i32 - 1 - i as i32
    }

    pub(super) fn load_obj(&mut self, dst: A::Reg, slot: i32) {
        let s = self.regs.state;
        self.a.load(Width::U32, dst, s, slot);
    }

    pub(super) fn store_obj(&mut self, slot: i32, src: A::Reg) {
        let s = self.regs.state;
        self.a.store(Width::U32, src, s, slot);
    }

    pub(super) fn here(&mut self) -> Label {
        let l = self.a.new_label();
        self.a.bind(l);
        l
    }

    fn entry(&mut self) {
        let Regs { ctx, state, words, entry, .. } = self.regs;
        // The callee-saved registers written: the word-slot pointer and the
        // register homes only in viper code (the lowered code uses no stack
        // slot).
        let mut used = vec![ctx, state];
        if self.viper {
            used.push(words);
            let homes = self.homes.iter().map(|&(_, r)| r).chain(self.derived.iter().map(|&(_, _, r)| r));
            for r in homes {
                if self.regs.spare.contains(&r) && !used.contains(&r) {
                    used.push(r);
                }
            }
        }
        self.a.prologue_saving(0, &used);
        self.a.mov_reg(ctx, entry[0]);
        self.a.mov_reg(state, entry[1]);
        if self.viper {
            self.a.mov_reg(words, entry[2]);
        }
        self.a.load(Width::Word, A::FUN_TABLE, ctx, CTX_TABLE);
        if self.resumable {
            let start = self.a.new_label();
            self.a.jump_if_zero(entry[3], false, start);
            self.a.jump_reg(entry[3]);
            self.a.bind(start);
        }
    }

    fn tail(&mut self, open_end: bool) {
        let r = self.regs.r;
        let ctx = self.regs.ctx;
        if open_end {
            // Falling off the end returns None.
            self.a.mov_imm(r[0], i64::from(obj_word::NONE));
            self.a.store(Width::Word, r[0], ctx, CTX_VALUE);
            self.a.mov_imm(A::RET, status::RETURN as i64);
            self.a.jump(self.exit);
        }
        // The exit first: a return at the end of the body jumps to the next
        // instruction (which an assembler may drop).
        self.a.bind(self.exit);
        self.a.epilogue();
        // The shared subroutines, then the dispatch stub (the last
        // subroutine's failure path falls into it), then the stubs of single
        // sites.
        self.item_subroutines();
        if let Some((check, _)) = self.interrupt_check {
            // The shared interrupt call, made when the flag is set (the
            // caller-saved homes are kept around it).
            // (Its sites keep the caller-saved homes: a local call may
            // change one, see `Asm::CALL_CLOBBERED_HOMES`.)
            self.index = usize::MAX;
            self.shared_subroutine(check, 1, helper::INTERRUPT, false);
        }
        for (index, stub, _) in core::mem::take(&mut self.helper_stubs) {
            if let Some(zero) = self.op_zero_entry.filter(|_| index == helper::OP) {
                self.a.bind(zero);
                self.a.mov_imm(self.regs.args[2], 0);
            }
            self.shared_subroutine(stub, 3, index, false);
        }
        // dispatch: statuses below FIRST_ADDRESS (16) leave the function,
        // others are addresses.
        const _: () = assert!(status::FIRST_ADDRESS == 1 << 4);
        self.a.bind(self.dispatch);
        self.a.mov_reg(r[1], A::RET);
        self.a.shift_imm(ShiftOp::Shr, r[1], 4, r[2]);
        self.a.jump_if_zero(r[1], false, self.exit);
        self.a.jump_reg(A::RET);
        for stub in core::mem::take(&mut self.stubs) {
            match stub {
                Stub::Failed { entry, at } => {
                    self.a.bind(entry);
                    let args = self.regs.args;
                    self.a.mov_reg(args[0], ctx);
                    self.a.label_addr(args[1], at);
                    self.a.call_table(helper::FAILED_AT);
                    self.a.jump(self.dispatch);
                }
                Stub::Interrupt { entry, target, at, found } => {
                    self.a.bind(entry);
                    if !found {
                        self.jump_on_interrupt_flag(false, target);
                    }
                    // Out of line: every local, wherever the jump is.
                    self.index = usize::MAX;
                    self.call_interrupt_helper(at);
                    self.a.jump(target);
                }
            }
        }
    }

    /// Calls the `INTERRUPT` helper for the check at `at` (its flag was found
    /// set), the volatile homes saved around it; an exception it raises leaves
    /// through the dispatch.
    fn call_interrupt_helper(&mut self, at: Label) {
        let (ctx, args) = (self.regs.ctx, self.regs.args);
        self.save_volatile_homes();
        self.a.mov_reg(args[0], ctx);
        self.a.label_addr(args[1], at);
        self.a.call_table(helper::INTERRUPT);
        self.a.jump_if_nonzero(A::RET, false, self.dispatch);
        self.restore_volatile_homes();
    }

    /// A subroutine at `entry` shared by the sites calling helper `index`:
    /// it takes its return address in argument register `link` and passes
    /// it, less 2, as the calling site's position (argument 1 is the
    /// context); on failure it leaves through the dispatch stub. With
    /// `keep_homes` the caller-saved register homes are saved around the call.
    fn shared_subroutine(&mut self, entry: Label, link: usize, index: usize, keep_homes: bool) {
        let args = self.regs.args;
        let fail = self.a.new_label();
        self.a.bind(entry);
        self.a.local_entry(args[link]);
        self.a.binop_imm(BinOp::Add, args[link], -2, args[0]);
        if keep_homes {
            self.save_volatile_homes();
        }
        self.a.mov_reg(args[0], self.regs.ctx);
        self.a.call_table(index);
        self.a.jump_if_nonzero(A::RET, false, fail);
        if keep_homes {
            self.restore_volatile_homes();
        }
        self.a.local_return();
        self.a.bind(fail);
        self.a.local_discard();
        self.a.jump(self.dispatch);
    }

    /// Calls the generic helper for one operation located at `at`; through
    /// the op stub where the assembler allows it, unless the call is not in
    /// the operation's own code or the runtime needs the operation's exact
    /// start (`exact`: out-of-line code; a `yield from` resumes at its start).
    fn call_op_at(&mut self, opcode: u8, extra: u8, sp: u32, arg: ArgVal, at: Label, exact: bool) {
        let args = self.regs.args;
        if sp > 0xFFFF {
            self.too_deep = true;
        }
        let opword = i64::from(native_abi::opword(opcode, extra, sp as u16));
        self.save_volatile_homes();
        if self.stubbed(helper::OP) && !exact {
            self.a.mov_imm(args[1], opword);
            match arg {
                ArgVal::Imm(0) if A::LOCAL_CALL_ANYWHERE => {
                    // Through the stub's entry that sets the operand.
                    self.count_stub_site(helper::OP);
                    let zero = *self.op_zero_entry.get_or_insert_with(|| self.a.new_label());
                    self.a.call_local(zero);
                }
                ArgVal::Imm(v) => {
                    self.a.mov_imm(args[2], v);
                    self.call_via_stub(helper::OP);
                }
                ArgVal::Label(l) => {
                    self.a.label_addr(args[2], l);
                    self.call_via_stub(helper::OP);
                }
            }
        } else {
            self.a.mov_reg(args[0], self.regs.ctx);
            self.a.mov_imm(args[1], opword);
            match arg {
                ArgVal::Imm(v) => self.a.mov_imm(args[2], v),
                ArgVal::Label(l) => self.a.label_addr(args[2], l),
            }
            self.a.label_addr(args[3], at);
            self.a.call_table(helper::OP);
            self.a.jump_if_nonzero(A::RET, false, self.dispatch);
        }
        self.restore_volatile_homes();
    }

    /// Stores the homes in caller-saved registers to their slots (before a
    /// call).
    pub(super) fn save_volatile_homes(&mut self) {
        let w = self.regs.words;
        for (slot, reg, born) in self.volatile_homes.clone() {
            if self.index >= born {
                let i = self.word_index(slot);
                self.a.store(Width::Word, reg, w, i);
            }
        }
    }

    /// Loads the homes in caller-saved registers back (after a call).
    pub(super) fn restore_volatile_homes(&mut self) {
        let w = self.regs.words;
        for (slot, reg, born) in self.volatile_homes.clone() {
            if self.index >= born {
                let i = self.word_index(slot);
                self.a.load(Width::Word, reg, w, i);
            }
        }
    }

    /// Calls helper `index` through its shared stub, which passes the context
    /// and the site's position (arguments 1 and 2 already set).
    pub(super) fn call_via_stub(&mut self, index: usize) {
        let stub = self.count_stub_site(index);
        self.a.call_local(stub);
    }

    /// The label of helper `index`'s stub, counting one more site.
    pub(super) fn count_stub_site(&mut self, index: usize) -> Label {
        match self.helper_stubs.iter_mut().find(|(i, _, _)| *i == index) {
            Some((_, s, n)) => {
                *n += 1;
                *s
            }
            None => {
                let s = self.a.new_label();
                self.helper_stubs.push((index, s, 1));
                s
            }
        }
    }

    /// Whether calls of helper `index` go through its stub.
    pub(super) fn stubbed(&self, index: usize) -> bool {
        A::LOCAL_CALLS && !self.inline_helpers.contains(&index)
    }

    /// Calls a helper taking `(ctx, a, b, op_addr)` whose `a` and `b` are
    /// set, for the operation at `at`: through its stub where the assembler
    /// allows it, else inline; a non-zero status goes to the dispatch stub.
    pub(super) fn call_positioned(&mut self, index: usize, at: Label) {
        self.save_volatile_homes();
        if self.stubbed(index) {
            self.call_via_stub(index);
        } else {
            let args = self.regs.args;
            self.a.mov_reg(args[0], self.regs.ctx);
            self.a.label_addr(args[3], at);
            self.a.call_table(index);
            self.a.jump_if_nonzero(A::RET, false, self.dispatch);
        }
        self.restore_volatile_homes();
    }

    fn call_op(&mut self, opcode: u8, extra: u8, sp: u32, arg: &Arg) -> Result<(), CompileError> {
        let v = match arg {
            Arg::None => ArgVal::Imm(0),
            Arg::Uint(v) => ArgVal::Imm(*v as i64),
            Arg::Int(v) => ArgVal::Imm(*v),
            Arg::Child(c) => ArgVal::Imm(i64::from(*c)),
            Arg::Label(l) => ArgVal::Label(self.label(*l)),
            Arg::Qstr(_) | Arg::Const(_) => return Err(internal("unresolved operand")),
        };
        let at = self.here();
        if matches!(opcode, op::YIELD_VALUE | op::YIELD_FROM) {
            // The runtime resumes a `yield` (and continues a finished
            // `yield from`) at the address passed as the operand.
            let after = self.a.new_label();
            self.call_op_at(opcode, extra, sp, ArgVal::Label(after), at, true);
            self.a.bind(after);
        } else if A::INLINE_ITEMS && matches!(opcode, op::LOAD_SUBSCR | op::STORE_SUBSCR) && self.stubbed(helper::OP) {
            self.item_site(opcode, extra, sp);
        } else {
            self.call_op_at(opcode, extra, sp, v, at, false);
        }
        Ok(())
    }

    /// Whether backward jumps share one interrupt call (see
    /// [`Asm::SHARED_INTERRUPT_CALL`](crate::asm::Asm)).
    fn shared_interrupt_check(&self) -> bool {
        A::SHARED_INTERRUPT_CALL && self.stubbed(helper::INTERRUPT)
    }

    /// The shared interrupt check's label, counting one more site.
    fn interrupt_check_label(&mut self) -> Label {
        match &mut self.interrupt_check {
            Some((l, n)) => {
                *n += 1;
                *l
            }
            None => {
                let l = self.a.new_label();
                self.interrupt_check = Some((l, 1));
                l
            }
        }
    }

    /// Emits the entries of the conditional backward jumps of the
    /// instruction just lowered (see `jump_target`): `entry: call the
    /// shared check; jump target`, jumped over by the fall-through path
    /// (which an assembler may turn into an inverted conditional jump).
    fn place_checks(&mut self) {
        let Some((check, _)) = self.interrupt_check else { return };
        for (entry, target) in core::mem::take(&mut self.pending_checks) {
            let skip = self.a.new_label();
            self.a.jump(skip);
            self.a.bind(entry);
            self.check_interrupt(check, target);
            self.a.bind(skip);
        }
    }

    /// Goes to `target` after testing the interrupt flag: inline, with the
    /// shared subroutine `check` called only when an interrupt is pending.
    fn check_interrupt(&mut self, check: Label, target: Label) {
        self.test_interrupt(check);
        self.a.jump(target);
    }

    /// Tests the interrupt flag, calling the shared subroutine `check` when
    /// an interrupt is pending.
    fn test_interrupt(&mut self, check: Label) {
        let go = self.a.new_label();
        self.jump_on_interrupt_flag(false, go);
        self.save_volatile_homes();
        self.a.call_local(check);
        self.restore_volatile_homes();
        self.a.bind(go);
    }

    /// Jumps to `label` if the interrupt flag byte, which follows the helper
    /// table (see `native_abi::table_flag_offset`), is set (`set`) or clear.
    fn jump_on_interrupt_flag(&mut self, set: bool, label: Label) {
        let offset = native_abi::table_flag_offset(A::WORD_BYTES);
        self.a.jump_if_byte(A::FUN_TABLE, offset, set, self.regs.r[0], label);
    }

    /// Whether [`Lowerer::check_first`] would test the flag (or has).
    pub(super) fn would_check_first(&self, target: EmitLabel) -> bool {
        self.checked || (self.is_bound(target) && !self.short_loops.contains(&target))
    }

    /// Before an instruction that may jump back to `target`, with every
    /// value it leaves in memory there and nothing held in a caller-saved
    /// register: where the check is shared, tests the interrupt flag once
    /// at the instruction's start (whether or not the jump is then taken),
    /// so that its backward jumps go straight to their targets instead of
    /// each through a check after it. True if it did (or had already).
    pub(super) fn check_first(&mut self, target: EmitLabel) -> bool {
        if self.checked {
            return true;
        }
        if !self.would_check_first(target) {
            return false;
        }
        if self.shared_interrupt_check() {
            let check = self.interrupt_check_label();
            self.test_interrupt(check);
        } else if A::SHARED_INTERRUPT_CALL {
            // The function's only check: the call is inline.
            let at = self.here();
            let go = self.a.new_label();
            self.jump_on_interrupt_flag(false, go);
            self.call_interrupt_helper(at);
            self.a.bind(go);
        } else {
            // The call is out of line: the loop's back edge stays its only
            // taken jump.
            let at = self.here();
            let (entry, resume) = (self.a.new_label(), self.a.new_label());
            self.jump_on_interrupt_flag(true, entry);
            self.stubs.push(Stub::Interrupt { entry, target: resume, at, found: true });
            self.a.bind(resume);
        }
        self.checked = true;
        true
    }

    /// An unconditional jump to `target` (with an interrupt check first if
    /// it goes backward).
    fn jump_to(&mut self, target: EmitLabel, at: Label) {
        if self.is_bound(target) && self.shared_interrupt_check() {
            let t = self.label(target);
            let check = self.interrupt_check_label();
            self.check_interrupt(check, t);
        } else {
            let t = self.jump_target(target, at);
            self.a.jump(t);
        }
    }

    /// Where a jump to `target` goes: the label itself, or for a backward jump
    /// an interrupt check first.
    pub(super) fn jump_target(&mut self, target: EmitLabel, at: Label) -> Label {
        let t = self.label(target);
        if !self.is_bound(target) || self.checked || self.short_loops.contains(&target) {
            return t;
        }
        let entry = self.a.new_label();
        if self.shared_interrupt_check() {
            // Placed after the current instruction (see `place_checks`), so
            // that the check's call lies in the jump's own code.
            self.interrupt_check_label();
            self.pending_checks.push((entry, t));
        } else {
            self.stubs.push(Stub::Interrupt { entry, target: t, at, found: false });
        }
        entry
    }

    fn ins(&mut self, ins: &Ir) -> Result<(), CompileError> {
        let r = self.regs.r;
        if !matches!(ins, Ir::Viper(_) | Ir::Line(_)) {
            // Jumps, labels, helpers and shuffles see the word slots in memory.
            self.materialize_all();
        }
        match ins {
            Ir::Line(line) => {
                let at = self.here();
                self.lines.push((at, *line));
            }
            Ir::Label { label, role, sp } => {
                if *role == LabelRole::FinallyHandler {
                    self.a.mov_imm(r[0], 0);
                    self.store_obj(*sp as i32, r[0]);
                }
                let l = self.label(*label);
                self.a.bind(l);
                if let Some(b) = self.bound.get_mut(*label as usize) {
                    *b = true;
                }
            }
            Ir::Op { opcode, extra, sp, arg } => self.call_op(*opcode, *extra, *sp, arg)?,
            Ir::LoadFast { local, sp } => {
                let at = self.here();
                let slot = self.local_slot(*local);
                self.load_obj(r[0], slot);
                if self.maybe_unbound() {
                    // A local read as NULL: the runtime raises the
                    // unbound-local error (or, if it was bound meanwhile,
                    // pushes it).
                    let (bound, done) = (self.a.new_label(), self.a.new_label());
                    self.a.jump_if_nonzero(r[0], false, bound);
                    self.call_op_at(op::LOAD_FAST_N, 0, *sp, ArgVal::Imm(i64::from(*local)), at, false);
                    self.a.jump(done);
                    self.a.bind(bound);
                    self.store_obj(*sp as i32, r[0]);
                    self.a.bind(done);
                } else {
                    self.store_obj(*sp as i32, r[0]);
                }
            }
            Ir::StoreFast { local, sp } => {
                self.load_obj(r[0], *sp as i32 - 1);
                let slot = self.local_slot(*local);
                self.store_obj(slot, r[0]);
            }
            Ir::PushWord { word, sp } => {
                self.a.mov_imm(r[0], i64::from(*word));
                self.store_obj(*sp as i32, r[0]);
            }
            Ir::DupTop { sp } => {
                let sp = *sp as i32;
                self.shuffle(&[(sp - 1, sp)]);
            }
            Ir::DupTopTwo { sp } => {
                let sp = *sp as i32;
                self.shuffle(&[(sp - 2, sp), (sp - 1, sp + 1)]);
            }
            Ir::RotTwo { sp } => {
                let sp = *sp as i32;
                self.shuffle(&[(sp - 2, sp - 1), (sp - 1, sp - 2)]);
            }
            Ir::RotThree { sp } => {
                let sp = *sp as i32;
                self.shuffle(&[(sp - 3, sp - 2), (sp - 2, sp - 1), (sp - 1, sp - 3)]);
            }
            Ir::Jump { label } => {
                let at = self.here();
                self.jump_to(*label, at);
            }
            Ir::CondJump { cond, pop, label, sp } => self.cond_jump(*cond, *pop, *label, *sp),
            Ir::JumpIfMarker { sp, label } => {
                let target = self.label(*label);
                self.load_obj(r[0], *sp as i32);
                self.a.binop_imm(BinOp::And, r[0], obj_word::SMALL_INT_TAG as i32, r[1]);
                self.a.jump_if_nonzero(r[0], false, target);
            }
            Ir::Binary { op, sp } => self.binary(*op, *sp, None),
            Ir::Return { sp } => {
                self.load_obj(r[0], *sp as i32 - 1);
                let ctx = self.regs.ctx;
                self.a.store(Width::Word, r[0], ctx, CTX_VALUE);
                self.a.mov_imm(A::RET, status::RETURN as i64);
                self.a.jump_to_exit(self.exit);
            }
            Ir::Viper(v) => self.viper_op(v),
        }
        Ok(())
    }

    /// Copies stack slots `(from, to)`, all read before any is written (the
    /// object slots, and in viper code the word slots too).
    fn shuffle(&mut self, moves: &[(i32, i32)]) {
        let r = self.regs.r;
        for (i, &(from, _)) in moves.iter().enumerate() {
            self.load_obj(r[i], from);
        }
        for (i, &(_, to)) in moves.iter().enumerate() {
            self.store_obj(to, r[i]);
        }
        if self.viper {
            // Word slots may live in registers (see `homes`).
            use super::viper::Slot;
            for (i, &(from, _)) in moves.iter().enumerate() {
                self.load_word(r[i], Slot::Stack(from as u32));
            }
            for (i, &(_, to)) in moves.iter().enumerate() {
                self.store_word(Slot::Stack(to as u32), r[i]);
            }
        }
    }

    /// A conditional jump on an object: `True`/`False` (and with
    /// `Asm::INLINE_SMALL_INTS`, small ints) are tested inline, anything else
    /// by the runtime (which jumps through the label address it is given).
    fn cond_jump(&mut self, cond: bool, pop: bool, label: EmitLabel, sp: u32) {
        let r = self.regs.r;
        self.check_first(label);
        let at = self.here();
        let taken = self.jump_target(label, at);
        let fall = self.a.new_label();
        self.load_obj(r[0], sp as i32 - 1);
        self.a.jump_if_eq_imm(r[0], obj_word::TRUE as i32, r[1], if cond { taken } else { fall });
        self.a.jump_if_eq_imm(r[0], obj_word::FALSE as i32, r[1], if cond { fall } else { taken });
        if A::INLINE_SMALL_INTS {
            // Small ints (`if x & 1:`): zero is false, every other one true.
            self.a.jump_if_eq_imm(r[0], obj_word::SMALL_INT_TAG as i32, r[1], if cond { fall } else { taken });
            self.a.jump_if_bits(r[0], obj_word::SMALL_INT_TAG as i32, true, r[1], if cond { taken } else { fall });
        }
        let opcode = match (pop, cond) {
            (true, true) => op::POP_JUMP_IF_TRUE,
            (true, false) => op::POP_JUMP_IF_FALSE,
            (false, true) => op::JUMP_IF_TRUE_OR_POP,
            (false, false) => op::JUMP_IF_FALSE_OR_POP,
        };
        let target = self.label(label);
        self.call_op_at(opcode, 0, sp, ArgVal::Label(target), at, false);
        self.a.bind(fall);
    }

    /// Turns the 32-bit small-int object word in `reg` into its value: sign
    /// extension to a machine word and the tag dropped.
    fn untag(&mut self, reg: A::Reg, scratch: A::Reg) {
        let high = (A::WORD_BYTES * 8 - 32) as u8;
        if high > 0 {
            self.a.shift_imm(ShiftOp::Shl, reg, high, scratch);
        }
        self.a.shift_imm(ShiftOp::Sar, reg, high + 1, scratch);
    }

    /// A binary operator: small-int fast paths for `+ - * & | ^` and the
    /// comparisons (a comparison may be fused with the conditional jump that
    /// follows it); other operands and operators go to the runtime.
    fn binary(&mut self, bop: u8, sp: u32, fused: Option<(bool, EmitLabel)>) {
        let r = self.regs.r;
        let at = self.here();
        let kind = FastKind::of(bop, A::WORD_BYTES);
        let opcode = op::BINARY_OP_MULTI + bop;
        let Some(kind) = kind else {
            self.call_op_at(opcode, 0, sp, ArgVal::Imm(0), at, false);
            return;
        };
        if let Some((_, label)) = fused {
            if self.check_first(label) {
                // The flag's test took `r[0]`.
                self.lhs_loaded = false;
            }
        }
        let slow = self.a.new_label();
        let done = self.a.new_label();
        let (lhs, rhs) = (sp as i32 - 2, sp as i32 - 1);
        // A small-int constant right operand (still in its slot for the slow path).
        let constant = self.pushed_int.filter(|&(_, at)| at as i32 == rhs).map(|(word, _)| word as i32);
        if let Some(c) = constant {
            if self.binary_const(kind, bop, c, lhs, at, fused, slow, done) {
                self.a.bind(slow);
                if self.push_deferred {
                    self.a.mov_imm(r[1], i64::from(c));
                    self.store_obj(rhs, r[1]);
                }
                self.call_op_at(opcode, 0, sp, ArgVal::Imm(0), at, false);
                if let Some((cond, label)) = fused {
                    self.cond_jump(cond, true, label, sp - 1);
                }
                self.a.bind(done);
                return;
            }
        }
        self.load_obj(r[0], lhs);
        self.load_obj(r[1], rhs);
        // Both small ints (tag bit set in each)?
        self.a.mov_reg(r[2], r[0]);
        self.a.binop(BinOp::And, r[2], r[1]);
        self.a.jump_if_bit_clear(r[2], 0, r[3], slow);
        match kind {
            FastKind::Compare => {
                // Tagged words compare as their values do, once their 32
                // bits are the top of the machine word.
                let high = (A::WORD_BYTES * 8 - 32) as u8;
                if high > 0 {
                    self.a.shift_imm(ShiftOp::Shl, r[0], high, r[3]);
                    self.a.shift_imm(ShiftOp::Shl, r[1], high, r[3]);
                }
                match fused {
                    Some((cond, label)) => {
                        let taken = self.jump_target(label, at);
                        let c = compare_cond(bop);
                        self.a.jump_if_cond(if cond { c } else { c.negate() }, r[0], r[1], r[2], taken);
                        self.a.jump(done);
                    }
                    None => {
                        self.a.set_cond(compare_cond(bop), r[2], r[0], r[1]);
                        // False + 16 * result = False or True.
                        self.a.shift_imm(ShiftOp::Shl, r[2], 4, r[3]);
                        self.a.binop_imm(BinOp::Add, r[2], obj_word::FALSE as i32, r[3]);
                        self.store_obj(lhs, r[2]);
                        self.a.jump(done);
                    }
                }
            }
            FastKind::Bitwise(op) => {
                // Tagged words combine directly: `&` and `|` keep the tag,
                // `^` clears it; the result always fits a small int.
                self.a.binop(op, r[0], r[1]);
                if op == BinOp::Xor {
                    // The difference is even: + 1 sets the tag.
                    self.a.binop_imm(BinOp::Add, r[0], 1, r[3]);
                }
                self.store_obj(lhs, r[0]);
                self.a.jump(done);
            }
            FastKind::Arith(op @ (BinOp::Add | BinOp::Sub))
                if A::OVERFLOW_JUMP && A::WORD_BYTES == 4 && obj_word::SMALL_INT_BITS == 31 =>
            {
                // On the tagged words `2a + 1` and `2b + 1`: `2a + (2b + 1)`
                // and `(2a + 1) - (2b + 1)` (+ 1 for the tag) are the tagged
                // results, and the 32-bit operation overflows exactly when
                // the value leaves the 31-bit small-int range.
                if op == BinOp::Add {
                    self.a.binop_imm(BinOp::Sub, r[0], 1, r[3]);
                    self.a.binop_jump_if_overflow(BinOp::Add, r[0], r[1], slow);
                } else {
                    self.a.binop_jump_if_overflow(BinOp::Sub, r[0], r[1], slow);
                    // The difference is even: + 1 sets the tag.
                    self.a.binop_imm(BinOp::Add, r[0], 1, r[3]);
                }
                self.store_obj(lhs, r[0]);
                self.a.jump(done);
            }
            FastKind::Arith(op) => {
                self.untag(r[0], r[3]);
                self.untag(r[1], r[3]);
                self.a.binop(op, r[0], r[1]);
                self.tag_checked(lhs, slow, done);
            }
        }
        self.a.bind(slow);
        self.call_op_at(opcode, 0, sp, ArgVal::Imm(0), at, false);
        if let Some((cond, label)) = fused {
            self.cond_jump(cond, true, label, sp - 1);
        }
        self.a.bind(done);
    }
}

impl<A: AsmFactory> Lowerer<A> {
    /// Stores the value in `r[0]` as a small int in slot `lhs` and jumps to
    /// `done`, or jumps to `slow` if it does not fit one (31 bits).
    fn tag_checked(&mut self, lhs: i32, slow: Label, done: Label) {
        let r = self.regs.r;
        self.a.mov_reg(r[2], r[0]);
        let unused = (A::WORD_BYTES * 8 - obj_word::SMALL_INT_BITS) as u8;
        self.a.shift_imm(ShiftOp::Shl, r[2], unused, r[3]);
        self.a.shift_imm(ShiftOp::Sar, r[2], unused, r[3]);
        self.a.jump_if_cond(Cond::Ne, r[2], r[0], r[3], slow);
        // The tag: the low bit is clear after the shift, so + 1 sets it.
        self.a.shift_imm(ShiftOp::Shl, r[0], 1, r[3]);
        self.a.binop_imm(BinOp::Add, r[0], 1, r[3]);
        self.store_obj(lhs, r[0]);
        self.a.jump(done);
    }

    /// The inline path of a comparison, `+` or `-` whose right operand is
    /// the small-int object word `c`: only the left operand is tested and
    /// loaded, `c` is an immediate. Emits the code up to (not including) the
    /// `slow` label and returns true, or emits nothing and returns false for
    /// other operators.
    #[allow(clippy::too_many_arguments)]
    fn binary_const(
        &mut self,
        kind: FastKind,
        bop: u8,
        c: i32,
        lhs: i32,
        at: Label,
        fused: Option<(bool, EmitLabel)>,
        slow: Label,
        done: Label,
    ) -> bool {
        let r = self.regs.r;
        let op = match kind {
            FastKind::Arith(op @ (BinOp::Add | BinOp::Sub)) => Some(op),
            FastKind::Compare => None,
            _ => return false,
        };
        if !self.lhs_loaded {
            self.load_obj(r[0], lhs);
        }
        // The tag test keeps `r[0]` (`jump_if_bit_clear` may clobber it).
        self.a.jump_if_bits(r[0], obj_word::SMALL_INT_TAG as i32, false, r[3], slow);
        match op {
            Some(op) => {
                self.untag(r[0], r[3]);
                // The constant's value: its word without the tag.
                self.a.binop_imm(op, r[0], c >> 1, r[3]);
                self.tag_checked(lhs, slow, done);
            }
            None => {
                // Tagged words compare as their values do: sign-extend the
                // left one's 32 bits to compare it with the immediate.
                let high = (A::WORD_BYTES * 8 - 32) as u8;
                if high > 0 {
                    self.a.shift_imm(ShiftOp::Shl, r[0], high, r[3]);
                    self.a.shift_imm(ShiftOp::Sar, r[0], high, r[3]);
                }
                let cond = compare_cond(bop);
                match fused {
                    Some((when, label)) => {
                        let taken = self.jump_target(label, at);
                        let cond = if when { cond } else { cond.negate() };
                        self.a.jump_if_cond_imm(cond, r[0], c, r[2], taken);
                        self.a.jump(done);
                    }
                    None => {
                        self.a.mov_imm(r[1], i64::from(c));
                        self.a.set_cond(cond, r[2], r[0], r[1]);
                        // False + 16 * result = False or True.
                        self.a.shift_imm(ShiftOp::Shl, r[2], 4, r[3]);
                        self.a.binop_imm(BinOp::Add, r[2], obj_word::FALSE as i32, r[3]);
                        self.store_obj(lhs, r[2]);
                        self.a.jump(done);
                    }
                }
            }
        }
        true
    }
}

/// The inline small-int path of a binary operator.
#[derive(Clone, Copy)]
enum FastKind {
    /// `< > == <= >= !=`.
    Compare,
    /// `& | ^` on the tagged words.
    Bitwise(BinOp),
    /// `+ - *` on the values, with a small-int range check.
    Arith(BinOp),
}

impl FastKind {
    fn of(bop: u8, word_bytes: u32) -> Option<FastKind> {
        Some(match bop {
            _ if is_compare(bop) => FastKind::Compare,
            binary::ADD | binary::INPLACE_ADD => FastKind::Arith(BinOp::Add),
            binary::SUBTRACT | binary::INPLACE_SUBTRACT => FastKind::Arith(BinOp::Sub),
            // Two 31-bit values multiply without overflowing a 64-bit word
            // (a 32-bit word would need a widening multiply).
            binary::MULTIPLY | binary::INPLACE_MULTIPLY if word_bytes == 8 => FastKind::Arith(BinOp::Mul),
            binary::AND | binary::INPLACE_AND => FastKind::Bitwise(BinOp::And),
            binary::OR | binary::INPLACE_OR => FastKind::Bitwise(BinOp::Or),
            binary::XOR | binary::INPLACE_XOR => FastKind::Bitwise(BinOp::Xor),
            _ => return None,
        })
    }
}

/// An operand value for a helper call.
enum ArgVal {
    Imm(i64),
    Label(Label),
}
