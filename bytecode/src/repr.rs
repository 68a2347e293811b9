//! Python-style text for constants: MicroPython's float/complex `repr` (the text `.mpy`
//! files store) and its parser, plus `repr` of strings, bytes and constant tuples.
//!
//! Floats follow MicroPython's `repr`: the shortest digits that read back to the same
//! double, positional notation for decimal exponents -4..=15 and `d.ddde+XX` otherwise
//! (at least two exponent digits), `.0` appended when the text has no `.`, `e` or `n`.
//! Complex numbers print as `IMAGj`, or `(REAL+IMAGj)` when the real part is non-zero,
//! both parts without the `.0` suffix.

use alloc::format;
use alloc::string::String;
use core::fmt::{self, Write};

use crate::code::ConstObj;

/// Significant digits and decimal exponent of a finite, non-zero, positive double.
fn shortest_digits(value: f64) -> (String, i32) {
    // `{:e}` gives the shortest round-tripping digits as `d.ddde-N`.
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = String::from(digits.trim_end_matches('0'));
    let digits = if digits.is_empty() { String::from("0") } else { digits };
    (digits, exponent.parse().unwrap_or(0))
}

/// MicroPython's `%g`-style formatting with repr precision; `always_decimal` adds `.0`
/// to texts that would otherwise read back as an int; `show_sign` prints `+` for
/// non-negative values.
fn format_general(value: f64, always_decimal: bool, show_sign: bool) -> String {
    let mut out = String::new();
    if value.is_sign_negative() && !value.is_nan() {
        out.push('-');
    } else if show_sign {
        out.push('+');
    }
    let magnitude = value.abs();
    if value.is_nan() {
        out.push_str("nan");
        return out;
    }
    if value.is_infinite() {
        out.push_str("inf");
        return out;
    }
    if magnitude == 0.0 {
        out.push('0');
    } else {
        let (digits, exponent) = shortest_digits(magnitude);
        if (-4..16).contains(&exponent) {
            if exponent >= 0 {
                let int_len = exponent as usize + 1;
                if digits.len() <= int_len {
                    out.push_str(&digits);
                    out.extend(core::iter::repeat_n('0', int_len - digits.len()));
                } else {
                    let (int_part, frac_part) = digits.split_at(int_len);
                    out.push_str(int_part);
                    out.push('.');
                    out.push_str(frac_part);
                }
            } else {
                out.push_str("0.");
                out.extend(core::iter::repeat_n('0', (-exponent - 1) as usize));
                out.push_str(&digits);
            }
        } else {
            let (first, rest) = digits.split_at(1);
            out.push_str(first);
            if !rest.is_empty() {
                out.push('.');
                out.push_str(rest);
            }
            let sign = if exponent < 0 { '-' } else { '+' };
            let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
        }
    }
    if always_decimal && !out.contains(['.', 'e', 'n']) {
        out.push_str(".0");
    }
    out
}

/// MicroPython's `repr` of a float (`0.1`, `1e+100`, `-0.0`, `inf`, `nan`).
pub fn float_repr(value: f64) -> String {
    format_general(value, true, false)
}

/// MicroPython's `repr` of a complex number (`3j`, `(1+2j)`, `1e+100j`).
pub fn complex_repr(real: f64, imag: f64) -> String {
    if real != 0.0 {
        format!("({}{}j)", format_general(real, false, false), format_general(imag, false, true))
    } else {
        format!("{}j", format_general(imag, false, false))
    }
}

/// True when `text` is a plain decimal float, `inf` or `nan`, optionally signed.
fn is_float_text(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    if body == "inf" || body == "nan" {
        return true;
    }
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits_ok(int_part) && digits_ok(frac_part) && !(int_part.is_empty() && frac_part.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits_ok(e)
    });
    mantissa_ok && exponent_ok
}

/// Parses a float as `.mpy` files store it (`repr` text); `None` if it is not one.
pub fn parse_float_repr(text: &str) -> Option<f64> {
    if !is_float_text(text) {
        return None;
    }
    // All NaNs read as the one NaN `float_repr` prints.
    text.parse::<f64>().ok().map(|f| if f.is_nan() { f64::NAN } else { f })
}

/// Parses a complex number in `repr` form (`3j` or `(1+2j)`) into `(real, imag)`.
pub fn parse_complex_repr(text: &str) -> Option<(f64, f64)> {
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix("j)")) {
        // Split at the sign of the imaginary part: a `+`/`-` not at the start and not
        // just after an exponent marker.
        let bytes = inner.as_bytes();
        let split = (1..bytes.len())
            .rev()
            .find(|&i| matches!(bytes.get(i), Some(b'+' | b'-')) && !matches!(bytes.get(i - 1), Some(b'e' | b'E')))?;
        let (real, imag) = inner.split_at(split);
        Some((parse_float_repr(real)?, parse_float_repr(imag)?))
    } else {
        let imag = text.strip_suffix('j')?;
        Some((0.0, parse_float_repr(imag)?))
    }
}

/// Writes a Python `repr` of a str: single quotes unless the text contains `'` and no `"`.
pub fn write_str_repr(text: &str, out: &mut dyn Write) -> fmt::Result {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    out.write_char(quote)?;
    for c in text.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if c == quote => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7F => write!(out, "\\x{:02x}", c as u32)?,
            c => out.write_char(c)?,
        }
    }
    out.write_char(quote)
}

/// Writes a Python `repr` of a bytes object (`b'...'`).
pub fn write_bytes_repr(bytes: &[u8], out: &mut dyn Write) -> fmt::Result {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') { b'"' } else { b'\'' };
    out.write_char('b')?;
    out.write_char(char::from(quote))?;
    for &b in bytes {
        match b {
            b'\\' => out.write_str("\\\\")?,
            b'\n' => out.write_str("\\n")?,
            b'\r' => out.write_str("\\r")?,
            b'\t' => out.write_str("\\t")?,
            b if b == quote => {
                out.write_char('\\')?;
                out.write_char(char::from(b))?;
            }
            0x20..=0x7E => out.write_char(char::from(b))?,
            b => write!(out, "\\x{b:02x}")?,
        }
    }
    out.write_char(char::from(quote))
}

/// Writes a Python-like `repr` of a constant (tuples nest; the function-table
/// placeholder prints as `<fun_table>`).
pub fn write_const_repr(obj: &ConstObj, out: &mut dyn Write) -> fmt::Result {
    match obj {
        ConstObj::FunTable => out.write_str("<fun_table>"),
        ConstObj::None => out.write_str("None"),
        ConstObj::False => out.write_str("False"),
        ConstObj::True => out.write_str("True"),
        ConstObj::Ellipsis => out.write_str("Ellipsis"),
        ConstObj::Str(s) => write_str_repr(s, out),
        ConstObj::Bytes(b) => write_bytes_repr(b, out),
        ConstObj::Int(text) => out.write_str(text),
        ConstObj::Float(f) => out.write_str(&float_repr(*f)),
        ConstObj::Complex { real, imag } => out.write_str(&complex_repr(*real, *imag)),
        ConstObj::Tuple(items) => {
            out.write_char('(')?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_str(", ")?;
                }
                write_const_repr(item, out)?;
            }
            if items.len() == 1 {
                out.write_char(',')?;
            }
            out.write_char(')')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn floats_match_mpy_cross_text() {
        // Texts written by mpy-cross for the same literals.
        let cases: [(f64, &str); 22] = [
            (0.1, "0.1"),
            (1e100, "1e+100"),
            (1.5, "1.5"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.5e-300, "2.5e-300"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (100.0, "100.0"),
            (12345.678, "12345.678"),
            (1e22, "1e+22"),
            (9007199254740993.0, "9007199254740992.0"),
            (0.000123456789, "0.000123456789"),
            (-2.5, "-2.5"),
        ];
        for (value, text) in cases {
            assert_eq!(float_repr(value), text);
            let back = parse_float_repr(text).unwrap();
            assert!(back.to_bits() == value.to_bits() || value.is_nan() && back.is_nan(), "{text}");
        }
    }

    #[test]
    fn complex_texts() {
        assert_eq!(complex_repr(0.0, 3.0), "3j");
        assert_eq!(complex_repr(0.0, 1.5), "1.5j");
        assert_eq!(complex_repr(0.0, 1e100), "1e+100j");
        assert_eq!(complex_repr(1.0, 2.0), "(1+2j)");
        assert_eq!(complex_repr(1.0, -2.5), "(1-2.5j)");
        assert_eq!(complex_repr(1e20, 1e-20), "(1e+20+1e-20j)");
        assert_eq!(parse_complex_repr("3j"), Some((0.0, 3.0)));
        assert_eq!(parse_complex_repr("(1-2.5j)"), Some((1.0, -2.5)));
        assert_eq!(parse_complex_repr("(1e+20+1e-20j)"), Some((1e20, 1e-20)));
        assert_eq!(parse_complex_repr("(1e+20j)"), None);
        assert_eq!(parse_complex_repr("3"), None);
        assert_eq!(parse_complex_repr("j"), None);
    }

    #[test]
    fn float_parser_rejects_garbage() {
        for bad in ["", ".", "e5", "1e", "1x", "0x10", "infinity", "1_0", "--1", " 1"] {
            assert_eq!(parse_float_repr(bad), None, "{bad:?}");
        }
        assert_eq!(parse_float_repr("5."), Some(5.0));
        assert_eq!(parse_float_repr("-.5e-3"), Some(-0.0005));
    }

    fn repr_of(obj: &ConstObj) -> String {
        let mut s = String::new();
        write_const_repr(obj, &mut s).unwrap();
        s
    }

    #[test]
    fn constant_reprs() {
        assert_eq!(repr_of(&ConstObj::Str("it's\n".into())), "\"it's\\n\"");
        assert_eq!(repr_of(&ConstObj::Str("a'\"\x01é".into())), "'a\\'\"\\x01é'");
        assert_eq!(repr_of(&ConstObj::Bytes(vec![b'a', 0, 0xFF, b'\''])), "b\"a\\x00\\xff'\"");
        let tuple = ConstObj::Tuple(vec![
            ConstObj::Int("36893488147419103232".into()),
            ConstObj::Tuple(vec![ConstObj::None]),
            ConstObj::Float(1.25),
            ConstObj::Ellipsis,
        ]);
        assert_eq!(repr_of(&tuple), "(36893488147419103232, (None,), 1.25, Ellipsis)");
    }
}
