//! Loaded code lives as long as something can run it: functions, generators,
//! `compile()` code objects and running frames keep their module's code; code
//! nothing refers to any more is freed (with its machine code) and its slots
//! reused, so `exec`/`eval` in a loop runs in constant memory.

use std::sync::{Arc, Mutex};

use ferropy::frontend::EmitterKind;
use ferropy::runtime::vm::{HeapChoice, OutputSink};
use ferropy::runtime::{Vm, VmConfig};

/// A VM whose output is collected in the returned buffer.
fn vm(config: VmConfig, emitter: Option<EmitterKind>) -> (Vm, Arc<Mutex<Vec<u8>>>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (b1, b2) = (buf.clone(), buf.clone());
    let out: OutputSink = Box::new(move |b: &[u8]| b1.lock().unwrap().extend_from_slice(b));
    let err: OutputSink = Box::new(move |b: &[u8]| b2.lock().unwrap().extend_from_slice(b));
    let opts = ferropy::run::RunOptions { emitter, ..Default::default() };
    (ferropy::run::new_vm(config, out, err, &opts).expect("vm"), buf)
}

fn run(vm: &mut Vm, buf: &Arc<Mutex<Vec<u8>>>, source: &str) -> String {
    buf.lock().unwrap().clear();
    if let Err(e) = vm.run_main_source(source.as_bytes(), "<test>", ferropy::frontend::InputKind::File) {
        vm.print_exception(e);
    }
    String::from_utf8_lossy(&buf.lock().unwrap()).into_owned()
}

const CHURN: &str = "
for i in range(3000):
    exec('def f(x):\\n    return x + %d\\nr = f(1)' % i)
    assert eval('1 + %d' % i) == 1 + i
print('churned')
";

#[test]
fn exec_in_a_loop_reuses_code_slots() {
    for emitter in [None, Some(EmitterKind::Native)] {
        if emitter.is_some() && ferropy::native::host_support().is_none() {
            continue;
        }
        let (mut vm, buf) = vm(VmConfig::default(), emitter);
        assert_eq!(run(&mut vm, &buf, CHURN), "churned\n");
        // 6,000 modules were loaded; only what is still referenced (or not yet
        // collected) holds code slots.
        vm.collect();
        assert!(vm.st.codes.len() < 2_000, "{} code slots after 6,000 loads ({emitter:?})", vm.st.codes.len());
        let live = vm.st.contexts.iter().filter(|c| !c.owner.is_null()).count();
        assert!(live < 50, "{live} modules still loaded after a collection ({emitter:?})");
    }
}

#[test]
fn referenced_code_survives_churn_and_collections() {
    // GC stress: a collection before every allocation.
    let stress = VmConfig { heap: HeapChoice::Arena(256 * 1024), gc_stress: true, ..VmConfig::default() };
    let program = "
import gc
ns = {}
exec('''
def add(a, b):
    return a + b
def gen(n):
    for i in range(n):
        yield i * i
class K:
    def m(self):
        return 'method'
''', ns)
add = ns['add']
g = ns['gen'](4)
first = next(g)
k = ns['K']()
code = compile('40 + 2', '<c>', 'eval')
del ns
for i in range(200):
    exec('def f():\\n    return %d' % i)
gc.collect()
print(add(2, 3), first, list(g), k.m(), eval(code))
# A module body whose only owner is its running frame, across collections.
exec('import gc\\nfor i in range(3):\\n    gc.collect()\\nprint(\"body ran\")')
";
    let (mut vm, buf) = vm(stress, None);
    assert_eq!(run(&mut vm, &buf, program), "5 0 [1, 4, 9] method 42\nbody ran\n");
}

#[test]
fn freed_slots_are_reused_by_new_code() {
    let (mut vm, buf) = vm(VmConfig::default(), None);
    assert_eq!(run(&mut vm, &buf, "exec('x = 1')\nprint(x)"), "1\n");
    vm.collect();
    let slots = vm.st.codes.len();
    for _ in 0..20 {
        assert_eq!(run(&mut vm, &buf, "exec('y = 2')\nprint(y)"), "2\n");
        vm.collect();
    }
    assert!(vm.st.codes.len() <= slots + 2, "{} slots, was {slots}", vm.st.codes.len());
}
