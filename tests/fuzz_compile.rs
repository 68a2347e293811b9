//! Property test of the frontend: random and mutated sources never panic; each one
//! either compiles or yields an error whose position lies inside the input.
//!
//! The default run feeds a small slice; `cargo test --release --test fuzz_compile --
//! --ignored` runs the full 100,000-input campaign (the test command does both).

use std::fs;
use std::path::Path;

use ferropy_frontend::{compile_bytes, CompileOptions, EmitterKind, InputKind};

/// A small deterministic generator (xorshift64*), so failures are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that make mutations likely to reach deep into the parser and compiler.
const DICTIONARY: &[&str] = &[
    "def ",
    "class ",
    "lambda",
    ":",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "=",
    "+=",
    "**",
    "*",
    "->",
    "\n",
    "\n    ",
    "\t",
    "\\\n",
    "if ",
    "elif ",
    "else:",
    "for ",
    " in ",
    "while ",
    "try:",
    "except ",
    "finally:",
    "with ",
    " as ",
    "return ",
    "yield ",
    "yield from ",
    "await ",
    "async ",
    "global ",
    "nonlocal ",
    "del ",
    "import ",
    "from ",
    ".",
    "...",
    "'",
    "\"",
    "'''",
    "f'{",
    "}'",
    "b'",
    "r'",
    "0x",
    "1e",
    "1_0",
    "3j",
    ":=",
    "@",
    "not ",
    " and ",
    " or ",
    "is not ",
    "break",
    "continue",
    "raise ",
    "assert ",
    "pass",
    ";",
    "#",
    "\0",
    "\u{e9}",
    "\u{2713}",
    "const(",
    "super()",
    "__class__",
    "@micropython.viper\n",
    "@micropython.native\n",
    "x",
    "_",
    "None",
    "True",
    "1",
    "-",
];

fn corpus() -> Vec<Vec<u8>> {
    let mut inputs = Vec::new();
    for dir in ["compile", "compile_errors"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(dir);
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "py") {
                if let Ok(bytes) = fs::read(&path) {
                    // Keep the giant generated snippets out: they dominate the run time.
                    if bytes.len() < 4096 {
                        inputs.push(bytes);
                    }
                }
            }
        }
    }
    inputs.sort();
    assert!(!inputs.is_empty(), "no seed corpus found");
    inputs
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut input = seeds[rng.below(seeds.len())].clone();
    let rounds = 1 + rng.below(6);
    for _ in 0..rounds {
        let len = input.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(len - i + 1).min(16);
                input.drain(i..i + n);
            }
            2 => {
                let i = rng.below(len + 1);
                let frag = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                input.splice(i..i, frag.iter().copied());
            }
            3 => {
                // Splice a piece of another seed.
                let other = &seeds[rng.below(seeds.len())];
                let a = rng.below(other.len() + 1);
                let b = a + rng.below(other.len() - a + 1);
                let i = rng.below(len + 1);
                input.splice(i..i, other[a..b].iter().copied());
            }
            4 if len > 0 => {
                // Duplicate a range (grows nesting and repetition).
                let a = rng.below(len);
                let b = a + rng.below(len - a + 1).min(64);
                let piece = input[a..b].to_vec();
                input.splice(b..b, piece);
            }
            5 => input.truncate(rng.below(len + 1)),
            6 => {
                // Pure random tokens from the dictionary.
                input.clear();
                for _ in 0..rng.below(40) {
                    input.extend_from_slice(DICTIONARY[rng.below(DICTIONARY.len())].as_bytes());
                }
            }
            _ => {
                // Random bytes.
                for _ in 0..rng.below(8) {
                    let i = rng.below(input.len() + 1);
                    input.insert(i, rng.next() as u8);
                }
            }
        }
    }
    input
}

fn check_one(input: &[u8], options: &CompileOptions) {
    for kind in [InputKind::File, InputKind::Single, InputKind::Eval] {
        if let Err(e) = compile_bytes(input, "<fuzz>", kind, options) {
            let lines = input.split(|&b| b == b'\n' || b == b'\r').count() as u32;
            assert!(
                e.pos.line >= 1 && e.pos.line <= lines + 1 && e.pos.col >= 1,
                "error position {}:{} outside the input ({} lines) for {:?}: {}",
                e.pos.line,
                e.pos.col,
                lines,
                String::from_utf8_lossy(input),
                e
            );
        }
    }
}

fn campaign(iterations: usize, seed: u64) {
    let seeds = corpus();
    let mut rng = Rng(seed);
    let options = [
        CompileOptions::default(),
        CompileOptions { opt_level: 3, ..CompileOptions::default() },
        CompileOptions { emitter: EmitterKind::Viper, ..CompileOptions::default() },
    ];
    for i in 0..iterations {
        let input = mutate(&mut rng, &seeds);
        let result = std::panic::catch_unwind(|| check_one(&input, &options[i % options.len()]));
        if let Err(panic) = result {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("input #{i} panicked ({msg}): {:?}", String::from_utf8_lossy(&input));
        }
    }
}

#[test]
fn fuzz_compile_slice() {
    campaign(3_000, 0x5eed_0001);
}

#[test]
#[ignore = "long campaign: run with --release -- --ignored"]
fn fuzz_compile_full() {
    campaign(100_000, 0x5eed_0002);
}
