//! Running a [`Program`] over text (code points) by backtracking with an
//! explicit stack: no native recursion, and a step budget and a stack budget
//! turn catastrophic patterns into [`TooComplex`] instead of hanging or
//! overflowing.

use alloc::vec;
use alloc::vec::Vec;

use super::compile::{ClassItem, Inst, Program, DOTALL, IGNORECASE, MULTILINE};

/// Instructions one search may execute.
pub const STEP_LIMIT: u64 = 50_000_000;
/// Backtracking entries one match attempt may keep.
pub const STACK_LIMIT: usize = 2_000_000;

/// The search gave up (step or stack budget spent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooComplex;

/// Capture positions: slot `2g` is the start of group `g`, `2g + 1` its end.
pub type Captures = Vec<Option<usize>>;

enum Bt {
    Alt { pc: usize, pos: usize },
    Cap { slot: usize, old: Option<usize> },
    Reg { r: usize, old: usize },
}

fn lower(c: u32) -> u32 {
    match char::from_u32(c) {
        Some(ch) if ch.is_ascii() => ch.to_ascii_lowercase() as u32,
        Some(ch) => ch.to_lowercase().next().map_or(c, |l| l as u32),
        None => c,
    }
}

fn is_word(c: u32) -> bool {
    char::from_u32(c).is_some_and(|ch| ch.is_alphanumeric() || ch == '_')
}

fn named(kind: u8, c: u32) -> bool {
    let ch = char::from_u32(c).unwrap_or('\0');
    match kind {
        b'd' => ch.is_ascii_digit() || (c > 127 && ch.is_numeric()),
        b'w' => is_word(c),
        _ => ch.is_whitespace() || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x1f,
    }
}

fn class_has(items: &[ClassItem], c: u32, icase: bool) -> bool {
    let test = |c: u32| {
        items.iter().any(|it| match *it {
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
            ClassItem::Named(k, neg) => named(k, c) != neg,
        })
    };
    if test(c) {
        return true;
    }
    if icase {
        let l = lower(c);
        if l != c && test(l) {
            return true;
        }
        if let Some(u) = char::from_u32(c).and_then(|ch| ch.to_uppercase().next()) {
            return u as u32 != c && test(u as u32);
        }
    }
    false
}

/// A matcher that reuses its buffers across attempts.
pub struct Matcher<'a> {
    prog: &'a Program,
    text: &'a [u32],
    end: usize,
    steps: u64,
    stack: Vec<Bt>,
    caps: Captures,
    regs: Vec<usize>,
    /// Only matches that reach the end of the text count (`fullmatch`).
    pub full: bool,
}

impl<'a> Matcher<'a> {
    /// A matcher of `prog` over `text[..end]` (the end of the text for `$`).
    pub fn new(prog: &'a Program, text: &'a [u32], end: usize) -> Matcher<'a> {
        let end = end.min(text.len());
        Matcher {
            prog,
            text,
            end,
            steps: 0,
            stack: Vec::new(),
            caps: vec![None; prog.groups * 2],
            regs: vec![usize::MAX; prog.regs],
            full: false,
        }
    }

    /// A match starting exactly at `start`.
    pub fn match_at(&mut self, start: usize) -> Result<Option<Captures>, TooComplex> {
        self.run(start)
    }

    /// The leftmost match starting at or after `start`.
    pub fn search(&mut self, start: usize) -> Result<Option<Captures>, TooComplex> {
        // Every match begins with the first consuming instruction (after the
        // group starts): a literal or a class. Start positions whose character
        // cannot begin a match are skipped without running the program.
        let first = self.prog.insts.iter().skip(1).find(|i| !matches!(i, Inst::Save(_)));
        let icase = self.prog.flags & IGNORECASE != 0;
        let mut s = start;
        while s <= self.end {
            match first {
                Some(Inst::Char(c)) if !icase => match self.text[s..self.end].iter().position(|x| x == c) {
                    Some(off) => s += off,
                    None => return Ok(None),
                },
                Some(Inst::Class(items, neg)) => {
                    while s < self.end && class_has(items, self.text[s], icase) == *neg {
                        s += 1;
                    }
                    if s == self.end {
                        return Ok(None);
                    }
                }
                _ => {}
            }
            if let Some(caps) = self.run(s)? {
                return Ok(Some(caps));
            }
            s += 1;
        }
        Ok(None)
    }

    fn run(&mut self, start: usize) -> Result<Option<Captures>, TooComplex> {
        let insts = &self.prog.insts;
        let flags = self.prog.flags;
        let (icase, multi, dotall) = (flags & IGNORECASE != 0, flags & MULTILINE != 0, flags & DOTALL != 0);
        let (text, end) = (self.text, self.end);
        self.stack.clear();
        self.caps.iter_mut().for_each(|c| *c = None);
        self.regs.iter_mut().for_each(|r| *r = usize::MAX);
        let (mut pc, mut pos) = (0usize, start);
        loop {
            self.steps += 1;
            if self.steps > STEP_LIMIT || self.stack.len() > STACK_LIMIT {
                return Err(TooComplex);
            }
            let ok = match &insts[pc] {
                Inst::Char(c) => {
                    let hit = pos < end && (text[pos] == *c || (icase && lower(text[pos]) == lower(*c)));
                    if hit {
                        pos += 1;
                    }
                    hit
                }
                Inst::Any => {
                    let hit = pos < end && (dotall || text[pos] != '\n' as u32);
                    if hit {
                        pos += 1;
                    }
                    hit
                }
                Inst::Class(items, neg) => {
                    let hit = pos < end && class_has(items, text[pos], icase) != *neg;
                    if hit {
                        pos += 1;
                    }
                    hit
                }
                Inst::Split(a, b) => {
                    self.stack.push(Bt::Alt { pc: *b, pos });
                    pc = *a;
                    continue;
                }
                Inst::Jmp(a) => {
                    pc = *a;
                    continue;
                }
                Inst::Save(k) => {
                    self.stack.push(Bt::Cap { slot: *k, old: self.caps[*k] });
                    self.caps[*k] = Some(pos);
                    true
                }
                Inst::Bol => pos == 0 || (multi && text.get(pos - 1) == Some(&('\n' as u32))),
                Inst::Eol => {
                    let nl = text.get(pos) == Some(&('\n' as u32));
                    pos == end || (nl && (multi || pos + 1 == end))
                }
                Inst::WordB(want) => {
                    let before = pos > 0 && is_word(text[pos - 1]);
                    let after = pos < end && is_word(text[pos]);
                    (before != after) == *want
                }
                Inst::Mark(r) => {
                    self.stack.push(Bt::Reg { r: *r, old: self.regs[*r] });
                    self.regs[*r] = pos;
                    true
                }
                Inst::Progress(r) => self.regs[*r] != pos,
                Inst::Match if self.full && pos != end => false,
                Inst::Match => return Ok(Some(self.caps.clone())),
            };
            if ok {
                pc += 1;
                continue;
            }
            // Backtrack to the latest alternative, undoing captures on the way.
            loop {
                match self.stack.pop() {
                    None => return Ok(None),
                    Some(Bt::Alt { pc: p, pos: q }) => {
                        pc = p;
                        pos = q;
                        break;
                    }
                    Some(Bt::Cap { slot, old }) => self.caps[slot] = old,
                    Some(Bt::Reg { r, old }) => self.regs[r] = old,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::compile;
    use super::*;

    fn cp(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    fn find(p: &str, t: &str) -> Option<(usize, usize)> {
        let prog = compile(&cp(p), 0).unwrap();
        let text = cp(t);
        let caps = Matcher::new(&prog, &text, text.len()).search(0).unwrap()?;
        Some((caps[0]?, caps[1]?))
    }

    #[test]
    fn searches() {
        assert_eq!(find("b+", "abbbc"), Some((1, 4)));
        assert_eq!(find("b+?", "abbbc"), Some((1, 2)));
        assert_eq!(find("a|bc", "xbc"), Some((1, 3)));
        assert_eq!(find("^b", "ab"), None);
        assert_eq!(find("c$", "abc"), Some((2, 3)));
        assert_eq!(find("x{2,3}", "xxxxx"), Some((0, 3)));
        assert_eq!(find("[^a-c]", "abcd"), Some((3, 4)));
        assert_eq!(find("\\bw", "a w"), Some((2, 3)));
        assert_eq!(find("(a*)*b", "aaab"), Some((0, 4)));
        assert_eq!(find("(a|)*c", "aac"), Some((0, 3)));
    }

    #[test]
    fn catastrophic_patterns_give_up() {
        let prog = compile(&cp("(a+)+b"), 0).unwrap();
        let text = cp(&"a".repeat(40));
        assert_eq!(Matcher::new(&prog, &text, text.len()).search(0), Err(TooComplex));
    }
}
