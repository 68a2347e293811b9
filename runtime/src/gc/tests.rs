//! Collector tests: allocation, free, realloc, collection (precise and
//! conservative), mark-stack overflow, finalisers, threshold, locking, memory
//! errors, host-heap growth and stress mode.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::hint::black_box;

use super::stack_scan::with_stack_top;
use super::*;

/// A type word for test objects (any non-NULL reference will do).
fn test_type() -> u32 {
    Obj::builtin_type(7).map_or(0, Obj::raw)
}

fn arena(bytes: usize) -> (HeapWords, ArenaGc) {
    ArenaGc::new_owned(bytes).expect("arena")
}

/// Allocates an object of `n_words` words with the test type and `payload` in word 1.
fn new_obj(heap: &mut HeapWords, gc: &mut dyn Gc, n_words: usize, payload: u32) -> Obj {
    let obj = gc.alloc(heap, n_words * 4, false, &mut ()).expect("alloc");
    assert!(heap.store(obj, 0, test_type()));
    assert!(heap.store(obj, 1, payload));
    obj
}

#[test]
fn allocations_are_zeroed_distinct_and_block_aligned() {
    let (mut heap, mut gc) = arena(1024);
    let a = gc.alloc(&mut heap, 10, false, &mut ()).unwrap();
    heap.words_mut().fill(0xFFFF_FFFF);
    let b = gc.alloc(&mut heap, 40, false, &mut ()).unwrap();
    assert_ne!(a, b);
    assert!(a.is_heap_ref() && b.is_heap_ref());
    assert_eq!(a.raw() % 16, 0);
    assert_eq!(gc.alloc_size(a), Some(16));
    assert_eq!(gc.alloc_size(b), Some(48));
    assert_eq!(heap.object_words(b, 12), Some(&[0u32; 12][..]));
    assert_eq!(gc.alloc(&mut heap, 0, false, &mut ()), Ok(Obj::NULL));
    assert!(!gc.is_allocated(Obj::NONE));
    assert!(!gc.is_allocated(Obj::from_raw(b.raw() + 16)), "interior block");
}

#[test]
fn empty_list_shaped_object_is_one_block() {
    // type, alloc, len, items: 4 words = 16 bytes = exactly one block.
    let (mut heap, mut gc) = arena(256);
    let before = gc.stats().used_bytes;
    let list = gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    assert_eq!(gc.stats().used_bytes - before, 16);
    assert_eq!(gc.alloc_size(list), Some(16));
}

#[test]
fn stats_count_allocations_by_size_and_the_map_shows_them() {
    let (mut heap, mut gc) = arena(1024);
    let base = gc.stats();
    gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    gc.alloc(&mut heap, 32, false, &mut ()).unwrap();
    gc.alloc(&mut heap, 80, false, &mut ()).unwrap();
    let s = gc.stats();
    assert_eq!(s.one_block_objects - base.one_block_objects, 2);
    assert_eq!(s.two_block_objects - base.two_block_objects, 1);
    assert_eq!(s.largest_object_blocks, 5);
    assert_eq!(s.objects - base.objects, 4);
    // Block 0 is reserved; then h, h, h=, h====, and free blocks to the end.
    let map = gc.block_map();
    assert_eq!(map.len(), 1024 / 16);
    let used: Vec<u8> = map.iter().copied().skip(1).take(9).collect();
    assert_eq!(used, b"hhh=h====");
    assert!(map[10..].iter().all(|&c| c == b'.'));
}

#[test]
fn free_reuses_holes_first_fit() {
    let (mut heap, mut gc) = arena(1024);
    let a = new_obj(&mut heap, &mut gc, 4, 1);
    let b = new_obj(&mut heap, &mut gc, 4, 2);
    let c = new_obj(&mut heap, &mut gc, 4, 3);
    assert!(gc.free(&mut heap, b));
    assert!(!gc.free(&mut heap, b), "double free is refused");
    assert!(!gc.is_allocated(b));
    // A two-block request does not fit the one-block hole.
    let d = gc.alloc(&mut heap, 32, false, &mut ()).unwrap();
    assert!(d.raw() > c.raw());
    // A one-block request does.
    let e = gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    assert_eq!(e, b);
    assert_eq!(heap.load(a, 1), Some(1));
    assert_eq!(heap.load(c, 1), Some(3));
}

#[test]
fn realloc_grows_in_place_moves_and_shrinks() {
    let (mut heap, mut gc) = arena(1024);
    let a = new_obj(&mut heap, &mut gc, 4, 11);
    // Nothing after `a`: grows in place.
    let a2 = gc.realloc(&mut heap, a, 48, true, &mut ()).unwrap();
    assert_eq!(a2, a);
    assert_eq!(gc.alloc_size(a), Some(48));
    assert_eq!(heap.load(a, 1), Some(11));
    assert_eq!(heap.load(a, 11), Some(0));
    // Block `a` in: now it must move.
    let wall = new_obj(&mut heap, &mut gc, 4, 99);
    assert!(heap.store(a, 11, 0xABCD));
    assert_eq!(gc.realloc(&mut heap, a, 64, false, &mut ()), Err(AllocError::OutOfMemory));
    let moved = gc.realloc(&mut heap, a, 64, true, &mut ()).unwrap();
    assert_ne!(moved, a);
    assert!(!gc.is_allocated(a));
    assert_eq!(heap.load(moved, 1), Some(11));
    assert_eq!(heap.load(moved, 11), Some(0xABCD));
    assert_eq!(heap.load(moved, 15), Some(0));
    assert_eq!(heap.load(wall, 1), Some(99));
    // Shrink in place, and the freed tail is reusable.
    assert_eq!(gc.realloc(&mut heap, moved, 16, true, &mut ()), Ok(moved));
    assert_eq!(gc.alloc_size(moved), Some(16));
    let next = gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    assert!(next.raw() < moved.raw() + 64);
    // NULL allocates; 0 bytes frees; a non-object is refused.
    let fresh = gc.realloc(&mut heap, Obj::NULL, 16, true, &mut ()).unwrap();
    assert!(gc.is_allocated(fresh));
    assert_eq!(gc.realloc(&mut heap, fresh, 0, true, &mut ()), Ok(Obj::NULL));
    assert!(!gc.is_allocated(fresh));
    assert_eq!(gc.realloc(&mut heap, Obj::TRUE, 16, true, &mut ()), Err(AllocError::NotHeapObject));
}

#[test]
fn realloc_keeps_the_old_object_alive_while_it_collects() {
    // The only reference to `obj` is the realloc argument; the move needs a
    // collection (the heap is full of garbage). Precise mode: no stack scan.
    let (mut heap, mut gc) = arena(16 * 17);
    let obj = new_obj(&mut heap, &mut gc, 4, 0x1234);
    let wall = new_obj(&mut heap, &mut gc, 4, 1);
    gc.set_enabled(false);
    while gc.alloc(&mut heap, 16, false, &mut ()).is_ok() {}
    gc.set_enabled(true);
    let mut roots = vec![wall];
    let moved = gc.realloc(&mut heap, obj, 64, true, &mut roots).unwrap();
    assert_eq!(heap.load(moved, 0), Some(test_type()));
    assert_eq!(heap.load(moved, 1), Some(0x1234));
}

/// Builds a singly linked list of `n` nodes (word 2 = next) and returns its head.
fn linked_list(heap: &mut HeapWords, gc: &mut dyn Gc, n: u32) -> Obj {
    let mut head = Obj::NULL;
    for i in 0..n {
        let node = gc.alloc(heap, 16, false, &mut vec![head]).unwrap();
        heap.store(node, 0, test_type());
        heap.store(node, 1, i);
        heap.store_obj(node, 2, head);
        head = node;
    }
    head
}

fn list_len_and_sum(heap: &HeapWords, mut node: Obj) -> (u32, u64) {
    let (mut n, mut sum) = (0, 0u64);
    while node.is_heap_ref() {
        n += 1;
        sum += u64::from(heap.load(node, 1).unwrap());
        node = heap.load_obj(node, 2).unwrap();
    }
    (n, sum)
}

#[test]
fn collection_keeps_the_reachable_and_frees_the_rest() {
    let (mut heap, mut gc) = arena(64 * 1024);
    let kept = linked_list(&mut heap, &mut gc, 100);
    let dropped = linked_list(&mut heap, &mut gc, 50);
    let used_before = gc.stats().used_bytes;
    let freed = gc.collect(&mut heap, &mut vec![kept]);
    assert_eq!(freed, 50);
    assert!(!gc.is_allocated(dropped));
    assert_eq!(list_len_and_sum(&heap, kept), (100, 4950));
    assert_eq!(gc.stats().used_bytes, used_before - 50 * 16);
    assert_eq!(gc.stats().collections, 1);
    // A second collection with no roots frees everything.
    assert_eq!(gc.collect(&mut heap, &mut ()), 100);
    assert_eq!(gc.stats().used_bytes, 0);
    assert_eq!(gc.stats().objects, 0);
}

#[test]
fn long_chains_are_marked_without_recursion() {
    let (mut heap, mut gc) = arena(256 * 1024);
    let head = linked_list(&mut heap, &mut gc, 5000);
    gc.collect(&mut heap, &mut vec![head]);
    assert_eq!(list_len_and_sum(&heap, head), (5000, 4999 * 5000 / 2));
}

#[test]
fn mark_stack_overflow_rescans_the_table() {
    // A wide node: 200 children (more than the 64-entry mark stack), each the
    // head of a short chain, so children whose push overflowed still have
    // unmarked descendants that only the rescan can find.
    let (mut heap, mut gc) = arena(256 * 1024);
    let width = 200;
    let wide = gc.alloc(&mut heap, (width + 1) * 4, false, &mut ()).unwrap();
    heap.store(wide, 0, test_type());
    for i in 0..width {
        let chain = linked_list(&mut heap, &mut gc, 3);
        heap.store_obj(wide, i + 1, chain);
        // Interleave garbage so freed blocks sit between live ones.
        let _ = gc.alloc(&mut heap, 16, false, &mut ());
    }
    let freed = gc.collect(&mut heap, &mut vec![wide]);
    assert_eq!(freed, width);
    assert!(gc.core().overflow_rescans() >= 1);
    for i in 0..width {
        let chain = heap.load_obj(wide, i + 1).unwrap();
        assert_eq!(list_len_and_sum(&heap, chain), (3, 3));
    }
    assert_eq!(gc.stats().objects, 1 + width * 3);
}

#[test]
fn mark_stack_overflow_with_deep_wide_tree() {
    // Tree of fan-out 80 and depth 3: 1 + 80 + 6400 nodes.
    let (mut heap, mut gc) = arena(1024 * 1024);
    let fan = 80;
    let root = gc.alloc(&mut heap, (fan + 1) * 4, false, &mut ()).unwrap();
    heap.store(root, 0, test_type());
    for i in 0..fan {
        let mid = gc.alloc(&mut heap, (fan + 1) * 4, false, &mut vec![root]).unwrap();
        heap.store(mid, 0, test_type());
        heap.store_obj(root, i + 1, mid);
        for j in 0..fan {
            let leaf = new_obj(&mut heap, &mut gc, 2, (i * fan + j) as u32);
            heap.store_obj(mid, j + 1, leaf);
        }
    }
    let extra = new_obj(&mut heap, &mut gc, 2, 0);
    assert_eq!(gc.collect(&mut heap, &mut vec![root]), 1);
    assert!(!gc.is_allocated(extra));
    let mut sum = 0u64;
    for i in 0..fan {
        let mid = heap.load_obj(root, i + 1).unwrap();
        for j in 0..fan {
            let leaf = heap.load_obj(mid, j + 1).unwrap();
            assert!(gc.is_allocated(leaf));
            sum += u64::from(heap.load(leaf, 1).unwrap());
        }
    }
    assert_eq!(sum, (6400 * 6399 / 2) as u64);
}

#[inline(never)]
fn collect_from_a_deeper_frame(heap: &mut HeapWords, gc: &mut dyn Gc) -> usize {
    black_box(gc.collect(heap, &mut ()))
}

#[inline(never)]
fn allocate_hold_in_local_and_collect(top: StackTop) {
    let (mut heap, mut gc) = arena(4096);
    gc.set_stack_top(Some(top));
    let held = new_obj(&mut heap, &mut gc, 8, 0xC0FFEE);
    heap.store(held, 7, 0x7777);
    let held = black_box(held);
    for _ in 0..10 {
        // Garbage that nothing refers to.
        let _ = gc.alloc(&mut heap, 32, false, &mut ());
    }
    let freed = collect_from_a_deeper_frame(&mut heap, &mut gc);
    assert!(gc.is_allocated(held), "object held only in a local was freed");
    assert_eq!(heap.load(held, 0), Some(test_type()));
    assert_eq!(heap.load(held, 1), Some(0xC0FFEE));
    assert_eq!(heap.load(held, 7), Some(0x7777));
    assert!(freed <= 10);
    black_box(held);
}

#[test]
fn conservative_scan_keeps_objects_held_only_in_locals() {
    with_stack_top(allocate_hold_in_local_and_collect);
}

#[test]
fn precise_mode_ignores_the_stack() {
    let (mut heap, mut gc) = arena(4096);
    let held = black_box(new_obj(&mut heap, &mut gc, 2, 5));
    assert_eq!(collect_from_a_deeper_frame(&mut heap, &mut gc), 1);
    assert!(!gc.is_allocated(black_box(held)));
}

/// Records finaliser reports.
#[derive(Default)]
struct FinaliserLog {
    roots: Vec<Obj>,
    finalised: Vec<(Obj, u32)>,
}

impl Roots for FinaliserLog {
    fn trace_roots(&mut self, visit: &mut dyn FnMut(Obj)) {
        self.roots.iter().for_each(|&o| visit(o));
    }

    fn finalise(&mut self, obj: Obj, heap: &mut HeapWords) {
        self.finalised.push((obj, heap.load(obj, 1).unwrap_or(0)));
    }
}

#[test]
fn finalisers_are_reported_once_before_freeing() {
    let (mut heap, mut gc) = arena(4096);
    let mut log = FinaliserLog::default();
    let dying = gc.alloc(&mut heap, 16, true, &mut log).unwrap();
    heap.store(dying, 0, test_type());
    heap.store(dying, 1, 41);
    let living = gc.alloc(&mut heap, 16, true, &mut log).unwrap();
    heap.store(living, 0, test_type());
    heap.store(living, 1, 42);
    // No type yet (half-built object): never finalised.
    let untyped = gc.alloc(&mut heap, 16, true, &mut log).unwrap();
    // No finaliser flag: never reported.
    let plain = new_obj(&mut heap, &mut gc, 2, 43);
    log.roots.push(living);
    assert_eq!(gc.collect(&mut heap, &mut log), 3);
    assert_eq!(log.finalised, vec![(dying, 41)]);
    assert!(!gc.is_allocated(dying) && !gc.is_allocated(untyped) && !gc.is_allocated(plain));
    log.roots.clear();
    gc.collect(&mut heap, &mut log);
    assert_eq!(log.finalised, vec![(dying, 41), (living, 42)]);
    gc.collect(&mut heap, &mut log);
    assert_eq!(log.finalised.len(), 2);
    // The flag can be set after allocation too, and freeing clears it.
    let late = new_obj(&mut heap, &mut gc, 2, 44);
    assert!(gc.set_finaliser(late, true));
    assert!(gc.free(&mut heap, late));
    let reused = new_obj(&mut heap, &mut gc, 2, 45);
    assert_eq!(reused, late);
    gc.collect(&mut heap, &mut log);
    assert_eq!(log.finalised.len(), 2);
}

#[test]
fn threshold_triggers_collections() {
    let (mut heap, mut gc) = arena(4096);
    assert_eq!(gc.threshold(), None);
    gc.set_threshold(Some(70));
    assert_eq!(gc.threshold(), Some(64));
    for _ in 0..4 {
        gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    }
    assert_eq!(gc.stats().collections, 0);
    gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    assert_eq!(gc.stats().collections, 1);
    assert_eq!(gc.stats().used_bytes, 16);
    // Disabled collector: the threshold has no effect.
    gc.set_enabled(false);
    assert!(!gc.is_enabled());
    for _ in 0..10 {
        gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    }
    assert_eq!(gc.stats().collections, 1);
    gc.set_threshold(None);
    assert_eq!(gc.threshold(), None);
}

#[test]
fn heap_lock_makes_allocation_fail() {
    let (mut heap, mut gc) = arena(4096);
    let a = new_obj(&mut heap, &mut gc, 2, 1);
    gc.lock();
    gc.lock();
    assert_eq!(gc.lock_depth(), 2);
    assert_eq!(gc.alloc(&mut heap, 16, false, &mut ()), Err(AllocError::Locked));
    assert_eq!(gc.realloc(&mut heap, a, 64, true, &mut ()), Err(AllocError::Locked));
    assert!(!gc.free(&mut heap, a));
    assert_eq!(gc.unlock(), 1);
    assert_eq!(gc.unlock(), 0);
    assert_eq!(gc.unlock(), 0);
    assert!(gc.alloc(&mut heap, 16, false, &mut ()).is_ok());
    assert_eq!(AllocError::Locked.message(16), "memory allocation failed, heap is locked");
}

#[test]
fn exact_memory_error_sizes_and_recovery() {
    // 1024 bytes = 64 blocks, block 0 reserved: 63 usable blocks = 1008 bytes.
    let (mut heap, mut gc) = arena(1024);
    assert_eq!(gc.stats().total_bytes, 1008);
    assert_eq!(gc.stats().free_bytes, 1008);
    assert_eq!(gc.alloc(&mut heap, 1009, false, &mut ()), Err(AllocError::OutOfMemory));
    assert_eq!(gc.alloc(&mut heap, usize::MAX, false, &mut ()), Err(AllocError::OutOfMemory));
    assert_eq!(AllocError::OutOfMemory.message(1009), "memory allocation failed, allocating 1009 bytes");
    let all = gc.alloc(&mut heap, 1008, false, &mut ()).unwrap();
    assert_eq!(gc.stats().free_bytes, 0);
    assert_eq!(gc.stats().used_bytes, 1008);
    // Full and rooted: fails cleanly.
    let mut roots = vec![all];
    assert_eq!(gc.alloc(&mut heap, 16, false, &mut roots), Err(AllocError::OutOfMemory));
    // Unrooted: the failed first fit collects and the retry succeeds.
    let small = gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    assert_eq!(small, all, "the freed space is reused from the start");
    assert_eq!(gc.alloc_size(all), Some(16));
    // One collection per failed first fit: 1009 bytes, usize::MAX, rooted, unrooted.
    assert_eq!(gc.stats().collections, 4);
}

#[test]
fn disabled_collector_does_not_collect_on_failure() {
    let (mut heap, mut gc) = arena(16 * 9);
    gc.set_enabled(false);
    while gc.alloc(&mut heap, 16, false, &mut ()).is_ok() {}
    assert_eq!(gc.stats().collections, 0);
    assert_eq!(gc.collect(&mut heap, &mut ()), 8);
    gc.set_enabled(true);
    assert!(gc.alloc(&mut heap, 128, false, &mut ()).is_ok());
}

#[test]
fn stress_mode_collects_before_every_allocation() {
    let (mut heap, mut gc) = arena(4096);
    gc.set_stress(true);
    let a = gc.alloc(&mut heap, 16, false, &mut ()).unwrap();
    let b = gc.alloc(&mut heap, 16, false, &mut vec![a]).unwrap();
    let c = gc.alloc(&mut heap, 16, false, &mut vec![b]).unwrap();
    assert_eq!(gc.stats().collections, 3);
    // `a` died at the third allocation's collection, and `c` took its place.
    assert_eq!(c, a);
    assert!(gc.is_allocated(b) && gc.is_allocated(c));
    assert_eq!(gc.stats().objects, 2);
}

#[test]
fn host_heap_grows_to_its_limit_then_fails_cleanly() {
    let config = HostGcConfig { initial_bytes: 1024, chunk_bytes: 1024, limit_bytes: 8 * 1024 };
    let (mut heap, mut gc) = HostGc::new(config).unwrap();
    assert_eq!(gc.stats().total_bytes, 1008);
    assert_eq!(gc.stats().limit_bytes, 8192 - 16);
    let mut roots: Vec<Obj> = Vec::new();
    let result = loop {
        match gc.alloc(&mut heap, 64, false, &mut roots) {
            Ok(obj) => {
                heap.store(obj, 0, test_type());
                heap.store(obj, 1, roots.len() as u32);
                roots.push(obj);
            }
            Err(e) => break e,
        }
    };
    assert_eq!(result, AllocError::OutOfMemory);
    // 511 usable blocks hold 127 objects of 4 blocks.
    assert_eq!(roots.len(), 127);
    assert_eq!(gc.stats().total_bytes, 8192 - 16);
    assert_eq!(heap.len(), 8192 / 4);
    for (i, &obj) in roots.iter().enumerate() {
        assert_eq!(heap.load(obj, 1), Some(i as u32));
    }
    // Still usable: drop half the roots and allocate again.
    roots.truncate(60);
    assert!(gc.alloc(&mut heap, 64, false, &mut roots).is_ok());
    // A request bigger than the limit fails without growing past it.
    assert_eq!(gc.alloc(&mut heap, 16 * 1024, false, &mut roots), Err(AllocError::OutOfMemory));
    assert_eq!(heap.len(), 8192 / 4);
}

#[test]
fn host_heap_grows_for_one_big_object() {
    let config = HostGcConfig { initial_bytes: 256, chunk_bytes: 256, limit_bytes: 1 << 20 };
    let (mut heap, mut gc) = HostGc::new(config).unwrap();
    let big = gc.alloc(&mut heap, 100_000, false, &mut ()).unwrap();
    assert_eq!(gc.alloc_size(big), Some(100_000usize.div_ceil(16) * 16));
    assert!(heap.store(big, 100_000 / 4 - 1, 5));
}

#[test]
fn static_arena_uses_only_the_given_region() {
    let region: &'static mut [u32] = Box::leak(vec![0xAAAA_AAAAu32; 1000].into_boxed_slice());
    let mut heap = Heap::arena_static(region).unwrap();
    // 1000 words: 4 words + 3 bits per block -> 244 blocks (16 + 8 table words).
    assert_eq!(heap.gc.stats().total_bytes, 243 * 16);
    assert_eq!(heap.words.len(), 244 * 4);
    let a = heap.alloc(64, &mut ()).unwrap();
    assert_eq!(heap.words.object_words(a, 16), Some(&[0u32; 16][..]));
    assert!(heap.alloc(243 * 16, &mut vec![a]).is_err());
    assert_eq!(heap.collect(&mut ()), 1);
    assert!(heap.alloc(243 * 16, &mut ()).is_ok());
}

#[test]
fn heap_facade_and_stats() {
    let mut heap = Heap::arena(2048).unwrap();
    let a = heap.alloc(20, &mut ()).unwrap();
    let b = heap.alloc_with_finaliser(16, &mut ()).unwrap();
    let stats = heap.gc.stats();
    assert_eq!(stats.used_bytes, 48);
    assert_eq!(stats.objects, 2);
    assert_eq!(stats.free_bytes, 2048 - 16 - 48);
    assert_eq!(stats.largest_free_bytes, stats.free_bytes);
    assert!(heap.free(a));
    assert_eq!(heap.gc.stats().largest_free_bytes, stats.free_bytes);
    let c = heap.realloc(b, 64, &mut ()).unwrap();
    assert!(heap.gc.is_allocated(c));
}

#[test]
fn heaps_and_pools_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<Heap>();
    assert_send::<crate::QstrPool>();
}

#[cfg(feature = "std")]
#[test]
fn independent_heaps_on_several_threads() {
    let workers: Vec<_> = (0..2u32)
        .map(|t| {
            std::thread::spawn(move || {
                with_stack_top(|top| {
                    let mut heap = Heap::host(HostGcConfig::default()).unwrap();
                    heap.gc.set_stack_top(Some(top));
                    let head = linked_list(&mut heap.words, heap.gc.as_mut(), 300 + t);
                    let head = black_box(head);
                    heap.collect(&mut ());
                    list_len_and_sum(&heap.words, black_box(head)).0
                })
            })
        })
        .collect();
    let lens: Vec<u32> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    assert_eq!(lens, vec![300, 301]);
}

#[test]
fn live_and_peak_counts_follow_every_path_exactly() {
    let (mut heap, mut gc) = arena(4096);
    let check = |gc: &ArenaGc| assert_eq!(gc.core().used_bytes(), gc.stats().used_bytes);
    let a = new_obj(&mut heap, &mut gc, 4, 1); // 1 block
    let b = new_obj(&mut heap, &mut gc, 12, 2); // 3 blocks
    check(&gc);
    assert_eq!(gc.stats().peak_bytes, 64);
    let b = gc.realloc(&mut heap, b, 100, true, &mut ()).unwrap(); // 7 blocks
    check(&gc);
    let b = gc.realloc(&mut heap, b, 20, true, &mut ()).unwrap(); // 2 blocks
    check(&gc);
    assert_eq!(gc.stats().peak_bytes, 16 * 8);
    assert!(gc.free(&mut heap, a));
    check(&gc);
    let mut roots = vec![b];
    gc.collect(&mut heap, &mut roots);
    check(&gc);
    gc.collect(&mut heap, &mut ());
    check(&gc);
    assert_eq!(gc.stats().used_bytes, 0);
    assert_eq!(gc.stats().peak_bytes, 16 * 8);
    gc.reset_peak();
    assert_eq!(gc.stats().peak_bytes, 0);
}
