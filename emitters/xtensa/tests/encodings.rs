//! Every instruction form the encoder produces, over sweeps of registers and
//! immediates, checked against independent disassemblers:
//!
//! * GNU `xtensa-lx106-elf-objdump` (Debian `binutils-xtensa-lx106`) for the
//!   call0 subset (path override: `FERROPY_XTENSA_OBJDUMP`);
//! * capstone 6's Xtensa decoder (Python package `capstone`, pre-release) for
//!   the windowed instructions and everything else it decodes (it lacks the
//!   narrow branches and `nop.n`). The Python interpreter comes from
//!   `FERROPY_CAPSTONE_PYTHON`, else `~/.cache/ferropy-capstone/bin/python`,
//!   else `python3`.
//!
//! Both tests fail, with the install command, when their tool is missing.

use std::path::PathBuf;
use std::process::Command;

use ferropy_emit_xtensa::insn::{Alu, BCond, Insn, Mem, ZCond};
use ferropy_emit_xtensa::Reg;

const ALUS: [Alu; 8] = [Alu::And, Alu::Or, Alu::Xor, Alu::Add, Alu::Addx2, Alu::Addx4, Alu::Sub, Alu::Mull];
const BCONDS: [BCond; 6] = [BCond::Eq, BCond::Ne, BCond::Lt, BCond::Ge, BCond::Ltu, BCond::Geu];
const ZCONDS: [ZCond; 4] = [ZCond::Eqz, ZCond::Nez, ZCond::Ltz, ZCond::Gez];
const MEMS: [Mem; 6] = [Mem::L8ui, Mem::L16ui, Mem::L32i, Mem::S8i, Mem::S16i, Mem::S32i];

fn r(n: u32) -> Reg {
    Reg::from_num(n)
}

/// A small deterministic generator for immediates.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }

    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + (self.next() % ((hi - lo + 1) as u32)) as i32
    }
}

/// Immediates: both ends, zero-ish values and random ones in `lo..=hi`.
fn imms(rng: &mut Lcg, lo: i32, hi: i32, step: i32) -> Vec<i32> {
    let mut v = vec![lo, hi, lo + step, hi - step];
    if lo <= 0 && 0 <= hi {
        v.push(0);
    }
    for _ in 0..6 {
        v.push(rng.range(lo / step, hi / step) * step);
    }
    v.retain(|x| (lo..=hi).contains(x));
    v
}

/// Every form, with windowed ones flagged.
fn samples() -> Vec<(Insn, bool)> {
    let mut rng = Lcg(0x5eed);
    let mut v = Vec::new();
    let mut add =
        |i: Insn| v.push((i, matches!(i, Insn::Entry { .. } | Insn::Callx8 { .. } | Insn::Retw | Insn::RetwN)));
    for a in 0..16 {
        for b in 0..16 {
            let c = (a * 7 + b * 3 + 1) % 16;
            for op in ALUS {
                add(Insn::Alu { op, r: r(a), s: r(b), t: r(c) });
            }
            add(Insn::Neg { r: r(a), t: r(b) });
            for cond in ZCONDS {
                add(Insn::MovCond { cond, r: r(a), s: r(b), t: r(c) });
            }
            add(Insn::Sll { r: r(a), s: r(b) });
            add(Insn::Srl { r: r(a), t: r(b) });
            add(Insn::Sra { r: r(a), t: r(b) });
            add(Insn::AddN { r: r(a), s: r(b), t: r(c) });
            add(Insn::MovN { t: r(a), s: r(b) });
            for sa in [1, 15, 16, 31, 1 + rng.range(0, 30) as u32] {
                add(Insn::Slli { r: r(a), s: r(b), sa });
                add(Insn::Srai { r: r(a), t: r(b), sa });
            }
            add(Insn::Srai { r: r(a), t: r(b), sa: 0 });
            for sa in [0, 1, 15, rng.range(0, 15) as u32] {
                add(Insn::Srli { r: r(a), t: r(b), sa });
            }
            for (shift, bits) in
                [(0, 1), (0, 16), (31, 1), (16, 16), (rng.range(0, 31) as u32, rng.range(1, 16) as u32)]
            {
                add(Insn::Extui { r: r(a), t: r(b), shift, bits });
            }
            for op in MEMS {
                let size = op.size() as i32;
                for off in imms(&mut rng, 0, 255 * size, size).into_iter().take(3) {
                    add(Insn::Mem { op, t: r(a), s: r(b), off: off as u32 });
                }
            }
            for off in [0, 4, 60, rng.range(0, 15) as u32 * 4] {
                add(Insn::L32iN { t: r(a), s: r(b), off });
                add(Insn::S32iN { t: r(a), s: r(b), off });
            }
            for imm in imms(&mut rng, -128, 127, 1).into_iter().take(4) {
                add(Insn::Addi { t: r(a), s: r(b), imm });
            }
            for imm in imms(&mut rng, -32768, 32512, 256).into_iter().take(4) {
                add(Insn::Addmi { t: r(a), s: r(b), imm });
            }
            for imm in [-1, 1, 15, rng.range(1, 15)] {
                add(Insn::AddiN { r: r(a), s: r(b), imm });
            }
            for cond in BCONDS {
                let rel = rng.range(-128, 127);
                add(Insn::B { cond, s: r(a), t: r(b), rel });
            }
        }
        for bit in [0, 1, 15, 16, 17, 31, rng.range(0, 31) as u32] {
            for set in [false, true] {
                add(Insn::Bbi { set, s: r(a), bit, rel: rng.range(-128, 127) });
            }
        }
        add(Insn::Ssl { s: r(a) });
        add(Insn::Ssr { s: r(a) });
        add(Insn::Jx { s: r(a) });
        add(Insn::Callx0 { s: r(a) });
        add(Insn::Callx8 { s: r(a) });
        for imm in imms(&mut rng, -2048, 2047, 1) {
            add(Insn::Movi { t: r(a), imm });
        }
        for imm in imms(&mut rng, -32, 95, 1) {
            add(Insn::MoviN { s: r(a), imm });
        }
        for rel in imms(&mut rng, -65536, -1, 1) {
            add(Insn::L32r { t: r(a), rel: rel * 4 });
        }
        for cond in ZCONDS {
            for rel in imms(&mut rng, -2048, 2047, 1).into_iter().take(4) {
                add(Insn::Bz { cond, s: r(a), rel });
            }
        }
        for rel in imms(&mut rng, 0, 63, 1) {
            add(Insn::BzN { nez: rel % 2 == 0, s: r(a), rel });
        }
        for frame in imms(&mut rng, 0, 32760, 8) {
            add(Insn::Entry { s: r(a), frame: frame as u32 });
        }
    }
    for rel in imms(&mut rng, -131072, 131071, 1) {
        add(Insn::J { rel });
    }
    for rel in imms(&mut rng, -131072, 131071, 1) {
        add(Insn::Call0 { rel: rel * 4 });
    }
    for i in [Insn::Ret, Insn::Retw, Insn::RetN, Insn::RetwN, Insn::NopN] {
        add(i);
    }
    v
}

/// A mnemonic and its operands, registers and numbers (as 32-bit values).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Norm(String, Vec<String>);

const TARGET_OPS: [&str; 20] = [
    "beq", "bne", "blt", "bge", "bltu", "bgeu", "beqz", "bnez", "bltz", "bgez", "beqz.n", "bnez.n", "bbci", "bbsi",
    "j", "call0", "l32r", "loop", "loopnez", "loopgtz",
];

fn parse_num(s: &str, bare_hex: bool) -> Option<u32> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let v = if let Some(h) = body.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if bare_hex {
        i64::from_str_radix(body, 16).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some((if neg { -v } else { v }) as u32)
}

/// Normalizes `mnemonic operands` text. `bare_hex_targets`: objdump prints
/// targets in hex without `0x`; capstone prints `. +-0xN` relative to `pc`.
fn normalize(mnemonic: &str, ops: &str, pc: u32, bare_hex_targets: bool) -> Norm {
    let mut out = Vec::new();
    let ops: Vec<&str> = if ops.trim().is_empty() { vec![] } else { ops.split(',').map(str::trim).collect() };
    let n = ops.len();
    for (i, op) in ops.into_iter().enumerate() {
        let op = op.split(" <").next().unwrap_or(op);
        let op = op.split(" (").next().unwrap_or(op).trim();
        let is_target = TARGET_OPS.contains(&mnemonic) && i + 1 == n;
        let norm = if op.len() >= 2 && op.starts_with('a') && op[1..].chars().all(|c| c.is_ascii_digit()) {
            op.to_string()
        } else if let Some(rel) = op.strip_prefix(". ") {
            let rel = rel.replace(' ', "");
            // capstone prints `l32r`'s literal address absolute, other targets
            // relative to `pc`; for `call0` it leaves out the ISA's alignment
            // of `pc` (the target is `(pc & !3) + 4 + offset`): compare fields.
            let base = match mnemonic {
                "l32r" => 0,
                "call0" => pc & !3,
                _ => pc,
            };
            let v = parse_num(rel.trim_start_matches('+'), false).map(|v| v.wrapping_add(base));
            v.map_or_else(|| op.to_string(), |v| format!("#{v:x}"))
        } else {
            parse_num(op, is_target && bare_hex_targets).map_or_else(|| op.to_string(), |v| format!("#{v:x}"))
        };
        out.push(norm);
    }
    Norm(mnemonic.to_string(), out)
}

fn ours(insn: &Insn, pc: u32) -> Norm {
    let text = insn.display(pc).to_string();
    let (m, ops) = text.split_once(' ').unwrap_or((&text, ""));
    normalize(m, ops, pc, false)
}

/// Lays the samples out and returns the code with each sample's offset.
fn lay_out(samples: &[Insn]) -> (Vec<u8>, Vec<u32>) {
    let mut code = Vec::new();
    let mut offsets = Vec::new();
    for i in samples {
        offsets.push(code.len() as u32);
        i.encode_into(&mut code).unwrap_or_else(|e| panic!("{i:?}: {e}"));
    }
    (code, offsets)
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferropy-xtensa-enc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn compare(samples: &[Insn], theirs: &std::collections::HashMap<u32, Norm>, tool: &str) {
    let (_, offsets) = lay_out(samples);
    let mut bad = Vec::new();
    for (i, off) in samples.iter().zip(&offsets) {
        let want = ours(i, *off);
        match theirs.get(off) {
            Some(got) if *got == want => {}
            got => bad.push(format!("at {off:#x} {i:?}: ours {want:?}, {tool} {got:?}")),
        }
    }
    assert!(bad.is_empty(), "{} of {} differ, first: {:#?}", bad.len(), samples.len(), &bad[..bad.len().min(10)]);
}

#[test]
fn call0_forms_match_gnu_objdump() {
    let objdump = std::env::var("FERROPY_XTENSA_OBJDUMP").unwrap_or_else(|_| "xtensa-lx106-elf-objdump".into());
    let samples: Vec<Insn> = samples().into_iter().filter(|(_, win)| !win).map(|(i, _)| i).collect();
    let (code, _) = lay_out(&samples);
    let path = temp_file("call0.bin", &code);
    let out = Command::new(&objdump).args(["-D", "-b", "binary", "-mxtensa"]).arg(&path).output().unwrap_or_else(|e| {
        panic!("cannot run {objdump} ({e}): install it with `apt-get install -y binutils-xtensa-lx106` or set FERROPY_XTENSA_OBJDUMP")
    });
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut theirs = std::collections::HashMap::new();
    for line in text.lines() {
        // "  1c:\tf328      \tl32i.n\ta2, a3, 60"
        let parts: Vec<&str> = line.split('\t').collect();
        let [off, _bytes, mnemonic, rest @ ..] = parts.as_slice() else { continue };
        let Some(off) = off.trim().strip_suffix(':').and_then(|o| u32::from_str_radix(o, 16).ok()) else { continue };
        let ops = rest.first().copied().unwrap_or("");
        theirs.insert(off, normalize(mnemonic.trim(), ops, off, true));
    }
    compare(&samples, &theirs, "objdump");
    assert!(samples.len() > 5000, "sweep too small: {}", samples.len());
}

const CAPSTONE_SCRIPT: &str = r#"
import sys, capstone
md = capstone.Cs(capstone.CS_ARCH_XTENSA, capstone.CS_MODE_XTENSA_ESP32)
data = open(sys.argv[1], 'rb').read()
for off in map(int, open(sys.argv[2]).read().split()):
    for i in md.disasm(data[off:off + 3], off, 1):
        print("%d\t%s\t%s" % (i.address, i.mnemonic, i.op_str))
"#;

fn capstone_python() -> String {
    if let Ok(p) = std::env::var("FERROPY_CAPSTONE_PYTHON") {
        return p;
    }
    let home = std::env::var("HOME").unwrap_or_default();
    let venv = format!("{home}/.cache/ferropy-capstone/bin/python");
    if std::path::Path::new(&venv).exists() {
        venv
    } else {
        "python3".into()
    }
}

#[test]
fn windowed_and_other_forms_match_capstone() {
    let python = capstone_python();
    // capstone 6.0 does not decode the narrow branches or nop.n, and decodes
    // `movi.n aN, 47` (bytes 2c fN) as `break.n N` (the `break.n` bytes are
    // 2d fN; GNU objdump agrees with us): objdump checks those.
    let samples: Vec<Insn> = samples()
        .into_iter()
        .map(|(i, _)| i)
        .filter(|i| !matches!(i, Insn::BzN { .. } | Insn::NopN | Insn::MoviN { imm: 47, .. }))
        .collect();
    let (code, offsets) = lay_out(&samples);
    let bin = temp_file("all.bin", &code);
    let offs = temp_file("offsets.txt", offsets.iter().map(|o| format!("{o}\n")).collect::<String>().as_bytes());
    let script = temp_file("ferropy_xtensa_capstone.py", CAPSTONE_SCRIPT.as_bytes());
    let out = Command::new(&python).arg(&script).arg(&bin).arg(&offs).output();
    let install = "python3 -m venv ~/.cache/ferropy-capstone && ~/.cache/ferropy-capstone/bin/pip install --pre capstone (or set FERROPY_CAPSTONE_PYTHON)";
    let out = out.unwrap_or_else(|e| panic!("cannot run {python} ({e}); install capstone with: {install}"));
    assert!(
        out.status.success(),
        "capstone failed ({}); install it with: {install}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut theirs = std::collections::HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(off), Some(m), ops) = (parts.next(), parts.next(), parts.next()) else { continue };
        let off: u32 = off.parse().unwrap();
        theirs.insert(off, normalize(m, ops.unwrap_or(""), off, false));
    }
    compare(&samples, &theirs, "capstone");
    assert!(samples.iter().any(|i| matches!(i, Insn::Entry { .. })));
}

/// A whole call0 function with local subroutine calls (sites at every
/// alignment, the padding before the subroutine, its entry and return
/// sequences), disassembled by GNU objdump from its first byte and after each
/// padding: every instruction of ferropy's listing is what objdump sees at
/// that offset.
#[test]
fn call0_local_subroutines_match_gnu_objdump() {
    use ferropy_emit_native::{Asm, BinOp};
    use ferropy_emit_xtensa::XtensaCall0Asm;
    let objdump = std::env::var("FERROPY_XTENSA_OBJDUMP").unwrap_or_else(|_| "xtensa-lx106-elf-objdump".into());
    let mut padded = false;
    for lead in 0..4 {
        let mut a = XtensaCall0Asm::new();
        a.prologue(1);
        let (sub, fail) = (a.new_label(), a.new_label());
        for k in 0..3 {
            for _ in 0..lead + k {
                a.insn(Insn::NopN);
            }
            a.mov_imm(Reg::A3, 300 + k as i64);
            a.call_local(sub);
        }
        // A label address: the prologue sets the base with a `call0` too.
        a.label_addr(Reg::A4, sub);
        a.epilogue();
        a.bind(sub);
        a.local_entry(Reg::A5);
        a.binop_imm(BinOp::Add, Reg::A5, -2, Reg::A2);
        a.mov_reg(Reg::A2, Reg::A12);
        a.call_table(7);
        a.jump_if_nonzero(Reg::A2, false, fail);
        a.local_return();
        a.bind(fail);
        a.local_discard();
        a.epilogue();
        let code = a.finish().expect("assembles").code;
        let listing = ferropy_emit_xtensa::disasm::listing(&code, 0);
        // No pool; padding (zero bytes before the subroutine, or after the
        // prologue's `call0`) is listed as skipped, and objdump restarts after it.
        let mut starts = vec![0u32];
        for l in &listing {
            if l.text.starts_with('.') {
                assert!(l.text.starts_with(".skip") && l.bytes.iter().all(|b| *b == 0), "{listing:?}");
                starts.push((l.offset + l.bytes.len()) as u32);
            }
        }
        let path = temp_file(&format!("local{lead}.bin"), &code);
        let mut theirs = std::collections::HashMap::new();
        for (k, start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(u32::MAX);
            let out = Command::new(&objdump)
                .args(["-D", "-b", "binary", "-mxtensa", &format!("--start-address={start}")])
                .arg(&path)
                .output()
                .unwrap_or_else(|e| {
                    panic!("cannot run {objdump} ({e}): install it with `apt-get install -y binutils-xtensa-lx106` or set FERROPY_XTENSA_OBJDUMP")
                });
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let parts: Vec<&str> = line.split('\t').collect();
                let [off, _bytes, mnemonic, rest @ ..] = parts.as_slice() else { continue };
                let Some(off) = off.trim().strip_suffix(':').and_then(|o| u32::from_str_radix(o, 16).ok()) else {
                    continue;
                };
                if off < end {
                    theirs.insert(off, normalize(mnemonic.trim(), rest.first().copied().unwrap_or(""), off, true));
                }
            }
        }
        for l in listing.iter().filter(|l| !l.text.starts_with('.')) {
            let insn = Insn::decode(&l.bytes).expect("decodes");
            let want = ours(&insn, l.offset as u32);
            assert_eq!(theirs.get(&(l.offset as u32)), Some(&want), "lead {lead} at {:#x}: {}", l.offset, l.text);
        }
        padded |= starts.len() > 1;
        assert!(listing.iter().filter(|l| l.text.starts_with("call0")).count() >= 4);
    }
    assert!(padded, "no case needed padding");
}
