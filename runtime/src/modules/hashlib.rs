//! The `hashlib` module: `sha256`, `sha1` and `md5` objects with `update`,
//! `digest` and `hexdigest` over [`super::digest`]. An object is
//! `[type, final flag, state words...]`; as in MicroPython, a hash is final
//! once its digest has been taken.

use alloc::string::String;

use super::digest::{Algo, HashState, STATE_WORDS};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

const FINAL: usize = 1;
const STATE: usize = 2;

/// The module's (empty) function table.
pub static HASHLIB_FUNCS: TypeDesc = TypeDesc::new("hashlib", ids::OBJECT);

static HASH_METHODS: [Method; 3] =
    [Method::new("update", update), Method::new("digest", digest), Method::new("hexdigest", hexdigest)];

/// `hashlib.sha256`.
pub static SHA256_TYPE: TypeDesc =
    TypeDesc { make_new: Some(sha256_new), methods: &HASH_METHODS, ..TypeDesc::new("sha256", ids::OBJECT) };
/// `hashlib.sha1`.
pub static SHA1_TYPE: TypeDesc =
    TypeDesc { make_new: Some(sha1_new), methods: &HASH_METHODS, ..TypeDesc::new("sha1", ids::OBJECT) };
/// `hashlib.md5`.
pub static MD5_TYPE: TypeDesc =
    TypeDesc { make_new: Some(md5_new), methods: &HASH_METHODS, ..TypeDesc::new("md5", ids::OBJECT) };

/// Builds the `hashlib` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let extra = [
        ("sha256", crate::types::type_obj(ids::SHA256)),
        ("sha1", crate::types::type_obj(ids::SHA1)),
        ("md5", crate::types::type_obj(ids::MD5)),
    ];
    super::make_module(vm, "hashlib", ids::HASHLIB_FUNCS, &extra)
}

fn data_arg(vm: &mut Vm, o: Obj) -> PyResult<alloc::vec::Vec<u8>> {
    match vm.buffer_or_str(o) {
        Some(b) => Ok(b),
        None => Err(vm.type_error("object with buffer protocol required")),
    }
}

fn save(vm: &mut Vm, o: Obj, st: &HashState) {
    for (i, w) in st.to_words().iter().enumerate() {
        vm.set_u32(o, STATE + i, *w);
    }
}

fn load(vm: &Vm, o: Obj) -> HashState {
    let mut w = [0u32; STATE_WORDS];
    for (i, x) in w.iter_mut().enumerate() {
        *x = vm.get_u32(o, STATE + i);
    }
    HashState::from_words(&w)
}

fn new_hash(vm: &mut Vm, t: Obj, args: &[Obj], algo: Algo) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 0, 1)?;
    let mut st = HashState::new(algo);
    if let Some(&d) = args.first() {
        let data = data_arg(vm, d)?;
        st.update(&data);
    }
    let o = vm.alloc(STATE + STATE_WORDS)?;
    vm.set(o, 0, t);
    save(vm, o, &st);
    Ok(o)
}

fn sha256_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    new_hash(vm, t, args, Algo::Sha256)
}

fn sha1_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    new_hash(vm, t, args, Algo::Sha1)
}

fn md5_new(vm: &mut Vm, t: Obj, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    new_hash(vm, t, args, Algo::Md5)
}

fn self_arg(vm: &mut Vm, args: &[Obj]) -> PyResult<Obj> {
    let s = crate::builtins::arg(vm, args, 0)?;
    let s = vm.native_self(s);
    let ok = [ids::SHA256, ids::SHA1, ids::MD5].iter().any(|&id| vm.is_exact(s, id));
    if !ok {
        return Err(vm.type_error("hash object expected"));
    }
    if vm.get_u32(s, FINAL) != 0 {
        return Err(vm.value_error("hash is final"));
    }
    Ok(s)
}

fn update(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let s = self_arg(vm, args)?;
    let d = crate::builtins::arg(vm, args, 1)?;
    let data = data_arg(vm, d)?;
    let mut st = load(vm, s);
    st.update(&data);
    save(vm, s, &st);
    Ok(Obj::NONE)
}

fn final_digest(vm: &mut Vm, args: &[Obj]) -> PyResult<alloc::vec::Vec<u8>> {
    let s = self_arg(vm, args)?;
    let d = load(vm, s).digest();
    vm.set_u32(s, FINAL, 1);
    Ok(d)
}

fn digest(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = final_digest(vm, args)?;
    vm.new_bytes(&d)
}

fn hexdigest(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let d = final_digest(vm, args)?;
    let mut s = String::with_capacity(d.len() * 2);
    for b in d {
        s.push_str(&alloc::format!("{b:02x}"));
    }
    vm.new_str(&s)
}
