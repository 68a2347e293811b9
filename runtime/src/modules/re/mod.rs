//! The `re` module with MicroPython's API (`compile`, `match`, `search`, `sub`,
//! `split`; pattern objects with `match`/`search`/`sub`/`split` taking
//! `pos`/`endpos`; match objects with `group`, `groups`, `start`, `end`,
//! `span`) plus `fullmatch`, `findall` and the `IGNORECASE`/`MULTILINE`/`DOTALL`
//! flags. The engine is ours ([`compile`], [`exec`]): a backtracking program
//! with step and stack budgets, so a runaway pattern raises RuntimeError.
//!
//! A pattern object is `[type, source str/bytes, flags]`; compiled programs are
//! kept in a small per-VM cache keyed by source and flags. A match object is
//! `[type, subject, pattern, group count, span words (2 per group, -1 = unset)]`;
//! group texts are cut from the subject when asked for.

pub mod compile;
pub mod exec;

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use self::compile::Program;
use self::exec::{Captures, Matcher};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// `re.DEBUG` (accepted; nothing is printed).
pub const DEBUG: u32 = 4096;
/// Programs kept per VM.
const CACHE_SIZE: usize = 32;

/// A compiled-program cache entry: (source str/bytes object, bytes pattern?, flags,
/// program). The source objects are GC roots while cached (`SystemState::trace`),
/// so identity comparison is safe.
pub type CacheEntry = (Obj, bool, u32, Arc<Program>);

/// The module's function table.
pub static RE_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("re", ids::OBJECT) };

static FUNCS: [Method; 7] = [
    Method::new_static("compile", re_compile),
    Method::new_static("match", re_match),
    Method::new_static("search", re_search),
    Method::new_static("fullmatch", re_fullmatch),
    Method::new_static("sub", re_sub),
    Method::new_static("split", re_split),
    Method::new_static("findall", re_findall),
];

static PATTERN_METHODS: [Method; 6] = [
    Method::new("match", p_match),
    Method::new("search", p_search),
    Method::new("fullmatch", p_fullmatch),
    Method::new("sub", p_sub),
    Method::new("split", p_split),
    Method::new("findall", p_findall),
];

/// Compiled patterns.
pub static PATTERN_TYPE: TypeDesc =
    TypeDesc { print: Some(pattern_print), methods: &PATTERN_METHODS, ..TypeDesc::new("re", ids::OBJECT) };

static MATCH_METHODS: [Method; 5] = [
    Method::new("group", m_group),
    Method::new("groups", m_groups),
    Method::new("start", m_start),
    Method::new("end", m_end),
    Method::new("span", m_span),
];

/// Match objects.
pub static MATCH_TYPE: TypeDesc =
    TypeDesc { print: Some(match_print), methods: &MATCH_METHODS, ..TypeDesc::new("match", ids::OBJECT) };

/// Builds the `re` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let small = |v: u32| Obj::from_small_int(v as i32).unwrap_or(Obj::NONE);
    let extra = [
        ("IGNORECASE", small(compile::IGNORECASE)),
        ("I", small(compile::IGNORECASE)),
        ("MULTILINE", small(compile::MULTILINE)),
        ("M", small(compile::MULTILINE)),
        ("DOTALL", small(compile::DOTALL)),
        ("S", small(compile::DOTALL)),
        ("DEBUG", small(DEBUG)),
    ];
    super::make_module(vm, "re", ids::RE_FUNCS, &extra)
}

fn pattern_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let _ = vm;
    out.push_str(&alloc::format!("<re {:x}>", o.raw()));
    Ok(())
}

fn match_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let n = vm.get(o, 3).small_int_value().unwrap_or(0);
    out.push_str(&alloc::format!("<match num={n}>"));
    Ok(())
}

/// The code points of a str, or the bytes of a bytes-like object (`true`).
fn units(vm: &mut Vm, o: Obj) -> PyResult<(Vec<u32>, bool)> {
    if vm.is_str(o) {
        let s = vm.str_text(o).unwrap_or_default();
        return Ok((s.chars().map(|c| c as u32).collect(), false));
    }
    match vm.buffer_bytes(o) {
        Some(b) => Ok((b.into_iter().map(u32::from).collect(), true)),
        None => {
            let n = vm.type_name(o);
            Err(vm.type_error(&alloc::format!("can't convert '{n}' object to str implicitly")))
        }
    }
}

/// A str (or bytes) object of `text[a..b]`.
fn slice_obj(vm: &mut Vm, text: &[u32], a: usize, b: usize, bytes: bool) -> PyResult<Obj> {
    let part = &text[a.min(text.len())..b.min(text.len())];
    if bytes {
        let v: Vec<u8> = part.iter().map(|&c| c as u8).collect();
        vm.new_bytes(&v)
    } else {
        let s: String = part.iter().filter_map(|&c| char::from_u32(c)).collect();
        vm.new_str(&s)
    }
}

/// The program for pattern object or source `p` with `flags`.
fn program(vm: &mut Vm, p: Obj, flags: u32) -> PyResult<(Arc<Program>, bool)> {
    let (src_obj, flags) = if vm.is_exact(p, ids::RE_PATTERN) {
        (vm.get(p, 1), vm.get(p, 2).small_int_value().unwrap_or(0) as u32)
    } else if vm.is_str(p) || vm.is_exact(p, ids::BYTES) {
        (p, flags)
    } else {
        return Err(vm.type_error("first argument must be a string or compiled pattern"));
    };
    let bytes = !vm.is_str(src_obj);
    // The same object (a compiled pattern's source) first, then equal text.
    let hit = {
        let cache = &vm.st.sys.re_cache;
        cache
            .iter()
            .rposition(|e| e.0 == src_obj && e.1 == bytes && e.2 == flags)
            .or_else(|| cache.iter().rposition(|e| e.1 == bytes && e.2 == flags && vm.str_equal(e.0, src_obj)))
    };
    if let Some(i) = hit {
        let cache = &mut vm.st.sys.re_cache;
        let prog = cache[i].3.clone();
        if i + 1 != cache.len() {
            let e = cache.remove(i);
            cache.push(e);
        }
        return Ok((prog, bytes));
    }
    let (src, _) = units(vm, src_obj)?;
    match compile::compile(&src, flags) {
        Ok(prog) => {
            let prog = Arc::new(prog);
            let cache = &mut vm.st.sys.re_cache;
            if cache.len() >= CACHE_SIZE {
                cache.remove(0);
            }
            cache.push((src_obj, bytes, flags, prog.clone()));
            Ok((prog, bytes))
        }
        Err(e) => Err(vm.value_error(&compile::error_text(&e))),
    }
}

fn too_complex(vm: &mut Vm) -> crate::error::PyErr {
    vm.new_error(ids::RUNTIME_ERROR, "regex too complex")
}

fn flags_arg(vm: &mut Vm, o: Option<Obj>) -> PyResult<u32> {
    match o {
        Some(f) => Ok(vm.expect_int(f)? as u32),
        None => Ok(0),
    }
}

fn re_compile(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 1, 2)?;
    if vm.is_exact(args[0], ids::RE_PATTERN) {
        return Ok(args[0]);
    }
    let flags = flags_arg(vm, args.get(1).copied().or_else(|| vm.kwarg(kw, "flags")))?;
    program(vm, args[0], flags)?;
    let o = vm.alloc(3)?;
    vm.set(o, 0, crate::types::type_obj(ids::RE_PATTERN));
    vm.set(o, 1, args[0]);
    vm.set(o, 2, Obj::from_small_int(flags as i32).unwrap_or(Obj::NONE));
    Ok(o)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Match,
    Search,
    Full,
}

/// A match object for captures `caps` (group values are made when asked for).
fn new_match(vm: &mut Vm, subject: Obj, pattern: Obj, _text: &[u32], _bytes: bool, caps: &Captures) -> PyResult<Obj> {
    let n = caps.len() / 2;
    let o = vm.alloc(4 + 2 * n)?;
    vm.set(o, 0, crate::types::type_obj(ids::RE_MATCH));
    vm.set(o, 1, subject);
    vm.set(o, 2, pattern);
    vm.set(o, 3, Obj::from_small_int(n as i32).unwrap_or(Obj::NONE));
    for g in 0..n {
        let (a, b) = match (caps[2 * g], caps[2 * g + 1]) {
            (Some(a), Some(b)) => (a as i32, b as i32),
            _ => (-1, -1),
        };
        // Positions fit small ints (texts are far below 2^30 characters).
        vm.set(o, 4 + 2 * g, Obj::from_small_int(a).unwrap_or(Obj::NONE));
        vm.set(o, 5 + 2 * g, Obj::from_small_int(b).unwrap_or(Obj::NONE));
    }
    Ok(o)
}

/// The text of group `g` of match `m` (None if it did not take part).
fn group_value(vm: &mut Vm, m: Obj, g: usize) -> PyResult<Obj> {
    let a = vm.get(m, 4 + 2 * g).small_int_value().unwrap_or(-1);
    let b = vm.get(m, 5 + 2 * g).small_int_value().unwrap_or(-1);
    if a < 0 {
        return Ok(Obj::NONE);
    }
    let subject = vm.get(m, 1);
    let (a, b) = (a as usize, b as usize);
    if !vm.is_str(subject) {
        let data = vm.buffer_bytes(subject).unwrap_or_default();
        return vm.new_bytes(&data[a.min(data.len())..b.min(data.len())]);
    }
    let data = vm.str_bytes(subject).unwrap_or_default();
    let text = core::str::from_utf8(&data).unwrap_or("");
    if text.is_ascii() {
        return vm.new_str(&text[a.min(text.len())..b.min(text.len())]);
    }
    let part: String = text.chars().skip(a).take(b.saturating_sub(a)).collect();
    vm.new_str(&part)
}

/// pos/endpos arguments clamped to the text.
fn bounds(vm: &mut Vm, pos: Option<Obj>, endpos: Option<Obj>, len: usize) -> PyResult<(usize, usize)> {
    let clamp = |v: i64| -> usize { v.clamp(0, len as i64) as usize };
    let start = match pos {
        Some(p) => clamp(vm.expect_int(p)?),
        None => 0,
    };
    let end = match endpos {
        Some(e) => clamp(vm.expect_int(e)?),
        None => len,
    };
    Ok((start, end))
}

fn do_match(
    vm: &mut Vm,
    pattern: Obj,
    flags: u32,
    subject: Obj,
    pos: Option<Obj>,
    endpos: Option<Obj>,
    mode: Mode,
) -> PyResult<Obj> {
    let (prog, pbytes) = program(vm, pattern, flags)?;
    let (text, bytes) = units(vm, subject)?;
    if bytes != pbytes {
        return Err(vm.type_error("can't use a string pattern on a bytes-like object (or the reverse)"));
    }
    let (start, end) = bounds(vm, pos, endpos, text.len())?;
    if start > end {
        return Ok(Obj::NONE);
    }
    let mut m = Matcher::new(&prog, &text, end);
    m.full = mode == Mode::Full;
    let r = match mode {
        Mode::Search => m.search(start),
        _ => m.match_at(start),
    };
    match r {
        Err(_) => Err(too_complex(vm)),
        Ok(None) => Ok(Obj::NONE),
        Ok(Some(caps)) => new_match(vm, subject, pattern, &text, bytes, &caps),
    }
}

fn module_match(vm: &mut Vm, args: &[Obj], kw: &[Obj], mode: Mode) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let flags = flags_arg(vm, args.get(2).copied().or_else(|| vm.kwarg(kw, "flags")))?;
    do_match(vm, args[0], flags, args[1], None, None, mode)
}

fn re_match(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    module_match(vm, args, kw, Mode::Match)
}

fn re_search(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    module_match(vm, args, kw, Mode::Search)
}

fn re_fullmatch(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    module_match(vm, args, kw, Mode::Full)
}

fn pattern_self(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let p = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_exact(p, ids::RE_PATTERN) {
        return Err(vm.type_error("compiled pattern expected"));
    }
    Ok(p)
}

fn pattern_match(vm: &mut Vm, args: &[Obj], kw: &[Obj], mode: Mode) -> PyResult<Obj> {
    let p = pattern_self(vm, args)?;
    crate::builtins::check_count(vm, args, 2, 4)?;
    let pos = args.get(2).copied().or_else(|| vm.kwarg(kw, "pos"));
    let endpos = args.get(3).copied().or_else(|| vm.kwarg(kw, "endpos"));
    do_match(vm, p, 0, args[1], pos, endpos, mode)
}

fn p_match(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    pattern_match(vm, args, kw, Mode::Match)
}

fn p_search(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    pattern_match(vm, args, kw, Mode::Search)
}

fn p_fullmatch(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    pattern_match(vm, args, kw, Mode::Full)
}

/// Every non-overlapping match of `prog` in `text` (MicroPython's and CPython's
/// rule for empty matches: one may not start where the previous empty match was).
fn all_matches(vm: &mut Vm, prog: &Program, text: &[u32], limit: usize, skip_empty: bool) -> PyResult<Vec<Captures>> {
    let mut out = Vec::new();
    let mut m = Matcher::new(prog, text, text.len());
    let (mut pos, mut last_empty) = (0usize, usize::MAX);
    while pos <= text.len() && (limit == 0 || out.len() < limit) {
        let caps = match m.search(pos) {
            Err(_) => return Err(too_complex(vm)),
            Ok(None) => break,
            Ok(Some(c)) => c,
        };
        let (s, e) = (caps[0].unwrap_or(pos), caps[1].unwrap_or(pos));
        if s == e {
            if skip_empty {
                // MicroPython's split stops at the first empty match.
                break;
            }
            if s == last_empty {
                pos = s + 1;
                continue;
            }
            last_empty = s;
            pos = s;
        } else {
            pos = e;
        }
        out.push(caps);
    }
    Ok(out)
}

/// Expands a `sub` template: `\1`..`\99`, `\g<n>`, and the usual escapes.
fn expand(vm: &mut Vm, tpl: &[u32], text: &[u32], caps: &Captures, out: &mut Vec<u32>) -> PyResult<()> {
    let n = caps.len() / 2;
    let mut i = 0;
    let group = |vm: &mut Vm, g: usize, out: &mut Vec<u32>| -> PyResult<()> {
        if g >= n {
            return Err(vm.new_error(ids::INDEX_ERROR, "invalid group"));
        }
        if let (Some(a), Some(b)) = (caps[2 * g], caps[2 * g + 1]) {
            out.extend_from_slice(&text[a..b]);
        }
        Ok(())
    };
    while i < tpl.len() {
        let c = tpl[i];
        i += 1;
        if c != '\\' as u32 || i >= tpl.len() {
            out.push(c);
            continue;
        }
        let e = char::from_u32(tpl[i]).unwrap_or('\0');
        i += 1;
        match e {
            '0'..='9' => {
                let mut g = e as usize - '0' as usize;
                if let Some(d) = tpl.get(i).and_then(|&c| char::from_u32(c)).and_then(|c| c.to_digit(10)) {
                    g = g * 10 + d as usize;
                    i += 1;
                }
                group(vm, g, out)?;
            }
            'g' if tpl.get(i) == Some(&('<' as u32)) => {
                let close = tpl[i..].iter().position(|&c| c == '>' as u32).map(|p| p + i);
                let Some(close) = close else { return Err(vm.new_error(ids::INDEX_ERROR, "invalid group")) };
                let name: String = tpl[i + 1..close].iter().filter_map(|&c| char::from_u32(c)).collect();
                let g = name.parse::<usize>().unwrap_or(usize::MAX);
                group(vm, g, out)?;
                i = close + 1;
            }
            'n' => out.push(10),
            't' => out.push(9),
            'r' => out.push(13),
            '\\' => out.push('\\' as u32),
            _ => {
                out.push('\\' as u32);
                out.push(e as u32);
            }
        }
    }
    Ok(())
}

fn sub_impl(vm: &mut Vm, pattern: Obj, flags: u32, repl: Obj, subject: Obj, count: usize) -> PyResult<Obj> {
    let (prog, pbytes) = program(vm, pattern, flags)?;
    let (text, bytes) = units(vm, subject)?;
    if bytes != pbytes {
        return Err(vm.type_error("can't use a string pattern on a bytes-like object (or the reverse)"));
    }
    let callable = !vm.is_str(repl) && !vm.is_exact(repl, ids::BYTES);
    let tpl = if callable { Vec::new() } else { units(vm, repl)?.0 };
    let matches = all_matches(vm, &prog, &text, count, false)?;
    let mut out: Vec<u32> = Vec::with_capacity(text.len());
    let mut last = 0;
    for caps in &matches {
        let (s, e) = (caps[0].unwrap_or(0), caps[1].unwrap_or(0));
        out.extend_from_slice(&text[last..s]);
        if callable {
            let r = vm.with_temps(|vm| {
                let m = new_match(vm, subject, pattern, &text, bytes, caps)?;
                vm.root(m);
                let r = vm.call(repl, &[m], &[])?;
                vm.root(r);
                units(vm, r)
            })?;
            out.extend_from_slice(&r.0);
        } else {
            expand(vm, &tpl, &text, caps, &mut out)?;
        }
        last = e;
    }
    out.extend_from_slice(&text[last..]);
    slice_obj(vm, &out, 0, out.len(), bytes)
}

fn count_arg(vm: &mut Vm, o: Option<Obj>) -> PyResult<usize> {
    match o {
        Some(c) => Ok(vm.expect_int(c)?.max(0) as usize),
        None => Ok(0),
    }
}

fn re_sub(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 3, 5)?;
    let count = count_arg(vm, args.get(3).copied().or_else(|| vm.kwarg(kw, "count")))?;
    let flags = flags_arg(vm, args.get(4).copied().or_else(|| vm.kwarg(kw, "flags")))?;
    sub_impl(vm, args[0], flags, args[1], args[2], count)
}

fn p_sub(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let p = pattern_self(vm, args)?;
    crate::builtins::check_count(vm, args, 3, 4)?;
    let count = count_arg(vm, args.get(3).copied().or_else(|| vm.kwarg(kw, "count")))?;
    sub_impl(vm, p, 0, args[1], args[2], count)
}

/// `split`: pieces between matches (splitting stops at the first empty match,
/// as in MicroPython), with the groups of each match in between (as in CPython).
fn split_impl(vm: &mut Vm, pattern: Obj, flags: u32, subject: Obj, maxsplit: usize) -> PyResult<Obj> {
    let (prog, _) = program(vm, pattern, flags)?;
    let (text, bytes) = units(vm, subject)?;
    let matches = all_matches(vm, &prog, &text, maxsplit, true)?;
    vm.with_temps(|vm| {
        let list = vm.new_list(&[])?;
        vm.root(list);
        let mut last = 0;
        for caps in &matches {
            let (s, e) = (caps[0].unwrap_or(0), caps[1].unwrap_or(0));
            let piece = slice_obj(vm, &text, last, s, bytes)?;
            vm.list_append(list, piece)?;
            for g in 1..caps.len() / 2 {
                let v = match (caps[2 * g], caps[2 * g + 1]) {
                    (Some(a), Some(b)) => slice_obj(vm, &text, a, b, bytes)?,
                    _ => Obj::NONE,
                };
                vm.list_append(list, v)?;
            }
            last = e;
        }
        let piece = slice_obj(vm, &text, last, text.len(), bytes)?;
        vm.list_append(list, piece)?;
        Ok(list)
    })
}

fn re_split(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 4)?;
    let maxsplit = count_arg(vm, args.get(2).copied().or_else(|| vm.kwarg(kw, "maxsplit")))?;
    let flags = flags_arg(vm, args.get(3).copied().or_else(|| vm.kwarg(kw, "flags")))?;
    split_impl(vm, args[0], flags, args[1], maxsplit)
}

fn p_split(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let p = pattern_self(vm, args)?;
    crate::builtins::check_count(vm, args, 2, 3)?;
    let maxsplit = count_arg(vm, args.get(2).copied().or_else(|| vm.kwarg(kw, "maxsplit")))?;
    split_impl(vm, p, 0, args[1], maxsplit)
}

/// `findall`: group 0 of each match, or its only group, or a tuple of its groups.
fn findall_impl(vm: &mut Vm, pattern: Obj, flags: u32, subject: Obj) -> PyResult<Obj> {
    let (prog, _) = program(vm, pattern, flags)?;
    let (text, bytes) = units(vm, subject)?;
    let matches = all_matches(vm, &prog, &text, 0, false)?;
    vm.with_temps(|vm| {
        let list = vm.new_list(&[])?;
        vm.root(list);
        for caps in &matches {
            let n = caps.len() / 2;
            let mut items = Vec::new();
            for g in if n == 1 { 0..1 } else { 1..n } {
                let v = match (caps[2 * g], caps[2 * g + 1]) {
                    (Some(a), Some(b)) => slice_obj(vm, &text, a, b, bytes)?,
                    _ => slice_obj(vm, &text, 0, 0, bytes)?,
                };
                vm.root(v);
                items.push(v);
            }
            let item = if items.len() == 1 { items[0] } else { vm.new_tuple(&items)? };
            vm.list_append(list, item)?;
        }
        Ok(list)
    })
}

fn re_findall(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let flags = flags_arg(vm, args.get(2).copied().or_else(|| vm.kwarg(kw, "flags")))?;
    findall_impl(vm, args[0], flags, args[1])
}

fn p_findall(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let p = pattern_self(vm, args)?;
    let s = crate::builtins::arg(vm, args, 1)?;
    findall_impl(vm, p, 0, s)
}

// ----- match objects -----

fn match_self(vm: &mut Vm, args: &[Obj]) -> PyResult<(Obj, usize)> {
    let m = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_exact(m, ids::RE_MATCH) {
        return Err(vm.type_error("match object expected"));
    }
    let n = vm.get(m, 3).small_int_value().unwrap_or(0) as usize;
    Ok((m, n))
}

fn group_index(vm: &mut Vm, o: Option<Obj>, n: usize) -> PyResult<usize> {
    let g = match o {
        Some(o) => vm.expect_int(o)?,
        None => 0,
    };
    if g < 0 || g as usize >= n {
        return Err(vm.new_error(ids::INDEX_ERROR, "no such group"));
    }
    Ok(g as usize)
}

fn m_group(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (m, n) = match_self(vm, args)?;
    if args.len() <= 2 {
        let g = group_index(vm, args.get(1).copied(), n)?;
        return group_value(vm, m, g);
    }
    vm.with_temps(|vm| {
        let mut items = Vec::new();
        for &a in &args[1..] {
            let g = group_index(vm, Some(a), n)?;
            let v = group_value(vm, m, g)?;
            items.push(vm.root(v));
        }
        vm.new_tuple(&items)
    })
}

fn m_groups(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let (m, n) = match_self(vm, args)?;
    let dflt = args.get(1).copied().or_else(|| vm.kwarg(kw, "default")).unwrap_or(Obj::NONE);
    vm.with_temps(|vm| {
        let mut items = Vec::with_capacity(n);
        for g in 1..n {
            let unset = vm.get(m, 4 + 2 * g).small_int_value() == Some(-1);
            let v = if unset { dflt } else { group_value(vm, m, g)? };
            items.push(vm.root(v));
        }
        vm.new_tuple(&items)
    })
}

fn m_pos(vm: &mut Vm, args: &[Obj], which: usize) -> PyResult<Obj> {
    let (m, n) = match_self(vm, args)?;
    let g = group_index(vm, args.get(1).copied(), n)?;
    Ok(vm.get(m, 4 + 2 * g + which))
}

fn m_start(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    m_pos(vm, args, 0)
}

fn m_end(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    m_pos(vm, args, 1)
}

fn m_span(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = m_pos(vm, args, 0)?;
    let b = m_pos(vm, args, 1)?;
    vm.new_tuple(&[a, b])
}
