//! [`Class`]: a Rust type exposed to Python as a class whose instances own a
//! Rust value and whose methods are Rust closures.
//!
//! The Rust value lives in the VM's embedding state; the instance records its
//! slot. While a method runs, the value is lent to it; a method that
//! re-enters another method of the same object (through Python) gets a
//! `RuntimeError` rather than a second `&mut`. Values live until the VM is
//! dropped (the runtime has no finalisers yet).

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use ferropy_runtime::vm::HostFn;
use ferropy_runtime::{Obj, Vm as RawVm};

use super::convert::{FromArgs, IntoPy};
use super::ctx::Ctx;
use super::error::{Error, Result};
use super::host_fn::guard;
use super::state::EmbedState;

/// The instance attribute holding the Rust value's slot.
const SLOT_ATTR: &str = "__rust_slot__";

/// A Python class backed by Rust type `T`; register it with [`Ctx::add_class`]
/// / [`crate::embed::Vm::add_class`].
///
/// ```
/// use ferropy::embed::{Class, Vm};
/// struct Counter {
///     n: i64,
/// }
/// let mut vm = Vm::new().unwrap();
/// let class = Class::new("Counter")
///     .constructor(|_, start: i64| Ok(Counter { n: start }))
///     .method("incr", |_, c: &mut Counter, by: i64| {
///         c.n += by;
///         Ok(c.n)
///     })
///     .method("value", |_, c: &mut Counter, ()| Ok(c.n));
/// vm.add_class(class).unwrap();
/// vm.exec("c = Counter(10)\nc.incr(5)\nc.incr(1)").unwrap();
/// assert_eq!(vm.eval::<i64>("c.value()").unwrap(), 16);
/// ```
pub struct Class<T> {
    name: String,
    members: Vec<(String, HostFn)>,
    marker: PhantomData<fn() -> T>,
}

impl<T: Send + 'static> Class<T> {
    /// A class named `name` with no constructor (instances can't be created
    /// from Python until [`Class::constructor`] is given) and no methods.
    ///
    /// ```
    /// let class = ferropy::embed::Class::<u8>::new("Empty");
    /// let mut vm = ferropy::embed::Vm::new().unwrap();
    /// vm.add_class(class).unwrap();
    /// assert!(vm.exec("Empty()").is_err());
    /// ```
    pub fn new(name: &str) -> Class<T> {
        Class { name: name.to_string(), members: Vec::new(), marker: PhantomData }
    }

    /// How Python creates instances: `Name(args)` runs `f` and the instance
    /// owns the value it returns.
    ///
    /// ```
    /// use ferropy::embed::{Class, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// vm.add_class(Class::new("Pair").constructor(|_, (a, b): (i64, i64)| Ok((a, b))).method(
    ///     "sum",
    ///     |_, p: &mut (i64, i64), ()| Ok(p.0 + p.1),
    /// ))
    /// .unwrap();
    /// assert_eq!(vm.eval::<i64>("Pair(2, 3).sum()").unwrap(), 5);
    /// ```
    pub fn constructor<F, A>(mut self, f: F) -> Class<T>
    where
        F: Fn(&mut Ctx<'_>, A) -> Result<T> + Send + Sync + 'static,
        A: FromArgs,
    {
        let init: HostFn = Arc::new(move |raw: &mut RawVm, args: &[Obj], kw: &[Obj]| {
            guard(raw, kw, |cx| {
                let Some((&this, rest)) = args.split_first() else {
                    return Err(Error::raise("TypeError", "__init__ needs self"));
                };
                let a = A::from_args(cx, rest)?;
                let value = f(cx, a)?;
                let slot = store(cx.raw, Box::new(value));
                let q = cx.check(|raw| raw.intern(SLOT_ATTR))?;
                let n = cx.check(|raw| raw.new_int(slot as i64))?;
                cx.check(|raw| raw.store_attr(this, q, n))?;
                Ok(Obj::NONE)
            })
        });
        self.members.push(("__init__".to_string(), init));
        self
    }

    /// A method: `f` gets the instance's Rust value and the other arguments.
    ///
    /// ```
    /// use ferropy::embed::{Class, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// vm.add_class(
    ///     Class::new("Name")
    ///         .constructor(|_, s: String| Ok(s))
    ///         .method("upper", |_, s: &mut String, ()| Ok(s.to_uppercase())),
    /// )
    /// .unwrap();
    /// assert_eq!(vm.eval::<String>("Name('ada').upper()").unwrap(), "ADA");
    /// ```
    pub fn method<F, A, R>(mut self, name: &str, f: F) -> Class<T>
    where
        F: Fn(&mut Ctx<'_>, &mut T, A) -> Result<R> + Send + Sync + 'static,
        A: FromArgs,
        R: IntoPy,
    {
        let class_name = self.name.clone();
        let method: HostFn = Arc::new(move |raw: &mut RawVm, args: &[Obj], kw: &[Obj]| {
            guard(raw, kw, |cx| {
                let Some((&this, rest)) = args.split_first() else {
                    return Err(Error::raise("TypeError", "method needs self"));
                };
                let slot = slot_of(cx, this, &class_name)?;
                let mut value = take(cx.raw, slot)?;
                let r = match value.downcast_mut::<T>() {
                    Some(v) => A::from_args(cx, rest).and_then(|a| f(cx, v, a)).and_then(|r| r.into_py(cx)),
                    None => Err(Error::raise("TypeError", format!("not a {class_name} object"))),
                };
                put_back(cx.raw, slot, value);
                r
            })
        });
        self.members.push((name.to_string(), method));
        self
    }
}

fn store(raw: &mut RawVm, value: Box<dyn Any + Send>) -> usize {
    let state = EmbedState::of(raw);
    match state.free_userdata.pop() {
        Some(slot) => {
            state.userdata[slot] = Some(value);
            slot
        }
        None => {
            state.userdata.push(Some(value));
            state.userdata.len() - 1
        }
    }
}

fn slot_of(cx: &mut Ctx<'_>, this: Obj, class_name: &str) -> Result<usize> {
    let q = cx.check(|raw| raw.intern(SLOT_ATTR))?;
    let found = cx.check(|raw| raw.load_attr_opt(this, q))?;
    match found.and_then(|o| o.small_int_value()) {
        Some(n) if n >= 0 => Ok(n as usize),
        _ => Err(Error::raise("TypeError", format!("not an initialised {class_name} object"))),
    }
}

fn take(raw: &mut RawVm, slot: usize) -> Result<Box<dyn Any + Send>> {
    match EmbedState::of(raw).userdata.get_mut(slot).and_then(Option::take) {
        Some(v) => Ok(v),
        None => Err(Error::raise("RuntimeError", "Rust object is in use (re-entered) or was lost to a panic")),
    }
}

fn put_back(raw: &mut RawVm, slot: usize, value: Box<dyn Any + Send>) {
    if let Some(s) = EmbedState::of(raw).userdata.get_mut(slot) {
        *s = Some(value);
    }
}

impl Ctx<'_> {
    /// Defines the class as global `name` of `__main__`.
    ///
    /// ```
    /// use ferropy::embed::{Class, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// vm.with(|cx| cx.add_class(Class::new("Unit").constructor(|_, ()| Ok(())))).unwrap();
    /// vm.exec("u = Unit()").unwrap();
    /// ```
    pub fn add_class<T: Send + 'static>(&mut self, class: Class<T>) -> Result<()> {
        let Class { name, mut members, .. } = class;
        if !members.iter().any(|(m, _)| m == "__init__") {
            let msg = format!("cannot create '{name}' instances");
            let refuse: HostFn = Arc::new(move |raw: &mut RawVm, _: &[Obj], _: &[Obj]| Err(raw.type_error(&msg)));
            members.push(("__init__".to_string(), refuse));
        }
        let dict = self.check(|raw| ferropy_runtime::types::dict::new_dict(raw, 0))?;
        self.raw.root(dict);
        for (member, f) in members {
            let o = self.check(|raw| raw.new_host_function(&member, f))?;
            self.raw.root(o);
            self.check(|raw| raw.set_global(dict, &member, o))?;
        }
        let q = self.check(|raw| raw.qstr_obj(&name))?;
        let bases = self.check(|raw| raw.new_tuple(&[]))?;
        self.raw.root(bases);
        let cls = self.check(|raw| ferropy_runtime::types::class::new_class(raw, q, bases, dict))?;
        self.raw.root(cls);
        let g = self.check(|raw| raw.main_globals(super::ctx::EMBED_FILENAME))?;
        self.check(|raw| raw.set_global(g, &name, cls))
    }
}

impl super::vm::Vm {
    /// Defines a Rust-backed class as a global. See [`Class`].
    ///
    /// ```
    /// use ferropy::embed::{Class, Vm};
    /// let mut vm = Vm::new().unwrap();
    /// vm.add_class(Class::new("Flag").constructor(|_, b: bool| Ok(b)).method("get", |_, b: &mut bool, ()| Ok(*b)))
    ///     .unwrap();
    /// assert!(vm.eval::<bool>("Flag(True).get()").unwrap());
    /// ```
    pub fn add_class<T: Send + 'static>(&mut self, class: Class<T>) -> Result<()> {
        self.with(|cx| cx.add_class(class))
    }
}
