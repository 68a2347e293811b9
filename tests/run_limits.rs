//! Limits of the VM: deep recursion, heap exhaustion, independent VMs.

use std::sync::{Arc, Mutex};

use ferropy::runtime::vm::{HeapChoice, OutputSink};
use ferropy::runtime::VmConfig;

fn run(source: &str, config: VmConfig) -> (i32, String) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let status = ferropy::run::run_source(source.as_bytes(), "t.py", config, out, err);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    (status, text)
}

#[test]
fn deep_python_recursion_raises_runtime_error() {
    // Runs on a thread with a 1 MiB stack: Python calls must not recurse natively.
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let src = "def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RuntimeError as e:\n    print(e)\n";
            let config = VmConfig { recursion_limit: 100_000, ..VmConfig::default() };
            run(src, config)
        })
        .expect("spawn");
    let (status, text) = handle.join().expect("no stack overflow");
    assert_eq!(status, 0);
    assert_eq!(text, "maximum recursion depth exceeded\n");
}

#[test]
fn nested_native_reentry_is_bounded() {
    let handle = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            // __init__ calls go through the native call path.
            let src = "class A:\n    def __init__(self, n):\n        self.c = A(n + 1)\ntry:\n    A(0)\nexcept RuntimeError as e:\n    print(e)\nprint('ok')\n";
            run(src, VmConfig::default())
        })
        .expect("spawn");
    let (status, text) = handle.join().expect("no stack overflow");
    assert_eq!(status, 0);
    assert_eq!(text, "maximum recursion depth exceeded\nok\n");
}

#[test]
fn heap_exhaustion_gives_memory_error_and_vm_keeps_working() {
    let src = "l = []\ntry:\n    while True:\n        l.append([1, 2, 3, 4])\nexcept MemoryError:\n    l = None\n    print('MemoryError')\nprint(sum([1, 2, 3]))\n";
    let config = VmConfig { heap: HeapChoice::Arena(32 * 1024), ..VmConfig::default() };
    let (status, text) = run(src, config);
    assert_eq!((status, text.as_str()), (0, "MemoryError\n6\n"));
}

#[test]
fn uncaught_exception_sets_status_and_prints_traceback() {
    let (status, text) = run("def f():\n    raise ValueError('x')\nf()\n", VmConfig::default());
    assert_eq!(status, 1);
    assert_eq!(
        text,
        "Traceback (most recent call last):\n  File \"t.py\", line 3, in <module>\n  File \"t.py\", line 2, in f\nValueError: x\n"
    );
}

#[test]
fn two_vms_on_two_threads() {
    let handles: Vec<_> = (0..2)
        .map(|i| {
            std::thread::spawn(move || {
                let src = format!("t = 0\nfor k in range({}):\n    t += k\nprint(t)\n", 1000 * (i + 1));
                run(&src, VmConfig::default())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().expect("thread")).collect();
    assert_eq!(results[0].1, "499500\n");
    assert_eq!(results[1].1, "1999000\n");
}

#[test]
fn memory_error_on_a_full_heap_has_a_traceback() {
    // The failing allocation leaves no room for a traceback list: the
    // MemoryError's own, made with the VM, records the lines.
    let src = "def grow():\n    return [str(i) for i in range(100000)]\ndef outer():\n    grow()\nouter()\n";
    let config = VmConfig { heap: HeapChoice::Arena(64 * 1024), ..VmConfig::default() };
    let (status, text) = run(src, config);
    assert_eq!(status, 1);
    assert_eq!(
        text,
        "Traceback (most recent call last):\n  File \"t.py\", line 5, in <module>\n  File \"t.py\", line 4, in outer\n  File \"t.py\", line 2, in grow\n  File \"t.py\", line 2, in <listcomp>\nMemoryError: \n"
    );
    // A second MemoryError starts a fresh traceback, and a caught one leaves the VM working.
    let src = "def f():\n    return [str(i) for i in range(100000)]\nfor k in range(2):\n    try:\n        f()\n    except MemoryError as e:\n        pass\nf()\n";
    let config = VmConfig { heap: HeapChoice::Arena(64 * 1024), ..VmConfig::default() };
    let (status, text) = run(src, config);
    assert_eq!(status, 1);
    assert_eq!(
        text,
        "Traceback (most recent call last):\n  File \"t.py\", line 8, in <module>\n  File \"t.py\", line 2, in f\n  File \"t.py\", line 2, in <listcomp>\nMemoryError: \n"
    );
}
