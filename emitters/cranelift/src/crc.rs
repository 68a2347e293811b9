//! Bit-serial CRC steps become table lookups.
//!
//! A bitwise CRC handles one bit per step: `x = (x >> 1) ^ P if x & 1 else
//! x >> 1` (a reflected CRC with polynomial `P`), written with an `if` (the
//! viper lowering turns it into a `select`) or without one
//! (`(x >> 1) ^ (P & -(x & 1))`, `(x >> 1) ^ ((x & 1) * P)`). Eight steps
//! in a row (a `for k in range(8)` loop, which strip mining unrolls) are a
//! chain of eight dependent shift/xor/select groups, about twenty cycles per
//! byte. Each step is linear over GF(2) in the bits of the word, and a step
//! of a word whose low bit is clear is a plain shift, so `n` steps of `x`
//! equal `(x >> n) ^ T[x & (2^n - 1)]`, where `T[b]` is `n` steps of `b`
//! computed at compile time. This holds for the whole machine word and for
//! either shift: an arithmetic shift copies the sign bit, which is linear
//! too. The pass replaces each run of up to [`CHUNK`] consecutive steps (at
//! least [`MIN_STEPS`]) with that lookup: a load from a table of `2^n`
//! words, or of 32-bit words when every entry fits, appended to the
//! function's code ([`crate::link`]) and addressed relative to the
//! instruction pointer. The same idea is GCC's CRC optimization and LLVM's
//! hash recognition.
//!
//! The steps' instructions that nothing else reads are removed (so the
//! passes after this one see the smaller loop body). MSB-first CRCs (`x << 1` with a
//! test of the top bit) are not recognised.

use std::collections::HashMap;

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::immediates::Imm64;
use cranelift_codegen::ir::{
    types, ExternalName, Function, GlobalValue, GlobalValueData, Inst, InstBuilder, InstructionData, MemFlagsData,
    Opcode, UserExternalName, Value,
};

use crate::clif::{binary, constant, def, pure};

/// Most steps one lookup replaces (a table of 256 entries).
pub const CHUNK: u32 = 8;

/// Fewest steps worth a lookup.
pub const MIN_STEPS: u32 = 4;

/// The namespace of the tables' external names (the interrupt trampoline is
/// namespace 0).
pub const TABLES: u32 = 1;

/// The shift of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shift {
    /// `ushr` (a `uint`).
    Logical,
    /// `sshr` (an `int`).
    Arithmetic,
}

/// What a step does besides its input: its polynomial and shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Kind {
    /// The word XORed in when the low bit is set.
    pub poly: i64,
    /// The shift right by one.
    pub shift: Shift,
}

impl Kind {
    /// One step of `x`.
    pub fn step(self, x: i64) -> i64 {
        let shifted = match self.shift {
            Shift::Logical => ((x as u64) >> 1) as i64,
            Shift::Arithmetic => x >> 1,
        };
        if x & 1 != 0 {
            shifted ^ self.poly
        } else {
            shifted
        }
    }

    /// The table of `n` steps of every `n`-bit value.
    pub fn table(self, n: u32) -> Vec<i64> {
        (0..1i64 << n).map(|b| (0..n).fold(b, |x, _| self.step(x))).collect()
    }
}

/// A table the function reads: its entries as little-endian bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The bytes (4 or 8 per entry).
    pub bytes: Vec<u8>,
    /// 4 or 8.
    pub entry: u8,
}

impl Table {
    fn new(entries: &[i64]) -> Table {
        let narrow = entries.iter().all(|&e| (0..=u32::MAX as i64).contains(&e));
        let bytes = if narrow {
            entries.iter().flat_map(|&e| (e as u32).to_le_bytes()).collect()
        } else {
            entries.iter().flat_map(|&e| e.to_le_bytes()).collect()
        };
        Table { bytes, entry: if narrow { 4 } else { 8 } }
    }
}

/// Replaces the CRC step chains of `func` (see the module documentation);
/// the tables the new code reads, indexed by their external names' index.
pub fn tabulate(func: &mut Function) -> Vec<Table> {
    // Every step, in layout order: result -> (input, kind).
    let mut steps: HashMap<Value, (Value, Kind)> = HashMap::new();
    let mut order = Vec::new();
    let mut consumers: HashMap<Value, Vec<Value>> = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let Some(&y) = func.dfg.inst_results(inst).first() else { continue };
            if let Some((x, kind)) = step(func, y) {
                steps.insert(y, (x, kind));
                order.push(y);
                consumers.entry(x).or_default().push(y);
            }
        }
    }
    let mut uses = use_counts(func);
    let mut tables: Vec<Table> = Vec::new();
    // Each table's global value (its address) and entry width.
    let mut names: HashMap<(Kind, u32), (GlobalValue, u8)> = HashMap::new();
    for &head in &order {
        let (x, kind) = steps[&head];
        // A chain starts where the input is not the only step of its kind
        // reading a step of the same kind.
        if steps.get(&x).is_some_and(|&(_, k)| k == kind) && sole_consumer(&consumers, &steps, x, kind).is_some() {
            continue;
        }
        let mut chain = vec![head];
        while let Some(next) = sole_consumer(&consumers, &steps, *chain.last().unwrap_or(&head), kind) {
            chain.push(next);
        }
        let mut input = x;
        for chunk in chain.chunks(CHUNK as usize) {
            let n = chunk.len() as u32;
            if n < MIN_STEPS {
                break;
            }
            let last = chunk[chunk.len() - 1];
            let (table, entry) = *names.entry((kind, n)).or_insert_with(|| {
                let t = Table::new(&kind.table(n));
                let entry = t.entry;
                tables.push(t);
                (address(func, tables.len() as u32 - 1), entry)
            });
            lookup(func, &mut uses, input, last, kind, n, table, entry);
            input = last;
        }
    }
    tables
}

/// The one step of `kind` that reads `x`, if there is exactly one.
fn sole_consumer(
    consumers: &HashMap<Value, Vec<Value>>,
    steps: &HashMap<Value, (Value, Kind)>,
    x: Value,
    kind: Kind,
) -> Option<Value> {
    let mut it = consumers.get(&x)?.iter().filter(|y| steps[*y].1 == kind);
    match (it.next(), it.next()) {
        (Some(&y), None) => Some(y),
        _ => None,
    }
}

/// How many times each value (aliases resolved) is read.
fn use_counts(func: &Function) -> HashMap<Value, usize> {
    let mut uses = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            for v in func.dfg.inst_values(inst) {
                *uses.entry(func.dfg.resolve_aliases(v)).or_default() += 1;
            }
        }
    }
    uses
}

/// Removes `inst` (whose results are unused), then the pure instructions
/// that only it read, and so on.
fn remove_unused(func: &mut Function, uses: &mut HashMap<Value, usize>, inst: Inst) {
    let mut work = vec![inst];
    while let Some(inst) = work.pop() {
        let args: Vec<Value> = func.dfg.inst_values(inst).map(|v| func.dfg.resolve_aliases(v)).collect();
        func.layout.remove_inst(inst);
        for v in args {
            let n = uses.entry(v).or_default();
            *n = n.saturating_sub(1);
            if *n > 0 {
                continue;
            }
            let Some(d) = def(func, v) else { continue };
            let unused = func.dfg.inst_results(d).iter().all(|r| uses.get(r).copied().unwrap_or(0) == 0);
            if unused && func.layout.inst_block(d).is_some() && pure(func.dfg.insts[d].opcode()) && !work.contains(&d) {
                work.push(d);
            }
        }
    }
}

/// The address of table `index` (resolved by [`crate::link`]).
fn address(func: &mut Function, index: u32) -> GlobalValue {
    let name = func.declare_imported_user_function(UserExternalName { namespace: TABLES, index });
    func.create_global_value(GlobalValueData::Symbol {
        name: ExternalName::User(name),
        offset: Imm64::new(0),
        colocated: true,
        tls: false,
    })
}

/// Makes `last` (the result of the chunk's last step) the lookup of `n`
/// steps of `input` in `table`, computed where `last` was.
#[allow(clippy::too_many_arguments)]
fn lookup(
    func: &mut Function,
    uses: &mut HashMap<Value, usize>,
    input: Value,
    last: Value,
    kind: Kind,
    n: u32,
    table: GlobalValue,
    entry: u8,
) {
    let Some(inst) = def(func, last) else { return };
    let mut cur = FuncCursor::new(func).at_inst(inst);
    let low = cur.ins().band_imm_s(input, (1i64 << n) - 1);
    let offset = cur.ins().ishl_imm_s(low, i64::from(entry.trailing_zeros()));
    let base = cur.ins().symbol_value(types::I64, table);
    let at = cur.ins().iadd(base, offset);
    let flags = MemFlagsData::new().with_notrap().with_aligned().with_readonly();
    let t = if entry == 4 { cur.ins().uload32(flags, at, 0) } else { cur.ins().load(types::I64, flags, at, 0) };
    let shifted = match kind.shift {
        Shift::Logical => cur.ins().ushr_imm_s(input, i64::from(n)),
        Shift::Arithmetic => cur.ins().sshr_imm_s(input, i64::from(n)),
    };
    let result = cur.ins().bxor(shifted, t);
    let input = func.dfg.resolve_aliases(input);
    *uses.entry(input).or_default() += 2;
    let reads = uses.remove(&last).unwrap_or(0);
    uses.insert(result, reads);
    func.dfg.detach_inst_results(inst);
    func.dfg.change_to_alias(last, result);
    remove_unused(func, uses, inst);
}

/// `y` is one CRC step of some `x`: `(x, kind)` (machine words only: the
/// tables and the lookup are made for them).
fn step(func: &Function, y: Value) -> Option<(Value, Kind)> {
    if func.dfg.value_type(y) != types::I64 {
        return None;
    }
    let inst = def(func, y)?;
    match func.dfg.insts[inst] {
        // select(x & 1, (x >> 1) ^ P, x >> 1)
        InstructionData::Ternary { opcode: Opcode::Select, args: [c, t, f] } => {
            let (x, set) = low_bit(func, c)?;
            let (t, f) = if set { (t, f) } else { (f, t) };
            let shift = shift_of(func, f, x)?;
            let (a, poly) = with_constant(func, t, Opcode::Bxor)?;
            (shift_of(func, a, x)? == shift).then_some((x, Kind { poly, shift }))
        }
        // (x >> 1) ^ mask, mask = P if x & 1 else 0
        InstructionData::Binary { opcode: Opcode::Bxor, args: [a, b] } => {
            [(a, b), (b, a)].into_iter().find_map(|(s, m)| {
                let x = shifted(func, s)?.0;
                let poly = masked_poly(func, m, x)?;
                Some((x, Kind { poly, shift: shift_of(func, s, x)? }))
            })
        }
        _ => None,
    }
}

/// `v` is `x >> 1`: `(x, shift)`.
fn shifted(func: &Function, v: Value) -> Option<(Value, Shift)> {
    let inst = def(func, v)?;
    for (op, shift) in [(Opcode::Ushr, Shift::Logical), (Opcode::Sshr, Shift::Arithmetic)] {
        if func.dfg.insts[inst].opcode() == op {
            let (x, amount) = with_constant(func, v, op)?;
            return (amount == 1).then(|| (func.dfg.resolve_aliases(x), shift));
        }
    }
    None
}

/// `v` is `x >> 1`: its shift.
fn shift_of(func: &Function, v: Value, x: Value) -> Option<Shift> {
    shifted(func, v).filter(|&(s, _)| s == x).map(|(_, shift)| shift)
}

/// `v` is `P` when `x & 1` is set and 0 otherwise: `P & -(x & 1)`,
/// `(x & 1) * P` or `select(x & 1, P, 0)`.
fn masked_poly(func: &Function, v: Value, x: Value) -> Option<i64> {
    let inst = def(func, v)?;
    match func.dfg.insts[inst] {
        InstructionData::Ternary { opcode: Opcode::Select, args: [c, t, f] } => {
            let (bx, set) = low_bit(func, c)?;
            let (t, f) = if set { (t, f) } else { (f, t) };
            (bx == x && constant(func, f) == Some(0)).then_some(())?;
            constant(func, t)
        }
        _ => {
            if let Some((m, poly)) = with_constant(func, v, Opcode::Band) {
                let neg = def(func, m)?;
                let bit = match func.dfg.insts[neg] {
                    InstructionData::Unary { opcode: Opcode::Ineg, arg } => arg,
                    InstructionData::Binary { opcode: Opcode::Isub, args: [z, arg] }
                        if constant(func, z) == Some(0) =>
                    {
                        arg
                    }
                    _ => return None,
                };
                return (low_bit_of(func, bit)? == x).then_some(poly);
            }
            let (bit, poly) = with_constant(func, v, Opcode::Imul)?;
            (low_bit_of(func, bit)? == x).then_some(poly)
        }
    }
}

/// `v` is `x & 1`: `x`.
fn low_bit_of(func: &Function, v: Value) -> Option<Value> {
    let (x, mask) = with_constant(func, v, Opcode::Band)?;
    (mask == 1).then(|| func.dfg.resolve_aliases(x))
}

/// A condition that tests `x & 1`: `(x, true)` if it holds when the bit is
/// set, `(x, false)` when it is clear (comparisons with zero and
/// extensions of booleans followed).
fn low_bit(func: &Function, c: Value) -> Option<(Value, bool)> {
    let mut set = true;
    let mut v = c;
    for _ in 0..6 {
        if let Some(x) = low_bit_of(func, v) {
            return Some((x, set));
        }
        let inst = def(func, v)?;
        match func.dfg.insts[inst] {
            InstructionData::Unary { opcode: Opcode::Uextend, arg } => v = arg,
            InstructionData::IntCompare { opcode: Opcode::Icmp, cond, args: [a, b] } => {
                let other = match (constant(func, a), constant(func, b)) {
                    (_, Some(0)) => a,
                    (Some(0), _) => b,
                    _ => return None,
                };
                v = zero_test(cond, other, &mut set)?;
            }
            _ => return None,
        }
    }
    None
}

/// `v ==/!= 0`: `v`, with `set` negated for `==`.
fn zero_test(cond: IntCC, v: Value, set: &mut bool) -> Option<Value> {
    match cond {
        IntCC::NotEqual => Some(v),
        IntCC::Equal => {
            *set = !*set;
            Some(v)
        }
        _ => None,
    }
}

/// `v` is `op(a, k)` (or `op(k, a)` for a commutative `op`) for a constant
/// `k`: `(a, k)`.
fn with_constant(func: &Function, v: Value, op: Opcode) -> Option<(Value, i64)> {
    let [a, b] = binary(func, v, op)?;
    if let Some(k) = constant(func, b) {
        Some((a, k))
    } else if op != Opcode::Ushr && op != Opcode::Sshr {
        constant(func, a).map(|k| (b, k))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{build, verify};

    /// Eight steps of the reflected CRC-32 step, written as `form` does.
    fn chain(steps: usize, form: fn(&mut cranelift_frontend::FunctionBuilder<'_>, Value) -> Value) -> Function {
        build(1, |b, args| {
            let mut x = args[0];
            for _ in 0..steps {
                x = form(b, x);
            }
            b.ins().return_(&[x]);
        })
        .0
    }

    fn select_form(b: &mut cranelift_frontend::FunctionBuilder<'_>, x: Value) -> Value {
        let bit = b.ins().band_imm_s(x, 1);
        let zero = b.ins().iconst(types::I64, 0);
        let c = b.ins().icmp(IntCC::NotEqual, bit, zero);
        let s = b.ins().ushr_imm_s(x, 1);
        let p = b.ins().iconst(types::I64, 0xEDB8_8320);
        let t = b.ins().bxor(s, p);
        let s2 = b.ins().ushr_imm_s(x, 1);
        b.ins().select(c, t, s2)
    }

    fn mask_form(b: &mut cranelift_frontend::FunctionBuilder<'_>, x: Value) -> Value {
        let bit = b.ins().band_imm_s(x, 1);
        let m = b.ins().ineg(bit);
        let p = b.ins().iconst(types::I64, -0x3693_A86A_2878_F0BE);
        let pm = b.ins().band(p, m);
        let s = b.ins().sshr_imm_s(x, 1);
        b.ins().bxor(s, pm)
    }

    fn loads(func: &Function) -> usize {
        let insts = func.layout.blocks().flat_map(|b| func.layout.block_insts(b));
        insts.filter(|&i| func.dfg.insts[i].opcode().can_load()).count()
    }

    #[test]
    fn tables_hold_the_steps_of_every_byte() {
        let crc32 = Kind { poly: 0xEDB8_8320, shift: Shift::Logical };
        let t = crc32.table(8);
        // The well-known first entries of the CRC-32 table.
        assert_eq!(&t[..4], &[0, 0x7707_3096, 0xEE0E_612C, 0x9909_51BA]);
        // n steps of any word are its shift and the low bits' entry.
        for x in [0i64, 1, -1, 0x1234_5678_9ABC_DEF0, i64::MIN, 0xFFFF_FFFF] {
            for (kind, n) in [(crc32, 8), (Kind { poly: -77, shift: Shift::Arithmetic }, 5)] {
                let stepped = (0..n).fold(x, |v, _| kind.step(v));
                let shifted = match kind.shift {
                    Shift::Logical => ((x as u64) >> n) as i64,
                    Shift::Arithmetic => x >> n,
                };
                assert_eq!(stepped, shifted ^ kind.table(n)[(x & ((1 << n) - 1)) as usize], "{x:#x} {kind:?}");
            }
        }
        // The standard check values of CRC-32 and CRC-32C over "123456789",
        // a byte at a time through the tables.
        for (poly, check) in [(0xEDB8_8320, 0xCBF4_3926), (0x82F6_3B78, 0xE306_9283)] {
            let table = Kind { poly, shift: Shift::Logical }.table(8);
            let crc = b"123456789".iter().fold(0xFFFF_FFFF, |c, &b| {
                let x = c ^ i64::from(b);
                ((x as u64) >> 8) as i64 ^ table[(x & 255) as usize]
            });
            assert_eq!(crc ^ 0xFFFF_FFFF, check, "{poly:#x}");
        }
        assert_eq!(Table::new(&t).entry, 4);
        assert_eq!(Table::new(&[0, -1]).entry, 8);
        assert_eq!(Table::new(&[0, 1 << 32]).bytes.len(), 16);
    }

    #[test]
    fn eight_selected_steps_become_one_lookup() {
        let mut func = chain(8, select_form);
        let tables = tabulate(&mut func);
        verify(&func);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].entry, 4);
        assert_eq!(tables[0].bytes.len(), 1024);
        assert_eq!(loads(&func), 1, "{}", func.display());
    }

    #[test]
    fn long_chains_take_a_lookup_per_byte_and_short_rests_stay() {
        // 19 steps: two lookups of 8 steps, then 3 steps left as they are.
        let mut func = chain(19, mask_form);
        let tables = tabulate(&mut func);
        verify(&func);
        assert_eq!(tables.len(), 1, "one table for both chunks");
        assert_eq!(tables[0].entry, 8, "a negative polynomial needs whole words");
        assert_eq!(loads(&func), 2);
        // 12 steps: a lookup of 8, then one of 4 (a second table).
        let mut func = chain(12, select_form);
        assert_eq!(tabulate(&mut func).iter().map(|t| t.bytes.len()).collect::<Vec<_>>(), [1024, 64]);
        // Three steps are not worth a table.
        let mut func = chain(3, select_form);
        assert!(tabulate(&mut func).is_empty());
        assert_eq!(loads(&func), 0);
    }

    #[test]
    fn near_misses_are_left_alone() {
        // The polynomial XORed in when the bit is clear (swapped select).
        let swapped = |b: &mut cranelift_frontend::FunctionBuilder<'_>, x: Value| {
            let bit = b.ins().band_imm_s(x, 1);
            let s = b.ins().ushr_imm_s(x, 1);
            let t = b.ins().bxor_imm_s(s, 0xEDB8_8320);
            b.ins().select(bit, s, t)
        };
        // A test of bit 1, and a shift by two.
        let bit1 = |b: &mut cranelift_frontend::FunctionBuilder<'_>, x: Value| {
            let bit = b.ins().band_imm_s(x, 2);
            let s = b.ins().ushr_imm_s(x, 1);
            let t = b.ins().bxor_imm_s(s, 0xEDB8_8320);
            b.ins().select(bit, t, s)
        };
        let by_two = |b: &mut cranelift_frontend::FunctionBuilder<'_>, x: Value| {
            let bit = b.ins().band_imm_s(x, 1);
            let s = b.ins().ushr_imm_s(x, 2);
            let t = b.ins().bxor_imm_s(s, 0xEDB8_8320);
            b.ins().select(bit, t, s)
        };
        // Mixed shifts within a step.
        let mixed = |b: &mut cranelift_frontend::FunctionBuilder<'_>, x: Value| {
            let bit = b.ins().band_imm_s(x, 1);
            let s = b.ins().ushr_imm_s(x, 1);
            let a = b.ins().sshr_imm_s(x, 1);
            let t = b.ins().bxor_imm_s(a, 0xEDB8_8320);
            b.ins().select(bit, t, s)
        };
        for form in [swapped, bit1, by_two, mixed] {
            let mut func = chain(8, form);
            assert!(tabulate(&mut func).is_empty(), "{}", func.display());
        }
        // A non-constant polynomial.
        let mut func = build(2, |b, args| {
            let mut x = args[0];
            for _ in 0..8 {
                let bit = b.ins().band_imm_s(x, 1);
                let s = b.ins().ushr_imm_s(x, 1);
                let t = b.ins().bxor(s, args[1]);
                x = b.ins().select(bit, t, s);
            }
            b.ins().return_(&[x]);
        })
        .0;
        assert!(tabulate(&mut func).is_empty());
        // Steps on 32-bit values.
        let mut func = build(1, |b, args| {
            let mut x = b.ins().ireduce(types::I32, args[0]);
            for _ in 0..8 {
                let bit = b.ins().band_imm_s(x, 1);
                let s = b.ins().ushr_imm_s(x, 1);
                let t = b.ins().bxor_imm_s(s, 0xEDB8_8320u32 as i32 as i64);
                x = b.ins().select(bit, t, s);
            }
            let r = b.ins().uextend(types::I64, x);
            b.ins().return_(&[r]);
        })
        .0;
        assert!(tabulate(&mut func).is_empty());
    }

    #[test]
    fn a_step_read_twice_ends_its_chain() {
        // Four steps, whose result two chains of four steps each read: three
        // chains of four, three lookups in the one table of four steps.
        let mut func = build(1, |b, args| {
            let mut x = args[0];
            for _ in 0..4 {
                x = select_form(b, x);
            }
            let (mut p, mut q) = (x, x);
            for _ in 0..4 {
                p = select_form(b, p);
                q = select_form(b, q);
            }
            let r = b.ins().bxor(p, q);
            b.ins().return_(&[r]);
        })
        .0;
        let tables = tabulate(&mut func);
        verify(&func);
        assert_eq!(tables.len(), 1, "{}", func.display());
        assert_eq!(loads(&func), 3);
        // The steps are gone: no select is left.
        let insts: Vec<_> = func.layout.blocks().flat_map(|b| func.layout.block_insts(b)).collect();
        assert!(insts.iter().all(|&i| func.dfg.insts[i].opcode() != Opcode::Select), "{}", func.display());
    }
}
