//! The shared native/viper suite (`tests/native/*.py`) run by ferropy's real
//! runtime with every `@micropython.native`/`@micropython.viper` function
//! compiled for Xtensa (call0 and windowed) and executed by the simulator:
//! the output must equal `NAME.exp` as on x86-64, or `NAME.xtensa.exp` where
//! 32-bit machine words change it (see `tests/native/README.md`).
//!
//! Needs a 32-bit host (the runtime's addresses are mapped 1:1 into the
//! simulator): `cargo test -p ferropy-xtensa-sim --target i686-unknown-linux-gnu --test corpus`.
//! On 64-bit hosts it checks that the support refuses to install code.

use std::sync::{Arc, Mutex};

use ferropy::runtime::gc::HostGcConfig;
use ferropy::runtime::vm::{HeapChoice, OutputSink};
use ferropy::runtime::VmConfig;
use ferropy_runtime::native::NativeSupport;
use ferropy_xtensa_sim::runtime::{SimSupport, XTENSA, XTENSAWIN};

/// Builds one VM configuration.
type MakeConfig = fn() -> VmConfig;

fn run(path: &std::path::Path, support: &'static SimSupport, config: VmConfig) -> String {
    run_with(path, Some(support), config, None)
}

fn run_with(
    path: &std::path::Path,
    support: Option<&'static SimSupport>,
    config: VmConfig,
    emitter: Option<ferropy_frontend::EmitterKind>,
) -> String {
    let source = std::fs::read(path).expect("read test program");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("t.py").to_string();
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let dir = path.parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    let opts = ferropy::run::RunOptions { argv: vec![name.clone()], path: vec![dir], emitter, ..Default::default() };
    let native: Option<&'static dyn NativeSupport> = match support {
        Some(s) => Some(s),
        None => None,
    };
    let config = VmConfig { native, ..config };
    ferropy::run::run_source_with(&source, &name, config, out, err, &opts);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    text
}

#[test]
fn native_suite_runs_on_simulated_xtensa() {
    if usize::BITS != 32 {
        let e = XTENSA.install(&[0x0d, 0xf0], "f").unwrap_err();
        assert!(e.contains("32-bit host"), "{e}");
        eprintln!("64-bit host: run this test with --target i686-unknown-linux-gnu");
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/native");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/native")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 60, "only {} native tests", paths.len());
    let mut failures = Vec::new();
    let stress = || VmConfig { heap: HeapChoice::Arena(64 * 1024), gc_stress: true, ..VmConfig::default() };
    let host = || VmConfig { heap: HeapChoice::Host(HostGcConfig::default()), ..VmConfig::default() };
    let configs: [(&str, MakeConfig); 3] = [("default", VmConfig::default), ("gc-stress", stress), ("host", host)];
    for (arch, support) in [("xtensa", &XTENSA), ("xtensawin", &XTENSAWIN)] {
        for path in &paths {
            // 32-bit words and Xtensa shifts: `NAME.xtensa.exp` where the output differs.
            let special = path.with_extension("xtensa.exp");
            let exp = if special.exists() { special } else { path.with_extension("exp") };
            let expected = std::fs::read_to_string(exp).unwrap_or_default();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            for (config_name, config) in configs {
                let label = format!("{arch}, {config_name}");
                let got = run(path, support, config());
                if got == expected {
                    continue;
                }
                failures.push(format!("{name} [{label}]\n--- expected\n{expected}--- got\n{got}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    let calls = ferropy_xtensa_sim::runtime::CALLS.load(std::sync::atomic::Ordering::Relaxed);
    let steps = ferropy_xtensa_sim::runtime::STEPS.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{calls} simulated calls, {steps} Xtensa instructions");
    assert!(calls > 5000 && steps > 1_000_000, "the simulator ran too little: {calls} calls, {steps} steps");
}

/// Every end-to-end program (`tests/run/*.py`) with *every* function compiled
/// for Xtensa (`-X emit=native`) prints what the bytecode interpreter prints
/// on the same (32-bit) host.
#[test]
fn every_function_native_matches_bytecode() {
    if usize::BITS != 32 {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/run");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/run")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        // What only the interpreter does (see tests/run_py.rs).
        .filter(|p| !p.to_string_lossy().contains("bytecode_only"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut calls = 0;
    for path in &paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let want = run_with(path, None, VmConfig::default(), None);
        let before = ferropy_xtensa_sim::runtime::CALLS.load(std::sync::atomic::Ordering::Relaxed);
        for (arch, support) in [("xtensa", &XTENSA), ("xtensawin", &XTENSAWIN)] {
            let native = Some(ferropy_frontend::EmitterKind::Native);
            let got = run_with(path, Some(support), VmConfig::default(), native);
            if got != want {
                failures.push(format!("{name} [{arch}]\n--- bytecode\n{want}--- native\n{got}"));
            }
        }
        calls += ferropy_xtensa_sim::runtime::CALLS.load(std::sync::atomic::Ordering::Relaxed) - before;
    }
    eprintln!("{} programs, {calls} simulated calls", paths.len());
    assert!(paths.len() >= 50 && calls > 2_000, "too little native code ran: {calls} calls");
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}
