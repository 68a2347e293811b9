//! A hash index over both static qstr tables (MicroPython's and ferropy's
//! extra names), built at compile time: interning a name costs one hash and
//! one comparison instead of two binary searches. Creating a VM interns a few
//! hundred names (the builtins), so this is most of its start-up cost.
//! Also a table of the static names' MicroPython hashes, so hashing a static
//! qstr (every dict lookup keyed by an attribute or global name) is one load.

use ferropy_bytecode::qstr::{LAST_STATIC_QSTR_ID, STATIC_QSTRS};

use super::extra::{EXTRA_COUNT, EXTRA_STATIC_QSTRS};
use super::{static_text, Qstr, FIRST_EXTRA_QSTR_ID};

/// Slots of the open-addressing table (a power of two, well over twice the names).
const SLOTS: usize = 1024;

const _: () = assert!(SLOTS >= 2 * (LAST_STATIC_QSTR_ID as usize + EXTRA_COUNT));

/// FNV-1a, usable in constants.
const fn fnv1a(bytes: &[u8]) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u32;
        h = h.wrapping_mul(0x0100_0193);
        i += 1;
    }
    h as usize
}

/// Slot -> qstr id (0: empty).
static INDEX: [u32; SLOTS] = build();

const fn insert(table: &mut [u32; SLOTS], text: &str, id: u32) {
    let mut slot = fnv1a(text.as_bytes()) & (SLOTS - 1);
    while table[slot] != 0 {
        slot = (slot + 1) & (SLOTS - 1);
    }
    table[slot] = id;
}

const fn build() -> [u32; SLOTS] {
    let mut table = [0u32; SLOTS];
    let mut id = 1;
    while id <= LAST_STATIC_QSTR_ID as usize {
        insert(&mut table, STATIC_QSTRS[id], id as u32);
        id += 1;
    }
    let mut i = 0;
    while i < EXTRA_COUNT {
        insert(&mut table, EXTRA_STATIC_QSTRS[i], FIRST_EXTRA_QSTR_ID + i as u32);
        i += 1;
    }
    table
}

/// Number of static qstr ids, 0 (the null qstr) included.
const STATIC_IDS: usize = LAST_STATIC_QSTR_ID as usize + 1 + EXTRA_COUNT;

/// MicroPython's qstr hash (16 bits, never 0), usable in constants.
const fn mp_hash(bytes: &[u8]) -> u16 {
    let mut h: u32 = 5381;
    let mut i = 0;
    while i < bytes.len() {
        h = h.wrapping_mul(33) ^ bytes[i] as u32;
        i += 1;
    }
    match h & 0xFFFF {
        0 => 1,
        x => x as u16,
    }
}

/// Static qstr id -> its hash (0 for the null qstr).
static HASHES: [u16; STATIC_IDS] = build_hashes();

const fn build_hashes() -> [u16; STATIC_IDS] {
    let mut table = [0u16; STATIC_IDS];
    let mut id = 1;
    while id <= LAST_STATIC_QSTR_ID as usize {
        table[id] = mp_hash(STATIC_QSTRS[id].as_bytes());
        id += 1;
    }
    let mut i = 0;
    while i < EXTRA_COUNT {
        table[FIRST_EXTRA_QSTR_ID as usize + i] = mp_hash(EXTRA_STATIC_QSTRS[i].as_bytes());
        i += 1;
    }
    table
}

/// The hash of static qstr `q`; `None` for the null qstr and dynamic qstrs.
pub fn static_hash(q: Qstr) -> Option<u16> {
    match HASHES.get(usize::try_from(q.0).ok()?) {
        Some(&h) if h != 0 => Some(h),
        _ => None,
    }
}

/// The static qstr for `bytes`, if it is one.
pub fn lookup(bytes: &[u8]) -> Option<Qstr> {
    let mut slot = fnv1a(bytes) & (SLOTS - 1);
    loop {
        let id = *INDEX.get(slot)?;
        if id == 0 {
            return None;
        }
        let q = Qstr(id);
        if static_text(q).is_some_and(|t| t.as_bytes() == bytes) {
            return Some(q);
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_static_name_is_found_with_its_id_and_others_are_not() {
        for id in 1..=u32::from(LAST_STATIC_QSTR_ID) + EXTRA_COUNT as u32 {
            let text = static_text(Qstr(id)).expect("static text");
            assert_eq!(lookup(text.as_bytes()), Some(Qstr(id)), "{text}");
        }
        for id in 1..=u32::from(LAST_STATIC_QSTR_ID) + EXTRA_COUNT as u32 {
            let text = static_text(Qstr(id)).expect("static text");
            assert_eq!(static_hash(Qstr(id)), Some(super::super::hash_bytes(text.as_bytes())), "{text}");
        }
        assert_eq!(static_hash(Qstr(0)), None);
        for other in ["not_a_static_name", "printx", "\u{e9}", "__init__x"] {
            assert_eq!(lookup(other.as_bytes()), None, "{other}");
        }
    }
}
