# The empty tuple is one shared object, as in MicroPython: `()` allocates
# nothing (it works under heap_lock) and every empty tuple is the same.
import micropython

def make():
    micropython.heap_lock()
    x = ()
    y = ()
    micropython.heap_unlock()
    return x, y


a, b = make()
print(a is b, a == (), len(a), tuple() is a, (1, 2)[2:] is a, tuple([]) is a)
t = a
t += (1,)
print(t, a, a + a is a or a + a == a, hash(a) == hash(()))


def f(*args):
    return args


print(f(), f() == (), type(()).__name__, repr(()), () < (1,), bool(()))
