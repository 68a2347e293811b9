# generator.pend_throw: raised at the next resume, replaceable, cancellable
def counter():
    n = 0
    while True:
        try:
            yield n
        except KeyError as e:
            print("caught", repr(e))
        n += 1


g = counter()
print(next(g))
print(g.pend_throw(KeyError("a")))
print(next(g))
print(g.pend_throw(ValueError("b")), g.pend_throw(None))
print(next(g))
g.pend_throw(ValueError("c"))
try:
    next(g)
except ValueError as e:
    print("raised", repr(e))
fresh = counter()
fresh.pend_throw(KeyError("early"))
try:
    next(fresh)
except KeyError as e:
    print("not started", repr(e))


def selfish():
    me.pend_throw(ValueError())
    yield


me = selfish()
try:
    next(me)
except ValueError as e:
    print("ValueError", e)

# io.IOBase subclasses receive print()'s pieces; sys.stdout.buffer takes bytes
import io
import sys


class Collect(io.IOBase):
    def __init__(self):
        self.parts = []

    def write(self, buf):
        self.parts.append(bytes(buf))
        return len(buf)


c = Collect()
print("a", 1, sep="+", end="$", file=c)
print(c.parts)
n = sys.stdout.buffer.write(b"bytes out\n")
print(n, "FileIO" in str(type(sys.stdout.buffer)))
