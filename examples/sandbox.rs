//! A sandbox with limits: untrusted code gets an instruction budget, a
//! deadline, a capped heap, a recursion limit, no files and only the `math`
//! module. Each runaway script gives the host a clean error and the VM goes on.
//!
//! `cargo run --example sandbox`

use std::time::Duration;

use ferropy::embed::Vm;

fn main() -> Result<(), ferropy::embed::Error> {
    let mut vm = Vm::builder()
        .max_heap_bytes(256 * 1024)
        .fuel(2_000_000)
        .timeout(Duration::from_millis(500))
        .recursion_limit(64)
        .allow_imports(["math"])
        .build()?;
    let scripts = [
        ("endless loop", "while True:\n    pass"),
        ("memory hog", "def hog():\n    x = []\n    while True:\n        x.append([0] * 64)\nhog()"),
        ("deep recursion", "def f(n):\n    return f(n + 1)\nf(0)"),
        ("forbidden import", "import sys"),
        ("file access", "open('/etc/passwd').read()"),
        ("fine", "import math\nresult = math.sqrt(2) * 2"),
    ];
    for (name, src) in scripts {
        match vm.exec(src) {
            Ok(()) => println!("{name}: ok"),
            Err(e) => match e.limit() {
                Some(limit) => println!("{name}: stopped ({limit})"),
                None => println!("{name}: {e}"),
            },
        }
    }
    println!("result = {:.4}", vm.get::<f64>("result")?);
    println!("peak heap use: {} bytes", vm.memory().peak_bytes);
    Ok(())
}
