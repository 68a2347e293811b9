//! A small write-back sector cache over a [`BlockDevice`], living for one
//! file-system operation: sectors are read once, changed in memory and written
//! back (in ascending order) by [`Disk::flush`].

use alloc::vec::Vec;

use super::BlockDevice;
use crate::modules::vfs::EIO;

/// How many sectors the cache holds before it writes back and drops the oldest.
const CAPACITY: usize = 32;

struct Sector {
    lba: u64,
    data: Vec<u8>,
    dirty: bool,
}

/// Cached access to the sectors of a device.
pub struct Disk<'a> {
    dev: &'a mut dyn BlockDevice,
    /// Bytes per sector.
    pub ss: usize,
    /// Sectors on the device.
    pub count: u64,
    cache: Vec<Sector>,
}

impl<'a> Disk<'a> {
    /// A cache over `dev`, asking it for its sector size and count (`EIO` if the
    /// size is not a power of two from 512 to 4096, or the device is empty).
    pub fn new(dev: &'a mut dyn BlockDevice) -> Result<Disk<'a>, i32> {
        let ss = dev.block_size()?;
        if !(512..=4096).contains(&ss) || !ss.is_power_of_two() {
            return Err(EIO);
        }
        let count = dev.block_count()?;
        Ok(Disk { dev, ss, count, cache: Vec::new() })
    }

    fn slot(&mut self, lba: u64) -> Result<usize, i32> {
        if let Some(i) = self.cache.iter().position(|s| s.lba == lba) {
            return Ok(i);
        }
        if lba >= self.count {
            return Err(EIO);
        }
        if self.cache.len() >= CAPACITY {
            let old = self.cache.remove(0);
            if old.dirty {
                self.dev.write_blocks(old.lba, &old.data)?;
            }
        }
        let mut data = alloc::vec![0u8; self.ss];
        self.dev.read_blocks(lba, &mut data)?;
        self.cache.push(Sector { lba, data, dirty: false });
        Ok(self.cache.len() - 1)
    }

    /// The contents of sector `lba`.
    pub fn read(&mut self, lba: u64) -> Result<&[u8], i32> {
        let i = self.slot(lba)?;
        Ok(&self.cache[i].data)
    }

    /// Sector `lba` to change in place (written back on flush).
    pub fn modify(&mut self, lba: u64) -> Result<&mut [u8], i32> {
        let i = self.slot(lba)?;
        let s = &mut self.cache[i];
        s.dirty = true;
        Ok(&mut s.data)
    }

    /// Replaces sector `lba` whole without reading it first.
    pub fn overwrite(&mut self, lba: u64, data: &[u8]) -> Result<(), i32> {
        if lba >= self.count || data.len() != self.ss {
            return Err(EIO);
        }
        match self.cache.iter_mut().find(|s| s.lba == lba) {
            Some(s) => {
                s.data.copy_from_slice(data);
                s.dirty = true;
            }
            None => {
                if self.cache.len() >= CAPACITY {
                    let old = self.cache.remove(0);
                    if old.dirty {
                        self.dev.write_blocks(old.lba, &old.data)?;
                    }
                }
                self.cache.push(Sector { lba, data: data.to_vec(), dirty: true });
            }
        }
        Ok(())
    }

    /// Writes consecutive sectors straight to the device (bypassing and
    /// updating the cache): used by `mkfs` for its large zero fills.
    pub fn write_direct(&mut self, lba: u64, data: &[u8]) -> Result<(), i32> {
        if data.len() % self.ss != 0 || lba + (data.len() / self.ss) as u64 > self.count {
            return Err(EIO);
        }
        let n = (data.len() / self.ss) as u64;
        self.cache.retain(|s| s.lba < lba || s.lba >= lba + n);
        self.dev.write_blocks(lba, data)
    }

    /// Writes every changed sector back (in ascending order) and syncs the device.
    pub fn flush(&mut self) -> Result<(), i32> {
        self.cache.sort_by_key(|s| s.lba);
        let mut any = false;
        for s in self.cache.iter_mut().filter(|s| s.dirty) {
            self.dev.write_blocks(s.lba, &s.data)?;
            s.dirty = false;
            any = true;
        }
        if any {
            self.dev.sync()?;
        }
        Ok(())
    }

    /// The device, for requests the cache does not handle.
    pub fn device(&mut self) -> &mut dyn BlockDevice {
        &mut *self.dev
    }
}
