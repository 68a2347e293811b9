//! Shared pieces of ferropy's benchmarks: generated workloads, the emitter
//! kernels ([`kernels`]), compiling and measuring machine code per
//! instruction set ([`isa`]) and running kernels in emulators ([`emulate`]).

pub mod emulate;
pub mod isa;
pub mod kernels;

/// Generates a Python module of exactly `lines` lines that exercises the whole
/// frontend: functions with arguments and defaults, classes with methods, loops,
/// conditionals, comprehensions, exceptions, calls, string and number literals.
pub fn generate_module(lines: usize) -> String {
    const BLOCK: &[&str] = &[
        "def func_{n}(a, b=2, *args, key=None, **kw):",
        "    \"\"\"Docstring of func_{n}.\"\"\"",
        "    total = 0",
        "    for i in range(a, b * 10):",
        "        if i % 3 == 0 and i > 5:",
        "            total += i * 2 - (a << 1)",
        "        elif i in (1, 2, 3):",
        "            total -= len(args) + {n}",
        "        else:",
        "            total = total ^ i",
        "    values = [x * x for x in range(10) if x % 2]",
        "    mapping = {{'k{n}': total, 'v': values[0] if values else None}}",
        "    try:",
        "        result = mapping['k{n}'] / (b - 2)",
        "    except ZeroDivisionError as exc:",
        "        result = str(exc)",
        "    finally:",
        "        total += 1",
        "    return f'{{total}} {{result!r}}', key, kw.get('x', 1.5)",
        "",
        "class Shape_{n}(object):",
        "    scale = {n}",
        "    def __init__(self, w, h):",
        "        self.w = w",
        "        self.h = h",
        "    def area(self):",
        "        return self.w * self.h * self.scale",
        "    def grow(self, by=1):",
        "        self.w, self.h = self.w + by, self.h + by",
        "        return self",
        "",
        "while counter_{n} < 100 if 'counter_{n}' in globals() else False:",
        "    counter_{n} = counter_{n} + 1",
        "print(func_{n}(1), Shape_{n}(2, 3).grow().area())",
        "",
    ];
    let mut out = String::with_capacity(lines * 40);
    let mut written = 0;
    let mut n = 0;
    // Whole blocks only (a cut block could end inside a compound statement), then
    // `pass` lines up to the exact count.
    while written + BLOCK.len() <= lines {
        for line in BLOCK {
            out.push_str(&line.replace("{n}", &n.to_string()).replace("{{", "{").replace("}}", "}"));
            out.push('\n');
        }
        written += BLOCK.len();
        n += 1;
    }
    for _ in written..lines {
        out.push_str("pass\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_module_has_the_requested_size_and_compiles() {
        let src = generate_module(1000);
        assert_eq!(src.lines().count(), 1000);
        let opts = ferropy_frontend::CompileOptions::default();
        ferropy_frontend::compile_source(&src, "gen.py", ferropy_frontend::InputKind::File, &opts)
            .expect("generated module compiles");
    }
}

/// Generates a module of `count` small functions (three lines each, with an
/// argument default, arithmetic, a conditional expression and a constant), the
/// workload of the `.mpy` load-versus-compile benchmark.
pub fn generate_functions(count: usize) -> String {
    let mut out = String::with_capacity(count * 96);
    for n in 0..count {
        out.push_str(&format!(
            "def small_{n}(a, b={n}):\n    x = a * b + {n}\n    return 'big' if x > 1000 else x\n\n"
        ));
    }
    out
}

#[cfg(test)]
mod function_tests {
    use super::generate_functions;

    #[test]
    fn generated_functions_compile_and_count() {
        let source = generate_functions(1000);
        assert_eq!(source.matches("\ndef ").count() + 1, 1000);
        let options = ferropy_frontend::CompileOptions::default();
        let module = ferropy_frontend::compile_source(&source, "gen.py", ferropy_frontend::InputKind::File, &options);
        assert!(module.is_ok());
    }
}
