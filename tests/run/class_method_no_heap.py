# Calling a classmethod or a function through its class (`int.from_bytes(...)`,
# `Base.__init__(self)`) makes no bound method: these calls run under
# micropython.heap_lock(); the class passed is the one the call names.
import micropython


class Base:
    def __init__(self):
        self.x = 1

    @classmethod
    def name(cls):
        return cls.__name__

    @staticmethod
    def twice(v):
        return 2 * v

    def get(self):
        return self.x


class Sub(Base):
    def __init__(self):
        Base.__init__(self)
        self.x += 1


s = Sub()
r = [None] * 8
micropython.heap_lock()
r[0] = int.from_bytes(b"\x01\x02", "little")
r[1] = Base.name()
r[2] = Sub.name()
r[3] = Base.twice(21)
r[4] = Base.get(s)
r[5] = s.name()
Sub.__init__(s)
r[6] = s.x
micropython.heap_unlock()
print(r)
print(Base.name(), Sub.twice(4), dict.fromkeys("ab", 0), int.__name__, Sub.__name__)
try:
    Base.get()
except TypeError:
    print("TypeError")
