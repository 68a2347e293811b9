//! Makes a compiled function one relocation-free block of code.
//!
//! Cranelift leaves a relocation wherever the code refers to something
//! outside the function: calls to the interrupt trampoline
//! ([`crate::preserve`]) and the addresses of lookup tables
//! ([`crate::crc`]). Both are appended to the code here, and each
//! relocation becomes the distance from the instruction to its target, so
//! the block can be copied anywhere as a whole.

use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::ir::{ExternalName, Function};
use cranelift_codegen::FinalizedRelocTarget;

use crate::crc::{Table, TABLES};
use crate::preserve::{interrupt_trampoline, TRAMPOLINE};

/// One relocation: (offset, kind, target, addend), as Cranelift lists them.
pub type Relocation = (u32, Reloc, FinalizedRelocTarget, i64);

/// Appends the trampoline (16-aligned, if anything calls it) and `tables`
/// (8-aligned) to `code`, and resolves `relocs`, which may only be
/// PC-relative references to those from the function `func` that was
/// compiled to `code` (calls to the trampoline, `lea`s of tables).
pub fn link(code: &mut Vec<u8>, relocs: &[Relocation], func: &Function, tables: &[Table]) -> Result<(), String> {
    if relocs.is_empty() {
        return Ok(());
    }
    let names = func.params.user_named_funcs();
    let name_of = |to: &FinalizedRelocTarget| match to {
        FinalizedRelocTarget::ExternalName(ExternalName::User(r)) => names.get(*r).cloned(),
        _ => None,
    };
    let mut trampoline = None;
    if relocs.iter().any(|(_, _, to, _)| name_of(to) == Some(TRAMPOLINE)) {
        pad_to(code, 16);
        trampoline = Some(code.len() as i64);
        code.extend_from_slice(&interrupt_trampoline());
    }
    let mut starts = Vec::with_capacity(tables.len());
    for t in tables {
        pad_to(code, 8);
        starts.push(code.len() as i64);
        code.extend_from_slice(&t.bytes);
    }
    for (offset, kind, to, addend) in relocs {
        let target = match name_of(to) {
            Some(n) if n == TRAMPOLINE => trampoline,
            Some(n) if n.namespace == TABLES => starts.get(n.index as usize).copied(),
            _ => None,
        };
        let (Some(target), Reloc::X86CallPCRel4) = (target, kind) else {
            return Err(format!("unexpected relocation {kind} at {offset}"));
        };
        let at = *offset as usize;
        let rel = i32::try_from(target + addend - at as i64).map_err(|_| "relocation out of range")?;
        code.get_mut(at..at + 4).ok_or("relocation outside the code")?.copy_from_slice(&rel.to_le_bytes());
    }
    Ok(())
}

fn pad_to(code: &mut Vec<u8>, align: usize) {
    while code.len() % align != 0 {
        code.push(0xCC);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::UserExternalName;

    fn to(r: cranelift_codegen::ir::UserExternalNameRef) -> FinalizedRelocTarget {
        FinalizedRelocTarget::ExternalName(ExternalName::User(r))
    }

    #[test]
    fn calls_are_patched_to_the_appended_trampoline() {
        let mut func = Function::new();
        let other = func.declare_imported_user_function(UserExternalName { namespace: 2, index: 7 });
        let trampoline = func.declare_imported_user_function(TRAMPOLINE);
        // `call rel32` at offset 1 (its displacement at 2..6), then `ret`.
        let mut code = vec![0x90, 0xE8, 0, 0, 0, 0, 0xC3];
        link(&mut code, &[(2, Reloc::X86CallPCRel4, to(trampoline), -4)], &func, &[]).unwrap();
        assert_eq!(code.len(), 16 + 51, "padded to 16 bytes, then the trampoline");
        assert_eq!(&code[16..], &interrupt_trampoline()[..]);
        let rel = i32::from_le_bytes(code[2..6].try_into().unwrap());
        assert_eq!(6 + rel as i64, 16, "the call lands on the trampoline");
        assert!(code[7..16].iter().all(|&b| b == 0xCC));
        // Code without relocations is left as it is.
        let mut plain = vec![0xC3];
        link(&mut plain, &[], &func, &[]).unwrap();
        assert_eq!(plain, [0xC3]);
        // Any other relocation is refused: a call elsewhere, another kind.
        let e = link(&mut vec![0xE8, 0, 0, 0, 0], &[(1, Reloc::X86CallPCRel4, to(other), -4)], &func, &[]);
        assert!(e.unwrap_err().contains("unexpected relocation"));
        let e = link(&mut vec![0xE8, 0, 0, 0, 0], &[(1, Reloc::Abs8, to(trampoline), 0)], &func, &[]);
        assert!(e.unwrap_err().contains("unexpected relocation"));
    }

    #[test]
    fn table_addresses_are_patched_to_the_appended_tables() {
        let mut func = Function::new();
        let t1 = func.declare_imported_user_function(UserExternalName { namespace: TABLES, index: 1 });
        let t2 = func.declare_imported_user_function(UserExternalName { namespace: TABLES, index: 2 });
        let tables = [
            Table { bytes: vec![1; 4], entry: 4 },
            Table { bytes: vec![2; 8], entry: 8 },
            Table { bytes: vec![3; 16], entry: 8 },
        ];
        // `lea rax, [rip + rel32]` (48 8D 05 rel32), then `ret`.
        let mut code = vec![0x48, 0x8D, 0x05, 0, 0, 0, 0, 0xC3];
        link(&mut code, &[(3, Reloc::X86CallPCRel4, to(t1), -4)], &func, &tables).unwrap();
        // Tables at 8, 16 and 24 (8-aligned), no trampoline.
        assert_eq!(code.len(), 8 + 4 + 4 + 8 + 16);
        let rel = i32::from_le_bytes(code[3..7].try_into().unwrap());
        assert_eq!(7 + rel as i64, 16, "the second table");
        assert_eq!(&code[16..24], &[2; 8]);
        // A table that was not appended is refused.
        let mut code = vec![0x48, 0x8D, 0x05, 0, 0, 0, 0, 0xC3];
        let e = link(&mut code, &[(3, Reloc::X86CallPCRel4, to(t2), -4)], &func, &tables[..2]);
        assert!(e.unwrap_err().contains("unexpected relocation"));
    }
}
