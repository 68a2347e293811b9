//! A generator of random, type-correct viper functions: `int`/`uint`
//! arithmetic with wraparound, shifts, signed and unsigned comparisons,
//! `//`/`%`, casts, loops (`while`, `for ... in range`, `break`, `continue`),
//! branches, `ptr8`/`ptr16`/`ptr32` loads and stores on a bytearray, calls
//! of another viper function, and idioms the optimizing tier rewrites.

/// A small deterministic random source (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const INT_CONSTS: &[&str] = &["0", "1", "2", "3", "7", "-1", "-5", "31", "100", "255", "1000", "0x7fff", "0x3fffffff"];
const BIG_CONSTS: &[&str] = &["0x7fffffff", "0x12345678", "-0x40000000", "0xdeadbeef"];
const INT_VARS: &[&str] = &["a", "b", "x0", "x1", "x2"];
const UINT_VARS: &[&str] = &["c", "u0", "u1"];
/// Python-level argument values: edges of the word, small values, big ones.
pub const ARG_VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "7",
    "-9",
    "100",
    "-1000",
    "65535",
    "0x7fffffff",
    "-0x80000000",
    "0x12345678",
    "2**40",
    "-(2**40)",
    "2**62",
    "-(2**63)",
    "2**63 - 1",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Int,
    Uint,
}

/// Builds one function's source.
struct Gen<'r> {
    rng: &'r mut Rng,
    out: String,
    /// Open loops (their counters are not assigned in the body).
    loops: u32,
    /// The open loops' counters, which expressions read too (products of
    /// a counter and an invariant are strength-reduced by the optimizing tier).
    counters: Vec<String>,
    statements: u32,
}

impl Gen<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn leaf(&mut self, ty: Ty) -> String {
        match ty {
            Ty::Int => match self.rng.below(10) {
                0 if !self.counters.is_empty() => self.rng.pick(&self.counters).clone(),
                0..=4 => self.rng.pick(INT_VARS).to_string(),
                5 => self.rng.pick(BIG_CONSTS).to_string(),
                6 => format!("p{}[{} & {}]", [8, 16, 32][self.rng.below(3)], self.leaf(Ty::Int), 15),
                _ => self.rng.pick(INT_CONSTS).to_string(),
            },
            Ty::Uint => match self.rng.below(6) {
                0..=3 => self.rng.pick(UINT_VARS).to_string(),
                4 => format!("uint({})", self.rng.pick(INT_CONSTS)),
                _ => format!("uint({})", self.rng.pick(INT_VARS)),
            },
        }
    }

    fn expr(&mut self, ty: Ty, depth: u32) -> String {
        if depth == 0 || self.rng.below(4) == 0 {
            return self.leaf(ty);
        }
        let d = depth - 1;
        match self.rng.below(12) {
            0..=5 => {
                let op = self.rng.pick(&["+", "-", "*", "&", "|", "^"]);
                let rty = if self.rng.below(5) == 0 { Ty::Uint } else { ty };
                // The left operand decides the type (a variable, not a constant).
                let l = self.expr_var_first(ty, d);
                format!("({l} {op} {})", self.expr(rty, d))
            }
            6 | 7 => {
                let op = self.rng.pick(&["<<", ">>"]);
                let l = self.expr_var_first(ty, d);
                let amount = if self.rng.below(3) == 0 {
                    self.expr(Ty::Int, d)
                } else {
                    format!("({} & 63)", self.expr(Ty::Int, d))
                };
                format!("({l} {op} {amount})")
            }
            8 if ty == Ty::Int => {
                let op = self.rng.pick(&["//", "%"]);
                let l = self.expr_var_first(Ty::Int, d);
                // Mostly non-zero divisors; a zero one raises in both tiers.
                let r = if self.rng.below(8) == 0 {
                    self.expr(Ty::Int, d)
                } else {
                    format!("({} | 1)", self.expr(Ty::Int, d))
                };
                format!("({l} {op} {r})")
            }
            9 if ty == Ty::Int => format!("(-{})", self.expr_var_first(Ty::Int, d)),
            10 => format!("(~{})", self.expr_var_first(ty, d)),
            _ => match ty {
                Ty::Int => format!("int({})", self.expr(Ty::Uint, d)),
                Ty::Uint => format!("uint({})", self.expr(Ty::Int, d)),
            },
        }
    }

    /// An expression of type `ty` that starts with a typed value (so a binary
    /// operation takes its type).
    fn expr_var_first(&mut self, ty: Ty, depth: u32) -> String {
        let e = self.expr(ty, depth);
        if e.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            match ty {
                Ty::Int => self.rng.pick(INT_VARS).to_string(),
                Ty::Uint => self.rng.pick(UINT_VARS).to_string(),
            }
        } else {
            e
        }
    }

    fn cond(&mut self) -> String {
        let ty = if self.rng.below(3) == 0 { Ty::Uint } else { Ty::Int };
        match self.rng.below(5) {
            0 if ty == Ty::Int => self.expr_var_first(Ty::Int, 1),
            _ => {
                let op = self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                let l = self.expr_var_first(ty, 2);
                let r = match ty {
                    Ty::Int => self.expr(Ty::Int, 1),
                    // A comparison needs two uints: no bare constants.
                    Ty::Uint => self.expr_var_first(Ty::Uint, 1),
                };
                format!("{l} {op} {r}")
            }
        }
    }

    fn block(&mut self, indent: usize, n: usize, depth: u32) {
        for _ in 0..n {
            self.statement(indent, depth);
        }
    }

    fn statement(&mut self, indent: usize, depth: u32) {
        self.statements += 1;
        let choice = if depth == 0 || self.statements > 40 { self.rng.below(5) } else { self.rng.below(16) };
        match choice {
            10 => self.memory_idiom(indent),
            12 => self.crc_steps(indent),
            13 => self.byte_lanes(indent),
            14 => self.scan_loop(indent),
            15 => self.running_extreme(indent),
            11 if self.loops < 2 => self.stepped_loop(indent, depth),
            0 | 1 => {
                let v = self.rng.pick(&["x0", "x1", "x2"]);
                let e = self.expr_var_first(Ty::Int, 3);
                self.line(indent, &format!("{v} = {e}"));
            }
            2 => {
                let v = self.rng.pick(&["u0", "u1"]);
                let e = self.expr_var_first(Ty::Uint, 3);
                self.line(indent, &format!("{v} = {e}"));
            }
            3 => {
                let (p, mask) = *self.rng.pick(&[("p8", 63), ("p16", 31), ("p32", 15)]);
                let i = self.expr(Ty::Int, 2);
                let ty = if self.rng.below(3) == 0 { Ty::Uint } else { Ty::Int };
                let v = self.expr(ty, 2);
                self.line(indent, &format!("{p}[{i} & {mask}] = {v}"));
            }
            4 => {
                let v = self.rng.pick(&["x0", "x1", "x2"]);
                let e = self.expr(Ty::Int, 2);
                self.line(indent, &format!("{v} = int(g({e}))"));
            }
            5 | 6 => {
                let c = self.cond();
                self.line(indent, &format!("if {c}:"));
                let n = 1 + self.rng.below(3);
                self.block(indent + 1, n, depth - 1);
                if self.rng.below(2) == 0 {
                    self.line(indent, "else:");
                    let n = 1 + self.rng.below(2);
                    self.block(indent + 1, n, depth - 1);
                }
            }
            7 if self.loops < 2 => {
                let i = format!("i{}", self.loops);
                let n = 1 + self.rng.below(6);
                self.line(indent, &format!("{i} = 0"));
                self.line(indent, &format!("while {i} < {n}:"));
                self.line(indent + 1, &format!("{i} += 1"));
                self.loop_body(i, indent + 1, depth);
            }
            8 if self.loops < 2 => {
                let j = format!("j{}", self.loops);
                // A constant bound (short loops, unrolled), or one read from
                // an argument: up to 15 iterations, or (outermost loops) up
                // to 2,100, several strips of the optimizing tier's strip
                // mining; counting up, by 3, or down by 2.
                let bound = match self.rng.below(4) {
                    0 if self.loops == 0 => format!("(b & 3) * {}", 600 + self.rng.below(200)),
                    1 => "a & 15".to_string(),
                    _ => (1 + self.rng.below(6)).to_string(),
                };
                let range = match self.rng.below(4) {
                    0 => format!("range(0, {bound}, 3)"),
                    1 => format!("range({bound}, 0, -2)"),
                    _ => format!("range({bound})"),
                };
                self.line(indent, &format!("for {j} in {range}:"));
                self.loop_body(j, indent + 1, depth);
            }
            9 if self.loops > 0 => {
                let c = self.cond();
                let what = self.rng.pick(&["break", "continue"]);
                self.line(indent, &format!("if {c}:"));
                self.line(indent + 1, what);
            }
            _ => {
                let v = self.rng.pick(&["x0", "x1", "x2"]);
                let e = self.expr_var_first(Ty::Int, 2);
                self.line(indent, &format!("{v} += {e}"));
            }
        }
    }
}

impl Gen<'_> {
    /// A loop whose counter steps by a value the function computes (the
    /// optimizing tier's strips and their unrolled rounds for an invariant
    /// step): 1 to 4, or now and then a step too large for long strips.
    fn stepped_loop(&mut self, indent: usize, depth: u32) {
        let (j, s) = (format!("j{}", self.loops), format!("s{}", self.loops));
        let huge = self.rng.below(5) == 0;
        let step =
            if huge { "(1 + (a & 1)) << 40".to_string() } else { format!("1 + ({} & 3)", self.rng.pick(&["a", "b"])) };
        let bound = match self.rng.below(3) {
            _ if huge => "(b & 7) << 40".to_string(),
            0 if self.loops == 0 => format!("(b & 3) * {}", 600 + self.rng.below(300)),
            1 => "a & 63".to_string(),
            _ => (1 + self.rng.below(40)).to_string(),
        };
        self.line(indent, &format!("{s} = {step}"));
        self.line(indent, &format!("{j} = 0"));
        self.line(indent, &format!("while {j} < {bound}:"));
        // The step first: a `continue` in the body goes on counting.
        self.line(indent + 1, &format!("{j} += {s}"));
        self.loop_body(j, indent + 1, depth);
    }

    /// One to three statements in a loop counting with `counter` (which
    /// they may read).
    fn loop_body(&mut self, counter: String, indent: usize, depth: u32) {
        self.loops += 1;
        self.counters.push(counter);
        let k = 1 + self.rng.below(3);
        self.block(indent, k, depth - 1);
        self.counters.pop();
        self.loops -= 1;
    }

    /// A short memory idiom the optimizing tier rewrites (its if-conversion
    /// of stores and its store-to-load forwarding): a compare-exchange, a
    /// conditional overwrite, or loops whose iterations read what the one
    /// before stored (a bubble sort's pass, running sums, stepping by 2).
    fn memory_idiom(&mut self, indent: usize) {
        let (p, mask) = *self.rng.pick(&[("p8", 31), ("p16", 15), ("p32", 7)]);
        let op = *self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
        let i = self.expr(Ty::Int, 1);
        let exchange = |g: &mut Self, indent: usize| {
            g.line(indent, &format!("if {p}[q] {op} {p}[q + 1]:"));
            g.line(indent + 1, &format!("t = {p}[q]"));
            g.line(indent + 1, &format!("{p}[q] = {p}[q + 1]"));
            g.line(indent + 1, &format!("{p}[q + 1] = t"));
        };
        match self.rng.below(5) {
            0 => {
                self.line(indent, &format!("q = ({i}) & {mask}"));
                exchange(self, indent);
            }
            1 => {
                self.line(indent, &format!("q = ({i}) & {mask}"));
                let k = self.leaf(Ty::Int);
                let v = self.expr(Ty::Int, 1);
                self.line(indent, &format!("if {p}[q] {op} {k}:"));
                self.line(indent + 1, &format!("{p}[q] = {v}"));
            }
            2 => {
                self.line(indent, &format!("for q in range(({i}) & {mask}):"));
                exchange(self, indent + 1);
            }
            3 => {
                // Shifts right make the high bits of what the previous
                // iteration computed matter (the store dropped them).
                let op = self.rng.pick(&["+", "-", "^", "*"]);
                let v = self.expr(Ty::Int, 1);
                let e = match self.rng.below(3) {
                    0 => format!("{p}[q] {op} {v}"),
                    1 => format!("({p}[q] {op} {v}) >> {}", 1 + self.rng.below(3)),
                    _ => format!("({p}[q] >> 1) {op} {v}"),
                };
                self.line(indent, &format!("for q in range(({i}) & {mask}):"));
                self.line(indent + 1, &format!("{p}[q + 1] = {e}"));
            }
            _ => {
                self.line(indent, &format!("for q in range(0, ({i}) & {mask}, 2):"));
                self.line(indent + 1, &format!("{p}[q + 2] = {p}[q] + 1"));
            }
        }
    }
}

impl Gen<'_> {
    /// Bit-serial CRC steps on a variable (the optimizing tier's table
    /// lookups, emitters/cranelift/src/crc.rs): `k` steps of `v = (v >> 1)
    /// ^ P if v & 1 else v >> 1` for an `int` (arithmetic shifts) or a
    /// `uint`, with an `if` (the bit tested set or clear) or without one;
    /// now and then a near miss (another bit tested, a shift by two).
    fn crc_steps(&mut self, indent: usize) {
        let uint = self.rng.below(2) == 0;
        let v = if uint { *self.rng.pick(&["u0", "u1"]) } else { *self.rng.pick(&["x0", "x1", "x2"]) };
        let poly = *self.rng.pick(&["0xEDB88320", "0x82F63B78", "0xA001", "0x3693a86a2878f0be", "-0x5b5"]);
        let poly = if uint { format!("uint({poly})") } else { poly.to_string() };
        let near_miss = self.rng.below(8) == 0;
        let (bit, by) = if near_miss { *self.rng.pick(&[("2", "1"), ("1", "2")]) } else { ("1", "1") };
        // Up to 8 steps are unrolled (a chain the tier tabulates); 9 or 10 stay a loop.
        let k = 1 + self.rng.below(10);
        self.line(indent, &format!("for k in range({k}):"));
        match self.rng.below(4) {
            0 => {
                self.line(indent + 1, &format!("if {v} & {bit}:"));
                self.line(indent + 2, &format!("{v} = ({v} >> {by}) ^ {poly}"));
                self.line(indent + 1, "else:");
                self.line(indent + 2, &format!("{v} >>= {by}"));
            }
            1 => {
                let zero = if uint { "uint(0)" } else { "0" };
                self.line(indent + 1, &format!("if ({v} & {bit}) == {zero}:"));
                self.line(indent + 2, &format!("{v} = {v} >> {by}"));
                self.line(indent + 1, "else:");
                self.line(indent + 2, &format!("{v} = ({v} >> {by}) ^ {poly}"));
            }
            2 => self.line(indent + 1, &format!("{v} = ({v} >> {by}) ^ (({v} & {bit}) * {poly})")),
            _ if uint => self.line(indent + 1, &format!("{v} = ({v} >> {by}) ^ ({poly} & uint(-int({v} & {bit})))")),
            _ => self.line(indent + 1, &format!("{v} = ({v} >> {by}) ^ ({poly} & -({v} & {bit}))")),
        }
    }
}

impl Gen<'_> {
    /// A word put together byte by byte from one computation on the bytes of
    /// other words, as pixel code does (the optimizing tier computes all the
    /// bytes at once in SIMD lanes, emitters/cranelift/src/lanes.rs):
    /// `t |= ((E >> c) & m) << s` for `s = 0, 8, ...`, where `E` reads byte
    /// `s` of two words; now and then a near miss (a shift and mask reading
    /// above bit 15, a right shift inside `E`, the byte put elsewhere).
    fn byte_lanes(&mut self, indent: usize) {
        let near_miss = self.rng.below(6) == 0;
        let words = [self.rng.pick(&["a", "x0", "x1", "int(u0)"]).to_string(), self.rng.pick(INT_VARS).to_string()];
        let e = self.lane_expr(&words, 2, near_miss);
        let (c, m) = *self.rng.pick(&[(8, "255"), (8, "127"), (0, "255"), (4, "15"), (3, "0xff")]);
        let (c, m) = if near_miss { *self.rng.pick(&[(9, "255"), (8, "0x1ff"), (c, m)]) } else { (c, m) };
        let to = if near_miss && self.rng.below(2) == 0 { "(s + 8)" } else { "s" };
        let start = self.rng.pick(&["0", "x1", "b"]).to_string();
        self.line(indent, &format!("t = {start}"));
        let end = *self.rng.pick(&["32", "32", "64", "16", "24"]);
        let term = format!("t |= ((({e}) >> {c}) & {m}) << {to}");
        if self.rng.below(2) == 0 {
            self.line(indent, &format!("for s in range(0, {end}, 8):"));
            self.line(indent + 1, &term);
        } else {
            self.line(indent, "s = 0");
            self.line(indent, &format!("while s < {end}:"));
            self.line(indent + 1, &term);
            self.line(indent + 1, "s += 8");
        }
        self.line(indent, "x2 = x2 ^ t");
    }

    /// A computation on byte `s` of `words` and values shared by every byte.
    fn lane_expr(&mut self, words: &[String; 2], depth: u32, near_miss: bool) -> String {
        if depth == 0 || self.rng.below(5) == 0 {
            return match self.rng.below(5) {
                0 | 1 => format!("(({} >> s) & 255)", words[self.rng.below(2)]),
                2 => self.rng.pick(&["a", "b", "(256 - a)", "x1"]).to_string(),
                _ => self.rng.pick(&["3", "100", "255", "-7", "0x1234"]).to_string(),
            };
        }
        let l = self.lane_expr(words, depth - 1, near_miss);
        match self.rng.below(8) {
            0 if near_miss => format!("({l} >> 2)"),
            1 => format!("({l} << {})", self.rng.below(4)),
            _ => {
                let op = self.rng.pick(&["*", "*", "+", "-", "&", "|", "^"]);
                format!("({l} {op} {})", self.lane_expr(words, depth - 1, near_miss))
            }
        }
    }
}

impl Gen<'_> {
    /// A loop carrying a running maximum or minimum of the elements it reads
    /// (the optimizing tier's prefix scans, emitters/cranelift/src/scan.rs):
    /// a bubble sort's pass, a running extreme stored in place or only
    /// kept; now and then a near miss (a running value starting as any word,
    /// a store where the next iteration loads).
    fn scan_loop(&mut self, indent: usize) {
        // Elements in the 64-byte buffer, less the two past the end read.
        let (p, last) = *self.rng.pick(&[("p8", 61), ("p16", 29), ("p32", 13)]);
        let n = format!("{last} - (({}) & 7)", self.expr(Ty::Int, 1));
        let op = *self.rng.pick(&["<", "<=", ">", ">="]);
        let start =
            self.rng.pick(&["0".to_string(), "255".into(), format!("{p}[0]"), format!("{p}[3]"), "x1".into()]).clone();
        match self.rng.below(4) {
            0 => {
                self.line(indent, &format!("for q in range({n}):"));
                self.line(indent + 1, &format!("if {p}[q] {op} {p}[q + 1]:"));
                self.line(indent + 2, &format!("t = {p}[q]"));
                self.line(indent + 2, &format!("{p}[q] = {p}[q + 1]"));
                self.line(indent + 2, &format!("{p}[q + 1] = t"));
            }
            1 => {
                self.line(indent, &format!("t = {start}"));
                self.line(indent, &format!("for q in range({n}):"));
                self.line(indent + 1, &format!("if {p}[q] {op} t:"));
                self.line(indent + 2, &format!("t = {p}[q]"));
                self.line(indent + 1, &format!("{p}[q] = t"));
                self.line(indent, "x2 = x2 ^ t");
            }
            2 => {
                self.line(indent, &format!("t = {start}"));
                self.line(indent, &format!("for q in range({n}):"));
                self.line(indent + 1, &format!("if t {op} {p}[q + 1]:"));
                self.line(indent + 2, &format!("t = {p}[q + 1]"));
                self.line(indent, "x2 = x2 ^ t");
            }
            _ => {
                // The running value stored where the iteration after next
                // loads it.
                self.line(indent, &format!("t = {start}"));
                self.line(indent, &format!("for q in range({n}):"));
                self.line(indent + 1, &format!("if {p}[q] {op} t:"));
                self.line(indent + 2, &format!("t = {p}[q]"));
                self.line(indent + 1, &format!("{p}[q + 2] = t"));
                self.line(indent, "x2 = x2 ^ t");
            }
        }
    }
}

impl Gen<'_> {
    /// A loop carrying a running maximum or minimum (the optimizing tier
    /// regroups its unrolled steps, emitters/cranelift/src/minmax.rs) of
    /// the elements of a pointer, shifted so that some are negative: for an
    /// `int` or (through `uint(...)`) a `uint`, spelled with an `if` or a
    /// conditional expression, any ordering, the arms either way round;
    /// now and then a near miss (a signed and an unsigned step on one
    /// variable, a maximum then a minimum), or a bubble sort's pass read
    /// back through another width.
    fn running_extreme(&mut self, indent: usize) {
        let (p, mask) = *self.rng.pick(&[("p8", 63), ("p16", 31), ("p32", 15)]);
        let bound = match self.rng.below(3) {
            0 => mask.to_string(),
            _ => format!("({}) & {mask}", self.expr(Ty::Int, 1)),
        };
        let shift = *self.rng.pick(&["0", "40", "100", "0x7fffffff"]);
        let op = *self.rng.pick(&["<", "<=", ">", ">="]);
        let uint = self.rng.below(3) == 0;
        let v = if uint { *self.rng.pick(&["u0", "u1"]) } else { *self.rng.pick(&["x0", "x1", "x2"]) };
        let t = if uint { "uint(t)" } else { "t" };
        self.line(indent, &format!("for q in range({bound}):"));
        self.line(indent + 1, &format!("t = {p}[q] - {shift}"));
        match self.rng.below(8) {
            0 => {
                // Sorting: a bubble sort's pass, then a pass the other way.
                let other = if op.starts_with('<') { ">" } else { "<" };
                self.line(indent + 1, &format!("if {p}[q] {op} {p}[q + 1]:"));
                self.line(indent + 2, &format!("t = {p}[q]"));
                self.line(indent + 2, &format!("{p}[q] = {p}[q + 1]"));
                self.line(indent + 2, &format!("{p}[q + 1] = t"));
                self.line(indent + 1, &format!("{v} = {v} if {v} {other} {t} else {t}"));
            }
            1 => {
                // Signed and unsigned, or a maximum then a minimum.
                let (a, b) = if self.rng.below(2) == 0 { ("t", "uint(t)") } else { ("t", "t") };
                let v = *self.rng.pick(&["x0", "x1", "x2"]);
                let cast = |e: &str| if e.starts_with("uint") { format!("uint({v})") } else { v.to_string() };
                self.line(indent + 1, &format!("if {a} > {}:", cast(a)));
                self.line(indent + 2, &format!("{v} = t"));
                self.line(indent + 1, &format!("if {b} < {}:", cast(b)));
                self.line(indent + 2, &format!("{v} = t"));
            }
            2 | 3 => {
                let (l, r) = if self.rng.below(2) == 0 { (t, v) } else { (v, t) };
                self.line(indent + 1, &format!("if {l} {op} {r}:"));
                self.line(indent + 2, &format!("{v} = {t}"));
            }
            _ => {
                let (a, b) = if self.rng.below(2) == 0 { (t, v) } else { (v, t) };
                let (l, r) = if self.rng.below(2) == 0 { (t, v) } else { (v, t) };
                self.line(indent + 1, &format!("{v} = {a} if {l} {op} {r} else {b}"));
            }
        }
    }
}

/// The helper every generated function may call.
pub const HELPER: &str = "@micropython.viper\ndef g(x: int) -> int:\n    return x * 3 + 1\n";

/// A random viper function named `name` taking `(a: int, b: int, c: uint, buf)`.
pub fn function(rng: &mut Rng, name: &str) -> String {
    let mut g = Gen { rng, out: String::new(), loops: 0, counters: Vec::new(), statements: 0 };
    g.line(0, "@micropython.viper");
    g.line(0, &format!("def {name}(a: int, b: int, c: uint, buf) -> int:"));
    for init in [
        "p8 = ptr8(buf)",
        "p16 = ptr16(buf)",
        "p32 = ptr32(buf)",
        "x0 = a",
        "x1 = b",
        "x2 = 0",
        "u0 = c",
        "u1 = uint(0)",
        "i0 = 0",
        "i1 = 0",
        "j0 = 0",
        "j1 = 0",
        "q = 0",
        "t = 0",
    ] {
        g.line(1, init);
    }
    let n = 2 + g.rng.below(6);
    g.block(1, n, 2);
    let ret = g.expr_var_first(Ty::Int, 2);
    g.line(1, &format!("return {ret} + int(u0) + x0 + x1 + x2"));
    g.out
}

/// A program defining `functions` (sources) and calling each on `inputs`;
/// it prints one line per call: the result (or the exception) and a checksum
/// of the buffer the function received.
pub fn program(functions: &[String], inputs: &[[&str; 3]]) -> String {
    let mut p = String::from("import micropython\n");
    p.push_str(HELPER);
    for (k, f) in functions.iter().enumerate() {
        p.push_str(&f.replacen("def f(", &format!("def f{k}("), 1));
    }
    p.push_str("def check(buf):\n    h = 0\n    for v in buf:\n        h = (h * 31 + v) & 0xffffffff\n    return h\n");
    p.push_str("inputs = [");
    for [a, b, c] in inputs {
        p.push_str(&format!("({a}, {b}, {c}), "));
    }
    p.push_str("]\n");
    p.push_str("for f in [");
    for k in 0..functions.len() {
        p.push_str(&format!("f{k}, "));
    }
    p.push_str("]:\n");
    p.push_str("    for a, b, c in inputs:\n");
    p.push_str("        buf = bytearray(range(64))\n");
    p.push_str(
        "        try:\n            r = f(a, b, c, buf)\n        except Exception as e:\n            r = repr(e)\n",
    );
    p.push_str("        print(r, check(buf))\n");
    p
}
