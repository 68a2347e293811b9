//! [`MemVfs`]: a file system held in memory (a map from absolute path to
//! directory or file contents). Used by tests and by programs that want a
//! scratch file system (`vfs.VfsMem()` from Python).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{DirEntry, Stat, StatVfs, Vfs, EEXIST, EINVAL, EISDIR, ENOENT, ENOSPC, ENOTDIR, ENOTEMPTY};

#[derive(Clone, Debug)]
enum Node {
    Dir,
    File(Vec<u8>),
}

/// An in-memory file system with an optional size limit (bytes of file data).
#[derive(Clone, Debug)]
pub struct MemVfs {
    nodes: BTreeMap<String, Node>,
    limit: usize,
}

impl Default for MemVfs {
    fn default() -> MemVfs {
        MemVfs::new()
    }
}

/// The parent directory of normalised path `p` (`/` for top-level entries).
fn parent(p: &str) -> &str {
    match p.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &p[..i],
    }
}

impl MemVfs {
    /// An empty file system with no size limit.
    pub fn new() -> MemVfs {
        MemVfs::with_limit(usize::MAX)
    }

    /// An empty file system holding at most `limit` bytes of file data
    /// (writes beyond it fail with `ENOSPC`).
    pub fn with_limit(limit: usize) -> MemVfs {
        let mut nodes = BTreeMap::new();
        nodes.insert("/".to_string(), Node::Dir);
        MemVfs { nodes, limit }
    }

    fn used(&self) -> usize {
        self.nodes.values().map(|n| if let Node::File(d) = n { d.len() } else { 0 }).sum()
    }

    /// Checks that the parent of `p` is an existing directory.
    fn check_parent(&self, p: &str) -> Result<(), i32> {
        match self.nodes.get(parent(p)) {
            Some(Node::Dir) => Ok(()),
            Some(Node::File(_)) => Err(ENOTDIR),
            None => Err(ENOENT),
        }
    }

    /// Paths strictly below directory `p`.
    fn children<'a>(&'a self, p: &'a str) -> impl Iterator<Item = (&'a String, &'a Node)> + 'a {
        let prefix = if p == "/" { String::from("/") } else { alloc::format!("{p}/") };
        self.nodes.range(prefix.clone()..).take_while(move |(k, _)| k.starts_with(&prefix))
    }
}

impl Vfs for MemVfs {
    fn stat(&mut self, path: &str) -> Result<Stat, i32> {
        match self.nodes.get(path) {
            Some(Node::Dir) => Ok(Stat::dir()),
            Some(Node::File(d)) => Ok(Stat::file(d.len() as u64)),
            None => Err(ENOENT),
        }
    }

    fn list_dir(&mut self, path: &str) -> Result<Vec<DirEntry>, i32> {
        match self.nodes.get(path) {
            Some(Node::Dir) => {}
            Some(Node::File(_)) => return Err(ENOTDIR),
            None => return Err(ENOENT),
        }
        let skip = if path == "/" { 1 } else { path.len() + 1 };
        Ok(self
            .children(path)
            .filter(|(k, _)| k != &"/" && !k[skip..].contains('/'))
            .map(|(k, n)| DirEntry {
                name: k[skip..].to_string(),
                is_dir: matches!(n, Node::Dir),
                ino: 0,
                size: if let Node::File(d) = n { d.len() as u64 } else { 0 },
            })
            .collect())
    }

    fn mkdir(&mut self, path: &str) -> Result<(), i32> {
        if self.nodes.contains_key(path) {
            return Err(EEXIST);
        }
        self.check_parent(path)?;
        self.nodes.insert(path.to_string(), Node::Dir);
        Ok(())
    }

    fn rmdir(&mut self, path: &str) -> Result<(), i32> {
        match self.nodes.get(path) {
            Some(Node::Dir) if path == "/" => Err(EINVAL),
            Some(Node::Dir) if self.children(path).next().is_some() => Err(ENOTEMPTY),
            Some(Node::Dir) => {
                self.nodes.remove(path);
                Ok(())
            }
            Some(Node::File(_)) => Err(ENOTDIR),
            None => Err(ENOENT),
        }
    }

    fn remove(&mut self, path: &str) -> Result<(), i32> {
        match self.nodes.get(path) {
            Some(Node::File(_)) => {
                self.nodes.remove(path);
                Ok(())
            }
            Some(Node::Dir) => Err(EISDIR),
            None => Err(ENOENT),
        }
    }

    fn rename(&mut self, from: &str, to: &str) -> Result<(), i32> {
        let Some(node) = self.nodes.get(from).cloned() else { return Err(ENOENT) };
        if from == to {
            return Ok(());
        }
        self.check_parent(to)?;
        match (&node, self.nodes.get(to)) {
            (Node::Dir, _) if to.starts_with(&alloc::format!("{from}/")) => return Err(EINVAL),
            (Node::Dir, Some(Node::File(_))) => return Err(ENOTDIR),
            (Node::File(_), Some(Node::Dir)) => return Err(EISDIR),
            (Node::Dir, Some(Node::Dir)) if self.children(to).next().is_some() => return Err(ENOTEMPTY),
            _ => {}
        }
        // Move the entry and, for a directory, everything below it.
        let moved: Vec<String> = self.children(from).map(|(k, _)| k.clone()).collect();
        self.nodes.remove(from);
        self.nodes.insert(to.to_string(), node);
        for k in moved {
            if let Some(n) = self.nodes.remove(&k) {
                self.nodes.insert(alloc::format!("{to}{}", &k[from.len()..]), n);
            }
        }
        Ok(())
    }

    fn read_file(&mut self, path: &str) -> Result<Vec<u8>, i32> {
        match self.nodes.get(path) {
            Some(Node::File(d)) => Ok(d.clone()),
            Some(Node::Dir) => Err(EISDIR),
            None => Err(ENOENT),
        }
    }

    fn write_file(&mut self, path: &str, data: &[u8], append: bool) -> Result<(), i32> {
        let old = match self.nodes.get(path) {
            Some(Node::Dir) => return Err(EISDIR),
            Some(Node::File(d)) => d.len(),
            None => {
                self.check_parent(path)?;
                0
            }
        };
        let new_len = if append { old + data.len() } else { data.len() };
        if self.used() - old + new_len > self.limit {
            return Err(ENOSPC);
        }
        let entry = self.nodes.entry(path.to_string()).or_insert_with(|| Node::File(Vec::new()));
        if let Node::File(d) = entry {
            if !append {
                d.clear();
            }
            d.extend_from_slice(data);
        }
        Ok(())
    }

    fn statvfs(&mut self, _path: &str) -> Result<StatVfs, i32> {
        let bsize = 512u64;
        let total = if self.limit == usize::MAX { u32::MAX as u64 } else { self.limit as u64 / bsize };
        let free = total.saturating_sub((self.used() as u64).div_ceil(bsize));
        Ok([bsize, bsize, total, free, free, 0, 0, 0, 0, 255])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_dirs() {
        let mut fs = MemVfs::new();
        fs.mkdir("/d").unwrap();
        assert_eq!(fs.mkdir("/d"), Err(EEXIST));
        assert_eq!(fs.mkdir("/x/y"), Err(ENOENT));
        fs.write_file("/d/f", b"ab", false).unwrap();
        fs.write_file("/d/f", b"c", true).unwrap();
        assert_eq!(fs.read_file("/d/f").unwrap(), b"abc");
        assert_eq!(fs.stat("/d/f").unwrap().size, 3);
        assert_eq!(fs.rmdir("/d"), Err(ENOTEMPTY));
        assert_eq!(fs.list_dir("/").unwrap().len(), 1);
        fs.rename("/d", "/e").unwrap();
        assert_eq!(fs.read_file("/e/f").unwrap(), b"abc");
        assert_eq!(fs.read_file("/d/f"), Err(ENOENT));
        assert_eq!(fs.remove("/e"), Err(EISDIR));
        fs.remove("/e/f").unwrap();
        fs.rmdir("/e").unwrap();
        assert!(fs.list_dir("/").unwrap().is_empty());
    }

    #[test]
    fn size_limit() {
        let mut fs = MemVfs::with_limit(4);
        fs.write_file("/a", b"1234", false).unwrap();
        assert_eq!(fs.write_file("/b", b"5", false), Err(ENOSPC));
        fs.write_file("/a", b"12", false).unwrap();
        fs.write_file("/b", b"34", false).unwrap();
    }
}
