//! Reads and writes of host memory mapped into the simulator
//! ([`Memory::map_host`](crate::Memory::map_host)): the crate's only `unsafe` code.
#![allow(unsafe_code)]

/// Copies `out.len()` host bytes at `addr` into `out`.
pub(crate) fn read(addr: usize, out: &mut [u8]) {
    // SAFETY: `addr..addr + out.len()` lies in a region mapped with
    // `Memory::map_host`, whose contract keeps it valid for reads and free of
    // live references while the simulator runs; bytes are copied unaligned.
    unsafe { core::ptr::copy_nonoverlapping(addr as *const u8, out.as_mut_ptr(), out.len()) }
}

/// Copies `bytes` to host memory at `addr`.
pub(crate) fn write(addr: usize, bytes: &[u8]) {
    // SAFETY: as in `read`; the region was mapped read-write (the caller checks
    // the permission before writing).
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), addr as *mut u8, bytes.len()) }
}
