//! Benchmarks for ferropy (see `benches/`).
