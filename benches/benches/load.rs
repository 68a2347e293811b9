//! `.mpy` loading versus compiling: a generated module of 1,000 small functions,
//! (a) compiled from source, (b) read back from its `.mpy` image (`read_mpy`,
//! which verifies every code object), and (c) loaded by the VM
//! (`Vm::load_mpy`: reading, verifying and turning it into code units).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ferropy_benches::generate_functions;
use ferropy_bytecode::mpy::{read_mpy, write_mpy};
use ferropy_frontend::{compile_source, CompileOptions, InputKind};
use ferropy_runtime::{Vm, VmConfig};

fn load_vs_compile(c: &mut Criterion) {
    let source = generate_functions(1000);
    let options = CompileOptions::default();
    let module = compile_source(&source, "gen.py", InputKind::File, &options).expect("compiles");
    let mut image = Vec::new();
    write_mpy(&module, &mut image);
    let mut group = c.benchmark_group("mpy_1000_functions");
    group.sample_size(20);
    group.bench_function("compile_source", |b| {
        b.iter(|| compile_source(&source, "gen.py", InputKind::File, &options).expect("compiles"))
    });
    group.bench_function("read_mpy", |b| b.iter(|| read_mpy(&image).expect("reads")));
    group.bench_function("vm_load_mpy", |b| {
        b.iter_batched(
            || Vm::new(VmConfig::default(), Box::new(|_: &[u8]| {}), Box::new(|_: &[u8]| {})).expect("vm"),
            |mut vm| {
                vm.load_mpy(&image).map_err(|_| "load failed").expect("loads");
                vm
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, load_vs_compile);
criterion_main!(benches);
