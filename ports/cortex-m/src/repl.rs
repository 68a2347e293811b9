//! The REPL on the board's console: `>>> ` prompts, `... ` continuation lines,
//! echo and backspace, expression values printed, Ctrl-D on an empty line ends
//! the session.

use alloc::string::String;
use alloc::vec::Vec;

use ferropy_frontend::InputKind;

use crate::args::Args;
use crate::uart;

/// Reads one line with echo; `None` on Ctrl-D at the start of a line.
fn read_line() -> Option<String> {
    let mut line: Vec<u8> = Vec::new();
    loop {
        match uart::read_byte() {
            b'\r' | b'\n' => {
                uart::write_bytes(b"\r\n");
                return Some(String::from_utf8_lossy(&line).into_owned());
            }
            4 if line.is_empty() => return None,
            8 | 127 if line.pop().is_some() => uart::write_bytes(b"\x08 \x08"),
            b if b >= 0x20 => {
                line.push(b);
                uart::write_bytes(&[b]);
            }
            _ => {}
        }
    }
}

/// True if `text` is an unfinished compound statement or has open brackets.
fn needs_more(text: &str) -> bool {
    let depth: i32 = text
        .chars()
        .map(|c| match c {
            '(' | '[' | '{' => 1,
            ')' | ']' | '}' => -1,
            _ => 0,
        })
        .sum();
    if depth > 0 || text.trim_end_matches('\n').ends_with('\\') {
        return true;
    }
    let compound = text.lines().next().is_some_and(|l| l.trim_end().ends_with(':'));
    compound && !text.ends_with("\n\n")
}

/// Runs the REPL until Ctrl-D; returns the exit status.
pub fn run(args: &Args) -> i32 {
    let Some(mut vm) = crate::new_board_vm(args, Vec::new()) else { return 1 };
    uart::write_bytes(b"ferropy on Cortex-M4 (mps2-an386); Ctrl-D to exit\r\n");
    loop {
        let mut text = String::new();
        let mut prompt: &[u8] = b">>> ";
        loop {
            uart::write_bytes(prompt);
            let Some(line) = read_line() else {
                if text.is_empty() {
                    return 0;
                }
                break;
            };
            text.push_str(&line);
            text.push('\n');
            if !needs_more(&text) {
                break;
            }
            prompt = b"... ";
        }
        if text.trim().is_empty() {
            continue;
        }
        if let Err(e) = vm.run_main_source(text.as_bytes(), "<stdin>", InputKind::Single) {
            if vm.type_name(e.exception()) == "SystemExit" {
                return ferropy::run::exit_status(&mut vm, Err(e));
            }
            vm.print_exception(e);
        }
    }
}
