//! Directories: their 32-byte entries (short-name entries with the long-name
//! entries in front of them), reading a directory, adding, updating and
//! removing entries, and the `.`/`..` entries of a new directory.

use alloc::string::String;
use alloc::vec::Vec;

use super::boot::Geometry;
use super::disk::Disk;
use super::{name, table};
use crate::modules::vfs::{EACCES, EIO};

/// Attribute bit: volume label.
pub const ATTR_VOLUME: u8 = 0x08;
/// Attribute bit: directory.
pub const ATTR_DIR: u8 = 0x10;
/// Attribute bit: archive (set on new files).
pub const ATTR_ARCHIVE: u8 = 0x20;
/// The attribute byte of a long-name entry.
pub const ATTR_LFN: u8 = 0x0F;
/// Largest directory FatFs allows (2 MB of entries).
const MAX_DIR_BYTES: usize = 0x20_0000;

/// A directory: the fixed root directory of FAT12/FAT16, or a cluster chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirRef {
    /// The FAT12/FAT16 root directory.
    FixedRoot,
    /// A directory stored in the chain starting at this cluster.
    Chain(u32),
}

impl DirRef {
    /// The root directory of the volume.
    pub fn root(g: &Geometry) -> DirRef {
        if g.root_entries == 0 {
            DirRef::Chain(g.root_cluster)
        } else {
            DirRef::FixedRoot
        }
    }
    /// The cluster `..` entries store for this directory (0 for the root).
    pub fn dotdot_cluster(self, g: &Geometry) -> u32 {
        match self {
            DirRef::Chain(c) if DirRef::root(g) != self => c,
            _ => 0,
        }
    }
}

/// One file or directory of a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name (the long name when there is one).
    pub name: String,
    /// The short name.
    pub sfn: [u8; 11],
    /// Attribute bits.
    pub attr: u8,
    /// First cluster (0: none).
    pub cluster: u32,
    /// Size in bytes (files).
    pub size: u32,
    /// Modification date and time (`date << 16 | time`).
    pub stamp: u32,
    /// Creation date and time.
    pub created: u32,
    /// Slot of the short-name entry.
    pub slot: usize,
    /// First slot of the entry (its first long-name entry, else `slot`).
    pub first_slot: usize,
}

impl Entry {
    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        self.attr & ATTR_DIR != 0
    }
}

/// The sectors of directory `d`, in order.
pub fn sectors(disk: &mut Disk, g: &Geometry, d: DirRef) -> Result<Vec<u64>, i32> {
    match d {
        DirRef::FixedRoot => {
            let n = u64::from(g.root_entries) * 32 / u64::from(g.ss);
            Ok((g.root_start..g.root_start + n).collect())
        }
        DirRef::Chain(c) => {
            let mut out = Vec::new();
            for cl in table::chain(disk, g, c)? {
                let s = g.cluster_sector(cl);
                out.extend(s..s + u64::from(g.spc));
            }
            Ok(out)
        }
    }
}

fn slot_pos(g: &Geometry, secs: &[u64], slot: usize) -> Result<(u64, usize), i32> {
    let per = g.ss as usize / 32;
    let lba = *secs.get(slot / per).ok_or(EIO)?;
    Ok((lba, (slot % per) * 32))
}

fn u16_at(b: &[u8], at: usize) -> u32 {
    u32::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The entries of directory `d` (without `.`, `..` and the volume label).
pub fn read(disk: &mut Disk, g: &Geometry, d: DirRef) -> Result<Vec<Entry>, i32> {
    let secs = sectors(disk, g, d)?;
    let per = g.ss as usize / 32;
    let mut out = Vec::new();
    // The long name being collected: (expected next sequence number, checksum, first slot, parts).
    let mut lfn: Option<(u8, u8, usize, Vec<Vec<u16>>)> = None;
    for (si, &lba) in secs.iter().enumerate() {
        let sector = disk.read(lba)?.to_vec();
        for k in 0..per {
            let e = &sector[k * 32..k * 32 + 32];
            let slot = si * per + k;
            match e[0] {
                0 => return Ok(out),
                0xE5 => {
                    lfn = None;
                    continue;
                }
                _ => {}
            }
            if e[11] & 0x3F == ATTR_LFN {
                let seq = e[0] & 0x3F;
                if e[0] & 0x40 != 0 {
                    lfn = Some((seq, e[13], slot, Vec::new()));
                }
                match &mut lfn {
                    Some((want, sum, _, parts)) if *want == seq && *sum == e[13] && seq > 0 => {
                        parts.push(name::lfn_units(e));
                        *want -= 1;
                    }
                    _ => lfn = None,
                }
                continue;
            }
            let taken = lfn.take();
            if e[11] & ATTR_VOLUME != 0 || e[0] == b'.' {
                continue;
            }
            let mut sfn = [0u8; 11];
            sfn.copy_from_slice(&e[..11]);
            let long = match taken {
                Some((0, sum, first, parts)) if sum == name::checksum(&sfn) => {
                    let units: Vec<u16> = parts.iter().rev().flatten().copied().collect();
                    Some((String::from_utf16_lossy(&units), first))
                }
                _ => None,
            };
            let (nm, first_slot) = match long {
                Some((n, f)) => (n, f),
                None => (name::sfn_display(&sfn, e[12]), slot),
            };
            out.push(Entry {
                name: nm,
                sfn,
                attr: e[11],
                cluster: u16_at(e, 26) | if g.root_entries == 0 { u16_at(e, 20) << 16 } else { 0 },
                size: u32_at(e, 28),
                stamp: u32_at(e, 22),
                created: u32_at(e, 14),
                slot,
                first_slot,
            });
        }
    }
    Ok(out)
}

/// The entry named `nm` (compared without regard to case, against the long
/// name and the short name).
pub fn find(entries: &[Entry], nm: &str) -> Option<Entry> {
    let short = name::short_name(nm);
    entries.iter().find(|e| name::same(&e.name, nm) || (!short.needs_lfn && e.sfn == short.sfn)).cloned()
}

/// Writes the short-name entry fields of `e` to its slot in directory `d`.
pub fn write_entry(disk: &mut Disk, g: &Geometry, d: DirRef, e: &Entry, case: u8) -> Result<(), i32> {
    let secs = sectors(disk, g, d)?;
    let (lba, off) = slot_pos(g, &secs, e.slot)?;
    let b = &mut disk.modify(lba)?[off..off + 32];
    b.fill(0);
    b[..11].copy_from_slice(&e.sfn);
    b[12] = case;
    b[14..18].copy_from_slice(&e.created.to_le_bytes());
    put_location(b, e);
    Ok(())
}

/// Writes the attributes, modification time, first cluster and size of `e`
/// into its 32-byte short-name entry `b`.
fn put_location(b: &mut [u8], e: &Entry) {
    b[11] = e.attr;
    b[18..20].copy_from_slice(&((e.stamp >> 16) as u16).to_le_bytes());
    b[20..22].copy_from_slice(&((e.cluster >> 16) as u16).to_le_bytes());
    b[22..26].copy_from_slice(&e.stamp.to_le_bytes());
    b[26..28].copy_from_slice(&(e.cluster as u16).to_le_bytes());
    b[28..32].copy_from_slice(&e.size.to_le_bytes());
}

/// Sets the first cluster, size and modification time of the entry at `e.slot`
/// (keeping its name, case flags and creation time).
pub fn update(disk: &mut Disk, g: &Geometry, d: DirRef, e: &Entry) -> Result<(), i32> {
    let secs = sectors(disk, g, d)?;
    let (lba, off) = slot_pos(g, &secs, e.slot)?;
    put_location(&mut disk.modify(lba)?[off..off + 32], e);
    Ok(())
}

/// Marks the slots of `e` deleted.
pub fn remove(disk: &mut Disk, g: &Geometry, d: DirRef, e: &Entry) -> Result<(), i32> {
    let secs = sectors(disk, g, d)?;
    for slot in e.first_slot..=e.slot {
        let (lba, off) = slot_pos(g, &secs, slot)?;
        disk.modify(lba)?[off] = 0xE5;
    }
    Ok(())
}

/// Finds `n` consecutive free slots in `d` (growing a chained directory by a
/// zeroed cluster when needed); `EACCES` when the directory is full, `ENOSPC`
/// when the volume is.
fn free_run(disk: &mut Disk, g: &Geometry, d: DirRef, n: usize) -> Result<usize, i32> {
    loop {
        let secs = sectors(disk, g, d)?;
        let per = g.ss as usize / 32;
        let mut run = 0;
        for (si, &lba) in secs.iter().enumerate() {
            let sector = disk.read(lba)?;
            for k in 0..per {
                if matches!(sector[k * 32], 0 | 0xE5) {
                    run += 1;
                    if run == n {
                        return Ok(si * per + k + 1 - n);
                    }
                } else {
                    run = 0;
                }
            }
        }
        let DirRef::Chain(first) = d else { return Err(EACCES) };
        if (secs.len() + g.spc as usize) * g.ss as usize > MAX_DIR_BYTES {
            return Err(EACCES);
        }
        let last = *table::chain(disk, g, first)?.last().ok_or(EIO)?;
        let c = table::find_free(disk, g, 1)?[0];
        zero_cluster(disk, g, c)?;
        table::link(disk, g, last, &[c])?;
    }
}

/// Fills cluster `c` with zero bytes.
pub fn zero_cluster(disk: &mut Disk, g: &Geometry, c: u32) -> Result<(), i32> {
    let zero = alloc::vec![0u8; g.ss as usize];
    let s = g.cluster_sector(c);
    for lba in s..s + u64::from(g.spc) {
        disk.overwrite(lba, &zero)?;
    }
    Ok(())
}

/// Adds an entry named `nm` (already checked with [`name::clean`]) to `d`,
/// with the details of `proto` (its name, short name and slots are filled in).
pub fn add(disk: &mut Disk, g: &Geometry, d: DirRef, nm: &str, proto: &Entry) -> Result<Entry, i32> {
    let short = name::short_name(nm);
    let existing = read(disk, g, d)?;
    let mut sfn = short.sfn;
    if short.lossy {
        let mut found = None;
        for n in 1..1000u32 {
            let candidate = name::with_tail(&short.sfn, n);
            if !existing.iter().any(|e| e.sfn == candidate) {
                found = Some(candidate);
                break;
            }
        }
        sfn = found.ok_or(EACCES)?;
    } else if existing.iter().any(|e| e.sfn == sfn) {
        // Same short name as another entry with a different long name ("Ab" next to "AB" is impossible).
        return Err(EACCES);
    }
    let sum = name::checksum(&sfn);
    let lfns = if short.needs_lfn { name::lfn_entries(nm, sum) } else { Vec::new() };
    let first = free_run(disk, g, d, lfns.len() + 1)?;
    let secs = sectors(disk, g, d)?;
    for (i, e) in lfns.iter().enumerate() {
        let (lba, off) = slot_pos(g, &secs, first + i)?;
        disk.modify(lba)?[off..off + 32].copy_from_slice(e);
    }
    let entry = Entry { name: String::from(nm), sfn, slot: first + lfns.len(), first_slot: first, ..proto.clone() };
    write_entry(disk, g, d, &entry, if short.needs_lfn { 0 } else { short.case })?;
    Ok(entry)
}

/// Writes the `.` and `..` entries at the start of new directory cluster `c`.
pub fn init_dots(disk: &mut Disk, g: &Geometry, c: u32, parent: u32, stamp: u32) -> Result<(), i32> {
    let lba = g.cluster_sector(c);
    let b = disk.modify(lba)?;
    for (i, (nm, cl)) in [(b".          ", c), (b"..         ", parent)].into_iter().enumerate() {
        let e = &mut b[i * 32..i * 32 + 32];
        e[..11].copy_from_slice(nm);
        e[11] = ATTR_DIR;
        e[14..18].copy_from_slice(&stamp.to_le_bytes());
        e[20..22].copy_from_slice(&((cl >> 16) as u16).to_le_bytes());
        e[22..26].copy_from_slice(&stamp.to_le_bytes());
        e[26..28].copy_from_slice(&(cl as u16).to_le_bytes());
    }
    Ok(())
}

/// Points the `..` entry of directory cluster `c` at `parent`.
pub fn set_dotdot(disk: &mut Disk, g: &Geometry, c: u32, parent: u32) -> Result<(), i32> {
    let b = disk.modify(g.cluster_sector(c))?;
    if &b[32..43] == b"..         " {
        b[52..54].copy_from_slice(&((parent >> 16) as u16).to_le_bytes());
        b[58..60].copy_from_slice(&(parent as u16).to_le_bytes());
    }
    Ok(())
}
