# argument and type checks that must raise TypeError
def check(f):
    try:
        f()
        print("no error")
    except TypeError:
        print("TypeError")

check(lambda: sorted([3, 1], None))
check(lambda: hash(slice(1, 2)))
check(lambda: bytes([1, 2], 3))
check(lambda: bytes("x", "utf-8", "strict", 4))
check(lambda: str(b"x", "utf-8", "strict", 4))
check(lambda: type("N", None, {}))
check(lambda: type("N", (), None))
check(lambda: super(5, 5))
check(lambda: super(str, int))
check(lambda: 5 in "abc")
print("b" in "abc", b"b" in b"abc")

class EqOnly:
    def __eq__(self, other):
        return True
check(lambda: hash(EqOnly()))

class BadHash:
    def __hash__(self):
        return "x"
check(lambda: hash(BadHash()))

class BoolHash:
    def __hash__(self):
        return True
print(hash(BoolHash()))

class BigHash:
    def __hash__(self):
        return 1 << 80 | 3
print(type(hash(BigHash())))

class Base:
    def f(self):
        return 1
class Derived(Base):
    def f(self):
        return str(super())[:20]
print(Derived().f())

class S(str):
    pass
s = S("hi")
print(s == "hi", "hi" == s)
