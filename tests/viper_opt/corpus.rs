//! `tests/native/*.py` under `viper-opt` (default heap and GC stress): the
//! output must equal the `.exp` files, as with the single-pass emitter.

use ferropy::runtime::vm::HeapChoice;
use ferropy::runtime::VmConfig;

use super::util::{compiled, opt_config, run};

#[test]
fn native_corpus_under_viper_opt() {
    if ferropy::native_opt::opt_support().is_none() {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/native")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 60, "only {} native tests", paths.len());
    let before = compiled();
    let mut failures = Vec::new();
    let dir_s = dir.to_string_lossy().into_owned();
    for path in &paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("t.py").to_string();
        let source = std::fs::read(path).expect("read");
        let expected = std::fs::read_to_string(path.with_extension("exp")).unwrap_or_default();
        let stress = VmConfig { heap: HeapChoice::Arena(64 * 1024), gc_stress: true, ..opt_config() };
        for (label, config) in [("viper-opt", opt_config()), ("viper-opt-gc-stress", stress)] {
            let got = run(&source, &name, config, &dir_s);
            if got != expected {
                failures.push(format!("{name} [{label}]\n--- expected\n{expected}--- got\n{got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    // The corpus's viper functions really went through Cranelift.
    let n = compiled() - before;
    assert!(n >= 40, "only {n} functions compiled by the optimizing tier");
}
