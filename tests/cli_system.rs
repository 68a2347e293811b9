//! The `ferropy` command's run paths: `-c` and `sys.argv`, `-m`, scripts with
//! arguments, standard input as a script, `SystemExit` codes, uncaught
//! exceptions, `-X emit=`, and a `KeyboardInterrupt` raised from another thread.

use std::io::Write;
use std::process::{Command, Stdio};

fn ferropy(args: &[&str], stdin: &str, dir: &std::path::Path) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferropy"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ferropy");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tmp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("ferropy_cli_system_{name}_{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("tmp dir");
    d
}

#[test]
fn command_argv_and_exit_codes() {
    let d = tmp_dir("c");
    let (rc, out, _) = ferropy(&["-c", "import sys; print(sys.argv, sys.path[0])", "a", "b"], "", &d);
    assert_eq!((rc, out.as_str()), (0, "['-c', 'a', 'b'] \n"));
    assert_eq!(ferropy(&["-c", "raise SystemExit(258)"], "", &d).0, 2);
    assert_eq!(ferropy(&["-c", "import sys; sys.exit()"], "", &d).0, 0);
    assert_eq!(ferropy(&["-c", "raise SystemExit(None)"], "", &d).0, 0);
    let (rc, _, err) = ferropy(&["-c", "raise SystemExit('bye')"], "", &d);
    assert_eq!((rc, err.as_str()), (1, "bye\n"));
    let (rc, _, err) = ferropy(&["-c", "1 // 0"], "", &d);
    assert_eq!(rc, 1);
    assert!(err.ends_with("ZeroDivisionError: divide by zero\n"), "{err}");
    let (rc, out, err) = ferropy(&["-X", "emit=native", "-c", "def f(x):\n  return x + 1\nprint(f(1))"], "", &d);
    assert_eq!((rc, out.as_str()), (0, "2\n"), "{err}");
}

#[test]
fn script_module_and_stdin() {
    let d = tmp_dir("m");
    std::fs::write(d.join("mod1.py"), "import sys\nprint(__name__, sys.argv)\n").expect("write");
    std::fs::create_dir_all(d.join("pk")).expect("mkdir");
    std::fs::write(d.join("pk/__init__.py"), "print('pk init')\n").expect("write");
    std::fs::write(d.join("pk/__main__.py"), "print('pk main', __name__)\n").expect("write");
    std::fs::write(d.join("pk/run.py"), "import pk\nprint('pk.run', __name__)\n").expect("write");
    let (rc, out, err) = ferropy(&["-m", "mod1", "x"], "", &d);
    assert_eq!((rc, out.as_str()), (0, "__main__ ['mod1', 'x']\n"), "{err}");
    let (_, out, _) = ferropy(&["-m", "pk"], "", &d);
    assert_eq!(out, "pk main __main__\n");
    let (_, out, _) = ferropy(&["-m", "pk.run"], "", &d);
    assert_eq!(out, "pk init\npk.run __main__\n");
    let (rc, _, err) = ferropy(&["-m", "nothere"], "", &d);
    assert_eq!((rc, err.trim_end().ends_with("ImportError: no module named 'nothere'")), (1, true), "{err}");
    let (_, out, _) = ferropy(&["mod1.py", "1", "2"], "", &d);
    assert_eq!(out, "__main__ ['mod1.py', '1', '2']\n");
    let (rc, out, _) = ferropy(&[], "import mod1\nprint(mod1.__name__)\nraise SystemExit(7)\n", &d);
    assert_eq!((rc, out.as_str()), (7, "mod1 ['']\nmod1\n"));
}

/// Runs a loop in a fresh VM while another thread calls `request` on its
/// interrupt handle; returns the loop's exception type, after checking the VM
/// runs on afterwards.
fn interrupted_loop(request: fn(&ferropy::runtime::modules::InterruptHandle)) -> String {
    use ferropy::runtime::vm::OutputSink;
    let out: OutputSink = Box::new(|_: &[u8]| {});
    let err: OutputSink = Box::new(|_: &[u8]| {});
    let mut vm = ferropy::run::new_vm(Default::default(), out, err, &Default::default()).expect("vm");
    let handle = vm.interrupt_handle();
    let t = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        request(&handle);
    });
    let src = b"n = 0\ntry:\n    while True:\n        n += 1\nexcept BaseException:\n    print('stopped')\n    raise\n";
    let r = vm.run_main_source(src, "<loop>", ferropy::frontend::InputKind::File);
    t.join().expect("join");
    let e = r.expect_err("interrupted");
    let kind = vm.type_name(e.exception());
    // The request is cleared: the VM runs on.
    assert!(vm.run_main_source(b"x = [1] * 10\n", "<ok>", ferropy::frontend::InputKind::File).is_ok());
    kind
}

#[test]
fn keyboard_interrupt_from_another_thread() {
    assert_eq!(interrupted_loop(|h| h.interrupt()), "KeyboardInterrupt");
}

/// One handle made by the host serves VM after VM (`Vm::use_interrupt_handle`,
/// as the command's SIGINT handler uses it); a request left over from before a
/// VM takes the handle does not reach it.
#[test]
fn one_interrupt_handle_serves_successive_vms() {
    use ferropy::runtime::modules::InterruptHandle;
    use ferropy::runtime::vm::OutputSink;
    let shared = InterruptHandle::new();
    let spin = b"while True:\n    pass\n";
    let ok = b"x = [i for i in range(100)]\n";
    for _ in 0..2 {
        let out: OutputSink = Box::new(|_: &[u8]| {});
        let err: OutputSink = Box::new(|_: &[u8]| {});
        let mut vm = ferropy::run::new_vm(Default::default(), out, err, &Default::default()).expect("vm");
        shared.interrupt(); // stale: dropped by use_interrupt_handle
        vm.use_interrupt_handle(&shared);
        assert!(vm.run_main_source(ok, "<ok>", ferropy::frontend::InputKind::File).is_ok());
        let h = shared.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            h.interrupt();
        });
        let e = vm.run_main_source(spin, "<spin>", ferropy::frontend::InputKind::File).expect_err("interrupted");
        t.join().expect("join");
        assert_eq!(vm.type_name(e.exception()), "KeyboardInterrupt");
        // The VM's own handle is the shared one.
        vm.interrupt_handle().interrupt();
        let e = vm.run_main_source(spin, "<spin>", ferropy::frontend::InputKind::File).expect_err("interrupted");
        assert_eq!(vm.type_name(e.exception()), "KeyboardInterrupt");
    }
}

/// A host that ran short of its own memory asks for a `MemoryError`
/// (`InterruptHandle::out_of_memory`, as the Cortex-M port's allocator does).
#[test]
fn out_of_memory_request_raises_memory_error() {
    assert_eq!(interrupted_loop(|h| h.out_of_memory()), "MemoryError");
}

#[test]
fn input_reads_lines_from_standard_input() {
    let d = tmp_dir("input");
    let prog =
        "print(repr(input('> ')))\nprint(repr(input()))\ntry:\n    input()\nexcept EOFError:\n    print('EOF')\n";
    let (rc, out, err) = ferropy(&["-c", prog], "hello\r\nworld", &d);
    assert_eq!((rc, out.as_str()), (0, "> 'hello'\n'world'\nEOF\n"), "{err}");
    let (rc, _, err) = ferropy(&["-c", "input(1, 2)"], "", &d);
    assert_eq!(rc, 1);
    assert!(err.ends_with("TypeError: function takes at most 1 positional argument\n"), "{err}");
}

#[test]
fn standard_streams_read_and_write_in_pieces() {
    let d = tmp_dir("streams");
    let prog = "import sys\nprint(sys.stdout.write('ab\\n'))\nprint(sys.stdout.buffer.write(b'cd\\n'))\n\
                print(repr(sys.stdin.readline()))\nprint(repr(sys.stdin.read(3)))\nprint(repr(input()))\n\
                print(repr(sys.stdin.buffer.read(2)))\nprint(repr(sys.stdin.read()))\nprint(repr(sys.stdin.read(1)))\n";
    let (rc, out, err) = ferropy(&["-c", prog], "line1\nabcdef\nxyz\nrest\n", &d);
    assert_eq!((rc, out.as_str()), (0, "ab\n3\ncd\n3\n'line1\\n'\n'abc'\n'def'\nb'xy'\n'z\\nrest\\n'\n''\n"), "{err}");
}

/// The binary layers take bytes as they are: `write(buf, n)` and
/// `write(buf, offset, n)`, `readinto` of what standard input has (no
/// line-end translation), `read(n)` of the rest; `kbd_intr` accepts -1 and 3.
/// (Output recorded with MicroPython's unix port.)
#[test]
fn binary_standard_streams() {
    let d = tmp_dir("binary");
    let prog = "import sys, micropython\nmicropython.kbd_intr(-1)\nsys.stdout.buffer.write(b'abcd', 2)\n\
                sys.stdout.buffer.write(b'abcdef', 1, 3)\nb = bytearray(5)\nn = sys.stdin.buffer.readinto(b)\n\
                print(n, b)\nprint(sys.stdin.buffer.read(3))\nmicropython.kbd_intr(3)\n\
                print(sys.stdin.buffer.readinto(bytearray(4)))\n";
    let (rc, out, err) = ferropy(&["-c", prog], "xy\r\nrest", &d);
    assert_eq!((rc, out.as_str()), (0, "abbcd5 bytearray(b'xy\\r\\nr')\nb'est'\n0\n"), "{err}");
}

/// Ctrl-C (SIGINT) while a script runs raises `KeyboardInterrupt` in it: the
/// script can catch it; an uncaught one ends the program with its traceback.
#[test]
fn sigint_interrupts_a_running_script() {
    use std::io::{BufRead, BufReader};
    let d = tmp_dir("sigint");
    let script = d.join("spin.py");
    std::fs::write(
        &script,
        "import sys\nprint('ready')\ntry:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    print('caught')\nprint('ready')\nwhile True:\n    pass\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferropy"))
        .arg(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ferropy");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for _ in 0..2 {
        // Wait for the program to be in its loop, then interrupt it.
        loop {
            let line = lines.next().expect("output").expect("line");
            seen.push(line.clone());
            if line == "ready" {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
        assert!(status.success());
    }
    seen.extend(lines.map_while(Result::ok));
    let out = child.wait_with_output().expect("wait");
    assert_eq!(seen, ["ready", "caught", "ready"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.ends_with("KeyboardInterrupt: \n"), "{err}"); // as MicroPython prints it
}
