//! Loading a `CompiledModule`: its qstr table is mapped to this VM's qstrs, its
//! constants become objects (a heap tuple), and each raw code becomes a
//! [`CodeUnit`] in the VM's code table (bytecode stays outside the GC heap;
//! functions refer to units by index).
//!
//! Lifetime: each loaded module gets an owner object on the GC heap
//! (`[code-owner type, context index, constants tuple]`, with a finaliser).
//! Every function made from the module's code holds its owner, and the VM
//! traces the owner of every running frame's code, so the owner lives exactly
//! as long as something can still run the module's code. When it is
//! collected, its code units (with their machine code) and its context are
//! freed and their table slots reused ([`VmState::free_module`]): a program
//! that `exec`s or `eval`s in a loop, or a long REPL session, runs in
//! constant memory, as in MicroPython.

use alloc::vec::Vec;
use core::ops::Range;

use ferropy_bytecode::code::{CodeKind, CompiledModule, ConstObj, RawCode};
use ferropy_bytecode::prelude::decode_prelude;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::types::{ids, TypeDesc};
use crate::vm::{Vm, VmState};

/// The type of the objects that keep a loaded module's code alive (internal).
pub static CODE_OWNER_TYPE: TypeDesc = TypeDesc::new("code_owner", ids::OBJECT);

/// Word of an owner object holding its context index.
const OWNER_CONTEXT: usize = 1;
/// Word of an owner object holding the constants tuple.
const OWNER_CONSTS: usize = 2;
/// Words of an owner object (type, context index, constants).
const OWNER_WORDS: usize = 3;

/// Bytes of code (outside the GC heap) loaded between two collections that
/// `load_module` forces, so that code of unreachable modules is freed even
/// when their small footprint on the GC heap never fills it.
const CODE_BYTES_PER_COLLECTION: usize = 64 * 1024;
/// What a code unit costs beyond its bytes (its descriptor and vectors), for that count.
const CODE_UNIT_OVERHEAD: usize = 160;

/// A module's shared tables.
#[derive(Debug, Default)]
pub struct ModuleContext {
    /// The module's qstr table mapped to this VM's qstrs (entry 0 = file name).
    pub qstrs: Vec<Qstr>,
    /// The constant table as a heap tuple (kept alive by `owner`).
    pub consts: Obj,
    /// The module's owner object (NULL once freed); not a root.
    pub owner: Obj,
    /// Indices of the module's code units in `VmState::codes`.
    pub codes: Vec<usize>,
}

/// One loaded function body (a freed slot holds the default: no code).
#[derive(Debug, Default)]
pub struct CodeUnit {
    /// Prelude then opcodes.
    pub bytecode: Vec<u8>,
    /// Index of its module context.
    pub context: usize,
    /// Value stack + locals size.
    pub n_state: usize,
    /// Maximum exception-block nesting.
    pub n_exc_stack: usize,
    /// Scope flags (generator, varargs, ...).
    pub scope_flags: u8,
    /// Positional parameters (closed-over cells included).
    pub n_pos_args: usize,
    /// Keyword-only parameters.
    pub n_kwonly_args: usize,
    /// Positional parameters with defaults.
    pub n_def_pos_args: usize,
    /// The function's name.
    pub name: Qstr,
    /// Parameter names (positional then keyword-only).
    pub arg_names: Vec<Qstr>,
    /// Locals turned into cells at entry.
    pub cells: Vec<u8>,
    /// The line-number table's byte range in `bytecode`.
    pub line_table: Range<usize>,
    /// Offset of the first opcode.
    pub opcodes_start: usize,
    /// Code indices of nested functions.
    pub children: Vec<usize>,
    /// Machine code (native and viper functions); `bytecode` then holds only
    /// the prelude, whose line table is over machine-code offsets.
    pub native: Option<alloc::boxed::Box<dyn crate::native::NativeCode>>,
    /// `native`'s `NativeCode::base` (0 without machine code), kept here
    /// for the calls from native code, which would otherwise ask the code.
    pub native_base: usize,
    /// Tier-up state, for native code the support can optimize.
    pub tier_up: Option<alloc::boxed::Box<crate::native::TierUp>>,
    /// True if its frames need machine-word slots (`Frame::words`): viper
    /// code, and any machine code read from a `.mpy` file (where viper code
    /// is stored as native code, see `ferropy-cross`). Native code of the
    /// plain kind never touches them.
    pub words: bool,
    /// For machine code that a call from native code may start directly
    /// (`native::call`): one more than the number of positional arguments
    /// that bind as they are ([`CodeUnit::binds_plainly`], not a generator,
    /// no default keyword arguments); 0 for other code (and freed slots).
    pub plain_native: usize,
}

impl CodeUnit {
    /// True when `n_args` positional arguments bind as they are: exactly the
    /// positional parameters, and no keyword-only parameters, cells, `*args`
    /// or `**kwargs` (the caller still checks that the function has no closure).
    pub fn binds_plainly(&self, n_args: usize) -> bool {
        use ferropy_bytecode::code::scope_flags as sf;
        self.n_pos_args == n_args
            && self.n_kwonly_args == 0
            && self.cells.is_empty()
            && u16::from(self.scope_flags) & (sf::VARARGS | sf::VARKEYWORDS) == 0
    }
}

/// [`CodeUnit::plain_native`] of `u`.
fn plain_native(u: &CodeUnit) -> usize {
    use ferropy_bytecode::code::scope_flags as sf;
    let n = u.n_pos_args;
    let plain = u.native.is_some()
        && u.binds_plainly(n)
        && u16::from(u.scope_flags) & (sf::GENERATOR | sf::DEFKWARGS) == 0
        && u.n_state >= n;
    if plain {
        n + 1
    } else {
        0
    }
}

impl VmState {
    /// The owner object of code unit `code`'s module (NULL if there is none).
    pub fn code_owner(&self, code: usize) -> Obj {
        self.codes.get(code).and_then(|u| self.contexts.get(u.context)).map_or(Obj::NULL, |c| c.owner)
    }

    /// Frees the code units and the context of the module whose owner object
    /// `owner` was collected (the GC's finaliser hook; other objects are
    /// ignored). Their slots are reused by later loads.
    pub fn free_module(&mut self, owner: Obj, heap: &crate::gc::HeapWords) {
        if heap.load_obj(owner, 0) != Some(crate::types::type_obj(ids::CODE_OWNER)) {
            return;
        }
        let Some(ctx) = heap.load(owner, OWNER_CONTEXT).map(|c| c as usize) else { return };
        match self.contexts.get(ctx) {
            Some(c) if c.owner == owner => {}
            _ => return,
        }
        let context = core::mem::take(&mut self.contexts[ctx]);
        for code in context.codes {
            if let Some(unit) = self.codes.get_mut(code) {
                **unit = CodeUnit::default();
                self.free_codes.push(code);
            }
        }
        self.free_contexts.push(ctx);
    }
}

impl Vm {
    /// Loads a compiled module; returns the code index of its top-level code.
    /// The module's owner object is kept alive by a temporary root (see
    /// [`Vm::with_temps`]): run the code (or make functions of it) before the
    /// enclosing scope of temporaries ends.
    ///
    /// The module may come from anywhere (a `.mpy` file marks its viper code
    /// as native), so every machine-code unit gets machine-word slots.
    pub fn load_module(&mut self, module: &CompiledModule) -> PyResult<usize> {
        self.load_module_as(module, true)
    }

    /// As [`Vm::load_module`]; with `all_words`, every machine-code unit gets
    /// word slots; without, only viper code (and code that may be optimised
    /// later) does, which is right only for modules this VM's compiler just
    /// made from source, whose kinds are exact.
    pub(crate) fn load_module_as(&mut self, module: &CompiledModule, all_words: bool) -> PyResult<usize> {
        if self.st.code_bytes_loaded > CODE_BYTES_PER_COLLECTION {
            self.st.code_bytes_loaded = 0;
            self.heap.collect(&mut self.st);
        }
        let mut qstrs = Vec::new();
        for q in &module.qstrs {
            qstrs.push(self.intern(q)?);
        }
        let owner = match self.heap.alloc_with_finaliser(OWNER_WORDS * 4, &mut self.st) {
            Ok(o) if !o.is_null() => o,
            _ => return Err(self.memory_error()),
        };
        self.root(owner);
        let consts = self.with_temps(|vm| {
            let t = vm.alloc(2 + module.consts.len())?;
            vm.root(t);
            vm.set(t, 0, crate::types::type_obj(ids::TUPLE));
            vm.set_u32(t, 1, module.consts.len() as u32);
            for (i, c) in module.consts.iter().enumerate() {
                let o = vm.const_to_obj(c, 0)?;
                vm.set(t, 2 + i, o);
            }
            Ok(t)
        })?;
        let context = match self.st.free_contexts.pop() {
            Some(i) => i,
            None => {
                self.st.contexts.push(ModuleContext::default());
                self.st.contexts.len() - 1
            }
        };
        self.st.contexts[context] = ModuleContext { qstrs, consts, owner, codes: Vec::new() };
        self.set(owner, OWNER_CONSTS, consts);
        self.set_u32(owner, OWNER_CONTEXT, context as u32);
        // Typed last: a half-built owner is never finalised.
        self.set(owner, 0, crate::types::type_obj(ids::CODE_OWNER));
        self.load_raw_code(&module.root, context, 0, all_words)
    }

    fn const_to_obj(&mut self, c: &ConstObj, depth: usize) -> PyResult<Obj> {
        Ok(match c {
            ConstObj::FunTable | ConstObj::None => Obj::NONE,
            ConstObj::False => Obj::FALSE,
            ConstObj::True => Obj::TRUE,
            ConstObj::Ellipsis => Obj::ELLIPSIS,
            ConstObj::Str(s) => self.new_str(s)?,
            ConstObj::Bytes(b) => self.new_bytes(b)?,
            ConstObj::Int(text) => crate::types::int::parse_int_text(self, text.as_bytes(), 10)?,
            ConstObj::Float(f) => self.new_float(*f)?,
            ConstObj::Complex { real, imag } => self.new_complex(*real, *imag)?,
            ConstObj::Tuple(items) => {
                if depth > 32 {
                    return Err(self.internal_error("constant nested too deeply"));
                }
                self.with_temps(|vm| {
                    let t = vm.alloc(2 + items.len())?;
                    vm.root(t);
                    vm.set(t, 0, crate::types::type_obj(ids::TUPLE));
                    vm.set_u32(t, 1, items.len() as u32);
                    for (i, c) in items.iter().enumerate() {
                        let o = vm.const_to_obj(c, depth + 1)?;
                        vm.set(t, 2 + i, o);
                    }
                    Ok(t)
                })?
            }
        })
    }

    fn load_raw_code(&mut self, raw: &RawCode, context: usize, depth: usize, all_words: bool) -> PyResult<usize> {
        if depth > 200 {
            return Err(self.internal_error("functions nested too deeply"));
        }
        let (prelude_bytes, machine) = match raw.kind {
            CodeKind::Bytecode => (&raw.code[..], None),
            CodeKind::Native | CodeKind::Viper => {
                if self.st.native.is_none() {
                    return Err(self.new_error(ids::NOT_IMPLEMENTED_ERROR, "native code not supported"));
                }
                let (machine, prelude) = raw.code.split_at(raw.prelude_offset.min(raw.code.len()));
                (prelude, Some(machine))
            }
            CodeKind::InlineAsm => {
                return Err(self.new_error(ids::NOT_IMPLEMENTED_ERROR, "native code not supported"));
            }
        };
        let prelude = match decode_prelude(prelude_bytes) {
            Ok(p) => p,
            Err(_) => return Err(self.internal_error("malformed prelude")),
        };
        let map = |vm: &Vm, i: u32| vm.st.contexts.get(context).and_then(|c| c.qstrs.get(i as usize)).copied();
        let name = map(self, prelude.simple_name).unwrap_or(Qstr::NULL);
        let arg_names = prelude.arg_names.iter().map(|&i| map(self, i).unwrap_or(Qstr::NULL)).collect();
        let mut tier_up = None;
        let native = match (machine, self.st.native) {
            (Some(machine), Some(support)) => {
                if self.st.tier_up_calls != 0 && support.can_optimize(machine) {
                    tier_up = Some(alloc::boxed::Box::new(crate::native::TierUp::new(machine)));
                }
                let text = self.st.qstrs.text(name).unwrap_or("<function>");
                match support.install(machine, text) {
                    Ok(code) => Some(code),
                    Err(msg) => return Err(self.new_error(ids::MEMORY_ERROR, &msg)),
                }
            }
            _ => None,
        };
        let sig = prelude.signature;
        let mut children = Vec::new();
        for child in &raw.children {
            children.push(self.load_raw_code(child, context, depth + 1, all_words)?);
        }
        let is_native = native.is_some();
        let words = is_native && (all_words || raw.kind != CodeKind::Native || tier_up.is_some());
        let unit = CodeUnit {
            bytecode: prelude_bytes.to_vec(),
            context,
            n_state: sig.n_state as usize,
            n_exc_stack: sig.n_exc_stack as usize,
            scope_flags: sig.scope_flags,
            n_pos_args: sig.n_pos_args as usize,
            n_kwonly_args: sig.n_kwonly_args as usize,
            n_def_pos_args: sig.n_def_pos_args as usize,
            name,
            arg_names,
            cells: prelude.cells.clone(),
            line_table: prelude.line_table.clone(),
            opcodes_start: if is_native { 0 } else { prelude.opcodes_start },
            children,
            native_base: native.as_ref().map_or(0, |n| n.base()),
            native,
            tier_up,
            words,
            plain_native: 0,
        };
        let unit = CodeUnit { plain_native: plain_native(&unit), ..unit };
        self.st.code_bytes_loaded += raw.code.len() + CODE_UNIT_OVERHEAD;
        let index = match self.st.free_codes.pop() {
            Some(i) => {
                *self.st.codes[i] = unit;
                i
            }
            None => {
                // Boxed: the table grows by pointers, not by whole units.
                self.st.codes.push(alloc::boxed::Box::new(unit));
                self.st.codes.len() - 1
            }
        };
        if let Some(c) = self.st.contexts.get_mut(context) {
            c.codes.push(index);
        }
        Ok(index)
    }
}
