//! Measuring the kernels: compile time and code size per emitter (in
//! process, with ferropy's compiler) and run times
//! (ferropy in process, MicroPython's unix port and `gcc -O2` as programs).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use ferropy::runtime::gc::HostGcConfig;
use ferropy::runtime::native::NativeSupport;
use ferropy::runtime::vm::{HeapChoice, OutputSink};
use ferropy::runtime::VmConfig;
use ferropy_frontend::{compile_bytes, CompileOptions, InputKind, NativeEmitterFactory};

use ferropy_benches::isa::{code_bytes, kernel_bytes, kernel_function, mpy_cross_kernel_bytes, CROSS_ARCHES};
use ferropy_benches::kernels::{parse, script, Times};

use super::report::IsaCell;

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

/// The kernel function's machine-code bytes for every other instruction set
/// ([`CROSS_ARCHES`]), with `mpy-cross`'s if `mpy_cross` is given; compile
/// errors go to `errors`.
pub fn isa_sizes(source: &str, mpy_cross: Option<&str>, errors: &mut Vec<String>) -> BTreeMap<String, IsaCell> {
    let mut cells = BTreeMap::new();
    for arch in CROSS_ARCHES {
        let code_bytes = kernel_bytes(source, arch).map_err(|e| errors.push(format!("{arch}: compile error {e}"))).ok();
        let mpy_cross_bytes = mpy_cross.and_then(|mc| mpy_cross_kernel_bytes(Path::new(mc), source, arch));
        cells.insert(arch.to_string(), IsaCell { code_bytes, mpy_cross_bytes, ..IsaCell::default() });
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Report, Row};
    use ferropy_benches::kernels::{source_of, sources};

    #[test]
    fn the_size_table_has_a_column_per_isa() {
        let sources = sources().expect("kernel sources");
        let src = source_of(&sources, "checksum", "viper").expect("checksum's viper source");
        let mut errors = Vec::new();
        let isa = isa_sizes(&src, None, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let row = Row { kernel: "checksum".into(), mode: "viper".into(), code_bytes: Some(1), isa, ..Row::default() };
        let report = Report { rows: vec![row], ..Report::default() };
        let table = report.isa_table().expect("a per-ISA table");
        let json = report.json();
        for arch in CROSS_ARCHES {
            assert!(table.contains(&format!("{arch} B")), "{arch} in\n{table}");
            assert!(json.contains(&format!("\"{arch}\": {{\"code_bytes\": ")), "{arch} in\n{json}");
            assert!(report.rows[0].isa[arch].code_bytes.is_some_and(|n| n > 0), "{arch}");
        }
    }
}
