//! The instruction-count columns: each viper kernel run in the emulators of
//! the other instruction sets (`ferropy_benches::emulate`), its result
//! checked against the x86-64 run's.

use ferropy_benches::emulate::{self, kernel_call, kernel_code, xtensa, Counted};

use super::report::Report;

/// A mismatch with the x86-64 result: the run is wrong, not just unmeasured.
pub const WRONG: &str = "WRONG RESULT";

/// Runs `kernel`'s viper function (source `src`) in every emulator and
/// records the counts (or why there is none) in its viper row.
pub fn viper(report: &mut Report, kernel: &str, src: &str) {
    let expected = report.row(kernel, "viper").and_then(|r| r.result.clone());
    let Some(call) = kernel_call(kernel) else { return };
    let mut outcomes: Vec<(&str, Result<Counted, String>)> = Vec::new();
    for arch in ["xtensa", "xtensawin"] {
        let Some(abi) = xtensa::abi(arch) else { continue };
        outcomes.push((arch, kernel_code(src, arch).and_then(|code| xtensa::run(&code, abi, &call))));
    }
    #[cfg(feature = "isa-emulators")]
    for arch in ["armv7m", "armv6m"] {
        use ferropy_benches::emulate::thumb;
        let Some(model) = thumb::cpu(arch) else { continue };
        outcomes.push((arch, kernel_code(src, arch).and_then(|code| thumb::run(&code, model, &call))));
    }
    let (mut wrong, mut unchecked) = (Vec::new(), Vec::new());
    let Some(row) = report.rows.iter_mut().find(|r| r.kernel == kernel && r.mode == "viper") else { return };
    for (arch, outcome) in outcomes {
        let cell = row.isa.entry(arch.to_string()).or_default();
        match outcome {
            Ok(c) => match expected.as_deref().map(|e| emulate::check(c.result, e)) {
                Some(Ok(())) => cell.instructions = Some(c.instructions),
                Some(Err(e)) => {
                    cell.why_not = Some(format!("{WRONG}: {e}"));
                    wrong.push(format!("{kernel} viper on {arch}: {e}"));
                }
                None => {
                    cell.instructions = Some(c.instructions);
                    unchecked
                        .push(format!("{kernel} viper on {arch}: result {} unchecked (no x86-64 result)", c.result));
                }
            },
            Err(e) => cell.why_not = Some(call.on_32_bits.map_or_else(|| e.clone(), |w| format!("{w} ({e})"))),
        }
    }
    report.notes.extend(unchecked);
    for w in wrong {
        report.notes.push(format!("{WRONG}: {w}"));
    }
}
