//! String formatting as MicroPython does it: `str.format` (fields with
//! positional/keyword names, `!r`/`!s`, nested `{}` in the spec, the spec
//! mini-language `[[fill]align][sign][#][0][width][,][.precision][type]`) and
//! `fmt % args` (flags `-+ #0`, `*` width/precision, `%(key)s`).

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;
use num_bigint::BigInt;

/// Padding and sign options for one formatted value.
#[derive(Clone, Copy)]
struct Pad {
    fill: char,
    /// '<', '>', '^' or '=' (pad after the sign).
    align: char,
    width: usize,
    /// '+', ' ' or '\0'.
    sign: char,
    prefix: bool,
}

/// Pads `body` to `p.width`; like MicroPython, the width counts bytes.
fn pad_text(body: &str, p: Pad, out: &mut String) {
    let len = body.len();
    let pad = p.width.saturating_sub(len);
    let (left, right) = match p.align {
        '<' => (0, pad),
        '^' => (pad / 2, pad - pad / 2),
        _ => (pad, 0),
    };
    out.extend(core::iter::repeat_n(p.fill, left));
    out.push_str(body);
    out.extend(core::iter::repeat_n(p.fill, right));
}

/// Formats an integer in `base` (`upper` for X), with sign, prefix, precision
/// (minimum digits) and padding.
fn format_int(n: &BigInt, base: u32, upper: bool, prec: Option<usize>, group: Option<char>, p: Pad, out: &mut String) {
    let mut digits = n.magnitude().to_str_radix(base);
    if upper {
        digits.make_ascii_uppercase();
    }
    if let Some(sep) = group {
        let size = if base == 10 { 3 } else { 4 };
        let mut grouped = group_digits(&digits, sep, size);
        if p.fill == '0' && p.align == '=' {
            // Zero padding is grouped too: add zeros until the width is reached.
            let head = usize::from(n.sign() == num_bigint::Sign::Minus || p.sign == '+' || p.sign == ' ')
                + if p.prefix && base != 10 { 2 } else { 0 };
            let target = p.width.saturating_sub(head);
            let mut d = digits.len();
            while d + d.saturating_sub(1) / size < target {
                d += 1;
            }
            if d > digits.len() {
                let mut zeros: String = core::iter::repeat_n('0', d - digits.len()).collect();
                zeros.push_str(&digits);
                grouped = group_digits(&zeros, sep, size);
            }
        }
        digits = grouped;
    }
    if let Some(prec) = prec {
        while digits.len() < prec {
            digits.insert(0, '0');
        }
    }
    if let Some(prec) = prec {
        while digits.len() < prec {
            digits.insert(0, '0');
        }
    }
    let prefix = match (p.prefix, base, upper) {
        (false, ..) => "",
        (true, 2, _) => "0b",
        (true, 8, _) => "0o",
        (true, 16, true) => "0X",
        (true, 16, false) => "0x",
        _ => "",
    };
    pad_number(n.sign() == num_bigint::Sign::Minus, prefix, &digits, p, out);
}

/// Writes a number: its sign (`-`, or the spec's `+`/space), `prefix`, then
/// `digits`, padded; with '=' alignment the padding goes after sign and prefix.
fn pad_number(negative: bool, prefix: &str, digits: &str, p: Pad, out: &mut String) {
    let mut head = String::new();
    if negative {
        head.push('-');
    } else if p.sign == '+' || p.sign == ' ' {
        head.push(p.sign);
    }
    head.push_str(prefix);
    if p.align == '=' {
        out.push_str(&head);
        let rest = Pad { width: p.width.saturating_sub(head.len()), align: '>', ..p };
        pad_text(digits, rest, out);
    } else {
        head.push_str(digits);
        pad_text(&head, p, out);
    }
}

/// `digits` with `sep` between groups of `size`, counted from the right.
fn group_digits(digits: &str, sep: char, size: usize) -> String {
    let n = digits.chars().count();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % size == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `mantissa e exponent` with Python's exponent form (`e+05`, `e-10`).
fn sci(mag: f64, prec: usize, upper: bool) -> String {
    let text = alloc::format!("{mag:.prec$e}");
    let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    let e = if upper { 'E' } else { 'e' };
    alloc::format!("{mant}{e}{sign}{:02}", exp.unsigned_abs())
}

/// Removes trailing zeros after a decimal point (and the point itself if bare),
/// keeping any exponent part.
fn strip_fraction_zeros(text: &str) -> String {
    let (num, exp) = match text.find(['e', 'E']) {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let num = if num.contains('.') { num.trim_end_matches('0').trim_end_matches('.') } else { num };
    alloc::format!("{num}{exp}")
}

/// The digits (no sign) of float magnitude `mag` for format type `ty`
/// (`e E f F g G %`, or `\0` with a precision: general format keeping a
/// decimal point), `prec` digits, `alt` for the `#` flag.
fn float_digits(mag: f64, ty: char, prec: Option<usize>, alt: bool) -> String {
    let upper = matches!(ty, 'E' | 'F' | 'G');
    if !mag.is_finite() {
        let t = if mag.is_nan() { "nan" } else { "inf" };
        return if upper { t.to_uppercase() } else { String::from(t) };
    }
    match ty {
        'f' | 'F' => alloc::format!("{mag:.*}", prec.unwrap_or(6)),
        '%' => alloc::format!("{:.*}%", prec.unwrap_or(6), mag * 100.0),
        'e' | 'E' => sci(mag, prec.unwrap_or(6), upper),
        _ => {
            // General format: scientific when the exponent is < -4 or >= precision.
            let p = prec.unwrap_or(6).max(1);
            let exp = if mag == 0.0 {
                0
            } else {
                let rounded = sci(mag, p - 1, false);
                rounded.rsplit_once('e').and_then(|(_, e)| e.parse::<i32>().ok()).unwrap_or(0)
            };
            let text = if exp < -4 || exp >= p as i32 {
                sci(mag, p - 1, upper)
            } else {
                alloc::format!("{mag:.*}", (p as i32 - 1 - exp).max(0) as usize)
            };
            if alt {
                text
            } else if ty == '\0' && !text.contains(['.', 'e', 'E']) {
                alloc::format!("{text}.0")
            } else {
                strip_fraction_zeros(&text)
            }
        }
    }
}

/// The digits of float `v` for type `ty` as MicroPython prints them: it renders into a
/// 33-byte buffer (one byte less after a sign), and an `f` rendering longer than that
/// switches to `g` with one more significant digit (`'%.2f' % 8.888e32` is `8.89e+32`).
fn float_body(v: f64, ty: char, prec: Option<usize>, alt: bool, sign: char) -> String {
    let mag = v.abs();
    if matches!(ty, 'f' | 'F') && mag.is_finite() && mag >= 10.0 {
        let p = prec.unwrap_or(6);
        let text = alloc::format!("{mag:e}");
        let e = text.rsplit_once('e').and_then(|(_, x)| x.parse::<usize>().ok()).unwrap_or(0);
        let signed = v.is_sign_negative() || sign == '+' || sign == ' ';
        let room = if signed { 32 } else { 33 };
        if e + p + 2 > room {
            return float_digits(mag, if ty == 'F' { 'G' } else { 'g' }, Some(p + 1), alt);
        }
    }
    float_digits(mag, ty, prec, alt)
}

fn is_int_like(vm: &Vm, o: Obj) -> Option<i64> {
    if o == Obj::TRUE {
        return Some(1);
    }
    if o == Obj::FALSE {
        return Some(0);
    }
    vm.int_value(o)
}

fn kw_lookup(vm: &mut Vm, kw: &[Obj], name: &str) -> PyResult<Obj> {
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            if vm.str_text(*k).as_deref() == Some(name) {
                return Ok(*v);
            }
        }
    }
    let key = vm.new_str(name)?;
    Err(super::dict::key_error(vm, key))
}

/// `str.format(*args, **kwargs)`.
pub fn str_format(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let fmt = match args.first() {
        Some(&f) => vm.expect_str(f)?,
        None => return Err(vm.type_error("format needs a string")),
    };
    let pos = args.get(1..).unwrap_or(&[]);
    let mut auto: i64 = 0;
    let chars: Vec<char> = fmt.chars().collect();
    let text = format_helper(vm, &chars, &mut auto, pos, kw, 0)?;
    vm.new_str(&text)
}

fn format_helper(vm: &mut Vm, s: &[char], auto: &mut i64, pos: &[Obj], kw: &[Obj], depth: usize) -> PyResult<String> {
    if depth > 8 {
        return Err(vm.value_error("invalid format specifier"));
    }
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c == '}' {
            if s.get(i) == Some(&'}') {
                out.push('}');
                i += 1;
                continue;
            }
            return Err(vm.value_error("single '}' encountered in format string"));
        }
        if c != '{' {
            out.push(c);
            continue;
        }
        if s.get(i) == Some(&'{') {
            out.push('{');
            i += 1;
            continue;
        }
        let name_start = i;
        while i < s.len() && !matches!(s[i], '}' | '!' | ':') {
            i += 1;
        }
        let name: String = s[name_start..i].iter().collect();
        let mut conv = None;
        if i < s.len() && s[i] == '!' {
            i += 1;
            match s.get(i) {
                Some(&c @ ('r' | 's')) => {
                    conv = Some(c);
                    i += 1;
                }
                Some(&c) => {
                    let msg = alloc::format!("unknown conversion specifier {c}");
                    return Err(vm.value_error(&msg));
                }
                None => return Err(vm.value_error("end of format while looking for conversion specifier")),
            }
        }
        let mut spec: Option<Vec<char>> = None;
        if i < s.len() && s[i] == ':' {
            i += 1;
            if s.get(i) != Some(&'}') {
                let start = i;
                let mut nest = 1;
                while i < s.len() {
                    if s[i] == '{' {
                        nest += 1;
                    } else if s[i] == '}' {
                        nest -= 1;
                        if nest == 0 {
                            break;
                        }
                    }
                    i += 1;
                }
                spec = Some(s[start..i.min(s.len())].to_vec());
            }
        }
        if i >= s.len() {
            return Err(vm.value_error("unmatched '{' in format"));
        }
        if s[i] != '}' {
            return Err(vm.value_error("expected ':' after format specifier"));
        }
        i += 1;
        let mut arg = if !name.is_empty() {
            let first = name.chars().next().unwrap_or(' ');
            let lookup_end = name.find(['.', '[']).unwrap_or(name.len());
            let v = if first.is_ascii_digit() {
                if *auto > 0 {
                    return Err(
                        vm.value_error("can't switch from automatic field numbering to manual field specification")
                    );
                }
                let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
                *auto = -1;
                let idx = digits.parse::<usize>().unwrap_or(usize::MAX);
                if digits.len() != lookup_end {
                    return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "attributes not supported"));
                }
                match pos.get(idx) {
                    Some(&v) => v,
                    None => return Err(vm.new_error(ids::INDEX_ERROR, "tuple index out of range")),
                }
            } else {
                kw_lookup(vm, kw, &name[..lookup_end])?
            };
            if lookup_end < name.len() {
                return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "attributes not supported"));
            }
            v
        } else {
            if *auto < 0 {
                return Err(vm.value_error("can't switch from manual field specification to automatic field numbering"));
            }
            let v = match pos.get(*auto as usize) {
                Some(&v) => v,
                None => return Err(vm.new_error(ids::INDEX_ERROR, "tuple index out of range")),
            };
            *auto += 1;
            v
        };
        if spec.is_none() && conv.is_none() {
            conv = Some('s');
        }
        if let Some(c) = conv {
            let t = if c == 'r' { vm.to_repr(arg)? } else { vm.to_str(arg)? };
            arg = vm.new_str(&t)?;
            vm.root(arg);
        }
        let spec = match spec {
            Some(sp) => format_helper(vm, &sp, auto, pos, kw, depth + 1)?,
            None => String::new(),
        };
        format_one(vm, arg, &spec, &mut out)?;
    }
    Ok(out)
}

fn format_one(vm: &mut Vm, arg: Obj, spec: &str, out: &mut String) -> PyResult<()> {
    let sp: Vec<char> = spec.chars().collect();
    let is_align = |c: Option<&char>| matches!(c, Some('<' | '>' | '^' | '='));
    let mut i = 0;
    let (mut fill, mut align) = ('\0', '\0');
    if is_align(sp.first()) {
        align = sp[0];
        i = 1;
    } else if sp.len() >= 2 && is_align(sp.get(1)) {
        fill = sp[0];
        align = sp[1];
        i = 2;
    }
    let mut sign = '\0';
    if matches!(sp.get(i), Some('+' | '-' | ' ')) {
        sign = sp[i];
        i += 1;
    }
    let mut prefix = false;
    if sp.get(i) == Some(&'#') {
        prefix = true;
        i += 1;
    }
    let int_val = is_int_like(vm, arg);
    let numeric = int_val.is_some() || vm.float_value(arg).is_some();
    if sp.get(i) == Some(&'0') {
        if align == '\0' && numeric {
            align = '=';
        }
        if fill == '\0' {
            fill = '0';
        }
    }
    let mut width = 0usize;
    while let Some(d) = sp.get(i).and_then(|c| c.to_digit(10)) {
        width = width.saturating_mul(10).saturating_add(d as usize);
        i += 1;
    }
    let mut group = None;
    if let Some(&c @ (',' | '_')) = sp.get(i) {
        group = Some(c);
        i += 1;
    }
    let mut prec: Option<usize> = None;
    if sp.get(i) == Some(&'.') {
        i += 1;
        let mut p = 0usize;
        while let Some(d) = sp.get(i).and_then(|c| c.to_digit(10)) {
            p = p.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        prec = Some(p);
    }
    let mut ty = '\0';
    if let Some(&c) = sp.get(i) {
        if "bcdeEfFgGnosxX%".contains(c) {
            ty = c;
            i += 1;
        }
    }
    if i < sp.len() {
        return Err(vm.value_error("invalid format specifier"));
    }
    if align == '\0' {
        align = if numeric { '>' } else { '<' };
    }
    if fill == '\0' {
        fill = ' ';
    }
    if sign == '+' || sign == ' ' {
        if ty == 's' {
            return Err(vm.value_error("sign not allowed in string format specifier"));
        }
        if ty == 'c' {
            return Err(vm.value_error("sign not allowed with integer format specifier 'c'"));
        }
    }
    let width = width.min(1 << 20);
    let p = Pad { fill, align, width, sign, prefix };
    let unknown = |vm: &mut Vm, ty: char, arg: Obj| {
        let msg = alloc::format!("unknown format code '{ty}' for object of type '{}'", vm.type_name(arg));
        vm.value_error(&msg)
    };
    let big = match int_val {
        Some(n) => Some(BigInt::from(n)),
        None if vm.native_type_id(arg) == ids::INT => vm.bigint_value(vm.native_self(arg)),
        None => None,
    };
    if let Some(n) = big {
        match ty {
            '\0' | 'd' | 'n' => format_int(&n, 10, false, None, group, p, out),
            'b' => format_int(&n, 2, false, None, group, p, out),
            'o' => format_int(&n, 8, false, None, group, p, out),
            'x' => format_int(&n, 16, false, None, group, p, out),
            'X' => format_int(&n, 16, true, None, group, p, out),
            'c' => {
                let c = char::from_u32(int_val.unwrap_or(0) as u32).unwrap_or('\u{fffd}');
                pad_text(c.encode_utf8(&mut [0u8; 4]), p, out);
            }
            // Float presentation types format the int as a float.
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
                let v = super::int::bigint_to_f64(&n);
                let digits = float_body(v, ty, prec, prefix, sign);
                pad_number(v.is_sign_negative(), "", &digits, p, out);
            }
            _ => return Err(unknown(vm, ty, arg)),
        }
        return Ok(());
    }
    if let Some(v) = vm.float_value(arg) {
        let digits = match ty {
            '\0' if prec.is_none() => super::float_fmt::float_repr(v.abs()),
            '\0' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => float_body(v, ty, prec, prefix, sign),
            // 'n' is 'g' (no locale).
            'n' => float_digits(v.abs(), 'g', prec, prefix),
            _ => return Err(unknown(vm, ty, arg)),
        };
        pad_number(v.is_sign_negative() && !v.is_nan(), "", &digits, p, out);
        return Ok(());
    }
    if align == '=' {
        return Err(vm.value_error("'=' alignment not allowed in string format specifier"));
    }
    match ty {
        '\0' | 's' => {
            let t = match vm.str_text(arg) {
                Some(t) => t,
                None => vm.to_str(arg)?,
            };
            let t: String = match prec {
                Some(pr) => t.chars().take(pr).collect(),
                None => t,
            };
            pad_text(&t, p, out);
            Ok(())
        }
        _ => Err(unknown(vm, ty, arg)),
    }
}

/// `fmt % args` for str and bytes.
pub fn str_percent(vm: &mut Vm, fmt: Obj, args: Obj) -> PyResult<Obj> {
    let is_bytes = vm.is_exact(fmt, ids::BYTES);
    let text = String::from_utf8_lossy(&vm.str_bytes(fmt).unwrap_or_default()).into_owned();
    let f: Vec<char> = text.chars().collect();
    let (items, dict) = if vm.is_tuple(args) {
        (vm.tuple_items(args), None)
    } else if vm.is_dict(args) {
        (alloc::vec![args], Some(args))
    } else {
        (alloc::vec![args], None)
    };
    let mut out = String::new();
    let mut next = 0usize;
    let mut i = 0;
    let need = |vm: &mut Vm| vm.type_error("format string needs more arguments");
    while i < f.len() {
        let c = f[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if i >= f.len() {
            return Err(vm.value_error("incomplete format"));
        }
        if f[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut arg = None;
        if f[i] == '(' {
            let Some(d) = dict else { return Err(vm.type_error("format needs a dict")) };
            next = 1;
            let start = i + 1;
            let Some(end) = f[start..].iter().position(|&c| c == ')') else {
                return Err(vm.value_error("incomplete format key"));
            };
            let key: String = f[start..start + end].iter().collect();
            let k = vm.new_str(&key)?;
            vm.root(k);
            arg = Some(vm.subscr(d, k, Obj::SENTINEL)?);
            i = start + end + 1;
        }
        let mut p = Pad { fill: ' ', align: '>', width: 0, sign: '\0', prefix: false };
        while i < f.len() {
            match f[i] {
                '-' => p.align = '<',
                '+' => p.sign = '+',
                ' ' if p.sign != '+' => p.sign = ' ',
                ' ' => {}
                '#' => p.prefix = true,
                '0' => {
                    if p.align != '<' {
                        p.align = '=';
                    }
                    p.fill = '0';
                }
                _ => break,
            }
            i += 1;
        }
        if f.get(i) == Some(&'*') {
            let Some(&w) = items.get(next) else { return Err(need(vm)) };
            next += 1;
            p.width = vm.expect_int(w)?.clamp(0, 1 << 20) as usize;
            i += 1;
        } else {
            while let Some(d) = f.get(i).and_then(|c| c.to_digit(10)) {
                p.width = (p.width * 10 + d as usize).min(1 << 20);
                i += 1;
            }
        }
        let mut prec: Option<usize> = None;
        if f.get(i) == Some(&'.') {
            i += 1;
            if f.get(i) == Some(&'*') {
                let Some(&w) = items.get(next) else { return Err(need(vm)) };
                next += 1;
                prec = Some(vm.expect_int(w)?.clamp(0, 1 << 20) as usize);
                i += 1;
            } else {
                let mut v = 0usize;
                while let Some(d) = f.get(i).and_then(|c| c.to_digit(10)) {
                    v = (v * 10 + d as usize).min(1 << 20);
                    i += 1;
                }
                prec = Some(v);
            }
        }
        if p.align == '<' && prec.is_some() {
            // Left-justified with a precision: the padding on the right is spaces.
            p.fill = ' ';
        }
        if i >= f.len() {
            return Err(vm.value_error("incomplete format"));
        }
        let arg = match arg {
            Some(a) => a,
            None => {
                let Some(&a) = items.get(next) else { return Err(need(vm)) };
                next += 1;
                a
            }
        };
        let conv = f[i];
        i += 1;
        match conv {
            'c' => {
                let sp = Pad { fill: ' ', ..p };
                if let Some(t) = vm.str_text(arg) {
                    if t.chars().count() != 1 {
                        return Err(vm.type_error("%c needs int or char"));
                    }
                    pad_text(&t, sp, &mut out);
                } else if let Some(n) = is_int_like(vm, arg) {
                    let c = char::from_u32(n as u32).unwrap_or('\u{fffd}');
                    pad_text(c.encode_utf8(&mut [0u8; 4]), sp, &mut out);
                } else {
                    return Err(vm.type_error("integer needed"));
                }
            }
            'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                let n = match is_int_like(vm, arg) {
                    Some(n) => Some(BigInt::from(n)),
                    // %d, %i and %u truncate a float.
                    None if matches!(conv, 'd' | 'i' | 'u') && vm.is_float(arg) => {
                        let v = vm.float_value(arg).unwrap_or(0.0);
                        if v.is_nan() {
                            return Err(vm.value_error("can't convert NaN to int"));
                        }
                        if v.is_infinite() {
                            return Err(vm.new_error(ids::OVERFLOW_ERROR, "can't convert inf to int"));
                        }
                        num_traits::FromPrimitive::from_f64(libm::trunc(v))
                    }
                    None if vm.native_type_id(arg) == ids::INT => vm.bigint_value(vm.native_self(arg)),
                    None if vm.is_user_class(vm.type_of(arg)) => match crate::rt::call_dunder(vm, arg, "__int__", &[])?
                    {
                        Some(r) => vm.bigint_value(vm.native_self(r)),
                        None => None,
                    },
                    None => None,
                };
                let Some(n) = n else {
                    let msg = alloc::format!("can't convert {} to int", vm.type_name(arg));
                    return Err(vm.type_error(&msg));
                };
                let (base, upper) = match conv {
                    'o' => (8, false),
                    'x' => (16, false),
                    'X' => (16, true),
                    _ => (10, false),
                };
                if base == 10 {
                    p.prefix = false;
                }
                format_int(&n, base, upper, prec, None, p, &mut out);
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                // Any number converts (ints and bools too); 6 digits unless told.
                let v = vm.expect_float(arg)?;
                let digits = float_body(v, conv, Some(prec.unwrap_or(6)), p.prefix, p.sign);
                p.prefix = false;
                pad_number(v.is_sign_negative() && !v.is_nan(), "", &digits, p, &mut out);
            }
            'r' | 's' => {
                let t = if conv == 'r' {
                    vm.to_repr(arg)?
                } else if is_bytes && vm.is_exact(arg, ids::BYTES) {
                    String::from_utf8_lossy(&vm.str_bytes(arg).unwrap_or_default()).into_owned()
                } else {
                    vm.to_str(arg)?
                };
                let t: String = match prec {
                    Some(pr) => t.chars().take(pr).collect(),
                    None => t,
                };
                pad_text(&t, Pad { fill: ' ', align: if p.align == '<' { '<' } else { '>' }, ..p }, &mut out);
            }
            _ => {
                let msg =
                    alloc::format!("unsupported format character '{conv}' (0x{:x}) at index {}", conv as u32, i - 1);
                return Err(vm.value_error(&msg));
            }
        }
    }
    if dict.is_none() && next != items.len() {
        return Err(vm.type_error("format string didn't convert all arguments"));
    }
    if is_bytes {
        return vm.new_bytes(out.as_bytes());
    }
    vm.new_str(&out)
}
