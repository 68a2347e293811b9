//! Conversions between Rust values and Python objects: [`IntoPy`] and
//! [`FromPy`] for the usual Rust types, [`Value`] for values of any shape,
//! [`FromArgs`]/[`IntoArgs`] for argument lists.
//!
//! | Rust | Python |
//! |---|---|
//! | `i8`..`i64`, `u8`..`u64`, `isize`, `usize` | `int` (out of range: [`Error::Conversion`]) |
//! | `f32`, `f64` | `float` (from Python, an `int` is accepted too) |
//! | `bool` | `bool` |
//! | `&str`, `String` | `str` |
//! | [`Bytes`], `&[u8]` | `bytes` (from Python, any bytes-like object) |
//! | `Vec<T>` | `list` (from Python, a tuple is accepted too) |
//! | `HashMap<K, V>` | `dict` |
//! | `Option<T>` | `None` or the value |
//! | `()` | `None` |
//! | tuples of up to 6 | `tuple` |
//! | [`Value`] | any of the above, nested |
//! | [`PyObject`] | any object, unconverted |

use std::collections::HashMap;
use std::hash::Hash;

use ferropy_runtime::types::{ids, type_obj};
use ferropy_runtime::Obj;

use super::ctx::Ctx;
use super::error::{Error, Result};
use super::object::PyObject;

/// Deepest nesting [`Value`] converts (deeper or cyclic data is refused).
///
/// ```
/// use ferropy::embed::{Value, Vm, MAX_VALUE_DEPTH};
/// let mut vm = Vm::new().unwrap();
/// vm.exec(&format!("d = []\nfor _ in range({}):\n    d = [d]", MAX_VALUE_DEPTH + 5)).unwrap();
/// assert!(vm.get::<Value>("d").is_err());
/// ```
pub const MAX_VALUE_DEPTH: usize = 100;

/// A Rust value that can become a Python object.
///
/// The object is only valid until the VM next runs or allocates; keep it
/// with a [`PyObject`] to hold it longer.
///
/// ```
/// let mut vm = ferropy::embed::Vm::new().unwrap();
/// vm.set("xs", vec![1.5, 2.5]).unwrap();
/// assert_eq!(vm.eval::<f64>("sum(xs)").unwrap(), 4.0);
/// ```
pub trait IntoPy {
    /// Creates the Python object.
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj>;
}

/// A Rust value that can be read from a Python object.
///
/// ```
/// let mut vm = ferropy::embed::Vm::new().unwrap();
/// let v: Vec<(String, i64)> = vm.eval("[('a', 1), ('b', 2)]").unwrap();
/// assert_eq!(v, vec![("a".to_string(), 1), ("b".to_string(), 2)]);
/// ```
pub trait FromPy: Sized {
    /// Reads the object.
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<Self>;
}

/// `bytes` as a Rust value (`Vec<u8>` is a list of ints).
///
/// ```
/// use ferropy::embed::{Bytes, Vm};
/// let mut vm = Vm::new().unwrap();
/// let b: Bytes = vm.eval("b'ab' * 2").unwrap();
/// assert_eq!(b.0, b"abab");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bytes(pub Vec<u8>);

/// A Python value of any shape, converted deeply (up to [`MAX_VALUE_DEPTH`]
/// levels). Other objects (functions, instances, ...) are refused: hold those
/// with a [`PyObject`].
///
/// ```
/// use ferropy::embed::{Value, Vm};
/// let mut vm = Vm::new().unwrap();
/// let v: Value = vm.eval("{'k': [1, 2.0, None]}").unwrap();
/// assert_eq!(
///     v,
///     Value::Dict(vec![(Value::Str("k".into()), Value::List(vec![Value::Int(1), Value::Float(2.0), Value::None]))])
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// `True`/`False`.
    Bool(bool),
    /// An int that fits 64 bits (bigger ints are refused).
    Int(i64),
    /// A float.
    Float(f64),
    /// A str.
    Str(String),
    /// bytes.
    Bytes(Vec<u8>),
    /// A list.
    List(Vec<Value>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A dict, in insertion order.
    Dict(Vec<(Value, Value)>),
}

/// Any number of arguments of one type (for host functions taking `*args`).
///
/// ```
/// use ferropy::embed::{Variadic, Vm};
/// let mut vm = Vm::new().unwrap();
/// vm.set_function("total", |_, xs: Variadic<i64>| Ok(xs.0.iter().sum::<i64>())).unwrap();
/// assert_eq!(vm.eval::<i64>("total(1, 2, 3)").unwrap(), 6);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variadic<T>(pub Vec<T>);

/// The arguments a host function accepts: one convertible value, a tuple of
/// them (one per positional argument), or [`Variadic`].
///
/// ```
/// let mut vm = ferropy::embed::Vm::new().unwrap();
/// vm.set_function("none", |_, ()| Ok(0)).unwrap();
/// vm.set_function("one", |_, s: String| Ok(s.len())).unwrap();
/// vm.set_function("two", |_, (a, b): (i64, Option<i64>)| Ok(a + b.unwrap_or(0))).unwrap();
/// assert_eq!(vm.eval::<i64>("none() + one('abc') + two(1, None) + two(1, 2)").unwrap(), 7);
/// ```
pub trait FromArgs: Sized {
    /// Reads the positional arguments (TypeError-like error if the count is wrong).
    fn from_args(cx: &mut Ctx<'_>, args: &[Obj]) -> Result<Self>;
}

/// Arguments passed from Rust to a Python callable: one value, or a tuple of
/// values (one per positional argument); `()` for none.
///
/// ```
/// let mut vm = ferropy::embed::Vm::new().unwrap();
/// vm.exec("def f(*a):\n    return len(a)").unwrap();
/// assert_eq!(vm.call::<_, i64>("f", ()).unwrap(), 0);
/// assert_eq!(vm.call::<_, i64>("f", "x").unwrap(), 1);
/// assert_eq!(vm.call::<_, i64>("f", (1, "y", 2.5)).unwrap(), 3);
/// ```
pub trait IntoArgs {
    /// Converts the arguments (they are rooted by the caller's scope).
    fn into_args(self, cx: &mut Ctx<'_>) -> Result<Vec<Obj>>;
}

fn found(cx: &mut Ctx<'_>, o: Obj) -> String {
    cx.raw.type_name(o)
}

fn type_is(cx: &Ctx<'_>, o: Obj, id: u32) -> bool {
    cx.raw.type_of(o) == type_obj(id)
}

// ----- integers, floats, bool -----

macro_rules! int_impls {
    ($($t:ty),*) => {$(
        impl IntoPy for $t {
            fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
                match i64::try_from(self) {
                    Ok(v) => cx.check(|raw| raw.new_int(v)),
                    Err(_) => {
                        let big = num_bigint::BigInt::from(self);
                        cx.check(|raw| raw.new_bigint(&big))
                    }
                }
            }
        }
        impl FromPy for $t {
            fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<Self> {
                if let Some(v) = o.small_int_value() {
                    return <$t>::try_from(v).map_err(|_| Error::conversion(stringify!($t), format!("int {v}")));
                }
                if !cx.raw.is_int(o) {
                    return Err(Error::conversion(stringify!($t), found(cx, o)));
                }
                let big = cx.raw.bigint_value(o).unwrap_or_default();
                <$t>::try_from(&big).map_err(|_| Error::conversion(stringify!($t), format!("int {big}")))
            }
        }
    )*};
}
int_impls!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl IntoPy for f64 {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        cx.check(|raw| raw.new_float(self))
    }
}

impl FromPy for f64 {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<f64> {
        if let Some(v) = cx.raw.float_value(o) {
            return Ok(v);
        }
        if cx.raw.is_int(o) {
            if let Some(v) = cx.raw.int_value(o) {
                return Ok(v as f64);
            }
        }
        Err(Error::conversion("f64", found(cx, o)))
    }
}

impl IntoPy for f32 {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        f64::from(self).into_py(cx)
    }
}

impl FromPy for f32 {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<f32> {
        f64::from_py(cx, o).map(|v| v as f32)
    }
}

impl IntoPy for bool {
    fn into_py(self, _cx: &mut Ctx<'_>) -> Result<Obj> {
        Ok(if self { Obj::TRUE } else { Obj::FALSE })
    }
}

impl FromPy for bool {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<bool> {
        o.as_bool().ok_or_else(|| Error::conversion("bool", found(cx, o)))
    }
}

// ----- strings and bytes -----

impl IntoPy for &str {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        cx.check(|raw| raw.new_str(self))
    }
}

impl IntoPy for String {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        self.as_str().into_py(cx)
    }
}

impl IntoPy for &String {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        self.as_str().into_py(cx)
    }
}

impl FromPy for String {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<String> {
        if cx.raw.is_str(o) {
            if let Some(s) = cx.raw.str_text(o) {
                return Ok(s);
            }
        }
        Err(Error::conversion("String", found(cx, o)))
    }
}

impl IntoPy for &[u8] {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        cx.check(|raw| raw.new_bytes(self))
    }
}

impl IntoPy for Bytes {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        self.0.as_slice().into_py(cx)
    }
}

impl FromPy for Bytes {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<Bytes> {
        if cx.raw.is_str(o) {
            return Err(Error::conversion("Bytes", "str"));
        }
        match cx.raw.buffer_bytes(o) {
            Some(b) => Ok(Bytes(b)),
            None => Err(Error::conversion("Bytes", found(cx, o))),
        }
    }
}

// ----- None, Option, containers -----

impl IntoPy for () {
    fn into_py(self, _cx: &mut Ctx<'_>) -> Result<Obj> {
        Ok(Obj::NONE)
    }
}

impl FromPy for () {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<()> {
        if o == Obj::NONE {
            Ok(())
        } else {
            Err(Error::conversion("()", found(cx, o)))
        }
    }
}

impl<T: IntoPy> IntoPy for Option<T> {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        match self {
            Some(v) => v.into_py(cx),
            None => Ok(Obj::NONE),
        }
    }
}

impl<T: FromPy> FromPy for Option<T> {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<Option<T>> {
        if o == Obj::NONE {
            Ok(None)
        } else {
            T::from_py(cx, o).map(Some)
        }
    }
}

/// Converts each item and roots it; returns the objects.
fn convert_all<T: IntoPy>(cx: &mut Ctx<'_>, items: impl IntoIterator<Item = T>) -> Result<Vec<Obj>> {
    let mut objs = Vec::new();
    for item in items {
        let o = item.into_py(cx)?;
        objs.push(cx.raw.root(o));
    }
    Ok(objs)
}

impl<T: IntoPy> IntoPy for Vec<T> {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        let objs = convert_all(cx, self)?;
        cx.check(|raw| raw.new_list(&objs))
    }
}

impl<T: FromPy> FromPy for Vec<T> {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<Vec<T>> {
        let items = if cx.raw.is_list(o) {
            cx.raw.list_items(o)
        } else if cx.raw.is_tuple(o) {
            cx.raw.tuple_items(o)
        } else {
            return Err(Error::conversion("Vec", found(cx, o)));
        };
        items.into_iter().map(|i| T::from_py(cx, i)).collect()
    }
}

impl<K: IntoPy, V: IntoPy, S> IntoPy for HashMap<K, V, S> {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        dict_from_pairs(cx, self)
    }
}

impl<K: FromPy + Eq + Hash, V: FromPy> FromPy for HashMap<K, V> {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<HashMap<K, V>> {
        if !cx.raw.is_dict(o) {
            return Err(Error::conversion("HashMap", found(cx, o)));
        }
        let mut map = HashMap::new();
        for (k, v) in cx.raw.dict_entries(o) {
            map.insert(K::from_py(cx, k)?, V::from_py(cx, v)?);
        }
        Ok(map)
    }
}

// ----- tuples and argument lists -----

macro_rules! tuple_impls {
    ($n:expr; $($name:ident $idx:tt),+) => {
        impl<$($name: IntoPy),+> IntoPy for ($($name,)+) {
            fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
                let objs = self.into_args(cx)?;
                cx.check(|raw| raw.new_tuple(&objs))
            }
        }
        impl<$($name: FromPy),+> FromPy for ($($name,)+) {
            fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<Self> {
                if !cx.raw.is_tuple(o) {
                    return Err(Error::conversion("tuple", found(cx, o)));
                }
                let items = cx.raw.tuple_items(o);
                if items.len() != $n {
                    return Err(Error::conversion(concat!("tuple of ", $n), format!("tuple of {}", items.len())));
                }
                Ok(($($name::from_py(cx, items[$idx])?,)+))
            }
        }
        impl<$($name: FromPy),+> FromArgs for ($($name,)+) {
            fn from_args(cx: &mut Ctx<'_>, args: &[Obj]) -> Result<Self> {
                if args.len() != $n {
                    return Err(arg_count($n, args.len()));
                }
                Ok(($($name::from_py(cx, args[$idx])?,)+))
            }
        }
        impl<$($name: IntoPy),+> IntoArgs for ($($name,)+) {
            fn into_args(self, cx: &mut Ctx<'_>) -> Result<Vec<Obj>> {
                let mut objs = Vec::with_capacity($n);
                $(
                    let o = self.$idx.into_py(cx)?;
                    objs.push(cx.raw.root(o));
                )+
                Ok(objs)
            }
        }
    };
}
tuple_impls!(1; A 0);
tuple_impls!(2; A 0, B 1);
tuple_impls!(3; A 0, B 1, C 2);
tuple_impls!(4; A 0, B 1, C 2, D 3);
tuple_impls!(5; A 0, B 1, C 2, D 3, E 4);
tuple_impls!(6; A 0, B 1, C 2, D 3, E 4, F 5);

fn arg_count(want: usize, got: usize) -> Error {
    Error::raise("TypeError", format!("function takes {want} positional arguments but {got} were given"))
}

impl FromArgs for () {
    fn from_args(_cx: &mut Ctx<'_>, args: &[Obj]) -> Result<()> {
        if args.is_empty() {
            Ok(())
        } else {
            Err(arg_count(0, args.len()))
        }
    }
}

impl IntoArgs for () {
    fn into_args(self, _cx: &mut Ctx<'_>) -> Result<Vec<Obj>> {
        Ok(Vec::new())
    }
}

impl<T: FromPy> FromArgs for Variadic<T> {
    fn from_args(cx: &mut Ctx<'_>, args: &[Obj]) -> Result<Self> {
        args.iter().map(|&a| T::from_py(cx, a)).collect::<Result<Vec<T>>>().map(Variadic)
    }
}

impl<T: IntoPy> IntoArgs for Variadic<T> {
    fn into_args(self, cx: &mut Ctx<'_>) -> Result<Vec<Obj>> {
        convert_all(cx, self.0)
    }
}

/// One value as a whole argument list (`f(x)`), for the non-tuple types.
macro_rules! single_arg_impls {
    ($([$($gen:tt)*] $t:ty),* $(,)?) => {$(
        impl<$($gen)*> FromArgs for $t where $t: FromPy {
            fn from_args(cx: &mut Ctx<'_>, args: &[Obj]) -> Result<Self> {
                match args {
                    [a] => <$t>::from_py(cx, *a),
                    _ => Err(arg_count(1, args.len())),
                }
            }
        }
        impl<$($gen)*> IntoArgs for $t where $t: IntoPy {
            fn into_args(self, cx: &mut Ctx<'_>) -> Result<Vec<Obj>> {
                let o = self.into_py(cx)?;
                Ok(vec![cx.raw.root(o)])
            }
        }
    )*};
}
single_arg_impls!(
    [] i8, [] i16, [] i32, [] i64, [] isize, [] u8, [] u16, [] u32, [] u64, [] usize,
    [] f32, [] f64, [] bool, [] String, [] Bytes, [] Value, [] PyObject,
    [T] Vec<T>, [T] Option<T>, [K, V] HashMap<K, V>,
);

impl IntoArgs for &str {
    fn into_args(self, cx: &mut Ctx<'_>) -> Result<Vec<Obj>> {
        let o = self.into_py(cx)?;
        Ok(vec![cx.raw.root(o)])
    }
}

impl IntoArgs for &PyObject {
    fn into_args(self, cx: &mut Ctx<'_>) -> Result<Vec<Obj>> {
        let o = self.into_py(cx)?;
        Ok(vec![cx.raw.root(o)])
    }
}

// ----- handles and dynamic values -----

impl IntoPy for &PyObject {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        self.get(cx.raw)
    }
}

impl IntoPy for PyObject {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        self.get(cx.raw)
    }
}

impl FromPy for PyObject {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<PyObject> {
        Ok(PyObject::pin(cx.raw, o))
    }
}

impl IntoPy for Value {
    fn into_py(self, cx: &mut Ctx<'_>) -> Result<Obj> {
        match self {
            Value::None => Ok(Obj::NONE),
            Value::Bool(b) => b.into_py(cx),
            Value::Int(i) => i.into_py(cx),
            Value::Float(f) => f.into_py(cx),
            Value::Str(s) => s.into_py(cx),
            Value::Bytes(b) => b.as_slice().into_py(cx),
            Value::List(items) => items.into_py(cx),
            Value::Tuple(items) => {
                let objs = convert_all(cx, items)?;
                cx.check(|raw| raw.new_tuple(&objs))
            }
            Value::Dict(pairs) => dict_from_pairs(cx, pairs),
        }
    }
}

impl FromPy for Value {
    fn from_py(cx: &mut Ctx<'_>, o: Obj) -> Result<Value> {
        value_from_py(cx, o, 0)
    }
}

fn value_from_py(cx: &mut Ctx<'_>, o: Obj, depth: usize) -> Result<Value> {
    if depth > MAX_VALUE_DEPTH {
        return Err(Error::conversion("Value", "data nested too deeply (or cyclic)"));
    }
    if o == Obj::NONE {
        return Ok(Value::None);
    }
    if let Some(b) = o.as_bool() {
        return Ok(Value::Bool(b));
    }
    if cx.raw.is_int(o) {
        return i64::from_py(cx, o).map(Value::Int);
    }
    if let Some(f) = cx.raw.float_value(o) {
        return Ok(Value::Float(f));
    }
    if cx.raw.is_str(o) {
        return String::from_py(cx, o).map(Value::Str);
    }
    if type_is(cx, o, ids::BYTES) {
        return Bytes::from_py(cx, o).map(|b| Value::Bytes(b.0));
    }
    let list = cx.raw.is_list(o);
    if list || cx.raw.is_tuple(o) {
        let items = if list { cx.raw.list_items(o) } else { cx.raw.tuple_items(o) };
        let values = items.into_iter().map(|i| value_from_py(cx, i, depth + 1)).collect::<Result<Vec<_>>>()?;
        return Ok(if list { Value::List(values) } else { Value::Tuple(values) });
    }
    if cx.raw.is_dict(o) {
        let mut pairs = Vec::new();
        for (k, v) in cx.raw.dict_entries(o) {
            pairs.push((value_from_py(cx, k, depth + 1)?, value_from_py(cx, v, depth + 1)?));
        }
        return Ok(Value::Dict(pairs));
    }
    Err(Error::conversion("Value", found(cx, o)))
}

/// A new dict with the converted `(key, value)` pairs (each rooted while the
/// next ones convert).
fn dict_from_pairs<K: IntoPy, V: IntoPy>(cx: &mut Ctx<'_>, pairs: impl IntoIterator<Item = (K, V)>) -> Result<Obj> {
    let d = cx.check(|raw| ferropy_runtime::types::dict::new_dict(raw, 0))?;
    cx.raw.root(d);
    for (k, v) in pairs {
        let k = k.into_py(cx)?;
        cx.raw.root(k);
        let v = v.into_py(cx)?;
        cx.raw.root(v);
        cx.check(|raw| raw.dict_store(d, k, v))?;
    }
    Ok(d)
}
