//! Built-in modules: a static table of (name, init function). An init
//! function builds the module object (a module with a globals dict).
//!
//! Minimal registry created on the containers branch; the imports work owns
//! the full import machinery.

pub mod array;
pub mod collections;
pub mod struct_;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types;
use crate::vm::Vm;

/// Builds a module object.
pub type InitFn = fn(&mut Vm) -> PyResult<Obj>;

/// The built-in modules, by name.
pub static MODULES: [(&str, InitFn); 3] =
    [("array", array::init), ("collections", collections::init), ("struct", struct_::init)];

/// The init function of built-in module `name`.
pub fn find(name: &str) -> Option<InitFn> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// A module named `name` whose globals hold the methods of built-in type
/// `funcs` (a table of plain functions) and the `extra` (name, value) pairs.
pub fn make_module(vm: &mut Vm, name: &str, funcs: u32, extra: &[(&str, Obj)]) -> PyResult<Obj> {
    let g = types::dict::new_dict(vm, 0)?;
    vm.root(g);
    let k = vm.qstr_obj("__name__")?;
    let n = vm.qstr_obj(name)?;
    vm.dict_store(g, k, n)?;
    if let Some(d) = types::desc(funcs) {
        for (i, m) in d.methods.iter().enumerate() {
            let k = vm.qstr_obj(m.name)?;
            vm.dict_store(g, k, Vm::builtin_method_obj(funcs, i))?;
        }
    }
    for (name, v) in extra {
        let k = vm.qstr_obj(name)?;
        vm.dict_store(g, k, *v)?;
    }
    let m = vm.new_module(name, g)?;
    Ok(vm.root(m))
}
