//! MicroPython's attrtuple: a tuple whose items can also be read as named
//! attributes (`sys.implementation`). Layout: a tuple's (`[type, length, items...]`)
//! followed by one word, the tuple of field names. It behaves as a tuple everywhere
//! (`Vm::is_tuple` accepts it) but, as in MicroPython, is no instance of `tuple` and has
//! no methods; it prints as `(name=value, ...)`.

use alloc::string::String;

use super::{ids, tuple, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::Vm;

/// The attrtuple type (named `tuple`, as in MicroPython).
pub static ATTRTUPLE_TYPE: TypeDesc = TypeDesc {
    print: Some(attrtuple_print),
    unary_op: Some(tuple::tuple_unary),
    binary_op: Some(tuple::tuple_binary),
    subscr: Some(tuple::tuple_subscr),
    getiter: Some(tuple::tuple_getiter),
    attr: Some(attrtuple_attr),
    ..TypeDesc::new("tuple", ids::OBJECT)
};

impl Vm {
    /// A new attrtuple of `items` named by `fields` (same length).
    pub fn new_attrtuple(&mut self, fields: &[&str], items: &[Obj]) -> PyResult<Obj> {
        self.with_temps(|vm| {
            let mut names = alloc::vec::Vec::with_capacity(fields.len());
            for f in fields {
                names.push(vm.qstr_obj(f)?);
            }
            let names = vm.new_tuple(&names)?;
            vm.root(names);
            let n = items.len().min(fields.len());
            let t = vm.alloc(3 + n)?;
            vm.set(t, 0, super::type_obj(ids::ATTRTUPLE));
            vm.set_u32(t, 1, n as u32);
            for (i, &o) in items.iter().take(n).enumerate() {
                vm.set(t, 2 + i, o);
            }
            vm.set(t, 2 + n, names);
            Ok(t)
        })
    }
}

/// The field names of attrtuple `t`.
fn fields(vm: &Vm, t: Obj) -> alloc::vec::Vec<Obj> {
    let n = vm.get_usize(t, 1);
    vm.tuple_items(vm.get(t, 2 + n))
}

fn attrtuple_attr(vm: &mut Vm, t: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    let key = Obj::from_qstr(name).unwrap_or(Obj::NONE);
    let items = vm.tuple_items(t);
    Ok(fields(vm, t).iter().position(|&f| f == key).and_then(|i| items.get(i).copied()))
}

fn attrtuple_print(vm: &mut Vm, t: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let items = vm.tuple_items(t);
    out.push('(');
    for (i, (&f, &v)) in fields(vm, t).iter().zip(items.iter()).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&vm.str_text(f).unwrap_or_default());
        out.push('=');
        vm.print_obj(v, out, true)?;
    }
    out.push(')');
    Ok(())
}
