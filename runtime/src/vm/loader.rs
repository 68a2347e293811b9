//! Loading a `CompiledModule`: its qstr table is mapped to this VM's qstrs, its
//! constants become objects (kept alive in a heap tuple rooted by the module
//! context), and each raw code becomes a [`CodeUnit`] in the VM's code table
//! (bytecode stays outside the GC heap; functions refer to units by index).

use alloc::vec::Vec;
use core::ops::Range;

use ferropy_bytecode::code::{CodeKind, CompiledModule, ConstObj, RawCode};
use ferropy_bytecode::prelude::decode_prelude;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::types::ids;
use crate::vm::Vm;

/// A module's shared tables.
#[derive(Debug)]
pub struct ModuleContext {
    /// The module's qstr table mapped to this VM's qstrs (entry 0 = file name).
    pub qstrs: Vec<Qstr>,
    /// The constant table as a heap tuple.
    pub consts: Obj,
}

/// One loaded function body.
#[derive(Debug)]
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
    /// Tier-up state, for native code the support can optimize.
    pub tier_up: Option<alloc::boxed::Box<crate::native::TierUp>>,
}

impl Vm {
    /// Loads a compiled module; returns the code index of its top-level code.
    pub fn load_module(&mut self, module: &CompiledModule) -> PyResult<usize> {
        let mut qstrs = Vec::new();
        for q in &module.qstrs {
            qstrs.push(self.intern(q)?);
        }
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
        let context = self.st.contexts.len();
        self.st.contexts.push(ModuleContext { qstrs, consts });
        self.load_raw_code(&module.root, context, 0)
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

    fn load_raw_code(&mut self, raw: &RawCode, context: usize, depth: usize) -> PyResult<usize> {
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
            children.push(self.load_raw_code(child, context, depth + 1)?);
        }
        let is_native = native.is_some();
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
            native,
            tier_up,
        };
        self.st.codes.push(unit);
        Ok(self.st.codes.len() - 1)
    }
}
