//! Tests of the whole lexer: token streams, positions, errors, robustness.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::error::ErrorKind;
use crate::token::Number;

fn kinds(source: &str) -> Vec<Tok> {
    match tokenize(source) {
        Ok(tokens) => tokens.into_iter().map(|t| t.kind).collect(),
        Err(err) => panic!("lexing {source:?} failed: {err:?}"),
    }
}

fn error(source: &str) -> CompileError {
    match tokenize(source) {
        Ok(tokens) => panic!("lexing {source:?} succeeded: {tokens:?}"),
        Err(err) => err,
    }
}

fn name(text: &str) -> Tok {
    Tok::Name(crate::ast::Ident::from(text))
}

fn int(value: i64) -> Tok {
    Tok::Number(Number::Int(value))
}

fn string(text: &str) -> Tok {
    Tok::Str(text.to_string())
}

use Tok::*;

#[test]
fn empty_and_blank_inputs() {
    assert_eq!(kinds(""), [EndOfInput]);
    assert_eq!(kinds("\n\n  \n"), [EndOfInput]);
    assert_eq!(kinds("# only a comment"), [EndOfInput]);
    assert_eq!(kinds("  # indented comment\n\t\n"), [EndOfInput]);
}

#[test]
fn simple_statement_with_and_without_final_newline() {
    let expected = [name("x"), Equal, int(1), Newline, EndOfInput];
    assert_eq!(kinds("x = 1\n"), expected);
    assert_eq!(kinds("x = 1"), expected);
    assert_eq!(kinds("x = 1  # comment"), expected);
    assert_eq!(kinds("\n\nx = 1\n\n# trailing\n"), expected);
}

#[test]
fn every_operator_and_delimiter() {
    let source = "~ + - * ** / // % @ << >> & | ^ < > <= >= == != := ( ) [ ] { } , : . ... ; = -> \
                  += -= *= **= /= //= %= @= <<= >>= &= |= ^=";
    let expected = [
        Tilde,
        Plus,
        Minus,
        Star,
        DoubleStar,
        Slash,
        DoubleSlash,
        Percent,
        At,
        LeftShift,
        RightShift,
        Ampersand,
        Pipe,
        Caret,
        Less,
        Greater,
        LessEqual,
        GreaterEqual,
        EqEqual,
        NotEqual,
        ColonEqual,
        LParen,
        RParen,
        LBracket,
        RBracket,
        LBrace,
        RBrace,
        Comma,
        Colon,
        Dot,
        Ellipsis,
        Semicolon,
        Equal,
        Arrow,
        PlusEqual,
        MinusEqual,
        StarEqual,
        DoubleStarEqual,
        SlashEqual,
        DoubleSlashEqual,
        PercentEqual,
        AtEqual,
        LeftShiftEqual,
        RightShiftEqual,
        AmpersandEqual,
        PipeEqual,
        CaretEqual,
        Newline,
        EndOfInput,
    ];
    assert_eq!(kinds(source), expected);
    assert_eq!(kinds("a**=-b"), [name("a"), DoubleStarEqual, Minus, name("b"), Newline, EndOfInput]);
    assert_eq!(kinds("x....y"), [name("x"), Ellipsis, Dot, name("y"), Newline, EndOfInput]);
}

#[test]
fn every_keyword() {
    let source = "False None True __debug__ and as assert async await break class continue def \
                  del elif else except finally for from global if import in is lambda nonlocal \
                  not or pass raise return try while with yield";
    let expected = [
        KwFalse, KwNone, KwTrue, KwDebug, KwAnd, KwAs, KwAssert, KwAsync, KwAwait, KwBreak, KwClass, KwContinue, KwDef,
        KwDel, KwElif, KwElse, KwExcept, KwFinally, KwFor, KwFrom, KwGlobal, KwIf, KwImport, KwIn, KwIs, KwLambda,
        KwNonlocal, KwNot, KwOr, KwPass, KwRaise, KwReturn, KwTry, KwWhile, KwWith, KwYield, Newline, EndOfInput,
    ];
    assert_eq!(kinds(source), expected);
}

#[test]
fn names() {
    assert_eq!(
        kinds("_a1 Ünïcödé x€ 名前 print"),
        [name("_a1"), name("Ünïcödé"), name("x€"), name("名前"), name("print"), Newline, EndOfInput]
    );
    // Upper-case string prefixes are names in MicroPython.
    assert_eq!(kinds("B'a'"), [name("B"), string("a"), Newline, EndOfInput]);
    assert_eq!(kinds("classy"), [name("classy"), Newline, EndOfInput]);
}

#[test]
fn numbers_in_context() {
    assert_eq!(
        kinds("1 .5 1. 0x1F 3j 10**100 x.y 1 .real"),
        [
            int(1),
            Number(crate::token::Number::Float(0.5)),
            Number(crate::token::Number::Float(1.0)),
            int(31),
            Number(crate::token::Number::Imag(3.0)),
            int(10),
            DoubleStar,
            int(100),
            name("x"),
            Dot,
            name("y"),
            int(1),
            Dot,
            name("real"),
            Newline,
            EndOfInput
        ]
    );
    // As in MicroPython, a number swallows the letters and dots after it.
    assert_eq!(error("1.real").msg, "invalid syntax for number");
    let err = error("x = 0777");
    assert_eq!(err.msg, "invalid syntax for integer with base 0: '0777'");
    assert_eq!(err.pos, Pos::new(1, 5));
}

#[test]
fn string_runs_are_separate_tokens() {
    assert_eq!(
        kinds("x = 'a' \"b\" '''c''' r'\\d'"),
        [name("x"), Equal, string("a"), string("b"), string("c"), string("\\d"), Newline, EndOfInput]
    );
    assert_eq!(
        kinds("(b'a'\n  b'b')"),
        [LParen, Bytes(b"a".to_vec()), Bytes(b"b".to_vec()), RParen, Newline, EndOfInput]
    );
    assert_eq!(kinds("'a' b'b' 'c'"), [string("a"), Bytes(b"b".to_vec()), string("c"), Newline, EndOfInput]);
    assert_eq!(kinds("u'x'"), [string("x"), Newline, EndOfInput]);
}

#[test]
fn string_positions_and_errors() {
    let tokens = tokenize("x = 'ab'  \"c\"\n").unwrap();
    assert_eq!(tokens[2].pos, Pos::new(1, 5));
    assert_eq!(tokens[3].pos, Pos::new(1, 11));
    let err = error("x = 1\ny = 'abc\n");
    assert_eq!((err.kind, err.msg.as_str(), err.pos), (ErrorKind::SyntaxError, "invalid syntax", Pos::new(2, 5)));
    let err = error("s = '''abc\n\n");
    assert_eq!(err.pos, Pos::new(1, 5));
    assert_eq!(error("'\\N{BULLET}'").kind, ErrorKind::NotImplementedError);
}

#[test]
fn indentation() {
    let source = "if a:\n    b\n    if c:\n\td\n\n    # comment\n    e\nf\n";
    assert_eq!(
        kinds(source),
        [
            KwIf,
            name("a"),
            Colon,
            Newline,
            Indent,
            name("b"),
            Newline,
            KwIf,
            name("c"),
            Colon,
            Newline,
            Indent,
            name("d"),
            Newline,
            Dedent,
            name("e"),
            Newline,
            Dedent,
            name("f"),
            Newline,
            EndOfInput
        ]
    );
    // Dedents to the end of input, one per level.
    assert_eq!(
        kinds("if a:\n if b:\n  if c:\n   d"),
        [
            KwIf,
            name("a"),
            Colon,
            Newline,
            Indent,
            KwIf,
            name("b"),
            Colon,
            Newline,
            Indent,
            KwIf,
            name("c"),
            Colon,
            Newline,
            Indent,
            name("d"),
            Newline,
            Dedent,
            Dedent,
            Dedent,
            EndOfInput
        ]
    );
    // Several levels closed at once.
    assert_eq!(
        kinds("if a:\n if b:\n  c\nd\n"),
        [
            KwIf,
            name("a"),
            Colon,
            Newline,
            Indent,
            KwIf,
            name("b"),
            Colon,
            Newline,
            Indent,
            name("c"),
            Newline,
            Dedent,
            Dedent,
            name("d"),
            Newline,
            EndOfInput
        ]
    );
}

#[test]
fn tab_rule() {
    // A tab moves to the next multiple of 8, so a tab equals 8 spaces...
    assert_eq!(kinds("if 1:\n\tx=1\n        y=2\n").iter().filter(|t| **t == Indent).count(), 1);
    // ...and so does space + tab.
    assert_eq!(kinds("if 1:\n \tx=1\n\ty=2\n").iter().filter(|t| **t == Indent).count(), 1);
}

#[test]
fn indentation_errors() {
    let err = error(" x = 1\n");
    assert_eq!(
        (err.kind, err.msg.as_str(), err.pos),
        (ErrorKind::IndentationError, "unexpected indent", Pos::new(1, 2))
    );
    let err = error("# c\n  x = 1\n");
    assert_eq!(err.msg, "unexpected indent");
    let err = error("if 1:\n  x=1\n y=2\n");
    assert_eq!(err.kind, ErrorKind::IndentationError);
    assert_eq!(err.msg, "unindent doesn't match any outer indent level");
    // Reported on the line end of the previous line, as MicroPython does.
    assert_eq!(err.pos, Pos::new(2, 6));
}

#[test]
fn indentation_depth_limit() {
    let mut ok = String::new();
    for level in 0..100 {
        ok.push_str(&" ".repeat(level));
        ok.push_str("if 1:\n");
    }
    ok.push_str(&" ".repeat(100));
    ok.push_str("pass\n");
    let tokens = kinds(&ok);
    assert_eq!(tokens.iter().filter(|t| **t == Indent).count(), 100);
    assert_eq!(tokens.iter().filter(|t| **t == Dedent).count(), 100);

    let mut deep = String::new();
    for level in 0..101 {
        deep.push_str(&" ".repeat(level));
        deep.push_str("if 1:\n");
    }
    deep.push_str(&" ".repeat(101));
    deep.push_str("pass\n");
    let err = error(&deep);
    assert_eq!((err.kind, err.msg.as_str()), (ErrorKind::IndentationError, "too many indentation levels"));
    assert_eq!(err.pos, Pos::new(102, 102));
}

#[test]
fn implicit_and_explicit_line_joining() {
    assert_eq!(
        kinds("x = (1,\n  2,\n\n 3)\ny = [\n]\n"),
        [
            name("x"),
            Equal,
            LParen,
            int(1),
            Comma,
            int(2),
            Comma,
            int(3),
            RParen,
            Newline,
            name("y"),
            Equal,
            LBracket,
            RBracket,
            Newline,
            EndOfInput
        ]
    );
    assert_eq!(kinds("x = 1 + \\\n    2\n"), [name("x"), Equal, int(1), Plus, int(2), Newline, EndOfInput]);
    assert_eq!(kinds("x = {  # comment\n}\n"), [name("x"), Equal, LBrace, RBrace, Newline, EndOfInput]);
    // An unclosed bracket at the end: no NEWLINE, just the end (the parser complains).
    assert_eq!(kinds("f(1,\n"), [name("f"), LParen, int(1), Comma, EndOfInput]);
}

#[test]
fn crlf_and_cr_line_ends() {
    let expected =
        [KwIf, name("a"), Colon, Newline, Indent, name("b"), Newline, Dedent, name("c"), Newline, EndOfInput];
    assert_eq!(kinds("if a:\r\n  b\r\nc\r\n"), expected);
    assert_eq!(kinds("if a:\r  b\rc\r"), expected);
    let tokens = tokenize("x\r\ny\r\n").unwrap();
    assert_eq!(tokens[2].pos, Pos::new(2, 1));
    assert_eq!(kinds("s = '''a\r\nb'''"), [name("s"), Equal, string("a\nb"), Newline, EndOfInput]);
    assert_eq!(kinds("x = 1 + \\\r\n 2"), [name("x"), Equal, int(1), Plus, int(2), Newline, EndOfInput]);
}

#[test]
fn positions_are_in_characters() {
    let tokens = tokenize("é = 'ü' + x\n  \ny\t= 2").unwrap();
    let positions: Vec<(u32, u32)> = tokens.iter().map(|t| (t.pos.line, t.pos.col)).collect();
    assert_eq!(positions, [(1, 1), (1, 3), (1, 5), (1, 9), (1, 11), (1, 12), (3, 1), (3, 3), (3, 5), (3, 6), (3, 6)]);
}

#[test]
fn invalid_characters() {
    for (source, pos) in [
        ("x = !", Pos::new(1, 5)),
        ("x = $", Pos::new(1, 5)),
        ("a ? b", Pos::new(1, 3)),
        ("`a`", Pos::new(1, 1)),
        ("x = 1\n\0", Pos::new(2, 1)),
        ("x = 1 \\ y", Pos::new(1, 7)),
        ("x = \u{1}", Pos::new(1, 5)),
        ("x = 1 # nul \0 in comment", Pos::new(1, 13)),
        ("x = \u{7f}", Pos::new(1, 5)),
    ] {
        let err = error(source);
        assert_eq!(
            (err.kind, err.msg.as_str(), err.pos),
            (ErrorKind::SyntaxError, "invalid syntax", pos),
            "{source:?}"
        );
    }
}

#[test]
fn errors_are_sticky_and_end_is_repeated() {
    let mut lexer = Lexer::new("x $");
    assert_eq!(lexer.next_token().map(|t| t.kind), Ok(name("x")));
    let first = lexer.next_token().unwrap_err();
    assert_eq!(lexer.next_token().unwrap_err(), first);

    let mut lexer = Lexer::new("x");
    let mut last = None;
    for _ in 0..5 {
        last = Some(lexer.next_token().unwrap().kind);
    }
    assert_eq!(last, Some(EndOfInput));
}

fn fstring_call(template: &str, args: Vec<Vec<Tok>>) -> Vec<Tok> {
    let mut out = vec![string(template), Dot, name("format"), LParen];
    for arg in args {
        out.push(LParen);
        out.extend(arg);
        out.push(RParen);
        out.push(Comma);
    }
    out.push(RParen);
    out
}

fn statement(mut toks: Vec<Tok>) -> Vec<Tok> {
    toks.push(Newline);
    toks.push(EndOfInput);
    toks
}

#[test]
fn fstring_rewrites() {
    assert_eq!(kinds("f'abc'"), statement(fstring_call("abc", vec![])));
    assert_eq!(kinds("f'{{x}}'"), statement(fstring_call("{{x}}", vec![])));
    assert_eq!(
        kinds("f\"a{x!r:>{w}}b{y}\""),
        statement(fstring_call("a{!r:>{}}b{}", vec![vec![name("x")], vec![name("w")], vec![name("y")]]))
    );
    assert_eq!(
        kinds("f'{a=}{b + 1!s}{c.d[0]:x}'"),
        statement(fstring_call(
            "a={}{!s}{:x}",
            vec![
                vec![name("a")],
                vec![name("b"), Plus, int(1)],
                vec![name("c"), Dot, name("d"), LBracket, int(0), RBracket]
            ]
        ))
    );
    assert_eq!(kinds("f'{a, b}'"), statement(fstring_call("{}", vec![vec![name("a"), Comma, name("b")]])));
    assert_eq!(kinds("f'{a != b}'"), statement(fstring_call("{}", vec![vec![name("a"), NotEqual, name("b")]])));
    assert_eq!(kinds("rf'\\n{x}'"), statement(fstring_call("\\n{}", vec![vec![name("x")]])));
    assert_eq!(kinds("f'\\n{x}'"), statement(fstring_call("\n{}", vec![vec![name("x")]])));
}

#[test]
fn fstring_adjacent_literals_form_one_template() {
    // Same as mpy-cross: the whole run becomes one template.
    assert_eq!(
        kinds("y = f\"{a!r:>{w}}b{c=}\" \"d{\" f\"{e}\""),
        [
            vec![name("y"), Equal],
            fstring_call("{!r:>{}}bc={}d{{}", vec![vec![name("a")], vec![name("w")], vec![name("c")], vec![name("e")]]),
            vec![Newline, EndOfInput]
        ]
        .concat()
    );
    assert_eq!(
        kinds("x = ('a'\n  f'{b}'  # c\n 'c')"),
        [
            vec![name("x"), Equal, LParen],
            fstring_call("a{}c", vec![vec![name("b")]]),
            vec![RParen, Newline, EndOfInput]
        ]
        .concat()
    );
    // A bytes literal ends the run.
    assert_eq!(
        kinds("f'{a}' b'x'"),
        [fstring_call("{}", vec![vec![name("a")]]), vec![Bytes(b"x".to_vec()), Newline, EndOfInput]].concat()
    );
}

#[test]
fn nested_fstrings_and_strings_in_fields() {
    assert_eq!(
        kinds("x = f\"{f'{1}'}\""),
        [
            vec![name("x"), Equal],
            fstring_call("{}", vec![fstring_call("{}", vec![vec![int(1)]])]),
            vec![Newline, EndOfInput]
        ]
        .concat()
    );
    assert_eq!(
        kinds("f'{x[\"a\"]}'"),
        statement(fstring_call("{}", vec![vec![name("x"), LBracket, string("a"), RBracket]]))
    );
    assert_eq!(
        kinds("f'{d[\":\"]}'"),
        statement(fstring_call("{}", vec![vec![name("d"), LBracket, string(":"), RBracket]]))
    );
}

#[test]
fn fstring_positions() {
    let tokens = tokenize("s = f'ab{x + yy}'").unwrap();
    let x = tokens.iter().find(|t| t.kind == name("x")).unwrap();
    let yy = tokens.iter().find(|t| t.kind == name("yy")).unwrap();
    assert_eq!(x.pos, Pos::new(1, 10));
    assert_eq!(yy.pos, Pos::new(1, 14));
    assert_eq!(tokens[2].pos, Pos::new(1, 5));
    let err = error("s = f'ab{x $}'");
    assert_eq!(err.pos, Pos::new(1, 12));
    let err = error("s = f'''\n{\nx ?}'''");
    assert_eq!(err.pos, Pos::new(3, 3));
}

#[test]
fn malformed_fstrings() {
    let err = error("x = f'{}'");
    assert_eq!((err.msg.as_str(), err.pos), ("malformed f-string", Pos::new(1, 7)));
    assert_eq!(error("f'{=}'").msg, "malformed f-string");
    assert_eq!(error("f'{a'").msg, "invalid syntax");
    assert_eq!(error("f'{a'\nx = 1\n").msg, "invalid syntax");
    assert_eq!(error("f'{a!x}'").msg, "invalid syntax");
    assert_eq!(error("f'{a # c}'").pos, Pos::new(1, 6));
    let mut deep = String::from("1");
    for _ in 0..40 {
        deep = format!("f'{{{deep}}}'");
    }
    assert_eq!(error(&deep).msg, "f-string nested too deeply");
}

#[test]
fn decode_source_reports_the_first_bad_byte() {
    assert_eq!(decode_source(b"x = 1\n"), Ok("x = 1\n"));
    let err = decode_source(b"x = 1\r\nab\xc3\xa9\xff").unwrap_err();
    assert_eq!((err.kind, err.pos), (ErrorKind::SyntaxError, Pos::new(2, 4)));
    let err = decode_source(b"\xe2\x82").unwrap_err();
    assert_eq!(err.pos, Pos::new(1, 1));
}

#[test]
fn one_megabyte_line() {
    let mut source = String::from("x = [");
    source.push_str(&"1, ".repeat(350_000));
    source.push(']');
    let tokens = tokenize(&source).unwrap();
    assert_eq!(tokens.len(), 3 + 700_000 + 3);
    let long_string = format!("s = '{}'", "a".repeat(1 << 20));
    assert_eq!(kinds(&long_string)[2], string(&"a".repeat(1 << 20)));
    let long_name = "n".repeat(1 << 20);
    assert_eq!(kinds(&long_name)[0], name(&long_name));
    let long_number = "9".repeat(1 << 20);
    assert_eq!(kinds(&long_number)[0], Number(crate::token::Number::BigInt(long_number.clone())));
}

#[test]
fn hundred_thousand_lines() {
    let source = "if x:\n    y = 1\n".repeat(50_000);
    let tokens = tokenize(&source).unwrap();
    assert_eq!(tokens.len(), 50_000 * 10 + 1);
    assert_eq!(tokens[tokens.len() - 2].kind, Dedent);
}

/// A tiny deterministic pseudo-random generator (xorshift64).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The length in characters of every line (`\n`, `\r` and `\r\n` end lines).
fn line_lengths(source: &str) -> Vec<u32> {
    let normalized = source.replace("\r\n", "\n").replace('\r', "\n");
    normalized.split('\n').map(|line| line.chars().count() as u32).collect()
}

/// True when `pos` names a character of the input or the place just after one
/// (the end of a line, or the end of the input).
fn inside(pos: Pos, lengths: &[u32]) -> bool {
    let Some(len) = lengths.get(pos.line.wrapping_sub(1) as usize) else {
        return false;
    };
    pos.col >= 1 && pos.col <= len + 1
}

/// Checks the invariants every outcome must satisfy.
fn check_robust(bytes: &[u8]) {
    let source = match decode_source(bytes) {
        Ok(source) => source,
        Err(err) => {
            let valid_len = core::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |s| s.len());
            let valid = core::str::from_utf8(&bytes[..valid_len]).unwrap();
            assert!(inside(err.pos, &line_lengths(valid)), "{bytes:?}: {err:?}");
            return;
        }
    };
    let lengths = line_lengths(source);
    let mut lexer = Lexer::new(source);
    for _ in 0..(source.len() * 8 + 16) {
        match lexer.next_token() {
            Ok(token) => {
                assert!(inside(token.pos, &lengths), "{source:?}: {token:?}");
                if token.kind == EndOfInput {
                    return;
                }
            }
            Err(err) => {
                assert!(inside(err.pos, &lengths), "{source:?}: {err:?}");
                return;
            }
        }
    }
    panic!("no end of input for {source:?}");
}

#[test]
fn garbage_never_panics() {
    const ALPHABET: &[u8] =
        b" \t\n\r\\'\"{}[]()!:=#.0123456789abefjrxoABEFJRXO_+-*/<>%\x00\x01\x7f\xc3\xa9\xe2\x82\xac\xff";
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for round in 0..5000 {
        let len = (rng.next() % 40) as usize;
        let mut bytes = Vec::with_capacity(len + 4);
        if round % 3 == 0 {
            bytes.extend_from_slice(b"f'");
        }
        for _ in 0..len {
            let pick = rng.next();
            let byte = if pick % 7 == 0 {
                (pick >> 8) as u8
            } else {
                ALPHABET[((pick >> 8) % ALPHABET.len() as u64) as usize]
            };
            bytes.push(byte);
        }
        check_robust(&bytes);
    }
}

#[test]
fn all_token_streams_end_properly() {
    let tokens = tokenize("def f(x):\n    return x\n").unwrap();
    assert_eq!(tokens.last().map(|t| &t.kind), Some(&EndOfInput));
    let kinds: Vec<Tok> = tokens.into_iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [
            KwDef,
            name("f"),
            LParen,
            name("x"),
            RParen,
            Colon,
            Newline,
            Indent,
            KwReturn,
            name("x"),
            Newline,
            Dedent,
            EndOfInput
        ]
    );
}
