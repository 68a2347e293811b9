# from X import * where X is a class or instance in sys.modules, honouring __all__
import sys


class Source:
    __all__ = ("shown",)
    shown = "class attr"
    hidden = "not exported"

    def __init__(self):
        self.__all__ = ("hidden",)
        self.hidden = "instance attr"


sys.modules["fake_mod"] = Source
from fake_mod import *

print(shown)
sys.modules["fake_mod"] = Source()
from fake_mod import *

print(hidden)


class Plain:
    visible = 1
    _private = 2


sys.modules["fake_mod"] = Plain
from fake_mod import *

print(visible, "_private" in globals())
print(sorted(k for k in Plain.__dict__ if not k.startswith("__")), "append" in list.__dict__)
sys.modules["fake_mod"] = 5
try:
    from fake_mod import *
except AttributeError:
    print("AttributeError")

# deque with overflow checking (MicroPython's third argument)
from collections import deque

d = deque((), 2, True)
d.append(1)
d.appendleft(0)
for op in (lambda: d.append(9), lambda: d.appendleft(9)):
    try:
        op()
    except IndexError as e:
        print("IndexError", e, list(d))
print(d.popleft(), d.pop())
try:
    d.pop()
except IndexError as e:
    print("IndexError", e)
try:
    del d[0]
except TypeError:
    print("TypeError")
lossy = deque((), 2)
for i in range(4):
    lossy.append(i)
print(list(lossy))

# extending from a huge iterable runs out of heap, not host memory
try:
    [].extend(range(10**9))
except MemoryError:
    print("MemoryError")
l = [1, 2]
l.extend(l)
l.extend(x * 10 for x in range(3))
print(l)

# compile() in single mode needs at least one line
for src in ("", "\\\n", "\n", "x = 1\n"):
    try:
        compile(src, "in", "single")
        print("ok", repr(src))
    except SyntaxError:
        print("SyntaxError", repr(src))
