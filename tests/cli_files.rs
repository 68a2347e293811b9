//! Files through the `ferropy` command: `open()` modes check the access they allow
//! (OSError EBADF otherwise, as MicroPython), appending leaves an existing file
//! untouched until something is written, and `readinto` reads into a buffer.
//! The expected output was recorded with MicroPython's unix port.

use std::process::Command;

const PROGRAM: &str = r#"
f = open("t.txt", "w")
f.write("hello\n")
f.close()
a = open("t.txt", "a")
print(open("t.txt").read() == "hello\n")
a.write("more\n")
a.close()
print(repr(open("t.txt").read()))
b = bytearray(8)
f = open("t.txt", "rb")
print(f.readinto(b), b)
for mode, op in (("r", "write"), ("a", "read"), ("ab", "readinto"), ("w", "readline")):
    f = open("t.txt", mode)
    try:
        if op == "write":
            f.write("x")
        elif op == "readinto":
            f.readinto(bytearray(2))
        else:
            getattr(f, op)()
        print("no error", mode, op)
    except OSError as e:
        print("OSError", mode, op, e.args[0])
    f.close()
"#;

const EXPECTED: &str = "True
'hello\\nmore\\n'
8 bytearray(b'hello\\nmo')
OSError r write 9
OSError a read 9
OSError ab readinto 9
OSError w readline 9
";

#[test]
fn open_modes_append_and_readinto() {
    let dir = std::env::temp_dir().join(format!("ferropy_cli_files_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_ferropy"))
        .args(["-c", PROGRAM])
        .current_dir(&dir)
        .output()
        .expect("run ferropy");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout, EXPECTED, "stderr: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file written and never closed or flushed still gets its data when the
/// program ends, normally or through `sys.exit` (MicroPython's files are
/// unbuffered; ferropy's are written back when the VM ends).
#[test]
fn unclosed_files_are_written_at_exit() {
    let dir = std::env::temp_dir().join(format!("ferropy_cli_unclosed_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let program = "a = open('a.txt', 'w')\na.write('kept a\\n')\nb = open('b.txt', 'wb')\nb.write(b'kept b')\nb = None\nimport sys\nsys.exit(4)\n";
    let out = Command::new(env!("CARGO_BIN_EXE_ferropy")).args(["-c", program]).current_dir(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "kept a\n");
    assert_eq!(std::fs::read_to_string(dir.join("b.txt")).unwrap(), "kept b");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `open(fd)` accepts only the standard descriptors (ferropy's files are not
/// OS descriptors); in-memory streams have no descriptor.
#[test]
fn descriptor_errors() {
    let program = "for fd in (3, 9, -1):\n    try:\n        open(fd)\n    except OSError as e:\n        print('OSError', e.errno)\nimport io\ntry:\n    io.StringIO().fileno()\nexcept OSError as e:\n    print('OSError', e.errno)\nprint(open(0).fileno(), open(1, 'wb').fileno())\n";
    let out = Command::new(env!("CARGO_BIN_EXE_ferropy")).args(["-c", program]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "OSError 9\nOSError 9\nOSError 9\nOSError 9\n0 1\n");
}
