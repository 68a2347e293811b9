//! Helpers shared by the execution tests: build, map and call emitted functions.
#![allow(dead_code)]

use ferropy_emit_native::{Asm, Finished};
use ferropy_emit_x64::disasm;
use ferropy_emit_x64::exec::ExecutableCode;
use ferropy_emit_x64::{Reg, X64Asm};

/// Registers the tests may clobber freely (caller-saved or saved by the prologue).
pub const USABLE: [Reg; 13] = [
    Reg::Rax,
    Reg::Rcx,
    Reg::Rdx,
    Reg::Rbx,
    Reg::Rsi,
    Reg::Rdi,
    Reg::R8,
    Reg::R9,
    Reg::R10,
    Reg::R11,
    Reg::R12,
    Reg::R13,
    Reg::Rbp,
];

/// A four-argument function as emitted by the tests.
pub type Fn4 = extern "C" fn(u64, u64, u64, u64) -> u64;

/// Emitted, mapped code.
pub struct Built {
    /// The mapping.
    pub exec: ExecutableCode,
    /// The finished code.
    pub finished: Finished,
}

impl Built {
    /// Calls the entry point with four arguments.
    pub fn call(&self, a: u64, b: u64, c: u64, d: u64) -> u64 {
        // SAFETY: every test function is emitted with a full prologue/epilogue and
        // reads at most four integer arguments; `self.exec` outlives the call.
        let f: Fn4 = unsafe { self.exec.function(self.finished.entry) }.expect("entry in code");
        f(a, b, c, d)
    }

    /// The mnemonics of the code, in order.
    pub fn mnemonics(&self) -> Vec<String> {
        disasm::decode(&self.finished.code).iter().map(|l| l.mnemonic().to_string()).collect()
    }

    /// Asserts that each of `expected` appears among the mnemonics.
    pub fn assert_mnemonics(&self, expected: &[&str]) {
        let have = self.mnemonics();
        for m in expected {
            assert!(have.iter().any(|h| h == m), "{m} missing in\n{}", disasm::listing(&self.finished.code));
        }
    }
}

/// Emits `prologue(n_slots)`, `body`, `epilogue`, and maps the result.
pub fn build(n_slots: usize, body: impl FnOnce(&mut X64Asm)) -> Built {
    let mut asm = X64Asm::new();
    asm.prologue(n_slots);
    body(&mut asm);
    asm.epilogue();
    let finished = asm.finish().expect("assembles");
    let exec = ExecutableCode::new(&finished.code).expect("maps");
    Built { exec, finished }
}

/// Deterministic xorshift64 generator.
pub struct XorShift(pub u64);

impl XorShift {
    /// Next pseudo-random word.
    pub fn next_word(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_word() % n as u64) as usize
    }

    /// An "interesting" word: small, boundary or random.
    pub fn word(&mut self) -> u64 {
        const EDGES: [u64; 9] =
            [0, 1, 2, u64::MAX, i64::MAX as u64, i64::MIN as u64, u32::MAX as u64, 0x8000_0000, 0xFFFF_FFFF_8000_0000];
        match self.below(4) {
            0 => EDGES[self.below(EDGES.len())],
            1 => self.next_word() % 64,
            2 => (self.next_word() as i8) as i64 as u64,
            _ => self.next_word(),
        }
    }
}
