//! `machine` on a board the embedder provides: the simulated board driven
//! from Rust (input levels in, output levels and UART bytes out).

use ferropy::embed::Vm;
use ferropy::runtime::modules::machine::SimHal;

#[test]
fn pins_follow_the_board() {
    let (board, handle) = SimHal::new();
    let mut vm = Vm::builder().hal(Box::new(board)).build().unwrap();
    vm.exec("from machine import Pin, UART\nbutton = Pin(4, Pin.IN)\nled = Pin(5, Pin.OUT)").unwrap();
    assert_eq!(vm.eval::<i64>("button.value()").unwrap(), 0);
    handle.set_input(4, Some(true));
    assert_eq!(vm.eval::<i64>("button.value()").unwrap(), 1);
    vm.exec("led.value(button.value())").unwrap();
    assert_eq!(handle.output(5), Some(true));
    vm.exec("led.toggle()").unwrap();
    assert_eq!(handle.output(5), Some(false));
    assert_eq!(handle.output(4), None);
}

#[test]
fn uart_bytes_cross_the_board() {
    let (board, handle) = SimHal::new();
    let mut vm = Vm::builder().hal(Box::new(board)).build().unwrap();
    vm.exec("from machine import UART\nu = UART(2, 57600, parity=1)").unwrap();
    let cfg = handle.uart_config(2).unwrap();
    assert_eq!((cfg.baudrate, cfg.parity), (57600, Some(1)));
    handle.set_loopback(2, false);
    vm.exec("n = u.write(b'AT\\r\\n')").unwrap();
    assert_eq!(handle.uart_take(2), b"AT\r\n");
    assert_eq!(vm.eval::<Option<String>>("u.read()").unwrap(), None);
    handle.uart_inject(2, b"OK\r\nrest");
    assert_eq!(vm.eval::<i64>("u.any()").unwrap(), 8);
    assert_eq!(vm.eval::<String>("u.readline().decode()").unwrap(), "OK\r\n");
    assert_eq!(vm.eval::<String>("u.read().decode()").unwrap(), "rest");
    // An unknown UART is an OSError (ENODEV).
    let err = vm.exec("UART(7)").unwrap_err();
    assert!(err.to_string().contains("ENODEV"), "{err}");
}
