//! File names: the 8.3 short name (SFN) made from a long name the way FatFs
//! does (upper case, with case flags for all-lower-case parts; a numeric tail
//! `~n` when the name does not fit), VFAT long-name (LFN) entries and their
//! checksum, and the name shown for an entry.

use alloc::string::String;
use alloc::vec::Vec;

use crate::modules::vfs::EINVAL;

/// Directory-entry case flag: the short name's body is shown in lower case.
pub const NT_BODY_LOWER: u8 = 0x08;
/// Directory-entry case flag: the short name's extension is shown in lower case.
pub const NT_EXT_LOWER: u8 = 0x10;
/// Longest long name, in UTF-16 units.
pub const MAX_LFN: usize = 255;
/// UTF-16 units per long-name entry.
pub const LFN_CHARS: usize = 13;
/// Byte offsets of the 13 characters inside a long-name entry.
const LFN_OFFSETS: [usize; 13] = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];

/// What a long name turns into on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortName {
    /// The 11 bytes of the 8.3 name (body padded to 8, extension to 3).
    pub sfn: [u8; 11],
    /// Case flags for the entry's NT byte (when no long name is stored).
    pub case: u8,
    /// Long-name entries are needed (mixed case, or the name does not fit 8.3).
    pub needs_lfn: bool,
    /// The name did not fit 8.3 unchanged: a numeric tail must make the SFN unique.
    pub lossy: bool,
}

/// Characters never allowed in a name.
fn forbidden(c: char) -> bool {
    (c as u32) < 0x20 || matches!(c, '"' | '*' | '/' | ':' | '<' | '>' | '?' | '\\' | '|' | '\x7f')
}

/// Checks a long name and returns it without trailing spaces and dots
/// (`EINVAL` when nothing is left, it is too long, or has a forbidden character).
pub fn clean(name: &str) -> Result<&str, i32> {
    let n = name.trim_end_matches([' ', '.']);
    if n.is_empty() || n.chars().any(forbidden) || n.encode_utf16().count() > MAX_LFN {
        return Err(EINVAL);
    }
    Ok(n)
}

/// The short name FatFs derives from cleaned long name `name`.
pub fn short_name(name: &str) -> ShortName {
    let mut sfn = [b' '; 11];
    let stripped = name.trim_start_matches([' ', '.']);
    let mut lossy = stripped.len() != name.len();
    let dot = stripped.rfind('.');
    let (body, ext) = match dot {
        Some(i) => (&stripped[..i], &stripped[i + 1..]),
        None => (stripped, ""),
    };
    let mut fill = |part: &str, at: usize, max: usize, case: &mut u8, lossy: &mut bool| {
        let mut n = 0;
        for c in part.chars() {
            let b = match c {
                ' ' | '.' => {
                    *lossy = true;
                    continue;
                }
                '+' | ',' | ';' | '=' | '[' | ']' => {
                    *lossy = true;
                    b'_'
                }
                'a'..='z' => {
                    *case |= 1;
                    c.to_ascii_uppercase() as u8
                }
                'A'..='Z' => {
                    *case |= 2;
                    c as u8
                }
                c if c.is_ascii() => c as u8,
                _ => {
                    *lossy = true;
                    b'_'
                }
            };
            if n == max {
                *lossy = true;
                break;
            }
            sfn[at + n] = b;
            n += 1;
        }
    };
    let (mut cb, mut ce) = (0u8, 0u8);
    fill(body, 0, 8, &mut cb, &mut lossy);
    fill(ext, 8, 3, &mut ce, &mut lossy);
    if sfn[0] == b' ' {
        // Nothing usable in the body (a name like ".txt").
        sfn[0] = b'_';
        lossy = true;
    }
    if sfn[0] == 0xE5 {
        sfn[0] = 0x05;
    }
    let mixed = cb == 3 || ce == 3;
    let mut case = 0;
    if !lossy && !mixed {
        if cb == 1 {
            case |= NT_BODY_LOWER;
        }
        if ce == 1 {
            case |= NT_EXT_LOWER;
        }
    }
    ShortName { sfn, case, needs_lfn: lossy || mixed, lossy }
}

/// `sfn` with numeric tail `~n` put at the end of its body (shortening it as needed).
pub fn with_tail(sfn: &[u8; 11], n: u32) -> [u8; 11] {
    let tail = alloc::format!("~{n}");
    let mut out = *sfn;
    let body_len = sfn[..8].iter().position(|&b| b == b' ').unwrap_or(8);
    let keep = body_len.min(8 - tail.len());
    out[keep..keep + tail.len()].copy_from_slice(tail.as_bytes());
    for b in &mut out[keep + tail.len()..8] {
        *b = b' ';
    }
    out
}

/// The checksum of a short name that ties long-name entries to it.
pub fn checksum(sfn: &[u8; 11]) -> u8 {
    sfn.iter().fold(0u8, |s, &b| ((s & 1) << 7).wrapping_add(s >> 1).wrapping_add(b))
}

/// The long-name entries (32 bytes each, in on-disk order: last part first)
/// that store `name` for the short name with checksum `sum`.
pub fn lfn_entries(name: &str, sum: u8) -> Vec<[u8; 32]> {
    let units: Vec<u16> = name.encode_utf16().collect();
    let count = units.len().div_ceil(LFN_CHARS);
    let mut out = Vec::with_capacity(count);
    for seq in (1..=count).rev() {
        let mut e = [0u8; 32];
        e[0] = seq as u8 | if seq == count { 0x40 } else { 0 };
        e[11] = 0x0F;
        e[13] = sum;
        for (k, &off) in LFN_OFFSETS.iter().enumerate() {
            let i = (seq - 1) * LFN_CHARS + k;
            let u = match i.cmp(&units.len()) {
                core::cmp::Ordering::Less => units[i],
                core::cmp::Ordering::Equal => 0,
                core::cmp::Ordering::Greater => 0xFFFF,
            };
            e[off..off + 2].copy_from_slice(&u.to_le_bytes());
        }
        out.push(e);
    }
    out
}

/// The 13 UTF-16 units of long-name entry `e` (up to its terminator).
pub fn lfn_units(e: &[u8]) -> Vec<u16> {
    let mut out = Vec::with_capacity(LFN_CHARS);
    for &off in &LFN_OFFSETS {
        let u = u16::from_le_bytes([e[off], e[off + 1]]);
        if u == 0 || u == 0xFFFF {
            break;
        }
        out.push(u);
    }
    out
}

/// The name shown for a short-name entry (case flags applied).
pub fn sfn_display(sfn: &[u8; 11], case: u8) -> String {
    let conv = |b: u8, lower: bool| -> char {
        let b = if b == 0x05 { 0xE5 } else { b };
        let c = char::from(b);
        if lower {
            c.to_ascii_lowercase()
        } else {
            c
        }
    };
    let mut s = String::new();
    for &b in sfn[..8].iter().take_while(|&&b| b != b' ') {
        s.push(conv(b, case & NT_BODY_LOWER != 0));
    }
    let ext: Vec<u8> = sfn[8..].iter().copied().take_while(|&b| b != b' ').collect();
    if !ext.is_empty() {
        s.push('.');
        for b in ext {
            s.push(conv(b, case & NT_EXT_LOWER != 0));
        }
    }
    s
}

/// Case-insensitive name comparison (as FAT compares names).
pub fn same(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_uppercase).eq(b.chars().flat_map(char::to_uppercase))
}
