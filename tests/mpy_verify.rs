//! Hostile `.mpy` input: ferropy's own output always verifies, and deterministic random
//! mutations of valid files (mpy-cross fixtures and ferropy output) never make the
//! reader, the verifier or the disassembler panic; a file loads only if it verifies.

mod common;

use std::fs;

use ferropy_bytecode::mpy::{read_mpy, read_mpy_file_unverified, verify_module, write_mpy, write_mpy_file};
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

/// Every snippet compiled by ferropy (at optimisation levels 0 and 3) as `.mpy` bytes.
fn ferropy_outputs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for path in common::files_with_ext("tests/compile", "py") {
        let name = common::stem(&path);
        let source = fs::read(&path).expect("read snippet");
        for opt_level in [0, 3] {
            let options = CompileOptions { opt_level, ..CompileOptions::default() };
            if let Ok(module) = compile_bytes(&source, &format!("{name}.py"), InputKind::File, &options) {
                let mut bytes = Vec::new();
                write_mpy(&module, &mut bytes);
                out.push((format!("{name} -O{opt_level}"), bytes));
            }
        }
    }
    out
}

/// The `.mpy` files made by mpy-cross: the bytecode crate's fixtures (including native
/// and inline-assembler code) and the snippet fixtures.
fn mpy_cross_outputs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["bytecode/fixtures", "tests/mpy_fixtures"] {
        for path in common::files_with_ext(dir, "mpy") {
            out.push((common::stem(&path), fs::read(&path).expect("read fixture")));
        }
    }
    out
}

#[test]
fn our_output_and_mpy_cross_output_verify() {
    let all: Vec<_> = ferropy_outputs().into_iter().chain(mpy_cross_outputs()).collect();
    assert!(all.len() > 400);
    for (name, bytes) in &all {
        if let Err(e) = read_mpy(bytes) {
            panic!("{name}: {e}");
        }
    }
}

/// A small deterministic pseudo-random generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next() as usize % n
        }
    }
}

/// One to four random edits: bit flips, byte overwrites (often small values, which hit
/// indices and counts), truncation, insertion, deletion.
fn mutate(rng: &mut Lcg, bytes: &[u8]) -> Vec<u8> {
    let mut m = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let i = rng.below(m.len());
        match rng.below(6) {
            0 => {
                if let Some(b) = m.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
            1 => {
                let value = if rng.below(2) == 0 { rng.below(8) as u8 } else { rng.next() as u8 };
                if let Some(b) = m.get_mut(i) {
                    *b = value;
                }
            }
            2 => m.truncate(rng.below(m.len() + 1)),
            3 => m.insert(rng.below(m.len() + 1), rng.next() as u8),
            _ => {
                if i < m.len() {
                    m.remove(i);
                }
            }
        }
    }
    m
}

#[test]
fn ten_thousand_mutations_never_panic() {
    let bases: Vec<_> = mpy_cross_outputs().into_iter().chain(ferropy_outputs()).collect();
    let mut rng = Lcg(0xF0CC_ACC1A);
    let (mut structural, mut verified, mut rejected_by_verify) = (0, 0, 0);
    for round in 0..10_000 {
        let (name, base) = &bases[rng.below(bases.len())];
        let bytes = mutate(&mut rng, base);
        let loaded = read_mpy(&bytes);
        let Ok(file) = read_mpy_file_unverified(&bytes) else {
            assert!(loaded.is_err(), "round {round} ({name}): read_mpy accepted what the structure reader refused");
            continue;
        };
        structural += 1;
        let mut listing = String::new();
        ferropy_bytecode::disasm::disassemble_module(&file.module, &mut listing).expect("disassemble");
        match verify_module(&file.module) {
            Ok(()) => {
                verified += 1;
                assert_eq!(loaded.as_ref().ok(), Some(&file.module), "round {round} ({name})");
                // What loads writes back to bytes that load the same.
                let mut out = Vec::new();
                write_mpy_file(&file, &mut out);
                assert_eq!(read_mpy(&out).ok().as_ref(), Some(&file.module), "round {round} ({name})");
            }
            Err(e) => {
                rejected_by_verify += 1;
                assert!(loaded.is_err(), "round {round} ({name}): read_mpy accepted code that fails verify: {e}");
                assert!(!e.what.is_empty());
            }
        }
    }
    eprintln!("10000 mutations: {structural} structurally valid, {verified} verified, {rejected_by_verify} rejected by verify");
    // The mutations reach both outcomes of the verifier.
    assert!(verified > 100 && rejected_by_verify > 100, "{verified} verified, {rejected_by_verify} rejected");
}
