# all() and any() over lists, tuples and bytearrays need no heap (as in
# MicroPython); other iterables and a list changed by __bool__ still work.
import micropython

t = (1, 2, 3)
l = [1, 0]
b = bytearray(b"\x01\x00")
e = ()
r = [None] * 10


def run():
    micropython.heap_lock()
    r[0] = all(t)
    r[1] = any(t)
    r[2] = all(l)
    r[3] = any(l)
    r[4] = all(b)
    r[5] = any(b)
    r[6] = all(e)
    r[7] = any(e)
    micropython.heap_unlock()


run()
print(r[:8])


class B:
    def __init__(self, v, lst):
        self.v = v
        self.lst = lst

    def __bool__(self):
        self.lst.clear()
        return self.v


lst = []
lst.extend([B(True, lst), B(False, lst)])
print(all(lst), lst)
print(all(x for x in [1, 2]), any(iter([0, 0])), all(range(1, 4)), any("ab"), all({0: 1}))
try:
    all(5)
except TypeError as e:
    print("TypeError", e)
