# subclasses of bytes, map, tuple, StringIO; mixed Python/native bases
class B(bytes):
    pass


b = B([65, 66])
print(b + B(b"C"), b"x" + b, bytes(b), 66 in b, b"B" in b)


class M(map):
    pass


print(list(M(lambda v: v * 2, [1, 2, 3])))


class Greeter:
    def __init__(self, *args):
        print("Greeter.__init__", args)


class T1(Greeter, tuple):
    pass


class T2(tuple, Greeter):
    pass


for cls in (T1, T2):
    t = cls([4, 5])
    print(cls.__name__, len(t), t == (4, 5), list(t))


class Lst(list):
    def __init__(self, n):
        super().__init__()
        self.extend(range(n))


print(Lst(3), len(Lst(0)))


class D(dict):
    pass


d = D(a=1)
d["b"] = 2
print(sorted(d), sorted(d.items()))

# streams: writing past the end, extended write, readinto, subclass iteration
import io

s = io.BytesIO()
s.seek(3)
s.write(b"xy")
print(s.getvalue())
s.write(b"abcdef", 2)
s.write(b"abcdef", 4, 10)
print(s.getvalue())
s.seek(0)
ba = bytearray(4)
print(s.readinto(ba), ba, s.readinto(ba, 2), ba)


class Lines(io.StringIO):
    pass


src = Lines("one\ntwo\n")
print([line for line in src])

# builtins.__build_class__ and builtins.__import__ can be replaced
import builtins

saved_build, saved_import = builtins.__build_class__, builtins.__import__
builtins.__build_class__ = lambda body, name, *bases: "class " + name


class Fake:
    pass


builtins.__build_class__ = saved_build
print(Fake)


def my_import(name, globals, locals, fromlist, level):
    print("importing", name, fromlist, level)
    return saved_import("sys")


builtins.__import__ = my_import
import nothing_here
from nothing.deeper import path

builtins.__import__ = saved_import
print(nothing_here.__name__, type(path).__name__)
