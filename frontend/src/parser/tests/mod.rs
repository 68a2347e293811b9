//! Parser tests: expressions, statements, errors, depth limits.

extern crate std;

mod depth;
mod errors;
mod exprs;
mod sexpr;
mod stmts;

use alloc::string::String;
use alloc::vec::Vec;

use super::{parse_eval, parse_module};
use crate::error::ErrorKind;

/// Parses file input and renders each statement, joined by `; `.
fn module(src: &str) -> String {
    match parse_module(src) {
        Ok(m) => m.body.iter().map(sexpr::stmt).collect::<Vec<_>>().join("; "),
        Err(e) => panic!("parse of {src:?} failed: {e} at {:?}", e.pos),
    }
}

/// Parses eval input and renders it.
fn eval(src: &str) -> String {
    match parse_eval(src) {
        Ok(e) => sexpr::expr(&e),
        Err(e) => panic!("parse of {src:?} failed: {e} at {:?}", e.pos),
    }
}

/// Parses file input that must fail; returns the kind, message, line and column.
fn error(src: &str) -> (ErrorKind, String, u32, u32) {
    match parse_module(src) {
        Ok(m) => panic!("parse of {src:?} unexpectedly succeeded: {:?}", m.body),
        Err(e) => (e.kind, e.msg, e.pos.line, e.pos.col),
    }
}

/// The message of a failing parse.
fn error_msg(src: &str) -> String {
    error(src).1
}
