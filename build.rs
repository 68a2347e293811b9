//! Freezes `src/frozen/` (MicroPython's frozen bytecode) into the `ferropy`
//! command: the generated `$OUT_DIR/frozen.rs` defines `FROZEN`, included by
//! `src/frozen.rs`.

fn main() {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = std::path::Path::new(&out_dir).join("frozen.rs");
    println!("cargo:rerun-if-changed=src/frozen");
    if let Err(e) = ferropy_freeze::freeze_dir(std::path::Path::new("src/frozen"), &out) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
