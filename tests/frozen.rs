//! Frozen modules end to end: a folder is frozen with the same function a build
//! script uses, the table is handed to the VM, and `import` finds the modules
//! through the `.frozen` entry of `sys.path` without touching the host's files;
//! `sys.path` order decides between frozen and file-system modules, as in MicroPython.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ferropy::frozen::{freeze_modules, FreezeError};
use ferropy::runtime::modules::{Host, PathKind, StdHost};
use ferropy::runtime::vm::{FrozenModules, OutputSink};
use ferropy::runtime::VmConfig;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferropy-frozen-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// Freezes `dir` into a `'static` table, as `include!` of the generated file gives.
fn frozen_table(dir: &Path) -> FrozenModules {
    let modules = freeze_modules(dir).expect("freezes");
    let entries: Vec<(&'static str, &'static [u8])> = modules
        .into_iter()
        .map(|m| (&*Box::leak(m.path.into_boxed_str()), &*Box::leak(m.mpy.into_boxed_slice())))
        .collect();
    Box::leak(entries.into_boxed_slice())
}

/// A host with no files that counts how often it was asked for one.
struct NoFiles(Arc<AtomicUsize>);

impl Host for NoFiles {
    fn stat(&mut self, _path: &str) -> PathKind {
        self.0.fetch_add(1, Ordering::Relaxed);
        PathKind::Missing
    }
    fn read_file(&mut self, _path: &str) -> Result<Vec<u8>, i32> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Err(2)
    }
}

/// Runs `main` with `table` frozen and `sys.path` = `path`; returns the output
/// (stdout then stderr) and the exit status.
fn run(table: FrozenModules, path: &[&str], host: Box<dyn Host>, main: &str) -> (String, i32) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let opts = ferropy::run::RunOptions {
        argv: vec!["main.py".into()],
        path: path.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    };
    let config = VmConfig { frozen: table, ..VmConfig::default() };
    let mut vm = ferropy::run::new_vm(config, out, err, &opts).expect("vm");
    vm.st.sys.host = host;
    let r = vm.run_main_source(main.as_bytes(), "main.py", ferropy::frontend::InputKind::File).map(|_| ());
    let status = ferropy::run::exit_status(&mut vm, r);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    (text, status)
}

#[test]
fn frozen_modules_and_packages_import_without_the_file_system() {
    let dir = temp_dir("nofs");
    write(&dir, "greet.py", "def hello(who):\n    return 'hello ' + who\n");
    write(&dir, "pkg/__init__.py", "print('pkg init', __name__)\nVALUE = 7\n");
    write(&dir, "pkg/sub.py", "from . import VALUE\nDOUBLE = 2 * VALUE\n");
    write(&dir, "pkg/inner/deep.py", "WHERE = __name__\n");
    let table = frozen_table(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let calls = Arc::new(AtomicUsize::new(0));
    let main = "import greet, pkg.sub\nfrom pkg.inner import deep\n\
        print(greet.hello('frozen'), pkg.sub.DOUBLE, deep.WHERE)\n\
        print(greet.__file__, pkg.__file__, pkg.sub.__file__, pkg.__path__)\n\
        try:\n    import missing\nexcept ImportError as e:\n    print(repr(e))\n";
    let (out, status) = run(table, &[".frozen"], Box::new(NoFiles(calls.clone())), main);
    assert_eq!(
        out,
        "pkg init pkg\nhello frozen 14 pkg.inner.deep\n\
         greet.py pkg/__init__.py pkg/sub.py .frozen/pkg\n\
         ImportError(\"no module named 'missing'\",)\n"
    );
    assert_eq!(status, 0);
    assert_eq!(calls.load(Ordering::Relaxed), 0, "the host was asked for files");
}

#[test]
fn sys_path_order_decides_between_frozen_and_files() {
    let frozen_src = temp_dir("order-frozen");
    write(&frozen_src, "which.py", "WHO = 'frozen'\n");
    write(&frozen_src, "onlyfrozen.py", "WHO = 'frozen only'\n");
    let table = frozen_table(&frozen_src);
    let _ = std::fs::remove_dir_all(&frozen_src);
    let files = temp_dir("order-files");
    write(&files, "which.py", "WHO = 'file'\n");
    let files_dir = files.to_string_lossy().into_owned();
    let main = "import which, onlyfrozen\nprint(which.WHO, onlyfrozen.WHO)\n";
    let frozen_first = run(table, &[".frozen", &files_dir], Box::new(StdHost::new()), main);
    let files_first = run(table, &[&files_dir, ".frozen"], Box::new(StdHost::new()), main);
    let no_frozen_entry = run(table, &[&files_dir], Box::new(StdHost::new()), "import onlyfrozen\n");
    let _ = std::fs::remove_dir_all(&files);
    assert_eq!(frozen_first, ("frozen frozen only\n".to_string(), 0));
    assert_eq!(files_first, ("file frozen only\n".to_string(), 0));
    assert_eq!(no_frozen_entry.1, 1);
    assert!(no_frozen_entry.0.ends_with("ImportError: no module named 'onlyfrozen'\n"), "{}", no_frozen_entry.0);
}

#[test]
fn a_frozen_module_with_a_syntax_error_is_refused_at_build_time() {
    let dir = temp_dir("syntax");
    write(&dir, "ok.py", "X = 1\n");
    write(&dir, "pkg/bad.py", "X = 1\nif X\n    pass\n");
    let result = freeze_modules(&dir);
    let out = dir.join("frozen.rs");
    let written = ferropy::frozen::freeze_dir(&dir, &out);
    let out_exists = out.exists();
    let _ = std::fs::remove_dir_all(&dir);
    let err = result.expect_err("refused");
    assert!(matches!(err, FreezeError::Compile { ref path, .. } if path == "pkg/bad.py"));
    assert_eq!(err.to_string(), "can't freeze pkg/bad.py: pkg/bad.py:2:5: SyntaxError: invalid syntax");
    assert!(written.is_err());
    assert!(!out_exists, "no table is written for a folder that does not compile");
}

#[test]
fn the_command_has_src_frozen_built_in_and_micropypath_can_drop_it() {
    let dir = temp_dir("cli");
    write(
        &dir,
        "main.py",
        "import functools\nprint(functools.__file__, functools.reduce(lambda a, b: a * b, range(1, 6)))\n",
    );
    let exe = env!("CARGO_BIN_EXE_ferropy");
    let main = dir.join("main.py");
    let with_frozen = std::process::Command::new(exe).arg(&main).env_remove("MICROPYPATH").output().unwrap();
    let without = std::process::Command::new(exe).arg(&main).env("MICROPYPATH", "/nonexistent").output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(String::from_utf8_lossy(&with_frozen.stdout), "functools.py 120\n");
    assert_eq!(with_frozen.status.code(), Some(0));
    assert_eq!(without.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&without.stderr).ends_with("ImportError: no module named 'functools'\n"));
    assert!(ferropy::FROZEN.iter().any(|(path, _)| *path == "functools.py"));
}

/// `ferropy -m NAME` runs a frozen module (or a frozen package's `__main__`)
/// as `__main__`, without the file system.
#[test]
fn frozen_modules_run_with_dash_m() {
    let dir = temp_dir("dashm");
    write(&dir, "tool.py", "print('tool runs as', __name__)\n");
    write(&dir, "app/__init__.py", "print('app init')\n");
    write(&dir, "app/__main__.py", "print('app main as', __name__)\n");
    let table = frozen_table(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let calls = Arc::new(AtomicUsize::new(0));
    let mut outputs = Vec::new();
    for name in ["tool", "app", "nosuch"] {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let (b1, b2) = (buf.clone(), buf.clone());
        let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
        let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
        let opts = ferropy::run::RunOptions { path: vec![".frozen".into()], ..Default::default() };
        let config = VmConfig { frozen: table, ..VmConfig::default() };
        let mut vm = ferropy::run::new_vm(config, out, err, &opts).expect("vm");
        vm.st.sys.host = Box::new(NoFiles(calls.clone()));
        let r = vm.run_main_module(name);
        let status = ferropy::run::exit_status(&mut vm, r);
        outputs.push((String::from_utf8_lossy(&buf.lock().unwrap()).into_owned(), status));
    }
    assert_eq!(outputs[0], ("tool runs as __main__\n".to_string(), 0));
    assert_eq!(outputs[1], ("app main as __main__\n".to_string(), 0));
    assert_eq!(outputs[2].1, 1);
    assert!(outputs[2].0.ends_with("ImportError: no module named 'nosuch'\n"), "{}", outputs[2].0);
    assert_eq!(calls.load(Ordering::Relaxed), 0, "the host was asked for files");
}
