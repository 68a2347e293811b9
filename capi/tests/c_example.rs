//! The C API from C: the header matches the exported functions (and is what
//! cbindgen generates, when cbindgen is installed), and `examples/embed.c`
//! builds with gcc against the static library and runs as expected.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The static library next to this test binary; `cargo test` does not always
/// produce the `staticlib` artifact, so it is built here when missing.
fn static_lib() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let deps = exe.parent().expect("deps dir");
    let find =
        || [deps, deps.parent().unwrap_or(deps)].into_iter().map(|d| d.join("libferropy_capi.a")).find(|l| l.exists());
    if let Some(lib) = find() {
        return lib;
    }
    let profile_dir = deps.parent().unwrap_or(deps);
    let target_dir = profile_dir.parent().unwrap_or(profile_dir);
    let release = profile_dir.file_name().is_some_and(|n| n == "release");
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "-p", "ferropy-capi", "--lib"]).env("CARGO_TARGET_DIR", target_dir);
    if release {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build");
    assert!(status.success(), "cargo build -p ferropy-capi failed");
    find().unwrap_or_else(|| panic!("libferropy_capi.a not found near {}", deps.display()))
}

/// Names of the `ferropy_*` functions a text declares or defines: an
/// identifier after a space or `*` and followed by `(`.
fn function_names(text: &str) -> BTreeSet<String> {
    text.match_indices("ferropy_")
        .filter_map(|(i, _)| {
            let before = text[..i].chars().next_back()?;
            let name: String = text[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            ((before == ' ' || before == '*') && text[i + name.len()..].starts_with('(')).then_some(name)
        })
        .collect()
}

#[test]
fn header_declares_exactly_the_exported_functions() {
    let header = std::fs::read_to_string(crate_dir().join("include/ferropy.h")).expect("header");
    let source = std::fs::read_to_string(crate_dir().join("src/lib.rs")).expect("source");
    let declared = function_names(&header);
    let exported = function_names(&source);
    assert!(!exported.is_empty());
    assert_eq!(declared, exported, "include/ferropy.h is out of date: regenerate it with cbindgen");
    // And the library really defines them.
    if let Ok(out) = Command::new("nm").args(["-g", "--defined-only"]).arg(static_lib()).output() {
        let symbols = String::from_utf8_lossy(&out.stdout);
        for name in &exported {
            assert!(symbols.lines().any(|l| l.ends_with(&format!(" T {name}"))), "{name} not exported");
        }
    }
}

#[test]
fn header_is_what_cbindgen_generates() {
    let Ok(out) = Command::new("cbindgen").arg("--version").output() else {
        eprintln!("skipping: cbindgen is not installed (scripts/test-all.sh installs it)");
        return;
    };
    assert!(out.status.success());
    let tmp = std::env::temp_dir().join(format!("ferropy-h-{}.h", std::process::id()));
    let status = Command::new("cbindgen")
        .current_dir(crate_dir())
        .args(["--config", "cbindgen.toml", "--crate", "ferropy-capi", "--output"])
        .arg(&tmp)
        .status()
        .expect("run cbindgen");
    assert!(status.success());
    let generated = std::fs::read_to_string(&tmp).expect("generated header");
    let _ = std::fs::remove_file(&tmp);
    let committed = std::fs::read_to_string(crate_dir().join("include/ferropy.h")).expect("header");
    assert_eq!(committed, generated, "include/ferropy.h differs from cbindgen's output: regenerate it");
}

fn compile_example(out: &Path) {
    let status = Command::new("gcc")
        .arg("-Wall")
        .arg("-Werror")
        .arg("-I")
        .arg(crate_dir().join("include"))
        .arg(crate_dir().join("examples/embed.c"))
        .arg(static_lib())
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(out)
        .status()
        .expect("gcc (install it: apt-get install gcc)");
    assert!(status.success(), "gcc failed");
}

#[test]
fn c_example_builds_and_runs() {
    let exe = std::env::temp_dir().join(format!("ferropy-embed-c-{}", std::process::id()));
    compile_example(&exe);
    let out = Command::new(&exe).output().expect("run the C example");
    let _ = std::fs::remove_file(&exe);
    assert!(out.status.success(), "exit {:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "hello from ferropy\n30\nTraceback (most recent call last):\n  File \"<string>\", line 3, in <module>\n  File \"<string>\", line 2, in f\nValueError: from C\nstill alive\nstatus 0 0 1 0\nheap used>0: 1, peak>=used: 1\nnull args: -1 -1\nsecond vm False\n"
    );
}
