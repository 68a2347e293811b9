//! Frozen modules: `.mpy` images compiled into the program and reached, as in
//! MicroPython, through the virtual `.frozen` entry of `sys.path`. A path
//! `.frozen/REST` names table entry `REST` (a file) or, when some entry starts
//! with `REST/`, a directory (a package); nothing under `.frozen` goes to the host.

use super::PathKind;
use crate::vm::FrozenModules;

/// The prefix of `sys.path`-derived paths that name frozen modules.
pub const FROZEN_PREFIX: &str = ".frozen/";

/// The part of `path` after `.frozen/`, if it names something frozen.
pub fn frozen_rest(path: &str) -> Option<&str> {
    path.strip_prefix(FROZEN_PREFIX)
}

/// What `rest` (a path inside `.frozen`) names in `table`.
pub fn frozen_stat(table: FrozenModules, rest: &str) -> PathKind {
    let mut kind = PathKind::Missing;
    for (name, _) in table {
        if *name == rest {
            return PathKind::File;
        }
        if name.strip_prefix(rest).is_some_and(|tail| tail.starts_with('/')) {
            kind = PathKind::Dir;
        }
    }
    kind
}

/// The `.mpy` bytes of frozen file `rest`.
pub fn frozen_bytes(table: FrozenModules, rest: &str) -> Option<&'static [u8]> {
    table.iter().find(|(name, _)| *name == rest).map(|(_, bytes)| *bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: FrozenModules = &[("m.py", b"M1"), ("pkg/__init__.py", b"P"), ("pkg/sub/x.py", b"X")];

    #[test]
    fn files_and_directories_are_found_by_path() {
        assert_eq!(frozen_stat(TABLE, "m.py"), PathKind::File);
        assert_eq!(frozen_stat(TABLE, "m"), PathKind::Missing);
        assert_eq!(frozen_stat(TABLE, "pkg"), PathKind::Dir);
        assert_eq!(frozen_stat(TABLE, "pkg/sub"), PathKind::Dir);
        assert_eq!(frozen_stat(TABLE, "pk"), PathKind::Missing);
        assert_eq!(frozen_stat(TABLE, "pkg/__init__.py"), PathKind::File);
        assert_eq!(frozen_bytes(TABLE, "pkg/sub/x.py"), Some(&b"X"[..]));
        assert_eq!(frozen_bytes(TABLE, "pkg/sub"), None);
        assert_eq!(frozen_rest(".frozen/m.py"), Some("m.py"));
        assert_eq!(frozen_rest("./frozen/m.py"), None);
    }
}
