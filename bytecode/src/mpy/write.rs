//! The `.mpy` writer: the same bytes mpy-cross writes for the same module.

use alloc::vec::Vec;

use super::{tag, MpyFile, MpyHeader, NativeExtra, MPY_VERSION};
use crate::code::{CodeKind, CompiledModule, ConstObj, RawCode};
use crate::qstr::static_qstr_id;
use crate::repr::{complex_repr, float_repr};
use crate::varint::write_vuint;

/// Appends a length-prefixed byte string, with a NUL after it when `nul` is set.
fn write_counted(out: &mut Vec<u8>, bytes: &[u8], nul: bool) {
    write_vuint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
    if nul {
        out.push(0);
    }
}

/// Appends one qstr-table entry: static qstrs by id, others spelled out.
fn write_qstr(out: &mut Vec<u8>, text: &str) {
    if let Some(id) = static_qstr_id(text) {
        write_vuint(out, u64::from(id) << 1 | 1);
    } else {
        write_vuint(out, (text.len() as u64) << 1);
        out.extend_from_slice(text.as_bytes());
        out.push(0);
    }
}

/// Appends one constant object with its tag.
fn write_object(out: &mut Vec<u8>, obj: &ConstObj) {
    match obj {
        ConstObj::FunTable => out.push(tag::FUN_TABLE),
        ConstObj::None => out.push(tag::NONE),
        ConstObj::False => out.push(tag::FALSE),
        ConstObj::True => out.push(tag::TRUE),
        ConstObj::Ellipsis => out.push(tag::ELLIPSIS),
        ConstObj::Str(s) => {
            out.push(tag::STR);
            write_counted(out, s.as_bytes(), true);
        }
        ConstObj::Bytes(b) => {
            out.push(tag::BYTES);
            write_counted(out, b, true);
        }
        ConstObj::Int(text) => {
            out.push(tag::INT);
            write_counted(out, text.as_bytes(), false);
        }
        ConstObj::Float(f) => {
            out.push(tag::FLOAT);
            write_counted(out, float_repr(*f).as_bytes(), false);
        }
        ConstObj::Complex { real, imag } => {
            out.push(tag::COMPLEX);
            write_counted(out, complex_repr(*real, *imag).as_bytes(), false);
        }
        ConstObj::Tuple(items) => {
            out.push(tag::TUPLE);
            write_vuint(out, items.len() as u64);
            for item in items {
                write_object(out, item);
            }
        }
    }
}

/// Writes raw codes depth first, numbering them to find their native extras.
struct CodeWriter<'a> {
    extras: &'a [NativeExtra],
    next_index: usize,
}

impl CodeWriter<'_> {
    fn extra_for(&self, index: usize) -> Option<&NativeExtra> {
        self.extras
            .binary_search_by_key(&index, |e| e.code_index)
            .ok()
            .and_then(|i| self.extras.get(i))
            .or_else(|| self.extras.iter().find(|e| e.code_index == index))
    }

    fn write(&mut self, out: &mut Vec<u8>, code: &RawCode) {
        let index = self.next_index;
        self.next_index += 1;
        let kind = code.kind as u64;
        let has_children = u64::from(!code.children.is_empty());
        write_vuint(out, (code.code.len() as u64) << 3 | has_children << 2 | kind);
        out.extend_from_slice(&code.code);
        let extra = self.extra_for(index).cloned();
        match code.kind {
            CodeKind::Bytecode => {}
            CodeKind::Native => write_vuint(out, code.prelude_offset as u64),
            CodeKind::Viper | CodeKind::InlineAsm => {
                write_vuint(out, extra.as_ref().map_or(0, |e| e.file_scope_flags));
                if code.kind == CodeKind::InlineAsm {
                    write_vuint(out, u64::from(code.n_pos_args));
                    write_vuint(out, extra.as_ref().map_or(0, |e| e.type_sig));
                } else if let Some(e) = &extra {
                    if let Some(rodata) = &e.rodata {
                        write_counted(out, rodata, false);
                    }
                    if let Some(bss) = e.bss_size {
                        write_vuint(out, bss);
                    }
                }
            }
        }
        if !code.children.is_empty() {
            write_vuint(out, code.children.len() as u64);
            for child in &code.children {
                self.write(out, child);
            }
        }
        if code.kind == CodeKind::Viper {
            if let Some(relocs) = extra.as_ref().and_then(|e| e.relocations.as_ref()) {
                out.extend_from_slice(relocs);
            }
        }
    }
}

/// Appends a whole `.mpy` file: header, tables, and raw codes.
pub fn write_mpy_file(file: &MpyFile, out: &mut Vec<u8>) {
    write_with(&file.header, &file.module, &file.native_extras, out);
}

/// Appends `module` as a `.mpy` file the way mpy-cross does (header byte 3 = 31
/// small-int bits, arch none for bytecode-only modules; see [`MpyHeader::for_module`]).
pub fn write_mpy(module: &CompiledModule, out: &mut Vec<u8>) {
    write_with(&MpyHeader::for_module(module), module, &[], out);
}

fn write_with(header: &MpyHeader, module: &CompiledModule, extras: &[NativeExtra], out: &mut Vec<u8>) {
    out.extend_from_slice(&[b'M', MPY_VERSION, header.feature_byte(), header.small_int_bits]);
    if let Some(flags) = header.arch_flags {
        write_vuint(out, flags);
    }
    write_vuint(out, module.qstrs.len() as u64);
    write_vuint(out, module.consts.len() as u64);
    for q in &module.qstrs {
        write_qstr(out, q);
    }
    for obj in &module.consts {
        write_object(out, obj);
    }
    CodeWriter { extras, next_index: 0 }.write(out, &module.root);
}
