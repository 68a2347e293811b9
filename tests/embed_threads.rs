//! Many isolated VMs at once: 100 VMs on 8 threads, VMs moved between threads.

use ferropy::embed::{Limit, SharedBuffer, Vm};

fn assert_send<T: Send>() {}

#[test]
fn vm_and_handles_are_send() {
    assert_send::<Vm>();
    assert_send::<ferropy::embed::PyObject>();
    assert_send::<ferropy::embed::InterruptHandle>();
}

#[test]
fn a_hundred_vms_on_eight_threads() {
    let threads: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                // Each thread creates its share of VMs up front and runs them interleaved.
                let mut vms: Vec<(usize, Vm, SharedBuffer)> = (0..100)
                    .filter(|i| i % 8 == t)
                    .map(|i| {
                        let out = SharedBuffer::new();
                        let vm = Vm::builder().stdout(out.clone()).fuel(10_000_000).build().unwrap();
                        (i, vm, out)
                    })
                    .collect();
                for (i, vm, _) in vms.iter_mut() {
                    vm.set("me", *i as i64).unwrap();
                    vm.set_function("host_square", |_, x: i64| Ok(x * x)).unwrap();
                }
                for (_, vm, _) in vms.iter_mut() {
                    vm.exec(
                        "data = {}\nfor k in range(200):\n    data[k] = host_square(k + me)\nprint(me, sum(data.values()))",
                    )
                    .unwrap();
                }
                vms.into_iter()
                    .map(|(i, mut vm, out)| {
                        let me: i64 = vm.get("me").unwrap();
                        assert_eq!(me, i as i64, "globals leaked between VMs");
                        (i, out.text())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut results: Vec<(usize, String)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    results.sort();
    assert_eq!(results.len(), 100);
    for (i, text) in results {
        let expected: i64 = (0..200).map(|k: i64| (k + i as i64).pow(2)).sum();
        assert_eq!(text, format!("{i} {expected}\n"));
    }
}

#[test]
fn a_vm_moves_between_threads_and_limits_still_apply() {
    let mut vm = Vm::builder().fuel(100_000).build().unwrap();
    vm.exec("def f(n):\n    return sum(range(n))").unwrap();
    let mut vm = std::thread::spawn(move || {
        assert_eq!(vm.call::<_, i64>("f", 10).unwrap(), 45);
        vm
    })
    .join()
    .unwrap();
    assert_eq!(vm.exec("while True: pass").unwrap_err().limit(), Some(Limit::Fuel));
    assert_eq!(vm.call::<_, i64>("f", 4).unwrap(), 6);
}
