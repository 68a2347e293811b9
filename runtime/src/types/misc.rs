//! Small types: modules (`[type, globals, name]`), `super` (`[type, class, self]`),
//! `staticmethod`/`classmethod` (`[type, function]`), `property`
//! (`[type, getter, setter, deleter]`), and str formatting (`format`, `%`).

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::Vm;

/// The module type.
pub static MODULE_TYPE: TypeDesc = TypeDesc { print: Some(module_print), ..TypeDesc::new("module", ids::OBJECT) };

/// `super`.
pub static SUPER_TYPE: TypeDesc =
    TypeDesc { make_new: Some(super_make_new), attr: Some(super_attr), ..TypeDesc::new("super", ids::OBJECT) };

/// `staticmethod`.
pub static STATICMETHOD_TYPE: TypeDesc =
    TypeDesc { make_new: Some(wrapper_make_new), ..TypeDesc::new("staticmethod", ids::OBJECT) };

/// `classmethod`.
pub static CLASSMETHOD_TYPE: TypeDesc =
    TypeDesc { make_new: Some(wrapper_make_new), ..TypeDesc::new("classmethod", ids::OBJECT) };

/// `property`.
pub static PROPERTY_TYPE: TypeDesc = TypeDesc {
    make_new: Some(property_make_new),
    methods: &[Method::new("setter", property_setter), Method::new("getter", property_getter)],
    ..TypeDesc::new("property", ids::OBJECT)
};

fn module_print(vm: &mut Vm, m: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let name = vm.get(m, 2);
    let n = vm.str_text(name).unwrap_or_default();
    let g = vm.get(m, 1);
    let file = if vm.is_dict(g) { vm.dict_get_str(g, "__file__")? } else { None };
    match file.and_then(|f| vm.str_text(f)) {
        Some(f) => out.push_str(&alloc::format!("<module '{n}' from '{f}'>")),
        None => out.push_str(&alloc::format!("<module '{n}'>")),
    }
    Ok(())
}

impl Vm {
    /// A new module object with its globals dict.
    pub fn new_module(&mut self, name: &str, globals: Obj) -> PyResult<Obj> {
        let n = self.qstr_obj(name)?;
        let m = self.alloc(3)?;
        self.set(m, 0, super::type_obj(ids::MODULE));
        self.set(m, 1, globals);
        self.set(m, 2, n);
        Ok(m)
    }

    /// Finds `name` in the bases of `cls` (skipping `cls`), as `super()` does.
    pub fn super_lookup(&mut self, cls: Obj, name: Qstr) -> PyResult<Option<(Obj, Option<super::MethodKind>)>> {
        if !self.is_user_class(cls) {
            return Ok(None);
        }
        for b in self.tuple_items(self.get(cls, 2)) {
            if let Some(found) = self.class_lookup(b, name, 0)? {
                return Ok(Some(found));
            }
        }
        let obj_t = super::type_obj(ids::OBJECT);
        self.class_lookup(obj_t, name, 0)
    }
}

fn super_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let [cls, obj] = args else { return Err(vm.type_error("super() requires 2 arguments")) };
    let s = vm.alloc(3)?;
    vm.set(s, 0, super::type_obj(ids::SUPER));
    vm.set(s, 1, *cls);
    vm.set(s, 2, *obj);
    Ok(s)
}

fn super_attr(vm: &mut Vm, s: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    let (cls, obj) = (vm.get(s, 1), vm.get(s, 2));
    match vm.super_lookup(cls, name)? {
        Some((f, kind)) => {
            let is_fun = vm.type_of(f) == super::type_obj(ids::FUNCTION) || kind == Some(super::MethodKind::Instance);
            if is_fun {
                Ok(Some(vm.new_bound_method(f, obj)?))
            } else {
                Ok(Some(f))
            }
        }
        None => Ok(None),
    }
}

fn wrapper_make_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let w = vm.alloc(2)?;
    vm.set(w, 0, t);
    vm.set(w, 1, args.first().copied().unwrap_or(Obj::NONE));
    Ok(w)
}

fn property_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = vm.alloc(4)?;
    vm.set(p, 0, super::type_obj(ids::PROPERTY));
    for i in 0..3 {
        vm.set(p, 1 + i, args.get(i).copied().unwrap_or(Obj::NONE));
    }
    Ok(p)
}

fn property_copy_with(vm: &mut Vm, args: &[Obj], slot: usize) -> PyResult<Obj> {
    let p = args.first().copied().unwrap_or(Obj::NONE);
    let n = vm.alloc(4)?;
    for i in 0..4 {
        let v = vm.get(p, i);
        vm.set(n, i, v);
    }
    vm.set(n, slot, args.get(1).copied().unwrap_or(Obj::NONE));
    Ok(n)
}

fn property_setter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    property_copy_with(vm, args, 2)
}

fn property_getter(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    property_copy_with(vm, args, 1)
}

/// Applies a format spec `[[fill]align][sign][0][width][type]` to a value.
fn apply_spec(vm: &mut Vm, v: Obj, spec: &str) -> PyResult<String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let mut fill = ' ';
    let mut align = None;
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^' | '=') {
        fill = chars[0];
        align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && matches!(chars[0], '<' | '>' | '^' | '=') {
        align = Some(chars[0]);
        i = 1;
    }
    let mut sign = None;
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' && align.is_none() {
        fill = '0';
        align = Some('=');
        i += 1;
    }
    let mut width = 0usize;
    while i < chars.len() && chars[i].is_ascii_digit() {
        width = width * 10 + chars[i].to_digit(10).unwrap_or(0) as usize;
        i += 1;
    }
    let ty = chars.get(i).copied();
    let is_num = vm.int_value(v).is_some() && !matches!(v, Obj::TRUE | Obj::FALSE)
        || matches!(ty, Some('d' | 'x' | 'X' | 'o' | 'b'));
    let mut body = match (ty, vm.int_value(v)) {
        (Some('x'), Some(n)) => alloc::format!("{n:x}"),
        (Some('X'), Some(n)) => alloc::format!("{n:X}"),
        (Some('o'), Some(n)) => alloc::format!("{n:o}"),
        (Some('b'), Some(n)) => alloc::format!("{n:b}"),
        (Some('d'), Some(n)) => alloc::format!("{n}"),
        _ => vm.to_str(v)?,
    };
    if let (Some('+'), Some(n)) = (sign, vm.int_value(v)) {
        if n >= 0 {
            body.insert(0, '+');
        }
    }
    let len = body.chars().count();
    if len >= width {
        return Ok(body);
    }
    let pad = width - len;
    let align = align.unwrap_or(if is_num { '>' } else { '<' });
    let padding: String = core::iter::repeat_n(fill, pad).collect();
    Ok(match align {
        '<' => body + &padding,
        '^' => {
            let left: String = core::iter::repeat_n(fill, pad / 2).collect();
            let right: String = core::iter::repeat_n(fill, pad - pad / 2).collect();
            left + &body + &right
        }
        '=' if body.starts_with('-') || body.starts_with('+') => {
            let (s, rest) = body.split_at(1);
            String::from(s) + &padding + rest
        }
        _ => padding + &body,
    })
}

/// `str.format(*args, **kwargs)`.
pub fn str_format(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let fmt = match args.first() {
        Some(&f) => vm.expect_str(f)?,
        None => return Err(vm.type_error("format needs a string")),
    };
    let pos = args.get(1..).unwrap_or(&[]);
    let mut out = String::new();
    let mut auto = 0usize;
    let mut it = fmt.chars().peekable();
    while let Some(c) = it.next() {
        if c == '{' {
            if it.peek() == Some(&'{') {
                it.next();
                out.push('{');
                continue;
            }
            let mut field = String::new();
            for d in it.by_ref() {
                if d == '}' {
                    break;
                }
                field.push(d);
            }
            let (name_conv, spec) = match field.find(':') {
                Some(p) => (String::from(&field[..p]), String::from(&field[p + 1..])),
                None => (field.clone(), String::new()),
            };
            let (name, conv) = match name_conv.find('!') {
                Some(p) => (String::from(&name_conv[..p]), name_conv[p + 1..].chars().next()),
                None => (name_conv, None),
            };
            let value = if name.is_empty() {
                auto += 1;
                pos.get(auto - 1).copied()
            } else if let Ok(n) = name.parse::<usize>() {
                pos.get(n).copied()
            } else {
                let mut found = None;
                for pair in kw.chunks(2) {
                    if let [k, v] = pair {
                        if vm.str_text(*k).as_deref() == Some(name.as_str()) {
                            found = Some(*v);
                        }
                    }
                }
                if found.is_none() {
                    let key = vm.new_str(&name)?;
                    return Err(crate::error::PyErr(vm.new_exception(ids::KEY_ERROR, &[key])?));
                }
                found
            };
            let Some(v) = value else { return Err(vm.new_error(ids::INDEX_ERROR, "tuple index out of range")) };
            let v = if conv == Some('r') {
                let r = vm.to_repr(v)?;
                vm.new_str(&r)?
            } else {
                v
            };
            let text = apply_spec(vm, v, &spec)?;
            out.push_str(&text);
        } else if c == '}' {
            if it.peek() == Some(&'}') {
                it.next();
            }
            out.push('}');
        } else {
            out.push(c);
        }
    }
    vm.new_str(&out)
}

/// `fmt % args` for str.
pub fn str_percent(vm: &mut Vm, fmt: Obj, args: Obj) -> PyResult<Obj> {
    let f = vm.str_text(fmt).unwrap_or_default();
    let items = if vm.is_tuple(args) { vm.tuple_items(args) } else { alloc::vec![args] };
    let mut out = String::new();
    let mut next = 0usize;
    let mut it = f.chars().peekable();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = it.peek() {
            if d.is_ascii_digit() || d == '-' || d == '+' || d == ' ' || d == '.' {
                spec.push(d);
                it.next();
            } else {
                break;
            }
        }
        let Some(conv) = it.next() else { break };
        if conv == '%' {
            out.push('%');
            continue;
        }
        let Some(&v) = items.get(next) else {
            return Err(vm.type_error("format string needs more arguments"));
        };
        next += 1;
        let (left, width) = match spec.strip_prefix('-') {
            Some(w) => (true, w.parse::<usize>().unwrap_or(0)),
            None => (false, spec.parse::<usize>().unwrap_or(0)),
        };
        let zero = spec.starts_with('0');
        let body = match conv {
            'd' | 'i' => alloc::format!("{}", vm.expect_int(v)?),
            'x' => alloc::format!("{:x}", vm.expect_int(v)?),
            'X' => alloc::format!("{:X}", vm.expect_int(v)?),
            'o' => alloc::format!("{:o}", vm.expect_int(v)?),
            'r' => vm.to_repr(v)?,
            'c' => match vm.int_value(v) {
                Some(n) => char::from_u32(n as u32).map(String::from).unwrap_or_default(),
                None => vm.to_str(v)?,
            },
            _ => vm.to_str(v)?,
        };
        let pad = width.saturating_sub(body.chars().count());
        if left {
            out.push_str(&body);
            out.extend(core::iter::repeat_n(' ', pad));
        } else {
            out.extend(core::iter::repeat_n(if zero { '0' } else { ' ' }, pad));
            out.push_str(&body);
        }
    }
    if next < items.len() {
        return Err(vm.type_error("format string didn't convert all arguments"));
    }
    vm.new_str(&out)
}
