//! Alignment of the innermost loop: the code is shifted so that the most
//! deeply nested loop starts on a 32-byte boundary (64 when that keeps a
//! loop of up to 64 bytes in one cache line).
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
//! Only one loop per function can be aligned this way; the pass chooses
//! the deepest (the one inside the most others), the first of equals.

/// The nesting depth of the loops worth aligning in `func` (before
/// compilation): its deepest loop but those whose heads are in `slow`
/// (loops that run only on a slow path, see [`crate::strip::Stripped`]);
/// `None` if there is no such loop.
pub fn loop_depth(func: &cranelift_codegen::ir::Function, slow: &[cranelift_codegen::ir::Block]) -> Option<usize> {
    use cranelift_codegen::dominator_tree::DominatorTree;
    use cranelift_codegen::flowgraph::ControlFlowGraph;
    use cranelift_codegen::loop_analysis::LoopAnalysis;
    let cfg = ControlFlowGraph::with_function(func);
    let domtree = DominatorTree::with_function(func, &cfg);
    let mut loops = LoopAnalysis::new();
    loops.compute(func, &cfg, &domtree);
    let all: Vec<_> = loops.loops().collect();
    let depth = |lp| all.iter().filter(|&&o| o == lp || loops.is_child_loop(lp, o)).count();
    all.iter().filter(|&&lp| !slow.contains(&loops.loop_header(lp))).map(|&lp| depth(lp)).max()
}

/// The bytes to put in front of `code` (a function compiled by Cranelift,
/// constants after its instructions) so that its deepest loop, not deeper
/// than `max_depth` (see [`loop_depth`]), starts aligned. `last_block` is
/// the start of its last block (the instructions end with that block's
/// final jump or return).
pub fn loop_padding(code: &[u8], last_block: u32, max_depth: usize) -> u32 {
    let (starts, edges, len) = machine_blocks(code, last_block);
    graph_padding(&starts, &edges, len, max_depth)
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
/// between block starts, and the code's length.
///
/// Loops are found as in any compiler: an edge to a block that dominates
/// its source closes a loop (a jump from a cold block, placed at the end,
/// back into a loop is not one).
fn graph_padding(bb_starts: &[u32], bb_edges: &[(u32, u32)], len: u32, max_depth: usize) -> u32 {
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
    // The deepest header (inside the most loops), the first of equals.
    let depth = |h: usize| loops.iter().filter(|(_, body)| body[h]).count();
    let candidates = loops.iter().filter(|(h, _)| depth(*h) <= max_depth);
    let Some((head, body)) = candidates.max_by_key(|(h, _)| (depth(*h), core::cmp::Reverse(*h))) else {
        return 0;
    };
    // The loop's length: its blocks laid out from the header on.
    let run = (*head..n).take_while(|&b| body[b]).last().unwrap_or(*head);
    let end = starts.get(run + 1).copied().unwrap_or(len);
    let start = starts[*head];
    let align = if end - start > 32 && end - start <= 64 { 64 } else { 32 };
    (align - start % align) % align
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
        assert_eq!(graph_padding(&starts, &edges, 120, 9), 24);
        // Loops of depth 1 only: the outer loop (10..100, 90 bytes) starts on
        // a 32-byte boundary.
        assert_eq!(graph_padding(&starts, &edges, 120, 1), 22);
        // A short inner loop (40..60) on a 32-byte boundary.
        let starts = [0, 10, 40, 52, 60, 100];
        let edges = [(0, 10), (10, 40), (40, 52), (52, 40), (52, 60), (60, 10), (60, 100)];
        assert_eq!(graph_padding(&starts, &edges, 120, 9), 24);
        // Already aligned, or no loop at all.
        assert_eq!(graph_padding(&[0, 32, 48], &[(0, 32), (32, 48), (48, 32)], 64, 9), 0);
        assert_eq!(graph_padding(&[0, 32], &[(0, 32)], 64, 9), 0);
        // A loop longer than 64 bytes: 32-byte alignment.
        assert_eq!(graph_padding(&[0, 40, 130], &[(0, 40), (40, 40), (40, 130)], 200, 9), 24);
        // A cold block at the end jumping back into the loop does not close
        // a loop of its own: the loop at 40 (back edge 60 -> 40) is aligned.
        let starts = [0, 40, 60, 70, 200];
        let edges = [(0, 40), (40, 60), (40, 200), (60, 40), (60, 70), (200, 60)];
        assert_eq!(graph_padding(&starts, &edges, 220, 9), 24);
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
        assert_eq!(loop_padding(&code, 2, 1), 30);
        // No loop that shallow.
        assert_eq!(loop_padding(&code, 2, 0), 0);
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
