class A(B, metaclass=M):
    x = 1
    def m(self, q):
        return super().m(q) + self.x
    @staticmethod
    def s(*args, **kw):
        return [i * 2 for i in args if i] + list({k: v for k, v in kw.items()})
def gen(n):
    yield n
    yield from range(n)
    t = (yield)
    return t
def outer():
    v = 1
    def inner():
        nonlocal v
        v += 1
        return v
    return inner
try:
    a = b[1:2]
    c.d = a, b
    del a, c.d, e[1]
except ValueError as err:
    print(err)
except:
    pass
else:
    pass
finally:
    z = 0
with open("f") as fh, open("g"):
    fh.read()
for p, *q in items:
    if p and q or not p:
        continue
    elif p is not None:
        break
else:
    pass
l = lambda a, b=1: a if b else -a
s = {1, 2}
d = {"a": 1, "b": x} if 0 else {}
assert x, "msg"
global gg
gg = x[1, 2] if x < y <= 3 else f"{x}"
from . import mod
from .. m import a as b, c
from foo import *
s2 = "a long string constant here"
n = 12345678901234567890
fl = 1.5 + 2j
