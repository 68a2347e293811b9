//! `str`: interned (qstr) or heap strings. Heap layout:
//! `[type, byte length, hash, utf-8 bytes packed little-endian...]`.

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::hash_bytes;
use crate::vm::Vm;

/// Words before the character data.
const HEADER: usize = 3;

/// The `str` type.
pub static STR_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(str_make_new),
    print: Some(str_print),
    unary_op: Some(str_unary),
    binary_op: Some(str_binary),
    subscr: Some(str_subscr),
    getiter: Some(str_getiter),
    methods: &STR_METHODS,
    ..TypeDesc::new("str", ids::OBJECT)
};

static STR_METHODS: [Method; 16] = [
    Method::new("join", str_join),
    Method::new("split", str_split),
    Method::new("format", crate::types::misc::str_format),
    Method::new("upper", str_upper),
    Method::new("lower", str_lower),
    Method::new("startswith", str_startswith),
    Method::new("endswith", str_endswith),
    Method::new("replace", str_replace),
    Method::new("strip", str_strip),
    Method::new("find", str_find),
    Method::new("count", str_count),
    Method::new("isdigit", str_isdigit),
    Method::new("isalpha", str_isalpha),
    Method::new("lstrip", str_lstrip),
    Method::new("rstrip", str_rstrip),
    Method::new("encode", str_encode),
];

impl Vm {
    /// A new heap string.
    pub fn new_str(&mut self, text: &str) -> PyResult<Obj> {
        self.new_str_bytes(text.as_bytes(), ids::STR)
    }

    /// A new heap str or bytes object (`type_id` = STR or BYTES) holding `data`.
    pub(crate) fn new_str_bytes(&mut self, data: &[u8], type_id: u32) -> PyResult<Obj> {
        let o = self.alloc(HEADER + data.len().div_ceil(4))?;
        self.set(o, 0, super::type_obj(type_id));
        self.set_u32(o, 1, data.len() as u32);
        self.set_u32(o, 2, u32::from(hash_bytes(data)));
        self.heap.words.write_bytes(o, HEADER * 4, data);
        Ok(o)
    }

    /// True for str objects (qstr or heap).
    pub fn is_str(&self, o: Obj) -> bool {
        o.is_qstr() || (o.is_heap_ref() && self.get(o, 0) == super::type_obj(ids::STR))
    }

    /// The bytes of a str or bytes object.
    pub fn str_bytes(&self, o: Obj) -> Option<Vec<u8>> {
        if let Some(q) = o.qstr() {
            return self.st.qstrs.bytes(q).map(|b| b.to_vec());
        }
        let t = self.get(o, 0);
        if t != super::type_obj(ids::STR) && t != super::type_obj(ids::BYTES) {
            return None;
        }
        let len = self.get_usize(o, 1);
        let mut out = alloc::vec![0u8; len];
        if self.heap.words.read_bytes(o, HEADER * 4, &mut out) {
            Some(out)
        } else {
            None
        }
    }

    /// The text of a str object.
    pub fn str_text(&self, o: Obj) -> Option<String> {
        if !self.is_str(o) {
            return None;
        }
        self.str_bytes(o).map(|b| String::from_utf8(b).unwrap_or_default())
    }

    /// The hash of a str object.
    pub fn str_hash(&self, o: Obj) -> u32 {
        if let Some(q) = o.qstr() {
            return u32::from(self.st.qstrs.hash(q).unwrap_or(1));
        }
        self.get_u32(o, 2)
    }

    /// The text of `o` or a TypeError naming what was expected.
    pub fn expect_str(&mut self, o: Obj) -> PyResult<String> {
        match self.str_text(o) {
            Some(s) => Ok(s),
            None => {
                let n = self.type_name(o);
                Err(self.type_error(&alloc::format!("can't convert '{n}' object to str implicitly")))
            }
        }
    }
}

/// Appends the repr of `s` with MicroPython's quoting.
pub fn repr_text(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&alloc::format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
}

fn str_print(vm: &mut Vm, o: Obj, out: &mut String, repr: bool) -> PyResult<()> {
    let s = vm.str_text(o).unwrap_or_default();
    if repr {
        repr_text(&s, out);
    } else {
        out.push_str(&s);
    }
    Ok(())
}

fn str_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    match args {
        [] => vm.new_str(""),
        [o] if vm.is_str(*o) => Ok(*o),
        [o] => {
            let s = vm.to_str(*o)?;
            vm.new_str(&s)
        }
        [b, ..] => {
            let bytes = vm.str_bytes(*b).unwrap_or_default();
            let s = String::from_utf8_lossy(&bytes).into_owned();
            vm.new_str(&s)
        }
    }
}

fn str_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    let b = vm.str_bytes(o).unwrap_or_default();
    Ok(match op {
        crate::rt::UNARY_BOOL => Some(Obj::from_bool(!b.is_empty())),
        crate::rt::UNARY_LEN => vm.new_int(String::from_utf8_lossy(&b).chars().count() as i64).ok(),
        crate::rt::UNARY_HASH => vm.new_int(i64::from(vm.str_hash(o))).ok(),
        _ => None,
    })
}

fn str_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    use ferropy_bytecode::opcode::binary as bop;
    let x = vm.str_text(a).unwrap_or_default();
    if op == bop::MULTIPLY || op == bop::INPLACE_MULTIPLY {
        return match vm.int_value(b) {
            Some(n) => {
                let n = usize::try_from(n.max(0)).unwrap_or(0);
                if x.len().saturating_mul(n) > (1 << 28) {
                    return Err(vm.memory_error());
                }
                Ok(Some(vm.new_str(&x.repeat(n))?))
            }
            None => Ok(None),
        };
    }
    if op == bop::MODULO {
        return crate::types::misc::str_percent(vm, a, b).map(Some);
    }
    let Some(y) = vm.str_text(b) else {
        return Ok(match op {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    Ok(Some(match op {
        bop::ADD | bop::INPLACE_ADD => {
            let mut s = x;
            s.push_str(&y);
            vm.new_str(&s)?
        }
        bop::EQUAL => Obj::from_bool(x == y),
        bop::NOT_EQUAL => Obj::from_bool(x != y),
        bop::LESS => Obj::from_bool(x < y),
        bop::MORE => Obj::from_bool(x > y),
        bop::LESS_EQUAL => Obj::from_bool(x <= y),
        bop::MORE_EQUAL => Obj::from_bool(x >= y),
        bop::IN => Obj::from_bool(x.contains(y.as_str())),
        _ => return Ok(None),
    }))
}

fn str_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value != Obj::SENTINEL {
        return Err(vm.type_error("'str' object doesn't support item assignment"));
    }
    let s = vm.str_text(o).unwrap_or_default();
    let chars: Vec<char> = s.chars().collect();
    if let Some((start, stop, step)) = vm.slice_indices(index, chars.len())? {
        let picked: String = crate::types::slice::pick(&chars, start, stop, step).into_iter().collect();
        return vm.new_str(&picked);
    }
    let i = vm.seq_index(index, chars.len(), "string")?;
    let mut buf = [0u8; 4];
    let c = chars.get(i).copied().unwrap_or(' ');
    vm.new_str(c.encode_utf8(&mut buf))
}

fn str_getiter(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    crate::types::iterators::new_seq_iter(vm, o)
}

fn arg_text(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<String> {
    match args.get(i) {
        Some(&o) => vm.expect_str(o),
        None => Err(vm.type_error("function missing required argument")),
    }
}

fn str_join(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let sep = arg_text(vm, args, 0)?;
    let items = vm.collect_iterable(args.get(1).copied().unwrap_or(Obj::NONE))?;
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        match vm.str_text(*item) {
            Some(t) => out.push_str(&t),
            None => return Err(vm.type_error("join expects a list of str/bytes objects consistent with self object")),
        }
    }
    vm.new_str(&out)
}

fn str_split(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    let mut sep = args.get(1).copied().unwrap_or(Obj::NONE);
    let mut maxsplit = args.get(2).and_then(|&o| vm.int_value(o)).unwrap_or(-1);
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            match vm.str_text(*k).as_deref() {
                Some("sep") => sep = *v,
                Some("maxsplit") => maxsplit = vm.int_value(*v).unwrap_or(-1),
                _ => {}
            }
        }
    }
    let parts: Vec<String> = if sep == Obj::NONE {
        let mut v: Vec<String> = Vec::new();
        let mut rest = s.trim_start();
        while !rest.is_empty() {
            if maxsplit >= 0 && v.len() as i64 >= maxsplit {
                v.push(String::from(rest));
                break;
            }
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            v.push(String::from(&rest[..end]));
            rest = rest[end..].trim_start();
        }
        v
    } else {
        let sep = vm.expect_str(sep)?;
        if sep.is_empty() {
            return Err(vm.value_error("empty separator"));
        }
        if maxsplit >= 0 {
            s.splitn(maxsplit as usize + 1, sep.as_str()).map(String::from).collect()
        } else {
            s.split(sep.as_str()).map(String::from).collect()
        }
    };
    vm.with_temps(|vm| {
        let list = vm.new_list(&[])?;
        vm.root(list);
        for p in &parts {
            let o = vm.new_str(p)?;
            vm.list_append(list, o)?;
        }
        Ok(list)
    })
}

fn str_map(vm: &mut Vm, args: &[Obj], f: fn(&str) -> String) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    vm.new_str(&f(&s))
}

fn str_upper(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    str_map(vm, args, |s| s.to_uppercase())
}

fn str_lower(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    str_map(vm, args, |s| s.to_lowercase())
}

fn str_strip(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    strip_with(vm, args, 3)
}

fn str_lstrip(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    strip_with(vm, args, 1)
}

fn str_rstrip(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    strip_with(vm, args, 2)
}

fn strip_with(vm: &mut Vm, args: &[Obj], sides: u8) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    let chars: Option<String> = match args.get(1) {
        Some(&o) if o != Obj::NONE => Some(vm.expect_str(o)?),
        _ => None,
    };
    let pred = |c: char| match &chars {
        Some(set) => set.contains(c),
        None => c.is_whitespace(),
    };
    let mut t: &str = &s;
    if sides & 1 != 0 {
        t = t.trim_start_matches(pred);
    }
    if sides & 2 != 0 {
        t = t.trim_end_matches(pred);
    }
    let t = String::from(t);
    vm.new_str(&t)
}

fn str_startswith(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    let p = arg_text(vm, args, 1)?;
    Ok(Obj::from_bool(s.starts_with(p.as_str())))
}

fn str_endswith(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    let p = arg_text(vm, args, 1)?;
    Ok(Obj::from_bool(s.ends_with(p.as_str())))
}

fn str_replace(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    let old = arg_text(vm, args, 1)?;
    let new = arg_text(vm, args, 2)?;
    let r = match args.get(3).and_then(|&o| vm.int_value(o)) {
        Some(n) if n >= 0 => s.replacen(old.as_str(), &new, n as usize),
        _ => s.replace(old.as_str(), &new),
    };
    vm.new_str(&r)
}

fn str_find(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    let p = arg_text(vm, args, 1)?;
    let r = match s.find(p.as_str()) {
        Some(byte) => s[..byte].chars().count() as i64,
        None => -1,
    };
    vm.new_int(r)
}

fn str_count(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    let p = arg_text(vm, args, 1)?;
    let n = if p.is_empty() { s.chars().count() + 1 } else { s.matches(p.as_str()).count() };
    vm.new_int(n as i64)
}

fn str_isdigit(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    Ok(Obj::from_bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())))
}

fn str_isalpha(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    Ok(Obj::from_bool(!s.is_empty() && s.chars().all(|c| c.is_alphabetic())))
}

fn str_encode(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = arg_text(vm, args, 0)?;
    vm.new_bytes(s.as_bytes())
}
