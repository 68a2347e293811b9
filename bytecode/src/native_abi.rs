//! The contract between machine code from ferropy's native/viper emitters and
//! the runtime that runs it (shared by the emitters and the runtime).
//!
//! # Entry
//! A native function's code starts with its entry point, called as
//! `extern "C" fn(ctx, state, words, resume) -> status`:
//! * `ctx`: the runtime's context block (fields below, in machine words);
//! * `state`: the frame's object slots (32-bit `Obj`s): the value stack grows up
//!   from slot 0, local `i` is slot `n_state - 1 - i` (as bytecode frames);
//! * `words`: the frame's machine-word slots (viper's native values);
//! * `resume`: 0 to start the function, otherwise the absolute address to
//!   continue at (an exception handler or the point after a `yield`).
//!
//! The code reaches the runtime only through the helper table whose address is
//! in `ctx[CTX_TABLE]`. Every helper is `extern "C" fn(ctx, a, b, c) -> word`.
//!
//! # Statuses
//! Helpers and the entry point return a status word: [`status::CONTINUE`],
//! [`status::ERROR`] (the exception is held by the runtime), [`status::RETURN`]
//! (the value is in `ctx[CTX_VALUE]`), [`status::YIELD`] (likewise), or any larger
//! value: the absolute address where the code must continue (a jump decided at
//! run time, e.g. a loop's end or a `finally` handler).
//!
//! # Instruction positions
//! Exception blocks, handlers and resume points are recorded by the runtime as
//! offsets into the function's machine code; helpers receive absolute addresses
//! (`op_addr`: an address inside the code of the current operation, after the
//! previous operation's code and before the next one's; for `YIELD_FROM` the
//! exact start of the operation, where a resumed `yield from` runs again) and
//! convert them.

/// The `.mpy` arch-flags value that marks machine code from ferropy's emitters
/// (this ABI, revision 2; revision 1 had another opword layout). MicroPython
/// refuses any file with arch flags on x86-64, ARM and Xtensa ("incompatible .mpy file"), and ferropy refuses
/// native `.mpy` files without this value (their code follows MicroPython's
/// native ABI, not this one).
pub const MPY_ARCH_FLAGS: u64 = 0x4652_0002;

/// Word index in the context block of the helper table's address.
pub const CTX_TABLE: i32 = 0;
/// Word index of the address of the interrupt flag (a byte, non-zero when set).
/// The flag byte always lies right after the helper table's
/// [`helper::COUNT`] entries (see [`table_flag_offset`]), so code holding
/// the table's address tests it with one load.
pub const CTX_INTERRUPT: i32 = 1;

/// Byte offset of the interrupt flag from the helper table's address, for
/// machine words of `word_bytes` bytes: the flag follows the table.
pub const fn table_flag_offset(word_bytes: u32) -> i32 {
    helper::COUNT as i32 * word_bytes as i32
}
/// Word index of the value returned or yielded, and of helper results.
pub const CTX_VALUE: i32 = 2;

/// Word index of the address of the code's first byte (the base that
/// positions and jump addresses are offsets from). Code that cannot name its
/// own addresses (Cranelift's) computes them from this base.
pub const CTX_BASE: i32 = 5;

/// Word index of the heap's base address: a heap object's reference is its
/// byte offset from it. Code reading objects inline ([`layout`]) loads it
/// after each helper call, since a helper may grow (move) the heap; the
/// runtime stores it before the code starts and after every helper.
pub const CTX_HEAP: i32 = 6;

/// Status words (see the module documentation).
pub mod status {
    /// Go on with the next operation.
    pub const CONTINUE: usize = 0;
    /// An exception was raised.
    pub const ERROR: usize = 1;
    /// The function returns `ctx[CTX_VALUE]`.
    pub const RETURN: usize = 2;
    /// The generator yields `ctx[CTX_VALUE]`.
    pub const YIELD: usize = 3;
    /// Statuses below this value are not jump addresses.
    pub const FIRST_ADDRESS: usize = 16;
}

/// The `OP` helper's opword: `opcode` with its extra byte at static stack
/// depth `sp` (see [`helper::OP`]).
pub const fn opword(opcode: u8, extra: u8, sp: u16) -> u32 {
    opcode as u32 | (sp as u32) << 8 | (extra as u32) << 24
}

/// Helper table indices.
pub mod helper {
    /// `(ctx, opword, arg, op_addr)`: runs one bytecode-equivalent operation on the
    /// frame. `opword` = opcode | stack depth before it (16 bits) << 8 | extra
    /// byte << 24 (so the common opwords fit 16-bit immediates);
    /// `arg` = the operand (qstr/const/child index, count, or a label's absolute
    /// address for jumps and exception blocks). Returns a status.
    pub const OP: usize = 0;
    /// `(ctx, op_addr, -, -)`: raises `KeyboardInterrupt` if one is pending.
    pub const INTERRUPT: usize = 1;
    /// `(ctx, value, vtype | slot << 8, op_addr)`: boxes a viper native value of
    /// type `vtype` into object slot `slot`. Returns a status (on an error the
    /// operation's position is recorded, as by `FAILED_AT`).
    pub const BOX: usize = 2;
    /// `(ctx, slot, vtype, op_addr)`: converts object slot `slot` to a native
    /// value of type `vtype` (viper casts and typed arguments), left in
    /// `ctx[CTX_VALUE]`. Returns a status (on an error the operation's
    /// position is recorded, as by `FAILED_AT`).
    pub const UNBOX: usize = 3;
    /// `(ctx, a, b, op)`: viper `int` floor division (`op` 0) or modulo (`op` 1)
    /// with Python's rounding; the result is left in `ctx[CTX_VALUE]`.
    /// Returns a status (`ZeroDivisionError`).
    pub const DIVMOD: usize = 4;
    /// `(ctx, op_addr, -, -)`: records that the operation at `op_addr` failed
    /// (used by inline fast paths whose slow path already raised).
    pub const FAILED_AT: usize = 5;
    /// Number of helpers.
    pub const COUNT: usize = 6;
}

/// Native value types of viper (the type codes of `viper_type` in the frontend).
pub mod vtype {
    /// A Python object.
    pub const OBJECT: u8 = 0;
    /// `bool`: 0 or 1.
    pub const BOOL: u8 = 1;
    /// `int`: a signed machine word.
    pub const INT: u8 = 2;
    /// `uint`: an unsigned machine word.
    pub const UINT: u8 = 3;
    /// `ptr`: an address.
    pub const PTR: u8 = 4;
    /// `ptr8`
    pub const PTR8: u8 = 5;
    /// `ptr16`
    pub const PTR16: u8 = 6;
    /// `ptr32`
    pub const PTR32: u8 = 7;
}

/// Object words emitted code builds inline (the runtime's `Obj` encoding; the
/// runtime checks these in its tests).
pub mod obj_word {
    /// `None`.
    pub const NONE: u32 = 0x06;
    /// `False`.
    pub const FALSE: u32 = 0x0E;
    /// `True`.
    pub const TRUE: u32 = 0x1E;
    /// Small ints are `value << 1 | 1`.
    pub const SMALL_INT_TAG: u32 = 1;
    /// Bits of a small int's value (31: -2^30 ..= 2^30 - 1).
    pub const SMALL_INT_BITS: u32 = 31;
    /// Heap references are non-zero multiples of the GC block size (16 bytes):
    /// the word's low bits under this mask are clear.
    pub const HEAP_REF_MASK: u32 = 15;
    /// The type object `list` (an immediate), the first word of an exact list.
    pub const LIST_TYPE: u32 = 0x846;
    /// The type object `tuple`.
    pub const TUPLE_TYPE: u32 = 0x83E;
    /// The type object `bytearray`.
    pub const BYTEARRAY_TYPE: u32 = 0x926;
}

/// Word indices inside the built-in objects that emitted code reads and
/// writes inline (items of exact lists, tuples and bytearrays at small-int
/// indices); the runtime checks them in its tests.
pub mod layout {
    /// A list's item count (`[type, length, capacity, items]`).
    pub const LIST_LEN: i32 = 1;
    /// A list's item array (a heap object of object words; NULL when empty).
    pub const LIST_ITEMS: i32 = 3;
    /// A tuple's item count (`[type, length, item 0, item 1, ...]`).
    pub const TUPLE_LEN: i32 = 1;
    /// A tuple's first item.
    pub const TUPLE_ITEMS: i32 = 2;
    /// A bytearray's length in bytes (`[type, length, capacity, data]`).
    pub const BYTEARRAY_LEN: i32 = 1;
    /// A bytearray's data (a heap object: byte `i` is bits `8 * (i % 4)..`
    /// of word `i / 4`, so byte `i` of memory on a little-endian machine).
    pub const BYTEARRAY_DATA: i32 = 3;
}
