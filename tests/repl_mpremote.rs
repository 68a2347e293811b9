//! `ferropy --serve` driven by the real `mpremote` (from PyPI, installed into
//! a virtual environment under `target/` on first use: the test fails with the
//! command to run when python3's venv or pip is missing), and by a raw TCP
//! client for the bad-input cases: garbage, truncated frames, binary noise,
//! a 10 MB raw paste, disconnects mid-command.

#[path = "support/stream.rs"]
mod stream;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use stream::Expect;

/// The `mpremote` program: `$FERROPY_MPREMOTE`, else a venv in `target/`.
fn mpremote() -> PathBuf {
    if let Ok(p) = std::env::var("FERROPY_MPREMOTE") {
        return PathBuf::from(p);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let venv = target.join("mpremote-venv");
    let exe = venv.join("bin/mpremote");
    if exe.exists() {
        return exe;
    }
    let install = format!("python3 -m venv {0} && {0}/bin/pip install mpremote", venv.display());
    let ok = Command::new("sh").arg("-c").arg(&install).status().map(|s| s.success()).unwrap_or(false);
    assert!(
        ok && exe.exists(),
        "mpremote is needed: install python3, python3-venv and python3-pip (apt-get install python3-venv python3-pip), then run: {install}"
    );
    exe
}

/// A running `ferropy --serve` on a free port with its own root directory.
struct Server {
    child: Child,
    port: u16,
    /// `socket://127.0.0.1:PORT` or `/dev/pts/N`.
    device: String,
    root: PathBuf,
}

impl Server {
    fn start(name: &str) -> Server {
        Server::start_on(name, "tcp:127.0.0.1:0")
    }

    fn start_on(name: &str, address: &str) -> Server {
        let root = std::env::temp_dir().join(format!("ferropy-serve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ferropy"))
            .args(["--serve", address, "--root"])
            .arg(&root)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let on = line.split(" on ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap_or_default();
        let (device, port) = match on.strip_prefix("tcp:127.0.0.1:") {
            Some(p) => (format!("socket://127.0.0.1:{p}"), p.parse().unwrap_or(0)),
            None => (on.to_string(), 0),
        };
        assert!(!device.is_empty(), "no device in {line:?}");
        Server { child, port, device, root }
    }

    fn device(&self) -> String {
        self.device.clone()
    }

    fn mpremote(&self, args: &[&str]) -> Output {
        Command::new(mpremote()).args(["connect", &self.device()]).args(args).current_dir(&self.root).output().unwrap()
    }

    /// Runs mpremote, expects success, returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.mpremote(args);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "mpremote {args:?} failed: {text}{}", String::from_utf8_lossy(&out.stderr));
        text
    }

    fn connect(&self) -> (TcpStream, Expect) {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let e = Expect::new(s.try_clone().unwrap());
        (s, e)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[test]
fn mpremote_exec_run_cat_and_files() {
    let s = Server::start("basic");
    assert_eq!(s.ok(&["exec", "print(1+1)"]), "2\r\n");
    // A script run from the host.
    let script = s.root.join("local_script.py");
    std::fs::write(&script, "import sys\nfor i in range(3):\n    print('line', i)\n").unwrap();
    assert_eq!(s.ok(&["run", script.to_str().unwrap()]), "line 0\r\nline 1\r\nline 2\r\n");
    // Files the code writes land under the root; `fs cat` reads them back.
    s.ok(&["exec", "f = open('made.txt', 'w')\nf.write('made by ferropy\\n')\nf.close()"]);
    assert_eq!(std::fs::read_to_string(s.root.join("made.txt")).unwrap(), "made by ferropy\n");
    // (Program output is sent as a board sends it: `\n` as `\r\n`.)
    assert_eq!(s.ok(&["fs", "cat", ":made.txt"]), "made by ferropy\r\n");
    // Paths cannot leave the root.
    s.ok(&["exec", "f = open('../../escaped.txt', 'w')\nf.write('x')\nf.close()"]);
    assert!(s.root.join("escaped.txt").exists());
    // An exception: its traceback and a failing status, and the server goes on.
    let out = s.mpremote(&["exec", "1/0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("ZeroDivisionError: divide by zero"), "{out:?}");
    assert_eq!(s.ok(&["exec", "print('after')"]), "after\r\n");
    // Several commands in one invocation share the VM.
    assert_eq!(s.ok(&["exec", "x = 20", "exec", "print(x + 1)"]), "21\r\n");
}

/// The first 8 hex digits of the SHA-256 of `data` (mip's short hash), by python3.
fn short_sha256(data: &[u8]) -> String {
    let mut child = Command::new("python3")
        .args(["-c", "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:8])"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn mpremote_fs_commands() {
    let s = Server::start("fs");
    let local = s.root.join("local.py");
    std::fs::write(&local, "print('copied')\n").unwrap();
    s.ok(&["fs", "cp", local.to_str().unwrap(), ":file.py"]);
    assert_eq!(std::fs::read_to_string(s.root.join("file.py")).unwrap(), "print('copied')\n");
    assert_eq!(s.ok(&["run", local.to_str().unwrap()]), "copied\r\n");
    s.ok(&["fs", "mkdir", ":sub"]);
    assert!(s.root.join("sub").is_dir());
    s.ok(&["fs", "cp", local.to_str().unwrap(), ":sub/"]);
    assert!(s.root.join("sub/local.py").is_file());
    let ls = s.ok(&["fs", "ls"]);
    // Sizes as a board lists them (`os.ilistdir` gives 4-tuples there).
    assert!(ls.contains(" 16 file.py\n") && ls.contains(" sub/\n"), "{ls}");
    let ls = s.ok(&["fs", "ls", ":sub"]);
    assert!(ls.contains(" local.py\n"), "{ls}");
    // Copy back to the host.
    let back = s.root.join("back.py");
    s.ok(&["fs", "cp", ":sub/local.py", back.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&back).unwrap(), "print('copied')\n");
    s.ok(&["fs", "rm", ":sub/local.py"]);
    assert!(!s.root.join("sub/local.py").exists());
    s.ok(&["fs", "rmdir", ":sub"]);
    assert!(!s.root.join("sub").exists());
    // Missing files: mpremote reports the device's OSError.
    let out = s.mpremote(&["fs", "cat", ":missing.txt"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No such file"), "{out:?}");
    // `import` of a copied module, from the root.
    assert_eq!(s.ok(&["exec", "import file"]), "copied\r\n");
}

/// `mpremote mount .`: the host directory becomes `/remote` on the board,
/// served through mpremote's file protocol over the raw REPL (binary data
/// through `sys.stdin.buffer`/`sys.stdout.buffer`, `micropython.kbd_intr(-1)`
/// so 0x03 bytes are data), and the code imports from it, reads, writes,
/// lists and renames there.
#[test]
fn mpremote_mount_local_directory() {
    let s = Server::start("mount");
    let local = s.root.with_extension("local");
    let _ = std::fs::remove_dir_all(&local);
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(local.join("hostmod.py"), "def answer():\n    return 6 * 7\n").unwrap();
    let every_byte: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
    std::fs::write(local.join("bytes.bin"), &every_byte).unwrap();
    let code = "import os, hostmod\n\
print(os.getcwd(), hostmod.answer())\n\
d = open('bytes.bin', 'rb').read()\n\
print(len(d), d == bytes(range(256)) + bytes(reversed(range(256))))\n\
with open('made.bin', 'wb') as f:\n    f.write(bytes(reversed(d)))\n\
os.mkdir('sub')\n\
os.rename('made.bin', 'sub/moved.bin')\n\
print(sorted(os.listdir()), os.listdir('sub'), os.stat('sub/moved.bin')[6])\n";
    let out = Command::new(mpremote())
        .args(["connect", &s.device(), "mount", ".", "exec", code])
        .current_dir(&local)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("/remote 42\r\n512 True\r\n['bytes.bin', 'hostmod.py', 'sub'] ['moved.bin'] 512\r\n"),
        "{text}"
    );
    let moved = std::fs::read(local.join("sub/moved.bin")).unwrap();
    assert_eq!(moved, every_byte.iter().rev().copied().collect::<Vec<u8>>());
    // The board is usable afterwards, with the mount gone.
    assert_eq!(s.ok(&["exec", "import os; print('remote' in os.listdir('/'))"]), "False\r\n");
    let _ = std::fs::remove_dir_all(&local);
}

#[test]
fn mpremote_mip_install_from_a_local_index() {
    let s = Server::start("mip");
    // MicroPython's package index layout (v2), in a folder: package JSON files
    // and content-addressed files.
    let index = s.root.with_extension("index");
    let _ = std::fs::remove_dir_all(&index);
    let code = b"def hello():\n    return 'hello from greet'\n";
    let h = short_sha256(code);
    std::fs::create_dir_all(index.join(format!("file/{}", &h[..2]))).unwrap();
    std::fs::write(index.join(format!("file/{}/{h}", &h[..2])), code).unwrap();
    std::fs::create_dir_all(index.join("package/py/greet")).unwrap();
    let json = format!("{{\"v\": 1, \"version\": \"1.0\", \"hashes\": [[\"greet.py\", \"{h}\"]], \"deps\": [[\"extra\", \"latest\"]]}}");
    std::fs::write(index.join("package/py/greet/latest.json"), json).unwrap();
    // A dependency given by URLs relative to its JSON file, in a package directory.
    std::fs::create_dir_all(index.join("package/py/extra")).unwrap();
    std::fs::write(index.join("package/py/extra/extra_init.py"), "VALUE = 42\n").unwrap();
    std::fs::write(
        index.join("package/py/extra/latest.json"),
        "{\"v\": 1, \"urls\": [[\"extra/__init__.py\", \"extra_init.py\"]]}",
    )
    .unwrap();
    let idx = index.to_str().unwrap();
    let out = s.ok(&["mip", "install", "--index", idx, "--no-mpy", "greet"]);
    assert!(out.contains("Done"), "{out}");
    assert_eq!(std::fs::read(s.root.join("lib/greet.py")).unwrap(), code);
    assert_eq!(std::fs::read_to_string(s.root.join("lib/extra/__init__.py")).unwrap(), "VALUE = 42\n");
    assert_eq!(s.ok(&["exec", "import greet, extra\nprint(greet.hello(), extra.VALUE)"]), "hello from greet 42\r\n");
    // Installing again: the device hashes its copy and skips it.
    let out = s.ok(&["mip", "install", "--index", idx, "--no-mpy", "greet"]);
    assert!(out.contains("Exists: /lib/greet.py"), "{out}");
    let _ = std::fs::remove_dir_all(&index);
}

#[test]
fn disconnect_mid_command_and_soft_reset() {
    let s = Server::start("disconnect");
    // A client that starts an endless loop and goes away.
    let mut child = Command::new(mpremote())
        .args(["connect", &s.device(), "exec", "while True: pass"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(s.ok(&["exec", "print('alive')"]), "alive\r\n");
    // Soft reset (Ctrl-D in the raw REPL): a fresh VM.
    let (mut c, mut e) = s.connect();
    c.write_all(b"\r\x03\r\x01").unwrap();
    e.expect(b"raw REPL; CTRL-B to exit\r\n>");
    c.write_all(b"y = 3\x04").unwrap();
    e.expect(b"OK\x04\x04>");
    c.write_all(b"\x04").unwrap();
    e.expect_exact(b"OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>");
    c.write_all(b"print(y)\x04").unwrap();
    e.expect(b"NameError: name 'y' isn't defined\r\n\x04>");
    // `input()` reads from the client; Ctrl-C while it waits raises KeyboardInterrupt.
    c.write_all(b"print('got', input())\x04").unwrap();
    e.expect(b"OK");
    c.write_all(b"typed\r").unwrap();
    e.expect(b"got typed\r\n\x04\x04>");
    c.write_all(b"input()\x04").unwrap();
    e.expect(b"OK");
    std::thread::sleep(Duration::from_millis(200));
    c.write_all(b"\x03").unwrap();
    e.expect(b"KeyboardInterrupt: \r\n\x04>");
    // A disconnect while the code waits for input.
    c.write_all(b"input()\x04").unwrap();
    e.expect(b"OK");
    c.shutdown(std::net::Shutdown::Both).unwrap();
    assert_eq!(s.ok(&["exec", "print('still alive')"]), "still alive\r\n");
    // A second client takes over from a stuck one.
    let (mut stuck, _stuck_out) = s.connect();
    stuck.write_all(b"\r\x01while True: pass\x04").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(s.ok(&["exec", "print('taken over')"]), "taken over\r\n");
    drop(stuck);
}

#[test]
fn garbage_truncated_frames_and_binary_noise() {
    let s = Server::start("garbage");
    // Binary noise in the friendly REPL, in the raw REPL, and a truncated raw
    // paste (negotiated, half the data sent, then the client goes away).
    let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    for frames in [
        noise.clone(),
        [b"\r\x01".as_slice(), &noise, b"\x04"].concat(),
        b"\r\x01\x05A\x01for i in range(".to_vec(),
        b"\r\x01print('no end".to_vec(),
        b"\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18;19;20~\x1b\x1b\x1bO".to_vec(),
    ] {
        let (mut c, _e) = s.connect();
        c.write_all(&frames).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        c.shutdown(std::net::Shutdown::Both).unwrap();
        assert_eq!(s.ok(&["exec", "print('ok')"]), "ok\r\n", "after {:?}", String::from_utf8_lossy(&frames));
    }
    // Noise as a raw REPL command gives a clear error, and the session goes on.
    let (mut c, mut e) = s.connect();
    c.write_all(b"\r\x03\r\x01").unwrap();
    e.expect(b"raw REPL; CTRL-B to exit\r\n>");
    c.write_all(&[&noise.iter().copied().filter(|b| !(1..=5).contains(b)).collect::<Vec<u8>>()[..], b"\x04"].concat())
        .unwrap();
    let err = e.expect(b"\x04>");
    let text = String::from_utf8_lossy(&err);
    assert!(text.starts_with("OK\x04") && text.contains("Error"), "{text}");
    c.write_all(b"print(6*7)\x04").unwrap();
    e.expect_exact(b"OK42\r\n\x04\x04>");
}

/// Reads from `r` until the data read ends with `needle`.
fn read_until(r: &mut TcpStream, needle: &[u8]) -> Vec<u8> {
    let mut got = Vec::new();
    let mut byte = [0u8];
    while !got.ends_with(needle) {
        r.read_exact(&mut byte).unwrap_or_else(|e| panic!("{e} after {:?}", String::from_utf8_lossy(&got)));
        got.push(byte[0]);
    }
    got
}

#[test]
fn ten_megabyte_raw_paste() {
    let s = Server::start("huge");
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    c.write_all(b"\r\x03\r\x01").unwrap();
    read_until(&mut c, b"raw REPL; CTRL-B to exit\r\n>");
    c.write_all(b"\x05A\x01").unwrap();
    let mut header = [0u8; 5];
    c.read_exact(&mut header).unwrap();
    assert_eq!((&header[..2], header[4]), (b"R\x01".as_slice(), 0x01), "{header:?}");
    let window = u16::from_le_bytes([header[2], header[3]]) as usize;
    let mut script = Vec::with_capacity(10 << 20);
    let line = format!("#{}\n", "x".repeat(1022));
    while script.len() < 10 << 20 {
        script.extend_from_slice(line.as_bytes());
    }
    script.extend_from_slice(b"print('pasted', 10)\n");
    // Flow control: two windows of credit at first, one more per `\x01`.
    let mut credit = 2 * window;
    let mut sent = 0;
    let mut byte = [0u8];
    while sent < script.len() {
        if credit == 0 {
            c.read_exact(&mut byte).unwrap();
            assert_eq!(byte[0], 0x01, "flow control byte");
            credit += window;
        }
        let n = credit.min(script.len() - sent);
        c.write_all(&script[sent..sent + n]).unwrap();
        sent += n;
        credit -= n;
    }
    c.write_all(b"\x04").unwrap();
    let rest = read_until(&mut c, b"\x04\x04>");
    let text = String::from_utf8_lossy(&rest);
    assert!(text.trim_start_matches('\x01').starts_with("\x04pasted 10\r\n\x04\x04>"), "{text:?}");
}

#[test]
fn mpremote_over_a_pseudo_terminal() {
    let s = Server::start_on("pty", "pty");
    assert!(s.device.starts_with("/dev/pts/"), "{}", s.device);
    assert_eq!(s.ok(&["exec", "print(1+1)"]), "2\r\n");
    let script = s.root.join("p.py");
    std::fs::write(&script, "print('over a pty')\n").unwrap();
    assert_eq!(s.ok(&["run", script.to_str().unwrap()]), "over a pty\r\n");
    s.ok(&["fs", "cp", script.to_str().unwrap(), ":copy.py"]);
    assert!(s.ok(&["fs", "ls"]).contains(" copy.py\n"));
    // The line stays up between clients, and the session with it.
    assert_eq!(s.ok(&["exec", "z = 9", "exec", "print(z * 2)"]), "18\r\n");
}

#[test]
fn serve_setup_errors() {
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_ferropy")).args(args).output().unwrap();
    let out = run(&["--serve", "tcp:not an address", "--root", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ferropy: can't serve on not an address"), "{out:?}");
    let out = run(&["--serve", "tcp:127.0.0.1:0", "--root", "/definitely/not/here"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--root /definitely/not/here: not a directory"), "{out:?}");
    // A port already in use.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("tcp:{}", busy.local_addr().unwrap());
    let out = run(&["--serve", &addr]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("can't serve on"), "{out:?}");
}
