//! Word storage owned by the heap: either an owned, growable `Vec<u32>` (hosts,
//! tests) or a `&'static mut [u32]` region handed over by an embedder.
//!
//! Owned storage comes from the allocator's zeroed allocation (`calloc`): on
//! hosts a large one is fresh pages that cost no memory until first touched,
//! so an idle VM's resident size does not include its whole heap. That call
//! is the only `unsafe` of this module.
#![allow(unsafe_code)]

use alloc::vec::Vec;

use super::AllocError;

/// A vector of `len` zero words with room for `capacity` (>= `len`), all of
/// it zeroed by the allocator.
fn zeroed_words(len: usize, capacity: usize) -> Result<Vec<u32>, AllocError> {
    debug_assert!(capacity >= len);
    if capacity == 0 {
        return Ok(Vec::new());
    }
    let layout = core::alloc::Layout::array::<u32>(capacity).map_err(|_| AllocError::OutOfMemory)?;
    // SAFETY: `layout` has a non-zero size (capacity > 0 words of 4 bytes).
    let ptr = unsafe { alloc::alloc::alloc_zeroed(layout) }.cast::<u32>();
    if ptr.is_null() {
        return Err(AllocError::OutOfMemory);
    }
    // SAFETY: `ptr` comes from the global allocator with the layout of
    // `capacity` u32s (what `Vec<u32>` with that capacity uses), it is
    // non-null and aligned, and all its bytes are zero, which is a valid
    // `u32`, so the first `len <= capacity` elements are initialised.
    Ok(unsafe { Vec::from_raw_parts(ptr, len, capacity) })
}

/// Storage for 32-bit words.
#[derive(Debug)]
pub enum Backing {
    /// Memory from the global allocator; can grow (see [`Backing::grow_to`]).
    Owned(Vec<u32>),
    /// Memory provided by the embedder (a static arena); fixed size.
    Static(&'static mut [u32]),
}

impl Backing {
    /// `len` zeroed words from the global allocator, or `Err` if they can't be had.
    pub fn owned_zeroed(len: usize) -> Result<Backing, AllocError> {
        zeroed_words(len, len).map(Backing::Owned)
    }

    /// `len` zeroed words with room reserved for `capacity` words (best effort:
    /// if that much address space can't be had, only `len`). Reserving before
    /// the first write means the words are never copied to make room.
    pub fn owned_zeroed_with_capacity(len: usize, capacity: usize) -> Result<Backing, AllocError> {
        let words = match zeroed_words(len, capacity.max(len)) {
            Ok(words) => words,
            Err(_) => zeroed_words(len, len)?,
        };
        Ok(Backing::Owned(words))
    }

    /// The words.
    #[inline]
    pub fn as_slice(&self) -> &[u32] {
        match self {
            Backing::Owned(v) => v,
            Backing::Static(s) => s,
        }
    }

    /// The words, mutable.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [u32] {
        match self {
            Backing::Owned(v) => v,
            Backing::Static(s) => s,
        }
    }

    /// Number of words.
    #[inline]
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// True if there are no words.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reserves room for `total_words` words so growing up to that size never
    /// reallocates (best effort: nothing happens if the reservation fails).
    pub fn reserve_total(&mut self, total_words: usize) {
        if let Backing::Owned(v) = self {
            if total_words > v.len() {
                let _ = v.try_reserve_exact(total_words - v.len());
            }
        }
    }

    /// Grows owned storage to `new_len` zeroed-extended words. Existing words keep
    /// their indices (so heap offsets stay valid). Static storage can't grow.
    pub fn grow_to(&mut self, new_len: usize) -> Result<(), AllocError> {
        match self {
            Backing::Owned(v) => {
                if new_len > v.len() {
                    v.try_reserve_exact(new_len - v.len()).map_err(|_| AllocError::OutOfMemory)?;
                    v.resize(new_len, 0);
                }
                Ok(())
            }
            Backing::Static(s) if new_len <= s.len() => Ok(()),
            Backing::Static(_) => Err(AllocError::OutOfMemory),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;

    #[test]
    fn owned_grows_and_keeps_contents() {
        let mut b = Backing::owned_zeroed(4).unwrap();
        b.as_mut_slice()[1] = 7;
        b.grow_to(10).unwrap();
        assert_eq!(b.len(), 10);
        assert_eq!(b.as_slice()[1], 7);
        assert_eq!(b.as_slice()[9], 0);
    }

    #[test]
    fn static_does_not_grow() {
        let region: &'static mut [u32] = Box::leak(alloc::vec![0u32; 8].into_boxed_slice());
        let mut b = Backing::Static(region);
        assert!(b.grow_to(8).is_ok());
        assert_eq!(b.grow_to(9), Err(AllocError::OutOfMemory));
    }

    #[test]
    fn huge_request_fails_cleanly() {
        assert!(Backing::owned_zeroed(usize::MAX / 2).is_err());
    }
}
