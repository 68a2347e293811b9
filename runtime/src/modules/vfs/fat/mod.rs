//! A FAT file system (FAT12, FAT16, FAT32 with VFAT long file names) over a
//! block device: `vfs.VfsFat` from Python, [`FatVfs`] for Rust embedders.
//!
//! * [`BlockDevice`] is the storage: fixed-size blocks (512 to 4096 bytes, a
//!   power of two) read and written by number. An embedder implements it for
//!   its flash or SD card and mounts `FatVfs::new(device)` with
//!   [`crate::vm::Vm::mount`]; Python block devices (MicroPython's
//!   `readblocks`/`writeblocks`/`ioctl` protocol) are adapted in
//!   [`crate::modules::vfsfat`].
//! * Nothing is cached between operations: each operation mounts the volume
//!   (reads its boot sector), works through a small sector cache and writes
//!   the changed sectors back before it returns, so the device always holds a
//!   consistent volume and may be changed by others between operations.
//! * [`FatVfs::mkfs`] makes the layout MicroPython's FatFs build makes for the
//!   same device size (one FAT, 512 root entries, FAT32 beyond FAT16's range).
//! * Errors are errno values as MicroPython's `VfsFat` reports them: a missing
//!   file `ENOENT`, an existing one `EEXIST`, removing a non-empty directory
//!   `EACCES`, a full volume `ENOSPC`, no FAT volume on the device `ENODEV`,
//!   a failing device (or a broken cluster chain) `EIO`.
//!
//! Files are read and written whole (as the rest of the VFS layer does); long
//! names are stored as UTF-16, short names as ASCII (other characters become `_`).

mod boot;
mod dir;
mod disk;
mod name;
mod table;
mod volume;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;

use super::{DirEntry, Stat, StatVfs, Vfs, EIO};
pub use boot::Geometry;
pub use volume::{fat_stamp, unix_time};

/// The storage under a FAT volume: numbered blocks of one size.
pub trait BlockDevice {
    /// Bytes per block (512 unless the device says otherwise).
    fn block_size(&mut self) -> Result<usize, i32> {
        Ok(512)
    }
    /// Number of blocks.
    fn block_count(&mut self) -> Result<u64, i32>;
    /// Reads `buf.len() / block_size` blocks starting at block `first`.
    fn read_blocks(&mut self, first: u64, buf: &mut [u8]) -> Result<(), i32>;
    /// Writes `buf.len() / block_size` blocks starting at block `first`.
    fn write_blocks(&mut self, first: u64, buf: &[u8]) -> Result<(), i32>;
    /// Makes written blocks durable.
    fn sync(&mut self) -> Result<(), i32> {
        Ok(())
    }
}

/// The three FAT variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FatType {
    /// 12-bit entries (up to 4085 clusters).
    Fat12,
    /// 16-bit entries (up to 65525 clusters).
    Fat16,
    /// 28-bit entries.
    Fat32,
}

/// The time stamp written into entries changed now (as `FatFs` does without a
/// clock: 2018-01-01 00:00).
const NO_CLOCK: u32 = (38 << 25) | (1 << 21) | (1 << 16);

/// A FAT file system on block device `D`, usable as a [`Vfs`].
pub struct FatVfs<D: BlockDevice> {
    dev: D,
    clock: Option<fn() -> i64>,
    now: Option<i64>,
}

impl<D: BlockDevice> FatVfs<D> {
    /// The file system on `dev` (nothing is read until it is used: a device
    /// without a FAT volume gives `ENODEV` then; see [`FatVfs::mkfs`]).
    pub fn new(dev: D) -> FatVfs<D> {
        FatVfs { dev, clock: None, now: None }
    }

    /// Uses `clock` (seconds since 1970) for the time stamps of changed entries.
    pub fn with_clock(mut self, clock: fn() -> i64) -> FatVfs<D> {
        self.clock = Some(clock);
        self
    }

    /// Uses the fixed time `secs` (seconds since 1970) for changed entries.
    pub fn set_time(&mut self, secs: i64) {
        self.now = Some(secs);
    }

    /// The current time as a FAT stamp.
    fn stamp(&self) -> u32 {
        match (self.now, self.clock) {
            (Some(t), _) => fat_stamp(t),
            (None, Some(c)) => fat_stamp(c()),
            _ => NO_CLOCK,
        }
    }

    /// Formats the device (an empty volume, as MicroPython's `VfsFat.mkfs`).
    pub fn mkfs(&mut self) -> Result<(), i32> {
        let stamp = self.stamp();
        volume::Volume::mkfs(&mut self.dev, stamp)
    }

    /// Checks that the device holds a FAT volume and returns its geometry.
    pub fn geometry(&mut self) -> Result<Geometry, i32> {
        let stamp = self.stamp();
        let v = volume::Volume::open(&mut self.dev, stamp)?;
        let g = *v.geometry();
        v.finish(Ok(g))
    }

    /// The block device.
    pub fn device(&mut self) -> &mut D {
        &mut self.dev
    }

    /// Gives the block device back.
    pub fn into_inner(self) -> D {
        self.dev
    }

    fn run<T>(&mut self, f: impl FnOnce(&mut volume::Volume) -> Result<T, i32>) -> Result<T, i32> {
        let stamp = self.stamp();
        let mut v = volume::Volume::open(&mut self.dev, stamp)?;
        let r = f(&mut v);
        v.finish(r)
    }
}

impl<D: BlockDevice> Vfs for FatVfs<D> {
    fn stat(&mut self, path: &str) -> Result<Stat, i32> {
        self.run(|v| v.stat(path))
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        self.run(|v| v.list_dir(path))
    }
    fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        self.run(|v| v.mkdir(path))
    }
    fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        self.run(|v| v.rmdir(path))
    }
    fn remove(&mut self, path: &str) -> Result<(), i32> {
        self.run(|v| v.remove(path))
    }
    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        self.run(|v| v.rename(from, to))
    }
    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        self.run(|v| v.read_file(path))
    }
    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        self.run(|v| v.write_file(path, data, append))
    }
    fn statvfs(&mut self, _path: &str) -> Result<StatVfs, i32> {
        self.run(|v| v.statvfs())
    }
    fn write_through(&self) -> bool {
        true
    }
}

impl<T: BlockDevice + ?Sized> BlockDevice for &mut T {
    fn block_size(&mut self) -> Result<usize, i32> {
        (**self).block_size()
    }
    fn block_count(&mut self) -> Result<u64, i32> {
        (**self).block_count()
    }
    fn read_blocks(&mut self, first: u64, buf: &mut [u8]) -> Result<(), i32> {
        (**self).read_blocks(first, buf)
    }
    fn write_blocks(&mut self, first: u64, buf: &[u8]) -> Result<(), i32> {
        (**self).write_blocks(first, buf)
    }
    fn sync(&mut self) -> Result<(), i32> {
        (**self).sync()
    }
}

/// A block device in memory (for tests and scratch volumes).
#[derive(Clone, Debug)]
pub struct RamDisk {
    /// The blocks, back to back.
    pub data: Vec<u8>,
    /// Bytes per block.
    pub block: usize,
}

impl RamDisk {
    /// `blocks` zeroed blocks of `block` bytes.
    pub fn new(blocks: usize, block: usize) -> RamDisk {
        RamDisk { data: alloc::vec![0; blocks * block], block }
    }
    fn range(&self, first: u64, len: usize) -> Result<core::ops::Range<usize>, i32> {
        let start = usize::try_from(first).map_err(|_| EIO)?.checked_mul(self.block).ok_or(EIO)?;
        let end = start.checked_add(len).ok_or(EIO)?;
        if end > self.data.len() || len % self.block != 0 {
            return Err(EIO);
        }
        Ok(start..end)
    }
}

impl BlockDevice for RamDisk {
    fn block_size(&mut self) -> Result<usize, i32> {
        Ok(self.block)
    }
    fn block_count(&mut self) -> Result<u64, i32> {
        Ok((self.data.len() / self.block) as u64)
    }
    fn read_blocks(&mut self, first: u64, buf: &mut [u8]) -> Result<(), i32> {
        let r = self.range(first, buf.len())?;
        buf.copy_from_slice(&self.data[r]);
        Ok(())
    }
    fn write_blocks(&mut self, first: u64, buf: &[u8]) -> Result<(), i32> {
        let r = self.range(first, buf.len())?;
        self.data[r].copy_from_slice(buf);
        Ok(())
    }
}
