# Heap bytes taken by small objects, measured with gc.mem_alloc(): run it under ferropy and
# under MicroPython (`ferropy benches/py/heap_sizes.py`, `micropython benches/py/heap_sizes.py`).
import gc
class C:
    pass
def measure(make):
    gc.collect()
    a = gc.mem_alloc()
    x = make()
    b = gc.mem_alloc()
    return b - a
for name, make in (("list", lambda: []), ("dict", lambda: {}), ("instance", lambda: C()), ("tuple3", lambda: (1, 2, measure)), ("str20", lambda: "x" * 20)):
    print(name, measure(make))
