//! The methods shared by `str`, `bytes` and `bytearray` (MicroPython's
//! objstr.c serves all three): they work on the object's bytes, with
//! character indices for `str` (UTF-8) and byte indices otherwise. Results of
//! a bytes-like receiver are `bytes`.

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::str::ShortBytes;
use super::Method;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// `str` methods, in MicroPython's `dir('')` order.
pub static STR_METHODS: [Method; 27] = [
    Method::new("count", m_count),
    Method::new("endswith", m_endswith),
    Method::new("find", m_find),
    Method::new("format", crate::types::format::str_format),
    Method::new("index", m_index),
    Method::new("isalpha", m_isalpha),
    Method::new("isdigit", m_isdigit),
    Method::new("islower", m_islower),
    Method::new("isspace", m_isspace),
    Method::new("isupper", m_isupper),
    Method::new("join", m_join),
    Method::new("lower", m_lower),
    Method::new("lstrip", m_lstrip),
    Method::new("replace", m_replace),
    Method::new("rfind", m_rfind),
    Method::new("rindex", m_rindex),
    Method::new("rsplit", m_rsplit),
    Method::new("rstrip", m_rstrip),
    Method::new("split", m_split),
    Method::new("startswith", m_startswith),
    Method::new("strip", m_strip),
    Method::new("upper", m_upper),
    Method::new("center", m_center),
    Method::new("encode", m_encode),
    Method::new("partition", m_partition),
    Method::new("rpartition", m_rpartition),
    Method::new("splitlines", m_splitlines),
];

/// `bytes` methods (the str ones with `decode`, `hex` and `fromhex`).
pub static BYTES_METHODS: [Method; 29] = [
    Method::new("count", m_count),
    Method::new("endswith", m_endswith),
    Method::new("find", m_find),
    Method::new("format", crate::types::format::str_format),
    Method::new("index", m_index),
    Method::new("isalpha", m_isalpha),
    Method::new("isdigit", m_isdigit),
    Method::new("islower", m_islower),
    Method::new("isspace", m_isspace),
    Method::new("isupper", m_isupper),
    Method::new("join", m_join),
    Method::new("lower", m_lower),
    Method::new("lstrip", m_lstrip),
    Method::new("replace", m_replace),
    Method::new("rfind", m_rfind),
    Method::new("rindex", m_rindex),
    Method::new("rsplit", m_rsplit),
    Method::new("rstrip", m_rstrip),
    Method::new("split", m_split),
    Method::new("startswith", m_startswith),
    Method::new("strip", m_strip),
    Method::new("upper", m_upper),
    Method::new("center", m_center),
    Method::new("decode", m_decode),
    Method::new("fromhex", m_fromhex),
    Method::new("hex", m_hex),
    Method::new("partition", m_partition),
    Method::new("rpartition", m_rpartition),
    Method::new("splitlines", m_splitlines),
];

/// `bytearray` methods (the bytes ones with `append` and `extend`).
pub static BYTEARRAY_METHODS: [Method; 31] = [
    Method::new("append", crate::types::bytearray::bytearray_append),
    Method::new("count", m_count),
    Method::new("endswith", m_endswith),
    Method::new("extend", crate::types::bytearray::bytearray_extend),
    Method::new("find", m_find),
    Method::new("format", crate::types::format::str_format),
    Method::new("index", m_index),
    Method::new("isalpha", m_isalpha),
    Method::new("isdigit", m_isdigit),
    Method::new("islower", m_islower),
    Method::new("isspace", m_isspace),
    Method::new("isupper", m_isupper),
    Method::new("join", m_join),
    Method::new("lower", m_lower),
    Method::new("lstrip", m_lstrip),
    Method::new("replace", m_replace),
    Method::new("rfind", m_rfind),
    Method::new("rindex", m_rindex),
    Method::new("rsplit", m_rsplit),
    Method::new("rstrip", m_rstrip),
    Method::new("split", m_split),
    Method::new("startswith", m_startswith),
    Method::new("strip", m_strip),
    Method::new("upper", m_upper),
    Method::new("center", m_center),
    Method::new("decode", m_decode),
    Method::new("fromhex", m_fromhex),
    Method::new("hex", m_hex),
    Method::new("partition", m_partition),
    Method::new("rpartition", m_rpartition),
    Method::new("splitlines", m_splitlines),
];

/// A receiver's data and whether it is a `str`.
struct S {
    data: ShortBytes,
    is_str: bool,
    kind: u32,
}

fn recv(vm: &mut Vm, args: &[Obj]) -> PyResult<S> {
    let o = args.first().copied().unwrap_or(Obj::NONE);
    if vm.is_str(o) {
        let data = vm.str_bytes_short(o).unwrap_or_else(|| ShortBytes::zeroed(0));
        return Ok(S { data, is_str: true, kind: ids::STR });
    }
    let kind = if vm.is_bytearray(o) { ids::BYTEARRAY } else { ids::BYTES };
    match vm.buffer_bytes_short(o) {
        Some(data) => Ok(S { data, is_str: false, kind }),
        None => Err(vm.type_error("expected str or bytes")),
    }
}

/// An argument of the receiver's kind (str for str, bytes-like for bytes).
fn like(vm: &mut Vm, s: &S, o: Obj) -> PyResult<ShortBytes> {
    if s.is_str {
        if vm.is_str(o) {
            return Ok(vm.str_bytes_short(o).unwrap_or_else(|| ShortBytes::zeroed(0)));
        }
    } else if !vm.is_str(o) {
        if let Some(b) = vm.buffer_bytes_short(o) {
            return Ok(b);
        }
    }
    let n = vm.type_name(o);
    let want = if s.is_str { "str" } else { "bytes" };
    Err(vm.type_error(&alloc::format!("can't convert '{n}' object to {want} implicitly")))
}

fn need(vm: &mut Vm, args: &[Obj], i: usize) -> PyResult<Obj> {
    match args.get(i) {
        Some(&o) => Ok(o),
        None => Err(vm.type_error("function missing required positional argument")),
    }
}

fn make(vm: &mut Vm, s: &S, data: &[u8]) -> PyResult<Obj> {
    let o = if s.kind == ids::BYTEARRAY { vm.new_bytearray(data)? } else { vm.new_str_bytes(data, s.kind)? };
    Ok(vm.root(o))
}

fn char_len(s: &S, data: &[u8]) -> usize {
    if s.is_str {
        data.iter().filter(|&&b| b & 0xc0 != 0x80).count()
    } else {
        data.len()
    }
}

/// Byte offset of character index `i` (clamped like a slice bound).
fn byte_pos(vm: &mut Vm, s: &S, idx: Obj) -> PyResult<usize> {
    let n = char_len(s, &s.data) as i64;
    let mut i = vm.expect_int(idx)?;
    if i < 0 {
        i += n;
    }
    let i = i.clamp(0, n) as usize;
    if !s.is_str {
        return Ok(i);
    }
    let mut count = 0;
    for (pos, &b) in s.data.iter().enumerate() {
        if b & 0xc0 != 0x80 {
            if count == i {
                return Ok(pos);
            }
            count += 1;
        }
    }
    Ok(s.data.len())
}

/// The byte range selected by optional start/end args at `args[i]`, `args[i+1]`.
fn range(vm: &mut Vm, s: &S, args: &[Obj], i: usize) -> PyResult<(usize, usize)> {
    let start = match args.get(i) {
        Some(&o) if o != Obj::NONE => byte_pos(vm, s, o)?,
        _ => 0,
    };
    let end = match args.get(i + 1) {
        Some(&o) if o != Obj::NONE => byte_pos(vm, s, o)?,
        _ => s.data.len(),
    };
    Ok((start, end))
}

fn find_sub(hay: &[u8], needle: &[u8], rev: bool) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    let last = hay.len() - needle.len();
    if rev {
        (0..=last).rev().find(|&p| &hay[p..p + needle.len()] == needle)
    } else {
        (0..=last).find(|&p| &hay[p..p + needle.len()] == needle)
    }
}

fn finder(vm: &mut Vm, args: &[Obj], rev: bool, is_index: bool) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let n = need(vm, args, 1)?;
    let needle = match vm.int_value(n) {
        Some(v) if !s.is_str => {
            if !(0..256).contains(&v) {
                return Err(vm.value_error("bytes value out of range"));
            }
            ShortBytes::from_slice(&[v as u8])
        }
        _ => like(vm, &s, n)?,
    };
    let (start, end) = range(vm, &s, args, 2)?;
    let found = if end < start { None } else { find_sub(&s.data[start..end], &needle, rev).map(|p| p + start) };
    match found {
        Some(p) => vm.new_int(char_len(&s, &s.data[..p]) as i64),
        None if is_index => Err(vm.value_error("substring not found")),
        None => vm.new_int(-1),
    }
}

fn m_find(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    finder(vm, args, false, false)
}

fn m_rfind(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    finder(vm, args, true, false)
}

fn m_index(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    finder(vm, args, false, true)
}

fn m_rindex(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    finder(vm, args, true, true)
}

fn m_count(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let n = need(vm, args, 1)?;
    let needle = like(vm, &s, n)?;
    let (start, end) = range(vm, &s, args, 2)?;
    let hay = if end < start { &[][..] } else { &s.data[start..end] };
    if needle.is_empty() {
        return vm.new_int(char_len(&s, hay) as i64 + 1);
    }
    let (mut count, mut p) = (0, 0);
    while p + needle.len() <= hay.len() {
        if hay[p..p + needle.len()] == needle[..] {
            count += 1;
            p += needle.len();
        } else {
            p += 1;
        }
    }
    vm.new_int(count)
}

fn starts_ends(vm: &mut Vm, args: &[Obj], ends: bool) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let p = need(vm, args, 1)?;
    let (start, end) = range(vm, &s, args, 2)?;
    let hay = if end < start { &[][..] } else { &s.data[start..end] };
    let (single, several);
    let prefixes: &[Obj] = if vm.is_tuple(p) {
        several = vm.tuple_items(p);
        &several
    } else {
        single = [p];
        &single
    };
    for &pre in prefixes {
        let pre = like(vm, &s, pre)?;
        let ok = if ends { hay.ends_with(&pre) } else { hay.starts_with(&pre) };
        if ok {
            return Ok(Obj::TRUE);
        }
    }
    Ok(Obj::FALSE)
}

fn m_startswith(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    starts_ends(vm, args, false)
}

fn m_endswith(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    starts_ends(vm, args, true)
}

fn is_type(vm: &mut Vm, args: &[Obj], f: fn(u8) -> bool, cased: Option<bool>) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    if s.data.is_empty() {
        return Ok(Obj::FALSE);
    }
    Ok(Obj::from_bool(match cased {
        None => s.data.iter().all(|&b| f(b)),
        Some(_) => {
            let alpha: Vec<u8> = s.data.iter().copied().filter(u8::is_ascii_alphabetic).collect();
            !alpha.is_empty() && alpha.iter().all(|&b| f(b))
        }
    }))
}

fn m_isalpha(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    is_type(vm, args, |b| b.is_ascii_alphabetic(), None)
}

fn m_isdigit(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    is_type(vm, args, |b| b.is_ascii_digit(), None)
}

fn m_isspace(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    is_type(vm, args, |b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c), None)
}

fn m_islower(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    is_type(vm, args, |b| b.is_ascii_lowercase(), Some(true))
}

fn m_isupper(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    is_type(vm, args, |b| b.is_ascii_uppercase(), Some(true))
}

fn m_lower(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let d = s.data.to_ascii_lowercase();
    make(vm, &s, &d)
}

fn m_upper(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let d = s.data.to_ascii_uppercase();
    make(vm, &s, &d)
}

fn m_join(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let it = need(vm, args, 1)?;
    let items = vm.collect_iterable(it)?;
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&s.data);
        }
        let ok = if s.is_str { vm.is_str(item) } else { !vm.is_str(item) };
        match if ok { vm.buffer_or_str(item) } else { None } {
            Some(b) => out.extend_from_slice(&b),
            None => return Err(vm.type_error("join expects a list of str/bytes objects consistent with self object")),
        }
    }
    make(vm, &s, &out)
}

fn strip(vm: &mut Vm, args: &[Obj], left: bool, right: bool) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let chars = match args.get(1) {
        Some(&o) if o != Obj::NONE => like(vm, &s, o)?,
        _ => ShortBytes::from_slice(b" \t\n\r\x0b\x0c"),
    };
    let (mut a, mut b) = (0, s.data.len());
    if left {
        while a < b && chars.contains(&s.data[a]) {
            a += 1;
        }
    }
    if right {
        while b > a && chars.contains(&s.data[b - 1]) {
            b -= 1;
        }
    }
    if let Some(&o) = args.first() {
        if a == 0 && b == s.data.len() {
            // Nothing stripped: the same object (as MicroPython, even a bytearray).
            return Ok(o);
        }
    }
    let d = s.data[a..b].to_vec();
    make(vm, &s, &d)
}

fn m_strip(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    strip(vm, args, true, true)
}

fn m_lstrip(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    strip(vm, args, true, false)
}

fn m_rstrip(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    strip(vm, args, false, true)
}

fn m_replace(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let o = need(vm, args, 1)?;
    let old = like(vm, &s, o)?;
    let n = need(vm, args, 2)?;
    let new = like(vm, &s, n)?;
    let mut max = match args.get(3) {
        Some(&m) => vm.expect_int(m)?,
        None => -1,
    };
    if max < 0 {
        max = i64::MAX;
    }
    let mut out = Vec::new();
    let mut p = 0;
    let mut done = 0;
    if old.is_empty() {
        // Insert `new` before every character and at the end.
        let chunks = split_chars(&s);
        for c in chunks {
            if done < max {
                out.extend_from_slice(&new);
                done += 1;
            }
            out.extend_from_slice(c);
        }
        if done < max {
            out.extend_from_slice(&new);
        }
        return make(vm, &s, &out);
    }
    while p < s.data.len() {
        if done < max && s.data[p..].starts_with(&old) {
            out.extend_from_slice(&new);
            p += old.len();
            done += 1;
        } else {
            out.push(s.data[p]);
            p += 1;
        }
    }
    // Nothing replaced: the receiver itself (no allocation; as in
    // MicroPython, also for a bytearray).
    if done == 0 {
        return Ok(args.first().copied().unwrap_or(Obj::NONE));
    }
    make(vm, &s, &out)
}

fn split_chars(s: &S) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=s.data.len() {
        if i == s.data.len() || !s.is_str || s.data[i] & 0xc0 != 0x80 {
            out.push(&s.data[start..i]);
            start = i;
        }
    }
    out
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn split_args(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<(Obj, i64)> {
    let mut sep = args.get(1).copied().unwrap_or(Obj::NONE);
    let mut maxsplit = match args.get(2) {
        Some(&o) => vm.expect_int(o)?,
        None => -1,
    };
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            match vm.str_text(*k).as_deref() {
                Some("sep") => sep = *v,
                Some("maxsplit") => maxsplit = vm.expect_int(*v)?,
                _ => return Err(vm.type_error("unexpected keyword argument")),
            }
        }
    }
    Ok((sep, maxsplit))
}

fn new_parts(vm: &mut Vm, s: &S, parts: &[&[u8]]) -> PyResult<Obj> {
    let list = vm.new_list(&[])?;
    vm.root(list);
    for p in parts {
        let o = make(vm, s, p)?;
        vm.list_append(list, o)?;
    }
    Ok(list)
}

fn m_split(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let (sep, maxsplit) = split_args(vm, args, kw)?;
    let d = &s.data;
    let mut parts: Vec<&[u8]> = Vec::new();
    if sep == Obj::NONE {
        let mut p = 0;
        while p < d.len() && is_ws(d[p]) {
            p += 1;
        }
        while p < d.len() {
            if maxsplit >= 0 && parts.len() as i64 >= maxsplit {
                // The rest is one part, its trailing whitespace kept (as CPython).
                parts.push(&d[p..]);
                break;
            }
            let start = p;
            while p < d.len() && !is_ws(d[p]) {
                p += 1;
            }
            parts.push(&d[start..p]);
            while p < d.len() && is_ws(d[p]) {
                p += 1;
            }
        }
    } else {
        let sep = like(vm, &s, sep)?;
        if sep.is_empty() {
            return Err(vm.value_error("empty separator"));
        }
        let mut start = 0;
        let mut p = 0;
        while p + sep.len() <= d.len() {
            if (maxsplit < 0 || (parts.len() as i64) < maxsplit) && d[p..].starts_with(&sep) {
                parts.push(&d[start..p]);
                p += sep.len();
                start = p;
            } else {
                p += 1;
            }
        }
        parts.push(&d[start..]);
    }
    new_parts(vm, &s, &parts)
}

fn m_rsplit(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let (sep, maxsplit) = split_args(vm, args, kw)?;
    if sep == Obj::NONE {
        if maxsplit < 0 {
            return m_split(vm, args, kw);
        }
        return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "rsplit(None,n)"));
    }
    let sep = like(vm, &s, sep)?;
    if sep.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let d = &s.data;
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut end = d.len();
    let mut p = d.len();
    while p >= sep.len() {
        if (maxsplit < 0 || (parts.len() as i64) < maxsplit) && d[p - sep.len()..p] == sep[..] {
            parts.push(&d[p..end]);
            p -= sep.len();
            end = p;
        } else {
            p -= 1;
        }
    }
    parts.push(&d[..end]);
    parts.reverse();
    new_parts(vm, &s, &parts)
}

fn m_splitlines(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let mut keep = match args.get(1) {
        Some(&o) => vm.is_true(o)?,
        None => false,
    };
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            if vm.str_text(*k).as_deref() == Some("keepends") {
                keep = vm.is_true(*v)?;
            } else {
                return Err(vm.type_error("unexpected keyword argument"));
            }
        }
    }
    let d = &s.data;
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut p = 0;
    while p < d.len() {
        let start = p;
        let mut m = 0;
        while p < d.len() {
            if d[p] == b'\n' {
                m = 1;
                break;
            } else if d[p] == b'\r' {
                m = if d.get(p + 1) == Some(&b'\n') { 2 } else { 1 };
                break;
            }
            p += 1;
        }
        parts.push(&d[start..if keep { p + m } else { p }]);
        p += m;
    }
    new_parts(vm, &s, &parts)
}

fn partition(vm: &mut Vm, args: &[Obj], rev: bool) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let o = need(vm, args, 1)?;
    let sep = like(vm, &s, o)?;
    if sep.is_empty() {
        return Err(vm.value_error("empty separator"));
    }
    let (a, b, c): (&[u8], &[u8], &[u8]) = match find_sub(&s.data, &sep, rev) {
        Some(p) => (&s.data[..p], &sep, &s.data[p + sep.len()..]),
        None if rev => (&[], &[], &s.data),
        None => (&s.data, &[], &[]),
    };
    let x = make(vm, &s, a)?;
    let y = make(vm, &s, b)?;
    let z = make(vm, &s, c)?;
    vm.new_tuple(&[x, y, z])
}

fn m_partition(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    partition(vm, args, false)
}

fn m_rpartition(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    partition(vm, args, true)
}

fn m_center(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let w = need(vm, args, 1)?;
    let width = vm.expect_int(w)?;
    let n = char_len(&s, &s.data) as i64;
    if n >= width {
        return Ok(args[0]);
    }
    let pad = (width - n) as usize;
    if pad > (1 << 24) {
        return Err(vm.memory_error_of(pad));
    }
    let left = pad / 2;
    let mut out = alloc::vec![b' '; left];
    out.extend_from_slice(&s.data);
    out.resize(out.len() + pad - left, b' ');
    make(vm, &s, &out)
}

fn m_encode(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    vm.new_bytes(&s.data)
}

fn m_decode(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    let text = String::from_utf8_lossy(&s.data).into_owned();
    vm.new_str(&text)
}

fn m_hex(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = recv(vm, args)?;
    hex_of(vm, &s.data, args.get(1).copied())
}

/// `bytes.hex([sep])` for any buffer: two lowercase hex digits per byte, the first byte of
/// `sep` (a str or bytes) between them, as MicroPython's `mp_obj_bytes_hex`.
pub(crate) fn hex_of(vm: &mut Vm, data: &[u8], sep: Option<Obj>) -> PyResult<Obj> {
    let sep = match sep {
        Some(o) => match vm.buffer_or_str(o) {
            Some(b) => b.first().copied(),
            None => return Err(vm.type_error("can't convert to str implicitly")),
        },
        None => None,
    };
    let mut out = String::new();
    for (i, b) in data.iter().enumerate() {
        if i > 0 {
            if let Some(c) = sep {
                out.push(char::from(c));
            }
        }
        out.push_str(&alloc::format!("{b:02x}"));
    }
    vm.new_str(&out)
}

fn m_fromhex(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    // Called as bytes.fromhex(s) (class bound or plain): the text is the last arg.
    let o = match args.last() {
        Some(&o) => o,
        None => return Err(vm.type_error("function missing required positional argument")),
    };
    let text = vm.expect_str(o)?;
    // Whitespace may only separate pairs of hex digits.
    let d = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < d.len() {
        if d[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        match (hex_val(d[i]), d.get(i + 1).and_then(|&c| hex_val(c))) {
            (Some(a), Some(b)) => out.push(a * 16 + b),
            _ => return Err(vm.value_error("non-hex digit")),
        }
        i += 2;
    }
    vm.new_bytes(&out)
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}
