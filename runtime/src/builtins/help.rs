//! `help([obj])`: a short introduction, the list of built-in modules
//! (`help('modules')`), or what an object is and the names it holds (a module's
//! globals, a class's attributes), as MicroPython's `help` lays it out.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{self, ids};
use crate::vm::Vm;

/// What `help()` without an argument prints.
const INTRO: &str = "ferropy: a MicroPython-compatible Python in Rust.

help(obj) describes an object and lists the names it holds;
help('modules') lists the built-in modules.
";

/// `help([obj])`.
pub fn help(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    super::check_count(vm, args, 0, 1)?;
    let Some(&o) = args.first() else {
        vm.write_out(INTRO.as_bytes());
        return Ok(Obj::NONE);
    };
    if vm.str_text(o).as_deref() == Some("modules") {
        let text = module_list();
        vm.write_out(text.as_bytes());
        return Ok(Obj::NONE);
    }
    let mut out = String::from("object ");
    vm.print_obj(o, &mut out, false)?;
    let t = vm.type_of(o);
    out.push_str(&alloc::format!(" is of type {}\n", vm.class_name(t)));
    for (k, v) in names_of(vm, o)? {
        out.push_str("  ");
        vm.print_obj(k, &mut out, false)?;
        out.push_str(" -- ");
        vm.print_obj(v, &mut out, false)?;
        out.push('\n');
    }
    vm.write_out(out.as_bytes());
    Ok(Obj::NONE)
}

/// The (name, value) pairs `help(o)` lists: a module's globals (`__name__` first, then
/// its built-in functions in definition order), a class's attributes, or those of the
/// class of any other object.
fn names_of(vm: &mut Vm, o: Obj) -> PyResult<Vec<(Obj, Obj)>> {
    if vm.is_module(o) {
        let mut entries = vm.dict_entries(vm.get(o, 1));
        let rank = |vm: &Vm, (k, v): &(Obj, Obj)| -> (u8, u32) {
            if vm.str_text(*k).as_deref() == Some("__name__") {
                (0, 0)
            } else if let Some(id) = v.static_object_id() {
                (1, id)
            } else {
                (2, 0)
            }
        };
        entries.sort_by_key(|e| rank(vm, e));
        return Ok(entries);
    }
    let cls = if vm.is_class(o) { o } else { vm.type_of(o) };
    if vm.is_user_class(cls) {
        return Ok(vm.dict_entries(vm.get(cls, 3)));
    }
    let Some(id) = cls.builtin_type_id() else { return Ok(Vec::new()) };
    let methods = types::desc(id).map_or(&[][..], |d| d.methods);
    let mut out = Vec::with_capacity(methods.len());
    for (i, m) in methods.iter().enumerate() {
        let k = vm.qstr_obj(m.name)?;
        vm.root(k);
        let f = Vm::builtin_method_obj(id, i);
        // Class and static methods show as their wrappers, as in a Python class.
        let wrapper = match m.kind {
            types::MethodKind::Class => Some(ids::CLASSMETHOD),
            types::MethodKind::Static => Some(ids::STATICMETHOD),
            types::MethodKind::Instance => None,
        };
        let v = match wrapper {
            Some(w) => {
                let o = vm.alloc(2)?;
                vm.set(o, 0, types::type_obj(w));
                vm.set(o, 1, f);
                vm.root(o)
            }
            None => f,
        };
        out.push((k, v));
    }
    Ok(out)
}

/// The built-in module names in four columns.
fn module_list() -> String {
    let mut names: Vec<&str> = crate::modules::MODULES.iter().map(|m| m.name).collect();
    names.extend(crate::modules::CONSTRUCTED_MODULES.iter().map(|(n, _)| *n));
    names.push("__main__");
    names.sort_unstable();
    let rows = names.len().div_ceil(4);
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for c in 0..4 {
            if let Some(n) = names.get(c * rows + r) {
                line.push_str(&alloc::format!("{n:<18}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("Modules in the file system (sys.path) can be imported too.\n");
    out
}
