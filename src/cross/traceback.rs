//! Compile errors printed the way mpy-cross prints them: as a MicroPython traceback.
//!
//! Errors found while parsing carry no function name (`File "f.py", line 2`); errors
//! found by the compiler name the scope being compiled (`File "f.py", line 3, in f`),
//! `<module>` at top level: the compiler records it in `CompileError::scope`.

use ferropy_frontend::CompileError;

/// Formats `error` as mpy-cross prints an uncaught compile error (ending with a newline).
pub fn format_compile_error(error: &CompileError, source_name: &str) -> String {
    let frame = match &error.scope {
        None => format!("  File \"{source_name}\", line {}", error.pos.line),
        Some(scope) => format!("  File \"{source_name}\", line {}, in {scope}", error.pos.line),
    };
    format!("Traceback (most recent call last):\n{frame}\n{error}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_frontend::token::Pos;

    #[test]
    fn formats_like_mpy_cross() {
        let e = CompileError::syntax("invalid syntax", Pos { line: 2, col: 1 });
        assert_eq!(
            format_compile_error(&e, "bad.py"),
            "Traceback (most recent call last):\n  File \"bad.py\", line 2\nSyntaxError: invalid syntax\n"
        );
        assert_eq!(
            format_compile_error(&e.in_scope("f"), "bad.py"),
            "Traceback (most recent call last):\n  File \"bad.py\", line 2, in f\nSyntaxError: invalid syntax\n"
        );
    }

    #[test]
    fn compile_errors_name_the_innermost_scope() {
        let opts = ferropy_frontend::CompileOptions::default();
        for (src, want) in [
            ("x = 1\ndef f(a=2):\n    if a:\n        nonlocal q\n", Some("f")),
            ("class C:\n    return 4\n", Some("C")),
            ("return 5\n", Some("<module>")),
            ("x = (\n", None),
        ] {
            let e = ferropy_frontend::compile_bytes(src.as_bytes(), "t.py", ferropy_frontend::InputKind::File, &opts)
                .expect_err("an error");
            assert_eq!(e.scope.as_deref(), want, "{src}");
        }
    }
}
