//! `ferropy --serve tcp:HOST:PORT` (or `--serve pty`): the REPL served on a TCP
//! port or a pseudo-terminal the way a board serves it on its UART, so that host tools (`mpremote connect
//! socket://HOST:PORT`, `pyboard.py`) drive it. One client at a time (a new
//! one takes over from the current one); the
//! session (VM, mode) lives on between connections; Ctrl-D soft-resets to a
//! fresh VM; files live under `--root`.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;

use ferropy_repl::{CtrlD, Repl, ReplConfig, SessionEnd};
use ferropy_runtime::vm::OutputSink;
use ferropy_runtime::{Vm, VmConfig};

use super::link::{Link, LinkConsole, Stream};
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

/// A TCP client as a [`Stream`]. Every read is acknowledged at once
/// (`TCP_QUICKACK`): clients (pyserial's `socket://`) write small frames with
/// Nagle's algorithm on, which would otherwise wait for our delayed ACK
/// (~40 ms) before sending the next one.
fn tcp_stream(stream: TcpStream) -> std::io::Result<Stream> {
    struct QuickAck(TcpStream);
    impl Read for QuickAck {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            let _ = rustix::net::sockopt::set_tcp_quickack(&self.0, true);
            Ok(n)
        }
    }
    let _ = stream.set_nodelay(true);
    let reader = QuickAck(stream.try_clone()?);
    let closer = stream.try_clone()?;
    Ok(Stream {
        reader: Box::new(reader),
        writer: Box::new(stream),
        hang_up: Box::new(move || {
            let _ = closer.shutdown(std::net::Shutdown::Both);
        }),
    })
}

/// Where clients come from.
enum Listen {
    Tcp(TcpListener),
    Pty(crate::cli::pty::ServePty),
}

/// Serves until the process is stopped; returns an exit status on a setup error.
pub fn serve(opts: ServeOptions) -> i32 {
    let root = match std::fs::canonicalize(&opts.root) {
        Ok(r) if r.is_dir() => r,
        _ => {
            eprintln!("ferropy: --root {}: not a directory", opts.root.display());
            return 2;
        }
    };
    let listen = if opts.address == "pty" {
        match crate::cli::pty::ServePty::open() {
            Ok(p) => {
                // Tools and tests read the device from here.
                println!("ferropy: serving the REPL on {} (files in {})", p.path.display(), root.display());
                Listen::Pty(p)
            }
            Err(e) => {
                eprintln!("ferropy: can't open a pseudo-terminal: {e}");
                return 2;
            }
        }
    } else {
        let addr = opts.address.strip_prefix("tcp:").unwrap_or(&opts.address).to_string();
        match TcpListener::bind(&addr) {
            Ok(l) => {
                if let Ok(local) = l.local_addr() {
                    // Tools and tests read the port from here (useful with port 0).
                    println!("ferropy: serving the REPL on tcp:{local} (files in {})", root.display());
                }
                Listen::Tcp(l)
            }
            Err(e) => {
                eprintln!("ferropy: can't serve on {addr}: {e}");
                return 2;
            }
        }
    };
    let _ = std::io::Write::flush(&mut std::io::stdout());
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
    std::thread::spawn(move || match listen {
        Listen::Tcp(listener) => {
            for stream in listener.incoming() {
                let Ok(stream) = stream.and_then(tcp_stream) else { continue };
                acceptor_link.hang_up();
                if tx.send(stream).is_err() {
                    break;
                }
            }
        }
        // A pseudo-terminal is one line that stays open, as a UART: one stream
        // for the life of the server (the thread keeps the terminal open).
        Listen::Pty(pty) => {
            if let Ok(stream) = pty.stream() {
                let _ = tx.send(stream);
            }
            loop {
                std::thread::park();
            }
        }
    });
    for stream in rx {
        link.attach(stream);
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
