//! The compiler: walks the syntax tree and drives an emitter.
