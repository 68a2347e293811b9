//! Built-in functions (the `builtins` module). Each function is a static object
//! whose id indexes [`FUNCTIONS`]; built-in types' methods use ids from
//! [`METHOD_ID_BASE`] up (`base + type_id * 256 + index`). Adding a builtin is
//! one entry in [`FUNCTIONS`] and a function in one of the files here.

mod core;
mod help;
mod io;
mod num;
mod seq;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{self, ids, NativeFn};
use crate::vm::Vm;

/// First static-object id used for built-in types' methods.
pub const METHOD_ID_BASE: u32 = 0x10000;

/// The built-in functions, by name.
pub static FUNCTIONS: [(&str, NativeFn); 42] = [
    ("__build_class__", types::class::build_class),
    ("print", io::print),
    ("input", io::input),
    ("len", core::len),
    ("isinstance", core::isinstance),
    ("issubclass", core::issubclass),
    ("repr", core::repr),
    ("abs", core::abs),
    ("min", seq::min),
    ("max", seq::max),
    ("sum", seq::sum),
    ("iter", seq::iter),
    ("next", seq::next),
    ("sorted", seq::sorted),
    ("hasattr", core::hasattr),
    ("getattr", core::getattr),
    ("setattr", core::setattr),
    ("all", seq::all),
    ("any", seq::any),
    ("callable", core::callable),
    ("chr", core::chr),
    ("ord", core::ord),
    ("hash", core::hash),
    ("id", core::id),
    ("reversed", seq::reversed),
    ("divmod", num::divmod),
    ("hex", num::hex),
    ("delattr", core::delattr),
    ("globals", core::globals),
    ("locals", core::locals),
    ("pow", num::pow),
    ("bin", num::bin),
    ("oct", num::oct),
    ("round", num::round),
    ("dir", core::dir),
    ("help", help::help),
    // --- imports + system branch ---
    ("exec", crate::modules::exec::exec),
    ("eval", crate::modules::exec::eval),
    ("compile", crate::modules::exec::compile),
    ("__repl_print__", crate::modules::exec::repl_print),
    ("__import__", crate::modules::exec::import),
    ("open", crate::modules::io::open),
];

/// Built-in types exposed by name.
static TYPES: [(&str, u32); 25] = [
    ("object", ids::OBJECT),
    ("type", ids::TYPE),
    ("bool", ids::BOOL),
    ("int", ids::INT),
    ("str", ids::STR),
    ("bytes", ids::BYTES),
    ("tuple", ids::TUPLE),
    ("list", ids::LIST),
    ("dict", ids::DICT),
    ("range", ids::RANGE),
    ("enumerate", ids::ENUMERATE),
    ("zip", ids::ZIP),
    ("map", ids::MAP),
    ("super", ids::SUPER),
    ("staticmethod", ids::STATICMETHOD),
    ("classmethod", ids::CLASSMETHOD),
    ("property", ids::PROPERTY),
    ("slice", ids::SLICE),
    // numbers
    ("float", ids::FLOAT),
    ("complex", ids::COMPLEX),
    ("set", ids::SET),
    ("frozenset", ids::FROZENSET),
    ("bytearray", ids::BYTEARRAY),
    ("memoryview", ids::MEMORYVIEW),
    ("filter", ids::FILTER),
];

/// The static object for built-in function `name`.
pub fn function_obj(name: &str) -> Obj {
    let i = FUNCTIONS.iter().position(|(n, _)| *n == name).unwrap_or(0);
    Obj::static_object(i as u32).unwrap_or(Obj::NONE)
}

/// Calls static object `id` (a built-in function or method).
pub fn call_static(vm: &mut Vm, id: u32, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    if (crate::modules::FN_BASE..METHOD_ID_BASE).contains(&id) {
        return crate::modules::call(vm, id, args, kw);
    }
    if id < METHOD_ID_BASE {
        return match FUNCTIONS.get(id as usize) {
            Some((_, f)) => f(vm, args, kw),
            None => Err(vm.type_error("bad built-in function")),
        };
    }
    let rel = id - METHOD_ID_BASE;
    let (type_id, index) = (rel >> 8, (rel & 0xff) as usize);
    match types::desc(type_id).and_then(|d| d.methods.get(index)) {
        Some(m) => (m.fun)(vm, args, kw),
        None => Err(vm.type_error("bad built-in method")),
    }
}

/// Builds the builtins dict (name -> object).
pub fn make_builtins_dict(vm: &mut Vm) -> PyResult<Obj> {
    // Sized for every entry up front (a third spare), so filling it never rehashes.
    let entries = FUNCTIONS.len() + TYPES.len() + types::exception::all().count() + 3;
    let d = types::dict::new_dict(vm, entries + entries / 3)?;
    vm.with_temps(|vm| {
        vm.root(d);
        for (i, (name, _)) in FUNCTIONS.iter().enumerate() {
            let k = vm.qstr_obj(name)?;
            vm.dict_store(d, k, Obj::static_object(i as u32).unwrap_or(Obj::NONE))?;
        }
        for (name, id) in TYPES.iter() {
            let k = vm.qstr_obj(name)?;
            vm.dict_store(d, k, types::type_obj(*id))?;
        }
        for (name, id) in types::exception::all() {
            let k = vm.qstr_obj(name)?;
            vm.dict_store(d, k, types::type_obj(id))?;
        }
        let k = vm.qstr_obj("NotImplemented")?;
        vm.dict_store(d, k, Obj::NOT_IMPLEMENTED)?;
        let k = vm.qstr_obj("Ellipsis")?;
        vm.dict_store(d, k, Obj::ELLIPSIS)?;
        // The module's own name: a class body run with bare globals (`exec(src,
        // {})`) finds `__name__` here, as in MicroPython.
        let k = vm.qstr_obj("__name__")?;
        let v = vm.qstr_obj("builtins")?;
        vm.dict_store(d, k, v)?;
        Ok(d)
    })
}

/// The argument at `i` or a TypeError.
pub(crate) fn arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<Obj> {
    match args.get(i) {
        Some(&a) => Ok(a),
        None => Err(vm.type_error("function missing required positional argument")),
    }
}

/// Checks the number of positional arguments of a built-in (`self` included for
/// methods) with MicroPython's messages: `min == max` for a fixed count.
pub(crate) fn check_count(vm: &mut Vm, args: &[Obj], min: usize, max: usize) -> PyResult<()> {
    let n = args.len();
    let msg = if min == max && n != min {
        alloc::format!("function takes {min} positional arguments but {n} were given")
    } else if n < min {
        alloc::format!("function missing {} required positional arguments", min - n)
    } else if n > max {
        alloc::format!("function expected at most {max} arguments, got {n}")
    } else {
        return Ok(());
    };
    Err(vm.type_error(&msg))
}
