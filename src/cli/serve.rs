//! `ferropy --serve tcp:HOST:PORT`: the REPL served on a TCP port the way a
//! board serves it on its UART, so that host tools (`mpremote connect
//! socket://HOST:PORT`, `pyboard.py`) drive it. One client at a time (a new
//! one takes over from the current one); the
//! session (VM, mode) lives on between connections; Ctrl-D soft-resets to a
//! fresh VM; files live under `--root`.

use std::net::TcpListener;
use std::path::PathBuf;

use ferropy_repl::{CtrlD, Repl, ReplConfig, SessionEnd};
use ferropy_runtime::vm::OutputSink;
use ferropy_runtime::{Vm, VmConfig};

use super::link::{Link, LinkConsole};
use super::rooted_host::RootedHost;

/// What the server needs to make VMs.
pub struct ServeOptions {
    /// `tcp:HOST:PORT` (`tcp:` may be left out).
    pub address: String,
    /// The file system root.
    pub root: PathBuf,
    /// The VM configuration (heap, emitter, ...).
    pub config: Box<dyn Fn() -> VmConfig>,
    /// `sys` and compiler settings.
    pub run: crate::run::RunOptions,
}

/// The raw-paste window offered to clients (MicroPython boards use 128; a
/// socket takes far more in flight).
pub const SERVE_WINDOW: u16 = 32 * 1024;

/// The longest input accepted (a paste, a raw REPL command).
pub const SERVE_MAX_INPUT: usize = 64 << 20;

/// Serves until the process is stopped; returns an exit status on a setup error.
pub fn serve(opts: ServeOptions) -> i32 {
    let addr = opts.address.strip_prefix("tcp:").unwrap_or(&opts.address).to_string();
    let listener = match TcpListener::bind(&addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("ferropy: can't serve on {addr}: {e}");
            return 2;
        }
    };
    let root = match std::fs::canonicalize(&opts.root) {
        Ok(r) if r.is_dir() => r,
        _ => {
            eprintln!("ferropy: --root {}: not a directory", opts.root.display());
            return 2;
        }
    };
    if let Ok(local) = listener.local_addr() {
        // Tools and tests read the port from here (useful with port 0).
        println!("ferropy: serving the REPL on tcp:{local} (files in {})", root.display());
    }
    let link = Link::new();
    let board = {
        let link = link.clone();
        let run = opts.run.clone();
        move || -> Option<Vm> {
            let (out, err) = (link.clone(), link.clone());
            let out: OutputSink = Box::new(move |b: &[u8]| out.write_cooked(b));
            let err: OutputSink = Box::new(move |b: &[u8]| err.write_cooked(b));
            let mut vm = crate::run::new_vm((opts.config)(), out, err, &run)?;
            vm.set_host(Box::new(RootedHost::new(root.clone(), link.clone())));
            Some(vm)
        }
    };
    let config = ReplConfig {
        banner: format!(
            "ferropy {}; MicroPython-compatible REPL served over TCP\r\nType \"help()\" for more information.",
            env!("CARGO_PKG_VERSION")
        ),
        ctrl_d: CtrlD::SoftReset,
        raw_paste_window: SERVE_WINDOW,
        max_input: SERVE_MAX_INPUT,
        ..ReplConfig::default()
    };
    let mut repl = Repl::new(board, config);
    // A new client takes over from the current one (a stale or stuck client
    // never locks the board): the acceptor hangs up on the current client,
    // whose session then ends as a disconnect.
    let (tx, rx) = std::sync::mpsc::channel();
    let acceptor_link = link.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            acceptor_link.hang_up();
            if tx.send(stream).is_err() {
                break;
            }
        }
    });
    for stream in rx {
        if link.attach(stream).is_err() {
            continue;
        }
        let end = repl.run(&mut LinkConsole(link.clone()));
        link.detach();
        if end == SessionEnd::NoVm {
            eprintln!("ferropy: can't create a VM");
            return 1;
        }
    }
    0
}

/// The served VM's `sys.path`, as a board's.
pub fn board_path() -> Vec<String> {
    vec![String::new(), ".frozen".to_string(), "/lib".to_string()]
}
