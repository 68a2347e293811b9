//! Randomised operation sequences against a simple model: rooted objects must
//! keep their contents through allocations, frees, reallocs and collections, and
//! garbage references given to the API must never panic or corrupt the heap.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use super::*;

/// Small deterministic PRNG (xorshift32).
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }
}

/// A rooted object and the words it should hold.
struct Live {
    obj: Obj,
    words: Vec<u32>,
}

fn check_all(heap: &HeapWords, gc: &dyn Gc, live: &[Live]) {
    for item in live {
        assert!(gc.is_allocated(item.obj), "rooted object was freed");
        assert!(gc.alloc_size(item.obj).unwrap_or(0) >= item.words.len() * 4);
        assert_eq!(heap.object_words(item.obj, item.words.len()), Some(&item.words[..]), "contents changed");
    }
    let stats = gc.stats();
    assert_eq!(stats.used_bytes + stats.free_bytes, stats.total_bytes);
    assert!(stats.peak_bytes >= stats.used_bytes);
}

fn run(seed: u32, mut heap: HeapWords, mut gc: Box<dyn Gc>, steps: usize) {
    let mut rng = Rng(seed);
    let mut live: Vec<Live> = Vec::new();
    for step in 0..steps {
        let mut roots: Vec<Obj> = live.iter().map(|l| l.obj).collect();
        match rng.below(10) {
            0..=3 => {
                let n_words = 1 + rng.below(40) as usize;
                if let Ok(obj) = gc.alloc(&mut heap, n_words * 4, rng.below(4) == 0, &mut roots) {
                    let mut words = Vec::new();
                    for i in 0..n_words {
                        // Small ints, sometimes a reference to another live object.
                        let word = if i > 0 && rng.below(5) == 0 && !live.is_empty() {
                            live[rng.below(live.len() as u32) as usize].obj.raw()
                        } else {
                            (rng.next() << 1) | 1
                        };
                        words.push(word);
                    }
                    if let Some(dst) = heap.object_words_mut(obj, n_words) {
                        dst.copy_from_slice(&words);
                    }
                    if rng.below(3) != 0 {
                        live.push(Live { obj, words });
                    }
                }
            }
            4 if !live.is_empty() => {
                let i = rng.below(live.len() as u32) as usize;
                let item = live.swap_remove(i);
                // Only free objects no other live object refers to.
                if !live.iter().any(|l| l.words.contains(&item.obj.raw())) {
                    assert!(gc.free(&mut heap, item.obj));
                } else {
                    live.push(item);
                }
            }
            5 if !live.is_empty() => {
                let i = rng.below(live.len() as u32) as usize;
                let referenced = live.iter().any(|l| l.words.contains(&live[i].obj.raw()));
                let n_words = 1 + rng.below(60) as usize;
                let allow_move = !referenced;
                let old = live[i].obj;
                if let Ok(new) = gc.realloc(&mut heap, old, n_words * 4, allow_move, &mut roots) {
                    // Words past the old size (within the old blocks) are not
                    // specified; give them known values like a VM would.
                    let item = &mut live[i];
                    item.obj = new;
                    item.words.resize(n_words, 1);
                    if let Some(dst) = heap.object_words_mut(new, n_words) {
                        dst.copy_from_slice(&item.words);
                    }
                }
            }
            6 => {
                gc.collect(&mut heap, &mut roots);
            }
            7 => {
                // Garbage references must be refused (or, if they happen to name
                // an unrooted object, harmless).
                let junk = Obj::from_raw(rng.next());
                if !live.iter().any(|l| l.obj == junk) {
                    let _ = gc.alloc_size(junk);
                    let _ = gc.set_finaliser(junk, false);
                    if !live.iter().any(|l| l.words.contains(&junk.raw())) {
                        let _ = gc.free(&mut heap, junk);
                    }
                }
                let _ = heap.load(junk, rng.below(100) as usize);
            }
            8 => gc.set_stress(rng.below(4) == 0),
            _ => {
                let t = rng.below(3);
                gc.set_threshold(if t == 0 { None } else { Some(t as usize * 256) });
            }
        }
        if step % 16 == 0 {
            check_all(&heap, gc.as_ref(), &live);
        }
    }
    let mut roots: Vec<Obj> = live.iter().map(|l| l.obj).collect();
    gc.collect(&mut heap, &mut roots);
    check_all(&heap, gc.as_ref(), &live);
    gc.collect(&mut heap, &mut ());
    assert_eq!(gc.stats().used_bytes, 0);
}

#[test]
fn random_operations_on_an_arena() {
    for seed in [1, 7, 12345, 0xDEAD_BEEF] {
        let (heap, gc) = ArenaGc::new_owned(8 * 1024).unwrap();
        run(seed, heap, Box::new(gc), 3000);
    }
}

#[test]
fn random_operations_on_a_host_heap() {
    for seed in [3, 99, 0x1234_5678] {
        let config = HostGcConfig { initial_bytes: 512, chunk_bytes: 512, limit_bytes: 16 * 1024 };
        let (heap, gc) = HostGc::new(config).unwrap();
        run(seed, heap, Box::new(gc), 3000);
    }
}

#[test]
fn garbage_heap_contents_never_panic_a_collection() {
    let (mut heap, mut gc) = ArenaGc::new_owned(4096).unwrap();
    let mut rng = Rng(42);
    let mut objs = vec![];
    for _ in 0..20 {
        if let Ok(o) = gc.alloc(&mut heap, 48, true, &mut ()) {
            objs.push(o);
        }
    }
    // Scribble random words over the whole heap (including object bodies).
    for w in heap.words_mut() {
        *w = rng.next() & !3;
    }
    gc.collect(&mut heap, &mut objs);
    for &o in &objs {
        assert!(gc.is_allocated(o));
    }
}

/// The per-size search hints never hide free space: with collection off, a
/// request fails only when no run of free blocks is large enough, and
/// requests of every size keep succeeding while the heap fragments.
#[test]
fn free_space_is_never_missed() {
    for seed in 1..=20u32 {
        let (mut heap, mut gc) = ArenaGc::new_owned(16 * 1024).unwrap();
        gc.set_enabled(false);
        let mut rng = Rng(seed.wrapping_mul(2_654_435_761) | 1);
        let mut live: Vec<Obj> = Vec::new();
        for _ in 0..4000 {
            if rng.below(3) == 0 && !live.is_empty() {
                let obj = live.swap_remove(rng.below(live.len() as u32) as usize);
                assert!(gc.free(&mut heap, obj));
                continue;
            }
            // Mostly small requests, some larger than the per-size hints cover.
            let range = if rng.below(4) == 0 { 40 } else { 12 };
            let blocks = 1 + rng.below(range) as usize;
            let bytes = blocks * BLOCK_BYTES;
            match gc.alloc(&mut heap, bytes, false, &mut ()) {
                Ok(obj) => live.push(obj),
                Err(_) => {
                    let largest = gc.stats().largest_free_bytes;
                    assert!(largest < bytes, "seed {seed}: {bytes} bytes refused with a free run of {largest}");
                }
            }
        }
    }
}
