# errno.errorcode is a fixed dict: reading works, every change raises TypeError
import errno

codes = errno.errorcode
print(codes[errno.ENOENT], len(codes) > 5, errno.EIO in codes)
for change in (
    lambda: codes.__setitem__(1, "x"),
    lambda: codes.pop(errno.EIO),
    lambda: codes.popitem(),
    lambda: codes.setdefault(9999, 1),
    lambda: codes.update({1: 2}),
    lambda: codes.clear(),
):
    try:
        change()
    except TypeError as e:
        print("TypeError", e.args)
try:
    del codes[errno.EIO]
except TypeError:
    print("TypeError del")
copy = codes.copy()
copy[1] = "mutable"
print(copy[1], codes[errno.EIO])

# sys.implementation is an attrtuple: a tuple with named fields
import sys

impl = sys.implementation
print(impl.name, impl[0], isinstance(impl, tuple), impl[:1], len(impl) >= 3)
print(str(impl).startswith("(name='micropython', version="))

# classes from type() with an OrderedDict namespace keep its order
from collections import OrderedDict

K = type("K", (), OrderedDict(z=1, y=2, x=3))
print([k for k in K.__dict__ if not k.startswith("_")], K.y)


# a subclass of type
class Meta(type):
    pass


m = Meta("Made", (), {})
print(not m, bool(m), type(m).__name__)
