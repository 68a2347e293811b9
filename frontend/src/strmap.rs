//! Fast lookups of strings: a small hash index and a string-keyed map built on it.
//!
//! The compiler looks identifiers up very often (scope tables, qstr tables); a
//! hash index keeps each lookup to one hash and usually one string comparison,
//! where a sorted map or a linear scan compares many strings. The hash is FxHash
//! (a multiply-rotate hash, fast for short keys; inputs are not adversarial
//! beyond slowing a compile down).

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

/// The multiplier of FxHash.
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Hashes a string (FxHash over 8-byte words, then the tail, then the length).
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0;
    let mut add = |word: u64| h = (h.rotate_left(5) ^ word).wrapping_mul(SEED);
    let mut chunks = s.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        add(u64::from_le_bytes(word));
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    if let Some(dst) = tail.get_mut(..rest.len()) {
        dst.copy_from_slice(rest);
    }
    add(u64::from_le_bytes(tail));
    add(s.len() as u64);
    h
}

/// A slot of the index: the entry number plus one (0 = empty) and the key's hash.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    entry: u32,
    hash: u32,
}

/// An open-addressing hash index over entries stored elsewhere (in a `Vec`, by
/// position). It keeps only entry numbers and hashes; callers compare keys.
#[derive(Clone, Debug, Default)]
pub struct StrIndex {
    slots: Vec<Slot>,
    len: usize,
}

/// Indexes are derived data: two of them over equal entries answer alike.
impl PartialEq for StrIndex {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl StrIndex {
    /// An empty index.
    pub const fn new() -> Self {
        StrIndex { slots: Vec::new(), len: 0 }
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entry with hash `hash` for which `is_key` holds.
    pub fn find(&self, hash: u64, mut is_key: impl FnMut(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let short = hash as u32;
        let mut i = (hash as usize) & mask;
        loop {
            let slot = self.slots.get(i)?;
            if slot.entry == 0 {
                return None;
            }
            let entry = (slot.entry - 1) as usize;
            if slot.hash == short && is_key(entry) {
                return Some(entry);
            }
            i = (i + 1) & mask;
        }
    }

    /// Indexes entry `entry` under `hash` (the caller knows its key is not indexed yet).
    pub fn insert(&mut self, hash: u64, entry: usize) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(Slot { entry: entry as u32 + 1, hash: hash as u32 }, hash as usize);
        self.len += 1;
    }

    /// Makes the slot of entry `a` (key hash `hash_a`) point to `b` and the slot of `b` to `a`:
    /// for when the caller swaps two entries.
    pub fn swap_entries(&mut self, hash_a: u64, a: usize, hash_b: u64, b: usize) {
        let slot_a = self.slot_of(hash_a, a);
        let slot_b = self.slot_of(hash_b, b);
        if let Some(s) = slot_a.and_then(|i| self.slots.get_mut(i)) {
            s.entry = b as u32 + 1;
        }
        if let Some(s) = slot_b.and_then(|i| self.slots.get_mut(i)) {
            s.entry = a as u32 + 1;
        }
    }

    /// The slot holding entry `entry` (searched from `hash`'s home slot).
    fn slot_of(&self, hash: u64, entry: usize) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = (hash as usize) & mask;
        loop {
            let slot = self.slots.get(i)?;
            if slot.entry == 0 {
                return None;
            }
            if slot.entry as usize == entry + 1 {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Puts `slot` in the first free place from `home` (there always is one).
    fn place(&mut self, slot: Slot, home: usize) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = home & mask;
        for _ in 0..self.slots.len() {
            match self.slots.get_mut(i) {
                Some(s) if s.entry == 0 => {
                    *s = slot;
                    return;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Doubles the table (at least 8 slots) and re-places every entry. Only the low
    /// 32 bits of the hash are kept, so they also choose the home slot.
    fn grow(&mut self) {
        let new_len = (self.slots.len() * 2).max(8);
        let old = core::mem::replace(&mut self.slots, alloc::vec![Slot::default(); new_len]);
        for slot in old.into_iter().filter(|s| s.entry != 0) {
            self.place(slot, slot.hash as usize);
        }
    }
}

/// A map from strings to values, in insertion order, with hashed lookups.
#[derive(Clone, Debug)]
pub struct StrMap<V> {
    entries: Vec<(String, V)>,
    index: StrIndex,
}

impl<V> Default for StrMap<V> {
    fn default() -> Self {
        StrMap { entries: Vec::new(), index: StrIndex::new() }
    }
}

impl<V> StrMap<V> {
    fn position(&self, key: &str, hash: u64) -> Option<usize> {
        if self.entries.is_empty() {
            return None;
        }
        self.index.find(hash, |i| self.entries.get(i).is_some_and(|(k, _)| k == key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        if self.entries.is_empty() {
            return None;
        }
        let i = self.position(key, low_hash(key))?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets the value of `key`; returns the previous value.
    pub fn insert(&mut self, key: &str, value: V) -> Option<V> {
        let hash = low_hash(key);
        match self.position(key, hash).and_then(|i| self.entries.get_mut(i)) {
            Some((_, v)) => Some(core::mem::replace(v, value)),
            None => {
                self.index.insert(hash, self.entries.len());
                self.entries.push((String::from(key), value));
                None
            }
        }
    }
}

/// The hash of a key as stored (the index keeps 32 bits, which also pick the slot).
fn low_hash(key: &str) -> u64 {
    u64::from(hash_str(key) as u32)
}

/// Shares one `Rc<str>` per distinct string (identifiers of one source).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    names: Vec<Rc<str>>,
    index: StrIndex,
}

impl Interner {
    /// The shared copy of `s`.
    pub fn intern(&mut self, s: &str) -> Rc<str> {
        let hash = hash_str(s);
        let names = &self.names;
        if let Some(i) = self.index.find(hash, |i| names.get(i).is_some_and(|k| &**k == s)) {
            if let Some(name) = self.names.get(i) {
                return name.clone();
            }
        }
        let name: Rc<str> = Rc::from(s);
        self.index.insert(hash, self.names.len());
        self.names.push(name.clone());
        name
    }
}

/// A set of strings with hashed lookups.
#[derive(Clone, Debug, Default)]
pub struct StrSet {
    map: StrMap<()>,
}

impl StrSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when `key` is in the set.
    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Adds `key`; returns true when it was new.
    pub fn insert(&mut self, key: &str) -> bool {
        self.map.insert(key, ()).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn map_finds_what_was_inserted_and_keeps_order() {
        let mut m = StrMap::default();
        for i in 0..1000 {
            assert_eq!(m.insert(&format!("name_{i}"), i), None);
        }
        assert_eq!(m.insert("name_7", 70), Some(7));
        assert_eq!(m.entries.len(), 1000);
        for i in 0..1000 {
            let want = if i == 7 { 70 } else { i };
            assert_eq!(m.get(&format!("name_{i}")), Some(&want));
        }
        assert_eq!(m.get("name_1000"), None);
        assert_eq!(m.get(""), None);
        assert_eq!(m.entries.get(3).map(|(k, v)| (k.as_str(), *v)), Some(("name_3", 3)));
    }

    #[test]
    fn index_swaps_entries() {
        let keys = ["a", "b", "c", "dddddddddddddddddd"];
        let mut keys_vec: Vec<&str> = keys.to_vec();
        let mut idx = StrIndex::new();
        for (i, k) in keys.iter().enumerate() {
            idx.insert(low_hash(k), i);
        }
        keys_vec.swap(1, 3);
        idx.swap_entries(low_hash("b"), 1, low_hash("dddddddddddddddddd"), 3);
        for k in keys {
            let found = idx.find(low_hash(k), |i| keys_vec[i] == k);
            assert_eq!(found.and_then(|i| keys_vec.get(i)), Some(&k));
        }
        assert!(!idx.is_empty());
        assert_eq!(idx.find(low_hash("zz"), |i| keys_vec[i] == "zz"), None);
    }

    #[test]
    fn hash_depends_on_every_byte_and_length() {
        assert_ne!(hash_str("abcdefgh1"), hash_str("abcdefgh2"));
        assert_ne!(hash_str("a"), hash_str("a\0"));
        assert_ne!(hash_str(""), hash_str("\0"));
        let mut set = StrSet::new();
        assert!(set.insert("x"));
        assert!(!set.insert("x"));
        assert!(set.contains("x") && !set.contains("y"));
    }
}
