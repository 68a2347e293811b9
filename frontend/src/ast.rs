//! The abstract syntax tree: what the parser builds and the compiler walks.
//!
//! Every statement and expression carries the position of its first token; the
//! compiler uses the line for the line-number table and the whole position for
//! compile-time errors. The tree keeps source order everywhere (call arguments,
//! dict items, decorators) because evaluation order follows it.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

pub use crate::token::{Number, Pos};

/// An identifier.
pub type Ident = alloc::rc::Rc<str>;

/// A whole module (file input), or the body given to `exec`.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// The statements in order.
    pub body: Vec<Stmt>,
}

/// A statement and the position of its first token.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// Where the statement starts.
    pub pos: Pos,
    /// What the statement is.
    pub kind: StmtKind,
}

/// The kinds of statement.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// An expression evaluated for its effect (including a bare string: a docstring).
    Expr(Expr),
    /// `t1 = t2 = value`: targets in source order, leftmost first.
    Assign {
        /// Assignment targets (names, attributes, subscripts, tuples/lists of them, starred).
        targets: Vec<Expr>,
        /// The value assigned.
        value: Expr,
    },
    /// `target op= value`.
    AugAssign {
        /// Name, attribute or subscript.
        target: Expr,
        /// The operator (the in-place variant is chosen by the compiler).
        op: BinOp,
        /// The right-hand side.
        value: Expr,
    },
    /// `target: annotation [= value]`.
    AnnAssign {
        /// The annotated target.
        target: Expr,
        /// The annotation expression (MicroPython does not evaluate it).
        annotation: Expr,
        /// The value, if any.
        value: Option<Expr>,
    },
    /// `pass`
    Pass,
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// `del a, b.c, d[e]`
    Delete(Vec<Expr>),
    /// `return [value]`
    Return(Option<Expr>),
    /// `raise [exc [from cause]]`
    Raise {
        /// The exception (None for a bare `raise`).
        exc: Option<Expr>,
        /// The `from` clause.
        cause: Option<Expr>,
    },
    /// `global a, b`
    Global(Vec<Ident>),
    /// `nonlocal a, b`
    Nonlocal(Vec<Ident>),
    /// `assert test[, msg]`
    Assert {
        /// The condition.
        test: Expr,
        /// The message expression.
        msg: Option<Expr>,
    },
    /// `import a.b.c [as d], e`
    Import(Vec<Alias>),
    /// `from [.]*module import names` / `from module import *`.
    ImportFrom {
        /// The dotted module name after the dots (None for `from . import x`).
        module: Option<Ident>,
        /// The imported names; `None` means `import *`.
        names: Option<Vec<Alias>>,
        /// The number of leading dots.
        level: u32,
    },
    /// `if`/`elif` chain with an optional `else`.
    If {
        /// The `if` branch first, then each `elif` in order.
        branches: Vec<IfBranch>,
        /// The `else` block (empty when absent).
        orelse: Vec<Stmt>,
    },
    /// `while test: body else: orelse`
    While {
        /// The loop condition.
        test: Expr,
        /// The loop body.
        body: Vec<Stmt>,
        /// The `else` block (empty when absent).
        orelse: Vec<Stmt>,
    },
    /// `[async] for target in iter: body else: orelse`
    For {
        /// `async for`.
        is_async: bool,
        /// The loop target.
        target: Expr,
        /// The iterated expression.
        iter: Expr,
        /// The loop body.
        body: Vec<Stmt>,
        /// The `else` block (empty when absent).
        orelse: Vec<Stmt>,
    },
    /// `[async] with a as b, c: body`
    With {
        /// `async with`.
        is_async: bool,
        /// The context managers in order.
        items: Vec<WithItem>,
        /// The body.
        body: Vec<Stmt>,
    },
    /// `try` with handlers, `else` and/or `finally`.
    Try {
        /// The protected block.
        body: Vec<Stmt>,
        /// The `except` clauses in order.
        handlers: Vec<ExceptHandler>,
        /// The `else` block (empty when absent).
        orelse: Vec<Stmt>,
        /// The `finally` block; `None` when there is no `finally` clause.
        finalbody: Option<Vec<Stmt>>,
    },
    /// `def` / `async def`, with its decorators.
    FunctionDef(Box<FunctionDef>),
    /// `class`, with its decorators.
    ClassDef(Box<ClassDef>),
}

/// One `if` or `elif` test with its block.
#[derive(Clone, Debug, PartialEq)]
pub struct IfBranch {
    /// Position of the `if`/`elif` keyword.
    pub pos: Pos,
    /// The condition.
    pub test: Expr,
    /// The block run when the condition holds.
    pub body: Vec<Stmt>,
}

/// `name [as asname]` in an import statement. For `import a.b.c`, `name` is `"a.b.c"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    /// Position of the name.
    pub pos: Pos,
    /// The (possibly dotted) name.
    pub name: Ident,
    /// The `as` name.
    pub asname: Option<Ident>,
}

/// One context manager of a `with` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct WithItem {
    /// The context manager expression.
    pub context: Expr,
    /// The `as` target.
    pub target: Option<Expr>,
}

/// One `except` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct ExceptHandler {
    /// Position of the `except` keyword.
    pub pos: Pos,
    /// The exception type expression (None for a bare `except:`).
    pub typ: Option<Expr>,
    /// The `as` name.
    pub name: Option<Ident>,
    /// The handler block.
    pub body: Vec<Stmt>,
}

/// A function definition.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    /// Position of the `def` keyword (or of `async`).
    pub pos: Pos,
    /// `async def`.
    pub is_async: bool,
    /// Decorators, outermost (first written) first.
    pub decorators: Vec<Expr>,
    /// The function's name.
    pub name: Ident,
    /// The parameter list.
    pub params: Parameters,
    /// The `-> annotation` (used by viper for the return type).
    pub returns: Option<Expr>,
    /// The body.
    pub body: Vec<Stmt>,
}

/// A class definition.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    /// Position of the `class` keyword.
    pub pos: Pos,
    /// Decorators, outermost (first written) first.
    pub decorators: Vec<Expr>,
    /// The class name.
    pub name: Ident,
    /// Base classes and keywords (e.g. `metaclass=`), as call arguments in source order.
    pub args: Vec<Arg>,
    /// The class body.
    pub body: Vec<Stmt>,
}

/// A formal parameter list (for `def` and `lambda`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parameters {
    /// Positional-or-keyword parameters in order.
    pub args: Vec<Param>,
    /// `*args` (None when absent, also for a bare `*`).
    pub vararg: Option<Param>,
    /// True when a bare `*` or `*args` is present (keyword-only parameters may follow).
    pub has_star: bool,
    /// Keyword-only parameters in order.
    pub kwonlyargs: Vec<Param>,
    /// `**kwargs`.
    pub kwarg: Option<Param>,
}

/// One formal parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Position of the parameter name.
    pub pos: Pos,
    /// The parameter name.
    pub name: Ident,
    /// The annotation (`x: int`); viper reads it as the parameter's type.
    pub annotation: Option<Expr>,
    /// The default value.
    pub default: Option<Expr>,
}

/// One comprehension clause: `for target in iter if cond1 if cond2`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    /// `async for`.
    pub is_async: bool,
    /// The loop target.
    pub target: Expr,
    /// The iterated expression.
    pub iter: Expr,
    /// The `if` filters in order.
    pub ifs: Vec<Expr>,
}

/// An argument in a call (or in a class's base list), in source order.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A plain positional argument.
    Positional(Expr),
    /// `*iterable`.
    Star(Expr),
    /// `name=value`.
    Keyword(Ident, Expr),
    /// `**mapping`.
    DoubleStar(Expr),
}

/// An item of a dict display.
#[derive(Clone, Debug, PartialEq)]
pub enum DictItem {
    /// `key: value`
    Pair(Expr, Expr),
    /// `**mapping`
    Splat(Expr),
}

/// A compile-time constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `None`
    None,
    /// `True`
    True,
    /// `False`
    False,
    /// `...`
    Ellipsis,
    /// A number (integers, floats, imaginary).
    Number(Number),
    /// A string (adjacent literals already joined).
    Str(String),
    /// A bytes literal (adjacent literals already joined).
    Bytes(Vec<u8>),
}

/// An expression and the position of its first token.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// Where the expression starts.
    pub pos: Pos,
    /// What the expression is.
    pub kind: ExprKind,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A name.
    Name(Ident),
    /// A literal constant.
    Constant(Constant),
    /// `__debug__`: True unless optimising (the compiler folds it).
    DebugFlag,
    /// `left op right`.
    BinOp {
        /// Left operand.
        left: Box<Expr>,
        /// Operator.
        op: BinOp,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `op operand`.
    UnaryOp {
        /// Operator.
        op: UnaryOp,
        /// Operand.
        operand: Box<Expr>,
    },
    /// `a and b and c` / `a or b or c` (flattened).
    BoolOp {
        /// `and` or `or`.
        op: BoolOp,
        /// Two or more operands.
        values: Vec<Expr>,
    },
    /// `a < b <= c` (chained).
    Compare {
        /// First operand.
        left: Box<Expr>,
        /// Operators and the operands to their right, in order.
        ops: Vec<(CmpOp, Expr)>,
    },
    /// `body if test else orelse`.
    IfExp {
        /// Condition.
        test: Box<Expr>,
        /// Value when true.
        body: Box<Expr>,
        /// Value when false.
        orelse: Box<Expr>,
    },
    /// `lambda params: body`.
    Lambda {
        /// Parameters (never annotated).
        params: Box<Parameters>,
        /// The body expression.
        body: Box<Expr>,
    },
    /// `name := value`.
    NamedExpr {
        /// The target name.
        target: Ident,
        /// The value.
        value: Box<Expr>,
    },
    /// `value.attr`.
    Attribute {
        /// The object.
        value: Box<Expr>,
        /// The attribute name.
        attr: Ident,
    },
    /// `value[index]`; `index` may be a `Slice` or a `Tuple` containing slices.
    Subscript {
        /// The object.
        value: Box<Expr>,
        /// The index expression.
        index: Box<Expr>,
    },
    /// `lower:upper[:step]`, only valid inside a subscript.
    Slice {
        /// Start.
        lower: Option<Box<Expr>>,
        /// Stop.
        upper: Option<Box<Expr>>,
        /// Step (`None` when no second colon or nothing after it).
        step: Option<Box<Expr>>,
    },
    /// `func(args)`.
    Call {
        /// The called expression.
        func: Box<Expr>,
        /// Arguments in source order.
        args: Vec<Arg>,
    },
    /// A tuple display (parenthesised or bare).
    Tuple(Vec<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{a, b}`.
    Set(Vec<Expr>),
    /// `{k: v, **m}`.
    Dict(Vec<DictItem>),
    /// `*value` in an assignment target or a display.
    Starred(Box<Expr>),
    /// `[elt for ...]`.
    ListComp {
        /// Element.
        elt: Box<Expr>,
        /// Clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `{elt for ...}`.
    SetComp {
        /// Element.
        elt: Box<Expr>,
        /// Clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `(elt for ...)`.
    GeneratorExp {
        /// Element.
        elt: Box<Expr>,
        /// Clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `{key: value for ...}`.
    DictComp {
        /// Key.
        key: Box<Expr>,
        /// Value.
        value: Box<Expr>,
        /// Clauses, outermost first.
        generators: Vec<Comprehension>,
    },
    /// `yield [value]`.
    Yield(Option<Box<Expr>>),
    /// `yield from value`.
    YieldFrom(Box<Expr>),
    /// `await value`.
    Await(Box<Expr>),
}

/// Binary operators (also used by augmented assignment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `&`
    BitAnd,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mult,
    /// `@`
    MatMult,
    /// `//`
    FloorDiv,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `**`
    Pow,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `+x`
    Pos,
    /// `-x`
    Neg,
    /// `~x`
    Invert,
    /// `not x`
    Not,
}

/// Boolean operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoolOp {
    /// `and`
    And,
    /// `or`
    Or,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `==`
    Eq,
    /// `<=`
    LtE,
    /// `>=`
    GtE,
    /// `!=`
    NotEq,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `is`
    Is,
    /// `is not`
    IsNot,
}
