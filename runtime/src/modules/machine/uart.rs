//! `machine.UART(id, baudrate=115200, bits=8, parity=None, stop=1)` over the
//! [`Hal`](super::Hal): `init`, `deinit`, `any`, `read`, `readinto`,
//! `readline`, `write`, `flush`, `txdone`. Reads never wait: with nothing
//! received they return `None`, as MicroPython's do after their timeout.
//! A UART is `[type, id]`.

use alloc::vec;
use alloc::vec::Vec;

use super::{with_hal, UartConfig};
use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

static UART_METHODS: [Method; 9] = [
    Method::new("init", uart_init),
    Method::new("deinit", uart_deinit),
    Method::new("any", uart_any),
    Method::new("read", uart_read),
    Method::new("readinto", uart_readinto),
    Method::new("readline", uart_readline),
    Method::new("write", uart_write),
    Method::new("flush", uart_flush),
    Method::new("txdone", uart_txdone),
];

/// `machine.UART`.
pub static UART_TYPE: TypeDesc = TypeDesc {
    make_new: Some(uart_new),
    print: Some(uart_print),
    methods: &UART_METHODS,
    ..TypeDesc::new("UART", ids::OBJECT)
};

fn uart_print(vm: &mut Vm, o: Obj, out: &mut alloc::string::String, _repr: bool) -> PyResult<()> {
    let id = vm.get(o, 1).small_int_value().unwrap_or(0);
    out.push_str(&alloc::format!("UART({id})"));
    Ok(())
}

fn config(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<UartConfig> {
    let mut cfg = UartConfig::default();
    let names = ["baudrate", "bits", "parity", "stop"];
    for (i, name) in names.iter().enumerate() {
        let Some(v) = args.get(i).copied().or_else(|| vm.kwarg(kw, name)) else { continue };
        if *name == "parity" {
            cfg.parity = if v == Obj::NONE { None } else { Some(vm.expect_int(v)? as u8 & 1) };
            continue;
        }
        let n = vm.expect_int(v)?;
        match *name {
            "baudrate" if n > 0 && n <= u32::MAX as i64 => cfg.baudrate = n as u32,
            "bits" if (5..=9).contains(&n) => cfg.bits = n as u8,
            "stop" if n == 1 || n == 2 => cfg.stop = n as u8,
            _ => return Err(vm.value_error(&alloc::format!("invalid {name}"))),
        }
    }
    Ok(cfg)
}

fn uart_new(vm: &mut Vm, t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let id = crate::builtins::arg(vm, args, 0)?;
    let id = vm.expect_int(id)?;
    let Ok(id) = u32::try_from(id) else { return Err(vm.value_error("invalid UART")) };
    let cfg = config(vm, &args[1..], kw)?;
    with_hal(vm, |h| h.uart_configure(id, &cfg))?;
    let o = vm.alloc(2)?;
    vm.set(o, 0, t);
    vm.set(o, 1, Obj::from_small_int(id as i32).unwrap_or(Obj::NONE));
    Ok(o)
}

fn uart_self(vm: &mut Vm, args: &[Obj]) -> PyResult<u32> {
    let o = crate::builtins::arg(vm, args, 0)?;
    if !vm.is_exact(o, ids::UART) {
        return Err(vm.type_error("UART expected"));
    }
    Ok(vm.get(o, 1).small_int_value().unwrap_or(0) as u32)
}

fn uart_init(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let id = uart_self(vm, args)?;
    let cfg = config(vm, &args[1..], kw)?;
    with_hal(vm, |h| h.uart_configure(id, &cfg))?;
    Ok(Obj::NONE)
}

fn uart_deinit(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let id = uart_self(vm, args)?;
    with_hal(vm, |h| h.uart_deinit(id))?;
    Ok(Obj::NONE)
}

fn uart_any(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let id = uart_self(vm, args)?;
    let n = with_hal(vm, |h| h.uart_any(id))?;
    vm.new_int(n as i64)
}

/// Reads up to `max` bytes (all waiting when `None`); `None` if nothing came.
fn read_some(vm: &mut Vm, id: u32, max: Option<usize>) -> PyResult<Option<Vec<u8>>> {
    let avail = with_hal(vm, |h| h.uart_any(id))?;
    let n = max.unwrap_or(avail).min(avail);
    if n == 0 {
        return Ok(if max == Some(0) { Some(Vec::new()) } else { None });
    }
    let mut buf = vec![0u8; n];
    let got = with_hal(vm, |h| h.uart_read(id, &mut buf))?;
    buf.truncate(got);
    Ok(Some(buf))
}

fn uart_read(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let id = uart_self(vm, args)?;
    let max = match args.get(1) {
        Some(&n) if n != Obj::NONE => Some(vm.expect_int(n)?.max(0) as usize),
        _ => None,
    };
    match read_some(vm, id, max)? {
        Some(b) => vm.new_bytes(&b),
        None => Ok(Obj::NONE),
    }
}

fn uart_readinto(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let id = uart_self(vm, args)?;
    let dst = crate::builtins::arg(vm, args, 1)?;
    let Some(info) = vm.buffer_info(dst).filter(|i| i.writable) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let mut n = info.len;
    if let Some(&m) = args.get(2) {
        n = n.min(vm.expect_int(m)?.max(0) as usize);
    }
    match read_some(vm, id, Some(n))? {
        Some(b) if !b.is_empty() || n == 0 => {
            vm.buffer_write(dst, 0, &b);
            vm.new_int(b.len() as i64)
        }
        _ => Ok(Obj::NONE),
    }
}

fn uart_readline(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let id = uart_self(vm, args)?;
    let mut line = Vec::new();
    loop {
        let mut b = [0u8; 1];
        let got = with_hal(vm, |h| if h.uart_any(id)? == 0 { Ok(0) } else { h.uart_read(id, &mut b) })?;
        if got == 0 {
            break;
        }
        line.push(b[0]);
        if b[0] == b'\n' {
            break;
        }
    }
    if line.is_empty() {
        return Ok(Obj::NONE);
    }
    vm.new_bytes(&line)
}

fn uart_write(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let id = uart_self(vm, args)?;
    let d = crate::builtins::arg(vm, args, 1)?;
    let Some(data) = vm.buffer_or_str(d) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    let n = with_hal(vm, |h| h.uart_write(id, &data))?;
    vm.new_int(n as i64)
}

fn uart_flush(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    uart_self(vm, args)?;
    Ok(Obj::NONE)
}

fn uart_txdone(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    uart_self(vm, args)?;
    Ok(Obj::TRUE)
}
