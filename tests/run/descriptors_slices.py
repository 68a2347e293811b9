# descriptors: __get__, __set__, __delete__, __set_name__
class Field:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.values = {}

    def __get__(self, obj, cls):
        return self.values.get(id(obj), "unset")

    def __set__(self, obj, value):
        print("set", value)
        self.values[id(obj)] = value

    def __delete__(self, obj):
        print("delete")
        del self.values[id(obj)]


class Record:
    title = Field()
    plain = 7


r = Record()
print(r.title, r.plain)
r.title = "x"
print(r.title)
del r.title
print(r.title)


class Lazy:
    def __getattr__(self, name):
        print("getattr", name)
        return 0


class Holder:
    lazy = Lazy()


h = Holder()
print(type(h.lazy).__name__)
h.lazy = 5
print(h.lazy)

# slice objects: attributes and indices()
class Grab:
    def __getitem__(self, idx):
        return idx


s = Grab()[1:8:2]
print(s.start, s.stop, s.step, Grab()[:].step)
for sl, n in ((Grab()[:], 5), (Grab()[-3:], 10), (Grab()[::-1], 4), (Grab()[2:100:3], 7)):
    print(sl.indices(n))
try:
    s.start = 0
except AttributeError:
    print("AttributeError")

# __dict__ of modules, __bases__, dict union, memoryview.itemsize
import sys
from array import array

print(type(sys.__dict__).__name__, sys.__dict__["__name__"])
print(object.__bases__, int.__bases__, Record.__bases__)
a = {"k": 1, "j": 2}
b = {"k": 3}
print(sorted((a | b).items()), sorted((b | a).items()))
a |= b
print(sorted(a.items()))
print([memoryview(array(c)).itemsize for c in "bhiqfd"], memoryview(b"xy").itemsize)
try:

    class Bad(list, dict):
        pass

except TypeError as e:
    print("TypeError", e)
