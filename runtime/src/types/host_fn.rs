//! Functions the embedder exposes to Python ([`crate::vm::HostFn`]).
//!
//! Layout: `[type, index into VmState::host_fns, name (qstr)]`. In a class
//! body they bind to instances like Python functions do, so an embedder can
//! build classes whose methods are Rust code.

use alloc::string::String;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::{HostFn, Vm};

/// The host function type.
pub static HOST_FUNCTION_TYPE: TypeDesc = TypeDesc {
    print: Some(host_print),
    call: Some(host_call),
    attr: Some(host_attr),
    ..TypeDesc::new("function", ids::OBJECT)
};

fn host_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let name = vm.str_text(vm.get(o, 2)).unwrap_or_default();
    out.push_str(&alloc::format!("<function {name} at 0x{:x}>", o.raw()));
    Ok(())
}

fn host_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    if vm.qstr_text(name) == "__name__" {
        return Ok(Some(vm.get(o, 2)));
    }
    Ok(None)
}

fn host_call(vm: &mut Vm, o: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let index = vm.get_usize(o, 1);
    let Some(f) = vm.st.host_fns.get(index).cloned() else {
        return Err(vm.type_error("bad host function"));
    };
    vm.check_interrupt()?;
    f(vm, args, kw)
}

impl Vm {
    /// Registers `f` and returns a Python function object named `name` that calls it.
    pub fn new_host_function(&mut self, name: &str, f: HostFn) -> PyResult<Obj> {
        let q = self.qstr_obj(name)?;
        let index = self.st.host_fns.len();
        self.st.host_fns.push(f);
        let o = match self.alloc(3) {
            Ok(o) => o,
            Err(e) => {
                self.st.host_fns.pop();
                return Err(e);
            }
        };
        self.set(o, 0, super::type_obj(ids::HOST_FUNCTION));
        self.set_u32(o, 1, index as u32);
        self.set(o, 2, q);
        Ok(o)
    }
}
