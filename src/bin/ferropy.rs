//! The `ferropy` command.
fn main() {}
