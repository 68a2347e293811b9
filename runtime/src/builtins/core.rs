//! Object built-ins: `len`, `isinstance`, `repr`, `getattr`, `hash`, ...

use super::arg;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::rt;
use crate::types::ids;
use crate::vm::Vm;

pub fn len(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    if let Some(n) = crate::types::stored_len(&vm.heap.words, o) {
        return match i32::try_from(n).ok().and_then(Obj::from_small_int) {
            Some(small) => Ok(small),
            None => vm.new_int(n as i64),
        };
    }
    vm.unary_op(rt::UNARY_LEN, o)
}

fn class_check(vm: &mut Vm, cls: Obj) -> PyResult<()> {
    if vm.is_class(cls) || vm.is_tuple(cls) {
        Ok(())
    } else {
        Err(vm.type_error("issubclass() arg 2 must be a class or a tuple of classes"))
    }
}

fn any_subclass(vm: &Vm, t: Obj, cls: Obj) -> bool {
    if vm.is_tuple(cls) {
        vm.tuple_items(cls).into_iter().any(|c| vm.is_subclass(t, c))
    } else {
        vm.is_subclass(t, cls)
    }
}

pub fn isinstance(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (o, cls) = (arg(vm, args, 0)?, arg(vm, args, 1)?);
    class_check(vm, cls)?;
    let t = vm.type_of(o);
    Ok(Obj::from_bool(any_subclass(vm, t, cls)))
}

pub fn issubclass(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (c, cls) = (arg(vm, args, 0)?, arg(vm, args, 1)?);
    if !vm.is_class(c) {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    }
    class_check(vm, cls)?;
    Ok(Obj::from_bool(any_subclass(vm, c, cls)))
}

pub fn repr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let s = vm.to_repr(o)?;
    vm.new_str(&s)
}

pub fn abs(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    vm.unary_op(rt::UNARY_ABS, o)
}

fn attr_name(vm: &mut Vm, o: Obj) -> PyResult<crate::qstr::Qstr> {
    let s = vm.expect_str(o)?;
    vm.intern(&s)
}

pub fn hasattr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let n = arg(vm, args, 1)?;
    let q = attr_name(vm, n)?;
    match vm.load_attr_opt(o, q) {
        Ok(v) => Ok(Obj::from_bool(v.is_some())),
        Err(e) if vm.exception_matches(e.0, ids::ATTRIBUTE_ERROR) => Ok(Obj::FALSE),
        Err(e) => Err(e),
    }
}

pub fn getattr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let n = arg(vm, args, 1)?;
    let q = attr_name(vm, n)?;
    match (vm.load_attr(o, q), args.get(2)) {
        (Ok(v), _) => Ok(v),
        (Err(e), Some(&d)) if vm.exception_matches(e.0, ids::ATTRIBUTE_ERROR) => Ok(d),
        (Err(e), _) => Err(e),
    }
}

pub fn setattr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let n = arg(vm, args, 1)?;
    let v = arg(vm, args, 2)?;
    let q = attr_name(vm, n)?;
    vm.store_attr(o, q, v)?;
    Ok(Obj::NONE)
}

pub fn delattr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let n = arg(vm, args, 1)?;
    let q = attr_name(vm, n)?;
    vm.store_attr(o, q, Obj::NULL)?;
    Ok(Obj::NONE)
}

pub fn callable(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let t = vm.type_of(o);
    let yes = o.static_object_id().is_some()
        || vm.is_class(o)
        || t == crate::types::type_obj(ids::FUNCTION)
        || t == crate::types::type_obj(ids::BOUND_METHOD)
        || (vm.is_user_class(t) && {
            let q = vm.intern("__call__")?;
            vm.class_lookup(t, q, 0)?.is_some()
        });
    Ok(Obj::from_bool(yes))
}

pub fn chr(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let n = vm.expect_int(o)?;
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) => {
            let mut buf = [0u8; 4];
            vm.new_str(c.encode_utf8(&mut buf))
        }
        None => Err(vm.value_error("chr() arg not in range(0x110000)")),
    }
}

pub fn ord(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    if vm.native_type_id(o) == crate::types::ids::BYTES {
        let b = vm.str_bytes(vm.native_self(o)).unwrap_or_default();
        if let [c] = b.as_slice() {
            return vm.new_int(i64::from(*c));
        }
        let msg = alloc::format!("ord() expected a character, but string of length {} found", b.len());
        return Err(vm.type_error(&msg));
    }
    if let Some(s) = vm.str_text(o) {
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return vm.new_int(i64::from(c as u32));
        }
        let msg = alloc::format!("ord() expected a character, but string of length {} found", s.chars().count());
        return Err(vm.type_error(&msg));
    }
    Err(vm.type_error("ord expects a character"))
}

pub fn hash(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    let h = vm.hash(o)?;
    vm.new_int(h)
}

pub fn id(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = arg(vm, args, 0)?;
    vm.new_int(i64::from(o.raw()))
}

pub fn globals(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(vm.st.frames.last().map(|f| f.globals).unwrap_or(Obj::NONE))
}

pub fn locals(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(vm.st.frames.last().map(|f| if f.locals.is_null() { f.globals } else { f.locals }).unwrap_or(Obj::NONE))
}

/// `dir([obj])`: without an argument the names of the local namespace; with one, every
/// interned name that `obj` has as an attribute, in qstr order (MicroPython probes each
/// qstr the same way). An instance's `__dir__` method, when it has one, answers instead.
pub fn dir(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let list = vm.new_list(&[])?;
    vm.root(list);
    let Some(&o) = args.first() else {
        let d = locals(vm, &[], &[])?;
        if vm.is_dict(d) {
            for (k, _) in vm.dict_entries(d) {
                vm.list_append(list, k)?;
            }
        }
        return Ok(list);
    };
    let end = crate::qstr::FIRST_DYNAMIC_QSTR_ID + vm.st.qstrs.dynamic_count() as u32;
    for id in 2..end {
        let q = crate::qstr::Qstr::from_id(id);
        let Some(name) = Obj::from_qstr(q) else { continue };
        // Probing is protected: any exception means "no such attribute".
        let found = match vm.load_method(o, q) {
            Ok((f, this)) => Some((f, this)),
            Err(_) => None,
        };
        let Some((f, this)) = found else { continue };
        if id == 2 && !this.is_null() && !vm.is_class(o) {
            // `__dir__` (qstr 2, probed first) bound to the object.
            return vm.call(f, &[this], &[]);
        }
        vm.list_append(list, name)?;
    }
    Ok(list)
}
