//! The file allocation table: reading and writing entries (12, 16 or 32 bits
//! wide, in every FAT copy), following and freeing cluster chains, finding
//! free clusters.

use alloc::vec::Vec;

use super::boot::Geometry;
use super::disk::Disk;
use super::FatType;
use crate::modules::vfs::{EIO, ENOSPC};

/// An entry value meaning "end of chain" (any value at or above this, per type).
pub fn is_end(g: &Geometry, v: u32) -> bool {
    match g.fat_type {
        FatType::Fat12 => v >= 0xFF8,
        FatType::Fat16 => v >= 0xFFF8,
        FatType::Fat32 => v >= 0x0FFF_FFF8,
    }
}

/// The end-of-chain value written for the last cluster of a chain.
fn end_mark(g: &Geometry) -> u32 {
    match g.fat_type {
        FatType::Fat12 => 0xFFF,
        FatType::Fat16 => 0xFFFF,
        FatType::Fat32 => 0x0FFF_FFFF,
    }
}

/// True for a cluster number that names a data cluster.
pub fn valid(g: &Geometry, c: u32) -> bool {
    c >= 2 && c < g.clusters + 2
}

fn byte_at(g: &Geometry, off: u64) -> (u64, usize) {
    (g.fat_start + off / u64::from(g.ss), (off % u64::from(g.ss)) as usize)
}

fn read_byte(disk: &mut Disk, g: &Geometry, off: u64) -> Result<u8, i32> {
    let (lba, i) = byte_at(g, off);
    Ok(disk.read(lba)?[i])
}

fn write_byte(disk: &mut Disk, g: &Geometry, off: u64, v: u8) -> Result<(), i32> {
    let (lba, i) = byte_at(g, off);
    for k in 0..g.num_fats {
        disk.modify(lba + u64::from(k) * u64::from(g.fat_sectors))?[i] = v;
    }
    Ok(())
}

/// The FAT entry of cluster `c`.
pub fn get(disk: &mut Disk, g: &Geometry, c: u32) -> Result<u32, i32> {
    let c64 = u64::from(c);
    Ok(match g.fat_type {
        FatType::Fat12 => {
            let off = c64 + c64 / 2;
            let v = u32::from(read_byte(disk, g, off)?) | u32::from(read_byte(disk, g, off + 1)?) << 8;
            if c & 1 == 1 {
                v >> 4
            } else {
                v & 0xFFF
            }
        }
        FatType::Fat16 => {
            let off = c64 * 2;
            u32::from(read_byte(disk, g, off)?) | u32::from(read_byte(disk, g, off + 1)?) << 8
        }
        FatType::Fat32 => {
            // Entries are aligned, so all four bytes are in one sector.
            let (lba, i) = byte_at(g, c64 * 4);
            let s = disk.read(lba)?;
            u32::from_le_bytes([s[i], s[i + 1], s[i + 2], s[i + 3]]) & 0x0FFF_FFFF
        }
    })
}

/// Sets the FAT entry of cluster `c` to `v` (in every FAT copy).
pub fn set(disk: &mut Disk, g: &Geometry, c: u32, v: u32) -> Result<(), i32> {
    let c64 = u64::from(c);
    match g.fat_type {
        FatType::Fat12 => {
            let off = c64 + c64 / 2;
            let lo = read_byte(disk, g, off)?;
            let hi = read_byte(disk, g, off + 1)?;
            let (lo, hi) = if c & 1 == 1 {
                ((lo & 0x0F) | ((v << 4) as u8), (v >> 4) as u8)
            } else {
                (v as u8, (hi & 0xF0) | ((v >> 8) as u8 & 0x0F))
            };
            write_byte(disk, g, off, lo)?;
            write_byte(disk, g, off + 1, hi)
        }
        FatType::Fat16 => {
            write_byte(disk, g, c64 * 2, v as u8)?;
            write_byte(disk, g, c64 * 2 + 1, (v >> 8) as u8)
        }
        FatType::Fat32 => {
            let (lba, i) = byte_at(g, c64 * 4);
            let top = u32::from(disk.read(lba)?[i + 3] & 0xF0) << 24;
            let bytes = ((v & 0x0FFF_FFFF) | top).to_le_bytes();
            for k in 0..g.num_fats {
                disk.modify(lba + u64::from(k) * u64::from(g.fat_sectors))?[i..i + 4].copy_from_slice(&bytes);
            }
            Ok(())
        }
    }
}

/// The clusters of the chain starting at `first` (empty for 0); `EIO` for a
/// chain that leaves the volume, hits a free cluster or loops.
pub fn chain(disk: &mut Disk, g: &Geometry, first: u32) -> Result<Vec<u32>, i32> {
    let mut out = Vec::new();
    let mut c = first;
    while c != 0 {
        if !valid(g, c) || out.len() as u32 >= g.clusters {
            return Err(EIO);
        }
        out.push(c);
        let next = get(disk, g, c)?;
        if is_end(g, next) {
            break;
        }
        if next == 0 {
            return Err(EIO);
        }
        c = next;
    }
    Ok(out)
}

/// Marks every cluster of `clusters` free.
pub fn free(disk: &mut Disk, g: &Geometry, clusters: &[u32]) -> Result<(), i32> {
    for &c in clusters {
        set(disk, g, c, 0)?;
    }
    Ok(())
}

/// The number of free clusters.
pub fn count_free(disk: &mut Disk, g: &Geometry) -> Result<u32, i32> {
    let mut n = 0;
    for c in 2..g.clusters + 2 {
        if get(disk, g, c)? == 0 {
            n += 1;
        }
    }
    Ok(n)
}

/// Finds `n` free clusters (lowest numbers first) without claiming them;
/// `ENOSPC` when there are fewer.
pub fn find_free(disk: &mut Disk, g: &Geometry, n: usize) -> Result<Vec<u32>, i32> {
    let mut out = Vec::with_capacity(n);
    let mut c = 2;
    while out.len() < n {
        if c >= g.clusters + 2 {
            return Err(ENOSPC);
        }
        if get(disk, g, c)? == 0 {
            out.push(c);
        }
        c += 1;
    }
    Ok(out)
}

/// Links `clusters` into one chain ending the chain; `after` (if not 0) is
/// made to point at the first of them.
pub fn link(disk: &mut Disk, g: &Geometry, after: u32, clusters: &[u32]) -> Result<(), i32> {
    if let (true, Some(&first)) = (after != 0, clusters.first()) {
        set(disk, g, after, first)?;
    }
    for (i, &c) in clusters.iter().enumerate() {
        let next = clusters.get(i + 1).copied().unwrap_or_else(|| end_mark(g));
        set(disk, g, c, next)?;
    }
    Ok(())
}

/// Ends the chain at cluster `c`.
pub fn terminate(disk: &mut Disk, g: &Geometry, c: u32) -> Result<(), i32> {
    set(disk, g, c, end_mark(g))
}
