//! Random functions built with the Xtensa `Asm` (arithmetic, shifts,
//! comparisons, loads/stores of every width, forward skips, counted loops,
//! data islands that force long branches, calls of a local subroutine that
//! returns or ends the function; no table calls), in both ABIs:
//!
//! * run by the simulator and compared with a reference interpreter;
//! * batched into one static ELF per ABI, run by `qemu-xtensa` (`-cpu lx106`
//!   for call0, `-cpu dc233c` for windowed; path override
//!   `FERROPY_QEMU_XTENSA`), and compared with the simulator.

mod common;

use std::process::Command;

use common::{emit_program, expected_buffer, random_buffer, random_program, sim_with, Regs, XorShift, CODE, DATA};
use ferropy_emit_xtensa::{Abi, Call0, Variant, Windowed};

fn run_in_sim<V: Variant>(code: Vec<u8>, initial: &[u8]) -> Vec<u8> {
    let mut s = sim_with(V::ABI, code);
    for (i, b) in initial.iter().enumerate() {
        s.mem.write(DATA + i as u32, 1, u32::from(*b)).unwrap();
    }
    s.call(CODE, &[DATA]).unwrap_or_else(|e| panic!("{e}"));
    s.mem.read_bytes(DATA, initial.len()).unwrap().to_vec()
}

/// `count` random programs: (ops, code, initial buffer).
fn programs<V: Variant>(seed: u64, count: usize, big_pads: bool) -> Vec<(Vec<common::Op>, Vec<u8>, Vec<u8>)> {
    let mut rng = XorShift(seed);
    let n = Regs::of(V::ABI).work.len();
    (0..count)
        .map(|_| {
            let len = 4 + rng.below(40);
            let ops = random_program(&mut rng, n, len, big_pads);
            let code = emit_program::<V>(&ops);
            (ops, code, random_buffer(&mut rng))
        })
        .collect()
}

fn sim_vs_interpreter<V: Variant>(seed: u64) {
    let (mut calling, mut early) = (0, 0);
    for (k, (ops, code, initial)) in programs::<V>(seed, 300, true).into_iter().enumerate() {
        calling += usize::from(common::calls_local(&ops));
        early += usize::from(common::ends_early(V::ABI, &ops, &initial));
        let got = run_in_sim::<V>(code.clone(), &initial);
        let want = expected_buffer(V::ABI, &ops, &initial);
        if got != want {
            let at = got.iter().zip(&want).position(|(a, b)| a != b).unwrap_or(0);
            panic!("program {k} differs at byte {at}: {ops:#?}\n{}", ferropy_emit_xtensa::disasm::listing_text(&code));
        }
    }
    // Local subroutines are exercised, both returning and leaving early.
    assert!(calling >= 50 && early >= 10, "{calling} programs call the subroutine, {early} end early");
}

#[test]
fn call0_programs_match_the_interpreter() {
    sim_vs_interpreter::<Call0>(0x1234_5678);
}

#[test]
fn windowed_programs_match_the_interpreter() {
    sim_vs_interpreter::<Windowed>(0x8765_4321);
}

#[test]
fn a_function_longer_than_a_jump_reaches_its_labels() {
    use common::Op;
    // A 140 KiB data island inside a skip region and a loop: branches and
    // `j` need the register-jump forms.
    let ops = vec![
        Op::Skip(common::SkipKind::NonZero, 0, 0, 2),
        Op::Imm(1, 77),
        Op::Pad(140_000),
        Op::Loop(3, vec![Op::Bin(ferropy_emit_native::BinOp::Add, 2, 2), Op::Pad(90_000)]),
        Op::Imm(3, 5),
    ];
    let mut rng = XorShift(9);
    let initial = random_buffer(&mut rng);
    for abi in [Abi::Call0, Abi::Windowed] {
        let (code, got) = match abi {
            Abi::Call0 => {
                let c = emit_program::<Call0>(&ops);
                (c.clone(), run_in_sim::<Call0>(c, &initial))
            }
            Abi::Windowed => {
                let c = emit_program::<Windowed>(&ops);
                (c.clone(), run_in_sim::<Windowed>(c, &initial))
            }
        };
        assert!(code.len() > 230_000);
        assert_eq!(got, expected_buffer(abi, &ops, &initial), "{abi:?}");
    }
}

fn qemu() -> String {
    std::env::var("FERROPY_QEMU_XTENSA").unwrap_or_else(|_| "qemu-xtensa".into())
}

fn qemu_vs_sim<V: Variant>(seed: u64, cpu: &str) {
    let progs = programs::<V>(seed, 120, false);
    let functions: Vec<Vec<u8>> = progs.iter().map(|p| p.1.clone()).collect();
    let buffers: Vec<Vec<u8>> = progs.iter().map(|p| p.2.clone()).collect();
    let image = common::elf::program(V::ABI, &functions, &buffers).expect("harness");
    let dir = std::env::temp_dir().join(format!("ferropy-xtensa-qemu-{}-{cpu}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{cpu}.elf"));
    std::fs::write(&path, &image).unwrap();
    // qemu-user refuses (exit status 1, no message) a file without execute permission.
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = Command::new(qemu()).args(["-cpu", cpu]).arg(&path).output().unwrap_or_else(|e| {
        panic!("cannot run {} ({e}): install it with `apt-get install -y qemu-user` or set FERROPY_QEMU_XTENSA", qemu())
    });
    assert!(out.status.success(), "qemu failed: {:?} {}", out.status, String::from_utf8_lossy(&out.stderr));
    let len = common::BUF;
    assert_eq!(out.stdout.len(), progs.len() * len, "qemu output length");
    for (k, (ops, code, initial)) in progs.iter().enumerate() {
        let theirs = &out.stdout[k * len..(k + 1) * len];
        let ours = run_in_sim::<V>(code.clone(), initial);
        if theirs != ours.as_slice() {
            let at = theirs.iter().zip(&ours).position(|(a, b)| a != b).unwrap_or(0);
            panic!(
                "program {k}: qemu and simulator differ at byte {at}: {ops:#?}\n{}",
                ferropy_emit_xtensa::disasm::listing_text(code)
            );
        }
        let want = expected_buffer(V::ABI, ops, initial);
        let at = ours.iter().zip(&want).position(|(a, b)| a != b);
        assert!(at.is_none(), "program {k}: simulator and interpreter differ at byte {at:?}: {ops:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn qemu_lx106_agrees_with_the_simulator_on_call0_programs() {
    qemu_vs_sim::<Call0>(0xC0FFEE, "lx106");
}

#[test]
fn qemu_dc233c_agrees_with_the_simulator_on_windowed_programs() {
    qemu_vs_sim::<Windowed>(0xBEEF, "dc233c");
}
