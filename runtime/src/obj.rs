//! 32-bit tagged object references (`Obj`), the same on every target.
//!
//! The encoding follows MicroPython's representation A, with heap references
//! replaced by byte offsets into the VM's heap (see `DESIGN.md`):
//!
//! | low bits | meaning                                   | payload            |
//! |----------|-------------------------------------------|--------------------|
//! | `...1`   | small int (31-bit signed)                 | `(w as i32) >> 1`  |
//! | `..010`  | qstr (interned string)                    | id = `w >> 3`      |
//! | `..110`  | immediate object (None, True, types, ...) | value = `w >> 3`   |
//! | `...00`  | heap reference (non-zero, block-aligned)  | byte offset = `w`  |
//!
//! `0` is NULL (absent value / unbound local / stop-iteration marker) and `4`
//! is the "sentinel" non-object, as in MicroPython's normal builds.

use crate::qstr::Qstr;

/// Bytes in one GC block (4 words of 4 bytes, on every target).
pub const BYTES_PER_BLOCK: u32 = 16;

/// A 32-bit object reference: a small int, a qstr, an immediate object or a
/// heap offset. Copying it never touches the heap.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Obj(u32);

/// Smallest value a small int can hold (-2^30).
pub const SMALL_INT_MIN: i32 = -(1 << 30);
/// Largest value a small int can hold (2^30 - 1).
pub const SMALL_INT_MAX: i32 = (1 << 30) - 1;

/// Largest payload an immediate object or a qstr id can carry (29 bits).
pub const MAX_IMMEDIATE_PAYLOAD: u32 = (1 << 29) - 1;

/// Immediate payloads `0..IMMEDIATE_TYPE_BASE` are constants (None, False, True, ...).
pub const IMMEDIATE_CONST_END: u32 = 256;
/// Immediate payloads `IMMEDIATE_TYPE_BASE..IMMEDIATE_STATIC_BASE` are built-in type
/// objects: payload = `IMMEDIATE_TYPE_BASE + type id`.
pub const IMMEDIATE_TYPE_BASE: u32 = IMMEDIATE_CONST_END;
/// Immediate payloads from here up are other static objects (built-in functions,
/// static modules, ...): payload = `IMMEDIATE_STATIC_BASE + static object id`.
pub const IMMEDIATE_STATIC_BASE: u32 = 65536;

/// Largest built-in type id (`IMMEDIATE_STATIC_BASE - IMMEDIATE_TYPE_BASE - 1`).
pub const MAX_BUILTIN_TYPE_ID: u32 = IMMEDIATE_STATIC_BASE - IMMEDIATE_TYPE_BASE - 1;
/// Largest static object id.
pub const MAX_STATIC_OBJECT_ID: u32 = MAX_IMMEDIATE_PAYLOAD - IMMEDIATE_STATIC_BASE;

const TAG_QSTR: u32 = 0b010;
const TAG_IMMEDIATE: u32 = 0b110;

/// Immediate-constant payload of `None`.
const IMM_NONE: u32 = 0;
/// Immediate-constant payload of `False`.
const IMM_FALSE: u32 = 1;
/// Immediate-constant payload of `True`.
const IMM_TRUE: u32 = 3;
/// Immediate-constant payload of `Ellipsis` (`...`).
const IMM_ELLIPSIS: u32 = 4;
/// Immediate-constant payload of `NotImplemented`.
const IMM_NOT_IMPLEMENTED: u32 = 5;

const fn immediate_word(payload: u32) -> u32 {
    (payload << 3) | TAG_IMMEDIATE
}

impl Obj {
    /// The NULL reference: no object (unbound local, absent value, end of iteration).
    pub const NULL: Obj = Obj(0);
    /// "Iteration finished", returned by iterator slots (the same word as NULL,
    /// as in MicroPython's normal builds).
    pub const STOP_ITERATION: Obj = Obj(0);
    /// MicroPython's "sentinel" non-object (`MP_OBJ_SENTINEL`), used by some slot
    /// protocols to mean "load"/"not handled"; never a valid object.
    pub const SENTINEL: Obj = Obj(4);
    /// `None` (word `0x06`).
    pub const NONE: Obj = Obj(immediate_word(IMM_NONE));
    /// `False` (word `0x0E`).
    pub const FALSE: Obj = Obj(immediate_word(IMM_FALSE));
    /// `True` (word `0x1E`).
    pub const TRUE: Obj = Obj(immediate_word(IMM_TRUE));
    /// `Ellipsis` (`...`).
    pub const ELLIPSIS: Obj = Obj(immediate_word(IMM_ELLIPSIS));
    /// `NotImplemented`.
    pub const NOT_IMPLEMENTED: Obj = Obj(immediate_word(IMM_NOT_IMPLEMENTED));

    /// Reinterprets a raw 32-bit word as a reference (no validation).
    pub const fn from_raw(word: u32) -> Obj {
        Obj(word)
    }

    /// The raw 32-bit word.
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// True for the NULL reference.
    pub const fn is_null(self) -> bool {
        self.0 == 0
    }

    /// `True` or `False` for a Rust bool.
    pub const fn from_bool(value: bool) -> Obj {
        if value {
            Obj::TRUE
        } else {
            Obj::FALSE
        }
    }

    /// The bool value of `True`/`False`, `None` for any other reference.
    pub const fn as_bool(self) -> Option<bool> {
        match self {
            Obj::TRUE => Some(true),
            Obj::FALSE => Some(false),
            _ => None,
        }
    }

    // ----- small ints -----

    /// A small int, or `None` if `value` is outside `SMALL_INT_MIN..=SMALL_INT_MAX`.
    pub const fn from_small_int(value: i32) -> Option<Obj> {
        if value < SMALL_INT_MIN || value > SMALL_INT_MAX {
            None
        } else {
            Some(Obj(((value as u32) << 1) | 1))
        }
    }

    /// True if `value` fits in a small int.
    pub const fn fits_small_int(value: i64) -> bool {
        value >= SMALL_INT_MIN as i64 && value <= SMALL_INT_MAX as i64
    }

    /// True if this reference is a small int.
    pub const fn is_small_int(self) -> bool {
        self.0 & 1 == 1
    }

    /// The value of a small int, `None` for other references.
    pub const fn small_int_value(self) -> Option<i32> {
        if self.is_small_int() {
            Some((self.0 as i32) >> 1)
        } else {
            None
        }
    }

    // ----- qstrs -----

    /// A reference to interned string `qstr` (`None` if the id needs more than 29 bits).
    pub const fn from_qstr(qstr: Qstr) -> Option<Obj> {
        let id = qstr.id();
        if id > MAX_IMMEDIATE_PAYLOAD {
            None
        } else {
            Some(Obj((id << 3) | TAG_QSTR))
        }
    }

    /// True if this reference is a qstr.
    pub const fn is_qstr(self) -> bool {
        self.0 & 0b111 == TAG_QSTR
    }

    /// The interned string this reference names, `None` for other references.
    pub const fn qstr(self) -> Option<Qstr> {
        if self.is_qstr() {
            Some(Qstr::from_id(self.0 >> 3))
        } else {
            None
        }
    }

    // ----- immediate objects -----

    /// An immediate object with the given 29-bit payload (`None` if it is too big).
    pub const fn from_immediate(payload: u32) -> Option<Obj> {
        if payload > MAX_IMMEDIATE_PAYLOAD {
            None
        } else {
            Some(Obj(immediate_word(payload)))
        }
    }

    /// True if this reference is an immediate object (None, bools, built-in types, ...).
    pub const fn is_immediate(self) -> bool {
        self.0 & 0b111 == TAG_IMMEDIATE
    }

    /// The payload of an immediate object, `None` for other references.
    pub const fn immediate_payload(self) -> Option<u32> {
        if self.is_immediate() {
            Some(self.0 >> 3)
        } else {
            None
        }
    }

    /// The immediate object for built-in type `type_id` (`None` past `MAX_BUILTIN_TYPE_ID`).
    pub const fn builtin_type(type_id: u32) -> Option<Obj> {
        if type_id > MAX_BUILTIN_TYPE_ID {
            None
        } else {
            Some(Obj(immediate_word(IMMEDIATE_TYPE_BASE + type_id)))
        }
    }

    /// The built-in type id if this is a built-in type object.
    pub const fn builtin_type_id(self) -> Option<u32> {
        match self.immediate_payload() {
            Some(p) if p >= IMMEDIATE_TYPE_BASE && p < IMMEDIATE_STATIC_BASE => Some(p - IMMEDIATE_TYPE_BASE),
            _ => None,
        }
    }

    /// The immediate object for static object `id` (`None` past `MAX_STATIC_OBJECT_ID`).
    pub const fn static_object(id: u32) -> Option<Obj> {
        if id > MAX_STATIC_OBJECT_ID {
            None
        } else {
            Some(Obj(immediate_word(IMMEDIATE_STATIC_BASE + id)))
        }
    }

    /// The static object id if this is a static (non-type, non-constant) immediate.
    pub const fn static_object_id(self) -> Option<u32> {
        match self.immediate_payload() {
            Some(p) if p >= IMMEDIATE_STATIC_BASE => Some(p - IMMEDIATE_STATIC_BASE),
            _ => None,
        }
    }

    // ----- heap references -----

    /// A heap reference to the object whose first block starts at byte `offset`
    /// of the heap. `None` unless `offset` is non-zero and block-aligned.
    pub const fn from_heap_offset(offset: u32) -> Option<Obj> {
        if offset == 0 || offset % BYTES_PER_BLOCK != 0 {
            None
        } else {
            Some(Obj(offset))
        }
    }

    /// True if the word has the pointer tag (low two bits `00`) and is not NULL:
    /// the quick check emitted code does. Use [`Obj::is_heap_ref`] for a full check.
    pub const fn has_pointer_tag(self) -> bool {
        self.0 & 0b11 == 0 && self.0 != 0
    }

    /// True if this reference is a (non-zero, block-aligned) heap offset.
    pub const fn is_heap_ref(self) -> bool {
        self.0 != 0 && self.0 % BYTES_PER_BLOCK == 0
    }

    /// The heap byte offset of a heap reference.
    pub const fn heap_offset(self) -> Option<u32> {
        if self.is_heap_ref() {
            Some(self.0)
        } else {
            None
        }
    }

    /// The index of the object's first word in the heap's word array.
    pub const fn heap_word_index(self) -> Option<usize> {
        if self.is_heap_ref() {
            Some((self.0 / 4) as usize)
        } else {
            None
        }
    }

    /// The GC block number of the object's first block.
    pub const fn heap_block(self) -> Option<usize> {
        if self.is_heap_ref() {
            Some((self.0 / BYTES_PER_BLOCK) as usize)
        } else {
            None
        }
    }
}

impl core::fmt::Debug for Obj {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if let Some(v) = self.small_int_value() {
            write!(f, "Obj(int {v})")
        } else if let Some(q) = self.qstr() {
            write!(f, "Obj(qstr {})", q.id())
        } else if *self == Obj::NONE {
            f.write_str("Obj(None)")
        } else if let Some(b) = self.as_bool() {
            write!(f, "Obj({})", if b { "True" } else { "False" })
        } else if let Some(p) = self.immediate_payload() {
            write!(f, "Obj(immediate {p})")
        } else if self.is_null() {
            f.write_str("Obj(NULL)")
        } else {
            write!(f, "Obj(heap {:#x})", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_bit_patterns() {
        assert_eq!(Obj::NONE.raw(), 0x06);
        assert_eq!(Obj::FALSE.raw(), 0x0E);
        assert_eq!(Obj::TRUE.raw(), 0x1E);
        assert_eq!(Obj::from_small_int(5).map(Obj::raw), Some(0x0B));
        assert_eq!(Obj::from_small_int(-1).map(Obj::raw), Some(0xFFFF_FFFF));
        assert_eq!(Obj::from_qstr(Qstr::from_id(7)).map(Obj::raw), Some(0x3A));
        assert_eq!(Obj::NULL.raw(), 0);
        assert_eq!(Obj::SENTINEL.raw(), 4);
        assert_eq!(Obj::STOP_ITERATION, Obj::NULL);
        assert_eq!(Obj::ELLIPSIS.raw(), 0x26);
        assert_eq!(Obj::builtin_type(0).map(Obj::raw), Some((256 << 3) | 6));
    }

    #[test]
    fn small_int_round_trips_and_range() {
        for v in [0, 1, -1, 5, -5, 12345, SMALL_INT_MIN, SMALL_INT_MAX] {
            let o = Obj::from_small_int(v);
            assert_eq!(o.and_then(Obj::small_int_value), Some(v), "value {v}");
            assert!(o.is_some_and(|o| o.is_small_int() && !o.is_heap_ref()));
        }
        assert_eq!(Obj::from_small_int(SMALL_INT_MAX + 1), None);
        assert_eq!(Obj::from_small_int(SMALL_INT_MIN - 1), None);
        assert_eq!(Obj::from_small_int(i32::MAX), None);
        assert!(Obj::fits_small_int(-(1 << 30)));
        assert!(!Obj::fits_small_int(1 << 30));
        assert_eq!(Obj::NONE.small_int_value(), None);
    }

    #[test]
    fn qstr_round_trip() {
        for id in [0, 1, 165, 166, 60000, MAX_IMMEDIATE_PAYLOAD] {
            let o = Obj::from_qstr(Qstr::from_id(id));
            assert_eq!(o.and_then(Obj::qstr).map(Qstr::id), Some(id));
            assert!(o.is_some_and(|o| !o.is_immediate() && !o.is_small_int()));
        }
        assert_eq!(Obj::from_qstr(Qstr::from_id(MAX_IMMEDIATE_PAYLOAD + 1)), None);
        assert_eq!(Obj::TRUE.qstr(), None);
    }

    #[test]
    fn immediates_and_ranges() {
        assert_eq!(Obj::from_bool(true), Obj::TRUE);
        assert_eq!(Obj::from_bool(false), Obj::FALSE);
        assert_eq!(Obj::TRUE.as_bool(), Some(true));
        assert_eq!(Obj::NONE.as_bool(), None);
        assert_eq!(Obj::NONE.immediate_payload(), Some(0));
        assert_eq!(Obj::ELLIPSIS.immediate_payload(), Some(4));
        let t = Obj::builtin_type(3);
        assert_eq!(t.and_then(Obj::builtin_type_id), Some(3));
        assert_eq!(t.and_then(Obj::static_object_id), None);
        assert_eq!(Obj::builtin_type(MAX_BUILTIN_TYPE_ID + 1), None);
        let s = Obj::static_object(42);
        assert_eq!(s.and_then(Obj::static_object_id), Some(42));
        assert_eq!(s.and_then(Obj::builtin_type_id), None);
        assert_eq!(Obj::static_object(MAX_STATIC_OBJECT_ID + 1), None);
        assert_eq!(Obj::NONE.builtin_type_id(), None);
        assert!(Obj::static_object(MAX_STATIC_OBJECT_ID).is_some());
    }

    #[test]
    fn heap_refs() {
        let o = Obj::from_heap_offset(0x40);
        assert_eq!(o.map(Obj::raw), Some(0x40));
        assert_eq!(o.and_then(Obj::heap_word_index), Some(16));
        assert_eq!(o.and_then(Obj::heap_block), Some(4));
        assert_eq!(Obj::from_heap_offset(0), None);
        assert_eq!(Obj::from_heap_offset(0x44), None);
        assert!(!Obj::SENTINEL.is_heap_ref());
        assert!(Obj::SENTINEL.has_pointer_tag());
        assert!(!Obj::NULL.is_heap_ref());
        assert!(!Obj::NONE.is_heap_ref());
        assert_eq!(Obj::TRUE.heap_offset(), None);
    }
}
