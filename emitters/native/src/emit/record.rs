//! Recording the compiler's operations: each [`Emit`](ferropy_frontend::Emit)
//! call becomes [`Ir`] with its static stack position. Object operations map to
//! the bytecode operation the runtime's generic helper runs; viper operations
//! on native values go to [`super::viper`].

use alloc::string::String;

use ferropy_bytecode::opcode as op;
use ferropy_bytecode::{native_abi::obj_word, ConstObj, RawCode};
use ferropy_frontend::emit::{
    AccessKind, BinaryOp, BlockKind, BuildKind, ConstTok, GlobalKind, ImportKind, Label, LocalKind, ScopeKind,
    YieldKind,
};
use ferropy_frontend::error::ErrorKind;

use super::ir::{Arg, Ir};
use super::viper::{self, VType};
use super::{AsmFactory, NativeEmitter};

type E<A> = NativeEmitter<A>;

/// The stack effect of the `with` handler's WITH_CLEANUP when recorded: +2
/// then -4, as the bytecode emitter counts it.
const WITH_CLEANUP_DELTA: i32 = -2;

pub(super) fn load_local<A: AsmFactory>(e: &mut E<A>, name: &str, local: u32, kind: LocalKind) {
    if e.is_viper() && kind == LocalKind::Fast && viper::load_local(e, name, local) {
        return;
    }
    if kind == LocalKind::Fast {
        let sp = e.sp();
        e.record(Ir::LoadFast { local, sp });
        e.adjust(1);
    } else {
        e.op(op::LOAD_DEREF, Arg::Uint(local as usize), 1);
    }
}

pub(super) fn store_local<A: AsmFactory>(e: &mut E<A>, name: &str, local: u32, kind: LocalKind) {
    if e.is_viper() && kind == LocalKind::Fast && viper::store_local(e, name, local) {
        return;
    }
    if kind == LocalKind::Fast {
        let sp = e.sp();
        e.record(Ir::StoreFast { local, sp });
        e.adjust(-1);
    } else {
        viper::box_top(e, 1);
        e.op(op::STORE_DEREF, Arg::Uint(local as usize), -1);
    }
}

pub(super) fn delete_local<A: AsmFactory>(e: &mut E<A>, _name: &str, local: u32, kind: LocalKind) {
    let b = if kind == LocalKind::Fast { op::DELETE_FAST } else { op::DELETE_DEREF };
    e.op(b, Arg::Uint(local as usize), 0);
}

pub(super) fn load_global<A: AsmFactory>(e: &mut E<A>, name: &str, kind: GlobalKind) {
    if e.is_viper() && kind == GlobalKind::Global && viper::load_global(e, name) {
        return;
    }
    let b = if kind == GlobalKind::Name { op::LOAD_NAME } else { op::LOAD_GLOBAL };
    e.op(b, Arg::Qstr(String::from(name)), 1);
}

pub(super) fn store_global<A: AsmFactory>(e: &mut E<A>, name: &str, kind: GlobalKind) {
    viper::box_top(e, 1);
    let b = if kind == GlobalKind::Name { op::STORE_NAME } else { op::STORE_GLOBAL };
    e.op(b, Arg::Qstr(String::from(name)), -1);
}

pub(super) fn delete_global<A: AsmFactory>(e: &mut E<A>, name: &str, kind: GlobalKind) {
    let b = if kind == GlobalKind::Name { op::DELETE_NAME } else { op::DELETE_GLOBAL };
    e.op(b, Arg::Qstr(String::from(name)), 0);
}

pub(super) fn import<A: AsmFactory>(e: &mut E<A>, name: &str, kind: ImportKind) {
    match kind {
        ImportKind::Name => {
            viper::box_top(e, 2);
            e.op(op::IMPORT_NAME, Arg::Qstr(String::from(name)), -1)
        }
        ImportKind::From => e.op(op::IMPORT_FROM, Arg::Qstr(String::from(name)), 1),
        ImportKind::Star => e.op(op::IMPORT_STAR, Arg::None, -1),
    }
}

fn push_word<A: AsmFactory>(e: &mut E<A>, word: u32) {
    let sp = e.sp();
    e.record(Ir::PushWord { word, sp });
    e.adjust(1);
}

pub(super) fn load_const_tok<A: AsmFactory>(e: &mut E<A>, tok: ConstTok) {
    if e.is_viper() && viper::load_const_tok(e, tok) {
        return;
    }
    match tok {
        ConstTok::None => push_word(e, obj_word::NONE),
        ConstTok::False => push_word(e, obj_word::FALSE),
        ConstTok::True => push_word(e, obj_word::TRUE),
        ConstTok::Ellipsis => load_const_obj(e, ConstObj::Ellipsis),
    }
}

/// The object word of small int `value`, if it fits.
pub(super) fn small_int_word(value: i64) -> Option<u32> {
    let bits = obj_word::SMALL_INT_BITS;
    let min = -(1i64 << (bits - 1));
    let max = (1i64 << (bits - 1)) - 1;
    (min..=max).contains(&value).then_some(((value << 1) as u32) | obj_word::SMALL_INT_TAG)
}

pub(super) fn load_const_small_int<A: AsmFactory>(e: &mut E<A>, value: i64) {
    if e.is_viper() {
        viper::push_imm(e, value, VType::Int);
        return;
    }
    match small_int_word(value) {
        Some(w) => push_word(e, w),
        None => e.op(op::LOAD_CONST_SMALL_INT, Arg::Int(value), 1),
    }
}

pub(super) fn load_const_str<A: AsmFactory>(e: &mut E<A>, s: &str) {
    e.op(op::LOAD_CONST_STRING, Arg::Qstr(String::from(s)), 1);
}

pub(super) fn load_const_obj<A: AsmFactory>(e: &mut E<A>, obj: ConstObj) {
    if e.is_viper() && viper::load_const_obj(e, &obj) {
        return;
    }
    e.op(op::LOAD_CONST_OBJ, Arg::Const(obj), 1);
}

pub(super) fn load_null<A: AsmFactory>(e: &mut E<A>) {
    push_word(e, 0);
}

pub(super) fn load_method<A: AsmFactory>(e: &mut E<A>, name: &str, is_super: bool) {
    viper::require_objects(e, if is_super { 3 } else { 1 }, "load method");
    if is_super {
        e.op(op::LOAD_SUPER_METHOD, Arg::Qstr(String::from(name)), -1);
    } else {
        e.op(op::LOAD_METHOD, Arg::Qstr(String::from(name)), 1);
    }
}

pub(super) fn load_build_class<A: AsmFactory>(e: &mut E<A>) {
    e.op(op::LOAD_BUILD_CLASS, Arg::None, 1);
}

pub(super) fn subscr<A: AsmFactory>(e: &mut E<A>, kind: AccessKind) {
    if e.is_viper() && viper::subscr(e, kind) {
        return;
    }
    match kind {
        AccessKind::Load => e.op(op::LOAD_SUBSCR, Arg::None, -1),
        AccessKind::Store => e.op(op::STORE_SUBSCR, Arg::None, -3),
        AccessKind::Delete => {
            load_null(e);
            rot_three(e);
            e.op(op::STORE_SUBSCR, Arg::None, -3);
        }
    }
}

pub(super) fn attr<A: AsmFactory>(e: &mut E<A>, name: &str, kind: AccessKind) {
    match kind {
        AccessKind::Load => {
            viper::require_objects(e, 1, "load attribute");
            e.op(op::LOAD_ATTR, Arg::Qstr(String::from(name)), 0)
        }
        AccessKind::Store => {
            viper::box_top(e, 2);
            e.op(op::STORE_ATTR, Arg::Qstr(String::from(name)), -2)
        }
        AccessKind::Delete => {
            load_null(e);
            rot_two(e);
            e.op(op::STORE_ATTR, Arg::Qstr(String::from(name)), -2);
        }
    }
}

pub(super) fn dup_top<A: AsmFactory>(e: &mut E<A>) {
    let sp = e.sp();
    let t = e.vstack.last().copied().unwrap_or(VType::Object);
    if !viper::shuffle(e, viper::Shuffle::DupTop) {
        e.record(Ir::DupTop { sp });
    }
    e.adjust(1);
    viper::set_top(e, 0, t);
}

pub(super) fn dup_top_two<A: AsmFactory>(e: &mut E<A>) {
    let sp = e.sp();
    let (a, b) = (viper::type_at(e, 1), viper::type_at(e, 0));
    if !viper::shuffle(e, viper::Shuffle::DupTopTwo) {
        e.record(Ir::DupTopTwo { sp });
    }
    e.adjust(2);
    viper::set_top(e, 1, a);
    viper::set_top(e, 0, b);
}

pub(super) fn pop_top<A: AsmFactory>(e: &mut E<A>) {
    e.adjust(-1);
}

pub(super) fn rot_two<A: AsmFactory>(e: &mut E<A>) {
    let sp = e.sp();
    let (a, b) = (viper::type_at(e, 1), viper::type_at(e, 0));
    if !viper::shuffle(e, viper::Shuffle::RotTwo) {
        e.record(Ir::RotTwo { sp });
    }
    viper::set_top(e, 1, b);
    viper::set_top(e, 0, a);
}

pub(super) fn rot_three<A: AsmFactory>(e: &mut E<A>) {
    let sp = e.sp();
    let (a, b, c) = (viper::type_at(e, 2), viper::type_at(e, 1), viper::type_at(e, 0));
    if !viper::shuffle(e, viper::Shuffle::RotThree) {
        e.record(Ir::RotThree { sp });
    }
    viper::set_top(e, 2, c);
    viper::set_top(e, 1, a);
    viper::set_top(e, 0, b);
}

pub(super) fn cond_jump<A: AsmFactory>(e: &mut E<A>, cond: bool, pop: bool, label: Label) {
    if !pop {
        e.saved_vtype = viper::type_at(e, 0);
    }
    if e.is_viper() && viper::cond_jump(e, cond, pop, label) {
        return;
    }
    let sp = e.sp();
    e.record(Ir::CondJump { cond, pop, label, sp });
    e.adjust(-1);
}

pub(super) fn unwind_jump<A: AsmFactory>(e: &mut E<A>, label: Label, except_depth: u32, break_from_for: bool) {
    if except_depth == 0 {
        if break_from_for {
            e.adjust(-4);
            e.record(Ir::Jump { label });
            e.adjust(4);
        } else {
            e.record(Ir::Jump { label });
        }
    } else {
        let extra = (if break_from_for { 0x80 } else { 0 }) | (except_depth.min(0x7F) as u8);
        e.op_extra(op::UNWIND_JUMP, extra, Arg::Label(label), 0);
    }
    e.suppress = true;
}

pub(super) fn setup_block<A: AsmFactory>(e: &mut E<A>, label: Label, kind: BlockKind) {
    viper::box_top(e, if kind == BlockKind::With { 1 } else { 0 });
    e.blocks.push(kind);
    e.max_blocks = e.max_blocks.max(e.blocks.len() as u32);
    match kind {
        BlockKind::With => {
            e.finally_labels.push(label);
            e.op(op::SETUP_WITH, Arg::Label(label), 2);
        }
        BlockKind::Except => {
            // The handler finds the exception where the compiler's model has
            // it: 3 slots above the block's depth (start_except_handler adds 4).
            let sp = e.sp() + 3;
            e.record(Ir::Op { opcode: op::SETUP_EXCEPT, extra: 0, sp, arg: Arg::Label(label) });
        }
        BlockKind::Finally => {
            e.finally_labels.push(label);
            e.op(op::SETUP_FINALLY, Arg::Label(label), 0);
        }
    }
}

pub(super) fn with_cleanup<A: AsmFactory>(e: &mut E<A>, label: Label) {
    load_const_tok(e, ConstTok::None);
    viper::box_top(e, 1);
    e.label_assign_inner(label);
    e.op_extra(op::WITH_CLEANUP, 1, Arg::None, WITH_CLEANUP_DELTA);
}

/// The `async with` exit. Its `__aexit__` call is reached with three stack
/// layouts: `(ctx)` on normal exit, `(ctx, exc)` for an exception and
/// `(ctx, X, marker)` for an unwinding return or jump. The normal path is
/// padded to the third layout (a `None` under the `None` that END_FINALLY
/// sees), and the handler tells the exception case from the unwind case by
/// the marker above the compiler's top (static stack positions need one
/// layout per label).
pub(super) fn async_with_setup_finally<A: AsmFactory>(
    e: &mut E<A>,
    aexit_no_exc: Label,
    finally_block: Label,
    ret: Label,
) {
    push_word(e, obj_word::NONE);
    rot_two(e);
    load_const_tok(e, ConstTok::None);
    rot_two(e);
    e.record(Ir::Jump { label: aexit_no_exc });
    e.adjust(-1);
    e.suppress = true;
    e.label_assign_inner(finally_block);
    let sp = e.sp();
    e.record(Ir::JumpIfMarker { sp, label: ret });
}

pub(super) fn end_finally<A: AsmFactory>(e: &mut E<A>) {
    let kind = e.blocks.pop();
    viper::box_top(e, 1);
    // extra = 1: the block was a finally/with, whose handler may carry an unwind marker.
    let extra = u8::from(matches!(kind, Some(BlockKind::Finally) | Some(BlockKind::With)));
    e.op_extra(op::END_FINALLY, extra, Arg::None, -1);
}

pub(super) fn get_iter<A: AsmFactory>(e: &mut E<A>, use_stack: bool) {
    viper::require_objects(e, 1, "iterate");
    if use_stack {
        e.op(op::GET_ITER_STACK, Arg::None, 3);
    } else {
        e.op(op::GET_ITER, Arg::None, 0);
    }
}

pub(super) fn for_iter<A: AsmFactory>(e: &mut E<A>, label: Label) {
    e.op(op::FOR_ITER, Arg::Label(label), 1);
}

pub(super) fn pop_except_jump<A: AsmFactory>(e: &mut E<A>, label: Label) {
    // The compiler closes every block with `end_finally` (this only leaves the
    // handler), so the block stack is not popped here.
    e.op(op::POP_EXCEPT_JUMP, Arg::Label(label), 0);
    e.suppress = true;
}

pub(super) fn unary_op<A: AsmFactory>(e: &mut E<A>, unary: u8) {
    if e.is_viper() && viper::unary_op(e, unary) {
        return;
    }
    e.op(op::UNARY_OP_MULTI + unary, Arg::None, 0);
}

pub(super) fn binary_op<A: AsmFactory>(e: &mut E<A>, binary: BinaryOp) {
    let (n, invert) = match binary {
        BinaryOp::Op(n) => (n, false),
        BinaryOp::NotIn => (op::binary::IN, true),
        BinaryOp::IsNot => (op::binary::IS, true),
    };
    if e.is_viper() && viper::binary_op(e, n, invert) {
        return;
    }
    let sp = e.sp();
    e.record(Ir::Binary { op: n, sp });
    e.adjust(-1);
    if invert {
        e.op(op::UNARY_OP_MULTI + op::unary::NOT, Arg::None, 0);
    }
}

pub(super) fn build<A: AsmFactory>(e: &mut E<A>, n: u32, kind: BuildKind) {
    let (b, delta, boxed) = match kind {
        BuildKind::Tuple => (op::BUILD_TUPLE, 1 - n as i32, n),
        BuildKind::List => (op::BUILD_LIST, 1 - n as i32, n),
        BuildKind::Map => (op::BUILD_MAP, 1, 0),
        BuildKind::Set => (op::BUILD_SET, 1 - n as i32, n),
        BuildKind::Slice => (op::BUILD_SLICE, 1 - n as i32, n),
    };
    viper::box_top(e, boxed);
    e.op(b, Arg::Uint(n as usize), delta);
}

pub(super) fn store_map<A: AsmFactory>(e: &mut E<A>) {
    viper::box_top(e, 2);
    e.op(op::STORE_MAP, Arg::None, -2);
}

pub(super) fn store_comp<A: AsmFactory>(e: &mut E<A>, kind: ScopeKind, index: u32) {
    let (n, t) = match kind {
        ScopeKind::ListComp => (0, op::STORE_COMP_LIST),
        ScopeKind::DictComp => (1, op::STORE_COMP_DICT),
        _ => (0, op::STORE_COMP_SET),
    };
    viper::box_top(e, 1 + n);
    let arg = (((index + n) as usize) << 2) | t as usize;
    e.op(op::STORE_COMP, Arg::Uint(arg), -1 - n as i32);
}

pub(super) fn unpack_sequence<A: AsmFactory>(e: &mut E<A>, n: u32) {
    viper::require_objects(e, 1, "unpack");
    e.op(op::UNPACK_SEQUENCE, Arg::Uint(n as usize), n as i32 - 1);
}

pub(super) fn unpack_ex<A: AsmFactory>(e: &mut E<A>, n_left: u32, n_right: u32) {
    viper::require_objects(e, 1, "unpack");
    e.op(op::UNPACK_EX, Arg::Uint((n_left | (n_right << 8)) as usize), (n_left + n_right) as i32);
}

fn add_child<A: AsmFactory>(e: &mut E<A>, child: RawCode) -> u32 {
    e.children.push(child);
    (e.children.len() - 1) as u32
}

pub(super) fn make_function<A: AsmFactory>(e: &mut E<A>, child: RawCode, n_pos: u32, n_kw: u32) {
    let idx = add_child(e, child);
    if n_pos == 0 && n_kw == 0 {
        e.op(op::MAKE_FUNCTION, Arg::Child(idx), 1);
    } else {
        e.op(op::MAKE_FUNCTION_DEFARGS, Arg::Child(idx), -1);
    }
}

pub(super) fn make_closure<A: AsmFactory>(e: &mut E<A>, child: RawCode, n_closed: u32, n_pos: u32, n_kw: u32) {
    let idx = add_child(e, child);
    let n = n_closed.min(255);
    if n_pos == 0 && n_kw == 0 {
        e.op_extra(op::MAKE_CLOSURE, n as u8, Arg::Child(idx), 1 - n as i32);
    } else {
        e.op_extra(op::MAKE_CLOSURE_DEFARGS, n as u8, Arg::Child(idx), -1 - n as i32);
    }
}

pub(super) fn call<A: AsmFactory>(e: &mut E<A>, method: bool, n_pos: u32, n_kw: u32, star: u8) {
    let n_args = n_pos + 2 * n_kw + u32::from(star != 0);
    if e.is_viper() && !method && star == 0 && n_kw == 0 && viper::call_cast(e, n_pos) {
        return;
    }
    viper::box_top(e, n_args);
    let arg = ((n_kw << 8) | n_pos) as usize;
    let base = if method { op::CALL_METHOD } else { op::CALL_FUNCTION };
    let b = if star != 0 { base + 1 } else { base };
    let delta = -(n_args as i32) - i32::from(method);
    e.op(b, Arg::Uint(arg), delta);
}

pub(super) fn return_value<A: AsmFactory>(e: &mut E<A>) {
    if e.is_viper() {
        viper::return_conversion(e);
    }
    if e.in_finally() {
        e.op(op::RETURN_VALUE, Arg::None, -1);
    } else {
        let sp = e.sp();
        e.record(Ir::Return { sp });
        e.adjust(-1);
    }
    e.suppress = true;
}

pub(super) fn raise_varargs<A: AsmFactory>(e: &mut E<A>, n_args: u32) {
    let n = n_args.min(2);
    if e.is_viper() {
        // MicroPython's viper supports only `raise obj` (native code here runs
        // bare `raise` and `raise ... from ...` too).
        if n != 1 {
            e.refuse("native raise");
        } else if !matches!(viper::type_at(e, 0), VType::Object | VType::NoneConst) {
            e.fail(ErrorKind::ViperTypeError, String::from("must raise an object"));
        }
    }
    e.op(op::RAISE_LAST + n as u8, Arg::None, -(n as i32));
    e.suppress = true;
}

pub(super) fn yield_<A: AsmFactory>(e: &mut E<A>, kind: YieldKind) {
    if e.is_viper() {
        e.refuse("native yield");
    }
    e.generator = true;
    match kind {
        YieldKind::Value => e.op(op::YIELD_VALUE, Arg::None, 0),
        YieldKind::From => e.op(op::YIELD_FROM, Arg::None, -1),
    }
}

pub(super) fn promote_names_to_global<A: AsmFactory>(e: &mut E<A>, names: &[String]) {
    for ins in e.ir.iter_mut() {
        if let Ir::Op { opcode, arg: Arg::Qstr(s), .. } = ins {
            if names.iter().any(|n| n == s) {
                *opcode = match *opcode {
                    op::LOAD_NAME => op::LOAD_GLOBAL,
                    op::STORE_NAME => op::STORE_GLOBAL,
                    op::DELETE_NAME => op::DELETE_GLOBAL,
                    other => other,
                };
            }
        }
    }
}

impl<A: AsmFactory> E<A> {
    /// `label_assign` as the compiler would call it (used by composite operations).
    fn label_assign_inner(&mut self, label: Label) {
        ferropy_frontend::emit::Emit::label_assign(self, label);
    }
}
