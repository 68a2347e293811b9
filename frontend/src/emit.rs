//! The `Emit` trait: what the compiler asks of a code emitter.
