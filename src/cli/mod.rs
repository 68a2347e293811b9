//! The `ferropy` command: MicroPython unix-port compatible command line.

pub mod args;
pub mod link;
pub mod pty;
pub mod repl;
pub mod rooted_host;
pub mod serve;
mod sigint;

use std::io::Write;

use ferropy_frontend::{CompileError, CompileOptions, EmitterKind, InputKind};

use args::{Args, Emit, Parsed, Target};

/// Text printed by `--version`.
pub const VERSION_BANNER: &str =
    concat!("ferropy ", env!("CARGO_PKG_VERSION"), "; MicroPython-compatible (bytecode v6)");

const HELP: &str = "usage: ferropy [<opts>] [-X <implopt>] [-c <command> | -m <module> | <filename>] [args...]
Options:
-h, --help : print this help message
--version : print version information
--dis : print the disassembly of every code object instead of running
-i : enter the REPL after running
--serve tcp:HOST:PORT|pty : serve the REPL on a TCP port or a new pseudo-terminal
  as a board serves it on its UART (raw REPL, soft reset), e.g. for
  mpremote connect socket://HOST:PORT (or the /dev/pts/N printed)
--root DIR : the served VM's file system (default: the current directory)
-O[N] : apply bytecode optimisations of level N (-OO.. counts the O's)
-v : verbose
Implementation specific options (-X):
  compile-only                 -- parse and compile only
  emit={bytecode,native,viper,viper-opt} -- set the default code emitter
  heapsize=<n>[w][K|M]         -- set the heap size for the GC (default 2M)
  tier-up=<n>                  -- recompile viper functions called n times with the
                                  optimizing tier (cranelift builds; 0: never; default 1000)
";

/// The command's GC heap when `-X heapsize` is not given.
const DEFAULT_HEAP: usize = 2 * 1024 * 1024;

/// Runs the command with the arguments after the program name; returns the exit status.
pub fn main(argv: &[String]) -> i32 {
    let args = match args::parse(argv) {
        Ok(Parsed::Run(a)) => a,
        Ok(Parsed::Help) => {
            print!("{HELP}");
            return 0;
        }
        Ok(Parsed::Version) => {
            println!("{VERSION_BANNER}");
            return 0;
        }
        Err(e) => {
            eprintln!("ferropy: {e}");
            return 2;
        }
    };
    let emitter = match args.emit {
        Emit::Bytecode => EmitterKind::Bytecode,
        Emit::Native => EmitterKind::Native,
        Emit::Viper | Emit::ViperOpt => EmitterKind::Viper,
    };
    if args.dis || args.compile_only {
        return compile_only(&args, emitter);
    }
    let heap_size = args.heap_size;
    let tier_up_calls = args.tier_up_calls;
    #[cfg(feature = "cranelift")]
    let viper_opt = args.emit == Emit::ViperOpt;
    let make_config = move || {
        let mut config = ferropy_runtime::VmConfig { frozen: crate::FROZEN, ..Default::default() };
        #[cfg(feature = "cranelift")]
        if viper_opt {
            config.native = crate::native_opt::opt_support();
        }
        // 2 MB by default, as the unix port's 64-bit build (its pages are
        // only touched as the heap fills).
        config.heap = ferropy_runtime::vm::HeapChoice::Arena(heap_size.unwrap_or(DEFAULT_HEAP));
        if let Some(calls) = tier_up_calls {
            config.tier_up_calls = calls;
        }
        config
    };
    if let Some(address) = &args.serve {
        let run = crate::run::RunOptions {
            argv: vec![String::new()],
            path: serve::board_path(),
            opt_level: args.opt_level,
            emitter: Some(emitter),
        };
        let root = std::path::PathBuf::from(args.root.as_deref().unwrap_or("."));
        return serve::serve(serve::ServeOptions {
            address: address.clone(),
            root,
            config: Box::new(make_config),
            run,
        });
    }
    let config = make_config();
    let out: ferropy_runtime::vm::OutputSink = Box::new(|b: &[u8]| {
        let _ = std::io::stdout().lock().write_all(b);
    });
    let err: ferropy_runtime::vm::OutputSink = Box::new(|b: &[u8]| {
        let mut out = std::io::stdout().lock();
        let _ = out.flush();
        let _ = std::io::stderr().lock().write_all(b);
    });
    let mut path = vec![String::new()];
    let mut argv = args.rest.clone();
    match &args.target {
        Target::File(file) => {
            let dir = std::path::Path::new(file).parent().map(|p| p.to_path_buf()).unwrap_or_default();
            let dir = if dir.as_os_str().is_empty() { std::path::PathBuf::from(".") } else { dir };
            path[0] = std::fs::canonicalize(&dir).unwrap_or(dir).to_string_lossy().into_owned();
            argv.insert(0, file.clone());
        }
        Target::Command(_) => argv.insert(0, "-c".to_string()),
        Target::Module(name) => argv.insert(0, name.clone()),
        Target::Repl => argv.insert(0, String::new()),
    }
    path.extend(module_search_path().into_iter().skip(1));
    let opts = crate::run::RunOptions { argv, path, opt_level: args.opt_level, emitter: Some(emitter) };
    let Some(mut vm) = crate::run::new_vm(config, out, err, &opts) else { return 1 };
    // Ctrl-C (SIGINT) raises KeyboardInterrupt in the running program, as in
    // MicroPython's unix port (an uncaught one ends it with its traceback).
    sigint::attach(&mut vm);
    sigint::arm(true);
    let result = match &args.target {
        Target::File(file) => match std::fs::read(file) {
            Ok(source) => vm.run_main_source(&source, file, InputKind::File).map(|_| ()),
            Err(e) => {
                let errno = e.raw_os_error().unwrap_or(0);
                eprintln!("ferropy: can't open file '{file}': [Errno {errno}] {}", io_error_text(&e));
                return 2;
            }
        },
        Target::Command(cmd) => vm.run_main_source(cmd.as_bytes(), "<stdin>", InputKind::File).map(|_| ()),
        Target::Module(name) => vm.run_main_module(name),
        Target::Repl => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                return repl::run(vm);
            }
            let mut source = Vec::new();
            if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut source) {
                eprintln!("ferropy: can't read standard input: {e}");
                return 1;
            }
            vm.run_main_source(&source, "<stdin>", InputKind::File).map(|_| ())
        }
    };
    let is_exit = matches!(&result, Err(e) if vm.type_name(e.exception()) == "SystemExit");
    if args.inspect && !is_exit {
        if let Err(e) = result {
            vm.print_exception(e);
        }
        return repl::run(vm);
    }
    crate::run::exit_status(&mut vm, result)
}

/// The emitters for `-X emit=` (the optimizing tier for `viper-opt`).
fn native_emitters(args: &Args) -> Option<std::sync::Arc<dyn ferropy_frontend::NativeEmitterFactory + Send + Sync>> {
    #[cfg(feature = "cranelift")]
    if args.emit == Emit::ViperOpt {
        return crate::native_opt::opt_emitters();
    }
    let _ = args;
    crate::native::host_emitters()
}

/// `--dis` and `-X compile-only`: compile the target, print or discard the code.
fn compile_only(args: &Args, emitter: EmitterKind) -> i32 {
    let (filename, source) = match load_target(args) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let options = CompileOptions {
        opt_level: args.opt_level,
        emitter,
        native: native_emitters(args),
        ..CompileOptions::default()
    };
    let module = match ferropy_frontend::compile_bytes(&source, &filename, InputKind::File, &options) {
        Ok(m) => m,
        Err(e) => {
            report_compile_error(&e, &filename, true);
            return 1;
        }
    };
    if args.dis {
        let mut text = String::new();
        if ferropy_bytecode::disasm::disassemble_module(&module, &mut text).is_err() {
            eprintln!("ferropy: disassembly failed");
            return 1;
        }
        let mut out = std::io::stdout().lock();
        // A closed pipe (e.g. `| head`) is not an error worth reporting.
        let _ = out.write_all(text.as_bytes());
    }
    0
}

/// Reads the source named by the arguments; on failure prints the message and returns the exit status.
fn load_target(args: &Args) -> Result<(String, Vec<u8>), i32> {
    match &args.target {
        Target::Command(cmd) => Ok(("<stdin>".to_string(), cmd.clone().into_bytes())),
        Target::File(path) => match std::fs::read(path) {
            Ok(bytes) => Ok((path.clone(), bytes)),
            Err(e) => {
                let errno = e.raw_os_error().unwrap_or(0);
                eprintln!("ferropy: can't open file '{path}': [Errno {errno}] {}", io_error_text(&e));
                Err(2)
            }
        },
        Target::Module(name) => {
            let rel = name.replace('.', "/");
            for dir in module_search_path() {
                for candidate in [format!("{dir}/{rel}.py"), format!("{dir}/{rel}/__main__.py")] {
                    if let Ok(bytes) = std::fs::read(&candidate) {
                        return Ok((candidate, bytes));
                    }
                }
            }
            eprintln!("ferropy: ImportError: no module named '{name}'");
            Err(1)
        }
        Target::Repl => {
            let mut source = Vec::new();
            if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut source) {
                eprintln!("ferropy: can't read standard input: {e}");
                return Err(1);
            }
            Ok(("<stdin>".to_string(), source))
        }
    }
}

/// `sys.path` as the unix port builds it: the current directory, then `MICROPYPATH`.
fn module_search_path() -> Vec<String> {
    let mut dirs = vec![".".to_string()];
    let home = std::env::var("HOME").unwrap_or_default();
    let path = std::env::var("MICROPYPATH").unwrap_or_else(|_| ".frozen:~/.micropython/lib".to_string());
    for entry in path.split(':').filter(|e| !e.is_empty()) {
        match entry.strip_prefix("~/") {
            Some(rest) => dirs.push(format!("{home}/{rest}")),
            None => dirs.push(entry.to_string()),
        }
    }
    dirs
}

fn io_error_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Prints a compile error: `file:line:col: Kind: message` in compile-only modes,
/// otherwise as MicroPython's traceback.
fn report_compile_error(e: &CompileError, filename: &str, compact: bool) {
    if compact {
        eprintln!("{}", e.display_with_file(filename));
    } else {
        eprintln!("Traceback (most recent call last):");
        eprintln!("  File \"{filename}\", line {}, column {}", e.pos.line, e.pos.col);
        eprintln!("{e}");
    }
}
