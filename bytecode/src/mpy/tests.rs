//! Tests of the `.mpy` reader and writer against files made by mpy-cross.

use super::*;
use crate::code::{CodeKind, ConstObj, RawCode};
use crate::error::DecodeErrorKind;
use alloc::string::String;
use alloc::vec;

/// Files written by MicroPython's mpy-cross (sources and commands in `fixtures/README.md`).
pub(crate) const FIXTURES: [(&str, &[u8]); 6] = [
    ("s1", include_bytes!("../../fixtures/s1.mpy")),
    ("short", include_bytes!("../../fixtures/short.mpy")),
    ("fl", include_bytes!("../../fixtures/fl.mpy")),
    ("funcs", include_bytes!("../../fixtures/funcs.mpy")),
    ("nat", include_bytes!("../../fixtures/nat.mpy")),
    ("asm", include_bytes!("../../fixtures/asm.mpy")),
];

#[test]
fn fixtures_round_trip_byte_for_byte() {
    for (name, bytes) in FIXTURES {
        let file = read_mpy_file(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut out = Vec::new();
        write_mpy_file(&file, &mut out);
        assert_eq!(out, bytes, "{name}");
    }
}

#[test]
fn bytecode_fixtures_round_trip_through_the_plain_api() {
    for (name, bytes) in FIXTURES {
        if matches!(name, "nat" | "asm") {
            continue;
        }
        let module = read_mpy(bytes).unwrap();
        let mut out = Vec::new();
        write_mpy(&module, &mut out);
        assert_eq!(out, bytes, "{name}");
    }
}

#[test]
fn s1_contents() {
    let module = read_mpy(FIXTURES[0].1).unwrap();
    assert_eq!(module.qstrs, ["s1.py", "<module>", "f", "g", "a", "b"]);
    assert!(module.consts.is_empty());
    assert_eq!(module.root.kind, CodeKind::Bytecode);
    assert_eq!(module.root.children.len(), 2);
    let f = &module.root.children[0];
    assert_eq!(f.code, [0x1A, 0x08, 0x02, 0x04, 0x05, 0x20, 0xB0, 0xB1, 0xF2, 0x63]);
    assert_eq!(f.n_pos_args, 2);
    let g = &module.root.children[1];
    assert_eq!(g.scope_flags, crate::code::scope_flags::GENERATOR);
    let short = read_mpy(FIXTURES[1].1).unwrap();
    assert_eq!(short.qstrs[0], "hello.py");
}

#[test]
fn constants_are_decoded() {
    let module = read_mpy(FIXTURES[2].1).unwrap();
    let c = &module.consts;
    assert_eq!(c[0], ConstObj::Float(0.1));
    assert_eq!(c[1], ConstObj::Float(1e100));
    assert_eq!(c[3], ConstObj::Complex { real: 0.0, imag: 3.0 });
    assert_eq!(c[4], ConstObj::Float(-0.0));
    assert_ne!(c[4], ConstObj::Float(0.0));
    assert_eq!(c[12], ConstObj::Float(f64::INFINITY));
    assert_eq!(c[23], ConstObj::Int("1267650600228229401496703205376".into()));
    assert_eq!(c[24], ConstObj::Int("-1180591620717411303424".into()));
    match &c[25] {
        ConstObj::Tuple(items) => {
            assert_eq!(items.len(), 6);
            assert_eq!(items[1], ConstObj::Str("a".into()));
            assert_eq!(items[2], ConstObj::Bytes(vec![b'b']));
            assert_eq!(
                items[3],
                ConstObj::Tuple(vec![ConstObj::None, ConstObj::True, ConstObj::False, ConstObj::Ellipsis])
            );
        }
        other => panic!("expected a tuple, got {other:?}"),
    }
}

#[test]
fn native_fixtures_keep_their_fields() {
    let file = read_mpy_file(FIXTURES[4].1).unwrap();
    assert_eq!(file.header.arch, arch::X64);
    assert_eq!(file.header.sub_version, MPY_SUB_VERSION);
    let kinds: Vec<CodeKind> = file.module.root.children.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CodeKind::Native, CodeKind::Native, CodeKind::Viper, CodeKind::Bytecode]);
    let fast = &file.module.root.children[0];
    assert!(fast.prelude_offset > 0 && fast.prelude_offset < fast.code.len());
    assert_eq!(fast.n_pos_args, 2);
    assert!(file.module.consts.contains(&ConstObj::FunTable));

    let asm = read_mpy_file(FIXTURES[5].1).unwrap();
    assert_eq!(asm.header.arch, arch::ARMV7M);
    let add1 = &asm.module.root.children[0];
    assert_eq!(add1.kind, CodeKind::InlineAsm);
    assert_eq!(add1.n_pos_args, 1);
    assert_eq!(add1.code, [0xF2, 0xB5, 0x40, 0x1C, 0xF2, 0xBD]);
}

fn sample_module() -> CompiledModule {
    let mut code = Vec::new();
    crate::prelude::encode_signature(&crate::prelude::Signature { n_state: 1, ..Default::default() }, &mut code);
    code.extend_from_slice(&[0x02, 0x01, 0x51, 0x63]);
    CompiledModule {
        qstrs: vec![String::from("t.py"), String::from("<module>")],
        consts: vec![ConstObj::Complex { real: 1.0, imag: -2.0 }, ConstObj::Bytes(Vec::new())],
        root: RawCode {
            kind: CodeKind::Bytecode,
            code,
            prelude_offset: 0,
            scope_flags: 0,
            n_pos_args: 0,
            children: Vec::new(),
        },
    }
}

#[test]
fn subnormal_texts_of_mpy_cross_are_read() {
    // mpy-cross writes subnormals with 16 digits, sometimes with a leading 0 digit.
    let mut bytes = vec![b'M', 6, 0, 31, 0, 2];
    for text in ["4.940656458412465e-324", "0.999999999999997e-310"] {
        bytes.push(tag::FLOAT);
        bytes.push(text.len() as u8);
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes.extend_from_slice(&[0x20, 0x00, 0x02, 0x51, 0x63]);
    // No qstr table: only the structure is read (the code's name qstr does not exist).
    let module = read_mpy_file_unverified(&bytes).unwrap().module;
    assert_eq!(module.consts, [ConstObj::Float(f64::from_bits(1)), ConstObj::Float(1e-310)]);
}

#[test]
fn written_modules_read_back() {
    let module = sample_module();
    let mut out = Vec::new();
    write_mpy(&module, &mut out);
    assert_eq!(&out[..4], [b'M', 6, 0, 31]);
    assert_eq!(read_mpy(&out), Ok(module));
}

#[test]
fn viper_extras_round_trip() {
    let mut module = sample_module();
    let viper = RawCode {
        kind: CodeKind::Viper,
        code: vec![0x90, 0xC3],
        prelude_offset: 0,
        scope_flags: 0x70,
        n_pos_args: 0,
        children: Vec::new(),
    };
    module.root.children.push(viper);
    let file = MpyFile {
        header: MpyHeader { arch: arch::X64, sub_version: 3, arch_flags: Some(0), small_int_bits: 31 },
        module,
        native_extras: vec![NativeExtra {
            code_index: 1,
            file_scope_flags: 0x70,
            type_sig: 0,
            rodata: Some(vec![1, 2, 3]),
            bss_size: Some(16),
            relocations: Some(vec![0x01, 0x02, 0x0C, 0x03, 0x05, 0x04, 0xFF]),
        }],
    };
    let mut out = Vec::new();
    write_mpy_file(&file, &mut out);
    assert_eq!(out[2], 0x40 | arch::X64 << 2 | 3);
    assert_eq!(read_mpy_file(&out), Ok(file));
}

#[test]
fn bad_headers_are_rejected() {
    let good = FIXTURES[0].1;
    let mut bad = good.to_vec();
    bad[0] = b'X';
    assert_eq!(read_mpy(&bad).unwrap_err().what, "mpy magic");
    let mut bad = good.to_vec();
    bad[1] = 5;
    assert_eq!(read_mpy(&bad).unwrap_err().what, "mpy version");
    let mut bad = good.to_vec();
    bad[2] = 2 << 2; // arch x64 without sub-version 3
    assert_eq!(read_mpy(&bad).unwrap_err().what, "mpy sub-version");
    let mut bad = good.to_vec();
    bad.push(0);
    assert_eq!(read_mpy(&bad).unwrap_err().what, "trailing data");
    assert_eq!(read_mpy(&good[..good.len() - 1]).unwrap_err().kind, DecodeErrorKind::Truncated);
    assert!(read_mpy(&[]).is_err());
}

#[test]
fn bad_tables_are_rejected() {
    // Static qstr id 166 does not exist.
    let bytes = [b'M', 6, 0, 31, 1, 0, 0x82, 0x4D];
    assert_eq!(read_mpy(&bytes).unwrap_err().what, "static qstr id");
    // Missing NUL after a qstr.
    let bytes = [b'M', 6, 0, 31, 1, 0, 0x02, b'a', b'x'];
    assert_eq!(read_mpy(&bytes).unwrap_err().what, "qstr terminator");
    // Unknown constant tag.
    let bytes = [b'M', 6, 0, 31, 0, 1, 11];
    assert_eq!(read_mpy(&bytes).unwrap_err().what, "constant tag");
    // Int constant that is not decimal.
    let bytes = [b'M', 6, 0, 31, 0, 1, 7, 2, b'1', b'x'];
    assert_eq!(read_mpy(&bytes).unwrap_err().what, "int constant");
    // Huge counts fail cleanly without allocating.
    let bytes = [b'M', 6, 0, 31, 0xFF, 0xFF, 0xFF, 0x7F, 0];
    assert_eq!(read_mpy(&bytes).unwrap_err().what, "qstr count");
}

#[test]
fn nesting_is_capped() {
    let mut bytes = vec![b'M', 6, 0, 31, 0, 1];
    for _ in 0..10_000 {
        bytes.extend_from_slice(&[10, 1]);
    }
    assert_eq!(read_mpy(&bytes).unwrap_err().kind, DecodeErrorKind::TooDeep);
    let mut bytes = vec![b'M', 6, 0, 31, 0, 0];
    for _ in 0..10_000 {
        // A 1-byte bytecode with one child, over and over.
        bytes.extend_from_slice(&[0x0C, 0x00, 0x01]);
    }
    assert_eq!(read_mpy(&bytes).unwrap_err().kind, DecodeErrorKind::TooDeep);
}

/// A small deterministic pseudo-random generator for the mutation loop.
pub(crate) struct Lcg(pub u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next() as usize % n
        }
    }
}

/// Applies one to three random edits (flip, truncate, insert, delete) to `bytes`.
pub(crate) fn mutate(rng: &mut Lcg, bytes: &[u8]) -> Vec<u8> {
    let mut m = bytes.to_vec();
    for _ in 0..1 + rng.below(3) {
        match rng.below(4) {
            0 => {
                let i = rng.below(m.len());
                if let Some(b) = m.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => m.truncate(rng.below(m.len() + 1)),
            2 => {
                let i = rng.below(m.len() + 1);
                m.insert(i, rng.next() as u8);
            }
            _ => {
                if !m.is_empty() {
                    let i = rng.below(m.len());
                    m.remove(i);
                }
            }
        }
    }
    m
}

#[test]
fn mutations_never_panic() {
    let mut rng = Lcg(0x5EED);
    let mut accepted = 0;
    for round in 0..3000 {
        let (_, base) = FIXTURES[round % FIXTURES.len()];
        let m = mutate(&mut rng, base);
        if let Ok(file) = read_mpy_file(&m) {
            accepted += 1;
            // Whatever was accepted must write out, read back, and write out the same.
            let mut out = Vec::new();
            write_mpy_file(&file, &mut out);
            let again = read_mpy_file(&out).unwrap_or_else(|e| panic!("round {round}: {e}"));
            let mut out2 = Vec::new();
            write_mpy_file(&again, &mut out2);
            assert_eq!(out, out2, "round {round}");
        }
    }
    // Some edits (inside code bodies or strings) keep the file valid.
    assert!(accepted > 0);
}
