# `for` loops over bytes, str, array.array, dicts, sets and frozensets keep
# their position in the loop's stack slots, with no iterator object (as
# MicroPython's loops keep theirs on the stack): bytes, arrays, dicts and sets
# run under micropython.heap_lock(); a dict or set changed during the loop,
# break/else and loops inside generators behave as with an iterator.
import array
import micropython

b = b"\x01\x02\x03"
ar = array.array("h", (-5, 300))
d = {"k": 1, 2: "v"}
s = {7}
fs = frozenset((8,))
out = [None] * 32
n = [0]


def note(x):
    out[n[0]] = x
    n[0] += 1


def locked():
    for x in b:
        note(x)
    for x in ar:
        note(x)
    for k in d:
        note(k)
    for x in s:
        note(x)
    for x in fs:
        note(x)
    for x in b:
        if x == 2:
            break
    else:
        note("not reached")
    for x in ():
        pass
    else:
        note("else")


micropython.heap_lock()
locked()
micropython.heap_unlock()
print(out[: n[0]])

# str: one str per character (allocates, as in MicroPython).
print([c for c in "aé€"], "".join(c for c in "xyz"))
for c in "":
    print("never")

# A dict grown during the loop: the loop goes on over the new table.
grow = {0: 0}
seen = 0
for k in grow:
    seen += 1
    if k < 5:
        grow[k + 1] = 0
print(seen, sorted(grow))

# Deleting the current key during the loop.
dd = {1: 1, 2: 2, 3: 3}
for k in dd:
    if k == 2:
        del dd[k]
print(sorted(dd))


# Loops inside generators keep their position across yields.
def gen():
    for k in {"a": 1}:
        for x in b"\x09\x0a":
            yield k, x
    for x in array.array("b", (1, -1)):
        yield x


print(list(gen()))

# An empty array, dict and set.
for x in array.array("i"):
    print("never")
for x in {}:
    print("never")
for x in set():
    print("never")

# Subclasses keep their own iteration.
class D(dict):
    def __iter__(self):
        return iter(["own"])


print([k for k in D(a=1)])
