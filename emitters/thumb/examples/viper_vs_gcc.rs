//! Instruction counts of viper kernels compiled to Thumb-2 by ferropy against
//! the same kernels compiled by `arm-none-eabi-gcc -O2 -mcpu=cortex-m4`, both
//! executed in unicorn on a Cortex-M4 model (issue 8's "within 1.5x" figure).
//!
//! ```sh
//! cargo run -p ferropy-emit-thumb --example viper_vs_gcc
//! ```
//!
//! Needs `arm-none-eabi-gcc` (Debian `gcc-arm-none-eabi`), or its path in
//! `ARM_GCC`. Only instructions of the kernels themselves are counted: ferropy's
//! calls into the runtime's helpers (boxing the result, `%`) are listed
//! separately, since the fake runtime here runs them in Rust.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use common::emu::{self, DATA};
use common::fake::{call_code, compile, small, unsmall};
use ferropy_bytecode::native_abi::status;
use ferropy_emit_thumb::{Arch, Armv7emAsm};

/// Data buffers for the kernels (inside the emulator's data region).
const BUF_A: u32 = DATA as u32 + 0x4000;
const BUF_B: u32 = DATA as u32 + 0x8000;

const C_SOURCE: &str = r#"
#include <stdint.h>
int loop(int n) {
    int s = 0;
    for (int i = 0; i < n; i++) { s += (i * 7) & 1023; s ^= i; }
    return s;
}
void bsort(uint8_t *b, int n) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n - 1 - i; j++)
            if (b[j] > b[j + 1]) { uint8_t t = b[j]; b[j] = b[j + 1]; b[j + 1] = t; }
}
int fletcher(const uint8_t *b, int n) {
    int s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++) { s1 = (s1 + b[i]) % 255; s2 = (s2 + s1) % 255; }
    return (s2 << 8) | s1;
}
void blend(uint32_t *d, const uint32_t *s, int n, int alpha) {
    int inv = 256 - alpha;
    for (int i = 0; i < n; i++) {
        uint32_t a = d[i], b = s[i], out = 0;
        for (int sh = 0; sh < 32; sh += 8) {
            int ca = (a >> sh) & 255, cb = (b >> sh) & 255;
            out |= (uint32_t)((((ca * inv + cb * alpha) >> 8) & 255) << sh);
        }
        d[i] = out;
    }
}
"#;

/// One kernel: its viper source, C name, arguments, and the memory it starts from.
struct Kernel {
    name: &'static str,
    python: &'static str,
    args: Vec<i64>,
    /// Bytes written at BUF_A and BUF_B before each run.
    init: fn() -> (Vec<u8>, Vec<u8>),
    /// Where the result is: the return value, or a checksum of BUF_A's first n bytes.
    result_bytes: usize,
}

fn no_data() -> (Vec<u8>, Vec<u8>) {
    (Vec::new(), Vec::new())
}

fn sort_data() -> (Vec<u8>, Vec<u8>) {
    ((0..200u32).map(|i| ((i * 73 + 11) & 255) as u8).collect(), Vec::new())
}

fn sum_data() -> (Vec<u8>, Vec<u8>) {
    ((0..8000u32).map(|i| ((i * 7 + 3) & 255) as u8).collect(), Vec::new())
}

fn blend_data() -> (Vec<u8>, Vec<u8>) {
    let d = (0..2048u32).flat_map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()).collect();
    let s = (0..2048u32).flat_map(|i| i.wrapping_mul(40503).to_le_bytes()).collect();
    (d, s)
}

fn kernels() -> Vec<Kernel> {
    let (a, b) = (i64::from(BUF_A), i64::from(BUF_B));
    vec![
        Kernel {
            name: "loop",
            python: "
@micropython.viper
def loop(n: int) -> int:
    s = 0
    for i in range(n):
        s += (i * 7) & 1023
        s ^= i
    return s
",
            args: vec![20000],
            init: no_data,
            result_bytes: 0,
        },
        Kernel {
            name: "bsort",
            python: "
@micropython.viper
def bsort(buf: int, n: int):
    b = ptr8(buf)
    for i in range(n):
        for j in range(n - 1 - i):
            if b[j] > b[j + 1]:
                t = b[j]
                b[j] = b[j + 1]
                b[j + 1] = t
",
            args: vec![a, 200],
            init: sort_data,
            result_bytes: 200,
        },
        Kernel {
            name: "fletcher",
            python: "
@micropython.viper
def fletcher(buf: int, n: int) -> int:
    b = ptr8(buf)
    s1 = 0
    s2 = 0
    for i in range(n):
        s1 = (s1 + b[i]) % 255
        s2 = (s2 + s1) % 255
    return (s2 << 8) | s1
",
            args: vec![a, 8000],
            init: sum_data,
            result_bytes: 0,
        },
        Kernel {
            name: "blend",
            python: "
@micropython.viper
def blend(dst: int, src: int, n: int, alpha: int):
    d = ptr32(dst)
    s = ptr32(src)
    inv = 256 - alpha
    for i in range(n):
        a = d[i]
        b = s[i]
        out = 0
        shift = 0
        while shift < 32:
            ca = (a >> shift) & 255
            cb = (b >> shift) & 255
            out |= (((ca * inv + cb * alpha) >> 8) & 255) << shift
            shift += 8
        d[i] = out
",
            args: vec![a, b, 2048, 100],
            init: blend_data,
            result_bytes: 4 * 2048,
        },
    ]
}

/// The result a run left: the return value, or a checksum of the output
/// buffer (`data` is the emulator's data region after the run).
fn outcome(data: &[u8], k: &Kernel, returned: i64) -> i64 {
    if k.result_bytes == 0 {
        return returned;
    }
    let start = (BUF_A - DATA as u32) as usize;
    let out = &data[start..start + k.result_bytes];
    out.iter().enumerate().fold(0i64, |h, (i, &b)| (h * 31 + i64::from(b) + i as i64) % 1_000_000_007)
}

/// Machine code and the offset of each function in it.
type CodeAndSymbols = (Vec<u8>, Vec<(String, usize)>);

/// Compiles the C kernels; their code and the offset of each function.
fn gcc_kernels(dir: &Path) -> Result<CodeAndSymbols, String> {
    let gcc = std::env::var("ARM_GCC").unwrap_or_else(|_| "arm-none-eabi-gcc".into());
    let tool = |name: &str| gcc.replace("gcc", name);
    std::fs::write(dir.join("kernels.c"), C_SOURCE).map_err(|e| e.to_string())?;
    let elf = dir.join("kernels.elf");
    let status = Command::new(&gcc)
        .args([
            "-O2",
            "-mcpu=cortex-m4",
            "-mthumb",
            "-ffreestanding",
            "-nostdlib",
            "-Wl,-Ttext=0x10000",
            "-Wl,-e,0",
            "-o",
        ])
        .arg(&elf)
        .arg(dir.join("kernels.c"))
        .status()
        .map_err(|e| format!("{gcc}: {e} (install: apt-get install gcc-arm-none-eabi, or set ARM_GCC)"))?;
    if !status.success() {
        return Err(format!("{gcc} failed"));
    }
    let bin = dir.join("kernels.bin");
    Command::new(tool("objcopy"))
        .args(["-O", "binary", "-j", ".text"])
        .arg(&elf)
        .arg(&bin)
        .status()
        .map_err(|e| e.to_string())?;
    let nm = Command::new(tool("nm")).arg(&elf).output().map_err(|e| e.to_string())?;
    let symbols = String::from_utf8_lossy(&nm.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let addr = usize::from_str_radix(parts.next()?, 16).ok()?;
            let kind = parts.next()?;
            let name = parts.next()?;
            (kind == "T").then(|| (name.to_string(), (addr & !1) - emu::CODE as usize))
        })
        .collect();
    Ok((std::fs::read(&bin).map_err(|e| e.to_string())?, symbols))
}

fn main() {
    let dir = std::env::temp_dir().join("ferropy-viper-vs-gcc");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let gcc = gcc_kernels(&dir);
    if let Err(e) = &gcc {
        eprintln!("no gcc column: {e}");
    }
    println!("{:<10} {:>14} {:>14} {:>8} {:>14}", "kernel", "ferropy viper", "gcc -O2", "ratio", "helper calls");
    for k in kernels() {
        let code = compile::<Armv7emAsm>(k.python);
        if std::env::var_os("VIPER_LIST").is_some() {
            eprintln!("== {}\n{}", k.name, ferropy_emit_thumb::disasm::listing(&code.code[..code.prelude_offset]));
        }
        let (init_a, init_b) = (k.init)();
        let args: Vec<u32> = k.args.iter().map(|&v| small(v)).collect();
        let setup = |uc: &mut unicorn_engine::Unicorn<'static, emu::Calls>| {
            uc.mem_write(u64::from(BUF_A), &init_a).expect("data");
            uc.mem_write(u64::from(BUF_B), &init_b).expect("data");
        };
        let (st, value, stats) = call_code(Arch::Armv7em, &code, &args, &|uc| setup(uc), false);
        assert_eq!(st, status::RETURN as u32, "{}: viper code failed", k.name);
        let returned = if value & 1 == 1 { unsmall(value) } else { 0 };
        let viper_result = outcome(&stats.data, &k, returned);
        let gcc_cell = match &gcc {
            Ok((bin, symbols)) => {
                let entry = symbols.iter().find(|(n, _)| n == k.name).map(|&(_, o)| o).expect("symbol");
                let mut uc = emu::machine(Arch::Armv7em, bin, Vec::new());
                setup(&mut uc);
                let count = emu::count_instructions(&mut uc);
                let mut regs = [0u32; 4];
                for (r, a) in regs.iter_mut().zip(&k.args) {
                    *r = *a as u32;
                }
                let r = emu::call(&mut uc, entry, regs);
                let mut data = vec![0u8; emu::DATA_SIZE as usize];
                uc.mem_read(DATA, &mut data).expect("data region");
                let got = outcome(&data, &k, i64::from(r as i32));
                assert_eq!(got, viper_result, "{}: gcc and viper disagree", k.name);
                Some(count.get())
            }
            Err(_) => None,
        };
        match gcc_cell {
            Some(g) => println!(
                "{:<10} {:>14} {:>14} {:>7.2}x {:>14}",
                k.name,
                stats.instructions,
                g,
                stats.instructions as f64 / g as f64,
                stats.helper_calls
            ),
            None => {
                println!("{:<10} {:>14} {:>14} {:>8} {:>14}", k.name, stats.instructions, "-", "-", stats.helper_calls)
            }
        }
    }
}
