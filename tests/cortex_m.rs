//! The Cortex-M firmware (`ports/cortex-m`) in QEMU: builds it for
//! `thumbv7em-none-eabihf`, then runs programs inside `qemu-system-arm -M
//! mps2-an386` (Cortex-M4F) and checks their console output and exit status.
//!
//! Needs the Rust target and QEMU (the test command installs both); when
//! either is missing these tests FAIL with the command that installs it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Longest a program may run in the emulator.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Builds the firmware once per test process; its path.
fn firmware() -> &'static Path {
    static FIRMWARE: OnceLock<PathBuf> = OnceLock::new();
    FIRMWARE.get_or_init(|| {
        let qemu = Command::new("qemu-system-arm").arg("--version").output();
        assert!(
            qemu.is_ok_and(|o| o.status.success()),
            "qemu-system-arm is missing: apt-get install -y --no-install-recommends qemu-system-arm"
        );
        // From the port's folder, so that its `.cargo/config.toml` (target, linker script) applies;
        // into a target directory of its own (the workspace's is locked by the `cargo test` running us).
        let target_dir = Path::new(ROOT).join("target/cortex-m");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release"])
            .current_dir(Path::new(ROOT).join("ports/cortex-m"))
            .env("CARGO_TARGET_DIR", &target_dir)
            .status()
            .expect("run cargo");
        assert!(
            status.success(),
            "building the firmware failed (is the target installed? rustup target add thumbv7em-none-eabihf)"
        );
        target_dir.join("thumbv7em-none-eabihf/release/ferropy-cortex-m")
    })
}

/// Output (console bytes as text) and exit status of one run.
struct Run {
    out: String,
    status: i32,
}

/// Runs the firmware with `args` as its command line, in directory `cwd`, with `input` on the console.
fn run_board(cwd: &Path, args: &str, input: &[u8]) -> Run {
    run_board_typed(cwd, args, &[(input, 0)])
}

/// [`run_board`] with the console input typed in parts, each after a pause (milliseconds).
fn run_board_typed(cwd: &Path, args: &str, parts: &[(&[u8], u64)]) -> Run {
    run_board_until(cwd, args, parts, None)
}

/// [`run_board_typed`]; with `stop_after`, the emulator is stopped that long after the last
/// input (for a board that never exits by itself; the status is then -1).
fn run_board_until(cwd: &Path, args: &str, parts: &[(&[u8], u64)], stop_after: Option<Duration>) -> Run {
    let mut child = Command::new("qemu-system-arm")
        .args(["-M", "mps2-an386", "-cpu", "cortex-m4", "-display", "none", "-monitor", "none"])
        .args(["-serial", "stdio", "-semihosting-config", "enable=on,target=native", "-kernel"])
        .arg(firmware())
        .args(["-append", args])
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qemu-system-arm");
    let mut stdin = child.stdin.take().expect("stdin");
    let typing: Duration = parts.iter().map(|(_, ms)| Duration::from_millis(*ms)).sum();
    let parts: Vec<(Vec<u8>, u64)> = parts.iter().map(|(b, ms)| (b.to_vec(), *ms)).collect();
    let typist = std::thread::spawn(move || {
        for (bytes, pause) in parts {
            std::thread::sleep(Duration::from_millis(pause));
            if stdin.write_all(&bytes).and_then(|_| stdin.flush()).is_err() {
                return;
            }
        }
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if stop_after.is_some_and(|d| start.elapsed() > typing + d) {
            let _ = child.kill();
            break;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("`{args}` did not finish within {TIMEOUT:?} in QEMU");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = typist.join();
    let output = child.wait_with_output().expect("qemu output");
    let mut out = String::from_utf8_lossy(&output.stdout).into_owned();
    out.push_str(&String::from_utf8_lossy(&output.stderr));
    Run { out, status: output.status.code().unwrap_or(-1) }
}

/// Runs every `.py` of `dir` (but `skip`) on the board with `options` and compares with its
/// `.thumb.exp` if there is one (32-bit results), else its `.exp`.
fn run_folder(dir: &str, options: &str, skip: &[&str]) {
    let dir = Path::new(ROOT).join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read test folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".py") && !skip.contains(&n.as_str()))
        // What only the interpreter does (see tests/run_py.rs).
        .filter(|n| !(options.contains("emit=native") && n.contains("bytecode_only")))
        .collect();
    names.sort();
    assert!(names.len() > 10, "too few programs in {}", dir.display());
    firmware();
    // Two emulators at a time (the machine has two cores).
    let chunks: Vec<Vec<String>> = names.chunks(names.len().div_ceil(2)).map(|c| c.to_vec()).collect();
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let dir = &dir;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for name in chunk {
                        let thumb = dir.join(name.replace(".py", ".thumb.exp"));
                        let generic = dir.join(name.replace(".py", ".exp"));
                        let expected =
                            std::fs::read_to_string(if thumb.exists() { thumb } else { generic }).unwrap_or_default();
                        let run = run_board(dir, &format!("{options} {name}"), b"");
                        if run.out != expected {
                            failures.push(format!("--- {name}\nexpected:\n{expected}\ngot:\n{}", run.out));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("runner thread")).collect()
    });
    assert!(failures.is_empty(), "{} of {} programs differ:\n{}", failures.len(), names.len(), failures.join("\n"));
}

/// Programs of `tests/run` that cannot run on the board: `math_module.py` (the
/// board's `math` is the pure-Rust `libm`, as MicroPython's boards use their own
/// libm, whose `exp`/`cosh` differ from the host C library's in the last digit);
/// programs that list or create directories (semihosting, the board's link to
/// the host's files, can only open, read and write files); `machine_sim.py`
/// (drives the host's simulated board); programs that use sockets.
const NOT_ON_THE_BOARD: &[&str] = &[
    "math_module.py",
    "os_files.py",
    "os_pyvfs.py",
    "vfs_mem.py",
    "machine_sim.py",
    "file_finaliser.py",
    // The board has no network (no `socket` module).
    "asyncio_tcp_loopback.py",
    "select_poll_mixed.py",
    "socket_errors.py",
    "socket_tcp_echo.py",
    "socket_udp.py",
];

/// `tests/run` as bytecode on the board.
#[test]
fn bytecode_programs_run_on_the_board() {
    run_folder("tests/run", "", NOT_ON_THE_BOARD);
}

/// The shared native/viper corpus, compiled to Thumb-2 on the board by its own emitters.
#[test]
fn native_and_viper_corpus_runs_on_the_board() {
    run_folder("tests/native", "", &[]);
}

/// `tests/run` with every function compiled to Thumb-2 (`-X emit=native`).
#[test]
fn bytecode_programs_run_as_native_code_on_the_board() {
    run_folder("tests/run", "-X emit=native", NOT_ON_THE_BOARD);
}

#[test]
fn script_arguments_reach_sys_argv_and_exit_status_is_kept() {
    let dir = tempdir("argv");
    std::fs::write(dir.join("a.py"), "import sys\nprint(sys.platform, sys.argv)\nsys.exit(7)\n").unwrap();
    let run = run_board(&dir, "a.py x yz", b"");
    assert_eq!(run.out, "qemu ['a.py', 'x', 'yz']\n");
    assert_eq!(run.status, 7);
}

#[test]
fn exhausting_the_small_heap_raises_memory_error() {
    let dir = tempdir("oom");
    let source = "\
try:
    keep = []
    while True:
        keep.append(bytearray(1000))
except MemoryError:
    n = len(keep)
    keep = None
    print('MemoryError after', 'many' if n > 5 else n, 'blocks')
x = bytearray(100000)
";
    std::fs::write(dir.join("oom.py"), source).unwrap();
    let run = run_board(&dir, "-X heapsize=32k oom.py", b"");
    assert!(run.out.starts_with("MemoryError after many blocks\n"), "{}", run.out);
    assert!(run.out.contains("MemoryError"), "{}", run.out);
    assert_eq!(run.status, 1, "{}", run.out);
}

/// Code lives outside the GC arena, in the board's Rust heap: keeping more
/// code alive than that heap holds raises MemoryError (served meanwhile from
/// the heap's reserve) instead of stopping the firmware, and dropping the code
/// gives the memory back.
#[test]
fn exhausting_the_rust_heap_raises_memory_error() {
    let dir = tempdir("rust_oom");
    let source = "\
src = 'def f():\\n' + '    x = 1\\n' * 60 + '    return %d\\n'
keep = []
failed = False
try:
    for i in range(100000):
        d = {}
        exec(src % i, d)
        keep.append(d['f'])
except MemoryError:
    failed = True
    n = len(keep)
    keep = None
print('MemoryError', failed, n > 100)
for i in range(3):
    d = {}
    exec(src % i, d)
    print(d['f']())
";
    std::fs::write(dir.join("rust_oom.py"), source).unwrap();
    let run = run_board(&dir, "rust_oom.py", b"");
    assert_eq!(run.out, "MemoryError True True\n0\n1\n2\n");
    assert_eq!(run.status, 0, "{}", run.out);
}

#[test]
fn errors_in_scripts_are_python_exceptions() {
    let dir = tempdir("errors");
    std::fs::write(dir.join("syntax.py"), "x = (1,\nprint(x\n").unwrap();
    let run = run_board(&dir, "syntax.py", b"");
    assert!(run.out.contains("SyntaxError"), "{}", run.out);
    assert_eq!(run.status, 1);
    let run = run_board(&dir, "missing.py", b"");
    assert!(run.out.contains("can't open file 'missing.py'"), "{}", run.out);
    assert_eq!(run.status, 2);
    let run = run_board(&dir, "-X heapsize=zzz syntax.py", b"");
    assert!(run.out.contains("bad heap size"), "{}", run.out);
    assert_eq!(run.status, 2);
}

/// The REPL engine on the board's UART: expressions, auto-indented blocks (as
/// MicroPython's: blank lines first keep, then drop the indent, then end the
/// block), tracebacks, Ctrl-C
/// interrupting a running loop (through the UART's receive interrupt), the
/// raw REPL, and Ctrl-D (with `-X ctrld=exit`; a board soft-resets otherwise).
#[test]
fn repl_on_the_console() {
    let dir = tempdir("repl");
    let typed: &[(&[u8], u64)] = &[
        (b"x = 6 * 7\rx\rfor i in range(2):\rprint(i * x)\r\r\r\r1/0\r", 0),
        (b"while True:\rpass\r\r\r\r", 0),
        (b"\x03", 1500),
        (b"\x01print('raw', 2 + 3)\x04\x02", 500),
        (b"\x04", 300),
    ];
    let run = run_board_typed(&dir, "-X ctrld=exit", typed);
    let out = run.out.replace("\r\n", "\n");
    assert!(out.contains(">>> x\n42\n"), "{out}");
    assert!(out.contains("... ") && out.contains("0\n42\n"), "{out}");
    assert!(out.contains("ZeroDivisionError"), "{out}");
    assert!(out.contains("KeyboardInterrupt"), "{out}");
    assert!(out.contains("raw REPL; CTRL-B to exit\n>OKraw 5\n\x04\x04>"), "{out}");
    assert_eq!(run.status, 0, "{out}");
}

/// Without `-X ctrld=exit`, Ctrl-D soft-resets the board: a fresh VM.
#[test]
fn ctrl_d_soft_resets_the_board() {
    let dir = tempdir("soft-reset");
    let typed: &[(&[u8], u64)] = &[(b"y = 1\r\x04", 0), (b"y\r", 500), (b"import sys\rsys.exit(3)\r", 300)];
    let run = run_board_until(&dir, "", typed, Some(Duration::from_secs(2)));
    let out = run.out.replace("\r\n", "\n");
    assert!(out.contains("MPY: soft reboot"), "{out}");
    assert!(out.contains("NameError"), "{out}");
    // `sys.exit` soft-resets too (the board keeps running; the test stops it).
    assert_eq!(out.matches("MPY: soft reboot").count(), 2, "{out}");
}

#[test]
fn mpy_compiled_on_the_host_imports_on_the_board() {
    let dir = tempdir("mpy");
    std::fs::write(dir.join("lib.py"), "def twice(x):\n    return 2 * x\nNAME = 'lib'\n").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_ferropy-cross")).arg("lib.py").current_dir(&dir).status().unwrap();
    assert!(status.success());
    std::fs::remove_file(dir.join("lib.py")).unwrap();
    std::fs::write(dir.join("main.py"), "import lib\nprint(lib.NAME, lib.twice(21), lib.__file__)\n").unwrap();
    let run = run_board(&dir, "main.py", b"");
    assert_eq!(run.out, "lib 42 lib.mpy\n");
}

/// A fresh scratch directory under the target directory.
fn tempdir(name: &str) -> PathBuf {
    let dir = Path::new(ROOT).join("target/tmp/cortex-m").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn deep_native_recursion_raises_recursion_error() {
    let dir = tempdir("recursion");
    let source = "\
import micropython
@micropython.native
def down(n):
    return down(n + 1)
try:
    down(0)
except RuntimeError as e:
    print('caught', e)
@micropython.viper
def v(n: int) -> int:
    if n == 0:
        return 0
    return int(v(n - 1)) + 1
print(v(500))
";
    std::fs::write(dir.join("deep.py"), source).unwrap();
    let run = run_board(&dir, "deep.py", b"");
    assert_eq!(run.out, "caught maximum recursion depth exceeded\n500\n");
    assert_eq!(run.status, 0);
}

/// A fault inside emitted code (here a viper store into the guard region
/// below the stack, which the MPU forbids) is reported with the address and
/// the function instead of hanging the board.
#[test]
fn a_fault_in_emitted_code_is_reported_with_the_function() {
    let dir = tempdir("fault");
    let source = "\
import micropython
@micropython.viper
def poke(addr: int):
    p = ptr32(addr)
    p[0] = 1
print('before')
poke(0x20000100)
print('after')
";
    std::fs::write(dir.join("fault.py"), source).unwrap();
    let run = run_board(&dir, "fault.py", b"");
    assert!(run.out.starts_with("before\n"), "{}", run.out);
    assert!(run.out.contains("FATAL: hard fault"), "{}", run.out);
    assert!(run.out.contains("memory fault at address 0x20000100"), "{}", run.out);
    assert!(run.out.contains("in emitted code of poke at +0x"), "{}", run.out);
    assert!(!run.out.contains("after"), "{}", run.out);
    assert_eq!(run.status, 134);
}

/// Thumb-2 machine code cross-compiled on the host (`ferropy-cross -march=armv7emsp`)
/// imports and runs on the board; x86-64 machine code is refused with a clear error.
#[test]
fn native_mpy_cross_compiled_for_the_board_runs_and_other_arches_are_refused() {
    let dir = tempdir("native-mpy");
    let lib = "\
import micropython
@micropython.viper
def total(buf) -> int:
    p = ptr8(buf)
    s = 0
    for i in range(int(len(buf))):
        s += p[i]
    return s
@micropython.native
def gen(n):
    for i in range(n):
        yield i * i
";
    for (name, arch) in [("thumblib", "armv7emsp"), ("x64lib", "x64")] {
        std::fs::write(dir.join(format!("{name}.py")), lib).unwrap();
        let status = Command::new(env!("CARGO_BIN_EXE_ferropy-cross"))
            .args([&format!("-march={arch}"), &format!("{name}.py")])
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "ferropy-cross -march={arch}");
        std::fs::remove_file(dir.join(format!("{name}.py"))).unwrap();
    }
    std::fs::write(
        dir.join("main.py"),
        "import thumblib\nprint(thumblib.total(bytearray(range(10))), list(thumblib.gen(4)))\nimport x64lib\n",
    )
    .unwrap();
    let run = run_board(&dir, "main.py", b"");
    assert!(run.out.starts_with("45 [0, 1, 4, 9]\n"), "{}", run.out);
    assert!(run.out.contains("ValueError") && run.out.contains("arch"), "{}", run.out);
    assert_eq!(run.status, 1);
}
