//! The results and their text forms: the terminal table and JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use ferropy_benches::isa::CROSS_ARCHES;

/// One kernel compiled and run with one emitter.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// Kernel name.
    pub kernel: String,
    /// Emitter: bytecode, native, viper or viper-opt.
    pub mode: String,
    /// Best compile time of the kernel's module, microseconds.
    pub compile_us: Option<f64>,
    /// Code bytes of the kernel function (machine code, or bytecode).
    pub code_bytes: Option<usize>,
    /// The same from MicroPython's `mpy-cross`.
    pub mpy_cross_bytes: Option<usize>,
    /// Best run time in ferropy, microseconds.
    pub run_us: Option<u64>,
    /// Best run time in MicroPython's unix port, same emitter.
    pub micropython_us: Option<u64>,
    /// The kernel's result (every emitter must agree).
    pub result: Option<String>,
    /// Per other instruction set (`armv7m`, `armv6m`, `xtensa`, `xtensawin`):
    /// sizes and emulated instruction counts (native and viper rows).
    pub isa: BTreeMap<String, IsaCell>,
}

/// One kernel function compiled for one instruction set other than x86-64.
#[derive(Clone, Debug, Default)]
pub struct IsaCell {
    /// Machine-code bytes from ferropy.
    pub code_bytes: Option<usize>,
    /// The same from `mpy-cross -march=<isa>`.
    pub mpy_cross_bytes: Option<usize>,
    /// Instructions the kernel executed in the emulator (viper rows).
    pub instructions: Option<u64>,
    /// Why there is no instruction count (viper rows).
    pub why_not: Option<String>,
}

/// Everything one run of the tool measured.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Runs per kernel in a round (best taken).
    pub repeat: u32,
    /// Rounds of those runs (best taken over all).
    pub rounds: u32,
    /// One row per kernel and emitter.
    pub rows: Vec<Row>,
    /// `gcc -O2` time per kernel, microseconds.
    pub gcc_us: BTreeMap<String, u64>,
    /// Compile time the Cranelift tier adds per viper function (best module
    /// compile time with viper-opt minus with single-pass viper), microseconds.
    pub cranelift_us_per_function: Option<f64>,
    /// Compile time the single-pass emitter adds per viper function (single-pass
    /// viper minus bytecode), microseconds.
    pub single_pass_us_per_function: Option<f64>,
    /// Why columns are missing, and other remarks.
    pub notes: Vec<String>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
}

fn ms(us: Option<u64>) -> String {
    us.map_or_else(|| "-".into(), |us| format!("{:.2}", us as f64 / 1000.0))
}

impl Report {
    /// The row of `kernel` with `mode`.
    pub fn row(&self, kernel: &str, mode: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.kernel == kernel && r.mode == mode)
    }

    /// Run time of `mode` over `gcc -O2`'s, for `kernel`.
    pub fn vs_gcc(&self, kernel: &str, mode: &str) -> Option<f64> {
        let run = self.row(kernel, mode)?.run_us? as f64;
        let c = *self.gcc_us.get(kernel)? as f64;
        (c > 0.0).then(|| run / c)
    }

    /// How many times faster `mode` is than single-pass viper, for `kernel`.
    pub fn speedup_over_viper(&self, kernel: &str, mode: &str) -> Option<f64> {
        let v = self.row(kernel, "viper")?.run_us? as f64;
        let run = self.row(kernel, mode)?.run_us? as f64;
        (run > 0.0).then(|| v / run)
    }

    /// The terminal table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let head = [
            "kernel",
            "emitter",
            "compile µs",
            "code B",
            "mpy-cross B",
            "run ms",
            "MicroPython ms",
            "gcc -O2 ms",
            "vs gcc",
            "vs viper",
        ];
        let mut lines: Vec<Vec<String>> = vec![head.iter().map(|h| h.to_string()).collect()];
        for r in &self.rows {
            let vs_gcc = self.vs_gcc(&r.kernel, &r.mode).map_or("-".into(), |x| format!("{x:.2}x"));
            let vs_viper = self.speedup_over_viper(&r.kernel, &r.mode).map_or("-".into(), |x| format!("{x:.2}x"));
            lines.push(vec![
                r.kernel.clone(),
                r.mode.clone(),
                r.compile_us.map_or("-".into(), |c| format!("{c:.0}")),
                opt(r.code_bytes),
                opt(r.mpy_cross_bytes),
                ms(r.run_us),
                ms(r.micropython_us),
                ms(self.gcc_us.get(&r.kernel).copied()),
                vs_gcc,
                vs_viper,
            ]);
        }
        render(&mut s, &lines);
        if let Some(isa) = self.isa_table() {
            s.push('\n');
            s.push_str(&isa);
        }
        let _ = writeln!(
            s,
            "\nbest of {} runs{}; \"vs gcc\": run time / gcc -O2's; \"vs viper\": speedup over single-pass viper.",
            self.repeat * self.rounds.max(1),
            if self.rounds > 1 { format!(" ({} rounds of {})", self.rounds, self.repeat) } else { String::new() }
        );
        if let (Some(c), Some(v)) = (self.cranelift_us_per_function, self.single_pass_us_per_function) {
            let _ = writeln!(
                s,
                "compile time per viper function: single-pass emitter {v:.0} µs, Cranelift tier {c:.0} µs more ({:.0}x).",
                c / v.max(0.1)
            );
        }
        for n in &self.notes {
            let _ = writeln!(s, "note: {n}");
        }
        s
    }

    /// The per-ISA table: machine-code bytes (ferropy/mpy-cross) of the native
    /// and viper functions, and the viper functions' emulated instruction
    /// counts; `None` if nothing was measured.
    pub fn isa_table(&self) -> Option<String> {
        let arches: Vec<&String> = {
            let mut v: Vec<&String> = Vec::new();
            for r in &self.rows {
                for k in r.isa.keys() {
                    if !v.contains(&k) {
                        v.push(k);
                    }
                }
            }
            // In the order of `CROSS_ARCHES`.
            v.sort_by_key(|a| CROSS_ARCHES.iter().position(|c| c == a));
            v
        };
        if arches.is_empty() {
            return None;
        }
        let counted: Vec<&String> = arches
            .iter()
            .copied()
            .filter(|a| self.rows.iter().any(|r| r.isa.get(*a).is_some_and(|c| c.instructions.is_some())))
            .collect();
        let mut head: Vec<String> = vec!["kernel".into(), "emitter".into(), "x64 B".into()];
        head.extend(arches.iter().map(|a| format!("{a} B")));
        head.extend(counted.iter().map(|a| format!("{a} insns")));
        let mut lines = vec![head];
        for r in self.rows.iter().filter(|r| !r.isa.is_empty()) {
            let mut l = vec![r.kernel.clone(), r.mode.clone(), pair(r.code_bytes, r.mpy_cross_bytes)];
            for a in &arches {
                l.push(r.isa.get(*a).map_or("-".into(), |c| pair(c.code_bytes, c.mpy_cross_bytes)));
            }
            for a in &counted {
                l.push(match r.isa.get(*a) {
                    Some(IsaCell { instructions: Some(n), .. }) => n.to_string(),
                    Some(IsaCell { why_not: Some(_), .. }) => "n/a".into(),
                    _ => "-".into(),
                });
            }
            lines.push(l);
        }
        let mut s = String::from(
            "machine code per ISA (bytes, ferropy/mpy-cross) and instructions executed in the emulators:\n",
        );
        render(&mut s, &lines);
        let mut why: Vec<String> = Vec::new();
        for r in &self.rows {
            for (a, c) in &r.isa {
                if let Some(w) = &c.why_not {
                    let line = format!("{} {} on {a}: n/a, {w}", r.kernel, r.mode);
                    if !why.contains(&line) {
                        why.push(line);
                    }
                }
            }
        }
        for w in why {
            let _ = writeln!(s, "  {w}");
        }
        Some(s)
    }

    /// The JSON form.
    pub fn json(&self) -> String {
        let mut s = String::from("{\n");
        let _ = writeln!(s, "  \"repeat\": {},", self.repeat);
        let _ = writeln!(s, "  \"rounds\": {},", self.rounds.max(1));
        let _ = writeln!(s, "  \"cranelift_us_per_function\": {},", num(self.cranelift_us_per_function));
        let _ = writeln!(s, "  \"single_pass_us_per_function\": {},", num(self.single_pass_us_per_function));
        let gcc: Vec<String> = self.gcc_us.iter().map(|(k, v)| format!("{}: {v}", quote(k))).collect();
        let _ = writeln!(s, "  \"gcc_o2_us\": {{{}}},", gcc.join(", "));
        let notes: Vec<String> = self.notes.iter().map(|n| quote(n)).collect();
        let _ = writeln!(s, "  \"notes\": [{}],", notes.join(", "));
        s.push_str("  \"rows\": [\n");
        for (i, r) in self.rows.iter().enumerate() {
            let _ = write!(
                s,
                "    {{\"kernel\": {}, \"emitter\": {}, \"compile_us\": {}, \"code_bytes\": {}, \"mpy_cross_bytes\": {}, \
                 \"run_us\": {}, \"micropython_us\": {}, \"result\": {}, \"isa\": {{{}}}}}",
                quote(&r.kernel),
                quote(&r.mode),
                num(r.compile_us),
                num(r.code_bytes.map(|v| v as f64)),
                num(r.mpy_cross_bytes.map(|v| v as f64)),
                num(r.run_us.map(|v| v as f64)),
                num(r.micropython_us.map(|v| v as f64)),
                r.result.as_deref().map_or("null".into(), quote),
                r.isa.iter().map(|(a, c)| format!("{}: {}", quote(a), c.json())).collect::<Vec<_>>().join(", "),
            );
            s.push_str(if i + 1 < self.rows.len() { ",\n" } else { "\n" });
        }
        s.push_str("  ]\n}\n");
        s
    }
}

impl IsaCell {
    fn json(&self) -> String {
        format!(
            "{{\"code_bytes\": {}, \"mpy_cross_bytes\": {}, \"instructions\": {}, \"why_not\": {}}}",
            num(self.code_bytes.map(|v| v as f64)),
            num(self.mpy_cross_bytes.map(|v| v as f64)),
            num(self.instructions.map(|v| v as f64)),
            self.why_not.as_deref().map_or("null".into(), quote)
        )
    }
}

/// `ours/theirs`, `ours` or `-`.
fn pair(ours: Option<usize>, theirs: Option<usize>) -> String {
    match (ours, theirs) {
        (Some(a), Some(b)) => format!("{a}/{b}"),
        (Some(a), None) => a.to_string(),
        (None, Some(b)) => format!("-/{b}"),
        (None, None) => "-".into(),
    }
}

/// Appends `lines` (the first is the heading) as aligned columns: the first
/// two left-aligned, the others right-aligned.
fn render(s: &mut String, lines: &[Vec<String>]) {
    let columns = lines.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|i| lines.iter().map(|l| l.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0))
        .collect();
    for (n, l) in lines.iter().enumerate() {
        for (i, cell) in l.iter().enumerate() {
            let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.chars().count());
            if i < 2 {
                let _ = write!(s, "{cell}{}  ", " ".repeat(pad));
            } else {
                let _ = write!(s, "{}{cell}  ", " ".repeat(pad));
            }
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        if n == 0 {
            s.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * widths.len()));
            s.push('\n');
        }
    }
}

fn num(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.2}")
            }
        }
        _ => "null".into(),
    }
}

/// A JSON string literal.
pub fn quote(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(q, "\\u{:04x}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}
