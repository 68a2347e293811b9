//! Regular expression syntax to a backtracking program.
//!
//! Syntax (MicroPython's subset plus counted repetition): literals, `.`, `^`,
//! `$`, `[...]` (ranges, negation, `\d\w\s` inside), `\d \D \w \W \s \S \b \B`,
//! escapes, groups `(...)` and `(?:...)`, `|`, and the greedy or lazy
//! quantifiers `* + ? {m} {m,} {m,n}`. Errors carry the pattern position.

use alloc::string::String;
use alloc::vec::Vec;

/// `re.IGNORECASE`.
pub const IGNORECASE: u32 = 2;
/// `re.MULTILINE`.
pub const MULTILINE: u32 = 8;
/// `re.DOTALL`.
pub const DOTALL: u32 = 16;

/// Deepest group nesting accepted.
const MAX_NESTING: usize = 200;
/// Largest program accepted (instructions), bounding `{m,n}` expansion.
const MAX_PROGRAM: usize = 100_000;
/// Largest repeat count in `{m,n}`.
const MAX_REPEAT: u32 = 1000;

/// One item of a character class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassItem {
    /// An inclusive range of code points.
    Range(u32, u32),
    /// `\d`, `\w`, `\s` (negated forms via `bool`).
    Named(u8, bool),
}

/// A program instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inst {
    /// One exact code point.
    Char(u32),
    /// Any code point (but newline unless DOTALL).
    Any,
    /// A class: items and whether it is negated.
    Class(Vec<ClassItem>, bool),
    /// Try `.0` first, then `.1`.
    Split(usize, usize),
    /// Continue at.
    Jmp(usize),
    /// Record the position in capture slot.
    Save(usize),
    /// Start of text (or line with MULTILINE).
    Bol,
    /// End of text (or line with MULTILINE).
    Eol,
    /// Word boundary (`true`) or not (`false`).
    WordB(bool),
    /// Remember the position in loop register `.0` (loop body start).
    Mark(usize),
    /// Fail if the position did not move since `Mark` of register `.0`.
    Progress(usize),
    /// Success.
    Match,
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Program {
    /// The instructions.
    pub insts: Vec<Inst>,
    /// Number of groups including group 0.
    pub groups: usize,
    /// Number of loop registers.
    pub regs: usize,
    /// Flags it was compiled with.
    pub flags: u32,
}

/// A pattern error: what and where (index in code points).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReError {
    /// Description.
    pub msg: &'static str,
    /// Position in the pattern.
    pub pos: usize,
}

/// Parse tree.
#[derive(Clone, Debug)]
enum Node {
    Empty,
    Char(u32),
    Any,
    Class(Vec<ClassItem>, bool),
    Bol,
    Eol,
    WordB(bool),
    Group(Option<usize>, alloc::boxed::Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat { node: alloc::boxed::Box<Node>, min: u32, max: Option<u32>, greedy: bool },
}

struct Parser<'a> {
    p: &'a [u32],
    i: usize,
    groups: usize,
    depth: usize,
}

fn err<T>(msg: &'static str, pos: usize) -> Result<T, ReError> {
    Err(ReError { msg, pos })
}

impl Parser<'_> {
    fn peek(&self) -> Option<u32> {
        self.p.get(self.i).copied()
    }

    fn alt(&mut self) -> Result<Node, ReError> {
        let mut branches = alloc::vec![self.concat()?];
        while self.peek() == Some('|' as u32) {
            self.i += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 { branches.pop().unwrap_or(Node::Empty) } else { Node::Alt(branches) })
    }

    fn concat(&mut self) -> Result<Node, ReError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' as u32 || c == ')' as u32 {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantifiers(atom)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// `{m}`, `{m,}`, `{m,n}` at the current position, if it is one.
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.i;
        let mut j = self.i + 1;
        let num = |j: &mut usize, p: &[u32]| -> Option<u32> {
            let s = *j;
            let mut v: u32 = 0;
            while let Some(d) = p.get(*j).and_then(|&c| char::from_u32(c)).and_then(|c| c.to_digit(10)) {
                v = v.saturating_mul(10).saturating_add(d);
                *j += 1;
            }
            (*j > s).then_some(v)
        };
        let min = num(&mut j, self.p);
        let (min, max) = if self.p.get(j) == Some(&(',' as u32)) {
            j += 1;
            let max = num(&mut j, self.p);
            (min.unwrap_or(0), max)
        } else {
            let m = min?;
            (m, Some(m))
        };
        if self.p.get(j) != Some(&('}' as u32)) {
            self.i = start;
            return None;
        }
        self.i = j + 1;
        Some((min, max))
    }

    fn quantifiers(&mut self, mut atom: Node) -> Result<Node, ReError> {
        loop {
            let at = self.i;
            let (min, max) = match self.peek().and_then(char::from_u32) {
                Some('*') => {
                    self.i += 1;
                    (0, None)
                }
                Some('+') => {
                    self.i += 1;
                    (1, None)
                }
                Some('?') => {
                    self.i += 1;
                    (0, Some(1))
                }
                Some('{') => match self.braces() {
                    Some(r) => r,
                    None => return Ok(atom),
                },
                _ => return Ok(atom),
            };
            if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
                return err("bad repeat count", at);
            }
            if matches!(atom, Node::Repeat { .. } | Node::Bol | Node::Eol | Node::Empty | Node::WordB(_)) {
                return err("nothing to repeat", at);
            }
            let greedy = if self.peek() == Some('?' as u32) {
                self.i += 1;
                false
            } else {
                true
            };
            atom = Node::Repeat { node: alloc::boxed::Box::new(atom), min, max, greedy };
        }
    }

    fn escape_class(c: char) -> Option<ClassItem> {
        Some(match c {
            'd' => ClassItem::Named(b'd', false),
            'D' => ClassItem::Named(b'd', true),
            'w' => ClassItem::Named(b'w', false),
            'W' => ClassItem::Named(b'w', true),
            's' => ClassItem::Named(b's', false),
            'S' => ClassItem::Named(b's', true),
            _ => return None,
        })
    }

    fn escape_char(c: char) -> Option<u32> {
        Some(match c {
            'n' => 10,
            't' => 9,
            'r' => 13,
            'f' => 12,
            'v' => 11,
            '0' => 0,
            c if c.is_ascii_alphanumeric() => return None,
            c => c as u32,
        })
    }

    fn atom(&mut self) -> Result<Node, ReError> {
        let at = self.i;
        let Some(c) = self.peek() else { return err("unexpected end", at) };
        self.i += 1;
        let ch = char::from_u32(c).unwrap_or('\u{fffd}');
        Ok(match ch {
            '.' => Node::Any,
            '^' => Node::Bol,
            '$' => Node::Eol,
            '*' | '+' | '?' => return err("nothing to repeat", at),
            '(' => {
                if self.depth >= MAX_NESTING {
                    return err("too deeply nested", at);
                }
                let index = if self.p.get(self.i) == Some(&('?' as u32)) {
                    if self.p.get(self.i + 1) != Some(&(':' as u32)) {
                        return err("unsupported group", self.i);
                    }
                    self.i += 2;
                    None
                } else {
                    self.groups += 1;
                    Some(self.groups)
                };
                self.depth += 1;
                let inner = self.alt()?;
                self.depth -= 1;
                if self.peek() != Some(')' as u32) {
                    return err("missing )", self.i);
                }
                self.i += 1;
                Node::Group(index, alloc::boxed::Box::new(inner))
            }
            ')' => return err("unbalanced parenthesis", at),
            '[' => self.class()?,
            '\\' => {
                let Some(e) = self.peek().and_then(char::from_u32) else {
                    return err("bad escape (end of pattern)", at);
                };
                self.i += 1;
                if let Some(item) = Self::escape_class(e) {
                    Node::Class(alloc::vec![item], false)
                } else if e == 'b' || e == 'B' {
                    Node::WordB(e == 'b')
                } else if let Some(v) = Self::escape_char(e) {
                    Node::Char(v)
                } else {
                    return err("bad escape", at);
                }
            }
            _ => Node::Char(c),
        })
    }

    fn class(&mut self) -> Result<Node, ReError> {
        let start = self.i - 1;
        let negated = self.peek() == Some('^' as u32);
        if negated {
            self.i += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else { return err("unterminated character set", start) };
            let ch = char::from_u32(c).unwrap_or('\u{fffd}');
            if ch == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            self.i += 1;
            let lo = if ch == '\\' {
                let at = self.i - 1;
                let Some(e) = self.peek().and_then(char::from_u32) else {
                    return err("unterminated character set", start);
                };
                self.i += 1;
                if let Some(item) = Self::escape_class(e) {
                    items.push(item);
                    continue;
                }
                match Self::escape_char(e) {
                    Some(v) => v,
                    None if e == 'b' => 8,
                    None => return err("bad escape", at),
                }
            } else {
                c
            };
            if self.peek() == Some('-' as u32) && self.p.get(self.i + 1).is_some_and(|&n| n != ']' as u32) {
                self.i += 1;
                let at = self.i;
                let mut hi = self.p[self.i];
                self.i += 1;
                if hi == '\\' as u32 {
                    let Some(e) = self.peek().and_then(char::from_u32) else {
                        return err("unterminated character set", start);
                    };
                    self.i += 1;
                    hi = match Self::escape_char(e) {
                        Some(v) => v,
                        None => return err("bad character range", at),
                    };
                }
                if hi < lo {
                    return err("bad character range", at);
                }
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(ClassItem::Range(lo, lo));
            }
        }
        Ok(Node::Class(items, negated))
    }
}

struct Emitter {
    insts: Vec<Inst>,
    regs: usize,
}

impl Emitter {
    fn push(&mut self, i: Inst) -> Result<usize, ReError> {
        if self.insts.len() >= MAX_PROGRAM {
            return err("pattern too large", 0);
        }
        self.insts.push(i);
        Ok(self.insts.len() - 1)
    }

    fn can_be_empty(n: &Node) -> bool {
        match n {
            Node::Empty | Node::Bol | Node::Eol | Node::WordB(_) => true,
            Node::Char(_) | Node::Any | Node::Class(..) => false,
            Node::Group(_, n) => Self::can_be_empty(n),
            Node::Concat(v) => v.iter().all(Self::can_be_empty),
            Node::Alt(v) => v.iter().any(Self::can_be_empty),
            Node::Repeat { node, min, .. } => *min == 0 || Self::can_be_empty(node),
        }
    }

    fn emit(&mut self, n: &Node) -> Result<(), ReError> {
        match n {
            Node::Empty => {}
            Node::Char(c) => {
                self.push(Inst::Char(*c))?;
            }
            Node::Any => {
                self.push(Inst::Any)?;
            }
            Node::Class(items, neg) => {
                self.push(Inst::Class(items.clone(), *neg))?;
            }
            Node::Bol => {
                self.push(Inst::Bol)?;
            }
            Node::Eol => {
                self.push(Inst::Eol)?;
            }
            Node::WordB(b) => {
                self.push(Inst::WordB(*b))?;
            }
            Node::Group(index, inner) => {
                if let Some(g) = index {
                    self.push(Inst::Save(2 * g))?;
                }
                self.emit(inner)?;
                if let Some(g) = index {
                    self.push(Inst::Save(2 * g + 1))?;
                }
            }
            Node::Concat(items) => {
                for i in items {
                    self.emit(i)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                for (k, b) in branches.iter().enumerate() {
                    if k + 1 < branches.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(b)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.insts.len();
                        self.insts[split] = Inst::Split(split + 1, next);
                    } else {
                        self.emit(b)?;
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.insts[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat { node, min, max, greedy } => {
                for _ in 0..*min {
                    self.emit(node)?;
                }
                match max {
                    None => self.emit_star(node, *greedy)?,
                    Some(max) => {
                        // Each optional copy: Split(body, end_of_all).
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.emit(node)?;
                        }
                        let end = self.insts.len();
                        for s in splits {
                            self.insts[s] = if *greedy { Inst::Split(s + 1, end) } else { Inst::Split(end, s + 1) };
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// `node*`: a loop that stops when an iteration matched nothing.
    fn emit_star(&mut self, node: &Node, greedy: bool) -> Result<(), ReError> {
        let guard = Self::can_be_empty(node);
        let split = self.push(Inst::Split(0, 0))?;
        let reg = self.regs;
        if guard {
            self.regs += 1;
            self.push(Inst::Mark(reg))?;
        }
        self.emit(node)?;
        if guard {
            self.push(Inst::Progress(reg))?;
        }
        self.push(Inst::Jmp(split))?;
        let end = self.insts.len();
        self.insts[split] = if greedy { Inst::Split(split + 1, end) } else { Inst::Split(end, split + 1) };
        Ok(())
    }
}

/// Compiles pattern `p` (code points) with `flags`.
pub fn compile(p: &[u32], flags: u32) -> Result<Program, ReError> {
    let mut parser = Parser { p, i: 0, groups: 0, depth: 0 };
    let tree = parser.alt()?;
    if parser.i < p.len() {
        return err("unbalanced parenthesis", parser.i);
    }
    let mut e = Emitter { insts: Vec::new(), regs: 0 };
    e.push(Inst::Save(0))?;
    e.emit(&tree)?;
    e.push(Inst::Save(1))?;
    e.push(Inst::Match)?;
    Ok(Program { insts: e.insts, groups: parser.groups + 1, regs: e.regs, flags })
}

/// The text of a pattern error.
pub fn error_text(e: &ReError) -> String {
    alloc::format!("error in regex at position {}: {}", e.pos, e.msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cp(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    #[test]
    fn bad_patterns_report_positions() {
        for (p, pos) in [("?", 0), ("a**", 2), (")", 0), ("[", 0), ("([)", 1), ("(ab", 3), ("a{3,1}", 1), ("\\", 0)] {
            let e = compile(&cp(p), 0).unwrap_err();
            assert_eq!(e.pos, pos, "{p}: {e:?}");
        }
        assert!(compile(&cp("(".repeat(300).as_str()), 0).is_err());
        assert!(compile(&cp("(a{1000}){1000}"), 0).is_err());
    }

    #[test]
    fn good_patterns_compile() {
        for p in ["", "a|b|", "[]a]", "[a-]", "x{2}", "x{,3}", "{", "a{x}", "(?:a)+?", "[\\d-z]"] {
            assert!(compile(&cp(p), 0).is_ok(), "{p}");
        }
        assert_eq!(compile(&cp("(a)(b(c))"), 0).unwrap().groups, 4);
    }
}
