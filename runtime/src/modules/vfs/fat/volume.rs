//! A mounted volume for the length of one operation: paths resolved to
//! directory entries, and the file-system operations of [`crate::modules::vfs::Vfs`]
//! (stat, listing, mkdir/rmdir/remove/rename, whole-file reads and writes, statvfs).

use alloc::string::String;
use alloc::vec::Vec;

use super::boot::{self, Geometry};
use super::dir::{self, DirRef, Entry, ATTR_ARCHIVE, ATTR_DIR};
use super::disk::Disk;
use super::{name, table, BlockDevice};
use crate::modules::vfs::{
    DirEntry, Stat, StatVfs, EACCES, EEXIST, EINVAL, EIO, EISDIR, ENOENT, ENOSPC, ENOTDIR, S_IFDIR, S_IFREG,
};

/// What a path names.
enum Node {
    /// The root directory.
    Root,
    /// An entry of directory `.0`.
    Entry(DirRef, Entry),
}

/// A volume opened on a device.
pub struct Volume<'a> {
    disk: Disk<'a>,
    g: Geometry,
    /// FAT date and time (`date << 16 | time`) for entries changed now.
    stamp: u32,
    /// The FAT was changed (FAT32 then marks its FSInfo free count unknown).
    fat_changed: bool,
}

/// The FAT date and time of `secs` seconds since 1970 (clamped to 1980..2107).
pub fn fat_stamp(secs: i64) -> u32 {
    let f = crate::modules::time::broken_down(secs);
    let year = (f[0] - 1980).clamp(0, 127) as u32;
    if f[0] < 1980 {
        return 1 << 21 | 1 << 16;
    }
    (year << 25)
        | (f[1] as u32) << 21
        | (f[2] as u32) << 16
        | (f[3] as u32) << 11
        | (f[4] as u32) << 5
        | (f[5] as u32 / 2)
}

/// Seconds since 1970 of FAT date and time `stamp` (0 for a zero stamp).
pub fn unix_time(stamp: u32) -> i64 {
    if stamp == 0 {
        return 0;
    }
    let date = stamp >> 16;
    let time = stamp & 0xFFFF;
    let days = crate::modules::time::days_from_civil(
        1980 + i64::from(date >> 9),
        i64::from((date >> 5) & 15),
        i64::from(date & 31),
    );
    days * 86400 + i64::from(time >> 11) * 3600 + i64::from((time >> 5) & 63) * 60 + i64::from(time & 31) * 2
}

/// The path's components (paths are absolute and normalised).
fn parts(path: &str) -> Vec<&str> {
    path.split('/').filter(|p| !p.is_empty()).collect()
}

impl<'a> Volume<'a> {
    /// Mounts the volume on `dev` (`ENODEV` when it holds none).
    pub fn open(dev: &'a mut dyn BlockDevice, stamp: u32) -> Result<Volume<'a>, i32> {
        let mut disk = Disk::new(dev)?;
        let g = boot::mount(&mut disk)?;
        Ok(Volume { disk, g, stamp, fat_changed: false })
    }

    /// Formats `dev` (see [`boot::mkfs`]).
    pub fn mkfs(dev: &mut dyn BlockDevice, stamp: u32) -> Result<(), i32> {
        let mut disk = Disk::new(dev)?;
        boot::mkfs(&mut disk, stamp)
    }

    /// The volume's geometry.
    pub fn geometry(&self) -> &Geometry {
        &self.g
    }

    /// Writes back what the operation changed; `r` is its result.
    pub fn finish<T>(mut self, r: Result<T, i32>) -> Result<T, i32> {
        if self.fat_changed {
            if let Some(lba) = self.g.fsinfo {
                // The free count is no longer known; the next mount counts.
                if let Ok(b) = self.disk.modify(lba) {
                    if b[0..4] == [0x52, 0x52, 0x61, 0x41] {
                        b[488..492].copy_from_slice(&u32::MAX.to_le_bytes());
                    }
                }
            }
        }
        let f = self.disk.flush();
        let v = r?;
        f.map(|_| v)
    }

    fn lookup(&mut self, path: &str) -> Result<Node, i32> {
        let ps = parts(path);
        let mut d = DirRef::root(&self.g);
        for (i, p) in ps.iter().enumerate() {
            let entries = dir::read(&mut self.disk, &self.g, d)?;
            let e = dir::find(&entries, p).ok_or(ENOENT)?;
            if i + 1 == ps.len() {
                return Ok(Node::Entry(d, e));
            }
            if !e.is_dir() {
                return Err(ENOENT);
            }
            d = self.dir_of(&e);
        }
        Ok(Node::Root)
    }

    fn dir_of(&self, e: &Entry) -> DirRef {
        if e.cluster == 0 {
            DirRef::root(&self.g)
        } else {
            DirRef::Chain(e.cluster)
        }
    }

    /// The directory `path` names (`ENOENT` if it names a file).
    fn dir_at(&mut self, path: &str) -> Result<DirRef, i32> {
        match self.lookup(path)? {
            Node::Root => Ok(DirRef::root(&self.g)),
            Node::Entry(_, e) if e.is_dir() => Ok(self.dir_of(&e)),
            Node::Entry(..) => Err(ENOENT),
        }
    }

    /// The directory holding `path` and the (checked) last component.
    fn parent_of<'p>(&mut self, path: &'p str) -> Result<(DirRef, &'p str), i32> {
        let trimmed = path.trim_end_matches('/');
        let (dirpath, last) = match trimmed.rfind('/') {
            Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
            None => ("", trimmed),
        };
        let d = self.dir_at(dirpath)?;
        Ok((d, name::clean(last)?))
    }

    fn new_entry(&self, attr: u8, cluster: u32) -> Entry {
        Entry {
            name: String::new(),
            sfn: [b' '; 11],
            attr,
            cluster,
            size: 0,
            stamp: self.stamp,
            created: self.stamp,
            slot: 0,
            first_slot: 0,
        }
    }

    /// `stat`.
    pub fn stat(&mut self, path: &str) -> Result<Stat, i32> {
        match self.lookup(path)? {
            Node::Root => Ok(Stat::dir()),
            Node::Entry(_, e) => {
                let t = unix_time(e.stamp);
                let mode = if e.is_dir() { S_IFDIR } else { S_IFREG };
                let size = if e.is_dir() { 0 } else { u64::from(e.size) };
                Ok(Stat { mode, size, atime: t, mtime: t, ctime: t, ..Stat::default() })
            }
        }
    }

    /// The entries of directory `path`.
    pub fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        let d = self.dir_at(path)?;
        Ok(dir::read(&mut self.disk, &self.g, d)?
            .into_iter()
            .map(|e| DirEntry {
                is_dir: e.is_dir(),
                size: if e.is_dir() { 0 } else { u64::from(e.size) },
                ino: 0,
                name: e.name,
            })
            .collect())
    }

    /// `mkdir`.
    pub fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        if parts(path).is_empty() {
            return Err(EEXIST);
        }
        let (d, nm) = self.parent_of(path)?;
        if dir::find(&dir::read(&mut self.disk, &self.g, d)?, nm).is_some() {
            return Err(EEXIST);
        }
        let c = table::find_free(&mut self.disk, &self.g, 1)?[0];
        dir::zero_cluster(&mut self.disk, &self.g, c)?;
        dir::init_dots(&mut self.disk, &self.g, c, d.dotdot_cluster(&self.g), self.stamp)?;
        table::link(&mut self.disk, &self.g, 0, &[c])?;
        self.fat_changed = true;
        let proto = self.new_entry(ATTR_DIR, c);
        if let Err(e) = dir::add(&mut self.disk, &self.g, d, nm, &proto) {
            table::free(&mut self.disk, &self.g, &[c])?;
            return Err(e);
        }
        Ok(())
    }

    /// Removes entry `e` of `d` and frees its clusters (directories must be empty).
    fn unlink(&mut self, d: DirRef, e: &Entry) -> Result<(), i32> {
        if e.is_dir() {
            let inner = self.dir_of(e);
            if !dir::read(&mut self.disk, &self.g, inner)?.is_empty() {
                return Err(EACCES);
            }
        }
        let chain = table::chain(&mut self.disk, &self.g, e.cluster)?;
        dir::remove(&mut self.disk, &self.g, d, e)?;
        table::free(&mut self.disk, &self.g, &chain)?;
        self.fat_changed = true;
        Ok(())
    }

    /// `rmdir` (`EACCES` when not empty, `ENOTDIR` for a file).
    pub fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        match self.lookup(path)? {
            Node::Root => Err(EINVAL),
            Node::Entry(_, e) if !e.is_dir() => Err(ENOTDIR),
            Node::Entry(d, e) => self.unlink(d, &e),
        }
    }

    /// `remove` (`EISDIR` for a directory).
    pub fn remove(&mut self, path: &str) -> Result<(), i32> {
        match self.lookup(path)? {
            Node::Root => Err(EISDIR),
            Node::Entry(_, e) if e.is_dir() => Err(EISDIR),
            Node::Entry(d, e) => self.unlink(d, &e),
        }
    }

    /// `rename`: replaces an existing `to` (an empty directory, or a file).
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        let Node::Entry(fd, fe) = self.lookup(from)? else { return Err(EINVAL) };
        if from == to {
            return Ok(());
        }
        if fe.is_dir() && to.starts_with(&alloc::format!("{from}/")) {
            return Err(EINVAL);
        }
        if parts(to).is_empty() {
            return Err(EEXIST);
        }
        let (td, nm) = self.parent_of(to)?;
        let proto = Entry { slot: 0, first_slot: 0, ..fe.clone() };
        match dir::find(&dir::read(&mut self.disk, &self.g, td)?, nm) {
            Some(old) if td == fd && old.slot == fe.slot => {
                // A new spelling of the same name: the entry is written anew in place.
                dir::remove(&mut self.disk, &self.g, fd, &fe)?;
                if let Err(e) = dir::add(&mut self.disk, &self.g, td, nm, &proto) {
                    dir::add(&mut self.disk, &self.g, fd, &fe.name, &proto)?;
                    return Err(e);
                }
                return Ok(());
            }
            Some(old) => self.unlink(td, &old)?,
            None => {}
        }
        // As FatFs: the new entry first, then the old one goes.
        dir::add(&mut self.disk, &self.g, td, nm, &proto)?;
        dir::remove(&mut self.disk, &self.g, fd, &fe)?;
        if fe.is_dir() && td != fd && fe.cluster != 0 {
            dir::set_dotdot(&mut self.disk, &self.g, fe.cluster, td.dotdot_cluster(&self.g))?;
        }
        Ok(())
    }

    /// The contents of file `path`.
    pub fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        let e = match self.lookup(path)? {
            Node::Root => return Err(EISDIR),
            Node::Entry(_, e) if e.is_dir() => return Err(EISDIR),
            Node::Entry(_, e) => e,
        };
        let size = e.size as usize;
        let mut out = Vec::with_capacity(size);
        let chain = table::chain(&mut self.disk, &self.g, e.cluster)?;
        'outer: for c in chain {
            let s = self.g.cluster_sector(c);
            for lba in s..s + u64::from(self.g.spc) {
                if out.len() >= size {
                    break 'outer;
                }
                let sec = self.disk.read(lba)?;
                let n = (size - out.len()).min(sec.len());
                out.extend_from_slice(&sec[..n]);
            }
        }
        if out.len() < size {
            return Err(EIO);
        }
        Ok(out)
    }

    /// Replaces (or appends to) file `path`, creating it. Space is checked
    /// first: `ENOSPC` leaves the file as it was.
    pub fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        let (d, mut e) = match self.lookup(path) {
            Ok(Node::Root) => return Err(EISDIR),
            Ok(Node::Entry(_, e)) if e.is_dir() => return Err(EISDIR),
            Ok(Node::Entry(d, e)) => (d, e),
            Err(ENOENT) => {
                let (d, nm) = self.parent_of(path)?;
                let proto = self.new_entry(ATTR_ARCHIVE, 0);
                let e = dir::add(&mut self.disk, &self.g, d, nm, &proto)?;
                (d, e)
            }
            Err(err) => return Err(err),
        };
        let offset = if append { e.size as usize } else { 0 };
        let new_size = offset.checked_add(data.len()).filter(|&n| n <= u32::MAX as usize).ok_or(ENOSPC)?;
        let cb = self.g.cluster_bytes();
        let mut chain = table::chain(&mut self.disk, &self.g, e.cluster)?;
        let need = new_size.div_ceil(cb);
        if need > chain.len() {
            let more = table::find_free(&mut self.disk, &self.g, need - chain.len())?;
            table::link(&mut self.disk, &self.g, chain.last().copied().unwrap_or(0), &more)?;
            chain.extend(more);
            self.fat_changed = true;
        } else if need < chain.len() {
            table::free(&mut self.disk, &self.g, &chain[need..])?;
            if need > 0 {
                table::terminate(&mut self.disk, &self.g, chain[need - 1])?;
            }
            chain.truncate(need);
            self.fat_changed = true;
        }
        let ss = self.g.ss as usize;
        let mut pos = offset;
        while pos < new_size {
            let c = chain[pos / cb];
            let lba = self.g.cluster_sector(c) + ((pos % cb) / ss) as u64;
            let within = pos % ss;
            let n = (ss - within).min(new_size - pos);
            let src = &data[pos - offset..pos - offset + n];
            if n == ss {
                self.disk.overwrite(lba, src)?;
            } else {
                self.disk.modify(lba)?[within..within + n].copy_from_slice(src);
            }
            pos += n;
        }
        e.cluster = chain.first().copied().unwrap_or(0);
        e.size = new_size as u32;
        e.stamp = self.stamp;
        e.attr |= ATTR_ARCHIVE;
        dir::update(&mut self.disk, &self.g, d, &e)
    }

    /// `statvfs`: cluster size, clusters, free clusters, longest name.
    pub fn statvfs(&mut self) -> Result<StatVfs, i32> {
        let free = u64::from(table::count_free(&mut self.disk, &self.g)?);
        let bsize = self.g.cluster_bytes() as u64;
        Ok([bsize, bsize, u64::from(self.g.clusters), free, free, 0, 0, 0, 0, name::MAX_LFN as u64])
    }
}
