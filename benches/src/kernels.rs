//! The emitter kernels (`benches/py/emitters.py`, `benches/c/kernels.c`):
//! running them under an interpreter or as C, and reading their results.
//! Shared by the `emitters` and `ferropy-bench` commands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `(kernel, mode)` -> (best microseconds, result text).
pub type Times = BTreeMap<(String, String), (u64, String)>;

/// The kernels, in report order.
pub const KERNELS: [&str; 8] = ["fib", "loop", "bubble", "checksum", "blend", "sieve", "crc32", "matmul"];

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The Python kernel script.
pub fn script() -> PathBuf {
    root().join("benches/py/emitters.py")
}

/// Reads `kernel mode microseconds result` lines.
pub fn parse(output: &str) -> Times {
    let mut t = Times::new();
    for line in output.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let [kernel, mode, us, result] = parts.as_slice() {
            if let Ok(us) = us.parse() {
                t.insert((kernel.to_string(), mode.to_string()), (us, result.to_string()));
            }
        }
    }
    t
}

/// Runs `program args` and reads its result lines.
pub fn run(program: &Path, args: &[&str]) -> Result<Times, String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("{}: {e}", program.display()))?;
    if !out.status.success() {
        return Err(format!("{} failed: {}", program.display(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(parse(&String::from_utf8_lossy(&out.stdout)))
}

/// Builds `benches/c/kernels.c` with `gcc -O2` and runs it (`kernel c us result` lines).
pub fn c_kernels(repeat: &str) -> Result<Times, String> {
    let dir = std::env::temp_dir().join(format!("ferropy-bench-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let exe = dir.join("kernels");
    let status = Command::new("gcc")
        .args(["-O2", "-o"])
        .arg(&exe)
        .arg(root().join("benches/c/kernels.c"))
        .status()
        .map_err(|e| format!("gcc: {e}"))?;
    if !status.success() {
        return Err("gcc failed".into());
    }
    let t = run(&exe, &[repeat]);
    let _ = std::fs::remove_dir_all(&dir);
    t
}

/// The kernel sources printed by `emitters.py --dump`: `(kernel, mode, source)`.
pub fn parse_dump(output: &str) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for line in output.lines() {
        if let Some(head) = line.strip_prefix("#### ") {
            let mut it = head.split_whitespace();
            if let (Some(k), Some(m)) = (it.next(), it.next()) {
                out.push((k.to_string(), m.to_string(), String::new()));
                continue;
            }
        }
        if let Some(last) = out.last_mut() {
            last.2.push_str(line);
            last.2.push('\n');
        }
    }
    out
}

/// `(kernel, mode, source)` of every kernel (the script's `--dump`, run by
/// ferropy).
pub fn sources() -> Result<Vec<(String, String, String)>, String> {
    use ferropy::runtime::vm::OutputSink;
    use std::sync::{Arc, Mutex};
    let source = std::fs::read(script()).map_err(|e| e.to_string())?;
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b1 = buf.clone();
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().map(|mut v| v.extend_from_slice(b)).unwrap_or(()));
    let err: OutputSink = Box::new(|_: &[u8]| {});
    let opts = ferropy::run::RunOptions { argv: vec!["emitters.py".into(), "--dump".into()], ..Default::default() };
    ferropy::run::run_source_with(&source, "emitters.py", ferropy::runtime::VmConfig::default(), out, err, &opts);
    let text = buf.lock().map(|v| String::from_utf8_lossy(&v).into_owned()).map_err(|e| e.to_string())?;
    Ok(parse_dump(&text))
}

/// The source of `kernel` for `mode` (`bytecode`, `native` or `viper`).
pub fn source_of(sources: &[(String, String, String)], kernel: &str, mode: &str) -> Option<String> {
    sources.iter().find(|(k, m, _)| k == kernel && m == mode).map(|(_, _, s)| s.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_and_dumps_are_read() {
        let t = parse("fib viper 12 28657\nnoise\nloop c 3 9\n");
        assert_eq!(t.get(&("fib".into(), "viper".into())), Some(&(12, "28657".into())));
        assert_eq!(t.len(), 2);
        let d = parse_dump("#### fib viper\ndef f():\n    pass\n#### loop native\nx = 1\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].2, "def f():\n    pass\n");
        assert_eq!((d[1].0.as_str(), d[1].1.as_str()), ("loop", "native"));
    }
}
