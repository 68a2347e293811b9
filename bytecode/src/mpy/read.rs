//! The `.mpy` reader: checks every length, tag and nesting level as it goes.

use alloc::string::String;
use alloc::vec::Vec;

use super::{
    tag, MpyFile, MpyHeader, NativeExtra, MAX_CODE_DEPTH, MAX_TUPLE_DEPTH, MPY_SUB_VERSION, MPY_VERSION,
    VIPER_FLAG_BSS, VIPER_FLAG_RELOC, VIPER_FLAG_RODATA,
};
use crate::code::{CodeKind, CompiledModule, ConstObj, RawCode};
use crate::error::DecodeError;
use crate::prelude::decode_signature;
use crate::qstr::static_qstr_text;
use crate::repr::{parse_complex_repr, parse_float_repr};
use crate::varint::read_vuint;

/// A cursor over the file bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    native_extras: Vec<NativeExtra>,
    codes_seen: usize,
    /// File offset of each raw code's bytes, in depth-first order.
    code_starts: Vec<usize>,
}

impl<'a> Reader<'a> {
    fn byte(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let b = *self.bytes.get(self.pos).ok_or(DecodeError::truncated(what, self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, len: u64, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| start.checked_add(len))
            .filter(|&end| end <= self.bytes.len())
            .ok_or(DecodeError::truncated(what, start))?;
        self.pos = end;
        self.bytes.get(start..end).ok_or(DecodeError::truncated(what, start))
    }

    fn vuint(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        let start = self.pos;
        read_vuint(self.bytes, &mut self.pos).map_err(|e| DecodeError::from_varint(e, what, start))
    }

    /// A count of items that each take at least one byte: larger than what is left is garbage.
    fn count(&mut self, what: &'static str) -> Result<usize, DecodeError> {
        let start = self.pos;
        let n = self.vuint(what)?;
        let left = self.bytes.len().saturating_sub(self.pos) as u64;
        if n > left {
            return Err(DecodeError::truncated(what, start));
        }
        Ok(n as usize)
    }

    fn nul(&mut self, what: &'static str) -> Result<(), DecodeError> {
        let at = self.pos;
        if self.byte(what)? != 0 {
            return Err(DecodeError::invalid(what, at));
        }
        Ok(())
    }

    fn text(&mut self, len: u64, what: &'static str) -> Result<String, DecodeError> {
        let start = self.pos;
        let bytes = self.take(len, what)?;
        core::str::from_utf8(bytes).map(String::from).map_err(|_| DecodeError::invalid(what, start))
    }

    fn header(&mut self) -> Result<MpyHeader, DecodeError> {
        if self.byte("mpy header")? != b'M' {
            return Err(DecodeError::invalid("mpy magic", 0));
        }
        if self.byte("mpy header")? != MPY_VERSION {
            return Err(DecodeError::invalid("mpy version", 1));
        }
        let feature = self.byte("mpy header")?;
        let small_int_bits = self.byte("mpy header")?;
        if feature & 0x80 != 0 {
            return Err(DecodeError::invalid("mpy feature byte", 2));
        }
        let arch = (feature >> 2) & 0x0F;
        let sub_version = feature & 3;
        if arch != super::arch::NONE && sub_version != MPY_SUB_VERSION {
            return Err(DecodeError::invalid("mpy sub-version", 2));
        }
        let arch_flags = if feature & super::FEATURE_ARCH_FLAGS != 0 { Some(self.vuint("arch flags")?) } else { None };
        Ok(MpyHeader { arch, sub_version, arch_flags, small_int_bits })
    }

    fn qstr(&mut self) -> Result<String, DecodeError> {
        let start = self.pos;
        let v = self.vuint("qstr entry")?;
        if v & 1 != 0 {
            let id = u16::try_from(v >> 1).map_err(|_| DecodeError::invalid("static qstr id", start))?;
            return static_qstr_text(id).map(String::from).ok_or(DecodeError::invalid("static qstr id", start));
        }
        let text = self.text(v >> 1, "qstr text")?;
        self.nul("qstr terminator")?;
        Ok(text)
    }

    fn object(&mut self, depth: usize) -> Result<ConstObj, DecodeError> {
        let start = self.pos;
        let obj_tag = self.byte("constant tag")?;
        let obj = match obj_tag {
            tag::FUN_TABLE => ConstObj::FunTable,
            tag::NONE => ConstObj::None,
            tag::FALSE => ConstObj::False,
            tag::TRUE => ConstObj::True,
            tag::ELLIPSIS => ConstObj::Ellipsis,
            tag::STR => {
                let len = self.vuint("str constant length")?;
                let text = self.text(len, "str constant")?;
                self.nul("str constant terminator")?;
                ConstObj::Str(text)
            }
            tag::BYTES => {
                let len = self.vuint("bytes constant length")?;
                let bytes = self.take(len, "bytes constant")?.to_vec();
                self.nul("bytes constant terminator")?;
                ConstObj::Bytes(bytes)
            }
            tag::INT => {
                let len = self.vuint("int constant length")?;
                let at = self.pos;
                let text = self.text(len, "int constant")?;
                let digits = text.strip_prefix('-').unwrap_or(&text);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(DecodeError::invalid("int constant", at));
                }
                ConstObj::Int(text)
            }
            tag::FLOAT => {
                let len = self.vuint("float constant length")?;
                let at = self.pos;
                let text = self.text(len, "float constant")?;
                ConstObj::Float(parse_float_repr(&text).ok_or(DecodeError::invalid("float constant", at))?)
            }
            tag::COMPLEX => {
                let len = self.vuint("complex constant length")?;
                let at = self.pos;
                let text = self.text(len, "complex constant")?;
                let (real, imag) = parse_complex_repr(&text).ok_or(DecodeError::invalid("complex constant", at))?;
                ConstObj::Complex { real, imag }
            }
            tag::TUPLE => {
                if depth >= MAX_TUPLE_DEPTH {
                    return Err(DecodeError::too_deep("tuple constant", start));
                }
                let n = self.count("tuple length")?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.object(depth + 1)?);
                }
                ConstObj::Tuple(items)
            }
            _ => return Err(DecodeError::invalid("constant tag", start)),
        };
        Ok(obj)
    }

    /// Reads the signature at `offset` of `code` (a slice of the file starting at `base`).
    fn signature_of(code: &[u8], offset: usize, base: usize) -> Result<crate::prelude::Signature, DecodeError> {
        let mut pos = offset;
        decode_signature(code, &mut pos).map_err(|e| DecodeError { offset: base + e.offset, ..e })
    }

    /// Skips over a viper relocation stream and returns its bytes (including the 0xFF end).
    fn relocations(&mut self) -> Result<Vec<u8>, DecodeError> {
        let start = self.pos;
        loop {
            let op = self.byte("relocation stream")?;
            if op == 0xFF {
                break;
            }
            if op & 1 != 0 {
                self.vuint("relocation address")?;
            }
            let kind = op >> 1;
            if kind <= 5 && kind & 1 != 0 {
                self.vuint("relocation count")?;
            }
        }
        Ok(self.bytes.get(start..self.pos).unwrap_or(&[]).to_vec())
    }

    fn raw_code(&mut self, depth: usize) -> Result<RawCode, DecodeError> {
        let start = self.pos;
        if depth >= MAX_CODE_DEPTH {
            return Err(DecodeError::too_deep("raw code", start));
        }
        let code_index = self.codes_seen;
        self.codes_seen += 1;
        let kind_len = self.vuint("raw code header")?;
        let kind = match kind_len & 3 {
            0 => CodeKind::Bytecode,
            1 => CodeKind::Native,
            2 => CodeKind::Viper,
            _ => CodeKind::InlineAsm,
        };
        let has_children = kind_len & 4 != 0;
        let code_start = self.pos;
        self.code_starts.push(code_start);
        let code = self.take(kind_len >> 3, "raw code body")?.to_vec();
        let mut prelude_offset = 0;
        let mut extra = NativeExtra { code_index, ..NativeExtra::default() };
        let (scope_flags, n_pos_args) = match kind {
            CodeKind::Bytecode => {
                let sig = Self::signature_of(&code, 0, code_start)?;
                (u16::from(sig.scope_flags), sig.n_pos_args)
            }
            CodeKind::Native => {
                let at = self.pos;
                let offset = self.vuint("prelude offset")?;
                prelude_offset = usize::try_from(offset)
                    .ok()
                    .filter(|&o| o < code.len())
                    .ok_or(DecodeError::invalid("prelude offset", at))?;
                let sig = Self::signature_of(&code, prelude_offset, code_start)?;
                (u16::from(sig.scope_flags), sig.n_pos_args)
            }
            CodeKind::Viper | CodeKind::InlineAsm => {
                let at = self.pos;
                extra.file_scope_flags = self.vuint("native scope flags")?;
                let flags = u16::try_from(extra.file_scope_flags)
                    .map_err(|_| DecodeError::too_large("native scope flags", at))?;
                let mut n_pos_args = 0;
                if kind == CodeKind::InlineAsm {
                    let at = self.pos;
                    n_pos_args = u32::try_from(self.vuint("asm argument count")?)
                        .map_err(|_| DecodeError::too_large("asm argument count", at))?;
                    extra.type_sig = self.vuint("asm type signature")?;
                } else {
                    if extra.file_scope_flags & VIPER_FLAG_RODATA != 0 {
                        let len = self.vuint("viper rodata size")?;
                        extra.rodata = Some(self.take(len, "viper rodata")?.to_vec());
                    }
                    if extra.file_scope_flags & VIPER_FLAG_BSS != 0 {
                        extra.bss_size = Some(self.vuint("viper bss size")?);
                    }
                }
                (flags, n_pos_args)
            }
        };
        let mut children = Vec::new();
        if has_children {
            let n = self.count("child count")?;
            children.reserve(n);
            for _ in 0..n {
                children.push(self.raw_code(depth + 1)?);
            }
        }
        if kind == CodeKind::Viper && extra.file_scope_flags & VIPER_FLAG_RELOC != 0 {
            extra.relocations = Some(self.relocations()?);
        }
        if extra != (NativeExtra { code_index, ..NativeExtra::default() }) {
            self.native_extras.push(extra);
        }
        Ok(RawCode { kind, code, prelude_offset, scope_flags, n_pos_args, children })
    }
}

/// Reads the structure of a whole `.mpy` file (header, tables, raw codes, native
/// extras) without checking what the bytecode refers to; also returns the file offset
/// of each raw code's bytes in depth-first order.
fn read_structure(bytes: &[u8]) -> Result<(MpyFile, Vec<usize>), DecodeError> {
    let mut r = Reader { bytes, pos: 0, native_extras: Vec::new(), codes_seen: 0, code_starts: Vec::new() };
    let header = r.header()?;
    let n_qstr = r.count("qstr count")?;
    let n_obj = r.count("constant count")?;
    let mut qstrs = Vec::with_capacity(n_qstr);
    for _ in 0..n_qstr {
        qstrs.push(r.qstr()?);
    }
    let mut consts = Vec::with_capacity(n_obj);
    for _ in 0..n_obj {
        consts.push(r.object(0)?);
    }
    let root = r.raw_code(0)?;
    if r.pos != bytes.len() {
        return Err(DecodeError::invalid("trailing data", r.pos));
    }
    r.native_extras.sort_by_key(|e| e.code_index);
    let file = MpyFile { header, module: CompiledModule { qstrs, consts, root }, native_extras: r.native_extras };
    Ok((file, r.code_starts))
}

/// Reads a whole `.mpy` file's structure without the bytecode checks of
/// [`super::verify_module`]: for tools that want to look at broken files. Code read
/// this way must not be run.
pub fn read_mpy_file_unverified(bytes: &[u8]) -> Result<MpyFile, DecodeError> {
    read_structure(bytes).map(|(file, _)| file)
}

/// Reads a whole `.mpy` file, keeping the header and native extras, and verifies its
/// bytecode (see [`super::verify_module`]); a verification failure is reported as an
/// `Invalid` [`DecodeError`] at the offending file offset.
pub fn read_mpy_file(bytes: &[u8]) -> Result<MpyFile, DecodeError> {
    let (file, code_starts) = read_structure(bytes)?;
    super::verify_module(&file.module).map_err(|e| {
        let start = code_starts.get(e.code_index).copied().unwrap_or(0);
        e.to_decode_error(start)
    })?;
    Ok(file)
}

/// Reads and verifies a `.mpy` file into a module (header and native extras are checked, then dropped).
pub fn read_mpy(bytes: &[u8]) -> Result<CompiledModule, DecodeError> {
    read_mpy_file(bytes).map(|file| file.module)
}
