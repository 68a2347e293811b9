//! Unit tests of the FAT core: mkfs layouts (checked against what MicroPython's
//! FatFs build writes for the same sizes), names, allocation and every error path.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::modules::vfs::{EACCES, EEXIST, EINVAL, EISDIR, ENODEV, ENOENT, ENOSPC, ENOTDIR};

fn word(b: &[u8], at: usize) -> u32 {
    u32::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn dword(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn fresh(blocks: usize) -> FatVfs<RamDisk> {
    let mut fs = FatVfs::new(RamDisk::new(blocks, 512));
    fs.set_time(1_700_000_000);
    fs.mkfs().unwrap();
    fs
}

/// A device holding only the blocks written to it (for FAT32-sized volumes).
#[derive(Default)]
struct Sparse {
    blocks: u64,
    data: BTreeMap<u64, Vec<u8>>,
    fail_reads: bool,
}

impl BlockDevice for Sparse {
    fn block_count(&mut self) -> Result<u64, i32> {
        Ok(self.blocks)
    }
    fn read_blocks(&mut self, first: u64, buf: &mut [u8]) -> Result<(), i32> {
        if self.fail_reads {
            return Err(EIO);
        }
        for (i, chunk) in buf.chunks_mut(512).enumerate() {
            match self.data.get(&(first + i as u64)) {
                Some(d) => chunk.copy_from_slice(d),
                None => chunk.fill(0),
            }
        }
        Ok(())
    }
    fn write_blocks(&mut self, first: u64, buf: &[u8]) -> Result<(), i32> {
        for (i, chunk) in buf.chunks(512).enumerate() {
            self.data.insert(first + i as u64, chunk.to_vec());
        }
        Ok(())
    }
}

/// (blocks, sectors per cluster, reserved, root entries, 16-bit total, FAT
/// sectors, 32-bit total, clusters): what MicroPython 1.2x's `VfsFat.mkfs`
/// writes and `statvfs` reports for these sizes.
/// One expected layout (see [`LAYOUTS`]).
type Layout = (usize, u32, u32, u32, u32, u32, u32, u64);

const LAYOUTS: [Layout; 9] = [
    (50, 1, 1, 512, 50, 1, 0, 16),
    (64, 1, 1, 512, 64, 1, 0, 30),
    (100, 1, 1, 512, 100, 1, 0, 66),
    (1000, 1, 1, 512, 1000, 3, 0, 964),
    (4096, 2, 1, 512, 4096, 7, 0, 2028),
    (8192, 4, 1, 512, 8192, 7, 0, 2038),
    (20000, 4, 1, 512, 20000, 20, 0, 4986),
    (70000, 8, 1, 512, 0, 35, 70000, 8741),
    (131072, 8, 1, 512, 0, 65, 131072, 16371),
];

#[test]
fn mkfs_matches_micropython_fat12_fat16() {
    for &(blocks, spc, rsvd, root, tot16, fatsz, tot32, clusters) in &LAYOUTS {
        let mut fs = fresh(blocks);
        let b = &fs.device().data[..512];
        assert_eq!(&b[3..11], b"MSDOS5.0", "{blocks}");
        assert_eq!(
            (word(b, 11), u32::from(b[13]), word(b, 14), u32::from(b[16]), word(b, 17)),
            (512, spc, rsvd, 1, root),
            "{blocks}"
        );
        assert_eq!((word(b, 19), b[21], word(b, 22), dword(b, 32)), (tot16, 0xF8, fatsz, tot32), "{blocks}");
        assert_eq!((word(b, 24), word(b, 26), b[36], b[38]), (63, 255, 0x80, 0x29));
        assert_eq!(&b[43..62], b"NO NAME    FAT     ");
        assert_eq!(word(b, 510), 0xAA55);
        let sv = fs.statvfs("/").unwrap();
        assert_eq!(sv, [512 * u64::from(spc), 512 * u64::from(spc), clusters, clusters, clusters, 0, 0, 0, 0, 255]);
        let g = fs.geometry().unwrap();
        let want = if clusters <= 0xFF5 { FatType::Fat12 } else { FatType::Fat16 };
        assert_eq!(g.fat_type, want, "{blocks}");
    }
}

#[test]
fn mkfs_fat32_in_a_partition() {
    // 4 GiB: too many clusters for FAT16, so FAT32 after a partition table.
    let mut fs = FatVfs::new(Sparse { blocks: 8 << 20, ..Sparse::default() });
    fs.mkfs().unwrap();
    let mbr = fs.device().data[&0].clone();
    assert_eq!(mbr[446 + 4], 0x0C);
    assert_eq!((dword(&mbr, 446 + 8), dword(&mbr, 446 + 12)), (63, (8 << 20) - 63));
    let vbr = fs.device().data[&63].clone();
    assert_eq!(&vbr[71..90], b"NO NAME    FAT32   ");
    assert_eq!(fs.device().data[&69], vbr, "backup boot sector");
    let g = fs.geometry().unwrap();
    assert_eq!((g.fat_type, g.spc, g.fat_sectors, g.root_cluster), (FatType::Fat32, 64, 1025, 2));
    // MicroPython reports the same figures for this device.
    assert_eq!(fs.statvfs("/").unwrap()[..5], [32768, 32768, 131054, 131053, 131053]);
    fs.write_file("/test.txt", b"test file", false).unwrap();
    assert_eq!(fs.statvfs("/").unwrap()[3], 131052);
    fs.mkdir("/d").unwrap();
    fs.write_file("/d/x", b"in a FAT32 subdirectory", false).unwrap();
    assert_eq!(fs.read_file("/d/x").unwrap(), b"in a FAT32 subdirectory");
    // The FSInfo free count is marked unknown once the FAT changed.
    assert_eq!(dword(&fs.device().data[&64], 488), u32::MAX);
}

#[test]
fn mkfs_rejects_tiny_devices() {
    let mut fs = FatVfs::new(RamDisk::new(20, 512));
    assert_eq!(fs.mkfs(), Err(EIO));
    let mut fs = FatVfs::new(RamDisk::new(40, 300));
    assert_eq!(fs.mkfs(), Err(EIO), "block size not a power of two");
}

#[test]
fn short_names_and_case_flags() {
    let mut fs = fresh(50);
    fs.write_file("/foo_file.txt", b"hello!", false).unwrap();
    let data = &fs.device().data;
    let at = data.windows(11).position(|w| w == b"FOO_FILETXT").expect("short name on disk");
    // An all-lower-case 8.3 name needs no long-name entry, only case flags.
    assert_eq!(data[at + 12], name::NT_BODY_LOWER | name::NT_EXT_LOWER);
    assert_ne!(data[at - 32 + 11], 0x0F);
    assert_eq!(fs.list_dir("/").unwrap()[0].name, "foo_file.txt");
    assert_eq!(fs.read_file("/FOO_FILE.TXT").unwrap(), b"hello!", "names compare without case");
}

#[test]
fn long_names_round_trip() {
    let mut fs = fresh(100);
    let names = ["A rather long file name.text", "mixedCase.Txt", "x", "ünïcode – name.py", "a.b.c.d"];
    for (i, n) in names.iter().enumerate() {
        fs.write_file(&alloc::format!("/{n}"), &[i as u8; 3], false).unwrap();
    }
    let listed: Vec<String> = fs.list_dir("/").unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(listed, names);
    for (i, n) in names.iter().enumerate() {
        assert_eq!(fs.read_file(&alloc::format!("/{n}")).unwrap(), [i as u8; 3]);
    }
    // Names that share a short name get numeric tails.
    fs.write_file("/long name one.txt", b"1", false).unwrap();
    fs.write_file("/long name two.txt", b"2", false).unwrap();
    let data = &fs.device().data;
    assert!(data.windows(11).any(|w| w == b"LONGNA~1TXT"));
    assert!(data.windows(11).any(|w| w == b"LONGNA~2TXT"));
    assert_eq!(fs.read_file("/long name two.txt").unwrap(), b"2");
    let longest: String = core::iter::repeat_n('n', 255).collect();
    fs.write_file(&alloc::format!("/{longest}"), b"", false).unwrap();
    assert!(fs.list_dir("/").unwrap().iter().any(|e| e.name == longest));
    let too_long: String = core::iter::repeat_n('n', 256).collect();
    assert_eq!(fs.write_file(&alloc::format!("/{too_long}"), b"", false), Err(EINVAL));
    assert_eq!(fs.write_file("/bad?name", b"", false), Err(EINVAL));
    assert_eq!(fs.mkdir("/..."), Err(EINVAL));
}

#[test]
fn directories() {
    let mut fs = fresh(50);
    fs.mkdir("/d").unwrap();
    fs.mkdir("/d/e").unwrap();
    fs.write_file("/d/e/f.txt", b"deep", false).unwrap();
    assert!(fs.stat("/d/e").unwrap().is_dir());
    assert_eq!(fs.stat("/d/e/f.txt").unwrap().size, 4);
    assert_eq!(fs.mkdir("/d"), Err(EEXIST));
    assert_eq!(fs.mkdir("/"), Err(EEXIST));
    assert_eq!(fs.mkdir("/x/y"), Err(ENOENT));
    assert_eq!(fs.mkdir("/d/e/f.txt/z"), Err(ENOENT));
    assert_eq!(fs.rmdir("/d"), Err(EACCES), "not empty");
    assert_eq!(fs.rmdir("/d/e/f.txt"), Err(ENOTDIR));
    assert_eq!(fs.rmdir("/"), Err(EINVAL));
    assert_eq!(fs.remove("/d"), Err(EISDIR));
    assert_eq!(fs.remove("/"), Err(EISDIR));
    assert_eq!(fs.remove("/nothing"), Err(ENOENT));
    assert_eq!(fs.list_dir("/d/e/f.txt"), Err(ENOENT));
    assert_eq!(fs.read_file("/d"), Err(EISDIR));
    assert_eq!(fs.write_file("/d", b"", false), Err(EISDIR));
    // Moving a directory updates its `..` entry.
    fs.rename("/d/e", "/e").unwrap();
    assert_eq!(fs.read_file("/e/f.txt").unwrap(), b"deep");
    let g = fs.geometry().unwrap();
    let e = fs.list_dir("/").unwrap();
    assert_eq!(e.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["d", "e"]);
    let _ = g;
    assert_eq!(fs.rename("/e", "/e/inside"), Err(EINVAL));
    assert_eq!(fs.rename("/missing", "/x"), Err(ENOENT));
    assert_eq!(fs.rename("/e", "/missing/x"), Err(ENOENT));
    // Renaming onto a file replaces it; onto a non-empty directory fails.
    fs.write_file("/a", b"a", false).unwrap();
    fs.write_file("/b", b"b", false).unwrap();
    fs.rename("/a", "/b").unwrap();
    assert_eq!(fs.read_file("/b").unwrap(), b"a");
    assert_eq!(fs.rename("/b", "/e"), Err(EACCES));
    fs.rename("/b", "/B").unwrap();
    assert_eq!(fs.list_dir("/").unwrap().last().unwrap().name, "B");
    fs.remove("/e/f.txt").unwrap();
    fs.rmdir("/e").unwrap();
    fs.rmdir("/d").unwrap();
    fs.remove("/B").unwrap();
    assert!(fs.list_dir("/").unwrap().is_empty());
    assert_eq!(fs.statvfs("/").unwrap()[3], 16, "every cluster free again");
}

#[test]
fn fixed_root_directory_fills_up() {
    let mut fs = fresh(100);
    for i in 0..512 {
        fs.write_file(&alloc::format!("/F{i}"), b"", false).unwrap();
    }
    assert_eq!(fs.write_file("/one_more", b"", false), Err(EACCES));
    // A subdirectory grows instead.
    fs.remove("/F0").unwrap();
    fs.mkdir("/sub").unwrap();
    for i in 0..40 {
        fs.write_file(&alloc::format!("/sub/file number {i}"), b"x", false).unwrap();
    }
    assert_eq!(fs.list_dir("/sub").unwrap().len(), 40);
}

#[test]
fn fragmented_files_and_appends() {
    let mut fs = fresh(64);
    fs.write_file("/a", &[1; 1000], false).unwrap();
    fs.write_file("/b", &[2; 1000], false).unwrap();
    fs.write_file("/c", &[3; 1000], false).unwrap();
    fs.remove("/b").unwrap();
    let big: Vec<u8> = (0..5000u32).map(|i| (i * 7) as u8).collect();
    fs.write_file("/d", &big, false).unwrap();
    assert_eq!(fs.read_file("/d").unwrap(), big);
    assert_eq!(fs.read_file("/a").unwrap(), [1; 1000]);
    assert_eq!(fs.read_file("/c").unwrap(), [3; 1000]);
    // The file fills b's hole, then continues after c: its chain jumps.
    let mut disk = disk::Disk::new(fs.device()).unwrap();
    let g = boot::mount(&mut disk).unwrap();
    let first =
        dir::read(&mut disk, &g, dir::DirRef::root(&g)).unwrap().iter().find(|e| e.name == "d").unwrap().cluster;
    let chain = table::chain(&mut disk, &g, first).unwrap();
    assert_eq!(chain.len(), 10);
    assert!(chain.windows(2).any(|w| w[1] != w[0] + 1));
    drop(disk);
    fs.write_file("/d", b" and more", true).unwrap();
    let mut want = big.clone();
    want.extend_from_slice(b" and more");
    assert_eq!(fs.read_file("/d").unwrap(), want);
    // Shrinking frees clusters.
    let free = fs.statvfs("/").unwrap()[3];
    fs.write_file("/d", b"small", false).unwrap();
    assert_eq!(fs.statvfs("/").unwrap()[3], free + 9);
    fs.write_file("/d", b"", false).unwrap();
    assert_eq!(fs.read_file("/d").unwrap(), b"");
}

#[test]
fn full_disk_gives_enospc_and_changes_nothing() {
    let mut fs = fresh(50);
    fs.write_file("/f", b"before", false).unwrap();
    let image = fs.device().data.clone();
    assert_eq!(fs.write_file("/f", &[0; 16 * 512 + 1], false), Err(ENOSPC));
    assert_eq!(fs.device().data, image);
    assert_eq!(fs.write_file("/f", &[0; 15 * 512 + 507], true), Err(ENOSPC));
    fs.write_file("/f", &[0; 15 * 512 + 506], true).unwrap();
    fs.write_file("/f", &[9; 16 * 512], false).unwrap();
    assert_eq!(fs.statvfs("/").unwrap()[3], 0);
    assert_eq!(fs.mkdir("/d"), Err(ENOSPC));
}

#[test]
fn fat12_entries_pack_in_pairs() {
    let mut fs = fresh(50);
    let mut disk = disk::Disk::new(fs.device()).unwrap();
    let g = boot::mount(&mut disk).unwrap();
    table::set(&mut disk, &g, 2, 0xABC).unwrap();
    table::set(&mut disk, &g, 3, 0x123).unwrap();
    assert_eq!((table::get(&mut disk, &g, 2).unwrap(), table::get(&mut disk, &g, 3).unwrap()), (0xABC, 0x123));
    disk.flush().unwrap();
    drop(disk);
    let fat = &fs.device().data[512..512 + 8];
    assert_eq!(fat[..7], [0xF8, 0xFF, 0xFF, 0xBC, 0x3A, 0x12, 0]);
}

#[test]
fn missing_or_corrupt_volumes() {
    let mut blank = FatVfs::new(RamDisk::new(50, 512));
    assert_eq!(blank.stat("/"), Err(ENODEV));
    let mut fs = fresh(50);
    // Bad sector size in the boot sector.
    fs.device().data[11] = 0x10;
    assert_eq!(fs.list_dir("/"), Err(ENODEV));
    let mut fs = fresh(50);
    fs.device().data[16] = 7; // number of FATs
    assert_eq!(fs.geometry(), Err(ENODEV));
    let mut fs = fresh(50);
    fs.device().data[19] = 200; // more sectors than the device has
    assert_eq!(fs.geometry(), Err(ENODEV));
    let mut fs = fresh(50);
    fs.device().data[510] = 0;
    assert_eq!(fs.geometry(), Err(ENODEV));
    // A file whose chain runs into a free cluster.
    let mut fs = fresh(50);
    fs.write_file("/f", &[5; 1500], false).unwrap();
    let g = fs.geometry().unwrap();
    let fat = (g.fat_start * 512) as usize;
    // Cluster 3 (second of the file) marked free: FAT12 entry 3 is the high 12 bits of bytes 4..6.
    fs.device().data[fat + 4] &= 0x0F;
    fs.device().data[fat + 5] = 0;
    assert_eq!(fs.read_file("/f"), Err(EIO));
}

#[test]
fn device_errors_are_eio() {
    let mut fs = FatVfs::new(Sparse { blocks: 100, ..Sparse::default() });
    fs.mkfs().unwrap();
    fs.write_file("/a", b"x", false).unwrap();
    fs.device().fail_reads = true;
    assert_eq!(fs.read_file("/a"), Err(EIO));
    assert_eq!(fs.stat("/a"), Err(EIO));
}

#[test]
fn bigger_sectors() {
    let mut fs = FatVfs::new(RamDisk::new(64, 4096));
    fs.mkfs().unwrap();
    let g = fs.geometry().unwrap();
    assert_eq!((g.ss, g.root_entries, g.fat_type), (4096, 512, FatType::Fat12));
    fs.write_file("/big", &[7; 10000], false).unwrap();
    assert_eq!(fs.read_file("/big").unwrap(), [7; 10000]);
}

#[test]
fn time_stamps() {
    for secs in [315_532_800i64, 1_700_000_000, 1_000_000_000] {
        assert_eq!(unix_time(fat_stamp(secs)), secs - secs % 2);
    }
    assert_eq!(fat_stamp(0), 1 << 21 | 1 << 16, "before 1980: the first day of 1980");
    let mut fs = fresh(50);
    fs.set_time(1_700_000_000);
    fs.write_file("/t", b"", false).unwrap();
    assert_eq!(fs.stat("/t").unwrap().mtime, 1_700_000_000);
    fs.set_time(1_700_000_010);
    fs.write_file("/t", b"x", true).unwrap();
    assert_eq!(fs.stat("/t").unwrap().mtime, 1_700_000_010);
    assert_eq!(fs.stat("/").unwrap().mtime, 0);
}
