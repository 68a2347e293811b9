//! The bytecode-style prelude appended to native code: signature, names, line
//! table (over machine-code offsets) and cells, as the runtime's loader and the
//! `.mpy` format expect.

use alloc::vec::Vec;

use ferropy_bytecode::prelude::{encode_line_delta, encode_signature, encode_size, Signature};
use ferropy_bytecode::varint::write_vuint;

/// The prelude fields of one function.
pub(super) struct PreludeParams<'a> {
    pub n_state: u32,
    pub n_exc_stack: u32,
    pub scope_flags: u16,
    pub n_pos_args: u32,
    pub n_kwonly_args: u32,
    pub n_def_pos_args: u32,
    pub name_qstr: u32,
    pub param_qstrs: &'a [u32],
    pub cells: &'a [u32],
}

/// Encodes the prelude; `lines` are `(code offset, line)` pairs in code order.
pub(super) fn encode(p: &PreludeParams<'_>, lines: &[(usize, u32)]) -> Vec<u8> {
    let mut info = Vec::new();
    write_vuint(&mut info, u64::from(p.name_qstr));
    for &q in p.param_qstrs {
        write_vuint(&mut info, u64::from(q));
    }
    let (mut last_offset, mut last_line) = (0usize, 1u32);
    for &(offset, line) in lines {
        // Like MicroPython's emitters, only forward line steps are recorded.
        if line > last_line && offset >= last_offset {
            let bytes = u32::try_from(offset - last_offset).unwrap_or(u32::MAX);
            encode_line_delta(bytes, line - last_line, &mut info);
            last_offset = offset;
            last_line = line;
        }
    }
    let mut out = Vec::new();
    let sig = Signature {
        n_state: p.n_state,
        n_exc_stack: p.n_exc_stack,
        scope_flags: (p.scope_flags & 0x0F) as u8,
        n_pos_args: p.n_pos_args,
        n_kwonly_args: p.n_kwonly_args,
        n_def_pos_args: p.n_def_pos_args,
    };
    encode_signature(&sig, &mut out);
    encode_size(info.len() as u32, p.cells.len() as u32, &mut out);
    out.extend_from_slice(&info);
    out.extend(p.cells.iter().map(|&c| c.min(255) as u8));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferropy_bytecode::prelude::{decode_prelude, line_for_offset};

    #[test]
    fn round_trips_through_the_decoder() {
        let params = PreludeParams {
            n_state: 7,
            n_exc_stack: 1,
            scope_flags: 0x01,
            n_pos_args: 2,
            n_kwonly_args: 0,
            n_def_pos_args: 0,
            name_qstr: 5,
            param_qstrs: &[6, 7],
            cells: &[1],
        };
        let bytes = encode(&params, &[(0, 3), (40, 4), (90, 9), (100, 2)]);
        let p = decode_prelude(&bytes).unwrap();
        assert_eq!(p.signature.n_state, 7);
        assert_eq!(p.signature.n_pos_args, 2);
        assert_eq!(p.simple_name, 5);
        assert_eq!(p.arg_names, [6, 7]);
        assert_eq!(p.cells, [1]);
        let table = p.line_table_bytes(&bytes);
        assert_eq!(line_for_offset(table, 10), 3);
        assert_eq!(line_for_offset(table, 45), 4);
        assert_eq!(line_for_offset(table, 200), 9);
    }
}
