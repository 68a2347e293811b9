//! The `ferropy-cross` command: mpy-cross compatible compiler to `.mpy` files (see `ferropy::cross`).

fn main() {
    let mut argv = std::env::args();
    let program = argv.next().unwrap_or_else(|| "ferropy-cross".to_string());
    let rest: Vec<String> = argv.collect();
    std::process::exit(ferropy::cross::main(&program, &rest));
}
