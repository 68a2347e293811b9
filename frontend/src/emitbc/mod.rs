//! The bytecode emitter: MicroPython-compatible bytecode.
