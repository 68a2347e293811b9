//! Exposing a Rust struct to Python as a class with methods, and a Rust
//! module of functions.
//!
//! `cargo run --example rust_struct`

use ferropy::embed::{Class, Error, Module, Vm};

/// An inventory kept in Rust, manipulated from Python.
struct Inventory {
    items: Vec<(String, u32)>,
}

impl Inventory {
    fn add(&mut self, name: String, count: u32) -> u32 {
        match self.items.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => {
                *c += count;
                *c
            }
            None => {
                self.items.push((name, count));
                count
            }
        }
    }
}

fn main() -> Result<(), Error> {
    let mut vm = Vm::new()?;
    let class = Class::new("Inventory")
        .constructor(|_, ()| Ok(Inventory { items: Vec::new() }))
        .method("add", |_, inv: &mut Inventory, (name, count): (String, u32)| Ok(inv.add(name, count)))
        .method("take", |_, inv: &mut Inventory, (name, count): (String, u32)| {
            let Some((_, c)) = inv.items.iter_mut().find(|(n, _)| *n == name) else {
                return Err(Error::raise("KeyError", name));
            };
            if *c < count {
                return Err(Error::raise("ValueError", format!("only {c} left")));
            }
            *c -= count;
            Ok(*c)
        })
        .method("items", |_, inv: &mut Inventory, ()| Ok(inv.items.clone()));
    vm.add_class(class)?;
    vm.add_module(Module::new("units").function("dozen", |_, n: u32| Ok(n * 12)))?;
    vm.exec(
        "import units\n\
         inv = Inventory()\n\
         inv.add('eggs', units.dozen(2))\n\
         inv.add('milk', 3)\n\
         inv.take('eggs', 5)\n\
         try:\n    inv.take('milk', 10)\nexcept ValueError as e:\n    print('refused:', e)\n\
         print(inv.items())",
    )?;
    let items: Vec<(String, u32)> = vm.eval("inv.items()")?;
    println!("Rust sees {items:?}");
    Ok(())
}
