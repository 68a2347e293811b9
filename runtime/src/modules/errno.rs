//! The `errno` module: MicroPython's error codes (Linux numbering) and the
//! `errorcode` dict; [`os_error`] builds `OSError(errno)`.

use crate::error::{PyErr, PyResult};
use crate::obj::Obj;
use crate::types::ids;
use crate::vm::Vm;

/// (name, code) as in MicroPython's `errno` module on the unix port.
pub static CODES: &[(&str, i32)] = &[
    ("EPERM", 1),
    ("ENOENT", 2),
    ("EIO", 5),
    ("EBADF", 9),
    ("EAGAIN", 11),
    ("ENOMEM", 12),
    ("EACCES", 13),
    ("EEXIST", 17),
    ("ENODEV", 19),
    ("EISDIR", 21),
    ("EINVAL", 22),
    ("EOPNOTSUPP", 95),
    ("EADDRINUSE", 98),
    ("ECONNABORTED", 103),
    ("ECONNRESET", 104),
    ("ENOBUFS", 105),
    ("ENOTCONN", 107),
    ("ETIMEDOUT", 110),
    ("ECONNREFUSED", 111),
    ("EHOSTUNREACH", 113),
    ("EALREADY", 114),
    ("EINPROGRESS", 115),
];

/// `EIO`: a stream returned more bytes than asked for.
pub const EIO: i32 = 5;
/// `EAGAIN`: a stream had nothing ready (its method returned `None`).
pub const EAGAIN: i32 = 11;

/// Fills `errno`'s globals.
pub fn init(vm: &mut Vm, g: Obj) -> PyResult<()> {
    let d = crate::types::dict::new_dict(vm, CODES.len())?;
    vm.set_global(g, "errorcode", d)?;
    for &(name, code) in CODES {
        let c = Obj::from_small_int(code).unwrap_or(Obj::NONE);
        vm.set_global(g, name, c)?;
        let n = vm.qstr_obj(name)?;
        vm.dict_store(d, c, n)?;
    }
    // Read-only, as MicroPython's ROM table.
    let fixed = crate::types::dict::new_fixed_dict(vm, d)?;
    vm.set_global(g, "errorcode", fixed)
}

/// `OSError(errno)`.
#[cold]
#[inline(never)]
pub fn os_error(vm: &mut Vm, errno: i32) -> PyErr {
    let c = Obj::from_small_int(errno).unwrap_or(Obj::NONE);
    match vm.new_exception(ids::OS_ERROR, &[c]) {
        Ok(e) => PyErr(e),
        Err(e) => e,
    }
}

/// MicroPython's `str()` of an `OSError` with these args, when it differs from
/// the plain rendering: `[Errno N] NAME` for a known code alone, `[Errno N] msg`
/// for a code and a message.
pub fn os_error_text(vm: &Vm, args: &[Obj]) -> Option<alloc::string::String> {
    let code = args.first()?.small_int_value()?;
    match args {
        [_] => CODES.iter().find(|(_, c)| *c == code).map(|(n, _)| alloc::format!("[Errno {code}] {n}")),
        [_, msg] => {
            let m = vm.str_text(*msg)?;
            Some(match CODES.iter().find(|(_, c)| *c == code) {
                Some((n, _)) => alloc::format!("[Errno {code}] {n}: {m}"),
                None => alloc::format!("[Errno {code}] {m}"),
            })
        }
        _ => None,
    }
}
