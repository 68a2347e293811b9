//! Helpers shared by the `.mpy` and `ferropy-cross` integration tests.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// Removes the raw-bytes column of instruction lines: `  off  Ln  hex..  TEXT` -> `  off  Ln  TEXT`,
/// so listings of modules whose qstr/constant tables are ordered differently compare equal.
pub fn normalise(listing: &str) -> String {
    let mut out = String::new();
    for line in listing.lines() {
        let trimmed = line.trim_start();
        let is_instruction = trimmed.split_whitespace().next().is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        if is_instruction && line.len() > 30 {
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

/// The disassembly of `module`, normalised.
pub fn listing(module: &ferropy_bytecode::CompiledModule) -> String {
    let mut text = String::new();
    ferropy_bytecode::disasm::disassemble_module(module, &mut text).expect("disassemble");
    normalise(&text)
}

/// The files of `dir` (relative to the repository) with extension `ext`, sorted.
pub fn files_with_ext(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// The file name of `path` without its extension.
pub fn stem(path: &Path) -> String {
    path.file_stem().expect("file name").to_string_lossy().into_owned()
}
