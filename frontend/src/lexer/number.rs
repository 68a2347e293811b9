//! Numeric literals: scanning (as MicroPython's lexer does) and decoding.
//!
//! The scanner takes the longest run of ASCII letters, digits and dots (plus an
//! exponent sign right after `e`/`E`), dropping every `_`. The text is then
//! checked and decoded with MicroPython's rules:
//! * integers: optional `0x`/`0o`/`0b` prefix (either case); without a prefix a
//!   leading `0` only allows more zeros (`0777` is an error, `00` is fine);
//! * floats: digits, one `.`, an exponent with optional sign and digits, and an
//!   optional trailing `j`/`J` for imaginary literals.
//!
//! Because underscores are dropped while scanning, MicroPython (and so ferropy)
//! accepts `1__0`, `1_` and `0x_1`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::cursor::Cursor;
use crate::error::{CompileError, ErrorKind};
use crate::token::{Number, Pos, Tok, Token};

/// Non-decimal integer literals whose value needs more bits than this are
/// refused (the conversion to decimal digits is quadratic).
const MAX_BIG_LITERAL_BITS: usize = 1 << 16;

/// Scans a number starting at the cursor (a digit, or `.` followed by a digit).
pub(super) fn lex_number(cur: &mut Cursor<'_>) -> Result<Token, CompileError> {
    let pos = cur.pos();
    let first = cur.peek().unwrap_or(b'0');
    let mut is_float = first == b'.';
    let has_base_prefix = first == b'0' && matches!(cur.peek_at(1).map(|b| b | 0x20), Some(b'b' | b'o' | b'x'));
    let mut text = String::new();
    text.push(char::from(first));
    cur.bump();
    while let Some(byte) = cur.peek() {
        if !has_base_prefix && (byte == b'e' || byte == b'E') {
            is_float = true;
            text.push('e');
            cur.bump();
            if let Some(sign @ (b'+' | b'-')) = cur.peek() {
                text.push(char::from(sign));
                cur.bump();
            }
        } else if byte.is_ascii_alphanumeric() || byte == b'.' {
            if matches!(byte, b'.' | b'j' | b'J') {
                is_float = true;
            }
            text.push(char::from(byte));
            cur.bump();
        } else if byte == b'_' {
            cur.bump();
        } else {
            break;
        }
    }
    let number = if is_float { decode_float(&text, pos)? } else { decode_int(&text, pos)? };
    Ok(Token { kind: Tok::Number(number), pos })
}

/// Decodes an integer literal's text (underscores already removed).
pub(super) fn decode_int(text: &str, pos: Pos) -> Result<Number, CompileError> {
    let bytes = text.as_bytes();
    // `base` 1 stands for "decimal with a leading zero": only zeros allowed.
    let (base, digits) = match bytes {
        [b'0', prefix, rest @ ..] => match prefix | 0x20 {
            b'x' => (16u32, rest),
            b'o' => (8, rest),
            b'b' => (2, rest),
            _ => (1, bytes),
        },
        _ => (10, bytes),
    };
    let invalid = || {
        let shown = core::str::from_utf8(digits).unwrap_or("");
        let reported_base = if base == 1 { 0 } else { base };
        CompileError::syntax(format!("invalid syntax for integer with base {reported_base}: '{shown}'"), pos)
    };
    let digit_limit = base.max(1);
    let mut values = Vec::with_capacity(digits.len());
    for &byte in digits {
        let value = char::from(byte).to_digit(36).ok_or_else(invalid)?;
        if value >= digit_limit || (base == 1 && value != 0) {
            return Err(invalid());
        }
        values.push(value);
    }
    if values.is_empty() {
        return Err(invalid());
    }
    let radix = i64::from(base.max(2));
    let mut small: Option<i64> = Some(0);
    for &value in &values {
        small = small.and_then(|acc| acc.checked_mul(radix)?.checked_add(i64::from(value)));
        if small.is_none() {
            break;
        }
    }
    if let Some(value) = small {
        return Ok(Number::Int(value));
    }
    if base == 10 {
        let trimmed = text.trim_start_matches('0');
        return Ok(Number::BigInt(String::from(trimmed)));
    }
    let bits_per_digit = match base {
        16 => 4,
        8 => 3,
        _ => 1,
    };
    to_decimal_string(&values, bits_per_digit, pos).map(Number::BigInt)
}

/// Converts digits of a power-of-two base to decimal digits.
fn to_decimal_string(values: &[u32], bits_per_digit: u32, pos: Pos) -> Result<String, CompileError> {
    let first_nonzero = values.iter().position(|&v| v != 0).unwrap_or(values.len());
    let significant = values.get(first_nonzero..).unwrap_or(&[]);
    if significant.len().saturating_mul(bits_per_digit as usize) > MAX_BIG_LITERAL_BITS {
        return Err(CompileError::new(ErrorKind::MemoryError, "integer literal too large", pos));
    }
    // Pack the digits into little-endian 32-bit limbs.
    let mut limbs: Vec<u32> = Vec::new();
    let mut acc: u64 = 0;
    let mut acc_bits = 0;
    for &value in significant.iter().rev() {
        acc |= u64::from(value) << acc_bits;
        acc_bits += bits_per_digit;
        if acc_bits >= 32 {
            limbs.push(acc as u32);
            acc >>= 32;
            acc_bits -= 32;
        }
    }
    if acc_bits > 0 {
        limbs.push(acc as u32);
    }
    while limbs.last() == Some(&0) {
        limbs.pop();
    }
    // Repeatedly divide by 10^9, collecting 9-digit chunks from the low end.
    const CHUNK: u64 = 1_000_000_000;
    let mut chunks: Vec<u32> = Vec::new();
    while !limbs.is_empty() {
        let mut remainder: u64 = 0;
        for limb in limbs.iter_mut().rev() {
            let current = (remainder << 32) | u64::from(*limb);
            *limb = (current / CHUNK) as u32;
            remainder = current % CHUNK;
        }
        chunks.push(remainder as u32);
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    let mut out = String::new();
    let mut iter = chunks.iter().rev();
    match iter.next() {
        Some(top) => out.push_str(&format!("{top}")),
        None => out.push('0'),
    }
    for chunk in iter {
        out.push_str(&format!("{chunk:09}"));
    }
    Ok(out)
}

/// Decodes a float or imaginary literal's text (underscores already removed).
pub(super) fn decode_float(text: &str, pos: Pos) -> Result<Number, CompileError> {
    let invalid = || CompileError::syntax("invalid syntax for number", pos);
    let bytes = text.as_bytes();
    let mut index = 0;
    let take_digits = |index: &mut usize| {
        let start = *index;
        while bytes.get(*index).is_some_and(u8::is_ascii_digit) {
            *index += 1;
        }
        text.get(start..*index).unwrap_or("")
    };
    let int_part = take_digits(&mut index);
    let mut frac_part = "";
    if bytes.get(index) == Some(&b'.') {
        index += 1;
        frac_part = take_digits(&mut index);
    }
    let mut exp_negative = false;
    let mut exp_part = "";
    if matches!(bytes.get(index), Some(b'e' | b'E')) {
        index += 1;
        match bytes.get(index) {
            Some(b'+') => index += 1,
            Some(b'-') => {
                exp_negative = true;
                index += 1;
            }
            _ => {}
        }
        if index >= bytes.len() {
            return Err(invalid());
        }
        exp_part = take_digits(&mut index);
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(invalid());
    }
    let imaginary = matches!(bytes.get(index), Some(b'j' | b'J'));
    if imaginary {
        index += 1;
    }
    if index != bytes.len() {
        return Err(invalid());
    }
    let value = float_value(int_part, frac_part, exp_negative, exp_part).ok_or_else(invalid)?;
    Ok(if imaginary { Number::Imag(value) } else { Number::Float(value) })
}

/// Computes the (correctly rounded) value of validated float parts.
fn float_value(int_part: &str, frac_part: &str, exp_negative: bool, exp_part: &str) -> Option<f64> {
    let exp_digits = exp_part.trim_start_matches('0');
    // Exponents this large already make the value 0 or infinity.
    let exp_digits = if exp_digits.len() > 9 { "999999999" } else { exp_digits };
    let mut clean = String::with_capacity(int_part.len() + frac_part.len() + exp_digits.len() + 6);
    clean.push_str(if int_part.is_empty() { "0" } else { int_part });
    clean.push('.');
    clean.push_str(if frac_part.is_empty() { "0" } else { frac_part });
    clean.push('e');
    if exp_negative {
        clean.push('-');
    }
    clean.push_str(if exp_digits.is_empty() { "0" } else { exp_digits });
    clean.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn lex(text: &str) -> Result<Number, CompileError> {
        let mut cur = Cursor::new(text);
        let tok = lex_number(&mut cur)?;
        match tok.kind {
            Tok::Number(n) => Ok(n),
            other => panic!("not a number token: {other:?}"),
        }
    }

    fn msg(text: &str) -> String {
        lex(text).unwrap_err().msg
    }

    #[test]
    fn integers() {
        assert_eq!(lex("0"), Ok(Number::Int(0)));
        assert_eq!(lex("00"), Ok(Number::Int(0)));
        assert_eq!(lex("0_0"), Ok(Number::Int(0)));
        assert_eq!(lex("123"), Ok(Number::Int(123)));
        assert_eq!(lex("1__0"), Ok(Number::Int(10)));
        assert_eq!(lex("1_"), Ok(Number::Int(1)));
        assert_eq!(lex("0x_1f"), Ok(Number::Int(31)));
        assert_eq!(lex("0XFF"), Ok(Number::Int(255)));
        assert_eq!(lex("0o17"), Ok(Number::Int(15)));
        assert_eq!(lex("0O17"), Ok(Number::Int(15)));
        assert_eq!(lex("0b101"), Ok(Number::Int(5)));
        assert_eq!(lex("0B1"), Ok(Number::Int(1)));
        assert_eq!(lex("9223372036854775807"), Ok(Number::Int(i64::MAX)));
    }

    #[test]
    fn big_integers() {
        assert_eq!(lex("9223372036854775808"), Ok(Number::BigInt("9223372036854775808".to_string())));
        assert_eq!(
            lex("000000000000000000000000012345678901234567890"),
            Err(CompileError::syntax(
                "invalid syntax for integer with base 0: '000000000000000000000000012345678901234567890'",
                Pos::new(1, 1)
            ))
        );
        assert_eq!(lex("123_456_789_012_345_678_901"), Ok(Number::BigInt("123456789012345678901".to_string())));
        assert_eq!(lex("0x8000000000000000"), Ok(Number::BigInt("9223372036854775808".to_string())));
        assert_eq!(lex("0xffffffffffffffffffff"), Ok(Number::BigInt("1208925819614629174706175".to_string())));
        assert_eq!(lex("0o0001777777777777777777777"), Ok(Number::BigInt("18446744073709551615".to_string())));
        let ones = "1".repeat(100);
        let expected = "1267650600228229401496703205375";
        assert_eq!(lex(&format!("0b{ones}")), Ok(Number::BigInt(expected.to_string())));
        assert_eq!(lex("0x1000000000000000000000000"), Ok(Number::BigInt("79228162514264337593543950336".to_string())));
    }

    #[test]
    fn huge_hex_literal_is_refused_not_slow() {
        let text = format!("0x{}", "f".repeat(20_000));
        assert_eq!(lex(&text).unwrap_err().kind, ErrorKind::MemoryError);
        let text = format!("0x{}1", "0".repeat(200_000));
        assert_eq!(lex(&text), Ok(Number::Int(1)));
    }

    #[test]
    fn invalid_integers() {
        assert_eq!(msg("0777"), "invalid syntax for integer with base 0: '0777'");
        assert_eq!(msg("0_7"), "invalid syntax for integer with base 0: '07'");
        assert_eq!(msg("0x"), "invalid syntax for integer with base 16: ''");
        assert_eq!(msg("0b"), "invalid syntax for integer with base 2: ''");
        assert_eq!(msg("0o8"), "invalid syntax for integer with base 8: '8'");
        assert_eq!(msg("0b102"), "invalid syntax for integer with base 2: '102'");
        assert_eq!(msg("1if"), "invalid syntax for integer with base 10: '1if'");
    }

    #[test]
    fn floats_and_imaginary() {
        assert_eq!(lex("1."), Ok(Number::Float(1.0)));
        assert_eq!(lex(".5"), Ok(Number::Float(0.5)));
        assert_eq!(lex("1e10"), Ok(Number::Float(1e10)));
        assert_eq!(lex("1.5E-3"), Ok(Number::Float(1.5e-3)));
        assert_eq!(lex("1.e5"), Ok(Number::Float(1e5)));
        assert_eq!(lex("1e+5"), Ok(Number::Float(1e5)));
        assert_eq!(lex("1_000.5"), Ok(Number::Float(1000.5)));
        assert_eq!(lex("00.5"), Ok(Number::Float(0.5)));
        assert_eq!(lex("07.5"), Ok(Number::Float(7.5)));
        assert_eq!(lex("0e0"), Ok(Number::Float(0.0)));
        assert_eq!(lex("3j"), Ok(Number::Imag(3.0)));
        assert_eq!(lex("1.5J"), Ok(Number::Imag(1.5)));
        assert_eq!(lex("1e5j"), Ok(Number::Imag(1e5)));
        assert_eq!(lex("1_000_000j"), Ok(Number::Imag(1e6)));
        // MicroPython quirks: exponent without digits before `j`, `_` after `e`.
        assert_eq!(lex("1ej"), Ok(Number::Imag(1.0)));
        assert_eq!(lex("1e_5"), Ok(Number::Float(1e5)));
        assert_eq!(lex("1e999999999999999"), Ok(Number::Float(f64::INFINITY)));
        assert_eq!(lex("1e-999999999999999"), Ok(Number::Float(0.0)));
        assert_eq!(lex("0.1"), Ok(Number::Float(0.1)));
    }

    #[test]
    fn invalid_floats() {
        for text in ["1e", "1e+", "1.5.3", "0x1j", "0x1.", "1else", "1jj", "1e5e3", "1.j2"] {
            assert_eq!(msg(text), "invalid syntax for number", "{text}");
        }
    }

    #[test]
    fn scanning_stops_at_the_right_place() {
        let mut cur = Cursor::new("0xffe+1");
        assert_eq!(lex_number(&mut cur).map(|t| t.kind), Ok(Tok::Number(Number::Int(0xffe))));
        assert_eq!(cur.peek(), Some(b'+'));
        let mut cur = Cursor::new("1.5)");
        assert_eq!(lex_number(&mut cur).map(|t| t.kind), Ok(Tok::Number(Number::Float(1.5))));
        assert_eq!(cur.peek(), Some(b')'));
        let mut cur = Cursor::new("1é");
        assert_eq!(lex_number(&mut cur).map(|t| t.kind), Ok(Tok::Number(Number::Int(1))));
        assert_eq!(cur.peek_char(), Some('é'));
    }
}
