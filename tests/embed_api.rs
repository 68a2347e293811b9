//! The embedding API end to end: conversions round-trip, Python exceptions
//! reach Rust with type, message and traceback, Rust callbacks' errors and
//! panics reach Python as exceptions, classes, modules, handles, streams.

use std::collections::HashMap;

use ferropy::embed::{Bytes, Class, Error, Module, PyObject, SharedBuffer, Value, Variadic, Vm};

/// Rust -> Python -> Rust gives the same value, and Python sees the right type.
fn round_trip<T>(vm: &mut Vm, value: T, py_type: &str)
where
    T: ferropy::embed::IntoPy + ferropy::embed::FromPy + Clone + PartialEq + std::fmt::Debug,
{
    vm.set("v", value.clone()).unwrap();
    assert_eq!(vm.get::<T>("v").unwrap(), value);
    assert_eq!(vm.eval::<String>("type(v).__name__").unwrap(), py_type, "{value:?}");
    let echoed: T = vm.call("echo", (value.clone(),)).unwrap();
    assert_eq!(echoed, value);
}

#[test]
fn conversions_round_trip() {
    let mut vm = Vm::new().unwrap();
    vm.exec("def echo(x):\n    return x").unwrap();
    round_trip(&mut vm, 0i64, "int");
    round_trip(&mut vm, i64::MAX, "int");
    round_trip(&mut vm, i64::MIN, "int");
    round_trip(&mut vm, u64::MAX, "int");
    round_trip(&mut vm, -5i8, "int");
    round_trip(&mut vm, 1usize << 40, "int");
    round_trip(&mut vm, 1.5f64, "float");
    round_trip(&mut vm, -0.25f32, "float");
    round_trip(&mut vm, true, "bool");
    round_trip(&mut vm, "héllo".to_string(), "str");
    round_trip(&mut vm, String::new(), "str");
    round_trip(&mut vm, Bytes(vec![0, 255, 10]), "bytes");
    round_trip(&mut vm, vec![1i64, 2, 3], "list");
    round_trip(&mut vm, vec![vec!["a".to_string()], vec![]], "list");
    round_trip(&mut vm, Some(3i64), "int");
    round_trip(&mut vm, None::<i64>, "NoneType");
    round_trip(&mut vm, (1i64, "x".to_string(), 2.5f64), "tuple");
    round_trip(&mut vm, (true,), "tuple");
    round_trip(&mut vm, HashMap::from([("a".to_string(), 1i64), ("b".to_string(), 2)]), "dict");
    round_trip(&mut vm, HashMap::from([(1i64, vec![Some(1.0f64), None])]), "dict");
    let nested = Value::Dict(vec![
        (Value::Str("k".into()), Value::List(vec![Value::Int(1), Value::Float(0.5), Value::None])),
        (Value::Int(2), Value::Tuple(vec![Value::Bool(false), Value::Bytes(b"z".to_vec())])),
    ]);
    round_trip(&mut vm, nested, "dict");
    // Python-side values read in Rust.
    assert_eq!(vm.eval::<i64>("2 ** 62").unwrap(), 1 << 62);
    assert_eq!(vm.eval::<f64>("3").unwrap(), 3.0);
    assert_eq!(vm.eval::<Vec<i64>>("(1, 2)").unwrap(), vec![1, 2]);
    assert_eq!(vm.eval::<Bytes>("bytearray(b'ab')").unwrap(), Bytes(b"ab".to_vec()));
}

#[test]
fn conversion_errors_are_clean() {
    let mut vm = Vm::new().unwrap();
    for (expr, what) in [("2 ** 64", "i64"), ("'x'", "i64"), ("1.5", "i64"), ("-1", "u8"), ("300", "u8")] {
        let err = if what == "u8" { vm.eval::<u8>(expr).map(|_| ()) } else { vm.eval::<i64>(expr).map(|_| ()) };
        assert!(matches!(err, Err(Error::Conversion { .. })), "{expr}: {err:?}");
    }
    assert!(matches!(vm.eval::<String>("b'x'"), Err(Error::Conversion { .. })));
    assert!(matches!(vm.eval::<Bytes>("'x'"), Err(Error::Conversion { .. })));
    assert!(matches!(vm.eval::<(i64, i64)>("(1, 2, 3)"), Err(Error::Conversion { .. })));
    // Cyclic and very deep data is refused, not a stack overflow.
    vm.exec("a = []\na.append(a)\nd = []\nfor i in range(10000):\n    d = [d]").unwrap();
    assert!(matches!(vm.get::<Value>("a"), Err(Error::Conversion { .. })));
    assert!(matches!(vm.get::<Value>("d"), Err(Error::Conversion { .. })));
    assert!(matches!(vm.eval::<Value>("len"), Err(Error::Conversion { .. })));
}

#[test]
fn python_exceptions_reach_rust_with_type_message_and_traceback() {
    let mut vm = Vm::new().unwrap();
    vm.exec("class AppError(Exception):\n    pass\ndef f():\n    raise AppError('bad thing')").unwrap();
    let err = vm.call::<_, ()>("f", ()).unwrap_err();
    let exc = err.exception().expect("a Python exception");
    assert_eq!(exc.type_name, "AppError");
    assert_eq!(exc.message, "bad thing");
    assert!(exc.traceback.starts_with("Traceback (most recent call last):"), "{}", exc.traceback);
    assert!(exc.traceback.contains("line 4, in f"), "{}", exc.traceback);
    assert!(exc.traceback.ends_with("AppError: bad thing\n"), "{}", exc.traceback);
    assert_eq!(err.limit(), None);
    let err = vm.exec("x = (").unwrap_err();
    assert_eq!(err.exception().unwrap().type_name, "SyntaxError");
    let err = vm.get::<i64>("nope").unwrap_err();
    assert_eq!(err.exception().unwrap().type_name, "NameError");
}

#[test]
fn callback_errors_and_panics_become_python_exceptions() {
    let mut vm = Vm::new().unwrap();
    vm.set_function("fail", |_, msg: String| -> Result<(), Error> { Err(Error::raise("ValueError", msg)) }).unwrap();
    vm.set_function("boom", |_, ()| -> Result<i64, Error> { panic!("kaboom") }).unwrap();
    vm.set_function("custom", |_, ()| -> Result<(), Error> { Err(Error::raise("NoSuchError", "m")) }).unwrap();
    vm.exec("try:\n    fail('nope')\nexcept ValueError as e:\n    r1 = str(e)").unwrap();
    assert_eq!(vm.get::<String>("r1").unwrap(), "nope");
    // The panic is caught at the boundary; Python can handle it, and the VM goes on.
    vm.exec("try:\n    boom()\nexcept RuntimeError as e:\n    r2 = str(e)").unwrap();
    assert_eq!(vm.get::<String>("r2").unwrap(), "Rust callback panicked: kaboom");
    let err = vm.exec("boom()").unwrap_err();
    assert_eq!(err.exception().unwrap().type_name, "RuntimeError");
    assert!(err.exception().unwrap().message.contains("kaboom"));
    let err = vm.exec("custom()").unwrap_err();
    assert_eq!(err.exception().unwrap().message, "NoSuchError: m");
    // Wrong argument count or type: TypeError in Python.
    vm.set_function("add", |_, (a, b): (i64, i64)| Ok(a + b)).unwrap();
    for src in ["add(1)", "add(1, 2, 3)", "add('a', 2)", "add(1, b=2)"] {
        let err = vm.exec(src).unwrap_err();
        assert_eq!(err.exception().unwrap().type_name, "TypeError", "{src}");
    }
    assert_eq!(vm.eval::<i64>("add(1, 2)").unwrap(), 3);
}

#[test]
fn an_exception_passing_through_a_callback_keeps_its_identity() {
    let mut vm = Vm::new().unwrap();
    vm.exec("class Mine(Exception):\n    pass\ndef inner():\n    raise Mine('deep')").unwrap();
    vm.set_function("via_rust", |cx, ()| cx.call::<_, ()>("inner", ())).unwrap();
    vm.exec("try:\n    via_rust()\nexcept Mine as e:\n    got = 'Mine: ' + str(e)").unwrap();
    assert_eq!(vm.get::<String>("got").unwrap(), "Mine: deep");
}

#[test]
fn closures_keep_state_and_variadic_args() {
    let mut vm = Vm::new().unwrap();
    let total = std::sync::Arc::new(std::sync::Mutex::new(0i64));
    let t = total.clone();
    vm.set_function("add_all", move |_, xs: Variadic<i64>| {
        let mut t = t.lock().unwrap();
        *t += xs.0.iter().sum::<i64>();
        Ok(*t)
    })
    .unwrap();
    vm.exec("add_all(1, 2)\nadd_all()\nadd_all(10)").unwrap();
    assert_eq!(*total.lock().unwrap(), 13);
}

#[test]
fn rust_class_with_methods() {
    struct Account {
        balance: i64,
        log: Vec<String>,
    }
    let mut vm = Vm::new().unwrap();
    let class = Class::new("Account")
        .constructor(|_, start: i64| Ok(Account { balance: start, log: Vec::new() }))
        .method("deposit", |_, a: &mut Account, n: i64| {
            if n <= 0 {
                return Err(Error::raise("ValueError", "deposit must be positive"));
            }
            a.balance += n;
            a.log.push(format!("+{n}"));
            Ok(a.balance)
        })
        .method("history", |_, a: &mut Account, ()| Ok(a.log.clone()))
        .method("balance", |_, a: &mut Account, ()| Ok(a.balance));
    vm.add_class(class).unwrap();
    vm.exec(
        "a = Account(10)\nb = Account(0)\na.deposit(5)\nb.deposit(1)\ntry:\n    a.deposit(-1)\nexcept ValueError:\n    pass",
    )
    .unwrap();
    assert_eq!(vm.eval::<i64>("a.balance()").unwrap(), 15);
    assert_eq!(vm.eval::<i64>("b.balance()").unwrap(), 1);
    assert_eq!(vm.eval::<Vec<String>>("a.history()").unwrap(), vec!["+5"]);
    assert!(vm.eval::<bool>("isinstance(a, Account)").unwrap());
    // Methods called on the wrong object give TypeError, not a crash.
    let err = vm.exec("Account.balance(5)").unwrap_err();
    assert_eq!(err.exception().unwrap().type_name, "TypeError");
}

#[test]
fn rust_module_with_import_allow_list() {
    let mut vm = Vm::builder().allow_imports(["math"]).build().unwrap();
    vm.add_module(Module::new("host").function("greet", |_, n: String| Ok(format!("hi {n}"))).constant("N", 3))
        .unwrap();
    vm.exec("import host\nr = host.greet('x') * host.N").unwrap();
    assert_eq!(vm.get::<String>("r").unwrap(), "hi xhi xhi x");
}

#[test]
fn handles_keep_objects_alive_across_collections() {
    let mut vm = Vm::builder().gc_stress(false).max_heap_bytes(256 * 1024).build().unwrap();
    let f: PyObject = vm.eval("lambda x: [x] * 3").unwrap();
    let data = vm.to_object(vec!["kept".to_string(); 10]).unwrap();
    vm.exec("junk = [[i] for i in range(2000)]\njunk = None").unwrap();
    vm.collect();
    assert_eq!(vm.call_object::<_, Vec<i64>>(&f, 7).unwrap(), vec![7, 7, 7]);
    assert_eq!(vm.from_object::<Vec<String>>(&data).unwrap().len(), 10);
    // Dropped handles free their slot at the next call.
    let before = vm.memory().used_bytes;
    drop(data);
    vm.exec("pass").unwrap();
    vm.collect();
    assert!(vm.memory().used_bytes < before);
    // A handle from another VM is refused.
    let mut other = Vm::new().unwrap();
    assert!(matches!(other.call_object::<_, ()>(&f, 1), Err(Error::Vm(_))));
}

#[test]
fn streams_go_to_rust_writers_and_readers() {
    let (out, err) = (SharedBuffer::new(), SharedBuffer::new());
    let mut vm = Vm::builder().stdout(out.clone()).stderr(err.clone()).stdin(&b"first\nsecond\n"[..]).build().unwrap();
    vm.exec("print('a', 1)\nimport sys\nsys.stderr.write('e')\nx = sys.stdin.readline()\ny = sys.stdin.read()")
        .unwrap();
    assert_eq!(vm.get::<String>("x").unwrap(), "first\n");
    assert_eq!(vm.get::<String>("y").unwrap(), "second\n");
    assert_eq!(out.text(), "a 1\n");
    assert_eq!(err.text(), "e");
}

#[test]
fn gc_stress_with_rust_values_in_flight() {
    let mut vm = Vm::builder().gc_stress(true).arena(256 * 1024).build().unwrap();
    let big: HashMap<String, Vec<(i64, String)>> =
        (0..20).map(|i| (format!("k{i}"), (0..5).map(|j| (j, format!("v{j}"))).collect())).collect();
    vm.set("m", big.clone()).unwrap();
    assert_eq!(vm.get::<HashMap<String, Vec<(i64, String)>>>("m").unwrap(), big);
    vm.set_function("mk", |_, n: i64| Ok((0..n).map(|i| vec![i; 3]).collect::<Vec<_>>())).unwrap();
    assert_eq!(vm.eval::<i64>("sum(sum(x) for x in mk(30))").unwrap(), 3 * (0..30).sum::<i64>());
}

#[test]
fn memory_accounting_is_exact_to_the_block() {
    let mut vm = Vm::new().unwrap();
    vm.exec("import gc\ngc.collect()").unwrap();
    vm.collect();
    let before = vm.memory();
    vm.exec("keep = [None] * 100").unwrap(); // 4 + 400 bytes of items, in 16-byte blocks
    let after = vm.memory();
    assert_eq!(after.used_bytes % 16, 0);
    assert!(after.used_bytes > before.used_bytes);
    assert!(after.peak_bytes >= after.used_bytes);
    assert_eq!(vm.eval::<usize>("gc.mem_alloc()").unwrap() % 16, 0);
}

/// A fresh VM interns no strings at run time: the names the runtime needs at
/// start-up and the `micropython` module's are in the static tables (a
/// dynamic qstr costs every VM memory, and MicroPython's `qstr_info(1)` test
/// expects only the program's own strings).
#[test]
fn a_fresh_vm_interns_no_strings_of_its_own() {
    let out = SharedBuffer::new();
    let mut vm = Vm::builder().stdout(out.clone()).build().unwrap();
    vm.exec("import micropython\nmicropython.qstr_info(1)").unwrap();
    assert!(out.text().starts_with("qstr pool: n_pool=1, n_qstr=0,"), "{}", out.text());
    // The program's own names are interned, and listed.
    let out = SharedBuffer::new();
    let mut vm = Vm::builder().stdout(out.clone()).build().unwrap();
    vm.exec(
        "import micropython
micropython.schedule, micropython.kbd_intr
spam = 1
micropython.qstr_info(1)",
    )
    .unwrap();
    assert_eq!(out.text(), "qstr pool: n_pool=1, n_qstr=1, n_str_data_bytes=4, n_total_bytes=4\nQ(spam)\n");
}
