//! `filter(function, iterable)`: `[type, function, iterator]`.

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::vm::Vm;

/// The `filter` type.
pub static FILTER_TYPE: TypeDesc = TypeDesc {
    make_new: Some(filter_make_new),
    getiter: Some(rt::self_iter),
    iternext: Some(filter_next),
    ..TypeDesc::new("filter", ids::OBJECT)
};

fn filter_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (fun, src) = match args {
        [f, s] => (*f, *s),
        _ => return Err(vm.type_error("function takes 2 positional arguments")),
    };
    let it = vm.get_iter(src)?;
    vm.root(it);
    let o = vm.alloc(3)?;
    vm.set(o, 0, super::type_obj(ids::FILTER));
    vm.set(o, 1, fun);
    vm.set(o, 2, it);
    Ok(o)
}

fn filter_next(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    let fun = vm.get(o, 1);
    let it = vm.get(o, 2);
    loop {
        let x = vm.iter_next(it)?;
        if x.is_null() {
            return Ok(Obj::STOP_ITERATION);
        }
        vm.root(x);
        let keep = if fun == Obj::NONE {
            vm.is_true(x)?
        } else {
            let r = vm.call(fun, &[x], &[])?;
            vm.is_true(r)?
        };
        if keep {
            return Ok(x);
        }
    }
}
