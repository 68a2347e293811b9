//! Expressions, conditions, assignment targets and call arguments.

use alloc::string::String;

use ferropy_bytecode::opcode::{binary, unary};
use ferropy_bytecode::ConstObj;

use super::fold::{self, ConstVal};
use super::stmt::fits_small;
use super::Compiler;
use crate::ast::*;
use crate::emit::*;
use crate::error::{CompileError, Result};

fn binop_number(op: BinOp) -> u8 {
    match op {
        BinOp::BitOr => binary::OR,
        BinOp::BitXor => binary::XOR,
        BinOp::BitAnd => binary::AND,
        BinOp::LShift => binary::LSHIFT,
        BinOp::RShift => binary::RSHIFT,
        BinOp::Add => binary::ADD,
        BinOp::Sub => binary::SUBTRACT,
        BinOp::Mult => binary::MULTIPLY,
        BinOp::MatMult => binary::MAT_MULTIPLY,
        BinOp::FloorDiv => binary::FLOOR_DIVIDE,
        BinOp::Div => binary::TRUE_DIVIDE,
        BinOp::Mod => binary::MODULO,
        BinOp::Pow => binary::POWER,
    }
}

fn cmp_op(op: CmpOp) -> BinaryOp {
    match op {
        CmpOp::Lt => BinaryOp::Op(binary::LESS),
        CmpOp::Gt => BinaryOp::Op(binary::MORE),
        CmpOp::Eq => BinaryOp::Op(binary::EQUAL),
        CmpOp::LtE => BinaryOp::Op(binary::LESS_EQUAL),
        CmpOp::GtE => BinaryOp::Op(binary::MORE_EQUAL),
        CmpOp::NotEq => BinaryOp::Op(binary::NOT_EQUAL),
        CmpOp::In => BinaryOp::Op(binary::IN),
        CmpOp::NotIn => BinaryOp::NotIn,
        CmpOp::Is => BinaryOp::Op(binary::IS),
        CmpOp::IsNot => BinaryOp::IsNot,
    }
}

/// Strings up to this length are always interned (MICROPY_ALLOC_PARSE_INTERN_STRING_LEN).
const INTERN_STRING_LEN: usize = 10;

fn const_obj(v: &ConstVal) -> ConstObj {
    match v {
        ConstVal::Int(i) => ConstObj::Int(alloc::format!("{i}")),
        ConstVal::BigInt(s) => ConstObj::Int(s.clone()),
        ConstVal::Float(f) => ConstObj::Float(*f),
        ConstVal::Complex(r, i) => ConstObj::Complex { real: *r, imag: *i },
        ConstVal::Str(s) => ConstObj::Str(s.clone()),
        ConstVal::Bytes(b) => ConstObj::Bytes(b.clone()),
        ConstVal::None => ConstObj::None,
        ConstVal::True => ConstObj::True,
        ConstVal::False => ConstObj::False,
        ConstVal::Ellipsis => ConstObj::Ellipsis,
        ConstVal::Tuple(items) => ConstObj::Tuple(items.iter().map(const_obj).collect()),
    }
}

impl Compiler<'_> {
    /// True when `v` is loaded as a constant object (LOAD_CONST_OBJ).
    fn is_object_const(&self, v: &ConstVal) -> bool {
        match v {
            ConstVal::Int(i) => !fits_small(*i, self.opts.small_int_bits),
            ConstVal::None | ConstVal::True | ConstVal::False | ConstVal::Ellipsis => false,
            ConstVal::Str(s) => !self.is_interned_str(s),
            _ => true,
        }
    }

    fn is_interned_str(&self, s: &str) -> bool {
        s.len() <= INTERN_STRING_LEN || self.interned.contains(s) || ferropy_bytecode::qstr::static_qstr_id(s).is_some()
    }

    /// Loads a folded constant.
    pub(crate) fn load_const(&mut self, v: &ConstVal) {
        match v {
            ConstVal::Int(i) if fits_small(*i, self.opts.small_int_bits) => self.cx.emit.load_const_small_int(*i),
            ConstVal::None => self.cx.emit.load_const_tok(ConstTok::None),
            ConstVal::True => self.cx.emit.load_const_tok(ConstTok::True),
            ConstVal::False => self.cx.emit.load_const_tok(ConstTok::False),
            ConstVal::Ellipsis => self.cx.emit.load_const_tok(ConstTok::Ellipsis),
            ConstVal::Str(s) => {
                if self.is_interned_str(s) {
                    self.cx.emit.load_const_str(s);
                } else {
                    self.cx.emit.load_const_obj(ConstObj::Str(s.clone()));
                }
            }
            other => {
                let obj = const_obj(other);
                self.cx.emit.load_const_obj(obj);
            }
        }
    }

    /// Compiles an expression, leaving its value on the stack.
    pub(crate) fn expr(&mut self, e: &Expr) -> Result<()> {
        if let Some(v) = fold::fold_expr(e, &self.consts, self.opts.opt_level) {
            // Literals and tuples that become constant objects carry their line
            // (MicroPython's const_object parse nodes); folded results do not.
            if matches!(e.kind, ExprKind::Constant(_) | ExprKind::Name(_) | ExprKind::Tuple(_))
                && self.is_object_const(&v)
            {
                self.cx.emit.set_source_line(e.pos.line);
            }
            match (&e.kind, &v) {
                // A `const()` string substituted for a name is an object in MicroPython's
                // parse tree, never a qstr.
                (ExprKind::Name(_), ConstVal::Str(s)) => self.cx.emit.load_const_obj(ConstObj::Str(s.clone())),
                _ => self.load_const(&v),
            }
            return Ok(());
        }
        if !matches!(e.kind, ExprKind::Name(_) | ExprKind::Constant(_)) {
            self.cx.emit.set_source_line(e.pos.line);
        }
        match &e.kind {
            ExprKind::Name(n) => {
                self.interned.insert(n);
                self.load_id(n);
            }
            ExprKind::Constant(_) | ExprKind::DebugFlag => {}
            ExprKind::BinOp { .. } => {
                fold::visit_binop_chain(e, &mut |op, operand| {
                    self.expr(operand)?;
                    if let Some(op) = op {
                        self.cx.emit.binary_op(BinaryOp::Op(binop_number(op)));
                    }
                    Ok(())
                })?;
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                let u = match op {
                    UnaryOp::Pos => unary::POSITIVE,
                    UnaryOp::Neg => unary::NEGATIVE,
                    UnaryOp::Invert => unary::INVERT,
                    UnaryOp::Not => unary::NOT,
                };
                self.cx.emit.unary_op(u);
            }
            ExprKind::BoolOp { op, .. } => {
                let operands = fold::bool_operands(e, &self.consts, self.opts.opt_level);
                let l_end = self.new_label();
                let n = operands.len();
                for (i, v) in operands.into_iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        self.cx.emit.jump_if_or_pop(*op == BoolOp::Or, l_end);
                    }
                }
                self.cx.emit.label_assign(l_end);
            }
            ExprKind::Compare { left, ops } => {
                self.expr(left)?;
                let multi = ops.len() > 1;
                let l_fail = if multi { self.new_label() } else { 0 };
                for (i, (op, right)) in ops.iter().enumerate() {
                    self.expr(right)?;
                    let last = i + 1 == ops.len();
                    if !last {
                        self.cx.emit.dup_top();
                        self.cx.emit.rot_three();
                    }
                    self.cx.emit.binary_op(cmp_op(*op));
                    if !last {
                        self.cx.emit.jump_if_or_pop(false, l_fail);
                    }
                }
                if multi {
                    let l_end = self.new_label();
                    self.cx.emit.jump(l_end);
                    self.cx.emit.label_assign(l_fail);
                    self.cx.emit.adjust_stack_size(1);
                    self.cx.emit.rot_two();
                    self.cx.emit.pop_top();
                    self.cx.emit.label_assign(l_end);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                let l_fail = self.new_label();
                let l_end = self.new_label();
                self.if_cond(test, false, l_fail)?;
                self.expr(body)?;
                self.cx.emit.jump(l_end);
                self.cx.emit.label_assign(l_fail);
                self.cx.emit.adjust_stack_size(-1);
                self.expr(orelse)?;
                self.cx.emit.label_assign(l_end);
            }
            ExprKind::Lambda { params, .. } => self.lambda(e, params)?,
            ExprKind::NamedExpr { target, value } => {
                self.not_a_const(target, e.pos, "can't assign to expression")?;
                self.expr(value)?;
                self.cx.emit.dup_top();
                self.store_id(target);
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                self.cx.emit.attr(attr, AccessKind::Load);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.cx.emit.subscr(AccessKind::Load);
            }
            ExprKind::Slice { lower, upper, step } => {
                self.slice(lower.as_deref(), upper.as_deref(), step.as_deref())?
            }
            ExprKind::Call { func, args } => self.call(e, func, args)?,
            ExprKind::Tuple(items) => {
                self.items(items)?;
                self.cx.emit.build(items.len() as u32, BuildKind::Tuple);
            }
            ExprKind::List(items) => {
                self.items(items)?;
                self.cx.emit.build(items.len() as u32, BuildKind::List);
            }
            ExprKind::Set(items) => {
                self.items(items)?;
                self.cx.emit.build(items.len() as u32, BuildKind::Set);
            }
            ExprKind::Dict(items) => {
                self.cx.emit.build(items.len() as u32, BuildKind::Map);
                for it in items {
                    match it {
                        DictItem::Pair(k, v) => {
                            self.expr(v)?;
                            self.expr(k)?;
                            self.cx.emit.store_map();
                        }
                        DictItem::Splat(m) => return Err(CompileError::syntax("invalid syntax", m.pos)),
                    }
                }
            }
            ExprKind::Starred(_) => return Err(CompileError::syntax("*x must be assignment target", e.pos)),
            ExprKind::ListComp { .. }
            | ExprKind::SetComp { .. }
            | ExprKind::DictComp { .. }
            | ExprKind::GeneratorExp { .. } => self.comprehension(e)?,
            ExprKind::Yield(v) => {
                self.check_yield_scope(e.pos, "'yield' outside function")?;
                match v {
                    None => self.cx.emit.load_const_tok(ConstTok::None),
                    Some(v) => self.expr(v)?,
                }
                self.cx.emit.yield_(YieldKind::Value);
                self.cx.has_yield = true;
            }
            ExprKind::YieldFrom(v) => {
                self.check_yield_scope(e.pos, "'yield' outside function")?;
                self.expr(v)?;
                self.yield_from();
            }
            ExprKind::Await(v) => {
                self.check_yield_scope(e.pos, "'await' outside function")?;
                self.expr(v)?;
                self.yield_from();
            }
        }
        Ok(())
    }

    fn check_yield_scope(&self, pos: Pos, msg: &str) -> Result<()> {
        match self.scope_kind() {
            ScopeKind::Function | ScopeKind::Lambda => Ok(()),
            _ => Err(CompileError::syntax(String::from(msg), pos)),
        }
    }

    fn items(&mut self, items: &[Expr]) -> Result<()> {
        for i in items {
            self.expr(i)?;
        }
        Ok(())
    }

    fn slice(&mut self, lower: Option<&Expr>, upper: Option<&Expr>, step: Option<&Expr>) -> Result<()> {
        match lower {
            Some(l) => self.expr(l)?,
            None => self.cx.emit.load_const_tok(ConstTok::None),
        }
        match upper {
            Some(u) => self.expr(u)?,
            None => self.cx.emit.load_const_tok(ConstTok::None),
        }
        match step {
            Some(s) => {
                self.expr(s)?;
                self.cx.emit.build(3, BuildKind::Slice);
            }
            None => self.cx.emit.build(2, BuildKind::Slice),
        }
        Ok(())
    }

    fn call(&mut self, e: &Expr, func: &Expr, args: &[Arg]) -> Result<()> {
        // super() inside a function: LOAD_SUPER_METHOD form.
        if let ExprKind::Attribute { value, attr } = &func.kind {
            if let ExprKind::Call { func: sf, args: sargs } = &value.kind {
                if sargs.is_empty()
                    && self.scope_kind() == ScopeKind::Function
                    && matches!(&sf.kind, ExprKind::Name(n) if &**n == "super")
                {
                    self.super_prefix(value.pos)?;
                    self.cx.emit.load_method(attr, true);
                    return self.call_args(args, true, 0, e.pos);
                }
            }
            self.expr(value)?;
            self.cx.emit.load_method(attr, false);
            return self.call_args(args, true, 0, e.pos);
        }
        if args.is_empty()
            && self.scope_kind() == ScopeKind::Function
            && matches!(&func.kind, ExprKind::Name(n) if &**n == "super")
        {
            self.super_prefix(e.pos)?;
            self.cx.emit.call_function(2, 0, 0);
            return Ok(());
        }
        self.expr(func)?;
        self.call_args(args, false, 0, e.pos)
    }

    fn super_prefix(&mut self, pos: Pos) -> Result<()> {
        self.load_id("super");
        self.load_id("__class__");
        let first = self
            .arena
            .scopes
            .get(self.cx.scope)
            .and_then(|s| s.ids.iter().find(|i| i.flags & crate::scope::FLAG_PARAM != 0))
            .map(|i| i.name.clone());
        match first {
            Some(p) => {
                self.load_id(&p);
                Ok(())
            }
            None => Err(CompileError::syntax("super() can't find self", pos)),
        }
    }

    /// Compiles call arguments and the call (MicroPython's `compile_trailer_paren_helper`).
    pub(crate) fn call_args(
        &mut self,
        args: &[Arg],
        is_method: bool,
        n_positional_extra: u32,
        _pos: Pos,
    ) -> Result<()> {
        let mut n_positional = n_positional_extra;
        let mut n_keyword = 0u32;
        let mut star_flags = 0u8;
        let mut star_args: u64 = 0;
        for (i, a) in args.iter().enumerate() {
            match a {
                Arg::Star(e) => {
                    if star_flags & star_flag::DOUBLE != 0 {
                        return Err(CompileError::syntax("* arg after **", e.pos));
                    }
                    if n_keyword > 0 {
                        return Err(CompileError::syntax("* arg after kwarg", e.pos));
                    }
                    if i + 1 >= usize::from(self.opts.small_int_bits) || i >= 63 {
                        return Err(CompileError::syntax("too many args", e.pos));
                    }
                    star_flags |= star_flag::SINGLE;
                    star_args |= 1u64 << i;
                    self.expr(e)?;
                    n_positional += 1;
                }
                Arg::DoubleStar(e) => {
                    star_flags |= star_flag::DOUBLE;
                    self.cx.emit.load_null();
                    self.expr(e)?;
                    n_keyword += 1;
                }
                Arg::Keyword(name, e) => {
                    self.cx.emit.load_const_str(name);
                    self.expr(e)?;
                    n_keyword += 1;
                }
                Arg::Positional(e) => {
                    if star_flags & star_flag::DOUBLE != 0 {
                        return Err(CompileError::syntax("positional arg after **", e.pos));
                    }
                    if n_keyword > 0 {
                        return Err(CompileError::syntax("positional arg after keyword arg", e.pos));
                    }
                    self.expr(e)?;
                    n_positional += 1;
                }
            }
        }
        if star_flags != 0 {
            self.cx.emit.load_const_small_int(star_args as i64);
        }
        if is_method {
            self.cx.emit.call_method(n_positional, n_keyword, star_flags);
        } else {
            self.cx.emit.call_function(n_positional, n_keyword, star_flags);
        }
        Ok(())
    }

    /// Compiles a condition that jumps to `label` when its truth equals `jump_if`.
    pub(crate) fn if_cond(&mut self, e: &Expr, jump_if: bool, label: Label) -> Result<()> {
        if let Some(t) = fold::truth(e, &self.consts, self.opts.opt_level) {
            if t == jump_if {
                self.cx.emit.jump(label);
            }
            return Ok(());
        }
        match &e.kind {
            ExprKind::BoolOp { op, .. } => {
                let operands = fold::bool_operands(e, &self.consts, self.opts.opt_level);
                let is_or = *op == BoolOp::Or;
                if is_or != jump_if {
                    // Short-circuit to a local label on the opposite outcome.
                    let label2 = self.new_label();
                    let n = operands.len();
                    for (i, v) in operands.into_iter().enumerate() {
                        if i + 1 < n {
                            self.if_cond(v, !jump_if, label2)?;
                        } else {
                            self.if_cond(v, jump_if, label)?;
                        }
                    }
                    self.cx.emit.label_assign(label2);
                } else {
                    for v in operands {
                        self.if_cond(v, jump_if, label)?;
                    }
                }
                Ok(())
            }
            ExprKind::UnaryOp { op: UnaryOp::Not, operand } => self.if_cond(operand, !jump_if, label),
            _ => {
                self.expr(e)?;
                self.cx.emit.pop_jump_if(jump_if, label);
                Ok(())
            }
        }
    }

    /// `targets = value` (chained targets and the 2/3-tuple swap form).
    pub(crate) fn assign_stmt(&mut self, targets: &[Expr], value: &Expr) -> Result<()> {
        if let Some(is_private) = fold::const_assign(targets, value) {
            if is_private {
                return Ok(());
            }
            let name = match targets.first().map(|t| &t.kind) {
                Some(ExprKind::Name(n)) => n.clone(),
                _ => Ident::from(""),
            };
            if let Some(v) = self.consts.get(&*name).cloned() {
                self.load_const(&v);
                self.store_id(&name);
                return Ok(());
            }
        }
        if let Some((lhs, rhs)) = fold::double_tuple_parts(targets, value, &self.consts, self.opts.opt_level) {
            for r in rhs {
                self.expr(r)?;
            }
            if rhs.len() == 3 {
                self.cx.emit.rot_three();
            }
            self.cx.emit.rot_two();
            for t in lhs {
                self.assign(t)?;
            }
            return Ok(());
        }
        self.expr(value)?;
        let n = targets.len();
        for (i, t) in targets.iter().enumerate() {
            if i + 1 < n {
                self.cx.emit.dup_top();
            }
            self.assign(t)?;
        }
        Ok(())
    }

    /// Stores the value on the stack into target `t`.
    pub(crate) fn assign(&mut self, t: &Expr) -> Result<()> {
        match &t.kind {
            ExprKind::Name(n) => {
                self.not_a_const(n, t.pos, "can't assign to expression")?;
                self.store_id(n);
                Ok(())
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                self.cx.emit.attr(attr, AccessKind::Store);
                Ok(())
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.cx.emit.subscr(AccessKind::Store);
                Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => self.assign_tuple(items),
            _ => Err(CompileError::syntax("can't assign to expression", t.pos)),
        }
    }

    fn assign_tuple(&mut self, items: &[Expr]) -> Result<()> {
        let mut star: Option<usize> = None;
        for (i, it) in items.iter().enumerate() {
            if matches!(it.kind, ExprKind::Starred(_)) {
                if star.is_some() {
                    return Err(CompileError::syntax("multiple *x in assignment", it.pos));
                }
                self.cx.emit.unpack_ex(i as u32, (items.len() - i - 1) as u32);
                star = Some(i);
            }
        }
        if star.is_none() {
            self.cx.emit.unpack_sequence(items.len() as u32);
        }
        for it in items {
            match &it.kind {
                ExprKind::Starred(inner) => self.assign(inner)?,
                _ => self.assign(it)?,
            }
        }
        Ok(())
    }

    /// `target op= value`.
    pub(crate) fn aug_assign(&mut self, target: &Expr, op: BinOp, value: &Expr) -> Result<()> {
        let inplace = binop_number(op) - binary::INPLACE_TO_PLAIN;
        match &target.kind {
            ExprKind::Name(n) => {
                self.not_a_const(n, target.pos, "can't assign to expression")?;
                self.load_id(n);
                self.expr(value)?;
                self.cx.emit.binary_op(BinaryOp::Op(inplace));
                self.store_id(n);
            }
            ExprKind::Attribute { value: obj, attr } => {
                self.expr(obj)?;
                self.cx.emit.dup_top();
                self.cx.emit.attr(attr, AccessKind::Load);
                self.expr(value)?;
                self.cx.emit.binary_op(BinaryOp::Op(inplace));
                self.cx.emit.rot_two();
                self.cx.emit.attr(attr, AccessKind::Store);
            }
            ExprKind::Subscript { value: obj, index } => {
                self.expr(obj)?;
                self.expr(index)?;
                self.cx.emit.dup_top_two();
                self.cx.emit.subscr(AccessKind::Load);
                self.expr(value)?;
                self.cx.emit.binary_op(BinaryOp::Op(inplace));
                self.cx.emit.rot_three();
                self.cx.emit.subscr(AccessKind::Store);
            }
            _ => return Err(CompileError::syntax("can't assign to expression", target.pos)),
        }
        Ok(())
    }

    /// `del t`.
    pub(crate) fn delete(&mut self, t: &Expr) -> Result<()> {
        match &t.kind {
            ExprKind::Name(n) => {
                self.not_a_const(n, t.pos, "can't delete expression")?;
                self.delete_id(n);
            }
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                self.cx.emit.attr(attr, AccessKind::Delete);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.cx.emit.subscr(AccessKind::Delete);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.delete(i)?;
                }
            }
            _ => return Err(CompileError::syntax("can't delete expression", t.pos)),
        }
        Ok(())
    }
}
