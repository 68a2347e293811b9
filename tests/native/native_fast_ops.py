# operations the runtime runs on a fast path for native code (range loops,
# small-int operators, bytearray items) and their edge cases, which take the
# general path
import micropython


@micropython.native
def ops(a, b):
    out = []
    for i in range(3):
        out.append(a % b)
        out.append(a // b)
        out.append(a >> i)
        out.append(a << i)
        out.append(a * b)
        a = -a
    return out


print(ops(7, 3))
print(ops(1073741823, 2))
print(ops(-1073741824, -1))
for args in ((1, 0), (5, -0), (1.5, 2)):
    try:
        print(ops(*args))
    except (ZeroDivisionError, TypeError) as e:
        print(type(e).__name__)


@micropython.native
def shifts(a):
    return a << 40, a >> 40, a << 29, -a >> 1


print(shifts(3), shifts(-3))


@micropython.native
def ranges(n):
    s = 0
    for i in range(n, -n, -3):
        s += i
    for i in range(1073741820, 1073741823):
        s += i
    for i in range(0):
        s += 1000
    return s


print(ranges(10), ranges(0))


@micropython.native
def items(b, i, v):
    b[i] = v
    return b[i], b[-1], b[0]


b = bytearray(b"abc")
print(items(b, 1, 66), items(b, -3, 255), b)
for i, v in ((3, 0), (-4, 0), (0, 256), (0, -1), (True, 1), (0, 2.0)):
    try:
        print(items(b, i, v))
    except (IndexError, ValueError, TypeError) as e:
        print(type(e).__name__)


@micropython.native
def load(b, i):
    return b[i]


print(load([5, 6], 1), load(b"pq", -1), load(memoryview(b), 0))


@micropython.native
def list_items(a, i, v):
    a[i] = v
    return a[i], a[-1], a[0]


a = [1, 2, 3]
print(list_items(a, 1, "x"), list_items(a, -3, None), a)
for i in (3, -4, True, 1.0):
    try:
        print(list_items(a, i, 5))
    except (IndexError, TypeError) as e:
        print(type(e).__name__)


@micropython.native
def list_del(a, i):
    del a[i]
    return a


print(list_del([1, 2, 3], 1), list_del([1, 2, 3], -1))


class L(list):
    def __getitem__(self, i):
        return "item"


print(load(L([1, 2]), 0))
