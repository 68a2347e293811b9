//! The boot sector: reading a volume's geometry from its BIOS parameter block
//! (directly at sector 0, or in the first FAT partition of a partition table)
//! and `mkfs`, which lays a volume out the way MicroPython's FatFs build does
//! (FAT12/FAT16 on the whole device with one FAT and a 512-entry root
//! directory; when that does not fit, FAT32 in a partition starting at sector 63).

use alloc::vec;

use super::disk::Disk;
use super::FatType;
use crate::modules::vfs::{EIO, ENODEV};

/// Most clusters of a FAT12 volume.
pub const MAX_FAT12: u32 = 0xFF5;
/// Most clusters of a FAT16 volume.
pub const MAX_FAT16: u32 = 0xFFF5;
/// Most clusters of a FAT32 volume.
pub const MAX_FAT32: u32 = 0x0FFF_FFF5;

/// Where the parts of a mounted volume are (sector numbers are absolute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// FAT12, FAT16 or FAT32.
    pub fat_type: FatType,
    /// Bytes per sector.
    pub ss: u32,
    /// Sectors per cluster.
    pub spc: u32,
    /// First sector of the volume.
    pub vol_start: u64,
    /// First sector of the first FAT.
    pub fat_start: u64,
    /// Sectors per FAT.
    pub fat_sectors: u32,
    /// Number of FAT copies.
    pub num_fats: u32,
    /// First sector of the fixed root directory (FAT12/FAT16).
    pub root_start: u64,
    /// Entries of the fixed root directory (0 on FAT32).
    pub root_entries: u32,
    /// First cluster of the root directory (FAT32).
    pub root_cluster: u32,
    /// First sector of cluster 2.
    pub data_start: u64,
    /// Number of data clusters (valid clusters are 2..cluster_count + 2).
    pub clusters: u32,
    /// The FAT32 FSInfo sector, if any.
    pub fsinfo: Option<u64>,
}

impl Geometry {
    /// Bytes per cluster.
    pub fn cluster_bytes(&self) -> usize {
        (self.ss * self.spc) as usize
    }
    /// First sector of data cluster `c` (2 or more).
    pub fn cluster_sector(&self, c: u32) -> u64 {
        self.data_start + u64::from(c - 2) * u64::from(self.spc)
    }
}

fn word(b: &[u8], at: usize) -> u32 {
    u32::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn dword(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn put_word(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 2].copy_from_slice(&(v as u16).to_le_bytes());
}

fn put_dword(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// What a sector holds.
enum SectorKind {
    Vbr,
    Mbr,
    Other,
}

fn classify(b: &[u8]) -> SectorKind {
    if b.len() < 512 || word(b, 510) != 0xAA55 {
        return SectorKind::Other;
    }
    let jump = b[0] == 0xE9 || b[0] == 0xE8 || (b[0] == 0xEB && b[2] == 0x90);
    let named = &b[54..57] == b"FAT" || &b[82..87] == b"FAT32";
    let plausible = word(b, 11).is_power_of_two() && b[13].is_power_of_two() && matches!(b[16], 1 | 2);
    if jump && (named || plausible) {
        SectorKind::Vbr
    } else {
        SectorKind::Mbr
    }
}

/// Reads the geometry of the volume on `disk`: `ENODEV` when there is no
/// valid FAT volume (no boot signature, an impossible BPB, a FAT too small
/// for the clusters), `EIO` when the device fails.
pub fn mount(disk: &mut Disk) -> Result<Geometry, i32> {
    let first = disk.read(0)?.to_vec();
    match classify(&first) {
        SectorKind::Vbr => parse(&first, 0, disk),
        SectorKind::Mbr => {
            for i in 0..4 {
                let e = 446 + 16 * i;
                let start = u64::from(dword(&first, e + 8));
                if first[e + 4] == 0 || start == 0 || start >= disk.count {
                    continue;
                }
                let s = disk.read(start)?.to_vec();
                if let SectorKind::Vbr = classify(&s) {
                    return parse(&s, start, disk);
                }
            }
            Err(ENODEV)
        }
        SectorKind::Other => Err(ENODEV),
    }
}

fn parse(b: &[u8], vol: u64, disk: &Disk) -> Result<Geometry, i32> {
    let ss = word(b, 11);
    let spc = u32::from(b[13]);
    let rsvd = word(b, 14);
    let num_fats = u32::from(b[16]);
    let root_entries = word(b, 17);
    let total = match word(b, 19) {
        0 => dword(b, 32),
        n => n,
    };
    let fat_sectors = match word(b, 22) {
        0 => dword(b, 36),
        n => n,
    };
    if ss as usize != disk.ss || spc == 0 || !spc.is_power_of_two() || rsvd == 0 || !matches!(num_fats, 1 | 2) {
        return Err(ENODEV);
    }
    if fat_sectors == 0 || root_entries % (ss / 32) != 0 {
        return Err(ENODEV);
    }
    let root_secs = root_entries * 32 / ss;
    let sys = u64::from(rsvd) + u64::from(num_fats) * u64::from(fat_sectors) + u64::from(root_secs);
    if u64::from(total) <= sys || vol + u64::from(total) > disk.count {
        return Err(ENODEV);
    }
    let clusters = ((u64::from(total) - sys) / u64::from(spc)) as u32;
    let fat_type = if clusters <= MAX_FAT12 {
        FatType::Fat12
    } else if clusters <= MAX_FAT16 {
        FatType::Fat16
    } else if clusters <= MAX_FAT32 {
        FatType::Fat32
    } else {
        return Err(ENODEV);
    };
    if clusters == 0 {
        return Err(ENODEV);
    }
    let fat_bytes = match fat_type {
        FatType::Fat12 => (u64::from(clusters) + 2) * 3 / 2 + 1,
        FatType::Fat16 => (u64::from(clusters) + 2) * 2,
        FatType::Fat32 => (u64::from(clusters) + 2) * 4,
    };
    if fat_bytes > u64::from(fat_sectors) * u64::from(ss) {
        return Err(ENODEV);
    }
    let fat_start = vol + u64::from(rsvd);
    let root_start = fat_start + u64::from(num_fats) * u64::from(fat_sectors);
    let (root_cluster, fsinfo) = if fat_type == FatType::Fat32 {
        if root_entries != 0 || word(b, 22) != 0 {
            return Err(ENODEV);
        }
        let rc = dword(b, 44);
        if rc < 2 || rc >= clusters + 2 {
            return Err(ENODEV);
        }
        let fsi = word(b, 48);
        (rc, if fsi != 0 && fsi < rsvd { Some(vol + u64::from(fsi)) } else { None })
    } else {
        if root_entries == 0 {
            return Err(ENODEV);
        }
        (0, None)
    };
    Ok(Geometry {
        fat_type,
        ss,
        spc,
        vol_start: vol,
        fat_start,
        fat_sectors,
        num_fats,
        root_start,
        root_entries,
        root_cluster,
        data_start: root_start + u64::from(root_secs),
        clusters,
        fsinfo,
    })
}

/// The volume layout `mkfs` chose.
struct Layout {
    fat_type: FatType,
    vol: u64,
    size: u32,
    spc: u32,
    rsvd: u32,
    fat_sectors: u32,
    root_secs: u32,
    clusters: u32,
}

/// Lays out a FAT12/16 volume on the whole device (`fat32` false) or a FAT32
/// one after 63 sectors (`fat32` true); `None` when the size does not suit.
fn layout(count: u64, ss: u32, fat32: bool) -> Option<Layout> {
    let vol: u64 = if fat32 { 63 } else { 0 };
    let size = count.min(u64::from(u32::MAX)).checked_sub(vol)? as u32;
    if size < 22 {
        return None;
    }
    let ss64 = u64::from(ss);
    let mut fat_type = if fat32 { FatType::Fat32 } else { FatType::Fat16 };
    let mut au: u32 = 0;
    loop {
        let mut pau = au;
        let (mut clusters, fat_sectors, rsvd, root_secs);
        if fat_type == FatType::Fat32 {
            if pau == 0 {
                let n = size / 0x20000;
                pau = 1;
                for &c in &[1u32, 2, 4, 8, 16, 32] {
                    if c > n {
                        break;
                    }
                    pau <<= 1;
                }
            }
            clusters = size / pau;
            fat_sectors = (u64::from(clusters) * 4 + 8).div_ceil(ss64) as u32;
            rsvd = 32;
            root_secs = 0;
            if clusters <= MAX_FAT16 || clusters > MAX_FAT32 {
                return None;
            }
        } else {
            if pau == 0 {
                let n = size / 0x1000;
                pau = 1;
                for &c in &[1u32, 4, 16, 64, 256, 512] {
                    if c > n {
                        break;
                    }
                    pau <<= 1;
                }
            }
            clusters = size / pau;
            let bytes = if clusters > MAX_FAT12 {
                u64::from(clusters) * 2 + 4
            } else {
                fat_type = FatType::Fat12;
                (u64::from(clusters) * 3).div_ceil(2) + 3
            };
            fat_sectors = bytes.div_ceil(ss64) as u32;
            rsvd = 1;
            root_secs = 512 * 32 / ss;
        }
        let data = u64::from(rsvd) + u64::from(fat_sectors) + u64::from(root_secs);
        if u64::from(size) < data + u64::from(pau) * 16 {
            return None;
        }
        clusters = ((u64::from(size) - data) / u64::from(pau)) as u32;
        match fat_type {
            FatType::Fat32 if clusters <= MAX_FAT16 => {
                if au == 0 && pau / 2 != 0 {
                    au = pau / 2;
                    continue;
                }
                return None;
            }
            FatType::Fat16 if clusters > MAX_FAT16 => {
                if au == 0 && pau * 2 <= 64 {
                    au = pau * 2;
                    continue;
                }
                if au == 0 && pau * 2 <= 128 {
                    au = pau * 2;
                    continue;
                }
                return None;
            }
            FatType::Fat16 if clusters <= MAX_FAT12 => {
                if au == 0 && pau * 2 <= 128 {
                    au = pau * 2;
                    continue;
                }
                return None;
            }
            FatType::Fat12 if clusters > MAX_FAT12 => return None,
            _ => {}
        }
        return Some(Layout { fat_type, vol, size, spc: pau, rsvd, fat_sectors, root_secs, clusters });
    }
}

/// Creates an empty volume on `disk` (`EIO` when the device is too small or
/// too large for FAT). `stamp` is the FAT date and time used as the volume
/// serial number.
pub fn mkfs(disk: &mut Disk, stamp: u32) -> Result<(), i32> {
    let ss = disk.ss as u32;
    let l = layout(disk.count, ss, false).or_else(|| layout(disk.count, ss, true)).ok_or(EIO)?;
    let ssz = ss as usize;
    let mut b = vec![0u8; ssz];
    b[..11].copy_from_slice(b"\xEB\xFE\x90MSDOS5.0");
    put_word(&mut b, 11, ss);
    b[13] = l.spc as u8;
    put_word(&mut b, 14, l.rsvd);
    b[16] = 1;
    let fat32 = l.fat_type == FatType::Fat32;
    put_word(&mut b, 17, if fat32 { 0 } else { 512 });
    if l.size < 0x10000 {
        put_word(&mut b, 19, l.size);
    } else {
        put_dword(&mut b, 32, l.size);
    }
    b[21] = 0xF8;
    put_word(&mut b, 24, 63);
    put_word(&mut b, 26, 255);
    put_dword(&mut b, 28, l.vol as u32);
    if fat32 {
        put_dword(&mut b, 67, stamp);
        put_dword(&mut b, 36, l.fat_sectors);
        put_dword(&mut b, 44, 2);
        put_word(&mut b, 48, 1);
        put_word(&mut b, 50, 6);
        b[64] = 0x80;
        b[66] = 0x29;
        b[71..90].copy_from_slice(b"NO NAME    FAT32   ");
    } else {
        put_dword(&mut b, 39, stamp);
        put_word(&mut b, 22, l.fat_sectors);
        b[36] = 0x80;
        b[38] = 0x29;
        b[43..62].copy_from_slice(b"NO NAME    FAT     ");
    }
    put_word(&mut b, 510, 0xAA55);
    disk.write_direct(l.vol, &b)?;
    if fat32 {
        disk.write_direct(l.vol + 6, &b)?;
        b.fill(0);
        put_dword(&mut b, 0, 0x4161_5252);
        put_dword(&mut b, 484, 0x6141_7272);
        put_dword(&mut b, 488, l.clusters - 1);
        put_dword(&mut b, 492, 2);
        put_word(&mut b, 510, 0xAA55);
        disk.write_direct(l.vol + 7, &b)?;
        disk.write_direct(l.vol + 1, &b)?;
    }
    // The FAT, then the root directory, zero-filled in chunks of up to 4 KB.
    let chunk = (4096 / ssz).max(1);
    let mut buf = vec![0u8; chunk * ssz];
    match l.fat_type {
        FatType::Fat32 => {
            put_dword(&mut buf, 0, 0xFFFF_FFF8);
            put_dword(&mut buf, 4, 0xFFFF_FFFF);
            put_dword(&mut buf, 8, 0x0FFF_FFFF);
        }
        FatType::Fat16 => put_dword(&mut buf, 0, 0xFFFF_FFF8),
        FatType::Fat12 => put_dword(&mut buf, 0, 0x00FF_FFF8),
    }
    let mut sect = l.vol + u64::from(l.rsvd);
    for (first, n) in [(true, l.fat_sectors), (false, if fat32 { l.spc } else { l.root_secs })] {
        let mut left = n as usize;
        let mut head = first;
        while left > 0 {
            let k = left.min(chunk);
            disk.write_direct(sect, &buf[..k * ssz])?;
            if head {
                buf[..ssz].fill(0);
                head = false;
            }
            sect += k as u64;
            left -= k;
        }
    }
    if fat32 {
        b.fill(0);
        put_word(&mut b, 510, 0xAA55);
        let e = 446;
        b[e + 1] = 1;
        b[e + 2] = 1;
        b[e + 4] = 0x0C;
        let n = (l.vol + u64::from(l.size)) / (63 * 255);
        b[e + 5] = 254;
        b[e + 6] = (((n >> 2) & 0xC0) | 63) as u8;
        b[e + 7] = n as u8;
        put_dword(&mut b, e + 8, l.vol as u32);
        put_dword(&mut b, e + 12, l.size);
        disk.write_direct(0, &b)?;
    }
    disk.device().sync()
}
