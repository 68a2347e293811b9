# list, tuple, str, bytes and deque operations that work in place (no copies).
from collections import deque

l = list(range(100))
print(l.pop(), l.pop(0), l.pop(-2), l.pop(50), len(l))
del l[0]
del l[-1]
del l[10]
print(len(l), l[:12], l[-3:])
l.insert(0, "a")
l.insert(-1, "b")
l.insert(1000, "c")
l.insert(-1000, "d")
l.insert(5, "e")
print(len(l), l[:7], l[-4:])
l.reverse()
print(l[:3], l[-3:])
l.remove("e")
print("e" in l, len(l))
try:
    l.remove("zz")
except ValueError as e:
    print("ValueError", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError", e)
try:
    l.pop(1000)
except IndexError as e:
    print("IndexError", e)
# A list shrunk to nothing and grown again.
big = list(range(2000))
while big:
    big.pop()
print(len(big), bool(big))
big.append(1)
big.extend(range(3))
print(big)
# remove() whose __eq__ empties the list meanwhile.
class Evil:
    def __init__(self, victim):
        self.victim = victim
    def __eq__(self, other):
        self.victim.clear()
        return True
v = [1, 2, 3]
try:
    v.remove(Evil(v))
except IndexError as e:
    print("IndexError", e, v)

# len and truth without copies.
print(len(()), len((1, 2)), bool(()), bool((0,)))
print(len(""), len("abc"), len("héllo wörld"), len("日本語"), bool(""), bool("x"))
s = "".join(["ü"] * 10)
print(len(s), bool(s))
print(len(b""), len(b"abc"), bool(b""), bool(b"\x00"))
import sys
print(len(sys.implementation) > 0)

# deque: a ring buffer, wrapped around many times.
d = deque((), 5)
for i in range(12):
    d.append(i)
print(len(d), list(d), d[0], d[-1])
for i in range(3):
    d.appendleft(-i)
print(list(d), d.pop(), d.popleft(), list(d))
d[1] = "x"
print(d[1], list(d))
while d:
    d.popleft()
print(len(d), bool(d))
for i in range(7):
    d.appendleft(i)
    d.append(i * 10)
print(list(d))
strict = deque((), 2, 1)
strict.append(1)
strict.append(2)
try:
    strict.append(3)
except IndexError as e:
    print("IndexError", e)
zero = deque((), 0)
zero.append(1)
print(len(zero))
q = deque(range(1000), 1000)
total = 0
while q:
    total += q.popleft()
    if total % 7 == 0:
        q.append(1)
print(total, len(q))
try:
    deque((), 3).pop()
except IndexError as e:
    print("IndexError", e)
try:
    d[100]
except IndexError as e:
    print("IndexError", e)
