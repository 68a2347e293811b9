//! Compiling for each instruction set and measuring machine code: the
//! emitter factory per architecture, the machine-code bytes of native/viper
//! functions (ferropy's and `mpy-cross`'s), shared by the `native_size` and
//! `ferropy-bench` commands.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ferropy_bytecode::{CodeKind, CompiledModule, RawCode};
use ferropy_emit_native::Factory;
use ferropy_emit_thumb as thumb;
use ferropy_frontend::{compile_bytes, CompileOptions, EmitterKind, InputKind, NativeEmitterFactory};

/// The architectures whose sizes `ferropy-bench` reports next to x86-64's:
/// ARMv7-M (Thumb-2), ARMv6-M (Thumb-1), Xtensa call0 and Xtensa windowed
/// (the `mpy-cross -march=` names).
pub const CROSS_ARCHES: [&str; 4] = ["armv7m", "armv6m", "xtensa", "xtensawin"];

/// Every architecture `native_size` knows, by `mpy-cross -march=` name.
pub const ALL_ARCHES: [&str; 8] =
    ["x64", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp", "xtensa", "xtensawin"];

/// An emitter factory generating code for `arch` (an `mpy-cross -march=` name).
pub fn factory(arch: &str) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
    Some(match arch {
        "x64" => Arc::new(Factory::<ferropy_emit_x64::X64Asm>::new()),
        "armv6m" => Arc::new(Factory::<thumb::Armv6mAsm>::new()),
        "armv7m" => Arc::new(Factory::<thumb::Armv7mAsm>::new()),
        "armv7em" => Arc::new(Factory::<thumb::Armv7emAsm>::new()),
        "armv7emsp" => Arc::new(Factory::<thumb::Armv7emspAsm>::new()),
        "armv7emdp" => Arc::new(Factory::<thumb::Armv7emdpAsm>::new()),
        "xtensa" => Arc::new(Factory::<ferropy_emit_xtensa::XtensaCall0Asm>::new()),
        "xtensawin" => Arc::new(Factory::<ferropy_emit_xtensa::XtensaWinAsm>::new()),
        _ => return None,
    })
}

/// Machine-code bytes (before the prelude) of every native/viper function
/// of ferropy's `code`, depth first.
pub fn code_sizes(code: &RawCode, out: &mut Vec<usize>) {
    if matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
        out.push(code.prelude_offset);
    }
    for c in &code.children {
        code_sizes(c, out);
    }
}

/// The machine code of each native/viper function, in the order of
/// [`code_sizes`] (`whole_viper`: all of a viper function's code, as
/// MicroPython's viper code has no prelude).
pub fn machine_codes(code: &RawCode, whole_viper: bool, out: &mut Vec<Vec<u8>>) {
    let end = match code.kind {
        CodeKind::Native => Some(code.prelude_offset),
        CodeKind::Viper if whole_viper => Some(code.code.len()),
        CodeKind::Viper => Some(code.prelude_offset),
        _ => None,
    };
    if let Some(end) = end {
        out.push(code.code.get(..end).unwrap_or(&[]).to_vec());
    }
    for c in &code.children {
        machine_codes(c, whole_viper, out);
    }
}

/// Machine-code bytes of every native/viper function of a module read from
/// `mpy-cross`'s output (MicroPython's viper code has no prelude: its size is
/// the whole code).
pub fn their_sizes(code: &RawCode, out: &mut Vec<usize>) {
    match code.kind {
        CodeKind::Native => out.push(code.prelude_offset),
        CodeKind::Viper => out.push(code.code.len()),
        _ => {}
    }
    for c in &code.children {
        their_sizes(c, out);
    }
}

/// Bytes of a function's code from ferropy: machine code for native/viper,
/// bytecode (with its prelude) otherwise.
pub fn code_bytes(code: &RawCode) -> usize {
    match code.kind {
        CodeKind::Native | CodeKind::Viper if code.prelude_offset > 0 => code.prelude_offset,
        _ => code.code.len(),
    }
}

/// The kernel function of a kernel module (its first function).
pub fn kernel_function(module: &CompiledModule) -> Option<&RawCode> {
    module.root.children.first()
}

/// Compiles `source` for `arch` as written (only decorated functions become
/// machine code).
pub fn compile_for(source: &str, arch: &str) -> Result<CompiledModule, String> {
    let factory = factory(arch).ok_or_else(|| format!("unknown arch {arch}"))?;
    let options = CompileOptions { emitter: EmitterKind::Bytecode, native: Some(factory), ..CompileOptions::default() };
    compile_bytes(source.as_bytes(), "kernel.py", InputKind::File, &options)
        .map_err(|e| format!("{}: {}", e.kind.name(), e.msg))
}

/// Machine-code bytes of a kernel module's kernel function compiled for `arch`.
pub fn kernel_bytes(source: &str, arch: &str) -> Result<usize, String> {
    let module = compile_for(source, arch)?;
    kernel_function(&module).map(code_bytes).ok_or_else(|| "no kernel function".into())
}

/// Compiles `path` with `mpy-cross -march=<arch>` (`extra` arguments before
/// the file) and reads the `.mpy` file it writes.
pub fn mpy_cross_module(mpy_cross: &Path, path: &Path, arch: &str, extra: &[&str]) -> Option<CompiledModule> {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let n = RUN.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ferropy-mpy-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let out = dir.join("out.mpy");
    let ok = Command::new(mpy_cross)
        .arg(format!("-march={arch}"))
        .args(extra)
        .arg("-o")
        .arg(&out)
        .arg(path)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let bytes = ok.then(|| std::fs::read(&out).ok()).flatten();
    let _ = std::fs::remove_dir_all(&dir);
    Some(ferropy_bytecode::mpy::read_mpy_file_unverified(&bytes?).ok()?.module)
}

/// The kernel function's machine-code bytes from MicroPython's `mpy-cross`
/// for `arch`.
pub fn mpy_cross_kernel_bytes(mpy_cross: &Path, source: &str, arch: &str) -> Option<usize> {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let n = RUN.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ferropy-bench-src-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let py = dir.join("kernel.py");
    std::fs::write(&py, source).ok()?;
    let module = mpy_cross_module(mpy_cross, &py, arch, &[]);
    let _ = std::fs::remove_dir_all(&dir);
    kernel_function(&module?).map(code_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_arch_has_a_factory() {
        for arch in ALL_ARCHES {
            assert!(factory(arch).is_some(), "{arch}");
        }
        assert!(factory("mips").is_none());
    }
}

#[cfg(test)]
mod kernel_tests {
    use super::*;
    use crate::kernels::{source_of, sources};

    #[test]
    fn kernel_functions_have_machine_code_for_every_isa() {
        let sources = sources().expect("kernel sources");
        for mode in ["native", "viper"] {
            let src = source_of(&sources, "loop", mode).expect("loop's source");
            let mut sizes = Vec::new();
            for arch in CROSS_ARCHES {
                let n = kernel_bytes(&src, arch).unwrap_or_else(|e| panic!("{arch}: {e}"));
                assert!(n > 16, "{mode} {arch}: {n} bytes");
                sizes.push(n);
            }
            // Four different encodings.
            assert!(sizes.windows(2).any(|w| w[0] != w[1]), "{mode}: {sizes:?}");
        }
    }
}
