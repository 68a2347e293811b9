//! The function prelude: signature, sizes, source info, line table and cells.
