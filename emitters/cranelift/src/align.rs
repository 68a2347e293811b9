//! Alignment of loops: the code is shifted so that its loops straddle as
//! few 64-byte cache lines and 32-byte fetch windows as they can, the
//! deeper and hot ones first (see [`graph_padding`]).
//!
//! Cranelift lays out blocks without aligning loop heads, as `gcc -O2`
//! does (`-falign-loops`). On x86-64 cores that fetch decoded instructions
//! in 32- or 64-byte windows, a short loop that straddles a boundary runs
//! measurably slower: the matrix multiply's 34-byte inner loop ran 1.25x
//! `gcc -O2`'s time across two cache lines and 1.02x within one. Each
//! function is placed at the start of its own pages (see the x86-64
//! emitter's executable memory), so shifting the whole function by a few
//! bytes moves every block by the same amount: the padding goes in front,
//! skipped by a short jump. The code is position independent (relative
//! branches, calls and constants), so it runs unchanged from the new
//! offset.
//!
//! One shift moves every loop: the pass weighs them (a loop eight times
//! the one around it, hot loops before cold ones) and picks the shift
//! that suits them best.

/// The nesting depth of the loops worth aligning in `func` (before
/// compilation): its deepest loop but those whose heads are in `slow`
/// (loops that run only on a slow path, see [`crate::strip::Stripped`]);
/// `None` if there is no such loop.
pub fn loop_depth(func: &cranelift_codegen::ir::Function, slow: &[cranelift_codegen::ir::Block]) -> Option<usize> {
    let (_, _, loops) = crate::clif::analyse(func);
    let all: Vec<_> = loops.loops().collect();
    let depth = |lp| all.iter().filter(|&&o| o == lp || loops.is_child_loop(lp, o)).count();
    all.iter().filter(|&&lp| !slow.contains(&loops.loop_header(lp))).map(|&lp| depth(lp)).max()
}

/// The bytes to put in front of `code` (a function compiled by Cranelift,
/// constants after its instructions) so that its loops, not deeper than
/// `max_depth` (see [`loop_depth`]), sit well (see [`graph_padding`]).
/// `last_block` is the start of its last block (the instructions end with
/// that block's final jump or return), `cold` where its cold blocks start
/// (see [`cold_start`]).
pub fn loop_padding(code: &[u8], last_block: u32, max_depth: usize, cold: u32) -> u32 {
    let (starts, edges, len) = machine_blocks(code, last_block);
    graph_padding(&starts, &edges, len, max_depth, cold)
}

/// The source location [`mark_cold`] gives the instructions of cold blocks.
fn cold_loc() -> cranelift_codegen::ir::SourceLoc {
    cranelift_codegen::ir::SourceLoc::new(1)
}

/// Tags the instructions of the cold blocks of `func` (before compilation)
/// so that [`cold_start`] finds them in the machine code: Cranelift keeps
/// an instruction's source location on the code made for it.
pub fn mark_cold(func: &mut cranelift_codegen::ir::Function) {
    let insts: Vec<_> =
        func.layout.blocks().filter(|&b| func.layout.is_cold(b)).flat_map(|b| func.layout.block_insts(b)).collect();
    for inst in insts {
        func.set_srcloc(inst, cold_loc());
    }
}

/// Where the cold blocks start in machine code that Cranelift compiled
/// after [`mark_cold`] (it places them after the others), given the
/// source locations of its code and its block starts: the start of the
/// block holding the first code tagged cold; the end of the code `len`
/// when none is.
pub fn cold_start(
    srclocs: &[cranelift_codegen::MachSrcLoc<cranelift_codegen::Final>],
    bb_starts: &[u32],
    len: u32,
) -> u32 {
    let first = srclocs.iter().filter(|s| s.loc == cold_loc() && s.end > s.start).map(|s| s.start).min();
    first.map_or(len, |at| bb_starts.iter().copied().filter(|&s| s <= at).max().unwrap_or(at))
}

/// The basic blocks of x86-64 `code` (their starts), its edges and the
/// length of its instructions, decoded up to the first unconditional jump or
/// return at or after `last_block`.
fn machine_blocks(code: &[u8], last_block: u32) -> (Vec<u32>, Vec<(u32, u32)>, u32) {
    use iced_x86::{Decoder, DecoderOptions, FlowControl, Instruction};
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut inst = Instruction::default();
    // (start, end, flow, branch target) of each instruction.
    let mut insts = Vec::new();
    while decoder.can_decode() {
        decoder.decode_out(&mut inst);
        if inst.is_invalid() {
            break;
        }
        let (start, end) = (inst.ip() as u32, inst.next_ip() as u32);
        let flow = inst.flow_control();
        let target = matches!(flow, FlowControl::UnconditionalBranch | FlowControl::ConditionalBranch)
            .then(|| inst.near_branch_target() as u32);
        insts.push((start, end, flow, target));
        if !falls_through(flow) && start >= last_block {
            break;
        }
    }
    let len = insts.last().map_or(0, |i| i.1);
    let mut starts = vec![0];
    for &(_, end, flow, target) in &insts {
        if flow != FlowControl::Next && flow != FlowControl::Call && flow != FlowControl::IndirectCall {
            starts.push(end);
        }
        starts.extend(target.filter(|&t| t < len));
    }
    starts.retain(|&s| s < len);
    starts.sort_unstable();
    starts.dedup();
    let mut edges = Vec::new();
    let block_of = |off: u32| starts[starts.partition_point(|&s| s <= off) - 1];
    for (k, &(start, end, flow, target)) in insts.iter().enumerate() {
        let from = block_of(start);
        if let Some(t) = target.filter(|&t| t < len) {
            edges.push((from, t));
        }
        // Into the next block: a fall-through at a block's end.
        if falls_through(flow) && k + 1 < insts.len() && starts.binary_search(&end).is_ok() {
            edges.push((from, end));
        }
    }
    (starts, edges, len)
}

/// Execution can go on to the next instruction after one of this flow
/// (not after a jump, a return or a trap).
fn falls_through(flow: iced_x86::FlowControl) -> bool {
    use iced_x86::FlowControl;
    !matches!(
        flow,
        FlowControl::UnconditionalBranch | FlowControl::Return | FlowControl::Exception | FlowControl::IndirectBranch
    )
}

/// [`loop_padding`] over a block graph: block starts, edges `(from, to)`
/// between block starts, the code's length and where its cold blocks start.
///
/// The padding chosen splits the fewest loops across 64-byte cache lines
/// (counting twice) and 32-byte fetch windows (once) beyond what their
/// length makes necessary, each loop weighing eight times the loop around
/// it; the hot loops first, then the cold ones (after `cold`, which static
/// prediction expects to run less): the sieve's outer loop, six
/// instructions run for every number, matters more than its deeper inner
/// loops, in the body of an `if` predicted not to run (337 against 377 us
/// when only one of them could sit well). Among equals, it puts the deepest
/// hot loop on a 32-byte boundary (64 when that keeps it in one line).
///
/// Loops are found as in any compiler: an edge to a block that dominates
/// its source closes a loop (a jump from a cold block, placed at the end,
/// back into a loop is not one).
fn graph_padding(bb_starts: &[u32], bb_edges: &[(u32, u32)], len: u32, max_depth: usize, cold: u32) -> u32 {
    let mut starts = bb_starts.to_vec();
    starts.sort_unstable();
    starts.dedup();
    let n = starts.len();
    let index = |off: u32| starts.binary_search(&off).ok();
    let mut succs = vec![Vec::new(); n];
    let mut preds = vec![Vec::new(); n];
    for &(from, to) in bb_edges {
        if let (Some(f), Some(t)) = (index(from), index(to)) {
            succs[f].push(t);
            preds[t].push(f);
        }
    }
    let Some(entry) = index(0) else { return 0 };
    let idom = dominators(entry, &succs, &preds);
    let dominates = |a: usize, mut b: usize| loop {
        if a == b {
            return true;
        }
        match idom[b] {
            Some(d) if d != b => b = d,
            _ => return false,
        }
    };
    // Each loop header's blocks (the natural loops of its back edges).
    let mut loops: Vec<(usize, Vec<bool>)> = Vec::new();
    for (u, ss) in succs.iter().enumerate() {
        for &h in ss {
            if idom[u].is_none() || !dominates(h, u) {
                continue;
            }
            let k = match loops.iter().position(|(head, _)| *head == h) {
                Some(k) => k,
                None => {
                    let mut body = vec![false; n];
                    body[h] = true;
                    loops.push((h, body));
                    loops.len() - 1
                }
            };
            let body = &mut loops[k].1;
            let mut work = vec![u];
            while let Some(b) = work.pop() {
                if !body[b] {
                    body[b] = true;
                    work.extend(preds[b].iter().copied());
                }
            }
        }
    }
    // Each loop's hot run: its blocks laid out from the header on.
    let depth = |h: usize| loops.iter().filter(|(_, body)| body[h]).count();
    let runs: Vec<(u32, u32, usize)> = loops
        .iter()
        .filter(|(h, _)| depth(*h) <= max_depth)
        .map(|(head, body)| {
            let run = (*head..n).take_while(|&b| body[b]).last().unwrap_or(*head);
            (starts[*head], starts.get(run + 1).copied().unwrap_or(len), depth(*head))
        })
        .collect();
    // The deepest header, the hot ones first (the first of equals).
    let Some(&(start, end, _)) = runs.iter().max_by_key(|(s, _, d)| (*s < cold, *d, core::cmp::Reverse(*s))) else {
        return 0;
    };
    let align = if end - start > 32 && end - start <= 64 { 64 } else { 32 };
    let deepest = (align - start % align) % align;
    let cost = |p: u32, hot: bool| -> u64 {
        runs.iter()
            .filter(|(s, _, _)| (*s < cold) == hot)
            .map(|&(s, e, d)| {
                let extra = |unit: u32| u64::from((e + p - 1) / unit - (s + p) / unit + 1 - (e - s).div_ceil(unit));
                (1u64 << (3 * d.min(16))) * (2 * extra(64) + extra(32))
            })
            .sum()
    };
    (0..64).min_by_key(|&p| (cost(p, true), cost(p, false), p != deepest, p)).unwrap_or(0)
}

/// Immediate dominators (Cooper, Harvey and Kennedy's iterative
/// algorithm); `None` for blocks not reachable from `entry`.
fn dominators(entry: usize, succs: &[Vec<usize>], preds: &[Vec<usize>]) -> Vec<Option<usize>> {
    let n = succs.len();
    // Reverse post-order.
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut stack = vec![(entry, 0)];
    seen[entry] = true;
    while let Some((b, i)) = stack.pop() {
        if let Some(&s) = succs[b].get(i) {
            stack.push((b, i + 1));
            if !seen[s] {
                seen[s] = true;
                stack.push((s, 0));
            }
        } else {
            order.push(b);
        }
    }
    order.reverse();
    let mut rpo = vec![usize::MAX; n];
    for (k, &b) in order.iter().enumerate() {
        rpo[b] = k;
    }
    let mut idom = vec![None; n];
    idom[entry] = Some(entry);
    let mut changed = true;
    while changed {
        changed = false;
        for &b in order.iter().skip(1) {
            let mut new: Option<usize> = None;
            for &p in &preds[b] {
                if idom[p].is_none() {
                    continue;
                }
                new = Some(match new {
                    None => p,
                    Some(mut x) => {
                        let mut y = p;
                        while x != y {
                            while rpo[x] > rpo[y] {
                                x = idom[x].unwrap_or(entry);
                            }
                            while rpo[y] > rpo[x] {
                                y = idom[y].unwrap_or(entry);
                            }
                        }
                        x
                    }
                });
            }
            if new.is_some() && idom[b] != new {
                idom[b] = new;
                changed = true;
            }
        }
    }
    idom
}

/// `code` preceded by `pad` bytes that jump over themselves.
pub fn pad(code: &[u8], pad: u32) -> Vec<u8> {
    let pad = pad as usize;
    let mut out = Vec::with_capacity(pad + code.len());
    match pad {
        0 => {}
        1 => out.push(0x90), // nop
        _ => {
            // jmp rel8 over the filler (int3: never executed).
            out.extend_from_slice(&[0xEB, (pad - 2) as u8]);
            out.resize(pad, 0xCC);
        }
    }
    out.extend_from_slice(code);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deepest_loop_is_aligned() {
        // Blocks at 0, 10, 40, 77, 90, 100 (end 120): an outer loop
        // 10..100 (edge 90 -> 10) around an inner one 40..90 (edge 77 -> 40).
        let starts = [0, 10, 40, 77, 90, 100];
        let edges = [(0, 10), (10, 40), (40, 77), (77, 40), (77, 90), (90, 10), (90, 100)];
        // The inner loop is 50 bytes long: it starts on a 64-byte boundary.
        assert_eq!(graph_padding(&starts, &edges, 120, 9, 120), 24);
        // Loops of depth 1 only: the outer loop (10..100, 90 bytes) starts on
        // a 32-byte boundary.
        assert_eq!(graph_padding(&starts, &edges, 120, 1, 120), 22);
        // A short inner loop (40..60) on a 32-byte boundary.
        let starts = [0, 10, 40, 52, 60, 100];
        let edges = [(0, 10), (10, 40), (40, 52), (52, 40), (52, 60), (60, 10), (60, 100)];
        assert_eq!(graph_padding(&starts, &edges, 120, 9, 120), 24);
        // Already aligned, or no loop at all.
        assert_eq!(graph_padding(&[0, 32, 48], &[(0, 32), (32, 48), (48, 32)], 64, 9, 64), 0);
        assert_eq!(graph_padding(&[0, 32], &[(0, 32)], 64, 9, 64), 0);
        // A loop longer than 64 bytes: 32-byte alignment.
        assert_eq!(graph_padding(&[0, 40, 130], &[(0, 40), (40, 40), (40, 130)], 200, 9, 200), 24);
        // A cold block at the end jumping back into the loop does not close
        // a loop of its own: the loop at 40 (back edge 60 -> 40) is aligned.
        let starts = [0, 40, 60, 70, 200];
        let edges = [(0, 40), (40, 60), (40, 200), (60, 40), (60, 70), (200, 60)];
        assert_eq!(graph_padding(&starts, &edges, 220, 9, 200), 24);
    }

    #[test]
    fn hot_loops_come_before_deeper_cold_ones() {
        // A hot loop 10..40 whose head may branch to a cold loop 100..150
        // (placed at the end), which goes back to the hot head: the cold loop
        // is the deeper one.
        let starts = [0, 10, 40, 100, 150];
        let edges = [(0, 10), (10, 10), (10, 40), (10, 100), (100, 100), (100, 150), (150, 10)];
        let within = |s: u32, e: u32, unit: u32| s / unit == (e - 1) / unit;
        // Without knowing what is cold, the deeper loop is kept in one cache line...
        let p = graph_padding(&starts, &edges, 160, 9, 160);
        assert!(within(100 + p, 150 + p, 64), "{p}");
        // ...but the hot loop comes first: in one fetch window.
        let p = graph_padding(&starts, &edges, 160, 9, 100);
        assert!(within(10 + p, 40 + p, 32), "{p}");
        assert!(!within(100 + p, 150 + p, 64), "{p}: both fit, the test shows nothing");
    }

    #[test]
    fn the_cold_blocks_are_found_in_the_machine_code() {
        use cranelift_codegen::ir::condcodes::IntCC;
        use cranelift_codegen::ir::{types, InstBuilder};
        use cranelift_codegen::settings::{self, Configurable};
        // entry: a ? A : B; A: b ? B : C (cold); B: return 1; C: return 77.
        let (func, ()) = crate::test_util::build(2, |b, args| {
            let [a_block, b_block, c_block] = [(); 3].map(|()| b.create_block());
            b.set_cold_block(c_block);
            let x = b.ins().icmp_imm_s(IntCC::Equal, args[0], 0);
            b.ins().brif(x, a_block, &[], b_block, &[]);
            b.switch_to_block(a_block);
            let y = b.ins().icmp_imm_s(IntCC::Equal, args[1], 0);
            b.ins().brif(y, b_block, &[], c_block, &[]);
            for (block, v) in [(b_block, 1), (c_block, 77)] {
                b.switch_to_block(block);
                let v = b.ins().iconst(types::I64, v);
                b.ins().return_(&[v]);
            }
        });
        let mut flags = settings::builder();
        flags.set("machine_code_cfg_info", "true").unwrap();
        let isa = cranelift_codegen::isa::lookup_by_name("x86_64-unknown-linux-gnu").unwrap();
        let isa = isa.finish(settings::Flags::new(flags)).unwrap();
        let mut func = func;
        mark_cold(&mut func);
        let mut ctx = cranelift_codegen::Context::for_function(func);
        let code = ctx.compile(&*isa, &mut Default::default()).unwrap();
        let (bytes, starts) = (code.code_buffer().to_vec(), code.bb_starts.clone());
        let cold = cold_start(code.buffer.get_srclocs_sorted(), &starts, bytes.len() as u32);
        // The cold block's code (return 77) starts there, last.
        assert!(cold < bytes.len() as u32 && starts.iter().all(|&s| s <= cold), "{starts:?} {cold}");
        let first = &ferropy_emit_x64::disasm::decode(&bytes[cold as usize..])[0];
        assert!(first.text.to_lowercase().ends_with("eax,0x4d"), "{}", first.text);
    }

    #[test]
    fn loops_are_found_in_machine_code() {
        // 0: xor eax,eax / 2: add rax,1 / 6: cmp rax,rdi / 9: jl 2 / 11: ret
        // then a constant (never decoded as code).
        let code = [0x31, 0xC0, 0x48, 0x83, 0xC0, 0x01, 0x48, 0x39, 0xF8, 0x7C, 0xF7, 0xC3, 0x7C, 0xF0];
        let (starts, edges, len) = machine_blocks(&code, 2);
        assert_eq!((starts.as_slice(), len), (&[0, 2, 11][..], 12));
        assert!(edges.contains(&(2, 2)) && edges.contains(&(2, 11)) && edges.contains(&(0, 2)), "{edges:?}");
        // The 9-byte loop at 2 starts on a 32-byte boundary after 30 bytes.
        assert_eq!(loop_padding(&code, 2, 1, 12), 30);
        // No loop that shallow.
        assert_eq!(loop_padding(&code, 2, 0, 12), 0);
    }

    #[test]
    fn padding_jumps_over_itself() {
        assert_eq!(pad(&[0xC3], 0), [0xC3]);
        assert_eq!(pad(&[0xC3], 1), [0x90, 0xC3]);
        assert_eq!(pad(&[0xC3], 2), [0xEB, 0x00, 0xC3]);
        assert_eq!(pad(&[0xC3], 5), [0xEB, 0x03, 0xCC, 0xCC, 0xCC, 0xC3]);
        // Decoded: a jump to the original first instruction.
        let code = pad(&[0xC3], 40);
        let first = &ferropy_emit_x64::disasm::decode(&code)[0];
        assert_eq!(first.text, "jmp 0x28");
    }
}
