//! Scope analysis: which names are local, global, cell or free.
