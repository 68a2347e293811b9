//! Random viper functions (filled in below).
