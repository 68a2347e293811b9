//! The `machine` module: `Pin` and `UART` over the VM's [`Hal`] (the simulated
//! board [`SimHal`] on a `std` host unless the embedder installs its own with
//! [`Vm::set_hal`]), `PinBase` (a base for pins written in Python), `Signal`,
//! `freq`, `unique_id`, `idle`, `disable_irq`/`enable_irq`, `mem8`/`mem16`/`mem32`. A `Pin` is
//! `[type, pin number]`; a `Signal` is `[type, pin object, invert]`.

pub mod hal;
pub mod mem;
pub mod uart;

use alloc::boxed::Box;
use alloc::string::String;

pub use hal::{Hal, PinMode, Pull, UartConfig};
#[cfg(feature = "std")]
pub use hal::{SimHal, SimHandle};

use super::errno::os_error;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

/// The module's function table.
pub static MACHINE_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("machine", ids::OBJECT) };

static FUNCS: [Method; 6] = [
    Method::new_static("time_pulse_us", time_pulse_us),
    Method::new_static("freq", freq),
    Method::new_static("unique_id", unique_id),
    Method::new_static("idle", idle),
    Method::new_static("disable_irq", disable_irq),
    Method::new_static("enable_irq", enable_irq),
];

static PIN_METHODS: [Method; 7] = [
    Method::new("init", pin_init),
    Method::new("value", pin_value),
    Method::new("on", pin_on),
    Method::new("off", pin_off),
    Method::new("high", pin_on),
    Method::new("low", pin_off),
    Method::new("toggle", pin_toggle),
];

/// `machine.Pin`.
pub static PIN_TYPE: TypeDesc = TypeDesc {
    make_new: Some(pin_new),
    print: Some(pin_print),
    call: Some(pin_call),
    attr: Some(pin_attr),
    class_attr: Some(pin_attr),
    methods: &PIN_METHODS,
    ..TypeDesc::new("Pin", ids::OBJECT)
};

/// `machine.PinBase`: subclass it and define `value()` for a pin in Python.
pub static PIN_BASE_TYPE: TypeDesc =
    TypeDesc { subclassable: true, make_new: Some(pinbase_new), ..TypeDesc::new("PinBase", ids::OBJECT) };

static SIGNAL_METHODS: [Method; 3] =
    [Method::new("value", signal_value), Method::new("on", signal_on), Method::new("off", signal_off)];

/// `machine.Signal(pin, invert=False)`.
pub static SIGNAL_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(signal_new),
    call: Some(signal_call),
    methods: &SIGNAL_METHODS,
    ..TypeDesc::new("Signal", ids::OBJECT)
};

/// Builds the `machine` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let extra = [
        ("Pin", crate::types::type_obj(ids::PIN)),
        ("PinBase", crate::types::type_obj(ids::PIN_BASE)),
        ("Signal", crate::types::type_obj(ids::SIGNAL)),
        ("UART", crate::types::type_obj(ids::UART)),
    ];
    let m = super::make_module(vm, "machine", ids::MACHINE_FUNCS, &extra)?;
    let g = vm.get(m, 1);
    for (name, width) in [("mem8", 1), ("mem16", 2), ("mem32", 4)] {
        let o = mem::new_mem(vm, width)?;
        vm.root(o);
        vm.set_global(g, name, o)?;
    }
    Ok(m)
}

impl Vm {
    /// Installs the board `machine` drives.
    pub fn set_hal(&mut self, hal: Box<dyn Hal>) {
        self.st.sys.hal = Some(hal);
    }
}

/// The default board: the simulated one on a `std` host, none without.
pub fn default_hal() -> Option<Box<dyn Hal>> {
    #[cfg(feature = "std")]
    {
        Some(Box::new(SimHal::new().0))
    }
    #[cfg(not(feature = "std"))]
    {
        None
    }
}

/// Runs `f` on the HAL; `OSError(ENODEV)` without one, `OSError(errno)` on failure.
pub(crate) fn with_hal<R>(vm: &mut Vm, f: impl FnOnce(&mut dyn Hal) -> Result<R, i32>) -> PyResult<R> {
    if vm.st.sys.hal.is_none() {
        vm.st.sys.hal = default_hal();
    }
    let r = match vm.st.sys.hal.as_mut() {
        Some(h) => f(h.as_mut()),
        None => Err(hal::ENODEV),
    };
    r.map_err(|e| os_error(vm, e))
}

fn freq(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let f = with_hal(vm, |h| Ok(h.freq()))?;
    vm.new_uint(f)
}

fn unique_id(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let id = with_hal(vm, |h| Ok(h.unique_id()))?;
    vm.new_bytes(&id)
}

fn idle(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    vm.st.sys.host.sleep_us(1);
    Ok(Obj::NONE)
}

/// Interrupts are not simulated: the state is a token to hand back.
fn disable_irq(_vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::from_small_int(1).unwrap_or(Obj::NONE))
}

fn enable_irq(_vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    Ok(Obj::NONE)
}

/// Reads a pin object's level (a `Pin`, or any object with `value()`).
fn level_of(vm: &mut Vm, pin: Obj) -> PyResult<bool> {
    let v = super::vfs::pyfs::call(vm, pin, "value", &[])?;
    vm.is_true(v)
}

/// `time_pulse_us(pin, level, timeout_us=1000000)`: waits for `pin` to reach
/// `level`, then times how long it stays there; -2 if it never got there in
/// time, -1 if the pulse outlasted the timeout.
fn time_pulse_us(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 2, 3)?;
    let pin = args[0];
    let level = vm.is_true(args[1])?;
    let timeout = match args.get(2) {
        Some(&t) => vm.expect_int(t)?.max(0) as u64,
        None => 1_000_000,
    };
    let start = vm.st.sys.host.ticks_us();
    while level_of(vm, pin)? != level {
        if vm.st.sys.host.ticks_us().saturating_sub(start) > timeout {
            return vm.new_int(-2);
        }
        vm.check_interrupt()?;
    }
    let start = vm.st.sys.host.ticks_us();
    while level_of(vm, pin)? == level {
        if vm.st.sys.host.ticks_us().saturating_sub(start) > timeout {
            return vm.new_int(-1);
        }
        vm.check_interrupt()?;
    }
    let d = vm.st.sys.host.ticks_us().saturating_sub(start);
    vm.new_int(d as i64)
}

// ----- Pin -----

const MODE_NAMES: [(&str, i32); 6] =
    [("IN", 0), ("OUT", 1), ("OPEN_DRAIN", 2), ("PULL_UP", 1), ("PULL_DOWN", 2), ("PULL_NONE", 0)];

/// Class constants (`Pin.IN`, ...), also reachable from instances.
fn pin_attr(vm: &mut Vm, _o: Obj, name: crate::qstr::Qstr) -> PyResult<Option<Obj>> {
    let n = vm.qstr_text(name);
    Ok(MODE_NAMES.iter().find(|(k, _)| *k == n).and_then(|(_, v)| Obj::from_small_int(*v)))
}

fn pin_print(vm: &mut Vm, o: Obj, out: &mut String, _repr: bool) -> PyResult<()> {
    let n = vm.get(o, 1).small_int_value().unwrap_or(0);
    out.push_str(&alloc::format!("Pin({n})"));
    Ok(())
}

fn pin_number(vm: &mut Vm, id: Obj) -> PyResult<u32> {
    if vm.is_str(id) {
        let name = vm.expect_str(id)?;
        return match with_hal(vm, |h| Ok(h.pin_by_name(&name)))? {
            Some(n) => Ok(n),
            None => Err(vm.value_error("invalid pin")),
        };
    }
    let n = vm.expect_int(id)?;
    u32::try_from(n).map_err(|_| vm.value_error("invalid pin"))
}

/// Applies `mode`, `pull` and `value` from positional (after the first `skip`) or keyword arguments.
fn configure(vm: &mut Vm, pin: u32, args: &[Obj], kw: &[Obj]) -> PyResult<()> {
    let mode = args.first().copied().or_else(|| vm.kwarg(kw, "mode"));
    let pull = args.get(1).copied().or_else(|| vm.kwarg(kw, "pull"));
    let value = args.get(2).copied().or_else(|| vm.kwarg(kw, "value"));
    let int_or = |vm: &mut Vm, o: Option<Obj>, d: i64| -> PyResult<i64> {
        match o {
            Some(o) if o != Obj::NONE => vm.expect_int(o),
            _ => Ok(d),
        }
    };
    let mode = int_or(vm, mode, -1)?;
    let pull = int_or(vm, pull, -1)?;
    if let Some(v) = value.filter(|&v| v != Obj::NONE) {
        let high = vm.is_true(v)?;
        with_hal(vm, |h| h.pin_write(pin, high))?;
    }
    if mode >= 0 || pull >= 0 {
        let mode = match mode {
            -1 | 0 => PinMode::In,
            1 => PinMode::Out,
            2 => PinMode::OpenDrain,
            _ => return Err(vm.value_error("invalid pin mode")),
        };
        let pull = match pull {
            -1 | 0 => Pull::None,
            1 => Pull::Up,
            2 => Pull::Down,
            _ => return Err(vm.value_error("invalid pin pull")),
        };
        with_hal(vm, |h| h.pin_configure(pin, mode, pull))?;
    }
    Ok(())
}

fn pin_new(vm: &mut Vm, t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let id = crate::builtins::arg(vm, args, 0)?;
    let pin = pin_number(vm, id)?;
    // The pin must exist on the board.
    with_hal(vm, |h| h.pin_read(pin))?;
    configure(vm, pin, &args[1..], kw)?;
    let o = vm.alloc(2)?;
    vm.set(o, 0, t);
    vm.set(o, 1, Obj::from_small_int(pin as i32).unwrap_or(Obj::NONE));
    Ok(o)
}

fn pin_self(vm: &mut Vm, args: &[Obj]) -> PyResult<u32> {
    let o = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_exact(o, ids::PIN) {
        return Err(vm.type_error("Pin expected"));
    }
    Ok(vm.get(o, 1).small_int_value().unwrap_or(0) as u32)
}

fn pin_init(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let pin = pin_self(vm, args)?;
    configure(vm, pin, &args[1..], kw)?;
    Ok(Obj::NONE)
}

fn pin_value(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let pin = pin_self(vm, args)?;
    match args.get(1) {
        None => {
            let v = with_hal(vm, |h| h.pin_read(pin))?;
            Ok(Obj::from_small_int(v as i32).unwrap_or(Obj::NONE))
        }
        Some(&v) => {
            let high = vm.is_true(v)?;
            with_hal(vm, |h| h.pin_write(pin, high))?;
            Ok(Obj::NONE)
        }
    }
}

fn pin_call(vm: &mut Vm, o: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let mut all = alloc::vec![o];
    all.extend_from_slice(args);
    pin_value(vm, &all, kw)
}

fn pin_set(vm: &mut Vm, args: &[Obj], high: bool) -> PyResult<Obj> {
    let pin = pin_self(vm, args)?;
    with_hal(vm, |h| h.pin_write(pin, high))?;
    Ok(Obj::NONE)
}

fn pin_on(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    pin_set(vm, args, true)
}

fn pin_off(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    pin_set(vm, args, false)
}

fn pin_toggle(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let pin = pin_self(vm, args)?;
    with_hal(vm, |h| {
        let v = h.pin_read(pin)?;
        h.pin_write(pin, !v)
    })?;
    Ok(Obj::NONE)
}

fn pinbase_new(vm: &mut Vm, t: Obj, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let o = vm.alloc(1)?;
    vm.set(o, 0, t);
    Ok(o)
}

// ----- Signal -----

fn signal_new(vm: &mut Vm, t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let pin = crate::builtins::arg(vm, args, 0)?;
    let invert = match args.get(1).copied().or_else(|| vm.kwarg(kw, "invert")) {
        Some(i) => vm.is_true(i)?,
        None => false,
    };
    let o = vm.alloc(3)?;
    vm.set(o, 0, t);
    vm.set(o, 1, pin);
    vm.set(o, 2, Obj::from_bool(invert));
    Ok(o)
}

fn signal_parts(vm: &mut Vm, args: &[Obj]) -> PyResult<(Obj, bool)> {
    let o = crate::builtins::arg(vm, args, 0)?;
    let o = vm.native_self(o);
    if !vm.is_exact(o, ids::SIGNAL) {
        return Err(vm.type_error("Signal expected"));
    }
    Ok((vm.get(o, 1), vm.get(o, 2) == Obj::TRUE))
}

fn signal_set(vm: &mut Vm, pin: Obj, invert: bool, on: bool) -> PyResult<Obj> {
    let level = Obj::from_bool(on != invert);
    super::vfs::pyfs::call(vm, pin, "value", &[level])?;
    Ok(Obj::NONE)
}

fn signal_value(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (pin, invert) = signal_parts(vm, args)?;
    match args.get(1) {
        Some(&v) => {
            let on = vm.is_true(v)?;
            signal_set(vm, pin, invert, on)
        }
        None => {
            // As MicroPython's virtual pins: the pin's value as an int, inverted in bit 0.
            let v = super::vfs::pyfs::call(vm, pin, "value", &[])?;
            let level = if v.is_small_int() || vm.is_exact(v, ids::BOOL) {
                vm.expect_int(v)?
            } else {
                i64::from(vm.is_true(v)?)
            };
            vm.new_int(level ^ i64::from(invert))
        }
    }
}

fn signal_call(vm: &mut Vm, o: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let mut all = alloc::vec![o];
    all.extend_from_slice(args);
    signal_value(vm, &all, kw)
}

fn signal_on(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (pin, invert) = signal_parts(vm, args)?;
    signal_set(vm, pin, invert, true)
}

fn signal_off(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let (pin, invert) = signal_parts(vm, args)?;
    signal_set(vm, pin, invert, false)
}
