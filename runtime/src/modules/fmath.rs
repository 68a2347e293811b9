//! Transcendental functions: the platform's C library through `std` when the
//! `std` feature is on (the same results as MicroPython's unix port), else the
//! pure-Rust `libm` crate.

macro_rules! unary {
    ($($name:ident),*) => {$(
        /// The C library function of the same name.
        #[cfg(feature = "std")]
        pub fn $name(x: f64) -> f64 {
            std::primitive::f64::$name(x)
        }
        /// The C library function of the same name.
        #[cfg(not(feature = "std"))]
        pub fn $name(x: f64) -> f64 {
            libm::$name(x)
        }
    )*};
}

unary!(exp, cos, sin, tan, acos, asin, atan, cosh, sinh, tanh, acosh, asinh, atanh, sqrt);

/// `exp(x) - 1`.
#[cfg(feature = "std")]
pub fn expm1(x: f64) -> f64 {
    x.exp_m1()
}
/// `exp(x) - 1`.
#[cfg(not(feature = "std"))]
pub fn expm1(x: f64) -> f64 {
    libm::expm1(x)
}

/// Natural logarithm.
#[cfg(feature = "std")]
pub fn log(x: f64) -> f64 {
    x.ln()
}
/// Natural logarithm.
#[cfg(not(feature = "std"))]
pub fn log(x: f64) -> f64 {
    libm::log(x)
}

/// Base-2 logarithm.
#[cfg(feature = "std")]
pub fn log2(x: f64) -> f64 {
    x.log2()
}
/// Base-2 logarithm.
#[cfg(not(feature = "std"))]
pub fn log2(x: f64) -> f64 {
    libm::log2(x)
}

/// Base-10 logarithm.
#[cfg(feature = "std")]
pub fn log10(x: f64) -> f64 {
    x.log10()
}
/// Base-10 logarithm.
#[cfg(not(feature = "std"))]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `atan2(y, x)`.
#[cfg(feature = "std")]
pub fn atan2(y: f64, x: f64) -> f64 {
    y.atan2(x)
}
/// `atan2(y, x)`.
#[cfg(not(feature = "std"))]
pub fn atan2(y: f64, x: f64) -> f64 {
    libm::atan2(y, x)
}

/// `x ** y`.
#[cfg(feature = "std")]
pub fn pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}
/// `x ** y`.
#[cfg(not(feature = "std"))]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
