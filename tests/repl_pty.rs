//! The terminal REPL driven through a real pseudo-terminal (python3's `pty`
//! module relays the bytes, `tests/repl/pty_relay.py`): prompts, line
//! editing and history, continuation and auto-indent, Ctrl-C, paste mode, and
//! the raw REPL's framing byte for byte.

#[path = "support/stream.rs"]
mod stream;

use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};

use stream::Expect;

struct Tty {
    child: Child,
    input: ChildStdin,
    out: Expect,
}

impl Tty {
    fn spawn(args: &[&str]) -> Tty {
        let relay = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/repl/pty_relay.py");
        let mut child = Command::new("python3")
            .arg(relay)
            .arg(env!("CARGO_BIN_EXE_ferropy"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is needed to run the pseudo-terminal tests (apt-get install python3)");
        let input = child.stdin.take().unwrap();
        let out = Expect::new(child.stdout.take().unwrap());
        Tty { child, input, out }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).unwrap();
        self.input.flush().unwrap();
    }

    fn expect(&mut self, needle: &str) -> String {
        String::from_utf8_lossy(&self.out.expect(needle.as_bytes())).into_owned()
    }

    fn exit_status(mut self) -> i32 {
        drop(self.input);
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

#[test]
fn prompts_editing_history_and_exit() {
    let mut t = Tty::spawn(&[]);
    t.expect("Use Ctrl-D to exit, Ctrl-E for paste mode\r\n");
    t.expect(">>> ");
    t.send(b"1+2\r");
    t.expect("3\r\n");
    t.expect(">>> ");
    // Left arrow twice and an insertion: `12` -> `312`.
    t.send(b"12\x1b[D\x1b[D3\r");
    t.expect("312\r\n");
    t.expect(">>> ");
    // History: up arrow recalls the last line.
    t.send(b"\x1b[A\r");
    t.expect("312\r\n");
    t.expect(">>> ");
    // Ctrl-A/Ctrl-E move on a non-empty line: `23` -> `-23*2`.
    t.send(b"23\x01-\x05*2\r");
    t.expect("-46\r\n");
    t.expect(">>> ");
    // Tab completion of an attribute.
    t.send(b"import micropython\r");
    t.expect(">>> ");
    t.send(b"micropython.opt_le\t()\r");
    t.expect("0\r\n");
    t.expect(">>> ");
    // A compound statement: auto-indent; three more Enters end it (two
    // auto-indented blank lines, then an empty one), as in MicroPython.
    t.send(b"for i in range(2):\r");
    t.expect("... ");
    t.send(b"print(i * 10)\r\r\r\r");
    t.expect("0\r\n10\r\n");
    t.expect(">>> ");
    // Errors leave the REPL usable.
    t.send(b"1/0\r");
    t.expect("ZeroDivisionError: divide by zero");
    t.expect(">>> ");
    // Ctrl-D on an empty line leaves with status 0.
    t.send(b"\x04");
    assert_eq!(t.exit_status(), 0);
}

#[test]
fn ctrl_c_cancels_a_line_and_interrupts_code() {
    let mut t = Tty::spawn(&[]);
    t.expect(">>> ");
    t.send(b"this is not run\x03");
    t.expect(">>> ");
    t.send(b"while True: pass\r\r");
    std::thread::sleep(std::time::Duration::from_millis(300));
    t.send(b"\x03");
    t.expect("KeyboardInterrupt: \r\n");
    t.expect(">>> ");
    t.send(b"print('still here')\r");
    t.expect("still here\r\n");
    t.send(b"import sys; sys.exit(7)\r");
    assert_eq!(t.exit_status(), 7);
}

#[test]
fn paste_mode_on_the_terminal() {
    let mut t = Tty::spawn(&[]);
    t.expect(">>> ");
    t.send(b"\x05");
    t.expect("\r\n");
    t.out.expect_exact(b"paste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ");
    t.send(b"def f():\r    return 7\r");
    t.out.expect_exact(b"def f():\r\n===     return 7\r\n=== ");
    t.send(b"\x04");
    t.out.expect_exact(b"\r\n");
    t.expect(">>> ");
    t.send(b"f() * 6\r");
    t.expect("42\r\n");
    // Ctrl-C cancels a paste.
    t.expect(">>> ");
    t.send(b"\x05");
    t.expect("=== ");
    t.send(b"print('no')\x03");
    t.expect("print('no')\r\n");
    t.expect(">>> ");
    t.send(b"\x04");
    assert_eq!(t.exit_status(), 0);
}

#[test]
fn raw_repl_framing_byte_for_byte() {
    let mut t = Tty::spawn(&[]);
    t.expect(">>> ");
    t.send(b"\x01");
    t.expect("\r\n");
    t.out.expect_exact(b"raw REPL; CTRL-B to exit\r\n>");
    t.send(b"print(1+1)\x04");
    t.out.expect_exact(b"OK2\r\n\x04\x04>");
    t.send(b"print(x)\x04");
    t.out.expect_exact(
        b"OK\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\nNameError: name 'x' isn't defined\r\n\x04>",
    );
    // Raw paste: negotiation, window (128 = 0x80 0x00) and one increment, end acknowledged.
    t.send(b"\x05A\x01");
    t.out.expect_exact(b"R\x01\x80\x00\x01");
    t.send(b"for i in range(3):\n print(i)\n\x04");
    t.out.expect_exact(b"\x040\r\n1\r\n2\r\n\x04\x04>");
    // Ctrl-B back to the friendly REPL.
    t.send(b"\x02");
    t.expect("\r\nferropy ");
    t.expect(">>> ");
    t.send(b"\x04");
    assert_eq!(t.exit_status(), 0);
}

#[test]
fn inspect_with_piped_standard_input_uses_the_built_in_editor() {
    let dir = std::env::temp_dir().join(format!("ferropy-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("s.py");
    std::fs::write(&script, "x = 5\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferropy"))
        .arg("-i")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"x + 1\nimport sys\nsys.exit(4)\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(">>> x + 1\r\n6\n>>> "), "{text:?}");
    assert_eq!(out.status.code(), Some(4));
    let _ = std::fs::remove_dir_all(&dir);
}
