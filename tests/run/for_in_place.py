# `for` loops over lists, tuples and bytearrays use no heap (as in
# MicroPython): they run under micropython.heap_lock(), including break,
# continue, else, nesting, mutation of the list and loops in generators.
import micropython

lst = [1, 2, 3]
tup = (4, "five", None)
ba = bytearray(b"\x07\x08")
empty = ()
out = [None] * 32
n = [0]


def note(x):
    out[n[0]] = x
    n[0] += 1


def loops():
    for x in lst:
        note(x)
    for x in tup:
        if x is None:
            break
        note(x)
    else:
        note("not reached")
    for x in ba:
        if x == 7:
            continue
        note(x)
    else:
        note("else")
    for a in (1, 2):
        for b in lst:
            if b == 2:
                break
            note(a * 10 + b)
    for x in empty:
        note("empty")
    for x in lst:
        if len(lst) > 1:
            lst.pop()
        note(x)


micropython.heap_lock()
loops()
micropython.heap_unlock()
print(out[: n[0]], lst)


def gen(seq):
    for x in seq:
        yield x * 2


print(list(gen([1, 2, 3])), list(gen((4,))), list(gen(bytearray(b"\x01"))))
g = gen([5, 6, 7])
print(next(g))
for x in g:
    print("rest", x)


def find(seq, want):
    for i in seq:
        if i == want:
            return "found"
    return "missing"


print(find([1, 2], 2), find((1, 2), 3), find(bytearray(3), 0))
try:
    for x in [1, 2]:
        raise ValueError(x)
except ValueError as e:
    print("raised", e)
print([y * y for y in [1, 2, 3]], {y for y in (1, 1, 2)}, [b for b in bytearray(b"ab")])


class L(list):
    pass


for x in L([9, 8]):
    print("subclass", x)
