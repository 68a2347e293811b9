//! Compares ferropy's compiler with MicroPython's `mpy-cross` on every snippet of the
//! golden corpus: both outputs are disassembled by ferropy's disassembler and compared
//! with the raw-bytes column removed (qstr and constant table order may differ; the
//! instructions, their decoded operands, line numbers and preludes must not).
//!
//! Needs an `mpy-cross` binary built from MicroPython's source: set `MPY_CROSS` to its
//! path. Without it the test says so and checks nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

/// Removes the raw-bytes column of instruction lines: `  off  Ln  hex..  TEXT` -> `  off  Ln  TEXT`.
fn normalise(listing: &str) -> String {
    let mut out = String::new();
    for line in listing.lines() {
        let trimmed = line.trim_start();
        let is_instruction = trimmed.split_whitespace().next().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        if is_instruction && line.len() > 30 {
            // Fixed layout from the disassembler: 6 columns of offset, 2 spaces, 4 of line mark,
            // then the hex bytes padded to 16 characters (longer instructions run over).
            let (head, rest) = line.split_at(12.min(line.len()));
            let rest = rest.trim_start();
            let text_start = rest
                .split(' ')
                .take_while(|w| w.len() == 2 && w.chars().all(|c| c.is_ascii_hexdigit()))
                .map(|w| w.len() + 1)
                .sum::<usize>();
            out.push_str(head);
            out.push_str(rest[text_start.min(rest.len())..].trim_start());
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn snippets() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("tests/compile")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    files
}

#[test]
fn bytecode_matches_mpy_cross() {
    let Some(mpy_cross) = std::env::var_os("MPY_CROSS") else {
        eprintln!("MPY_CROSS is not set: skipping the comparison with MicroPython's mpy-cross");
        return;
    };
    let tmp = std::env::temp_dir().join(format!("ferropy-mpy-cross-{}", std::process::id()));
    fs::create_dir_all(&tmp).expect("temp dir");
    let mut failures = Vec::new();
    let files = snippets();
    for path in &files {
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        let out = tmp.join(format!("{name}.mpy"));
        let status = Command::new(&mpy_cross)
            .arg("-s")
            .arg(&name)
            .arg("-o")
            .arg(&out)
            .arg(path)
            .output()
            .expect("run mpy-cross");
        if !status.status.success() {
            failures.push(format!("{name}: mpy-cross failed: {}", String::from_utf8_lossy(&status.stderr)));
            continue;
        }
        let reference =
            ferropy_bytecode::mpy::read_mpy(&fs::read(&out).expect("read .mpy")).expect("mpy-cross output loads");
        let source = fs::read(path).expect("read snippet");
        let ours = match compile_bytes(&source, &name, InputKind::File, &CompileOptions::default()) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: ferropy failed: {e}"));
                continue;
            }
        };
        let (mut a, mut b) = (String::new(), String::new());
        ferropy_bytecode::disasm::disassemble_module(&reference, &mut a).expect("disassemble");
        ferropy_bytecode::disasm::disassemble_module(&ours, &mut b).expect("disassemble");
        let (a, b) = (normalise(&a), normalise(&b));
        if a != b {
            let first = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
            let context = |s: &str| s.lines().skip(first.saturating_sub(3)).take(8).collect::<Vec<_>>().join("\n");
            failures.push(format!("{name}: differs\n--- mpy-cross\n{}\n--- ferropy\n{}", context(&a), context(&b)));
        }
    }
    let _ = fs::remove_dir_all(&tmp);
    assert!(
        failures.is_empty(),
        "{} of {} snippets differ from mpy-cross:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}
