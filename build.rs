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
    packed_relocations();
    discard_unwind_tables();
}

/// The release profile has `panic = "abort"`: nothing unwinds, yet the
/// compiler still emits unwind tables (`.eh_frame`, 0.2 MB of the command)
/// and the precompiled standard library brings its own, so `src/no-unwind.ld`
/// drops them at link time. A panic's backtrace (`RUST_BACKTRACE=1`) then
/// stops at the panicking frame. Cargo tells build scripts the profile
/// (`PROFILE`), not its panic strategy (`CARGO_CFG_PANIC` is the target's
/// default), so a release-like build that unwinds must set
/// `FERROPY_KEEP_UNWIND_TABLES=1`. Only the binaries lose their tables: test
/// harnesses, which always unwind, link without the script.
fn discard_unwind_tables() {
    let Some(path) = linker_script("src/no-unwind.ld") else { return };
    let abort = std::env::var("PROFILE").is_ok_and(|p| p == "release") && !env_flag("FERROPY_KEEP_UNWIND_TABLES");
    if abort {
        println!("cargo:rustc-link-arg-bins=-Wl,-T,{path}");
        static_unwinder();
    }
}

/// The path of linker script `relative` (in this package) when the command
/// is linked for Linux and the path can be passed to the linker (`-Wl,`
/// splits its argument at commas); tells cargo to rebuild when it changes.
fn linker_script(relative: &str) -> Option<String> {
    println!("cargo:rerun-if-changed={relative}");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let script = std::path::Path::new(&dir).join(relative);
    let path = script.to_str()?;
    (linux && script.is_file() && !path.contains(',')).then(|| path.to_string())
}

/// True if environment variable `name` is set to something other than empty
/// or `0`; tells cargo to rebuild when it changes.
fn env_flag(name: &str) -> bool {
    println!("cargo:rerun-if-env-changed={name}");
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The standard library links the shared unwinder, `libgcc_s.so.1`, which a
/// `panic = "abort"` command only needs for a backtrace: loading it costs
/// 0.1 MB of resident memory and a library lookup at start-up. Linking GCC's
/// static unwinder (`libgcc_eh.a`, 26 KB, as `-static-libgcc` does for C
/// programs) into the binaries resolves those symbols first, and the linker's
/// `--as-needed` then leaves `libgcc_s` out. Skipped when the C compiler
/// does not have the archive (e.g. clang with compiler-rt).
fn static_unwinder() {
    let gnu = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    if !gnu || !native {
        return;
    }
    let Ok(out) = std::process::Command::new("cc").arg("-print-file-name=libgcc_eh.a").output() else { return };
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // Without the archive, the compiler prints the bare name back.
    if out.status.success() && path.starts_with('/') && !path.contains(',') && std::path::Path::new(&path).is_file() {
        println!("cargo:rustc-link-arg-bins=-Wl,--push-state,--whole-archive,{path},--pop-state");
    }
}

/// The kernel maps a 64 KB window of the binary around each page fault, so
/// start-up code spread over the text makes most of it resident. The linker
/// script places the listed functions in one output section before `.text`
/// (`INSERT` keeps the linker's default layout for everything else; GNU ld
/// and lld both read it). `FERROPY_NO_STARTUP_ORDER=1` links without it
/// (e.g. for a linker without linker scripts).
fn startup_order() {
    let Some(path) = linker_script("src/startup.ld") else { return };
    if !env_flag("FERROPY_NO_STARTUP_ORDER") {
        println!("cargo:rustc-link-arg-bin=ferropy=-Wl,-T,{path}");
    }
}

/// A position-independent executable carries a relocation for every pointer
/// in its static data (vtables, tables of names): 100 KB of `.rela.dyn` for
/// the `ferropy` command. Packed relative relocations (`DT_RELR`) describe
/// them in 1.3 KB. The loader must understand them (glibc 2.36 and later;
/// the binary then requires `GLIBC_ABI_DT_RELR`), so they are used only for
/// a native build on such a glibc; `getconf` tells its version.
fn packed_relocations() {
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    let gnu_linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if !native || !gnu_linux {
        return;
    }
    let Ok(out) = std::process::Command::new("getconf").arg("GNU_LIBC_VERSION").output() else { return };
    let text = String::from_utf8_lossy(&out.stdout);
    // "glibc 2.36"
    let mut parts = text.trim().trim_start_matches("glibc ").split('.').map(|p| p.parse::<u32>().ok());
    let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) else { return };
    if out.status.success() && (major, minor) >= (2, 36) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
