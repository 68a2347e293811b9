//! The `ferropy-cross` command: compiles a Python file to a `.mpy` file, taking the
//! options of MicroPython's `mpy-cross` and writing the same format.
//!
//! Exit status and messages follow mpy-cross: 0 on success; 1 with the usage text on
//! stdout for unknown options; 1 with a one-line message on stderr for fatal
//! problems (`no input file`, `arch not specified`, ...); 1 with a MicroPython
//! traceback on stderr for compile errors; 1 with `OSError: (errno, "can't open F")`
//! when a file cannot be read or written. The output file is written atomically
//! (a temporary file in the same directory, then renamed).

pub mod arch;
pub mod args;
pub mod listing;
pub mod output;
pub mod traceback;

use std::io::{Read, Write};
use std::sync::Arc;

use ferropy_bytecode::mpy::{write_mpy_file, MpyFile, MpyHeader, MPY_SUB_VERSION};
use ferropy_bytecode::{CodeKind, CompiledModule, RawCode};
use ferropy_frontend::{CompileOptions, EmitterKind, InputKind, NativeEmitterFactory};

use arch::Arch;
use args::{CrossArgs, Emit, Parsed};

/// The `.mpy` version written, as `--version` reports it.
pub const MPY_VERSION_TEXT: &str = "6.3";

/// The text printed by `--version`.
pub fn version_banner() -> String {
    format!(
        "ferropy {} (MicroPython-compatible); mpy-cross emitting mpy v{MPY_VERSION_TEXT}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The usage text, worded like mpy-cross's (`program` is the command name).
pub fn usage_text(program: &str) -> String {
    format!(
        "usage: {program} [<opts>] [-X <implopt>] [--] <input filename>
Options:
--version : show version information
-o : output file for compiled bytecode (defaults to input filename with .mpy extension, or stdout if input is stdin)
-s : source filename to embed in the compiled bytecode (defaults to input file)
-v : verbose (trace various operations); can be multiple
-O[N] : apply bytecode optimizations of level N
--dis : print the bytecode disassembly instead of writing the .mpy (ferropy's own option)
--dis-native : print each native/viper function's machine code for the arch, with its
               size, instead of writing the .mpy (ferropy's own option)

Target specific options:
-msmall-int-bits=number : set the maximum bits used to encode a small-int
-march=<arch> : set architecture for native emitter;
                x86, x64, armv6, armv6m, armv7m, armv7em, armv7emsp,
                armv7emdp, xtensa, xtensawin, rv32imc, rv64imc, host, debug,
                or a target triple (e.g. thumbv7em-none-eabihf)
-march-flags=<flags> : set architecture-specific flags (can be either a dec/hex/bin value or a comma-separated flags string)
                       supported flags for rv32imc: zba, zcmp

Implementation specific options:
  emit={{bytecode,native,viper}} -- set the default code emitter
  heapsize=<n> -- set the heap size for the GC (accepted; not needed by ferropy)
  source-lines    -- include source line numbers (default)
  no-source-lines -- exclude source line numbers
"
    )
}

/// The native emitter factory for `arch`, when ferropy has one (x86-64, the
/// ARM Thumb architectures and Xtensa); for the others native and viper code (from `-X
/// emit=` or decorators) is refused with an error naming the architecture.
/// This is where native back ends plug in.
pub fn native_factory(arch: Arch) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
    use ferropy_emit_native::Factory;
    use ferropy_emit_thumb as thumb;
    match arch {
        Arch::X64 => Some(ferropy_emit_x64::emitters(None)),
        Arch::Armv6m => Some(Arc::new(Factory::<thumb::Armv6mAsm>::new())),
        Arch::Armv7m => Some(Arc::new(Factory::<thumb::Armv7mAsm>::new())),
        Arch::Armv7em => Some(Arc::new(Factory::<thumb::Armv7emAsm>::new())),
        Arch::Armv7emsp => Some(Arc::new(Factory::<thumb::Armv7emspAsm>::new())),
        Arch::Armv7emdp => Some(Arc::new(Factory::<thumb::Armv7emdpAsm>::new())),
        Arch::Xtensa => Some(Arc::new(Factory::<ferropy_emit_xtensa::XtensaCall0Asm>::new())),
        Arch::Xtensawin => Some(Arc::new(Factory::<ferropy_emit_xtensa::XtensaWinAsm>::new())),
        _ => None,
    }
}

/// What went wrong while compiling; each prints its own message.
#[derive(Debug)]
pub enum CrossError {
    /// A compile error, already formatted as a traceback.
    Compile(String),
    /// A file could not be read or written.
    Io {
        /// The OS error number (0 when unknown).
        errno: i32,
        /// The file name.
        path: String,
    },
    /// Any other fatal problem, as a one-line message.
    Fatal(String),
}

impl CrossError {
    /// The text printed on standard error (ending with a newline).
    pub fn message(&self) -> String {
        match self {
            CrossError::Compile(traceback) => traceback.clone(),
            CrossError::Io { errno, path } => {
                format!("OSError: ({errno}, {})\n", output::python_str_repr(&format!("can't open {path}")))
            }
            CrossError::Fatal(text) => format!("{text}\n"),
        }
    }
}

/// True when `code` or one of its descendants is machine code.
fn has_native_code(code: &RawCode) -> bool {
    code.kind != CodeKind::Bytecode || code.children.iter().any(has_native_code)
}

/// The compile options the arguments ask for.
fn compile_options(args: &CrossArgs) -> Result<CompileOptions, CrossError> {
    let native = args.arch.and_then(native_factory);
    let emitter = match args.emit {
        Emit::Bytecode => EmitterKind::Bytecode,
        Emit::Native => EmitterKind::Native,
        Emit::Viper => EmitterKind::Viper,
    };
    if emitter != EmitterKind::Bytecode && native.is_none() {
        let arch = args.arch.map_or("?", Arch::name);
        return Err(CrossError::Fatal(format!(
            "the native emitter for arch '{arch}' is not available in ferropy yet (only -X emit=bytecode works)"
        )));
    }
    Ok(CompileOptions {
        opt_level: args.opt_level,
        emitter,
        small_int_bits: args.small_int_bits,
        source_lines: args.source_lines,
        native,
    })
}

/// Compiles `source` the way mpy-cross does: the whole file is parsed first (so
/// parse errors win), then compiled.
pub fn compile_source(source: &[u8], source_name: &str, args: &CrossArgs) -> Result<CompiledModule, CrossError> {
    let options = compile_options(args)?;
    let parse_error = |e| CrossError::Compile(traceback::format_compile_error(&e, source_name));
    let text = ferropy_frontend::lexer::decode_source(source).map_err(parse_error)?;
    let tree = ferropy_frontend::parser::parse_module(text).map_err(parse_error)?;
    ferropy_frontend::compile_module_ast(&tree, source_name, InputKind::File, &options).map_err(|mut e| {
        if e.msg == "invalid arch" {
            if let Some(arch) = args.arch {
                e.msg = format!("invalid arch (ferropy has no native emitter for '{}' yet)", arch.name());
            }
        }
        // (An error before any scope, such as the arch's, is the module's.)
        CrossError::Compile(traceback::format_compile_error(&e.in_scope("<module>"), source_name))
    })
}

/// The `.mpy` bytes of `module`: the header says the architecture only when the
/// module holds machine code, and carries the arch flags whenever they are non-zero.
pub fn mpy_bytes(module: CompiledModule, args: &CrossArgs) -> Vec<u8> {
    let native = has_native_code(&module.root);
    let mut module = module;
    if native {
        // `.mpy` viper raw codes have no prelude; ferropy's viper code carries
        // one, so it is stored as native code (the runtime runs both alike).
        viper_as_native(&mut module.root);
    }
    let header = MpyHeader {
        arch: match (native, args.arch) {
            (true, Some(arch)) => arch.mpy_code(),
            _ => ferropy_bytecode::mpy::arch::NONE,
        },
        sub_version: if native { MPY_SUB_VERSION } else { 0 },
        // ferropy's machine code is marked so that MicroPython refuses it (and
        // ferropy refuses MicroPython's).
        arch_flags: if native {
            Some(ferropy_bytecode::native_abi::MPY_ARCH_FLAGS)
        } else {
            (args.arch_flags != 0).then_some(args.arch_flags)
        },
        small_int_bits: args.small_int_bits,
    };
    let mut out = Vec::new();
    write_mpy_file(&MpyFile { header, module, native_extras: Vec::new() }, &mut out);
    out
}

fn viper_as_native(code: &mut ferropy_bytecode::RawCode) {
    if code.kind == ferropy_bytecode::CodeKind::Viper {
        code.kind = ferropy_bytecode::CodeKind::Native;
    }
    code.children.iter_mut().for_each(viper_as_native);
}

/// The default output name: the input with `.py` replaced by `.mpy` (or `.mpy` added).
pub fn default_output(input: &str) -> String {
    match input.strip_suffix(".py") {
        Some(stem) => format!("{stem}.mpy"),
        None => format!("{input}.mpy"),
    }
}

/// Runs one compilation as the arguments say.
pub fn run(args: &CrossArgs) -> Result<(), CrossError> {
    let io_error =
        |e: std::io::Error, path: &str| CrossError::Io { errno: e.raw_os_error().unwrap_or(0), path: path.into() };
    let from_stdin = args.input == "-";
    let source = if from_stdin {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| io_error(e, "<stdin>"))?;
        bytes
    } else {
        std::fs::read(&args.input).map_err(|e| io_error(e, &args.input))?
    };
    let default_name = if from_stdin { "<stdin>" } else { args.input.as_str() };
    let source_name = args.source_name.as_deref().unwrap_or(default_name);
    let module = compile_source(&source, source_name, args)?;
    if args.dis || args.dis_native {
        return print_listings(&module, args);
    }
    let bytes = mpy_bytes(module, args);
    let to_stdout = match &args.output {
        Some(out) => out == "-",
        None => from_stdin,
    };
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&bytes).and_then(|()| stdout.flush()).map_err(|e| io_error(e, "<stdout>"))
    } else {
        let path = args.output.clone().unwrap_or_else(|| default_output(&args.input));
        output::write_atomically(std::path::Path::new(&path), &bytes).map_err(|e| io_error(e, &path))
    }
}

/// `--dis` / `--dis-native`: prints the listings of `module` on standard output.
fn print_listings(module: &CompiledModule, args: &CrossArgs) -> Result<(), CrossError> {
    let mut text = String::new();
    if args.dis && ferropy_bytecode::disasm::disassemble_module(module, &mut text).is_err() {
        return Err(CrossError::Fatal("disassembly failed".into()));
    }
    if args.dis_native {
        text.push_str(&listing::native_listing_for(module, args.arch.unwrap_or(Arch::X64)));
    }
    // A closed pipe (e.g. `| head`) is not an error worth reporting.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// Runs the command with the arguments after the program name; returns the exit status.
pub fn main(program: &str, argv: &[String]) -> i32 {
    match args::parse(argv) {
        Parsed::Usage => {
            print!("{}", usage_text(program));
            1
        }
        Parsed::Version => {
            println!("{}", version_banner());
            0
        }
        Parsed::Fatal(message) => {
            eprintln!("{message}");
            1
        }
        Parsed::Compile(args) => match run(&args) {
            Ok(()) => 0,
            Err(e) => {
                eprint!("{}", e.message());
                1
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args_for(extra: &[&str]) -> CrossArgs {
        let mut argv: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        argv.push("t.py".into());
        match args::parse(&argv) {
            Parsed::Compile(a) => a,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn default_output_names() {
        assert_eq!(default_output("a/b.py"), "a/b.mpy");
        assert_eq!(default_output("noext"), "noext.mpy");
    }

    #[test]
    fn header_fields_follow_the_options() {
        let module = compile_source(b"print(1)\n", "t.py", &args_for(&["-msmall-int-bits=63"])).unwrap();
        let bytes = mpy_bytes(module, &args_for(&["-msmall-int-bits=63", "-march=x64"]));
        // Bytecode only: no arch in the header even with -march.
        assert_eq!(&bytes[..4], b"M\x06\x00\x3f");
        let module = compile_source(b"x = 1\n", "t.py", &args_for(&[])).unwrap();
        let bytes = mpy_bytes(module, &args_for(&["-march=rv32imc", "-march-flags=zba"]));
        assert_eq!(&bytes[..5], b"M\x06\x40\x1f\x01");
    }

    #[test]
    fn compile_errors_are_tracebacks() {
        let err = compile_source(b"x = (\n", "bad.py", &args_for(&[])).unwrap_err();
        assert_eq!(
            err.message(),
            "Traceback (most recent call last):\n  File \"bad.py\", line 2\nSyntaxError: invalid syntax\n"
        );
        let err = compile_source(b"def f():\n    nonlocal q\n", "e.py", &args_for(&[])).unwrap_err();
        assert_eq!(
            err.message(),
            "Traceback (most recent call last):\n  File \"e.py\", line 2, in f\nSyntaxError: no binding for nonlocal found\n"
        );
    }

    #[test]
    fn native_code_is_refused_with_the_arch_named() {
        let err = compile_options(&args_for(&["-march=rv32imc", "-X", "emit=native"])).unwrap_err();
        assert!(err.message().contains("'rv32imc'"), "{}", err.message());
        let src = b"@micropython.native\ndef f():\n    pass\n";
        let err = compile_source(src, "n.py", &args_for(&[])).unwrap_err();
        assert!(err.message().ends_with("SyntaxError: invalid arch\n"), "{}", err.message());
        let err = compile_source(src, "n.py", &args_for(&["-march=rv32imc"])).unwrap_err();
        assert!(err.message().contains("no native emitter for 'rv32imc'"), "{}", err.message());
        let mpy = compile_source(src, "n.py", &args_for(&["-march=x64"])).expect("x64 native code");
        let f = mpy.root.children.first().expect("f");
        assert_eq!(f.kind, ferropy_bytecode::code::CodeKind::Native);
        assert!(f.prelude_offset > 0 && f.prelude_offset < f.code.len());
    }

    #[test]
    fn io_errors_like_mpy_cross() {
        let e = CrossError::Io { errno: 2, path: "missing.py".into() };
        assert_eq!(e.message(), "OSError: (2, \"can't open missing.py\")\n");
    }
}
