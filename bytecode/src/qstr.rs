//! MicroPython's static qstr table (fixed ids used by `.mpy` files) and the qstr hash.
//!
//! A `.mpy` qstr-table entry whose var-uint has bit 0 set names one of these strings by
//! id instead of spelling it out. The ids are part of the file format (they come from
//! MicroPython's `makeqstrdata.py`), so the order below must never change.

/// The static qstrs, indexed by id. Index 0 is MicroPython's null qstr: it has no
/// name, holds `""` here only as a filler, and is never produced or accepted as an id
/// (the empty string's id is 1). Ids 1..=165 are the real static qstrs.
pub static STATIC_QSTRS: [&str; 166] = [
    "",                    // 0: the null qstr (no name); never returned by `static_qstr_id`
    "",                    // 1
    "__dir__",             // 2
    "\n",                  // 3
    " ",                   // 4
    "*",                   // 5
    "/",                   // 6
    "<module>",            // 7
    "_",                   // 8
    "__call__",            // 9
    "__class__",           // 10
    "__delitem__",         // 11
    "__enter__",           // 12
    "__exit__",            // 13
    "__getattr__",         // 14
    "__getitem__",         // 15
    "__hash__",            // 16
    "__init__",            // 17
    "__int__",             // 18
    "__iter__",            // 19
    "__len__",             // 20
    "__main__",            // 21
    "__module__",          // 22
    "__name__",            // 23
    "__new__",             // 24
    "__next__",            // 25
    "__qualname__",        // 26
    "__repr__",            // 27
    "__setitem__",         // 28
    "__str__",             // 29
    "ArithmeticError",     // 30
    "AssertionError",      // 31
    "AttributeError",      // 32
    "BaseException",       // 33
    "EOFError",            // 34
    "Ellipsis",            // 35
    "Exception",           // 36
    "GeneratorExit",       // 37
    "ImportError",         // 38
    "IndentationError",    // 39
    "IndexError",          // 40
    "KeyError",            // 41
    "KeyboardInterrupt",   // 42
    "LookupError",         // 43
    "MemoryError",         // 44
    "NameError",           // 45
    "NoneType",            // 46
    "NotImplementedError", // 47
    "OSError",             // 48
    "OverflowError",       // 49
    "RuntimeError",        // 50
    "StopIteration",       // 51
    "SyntaxError",         // 52
    "SystemExit",          // 53
    "TypeError",           // 54
    "ValueError",          // 55
    "ZeroDivisionError",   // 56
    "abs",                 // 57
    "all",                 // 58
    "any",                 // 59
    "append",              // 60
    "args",                // 61
    "bool",                // 62
    "builtins",            // 63
    "bytearray",           // 64
    "bytecode",            // 65
    "bytes",               // 66
    "callable",            // 67
    "chr",                 // 68
    "classmethod",         // 69
    "clear",               // 70
    "close",               // 71
    "const",               // 72
    "copy",                // 73
    "count",               // 74
    "dict",                // 75
    "dir",                 // 76
    "divmod",              // 77
    "end",                 // 78
    "endswith",            // 79
    "eval",                // 80
    "exec",                // 81
    "extend",              // 82
    "find",                // 83
    "format",              // 84
    "from_bytes",          // 85
    "get",                 // 86
    "getattr",             // 87
    "globals",             // 88
    "hasattr",             // 89
    "hash",                // 90
    "id",                  // 91
    "index",               // 92
    "insert",              // 93
    "int",                 // 94
    "isalpha",             // 95
    "isdigit",             // 96
    "isinstance",          // 97
    "islower",             // 98
    "isspace",             // 99
    "issubclass",          // 100
    "isupper",             // 101
    "items",               // 102
    "iter",                // 103
    "join",                // 104
    "key",                 // 105
    "keys",                // 106
    "len",                 // 107
    "list",                // 108
    "little",              // 109
    "locals",              // 110
    "lower",               // 111
    "lstrip",              // 112
    "main",                // 113
    "map",                 // 114
    "micropython",         // 115
    "next",                // 116
    "object",              // 117
    "open",                // 118
    "ord",                 // 119
    "pop",                 // 120
    "popitem",             // 121
    "pow",                 // 122
    "print",               // 123
    "range",               // 124
    "read",                // 125
    "readinto",            // 126
    "readline",            // 127
    "remove",              // 128
    "replace",             // 129
    "repr",                // 130
    "reverse",             // 131
    "rfind",               // 132
    "rindex",              // 133
    "round",               // 134
    "rsplit",              // 135
    "rstrip",              // 136
    "self",                // 137
    "send",                // 138
    "sep",                 // 139
    "set",                 // 140
    "setattr",             // 141
    "setdefault",          // 142
    "sort",                // 143
    "sorted",              // 144
    "split",               // 145
    "start",               // 146
    "startswith",          // 147
    "staticmethod",        // 148
    "step",                // 149
    "stop",                // 150
    "str",                 // 151
    "strip",               // 152
    "sum",                 // 153
    "super",               // 154
    "throw",               // 155
    "to_bytes",            // 156
    "tuple",               // 157
    "type",                // 158
    "update",              // 159
    "upper",               // 160
    "utf-8",               // 161
    "value",               // 162
    "values",              // 163
    "write",               // 164
    "zip",                 // 165
];

/// The highest static qstr id.
pub const LAST_STATIC_QSTR_ID: u16 = 165;

/// `(text, id)` for every static qstr, sorted by the text's bytes, for binary search.
static SORTED_STATIC_QSTRS: [(&str, u16); 165] = [
    ("", 1),
    ("\n", 3),
    (" ", 4),
    ("*", 5),
    ("/", 6),
    ("<module>", 7),
    ("ArithmeticError", 30),
    ("AssertionError", 31),
    ("AttributeError", 32),
    ("BaseException", 33),
    ("EOFError", 34),
    ("Ellipsis", 35),
    ("Exception", 36),
    ("GeneratorExit", 37),
    ("ImportError", 38),
    ("IndentationError", 39),
    ("IndexError", 40),
    ("KeyError", 41),
    ("KeyboardInterrupt", 42),
    ("LookupError", 43),
    ("MemoryError", 44),
    ("NameError", 45),
    ("NoneType", 46),
    ("NotImplementedError", 47),
    ("OSError", 48),
    ("OverflowError", 49),
    ("RuntimeError", 50),
    ("StopIteration", 51),
    ("SyntaxError", 52),
    ("SystemExit", 53),
    ("TypeError", 54),
    ("ValueError", 55),
    ("ZeroDivisionError", 56),
    ("_", 8),
    ("__call__", 9),
    ("__class__", 10),
    ("__delitem__", 11),
    ("__dir__", 2),
    ("__enter__", 12),
    ("__exit__", 13),
    ("__getattr__", 14),
    ("__getitem__", 15),
    ("__hash__", 16),
    ("__init__", 17),
    ("__int__", 18),
    ("__iter__", 19),
    ("__len__", 20),
    ("__main__", 21),
    ("__module__", 22),
    ("__name__", 23),
    ("__new__", 24),
    ("__next__", 25),
    ("__qualname__", 26),
    ("__repr__", 27),
    ("__setitem__", 28),
    ("__str__", 29),
    ("abs", 57),
    ("all", 58),
    ("any", 59),
    ("append", 60),
    ("args", 61),
    ("bool", 62),
    ("builtins", 63),
    ("bytearray", 64),
    ("bytecode", 65),
    ("bytes", 66),
    ("callable", 67),
    ("chr", 68),
    ("classmethod", 69),
    ("clear", 70),
    ("close", 71),
    ("const", 72),
    ("copy", 73),
    ("count", 74),
    ("dict", 75),
    ("dir", 76),
    ("divmod", 77),
    ("end", 78),
    ("endswith", 79),
    ("eval", 80),
    ("exec", 81),
    ("extend", 82),
    ("find", 83),
    ("format", 84),
    ("from_bytes", 85),
    ("get", 86),
    ("getattr", 87),
    ("globals", 88),
    ("hasattr", 89),
    ("hash", 90),
    ("id", 91),
    ("index", 92),
    ("insert", 93),
    ("int", 94),
    ("isalpha", 95),
    ("isdigit", 96),
    ("isinstance", 97),
    ("islower", 98),
    ("isspace", 99),
    ("issubclass", 100),
    ("isupper", 101),
    ("items", 102),
    ("iter", 103),
    ("join", 104),
    ("key", 105),
    ("keys", 106),
    ("len", 107),
    ("list", 108),
    ("little", 109),
    ("locals", 110),
    ("lower", 111),
    ("lstrip", 112),
    ("main", 113),
    ("map", 114),
    ("micropython", 115),
    ("next", 116),
    ("object", 117),
    ("open", 118),
    ("ord", 119),
    ("pop", 120),
    ("popitem", 121),
    ("pow", 122),
    ("print", 123),
    ("range", 124),
    ("read", 125),
    ("readinto", 126),
    ("readline", 127),
    ("remove", 128),
    ("replace", 129),
    ("repr", 130),
    ("reverse", 131),
    ("rfind", 132),
    ("rindex", 133),
    ("round", 134),
    ("rsplit", 135),
    ("rstrip", 136),
    ("self", 137),
    ("send", 138),
    ("sep", 139),
    ("set", 140),
    ("setattr", 141),
    ("setdefault", 142),
    ("sort", 143),
    ("sorted", 144),
    ("split", 145),
    ("start", 146),
    ("startswith", 147),
    ("staticmethod", 148),
    ("step", 149),
    ("stop", 150),
    ("str", 151),
    ("strip", 152),
    ("sum", 153),
    ("super", 154),
    ("throw", 155),
    ("to_bytes", 156),
    ("tuple", 157),
    ("type", 158),
    ("update", 159),
    ("upper", 160),
    ("utf-8", 161),
    ("value", 162),
    ("values", 163),
    ("write", 164),
    ("zip", 165),
];

/// The static qstr id of `s` (1..=165), or `None` when `s` is not a static qstr.
pub fn static_qstr_id(s: &str) -> Option<u16> {
    SORTED_STATIC_QSTRS
        .binary_search_by(|(text, _)| text.as_bytes().cmp(s.as_bytes()))
        .ok()
        .and_then(|i| SORTED_STATIC_QSTRS.get(i))
        .map(|&(_, id)| id)
}

/// The text of static qstr `id`, or `None` for 0 and ids past the table.
pub fn static_qstr_text(id: u16) -> Option<&'static str> {
    if id == 0 {
        return None;
    }
    STATIC_QSTRS.get(usize::from(id)).copied()
}

/// MicroPython's qstr hash: start at 5381, multiply by 33 and xor each byte, keep the
/// low 16 bits, and use 1 instead of 0 (0 means "not computed").
pub fn qstr_hash(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 5381;
    for &b in bytes {
        hash = hash.wrapping_mul(33) ^ u32::from(b);
    }
    match hash & 0xFFFF {
        0 => 1,
        h => h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_the_facts_sheet() {
        assert_eq!(static_qstr_id(""), Some(1));
        assert_eq!(static_qstr_id("__dir__"), Some(2));
        assert_eq!(static_qstr_id("\n"), Some(3));
        assert_eq!(static_qstr_id("<module>"), Some(7));
        assert_eq!(static_qstr_id("__init__"), Some(17));
        assert_eq!(static_qstr_id("ArithmeticError"), Some(30));
        assert_eq!(static_qstr_id("micropython"), Some(115));
        assert_eq!(static_qstr_id("utf-8"), Some(161));
        assert_eq!(static_qstr_id("zip"), Some(165));
        assert_eq!(static_qstr_id("zipx"), None);
        assert_eq!(static_qstr_id("<lambda>"), None);
        assert_eq!(static_qstr_text(0), None);
        assert_eq!(static_qstr_text(7), Some("<module>"));
        assert_eq!(static_qstr_text(166), None);
    }

    #[test]
    fn sorted_table_agrees_with_id_table() {
        assert_eq!(STATIC_QSTRS.len(), usize::from(LAST_STATIC_QSTR_ID) + 1);
        for (id, text) in STATIC_QSTRS.iter().enumerate().skip(1) {
            assert_eq!(static_qstr_id(text), Some(id as u16), "{text:?}");
        }
        for pair in SORTED_STATIC_QSTRS.windows(2) {
            assert!(pair[0].0.as_bytes() < pair[1].0.as_bytes());
        }
    }

    #[test]
    fn hash_matches_makeqstrdata() {
        assert_eq!(qstr_hash(b""), 5381);
        assert_eq!(qstr_hash(b"a"), 46532);
        assert_eq!(qstr_hash(b"hello"), 60903);
        assert_eq!(qstr_hash(b"__init__"), 42335);
        assert_eq!(qstr_hash(b"utf-8"), 33463);
        assert_eq!(qstr_hash(&[b'x'; 300]), 64773);
        // "dndk" hashes to 0 in 16 bits, which is replaced by 1.
        assert_eq!(qstr_hash(b"dndk"), 1);
    }
}
