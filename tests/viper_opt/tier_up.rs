//! Tier-up: viper functions switch from the single-pass code to the
//! optimizing tier while they are being called from several places
//! (including from their own frames still running the old code), and every
//! result stays the same.

use std::sync::{Arc, Mutex};

use ferropy::runtime::vm::OutputSink;
use ferropy::runtime::VmConfig;
use ferropy_frontend::InputKind;

const PROGRAM: &str = r#"
import micropython

@micropython.viper
def mix(x: int) -> int:
    s = 0
    for i in range(x):
        s += (i ^ x) * 7 - (s >> 3)
    return s

@micropython.viper
def rec(n: int) -> int:
    if n <= 0:
        return 0
    return n * 3 + int(rec(n - 1)) - int(mix(n & 7))

@micropython.viper
def fill(buf, n: int) -> int:
    p = ptr16(buf)
    t = 0
    for i in range(n):
        p[i] = i * 4099 + n
        t += p[i]
    return t

def a(n):
    return mix(n)

def b(n):
    return mix(n + 1) + fill(bytearray(64), n & 31)

out = []
for k in range(60):
    out.append((mix(k), a(k), b(k), rec(k), fill(bytearray(64), k & 31)))
print(len(out), out[0], out[59])
h = 0
for t in out:
    for v in t:
        h = (h * 1000003 + v) & 0xffffffffffff
print(h)
"#;

/// Runs the program with `tier_up_calls`; returns the output and the number
/// of functions that switched tiers.
fn run(tier_up_calls: u32, native: Option<&'static dyn ferropy::runtime::native::NativeSupport>) -> (String, usize) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let config = VmConfig { native, tier_up_calls, ..VmConfig::default() };
    let opts = ferropy::run::RunOptions { argv: vec!["t.py".into()], ..Default::default() };
    let mut vm = ferropy::run::new_vm(config, out, err, &opts).expect("vm");
    if let Err(e) = vm.run_main_source(PROGRAM.as_bytes(), "t.py", InputKind::File) {
        vm.print_exception(e);
    }
    let n = vm.native_tiered_up_count();
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    (text, n)
}

#[test]
fn functions_switch_tiers_while_called_results_unchanged() {
    let Some(tiered) = ferropy::native_opt::tiered_support() else {
        eprintln!("no optimizing tier on this host: skipped");
        return;
    };
    let (single, n0) = run(0, ferropy::native::single_pass_support());
    assert_eq!(n0, 0);
    assert!(single.lines().count() == 2 && !single.contains("Error"), "{single}");
    // Never reached: the single-pass code all along.
    let (never, n) = run(1_000_000, Some(tiered));
    assert_eq!((never.as_str(), n), (single.as_str(), 0));
    // Early and late thresholds: `rec` switches while its own frames (and
    // `mix`'s callers) are running the old code.
    for threshold in [1, 5, 25, 100] {
        let (got, n) = run(threshold, Some(tiered));
        assert_eq!(got, single, "tier-up after {threshold} calls changed the output");
        assert_eq!(n, 3, "after {threshold} calls: {n} functions switched tiers");
    }
    // The default configuration of a build with the feature tiers up too:
    // `mix` and `rec` are called over 1,000 times, `fill` only 120 times.
    let (got, n) = run(VmConfig::default().tier_up_calls, ferropy::native::host_support());
    assert_eq!(got, single);
    assert_eq!(n, 2);
}
