//! Viper functions that use objects: `for` over iterables (the runtime
//! answers with jump addresses the Cranelift code maps back to blocks),
//! conditions on objects (`and`/`or`, `while obj`), calls, globals,
//! attributes, errors with tracebacks. viper-opt must print what the
//! single-pass emitter prints.

use super::util::{compiled, opt_config, run, single_pass_config};

const PROGRAM: &str = r#"
import micropython
G = 3

@micropython.viper
def total(items) -> int:
    s = 0
    for x in items:
        if not x:
            continue
        if int(x) > 100:
            break
        s += int(x)
    return s

@micropython.viper
def pick(a, b):
    return a and b or [a, b]

@micropython.viper
def drain(lst) -> int:
    n = 0
    while lst:
        lst.pop()
        n += 1
    return n

@micropython.viper
def words(text):
    out = []
    for w in text.split():
        if int(len(w)) > int(G):
            out.append(w.upper())
    return out

@micropython.viper
def nested(rows) -> int:
    t = 0
    for r in rows:
        for v in r:
            t += int(v) * 2
    return t

@micropython.viper
def fails(d) -> int:
    return int(d["missing"])

print(total([1, 2, 0, 3, 500, 7]), total(range(10)), total(()))
print(pick(1, 2), pick(0, 2), pick([], None), pick("x", ""))
print(drain([1, 2, 3, 4]), drain([]))
print(words("the quick brown fox jumps over"))
print(nested([[1, 2], [3], [], [4, 5, 6]]))
try:
    fails({})
except KeyError as e:
    print("KeyError", e)
fails({})
"#;

#[test]
fn object_code_in_viper_functions_agrees() {
    if ferropy::native_opt::opt_support().is_none() {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    }
    let single = run(PROGRAM.as_bytes(), "objects.py", single_pass_config(), ".");
    assert!(single.contains("[0, 2]") && single.contains("Traceback"), "{single}");
    let before = compiled();
    let opt = run(PROGRAM.as_bytes(), "objects.py", opt_config(), ".");
    assert_eq!(opt, single);
    // The six viper functions went through Cranelift (the module's code is bytecode).
    assert!(compiled() - before >= 6);
}
