//! Xtensa instruction counts: a kernel function run by `ferropy-xtensa-sim`
//! against its fake runtime (`ferropy_xtensa_sim::fake`), whose buffers hold
//! the kernel's data in simulated memory.

use ferropy_bytecode::native_abi::status;
use ferropy_emit_xtensa::Abi;
use ferropy_xtensa_sim::fake::{small, Fake};
use ferropy_xtensa_sim::SimError;

use super::{needs_runtime, Arg, Call, Counted, KernelCode};

/// Instructions one run may execute.
const MAX_STEPS: u64 = 2_000_000_000;

/// The ABI of an `mpy-cross -march=` Xtensa name (`xtensa`: call0,
/// `xtensawin`: windowed).
pub fn abi(arch: &str) -> Option<Abi> {
    match arch {
        "xtensa" => Some(Abi::Call0),
        "xtensawin" => Some(Abi::Windowed),
        _ => None,
    }
}

/// Runs `code` (compiled for `abi`) as `call` describes; the kernel's
/// result and the instructions executed. The error says why it could not run.
pub fn run(kernel: &KernelCode, abi: Abi, call: &Call) -> Result<Counted, String> {
    let mut fake = Fake::new(abi, &kernel.code)?;
    fake.set_consts(kernel.consts.clone());
    fake.sim.max_steps = MAX_STEPS;
    let (mut args, mut buffers) = (Vec::new(), Vec::new());
    for a in &call.args {
        args.push(match a {
            Arg::Int(v) => small(*v),
            Arg::Buffer(b) => {
                let obj = fake.buffer(b)?;
                buffers.push(obj);
                obj
            }
        });
    }
    let before = fake.sim.steps;
    let returned = match fake.call(&args) {
        Ok(r) => r,
        Err(e @ SimError::Host(..)) => {
            let first = e.to_string().lines().next().unwrap_or("").to_string();
            return Err(needs_runtime(&fake.log().ops).unwrap_or_else(|| format!("simulator: {first}")));
        }
        Err(e) => return Err(format!("simulator: {}", e.to_string().lines().next().unwrap_or(""))),
    };
    if returned.status != status::RETURN as u32 {
        return Err(format!("the function ended with status {}", returned.status));
    }
    let value = returned.value.and_then(|v| fake.int_of(v));
    let after: Vec<Vec<u8>> =
        buffers.iter().map(|o| fake.buffer_bytes(*o)).collect::<Option<_>>().ok_or("a buffer vanished")?;
    let result = (call.result)(value, &after).ok_or("no result")?;
    Ok(Counted { result, instructions: fake.sim.steps - before })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulate::{check, kernel_call, kernel_code};
    use crate::kernels::{source_of, sources};

    #[test]
    fn bubble_sorts_in_both_abis_with_a_count() {
        let sources = sources().expect("kernel sources");
        let src = source_of(&sources, "bubble", "viper").expect("bubble's viper source");
        let call = kernel_call("bubble").expect("bubble's call");
        let mut counts = Vec::new();
        for arch in ["xtensa", "xtensawin"] {
            let code = kernel_code(&src, arch).expect("compiles");
            let c = run(&code, abi(arch).expect("an Xtensa arch"), &call).unwrap_or_else(|e| panic!("{arch}: {e}"));
            // What `kernel()` returns on x86-64 (sorted: b[0] + b[150] * 256 + b[299] * 65536).
            check(c.result, "16743424").unwrap_or_else(|e| panic!("{arch}: {e}"));
            assert!(c.instructions > 300 * 299 / 2, "{arch}: {} instructions", c.instructions);
            counts.push(c.instructions);
        }
        assert_ne!(counts[0], counts[1], "the ABIs run different code");
    }

    #[test]
    fn calls_through_the_runtime_say_why_they_cannot_run() {
        let sources = sources().expect("kernel sources");
        let src = source_of(&sources, "fib", "viper").expect("fib's viper source");
        let code = kernel_code(&src, "xtensa").expect("compiles");
        let e = run(&code, Abi::Call0, &kernel_call("fib").expect("fib's call")).unwrap_err();
        assert!(e.contains("LOAD_GLOBAL"), "{e}");
    }
}
