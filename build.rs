//! Freezes `src/frozen/` (MicroPython's frozen bytecode) into the `ferropy`
//! command: the generated `$OUT_DIR/frozen.rs` defines `FROZEN`, included by
//! `src/frozen.rs`. On Linux, links the command with `src/startup.ld`, which
//! gathers the functions start-up runs at the start of the text (see
//! `scripts/startup-order.py`).

fn main() {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = std::path::Path::new(&out_dir).join("frozen.rs");
    println!("cargo:rerun-if-changed=src/frozen");
    if let Err(e) = ferropy_freeze::freeze_dir(std::path::Path::new("src/frozen"), &out) {
        eprintln!("{e}");
        std::process::exit(1);
    }
    startup_order();
}

/// The kernel maps a 64 KB window of the binary around each page fault, so
/// start-up code spread over the text makes most of it resident. The linker
/// script places the listed functions in one output section before `.text`
/// (`INSERT` keeps the linker's default layout for everything else; GNU ld
/// and lld both read it). `FERROPY_NO_STARTUP_ORDER=1` links without it
/// (e.g. for a linker without linker scripts).
fn startup_order() {
    println!("cargo:rerun-if-changed=src/startup.ld");
    println!("cargo:rerun-if-env-changed=FERROPY_NO_STARTUP_ORDER");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let disabled = std::env::var_os("FERROPY_NO_STARTUP_ORDER").is_some_and(|v| !v.is_empty() && v != "0");
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else { return };
    let script = std::path::Path::new(&dir).join("src/startup.ld");
    let Some(path) = script.to_str() else { return };
    // `-Wl,` splits its argument at commas.
    if linux && !disabled && script.is_file() && !path.contains(',') {
        println!("cargo:rustc-link-arg-bin=ferropy=-Wl,-T,{path}");
    }
}
