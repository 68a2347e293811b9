//! The object protocol (MicroPython's runtime.c): type lookup, operators,
//! truth, hashing, attributes, calls, iteration, printing and errors. Each
//! function dispatches on the fast paths (small ints, qstrs) inline, then on
//! user classes' special methods, then on the built-in type's descriptor slots.

pub mod attr;
pub mod call;
pub mod errors;
pub mod iter;
pub mod ops;
pub mod print;

pub use call::call_dunder;
pub use iter::self_iter;

use alloc::string::String;

use crate::obj::Obj;
use crate::types::{self, ids, TypeDesc};
use crate::vm::Vm;

/// `+x`
pub const UNARY_POSITIVE: u8 = 0;
/// `-x`
pub const UNARY_NEGATIVE: u8 = 1;
/// `~x`
pub const UNARY_INVERT: u8 = 2;
/// `not x`
pub const UNARY_NOT: u8 = 3;
/// `bool(x)`
pub const UNARY_BOOL: u8 = 4;
/// `len(x)`
pub const UNARY_LEN: u8 = 5;
/// `hash(x)`
pub const UNARY_HASH: u8 = 6;
/// `abs(x)`
pub const UNARY_ABS: u8 = 7;

impl Vm {
    /// The type object of `o`: an immediate built-in type or a heap class.
    pub fn type_of(&self, o: Obj) -> Obj {
        let id = if o.is_small_int() {
            ids::INT
        } else if o.is_qstr() {
            ids::STR
        } else if o.is_heap_ref() {
            return self.get(o, 0);
        } else {
            match o {
                Obj::NONE | Obj::NULL => ids::NONE_TYPE,
                Obj::TRUE | Obj::FALSE => ids::BOOL,
                Obj::ELLIPSIS => ids::ELLIPSIS_TYPE,
                Obj::NOT_IMPLEMENTED => ids::NOT_IMPLEMENTED_TYPE,
                _ if o.builtin_type_id().is_some() => ids::TYPE,
                _ => ids::BUILTIN_FUNCTION,
            }
        };
        types::type_obj(id)
    }

    /// True if `o` is a user-defined class object.
    pub fn is_user_class(&self, o: Obj) -> bool {
        o.is_heap_ref() && self.get(o, 0) == types::type_obj(ids::TYPE)
    }

    /// True if `o` is a class (built-in or user-defined).
    pub fn is_class(&self, o: Obj) -> bool {
        o.builtin_type_id().is_some() || self.is_user_class(o)
    }

    /// The built-in type that implements `o`'s slots: its own type, or for an
    /// instance of a user class, the class's built-in base.
    pub fn native_type_id(&self, o: Obj) -> u32 {
        let t = self.type_of(o);
        match t.builtin_type_id() {
            Some(id) => id,
            None => self.class_native_base(t),
        }
    }

    /// The descriptor of `o`'s native type.
    pub fn desc_of(&self, o: Obj) -> &'static TypeDesc {
        types::desc(self.native_type_id(o)).unwrap_or(&types::object::OBJECT_TYPE)
    }

    /// True if `o`'s exact type is built-in type `id`.
    pub fn is_exact(&self, o: Obj, id: u32) -> bool {
        self.type_of(o) == types::type_obj(id)
    }

    /// The name of a class object.
    pub fn class_name(&self, cls: Obj) -> String {
        if let Some(id) = cls.builtin_type_id() {
            return String::from(types::desc(id).map(|d| d.name).unwrap_or("?"));
        }
        match self.get(cls, 1).qstr() {
            Some(q) => self.qstr_text(q),
            None => String::from("?"),
        }
    }

    /// The name of `o`'s type.
    pub fn type_name(&self, o: Obj) -> String {
        self.class_name(self.type_of(o))
    }
}
