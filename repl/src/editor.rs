//! A small line editor for consoles without a host line-editing library, with
//! MicroPython's keys: left/right, home/end, backspace/delete, history
//! up/down, Ctrl-A/B/D/E/F/K/N/P/U as in its Emacs mode, auto-indent and tab
//! completion. Control characters on an empty line (Ctrl-A..Ctrl-E) and
//! Ctrl-C are returned to the REPL, which gives them their meaning.

use alloc::string::String;
use alloc::vec::Vec;

use crate::console::Console;

/// What [`Editor::read_line`] ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadResult {
    /// Enter: the text of the line (auto-indent included, no newline).
    Line(String),
    /// Ctrl-A..Ctrl-E on an empty line, or Ctrl-C: the control code.
    Ctrl(u8),
    /// The console's input ended.
    Eof,
}

/// A tab completion's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completion {
    /// Nothing matches.
    None,
    /// Text to insert at the cursor (one match, or the common prefix of several).
    Insert(String),
    /// Several matches with no longer common prefix: they are listed.
    Many(Vec<String>),
}

/// Completes the text before the cursor.
pub type Completer<'a> = &'a mut dyn FnMut(&str) -> Completion;

/// Where the editor is in an escape sequence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Esc {
    /// Not in one.
    None,
    /// After ESC.
    Start,
    /// After `ESC [` (parameters follow).
    Csi,
    /// After `ESC O`.
    Ss3,
}

/// The line editor: its settings and its history, kept across lines.
#[derive(Debug, Clone)]
pub struct Editor {
    history: Vec<String>,
    max_history: usize,
    /// Indent continuation lines as MicroPython does.
    pub auto_indent: bool,
    /// Whether the last byte read was `\r` (a following `\n` is the same Enter).
    after_cr: bool,
}

/// The line being edited.
struct Line<'p> {
    buf: Vec<char>,
    cursor: usize,
    prompt: &'p str,
    hist: Option<usize>,
    esc: Esc,
    csi: Vec<u8>,
    utf8: Vec<u8>,
    indent_added: bool,
}

impl Editor {
    /// An editor keeping up to `max_history` lines of history.
    pub fn new(max_history: usize) -> Editor {
        Editor { history: Vec::new(), max_history, auto_indent: true, after_cr: false }
    }

    /// The history, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Adds a line to the history (not empty lines, not a repeat of the newest).
    pub fn push_history(&mut self, line: &str) {
        if line.is_empty() || self.history.last().is_some_and(|l| l == line) || self.max_history == 0 {
            return;
        }
        if self.history.len() == self.max_history {
            self.history.remove(0);
        }
        self.history.push(String::from(line));
    }

    /// Prints `prompt` and reads one line. `previous` holds the lines already
    /// entered for this input, each ended by `\n` (empty for a first line); it
    /// decides auto-indent and whether Tab at the line start indents.
    pub fn read_line(
        &mut self,
        con: &mut dyn Console,
        prompt: &str,
        previous: &str,
        complete: Completer<'_>,
    ) -> ReadResult {
        let mut l = Line {
            buf: Vec::new(),
            cursor: 0,
            prompt,
            hist: None,
            esc: Esc::None,
            csi: Vec::new(),
            utf8: Vec::new(),
            indent_added: false,
        };
        con.write(prompt.as_bytes());
        if self.auto_indent {
            let n = auto_indent(previous);
            for _ in 0..n {
                l.buf.extend_from_slice(&[' '; 4]);
                con.write(b"    ");
                l.indent_added = true;
            }
            l.cursor = l.buf.len();
        }
        loop {
            let Some(c) = con.read_byte() else { return ReadResult::Eof };
            let was_cr = core::mem::replace(&mut self.after_cr, c == b'\r');
            if l.esc != Esc::None {
                self.escape(con, &mut l, c);
                continue;
            }
            if (1..=5).contains(&c) && l.buf.is_empty() {
                return ReadResult::Ctrl(c);
            }
            let indent_added = core::mem::replace(&mut l.indent_added, false);
            match c {
                0x01 => l.move_to(con, 0),
                0x02 => l.move_to(con, l.cursor.saturating_sub(1)),
                0x03 => return ReadResult::Ctrl(3),
                0x04 => l.delete(con),
                0x05 => l.move_to(con, l.buf.len()),
                0x06 => l.move_to(con, (l.cursor + 1).min(l.buf.len())),
                0x0b => {
                    l.buf.truncate(l.cursor);
                    con.write(b"\x1b[K");
                }
                0x0e => self.history_step(con, &mut l, false),
                0x10 => self.history_step(con, &mut l, true),
                0x15 => {
                    let old = l.cursor;
                    l.buf.drain(..l.cursor);
                    l.cursor = 0;
                    l.redraw(con, old);
                }
                b'\r' | b'\n' => {
                    if c == b'\n' && was_cr {
                        l.indent_added = indent_added;
                        continue;
                    }
                    con.write(b"\r\n");
                    let text: String = l.buf.iter().collect();
                    self.push_history(&text);
                    return ReadResult::Line(text);
                }
                0x1b => l.esc = Esc::Start,
                0x08 | 0x7f => l.backspace(con),
                // Tab or space right after an auto-indent turns it off: Tab keeps
                // the indent, space takes three of its four spaces back.
                b' ' if indent_added && l.cursor >= 3 => {
                    let old = l.cursor;
                    l.buf.truncate(l.cursor - 3);
                    l.cursor -= 3;
                    l.redraw(con, old);
                }
                b'\t' | b' ' if indent_added => {}
                b'\t' => {
                    let after_space = match l.cursor {
                        0 => !previous.is_empty(),
                        n => l.buf[n - 1].is_whitespace(),
                    };
                    if after_space {
                        l.insert(con, "    ");
                    } else {
                        let before: String = l.buf[..l.cursor].iter().collect();
                        match complete(&before) {
                            Completion::None => {}
                            Completion::Insert(s) => l.insert(con, &s),
                            Completion::Many(words) => {
                                con.write(format_words(&words).as_bytes());
                                let text: String = l.buf.iter().collect();
                                con.write(l.prompt.as_bytes());
                                con.write(text.as_bytes());
                                l.back(con, l.buf.len() - l.cursor);
                            }
                        }
                    }
                }
                32..=126 => l.insert_char(con, c as char),
                0x80.. => {
                    l.utf8.push(c);
                    match core::str::from_utf8(&l.utf8) {
                        Ok(s) => {
                            let ch = s.chars().next().unwrap_or('?');
                            l.utf8.clear();
                            l.insert_char(con, ch);
                        }
                        Err(e) if e.error_len().is_some() || l.utf8.len() >= 4 => l.utf8.clear(),
                        Err(_) => {}
                    }
                }
                _ => {}
            }
        }
    }

    /// One byte of an escape sequence.
    fn escape(&mut self, con: &mut dyn Console, l: &mut Line<'_>, c: u8) {
        match l.esc {
            Esc::Start => {
                l.esc = match c {
                    b'[' => Esc::Csi,
                    b'O' => Esc::Ss3,
                    _ => Esc::None,
                };
                l.csi.clear();
            }
            Esc::Csi if (0x30..=0x3f).contains(&c) => {
                if l.csi.len() < 16 {
                    l.csi.push(c);
                } else {
                    l.esc = Esc::None;
                }
            }
            Esc::Csi | Esc::Ss3 => {
                l.esc = Esc::None;
                let param = core::mem::take(&mut l.csi);
                match (c, param.as_slice()) {
                    (b'A', _) => self.history_step(con, l, true),
                    (b'B', _) => self.history_step(con, l, false),
                    (b'C', _) => l.move_to(con, (l.cursor + 1).min(l.buf.len())),
                    (b'D', _) => l.move_to(con, l.cursor.saturating_sub(1)),
                    (b'H', _) | (b'~', b"1") | (b'~', b"7") => l.move_to(con, 0),
                    (b'F', _) | (b'~', b"4") | (b'~', b"8") => l.move_to(con, l.buf.len()),
                    (b'~', b"3") => l.delete(con),
                    _ => {}
                }
            }
            Esc::None => {}
        }
    }

    fn history_step(&mut self, con: &mut dyn Console, l: &mut Line<'_>, older: bool) {
        let next = match (l.hist, older) {
            (None, true) if !self.history.is_empty() => Some(0),
            (Some(i), true) if i + 1 < self.history.len() => Some(i + 1),
            (Some(0), false) => None,
            (Some(i), false) => Some(i - 1),
            _ => return,
        };
        l.hist = next;
        let old = l.cursor;
        l.buf = match next {
            Some(i) => self.history[self.history.len() - 1 - i].chars().collect(),
            None => Vec::new(),
        };
        l.cursor = l.buf.len();
        l.redraw(con, old);
    }
}

impl Line<'_> {
    fn back(&self, con: &mut dyn Console, n: usize) {
        if n > 0 {
            con.write(alloc::format!("\x1b[{n}D").as_bytes());
        }
    }

    /// Redraws the line after an edit, the cursor having been displayed at `old`.
    fn redraw(&self, con: &mut dyn Console, old: usize) {
        self.back(con, old);
        let text: String = self.buf.iter().collect();
        con.write(text.as_bytes());
        con.write(b"\x1b[K");
        self.back(con, self.buf.len() - self.cursor);
    }

    fn move_to(&mut self, con: &mut dyn Console, to: usize) {
        if to < self.cursor {
            self.back(con, self.cursor - to);
        } else if to > self.cursor {
            con.write(alloc::format!("\x1b[{}C", to - self.cursor).as_bytes());
        }
        self.cursor = to;
    }

    fn insert_char(&mut self, con: &mut dyn Console, c: char) {
        self.buf.insert(self.cursor, c);
        self.cursor += 1;
        if self.cursor == self.buf.len() {
            let mut b = [0u8; 4];
            con.write(c.encode_utf8(&mut b).as_bytes());
        } else {
            self.redraw(con, self.cursor - 1);
        }
    }

    fn insert(&mut self, con: &mut dyn Console, s: &str) {
        for c in s.chars() {
            self.insert_char(con, c);
        }
    }

    fn delete(&mut self, con: &mut dyn Console) {
        if self.cursor < self.buf.len() {
            self.buf.remove(self.cursor);
            self.redraw(con, self.cursor);
        }
    }

    /// Backspace: four spaces at once when only spaces precede the cursor (and at
    /// least four), else one character.
    fn backspace(&mut self, con: &mut dyn Console) {
        if self.cursor == 0 {
            return;
        }
        let all_spaces = self.buf[..self.cursor].iter().all(|&c| c == ' ');
        let n = if all_spaces && self.cursor >= 4 { 4 } else { 1 };
        let old = self.cursor;
        self.buf.drain(self.cursor - n..self.cursor);
        self.cursor -= n;
        if self.cursor == self.buf.len() {
            self.back(con, n);
            con.write(b"\x1b[K");
        } else {
            self.redraw(con, old);
        }
    }
}

/// How many 4-space levels a continuation line starts with: the previous
/// line's, plus one after a `:`; none after two blank lines.
pub fn auto_indent(previous: &str) -> usize {
    let Some(body) = previous.strip_suffix('\n') else { return 0 };
    if body.is_empty() && previous.len() <= 1 {
        return 0;
    }
    let mut lines = body.rsplit('\n');
    let last = lines.next().unwrap_or("");
    let spaces = last.bytes().take_while(|&b| b == b' ').count();
    if spaces == last.len() && body.contains('\n') {
        // The previous line is blank (and not the first): two blank lines stop indenting.
        if let Some(before) = lines.next() {
            if before.bytes().all(|b| b == b' ') {
                return 0;
            }
        }
    }
    spaces / 4 + usize::from(last.ends_with(':'))
}

/// The listing of several completions: 16-column slots, lines up to 64
/// columns, as MicroPython prints it (with a newline before and after).
pub fn format_words(words: &[String]) -> String {
    const SLOT: usize = 16;
    const MAX: usize = 4 * SLOT;
    let mut out = String::new();
    let mut line_len = MAX;
    for w in words {
        let len = w.chars().count();
        let mut gap = line_len.div_ceil(SLOT) * SLOT - line_len;
        if gap < 2 {
            gap += SLOT;
        }
        if line_len + gap + len <= MAX {
            out.extend(core::iter::repeat_n(' ', gap));
            out.push_str(w);
            line_len += gap + len;
        } else {
            out.push_str("\r\n");
            out.push_str(w);
            line_len = len;
        }
    }
    out.push_str("\r\n");
    out
}
