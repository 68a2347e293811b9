# Edges of the interpreter's fast paths for names, attributes and word ints.


# An instance attribute shadows a method of its class; deleting it unshadows.
class A:
    def f(self):
        return "method"


a = A()
print(a.f())
a.f = lambda: "instance"
print(a.f())
del a.f
print(a.f())


# A method replaced on the class after it was called.
def g(self):
    return "replaced"


print(A().f())
A.f = g
print(A().f())


# Inherited methods, class attributes and non-function class members.
class B(A):
    k = 5
    s = staticmethod(lambda: "static")
    c = classmethod(lambda cls: cls.__name__)


b = B()
print(b.f(), b.k, b.s(), b.c())
b.k = 6
print(b.k, B.k)


# A property on the class takes stores and loads.
class P:
    def __init__(self):
        self._v = 1

    @property
    def v(self):
        return self._v * 10

    @v.setter
    def v(self, x):
        self._v = x


p = P()
print(p.v)
p.v = 4
print(p.v, p._v)


# __setattr__ sees every store, existing attributes included.
class S:
    def __init__(self):
        self.x = 1

    def __setattr__(self, name, value):
        print("setattr", name, value)
        object.__setattr__(self, name, value)


s = S()
s.x = 2
print(s.x)


# __getattr__ only for missing attributes.
class G:
    def __init__(self):
        self.here = 1

    def __getattr__(self, name):
        return "missing " + name


gg = G()
print(gg.here, gg.there)

# Globals: shadowing a builtin, deleting the shadow, a key made at run time.
len = lambda x: -1
print(len([1, 2]))
del len
print(len([1, 2]))
name = "".join(["dyn", "amic"])
globals()[name] = 42
print(dynamic)
try:
    print(undefined_name)
except NameError as e:
    print("NameError", e)

# Attribute names made at run time.
o = A()
setattr(o, "".join(["at", "tr"]), 7)
print(o.attr, getattr(o, "attr"))

# Word-sized ints past the small-int range: every operator and sign.
vals = [0, 1, -1, 46341, -46341, 2**30 - 1, -(2**30), 2**31, -(2**31) - 1, 2**62, -(2**63), 2**63 - 1]
acc = 0
for x in vals:
    for y in vals:
        r = [x + y, x - y, x * y, x & y, x | y, x ^ y, x < y, x == y, x >= y]
        if y:
            r += [x // y, x % y]
        if 0 <= y < 70:
            r += [x << y, x >> y]
        for v in r:
            acc = (acc * 31 + hash(v)) & 0xFFFFFFFF
        acc ^= (x * y) & 0xFFFF
print(acc)
big = 2**40
print(big * big, -big * big, big * big // (big - 1), (big * 3) % -7, -big >> 3, big << 20)
print(sum(i * i & 0xFFFF for i in range(46000, 47000)))


# Generators: state, exceptions and closing survive resumption.
def gen(n):
    try:
        for i in range(n):
            yield i * i * 100003
    finally:
        print("closed")


it = gen(5)
print(next(it), next(it), next(it))
it.close()
print(list(gen(3)))


# Methods inherited from base classes: depth-first order, overrides,
# instance attributes shadowing them, non-function class attributes.
class B0:
    def who(self):
        return "B0"

    def only0(self):
        return "only0 " + self.tag

    k = 5

    @staticmethod
    def st(x):
        return x * 2

    @classmethod
    def cm(cls):
        return cls.__name__

    @property
    def pr(self):
        return "prop " + self.tag


class B1(B0):
    pass


class B2:
    def who(self):
        return "B2"

    def only2(self):
        return "only2"


class C(B1, B2):
    def __init__(self):
        self.tag = "c"


class D(C):
    def who(self):
        return "D>" + super().who()


for o in [C(), D()]:
    for _ in range(3):
        print(o.who(), o.only0(), o.only2(), o.k, o.st(4), o.cm(), o.pr)
o = C()
o.who = lambda: "own"
print(o.who())
B1.only0 = lambda self: "patched"
print(C().only0(), D().only0())
del B1.only0
print(C().only0())
try:
    C().nothing()
except AttributeError as e:
    print("AttributeError", e)


class G(B0):
    def __getattr__(self, name):
        return lambda: "getattr " + name


print(G().who(), G().absent())


class L(list):
    def total(self):
        return sum(self)


class L2(L):
    pass


l2 = L2([1, 2, 3])
l2.append(4)
print(l2.total(), len(l2))


class O(object):
    def m(self):
        return "O.m"


class O2(O):
    pass


print(O2().m(), O2().__class__.__name__)

# A diamond: the bases are searched depth first (MicroPython's order).
class X:
    def m(self):
        return "X.m"


class Y(X):
    pass


class Z(X):
    def m(self):
        return "Z.m"


class W(Y, Z):
    pass


print([W().m() for _ in range(3)])

# Attributes of modules.
import math

for _ in range(3):
    print(math.pi, math.sqrt(16.0), math.floor(2.5))
try:
    math.nothing
except AttributeError:
    print("AttributeError")
import imppkg.lazy as lazy

for _ in range(3):
    print(lazy.eager, lazy.computed, type(lazy.__dict__), lazy.__getattr__("computed"))
lazy.extra = 3
lazy.__dict__["__dict__"] = 5
print(lazy.extra, lazy.__dict__)
try:
    lazy.nothing
except AttributeError as e:
    print("AttributeError", e)
