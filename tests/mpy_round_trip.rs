//! Round trip through `.mpy`: every end-to-end program of `tests/run/` is compiled,
//! written as a `.mpy` file, read back (with verification) and run; it must print
//! exactly what running its source prints (`NAME.exp`).

use std::sync::{Arc, Mutex};

use ferropy::runtime::vm::OutputSink;
use ferropy::runtime::VmConfig;
use ferropy_bytecode::mpy::{read_mpy, write_mpy};
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

mod common;

#[test]
fn every_run_program_survives_a_round_trip_through_mpy() {
    let files = common::files_with_ext("tests/run", "py");
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("t.py").to_string();
        let source = std::fs::read(path).expect("read program");
        let module = compile_bytes(&source, &name, InputKind::File, &CompileOptions::default()).expect("compiles");
        let mut bytes = Vec::new();
        write_mpy(&module, &mut bytes);
        let loaded = match read_mpy(&bytes) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: our own .mpy does not load: {e}"));
                continue;
            }
        };
        let buf = Arc::new(Mutex::new(Vec::new()));
        let (b1, b2) = (buf.clone(), buf.clone());
        let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
        let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
        let dir = path.parent().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
        // The frozen modules (asyncio) are importable, as in the `ferropy` command.
        let sys_path = vec![dir, ".frozen".to_string()];
        let opts = ferropy::run::RunOptions { argv: vec![name.clone()], path: sys_path, ..Default::default() };
        let config = VmConfig { frozen: ferropy::FROZEN, ..VmConfig::default() };
        let Some(mut vm) = ferropy::run::new_vm(config, out, err, &opts) else {
            failures.push(format!("{name}: no VM"));
            continue;
        };
        let result = vm.run_module(&loaded).map(|_| ());
        ferropy::run::exit_status(&mut vm, result);
        drop(vm);
        let got = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
        let expected = std::fs::read_to_string(path.with_extension("exp")).unwrap_or_default();
        if got != expected {
            failures.push(format!("{name}\n--- expected\n{expected}--- got\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} programs differ after the round trip:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
