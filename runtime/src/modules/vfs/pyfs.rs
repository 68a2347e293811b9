//! Calling the methods of a mounted Python file system object (MicroPython's
//! VFS protocol: `mount`, `umount`, `ilistdir`, `stat`, `statvfs`, `open`,
//! `mkdir`, `rmdir`, `remove`, `rename`, `chdir`, `getcwd`).

use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// `obj.name(*args)`.
pub fn call(vm: &mut Vm, obj: Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    let q = vm.intern(name)?;
    let (f, s) = vm.load_method(obj, q)?;
    if s.is_null() {
        vm.call(f, args, &[])
    } else {
        let mut all = alloc::vec::Vec::with_capacity(args.len() + 1);
        all.push(s);
        all.extend_from_slice(args);
        vm.call(f, &all, &[])
    }
}
