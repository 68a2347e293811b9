//! Calling Python from Rust: functions by name, callables kept as handles,
//! callbacks that call back into Python, and Python exceptions as Rust errors.
//!
//! `cargo run --example call_python`

use ferropy::embed::{PyObject, Vm};

fn main() -> Result<(), ferropy::embed::Error> {
    let mut vm = Vm::new()?;
    vm.exec(
        "def score(word):\n    return sum(ord(c) - 96 for c in word.lower())\n\
         def check(x):\n    if x < 0:\n        raise ValueError('negative: %d' % x)\n    return x",
    )?;
    // By name, with typed arguments and result.
    let s: i64 = vm.call("score", "ferropy")?;
    println!("score('ferropy') = {s}");
    // Keep a Python callable and call it many times.
    let key: PyObject = vm.eval("lambda pair: -pair[1]")?;
    let mut words: Vec<(String, i64)> = ["ada", "grace", "linus"].iter().map(|w| (w.to_string(), 0)).collect();
    for w in words.iter_mut() {
        w.1 = vm.call("score", w.0.as_str())?;
    }
    let ranked: Vec<(String, i64)> = vm.with(|cx| {
        let list = cx.to_object(words.clone())?;
        cx.exec("pass")?;
        cx.set("words", &list)?;
        cx.set("key", &key)?;
        cx.eval("sorted(words, key=key)")
    })?;
    println!("ranked: {ranked:?}");
    // A Python exception arrives as a Rust error with its type and traceback.
    match vm.call::<_, i64>("check", -3) {
        Ok(_) => unreachable!(),
        Err(e) => {
            let exc = e.exception().expect("a Python exception");
            println!("{}: {}", exc.type_name, exc.message);
            print!("{}", exc.traceback);
        }
    }
    Ok(())
}
