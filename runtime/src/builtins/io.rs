//! `print`.

use alloc::string::String;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// `print(*args, sep=' ', end='\n')`.
pub fn print(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let mut sep = String::from(" ");
    let mut end = String::from("\n");
    for pair in kw.chunks(2) {
        if let [k, v] = pair {
            let name = vm.str_text(*k).unwrap_or_default();
            let value = if *v == Obj::NONE { None } else { Some(vm.expect_str(*v)?) };
            match name.as_str() {
                "sep" => sep = value.unwrap_or_else(|| String::from(" ")),
                "end" => end = value.unwrap_or_else(|| String::from("\n")),
                "file" => {}
                _ => return Err(vm.type_error("unexpected keyword argument")),
            }
        }
    }
    let mut out = String::new();
    for (i, &a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        vm.print_obj(a, &mut out, false)?;
    }
    out.push_str(&end);
    vm.write_out(out.as_bytes());
    Ok(Obj::NONE)
}
