//! `print`.

use alloc::string::String;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{self, ids};
use crate::vm::Vm;

/// `print(*args, sep=' ', end='\n', file=...)`: with `file`, the text goes to
/// that stream's `write`. As in MicroPython, `file` must be a built-in stream
/// (`io.StringIO`, `io.BytesIO`, `sys.stdout`/`stderr`, an opened file) or derive from
/// `io.IOBase`; anything else, `None` included, raises `OSError: stream operation not
/// supported`.
pub fn print(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let mut sep = String::from(" ");
    let mut end = String::from("\n");
    let mut file = Obj::NULL;
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            let name = vm.str_text(*k).unwrap_or_default();
            if name == "file" {
                file = *v;
                continue;
            }
            let value = if *v == Obj::NONE { None } else { Some(vm.expect_str(*v)?) };
            match name.as_str() {
                "sep" => sep = value.unwrap_or_else(|| String::from(" ")),
                "end" => end = value.unwrap_or_else(|| String::from("\n")),
                _ => return Err(vm.type_error("unexpected keyword argument")),
            }
        }
    }
    // The pieces, in the order MicroPython writes them: each argument, separators, end.
    let mut pieces = alloc::vec::Vec::new();
    for (i, &a) in args.iter().enumerate() {
        if i > 0 {
            pieces.push(sep.clone());
        }
        let mut text = String::new();
        vm.print_obj(a, &mut text, false)?;
        pieces.push(text);
    }
    pieces.push(end);
    let out: String = pieces.concat();
    if file.is_null() {
        vm.write_out(out.as_bytes());
        return Ok(Obj::NONE);
    }
    let t = vm.type_of(file);
    let is_stream =
        [ids::STRING_IO, ids::BYTES_IO, ids::TEXT_IO, ids::FILE_IO].iter().any(|&id| t == types::type_obj(id));
    if vm.class_native_base(t) == ids::IO_BASE {
        // A Python stream (derived from io.IOBase): its `write` gets each piece as a
        // bytearray, as MicroPython's stream layer makes them, until all is written.
        for p in pieces.iter().filter(|p| !p.is_empty()) {
            crate::modules::vfs::pyfs::write_all(vm, file, p.as_bytes())?;
        }
        return Ok(Obj::NONE);
    }
    if !is_stream {
        return Err(vm.new_error(ids::OS_ERROR, "stream operation not supported"));
    }
    vm.with_temps(|vm| {
        let write = vm.intern("write")?;
        let (fun, this) = vm.load_method(file, write)?;
        vm.root(fun);
        vm.root(this);
        let text = vm.new_str(&out)?;
        vm.root(text);
        if this.is_null() {
            vm.call(fun, &[text], &[])?;
        } else {
            vm.call(fun, &[this, text], &[])?;
        }
        Ok(Obj::NONE)
    })
}

/// `input([prompt])`: writes the prompt, reads one line from standard input
/// without its newline; `EOFError` at the end of the input.
pub fn input(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    if args.len() > 1 {
        return Err(vm.type_error("function takes at most 1 positional argument"));
    }
    if let Some(&prompt) = args.first() {
        let mut text = String::new();
        vm.print_obj(prompt, &mut text, false)?;
        vm.write_out(text.as_bytes());
    }
    let mut line = crate::modules::io::stdin_take(vm, None, true, true);
    // Ctrl-C while waiting (a host's read returns early for it) raises here.
    vm.check_interrupt()?;
    if line.is_empty() {
        return Err(vm.new_error(ids::EOF_ERROR, ""));
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
    vm.new_str(&String::from_utf8_lossy(&line))
}
