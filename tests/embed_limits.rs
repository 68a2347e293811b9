//! Every hard limit of the embedding API gives the host a clean error, and the
//! VM keeps working afterwards.

use std::time::{Duration, Instant};

use ferropy::embed::{Limit, SharedBuffer, Vm};

/// The VM still runs code after an error.
fn still_works(vm: &mut Vm) {
    assert_eq!(vm.eval::<i64>("sum([1, 2, 3])").unwrap(), 6);
    vm.exec("def g(n):\n    return n + 1\nz = g(1)").unwrap();
    assert_eq!(vm.get::<i64>("z").unwrap(), 2);
}

#[test]
fn heap_limit_gives_memory_error_and_vm_survives() {
    for mut vm in
        [Vm::builder().max_heap_bytes(128 * 1024).build().unwrap(), Vm::builder().arena(128 * 1024).build().unwrap()]
    {
        // The data is garbage once the error has unwound the function.
        let err =
            vm.exec("def fill():\n    l = []\n    while True:\n        l.append([1, 2, 3, 4])\nfill()").unwrap_err();
        assert_eq!(err.limit(), Some(Limit::Heap), "{err:?}");
        assert_eq!(err.exception().unwrap().type_name, "MemoryError");
        still_works(&mut vm);
        let m = vm.memory();
        assert!(m.heap_bytes <= 128 * 1024);
        assert!(m.peak_bytes > 100 * 1024, "peak {} should show the filled heap", m.peak_bytes);
    }
}

#[test]
fn python_code_can_catch_memory_error_itself() {
    let mut vm = Vm::builder().max_heap_bytes(64 * 1024).build().unwrap();
    vm.exec("try:\n    x = bytearray(1000000)\nexcept MemoryError:\n    x = 'caught'").unwrap();
    assert_eq!(vm.get::<String>("x").unwrap(), "caught");
}

#[test]
fn fuel_stops_an_endless_loop_exactly_and_is_refilled_per_call() {
    let mut vm = Vm::builder().fuel(50_000).build().unwrap();
    let err = vm.exec("while True:\n    pass").unwrap_err();
    assert_eq!(err.limit(), Some(Limit::Fuel));
    assert!(err.to_string().contains("instruction budget"));
    still_works(&mut vm);
    // Python code can't swallow the limit: the handler itself runs out of fuel.
    let err = vm
        .exec("while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass")
        .unwrap_err();
    assert_eq!(err.limit(), Some(Limit::Fuel));
    still_works(&mut vm);
}

#[test]
fn fuel_counts_instructions_exactly() {
    // Find the smallest budget that runs a fixed program, then check one less fails.
    let program = "t = 0\nfor i in range(10):\n    t += i";
    let runs = |fuel: u64| Vm::builder().fuel(fuel).build().unwrap().exec(program).is_ok();
    let (mut lo, mut hi) = (1u64, 10_000u64);
    assert!(runs(hi) && !runs(lo));
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if runs(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    assert!(runs(hi) && !runs(hi - 1));
    assert!((50..500).contains(&hi), "the loop takes {hi} instructions");
}

#[test]
fn deadline_stops_an_endless_loop_and_sleep() {
    let mut vm = Vm::builder().timeout(Duration::from_millis(100)).build().unwrap();
    let start = Instant::now();
    let err = vm.exec("while True:\n    pass").unwrap_err();
    assert_eq!(err.limit(), Some(Limit::Deadline));
    assert!(start.elapsed() < Duration::from_secs(5));
    still_works(&mut vm);
    let start = Instant::now();
    let err = vm.exec("import time\nwhile True:\n    time.sleep(10)").unwrap_err();
    assert_eq!(err.limit(), Some(Limit::Deadline));
    assert!(start.elapsed() < Duration::from_secs(5), "sleep ran past the deadline");
    still_works(&mut vm);
}

/// Native and viper loops count against the budget and the deadline too
/// (their backward jumps reach the runtime while a limit is set).
#[test]
fn limits_stop_native_and_viper_loops() {
    if ferropy::native::host_support().is_none() {
        return;
    }
    let loops = [
        "@micropython.native\ndef spin():\n    while True:\n        pass\nspin()",
        "@micropython.viper\ndef spin():\n    i = 0\n    while True:\n        i += 1\nspin()",
    ];
    for program in loops {
        let mut vm = Vm::builder().allow_native_code(true).fuel(100_000).build().unwrap();
        let err = vm.exec(program).unwrap_err();
        assert_eq!(err.limit(), Some(Limit::Fuel), "{program}: {err:?}");
        still_works(&mut vm);
        let mut vm = Vm::builder().allow_native_code(true).timeout(Duration::from_millis(100)).build().unwrap();
        let start = Instant::now();
        let err = vm.exec(program).unwrap_err();
        assert_eq!(err.limit(), Some(Limit::Deadline), "{program}: {err:?}");
        assert!(start.elapsed() < Duration::from_secs(5));
        still_works(&mut vm);
    }
}

#[test]
fn import_allow_list() {
    let mut vm = Vm::builder().allow_imports(["math", "collections"]).build().unwrap();
    vm.exec("import math\nfrom collections import OrderedDict").unwrap();
    for src in ["import sys", "import gc", "__import__('micropython')", "import os"] {
        let err = vm.exec(src).unwrap_err();
        let exc = err.exception().unwrap();
        assert_eq!(exc.type_name, "ImportError", "{src}");
        assert!(exc.message.contains("not allowed"), "{src}: {}", exc.message);
    }
    still_works(&mut vm);
}

#[test]
fn recursion_limit() {
    let mut vm = Vm::builder().recursion_limit(100).build().unwrap();
    vm.exec("def depth(n):\n    return n if n == 0 else depth(n - 1)").unwrap();
    assert_eq!(vm.call::<_, i64>("depth", 50).unwrap(), 0);
    let err = vm.call::<_, i64>("depth", 1000).unwrap_err();
    assert_eq!(err.limit(), Some(Limit::Recursion));
    still_works(&mut vm);
}

#[test]
fn interrupt_from_another_thread() {
    let out = SharedBuffer::new();
    let mut vm = Vm::builder().stdout(out.clone()).build().unwrap();
    let handle = vm.interrupt_handle();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.interrupt();
    });
    let err = vm.exec("print('start')\nwhile True:\n    pass").unwrap_err();
    t.join().unwrap();
    assert_eq!(err.limit(), Some(Limit::Interrupted));
    assert_eq!(err.exception().unwrap().type_name, "KeyboardInterrupt");
    assert_eq!(out.text(), "start\n");
    still_works(&mut vm);
}

/// Native functions calling native functions (the direct call path) count
/// against the recursion limit and see an interrupt at every call, even
/// without a loop.
#[test]
fn native_recursion_is_limited_and_interruptible() {
    if ferropy::native::host_support().is_none() {
        return;
    }
    let mut vm = Vm::builder().allow_native_code(true).recursion_limit(100).build().unwrap();
    vm.exec("@micropython.native\ndef depth(n):\n    return n if n == 0 else depth(n - 1)").unwrap();
    assert_eq!(vm.call::<_, i64>("depth", 50).unwrap(), 0);
    let err = vm.call::<_, i64>("depth", 1000).unwrap_err();
    assert_eq!(err.limit(), Some(Limit::Recursion));
    still_works(&mut vm);

    // No backward jump: only the calls can notice the interrupt (2**60 calls).
    let out = SharedBuffer::new();
    let mut vm = Vm::builder().allow_native_code(true).stdout(out.clone()).build().unwrap();
    let handle = vm.interrupt_handle();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.interrupt();
    });
    let program = "@micropython.native\ndef tree(n):\n    if n:\n        tree(n - 1)\n        tree(n - 1)\n\
                   print('start')\ntree(60)";
    let err = vm.exec(program).unwrap_err();
    t.join().unwrap();
    assert_eq!(err.limit(), Some(Limit::Interrupted));
    assert_eq!(err.exception().unwrap().type_name, "KeyboardInterrupt");
    assert_eq!(out.text(), "start\n");
    still_works(&mut vm);
}

#[test]
fn no_file_access_unless_allowed() {
    let mut vm = Vm::new().unwrap();
    let err = vm.exec("open('Cargo.toml')").unwrap_err();
    assert_eq!(err.exception().unwrap().type_name, "OSError");
    let mut vm = Vm::builder().allow_files(true).build().unwrap();
    vm.exec("f = open('Cargo.toml')\nt = f.read()\nf.close()").unwrap();
    assert!(vm.get::<String>("t").unwrap().contains("[package]"));
}
