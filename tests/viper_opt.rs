//! The optimizing viper tier (feature `cranelift`): the shared native/viper
//! corpus under `viper-opt`, differential testing against the single-pass
//! emitter, and tier-up.
#![cfg(feature = "cranelift")]

mod viper_opt {
    pub mod corpus;
    pub mod diff;
    pub mod gen;
    pub mod limits;
    pub mod objects;
    pub mod tier_up;
    pub mod util;
}
