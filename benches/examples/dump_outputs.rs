//! Prints a hash of the compiled output of many inputs (to compare two builds).
use std::hash::{Hash, Hasher};
fn main() {
    let mut inputs: Vec<(String, String)> = Vec::new();
    for n in [100usize, 1000, 10_000, 30_000] {
        inputs.push((format!("gen{n}"), ferropy_benches::generate_module(n)));
    }
    for n in (1..120).step_by(3) {
        let mut s = String::from("def f(x):\n    while x:\n        if x:\n");
        for i in 0..n {
            s.push_str(&format!("            x = x + {i}\n"));
        }
        s.push_str("        else:\n            break\n    for i in range(x):\n        try:\n            pass\n        except E as e:\n            continue\n    return x\n");
        inputs.push((format!("jumps{n}"), s));
    }
    for dir in ["tests/compile", "frontend/tests/golden", "tests/compile_errors"] {
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut paths: Vec<_> =
                rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "py")).collect();
            paths.sort();
            for p in paths {
                inputs.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap_or_default()));
            }
        }
    }
    for (name, src) in &inputs {
        for opt in [0u8, 3] {
            let opts = ferropy_frontend::CompileOptions { opt_level: opt, ..Default::default() };
            let r = ferropy_frontend::compile_source(src, "t.py", ferropy_frontend::InputKind::File, &opts);
            let text = format!("{r:?}");
            let mut h = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut h);
            println!("{name} O{opt} {:016x} {}", h.finish(), text.len());
        }
    }
}
