//! The built-in exception hierarchy and exception instances.
//!
//! Instance layout (built-in exception types and user classes derived from
//! them): `[class, attribute dict | NULL, args tuple, traceback list | NULL]`.
//! The traceback list holds (file qstr, line, block-name qstr) triples,
//! innermost first, as MicroPython records them while unwinding.

use alloc::string::String;

use super::ids::*;
use super::{Method, TypeDesc};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::Vm;

const fn exc(name: &'static str, base: u32) -> TypeDesc {
    TypeDesc {
        subclassable: true,
        make_new: Some(exc_make_new),
        print: Some(exc_print),
        attr: Some(exc_attr),
        methods: &EXC_METHODS,
        ..TypeDesc::new(name, base)
    }
}

/// Most traceback entries kept per exception.
pub const MAX_TRACEBACK_ENTRIES: usize = 1024;

/// Traceback entries the preallocated MemoryError records (its list is made
/// with the VM, so a full heap still gets a traceback, as MicroPython's
/// emergency exception buffer gives).
pub const MEMORY_ERROR_TRACEBACK_ENTRIES: usize = 16;

static EXC_METHODS: [Method; 1] = [Method::new("__init__", exc_init)];

/// `BaseException.__init__(self, *args)`: stores the args.
fn exc_init(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    if let Some((&this, rest)) = args.split_first() {
        if vm.is_exception(this) {
            let t = vm.new_tuple(rest)?;
            vm.set(this, 2, t);
        }
    }
    Ok(Obj::NONE)
}

static EXCEPTIONS: [TypeDesc; (EXCEPTION_END - BASE_EXCEPTION) as usize] = [
    exc("BaseException", OBJECT),
    exc("SystemExit", BASE_EXCEPTION),
    exc("KeyboardInterrupt", BASE_EXCEPTION),
    exc("GeneratorExit", BASE_EXCEPTION),
    exc("Exception", BASE_EXCEPTION),
    exc("StopIteration", EXCEPTION),
    exc("ArithmeticError", EXCEPTION),
    exc("OverflowError", ARITHMETIC_ERROR),
    exc("ZeroDivisionError", ARITHMETIC_ERROR),
    exc("AssertionError", EXCEPTION),
    exc("AttributeError", EXCEPTION),
    exc("EOFError", EXCEPTION),
    exc("ImportError", EXCEPTION),
    exc("LookupError", EXCEPTION),
    exc("IndexError", LOOKUP_ERROR),
    exc("KeyError", LOOKUP_ERROR),
    exc("MemoryError", EXCEPTION),
    exc("NameError", EXCEPTION),
    exc("OSError", EXCEPTION),
    exc("RuntimeError", EXCEPTION),
    exc("NotImplementedError", RUNTIME_ERROR),
    exc("SyntaxError", EXCEPTION),
    exc("TypeError", EXCEPTION),
    exc("ValueError", EXCEPTION),
    exc("UnicodeError", VALUE_ERROR),
    exc("IndentationError", SYNTAX_ERROR),
    exc("ViperTypeError", TYPE_ERROR),
    exc("StopAsyncIteration", EXCEPTION),
];

/// The descriptor of exception type `id`.
pub fn desc(id: u32) -> Option<&'static TypeDesc> {
    EXCEPTIONS.get(id.checked_sub(BASE_EXCEPTION)? as usize)
}

/// Names of all built-in exception types with their ids (for the builtins module).
pub fn all() -> impl Iterator<Item = (&'static str, u32)> {
    EXCEPTIONS.iter().enumerate().map(|(i, d)| (d.name, BASE_EXCEPTION + i as u32))
}

/// A new exception instance of class `cls` (built-in or user) with `args`.
/// When the heap cannot hold it, a built-in exception becomes the emergency
/// exception if there is one (`Vm::prepare_emergency_exception`).
pub fn new_exception_of(vm: &mut Vm, cls: Obj, args: &[Obj]) -> PyResult<Obj> {
    match allocate_exception(vm, cls, args) {
        Err(e) if !vm.is_user_class(cls) && e.0 == vm.st.memory_error => vm.emergency_exception(cls, args).ok_or(e),
        r => r,
    }
}

fn allocate_exception(vm: &mut Vm, cls: Obj, args: &[Obj]) -> PyResult<Obj> {
    let t = vm.new_tuple(args)?;
    vm.root(t);
    let e = vm.alloc(4)?;
    vm.set(e, 0, cls);
    vm.set(e, 2, t);
    if vm.is_user_class(cls) {
        vm.root(e);
        let d = super::dict::new_dict(vm, 0)?;
        vm.set(e, 1, d);
    }
    Ok(e)
}

fn exc_make_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    new_exception_of(vm, t, args)
}

fn exc_print(vm: &mut Vm, o: Obj, out: &mut String, repr: bool) -> PyResult<()> {
    let args = vm.get(o, 2);
    let items = vm.tuple_items(args);
    if repr {
        out.push_str(&vm.type_name(o));
        if items.is_empty() {
            out.push_str("()");
        } else {
            vm.print_obj(args, out, true)?;
        }
        return Ok(());
    }
    // OSError(errno[, message]): "[Errno N] NAME" / "[Errno N] message" (system modules).
    if vm.exception_matches(o, OS_ERROR) {
        if let Some(text) = crate::modules::errno::os_error_text(vm, &items) {
            out.push_str(&text);
            return Ok(());
        }
    }
    match items.as_slice() {
        [] => {}
        [one] => vm.print_obj(*one, out, false)?,
        _ => vm.print_obj(args, out, true)?,
    }
    Ok(())
}

fn exc_attr(vm: &mut Vm, o: Obj, name: Qstr) -> PyResult<Option<Obj>> {
    let text = vm.qstr_text(name);
    let args = vm.get(o, 2);
    Ok(match text.as_str() {
        "args" => Some(args),
        "value" => Some(vm.tuple_items(args).first().copied().unwrap_or(Obj::NONE)),
        "errno" if vm.isinstance(o, super::type_obj(OS_ERROR)) => {
            Some(vm.tuple_items(args).first().copied().unwrap_or(Obj::NONE))
        }
        _ => None,
    })
}

impl Vm {
    /// True if `o` is an exception instance.
    pub fn is_exception(&self, o: Obj) -> bool {
        o.is_heap_ref() && (BASE_EXCEPTION..EXCEPTION_END).contains(&self.native_type_id(o))
    }

    /// Appends a traceback entry to exception `exc` (skipped if memory is short).
    pub fn add_traceback(&mut self, exc: Obj, file: Qstr, line: u32, block: Qstr) {
        if !self.is_exception(exc) {
            return;
        }
        let _ = self.with_temps(|vm| {
            vm.root(exc);
            let mut tb = vm.get(exc, 3);
            if tb.is_null() {
                tb = vm.new_list(&[])?;
                vm.set(exc, 3, tb);
            }
            // Bound the traceback (deep recursion would otherwise fill the heap);
            // the MemoryError only fills the room it was made with.
            let limit = if exc == vm.st.memory_error { vm.get_usize(tb, 2) } else { 3 * MAX_TRACEBACK_ENTRIES };
            if vm.list_len(tb) + 3 > limit {
                return Ok(());
            }
            let f = Obj::from_qstr(file).unwrap_or(Obj::NONE);
            let b = Obj::from_qstr(block).unwrap_or(Obj::NONE);
            let l = vm.new_int(i64::from(line))?;
            vm.list_append(tb, f)?;
            vm.list_append(tb, l)?;
            vm.list_append(tb, b)
        });
    }

    /// MicroPython's text for an uncaught exception: the traceback, then `Type: message`.
    pub fn format_exception(&mut self, exc: Obj) -> String {
        let mut out = String::new();
        let tb = self.get(exc, 3);
        if self.is_list(tb) {
            out.push_str("Traceback (most recent call last):\n");
            let items = self.list_items(tb);
            for entry in items.chunks(3).rev() {
                if let [f, l, b] = entry {
                    let file = f.qstr().map(|q| self.qstr_text(q)).unwrap_or_default();
                    let block = b.qstr().map(|q| self.qstr_text(q)).unwrap_or_default();
                    let line = self.int_value(*l).unwrap_or(0);
                    if block.is_empty() {
                        out.push_str(&alloc::format!("  File \"{file}\", line {line}\n"));
                    } else {
                        out.push_str(&alloc::format!("  File \"{file}\", line {line}, in {block}\n"));
                    }
                }
            }
        }
        out.push_str(&self.type_name(exc));
        // As MicroPython: "Type: message", and "Type: " without one.
        out.push_str(": ");
        let mut msg = String::new();
        if self.is_exception(exc) && self.print_obj(exc, &mut msg, false).is_ok() {
            out.push_str(&msg);
        }
        out.push('\n');
        out
    }
}
