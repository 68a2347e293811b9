//! The disassembler: readable listings of compiled code.
//!
//! A listing has a header block per code object, then one line per instruction:
//!
//! ```text
//! code <module> file=t.py kind=bytecode bytes=9
//!   signature: n_state=1 n_exc_stack=0 flags=0x00 n_pos=0 n_kwonly=0 n_def_pos=0
//!   args: (none)
//!   cells: (none)
//!   children: (none)
//!   lines: 0:1
//!      0  L1    81              LOAD_CONST_SMALL_INT 1
//!      1        16 02           STORE_NAME x
//! ```
//!
//! Columns: offset from the opcodes start, the source line (shown when it changes), the
//! raw bytes, the mnemonic and decoded operands. Operators print as symbols
//! (`BINARY_OP 27 +`), jumps as absolute targets (`JUMP -> 17`), qstrs by text, constants
//! by a Python-like repr, children by name. Nothing here panics on malformed code:
//! bad indices print as `<bad qstr N>`/`<bad const N>`/`<bad child N>`, undefined
//! opcodes as `<invalid 0x..>`, and a truncated instruction ends the listing.

mod decode;
#[cfg(test)]
mod tests;

use alloc::string::String;
use core::fmt::{self, Write};

pub use decode::{binary_op_symbol, decode_instruction, opcode_name, unary_op_symbol, Instruction, Operand};

use crate::code::{scope_flags, CodeKind, CompiledModule, RawCode};
use crate::opcode as op;
use crate::prelude::{decode_prelude, line_for_offset, LineEntries, Prelude};
use crate::repr::{write_const_repr, write_str_repr};

/// Writes a listing of every code object in the module (root first, then children depth-first).
pub fn disassemble_module(module: &CompiledModule, out: &mut dyn Write) -> fmt::Result {
    // Depth-first with an explicit stack: hostile nesting cannot overflow the call stack.
    let mut stack: alloc::vec::Vec<&RawCode> = alloc::vec![&module.root];
    let mut first = true;
    while let Some(code) = stack.pop() {
        if !first {
            out.write_char('\n')?;
        }
        first = false;
        disassemble_raw_code(module, code, out)?;
        stack.extend(code.children.iter().rev());
    }
    Ok(())
}

/// Writes the listing of one code object of `module` (its children are named, not listed).
pub fn disassemble_raw_code(module: &CompiledModule, code: &RawCode, out: &mut dyn Write) -> fmt::Result {
    let names = Names { module };
    let kind = match code.kind {
        CodeKind::Bytecode => "bytecode",
        CodeKind::Native => "native",
        CodeKind::Viper => "viper",
        CodeKind::InlineAsm => "asm",
    };
    out.write_str("code ")?;
    names.code_name(code, out)?;
    out.write_str(" file=")?;
    names.qstr(0, out)?;
    writeln!(out, " kind={kind} bytes={}", code.code.len())?;

    let prelude_at = match code.kind {
        CodeKind::Bytecode => Some(0),
        CodeKind::Native => Some(code.prelude_offset),
        CodeKind::Viper | CodeKind::InlineAsm => None,
    };
    let Some(prelude_at) = prelude_at else {
        writeln!(out, "  scope_flags=0x{:02x} n_pos={}", code.scope_flags, code.n_pos_args)?;
        write_children(&names, code, out)?;
        return hex_dump(&code.code, out);
    };
    let body = code.code.get(prelude_at..).unwrap_or(&[]);
    let prelude = match decode_prelude(body) {
        Ok(p) => p,
        Err(e) => {
            writeln!(out, "  <bad prelude: {e}>")?;
            write_children(&names, code, out)?;
            return hex_dump(&code.code, out);
        }
    };
    write_prelude(&names, &prelude, out)?;
    write_children(&names, code, out)?;
    let line_table = prelude.line_table_bytes(body);
    write_lines(line_table, out)?;
    if code.kind == CodeKind::Native {
        writeln!(out, "  machine code: {} bytes", prelude_at)?;
        return hex_dump(code.code.get(..prelude_at).unwrap_or(&[]), out);
    }
    let ops = body.get(prelude.opcodes_start..).unwrap_or(&[]);
    write_instructions(&names, code, ops, line_table, out)
}

/// Resolves indices into the module's tables, printing placeholders when out of range.
struct Names<'a> {
    module: &'a CompiledModule,
}

impl Names<'_> {
    fn qstr(&self, index: u64, out: &mut dyn Write) -> fmt::Result {
        let text = usize::try_from(index).ok().and_then(|i| self.module.qstrs.get(i));
        match text {
            Some(t) if !t.is_empty() && !t.chars().any(|c| c.is_whitespace() || c.is_control()) => out.write_str(t),
            Some(t) => write_str_repr(t, out),
            None => write!(out, "<bad qstr {index}>"),
        }
    }

    fn constant(&self, index: u64, out: &mut dyn Write) -> fmt::Result {
        match usize::try_from(index).ok().and_then(|i| self.module.consts.get(i)) {
            Some(obj) => write_const_repr(obj, out),
            None => write!(out, "<bad const {index}>"),
        }
    }

    /// The simple name of a code object, from its prelude when it has one.
    fn code_name(&self, code: &RawCode, out: &mut dyn Write) -> fmt::Result {
        let prelude_at = match code.kind {
            CodeKind::Bytecode => 0,
            CodeKind::Native => code.prelude_offset,
            CodeKind::Viper => return out.write_str("<viper>"),
            CodeKind::InlineAsm => return out.write_str("<asm>"),
        };
        match code.code.get(prelude_at..).map(decode_prelude) {
            Some(Ok(p)) => self.qstr(u64::from(p.simple_name), out),
            _ => out.write_str("<bad prelude>"),
        }
    }

    fn child(&self, code: &RawCode, index: u64, out: &mut dyn Write) -> fmt::Result {
        match usize::try_from(index).ok().and_then(|i| code.children.get(i)) {
            Some(child) => {
                write!(out, "#{index} ")?;
                self.code_name(child, out)
            }
            None => write!(out, "<bad child {index}>"),
        }
    }
}

fn write_prelude(names: &Names<'_>, p: &Prelude, out: &mut dyn Write) -> fmt::Result {
    let s = &p.signature;
    writeln!(
        out,
        "  signature: n_state={} n_exc_stack={} flags=0x{:02x} n_pos={} n_kwonly={} n_def_pos={}",
        s.n_state, s.n_exc_stack, s.scope_flags, s.n_pos_args, s.n_kwonly_args, s.n_def_pos_args
    )?;
    out.write_str("  args:")?;
    let flags = u16::from(s.scope_flags);
    let mut any = false;
    let n_pos = s.n_pos_args as usize;
    for (i, &name) in p.arg_names.iter().enumerate() {
        if i == n_pos {
            // Keyword-only names follow `*args` or a bare `*`.
            out.write_str(if flags & scope_flags::VARARGS != 0 { " *<varargs>" } else { " *" })?;
        }
        out.write_char(' ')?;
        names.qstr(u64::from(name), out)?;
        any = true;
    }
    if flags & scope_flags::VARARGS != 0 && p.arg_names.len() <= n_pos {
        out.write_str(" *<varargs>")?;
        any = true;
    }
    if flags & scope_flags::VARKEYWORDS != 0 {
        out.write_str(" **<varkw>")?;
        any = true;
    }
    if !any {
        out.write_str(" (none)")?;
    }
    out.write_str("\n  cells:")?;
    if p.cells.is_empty() {
        out.write_str(" (none)")?;
    }
    for c in &p.cells {
        write!(out, " {c}")?;
    }
    out.write_char('\n')
}

fn write_children(names: &Names<'_>, code: &RawCode, out: &mut dyn Write) -> fmt::Result {
    out.write_str("  children:")?;
    if code.children.is_empty() {
        out.write_str(" (none)")?;
    }
    for child in &code.children {
        out.write_char(' ')?;
        names.code_name(child, out)?;
    }
    out.write_char('\n')
}

/// Writes `lines: offset:line ...`, one pair per distinct offset where the line is set.
fn write_lines(line_table: &[u8], out: &mut dyn Write) -> fmt::Result {
    out.write_str("  lines:")?;
    let (mut offset, mut line) = (0u64, 1u64);
    let mut pending = Some((0u64, 1u64));
    for entry in LineEntries::new(line_table) {
        offset += u64::from(entry.bytes);
        line += u64::from(entry.lines);
        if let Some((o, l)) = pending {
            if o != offset {
                write!(out, " {o}:{l}")?;
            }
        }
        pending = Some((offset, line));
    }
    if let Some((o, l)) = pending {
        write!(out, " {o}:{l}")?;
    }
    out.write_char('\n')
}

fn hex_dump(bytes: &[u8], out: &mut dyn Write) -> fmt::Result {
    for (row, chunk) in bytes.chunks(16).enumerate() {
        write!(out, "  {:6} ", row * 16)?;
        for b in chunk {
            write!(out, " {b:02x}")?;
        }
        out.write_char('\n')?;
    }
    Ok(())
}

fn write_instructions(
    names: &Names<'_>,
    code: &RawCode,
    ops: &[u8],
    line_table: &[u8],
    out: &mut dyn Write,
) -> fmt::Result {
    let mut offset = 0;
    let mut last_line = None;
    while offset < ops.len() {
        let line = line_for_offset(line_table, offset);
        let mark = if last_line == Some(line) { String::new() } else { alloc::format!("L{line}") };
        last_line = Some(line);
        match decode_instruction(ops, offset) {
            Ok(ins) => {
                let raw = ops.get(offset..offset + ins.len).unwrap_or(&[]);
                write!(out, "{offset:>6}  {mark:<6}{:<15} ", HexBytes(raw))?;
                write_instruction_text(names, code, &ins, out)?;
                out.write_char('\n')?;
                offset += ins.len;
            }
            Err(e) => {
                let raw = ops.get(offset..).unwrap_or(&[]);
                writeln!(out, "{offset:>6}  {mark:<6}{:<15} <truncated: {e}>", HexBytes(raw))?;
                break;
            }
        }
    }
    Ok(())
}

/// Space-separated hex bytes; honours the width of the format spec.
struct HexBytes<'a>(&'a [u8]);

impl fmt::Display for HexBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let _ = write!(text, "{b:02x}");
        }
        f.pad(&text)
    }
}

/// Writes the mnemonic and decoded operands of `ins`.
fn write_instruction_text(names: &Names<'_>, code: &RawCode, ins: &Instruction, out: &mut dyn Write) -> fmt::Result {
    let opc = ins.opcode;
    // Multi-opcodes first: their operand is folded into the opcode byte.
    if (op::LOAD_CONST_SMALL_INT_MULTI..op::LOAD_CONST_SMALL_INT_MULTI + op::LOAD_CONST_SMALL_INT_MULTI_NUM)
        .contains(&opc)
    {
        let value = i32::from(opc - op::LOAD_CONST_SMALL_INT_MULTI) - op::LOAD_CONST_SMALL_INT_MULTI_EXCESS;
        return write!(out, "LOAD_CONST_SMALL_INT {value}");
    }
    if (op::LOAD_FAST_MULTI..op::LOAD_FAST_MULTI + op::FAST_MULTI_NUM).contains(&opc) {
        return write!(out, "LOAD_FAST {}", opc - op::LOAD_FAST_MULTI);
    }
    if (op::STORE_FAST_MULTI..op::STORE_FAST_MULTI + op::FAST_MULTI_NUM).contains(&opc) {
        return write!(out, "STORE_FAST {}", opc - op::STORE_FAST_MULTI);
    }
    if let Some(symbol) = opc.checked_sub(op::UNARY_OP_MULTI).and_then(unary_op_symbol) {
        return write!(out, "UNARY_OP {} {symbol}", opc - op::UNARY_OP_MULTI);
    }
    if let Some(symbol) = opc.checked_sub(op::BINARY_OP_MULTI).and_then(binary_op_symbol) {
        return write!(out, "BINARY_OP {} {symbol}", opc - op::BINARY_OP_MULTI);
    }
    let Some(name) = opcode_name(opc) else {
        return write!(out, "<invalid 0x{opc:02x}>");
    };
    out.write_str(name)?;
    match (opc, ins.operand) {
        (_, Operand::None) => Ok(()),
        (op::LOAD_CONST_STRING..=op::IMPORT_FROM, Operand::Uint(q)) => {
            out.write_char(' ')?;
            names.qstr(q, out)
        }
        (_, Operand::Int(v)) => write!(out, " {v}"),
        (op::LOAD_CONST_OBJ, Operand::Uint(i)) => {
            out.write_char(' ')?;
            names.constant(i, out)
        }
        (op::MAKE_FUNCTION | op::MAKE_FUNCTION_DEFARGS, Operand::Uint(i)) => {
            out.write_char(' ')?;
            names.child(code, i, out)
        }
        (op::MAKE_CLOSURE | op::MAKE_CLOSURE_DEFARGS, Operand::Uint(i)) => {
            out.write_char(' ')?;
            names.child(code, i, out)?;
            write!(out, " cells={}", ins.extra.unwrap_or(0))
        }
        (op::CALL_FUNCTION..=op::CALL_METHOD_VAR_KW, Operand::Uint(v)) => {
            write!(out, " n_pos={} n_kw={}", v & 0xFF, (v >> 8) & 0xFF)
        }
        (op::UNPACK_EX, Operand::Uint(v)) => {
            write!(out, " left={} right={}", v & 0xFF, (v >> 8) & 0xFF)
        }
        (op::STORE_COMP, Operand::Uint(v)) => {
            let kind = match (v & 3) as u32 {
                op::STORE_COMP_LIST => "list",
                op::STORE_COMP_DICT => "dict",
                op::STORE_COMP_SET => "set",
                _ => "<bad kind>",
            };
            write!(out, " {kind} depth={}", v >> 2)
        }
        (_, Operand::Uint(v)) => write!(out, " {v}"),
        (op::UNWIND_JUMP, Operand::Jump(target)) => {
            let extra = ins.extra.unwrap_or(0);
            write!(out, " -> {target} unwind={}", extra & 0x7F)?;
            if extra & op::UNWIND_JUMP_POP_ITER != 0 {
                out.write_str(" pop_iter")?;
            }
            Ok(())
        }
        (_, Operand::Jump(target)) => write!(out, " -> {target}"),
    }
}
