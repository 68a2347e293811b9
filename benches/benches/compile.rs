//! Compile-speed benchmark: a generated 10,000-line module, source text to bytecode.
//! Criterion reports throughput in lines per second ("elements").

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ferropy_benches::generate_module;
use ferropy_frontend::{compile_source, CompileOptions, InputKind};

fn compile_10k_lines(c: &mut Criterion) {
    let lines = 10_000;
    let source = generate_module(lines);
    let options = CompileOptions::default();
    let mut group = c.benchmark_group("frontend");
    group.throughput(Throughput::Elements(lines as u64));
    group.sample_size(20);
    group.bench_function("compile_10k_lines", |b| {
        b.iter(|| compile_source(&source, "gen.py", InputKind::File, &options).expect("compiles"))
    });
    group.finish();
}

criterion_group!(benches, compile_10k_lines);
criterion_main!(benches);
