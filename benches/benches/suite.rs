//! Programs of the comparison suite (`benches/py/suite/`), run in process by
//! the runtime: recursive calls and global loads (`fib.py`), integer loops
//! (`loops.py`), attribute and method access on instances (`methods.py`),
//! generator resumption with word-sized int arithmetic (`generators.py`), and
//! arrays/bytearrays grown by append and indexed (`buffers.py`), and lists
//! and deques used as stacks and queues (`queues.py`).
//! Each iteration creates a VM, compiles and runs the whole program; the
//! cross-interpreter comparison is `--bin suite`.

use criterion::{criterion_group, criterion_main, Criterion};
use ferropy_frontend::InputKind;
use ferropy_runtime::{Vm, VmConfig};

fn run_program(source: &[u8], name: &str) {
    let mut vm = Vm::new(VmConfig::default(), Box::new(|_: &[u8]| {}), Box::new(|_: &[u8]| {})).expect("vm");
    if vm.run_main_source(source, name, InputKind::File).is_err() {
        panic!("{name} failed");
    }
}

fn suite(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("py/suite");
    let mut group = c.benchmark_group("suite");
    group.sample_size(10);
    for name in ["fib.py", "loops.py", "methods.py", "generators.py", "buffers.py", "queues.py"] {
        let source = std::fs::read(dir.join(name)).expect("suite program");
        group.bench_function(name, |b| b.iter(|| run_program(&source, name)));
    }
    group.finish();
}

criterion_group!(benches, suite);
criterion_main!(benches);
