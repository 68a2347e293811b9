//! Engine tests with a scripted in-memory console.

use std::boxed::Box;
use std::string::String;
use std::vec::Vec;

use ferropy_runtime::vm::OutputSink;
use ferropy_runtime::{Vm, VmConfig};

use crate::console::{ScriptedConsole, SharedOutput};
use crate::engine::{CtrlD, Repl, ReplConfig, SessionEnd};

fn sink(out: &SharedOutput) -> OutputSink {
    let out = out.clone();
    Box::new(move |b: &[u8]| {
        // Boards send `\r\n` for each `\n`.
        let mut o = out.lock().unwrap();
        for &c in b {
            if c == b'\n' {
                o.push(b'\r');
            }
            o.push(c);
        }
    })
}

fn board(out: SharedOutput) -> impl FnMut() -> Option<Vm> {
    move || Vm::new(VmConfig::default(), sink(&out), sink(&out)).ok()
}

/// Runs `input` through a session; returns what was written and how it ended.
fn session(input: &[u8], ctrl_d: CtrlD) -> (String, SessionEnd) {
    let mut con = ScriptedConsole::new(input);
    let config = ReplConfig { banner: String::from("BANNER"), ctrl_d, ..ReplConfig::default() };
    let mut repl = Repl::new(board(con.output.clone()), config);
    let end = repl.run(&mut con);
    (String::from_utf8_lossy(&con.written()).into_owned(), end)
}

fn run(input: &[u8]) -> String {
    session(input, CtrlD::SoftReset).0
}

#[test]
fn friendly_prompt_and_expression() {
    let (out, end) = session(b"1+2\r", CtrlD::SoftReset);
    assert_eq!(out, "BANNER\r\n>>> 1+2\r\n3\r\n>>> ");
    assert_eq!(end, SessionEnd::Disconnected);
}

#[test]
fn continuation_and_auto_indent() {
    // The body line is auto-indented; backspace removes the indent, Enter ends.
    let out = run(b"for i in range(2):\rprint(i)\r\x08\r");
    assert_eq!(out, "BANNER\r\n>>> for i in range(2):\r\n...     print(i)\r\n...     \x1b[4D\x1b[K\r\n0\r\n1\r\n>>> ");
}

#[test]
fn three_enters_end_an_auto_indented_block() {
    let out = run(b"if 1:\rx = 5\r\r\r\rx\r");
    assert!(out.ends_with("...     x = 5\r\n...     \r\n...     \r\n... \r\n>>> x\r\n5\r\n>>> "), "{out:?}");
}

#[test]
fn errors_are_printed_and_the_repl_goes_on() {
    let out = run(b"1/0\rprint('ok')\r");
    assert!(out.contains("ZeroDivisionError: divide by zero\r\n>>> "), "{out:?}");
    assert!(out.ends_with("ok\r\n>>> "), "{out:?}");
    let out = run(b"x = = 1\r");
    assert!(out.contains("SyntaxError: invalid syntax\r\n"), "{out:?}");
}

#[test]
fn editing_keys() {
    // left twice, insert, home, insert, end, insert: "a12" -> "(a+12)"
    let out = run(b"a12\x1b[D\x1b[D+\x01(\x05)\ra=1\r(a+12)\r");
    assert!(out.contains("NameError"), "{out:?}");
    // The edited line was `(a+12)`: after defining `a` the same text gives 13.
    let out = run(b"a=1\ra12\x1b[D\x1b[D+\x1b[H(\x1b[F)\r");
    assert!(out.ends_with("13\r\n>>> "), "{out:?}");
    // Backspace and delete in the middle; Ctrl-K kills to the end.
    let out = run(b"7+89\x1b[D\x1b[D\x7f\r");
    assert!(out.ends_with("789\r\n>>> "), "{out:?}");
    let out = run(b"12345\x01\x1b[3~\r");
    assert!(out.ends_with("2345\r\n>>> "), "{out:?}");
    let out = run(b"123456\x1b[D\x1b[D\x0b\r");
    assert!(out.ends_with("1234\r\n>>> "), "{out:?}");
}

#[test]
fn history_up_and_down() {
    let out = run(b"40+2\r\x1b[A\r");
    assert_eq!(out.matches("42\r\n").count(), 2, "{out:?}");
    // Up twice, down once: the newer entry.
    let out = run(b"1+1\r2+2\r\x1b[A\x1b[A\x1b[B\r");
    assert!(out.ends_with("4\r\n>>> "), "{out:?}");
    // Ctrl-P / Ctrl-N as in MicroPython's Emacs keys.
    let out = run(b"3*3\r\x10\r");
    assert_eq!(out.matches("9\r\n").count(), 2, "{out:?}");
}

#[test]
fn tab_completion() {
    let out = run(b"import micropython\rmicropython.opt_le\t(2)\rmicropython.opt_level()\r");
    assert!(out.ends_with("2\r\n>>> "), "{out:?}");
    // Several matches with nothing in common beyond the prefix are listed.
    let out = run(b"abc1 = 1\rabc2 = 2\rab\t");
    assert!(out.contains(">>> ab\r\nabc1            abc2            abs\r\n>>> ab"), "{out:?}");
    // Tab after whitespace indents.
    // (The first Tab after an auto-indent only keeps it, as in MicroPython.)
    let out = run(b"if 1:\r\t\t");
    assert!(out.ends_with("...         "), "{out:?}");
    // `imp` completes to `import `.
    let out = run(b"imp\tmicropython\rmicropython\r");
    assert!(out.contains("<module 'micropython'>"), "{out:?}");
}

#[test]
fn ctrl_c_cancels_the_line_and_interrupts_running_code() {
    let out = run(b"123\x03456\r");
    assert!(out.contains(">>> 123\r\n>>> 456\r\n456\r\n"), "{out:?}");
    let out = run(b"while True: pass\r\r\x03print('after')\r");
    assert!(out.contains("KeyboardInterrupt: \r\n>>> "), "{out:?}");
    assert!(out.ends_with("after\r\n>>> "), "{out:?}");
    // In a continuation: cancels the whole input.
    let out = run(b"for i in range(3):\r\x031\r");
    assert!(out.contains("...     \r\n>>> 1\r\n1\r\n"), "{out:?}");
}

#[test]
fn ctrl_d_soft_resets_or_exits() {
    let out = run(b"x = 5\r\x04x\r");
    assert!(out.contains(">>> \r\nMPY: soft reboot\r\nBANNER\r\n>>> x\r\n"), "{out:?}");
    assert!(out.contains("NameError: name 'x' isn't defined"), "{out:?}");
    let (out, end) = session(b"\x04", CtrlD::Exit);
    assert_eq!((out.as_str(), end), ("BANNER\r\n>>> \r\n", SessionEnd::Exit(0)));
    let (_, end) = session(b"import sys\rsys.exit(3)\r", CtrlD::Exit);
    assert_eq!(end, SessionEnd::Exit(3));
    let out = run(b"import sys\rsys.exit(3)\rx\r");
    assert!(out.contains("MPY: soft reboot\r\n"), "{out:?}");
}

#[test]
fn paste_mode() {
    let out = run(b"\x05def f():\r    return 7\r\x04f()\r");
    assert_eq!(
        out,
        "BANNER\r\n>>> \r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== def f():\r\n===     return 7\r\n=== \r\n>>> f()\r\n7\r\n>>> "
    );
    // Expressions in paste mode are not echoed (file input); Ctrl-C cancels.
    let out = run(b"\x0542\r\x04\x05print(1)\x03");
    assert_eq!(
        out,
        "BANNER\r\n>>> \r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== 42\r\n=== \r\n>>> \r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== print(1)\r\n>>> "
    );
}

#[test]
fn binary_noise_in_the_friendly_repl() {
    let mut noise: Vec<u8> =
        (0u8..=255).filter(|&b| !(1..=5).contains(&b) && b != 3 && b != b'\r' && b != b'\n').collect();
    noise.extend_from_slice(b"\x1b[99;99;99;99;99;99;99;99;99;99X\x1b\x1bO");
    noise.extend_from_slice(b"\x03print('alive')\r");
    let out = run(&noise);
    assert!(out.ends_with("alive\r\n>>> "), "{out:?}");
}

// ----- raw REPL -----

#[test]
fn raw_repl_framing() {
    let out = run(b"\x01print(1+1)\x04print(x)\x04\x02");
    assert_eq!(
        out,
        "BANNER\r\n>>> \r\nraw REPL; CTRL-B to exit\r\n>OK2\r\n\x04\x04>OK\x04Traceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\nNameError: name 'x' isn't defined\r\n\x04>\r\nBANNER\r\n>>> "
    );
}

#[test]
fn raw_repl_soft_reset_and_ctrl_c() {
    let out = run(b"\x01x=1\x04\x04print(x)\x03print(2)\x04");
    assert!(out.starts_with("BANNER\r\n>>> \r\nraw REPL; CTRL-B to exit\r\n>OK\x04\x04>OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>OK2\r\n\x04\x04>"), "{out:?}");
    // Ctrl-A restarts the raw REPL.
    let out = run(b"\x01junk\x01print(3)\x04");
    assert!(out.ends_with(">raw REPL; CTRL-B to exit\r\n>OK3\r\n\x04\x04>"), "{out:?}");
}

#[test]
fn raw_paste_flow_control() {
    // Window 4: the device sends \x01 after each 4 bytes consumed.
    let mut con = ScriptedConsole::new(b"\x01\x05A\x01print(12)\x04");
    let config = ReplConfig { banner: String::from("B"), raw_paste_window: 4, ..ReplConfig::default() };
    let mut repl = Repl::new(board(con.output.clone()), config);
    repl.run(&mut con);
    let out = con.written();
    let expect: &[u8] = b"B\r\n>>> \r\nraw REPL; CTRL-B to exit\r\n>R\x01\x04\x00\x01\x01\x01\x04OK";
    // `OK` is not part of raw paste: the output follows the end acknowledgement directly.
    let expect_real: &[u8] = b"B\r\n>>> \r\nraw REPL; CTRL-B to exit\r\n>R\x01\x04\x00\x01\x01\x01\x0412\r\n\x04\x04>";
    assert_ne!(&out[..], expect);
    assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(expect_real));
}

#[test]
fn raw_paste_unknown_kind_and_errors() {
    let out = run(b"\x01\x05B\x01");
    assert!(out.ends_with(">R\x00>"), "{out:?}");
    let out = run(b"\x01\x05A\x01x = (\x04");
    assert!(out.contains("\x04\x04Traceback (most recent call last):\r\n"), "{out:?}");
    assert!(out.ends_with("SyntaxError: invalid syntax\r\n\x04>"), "{out:?}");
    // Ctrl-C during the data.
    let out = run(b"\x01\x05A\x01pri\x03");
    assert!(out.ends_with("\x04\x04KeyboardInterrupt: \r\n\x04>"), "{out:?}");
}

#[test]
fn too_long_input_is_refused_and_the_repl_goes_on() {
    let mut con = ScriptedConsole::new(b"");
    let mut input = b"\x01\x05A\x01".to_vec();
    input.extend(std::iter::repeat_n(b'#', 100));
    input.extend_from_slice(b"\x04print('next')\x04");
    con.push_input(&input);
    let config = ReplConfig { banner: String::from("B"), max_input: 50, ..ReplConfig::default() };
    let mut repl = Repl::new(board(con.output.clone()), config);
    repl.run(&mut con);
    let out = String::from_utf8_lossy(&con.written()).into_owned();
    assert!(out.contains("\x04\x04MemoryError: input longer than 50 bytes\r\n\x04>OKnext\r\n\x04\x04>"), "{out:?}");
    // The classic raw REPL and paste mode too.
    let mut con = ScriptedConsole::new(b"");
    let mut input = b"\x01".to_vec();
    input.extend(std::iter::repeat_n(b'#', 100));
    input.extend_from_slice(b"\x04\x02\x05");
    input.extend(std::iter::repeat_n(b'#', 100));
    input.extend_from_slice(b"\x04");
    con.push_input(&input);
    let config = ReplConfig { banner: String::from("B"), max_input: 50, ..ReplConfig::default() };
    let mut repl = Repl::new(board(con.output.clone()), config);
    repl.run(&mut con);
    let out = String::from_utf8_lossy(&con.written()).into_owned();
    assert!(out.contains(">OK\x04MemoryError: input longer than 50 bytes\r\n\x04>"), "{out:?}");
    assert!(out.ends_with("MemoryError: input longer than 50 bytes\r\n>>> "), "{out:?}");
}

#[test]
fn raw_repl_garbage_and_binary() {
    let mut input = b"\x01".to_vec();
    input.extend((0u8..=255).filter(|b| !(1..=5).contains(b)));
    input.extend_from_slice(b"\x04print('fine')\x04");
    let out = run(&input);
    assert!(out.contains("\x04Traceback"), "{out:?}");
    assert!(out.ends_with(">OKfine\r\n\x04\x04>"), "{out:?}");
}

#[test]
fn disconnect_and_resume() {
    let mut con = ScriptedConsole::new(b"\x01x = 41\x04");
    let mut repl = Repl::new(board(con.output.clone()), ReplConfig::default());
    assert_eq!(repl.run(&mut con), SessionEnd::Disconnected);
    assert!(repl.in_raw_repl());
    // A new connection to the same session: the VM and the mode are kept.
    con.push_input(b"print(x + 1)\x04");
    assert_eq!(repl.run(&mut con), SessionEnd::Disconnected);
    let out = String::from_utf8_lossy(&con.written()).into_owned();
    assert!(out.ends_with(">OK\x04\x04>OK42\r\n\x04\x04>"), "{out:?}");
}

#[test]
fn no_vm() {
    let mut con = ScriptedConsole::new(b"1\r");
    let mut repl = Repl::new(|| None, ReplConfig::default());
    assert_eq!(repl.run(&mut con), SessionEnd::NoVm);
    assert_eq!(con.written(), b"MemoryError: can't create the VM\r\n");
}

#[test]
fn space_after_auto_indent_takes_three_spaces_back() {
    let out = run(b"if 1:\r x=2\r\rx\r");
    assert!(out.contains("...     \x1b[4D \x1b[Kx=2\r\n... \r\n"), "{out:?}");
    assert!(out.ends_with("2\r\n>>> "), "{out:?}");
}

#[test]
fn auto_indent_levels_and_completion_listing() {
    use crate::editor::{auto_indent, format_words};
    assert_eq!(auto_indent(""), 0);
    assert_eq!(auto_indent("if x:\n"), 1);
    assert_eq!(auto_indent("if x:\n    if y:\n"), 2);
    assert_eq!(auto_indent("if x:\n    a\n"), 1);
    assert_eq!(auto_indent("if x:\n    a\n    \n"), 1);
    assert_eq!(auto_indent("if x:\n    a\n    \n    \n"), 0);
    let words: Vec<String> = ["a", "bb", "ccc", "dddd", "e"].iter().map(|s| String::from(*s)).collect();
    assert_eq!(format_words(&words), "\r\na               bb              ccc             dddd\r\ne\r\n");
}
