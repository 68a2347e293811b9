//! The `ferropy` command (see `ferropy::cli`).

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(ferropy::cli::main(&argv));
}
