//! Native-emitter compile time: a module of 20 functions of 50 lines each,
//! compiled as bytecode, `@native` and `@viper` (x86-64). Criterion's
//! throughput ("elements") is functions per second; the per-function time is
//! the measure (target: under 50 us for a 50-line function).

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ferropy_frontend::{compile_source, CompileOptions, EmitterKind, InputKind, NativeEmitterFactory};

const FUNCTIONS: usize = 20;

/// 50-line functions doing integer work (valid under all three emitters).
fn module() -> String {
    let mut s = String::new();
    for f in 0..FUNCTIONS {
        s.push_str(&format!("def f{f}(n: int) -> int:\n    s = 0\n"));
        for i in 0..46 {
            match i % 4 {
                0 => s.push_str(&format!("    s += n * {i}\n")),
                1 => s.push_str(&format!("    if s > {i}:\n        s -= {i}\n")),
                2 => s.push_str(&format!("    s ^= (n << 2) & {i}\n")),
                _ => s.push_str("    n += 1\n"),
            }
        }
        s.push_str("    return s\n\n");
    }
    s
}

fn emit_functions(c: &mut Criterion) {
    let source = module();
    // The emitters as the command gets them (instantiated in ferropy-emit-x64,
    // at its optimisation level).
    let factory: Arc<dyn NativeEmitterFactory + Send + Sync> = ferropy_emit_x64::emitters(None);
    let mut group = c.benchmark_group("emit_50_line_functions");
    group.throughput(Throughput::Elements(FUNCTIONS as u64));
    for (name, emitter) in
        [("bytecode", EmitterKind::Bytecode), ("native", EmitterKind::Native), ("viper", EmitterKind::Viper)]
    {
        let options = CompileOptions { emitter, native: Some(factory.clone()), ..CompileOptions::default() };
        group.bench_function(name, |b| {
            b.iter(|| compile_source(&source, "emit.py", InputKind::File, &options).expect("compiles"))
        });
    }
    group.finish();
}

criterion_group!(benches, emit_functions);
criterion_main!(benches);
