//! Built-in types: one static [`TypeDesc`] per type (like MicroPython's
//! `mp_obj_type_t`), one file per type. Adding a type means adding an id in
//! [`ids`], a file with its descriptor, and a line in [`desc`].

pub mod attrtuple;
pub mod binary;
pub mod bool_;
pub mod bound_method;
pub mod buffer;
pub mod bytearray;
pub mod bytes;
pub mod cell;
pub mod class;
pub mod dict;
pub mod exception;
pub mod filter;
pub mod format;
pub mod function;
pub mod generator;
pub mod host_fn;
pub mod ids;
pub mod int;
pub mod iterators;
pub mod list;
pub mod memoryview;
pub mod misc;
pub mod none;
pub mod object;
pub mod range;
pub mod set;
pub mod slice;
pub mod str;
pub mod strmeth;
pub mod tuple;
// numbers
pub mod complex;
pub mod float;
pub mod float_fmt;
pub mod int_bytes;
pub mod int_word;

use alloc::string::String;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::qstr::Qstr;
use crate::vm::Vm;

/// A built-in function or method: positional args (self first for methods) and
/// keyword args as flat `name, value` pairs.
pub type NativeFn = fn(&mut Vm, &[Obj], &[Obj]) -> PyResult<Obj>;
/// Creates an instance: the type object, positional and keyword args.
pub type MakeNewFn = fn(&mut Vm, Obj, &[Obj], &[Obj]) -> PyResult<Obj>;
/// Appends `str()` (repr = false) or `repr()` (repr = true) text of an object.
pub type PrintFn = fn(&mut Vm, Obj, &mut String, bool) -> PyResult<()>;
/// A unary operator (`rt::unary_op` numbers); `None` = not supported.
pub type UnaryFn = fn(&mut Vm, u8, Obj) -> PyResult<Option<Obj>>;
/// A binary operator (`opcode::binary` numbers); `None` = not supported.
pub type BinaryFn = fn(&mut Vm, u8, Obj, Obj) -> PyResult<Option<Obj>>;
/// Loads a non-method attribute; `None` = not found.
pub type AttrFn = fn(&mut Vm, Obj, Qstr) -> PyResult<Option<Obj>>;
/// `obj[index]`: value SENTINEL = load, NULL = delete, else store (returns None).
pub type SubscrFn = fn(&mut Vm, Obj, Obj, Obj) -> PyResult<Obj>;
/// `iter(obj)`.
pub type GetIterFn = fn(&mut Vm, Obj) -> PyResult<Obj>;
/// Next item of an iterator, or NULL (`Obj::STOP_ITERATION`) at the end.
pub type IterNextFn = fn(&mut Vm, Obj) -> PyResult<Obj>;
/// Calls the object.
pub type CallFn = fn(&mut Vm, Obj, &[Obj], &[Obj]) -> PyResult<Obj>;

/// How a method in a type's table is bound.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MethodKind {
    /// Bound to the instance (`self` first).
    Instance,
    /// A static method (no binding).
    Static,
    /// Bound to the type (`cls` first).
    Class,
}

/// One entry of a type's method table.
pub struct Method {
    /// The Python name.
    pub name: &'static str,
    /// The implementation.
    pub fun: NativeFn,
    /// How it binds.
    pub kind: MethodKind,
}

impl Method {
    /// An instance method.
    pub const fn new(name: &'static str, fun: NativeFn) -> Method {
        Method { name, fun, kind: MethodKind::Instance }
    }
    /// A static method.
    pub const fn new_static(name: &'static str, fun: NativeFn) -> Method {
        Method { name, fun, kind: MethodKind::Static }
    }
}

/// A built-in type's descriptor: name, base and slots.
pub struct TypeDesc {
    /// `__name__`.
    pub name: &'static str,
    /// Base type id (`None` only for `object`).
    pub base: Option<u32>,
    /// Whether user classes may derive from it.
    pub subclassable: bool,
    /// Constructor (`T(...)`).
    pub make_new: Option<MakeNewFn>,
    /// `str`/`repr`.
    pub print: Option<PrintFn>,
    /// Calling an instance.
    pub call: Option<CallFn>,
    /// Unary operators (also `bool`, `len`, `hash`).
    pub unary_op: Option<UnaryFn>,
    /// Binary operators.
    pub binary_op: Option<BinaryFn>,
    /// Non-method attributes.
    pub attr: Option<AttrFn>,
    /// Subscription.
    pub subscr: Option<SubscrFn>,
    /// `iter()`.
    pub getiter: Option<GetIterFn>,
    /// `next()` for iterators.
    pub iternext: Option<IterNextFn>,
    /// Methods, looked up by name.
    pub methods: &'static [Method],
    /// The buffer protocol (bytes-like objects).
    pub buffer: Option<buffer::BufferFn>,
    /// Class attributes beyond the methods (constants such as `Pin.OUT`),
    /// looked up on the type object and its instances.
    pub class_attr: Option<AttrFn>,
}

impl TypeDesc {
    /// A descriptor with only a name and base; fill the slots with `..`.
    pub const fn new(name: &'static str, base: u32) -> TypeDesc {
        TypeDesc {
            name,
            base: Some(base),
            subclassable: false,
            make_new: None,
            print: None,
            call: None,
            unary_op: None,
            binary_op: None,
            attr: None,
            subscr: None,
            getiter: None,
            iternext: None,
            methods: &[],
            buffer: None,
            class_attr: None,
        }
    }

    /// The index of method `name` in the table.
    pub fn method_index(&self, name: impl AsRef<[u8]>) -> Option<usize> {
        let name = name.as_ref();
        self.methods.iter().position(|m| m.name.as_bytes() == name)
    }
}

/// The descriptor of built-in type `id`.
pub fn desc(id: u32) -> Option<&'static TypeDesc> {
    use ids::*;
    Some(match id {
        OBJECT => &object::OBJECT_TYPE,
        TYPE => &class::TYPE_TYPE,
        ATTRTUPLE => &attrtuple::ATTRTUPLE_TYPE,
        NONE_TYPE => &none::NONE_TYPE,
        BOOL => &bool_::BOOL_TYPE,
        INT => &int::INT_TYPE,
        STR => &str::STR_TYPE,
        BYTES => &bytes::BYTES_TYPE,
        TUPLE => &tuple::TUPLE_TYPE,
        LIST => &list::LIST_TYPE,
        DICT => &dict::DICT_TYPE,
        RANGE => &range::RANGE_TYPE,
        SLICE => &slice::SLICE_TYPE,
        FUNCTION => &function::FUNCTION_TYPE,
        BOUND_METHOD => &bound_method::BOUND_METHOD_TYPE,
        CELL => &cell::CELL_TYPE,
        GENERATOR => &generator::GENERATOR_TYPE,
        BUILTIN_FUNCTION => &function::BUILTIN_FUNCTION_TYPE,
        MODULE => &misc::MODULE_TYPE,
        SUPER => &misc::SUPER_TYPE,
        ELLIPSIS_TYPE => &none::ELLIPSIS_TYPE,
        NOT_IMPLEMENTED_TYPE => &none::NOT_IMPLEMENTED_TYPE,
        STATICMETHOD => &misc::STATICMETHOD_TYPE,
        CLASSMETHOD => &misc::CLASSMETHOD_TYPE,
        PROPERTY => &misc::PROPERTY_TYPE,
        SEQ_ITERATOR => &iterators::SEQ_ITERATOR_TYPE,
        RANGE_ITERATOR => &range::RANGE_ITERATOR_TYPE,
        DICT_ITERATOR => &dict::DICT_ITERATOR_TYPE,
        ENUMERATE => &iterators::ENUMERATE_TYPE,
        ZIP => &iterators::ZIP_TYPE,
        MAP => &iterators::MAP_TYPE,
        DICT_VIEW => &dict::DICT_VIEW_TYPE,
        CALL_ITERATOR => &iterators::CALL_ITERATOR_TYPE,
        // numbers
        FLOAT => &float::FLOAT_TYPE,
        COMPLEX => &complex::COMPLEX_TYPE,
        // --- system modules (imports + system branch) ---
        CODE => &crate::modules::exec::CODE_TYPE,
        STRING_IO => &crate::modules::io::STRING_IO_TYPE,
        BYTES_IO => &crate::modules::io::BYTES_IO_TYPE,
        TEXT_IO => &crate::modules::io::TEXT_IO_TYPE,
        FILE_IO => &crate::modules::io::FILE_IO_TYPE,
        IO_BASE => &crate::modules::io::IO_BASE_TYPE,
        HOST_FUNCTION => &host_fn::HOST_FUNCTION_TYPE,
        SET => &set::SET_TYPE,
        FROZENSET => &set::FROZENSET_TYPE,
        BYTEARRAY => &bytearray::BYTEARRAY_TYPE,
        MEMORYVIEW => &memoryview::MEMORYVIEW_TYPE,
        FILTER => &filter::FILTER_TYPE,
        ORDERED_DICT => &dict::ORDERED_DICT_TYPE,
        DEQUE => &crate::modules::deque::DEQUE_TYPE,
        ARRAY => &crate::modules::array::ARRAY_TYPE,
        STRUCT_FUNCS => &crate::modules::struct_::STRUCT_FUNCS,
        COLLECTIONS_FUNCS => &crate::modules::collections::COLLECTIONS_FUNCS,
        ARRAY_FUNCS => &crate::modules::array::ARRAY_FUNCS,
        VFS_FUNCS => &crate::modules::vfsmod::VFS_FUNCS,
        VFS_POSIX => &crate::modules::vfsmod::VFS_POSIX_TYPE,
        VFS_MEM => &crate::modules::vfsmod::VFS_MEM_TYPE,
        VFS_FAT => &crate::modules::vfsfat::VFS_FAT_TYPE,
        CODE_OWNER => &crate::vm::loader::CODE_OWNER_TYPE,
        OS_FUNCS => &crate::modules::os::OS_FUNCS,
        JSON_FUNCS => &crate::modules::json::JSON_FUNCS,
        BINASCII_FUNCS => &crate::modules::binascii::BINASCII_FUNCS,
        HASHLIB_FUNCS => &crate::modules::hashlib::HASHLIB_FUNCS,
        SHA256 => &crate::modules::hashlib::SHA256_TYPE,
        SHA1 => &crate::modules::hashlib::SHA1_TYPE,
        MD5 => &crate::modules::hashlib::MD5_TYPE,
        HEAPQ_FUNCS => &crate::modules::heapq::HEAPQ_FUNCS,
        RANDOM_FUNCS => &crate::modules::random::RANDOM_FUNCS,
        RE_FUNCS => &crate::modules::re::RE_FUNCS,
        RE_PATTERN => &crate::modules::re::PATTERN_TYPE,
        RE_MATCH => &crate::modules::re::MATCH_TYPE,
        SELECT_FUNCS => &crate::modules::select::SELECT_FUNCS,
        POLL => &crate::modules::select::POLL_TYPE,
        MACHINE_FUNCS => &crate::modules::machine::MACHINE_FUNCS,
        PIN => &crate::modules::machine::PIN_TYPE,
        PIN_BASE => &crate::modules::machine::PIN_BASE_TYPE,
        SIGNAL => &crate::modules::machine::SIGNAL_TYPE,
        UART => &crate::modules::machine::uart::UART_TYPE,
        UCTYPES_FUNCS => &crate::modules::uctypes::UCTYPES_FUNCS,
        UCTYPES_STRUCT => &crate::modules::uctypes::STRUCT_TYPE,
        FRAMEBUF_FUNCS => &crate::modules::framebuf::FRAMEBUF_FUNCS,
        FRAMEBUFFER => &crate::modules::framebuf::FRAMEBUFFER_TYPE,
        MACHINE_MEM => &crate::modules::machine::mem::MEM_TYPE,
        DEFLATE_FUNCS => &crate::modules::deflate::DEFLATE_FUNCS,
        DEFLATE_IO => &crate::modules::deflate::DEFLATE_IO_TYPE,
        SOCKET_FUNCS => &crate::modules::socket::SOCKET_FUNCS,
        SOCKET => &crate::modules::socket::SOCKET_TYPE,
        BASE_EXCEPTION..EXCEPTION_END => return exception::desc(id),
        _ => return None,
    })
}

/// The type object of built-in type `id`.
pub fn type_obj(id: u32) -> Obj {
    Obj::builtin_type(id).unwrap_or(Obj::NONE)
}

/// The item count of an exact list, tuple, bytes, bytearray, dict or deque,
/// read from the object itself (word 1, or the deque's length word); `None`
/// for anything else, instances of subclasses included.
#[inline]
pub(crate) fn stored_len(heap: &crate::gc::HeapWords, o: Obj) -> Option<usize> {
    match heap.type_of(o)?.builtin_type_id()? {
        ids::LIST | ids::TUPLE | ids::BYTES | ids::BYTEARRAY | ids::DICT => heap.load(o, 1).map(|n| n as usize),
        ids::DEQUE => usize::try_from(heap.load_obj(o, crate::modules::deque::LEN)?.small_int_value()?).ok(),
        _ => None,
    }
}

/// The truth of the objects [`stored_len`] answers and of a heap str (whose
/// word 1 is its byte length); `None` for anything else.
#[inline]
pub(crate) fn stored_truth(heap: &crate::gc::HeapWords, o: Obj) -> Option<bool> {
    if let Some(n) = stored_len(heap, o) {
        return Some(n != 0);
    }
    if heap.type_of(o)? == type_obj(ids::STR) {
        return heap.load(o, 1).map(|n| n != 0);
    }
    None
}
