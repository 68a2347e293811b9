//! The import system, following MicroPython's `builtinimport.c`: built-in
//! modules first, then `.py` files and packages (directories, with or without
//! `__init__.py`) found on `sys.path` (top level) or in the parent package's
//! `__path__` (submodules); paths under the `.frozen` entry name frozen modules
//! (see [`super::frozen`]) and never reach the host. A module is entered in `sys.modules` before its code
//! runs (so circular imports see the partially initialised module) and removed
//! again if its code raises.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use ferropy_frontend::InputKind;

use super::{frozen, PathKind};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::types::ids;
use crate::vm::Vm;

/// What a module's code comes from.
enum ModuleBody {
    /// A frozen `.mpy` image compiled into the program.
    Mpy(&'static [u8]),
    /// A `.mpy` file read from the host.
    MpyOwned(Vec<u8>),
    /// Python source read from the host.
    Source(Vec<u8>),
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        alloc::format!("{dir}/{name}")
    }
}

impl Vm {
    /// `IMPORT_NAME`: pops the fromlist, replaces the level with the module.
    pub(crate) fn op_import_name(&mut self, q: Qstr) -> PyResult<()> {
        let fromlist = self.pop()?;
        self.root(fromlist);
        let level = self.peek(0)?;
        // `builtins.__import__` replaced by Python code takes over every import statement.
        let b = self.st.builtins;
        if let Some(f) = self.dict_get_str(b, "__import__")? {
            if f != crate::builtins::function_obj("__import__") {
                let globals = self.frame()?.globals;
                let n = Obj::from_qstr(q).unwrap_or(Obj::NONE);
                let m = self.call(f, &[n, globals, Obj::NONE, fromlist, level], &[])?;
                return self.poke(0, m);
            }
        }
        let level = self.int_value(level).unwrap_or(0);
        let name = self.qstr_text(q);
        let m = self.import_name(&name, fromlist, level)?;
        self.poke(0, m)
    }

    /// `IMPORT_FROM`: pushes `module.name`, importing submodule `name` of a package if needed.
    pub(crate) fn op_import_from(&mut self, q: Qstr) -> PyResult<()> {
        let m = self.peek(0)?;
        if let Some(v) = self.load_attr_opt(m, q)? {
            return self.push(v);
        }
        let attr = self.qstr_text(q);
        if self.is_module(m) {
            let g = self.get(m, 1);
            if self.dict_get_str(g, "__path__")?.is_some() {
                let pkg = match self.dict_get_str(g, "__name__")? {
                    Some(n) => self.str_text(n).unwrap_or_default(),
                    None => String::new(),
                };
                let full = alloc::format!("{pkg}.{attr}");
                self.import_name(&full, Obj::TRUE, 0)?;
                if let Some(v) = self.load_attr_opt(m, q)? {
                    return self.push(v);
                }
            }
        }
        let msg = alloc::format!("can't import name {attr}");
        Err(self.new_error(ids::IMPORT_ERROR, &msg))
    }

    /// `IMPORT_STAR`: copies the module's public names into the current locals.
    pub(crate) fn op_import_star(&mut self) -> PyResult<()> {
        let m = self.pop()?;
        self.root(m);
        let target = match self.st.frames.last() {
            Some(f) if !f.locals.is_null() => f.locals,
            Some(f) => f.globals,
            None => return Ok(()),
        };
        // `__all__` names exactly what is imported (any object can stand in for a module).
        // (Only an AttributeError while looking it up counts as "no __all__".)
        let all_q = self.intern("__all__")?;
        let all = match self.load_attr_opt(m, all_q) {
            Ok(found) => found,
            Err(e) if self.exception_matches(e.0, ids::ATTRIBUTE_ERROR) => None,
            Err(e) => return Err(e),
        };
        if let Some(all) = all {
            self.root(all);
            for name in self.collect_iterable(all)? {
                let text = self.expect_str(name)?;
                let q = self.intern(&text)?;
                let v = self.load_attr(m, q)?;
                let k = Obj::from_qstr(q).unwrap_or(Obj::NONE);
                self.dict_store(target, k, v)?;
            }
            return Ok(());
        }
        // Otherwise every public name of its `__dict__`.
        let g = if self.is_module(m) {
            self.get(m, 1)
        } else {
            let q = self.intern("__dict__")?;
            self.load_attr(m, q)?
        };
        if !self.is_dict(g) {
            return Err(self.type_error("import * needs a module"));
        }
        for (k, v) in self.dict_entries(g) {
            let name = self.str_text(k).unwrap_or_default();
            if !name.starts_with('_') {
                self.dict_store(target, k, v)?;
            }
        }
        Ok(())
    }

    /// `__import__`: imports dotted `name` (relative to the running module when
    /// `level` > 0); returns the top package, or the named module itself when
    /// `fromlist` is true.
    pub fn import_name(&mut self, name: &str, fromlist: Obj, level: i64) -> PyResult<Obj> {
        self.import_name_from(name, fromlist, level, Obj::NULL)
    }

    /// [`Vm::import_name`] with relative imports resolved against `globals` (a module's
    /// globals dict; NULL = the running module's), as `__import__(name, globals, ...)`.
    pub fn import_name_from(&mut self, name: &str, fromlist: Obj, level: i64, globals: Obj) -> PyResult<Obj> {
        let full = if level > 0 { self.resolve_relative(name, level, globals)? } else { name.to_string() };
        if full.is_empty() || full.split('.').any(str::is_empty) {
            return Err(self.value_error("invalid module name"));
        }
        if !self.import_allowed(&full) {
            let msg = alloc::format!("import of '{full}' is not allowed");
            return Err(self.new_error(ids::IMPORT_ERROR, &msg));
        }
        let want_leaf = fromlist != Obj::NONE && !fromlist.is_null() && self.is_true(fromlist)?;
        self.with_temps(|vm| {
            let mut top = Obj::NULL;
            let mut parent = Obj::NULL;
            let mut prefix = String::new();
            for comp in full.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(comp);
                let m = vm.import_one(&prefix, comp, parent)?;
                vm.root(m);
                if top.is_null() {
                    top = m;
                }
                parent = m;
            }
            Ok(if want_leaf { parent } else { top })
        })
    }

    /// Whether the import allow-list ([`super::SystemState::import_allow`])
    /// lets `full` (a dotted name) load.
    pub fn import_allowed(&self, full: &str) -> bool {
        let Some(allow) = &self.st.sys.import_allow else { return true };
        allow.iter().any(|a| full.strip_prefix(a.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('.')))
    }

    fn resolve_relative(&mut self, name: &str, level: i64, globals: Obj) -> PyResult<String> {
        let globals = match self.st.frames.last() {
            _ if !globals.is_null() => globals,
            Some(f) => f.globals,
            None => return Err(self.new_error(ids::IMPORT_ERROR, "can't perform relative import")),
        };
        let cur = match self.dict_get_str(globals, "__name__")? {
            Some(n) => self.str_text(n).unwrap_or_default(),
            None => String::new(),
        };
        let mut base = cur.as_str();
        let is_pkg = self.dict_get_str(globals, "__path__")?.is_some();
        let strip = if is_pkg { level - 1 } else { level };
        for _ in 0..strip {
            match base.rfind('.') {
                Some(i) => base = &base[..i],
                None => base = "",
            }
        }
        if base.is_empty() || cur == "__main__" {
            return Err(self.new_error(ids::IMPORT_ERROR, "can't perform relative import"));
        }
        Ok(if name.is_empty() { base.to_string() } else { alloc::format!("{base}.{name}") })
    }

    /// The directories of `sys.path` (strings only).
    pub fn sys_path_dirs(&mut self) -> PyResult<Vec<String>> {
        let Some(sys) = self.builtin_module("sys")? else { return Ok(Vec::new()) };
        let g = self.get(sys, 1);
        let Some(path) = self.dict_get_str(g, "path")? else { return Ok(Vec::new()) };
        if !self.is_list(path) {
            return Ok(Vec::new());
        }
        Ok(self.list_items(path).into_iter().filter_map(|p| self.str_text(p)).collect())
    }

    fn import_one(&mut self, full: &str, comp: &str, parent: Obj) -> PyResult<Obj> {
        let key = self.qstr_obj(full)?;
        let modules = self.st.modules;
        if let Some(m) = self.dict_get(modules, key)? {
            return Ok(m);
        }
        if parent.is_null() && full == "__main__" && !self.st.sys.loaded.is_null() {
            let loaded = self.st.sys.loaded;
            if let Some(m) = self.dict_get(loaded, key)? {
                return Ok(m);
            }
        }
        if parent.is_null() {
            if let Some(m) = self.builtin_module(full)? {
                return Ok(m);
            }
        }
        let dirs = if parent.is_null() {
            self.sys_path_dirs()?
        } else {
            let g = self.get(parent, 1);
            match self.dict_get_str(g, "__path__")? {
                Some(p) => self.str_text(p).into_iter().collect(),
                None => Vec::new(),
            }
        };
        for dir in dirs {
            let base = join(&dir, comp);
            let m = if self.stat_path(&base) == PathKind::Dir {
                let file = self.py_or_mpy(&join(&base, "__init__"));
                self.load_py_module(full, file.as_deref(), Some(&base))?
            } else {
                let Some(file) = self.py_or_mpy(&base) else { continue };
                self.load_py_module(full, Some(&file), None)?
            };
            if !parent.is_null() {
                let q = self.intern(comp)?;
                self.root(m);
                self.store_attr(parent, q, m)?;
            }
            return Ok(m);
        }
        let msg = alloc::format!("no module named '{full}'");
        Err(self.new_error(ids::IMPORT_ERROR, &msg))
    }

    /// `stem.py` if that file exists, else `stem.mpy` if that does (MicroPython's
    /// precedence: source first).
    fn py_or_mpy(&mut self, stem: &str) -> Option<String> {
        ["py", "mpy"].iter().map(|ext| alloc::format!("{stem}.{ext}")).find(|f| self.stat_path(f) == PathKind::File)
    }

    /// What `path` names: a frozen module or package under `.frozen/`, else
    /// whatever the host says.
    fn stat_path(&mut self, path: &str) -> PathKind {
        match frozen::frozen_rest(path) {
            Some(rest) => frozen::frozen_stat(self.st.sys.frozen, rest),
            None => super::vfs::mount::kind(self, path),
        }
    }

    /// Creates module `name` (entered in `sys.modules` unless it is `__main__`),
    /// then runs `file` (`.py` source or a `.mpy` file) in it; `pkg_dir` makes it a package.
    pub fn load_py_module(&mut self, name: &str, file: Option<&str>, pkg_dir: Option<&str>) -> PyResult<Obj> {
        let frozen_file = file.and_then(frozen::frozen_rest);
        if let Some(rest) = frozen_file {
            let table = self.st.sys.frozen;
            let Some(image) = frozen::frozen_bytes(table, rest) else {
                let msg = alloc::format!("no module named '{name}'");
                return Err(self.new_error(ids::IMPORT_ERROR, &msg));
            };
            return self.load_module_body(name, Some((rest, ModuleBody::Mpy(image))), pkg_dir);
        }
        let source = match file {
            Some(f) => match super::vfs::mount::read_file(self, f) {
                Ok(s) => Some(s),
                Err(_) => {
                    let msg = alloc::format!("no module named '{name}'");
                    return Err(self.new_error(ids::IMPORT_ERROR, &msg));
                }
            },
            None => None,
        };
        let body = match (file, source) {
            (Some(f), Some(src)) if f.ends_with(".mpy") => Some((f, ModuleBody::MpyOwned(src))),
            (Some(f), Some(src)) => Some((f, ModuleBody::Source(src))),
            _ => None,
        };
        self.load_module_body(name, body, pkg_dir)
    }

    /// Creates module `name` and runs `body` (with `__file__` = its file name) in it.
    fn load_module_body(
        &mut self,
        name: &str,
        body: Option<(&str, ModuleBody)>,
        pkg_dir: Option<&str>,
    ) -> PyResult<Obj> {
        let file = body.as_ref().map(|(f, _)| *f);
        self.with_temps(|vm| {
            let g = crate::types::dict::new_dict(vm, 0)?;
            vm.root(g);
            let n = vm.qstr_obj(name)?;
            vm.set_global(g, "__name__", n)?;
            if let Some(f) = file {
                let s = vm.new_str(f)?;
                vm.set_global(g, "__file__", s)?;
            }
            if let Some(d) = pkg_dir {
                let s = vm.new_str(d)?;
                vm.set_global(g, "__path__", s)?;
            }
            let m = vm.new_module(name, g)?;
            vm.root(m);
            let key = vm.qstr_obj(name)?;
            let modules = vm.st.modules;
            let register = name != "__main__";
            if register {
                vm.dict_store(modules, key, m)?;
            }
            if let Some((f, body)) = body {
                let code = match body {
                    ModuleBody::Mpy(image) => vm.load_mpy(image),
                    ModuleBody::MpyOwned(image) => vm.load_mpy(&image),
                    ModuleBody::Source(src) => vm.compile_source(&src, f, InputKind::File),
                };
                let r = code.and_then(|code| vm.run_code(code, g, g));
                if let Err(e) = r {
                    if register {
                        let modules = vm.st.modules;
                        vm.dict_remove(modules, key)?;
                    }
                    return Err(e);
                }
            }
            Ok(m)
        })
    }

    /// Runs `source` as the main module (`__name__ == '__main__'`, `__file__` =
    /// `filename` unless it is `<stdin>`/`<string>`).
    pub fn run_main_source(&mut self, source: &[u8], filename: &str, kind: InputKind) -> PyResult<Obj> {
        crate::gc::stack_scan::with_stack_top(|top| {
            self.heap.gc.set_stack_top(Some(top));
            let r = self.with_temps(|vm| {
                let g = vm.main_globals(filename)?;
                vm.root(g);
                let code = vm.compile_source(source, filename, kind)?;
                vm.run_code(code, g, g)
            });
            self.heap.gc.set_stack_top(None);
            r
        })
    }

    /// The globals of `__main__` (created on first use and kept in `sys.modules`
    /// only as the builtin-module cache entry `__main__`).
    pub fn main_globals(&mut self, filename: &str) -> PyResult<Obj> {
        if self.st.sys.loaded.is_null() {
            self.st.sys.loaded = crate::types::dict::new_dict(self, 0)?;
        }
        let loaded = self.st.sys.loaded;
        if let Some(m) = self.dict_get_str(loaded, "__main__")? {
            return Ok(self.get(m, 1));
        }
        self.with_temps(|vm| {
            let g = crate::types::dict::new_dict(vm, 0)?;
            vm.root(g);
            let n = vm.qstr_obj("__main__")?;
            vm.set_global(g, "__name__", n)?;
            if !filename.starts_with('<') {
                let f = vm.new_str(filename)?;
                vm.set_global(g, "__file__", f)?;
            }
            let m = vm.new_module("__main__", g)?;
            let k = vm.qstr_obj("__main__")?;
            vm.dict_store(loaded, k, m)?;
            Ok(g)
        })
    }
}

impl Vm {
    /// `-m NAME`: imports the parent packages, then runs module `NAME` (or
    /// `NAME/__main__.py` for a package) as `__main__`.
    pub fn run_main_module(&mut self, name: &str) -> PyResult<()> {
        crate::gc::stack_scan::with_stack_top(|top| {
            self.heap.gc.set_stack_top(Some(top));
            let r = self.with_temps(|vm| vm.run_main_module_inner(name));
            self.heap.gc.set_stack_top(None);
            r
        })
    }

    fn run_main_module_inner(&mut self, name: &str) -> PyResult<()> {
        let (parent, leaf) = match name.rfind('.') {
            Some(i) => (&name[..i], &name[i + 1..]),
            None => ("", name),
        };
        let dirs = if parent.is_empty() {
            self.sys_path_dirs()?
        } else {
            let p = self.import_name(parent, Obj::TRUE, 0)?;
            self.root(p);
            let g = self.get(p, 1);
            match self.dict_get_str(g, "__path__")? {
                Some(d) => self.str_text(d).into_iter().collect(),
                None => Vec::new(),
            }
        };
        for dir in dirs {
            let base = join(&dir, leaf);
            let file = if self.stat_path(&base) == PathKind::Dir {
                join(&base, "__main__.py")
            } else {
                alloc::format!("{base}.py")
            };
            if self.stat_path(&file) != PathKind::File {
                continue;
            }
            if frozen::frozen_rest(&file).is_some() {
                // A frozen module runs from its image, as `__main__`.
                self.load_py_module("__main__", Some(&file), None)?;
                return Ok(());
            }
            let Ok(source) = super::vfs::mount::read_file(self, &file) else { continue };
            let g = self.main_globals(&file)?;
            self.root(g);
            let code = self.compile_source(&source, &file, InputKind::File)?;
            self.run_code(code, g, g)?;
            return Ok(());
        }
        let msg = alloc::format!("no module named '{name}'");
        Err(self.new_error(ids::IMPORT_ERROR, &msg))
    }
}
