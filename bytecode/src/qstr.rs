//! MicroPython's static qstr table (fixed ids used by `.mpy` files).
