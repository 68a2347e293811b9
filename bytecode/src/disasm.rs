//! The disassembler: readable listings of compiled code.
