//! `str`: interned (qstr) or heap strings. Heap layout:
//! `[type, byte length, hash, utf-8 bytes packed little-endian...]`.

use alloc::string::String;
use alloc::vec::Vec;

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::hash_bytes;
use crate::vm::Vm;

/// Words before the character data.
const HEADER: usize = 3;

/// The `str` type.
pub static STR_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(str_make_new),
    print: Some(str_print),
    unary_op: Some(str_unary),
    binary_op: Some(str_binary),
    subscr: Some(str_subscr),
    getiter: Some(str_getiter),
    methods: &super::strmeth::STR_METHODS,
    ..TypeDesc::new("str", ids::OBJECT)
};

impl Vm {
    /// A new heap string.
    pub fn new_str(&mut self, text: &str) -> PyResult<Obj> {
        self.new_str_bytes(text.as_bytes(), ids::STR)
    }

    /// A new heap str or bytes object (`type_id` = STR or BYTES) holding `data`.
    pub(crate) fn new_str_bytes(&mut self, data: &[u8], type_id: u32) -> PyResult<Obj> {
        let o = self.alloc(HEADER + data.len().div_ceil(4))?;
        self.set(o, 0, super::type_obj(type_id));
        self.set_u32(o, 1, data.len() as u32);
        self.set_u32(o, 2, u32::from(hash_bytes(data)));
        self.heap.words.write_bytes(o, HEADER * 4, data);
        Ok(o)
    }

    /// True for str objects (qstr or heap).
    pub fn is_str(&self, o: Obj) -> bool {
        o.is_qstr() || (o.is_heap_ref() && self.get(o, 0) == super::type_obj(ids::STR))
    }

    /// The bytes of a str or bytes object.
    pub fn str_bytes(&self, o: Obj) -> Option<Vec<u8>> {
        self.str_bytes_short(o).map(Vec::from)
    }

    /// [`Vm::str_bytes`] without a heap allocation when the text is short.
    pub(crate) fn str_bytes_short(&self, o: Obj) -> Option<ShortBytes> {
        if let Some(q) = o.qstr() {
            return self.st.qstrs.bytes(q).map(ShortBytes::from_slice);
        }
        let t = self.get(o, 0);
        if t != super::type_obj(ids::STR) && t != super::type_obj(ids::BYTES) {
            return None;
        }
        let len = self.get_usize(o, 1);
        let mut out = ShortBytes::zeroed(len);
        self.heap.words.read_bytes(o, HEADER * 4, &mut out).then_some(out)
    }

    /// The byte length of a str or bytes object (0 for anything else), without
    /// copying its bytes.
    pub fn str_byte_len(&self, o: Obj) -> usize {
        match o.qstr() {
            Some(q) => self.st.qstrs.len(q).unwrap_or(0),
            None => self.get_usize(o, 1),
        }
    }

    /// The number of characters of a str (UTF-8 bytes that do not continue a
    /// character), counted in place.
    fn str_char_count(&self, o: Obj) -> usize {
        let starts = |b: &u8| b & 0xC0 != 0x80;
        if let Some(q) = o.qstr() {
            return self.st.qstrs.bytes(q).map_or(0, |b| b.iter().filter(|b| starts(b)).count());
        }
        let len = self.get_usize(o, 1);
        let Some(words) = self.heap.words.object_words(o, HEADER + len.div_ceil(4)) else {
            return 0;
        };
        words[HEADER..].iter().flat_map(|w| w.to_le_bytes()).take(len).filter(starts).count()
    }

    /// The character starting at byte `at` of a str and the byte offset of the
    /// next one, read in place; `None` at the end (iteration).
    pub(crate) fn str_char_from(&self, o: Obj, at: usize) -> Option<(char, usize)> {
        let len = self.str_byte_len(o);
        if at >= len {
            return None;
        }
        let mut buf = [0u8; 4];
        let n = (len - at).min(4);
        match o.qstr() {
            Some(q) => buf[..n].copy_from_slice(self.st.qstrs.bytes(q)?.get(at..at + n)?),
            None => {
                if !self.heap.words.read_bytes(o, HEADER * 4 + at, &mut buf[..n]) {
                    return None;
                }
            }
        }
        let width = match buf[0] {
            0..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        }
        .min(n);
        let c = core::str::from_utf8(&buf[..width]).ok()?.chars().next()?;
        Some((c, at + width))
    }

    /// Whether two str objects (qstrs or heap strings) hold the same text.
    /// Compares hashes and lengths first and copies nothing to the Rust heap
    /// (dict lookups compare keys with this on every probe).
    pub(crate) fn str_equal(&self, a: Obj, b: Obj) -> bool {
        let (ha, hb) = (self.str_hash(a), self.str_hash(b));
        if ha != 0 && hb != 0 && ha != hb {
            return false;
        }
        match (a.qstr(), b.qstr()) {
            (Some(x), Some(y)) => x == y,
            (Some(q), None) => self.heap_str_is(b, self.st.qstrs.bytes(q).unwrap_or(&[])),
            (None, Some(q)) => self.heap_str_is(a, self.st.qstrs.bytes(q).unwrap_or(&[])),
            (None, None) => {
                let len = self.get_usize(a, 1);
                if self.get_usize(b, 1) != len {
                    return false;
                }
                let (mut x, mut y) = ([0u8; 64], [0u8; 64]);
                let mut at = 0;
                while at < len {
                    let n = (len - at).min(64);
                    let (px, py) = (&mut x[..n], &mut y[..n]);
                    let off = HEADER * 4 + at;
                    if !self.heap.words.read_bytes(a, off, px) || !self.heap.words.read_bytes(b, off, py) || px != py {
                        return false;
                    }
                    at += n;
                }
                true
            }
        }
    }

    /// Whether heap string `o` holds exactly `text`.
    fn heap_str_is(&self, o: Obj, text: &[u8]) -> bool {
        if self.get_usize(o, 1) != text.len() {
            return false;
        }
        let mut buf = [0u8; 64];
        text.chunks(64).enumerate().all(|(i, chunk)| {
            let part = &mut buf[..chunk.len()];
            self.heap.words.read_bytes(o, HEADER * 4 + i * 64, part) && part == chunk
        })
    }

    /// The text of a str object.
    pub fn str_text(&self, o: Obj) -> Option<String> {
        if !self.is_str(o) {
            return None;
        }
        self.str_bytes(o).map(|b| String::from_utf8(b).unwrap_or_default())
    }

    /// The hash of a str object.
    pub fn str_hash(&self, o: Obj) -> u32 {
        if let Some(q) = o.qstr() {
            return u32::from(self.st.qstrs.hash(q).unwrap_or(1));
        }
        self.get_u32(o, 2)
    }

    /// The text of `o` or a TypeError naming what was expected.
    pub fn expect_str(&mut self, o: Obj) -> PyResult<String> {
        match self.str_text(o) {
            Some(s) => Ok(s),
            None => {
                let n = self.type_name(o);
                Err(self.type_error(&alloc::format!("can't convert '{n}' object to str implicitly")))
            }
        }
    }

    /// A path argument: a `str`, or `bytes` (decoded as UTF-8, invalid
    /// sequences replaced), as MicroPython's file functions accept both.
    pub fn expect_path(&mut self, o: Obj) -> PyResult<String> {
        if self.is_exact(o, super::ids::BYTES) {
            let b = self.str_bytes(o).unwrap_or_default();
            return Ok(String::from_utf8_lossy(&b).into_owned());
        }
        self.expect_str(o)
    }
}

/// Appends the repr of `s` with MicroPython's quoting.
pub fn repr_text(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&alloc::format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
}

fn str_print(vm: &mut Vm, o: Obj, out: &mut String, repr: bool) -> PyResult<()> {
    let s = vm.str_text(o).unwrap_or_default();
    if repr {
        repr_text(&s, out);
    } else {
        out.push_str(&s);
    }
    Ok(())
}

fn str_make_new(vm: &mut Vm, _t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    if args.len() > 3 {
        let msg = alloc::format!("function expected at most 3 arguments, got {}", args.len());
        return Err(vm.type_error(&msg));
    }
    match args {
        [] => vm.new_str(""),
        [o] if vm.is_str(*o) => Ok(*o),
        [o] => {
            let s = vm.to_str(*o)?;
            vm.new_str(&s)
        }
        [b, ..] => {
            let bytes = vm.str_bytes(*b).or_else(|| vm.buffer_bytes(*b)).unwrap_or_default();
            let s = String::from_utf8_lossy(&bytes).into_owned();
            vm.new_str(&s)
        }
    }
}

fn str_unary(vm: &mut Vm, op: u8, o: Obj) -> PyResult<Option<Obj>> {
    Ok(match op {
        crate::rt::UNARY_BOOL => Some(Obj::from_bool(vm.str_byte_len(o) != 0)),
        crate::rt::UNARY_LEN => vm.new_int(vm.str_char_count(o) as i64).ok(),
        crate::rt::UNARY_HASH => vm.new_int(i64::from(vm.str_hash(o))).ok(),
        _ => None,
    })
}

fn str_binary(vm: &mut Vm, op: u8, a: Obj, b: Obj) -> PyResult<Option<Obj>> {
    use ferropy_bytecode::opcode::binary as bop;
    let x = vm.str_text(a).unwrap_or_default();
    if op == bop::MULTIPLY || op == bop::INPLACE_MULTIPLY {
        return match vm.int_value(b) {
            Some(n) => {
                let n = usize::try_from(n.max(0)).unwrap_or(0);
                if x.len().saturating_mul(n) > (1 << 28) {
                    return Err(vm.memory_error_of(x.len().saturating_mul(n)));
                }
                Ok(Some(vm.new_str(&x.repeat(n))?))
            }
            None => Ok(None),
        };
    }
    if op == bop::MODULO {
        return crate::types::format::str_percent(vm, a, b).map(Some);
    }
    let Some(y) = vm.str_text(b) else {
        return Ok(match op {
            bop::EQUAL => Some(Obj::FALSE),
            bop::NOT_EQUAL => Some(Obj::TRUE),
            _ => None,
        });
    };
    Ok(Some(match op {
        // Adding an empty str gives the other operand itself (no allocation,
        // as in MicroPython).
        bop::ADD | bop::INPLACE_ADD if y.is_empty() && vm.is_exact(a, ids::STR) => a,
        bop::ADD | bop::INPLACE_ADD if x.is_empty() && vm.is_exact(b, ids::STR) => b,
        bop::ADD | bop::INPLACE_ADD => {
            let mut s = x;
            s.push_str(&y);
            vm.new_str(&s)?
        }
        bop::IN => Obj::from_bool(x.contains(y.as_str())),
        _ => return Ok(crate::rt::ops::compare_ordered(op, x.as_str(), y.as_str())),
    }))
}

fn str_subscr(vm: &mut Vm, o: Obj, index: Obj, value: Obj) -> PyResult<Obj> {
    if value != Obj::SENTINEL {
        return Err(vm.type_error("'str' object doesn't support item assignment"));
    }
    if let Some(i) = index.small_int_value().and_then(|i| usize::try_from(i).ok()) {
        // A character by position: read in place, one character at a time.
        let mut at = 0;
        for _ in 0..i {
            match vm.str_char_from(o, at) {
                Some((_, next)) => at = next,
                None => break,
            }
        }
        if let Some((c, _)) = vm.str_char_from(o, at) {
            let mut buf = [0u8; 4];
            return vm.new_str(c.encode_utf8(&mut buf));
        }
    }
    let s = vm.str_text(o).unwrap_or_default();
    let chars: Vec<char> = s.chars().collect();
    if let Some((start, stop, step)) = vm.slice_indices(index, chars.len())? {
        if step != 1 {
            return Err(vm.new_error(ids::NOT_IMPLEMENTED_ERROR, "only slices with step=1 (aka None) are supported"));
        }
        let picked: String = crate::types::slice::pick(&chars, start, stop, step).into_iter().collect();
        return vm.new_str(&picked);
    }
    let i = vm.seq_index(index, chars.len(), "string")?;
    let mut buf = [0u8; 4];
    let c = chars.get(i).copied().unwrap_or(' ');
    vm.new_str(c.encode_utf8(&mut buf))
}

fn str_getiter(vm: &mut Vm, o: Obj) -> PyResult<Obj> {
    crate::types::iterators::new_seq_iter(vm, o)
}

/// Bytes copied out of a str or bytes object: inline when at most
/// [`ShortBytes::INLINE`] long (the common short operands of string methods
/// need no heap allocation), else on the heap.
pub(crate) enum ShortBytes {
    /// The first `.1` bytes of the array.
    Inline([u8; ShortBytes::INLINE], u8),
    /// Longer data.
    Heap(Vec<u8>),
}

impl ShortBytes {
    /// The longest data kept inline.
    pub(crate) const INLINE: usize = 30;

    /// `len` zero bytes.
    pub(crate) fn zeroed(len: usize) -> ShortBytes {
        match u8::try_from(len) {
            Ok(n) if len <= Self::INLINE => ShortBytes::Inline([0; Self::INLINE], n),
            _ => ShortBytes::Heap(alloc::vec![0; len]),
        }
    }

    /// A copy of `data`.
    pub(crate) fn from_slice(data: &[u8]) -> ShortBytes {
        let mut b = ShortBytes::zeroed(data.len());
        b.copy_from_slice(data);
        b
    }
}

impl From<ShortBytes> for Vec<u8> {
    fn from(b: ShortBytes) -> Vec<u8> {
        match b {
            ShortBytes::Heap(v) => v,
            inline => inline.to_vec(),
        }
    }
}

impl core::ops::Deref for ShortBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            ShortBytes::Inline(a, n) => a.get(..usize::from(*n)).unwrap_or(&[]),
            ShortBytes::Heap(v) => v,
        }
    }
}

impl core::ops::DerefMut for ShortBytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        match self {
            ShortBytes::Inline(a, n) => a.get_mut(..usize::from(*n)).unwrap_or(&mut []),
            ShortBytes::Heap(v) => v,
        }
    }
}
