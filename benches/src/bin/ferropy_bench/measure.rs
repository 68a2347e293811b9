//! Measuring the kernels: compile time and code size per emitter (in
//! process, with ferropy's compiler) and run times
//! (ferropy in process, MicroPython's unix port and `gcc -O2` as programs).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use ferropy::runtime::gc::HostGcConfig;
use ferropy::runtime::native::NativeSupport;
use ferropy::runtime::vm::{HeapChoice, OutputSink};
use ferropy::runtime::VmConfig;
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind, NativeEmitterFactory};

use ferropy_benches::isa::{code_bytes, kernel_function};
use ferropy_benches::kernels::{parse, parse_dump, script, Times};

/// Runs the kernel script in process with `native` support; returns its result lines.
pub fn run_in_process(native: Option<&'static dyn NativeSupport>, args: &[&str]) -> Result<Times, String> {
    let source = std::fs::read(script()).map_err(|e| format!("{}: {e}", script().display()))?;
    let buf = Arc::new(Mutex::new(Vec::new()));
    let errs = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), errs.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let config = VmConfig { native, heap: HeapChoice::Host(HostGcConfig::default()), ..VmConfig::default() };
    let mut argv = vec![String::from("emitters.py")];
    argv.extend(args.iter().map(|a| a.to_string()));
    let opts = ferropy::run::RunOptions { argv, ..Default::default() };
    ferropy::run::run_source_with(&source, "emitters.py", config, out, err, &opts);
    let errs = String::from_utf8_lossy(&errs.lock().unwrap()).into_owned();
    if !errs.is_empty() {
        return Err(errs);
    }
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    Ok(parse(&text))
}

/// `(kernel, mode, source)` of every kernel.
pub fn sources() -> Result<Vec<(String, String, String)>, String> {
    let source = std::fs::read(script()).map_err(|e| e.to_string())?;
    let buf = Arc::new(Mutex::new(Vec::new()));
    let b1 = buf.clone();
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(|_: &[u8]| {});
    let opts = ferropy::run::RunOptions { argv: vec!["emitters.py".into(), "--dump".into()], ..Default::default() };
    ferropy::run::run_source_with(&source, "emitters.py", VmConfig::default(), out, err, &opts);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    Ok(parse_dump(&text))
}

/// Compiles `source` `times` times with `factory`: the best time in
/// microseconds and the kernel function's code size.
pub fn compile(
    source: &str,
    factory: Arc<dyn NativeEmitterFactory + Send + Sync>,
    times: usize,
) -> Result<(f64, usize), String> {
    let options = CompileOptions { native: Some(factory), ..CompileOptions::default() };
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..times.max(1) {
        let t = Instant::now();
        let module = compile_bytes(source.as_bytes(), "kernel.py", InputKind::File, &options)
            .map_err(|e| format!("{}: {}", e.kind.name(), e.msg))?;
        best = best.min(t.elapsed().as_secs_f64() * 1e6);
        size = kernel_function(&module).map_or(0, code_bytes);
    }
    Ok((best, size))
}
