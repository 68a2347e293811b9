//! Random bytes as code: the simulator stops with an error (or returns), and
//! never panics, in both ABIs; mostly-valid code (random encodings of the
//! subset) exercises loads, stores, branches and window instructions too.

mod common;

use common::{sim_with, XorShift, CODE};
use ferropy_emit_xtensa::insn::Insn;
use ferropy_emit_xtensa::Abi;

fn run(abi: Abi, code: Vec<u8>, args: &[u32]) -> bool {
    let mut s = sim_with(abi, code);
    s.max_steps = 2_000;
    s.max_depth = 16;
    match s.call(CODE, args) {
        Ok(_) => true,
        Err(e) => {
            // Every error names the address and dumps the registers.
            let text = e.to_string();
            assert!(text.contains("at pc 0x") && text.contains("a15 = "), "{text}");
            false
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0xF00D);
    let mut stopped = 0;
    for i in 0..3000 {
        let len = 1 + rng.below(64);
        let code: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let abi = if i % 2 == 0 { Abi::Call0 } else { Abi::Windowed };
        let args = [rng.next() as u32, common::DATA, common::STACK, rng.next() as u32];
        if !run(abi, code, &args) {
            stopped += 1;
        }
    }
    assert!(stopped > 2500, "random bytes should mostly stop with an error: {stopped}");
}

#[test]
fn random_valid_instructions_never_panic() {
    let mut rng = XorShift(0xBEEF_CAFE);
    for i in 0..3000 {
        let mut code = Vec::new();
        while code.len() < 48 {
            let bytes = [rng.next() as u8, rng.next() as u8, rng.next() as u8];
            if let Some(insn) = Insn::decode(&bytes) {
                insn.encode_into(&mut code).unwrap();
            }
        }
        let abi = if i % 2 == 0 { Abi::Call0 } else { Abi::Windowed };
        // Arguments point into mapped memory, so some loads and stores succeed.
        let d = common::DATA + 4 * rng.below(64) as u32;
        run(abi, code, &[d, d, d, d, d, d]);
    }
}
