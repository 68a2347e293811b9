//! Compiles a Python file to a `.mpy` file: `compile_mpy IN.py OUT.mpy [-O<n>]`.
use std::env;
use std::fs;

use ferropy_frontend::{compile_bytes, CompileOptions, InputKind};

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: compile_mpy IN.py OUT.mpy [-O<n>]");
        std::process::exit(2);
    }
    let mut opts = CompileOptions::default();
    if let Some(o) = args.get(3).and_then(|a| a.strip_prefix("-O")) {
        opts.opt_level = o.parse().unwrap_or(1);
    }
    let src = fs::read(&args[1]).expect("read input");
    let name = std::path::Path::new(&args[1]).file_name().and_then(|n| n.to_str()).unwrap_or("<stdin>").to_string();
    match compile_bytes(&src, &name, InputKind::File, &opts) {
        Ok(m) => {
            let mut out = Vec::new();
            ferropy_bytecode::mpy::write_mpy(&m, &mut out);
            fs::write(&args[2], out).expect("write output");
        }
        Err(e) => {
            eprintln!("{}", e.display_with_file(&name));
            std::process::exit(1);
        }
    }
}
