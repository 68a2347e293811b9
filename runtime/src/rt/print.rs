//! `str()`/`repr()`: appending an object's text to a String.

use alloc::string::String;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

impl Vm {
    /// Appends `repr(o)` (repr = true) or `str(o)` to `out`.
    pub fn print_obj(&mut self, o: Obj, out: &mut String, repr: bool) -> PyResult<()> {
        if let Some(v) = o.small_int_value() {
            out.push_str(&alloc::format!("{v}"));
            return Ok(());
        }
        if self.st.native_depth > self.st.native_limit {
            return Err(self.recursion_error());
        }
        let t = self.type_of(o);
        if self.is_user_class(t) {
            let name = if repr { "__repr__" } else { "__str__" };
            let r = match crate::rt::call_dunder(self, o, name, &[])? {
                Some(r) => Some(r),
                None if !repr => crate::rt::call_dunder(self, o, "__repr__", &[])?,
                None => None,
            };
            if let Some(r) = r {
                let s = self.expect_str(r)?;
                out.push_str(&s);
                return Ok(());
            }
        }
        match self.desc_of(o).print {
            Some(f) => {
                self.st.native_depth += 1;
                let o = self.native_self(o);
                let r = f(self, o, out, repr);
                self.st.native_depth -= 1;
                r
            }
            None => {
                let name = self.type_name(o);
                out.push_str(&alloc::format!("<{name} object at {:x}>", o.raw()));
                Ok(())
            }
        }
    }

    /// `str(o)` as a Rust string.
    pub fn to_str(&mut self, o: Obj) -> PyResult<String> {
        let mut s = String::new();
        self.print_obj(o, &mut s, false)?;
        Ok(s)
    }

    /// `repr(o)` as a Rust string.
    pub fn to_repr(&mut self, o: Obj) -> PyResult<String> {
        let mut s = String::new();
        self.print_obj(o, &mut s, true)?;
        Ok(s)
    }
}
