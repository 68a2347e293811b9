//! Command-line arguments, parsed the way MicroPython's unix port parses them.
//!
//! Options are read until the first `-c`, `-m` or non-option argument; everything
//! after that belongs to the program (`sys.argv`).

use std::fmt;

/// Which code emitter compiles functions by default (`-X emit=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// `-X emit=bytecode` (the default)
    Bytecode,
    /// `-X emit=native`
    Native,
    /// `-X emit=viper`
    Viper,
    /// `-X emit=viper-opt`: viper, compiled by the optimizing tier (feature `cranelift`)
    ViperOpt,
}

/// What the command was asked to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `-c CMD`
    Command(String),
    /// `-m MODULE`
    Module(String),
    /// A script file.
    File(String),
    /// Nothing given: the REPL (or standard input when it is not a terminal).
    Repl,
}

/// Everything the command line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    /// `-O[N]` / `-OO..`: the optimisation level.
    pub opt_level: u8,
    /// `-X emit=...`.
    pub emit: Emit,
    /// `-X heapsize=N[w][k|m]` in bytes, if given.
    pub heap_size: Option<usize>,
    /// `-X tier-up=N`: calls after which a viper function is recompiled by the
    /// optimizing tier (0: never), if given.
    pub tier_up_calls: Option<u32>,
    /// `-i`: enter the REPL after running.
    pub inspect: bool,
    /// `-v` count.
    pub verbose: u32,
    /// `-X compile-only`: parse and compile, run nothing.
    pub compile_only: bool,
    /// `--dis`: print the disassembly of every code object instead of running.
    pub dis: bool,
    /// `--serve tcp:HOST:PORT`: serve the REPL on a stream (board-like: Ctrl-D soft-resets).
    pub serve: Option<String>,
    /// `--root DIR`: the served VM's file system root (default: the current directory).
    pub root: Option<String>,
    /// What to run.
    pub target: Target,
    /// Arguments after the target (become `sys.argv[1:]`).
    pub rest: Vec<String>,
}

/// What the command should do besides running code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Run (or compile/disassemble) with these arguments.
    Run(Args),
    /// `-h` / `--help`.
    Help,
    /// `--version`.
    Version,
}

/// A command-line error, printed as `ferropy: <message>` with exit status 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses the heap size syntax of `-X heapsize=`: a number, optional `w` (scale by
/// the word size relative to 32-bit), optional `k`/`K` or `m`/`M`.
pub fn parse_heap_size(text: &str) -> Result<usize, ArgError> {
    let bad = || ArgError(format!("invalid heap size: {text}"));
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, mut suffix) = text.split_at(digits_end);
    let mut size: usize = digits.parse().map_err(|_| bad())?;
    if let Some(rest) = suffix.strip_prefix('w') {
        size = size.checked_mul(std::mem::size_of::<usize>() / 4).ok_or_else(bad)?;
        suffix = rest;
    }
    let scale = match suffix {
        "" => 1,
        "k" | "K" => 1024,
        "m" | "M" => 1024 * 1024,
        _ => return Err(bad()),
    };
    let size = size.checked_mul(scale).ok_or_else(bad)?;
    if size < 700 {
        return Err(ArgError(format!("heap size too small: {text} (minimum 700 bytes)")));
    }
    Ok(size)
}

fn parse_impl_option(arg: &str, args: &mut Args) -> Result<(), ArgError> {
    if arg == "compile-only" {
        args.compile_only = true;
    } else if let Some(e) = arg.strip_prefix("emit=") {
        args.emit = match e {
            "bytecode" => Emit::Bytecode,
            "native" => Emit::Native,
            "viper" => Emit::Viper,
            "viper-opt" if cfg!(feature = "cranelift") => Emit::ViperOpt,
            "viper-opt" => {
                return Err(ArgError(String::from(
                    "invalid emitter: viper-opt (ferropy was built without the cranelift feature)",
                )))
            }
            _ => return Err(ArgError(format!("invalid emitter: {e} (expected bytecode, native, viper or viper-opt)"))),
        };
    } else if let Some(h) = arg.strip_prefix("heapsize=") {
        args.heap_size = Some(parse_heap_size(h)?);
    } else if let Some(n) = arg.strip_prefix("tier-up=") {
        let calls = n.parse::<u32>().map_err(|_| ArgError(format!("invalid tier-up call count: {n}")))?;
        args.tier_up_calls = Some(calls);
    } else if arg == "realtime" {
        // macOS-only option in MicroPython; accepted and ignored here.
    } else {
        return Err(ArgError(format!("invalid implementation option: -X {arg}")));
    }
    Ok(())
}

/// Parses the arguments after the program name.
pub fn parse(argv: &[String]) -> Result<Parsed, ArgError> {
    let mut args = Args {
        opt_level: 0,
        emit: Emit::Bytecode,
        heap_size: None,
        tier_up_calls: None,
        inspect: false,
        verbose: 0,
        compile_only: false,
        dis: false,
        serve: None,
        root: None,
        target: Target::Repl,
        rest: Vec::new(),
    };
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        i += 1;
        match arg {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--version" => return Ok(Parsed::Version),
            "--dis" => args.dis = true,
            // The x86-64 disassembler (iced-x86, about 140 KB) stays out of the command.
            "--dis-native" => {
                return Err(ArgError(
                    "--dis-native is an option of ferropy-cross (e.g. ferropy-cross -march=x64 --dis-native FILE.py lists x86-64 code)"
                        .into(),
                ))
            }
            _ if arg.starts_with("-march=") => {
                return Err(ArgError(
                    "-march= is an option of ferropy-cross (e.g. ferropy-cross -march=armv7m --dis-native FILE.py)"
                        .into(),
                ))
            }
            "-i" => args.inspect = true,
            "-v" => args.verbose += 1,
            "--serve" | "--root" => {
                let value = argv.get(i).ok_or_else(|| ArgError(format!("option {arg} needs an argument")))?;
                i += 1;
                if arg == "--serve" {
                    args.serve = Some(value.clone());
                } else {
                    args.root = Some(value.clone());
                }
            }
            "-c" | "-m" => {
                let value = argv.get(i).ok_or_else(|| ArgError(format!("option {arg} needs an argument")))?;
                i += 1;
                args.target = if arg == "-c" { Target::Command(value.clone()) } else { Target::Module(value.clone()) };
                break;
            }
            "-X" => {
                let value = argv.get(i).ok_or_else(|| ArgError("option -X needs an argument".into()))?;
                i += 1;
                parse_impl_option(value, &mut args)?;
            }
            "--" => {
                if let Some(file) = argv.get(i) {
                    args.target = Target::File(file.clone());
                    i += 1;
                }
                break;
            }
            _ if arg.starts_with("-O") => {
                let level = &arg[2..];
                args.opt_level = if level.chars().all(|c| c == 'O') {
                    (level.len() + 1).min(255) as u8
                } else {
                    level.parse().map_err(|_| ArgError(format!("invalid optimisation level: {arg}")))?
                };
            }
            _ if arg.starts_with("-X") && arg.len() > 2 => parse_impl_option(&arg[2..], &mut args)?,
            _ if arg.starts_with('-') && arg.len() > 1 => {
                return Err(ArgError(format!("invalid option: {arg}")));
            }
            _ => {
                args.target = Target::File(arg.to_string());
                break;
            }
        }
    }
    args.rest = argv[i..].to_vec();
    Ok(Parsed::Run(args))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Args {
        let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse(&argv) {
            Ok(Parsed::Run(a)) => a,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn script_and_its_arguments() {
        let a = run(&["-X", "emit=native", "t.py", "-c", "x"]);
        assert_eq!(a.emit, Emit::Native);
        assert_eq!(a.target, Target::File("t.py".into()));
        assert_eq!(a.rest, vec!["-c".to_string(), "x".to_string()]);
    }

    #[test]
    fn command_module_and_flags() {
        let a = run(&["-O2", "-i", "-v", "-c", "print(1)", "a"]);
        assert_eq!((a.opt_level, a.inspect, a.verbose), (2, true, 1));
        assert_eq!(a.target, Target::Command("print(1)".into()));
        assert_eq!(a.rest, vec!["a".to_string()]);
        assert_eq!(run(&["-OO", "-m", "mod"]).opt_level, 2);
        assert_eq!(run(&["-OOO"]).opt_level, 3);
        assert_eq!(run(&["-O"]).opt_level, 1);
        assert_eq!(run(&["-m", "mod"]).target, Target::Module("mod".into()));
        assert_eq!(run(&[]).target, Target::Repl);
        assert!(run(&["--dis", "f.py"]).dis);
        assert!(run(&["-X", "compile-only", "f.py"]).compile_only);
        assert_eq!(run(&["-X", "tier-up=50", "f.py"]).tier_up_calls, Some(50));
        assert_eq!(run(&["-X", "tier-up=0", "f.py"]).tier_up_calls, Some(0));
        let s = run(&["--serve", "tcp:127.0.0.1:0", "--root", "/tmp"]);
        assert_eq!((s.serve.as_deref(), s.root.as_deref()), (Some("tcp:127.0.0.1:0"), Some("/tmp")));
    }

    #[test]
    fn heap_sizes() {
        assert_eq!(parse_heap_size("2048"), Ok(2048));
        assert_eq!(parse_heap_size("64k"), Ok(65536));
        assert_eq!(parse_heap_size("1M"), Ok(1 << 20));
        assert_eq!(parse_heap_size("1wk"), Ok(1024 * (std::mem::size_of::<usize>() / 4)));
        assert!(parse_heap_size("10").is_err());
        assert!(parse_heap_size("12q").is_err());
        assert!(parse_heap_size("99999999999999999999999m").is_err());
    }

    #[test]
    fn errors() {
        let bad = |a: &[&str]| parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).is_err();
        assert!(bad(&["-c"]));
        assert!(bad(&["-X", "emit=jit"]));
        assert!(bad(&["-X", "bogus"]));
        assert!(bad(&["-X", "tier-up=many"]));
        assert!(bad(&["-X", "tier-up=-1"]));
        assert!(bad(&["-Q"]));
        assert!(bad(&["-Ox"]));
        assert!(bad(&["--serve"]));
        assert!(bad(&["--root"]));
    }

    #[test]
    fn viper_opt_needs_the_cranelift_feature() {
        let args = ["-X", "emit=viper-opt", "t.py"].iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let with_feature = cfg!(feature = "cranelift");
        match parse(&args) {
            Ok(Parsed::Run(a)) => {
                assert!(with_feature, "viper-opt accepted without the cranelift feature");
                assert_eq!(a.emit, Emit::ViperOpt);
            }
            Err(e) => {
                assert!(!with_feature, "viper-opt refused with the cranelift feature: {e}");
                assert!(e.to_string().contains("cranelift"), "{e}");
            }
            Ok(_) => panic!("not a run"),
        }
    }
}
