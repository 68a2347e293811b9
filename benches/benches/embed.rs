//! The embedding API against `mlua` (vendored Lua 5.4) and `rhai`:
//! (a) create an interpreter and evaluate `1+1`; (b) a Rust function called
//! from a loop in the script (10,000 calls per iteration: divide the time by
//! 10,000 for the cost of one call, loop included). Idle memory is measured
//! by the `embed_memory` bench.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const CALLS: i64 = 10_000;

fn create_and_eval(c: &mut Criterion) {
    let mut group = c.benchmark_group("embed_create_and_eval_1_plus_1");
    group.bench_function("ferropy", |b| {
        b.iter(|| {
            let mut vm = ferropy::embed::Vm::new().expect("vm");
            vm.eval::<i64>(black_box("1+1")).expect("eval")
        })
    });
    group.bench_function("mlua_lua54", |b| {
        b.iter(|| {
            let lua = mlua::Lua::new();
            lua.load(black_box("return 1+1")).eval::<i64>().expect("eval")
        })
    });
    group.bench_function("rhai", |b| {
        b.iter(|| {
            let engine = rhai::Engine::new();
            engine.eval::<i64>(black_box("1+1")).expect("eval")
        })
    });
    group.finish();
}

fn host_function_calls(c: &mut Criterion) {
    let mut group = c.benchmark_group("embed_rust_fn_called_from_script_loop");
    group.throughput(Throughput::Elements(CALLS as u64));

    let mut vm = ferropy::embed::Vm::new().expect("vm");
    vm.set_function("f", |_, x: i64| Ok(x + 1)).expect("register");
    vm.exec("def run(n):\n    t = 0\n    for i in range(n):\n        t = f(t)\n    return t").expect("define");
    group.bench_function("ferropy", |b| b.iter(|| vm.call::<_, i64>("run", black_box(CALLS)).expect("run")));

    let lua = mlua::Lua::new();
    let f = lua.create_function(|_, x: i64| Ok(x + 1)).expect("function");
    lua.globals().set("f", f).expect("set");
    lua.load("function run(n) local t = 0 for i = 1, n do t = f(t) end return t end").exec().expect("define");
    let run: mlua::Function = lua.globals().get("run").expect("run");
    group.bench_function("mlua_lua54", |b| b.iter(|| run.call::<i64>(black_box(CALLS)).expect("run")));

    let mut engine = rhai::Engine::new();
    engine.register_fn("f", |x: i64| x + 1);
    let ast = engine.compile("fn run(n) { let t = 0; for i in 0..n { t = f(t); } t }").expect("compile");
    let mut scope = rhai::Scope::new();
    group.bench_function("rhai", |b| {
        b.iter(|| engine.call_fn::<i64>(&mut scope, &ast, "run", (black_box(CALLS),)).expect("run"))
    });
    group.finish();
}

criterion_group!(benches, create_and_eval, host_function_calls);
criterion_main!(benches);
