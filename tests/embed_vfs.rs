//! File systems given to an embedded VM: an embedder's [`Vfs`] mounted at `/`
//! or beside the process's files, imports from it, and the errno Python sees
//! when file access is not allowed.

use std::sync::{Arc, Mutex};

use ferropy::embed::Vm;
use ferropy::runtime::modules::vfs::{DirEntry, MemVfs, Stat, Vfs};

/// A file system that records every path it is asked about (and keeps the
/// files in a [`MemVfs`]), as an embedder's storage driver would.
struct Recording {
    inner: MemVfs,
    log: Arc<Mutex<Vec<String>>>,
}

impl Recording {
    fn note(&self, what: &str, path: &str) {
        self.log.lock().unwrap().push(format!("{what} {path}"));
    }
}

impl Vfs for Recording {
    fn stat(&mut self, path: &str) -> Result<Stat, i32> {
        self.note("stat", path);
        self.inner.stat(path)
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        self.note("list", path);
        self.inner.list_dir(path)
    }
    fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        self.note("mkdir", path);
        self.inner.mkdir(path)
    }
    fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        self.inner.rmdir(path)
    }
    fn remove(&mut self, path: &str) -> Result<(), i32> {
        self.inner.remove(path)
    }
    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        self.inner.rename(from, to)
    }
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        self.note("read", path);
        self.inner.read_file(path)
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        self.note("write", path);
        self.inner.write_file(path, data, append)
    }
}

#[test]
fn embedder_file_system_at_root() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let fs = Recording { inner: MemVfs::new(), log: log.clone() };
    let mut vm = Vm::builder().mount("/", Box::new(fs)).build().unwrap();
    vm.exec("import os\nos.mkdir('/lib')\nwith open('/lib/helper.py', 'w') as f:\n    f.write('X = 41 + 1\\n')")
        .unwrap();
    vm.exec("import sys\nsys.path.append('/lib')\nimport helper").unwrap();
    assert_eq!(vm.eval::<i64>("helper.X").unwrap(), 42);
    assert_eq!(vm.eval::<Vec<String>>("os.listdir('/lib')").unwrap(), vec!["helper.py"]);
    assert_eq!(vm.eval::<i64>("os.stat('/lib/helper.py')[6]").unwrap(), 11);
    vm.exec("os.chdir('/lib')").unwrap();
    assert_eq!(vm.eval::<String>("os.getcwd()").unwrap(), "/lib");
    assert_eq!(vm.eval::<String>("open('helper.py').read()").unwrap(), "X = 41 + 1\n");
    let log = log.lock().unwrap();
    assert!(log.contains(&"mkdir /lib".to_string()), "{log:?}");
    assert!(log.contains(&"read /lib/helper.py".to_string()), "{log:?}");
}

#[test]
fn embedder_file_system_beside_host_files() {
    let mut vm = Vm::builder().allow_files(false).mount("/data", Box::new(MemVfs::with_limit(8))).build().unwrap();
    vm.exec("import os\nwith open('/data/x', 'w') as f:\n    f.write('12345678')").unwrap();
    // Full: ENOSPC (28) when the file is written back.
    let err = vm.exec("with open('/data/y', 'w') as f:\n    f.write('9')").unwrap_err();
    assert!(err.to_string().contains("28"), "{err}");
    assert_eq!(vm.eval::<Vec<String>>("os.listdir('/data')").unwrap(), vec!["x", "y"]);
    // The process's files stay out of reach: permission denied (EACCES).
    let err = vm.exec("os.listdir('/etc')").unwrap_err();
    assert!(err.to_string().contains("13"), "{err}");
    let err = vm.exec("open('/etc/hostname')").unwrap_err();
    assert!(err.to_string().contains("13"), "{err}");
    assert_eq!(vm.eval::<String>("str(os.stat('/data/x')[6])").unwrap(), "8");
}

#[test]
fn mount_errors() {
    let mut vm = Vm::builder().build().unwrap();
    vm.exec("import vfs, os\nvfs.mount(vfs.VfsMem(), '/m')").unwrap();
    let err = vm.exec("vfs.mount(vfs.VfsMem(), '/m')").unwrap_err();
    assert!(err.to_string().contains("OSError"), "{err}");
    let err = vm.exec("vfs.umount('/nothing')").unwrap_err();
    assert!(err.to_string().contains("22"), "{err}");
    let err = vm.exec("vfs.VfsMem(-1)").unwrap_err();
    assert!(err.to_string().contains("ValueError"), "{err}");
}

/// An embedder's block device under a FAT volume: Python writes files to it,
/// and the image can be mounted again (or read by any FAT implementation).
#[test]
fn fat_volume_on_an_embedder_block_device() {
    use ferropy::runtime::modules::vfs::fat::{FatVfs, RamDisk};
    let mut fs = FatVfs::new(RamDisk::new(128, 512));
    fs.mkfs().unwrap();
    let mut vm = Vm::builder().mount("/flash", Box::new(fs)).build().unwrap();
    vm.exec("import os\nos.mkdir('/flash/lib')\nopen('/flash/lib/util.py', 'w').write('X = 42')").unwrap();
    vm.exec("import sys\nsys.path.append('/flash/lib')\nimport util\nassert util.X == 42").unwrap();
    vm.exec("assert os.listdir('/flash') == ['lib']\nassert os.statvfs('/flash')[:3] == (512, 512, 94)").unwrap();
    // A corrupt device is an OSError(ENODEV), not a panic.
    let broken = FatVfs::new(RamDisk::new(128, 512));
    let mut vm = Vm::builder().mount("/bad", Box::new(broken)).build().unwrap();
    let e = vm.exec("import os\ntry:\n    os.listdir('/bad')\nexcept OSError as e:\n    assert e.errno == 19, e\n");
    assert!(e.is_ok(), "{e:?}");
}
