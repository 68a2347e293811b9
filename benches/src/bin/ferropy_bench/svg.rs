//! The chart: per kernel, the run time of every emitter, MicroPython's viper
//! and `gcc -O2` as horizontal bars on a logarithmic axis, and below it the
//! viper kernel functions' machine-code bytes per ISA (hand-written SVG).

use std::fmt::Write;

use super::report::Report;

/// How to get a series' time (µs) for a kernel.
type TimeOf<'a> = Box<dyn Fn(&Report, &str) -> Option<u64> + 'a>;

/// Bar series: label, colour, time.
type Series<'a> = (&'a str, &'a str, TimeOf<'a>);

fn series<'a>() -> Vec<Series<'a>> {
    let mode =
        |m: &'static str| -> TimeOf<'a> { Box::new(move |r: &Report, k: &str| r.row(k, m).and_then(|x| x.run_us)) };
    vec![
        ("ferropy bytecode", "#b0b0b0", mode("bytecode")),
        ("ferropy native", "#8fb3d9", mode("native")),
        ("ferropy viper (single-pass)", "#3a78c2", mode("viper")),
        ("ferropy viper-opt (Cranelift)", "#e0601b", mode("viper-opt")),
        (
            "MicroPython viper",
            "#6aa84f",
            Box::new(|r: &Report, k: &str| r.row(k, "viper").and_then(|x| x.micropython_us)),
        ),
        ("gcc -O2", "#333333", Box::new(|r: &Report, k: &str| r.gcc_us.get(k).copied())),
    ]
}

/// The SVG document for `report`.
pub fn chart(report: &Report, kernels: &[&str]) -> String {
    let series = series();
    let (left, right, top, bar, gap) = (90.0, 120.0, 70.0, 11.0, 14.0);
    let plot_w = 560.0;
    let mut all: Vec<u64> = Vec::new();
    for k in kernels {
        for (_, _, f) in &series {
            all.extend(f(report, k).filter(|&v| v > 0));
        }
    }
    let lo = all.iter().copied().min().unwrap_or(1).max(1) as f64;
    let hi = all.iter().copied().max().unwrap_or(10).max(10) as f64;
    let (lo_d, hi_d) = (lo.log10().floor(), hi.log10().ceil().max(lo.log10().floor() + 1.0));
    let x = |us: f64| left + (us.max(1.0).log10() - lo_d) / (hi_d - lo_d) * plot_w;
    let group = series.len() as f64 * bar + gap;
    let run_height = top + kernels.len() as f64 * group + 40.0;
    let sizes = size_panel(report, kernels, run_height, left, plot_w);
    let height = run_height + sizes.as_ref().map_or(0.0, |p| p.1);
    let width = left + plot_w + right;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">ferropy-bench: run time per kernel (best of {}, log scale, shorter is faster)</text>",
        report.repeat
    );
    for (i, (label, colour, _)) in series.iter().enumerate() {
        let lx = left + (i % 3) as f64 * 200.0;
        let ly = 32.0 + (i / 3) as f64 * 15.0;
        let _ = writeln!(s, "<rect x=\"{lx}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>", ly - 9.0);
        let _ = writeln!(s, "<text x=\"{}\" y=\"{ly}\">{label}</text>", lx + 14.0);
    }
    // Decade grid lines.
    let mut d = lo_d;
    while d <= hi_d {
        let gx = x(10f64.powf(d));
        let _ = writeln!(
            s,
            "<line x1=\"{gx:.1}\" y1=\"{top}\" x2=\"{gx:.1}\" y2=\"{:.1}\" stroke=\"#dddddd\"/>",
            run_height - 30.0
        );
        let _ = writeln!(
            s,
            "<text x=\"{gx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            run_height - 16.0,
            fmt_us(10f64.powf(d))
        );
        d += 1.0;
    }
    for (ki, k) in kernels.iter().enumerate() {
        let gy = top + ki as f64 * group;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-weight=\"bold\">{k}</text>",
            left - 8.0,
            gy + group / 2.0 - 4.0
        );
        for (si, (_, colour, f)) in series.iter().enumerate() {
            let Some(us) = f(report, k) else { continue };
            let y = gy + si as f64 * bar;
            let w = (x(us as f64) - left).max(1.0);
            let _ = writeln!(
                s,
                "<rect x=\"{left}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>",
                bar - 2.0
            );
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\">{}</text>",
                left + w + 3.0,
                y + bar - 3.0,
                fmt_us(us as f64)
            );
        }
    }
    if let Some((panel, _)) = sizes {
        s.push_str(&panel);
    }
    s.push_str("</svg>\n");
    s
}

/// The ISAs of the size panel, with their colours.
const SIZE_SERIES: [(&str, &str); 5] =
    [("x64", "#3a78c2"), ("armv7m", "#e0601b"), ("armv6m", "#f2a36b"), ("xtensa", "#6aa84f"), ("xtensawin", "#a8d08d")];

/// The second panel: machine-code bytes of each viper kernel function per
/// ISA (linear axis), starting at `y0`; the SVG and its height, or `None`
/// when no per-ISA sizes were measured.
fn size_panel(report: &Report, kernels: &[&str], y0: f64, left: f64, plot_w: f64) -> Option<(String, f64)> {
    let bytes = |k: &str, isa: &str| -> Option<usize> {
        let row = report.row(k, "viper")?;
        if isa == "x64" {
            row.code_bytes
        } else {
            row.isa.get(isa)?.code_bytes
        }
    };
    let max = kernels.iter().flat_map(|k| SIZE_SERIES.iter().filter_map(|(i, _)| bytes(k, i))).max()?;
    if !kernels.iter().any(|k| bytes(k, "armv7m").is_some()) {
        return None;
    }
    let (bar, gap, top) = (8.0, 10.0, 50.0);
    let step = 10f64.powf((max as f64).log10().floor());
    let axis = (max as f64 / step).ceil() * step;
    let x = |b: f64| left + b / axis * plot_w;
    let group = SIZE_SERIES.len() as f64 * bar + gap;
    let height = top + kernels.len() as f64 * group + 40.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"{:.1}\" font-size=\"14\" font-weight=\"bold\">machine code of the viper kernel functions per ISA (bytes)</text>",
        y0 + 18.0
    );
    for (i, (label, colour)) in SIZE_SERIES.iter().enumerate() {
        let lx = left + i as f64 * 110.0;
        let ly = y0 + 36.0;
        let _ = writeln!(s, "<rect x=\"{lx}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>", ly - 9.0);
        let _ = writeln!(s, "<text x=\"{}\" y=\"{ly}\">{label}</text>", lx + 14.0);
    }
    for t in 0..=4 {
        let v = axis * f64::from(t) / 4.0;
        let gx = x(v);
        let _ = writeln!(
            s,
            "<line x1=\"{gx:.1}\" y1=\"{:.1}\" x2=\"{gx:.1}\" y2=\"{:.1}\" stroke=\"#dddddd\"/>",
            y0 + top,
            y0 + height - 30.0
        );
        let _ = writeln!(s, "<text x=\"{gx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{v:.0}</text>", y0 + height - 16.0);
    }
    for (ki, k) in kernels.iter().enumerate() {
        let gy = y0 + top + ki as f64 * group;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-weight=\"bold\">{k}</text>",
            left - 8.0,
            gy + group / 2.0 - 4.0
        );
        for (si, (isa, colour)) in SIZE_SERIES.iter().enumerate() {
            let Some(b) = bytes(k, isa) else { continue };
            let y = gy + si as f64 * bar;
            let w = (x(b as f64) - left).max(1.0);
            let _ = writeln!(
                s,
                "<rect x=\"{left}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>",
                bar - 1.0
            );
            let _ =
                writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"8\">{b}</text>", left + w + 3.0, y + bar - 1.0);
        }
    }
    Some((s, height))
}

fn fmt_us(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.3} ms", us / 1000.0).replace(".000 ms", " ms")
    } else {
        format!("{us:.0} µs")
    }
}
