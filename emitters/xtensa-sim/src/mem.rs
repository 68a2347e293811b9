//! Simulated memory: explicitly mapped regions, nothing else.
//!
//! Every access names its size; 16- and 32-bit accesses must be naturally
//! aligned (the Xtensa cores ferropy targets raise an alignment exception
//! otherwise); an access outside every region, a write to a read-only region
//! or an instruction fetch outside an executable region is an error.
//!
//! A region's bytes are either owned by the simulator or, on 32-bit hosts,
//! host memory mapped at its own address ([`Memory::map_host`]), so that a
//! runtime's objects and buffers are visible to the simulated code unchanged.

use std::fmt;

/// What a region allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Perm {
    /// Read and execute (code with its literal pool).
    Exec,
    /// Read only.
    Read,
    /// Read and write.
    ReadWrite,
}

/// Where a region's bytes are.
#[derive(Clone, Debug)]
pub enum Backing {
    /// Owned by the simulator.
    Owned(Vec<u8>),
    /// Host memory at the region's own address, this many bytes.
    Host(usize),
}

/// One mapped region.
#[derive(Clone, Debug)]
pub struct Region {
    /// Name shown in errors.
    pub name: String,
    /// First address.
    pub base: u32,
    /// Contents.
    pub backing: Backing,
    /// Permissions.
    pub perm: Perm,
}

impl Region {
    /// Length in bytes.
    pub fn len(&self) -> usize {
        match &self.backing {
            Backing::Owned(v) => v.len(),
            Backing::Host(n) => *n,
        }
    }

    /// True if the region is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read_into(&self, off: usize, out: &mut [u8]) {
        match &self.backing {
            Backing::Owned(v) => out.copy_from_slice(&v[off..off + out.len()]),
            Backing::Host(_) => crate::host::read(self.base as usize + off, out),
        }
    }

    fn write_from(&mut self, off: usize, bytes: &[u8]) {
        match &mut self.backing {
            Backing::Owned(v) => v[off..off + bytes.len()].copy_from_slice(bytes),
            Backing::Host(_) => crate::host::write(self.base as usize + off, bytes),
        }
    }
}

/// Why an access failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemFault {
    /// No region holds the address (or the access crosses a region's end).
    Unmapped {
        /// The address.
        addr: u32,
        /// Access size in bytes.
        size: u32,
    },
    /// A 2- or 4-byte access at an address not a multiple of its size.
    Unaligned {
        /// The address.
        addr: u32,
        /// Access size in bytes.
        size: u32,
    },
    /// A write to a read-only or executable region.
    ReadOnly {
        /// The address.
        addr: u32,
    },
    /// An instruction fetch outside executable memory.
    NotExecutable {
        /// The address.
        addr: u32,
    },
}

impl fmt::Display for MemFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemFault::Unmapped { addr, size } => write!(f, "unmapped {size}-byte access at {addr:#010x}"),
            MemFault::Unaligned { addr, size } => write!(f, "unaligned {size}-byte access at {addr:#010x}"),
            MemFault::ReadOnly { addr } => write!(f, "write to read-only memory at {addr:#010x}"),
            MemFault::NotExecutable { addr } => {
                write!(f, "instruction fetch from non-executable memory at {addr:#010x}")
            }
        }
    }
}

/// The address space.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    regions: Vec<Region>,
}

impl Memory {
    /// No regions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `data` at `base`. Fails if it overlaps a mapped region or wraps around.
    pub fn map(&mut self, name: &str, base: u32, data: Vec<u8>, perm: Perm) -> Result<(), String> {
        self.add(Region { name: name.to_string(), base, backing: Backing::Owned(data), perm })
    }

    /// Maps `len` bytes of host memory at `addr` at the same simulated
    /// address. Fails on 64-bit hosts for addresses beyond 32 bits, and like
    /// [`Memory::map`].
    ///
    /// # Safety
    /// The bytes must stay valid for reads (and for writes if `perm` is
    /// [`Perm::ReadWrite`]) as long as they are mapped, and no Rust reference
    /// to them may be used while the simulator runs (host functions may use
    /// them: the simulator only touches the bytes while executing an instruction).
    #[allow(unsafe_code)]
    pub unsafe fn map_host(&mut self, name: &str, addr: usize, len: usize, perm: Perm) -> Result<(), String> {
        let base = u32::try_from(addr).map_err(|_| format!("region {name} at {addr:#x} is beyond 32 bits"))?;
        self.add(Region { name: name.to_string(), base, backing: Backing::Host(len), perm })
    }

    /// Removes the region named `name` (if mapped).
    pub fn unmap(&mut self, name: &str) {
        self.regions.retain(|r| r.name != name);
    }

    fn add(&mut self, region: Region) -> Result<(), String> {
        let (base, name) = (region.base, &region.name);
        let end = u64::from(base) + region.len() as u64;
        if end > 1 << 32 {
            return Err(format!("region {name} wraps around the address space"));
        }
        for r in &self.regions {
            let r_end = u64::from(r.base) + r.len() as u64;
            if u64::from(base) < r_end && u64::from(r.base) < end {
                return Err(format!("region {name} overlaps region {}", r.name));
            }
        }
        self.regions.push(region);
        Ok(())
    }

    /// The regions.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    fn find(&self, addr: u32, size: u32) -> Result<(usize, usize), MemFault> {
        for (i, r) in self.regions.iter().enumerate() {
            let off = u64::from(addr).wrapping_sub(u64::from(r.base));
            if addr >= r.base && off + u64::from(size) <= r.len() as u64 {
                return Ok((i, off as usize));
            }
        }
        Err(MemFault::Unmapped { addr, size })
    }

    fn check_align(addr: u32, size: u32) -> Result<(), MemFault> {
        if addr % size != 0 {
            Err(MemFault::Unaligned { addr, size })
        } else {
            Ok(())
        }
    }

    /// Reads `size` (1, 2 or 4) bytes, little-endian, zero-extended.
    pub fn read(&self, addr: u32, size: u32) -> Result<u32, MemFault> {
        Self::check_align(addr, size)?;
        let (i, off) = self.find(addr, size)?;
        let mut d = [0u8; 4];
        self.regions[i].read_into(off, &mut d[..size as usize]);
        Ok(u32::from_le_bytes(d))
    }

    /// Writes the low `size` (1, 2 or 4) bytes of `value`.
    pub fn write(&mut self, addr: u32, size: u32, value: u32) -> Result<(), MemFault> {
        Self::check_align(addr, size)?;
        let (i, off) = self.find(addr, size)?;
        let r = &mut self.regions[i];
        if r.perm != Perm::ReadWrite {
            return Err(MemFault::ReadOnly { addr });
        }
        r.write_from(off, &value.to_le_bytes()[..size as usize]);
        Ok(())
    }

    /// Up to 3 instruction bytes at `addr` (fewer at a region's end), and how many.
    pub fn fetch(&self, addr: u32) -> Result<([u8; 3], usize), MemFault> {
        let (i, off) = self.find(addr, 1)?;
        let r = &self.regions[i];
        if r.perm != Perm::Exec {
            return Err(MemFault::NotExecutable { addr });
        }
        let n = (r.len() - off).min(3);
        let mut b = [0u8; 3];
        r.read_into(off, &mut b[..n]);
        Ok((b, n))
    }

    /// Reads `len` bytes (any alignment), for tests and hosts.
    pub fn read_bytes(&self, addr: u32, len: usize) -> Result<Vec<u8>, MemFault> {
        let size = u32::try_from(len).map_err(|_| MemFault::Unmapped { addr, size: u32::MAX })?;
        let (i, off) = self.find(addr, size)?;
        let mut v = vec![0; len];
        self.regions[i].read_into(off, &mut v);
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accesses_are_checked() {
        let mut m = Memory::new();
        m.map("ram", 0x1000, vec![0; 16], Perm::ReadWrite).unwrap();
        m.map("rom", 0x2000, vec![1, 2, 3, 4], Perm::Read).unwrap();
        assert!(m.map("bad", 0x100C, vec![0; 8], Perm::Read).is_err());
        assert!(m.map("wrap", 0xFFFF_FFFF, vec![0; 2], Perm::Read).is_err());
        m.write(0x1004, 4, 0xAABBCCDD).unwrap();
        assert_eq!(m.read(0x1004, 2), Ok(0xCCDD));
        assert_eq!(m.read(0x1007, 1), Ok(0xAA));
        assert_eq!(m.read(0x2000, 4), Ok(0x04030201));
        assert_eq!(m.read(0x1002, 4), Err(MemFault::Unaligned { addr: 0x1002, size: 4 }));
        assert_eq!(m.read(0x1010, 1), Err(MemFault::Unmapped { addr: 0x1010, size: 1 }));
        assert_eq!(m.read(0x100E, 4), Err(MemFault::Unaligned { addr: 0x100E, size: 4 }));
        assert_eq!(m.read(0x100C, 8 / 2), Ok(0));
        assert_eq!(m.write(0x2000, 1, 0), Err(MemFault::ReadOnly { addr: 0x2000 }));
        assert_eq!(m.fetch(0x1000), Err(MemFault::NotExecutable { addr: 0x1000 }));
        assert!(m.read_bytes(0x1000, 17).is_err());
        assert!(MemFault::Unmapped { addr: 1, size: 4 }.to_string().contains("0x00000001"));
        m.unmap("rom");
        assert!(m.read(0x2000, 1).is_err());
    }

    #[test]
    #[allow(unsafe_code)]
    fn host_memory_is_shared() {
        let mut buf = vec![1u8, 2, 3, 4, 5, 6, 7, 8];
        let addr = buf.as_mut_ptr() as usize;
        let mut m = Memory::new();
        // SAFETY: `buf` outlives `m`'s use below and is not used while mapped.
        let mapped = unsafe { m.map_host("buf", addr, buf.len(), Perm::ReadWrite) };
        if u32::try_from(addr).is_err() {
            // 64-bit host with a high address: refused, as documented.
            assert!(mapped.is_err());
            return;
        }
        mapped.unwrap();
        let a = addr as u32;
        if a % 4 == 0 {
            assert_eq!(m.read(a + 4, 4), Ok(0x0807_0605));
        }
        m.write(a + 1, 1, 0xAA).unwrap();
        assert_eq!(m.read_bytes(a, 3).unwrap(), vec![1, 0xAA, 3]);
        assert!(m.read(a + 8, 1).is_err());
        drop(m);
        assert_eq!(buf[1], 0xAA);
    }
}
