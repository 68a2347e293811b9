//! Scope analysis tests.
