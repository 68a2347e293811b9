//! Built-in modules implemented in Rust (`math`, `cmath`).
//!
//! Each module is a [`BuiltinModule`]: a name, a table of functions and an
//! `init` that adds constants. Module functions are static objects with ids
//! `MODULE_FN_BASE + module index * 256 + function index`, called through
//! [`call_function`] (hooked into `builtins::call_static`).
//!
//! [`builtin_module`] builds a module on first use and caches it in the VM's
//! `sys.modules` dict; the VM's `IMPORT_NAME` calls it (a minimal hook: the full
//! import system builds on it).

pub mod cmath;
pub mod fmath;
pub mod math;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::types::NativeFn;
use crate::vm::Vm;

/// First static-object id used for built-in modules' functions.
pub const MODULE_FN_BASE: u32 = 0x0200_0000;

/// A built-in module's description.
pub struct BuiltinModule {
    /// The module's name.
    pub name: &'static str,
    /// Its functions, by name.
    pub functions: &'static [(&'static str, NativeFn)],
    /// Adds the module's other globals (constants) to its globals dict.
    pub init: fn(&mut Vm, Obj) -> PyResult<()>,
}

/// The built-in modules, by name.
pub static MODULES: [BuiltinModule; 2] = [
    BuiltinModule { name: "math", functions: &math::FUNCTIONS, init: math::init },
    BuiltinModule { name: "cmath", functions: &cmath::FUNCTIONS, init: cmath::init },
];

/// The built-in module `name` (created and cached in `sys.modules` on first
/// use), or `None` if there is no such built-in module.
pub fn builtin_module(vm: &mut Vm, name: Qstr) -> PyResult<Option<Obj>> {
    let text = vm.qstr_text(name);
    let Some(index) = MODULES.iter().position(|m| m.name == text) else { return Ok(None) };
    let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
    let modules = vm.st.modules;
    if let Some(m) = vm.dict_get(modules, key)? {
        return Ok(Some(m));
    }
    let desc = &MODULES[index];
    vm.with_temps(|vm| {
        let globals = crate::types::dict::new_dict(vm, desc.functions.len() + 8)?;
        vm.root(globals);
        let k = vm.qstr_obj("__name__")?;
        let n = vm.qstr_obj(desc.name)?;
        vm.dict_store(globals, k, n)?;
        for (i, (fname, _)) in desc.functions.iter().enumerate() {
            let k = vm.qstr_obj(fname)?;
            let id = MODULE_FN_BASE + ((index as u32) << 8) + i as u32;
            vm.dict_store(globals, k, Obj::static_object(id).unwrap_or(Obj::NONE))?;
        }
        (desc.init)(vm, globals)?;
        let m = vm.new_module(desc.name, globals)?;
        vm.root(m);
        let modules = vm.st.modules;
        vm.dict_store(modules, key, m)?;
        Ok(Some(m))
    })
}

/// Calls built-in module function `id` (`id >= MODULE_FN_BASE`).
pub fn call_function(vm: &mut Vm, id: u32, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let rel = id - MODULE_FN_BASE;
    let (module, index) = ((rel >> 8) as usize, (rel & 0xff) as usize);
    match MODULES.get(module).and_then(|m| m.functions.get(index)) {
        Some((_, f)) => f(vm, args, kw),
        None => Err(vm.type_error("bad built-in function")),
    }
}

/// Stores float constant `name = value` in a module's globals.
pub(crate) fn set_float(vm: &mut Vm, globals: Obj, name: &str, value: f64) -> PyResult<()> {
    let k = vm.qstr_obj(name)?;
    let v = vm.new_float(value)?;
    vm.root(v);
    vm.dict_store(globals, k, v)
}

/// Argument `i` as a float (TypeError if missing or not a number).
pub(crate) fn float_arg(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<f64> {
    let a = crate::builtins::arg(vm, args, i)?;
    vm.expect_float(a)
}

/// `IMPORT_NAME` of a built-in module: the module, or ImportError
/// "no module named '...'" (a minimal hook until the full import system).
pub fn import_builtin(vm: &mut Vm, name: Qstr) -> PyResult<Obj> {
    match builtin_module(vm, name)? {
        Some(m) => Ok(m),
        None => {
            let n = vm.qstr_text(name);
            let msg = alloc::format!("no module named '{n}'");
            Err(vm.new_error(crate::types::ids::IMPORT_ERROR, &msg))
        }
    }
}

/// `IMPORT_FROM`: attribute `name` of `module`, or ImportError
/// "can't import name ...".
pub fn import_from(vm: &mut Vm, module: Obj, name: Qstr) -> PyResult<Obj> {
    match vm.load_attr_opt(module, name)? {
        Some(v) => Ok(v),
        None => {
            let n = vm.qstr_text(name);
            let msg = alloc::format!("can't import name {n}");
            Err(vm.new_error(crate::types::ids::IMPORT_ERROR, &msg))
        }
    }
}
