//! The firmware's command line (QEMU `-append`), parsed like the `ferropy`
//! command's: `[-X heapsize=N] [-X emit=native|viper|bytecode] [-X ctrld=exit] [SCRIPT [ARGS...]]`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use ferropy_frontend::EmitterKind;

/// Default GC arena size in bytes.
pub const DEFAULT_HEAP_BYTES: usize = 512 * 1024;

/// The parsed command line.
#[derive(Clone, Debug)]
pub struct Args {
    /// GC arena bytes.
    pub heap_bytes: usize,
    /// Default emitter for run-time compilation.
    pub emitter: Option<EmitterKind>,
    /// The script to run (a host path), or `None` for the REPL.
    pub script: Option<String>,
    /// Arguments after the script (`sys.argv[1:]`).
    pub argv: Vec<String>,
    /// Ctrl-D on an empty REPL line ends the emulation instead of soft-resetting.
    pub ctrl_d_exits: bool,
}

impl Args {
    /// Parses `line`, whose first word is the kernel's file name (QEMU puts it there).
    pub fn parse(line: &str) -> Result<Args, String> {
        let mut words = line.split_ascii_whitespace().skip(1);
        let mut args =
            Args { heap_bytes: DEFAULT_HEAP_BYTES, emitter: None, script: None, argv: Vec::new(), ctrl_d_exits: false };
        while let Some(word) = words.next() {
            if word != "-X" {
                args.script = Some(word.to_string());
                args.argv = words.map(|w| w.to_string()).collect();
                break;
            }
            let option = words.next().ok_or("-X needs an option")?;
            if let Some(size) = option.strip_prefix("heapsize=") {
                args.heap_bytes = parse_size(size).ok_or_else(|| alloc::format!("bad heap size: {size}"))?;
            } else if let Some(kind) = option.strip_prefix("emit=") {
                args.emitter = match kind {
                    "bytecode" => Some(EmitterKind::Bytecode),
                    "native" => Some(EmitterKind::Native),
                    "viper" => Some(EmitterKind::Viper),
                    _ => return Err(alloc::format!("unknown emitter: {kind}")),
                };
            } else if option == "ctrld=exit" {
                args.ctrl_d_exits = true;
            } else {
                return Err(alloc::format!("unknown option: -X {option}"));
            }
        }
        Ok(args)
    }
}

/// `N`, `Nk` or `Nm` bytes.
fn parse_size(text: &str) -> Option<usize> {
    let (digits, unit) = match text.as_bytes().last()? {
        b'k' | b'K' => (&text[..text.len() - 1], 1024),
        b'm' | b'M' => (&text[..text.len() - 1], 1024 * 1024),
        _ => (text, 1),
    };
    digits.parse::<usize>().ok()?.checked_mul(unit)
}
