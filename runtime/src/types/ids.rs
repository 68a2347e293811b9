//! Built-in type ids: the payload of `Obj::builtin_type(id)` for each built-in
//! type. One constant per type; `types::TYPES` maps an id to its descriptor.

#![allow(missing_docs)]

pub const OBJECT: u32 = 0;
pub const TYPE: u32 = 1;
pub const NONE_TYPE: u32 = 2;
pub const BOOL: u32 = 3;
pub const INT: u32 = 4;
pub const STR: u32 = 5;
pub const BYTES: u32 = 6;
pub const TUPLE: u32 = 7;
pub const LIST: u32 = 8;
pub const DICT: u32 = 9;
pub const RANGE: u32 = 10;
pub const SLICE: u32 = 11;
pub const FUNCTION: u32 = 12;
pub const BOUND_METHOD: u32 = 13;
pub const CELL: u32 = 14;
pub const GENERATOR: u32 = 15;
pub const BUILTIN_FUNCTION: u32 = 16;
pub const MODULE: u32 = 17;
pub const SUPER: u32 = 18;
pub const ELLIPSIS_TYPE: u32 = 19;
pub const NOT_IMPLEMENTED_TYPE: u32 = 20;
pub const STATICMETHOD: u32 = 21;
pub const CLASSMETHOD: u32 = 22;
pub const PROPERTY: u32 = 23;
pub const SEQ_ITERATOR: u32 = 24;
pub const RANGE_ITERATOR: u32 = 25;
pub const DICT_ITERATOR: u32 = 26;
pub const ENUMERATE: u32 = 27;
pub const ZIP: u32 = 28;
pub const MAP: u32 = 29;
pub const DICT_VIEW: u32 = 30;
pub const CALL_ITERATOR: u32 = 31;
// numbers
pub const FLOAT: u32 = 32;
pub const COMPLEX: u32 = 33;
// --- system modules (imports + system branch) ---
pub const CODE: u32 = 56;
pub const STRING_IO: u32 = 57;
pub const BYTES_IO: u32 = 58;
pub const TEXT_IO: u32 = 59;
pub const FILE_IO: u32 = 60;
pub const IO_BASE: u32 = 61;
// embedding
pub const HOST_FUNCTION: u32 = 54;
// containers branch
pub const SET: u32 = 34;
pub const FROZENSET: u32 = 35;
pub const BYTEARRAY: u32 = 36;
pub const MEMORYVIEW: u32 = 37;
pub const FILTER: u32 = 38;
pub const ORDERED_DICT: u32 = 39;
pub const DEQUE: u32 = 40;
pub const ARRAY: u32 = 41;
pub const STRUCT_FUNCS: u32 = 42;
pub const COLLECTIONS_FUNCS: u32 = 43;
pub const ARRAY_FUNCS: u32 = 44;
pub const ATTRTUPLE: u32 = 45;
// standard modules (issue 10)
pub const VFS_FUNCS: u32 = 100;
pub const VFS_POSIX: u32 = 101;
pub const VFS_MEM: u32 = 102;
pub const OS_FUNCS: u32 = 103;
pub const JSON_FUNCS: u32 = 104;
pub const BINASCII_FUNCS: u32 = 105;
pub const HASHLIB_FUNCS: u32 = 106;
pub const SHA256: u32 = 107;
pub const SHA1: u32 = 108;
pub const MD5: u32 = 109;
pub const HEAPQ_FUNCS: u32 = 110;
pub const RANDOM_FUNCS: u32 = 111;
pub const RE_FUNCS: u32 = 112;
pub const RE_PATTERN: u32 = 113;
pub const RE_MATCH: u32 = 114;
pub const SELECT_FUNCS: u32 = 115;
pub const POLL: u32 = 116;
pub const MACHINE_FUNCS: u32 = 117;
pub const PIN: u32 = 118;
pub const PIN_BASE: u32 = 119;
pub const SIGNAL: u32 = 120;
pub const UART: u32 = 121;
pub const UCTYPES_FUNCS: u32 = 122;
pub const UCTYPES_STRUCT: u32 = 123;
pub const FRAMEBUF_FUNCS: u32 = 124;
pub const FRAMEBUFFER: u32 = 125;
pub const MACHINE_MEM: u32 = 126;
pub const DEFLATE_FUNCS: u32 = 127;
pub const DEFLATE_IO: u32 = 128;
pub const VFS_FAT: u32 = 129;
pub const SOCKET_FUNCS: u32 = 130;
pub const SOCKET: u32 = 131;
/// Keeps a loaded module's code units alive (`vm::loader`).
pub const CODE_OWNER: u32 = 132;

/// First exception type id; the hierarchy follows (see `types::exception`).
pub const BASE_EXCEPTION: u32 = 64;
pub const SYSTEM_EXIT: u32 = 65;
pub const KEYBOARD_INTERRUPT: u32 = 66;
pub const GENERATOR_EXIT: u32 = 67;
pub const EXCEPTION: u32 = 68;
pub const STOP_ITERATION: u32 = 69;
pub const ARITHMETIC_ERROR: u32 = 70;
pub const OVERFLOW_ERROR: u32 = 71;
pub const ZERO_DIVISION_ERROR: u32 = 72;
pub const ASSERTION_ERROR: u32 = 73;
pub const ATTRIBUTE_ERROR: u32 = 74;
pub const EOF_ERROR: u32 = 75;
pub const IMPORT_ERROR: u32 = 76;
pub const LOOKUP_ERROR: u32 = 77;
pub const INDEX_ERROR: u32 = 78;
pub const KEY_ERROR: u32 = 79;
pub const MEMORY_ERROR: u32 = 80;
pub const NAME_ERROR: u32 = 81;
pub const OS_ERROR: u32 = 82;
pub const RUNTIME_ERROR: u32 = 83;
pub const NOT_IMPLEMENTED_ERROR: u32 = 84;
pub const SYNTAX_ERROR: u32 = 85;
pub const TYPE_ERROR: u32 = 86;
pub const VALUE_ERROR: u32 = 87;
pub const UNICODE_ERROR: u32 = 88;
pub const INDENTATION_ERROR: u32 = 89;
pub const VIPER_TYPE_ERROR: u32 = 90;
pub const STOP_ASYNC_ITERATION: u32 = 91;
/// One past the last exception type id.
pub const EXCEPTION_END: u32 = 92;
