//! Interned strings (qstrs): MicroPython's static ids, ferropy's extra static
//! names, and a per-VM pool of dynamic qstrs.
//!
//! Id space (one `u32` per qstr, 0 = the null qstr):
//! * `1..=165`: MicroPython's static qstrs, same ids, so `.mpy` static qstr
//!   references map directly ([`ferropy_bytecode::qstr`]).
//! * `166..166 + EXTRA_COUNT`: ferropy's own static names ([`extra`]).
//! * above that: qstrs interned at run time, owned by one [`QstrPool`] (one per VM).

pub mod extra;
mod static_index;

use alloc::vec::Vec;
use ferropy_bytecode::qstr::{qstr_hash, LAST_STATIC_QSTR_ID, STATIC_QSTRS};

use crate::gc::AllocError;

/// An interned string's id. Only meaningful together with the [`QstrPool`] of the
/// VM that produced it (static ids are the same in every pool).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct Qstr(u32);

impl Qstr {
    /// The null qstr (no string).
    pub const NULL: Qstr = Qstr(0);

    /// A qstr from its raw id (no validation).
    pub const fn from_id(id: u32) -> Qstr {
        Qstr(id)
    }

    /// The raw id.
    pub const fn id(self) -> u32 {
        self.0
    }
}

/// First id of ferropy's extra static names.
pub const FIRST_EXTRA_QSTR_ID: u32 = LAST_STATIC_QSTR_ID as u32 + 1;
/// First id handed out to dynamically interned strings.
pub const FIRST_DYNAMIC_QSTR_ID: u32 = FIRST_EXTRA_QSTR_ID + extra::EXTRA_COUNT as u32;
/// Longest string that can be interned (MicroPython's 1-byte qstr length).
pub const MAX_QSTR_LEN: usize = 255;
/// Highest id a pool hands out (qstr ids must fit the 29-bit `Obj` payload).
pub const MAX_QSTR_ID: u32 = (1 << 29) - 1;

/// Why a string could not be interned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum QstrError {
    /// The string is longer than [`MAX_QSTR_LEN`] bytes.
    TooLong,
    /// Memory for the pool could not be obtained, or the id space is exhausted.
    OutOfMemory(AllocError),
}

/// MicroPython's 16-bit qstr hash of `bytes` (never 0).
pub fn hash_bytes(bytes: &[u8]) -> u16 {
    // `qstr_hash` already masks to 16 bits; the fallback is unreachable.
    u16::try_from(qstr_hash(bytes)).unwrap_or(1)
}

/// The text of a static (MicroPython or ferropy) qstr.
pub fn static_text(q: Qstr) -> Option<&'static str> {
    let id = q.id();
    if id == 0 {
        None
    } else if id < FIRST_EXTRA_QSTR_ID {
        STATIC_QSTRS.get(usize::try_from(id).ok()?).copied()
    } else if id < FIRST_DYNAMIC_QSTR_ID {
        let index = usize::try_from(id - FIRST_EXTRA_QSTR_ID).ok()?;
        extra::EXTRA_STATIC_QSTRS.get(index).copied()
    } else {
        None
    }
}

/// The static qstr for `bytes`, if it is one of the static names.
pub fn static_lookup(bytes: &[u8]) -> Option<Qstr> {
    static_index::lookup(bytes)
}

/// Where one dynamic qstr's bytes live in the pool's data buffer.
#[derive(Clone, Copy, Debug)]
struct DynamicEntry {
    start: u32,
    len: u8,
    hash: u16,
}

/// A VM's interned strings: the static tables plus the strings interned at run
/// time. Data lives in plain `alloc` memory, outside the GC heap (as MicroPython's
/// qstr pools do), and is never freed while the pool lives.
#[derive(Default, Debug)]
pub struct QstrPool {
    /// Bytes of all dynamic qstrs, back to back.
    data: Vec<u8>,
    /// Entry `i` describes qstr id `FIRST_DYNAMIC_QSTR_ID + i`.
    entries: Vec<DynamicEntry>,
    /// Open-addressing hash index: slot holds `entry index + 1`, 0 = empty.
    index: Vec<u32>,
}

impl QstrPool {
    /// An empty pool (only the static qstrs).
    pub fn new() -> QstrPool {
        QstrPool::default()
    }

    /// Number of dynamically interned strings.
    pub fn dynamic_count(&self) -> usize {
        self.entries.len()
    }

    /// Bytes of dynamic qstr text held by the pool.
    pub fn dynamic_bytes(&self) -> usize {
        self.data.len()
    }

    /// The qstr for `bytes` if it is already interned (static or dynamic).
    pub fn lookup(&self, bytes: &[u8]) -> Option<Qstr> {
        if let Some(q) = static_lookup(bytes) {
            return Some(q);
        }
        let hash = hash_bytes(bytes);
        self.find_dynamic(bytes, hash).map(|(_, q)| q)
    }

    /// Interns `text` (see [`QstrPool::intern_bytes`]).
    pub fn intern(&mut self, text: &str) -> Result<Qstr, QstrError> {
        self.intern_bytes(text.as_bytes())
    }

    /// The qstr for `bytes`, adding it to the pool if it is new. Fails for strings
    /// longer than [`MAX_QSTR_LEN`] and when memory runs out (never panics).
    pub fn intern_bytes(&mut self, bytes: &[u8]) -> Result<Qstr, QstrError> {
        if let Some(q) = static_lookup(bytes) {
            return Ok(q);
        }
        let len = u8::try_from(bytes.len()).map_err(|_| QstrError::TooLong)?;
        let hash = hash_bytes(bytes);
        if let Some((_, q)) = self.find_dynamic(bytes, hash) {
            return Ok(q);
        }
        let oom = QstrError::OutOfMemory(AllocError::OutOfMemory);
        let entry_index = u32::try_from(self.entries.len()).map_err(|_| oom)?;
        let id = FIRST_DYNAMIC_QSTR_ID.checked_add(entry_index).filter(|&id| id <= MAX_QSTR_ID).ok_or(oom)?;
        let start = u32::try_from(self.data.len()).map_err(|_| oom)?;
        // Grow the index first so a failure leaves the pool unchanged.
        if (self.entries.len() + 1) * 4 > self.index.len() * 3 {
            self.rehash((self.index.len() * 2).max(16)).map_err(|_| oom)?;
        }
        self.data.try_reserve(bytes.len()).map_err(|_| oom)?;
        self.entries.try_reserve(1).map_err(|_| oom)?;
        self.data.extend_from_slice(bytes);
        self.entries.push(DynamicEntry { start, len, hash });
        self.insert_index(hash, entry_index + 1);
        Ok(Qstr(id))
    }

    /// The bytes of `q`, or `None` for the null qstr and unknown ids.
    pub fn bytes(&self, q: Qstr) -> Option<&[u8]> {
        if let Some(text) = static_text(q) {
            return Some(text.as_bytes());
        }
        let entry = self.dynamic_entry(q)?;
        let start = usize::try_from(entry.start).ok()?;
        self.data.get(start..start + usize::from(entry.len))
    }

    /// The text of `q` if it is valid UTF-8 (every qstr made from a `str` is).
    pub fn text(&self, q: Qstr) -> Option<&str> {
        core::str::from_utf8(self.bytes(q)?).ok()
    }

    /// The 16-bit hash of `q` (MicroPython's qstr hash, never 0).
    pub fn hash(&self, q: Qstr) -> Option<u16> {
        if let Some(h) = static_index::static_hash(q) {
            return Some(h);
        }
        self.dynamic_entry(q).map(|e| e.hash)
    }

    /// The byte length of `q`.
    pub fn len(&self, q: Qstr) -> Option<usize> {
        self.bytes(q).map(<[u8]>::len)
    }

    /// True if `q` names a string known to this pool.
    pub fn contains(&self, q: Qstr) -> bool {
        self.bytes(q).is_some()
    }

    fn dynamic_entry(&self, q: Qstr) -> Option<&DynamicEntry> {
        let index = q.id().checked_sub(FIRST_DYNAMIC_QSTR_ID)?;
        self.entries.get(usize::try_from(index).ok()?)
    }

    /// Finds a dynamic qstr by (hash, length, bytes); returns its index slot too.
    fn find_dynamic(&self, bytes: &[u8], hash: u16) -> Option<(usize, Qstr)> {
        let mask = self.index.len().checked_sub(1)?;
        let mut slot = usize::from(hash) & mask;
        for _ in 0..self.index.len() {
            let stored = *self.index.get(slot)?;
            if stored == 0 {
                return None;
            }
            let entry_index = stored - 1;
            let entry = self.entries.get(usize::try_from(entry_index).ok()?)?;
            if entry.hash == hash && usize::from(entry.len) == bytes.len() {
                let start = usize::try_from(entry.start).ok()?;
                if self.data.get(start..start + bytes.len()) == Some(bytes) {
                    return Some((slot, Qstr(FIRST_DYNAMIC_QSTR_ID + entry_index)));
                }
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    /// Puts `value` (entry index + 1) into the first empty slot for `hash`.
    fn insert_index(&mut self, hash: u16, value: u32) {
        let Some(mask) = self.index.len().checked_sub(1) else {
            return;
        };
        let mut slot = usize::from(hash) & mask;
        for _ in 0..self.index.len() {
            match self.index.get_mut(slot) {
                Some(cell) if *cell == 0 => {
                    *cell = value;
                    return;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Rebuilds the hash index with `new_len` (a power of two) slots.
    fn rehash(&mut self, new_len: usize) -> Result<(), AllocError> {
        let mut fresh = Vec::new();
        fresh.try_reserve_exact(new_len).map_err(|_| AllocError::OutOfMemory)?;
        fresh.resize(new_len, 0);
        self.index = fresh;
        for i in 0..self.entries.len() {
            let (Some(entry), Ok(value)) = (self.entries.get(i).copied(), u32::try_from(i + 1)) else {
                continue;
            };
            self.insert_index(entry.hash, value);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn static_ids_match_micropython() {
        let pool = QstrPool::new();
        assert_eq!(pool.lookup(b""), Some(Qstr(1)));
        assert_eq!(pool.lookup(b"__dir__"), Some(Qstr(2)));
        assert_eq!(pool.lookup(b"<module>"), Some(Qstr(7)));
        assert_eq!(pool.lookup(b"zip"), Some(Qstr(165)));
        assert_eq!(pool.text(Qstr(57)), Some("abs"));
        assert_eq!(pool.text(Qstr(0)), None);
        assert_eq!(pool.lookup(b"not interned yet"), None);
    }

    #[test]
    fn extra_static_names_follow_micropython_ids() {
        let pool = QstrPool::new();
        let first = extra::EXTRA_STATIC_QSTRS[0];
        assert_eq!(pool.lookup(first.as_bytes()), Some(Qstr(FIRST_EXTRA_QSTR_ID)));
        let add = pool.lookup(b"__add__");
        assert!(add.is_some_and(|q| q.id() >= FIRST_EXTRA_QSTR_ID && q.id() < FIRST_DYNAMIC_QSTR_ID));
        assert_eq!(add.and_then(|q| pool.text(q)), Some("__add__"));
        // Every extra name round-trips and none duplicates a MicroPython static name.
        for (i, name) in extra::EXTRA_STATIC_QSTRS.iter().enumerate() {
            assert_eq!(ferropy_bytecode::qstr::static_qstr_id(name), None, "{name} is already static");
            let q = Qstr(FIRST_EXTRA_QSTR_ID + i as u32);
            assert_eq!(pool.lookup(name.as_bytes()), Some(q));
            assert_eq!(pool.text(q), Some(*name));
            assert!(name.len() <= MAX_QSTR_LEN);
        }
        assert_eq!(pool.text(Qstr(FIRST_DYNAMIC_QSTR_ID)), None);
    }

    #[test]
    fn hash_is_micropython_djb2_xor() {
        // Independent computation: 5381, then h = h*33 ^ b, low 16 bits.
        let mut h: u32 = 5381;
        for b in b"hello" {
            h = h.wrapping_mul(33) ^ u32::from(*b);
        }
        assert_eq!(hash_bytes(b"hello"), (h & 0xFFFF) as u16);
        assert_ne!(hash_bytes(b""), 0);
        let pool = QstrPool::new();
        assert_eq!(pool.hash(Qstr(1)), Some(hash_bytes(b"")));
    }

    #[test]
    fn dynamic_interning_is_stable_and_deduplicated() {
        let mut pool = QstrPool::new();
        let a = pool.intern("my_variable").unwrap();
        let b = pool.intern("other").unwrap();
        assert_eq!(a.id(), FIRST_DYNAMIC_QSTR_ID);
        assert_eq!(b.id(), FIRST_DYNAMIC_QSTR_ID + 1);
        assert_eq!(pool.intern("my_variable"), Ok(a));
        assert_eq!(pool.intern("print"), Ok(Qstr(123)));
        assert_eq!(pool.text(a), Some("my_variable"));
        assert_eq!(pool.len(b), Some(5));
        assert_eq!(pool.hash(a), Some(hash_bytes(b"my_variable")));
        assert_eq!(pool.dynamic_count(), 2);
        assert!(pool.contains(b));
        assert!(!pool.contains(Qstr(b.id() + 1)));
    }

    #[test]
    fn many_strings_survive_rehashing() {
        let mut pool = QstrPool::new();
        let mut ids = alloc::vec::Vec::new();
        for i in 0..2000 {
            ids.push(pool.intern(&format!("name_{i}")).unwrap());
        }
        for (i, q) in ids.iter().enumerate() {
            let name = format!("name_{i}");
            assert_eq!(pool.lookup(name.as_bytes()), Some(*q));
            assert_eq!(pool.text(*q), Some(name.as_str()));
        }
    }

    #[test]
    fn length_limit() {
        let mut pool = QstrPool::new();
        let long = [b'a'; 256];
        assert_eq!(pool.intern_bytes(&long), Err(QstrError::TooLong));
        assert!(pool.intern_bytes(&long[..255]).is_ok());
        assert_eq!(pool.intern_bytes(&[0xFF, 0xFE]).map(|q| pool_text_is_none(&pool, q)), Ok(true));
    }

    fn pool_text_is_none(pool: &QstrPool, q: Qstr) -> bool {
        pool.text(q).is_none() && pool.bytes(q) == Some(&[0xFF, 0xFE][..])
    }
}
