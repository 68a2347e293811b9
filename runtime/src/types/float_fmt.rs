//! MicroPython's float and complex `repr`: the value rounded to 16 significant
//! digits when that reads back to the same double, else 17 digits; trailing
//! zeros dropped; positional notation for decimal exponents -4..=15, else
//! `d.ddde+XX`; `.0` added when the text would read back as an int.

use alloc::format;
use alloc::string::String;

/// Significant digits (no trailing zeros) and decimal exponent of a finite,
/// positive double.
fn repr_digits(v: f64) -> (String, i32) {
    let mut text = format!("{:.15e}", v);
    if text.parse::<f64>().ok() != Some(v) {
        text = format!("{:.16e}", v);
    }
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { String::from("0") } else { String::from(digits) };
    (digits, exponent.parse().unwrap_or(0))
}

fn format_repr(v: f64, always_decimal: bool, show_sign: bool) -> String {
    let mut out = String::new();
    if v.is_sign_negative() && !v.is_nan() {
        out.push('-');
    } else if show_sign {
        out.push('+');
    }
    if v.is_nan() {
        out.push_str("nan");
        return out;
    }
    if v.is_infinite() {
        out.push_str("inf");
        return out;
    }
    let m = v.abs();
    if m == 0.0 {
        out.push('0');
    } else {
        let (digits, exp) = repr_digits(m);
        if (-4..16).contains(&exp) {
            if exp >= 0 {
                let int_len = exp as usize + 1;
                if digits.len() <= int_len {
                    out.push_str(&digits);
                    out.extend(core::iter::repeat_n('0', int_len - digits.len()));
                } else {
                    out.push_str(&digits[..int_len]);
                    out.push('.');
                    out.push_str(&digits[int_len..]);
                }
            } else {
                out.push_str("0.");
                out.extend(core::iter::repeat_n('0', (-exp - 1) as usize));
                out.push_str(&digits);
            }
        } else {
            out.push_str(&digits[..1]);
            if digits.len() > 1 {
                out.push('.');
                out.push_str(&digits[1..]);
            }
            let sign = if exp < 0 { '-' } else { '+' };
            out.push_str(&format!("e{sign}{:02}", exp.unsigned_abs()));
        }
    }
    if always_decimal && !out.contains(['.', 'e', 'n']) {
        out.push_str(".0");
    }
    out
}

/// MicroPython's `repr`/`str` of a float (`0.1`, `1e+16`, `-0.0`, `inf`, `nan`).
pub fn float_repr(v: f64) -> String {
    format_repr(v, true, false)
}

/// MicroPython's `repr` of a complex number (`3j`, `(1+2j)`).
pub fn complex_repr(real: f64, imag: f64) -> String {
    if real == 0.0 {
        format!("{}j", format_repr(imag, false, false))
    } else {
        format!("({}{}j)", format_repr(real, false, false), format_repr(imag, false, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs_match_micropython() {
        let cases = [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (core::f64::consts::PI, "3.141592653589793"),
            (1e15, "1000000000000000.0"),
            (1e-4, "0.0001"),
            (-0.0, "-0.0"),
            (5e-324, "4.940656458412465e-324"),
            (0.30000000000000004, "0.30000000000000004"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (v, want) in cases {
            assert_eq!(float_repr(v), want);
        }
        assert_eq!(complex_repr(1.5, -2.0), "(1.5-2j)");
        assert_eq!(complex_repr(0.0, 1.0), "1j");
        assert_eq!(complex_repr(-0.0, 0.0), "0j");
    }
}
