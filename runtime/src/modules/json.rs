//! The `json` module: `dumps`/`dump` (MicroPython's output: `", "` and `": "`
//! separators unless `separators=` says otherwise, non-ASCII text kept as
//! UTF-8) and `loads`/`load` (strict JSON; malformed input raises
//! `ValueError("syntax error in JSON at position N")`). Nesting is limited to
//! [`MAX_DEPTH`] levels both ways, so deep or circular data raises instead of
//! exhausting the native stack.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// Deepest nesting of lists and dicts `dumps` and `loads` accept.
pub const MAX_DEPTH: usize = 500;

/// The module's function table.
pub static JSON_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("json", ids::OBJECT) };

static FUNCS: [Method; 4] = [
    Method::new_static("dumps", dumps),
    Method::new_static("dump", dump),
    Method::new_static("loads", loads),
    Method::new_static("load", load),
];

/// Builds the `json` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    super::make_module(vm, "json", ids::JSON_FUNCS, &[])
}

// ----- encoding -----

struct Seps {
    item: String,
    key: String,
}

fn separators(vm: &mut Vm, o: Option<Obj>) -> PyResult<Seps> {
    match o {
        None => Ok(Seps { item: String::from(", "), key: String::from(": ") }),
        Some(o) if o == Obj::NONE => Ok(Seps { item: String::from(", "), key: String::from(": ") }),
        Some(o) => {
            let items = vm.collect_iterable(o)?;
            if items.len() != 2 {
                return Err(vm.value_error("separators must be a 2-item sequence"));
            }
            Ok(Seps { item: vm.expect_str(items[0])?, key: vm.expect_str(items[1])? })
        }
    }
}

/// Appends `s` as a JSON string literal.
fn escape_into(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&alloc::format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn encode(vm: &mut Vm, o: Obj, seps: &Seps, depth: usize, out: &mut String) -> PyResult<()> {
    if o == Obj::NONE {
        out.push_str("null");
    } else if o == Obj::TRUE {
        out.push_str("true");
    } else if o == Obj::FALSE {
        out.push_str("false");
    } else if let Some(v) = o.small_int_value() {
        out.push_str(&alloc::format!("{v}"));
    } else if vm.is_str(o) {
        let s = vm.str_text(o).unwrap_or_default();
        escape_into(&s, out);
    } else if vm.is_int(o) || vm.is_float(o) {
        vm.print_obj(o, out, true)?;
    } else if vm.is_exact(o, ids::BYTES) {
        let b = vm.str_bytes(o).unwrap_or_default();
        escape_into(&String::from_utf8_lossy(&b), out);
    } else if vm.is_list(o) || vm.is_tuple(o) {
        if depth >= MAX_DEPTH {
            return Err(vm.recursion_error());
        }
        let items = if vm.is_list(o) { vm.list_items(o) } else { vm.tuple_items(o) };
        out.push('[');
        for (i, &item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(&seps.item);
            }
            encode(vm, item, seps, depth + 1, out)?;
        }
        out.push(']');
    } else if vm.is_dict(o) {
        if depth >= MAX_DEPTH {
            return Err(vm.recursion_error());
        }
        out.push('{');
        for (i, (k, v)) in vm.dict_entries(o).into_iter().enumerate() {
            if i > 0 {
                out.push_str(&seps.item);
            }
            if vm.is_str(k) {
                let s = vm.str_text(k).unwrap_or_default();
                escape_into(&s, out);
            } else {
                // Other keys become the text of their JSON form, as in MicroPython.
                let mut key = String::new();
                encode(vm, k, seps, depth + 1, &mut key)?;
                escape_into(&key, out);
            }
            out.push_str(&seps.key);
            encode(vm, v, seps, depth + 1, out)?;
        }
        out.push('}');
    } else {
        let n = vm.type_name(o);
        return Err(vm.type_error(&alloc::format!("object of type '{n}' is not JSON serializable")));
    }
    Ok(())
}

/// The JSON text of `o`.
pub fn to_json(vm: &mut Vm, o: Obj, seps: Option<Obj>) -> PyResult<String> {
    let seps = separators(vm, seps)?;
    let mut out = String::new();
    encode(vm, o, &seps, 0, &mut out)?;
    Ok(out)
}

fn dumps(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 1)?;
    let seps = vm.kwarg(kw, "separators");
    let text = to_json(vm, args[0], seps)?;
    vm.new_str(&text)
}

fn dump(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 2)?;
    let seps = vm.kwarg(kw, "separators");
    let text = to_json(vm, args[0], seps)?;
    super::io::write_to(vm, args[1], &text)?;
    Ok(Obj::NONE)
}

// ----- decoding -----

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn error(&self, vm: &mut Vm) -> crate::error::PyErr {
        // The position in characters, as Python counts them.
        let at = self.pos.min(self.s.len());
        let chars = self.s[..at].iter().filter(|&&b| b & 0xc0 != 0x80).count();
        vm.value_error(&alloc::format!("syntax error in JSON at position {chars}"))
    }

    fn expect_word(&mut self, vm: &mut Vm, word: &[u8], value: Obj) -> PyResult<Obj> {
        if self.s[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(vm))
        }
    }

    fn value(&mut self, vm: &mut Vm, depth: usize) -> PyResult<Obj> {
        self.ws();
        match self.peek() {
            Some(b'{') => self.object(vm, depth),
            Some(b'[') => self.array(vm, depth),
            Some(b'"') => {
                let s = self.string(vm)?;
                vm.new_str(&s)
            }
            Some(b't') => self.expect_word(vm, b"true", Obj::TRUE),
            Some(b'f') => self.expect_word(vm, b"false", Obj::FALSE),
            Some(b'n') => self.expect_word(vm, b"null", Obj::NONE),
            Some(b'-' | b'0'..=b'9') => self.number(vm),
            _ => Err(self.error(vm)),
        }
    }

    fn enter(&mut self, vm: &mut Vm, depth: usize) -> PyResult<()> {
        if depth >= MAX_DEPTH {
            return Err(vm.recursion_error());
        }
        self.pos += 1;
        self.ws();
        Ok(())
    }

    fn array(&mut self, vm: &mut Vm, depth: usize) -> PyResult<Obj> {
        self.enter(vm, depth)?;
        let list = vm.new_list(&[])?;
        vm.root(list);
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(list);
        }
        loop {
            let v = self.value(vm, depth + 1)?;
            vm.list_append(list, v)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(list);
                }
                _ => return Err(self.error(vm)),
            }
        }
    }

    fn object(&mut self, vm: &mut Vm, depth: usize) -> PyResult<Obj> {
        self.enter(vm, depth)?;
        let d = crate::types::dict::new_dict(vm, 0)?;
        vm.root(d);
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(d);
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.error(vm));
            }
            let k = self.string(vm)?;
            let k = vm.new_str(&k)?;
            vm.root(k);
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.error(vm));
            }
            self.pos += 1;
            let v = self.value(vm, depth + 1)?;
            vm.dict_store(d, k, v)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(d);
                }
                _ => return Err(self.error(vm)),
            }
        }
    }

    fn hex4(&mut self, vm: &mut Vm) -> PyResult<u32> {
        let digits = self.s.get(self.pos..self.pos + 4).ok_or_else(|| self.error(vm))?;
        let text = core::str::from_utf8(digits).ok();
        let v = text.filter(|t| t.bytes().all(|b| b.is_ascii_hexdigit())).and_then(|t| u32::from_str_radix(t, 16).ok());
        match v {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error(vm)),
        }
    }

    fn string(&mut self, vm: &mut Vm) -> PyResult<String> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.s.get(self.pos) {
                if b == b'"' || b == b'\\' {
                    break;
                }
                self.pos += 1;
            }
            out.extend_from_slice(&self.s[start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {
                    self.pos += 1;
                    let Some(e) = self.peek() else { return Err(self.error(vm)) };
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\x08',
                        b'f' => '\x0c',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut cp = self.hex4(vm)?;
                            if (0xd800..0xdc00).contains(&cp) && self.s[self.pos..].starts_with(b"\\u") {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4(vm)?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                                } else {
                                    self.pos = save;
                                }
                            }
                            char::from_u32(cp).unwrap_or('\u{fffd}')
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.error(vm));
                        }
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                None => return Err(self.error(vm)),
            }
        }
        match String::from_utf8(out) {
            Ok(s) => Ok(s),
            Err(_) => Err(self.error(vm)),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self, vm: &mut Vm) -> PyResult<Obj> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 {
            return Err(self.error(vm));
        }
        if n > 1 && self.s[int_start] == b'0' {
            // A leading zero: the digit after it is the error.
            self.pos = int_start + 1;
            return Err(self.error(vm));
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            float = true;
            if self.digits() == 0 {
                return Err(self.error(vm));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(vm));
            }
        }
        let text = core::str::from_utf8(&self.s[start..self.pos]).unwrap_or("0");
        if float {
            let v: f64 = text.parse().unwrap_or(0.0);
            return vm.new_float(v);
        }
        match text.parse::<i64>() {
            Ok(v) => vm.new_int(v),
            Err(_) => match num_bigint::BigInt::parse_bytes(text.as_bytes(), 10) {
                Some(b) => vm.new_bigint(&b),
                None => Err(self.error(vm)),
            },
        }
    }
}

/// Parses JSON text `s` into Python objects.
pub fn from_json(vm: &mut Vm, s: &[u8]) -> PyResult<Obj> {
    vm.with_temps(|vm| {
        let mut p = Parser { s, pos: 0 };
        let v = p.value(vm, 0)?;
        p.ws();
        if p.pos != s.len() {
            return Err(p.error(vm));
        }
        Ok(v)
    })
}

fn loads(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let Some(data) = vm.buffer_or_str(a) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    from_json(vm, &data)
}

fn load(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    // An `io.IOBase` subclass may offer the stream protocol only: read it
    // through `readinto` a byte at a time, as MicroPython's `json.load` does.
    let read = vm.intern("read")?;
    if vm.load_attr_opt(s, read)?.is_none() {
        let data = super::vfs::pyfs::read_to_end(vm, s, 1)?;
        return from_json(vm, &data);
    }
    let text = super::vfs::pyfs::call(vm, s, "read", &[])?;
    vm.root(text);
    let Some(data) = vm.buffer_or_str(text) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    from_json(vm, &data)
}
