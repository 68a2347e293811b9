//! Helpers shared by the encoder and execution tests.
#![allow(dead_code)]

pub mod emu;
pub mod fake;

use ferropy_emit_native::{Asm, Finished};
use ferropy_emit_thumb::disasm;
use ferropy_emit_thumb::{Reg, Target, ThumbAsm};

/// Emits `body` (no prologue unless the body adds one) and finishes.
pub fn finish<T: Target>(body: impl FnOnce(&mut ThumbAsm<T>)) -> Finished {
    let mut a = ThumbAsm::<T>::new();
    body(&mut a);
    a.finish().unwrap_or_else(|e| panic!("{:?}: {e}", T::ARCH))
}

/// The instruction texts of `code`, in order (literal loads' offsets as `#_`,
/// checked separately where it matters).
pub fn texts(code: &[u8]) -> Vec<String> {
    disasm::decode(code).into_iter().map(|l| norm(l.text)).collect()
}

fn norm(text: String) -> String {
    match text.find("[pc, #") {
        Some(i) if text.starts_with("ldr ") => format!("{}[pc, #_]", &text[..i]),
        _ => text,
    }
}

/// A memory offset as capstone prints it (negative ones always in hex).
pub fn mimm(v: i64) -> String {
    if v < 0 {
        format!("#-{:#x}", -v)
    } else {
        imm(v)
    }
}

/// The instruction texts of `body`'s code.
pub fn dis<T: Target>(body: impl FnOnce(&mut ThumbAsm<T>)) -> Vec<String> {
    texts(&finish::<T>(body).code)
}

/// An immediate as capstone prints it.
pub fn imm(v: i64) -> String {
    if v > 9 {
        format!("#{v:#x}")
    } else if v < -9 {
        format!("#-{:#x}", -v)
    } else {
        format!("#{v}")
    }
}

/// Asserts that `body` produces exactly the instructions `want`.
#[track_caller]
pub fn expect<T: Target>(body: impl FnOnce(&mut ThumbAsm<T>), want: &[String]) {
    let f = finish::<T>(body);
    let have = texts(&f.code);
    assert_eq!(have, want, "{:?}\n{}", T::ARCH, disasm::listing(&f.code));
}

/// The registers the `Asm` operations accept on `T`'s architecture.
pub fn usable<T: Target>() -> Vec<Reg> {
    Reg::ALL.into_iter().filter(|r| r.usable(T::ARCH)).collect()
}

/// A deterministic pseudo-random sequence.
pub struct XorShift(pub u64);

impl XorShift {
    /// The next value.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}
