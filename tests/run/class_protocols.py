# property getter/setter/deleter, including a property with none of them
class Temp:
    def __init__(self):
        self._c = 20

    @property
    def c(self):
        return self._c

    @c.setter
    def c(self, v):
        print("set", v)
        self._c = v

    @c.deleter
    def c(self):
        print("delete")
        self._c = None

    empty = property()


t = Temp()
t.c = 5
print(t.c)
del t.c
print(t.c)
for action in ("get", "set", "del"):
    try:
        if action == "get":
            t.empty
        elif action == "set":
            t.empty = 1
        else:
            del t.empty
    except AttributeError:
        print("AttributeError", action)


# special methods wrapped in staticmethod / classmethod
class Ops:
    @staticmethod
    def __mul__(other):
        return ("static mul", other)

    @classmethod
    def __sub__(cls, other):
        return (cls.__name__, other)

    @staticmethod
    def __getitem__(i):
        return i * 10


o = Ops()
print(o * 3, o - 4, o[5])


# super() in classmethods binds the subclass; __new__ is implicitly static
class Base:
    @classmethod
    def make(cls):
        return "Base.make for " + cls.__name__


class Child(Base):
    @classmethod
    def make(cls):
        return "Child: " + super().make() + " / " + super(Child, cls).make()


print(Child.make(), Child().make())


class Made:
    def __new__(cls, *args):
        print("new", cls.__name__, args)
        return object.__new__(cls)

    def __init__(self, *args):
        print("init", args)


m = Made(1, 2)
m2 = m.__new__(Made)
print(type(m2).__name__)


# super() object reaches object's __setattr__
class Logged:
    def __setattr__(self, k, v):
        print("log", k)
        super().__setattr__(k, v)


lg = Logged()
lg.x = 3
print(lg.x)

# dict and set dunder methods; reflected __ne__
d = {}
d.__setitem__("k", 1)
print(d.__getitem__("k"), d)
d.__delitem__("k")
print(d, {1, 2}.__contains__(2), frozenset([3]).__contains__(4))


class Ne:
    def __ne__(self, other):
        print("ne", other)
        return "custom"


print(None != Ne(), 5 != Ne())

# range slices, pow(x, y, None), eval of buffers, bytearray of a huge count
r = range(2, 20, 3)
print(r[1:4], r[::-1], r[::2], range(10)[-3:], range(5)[10:])
print(pow(3, 4, None), pow(2, 10, 1000))
print(eval(bytearray(b"6 * 7")), eval(memoryview(b"1 + 2")))
exec(b"print('exec bytes')")
try:
    bytearray(1 << 100)
except OverflowError:
    print("OverflowError")

# argument counts of builtins
for f in (lambda: round(1, 2, 3), lambda: [].append(1, 2), lambda: [].sort(1), lambda: [].sort(bad=1)):
    try:
        f()
    except TypeError as e:
        print("TypeError", e)
