//! Fuzz target: any bytes given to the `.mpy` reader, the verifier and the disassembler
//! must give a result or an error, never a panic, a hang or unbounded memory use.
#![no_main]

use libfuzzer_sys::fuzz_target;

use ferropy_bytecode::disasm::disassemble_module;
use ferropy_bytecode::mpy::{read_mpy, read_mpy_file_unverified, verify_module, write_mpy_file};

fuzz_target!(|data: &[u8]| {
    let verified = read_mpy(data);
    if let Ok(file) = read_mpy_file_unverified(data) {
        // The disassembler must cope with unverified code too.
        let mut listing = String::new();
        let _ = disassemble_module(&file.module, &mut listing);
        let passes = verify_module(&file.module).is_ok();
        assert_eq!(passes, verified.is_ok(), "read_mpy must accept exactly the files that verify");
        if passes {
            // What loads writes back to a file that loads to the same module.
            let mut out = Vec::new();
            write_mpy_file(&file, &mut out);
            assert_eq!(read_mpy(&out).ok(), Some(file.module));
        }
    } else {
        assert!(verified.is_err());
    }
});
