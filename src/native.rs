//! Native code support for the host: the x86-64 emitters and executable
//! memory, plugged into the runtime as a [`NativeSupport`].

use std::boxed::Box;
use std::string::{String, ToString};
use std::sync::Arc;

use ferropy_frontend::NativeEmitterFactory;
use ferropy_runtime::native::{NativeCode, NativeCtx, NativeSupport};

/// Native support for x86-64 hosts: emits x86-64 code and runs it.
#[derive(Debug, Default)]
pub struct X64Support;

/// Machine code mapped executable on this host.
#[derive(Debug)]
struct HostCode(ferropy_emit_x64::exec::ExecutableCode);

impl NativeCode for HostCode {
    fn base(&self) -> usize {
        self.0.addr(0).map_or(0, |p| p as usize)
    }

    fn call(&self, ctx: *mut NativeCtx, state: *mut u32, words: *mut usize, resume: usize) -> usize {
        self.0.call_entry(ctx as usize, state as usize, words as usize, resume)
    }
}

impl NativeSupport for X64Support {
    fn arch(&self) -> u8 {
        ferropy_bytecode::mpy::arch::X64
    }

    fn install(&self, code: &[u8], _name: &str) -> Result<Box<dyn NativeCode>, String> {
        match ferropy_emit_x64::exec::ExecutableCode::new(code) {
            Ok(c) => Ok(Box::new(HostCode(c))),
            Err(e) => Err(e.to_string()),
        }
    }

    fn emitters(&self) -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
        Some(ferropy_emit_x64::emitters(None))
    }
}

static X64: X64Support = X64Support;

/// The native support of this host, if ferropy can run native code here.
/// With the `cranelift` feature, viper functions tier up to the optimizing
/// tier after `VmConfig::tier_up_calls` calls
/// ([`crate::native_opt::tiered_support`]).
pub fn host_support() -> Option<&'static dyn NativeSupport> {
    #[cfg(feature = "cranelift")]
    if let Some(s) = crate::native_opt::tiered_support() {
        return Some(s);
    }
    single_pass_support()
}

/// The host's single-pass emitters and executable memory (no tier-up).
pub fn single_pass_support() -> Option<&'static dyn NativeSupport> {
    if cfg!(target_arch = "x86_64") {
        Some(&X64)
    } else {
        None
    }
}

/// The emitters of this host, for `CompileOptions::native`.
pub fn host_emitters() -> Option<Arc<dyn NativeEmitterFactory + Send + Sync>> {
    host_support().and_then(|s| s.emitters())
}

/// A listing of every native/viper function in `module`: a header with the
/// function's name, emitter and machine-code size, then its x86-64
/// instructions (offset, bytes, NASM syntax). `--dis-native` prints it.
pub fn native_listing(module: &ferropy_bytecode::CompiledModule) -> String {
    listing_with(module, "x86-64", &ferropy_emit_x64::disasm::listing)
}

/// [`native_listing`] with the machine code of every function disassembled
/// by `disassemble` and headed `arch_name` (`ferropy-cross --dis-native`
/// lists the code of other architectures with it).
pub fn listing_with(
    module: &ferropy_bytecode::CompiledModule,
    arch_name: &str,
    disassemble: &dyn Fn(&[u8]) -> String,
) -> String {
    let mut out = String::new();
    let mut total = 0;
    list_code(module, &module.root, arch_name, disassemble, &mut out, &mut total);
    if total == 0 {
        out.push_str("no native code (mark functions @micropython.native/@micropython.viper, or use -X emit=native)\n");
    }
    out
}

fn list_code(
    module: &ferropy_bytecode::CompiledModule,
    code: &ferropy_bytecode::RawCode,
    arch_name: &str,
    disassemble: &dyn Fn(&[u8]) -> String,
    out: &mut String,
    total: &mut usize,
) {
    use ferropy_bytecode::CodeKind;
    use std::fmt::Write;
    if matches!(code.kind, CodeKind::Native | CodeKind::Viper) {
        let machine = code.code.get(..code.prelude_offset).unwrap_or(&[]);
        let name = function_name(module, code).unwrap_or("?");
        let kind = if code.kind == CodeKind::Viper { "viper" } else { "native" };
        let _ = writeln!(out, "{name} ({kind}, {arch_name}): {} bytes", machine.len());
        out.push_str(&disassemble(machine));
        out.push('\n');
        *total += 1;
    }
    for child in &code.children {
        list_code(module, child, arch_name, disassemble, out, total);
    }
}

/// The function's name, from its prelude.
fn function_name<'m>(
    module: &'m ferropy_bytecode::CompiledModule,
    code: &ferropy_bytecode::RawCode,
) -> Option<&'m str> {
    let bytes = code.code.get(code.prelude_offset..)?;
    let mut pos = 0;
    ferropy_bytecode::prelude::decode_signature(bytes, &mut pos).ok()?;
    ferropy_bytecode::prelude::decode_size(bytes, &mut pos).ok()?;
    let q = ferropy_bytecode::varint::read_vuint(bytes, &mut pos).ok()?;
    module.qstrs.get(usize::try_from(q).ok()?).map(String::as_str)
}
