//! The parser: tokens to the syntax tree.
