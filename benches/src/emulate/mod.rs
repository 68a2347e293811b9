//! Running the viper kernels of `benches/py/emitters.py` in instruction-set
//! emulators and counting the instructions they execute: each kernel's
//! arguments built in Rust exactly as the script's `setup()` and globals
//! build them ([`kernel_call`]), its result read as the script's `kernel()`
//! computes it, and checked against the result the x86-64 run printed.
//!
//! * [`xtensa`]: the Xtensa simulator (`ferropy-xtensa-sim`), both ABIs.
//! * `thumb` (feature `isa-emulators`, as unicorn builds C code): unicorn,
//!   ARMv7-M and ARMv6-M.

pub mod xtensa;

#[cfg(feature = "isa-emulators")]
pub mod thumb;

use ferropy_bytecode::disasm::opcode_name;
use ferropy_bytecode::{CodeKind, ConstObj, RawCode};

use crate::isa::{compile_for, kernel_function};

/// An argument of a kernel function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A small int.
    Int(i32),
    /// A bytearray or array: its bytes (the function casts it to a pointer).
    Buffer(Vec<u8>),
}

/// How a kernel's result is read: from the function's return value and the
/// buffer arguments as the function left them (in argument order).
pub type ResultOf = fn(Option<i64>, &[Vec<u8>]) -> Option<i64>;

/// One call of a kernel function: its arguments and how its result is read.
#[derive(Clone, Debug)]
pub struct Call {
    /// The arguments.
    pub args: Vec<Arg>,
    /// The result, as the script's `kernel()` computes it.
    pub result: ResultOf,
    /// Why the kernel goes wrong with 32-bit viper ints (the word of the
    /// emulated instruction sets), if it does.
    pub on_32_bits: Option<&'static str>,
}

/// An emulated run: the kernel's result and the instructions executed in
/// the function's own code (helpers excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    /// The kernel's result.
    pub result: i64,
    /// Instructions executed.
    pub instructions: u64,
}

fn bytes(n: usize, f: impl Fn(usize) -> usize) -> Vec<u8> {
    (0..n).map(|i| (f(i) & 255) as u8).collect()
}

fn words(n: usize, f: impl Fn(u64) -> u64) -> Vec<u8> {
    (0..n as u64).flat_map(|i| (f(i) as u32).to_le_bytes()).collect()
}

fn word(buf: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(buf.get(4 * i..4 * i + 4)?.try_into().ok()?))
}

fn returned(r: Option<i64>, _: &[Vec<u8>]) -> Option<i64> {
    r
}

/// The call `kernel()` makes in `benches/py/emitters.py`, with the same
/// data; `None` for an unknown kernel.
pub fn kernel_call(kernel: &str) -> Option<Call> {
    use Arg::{Buffer, Int};
    Some(match kernel {
        "fib" => Call { args: vec![Int(23)], result: returned, on_32_bits: None },
        "loop" => Call { args: vec![Int(300_000)], result: returned, on_32_bits: None },
        "bubble" => Call {
            args: vec![Buffer(bytes(300, |i| i * 73 + 11)), Int(300)],
            result: |_, b| {
                let b = b.first()?;
                Some(i64::from(*b.first()?) + i64::from(*b.get(150)?) * 256 + i64::from(*b.get(299)?) * 65536)
            },
            on_32_bits: None,
        },
        "checksum" => {
            Call { args: vec![Buffer(bytes(100_000, |i| i * 7 + 3)), Int(100_000)], result: returned, on_32_bits: None }
        }
        "blend" => Call {
            args: vec![
                Buffer(words(16384, |i| i * 2_654_435_761)),
                Buffer(words(16384, |i| i * 40503)),
                Int(16384),
                Int(100),
            ],
            result: |_, b| {
                let d = b.first()?;
                Some(i64::from(word(d, 0)? ^ word(d, 5000)? ^ word(d, 16383)?))
            },
            on_32_bits: None,
        },
        "sieve" => Call {
            args: vec![Buffer(vec![0; 200_000]), Int(200_000)],
            result: returned,
            on_32_bits: Some(
                "j = i * i wraps past 2^31 for i >= 46341: the kernel stores before its buffer with 32-bit ints",
            ),
        },
        "crc32" => {
            Call { args: vec![Buffer(bytes(20_000, |i| i * 31 + 7)), Int(20_000)], result: returned, on_32_bits: None }
        }
        "matmul" => Call {
            args: vec![
                Buffer(words(64 * 64, |i| (i * 7 + 1) % 19)),
                Buffer(words(64 * 64, |i| (i * 5 + 3) % 23)),
                Buffer(vec![0; 4 * 64 * 64]),
                Int(64),
            ],
            result: |_, b| {
                let c = b.get(2)?;
                let at = |i| word(c, i).map(|w| i64::from(w as i32));
                Some(at(0)? + at(64 * 64 / 2)? + at(64 * 64 - 1)?)
            },
            on_32_bits: None,
        },
        _ => return None,
    })
}

/// A kernel function compiled for one instruction set.
#[derive(Clone, Debug)]
pub struct KernelCode {
    /// The function (its machine code, then its prelude).
    pub code: RawCode,
    /// Its module's constant table (`LOAD_CONST_OBJ` operands).
    pub consts: Vec<ConstObj>,
}

/// The viper (or native) kernel function of a kernel module compiled for `arch`.
pub fn kernel_code(source: &str, arch: &str) -> Result<KernelCode, String> {
    let module = compile_for(source, arch)?;
    let code = kernel_function(&module).ok_or("no kernel function")?;
    if !matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
        return Err("the kernel function is not machine code".into());
    }
    Ok(KernelCode { code: code.clone(), consts: module.consts.clone() })
}

/// Why a run stopped in the fake runtime's `OP` helper: the generic
/// operations (opcodes) it was asked for; `None` if there were none.
pub fn needs_runtime(ops: &[u32]) -> Option<String> {
    if ops.is_empty() {
        return None;
    }
    let names: Vec<String> =
        ops.iter().map(|&o| opcode_name(o as u8).map_or_else(|| format!("opcode {o:#x}"), str::to_string)).collect();
    Some(format!("needs the runtime's generic operations ({}), which the fake runtime has not", names.join(", ")))
}

/// Checks an emulated result against the x86-64 run's (`expected`, as
/// printed). Viper ints are machine words: on the 32-bit instruction sets a
/// result is right if it equals the x86-64 one modulo 2^32.
pub fn check(result: i64, expected: &str) -> Result<(), String> {
    let want: i128 = expected.trim().parse().map_err(|_| format!("the x86-64 result {expected:?} is not an int"))?;
    if i128::from(result) == want || (result as u32) == (want as u32) {
        Ok(())
    } else {
        Err(format!("wrong result {result} (x86-64: {expected})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_has_a_call() {
        for k in crate::kernels::KERNELS {
            assert!(kernel_call(k).is_some(), "{k}");
        }
        assert!(kernel_call("nope").is_none());
    }

    #[test]
    fn inputs_match_the_script() {
        let blend = kernel_call("blend").unwrap();
        let Arg::Buffer(d) = &blend.args[0] else { panic!() };
        assert_eq!(d.len(), 4 * 16384);
        // (1 * 2654435761) & 0xFFFFFFFF
        assert_eq!(word(d, 1), Some(2_654_435_761));
        assert_eq!(word(d, 2), Some((2 * 2_654_435_761u64) as u32));
        let bubble = kernel_call("bubble").unwrap();
        assert_eq!(bubble.args[0], Arg::Buffer(bytes(300, |i| i * 73 + 11)));
        assert_eq!((bubble.result)(None, &[vec![1; 300]]), Some(1 + 256 + 65536));
    }

    #[test]
    fn results_compare_modulo_the_word() {
        assert!(check(5, "5").is_ok());
        assert!(check(-1, "4294967295").is_ok());
        assert!(check(4, "5").is_err());
        assert!(check(4, "None").is_err());
    }
}
