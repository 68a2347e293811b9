//! Embedding a script: run Python from Rust, pass values in, read results
//! back, capture its output.
//!
//! `cargo run --example embed_script`

use ferropy::embed::{SharedBuffer, Vm};

fn main() -> Result<(), ferropy::embed::Error> {
    let out = SharedBuffer::new();
    let mut vm = Vm::builder().stdout(out.clone()).build()?;
    vm.set("prices", vec![12.5, 3.0, 7.25])?;
    vm.set("tax", 0.2)?;
    vm.exec(
        "total = sum(prices) * (1 + tax)\n\
         print('items:', len(prices))\n\
         print('total: %.2f' % total)",
    )?;
    let total: f64 = vm.get("total")?;
    print!("{}", out.text());
    println!("Rust read total = {total:.2}");
    let m = vm.memory();
    println!("heap: {} bytes used, peak {} bytes", m.used_bytes, m.peak_bytes);
    Ok(())
}
