//! Differential testing (filled in below).
