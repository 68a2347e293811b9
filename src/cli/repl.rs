//! A plain line REPL (MicroPython's friendly REPL without line editing): `>>> `
//! prompts, `... ` continuation lines for compound statements, expression values
//! printed (`InputKind::Single`), exceptions printed without leaving. Ctrl-D
//! (end of input) leaves.

use std::io::{BufRead, Write};

use ferropy_frontend::InputKind;
use ferropy_runtime::Vm;

/// True if `text` needs more lines: an unfinished compound statement, open
/// brackets, or a line continuation.
pub fn needs_more(text: &str) -> bool {
    let mut depth: i32 = 0;
    let mut in_str: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match in_str {
            Some(q) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    in_str = None;
                }
            }
            None => match c {
                '#' => {
                    for d in chars.by_ref() {
                        if d == '\n' {
                            break;
                        }
                    }
                }
                '\'' | '"' => in_str = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            },
        }
    }
    if depth > 0 || text.trim_end_matches('\n').ends_with('\\') {
        return true;
    }
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.first().map(|l| l.trim_end()).unwrap_or("");
    let compound = first.ends_with(':');
    // A compound statement ends with an empty line.
    compound && !text.ends_with("\n\n") && !(lines.len() > 1 && lines.last().is_some_and(|l| l.trim().is_empty()))
}

/// Runs the REPL on standard input until end of input; returns the exit status
/// (from `SystemExit`, else 0).
pub fn run(vm: &mut Vm) -> i32 {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    println!("ferropy {}; MicroPython-compatible\nUse Ctrl-D to exit", env!("CARGO_PKG_VERSION"));
    loop {
        let mut text = String::new();
        let mut prompt = ">>> ";
        loop {
            print!("{prompt}");
            let _ = std::io::stdout().flush();
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    if text.is_empty() {
                        println!();
                        return 0;
                    }
                    break;
                }
                Ok(_) => {}
            }
            text.push_str(&line);
            if !needs_more(&text) {
                break;
            }
            prompt = "... ";
        }
        if text.trim().is_empty() {
            continue;
        }
        let r = vm.run_main_source(text.as_bytes(), "<stdin>", InputKind::Single);
        if let Err(e) = r {
            if vm.type_name(e.exception()) == "SystemExit" {
                return crate::run::exit_status(vm, Err(e));
            }
            vm.print_exception(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::needs_more;

    #[test]
    fn continuation_rules() {
        assert!(!needs_more("1 + 2\n"));
        assert!(needs_more("for i in range(3):\n"));
        assert!(needs_more("for i in range(3):\n    print(i)\n"));
        assert!(!needs_more("for i in range(3):\n    print(i)\n\n"));
        assert!(needs_more("x = (1,\n"));
        assert!(!needs_more("x = '('\n"));
        assert!(needs_more("x = 1 + \\\n"));
    }
}
