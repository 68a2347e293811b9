//! The `time` module over the VM's [`Host`](super::Host) clocks: `time`,
//! `time_ns`, `sleep`, `sleep_ms`, `sleep_us`, `ticks_ms`, `ticks_us`,
//! `ticks_cpu`, `ticks_diff`, `ticks_add` (ticks wrap at 2^30 as in MicroPython),
//! and the calendar functions `gmtime`, `localtime` (UTC: the runtime knows no
//! time zones) and `mktime` over the proleptic Gregorian calendar.

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::NativeFn;
use crate::vm::Vm;

/// Native functions of `time`.
pub static FUNCTIONS: &[(&str, NativeFn)] = &[
    ("time", time),
    ("time_ns", time_ns),
    ("sleep", sleep),
    ("sleep_ms", sleep_ms),
    ("sleep_us", sleep_us),
    ("ticks_ms", ticks_ms),
    ("ticks_us", ticks_us),
    ("ticks_cpu", ticks_us),
    ("ticks_diff", ticks_diff),
    ("ticks_add", ticks_add),
    ("gmtime", gmtime),
    ("localtime", gmtime),
    ("mktime", mktime),
];

const TICKS_PERIOD: i64 = 1 << 30;

/// `time()`: seconds since the epoch as a float (as on the unix port).
fn time(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let ns = vm.st.sys.host.time_ns();
    vm.new_float(ns as f64 / 1e9)
}

fn time_ns(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let ns = vm.st.sys.host.time_ns();
    vm.new_int(ns as i64)
}

fn sleep_for(vm: &mut Vm, args: &[Obj], scale: u64) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let n = vm.expect_int(a)?;
    if n > 0 {
        vm.st.sys.host.sleep_us((n as u64).saturating_mul(scale));
    }
    vm.check_interrupt()?;
    Ok(Obj::NONE)
}

/// `sleep(seconds)`: an int or (as MicroPython's) a float; a negative time
/// is OSError(EINVAL), as the unix port's `nanosleep` answers.
fn sleep(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let s = if vm.is_float(a) { vm.expect_float(a)? } else { vm.expect_int(a)? as f64 };
    if s < 0.0 {
        return Err(super::errno::os_error(vm, 22));
    }
    vm.st.sys.host.sleep_us(libm::round(s * 1e6).min(u64::MAX as f64) as u64);
    vm.check_interrupt()?;
    Ok(Obj::NONE)
}

fn sleep_ms(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    sleep_for(vm, args, 1000)
}

fn sleep_us(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    sleep_for(vm, args, 1)
}

fn ticks_ms(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let t = (vm.st.sys.host.ticks_us() / 1000) as i64 & (TICKS_PERIOD - 1);
    vm.new_int(t)
}

fn ticks_us(vm: &mut Vm, _args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let t = vm.st.sys.host.ticks_us() as i64 & (TICKS_PERIOD - 1);
    vm.new_int(t)
}

fn ticks_diff(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let b = crate::builtins::arg(vm, args, 1)?;
    let (a, b) = (vm.expect_int(a)?, vm.expect_int(b)?);
    let d = (a.wrapping_sub(b).wrapping_add(TICKS_PERIOD / 2)) & (TICKS_PERIOD - 1);
    vm.new_int(d - TICKS_PERIOD / 2)
}

fn ticks_add(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let a = crate::builtins::arg(vm, args, 0)?;
    let b = crate::builtins::arg(vm, args, 1)?;
    let (a, b) = (vm.expect_int(a)?, vm.expect_int(b)?);
    if b.unsigned_abs() >= (TICKS_PERIOD / 2) as u64 {
        return Err(vm.new_error(crate::types::ids::OVERFLOW_ERROR, "ticks interval overflow"));
    }
    vm.new_int(a.wrapping_add(b) & (TICKS_PERIOD - 1))
}

/// Days since 1970-01-01 of a date (month 1..=12; any day, carried over).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The 9-tuple of `gmtime(secs)`: year, month, mday, hour, minute, second,
/// weekday (Monday 0), yearday (1-based), isdst (0).
pub fn broken_down(secs: i64) -> [i64; 9] {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let yday = days - days_from_civil(y, 1, 1) + 1;
    [y, m, d, rem / 3600, rem / 60 % 60, rem % 60, (days + 3).rem_euclid(7), yday, 0]
}

/// `gmtime([secs])` and `localtime([secs])`.
fn gmtime(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let secs = match args.first() {
        Some(&o) if o != Obj::NONE => {
            if vm.is_float(o) {
                libm::floor(vm.expect_float(o)?) as i64
            } else {
                vm.expect_int(o)?
            }
        }
        _ => (vm.st.sys.host.time_ns() / 1_000_000_000) as i64,
    };
    // Keep the year representable (and the arithmetic far from overflow).
    if secs.unsigned_abs() > 1 << 50 {
        return Err(vm.new_error(crate::types::ids::OVERFLOW_ERROR, "timestamp out of range"));
    }
    let fields = broken_down(secs);
    vm.with_temps(|vm| {
        let mut items = [Obj::NONE; 9];
        for (o, v) in items.iter_mut().zip(fields) {
            *o = vm.new_int(v)?;
            vm.root(*o);
        }
        vm.new_tuple(&items)
    })
}

/// `mktime(tuple)`: seconds since the epoch of a date tuple (8 or 9 items;
/// out-of-range fields carry over as in C's `mktime`).
fn mktime(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let t = crate::builtins::arg(vm, args, 0)?;
    let items = vm.collect_iterable(t)?;
    if items.len() < 8 || items.len() > 9 {
        return Err(vm.type_error("mktime needs a tuple of length 8 or 9"));
    }
    let mut f = [0i64; 6];
    for (v, &o) in f.iter_mut().zip(&items) {
        *v = vm.expect_int(o)?;
        if v.unsigned_abs() > 1 << 40 {
            return Err(vm.new_error(crate::types::ids::OVERFLOW_ERROR, "timestamp out of range"));
        }
    }
    let (y, m) = (f[0] + (f[1] - 1).div_euclid(12), (f[1] - 1).rem_euclid(12) + 1);
    let days = days_from_civil(y, m, 1) + f[2] - 1;
    vm.new_int(days * 86400 + f[3] * 3600 + f[4] * 60 + f[5])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        assert_eq!(broken_down(0), [1970, 1, 1, 0, 0, 0, 3, 1, 0]);
        assert_eq!(broken_down(1700000000), [2023, 11, 14, 22, 13, 20, 1, 318, 0]);
        assert_eq!(broken_down(-1), [1969, 12, 31, 23, 59, 59, 2, 365, 0]);
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
