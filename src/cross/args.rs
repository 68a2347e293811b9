//! `ferropy-cross` command-line arguments, parsed the way MicroPython's `mpy-cross` parses them.
//!
//! `-X` implementation options are checked first over the whole command line (an
//! unknown one prints the usage text); then every other argument is read in order,
//! options until `--`, the single non-option argument being the input file.

use super::arch::{parse_arch, parse_arch_flags, Arch};

/// Which emitter compiles functions that have no decorator (`-X emit=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// `-X emit=bytecode` (the default)
    Bytecode,
    /// `-X emit=native`
    Native,
    /// `-X emit=viper`
    Viper,
}

/// Everything the command line of `ferropy-cross` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossArgs {
    /// The input file (`-` is standard input).
    pub input: String,
    /// `-o`: where to write the `.mpy` (`-` is standard output).
    pub output: Option<String>,
    /// `-s`: the source name stored in the file (qstr 0).
    pub source_name: Option<String>,
    /// `-v` count (accepted; like mpy-cross it changes nothing yet).
    pub verbose: u32,
    /// `-O[N]` / `-OO..`: optimisation level.
    pub opt_level: u8,
    /// `-march=`: the native architecture, if any.
    pub arch: Option<Arch>,
    /// `-march-flags=`: architecture flags (only meaningful for rv32imc).
    pub arch_flags: u64,
    /// `-msmall-int-bits=`: header byte 3 and the compiler's small-int range.
    pub small_int_bits: u8,
    /// `-X emit=`.
    pub emit: Emit,
    /// `-X heapsize=` in bytes, if given (accepted; the compiler needs no fixed heap).
    pub heap_size: Option<i64>,
    /// `-X source-lines` / `-X no-source-lines`.
    pub source_lines: bool,
    /// `--dis` (ferropy's own option): print the bytecode disassembly instead
    /// of writing the `.mpy`.
    pub dis: bool,
    /// `--dis-native` (ferropy's own option): print each native/viper
    /// function's machine code for the architecture instead of writing the `.mpy`.
    pub dis_native: bool,
}

/// What the command should do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Compile with these arguments.
    Compile(CrossArgs),
    /// Print the usage text and exit with status 1 (`-h`, bad options).
    Usage,
    /// `--version`.
    Version,
    /// A fatal problem: print the message on standard error and exit with status 1.
    Fatal(String),
}

/// Parses an integer the way C's `strtol(text, &end, 0)` does, requiring that the
/// whole text is used: optional sign, then `0x`/`0X` hex, leading-`0` octal or decimal.
/// An empty text is 0 (as `strtol` consumes nothing and leaves nothing behind).
pub fn parse_c_integer(text: &str) -> Option<i64> {
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if trimmed.is_empty() {
        return if text.is_empty() { Some(0) } else { None };
    }
    let (negative, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let (radix, digits) = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, hex)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// Parses the value of `-X heapsize=`: a C integer prefix, then optional `w`, then `k`/`m`.
/// Like mpy-cross, trailing text after the recognised parts is ignored.
fn parse_heap_size(text: &str) -> i64 {
    // The longest prefix that is a whole C integer (strtol stops where the number ends).
    let number_end = (0..=text.len())
        .rev()
        .find(|&end| text.is_char_boundary(end) && end > 0 && parse_c_integer(&text[..end]).is_some())
        .unwrap_or(0);
    let (number, mut suffix) = text.split_at(number_end);
    let mut size = parse_c_integer(number).unwrap_or(0);
    let word_adjust = suffix.starts_with(['w', 'W']);
    if word_adjust {
        suffix = &suffix[1..];
    }
    if suffix.starts_with(['k', 'K']) {
        size = size.saturating_mul(1024);
    } else if suffix.starts_with(['m', 'M']) {
        size = size.saturating_mul(1024 * 1024);
    }
    if word_adjust {
        size = size.saturating_mul(core::mem::size_of::<usize>() as i64) / 4;
    }
    size
}

/// Applies one `-X` option; `false` when it is not one mpy-cross knows.
fn apply_impl_option(option: &str, args: &mut CrossArgs) -> bool {
    match option {
        "emit=bytecode" => args.emit = Emit::Bytecode,
        "emit=native" => args.emit = Emit::Native,
        "emit=viper" => args.emit = Emit::Viper,
        "source-lines" => args.source_lines = true,
        "no-source-lines" => args.source_lines = false,
        _ => match option.strip_prefix("heapsize=") {
            Some(size) => args.heap_size = Some(parse_heap_size(size)),
            None => return false,
        },
    }
    true
}

/// The optimisation level of a `-O...` argument: `-O<digit>` takes the digit's low
/// four bits, otherwise the number of leading `O`s.
fn opt_level(arg: &str) -> u8 {
    let rest = &arg[2..];
    match rest.as_bytes().first() {
        Some(d) if d.is_ascii_digit() => d & 0x0F,
        _ => (1 + rest.bytes().take_while(|&b| b == b'O').count()).min(255) as u8,
    }
}

/// mpy-cross turns backslashes in file names into forward slashes.
fn forward_slashes(path: &str) -> String {
    path.replace('\\', "/")
}

/// Parses the arguments after the program name.
pub fn parse(argv: &[String]) -> Parsed {
    let mut args = CrossArgs {
        input: String::new(),
        output: None,
        source_name: None,
        verbose: 0,
        opt_level: 0,
        arch: None,
        arch_flags: 0,
        small_int_bits: ferropy_bytecode::mpy::DEFAULT_SMALL_INT_BITS,
        emit: Emit::Bytecode,
        heap_size: None,
        source_lines: true,
        dis: false,
        dis_native: false,
    };
    // First pass: `-X` options, wherever they are.
    let mut i = 0;
    while i < argv.len() {
        if argv[i] == "-X" {
            match argv.get(i + 1) {
                Some(option) if apply_impl_option(option, &mut args) => i += 1,
                _ => return Parsed::Usage,
            }
        }
        i += 1;
    }
    let mut input: Option<String> = None;
    let mut arch_flags_text: Option<&str> = None;
    let mut options_active = true;
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        i += 1;
        if options_active && arg.starts_with('-') && arg.len() > 1 {
            match arg {
                "-X" => i += 1,
                "--version" => return Parsed::Version,
                "-h" | "--help" => return Parsed::Usage,
                "-v" => args.verbose += 1,
                "--dis" => args.dis = true,
                "--dis-native" => args.dis_native = true,
                "--" => options_active = false,
                "-o" | "-s" => {
                    let Some(value) = argv.get(i) else { return Parsed::Usage };
                    i += 1;
                    if arg == "-o" {
                        args.output = Some(value.clone());
                    } else {
                        args.source_name = Some(forward_slashes(value));
                    }
                }
                _ if arg.starts_with("-O") => args.opt_level = opt_level(arg),
                _ => {
                    if let Some(bits) = arg.strip_prefix("-msmall-int-bits=") {
                        match parse_c_integer(bits) {
                            Some(n) if (2..=64).contains(&n) => args.small_int_bits = n as u8,
                            Some(_) => {
                                return Parsed::Fatal(format!("small-int bits must be between 2 and 64: {bits}"));
                            }
                            None => return Parsed::Usage,
                        }
                    } else if let Some(flags) = arg.strip_prefix("-march-flags=") {
                        arch_flags_text = Some(flags);
                    } else if let Some(name) = arg.strip_prefix("-march=") {
                        match parse_arch(name) {
                            Ok(arch) => args.arch = Some(arch),
                            Err(None) => return Parsed::Usage,
                            Err(Some(message)) => return Parsed::Fatal(message),
                        }
                    } else {
                        return Parsed::Usage;
                    }
                }
            }
        } else {
            if input.is_some() {
                return Parsed::Fatal("multiple input files".into());
            }
            input = Some(forward_slashes(arg));
        }
    }
    if let (Some(text), Some(arch)) = (arch_flags_text, args.arch) {
        match parse_arch_flags(arch, text) {
            Some(flags) => args.arch_flags = flags,
            None => return Parsed::Fatal("unrecognised arch flags".into()),
        }
    }
    if args.emit != Emit::Bytecode && args.arch.is_none() {
        return Parsed::Fatal("arch not specified".into());
    }
    match input {
        Some(file) => {
            args.input = file;
            Parsed::Compile(args)
        }
        None => Parsed::Fatal("no input file".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Parsed {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn compile(args: &[&str]) -> CrossArgs {
        match parse_strs(args) {
            Parsed::Compile(a) => a,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let a = compile(&["t.py"]);
        assert_eq!(a.input, "t.py");
        assert_eq!((a.output, a.source_name, a.arch), (None, None, None));
        assert_eq!((a.opt_level, a.small_int_bits, a.emit, a.source_lines), (0, 31, Emit::Bytecode, true));
    }

    #[test]
    fn all_options() {
        let a = compile(&[
            "-v",
            "-o",
            "out.mpy",
            "-s",
            "dir\\name.py",
            "-O2",
            "-msmall-int-bits=0x3f",
            "-march=rv32imc",
            "-march-flags=zba,zcmp",
            "-X",
            "emit=viper",
            "-X",
            "no-source-lines",
            "-X",
            "heapsize=2wk",
            "--",
            "-weird.py",
        ]);
        assert_eq!(a.input, "-weird.py");
        assert_eq!(a.output.as_deref(), Some("out.mpy"));
        assert_eq!(a.source_name.as_deref(), Some("dir/name.py"));
        assert_eq!((a.verbose, a.opt_level, a.small_int_bits), (1, 2, 63));
        assert_eq!(a.arch, Some(Arch::Rv32imc));
        assert_eq!(a.arch_flags, 3);
        assert_eq!(a.emit, Emit::Viper);
        assert!(!a.source_lines);
        assert_eq!(a.heap_size, Some(2 * 1024 * core::mem::size_of::<usize>() as i64 / 4));
    }

    #[test]
    fn optimisation_levels_like_mpy_cross() {
        assert_eq!(compile(&["-O", "f.py"]).opt_level, 1);
        assert_eq!(compile(&["-OO", "f.py"]).opt_level, 2);
        assert_eq!(compile(&["-OOOx", "f.py"]).opt_level, 3);
        assert_eq!(compile(&["-O3", "f.py"]).opt_level, 3);
        assert_eq!(compile(&["-O9", "f.py"]).opt_level, 9);
    }

    #[test]
    fn errors_and_usage() {
        assert_eq!(parse_strs(&[]), Parsed::Fatal("no input file".into()));
        assert_eq!(parse_strs(&["a.py", "b.py"]), Parsed::Fatal("multiple input files".into()));
        assert_eq!(parse_strs(&["-X", "emit=native", "a.py"]), Parsed::Fatal("arch not specified".into()));
        assert!(matches!(parse_strs(&["-X", "emit=native", "-march=x64", "a.py"]), Parsed::Compile(_)));
        assert_eq!(parse_strs(&["-X", "bogus", "a.py"]), Parsed::Usage);
        assert_eq!(parse_strs(&["a.py", "-X"]), Parsed::Usage);
        assert_eq!(parse_strs(&["-Q", "a.py"]), Parsed::Usage);
        assert_eq!(parse_strs(&["a.py", "-o"]), Parsed::Usage);
        assert_eq!(parse_strs(&["-march=z80", "a.py"]), Parsed::Usage);
        assert_eq!(parse_strs(&["-msmall-int-bits=3x", "a.py"]), Parsed::Usage);
        assert!(matches!(parse_strs(&["-msmall-int-bits=200", "a.py"]), Parsed::Fatal(_)));
        assert_eq!(
            parse_strs(&["-march=x64", "-march-flags=zba", "a.py"]),
            Parsed::Fatal("unrecognised arch flags".into())
        );
        // Flags without an arch are ignored, as by mpy-cross.
        assert_eq!(compile(&["-march-flags=zba", "a.py"]).arch_flags, 0);
        assert_eq!(parse_strs(&["--version", "a.py"]), Parsed::Version);
        assert_eq!(parse_strs(&["-h"]), Parsed::Usage);
        // A lone `-` is the standard input.
        assert_eq!(compile(&["-"]).input, "-");
    }

    #[test]
    fn c_integers() {
        assert_eq!(parse_c_integer("31"), Some(31));
        assert_eq!(parse_c_integer("0x1F"), Some(31));
        assert_eq!(parse_c_integer("037"), Some(31));
        assert_eq!(parse_c_integer("-5"), Some(-5));
        assert_eq!(parse_c_integer(""), Some(0));
        assert_eq!(parse_c_integer("08"), None);
        assert_eq!(parse_c_integer("0x"), None);
        assert_eq!(parse_c_integer("12a"), None);
        assert_eq!(parse_c_integer("99999999999999999999999"), None);
    }
}
