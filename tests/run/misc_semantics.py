# except with a non-class, strip identity, OrderedDict equality, str(bytearray, enc)
for bad in (1, (ValueError, 2)):
    try:
        try:
            raise KeyError
        except bad:
            pass
    except TypeError:
        print("TypeError")
try:
    raise ValueError
except (KeyError, ValueError):
    print("caught")
s = "abc"
b = b"xyz"
print(s.strip() is s, b.strip() is b, s.lstrip("z") is s, " a ".strip())
ba = bytearray(b"q")
print(ba.strip() is ba)
from collections import OrderedDict
x = OrderedDict([("a", 1), ("b", 2)])
y = OrderedDict([("b", 2), ("a", 1)])
print(x == y, dict(x) == y, x == OrderedDict(x), dict(x) == dict(y))
print(str(bytearray(b"hi"), "utf-8"))
