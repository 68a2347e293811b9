//! Reading and writing MicroPython's `.mpy` files.
