//! Executable memory for emitted code, W^X: the pages are mapped read-write, the
//! code is copied in, then the pages are switched to read-execute. They are never
//! writable and executable at once, and are unmapped on drop.

use std::io;

/// A read-execute mapping holding a copy of some machine code.
#[derive(Debug)]
pub struct ExecutableCode {
    ptr: *mut libc::c_void,
    map_len: usize,
    code_len: usize,
}

// SAFETY: the mapping is owned by this value alone and is never written after
// `new` returns (it is read-execute), so moving or sharing it across threads is sound.
unsafe impl Send for ExecutableCode {}
// SAFETY: as above; all methods take `&self` and only read the immutable mapping.
unsafe impl Sync for ExecutableCode {}

impl ExecutableCode {
    /// Maps `code` executable. Fails if the OS refuses the mapping or protection change.
    pub fn new(code: &[u8]) -> io::Result<Self> {
        let page = page_size();
        let map_len = code.len().max(1).div_ceil(page).saturating_mul(page);
        // SAFETY: anonymous private mapping with a null hint; no existing memory is affected.
        let ptr = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let mapping = ExecutableCode { ptr, map_len, code_len: code.len() };
        // SAFETY: the mapping is `map_len >= code.len()` bytes, writable, and not aliased
        // by any Rust reference; `code` is a distinct allocation.
        unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), ptr.cast::<u8>(), code.len()) };
        // SAFETY: `ptr`/`map_len` describe exactly the mapping created above.
        let rc = unsafe { libc::mprotect(ptr, map_len, libc::PROT_READ | libc::PROT_EXEC) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(mapping)
    }

    /// Address of the byte at `offset` in the code, or `None` past its end.
    pub fn addr(&self, offset: usize) -> Option<*const u8> {
        (offset < self.code_len).then(|| self.ptr.cast::<u8>().wrapping_add(offset).cast_const())
    }

    /// Length of the code in bytes.
    pub fn len(&self) -> usize {
        self.code_len
    }

    /// True if the code is empty.
    pub fn is_empty(&self) -> bool {
        self.code_len == 0
    }

    /// The code at `offset` as a function pointer of type `F`, or `None` past the end
    /// or if `F` is not pointer-sized.
    ///
    /// # Safety
    /// `F` must be an `extern "C"` function pointer type whose signature matches
    /// what the code at `offset` does, and the returned pointer must not be called
    /// after `self` is dropped.
    pub unsafe fn function<F: Copy>(&self, offset: usize) -> Option<F> {
        let addr = self.addr(offset)?;
        if core::mem::size_of::<F>() != core::mem::size_of::<*const u8>() {
            return None;
        }
        // SAFETY: sizes are equal (checked above); the caller guarantees `F` is a
        // function pointer type matching the code.
        Some(unsafe { core::mem::transmute_copy::<*const u8, F>(&addr) })
    }
}

/// The signature of a native function's entry point (`native_abi`):
/// `entry(ctx, state, words, resume) -> status`.
pub type NativeEntry = extern "C" fn(usize, usize, usize, usize) -> usize;

impl ExecutableCode {
    /// Calls the code at offset 0 as a native function's entry point.
    ///
    /// The caller must pass a context block and slot arrays laid out as the
    /// emitter that produced the code expects (`ferropy_bytecode::native_abi`);
    /// returns 0 if the code is empty.
    pub fn call_entry(&self, ctx: usize, state: usize, words: usize, resume: usize) -> usize {
        // SAFETY: the code at offset 0 was produced by ferropy's native emitter,
        // whose entry point has the `NativeEntry` signature, and `self` outlives the call.
        match unsafe { self.function::<NativeEntry>(0) } {
            Some(f) => f(ctx, state, words, resume),
            None => 0,
        }
    }
}

impl Drop for ExecutableCode {
    fn drop(&mut self) {
        // SAFETY: `ptr`/`map_len` describe the mapping created in `new`, unmapped only here.
        unsafe {
            libc::munmap(self.ptr, self.map_len);
        }
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no memory-safety preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size).ok().filter(|s| *s > 0).unwrap_or(4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_runs_a_return_constant() {
        // mov eax, 42; ret
        let code = ExecutableCode::new(&[0xB8, 42, 0, 0, 0, 0xC3]).unwrap();
        assert_eq!(code.len(), 6);
        // SAFETY: the bytes above are a complete function returning 42.
        let f: extern "C" fn() -> u64 = unsafe { code.function(0) }.unwrap();
        assert_eq!(f(), 42);
        assert!(code.addr(6).is_none());
    }
}
