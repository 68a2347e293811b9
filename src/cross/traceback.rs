//! Compile errors printed the way mpy-cross prints them: as a MicroPython traceback.
//!
//! Errors found while parsing carry no function name (`File "f.py", line 2`); errors
//! found by the compiler name the innermost class or function being compiled
//! (`File "f.py", line 3, in f`), `<module>` at top level.

use ferropy_frontend::ast::{Stmt, StmtKind};
use ferropy_frontend::token::Pos;
use ferropy_frontend::CompileError;

/// Where a compile error was found, which decides the traceback's frame line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading the source or parsing it.
    Parse,
    /// Compiling the parsed tree.
    Compile,
}

/// The name of the innermost `def` or `class` whose body contains `pos`, or `<module>`.
///
/// A definition's header (decorators, defaults, bases) belongs to the enclosing scope;
/// its body starts at its first statement.
pub fn scope_name_at(body: &[Stmt], pos: Pos) -> String {
    let mut name = String::from("<module>");
    let mut block: Vec<&Stmt> = body.iter().collect();
    // Bounded by the nesting depth of the tree, which the parser already limits.
    loop {
        let Some(stmt) = block.iter().rev().find(|s| s.pos <= pos).copied() else { return name };
        let (inner, scope): (Vec<&Stmt>, Option<&str>) = match &stmt.kind {
            StmtKind::FunctionDef(def) => (def.body.iter().collect(), Some(&*def.name)),
            StmtKind::ClassDef(class) => (class.body.iter().collect(), Some(&*class.name)),
            StmtKind::If { branches, orelse } => {
                (branches.iter().flat_map(|b| b.body.iter()).chain(orelse.iter()).collect(), None)
            }
            StmtKind::While { body, orelse, .. } | StmtKind::For { body, orelse, .. } => {
                (body.iter().chain(orelse.iter()).collect(), None)
            }
            StmtKind::With { body, .. } => (body.iter().collect(), None),
            StmtKind::Try { body, handlers, orelse, finalbody } => (
                body.iter()
                    .chain(handlers.iter().flat_map(|h| h.body.iter()))
                    .chain(orelse.iter())
                    .chain(finalbody.iter().flatten())
                    .collect(),
                None,
            ),
            _ => return name,
        };
        if let Some(scope) = scope {
            match inner.first() {
                Some(first) if first.pos <= pos => name = scope.to_string(),
                _ => return name,
            }
        }
        block = inner;
    }
}

/// Formats `error` as mpy-cross prints an uncaught compile error (ending with a newline).
pub fn format_compile_error(error: &CompileError, source_name: &str, phase: Phase, scope: &str) -> String {
    let frame = match phase {
        Phase::Parse => format!("  File \"{source_name}\", line {}", error.pos.line),
        Phase::Compile => format!("  File \"{source_name}\", line {}, in {scope}", error.pos.line),
    };
    format!("Traceback (most recent call last):\n{frame}\n{error}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_frontend::parser::parse_module;

    fn scope_of(source: &str, line: u32, col: u32) -> String {
        let module = parse_module(source).expect("parses");
        scope_name_at(&module.body, Pos { line, col })
    }

    #[test]
    fn finds_the_innermost_definition() {
        let src = "x = 1\ndef f(a=2):\n    if a:\n        y = 3\n    class C:\n        z = 4\n    return 5\nw = 6\n";
        assert_eq!(scope_of(src, 1, 1), "<module>");
        assert_eq!(scope_of(src, 2, 9), "<module>");
        assert_eq!(scope_of(src, 4, 9), "f");
        assert_eq!(scope_of(src, 6, 9), "C");
        assert_eq!(scope_of(src, 7, 5), "f");
        assert_eq!(scope_of(src, 8, 1), "<module>");
    }

    #[test]
    fn formats_like_mpy_cross() {
        let e = CompileError::syntax("invalid syntax", Pos { line: 2, col: 1 });
        assert_eq!(
            format_compile_error(&e, "bad.py", Phase::Parse, "<module>"),
            "Traceback (most recent call last):\n  File \"bad.py\", line 2\nSyntaxError: invalid syntax\n"
        );
        assert_eq!(
            format_compile_error(&e, "bad.py", Phase::Compile, "f"),
            "Traceback (most recent call last):\n  File \"bad.py\", line 2, in f\nSyntaxError: invalid syntax\n"
        );
    }
}
